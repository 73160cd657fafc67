/*
 * test_admin.c - the muc#admin namespace (lib/admin.c): role changes
 * (XEP-0045 8.2 kick, 8.3/8.4 voice, 9.6/9.7 moderator), affiliation
 * changes and lists (9.1-9.5 ban and member lists, 10.3-10.8 owner and
 * admin lists), requests that are all or nothing, the last owner, the
 * notice of an absent user's new affiliation and nick reservations.
 */
#include <stdlib.h>

#include "engine_fixture.h"
#include "store.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Romeo's room (persistent when asked) with Juliet and the Nurse in it. */
static int
verona(struct fx *f, int persistent)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    (persistent && fx_config(f, ROMEO, "room",
	    "muc#roomconfig_persistentroom", "1", (const char *)NULL) != 0) ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	return 0;
}

/* from sends a muc#admin set with items (XML). */
static int
admin_set(struct fx *f, const char *from, const char *items)
{
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' "
	    "id='adm'><query xmlns='" NS_MUC_ADMIN_Q "'>%s</query></iq>", from,
	    items);
}

/* The answer to from: "result" or the error condition. */
static const char *
answer(struct fx *f, const char *from)
{
	xmpp_stanza_t	*iq = fx_get(f, from, "iq", 0);

	if (iq == NULL)
		return "(no iq)";
	if (strcmp(fx_attr(iq, "type"), "result") == 0)
		return "result";
	return fx_error(iq) != NULL ? fx_error(iq) : "(error without condition)";
}

/* from asks for the list of attr=value; returns the result's <query/>. */
static xmpp_stanza_t *
get_list(struct fx *f, const char *from, const char *attr, const char *value)
{
	if (fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' id='list'>"
	    "<query xmlns='" NS_MUC_ADMIN_Q "'><item %s='%s'/></query></iq>",
	    from, attr, value) != 1)
		return NULL;
	if (strcmp(answer(f, from), "result") != 0)
		return NULL;
	return fx_child(fx_get(f, from, "iq", 0), "query", NS_MUC_ADMIN_Q);
}

/* The <item/> of list q with jid (or nick) equal to v. */
static xmpp_stanza_t *
list_item(xmpp_stanza_t *q, const char *attr, const char *v)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) && fx_attr(c, attr) != NULL &&
		    strcmp(fx_attr(c, attr), v) == 0)
			return c;
	return NULL;
}

/* Stored affiliation rows of room, by callback. */
static int	nstored;

static int
count_row(void *ud, const char *jid, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	(void)ud;
	(void)aff;
	(void)nick;
	(void)reason;
	(void)jid;
	nstored++;
	return 0;
}

/* How many affiliation rows the store holds for room; -1 on error. */
static int
stored_affiliations(struct fx *f, const char *room)
{
	struct room_config	 cfg;
	char			*s = NULL, *n = NULL;
	int64_t			 t = 0;
	int64_t			 id = 0;

	nstored = 0;
	if (roomconfig_init(&cfg) != 0)
		return -1;
	if (store_room_load(f->st, room, &id, &cfg, &s, &n, &t) != MUC_OK ||
	    id == 0) {
		roomconfig_free(&cfg);
		return -1;
	}
	roomconfig_free(&cfg);
	free(s);
	free(n);
	if (store_affiliations_load(f->st, id, count_row, NULL) != MUC_OK)
		return -1;
	return nstored;
}

/* 9.5: the member list has each member's JID (and reserved nick); only
 * admins and owners may read it in a semi-anonymous room. */
