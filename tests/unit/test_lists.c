/*
 * test_lists.c - answers whose size grows with the service or a room
 * (lib/disco.c, lib/admin.c, lib/room.c's pages): the service's
 * disco#items paged with XEP-0059 result set management, stored and
 * memory-only rooms merged in name order; and the lists written as text
 * (lib/xtext.c) coming out well-formed, escaped and complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_fixture.h"

#define NS_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_RSM_SET	"http://jabber.org/protocol/rsm"

/* Romeo asks the service for disco#items with `set` (XML, may be "").
 * Returns the result's <query/> or NULL. */
static xmpp_stanza_t *
items(struct fx *f, const char *set)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='it'><query xmlns='" NS_ITEMS "'>%s</query></iq>", set) != 1)
		return NULL;
	iq = fx_get(f, ROMEO, "iq", 0);
	if (fx_attr(iq, "type") == NULL || strcmp(fx_attr(iq, "type"),
	    "result") != 0)
		return NULL;
	return fx_child(iq, "query", NS_ITEMS);
}

/* The rooms of q, as "name name ..." (localparts), into buf. */
static const char *
names(xmpp_stanza_t *q, char *buf, size_t len)
{
	xmpp_stanza_t	*c;
	const char	*jid;
	size_t		 o = 0;

	buf[0] = '\0';
	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "item") != 0 ||
		    (jid = fx_attr(c, "jid")) == NULL)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%.*s", o ? " " : "",
		    (int)strcspn(jid, "@"), jid);
		if (o >= len)
			break;
	}
	return buf;
}

static const char *
set_text(struct fx *f, xmpp_stanza_t *q, const char *name)
{
	return fx_text(f, fx_child(q, "set", NS_RSM_SET), name);
}

static const char *
first_index(xmpp_stanza_t *q)
{
	return fx_attr(fx_child(fx_child(q, "set", NS_RSM_SET), "first", NULL),
	    "index");
}

/* Rooms b d f h are persistent (stored; their occupants gone), a c e g
 * temporary with occupants (memory only), "hidden" is not public and
 * "locked" awaits its configuration: the list is a..h. */
static void
make_rooms(struct fx *f)
{
	static const char	*stored[] = { "b", "d", "f", "h" };
	static const char	*temporary[] = { "a", "c", "e", "g" };
	size_t			 i;

	for (i = 0; i < 4; i++) {
		if (fx_create(f, ROMEO, stored[i], "Romeo") != 0 ||
		    fx_config(f, ROMEO, stored[i],
		    "muc#roomconfig_persistentroom", "1",
		    (const char *)NULL) != 0 ||
		    fx_leave(f, ROMEO, stored[i]) != 0 ||
		    fx_create(f, JULIET, temporary[i], "Juliet") != 0)
			return;
	}
	if (fx_create(f, NURSE, "hidden", "Nurse") != 0 ||
	    fx_config(f, NURSE, "hidden", "muc#roomconfig_publicroom", "0",
	    (const char *)NULL) != 0)
		return;
	(void)fx_join(f, NURSE, "locked", "Nurse");
}

/* XEP-0059 2.2-2.4: pages forwards and backwards, with first/last UIDs
 * that work as after/before, the index where it is known, the count. */
static void
engine_lists_service_items_come_in_pages_merging_stored_and_memory_rooms(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;
	char		 buf[256], set[256];

	make_rooms(f);
	EXPECT(!ut_failed());
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>3</max></set>"))
	    != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "a b c");
	EXPECT_STR(set_text(f, q, "count"), "8");
	EXPECT_STR(first_index(q), "0");
	EXPECT_STR(set_text(f, q, "first"), "a@" FX_DOMAIN);
	EXPECT_STR(set_text(f, q, "last"), "c@" FX_DOMAIN);
	snprintf(set, sizeof(set), "<set xmlns='" NS_RSM_SET "'><max>3</max>"
	    "<after>%s</after></set>", set_text(f, q, "last"));
	EXPECT((q = items(f, set)) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "d e f");
	EXPECT_NULL(first_index(q));	/* not known without counting */
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>3</max><after>"
	    "f@" FX_DOMAIN "</after></set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "g h");
	/* The last page, then the one before it. */
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>3</max>"
	    "<before/></set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "f g h");
	EXPECT_STR(first_index(q), "5");
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>3</max><before>"
	    "f@" FX_DOMAIN "</before></set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "c d e");
	/* After the end: an empty page, no first or last. */
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><after>h@"
	    FX_DOMAIN "</after></set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "");
	EXPECT_NULL(set_text(f, q, "first"));
	EXPECT_STR(set_text(f, q, "count"), "8");
}

/* A client that knows nothing of RSM gets the first page, and a <set/>
 * only when there are more rooms than one page holds; max is capped. */
