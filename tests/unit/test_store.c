/*
 * test_store.c - the SQLite store of lib/store_sqlite.c and the schema
 * operators rely on (sql/schema.sql): the schema version, round trips of
 * a room's configuration, subject and affiliations, the CHECK constraints,
 * deletion by cascade, persistence across a reopen, and refusing a
 * database written by a newer mucd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "unit.h"

static int	nerrors;	/* log lines at ERROR */

static void
count_log(void *ud, enum muc_log_level level, const char *area,
    const char *fmt, va_list ap)
{
	(void)ud;
	if (level >= MUC_LOG_ERROR)
		nerrors++;
	if (getenv("MUCD_TEST_LOG") != NULL) {
		fprintf(stderr, "[%s] ", area);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
}

static const struct muc_logger	logger = { count_log, NULL };

struct tmpdb {
	char	path[64];
};

static void
tmpdb_remove(void *arg)
{
	struct tmpdb	*t = arg;
	char		 side[80];

	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
	free(t);
}

/* A path for a database file under /tmp, removed when the case ends. */
static const char *
tmpdb_path(void)
{
	struct tmpdb	*t = calloc(1, sizeof(*t));
	int		 fd;

	if (t == NULL)
		abort();
	snprintf(t->path, sizeof(t->path), "/tmp/mucd-test-store-XXXXXX");
	if ((fd = mkstemp(t->path)) < 0)
		abort();
	close(fd);
	unlink(t->path);	/* store_open creates it */
	ut_defer(tmpdb_remove, t);
	return t->path;
}

static void
store_closer(void *arg)
{
	store_close(arg);
}

/* Open path (NULL: memory) and close it when the case ends. */
static struct store *
open_store(const char *path)
{
	struct store	*st = NULL;

	nerrors = 0;
	if (store_open(path != NULL ? path : ":memory:", &logger, &st) !=
	    MUC_OK)
		return NULL;
	ut_defer(store_closer, st);
	return st;
}

static void
db_closer(void *arg)
{
	sqlite3_close(arg);
}

/* The file path opened with plain SQLite, closed when the case ends. */
static sqlite3 *
raw_open(const char *path)
{
	sqlite3	*db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	ut_defer(db_closer, db);
	return db;
}

/* The single integer the query returns; -1 on error. */
static long long
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*s;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The result code of running sql (SQLITE_CONSTRAINT for a CHECK). */
static int
raw_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) & 0xff;
}

static void
cfg_free(void *arg)
{
	roomconfig_free(arg);
	free(arg);
}

/* An initialised configuration freed when the case ends. */
static struct room_config *
cfg_new(void)
{
	struct room_config	*c = malloc(sizeof(*c));

	if (c == NULL || roomconfig_init(c) != 0)
		abort();
	ut_defer(cfg_free, c);
	return c;
}

/* A configuration with no field at its default. */
static struct room_config *
cfg_unusual(void)
{
	struct room_config	*c = cfg_new();

	roomconfig_set_str(&c->title, "The Capulet Orchard");
	roomconfig_set_str(&c->description, "Where <lovers> & \"friends\" meet");
	roomconfig_set_str(&c->language, "en-GB");
	roomconfig_set_str(&c->password, "cauldron'burn");
	c->persistent = 1;
	c->public_room = 0;
	c->members_only = 1;
	c->moderated = 1;
	c->whois_anyone = 1;
	c->change_subject = 1;
	c->allow_invites = 1;
	c->allow_register = 1;
	c->allow_pm = PM_MODERATORS;
	c->max_users = 42;
	c->history_length = 7;
	c->broadcast = BCAST_ROLE(ROLE_MODERATOR) | BCAST_ROLE(ROLE_NONE);
	return c;
}

static char *subject, *subject_nick;

static void
subject_free(void *arg)
{
	(void)arg;
	free(subject);
	free(subject_nick);
	subject = subject_nick = NULL;
}

