/*
 * store.h - what the engine keeps across restarts, and the interface to it.
 *
 * Persistent rooms are stored: their configuration, subject and
 * affiliations (with reserved nicks and reasons), written through; the
 * archive of their messages; and the occupants, written behind by
 * snapshot.c so that they survive a restart.  The engine calls the store
 * when something persistent changes, never on the message path: room.c
 * and affiliation.c are its only callers for rooms, archive.c for the
 * archive, whose writes are queued and done in batches off the main loop
 * (store_archive.c), snapshot.c for occupants (store_occupants.c).  The
 * one backend is store_sqlite.c (with store_rooms.c, store_archive.c and
 * store_occupants.c); its schema, sql/schema.sql and sql/migrations/, is
 * the contract with operators.
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

/* What the 0006 migration keeps of room id: its creator, and its vCard
 * (XEP-0486) with the avatar hashes (malloc'd; each NULL when there is
 * none).  Set replaces the vCard; xml NULL deletes it. */
int	store_room_extras_load(struct store *st, int64_t id,
	    char **OUT_creator, char **OUT_xml, char **OUT_hash);
int	store_room_vcard_set(struct store *st, int64_t id, const char *xml,
	    const char *hash);
/* Record who created room id; how many stored rooms bare created. */
int	store_room_creator(struct store *st, int64_t id, const char *bare);
int	store_rooms_created(struct store *st, const char *bare,
	    size_t *OUT_n);

/* Call fn for every affiliation row of room id; fn returns 0 to go on. */
typedef int (*store_affiliation_fn)(void *ud, const char *jid,
	    enum muc_affiliation aff, const char *nick, const char *reason);
int	store_affiliations_load(struct store *st, int64_t id,
	    store_affiliation_fn fn, void *ud);
/* Set jid's affiliation (AFF_NONE deletes the row).  nick may be NULL. */
int	store_affiliation_set(struct store *st, int64_t id, const char *jid,
	    enum muc_affiliation aff, const char *nick, const char *reason);

/* A page of the public stored rooms, by name: with backward 0 up to
 * limit rooms whose name sorts after `from` ("" for the first ones),
 * nearest first; with backward 1 up to limit rooms before `from` (NULL:
 * the last ones), nearest first, so in descending order.  fn(ud, name,
 * title) for each, returning 0 to go on.  One range of an index: the
 * cost is the page's, whatever the number of rooms. */
int	store_public_page(struct store *st, const char *from, int backward,
	    size_t limit,
	    int (*fn)(void *ud, const char *name, const char *title), void *ud);
/* How many public rooms are stored (room_stats, kept by triggers). */
int	store_public_count(struct store *st, size_t *OUT);
/* Every stored room, public or not, for the service's admins: up to
 * limit rooms whose name sorts after `from` ("" for the first), in name
 * order; fn as for store_public_page().  How many rooms are stored (a
 * count of the table: the admins' list only). */
int	store_rooms_page(struct store *st, const char *from, size_t limit,
	    int (*fn)(void *ud, const char *name, const char *title), void *ud);
int	store_room_count(struct store *st, size_t *OUT);

/* Hats (XEP-0317) of room id: hat(ud, uri, title, hue or NULL) for each
 * hat, then wear(ud, jid, uri) for each hat worn; either returns 0 to go
 * on. */
int	store_hats_load(struct store *st, int64_t id,
	    int (*hat)(void *ud, const char *uri, const char *title,
	    const char *hue),
	    int (*wear)(void *ud, const char *jid, const char *uri), void *ud);
/* Define (or redefine) a hat; hue may be NULL.  Delete one, and with it
 * every wearer's (the schema's cascade). */
int	store_hat_put(struct store *st, int64_t id, const char *uri,
	    const char *title, const char *hue);
int	store_hat_delete(struct store *st, int64_t id, const char *uri);
/* jid puts on (on 1) or takes off (on 0) hat uri. */
int	store_hat_wear(struct store *st, int64_t id, const char *jid,
	    const char *uri, int on);

/* Operator changes: when another connection has committed since the last
 * call, call fn(ud, room) for each change-log row naming a room (a room may
 * come more than once), then forget those rows.  Costs one PRAGMA when
 * nothing changed. */
