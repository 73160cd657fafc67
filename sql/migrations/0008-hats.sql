-- 0008-hats.sql - schema version 8.
--
-- Hats (XEP-0317): badges a room's owners and admins define ("Teacher",
-- "Moderator on duty") and give to users, shown in the user's presence
-- in the room.  mucd writes these tables when an owner or admin runs the
-- room's hat commands (urn:xmpp:hats:commands:*), and reads them when it
-- loads the room: an operator's change here is seen the next time the
-- room is loaded (when it has been empty), not at once.  Only persistent
-- rooms keep their hats here; a temporary room's live in memory.

-- The hats a room defines.  Operator-readable; write them with the
-- commands.
CREATE TABLE hats (
	room_id		INTEGER NOT NULL REFERENCES rooms (id)
			ON DELETE CASCADE,
	-- The hat's identity (XEP-0317: a URI), unique in its room.
	uri		TEXT NOT NULL CHECK (uri <> ''),
	-- The name clients show.
	title		TEXT NOT NULL CHECK (title <> ''),
	-- A hue angle for the hat's colour (0 <= hue < 360) as the owner
	-- gave it, or NULL for none.
	hue		TEXT CHECK (hue IS NULL OR (CAST(hue AS REAL) >= 0 AND
			CAST(hue AS REAL) < 360)),
	PRIMARY KEY (room_id, uri)
) WITHOUT ROWID;

-- Who wears which hat of the room, by bare JID (a user wears it from
-- every client, in the room or not).  Destroying a hat takes it off
-- everyone.
CREATE TABLE hat_wearers (
	room_id		INTEGER NOT NULL,
	jid		TEXT NOT NULL,		-- prepared bare JID
	uri		TEXT NOT NULL,
	PRIMARY KEY (room_id, jid, uri),
	FOREIGN KEY (room_id, uri) REFERENCES hats (room_id, uri)
		ON DELETE CASCADE
) WITHOUT ROWID;

-- The sqlite3 shell runs with PRAGMA foreign_keys off, so the cascades
-- above would not fire there: these triggers do the same whatever the
-- connection's settings (as for affiliations, schema.sql).
CREATE TRIGGER rooms_delete_hats AFTER DELETE ON rooms
BEGIN
	DELETE FROM hat_wearers WHERE room_id = OLD.id;
	DELETE FROM hats WHERE room_id = OLD.id;
END;
CREATE TRIGGER hats_delete_wearers AFTER DELETE ON hats
BEGIN
	DELETE FROM hat_wearers WHERE room_id = OLD.room_id AND uri = OLD.uri;
END;
