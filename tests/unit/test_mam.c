/*
 * test_mam.c - archive queries (lib/mam.c, XEP-0313 with XEP-0059): the
 * form and the metadata, paging forward and back, by index and flipped,
 * every filter, real JIDs for those who may see them, who may query, the
 * page cap, malformed queries refused whole, a locked database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "engine_fixture.h"

#define NS_MAM_Q	"urn:xmpp:mam:2"
#define NS_RSM_Q	"http://jabber.org/protocol/rsm"
#define NS_FWD		"urn:xmpp:forward:0"
#define NMSG		10

/* A room of Romeo's, archiving, with Juliet in it and NMSG messages
 * "m0".."m9", ten seconds apart, Romeo saying the even ones; sid[] their
 * stanza-ids. */
struct arch {
	struct fx	*f;
	const char	*sid[NMSG];
};

static struct arch *
arch_new_with(struct fx *f)
{
	struct arch	*a = calloc(1, sizeof(*a));
	char		 body[8];
	int		 i;

	if (a == NULL)
		abort();
	ut_defer(free, a);
	a->f = f;
	if (fx_archive_room(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0)
		return NULL;
	for (i = 0; i < NMSG; i++) {
		fx_now += 10;
		snprintf(body, sizeof(body), "m%d", i);
		if (fx_send(f, "<message from='%s' to='" FX_ROOM "' type="
		    "'groupchat'><body>%s</body></message>", i % 2 ? JULIET :
		    ROMEO, body) != 2)
			return NULL;
		a->sid[i] = fx_sid(f, fx_get(f, ROMEO, "message", 0));
	}
	return a;
}

static struct arch *
arch_new(void)
{
	return arch_new_with(fx_new());
}

/* Query the room as `from` with the payload of <query/> (a form and a
 * set, printf-formatted).  Returns the copies sent, or -1. */
static int
mam(struct fx *f, const char *from, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
mam(struct fx *f, const char *from, const char *fmt, ...)
{
	char	inner[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(inner, sizeof(inner), fmt, ap);
	va_end(ap);
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' id='q'>"
	    "<query xmlns='" NS_MAM_Q "' queryid='Q'>%s</query></iq>", from,
	    inner);
}

#define SET(x)		"<set xmlns='" NS_RSM_Q "'>" x "</set>"
#define FORM(x)		"<x xmlns='jabber:x:data' type='submit'><field " \
			"var='FORM_TYPE' type='hidden'><value>" NS_MAM_Q \
			"</value></field>" x "</x>"
#define FIELD(v, x)	"<field var='" v "'><value>" x "</value></field>"

static xmpp_stanza_t *
result(struct fx *f, const char *to, size_t i)
{
	return fx_child(fx_get(f, to, "message", i), "result", NS_MAM_Q);
}

static xmpp_stanza_t *
forwarded(struct fx *f, const char *to, size_t i)
{
	return fx_child(fx_child(result(f, to, i), "forwarded", NS_FWD),
	    "message", "jabber:client");
}

/* The bodies of the results to `to`, in the order sent, as "m2 m3". */
static const char *
bodies(struct fx *f, const char *to)
{
	static char	buf[256];
	const char	*b;
	size_t		i, n = fx_count(f, to, "message");

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		b = fx_text(f, forwarded(f, to, i), "body");
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i ? " " : "", b != NULL ? b : "?");
	}
	return buf;
}

static xmpp_stanza_t *
fin(struct fx *f, const char *to)
{
	xmpp_stanza_t	*iq = fx_get(f, to, "iq", 0);

	if (iq == NULL || strcmp(fx_attr(iq, "type"), "result") != 0)
		return NULL;
	return fx_child(iq, "fin", NS_MAM_Q);
}

static const char *
rsm(struct fx *f, const char *to, const char *name)
{
	return fx_text(f, fx_child(fin(f, to), "set", NS_RSM_Q), name);
}