/* Load room name into a fresh configuration; its id, or 0 / -1. */
static int64_t
load(struct store *st, const char *name, struct room_config **cfg)
{
	int64_t	id = -1, subject_time = 0;

	*cfg = cfg_new();
	subject_free(NULL);
	ut_defer(subject_free, NULL);
	if (store_room_load(st, name, &id, *cfg, &subject, &subject_nick, &subject_time) !=
	    MUC_OK)
		return -1;
	return id;
}

/* Affiliation rows as loaded. */
struct aff_row {
	char			 jid[64];
	enum muc_affiliation	 aff;
	char			 nick[32];	/* "" for NULL */
	int			 has_nick;
	char			 reason[64];
};

static struct aff_row	rows[16];
static size_t		nrows;

static int
collect_aff(void *ud, const char *jid, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	struct aff_row	*r;

	(void)ud;
	if (nrows == UT_NELEM(rows))
		return 1;
	r = &rows[nrows++];
	snprintf(r->jid, sizeof(r->jid), "%s", jid);
	r->aff = aff;
	r->has_nick = nick != NULL;
	snprintf(r->nick, sizeof(r->nick), "%s", nick ? nick : "");
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "(null)");
	return 0;
}

static const struct aff_row *
row_for(const char *jid)
{
	size_t	i;

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].jid, jid) == 0)
			return &rows[i];
	return NULL;
}

static int
load_affs(struct store *st, int64_t id)
{
	nrows = 0;
	return store_affiliations_load(st, id, collect_aff, NULL);
}

static void
engine_store_creates_the_schema_at_the_current_version(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;

	EXPECT(open_store(path) != NULL);
	EXPECT_INT(nerrors, 0);
	db = raw_open(path);
	EXPECT_INT(raw_int(db, "PRAGMA user_version"), store_schema_version());
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name IN ('rooms', 'affiliations')"), 2);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'index' AND name = 'affiliations_nick'"), 1);
}

static void
engine_store_room_config_round_trips_every_field(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*in = cfg_unusual(), *got;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, in), MUC_OK);
	EXPECT(id > 0);
	EXPECT_INT(load(st, "orchard", &got), id);
	EXPECT_STR(got->title, "The Capulet Orchard");
	EXPECT_STR(got->description, "Where <lovers> & \"friends\" meet");
	EXPECT_STR(got->language, "en-GB");
	EXPECT_STR(got->password, "cauldron'burn");
	EXPECT_INT(got->persistent, 1);
	EXPECT_INT(got->public_room, 0);
	EXPECT_INT(got->members_only, 1);
	EXPECT_INT(got->moderated, 1);
	EXPECT_INT(got->whois_anyone, 1);
	EXPECT_INT(got->change_subject, 1);
	EXPECT_INT(got->allow_invites, 1);
	EXPECT_INT(got->allow_register, 1);
	EXPECT_INT(got->allow_pm, PM_MODERATORS);
	EXPECT_INT(got->max_users, 42);
	EXPECT_INT(got->history_length, 7);
	EXPECT_INT(got->broadcast,
	    BCAST_ROLE(ROLE_MODERATOR) | BCAST_ROLE(ROLE_NONE));
	EXPECT_STR(subject, "");
	EXPECT_STR(subject_nick, "");
}

static void
engine_store_room_update_overwrites_and_defaults_round_trip(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*in = cfg_unusual(), *def = cfg_new(), *got;
	int64_t			 id = 0, first;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, in), MUC_OK);
	first = id;
	def->persistent = 1;
	EXPECT_INT(store_room_save(st, "orchard", &id, def), MUC_OK);
	EXPECT_INT(id, first);
	EXPECT_INT(load(st, "orchard", &got), first);
	EXPECT_STR(got->title, "");
	EXPECT_STR(got->password, "");
	EXPECT_INT(got->public_room, 1);
	EXPECT_INT(got->members_only, 0);
	EXPECT_INT(got->whois_anyone, 0);
	EXPECT_INT(got->allow_register, 0);
	EXPECT_INT(got->allow_pm, PM_ANYONE);
	EXPECT_INT(got->max_users, 0);
	EXPECT_INT(got->history_length, 20);
	EXPECT_INT(got->broadcast, BCAST_ALL);
}

