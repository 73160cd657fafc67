/*
 * store_rooms.c - rooms and their affiliations in the SQLite store.
 *
 * A room's options are read and written by column name: the load, insert
 * and update statements are generated from the option table when the
 * store opens (roomopt_sql()), so a new option needs no code here, only
 * its row and the migration that adds its column.  Values the CHECK constraints
 * admit but the option cannot take (an operator's hand-written row) fall
 * back to the option's default with a log line: an odd row must not stop
 * the room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roomopt.h"
#include "store_sqlite.h"

static char *
column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return strdup(t != NULL ? (const char *)t : "");
}

/* Read the options of the current row of STMT_ROOM_LOAD into c. */
static int
room_row_options(struct store *st, sqlite3_stmt *s, const char *name,
    struct room_config *c)
{
	const struct roomopt	*o;
	int			 col = ROOM_LOAD_FIXED, rc;

	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->column == NULL)
			continue;
		rc = roomopt_db_is_int(o) ?
		    roomopt_db_set_int(o, c, (long)sqlite3_column_int64(s, col)) :
		    roomopt_db_set_text(o, c,
		    (const char *)sqlite3_column_text(s, col));
		if (rc == MUC_ENOMEM)
			return rc;
		if (rc != ROPT_OK)
			muc_log(st->log, MUC_LOG_WARN, "store",
			    "room %s: bad %s, using the default", name,
			    o->column);
		col++;
	}
	c->persistent = 1;	/* stored rooms are the persistent ones */
	return MUC_OK;
}

int
store_room_load(struct store *st, const char *name, int64_t *id,
    struct room_config *cfg, char **subject, char **subject_nick,
    int64_t *subject_time)
{
	sqlite3_stmt		*s = st->stmt[STMT_ROOM_LOAD];
	struct room_config	 c;
	int			 rc = MUC_ESTORE, step;

	*id = 0;
	if (sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		store_fail(st, "room load bind");
		goto done;
	}
	if ((step = sqlite3_step(s)) == SQLITE_DONE) {
		rc = MUC_OK;
		goto done;
	}
	if (step != SQLITE_ROW) {
		store_fail(st, "room load");
		goto done;
	}
	rc = MUC_ENOMEM;
	if (roomconfig_init(&c) != 0)
		goto done;
	if (room_row_options(st, s, name, &c) != MUC_OK ||
	    (*subject = column_dup(s, 1)) == NULL) {
		roomconfig_free(&c);
		goto done;
	}
	if ((*subject_nick = column_dup(s, 2)) == NULL) {
		free(*subject);
		*subject = NULL;
		roomconfig_free(&c);
		goto done;
	}
	roomconfig_free(cfg);
	*cfg = c;
	*id = sqlite3_column_int64(s, 0);
	*subject_time = sqlite3_column_int64(s, 3);
	rc = MUC_OK;
done:
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* Bind every stored option of cfg to its parameter (?2 onwards). */
static int
room_bind_options(sqlite3_stmt *s, const struct room_config *cfg)
{
	const struct roomopt	*o;
	char			 buf[64];
	int			 n = 2, rc;

	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->column == NULL)
			continue;
		rc = roomopt_db_is_int(o) ?
		    sqlite3_bind_int64(s, n, roomopt_db_int(o, cfg)) :
		    sqlite3_bind_text(s, n, roomopt_db_text(o, cfg, buf,
		    sizeof(buf)), -1, SQLITE_TRANSIENT);
		if (rc != SQLITE_OK)
			return -1;
		n++;
	}
	return 0;
}

int
store_room_save(struct store *st, const char *name, int64_t *id,
    const struct room_config *cfg)
{
	sqlite3_stmt	*s = st->stmt[*id ? STMT_ROOM_UPDATE : STMT_ROOM_INSERT];
	int		 rc;

	if ((*id ? sqlite3_bind_int64(s, 1, *id) :
	    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC)) != SQLITE_OK ||
	    room_bind_options(s, cfg) != 0) {
		rc = store_fail(st, "room save bind");
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return rc;
	}
	if ((rc = store_begin(st)) != MUC_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return rc;
	}
	if ((rc = store_step_done(st, s, "room save")) == MUC_OK && *id == 0)
		*id = sqlite3_last_insert_rowid(st->db);
	if (rc == MUC_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}


int
store_room_subject(struct store *st, int64_t id, const char *subject,
    const char *nick, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_SUBJECT];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, nick, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, when) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "subject bind");
	}
	return store_write(st, s, "subject");
}


int
store_room_delete(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_DELETE];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK)
		return store_fail(st, "room delete bind");
	return store_write(st, s, "room delete");
}


