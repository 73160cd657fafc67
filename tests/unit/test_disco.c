/*
 * test_disco.c - service discovery of the service and its rooms
 * (lib/disco.c; XEP-0030, XEP-0045 6.1-6.7 and 7.12).
 *
 * The service says what it is and lists its public rooms (not hidden,
 * not locked ones); a room says what it is with one muc_* feature of each
 * pair its configuration decides, a muc#roominfo form with the room's
 * fields, its occupants (to occupants only, by occupant JID) and, on node
 * x-roomuser-item, the asker's reserved nick.  Nodes nobody has are
 * item-not-found, a disco set is refused, and a locked room does not
 * exist for anyone but its owner.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define NS_INFO		"http://jabber.org/protocol/disco#info"
#define NS_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_MUC		"http://jabber.org/protocol/muc"
#define NS_ROOMINFO	"http://jabber.org/protocol/muc#roominfo"

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

/* The same with a node; returns the result's <query/> or NULL. */
static xmpp_stanza_t *
disco_node(struct fx *f, const char *from, const char *to, const char *ns,
    const char *node)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='%s' to='%s' type='get' id='node'><query "
	    "xmlns='%s' node='%s'/></iq>", from, to, ns, node) != 1)
		return NULL;
	iq = fx_get(f, from, "iq", 0);
	if (fx_attr(iq, "type") == NULL ||
	    strcmp(fx_attr(iq, "type"), "result") != 0)
		return NULL;
	return fx_child(iq, "query", ns);
}

/* The error condition of the only answer to from, NULL when it is none. */
static const char *
answer_error(struct fx *f, const char *from)
{
	return fx_count(f, from, NULL) == 1 ?
	    fx_error(fx_get(f, from, "iq", 0)) : NULL;
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

/* 6.1, 6.2: the service is a conference/text service with the MUC
 * feature. */
static void
engine_disco_disco_info_says_conference_text_with_muc(void)
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
engine_disco_disco_items_lists_public_unlocked_rooms(void)
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
engine_disco_room_disco_info_follows_the_configuration(void)
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
engine_disco_room_disco_items_lists_occupants_to_occupants_only(void)
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

/* 6.1: the identity carries the name the daemon configured; the service
 * also answers XEP-0199 ping, and lists that feature. */
static void
engine_disco_service_info_names_the_configured_service_and_ping(void)
{
	struct fx			*f = fx_new();
	struct muc_service_config	 cfg;
	struct muc_service		*svc = NULL;
	xmpp_stanza_t			*in, *q;
	const struct muc_out_entry	*e;
	int				 rc;

	EXPECT((q = disco(f, ROMEO, FX_DOMAIN, NS_INFO)) != NULL);
	EXPECT(has_feature(q, "urn:xmpp:ping"));
	EXPECT_INT(fx_nchildren(q, "identity"), 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = FX_DOMAIN;
	cfg.name = "Verona Chat";
	EXPECT_INT(muc_service_new(f->ctx, &cfg, f->st, NULL, &svc), MUC_OK);
	in = xmpp_stanza_new_from_string(f->ctx, "<iq from='" ROMEO "' to='"
	    FX_DOMAIN "' type='get' id='i'><query xmlns='" NS_INFO "'/></iq>");
	rc = in != NULL ? muc_handle(svc, in, f->out) : MUC_ENOMEM;
	if (in != NULL)
		xmpp_stanza_release(in);
	e = rc == MUC_OK && muc_out_count(f->out) == 1 ?
	    muc_out_get(f->out, 0) : NULL;
	q = e != NULL ? fx_child(e->stanza, "query", NS_INFO) : NULL;
	in = fx_child(q, "identity", NULL);
	rc = in != NULL && fx_attr(in, "name") != NULL &&
	    strcmp(fx_attr(in, "name"), "Verona Chat") == 0;
	muc_out_clear(f->out);
	muc_service_free(svc);
	EXPECT(rc);
}

/* XEP-0030: the service has no nodes, for info or items; a disco set and
 * an iq it does not serve are service-unavailable (RFC 6120 8.3.3.19); an
 * iq result to the service is no question and gets no answer. */
static void
engine_disco_service_node_and_set_errors(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(disco_node(f, TYBALT, FX_DOMAIN, NS_ITEMS, "rooms") == NULL);
	e = fx_get(f, TYBALT, "iq", 0);
	EXPECT_STR(fx_error(e), "item-not-found");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT_STR(fx_attr(e, "from"), FX_DOMAIN);
	EXPECT(disco_node(f, TYBALT, FX_DOMAIN, NS_INFO,
	    "http://jabber.org/protocol/muc#rooms") == NULL);
	EXPECT_STR(answer_error(f, TYBALT), "item-not-found");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_DOMAIN "' type='set' "
	    "id='s'><query xmlns='" NS_INFO "'/></iq>") == 1);
	EXPECT_STR(answer_error(f, TYBALT), "service-unavailable");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_DOMAIN "' type='get' "
	    "id='v'><query xmlns='jabber:iq:last'/></iq>") == 1);
	EXPECT_STR(answer_error(f, TYBALT), "service-unavailable");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_DOMAIN "' "
	    "type='result' id='r'><query xmlns='" NS_INFO "'/></iq>") == 0);
}

