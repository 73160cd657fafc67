/*
 * client.c - client connections (format section 7) and their inboxes.
 *
 * Each character gets a libstrophe connection in "raw" mode: libstrophe
 * opens the TCP socket and parses stanzas, but every byte of the stream
 * negotiation is ours.  That is what lets the runner send the stream
 * header with xml:lang='en', authenticate with SASL PLAIN even when the
 * server also offers SCRAM, skip TLS and stream management, and send
 * nothing after binding.  In raw mode libstrophe installs no stanza
 * handlers of its own, so it never answers an iq on the client's behalf.
 *
 * Once bound, every top-level element from the server is converted to an
 * xnode and appended to the client's inbox.  A stream error or the end of
 * the stream is remembered as the reason later receives fail.
 *
 * libstrophe reports xml:lang as an attribute named "lang" (its expat
 * parser drops attribute namespaces); received "lang" is put back in the
 * XML namespace so that an expected xml:lang matches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "client.h"

#define NS_STREAMS	"http://etherx.jabber.org/streams"
#define NS_SASL		"urn:ietf:params:xml:ns:xmpp-sasl"
#define NS_BIND		"urn:ietf:params:xml:ns:xmpp-bind"
#define NS_SESSION	"urn:ietf:params:xml:ns:xmpp-session"
#define NS_STANZAS	"urn:ietf:params:xml:ns:xmpp-stanzas"
#define BIND_ID		"scansion-bind"
#define SESSION_ID	"scansion-session"
#define CLOSE_WAIT	1.0	/* seconds to wait for the server's </stream> */

/* Positions in the connect sequence of format section 7. */
enum step {
	STEP_TCP,		/* 1: waiting for the TCP connection */
	STEP_STREAM,		/* 2: header sent, waiting for the server's */
	STEP_FEATURES,		/* 3: waiting for pre-auth features */
	STEP_SASL,		/* 3: PLAIN sent, waiting for success */
	STEP_RESTART,		/* 4: new header sent */
	STEP_FEATURES2,		/* 4: waiting for post-auth features */
	STEP_BIND,		/* 5: bind sent */
	STEP_SESSION,		/* 6: session sent */
	STEP_DONE,		/* 7 */
	STEP_FAILED		/* closed_reason says why */
};

/* Seconds on a monotonic clock. */
double
client_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Let libstrophe do one round of I/O on every connection, waiting at most
 * seconds for something to happen.  Received stanzas land in inboxes. */
void
client_pump(xmpp_ctx_t *ctx, double seconds)
{
	unsigned long	 ms = seconds > 0 ? (unsigned long)(seconds * 1000) : 0;

	xmpp_run_once(ctx, ms);
}

/* Set the reason c's stream ended, unless one is already known (the first
 * reason, e.g. a stream error, is the informative one). */
