/*
 * snapshot.c - occupants across restarts: who is in which room, written
 * behind to the store, and put back when the service starts.
 *
 * The state module notes every occupant that changes (as "room/nick")
 * and every room whose temporary-room row may change (noteset.h);
 * snapshot_tick() writes what was noted, at most every snap_interval
 * seconds and in one transaction, so a crash loses at most that much.
 * snapshot_write_all() rewrites everything (a clean shutdown).
 * snapshot_restore() reads it back at start: occupants of stored rooms
 * re-enter them; a temporary room, which has no row in `rooms`, comes
 * back from its temporary_rooms row (configuration as the owner's form,
 * subject, affiliations); occupants whose room is gone, or who may not
 * be in it any more, are kept aside to be told they were removed once
 * the host is online (verify.c).  Nothing is sent from here.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "jid.h"
#include "ns.h"
#include "room.h"
#include "roomopt.h"
#include "store.h"
#include "vec.h"
#include "xtext.h"

/* Write one row per session of occ. */
static int
put_occupant(struct muc_service *svc, const struct occupant *occ)
{
	struct store_occupant	 o;
	char			*xml = NULL;
	size_t			 i, len;
	int			 rc = MUC_OK;

	if (occ->payload != NULL &&
	    xmpp_stanza_to_text(occ->payload, &xml, &len) != XMPP_EOK)
		return MUC_ENOMEM;
	o.room = occ->room->name;
	o.nick = occ->nick;
	o.bare = occ->bare;
	o.role = role_name(occ->role);
	o.presence = xml != NULL ? xml : "";
	o.joined = (int64_t)occ->joined;
	for (i = 0; i < occ->nsessions && rc == MUC_OK; i++) {
		o.jid = occ->sessions[i].jid;
		rc = store_occupant_put(svc->st, &o);
	}
	if (xml != NULL)
		xmpp_free(svc->ctx, xml);
	return rc;
}

/* The affiliations of room as a muc#admin <query/>, written as text. */
static char *
affiliations_text(const struct room *room)
{
	struct xtext		 x = XTEXT_INIT;
	struct affiliation	*a;
	size_t			 i = 0, len;

	xt_raw(&x, "<query xmlns=\"" NS_MUC_ADMIN "\">");
	while ((a = hmap_next(&room->affs, &i)) != NULL) {
		xt_raw(&x, "<item");
		xt_attr(&x, "affiliation", affiliation_name(a->aff));
		xt_attr(&x, "jid", a->jid);
		xt_attr(&x, "nick", a->nick);
		xt_raw(&x, "><reason>");
		xt_text(&x, a->reason);
		xt_raw(&x, "</reason></item>");
	}
	xt_raw(&x, "</query>");
	return xt_done(&x, &len);
}

/* Write the temporary_rooms row of room (temporary, with occupants). */
static int
put_temp_room(struct muc_service *svc, const struct room *room)
{
	struct build		 b = BUILD_INIT(svc->ctx);
	struct store_temp_room	 t;
	xmpp_stanza_t		*wrap;
	char			*form = NULL, *affs;
	size_t			 len;
	int			 rc = MUC_ENOMEM;

	wrap = b_new(&b, "config");
	roomopt_form(&b, wrap, &room->cfg);
	if ((wrap = b_done(&b, wrap)) == NULL)
		return MUC_ENOMEM;
	if ((affs = affiliations_text(room)) != NULL &&
	    xmpp_stanza_to_text(wrap, &form, &len) == XMPP_EOK) {
		t.name = room->name;
		t.config = form;
		t.locked = room->locked;
		t.subject = room->subject;
		t.subject_nick = room->subject_nick;
		t.subject_time = (int64_t)room->subject_time;
		t.affiliations = affs;
		rc = store_temp_room_put(svc->st, &t);
	}
	if (form != NULL)
		xmpp_free(svc->ctx, form);
	free(affs);
	xmpp_stanza_release(wrap);
	return rc;
}

