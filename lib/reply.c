/*
 * reply.c - the answers every handler sends: errors and iq results.
 *
 * Below the handlers and above nothing but the builder and the outbox, so
 * no handler ever calls back up into the dispatcher (service.c).
 */
#include <stdlib.h>

#include "build.h"
#include "request.h"
#include "stats.h"
#include "xtext.h"

int
req_error(struct req *r, const char *type, const char *condition,
    const char *text)
{
	xmpp_stanza_t	*e;

	e = muc_error_reply(r->svc->ctx, r->in, r->to, type, condition,
	    r->room_jid != NULL ? r->room_jid : r->svc->domain, text);
	stats_error(r->svc, condition);
	return muc_out_push(r->out, e);
}

int
req_no_room(struct req *r)
{
	xmpp_stanza_t	*e;

	e = muc_error_reply(r->svc->ctx, r->in, r->to, "cancel",
	    "item-not-found", r->room_jid != NULL ? r->room_jid :
	    r->svc->domain, NULL);
	stats_error(r->svc, "item-not-found");
	return muc_out_push(r->out, e);
}

int
req_result(struct req *r, xmpp_stanza_t *payload)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*iq;

	iq = b_new(&b, "iq");
	b_attr(&b, iq, "type", "result");
	b_attr(&b, iq, "id", xmpp_stanza_get_id(r->in));
	b_attr(&b, iq, "from", r->to);
	b_attr(&b, iq, "to", r->from);
	if (payload != NULL && iq != NULL &&
	    xmpp_stanza_add_child_ex(iq, payload, 0) != XMPP_EOK) {
		xmpp_stanza_release(payload);
		b.failed = 1;
	} else if (payload != NULL && iq == NULL)
		xmpp_stanza_release(payload);
	return muc_out_push(r->out, b_done(&b, iq));
}

int
req_result_text(struct req *r, struct xtext *payload)
{
	struct xtext	 iq = XTEXT_INIT;
	char		*body, *text;
	size_t		 blen, len;

	if ((body = xt_done(payload, &blen)) == NULL)
		return MUC_ENOMEM;
	xt_raw(&iq, "<iq type=\"result\"");
	xt_attr(&iq, "id", xmpp_stanza_get_id(r->in));
	xt_attr(&iq, "from", r->to);
	xt_attr(&iq, "to", r->from);
	xt_raw(&iq, ">");
	xt_raw(&iq, body);
	xt_raw(&iq, "</iq>");
	free(body);
	if ((text = xt_done(&iq, &len)) == NULL)
		return MUC_ENOMEM;
	return muc_out_push_text(r->out, text, len, r->from);
}
