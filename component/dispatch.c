/*
 * dispatch.c - hand stanzas to the engine and send what it answers.
 *
 * The engine never touches the socket: muc_handle() and muc_tick() fill an
 * outbox, and dispatch_flush() writes it.  A broadcast (one stanza, many
 * recipients) is serialised once by muc_out_render_to(), which splices
 * each recipient's `to` into the text; each copy is queued with
 * conn_send(), which picks the stream by the recipient.  Broadcasts the
 * multicast offload takes go to the host as one stanza per batch
 * (multicast.c).
 * No stanza object is built per recipient: this is the fan-out hot path.
 * The engine sets `from` on everything; nothing here rewrites addressing.
 *
 * While the host holds more copies than the pacing window allows
 * (pace.c), stanzas from the host wait in a backlog, one queue per
 * sender (backlog.c), and the end of each loop turn hands them to the
 * engine, a sender at a time, as the window opens.  The answers that open
 * it (probes, multicast markers) never wait.
 */
#include <stdlib.h>
#include <string.h>

#include "backlog.h"
#include "conn.h"
#include "dispatch.h"
#include "log.h"
#include "metrics.h"
#include "multicast.h"
#include "pace.h"

/* What an engine return code means, for the log. */
static const char *
dispatch_strerror(int rc)
{
	switch (rc) {
	case MUC_ENOMEM: return "out of memory";
	case MUC_ESTORE: return "database error (logged above)";
	case MUC_EINVAL: return "invalid argument";
	default: return "unknown error";
	}
}

/* muc_out_render_to() callback: one finished copy for the wire, queued
 * on the stream that carries everything to its recipient. */
static void
dispatch_emit(void *ud, const char *to, const char *text, size_t len)
{
	struct dispatch	*d = ud;
	const char	*key = mcast_stream_key(d->mc);

	metrics_copy_out(len);
	conn_send(d->conn, key != NULL ? key : to, text, len);
	pace_copy(d->pc, to, key);
}

/* Send every outbox entry, then empty the outbox.  While offline the
 * entries are dropped: the host does not queue for a component either. */
static void
dispatch_flush(struct dispatch *d)
{
	size_t	i, n = muc_out_count(d->out);

	metrics_stanzas_out(n);
	if (n > 0 && !conn_is_online(d->conn))
		log_debug("dispatch", "offline: dropped %zu outgoing "
		    "stanzas", n);
	else
		for (i = 0; i < n; i++)
			if (!mcast_send(d->mc, d->out, i) &&
			    muc_out_render_to(d->out, i, dispatch_emit, d) !=
			    MUC_OK)
				log_warnx("dispatch", "out of memory: "
				    "outgoing stanza %zu of %zu lost", i + 1,
				    n);
	muc_out_clear(d->out);
	pace_flushed(d->pc);
}

/* Give one stanza to the engine and send what it answered. */
static void
dispatch_handle(struct dispatch *d, xmpp_stanza_t *stanza)
{
	int	rc;

	if ((rc = muc_handle(d->svc, stanza, d->out)) != MUC_OK)
		log_warnx("dispatch", "<%s/> from %s: %s",
		    xmpp_stanza_get_name(stanza),
		    xmpp_stanza_get_from(stanza) != NULL ?
		    xmpp_stanza_get_from(stanza) : "?", dispatch_strerror(rc));
	dispatch_flush(d);
}

static int
dispatch_blocked(struct dispatch *d)
{
	return pace_blocked(d->pc, mcast_inflight(d->mc));
}

/* The end of a loop turn: time-outs of the offload and the pacer, then
 * the backlog, as far as the window lets. */
static void
dispatch_turn(void *ud)
{
	struct dispatch	*d = ud;
	xmpp_stanza_t	*s;

	mcast_poll(d->mc);
	pace_poll(d->pc);
	if (d->backlog.len == 0)
		return;
	while (!dispatch_blocked(d) && (s = backlog_pop(&d->backlog)) != NULL) {
		dispatch_handle(d, s);
		xmpp_stanza_release(s);
	}
	/* A drained backlog has given its memory back (backlog.c). */
	if (d->backlog.len == 0)
		conn_memory_freed(d->conn);
}

void
dispatch_init(struct dispatch *d, struct muc_service *svc,
    struct muc_out *out, struct conn *conn, struct mcast *mc,
    struct pace *pc)
{
	memset(d, 0, sizeof(*d));
	backlog_init(&d->backlog);
	d->svc = svc;
	d->out = out;
	d->conn = conn;
	d->mc = mc;
	d->pc = pc;
	conn_set_turn_hook(conn, dispatch_turn, d);
}

void
dispatch_shutdown(struct dispatch *d)
{
	size_t	dropped = backlog_clear(&d->backlog);

	if (dropped > 0)
		log_info("dispatch", "shutting down: %zu stanzas from the "
		    "host not handled", dropped);
	if (muc_shutdown(d->svc, d->out) != MUC_OK)
		log_warnx("dispatch", "out of memory: some occupants were not "
		    "told of the shutdown");
	dispatch_flush(d);
}

int
dispatch_stanza(xmpp_conn_t *xc, xmpp_stanza_t *stanza, void *ud)
{
	struct dispatch	*d = ud;
	const char	*name = xmpp_stanza_get_name(stanza);

	(void)xc;
	metrics_stanza_in(name != NULL ? name : "?");
	/* The handler sees every top-level element; only the three stanza
	 * kinds are for the engine (not, say, a stream-level element). */
	if (name == NULL || (strcmp(name, "message") != 0 &&
	    strcmp(name, "presence") != 0 && strcmp(name, "iq") != 0)) {
		log_debug("dispatch", "ignored <%s/>", name != NULL ? name :
		    "?");
		return 1;
	}
	mcast_poll(d->mc);
	if (mcast_intercept(d->mc, stanza) || pace_intercept(d->pc, stanza))
		return 1;
	/* Behind what its sender already has waiting, or while the host
	 * is full; a sender with nothing waiting goes ahead of a flooder's
	 * backlog.  Out of memory it is handled now: out of turn beats
	 * lost. */
	if ((dispatch_blocked(d) || backlog_holds(&d->backlog, stanza)) &&
	    backlog_push(&d->backlog, stanza) == 0)
		return 1;
	dispatch_handle(d, stanza);
	return 1;
}

int
dispatch_tick(xmpp_ctx_t *ctx, void *ud)
{
	struct dispatch	*d = ud;
	struct muc_stats st;
	int		 rc;

	(void)ctx;
	mcast_poll(d->mc);
	if ((rc = muc_tick(d->svc, d->out)) != MUC_OK)
		log_warnx("dispatch", "periodic work failed: %s",
		    dispatch_strerror(rc));
	dispatch_flush(d);
	muc_stats(d->svc, &st);
	metrics_engine(&st);
	return 1;
}
