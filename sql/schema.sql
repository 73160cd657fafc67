-- schema.sql - mucd's database: the contract with operators.
--
-- mucd keeps persistent rooms, their configuration, subject and
-- affiliations (with reserved nicknames and ban reasons) here.  Rooms that
-- are not persistent live only in mucd's memory and leave nothing behind.
--
-- Operators may read everything and may write the tables marked
-- "operator-writable" with plain SQL (sqlite3 mucd.db), also while mucd runs.
-- CHECK constraints reject values mucd could not use.  Columns marked
-- "mucd's own" are written by mucd; leave them alone.
--
-- The schema version is PRAGMA user_version.  A fresh database gets this
-- whole file; an older one is brought forward by sql/migrations/NNNN.sql,
-- in order, each in one transaction.

-- Persistent rooms, one row per room.  Operator-writable.
-- Inserting a row creates a persistent room; deleting it destroys the room.
CREATE TABLE rooms (
	id		INTEGER PRIMARY KEY,
	-- The room's localpart: room@conference.example.org has name 'room'.
	-- Lower case, as XMPP nodeprep leaves it; no '@', '/' or spaces.
	name		TEXT NOT NULL UNIQUE
			CHECK (length(name) BETWEEN 1 AND 1023
			    AND name = lower(name)
			    AND name NOT GLOB '*[@/ "&''<>:]*'),
	-- muc#roomconfig_roomname and _roomdesc, shown in discovery.
	title		TEXT NOT NULL DEFAULT '',
	description	TEXT NOT NULL DEFAULT '',
	-- muc#roomconfig_lang: the language of the discussion ('' unknown).
	language	TEXT NOT NULL DEFAULT '',
	-- muc#roomconfig_publicroom: listed in the service's disco#items.
	public		INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
	-- muc#roomconfig_membersonly: only members and above may enter.
	members_only	INTEGER NOT NULL DEFAULT 0 CHECK (members_only IN (0, 1)),
	-- muc#roomconfig_moderatedroom: visitors may not speak.
	moderated	INTEGER NOT NULL DEFAULT 0 CHECK (moderated IN (0, 1)),
	-- muc#roomconfig_roomsecret: '' means no password.
	password	TEXT NOT NULL DEFAULT '',
	-- muc#roomconfig_whois: who sees occupants' real JIDs.
	whois		TEXT NOT NULL DEFAULT 'moderators'
			CHECK (whois IN ('moderators', 'anyone')),
	-- muc#roomconfig_changesubject: participants may change the subject
	-- (moderators always may).
	change_subject	INTEGER NOT NULL DEFAULT 0 CHECK (change_subject IN (0, 1)),
	-- muc#roomconfig_allowinvites: participants may invite others.
	allow_invites	INTEGER NOT NULL DEFAULT 0 CHECK (allow_invites IN (0, 1)),
	-- muc#roomconfig_allowpm: who may send private messages.
	allow_pm	TEXT NOT NULL DEFAULT 'anyone'
			CHECK (allow_pm IN ('anyone', 'participants', 'moderators', 'none')),
	-- muc#roomconfig_maxusers: 0 means no limit.
	max_users	INTEGER NOT NULL DEFAULT 0 CHECK (max_users BETWEEN 0 AND 1000000),
	-- muc#maxhistoryfetch: messages of history kept and sent to joiners.
	history_length	INTEGER NOT NULL DEFAULT 20 CHECK (history_length BETWEEN 0 AND 1000),
	-- muc#roomconfig_presencebroadcast: the roles whose presence is
	-- broadcast, space-separated, from: moderator participant visitor none
	-- ('none' shows members who are not in the room as unavailable).
	presence_broadcast TEXT NOT NULL DEFAULT 'moderator participant visitor'
			CHECK (trim(replace(replace(replace(replace(' ' || presence_broadcast || ' ',
			    ' moderator ', ' '), ' participant ', ' '), ' visitor ', ' '),
			    ' none ', ' ')) = ''),
	-- Users without an affiliation may register (XEP-0045 7.10) and so
	-- become members.  Form field mucd#roomconfig_allowregister.
	allow_register	INTEGER NOT NULL DEFAULT 0 CHECK (allow_register IN (0, 1)),
	-- The subject and who set it (nick), as XEP-0045 7.2.15 shows it.
	subject		TEXT NOT NULL DEFAULT '',
	subject_nick	TEXT NOT NULL DEFAULT '',
	-- When the subject was last set or cleared (Unix time), sent to
	-- joiners as an XEP-0203 delay; 0 when it never was.
	subject_time	INTEGER NOT NULL DEFAULT 0 CHECK (subject_time >= 0),
	-- mucd's own: when the row was created (Unix time).
	created		INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

-- Affiliations (XEP-0045 5.2), one row per room and bare JID.
-- Operator-writable.  'none' is the absence of a row.
CREATE TABLE affiliations (
	room_id		INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	-- A bare JID (user@host or host): no resource, in lower case as
	-- XMPP nodeprep leaves it.
	jid		TEXT NOT NULL
			CHECK (length(jid) BETWEEN 1 AND 3071
			    AND jid = lower(jid)
			    AND jid NOT GLOB '*[/ <>"'']*'
			    AND jid NOT GLOB '*@*@*'
			    AND jid NOT GLOB '@*' AND jid NOT GLOB '*@'),
	affiliation	TEXT NOT NULL
			CHECK (affiliation IN ('owner', 'admin', 'member', 'outcast')),
	-- The nickname reserved for this JID in the room, or NULL.
	nick		TEXT CHECK (nick IS NULL OR length(nick) BETWEEN 1 AND 1023),
	-- Why: the ban reason for an outcast, else free text.
	reason		TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (room_id, jid)
) WITHOUT ROWID;

-- One nickname belongs to at most one JID per room.
CREATE UNIQUE INDEX affiliations_nick ON affiliations (room_id, nick)
	WHERE nick IS NOT NULL;
-- "Where is this user affiliated?" without a full scan.
CREATE INDEX affiliations_jid ON affiliations (jid);

-- Rows must name a room that exists.  The sqlite3 shell runs with
-- PRAGMA foreign_keys off, so the REFERENCES clause alone would not stop
-- an orphan row; these triggers do, whatever the connection's settings.
CREATE TRIGGER affiliations_need_room_on_insert BEFORE INSERT ON affiliations
	WHEN NOT EXISTS (SELECT 1 FROM rooms WHERE id = NEW.room_id)
BEGIN
	SELECT RAISE(ABORT, 'affiliations.room_id: no such room');
END;
CREATE TRIGGER affiliations_need_room_on_update BEFORE UPDATE OF room_id ON affiliations
	WHEN NOT EXISTS (SELECT 1 FROM rooms WHERE id = NEW.room_id)
BEGIN
	SELECT RAISE(ABORT, 'affiliations.room_id: no such room');
END;
CREATE TRIGGER rooms_delete_affiliations AFTER DELETE ON rooms
BEGIN
	DELETE FROM affiliations WHERE room_id = OLD.id;
END;

-- Affiliations by room name, for people: operator-writable.
--   INSERT INTO room_affiliations (room, jid, affiliation, reason)
--       VALUES ('lobby', 'troll@example.org', 'outcast', 'spam');
-- Inserting a JID the room already has replaces its row; DELETE removes
-- the affiliation; UPDATE changes affiliation, nick or reason.
CREATE VIEW room_affiliations AS
	SELECT r.name AS room, a.jid, a.affiliation, a.nick, a.reason
	FROM affiliations a JOIN rooms r ON r.id = a.room_id;
CREATE TRIGGER room_affiliations_insert INSTEAD OF INSERT ON room_affiliations
BEGIN
	SELECT RAISE(ABORT, 'room_affiliations.room: no such room')
		WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE name = NEW.room);
	INSERT INTO affiliations (room_id, jid, affiliation, nick, reason)
		SELECT id, NEW.jid, NEW.affiliation, NEW.nick, coalesce(NEW.reason, '')
		FROM rooms WHERE name = NEW.room
		ON CONFLICT (room_id, jid) DO UPDATE SET
			affiliation = excluded.affiliation, nick = excluded.nick,
			reason = excluded.reason;
