/*
 * moderate.c - a moderator retracts a message (XEP-0425 with XEP-0424).
 *
 * <moderate id='stanza-id'><retract/><reason/></moderate> in an iq set to
 * the room.  A moderator (an occupant with that role, or an admin or
 * owner who is not in the room, whose role would be moderator) may
 * retract any occupant's message the room keeps: the room tells every
 * occupant with a message of its own, from the room JID, carrying
 * <retract id><moderated by/><reason/></retract> and its own stanza-id,
 * keeps that notice (history and archive, so clients catching up learn
 * of it), replaces the message by its tombstone, then answers.  Anyone
 * else gets forbidden, an id the room does not keep item-not-found, a
 * message already retracted just the answer, and a database another
 * connection keeps locked resource-constraint.
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"

/* May the sender moderate?  *by gets its occupant JID, or NULL for an
 * absent admin or owner. */
static int
may_moderate(struct req *r, struct room *room, const char **by)
{
	struct occupant	*occ = occupant_by_jid(room, r->from);

	*by = occ != NULL ? occ->occ_jid : NULL;
	if (occ != NULL)
		return occ->role == ROLE_MODERATOR;
	return affiliation_of(room, r->from_bare) >= AFF_ADMIN;
}

/* The room's notice of a retraction (XEP-0425 3.1), without `to`. */
static xmpp_stanza_t *
notice_build(struct room *room, const char *target, const char *by,
    const char *reason)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *rx, *md;

	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	b_attr(&b, m, "type", "groupchat");
	rx = b_child(&b, m, "retract", NS_RETRACT);
	b_attr(&b, rx, "id", target);
	md = b_child(&b, rx, "moderated", NS_MODERATE);
	b_attr(&b, md, "by", by);
	if (reason != NULL)
		b_text_child(&b, rx, "reason", reason);
	return b_done(&b, m);
}

/*
 * Steps: 1. the notice, with its stanza-id, which is also its id and
 * what the tombstone names it by; 2. the tombstone; 3. keep the notice;
 * 4. tell the room, then answer.
 */
static int
retract(struct req *r, struct room *room, const struct archived *a,
    const char *target, const char *by, const char *reason)
{
	struct retraction	 rt;
	xmpp_stanza_t		*m;
	char			 sid[SID_LEN];
	int64_t			 seq;
	int			 rc;

	if ((m = notice_build(room, target, by, reason)) == NULL)
		return MUC_ENOMEM;
	if ((rc = archive_stamp(room, m, &seq, sid)) != MUC_OK ||
	    (seq != 0 && xmpp_stanza_set_id(m, sid) != XMPP_EOK)) {
		xmpp_stanza_release(m);
		return rc != MUC_OK ? rc : MUC_ENOMEM;
	}
	memset(&rt, 0, sizeof(rt));
	rt.id = seq != 0 ? sid : target;
	rt.by = by;
	rt.reason = reason;
	rt.moderated = 1;
	rt.when = r->now;
	if ((rc = archive_tombstone(room, a, &rt)) != MUC_OK ||
	    (rc = archive_keep(room, m, seq, sid, "", "", r->now)) != MUC_OK) {
		xmpp_stanza_release(m);
		return rc;
	}
	muc_log(r->svc->log, MUC_LOG_INFO, "moderate", "%s retracted "
	    "message %s of %s in %s", r->from, target, a->nick, room->jid);
	if ((rc = room_broadcast(room, m, r->out)) != MUC_OK)
		return rc;
	return req_result(r, NULL);
}

int
moderate_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct archived	 a;
	const char	*id = xmpp_stanza_get_attribute(q, "id"), *by;
	char		*reason = NULL;
	int		 found, rc;

	if (strcmp(r->type, "set") != 0 ||
	    strcmp(xmpp_stanza_get_name(q), "moderate") != 0)
		return req_error(r, "modify", "bad-request",
		    "Moderation is a <moderate/> in an iq of type set");
	if (id == NULL || id[0] == '\0')
		return req_error(r, "modify", "bad-request",
		    "<moderate/> names no message (id)");
	if (st_child(q, "retract", NS_RETRACT) == NULL)
		return req_error(r, "cancel", "feature-not-implemented",
		    "The room moderates by retraction only");
	if (!may_moderate(r, room, &by))
		return req_error(r, "auth", "forbidden",
		    "Only moderators may moderate messages");
	if ((rc = archive_find(room, id, &a, &found)) != MUC_OK)
		return rc == MUC_EBUSY ? req_error(r, "wait",
		    "resource-constraint", "The archive is busy; try again") :
		    rc;
	if (!found || a.nick[0] == '\0') {
		if (found)
			archived_free(&a);
		return req_error(r, "cancel", "item-not-found",
		    "The room keeps no message of an occupant with this id");
	}
	if (a.retracted)
		rc = req_result(r, NULL);
	else if ((rc = st_child_text(q, "reason", &reason)) == MUC_OK)
		rc = retract(r, room, &a, id, by, reason);
	free(reason);
	archived_free(&a);
	return rc == MUC_EBUSY ? req_error(r, "wait", "resource-constraint",
	    "The archive is busy; try again") : rc;
}