/* Occupant "room/nick" as memory holds it now, in place of its rows. */
static int
flush_occupant(struct muc_service *svc, const char *key)
{
	const char	*slash = strchr(key, '/');
	struct room	*room;
	struct occupant	*occ;
	char		*name;
	int		 rc;

	if (slash == NULL || (name = strndup(key, (size_t)(slash - key))) ==
	    NULL)
		return slash == NULL ? MUC_OK : MUC_ENOMEM;
	rc = store_occupant_forget(svc->st, name, slash + 1);
	room = hmap_get(&svc->rooms, name);
	occ = room != NULL ? occupant_by_nick(room, slash + 1) : NULL;
	if (rc == MUC_OK && occ != NULL)
		rc = put_occupant(svc, occ);
	/* A temporary room's row goes and comes with its occupants. */
	if (rc == MUC_OK && (room == NULL || room->id == 0))
		rc = noteset_add(&svc->snap_rooms, name, NULL);
	free(name);
	return rc;
}

static int
flush_room(struct muc_service *svc, const char *name)
{
	struct room	*room = hmap_get(&svc->rooms, name);

	if (room == NULL || room->id != 0 || room->noccupants == 0)
		return store_temp_room_forget(svc->st, name);
	return put_temp_room(svc, room);
}

int
snapshot_tick(struct muc_service *svc)
{
	struct store	*st = svc->st;
	const char	*key;
	time_t		 now = svc->now();
	size_t		 i;
	int		 rc;

	if (noteset_count(&svc->snap_occupants) == 0 &&
	    noteset_count(&svc->snap_rooms) == 0)
		return MUC_OK;
	if (now >= svc->snap_last && now - svc->snap_last <
	    (time_t)svc->snap_interval)
		return MUC_OK;
	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	for (i = 0; rc == MUC_OK &&
	    (key = noteset_next(&svc->snap_occupants, &i)) != NULL;)
		rc = flush_occupant(svc, key);
	for (i = 0; rc == MUC_OK &&
	    (key = noteset_next(&svc->snap_rooms, &i)) != NULL;)
		rc = flush_room(svc, key);
	if (rc == MUC_OK && (rc = store_commit(st)) == MUC_OK) {
		noteset_clear(&svc->snap_occupants);
		noteset_clear(&svc->snap_rooms);
	} else
		store_rollback(st);	/* the notes stay for the next turn */
	svc->snap_last = now;
	return rc;
}

int
snapshot_write_all(struct muc_service *svc)
{
	struct store	*st = svc->st;
	struct room	*room;
	struct occupant	*o;
	size_t		 i = 0;
	int		 rc;

	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	rc = store_occupants_clear(st);
	while (rc == MUC_OK && (room = hmap_next(&svc->rooms, &i)) != NULL) {
		for (o = room->head; o != NULL && rc == MUC_OK; o = o->next)
			rc = put_occupant(svc, o);
		if (rc == MUC_OK && room->id == 0 && room->noccupants > 0)
			rc = put_temp_room(svc, room);
	}
	if (rc == MUC_OK && (rc = store_commit(st)) == MUC_OK) {
		noteset_clear(&svc->snap_occupants);
		noteset_clear(&svc->snap_rooms);
		svc->snap_last = svc->now();
	} else
		store_rollback(st);
	return rc;
}

int
snapshot_forget_all(struct muc_service *svc)
{
	noteset_clear(&svc->snap_occupants);
	noteset_clear(&svc->snap_rooms);
	return store_occupants_clear(svc->st);
}

/*
 * Restore.
 */

/* Keep occupant JID `occ_jid` of real JID `jid` aside, to be told it
 * was removed once the host is online. */