static const char *
first_index(struct fx *f, const char *to)
{
	return fx_attr(fx_child(fx_child(fin(f, to), "set", NS_RSM_Q), "first",
	    NULL), "index");
}

/* The refusal's condition; fails the case if anything else was sent. */
static const char *
refused(struct fx *f, const char *to)
{
	if (fx_count(f, NULL, NULL) != 1)
		return "(more than the error was sent)";
	return fx_error(fx_get(f, to, "iq", 0));
}

/* XEP-0313 4.1.5: the form has the fields, ids open to any value. */
static void
engine_mam_form_lists_the_fields_with_ids_open(void)
{
	struct arch	*a = arch_new();
	xmpp_stanza_t	*x, *ids;

	EXPECT(a != NULL);
	EXPECT(fx_send(a->f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='f'><query xmlns='" NS_MAM_Q "'/></iq>") == 1);
	x = fx_child(fx_child(fx_get(a->f, JULIET, "iq", 0), "query",
	    NS_MAM_Q), "x", NS_XDATA);
	EXPECT_STR(fx_attr(x, "type"), "form");
	EXPECT_STR(fx_field_value(a->f, x, "FORM_TYPE"), NS_MAM_Q);
	EXPECT_STR(fx_attr(fx_field(x, "with"), "type"), "jid-single");
	EXPECT_STR(fx_attr(fx_child(fx_field(x, "start"), "validate",
	    "http://jabber.org/protocol/xdata-validate"), "datatype"),
	    "xs:dateTime");
	EXPECT(fx_field(x, "end") != NULL);
	EXPECT(fx_field(x, "before-id") != NULL);
	EXPECT(fx_field(x, "after-id") != NULL);
	ids = fx_field(x, "ids");
	EXPECT_STR(fx_attr(ids, "type"), "list-multi");
	EXPECT(fx_child(fx_child(ids, "validate", "http://jabber.org/protocol/"
	    "xdata-validate"), "open", NULL) != NULL);
}

/* XEP-0313 5: the first and last messages; an empty archive says so with
 * an empty <metadata/>. */
static void
engine_mam_metadata_gives_the_first_and_last_messages(void)
{
	struct arch	*a = arch_new();
	xmpp_stanza_t	*md;

	EXPECT(a != NULL);
	EXPECT(fx_send(a->f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='m'><metadata xmlns='" NS_MAM_Q "'/></iq>") == 1);
	md = fx_child(fx_get(a->f, JULIET, "iq", 0), "metadata", NS_MAM_Q);
	EXPECT_STR(fx_attr(fx_child(md, "start", NULL), "id"), a->sid[0]);
	EXPECT_STR(fx_attr(fx_child(md, "start", NULL), "timestamp"),
	    "2023-11-14T22:13:30Z");	/* FX_EPOCH + 10 s */
	EXPECT_STR(fx_attr(fx_child(md, "end", NULL), "id"), a->sid[NMSG - 1]);
	EXPECT(fx_archive_room(a->f, ROMEO, "empty", "Romeo") == 0);
	EXPECT(fx_send(a->f, "<iq from='" ROMEO "' to='empty@" FX_DOMAIN "' "
	    "type='get' id='m'><metadata xmlns='" NS_MAM_Q "'/></iq>") == 1);
	md = fx_child(fx_get(a->f, ROMEO, "iq", 0), "metadata", NS_MAM_Q);
	EXPECT(md != NULL);
	EXPECT_INT(fx_nchildren(md, NULL), 0);
}

/* XEP-0059 2.2, XEP-0313 4.3: pages of max, forward from <after/>; each
 * result names its id and the query; <fin/> has first (with its index),
 * last and count, and complete='true' on the last page only. */
static void
engine_mam_pages_forward_and_completes_on_the_last_page(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;
	char		 xml[256];

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, JULIET, SET("<max>4</max>")) == 5);
	EXPECT_STR(bodies(f, JULIET), "m0 m1 m2 m3");
	EXPECT_STR(fx_attr(result(f, JULIET, 0), "id"), a->sid[0]);
	EXPECT_STR(fx_attr(result(f, JULIET, 0), "queryid"), "Q");
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "message", 0), "from"), FX_ROOM);
	EXPECT(fx_child(fx_child(result(f, JULIET, 0), "forwarded", NS_FWD),
	    "delay", "urn:xmpp:delay") != NULL);
	EXPECT_STR(rsm(f, JULIET, "first"), a->sid[0]);
	EXPECT_STR(first_index(f, JULIET), "0");
	EXPECT_STR(rsm(f, JULIET, "last"), a->sid[3]);
	EXPECT_STR(rsm(f, JULIET, "count"), "10");
	EXPECT_NULL(fx_attr(fin(f, JULIET), "complete"));
	snprintf(xml, sizeof(xml), SET("<max>4</max><after>%s</after>"),
	    a->sid[7]);
	EXPECT(mam(f, JULIET, "%s", xml) == 3);
	EXPECT_STR(bodies(f, JULIET), "m8 m9");
	EXPECT_STR(first_index(f, JULIET), "8");
	EXPECT_STR(fx_attr(fin(f, JULIET), "complete"), "true");
	/* No set at all: the default page holds them all, complete. */
	EXPECT(mam(f, JULIET, "%s", "") == NMSG + 1);
	EXPECT_STR(fx_attr(fin(f, JULIET), "complete"), "true");
}

