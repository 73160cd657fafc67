/*
 * store_sqlite.c - the store on SQLite.
 *
 * Opens the database in WAL mode with a busy timeout (operators edit it
 * while mucd runs), creates or migrates the schema inside a transaction,
 * and prepares every statement once at open.  Each function binds, steps,
 * checks and resets; the first failure is logged with sqlite3_errmsg and
 * returned as MUC_ESTORE.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

/* sql/schema.sql, embedded by CMake (schema_sql.c). */
extern const char store_schema_sql[];

/* The version sql/schema.sql creates; sql/migrations/NNNN.sql bring an
 * older database to it. */
#define SCHEMA_VERSION	1

enum stmt_id {
	STMT_ROOM_LOAD,
	STMT_ROOM_INSERT,
	STMT_ROOM_UPDATE,
	STMT_ROOM_SUBJECT,
	STMT_ROOM_DELETE,
	STMT_AFF_LOAD,
	STMT_AFF_UPSERT,
	STMT_AFF_DELETE,
	STMT_PUBLIC_ROOMS,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_WRITER_ON,
	STMT_WRITER_OFF,
	STMT_DATA_VERSION,
	STMT_CHANGES,
	STMT_CHANGES_DELETE,
	STMT_OCCUPANCY_SET,
	STMT_OCCUPANCY_DELETE,
	STMT_COUNT
};

#define ROOM_COLUMNS \
	"title, description, language, public, members_only, moderated, " \
	"password, whois, change_subject, allow_invites, allow_pm, " \
	"max_users, history_length, presence_broadcast, allow_register"

static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_ROOM_LOAD] = "SELECT id, " ROOM_COLUMNS ", subject, subject_nick, subject_time "
	    "FROM rooms WHERE name = ?1",
	[STMT_ROOM_INSERT] = "INSERT INTO rooms (name, " ROOM_COLUMNS ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[STMT_ROOM_UPDATE] = "UPDATE rooms SET title = ?2, description = ?3, "
	    "language = ?4, public = ?5, members_only = ?6, moderated = ?7, "
	    "password = ?8, whois = ?9, change_subject = ?10, "
	    "allow_invites = ?11, allow_pm = ?12, max_users = ?13, "
	    "history_length = ?14, presence_broadcast = ?15, "
	    "allow_register = ?16 WHERE id = ?1",
	[STMT_ROOM_SUBJECT] = "UPDATE rooms SET subject = ?2, subject_nick = ?3, subject_time = ?4 "
	    "WHERE id = ?1",
	[STMT_ROOM_DELETE] = "DELETE FROM rooms WHERE id = ?1",
	[STMT_AFF_LOAD] = "SELECT jid, affiliation, nick, reason "
	    "FROM affiliations WHERE room_id = ?1",
	[STMT_AFF_UPSERT] = "INSERT INTO affiliations (room_id, jid, affiliation, "
	    "nick, reason) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (room_id, jid) DO UPDATE SET "
	    "affiliation = excluded.affiliation, nick = excluded.nick, "
	    "reason = excluded.reason",
	[STMT_AFF_DELETE] = "DELETE FROM affiliations WHERE room_id = ?1 AND jid = ?2",
	[STMT_PUBLIC_ROOMS] = "SELECT name, title FROM rooms WHERE public = 1 "
	    "ORDER BY name",
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_WRITER_ON] = "UPDATE mucd_writer SET active = 1",
	[STMT_WRITER_OFF] = "UPDATE mucd_writer SET active = 0",
	[STMT_DATA_VERSION] = "PRAGMA data_version",
	[STMT_CHANGES] = "SELECT seq, room FROM changes WHERE seq > ?1 ORDER BY seq",
	[STMT_CHANGES_DELETE] = "DELETE FROM changes WHERE seq <= ?1",
	[STMT_OCCUPANCY_SET] = "INSERT INTO occupancy (room, occupants) "
	    "VALUES (?1, ?2) ON CONFLICT (room) DO UPDATE SET "
	    "occupants = excluded.occupants, updated = strftime('%s', 'now')",
	[STMT_OCCUPANCY_DELETE] = "DELETE FROM occupancy WHERE room = ?1",
};

struct store {
	sqlite3			*db;
	const struct muc_logger	*log;
	sqlite3_stmt		*stmt[STMT_COUNT];
	int			 depth;		/* nested store_begin() calls */
	int64_t			 data_version;	/* last PRAGMA data_version */
	int64_t			 change_seq;	/* last change log row read */
};

static int	store_write(struct store *st, sqlite3_stmt *s, const char *what);

