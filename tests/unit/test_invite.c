/*
 * test_invite.c - mediated invitations and declines (lib/invite.c;
 * XEP-0045 7.8.2, 7.8.3), in the shape the acceptance script
 * muc_mediated_invite expects, and who may invite (5.1.1, 9.5).
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

/* from invites bare (with a reason when not NULL), message id inv1. */
static int
invite(struct fx *f, const char *from, const char *bare, const char *reason)
{
	return fx_send(f, "<message from='%s' to='" FX_ROOM "' id='inv1'>"
	    "<x xmlns='" NS_MUC_USER_X "'><invite to='%s'>%s%s%s</invite></x>"
	    "</message>", from, bare, reason ? "<reason>" : "",
	    reason ? reason : "", reason ? "</reason>" : "");
}

/* muc_mediated_invite: the invitation comes from the room, keeps the id,
 * names the inviter by occupant JID with an empty <reason/>, carries the
 * body the script expects and an XEP-0249 jabber:x:conference element. */
static void
engine_invite_mediated_invite_has_the_acceptance_script_shape(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *x, *inv, *conf;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(invite(f, ROMEO, JULIET_BARE, NULL) == 1);
	m = fx_get(f, JULIET_BARE, "message", 0);
	EXPECT(m != NULL);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(m, "id"), "inv1");
	EXPECT(fx_attr(m, "type") == NULL ||
	    strcmp(fx_attr(m, "type"), "normal") == 0);
	EXPECT_INT(fx_nchildren(m, NULL), 3);
	EXPECT((x = fx_muc_user(m)) != NULL);
	EXPECT_INT(fx_nchildren(x, NULL), 1);	/* no password here */
	EXPECT((inv = fx_child(x, "invite", NULL)) != NULL);
	EXPECT_STR(fx_attr(inv, "from"), OCC("Romeo"));
	EXPECT_NULL(fx_attr(inv, "to"));
	EXPECT(fx_child(inv, "reason", NULL) != NULL);
	EXPECT_STR(fx_text(f, inv, "reason"), "");
	EXPECT_STR(fx_text(f, m, "body"), FX_ROOM "/Romeo invited you to the "
	    "room " FX_ROOM);
	EXPECT((conf = fx_child(m, "x", "jabber:x:conference")) != NULL);
	EXPECT_STR(fx_attr(conf, "jid"), FX_ROOM);
	EXPECT_NULL(fx_attr(conf, "reason"));
	EXPECT_NULL(fx_attr(conf, "password"));
}

/* 7.8.2: the reason is passed on, and "the room SHOULD add the password
 * if the room is password-protected". */
static void
engine_invite_carries_the_reason_and_the_room_password(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *x, *conf;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomsecret",
	    "cauldronburn", (const char *)NULL) == 0);
	EXPECT(invite(f, ROMEO, JULIET_BARE, "Come to the orchard") == 1);
	m = fx_get(f, JULIET_BARE, "message", 0);
	x = fx_muc_user(m);
	EXPECT_STR(fx_text(f, fx_child(x, "invite", NULL), "reason"),
	    "Come to the orchard");
	EXPECT_STR(fx_text(f, x, "password"), "cauldronburn");
	EXPECT_STR(fx_text(f, m, "body"), FX_ROOM "/Romeo invited you to the "
	    "room " FX_ROOM " (Come to the orchard)");
	conf = fx_child(m, "x", "jabber:x:conference");
	EXPECT_STR(fx_attr(conf, "reason"), "Come to the orchard");
	EXPECT_STR(fx_attr(conf, "password"), "cauldronburn");
}

/* 7.8.2: one message per <invite/>, each to its invitee (a full JID
 * names its bare JID). */
static void
engine_invite_sends_one_message_per_invitee(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "'>"
	    "<x xmlns='" NS_MUC_USER_X "'><invite to='" JULIET "'/>"
	    "<invite to='" BENVOLIO_BARE "'/></x></message>") == 2);
	EXPECT_INT(fx_count(f, JULIET_BARE, "message"), 1);
	EXPECT_INT(fx_count(f, BENVOLIO_BARE, "message"), 1);
	EXPECT(invite(f, ROMEO, "not a jid@", NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "jid-malformed");
}

