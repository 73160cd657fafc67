/*
 * pace.c - the window of copies in flight (see pace.h).
 *
 * Counting: `sent` grows with every direct copy queued; a probe records
 * the value it was sent behind, and its answer moves `acked` up to that.
 * sent - acked is what the host may still hold.  A probe is due after
 * every window / PROBE_SHARE copies, so a full window has several in
 * flight and the answers keep the window moving before it is reached.
 *
 * Besides the window, mucd's own unsent bytes are bounded (HIGH_WATER):
 * when the socket does not take them, the host is not reading, and
 * taking more stanzas would only grow the buffer.
 *
 * A probe that gets no answer within PROBE_WAIT is counted as answered:
 * pacing must never stop the service for good, only slow it.
 *
 * The window is what the host may hold, and everything mucd sends waits
 * behind it, answers to a client's iq too: 10,000 copies are 0.4 s on a
 * host routing 25,000 a second, but 1.7 s on one whose clients read
 * 6,000.  So the window in use is the host's measured rate times
 * `pacing_delay` (between WINDOW_MIN and `pacing_window`): a sample is
 * the copies proved per ms over at least RATE_SPAN ms in which the
 * window was full, because only then is the rate the host's and not
 * mucd's.  It starts at WINDOW_MIN; when the window is too small to keep
 * the host busy it fills with the host's queue still empty, and the
 * sample is the rate it can bear at that window, so the window grows by
 * pacing_delay / round trip per sample: from the smallest to the whole
 * window in one or two samples.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "conn.h"
#include "log.h"
#include "pace.h"

#define ID_PREFIX	"mucd-pace-"
#define PROBE_SHARE	4		/* probes per window */
#define PROBE_WAIT	3000		/* ms before a probe counts as answered */
#define PROBES_MAX	64
#define HIGH_WATER	(8 * 1024 * 1024)	/* unsent bytes */
#define JID_MAX		3072		/* RFC 7622: 3 parts of 1023 bytes */
#define WINDOW_MIN	1000		/* copies */
#define RATE_SPAN	100		/* ms, at least, per rate sample */

struct probe {
	uint64_t	id;
	uint64_t	behind;		/* `sent` when it was sent */
	uint64_t	when;		/* ms */
};

struct pace {
	const struct config	*cfg;
	struct conn		*conn;
	unsigned		 gen;
	uint64_t		 sent, acked, probed;	/* copies */
	uint64_t		 nid;
	struct probe		 q[PROBES_MAX];	/* in id order */
	size_t			 nq;
	char			 last_to[JID_MAX], last_key[JID_MAX];
	int			 timeouts;	/* logged once */
	uint64_t		 window;	/* in use (copies) */
	double			 rate;		/* copies/ms; 0: unknown */
	uint64_t		 mark_ms, mark_acked;	/* sample start */
	int			 full;		/* the window filled since */
};

static uint64_t
pace_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct pace *
pace_new(const struct config *cfg, struct conn *conn)
{
	struct pace	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_warn("pace", "cannot allocate");
		return NULL;
	}
	p->cfg = cfg;
	p->conn = conn;
	p->window = WINDOW_MIN;
	return p;
}

void
pace_free(struct pace *p)
{
	free(p);
}

/* Copy s into buf (JID_MAX); an overlong one is not a JID anyway. */
static void
pace_keep(char *buf, const char *s)
{
	size_t	n = s != NULL ? strlen(s) : 0;

	if (n >= JID_MAX)
		n = 0;
	memcpy(buf, s != NULL ? s : "", n);
	buf[n] = '\0';
}

/* The window in use: never above pacing_window, which may be below
 * WINDOW_MIN or change on a reload. */
static uint64_t
pace_window(const struct pace *p)
{
	uint64_t	max = (uint64_t)p->cfg->pacing_window;

	return p->window < max ? p->window : max;
}

void
pace_copy(struct pace *p, const char *to, const char *key)
{
	if (p->cfg->pacing_window == 0)
		return;
	p->sent++;
	if (p->sent - p->probed >= pace_window(p) / PROBE_SHARE) {
		pace_keep(p->last_to, to);
		pace_keep(p->last_key, key != NULL ? key : to);
	}
}

