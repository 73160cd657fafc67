/*
 * voice.c - voice requests in moderated rooms (XEP-0045 7.13, 8.6).
 *
 * A visitor asks for voice with a muc#request form sent to the room.  The
 * room turns it into an approval form for every moderator (the visitor's
 * nick and real JID, which moderators may see, and a muc#request_allow
 * checkbox).  A moderator who submits the form with the box ticked grants
 * voice exactly as through muc#admin: the same permission rule, the same
 * presence with the moderator as actor.  A visitor's repeated request is
 * passed on once, until it is decided.
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "form.h"
#include "handlers.h"
#include "ns.h"
#include "permission.h"

/* The approval form for the moderators, about visitor (8.6). */
static xmpp_stanza_t *
approval_form(struct room *room, const struct occupant *visitor)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *x;

	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	x = form_new(&b, m, "form", NS_MUC_REQUEST);
	b_text_child(&b, x, "title", "Voice request");
	b_text_child(&b, x, "instructions", "To approve this request for "
	    "voice, select the \"Grant voice to this person?\" checkbox and "
	    "submit the form. To skip this request, cancel it.");
	form_add(&b, x, "muc#role", "list-single", "Requested role",
	    "participant");
	form_add(&b, x, "muc#jid", "jid-single", "User ID", visitor->jid);
	form_add(&b, x, "muc#roomnick", "text-single", "Room Nickname",
	    visitor->nick);
	form_add(&b, x, "muc#request_allow", "boolean",
	    "Grant voice to this person?", "false");
	return b_done(&b, m);
}

/* A moderator's answer: grant voice to the nick the form names. */
static int
voice_decide(struct req *r, struct room *room, struct occupant *moderator,
    xmpp_stanza_t *x, const char *allow)
{
	struct actor		 actor = { moderator->nick, r->from };
	struct occupant		*visitor;
	xmpp_stanza_t		*f;
	char			*nick = NULL;
	const char		*why;

	if (form_bool(allow) != 1)
		return MUC_OK;		/* skipped: nothing to do */
	if ((f = form_field(x, "muc#roomnick")) != NULL &&
	    form_value(f, &nick) != MUC_OK)
		return MUC_ENOMEM;
	if (nick == NULL)
		return req_error(r, NULL, "bad-request", "muc#roomnick is missing");
	visitor = occupant_by_nick(room, nick);
	free(nick);
	if (visitor == NULL)
		return req_error(r, NULL, "item-not-found",
		    "Recipient not in room");
	if ((why = permission_role(affiliation_of(room, r->from_bare),
	    moderator->role, affiliation_of(room, visitor->bare),
	    visitor->role, ROLE_PARTICIPANT)) != NULL)
		return req_error(r, NULL, why, NULL);
	occupant_set_voice_requested(visitor, 0);
	if (visitor->role != ROLE_VISITOR)
		return MUC_OK;		/* another moderator was quicker */
	return occupant_change_role(room, visitor, ROLE_PARTICIPANT, &actor,
	    NULL, r->out);
}

int
voice_handle(struct req *r, struct room *room, xmpp_stanza_t *x)
{
	struct occupant	*occ = occupant_by_jid(room, r->from), *o;
	xmpp_stanza_t	*f, *m;
	char		*allow;
	int		 rc;

	if (occ == NULL)
		return req_error(r, NULL, "not-acceptable",
		    "Only occupants may ask for voice");
	if ((f = form_field(x, "muc#request_allow")) != NULL) {
		if (occ->role != ROLE_MODERATOR)
			return req_error(r, NULL, "forbidden",
			    "Only moderators may decide voice requests");
		if (form_value(f, &allow) != MUC_OK)
			return MUC_ENOMEM;
		if (allow == NULL)
			return MUC_OK;
		rc = voice_decide(r, room, occ, x, allow);
		free(allow);
		return rc;
	}
	if (occ->role != ROLE_VISITOR)
		return req_error(r, NULL, "not-acceptable",
		    "You have voice already");
	if (occ->voice_requested)
		return MUC_OK;		/* the moderators know */
	if ((m = approval_form(room, occ)) == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(r->out, m)) != MUC_OK)
		return rc;
	for (o = room->head; o != NULL; o = o->next)
		if (o->role == ROLE_MODERATOR &&
		    (rc = occupant_send_to(r->out, o)) != MUC_OK)
			return rc;
	occupant_set_voice_requested(occ, 1);
	return MUC_OK;
}
