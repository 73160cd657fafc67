/*
 * test_out.c - the outbox of lib/out.c: single entries carry their own
 * addressing, a broadcast entry is one stanza and a recipient list, and
 * muc_out_render() serialises a broadcast once and splices one escaped
 * `to` into each copy, leaving out a top-level xmlns that only repeats the
 * stream's default namespace; muc_out_render_multicast() writes one
 * XEP-0033 stanza for a range of the recipients.
 */
#include <stdio.h>
#include <stdlib.h>

#include "muc.h"
#include "unit.h"

struct outbox {
	xmpp_ctx_t	*ctx;
	struct muc_out	*out;
};

struct copies {
	xmpp_ctx_t	*ctx;
	size_t		 n;
	char		*text[64];	/* the first 64 copies */
};

static void
outbox_free(void *arg)
{
	struct outbox	*o = arg;

	muc_out_free(o->out);
	xmpp_ctx_free(o->ctx);
	free(o);
}

static struct outbox *
outbox_new(void)
{
	struct outbox	*o = calloc(1, sizeof(*o));

	if (o == NULL || (o->ctx = xmpp_ctx_new(NULL, NULL)) == NULL ||
	    (o->out = muc_out_new(o->ctx)) == NULL)
		abort();
	ut_defer(outbox_free, o);
	return o;
}

static void
copies_free(void *arg)
{
	struct copies	*c = arg;
	size_t		 i;

	for (i = 0; i < c->n && i < UT_NELEM(c->text); i++)
		free(c->text[i]);
	free(c);
}

static struct copies *
copies_new(void)
{
	struct copies	*c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	ut_defer(copies_free, c);
	return c;
}

static void
collect(void *ud, const char *text, size_t len)
{
	struct copies	*c = ud;

	if (c->n < UT_NELEM(c->text)) {
		if ((c->text[c->n] = malloc(len + 1)) == NULL)
			abort();
		memcpy(c->text[c->n], text, len);
		c->text[c->n][len] = '\0';
	}
	c->n++;
}

/* A stanza from XML text. */
static xmpp_stanza_t *
stanza(struct outbox *o, const char *xml)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(o->ctx, xml);

	if (s == NULL)
		abort();
	return s;
}

/* The `to` of a rendered copy, parsed back; kept until the case ends. */
static const char *
to_of(struct outbox *o, const char *text)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(o->ctx, text);
	const char	*to;
	char		*copy;

	if (s == NULL)
		return "(does not parse)";
	to = xmpp_stanza_get_to(s);
	copy = strdup(to != NULL ? to : "(none)");
	xmpp_stanza_release(s);
	if (copy == NULL)
		abort();
	ut_defer(free, copy);
	return copy;
}

/* How many times needle occurs in hay. */
static int
occurrences(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
engine_out_single_entry_keeps_its_own_addressing(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();
	const struct muc_out_entry *e;

	EXPECT_INT(muc_out_push(o->out, stanza(o,
	    "<message to='romeo@montague.lit/orchard'><body>hi</body>"
	    "</message>")), MUC_OK);
	EXPECT_INT(muc_out_count(o->out), 1);
	EXPECT((e = muc_out_get(o->out, 0)) != NULL);
	EXPECT_INT(e->broadcast, 0);
	EXPECT_INT(e->nto, 0);
	EXPECT(muc_out_get(o->out, 1) == NULL);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 1);
	EXPECT_STR(to_of(o, c->text[0]), "romeo@montague.lit/orchard");
	EXPECT_INT(occurrences(c->text[0], "to="), 1);
}

static void
engine_out_broadcast_renders_one_copy_per_recipient_in_order(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();
	const struct muc_out_entry *e;
	static const char *const to[] = {
		"romeo@montague.lit/orchard", "juliet@capulet.lit/balcony",
		"nurse@capulet.lit/kitchen",
	};
	xmpp_stanza_t	*s;
	size_t		 i;

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o,
	    "<message from='room@conference.localhost/Romeo' "
	    "type='groupchat'><body>hi</body></message>")), MUC_OK);
	for (i = 0; i < 3; i++)
		EXPECT_INT(muc_out_add_to(o->out, to[i]), MUC_OK);
	EXPECT_INT(muc_out_count(o->out), 1);
	e = muc_out_get(o->out, 0);
	EXPECT_INT(e->broadcast, 1);
	EXPECT_INT(e->nto, 3);
	for (i = 0; i < 3; i++)
		EXPECT_STR(e->to[i], to[i]);
	EXPECT(xmpp_stanza_get_to(e->stanza) == NULL);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 3);
	for (i = 0; i < 3; i++) {
		EXPECT_STR(to_of(o, c->text[i]), to[i]);
		EXPECT_INT(occurrences(c->text[i], "to="), 1);
		s = xmpp_stanza_new_from_string(o->ctx, c->text[i]);
		EXPECT(s != NULL);
		EXPECT_STR(xmpp_stanza_get_from(s),
		    "room@conference.localhost/Romeo");
		EXPECT_STR(xmpp_stanza_get_type(s), "groupchat");
		xmpp_stanza_release(s);
	}
}

