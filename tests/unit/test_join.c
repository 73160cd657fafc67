/*
 * test_join.c - entering a room (lib/join.c; XEP-0045 7.2, 10.1.1), with
 * the presence updates (7.7) that are routed from the same presence
 * handler.  Nick changes (7.6, lib/nick.c) are in test_nick.c.
 */
#include "engine_fixture.h"
#include "room.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Romeo creates room and accepts the default configuration; Juliet then
 * enters.  Returns 0 or -1 (the case has failed). */
static int
romeo_and_juliet(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0)
		return -1;
	if (fx_count(f, JULIET, "presence") != 2) {
		ut_fail(__FILE__, __LINE__, "Juliet did not enter");
		return -1;
	}
	return 0;
}

/* 10.1.1: the creator gets 201 and 110, is owner and moderator, and the
 * empty subject comes from the room itself. */
static void
engine_join_creates_a_locked_room_with_201_and_110_for_its_owner(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *m, *x, *last;

	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT_INT(f->ncopies, 2);
	EXPECT_INT(fx_count(f, ROMEO, NULL), 2);
	EXPECT_INT(fx_pos(f, ROMEO, "presence", 0), 0);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Romeo"));
	EXPECT_NULL(fx_attr(p, "type"));
	EXPECT_INT(fx_nstatus(p), 2);
	EXPECT(fx_has_status(p, 201));
	EXPECT(fx_has_status(p, 110));
	x = fx_muc_user(p);
	/* 110 comes last, after the item, as the acceptance scripts expect */
	for (last = xmpp_stanza_get_children(x);
	    xmpp_stanza_get_next(last) != NULL;
	    last = xmpp_stanza_get_next(last))
		;
	EXPECT_STR(xmpp_stanza_get_name(last), "status");
	EXPECT_STR(fx_attr(last, "code"), "110");
	EXPECT_STR(fx_item_attr(p, "affiliation"), "owner");
	EXPECT_STR(fx_item_attr(p, "role"), "moderator");
	EXPECT_STR(fx_item_attr(p, "jid"), ROMEO);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT_INT(fx_pos(f, ROMEO, "message", 0), 1);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(m, "type"), "groupchat");
	EXPECT(fx_child(m, "subject", NULL) != NULL);
	EXPECT_STR(fx_text(f, m, "subject"), "");
	EXPECT(fx_child(m, "body", NULL) == NULL);
}

/* 7.2.10 / 10.1.1: until the owner configures it, the room does not
 * exist for anyone else. */
static void
engine_join_refuses_others_while_locked_with_item_not_found_by_the_room(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "' "
	    "id='n13mt3l'><x xmlns='" NS_MUC_X "'/></presence>") == 1);
	e = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "id"), "n13mt3l");
	EXPECT_STR(fx_attr(e, "from"), OCC("Juliet"));
	EXPECT_STR(fx_error(e), "item-not-found");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT_STR(fx_error_by(e), FX_ROOM);	/* 7.2.10 */
	/* Romeo heard nothing: Juliet never entered. */
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 7.2.2, 7.2.13, 7.2.15: a joiner gets the occupants' presences in join
 * order, then its own (110, the last presence), then history, then the
 * subject; the others get its presence once. */
