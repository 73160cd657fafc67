/*
 * pace.h - keep the host's queues short: at most a window of copies in
 * flight.
 *
 * A join storm makes mucd produce copies far faster than a host can route
 * them (each join into a room of N is 2N copies), and neither host pushes
 * back: Prosody buffers what it cannot write yet, ejabberd queues it in
 * the mailbox of the process that writes to the recipient, until its
 * memory watchdog kills that process.  So mucd counts the copies it has
 * sent that the host has not shown to be through, and stops taking new
 * stanzas from the host while there are more than `pacing_window` of
 * them; what arrives meanwhile waits, in order per sender, in the
 * backlog (backlog.h).
 *
 * The host shows copies are through by answering: every so often mucd
 * sends, behind the copies, an XEP-0199 ping to the last copy's recipient
 * on that copy's stream; the answer (a result, or an error from a client
 * or server that does not do ping) comes back once everything queued
 * before it on that path was delivered.  Multicast batches are counted by
 * multicast.c, whose marker copies are the same kind of proof.
 */
#ifndef MUCD_PACE_H
#define MUCD_PACE_H

#include <stddef.h>

#include <strophe.h>

struct config;
struct conn;
struct pace;

/* Create the pacer for cfg (borrowed); probes go through conn.  NULL
 * when out of memory (logged). */
struct pace	*pace_new(const struct config *cfg, struct conn *conn);
void		 pace_free(struct pace *p);

/* One copy to `to` was queued on the stream for key (see conn_send()). */
void		 pace_copy(struct pace *p, const char *to, const char *key);
/* After a flush: send a probe when one is due. */
void		 pace_flushed(struct pace *p);
/* A probe's answer is handled and 1 returned; anything else 0. */
int		 pace_intercept(struct pace *p, xmpp_stanza_t *stanza);
/* Should new stanzas from the host wait?  others: copies in flight
 * that someone else counts (multicast batches). */
int		 pace_blocked(struct pace *p, size_t others);
/* Once per turn: give up on probes that took too long. */
void		 pace_poll(struct pace *p);

#endif /* MUCD_PACE_H */
