/*
 * version.c - the service's software version (XEP-0092).
 *
 * A jabber:iq:version get to the service's JID answers mucd's name and
 * the version the daemon passed in (muc_service_config.version), so
 * that an operator or a client can tell what runs there.  The operating
 * system, which XEP-0092 makes optional, is never said: it tells an
 * attacker what to aim at and nobody else needs it (section 5).
 */
#include <string.h>

#include "build.h"
#include "handlers.h"
#include "ns.h"

int
version_handle(struct req *r)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*q;

	if (strcmp(r->type, "get") != 0)
		return req_error(r, "cancel", "bad-request",
		    "The software version can only be read");
	q = b_new(&b, "query");
	if (q != NULL && xmpp_stanza_set_ns(q, NS_VERSION) != XMPP_EOK)
		b.failed = 1;
	b_text_child(&b, q, "name", "mucd");
	/* REQUIRED in a result (XEP-0092 2). */
	b_text_child(&b, q, "version", r->svc->version != NULL ?
	    r->svc->version : "unknown");
	return (q = b_done(&b, q)) == NULL ? MUC_ENOMEM : req_result(r, q);
}
