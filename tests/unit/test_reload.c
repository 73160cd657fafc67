/*
 * test_reload.c - changes an operator makes in the database with SQL while
 * mucd runs (lib/reload.c, through muc_tick()): each is applied to the
 * room in memory as if an owner had made it over XMPP -- a ban removes the
 * occupant (XEP-0045 9.1, 301), a configuration change is announced
 * (10.2.1, 104) and may remove non-members (322), a new subject is sent
 * (8.1), a deleted room is destroyed for its occupants (10.9).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

struct tmpdb {
	char	 path[64];
	sqlite3	*db;	/* the operator's connection */
};

static void
tmpdb_remove(void *arg)
{
	struct tmpdb	*t = arg;
	char		 side[80];

	sqlite3_close(t->db);
	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
	free(t);
}

/* A fixture on a database file, and the operator's own connection to it.
 * The file goes when the case ends (after the fixture: ut_defer runs the
 * last registered first). */
static struct fx *
fx_on_file(sqlite3 **operator)
{
	struct tmpdb	*t = calloc(1, sizeof(*t));
	struct fx	*f;
	int		 fd;

	if (t == NULL)
		abort();
	snprintf(t->path, sizeof(t->path), "/tmp/mucd-test-reload-XXXXXX");
	if ((fd = mkstemp(t->path)) < 0)
		abort();
	close(fd);
	unlink(t->path);
	ut_defer(tmpdb_remove, t);
	f = fx_new_with(NULL, 0, t->path);
	if (sqlite3_open(t->path, &t->db) != SQLITE_OK)
		abort();
	*operator = t->db;
	return f;
}

static int
sql(sqlite3 *db, const char *stmt)
{
	char	*err = NULL;
	int	 rc = sqlite3_exec(db, stmt, NULL, NULL, &err);

	if (rc != SQLITE_OK)
		ut_fail(__FILE__, __LINE__, "%s: %s", stmt, err ? err : "?");
	sqlite3_free(err);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Romeo's persistent room with Juliet and the Nurse in it. */
/* The one integer stmt gives, or -1. */
static long long
raw_count(sqlite3 *db, const char *stmt)
{
	sqlite3_stmt	*s;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, stmt, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int
stored_verona(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom", "1",
	    (const char *)NULL) != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	return 0;
}

/* Nothing written by anyone else: a tick sends nothing; nor do mucd's
 * own writes count as an operator's. */
static void
engine_reload_tick_sends_nothing_when_only_mucd_wrote(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);

	EXPECT(stored_verona(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT_INT(fx_tick(f), 0);
	EXPECT_INT(fx_tick(f), 0);
}

/* 9.1: an outcast row inserted by the operator removes the occupant with
 * 301 and the row's reason, without an actor. */
static void
engine_reload_operator_ban_removes_the_occupant_with_301(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*p;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(stored_verona(f) == 0);
	EXPECT(sql(db, "INSERT INTO room_affiliations (room, jid, affiliation,"
	    " reason) VALUES ('room', 'nurse@capulet.lit', 'outcast', 'spam')")
	    == 0);
	EXPECT_INT(fx_tick(f), 3);
	for (i = 0; i < 3; i++) {
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
		EXPECT(fx_has_status(p, 301));
		EXPECT_INT(fx_has_status(p, 110), i == 2);
		EXPECT_STR(fx_item_attr(p, "affiliation"), "outcast");
		EXPECT_STR(fx_text(f, fx_item(p), "reason"), "spam");
		EXPECT(fx_child(fx_item(p), "actor", NULL) == NULL);
	}
	EXPECT_INT(fx_tick(f), 0);	/* read once */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "forbidden");
}

/* 10.2.1 and 8.1: a new title is a configuration change (104 to every
 * occupant), a new subject is sent to every occupant from the room. */
static void
engine_reload_operator_title_and_subject_reach_the_occupants(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*m;

	EXPECT(stored_verona(f) == 0);
	EXPECT(sql(db, "UPDATE rooms SET title = 'Verona', subject = "
	    "'Two households' WHERE name = 'room'") == 0);
	EXPECT_INT(fx_tick(f), 6);
	EXPECT(fx_has_status(fx_get(f, JULIET, "message", 0), 104));
	m = fx_get(f, JULIET, "message", 1);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_text(f, m, "subject"), "Two households");
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_STR(fx_text(f, fx_get(f, BENVOLIO, "message", 0), "subject"),
	    "Two households");
}

/* 10.2: made members-only by the operator, the room removes its
 * non-members with 322. */
static void
engine_reload_operator_members_only_removes_non_members_with_322(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*p;

	EXPECT(stored_verona(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member", NULL) ==
	    0);
	EXPECT(sql(db, "UPDATE rooms SET members_only = 1") == 0);
	/* 104 to three, the Nurse's removal to three. */
	EXPECT_INT(fx_tick(f), 6);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
	EXPECT(fx_has_status(p, 322));
	EXPECT(fx_has_status(fx_get(f, NURSE, "presence", 0), 110));
	EXPECT_INT(fx_count(f, JULIET, "presence"), 1);
}

/* 10.9: a room the operator deleted is destroyed for its occupants, with
 * a reason; it can be created anew. */
static void
engine_reload_operator_deleted_room_is_destroyed_for_its_occupants(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*p, *d;

	EXPECT(stored_verona(f) == 0);
	EXPECT(sql(db, "DELETE FROM rooms WHERE name = 'room'") == 0);
	EXPECT_INT(fx_tick(f), 3);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
	d = fx_child(fx_muc_user(p), "destroy", NULL);
	EXPECT(d != NULL);
	EXPECT_STR(fx_text(f, d, "reason"),
	    "The room was removed by the service operator");
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 201));
}

