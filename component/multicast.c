/*
 * multicast.c - XEP-0033 multicast offload (see multicast.h).
 *
 * Discovery (XEP-0033 2.): with `multicast = auto`, disco#info on the
 * host's domain (mucd's domain without its first label); if that lacks
 * the http://jabber.org/protocol/address feature, disco#items there and
 * disco#info on each item in turn.  `multicast = JID` asks that JID only.
 * The limits a service advertises (ejabberd: a form with "message" and
 * "presence" fields, only when the operator set them) give the batch
 * sizes, capped by `multicast_batch`; without them, 20 (ejabberd's default
 * for senders that are not its own virtual hosts, which a component never
 * is).  Before use, one probe: a headline with a full batch of addresses,
 * all mucd's own, must come back, or the service is not used.
 *
 * Order per recipient.  A batch travels host -> multicast service ->
 * recipient, a direct copy host -> recipient, so a direct copy could
 * overtake a batch.  Each batch therefore carries, last, a bcc address of
 * mucd's own (DOMAIN/mucd-mc-SEQ): when that copy comes back, every batch
 * up to SEQ has been expanded.  Until then its recipients are "pending",
 * and a broadcast to a pending recipient goes through the service too,
 * even a small one, so it queues behind.  With the offload on, every
 * stanza takes one stream (mcast_stream_key()), so streams cannot reorder
 * either.  Singles that are not broadcasts (error replies, iq answers:
 * XEP-0033 forbids <addresses/> in an iq) still go direct.
 *
 * Refusal.  An error from the service names the batch by its marker; the
 * batch is sent again one copy per recipient, from the stanza kept until
 * its marker came back, and the offload is turned off until the next
 * connection.  A marker that does not come back within MARKER_WAIT turns
 * it off too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "conn.h"
#include "hash.h"
#include "log.h"
#include "metrics.h"
#include "multicast.h"

#define NS_ADDRESS	"http://jabber.org/protocol/address"
#define NS_DISCO_INFO	"http://jabber.org/protocol/disco#info"
#define NS_DISCO_ITEMS	"http://jabber.org/protocol/disco#items"
#define ID_PREFIX	"mucd-mc-"
#define QUERY_WAIT	10000		/* ms for a disco answer or the probe */
#define MARKER_WAIT	30000		/* ms for a batch's marker */
#define BATCH_DEFAULT	20		/* addresses, when none is advertised */
#define BATCH_MAX	1000		/* keeps a batch well under 100 KB */
#define MC_MIN		3		/* smaller broadcasts go direct */
#define CANDIDATES_MAX	32

enum mc_state {
	MC_OFF,		/* not used (setting, nothing found, refused) */
	MC_WAIT,	/* waiting for the connection */
	MC_INFO,	/* disco#info sent to cand[icand] */
	MC_ITEMS,	/* disco#items sent to the host's domain */
	MC_PROBE,	/* the probe batch is on its way */
	MC_ON,
};

/* A batch whose marker has not come back: the stanza as sent, enough to
 * send it again one copy per recipient. */
struct mc_batch {
	uint64_t	 seq;
	uint64_t	 sent;		/* ms */
	char		*text;		/* NUL-terminated */
	size_t		 nto;		/* its recipients, the marker not counted */
};

/* A recipient of a batch in flight. */
struct mc_seen {
	char		*jid;		/* the key */
	uint64_t	 seq;		/* its last batch */
};

struct mcast {
	xmpp_ctx_t		*ctx;
	const struct config	*cfg;
	struct conn		*conn;
	enum mc_state		 state;
	unsigned		 gen;		/* conn_generation() seen */
	char			*cand[CANDIDATES_MAX];
	size_t			 ncand, icand;
	char			 want[48];	/* id of the iq waited for */
	uint64_t		 deadline;	/* ms */
	int			 probes;	/* sent on this connection */
	char			*service;	/* when MC_PROBE, MC_ON */
	size_t			 batch_msg, batch_pres;
	uint64_t		 seq, acked;
	struct mc_batch		*q;		/* FIFO of batches in flight */
	size_t			 qhead, qlen, qcap;
	size_t			 inflight;	/* their copies */
	struct hmap		 pending;	/* jid -> struct mc_seen */
	unsigned		 nids;
};

