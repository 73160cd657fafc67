/*
 * test_archive.c - what a room remembers (lib/archive.c): one stanza-id
 * per relayed message, the same live, in history and in the archive;
 * which messages are kept; history from the archive across a restart;
 * the archive's lifetime with its room; the option and its default;
 * expiry; an operator's delete; a participant's own retraction.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "engine_fixture.h"
#include "room.h"

#define NS_SID_X	"urn:xmpp:sid:0"
#define NS_MAM_Q	"urn:xmpp:mam:2"
#define NS_RETRACT_X	"urn:xmpp:message-retract:1"

static int
say(struct fx *f, const char *from, const char *room, const char *body)
{
	return fx_send(f, "<message from='%s' to='%s@" FX_DOMAIN "' "
	    "type='groupchat'><body>%s</body></message>", from, room, body);
}

/* How many messages an archive query by `from` returns (all of them,
 * in one page of up to 100), or -1 when it is refused. */
static int
archived(struct fx *f, const char *from, const char *room)
{
	if (fx_send(f, "<iq from='%s' to='%s@" FX_DOMAIN "' type='set' "
	    "id='q'><query xmlns='" NS_MAM_Q "'><set xmlns='http://jabber.org/"
	    "protocol/rsm'><max>100</max></set></query></iq>", from, room) < 0)
		return -1;
	if (fx_error(fx_get(f, from, "iq", 0)) != NULL)
		return -1;
	return (int)fx_count(f, from, "message");
}

/* The text of the body of the i-th message to `to`, or NULL. */
static const char *
body_of(struct fx *f, const char *to, size_t i)
{
	return fx_text(f, fx_get(f, to, "message", i), "body");
}

static void
db_closer(void *arg)
{
	sqlite3_close(arg);
}

static long long
db_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long long	 v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* XEP-0359 and XEP-0313 3: one stanza-id by the room, the same on every
 * copy, on the history's copy and in the archive result; an origin-id is
 * kept as sent. */
static void
engine_archive_message_has_one_stanza_id_live_in_history_and_archive(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *res, *inner;
	const char	*sid;

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>hi</body><origin-id xmlns='" NS_SID_X "' "
	    "id='o1'/></message>") == 2);
	EXPECT((sid = fx_sid(f, fx_get(f, ROMEO, "message", 0))) != NULL);
	EXPECT_INT(strlen(sid), 11);
	EXPECT_INT(fx_nsids(fx_get(f, ROMEO, "message", 0)), 1);
	EXPECT_STR(fx_sid(f, fx_get(f, JULIET, "message", 0)), sid);
	EXPECT_STR(fx_attr(fx_child(fx_get(f, JULIET, "message", 0),
	    "origin-id", NS_SID_X), "id"), "o1");
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	m = fx_get(f, NURSE, "message", 0);
	EXPECT_STR(fx_text(f, m, "body"), "hi");
	EXPECT_STR(fx_sid(f, m), sid);
	EXPECT_INT(fx_nsids(m), 1);
	EXPECT_INT(archived(f, JULIET, "room"), 1);
	res = fx_child(fx_get(f, JULIET, "message", 0), "result", NS_MAM_Q);
	EXPECT_STR(fx_attr(res, "id"), sid);
	inner = fx_child(fx_child(res, "forwarded", "urn:xmpp:forward:0"),
	    "message", "jabber:client");
	EXPECT_STR(fx_sid(f, inner), sid);
	EXPECT_INT(fx_nsids(inner), 1);
}

/* What says something is kept: a body, a <store/> hint; a chat state
 * is relayed with a stanza-id but not kept, nor is a body with a
 * no-store or no-permanent-store hint (XEP-0334), nor a private
 * message. */
static void
engine_archive_keeps_what_says_something(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><active xmlns='http://jabber.org/protocol/"
	    "chatstates'/></message>") == 2);
	EXPECT(fx_sid(f, fx_get(f, ROMEO, "message", 0)) != NULL);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>not kept</body><no-store xmlns='urn:xmpp:"
	    "hints'/></message>") == 2);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>nor this</body><no-permanent-store "
	    "xmlns='urn:xmpp:hints'/></message>") == 2);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "/Romeo' "
	    "type='chat'><body>private</body></message>") == 1);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><store xmlns='urn:xmpp:hints'/><reactions "
	    "xmlns='urn:xmpp:reactions:0' id='x'/></message>") == 2);
	EXPECT(say(f, JULIET, "room", "kept") == 2);
	EXPECT_INT(archived(f, ROMEO, "room"), 2);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "message"), 3);	/* 2, the subject */
	EXPECT_STR(body_of(f, NURSE, 1), "kept");
}

/* The history of a room that archives is its archive's: another service
 * on the same database (a restart) replays it to a joiner, with the same
 * stanza-ids, and gives new messages new ids. */
