/*
 * room.c - rooms, occupants and affiliations in memory.
 *
 * A room is loaded from the store the first time anything names it and
 * stays in memory while it has occupants.  Non-persistent rooms exist only
 * here.  Affiliations are written through to the store for stored rooms, so
 * memory and database never disagree for longer than one call.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "history.h"
#include "jid.h"
#include "ns.h"
#include "room.h"
#include "store.h"

static void
affiliation_free(struct affiliation *a)
{
	if (a == NULL)
		return;
	free(a->jid);
	free(a->nick);
	free(a->reason);
	free(a);
}

static void
room_free(struct room *room)
{
	struct occupant		*occ, *next;
	struct affiliation	*a;
	size_t			 i = 0;

	for (occ = room->head; occ != NULL; occ = next) {
		next = occ->next;
		occupant_remove(occ);
	}
	while ((a = hmap_next(&room->affs, &i)) != NULL)
		affiliation_free(a);
	hmap_free(&room->affs);
	hmap_free(&room->reserved);
	hmap_free(&room->by_nick);
	hmap_free(&room->by_jid);
	history_free(room->history);
	roomconfig_free(&room->cfg);
	free(room->subject);
	free(room->subject_nick);
	free(room->jid);
	free(room->name);
	free(room);
}

/* Load callback: one stored affiliation row into the room. */
static int
room_load_affiliation(void *ud, const char *jid, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	struct room		*room = ud;
	struct affiliation	*a;
	char			*bare;

	/* Rows may come from an operator's hand: key them as mucd would. */
	if ((bare = jid_bare_prep(jid)) == NULL) {
		muc_log(room->svc->log, MUC_LOG_WARN, "room",
		    "%s: ignoring affiliation of malformed JID %s", room->name, jid);
		return 0;
	}
	/* Two rows may name one JID in spellings the schema cannot tell
	 * apart (a final dot, Unicode case): the first row read wins. */
	if (hmap_get(&room->affs, bare) != NULL) {
		muc_log(room->svc->log, MUC_LOG_WARN, "room",
		    "%s: ignoring a second affiliation row for %s (%s)",
		    room->name, bare, jid);
		free(bare);
		return 0;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		free(bare);
		return MUC_ENOMEM;
	}
	a->jid = bare;
	if ((nick != NULL && (a->nick = strdup(nick)) == NULL) ||
	    (a->reason = strdup(reason != NULL ? reason : "")) == NULL ||
	    hmap_put(&room->affs, a->jid, a) != 0) {
		affiliation_free(a);
		return MUC_ENOMEM;
	}
	a->aff = aff;
	if (a->nick != NULL && hmap_put(&room->reserved, a->nick, a) != 0)
		return MUC_ENOMEM;	/* a is in affs: freed with the room */
	return 0;
}

/* Make an empty room object for name; not yet in the service's map. */
static struct room *
room_new(struct muc_service *svc, const char *name)
{
	struct room	*room;
	size_t		 len = strlen(name) + strlen(svc->domain) + 2;

	if ((room = calloc(1, sizeof(*room))) == NULL)
		return NULL;
	room->svc = svc;
	hmap_init(&room->by_nick);
	hmap_init(&room->by_jid);
	hmap_init(&room->affs);
	hmap_init(&room->reserved);
	if (roomconfig_init(&room->cfg) != 0) {
		free(room);
		return NULL;
	}
	if ((room->name = strdup(name)) == NULL ||
	    (room->jid = malloc(len)) == NULL ||
	    (room->history = history_new(room->cfg.history_length)) == NULL) {
		room_free(room);
		return NULL;
	}
	strcpy(room->jid, name);
	strcat(room->jid, "@");
	strcat(room->jid, svc->domain);
	return room;
}

int
room_get(struct muc_service *svc, const char *name, int create,
    struct room **out)
{
	struct room	*room;
	int64_t		 id;
	char		*subject = NULL, *subject_nick = NULL;
	int64_t		 when = 0;
	int		 rc;

