/*
 * hats.c - the hats of a room and who wears them (XEP-0317): the one
 * writer of room->hats, in memory and, for a stored room, through the
 * store (store_rooms.c), the store first so that a failed write changes
 * nothing.  The commands that call these are in hats_cmd.c; the presence
 * that shows them in presence.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hats.h"
#include "ns.h"
#include "store.h"
#include "vec.h"

/* room->hats, made on first need; NULL when out of memory. */
static struct room_hats *
hats_of(struct room *room)
{
	if (room->hats == NULL)
		room->hats = calloc(1, sizeof(*room->hats));
	return room->hats;
}

static void
hat_clear(struct hat *h)
{
	free(h->uri);
	free(h->title);
	free(h->hue);
}

void
hats_free(struct room *room)
{
	struct room_hats	*rh = room->hats;
	size_t			 i;

	if (rh == NULL)
		return;
	for (i = 0; i < rh->nhat; i++)
		hat_clear(&rh->hat[i]);
	for (i = 0; i < rh->nworn; i++) {
		free(rh->worn[i].jid);
		free(rh->worn[i].uri);
	}
	free(rh->hat);
	free(rh->worn);
	free(rh);
	room->hats = NULL;
}

const struct hat *
hat_find(const struct room *room, const char *uri)
{
	size_t	i;

	for (i = 0; room->hats != NULL && i < room->hats->nhat; i++)
		if (strcmp(room->hats->hat[i].uri, uri) == 0)
			return &room->hats->hat[i];
	return NULL;
}

/* Set or add the hat in memory only. */
static int
hat_put(struct room *room, const char *uri, const char *title,
    const char *hue)
{
	struct room_hats	*rh = hats_of(room);
	struct hat		 h;
	size_t			 i;

	if (rh == NULL)
		return MUC_ENOMEM;
	h.uri = strdup(uri);
	h.title = strdup(title);
	h.hue = hue != NULL ? strdup(hue) : NULL;
	if (h.uri == NULL || h.title == NULL || (hue != NULL && h.hue == NULL))
		goto fail;
	for (i = 0; i < rh->nhat; i++)
		if (strcmp(rh->hat[i].uri, uri) == 0) {
			hat_clear(&rh->hat[i]);
			rh->hat[i] = h;
			return MUC_OK;
		}
	if (vec_reserve(&rh->hat, &rh->caphat, rh->nhat + 1,
	    sizeof(*rh->hat)) != MUC_OK)
		goto fail;
	rh->hat[rh->nhat++] = h;
	return MUC_OK;
fail:
	hat_clear(&h);
	return MUC_ENOMEM;
}

/* Put on or take off in memory only. */
static int
worn_put(struct room *room, const char *bare, const char *uri, int on)
{
	struct room_hats	*rh = hats_of(room);
	struct hat_worn		 w;
	size_t			 i;

	if (rh == NULL)
		return MUC_ENOMEM;
	for (i = 0; i < rh->nworn; i++)
		if (strcmp(rh->worn[i].jid, bare) == 0 &&
		    strcmp(rh->worn[i].uri, uri) == 0)
			break;
	if (!on && i < rh->nworn) {
		free(rh->worn[i].jid);
		free(rh->worn[i].uri);
		rh->worn[i] = rh->worn[--rh->nworn];
	}
	if (!on || i < rh->nworn)
		return MUC_OK;
	if (vec_reserve(&rh->worn, &rh->capworn, rh->nworn + 1,
	    sizeof(*rh->worn)) != MUC_OK)
		return MUC_ENOMEM;
	w.jid = strdup(bare);
	w.uri = strdup(uri);
	if (w.jid == NULL || w.uri == NULL) {
		free(w.jid);
		free(w.uri);
		return MUC_ENOMEM;
	}
	rh->worn[rh->nworn++] = w;
	return MUC_OK;
}

static int
load_hat(void *ud, const char *uri, const char *title, const char *hue)
{
	return hat_put(ud, uri, title, hue);
}

static int
load_wear(void *ud, const char *jid, const char *uri)
{
	return worn_put(ud, jid, uri, 1);
}

int
hats_load(struct room *room)
{
	return store_hats_load(room->svc->st, room->id, load_hat, load_wear,
	    room);
}