static void
set_closed_reason(struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_closed_reason(struct client *c, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	if (c->closed_reason != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->closed_reason = strdup(msg);	/* NULL: reported generically */
}

/* Abandon the connect sequence with a reason. */
static void
connect_failed(struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
connect_failed(struct client *c, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_closed_reason(c, "%s", msg);
	c->step = STEP_FAILED;
}

/* Copy a libstrophe element (and its subtree) into a new xnode, or NULL
 * when out of memory.  parent_ns is used when the element has none.
 * "lang" becomes xml:lang, xmlns declarations and whitespace-only text
 * are dropped. */
struct xnode *
client_stanza_to_xnode(xmpp_stanza_t *st, const char *parent_ns)
{
	struct xnode	*e, *kid;
	xmpp_stanza_t	*k;
	const char	**attrs = NULL, *ns, *name;
	int		 n, i;

	ns = xmpp_stanza_get_ns(st);
	if ((e = xnode_new_element(ns != NULL ? ns : parent_ns,
	    xmpp_stanza_get_name(st))) == NULL)
		return NULL;
	n = xmpp_stanza_get_attribute_count(st);
	if (n > 0 && (attrs = calloc((size_t)n * 2, sizeof(*attrs))) == NULL)
		goto fail;
	n = n > 0 ? xmpp_stanza_get_attributes(st, attrs, n * 2) : 0;
	for (i = 0; i + 1 < n; i += 2) {
		name = attrs[i];
		if (strcmp(name, "xmlns") == 0 || strncmp(name, "xmlns:", 6) == 0)
			continue;	/* declarations are not attributes */
		if (xnode_add_attr(e, strcmp(name, "lang") == 0 ?
		    XNODE_NS_XML : NULL, name, attrs[i + 1]) < 0)
			goto fail;
	}
	for (k = xmpp_stanza_get_children(st); k != NULL;
	    k = xmpp_stanza_get_next(k)) {
		if (xmpp_stanza_is_tag(k))
			kid = client_stanza_to_xnode(k, e->ns);
		else if (xmpp_stanza_is_text(k) &&
		    xmpp_stanza_get_text_ptr(k) != NULL &&
		    !xnode_is_blank(xmpp_stanza_get_text_ptr(k)))
			kid = xnode_new_text(xmpp_stanza_get_text_ptr(k));
		else
			continue;
		if (kid == NULL || xnode_add_kid(e, kid) < 0)
			goto fail;
	}
	free(attrs);
	return e;
fail:
	free(attrs);
	xnode_free(e);
	return NULL;
}

/* Append a copy of st to c's inbox. */
static void
inbox_push(struct client *c, xmpp_stanza_t *st)
{
	struct inbox_item	*item;
	struct xnode		*x;
	char			*text;

	if ((x = client_stanza_to_xnode(st, XNODE_NS_CLIENT)) == NULL ||
	    (item = calloc(1, sizeof(*item))) == NULL) {
		xnode_free(x);
		c->enomem = 1;
		return;
	}
	if (c->verbose && (text = xnode_serialize(x, 0, NULL)) != NULL) {
		fprintf(stderr, "    RECV %s: %s\n", c->name, text);
		free(text);
	}
	item->stanza = x;
	if (c->tail != NULL)
		c->tail->next = item;
	else
		c->head = item;
	c->tail = item;
	c->ninbox++;
}

/* Remove and return the oldest stanza of c's inbox (the caller frees it),
 * or NULL when the inbox is empty. */
struct xnode *
client_inbox_pop(struct client *c)
{
	struct inbox_item	*item = c->head;
	struct xnode		*x;

	if (item == NULL)
		return NULL;
	c->head = item->next;
	if (c->head == NULL)
		c->tail = NULL;
	c->ninbox--;
	x = item->stanza;
	free(item);
	return x;
}

/* Forget every stanza waiting in c's inbox. */
void
client_inbox_clear(struct client *c)
{
	struct xnode	*x;

	while ((x = client_inbox_pop(c)) != NULL)
		xnode_free(x);
}

/* Write the stream header of format 7.2 (to the JID's domain, with
 * xml:lang='en').  libstrophe resets its parser for the server's new
 * stream, so this also serves as the restart after SASL. */
static int
open_stream(struct client *c)
{
	char	*domain = xmpp_jid_domain(c->ctx, c->jid);
	int	 rc;

	if (domain == NULL)
		return XMPP_EMEM;
	{
		char	*attrs[] = {
			"xmlns",	"jabber:client",
			"xmlns:stream",	NS_STREAMS,
			"to",		domain,
			"version",	"1.0",
			"xml:lang",	"en",
		};
		rc = xmpp_conn_open_stream(c->conn, attrs,
		    sizeof(attrs) / sizeof(attrs[0]));
	}
	xmpp_free(c->ctx, domain);
	return rc;
}

/* The first child of st named name in namespace ns, or NULL. */
static xmpp_stanza_t *
child(xmpp_stanza_t *st, const char *name, const char *ns)
{
	return xmpp_stanza_get_child_by_name_and_ns(st, name, ns);
}

/* The name of the first element child of st that is in namespace ns (the
 * defined condition of a SASL failure or stanza error), or "?". */
static const char *
condition(xmpp_stanza_t *st, const char *ns)
{
	xmpp_stanza_t	*k;

	for (k = st != NULL ? xmpp_stanza_get_children(st) : NULL; k != NULL;
	    k = xmpp_stanza_get_next(k))
		if (xmpp_stanza_is_tag(k) && xmpp_stanza_get_ns(k) != NULL &&
		    strcmp(xmpp_stanza_get_ns(k), ns) == 0 &&
		    strcmp(xmpp_stanza_get_name(k), "text") != 0)
			return xmpp_stanza_get_name(k);
	return "?";
}

/* Step 3: pick SASL PLAIN from the features and authenticate with the
 * JID's local part and the password, no authorization identity. */
static void
step_authenticate(struct client *c, xmpp_stanza_t *features)
{
	xmpp_stanza_t	*mechs, *m;
	struct buf	 offered, payload;
	char		*node = NULL, *text, *b64 = NULL;
	int		 plain = 0;

	buf_init(&offered);
	buf_init(&payload);
	mechs = child(features, "mechanisms", NS_SASL);
	for (m = mechs != NULL ? xmpp_stanza_get_children(mechs) : NULL;
	    m != NULL; m = xmpp_stanza_get_next(m)) {
		if (!xmpp_stanza_is_tag(m) ||
		    (text = xmpp_stanza_get_text(m)) == NULL)
			continue;
		buf_addf(&offered, " %s", text);
		plain |= strcmp(text, "PLAIN") == 0;
		xmpp_free(c->ctx, text);
	}
	if (!plain) {
		connect_failed(c, "server does not offer SASL PLAIN "
		    "(offers:%s)", offered.data != NULL ? offered.data : " none");
		goto cleanup;
	}
	if ((node = xmpp_jid_node(c->ctx, c->jid)) == NULL) {
		connect_failed(c, "jid %s has no local part to log in with",
		    c->jid);
		goto cleanup;
	}
	buf_addn(&payload, "", 1);
	buf_add(&payload, node);
	buf_addn(&payload, "", 1);
	buf_add(&payload, c->password);
	if (payload.failed || (b64 = xmpp_base64_encode(c->ctx,
	    (const unsigned char *)payload.data, payload.len)) == NULL) {
		connect_failed(c, "out of memory");
		goto cleanup;
	}
	xmpp_send_raw_string(c->conn, "<auth xmlns='%s' mechanism='PLAIN'>"
	    "%s</auth>", NS_SASL, b64);
	c->step = STEP_SASL;
cleanup:
	if (b64 != NULL)
		xmpp_free(c->ctx, b64);
	if (node != NULL)
		xmpp_free(c->ctx, node);
	buf_free(&offered);
	buf_free(&payload);
}

/* Step 5: ask for the resource (or let the server choose), and note
 * whether step 6 will be needed. */
static void
step_bind(struct client *c, xmpp_stanza_t *features)
{
	xmpp_stanza_t	*session;
	struct buf	 iq;
	char		*text;

	if (child(features, "bind", NS_BIND) == NULL) {
		connect_failed(c, "server offers no resource binding");
		return;
	}
	session = child(features, "session", NS_SESSION);
	c->session_needed = session != NULL &&
	    xmpp_stanza_get_child_by_name(session, "optional") == NULL;
	buf_init(&iq);
	buf_addf(&iq, "<iq type='set' id='%s'><bind xmlns='%s'", BIND_ID,
	    NS_BIND);
	if (c->resource != NULL) {
		buf_add(&iq, "><resource>");
		buf_add_escaped(&iq, c->resource, 0);
		buf_add(&iq, "</resource></bind></iq>");
	} else
		buf_add(&iq, "/></iq>");
	if ((text = buf_finish(&iq)) == NULL) {
		connect_failed(c, "out of memory");
		return;
	}
	xmpp_send_raw(c->conn, text, strlen(text));
	free(text);
	c->step = STEP_BIND;
}

/* Non-zero when st is <iq id='id'/>. */
static int
is_iq_reply(xmpp_stanza_t *st, const char *id)
{
	const char	*sid = xmpp_stanza_get_id(st);

	return strcmp(xmpp_stanza_get_name(st), "iq") == 0 && sid != NULL &&
	    strcmp(sid, id) == 0;
}

/* Steps 5 and 6: the replies to bind and session. */
static void
step_bound(struct client *c, xmpp_stanza_t *st)
{
	xmpp_stanza_t	*jid;
	const char	*type = xmpp_stanza_get_type(st);
	char		*text;

	if (type == NULL || strcmp(type, "result") != 0) {
		connect_failed(c, "%s failed: %s", c->step == STEP_BIND ?
		    "resource binding" : "session establishment",
		    condition(xmpp_stanza_get_child_by_name(st, "error"),
		    NS_STANZAS));
		return;
	}
	if (c->step == STEP_BIND) {
		jid = child(st, "bind", NS_BIND);
		if (jid != NULL)
			jid = xmpp_stanza_get_child_by_name(jid, "jid");
		if (jid == NULL || (text = xmpp_stanza_get_text(jid)) == NULL) {
			connect_failed(c, "bind result without a <jid/>");
			return;
		}
		free(c->full_jid);
		c->full_jid = strdup(text);
		xmpp_free(c->ctx, text);
		if (c->full_jid == NULL) {
			connect_failed(c, "out of memory");
			return;
		}
		if (c->session_needed) {
			xmpp_send_raw_string(c->conn, "<iq type='set' id='%s'>"
			    "<session xmlns='%s'/></iq>", SESSION_ID,
			    NS_SESSION);
			c->step = STEP_SESSION;
			return;
		}
	}
	c->step = STEP_DONE;
}

/* Feed a stanza received during the connect sequence to the step that
 * waits for it. */
static void
connect_stanza(struct client *c, xmpp_stanza_t *st)
{
	const char	*name = xmpp_stanza_get_name(st);
	const char	*ns = xmpp_stanza_get_ns(st);
	int		 features = strcmp(name, "features") == 0 && ns != NULL &&
			    strcmp(ns, NS_STREAMS) == 0;

	switch (c->step) {
	case STEP_FEATURES:
		if (!features)
			break;
		step_authenticate(c, st);
		return;
	case STEP_SASL:
		if (strcmp(name, "success") == 0) {
			c->step = STEP_RESTART;
			if (open_stream(c) != XMPP_EOK)
				connect_failed(c, "cannot restart the stream");
			return;
		}
		if (strcmp(name, "failure") == 0) {
			connect_failed(c, "SASL PLAIN authentication as %s "
			    "failed: %s", c->jid, condition(st, NS_SASL));
			return;
		}
		break;
	case STEP_FEATURES2:
		if (!features)
			break;
		step_bind(c, st);
		return;
	case STEP_BIND:
	case STEP_SESSION:
		if (is_iq_reply(st, c->step == STEP_BIND ? BIND_ID :
		    SESSION_ID)) {
			step_bound(c, st);
			return;
		}
		inbox_push(c, st);	/* early, but a stanza all the same */
		return;
	default:
		break;
	}
	connect_failed(c, "unexpected <%s xmlns='%s'> while connecting",
	    name, ns != NULL ? ns : "");
}

/* libstrophe stanza handler, registered for every element. */
static int
on_stanza(xmpp_conn_t *conn, xmpp_stanza_t *st, void *ud)
{
	struct client	*c = ud;
	const char	*ns = xmpp_stanza_get_ns(st);
	char		*text;

	(void)conn;
	if (strcmp(xmpp_stanza_get_name(st), "error") == 0 && ns != NULL &&
	    strcmp(ns, NS_STREAMS) == 0) {
		text = NULL;
		if (xmpp_stanza_get_child_by_name(st, "text") != NULL)
			text = xmpp_stanza_get_text(
			    xmpp_stanza_get_child_by_name(st, "text"));
		set_closed_reason(c, "stream error <%s/>%s%s%s",
		    condition(st, "urn:ietf:params:xml:ns:xmpp-streams"),
		    text != NULL ? " (" : "", text != NULL ? text : "",
		    text != NULL ? ")" : "");
		if (text != NULL)
			xmpp_free(c->ctx, text);
	}
	if (c->state == CLIENT_CONNECTING)
		connect_stanza(c, st);
	else if (c->state == CLIENT_READY)
		inbox_push(c, st);
	return 1;
}

/* libstrophe connection handler: TCP up, server stream header seen, or
 * the connection is gone. */
static void
on_conn_event(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
    xmpp_stream_error_t *se, void *ud)
{
	struct client	*c = ud;

	(void)conn;
	(void)se;	/* raw connections report stream errors as stanzas */
	switch (ev) {
	case XMPP_CONN_RAW_CONNECT:
		if (c->step == STEP_TCP) {
			c->step = STEP_STREAM;
			if (open_stream(c) != XMPP_EOK)
				connect_failed(c, "cannot open the stream");
		}
		break;
	case XMPP_CONN_CONNECT:
		if (c->step == STEP_STREAM)
			c->step = STEP_FEATURES;
		else if (c->step == STEP_RESTART)
			c->step = STEP_FEATURES2;
		break;
	case XMPP_CONN_DISCONNECT:
	case XMPP_CONN_FAIL:
		if (c->step == STEP_TCP)	/* refused reports error 0 */
			set_closed_reason(c, "no TCP connection%s%s",
			    error != 0 ? ": " : " (refused or unreachable)",
			    error != 0 ? strerror(error) : "");
		else if (error != 0)
			set_closed_reason(c, "connection lost: %s",
			    strerror(error));
		else
			set_closed_reason(c, "the server closed the stream");
		if (c->state == CLIENT_CONNECTING && c->step != STEP_DONE)
			c->step = STEP_FAILED;
		if (c->state == CLIENT_READY)
			c->state = CLIENT_CLOSED;
		break;
	}
}

/* Prepare c for character name with the given account.  Strings are
 * copied except name, which must outlive c.  The resource property
 * overrides a resource in jid.  Returns 0 or -1 (out of memory). */
int
client_init(struct client *c, xmpp_ctx_t *ctx, const char *name,
    const char *jid, const char *password, const char *resource, int verbose)
{
	char	*jres = NULL;
	int	 failed = 0;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->name = name;
	c->verbose = verbose;
	c->state = CLIENT_IDLE;
	if ((c->jid = xmpp_jid_bare(ctx, jid)) == NULL)
		failed = 1;
	if ((c->password = strdup(password != NULL ? password : "")) == NULL)
		failed = 1;
	if (resource == NULL)
		resource = jres = xmpp_jid_resource(ctx, jid);
	if (resource != NULL && (c->resource = strdup(resource)) == NULL)
		failed = 1;
	if (jres != NULL)
		xmpp_free(ctx, jres);
	if (failed) {
		client_release(c);
		return -1;
	}
	return 0;
}

/* Close c's connection object, politely if it is still open: send
 * </stream:stream>, wait up to CLOSE_WAIT for the server to close. */
static void
close_conn(struct client *c)
{
	double	 deadline = client_now() + CLOSE_WAIT;

	if (c->conn == NULL)
		return;
	if (!xmpp_conn_is_disconnected(c->conn)) {
		xmpp_disconnect(c->conn);
		while (!xmpp_conn_is_disconnected(c->conn) &&
		    client_now() < deadline)
			client_pump(c->ctx, deadline - client_now());
	}
	xmpp_conn_release(c->conn);
	c->conn = NULL;
}

/* Free everything c owns, closing its connection first. */
void
client_release(struct client *c)
{
	close_conn(c);
	client_inbox_clear(c);
	if (c->jid != NULL)
		xmpp_free(c->ctx, c->jid);
	free(c->password);
	free(c->resource);
	free(c->full_jid);
	free(c->closed_reason);
	memset(c, 0, sizeof(*c));
}

/* Run the connect sequence of format 7 against host:port, giving up after
 * timeout seconds.  Returns 0 when c is bound (c->full_jid set, state
 * READY), or -1 with the reason in why (c is back to IDLE). */
int
client_connect(struct client *c, const char *host, int port, double timeout,
    char *why, size_t whylen)
{
	double	 deadline = client_now() + timeout;
	char	*domain;
	int	 rc = -1;

	if (c->state == CLIENT_READY) {
		snprintf(why, whylen, "%s is already connected", c->name);
		return -1;
	}
	client_disconnect(c);	/* a stream the server closed: start anew */
	free(c->closed_reason);
	c->closed_reason = NULL;
	c->step = STEP_TCP;
	c->state = CLIENT_CONNECTING;

	/* 1. TCP; libstrophe wants the JID (domain) set even in raw mode. */
	if ((c->conn = xmpp_conn_new(c->ctx)) == NULL ||
	    (domain = xmpp_jid_domain(c->ctx, c->jid)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto cleanup;
	}
	xmpp_conn_set_jid(c->conn, domain);
	xmpp_free(c->ctx, domain);
	xmpp_conn_set_flags(c->conn, XMPP_CONN_FLAG_DISABLE_TLS |
	    XMPP_CONN_FLAG_DISABLE_SM);
	xmpp_handler_add(c->conn, on_stanza, NULL, NULL, NULL, c);
	if (xmpp_connect_raw(c->conn, host, (unsigned short)port,
	    on_conn_event, c) != XMPP_EOK) {
		snprintf(why, whylen, "cannot start connecting to %s:%d",
		    host, port);
		goto cleanup;
	}

	/* 2-6. Driven by the handlers above. */
	while (c->step != STEP_DONE && c->step != STEP_FAILED &&
	    client_now() < deadline)
		client_pump(c->ctx, deadline - client_now());
	if (c->step == STEP_DONE) {
		c->state = CLIENT_READY;
		rc = 0;
		goto cleanup;
	}
	if (c->step == STEP_FAILED)
		snprintf(why, whylen, "connecting %s to %s:%d failed: %s",
		    c->name, host, port, c->closed_reason != NULL ?
		    c->closed_reason : "connection closed");
	else
		snprintf(why, whylen, "connecting %s to %s:%d timed out after "
		    "%.1f s", c->name, host, port, timeout);
cleanup:
	if (rc != 0) {
		close_conn(c);
		client_inbox_clear(c);
		c->state = CLIENT_IDLE;
	}
	return rc;
}

/* Queue stanza on c's stream, serialised for sending (format 8).  libstrophe
 * writes it at the next pump.  Returns 0, or -1 with the reason in why. */
int
client_send(struct client *c, const struct xnode *stanza, char *why,
    size_t whylen)
{
	char	*text;

	if (c->state == CLIENT_CLOSED) {
		snprintf(why, whylen, "%s cannot send: %s", c->name,
		    c->closed_reason != NULL ? c->closed_reason :
		    "the stream is closed");
		return -1;
	}
	if (c->state != CLIENT_READY) {
		snprintf(why, whylen, "%s cannot send: not connected", c->name);
		return -1;
	}
	if ((text = xnode_serialize(stanza, XNODE_SEND, NULL)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (c->verbose)
		fprintf(stderr, "    SEND %s: %s\n", c->name, text);
	xmpp_send_raw(c->conn, text, strlen(text));
	free(text);
	return 0;
}

/* Close c's stream politely and forget its inbox (format 4.2).  A client
 * that is not connected is left alone.  The full JID is kept. */
void
client_disconnect(struct client *c)
{
	if (c->state == CLIENT_IDLE)
		return;
	close_conn(c);
	client_inbox_clear(c);
	free(c->closed_reason);
	c->closed_reason = NULL;
	c->state = CLIENT_IDLE;
}
