/*
 * conn.h - the XEP-0114 connection to the XMPP server, kept up forever.
 *
 * One struct conn owns one libstrophe connection object for the life of the
 * daemon.  The main loop calls conn_poll() on every turn: it starts a
 * connection attempt when one is due, so reconnecting never happens inside a
 * libstrophe callback.  Failures are logged and retried with a capped
 * exponential backoff.
 */
#ifndef MUCD_CONN_H
#define MUCD_CONN_H

#include <stddef.h>

#include <strophe.h>

struct config;
struct conn;

/* Create the connection for cfg (which must outlive it) in ctx, primed
 * against libstrophe's component-mode crash (see conn_prime() in conn.c).
 * No network traffic to the host yet: the first conn_poll() starts it.
 * Returns NULL on failure, logged. */
struct conn	*conn_new(xmpp_ctx_t *ctx, const struct config *cfg);
/* Close (if still open) and free. */
void		 conn_free(struct conn *c);
/* Deliver every stanza received to fn(xc, stanza, ud); see xmpp_handler.
 * Set once, before the first conn_poll(). */
void		 conn_set_handler(struct conn *c, xmpp_handler fn, void *ud);
/* Start a connection attempt if none is running and the backoff delay is
 * over.  Returns how many milliseconds the caller may wait before calling
 * again (at most 1000). */
unsigned long	 conn_poll(struct conn *c);
/* 1 once the handshake succeeded, until the stream is lost. */
int		 conn_is_online(const struct conn *c);
/* Queue len bytes of serialised XML for the host.  Dropped, with a debug
 * line, when offline: the host does not queue for components either. */
void		 conn_send(struct conn *c, const char *text, size_t len);
/* Close the stream cleanly (</stream:stream>, wait up to a few seconds for
 * the host's close) and stop reconnecting. */
void		 conn_close(struct conn *c);

#endif /* MUCD_CONN_H */