static void
engine_store_subject_round_trips_with_its_nick(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*got;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_room_subject(st, id, "Fair Verona", "Romeo", 1), MUC_OK);
	EXPECT_INT(load(st, "orchard", &got), id);
	EXPECT_STR(subject, "Fair Verona");
	EXPECT_STR(subject_nick, "Romeo");
}

static void
engine_store_load_of_an_unknown_room_gives_id_0_and_leaves_cfg_alone(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*got;

	EXPECT(st != NULL);
	EXPECT_INT(load(st, "nowhere", &got), 0);
	EXPECT_STR(got->title, "");
	EXPECT_INT(got->history_length, 20);
	EXPECT(subject == NULL);
}

static void
engine_store_affiliations_round_trip_with_nick_and_reason(void)
{
	struct store		*st = open_store(NULL);
	const struct aff_row	*r;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, "Romeo", NULL), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "nurse@capulet.lit",
	    AFF_ADMIN, NULL, "trusted"), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_MEMBER, "Juliet", "a Capulet"), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "tybalt@capulet.lit",
	    AFF_OUTCAST, NULL, "Thou art a villain"), MUC_OK);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 4);
	EXPECT((r = row_for("romeo@montague.lit")) != NULL);
	EXPECT_INT(r->aff, AFF_OWNER);
	EXPECT_STR(r->nick, "Romeo");
	EXPECT_STR(r->reason, "");
	EXPECT((r = row_for("nurse@capulet.lit")) != NULL);
	EXPECT_INT(r->aff, AFF_ADMIN);
	EXPECT_INT(r->has_nick, 0);
	EXPECT_STR(r->reason, "trusted");
	EXPECT((r = row_for("juliet@capulet.lit")) != NULL);
	EXPECT_INT(r->aff, AFF_MEMBER);
	EXPECT_STR(r->nick, "Juliet");
	EXPECT_STR(r->reason, "a Capulet");
	EXPECT((r = row_for("tybalt@capulet.lit")) != NULL);
	EXPECT_INT(r->aff, AFF_OUTCAST);
	EXPECT_STR(r->reason, "Thou art a villain");
}

static void
engine_store_affiliation_set_updates_in_place_and_none_deletes(void)
{
	struct store		*st = open_store(NULL);
	const struct aff_row	*r;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_MEMBER, "Juliet", NULL), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_ADMIN, NULL, "promoted"), MUC_OK);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 1);
	EXPECT((r = row_for("juliet@capulet.lit")) != NULL);
	EXPECT_INT(r->aff, AFF_ADMIN);
	EXPECT_INT(r->has_nick, 0);
	EXPECT_STR(r->reason, "promoted");
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_NONE, NULL, NULL), MUC_OK);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 0);
}

static void
engine_store_refuses_one_nick_reserved_for_two_jids(void)
{
	struct store	*st = open_store(NULL);
	int64_t		 id = 0, other = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_room_save(st, "balcony", &other, cfg_new()), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_MEMBER, "Juliet", NULL), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "nurse@capulet.lit",
	    AFF_MEMBER, "Juliet", NULL), MUC_ESTORE);
	EXPECT_INT(nerrors, 1);
	/* The same nick in another room is another reservation. */
	EXPECT_INT(store_affiliation_set(st, other, "nurse@capulet.lit",
	    AFF_MEMBER, "Juliet", NULL), MUC_OK);
}

