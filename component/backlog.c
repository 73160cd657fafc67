/*
 * backlog.c - per-sender queues served in turn (see backlog.h).
 *
 * A sender's queue exists only while it holds stanzas: the ring links the
 * non-empty ones, and a queue that empties is unlinked and freed, so a
 * drained backlog holds no memory but the map's table, which goes too.
 * Each queue is a ring buffer of stanza references that doubles when
 * full; a flooder's 10,000 stanzas cost one pointer each.
 */
#include <stdlib.h>
#include <string.h>

#include "backlog.h"

#define KEY_MAX		3072	/* RFC 7622: 3 parts of 1023 bytes */
#define QUEUE_MIN	8

struct backlog_queue {
	char			*key;	/* the sender's bare JID */
	xmpp_stanza_t		**s;
	size_t			 head, len, cap;
	struct backlog_queue	*next;	/* in the ring */
};

/* The bare JID of stanza's sender into buf (KEY_MAX); "" when it has no
 * `from` (the host stamps one on everything it routes) or an overlong
 * one, which is then queued with the other such. */
static const char *
backlog_key(xmpp_stanza_t *stanza, char *buf)
{
	const char	*from = xmpp_stanza_get_from(stanza);
	size_t		 n;

	if (from == NULL)
		return "";
	n = strcspn(from, "/");
	if (n >= KEY_MAX)
		return "";
	memcpy(buf, from, n);
	buf[n] = '\0';
	return buf;
}

void
backlog_init(struct backlog *b)
{
	hmap_init(&b->by_sender);
	b->tail = NULL;
	b->len = 0;
}

static void
backlog_queue_free(struct backlog_queue *q)
{
	for (; q->len > 0; q->len--) {
		xmpp_stanza_release(q->s[q->head]);
		q->head = (q->head + 1) % q->cap;
	}
	free(q->s);
	free(q->key);
	free(q);
}

size_t
backlog_clear(struct backlog *b)
{
	struct backlog_queue	*q, *next;
	size_t			 dropped = b->len;

	if (b->tail != NULL) {
		q = b->tail->next;
		b->tail->next = NULL;
		for (; q != NULL; q = next) {
			next = q->next;
			backlog_queue_free(q);
		}
	}
	hmap_free(&b->by_sender);
	backlog_init(b);
	return dropped;
}

int
backlog_holds(const struct backlog *b, xmpp_stanza_t *stanza)
{
	char	buf[KEY_MAX];

	return b->len > 0 &&
	    hmap_get(&b->by_sender, backlog_key(stanza, buf)) != NULL;
}

/* A new, empty queue for key with room for QUEUE_MIN, in the map and
 * last in the ring; NULL when out of memory. */
static struct backlog_queue *
backlog_queue_new(struct backlog *b, const char *key)
{
	struct backlog_queue	*q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->cap = QUEUE_MIN;
	if ((q->s = malloc(q->cap * sizeof(*q->s))) == NULL ||
	    (q->key = strdup(key)) == NULL ||
	    hmap_put(&b->by_sender, q->key, q) != 0) {
		free(q->key);
		free(q->s);
		free(q);
		return NULL;
	}
	if (b->tail == NULL)
		q->next = q;
	else {
		q->next = b->tail->next;
		b->tail->next = q;
	}
	b->tail = q;
	return q;
}

/* Room for one more in q.  Returns 0, or -1 when out of memory. */
static int
backlog_queue_grow(struct backlog_queue *q)
{
	xmpp_stanza_t	**grown;
	size_t		  cap, k;

	if (q->len < q->cap)
		return 0;
	cap = q->cap * 2;
	if ((grown = malloc(cap * sizeof(*grown))) == NULL)
		return -1;
	for (k = 0; k < q->len; k++)
		grown[k] = q->s[(q->head + k) % q->cap];
	free(q->s);
	q->s = grown;
	q->cap = cap;
	q->head = 0;
	return 0;
}

int
backlog_push(struct backlog *b, xmpp_stanza_t *stanza)
{
	struct backlog_queue	*q;
	char			 buf[KEY_MAX];
	const char		*key = backlog_key(stanza, buf);

	if ((q = hmap_get(&b->by_sender, key)) != NULL) {
		if (backlog_queue_grow(q) != 0)
			return -1;
	} else if ((q = backlog_queue_new(b, key)) == NULL)
		return -1;
	q->s[(q->head + q->len++) % q->cap] = xmpp_stanza_clone(stanza);
	b->len++;
	return 0;
}

xmpp_stanza_t *
backlog_pop(struct backlog *b)
{
	struct backlog_queue	*q;
	xmpp_stanza_t		*s;

	if (b->tail == NULL)
		return NULL;
	q = b->tail->next;
	s = q->s[q->head];
	q->head = (q->head + 1) % q->cap;
	q->len--;
	b->len--;
	if (q->len > 0) {
		b->tail = q;		/* the next sender's turn */
		return s;
	}
	if (q == b->tail)
		b->tail = NULL;
	else
		b->tail->next = q->next;
	hmap_del(&b->by_sender, q->key);
	backlog_queue_free(q);
	if (b->len == 0)
		hmap_free(&b->by_sender);	/* a flood's table goes too */
	return s;
}
