/*
 * bench_archive.c - what the archive costs: fan-out with archiving on
 * against off in the same run, query time on a large archive, and the
 * database's size per message.
 *
 * 1. Fan-out.  One service on a database file (so the store's writer
 *    thread runs, as in mucd) with two persistent rooms of N occupants,
 *    one archiving and one not, takes the same messages in alternating
 *    rounds: muc_handle() and the rendering of every copy (as
 *    bench-fanout measures it), and muc_tick() every TICK_EVERY
 *    messages, which hands the queue to the writer (the message parsed
 *    once, as bench-fanout does).  Printed: the main
 *    loop's CPU time per message for each room and their ratio, the
 *    writer thread's CPU time per archived message (spent on the other
 *    core) and the database bytes per archived message.
 * 2. Queries.  A room's archive is filled with M messages (default
 *    1,000,000) by plain SQL in the engine's row format, then the engine
 *    answers MAM queries: the last page (<before/>), a page from the
 *    middle (<after/> the middle id), and the last page of a time range
 *    small enough to count.  Printed: the median wall time of each, and
 *    the database bytes per message with all indexes.
 *
 * usage: bench-archive [N [M]]   (defaults 100 and 1000000)
 * A benchmark, not a test: it asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "muc.h"
#include "sid.h"
#include "store.h"

#define ROUNDS		40
#define PER_ROUND	100	/* messages per room per round */
#define TICK_EVERY	50	/* messages between ticks */
#define QUERIES		21
#define DOMAIN		"conference.localhost"

struct bench {
	xmpp_ctx_t		*ctx;
	struct store		*st;
	struct muc_service	*svc;
	struct muc_out		*out;
	char			 path[64];
};

static double
clock_ns(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void
sink(void *ud, const char *text, size_t len)
{
	(void)ud;
	(void)text;
	(void)len;
}

/* Hand xml to the engine, render what it sends, forget it. */
static void
feed(struct bench *b, const char *xml)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(b->ctx, xml);
	size_t		 i;

	if (s == NULL || muc_handle(b->svc, s, b->out) != MUC_OK) {
		fprintf(stderr, "bench: engine refused %s\n", xml);
		exit(1);
	}
	xmpp_stanza_release(s);
	for (i = 0; i < muc_out_count(b->out); i++)
		muc_out_render(b->out, i, sink, NULL);
	muc_out_clear(b->out);
}

static void
bench_open(struct bench *b, const char *path)
{
	struct muc_service_config	cfg = { .domain = DOMAIN };

	b->ctx = xmpp_ctx_new(NULL, NULL);
	b->out = muc_out_new(b->ctx);
	if (b->ctx == NULL || b->out == NULL ||
	    store_open(path, NULL, &b->st) != MUC_OK ||
	    muc_service_new(b->ctx, &cfg, b->st, NULL, &b->svc) != MUC_OK) {
		fprintf(stderr, "bench: cannot open %s\n", path);
		exit(1);
	}
}

static void
bench_close(struct bench *b)
{
	muc_out_free(b->out);
	muc_service_free(b->svc);
	store_close(b->st);	/* writes what is queued, stops the writer */
	xmpp_ctx_free(b->ctx);
}

/* room, persistent, archiving or not, with n occupants. */
static void
make_room(struct bench *b, const char *room, int archive, int n)
{
	char	xml[768];
	int	k;

	snprintf(xml, sizeof(xml), "<presence from='owner@localhost/r' "
	    "to='%s@" DOMAIN "/owner'/>", room);
	feed(b, xml);
	snprintf(xml, sizeof(xml), "<iq type='set' id='c' from='owner@"
	    "localhost/r' to='%s@" DOMAIN "'><query xmlns='http://jabber.org/"
	    "protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>"
	    "<field var='FORM_TYPE'><value>http://jabber.org/protocol/"
	    "muc#roomconfig</value></field><field var='muc#roomconfig_"
	    "persistentroom'><value>1</value></field><field var='muc#"
	    "roomconfig_enablearchiving'><value>%d</value></field></x>"
	    "</query></iq>", room, archive);
	feed(b, xml);
	for (k = 1; k < n; k++) {
		snprintf(xml, sizeof(xml), "<presence from='user%d@localhost/"
		    "phone' to='%s@" DOMAIN "/user%d'><show>chat</show>"
		    "</presence>", k, room, k);
		feed(b, xml);
	}
}