static uint64_t
mc_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* conn_send() for a copy, on the service's stream like everything
 * while the offload is on. */
static void
mc_emit_to(void *ud, const char *to, const char *text, size_t len)
{
	struct mcast	*mc = ud;

	(void)to;
	metrics_copy_out(len);
	conn_send(mc->conn, mc->service, text, len);
}

/* Forget every batch in flight and every pending recipient. */
static void
mc_forget(struct mcast *mc)
{
	struct mc_seen	*s;
	struct mc_batch	*b;
	size_t		 i = 0;

	while ((s = hmap_next(&mc->pending, &i)) != NULL) {
		free(s->jid);
		free(s);
	}
	hmap_free(&mc->pending);
	hmap_init(&mc->pending);
	for (; mc->qlen > 0; mc->qlen--) {
		b = &mc->q[mc->qhead];
		mc->qhead = (mc->qhead + 1) % mc->qcap;
		free(b->text);
	}
	mc->qhead = 0;
	mc->inflight = 0;
}

static void
mc_clear_candidates(struct mcast *mc)
{
	size_t	i;

	for (i = 0; i < mc->ncand; i++)
		free(mc->cand[i]);
	mc->ncand = mc->icand = 0;
}

/* Stop using the service until the next connection. */
static void
mc_off(struct mcast *mc)
{
	mc_forget(mc);
	mc_clear_candidates(mc);
	free(mc->service);
	mc->service = NULL;
	mc->state = MC_OFF;
}

/* Send an iq get with an empty query in ns to jid and wait for it. */
static void
mc_query(struct mcast *mc, const char *jid, const char *ns,
    enum mc_state next)
{
	char	buf[1024];
	int	n;

	snprintf(mc->want, sizeof(mc->want), ID_PREFIX "%u", ++mc->nids);
	n = snprintf(buf, sizeof(buf), "<iq type=\"get\" id=\"%s\" to=\"%s\" "
	    "from=\"%s\"><query xmlns=\"%s\"/></iq>", mc->want, jid,
	    mc->cfg->domain, ns);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		mc_off(mc);
		return;
	}
	conn_send(mc->conn, jid, buf, (size_t)n);
	mc->state = next;
	mc->deadline = mc_now() + QUERY_WAIT;
}

/* Ask the next candidate, or give up. */
static void
mc_next_candidate(struct mcast *mc)
{
	if (mc->icand < mc->ncand) {
		mc_query(mc, mc->cand[mc->icand], NS_DISCO_INFO, MC_INFO);
		return;
	}
	log_info("multicast", "no multicast service (XEP-0033) found%s%s; "
	    "one copy per recipient", mc->ncand == 1 ? " at " : "",
	    mc->ncand == 1 ? mc->cand[0] : "");
	mc_off(mc);
}

static int
mc_add_candidate(struct mcast *mc, const char *jid)
{
	if (mc->ncand == CANDIDATES_MAX ||
	    (mc->cand[mc->ncand] = strdup(jid)) == NULL)
		return -1;
	mc->ncand++;
	return 0;
}

/* The connection is (again) up: start over. */
static void
mc_start(struct mcast *mc)
{
	const char	*setting = mc->cfg->multicast, *dot;

	mc_off(mc);
	mc->probes = 0;
	if (strcmp(setting, "off") == 0)
		return;
	if (strcmp(setting, "auto") != 0)
		mc_add_candidate(mc, setting);
	else if ((dot = strchr(mc->cfg->domain, '.')) != NULL &&
	    dot[1] != '\0')
		mc_add_candidate(mc, dot + 1);
	else
		mc_add_candidate(mc, mc->cfg->domain);
	if (mc->ncand == 0) {
		log_warnx("multicast", "out of memory; one copy per recipient");
		return;
	}
	mc_next_candidate(mc);
}

