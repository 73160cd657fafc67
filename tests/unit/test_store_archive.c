/*
 * test_store_archive.c - the archive in the store (lib/store_archive.c):
 * the writer thread of a database file and the inline writes of a memory
 * one, the reserved message numbers, reads, queries with each filter and
 * page, tombstones, expiry, a locked database, and the operator's
 * deletes in the change log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "roomconfig.h"
#include "store.h"
#include "unit.h"

static int	nwarnings;

static void
count_log(void *ud, enum muc_log_level level, const char *area,
    const char *fmt, va_list ap)
{
	(void)ud;
	(void)area;
	if (level >= MUC_LOG_WARN)
		nwarnings++;
	if (getenv("MUCD_TEST_LOG") != NULL) {
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

/* A database file path under /tmp, removed when the case ends. */
static const char *
tmpdb_path(void)
{
	struct tmpdb	*t = calloc(1, sizeof(*t));
	int		 fd;

	if (t == NULL)
		abort();
	snprintf(t->path, sizeof(t->path), "/tmp/mucd-test-archive-XXXXXX");
	if ((fd = mkstemp(t->path)) < 0)
		abort();
	close(fd);
	unlink(t->path);
	ut_defer(tmpdb_remove, t);
	return t->path;
}

static void
store_closer(void *arg)
{
	store_close(arg);
}

static void
db_closer(void *arg)
{
	sqlite3_close(arg);
}

/* Rooms 1 ("one") and 2 ("two"), for rows to belong to. */
static void
make_rooms(struct store *st)
{
	struct room_config	cfg;
	int64_t			id1 = 0, id2 = 0;

	if (roomconfig_init(&cfg) != 0 ||
	    store_room_save(st, "one", &id1, &cfg) != MUC_OK ||
	    store_room_save(st, "two", &id2, &cfg) != MUC_OK ||
	    id1 != 1 || id2 != 2)
		abort();
	roomconfig_free(&cfg);
}

/* The store at path (NULL: memory), closed when the case ends, with
 * its two rooms; *raw (may be NULL for memory) the file opened with
 * plain SQLite. */
static struct store *
open_store(const char *path, sqlite3 **raw)
{
	struct store		*st = NULL;
	sqlite3			*db;

	nwarnings = 0;
	if (store_open(path != NULL ? path : ":memory:", &logger, &st) !=
	    MUC_OK)
		abort();
	ut_defer(store_closer, st);
	make_rooms(st);
	if (path == NULL) {
		if (raw != NULL)
			*raw = NULL;
		return st;
	}
	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	sqlite3_busy_timeout(db, 2000);
	ut_defer(db_closer, db);
	*raw = db;
	return st;
}

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

/* Hand over message id of room, from nick at time at, saying text. */
static int
add(struct store *st, int64_t id, int64_t room, int64_t at, const char *nick,
    const char *text)
{
	struct archive_row	r;
	char			xml[256], sender[64];

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.room_id = room;
	r.at = at;
	snprintf(xml, sizeof(xml), "<message from='x@c/%s' type='groupchat'>"
	    "<body>%s</body></message>", nick, text);
	snprintf(sender, sizeof(sender), "%s@localhost", nick);
	if (archive_row_strings(&r, nick, sender, "sid", xml) != MUC_OK)
		return MUC_ENOMEM;
	return store_archive_append(st, &r, 1);
}

/* What a read saw: ids in order. */
struct seen {
	int64_t	id[64];
	size_t	n;
};

static int
seen_row(void *ud, const struct archive_row *r)
{
	struct seen	*s = ud;

	if (s->n < 64)
		s->id[s->n++] = r->id;
	return 0;
}

/* A query of room 1 with page size max; other fields zero. */
static struct archive_query
query(long max)
{
	struct archive_query	q;

	memset(&q, 0, sizeof(q));
	q.room_id = 1;
	q.max = max;
	q.count_max = 1000;
	return q;
}

