/*
 * test_service.c - the engine's entry point and what the service itself
 * answers (lib/service.c, lib/disco.c): addressing, service discovery of
 * the service and its rooms (XEP-0045 6.1-6.5), XEP-0410 self-ping,
 * service admins, and the shutdown notice (11.2, status 332).
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define NS_INFO		"http://jabber.org/protocol/disco#info"
#define NS_ITEMS	"http://jabber.org/protocol/disco#items"

/* from asks `to` for disco ns; returns the result's <query/> or NULL. */
static xmpp_stanza_t *
disco(struct fx *f, const char *from, const char *to, const char *ns)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='%s' to='%s' type='get' id='disco'><query "
	    "xmlns='%s'/></iq>", from, to, ns) != 1)
		return NULL;
	iq = fx_get(f, from, "iq", 0);
	if (fx_attr(iq, "type") == NULL ||
	    strcmp(fx_attr(iq, "type"), "result") != 0)
		return NULL;
	return fx_child(iq, "query", ns);
}

/* Does disco#info q list feature var? */
static int
has_feature(xmpp_stanza_t *q, const char *var)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "feature") == 0 &&
		    fx_attr(c, "var") != NULL &&
		    strcmp(fx_attr(c, "var"), var) == 0)
			return 1;
	return 0;
}

static xmpp_stanza_t *
item_with(xmpp_stanza_t *q, const char *jid)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) && fx_attr(c, "jid") != NULL &&
		    strcmp(fx_attr(c, "jid"), jid) == 0)
			return c;
	return NULL;
}

/* Stanzas the host would never send, or that are not for us, get no
 * answer at all. */
static void
engine_service_drops_stanzas_without_addresses_or_of_other_kinds(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_send(f, "<message to='" FX_ROOM "'><body>x</body></message>")
	    == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "'><body>x</body></message>")
	    == 0);
	EXPECT(fx_send(f, "<handshake from='" ROMEO "' to='" FX_ROOM "'/>") ==
	    0);
	EXPECT(fx_send(f, "<message from='not a jid@' to='" FX_ROOM "'>"
	    "<body>x</body></message>") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='result' "
	    "id='r'/>") == 0);
}

/* A stanza for another domain, or a message to the service itself, is
 * refused. */
static void
engine_service_refuses_other_domains_and_messages_to_itself(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_send(f, "<message from='" ROMEO "' to='room@elsewhere.lit'>"
	    "<body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, NULL, 0)), "jid-malformed");
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_DOMAIN "'>"
	    "<body>x</body></message>") == 1);
	e = fx_get(f, ROMEO, NULL, 0);
	EXPECT_STR(fx_error(e), "service-unavailable");
	EXPECT_STR(fx_error_by(e), FX_DOMAIN);	/* every error says who */
	EXPECT_STR(fx_attr(e, "from"), FX_DOMAIN);
}

/* 6.1, 6.2: the service is a conference/text service with the MUC
 * feature. */