static void
engine_join_sends_occupants_then_self_then_history_then_subject(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*self, *hist, *subj;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Wherefore art thou</body></message>") == 2);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, NULL), 5);
	EXPECT_INT(fx_count(f, ROMEO, NULL), 1);
	EXPECT_INT(fx_count(f, JULIET, NULL), 1);
	EXPECT_INT(f->ncopies, 7);
	EXPECT_STR(fx_attr(fx_get(f, NURSE, NULL, 0), "from"), OCC("Romeo"));
	EXPECT_STR(fx_attr(fx_get(f, NURSE, NULL, 1), "from"), OCC("Juliet"));
	self = fx_get(f, NURSE, NULL, 2);
	EXPECT_STR(xmpp_stanza_get_name(self), "presence");
	EXPECT_STR(fx_attr(self, "from"), OCC("Nurse"));
	EXPECT(fx_has_status(self, 110));
	EXPECT(!fx_has_status(fx_get(f, NURSE, NULL, 0), 110));
	EXPECT(!fx_has_status(fx_get(f, NURSE, NULL, 1), 110));
	hist = fx_get(f, NURSE, NULL, 3);
	EXPECT_STR(xmpp_stanza_get_name(hist), "message");
	EXPECT_STR(fx_text(f, hist, "body"), "Wherefore art thou");
	EXPECT(fx_child(hist, "delay", "urn:xmpp:delay") != NULL);
	subj = fx_get(f, NURSE, NULL, 4);
	EXPECT_STR(xmpp_stanza_get_name(subj), "message");
	EXPECT(fx_child(subj, "subject", NULL) != NULL);
	/* Everyone else hears of the Nurse before she hears of herself. */
	EXPECT(fx_pos(f, ROMEO, "presence", 0) < fx_pos(f, NURSE, NULL, 2));
	EXPECT(fx_pos(f, JULIET, "presence", 0) < fx_pos(f, NURSE, NULL, 2));
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "presence", 0), "from"),
	    OCC("Nurse"));
	EXPECT(!fx_has_status(fx_get(f, ROMEO, "presence", 0), 110));
}

/* 7.2.4 (semi-anonymous, the default): only moderators see real JIDs. */
static void
engine_join_semi_anonymous_room_shows_jids_to_moderators_only(void)
{
	struct fx	*f = fx_new();

	EXPECT(romeo_and_juliet(f) == 0);
	/* Juliet (participant) saw Romeo without a JID. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_NULL(fx_item_attr(fx_get(f, NURSE, NULL, 0), "jid"));
	EXPECT_NULL(fx_item_attr(fx_get(f, NURSE, NULL, 1), "jid"));
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, NULL, 2), "jid"), NURSE);
	EXPECT_NULL(fx_item_attr(fx_get(f, JULIET, "presence", 0), "jid"));
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0), "jid"),
	    NURSE);
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0), "role"),
	    "participant");
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0),
	    "affiliation"), "none");
	/* No 100: the room is not non-anonymous. */
	EXPECT(!fx_has_status(fx_get(f, NURSE, NULL, 2), 100));
}

/* 7.2.3: in a non-anonymous room everyone sees real JIDs, and the
 * joiner is told so with 100. */
static void
engine_join_non_anonymous_room_shows_jids_to_all_with_status_100(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois", "anyone",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, NULL, 0), "jid"), ROMEO);
	EXPECT(fx_has_status(fx_get(f, JULIET, NULL, 1), 100));
	EXPECT(fx_has_status(fx_get(f, JULIET, NULL, 1), 110));
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 0), "jid"),
	    NURSE);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, NULL, 1), "jid"), JULIET);
}

/* 7.2.5: a password-protected room wants the password in the MUC <x/>. */
static void
engine_join_wrong_or_missing_password_is_not_authorized(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomsecret",
	    "cauldronburn", (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(f->ncopies, 1);
	e = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "not-authorized");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT_STR(fx_error_by(e), FX_ROOM);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<x xmlns='" NS_MUC_X "'><password>cauldron</password></x>"
	    "</presence>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, NULL, 0)), "not-authorized");
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<x xmlns='" NS_MUC_X "'><password>cauldronburnx</password></x>"
	    "</presence>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, NULL, 0)), "not-authorized");
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<x xmlns='" NS_MUC_X "'><password>cauldronburn</password></x>"
	    "</presence>") == 4);
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 1), 110));
}

/* 7.2.8: a nick in use by another occupant is a conflict. */
static void
engine_join_nick_in_use_is_a_conflict(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);
	EXPECT_INT(f->ncopies, 1);
	e = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_error(e), "conflict");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT_STR(fx_attr(e, "from"), OCC("Juliet"));
}