/* A database file gets a writer thread: what is handed over is written
 * by it, once flushed, and is there after reopening; rows of a room that
 * is gone are dropped, not written. */
static void
engine_store_archive_writer_thread_writes_what_is_handed_over(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;
	struct store	*st;
	struct seen	 s = { { 0 }, 0 };

	EXPECT_INT(store_open(path, &logger, &st), MUC_OK);
	make_rooms(st);
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	ut_defer(db_closer, db);
	EXPECT_INT(add(st, 10, 1, 100, "romeo", "a"), MUC_OK);
	EXPECT_INT(add(st, 11, 1, 101, "juliet", "b"), MUC_OK);
	EXPECT_INT(add(st, 12, 3, 101, "juliet", "no room 3"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM archive"), 2);
	EXPECT_INT(store_archive_recent(st, 1, 10, seen_row, &s), MUC_OK);
	EXPECT_INT(s.n, 2);
	EXPECT_INT(s.id[0], 11);		/* newest first */
	/* Closing writes what is still queued. */
	EXPECT_INT(add(st, 13, 2, 102, "romeo", "c"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 0), MUC_OK);
	EXPECT_INT(add(st, 14, 2, 103, "romeo", "d"), MUC_OK);
	store_close(st);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM archive WHERE "
	    "room_id = 2"), 2);
	EXPECT_INT(store_open(path, &logger, &st), MUC_OK);
	ut_defer(store_closer, st);
	s.n = 0;
	EXPECT_INT(store_archive_recent(st, 2, 1, seen_row, &s), MUC_OK);
	EXPECT_INT(s.n, 1);
	EXPECT_INT(s.id[0], 14);
	EXPECT_INT(nwarnings, 0);
}

/* Numbers are reserved in blocks: a second reservation, as after a
 * restart, starts past the first block, never inside it; the key stays. */
static void
engine_store_archive_numbers_are_reserved_and_never_given_twice(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;
	struct store	*st = open_store(path, &db);
	unsigned char	 k1[16], k2[16];
	int64_t		 a, b;

	EXPECT_INT(store_archive_reserve(st, k1, 100, &a), MUC_OK);
	EXPECT_INT(store_archive_reserve(st, k2, 100, &b), MUC_OK);
	EXPECT_INT(b, a + 100);
	EXPECT(memcmp(k1, k2, 16) == 0);
	EXPECT_INT(raw_int(db, "SELECT next_id FROM archive_state"), a + 200);
	EXPECT(raw_int(db, "SELECT count(DISTINCT key) FROM archive_state") ==
	    1);
}

/* Pages go forward or back from an id, the set shrinks with the ids,
 * times, nick or sender asked, and count and index are of the set. */
static void
engine_store_archive_query_pages_and_filters_the_set(void)
{
	struct store		*st = open_store(NULL, NULL);
	struct archive_query	 q;
	struct archive_page	 p;
	struct seen		 s;
	static const char *const who[] = { "romeo", "juliet" };
	int64_t			 i, ids[2] = { 3, 5 };

	for (i = 1; i <= 8; i++)	/* ids 1..8 at times 101..108 */
		EXPECT_INT(add(st, i, 1, 100 + i, who[i % 2], "x"), MUC_OK);
	EXPECT_INT(add(st, 9, 2, 109, "romeo", "room 2"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);

	q = query(3);
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 3);
	EXPECT_INT(s.id[0], 1);
	EXPECT_INT(p.more, 1);
	EXPECT_INT(p.count, 8);
	EXPECT_INT(p.index, 0);

	q.page_after = 6;		/* forward from 6: 7 8, the end */
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 2);
	EXPECT_INT(s.id[1], 8);
	EXPECT_INT(p.more, 0);
	EXPECT_INT(p.index, 6);

	q = query(3);			/* the last page, backward: 8 7 6 */
	q.backward = 1;
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 3);
	EXPECT_INT(s.id[0], 8);
	EXPECT_INT(p.index, 5);
	q.page_before = 3;		/* back from 3: 2 1, the start */
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 2);
	EXPECT_INT(p.more, 0);

	q = query(10);			/* times 103..106, romeo's: 4 6 */
	q.start = 103;
	q.end = 106;
	q.nick = "romeo";
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 2);
	EXPECT_INT(s.id[0], 4);
	EXPECT_INT(s.id[1], 6);
	EXPECT_INT(p.count, 2);

	q = query(10);			/* juliet by her JID, after 1, before 7 */
	q.sender = "juliet@localhost";
	q.after = 1;
	q.before = 7;
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 2);
	EXPECT_INT(s.id[0], 3);
	EXPECT_INT(s.id[1], 5);

	q = query(10);			/* by ids, and from an offset */
	q.ids = ids;
	q.nids = 2;
	q.offset = 1;
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 1);
	EXPECT_INT(s.id[0], 5);
	EXPECT_INT(p.count, 2);
	EXPECT_INT(p.index, 1);
}

