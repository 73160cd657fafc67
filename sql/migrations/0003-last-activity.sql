-- 0003-last-activity.sql: when each stored room was last used.
--
-- rooms.last_activity: mucd's own.  The Unix time of the room's last
-- groupchat message or join, written by mucd at most once a second (with
-- the occupancy counts), so that operators can find rooms nobody uses:
--   SELECT name FROM rooms
--   WHERE max(last_activity, created) < strftime('%s', 'now') - 90 * 86400;
-- 0 until the room is used after this migration.  mucctl unused DAYS
-- runs that query.
ALTER TABLE rooms ADD COLUMN last_activity INTEGER NOT NULL DEFAULT 0
	CHECK (last_activity >= 0);

-- An operator's reason for destroying a room, read by mucd when the
-- room's row disappears and shown to its occupants in <destroy/>:
--   INSERT INTO destroy_reasons VALUES ('lobby', 'Moved to #agora');
--   DELETE FROM rooms WHERE name = 'lobby';
-- mucd deletes the row once it has destroyed the room.  Operator-writable.
CREATE TABLE destroy_reasons (
	room		TEXT PRIMARY KEY,
	reason		TEXT NOT NULL,
	alternate	TEXT	-- another room's JID to go to, or NULL
) WITHOUT ROWID;