static void
engine_admin_member_list_lists_members_with_jid_and_nick(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *it;

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "outcast",
	    NULL) == 0);
	EXPECT((q = get_list(f, ROMEO, "affiliation", "member")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
	EXPECT((it = list_item(q, "jid", JULIET_BARE)) != NULL);
	EXPECT_STR(fx_attr(it, "affiliation"), "member");
	EXPECT_STR(fx_attr(it, "nick"), "Juliet");
	EXPECT((it = list_item(q, "jid", BENVOLIO_BARE)) != NULL);
	EXPECT_NULL(fx_attr(it, "nick"));
	EXPECT((q = get_list(f, ROMEO, "affiliation", "outcast")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 1);
	EXPECT((q = get_list(f, ROMEO, "affiliation", "owner")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 1);
	EXPECT(list_item(q, "jid", ROMEO_BARE) != NULL);
	/* A member may not read it (5.2.1 ***), nor a stranger. */
	EXPECT(get_list(f, JULIET, "affiliation", "member") == NULL);
	EXPECT_STR(answer(f, JULIET), "forbidden");
	EXPECT_STR(fx_error_type(fx_get(f, JULIET, "iq", 0)), "auth");
	EXPECT(get_list(f, TYBALT, "affiliation", "member") == NULL);
	EXPECT_STR(answer(f, TYBALT), "forbidden");
	/* "none" is no list. */
	EXPECT(get_list(f, ROMEO, "affiliation", "none") == NULL);
	EXPECT_STR(answer(f, ROMEO), "bad-request");
}

/* 9.5: the admin sends the delta; the list follows it. */
static void
engine_admin_member_list_set_applies_every_item_of_the_delta(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='none' jid='" JULIET_BARE "'/>"
	    "<item affiliation='member' jid='" BENVOLIO_BARE "'/>"
	    "<item affiliation='member' jid='" TYBALT "'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "result");
	EXPECT((q = get_list(f, ROMEO, "affiliation", "member")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 2);
	EXPECT(list_item(q, "jid", BENVOLIO_BARE) != NULL);
	/* A full JID names its bare JID (9.5, 10.3). */
	EXPECT(list_item(q, "jid", TYBALT_BARE) != NULL);
	EXPECT(list_item(q, "jid", JULIET_BARE) == NULL);
}

/* 9.2 and 9.5: a request with one item the sender may not make is
 * refused whole: no item applies, in memory or in the store. */
static void
engine_admin_batch_with_one_illegal_item_changes_nothing(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(verona(f, 1) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	EXPECT_INT(stored_affiliations(f, "room"), 2);
	/* The admin adds a member and bans the owner. */
	EXPECT(admin_set(f, BENVOLIO,
	    "<item affiliation='member' jid='" NURSE_BARE "'/>"
	    "<item affiliation='outcast' jid='" ROMEO_BARE "'/>") == 1);
	EXPECT_STR(answer(f, BENVOLIO), "not-allowed");
	EXPECT_STR(fx_error_type(fx_get(f, BENVOLIO, "iq", 0)), "cancel");
	/* An item with no such affiliation: bad-request, again nothing. */
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='member' jid='" NURSE_BARE "'/>"
	    "<item affiliation='king' jid='" JULIET_BARE "'/>") == 1);
	EXPECT_STR(answer(f, ROMEO), "bad-request");
	/* An empty request is bad too. */
	EXPECT(admin_set(f, ROMEO, "") == 1);
	EXPECT_STR(answer(f, ROMEO), "bad-request");
	EXPECT((q = get_list(f, ROMEO, "affiliation", "member")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT((q = get_list(f, ROMEO, "affiliation", "owner")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 1);
	EXPECT_INT(stored_affiliations(f, "room"), 2);
	/* Nobody's presence changed. */
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, TYBALT, "presence", 0),
	    "affiliation"), "owner");
	EXPECT_STR(fx_attr(fx_get(f, TYBALT, "presence", 2), "from"),
	    OCC("Nurse"));
	EXPECT_STR(fx_item_attr(fx_get(f, TYBALT, "presence", 2),
	    "affiliation"), "none");
}

/* 8.2: the kicked occupant and everyone else get an unavailable presence
 * with 307, the actor and the reason; the moderator gets the result. */
static void
engine_admin_kick_removes_the_occupant_with_307_actor_and_reason(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *actor;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item nick='Nurse' role='none'>"
	    "<reason>Avaunt!</reason></item>") == 4);
	EXPECT_STR(answer(f, ROMEO), "result");
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], "presence"), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
		EXPECT(fx_has_status(p, 307));
		EXPECT_INT(fx_has_status(p, 110), i == 2);
		EXPECT_STR(fx_item_attr(p, "role"), "none");
		EXPECT_STR(fx_text(f, fx_item(p), "reason"), "Avaunt!");
		actor = fx_child(fx_item(p), "actor", NULL);
		EXPECT_STR(fx_attr(actor, "nick"), "Romeo");
		/* The actor's real JID only to who may see JIDs. */
		EXPECT_STR(fx_attr(actor, "jid"), i == 0 ? ROMEO : NULL);
	}
	/* She is gone: her messages are refused. */
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Anon!</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, NULL, 0)), "not-acceptable");
}

