/*
 * conn.c - the XEP-0114 connections: handshake, failures, reconnect, and
 * the write path to the host.
 *
 * mucd may hold several streams to the host for its one domain
 * (connections = K): ejabberd accepts that, routes what it sends to the
 * domain over all of them, and parses each in its own process, so the
 * host's work on mucd's copies spreads over its cores.  Every stream is
 * read; each copy is written to the stream chosen by a hash of its
 * recipient, so one recipient's stanzas all take one stream and stay in
 * order.  Stream 1 is connected first and the others only once it is
 * up; when the host refuses a second stream for the domain with a
 * conflict (Prosody allows one), mucd says so once and goes on with one.
 *
 * The component connects to the host's component listener, proves it knows
 * the shared secret (libstrophe does the <handshake/>), and then exchanges
 * stanzas until the stream ends.  When it ends for any reason other than
 * conn_close(), the next attempt is scheduled BACKOFF_MIN later, doubling up
 * to BACKOFF_MAX, and the delay starts over after a successful handshake.
 * Attempts are started by conn_run_once() from the main loop: libstrophe's
 * callbacks only record what happened.
 *
 * The same xmpp_conn_t serves every attempt of a stream (libstrophe allows reconnecting
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
 * conn_send() appends to a buffer of a stream, conn_run_once() writes
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
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "conn.h"
#include "log.h"
#include "metrics.h"

#define BACKOFF_MIN	1000UL		/* ms before the first retry */
#define BACKOFF_MAX	60000UL		/* cap of the doubling */
#define POLL_MAX	1000UL		/* longest wait of one loop turn */
#define CLOSE_WAIT	800UL		/* ms for the last bytes and </stream>:
				 * SIGTERM is honoured within a second */
#define PRIME_WAIT	5000UL		/* ms the priming connection may take */
#define OUT_MIN		65536		/* first size of a stream's buffer */
#define OUT_KEEP	(1UL << 20)	/* an empty buffer above this is freed */
#define PAUSE_MAX	1000UL		/* ms paused without a byte written */
#define TRIM_EVERY	1000UL		/* ms between two malloc_trim() */
#define STREAMS_MAX	16		/* the connections setting's bound */

enum conn_state {
	CONN_IDLE,		/* disconnected; next attempt at s->next */
	CONN_CONNECTING,	/* attempt started, no verdict yet */
	CONN_ONLINE,		/* handshake accepted */
	CONN_CLOSING,		/* conn_close() waits for the stream end */
	CONN_CLOSED,		/* closed for good, or not used */
};

/* Bytes for the host that the socket has not taken yet. */
struct outbuf {
	char	*data;
	size_t	 off, len, cap;		/* data[off..len) is pending */
};

/* One stream to the host. */
struct stream {
	struct conn		*c;
	xmpp_conn_t		*xc;
	size_t			 index;		/* 0 is connected first */
	enum conn_state		 state;
	unsigned long		 backoff;	/* delay after the next failure */
	uint64_t		 next;		/* monotonic ms of next attempt */
	int			 fd;		/* libstrophe's socket, or -1 */
	struct outbuf		 out;
	unsigned		 failures;	/* failed attempts since online */
	uint64_t		 lost;		/* monotonic ms the stream ended */
	int			 was_up;	/* online at least once */
};

struct conn {
	xmpp_ctx_t		*ctx;
	const struct config	*cfg;
	struct stream		 s[STREAMS_MAX];
	size_t			 ns;		/* streams in use */
	unsigned		 generation;	/* connects of stream 1 */
	void			(*turn)(void *);	/* end of each turn */
	void			*turn_ud;
	uint64_t		 progress;	/* paused: ms of the last write */
	uint64_t		 trimmed;	/* ms of the last malloc_trim() */
	int			 paused;	/* not reading: queue over cap */
	int			 trim_due;	/* a large buffer was freed */
	struct metric		*m_queued, *m_pauses;
};

/* The streams whose sockets conn_sockopt() may be told about: the
 * callback gets the xmpp_conn_t only. */
static struct stream	*conn_registry[STREAMS_MAX * 2];
#define NREGISTRY	(sizeof(conn_registry) / sizeof(conn_registry[0]))

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

	for (i = 0; i < NREGISTRY; i++)
		if (conn_registry[i] != NULL && conn_registry[i]->xc == xc)
			conn_registry[i]->fd = fd;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
		log_warn("conn", "TCP_NODELAY");
	return xmpp_sockopt_cb_keepalive(xc, sock);
}

