/*
 * conn.c - the XEP-0114 connection: handshake, failures, reconnect.
 *
 * The component connects to the host's component listener, proves it knows
 * the shared secret (libstrophe does the <handshake/>), and then exchanges
 * stanzas until the stream ends.  When it ends for any reason other than
 * conn_close(), the next attempt is scheduled BACKOFF_MIN later, doubling up
 * to BACKOFF_MAX, and the delay starts over after a successful handshake.
 * Attempts are started by conn_poll() from the main loop: libstrophe's
 * callbacks only record what happened.
 *
 * The same xmpp_conn_t serves every attempt (libstrophe allows reconnecting
 * a disconnected connection object, and keeps its handlers), so nothing is
 * allocated per attempt and nothing can leak across reconnects.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "conn.h"
#include "log.h"
#include "metrics.h"

#define BACKOFF_MIN	1000UL		/* ms before the first retry */
#define BACKOFF_MAX	60000UL		/* cap of the doubling */
#define POLL_MAX	1000UL		/* longest wait conn_poll() allows */
#define CLOSE_WAIT	3000UL		/* ms to wait for the host's </stream> */
#define PRIME_WAIT	5000UL		/* ms the priming connection may take */

enum conn_state {
	CONN_IDLE,		/* disconnected; next attempt at c->next */
	CONN_CONNECTING,	/* attempt started, no verdict yet */
	CONN_ONLINE,		/* handshake accepted */
	CONN_CLOSING,		/* conn_close() waits for the stream end */
	CONN_CLOSED,		/* closed for good */
};

struct conn {
	xmpp_ctx_t		*ctx;
	xmpp_conn_t		*xc;
	const struct config	*cfg;
	enum conn_state		 state;
	unsigned long		 backoff;	/* delay after the next failure */
	uint64_t		 next;		/* monotonic ms of next attempt */
	unsigned		 failures;	/* failed attempts since online */
	uint64_t		 lost;		/* monotonic ms the stream ended */
	int			 was_up;	/* online at least once */
};

/* The stream error conditions, in the order of xmpp_error_type_t. */
static const char *const conn_conditions[] = {
	"bad-format", "bad-namespace-prefix", "conflict",
	"connection-timeout", "host-gone", "host-unknown",
	"improper-addressing", "internal-server-error", "invalid-from",
	"invalid-id", "invalid-namespace", "invalid-xml", "not-authorized",
	"policy-violation", "remote-connection-failed", "resource-constraint",
	"restricted-xml", "see-other-host", "system-shutdown",
	"undefined-condition", "unsupported-encoding",
	"unsupported-stanza-type", "unsupported-version",
	"xml-not-well-formed",
};

static uint64_t
conn_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Callback of the priming connection: nothing to do but end it, should
 * something unexpectedly answer on the closed port. */
static void
conn_prime_event(xmpp_conn_t *xc, xmpp_conn_event_t event, int error,
    xmpp_stream_error_t *se, void *ud)
{
	(void)error;
	(void)se;
	(void)ud;
	if (event == XMPP_CONN_CONNECT || event == XMPP_CONN_RAW_CONNECT)
		xmpp_disconnect(xc);
}

/*
 * conn_prime - the workaround for libstrophe 0.12.2's component-mode crash.
 *
 * THE BUG: libstrophe keeps its XEP-0198 (stream management) state in a
 * structure that only xmpp_connect_client() allocates.  The component path,
 * xmpp_connect_component(), never allocates it, yet reads it without a NULL
 * check when the first stanza arrives (the host's <handshake/> reply) and
 * again on disconnect: a segfault on the first successful connect.  The
 * flag XMPP_CONN_FLAG_DISABLE_SM does not avoid the read.
 *
 * THE WORKAROUND: before the first xmpp_connect_component() on a new
 * xmpp_conn_t, make one client connection attempt towards a closed loopback
 * port (127.0.0.1:1) and run the loop until it has failed.  That allocates
 * the state, and it stays allocated for the life of the connection object,
 * across every later connect, disconnect and reconnect.  Nothing is sent:
 * the TCP connection is refused.  Verified clean under valgrind across
 * connect, host restart and reconnect.
 *
 * This is the only place in mucd that knows about the bug.  Drop it when the
 * packaged libstrophe allocates the state for components too (upstream
 * fixed the NULL checks after 0.12.2).
 *
 * Returns 0, or -1 if the attempt could not even be started (logged).
 */