/* 8.2: only moderators kick; a kick of an unknown nick is
 * item-not-found. */
static void
engine_admin_kick_by_a_participant_is_forbidden_and_of_nobody_not_found(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, JULIET, "<item nick='Nurse' role='none'/>") == 1);
	EXPECT_STR(answer(f, JULIET), "forbidden");
	/* RFC 6120 8.3.3.4 and every forbidden example of XEP-0045: auth. */
	EXPECT_STR(fx_error_type(fx_get(f, JULIET, "iq", 0)), "auth");
	EXPECT(admin_set(f, ROMEO, "<item nick='Paris' role='none'/>") == 1);
	EXPECT_STR(answer(f, ROMEO), "item-not-found");
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
}

/* 8.3, 8.4: a moderator grants and revokes voice; everyone sees the new
 * role. */
static void
engine_admin_voice_is_granted_and_revoked_by_role(void)
{
	struct fx	*f = fx_new();
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom", "1",
	    (const char *)NULL) == 0);
	EXPECT(admin_set(f, ROMEO, "<item nick='Nurse' role='visitor'/>") == 4);
	for (i = 0; i < 3; i++) {
		EXPECT_STR(fx_item_attr(fx_get(f, to[i], "presence", 0), "role"),
		    "visitor");
		EXPECT_NULL(fx_attr(fx_get(f, to[i], "presence", 0), "type"));
	}
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Anon!</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, NULL, 0)), "forbidden");
	EXPECT(admin_set(f, ROMEO, "<item nick='Nurse' role='participant'/>") ==
	    4);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 0), "role"),
	    "participant");
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Anon!</body></message>") == 3);
	/* 8.5: the voice list is the participants. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='v'><query xmlns='" NS_MUC_ADMIN_Q "'><item role="
	    "'participant'/></query></iq>") == 1);
	EXPECT_INT(fx_nchildren(fx_child(fx_get(f, ROMEO, "iq", 0), "query",
	    NULL), "item"), 2);
}

/* 9.6, 9.7: an owner makes a participant moderator and takes it back;
 * a moderator sees real JIDs. */
static void
engine_admin_moderator_role_is_granted_and_revoked_by_an_owner(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item nick='Juliet' role='moderator'/>") ==
	    4);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0), "role"),
	    "moderator");
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 110));
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 0), "jid"),
	    BENVOLIO);
	EXPECT(admin_set(f, ROMEO, "<item nick='Juliet' role='participant'/>")
	    == 5);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0), "role"),
	    "participant");
}

/* 9.1: a ban removes the user with 301, keeps the reason in the ban
 * list, and the user may not come back. */
static void
engine_admin_ban_removes_with_301_and_the_user_cannot_rejoin(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *q, *it;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='outcast' jid='"
	    NURSE_BARE "'><reason>Treason</reason></item>") == 4);
	EXPECT_STR(answer(f, ROMEO), "result");
	for (i = 0; i < 3; i++) {
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
		EXPECT(fx_has_status(p, 301));
		EXPECT_INT(fx_has_status(p, 110), i == 2);
		EXPECT_STR(fx_item_attr(p, "affiliation"), "outcast");
		EXPECT_STR(fx_item_attr(p, "role"), "none");
		EXPECT_STR(fx_text(f, fx_item(p), "reason"), "Treason");
		EXPECT_STR(fx_attr(fx_child(fx_item(p), "actor", NULL), "nick"),
		    "Romeo");
	}
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "forbidden");
	/* From another resource too: bans are by bare JID. */
	EXPECT(fx_join(f, "nurse@capulet.lit/garden", "room", "Angelica") ==
	    0);
	EXPECT_STR(fx_error(fx_get(f, "nurse@capulet.lit/garden", "presence",
	    0)), "forbidden");
	EXPECT((q = get_list(f, ROMEO, "affiliation", "outcast")) != NULL);
	EXPECT((it = list_item(q, "jid", NURSE_BARE)) != NULL);
	EXPECT_STR(fx_text(f, it, "reason"), "Treason");
	/* 9.2: lifting the ban lets her in. */
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "none", NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 3);
}

