/*
 * mucctl.c - the operator's tool: look at mucd's database and change it
 * through the same contract as plain SQL (mucctl(8)).
 *
 * It opens the database mucd uses (from mucd's configuration file or a
 * path) and runs one command.  Reading commands open it read-only.
 * Writing commands change only what operators may write (rooms,
 * room_affiliations, destroy_reasons), in one transaction each, so a
 * running mucd applies them within a second exactly as it applies any
 * operator's SQL; option values are checked against mucd's own option
 * table first, so a bad value is refused here with a clear message
 * instead of by a CHECK constraint.  mucctl never writes mucd's own
 * tables.
 *
 * Exit status: 0 done, 1 the database failed or the room does not exist,
 * 2 bad usage or a bad value.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "config.h"
#include "jid.h"
#include "roomopt.h"
#include "store.h"

#ifndef MUCD_VERSION
#define MUCD_VERSION	"unknown"
#endif

#define EX_DONE		0
#define EX_FAIL		1
#define EX_USAGE	2

struct ctl {
	sqlite3		*db;
	const char	*path;
};

static int
usage(void)
{
	fprintf(stderr,
	    "usage: mucctl [-c CONFIG | -d DATABASE] COMMAND [ARGUMENT...]\n"
	    "commands:\n"
	    "  rooms                       rooms, occupants, last activity\n"
	    "  occupants ROOM              nicks, roles and real JIDs\n"
	    "  room ROOM                   a room's options and subject\n"
	    "  create ROOM                 a persistent room (then configure)\n"
	    "  set ROOM OPTION VALUE       change one option\n"
	    "  affiliation ROOM JID AFFILIATION [REASON]\n"
	    "                              owner, admin, member, outcast, none\n"
	    "  destroy ROOM [REASON [ALTERNATE-ROOM-JID]]\n"
	    "  unused DAYS                 rooms nobody used for DAYS days\n"
	    "  stats                       counts and sizes\n");
	return EX_USAGE;
}

static int
fail_db(struct ctl *c, const char *what)
{
	fprintf(stderr, "mucctl: %s: %s: %s\n", c->path, what,
	    sqlite3_errmsg(c->db));
	return EX_FAIL;
}

/* Prepare sql or report; returns NULL after printing the error. */
static sqlite3_stmt *
prep(struct ctl *c, const char *sql)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK) {
		fail_db(c, "query");
		return NULL;
	}
	return s;
}

/* The database path: -d, else the db setting of -c's file (or of
 * /etc/mucd.conf when it exists), else mucd's default. */
static int
db_path(const char *config, const char *db, char **out)
{
	struct config	 cfg;
	char		 err[512];
	char		*argv[] = { "mucd", "-n", "--config", NULL, NULL };

	if (db != NULL)
		return (*out = strdup(db)) != NULL ? EX_DONE : EX_FAIL;
	if (config == NULL && access("/etc/mucd.conf", R_OK) == 0)
		config = "/etc/mucd.conf";
	if (config == NULL)
		return (*out = strdup("mucd.db")) != NULL ? EX_DONE : EX_FAIL;
	argv[3] = (char *)(uintptr_t)config;
	optind = 0;	/* config_load() parses its own argv with getopt */
	if (config_load(4, argv, &cfg, err, sizeof(err)) != CONFIG_OK) {
		fprintf(stderr, "mucctl: %s\n", err);
		config_free(&cfg);
		return EX_USAGE;
	}
	*out = strdup(cfg.db);
	config_free(&cfg);
	return *out != NULL ? EX_DONE : EX_FAIL;
}

