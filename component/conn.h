/*
 * conn.h - the XEP-0114 connection to the XMPP server, kept up forever.
 *
 * One struct conn owns the streams to the host for the life of the daemon:
 * one by default, or the `connections` setting's number, each with its own
 * libstrophe connection object.  The main loop calls conn_run_once() for
 * every turn: it starts a connection attempt when one is due, so
 * reconnecting never happens inside a libstrophe callback, writes what
 * conn_send() queued, and lets libstrophe read every stream.  Failures are
 * logged and retried with a capped exponential backoff.
 */
#ifndef MUCD_CONN_H
#define MUCD_CONN_H

#include <stddef.h>

#include <strophe.h>

struct config;
struct conn;

/* Create the connection for cfg (which must outlive it) in ctx, with
 * cfg->connections streams (1 to 16), each primed against libstrophe's
 * component-mode crash (see conn_prime() in conn.c).
 * No network traffic to the host yet: the first conn_poll() starts it.
 * Returns NULL on failure, logged. */
struct conn	*conn_new(xmpp_ctx_t *ctx, const struct config *cfg);
/* Close (if still open) and free. */
void		 conn_free(struct conn *c);
/* Deliver every stanza received on any stream to fn(xc, stanza, ud); see
 * xmpp_handler.  Set once, before the first conn_run_once(). */
void		 conn_set_handler(struct conn *c, xmpp_handler fn, void *ud);
/* One turn of the main loop: start a connection attempt if one is due,
 * write what is queued for the host, wait (at most a second) for the host
 * to send or the socket to drain, and let libstrophe read and run its
 * handlers and timers.  A stanza queued by a handler is written on the
 * next turn, without waiting.  While more than max_queued_bytes wait for
 * the sockets, a turn only writes (nothing is read, no timer or turn
 * hook runs) until half of them are taken; after a second in which no
 * byte was taken, one turn reads, so that a host waiting for mucd to
 * read is not left waiting. */
void		 conn_run_once(struct conn *c);
/* How many times the first stream has connected: a change tells that
 * the host may be another one now (restarted, reconfigured). */
unsigned	 conn_generation(const struct conn *c);
/* Bytes queued by conn_send() that no socket has taken yet. */
size_t		 conn_pending_bytes(const struct conn *c);
/* Someone freed a large block: give memory back to the system soon. */
void		 conn_memory_freed(struct conn *c);
/* Call fn(ud) at the end of every conn_run_once(), after libstrophe's
 * handlers ran: for work that waits on what they received. */
void		 conn_set_turn_hook(struct conn *c, void (*fn)(void *),
		    void *ud);
/* 1 while at least one stream is up (its handshake succeeded). */
int		 conn_is_online(const struct conn *c);
/* Queue len bytes of serialised XML, one stanza addressed to `to`, for
 * the host.  All stanzas to one `to` take one stream (chosen by a hash of
 * `to` among the streams that are up), so they reach the host in the
 * order they were queued; they are written by the next conn_run_once() or
 * conn_close().  Dropped, with a debug line, when no stream is up: the
 * host does not queue for components either. */
void		 conn_send(struct conn *c, const char *to, const char *text,
		    size_t len);
/* Write what is queued, close the stream cleanly (</stream:stream>, wait
 * up to a few seconds for the host's close) and stop reconnecting. */
void		 conn_close(struct conn *c);

#endif /* MUCD_CONN_H */
