/*
 * error.c - stanza error replies (RFC 6120 8.3).
 *
 * Every refusal the engine makes goes through muc_error_reply(), so the
 * shape of an error (type, condition namespace, `by`, the original payload
 * of an iq) is decided in one place.
 */
#include <string.h>

#include "muc.h"

#define NS_STANZAS	"urn:ietf:params:xml:ns:xmpp-stanzas"

/* Add <name xmlns=ns/> (and text, if any) under parent.  Returns 0 or -1. */
static int
add_ns_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent, const char *name,
    const char *ns, const char *text)
{
	xmpp_stanza_t	*c, *t;
	int		 rc = -1;

	if ((c = xmpp_stanza_new(ctx)) == NULL)
		return -1;
	if (xmpp_stanza_set_name(c, name) != XMPP_EOK ||
	    xmpp_stanza_set_ns(c, ns) != XMPP_EOK)
		goto done;
	if (text != NULL) {
		if ((t = xmpp_stanza_new(ctx)) == NULL)
			goto done;
		if (xmpp_stanza_set_text(t, text) != XMPP_EOK ||
		    xmpp_stanza_add_child_ex(c, t, 0) != XMPP_EOK) {
			xmpp_stanza_release(t);
			goto done;
		}
	}
	if (xmpp_stanza_add_child(parent, c) == XMPP_EOK)
		rc = 0;
done:
	xmpp_stanza_release(c);
	return rc;
}

/* The error type RFC 6120 8.3.3 gives each condition mucd uses. */
static const char *
error_type_for(const char *condition)
{
	static const struct { const char *cond, *type; } types[] = {
		{ "bad-request", "modify" }, { "conflict", "cancel" },
		{ "feature-not-implemented", "cancel" }, { "forbidden", "auth" },
		{ "internal-server-error", "wait" }, { "item-not-found", "cancel" },
		{ "jid-malformed", "modify" }, { "not-acceptable", "modify" },
		{ "not-allowed", "cancel" }, { "not-authorized", "auth" },
		{ "registration-required", "auth" },
		{ "service-unavailable", "cancel" },
	};
	size_t	i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].cond, condition) == 0)
			return types[i].type;
	return "cancel";
}

xmpp_stanza_t *
muc_error_reply(xmpp_ctx_t *ctx, xmpp_stanza_t *in, const char *from,
    const char *type, const char *condition, const char *by, const char *text)
{
	xmpp_stanza_t	*r, *err, *c, *copy;
	const char	*name = xmpp_stanza_get_name(in);
	const char	*sender = xmpp_stanza_get_from(in);

	if ((r = xmpp_stanza_new(ctx)) == NULL)
		return NULL;
	if (xmpp_stanza_set_name(r, name) != XMPP_EOK ||
	    xmpp_stanza_set_type(r, "error") != XMPP_EOK ||
	    (from != NULL && xmpp_stanza_set_from(r, from) != XMPP_EOK) ||
	    (sender != NULL && xmpp_stanza_set_to(r, sender) != XMPP_EOK) ||
	    (xmpp_stanza_get_id(in) != NULL &&
	    xmpp_stanza_set_id(r, xmpp_stanza_get_id(in)) != XMPP_EOK))
		goto fail;
	/* An iq error carries the request's payload back (RFC 6120 8.3.1);
	 * presence and message errors stay small: the sender knows what it
	 * sent, and echoing a long body to a flooder only helps the flood. */
	if (strcmp(name, "iq") == 0) {
		/* add_child relinks its argument: attach copies, never
		 * the borrowed request's own children. */
		for (c = xmpp_stanza_get_children(in); c != NULL;
		    c = xmpp_stanza_get_next(c)) {
			if (!xmpp_stanza_is_tag(c))
				continue;
			if ((copy = xmpp_stanza_copy(c)) == NULL)
				goto fail;
			if (xmpp_stanza_add_child_ex(r, copy, 0) != XMPP_EOK) {
				xmpp_stanza_release(copy);
				goto fail;
			}
		}
	}
	if (type == NULL)
		type = error_type_for(condition);
	if ((err = xmpp_stanza_new(ctx)) == NULL)
		goto fail;
	if (xmpp_stanza_set_name(err, "error") != XMPP_EOK ||
	    xmpp_stanza_set_attribute(err, "type", type) != XMPP_EOK ||
	    (by != NULL && xmpp_stanza_set_attribute(err, "by", by) != XMPP_EOK) ||
	    add_ns_child(ctx, err, condition, NS_STANZAS, NULL) != 0 ||
	    (text != NULL && add_ns_child(ctx, err, "text", NS_STANZAS, text) != 0) ||
	    xmpp_stanza_add_child_ex(r, err, 0) != XMPP_EOK) {
		xmpp_stanza_release(err);
		goto fail;
	}
	return r;
fail:
	xmpp_stanza_release(r);
	return NULL;
}
