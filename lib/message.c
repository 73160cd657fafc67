/*
 * message.c - messages in the room: groupchat, private messages, subject.
 *
 * A groupchat message is copied once, re-addressed from the sender's
 * occupant JID, given the room's stanza-id (XEP-0359), queued as one
 * broadcast to every occupant (the sender included, XEP-0045 7.4) and,
 * when it says something (archive_wants()), kept in the history and the
 * archive.  A retraction of the sender's own message (XEP-0424) replaces
 * that message by its tombstone; one of someone else's message is
 * refused.  Private messages go to one occupant (7.5) as the room's
 * allowpm setting permits, and are never kept.  A message with a
 * <subject/> and no <body/> changes the subject (8.1).  Invitations and
 * declines are invite.c's, voice requests voice.c's: service.c routes
 * them there.
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "build.h"
#include "handlers.h"
#include "hygiene.h"
#include "ns.h"
#include "occid.h"

/* The copy of r's message everyone gets: from the occupant, nothing in
 * it that only the room may say (hygiene.c), and the occupant's
 * XEP-0421 id in place of whatever one the client put in. */
static xmpp_stanza_t *
message_relay(struct req *r, const struct occupant *from, const char *type)
{
	xmpp_stanza_t	*m;

	if ((m = hygiene_copy(r->in, from->occ_jid, type, r->svc->domain,
	    HYGIENE_MESSAGE)) != NULL && occid_add(m, from->occupant_id) !=
	    MUC_OK) {
		xmpp_stanza_release(m);
		m = NULL;
	}
	return m;
}

/* Change the subject to the <subject/> of r (8.1). */
static int
subject_change(struct req *r, struct room *room, struct occupant *occ)
{
	xmpp_stanza_t	*m;
	char		*text, sid[SID_LEN];
	int64_t		 seq;
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
	if ((rc = archive_stamp(room, m, &seq, sid)) != MUC_OK) {
		xmpp_stanza_release(m);
		return rc;
	}
	return room_broadcast(room, m, r->out);
}

/*
 * A retraction (XEP-0424) in r: the message it names becomes a tombstone
 * when the room can tell it is occ's (the same real bare JID sent it).
 * A message of someone else's is refused (*refused set, the error
 * queued), so that no client is asked to drop it; one the room does not
 * keep is relayed as it is, for clients to judge.  id is what the
 * tombstone names the retraction by.
 */
static int
retract_own(struct req *r, struct room *room, struct occupant *occ,
    xmpp_stanza_t *rx, const char *id, int *refused)
{
	struct archived		a;
	struct retraction	rt;
	int			found, rc;

	*refused = 0;
	if ((rc = archive_find(room, xmpp_stanza_get_attribute(rx, "id"), &a,
	    &found)) != MUC_OK || !found)
		return rc;
	if (a.sender[0] == '\0' || strcmp(a.sender, occ->bare) != 0) {
		archived_free(&a);
		*refused = 1;
		return req_error(r, "auth", "forbidden",
		    "You may retract only your own messages");
	}
	memset(&rt, 0, sizeof(rt));
	rt.id = id;
	rt.by = occ->occ_jid;
	rt.when = r->now;
	rc = a.retracted ? MUC_OK : archive_tombstone(room, &a, &rt);
	archived_free(&a);
	return rc;
}

/*
 * Steps: 1. who may say what; 2. the relayed copy and its stanza-id;
 * 3. a retraction's tombstone; 4. keep; 5. broadcast.
 */
int
groupchat_handle(struct req *r, struct room *room)
{
	struct occupant	*occ;
	xmpp_stanza_t	*m, *rx;
	const char	*id;
	char		 sid[SID_LEN];
	int64_t		 seq;
	int		 has_body, rc, refused = 0;

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
	if ((rc = archive_stamp(room, m, &seq, sid)) == MUC_OK &&
	    (rx = st_child(r->in, "retract", NS_RETRACT)) != NULL) {
		id = xmpp_stanza_get_id(r->in);
		rc = retract_own(r, room, occ, rx, id != NULL ? id : sid,
		    &refused);
	} else
		rx = NULL;
	/* XEP-0424 7: the retraction is kept too, for clients that catch
	 * up later. */
	if (rc == MUC_OK && !refused && (archive_wants(r->in) || rx != NULL))
		rc = archive_keep(room, m, seq, sid, occ->nick, occ->bare,
		    r->now);
	if (rc != MUC_OK || refused) {
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
