/*
 * service.c - the engine's entry points: muc_handle(), muc_tick() and
 * muc_shutdown().  It only routes.
 *
 * muc_handle() parses the addressing of a stanza once (struct req), drops
 * what is not ours, sends errors from occupants to ghost removal, and hands
 * everything else to the handler of its kind: presence by the sender's
 * state in the room, messages by type and payload, room iqs by the
 * namespace of their payload.  Once the handler is done, it lets go of what
 * nothing holds any more (service_release()).
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "archive.h"
#include "build.h"
#include "form.h"
#include "handlers.h"
#include "limits.h"
#include "ns.h"
#include "store.h"

/* Presence to room/nick: a join, a leave, a nick change or an update. */
static int
route_presence(struct req *r)
{
	struct room	*room;
	struct occupant	*occ = NULL;
	const char	*nick = r->to_jid->resource;
	int		 rc, unavailable;

	unavailable = r->type != NULL && strcmp(r->type, "unavailable") == 0;
	if (r->type != NULL && strcmp(r->type, "probe") == 0)
		return probe_handle(r);
	if (r->type != NULL && !unavailable)
		return MUC_OK;	/* subscription requests: no roster here */
	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK)
		return rc;
	if (room != NULL)
		occ = occupant_by_jid(room, r->from);
	/* Joins and nick changes check the nick as sent: preparing it
	 * first would hide what jid_nick_check() refuses. */
	if (occ == NULL) {
		if (unavailable)
			return MUC_OK;
		if ((rc = limits_allow(r, LIMIT_JOIN, NULL, room == NULL)) != 1)
			return rc;
		return join_handle(r, r->to_resource);
	}
	if (unavailable)
		return leave_handle(r, room, occ);
	if ((rc = limits_allow(r, LIMIT_PRESENCE, occ, 0)) != 1)
		return rc;
	if (nick != NULL && strcmp(nick, occ->nick) == 0 &&
	    st_child(r->in, "x", NS_MUC) != NULL)
		return join_resync_handle(r, room, occ);
	if (nick == NULL || strcmp(nick, occ->nick) == 0)
		return presence_changed(room, occ, r->in, r->out);
	return nick_handle(r, room, occ, r->to_resource);
}

/* Is x a muc#request form (a voice request or its approval, 7.13)? */
static int
is_voice_form(xmpp_stanza_t *x)
{
	return x != NULL && form_type_is(x, NS_MUC_REQUEST) == 1;
}

