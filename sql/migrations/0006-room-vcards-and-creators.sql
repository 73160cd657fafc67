-- 0006-room-vcards-and-creators.sql - schema version 6.
--
-- Room vCards and avatars (XEP-0486), and who created each room (for
-- max_rooms_per_user).

-- mucd's own: the vCard (vcard-temp, XEP-0054) an owner set on a
-- persistent room, one row per room; no row when it has none.  Deleting
-- the room deletes it.  Read when the room is loaded: change it only
-- while the room is not in memory (no occupants), or restart mucd.
CREATE TABLE room_vcards (
	room_id		INTEGER PRIMARY KEY
			REFERENCES rooms (id) ON DELETE CASCADE,
	-- The <vCard xmlns='vcard-temp'> element exactly as the owner sent
	-- it, serialised; at most vcard_max_bytes (mucd.conf) long when
	-- mucd wrote it.
	vcard		TEXT NOT NULL CHECK (vcard LIKE '<vCard%'),
	-- The avatar's hashes (XEP-0153: SHA-1 of each PHOTO's decoded
	-- BINVAL, lower-case hex), space-separated in the vCard's order, as
	-- disco#info gives them in muc#roominfo_avatarhash; '' when the
	-- vCard has no photo.
	avatar_hash	TEXT NOT NULL DEFAULT ''
			CHECK (avatar_hash NOT GLOB '*[^0-9a-f ]*'),
	-- When it was set (Unix time).
	updated		INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

-- rooms.creator: mucd's own.  The real bare JID of the user whose join
-- created the room, written when the room is first stored; NULL for
-- rooms an operator inserted and rooms created before this migration.
-- max_rooms_per_user counts a user's rooms by it.
ALTER TABLE rooms ADD COLUMN creator TEXT
	CHECK (creator IS NULL OR length(creator) BETWEEN 1 AND 3071);
-- "How many rooms did this user create?" without a full scan.
CREATE INDEX rooms_creator ON rooms (creator) WHERE creator IS NOT NULL;
