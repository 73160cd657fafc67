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
	-- The subject and who set it (nick), as XEP-0045 7.2.15 shows it.
	subject		TEXT NOT NULL DEFAULT '',
	subject_nick	TEXT NOT NULL DEFAULT '',
	-- mucd's own: when the row was created (Unix time).
	created		INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

-- Affiliations (XEP-0045 5.2), one row per room and bare JID.
-- Operator-writable.  'none' is the absence of a row.
CREATE TABLE affiliations (
	room_id		INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	-- A bare JID (user@host or host): no resource.
	jid		TEXT NOT NULL
			CHECK (length(jid) BETWEEN 1 AND 3071
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