static void
engine_out_render_splices_to_before_space_slash_or_close(void)
{
	static const char *const xml[] = {
		"<presence/>",				/* "/>" follows */
		"<message><body>x</body></message>",	/* ">" follows */
		"<iq type='result' id='a'/>",		/* " " follows */
	};
	static const char *const name[] = { "presence", "message", "iq" };
	struct outbox	*o = outbox_new();
	struct copies	*c;
	xmpp_stanza_t	*s;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		c = copies_new();
		EXPECT_INT(muc_out_broadcast(o->out, stanza(o, xml[i])), MUC_OK);
		EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"), MUC_OK);
		EXPECT_INT(muc_out_render(o->out, i, collect, c), MUC_OK);
		EXPECT_INT(c->n, 1);
		EXPECT((s = xmpp_stanza_new_from_string(o->ctx, c->text[0])) !=
		    NULL);
		EXPECT_STR(xmpp_stanza_get_name(s), name[i]);
		EXPECT_STR(xmpp_stanza_get_to(s), "romeo@montague.lit");
		xmpp_stanza_release(s);
	}
}

static void
engine_out_render_escapes_amp_lt_gt_and_quote_in_the_jid(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();
	const char	*jid = "romeo@montague.lit/a&b<c>\"d'e";

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<presence/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, jid), MUC_OK);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 1);
	EXPECT(strstr(c->text[0],
	    "to=\"romeo@montague.lit/a&amp;b&lt;c&gt;&quot;d'e\"") != NULL);
	EXPECT_STR(to_of(o, c->text[0]), jid);
}

static void
engine_out_broadcast_without_recipients_emits_nothing(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<presence/>")), MUC_OK);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 0);
}

static void
engine_out_add_to_refuses_when_the_last_entry_is_not_a_broadcast(void)
{
	struct outbox	*o = outbox_new();

	EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"), MUC_EINVAL);
	EXPECT_INT(muc_out_push(o->out, stanza(o,
	    "<message to='juliet@capulet.lit'/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"), MUC_EINVAL);
	EXPECT_INT(muc_out_get(o->out, 0)->nto, 0);
}

static void
engine_out_push_of_a_failed_build_reports_enomem_and_queues_nothing(void)
{
	struct outbox	*o = outbox_new();

	EXPECT_INT(muc_out_push(o->out, NULL), MUC_ENOMEM);
	EXPECT_INT(muc_out_broadcast(o->out, NULL), MUC_ENOMEM);
	EXPECT_INT(muc_out_count(o->out), 0);
	EXPECT_INT(muc_out_render(o->out, 0, collect, NULL), MUC_EINVAL);
}

static void
engine_out_keeps_many_entries_and_recipients_across_growth(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();
	char		 jid[64], *big;
	size_t		 i;

	/* 40 entries: the entry array grows from 16 twice. */
	for (i = 0; i < 40; i++) {
		snprintf(jid, sizeof(jid), "<message id='m%zu'/>", i);
		EXPECT_INT(muc_out_broadcast(o->out, stanza(o, jid)), MUC_OK);
	}
	/* 5000 recipients of the last one: several 64 KiB arena blocks,
	 * and one JID longer than a block. */
	for (i = 0; i < 5000; i++) {
		snprintf(jid, sizeof(jid), "user%zu@example.org/resource", i);
		EXPECT_INT(muc_out_add_to(o->out, jid), MUC_OK);
	}
	if ((big = malloc(70001)) == NULL)
		abort();
	memset(big, 'x', 70000);
	memcpy(big, "big@example.org/", 16);
	big[70000] = '\0';
	ut_defer(free, big);
	EXPECT_INT(muc_out_add_to(o->out, big), MUC_OK);
	EXPECT_INT(muc_out_count(o->out), 40);
	EXPECT_INT(muc_out_get(o->out, 39)->nto, 5001);
	for (i = 0; i < 5000; i++) {
		snprintf(jid, sizeof(jid), "user%zu@example.org/resource", i);
		EXPECT_STR(muc_out_get(o->out, 39)->to[i], jid);
	}
	EXPECT_STR(muc_out_get(o->out, 39)->to[5000], big);
	EXPECT_INT(muc_out_render(o->out, 39, collect, c), MUC_OK);
	EXPECT_INT(c->n, 5001);
	EXPECT_STR(to_of(o, c->text[63]), "user63@example.org/resource");
}

static void
engine_out_clear_empties_the_outbox_for_reuse(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<presence/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"), MUC_OK);
	muc_out_clear(o->out);
	EXPECT_INT(muc_out_count(o->out), 0);
	EXPECT(muc_out_get(o->out, 0) == NULL);
	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<message/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "juliet@capulet.lit"), MUC_OK);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 1);
	EXPECT_STR(to_of(o, c->text[0]), "juliet@capulet.lit");
}