/* 9.1 (an admin may not ban an owner: not-allowed) and 10.4 (only owners
 * revoke owner status): the owner stays owner either way. */
static void
engine_admin_admin_cannot_ban_or_demote_an_owner(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT(admin_set(f, BENVOLIO, "<item affiliation='outcast' jid='"
	    ROMEO_BARE "'/>") == 1);
	EXPECT_STR(answer(f, BENVOLIO), "not-allowed");
	/* The exact condition (forbidden, 10.4) is checked by
	 * engine_admin_admin_demoting_an_owner_is_forbidden. */
	EXPECT(admin_set(f, BENVOLIO, "<item affiliation='member' jid='"
	    ROMEO_BARE "'/>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, BENVOLIO, "iq", 0), "type"), "error");
	EXPECT(admin_set(f, BENVOLIO, "<item nick='Romeo' role='none'/>") == 1);
	EXPECT_STR(answer(f, BENVOLIO), "not-allowed");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
	EXPECT((q = get_list(f, ROMEO, "affiliation", "owner")) != NULL);
	EXPECT(list_item(q, "jid", ROMEO_BARE) != NULL);
	/* 9.1: an admin bans a member. */
	EXPECT(admin_set(f, BENVOLIO, "<item affiliation='outcast' jid='"
	    NURSE_BARE "'/>") >= 1);
	EXPECT_STR(answer(f, BENVOLIO), "result");
}

/* 10.4, 10.5: "A service MUST NOT allow an owner to revoke his or her own
 * owner status if there are no other owners [...] conflict". */
static void
engine_admin_last_owner_cannot_be_removed(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='admin' jid='" ROMEO_BARE
	    "'/>") == 1);
	EXPECT_STR(answer(f, ROMEO), "conflict");
	EXPECT_STR(fx_error_type(fx_get(f, ROMEO, "iq", 0)), "cancel");
	EXPECT(admin_set(f, ROMEO, "<item affiliation='none' jid='" ROMEO_BARE
	    "'/>") == 1);
	EXPECT_STR(answer(f, ROMEO), "conflict");
	/* Handing over in the same request is fine. */
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='owner' jid='" JULIET_BARE "'/>"
	    "<item affiliation='admin' jid='" ROMEO_BARE "'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "result");
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0), "affiliation"),
	    "owner");
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 1), "affiliation"),
	    "admin");
	/* Romeo is an admin now, and the owner list is the owners' (10.5). */
	EXPECT(get_list(f, ROMEO, "affiliation", "owner") == NULL);
	EXPECT((q = get_list(f, JULIET, "affiliation", "owner")) != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 1);
	EXPECT(list_item(q, "jid", JULIET_BARE) != NULL);
}

/* 9.3 and the acceptance script muc_show_offline: a user who is not in
 * the room gets a new affiliation; occupants who may see real JIDs get a
 * message from the room with <item jid affiliation/> and nothing else;
 * others get nothing. */
static void
engine_admin_change_for_an_absent_user_messages_jid_privileged_occupants(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *x, *it;

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='member' jid='"
	    BENVOLIO_BARE "'/>") == 2);
	EXPECT_INT(fx_count(f, ROMEO, NULL), 2);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
	EXPECT_INT(fx_pos(f, ROMEO, "message", 0), 0);	/* before the result */
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_NULL(fx_attr(m, "type"));
	EXPECT_INT(fx_nchildren(m, NULL), 1);
	x = fx_muc_user(m);
	EXPECT_INT(fx_nchildren(x, NULL), 1);
	it = fx_item(m);
	EXPECT_STR(fx_attr(it, "jid"), BENVOLIO_BARE);
	EXPECT_STR(fx_attr(it, "affiliation"), "member");
	EXPECT_NULL(fx_attr(it, "role"));
	EXPECT_NULL(fx_attr(it, "nick"));
	/* In a non-anonymous room everyone may see it. */
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois", "anyone",
	    (const char *)NULL) == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='none' jid='"
	    BENVOLIO_BARE "'/>") == 4);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "message", 0), "affiliation"),
	    "none");
}

