/*
 * proxy.c - iqs between occupants, through their occupant JIDs (XEP-0045
 * 17.3, business rules).
 *
 * An occupant may ask another one something (a vCard for its avatar, its
 * software version, a ping) by sending an iq to room@service/nick.  The
 * room forwards the request to the target's real JID from the asker's
 * occupant JID, and the answer, which the target addresses to the asker's
 * occupant JID, back to the asker's real JID.  Neither side ever sees the
 * other's real JID.  A vcard-temp request goes to the target's bare JID:
 * vCards are the account's, answered by the user's server, and clients
 * mostly do not answer them on a full JID; the answer then comes from the
 * bare JID and is matched to the occupant by it.  The id passes through
 * unchanged, except when the
 * asker is in the room from several clients: then the request's id is
 * tagged with the number of the asking session (SESSION_TAG), so that the
 * answer returns to the client that asked, and the tag is removed again.
 * An error the target answers with (it may not support vCards) is
 * forwarded like any answer: it says nothing about whether the target is
 * still there.  A ping an occupant sends to its own occupant JID is
 * answered by the room (XEP-0410).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "handlers.h"
#include "hygiene.h"
#include "ns.h"

/* Between the asker's id and its session number. */
#define SESSION_TAG	"\xe2\x80\xa2s"		/* "•s": unlikely in an id */
/* Before the nick a vCard request was sent to: its answer comes from the
 * user's bare JID, which may be in the room under several nicks. */
#define NICK_TAG	"\xe2\x80\xa2n"

static const struct session *
session_of(const struct occupant *occ, const char *jid)
{
	size_t	i;

	for (i = 0; i < occ->nsessions; i++)
		if (strcmp(occ->sessions[i].jid, jid) == 0)
			return &occ->sessions[i];
	return NULL;
}

/* An answer's id back to the asker's: strip a session tag and find the
 * session it names (*to), else the occupant's latest session.  Returns
 * a malloc'd id, or NULL (ENOMEM, or the tagged session has left). */
static char *
answer_route(const char *id, const struct occupant *asker, const char **to)
{
	const char	*tag = id != NULL ? strstr(id, SESSION_TAG) : NULL;
	char		*end;
	unsigned long	 seq;
	size_t		 i;

	*to = asker->jid;
	if (tag == NULL)
		return strdup(id != NULL ? id : "");
	seq = strtoul(tag + strlen(SESSION_TAG), &end, 10);
	if (*end != '\0')
		return strdup(id);
	for (i = 0; i < asker->nsessions; i++)
		if (asker->sessions[i].seq == seq) {
			*to = asker->sessions[i].jid;
			return strndup(id, (size_t)(tag - id));
		}
	return NULL;
}

/* The id a request goes out with: id, then the asker's session tag when
 * it has several clients, then the target's nick tag for a vCard. */
static char *
request_id(const char *id, const struct session *s, const char *nick)
{
	size_t	len = (id ? strlen(id) : 0) + sizeof(SESSION_TAG) + 12 +
	    (nick != NULL ? sizeof(NICK_TAG) + strlen(nick) : 0);
	char	*newid;

	if ((newid = malloc(len)) == NULL)
		return NULL;
	snprintf(newid, len, "%s", id ? id : "");
	if (s != NULL)
		snprintf(newid + strlen(newid), len - strlen(newid), "%s%u",
		    SESSION_TAG, s->seq);
	if (nick != NULL)
		snprintf(newid + strlen(newid), len - strlen(newid), "%s%s",
		    NICK_TAG, nick);
	return newid;
}

/* Is the user of occ in the room under another nick too?  Then a vCard
 * answer from its bare JID needs the nick tag to find who was asked. */
static int
user_has_other_nicks(const struct occupant *occ)
{
	const struct occupant	*o;

	for (o = occ->room->head; o != NULL; o = o->next)
		if (o != occ && strcmp(o->bare, occ->bare) == 0)
			return 1;
	return 0;
}

/* Forward in (whose id is id) from occupant `from` to occupant `to`;
 * request tells whether it is a get/set (else an answer to route back). */
static int
proxy_forward(struct req *r, const char *id, const struct occupant *from,
    const struct occupant *to, int request)
{
	xmpp_stanza_t		*vcard = st_child(r->in, "vCard", NS_VCARD);
	const struct session	*s = NULL;
	const char		*dest = to->jid;
	xmpp_stanza_t		*iq;
	char			*newid = NULL;
	int			 rc = MUC_ENOMEM;

	if (request) {
		const char *nick = vcard != NULL && user_has_other_nicks(to) ?
		    to->nick : NULL;

		if (from->nsessions > 1)
			s = session_of(from, r->from);
		if ((s != NULL || nick != NULL) &&
		    (newid = request_id(id, s, nick)) == NULL)
			return MUC_ENOMEM;
	} else if ((newid = answer_route(id, to, &dest)) == NULL)
		return MUC_OK;	/* the asking client has left: nobody to tell */
	if (request && vcard != NULL)
		dest = to->bare;
	if ((iq = hygiene_copy(r->in, from->occ_jid, NULL, r->svc->domain,
	    HYGIENE_IQ)) == NULL)
		goto done;
	if (xmpp_stanza_set_to(iq, dest) != XMPP_EOK ||
	    (newid != NULL && xmpp_stanza_set_id(iq, newid) != XMPP_EOK)) {
		xmpp_stanza_release(iq);
		goto done;
	}
	rc = muc_out_push(r->out, iq);
done:
	free(newid);
	return rc;
}

int
proxy_handle(struct req *r)
{
	struct room	*room;
	struct occupant	*from, *to;
	const char	*id = xmpp_stanza_get_id(r->in), *tag = NULL;
	char		*plain = NULL;
	int		 rc, request;

	request = r->type != NULL && (strcmp(r->type, "get") == 0 ||
	    strcmp(r->type, "set") == 0);
	if ((rc = room_get(r->svc, r->to_jid->node, 0, &room)) != MUC_OK)
		return rc;
	if (room == NULL)
		return request ? req_no_room(r) : MUC_OK;
	from = occupant_by_jid(room, r->from);
	/* A vCard answer comes from the account's bare JID: the nick tag, if
	 * the user has several nicks here, says which was asked; else it is
	 * the user's one occupant. */
	if (from == NULL && !request && strcmp(r->from, r->from_bare) == 0) {
		if (id != NULL && (tag = strstr(id, NICK_TAG)) != NULL)
			from = occupant_by_nick(room, tag + strlen(NICK_TAG));
		else
			for (from = room->head; from != NULL &&
			    strcmp(from->bare, r->from_bare) != 0;
			    from = from->next)
				;
		if (from != NULL && strcmp(from->bare, r->from_bare) != 0)
			from = NULL;
	}
	if (from == NULL)
		return request ? req_error(r, "cancel", "not-acceptable",
		    "You are not currently connected to this chat") : MUC_OK;
	if ((to = occupant_by_nick(room, r->to_jid->resource)) == NULL)
		return request ? req_error(r, "cancel", "item-not-found",
		    "Recipient not in room") : MUC_OK;
	if (request && to == from && st_child(r->in, "ping", NS_PING) != NULL)
		return req_result(r, NULL);	/* XEP-0410 self-ping */
	if (tag != NULL && (id = plain = strndup(id, (size_t)(tag - id))) ==
	    NULL)
		return MUC_ENOMEM;
	rc = proxy_forward(r, id, from, to, request);
	free(plain);
	return rc;
}
