-- 0005-occupants-and-room-paging.sql - schema version 5.
--
-- Occupants across restarts, and paging through the public rooms.
--
-- mucd keeps its occupants when it restarts or crashes (unless started
-- with restart_occupants = remove): it writes who is in which room here,
-- the occupants that changed at most every snapshot_interval seconds and
-- all of them when it stops, and puts them back in their rooms when it
-- starts, without telling anybody.  It then pings every client from its
-- room and removes those that do not answer (status 333).  Every table
-- below is mucd's own: read them (mucctl will), leave them alone.

-- mucd's own: one row per client in a room.  A user in a room from
-- several clients under one nick has a row for each client.
CREATE TABLE occupants (
	-- The room's localpart, as rooms.name (temporary rooms have no row
	-- in rooms: see temporary_rooms).
	room		TEXT NOT NULL,
	-- The occupant's nick (room@service/nick), prepared.
	nick		TEXT NOT NULL,
	-- The client's real full JID, and its bare JID.
	jid		TEXT NOT NULL,
	bare		TEXT NOT NULL,
	role		TEXT NOT NULL
			CHECK (role IN ('moderator', 'participant', 'visitor')),
	-- The occupant's presence as the room shows it, without what only
	-- the room says: a <presence/> element with show, status, caps and
	-- the like, as XML text; '' when it has none.
	presence	TEXT NOT NULL DEFAULT '',
	-- When the occupant entered the room (Unix time).
	joined		INTEGER NOT NULL,
	PRIMARY KEY (room, jid)
) WITHOUT ROWID;
CREATE INDEX occupants_nick ON occupants (room, nick);

-- mucd's own: temporary (not persistent) rooms that have occupants.
-- Persistent rooms are in rooms; a temporary room lives in mucd's
-- memory only, so to keep its occupants across a restart mucd keeps the
-- room here while it has any.  The row goes when the room empties.
CREATE TABLE temporary_rooms (
	name		TEXT PRIMARY KEY,
	-- The configuration as the owner's form (an XEP-0004 <x/>, XML).
	config		TEXT NOT NULL,
	-- 1: a new room still waiting for its first configuration.
	locked		INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	subject		TEXT NOT NULL DEFAULT '',
	subject_nick	TEXT NOT NULL DEFAULT '',
	subject_time	INTEGER NOT NULL DEFAULT 0,
	-- The affiliations as a muc#admin <query/> of <item/>s (XML).
	affiliations	TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Who is where, for people: the occupants with their affiliation and a
-- readable time.
--   SELECT room, nick, role, affiliation, jid, joined FROM room_occupants
--       WHERE room = 'lobby';
CREATE VIEW room_occupants AS
	SELECT o.room, o.nick, o.role,
	    coalesce(a.affiliation, 'none') AS affiliation, o.jid,
	    datetime(o.joined, 'unixepoch') AS joined
	FROM occupants o
	LEFT JOIN rooms r ON r.name = o.room
	LEFT JOIN affiliations a ON a.room_id = r.id AND a.jid = o.bare;

-- The service's disco#items pages through the public rooms by name
-- (XEP-0059): a page is a range of this index, however many rooms
-- there are.
CREATE INDEX rooms_public_name ON rooms (public, name);

-- mucd's own: how many public rooms there are, kept by the triggers
-- below (for anyone's writes), so that a page can tell the total
-- without counting a million rows.  mucd counts them again when it
-- starts, in case a write got past the triggers (INSERT OR REPLACE
-- without recursive_triggers deletes without firing them).
CREATE TABLE room_stats (
	only		INTEGER PRIMARY KEY CHECK (only = 1),
	public_rooms	INTEGER NOT NULL
);
INSERT INTO room_stats SELECT 1, count(*) FROM rooms WHERE public = 1;
CREATE TRIGGER rooms_stats_insert AFTER INSERT ON rooms WHEN NEW.public = 1
BEGIN
	UPDATE room_stats SET public_rooms = public_rooms + 1;
END;
CREATE TRIGGER rooms_stats_delete AFTER DELETE ON rooms WHEN OLD.public = 1
BEGIN
	UPDATE room_stats SET public_rooms = public_rooms - 1;
END;
CREATE TRIGGER rooms_stats_update AFTER UPDATE OF public ON rooms
	WHEN OLD.public <> NEW.public
BEGIN
	UPDATE room_stats SET public_rooms = public_rooms + NEW.public - OLD.public;
END;