static int
store_fail(struct store *st, const char *what)
{
	muc_log(st->log, MUC_LOG_ERROR, "store", "%s: %s", what,
	    sqlite3_errmsg(st->db));
	return MUC_ESTORE;
}

/* Run one statement that returns no rows.  Returns MUC_OK or MUC_ESTORE. */
static int
store_exec(struct store *st, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		muc_log(st->log, MUC_LOG_ERROR, "store", "%s", err ? err : "exec");
		sqlite3_free(err);
		return MUC_ESTORE;
	}
	return MUC_OK;
}

/* Create the schema on an empty database, or refuse one we cannot read.
 * A newer version means a newer mucd wrote it: refusing beats guessing. */
static int
store_migrate(struct store *st)
{
	sqlite3_stmt	*s;
	int		 version, rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return store_fail(st, "user_version");
	rc = sqlite3_step(s);
	version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	if (version < 0)
		return store_fail(st, "user_version");
	if (version == SCHEMA_VERSION)
		return MUC_OK;
	if (version > SCHEMA_VERSION) {
		muc_log(st->log, MUC_LOG_ERROR, "store",
		    "database schema version %d is newer than this mucd (%d)",
		    version, SCHEMA_VERSION);
		return MUC_ESTORE;
	}
	/* version 0: a new file. */
	if (store_exec(st, "BEGIN IMMEDIATE") != MUC_OK)
		return MUC_ESTORE;
	if (store_exec(st, store_schema_sql) != MUC_OK ||
	    store_exec(st, "PRAGMA user_version = 1") != MUC_OK) {
		store_exec(st, "ROLLBACK");
		return MUC_ESTORE;
	}
	if (store_exec(st, "COMMIT") != MUC_OK)
		return MUC_ESTORE;
	muc_log(st->log, MUC_LOG_INFO, "store", "created schema version %d",
	    SCHEMA_VERSION);
	return MUC_OK;
}

static int
store_skip_change(void *ud, const char *room)
{
	(void)ud;
	(void)room;
	return 0;
}

int
store_open(const char *path, const struct muc_logger *lg, struct store **out)
{
	struct store	*st;
	int		 i;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return MUC_ENOMEM;
	st->log = lg;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		muc_log(lg, MUC_LOG_ERROR, "store", "%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	if (sqlite3_busy_timeout(st->db, 2000) != SQLITE_OK ||
	    store_exec(st, "PRAGMA journal_mode = WAL") != MUC_OK ||
	    store_exec(st, "PRAGMA foreign_keys = ON") != MUC_OK ||
	    store_exec(st, "PRAGMA synchronous = NORMAL") != MUC_OK ||
	    store_migrate(st) != MUC_OK)
		goto fail;
	for (i = 0; i < STMT_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) != SQLITE_OK) {
			store_fail(st, stmt_sql[i]);
			goto fail;
		}
	/* Changes logged while mucd was down are already in the rows it
	 * will load; start reading after them.  Nobody is in any room yet. */
	if (store_changes(st, store_skip_change, NULL) != MUC_OK ||
	    store_exec(st, "DELETE FROM occupancy") != MUC_OK)
		goto fail;
	*out = st;
	return MUC_OK;
fail:
	store_close(st);
	return MUC_ESTORE;
}

