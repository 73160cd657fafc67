/*
 * backlog.h - stanzas from the host that wait for the pacing window, one
 * queue per sender, served in turn.
 *
 * While the host holds a full window of copies (pace.h), what the host
 * sends mucd waits here.  One FIFO for everything would put a client's
 * disco#info behind the 10,000 messages a flooder sent just before it;
 * so every sender (bare JID of `from`) has its own queue, and
 * backlog_pop() takes one stanza from each waiting sender in turn.  Order
 * holds per sender, which is all XMPP promises between two entities;
 * senders may overtake each other, as they could on the network.
 */
#ifndef MUCD_BACKLOG_H
#define MUCD_BACKLOG_H

#include <stddef.h>

#include <strophe.h>

#include "hash.h"

struct backlog_queue;

struct backlog {
	struct hmap		 by_sender;	/* bare JID -> queue */
	struct backlog_queue	*tail;		/* ring of waiting senders;
						 * tail->next is served next */
	size_t			 len;		/* stanzas waiting */
};

void	backlog_init(struct backlog *b);
/* Release every stanza still waiting and all memory; returns how many
 * stanzas were dropped.  b is empty (and usable) afterwards. */
size_t	backlog_clear(struct backlog *b);

/* Does the sender of stanza have anything waiting?  A stanza from such a
 * sender must wait too, behind it. */
int	backlog_holds(const struct backlog *b, xmpp_stanza_t *stanza);
/* Keep a reference to stanza behind its sender's earlier ones.  Returns
 * 0, or -1 when out of memory (nothing kept). */
int	backlog_push(struct backlog *b, xmpp_stanza_t *stanza);
/* The next stanza, from the sender after the one served last; the caller
 * owns the reference.  NULL when nothing waits. */
xmpp_stanza_t *backlog_pop(struct backlog *b);

#endif /* MUCD_BACKLOG_H */
