/*
 * reload.c - applying what an operator changed in the database with SQL
 * while mucd runs.
 *
 * The store's triggers log the name of every room whose rows another
 * connection wrote (sql/schema.sql).  Once a second muc_tick() asks the
 * store for that log, which costs one PRAGMA data_version when nobody
 * wrote.  For a room in memory the stored state is read again and compared
 * with what the room holds; each difference is applied exactly as if an
 * owner had made it through XMPP: a configuration change is announced
 * (104) and may remove non-members (322), a ban removes the occupant
 * (301), lost membership of a members-only room removes (321), other
 * affiliation changes are broadcast, a new subject is sent, a deleted room
 * is destroyed for its occupants.  A room not in memory needs nothing: its
 * next use loads the new rows.
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "handlers.h"
#include "roomopt.h"
#include "vec.h"

struct aff_row {
	char			*jid;
	enum muc_affiliation	 aff;
	char			*nick;
	char			*reason;
};

struct aff_rows {
	struct aff_row		*row;
	size_t			 n, cap;
	const struct muc_logger	*log;
	const char		*room;
};

static void
aff_rows_free(struct aff_rows *rows)
{
	size_t	i;

	for (i = 0; i < rows->n; i++) {
		free(rows->row[i].jid);
		free(rows->row[i].nick);
		free(rows->row[i].reason);
	}
	free(rows->row);
}

static const struct aff_row *
row_find(const struct aff_rows *rows, const char *jid)
{
	size_t	i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->row[i].jid, jid) == 0)
			return &rows->row[i];
	return NULL;
}

/* Load callback: collect one stored row, normalising its JID.  A row
 * whose JID does not prepare is skipped with a log line. */
static int
collect_row(void *ud, const char *jid, enum muc_affiliation aff,
    const char *nick, const char *reason)
{
	struct aff_rows	*rows = ud;
	struct aff_row	*r;
	char		*bare;

	if ((bare = jid_bare_prep(jid)) == NULL) {
		muc_log(rows->log, MUC_LOG_WARN, "reload",
		    "room %s: ignoring affiliation of malformed JID %s",
		    rows->room, jid);
		return 0;
	}
	if (row_find(rows, bare) != NULL) {	/* as room.c: first row wins */
		free(bare);
		return 0;
	}
	if (vec_reserve(&rows->row, &rows->cap, rows->n + 1,
	    sizeof(*rows->row)) != MUC_OK) {
		free(bare);
		return MUC_ENOMEM;
	}
	r = &rows->row[rows->n];
	r->jid = bare;
	r->aff = aff;
	r->nick = nick != NULL ? strdup(nick) : NULL;
	r->reason = strdup(reason != NULL ? reason : "");
	if ((nick != NULL && r->nick == NULL) || r->reason == NULL) {
		free(r->jid);
		free(r->nick);
		free(r->reason);
		return MUC_ENOMEM;
	}
	rows->n++;
	return 0;
}

static int
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Apply one JID's stored affiliation row (NULL: none) to the room. */
static int
reload_affiliation(struct room *room, const char *jid, const struct aff_row *r,
    struct muc_out *out)
{
	struct affiliation	*cur = affiliation_get(room, jid);
	enum muc_affiliation	 old = cur != NULL ? cur->aff : AFF_NONE;
	enum muc_affiliation	 aff = r != NULL ? r->aff : AFF_NONE;
	const char		*nick = r != NULL ? r->nick : NULL;
	char			*j;
	int			 rc;

	if (cur != NULL && r != NULL && cur->aff == r->aff &&
	    str_eq(cur->nick, r->nick) && strcmp(cur->reason, r->reason) == 0)
		return MUC_OK;
	if (cur == NULL && r == NULL)
		return MUC_OK;
	/* jid may belong to cur, which affiliation_apply() frees. */
	if ((j = strdup(jid)) == NULL)
		return MUC_ENOMEM;
	rc = affiliation_apply(room, j, aff, nick, r != NULL ? r->reason : NULL);
	if (rc == MUC_OK && nick != NULL)
		rc = reserved_nick_evict(room, nick, j, out);
	if (rc == MUC_OK && aff != old)
		rc = affiliation_effects(room, j, old, NULL,
		    r != NULL && r->reason[0] != '\0' ? r->reason : NULL, out);
	free(j);
	return rc;
}

/* Bring the room's affiliations in line with rows. */
static int
reload_affiliations(struct room *room, const struct aff_rows *rows,
    struct muc_out *out)
{
	struct affiliation	*a;
	char			**gone = NULL;
	size_t			 i = 0, ngone = 0, cap = 0;
	int			 rc = MUC_OK;

	/* Collect removals first: applying them edits the map we walk. */
	while ((a = hmap_next(&room->affs, &i)) != NULL) {
		if (row_find(rows, a->jid) != NULL)
			continue;
		if (vec_reserve(&gone, &cap, ngone + 1, sizeof(*gone)) !=
		    MUC_OK || (gone[ngone] = strdup(a->jid)) == NULL) {
			rc = MUC_ENOMEM;
			goto done;
		}
		ngone++;
	}
	for (i = 0; i < ngone && rc == MUC_OK; i++)
		rc = reload_affiliation(room, gone[i], NULL, out);
	for (i = 0; i < rows->n && rc == MUC_OK; i++)
		rc = reload_affiliation(room, rows->row[i].jid, &rows->row[i],
		    out);
done:
	for (i = 0; i < ngone; i++)
		free(gone[i]);
	free(gone);
	return rc;
}