/* The database's bytes in use (pages not free). */
static double
db_bytes(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	double		 v = 0;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT (page_count - freelist_count) * "
	    "page_size FROM pragma_page_count, pragma_freelist_count, "
	    "pragma_page_size", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_double(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* One round: PER_ROUND messages msg (parsed once, as bench-fanout
 * does: parsing is the connection's work, not the engine's).  Returns
 * the main thread's CPU ns. */
static double
round_of(struct bench *b, xmpp_stanza_t *msg, int *sent)
{
	double	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	size_t	k;
	int	i;

	for (i = 0; i < PER_ROUND; i++) {
		if (muc_handle(b->svc, msg, b->out) != MUC_OK)
			exit(1);
		for (k = 0; k < muc_out_count(b->out); k++)
			muc_out_render(b->out, k, sink, NULL);
		muc_out_clear(b->out);
		if (++*sent % TICK_EVERY == 0 && muc_tick(b->svc, b->out) !=
		    MUC_OK)
			exit(1);
		muc_out_clear(b->out);
	}
	return clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0;
}

static xmpp_stanza_t *
message_to(struct bench *b, const char *room)
{
	char	xml[512];

	snprintf(xml, sizeof(xml), "<message type='groupchat' from='owner@"
	    "localhost/r' to='%s@" DOMAIN "' id='m1'><body>The quick brown "
	    "fox jumps over the lazy dog.</body></message>", room);
	return xmpp_stanza_new_from_string(b->ctx, xml);
}

static void
bench_fanout(int n)
{
	struct bench	b;
	xmpp_stanza_t	*m_on, *m_off;
	double		on = 0, off = 0, proc0, main0, writer, before;
	int		r, sent = 0;

	snprintf(b.path, sizeof(b.path), "/tmp/mucd-bench-fanout-%d.db",
	    (int)getpid());
	unlink(b.path);
	bench_open(&b, b.path);
	make_room(&b, "on", 1, n);
	make_room(&b, "off", 0, n);
	(void)muc_tick(b.svc, b.out);
	muc_out_clear(b.out);
	m_on = message_to(&b, "on");
	m_off = message_to(&b, "off");
	before = db_bytes(b.path);
	proc0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	main0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	/* Alternating, and each first half the time, so that neither
	 * gains from the other's cache or the writer's work spilling over. */
	for (r = 0; r < ROUNDS; r++) {
		if (r % 2 == 0)
			on += round_of(&b, m_on, &sent);
		off += round_of(&b, m_off, &sent);
		if (r % 2 == 1)
			on += round_of(&b, m_on, &sent);
	}
	xmpp_stanza_release(m_on);
	xmpp_stanza_release(m_off);
	bench_close(&b);	/* the writer finishes */
	writer = (clock_ns(CLOCK_PROCESS_CPUTIME_ID) - proc0) -
	    (clock_ns(CLOCK_THREAD_CPUTIME_ID) - main0);
	printf("fan-out to %d occupants, %d messages per room:\n", n,
	    ROUNDS * PER_ROUND);
	printf("  main loop: archiving off %8.0f ns/message, on %8.0f "
	    "(%+.1f %%)\n", off / (ROUNDS * PER_ROUND),
	    on / (ROUNDS * PER_ROUND), 100.0 * (on - off) / off);
	printf("  writer thread: %6.0f ns CPU per archived message, off the "
	    "main loop (%.1f %% of fan-out with it)\n",
	    writer / (ROUNDS * PER_ROUND), 100.0 * (on + writer - off) / off);
	printf("  database: %.0f bytes per archived message\n",
	    (db_bytes(b.path) - before) / (ROUNDS * PER_ROUND));
	unlink(b.path);
}

/* Fill room_id's archive with m rows as the engine writes them, numbered
 * from first, one a second back from now.  Returns the next number. */
static int64_t
fill(const char *path, int64_t room_id, int64_t first, long m)
{
	sqlite3		*db;
	sqlite3_stmt	*s, *k;
	struct sid_key	 key;
	char		 sid[SID_LEN], xml[512], nick[32], jid[64];
	int64_t		 now = (int64_t)time(NULL), n;
	long		 i;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT key FROM archive_state", -1, &k,
	    NULL) != SQLITE_OK || sqlite3_step(k) != SQLITE_ROW) {
		fprintf(stderr, "bench: %s has no archive key\n", path);
		exit(1);
	}
	sid_key_from_bytes(&key, sqlite3_column_blob(k, 0));
	sqlite3_finalize(k);
	sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO archive (id, room_id, at, nick, "
	    "sender, stanza_id, stanza) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	    -1, &s, NULL);
	for (i = 0; i < m; i++) {
		n = first + i;
		sid_format(&key, n, sid);
		snprintf(nick, sizeof(nick), "user%ld", i % 50);
		snprintf(jid, sizeof(jid), "user%ld@localhost", i % 50);
		snprintf(xml, sizeof(xml), "<message id=\"m%ld\" xml:lang=\"en\" "
		    "type=\"groupchat\" from=\"big@" DOMAIN "/%s\"><body>Message "
		    "%ld of the archive, about as long as a chat line.</body>"
		    "<stanza-id xmlns=\"urn:xmpp:sid:0\" by=\"big@" DOMAIN "\" "
		    "id=\"%s\"/></message>", i, nick, i, sid);
		sqlite3_bind_int64(s, 1, n);
		sqlite3_bind_int64(s, 2, room_id);
		sqlite3_bind_int64(s, 3, now - m + i);
		sqlite3_bind_text(s, 4, nick, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, jid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, sid, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, xml, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			fprintf(stderr, "bench: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	snprintf(xml, sizeof(xml), "UPDATE archive_state SET next_id = %lld; "
	    "PRAGMA wal_checkpoint(TRUNCATE)", (long long)(first + m));
	sqlite3_exec(db, xml, NULL, NULL, NULL);
	sqlite3_close(db);
	return first + m;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median wall time of QUERIES runs of the query payload, in ms; *nres
 * the results of one. */
static double
query_ms(struct bench *b, const char *payload, size_t *nres)
{
	double	t[QUERIES], t0;
	char	xml[1024];
	int	i;

	snprintf(xml, sizeof(xml), "<iq type='set' id='q' from='owner@"
	    "localhost/r' to='big@" DOMAIN "'><query xmlns='urn:xmpp:mam:2'>"
	    "%s</query></iq>", payload);
	for (i = 0; i < QUERIES; i++) {
		t0 = clock_ns(CLOCK_MONOTONIC);
		feed(b, xml);
		t[i] = (clock_ns(CLOCK_MONOTONIC) - t0) / 1e6;
	}
	{
		xmpp_stanza_t *s = xmpp_stanza_new_from_string(b->ctx, xml);

		muc_handle(b->svc, s, b->out);
		xmpp_stanza_release(s);
		*nres = muc_out_count(b->out);
		muc_out_clear(b->out);
	}
	qsort(t, QUERIES, sizeof(t[0]), cmp_double);
	return t[QUERIES / 2];
}

static void
bench_queries(long m)
{
	struct bench	b;
	struct sid_key	key;
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 mid[SID_LEN], set[256], stamp[32];
	double		 t0, before, ms;
	int64_t		 first, room_id = 0;
	size_t		 n;
	time_t		 since;

	snprintf(b.path, sizeof(b.path), "/tmp/mucd-bench-mam-%d.db",
	    (int)getpid());
	unlink(b.path);
	bench_open(&b, b.path);
	make_room(&b, "big", 1, 1);
	bench_close(&b);
	before = db_bytes(b.path);
	if (sqlite3_open(b.path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT (SELECT id FROM rooms WHERE name = "
	    "'big'), next_id, key FROM archive_state", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		exit(1);
	room_id = sqlite3_column_int64(s, 0);
	first = sqlite3_column_int64(s, 1);
	sid_key_from_bytes(&key, sqlite3_column_blob(s, 2));
	sqlite3_finalize(s);
	sqlite3_close(db);
	t0 = clock_ns(CLOCK_MONOTONIC);
	fill(b.path, room_id, first, m);
	printf("archive of %ld messages filled by SQL in %.1f s; database "
	    "%.0f bytes per message with its indexes\n", m,
	    (clock_ns(CLOCK_MONOTONIC) - t0) / 1e9,
	    (db_bytes(b.path) - before) / m);
	bench_open(&b, b.path);
	ms = query_ms(&b, "<set xmlns='http://jabber.org/protocol/rsm'><max>50"
	    "</max><before/></set>", &n);
	printf("  last page (<before/>, 50):          %7.2f ms, %zu stanzas\n",
	    ms, n);
	sid_format(&key, first + m / 2, mid);
	snprintf(set, sizeof(set), "<set xmlns='http://jabber.org/protocol/rsm'>"
	    "<max>50</max><after>%s</after></set>", mid);
	ms = query_ms(&b, set, &n);
	printf("  middle page (<after/> id %ld, 50):  %7.2f ms, %zu stanzas\n",
	    m / 2, ms, n);
	since = time(NULL) - 10000;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&since));
	snprintf(set, sizeof(set), "<x xmlns='jabber:x:data' type='submit'>"
	    "<field var='FORM_TYPE'><value>urn:xmpp:mam:2</value></field>"
	    "<field var='start'><value>%s</value></field></x><set xmlns="
	    "'http://jabber.org/protocol/rsm'><max>50</max><before/></set>",
	    stamp);
	ms = query_ms(&b, set, &n);
	printf("  last page of the last 10,000 (count and index given): "
	    "%7.2f ms\n", ms);
	bench_close(&b);
	unlink(b.path);
}

int
main(int argc, char **argv)
{
	int	n = argc > 1 && atoi(argv[1]) > 0 ? atoi(argv[1]) : 100;
	long	m = argc > 2 && atol(argv[2]) > 0 ? atol(argv[2]) : 1000000;

	bench_fanout(n);
	bench_queries(m);
	return 0;
}