static void
engine_service_disco_info_says_conference_text_with_muc(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *id;

	EXPECT((q = disco(f, ROMEO, FX_DOMAIN, NS_INFO)) != NULL);
	id = fx_child(q, "identity", NULL);
	EXPECT_STR(fx_attr(id, "category"), "conference");
	EXPECT_STR(fx_attr(id, "type"), "text");
	EXPECT_STR(fx_attr(id, "name"), "Chatrooms");
	EXPECT(has_feature(q, "http://jabber.org/protocol/muc"));
	EXPECT(has_feature(q, NS_INFO));
	EXPECT(has_feature(q, NS_ITEMS));
	/* A node the service does not have. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_INFO "' node='nope'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "item-not-found");
}

/* 6.3: the service lists public rooms -- stored ones from the store,
 * whether in memory or not, and temporary ones once unlocked -- and
 * neither hidden nor locked rooms. */
static void
engine_service_disco_items_lists_public_unlocked_rooms(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_create(f, JULIET, "crypt", "Juliet") == 0);
	EXPECT(fx_config(f, JULIET, "crypt", "muc#roomconfig_publicroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, NURSE, "kitchen", "Nurse") == 0);	/* locked */
	EXPECT(fx_create(f, BENVOLIO, "square", "Ben") == 0);
	EXPECT(fx_config(f, BENVOLIO, "square", "muc#roomconfig_persistentroom",
	    "1", "muc#roomconfig_roomname", "The Square", (const char *)NULL) ==
	    0);
	EXPECT(fx_leave(f, BENVOLIO, "square") == 0);	/* stored, unloaded */
	EXPECT((q = disco(f, TYBALT, FX_DOMAIN, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
	EXPECT_STR(fx_attr(item_with(q, FX_ROOM), "name"), "room");
	EXPECT_STR(fx_attr(item_with(q, "square@" FX_DOMAIN), "name"),
	    "The Square");
	EXPECT(item_with(q, "crypt@" FX_DOMAIN) == NULL);
	EXPECT(item_with(q, "kitchen@" FX_DOMAIN) == NULL);
}

/* 6.4: the room's features follow its configuration, and the
 * muc#roominfo form counts the occupants. */
static void
engine_service_room_disco_info_follows_the_configuration(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *x;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "category"),
	    "conference");
	EXPECT(has_feature(q, "http://jabber.org/protocol/muc"));
	EXPECT(has_feature(q, "muc_public"));
	EXPECT(has_feature(q, "muc_temporary"));
	EXPECT(has_feature(q, "muc_open"));
	EXPECT(has_feature(q, "muc_unmoderated"));
	EXPECT(has_feature(q, "muc_semianonymous"));
	EXPECT(has_feature(q, "muc_unsecured"));
	x = fx_child(q, "x", NS_XDATA);
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"),
	    "http://jabber.org/protocol/muc#roominfo");
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_occupants"), "2");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_publicroom", "0",
	    "muc#roomconfig_persistentroom", "1", "muc#roomconfig_membersonly",
	    "1", "muc#roomconfig_moderatedroom", "1", "muc#roomconfig_whois",
	    "anyone", "muc#roomconfig_roomsecret", "pw",
	    "muc#roomconfig_roomname", "Orchard", (const char *)NULL) == 0);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "name"), "Orchard");
	EXPECT(has_feature(q, "muc_hidden"));
	EXPECT(has_feature(q, "muc_persistent"));
	EXPECT(has_feature(q, "muc_membersonly"));
	EXPECT(has_feature(q, "muc_moderated"));
	EXPECT(has_feature(q, "muc_nonanonymous"));
	EXPECT(has_feature(q, "muc_passwordprotected"));
	EXPECT(!has_feature(q, "muc_public"));
	EXPECT(!has_feature(q, "muc_unsecured"));
}

/* 6.5: the room's items are its occupant JIDs, shown to occupants only;
 * a locked room does not exist for others (item-not-found). */
static void
engine_service_room_disco_items_lists_occupants_to_occupants_only(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((q = disco(f, JULIET, FX_ROOM, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
	EXPECT_STR(fx_attr(item_with(q, OCC("Romeo")), "name"), "Romeo");
	EXPECT(item_with(q, ROMEO) == NULL);	/* never a real JID */
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT(fx_join(f, NURSE, "kitchen", "Nurse") == 0);
	EXPECT(disco(f, TYBALT, "kitchen@" FX_DOMAIN, NS_INFO) == NULL);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "iq", 0)), "item-not-found");
	EXPECT(disco(f, NURSE, "kitchen@" FX_DOMAIN, NS_INFO) != NULL);
}

/* XEP-0410: an occupant pinging its own occupant JID gets a result from
 * the room; a stranger is not-acceptable; the service answers its own. */
static void
engine_service_self_ping_answers_only_the_occupant_itself(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "type"), "result");
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "from"), OCC("Juliet"));
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "iq", 0)), "not-acceptable");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_DOMAIN "' "
	    "type='get' id='p4'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, TYBALT, "iq", 0), "type"), "result");
}

/* XEP-0045 17.3: an iq to another occupant goes to its real JID from the
 * asker's occupant JID, and the answer back the same way; neither learns
 * the other's real JID.  An error answer is an answer: the occupant that
 * gave it stays in the room. */
static void
engine_service_iq_to_an_occupant_is_forwarded_both_ways(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	/* A vCard is the account's: asked of the bare JID, whose server
	 * answers from the bare JID. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>") == 1);
	iq = fx_get(f, ROMEO_BARE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(iq, "id"), "v1");
	EXPECT(fx_child(iq, "vCard", "vcard-temp") != NULL);
	EXPECT(fx_send(f, "<iq from='" ROMEO_BARE "' to='" OCC("Juliet") "' "
	    "type='result' id='v1'><vCard xmlns='vcard-temp'><FN>Romeo</FN>"
	    "</vCard></iq>") == 1);
	iq = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "from"), OCC("Romeo"));
	EXPECT(fx_child(iq, "vCard", "vcard-temp") != NULL);
	/* Romeo's client does not do version: its error comes back... */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v2'><query xmlns='jabber:iq:version'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "from"), OCC("Juliet"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" OCC("Juliet") "' "
	    "type='error' id='v2'><error type='cancel'><service-unavailable "
	    "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "service-unavailable");
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "from"), OCC("Romeo"));
	/* ...and Romeo is still in the room. */
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>still here</body></message>") == 2);
	/* Nobody is at an unknown nick. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Paris") "' "
	    "type='get' id='v3'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "item-not-found");
}

/* Service admins rank as owners in every room; an admin JID that is not
 * a JID stops the service from starting. */