static void
conn_register(struct stream *s, int on)
{
	size_t	i;

	for (i = 0; i < NREGISTRY; i++)
		if (on ? conn_registry[i] == NULL : conn_registry[i] == s) {
			conn_registry[i] = on ? s : NULL;
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
conn_prime(struct stream *s)
{
	uint64_t	deadline;
	int		rc = -1;

	log_strophe_quiet(1);		/* its failure is the point */
	if (xmpp_connect_client(s->xc, "127.0.0.1", 1, conn_prime_event,
	    s) != XMPP_EOK) {
		log_warnx("conn", "cannot start the priming connection");
		goto done;
	}
	deadline = conn_now() + PRIME_WAIT;
	while (!xmpp_conn_is_disconnected(s->xc)) {
		if (conn_now() >= deadline) {
			xmpp_disconnect(s->xc);
			deadline = conn_now() + PRIME_WAIT;
		}
		xmpp_run_once(s->c->ctx, 10);
	}
	rc = 0;
	log_debug("conn", "libstrophe primed for component mode");
done:
	log_strophe_quiet(0);
	return rc;
}

/* Schedule the next attempt and return its delay in ms. */
static unsigned long
conn_schedule_retry(struct stream *s)
{
	unsigned long	delay = s->backoff;

	s->state = CONN_IDLE;
	s->next = conn_now() + delay;
	s->backoff = delay * 2 > BACKOFF_MAX ? BACKOFF_MAX : delay * 2;
	return delay;
}

/* " (connection 2 of 4)" when there are several, else "". */
static const char *
conn_which(const struct stream *s)
{
	static char	buf[64];

	if (s->c->ns <= 1)
		return "";
	snprintf(buf, sizeof(buf), " (connection %zu of %zu)", s->index + 1,
	    s->c->ns);
	return buf;
}

/* Log why the stream ended or never began.  An operator should be able to
 * act on the line alone: the host answered with a stream error (wrong
 * secret, unknown domain, conflict), the socket failed, or the host closed
 * the stream.  delay is the wait before the next attempt. */
static void
conn_log_failure(const struct stream *s, int was_online, int error,
    const xmpp_stream_error_t *se, unsigned long delay)
{
	const char	*cond = "stream-error", *hint = "";
	const char	*host = s->c->cfg->host, *domain = s->c->cfg->domain;
	const char	*which = conn_which(s);
	int		 port = s->c->cfg->port;
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
		log_warnx("conn", "%s:%d %s %s%s: %s%s%s%s%s; retrying in "
		    "%u s", host, port, was_online ? "closed the stream of" :
		    "refused the handshake of", domain, which, cond,
		    se->text != NULL ? " \"" : "",
		    se->text != NULL ? se->text : "",
		    se->text != NULL ? "\"" : "", hint, secs);
	} else if (error != 0)
		log_warnx("conn", "%s %s:%d%s: %s; retrying in %u s",
		    was_online ? "lost the connection to" : "cannot connect to",
		    host, port, which, strerror(error), secs);
	else if (was_online)
		log_warnx("conn", "%s:%d closed the connection%s; retrying in "
		    "%u s", host, port, which, secs);
	else
		log_warnx("conn", "cannot connect to %s:%d%s: refused or closed "
		    "before the handshake; retrying in %u s", host, port, which,
		    secs);
}

/* A second stream refused with a conflict while the first is up: the
 * host allows one connection per component domain.  Give the extra
 * streams up for good.  Returns 1 if that was the case. */
static int
conn_refused_extra(struct stream *s, const xmpp_stream_error_t *se)
{
	struct conn	*c = s->c;
	size_t		 i, had = c->ns;

	if (s->index == 0 || se == NULL || se->type != XMPP_SE_CONFLICT ||
	    c->s[0].state != CONN_ONLINE)
		return 0;
	c->ns = 1;
	for (i = 1; i < had; i++)
		if (c->s[i].state != CONN_IDLE && c->s[i].xc != s->xc)
			xmpp_disconnect(c->s[i].xc);
	for (i = 1; i < had; i++)
		c->s[i].state = CONN_CLOSED;
	log_warnx("conn", "%s:%d refused a second connection for %s "
	    "(conflict): this host allows one per component domain "
	    "(Prosody does); going on with 1 connection instead of %zu",
	    c->cfg->host, c->cfg->port, c->cfg->domain, had);
	return 1;
}

/* Forget what was not written: the host does not queue for a component
 * that is gone either. */
static void
conn_drop_output(struct stream *s)
{
	if (s->out.len > s->out.off)
		log_debug("conn", "offline: dropped %zu bytes",
		    s->out.len - s->out.off);
	s->out.off = s->out.len = 0;
}

/* The handshake succeeded: one info line, saying for a reconnect how long
 * the stream was down and how many attempts failed meanwhile. */
static void
conn_log_online(struct stream *s)
{
	const struct config	*cfg = s->c->cfg;
	const char		*which = conn_which(s);
	char			 port[8], down[32], failed[16];
	struct log_field	 f[] = {
		{ "event", s->was_up ? "reconnected" : "connected" },
		{ "host", cfg->host }, { "port", port },
		{ "domain", cfg->domain },
		{ "offline_seconds", down }, { "failed_attempts", failed },
	};

	snprintf(port, sizeof(port), "%d", cfg->port);
	snprintf(down, sizeof(down), "%llu", s->was_up ?
	    (unsigned long long)((conn_now() - s->lost) / 1000) : 0ULL);
	snprintf(failed, sizeof(failed), "%u", s->failures);
	if (s->index == 0)
		metrics_connection(1);
	if (s->was_up)
		log_event(MUC_LOG_INFO, "conn", f, 6, "connected to %s:%d as "
		    "%s%s again, after %s s offline and %u failed attempt%s",
		    cfg->host, cfg->port, cfg->domain, which, down,
		    s->failures, s->failures == 1 ? "" : "s");
	else
		log_event(MUC_LOG_INFO, "conn", f, 4, "connected to %s:%d as "
		    "%s%s", cfg->host, cfg->port, cfg->domain, which);
	s->was_up = 1;
	s->failures = 0;
}

/* libstrophe's verdict on the connection.  Records it and logs it; the
 * next attempt is left to conn_run_once(). */
static void
conn_event(xmpp_conn_t *xc, xmpp_conn_event_t event, int error,
    xmpp_stream_error_t *se, void *ud)
{
	struct stream		*s = ud;
	const struct config	*cfg = s->c->cfg;
	int			 was_online = s->state == CONN_ONLINE;

	(void)xc;
	switch (event) {
	case XMPP_CONN_CONNECT:
		s->state = CONN_ONLINE;
		s->backoff = BACKOFF_MIN;
		if (s->index == 0)
			s->c->generation++;
		conn_log_online(s);
		return;
	case XMPP_CONN_RAW_CONNECT:	/* only for xmpp_connect_raw() */
		return;
	case XMPP_CONN_DISCONNECT:
	case XMPP_CONN_FAIL:
		break;
	}
	if (s->index == 0)
		metrics_connection(0);
	if (was_online)
		s->lost = conn_now();
	else
		s->failures++;
	conn_drop_output(s);
	s->fd = -1;
	if (s->state == CONN_CLOSING || s->state == CONN_CLOSED) {
		/* An extra stream given up by conn_refused_extra() was
		 * explained there already. */
		if (s->index >= s->c->ns && s->index > 0)
			log_debug("conn", "extra connection %zu closed",
			    s->index + 1);
		else
			log_info("conn", "disconnected from %s:%d%s",
			    cfg->host, cfg->port, conn_which(s));
		s->state = CONN_CLOSED;
		return;
	}
	if (!conn_refused_extra(s, se))
		conn_log_failure(s, was_online, error, se,
		    conn_schedule_retry(s));
}

/* Set up stream i of c: its libstrophe connection object, primed against
 * the component-mode crash.  Returns 0, or -1 (logged). */
static int
conn_stream_init(struct conn *c, size_t i)
{
	struct stream	*s = &c->s[i];

	s->c = c;
	s->index = i;
	s->state = CONN_IDLE;
	s->backoff = BACKOFF_MIN;
	s->next = 0;			/* first attempt at once */
	s->fd = -1;
	if ((s->xc = xmpp_conn_new(c->ctx)) == NULL) {
		log_warnx("conn", "cannot allocate the libstrophe connection");
		return -1;
	}
	conn_register(s, 1);
	/* For a component, the JID is the domain and the password the
	 * handshake secret. */
	xmpp_conn_set_jid(s->xc, c->cfg->domain);
	xmpp_conn_set_pass(s->xc, c->cfg->secret);
	xmpp_conn_set_sockopt_callback(s->xc, conn_sockopt);
	return conn_prime(s);
}

static void
conn_stream_free(struct stream *s)
{
	if (s->xc == NULL)
		return;
	conn_register(s, 0);
	xmpp_conn_release(s->xc);
	free(s->out.data);
	memset(s, 0, sizeof(*s));
}

struct conn *
conn_new(xmpp_ctx_t *ctx, const struct config *cfg)
{
	struct conn	*c;
	size_t		 i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("conn", "cannot allocate the connection");
		return NULL;
	}
	c->ctx = ctx;
	c->cfg = cfg;
	c->ns = cfg->connections < 1 ? 1 : cfg->connections > STREAMS_MAX ?
	    STREAMS_MAX : (size_t)cfg->connections;
	for (i = 0; i < c->ns; i++)
		if (conn_stream_init(c, i) != 0)
			goto fail;
	c->m_queued = metric_find_or_add(METRIC_GAUGE,
	    "mucd_host_queued_bytes", "Bytes written for the host that its "
	    "sockets have not taken yet.", NULL);
	c->m_pauses = metric_find_or_add(METRIC_COUNTER,
	    "mucd_host_read_pauses", "Times mucd stopped reading from the "
	    "host because more than max_queued_bytes waited to be written.",
	    NULL);
	return c;
fail:
	for (i = 0; i < c->ns; i++)
		conn_stream_free(&c->s[i]);
	free(c);
	return NULL;
}