/* Which muc_* feature of each pair (6.4, the disco features registry of
 * XEP-0045 15.2) a room with configuration bits `mask` must list. */
struct feature_pair {
	const char	*var;		/* the configuration field */
	const char	*on, *off;	/* its values */
	const char	*yes, *no;	/* the feature for each */
};

static const struct feature_pair pairs[] = {
	{ "muc#roomconfig_publicroom", "1", "0", "muc_public", "muc_hidden" },
	{ "muc#roomconfig_persistentroom", "1", "0", "muc_persistent",
	    "muc_temporary" },
	{ "muc#roomconfig_membersonly", "1", "0", "muc_membersonly",
	    "muc_open" },
	{ "muc#roomconfig_moderatedroom", "1", "0", "muc_moderated",
	    "muc_unmoderated" },
	{ "muc#roomconfig_whois", "anyone", "moderators", "muc_nonanonymous",
	    "muc_semianonymous" },
	{ "muc#roomconfig_passwordprotectedroom", "1", "0",
	    "muc_passwordprotected", "muc_unsecured" },
};

/* 6.4: for each of the 64 combinations of the six configuration choices,
 * the room lists exactly one feature of each pair, the right one, besides
 * the protocols every room speaks (muc, disco, register, ping). */
static void
engine_disco_room_info_lists_one_feature_of_every_muc_pair(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;
	unsigned	 mask;
	size_t		 i;
	int		 on;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	for (mask = 0; mask < 64; mask++) {
		EXPECT(fx_config(f, ROMEO, "room",
		    pairs[0].var, mask & 1 ? pairs[0].on : pairs[0].off,
		    pairs[1].var, mask & 2 ? pairs[1].on : pairs[1].off,
		    pairs[2].var, mask & 4 ? pairs[2].on : pairs[2].off,
		    pairs[3].var, mask & 8 ? pairs[3].on : pairs[3].off,
		    pairs[4].var, mask & 16 ? pairs[4].on : pairs[4].off,
		    "muc#roomconfig_roomsecret", mask & 32 ? "pw" : "",
		    pairs[5].var, mask & 32 ? pairs[5].on : pairs[5].off,
		    (const char *)NULL) == 0);
		EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
		for (i = 0; i < UT_NELEM(pairs); i++) {
			on = (mask >> i) & 1;
			if (has_feature(q, on ? pairs[i].yes : pairs[i].no) &&
			    !has_feature(q, on ? pairs[i].no : pairs[i].yes))
				continue;
			ut_fail(__FILE__, __LINE__, "configuration %#x: %s "
			    "should list %s only", mask, pairs[i].var,
			    on ? pairs[i].yes : pairs[i].no);
			return;
		}
		EXPECT(has_feature(q, NS_MUC));
		EXPECT(has_feature(q, NS_INFO));
		EXPECT(has_feature(q, NS_ITEMS));
		EXPECT(has_feature(q, "jabber:iq:register"));
		EXPECT(has_feature(q, "urn:xmpp:ping"));
		/* Stable ids, retraction and moderation (XEP-0359, 0424,
		 * 0425) in every room; the archive's three (mam:2, its
		 * extended features, tombstones) where it keeps one: in the
		 * persistent rooms (mask bit 2). */
		EXPECT(has_feature(q, "urn:xmpp:sid:0"));
		EXPECT(has_feature(q, "urn:xmpp:message-retract:1"));
		EXPECT(has_feature(q, "urn:xmpp:message-moderate:1"));
		/* Occupant-ids and self-ping optimisation (XEP-0421,
		 * 0410) in every room too. */
		EXPECT(has_feature(q, "urn:xmpp:occupant-id:0"));
		EXPECT(has_feature(q,
		    "http://jabber.org/protocol/muc#self-ping-optimization"));
		EXPECT_INT(has_feature(q, "urn:xmpp:mam:2"), (mask & 2) != 0);
		EXPECT(has_feature(q, "vcard-temp"));	/* XEP-0486 */
		/* Ad-hoc commands and hats (XEP-0050, XEP-0317). */
		EXPECT(has_feature(q, "http://jabber.org/protocol/commands"));
		EXPECT(has_feature(q, "urn:xmpp:hats:0"));
		EXPECT_INT(fx_nchildren(q, "feature"), 13 + UT_NELEM(pairs) +
		    (mask & 2 ? 3 : 0));
	}
}

