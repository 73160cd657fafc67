-- 0002-refuse-confusable-nicks.sql - schema version 2.
--
-- rooms.refuse_confusable: form field mucd#roomconfig_refuseconfusable.
-- When 1 (the default), the room refuses a nickname that looks like one
-- another user is in the room under or has reserved, comparing the
-- case-folded Unicode confusables skeletons (UTS #39): "Romeo" keeps
-- "romeo" and a "Rоmeo" with a Cyrillic о out.  The user gets
-- conflict, as for the same nick.  Operator-writable, 0 or 1.
ALTER TABLE rooms ADD COLUMN refuse_confusable INTEGER NOT NULL DEFAULT 1
	CHECK (refuse_confusable IN (0, 1));