static void
engine_lists_service_items_without_rsm_get_the_first_page(void)
{
	struct muc_service_config	 cfg;
	struct fx			*f;
	xmpp_stanza_t			*q;
	char				 buf[256];

	memset(&cfg, 0, sizeof(cfg));
	cfg.page_default = 3;
	cfg.page_max = 4;
	f = fx_new_cfg(&cfg, NULL);
	EXPECT(fx_create(f, ROMEO, "x", "Romeo") == 0);
	EXPECT(fx_create(f, ROMEO, "y", "Romeo") == 0);
	EXPECT((q = items(f, "")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "x y");
	EXPECT(fx_child(q, "set", NS_RSM_SET) == NULL);
	f = fx_new_cfg(&cfg, NULL);
	make_rooms(f);
	EXPECT((q = items(f, "")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "a b c");
	EXPECT_STR(set_text(f, q, "count"), "8");
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>100</max>"
	    "</set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "a b c d");
}

/* max 0 asks for the count alone (2.6); an index other than 0 is not
 * supported (2.5 allows feature-not-implemented); a max that is not a
 * number is a bad request. */
static void
engine_lists_service_items_count_index_and_bad_max(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;
	char		 buf[64];

	make_rooms(f);
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>0</max></set>"))
	    != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "");
	EXPECT_STR(set_text(f, q, "count"), "8");
	EXPECT((q = items(f, "<set xmlns='" NS_RSM_SET "'><max>2</max><index>0"
	    "</index></set>")) != NULL);
	EXPECT_STR(names(q, buf, sizeof(buf)), "a b");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='x'><query xmlns='" NS_ITEMS "'><set xmlns='" NS_RSM_SET "'>"
	    "<index>4</index></set></query></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)),
	    "feature-not-implemented");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='y'><query xmlns='" NS_ITEMS "'><set xmlns='" NS_RSM_SET "'>"
	    "<max>lots</max></set></query></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
}

/* The affiliation list is written as text: every member is there once,
 * and values that need escaping come back as they were. */
static void
engine_lists_affiliation_list_as_text_is_complete_and_escaped(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq, *q, *c;
	char		 jid[64];
	int		 i, n = 0;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	for (i = 0; i < 300; i++) {
		snprintf(jid, sizeof(jid), "member%d@verona.lit", i);
		EXPECT(fx_affiliate(f, ROMEO, "room", jid, "member", NULL) == 0);
	}
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='o'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'outcast' jid='troll@verona.lit'><reason>said &lt;&amp;&gt; "
	    "&quot;x&quot; &apos;y&apos;</reason></item></query></iq>") >= 1);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'member'/></query></iq>") == 1);
	iq = fx_get(f, ROMEO, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "id"), "l");
	EXPECT_STR(fx_attr(iq, "from"), FX_ROOM);
	EXPECT((q = fx_child(iq, "query", NS_MUC_ADMIN_Q)) != NULL);
	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c))
		n += xmpp_stanza_is_tag(c) &&
		    strcmp(fx_attr(c, "affiliation"), "member") == 0;
	EXPECT_INT(n, 300);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='b'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'outcast'/></query></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_MUC_ADMIN_Q);
	c = fx_child(q, "item", NULL);
	EXPECT_STR(fx_attr(c, "jid"), "troll@verona.lit");
	EXPECT_STR(fx_text(f, c, "reason"), "said <&> \"x\" 'y'");
}

/* The occupants of a room, as text, to an occupant: every nick, escaped
 * where it must be. */
static void
engine_lists_room_items_as_text_list_every_occupant(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *c;
	char		 from[64], nick[32];
	int		 i, n = 0, amp = 0;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	for (i = 0; i < 100; i++) {
		snprintf(from, sizeof(from), "u%d@verona.lit/r", i);
		snprintf(nick, sizeof(nick), "guest%d", i);
		EXPECT(fx_join(f, from, "room", nick) == 0);
	}
	EXPECT(fx_join(f, JULIET, "room", "J&amp;&quot;K") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='" NS_ITEMS "'/></iq>") == 1);
	q = fx_child(fx_get(f, JULIET, "iq", 0), "query", NS_ITEMS);
	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		n++;
		amp += strcmp(fx_attr(c, "name"), "J&\"K") == 0 &&
		    strcmp(fx_attr(c, "jid"), FX_ROOM "/J&\"K") == 0;
	}
	EXPECT_INT(n, 102);
	EXPECT_INT(amp, 1);
}

/* Count the children named name of q, and the jid (or name) attribute
 * of the first and last of them. */
static size_t
items_of(xmpp_stanza_t *q, const char *attr, const char **first,
    const char **last)
{
	xmpp_stanza_t	*c;
	size_t		 n = 0;

	*first = *last = NULL;
	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "item") != 0)
			continue;
		if (n++ == 0)
			*first = fx_attr(c, attr);
		*last = fx_attr(c, attr);
	}
	return n;
}

static xmpp_stanza_t *
member_list(struct fx *f, const char *set)
{
	if (fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'member'/>%s</query></iq>", set) != 1)
		return NULL;
	return fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_MUC_ADMIN_Q);
}

/* Affiliation lists come a page at a time by JID (XEP-0059); one not
 * asked for is whole unless it would exceed what the host takes (256
 * KiB of items here), and then says how it goes on. */
