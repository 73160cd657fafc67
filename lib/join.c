/*
 * join.c - entering a room (XEP-0045 7.2).
 *
 * A presence to room/nick from someone who is not in the room asks to
 * enter.  join_allowed() decides whether they may: room lock, ban,
 * members-only, password, nick conflicts and reservations, occupant limit,
 * in that order.  On entry the joiner receives the occupants' presences,
 * its own presence last among presences, the history it asked for, then
 * the subject.
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "archive.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"
#include "permission.h"
#include "presence.h"

/* Compare the password the joiner sent with the room's.  Constant time in
 * the length of the guess, so the room's secret does not leak by timing. */
static int
password_ok(const struct room *room, xmpp_stanza_t *mucx)
{
	xmpp_stanza_t	*pw;
	char		*given;
	const char	*want = room->cfg.password;
	size_t		 i, n, wn = strlen(want);
	unsigned	 diff;

	if (want[0] == '\0')
		return 1;
	if (mucx == NULL || (pw = st_child(mucx, "password", NULL)) == NULL ||
	    st_text(pw, &given) != MUC_OK)
		return 0;
	n = strlen(given);
	diff = n != wn;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)given[i] ^
		    (unsigned char)want[i < wn ? i : 0];
	free(given);
	return diff == 0;
}

/* May the sender enter under nick?  same is the occupant the sender is
 * already in the room as under that nick, from another client, or NULL.
 * Returns 1 and queues nothing, or 0 after queueing the refusal. */
static int
join_allowed(struct req *r, struct room *room, const char *nick,
    xmpp_stanza_t *mucx, enum muc_affiliation aff,
    const struct occupant *same, int *rc)
{
	const char	*taken;

	if (room->locked && aff != AFF_OWNER)
		*rc = req_no_room(r);
	else if (aff == AFF_OUTCAST)
		*rc = req_error(r, "auth", "forbidden",
		    "You are banned from this room");
	else if (room->cfg.members_only && aff < AFF_MEMBER)
		*rc = req_error(r, "auth", "registration-required",
		    "Only members may enter this room");
	else if (!password_ok(room, mucx))
		*rc = req_error(r, "auth", "not-authorized",
		    "This room needs the right password");
	else if (same != NULL)
		return 1;	/* one more client of an occupant */
	else if ((taken = room_nick_taken(room, nick, r->from_bare)) != NULL ||
	    occupant_by_nick(room, nick) != NULL)
		*rc = req_error(r, "cancel", "conflict", taken != NULL ? taken :
		    "That nickname is already in use");
	else if (room->cfg.max_users > 0 && aff < AFF_ADMIN &&
	    room->noccupants >= (size_t)room->cfg.max_users)
		*rc = req_error(r, "wait", "service-unavailable",
		    "The room is full");
	else
		return 1;
	return 0;
}

/* Add the sender to the room as occupant nick, or as one more client of
 * same (the user's occupant under that nick).  *OUT is the occupant. */
static int
join_enter(struct req *r, struct room *room, const char *nick,
    enum muc_affiliation aff, struct occupant *same, struct occupant **occp)
{
	struct occupant	*occ;
	int		 rc;

	if ((occ = same) != NULL) {
		if ((rc = occupant_add_session(occ, r->from)) != MUC_OK)
			return rc;
		if ((rc = occupant_set_payload(occ, r->in)) != MUC_OK) {
			occupant_remove_session(occ, r->from);
			return rc;
		}
	} else if ((occ = occupant_add(room, nick, r->from,
	    role_default(aff, room->cfg.moderated))) == NULL ||
	    occupant_set_payload(occ, r->in) != MUC_OK) {
		if (occ != NULL)
			occupant_remove(occ);
		return MUC_ENOMEM;
	}
	muc_log(r->svc->log, MUC_LOG_DEBUG, "join", "%s entered %s as %s%s",
	    r->from, room->jid, nick, same ? " (another client)" : "");
	*occp = occ;
	return MUC_OK;
}

/* What the joining client receives (7.2.3 to 7.2.16): the occupants'
 * presences, its own (to every client of the occupant, the others see it
 * too; a client resynchronising gets it alone), the history it asked for,
 * the subject. */
static int
join_send(struct req *r, struct room *room, struct occupant *occ,
    xmpp_stanza_t *mucx, int created, int resync)
{
	struct occupant		*o;
	struct pres_extra	 px;
	struct history		*h;
	int			 rc = MUC_OK, self_codes[3];
	size_t			 nself = 0;

	for (o = room->head; o != NULL && rc == MUC_OK; o = o->next)
		if (o != occ && presence_is_broadcast(room, o->role) &&
		    presence_shown_to(room, o->role, occ))
			rc = presence_send_one(room, o, occ, r->from, r->out);
	if (rc == MUC_OK)
		rc = presence_send_offline(room, occ, r->from, r->out);
	if (created)
		self_codes[nself++] = 201;
	if (room->cfg.whois_anyone)
		self_codes[nself++] = 100;
	memset(&px, 0, sizeof(px));
	px.self_codes = self_codes;
	px.nself_codes = nself;
	if (resync)
		px.session = r->from;
	if (rc == MUC_OK)
		rc = resync ? presence_send_self(room, occ, &px, r->out) :
		    presence_broadcast(room, occ, &px, r->out);
	if (rc == MUC_OK && (rc = archive_history(room, &h)) == MUC_OK)
		rc = history_send(h, r->out, r->from,
		    mucx != NULL ? st_child(mucx, "history", NULL) : NULL, r->now);
	if (rc == MUC_OK)
		rc = subject_send(room, r->out, r->from);
	return rc;
}

