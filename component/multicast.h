/*
 * multicast.h - XEP-0033 multicast offload: one stanza per broadcast
 * batch, expanded by the host's multicast service.
 *
 * When the host offers an address-expansion service (ejabberd's
 * mod_multicast), a broadcast to N occupants goes to the host as one
 * stanza per batch with an <addresses/> list instead of N stanzas, which
 * the host would each have to parse again.  mcast finds the service
 * (the `multicast` setting: auto, off, or its JID), learns its limits,
 * proves it with one probe, and then takes the broadcasts it can; what it
 * does not take, dispatch sends one copy per recipient.  See multicast.c
 * for how per-recipient order is kept and how refusals fall back.
 */
#ifndef MUCD_MULTICAST_H
#define MUCD_MULTICAST_H

#include <strophe.h>

#include "muc.h"

struct config;
struct conn;
struct mcast;

/* Create the offload for cfg (borrowed, must outlive it), sending through
 * conn.  Nothing is sent until mcast_poll() sees the connection up.
 * Returns NULL when out of memory (logged). */
struct mcast	*mcast_new(xmpp_ctx_t *ctx, const struct config *cfg,
		    struct conn *conn);
void		 mcast_free(struct mcast *mc);

/* Once per main-loop turn: (re)start discovery when the connection came
 * up again, give up waits that took too long. */
void		 mcast_poll(struct mcast *mc);

/* A stanza from the host that is the offload's own business (discovery
 * answers, a batch's marker coming back, the service refusing a batch)
 * is handled and 1 returned; anything else returns 0, for the engine. */
int		 mcast_intercept(struct mcast *mc, xmpp_stanza_t *stanza);

/* Send outbox entry i through the service if it should go that way (a
 * message or presence broadcast to enough recipients, or to a recipient
 * a batch in flight is still on its way to).  Returns 1 when it was sent
 * (or queued), 0 when the caller sends it per recipient. */
int		 mcast_send(struct mcast *mc, const struct muc_out *out,
		    size_t i);

/* Copies in batches whose marker has not come back (for pace.c). */
size_t		 mcast_inflight(const struct mcast *mc);

/* The key dispatch passes to conn_send() for copies it sends itself:
 * with the offload on, every stanza takes the service's stream, so a
 * copy cannot overtake a batch on another stream; NULL otherwise (the
 * recipient's own stream). */
const char	*mcast_stream_key(const struct mcast *mc);

#endif /* MUCD_MULTICAST_H */
