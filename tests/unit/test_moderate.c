/*
 * test_moderate.c - a moderator retracts a message (lib/moderate.c,
 * XEP-0425 with XEP-0424): the notice to every occupant and the answer,
 * the tombstone for joiners and archive queries, who may moderate, and
 * the refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_fixture.h"

#define NS_MODERATE_X	"urn:xmpp:message-moderate:1"
#define NS_RETRACT_X	"urn:xmpp:message-retract:1"

/* from asks to retract message sid with reason (may be NULL). */
static int
moderate(struct fx *f, const char *from, const char *sid, const char *reason)
{
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' id='mod'>"
	    "<moderate xmlns='" NS_MODERATE_X "' id='%s'><retract xmlns='"
	    NS_RETRACT_X "'/>%s%s%s</moderate></iq>", from, sid,
	    reason ? "<reason>" : "", reason ? reason : "",
	    reason ? "</reason>" : "");
}

/* Romeo's room (archive on unless off) with Juliet, who said something:
 * its stanza-id. */
static const char *
rude(struct fx *f, int archive)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom", "1",
	    "muc#roomconfig_enablearchiving", archive ? "1" : "0",
	    (const char *)NULL) != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' type="
	    "'groupchat' id='j1'><body>rude</body><origin-id xmlns='urn:xmpp:"
	    "sid:0' id='o1'/></message>") != 2)
		return NULL;
	return fx_sid(f, fx_get(f, ROMEO, "message", 0));
}

/* The tombstone of Juliet's message as sid: ids kept, body gone, a
 * <retracted/> by Romeo with <moderated/> and the reason.  Returns 0 or
 * fails the case. */
static void
expect_tombstone(struct fx *f, xmpp_stanza_t *t, const char *sid,
    const char *notice)
{
	xmpp_stanza_t	*r;

	EXPECT(t != NULL);
	EXPECT_STR(fx_attr(t, "from"), FX_ROOM "/Juliet");
	EXPECT_STR(fx_attr(t, "id"), "j1");
	EXPECT_STR(fx_sid(f, t), sid);
	EXPECT(fx_child(t, "origin-id", "urn:xmpp:sid:0") != NULL);
	EXPECT(fx_child(t, "body", NULL) == NULL);
	r = fx_child(t, "retracted", NS_RETRACT_X);
	EXPECT_STR(fx_attr(r, "id"), notice);
	EXPECT_STR(fx_attr(r, "by"), FX_ROOM "/Romeo");
	EXPECT(fx_attr(r, "stamp") != NULL);
	EXPECT_STR(fx_attr(fx_child(r, "moderated", NS_MODERATE_X), "by"),
	    FX_ROOM "/Romeo");
	EXPECT_STR(fx_text(f, r, "reason"), "spam");
}

/* XEP-0425 3.1: every occupant gets the notice from the room (a stanza-id
 * of its own, which is also its id), then the moderator the result. */
static void
engine_moderate_moderator_retracts_with_a_notice_then_the_answer(void)
{
	struct fx	*f = fx_new();
	const char	*sid = rude(f, 1), *notice;
	xmpp_stanza_t	*m, *rx;

	EXPECT(sid != NULL);
	EXPECT(moderate(f, ROMEO, sid, "spam") == 3);
	m = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(m, "type"), "groupchat");
	EXPECT((notice = fx_sid(f, m)) != NULL);
	EXPECT_STR(fx_attr(m, "id"), notice);
	rx = fx_child(m, "retract", NS_RETRACT_X);
	EXPECT_STR(fx_attr(rx, "id"), sid);
	EXPECT_STR(fx_attr(fx_child(rx, "moderated", NS_MODERATE_X), "by"),
	    FX_ROOM "/Romeo");
	EXPECT_STR(fx_text(f, rx, "reason"), "spam");
	EXPECT(fx_pos(f, ROMEO, "message", 0) < fx_pos(f, ROMEO, "iq", 0));
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "type"), "result");
}

/* XEP-0425 6: joiners and archive queries get the tombstone, and the
 * notice after it; so does a room that does not archive, for joiners. */