int
hats_store_every(struct room *room)
{
	struct room_hats	*rh = room->hats;
	size_t			 i;
	int			 rc = MUC_OK;

	for (i = 0; rh != NULL && i < rh->nhat && rc == MUC_OK; i++)
		rc = store_hat_put(room->svc->st, room->id, rh->hat[i].uri,
		    rh->hat[i].title, rh->hat[i].hue);
	for (i = 0; rh != NULL && i < rh->nworn && rc == MUC_OK; i++)
		rc = store_hat_wear(room->svc->st, room->id, rh->worn[i].jid,
		    rh->worn[i].uri, 1);
	return rc;
}

int
hat_define(struct room *room, const char *uri, const char *title,
    const char *hue)
{
	int	rc;

	if (room->id != 0 && (rc = store_hat_put(room->svc->st, room->id, uri,
	    title, hue)) != MUC_OK)
		return rc;
	return hat_put(room, uri, title, hue);
}

int
hat_destroy(struct room *room, const char *uri)
{
	struct room_hats	*rh = room->hats;
	size_t			 i;
	int			 rc;

	if (room->id != 0 && (rc = store_hat_delete(room->svc->st, room->id,
	    uri)) != MUC_OK)
		return rc;
	for (i = 0; rh != NULL && i < rh->nworn; )
		if (strcmp(rh->worn[i].uri, uri) == 0)
			(void)worn_put(room, rh->worn[i].jid, uri, 0);
		else
			i++;
	for (i = 0; rh != NULL && i < rh->nhat; i++)
		if (strcmp(rh->hat[i].uri, uri) == 0) {
			hat_clear(&rh->hat[i]);
			memmove(&rh->hat[i], &rh->hat[i + 1],
			    (rh->nhat - i - 1) * sizeof(*rh->hat));
			rh->nhat--;
			break;
		}
	return MUC_OK;
}

int
hat_worn(const struct room *room, const char *bare, const char *uri)
{
	size_t	i;

	for (i = 0; room->hats != NULL && i < room->hats->nworn; i++)
		if (strcmp(room->hats->worn[i].jid, bare) == 0 &&
		    strcmp(room->hats->worn[i].uri, uri) == 0)
			return 1;
	return 0;
}

int
hat_wear(struct room *room, const char *bare, const char *uri, int on)
{
	int	rc;

	if (room->id != 0 && (rc = store_hat_wear(room->svc->st, room->id,
	    bare, uri, on)) != MUC_OK)
		return rc;
	return worn_put(room, bare, uri, on);
}

void
hats_presence(struct build *b, xmpp_stanza_t *parent, const struct room *room,
    const char *bare)
{
	const struct room_hats	*rh = room->hats;
	const struct hat	*h;
	xmpp_stanza_t		*hats = NULL, *e;
	size_t			 i;

	for (i = 0; rh != NULL && i < rh->nworn; i++) {
		if (strcmp(rh->worn[i].jid, bare) != 0 ||
		    (h = hat_find(room, rh->worn[i].uri)) == NULL)
			continue;
		if (hats == NULL)
			hats = b_child(b, parent, "hats", NS_HATS);
		e = b_child(b, hats, "hat", NULL);
		b_attr(b, e, "uri", h->uri);
		b_attr(b, e, "title", h->title);
		b_attr(b, e, "hue", h->hue);
	}
}

/* FNV-1a (64 bits) of s and its NUL, continuing from h. */
static uint64_t
fnv64(uint64_t h, const char *s)
{
	do
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	while (*s++ != '\0');
	return h;
}

int
hats_hash(const struct room *room, char buf[17])
{
	const struct room_hats	*rh = room->hats;
	uint64_t		 sum = 0, h;
	size_t			 i;

	if (rh == NULL || rh->nhat == 0)
		return 0;
	/* A sum of each hat's hash: the same set gives the same value in
	 * any order (definition order, or the store's after a reload). */
	for (i = 0; i < rh->nhat; i++) {
		h = fnv64(0xcbf29ce484222325ULL, rh->hat[i].uri);
		h = fnv64(h, rh->hat[i].title);
		sum += fnv64(h, rh->hat[i].hue != NULL ? rh->hat[i].hue : "");
	}
	snprintf(buf, 17, "%016llx", (unsigned long long)sum);
	return 1;
}