int
store_affiliations_load(struct store *st, int64_t id, store_affiliation_fn fn,
    void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_AFF_LOAD];
	int		 rc = MUC_OK, step, aff;
	const char	*jid, *nick;

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK)
		return store_fail(st, "affiliations bind");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		jid = (const char *)sqlite3_column_text(s, 0);
		aff = affiliation_parse((const char *)sqlite3_column_text(s, 1));
		nick = (const char *)sqlite3_column_text(s, 2);
		if (jid == NULL || aff < 0 || aff == AFF_NONE)
			continue;	/* CHECK keeps these out; be safe */
		if ((rc = fn(ud, jid, (enum muc_affiliation)aff, nick,
		    (const char *)sqlite3_column_text(s, 3))) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "affiliations load");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}


int
store_affiliation_set(struct store *st, int64_t id, const char *jid,
    enum muc_affiliation aff, const char *nick, const char *reason)
{
	sqlite3_stmt	*s;

	if (aff == AFF_NONE) {
		s = st->stmt[STMT_AFF_DELETE];
		if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
		    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK) {
			sqlite3_reset(s);
			return store_fail(st, "affiliation delete bind");
		}
		return store_write(st, s, "affiliation delete");
	}
	s = st->stmt[STMT_AFF_UPSERT];
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, affiliation_name(aff), -1, SQLITE_STATIC) != SQLITE_OK ||
	    (nick != NULL ? sqlite3_bind_text(s, 4, nick, -1, SQLITE_STATIC) :
	    sqlite3_bind_null(s, 4)) != SQLITE_OK ||
	    sqlite3_bind_text(s, 5, reason != NULL ? reason : "", -1,
	    SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "affiliation bind");
	}
	return store_write(st, s, "affiliation set");
}


int
store_public_page(struct store *st, const char *from, int backward,
    size_t limit, int (*fn)(void *ud, const char *name, const char *title),
    void *ud)
{
	sqlite3_stmt	*s;
	int		 rc = MUC_OK, step, bound;

	s = st->stmt[!backward ? STMT_PUBLIC_ROOMS : from != NULL ?
	    STMT_PUBLIC_BEFORE : STMT_PUBLIC_LAST];
	if (!backward && from == NULL)
		from = "";
	bound = from != NULL ?
	    sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(s, 2, (int64_t)limit) == SQLITE_OK :
	    sqlite3_bind_int64(s, 1, (int64_t)limit) == SQLITE_OK;
	if (!bound) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "public rooms bind");
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = fn(ud, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1))) != 0)
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "public rooms");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_public_count(struct store *st, size_t *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_PUBLIC_COUNT];
	int		 rc = MUC_OK;
	int64_t		 v;

	*n = 0;
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = store_fail(st, "public room count");
	else if ((v = sqlite3_column_int64(s, 0)) > 0)
		*n = (size_t)v;
	sqlite3_reset(s);
	return rc;
}

int
store_rooms_page(struct store *st, const char *from, size_t limit,
    int (*fn)(void *ud, const char *name, const char *title), void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOMS_AFTER];
	int		 rc = MUC_OK, step;

	if (sqlite3_bind_text(s, 1, from != NULL ? from : "", -1,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, (int64_t)limit) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "rooms page bind");
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = fn(ud, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1))) != 0)
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "rooms page");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_room_count(struct store *st, size_t *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_COUNT];
	int		 rc = MUC_OK;
	int64_t		 v;

	*n = 0;
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = store_fail(st, "room count");
	else if ((v = sqlite3_column_int64(s, 0)) > 0)
		*n = (size_t)v;
	sqlite3_reset(s);
	return rc;
}

int
store_room_activity(struct store *st, int64_t id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_ACTIVITY];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, when) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "activity bind");
	}
	return store_write(st, s, "activity");
}

int
store_destroy_reason(struct store *st, const char *room, char **reason,
    char **alternate)
{
	sqlite3_stmt	*s = st->stmt[STMT_DESTROY_REASON];
	int		 rc = MUC_OK, step;

	*reason = *alternate = NULL;
	if (sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "destroy reason bind");
	}
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if ((*reason = column_dup(s, 0)) == NULL ||
		    (sqlite3_column_type(s, 1) != SQLITE_NULL &&
		    (*alternate = column_dup(s, 1)) == NULL))
			rc = MUC_ENOMEM;
	} else if (step != SQLITE_DONE)
		rc = store_fail(st, "destroy reason");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != MUC_OK || *reason == NULL) {
		free(*reason);
		free(*alternate);
		*reason = *alternate = NULL;
		return rc;
	}
	s = st->stmt[STMT_DESTROY_REASON_DELETE];
	if (sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		return MUC_OK;	/* read it; a stale row only repeats it */
	}
	(void)store_write(st, s, "destroy reason delete");
	return MUC_OK;
}