static void
engine_moderate_tombstone_replaces_the_message_for_joiners_and_queries(void)
{
	struct fx	*f = fx_new(), *g = fx_new();
	const char	*sid = rude(f, 1), *notice, *sid2 = rude(g, 0);

	EXPECT(sid != NULL && sid2 != NULL);
	EXPECT(moderate(f, ROMEO, sid, "spam") == 3);
	notice = fx_sid(f, fx_get(f, JULIET, "message", 0));
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	expect_tombstone(f, fx_get(f, NURSE, "message", 0), sid, notice);
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "message", 1), "id"), notice);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" FX_ROOM "' type='set' "
	    "id='q'><query xmlns='urn:xmpp:mam:2'/></iq>") == 3);
	expect_tombstone(f, fx_child(fx_child(fx_child(fx_get(f, NURSE,
	    "message", 0), "result", "urn:xmpp:mam:2"), "forwarded",
	    "urn:xmpp:forward:0"), "message", "jabber:client"), sid, notice);

	EXPECT(moderate(g, ROMEO, sid2, "spam") == 3);
	notice = fx_sid(g, fx_get(g, JULIET, "message", 0));
	EXPECT(fx_join(g, NURSE, "room", "Nurse") == 0);
	expect_tombstone(g, fx_get(g, NURSE, "message", 0), sid2, notice);
}

/* XEP-0425 3.2: a participant may not; an admin who is not in the room
 * may (his role would be moderator), named by nothing but the room. */
static void
engine_moderate_only_moderators_and_absent_admins_may(void)
{
	struct fx	*f = fx_new();
	const char	*sid = rude(f, 1);
	xmpp_stanza_t	*md;

	EXPECT(sid != NULL);
	EXPECT(moderate(f, JULIET, sid, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "forbidden");
	EXPECT_STR(fx_error_type(fx_get(f, JULIET, "iq", 0)), "auth");
	EXPECT(moderate(f, NURSE, sid, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "iq", 0)), "forbidden");
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "admin", NULL) == 0);
	EXPECT(moderate(f, NURSE, sid, NULL) == 3);
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "iq", 0), "type"), "result");
	md = fx_child(fx_child(fx_get(f, JULIET, "message", 0), "retract",
	    NS_RETRACT_X), "moderated", NS_MODERATE_X);
	EXPECT(md != NULL);
	EXPECT_NULL(fx_attr(md, "by"));
}

/* Refusals: an id the room does not keep, and the room's own notice, are
 * item-not-found; a get, no id, or no <retract/> are malformed; a message
 * already retracted is answered, without a second notice. */
static void
engine_moderate_refuses_what_it_cannot_retract(void)
{
	struct fx	*f = fx_new();
	const char	*sid = rude(f, 1), *notice;

	EXPECT(sid != NULL);
	EXPECT(moderate(f, ROMEO, "AAAAAAAAAAA", NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "item-not-found");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='m'><moderate xmlns='" NS_MODERATE_X "' id='%s'><retract "
	    "xmlns='" NS_RETRACT_X "'/></moderate></iq>", sid) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='m'><moderate xmlns='" NS_MODERATE_X "'><retract xmlns='"
	    NS_RETRACT_X "'/></moderate></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='m'><moderate xmlns='" NS_MODERATE_X "' id='%s'/></iq>", sid) ==
	    1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)),
	    "feature-not-implemented");
	EXPECT(moderate(f, ROMEO, sid, NULL) == 3);
	notice = fx_sid(f, fx_get(f, JULIET, "message", 0));
	EXPECT(moderate(f, ROMEO, sid, NULL) == 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "type"), "result");
	EXPECT(moderate(f, ROMEO, notice, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "item-not-found");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_moderate_moderator_retracts_with_a_notice_then_the_answer),
	UT_CASE(engine_moderate_tombstone_replaces_the_message_for_joiners_and_queries),
	UT_CASE(engine_moderate_only_moderators_and_absent_admins_may),
	UT_CASE(engine_moderate_refuses_what_it_cannot_retract),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
