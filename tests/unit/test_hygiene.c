/*
 * test_hygiene.c - lib/hygiene.c: nothing a client claims in the room's
 * name reaches anyone, on any relay path (groupchat and its history,
 * private messages, presence at join, update and nick change, iqs
 * through the proxy), while what the client may say goes through.
 */
#include <stdio.h>
#include <string.h>

#include "engine_fixture.h"
#include "hygiene.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Every claim a client may not make, as children of one stanza. */
#define CLAIMS \
	"<x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/>" \
	"<item affiliation='owner' role='moderator' jid='romeo@montague.lit'/>" \
	"</x>" \
	"<delay xmlns='urn:xmpp:delay' from='" FX_ROOM "' " \
	"stamp='2001-01-01T00:00:00Z'/>" \
	"<x xmlns='jabber:x:delay' stamp='20010101T00:00:00'/>" \
	"<stanza-id xmlns='urn:xmpp:sid:0' by='" FX_ROOM "' id='forged'/>" \
	"<stanza-id xmlns='urn:xmpp:sid:0' by='" FX_DOMAIN "' id='forged2'/>" \
	"<occupant-id xmlns='urn:xmpp:occupant-id:0' id='forged'/>" \
	"<hats xmlns='urn:xmpp:hats:0'><hat uri='urn:x' title='Queen'/></hats>" \
	"<addresses xmlns='http://jabber.org/protocol/address'>" \
	"<address type='ofrom' jid='queen@verona.lit'/></addresses>" \
	"<moderated xmlns='urn:xmpp:message-moderate:1' by='" FX_ROOM "'/>" \
	"<retract xmlns='urn:xmpp:message-retract:1' id='x'>" \
	"<moderated xmlns='urn:xmpp:message-moderate:1'/></retract>" \
	"<retracted xmlns='urn:xmpp:message-retract:1' stamp='2001-01-01T00:00:00Z'/>" \
	"<apply-to xmlns='urn:xmpp:fasten:0' id='x'>" \
	"<moderated xmlns='urn:xmpp:message-moderate:0'/></apply-to>"

/* What a client may say and must reach everyone. */
#define FREE \
	"<origin-id xmlns='urn:xmpp:sid:0' id='mine'/>" \
	"<stanza-id xmlns='urn:xmpp:sid:0' by='juliet@capulet.lit' id='hers'/>"

/* Does s carry any of the claims?  Returns the first one's name. */
static const char *
claim_in(xmpp_stanza_t *s)
{
	static const struct { const char *name, *ns; } claims[] = {
		{ "delay", "urn:xmpp:delay" }, { "x", "jabber:x:delay" },
		{ "hats", "urn:xmpp:hats:0" },
		{ "addresses", "http://jabber.org/protocol/address" },
		{ "moderated", "urn:xmpp:message-moderate:1" },
		{ "retract", "urn:xmpp:message-retract:1" },
		{ "retracted", "urn:xmpp:message-retract:1" },
		{ "apply-to", "urn:xmpp:fasten:0" },
	};
	xmpp_stanza_t	*c;
	size_t		 i;

	for (i = 0; i < sizeof(claims) / sizeof(claims[0]); i++)
		if (fx_child(s, claims[i].name, claims[i].ns) != NULL)
			return claims[i].name;
	/* The room's occupant-id (XEP-0421) in place of the forged one:
	 * one at most, and not the client's. */
	if (fx_nchildren(s, "occupant-id") > 1 ||
	    ((c = fx_child(s, "occupant-id", "urn:xmpp:occupant-id:0")) !=
	    NULL && strcmp(fx_attr(c, "id"), "forged") == 0))
		return "occupant-id";
	/* The room's own stanza-id, which it adds, is the only one by the
	 * service left, with an id of its own. */
	for (c = xmpp_stanza_get_children(s); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "stanza-id") == 0 &&
		    strstr(fx_attr(c, "by"), FX_DOMAIN) != NULL &&
		    (strcmp(fx_attr(c, "by"), FX_ROOM) != 0 ||
		    strncmp(fx_attr(c, "id"), "forged", 6) == 0))
			return "stanza-id by the service";
	return NULL;
}

/* The muc#user <x/> of s (a presence of Juliet's to someone else) has the
 * room's one item, none of the forged status 110 and owner item. */
