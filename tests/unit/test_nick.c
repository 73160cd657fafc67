/*
 * test_nick.c - changing nickname in a room (lib/nick.c; XEP-0045 7.6).
 *
 * The old nick goes unavailable with 303 and the new nick in its item,
 * then the occupant appears under the new nick, to everyone (the changer's
 * copies with 110) and with real JIDs only to those who may see them.  A
 * nick in use or reserved by another user is a conflict, an invalid one
 * not acceptable, and a refused change sends nothing to the room.  The
 * presence sent with the change is the occupant's new presence.
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define JULIET_PHONE	"juliet@capulet.lit/phone"

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

/* The same and the Nurse: three in a semi-anonymous room. */
static int
three_in_the_room(struct fx *f)
{
	if (romeo_and_juliet(f) != 0 || fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	if (fx_count(f, NURSE, "presence") != 3) {
		ut_fail(__FILE__, __LINE__, "the Nurse did not enter");
		return -1;
	}
	return 0;
}

/* Was the last send a refusal of a nick change: one presence error to
 * `to` with condition cond by the room, and nothing else? */
static int
refused(struct fx *f, const char *to, const char *cond)
{
	xmpp_stanza_t	*e = fx_get(f, to, "presence", 0);

	return f->ncopies == 1 && e != NULL && fx_attr(e, "type") != NULL &&
	    strcmp(fx_attr(e, "type"), "error") == 0 && fx_error(e) != NULL &&
	    strcmp(fx_error(e), cond) == 0 && fx_error_by(e) != NULL &&
	    strcmp(fx_error_by(e), FX_ROOM) == 0;
}

/* 7.6: the old nick goes unavailable with 303 and the new nick in the
 * item, then the new nick's presence follows; the changer's copies carry
 * 110.  Later stanzas reach the occupant under the new nick. */
static void
engine_nick_nick_change_sends_303_with_the_new_nick_then_new_presence(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*gone, *back;
	size_t		 i;
	static const char *const to[] = { ROMEO, JULIET };

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'/>") == 4);
	for (i = 0; i < 2; i++) {
		gone = fx_get(f, to[i], "presence", 0);
		back = fx_get(f, to[i], "presence", 1);
		EXPECT(fx_pos(f, to[i], "presence", 0) <
		    fx_pos(f, to[i], "presence", 1));
		EXPECT_STR(fx_attr(gone, "type"), "unavailable");
		EXPECT_STR(fx_attr(gone, "from"), OCC("Juliet"));
		EXPECT(fx_has_status(gone, 303));
		EXPECT_STR(fx_item_attr(gone, "nick"), "Jules");
		EXPECT_NULL(fx_attr(back, "type"));
		EXPECT_STR(fx_attr(back, "from"), OCC("Jules"));
		EXPECT_NULL(fx_item_attr(back, "nick"));
		EXPECT_STR(fx_item_attr(back, "role"), "participant");
		EXPECT_INT(fx_has_status(gone, 110), i == 1);
		EXPECT_INT(fx_has_status(back, 110), i == 1);
	}
	/* The old nick is free, the new one taken. */
	EXPECT(fx_join(f, NURSE, "room", "Jules") == 0);
	EXPECT_STR(fx_error(fx_get(f, NURSE, NULL, 0)), "conflict");
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 3);
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "presence", 1), "from"),
	    OCC("Jules"));
}

/* 7.6: a nick already in use is a conflict, and nothing is broadcast. */
static void
engine_nick_nick_change_to_a_nick_in_use_is_a_conflict(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Romeo")
	    "'/>") == 1);
	e = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "conflict");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 7.6 (the spec's example): the 303 and the new presence carry the real
 * JID to occupants who may see it (a moderator in a semi-anonymous room)
 * and to the changer, not to the others; the affiliation and role stay
 * what they were.  In a non-anonymous room everyone sees the JID. */
static void
engine_nick_change_shows_real_jids_only_to_those_who_may_see_them(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;
	size_t		 i;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'/>") == 6);
	for (i = 0; i < 2; i++) {
		p = fx_get(f, ROMEO, "presence", i);
		EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
		EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
		EXPECT_STR(fx_item_attr(p, "role"), "participant");
		p = fx_get(f, JULIET, "presence", i);
		EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
		p = fx_get(f, NURSE, "presence", i);
		EXPECT_NULL(fx_item_attr(p, "jid"));
		EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
		EXPECT_STR(fx_item_attr(p, "role"), "participant");
		EXPECT_INT(fx_has_status(p, 303), i == 0);
		EXPECT_INT(fx_nstatus(p), i == 0);
	}
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0), "nick"),
	    "Jules");
	/* The owner changes nick: still owner and moderator. */
	EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" OCC("Montague")
	    "'/>") == 6);
	p = fx_get(f, NURSE, "presence", 1);
	EXPECT_STR(fx_attr(p, "from"), OCC("Montague"));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "owner");
	EXPECT_STR(fx_item_attr(p, "role"), "moderator");
	EXPECT_NULL(fx_item_attr(p, "jid"));
	/* Non-anonymous: the Nurse sees the JID too. */
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois", "anyone",
	    (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet")
	    "'/>") == 6);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0), "jid"),
	    JULIET);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 1), "jid"),
	    JULIET);
}

