/*
 * store.h - what the engine keeps across restarts, and the interface to it.
 *
 * Only persistent rooms are stored: their configuration, subject and
 * affiliations (with reserved nicks and reasons).  Occupants and history are
 * memory only.  The engine calls the store when something persistent
 * changes, never on the message path; room.c and affiliation.c are its only
 * callers for rooms.  The one backend is store_sqlite.c (with
 * store_rooms.c); its schema, sql/schema.sql and sql/migrations/, is the
 * contract with operators.
 *
 * Every function returns MUC_OK or MUC_ESTORE (already logged).
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include "muc.h"
#include "roomconfig.h"

struct store;

/* The schema version this mucd writes (sql/schema.sql is 1; each
 * sql/migrations/NNNN-what.sql file raises it to NNNN). */
int	store_schema_version(void);
/* Open the database at path, creating it or bringing an older schema
 * forward; a database of a newer schema is refused (logged). */
int	store_open(const char *path, const struct muc_logger *lg,
	    struct store **OUT);
void	store_close(struct store *st);

/* Load room name.  *OUT_id is 0 when there is no such stored room; then cfg
 * and the subject are untouched.  On success with a room, cfg (initialised
 * by the caller), *OUT_subject and *OUT_subject_nick (malloc'd) and
 * *OUT_subject_time are set. */
int	store_room_load(struct store *st, const char *name, int64_t *OUT_id,
	    struct room_config *cfg, char **OUT_subject,
	    char **OUT_subject_nick, int64_t *OUT_subject_time);
/* Insert or update room name.  *id is 0 for a room not yet stored and is
 * set to the new row id. */
int	store_room_save(struct store *st, const char *name, int64_t *id,
	    const struct room_config *cfg);
int	store_room_subject(struct store *st, int64_t id, const char *subject,
	    const char *nick, int64_t when);
/* The room was used at `when` (Unix time). */
int	store_room_activity(struct store *st, int64_t id, int64_t when);
/* An operator's reason (and alternate venue) for destroying room, from
 * destroy_reasons, consumed: *OUT_reason NULL when there is none. */
int	store_destroy_reason(struct store *st, const char *room,
	    char **OUT_reason, char **OUT_alternate);
/* Forget the destroy reasons of rooms that no longer exist: left for a
 * room nobody was in, there was nobody to tell. */
int	store_destroy_reasons_forget(struct store *st);
/* Delete the room and (by cascade) its affiliations. */
int	store_room_delete(struct store *st, int64_t id);

/* Call fn for every affiliation row of room id; fn returns 0 to go on. */
typedef int (*store_affiliation_fn)(void *ud, const char *jid,
	    enum muc_affiliation aff, const char *nick, const char *reason);
int	store_affiliations_load(struct store *st, int64_t id,
	    store_affiliation_fn fn, void *ud);
/* Set jid's affiliation (AFF_NONE deletes the row).  nick may be NULL. */
int	store_affiliation_set(struct store *st, int64_t id, const char *jid,
	    enum muc_affiliation aff, const char *nick, const char *reason);

/* Call fn(ud, name, title) for every public stored room, by name. */
int	store_public_rooms(struct store *st,
	    int (*fn)(void *ud, const char *name, const char *title), void *ud);

/* Operator changes: when another connection has committed since the last
 * call, call fn(ud, room) for each change-log row naming a room (a room may
 * come more than once), then forget those rows.  Costs one PRAGMA when
 * nothing changed. */
int	store_changes(struct store *st, int (*fn)(void *ud, const char *room),
	    void *ud);

/* Record that room has this many occupants now (0 removes its row). */
int	store_occupancy(struct store *st, const char *room, size_t occupants);

/* How many write transactions ran and the microseconds they took. */
void	store_stats(const struct store *st, uint64_t *OUT_transactions,
	    uint64_t *OUT_usec);

/* Group changes that must be all-or-nothing; these nest. */
int	store_begin(struct store *st);
int	store_commit(struct store *st);
void	store_rollback(struct store *st);

#endif /* STORE_H */