/* A room the operator inserts is a configured room: the first to enter
 * does not create it, and an owner row makes its JID owner. */
static void
engine_reload_operator_inserted_room_opens_with_its_rows(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*p;

	EXPECT(sql(db, "INSERT INTO rooms (name, title) VALUES ('hall', "
	    "'The Hall')") == 0);
	EXPECT(sql(db, "INSERT INTO room_affiliations (room, jid, affiliation)"
	    " VALUES ('hall', 'benvolio@montague.lit', 'owner')") == 0);
	EXPECT_INT(fx_tick(f), 0);	/* not in memory: nothing to tell */
	EXPECT(fx_join(f, BENVOLIO, "hall", "Ben") == 0);
	p = fx_get(f, BENVOLIO, "presence", 0);
	EXPECT(!fx_has_status(p, 201));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "owner");
	EXPECT(fx_join(f, JULIET, "hall", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
}

/* Regression test for a fixed lib/ bug:  Two operator rows whose JIDs prepare to one bare JID
 * ('juliet@capulet.lit' member with nick Juliet, 'juliet@capulet.lit.'
 * outcast -- the schema's CHECK admits both): room_load_affiliation()
 * puts the second over the first in the JID map, leaks the first
 * (valgrind: 59 bytes definitely lost, room.c:71) and leaves it in the
 * reserved-nick map.  Juliet is then an outcast whose nick is still
 * reserved: the Nurse cannot enter as Juliet (conflict) though no
 * affiliation in the room holds that nick. */
static void
engine_reload_rows_naming_one_jid_twice_leave_no_stale_reservation(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);

	EXPECT(sql(db, "INSERT INTO rooms (name) VALUES ('hall')") == 0);
	EXPECT(sql(db, "INSERT INTO room_affiliations (room, jid, affiliation,"
	    " nick) VALUES ('hall', 'juliet@capulet.lit', 'member', 'Juliet')")
	    == 0);
	EXPECT(sql(db, "INSERT INTO room_affiliations (room, jid, affiliation)"
	    " VALUES ('hall', 'juliet@capulet.lit.', 'outcast')") == 0);
	EXPECT(fx_join(f, JULIET, "hall", "Jules") == 0);
	if (fx_error(fx_get(f, JULIET, "presence", 0)) == NULL)
		return;		/* the member row won: consistent */
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)), "forbidden");
	EXPECT(fx_join(f, NURSE, "hall", "Juliet") == 0);
	EXPECT_NULL(fx_error(fx_get(f, NURSE, "presence", 0)));
}

/* An operator may leave a reason and an alternate venue in
 * destroy_reasons before deleting a room: the occupants get them in
 * <destroy/>, and the row is consumed. */
static void
engine_reload_operator_destroy_reason_reaches_the_occupants(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);
	xmpp_stanza_t	*d;

	EXPECT(stored_verona(f) == 0);
	EXPECT(sql(db, "INSERT INTO destroy_reasons VALUES ('room', "
	    "'Moved to the hall', 'hall@" FX_DOMAIN "')") == 0);
	EXPECT(sql(db, "DELETE FROM rooms WHERE name = 'room'") == 0);
	EXPECT_INT(fx_tick(f), 3);
	d = fx_child(fx_muc_user(fx_get(f, JULIET, "presence", 0)), "destroy",
	    NULL);
	EXPECT_STR(fx_text(f, d, "reason"), "Moved to the hall");
	EXPECT_STR(fx_attr(d, "jid"), "hall@" FX_DOMAIN);
	EXPECT(fx_logged(f, "destroying it: Moved to the hall"));
	EXPECT_INT(raw_count(db, "SELECT count(*) FROM destroy_reasons"), 0);
}

/* A stored room's last message or join time reaches rooms.last_activity
 * with the next tick; a temporary room writes nothing. */
static void
engine_reload_activity_is_written_for_stored_rooms(void)
{
	sqlite3		*db;
	struct fx	*f = fx_on_file(&db);

	EXPECT(stored_verona(f) == 0);
	fx_now += 100;
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>hi</body></message>") == 3);
	EXPECT_INT(fx_tick(f), 0);
	EXPECT_INT(raw_count(db, "SELECT last_activity FROM rooms WHERE "
	    "name = 'room'"), (long long)FX_EPOCH + 100);
	/* mucd's own write: not an operator's change. */
	EXPECT_INT(fx_tick(f), 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_reload_tick_sends_nothing_when_only_mucd_wrote),
	UT_CASE(engine_reload_operator_ban_removes_the_occupant_with_301),
	UT_CASE(engine_reload_operator_title_and_subject_reach_the_occupants),
	UT_CASE(engine_reload_operator_members_only_removes_non_members_with_322),
	UT_CASE(engine_reload_operator_deleted_room_is_destroyed_for_its_occupants),
	UT_CASE(engine_reload_operator_inserted_room_opens_with_its_rows),
	UT_CASE(engine_reload_rows_naming_one_jid_twice_leave_no_stale_reservation),
	UT_CASE(engine_reload_operator_destroy_reason_reaches_the_occupants),
	UT_CASE(engine_reload_activity_is_written_for_stored_rooms),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