/* 6.4 (XEP-0128 extended info): the muc#roominfo form is a result form
 * with the room's description, occupant count, subject, language, name,
 * whether participants may change the subject, the history it sends and
 * its occupant limit (only when it has one); the identity's name is the
 * room's name, or its localpart when it has none. */
static void
engine_disco_roominfo_form_has_the_fields_of_the_room(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *x;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "name"), "room");
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "type"), "text");
	x = fx_child(q, "x", NS_XDATA);
	EXPECT_STR(fx_attr(x, "type"), "result");
	EXPECT_STR(fx_attr(fx_field(x, "FORM_TYPE"), "type"), "hidden");
	EXPECT(fx_field(x, "muc#roomconfig_maxusers") == NULL);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomname", "Orchard",
	    "muc#roomconfig_roomdesc", "Under the window",
	    "muc#roomconfig_lang", "en", "muc#roomconfig_changesubject", "1",
	    "muc#maxhistoryfetch", "7", "muc#roomconfig_maxusers", "12",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Swords</subject></message>") == 2);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "name"), "Orchard");
	x = fx_child(q, "x", NS_XDATA);
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"), NS_ROOMINFO);
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_description"),
	    "Under the window");
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_occupants"), "2");
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_subject"), "Swords");
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_lang"), "en");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "Orchard");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_changesubject"), "1");
	EXPECT_STR(fx_field_value(f, x, "muc#maxhistoryfetch"), "7");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_maxusers"), "12");
	/* The count follows the occupants; no limit, no field. */
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_maxusers", "0",
	    "muc#roomconfig_changesubject", "0", (const char *)NULL) == 0);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	x = fx_child(q, "x", NS_XDATA);
	EXPECT_STR(fx_field_value(f, x, "muc#roominfo_occupants"), "1");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_changesubject"), "0");
	EXPECT(fx_field(x, "muc#roomconfig_maxusers") == NULL);
}

/* 6.5: each occupant is one item, by occupant JID with its nick as name,
 * however many clients it has, in any client's answer; nobody outside
 * sees who is there, and nobody ever sees a real JID. */
static void
engine_disco_room_items_list_each_occupant_once_to_occupants(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<presence from='juliet@capulet.lit/phone' to='"
	    OCC("Juliet") "'/>") >= 1);
	EXPECT((q = disco(f, "juliet@capulet.lit/phone", FX_ROOM, NS_ITEMS)) !=
	    NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
	EXPECT_STR(fx_attr(item_with(q, OCC("Juliet")), "name"), "Juliet");
	EXPECT(strstr(f->copy[0].text, "balcony") == NULL);
	EXPECT(strstr(f->copy[0].text, ROMEO_BARE) == NULL);
	/* A stranger gets an empty list, not an error: the room exists. */
	EXPECT((q = disco(f, JULIET_BARE, FX_ROOM, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, NULL), 0);
	/* The room has no item nodes. */
	EXPECT(disco_node(f, JULIET, FX_ROOM, NS_ITEMS, "x-roomuser-item") ==
	    NULL);
	EXPECT_STR(answer_error(f, JULIET), "item-not-found");
}

/* 7.12: disco#info with node x-roomuser-item answers with the asker's
 * reserved nick as an identity, and with an empty query (the node kept)
 * when the asker has none; the room tells this to non-occupants too.
 * Any other node is item-not-found. */
static void
engine_disco_roomuser_item_names_the_askers_reserved_nick(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *id;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "member",
	    "Prince of Cats") == 0);
	EXPECT((q = disco_node(f, TYBALT, FX_ROOM, NS_INFO,
	    "x-roomuser-item")) != NULL);
	EXPECT_STR(fx_attr(q, "node"), "x-roomuser-item");
	EXPECT_INT(fx_nchildren(q, NULL), 1);
	id = fx_child(q, "identity", NULL);
	EXPECT_STR(fx_attr(id, "category"), "conference");
	EXPECT_STR(fx_attr(id, "type"), "text");
	EXPECT_STR(fx_attr(id, "name"), "Prince of Cats");
	/* Romeo, the owner, reserved no nick. */
	EXPECT((q = disco_node(f, ROMEO, FX_ROOM, NS_INFO,
	    "x-roomuser-item")) != NULL);
	EXPECT_STR(fx_attr(q, "node"), "x-roomuser-item");
	EXPECT_INT(fx_nchildren(q, NULL), 0);
	EXPECT(disco_node(f, TYBALT, FX_ROOM, NS_INFO, "secrets") == NULL);
	EXPECT_STR(answer_error(f, TYBALT), "item-not-found");
}

/* 6.3, 6.4 and 10.1.1: until its owner configures it, a new room exists
 * for nobody else -- not in the service's list, and info and items are
 * item-not-found as for a room that does not exist -- while the owner
 * may discover it.  Unlocked, it appears. */