static void
engine_store_check_constraints_reject_rows_mucd_could_not_use(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;

	EXPECT(open_store(path) != NULL);
	db = raw_open(path);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name) VALUES ('orchard')"),
	    SQLITE_OK);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name) VALUES ('Orchard')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name) VALUES ('a/b')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name) VALUES ('a b')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name, max_users) "
	    "VALUES ('hall', -1)"), SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name, history_length) "
	    "VALUES ('hall', 1001)"), SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name, whois) "
	    "VALUES ('hall', 'everyone')"), SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name, presence_broadcast) "
	    "VALUES ('hall', 'moderator king')"), SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'romeo@montague.lit', 'king')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'romeo@montague.lit', 'none')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'romeo@montague.lit/orchard', 'member')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'a@b@c', 'member')"), SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'Romeo@montague.lit', 'member')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (99, 'romeo@montague.lit', 'member')"),
	    SQLITE_CONSTRAINT);	/* no room 99 */
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation, nick) VALUES (1, 'romeo@montague.lit', 'member', '')"),
	    SQLITE_CONSTRAINT);
	EXPECT_INT(raw_exec(db, "INSERT INTO affiliations (room_id, jid, "
	    "affiliation) VALUES (1, 'romeo@montague.lit', 'member')"),
	    SQLITE_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM rooms"), 1);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM affiliations"), 1);
}

static void
engine_store_api_reports_rows_the_checks_refuse_as_estore(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*c = cfg_new();
	int64_t			 id = 0, bad = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "Orchard", &bad, c), MUC_ESTORE);
	EXPECT_INT(bad, 0);
	c->max_users = -1;
	EXPECT_INT(store_room_save(st, "orchard", &bad, c), MUC_ESTORE);
	EXPECT_INT(bad, 0);
	c->max_users = 0;
	EXPECT_INT(store_room_save(st, "orchard", &id, c), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit/orchard",
	    AFF_MEMBER, NULL, NULL), MUC_ESTORE);
	EXPECT_INT(nerrors, 3);
	/* The statements still work after a failure. */
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_MEMBER, NULL, NULL), MUC_OK);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 1);
}

static void
engine_store_delete_removes_the_room_and_its_affiliations(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*got;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, "Romeo", NULL), MUC_OK);
	EXPECT_INT(store_room_delete(st, id), MUC_OK);
	EXPECT_INT(load(st, "orchard", &got), 0);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 0);
}

static void
engine_store_reopened_file_keeps_rooms_and_affiliations(void)
{
	const char		*path = tmpdb_path();
	struct store		*st = NULL;
	struct room_config	*got;
	int64_t			 id = 0;

	EXPECT_INT(store_open(path, &logger, &st), MUC_OK);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_unusual()), MUC_OK);
	EXPECT_INT(store_room_subject(st, id, "Fair Verona", "Romeo", 1), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, "Romeo", "founder"), MUC_OK);
	store_close(st);
	EXPECT((st = open_store(path)) != NULL);
	EXPECT_INT(load(st, "orchard", &got), id);
	EXPECT_STR(got->title, "The Capulet Orchard");
	EXPECT_INT(got->max_users, 42);
	EXPECT_STR(subject, "Fair Verona");
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 1);
	EXPECT_STR(rows[0].jid, "romeo@montague.lit");
	EXPECT_INT(rows[0].aff, AFF_OWNER);
	EXPECT_STR(rows[0].nick, "Romeo");
	EXPECT_STR(rows[0].reason, "founder");
	EXPECT_INT(nerrors, 0);
}

static void
engine_store_refuses_a_database_of_a_newer_schema_version(void)
{
	const char	*path = tmpdb_path();
	struct store	*st = (struct store *)&st;	/* must become NULL */
	sqlite3		*db;

	char		 sql[64];

	EXPECT(open_store(path) != NULL);
	db = raw_open(path);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    store_schema_version() + 1);
	EXPECT_INT(raw_exec(db, sql), SQLITE_OK);
	nerrors = 0;
	EXPECT_INT(store_open(path, &logger, &st), MUC_ESTORE);
	EXPECT(st == NULL);
	EXPECT_INT(nerrors, 1);
	/* Nothing was rewritten: the version is still the newer one. */
	EXPECT_INT(raw_int(db, "PRAGMA user_version"),
	    store_schema_version() + 1);
}

/* sql/schema.sql as a version-1 mucd wrote it (lib embeds the file). */
extern const char	store_schema_sql[];

