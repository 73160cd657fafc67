/*
 * test_snapshot.c - occupants across restarts (lib/snapshot.c) and the
 * check of their clients afterwards (lib/verify.c).
 *
 * A "crash" is a second service opened on the same database file while
 * the first is never shut down: it sees exactly what the write-behind
 * had written.  Clients answer the room's XEP-0199 pings by hand.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_fixture.h"

#define NS_PING_X	"urn:xmpp:ping"

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

/* A database file under /tmp, removed after the fixtures that use it
 * (deferred first, so it runs last). */
static const char *
tmpdb_path(void)
{
	struct tmpdb	*t = calloc(1, sizeof(*t));
	int		 fd;

	if (t == NULL)
		abort();
	snprintf(t->path, sizeof(t->path), "/tmp/mucd-test-snap-XXXXXX");
	if ((fd = mkstemp(t->path)) < 0)
		abort();
	close(fd);
	unlink(t->path);
	ut_defer(tmpdb_remove, t);
	return t->path;
}

/* The first column of the first row of sql on the file, as an integer;
 * -1 on any failure. */
static long
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long		 v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static int
sql_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	int	 rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static struct fx *
fx_on(const char *path, int notice, unsigned per_tick)
{
	struct muc_service_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.shutdown_notice = notice;
	cfg.snapshot_interval = 5;
	cfg.verify_per_tick = per_tick;
	cfg.verify_timeout = 30;
	return fx_new_cfg(&cfg, path);
}

/* Romeo owns the persistent room "keep" with Juliet (two clients) and
 * the Nurse in it; Tybalt is alone in the temporary, password-protected
 * room "temp" with a subject.  Then the tick writes it all. */
static void
populate(struct fx *f)
{
	/* A second between entries: the restore keeps the join order. */
	if (fx_create(f, ROMEO, "keep", "Romeo") != 0 ||
	    fx_config(f, ROMEO, "keep", "muc#roomconfig_persistentroom", "1",
	    (const char *)NULL) != 0 || (fx_now++, 0) ||
	    fx_join(f, JULIET, "keep", "Juliet") != 0 ||
	    fx_join(f, "juliet@capulet.lit/phone", "keep", "Juliet") != 0 ||
	    (fx_now++, 0) || fx_send(f, "<presence from='" NURSE "' to='keep@" FX_DOMAIN
	    "/Nurse'><x xmlns='" NS_MUC_X "'/><show>away</show><status>"
	    "cooking &amp; such</status></presence>") < 0 ||
	    fx_create(f, TYBALT, "temp", "Tybalt") != 0 ||
	    fx_config(f, TYBALT, "temp", "muc#roomconfig_passwordprotectedroom",
	    "1", "muc#roomconfig_roomsecret", "sword", (const char *)NULL) != 0 ||
	    fx_send(f, "<message from='" TYBALT "' to='temp@" FX_DOMAIN "' "
	    "type='groupchat'><subject>Duels</subject></message>") != 1)
		return;
	fx_now += 5;
	(void)fx_tick(f);
}

/* What the tick wrote comes back after a crash: rooms, nicks, clients,
 * roles, presence payloads, the temporary room with its configuration
 * and subject.  Nobody is told anything. */
static void
engine_snapshot_occupants_come_back_after_a_crash(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 50), *g;
	xmpp_stanza_t	*p;

	populate(f);
	EXPECT(!ut_failed());
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants"), 5);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM temporary_rooms"), 1);
	g = fx_on(path, 0, 50);
	EXPECT_INT(muc_restore(g->svc), MUC_OK);
	/* Romeo speaks: both of Juliet's clients, the Nurse and he hear. */
	EXPECT(fx_send(g, "<message from='" ROMEO "' to='keep@" FX_DOMAIN "' "
	    "type='groupchat'><body>still here</body></message>") == 4);
	EXPECT_INT(fx_count(g, "juliet@capulet.lit/phone", "message"), 1);
	/* A newcomer sees the Nurse away, and the owner as moderator. */
	EXPECT(fx_join(g, BENVOLIO, "keep", "Benvolio") == 0);
	p = fx_get(g, BENVOLIO, "presence", 2);
	EXPECT_STR(fx_attr(p, "from"), "keep@" FX_DOMAIN "/Nurse");
	EXPECT_STR(fx_text(g, p, "show"), "away");
	EXPECT_STR(fx_text(g, p, "status"), "cooking & such");
	EXPECT_STR(fx_item_attr(fx_get(g, BENVOLIO, "presence", 0), "role"),
	    "moderator");
	/* The temporary room kept its password and subject. */
	EXPECT(fx_join(g, BENVOLIO, "temp", "Benvolio") == 0);
	EXPECT_STR(fx_error(fx_get(g, BENVOLIO, "presence", 0)),
	    "not-authorized");
	EXPECT(fx_send(g, "<message from='" TYBALT "' to='temp@" FX_DOMAIN "' "
	    "type='groupchat'><body>mine</body></message>") == 1);
	EXPECT(fx_send(g, "<presence from='" BENVOLIO "' to='temp@" FX_DOMAIN
	    "/Benvolio'><x xmlns='" NS_MUC_X "'><password>sword</password>"
	    "</x></presence>") > 0);
	EXPECT_STR(fx_text(g, fx_get(g, BENVOLIO, "message",
	    fx_count(g, BENVOLIO, "message") - 1), "subject"), "Duels");
	/* Tybalt is still the owner of his temporary room. */
	EXPECT_STR(fx_item_attr(fx_get(g, BENVOLIO, "presence", 0),
	    "affiliation"), "owner");
}

