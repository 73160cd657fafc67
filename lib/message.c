/*
 * message.c - messages in the room: groupchat, private messages, subject.
 *
 * A groupchat message is copied once, re-addressed from the sender's
 * occupant JID, queued as one broadcast to every occupant (the sender
 * included, XEP-0045 7.4) and kept in the history.  Private messages go to
 * one occupant (7.5) as the room's allowpm setting permits.  A message with
 * a <subject/> and no <body/> changes the subject (8.1).  Invitations and
 * declines are invite.c's, voice requests voice.c's: service.c routes them
 * there.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "handlers.h"
#include "history.h"
#include "hygiene.h"
#include "ns.h"

/* The copy of r's message everyone gets: from the occupant, nothing in
 * it that only the room may say (hygiene.c). */
static xmpp_stanza_t *
message_relay(struct req *r, const struct occupant *from, const char *type)
{
	return hygiene_copy(r->in, from->occ_jid, type, r->svc->domain,
	    HYGIENE_MESSAGE);
}

/* Change the subject to the <subject/> of r (8.1). */
static int
subject_change(struct req *r, struct room *room, struct occupant *occ)
{
	xmpp_stanza_t	*m;
	char		*text;
	int		 rc;

	if (occ->role != ROLE_MODERATOR &&
	    !(room->cfg.change_subject && occ->role >= ROLE_PARTICIPANT))
		return req_error(r, "auth", "forbidden",
		    "You are not allowed to change the subject");
	if ((rc = st_child_text(r->in, "subject", &text)) != MUC_OK)
		return rc;
	rc = room_set_subject(room, text != NULL ? text : "",
	    text != NULL ? occ->nick : "", r->now, 1);
	free(text);
	if (rc != MUC_OK)
		return rc;
	if ((m = message_relay(r, occ, "groupchat")) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, r->out);
}

int
groupchat_handle(struct req *r, struct room *room)
{
	struct occupant	*occ;
	xmpp_stanza_t	*m;
	int		 has_body, rc;

	if ((occ = occupant_by_jid(room, r->from)) == NULL)
		return req_error(r, "cancel", "not-acceptable",
		    "You are not currently connected to this chat");
	/* 8.1: only a subject with neither body nor thread changes the
	 * subject; with either it is an ordinary message (7.2.15). */
	has_body = st_child(r->in, "body", NULL) != NULL ||
	    st_child(r->in, "thread", NULL) != NULL;
	if (!has_body && st_child(r->in, "subject", NULL) != NULL)
		return subject_change(r, room, occ);
	if (occ->role < ROLE_PARTICIPANT)
		return req_error(r, "auth", "forbidden",
		    "You do not currently have permission to speak in this chat");
	if ((m = message_relay(r, occ, "groupchat")) == NULL)
		return MUC_ENOMEM;
	room_touch(room, r->now);
	if (has_body && (rc = history_add(room->history, m, room->jid,
	    r->now)) != MUC_OK) {
		xmpp_stanza_release(m);
		return rc;
	}
	return room_broadcast(room, m, r->out);
}

/* A private message from an occupant to room/nick (7.5). */
int
private_handle(struct req *r, struct room *room)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct occupant	*from, *to;
	xmpp_stanza_t	*m;
	int		 allowed, rc;

	if (r->type != NULL && strcmp(r->type, "groupchat") == 0)
		return req_error(r, "modify", "bad-request",
		    "A groupchat message goes to the room, not to an occupant");
	if ((from = occupant_by_jid(room, r->from)) == NULL)
		return req_error(r, "cancel", "not-acceptable",
		    "You are not currently connected to this chat");
	switch (room->cfg.allow_pm) {
	case PM_ANYONE:		allowed = 1; break;
	case PM_PARTICIPANTS:	allowed = from->role >= ROLE_PARTICIPANT; break;
	case PM_MODERATORS:	allowed = from->role == ROLE_MODERATOR; break;
	default:		allowed = 0; break;
	}
	if (!allowed)
		return req_error(r, "cancel", "not-allowed",
		    "Private messages are not allowed in this room");
	if ((to = occupant_by_nick(room, r->to_jid->resource)) == NULL)
		return req_error(r, "cancel", "item-not-found",
		    "Recipient not in room");
	/* 7.5: the room marks it as sent through the room; whatever <x/>
	 * the sender put in is gone with the other claims. */
	m = message_relay(r, from, NULL);
	b_child(&b, m, "x", NS_MUC_USER);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	/* To every client of the occupant, as a chat to a user would be. */
	if ((rc = muc_out_broadcast(r->out, m)) != MUC_OK)
		return rc;
	return occupant_send_to(r->out, to);
}