static void
engine_service_admins_are_owners_of_every_room(void)
{
	static const char *const admins[] = { "Benvolio@Montague.lit" };
	static const char *const bad[] = { "@nowhere" };
	struct fx			*f = fx_new_with(admins, 1, NULL);
	struct muc_service_config	 cfg;
	struct muc_service		*svc = (struct muc_service *)&cfg;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, BENVOLIO, "room", "Ben") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 1),
	    "affiliation"), "owner");
	EXPECT(fx_config(f, BENVOLIO, "room", "muc#roomconfig_roomname",
	    "Mine", (const char *)NULL) == 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = FX_DOMAIN;
	cfg.admins = bad;
	cfg.nadmins = 1;
	EXPECT_INT(muc_service_new(f->ctx, &cfg, f->st, NULL, &svc),
	    MUC_EINVAL);
	EXPECT(svc == NULL);
}

/* 11.2: on shutdown, when the service is set to tell them (rather than
 * keep them, test_snapshot.c), every occupant gets one unavailable
 * presence, its own, with 332 (and 110), and nobody gets anyone else's. */
static void
engine_service_shutdown_sends_each_occupant_one_presence_with_332(void)
{
	struct muc_service_config cfg = { .shutdown_notice = 1 };
	struct fx	*f = fx_new_config(&cfg, NULL);
	xmpp_stanza_t	*p;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	static const char *const from[] = {
		OCC("Romeo"), OCC("Juliet"), "hall@" FX_DOMAIN "/Nurse"
	};
	size_t		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_create(f, NURSE, "hall", "Nurse") == 0);
	EXPECT_INT(fx_shutdown(f), 3);
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], NULL), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "from"), from[i]);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT(fx_has_status(p, 332));
		EXPECT(fx_has_status(p, 110));
		EXPECT_STR(fx_item_attr(p, "role"), "none");
	}
}


/* An answer returns to the client that asked, when the asker is in the
 * room from two clients: the forwarded id carries the asking session's
 * number (never its JID), and the answer is delivered with the id it had. */
static void
engine_service_iq_answer_returns_to_the_asking_client(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;
	const char	*id;
	char		 answer[512];

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<presence from='juliet@capulet.lit/phone' to='"
	    OCC("Juliet") "'/>") >= 3);
	/* The older client asks. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>") == 1);
	iq = fx_get(f, ROMEO, "iq", 0);
	EXPECT((id = fx_attr(iq, "id")) != NULL);
	EXPECT(strncmp(id, "v1", 2) == 0);
	EXPECT(strstr(id, "juliet") == NULL && strstr(id, "balcony") == NULL);
	snprintf(answer, sizeof(answer), "<iq from='" ROMEO "' to='"
	    OCC("Juliet") "' type='result' id='%s'/>", id);
	EXPECT(fx_send(f, answer) == 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "id"), "v1");
	EXPECT_INT(fx_count(f, "juliet@capulet.lit/phone", "iq"), 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_service_drops_stanzas_without_addresses_or_of_other_kinds),
	UT_CASE(engine_service_refuses_other_domains_and_messages_to_itself),
	UT_CASE(engine_service_disco_info_says_conference_text_with_muc),
	UT_CASE(engine_service_disco_items_lists_public_unlocked_rooms),
	UT_CASE(engine_service_room_disco_info_follows_the_configuration),
	UT_CASE(engine_service_room_disco_items_lists_occupants_to_occupants_only),
	UT_CASE(engine_service_self_ping_answers_only_the_occupant_itself),
	UT_CASE(engine_service_iq_to_an_occupant_is_forwarded_both_ways),
	UT_CASE(engine_service_iq_answer_returns_to_the_asking_client),
	UT_CASE(engine_service_admins_are_owners_of_every_room),
	UT_CASE(engine_service_shutdown_sends_each_occupant_one_presence_with_332),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