/* The write-behind writes at most every snapshot_interval seconds, and
 * what it writes is what memory holds then; leaving removes the rows. */
static void
engine_snapshot_changes_are_written_behind_every_interval(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 50);

	populate(f);
	EXPECT(fx_send(f, "<presence from='" NURSE "' to='keep@" FX_DOMAIN
	    "/Nurse'><show>dnd</show></presence>") > 0);
	EXPECT(fx_leave(f, JULIET, "keep") == 0);
	fx_now += 1;
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants WHERE nick = "
	    "'Juliet'"), 2);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants WHERE "
	    "presence LIKE '%dnd%'"), 0);
	fx_now += 4;
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants WHERE nick = "
	    "'Juliet'"), 1);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants WHERE "
	    "presence LIKE '%dnd%'"), 1);
	/* The temporary room's row goes with its last occupant. */
	EXPECT(fx_leave(f, TYBALT, "temp") == 0);
	fx_now += 5;
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM temporary_rooms"), 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_occupants WHERE "
	    "room = 'keep' AND nick = 'Romeo' AND affiliation = 'owner'"), 1);
}

/* Shutting down keeps everyone, silently, with every change written;
 * set to tell them instead, it sends 332 and forgets them. */
static void
engine_snapshot_shutdown_keeps_everyone_or_tells_them_332(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 50), *g;

	populate(f);
	EXPECT(fx_join(f, BENVOLIO, "keep", "Benvolio") == 0);
	EXPECT_INT(fx_shutdown(f), 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants"), 6);
	g = fx_on(path, 1, 50);
	EXPECT_INT(muc_restore(g->svc), MUC_OK);	/* told once online */
	EXPECT_INT(fx_join(g, ROMEO, "keep", "Romeo"), 0);
	EXPECT_INT(fx_count(g, ROMEO, "presence"), 1);	/* alone */
	EXPECT(fx_join(g, JULIET, "keep", "Juliet") == 0);
	EXPECT_INT(fx_shutdown(g), 2);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants"), 0);
}

/* Is copy i of the last send a ping from `room` to `to`?  Returns its
 * id or NULL. */
static const char *
ping_to(struct fx *f, const char *to, const char *room)
{
	xmpp_stanza_t	*iq = fx_get(f, to, "iq", 0);

	if (fx_child(iq, "ping", NS_PING_X) == NULL ||
	    fx_attr(iq, "from") == NULL || strcmp(fx_attr(iq, "from"), room) ||
	    strcmp(fx_attr(iq, "type"), "get") != 0)
		return NULL;
	return fx_attr(iq, "id");
}

/* After a restore every client is pinged from its room once the host is
 * online; one that answers stays (and hears nothing), one whose server
 * bounces the ping and one that keeps silent are removed with 333. */