static void
engine_disco_locked_room_is_invisible_to_all_but_its_owner(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);	/* locked */
	EXPECT(disco(f, TYBALT, FX_ROOM, NS_INFO) == NULL);
	EXPECT_STR(answer_error(f, TYBALT), "item-not-found");
	EXPECT(disco(f, TYBALT, FX_ROOM, NS_ITEMS) == NULL);
	EXPECT_STR(answer_error(f, TYBALT), "item-not-found");
	EXPECT(disco(f, TYBALT, "nowhere@" FX_DOMAIN, NS_INFO) == NULL);
	EXPECT_STR(answer_error(f, TYBALT), "item-not-found");
	EXPECT((q = disco(f, TYBALT, FX_DOMAIN, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT((q = disco(f, ROMEO, FX_ROOM, NS_INFO)) != NULL);
	EXPECT(has_feature(q, NS_MUC));
	EXPECT(fx_config(f, ROMEO, "room", (const char *)NULL) == 0);
	EXPECT(disco(f, TYBALT, FX_ROOM, NS_INFO) != NULL);
	EXPECT((q = disco(f, TYBALT, FX_DOMAIN, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 1);
}

/* 6.3: a hidden room (public room off) is left out of the service's list,
 * in memory or stored and unloaded, but answers disco itself as
 * muc_hidden to whoever knows its address. */
static void
engine_disco_hidden_room_is_not_listed_but_answers_disco(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_publicroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_create(f, JULIET, "tomb", "Juliet") == 0);
	EXPECT(fx_config(f, JULIET, "tomb", "muc#roomconfig_publicroom", "0",
	    "muc#roomconfig_persistentroom", "1", (const char *)NULL) == 0);
	EXPECT(fx_leave(f, JULIET, "tomb") == 0);	/* stored, unloaded */
	EXPECT((q = disco(f, TYBALT, FX_DOMAIN, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT((q = disco(f, TYBALT, FX_ROOM, NS_INFO)) != NULL);
	EXPECT(has_feature(q, "muc_hidden"));
	EXPECT((q = disco(f, TYBALT, "tomb@" FX_DOMAIN, NS_INFO)) != NULL);
	EXPECT(has_feature(q, "muc_hidden"));
	EXPECT(has_feature(q, "muc_persistent"));
	/* Made public again, both are listed. */
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_publicroom", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "tomb", "Juliet") == 0);
	EXPECT(fx_config(f, JULIET, "tomb", "muc#roomconfig_publicroom", "1",
	    (const char *)NULL) == 0);
	EXPECT((q = disco(f, TYBALT, FX_DOMAIN, NS_ITEMS)) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
}

/* XEP-0030 defines disco as get only: a set of info or items to a room is
 * bad-request, from an occupant or not, and changes nothing. */
static void
engine_disco_room_disco_set_is_bad_request(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='s1'><query xmlns='" NS_INFO "'/></iq>") == 1);
	e = fx_get(f, ROMEO, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "id"), "s1");
	EXPECT_STR(fx_error(e), "bad-request");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_ROOM "' type='set' "
	    "id='s2'><query xmlns='" NS_ITEMS "'><item jid='" TYBALT "'/>"
	    "</query></iq>") == 1);
	EXPECT_STR(answer_error(f, TYBALT), "bad-request");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_ROOM "' type='set' "
	    "id='s3'><query xmlns='" NS_INFO "' node='x-roomuser-item'/></iq>")
	    == 1);
	EXPECT_STR(answer_error(f, TYBALT), "bad-request");
	EXPECT(disco(f, TYBALT, FX_ROOM, NS_INFO) != NULL);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_disco_disco_info_says_conference_text_with_muc),
	UT_CASE(engine_disco_disco_items_lists_public_unlocked_rooms),
	UT_CASE(engine_disco_room_disco_info_follows_the_configuration),
	UT_CASE(engine_disco_room_disco_items_lists_occupants_to_occupants_only),
	UT_CASE(engine_disco_service_info_names_the_configured_service_and_ping),
	UT_CASE(engine_disco_service_node_and_set_errors),
	UT_CASE(engine_disco_room_info_lists_one_feature_of_every_muc_pair),
	UT_CASE(engine_disco_roominfo_form_has_the_fields_of_the_room),
	UT_CASE(engine_disco_room_items_list_each_occupant_once_to_occupants),
	UT_CASE(engine_disco_roomuser_item_names_the_askers_reserved_nick),
	UT_CASE(engine_disco_locked_room_is_invisible_to_all_but_its_owner),
	UT_CASE(engine_disco_hidden_room_is_not_listed_but_answers_disco),
	UT_CASE(engine_disco_room_disco_set_is_bad_request),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
