/*
 * store_sqlite.h - what the SQLite store's files share (private to them).
 *
 * store_sqlite.c opens the database, migrates its schema, prepares every
 * statement and runs transactions; store_rooms.c reads and writes rooms
 * and affiliations.  Statements are prepared once at open and named by
 * enum stmt_id; each use binds, steps, checks and resets.
 */
#ifndef STORE_SQLITE_H
#define STORE_SQLITE_H

#include <time.h>

#include <sqlite3.h>

#include "store.h"

enum stmt_id {
	STMT_ROOM_LOAD,		/* generated from the option table: */
	STMT_ROOM_INSERT,	/* roomopt_sql() */
	STMT_ROOM_UPDATE,
	STMT_ROOM_SUBJECT,
	STMT_ROOM_DELETE,
	STMT_AFF_LOAD,
	STMT_AFF_UPSERT,
	STMT_AFF_DELETE,
	STMT_PUBLIC_ROOMS,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_WRITER_ON,
	STMT_WRITER_OFF,
	STMT_DATA_VERSION,
	STMT_CHANGES,
	STMT_CHANGES_DELETE,
	STMT_OCCUPANCY_SET,
	STMT_OCCUPANCY_DELETE,
	/* store_rooms.c: activity and operators' destroy reasons */
	STMT_ROOM_ACTIVITY,
	STMT_DESTROY_REASON,
	STMT_DESTROY_REASON_DELETE,
	STMT_DESTROY_REASONS_STALE,
	/* store_archive.c: reads and tombstones on the main connection */
	STMT_ARCHIVE_STATE,
	STMT_ARCHIVE_RESERVE,
	STMT_OCCUPANT_KEY,
	STMT_ARCHIVE_RECENT,
	STMT_ARCHIVE_GET,
	STMT_ARCHIVE_FIRST,
	STMT_ARCHIVE_LAST,
	STMT_ARCHIVE_TOMBSTONE,
	STMT_ARCHIVE_START,
	STMT_ARCHIVE_END,
	/* issue 12: pages of public rooms (store_rooms.c), occupants and
	 * temporary rooms kept across restarts (store_occupants.c) */
	STMT_PUBLIC_BEFORE,
	STMT_PUBLIC_LAST,
	STMT_PUBLIC_COUNT,
	STMT_OCC_FORGET,
	STMT_OCC_PUT,
	STMT_OCC_CLEAR,
	STMT_OCC_LOAD,
	STMT_TEMP_PUT,
	STMT_TEMP_FORGET,
	STMT_TEMP_GET,
	STMT_TEMP_CLEAR,
	STMT_VCARD_LOAD,	/* issue 11: room vCards, creators */
	STMT_VCARD_PUT,
	STMT_VCARD_DELETE,
	STMT_ROOM_CREATOR,
	STMT_ROOMS_CREATED,
	/* issue 11: the service admins' room list (store_rooms.c) */
	STMT_ROOMS_AFTER,
	STMT_ROOM_COUNT,
	/* issue 11: hats (XEP-0317) */
	STMT_HATS_LOAD,
	STMT_HAT_WEARERS_LOAD,
	STMT_HAT_PUT,
	STMT_HAT_DELETE,
	STMT_HAT_WEAR,
	STMT_HAT_UNWEAR,
	STMT_COUNT
};

/* The columns every archive read selects, in struct archive_row's order
 * (store_archive.c reads them by position). */
#define ARCHIVE_COLUMNS	"id, room_id, at, coalesce(retracted_at, 0), nick, " \
	"sender, stanza_id, stanza"

/* The columns STMT_ROOM_LOAD reads before the options' own, in order. */
#define ROOM_LOAD_FIXED	4	/* id, subject, subject_nick, subject_time */

struct archive_writer;

struct store {
	sqlite3			*db;
	char			*path;		/* for the archive writer */
	struct archive_writer	*aw;		/* store_archive.c */
	const struct muc_logger	*log;
	sqlite3_stmt		*stmt[STMT_COUNT];
	int			 depth;		/* nested store_begin() calls */
	int64_t			 data_version;	/* last PRAGMA data_version */
	int64_t			 change_seq;	/* last change log row read */
	struct timespec		 began;		/* the outermost store_begin() */
	uint64_t		 ntransactions, usec;	/* store_stats() */
};

/* Log what failed with sqlite3_errmsg; returns MUC_ESTORE. */
int	store_fail(struct store *st, const char *what);
/* Step a statement that returns no rows, then reset it and clear its
 * bindings.  Returns MUC_OK or MUC_ESTORE (logged). */
int	store_step_done(struct store *st, sqlite3_stmt *s, const char *what);
/* Run one bound mutating statement as a write of mucd's, inside
 * store_begin/commit (see store_begin).  Resets s in every case. */
int	store_write(struct store *st, sqlite3_stmt *s, const char *what);
/* Set a connection up as mucd's connections are: busy timeout, foreign
 * keys, synchronous NORMAL.  Returns SQLITE_OK or the failing code. */
int	store_configure(sqlite3 *db);

/* The archive writer (store_archive.c): started by store_open() once the
 * schema is in place, stopped (after writing what it holds) by
 * store_close(). */
int	store_archive_open(struct store *st);
void	store_archive_close(struct store *st);

#endif /* STORE_SQLITE_H */