/* A set larger than count_max has no count and no index; max 0 reads no
 * row but says whether there are any. */
static void
engine_store_archive_query_counts_only_small_sets(void)
{
	struct store		*st = open_store(NULL, NULL);
	struct archive_query	 q;
	struct archive_page	 p;
	struct seen		 s;
	int64_t			 i;

	for (i = 1; i <= 20; i++)
		EXPECT_INT(add(st, i, 1, 100 + i, "romeo", "x"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	q = query(5);
	q.count_max = 10;
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 5);
	EXPECT_INT(p.count, -1);
	EXPECT_INT(p.index, -1);
	q = query(0);
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 0);
	EXPECT_INT(p.more, 1);
	EXPECT_INT(p.count, 20);
	q.start = 500;			/* after every message */
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(p.more, 0);
	EXPECT_INT(p.count, 0);
}

/* A tombstone replaces the stanza and notes the retraction. */
static void
engine_store_archive_tombstone_replaces_the_stanza(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;
	struct store	*st = open_store(path, &db);

	EXPECT_INT(add(st, 5, 1, 100, "romeo", "secret"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	EXPECT_INT(store_archive_tombstone(st, 1, 5, "<message><retracted/>"
	    "</message>", 200, "x@c/mod", "spam"), MUC_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM archive WHERE id = 5 AND "
	    "stanza NOT LIKE '%secret%' AND retracted_at = 200 AND "
	    "retracted_by = 'x@c/mod' AND retract_reason = 'spam'"), 1);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes"), 0);
}

/* Expiry deletes what is older than asked and beyond a room's newest
 * max_count, within its budget, and says when it stopped at it. */
static void
engine_store_archive_expiry_deletes_old_and_surplus_rows(void)
{
	struct store		*st = open_store(NULL, NULL);
	struct archive_report	 rep;
	struct seen		 s;
	int64_t			 i, rooms[1] = { 2 };

	for (i = 1; i <= 10; i++)	/* room 1: 1..10, times 101..110 */
		EXPECT_INT(add(st, i, 1, 100 + i, "romeo", "x"), MUC_OK);
	for (i = 11; i <= 20; i++)	/* room 2: 11..20, times 111..120 */
		EXPECT_INT(add(st, i, 2, 100 + i, "romeo", "x"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	store_archive_report(st, &rep);
	EXPECT_INT(rep.written, 20);
	/* Older than 104 (three rows), then room 2 down to 4 rows, with a
	 * budget of 5: three by age and two by count. */
	EXPECT_INT(store_archive_expire(st, 104, 4, rooms, 1, 5), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	store_archive_report(st, &rep);
	EXPECT_INT(rep.expired, 5);
	EXPECT_INT(rep.expiry_more, 1);
	EXPECT_INT(rep.expiry_runs, 1);
	EXPECT_INT(store_archive_expire(st, 104, 4, rooms, 1, 100), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	store_archive_report(st, &rep);
	EXPECT_INT(rep.expired, 4);
	EXPECT_INT(rep.expiry_more, 0);
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_recent(st, 1, 100, seen_row, &s), MUC_OK);
	EXPECT_INT(s.n, 7);			/* 4..10 */
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_recent(st, 2, 100, seen_row, &s), MUC_OK);
	EXPECT_INT(s.n, 4);			/* 17..20 */
	EXPECT_INT(s.id[3], 17);
}

/* While another connection holds the write lock, the writer keeps its
 * batch (nothing is lost), a flush that waits says MUC_EBUSY once the
 * writer met the lock, and so does a tombstone; reads go on (WAL).  Once
 * the lock is gone the next flush writes the batch. */
static void
engine_store_archive_locked_database_is_busy_not_lost(void)
{
	const char		*path = tmpdb_path();
	sqlite3			*db;
	struct store		*st = open_store(path, &db);
	struct archive_query	 q = query(5);
	struct archive_page	 p;
	struct archive_report	 rep;
	struct seen		 s = { { 0 }, 0 };

	EXPECT_INT(add(st, 1, 1, 100, "romeo", "first"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	EXPECT(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK);
	EXPECT_INT(add(st, 2, 1, 101, "romeo", "waits"), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_EBUSY);
	EXPECT_INT(store_archive_flush(st, 1), MUC_EBUSY);	/* no wait now */
	EXPECT_INT(store_archive_tombstone(st, 1, 1, "<message/>", 102, "",
	    NULL), MUC_EBUSY);
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 1);
	store_archive_report(st, &rep);
	EXPECT_INT(rep.lost, 0);
	EXPECT(strstr(rep.error, "locked") != NULL);
	EXPECT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	EXPECT_INT(store_archive_flush(st, 0), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	memset(&s, 0, sizeof(s));
	EXPECT_INT(store_archive_query(st, &q, seen_row, &s, &p), MUC_OK);
	EXPECT_INT(s.n, 2);
}

/* An operator's delete names the room in the change log, once however
 * many rows go; mucd's own deletes (expiry, destruction) do not. */
static void
engine_store_archive_operator_delete_is_logged_once_per_room(void)
{
	const char	*path = tmpdb_path();
	sqlite3		*db;
	struct store	*st = open_store(path, &db);
	int64_t		 i;

	for (i = 1; i <= 6; i++)
		EXPECT_INT(add(st, i, 1, 100 + i, "romeo", "x"), MUC_OK);
	EXPECT_INT(store_archive_expire(st, 102, 0, NULL, 0, 10), MUC_OK);
	EXPECT_INT(store_archive_flush(st, 1), MUC_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM archive"), 5);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes"), 0);
	EXPECT(sqlite3_exec(db, "DELETE FROM archive WHERE id > 3", NULL, NULL,
	    NULL) == SQLITE_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM changes WHERE room = "
	    "'one'"), 1);
	/* The room goes, and its archive with it, also with foreign keys
	 * off (the sqlite3 shell's default). */
	EXPECT(sqlite3_exec(db, "PRAGMA foreign_keys = OFF; DELETE FROM rooms "
	    "WHERE id = 1", NULL, NULL, NULL) == SQLITE_OK);
	EXPECT_INT(raw_int(db, "SELECT count(*) FROM archive"), 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_store_archive_writer_thread_writes_what_is_handed_over),
	UT_CASE(engine_store_archive_numbers_are_reserved_and_never_given_twice),
	UT_CASE(engine_store_archive_query_pages_and_filters_the_set),
	UT_CASE(engine_store_archive_query_counts_only_small_sets),
	UT_CASE(engine_store_archive_tombstone_replaces_the_stanza),
	UT_CASE(engine_store_archive_expiry_deletes_old_and_surplus_rows),
	UT_CASE(engine_store_archive_locked_database_is_busy_not_lost),
	UT_CASE(engine_store_archive_operator_delete_is_logged_once_per_room),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