static int
farewell_add(struct muc_service *svc, const char *room, const char *nick,
    const char *jid)
{
	char	*occ_jid, *copy;

	if (vec_reserve(&svc->farewell, &svc->capfarewell, svc->nfarewell + 2,
	    sizeof(*svc->farewell)) != MUC_OK)
		return MUC_ENOMEM;
	if ((occ_jid = jid_join(room, svc->domain, nick)) == NULL)
		return MUC_ENOMEM;
	if ((copy = strdup(jid)) == NULL) {
		free(occ_jid);
		return MUC_ENOMEM;
	}
	svc->farewell[svc->nfarewell++] = occ_jid;
	svc->farewell[svc->nfarewell++] = copy;
	return MUC_OK;
}

/* Put back the affiliations of a temporary room from its row. */
static int
restore_affiliations(struct room *room, const char *xml)
{
	xmpp_stanza_t	*q, *item;
	char		*reason;
	int		 aff, rc = MUC_OK;

	if (xml[0] == '\0')
		return MUC_OK;
	if ((q = xmpp_stanza_new_from_string(room->svc->ctx, xml)) == NULL)
		return MUC_ENOMEM;
	for (item = xmpp_stanza_get_children(q); item != NULL && rc == MUC_OK;
	    item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    xmpp_stanza_get_attribute(item, "jid") == NULL ||
		    (aff = affiliation_parse(xmpp_stanza_get_attribute(item,
		    "affiliation"))) < 0 || aff == AFF_NONE)
			continue;
		if ((rc = st_child_text(item, "reason", &reason)) != MUC_OK)
			break;
		rc = affiliation_apply(room, xmpp_stanza_get_attribute(item,
		    "jid"), (enum muc_affiliation)aff,
		    xmpp_stanza_get_attribute(item, "nick"), reason);
		free(reason);
	}
	xmpp_stanza_release(q);
	return rc;
}

/* Apply the saved configuration form to room (a fresh temporary room).
 * A form the options no longer accept leaves the defaults (logged). */
static int
restore_config(struct room *room, const char *xml)
{
	struct room_config	 cfg;
	struct roomopt_error	 err;
	xmpp_stanza_t		*wrap, *x;
	int			 rc = MUC_ENOMEM;

	if ((wrap = xmpp_stanza_new_from_string(room->svc->ctx, xml)) == NULL)
		return MUC_ENOMEM;
	if (roomconfig_copy(&cfg, &room->cfg) == 0) {
		x = st_child(wrap, "x", NS_DATA);
		rc = x != NULL ? roomopt_submit(&cfg, x, &err) : MUC_OK;
		if (rc == MUC_OK && (x == NULL || err.condition != NULL))
			muc_log(room->svc->log, MUC_LOG_WARN, "snapshot",
			    "%s: saved configuration refused (%s), using the "
			    "defaults", room->jid, x != NULL ? err.text : "none");
		else if (rc == MUC_OK) {
			cfg.persistent = 0;	/* it has no row in rooms */
			rc = room_swap_config(room, &cfg, 0);
		}
		roomconfig_free(&cfg);
	}
	xmpp_stanza_release(wrap);
	return rc;
}

struct temp_restore {
	struct muc_service	*svc;
	struct room		*room;
	int			 rc;
};

static int
restore_temp_row(void *ud, const struct store_temp_room *t)
{
	struct temp_restore	*tr = ud;
	struct room		*room;
	int			 rc;

	if ((rc = room_get(tr->svc, t->name, 1, &room)) != MUC_OK)
		return tr->rc = rc;
	if ((rc = restore_config(room, t->config)) != MUC_OK ||
	    (rc = room_set_subject(room, t->subject, t->subject_nick,
	    (time_t)t->subject_time, 0)) != MUC_OK ||
	    (rc = restore_affiliations(room, t->affiliations)) != MUC_OK)
		return tr->rc = rc;
	if (!t->locked)
		room_unlock(room);
	tr->room = room;
	return 0;
}

/* The room `name` for restored occupants: stored, or kept as a temporary
 * room; *room NULL when it is gone. */