/* 7.2.8, 7.12: a nick reserved by another user is a conflict too. */
static void
engine_join_nick_reserved_by_another_user_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);
	EXPECT_INT(f->ncopies, 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "conflict");
	/* Juliet herself, from any resource, may use it. */
	EXPECT(fx_join(f, "juliet@capulet.lit/tomb", "room", "Juliet") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, "juliet@capulet.lit/tomb",
	    "presence", 1), "affiliation"), "member");
}

/* 7.2.6: a members-only room wants membership. */
static void
engine_join_members_only_room_refuses_non_members_with_registration_required(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(f->ncopies, 1);
	e = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_error(e), "registration-required");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
}

/* 7.2.7: an outcast may not enter. */
static void
engine_join_banned_user_is_forbidden(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "outcast",
	    NULL) == 0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_INT(f->ncopies, 1);
	e = fx_get(f, TYBALT, "presence", 0);
	EXPECT_STR(fx_error(e), "forbidden");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 7.2.9: a full room answers service-unavailable; "if [...] a room admin
 * or owner attempts to join, the room MUST allow" it. */
static void
engine_join_full_room_is_service_unavailable_except_for_admins(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_maxusers", "2",
	    (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(f->ncopies, 1);
	e = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_error(e), "service-unavailable");
	EXPECT_STR(fx_error_type(e), "wait");
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_INT(fx_count(f, BENVOLIO, "presence"), 3);
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 2), "role"),
	    "moderator");
}

/* 7.2.1: no nick is jid-malformed; a nick resourceprep refuses, or one
 * made only of spaces, is not acceptable. */
static void
engine_join_without_a_valid_nick_is_refused(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" FX_ROOM "'>"
	    "<x xmlns='" NS_MUC_X "'/></presence>") == 1);
	e = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_error(e), "jid-malformed");
	EXPECT_STR(fx_error_type(e), "modify");
	EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" FX_ROOM "/   '>"
	    "<x xmlns='" NS_MUC_X "'/></presence>") == 1);
	e = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_error(e), "jid-malformed");
	EXPECT_STR(fx_error_type(e), "modify");
	EXPECT_STR(fx_error_by(e), FX_ROOM);
	EXPECT(fx_text(f, fx_child(e, "error", NULL), "text") != NULL);
	/* Nothing was created by the refusals. */
	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "presence", 0), 201));
}

/* 5.1.2: the role on entry follows the affiliation and the room type. */
static void
engine_join_moderated_room_gives_visitor_participant_moderator_by_affiliation(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 1), "role"),
	    "visitor");
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 2), "role"),
	    "participant");
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 3), "role"),
	    "moderator");
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 3),
	    "affiliation"), "admin");
}

/* 7.2.18: a client without MUC support (no <x/>) still enters, and the
 * room name is prepared (nodeprep) before the lookup. */
static void
engine_join_without_muc_x_and_with_upper_case_room_name_enters_the_room(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' "
	    "to='ROOM@conference.localhost/Juliet'/>") == 4);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "presence", 1), "from"),
	    OCC("Juliet"));
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
}

/* 7.7: a changed presence goes to everyone, the occupant's own copy with
 * 110, carrying the new show and status. */
static void
engine_join_presence_update_is_broadcast_with_the_new_show_and_status(void)
{
	struct fx	*f = fx_new();
	size_t		 i;
	static const char *const to[] = { ROMEO, JULIET };

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<show>away</show><status>at the window</status></presence>") == 2);
	for (i = 0; i < 2; i++) {
		xmpp_stanza_t *p = fx_get(f, to[i], "presence", 0);

		EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
		EXPECT_NULL(fx_attr(p, "type"));
		EXPECT_STR(fx_text(f, p, "show"), "away");
		EXPECT_STR(fx_text(f, p, "status"), "at the window");
		EXPECT_INT(fx_has_status(p, 110), i == 1);
	}
	/* The new payload replaces the old one for later joiners. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_text(f, fx_get(f, NURSE, NULL, 1), "show"), "away");
}

/* Subscription requests to a room are not for the engine, and neither
 * they nor a probe is ever a join (probes are probe.c's). */
static void
engine_join_subscriptions_and_probes_never_join(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='subscribe'/>") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='probe'/>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)), "not-acceptable");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='unavailable'/>") == 0);
}