static int
conn_prime(struct conn *c)
{
	uint64_t	deadline;
	int		rc = -1;

	log_strophe_quiet(1);		/* its failure is the point */
	if (xmpp_connect_client(c->xc, "127.0.0.1", 1, conn_prime_event,
	    c) != XMPP_EOK) {
		log_warnx("conn", "cannot start the priming connection");
		goto done;
	}
	deadline = conn_now() + PRIME_WAIT;
	while (!xmpp_conn_is_disconnected(c->xc)) {
		if (conn_now() >= deadline) {
			xmpp_disconnect(c->xc);
			deadline = conn_now() + PRIME_WAIT;
		}
		xmpp_run_once(c->ctx, 10);
	}
	rc = 0;
	log_debug("conn", "libstrophe primed for component mode");
done:
	log_strophe_quiet(0);
	return rc;
}

/* Schedule the next attempt and return its delay in ms. */
static unsigned long
conn_schedule_retry(struct conn *c)
{
	unsigned long	delay = c->backoff;

	c->state = CONN_IDLE;
	c->next = conn_now() + delay;
	c->backoff = delay * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay * 2;
	return delay;
}

/* Log why the stream ended or never began.  An operator should be able to
 * act on the line alone: the host answered with a stream error (wrong
 * secret, unknown domain, conflict), the socket failed, or the host closed
 * the stream.  delay is the wait before the next attempt. */
static void
conn_log_failure(const struct conn *c, int was_online, int error,
    const xmpp_stream_error_t *se, unsigned long delay)
{
	const char	*cond = "stream-error", *hint = "";
	const char	*host = c->cfg->host, *domain = c->cfg->domain;
	int		 port = c->cfg->port;
	unsigned	 secs = (unsigned)(delay / 1000);

	if (se != NULL) {
		if ((unsigned)se->type <
		    sizeof(conn_conditions) / sizeof(conn_conditions[0]))
			cond = conn_conditions[se->type];
		switch (se->type) {
		case XMPP_SE_NOT_AUTHORIZED:
			hint = " (wrong secret?)";
			break;
		case XMPP_SE_HOST_UNKNOWN:
			hint = " (is the domain a component on the host?)";
			break;
		case XMPP_SE_CONFLICT:
			hint = " (another component is connected as this "
			    "domain)";
			break;
		default:
			break;
		}
		log_warnx("conn", "%s:%d %s %s: %s%s%s%s%s; retrying in %u s",
		    host, port, was_online ? "closed the stream of" :
		    "refused the handshake of", domain, cond,
		    se->text != NULL ? " \"" : "",
		    se->text != NULL ? se->text : "",
		    se->text != NULL ? "\"" : "", hint, secs);
	} else if (error != 0)
		log_warnx("conn", "%s %s:%d: %s; retrying in %u s",
		    was_online ? "lost the connection to" : "cannot connect to",
		    host, port, strerror(error), secs);
	else if (was_online)
		log_warnx("conn", "%s:%d closed the connection; retrying in "
		    "%u s", host, port, secs);
	else
		log_warnx("conn", "cannot connect to %s:%d: refused or closed "
		    "before the handshake; retrying in %u s", host, port, secs);
}

/* The handshake succeeded: one info line, saying for a reconnect how long
 * the stream was down and how many attempts failed meanwhile. */
static void
conn_log_online(struct conn *c)
{
	char			 port[8], down[32], failed[16];
	struct log_field	 f[] = {
		{ "event", c->was_up ? "reconnected" : "connected" },
		{ "host", c->cfg->host }, { "port", port },
		{ "domain", c->cfg->domain },
		{ "offline_seconds", down }, { "failed_attempts", failed },
	};

	snprintf(port, sizeof(port), "%d", c->cfg->port);
	snprintf(down, sizeof(down), "%llu", c->was_up ?
	    (unsigned long long)((conn_now() - c->lost) / 1000) : 0ULL);
	snprintf(failed, sizeof(failed), "%u", c->failures);
	metrics_connection(1);
	if (c->was_up)
		log_event(MUC_LOG_INFO, "conn", f, 6, "connected to %s:%d as "
		    "%s again, after %s s offline and %u failed attempt%s",
		    c->cfg->host, c->cfg->port, c->cfg->domain, down,
		    c->failures, c->failures == 1 ? "" : "s");
	else
		log_event(MUC_LOG_INFO, "conn", f, 4, "connected to %s:%d as "
		    "%s", c->cfg->host, c->cfg->port, c->cfg->domain);
	c->was_up = 1;
	c->failures = 0;
}

/* libstrophe's verdict on the connection.  Records it and logs it; the
 * next attempt is left to conn_poll(). */
