/*
 * test_leave.c - occupants leaving (lib/leave.c): by choice (XEP-0045
 * 7.14), by vanishing (an error bounced from their client, 11.1, status
 * 333), and what becomes of a room left empty (4.2 temporary room).
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

static int
romeo_juliet_nurse(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	return 0;
}

/* 7.14: everyone, the leaver too (with 110), gets an unavailable presence
 * with role none and the parting status text; nothing else of the old
 * presence survives. */
static void
engine_leave_sends_unavailable_to_everyone_with_the_parting_status(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet")
	    "'><show>dnd</show></presence>") == 3);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='unavailable'><status>Parting is such sweet sorrow</status>"
	    "</presence>") == 3);
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], NULL), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
		EXPECT_STR(fx_text(f, p, "status"),
		    "Parting is such sweet sorrow");
		EXPECT(fx_child(p, "show", NULL) == NULL);
		EXPECT_STR(fx_item_attr(p, "role"), "none");
		EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
		EXPECT_INT(fx_has_status(p, 110), i == 1);
		EXPECT_INT(fx_nstatus(p), i == 1 ? 1 : 0);
	}
	/* Gone: the nick is free and her messages are refused. */
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, NULL, 0)), "not-acceptable");
	EXPECT(fx_join(f, TYBALT, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, TYBALT, "presence"), 3);
}

/* 7.14: the unavailable presence may go to the room JID or any nick:
 * it is the sender's real JID that leaves.  A stranger's is ignored. */
static void
engine_leave_is_by_real_jid_whatever_the_nick_addressed(void)
{
	struct fx	*f = fx_new();

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<presence from='" NURSE "' to='" OCC("Romeo") "' "
	    "type='unavailable'/>") == 3);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "presence", 0), "from"),
	    OCC("Nurse"));
	EXPECT(fx_send(f, "<presence from='" TYBALT "' to='" FX_ROOM "' "
	    "type='unavailable'/>") == 0);
}

/* 11.1: an error bounced from an occupant's client that says it is gone
 * removes the occupant; the others get 333; the ghost gets nothing. */
static void
engine_leave_error_bounce_from_an_occupant_removes_the_ghost_with_333(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='error'><error type='cancel'><recipient-unavailable xmlns='"
	    NS_STANZA_ERR "'/></error></message>") == 2);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT(fx_has_status(p, 333));
	EXPECT_STR(fx_item_attr(p, "role"), "none");
	EXPECT(fx_has_status(fx_get(f, ROMEO, "presence", 0), 333));
	/* A presence error to a nick does it too. */
	EXPECT(fx_send(f, "<presence from='" NURSE "' to='" OCC("Romeo") "' "
	    "type='error'><error type='cancel'><gone xmlns='" NS_STANZA_ERR
	    "'/></error></presence>") == 1);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "presence", 0), 333));
}

/* 11.1 concerns errors that mean the client is gone; others (a refused
 * private message, say) change nothing, and errors answer nothing. */
static void
engine_leave_error_that_does_not_mean_gone_changes_nothing(void)
{
	struct fx	*f = fx_new();

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='error'><error type='modify'><not-acceptable xmlns='"
	    NS_STANZA_ERR "'/></error></message>") == 0);
	EXPECT(fx_send(f, "<message from='" TYBALT "' to='" FX_ROOM "' "
	    "type='error'><error type='cancel'><gone xmlns='" NS_STANZA_ERR
	    "'/></error></message>") == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>still here</body></message>") == 3);
}

/* 4.2: a temporary room is destroyed when the last occupant leaves; the
 * next to enter creates a new one (201, new owner). */
static void
engine_leave_of_the_last_occupant_ends_a_temporary_room(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT_INT(f->ncopies, 1);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT(fx_has_status(p, 201));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "owner");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_leave_sends_unavailable_to_everyone_with_the_parting_status),
	UT_CASE(engine_leave_is_by_real_jid_whatever_the_nick_addressed),
	UT_CASE(engine_leave_error_bounce_from_an_occupant_removes_the_ghost_with_333),
	UT_CASE(engine_leave_error_that_does_not_mean_gone_changes_nothing),
	UT_CASE(engine_leave_of_the_last_occupant_ends_a_temporary_room),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