void
store_close(struct store *st)
{
	int	i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

/* Step a statement that returns no rows, then reset it. */
static int
store_step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int	rc = MUC_OK;

	if (sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

static char *
column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return strdup(t != NULL ? (const char *)t : "");
}

int
store_room_load(struct store *st, const char *name, int64_t *id,
    struct room_config *cfg, char **subject, char **subject_nick,
    int64_t *subject_time)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_LOAD];
	struct room_config c;
	int		 rc = MUC_ESTORE, step, pm;
	unsigned	 bcast;

	*id = 0;
	if (sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		store_fail(st, "room load bind");
		goto done;
	}
	step = sqlite3_step(s);
	if (step == SQLITE_DONE) {
		rc = MUC_OK;
		goto done;
	}
	if (step != SQLITE_ROW) {
		store_fail(st, "room load");
		goto done;
	}
	if (roomconfig_init(&c) != 0) {
		rc = MUC_ENOMEM;
		goto done;
	}
	/* Values CHECK constraints admit but we cannot use fall back to the
	 * defaults with a log line: an operator's odd row must not stop
	 * the room. */
	pm = allowpm_parse((const char *)sqlite3_column_text(s, 11));
	if (broadcast_parse((const char *)sqlite3_column_text(s, 14), &bcast) != 0) {
		muc_log(st->log, MUC_LOG_WARN, "store",
		    "room %s: bad presence_broadcast, using the default", name);
		bcast = BCAST_ALL;
	}
	c.persistent = 1;
	c.public_room = sqlite3_column_int(s, 4) != 0;
	c.members_only = sqlite3_column_int(s, 5) != 0;
	c.moderated = sqlite3_column_int(s, 6) != 0;
	c.whois_anyone = strcmp((const char *)sqlite3_column_text(s, 8), "anyone") == 0;
	c.change_subject = sqlite3_column_int(s, 9) != 0;
	c.allow_invites = sqlite3_column_int(s, 10) != 0;
	c.allow_pm = pm < 0 ? PM_ANYONE : (enum allow_pm)pm;
	c.max_users = sqlite3_column_int(s, 12);
	c.history_length = sqlite3_column_int(s, 13);
	c.broadcast = bcast;
	c.allow_register = sqlite3_column_int(s, 15) != 0;
	if (roomconfig_set_str(&c.title, (const char *)sqlite3_column_text(s, 1)) ||
	    roomconfig_set_str(&c.description, (const char *)sqlite3_column_text(s, 2)) ||
	    roomconfig_set_str(&c.language, (const char *)sqlite3_column_text(s, 3)) ||
	    roomconfig_set_str(&c.password, (const char *)sqlite3_column_text(s, 7)) ||
	    (*subject = column_dup(s, 16)) == NULL) {
		roomconfig_free(&c);
		rc = MUC_ENOMEM;
		goto done;
	}
	if ((*subject_nick = column_dup(s, 17)) == NULL) {
		free(*subject);
		*subject = NULL;
		roomconfig_free(&c);
		rc = MUC_ENOMEM;
		goto done;
	}
	roomconfig_free(cfg);
	*cfg = c;
	*id = sqlite3_column_int64(s, 0);
	*subject_time = sqlite3_column_int64(s, 18);
	rc = MUC_OK;
done:
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_room_save(struct store *st, const char *name, int64_t *id,
    const struct room_config *cfg)
{
	sqlite3_stmt	*s = st->stmt[*id ? STMT_ROOM_UPDATE : STMT_ROOM_INSERT];
	char		 bcast[48];
	int		 rc;

	broadcast_format(cfg->broadcast, bcast, sizeof(bcast));
	if ((*id ? sqlite3_bind_int64(s, 1, *id) :
	    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC)) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, cfg->title, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, cfg->description, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 4, cfg->language, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 5, cfg->public_room) != SQLITE_OK ||
	    sqlite3_bind_int(s, 6, cfg->members_only) != SQLITE_OK ||
	    sqlite3_bind_int(s, 7, cfg->moderated) != SQLITE_OK ||
	    sqlite3_bind_text(s, 8, cfg->password, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 9, cfg->whois_anyone ? "anyone" : "moderators",
	    -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 10, cfg->change_subject) != SQLITE_OK ||
	    sqlite3_bind_int(s, 11, cfg->allow_invites) != SQLITE_OK ||
	    sqlite3_bind_text(s, 12, allowpm_name(cfg->allow_pm), -1,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 13, cfg->max_users) != SQLITE_OK ||
	    sqlite3_bind_int(s, 14, cfg->history_length) != SQLITE_OK ||
	    sqlite3_bind_text(s, 15, bcast, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int(s, 16, cfg->allow_register) != SQLITE_OK) {
		rc = store_fail(st, "room save bind");
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return rc;
	}
	if ((rc = store_begin(st)) != MUC_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return rc;
	}
	if ((rc = store_step_done(st, s, "room save")) == MUC_OK && *id == 0)
		*id = sqlite3_last_insert_rowid(st->db);
	if (rc == MUC_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

int
store_room_subject(struct store *st, int64_t id, const char *subject,
    const char *nick, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_SUBJECT];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, nick, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, when) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "subject bind");
	}
	return store_write(st, s, "subject");
}

int
store_room_delete(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_DELETE];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK)
		return store_fail(st, "room delete bind");
	return store_write(st, s, "room delete");
}

int
store_affiliations_load(struct store *st, int64_t id, store_affiliation_fn fn,
    void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_AFF_LOAD];
	int		 rc = MUC_OK, step, aff;
	const char	*jid, *nick;

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK)
		return store_fail(st, "affiliations bind");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		jid = (const char *)sqlite3_column_text(s, 0);
		aff = affiliation_parse((const char *)sqlite3_column_text(s, 1));
		nick = (const char *)sqlite3_column_text(s, 2);
		if (jid == NULL || aff < 0 || aff == AFF_NONE)
			continue;	/* CHECK keeps these out; be safe */
		if ((rc = fn(ud, jid, (enum muc_affiliation)aff, nick,
		    (const char *)sqlite3_column_text(s, 3))) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "affiliations load");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_affiliation_set(struct store *st, int64_t id, const char *jid,
    enum muc_affiliation aff, const char *nick, const char *reason)
{
	sqlite3_stmt	*s;

