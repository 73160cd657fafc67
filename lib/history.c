/*
 * history.c - a ring of the last messages of a room, replayed to joiners.
 *
 * Each entry is the broadcast message with its <delay/> already attached,
 * so sending history to a joiner queues the same stanza object again (one
 * reference more) with the joiner as the only recipient.  The limits a
 * joiner may ask for (maxstanzas, maxchars, seconds, since) are applied
 * newest first, then the survivors are sent oldest first.  Entries are
 * found by message number for retractions by a walk: the ring holds at
 * most ROOM_HISTORY_MAX messages, and retractions are rare.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "history.h"
#include "ns.h"
#include "stamp.h"

struct hentry {
	xmpp_stanza_t	*msg;
	time_t		 when;
	size_t		 chars;		/* serialised length; 0 until asked */
	int64_t		 seq;		/* message number, 0: none */
	char		*sender;	/* real bare JID, "" for the room */
};

struct history {
	struct hentry	*e;
	size_t		 cap, n, first;	/* ring: e[(first + i) % cap] */
};

struct history *
history_new(int capacity)
{
	struct history	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	if (history_set_capacity(h, capacity) != MUC_OK) {
		free(h);
		return NULL;
	}
	return h;
}

static void
hentry_clear(struct hentry *e)
{
	xmpp_stanza_release(e->msg);
	free(e->sender);
	memset(e, 0, sizeof(*e));
}

void
history_clear(struct history *h)
{
	size_t	i;

	for (i = 0; i < h->n; i++)
		hentry_clear(&h->e[(h->first + i) % h->cap]);
	h->n = 0;
	h->first = 0;
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	history_clear(h);
	free(h->e);
	free(h);
}

size_t
history_count(const struct history *h)
{
	return h->n;
}

int
history_set_capacity(struct history *h, int capacity)
{
	struct hentry	*ne = NULL;
	size_t		 cap = capacity > 0 ? (size_t)capacity : 0, i, keep;

	if (cap == h->cap)
		return MUC_OK;
	if (cap > 0 && (ne = calloc(cap, sizeof(*ne))) == NULL)
		return MUC_ENOMEM;
	keep = h->n < cap ? h->n : cap;
	for (i = 0; i < h->n; i++) {
		struct hentry *old = &h->e[(h->first + i) % h->cap];

		if (i < h->n - keep)
			hentry_clear(old);
		else
			ne[i - (h->n - keep)] = *old;
	}
	free(h->e);
	h->e = ne;
	h->cap = cap;
	h->n = keep;
	h->first = 0;
	return MUC_OK;
}

/* A copy of msg with its delay, as entries keep it; NULL on ENOMEM. */
static xmpp_stanza_t *
delayed_copy(xmpp_stanza_t *msg, const char *room_jid, time_t when)
{
	struct build	 b = BUILD_INIT(xmpp_stanza_get_context(msg));
	xmpp_stanza_t	*copy, *delay;
	char		 stamp[STAMP_LEN];

	if ((copy = xmpp_stanza_copy(msg)) == NULL)
		return NULL;
	stamp_format(when, stamp);
	delay = b_child(&b, copy, "delay", NS_DELAY);
	b_attr(&b, delay, "from", room_jid);
	b_attr(&b, delay, "stamp", stamp);
	return b_done(&b, copy);
}

int
history_add(struct history *h, xmpp_stanza_t *msg, const char *room_jid,
    time_t when, int64_t seq, const char *sender)
{
	xmpp_stanza_t	*copy;
	struct hentry	*slot;
	char		*who;

	if (h->cap == 0)
		return MUC_OK;
	if ((who = strdup(sender != NULL ? sender : "")) == NULL)
		return MUC_ENOMEM;
	if ((copy = delayed_copy(msg, room_jid, when)) == NULL) {
		free(who);
		return MUC_ENOMEM;
	}
	if (h->n == h->cap) {
		hentry_clear(&h->e[h->first]);
		h->first = (h->first + 1) % h->cap;
		h->n--;
	}
	slot = &h->e[(h->first + h->n) % h->cap];
	slot->msg = copy;
	slot->when = when;
	slot->chars = 0;
	slot->seq = seq;
	slot->sender = who;
	h->n++;
	return MUC_OK;
}