static int
restore_room(struct muc_service *svc, const char *name, struct room **room)
{
	struct temp_restore	 tr = { svc, NULL, MUC_OK };
	int			 rc, found;

	if ((rc = room_get(svc, name, 0, room)) != MUC_OK || *room != NULL)
		return rc;
	if ((rc = store_temp_room_get(svc->st, name, &found, restore_temp_row,
	    &tr)) != MUC_OK)
		return rc;
	*room = tr.room;
	return tr.rc;
}

/* Is bare still welcome in room (an operator may have banned it or
 * made the room members-only while the service was down)? */
static int
still_welcome(const struct room *room, const char *bare)
{
	enum muc_affiliation	aff = affiliation_of(room, bare);

	return aff != AFF_OUTCAST && (!room->cfg.members_only ||
	    aff >= AFF_MEMBER);
}

/* Put one row's client back into room.  Returns MUC_OK (a row that
 * cannot be used is logged and kept aside), or an error. */
static int
restore_occupant(struct room *room, const struct store_occupant *o)
{
	struct occupant	*occ = occupant_by_nick(room, o->nick);
	xmpp_stanza_t	*p;
	int		 role = role_parse(o->role), rc;

	if (role <= ROLE_NONE || !still_welcome(room, o->bare) ||
	    occupant_by_jid(room, o->jid) != NULL ||
	    (occ != NULL && strcmp(occ->bare, o->bare) != 0)) {
		muc_log(room->svc->log, MUC_LOG_INFO, "snapshot", "%s in %s "
		    "as %s: not put back", o->jid, room->jid, o->nick);
		return farewell_add(room->svc, room->name, o->nick, o->jid);
	}
	if (occ != NULL)
		return occupant_add_session(occ, o->jid);
	if ((occ = occupant_add(room, o->nick, o->jid,
	    (enum muc_role)role)) == NULL)
		return MUC_ENOMEM;
	occ->joined = (time_t)o->joined;
	if (o->presence[0] == '\0')
		return MUC_OK;
	if ((p = xmpp_stanza_new_from_string(room->svc->ctx, o->presence)) ==
	    NULL)
		return MUC_OK;		/* the occupant, without its status */
	rc = occupant_set_payload(occ, p);
	xmpp_stanza_release(p);
	return rc;
}

struct restore {
	struct muc_service	*svc;
	char			*name;		/* the room of the last row */
	struct room		*room;		/* NULL: gone */
	size_t			 nrows;
	int			 rc;
};

static int
restore_row(void *ud, const struct store_occupant *o)
{
	struct restore	*rs = ud;
	int		 rc;

	rs->nrows++;
	if (rs->name == NULL || strcmp(rs->name, o->room) != 0) {
		free(rs->name);
		rs->room = NULL;
		if ((rs->name = strdup(o->room)) == NULL)
			return rs->rc = MUC_ENOMEM;
		if ((rc = restore_room(rs->svc, o->room, &rs->room)) != MUC_OK)
			return rs->rc = rc;
	}
	if (rs->room == NULL || rs->svc->shutdown_notice)
		rc = farewell_add(rs->svc, o->room, o->nick, o->jid);
	else
		rc = restore_occupant(rs->room, o);
	return rc != MUC_OK ? (rs->rc = rc) : 0;
}

/* Steps: 1. every row back into its room (or aside); 2. the store
 * rewritten as memory now is, so the rows that were not used go. */
int
snapshot_restore(struct muc_service *svc)
{
	struct restore	rs = { svc, NULL, NULL, 0, MUC_OK };
	int		rc;

	rc = store_occupants_load(svc->st, restore_row, &rs);
	free(rs.name);
	if (rc == MUC_OK)
		rc = rs.rc;
	if (rc != MUC_OK)
		return rc;
	muc_log(svc->log, MUC_LOG_INFO, "snapshot", "%zu client%s put back "
	    "in their rooms, %zu to be told they were removed", rs.nrows -
	    svc->nfarewell / 2, rs.nrows - svc->nfarewell / 2 == 1 ? "" : "s",
	    svc->nfarewell / 2);
	return snapshot_write_all(svc);
}
