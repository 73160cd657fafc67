/*
 * dispatch.h - between the wire and the engine.
 *
 * Every stanza from the host goes to muc_handle(), unless it is the
 * multicast offload's or the pacer's own, or has to wait for the host to
 * drain; every second muc_tick() runs; whatever either leaves in the
 * outbox is serialised and sent, through the host's multicast service
 * where it takes it.
 */
#ifndef MUCD_DISPATCH_H
#define MUCD_DISPATCH_H

#include <strophe.h>

#include "backlog.h"
#include "muc.h"

struct conn;
struct mcast;
struct pace;

struct dispatch {
	struct muc_service	*svc;
	struct muc_out		*out;
	struct conn		*conn;
	struct mcast		*mc;
	struct pace		*pc;
	struct backlog		 backlog;	/* waiting for the window */
};

/* Wire svc, out, conn, the multicast offload mc and the pacer pc
 * together (all borrowed, they must outlive d); registers the end-of-turn
 * work with conn. */
void	dispatch_init(struct dispatch *d, struct muc_service *svc,
	    struct muc_out *out, struct conn *conn, struct mcast *mc,
	    struct pace *pc);
/* Drop the stanzas still waiting (logged), tell every occupant the
 * service is going (status 332) and send it. */
void	dispatch_shutdown(struct dispatch *d);

/* The stanza handler for conn_set_handler(); ud is a struct dispatch.
 * Returns 1 to stay registered. */
int	dispatch_stanza(xmpp_conn_t *xc, xmpp_stanza_t *stanza, void *ud);
/* The once-a-second global timed handler; ud is a struct dispatch.
 * Returns 1 to stay registered. */
int	dispatch_tick(xmpp_ctx_t *ctx, void *ud);

#endif /* MUCD_DISPATCH_H */