void
pace_flushed(struct pace *p)
{
	struct probe	*pr;
	char		 buf[JID_MAX * 2 + 256];
	int		 n;

	if (p->cfg->pacing_window == 0 || p->last_to[0] == '\0' ||
	    p->nq == PROBES_MAX)
		return;
	pr = &p->q[p->nq];
	pr->id = ++p->nid;
	pr->behind = p->sent;
	pr->when = pace_now();
	/* The recipient's JID came from the engine as parsed text: quote
	 * what an attribute cannot hold raw. */
	if (strpbrk(p->last_to, "<&\"") != NULL)
		goto done;
	n = snprintf(buf, sizeof(buf), "<iq type=\"get\" id=\"" ID_PREFIX
	    "%llu\" to=\"%s\" from=\"%s\"><ping xmlns=\"urn:xmpp:ping\"/>"
	    "</iq>", (unsigned long long)pr->id, p->last_to, p->cfg->domain);
	if (n > 0 && (size_t)n < sizeof(buf)) {
		conn_send(p->conn, p->last_key, buf, (size_t)n);
		p->nq++;
		p->probed = p->sent;
	}
done:
	p->last_to[0] = '\0';
}

/* More copies are proved through: take a rate sample when one is due
 * and size the window from it. */
static void
pace_measure(struct pace *p)
{
	uint64_t	now = pace_now(), max = (uint64_t)p->cfg->pacing_window;
	uint64_t	w;
	double		sample;

	if (p->mark_ms == 0 || now - p->mark_ms < RATE_SPAN) {
		if (p->mark_ms == 0)
			p->mark_ms = now, p->mark_acked = p->acked;
		return;
	}
	if (p->full && p->cfg->pacing_delay > 0) {
		sample = (double)(p->acked - p->mark_acked) /
		    (double)(now - p->mark_ms);
		p->rate = p->rate == 0 ? sample : (3 * p->rate + sample) / 4;
		w = (uint64_t)(p->rate * p->cfg->pacing_delay);
		w = w < WINDOW_MIN ? WINDOW_MIN : w;
		p->window = w > max ? max : w;
	}
	p->mark_ms = now;
	p->mark_acked = p->acked;
	p->full = 0;
}

/* Probes up to and including index k are answered. */
static void
pace_answered(struct pace *p, size_t k)
{
	if (p->q[k].behind > p->acked)
		p->acked = p->q[k].behind;
	memmove(p->q, p->q + k + 1, (p->nq - k - 1) * sizeof(p->q[0]));
	p->nq -= k + 1;
	pace_measure(p);
}

int
pace_intercept(struct pace *p, xmpp_stanza_t *st)
{
	const char	*id = xmpp_stanza_get_id(st), *name, *type;
	uint64_t	 n;
	size_t		 k;

	name = xmpp_stanza_get_name(st);
	type = xmpp_stanza_get_type(st);
	if (id == NULL || name == NULL || strcmp(name, "iq") != 0 ||
	    strncmp(id, ID_PREFIX, sizeof(ID_PREFIX) - 1) != 0 ||
	    type == NULL || (strcmp(type, "result") != 0 &&
	    strcmp(type, "error") != 0))
		return 0;
	n = strtoull(id + sizeof(ID_PREFIX) - 1, NULL, 10);
	for (k = 0; k < p->nq; k++)
		if (p->q[k].id == n) {
			pace_answered(p, k);
			break;
		}
	return 1;
}

int
pace_blocked(struct pace *p, size_t others)
{
	uint64_t	limit = (uint64_t)p->cfg->pacing_window;

	if (conn_pending_bytes(p->conn) > HIGH_WATER)
		return 1;
	if (limit == 0)
		return 0;
	/* Multicast batches are proved by multicast.c, outside the rate
	 * measured here: with some in flight, the whole window. */
	if (others == 0)
		limit = pace_window(p);
	if (p->sent - p->acked + others <= limit)
		return 0;
	p->full = 1;
	return 1;
}

void
pace_poll(struct pace *p)
{
	unsigned	gen = conn_generation(p->conn);

	if (gen != p->gen) {
		/* A new stream: what was in flight on the old one is gone. */
		p->gen = gen;
		p->nq = 0;
		p->acked = p->probed = p->sent;
		p->mark_ms = 0;
		return;
	}
	if (p->nq == 0 || pace_now() - p->q[0].when < PROBE_WAIT)
		return;
	if (p->timeouts++ == 0)
		log_info("pace", "a probe got no answer within %d ms; counted "
		    "as answered (logged once)", PROBE_WAIT);
	pace_answered(p, 0);
}
