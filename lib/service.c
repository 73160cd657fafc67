/*
 * service.c - the engine's entry point: one stanza in, replies out.
 *
 * muc_handle() parses the addressing of a stanza once (struct req), drops
 * what is not ours, sends errors from occupants to ghost removal, and hands
 * everything else to the handler of its kind.  Room iqs are routed here by
 * the namespace of their payload.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "build.h"
#include "ns.h"
#include "presence.h"
#include "request.h"
#include "room.h"
#include "store.h"

static time_t
clock_now(void)
{
	return time(NULL);
}

int
muc_service_new(xmpp_ctx_t *ctx, const struct muc_service_config *cfg,
    struct store *st, const struct muc_logger *lg, struct muc_service **out)
{
	struct muc_service	*svc;
	size_t			 i;

	*out = NULL;
	if (cfg->domain == NULL || st == NULL)
		return MUC_EINVAL;
	if ((svc = calloc(1, sizeof(*svc))) == NULL)
		return MUC_ENOMEM;
	svc->ctx = ctx;
	svc->st = st;
	svc->log = lg;
	svc->now = clock_now;
	hmap_init(&svc->rooms);
	if ((svc->domain = strdup(cfg->domain)) == NULL ||
	    (svc->name = strdup(cfg->name ? cfg->name : "Chatrooms")) == NULL ||
	    (cfg->nadmins > 0 && (svc->admins = calloc(cfg->nadmins,
	    sizeof(*svc->admins))) == NULL))
		goto nomem;
	for (i = 0; i < cfg->nadmins; i++) {
		if ((svc->admins[i] = jid_bare_prep(cfg->admins[i])) == NULL) {
			muc_log(lg, MUC_LOG_ERROR, "service",
			    "admin %s is not a valid JID", cfg->admins[i]);
			svc->nadmins = i;
			muc_service_free(svc);
			return MUC_EINVAL;
		}
		svc->nadmins = i + 1;
	}
	*out = svc;
	return MUC_OK;
nomem:
	muc_service_free(svc);
	return MUC_ENOMEM;
}

void
muc_service_free(struct muc_service *svc)
{
	struct room	*room;
	size_t		 i = 0;

	if (svc == NULL)
		return;
	/* room_destroy() edits the map: restart the walk each time. */
	while ((room = hmap_next(&svc->rooms, &i)) != NULL) {
		room_destroy(room, 0);
		i = 0;
	}
	hmap_free(&svc->rooms);
	for (i = 0; i < svc->ncounted; i++)
		free(svc->counted[i]);
	free(svc->counted);
	for (i = 0; i < svc->nadmins; i++)
		free(svc->admins[i]);
	free(svc->admins);
	free(svc->domain);
	free(svc->name);
	free(svc);
}

void
muc_service_set_clock(struct muc_service *svc, time_t (*now)(void))
{
	svc->now = now != NULL ? now : clock_now;
}

int
req_error(struct req *r, const char *type, const char *condition,
    const char *text)
{
	xmpp_stanza_t	*e;

	e = muc_error_reply(r->svc->ctx, r->in, r->to, type, condition,
	    r->room_jid, text);
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

/* The first child element of an iq: its payload. */
static xmpp_stanza_t *
iq_payload(xmpp_stanza_t *iq)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(iq); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c))
			return c;
	return NULL;
}

int
iq_room_handle(struct req *r)
{
	struct room	*room;
	xmpp_stanza_t	*q;
	const char	*ns;
	int		 rc;

	if (r->to_jid->resource != NULL)
		return proxy_handle(r);		/* to an occupant, any type */
	if (r->type == NULL || (strcmp(r->type, "get") != 0 &&
	    strcmp(r->type, "set") != 0))
		return MUC_OK;	/* results and errors for the room: none expected */
	if ((q = iq_payload(r->in)) == NULL)
		return req_error(r, "modify", "bad-request", NULL);
	ns = xmpp_stanza_get_ns(q);
	if (ns == NULL)
		ns = "";
	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK)
		return rc;
	if (room == NULL || (room->locked &&
	    affiliation_of(room, r->from_bare) != AFF_OWNER))
		return req_error(r, "cancel", "item-not-found", NULL);
	if (strcmp(ns, NS_DISCO_INFO) == 0 || strcmp(ns, NS_DISCO_ITEMS) == 0)
		return disco_room_handle(r, room, q);
	if (strcmp(ns, NS_MUC_OWNER) == 0)
		return owner_handle(r, room, q);
	if (strcmp(ns, NS_MUC_ADMIN) == 0)
		return admin_handle(r, room, q);
	if (strcmp(ns, NS_REGISTER) == 0)
		return register_handle(r, room, q);
	if (strcmp(ns, NS_PING) == 0 && strcmp(r->type, "get") == 0)
		return req_result(r, NULL);
	return req_error(r, "cancel", "service-unavailable", NULL);
}