/* The schema of db as text: every table, index, view and trigger. */
static char *
schema_text(sqlite3 *db)
{
	sqlite3_stmt	*s;
	char		*text = NULL, *grown;
	size_t		 len = 0, n;

	if (sqlite3_prepare_v2(db, "SELECT type || ' ' || name || ': ' || "
	    "coalesce(sql, '') FROM sqlite_master ORDER BY type, name", -1, &s,
	    NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(s) == SQLITE_ROW) {
		n = strlen((const char *)sqlite3_column_text(s, 0));
		if ((grown = realloc(text, len + n + 2)) == NULL)
			break;
		text = grown;
		memcpy(text + len, sqlite3_column_text(s, 0), n);
		len += n;
		text[len++] = '\n';
		text[len] = '\0';
	}
	sqlite3_finalize(s);
	return text;
}

/* A database written by a version-1 mucd, with rooms, affiliations and
 * a subject in it, is brought to the current version by the migrations
 * without losing anything, and ends with the schema of a new one. */
static void
engine_store_migrates_a_version_1_database_with_rooms_without_loss(void)
{
	const char		*old = tmpdb_path(), *fresh = tmpdb_path();
	struct store		*st;
	struct room_config	*got;
	sqlite3			*db;
	char			*a, *b;

	db = raw_open(old);
	EXPECT_INT(raw_exec(db, store_schema_sql), SQLITE_OK);
	EXPECT_INT(raw_exec(db, "PRAGMA user_version = 1"), SQLITE_OK);
	EXPECT_INT(raw_exec(db, "INSERT INTO rooms (name, title, members_only, "
	    "whois, max_users, presence_broadcast, subject, subject_nick, "
	    "subject_time) VALUES ('orchard', 'The Orchard', 1, 'anyone', 9, "
	    "'moderator', 'Roses', 'Juliet', 1700000000), ('square', '', 0, "
	    "'moderators', 0, 'moderator participant visitor', '', '', 0)"),
	    SQLITE_OK);
	EXPECT_INT(raw_exec(db, "INSERT INTO room_affiliations (room, jid, "
	    "affiliation, nick, reason) VALUES ('orchard', 'juliet@capulet.lit',"
	    " 'owner', 'Juliet', ''), ('orchard', 'tybalt@capulet.lit', "
	    "'outcast', NULL, 'brawling')"), SQLITE_OK);
	EXPECT((st = open_store(old)) != NULL);
	EXPECT_INT(nerrors, 0);
	EXPECT_INT(raw_int(db, "PRAGMA user_version"), store_schema_version());
	EXPECT_INT(load(st, "orchard", &got) > 0, 1);
	EXPECT_STR(got->title, "The Orchard");
	EXPECT_INT(got->members_only, 1);
	EXPECT_INT(got->whois_anyone, 1);
	EXPECT_INT(got->max_users, 9);
	EXPECT_INT(got->broadcast, BCAST_ROLE(ROLE_MODERATOR));
	EXPECT_STR(subject, "Roses");
	EXPECT_STR(subject_nick, "Juliet");
	EXPECT_INT(load(st, "square", &got) > 0, 1);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM affiliations"), 2);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM affiliations WHERE "
	    "affiliation = 'outcast' AND reason = 'brawling'"), 1);
	EXPECT(open_store(fresh) != NULL);
	a = schema_text(db);
	b = schema_text(raw_open(fresh));
	EXPECT(a != NULL && b != NULL);
	if (strcmp(a, b) != 0)
		ut_fail(__FILE__, __LINE__, "migrated schema differs:\n%s\n"
		    "new schema:\n%s", a, b);
	free(a);
	free(b);
}

struct public_walk {
	char	names[8][32];
	char	titles[8][64];
	int	n;
};

static int
collect_public(void *ud, const char *name, const char *title)
{
	struct public_walk	*w = ud;

	if (w->n == 8)
		return 1;
	snprintf(w->names[w->n], sizeof(w->names[0]), "%s", name);
	snprintf(w->titles[w->n++], sizeof(w->titles[0]), "%s", title);
	return 0;
}

/* Public rooms come a page at a time, by name, from either end, and
 * their count is kept by triggers whoever writes. */