/* A limit field of the address form: a number, or "infinite". */
static size_t
mc_limit(xmpp_stanza_t *field)
{
	xmpp_stanza_t	*v = xmpp_stanza_get_child_by_name(field, "value");
	char		*text;
	long		 n;

	if (v == NULL || (text = xmpp_stanza_get_text(v)) == NULL)
		return 0;
	n = strcmp(text, "infinite") == 0 ? BATCH_MAX : strtol(text, NULL, 10);
	xmpp_free(xmpp_stanza_get_context(field), text);
	return n > 0 ? (size_t)n : 0;
}

/* The batch sizes from the service's XEP-0128 form, capped by the
 * setting and BATCH_MAX. */
static void
mc_read_limits(struct mcast *mc, xmpp_stanza_t *query)
{
	xmpp_stanza_t	*x, *f;
	const char	*var;
	size_t		 cap, msg = BATCH_DEFAULT, pres = BATCH_DEFAULT, n;

	for (x = xmpp_stanza_get_children(query); x != NULL;
	    x = xmpp_stanza_get_next(x)) {
		if (xmpp_stanza_get_name(x) == NULL ||
		    strcmp(xmpp_stanza_get_name(x), "x") != 0)
			continue;
		for (f = xmpp_stanza_get_children(x); f != NULL;
		    f = xmpp_stanza_get_next(f)) {
			if ((var = xmpp_stanza_get_attribute(f, "var")) == NULL ||
			    (n = mc_limit(f)) == 0)
				continue;
			if (strcmp(var, "message") == 0)
				msg = n;
			else if (strcmp(var, "presence") == 0)
				pres = n;
		}
	}
	cap = mc->cfg->multicast_batch > 0 ?
	    (size_t)mc->cfg->multicast_batch : BATCH_MAX;
	if (cap > BATCH_MAX)
		cap = BATCH_MAX;
	mc->batch_msg = msg < cap ? msg : cap;
	mc->batch_pres = pres < cap ? pres : cap;
}

/* Send the probe: a headline to the service with a full message batch
 * of addresses, all mucd's own. */
static void
mc_probe(struct mcast *mc)
{
	size_t	n = mc->batch_msg, k, len = 0, cap;
	char	*buf;
	int	w;

	cap = 512 + n * (strlen(mc->cfg->domain) + 64) +
	    strlen(mc->service);
	if ((buf = malloc(cap)) == NULL) {
		mc_off(mc);
		return;
	}
	snprintf(mc->want, sizeof(mc->want), ID_PREFIX "probe%d",
	    ++mc->probes);
	w = snprintf(buf, cap, "<message type=\"headline\" id=\"%s\" to=\"%s\" "
	    "from=\"%s\"><addresses xmlns=\"" NS_ADDRESS "\">", mc->want,
	    mc->service, mc->cfg->domain);
	len = (size_t)w;
	for (k = 0; k < n; k++)
		len += (size_t)snprintf(buf + len, cap - len, "<address "
		    "type=\"bcc\" jid=\"%s/" ID_PREFIX "p%zu\"/>",
		    mc->cfg->domain, k);
	len += (size_t)snprintf(buf + len, cap - len, "</addresses></message>");
	conn_send(mc->conn, mc->service, buf, len);
	free(buf);
	mc->state = MC_PROBE;
	mc->deadline = mc_now() + QUERY_WAIT;
}

/* The answer to the disco#info of cand[icand]. */
static void
mc_on_info(struct mcast *mc, xmpp_stanza_t *iq)
{
	xmpp_stanza_t	*q, *f;
	const char	*var;
	int		 found = 0;

	q = xmpp_stanza_get_child_by_ns(iq, NS_DISCO_INFO);
	for (f = q != NULL ? xmpp_stanza_get_children(q) : NULL; f != NULL &&
	    !found; f = xmpp_stanza_get_next(f))
		found = (var = xmpp_stanza_get_attribute(f, "var")) != NULL &&
		    strcmp(var, NS_ADDRESS) == 0;
	if (found && (mc->service = strdup(mc->cand[mc->icand])) != NULL) {
		mc_read_limits(mc, q);
		mc_probe(mc);
		return;
	}
	/* The host's domain itself was asked first: its items next. */
	if (strcmp(mc->cfg->multicast, "auto") == 0 && mc->icand == 0 &&
	    mc->ncand == 1) {
		mc_query(mc, mc->cand[0], NS_DISCO_ITEMS, MC_ITEMS);
		return;
	}
	mc->icand++;
	mc_next_candidate(mc);
}

