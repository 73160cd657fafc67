/*
 * room.c - the service and its rooms: creation, loading, configuration,
 * subject, lock, lifetime, and the store's room rows.
 *
 * A room is loaded from the store the first time anything names it and
 * stays in memory while it has occupants.  Non-persistent rooms exist only
 * here.  Configuration and subject changes are written through, so memory
 * and database never disagree for longer than one call.  Occupants are in
 * occupant.c, affiliations in affiliation.c; all three are the only writers
 * of room state (room.h).
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "confusable.h"
#include "hats.h"
#include "history.h"
#include "jid.h"
#include "room.h"
#include "store.h"
#include "vec.h"

/* Persistent rooms with more affiliations than this stay in memory once
 * loaded (room_is_unused()). */
#define ROOM_KEEP_AFFILIATIONS	1000

static time_t
clock_now(void)
{
	return time(NULL);
}

/* Prepare the configured admins' JIDs.  Returns MUC_OK, MUC_EINVAL (one
 * is not a JID: logged) or MUC_ENOMEM. */
static int
service_admins(struct muc_service *svc, const struct muc_service_config *cfg)
{
	size_t	i;

	if (cfg->nadmins > 0 &&
	    (svc->admins = calloc(cfg->nadmins, sizeof(*svc->admins))) == NULL)
		return MUC_ENOMEM;
	for (i = 0; i < cfg->nadmins; i++) {
		if ((svc->admins[i] = jid_bare_prep(cfg->admins[i])) == NULL) {
			muc_log(svc->log, MUC_LOG_ERROR, "service",
			    "admin %s is not a valid JID", cfg->admins[i]);
			return MUC_EINVAL;
		}
		svc->nadmins = i + 1;
	}
	return MUC_OK;
}

/* The domains whose users are local (room_creation = local): the ones
 * configured, or the service's parent domain.  MUC_OK, MUC_EINVAL
 * (logged) or MUC_ENOMEM. */
static int
service_local_domains(struct muc_service *svc,
    const struct muc_service_config *cfg)
{
	const char	*dot = strchr(cfg->domain, '.');
	size_t		 i, n;

	n = cfg->nlocal_domains > 0 ? cfg->nlocal_domains : 1;
	if ((svc->local_domains = calloc(n, sizeof(char *))) == NULL)
		return MUC_ENOMEM;
	for (i = 0; i < n; i++) {
		svc->local_domains[i] = jid_bare_prep(cfg->nlocal_domains > 0 ?
		    cfg->local_domains[i] : dot != NULL && dot[1] != '\0' ?
		    dot + 1 : cfg->domain);
		if (svc->local_domains[i] == NULL ||
		    strchr(svc->local_domains[i], '@') != NULL) {
			muc_log(svc->log, MUC_LOG_ERROR, "service",
			    "local domain %s is not a domain",
			    cfg->nlocal_domains > 0 ? cfg->local_domains[i] :
			    cfg->domain);
			free(svc->local_domains[i]);
			return MUC_EINVAL;
		}
		svc->nlocal_domains = i + 1;
	}
	return MUC_OK;
}

/* The settings of cfg, each 0 replaced by its default (muc.h). */
static void
service_settings(struct muc_service *svc, const struct muc_service_config *cfg)
{
	limits_init(&svc->limits, cfg);
	svc->page_default = cfg->page_default > 0 ? cfg->page_default : 100;
	svc->page_max = cfg->page_max > 0 ? cfg->page_max : 250;
	if (svc->page_default > svc->page_max)
		svc->page_default = svc->page_max;
	noteset_init(&svc->snap_occupants);
	noteset_init(&svc->snap_rooms);
	svc->snap_interval = cfg->snapshot_interval > 0 ?
	    cfg->snapshot_interval : 2;
	svc->shutdown_notice = cfg->shutdown_notice;
	hmap_init(&svc->pings);
	svc->verify_per_tick = cfg->verify_per_tick > 0 ?
	    cfg->verify_per_tick : 50;
	svc->verify_timeout = cfg->verify_timeout > 0 ? cfg->verify_timeout :
	    30;
	svc->room_creation = cfg->room_creation;
	svc->max_rooms_per_user = cfg->max_rooms_per_user;
	svc->vcard_max = cfg->vcard_max_bytes > 0 ? cfg->vcard_max_bytes :
	    65536;
}