int
store_destroy_reasons_forget(struct store *st)
{
	return store_write(st, st->stmt[STMT_DESTROY_REASONS_STALE],
	    "stale destroy reasons");
}

/* Room vCards (XEP-0486) and creators: the 0006 migration's. */
/* Column col of the current row, malloc'd, or NULL when it is NULL.
 * Returns 0, or -1 on ENOMEM. */
static int
column_dup_null(sqlite3_stmt *s, int col, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return 0;
	return (*out = column_dup(s, col)) != NULL ? 0 : -1;
}

int
store_room_extras_load(struct store *st, int64_t id, char **creator,
    char **xml, char **hash)
{
	sqlite3_stmt	*s = st->stmt[STMT_VCARD_LOAD];
	int		 rc = MUC_OK, step;

	*creator = *xml = *hash = NULL;
	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "room extras bind");
	}
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (column_dup_null(s, 0, creator) != 0 ||
		    column_dup_null(s, 1, xml) != 0 ||
		    (*xml != NULL && column_dup_null(s, 2, hash) != 0))
			rc = MUC_ENOMEM;
	} else if (step != SQLITE_DONE)
		rc = store_fail(st, "room extras load");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != MUC_OK) {
		free(*creator);
		free(*xml);
		free(*hash);
		*creator = *xml = *hash = NULL;
	}
	return rc;
}

int
store_room_vcard_set(struct store *st, int64_t id, const char *xml,
    const char *hash)
{
	sqlite3_stmt	*s = st->stmt[xml != NULL ? STMT_VCARD_PUT :
			    STMT_VCARD_DELETE];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    (xml != NULL && (sqlite3_bind_text(s, 2, xml, -1,
	    SQLITE_STATIC) != SQLITE_OK || sqlite3_bind_text(s, 3,
	    hash != NULL ? hash : "", -1, SQLITE_STATIC) != SQLITE_OK))) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "vcard bind");
	}
	return store_write(st, s, xml != NULL ? "vcard set" : "vcard delete");
}

int
store_room_creator(struct store *st, int64_t id, const char *bare)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOM_CREATOR];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, bare, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "creator bind");
	}
	return store_write(st, s, "creator");
}

int
store_rooms_created(struct store *st, const char *bare, size_t *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_ROOMS_CREATED];
	int		 rc = MUC_OK;
	int64_t		 v;

	*n = 0;
	if (sqlite3_bind_text(s, 1, bare, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "rooms created bind");
	}
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = store_fail(st, "rooms created");
	else if ((v = sqlite3_column_int64(s, 0)) > 0)
		*n = (size_t)v;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* Hats (XEP-0317).  Rows of one room: few, read with the room. */
static int
hats_rows(struct store *st, int64_t id, int wearers,
    int (*hat)(void *, const char *, const char *, const char *),
    int (*wear)(void *, const char *, const char *), void *ud)
{
	sqlite3_stmt	*s = st->stmt[wearers ? STMT_HAT_WEARERS_LOAD :
			    STMT_HATS_LOAD];
	int		 rc = MUC_OK, step;

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK) {
		sqlite3_reset(s);
		return store_fail(st, "hats bind");
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = wearers ? wear(ud, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1)) :
		    hat(ud, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2));
		if (rc != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "hats");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_hats_load(struct store *st, int64_t id,
    int (*hat)(void *, const char *, const char *, const char *),
    int (*wear)(void *, const char *, const char *), void *ud)
{
	int	rc;

	if ((rc = hats_rows(st, id, 0, hat, wear, ud)) != MUC_OK)
		return rc;
	return hats_rows(st, id, 1, hat, wear, ud);
}

int
store_hat_put(struct store *st, int64_t id, const char *uri,
    const char *title, const char *hue)
{
	sqlite3_stmt	*s = st->stmt[STMT_HAT_PUT];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, uri, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, title, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (hue != NULL ? sqlite3_bind_text(s, 4, hue, -1, SQLITE_STATIC) :
	    sqlite3_bind_null(s, 4)) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "hat bind");
	}
	return store_write(st, s, "hat put");
}

int
store_hat_delete(struct store *st, int64_t id, const char *uri)
{
	sqlite3_stmt	*s = st->stmt[STMT_HAT_DELETE];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, uri, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "hat delete bind");
	}
	return store_write(st, s, "hat delete");
}

int
store_hat_wear(struct store *st, int64_t id, const char *jid,
    const char *uri, int on)
{
	sqlite3_stmt	*s = st->stmt[on ? STMT_HAT_WEAR : STMT_HAT_UNWEAR];

	if (sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, jid, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, uri, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "hat wear bind");
	}
	return store_write(st, s, "hat wear");
}
