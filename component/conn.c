/*
 * conn.c - the XEP-0114 connection: handshake, failures, reconnect, and
 * the write path to the host.
 *
 * The component connects to the host's component listener, proves it knows
 * the shared secret (libstrophe does the <handshake/>), and then exchanges
 * stanzas until the stream ends.  When it ends for any reason other than
 * conn_close(), the next attempt is scheduled BACKOFF_MIN later, doubling up
 * to BACKOFF_MAX, and the delay starts over after a successful handshake.
 * Attempts are started by conn_run_once() from the main loop: libstrophe's
 * callbacks only record what happened.
 *
 * The same xmpp_conn_t serves every attempt (libstrophe allows reconnecting
 * a disconnected connection object, and keeps its handlers), so nothing is
 * allocated per attempt and nothing can leak across reconnects.
 *
 * Reading stays with libstrophe; writing does not.  libstrophe's
 * xmpp_send_raw() copies every stanza into a queue element of its own,
 * formats it into a debug line (whatever the log level), and writes each
 * element with its own write(2): for a fan-out to N occupants that is N
 * allocations, N formatted copies and N system calls, and with Nagle's
 * algorithm on, the second small write of a burst waits for the host's
 * delayed ACK (40 ms on Linux).  So once the handshake is accepted,
 * conn_send() appends to a buffer of the stream, conn_run_once() writes
 * the buffer to the socket in as few write(2) calls as the kernel takes,
 * as soon as the stanza's outbox has been rendered, and the socket has
 * TCP_NODELAY.  The socket comes from libstrophe's sockopt callback, the
 * one place libstrophe hands it out; a component stream has no TLS, so the
 * bytes on the socket are the stream.  libstrophe's own queue (stream
 * header, handshake, </stream:stream>) is always empty while mucd writes,
 * so the two never interleave.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "conn.h"
#include "log.h"

#define BACKOFF_MIN	1000UL		/* ms before the first retry */
#define BACKOFF_MAX	60000UL		/* cap of the doubling */
#define POLL_MAX	1000UL		/* longest wait of one loop turn */
#define CLOSE_WAIT	3000UL		/* ms to wait for the host's </stream> */
#define PRIME_WAIT	5000UL		/* ms the priming connection may take */
#define OUT_MIN		65536		/* first size of a stream's buffer */

enum conn_state {
	CONN_IDLE,		/* disconnected; next attempt at c->next */
	CONN_CONNECTING,	/* attempt started, no verdict yet */
	CONN_ONLINE,		/* handshake accepted */
	CONN_CLOSING,		/* conn_close() waits for the stream end */
	CONN_CLOSED,		/* closed for good */
};

/* Bytes for the host that the socket has not taken yet. */
struct outbuf {
	char	*data;
	size_t	 off, len, cap;		/* data[off..len) is pending */
};

struct conn {
	xmpp_ctx_t		*ctx;
	xmpp_conn_t		*xc;
	const struct config	*cfg;
	enum conn_state		 state;
	unsigned long		 backoff;	/* delay after the next failure */
	uint64_t		 next;		/* monotonic ms of next attempt */
	int			 fd;		/* libstrophe's socket, or -1 */
	struct outbuf		 out;
};

/* The connections whose sockets conn_sockopt() may be told about: the
 * callback gets the xmpp_conn_t only. */
#define CONN_REGISTRY	8
static struct conn	*conn_registry[CONN_REGISTRY];

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

/*
 * libstrophe's sockopt callback, called for every new socket before it
 * connects.  Keeps the socket for the write path, turns Nagle off (a
 * stanza is written when it is complete; waiting for more only adds the
 * peer's delayed ACK to its latency) and keeps libstrophe's TCP keepalive.
 */
static int
conn_sockopt(xmpp_conn_t *xc, void *sock)
{
	int	fd = *(int *)sock, one = 1;
	size_t	i;

	for (i = 0; i < CONN_REGISTRY; i++)
		if (conn_registry[i] != NULL && conn_registry[i]->xc == xc)
			conn_registry[i]->fd = fd;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
		log_warn("conn", "TCP_NODELAY");
	return xmpp_sockopt_cb_keepalive(xc, sock);
}

static void
conn_register(struct conn *c, int on)
{
	size_t	i;

	for (i = 0; i < CONN_REGISTRY; i++)
		if (on ? conn_registry[i] == NULL : conn_registry[i] == c) {
			conn_registry[i] = on ? c : NULL;
			return;
		}
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

/* Forget what was not written: the host does not queue for a component
 * that is gone either. */
static void
conn_drop_output(struct conn *c)
{
	if (c->out.len > c->out.off)
		log_debug("conn", "offline: dropped %zu bytes",
		    c->out.len - c->out.off);
	c->out.off = c->out.len = 0;
}

/* libstrophe's verdict on the connection.  Records it and logs it; the
 * next attempt is left to conn_run_once(). */
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
		log_info("conn", "connected to %s:%d as %s", c->cfg->host,
		    c->cfg->port, c->cfg->domain);
		return;
	case XMPP_CONN_RAW_CONNECT:	/* only for xmpp_connect_raw() */
		return;
	case XMPP_CONN_DISCONNECT:
	case XMPP_CONN_FAIL:
		break;
	}
	conn_drop_output(c);
	c->fd = -1;
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
	c->fd = -1;
	if ((c->xc = xmpp_conn_new(ctx)) == NULL) {
		log_warnx("conn", "cannot allocate the libstrophe connection");
		goto fail;
	}
	conn_register(c, 1);
	/* For a component, the JID is the domain and the password the
	 * handshake secret. */
	xmpp_conn_set_jid(c->xc, cfg->domain);
	xmpp_conn_set_pass(c->xc, cfg->secret);
	xmpp_conn_set_sockopt_callback(c->xc, conn_sockopt);
	if (conn_prime(c) != 0)
		goto fail;
	return c;
