/*
 * message.c - messages in the room: groupchat, private messages, subject.
 *
 * A groupchat message is copied once, re-addressed from the sender's
 * occupant JID, queued as one broadcast to every occupant (the sender
 * included, XEP-0045 7.4) and kept in the history.  Private messages go to
 * one occupant (7.5) as the room's allowpm setting permits.  A message with
 * a <subject/> and no <body/> changes the subject (8.1).  Invitations and
 * declines (muc#user payloads to the room) go to invite.c, voice requests
 * (muc#request forms) to voice.c.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "build.h"
#include "form.h"
#include "history.h"
#include "ns.h"
#include "store.h"

/* Copy in, addressed from `from`, without `to`; xml:lang kept under its
 * real name (libstrophe reads it as "lang"). */
static xmpp_stanza_t *
message_copy(xmpp_stanza_t *in, const char *from, const char *type)
{
	xmpp_stanza_t	*m;
	const char	*lang;

	if ((m = xmpp_stanza_copy(in)) == NULL)
		return NULL;
	xmpp_stanza_del_attribute(m, "to");
	lang = xmpp_stanza_get_attribute(in, "lang");
	xmpp_stanza_del_attribute(m, "lang");
	if (xmpp_stanza_set_from(m, from) != XMPP_EOK ||
	    (type != NULL && xmpp_stanza_set_type(m, type) != XMPP_EOK) ||
	    (lang != NULL &&
	    xmpp_stanza_set_attribute(m, "xml:lang", lang) != XMPP_EOK)) {
		xmpp_stanza_release(m);
		return NULL;
	}
	return m;
}

xmpp_stanza_t *
subject_build(struct room *room)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *d;
	char		*from = NULL;

	if (room->subject_nick[0] != '\0' &&
	    (from = xmpp_jid_new(room->svc->ctx, room->name, room->svc->domain,
	    room->subject_nick)) == NULL)
		return NULL;
	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", from != NULL ? from : room->jid);
	b_text_child(&b, m, "subject", room->subject);
	/* 7.2.15: stamped with when it was set, or actively cleared. */
	if (room->subject_time != 0) {
		struct tm	tm;
		char		stamp[32];

		gmtime_r(&room->subject_time, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		d = b_child(&b, m, "delay", NS_DELAY);
		b_attr(&b, d, "from", room->jid);
		b_attr(&b, d, "stamp", stamp);
	}
	if (from != NULL)
		xmpp_free(room->svc->ctx, from);
	return b_done(&b, m);
}

int
subject_send(struct room *room, struct muc_out *out, const char *to)
{
	xmpp_stanza_t	*m;
	int		 rc;

	if ((m = subject_build(room)) == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, m)) != MUC_OK)
		return rc;
	return muc_out_add_to(out, to);
}

/* Change the subject to the <subject/> of r (8.1). */
static int
subject_change(struct req *r, struct room *room, struct occupant *occ)
{
	xmpp_stanza_t	*m;
	char		*text, *copy_s, *copy_n;
	int		 rc;

	if (occ->role != ROLE_MODERATOR &&
	    !(room->cfg.change_subject && occ->role >= ROLE_PARTICIPANT))
		return req_error(r, "auth", "forbidden", NULL);
	text = st_child_text(r->in, "subject");
	copy_s = strdup(text != NULL ? text : "");
	copy_n = strdup(text != NULL ? occ->nick : "");
	if (text != NULL)
		xmpp_free(r->svc->ctx, text);
	if (copy_s == NULL || copy_n == NULL) {
		free(copy_s);
		free(copy_n);
		return MUC_ENOMEM;
	}
	if (room->id != 0 && (rc = store_room_subject(r->svc->st, room->id,
	    copy_s, copy_n, r->now)) != MUC_OK) {
		free(copy_s);
		free(copy_n);
		return rc;
	}
	free(room->subject);
	free(room->subject_nick);
	room->subject = copy_s;
	room->subject_nick = copy_n;
	room->subject_time = r->now;
	if ((m = message_copy(r->in, occ->occ_jid, "groupchat")) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, r->out);
}

static int
groupchat(struct req *r, struct room *room)
{
	struct occupant	*occ;
	xmpp_stanza_t	*m;
	int		 has_body, rc;

	if ((occ = occupant_by_jid(room, r->from)) == NULL)
		return req_error(r, "modify", "not-acceptable",
		    "You are not in this room");
	has_body = st_child(r->in, "body", NULL) != NULL;
	if (!has_body && st_child(r->in, "subject", NULL) != NULL)
		return subject_change(r, room, occ);
	if (occ->role < ROLE_PARTICIPANT)
		return req_error(r, "auth", "forbidden",
		    "Visitors may not speak in this room");
	if ((m = message_copy(r->in, occ->occ_jid, "groupchat")) == NULL)
		return MUC_ENOMEM;
	if (has_body && (rc = history_add(room->history, m, room->jid,
	    r->now)) != MUC_OK) {
		xmpp_stanza_release(m);
		return rc;
	}
	return room_broadcast(room, m, r->out);
}

/* A private message from an occupant to room/nick (7.5). */
static int
private_message(struct req *r, struct room *room)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct occupant	*from, *to;
	xmpp_stanza_t	*m;
	int		 allowed, rc;

	if (r->type != NULL && strcmp(r->type, "groupchat") == 0)
		return req_error(r, "modify", "bad-request", NULL);
	if ((from = occupant_by_jid(room, r->from)) == NULL)
		return req_error(r, "modify", "not-acceptable",
		    "You are not in this room");
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
		return req_error(r, "cancel", "item-not-found", NULL);
	if ((m = message_copy(r->in, from->occ_jid, NULL)) == NULL)
		return MUC_ENOMEM;
	if (st_child(m, "x", NS_MUC_USER) == NULL)
		b_child(&b, m, "x", NS_MUC_USER);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	/* To every client of the occupant, as a chat to a user would be. */
	if ((rc = muc_out_broadcast(r->out, m)) != MUC_OK)
		return rc;
	return occupant_send_to(r->out, to);
}

int
message_handle(struct req *r)
{
	struct room	*room;
	xmpp_stanza_t	*x;
	int		 rc;

	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK)
		return rc;
	if (room == NULL || (room->locked &&
	    affiliation_of(room, r->from_bare) != AFF_OWNER))
		return req_error(r, "cancel", "item-not-found", NULL);
	if (r->to_jid->resource != NULL)
		return private_message(r, room);
	if (r->type != NULL && strcmp(r->type, "groupchat") == 0)
		return groupchat(r, room);
	if ((x = st_child(r->in, "x", NS_MUC_USER)) != NULL &&
	    (st_child(x, "invite", NULL) != NULL ||
	    st_child(x, "decline", NULL) != NULL))
		return invite_handle(r, room, x);
	if ((x = form_find(r->in)) != NULL && form_field(x, "FORM_TYPE") != NULL &&
	    form_type_is(r->svc->ctx, x, NS_MUC_REQUEST))
		return voice_handle(r, room, x);
	return req_error(r, "modify", "bad-request", NULL);
}
