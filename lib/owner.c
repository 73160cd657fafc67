/*
 * owner.c - the muc#owner namespace: room configuration and destruction
 * (XEP-0045 10.1, 10.2, 10.9).
 *
 * The form and its parser are the option table's (roomopt.c).  A submitted
 * configuration is applied to a copy and swapped in only when every field
 * is valid, so a bad form changes nothing.  After a change the owner gets
 * the result first, then occupants get a notice (172/173 when the room's
 * anonymity changed, 104 for anything else) and, if the room became
 * members-only, non-members are removed with 322 (action.c).  Destruction
 * tells every occupant where the discussion went and deletes the stored
 * room.
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "form.h"
#include "handlers.h"
#include "ns.h"
#include "roomopt.h"

/* The configuration form with the room's current values (10.2). */
static xmpp_stanza_t *
config_form(struct muc_service *svc, const struct room *room)
{
	struct build	 b = BUILD_INIT(svc->ctx);
	xmpp_stanza_t	*q;

	q = b_new(&b, "query");
	if (q != NULL && xmpp_stanza_set_ns(q, NS_MUC_OWNER) != XMPP_EOK)
		b.failed = 1;
	roomopt_form(&b, q, &room->cfg);
	return b_done(&b, q);
}

/*
 * Steps: 1. validate into a copy; 2. swap and store (undone on failure);
 * 3. answer; 4. announce, and remove non-members from a room that became
 * members-only.
 */
static int
config_submit(struct req *r, struct room *room, xmpp_stanza_t *x)
{
	struct room_config	 cfg;
	struct roomopt_error	 err;
	char			 what[256];
	int			 rc, was_locked = room->locked;

	if (roomconfig_copy(&cfg, &room->cfg) != 0)
		return MUC_ENOMEM;
	if ((rc = roomopt_submit(&cfg, x, &err)) != MUC_OK ||
	    err.condition != NULL) {
		roomconfig_free(&cfg);
		return rc != MUC_OK ? rc :
		    req_error(r, "modify", err.condition, err.text);
	}
	if ((rc = room_swap_config(room, &cfg, 1)) != MUC_OK) {
		roomconfig_free(&cfg);
		return rc;
	}
	room_unlock(room);		/* cfg now holds the old one */
	roomopt_describe_changes(&cfg, &room->cfg, what, sizeof(what));
	muc_log(r->svc->log, MUC_LOG_INFO, "owner", "%s: %s by %s: %s",
	    room->jid, was_locked ? "first configuration" : "configured",
	    r->from_bare, what);
	/* The first configuration unlocks the room: nothing to announce. */
	if ((rc = req_result(r, NULL)) == MUC_OK && !was_locked)
		rc = room_config_announce(room, &cfg, r->out);
	roomconfig_free(&cfg);
	return rc;
}

static int
destroy(struct req *r, struct room *room, xmpp_stanza_t *d)
{
	const char	*alt = xmpp_stanza_get_attribute(d, "jid");
	char		*reason = NULL, *password = NULL;
	struct jid	*j;
	int		 rc;

	if (alt != NULL) {
		if ((j = jid_parse(alt)) == NULL)
			return req_error(r, "modify", "jid-malformed",
			    "The alternate venue is not a JID");
		free(j);
	}
	if ((rc = st_child_text(d, "reason", &reason)) == MUC_OK &&
	    (rc = st_child_text(d, "password", &password)) == MUC_OK) {
		muc_log(r->svc->log, MUC_LOG_INFO, "owner", "%s: destroyed by "
		    "%s%s%s", room->jid, r->from_bare, alt != NULL ?
		    ", moved to " : "", alt != NULL ? alt : "");
		rc = room_destroy_announce(room, alt, reason, password, r->out);
	}
	free(reason);
	free(password);
	if (rc == MUC_OK)
		rc = req_result(r, NULL);
	return rc;
}

/* Cancelling the first configuration abandons the new room (10.1.3);
 * later, it changes nothing. */
static int
config_cancel(struct req *r, struct room *room)
{
	int	rc;

	if (room->locked) {
		muc_log(r->svc->log, MUC_LOG_INFO, "owner", "%s: abandoned by "
		    "its creator %s before its first configuration", room->jid,
		    r->from_bare);
		if ((rc = room_destroy_announce(room, NULL, NULL, NULL,
		    r->out)) != MUC_OK)
			return rc;
	}
	return req_result(r, NULL);
}

int
owner_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	xmpp_stanza_t	*x, *d, *form;
	const char	*type;

	if (affiliation_of(room, r->from_bare) != AFF_OWNER)
		return req_error(r, "auth", "forbidden",
		    "Only owners may configure the room");
	if (strcmp(r->type, "get") == 0) {
		if ((form = config_form(r->svc, room)) == NULL)
			return MUC_ENOMEM;
		return req_result(r, form);
	}
	if ((d = st_child(q, "destroy", NULL)) != NULL)
		return destroy(r, room, d);
	if ((x = form_find(q)) == NULL)
		return req_error(r, "modify", "bad-request",
		    "A configuration form or <destroy/> was expected");
	type = xmpp_stanza_get_type(x);
	if (type != NULL && strcmp(type, "cancel") == 0)
		return config_cancel(r, room);
	if (type == NULL || strcmp(type, "submit") != 0)
		return req_error(r, "modify", "bad-request",
		    "The form must be of type submit or cancel");
	return config_submit(r, room, x);
}
