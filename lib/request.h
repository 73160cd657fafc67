/*
 * request.h - one incoming stanza on its way through the engine.
 *
 * service.c parses the addressing once into a struct req and hands it to
 * the handler of the stanza's kind (join.c, message.c, owner.c, ...).  The
 * reply helpers here are the one way handlers answer.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <time.h>

#include "jid.h"
#include "room.h"

struct req {
	struct muc_service	*svc;
	xmpp_stanza_t		*in;		/* borrowed */
	struct muc_out		*out;
	const char		*kind;		/* "presence", "message", "iq" */
	const char		*type;		/* NULL when absent */
	const char		*from;		/* real JID, as sent */
	char			*from_bare;	/* prepared bare JID */
	const char		*to;		/* as sent */
	struct jid		*to_jid;	/* prepared */
	char			*room_jid;	/* name@domain, NULL for the service */
	time_t			 now;
};

/* Queue an error reply from the address the request was sent to; `by` is
 * the room when one was addressed. */
int	req_error(struct req *r, const char *type, const char *condition,
	    const char *text);
/* Queue <iq type='result'/> with payload (stolen, may be NULL). */
int	req_result(struct req *r, xmpp_stanza_t *payload);

/* Handlers, one per file. */
int	presence_handle(struct req *r);		/* join.c, leave.c, nick.c */
int	message_handle(struct req *r);		/* message.c */
int	iq_service_handle(struct req *r);	/* disco.c */
int	iq_room_handle(struct req *r);		/* service.c: by namespace */
int	disco_room_handle(struct req *r, struct room *room, xmpp_stanza_t *q);
int	owner_handle(struct req *r, struct room *room, xmpp_stanza_t *q);
int	admin_handle(struct req *r, struct room *room, xmpp_stanza_t *q);
int	register_handle(struct req *r, struct room *room, xmpp_stanza_t *q);
int	invite_handle(struct req *r, struct room *room, xmpp_stanza_t *x);
int	voice_handle(struct req *r, struct room *room, xmpp_stanza_t *x);
int	error_handle(struct req *r);		/* leave.c: ghost removal */
int	proxy_handle(struct req *r);		/* proxy.c: iqs to occupants */

#endif /* REQUEST_H */
