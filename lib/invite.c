/*
 * invite.c - mediated invitations and declines (XEP-0045 7.8.2, 7.8.3).
 *
 * The room forwards an invitation from its own JID, naming the inviter by
 * occupant JID, with a readable body and an XEP-0249 jabber:x:conference
 * element so clients that only know direct invitations still see it.  In
 * a members-only room only admins and owners may invite unless allowinvites
 * is on, and the invitee joins the member list; in an open room moderators
 * may always invite and others when allowinvites is on.  A decline is
 * passed back to the inviter from the room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "handlers.h"
#include "ns.h"

static int
invite_allowed(const struct room *room, const struct occupant *occ,
    enum muc_affiliation aff)
{
	if (aff >= AFF_ADMIN)
		return 1;
	if (occ == NULL)
		return 0;
	if (room->cfg.members_only)
		return room->cfg.allow_invites && aff >= AFF_MEMBER;
	return occ->role == ROLE_MODERATOR ||
	    (room->cfg.allow_invites && occ->role >= ROLE_PARTICIPANT);
}

/* Forward one <invite/> to its invitee. */
static int
invite_one(struct req *r, struct room *room, struct occupant *occ,
    xmpp_stanza_t *inv)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	const char	*to = xmpp_stanza_get_attribute(inv, "to");
	const char	*inviter = occ != NULL ? occ->occ_jid : r->from_bare;
	xmpp_stanza_t	*m, *x, *i, *conf;
	char		*invitee, *reason, *body;
	size_t		 len;
	int		 rc;

	if (to == NULL || (invitee = jid_bare_prep(to)) == NULL)
		return req_error(r, "modify", "jid-malformed",
		    "The invitation needs the JID of whom to invite");
	if (st_child_text(inv, "reason", &reason) != MUC_OK) {
		free(invitee);
		return MUC_ENOMEM;
	}
	/* "invited you" reads oddly with the real JID; use what the invitee
	 * would see in the room. */
	len = strlen(inviter) + strlen(room->jid) + 40 +
	    (reason ? strlen(reason) + 3 : 0);
	rc = MUC_ENOMEM;
	if ((body = malloc(len)) == NULL)
		goto done;
	snprintf(body, len, "%s invited you to the room %s%s%s%s", inviter,
	    room->jid, reason ? " (" : "", reason ? reason : "",
	    reason ? ")" : "");
	if (room->cfg.members_only && affiliation_of(room, invitee) < AFF_MEMBER &&
	    affiliation_of(room, invitee) != AFF_OUTCAST &&
	    (rc = affiliation_set(room, invitee, AFF_MEMBER, NULL, NULL)) != MUC_OK)
		goto done;
	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	b_attr(&b, m, "to", invitee);
	b_attr(&b, m, "id", xmpp_stanza_get_id(r->in));
	x = b_child(&b, m, "x", NS_MUC_USER);
	i = b_child(&b, x, "invite", NULL);
	b_attr(&b, i, "from", inviter);
	b_text_child(&b, i, "reason", reason);
	if (room->cfg.password[0] != '\0')
		b_text_child(&b, x, "password", room->cfg.password);
	b_text_child(&b, m, "body", body);
	conf = b_child(&b, m, "x", NS_CONFERENCE);
	b_attr(&b, conf, "jid", room->jid);
	if (reason != NULL && *reason != '\0')
		b_attr(&b, conf, "reason", reason);
	if (room->cfg.password[0] != '\0')
		b_attr(&b, conf, "password", room->cfg.password);
	rc = muc_out_push(r->out, b_done(&b, m));
	muc_log(r->svc->log, MUC_LOG_DEBUG, "invite", "%s invited %s to %s",
	    r->from, invitee, room->jid);
done:
	free(reason);
	free(body);
	free(invitee);
	return rc;
}

/* Pass a <decline/> back to the inviter named in its `to`. */
static int
decline_one(struct req *r, struct room *room, xmpp_stanza_t *dec)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	const char	*to = xmpp_stanza_get_attribute(dec, "to");
	xmpp_stanza_t	*m, *d;
	char		*reason;
	struct jid	*j;

	if (to == NULL || (j = jid_parse(to)) == NULL)
		return req_error(r, "modify", "jid-malformed",
		    "The decline needs the JID of the inviter");
	free(j);
	if (st_child_text(dec, "reason", &reason) != MUC_OK)
		return MUC_ENOMEM;
	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	b_attr(&b, m, "to", to);
	b_attr(&b, m, "id", xmpp_stanza_get_id(r->in));
	d = b_child(&b, b_child(&b, m, "x", NS_MUC_USER), "decline", NULL);
	b_attr(&b, d, "from", r->from_bare);
	if (reason != NULL) {
		b_text_child(&b, d, "reason", reason);
		free(reason);
	}
	return muc_out_push(r->out, b_done(&b, m));
}

int
invite_handle(struct req *r, struct room *room, xmpp_stanza_t *x)
{
	struct occupant		*occ = occupant_by_jid(room, r->from);
	xmpp_stanza_t		*c;
	int			 rc = MUC_OK;

	for (c = xmpp_stanza_get_children(x); c != NULL && rc == MUC_OK;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c))
			continue;
		if (strcmp(xmpp_stanza_get_name(c), "decline") == 0)
			rc = decline_one(r, room, c);
		else if (strcmp(xmpp_stanza_get_name(c), "invite") != 0)
			continue;
		else if (!invite_allowed(room, occ,
		    affiliation_of(room, r->from_bare)))
			return req_error(r, "auth", "forbidden", occ == NULL ?
			    "Only occupants may invite" :
			    "You may not invite to this room");
		else
			rc = invite_one(r, room, occ, c);
	}
	return rc;
}