	*out = NULL;
	if ((room = hmap_get(&svc->rooms, name)) != NULL) {
		*out = room;
		return MUC_OK;
	}
	if ((room = room_new(svc, name)) == NULL)
		return MUC_ENOMEM;
	rc = store_room_load(svc->st, name, &id, &room->cfg, &subject,
	    &subject_nick, &when);
	if (rc != MUC_OK)
		goto fail;
	if (id != 0) {
		room->id = id;
		room->subject = subject;
		room->subject_nick = subject_nick;
		room->subject_time = (time_t)when;
		if ((rc = history_set_capacity(room->history,
		    room->cfg.history_length)) != MUC_OK)
			goto fail;
		rc = store_affiliations_load(svc->st, id, room_load_affiliation,
		    room);
		if (rc != MUC_OK)
			goto fail;
	} else if (!create) {
		room_free(room);
		return MUC_OK;
	} else {
		room->locked = 1;
		if ((room->subject = strdup("")) == NULL ||
		    (room->subject_nick = strdup("")) == NULL) {
			rc = MUC_ENOMEM;
			goto fail;
		}
	}
	if (hmap_put(&svc->rooms, room->name, room) != 0) {
		rc = MUC_ENOMEM;
		goto fail;
	}
	*out = room;
	return MUC_OK;
fail:
	room_free(room);
	return rc;
}

int
room_destroy(struct room *room, int purge)
{
	int	rc = MUC_OK;

	if (purge && room->id != 0)
		rc = store_room_delete(room->svc->st, room->id);
	hmap_del(&room->svc->rooms, room->name);
	room_free(room);
	return rc;
}

void
room_release_if_unused(struct room *room)
{
	if (room->noccupants > 0)
		return;
	if (!room->cfg.persistent) {
		room_destroy(room, 1);
		return;
	}
	/* A persistent room keeps its history in memory; with none there is
	 * nothing the store does not hold, so it can go and come back. */
	if (history_count(room->history) == 0)
		room_destroy(room, 0);
}

int
room_save(struct room *room)
{
	struct muc_service	*svc = room->svc;
	struct affiliation	*a;
	size_t			 i = 0;
	int			 rc;

	if (!room->cfg.persistent) {
		if (room->id == 0)
			return MUC_OK;
		rc = store_room_delete(svc->st, room->id);
		if (rc == MUC_OK)
			room->id = 0;
		return rc;
	}
	if (room->id != 0)
		return store_room_save(svc->st, room->name, &room->id, &room->cfg);
	/* Becoming persistent: the room row, subject and every affiliation
	 * held so far go in together or not at all. */
	if ((rc = store_begin(svc->st)) != MUC_OK)
		return rc;
	rc = store_room_save(svc->st, room->name, &room->id, &room->cfg);
	if (rc == MUC_OK)
		rc = store_room_subject(svc->st, room->id, room->subject,
		    room->subject_nick, room->subject_time);
	while (rc == MUC_OK && (a = hmap_next(&room->affs, &i)) != NULL)
		rc = store_affiliation_set(svc->st, room->id, a->jid, a->aff,
		    a->nick, a->reason);
	if (rc == MUC_OK)
		rc = store_commit(svc->st);
	if (rc != MUC_OK) {
		store_rollback(svc->st);
		room->id = 0;
	}
	return rc;
}

int
room_broadcast(struct room *room, xmpp_stanza_t *stanza, struct muc_out *out)
{
	struct occupant	*o;
	int		 rc;

	if ((rc = muc_out_broadcast(out, stanza)) != MUC_OK)
		return rc;
	for (o = room->head; o != NULL; o = o->next)
		if ((rc = occupant_send_to(out, o)) != MUC_OK)
			return rc;
	return MUC_OK;
}

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

static char *
occupant_jid_for(const struct room *room, const char *nick)
{
	size_t	len = strlen(room->jid) + strlen(nick) + 2;
	char	*s;

	if ((s = malloc(len)) == NULL)
		return NULL;
	strcpy(s, room->jid);
	strcat(s, "/");
	strcat(s, nick);
	return s;
}

/* Note that room's occupant count changed, for the next muc_tick() to
 * write to the occupancy table.  Losing a note to an allocation failure
 * only leaves a stale count until the room's next change. */