/* Free what checking clients holds (verify.c's data). */
static void
service_free_checks(struct muc_service *svc)
{
	struct ping_wait	*p;
	size_t			 i = 0;

	for (i = 0; i < svc->vqlen; i++)
		free(svc->vqueue[(svc->vqhead + i) % svc->vqcap]);
	free(svc->vqueue);
	i = 0;
	while ((p = hmap_next(&svc->pings, &i)) != NULL) {
		free(p->id);
		free(p->room);
		free(p->jid);
		free(p);
	}
	hmap_free(&svc->pings);
	for (i = 0; i < svc->nfarewell; i++)
		free(svc->farewell[i]);
	free(svc->farewell);
}

int
muc_service_new(xmpp_ctx_t *ctx, const struct muc_service_config *cfg,
    struct store *st, const struct muc_logger *lg, struct muc_service **out)
{
	struct muc_service	*svc;
	int			 rc;

	*out = NULL;
	if (cfg->domain == NULL || st == NULL)
		return MUC_EINVAL;
	if ((svc = calloc(1, sizeof(*svc))) == NULL)
		return MUC_ENOMEM;
	svc->ctx = ctx;
	svc->st = st;
	svc->log = lg;
	svc->now = clock_now;
	svc->crowded = cfg->crowded;
	hmap_init(&svc->rooms);
	service_settings(svc, cfg);
	rc = MUC_ENOMEM;
	if ((svc->domain = strdup(cfg->domain)) == NULL ||
	    (svc->name = strdup(cfg->name ? cfg->name : "Chatrooms")) == NULL ||
	    (rc = service_admins(svc, cfg)) != MUC_OK ||
	    (rc = service_local_domains(svc, cfg)) != MUC_OK ||
	    (cfg->version != NULL &&
	    (svc->version = strdup(cfg->version)) == NULL) ||
	    (rc = archive_new(svc, cfg)) != MUC_OK ||
	    (rc = store_occupant_key(st, svc->occid_key)) != MUC_OK ||
	    (rc = confusable_new(&svc->confusable)) != MUC_OK) {
		if (rc == MUC_ENOMEM && svc->domain != NULL && svc->name != NULL)
			muc_log(lg, MUC_LOG_ERROR, "service", "cannot open "
			    "ICU's confusables data (or out of memory)");
		muc_service_free(svc);
		return rc;
	}
	*out = svc;
	return MUC_OK;
}

static void	room_free(struct room *room);

void
muc_service_free(struct muc_service *svc)
{
	struct room	*room;
	size_t		 i = 0;

	if (svc == NULL)
		return;
	archive_free(svc);	/* hands its queue to the store */
	while ((room = hmap_next(&svc->rooms, &i)) != NULL)
		room_free(room);
	hmap_free(&svc->rooms);
	service_release(svc, NULL);
	for (i = 0; i < svc->ncounted; i++)
		free(svc->counted[i]);
	free(svc->counted);
	limits_free(&svc->limits);
	noteset_clear(&svc->snap_occupants);
	noteset_clear(&svc->snap_rooms);
	service_free_checks(svc);
	for (i = 0; i < svc->nadmins; i++)
		free(svc->admins[i]);
	free(svc->admins);
	for (i = 0; i < svc->nlocal_domains; i++)
		free(svc->local_domains[i]);
	free(svc->local_domains);
	confusable_free(svc->confusable);
	free(svc->domain);
	free(svc->name);
	free(svc->version);
	free(svc);
}

void
muc_service_set_clock(struct muc_service *svc, time_t (*now)(void))
{
	svc->now = now != NULL ? now : clock_now;
}

static void
room_free(struct room *room)
{
	struct occupant	*occ, *next;

	for (occ = room->head; occ != NULL; occ = next) {
		next = occ->next;
		occupant_remove(occ);
	}
	affiliation_free_all(room);
	hats_free(room);
	hmap_free(&room->by_nick);
	hmap_free(&room->by_jid);
	hmap_free(&room->by_skeleton);
	history_free(room->history);
	roomconfig_free(&room->cfg);
	free(room->subject);
	free(room->subject_nick);
	free(room->creator);
	free(room->vcard);
	free(room->avatar_hash);
	free(room->jid);
	free(room->name);
	free(room);
}