/* The host's items: each bare domain but mucd's own is a candidate. */
static void
mc_on_items(struct mcast *mc, xmpp_stanza_t *iq)
{
	xmpp_stanza_t	*q, *it;
	const char	*jid;

	q = xmpp_stanza_get_child_by_ns(iq, NS_DISCO_ITEMS);
	for (it = q != NULL ? xmpp_stanza_get_children(q) : NULL; it != NULL;
	    it = xmpp_stanza_get_next(it))
		if ((jid = xmpp_stanza_get_attribute(it, "jid")) != NULL &&
		    strpbrk(jid, "@/") == NULL &&
		    strcmp(jid, mc->cfg->domain) != 0 &&
		    mc_add_candidate(mc, jid) != 0)
			break;
	mc->icand = 1;
	mc_next_candidate(mc);
}

struct mcast *
mcast_new(xmpp_ctx_t *ctx, const struct config *cfg, struct conn *conn)
{
	struct mcast	*mc;

	if ((mc = calloc(1, sizeof(*mc))) == NULL) {
		log_warn("multicast", "cannot allocate");
		return NULL;
	}
	mc->ctx = ctx;
	mc->cfg = cfg;
	mc->conn = conn;
	mc->state = strcmp(cfg->multicast, "off") == 0 ? MC_OFF : MC_WAIT;
	hmap_init(&mc->pending);
	return mc;
}

void
mcast_free(struct mcast *mc)
{
	if (mc == NULL)
		return;
	mc_off(mc);
	hmap_free(&mc->pending);
	free(mc->q);
	free(mc);
}

void
mcast_poll(struct mcast *mc)
{
	unsigned	gen = conn_generation(mc->conn);

	if (gen != mc->gen && conn_is_online(mc->conn)) {
		mc->gen = gen;
		mc_start(mc);
		return;
	}
	if (mc->state == MC_ON && mc->qlen > 0 &&
	    mc_now() - mc->q[mc->qhead].sent > MARKER_WAIT) {
		log_warnx("multicast", "%s did not deliver a batch within %d s; "
		    "one copy per recipient until the next connection",
		    mc->service, MARKER_WAIT / 1000);
		mc_off(mc);
		return;
	}
	if ((mc->state == MC_INFO || mc->state == MC_ITEMS ||
	    mc->state == MC_PROBE) && mc_now() > mc->deadline) {
		if (mc->state == MC_PROBE) {
			log_warnx("multicast", "%s did not return the probe; "
			    "one copy per recipient", mc->service);
			mc_off(mc);
		} else {
			mc->icand++;
			mc_next_candidate(mc);
		}
	}
}

/* The marker of batch seq, DOMAIN/mucd-mc-SEQ, into buf. */
static const char *
mc_marker(const struct mcast *mc, uint64_t seq, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" ID_PREFIX "%llu", mc->cfg->domain,
	    (unsigned long long)seq);
	return buf;
}

/* The batch number in a marker JID, or 0 when jid is not one. */
static uint64_t
mc_marker_seq(const struct mcast *mc, const char *jid)
{
	size_t	n = strlen(mc->cfg->domain);

	if (jid == NULL || strncmp(jid, mc->cfg->domain, n) != 0 ||
	    strncmp(jid + n, "/" ID_PREFIX, sizeof(ID_PREFIX)) != 0 ||
	    jid[n + sizeof(ID_PREFIX)] < '0' || jid[n + sizeof(ID_PREFIX)] > '9')
		return 0;
	return strtoull(jid + n + sizeof(ID_PREFIX), NULL, 10);
}

/* Batches up to seq were expanded: drop them, and once nothing is in
 * flight, the pending recipients too. */