static void
room_count_changed(struct room *room)
{
	struct muc_service	*svc = room->svc;
	char			**grown, *name;
	size_t			 cap;

	if (room->counted)
		return;
	if (svc->ncounted == svc->capcounted) {
		cap = svc->capcounted ? svc->capcounted * 2 : 16;
		if ((grown = realloc(svc->counted, cap * sizeof(*grown))) == NULL)
			return;
		svc->counted = grown;
		svc->capcounted = cap;
	}
	if ((name = strdup(room->name)) == NULL)
		return;
	svc->counted[svc->ncounted++] = name;
	room->counted = 1;
}

int
room_counts_flush(struct muc_service *svc)
{
	struct room	*room;
	size_t		 i;
	int		 rc = MUC_OK;

	if (svc->ncounted == 0)
		return MUC_OK;
	if ((rc = store_begin(svc->st)) == MUC_OK) {
		for (i = 0; i < svc->ncounted && rc == MUC_OK; i++) {
			room = hmap_get(&svc->rooms, svc->counted[i]);
			rc = store_occupancy(svc->st, svc->counted[i],
			    room != NULL ? room->noccupants : 0);
		}
		if (rc == MUC_OK)
			rc = store_commit(svc->st);
		else
			store_rollback(svc->st);
	}
	for (i = 0; i < svc->ncounted; i++) {
		if ((room = hmap_get(&svc->rooms, svc->counted[i])) != NULL)
			room->counted = 0;
		free(svc->counted[i]);
	}
	svc->ncounted = 0;
	return rc;
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
	slash = strchr(jid, '/');
	if ((occ->nick = strdup(nick)) == NULL ||
	    (occ->bare = strndup(jid, slash ? (size_t)(slash - jid) :
	    strlen(jid))) == NULL ||
	    (occ->occ_jid = occupant_jid_for(room, nick)) == NULL ||
	    hmap_put(&room->by_nick, occ->nick, occ) != 0)
		goto fail;
	if (occupant_add_session(occ, jid) != MUC_OK) {
		hmap_del(&room->by_nick, occ->nick);
		goto fail;
	}
	occ->prev = room->tail;
	if (room->tail != NULL)
		room->tail->next = occ;
	else
		room->head = occ;
	room->tail = occ;
	room->noccupants++;
	room_count_changed(room);
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
	struct session	*grown;
	char		*copy;

	if ((copy = strdup(jid)) == NULL)
		return MUC_ENOMEM;
	if ((grown = realloc(occ->sessions, (occ->nsessions + 1) *
	    sizeof(*grown))) == NULL) {
		free(copy);
		return MUC_ENOMEM;
	}
	occ->sessions = grown;
	if (hmap_put(&occ->room->by_jid, copy, occ) != 0) {
		free(copy);
		return MUC_ENOMEM;
	}
	occ->sessions[occ->nsessions].jid = copy;
	occ->sessions[occ->nsessions].seq = occ->next_seq++;
	occ->nsessions++;
	occ->jid = copy;
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
	occ->jid = occ->nsessions > 0 ? occ->sessions[occ->nsessions - 1].jid :
	    NULL;
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

	hmap_del(&room->by_nick, occ->nick);
	for (i = 0; i < occ->nsessions; i++) {
		hmap_del(&room->by_jid, occ->sessions[i].jid);
		free(occ->sessions[i].jid);
	}
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
	if ((oj = occupant_jid_for(room, nick)) == NULL) {
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
	free(occ->nick);
	free(occ->occ_jid);
	occ->nick = n;
	occ->occ_jid = oj;
	return MUC_OK;
}

int
occupant_set_payload(struct occupant *occ, xmpp_stanza_t *presence)
{
	struct build	 b = BUILD_INIT(occ->room->svc->ctx);
	xmpp_stanza_t	*p, *c;
	const char	*ns;

	p = b_new(&b, "presence");
	for (c = xmpp_stanza_get_children(presence); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c))
			continue;
		/* The MUC payloads are the room's to write, and a client's
		 * <error/> or <delay/> makes no sense forwarded. */
		ns = xmpp_stanza_get_ns(c);
		if (ns != NULL && (strcmp(ns, NS_MUC) == 0 ||
		    strcmp(ns, NS_MUC_USER) == 0 || strcmp(ns, NS_DELAY) == 0))
			continue;
		if (strcmp(xmpp_stanza_get_name(c), "error") == 0)
			continue;
		b_copy(&b, p, c);
	}
	if ((p = b_done(&b, p)) == NULL)
		return MUC_ENOMEM;
	if (occ->payload != NULL)
		xmpp_stanza_release(occ->payload);
	occ->payload = p;
	return MUC_OK;
}