void
conn_set_handler(struct conn *c, xmpp_handler fn, void *ud)
{
	size_t	i;

	/* No namespace, name or type: every stanza, from every stream.
	 * libstrophe keeps it across reconnects of a connection object. */
	for (i = 0; i < c->ns; i++)
		xmpp_handler_add(c->s[i].xc, fn, NULL, NULL, NULL, ud);
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
conn_start(struct stream *s)
{
	const struct config	*cfg = s->c->cfg;

	log_debug("conn", "connecting to %s:%d as %s%s", cfg->host, cfg->port,
	    cfg->domain, conn_which(s));
	s->state = CONN_CONNECTING;
	if (xmpp_connect_component(s->xc, cfg->host,
	    (unsigned short)cfg->port, conn_event, s) != XMPP_EOK) {
		s->state = CONN_IDLE;
		s->failures++;
		log_warnx("conn", "cannot connect to %s:%d: %s; retrying in "
		    "%lu s", cfg->host, cfg->port, conn_start_failure(s->c),
		    conn_schedule_retry(s) / 1000);
	}
}

/* Start an attempt for s if none is running and the backoff delay is
 * over; the extra streams wait until the first is up, so that a host
 * allowing one connection refuses an extra one, not the first.  Returns
 * how many milliseconds the loop may wait before it must look again (at
 * most POLL_MAX). */
static unsigned long
conn_poll(struct stream *s)
{
	uint64_t	now;

	if (s->state != CONN_IDLE ||
	    (s->index > 0 && s->c->s[0].state != CONN_ONLINE))
		return POLL_MAX;
	now = conn_now();
	if (now >= s->next) {
		conn_start(s);
		return POLL_MAX;
	}
	return s->next - now < POLL_MAX ? (unsigned long)(s->next - now) :
	    POLL_MAX;
}

unsigned
conn_generation(const struct conn *c)
{
	return c->generation;
}

size_t
conn_pending_bytes(const struct conn *c)
{
	size_t	i, n = 0;

	for (i = 0; i < c->ns; i++)
		n += c->s[i].out.len - c->s[i].out.off;
	return n;
}

void
conn_set_turn_hook(struct conn *c, void (*fn)(void *), void *ud)
{
	c->turn = fn;
	c->turn_ud = ud;
}

int
conn_is_online(const struct conn *c)
{
	size_t	i;

	for (i = 0; i < c->ns; i++)
		if (c->s[i].state == CONN_ONLINE)
			return 1;
	return 0;
}

/* May mucd write to the socket itself now?  Only between the handshake
 * and the end of the stream, and never while libstrophe has bytes of its
 * own queued. */
static int
conn_writable(const struct stream *s)
{
	return s->state == CONN_ONLINE && s->fd >= 0 &&
	    xmpp_conn_send_queue_len(s->xc) == 0;
}

/* FNV-1a: a recipient's stream must not change while the set of online
 * streams does not. */
static uint32_t
conn_hash(const char *key)
{
	uint32_t	h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* The stream for recipient key: the hashed one, or the next one up when
 * it is down.  NULL when none is. */
static struct stream *
conn_route(struct conn *c, const char *key)
{
	size_t	i, first;

	first = c->ns > 1 && key != NULL ? conn_hash(key) % c->ns : 0;
	for (i = 0; i < c->ns; i++)
		if (c->s[(first + i) % c->ns].state == CONN_ONLINE)
			return &c->s[(first + i) % c->ns];
	return NULL;
}

/* Append len bytes to o.  Returns 0, or -1 when out of memory. */
static int
conn_append(struct outbuf *o, const char *text, size_t len)
{
	size_t	 cap;
	char	*grown;

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
		if ((grown = realloc(o->data, cap)) == NULL)
			return -1;
		o->data = grown;
		o->cap = cap;
	}
	memcpy(o->data + o->len, text, len);
	o->len += len;
	return 0;
}

void
conn_send(struct conn *c, const char *to, const char *text, size_t len)
{
	struct stream	*s;

	if ((s = conn_route(c, to)) == NULL) {
		log_debug("conn", "offline: dropped %zu bytes", len);
		return;
	}
	/* libstrophe logged what it sent at debug; so does mucd, without
	 * formatting anything at other levels. */
	if (log_getlevel() == MUC_LOG_DEBUG)
		log_debug("conn", "SENT%s: %.*s", conn_which(s), (int)len,
		    text);
	if (conn_append(&s->out, text, len) != 0)
		log_warnx("conn", "out of memory: %zu bytes for the host lost",
		    len);
}

/* o was written out.  A buffer a flood made large is given back, so
 * that memory returns to its level before the flood (conn_trim()). */
static void
conn_outbuf_empty(struct conn *c, struct outbuf *o)
{
	o->off = o->len = 0;
	if (o->cap > OUT_KEEP) {
		free(o->data);
		o->data = NULL;
		o->cap = 0;
		c->trim_due = 1;
	}
}

/* Write what the socket of s takes.  Returns 1 when bytes remain. */
static int
conn_flush(struct stream *s)
{
	struct outbuf	*o = &s->out;
	ssize_t		 n;

	while (o->off < o->len && conn_writable(s)) {
		n = write(s->fd, o->data + o->off, o->len - o->off);
		if (n > 0) {
			o->off += (size_t)n;
			if (s->c->paused)	/* only a pause asks */
				s->c->progress = conn_now();
		} else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else {
			/* libstrophe sees the broken stream on its next
			 * read and reports the disconnect. */
			log_warn("conn", "write to %s:%d%s", s->c->cfg->host,
			    s->c->cfg->port, conn_which(s));
			conn_drop_output(s);
			s->fd = -1;
		}
	}
	if (o->off == o->len)
		conn_outbuf_empty(s->c, o);
	return o->len > o->off && conn_writable(s);
}

/* Backpressure: with more than max_queued_bytes waiting for the host's
 * sockets, mucd stops reading from the host (whatever it reads makes
 * more to write) until half of it has drained.  Returns 1 while paused. */
static int
conn_over_cap(struct conn *c, size_t pending)
{
	size_t	cap = (size_t)c->cfg->max_queued_bytes;

	if (cap == 0)
		c->paused = 0;
	else if (!c->paused && pending > cap) {
		c->paused = 1;
		c->progress = conn_now();
		metric_add(c->m_pauses, 1);
		log_debug("conn", "%zu bytes queued for the host: not reading "
		    "until they drain", pending);
	} else if (c->paused && pending <= cap / 2)
		c->paused = 0;
	return c->paused;
}

/* Paused: wait for the sockets with bytes pending to take more, at most
 * wait ms, and write.  Nothing is read.  Returns 0 when no socket can
 * be waited for (the bytes wait on libstrophe's own queue, which only a
 * libstrophe turn writes). */
static int
conn_wait_writable(struct conn *c, int wait)
{
	struct pollfd	pfd[STREAMS_MAX];
	size_t		i, n = 0;

	for (i = 0; i < c->ns; i++)
		if (conn_writable(&c->s[i]) &&
		    c->s[i].out.len > c->s[i].out.off) {
			pfd[n].fd = c->s[i].fd;
			pfd[n++].events = POLLOUT;
		}
	if (n > 0 && poll(pfd, (nfds_t)n, wait) > 0)
		for (i = 0; i < c->ns; i++)
			conn_flush(&c->s[i]);
	return n > 0;
}

/* One turn while paused.  A host that stopped reading because it waits
 * for mucd to read must not wait forever: after PAUSE_MAX without a byte
 * taken, one libstrophe turn reads (a few kilobytes), and the pause goes
 * on.  Returns 0 when the turn must be an ordinary one instead. */
static int
conn_paused_turn(struct conn *c)
{
	if (conn_now() - c->progress >= PAUSE_MAX) {
		xmpp_run_once(c->ctx, 0);
		c->progress = conn_now();
		return 1;
	}
	return conn_wait_writable(c, 100);
}

/* Give freed memory back to the system, at most once a second: glibc
 * keeps freed heap for reuse, so without this a flood's peak would stay
 * mucd's size. */
static void
conn_trim(struct conn *c)
{
	uint64_t	now;

	if (!c->trim_due || (now = conn_now()) - c->trimmed < TRIM_EVERY)
		return;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	c->trimmed = now;
	c->trim_due = 0;
}

void
conn_memory_freed(struct conn *c)
{
	c->trim_due = 1;
}

void
conn_run_once(struct conn *c)
{
	struct pollfd	pfd[STREAMS_MAX];
	unsigned long	wait = POLL_MAX, w;
	size_t		i, n = 0, pending;
	int		full = 0;

	for (i = 0; i < c->ns; i++) {
		if ((w = conn_poll(&c->s[i])) < wait)
			wait = w;
		full |= conn_flush(&c->s[i]);
	}
	metric_set(c->m_queued, (int64_t)(pending = conn_pending_bytes(c)));
	if (conn_over_cap(c, pending) && conn_paused_turn(c)) {
		conn_trim(c);
		return;		/* the backlog waits too (turn hook) */
	}
	if (!full) {
		/* Nothing waits to be written: libstrophe's wait on the
		 * sockets and its timers is the whole turn. */
		xmpp_run_once(c->ctx, wait);
		goto done;
	}
	/* A socket is full: wait until one drains or the host sends, then
	 * let libstrophe read what came (without waiting again). */
	for (i = 0; i < c->ns; i++)
		if (c->s[i].state == CONN_ONLINE && c->s[i].fd >= 0) {
			pfd[n].fd = c->s[i].fd;
			pfd[n++].events = POLLIN | (c->s[i].out.len >
			    c->s[i].out.off ? POLLOUT : 0);
		}
	if (poll(pfd, (nfds_t)n, (int)wait) > 0)
		for (i = 0; i < c->ns; i++)
			conn_flush(&c->s[i]);
	xmpp_run_once(c->ctx, 0);
done:
	conn_trim(c);
	if (c->turn != NULL)
		c->turn(c->turn_ud);
}

/* Write what is queued on s, for at most until deadline. */
static void
conn_drain(struct stream *s, uint64_t deadline)
{
	struct pollfd	pfd;

	while (conn_flush(s) && conn_now() < deadline) {
		pfd.fd = s->fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, 100);
	}
}