static void
engine_store_public_rooms_are_paged_by_name_with_a_count(void)
{
	struct store		*st = open_store(NULL);
	struct room_config	*pub = cfg_new(), *hidden = cfg_new();
	struct public_walk	 w;
	int64_t			 a = 0, b = 0, c = 0;
	size_t			 n;

	EXPECT(st != NULL);
	roomconfig_set_str(&pub->title, "Verona");
	hidden->public_room = 0;
	EXPECT_INT(store_room_save(st, "verona", &a, pub), MUC_OK);
	EXPECT_INT(store_room_save(st, "crypt", &b, hidden), MUC_OK);
	EXPECT_INT(store_room_save(st, "balcony", &c, cfg_new()), MUC_OK);
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_public_page(st, NULL, 0, 10, collect_public, &w),
	    MUC_OK);
	EXPECT_INT(w.n, 2);
	EXPECT_STR(w.names[0], "balcony");
	EXPECT_STR(w.titles[0], "");
	EXPECT_STR(w.names[1], "verona");
	EXPECT_STR(w.titles[1], "Verona");
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_public_page(st, "balcony", 0, 10, collect_public, &w),
	    MUC_OK);
	EXPECT_INT(w.n, 1);
	EXPECT_STR(w.names[0], "verona");
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_public_page(st, NULL, 1, 1, collect_public, &w),
	    MUC_OK);
	EXPECT_INT(w.n, 1);
	EXPECT_STR(w.names[0], "verona");
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_public_page(st, "verona", 1, 5, collect_public, &w),
	    MUC_OK);
	EXPECT_INT(w.n, 1);
	EXPECT_STR(w.names[0], "balcony");
	EXPECT_INT(store_public_count(st, &n), MUC_OK);
	EXPECT_INT(n, 2);
	EXPECT_INT(store_room_delete(st, a), MUC_OK);
	hidden->public_room = 1;
	EXPECT_INT(store_room_save(st, "crypt", &b, hidden), MUC_OK);
	EXPECT_INT(store_public_count(st, &n), MUC_OK);
	EXPECT_INT(n, 2);
	EXPECT_INT(store_room_delete(st, b), MUC_OK);
	EXPECT_INT(store_public_count(st, &n), MUC_OK);
	EXPECT_INT(n, 1);
}

static void
engine_store_rollback_undoes_everything_since_begin(void)
{
	struct store	*st = open_store(NULL);
	int64_t		 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_begin(st), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, NULL, NULL), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "juliet@capulet.lit",
	    AFF_MEMBER, NULL, NULL), MUC_OK);
	store_rollback(st);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 0);
	EXPECT_INT(store_begin(st), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, NULL, NULL), MUC_OK);
	EXPECT_INT(store_commit(st), MUC_OK);
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 1);
	store_rollback(st);	/* outside a transaction: harmless */
	EXPECT_INT(nerrors, 0);
}

struct change_walk {
	char	rooms[8][32];
	int	n;
};

static int
collect_change(void *ud, const char *room)
{
	struct change_walk	*w = ud;

	if (w->n < 8)
		snprintf(w->rooms[w->n], sizeof(w->rooms[0]), "%s", room);
	w->n++;
	return 0;
}

static void
engine_store_changes_names_rooms_another_connection_wrote_once(void)
{
	const char		*path = tmpdb_path();
	struct store		*st = open_store(path);
	struct change_walk	 w;
	sqlite3			*db;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	db = raw_open(path);
	EXPECT_INT(raw_exec(db, "UPDATE rooms SET title = 'Verona' "
	    "WHERE name = 'orchard'"), SQLITE_OK);
	EXPECT_INT(raw_exec(db, "INSERT INTO room_affiliations (room, jid, "
	    "affiliation, reason) VALUES ('orchard', 'tybalt@capulet.lit', "
	    "'outcast', 'spam')"), SQLITE_OK);
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_changes(st, collect_change, &w), MUC_OK);
	EXPECT_INT(w.n, 2);
	EXPECT_STR(w.rooms[0], "orchard");
	EXPECT_STR(w.rooms[1], "orchard");
	/* Read rows are forgotten: the log is empty and a second call
	 * reports nothing. */
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes"), 0);
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_changes(st, collect_change, &w), MUC_OK);
	EXPECT_INT(w.n, 0);
	/* The operator's row is what a load sees. */
	nrows = 0;
	EXPECT_INT(load_affs(st, id), MUC_OK);
	EXPECT_INT(nrows, 1);
	EXPECT_INT(rows[0].aff, AFF_OUTCAST);
	EXPECT_STR(rows[0].reason, "spam");
}