/*
 * Steps: 1. read the addressing, dropping what cannot be answered;
 * 2. errors bounce to ghost removal; 3. refuse malformed addresses;
 * 4. dispatch by kind; 5. let go of the room if nothing holds it now.
 */
int
muc_handle(struct muc_service *svc, xmpp_stanza_t *in, struct muc_out *out)
{
	struct req	 r;
	struct room	*room;
	int		 rc = MUC_OK;
	size_t		 len;

	memset(&r, 0, sizeof(r));
	r.svc = svc;
	r.in = in;
	r.out = out;
	r.now = svc->now();
	r.kind = xmpp_stanza_get_name(in);
	r.type = xmpp_stanza_get_type(in);
	r.from = xmpp_stanza_get_from(in);
	r.to = xmpp_stanza_get_to(in);
	if (r.kind == NULL || r.from == NULL || r.to == NULL)
		return MUC_OK;	/* the host always sets both; nothing to answer */
	if (strcmp(r.kind, "presence") != 0 && strcmp(r.kind, "message") != 0 &&
	    strcmp(r.kind, "iq") != 0)
		return MUC_OK;
	if ((r.from_bare = jid_bare_prep(r.from)) == NULL) {
		muc_log(svc->log, MUC_LOG_DEBUG, "service",
		    "dropping %s from malformed JID", r.kind);
		return MUC_OK;
	}
	if (r.type != NULL && strcmp(r.type, "error") == 0 &&
	    strcmp(r.kind, "iq") == 0) {
		/* An iq error is an answer, never a sign the sender is gone:
		 * one to an occupant goes back through the proxy. */
		if ((r.to_jid = jid_parse(r.to)) != NULL &&
		    r.to_jid->node != NULL && r.to_jid->resource != NULL)
			rc = proxy_handle(&r);
		goto done;
	}
	if (r.type != NULL && strcmp(r.type, "error") == 0) {
		if ((r.to_jid = jid_parse(r.to)) != NULL &&
		    r.to_jid->node != NULL && (rc = error_handle(&r)) == MUC_OK &&
		    (room = hmap_get(&svc->rooms, r.to_jid->node)) != NULL)
			room_release_if_unused(room);
		goto done;
	}
	if ((r.to_jid = jid_parse(r.to)) == NULL ||
	    strcmp(r.to_jid->domain, svc->domain) != 0) {
		rc = req_error(&r, "modify", "jid-malformed", NULL);
		goto done;
	}
	if (r.to_jid->node == NULL) {
		rc = strcmp(r.kind, "iq") == 0 ? iq_service_handle(&r) :
		    strcmp(r.kind, "message") == 0 ?
		    req_error(&r, "cancel", "service-unavailable", NULL) : MUC_OK;
		goto done;
	}
	len = strlen(r.to_jid->node) + strlen(svc->domain) + 2;
	if ((r.room_jid = malloc(len)) == NULL) {
		rc = MUC_ENOMEM;
		goto done;
	}
	strcpy(r.room_jid, r.to_jid->node);
	strcat(r.room_jid, "@");
	strcat(r.room_jid, svc->domain);
	if (strcmp(r.kind, "presence") == 0)
		rc = presence_handle(&r);
	else if (strcmp(r.kind, "message") == 0)
		rc = message_handle(&r);
	else
		rc = iq_room_handle(&r);
	if ((room = hmap_get(&svc->rooms, r.to_jid->node)) != NULL)
		room_release_if_unused(room);
done:
	if (rc == MUC_ENOMEM || rc == MUC_ESTORE) {
		muc_log(svc->log, MUC_LOG_WARN, "service", "%s from %s: %s",
		    r.kind, r.from, rc == MUC_ENOMEM ? "out of memory" :
		    "database error");
		if (r.type == NULL || strcmp(r.type, "error") != 0)
			(void)req_error(&r, "wait", "internal-server-error", NULL);
	}
	free(r.from_bare);
	free(r.to_jid);
	free(r.room_jid);
	return rc;
}

int
muc_tick(struct muc_service *svc, struct muc_out *out)
{
	int	rc = reload_changed_rooms(svc, out);

	if (rc == MUC_OK)
		rc = room_counts_flush(svc);
	return rc;
}

int
muc_shutdown(struct muc_service *svc, struct muc_out *out)
{
	static const int	 code332[] = { 332 };
	struct pres_extra	 px;
	struct room		*room;
	struct occupant		*o;
	size_t			 i = 0;
	int			 rc = MUC_OK;

	memset(&px, 0, sizeof(px));
	px.codes = code332;
	px.ncodes = 1;
	px.unavailable = 1;
	while (rc == MUC_OK && (room = hmap_next(&svc->rooms, &i)) != NULL)
		for (o = room->head; o != NULL && rc == MUC_OK; o = o->next) {
			o->role = ROLE_NONE;
			rc = presence_send_self(room, o, &px, out);
		}
	return rc;
}