static int	nterminated, ncalls;

static void
check_nul(void *ud, const char *text, size_t len)
{
	(void)ud;
	ncalls++;
	nterminated += text[len] == '\0' && strlen(text) == len;
}

/* libstrophe's xmpp_send_raw() calls strlen on its data: every copy ends
 * with a NUL right after len bytes, single or broadcast. */
static void
engine_out_render_nul_terminates_every_copy(void)
{
	struct outbox	*o = outbox_new();
	size_t		 i;

	EXPECT_INT(muc_out_push(o->out, stanza(o,
	    "<message to='romeo@montague.lit'><body>x</body></message>")),
	    MUC_OK);
	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<presence/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "a@b"), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "longer@example.org/resource&<>"),
	    MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "c@d"), MUC_OK);
	ncalls = nterminated = 0;
	for (i = 0; i < 2; i++)
		EXPECT_INT(muc_out_render(o->out, i, check_nul, NULL), MUC_OK);
	EXPECT_INT(ncalls, 4);
	EXPECT_INT(nterminated, 4);
}

/* A stanza copied from what the host delivered carries the stream's
 * namespace on its start tag; the copies leave it out (the children keep
 * inheriting it), single entries and broadcasts alike. */
static void
engine_out_render_drops_the_stream_namespace_from_the_start_tag(void)
{
	static const char *const ns[] = {
		"jabber:component:accept", "jabber:client",
	};
	struct outbox	*o = outbox_new();
	struct copies	*c;
	xmpp_stanza_t	*s;
	char		 xml[256];
	size_t		 i, k;

	for (i = 0; i < 2; i++) {
		c = copies_new();
		snprintf(xml, sizeof(xml), "<message xmlns='%s' "
		    "type='groupchat' id='m1'><body>hi</body></message>",
		    ns[i]);
		EXPECT_INT(muc_out_broadcast(o->out, stanza(o, xml)), MUC_OK);
		EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"),
		    MUC_OK);
		snprintf(xml, sizeof(xml), "<iq xmlns='%s' type='result' "
		    "id='a' to='juliet@capulet.lit'/>", ns[i]);
		EXPECT_INT(muc_out_push(o->out, stanza(o, xml)), MUC_OK);
		for (k = 0; k < 2; k++)
			EXPECT_INT(muc_out_render(o->out, k, collect, c),
			    MUC_OK);
		EXPECT_INT(c->n, 2);
		for (k = 0; k < 2; k++) {
			EXPECT(strstr(c->text[k], "xmlns") == NULL);
			EXPECT((s = xmpp_stanza_new_from_string(o->ctx,
			    c->text[k])) != NULL);
			EXPECT_STR(xmpp_stanza_get_id(s), k == 0 ? "m1" : "a");
			xmpp_stanza_release(s);
		}
		EXPECT(strstr(c->text[0], "<body>hi</body>") != NULL);
		EXPECT_STR(to_of(o, c->text[0]), "romeo@montague.lit");
		EXPECT_STR(to_of(o, c->text[1]), "juliet@capulet.lit");
		muc_out_clear(o->out);
	}
}

/* Only the stream's own namespace on the start tag goes: a payload's
 * namespace stays, and so does an attribute that merely mentions it. */
static void
engine_out_render_keeps_payload_namespaces_and_lookalike_values(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o,
	    "<presence id='jabber:client'><x xmlns='http://"
	    "jabber.org/protocol/muc#user'><item role='none'/></x>"
	    "</presence>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "romeo@montague.lit"), MUC_OK);
	EXPECT_INT(muc_out_render(o->out, 0, collect, c), MUC_OK);
	EXPECT_INT(c->n, 1);
	EXPECT(strstr(c->text[0], "id=\"jabber:client\"") != NULL);
	EXPECT(strstr(c->text[0],
	    "<x xmlns=\"http://jabber.org/protocol/muc#user\">") != NULL);
	EXPECT_STR(to_of(o, c->text[0]), "romeo@montague.lit");
}

/* The addresses of an XEP-0033 stanza, "type:jid" joined by spaces. */
static const char *
addresses_of(struct outbox *o, xmpp_stanza_t *s)
{
	xmpp_stanza_t	*a, *c;
	char		 buf[1024] = "", *copy;

	a = xmpp_stanza_get_child_by_name_and_ns(s, "addresses",
	    "http://jabber.org/protocol/address");
	for (c = a != NULL ? xmpp_stanza_get_children(a) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s:%s",
		    buf[0] ? " " : "", xmpp_stanza_get_attribute(c, "type"),
		    xmpp_stanza_get_attribute(c, "jid"));
	(void)o;
	if ((copy = strdup(a != NULL ? buf : "(no addresses)")) == NULL)
		abort();
	ut_defer(free, copy);
	return copy;
}

