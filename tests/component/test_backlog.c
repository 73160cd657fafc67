/*
 * test_backlog.c - component/backlog.c serves waiting senders in turn,
 * keeps each sender's order (resources of one bare JID share a queue),
 * and gives everything back when drained or cleared.
 */
#include <stdio.h>
#include <string.h>

#include <strophe.h>

#include "backlog.h"

static int	failures;

static void
expect(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static void
push(xmpp_ctx_t *ctx, struct backlog *b, const char *from, const char *id)
{
	xmpp_stanza_t	*s = xmpp_message_new(ctx, "groupchat", "r@muc", id);

	if (from != NULL)
		xmpp_stanza_set_from(s, from);
	expect(backlog_push(b, s) == 0, "push succeeds");
	xmpp_stanza_release(s);	/* the backlog holds its own reference */
}

/* Pop everything; the ids in order, joined by spaces, into buf. */
static void
drain(struct backlog *b, char *buf, size_t len)
{
	xmpp_stanza_t	*s;

	buf[0] = '\0';
	while ((s = backlog_pop(b)) != NULL) {
		if (buf[0] != '\0')
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, xmpp_stanza_get_id(s), len - strlen(buf) - 1);
		xmpp_stanza_release(s);
	}
}

int
main(void)
{
	xmpp_ctx_t	*ctx;
	xmpp_stanza_t	*probe;
	struct backlog	 b;
	char		 got[256];
	int		 i;

	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	backlog_init(&b);
	expect(backlog_pop(&b) == NULL, "an empty backlog pops nothing");

	/* A flooder's three, then one each from two others: the others
	 * are served after the flooder's first, not after its last. */
	push(ctx, &b, "flood@x/a", "f1");
	push(ctx, &b, "flood@x/b", "f2");	/* same user, same queue */
	push(ctx, &b, "flood@x/a", "f3");
	push(ctx, &b, "calm@y/r", "c1");
	push(ctx, &b, NULL, "n1");
	push(ctx, &b, "calm@y/r", "c2");
	expect(b.len == 6, "six wait");
	probe = xmpp_message_new(ctx, "chat", "r@muc", "p");
	xmpp_stanza_set_from(probe, "calm@y/other");
	expect(backlog_holds(&b, probe), "a sender with stanzas waiting is "
	    "held, whatever its resource");
	xmpp_stanza_set_from(probe, "new@z/r");
	expect(!backlog_holds(&b, probe), "a sender with nothing waiting "
	    "is not");
	drain(&b, got, sizeof(got));
	expect(strcmp(got, "f1 c1 n1 f2 c2 f3") == 0, "senders in turn, "
	    "each in order");
	if (strcmp(got, "f1 c1 n1 f2 c2 f3") != 0)
		printf("  got: %s\n", got);
	expect(b.len == 0 && b.tail == NULL && b.by_sender.cap == 0,
	    "a drained backlog holds no memory");

	/* A sender that empties and comes back goes to the end. */
	push(ctx, &b, "a@x", "a1");
	push(ctx, &b, "b@x", "b1");
	push(ctx, &b, "b@x", "b2");
	xmpp_stanza_release(backlog_pop(&b));	/* a1 */
	push(ctx, &b, "a@x", "a2");
	drain(&b, got, sizeof(got));
	expect(strcmp(got, "b1 a2 b2") == 0, "a returning sender waits its "
	    "turn");

	for (i = 0; i < 1000; i++)
		push(ctx, &b, i % 2 ? "a@x" : "b@x", "m");
	expect(backlog_clear(&b) == 1000 && b.len == 0, "clear drops and "
	    "counts what waits");
	expect(backlog_pop(&b) == NULL, "and leaves it empty");
	xmpp_stanza_release(probe);
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	if (failures == 0)
		printf("ok\n");
	return failures != 0;
}
