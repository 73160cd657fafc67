/*
 * store_occupants.c - occupants and temporary rooms kept across restarts,
 * in the SQLite store (the occupants and temporary_rooms tables of the
 * 0005 migration).
 *
 * snapshot.c is the only caller: it writes the rows of what changed
 * behind the engine's back, in one transaction per turn, rewrites them
 * all when the service stops, and reads them when it starts.  These
 * tables are mucd's own; operators read them.
 */
#include <string.h>

#include "store_sqlite.h"

static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v != NULL ? v : "", -1,
	    SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

/* Reset s after a bind failed; returns MUC_ESTORE (logged). */
static int
bind_failed(struct store *st, sqlite3_stmt *s, const char *what)
{
	int	rc = store_fail(st, what);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_occupant_forget(struct store *st, const char *room, const char *nick)
{
	sqlite3_stmt	*s = st->stmt[STMT_OCC_FORGET];

	if (bind_text(s, 1, room) != 0 || bind_text(s, 2, nick) != 0)
		return bind_failed(st, s, "occupant forget bind");
	return store_write(st, s, "occupant forget");
}

int
store_occupant_put(struct store *st, const struct store_occupant *o)
{
	sqlite3_stmt	*s = st->stmt[STMT_OCC_PUT];

	if (bind_text(s, 1, o->room) != 0 || bind_text(s, 2, o->nick) != 0 ||
	    bind_text(s, 3, o->jid) != 0 || bind_text(s, 4, o->bare) != 0 ||
	    bind_text(s, 5, o->role) != 0 || bind_text(s, 6, o->presence) != 0 ||
	    sqlite3_bind_int64(s, 7, o->joined) != SQLITE_OK)
		return bind_failed(st, s, "occupant bind");
	return store_write(st, s, "occupant");
}

int
store_occupants_clear(struct store *st)
{
	int	rc;

	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	if ((rc = store_write(st, st->stmt[STMT_OCC_CLEAR], "occupants clear"))
	    == MUC_OK)
		rc = store_write(st, st->stmt[STMT_TEMP_CLEAR],
		    "temporary rooms clear");
	if (rc == MUC_OK)
		return store_commit(st);
	store_rollback(st);
	return rc;
}

static const char *
column(sqlite3_stmt *s, int i)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

int
store_occupants_load(struct store *st,
    int (*fn)(void *ud, const struct store_occupant *o), void *ud)
{
	sqlite3_stmt		*s = st->stmt[STMT_OCC_LOAD];
	struct store_occupant	 o;
	int			 rc = MUC_OK, step;

	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		o.room = column(s, 0);
		o.nick = column(s, 1);
		o.jid = column(s, 2);
		o.bare = column(s, 3);
		o.role = column(s, 4);
		o.presence = column(s, 5);
		o.joined = sqlite3_column_int64(s, 6);
		if ((rc = fn(ud, &o)) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(st, "occupants load");
	sqlite3_reset(s);
	return rc;
}

int
store_temp_room_put(struct store *st, const struct store_temp_room *t)
{
	sqlite3_stmt	*s = st->stmt[STMT_TEMP_PUT];

	if (bind_text(s, 1, t->name) != 0 || bind_text(s, 2, t->config) != 0 ||
	    sqlite3_bind_int(s, 3, t->locked != 0) != SQLITE_OK ||
	    bind_text(s, 4, t->subject) != 0 ||
	    bind_text(s, 5, t->subject_nick) != 0 ||
	    sqlite3_bind_int64(s, 6, t->subject_time) != SQLITE_OK ||
	    bind_text(s, 7, t->affiliations) != 0)
		return bind_failed(st, s, "temporary room bind");
	return store_write(st, s, "temporary room");
}

int
store_temp_room_forget(struct store *st, const char *name)
{
	sqlite3_stmt	*s = st->stmt[STMT_TEMP_FORGET];

	if (bind_text(s, 1, name) != 0)
		return bind_failed(st, s, "temporary room forget bind");
	return store_write(st, s, "temporary room forget");
}

int
store_temp_room_get(struct store *st, const char *name, int *found,
    int (*fn)(void *ud, const struct store_temp_room *t), void *ud)
{
	sqlite3_stmt		*s = st->stmt[STMT_TEMP_GET];
	struct store_temp_room	 t;
	int			 rc = MUC_OK, step;

	*found = 0;
	if (bind_text(s, 1, name) != 0)
		return bind_failed(st, s, "temporary room bind");
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*found = 1;
		t.name = name;
		t.config = column(s, 0);
		t.locked = sqlite3_column_int(s, 1);
		t.subject = column(s, 2);
		t.subject_nick = column(s, 3);
		t.subject_time = sqlite3_column_int64(s, 4);
		t.affiliations = column(s, 5);
		rc = fn(ud, &t);
	} else if (step != SQLITE_DONE)
		rc = store_fail(st, "temporary room");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}