/* The acceptance script muc_show_offline: reserving a nick for a user
 * evicts whoever else is using it, with 307 and the reason "This
 * nickname is reserved". */
static void
engine_admin_nick_reservation_evicts_another_occupant_using_the_nick(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);	/* the ruse */
	EXPECT(admin_set(f, ROMEO, "<item affiliation='member' jid='"
	    JULIET_BARE "' nick='Juliet'/>") == 4);
	EXPECT_STR(answer(f, ROMEO), "result");
	/* Romeo: the eviction, the notice about Juliet, the result. */
	EXPECT_INT(fx_count(f, ROMEO, NULL), 3);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT(fx_has_status(p, 307));
	EXPECT_STR(fx_item_attr(p, "jid"), NURSE);
	EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
	EXPECT_STR(fx_text(f, fx_item(p), "reason"),
	    "This nickname is reserved");
	EXPECT(fx_pos(f, ROMEO, "presence", 0) < fx_pos(f, ROMEO, "message",
	    0));
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "message", 0), "jid"),
	    JULIET_BARE);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT(fx_has_status(p, 307));
	EXPECT(fx_has_status(p, 110));
	EXPECT_STR(fx_text(f, fx_item(p), "reason"),
	    "This nickname is reserved");
	/* And the nick stays Juliet's. */
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "conflict");
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 2);
}

/* 9.4 and the acceptance script muc_members_only_change: a member who
 * loses membership of a members-only room is removed with 321 and the
 * actor, and no de-affiliation presence comes first. */
static void
engine_admin_membership_revoked_in_members_only_room_removes_with_321(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *actor;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='none' jid='"
	    JULIET_BARE "'/>") == 3);
	EXPECT_INT(fx_count(f, ROMEO, "presence"), 1);
	EXPECT_INT(fx_count(f, JULIET, "presence"), 1);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT(fx_has_status(p, 321));
	EXPECT_STR(fx_item_attr(p, "role"), "none");
	EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
	EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
	actor = fx_child(fx_item(p), "actor", NULL);
	EXPECT_STR(fx_attr(actor, "nick"), "Romeo");
	EXPECT_STR(fx_attr(actor, "jid"), ROMEO);
	EXPECT(fx_pos(f, ROMEO, "presence", 0) < fx_pos(f, ROMEO, "iq", 0));
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 110));
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)),
	    "registration-required");
}

/* 10.3, 10.6: an occupant made owner or admin becomes moderator, and
 * everyone sees it; 10.7: losing admin brings the role back down. */
static void
engine_admin_owner_and_admin_grants_update_role_and_presence(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "admin", NULL) ==
	    0);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "admin");
	EXPECT_STR(fx_item_attr(p, "role"), "moderator");
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 110));
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member", NULL) ==
	    0);
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_item_attr(p, "affiliation"), "member");
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "owner", NULL) == 0);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_item_attr(p, "affiliation"), "owner");
	EXPECT_STR(fx_item_attr(p, "role"), "moderator");
}

/* Regression tests for lib/ bugs found and fixed. */

/* 9.1: "If an admin or owner attempts to ban himself, the service MUST
 * deny the request and return a conflict error" -- also when another
 * owner exists.  mucd bans him. */
static void
engine_admin_owner_banning_himself_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "owner", NULL) ==
	    0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='outcast' jid='"
	    ROMEO_BARE "'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "conflict");
	EXPECT_INT(f->ncopies, 1);
}

/* 10.4: revoking owner status by a non-owner "MUST return a forbidden
 * error"; mucd says not-allowed. */