/* XEP-0059 2.3, 2.5: backward from <before/>, the page still in the
 * archive's order, complete when it reaches the start; <flip-page/>
 * sends a page newest first without changing it (XEP-0313 4.3.4). */
static void
engine_mam_pages_backward_in_order_and_flips_on_request(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;
	char		 xml[256];

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, JULIET, SET("<max>3</max><before/>")) == 4);
	EXPECT_STR(bodies(f, JULIET), "m7 m8 m9");
	EXPECT_STR(rsm(f, JULIET, "first"), a->sid[7]);
	EXPECT_STR(rsm(f, JULIET, "last"), a->sid[9]);
	EXPECT_NULL(first_index(f, JULIET));	/* for slixmpp, see mam.c */
	EXPECT_STR(rsm(f, JULIET, "count"), "10");
	EXPECT_NULL(fx_attr(fin(f, JULIET), "complete"));
	snprintf(xml, sizeof(xml), SET("<max>3</max><before>%s</before>"),
	    a->sid[2]);
	EXPECT(mam(f, JULIET, "%s", xml) == 3);
	EXPECT_STR(bodies(f, JULIET), "m0 m1");
	EXPECT_STR(fx_attr(fin(f, JULIET), "complete"), "true");
	EXPECT(mam(f, JULIET, SET("<max>3</max><before/>") "<flip-page/>") ==
	    4);
	EXPECT_STR(bodies(f, JULIET), "m9 m8 m7");
	EXPECT_STR(rsm(f, JULIET, "first"), a->sid[7]);
	EXPECT(mam(f, JULIET, SET("<max>2</max>") "<flip-page/>") == 3);
	EXPECT_STR(bodies(f, JULIET), "m1 m0");
}

/* XEP-0059 2.6: a page from an index, which <first/> repeats; past the
 * end, an empty page; max 0, the count alone. */
static void
engine_mam_index_starts_the_page_and_max_0_counts(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, JULIET, SET("<max>2</max><index>5</index>")) == 3);
	EXPECT_STR(bodies(f, JULIET), "m5 m6");
	EXPECT_STR(first_index(f, JULIET), "5");
	EXPECT(mam(f, JULIET, SET("<max>2</max><index>50</index>")) == 1);
	EXPECT_STR(rsm(f, JULIET, "count"), "10");
	EXPECT_NULL(rsm(f, JULIET, "first"));
	EXPECT(mam(f, JULIET, SET("<max>0</max>")) == 1);
	EXPECT_STR(rsm(f, JULIET, "count"), "10");
	EXPECT_NULL(fx_attr(fin(f, JULIET), "complete"));
}

