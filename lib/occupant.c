/*
 * occupant.c - a room's occupants: entering and leaving its indexes, their
 * sessions, nicks, roles and presence payloads.
 *
 * An occupant is one nick of one user, who may be in the room from several
 * clients (sessions) at once.  The room indexes occupants by nick and by
 * every session's real full JID and keeps them in join order.  Nothing
 * here touches the store: each change is noted (occupant_note()) for the
 * snapshot that snapshot.c writes behind.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "confusable.h"
#include "hygiene.h"
#include "jid.h"
#include "ns.h"
#include "room.h"
#include "vec.h"

struct occupant *
occupant_by_nick(const struct room *room, const char *nick)
{
	return hmap_get(&room->by_nick, nick);
}

struct occupant *
occupant_by_jid(const struct room *room, const char *jid)
{
	return hmap_get(&room->by_jid, jid);
}

/* Losing a note to an allocation failure only leaves a stale count (or
 * activity time) until the room's next change. */
void
room_count_changed(struct room *room)
{
	struct muc_service	*svc = room->svc;
	char			*name;

	if (room->counted || vec_reserve(&svc->counted, &svc->capcounted,
	    svc->ncounted + 1, sizeof(*svc->counted)) != MUC_OK)
		return;
	if ((name = strdup(room->name)) == NULL)
		return;
	svc->counted[svc->ncounted++] = name;
	room->counted = 1;
}

/* Note that occ changed, for the next snapshot of the occupants
 * (snapshot.c).  A lost note (out of memory) leaves its row stale until
 * its next change or the shutdown's full write. */
static void
occupant_note(const struct occupant *occ)
{
	(void)noteset_add(&occ->room->svc->snap_occupants, occ->room->name,
	    occ->nick);
}

/* Index occ by the confusables keys of its nick, for look-alike
 * refusals (room_nick_taken()).  An ICU failure, or a key another
 * occupant holds already (the room allowed look-alikes then), leaves a key
 * out of the index: a look-alike may then pass, nothing worse. */
static void
skeleton_index(struct occupant *occ)
{
	struct room	*room = occ->room;
	int		 k;

	if (confusable_keys(room->svc->confusable, occ->nick,
	    occ->skeleton) != 0)
		return;
	for (k = 0; k < 2; k++)
		if (hmap_get(&room->by_skeleton, occ->skeleton[k]) == NULL)
			(void)hmap_put(&room->by_skeleton, occ->skeleton[k], occ);
}

static void
skeleton_unindex(struct occupant *occ)
{
	struct room	*room = occ->room;
	int		 k;

	for (k = 0; k < 2; k++) {
		if (occ->skeleton[k] != NULL &&
		    hmap_get(&room->by_skeleton, occ->skeleton[k]) == occ)
			hmap_del(&room->by_skeleton, occ->skeleton[k]);
	}
	for (k = 0; k < 2; k++) {
		free(occ->skeleton[k]);
		occ->skeleton[k] = NULL;
	}
}

struct occupant *
occupant_add(struct room *room, const char *nick, const char *jid,
    enum muc_role role)
{
	struct occupant	*occ;
	const char	*slash;

	if ((occ = calloc(1, sizeof(*occ))) == NULL)
		return NULL;
	occ->room = room;
	occ->role = role;
	occ->joined = room->svc->now();
	slash = strchr(jid, '/');
	if ((occ->nick = strdup(nick)) == NULL ||
	    (occ->bare = strndup(jid, slash ? (size_t)(slash - jid) :
	    strlen(jid))) == NULL ||
	    (occ->occ_jid = jid_join(room->name, room->svc->domain, nick)) ==
	    NULL || hmap_put(&room->by_nick, occ->nick, occ) != 0)
		goto fail;
	occid_make(room->svc->occid_key, room->jid, occ->bare,
	    occ->occupant_id);
	if (occupant_add_session(occ, jid) != MUC_OK) {
		hmap_del(&room->by_nick, occ->nick);
		goto fail;
	}
	skeleton_index(occ);
	occ->prev = room->tail;
	if (room->tail != NULL)
		room->tail->next = occ;
	else
		room->head = occ;
	room->tail = occ;
	room->noccupants++;
	room->svc->noccupants++;
	room_count_changed(room);
	occupant_note(occ);
	return occ;
fail:
	free(occ->nick);
	free(occ->bare);
	free(occ->occ_jid);
	free(occ);
	return NULL;
}

int
occupant_add_session(struct occupant *occ, const char *jid)
{
	char	*copy;

	if ((copy = strdup(jid)) == NULL)
		return MUC_ENOMEM;
	if (vec_reserve(&occ->sessions, &occ->capsessions, occ->nsessions + 1,
	    sizeof(*occ->sessions)) != MUC_OK ||
	    hmap_put(&occ->room->by_jid, copy, occ) != 0) {
		free(copy);
		return MUC_ENOMEM;
	}
	occ->sessions[occ->nsessions].jid = copy;
	occ->sessions[occ->nsessions].seq = occ->next_seq++;
	occ->nsessions++;
	occ->room->svc->nsessions++;
	occ->jid = copy;
	if (occ->prev != NULL || occ->room->head == occ)
		occupant_note(occ);	/* in the room already: a new session */
	return MUC_OK;
}