int	store_changes(struct store *st, int (*fn)(void *ud, const char *room),
	    void *ud);

/* Record that room has this many occupants now (0 removes its row). */
int	store_occupancy(struct store *st, const char *room, size_t occupants);

/*
 * Occupants kept across restarts (store_occupants.c, tables of the 0005
 * migration): one row per client in a room, and the temporary rooms that
 * have occupants.  snapshot.c writes them behind and reads them at start.
 */
struct store_occupant {
	const char	*room;		/* name */
	const char	*nick;
	const char	*jid;		/* real full JID */
	const char	*bare;
	const char	*role;		/* role_name() */
	const char	*presence;	/* XML, "" when none */
	int64_t		 joined;
};
struct store_temp_room {
	const char	*name;
	const char	*config;	/* the owner's form, XML */
	int		 locked;
	const char	*subject, *subject_nick;
	int64_t		 subject_time;
	const char	*affiliations;	/* a muc#admin <query/>, XML */
};
/* Forget the rows of (room, nick); write one client's row. */
int	store_occupant_forget(struct store *st, const char *room,
	    const char *nick);
int	store_occupant_put(struct store *st, const struct store_occupant *o);
/* Forget every occupant and every temporary room. */
int	store_occupants_clear(struct store *st);
/* fn(ud, row) for every occupant row, by room and then by when it
 * entered; the strings are valid during the call.  fn returns 0 to go
 * on. */
int	store_occupants_load(struct store *st,
	    int (*fn)(void *ud, const struct store_occupant *o), void *ud);
int	store_temp_room_put(struct store *st, const struct store_temp_room *t);
int	store_temp_room_forget(struct store *st, const char *name);
/* The temporary room `name`: *found 0 when there is none, else fn(ud, t)
 * was called with its row. */
int	store_temp_room_get(struct store *st, const char *name, int *found,
	    int (*fn)(void *ud, const struct store_temp_room *t), void *ud);
/* How many write transactions ran and the microseconds they took. */
void	store_stats(const struct store *st, uint64_t *OUT_transactions,
	    uint64_t *OUT_usec);
/*
 * The archive (store_archive.c): the kept messages of persistent rooms.
 *
 * Writes are queued: store_archive_append() hands rows over and returns.
 * With a database file a writer thread of the store, on its own
 * connection, writes what was handed over in one transaction per batch,
 * so the main loop never waits for the disk; with ":memory:" (tests)
 * store_archive_flush() writes them on the main connection.  Reads run on
 * the main connection and see what has been written: call
 * store_archive_flush(st, 1) first where a message just kept matters.
 */
struct archive_row {
	int64_t		 id;		/* the message's number (sid.h) */
	int64_t		 room_id;
	int64_t		 at;		/* Unix time received */
	int64_t		 retracted_at;	/* 0: not retracted */
	/* One allocation, owned by the row, holds the four strings:
	 * archive_row_free() frees it. */
	char		*nick;		/* "" for the room's own messages */
	char		*sender;	/* real bare JID, "" for the room */
	char		*stanza_id;
	char		*stanza;	/* XML */
};

/* Fill row's strings with copies in one allocation.  MUC_OK or
 * MUC_ENOMEM (then row->nick is NULL). */
int	archive_row_strings(struct archive_row *row, const char *nick,
	    const char *sender, const char *stanza_id, const char *stanza);
void	archive_row_free(struct archive_row *row);

/* Rows copied as a read hands them over, in the order it does: give
 * archive_rows_add() as the read's store_archive_fn and the list as its
 * ud (zeroed first); archive_rows_free() frees rows and strings. */
struct archive_rows {
	struct archive_row	*row;
	size_t			 n, cap;
};
int	archive_rows_add(void *ud, const struct archive_row *r);
void	archive_rows_free(struct archive_rows *w);

/* The stanza-id key (16 bytes) and the first of `block` numbers now
 * reserved for messages: the database already counts them used, so a
 * crash skips numbers but never gives one twice. */
int	store_archive_reserve(struct store *st, unsigned char key[16],
	    int64_t block, int64_t *OUT_first);