static void
engine_verify_restored_clients_that_do_not_answer_are_removed_as_ghosts(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 50), *g;
	char		 id[5][64];
	const char	*to[] = { ROMEO, JULIET, "juliet@capulet.lit/phone",
			    NURSE, TYBALT };
	xmpp_stanza_t	*p;
	int		 i;

	populate(f);
	g = fx_on(path, 0, 50);
	EXPECT_INT(muc_restore(g->svc), MUC_OK);
	EXPECT_INT(fx_tick(g), 0);		/* offline: nothing yet */
	muc_host_online(g->svc, 1);
	EXPECT_INT(fx_tick(g), 5);
	for (i = 0; i < 5; i++) {
		EXPECT(ping_to(g, to[i], i < 4 ? "keep@" FX_DOMAIN :
		    "temp@" FX_DOMAIN) != NULL);
		snprintf(id[i], sizeof(id[i]), "%s", ping_to(g, to[i],
		    i < 4 ? "keep@" FX_DOMAIN : "temp@" FX_DOMAIN));
	}
	/* Romeo and Tybalt answer: nothing happens. */
	EXPECT_INT(fx_send(g, "<iq from='" ROMEO "' to='keep@" FX_DOMAIN
	    "' type='result' id='%s'/>", id[0]), 0);
	EXPECT_INT(fx_send(g, "<iq from='" TYBALT "' to='temp@" FX_DOMAIN
	    "' type='result' id='%s'/>", id[4]), 0);
	/* An answer with another's id from the wrong JID changes nothing. */
	EXPECT_INT(fx_send(g, "<iq from='" BENVOLIO "' to='keep@" FX_DOMAIN
	    "' type='error' id='%s'><error type='cancel'><service-unavailable "
	    "xmlns='" NS_STANZA_ERR "'/></error></iq>", id[3]), 0);
	/* Juliet's phone is gone: only that client goes, silently. */
	EXPECT_INT(fx_send(g, "<iq from='juliet@capulet.lit/phone' to='keep@"
	    FX_DOMAIN "' type='error' id='%s'><error type='cancel'>"
	    "<service-unavailable xmlns='" NS_STANZA_ERR "'/></error></iq>",
	    id[2]), 0);
	/* Juliet's other client answers it does not know pings: present. */
	EXPECT_INT(fx_send(g, "<iq from='" JULIET "' to='keep@" FX_DOMAIN
	    "' type='error' id='%s'><error type='cancel'><feature-not-"
	    "implemented xmlns='" NS_STANZA_ERR "'/></error></iq>", id[1]), 0);
	/* The Nurse never answers. */
	fx_now += 29;
	EXPECT_INT(fx_tick(g), 0);
	fx_now += 1;
	EXPECT_INT(fx_tick(g), 2);
	p = fx_get(g, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), "keep@" FX_DOMAIN "/Nurse");
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT(fx_has_status(p, 333));
	EXPECT(fx_get(g, JULIET, "presence", 0) != NULL);
	EXPECT_INT(fx_count(g, NURSE, NULL), 0);
	/* Juliet is there with one client. */
	EXPECT(fx_send(g, "<message from='" ROMEO "' to='keep@" FX_DOMAIN "' "
	    "type='groupchat'><body>who is left</body></message>") == 2);
}

/* Pings go out verify_per_tick at a time; clients that left meanwhile
 * are skipped; losing the link forgets the pings in flight, and coming
 * back checks everyone again. */
static void
engine_verify_pings_are_spread_over_ticks_and_paused_offline(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 2);

	populate(f);
	muc_host_online(f->svc, 1);
	EXPECT(fx_leave(f, TYBALT, "temp") == 0);
	EXPECT_INT(fx_tick(f), 2);
	EXPECT_INT(fx_tick(f), 2);
	EXPECT_INT(fx_tick(f), 0);		/* Tybalt has left */
	muc_host_online(f->svc, 0);
	fx_now += 60;
	EXPECT_INT(fx_tick(f), 0);		/* nobody taken for gone */
	muc_host_online(f->svc, 1);
	EXPECT_INT(fx_tick(f), 2);
	EXPECT_INT(fx_tick(f), 2);
	EXPECT_INT(fx_tick(f), 0);
}

/* A client restored into a room that is gone meanwhile (an operator
 * deleted it while mucd was down) is told it was removed, once online. */
static void
engine_verify_clients_of_a_vanished_room_are_told_332(void)
{
	const char	*path = tmpdb_path();
	struct fx	*f = fx_on(path, 0, 50), *g;
	xmpp_stanza_t	*p;
	int		 i;

	populate(f);
	EXPECT(sql_exec(path, "DELETE FROM rooms WHERE name = 'keep'") == 0);
	g = fx_on(path, 0, 50);
	EXPECT_INT(muc_restore(g->svc), MUC_OK);
	muc_host_online(g->svc, 1);
	EXPECT_INT(fx_tick(g), 5);		/* 4 farewells, Tybalt's ping */
	for (i = 0; i < 4; i++) {
		p = fx_get(g, (const char *[]){ ROMEO, JULIET,
		    "juliet@capulet.lit/phone", NURSE }[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT(fx_has_status(p, 332));
		EXPECT(fx_has_status(p, 110));
	}
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM occupants"), 1);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_snapshot_occupants_come_back_after_a_crash),
	UT_CASE(engine_snapshot_changes_are_written_behind_every_interval),
	UT_CASE(engine_snapshot_shutdown_keeps_everyone_or_tells_them_332),
	UT_CASE(engine_verify_restored_clients_that_do_not_answer_are_removed_as_ghosts),
	UT_CASE(engine_verify_pings_are_spread_over_ticks_and_paused_offline),
	UT_CASE(engine_verify_clients_of_a_vanished_room_are_told_332),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