static void
mc_ack(struct mcast *mc, uint64_t seq)
{
	struct mc_batch	*b;

	if (seq > mc->acked)
		mc->acked = seq;
	while (mc->qlen > 0 && mc->q[mc->qhead].seq <= mc->acked) {
		b = &mc->q[mc->qhead];
		mc->inflight -= b->nto;
		free(b->text);
		mc->qhead = (mc->qhead + 1) % mc->qcap;
		mc->qlen--;
	}
	if (mc->qlen == 0 && mc->pending.n > 0)
		mc_forget(mc);
}

/* The stanza of a batch as mucd rendered it, without its ` to="SERVICE"`
 * and its <addresses/> element, queued as a broadcast to those addresses
 * (but the marker) in tmp.  Returns MUC_OK, or an error. */
static int
mc_unpack(struct mcast *mc, const char *text, struct muc_out *tmp)
{
	static const char	 open[] = "<addresses xmlns=\"" NS_ADDRESS "\">",
				 close[] = "</addresses>";
	xmpp_stanza_t		*st = NULL, *a = NULL, *c;
	const char		*as, *ae, *jid, *lang;
	char			*base = NULL, *list = NULL, to[1100];
	size_t			 n;
	int			 rc = MUC_ENOMEM;

	snprintf(to, sizeof(to), " to=\"%s\"", mc->service);
	if ((as = strstr(text, open)) == NULL ||
	    (ae = strstr(as, close)) == NULL)
		return MUC_EINVAL;
	ae += sizeof(close) - 1;
	n = strlen(text);
	if ((base = malloc(n + 1)) == NULL ||
	    (list = strndup(as, (size_t)(ae - as))) == NULL)
		goto done;
	memcpy(base, text, (size_t)(as - text));
	strcpy(base + (as - text), ae);
	if ((jid = strstr(base, to)) != NULL)
		memmove((char *)jid, jid + strlen(to), strlen(jid + strlen(to)) + 1);
	if ((st = xmpp_stanza_new_from_string(mc->ctx, base)) == NULL ||
	    (a = xmpp_stanza_new_from_string(mc->ctx, list)) == NULL)
		goto done;
	/* libstrophe reads xml:lang back as "lang". */
	if ((lang = xmpp_stanza_get_attribute(st, "lang")) != NULL &&
	    xmpp_stanza_set_attribute(st, "xml:lang", lang) == XMPP_EOK)
		xmpp_stanza_del_attribute(st, "lang");
	rc = muc_out_broadcast(tmp, st);	/* steals st */
	st = NULL;
	for (c = xmpp_stanza_get_children(a); c != NULL && rc == MUC_OK;
	    c = xmpp_stanza_get_next(c))
		if ((jid = xmpp_stanza_get_attribute(c, "jid")) != NULL &&
		    mc_marker_seq(mc, jid) == 0)
			rc = muc_out_add_to(tmp, jid);
done:
	if (st != NULL)
		xmpp_stanza_release(st);
	if (a != NULL)
		xmpp_stanza_release(a);
	free(base);
	free(list);
	return rc;
}

/* Send batch b again, one copy per recipient. */
static void
mc_resend(struct mcast *mc, const struct mc_batch *b)
{
	struct muc_out	*tmp;
	int		 rc = MUC_ENOMEM;

	if ((tmp = muc_out_new(mc->ctx)) != NULL &&
	    (rc = mc_unpack(mc, b->text, tmp)) == MUC_OK)
		rc = muc_out_render_to(tmp, 0, mc_emit_to, mc);
	muc_out_free(tmp);
	if (rc != MUC_OK)
		log_warnx("multicast", "out of memory: a refused batch of %zu "
		    "copies is lost", b->nto);
}

/* The service refused a stanza: send its batch (named by the marker in
 * the echoed addresses) again directly, and stop using the service. */