/* Open the database; refuse one whose schema is not this mucctl's. */
static int
ctl_open(struct ctl *c, int write)
{
	sqlite3_stmt	*s;
	int		 version = -1;

	if (sqlite3_open_v2(c->path, &c->db, write ? SQLITE_OPEN_READWRITE :
	    SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return fail_db(c, "cannot open");
	sqlite3_busy_timeout(c->db, 5000);
	if ((s = prep(c, "PRAGMA user_version")) == NULL)
		return EX_FAIL;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version != store_schema_version()) {
		fprintf(stderr, "mucctl: %s: schema version %d, this mucctl "
		    "knows %d%s\n", c->path, version, store_schema_version(),
		    version < store_schema_version() ? ": start mucd once to "
		    "bring it forward" : ": use the mucctl of the newer mucd");
		return EX_FAIL;
	}
	if (write && sqlite3_exec(c->db, "PRAGMA foreign_keys = ON", NULL,
	    NULL, NULL) != SQLITE_OK)
		return fail_db(c, "foreign keys");
	return EX_DONE;
}

/* The prepared localpart of a room name, or NULL after a message. */
static char *
room_name(const char *arg)
{
	char	*n = jid_node_prep(arg);

	if (n == NULL)
		fprintf(stderr, "mucctl: %s is not a room name\n", arg);
	return n;
}

/* Does the stored room exist? */
static int
room_exists(struct ctl *c, const char *name)
{
	sqlite3_stmt	*s = prep(c, "SELECT 1 FROM rooms WHERE name = ?1");
	int		 found;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static const char *
when_text(int64_t t, char buf[32])
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return "never";
	strftime(buf, 32, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static int
cmd_rooms(struct ctl *c)
{
	sqlite3_stmt	*s;
	char		 buf[32];
	int		 kind;

	/* Stored rooms, and the temporary ones that have occupants. */
	s = prep(c, "SELECT r.name, coalesce(o.occupants, 0), r.last_activity, "
	    "r.public, r.members_only, r.title FROM rooms r LEFT JOIN "
	    "occupancy o ON o.room = r.name UNION ALL SELECT o.room, "
	    "o.occupants, o.updated, -1, 0, '' FROM occupancy o WHERE o.room "
	    "NOT IN (SELECT name FROM rooms) ORDER BY 1");
	if (s == NULL)
		return EX_FAIL;
	printf("%-24s %9s  %-16s  %-24s %s\n", "ROOM", "OCCUPANTS",
	    "LAST ACTIVITY", "KIND", "TITLE");
	while (sqlite3_step(s) == SQLITE_ROW) {
		kind = sqlite3_column_int(s, 3);
		printf("%-24s %9d  %-16s  %-24s %s\n",
		    (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int(s, 1),
		    when_text(sqlite3_column_int64(s, 2), buf),
		    kind < 0 ? "temporary" : sqlite3_column_int(s, 4) ?
		    (kind ? "public, members-only" : "hidden, members-only") :
		    kind ? "public" : "hidden",
		    (const char *)sqlite3_column_text(s, 5));
	}
	sqlite3_finalize(s);
	return EX_DONE;
}

/* Does the database have this table (an older mucd's may lack one)? */
static int
has_table(struct ctl *c, const char *name)
{
	sqlite3_stmt	*s = prep(c, "SELECT 1 FROM sqlite_master WHERE "
	    "type IN ('table', 'view') AND name = ?1");
	int		 found;

	if (s == NULL)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static int
cmd_occupants(struct ctl *c, const char *name)
{
	sqlite3_stmt	*s;

	if (!has_table(c, "room_occupants")) {
		fprintf(stderr, "mucctl: %s has no occupants table\n", c->path);
		return EX_FAIL;
	}
	if ((s = prep(c, "SELECT nick, role, affiliation, jid FROM "
	    "room_occupants WHERE room = ?1 ORDER BY nick, jid")) == NULL)
		return EX_FAIL;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	printf("%-24s %-12s %-12s %s\n", "NICK", "ROLE", "AFFILIATION",
	    "REAL JID");
	while (sqlite3_step(s) == SQLITE_ROW)
		printf("%-24s %-12s %-12s %s\n",
		    (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    (const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	return EX_DONE;
}

/* The option an argument names: its column, or its form var with or
 * without the muc#roomconfig_ prefix.  NULL when none is stored. */
static const struct roomopt *
option_named(const char *arg)
{
	const struct roomopt	*o;
	const char		*bare;

	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->column == NULL)
			continue;
		bare = strchr(o->var, '_') != NULL ? strchr(o->var, '_') + 1 :
		    o->var;
		if (strcmp(arg, o->column) == 0 || strcmp(arg, o->var) == 0 ||
		    strcmp(arg, bare) == 0)
			return o;
	}
	return NULL;
}

static int
cmd_room(struct ctl *c, const char *name)
{
	const struct roomopt	*o;
	sqlite3_stmt		*s;
	char			*sql = roomopt_sql(ROPT_SQL_LOAD);
	int			 col = 4;

	if (sql == NULL || (s = prep(c, sql)) == NULL) {
		free(sql);
		return EX_FAIL;
	}
	free(sql);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		fprintf(stderr, "mucctl: no stored room %s\n", name);
		return EX_FAIL;
	}
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->column == NULL)
			continue;
		/* The password is there for anyone with the file; it need
		 * not be on a screen. */
		if (o->type == ROPT_SECRET)
			printf("%-20s %s\n", o->column,
			    *sqlite3_column_text(s, col) ? "(set)" : "(none)");
		else
			printf("%-20s %s\n", o->column,
			    (const char *)sqlite3_column_text(s, col));
		col++;
	}
	printf("%-20s %s\n", "subject", (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	return EX_DONE;
}

/* Check value for o as mucd would load it; the text to store, or NULL
 * after a message. */
static const char *
option_value(const struct roomopt *o, const char *value, char *buf,
    size_t len)
{
	struct room_config	 cfg;
	char			*end;
	long			 n;
	int			 rc;

	if (roomconfig_init(&cfg) != 0)
		return NULL;
	if (roomopt_db_is_int(o)) {
		n = strcmp(value, "true") == 0 ? 1 : strcmp(value, "false") == 0 ?
		    0 : strtol(value, &end, 10);
		rc = (strcmp(value, "true") == 0 || strcmp(value, "false") == 0 ||
		    (*value != '\0' && *end == '\0')) ?
		    roomopt_db_set_int(o, &cfg, n) : ROPT_BAD;
		snprintf(buf, len, "%ld", n);
	} else {
		char	tmp[128];

		rc = roomopt_db_set_text(o, &cfg, value);
		snprintf(buf, len, "%s", roomopt_db_text(o, &cfg, tmp,
		    sizeof(tmp)));
	}
	roomconfig_free(&cfg);
	if (rc != ROPT_OK) {
		fprintf(stderr, "mucctl: %s: \"%s\" is not a value it takes\n",
		    o->column, value);
		return NULL;
	}
	return buf;
}

/* Run one statement with n text parameters (NULL: SQL NULL); the number
 * of rows it changed, or -1 after a message. */
static int
exec_sql(struct ctl *c, const char *sql, int n, ...)
{
	sqlite3_stmt	*s = prep(c, sql);
	va_list		 ap;
	const char	*v;
	int		 i, rc;

	if (s == NULL)
		return -1;
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		v = va_arg(ap, const char *);
		if (v != NULL)
			sqlite3_bind_text(s, i + 1, v, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		fail_db(c, "refused");
		return -1;
	}
	return sqlite3_changes(c->db);
}

static int
cmd_create(struct ctl *c, const char *name)
{
	if (exec_sql(c, "INSERT INTO rooms (name) VALUES (?1)", 1, name) < 0)
		return EX_FAIL;
	printf("created %s\n", name);
	return EX_DONE;
}

static int
cmd_set(struct ctl *c, const char *name, const char *option,
    const char *value)
{
	const struct roomopt	*o = option_named(option);
	char			 sql[128], buf[128];
	const char		*v;
	int			 n;

	if (o == NULL) {
		fprintf(stderr, "mucctl: no room option %s (mucctl room ROOM "
		    "lists them)\n", option);
		return EX_USAGE;
	}
	if ((v = option_value(o, value, buf, sizeof(buf))) == NULL)
		return EX_USAGE;
	/* The column comes from mucd's table, never from the argument. */
	snprintf(sql, sizeof(sql), "UPDATE rooms SET %s = ?1 WHERE name = ?2",
	    o->column);
	if ((n = exec_sql(c, sql, 2, v, name)) < 0)
		return EX_FAIL;
	if (n == 0) {
		fprintf(stderr, "mucctl: no stored room %s\n", name);
		return EX_FAIL;
	}
	return EX_DONE;
}

static int
cmd_affiliation(struct ctl *c, const char *name, const char *jid,
    const char *aff, const char *reason)
{
	char	*bare = jid_bare_prep(jid);
	int	 a = affiliation_parse(aff), n;

	if (bare == NULL || a < 0) {
		fprintf(stderr, "mucctl: %s\n", bare == NULL ?
		    "the JID is not a JID" : "the affiliation is owner, admin, "
		    "member, outcast or none");
		free(bare);
		return EX_USAGE;
	}
	if (room_exists(c, name) != 1) {
		fprintf(stderr, "mucctl: no stored room %s\n", name);
		free(bare);
		return EX_FAIL;
	}
	if (a == AFF_NONE)
		n = exec_sql(c, "DELETE FROM room_affiliations WHERE room = ?1 "
		    "AND jid = ?2", 2, name, bare);
	else
		n = exec_sql(c, "INSERT INTO room_affiliations (room, jid, "
		    "affiliation, reason) VALUES (?1, ?2, ?3, coalesce(?4, ''))",
		    4, name, bare, aff, reason);
	free(bare);
	return n < 0 ? EX_FAIL : EX_DONE;
}

static int
cmd_destroy(struct ctl *c, const char *name, const char *reason,
    const char *alternate)
{
	char	*alt = NULL;
	int	 n = 0;

	if (alternate != NULL && (alt = jid_bare_prep(alternate)) == NULL) {
		fprintf(stderr, "mucctl: %s is not a JID\n", alternate);
		return EX_USAGE;
	}
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		free(alt);
		return fail_db(c, "begin");
	}
	if (reason != NULL)
		n = exec_sql(c, "INSERT OR REPLACE INTO destroy_reasons (room, "
		    "reason, alternate) VALUES (?1, ?2, ?3)", 3, name, reason,
		    alt);
	if (n >= 0)
		n = exec_sql(c, "DELETE FROM rooms WHERE name = ?1", 1, name);
	free(alt);
	if (n <= 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		if (n == 0)
			fprintf(stderr, "mucctl: no stored room %s\n", name);
		return EX_FAIL;
	}
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail_db(c, "commit");
	printf("destroyed %s\n", name);
	return EX_DONE;
}

static int
cmd_unused(struct ctl *c, const char *days_arg)
{
	sqlite3_stmt	*s;
	char		*end, buf[32];
	long		 days = strtol(days_arg, &end, 10);

	if (*days_arg == '\0' || *end != '\0' || days < 0 || days > 100000) {
		fprintf(stderr, "mucctl: DAYS is a number of days\n");
		return EX_USAGE;
	}
	if ((s = prep(c, "SELECT name, max(last_activity, created) AS used "
	    "FROM rooms WHERE used < strftime('%s', 'now') - ?1 * 86400 AND "
	    "name NOT IN (SELECT room FROM occupancy) ORDER BY used, name")) ==
	    NULL)
		return EX_FAIL;
	sqlite3_bind_int64(s, 1, days);
	printf("%-24s %s\n", "ROOM", "LAST USED");
	while (sqlite3_step(s) == SQLITE_ROW)
		printf("%-24s %s\n", (const char *)sqlite3_column_text(s, 0),
		    when_text(sqlite3_column_int64(s, 1), buf));
	sqlite3_finalize(s);
	return EX_DONE;
}

/* Print one counting query's answer under a label. */
static void
stat_line(struct ctl *c, const char *label, const char *sql)
{
	sqlite3_stmt	*s = prep(c, sql);

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		printf("%-28s %lld\n", label,
		    (long long)sqlite3_column_int64(s, 0));
	if (s != NULL)
		sqlite3_finalize(s);
}

static int
cmd_stats(struct ctl *c)
{
	printf("%-28s %d\n", "schema version", store_schema_version());
	stat_line(c, "stored rooms", "SELECT count(*) FROM rooms");
	stat_line(c, "rooms with occupants", "SELECT count(*) FROM occupancy");
	stat_line(c, "occupants", "SELECT coalesce(sum(occupants), 0) FROM "
	    "occupancy");
	stat_line(c, "owners", "SELECT count(*) FROM affiliations WHERE "
	    "affiliation = 'owner'");
	stat_line(c, "admins", "SELECT count(*) FROM affiliations WHERE "
	    "affiliation = 'admin'");
	stat_line(c, "members", "SELECT count(*) FROM affiliations WHERE "
	    "affiliation = 'member'");
	stat_line(c, "outcasts", "SELECT count(*) FROM affiliations WHERE "
	    "affiliation = 'outcast'");
	if (has_table(c, "archive"))
		stat_line(c, "archived messages", "SELECT count(*) FROM archive");
	stat_line(c, "database bytes", "SELECT page_count * page_size FROM "
	    "pragma_page_count, pragma_page_size");
	return EX_DONE;
}

/* Run command argv[0] with its arguments. */
static int
run(struct ctl *c, int argc, char **argv)
{
	static const struct { const char *name; int min, max, write; } cmds[] = {
		{ "rooms", 0, 0, 0 }, { "occupants", 1, 1, 0 },
		{ "room", 1, 1, 0 }, { "create", 1, 1, 1 }, { "set", 3, 3, 1 },
		{ "affiliation", 3, 4, 1 }, { "destroy", 1, 3, 1 },
		{ "unused", 1, 1, 0 }, { "stats", 0, 0, 0 },
	};
	char	*name = NULL;
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]) || argc - 1 < cmds[i].min ||
	    argc - 1 > cmds[i].max)
		return usage();
	if (cmds[i].min > 0 && strcmp(argv[0], "unused") != 0 &&
	    (name = room_name(argv[1])) == NULL)
		return EX_USAGE;
	if ((rc = ctl_open(c, cmds[i].write)) != EX_DONE) {
		free(name);
		return rc;
	}
	switch (i) {
	case 0:	rc = cmd_rooms(c); break;
	case 1:	rc = cmd_occupants(c, name); break;
	case 2:	rc = cmd_room(c, name); break;
	case 3:	rc = cmd_create(c, name); break;
	case 4:	rc = cmd_set(c, name, argv[2], argv[3]); break;
	case 5:	rc = cmd_affiliation(c, name, argv[2], argv[3],
		    argc > 4 ? argv[4] : NULL); break;
	case 6:	rc = cmd_destroy(c, name, argc > 2 ? argv[2] : NULL,
		    argc > 3 ? argv[3] : NULL); break;
	case 7:	rc = cmd_unused(c, argv[1]); break;
	default: rc = cmd_stats(c); break;
	}
	free(name);
	return rc;
}

int
main(int argc, char **argv)
{
	struct ctl	 c = { NULL, NULL };
	const char	*config = NULL, *db = NULL;
	char		*path = NULL;
	int		 ch, rc, first;

	if (argc == 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("mucctl %s (schema version %d)\n", MUCD_VERSION,
		    store_schema_version());
		return EX_DONE;
	}
	while ((ch = getopt(argc, argv, "+c:d:h")) != -1)
		switch (ch) {
		case 'c': config = optarg; break;
		case 'd': db = optarg; break;
		default: return usage();
		}
	if ((first = optind) >= argc)
		return usage();
	if ((rc = db_path(config, db, &path)) != EX_DONE)	/* moves optind */
		return rc;
	c.path = path;
	rc = run(&c, argc - first, argv + first);
	sqlite3_close(c.db);
	free(path);
	return rc;
}
