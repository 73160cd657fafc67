/*
 * request.h - one incoming stanza on its way through the engine, and the
 * two ways a handler answers it.
 *
 * service.c parses the addressing once into a struct req and routes it to
 * the handler of its kind (handlers.h).  Handlers answer with req_error()
 * and req_result() (reply.c), which sit below every handler so that calls
 * only point down: service.c -> handlers -> actions -> state -> utilities.
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
	const char		*to_resource;	/* as sent, into `to`; NULL: none */
	char			*room_jid;	/* name@domain, NULL for the service */
	time_t			 now;
};

/* Queue an error reply from the address the request was sent to; `by` is
 * the room when one was addressed, else the service.  type NULL: the
 * condition's usual one. */
int	req_error(struct req *r, const char *type, const char *condition,
	    const char *text);
/* The room addressed does not exist, or is a new room still locked for
 * the sender (10.1.1): item-not-found by the room JID, as XEP-0045 7.2.10
 * shows for a locked room, and the same for a room that does not exist,
 * so that the two cannot be told apart.  (Prosody puts the service in
 * `by`.) */
int	req_no_room(struct req *r);
/* Queue <iq type='result'/> with payload (stolen, may be NULL). */
int	req_result(struct req *r, xmpp_stanza_t *payload);
/* The same with a payload written as text (xtext.h), for answers too
 * large for a stanza tree: x is consumed, also on failure. */
struct xtext;
int	req_result_text(struct req *r, struct xtext *payload);

#endif /* REQUEST_H */
