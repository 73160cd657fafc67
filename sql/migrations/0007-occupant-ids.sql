-- 0007-occupant-ids.sql - schema version 7: the secret of occupant-ids
-- (XEP-0421).
--
-- Every presence and message an occupant sends through a room carries
-- an occupant-id: a keyed hash (HMAC-SHA-256) of the room's JID and the
-- occupant's real bare JID, so that clients can tell one person from
-- another across nick changes and rejoins without learning the JID.
-- The key is the service's secret below, made here once from SQLite's
-- random generator (seeded from the operating system's, /dev/urandom)
-- and kept next to the stanza-id key: one home for the service's
-- secrets.

-- archive_state.occupant_key: mucd's own, 32 random bytes.  Do not
-- change it, copy it to another service or show it to anyone: changing
-- it changes every occupant-id in every room (clients then take everyone
-- for someone new, and the ids in archived messages no longer match the
-- people who sent them), and whoever has it can test which JID is behind
-- an id.  mucd refuses to start without it.
ALTER TABLE archive_state ADD COLUMN occupant_key BLOB
	CHECK (occupant_key IS NULL OR length(occupant_key) = 32);
UPDATE archive_state SET occupant_key = randomblob(32);
