/*
 * proxy.c - iqs between occupants, through their occupant JIDs (XEP-0045
 * section 20.3, implementation notes).
 *
 * An occupant may ask another one something (a vCard for its avatar, its
 * software version, a ping) by sending an iq to room@service/nick.  The
 * room forwards the request to the target's real JID from the asker's
 * occupant JID, and the answer, which the target addresses to the asker's
 * occupant JID, back to the asker's real JID.  Neither side ever sees the
 * other's real JID, and the iq id passes through unchanged.  An error the
 * target answers with (it may not support vCards) is forwarded like any
 * answer: it says nothing about whether the target is still there.  A
 * ping an occupant sends to its own occupant JID is answered by the room
 * (XEP-0410).
 */
#include <string.h>

#include "actions.h"
#include "ns.h"

/* Forward in from `from` (an occupant) to `to` (another occupant). */
static int
proxy_forward(struct req *r, const struct occupant *from,
    const struct occupant *to)
{
	xmpp_stanza_t	*iq;

	if ((iq = xmpp_stanza_copy(r->in)) == NULL)
		return MUC_ENOMEM;
	xmpp_stanza_del_attribute(iq, "lang");
	if (xmpp_stanza_set_from(iq, from->occ_jid) != XMPP_EOK ||
	    xmpp_stanza_set_to(iq, to->jid) != XMPP_EOK) {
		xmpp_stanza_release(iq);
		return MUC_ENOMEM;
	}
	return muc_out_push(r->out, iq);
}

int
proxy_handle(struct req *r)
{
	struct room	*room;
	struct occupant	*from, *to;
	xmpp_stanza_t	*q;
	int		 rc, request;

	request = r->type != NULL && (strcmp(r->type, "get") == 0 ||
	    strcmp(r->type, "set") == 0);
	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK)
		return rc;
	from = room != NULL ? occupant_by_jid(room, r->from) : NULL;
	if (from == NULL)
		return request ? req_error(r, "cancel", "not-acceptable",
		    "Only occupants may send to occupants") : MUC_OK;
	if ((to = occupant_by_nick(room, r->to_jid->resource)) == NULL)
		return request ? req_error(r, "cancel", "item-not-found", NULL) :
		    MUC_OK;
	if (request && to == from &&
	    (q = xmpp_stanza_get_children(r->in)) != NULL &&
	    xmpp_stanza_is_tag(q) && strcmp(xmpp_stanza_get_name(q), "ping") == 0 &&
	    xmpp_stanza_get_ns(q) != NULL &&
	    strcmp(xmpp_stanza_get_ns(q), NS_PING) == 0)
		return req_result(r, NULL);	/* XEP-0410 self-ping */
	return proxy_forward(r, from, to);
}