static void
conn_event(xmpp_conn_t *xc, xmpp_conn_event_t event, int error,
    xmpp_stream_error_t *se, void *ud)
{
	struct conn	*c = ud;
	int		 was_online = c->state == CONN_ONLINE;

	(void)xc;
	switch (event) {
	case XMPP_CONN_CONNECT:
		c->state = CONN_ONLINE;
		c->backoff = BACKOFF_MIN;
		conn_log_online(c);
		return;
	case XMPP_CONN_RAW_CONNECT:	/* only for xmpp_connect_raw() */
		return;
	case XMPP_CONN_DISCONNECT:
	case XMPP_CONN_FAIL:
		break;
	}
	metrics_connection(0);
	if (was_online)
		c->lost = conn_now();
	else
		c->failures++;
	if (c->state == CONN_CLOSING || c->state == CONN_CLOSED) {
		c->state = CONN_CLOSED;
		log_info("conn", "disconnected from %s:%d", c->cfg->host,
		    c->cfg->port);
		return;
	}
	conn_log_failure(c, was_online, error, se, conn_schedule_retry(c));
}

struct conn *
conn_new(xmpp_ctx_t *ctx, const struct config *cfg)
{
	struct conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("conn", "cannot allocate the connection");
		return NULL;
	}
	c->ctx = ctx;
	c->cfg = cfg;
	c->state = CONN_IDLE;
	c->backoff = BACKOFF_MIN;
	c->next = 0;			/* first attempt at once */
	if ((c->xc = xmpp_conn_new(ctx)) == NULL) {
		log_warnx("conn", "cannot allocate the libstrophe connection");
		goto fail;
	}
	/* For a component, the JID is the domain and the password the
	 * handshake secret. */
	xmpp_conn_set_jid(c->xc, cfg->domain);
	xmpp_conn_set_pass(c->xc, cfg->secret);
	xmpp_conn_set_sockopt_callback(c->xc, xmpp_sockopt_cb_keepalive);
	if (conn_prime(c) != 0)
		goto fail;
	return c;
fail:
	if (c->xc != NULL)
		xmpp_conn_release(c->xc);
	free(c);
	return NULL;
}

void
conn_set_handler(struct conn *c, xmpp_handler fn, void *ud)
{
	/* No namespace, name or type: every stanza.  libstrophe keeps it
	 * across reconnects of this connection object. */
	xmpp_handler_add(c->xc, fn, NULL, NULL, NULL, ud);
}

/* Why xmpp_connect_component() could not even start: it does not say,
 * and an unresolvable host is the likely cause, so ask the resolver. */
static const char *
conn_start_failure(const struct conn *c)
{
	struct addrinfo	 hints, *res = NULL;
	int		 gai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(c->cfg->host, NULL, &hints, &res)) != 0)
		return gai_strerror(gai);
	freeaddrinfo(res);
	return "no socket (see the strophe lines at debug level)";
}

/* Start one attempt.  A failure to even start counts as a failed
 * attempt. */
static void
conn_start(struct conn *c)
{
	log_debug("conn", "connecting to %s:%d as %s", c->cfg->host,
	    c->cfg->port, c->cfg->domain);
	c->state = CONN_CONNECTING;
	if (xmpp_connect_component(c->xc, c->cfg->host,
	    (unsigned short)c->cfg->port, conn_event, c) != XMPP_EOK) {
		c->state = CONN_IDLE;
		c->failures++;
		log_warnx("conn", "cannot connect to %s:%d: %s; retrying in "
		    "%lu s", c->cfg->host, c->cfg->port, conn_start_failure(c),
		    conn_schedule_retry(c) / 1000);
	}
}

unsigned long
conn_poll(struct conn *c)
{
	uint64_t	now;

	if (c->state != CONN_IDLE)
		return POLL_MAX;
	now = conn_now();
	if (now >= c->next) {
		conn_start(c);
		return POLL_MAX;
	}
	return c->next - now < POLL_MAX ? (unsigned long)(c->next - now) :
	    POLL_MAX;
}

int
conn_is_online(const struct conn *c)
{
	return c->state == CONN_ONLINE;
}

void
conn_send(struct conn *c, const char *text, size_t len)
{
	if (c->state != CONN_ONLINE) {
		log_debug("conn", "offline: dropped %zu bytes", len);
		return;
	}
	xmpp_send_raw(c->xc, text, len);
}

void
conn_close(struct conn *c)
{
	uint64_t	deadline;

	if (c->state == CONN_CLOSED)
		return;
	if (c->state == CONN_IDLE) {
		c->state = CONN_CLOSED;
		return;
	}
	c->state = CONN_CLOSING;
	xmpp_disconnect(c->xc);
	deadline = conn_now() + CLOSE_WAIT;
	while (!xmpp_conn_is_disconnected(c->xc) && conn_now() < deadline)
		xmpp_run_once(c->ctx, 50);
	c->state = CONN_CLOSED;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	conn_close(c);
	xmpp_conn_release(c->xc);
	free(c);
}