static void
engine_lists_affiliation_list_pages_by_jid_and_caps_an_unasked_answer(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;
	const char	*first, *last;
	char		 jid[64], set[256], reason[160];
	size_t		 n, total = 0;
	int		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	for (i = 0; i < 1500; i++) {
		snprintf(jid, sizeof(jid), "m%04d@verona.lit", i);
		EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' "
		    "type='set' id='a'><query xmlns='" NS_MUC_ADMIN_Q "'><item "
		    "affiliation='member' jid='%s'><reason>%s</reason></item>"
		    "</query></iq>", jid, reason) >= 1);
	}
	EXPECT((q = member_list(f, "<set xmlns='" NS_RSM_SET "'><max>100</max>"
	    "</set>")) != NULL);
	EXPECT_INT(items_of(q, "jid", &first, &last), 100);
	EXPECT_STR(first, "m0000@verona.lit");
	EXPECT_STR(last, "m0099@verona.lit");
	EXPECT_STR(set_text(f, q, "count"), "1500");
	EXPECT_STR(first_index(q), "0");
	EXPECT((q = member_list(f, "<set xmlns='" NS_RSM_SET "'><max>100</max>"
	    "<after>m0099@verona.lit</after></set>")) != NULL);
	EXPECT_INT(items_of(q, "jid", &first, &last), 100);
	EXPECT_STR(first, "m0100@verona.lit");
	EXPECT_STR(first_index(q), "100");
	EXPECT((q = member_list(f, "<set xmlns='" NS_RSM_SET "'><max>10</max>"
	    "<before/></set>")) != NULL);
	EXPECT_INT(items_of(q, "jid", &first, &last), 10);
	EXPECT_STR(first, "m1490@verona.lit");
	EXPECT_STR(first_index(q), "1490");
	/* Unasked: 1500 items of ~230 bytes do not fit in 256 KiB; what is
	 * sent says where to go on, and going on reaches every member. */
	EXPECT((q = member_list(f, "")) != NULL);
	n = items_of(q, "jid", &first, &last);
	EXPECT(n > 500 && n < 1500);
	EXPECT_STR(set_text(f, q, "count"), "1500");
	total = n;
	while (total < 1500 && last != NULL) {
		snprintf(set, sizeof(set), "<set xmlns='" NS_RSM_SET "'><max>"
		    "250</max><after>%s</after></set>", last);
		EXPECT((q = member_list(f, set)) != NULL);
		n = items_of(q, "jid", &first, &last);
		EXPECT(n > 0);
		total += n;
	}
	EXPECT_INT(total, 1500);
}

/* The occupants of a room come a page at a time in join order, nicks as
 * UIDs; a nick that has left is no place to go on from. */
static void
engine_lists_room_items_page_in_join_order(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q;
	const char	*first, *last;
	char		 from[64], nick[32];
	int		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	for (i = 0; i < 30; i++) {
		snprintf(from, sizeof(from), "u%d@verona.lit/r", i);
		snprintf(nick, sizeof(nick), "guest%02d", i);
		EXPECT(fx_join(f, from, "room", nick) == 0);
	}
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='" NS_ITEMS "'><set xmlns='" NS_RSM_SET "'>"
	    "<max>10</max></set></query></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_ITEMS);
	EXPECT_INT(items_of(q, "name", &first, &last), 10);
	EXPECT_STR(first, "Romeo");
	EXPECT_STR(last, "guest08");
	EXPECT_STR(set_text(f, q, "count"), "31");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='" NS_ITEMS "'><set xmlns='" NS_RSM_SET "'>"
	    "<max>10</max><after>guest28</after></set></query></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_ITEMS);
	EXPECT_INT(items_of(q, "name", &first, &last), 1);
	EXPECT_STR(first, "guest29");
	EXPECT(fx_leave(f, "u5@verona.lit/r", "room") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='" NS_ITEMS "'><set xmlns='" NS_RSM_SET "'>"
	    "<after>guest05</after></set></query></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "item-not-found");
	/* The participants' list pages the same way. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='p'><query xmlns='" NS_MUC_ADMIN_Q "'><item role="
	    "'participant'/><set xmlns='" NS_RSM_SET "'><max>5</max><before/>"
	    "</set></query></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_MUC_ADMIN_Q);
	EXPECT_INT(items_of(q, "nick", &first, &last), 5);
	EXPECT_STR(first, "guest25");
	EXPECT_STR(last, "guest29");
	EXPECT_STR(set_text(f, q, "count"), "29");
	EXPECT_STR(first_index(q), "24");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_lists_service_items_come_in_pages_merging_stored_and_memory_rooms),
	UT_CASE(engine_lists_service_items_without_rsm_get_the_first_page),
	UT_CASE(engine_lists_service_items_count_index_and_bad_max),
	UT_CASE(engine_lists_affiliation_list_as_text_is_complete_and_escaped),
	UT_CASE(engine_lists_room_items_as_text_list_every_occupant),
	UT_CASE(engine_lists_affiliation_list_pages_by_jid_and_caps_an_unasked_answer),
	UT_CASE(engine_lists_room_items_page_in_join_order),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