/* Make an empty room object for name; not yet in the service's map. */
static struct room *
room_new(struct muc_service *svc, const char *name)
{
	struct room	*room;

	if ((room = calloc(1, sizeof(*room))) == NULL)
		return NULL;
	room->svc = svc;
	hmap_init(&room->by_nick);
	hmap_init(&room->by_jid);
	hmap_init(&room->by_skeleton);
	hmap_init(&room->affs);
	hmap_init(&room->reserved);
	hmap_init(&room->reserved_skeleton);
	if (roomconfig_init(&room->cfg) != 0) {
		free(room);
		return NULL;
	}
	room->cfg.archive = archive_by_default(svc);
	room->history_loaded = 1;	/* a new room's history is its own */
	if ((room->name = strdup(name)) == NULL ||
	    (room->jid = jid_join(name, svc->domain, NULL)) == NULL ||
	    (room->history = history_new(room->cfg.history_length)) == NULL) {
		room_free(room);
		return NULL;
	}
	return room;
}

/* Fill a new room from its store row, or make it a fresh locked room;
 * *found tells which. */
static int
room_load(struct room *room, int *found)
{
	int64_t	id, when = 0;
	int	rc;

	rc = store_room_load(room->svc->st, room->name, &id, &room->cfg,
	    &room->subject, &room->subject_nick, &when);
	if (rc != MUC_OK)
		return rc;
	if ((*found = id != 0)) {
		room->id = id;
		room->subject_time = (time_t)when;
		room->history_loaded = 0;	/* the archive's, on first use */
		if ((rc = history_set_capacity(room->history,
		    room->cfg.history_length)) != MUC_OK ||
		    (rc = store_room_extras_load(room->svc->st, id,
		    &room->creator, &room->vcard, &room->avatar_hash)) != MUC_OK)
			return rc;
		if ((rc = affiliation_load(room)) != MUC_OK)
			return rc;
		return hats_load(room);
	}
	room->locked = 1;
	if ((room->subject = strdup("")) == NULL ||
	    (room->subject_nick = strdup("")) == NULL)
		return MUC_ENOMEM;
	return MUC_OK;
}

int
room_get(struct muc_service *svc, const char *name, int create,
    struct room **out)
{
	struct room	*room;
	int		 rc, found = 0;

