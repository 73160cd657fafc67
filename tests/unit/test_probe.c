/*
 * test_probe.c - presence probes of lib/probe.c (XEP-0045 17, as Prosody
 * answers them): to an occupant, the occupant's presence as the prober may
 * see it; to the room, the prober's own; to an away member shown as
 * absent, its unavailable presence; anything else an error.  Never a join,
 * and nobody else hears of it.
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

static int
room_of_three(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	return fx_send(f, "<presence from='" NURSE "' to='" OCC("Nurse") "'>"
	    "<show>dnd</show></presence>") < 0 ? -1 : 0;
}

static int
probe(struct fx *f, const char *from, const char *to)
{
	return fx_send(f, "<presence type='probe' from='%s' to='%s'/>", from,
	    to);
}

/* A participant probing an occupant of a semi-anonymous room gets its
 * current presence (show included) without the real JID; a moderator
 * gets it with the JID.  Nobody else hears anything. */
static void
engine_probe_of_an_occupant_answers_its_presence_as_the_prober_may_see(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(room_of_three(f) == 0);
	EXPECT(probe(f, JULIET, OCC("Nurse")) == 1);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
	EXPECT_NULL(fx_attr(p, "type"));
	EXPECT_STR(fx_text(f, p, "show"), "dnd");
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT_NULL(fx_item_attr(p, "jid"));
	EXPECT(!fx_has_status(p, 110));
	EXPECT(probe(f, ROMEO, OCC("Nurse")) == 1);
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0), "jid"), NURSE);
}

/* A probe to the room JID is answered with the prober's own presence. */
static void
engine_probe_of_the_room_answers_the_probers_own_presence(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(room_of_three(f) == 0);
	EXPECT(probe(f, NURSE, FX_ROOM) == 1);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
	EXPECT_STR(fx_text(f, p, "show"), "dnd");
}

/* Probes from strangers, to nicks nobody holds and to rooms that do not
 * exist are errors; a stranger's probe does not make it an occupant. */
static void
engine_probe_from_a_stranger_or_to_nobody_is_an_error(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(room_of_three(f) == 0);
	EXPECT(probe(f, TYBALT, OCC("Nurse")) == 1);
	e = fx_get(f, TYBALT, "presence", 0);
	EXPECT_STR(fx_error(e), "not-acceptable");
	EXPECT_STR(fx_error_by(e), FX_ROOM);
	EXPECT(probe(f, JULIET, OCC("Nobody")) == 1);
	e = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_error(e), "item-not-found");
	EXPECT(fx_text(f, fx_child(e, "error", NULL), "text") != NULL);
	EXPECT(probe(f, JULIET, "nosuch@" FX_DOMAIN "/Nurse") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)),
	    "item-not-found");
	EXPECT(fx_send(f, "<message from='" TYBALT "' to='" FX_ROOM "' "
	    "type='groupchat'><body>in?</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "message", 0)), "not-acceptable");
}

/* In a room that shows absent members (presence broadcast "none"), a
 * probe to an away member's reserved nick gets its unavailable presence;
 * without that setting it is item-not-found. */
static void
engine_probe_of_an_away_member_answers_unavailable_where_shown(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "member",
	    "Benvolio") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(probe(f, JULIET, OCC("Benvolio")) == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)),
	    "item-not-found");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='c'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA "' "
	    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#roomconfig</value></field>"
	    "<field var='muc#roomconfig_presencebroadcast'>"
	    "<value>none</value><value>participant</value><value>moderator"
	    "</value></field></x></query></iq>") >= 1);
	EXPECT(probe(f, JULIET, OCC("Benvolio")) == 1);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_item_attr(p, "affiliation"), "member");
	EXPECT_STR(fx_item_attr(p, "role"), "none");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_probe_of_an_occupant_answers_its_presence_as_the_prober_may_see),
	UT_CASE(engine_probe_of_the_room_answers_the_probers_own_presence),
	UT_CASE(engine_probe_from_a_stranger_or_to_nobody_is_an_error),
	UT_CASE(engine_probe_of_an_away_member_answers_unavailable_where_shown),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
