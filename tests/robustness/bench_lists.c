/*
 * bench_lists.c - robust-bench: what the answers that grow with the
 * service or a room cost (issue 12), against references measured in the
 * same run.  Not a test: it prints figures.
 *
 *   1. disco#items of the service with 1,000,000 stored rooms: the
 *      first page, one from the middle (after a name), the last page;
 *      reference: one query listing every public room, as mucd did.
 *   2. The member list of a room with 100,000 members and disco#items of
 *      a room with 10,000 occupants, written as text (lib/xtext.c);
 *      reference: the same items as a libstrophe stanza tree, O(n^2),
 *      at sizes it can finish.
 *
 * usage: robust-bench [ROOMS [MEMBERS [OCCUPANTS]]]   (defaults
 * 1000000 100000 10000); the database lives in a temporary file.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "muc.h"
#include "room.h"
#include "store.h"

#define DOMAIN	"conference.localhost"

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
quiet(void *ud, enum muc_log_level l, const char *a, const char *f,
    va_list ap)
{
	(void)ud;
	if (l >= MUC_LOG_WARN) {
		fprintf(stderr, "[%s] ", a);
		vfprintf(stderr, f, ap);
		fputc('\n', stderr);
	}
}

static const struct muc_logger	logger = { quiet, NULL };

static void
emit_count(void *ud, const char *text, size_t len)
{
	(void)text;
	*(size_t *)ud += len;
}

/* Hand xml to the engine, render the answers; seconds taken. */
static double
handle(xmpp_ctx_t *ctx, struct muc_service *svc, struct muc_out *out,
    const char *xml, size_t *bytes)
{
	xmpp_stanza_t	*in = xmpp_stanza_new_from_string(ctx, xml);
	double		 t0 = now();
	size_t		 i;

	*bytes = 0;
	if (in == NULL || muc_handle(svc, in, out) != MUC_OK)
		fprintf(stderr, "robust-bench: muc_handle failed\n");
	for (i = 0; i < muc_out_count(out); i++)
		(void)muc_out_render(out, i, emit_count, bytes);
	t0 = now() - t0;
	muc_out_clear(out);
	if (in != NULL)
		xmpp_stanza_release(in);
	return t0;
}

static int
sql(sqlite3 *db, const char *q)
{
	char	*err = NULL;

	if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "robust-bench: %s: %s\n", q, err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* nrooms public rooms, and room "big" with nmembers members; inserted as
 * mucd's own writes (no change log). */
static int
fill(const char *path, long nrooms, long nmembers)
{
	sqlite3	*db;
	char	 q[1024];
	int	 rc = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	snprintf(q, sizeof(q), "BEGIN; UPDATE mucd_writer SET active = 1; "
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %ld) INSERT INTO rooms (name, title) SELECT "
	    "printf('room%%07d', i), '' FROM c; INSERT INTO rooms (name) "
	    "VALUES ('big'); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM c WHERE i < %ld) INSERT INTO affiliations "
	    "(room_id, jid, affiliation) SELECT (SELECT id FROM rooms WHERE "
	    "name = 'big'), printf('member%%d@example.org', i), 'member' FROM "
	    "c; UPDATE mucd_writer SET active = 0; COMMIT;", nrooms, nmembers);
	if (sql(db, q) == 0)
		rc = 0;
	sqlite3_close(db);
	return rc;
}

/* The reference: n <item/>s added one by one to a libstrophe tree. */
static double
tree_items(xmpp_ctx_t *ctx, long n)
{
	xmpp_stanza_t	*q = xmpp_stanza_new(ctx), *c;
	double		 t0 = now();
	char		 jid[64];
	long		 i;

	xmpp_stanza_set_name(q, "query");
	for (i = 0; i < n; i++) {
		c = xmpp_stanza_new(ctx);
		xmpp_stanza_set_name(c, "item");
		snprintf(jid, sizeof(jid), "member%ld@example.org", i);
		xmpp_stanza_set_attribute(c, "jid", jid);
		xmpp_stanza_set_attribute(c, "affiliation", "member");
		xmpp_stanza_add_child_ex(q, c, 0);
	}
	t0 = now() - t0;
	xmpp_stanza_release(q);
	return t0;
}

static void
bench_pages(xmpp_ctx_t *ctx, struct muc_service *svc, struct muc_out *out,
    long nrooms)
{
	static const char	*sets[] = { "", "<set xmlns='http://jabber.org/"
	    "protocol/rsm'><max>100</max><after>room0500000@" DOMAIN
	    "</after></set>", "<set xmlns='http://jabber.org/protocol/rsm'>"
	    "<max>100</max><before/></set>" };
	static const char	*what[] = { "first page", "page after the "
	    "middle", "last page" };
	char			 xml[512];
	size_t			 bytes;
	double			 t, best;
	int			 i, k;

	for (i = 0; i < 3; i++) {
		snprintf(xml, sizeof(xml), "<iq from='a@localhost/r' to='"
		    DOMAIN "' type='get' id='p'><query xmlns='http://jabber.org"
		    "/protocol/disco#items'>%s</query></iq>", sets[i]);
		for (k = 0, best = 1e9; k < 5; k++)
			if ((t = handle(ctx, svc, out, xml, &bytes)) < best)
				best = t;
		printf("disco#items of the service, %ld stored rooms, %s: "
		    "%.3f ms (best of 5), %zu bytes\n", nrooms, what[i],
		    best * 1000, bytes);
	}
}