static void
mc_on_refusal(struct mcast *mc, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*a, *e, *c;
	const char	*cond = "?";
	uint64_t	 seq = 0;
	size_t		 k;

	a = xmpp_stanza_get_child_by_name_and_ns(st, "addresses", NS_ADDRESS);
	for (c = a != NULL ? xmpp_stanza_get_children(a) : NULL; c != NULL &&
	    seq == 0; c = xmpp_stanza_get_next(c))
		seq = mc_marker_seq(mc, xmpp_stanza_get_attribute(c, "jid"));
	if ((e = xmpp_stanza_get_child_by_name(st, "error")) != NULL &&
	    (c = xmpp_stanza_get_children(e)) != NULL &&
	    xmpp_stanza_get_name(c) != NULL)
		cond = xmpp_stanza_get_name(c);
	log_warnx("multicast", "%s refused a batch (%s); one copy per "
	    "recipient until the next connection", mc->service, cond);
	for (k = 0; k < mc->qlen; k++)
		if (mc->q[(mc->qhead + k) % mc->qcap].seq == seq)
			mc_resend(mc, &mc->q[(mc->qhead + k) % mc->qcap]);
	mc_off(mc);
}

/* The probe came back (the service works) or was refused. */
static void
mc_on_probe(struct mcast *mc, int refused, xmpp_stanza_t *st)
{
	if (!refused) {
		mc->state = MC_ON;
		mc->seq = mc->acked = 0;
		log_info("multicast", "broadcasts go through %s (XEP-0033), "
		    "%zu addresses per message, %zu per presence", mc->service,
		    mc->batch_msg, mc->batch_pres);
		return;
	}
	if (mc->batch_msg > BATCH_DEFAULT && mc->probes < 2) {
		/* Advertised limits can be wrong; ejabberd's default. */
		mc->batch_msg = mc->batch_pres = BATCH_DEFAULT;
		mc_probe(mc);
		return;
	}
	log_warnx("multicast", "%s refused the probe (%s); one copy per "
	    "recipient", mc->service,
	    xmpp_stanza_get_child_by_name(st, "error") != NULL ?
	    "an error" : "?");
	mc_off(mc);
}

int
mcast_intercept(struct mcast *mc, xmpp_stanza_t *st)
{
	const char	*name = xmpp_stanza_get_name(st), *type, *id, *to;
	int		 error;

	if (mc->state == MC_OFF || name == NULL)
		return 0;
	type = xmpp_stanza_get_type(st);
	id = xmpp_stanza_get_id(st);
	to = xmpp_stanza_get_to(st);
	error = type != NULL && strcmp(type, "error") == 0;
	if (strcmp(name, "iq") == 0) {
		if (id == NULL || strcmp(id, mc->want) != 0 || type == NULL ||
		    (strcmp(type, "result") != 0 && !error))
			return 0;
		if (mc->state == MC_ITEMS && !error)
			mc_on_items(mc, st);
		else if (mc->state == MC_INFO && !error)
			mc_on_info(mc, st);
		else if (mc->state == MC_INFO || mc->state == MC_ITEMS) {
			mc->icand++;	/* an error: not this one */
			mc_next_candidate(mc);
		}
		return 1;
	}
	if (to != NULL && strncmp(to, mc->cfg->domain,
	    strlen(mc->cfg->domain)) == 0 &&
	    strncmp(to + strlen(mc->cfg->domain), "/" ID_PREFIX,
	    sizeof(ID_PREFIX)) == 0) {
		if (mc->state == MC_PROBE)
			mc_on_probe(mc, 0, st);
		else if (mc->state == MC_ON)
			mc_ack(mc, mc_marker_seq(mc, to));
		return 1;
	}
	if (error && mc->service != NULL &&
	    xmpp_stanza_get_from(st) != NULL &&
	    strcmp(xmpp_stanza_get_from(st), mc->service) == 0) {
		if (mc->state == MC_PROBE)
			mc_on_probe(mc, 1, st);
		else if (mc->state == MC_ON)
			mc_on_refusal(mc, st);
		return 1;
	}
	return 0;
}

/* Is a batch in flight still on its way to jid? */
static int
mc_is_pending(const struct mcast *mc, const char *jid)
{
	const struct mc_seen	*s = hmap_get(&mc->pending, jid);

	return s != NULL && s->seq > mc->acked;
}

