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

void
pace_copy(struct pace *p, const char *to, const char *key)
{
	if (p->cfg->pacing_window == 0)
		return;
	p->sent++;
	if (p->sent - p->probed >= (uint64_t)p->cfg->pacing_window /
	    PROBE_SHARE) {
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

/* Probes up to and including index k are answered. */
static void
pace_answered(struct pace *p, size_t k)
{
	if (p->q[k].behind > p->acked)
		p->acked = p->q[k].behind;
	memmove(p->q, p->q + k + 1, (p->nq - k - 1) * sizeof(p->q[0]));
	p->nq -= k + 1;
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
	if (conn_pending_bytes(p->conn) > HIGH_WATER)
		return 1;
	return p->cfg->pacing_window > 0 &&
	    p->sent - p->acked + others > (uint64_t)p->cfg->pacing_window;
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
		return;
	}
	if (p->nq == 0 || pace_now() - p->q[0].when < PROBE_WAIT)
		return;
	if (p->timeouts++ == 0)
		log_info("pace", "a probe got no answer within %d ms; counted "
		    "as answered (logged once)", PROBE_WAIT);
	pace_answered(p, 0);
}