/* muc_show_offline: with "none" among the broadcast roles, a joiner
 * learns of members who are not in the room, as unavailable presences
 * naming their reserved nick, after the occupants and before itself. */
static void
engine_join_broadcast_of_role_none_shows_absent_members_as_unavailable(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='c'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA "' "
	    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#roomconfig</value></field>"
	    "<field var='muc#roomconfig_presencebroadcast'>"
	    "<value>none</value><value>participant</value><value>moderator"
	    "</value></field></x></query></iq>") >= 1);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_INT(fx_count(f, TYBALT, "presence"), 3);
	EXPECT_STR(fx_attr(fx_get(f, TYBALT, NULL, 0), "from"), OCC("Romeo"));
	p = fx_get(f, TYBALT, NULL, 1);
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_item_attr(p, "affiliation"), "member");
	EXPECT_STR(fx_item_attr(p, "role"), "none");
	EXPECT_STR(fx_item_attr(p, "nick"), "Juliet");
	EXPECT_NULL(fx_item_attr(p, "jid"));
	EXPECT(fx_has_status(fx_get(f, TYBALT, NULL, 2), 110));
	/* Once Juliet is in, she is no longer shown as absent. */
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 4);
	EXPECT_NULL(fx_attr(fx_get(f, NURSE, "presence", 2), "type"));
}


/* Multi-session: the same user from a second client under the same nick
 * is the same occupant, not a conflict.  The new client gets the room (the
 * others' presences, its own with 110, the subject); the room sees the
 * occupant's presence change, not a newcomer; everything for the occupant
 * reaches both clients; one client leaving tells only that client. */
#define JULIET2	"juliet@capulet.lit/phone"
static void
engine_join_second_client_of_an_occupant_shares_its_nick(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET2 "' to='" FX_ROOM
	    "/Juliet'><x xmlns='http://jabber.org/protocol/muc'/></presence>")
	    >= 3);
	EXPECT_NULL(fx_error(fx_get(f, JULIET2, "presence", 0)));
	EXPECT_STR(fx_attr(fx_get(f, JULIET2, "presence", 0), "from"),
	    FX_ROOM "/Romeo");
	p = fx_get(f, JULIET2, "presence", 1);
	EXPECT_STR(fx_attr(p, "from"), FX_ROOM "/Juliet");
	EXPECT(fx_has_status(p, 110));
	EXPECT_INT(fx_count(f, JULIET2, "message"), 1);	/* the subject */
	/* Romeo sees Juliet's presence again, as an update. */
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
	EXPECT(!fx_has_status(fx_get(f, ROMEO, "presence", 0), 201));
	/* A groupchat message reaches Romeo and both of Juliet's clients. */
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Two phones?</body></message>") == 3);
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
	EXPECT_INT(fx_count(f, JULIET2, "message"), 1);
	/* The phone leaves: only the phone is told, Juliet is still in. */
	EXPECT(fx_send(f, "<presence type='unavailable' from='" JULIET2
	    "' to='" FX_ROOM "/Juliet'/>") == 1);
	p = fx_get(f, JULIET2, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_item_attr(p, "role"), "none");
	EXPECT(fx_has_status(p, 110));
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>One phone.</body></message>") == 2);
	/* Someone else still gets conflict for the nick. */
	EXPECT(fx_send(f, "<presence from='" NURSE "' to='" FX_ROOM
	    "/Juliet'/>") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "conflict");
}