END;
CREATE TRIGGER room_affiliations_update INSTEAD OF UPDATE ON room_affiliations
BEGIN
	UPDATE affiliations SET affiliation = NEW.affiliation, nick = NEW.nick,
		reason = coalesce(NEW.reason, '')
	WHERE jid = OLD.jid AND room_id = (SELECT id FROM rooms WHERE name = OLD.room);
END;
CREATE TRIGGER room_affiliations_delete INSTEAD OF DELETE ON room_affiliations
BEGIN
	DELETE FROM affiliations
	WHERE jid = OLD.jid AND room_id = (SELECT id FROM rooms WHERE name = OLD.room);
END;

-- mucd's own: how many occupants each room has now, for monitoring and
-- for operators' queries.  Occupants live in mucd's memory; mucd writes
-- the counts of rooms that changed once a second, in one transaction, and
-- empties the table when it starts.  A room without occupants has no row.
CREATE TABLE occupancy (
	room		TEXT PRIMARY KEY,
	occupants	INTEGER NOT NULL CHECK (occupants > 0),
	updated		INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
) WITHOUT ROWID;

-- mucd's own: the change log.  Every write to rooms or affiliations by
-- any connection other than mucd's adds the room's name here; mucd reads
-- it when PRAGMA data_version says another connection committed, applies
-- the rooms' new state as if an owner had made the change, and deletes
-- what it has read.  Nothing is logged while nobody else writes.
CREATE TABLE changes (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	room		TEXT NOT NULL,
	at		INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

-- mucd's own: set to 1 and back to 0 inside each of mucd's write
-- transactions, so the triggers below skip mucd's writes.  No other
-- connection ever sees it at 1.
CREATE TABLE mucd_writer (
	only		INTEGER PRIMARY KEY CHECK (only = 1),
	active		INTEGER NOT NULL CHECK (active IN (0, 1))
);
INSERT INTO mucd_writer VALUES (1, 0);

CREATE TRIGGER rooms_log_insert AFTER INSERT ON rooms
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) VALUES (NEW.name);
END;
CREATE TRIGGER rooms_log_update AFTER UPDATE ON rooms
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) VALUES (OLD.name);
	INSERT INTO changes (room) SELECT NEW.name WHERE NEW.name <> OLD.name;
END;
CREATE TRIGGER rooms_log_delete AFTER DELETE ON rooms
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) VALUES (OLD.name);
END;
CREATE TRIGGER affiliations_log_insert AFTER INSERT ON affiliations
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) SELECT name FROM rooms WHERE id = NEW.room_id;
END;
CREATE TRIGGER affiliations_log_update AFTER UPDATE ON affiliations
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) SELECT name FROM rooms
		WHERE id = OLD.room_id OR id = NEW.room_id;
END;
CREATE TRIGGER affiliations_log_delete AFTER DELETE ON affiliations
	WHEN (SELECT active FROM mucd_writer) = 0
BEGIN
	INSERT INTO changes (room) SELECT name FROM rooms WHERE id = OLD.room_id;
END;