static void
engine_admin_admin_demoting_an_owner_is_forbidden(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 0) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	EXPECT(admin_set(f, BENVOLIO, "<item affiliation='member' jid='"
	    ROMEO_BARE "'/>") == 1);
	EXPECT_STR(answer(f, BENVOLIO), "forbidden");
}

/* jid_parse() takes 'a@b@c' as a JID (domain "b@c"), the schema refuses
 * it, and a persistent room answers internal-server-error (muc_handle
 * returns MUC_ESTORE) where jid-malformed is due. */
static void
engine_admin_affiliation_for_a_malformed_jid_is_jid_malformed(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 1) == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='member' "
	    "jid='a@b@c'/>") == 1);
	EXPECT_STR(answer(f, ROMEO), "jid-malformed");
}

/* 8.2: "After removing the kicked occupant(s), the service MUST then
 * inform the moderator of success [...] After informing the moderator,
 * the service MUST then inform all of the remaining occupants".  mucd
 * tells the room (the moderator included) first and answers last. */
static void
engine_admin_kick_answers_the_moderator_before_telling_the_room(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 0) == 0);
	EXPECT(admin_set(f, ROMEO, "<item nick='Nurse' role='none'/>") == 4);
	EXPECT(fx_pos(f, NURSE, "presence", 0) < fx_pos(f, ROMEO, "iq", 0));
	EXPECT(fx_pos(f, ROMEO, "iq", 0) < fx_pos(f, ROMEO, "presence", 0));
	EXPECT(fx_pos(f, ROMEO, "iq", 0) < fx_pos(f, JULIET, "presence", 0));
}

/* A request whose first item removes the actor from the room (an owner
 * giving up ownership of a members-only room while another owner
 * remains, which 10.4 says SHOULD be allowed) and whose second item
 * kicks someone: admin_set() keeps the actor's occupant pointer across
 * the items, occupant_eject() frees it, and the kick then reads freed
 * memory (valgrind: invalid read in presence_build, presence.c:66; the
 * kick's <actor/> comes out without a nick).  Every <actor/> sent must
 * name Romeo. */
static void
engine_admin_item_removing_the_actor_does_not_break_later_items(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*actor;
	size_t		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "member", NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "owner", NULL) ==
	    0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='none' jid='" ROMEO_BARE "'/>"
	    "<item nick='Nurse' role='none'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "result");
	EXPECT(fx_has_status(fx_get(f, NURSE, "presence", 1), 307));
	for (i = 0; i < f->ncopies; i++) {
		actor = fx_child(fx_item(f->copy[i].st), "actor", NULL);
		if (actor != NULL)
			EXPECT_STR(fx_attr(actor, "nick"), "Romeo");
	}
}

/* 9.5 (and the schema: "One nickname belongs to at most one JID per
 * room"): one request reserving the same nick for two JIDs must be
 * refused with conflict.  In a temporary room mucd applies both: the
 * member list shows nick X twice, and once Juliet's membership is
 * removed nobody holds X any more, so Tybalt enters as X although the
 * Nurse still has it reserved. */
static void
engine_admin_one_nick_for_two_jids_in_one_request_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='member' jid='" JULIET_BARE "' nick='X'/>"
	    "<item affiliation='member' jid='" NURSE_BARE "' nick='X'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "conflict");
}

/* The same in a persistent room: the unique index refuses the second row,
 * and the owner gets internal-server-error (muc_handle returns
 * MUC_ESTORE) instead of conflict. */
static void
engine_admin_one_nick_for_two_jids_in_a_stored_room_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(verona(f, 1) == 0);
	EXPECT(admin_set(f, ROMEO,
	    "<item affiliation='member' jid='" BENVOLIO_BARE "' nick='Y'/>"
	    "<item affiliation='member' jid='" TYBALT_BARE "' nick='Y'/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "conflict");
}

/* 9.5: "To unset a reserved nickname, the 'nick' attribute must be set to
 * an empty string."  mucd answers not-acceptable and keeps the nick. */
static void
engine_admin_empty_nick_unsets_the_reservation(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(admin_set(f, ROMEO, "<item affiliation='member' jid='"
	    JULIET_BARE "' nick=''/>") >= 1);
	EXPECT_STR(answer(f, ROMEO), "result");
	EXPECT((q = get_list(f, ROMEO, "affiliation", "member")) != NULL);
	EXPECT_NULL(fx_attr(list_item(q, "jid", JULIET_BARE), "nick"));
}

/* 9.1: "When an entity is banned from a room, an implementation SHOULD
 * match JIDs in the following order: [...] <domain>" -- a SHOULD, not a
 * MUST.  mucd compares bare JIDs only, so a ban of capulet.lit keeps no
 * Capulet out. */
static void
engine_admin_ban_of_a_domain_keeps_its_users_out(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", "capulet.lit", "outcast", NULL) ==
	    0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "presence", 0)), "forbidden");
}