static void
engine_archive_history_comes_back_from_the_archive_after_a_restart(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;
	const char	*sid1, *sid2;

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "room", "one") == 1);
	sid1 = fx_sid(f, fx_get(f, ROMEO, "message", 0));
	EXPECT(say(f, ROMEO, "room", "two") == 1);
	EXPECT(fx_shutdown(f) >= 0);	/* stops as mucd does: all written */
	g = fx_new_with(NULL, 0, path);
	EXPECT(fx_join(g, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(g, JULIET, "message"), 3);
	EXPECT_STR(body_of(g, JULIET, 0), "one");
	EXPECT_STR(fx_sid(g, fx_get(g, JULIET, "message", 0)), sid1);
	EXPECT(fx_child(fx_get(g, JULIET, "message", 0), "delay",
	    "urn:xmpp:delay") != NULL);
	EXPECT_STR(body_of(g, JULIET, 1), "two");
	EXPECT(say(g, JULIET, "room", "three") == 1);
	sid2 = fx_sid(g, fx_get(g, JULIET, "message", 0));
	EXPECT(sid2 != NULL && strcmp(sid1, sid2) != 0);
	EXPECT(strcmp(sid2, fx_sid(g, fx_get(g, JULIET, "message", 0))) == 0);
	EXPECT_INT(archived(g, JULIET, "room"), 3);
}

/* The archive goes with its room: when the owner destroys it, and when
 * the room stops being persistent. */
static void
engine_archive_goes_with_its_room(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path);

	EXPECT(fx_archive_room(f, ROMEO, "gone", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "gone", "a") == 1);
	EXPECT(fx_archive_room(f, ROMEO, "temp", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "temp", "b") == 1);
	EXPECT_INT(archived(f, ROMEO, "temp"), 1);	/* and so written */
	EXPECT_INT(db_int(path, "SELECT count(*) FROM archive"), 2);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='gone@" FX_DOMAIN "' "
	    "type='set' id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/>"
	    "</query></iq>") > 0);
	EXPECT(fx_config(f, ROMEO, "temp", "muc#roomconfig_persistentroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(db_int(path, "SELECT count(*) FROM archive"), 0);
	/* A message of the room still queued goes with it too. */
	EXPECT(fx_archive_room(f, ROMEO, "quick", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "quick", "c") == 1);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='quick@" FX_DOMAIN "' "
	    "type='set' id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/>"
	    "</query></iq>") > 0);
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(db_int(path, "SELECT count(*) FROM archive"), 0);
}

/* A new room's option is the service's default, the form shows it, and
 * turning it on and off is announced with 170 and 171 (XEP-0045
 * 10.2.1). */
static void
engine_archive_option_takes_the_service_default_and_is_announced(void)
{
	struct muc_service_config	 cfg = { .archive_off_by_default = 1 };
	struct fx			*f = fx_new_cfg(&cfg, NULL);
	xmpp_stanza_t			*m;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom", "1",
	    (const char *)NULL) == 0);
	EXPECT(say(f, ROMEO, "room", "not archived") == 1);
	EXPECT_INT(archived(f, ROMEO, "room"), -1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "service-unavailable");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_enablearchiving", "1",
	    (const char *)NULL) == 0);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT(fx_has_status(m, 170));
	EXPECT(fx_has_status(m, 104));
	EXPECT(say(f, ROMEO, "room", "archived") == 1);
	EXPECT_INT(archived(f, ROMEO, "room"), 1);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_enablearchiving", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "message", 0), 171));
}

/* A persistent room that does not archive keeps its history in memory,
 * so in memory it stays; a restart forgets it. */
static void
engine_archive_off_keeps_history_in_memory_only(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom", "1",
	    "muc#roomconfig_enablearchiving", "0", (const char *)NULL) == 0);
	EXPECT(say(f, ROMEO, "room", "memory only") == 1);
	EXPECT(fx_sid(f, fx_get(f, ROMEO, "message", 0)) != NULL);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(body_of(f, JULIET, 0), "memory only");
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(db_int(path, "SELECT count(*) FROM archive"), 0);
	g = fx_new_with(NULL, 0, path);
	EXPECT(fx_join(g, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(g, NURSE, "message"), 1);	/* the subject */
}

/* Expiry (once a minute): beyond the service's count, and older than its
 * age, messages go from the archive and from the history. */
static void
engine_archive_expiry_trims_the_archive_and_the_history(void)
{
	struct muc_service_config	 cfg = { .archive_max_count = 2,
					    .archive_max_age = 3600 };
	struct fx			*f = fx_new_cfg(&cfg, NULL);

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "room", "old") == 1);
	fx_now += 3000;
	EXPECT(say(f, ROMEO, "room", "one") == 1);
	EXPECT(say(f, ROMEO, "room", "two") == 1);
	EXPECT(say(f, ROMEO, "room", "three") == 1);
	EXPECT(fx_tick(f) >= 0);		/* the count: two stay */
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(archived(f, ROMEO, "room"), 2);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "message"), 3);
	EXPECT_STR(body_of(f, JULIET, 0), "two");
	fx_now += 3000;				/* "two", "three": 50 min */
	EXPECT(say(f, ROMEO, "room", "four") == 2);
	fx_now += 1200;				/* now 70 min */
	EXPECT(fx_tick(f) >= 0);
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(archived(f, ROMEO, "room"), 1);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "message"), 2);
	EXPECT_STR(body_of(f, NURSE, 0), "four");
}