/* XEP-0313 4.1.2: start and end, inclusive. */
static void
engine_mam_filters_by_time(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;

	EXPECT(a != NULL);
	f = a->f;
	/* m0 was at FX_EPOCH + 10 s, 22:13:30; m3 at 22:14:00. */
	EXPECT(mam(f, JULIET, FORM(FIELD("start", "2023-11-14T22:14:00Z")
	    FIELD("end", "2023-11-14T22:14:20.500Z"))) == 4);
	EXPECT_STR(bodies(f, JULIET), "m3 m4 m5");
	EXPECT_STR(rsm(f, JULIET, "count"), "3");
	EXPECT(mam(f, JULIET, FORM(FIELD("start", "2023-11-14T23:14:00+01:00")
	    )) == 8);
	EXPECT_STR(bodies(f, JULIET), "m3 m4 m5 m6 m7 m8 m9");
	EXPECT(mam(f, JULIET, FORM(FIELD("end", "2020-01-01T00:00:00Z"))) ==
	    1);
	EXPECT_STR(rsm(f, JULIET, "count"), "0");
	EXPECT_STR(fx_attr(fin(f, JULIET), "complete"), "true");
}

/* XEP-0313 4.1.1: with an occupant JID, that nick's messages; with a
 * real JID, that user's, but only for those who may know real JIDs. */
static void
engine_mam_filters_by_occupant_jid_and_real_jid_for_moderators(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, JULIET, FORM(FIELD("with", FX_ROOM "/Juliet"))) == 6);
	EXPECT_STR(bodies(f, JULIET), "m1 m3 m5 m7 m9");
	EXPECT(mam(f, JULIET, FORM(FIELD("with", JULIET_BARE))) == 1);
	EXPECT_STR(refused(f, JULIET), "forbidden");
	EXPECT(mam(f, ROMEO, FORM(FIELD("with", JULIET))) == 6);
	EXPECT_STR(bodies(f, ROMEO), "m1 m3 m5 m7 m9");
	EXPECT(mam(f, ROMEO, FORM(FIELD("with", FX_ROOM "/Nobody"))) == 1);
	EXPECT_STR(rsm(f, ROMEO, "count"), "0");
}

/* XEP-0313 4.1.3 (extended): after-id and before-id bound the set, ids
 * picks messages; the set's count follows. */
static void
engine_mam_before_id_after_id_and_ids_pick_the_set(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;
	char		 xml[512];

	EXPECT(a != NULL);
	f = a->f;
	snprintf(xml, sizeof(xml), FORM("<field var='after-id'><value>%s"
	    "</value></field><field var='before-id'><value>%s</value>"
	    "</field>") SET("<max>2</max>"), a->sid[2], a->sid[7]);
	EXPECT(mam(f, JULIET, "%s", xml) == 3);
	EXPECT_STR(bodies(f, JULIET), "m3 m4");
	EXPECT_STR(rsm(f, JULIET, "count"), "4");
	snprintf(xml, sizeof(xml), FORM("<field var='ids'><value>%s</value>"
	    "<value>%s</value><value>%s</value></field>"), a->sid[8],
	    a->sid[1], a->sid[8]);
	EXPECT(mam(f, JULIET, "%s", xml) == 3);
	EXPECT_STR(bodies(f, JULIET), "m1 m8");
	EXPECT_STR(fx_attr(fin(f, JULIET), "complete"), "true");
}

/* XEP-0313 6.1.2: the sender's real JID goes with the message for a
 * moderator of a semi-anonymous room and for everyone in a non-anonymous
 * one, never for others. */