/* The room's row is gone: an operator destroyed the room, maybe leaving
 * a reason and an alternate venue in destroy_reasons. */
static int
reload_gone(struct room *room, struct muc_out *out)
{
	char	*reason, *alt;
	int	 rc;

	if (room->id == 0)
		return MUC_OK;	/* never stored, still not: nothing to do */
	if ((rc = room_read_destroy_reason(room, &reason, &alt)) != MUC_OK)
		return rc;
	muc_log(room->svc->log, MUC_LOG_INFO, "reload",
	    "%s was deleted from the database: destroying it%s%s", room->jid,
	    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	room_set_row(room, 0);	/* its rows are gone already */
	rc = room_destroy_announce(room, alt, reason != NULL ? reason :
	    "The room was removed by the service operator", NULL, out);
	free(reason);
	free(alt);
	return rc;
}

/* An operator changed the subject text (and maybe its time): tell the
 * room as if it had just been set. */
static int
reload_subject(struct room *room, const char *subject, const char *nick,
    int64_t when, struct muc_out *out)
{
	xmpp_stanza_t	*s;
	time_t		 t;
	int		 rc;

	if (strcmp(subject, room->subject) == 0 &&
	    strcmp(nick, room->subject_nick) == 0)
		return MUC_OK;
	/* An operator who changes the text may leave the time. */
	t = when > (int64_t)room->subject_time ? (time_t)when :
	    room->svc->now();
	if ((rc = room_set_subject(room, subject, nick, t, 0)) != MUC_OK)
		return rc;
	if ((s = subject_build(room)) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, s, out);
}

/*
 * Steps: 1. read the stored room; 2. gone from the store: destroy it;
 * 3. configuration; 4. subject; 5. affiliations.
 */
static int
reload_room(struct muc_service *svc, struct room *room, struct muc_out *out)
{
	struct room_config	 cfg;
	struct aff_rows		 rows;
	char			*subject = NULL, *subject_nick = NULL;
	char			 what[256];
	int64_t			 id, when = 0;
	int			 rc, subject_changed;

	if (roomconfig_init(&cfg) != 0)
		return MUC_ENOMEM;
	memset(&rows, 0, sizeof(rows));
	rows.log = svc->log;
	rows.room = room->name;
	rc = room_read_stored(room, &id, &cfg, &subject, &subject_nick, &when);
	if (rc != MUC_OK)
		goto done;
	if (id == 0) {
		rc = reload_gone(room, out);
		goto done;
	}
	if ((rc = room_read_stored_affiliations(room, id, collect_row,
	    &rows)) != MUC_OK)
		goto done;
	room_set_row(room, id);
	room_unlock(room);	/* an operator's row is a configured room */
	(void)room_swap_config(room, &cfg, 0);	/* cfg now holds the old one */
	subject_changed = strcmp(subject, room->subject) != 0 ||
	    strcmp(subject_nick, room->subject_nick) != 0;
	roomopt_describe_changes(&cfg, &room->cfg, what, sizeof(what));
	/* Affiliation changes follow, one line each (affiliation_effects). */
	muc_log(svc->log, MUC_LOG_INFO, "reload", "%s: changed in the "
	    "database: options: %s; subject: %s", room->jid, what,
	    subject_changed ? "changed" : "unchanged");
	if ((rc = room_config_announce(room, &cfg, out)) == MUC_OK &&
	    (rc = reload_subject(room, subject, subject_nick, when, out)) ==
	    MUC_OK)
		rc = reload_affiliations(room, &rows, out);
done:
	roomconfig_free(&cfg);
	free(subject);
	free(subject_nick);
	aff_rows_free(&rows);
	return rc;
}

struct reload_walk {
	struct muc_service	*svc;
	struct muc_out		*out;
	char			**names;
	size_t			 n, cap;
	size_t			 seen;		/* change-log rows read */
};

/* Change-log callback: remember each room name once. */
static int
note_room(void *ud, const char *name)
{
	struct reload_walk	*w = ud;
	size_t			 i;

	w->seen++;
	if (name == NULL || hmap_get(&w->svc->rooms, name) == NULL)
		return 0;	/* not in memory: its next load reads the rows */
	for (i = 0; i < w->n; i++)
		if (strcmp(w->names[i], name) == 0)
			return 0;
	if (vec_reserve(&w->names, &w->cap, w->n + 1, sizeof(*w->names)) !=
	    MUC_OK || (w->names[w->n] = strdup(name)) == NULL)
		return MUC_ENOMEM;
	w->n++;
	return 0;
}

int
reload_changed_rooms(struct muc_service *svc, struct muc_out *out)
{
	struct reload_walk	 w;
	struct room		*room;
	size_t			 i;
	int			 rc;

	memset(&w, 0, sizeof(w));
	w.svc = svc;
	w.out = out;
	rc = service_changed_rooms(svc, note_room, &w);
	for (i = 0; i < w.n; i++) {
		if (rc == MUC_OK &&
		    (room = hmap_get(&svc->rooms, w.names[i])) != NULL) {
			rc = reload_room(svc, room, out);
			service_release(svc, w.names[i]);
		}
		free(w.names[i]);
	}
	free(w.names);
	/* A reason left for a room nobody was in has nobody to tell. */
	if (rc == MUC_OK && w.seen > 0)
		rc = service_forget_destroy_reasons(svc);
	return rc;
}
