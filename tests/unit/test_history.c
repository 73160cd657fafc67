/*
 * test_history.c - the history ring of lib/history.c (XEP-0045 7.2.13):
 * it keeps the newest messages up to its capacity, stamps each with an
 * XEP-0203 delay when it is added, keeps its own copy, and replays them
 * oldest first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "history.h"
#include "unit.h"

struct ring {
	xmpp_ctx_t	*ctx;
	struct history	*h;
	struct muc_out	*out;
};

static void
ring_free(void *arg)
{
	struct ring	*r = arg;

	muc_out_free(r->out);
	history_free(r->h);
	xmpp_ctx_free(r->ctx);
	free(r);
}

static struct ring *
ring_new(int capacity)
{
	struct ring	*r = calloc(1, sizeof(*r));

	if (r == NULL || (r->ctx = xmpp_ctx_new(NULL, NULL)) == NULL ||
	    (r->h = history_new(capacity)) == NULL ||
	    (r->out = muc_out_new(r->ctx)) == NULL)
		abort();
	ut_defer(ring_free, r);
	return r;
}

/* Add message "line n" said at time n. */
static int
add(struct ring *r, int n)
{
	char		 xml[128];
	xmpp_stanza_t	*m;
	int		 rc;

	snprintf(xml, sizeof(xml), "<message from='room@conference.localhost/"
	    "Romeo' type='groupchat'><body>line %d</body></message>", n);
	if ((m = xmpp_stanza_new_from_string(r->ctx, xml)) == NULL)
		abort();
	rc = history_add(r->h, m, "room@conference.localhost", (time_t)n, n,
	    "romeo@montague.lit");
	xmpp_stanza_release(m);
	return rc;
}

/* Replay everything to one recipient; the bodies' numbers into got[],
 * how many into the return value. */
static int
replay(struct ring *r, int *got, int max)
{
	const struct muc_out_entry	*e;
	xmpp_stanza_t			*b;
	char				*t;
	size_t				 i;
	int				 n = 0;

	muc_out_clear(r->out);
	if (history_send(r->h, r->out, "juliet@capulet.lit/balcony", NULL,
	    1000) != MUC_OK)
		return -1;
	for (i = 0; i < muc_out_count(r->out) && n < max; i++) {
		e = muc_out_get(r->out, i);
		if (e->nto != 1 || strcmp(e->to[0],
		    "juliet@capulet.lit/balcony") != 0)
			return -1;
		b = xmpp_stanza_get_child_by_name(e->stanza, "body");
		t = b != NULL ? xmpp_stanza_get_text(b) : NULL;
		got[n++] = t != NULL ? atoi(t + 5) : -1;
		xmpp_free(r->ctx, t);
	}
	return n;
}

static void
engine_history_keeps_the_newest_messages_up_to_its_capacity(void)
{
	struct ring	*r = ring_new(3);
	int		 got[8], i;

	for (i = 1; i <= 5; i++)
		EXPECT_INT(add(r, i), MUC_OK);
	EXPECT_INT(history_count(r->h), 3);
	EXPECT_INT(replay(r, got, 8), 3);
	EXPECT_INT(got[0], 3);
	EXPECT_INT(got[1], 4);
	EXPECT_INT(got[2], 5);
}

static void
engine_history_capacity_change_keeps_the_newest_in_order(void)
{
	struct ring	*r = ring_new(4);
	int		 got[8], i;

	for (i = 1; i <= 6; i++)		/* ring wrapped: 3 4 5 6 */
		EXPECT_INT(add(r, i), MUC_OK);
	EXPECT_INT(history_set_capacity(r->h, 2), MUC_OK);
	EXPECT_INT(replay(r, got, 8), 2);
	EXPECT_INT(got[0], 5);
	EXPECT_INT(got[1], 6);
	EXPECT_INT(history_set_capacity(r->h, 5), MUC_OK);
	EXPECT_INT(add(r, 7), MUC_OK);
	EXPECT_INT(replay(r, got, 8), 3);
	EXPECT_INT(got[0], 5);
	EXPECT_INT(got[2], 7);
	EXPECT_INT(history_set_capacity(r->h, 0), MUC_OK);
	EXPECT_INT(history_count(r->h), 0);
	EXPECT_INT(add(r, 8), MUC_OK);	/* kept nowhere */
	EXPECT_INT(replay(r, got, 8), 0);
}

static void
engine_history_stamps_a_delay_and_keeps_its_own_copy(void)
{
	struct ring	*r = ring_new(2);
	xmpp_stanza_t	*m, *d;
	const struct muc_out_entry *e;

	m = xmpp_stanza_new_from_string(r->ctx, "<message from='room@"
	    "conference.localhost/Romeo' type='groupchat'><body>hi</body>"
	    "</message>");
	EXPECT(m != NULL);
	EXPECT_INT(history_add(r->h, m, "room@conference.localhost",
	    (time_t)1700000000, 1, "romeo@montague.lit"), MUC_OK);
	/* The caller's stanza is untouched and may change afterwards. */
	EXPECT(xmpp_stanza_get_child_by_name(m, "delay") == NULL);
	xmpp_stanza_set_attribute(m, "from", "someone@else");
	xmpp_stanza_release(m);
	EXPECT_INT(history_send(r->h, r->out, "juliet@capulet.lit/balcony",
	    NULL, 1700000100), MUC_OK);
	EXPECT_INT(muc_out_count(r->out), 1);
	e = muc_out_get(r->out, 0);
	EXPECT_INT(e->broadcast, 1);
	EXPECT_STR(xmpp_stanza_get_from(e->stanza),
	    "room@conference.localhost/Romeo");
	d = xmpp_stanza_get_child_by_name_and_ns(e->stanza, "delay",
	    "urn:xmpp:delay");
	EXPECT(d != NULL);
	EXPECT_STR(xmpp_stanza_get_attribute(d, "from"),
	    "room@conference.localhost");
	EXPECT_STR(xmpp_stanza_get_attribute(d, "stamp"),
	    "2023-11-14T22:13:20Z");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_history_keeps_the_newest_messages_up_to_its_capacity),
	UT_CASE(engine_history_capacity_change_keeps_the_newest_in_order),
	UT_CASE(engine_history_stamps_a_delay_and_keeps_its_own_copy),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
