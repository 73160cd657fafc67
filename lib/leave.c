/*
 * leave.c - occupants leaving: by choice, or by vanishing.
 *
 * leave_handle() answers an unavailable presence (XEP-0045 7.14).
 * ghost_handle() is ghost removal: an error bounced from an occupant's real
 * JID that means the occupant is gone removes it (code 333); other errors
 * change nothing.  Removal by the room (kick, ban, ...) is occupant_eject()
 * in action.c, which ghosts go through too.
 */
#include <string.h>

#include "action.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"
#include "presence.h"

int
leave_handle(struct req *r, struct room *room, struct occupant *occ)
{
	struct pres_extra	px;
	int			rc;

	memset(&px, 0, sizeof(px));
	/* One client of several leaves: it alone is told; for the room the
	 * occupant is still there. */
	if (occ->nsessions > 1) {
		px.unavailable = 1;
		px.gone = 1;
		px.session = r->from;
		rc = presence_send_self(room, occ, &px, r->out);
		occupant_remove_session(occ, r->from);
		return rc;
	}
	px.unavailable = 1;
	px.prev_role = occ->role;
	occupant_set_role(occ, ROLE_NONE);
	/* Keep only the parting <status/>: that is what the room shows.  Out
	 * of memory, the occupant leaves without it. */
	(void)occupant_keep_status(occ, r->in);
	muc_log(r->svc->log, MUC_LOG_DEBUG, "leave", "%s left %s", occ->jid,
	    room->jid);
	rc = presence_broadcast(room, occ, &px, r->out);
	occupant_remove(occ);
	return rc;
}

/* Error conditions that mean the occupant's client is gone (XEP-0045 does
 * not list them; these are the ones a server sends for a dead resource). */
static int
error_means_gone(xmpp_stanza_t *in)
{
	static const char *const gone[] = {
		"gone", "item-not-found", "recipient-unavailable", "redirect",
		"remote-server-not-found", "remote-server-timeout",
		"service-unavailable", "malformed-error"
	};
	xmpp_stanza_t	*err, *c;
	const char	*ns;
	size_t		 i;

	if ((err = st_child(in, "error", NULL)) == NULL)
		return 0;
	for (c = xmpp_stanza_get_children(err); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		ns = xmpp_stanza_get_ns(c);
		if (!xmpp_stanza_is_tag(c) || ns == NULL ||
		    strcmp(ns, NS_STANZAS) != 0)
			continue;
		for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
			if (strcmp(xmpp_stanza_get_name(c), gone[i]) == 0)
				return 1;
		return 0;
	}
	return 0;
}

int
ghost_handle(struct req *r)
{
	struct room		*room;
	struct occupant		*occ;
	int			 rc;

	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK ||
	    room == NULL)
		return rc;
	if ((occ = occupant_by_jid(room, r->from)) == NULL ||
	    !error_means_gone(r->in))
		return MUC_OK;
	/* The removal is logged by occupant_eject(); say why here. */
	muc_log(r->svc->log, MUC_LOG_DEBUG, "leave",
	    "%s: %s bounced a %s", room->jid, r->from, r->kind);
	return occupant_drop_ghost(room, occ, r->from, r->out);
}