static struct hentry *
hentry_find(struct history *h, int64_t seq)
{
	size_t	i;

	for (i = 0; i < h->n && seq != 0; i++)
		if (h->e[(h->first + i) % h->cap].seq == seq)
			return &h->e[(h->first + i) % h->cap];
	return NULL;
}

xmpp_stanza_t *
history_find(struct history *h, int64_t seq, const char **sender)
{
	struct hentry	*e = hentry_find(h, seq);

	if (sender != NULL)
		*sender = e != NULL ? e->sender : NULL;
	return e != NULL ? e->msg : NULL;
}

int
history_replace(struct history *h, int64_t seq, xmpp_stanza_t *msg,
    const char *room_jid)
{
	struct hentry	*e = hentry_find(h, seq);
	xmpp_stanza_t	*copy;

	if (e == NULL)
		return MUC_OK;
	if ((copy = delayed_copy(msg, room_jid, e->when)) == NULL)
		return MUC_ENOMEM;
	xmpp_stanza_release(e->msg);
	e->msg = copy;
	e->chars = 0;
	return MUC_OK;
}

void
history_expire(struct history *h, time_t before, size_t keep)
{
	struct hentry	*e;

	while (h->n > 0) {
		e = &h->e[h->first];
		if (e->when >= before && (keep == 0 || h->n <= keep))
			break;
		hentry_clear(e);
		h->first = (h->first + 1) % h->cap;
		h->n--;
	}
}

/* Read a non-negative integer attribute; -1 when absent or malformed. */
static long
attr_long(xmpp_stanza_t *s, const char *name)
{
	const char	*v = xmpp_stanza_get_attribute(s, name);
	char		*end;
	long		 n;

	if (v == NULL)
		return -1;
	n = strtol(v, &end, 10);
	return *end == '\0' && end != v && n >= 0 ? n : -1;
}

int
history_send(struct history *h, struct muc_out *out, const char *to,
    xmpp_stanza_t *req, time_t now)
{
	long		 maxstanzas = -1, maxchars = -1, seconds = -1;
	time_t		 since = -1;
	size_t		 start, i, chars = 0;
	struct hentry	*e;
	char		*text;
	size_t		 len;
	const char	*v;
	int		 rc;

	if (req != NULL) {
		maxstanzas = attr_long(req, "maxstanzas");
		maxchars = attr_long(req, "maxchars");
		seconds = attr_long(req, "seconds");
		if ((v = xmpp_stanza_get_attribute(req, "since")) != NULL)
			since = stamp_parse(v);
	}
	/* Walk back from the newest while every limit admits one more. */
	for (start = h->n; start > 0; start--) {
		e = &h->e[(h->first + start - 1) % h->cap];
		if (maxstanzas >= 0 && (long)(h->n - start + 1) > maxstanzas)
			break;
		if (seconds >= 0 && e->when < now - seconds)
			break;
		if (since >= 0 && e->when < since)
			break;
		if (maxchars >= 0) {
			if (e->chars == 0) {
				if (xmpp_stanza_to_text(e->msg, &text, &len) !=
				    XMPP_EOK)
					return MUC_ENOMEM;
				xmpp_free(xmpp_stanza_get_context(e->msg), text);
				e->chars = len;
			}
			if ((long)(chars + e->chars) > maxchars)
				break;
			chars += e->chars;
		}
	}
	for (i = start; i < h->n; i++) {
		e = &h->e[(h->first + i) % h->cap];
		if ((rc = muc_out_broadcast(out, xmpp_stanza_clone(e->msg))) !=
		    MUC_OK || (rc = muc_out_add_to(out, to)) != MUC_OK)
			return rc;
	}
	return MUC_OK;
}