/* A message to the room or to one of its occupants. */
static int
route_message(struct req *r)
{
	struct room	*room;
	struct occupant	*occ;
	xmpp_stanza_t	*x;
	int		 rc;

	if ((rc = room_get_for(r->svc, r->to_jid->node, r->from_bare,
	    &room)) != MUC_OK)
		return rc;
	if (room == NULL)
		return req_no_room(r);
	if ((occ = occupant_by_jid(room, r->from)) != NULL &&
	    (rc = limits_allow(r, LIMIT_MESSAGE, occ, 0)) != 1)
		return rc;
	if (r->to_jid->resource != NULL)
		return private_handle(r, room);
	/* An invitation or decline is handled as one whatever the message's
	 * type, and never relayed (7.8.2, 7.8.3). */
	if ((x = st_child(r->in, "x", NS_MUC_USER)) != NULL &&
	    (st_child(x, "invite", NULL) != NULL ||
	    st_child(x, "decline", NULL) != NULL))
		return invite_handle(r, room, x);
	if (r->type != NULL && strcmp(r->type, "groupchat") == 0)
		return groupchat_handle(r, room);
	if (is_voice_form(form_find(r->in)))
		return voice_handle(r, room, form_find(r->in));
	return req_error(r, "modify", "bad-request",
	    "The room does not know what to do with this message");
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

/* An iq to the room (by payload namespace) or to an occupant (proxy). */
static int
route_iq(struct req *r)
{
	struct room	*room;
	xmpp_stanza_t	*q;
	const char	*ns;
	int		 rc;

	if (r->to_jid->resource != NULL)
		return proxy_handle(r);		/* to an occupant, any type */
	if (r->type == NULL || (strcmp(r->type, "get") != 0 &&
	    strcmp(r->type, "set") != 0))
		return verify_answer_handle(r);	/* the room's own pings */
	if ((q = iq_payload(r->in)) == NULL)
		return req_error(r, "modify", "bad-request",
		    "The request has no payload");
	if ((ns = xmpp_stanza_get_ns(q)) == NULL)
		ns = "";
	if ((rc = room_get_for(r->svc, r->to_jid->node, r->from_bare,
	    &room)) != MUC_OK)
		return rc;
	if (room == NULL)
		return req_no_room(r);
	if (adhoc_wants(q, 1))
		return adhoc_handle(r, room, q);
	if (strcmp(ns, NS_DISCO_INFO) == 0 || strcmp(ns, NS_DISCO_ITEMS) == 0)
		return disco_room_handle(r, room, q);
	if (strcmp(ns, NS_MUC_OWNER) == 0)
		return owner_handle(r, room, q);
	if (strcmp(ns, NS_MUC_ADMIN) == 0)
		return admin_handle(r, room, q);
	if (strcmp(ns, NS_REGISTER) == 0)
		return register_handle(r, room, q);
	if (strcmp(ns, NS_MAM) == 0)
		return mam_handle(r, room, q);
	if (strcmp(ns, NS_MODERATE) == 0)
		return moderate_handle(r, room, q);
	if (strcmp(ns, NS_VCARD) == 0)
		return vcard_handle(r, room, q);
	if (strcmp(ns, NS_PING) == 0 && strcmp(r->type, "get") == 0)
		return req_result(r, NULL);
	return req_error(r, "cancel", "service-unavailable", NULL);
}

/* A stanza of type error.  An iq error is an answer, never a sign the
 * sender is gone: one to an occupant goes back through the proxy.  Other
 * errors from an occupant's client may mean it is gone (leave.c). */
static int
route_error(struct req *r)
{
	if ((r->to_jid = jid_parse(r->to)) == NULL || r->to_jid->node == NULL)
		return MUC_OK;
	if (strcmp(r->kind, "iq") == 0)
		return r->to_jid->resource != NULL ? proxy_handle(r) :
		    verify_answer_handle(r);
	return ghost_handle(r);
}

/* Read the addressing of in into r.  Returns 1 when the stanza is for
 * the engine, 0 when it must be dropped unanswered (no addresses, a kind
 * we do not handle, a sender that is not a JID), or MUC_ENOMEM. */
static int
req_init(struct req *r, struct muc_service *svc, xmpp_stanza_t *in,
    struct muc_out *out)
{
	memset(r, 0, sizeof(*r));
	r->svc = svc;
	r->in = in;
	r->out = out;
	r->now = svc->now();
	r->kind = xmpp_stanza_get_name(in);
	r->type = xmpp_stanza_get_type(in);
	r->from = xmpp_stanza_get_from(in);
	r->to = xmpp_stanza_get_to(in);
	if (r->kind == NULL || r->from == NULL || r->to == NULL)
		return 0;	/* the host always sets both; nothing to answer */
	if (strcmp(r->kind, "presence") != 0 && strcmp(r->kind, "message") != 0 &&
	    strcmp(r->kind, "iq") != 0)
		return 0;
	if ((r->from_bare = jid_bare_prep(r->from)) == NULL) {
		muc_log(svc->log, MUC_LOG_DEBUG, "service",
		    "dropping %s from malformed JID", r->kind);
		return 0;
	}
	return 1;
}

/* `to` does not parse.  When only its resource is wrong and it names one
 * of our rooms, the nick is what is wrong: the room says why. */
static int
route_bad_address(struct req *r)
{
	const char	*slash = strchr(r->to, '/'), *why = NULL;
	struct jid	*room;
	char		*bare, *nick;

	if (slash != NULL && (bare = strndup(r->to, (size_t)(slash - r->to))) !=
	    NULL) {
		room = jid_parse(bare);
		free(bare);
		if (room != NULL && room->node != NULL && room->resource == NULL &&
		    strcmp(room->domain, r->svc->domain) == 0)
			r->room_jid = jid_join(room->node, room->domain, NULL);
		free(room);
	}
	if (r->room_jid != NULL) {
		if ((nick = jid_nick_check(slash + 1, &why)) != NULL) {
			free(nick);
			why = NULL;
		}
	}
	return req_error(r, "modify", "jid-malformed", why != NULL ? why :
	    "The destination address is not one of this service");
}

/* An iq to the service itself, by payload namespace. */
static int
route_service_iq(struct req *r)
{
	if (r->type == NULL || (strcmp(r->type, "get") != 0 &&
	    strcmp(r->type, "set") != 0))
		return service_iq_handle(r);	/* answers nothing */
	if (st_child(r->in, "query", NS_VERSION) != NULL)
		return version_handle(r);		/* XEP-0092 */
	if (st_child(r->in, "unique", NS_MUC_UNIQUE) != NULL)
		return unique_handle(r);		/* XEP-0307 */
	return service_iq_handle(r);
}

/* Route a stanza that is not an error. */
static int
route(struct req *r)
{
	if ((r->to_jid = jid_parse(r->to)) == NULL)
		return route_bad_address(r);
	if (strcmp(r->to_jid->domain, r->svc->domain) != 0)
		return req_error(r, "modify", "jid-malformed",
		    "The destination address is not one of this service");
	if ((r->to_resource = strchr(r->to, '/')) != NULL)
		r->to_resource++;
	if (r->to_jid->node == NULL && strcmp(r->kind, "iq") == 0 &&
	    r->type != NULL && (strcmp(r->type, "get") == 0 ||
	    strcmp(r->type, "set") == 0) && iq_payload(r->in) != NULL &&
	    adhoc_wants(iq_payload(r->in), 0))
		return adhoc_handle(r, NULL, iq_payload(r->in));
	if (r->to_jid->node == NULL)
		return strcmp(r->kind, "iq") == 0 ? route_service_iq(r) :
		    strcmp(r->kind, "message") == 0 ?
		    req_error(r, "cancel", "service-unavailable",
		    "The service takes no messages: send them to a room") :
		    MUC_OK;
	if ((r->room_jid = jid_join(r->to_jid->node, r->svc->domain, NULL)) ==
	    NULL)
		return MUC_ENOMEM;
	if (strcmp(r->kind, "presence") == 0)
		return route_presence(r);
	if (strcmp(r->kind, "message") == 0)
		return route_message(r);
	return route_iq(r);
}

/*
 * Steps: 1. read the addressing, dropping what cannot be answered;
 * 2. route errors and everything else; 3. answer an internal failure;
 * 4. let go of what nothing holds now.
 */
int
muc_handle(struct muc_service *svc, xmpp_stanza_t *in, struct muc_out *out)
{
	struct req	r;
	int		rc;

	if ((rc = req_init(&r, svc, in, out)) != 1) {
		free(r.from_bare);
		return rc;
	}
	if (r.type != NULL && strcmp(r.type, "error") == 0)
		rc = route_error(&r);
	else
		rc = route(&r);
	if (rc == MUC_EBUSY)
		rc = MUC_ESTORE;	/* a handler that could wait said so */
	if (rc == MUC_ENOMEM || rc == MUC_ESTORE) {
		muc_log(svc->log, MUC_LOG_WARN, "service", "%s from %s: %s",
		    r.kind, r.from, rc == MUC_ENOMEM ? "out of memory" :
		    "database error");
		if (r.type == NULL || strcmp(r.type, "error") != 0)
			(void)req_error(&r, "wait", "internal-server-error", NULL);
	}
	service_release(svc, r.to_jid != NULL ? r.to_jid->node : NULL);
	free(r.from_bare);
	free(r.to_jid);
	free(r.room_jid);
	return rc;
}

/* Steps: 1. what operators changed; 2. the clients being checked;
 * 3. letting go of what nothing holds (rooms the ghosts emptied too);
 * 4. the occupancy counts; 5. the occupants snapshot. */
int
muc_tick(struct muc_service *svc, struct muc_out *out)
{
	int	rc = reload_changed_rooms(svc, out), rc2;

	if ((rc2 = verify_tick(svc, out)) != MUC_OK && rc == MUC_OK)
		rc = rc2;
	limits_expire(&svc->limits, svc->now());
	service_release(svc, NULL);
	if ((rc2 = service_counts_flush(svc)) != MUC_OK && rc == MUC_OK)
		rc = rc2;
	if ((rc2 = snapshot_tick(svc)) != MUC_OK && rc == MUC_OK)
		rc = rc2;
	/* The archive's queue goes to its writer whatever came before. */
	if ((rc2 = archive_tick(svc)) != MUC_OK && rc == MUC_OK)
		rc = rc2;
	return rc;
}

int
muc_restore(struct muc_service *svc)
{
	return snapshot_restore(svc);
}

void
muc_host_online(struct muc_service *svc, int online)
{
	verify_online(svc, online);
}

int
muc_shutdown(struct muc_service *svc, struct muc_out *out)
{
	int	rc, rc2;

	if (!svc->shutdown_notice)
		rc = snapshot_write_all(svc);
	else {
		rc = occupants_tell_shutdown(svc, out);
		if (snapshot_forget_all(svc) != MUC_OK && rc == MUC_OK)
			rc = MUC_ESTORE;
	}
	if ((rc2 = archive_sync(svc)) != MUC_OK && rc == MUC_OK)
		rc = rc2;
	return rc;
}