static void
engine_mam_real_jids_go_only_to_those_who_may_see_them(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;
	xmpp_stanza_t	*m;

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, JULIET, SET("<max>1</max>")) == 2);
	EXPECT(fx_muc_user(forwarded(f, JULIET, 0)) == NULL);
	EXPECT(mam(f, ROMEO, SET("<max>2</max>")) == 3);
	m = forwarded(f, ROMEO, 1);
	EXPECT_STR(fx_item_attr(m, "jid"), JULIET_BARE);
	EXPECT_NULL(fx_attr(m, "to"));
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM "/Juliet");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois", "anyone",
	    (const char *)NULL) == 0);
	EXPECT(mam(f, JULIET, SET("<max>1</max>")) == 2);
	EXPECT_STR(fx_item_attr(forwarded(f, JULIET, 0), "jid"), ROMEO_BARE);
}

/* XEP-0313 6.1.2, 8.1: occupants and members (absent too) may query;
 * strangers and outcasts may not, and a hidden room is nowhere to them;
 * a room that keeps no archive says so; no room, item-not-found. */
static void
engine_mam_who_may_query(void)
{
	struct arch	*a = arch_new();
	struct fx	*f;

	EXPECT(a != NULL);
	f = a->f;
	EXPECT(mam(f, NURSE, "%s", "") == 1);
	EXPECT_STR(refused(f, NURSE), "forbidden");
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "member", NULL) ==
	    0);
	EXPECT(mam(f, NURSE, SET("<max>1</max>")) == 2);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "outcast", NULL) ==
	    0);
	EXPECT(mam(f, TYBALT, "%s", "") == 1);
	EXPECT_STR(refused(f, TYBALT), "forbidden");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_publicroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(mam(f, BENVOLIO, "%s", "") == 1);
	EXPECT_STR(refused(f, BENVOLIO), "item-not-found");
	EXPECT(mam(f, TYBALT, "%s", "") == 1);
	EXPECT_STR(refused(f, TYBALT), "item-not-found");
	EXPECT(fx_create(f, ROMEO, "temp", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='temp@" FX_DOMAIN "' "
	    "type='set' id='q'><query xmlns='" NS_MAM_Q "'/></iq>") == 1);
	EXPECT_STR(refused(f, ROMEO), "service-unavailable");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='none@" FX_DOMAIN "' "
	    "type='set' id='q'><query xmlns='" NS_MAM_Q "'/></iq>") == 1);
	EXPECT_STR(refused(f, ROMEO), "item-not-found");
}

/* Item 6 of the issue: each malformed query is one clear error and
 * nothing else; ids the archive lacks are item-not-found (4.3.2). */