void
conn_close(struct conn *c)
{
	uint64_t	deadline = conn_now() + CLOSE_WAIT;
	size_t		i;
	int		waiting;

	/* What the engine sent last (332 presences at shutdown) goes out
	 * before the stream end. */
	for (i = 0; i < c->ns; i++)
		conn_drain(&c->s[i], deadline);
	for (i = 0; i < c->ns; i++) {
		if (c->s[i].state == CONN_IDLE)
			c->s[i].state = CONN_CLOSED;
		if (c->s[i].state == CONN_CLOSED)
			continue;
		c->s[i].state = CONN_CLOSING;
		xmpp_disconnect(c->s[i].xc);
	}
	do {
		waiting = 0;
		for (i = 0; i < c->ns; i++)
			waiting |= c->s[i].state == CONN_CLOSING &&
			    !xmpp_conn_is_disconnected(c->s[i].xc);
		if (waiting)
			xmpp_run_once(c->ctx, 50);
	} while (waiting && conn_now() < deadline);
	for (i = 0; i < c->ns; i++)
		c->s[i].state = CONN_CLOSED;
}

void
conn_free(struct conn *c)
{
	size_t	i;

	if (c == NULL)
		return;
	conn_close(c);
	for (i = 0; i < STREAMS_MAX; i++)
		conn_stream_free(&c->s[i]);
	free(c);
}