	if ((*out = hmap_get(&svc->rooms, name)) != NULL)
		return MUC_OK;
	if ((room = room_new(svc, name)) == NULL)
		return MUC_ENOMEM;
	if ((rc = room_load(room, &found)) != MUC_OK)
		goto fail;
	if (!found && !create) {
		room_free(room);
		return MUC_OK;
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
room_get_for(struct muc_service *svc, const char *name, const char *bare,
    struct room **out)
{
	int	rc;

	if ((rc = room_get(svc, name, 0, out)) == MUC_OK && *out != NULL &&
	    (*out)->locked && affiliation_of(*out, bare) != AFF_OWNER)
		*out = NULL;
	return rc;
}

int
room_retire(struct room *room, int purge)
{
	struct muc_service	*svc = room->svc;
	struct occupant		*occ, *next;
	int			 rc = MUC_OK;

	if (room->retired)
		return MUC_OK;
	if (purge && room->id != 0) {
		archive_room_gone(room);
		rc = store_room_delete(svc->st, room->id);
	}
	room->id = 0;
	for (occ = room->head; occ != NULL; occ = next) {
		next = occ->next;
		occupant_remove(occ);
	}
	hmap_del(&svc->rooms, room->name);
	(void)noteset_add(&svc->snap_rooms, room->name, NULL);
	room->retired = 1;
	room->next_retired = svc->retired;
	svc->retired = room;
	return rc;
}

/* Does the room hold nothing that would be lost if it left memory? */
static int
room_is_unused(const struct room *room)
{
	if (room->noccupants > 0)
		return 0;
	/* Coming back costs a pass over its affiliations, each JID prepared
	 * again (about 1 s for 100,000): a room that big stays, or every
	 * stanza to it would pay that. */
	if (room->cfg.persistent && room->affs.n > ROOM_KEEP_AFFILIATIONS)
		return 0;
	/* A persistent room that archives has its history in the archive;
	 * one that does not keeps it in memory, and with none there is
	 * nothing the store does not hold, so it can go and come back. */
	return !room->cfg.persistent || archive_enabled(room) ||
	    history_count(room->history) == 0;
}

void
service_release(struct muc_service *svc, const char *name)
{
	struct room	*room;

	if (name != NULL && (room = hmap_get(&svc->rooms, name)) != NULL &&
	    room_is_unused(room)) {
		if (!room->cfg.persistent)
			(void)room_retire(room, 1);
		else {
			hmap_del(&svc->rooms, room->name);
			room_free(room);
		}
	}
	while ((room = svc->retired) != NULL) {
		svc->retired = room->next_retired;
		room_free(room);
	}
}

/* A room that became persistent enters the store with everything it has:
 * the row, the subject, every affiliation, its creator and its vCard,
 * together or not at all. */
static int
room_store_new(struct room *room)
{
	struct store	*st = room->svc->st;
	int		 rc;

	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	rc = store_room_save(st, room->name, &room->id, &room->cfg);
	if (rc == MUC_OK)
		rc = store_room_subject(st, room->id, room->subject,
		    room->subject_nick, room->subject_time);
	if (rc == MUC_OK)
		rc = affiliation_store_every(room);
	if (rc == MUC_OK && room->creator != NULL)
		rc = store_room_creator(st, room->id, room->creator);
	if (rc == MUC_OK && room->vcard != NULL)
		rc = store_room_vcard_set(st, room->id, room->vcard,
		    room->avatar_hash);
	if (rc == MUC_OK)
		rc = hats_store_every(room);
	if (rc == MUC_OK)
		rc = store_commit(st);
	if (rc != MUC_OK) {
		store_rollback(st);
		room->id = 0;
	} else
		archive_room_stored(room);
	return rc;
}

/* Write the room's configuration through to the store. */
static int
room_save(struct room *room)
{
	int	rc;

	if (!room->cfg.persistent) {
		if (room->id == 0)
			return MUC_OK;
		archive_room_gone(room);
		if ((rc = store_room_delete(room->svc->st, room->id)) == MUC_OK)
			room->id = 0;
		return rc;
	}
	if (room->id != 0)
		return store_room_save(room->svc->st, room->name, &room->id,
		    &room->cfg);
	return room_store_new(room);
}

/* Note that what the snapshot keeps of a temporary room (snapshot.c)
 * may have changed.  A lost note (out of memory) leaves the row stale
 * until the room's next change or the shutdown's full write. */
static void
room_note(struct room *room)
{
	(void)noteset_add(&room->svc->snap_rooms, room->name, NULL);
}

static void
room_config_exchange(struct room *room, struct room_config *cfg)
{
	struct room_config	tmp = room->cfg;

	room->cfg = *cfg;
	*cfg = tmp;
	/* A longer history is read again from the archive, if any. */
	if (room->cfg.history_length > cfg->history_length)
		archive_history_stale(room);
	/* Shrinking drops the oldest messages; failing to grow keeps the
	 * old ring, which only means less history: not worth refusing. */
	if (history_set_capacity(room->history, room->cfg.history_length) !=
	    MUC_OK)
		muc_log(room->svc->log, MUC_LOG_WARN, "room",
		    "%s: history length unchanged (out of memory)", room->jid);
}

int
room_swap_config(struct room *room, struct room_config *cfg, int save)
{
	int	rc;

	room_config_exchange(room, cfg);
	if (save && (rc = room_save(room)) != MUC_OK) {
		room_config_exchange(room, cfg);
		return rc;
	}
	room_note(room);
	return MUC_OK;
}

void
room_unlock(struct room *room)
{
	room->locked = 0;
	room_note(room);
}

void
room_touch(struct room *room, time_t when)
{
	room->last_active = when;
	if (!room->touched) {
		room->touched = 1;
		room_count_changed(room);
	}
}

int
room_read_destroy_reason(const struct room *room, char **reason,
    char **alternate)
{
	return store_destroy_reason(room->svc->st, room->name, reason,
	    alternate);
}

void
room_set_row(struct room *room, int64_t id)
{
	room->id = id;
	room_note(room);
}

int
room_read_stored(const struct room *room, int64_t *id, struct room_config *cfg,
    char **subject, char **nick, int64_t *when)
{
	return store_room_load(room->svc->st, room->name, id, cfg, subject,
	    nick, when);
}

int
room_read_stored_affiliations(const struct room *room, int64_t id,
    int (*fn)(void *ud, const char *jid, enum muc_affiliation aff,
    const char *nick, const char *reason), void *ud)
{
	return store_affiliations_load(room->svc->st, id, fn, ud);
}

int
service_changed_rooms(struct muc_service *svc,
    int (*fn)(void *ud, const char *name), void *ud)
{
	return store_changes(svc->st, fn, ud);
}

int
service_forget_destroy_reasons(struct muc_service *svc)
{
	return store_destroy_reasons_forget(svc->st);
}

int
room_set_subject(struct room *room, const char *subject, const char *nick,
    time_t when, int store)
{
	char	*s, *n;
	int	 rc;

	s = strdup(subject);
	n = strdup(nick);
	if (s == NULL || n == NULL) {
		free(s);
		free(n);
		return MUC_ENOMEM;
	}
	if (store && room->id != 0 && (rc = store_room_subject(room->svc->st,
	    room->id, s, n, (int64_t)when)) != MUC_OK) {
		free(s);
		free(n);
		return rc;
	}
	free(room->subject);
	free(room->subject_nick);
	room->subject = s;
	room->subject_nick = n;
	room->subject_time = when;
	room_note(room);
	return MUC_OK;
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

const char *
room_nick_taken(const struct room *room, const char *nick, const char *bare)
{
	struct occupant		*o;
	struct affiliation	*a;
	char			*key[2];
	const char		*why = NULL;
	int			 k;

	if ((o = occupant_by_nick(room, nick)) != NULL && strcmp(o->bare, bare))
		return "That nickname is already in use by another occupant";
	if ((a = affiliation_by_nick(room, nick)) != NULL && strcmp(a->jid, bare))
		return "That nickname is reserved by another user";
	if (!room->cfg.refuse_confusable ||
	    confusable_keys(room->svc->confusable, nick, key) != 0)
		return NULL;
	for (k = 0; k < 2 && why == NULL; k++) {
		if ((o = hmap_get(&room->by_skeleton, key[k])) != NULL &&
		    strcmp(o->bare, bare) != 0)
			why = "That nickname looks like one already in use";
		else if ((a = hmap_get(&room->reserved_skeleton, key[k])) !=
		    NULL && strcmp(a->jid, bare) != 0)
			why = "That nickname looks like one reserved by "
			    "another user";
	}
	free(key[0]);
	free(key[1]);
	return why;
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
room_is_crowded(const struct room *room)
{
	return room->svc->crowded > 0 && room->noccupants > room->svc->crowded;
}

int
room_can_see_jids(const struct room *room, const struct occupant *viewer)
{
	return room->cfg.whois_anyone || viewer->role == ROLE_MODERATOR;
}

/* Rooms gathered for a page, nearest to the bound first. */
struct page_part {
	struct room_page_item	*item;
	size_t			 n, max;
	int			 backward;
};

static int
page_cmp(const struct page_part *p, const char *a, const char *b)
{
	int	c = strcmp(a, b);

	return p->backward ? -c : c;
}

/* Put (name, title) into p if it is among the max nearest, dropping the
 * farthest when full.  Returns 0, or MUC_ENOMEM. */
static int
page_offer(struct page_part *p, const char *name, const char *title)
{
	struct room_page_item	 it;
	size_t			 lo = 0, hi = p->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (page_cmp(p, p->item[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= p->max)
		return 0;
	it.name = strdup(name);
	it.title = strdup(title != NULL && title[0] != '\0' ? title : name);
	if (it.name == NULL || it.title == NULL) {
		free(it.name);
		free(it.title);
		return MUC_ENOMEM;
	}
	if (p->n == p->max) {
		free(p->item[p->n - 1].name);
		free(p->item[p->n - 1].title);
		p->n--;
	}
	memmove(&p->item[lo + 1], &p->item[lo], (p->n - lo) * sizeof(it));
	p->item[lo] = it;
	p->n++;
	return 0;
}

static int
page_offer_cb(void *ud, const char *name, const char *title)
{
	return page_offer(ud, name, title);
}

/* The memory-only public rooms within the bound, into p; *count gets
 * how many there are in all.  O(rooms in memory), which is the rooms
 * with occupants or history, not the stored ones. */
static int
page_memory_rooms(struct muc_service *svc, const char *bound, int all,
    struct page_part *p, size_t *count)
{
	struct room	*room;
	size_t		 i = 0;
	int		 rc;

	*count = 0;
	while ((room = hmap_next(&svc->rooms, &i)) != NULL) {
		if (room->id != 0 ||
		    (!all && (!room->cfg.public_room || room->locked)))
			continue;
		(*count)++;
		if (bound != NULL && page_cmp(p, room->name, bound) <= 0)
			continue;
		if ((rc = page_offer(p, room->name, room->cfg.title)) != 0)
			return rc;
	}
	return MUC_OK;
}

static void
page_items_free(struct room_page_item *it, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(it[i].name);
		free(it[i].title);
	}
}

void
room_page_free(struct room_page *pg)
{
	page_items_free(pg->item, pg->n);
	free(pg->item);
	memset(pg, 0, sizeof(*pg));
}

/*
 * Steps: 1. the store's page (one index range) and the memory-only
 * rooms, each kept to the max nearest the bound; 2. the two merged, max
 * at most, ascending; 3. the count.  With all, every room (the service
 * admins' list, forward only), else the public ones.
 */
static int
rooms_page(struct muc_service *svc, const char *bound, int backward,
    size_t max, int all, struct room_page *pg)
{
	struct page_part	 st = { NULL, 0, max, backward }, mem = st;
	struct room_page_item	 t;
	size_t			 a = 0, b = 0, k, nmem = 0, nstored = 0;
	int			 rc = MUC_ENOMEM, take_a;

	memset(pg, 0, sizeof(*pg));
	if (max > 0 && ((st.item = calloc(max, sizeof(*st.item))) == NULL ||
	    (mem.item = calloc(max, sizeof(*mem.item))) == NULL ||
	    (pg->item = calloc(max, sizeof(*pg->item))) == NULL))
		goto done;
	if (max > 0 && (rc = all ? store_rooms_page(svc->st, bound, max,
	    page_offer_cb, &st) : store_public_page(svc->st, bound, backward,
	    max, page_offer_cb, &st)) != MUC_OK)
		goto done;
	if ((rc = page_memory_rooms(svc, bound, all, &mem, &nmem)) !=
	    MUC_OK || (rc = all ? store_room_count(svc->st, &nstored) :
	    store_public_count(svc->st, &nstored)) != MUC_OK)
		goto done;
	while (pg->n < max && (a < st.n || b < mem.n)) {
		take_a = b == mem.n || (a < st.n &&
		    page_cmp(&st, st.item[a].name, mem.item[b].name) < 0);
		pg->item[pg->n++] = take_a ? st.item[a++] : mem.item[b++];
	}
	for (k = 0; backward && k < pg->n / 2; k++) {
		t = pg->item[k];
		pg->item[k] = pg->item[pg->n - 1 - k];
		pg->item[pg->n - 1 - k] = t;
	}
	pg->count = nstored + nmem;
done:
	page_items_free(st.item + a, st.n - a);	/* not taken */
	page_items_free(mem.item + b, mem.n - b);
	free(st.item);
	free(mem.item);
	if (rc != MUC_OK)
		room_page_free(pg);
	return rc;
}

int
service_public_page(struct muc_service *svc, const char *bound, int backward,
    size_t max, struct room_page *pg)
{
	return rooms_page(svc, bound, backward, max, 0, pg);
}

int
service_rooms_page(struct muc_service *svc, const char *after, size_t max,
    struct room_page *pg)
{
	return rooms_page(svc, after, 0, max, 1, pg);
}

int
service_counts_flush(struct muc_service *svc)
{
	struct room	*room;
	size_t		 i;
	int		 rc = MUC_OK;

	if (svc->ncounted == 0)
		return MUC_OK;
	/* A tick may empty rooms too (ghosts, verify.c): let them go as
	 * muc_handle() does for the room of its stanza. */
	for (i = 0; i < svc->ncounted; i++)
		service_release(svc, svc->counted[i]);
	if ((rc = store_begin(svc->st)) == MUC_OK) {
		for (i = 0; i < svc->ncounted && rc == MUC_OK; i++) {
			room = hmap_get(&svc->rooms, svc->counted[i]);
			rc = store_occupancy(svc->st, svc->counted[i],
			    room != NULL ? room->noccupants : 0);
			if (rc == MUC_OK && room != NULL && room->touched &&
			    room->id != 0)
				rc = store_room_activity(svc->st, room->id,
				    (int64_t)room->last_active);
		}
		if (rc == MUC_OK)
			rc = store_commit(svc->st);
		else
			store_rollback(svc->st);
	}
	for (i = 0; i < svc->ncounted; i++) {
		if ((room = hmap_get(&svc->rooms, svc->counted[i])) != NULL)
			room->counted = room->touched = 0;
		free(svc->counted[i]);
	}
	svc->ncounted = 0;
	return rc;
}

/* Is bare (prepared) a user of one of the service's local domains? */
static int
service_is_local(const struct muc_service *svc, const char *bare)
{
	const char	*at = strchr(bare, '@');
	size_t		 i;

	for (i = 0; i < svc->nlocal_domains; i++)
		if (strcmp(at != NULL ? at + 1 : bare,
		    svc->local_domains[i]) == 0)
			return 1;
	return 0;
}

/* How many rooms bare created: the stored rooms recorded as its, and
 * the rooms that only memory holds (temporary, or not yet configured). */
static int
rooms_created_by(struct muc_service *svc, const char *bare, size_t *n)
{
	struct room	*room;
	size_t		 i = 0;
	int		 rc;

	if ((rc = store_rooms_created(svc->st, bare, n)) != MUC_OK)
		return rc;
	while ((room = hmap_next(&svc->rooms, &i)) != NULL)
		if (room->id == 0 && room->creator != NULL &&
		    strcmp(room->creator, bare) == 0)
			(*n)++;
	return MUC_OK;
}

int
room_creation_refusal(struct muc_service *svc, const char *bare,
    const char **why)
{
	size_t	n;
	int	rc;

	*why = NULL;
	if (service_is_admin(svc, bare))
		return MUC_OK;
	if (svc->room_creation == MUC_CREATE_ADMINS) {
		*why = "Room creation is restricted to administrators";
		return MUC_OK;
	}
	if (svc->room_creation == MUC_CREATE_LOCAL &&
	    !service_is_local(svc, bare)) {
		*why = "Room creation is restricted to local users";
		return MUC_OK;
	}
	if (svc->max_rooms_per_user == 0)
		return MUC_OK;
	if ((rc = rooms_created_by(svc, bare, &n)) != MUC_OK)
		return rc;
	if (n >= svc->max_rooms_per_user)
		*why = "You have created as many rooms as this service allows";
	return MUC_OK;
}

int
room_set_creator(struct room *room, const char *bare)
{
	char	*c;

	if ((c = strdup(bare)) == NULL)
		return MUC_ENOMEM;
	free(room->creator);
	room->creator = c;
	return MUC_OK;
}

int
room_set_vcard(struct room *room, const char *xml, const char *hash)
{
	char	*v = NULL, *h = NULL;
	int	 rc;

	if (xml != NULL && ((v = strdup(xml)) == NULL ||
	    (h = strdup(hash != NULL ? hash : "")) == NULL)) {
		free(v);
		return MUC_ENOMEM;
	}
	if (room->id != 0 && (rc = store_room_vcard_set(room->svc->st,
	    room->id, v, h)) != MUC_OK) {
		free(v);
		free(h);
		return rc;
	}
	free(room->vcard);
	free(room->avatar_hash);
	room->vcard = v;
	room->avatar_hash = h;
	return MUC_OK;
}