size_t
occupant_remove_session(struct occupant *occ, const char *jid)
{
	size_t	i;

	for (i = 0; i < occ->nsessions; i++)
		if (strcmp(occ->sessions[i].jid, jid) == 0)
			break;
	if (i == occ->nsessions)
		return 0;
	hmap_del(&occ->room->by_jid, occ->sessions[i].jid);
	free(occ->sessions[i].jid);
	memmove(&occ->sessions[i], &occ->sessions[i + 1],
	    (occ->nsessions - i - 1) * sizeof(*occ->sessions));
	occ->nsessions--;
	occ->room->svc->nsessions--;
	occ->jid = occ->nsessions > 0 ? occ->sessions[occ->nsessions - 1].jid :
	    NULL;
	occupant_note(occ);
	return occ->nsessions;
}

int
occupant_send_to(struct muc_out *out, const struct occupant *occ)
{
	size_t	i;
	int	rc;

	for (i = 0; i < occ->nsessions; i++)
		if ((rc = muc_out_add_to(out, occ->sessions[i].jid)) != MUC_OK)
			return rc;
	return MUC_OK;
}

void
occupant_remove(struct occupant *occ)
{
	struct room	*room = occ->room;
	size_t		 i;

	occupant_note(occ);
	skeleton_unindex(occ);
	hmap_del(&room->by_nick, occ->nick);
	for (i = 0; i < occ->nsessions; i++) {
		hmap_del(&room->by_jid, occ->sessions[i].jid);
		free(occ->sessions[i].jid);
	}
	room->svc->nsessions -= occ->nsessions;
	room->svc->noccupants--;
	free(occ->sessions);
	if (occ->prev != NULL)
		occ->prev->next = occ->next;
	else
		room->head = occ->next;
	if (occ->next != NULL)
		occ->next->prev = occ->prev;
	else
		room->tail = occ->prev;
	room->noccupants--;
	room_count_changed(room);
	if (occ->payload != NULL)
		xmpp_stanza_release(occ->payload);
	free(occ->nick);
	free(occ->bare);
	free(occ->occ_jid);
	free(occ);
}

int
occupant_set_nick(struct occupant *occ, const char *nick)
{
	struct room	*room = occ->room;
	char		*n, *oj;

	if ((n = strdup(nick)) == NULL)
		return MUC_ENOMEM;
	if ((oj = jid_join(room->name, room->svc->domain, nick)) == NULL) {
		free(n);
		return MUC_ENOMEM;
	}
	/* Insert first: if the map cannot grow, nothing has changed. */
	if (hmap_put(&room->by_nick, n, occ) != 0) {
		free(n);
		free(oj);
		return MUC_ENOMEM;
	}
	hmap_del(&room->by_nick, occ->nick);
	skeleton_unindex(occ);
	occupant_note(occ);		/* the old nick's row goes */
	free(occ->nick);
	free(occ->occ_jid);
	occ->nick = n;
	occ->occ_jid = oj;
	skeleton_index(occ);
	occupant_note(occ);
	return MUC_OK;
}

/* Replace the payload with p (stolen; may be NULL). */
static void
occupant_take_payload(struct occupant *occ, xmpp_stanza_t *p)
{
	if (occ->payload != NULL)
		xmpp_stanza_release(occ->payload);
	occ->payload = p;
	occupant_note(occ);
}

int
occupant_set_payload(struct occupant *occ, xmpp_stanza_t *presence)
{
	struct build	 b = BUILD_INIT(occ->room->svc->ctx);
	xmpp_stanza_t	*p, *c;

	p = b_new(&b, "presence");
	/* The language of its <status/>, relayed as messages' is. */
	b_attr(&b, p, "xml:lang", xmpp_stanza_get_attribute(presence, "lang"));
	for (c = xmpp_stanza_get_children(presence); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (xmpp_stanza_is_tag(c) && !hygiene_forged(c,
		    occ->room->svc->domain, HYGIENE_PRESENCE))
			b_copy(&b, p, c);
	}
	if ((p = b_done(&b, p)) == NULL)
		return MUC_ENOMEM;
	occupant_take_payload(occ, p);
	return MUC_OK;
}

int
occupant_keep_status(struct occupant *occ, xmpp_stanza_t *presence)
{
	struct build	 b = BUILD_INIT(occ->room->svc->ctx);
	xmpp_stanza_t	*status, *p;

	status = presence != NULL ? st_child(presence, "status", NULL) : NULL;
	if (status == NULL) {
		occupant_take_payload(occ, NULL);
		return MUC_OK;
	}
	p = b_new(&b, "presence");
	b_copy(&b, p, status);
	if ((p = b_done(&b, p)) == NULL) {
		occupant_take_payload(occ, NULL);
		return MUC_ENOMEM;
	}
	occupant_take_payload(occ, p);
	return MUC_OK;
}

void
occupant_set_role(struct occupant *occ, enum muc_role role)
{
	if (occ->role != role) {
		occ->voice_requested = 0;	/* decided */
		occupant_note(occ);
	}
	occ->role = role;
}

void
occupant_set_voice_requested(struct occupant *occ, int on)
{
	occ->voice_requested = on;
}