/* An operator deletes a message with SQL: a room in memory no longer
 * replays it to joiners. */
static void
engine_archive_operator_delete_drops_the_message_from_history(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path);
	sqlite3		*db;

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(say(f, ROMEO, "room", "leaked a secret") == 1);
	EXPECT(say(f, ROMEO, "room", "fine") == 1);
	EXPECT_INT(archived(f, ROMEO, "room"), 2);	/* and so written */
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	ut_defer(db_closer, db);
	EXPECT(sqlite3_exec(db, "DELETE FROM archive WHERE stanza LIKE "
	    "'%secret%'", NULL, NULL, NULL) == SQLITE_OK);
	EXPECT(fx_tick(f) >= 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "message"), 2);
	EXPECT_STR(body_of(f, JULIET, 0), "fine");
}

/* XEP-0424: Juliet's retraction of her own message is relayed with a
 * stanza-id and kept, and her message becomes a tombstone for joiners;
 * her retraction of Romeo's is refused and reaches nobody; one of a
 * message the room does not keep is relayed as it is. */
static void
engine_archive_participant_retracts_her_own_message_only(void)
{
	struct fx	*f = fx_new();
	const char	*hers, *his;
	xmpp_stanza_t	*t, *r;

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(say(f, ROMEO, "room", "his") == 2);
	his = fx_sid(f, fx_get(f, JULIET, "message", 0));
	EXPECT(say(f, JULIET, "room", "hers") == 2);
	hers = fx_sid(f, fx_get(f, JULIET, "message", 0));
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat' id='r1'><retract xmlns='" NS_RETRACT_X "' "
	    "id='%s'/></message>", his) == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "message", 0)), "forbidden");
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat' id='r2'><retract xmlns='" NS_RETRACT_X "' "
	    "id='unknown'/></message>") == 2);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat' id='r3'><retract xmlns='" NS_RETRACT_X "' "
	    "id='%s'/><body>retracted</body></message>", hers) == 2);
	EXPECT(fx_sid(f, fx_get(f, ROMEO, "message", 0)) != NULL);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	/* his, her tombstone, the unknown one's, r3, the subject */
	EXPECT_INT(fx_count(f, NURSE, "message"), 5);
	t = fx_get(f, NURSE, "message", 1);
	EXPECT_STR(fx_sid(f, t), hers);
	EXPECT(fx_child(t, "body", NULL) == NULL);
	r = fx_child(t, "retracted", NS_RETRACT_X);
	EXPECT_STR(fx_attr(r, "id"), "r3");
	EXPECT_STR(fx_attr(r, "by"), FX_ROOM "/Juliet");
	EXPECT(fx_attr(r, "stamp") != NULL);
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "message", 3), "id"), "r3");
}

/* Stanza-ids differ across rooms as they do within one. */
static void
engine_archive_stanza_ids_differ_across_rooms(void)
{
	struct fx	*f = fx_new();
	const char	*a, *b;

	EXPECT(fx_archive_room(f, ROMEO, "one", "Romeo") == 0);
	EXPECT(fx_create(f, ROMEO, "two", "Romeo") == 0);	/* temporary */
	EXPECT(say(f, ROMEO, "one", "x") == 1);
	a = fx_sid(f, fx_get(f, ROMEO, "message", 0));
	EXPECT(say(f, ROMEO, "two", "x") == 1);
	b = fx_sid(f, fx_get(f, ROMEO, "message", 0));
	EXPECT(a != NULL && b != NULL && strcmp(a, b) != 0);
	EXPECT(say(f, ROMEO, "one", "x") == 1);
	EXPECT(strcmp(a, fx_sid(f, fx_get(f, ROMEO, "message", 0))) != 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_archive_message_has_one_stanza_id_live_in_history_and_archive),
	UT_CASE(engine_archive_keeps_what_says_something),
	UT_CASE(engine_archive_history_comes_back_from_the_archive_after_a_restart),
	UT_CASE(engine_archive_goes_with_its_room),
	UT_CASE(engine_archive_option_takes_the_service_default_and_is_announced),
	UT_CASE(engine_archive_off_keeps_history_in_memory_only),
	UT_CASE(engine_archive_expiry_trims_the_archive_and_the_history),
	UT_CASE(engine_archive_operator_delete_drops_the_message_from_history),
	UT_CASE(engine_archive_participant_retracts_her_own_message_only),
	UT_CASE(engine_archive_stanza_ids_differ_across_rooms),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