/* The reference for the pages: every public room in one query. */
static void
bench_full_scan(const char *path, long nrooms)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	double		 t0 = now();
	long		 n = 0;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return;
	if (sqlite3_prepare_v2(db, "SELECT name, title FROM rooms WHERE "
	    "public = 1 ORDER BY name", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			n++;
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	printf("reference: reading all %ld public rooms of %ld in one query "
	    "(before any stanza is built): %.1f ms\n", n, nrooms,
	    (now() - t0) * 1000);
}

static void
bench_members(xmpp_ctx_t *ctx, struct muc_service *svc, struct muc_out *out,
    long nmembers)
{
	struct room	*room;
	size_t		 bytes;
	double		 t, ref10, ref20, t0 = now();

	if (room_get(svc, "big", 0, &room) != MUC_OK || room == NULL) {
		fprintf(stderr, "robust-bench: no room big\n");
		return;
	}
	printf("loading room big with %ld members: %.1f ms\n", nmembers,
	    (now() - t0) * 1000);
	t = handle(ctx, svc, out, "<iq from='admin@localhost/r' to='big@"
	    DOMAIN "' type='get' id='m'><query xmlns='http://jabber.org/"
	    "protocol/muc#admin'><item affiliation='member'/></query></iq>",
	    &bytes);
	printf("member list of %ld members, as text: %.1f ms, %zu bytes\n",
	    nmembers, t * 1000, bytes);
	ref10 = tree_items(ctx, 10000);
	ref20 = tree_items(ctx, 20000);
	printf("reference: the same items as a libstrophe tree: 10,000 in "
	    "%.1f ms, 20,000 in %.1f ms (x%.1f for twice as many)\n",
	    ref10 * 1000, ref20 * 1000, ref20 / ref10);
}

static void
bench_occupants(xmpp_ctx_t *ctx, struct muc_service *svc,
    struct muc_out *out, long nocc)
{
	struct room	*room;
	char		 nick[32], jid[64];
	size_t		 bytes;
	double		 t;
	long		 i;

	if (room_get(svc, "crowd", 1, &room) != MUC_OK || room == NULL)
		return;
	room_unlock(room);
	for (i = 0; i < nocc; i++) {
		snprintf(nick, sizeof(nick), "guest%ld", i);
		snprintf(jid, sizeof(jid), "u%ld@example.org/r", i);
		if (occupant_add(room, nick, jid, ROLE_PARTICIPANT) == NULL)
			return;
	}
	t = handle(ctx, svc, out, "<iq from='u0@example.org/r' to='crowd@"
	    DOMAIN "' type='get' id='o'><query xmlns='http://jabber.org/"
	    "protocol/disco#items'/></iq>", &bytes);
	printf("disco#items of a room with %ld occupants, as text: %.1f ms, "
	    "%zu bytes\n", nocc, t * 1000, bytes);
}

int
main(int argc, char **argv)
{
	struct muc_service_config	 cfg = { .domain = DOMAIN };
	const char			*admins[] = { "admin@localhost" };
	long				 nrooms = argc > 1 ? atol(argv[1]) : 1000000;
	long				 nmembers = argc > 2 ? atol(argv[2]) : 100000;
	long				 nocc = argc > 3 ? atol(argv[3]) : 10000;
	char				 path[] = "/tmp/robust-bench-XXXXXX";
	struct muc_service		*svc;
	struct muc_out			*out;
	struct store			*st;
	xmpp_ctx_t			*ctx;
	double				 t0;
	int				 fd;

	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);
	unlink(path);
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	cfg.admins = admins;
	cfg.nadmins = 1;
	if (store_open(path, &logger, &st) != MUC_OK)
		return 1;
	store_close(st);
	t0 = now();
	if (fill(path, nrooms, nmembers) != 0)
		return 1;
	printf("(filled %ld rooms and %ld members in %.1f s)\n", nrooms,
	    nmembers, now() - t0);
	if (store_open(path, &logger, &st) != MUC_OK ||
	    muc_service_new(ctx, &cfg, st, &logger, &svc) != MUC_OK ||
	    (out = muc_out_new(ctx)) == NULL)
		return 1;
	bench_pages(ctx, svc, out, nrooms);
	bench_full_scan(path, nrooms);
	bench_members(ctx, svc, out, nmembers);
	bench_occupants(ctx, svc, out, nocc);
	muc_out_free(out);
	muc_service_free(svc);
	store_close(st);
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	strcat(path, "-shm");
	unlink(path);
	return 0;
}