static void
engine_store_own_writes_leave_the_change_log_empty(void)
{
	const char		*path = tmpdb_path();
	struct store		*st = open_store(path);
	struct change_walk	 w;
	sqlite3			*db;
	int64_t			 id = 0;

	EXPECT(st != NULL);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_unusual()), MUC_OK);
	EXPECT_INT(store_room_subject(st, id, "Fair Verona", "Romeo", 1), MUC_OK);
	EXPECT_INT(store_begin(st), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_OWNER, NULL, NULL), MUC_OK);
	EXPECT_INT(store_commit(st), MUC_OK);
	EXPECT_INT(store_affiliation_set(st, id, "romeo@montague.lit",
	    AFF_NONE, NULL, NULL), MUC_OK);
	EXPECT_INT(store_room_delete(st, id), MUC_OK);
	db = raw_open(path);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes"), 0);
	EXPECT_INT(raw_int(db, "SELECT active FROM mucd_writer"), 0);
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_changes(st, collect_change, &w), MUC_OK);
	EXPECT_INT(w.n, 0);
}

static void
engine_store_open_skips_changes_logged_while_mucd_was_down(void)
{
	const char		*path = tmpdb_path();
	struct store		*st = NULL;
	struct change_walk	 w;
	sqlite3			*db;
	int64_t			 id = 0;

	EXPECT_INT(store_open(path, &logger, &st), MUC_OK);
	EXPECT_INT(store_room_save(st, "orchard", &id, cfg_new()), MUC_OK);
	store_close(st);
	db = raw_open(path);
	EXPECT_INT(raw_exec(db, "UPDATE rooms SET title = 'Verona'"),
	    SQLITE_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes"), 1);
	EXPECT((st = open_store(path)) != NULL);
	memset(&w, 0, sizeof(w));
	EXPECT_INT(store_changes(st, collect_change, &w), MUC_OK);
	EXPECT_INT(w.n, 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_store_creates_the_schema_at_the_current_version),
	UT_CASE(engine_store_room_config_round_trips_every_field),
	UT_CASE(engine_store_room_update_overwrites_and_defaults_round_trip),
	UT_CASE(engine_store_subject_round_trips_with_its_nick),
	UT_CASE(engine_store_load_of_an_unknown_room_gives_id_0_and_leaves_cfg_alone),
	UT_CASE(engine_store_affiliations_round_trip_with_nick_and_reason),
	UT_CASE(engine_store_affiliation_set_updates_in_place_and_none_deletes),
	UT_CASE(engine_store_refuses_one_nick_reserved_for_two_jids),
	UT_CASE(engine_store_check_constraints_reject_rows_mucd_could_not_use),
	UT_CASE(engine_store_api_reports_rows_the_checks_refuse_as_estore),
	UT_CASE(engine_store_delete_removes_the_room_and_its_affiliations),
	UT_CASE(engine_store_reopened_file_keeps_rooms_and_affiliations),
	UT_CASE(engine_store_refuses_a_database_of_a_newer_schema_version),
	UT_CASE(engine_store_migrates_a_version_1_database_with_rooms_without_loss),
	UT_CASE(engine_store_public_rooms_are_paged_by_name_with_a_count),
	UT_CASE(engine_store_rollback_undoes_everything_since_begin),
	UT_CASE(engine_store_changes_names_rooms_another_connection_wrote_once),
	UT_CASE(engine_store_own_writes_leave_the_change_log_empty),
	UT_CASE(engine_store_open_skips_changes_logged_while_mucd_was_down),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