int
service_is_admin(const struct muc_service *svc, const char *bare)
{
	size_t	i;

	for (i = 0; i < svc->nadmins; i++)
		if (strcmp(svc->admins[i], bare) == 0)
			return 1;
	return 0;
}

struct affiliation *
affiliation_get(const struct room *room, const char *bare)
{
	return hmap_get(&room->affs, bare);
}

struct affiliation *
affiliation_by_nick(const struct room *room, const char *nick)
{
	return hmap_get(&room->reserved, nick);
}

enum muc_affiliation
affiliation_of(const struct room *room, const char *bare)
{
	struct affiliation	*a;
	const char		*at;

	if (service_is_admin(room->svc, bare))
		return AFF_OWNER;
	if ((a = hmap_get(&room->affs, bare)) != NULL)
		return a->aff;
	/* 9.1: banning a domain bans its users (who have no row of their
	 * own); a domain's other affiliations give its users nothing. */
	if ((at = strchr(bare, '@')) != NULL &&
	    (a = hmap_get(&room->affs, at + 1)) != NULL && a->aff == AFF_OUTCAST)
		return AFF_OUTCAST;
	return AFF_NONE;
}

int
affiliation_store(struct room *room, const char *bare,
    enum muc_affiliation aff, const char *nick, const char *reason)
{
	if (room->id == 0)
		return MUC_OK;
	return store_affiliation_set(room->svc->st, room->id, bare, aff, nick,
	    reason);
}

int
affiliation_set(struct room *room, const char *bare, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	int	rc;

	if ((rc = affiliation_store(room, bare, aff, nick, reason)) != MUC_OK)
		return rc;
	return affiliation_apply(room, bare, aff, nick, reason);
}

size_t
room_owner_count(const struct room *room)
{
	struct affiliation	*a;
	size_t			 i = 0, n = 0;

	while ((a = hmap_next(&room->affs, &i)) != NULL)
		n += a->aff == AFF_OWNER;
	return n;
}

int
affiliation_apply(struct room *room, const char *bare,
    enum muc_affiliation aff, const char *nick, const char *reason)
{
	struct affiliation	*a = hmap_get(&room->affs, bare), *fresh = NULL;
	char			*n = NULL, *r = NULL;

	if (aff == AFF_NONE) {
		if (a == NULL)
			return MUC_OK;
		hmap_del(&room->affs, a->jid);
		if (a->nick != NULL)
			hmap_del(&room->reserved, a->nick);
		affiliation_free(a);
		return MUC_OK;
	}
	if ((nick != NULL && (n = strdup(nick)) == NULL) ||
	    (r = strdup(reason != NULL ? reason : "")) == NULL)
		goto nomem;
	if (a == NULL) {
		if ((fresh = calloc(1, sizeof(*fresh))) == NULL ||
		    (fresh->jid = strdup(bare)) == NULL ||
		    hmap_put(&room->affs, fresh->jid, fresh) != 0)
			goto nomem;
		a = fresh;
	}
	if (a->nick != NULL)
		hmap_del(&room->reserved, a->nick);
	free(a->nick);
	free(a->reason);
	a->nick = n;
	a->reason = r;
	a->aff = aff;
	if (n != NULL && hmap_put(&room->reserved, n, a) != 0) {
		a->nick = NULL;	/* keep the affiliation, lose the reservation */
		free(n);
		return MUC_ENOMEM;
	}
	return MUC_OK;
nomem:
	free(n);
	free(r);
	if (fresh != NULL) {
		free(fresh->jid);
		free(fresh);
	}
	return MUC_ENOMEM;
}

int
room_can_see_jids(const struct room *room, const struct occupant *viewer)
{
	return room->cfg.whois_anyone || viewer->role == ROLE_MODERATOR;
}
