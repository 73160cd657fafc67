/*
 * affiliation.c - a room's affiliations and reserved nicks (XEP-0045 5.2,
 * 7.12), in memory and written through to the store.
 *
 * A room keeps every affiliation row indexed by bare JID and, for those
 * with a reserved nick, by nick.  Stored rooms write each change to the
 * store before memory changes, so a failed write changes nothing.  A batch
 * (one muc#admin request) is stored in one transaction first and applied
 * afterwards, item by item, with its effects (action.c).
 */
#include <stdlib.h>
#include <string.h>

#include "confusable.h"
#include "jid.h"
#include "room.h"
#include "store.h"

static void
affiliation_free(struct affiliation *a)
{
	if (a == NULL)
		return;
	free(a->jid);
	free(a->nick);
	free(a->skeleton[0]);
	free(a->skeleton[1]);
	free(a->reason);
	free(a);
}

/* Index a's reserved nick, and its confusables keys (as occupant.c
 * does).  Returns 0, or -1 when the nick index could not grow (a keeps
 * no nick). */
static int
reserve_index(struct room *room, struct affiliation *a)
{
	int	k;

	if (hmap_put(&room->reserved, a->nick, a) != 0)
		return -1;
	if (confusable_keys(room->svc->confusable, a->nick, a->skeleton) != 0)
		return 0;
	for (k = 0; k < 2; k++)
		if (hmap_get(&room->reserved_skeleton, a->skeleton[k]) == NULL)
			(void)hmap_put(&room->reserved_skeleton, a->skeleton[k],
			    a);
	return 0;
}

static void
reserve_unindex(struct room *room, struct affiliation *a)
{
	int	k;

	if (a->nick != NULL)
		hmap_del(&room->reserved, a->nick);
	for (k = 0; k < 2; k++)
		if (a->skeleton[k] != NULL &&
		    hmap_get(&room->reserved_skeleton, a->skeleton[k]) == a)
			hmap_del(&room->reserved_skeleton, a->skeleton[k]);
	for (k = 0; k < 2; k++) {
		free(a->skeleton[k]);
		a->skeleton[k] = NULL;
	}
}

void
affiliation_free_all(struct room *room)
{
	struct affiliation	*a;
	size_t			 i = 0;

	while ((a = hmap_next(&room->affs, &i)) != NULL)
		affiliation_free(a);
	hmap_free(&room->affs);
	hmap_free(&room->reserved);
	hmap_free(&room->reserved_skeleton);
}

/* Load callback: one stored affiliation row into the room. */
static int
affiliation_load_row(void *ud, const char *jid, enum muc_affiliation aff,
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
	if (a->nick != NULL && reserve_index(room, a) != 0)
		return MUC_ENOMEM;	/* a is in affs: freed with the room */
	return 0;
}

int
affiliation_load(struct room *room)
{
	return store_affiliations_load(room->svc->st, room->id,
	    affiliation_load_row, room);
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

/* Store one change (stored rooms only). */
static int
affiliation_store(struct room *room, const struct aff_change *c)
{
	if (room->id == 0)
		return MUC_OK;
	return store_affiliation_set(room->svc->st, room->id, c->bare, c->aff,
	    c->nick, c->reason);
}

int
affiliation_store_all(struct room *room, const struct aff_change *c,
    size_t n)
{
	struct store	*st = room->svc->st;
	size_t		 i;
	int		 rc;

	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	for (i = 0; i < n && rc == MUC_OK; i++)
		rc = affiliation_store(room, &c[i]);
	if (rc == MUC_OK)
		rc = store_commit(st);
	if (rc != MUC_OK)
		store_rollback(st);
	return rc;
}

int
affiliation_store_every(struct room *room)
{
	struct affiliation	*a;
	size_t			 i = 0;
	int			 rc = MUC_OK;

	while (rc == MUC_OK && (a = hmap_next(&room->affs, &i)) != NULL)
		rc = store_affiliation_set(room->svc->st, room->id, a->jid,
		    a->aff, a->nick, a->reason);
	return rc;
}

int
affiliation_set(struct room *room, const char *bare, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	struct aff_change	c = { bare, aff, nick, reason };
	int			rc;

	if ((rc = affiliation_store(room, &c)) != MUC_OK)
		return rc;
	return affiliation_apply(room, bare, aff, nick, reason);
}

/* Forget bare's affiliation in memory. */
static void
affiliation_drop(struct room *room, const char *bare)
{
	struct affiliation	*a = hmap_get(&room->affs, bare);

	if (a == NULL)
		return;
	hmap_del(&room->affs, a->jid);
	reserve_unindex(room, a);
	affiliation_free(a);
}

int
affiliation_apply(struct room *room, const char *bare,
    enum muc_affiliation aff, const char *nick, const char *reason)
{
	struct affiliation	*a = hmap_get(&room->affs, bare), *fresh = NULL;
	char			*n = NULL, *r = NULL;

	/* A temporary room's affiliations live in its snapshot row
	 * (snapshot.c); a stored room's are in the store already. */
	if (room->id == 0)
		(void)noteset_add(&room->svc->snap_rooms, room->name, NULL);
	if (aff == AFF_NONE) {
		affiliation_drop(room, bare);
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
	reserve_unindex(room, a);
	free(a->nick);
	free(a->reason);
	a->nick = n;
	a->reason = r;
	a->aff = aff;
	if (n != NULL && reserve_index(room, a) != 0) {
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