/* The notice of an absent user's affiliation change carries the code an
 * occupant would have been removed with and the reason (9.1, 9.4). */
static void
engine_admin_absent_users_change_notice_carries_its_code_and_reason(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *item;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='b'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation='outcast' "
	    "jid='" TYBALT_BARE "'><reason>brawling</reason></item></query></iq>")
	    == 2);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT(fx_has_status(m, 301));
	item = fx_item(m);
	EXPECT_STR(fx_attr(item, "jid"), TYBALT_BARE);
	EXPECT_STR(fx_text(f, item, "reason"), "brawling");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "member", NULL) == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='r'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation='none' "
	    "jid='" NURSE_BARE "'><reason>gossip</reason></item></query></iq>")
	    == 2);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT(fx_has_status(m, 321));
	EXPECT_STR(fx_text(f, fx_item(m), "reason"), "gossip");
	/* The outcast list keeps the reason. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'outcast'/></query></iq>") == 1);
	item = fx_child(fx_child(fx_get(f, ROMEO, "iq", 0), "query", NULL),
	    "item", NULL);
	EXPECT_STR(fx_text(f, item, "reason"), "brawling");
}
static const struct ut_case cases[] = {
	UT_CASE(engine_admin_member_list_lists_members_with_jid_and_nick),
	UT_CASE(engine_admin_member_list_set_applies_every_item_of_the_delta),
	UT_CASE(engine_admin_batch_with_one_illegal_item_changes_nothing),
	UT_CASE(engine_admin_kick_removes_the_occupant_with_307_actor_and_reason),
	UT_CASE(engine_admin_kick_by_a_participant_is_forbidden_and_of_nobody_not_found),
	UT_CASE(engine_admin_voice_is_granted_and_revoked_by_role),
	UT_CASE(engine_admin_moderator_role_is_granted_and_revoked_by_an_owner),
	UT_CASE(engine_admin_ban_removes_with_301_and_the_user_cannot_rejoin),
	UT_CASE(engine_admin_admin_cannot_ban_or_demote_an_owner),
	UT_CASE(engine_admin_last_owner_cannot_be_removed),
	UT_CASE(engine_admin_change_for_an_absent_user_messages_jid_privileged_occupants),
	UT_CASE(engine_admin_nick_reservation_evicts_another_occupant_using_the_nick),
	UT_CASE(engine_admin_membership_revoked_in_members_only_room_removes_with_321),
	UT_CASE(engine_admin_owner_and_admin_grants_update_role_and_presence),
	UT_CASE(engine_admin_owner_banning_himself_is_a_conflict),
	UT_CASE(engine_admin_admin_demoting_an_owner_is_forbidden),
	UT_CASE(engine_admin_affiliation_for_a_malformed_jid_is_jid_malformed),
	UT_CASE(engine_admin_kick_answers_the_moderator_before_telling_the_room),
	UT_CASE(engine_admin_item_removing_the_actor_does_not_break_later_items),
	UT_CASE(engine_admin_one_nick_for_two_jids_in_one_request_is_a_conflict),
	UT_CASE(engine_admin_one_nick_for_two_jids_in_a_stored_room_is_a_conflict),
	UT_CASE(engine_admin_empty_nick_unsets_the_reservation),
	UT_CASE(engine_admin_ban_of_a_domain_keeps_its_users_out),
	UT_CASE(engine_admin_absent_users_change_notice_carries_its_code_and_reason),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