	if (aff == AFF_NONE) {
		s = st->stmt[STMT_AFF_DELETE];
		if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
		    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK) {
			sqlite3_reset(s);
			return store_fail(st, "affiliation delete bind");
		}
		return store_write(st, s, "affiliation delete");
	}
	s = st->stmt[STMT_AFF_UPSERT];
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, affiliation_name(aff), -1, SQLITE_STATIC) != SQLITE_OK ||
	    (nick != NULL ? sqlite3_bind_text(s, 4, nick, -1, SQLITE_STATIC) :
	    sqlite3_bind_null(s, 4)) != SQLITE_OK ||
	    sqlite3_bind_text(s, 5, reason != NULL ? reason : "", -1,
	    SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "affiliation bind");
	}
	return store_write(st, s, "affiliation set");
}

int
store_public_rooms(struct store *st,
    int (*fn)(void *ud, const char *name, const char *title), void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_PUBLIC_ROOMS];
	int		 rc = MUC_OK, step;

	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = fn(ud, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1))) != 0)
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "public rooms");
	sqlite3_reset(s);
	return rc;
}

/*
 * Every write of mucd's runs inside store_begin()/store_commit(), which
 * nest.  The outermost pair raises and lowers mucd_writer.active inside the
 * transaction, so the change-log triggers skip mucd's own writes while any
 * other connection, which never sees the flag raised, is logged.
 */
int
store_begin(struct store *st)
{
	if (st->depth++ > 0)
		return MUC_OK;
	if (store_step_done(st, st->stmt[STMT_BEGIN], "begin") != MUC_OK) {
		st->depth = 0;
		return MUC_ESTORE;
	}
	if (store_step_done(st, st->stmt[STMT_WRITER_ON], "writer flag") != MUC_OK) {
		store_rollback(st);
		return MUC_ESTORE;
	}
	return MUC_OK;
}

int
store_commit(struct store *st)
{
	if (st->depth == 0)
		return MUC_ESTORE;	/* rolled back by an inner failure */
	if (--st->depth > 0)
		return MUC_OK;
	if (store_step_done(st, st->stmt[STMT_WRITER_OFF], "writer flag") != MUC_OK ||
	    store_step_done(st, st->stmt[STMT_COMMIT], "commit") != MUC_OK) {
		store_rollback(st);
		return MUC_ESTORE;
	}
	return MUC_OK;
}

void
store_rollback(struct store *st)
{
	st->depth = 0;
	if (sqlite3_get_autocommit(st->db) == 0)
		(void)store_step_done(st, st->stmt[STMT_ROLLBACK], "rollback");
}

/* Run one mutating statement as a write of mucd's (see store_begin). */
static int
store_write(struct store *st, sqlite3_stmt *s, const char *what)
{
	int	rc;

	if ((rc = store_begin(st)) != MUC_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return rc;
	}
	if ((rc = store_step_done(st, s, what)) == MUC_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

int
store_occupancy(struct store *st, const char *room, size_t occupants)
{
	sqlite3_stmt	*s;

	s = st->stmt[occupants > 0 ? STMT_OCCUPANCY_SET : STMT_OCCUPANCY_DELETE];
	if (sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (occupants > 0 &&
	    sqlite3_bind_int64(s, 2, (int64_t)occupants) != SQLITE_OK)) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "occupancy bind");
	}
	return store_write(st, s, "occupancy");
}

int
store_changes(struct store *st, int (*fn)(void *ud, const char *room),
    void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_DATA_VERSION];
	int64_t		 version, seq = st->change_seq;
	int		 step, rc = MUC_OK;

	/* The cheap test first: has any other connection committed? */
	if ((step = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, "data_version");
	}
	version = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (version == st->data_version)
		return MUC_OK;
	st->data_version = version;
	s = st->stmt[STMT_CHANGES];
	if (sqlite3_bind_int64(s, 1, st->change_seq) != SQLITE_OK)
		return store_fail(st, "changes bind");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		seq = sqlite3_column_int64(s, 0);
		if ((rc = fn(ud, (const char *)sqlite3_column_text(s, 1))) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "changes");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (seq == st->change_seq)
		return rc;
	st->change_seq = seq;
	/* Forget what was read; a failure here only means rereading it. */
	s = st->stmt[STMT_CHANGES_DELETE];
	if (sqlite3_bind_int64(s, 1, seq) == SQLITE_OK)
		(void)store_write(st, s, "changes delete");
	return rc;
}