/* XEP-0033 4.1: the stanza goes to the multicast service, its payload
 * intact, with the chosen recipients as bcc addresses and the marker
 * last; an empty element (<presence/>) gains an end tag for them. */
static void
engine_out_render_multicast_lists_a_range_of_recipients_as_bcc(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();
	xmpp_stanza_t	*s;
	size_t		 k;

	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<message xmlns="
	    "'jabber:client' from='room@conference.localhost/Romeo' "
	    "type='groupchat' id='m1'><body>hi</body></message>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "a@x/1"), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "b@x/2"), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "c&d@x/3"), MUC_OK);
	EXPECT_INT(muc_out_broadcast(o->out, stanza(o,
	    "<presence from='room@conference.localhost/Romeo'/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "a@x/1"), MUC_OK);
	EXPECT_INT(muc_out_render_multicast(o->out, 0, "multicast.localhost",
	    1, 2, "conference.localhost/m7", collect, c), MUC_OK);
	EXPECT_INT(muc_out_render_multicast(o->out, 1, "multicast.localhost",
	    0, 1, NULL, collect, c), MUC_OK);
	EXPECT_INT(c->n, 2);
	for (k = 0; k < 2; k++) {
		EXPECT((s = xmpp_stanza_new_from_string(o->ctx, c->text[k])) !=
		    NULL);
		EXPECT_STR(xmpp_stanza_get_to(s), "multicast.localhost");
		EXPECT_STR(xmpp_stanza_get_from(s),
		    "room@conference.localhost/Romeo");
		EXPECT_STR(addresses_of(o, s), k == 0 ?
		    "bcc:b@x/2 bcc:c&d@x/3 bcc:conference.localhost/m7" :
		    "bcc:a@x/1");
		if (k == 0) {
			EXPECT_STR(xmpp_stanza_get_id(s), "m1");
			EXPECT_STR(xmpp_stanza_get_type(s), "groupchat");
			EXPECT(xmpp_stanza_get_child_by_name(s, "body") !=
			    NULL);
		}
		xmpp_stanza_release(s);
		EXPECT_INT(occurrences(c->text[k], "to="), 1);
		EXPECT(strstr(c->text[k], "jabber:client") == NULL);
	}
	EXPECT(strstr(c->text[0], "jid=\"c&amp;d@x/3\"") != NULL);
}

static void
engine_out_render_multicast_refuses_singles_and_ranges_outside(void)
{
	struct outbox	*o = outbox_new();
	struct copies	*c = copies_new();

	EXPECT_INT(muc_out_push(o->out, stanza(o, "<message to='a@x'/>")),
	    MUC_OK);
	EXPECT_INT(muc_out_broadcast(o->out, stanza(o, "<message/>")), MUC_OK);
	EXPECT_INT(muc_out_add_to(o->out, "a@x"), MUC_OK);
	EXPECT_INT(muc_out_render_multicast(o->out, 0, "m", 0, 0, NULL,
	    collect, c), MUC_EINVAL);
	EXPECT_INT(muc_out_render_multicast(o->out, 1, "m", 1, 1, NULL,
	    collect, c), MUC_EINVAL);
	EXPECT_INT(muc_out_render_multicast(o->out, 2, "m", 0, 1, NULL,
	    collect, c), MUC_EINVAL);
	EXPECT_INT(c->n, 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_out_single_entry_keeps_its_own_addressing),
	UT_CASE(engine_out_broadcast_renders_one_copy_per_recipient_in_order),
	UT_CASE(engine_out_render_splices_to_before_space_slash_or_close),
	UT_CASE(engine_out_render_escapes_amp_lt_gt_and_quote_in_the_jid),
	UT_CASE(engine_out_broadcast_without_recipients_emits_nothing),
	UT_CASE(engine_out_add_to_refuses_when_the_last_entry_is_not_a_broadcast),
	UT_CASE(engine_out_push_of_a_failed_build_reports_enomem_and_queues_nothing),
	UT_CASE(engine_out_keeps_many_entries_and_recipients_across_growth),
	UT_CASE(engine_out_clear_empties_the_outbox_for_reuse),
	UT_CASE(engine_out_render_nul_terminates_every_copy),
	UT_CASE(engine_out_render_drops_the_stream_namespace_from_the_start_tag),
	UT_CASE(engine_out_render_keeps_payload_namespaces_and_lookalike_values),
	UT_CASE(engine_out_render_multicast_lists_a_range_of_recipients_as_bcc),
	UT_CASE(engine_out_render_multicast_refuses_singles_and_ranges_outside),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