fail:
	conn_register(c, 0);
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
		log_warnx("conn", "cannot connect to %s:%d: %s; retrying in "
		    "%lu s", c->cfg->host, c->cfg->port, conn_start_failure(c),
		    conn_schedule_retry(c) / 1000);
	}
}

/* Start a connection attempt if none is running and the backoff delay is
 * over.  Returns how many milliseconds the loop may wait before it must
 * look again (at most POLL_MAX). */
static unsigned long
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

/* May mucd write to the socket itself now?  Only between the handshake
 * and the end of the stream, and never while libstrophe has bytes of its
 * own queued. */
static int
conn_writable(const struct conn *c)
{
	return c->state == CONN_ONLINE && c->fd >= 0 &&
	    xmpp_conn_send_queue_len(c->xc) == 0;
}

void
conn_send(struct conn *c, const char *text, size_t len)
{
	struct outbuf	*o = &c->out;
	size_t		 cap;
	char		*grown;

	if (c->state != CONN_ONLINE) {
		log_debug("conn", "offline: dropped %zu bytes", len);
		return;
	}
	/* libstrophe logged what it sent at debug; so does mucd, without
	 * formatting anything at other levels. */
	if (log_getlevel() == MUC_LOG_DEBUG)
		log_debug("conn", "SENT: %.*s", (int)len, text);
	if (o->off == o->len)
		o->off = o->len = 0;
	if (o->len + len > o->cap && o->off > 0) {
		memmove(o->data, o->data + o->off, o->len - o->off);
		o->len -= o->off;
		o->off = 0;
	}
	if (o->len + len > o->cap) {
		for (cap = o->cap ? o->cap : OUT_MIN; cap < o->len + len;)
			cap *= 2;
		if ((grown = realloc(o->data, cap)) == NULL) {
			log_warnx("conn", "out of memory: %zu bytes for the "
			    "host lost", len);
			return;
		}
		o->data = grown;
		o->cap = cap;
	}
	memcpy(o->data + o->len, text, len);
	o->len += len;
}

/* Write what the socket takes.  Returns 1 when bytes remain. */
static int
conn_flush(struct conn *c)
{
	struct outbuf	*o = &c->out;
	ssize_t		 n;

	while (o->off < o->len && conn_writable(c)) {
		n = write(c->fd, o->data + o->off, o->len - o->off);
		if (n > 0)
			o->off += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else {
			/* libstrophe sees the broken stream on its next
			 * read and reports the disconnect. */
			log_warn("conn", "write to %s:%d", c->cfg->host,
			    c->cfg->port);
			conn_drop_output(c);
			c->fd = -1;
		}
	}
	if (o->off == o->len)
		o->off = o->len = 0;
	return o->len > o->off && conn_writable(c);
}

void
conn_run_once(struct conn *c)
{
	struct pollfd	pfd;
	unsigned long	wait = conn_poll(c);

	if (!conn_flush(c)) {
		/* Nothing waits to be written: libstrophe's wait on the
		 * socket and its timers is the whole turn. */
		xmpp_run_once(c->ctx, wait);
		return;
	}
	/* The socket is full: wait until it drains or the host sends,
	 * then let libstrophe read what came (without waiting again). */
	pfd.fd = c->fd;
	pfd.events = POLLIN | POLLOUT;
	if (poll(&pfd, 1, (int)wait) > 0 && (pfd.revents & POLLOUT))
		conn_flush(c);
	xmpp_run_once(c->ctx, 0);
}

void
conn_close(struct conn *c)
{
	struct pollfd	pfd;
	uint64_t	deadline;

	if (c->state == CONN_CLOSED)
		return;
	if (c->state == CONN_IDLE) {
		c->state = CONN_CLOSED;
		return;
	}
	/* What the engine sent last (332 presences at shutdown) goes out
	 * before the stream end. */
	deadline = conn_now() + CLOSE_WAIT;
	while (conn_flush(c) && conn_now() < deadline) {
		pfd.fd = c->fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, 100);
	}
	c->state = CONN_CLOSING;
	xmpp_disconnect(c->xc);
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
	conn_register(c, 0);
	xmpp_conn_release(c->xc);
	free(c->out.data);
	free(c);
}