/* 7.8.3: a decline goes back to the inviter from the room, naming the
 * invitee by bare JID, with the reason and the decline's id. */
static void
engine_invite_decline_is_forwarded_back_to_the_inviter(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *d;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(invite(f, ROMEO, JULIET_BARE, NULL) == 1);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "id='jk2vs61v'><x xmlns='" NS_MUC_USER_X "'><decline to='" ROMEO
	    "'><reason>Sorry, I'm too busy right now.</reason></decline></x>"
	    "</message>") == 1);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT(m != NULL);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(m, "id"), "jk2vs61v");
	d = fx_child(fx_muc_user(m), "decline", NULL);
	EXPECT(d != NULL);
	EXPECT_STR(fx_attr(d, "from"), JULIET_BARE);
	EXPECT_NULL(fx_attr(d, "to"));
	EXPECT_STR(fx_text(f, d, "reason"), "Sorry, I'm too busy right now.");
}

/* 5.1.1: participants invite only when the room allows it
 * (muc#roomconfig_allowinvites); moderators always may. */
static void
engine_invite_by_a_participant_needs_allowinvites(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(invite(f, JULIET, NURSE_BARE, NULL) == 1);
	EXPECT_INT(fx_count(f, NURSE_BARE, NULL), 0);
	e = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "forbidden");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_allowinvites", "1",
	    (const char *)NULL) == 0);
	EXPECT(invite(f, JULIET, NURSE_BARE, NULL) == 1);
	EXPECT_STR(fx_attr(fx_child(fx_muc_user(fx_get(f, NURSE_BARE,
	    "message", 0)), "invite", NULL), "from"), OCC("Juliet"));
}

/* Someone who is not in the room and holds no affiliation may not
 * invite; an owner outside the room may. */
static void
engine_invite_by_a_stranger_is_forbidden_but_an_absent_owner_may(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_allowinvites", "1",
	    (const char *)NULL) == 0);
	EXPECT(invite(f, TYBALT, JULIET_BARE, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "message", 0)), "forbidden");
	EXPECT(invite(f, "romeo@montague.lit/street", JULIET_BARE, NULL) == 1);
	EXPECT_STR(fx_attr(fx_child(fx_muc_user(fx_get(f, JULIET_BARE,
	    "message", 0)), "invite", NULL), "from"), ROMEO_BARE);
}

/* 9.5: in a members-only room an admin's invitation adds the invitee to
 * the member list, and a mere member may not invite; "Invitations sent
 * through an open room MUST NOT trigger the addition of the invitee to
 * the member list." */
static void
engine_invite_adds_members_in_a_members_only_room_and_not_in_an_open_one(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(invite(f, ROMEO, NURSE_BARE, NULL) == 1);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='m'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'member'/></query></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(invite(f, ROMEO, JULIET_BARE, NULL) == 1);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 1),
	    "affiliation"), "member");
	/* Juliet, a member, may not invite into the members-only room. */
	EXPECT(invite(f, JULIET, BENVOLIO_BARE, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "message", 0)), "forbidden");
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_STR(fx_error(fx_get(f, BENVOLIO, "presence", 0)),
	    "registration-required");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_invite_mediated_invite_has_the_acceptance_script_shape),
	UT_CASE(engine_invite_carries_the_reason_and_the_room_password),
	UT_CASE(engine_invite_sends_one_message_per_invitee),
	UT_CASE(engine_invite_decline_is_forwarded_back_to_the_inviter),
	UT_CASE(engine_invite_by_a_participant_needs_allowinvites),
	UT_CASE(engine_invite_by_a_stranger_is_forbidden_but_an_absent_owner_may),
	UT_CASE(engine_invite_adds_members_in_a_members_only_room_and_not_in_an_open_one),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