static void
engine_mam_refuses_malformed_queries_whole(void)
{
	static const struct { const char *inner, *condition; } bad[] = {
		{ FORM(FIELD("start", "yesterday")), "bad-request" },
		{ FORM(FIELD("end", "2023-13-45T00:00:00Z")), "bad-request" },
		{ FORM(FIELD("with", "not@a@jid")), "bad-request" },
		{ FORM(FIELD("full-text", "x")), "feature-not-implemented" },
		{ FORM(FIELD("start", "2023-11-14T22:14:00Z")
		    FIELD("start", "2023-11-14T22:14:00Z")), "bad-request" },
		{ FORM("<field var='end'><value>a</value><value>b</value>"
		    "</field>"), "bad-request" },
		{ "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
		    "<value>urn:other</value></field></x>", "bad-request" },
		{ "<x xmlns='jabber:x:data' type='submit'>" FIELD("start",
		    "2023-11-14T22:14:00Z") "</x>", "bad-request" },
		{ "<x xmlns='jabber:x:data' type='form'/>", "bad-request" },
		{ FORM(FIELD("after-id", "AAAAAAAAAAA")), "item-not-found" },
		{ FORM(FIELD("before-id", "nonsense")), "item-not-found" },
		{ FORM(FIELD("ids", "AAAAAAAAAAA")), "item-not-found" },
		{ SET("<max>-1</max>"), "bad-request" },
		{ SET("<max>ten</max>"), "bad-request" },
		{ SET("<after/>"), "bad-request" },
		{ SET("<after>AAAAAAAAAAA</after>"), "item-not-found" },
		{ SET("<before>AAAAAAAAAAA</before>"), "item-not-found" },
		{ SET("<index>x</index>"), "bad-request" },
		{ SET("<index>1</index><before/>"), "bad-request" },
		{ SET("<index>999999999</index>"), "feature-not-implemented" },
	};
	struct arch	*a = arch_new();
	size_t		 i;

	EXPECT(a != NULL);
	for (i = 0; i < UT_NELEM(bad); i++) {
		if (mam(a->f, JULIET, "%s", bad[i].inner) != 1)
			ut_note("case %zu", i);
		EXPECT_STR(refused(a->f, JULIET), bad[i].condition);
		EXPECT_STR(fx_error_by(fx_get(a->f, JULIET, "iq", 0)), FX_ROOM);
	}
	EXPECT(fx_send(a->f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='m'><other xmlns='" NS_MAM_Q "'/></iq>") == 1);
	EXPECT_STR(refused(a->f, JULIET), "bad-request");
}

/* XEP-0059 2.1: a page larger than the service's is cut, and the answer
 * says so with <max/>; the service's maximum is a setting. */
static void
engine_mam_caps_the_page_and_says_so(void)
{
	struct muc_service_config	 cfg = { .archive_page_max = 3 };
	struct arch			*a = arch_new_with(fx_new_cfg(&cfg,
					    NULL));

	EXPECT(a != NULL);
	EXPECT(mam(a->f, JULIET, SET("<max>99999999999999999999</max>")) ==
	    4);
	EXPECT_STR(rsm(a->f, JULIET, "max"), "3");
	EXPECT_STR(bodies(a->f, JULIET), "m0 m1 m2");
	EXPECT(mam(a->f, JULIET, SET("<max>2</max>")) == 3);
	EXPECT_NULL(rsm(a->f, JULIET, "max"));
	EXPECT(mam(a->f, JULIET, "%s", "") == 4);	/* the default: 3 */
}

/* While another connection keeps the database locked, the messages just
 * sent cannot be written: a query says resource-constraint (wait) rather
 * than answer without them, and works once the lock is gone. */
static void
engine_mam_locked_database_is_resource_constraint(void)
{
	const char	*path = fx_tmp_db();
	struct arch	*a = arch_new_with(fx_new_with(NULL, 0, path));
	sqlite3		*db;

	EXPECT(a != NULL);
	EXPECT(mam(a->f, JULIET, SET("<max>0</max>")) == 1);	/* written */
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	EXPECT(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK);
	EXPECT(fx_send(a->f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>late</body></message>") == 2);
	EXPECT(mam(a->f, JULIET, "%s", "") == 1);
	EXPECT_STR(refused(a->f, JULIET), "resource-constraint");
	EXPECT_STR(fx_error_type(fx_get(a->f, JULIET, "iq", 0)), "wait");
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	EXPECT(fx_tick(a->f) >= 0);
	EXPECT(mam(a->f, JULIET, SET("<max>0</max>")) == 1);
	EXPECT_STR(rsm(a->f, JULIET, "count"), "11");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_mam_form_lists_the_fields_with_ids_open),
	UT_CASE(engine_mam_metadata_gives_the_first_and_last_messages),
	UT_CASE(engine_mam_pages_forward_and_completes_on_the_last_page),
	UT_CASE(engine_mam_pages_backward_in_order_and_flips_on_request),
	UT_CASE(engine_mam_index_starts_the_page_and_max_0_counts),
	UT_CASE(engine_mam_filters_by_time),
	UT_CASE(engine_mam_filters_by_occupant_jid_and_real_jid_for_moderators),
	UT_CASE(engine_mam_before_id_after_id_and_ids_pick_the_set),
	UT_CASE(engine_mam_real_jids_go_only_to_those_who_may_see_them),
	UT_CASE(engine_mam_who_may_query),
	UT_CASE(engine_mam_refuses_malformed_queries_whole),
	UT_CASE(engine_mam_caps_the_page_and_says_so),
	UT_CASE(engine_mam_locked_database_is_resource_constraint),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