static int
muc_user_is_clean(xmpp_stanza_t *s)
{
	xmpp_stanza_t	*x = fx_muc_user(s);

	return x != NULL && !fx_has_status(s, 110) &&
	    fx_nchildren(x, "item") == 1 &&
	    strcmp(fx_item_attr(s, "affiliation"), "none") == 0 &&
	    (fx_item_attr(s, "jid") == NULL ||
	    strcmp(fx_item_attr(s, "jid"), JULIET) == 0);
}

static int
romeo_juliet_nurse(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	return 0;
}

/* Groupchat: every copy, the sender's included, is clean; the body, an
 * origin-id and a stanza-id by someone else go through. */
static void
engine_hygiene_groupchat_relays_nothing_only_the_room_may_say(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;
	size_t		 i;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat' id='g1'><body>Hark</body>" CLAIMS FREE
	    "</message>") == 3);
	for (i = 0; i < 3; i++) {
		m = fx_get(f, NULL, "message", i);
		EXPECT_NULL(claim_in(m));
		EXPECT(fx_muc_user(m) == NULL);
		EXPECT_STR(fx_text(f, m, "body"), "Hark");
		EXPECT(fx_child(m, "origin-id", "urn:xmpp:sid:0") != NULL);
		EXPECT(fx_child(m, "stanza-id", "urn:xmpp:sid:0") != NULL);
		EXPECT_STR(fx_attr(m, "from"), OCC("Juliet"));
	}
}

/* History: the copy a joiner gets has exactly one delay, the room's. */
static void
engine_hygiene_history_copy_carries_only_the_rooms_delay(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *c;
	int		 ndelays = 0;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Hark</body>" CLAIMS "</message>") == 3);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT((m = fx_get(f, TYBALT, "message", 0)) != NULL);
	for (c = xmpp_stanza_get_children(m); c != NULL;
	    c = xmpp_stanza_get_next(c))
		ndelays += xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "delay") == 0;
	EXPECT_INT(ndelays, 1);
	c = fx_child(m, "delay", "urn:xmpp:delay");
	EXPECT_STR(fx_attr(c, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(c, "stamp"), "2023-11-14T22:13:20Z");
	EXPECT(fx_child(m, "x", "jabber:x:delay") == NULL);
	EXPECT(fx_muc_user(m) == NULL);
}

/* Private message: the claims go, and the room's own empty muc#user
 * <x/> (7.5) is the only one. */
static void
engine_hygiene_private_message_carries_only_the_rooms_x(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='chat'><body>psst</body>" CLAIMS "</message>") == 1);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT_NULL(claim_in(m));
	EXPECT(fx_muc_user(m) != NULL);
	EXPECT_INT(fx_nchildren(fx_muc_user(m), NULL), 0);
	EXPECT_INT(fx_nchildren(m, "x"), 1);
	EXPECT_STR(fx_text(f, m, "body"), "psst");
}

/* Presence: at join, on an update and on a nick change, the others see
 * the show and status and none of the claims; the room's own <x/> holds
 * only what the room says. */
static void
engine_hygiene_presence_carries_show_and_status_not_claims(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;
	size_t		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<x xmlns='http://jabber.org/protocol/muc'/><show>away</show>"
	    CLAIMS "</presence>") >= 3);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_NULL(claim_in(p));
	EXPECT(muc_user_is_clean(p));
	EXPECT_STR(fx_text(f, p, "show"), "away");
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<status>back</status>" CLAIMS "</presence>") == 2);
	for (i = 0; i < 2; i++) {
		p = fx_get(f, NULL, "presence", i);
		EXPECT_NULL(claim_in(p));
		EXPECT_STR(fx_text(f, p, "status"), "back");
		EXPECT_INT(fx_nchildren(p, "x"), 1);	/* the room's */
	}
	EXPECT(muc_user_is_clean(fx_get(f, ROMEO, "presence", 0)));
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules") "'>"
	    "<status>renamed</status>" CLAIMS "</presence>") == 4);
	for (i = 0; i < 4; i++)
		EXPECT_NULL(claim_in(fx_get(f, NULL, "presence", i)));
	EXPECT_STR(fx_text(f, fx_get(f, ROMEO, "presence", 1), "status"),
	    "renamed");
}