/* Find the room, or create it when the service lets this user
 * (room_creation, max_rooms_per_user): else not-allowed, as XEP-0045
 * 10.1.1 shows, and *room is NULL. */
static int
join_room(struct req *r, struct room **room)
{
	const char	*why;
	int		 rc;

	if ((rc = room_get(r->svc, r->to_jid->node, 0, room)) != MUC_OK ||
	    *room != NULL)
		return rc;
	if ((rc = room_creation_refusal(r->svc, r->from_bare, &why)) !=
	    MUC_OK)
		return rc;
	if (why != NULL) {
		muc_log(r->svc->log, MUC_LOG_INFO, "join", "%s@%s: creation "
		    "refused to %s: %s", r->to_jid->node, r->svc->domain,
		    r->from_bare, why);
		return req_error(r, "cancel", "not-allowed", why);
	}
	if ((rc = room_get(r->svc, r->to_jid->node, 1, room)) != MUC_OK)
		return rc;
	return room_set_creator(*room, r->from_bare);
}

/*
 * Steps: 1. validate the nick; 2. find or create the room (its creator
 * owns it); 3. check entry; 4. add the occupant, or the session to the
 * user's occupant under that nick; 5. to the joining client: presences,
 * history, subject.
 */
int
join_handle(struct req *r, const char *nick_in)
{
	struct room		*room;
	struct occupant		*occ, *same;
	xmpp_stanza_t		*mucx;
	enum muc_affiliation	 aff;
	int			 rc = MUC_OK, created;
	const char		*why;
	char			*nick;

	if (nick_in == NULL)
		return req_error(r, "modify", "jid-malformed",
		    "A nickname is required to enter a room");
	if ((nick = jid_nick_check(nick_in, &why)) == NULL)
		return why == NULL ? MUC_ENOMEM :
		    req_error(r, "modify", "jid-malformed", why);
	mucx = st_child(r->in, "x", NS_MUC);
	if ((rc = join_room(r, &room)) != MUC_OK || room == NULL)
		goto done;
	created = room->noccupants == 0 && room->locked;
	if (created)
		muc_log(r->svc->log, MUC_LOG_INFO, "join", "%s: created by %s",
		    room->jid, r->from_bare);
	if (created && affiliation_get(room, r->from_bare) == NULL &&
	    (rc = affiliation_set(room, r->from_bare, AFF_OWNER, NULL, NULL)) !=
	    MUC_OK)
		goto done;
	aff = affiliation_of(room, r->from_bare);
	if ((same = occupant_by_nick(room, nick)) != NULL &&
	    strcmp(same->bare, r->from_bare) != 0)
		same = NULL;
	if (join_allowed(r, room, nick, mucx, aff, same, &rc) &&
	    (rc = join_enter(r, room, nick, aff, same, &occ)) == MUC_OK) {
		room_touch(room, r->now);
		rc = join_send(r, room, occ, mucx, created, 0);
	}
done:
	free(nick);
	return rc;
}

/* Do two payloads (either may be NULL) say the same? */
static int
payload_same(xmpp_stanza_t *a, xmpp_stanza_t *b, int *same)
{
	char	*ta = NULL, *tb = NULL;
	size_t	 la, lb;
	int	 rc = MUC_ENOMEM;

	if (a == NULL || b == NULL) {
		*same = a == b;
		return MUC_OK;
	}
	if (xmpp_stanza_to_text(a, &ta, &la) == XMPP_EOK &&
	    xmpp_stanza_to_text(b, &tb, &lb) == XMPP_EOK) {
		*same = la == lb && memcmp(ta, tb, la) == 0;
		rc = MUC_OK;
	}
	if (ta != NULL)
		xmpp_free(xmpp_stanza_get_context(a), ta);
	if (tb != NULL)
		xmpp_free(xmpp_stanza_get_context(b), tb);
	return rc;
}

int
join_resync_handle(struct req *r, struct room *room, struct occupant *occ)
{
	struct pres_extra	 px;
	xmpp_stanza_t		*old = occ->payload;
	int			 rc, same;

	if (old != NULL)
		xmpp_stanza_clone(old);		/* keep it to compare */
	rc = occupant_set_payload(occ, r->in);
	if (rc == MUC_OK)
		rc = payload_same(old, occ->payload, &same);
	if (old != NULL)
		xmpp_stanza_release(old);
	if (rc != MUC_OK)
		return rc;
	muc_log(r->svc->log, MUC_LOG_DEBUG, "join", "%s resynchronises in %s",
	    r->from, room->jid);
	/* The others see at most what changed in the presence. */
	memset(&px, 0, sizeof(px));
	px.no_self = 1;
	if (!same && (rc = presence_broadcast(room, occ, &px, r->out)) !=
	    MUC_OK)
		return rc;
	return join_send(r, room, occ, st_child(r->in, "x", NS_MUC), 0, 1);
}