/* 7.6: a nick reserved by another user (a member's registered nick) is a
 * conflict too, and nothing is broadcast. */
static void
engine_nick_change_to_a_nick_reserved_by_another_user_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "member",
	    "Prince of Cats") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='"
	    OCC("Prince of Cats") "'/>") == 1);
	EXPECT(refused(f, JULIET, "conflict"));
	EXPECT_STR(fx_error_type(fx_get(f, JULIET, "presence", 0)), "cancel");
	/* Juliet is still Juliet. */
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='chat'><body>Madam?</body></message>") == 1);
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
}

/* 7.6 with 7.12: the user's own reserved nick is no conflict; a member
 * who entered under another nick may change to it. */
static void
engine_nick_change_to_the_users_own_reserved_nick_is_allowed(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member", "Jules") ==
	    0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'/>") == 6);
	p = fx_get(f, NURSE, "presence", 1);
	EXPECT_STR(fx_attr(p, "from"), OCC("Jules"));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "member");
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 1), 110));
}

/* A nick that is no nick (only spaces, which resourceprep lets through
 * but a nick may not be) is jid-malformed, with a reason: the occupant
 * keeps the old one and nobody hears of it. */
static void
engine_nick_change_to_an_invalid_nick_is_jid_malformed(void)
{
	struct fx	*f = fx_new();

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM "/   '/>")
	    == 1);
	EXPECT(refused(f, JULIET, "jid-malformed"));
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='chat'><body>Madam?</body></message>") == 1);
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
}

/* An occupant in the room from two clients changes nick from one of them:
 * the occupant is one, so both clients get the 303 and the new presence
 * with 110, the others one copy each, and both clients are reached under
 * the new nick afterwards. */
static void
engine_nick_change_of_an_occupant_with_two_clients_moves_both(void)
{
	struct fx	*f = fx_new();
	static const char *const mine[] = { JULIET, JULIET_PHONE };
	xmpp_stanza_t	*p;
	size_t		 i;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET_PHONE "' to='"
	    OCC("Juliet") "'/>") >= 1);
	EXPECT(fx_send(f, "<presence from='" JULIET_PHONE "' to='"
	    OCC("Jules") "'/>") == 8);
	for (i = 0; i < 2; i++) {
		EXPECT_INT(fx_count(f, mine[i], "presence"), 2);
		p = fx_get(f, mine[i], "presence", 0);
		EXPECT(fx_has_status(p, 303));
		EXPECT(fx_has_status(p, 110));
		EXPECT_STR(fx_item_attr(p, "nick"), "Jules");
		p = fx_get(f, mine[i], "presence", 1);
		EXPECT_STR(fx_attr(p, "from"), OCC("Jules"));
		EXPECT(fx_has_status(p, 110));
	}
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 2);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 2);
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" OCC("Jules") "' "
	    "type='chat'><body>Madam?</body></message>") == 2);
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
	EXPECT_INT(fx_count(f, JULIET_PHONE, "message"), 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "message", 0), "from"),
	    OCC("Nurse"));
}

/* 7.6 with 7.7: the presence that changes the nick is also the occupant's
 * new presence: its show and status go out with the new nick, and later
 * joiners see them. */
static void
engine_nick_change_carries_its_payload_to_the_new_presence(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'><show>away</show><status>on the balcony</status></presence>") ==
	    4);
	p = fx_get(f, ROMEO, "presence", 1);
	EXPECT_STR(fx_attr(p, "from"), OCC("Jules"));
	EXPECT_STR(fx_text(f, p, "show"), "away");
	EXPECT_STR(fx_text(f, p, "status"), "on the balcony");
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "presence", 1), "show"),
	    "away");
	/* The 303 is about the old presence, not the new one. */
	EXPECT_NULL(fx_child(fx_get(f, ROMEO, "presence", 0), "show", NULL));
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	p = fx_get(f, NURSE, "presence", 1);
	EXPECT_STR(fx_attr(p, "from"), OCC("Jules"));
	EXPECT_STR(fx_text(f, p, "status"), "on the balcony");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_nick_nick_change_sends_303_with_the_new_nick_then_new_presence),
	UT_CASE(engine_nick_nick_change_to_a_nick_in_use_is_a_conflict),
	UT_CASE(engine_nick_change_shows_real_jids_only_to_those_who_may_see_them),
	UT_CASE(engine_nick_change_to_a_nick_reserved_by_another_user_is_a_conflict),
	UT_CASE(engine_nick_change_to_the_users_own_reserved_nick_is_allowed),
	UT_CASE(engine_nick_change_to_an_invalid_nick_is_jid_malformed),
	UT_CASE(engine_nick_change_of_an_occupant_with_two_clients_moves_both),
	UT_CASE(engine_nick_change_carries_its_payload_to_the_new_presence),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