/* Iqs through the proxy lose the claims too; the query goes through. */
static void
engine_hygiene_iq_through_the_proxy_carries_no_claims(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v1'><query xmlns='jabber:iq:version'/>"
	    "<delay xmlns='urn:xmpp:delay' stamp='2001-01-01T00:00:00Z'/>"
	    "<addresses xmlns='http://jabber.org/protocol/address'/>"
	    "</iq>") == 1);
	iq = fx_get(f, ROMEO, "iq", 0);
	EXPECT(fx_child(iq, "query", "jabber:iq:version") != NULL);
	EXPECT_NULL(claim_in(iq));
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
}

/* A groupchat message that carries an invitation is an invitation: the
 * invitee gets it from the room, and no occupant gets the message. */
static void
engine_hygiene_invite_inside_groupchat_is_an_invitation_not_a_message(void)
{
	struct fx	*f = fx_new();

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>come</body><x xmlns='"
	    "http://jabber.org/protocol/muc#user'><invite to='" TYBALT_BARE
	    "'/></x></message>") == 1);
	EXPECT_INT(fx_count(f, TYBALT_BARE, "message"), 1);
	EXPECT(fx_child(fx_muc_user(fx_get(f, TYBALT_BARE, "message", 0)),
	    "invite", NULL) != NULL);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
}

/* hygiene_forged() on single elements: a stanza-id by another domain and
 * a plain XEP-0424 retraction (the room decides on those) are not claims;
 * the presence path also drops the join request and errors. */
static void
engine_hygiene_forged_tells_claims_from_what_a_client_may_say(void)
{
	static const struct { const char *xml; int msg, pres; } cases[] = {
		{ "<stanza-id xmlns='urn:xmpp:sid:0' by='other.lit' id='a'/>", 0, 0 },
		{ "<stanza-id xmlns='urn:xmpp:sid:0' by='x@" FX_DOMAIN "/y' "
		  "id='a'/>", 1, 1 },
		{ "<stanza-id xmlns='urn:xmpp:sid:0' id='a'/>", 1, 1 },
		{ "<retract xmlns='urn:xmpp:message-retract:1' id='a'/>", 0, 0 },
		{ "<x xmlns='http://jabber.org/protocol/muc'/>", 0, 1 },
		{ "<error type='cancel'/>", 0, 1 },
		{ "<body>hi</body>", 0, 0 },
		{ "<c xmlns='http://jabber.org/protocol/caps' node='n' ver='v' "
		  "hash='sha-1'/>", 0, 0 },
	};
	struct fx	*f = fx_new();
	xmpp_stanza_t	*s;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT((s = xmpp_stanza_new_from_string(f->ctx,
		    cases[i].xml)) != NULL);
		EXPECT_INT(hygiene_forged(s, FX_DOMAIN, HYGIENE_MESSAGE),
		    cases[i].msg);
		EXPECT_INT(hygiene_forged(s, FX_DOMAIN, HYGIENE_PRESENCE),
		    cases[i].pres);
		xmpp_stanza_release(s);
	}
}

/* A child's xml:lang goes out as xml:lang (libstrophe parses it as
 * "lang", and would write it back so), in messages and in presence. */
static void
engine_hygiene_relayed_children_keep_their_xml_lang(void)
{
	struct fx	*f = fx_new();
	size_t		 i;

	EXPECT(romeo_juliet_nurse(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body xml:lang='de'>Gute Nacht</body></message>")
	    == 3);
	for (i = 0; i < f->ncopies; i++) {
		EXPECT(strstr(f->copy[i].text, "<body xml:lang=\"de\">") != NULL);
		EXPECT(strstr(f->copy[i].text, " lang=") == NULL);
	}
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<status xml:lang='fr'>Bonne nuit</status></presence>") == 3);
	for (i = 0; i < f->ncopies; i++)
		EXPECT(strstr(f->copy[i].text, "<status xml:lang=\"fr\">") !=
		    NULL);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_hygiene_groupchat_relays_nothing_only_the_room_may_say),
	UT_CASE(engine_hygiene_history_copy_carries_only_the_rooms_delay),
	UT_CASE(engine_hygiene_private_message_carries_only_the_rooms_x),
	UT_CASE(engine_hygiene_presence_carries_show_and_status_not_claims),
	UT_CASE(engine_hygiene_iq_through_the_proxy_carries_no_claims),
	UT_CASE(engine_hygiene_invite_inside_groupchat_is_an_invitation_not_a_message),
	UT_CASE(engine_hygiene_forged_tells_claims_from_what_a_client_may_say),
	UT_CASE(engine_hygiene_relayed_children_keep_their_xml_lang),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