/* A join presence for the nick one holds resynchronises that client: it
 * gets the occupants, its self-presence with 110, the history it asks
 * for and the subject again; the others see a presence update only when
 * the presence changed, and nobody sees a second join. */
static void
engine_join_rejoin_under_the_held_nick_resynchronises_the_client(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>one</body></message>") == 2);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM "/Juliet'>"
	    "<x xmlns='" NS_MUC_X "'><history maxstanzas='5'/></x></presence>")
	    == 4);
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);	/* nothing changed */
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "presence", 0), "from"),
	    FX_ROOM "/Romeo");
	p = fx_get(f, JULIET, "presence", 1);
	EXPECT(fx_has_status(p, 110));
	EXPECT(!fx_has_status(p, 201));
	EXPECT_INT(fx_count(f, JULIET, "message"), 2);	/* history, subject */
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"), "one");
	EXPECT(fx_pos(f, JULIET, "presence", 1) <
	    fx_pos(f, JULIET, "message", 0));
	/* A changed presence: the others see the update, not a join. */
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM "/Juliet'>"
	    "<x xmlns='" NS_MUC_X "'><history maxstanzas='0'/></x>"
	    "<show>away</show></presence>") == 4);
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_text(f, p, "show"), "away");
	EXPECT(!fx_has_status(p, 110));
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);	/* the subject only */
}
/* Nicks with characters that hide or pretend are refused with
 * jid-malformed by the room, saying why: a no-break space (resourceprep's
 * NFKC would make it a plain space), a bidi override, an invisible
 * joiner, a private-use character. */
static void
engine_join_nicks_with_hidden_characters_are_jid_malformed_with_a_reason(void)
{
	static const char *const nicks[] = {
		"Ro\xc2\xa0meo", "Ro\xe2\x80\xaemeo", "Ro\xe2\x80\x8dmeo",
		"Ro\xee\x80\x80meo", "Ro\xe3\x80\x80meo",
	};
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;
	size_t		 i;

	for (i = 0; i < sizeof(nicks) / sizeof(nicks[0]); i++) {
		EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" FX_ROOM
		    "/%s'><x xmlns='" NS_MUC_X "'/></presence>", nicks[i]) == 1);
		e = fx_get(f, ROMEO, "presence", 0);
		EXPECT_STR(fx_error(e), "jid-malformed");
		EXPECT_STR(fx_error_by(e), FX_ROOM);
		EXPECT(fx_text(f, fx_child(e, "error", NULL), "text") != NULL);
	}
	/* Nothing was created. */
	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "presence", 0), 201));
	/* The same on a nick change. */
	EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" FX_ROOM
	    "/Ro\xc2\xa0meo'/>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "presence", 0)), "jid-malformed");
}
/* A nick that looks like one in use or reserved by another user is a
 * conflict (case-folded confusables skeletons): "romeo" and a Cyrillic
 * "Rоmeo" while Romeo is in, "JULIET" while Juliet's is reserved.  The
 * user himself may; with the room option off, anyone may. */
