-- 0003-archive.sql - schema version 3: the message archive (XEP-0313).
--
-- rooms.archiving: form field muc#roomconfig_enablearchiving.  When 1
-- (the default of this column; mucd's archive_by_default setting decides
-- for rooms created over XMPP), a persistent room keeps every groupchat
-- message it relays that has a body in the archive table below, serves
-- it to archive queries (XEP-0313) and replays joiners' history from it.
-- A temporary room never archives: it leaves nothing behind.
-- Operator-writable, 0 or 1; turning it off keeps what was archived.
ALTER TABLE rooms ADD COLUMN archiving INTEGER NOT NULL DEFAULT 1
	CHECK (archiving IN (0, 1));

-- The archive, one row per kept message.  mucd's own for writing:
-- operators may read it and may DELETE rows (for example to remove
-- something that must not be kept; a room in memory re-reads its join
-- history when they do), but must not insert or update.  Destroying a
-- room deletes its rows.
--
-- mucd writes in batches, off its main loop, about once a second: a
-- crash (not a clean stop) loses at most the last second's messages.
CREATE TABLE archive (
	-- The message's place: mucd numbers kept messages in the order rooms
	-- relayed them, across all rooms, and never reuses a number, also
	-- after deletions.  Results are in this order.
	id		INTEGER PRIMARY KEY,
	-- rooms.id; the trigger below deletes a room's rows with it (no
	-- REFERENCES: the check would cost every insert a lookup that mucd's
	-- insert already makes).
	room_id		INTEGER NOT NULL,
	-- When the room received it (Unix time): the XEP-0203 delay.
	at		INTEGER NOT NULL,
	-- The sender's nick in the room then, and real bare JID; both ''
	-- for what the room itself says (a moderator's retraction notice).
	nick		TEXT NOT NULL,
	sender		TEXT NOT NULL,
	-- The XEP-0359 stanza-id clients saw (by = the room): the id
	-- encrypted with archive_state.key, so that it tells nothing of the
	-- archive.  For people only: mucd never searches by it.
	stanza_id	TEXT NOT NULL,
	-- The message as the room relayed it (from room/nick, no `to`), as
	-- XML.  After a retraction, the tombstone (XEP-0424, XEP-0425): the
	-- body and every other payload gone, a <retracted/> in their place.
	stanza		TEXT NOT NULL,
	-- The retraction, NULL while there was none: when (Unix time), by
	-- whom (the occupant JID of the moderator or of the author) and why.
	retracted_at	INTEGER,
	retracted_by	TEXT,
	retract_reason	TEXT
);
-- A room's messages in order (pages, history), by time (start/end), by
-- nick or by real JID (the 'with' filter).
CREATE INDEX archive_room ON archive (room_id, id);
CREATE INDEX archive_time ON archive (room_id, at);
CREATE INDEX archive_nick ON archive (room_id, nick);
CREATE INDEX archive_sender ON archive (room_id, sender);

-- The archive goes with its room.
CREATE TRIGGER rooms_delete_archive AFTER DELETE ON rooms
BEGIN
	DELETE FROM archive WHERE room_id = OLD.id;
END;

-- An operator's delete names the room in the change log once, so that a
-- room in memory drops the deleted messages from its join history.
CREATE TRIGGER archive_log_delete AFTER DELETE ON archive
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) SELECT r.name FROM rooms r
		WHERE r.id = OLD.room_id
		AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.room = r.name);
END;

-- mucd's own: the key of the stanza-ids (random, made here) and the next
-- number mucd may give a message.  mucd reserves numbers ahead in blocks,
-- so a crash skips some but never reuses one.  Changing the key changes
-- every stanza-id: clients would no longer find their messages.
CREATE TABLE archive_state (
	only		INTEGER PRIMARY KEY CHECK (only = 1),
	key		BLOB NOT NULL CHECK (length(key) = 16),
	next_id		INTEGER NOT NULL CHECK (next_id >= 1)
);
INSERT INTO archive_state VALUES (1, randomblob(16), 1);