/* Keep batch seq (its text, taken over) for a resend, and mark its n
 * recipients pending.  Returns 0, or -1 when out of memory (then text is
 * freed and nothing kept). */
static int
mc_keep(struct mcast *mc, uint64_t seq, char *text,
    const char *const *to, size_t n)
{
	struct mc_batch	*b, *nq;
	struct mc_seen	*s;
	size_t		 k, cap;

	if (mc->qlen == mc->qcap) {
		cap = mc->qcap ? mc->qcap * 2 : 64;
		if ((nq = malloc(cap * sizeof(*nq))) == NULL) {
			free(text);
			return -1;
		}
		for (k = 0; k < mc->qlen; k++)
			nq[k] = mc->q[(mc->qhead + k) % mc->qcap];
		free(mc->q);
		mc->q = nq;
		mc->qcap = cap;
		mc->qhead = 0;
	}
	for (k = 0; k < n; k++) {
		if ((s = hmap_get(&mc->pending, to[k])) != NULL) {
			s->seq = seq;
			continue;
		}
		if ((s = calloc(1, sizeof(*s))) == NULL ||
		    (s->jid = strdup(to[k])) == NULL ||
		    hmap_put(&mc->pending, s->jid, s) != 0) {
			if (s != NULL)
				free(s->jid);
			free(s);
			free(text);
			return -1;
		}
		s->seq = seq;
	}
	b = &mc->q[(mc->qhead + mc->qlen) % mc->qcap];
	b->seq = seq;
	b->sent = mc_now();
	b->text = text;
	b->nto = n;
	mc->qlen++;
	mc->inflight += n;
	return 0;
}

/* muc_out_render_multicast() callback: keep the batch's text. */
static void
mc_capture(void *ud, const char *text, size_t len)
{
	char	**out = ud;

	if ((*out = malloc(len + 1)) != NULL)
		memcpy(*out, text, len + 1);
}

int
mcast_send(struct mcast *mc, const struct muc_out *out, size_t i)
{
	const struct muc_out_entry	*e = muc_out_get(out, i);
	const char			*name, *type;
	char				 marker[512], *text;
	size_t				 limit, first, count, k;
	int				 any = 0;

	if (mc->state != MC_ON || e == NULL || !e->broadcast || e->nto == 0 ||
	    (name = xmpp_stanza_get_name(e->stanza)) == NULL ||
	    (strcmp(name, "message") != 0 && strcmp(name, "presence") != 0) ||
	    ((type = xmpp_stanza_get_type(e->stanza)) != NULL &&
	    strcmp(type, "error") == 0))
		return 0;
	for (k = 0; k < e->nto && !any; k++)
		any = mc_is_pending(mc, e->to[k]);
	if (e->nto < MC_MIN && !any)
		return 0;
	limit = (name[0] == 'm' ? mc->batch_msg : mc->batch_pres) - 1;
	for (first = 0; first < e->nto; first += count) {
		count = e->nto - first < limit ? e->nto - first : limit;
		mc->seq++;
		text = NULL;
		if (muc_out_render_multicast(out, i, mc->service, first, count,
		    mc_marker(mc, mc->seq, marker, sizeof(marker)), mc_capture,
		    &text) != MUC_OK || text == NULL) {
			log_warnx("multicast", "out of memory: %zu copies lost",
			    e->nto - first);
			return 1;
		}
		conn_send(mc->conn, mc->service, text, strlen(text));
		metrics_batch_out(count, strlen(text));
		if (mc_keep(mc, mc->seq, text, e->to + first, count) != 0)
			log_warnx("multicast", "out of memory: batch %llu cannot "
			    "be sent again if refused",
			    (unsigned long long)mc->seq);
	}
	return 1;
}

size_t
mcast_inflight(const struct mcast *mc)
{
	return mc->inflight;
}

const char *
mcast_stream_key(const struct mcast *mc)
{
	return mc->state == MC_ON ? mc->service : NULL;
}