static void
engine_join_lookalike_nicks_are_a_conflict_unless_the_room_allows_them(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member", "Juliet")
	    == 0);
	EXPECT(fx_send(f, "<presence from='" TYBALT "' to='" FX_ROOM "/romeo'>"
	    "<x xmlns='" NS_MUC_X "'/></presence>") == 1);
	e = fx_get(f, TYBALT, "presence", 0);
	EXPECT_STR(fx_error(e), "conflict");
	EXPECT(fx_text(f, fx_child(e, "error", NULL), "text") != NULL);
	EXPECT(fx_send(f, "<presence from='" TYBALT "' to='" FX_ROOM
	    "/R\xd0\xbemeo'><x xmlns='" NS_MUC_X "'/></presence>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "presence", 0)), "conflict");
	EXPECT(fx_send(f, "<presence from='" TYBALT "' to='" FX_ROOM "/JULIET'>"
	    "<x xmlns='" NS_MUC_X "'/></presence>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "presence", 0)), "conflict");
	EXPECT(fx_join(f, JULIET, "room", "juliet") == 0);	/* her own */
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	/* A nick change is held to the same rule. */
	EXPECT(fx_send(f, "<presence from='" TYBALT "' to='" FX_ROOM
	    "/ROMEO'/>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "presence", 0)), "conflict");
	EXPECT(fx_config(f, ROMEO, "room", "mucd#roomconfig_refuseconfusable",
	    "0", (const char *)NULL) == 0);
	EXPECT(fx_join(f, BENVOLIO, "room", "romeo") == 0);
}
/* In a crowded room (more occupants than the service's setting) only
 * moderators' presence goes to everyone: a participant's join, status and
 * leave go to the moderators alone, a joining participant gets only the
 * moderators' presences and its own; a moderator still sees everyone. */
static void
engine_join_crowded_room_shows_participants_to_moderators_only(void)
{
	struct fx	*f = fx_new();

	f->svc->crowded = 2;
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);	/* 2: not yet */
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);	/* 3: crowded */
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);	/* the moderator sees */
	EXPECT_INT(fx_count(f, JULIET, "presence"), 0);	/* a participant not */
	EXPECT_INT(fx_count(f, NURSE, "presence"), 2);	/* Romeo, herself */
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "presence", 0), "from"),
	    FX_ROOM "/Romeo");
	EXPECT(fx_send(f, "<presence from='" NURSE "' to='" FX_ROOM "/Nurse'>"
	    "<show>away</show></presence>") == 2);	/* Romeo and herself */
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" FX_ROOM "' "
	    "type='groupchat'><body>hi</body></message>") == 3);	/* all */
	EXPECT(fx_leave(f, NURSE, "room") == 0);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
	/* A moderator joining sees everyone. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "admin", NULL) == 0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_INT(fx_count(f, TYBALT, "presence"), 4);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_join_second_client_of_an_occupant_shares_its_nick),
	UT_CASE(engine_join_creates_a_locked_room_with_201_and_110_for_its_owner),
	UT_CASE(engine_join_refuses_others_while_locked_with_item_not_found_by_the_room),
	UT_CASE(engine_join_sends_occupants_then_self_then_history_then_subject),
	UT_CASE(engine_join_semi_anonymous_room_shows_jids_to_moderators_only),
	UT_CASE(engine_join_non_anonymous_room_shows_jids_to_all_with_status_100),
	UT_CASE(engine_join_wrong_or_missing_password_is_not_authorized),
	UT_CASE(engine_join_nick_in_use_is_a_conflict),
	UT_CASE(engine_join_nick_reserved_by_another_user_is_a_conflict),
	UT_CASE(engine_join_members_only_room_refuses_non_members_with_registration_required),
	UT_CASE(engine_join_banned_user_is_forbidden),
	UT_CASE(engine_join_full_room_is_service_unavailable_except_for_admins),
	UT_CASE(engine_join_without_a_valid_nick_is_refused),
	UT_CASE(engine_join_moderated_room_gives_visitor_participant_moderator_by_affiliation),
	UT_CASE(engine_join_without_muc_x_and_with_upper_case_room_name_enters_the_room),
	UT_CASE(engine_join_presence_update_is_broadcast_with_the_new_show_and_status),
	UT_CASE(engine_join_subscriptions_and_probes_never_join),
	UT_CASE(engine_join_broadcast_of_role_none_shows_absent_members_as_unavailable),
	UT_CASE(engine_join_rejoin_under_the_held_nick_resynchronises_the_client),
	UT_CASE(engine_join_nicks_with_hidden_characters_are_jid_malformed_with_a_reason),
	UT_CASE(engine_join_lookalike_nicks_are_a_conflict_unless_the_room_allows_them),
	UT_CASE(engine_join_crowded_room_shows_participants_to_moderators_only),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
