/*
 * bench_fanout.c - what one groupchat message to N occupants costs.
 *
 * Fills a room with N occupants through the engine, then measures sending
 * one message: the engine's work (muc_handle) and the rendering of every
 * copy as mucd sends it (muc_out_render: serialise once, splice `to`),
 * against a reference run in the same invocation that does what a plain
 * implementation would (per recipient: copy the stanza, set `to`,
 * serialise).  Prints nanoseconds per recipient and the ratio, and the heap
 * bytes each occupant costs.  A benchmark, not a test: it asserts nothing.
 *
 * usage: bench-fanout [N...]   (default 10 100 1000 10000)
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "muc.h"
#include "store.h"

#define ROUNDS	20

static double
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static size_t	sink_bytes;

static void
sink(void *ud, const char *text, size_t len)
{
	(void)ud;
	(void)text;
	sink_bytes += len;
}

static void
feed(xmpp_ctx_t *ctx, struct muc_service *svc, struct muc_out *out,
    const char *xml)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(ctx, xml);

	if (s == NULL || muc_handle(svc, s, out) != MUC_OK) {
		fprintf(stderr, "bench: engine refused %s\n", xml);
		exit(1);
	}
	xmpp_stanza_release(s);
	muc_out_clear(out);
}

/* The reference: one stanza tree copy and one serialisation per copy. */
static void
render_naive(xmpp_ctx_t *ctx, const struct muc_out_entry *e)
{
	xmpp_stanza_t	*c;
	char		*text;
	size_t		 len, i;

	for (i = 0; i < e->nto; i++) {
		c = xmpp_stanza_copy(e->stanza);
		xmpp_stanza_set_to(c, e->to[i]);
		xmpp_stanza_to_text(c, &text, &len);
		sink_bytes += len;
		xmpp_free(ctx, text);
		xmpp_stanza_release(c);
	}
}

static void
bench(int n)
{
	xmpp_ctx_t		*ctx = xmpp_ctx_new(NULL, NULL);
	struct muc_service_config cfg = { .domain = "conference.localhost" };
	struct muc_service	*svc;
	struct store		*st;
	struct muc_out		*out = muc_out_new(ctx);
	xmpp_stanza_t		*msg;
	char			 xml[512];
	double			 t0, engine = 0, fast = 0, naive = 0;
	size_t			 heap0, heap1, i, bytes_fast = 0, bytes_naive = 0;
	int			 r, k;

	if (store_open(":memory:", NULL, &st) != MUC_OK ||
	    muc_service_new(ctx, &cfg, st, NULL, &svc) != MUC_OK) {
		fprintf(stderr, "bench: setup failed\n");
		exit(1);
	}
	feed(ctx, svc, out, "<presence from='owner@localhost/r' "
	    "to='room@conference.localhost/owner'/>");
	feed(ctx, svc, out, "<iq type='set' id='c' from='owner@localhost/r' "
	    "to='room@conference.localhost'><query xmlns='http://jabber.org/"
	    "protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/>"
	    "</query></iq>");
	heap0 = mallinfo2().uordblks;
	for (k = 1; k < n; k++) {
		snprintf(xml, sizeof(xml), "<presence from='user%d@localhost/"
		    "phone' to='room@conference.localhost/user%d'><show>chat"
		    "</show></presence>", k, k);
		feed(ctx, svc, out, xml);
	}
	heap1 = mallinfo2().uordblks;
	msg = xmpp_stanza_new_from_string(ctx, "<message type='groupchat' "
	    "from='owner@localhost/r' to='room@conference.localhost' "
	    "id='m1'><body>The quick brown fox jumps over the lazy dog.</body>"
	    "</message>");
	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		muc_handle(svc, msg, out);
		engine += now_ns() - t0;
		sink_bytes = 0;
		t0 = now_ns();
		for (i = 0; i < muc_out_count(out); i++)
			muc_out_render(out, i, sink, NULL);
		fast += now_ns() - t0;
		bytes_fast = sink_bytes;
		sink_bytes = 0;
		t0 = now_ns();
		for (i = 0; i < muc_out_count(out); i++)
			render_naive(ctx, muc_out_get(out, i));
		naive += now_ns() - t0;
		bytes_naive = sink_bytes;
		muc_out_clear(out);
	}
	printf("%7d occupants: engine %7.0f ns/recipient, render %6.0f ns/recipient"
	    " vs reference %6.0f (%.1fx faster); %zu vs %zu bytes; %5zu heap bytes/occupant\n",
	    n, engine / ROUNDS / n, fast / ROUNDS / n, naive / ROUNDS / n,
	    naive / (fast > 0 ? fast : 1), bytes_fast / (size_t)n,
	    bytes_naive / (size_t)n, n > 1 ? (heap1 - heap0) / (size_t)(n - 1) : 0);
	xmpp_stanza_release(msg);
	muc_out_free(out);
	muc_service_free(svc);
	store_close(st);
	xmpp_ctx_free(ctx);
}

int
main(int argc, char **argv)
{
	static const int	defaults[] = { 10, 100, 1000, 10000 };
	int			i;

	if (argc > 1)
		for (i = 1; i < argc; i++)
			bench(atoi(argv[i]) > 0 ? atoi(argv[i]) : 1);
	else
		for (i = 0; i < 4; i++)
			bench(defaults[i]);
	return 0;
}