/* The service's secret for occupant-ids (XEP-0421, occid.h): 32 bytes
 * the database made once.  MUC_OK, or MUC_ESTORE (logged) when the row
 * or the key is missing or not 32 bytes. */
int	store_occupant_key(struct store *st, unsigned char key[32]);
/* Hand rows[0..n) to the writer.  The store owns the rows' strings from
 * now, also on failure; rows of a room that is gone by then are dropped.
 * Returns MUC_OK or MUC_ENOMEM (the rows are freed). */
int	store_archive_append(struct store *st, struct archive_row *rows,
	    size_t n);
/* Write what was handed over: start the writer, or (memory database)
 * write now.  With wait, return once it is in the database: MUC_OK, or
 * MUC_EBUSY when another connection's lock keeps it out (the writer
 * tries again at the next flush without wait). */
int	store_archive_flush(struct store *st, int wait);
/* Expiry, done by the writer with its next batch: delete the rows
 * received before `before` (Unix time; 0: none) and, in each room of
 * rooms[0..nrooms), all but the max_count newest (0: none); at most
 * `budget` rows in all.  Copies rooms. */
int	store_archive_expire(struct store *st, int64_t before,
	    int64_t max_count, const int64_t *rooms, size_t nrooms,
	    long budget);
/* What the writer did since the last call: rows written, rows lost (a
 * failed batch), rows expired, whether expiry stopped at its budget, and
 * the last failure (logged by the caller, "" when none). */
struct archive_report {
	size_t	written, lost, expired;
	size_t	expiry_runs;	/* expiry jobs done */
	int	expiry_more;
	char	error[256];
};
void	store_archive_report(struct store *st, struct archive_report *OUT);

/* Reads.  fn gets each row (valid during the call) and returns 0 to go
 * on. */
typedef int (*store_archive_fn)(void *ud, const struct archive_row *row);
/* The room's newest `limit` rows, newest first. */
int	store_archive_recent(struct store *st, int64_t room_id, long limit,
	    store_archive_fn fn, void *ud);
/* Row id of the room: fn once, or not at all when there is none. */
int	store_archive_get(struct store *st, int64_t room_id, int64_t id,
	    store_archive_fn fn, void *ud);
/* The room's first and last rows (fn twice, or once, or never). */
int	store_archive_edges(struct store *st, int64_t room_id,
	    store_archive_fn fn, void *ud);
/* Replace row id's stanza by its tombstone and note the retraction.
 * MUC_EBUSY when another connection's lock kept it out. */
int	store_archive_tombstone(struct store *st, int64_t room_id, int64_t id,
	    const char *stanza, int64_t at, const char *by, const char *reason);

/* A query: the set of the room's rows it selects, and the page of it to
 * return.  Bounds on ids are exclusive, 0 meaning none. */
struct archive_query {
	int64_t		 room_id;
	int64_t		 after, before;	/* the set: ids between these */
	int64_t		 start, end;	/* received in [start, end]; 0: open */
	const char	*nick;		/* from this nick, or NULL */
	const char	*sender;	/* from this real bare JID, or NULL */
	const int64_t	*ids;		/* one of these, when nids > 0 */
	size_t		 nids;
	int64_t		 page_after;	/* the page: after this id, */
	int64_t		 page_before;	/* or before this one, */
	int		 backward;	/* the last rows of the set (before) */
	long		 offset;	/* or from this position of the set */
	long		 max;		/* at most this many rows */
	long		 count_max;	/* count the set up to this size */
};
struct archive_page {
	int		 more;		/* rows beyond the page's far end */
	long		 count;		/* size of the set, -1: over count_max */
	long		 index;		/* set position of the page's first
					   row, -1: unknown */
};
/* Call fn for the page's rows in the query's direction (newest first when
 * backward) and fill *OUT. */
int	store_archive_query(struct store *st, const struct archive_query *q,
	    store_archive_fn fn, void *ud, struct archive_page *OUT);

/* Group changes that must be all-or-nothing; these nest. */
int	store_begin(struct store *st);
int	store_commit(struct store *st);
void	store_rollback(struct store *st);

#endif /* STORE_H */
