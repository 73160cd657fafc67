/*
 * store_archive.c - the archive in the SQLite store (store.h): its writer
 * and its reads.
 *
 * Writing a row costs its table and four indexes, several microseconds:
 * as much as a tenth of fanning a message out to a hundred occupants.
 * So the main loop never writes archive rows.  store_archive_append()
 * moves rows onto a list and returns; with a database file a thread of
 * this store, on a connection of its own, takes the list and writes it in
 * one transaction per batch (WAL: the main connection reads meanwhile,
 * and its own writes wait at most for one batch).  The thread also runs
 * the expiry it is asked for.  It never logs (the log is the main
 * loop's): it keeps counts and its last failure for
 * store_archive_report().  With ":memory:", which one connection only
 * can see, there is no thread and store_archive_flush() writes on the
 * main connection.
 *
 * A batch that fails because the database is locked is kept and tried
 * again with the next one; one that fails otherwise is lost, and counted.
 * A crash loses what was handed over but not yet committed: about the
 * last second.  Reads and tombstones run on the main connection.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"
#include "vec.h"

/* The writer's statements, on its own connection (or the main one). */
enum wstmt_id {
	W_BEGIN,
	W_COMMIT,
	W_ROLLBACK,
	W_WRITER_ON,
	W_WRITER_OFF,
	W_INSERT,
	W_AGE_SCAN,
	W_DELETE_UPTO,
	W_COUNT_CUT,
	W_COUNT_DELETE,
	W_COUNT
};

static const char *const wstmt_sql[W_COUNT] = {
	[W_BEGIN] = "BEGIN IMMEDIATE",
	[W_COMMIT] = "COMMIT",
	[W_ROLLBACK] = "ROLLBACK",
	[W_WRITER_ON] = "UPDATE mucd_writer SET active = 1",
	[W_WRITER_OFF] = "UPDATE mucd_writer SET active = 0",
	/* A room destroyed since the row was queued takes it along. */
	[W_INSERT] = "INSERT INTO archive (id, room_id, at, nick, sender, "
	    "stanza_id, stanza) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
	    "WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?2)",
	/* Numbers grow with time, so what expired is a prefix of ids. */
	[W_AGE_SCAN] = "SELECT id, at FROM archive ORDER BY id LIMIT ?1",
	[W_DELETE_UPTO] = "DELETE FROM archive WHERE id <= ?1",
	[W_COUNT_CUT] = "SELECT id FROM archive WHERE room_id = ?1 "
	    "ORDER BY id DESC LIMIT 1 OFFSET ?2",
	[W_COUNT_DELETE] = "DELETE FROM archive WHERE id IN (SELECT id FROM "
	    "archive WHERE room_id = ?1 AND id <= ?2 ORDER BY id LIMIT ?3)",
};

struct expiry {
	int		 pending;
	int64_t		 before;
	int64_t		 max_count;
	int64_t		*rooms;
	size_t		 nrooms;
	long		 budget;
};

struct archive_writer {
	struct store		*st;
	sqlite3			*db;		/* own, or st->db (no thread) */
	sqlite3_stmt		*s[W_COUNT];
	int			 threaded;
	pthread_t		 thread;
	pthread_mutex_t		 mu;		/* guards everything below */
	pthread_cond_t		 wake;		/* work, or stop */
	pthread_cond_t		 idle;		/* a batch is done */
	struct archive_row	*todo;		/* handed over, not written */
	size_t			 ntodo, captodo;
	struct archive_row	*done;		/* written, for the main */
	size_t			 ndone;		/* thread to free */
	struct expiry		 expiry;
	int			 working;	/* a batch is being written */
	int			 backoff;	/* the last met a lock: wait */
	int			 stop;
	struct archive_report	 report;
};

int
archive_row_strings(struct archive_row *row, const char *nick,
    const char *sender, const char *stanza_id, const char *stanza)
{
	size_t	ln = strlen(nick) + 1, ls = strlen(sender) + 1;
	size_t	li = strlen(stanza_id) + 1, lx = strlen(stanza) + 1;
	char	*p;

	if ((p = malloc(ln + ls + li + lx)) == NULL) {
		row->nick = NULL;
		return MUC_ENOMEM;
	}
	row->nick = memcpy(p, nick, ln);
	row->sender = memcpy(p + ln, sender, ls);
	row->stanza_id = memcpy(p + ln + ls, stanza_id, li);
	row->stanza = memcpy(p + ln + ls + li, stanza, lx);
	return MUC_OK;
}

void
archive_row_free(struct archive_row *row)
{
	free(row->nick);
	row->nick = row->sender = row->stanza_id = row->stanza = NULL;
}

int
archive_rows_add(void *ud, const struct archive_row *r)
{
	struct archive_rows	*w = ud;
	struct archive_row	*c;

	if (vec_reserve(&w->row, &w->cap, w->n + 1, sizeof(*w->row)) !=
	    MUC_OK)
		return MUC_ENOMEM;
	c = &w->row[w->n];
	*c = *r;
	if (archive_row_strings(c, r->nick, r->sender, r->stanza_id,
	    r->stanza) != MUC_OK)
		return MUC_ENOMEM;
	w->n++;
	return 0;
}

void
archive_rows_free(struct archive_rows *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		archive_row_free(&w->row[i]);
	free(w->row);
	w->row = NULL;
	w->n = w->cap = 0;
}

static void
rows_free(struct archive_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		archive_row_free(&rows[i]);
	free(rows);
}

/* Note a failure for store_archive_report(); the caller holds mu (or
 * there is no thread). */
static void
writer_note(struct archive_writer *aw, const char *what)
{
	snprintf(aw->report.error, sizeof(aw->report.error), "archive %s: %s",
	    what, sqlite3_errmsg(aw->db));
}

/* Step a statement that returns no rows and reset it.  SQLITE_DONE, or
 * the error code. */
static int
w_step(sqlite3_stmt *s)
{
	int	rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

/* Begin a transaction that is one of mucd's writes (the change-log
 * triggers skip it).  Without a thread, through the main connection's
 * nesting.  SQLITE_OK, SQLITE_BUSY or another code. */
static int
w_begin(struct archive_writer *aw)
{
	int	rc;

	if (!aw->threaded)
		return store_begin(aw->st) == MUC_OK ? SQLITE_OK :
		    sqlite3_errcode(aw->db);
	if ((rc = w_step(aw->s[W_BEGIN])) != SQLITE_DONE)
		return rc;
	if ((rc = w_step(aw->s[W_WRITER_ON])) != SQLITE_DONE) {
		(void)w_step(aw->s[W_ROLLBACK]);
		return rc;
	}
	return SQLITE_OK;
}

static int
w_commit(struct archive_writer *aw)
{
	int	rc;

	if (!aw->threaded)
		return store_commit(aw->st) == MUC_OK ? SQLITE_OK :
		    SQLITE_ERROR;
	if ((rc = w_step(aw->s[W_WRITER_OFF])) == SQLITE_DONE &&
	    (rc = w_step(aw->s[W_COMMIT])) == SQLITE_DONE)
		return SQLITE_OK;
	(void)w_step(aw->s[W_ROLLBACK]);
	return rc;
}

static void
w_rollback(struct archive_writer *aw)
{
	if (!aw->threaded)
		store_rollback(aw->st);
	else if (sqlite3_get_autocommit(aw->db) == 0)
		(void)w_step(aw->s[W_ROLLBACK]);
}

static int
w_insert(struct archive_writer *aw, const struct archive_row *r)
{
	sqlite3_stmt	*s = aw->s[W_INSERT];

	if (sqlite3_bind_int64(s, 1, r->id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, r->room_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, r->at) != SQLITE_OK ||
	    sqlite3_bind_text(s, 4, r->nick, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 5, r->sender, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 6, r->stanza_id, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(s, 7, r->stanza, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return SQLITE_ERROR;
	}
	return w_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

/* Expire by age: the rows received before `before` are the first ids
 * (numbers grow with time), so scan from the oldest and delete the run
 * found.  Returns rows deleted, or -1. */
static long
w_expire_age(struct archive_writer *aw, int64_t before, long budget)
{
	sqlite3_stmt	*s = aw->s[W_AGE_SCAN];
	int64_t		 last = 0;
	long		 n = 0;
	int		 step;

	if (sqlite3_bind_int64(s, 1, budget) != SQLITE_OK)
		return -1;
	while ((step = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_int64(s, 1) < before) {
		last = sqlite3_column_int64(s, 0);
		n++;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return -1;
	if (n == 0)
		return 0;
	s = aw->s[W_DELETE_UPTO];
	if (sqlite3_bind_int64(s, 1, last) != SQLITE_OK ||
	    w_step(s) != SQLITE_DONE)
		return -1;
	return n;
}

/* Expire by count: all but the newest max rows of room.  Returns rows
 * deleted, or -1. */
static long
w_expire_count(struct archive_writer *aw, int64_t room, int64_t max,
    long budget)
{
	sqlite3_stmt	*s = aw->s[W_COUNT_CUT];
	int64_t		 cut = 0;
	int		 step;

	if (sqlite3_bind_int64(s, 1, room) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, max) != SQLITE_OK)
		return -1;
	if ((step = sqlite3_step(s)) == SQLITE_ROW)
		cut = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return -1;
	if (cut == 0)
		return 0;	/* at most max rows */
	s = aw->s[W_COUNT_DELETE];
	if (sqlite3_bind_int64(s, 1, room) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, cut) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, budget) != SQLITE_OK ||
	    w_step(s) != SQLITE_DONE)
		return -1;
	return (long)sqlite3_changes(aw->db);
}

/* Run an expiry job inside the open transaction.  Returns rows deleted
 * and sets *more when the budget ran out, or -1. */
static long
w_expire(struct archive_writer *aw, const struct expiry *e, int *more)
{
	long	left = e->budget, n;
	size_t	i;

	*more = 0;
	if (e->before > 0) {
		if ((n = w_expire_age(aw, e->before, left)) < 0)
			return -1;
		left -= n;
	}
	for (i = 0; i < e->nrooms && e->max_count > 0 && left > 0; i++) {
		if ((n = w_expire_count(aw, e->rooms[i], e->max_count, left)) < 0)
			return -1;
		left -= n;
	}
	*more = left <= 0;
	return e->budget - left;
}

/*
 * Write one batch and the expiry job, in one transaction.  Returns
 * SQLITE_OK, SQLITE_BUSY (nothing written: try again) or another code
 * (nothing written; the rows are lost), with the failure noted in
 * *what.  *expired gets the rows the expiry deleted.
 */
static int
w_write(struct archive_writer *aw, const struct archive_row *rows, size_t n,
    const struct expiry *e, long *expired, int *more, const char **what)
{
	size_t	i;
	int	rc;

	*expired = 0;
	*more = 0;
	*what = "begin";
	if ((rc = w_begin(aw)) != SQLITE_OK)
		return rc;
	*what = "insert";
	for (i = 0; i < n; i++)
		if ((rc = w_insert(aw, &rows[i])) != SQLITE_OK)
			goto fail;
	*what = "expiry";
	if (e->pending && (*expired = w_expire(aw, e, more)) < 0) {
		rc = SQLITE_ERROR;
		goto fail;
	}
	*what = "commit";
	if ((rc = w_commit(aw)) == SQLITE_OK)
		return rc;
fail:
	rc = sqlite3_errcode(aw->db);
	w_rollback(aw);
	*expired = 0;
	return rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

/* Keep written rows for the main thread to free: memory goes back to the
 * allocator arena of the thread that took it, without the writer
 * contending for the main thread's arena on the fan-out path.  The caller
 * holds mu (or there is no thread). */
static void
done_keep(struct archive_writer *aw, struct archive_row *rows, size_t n)
{
	if (!aw->threaded || aw->done != NULL) {
		rows_free(rows, n);	/* the main thread has not come yet */
		return;
	}
	aw->done = rows;
	aw->ndone = n;
}

/* Free what the writer wrote (the main thread, holding mu). */
static void
done_free(struct archive_writer *aw)
{
	rows_free(aw->done, aw->ndone);
	aw->done = NULL;
	aw->ndone = 0;
}

/* Take the work from aw (the caller holds mu, or there is no thread). */
static void
writer_take(struct archive_writer *aw, struct archive_row **rows, size_t *n,
    struct expiry *e)
{
	*rows = aw->todo;
	*n = aw->ntodo;
	aw->todo = NULL;
	aw->ntodo = aw->captodo = 0;
	*e = aw->expiry;
	memset(&aw->expiry, 0, sizeof(aw->expiry));
}

/* Put a batch that met a locked database back in front of what came
 * since (the caller holds mu, or there is no thread).  Returns 0, or -1
 * when it cannot (the rows are then lost). */
static int
writer_requeue(struct archive_writer *aw, struct archive_row *rows, size_t n)
{
	size_t	cap = n;

	if (vec_reserve(&rows, &cap, n + aw->ntodo, sizeof(*rows)) != MUC_OK)
		return -1;
	if (aw->ntodo > 0)
		memcpy(rows + n, aw->todo, aw->ntodo * sizeof(*rows));
	free(aw->todo);
	aw->todo = rows;
	aw->ntodo += n;
	aw->captodo = cap;
	return 0;
}

/* Write the work taken and settle the report: the caller holds mu. */
static void
writer_run(struct archive_writer *aw, struct archive_row *rows, size_t n,
    struct expiry *e, int unlock)
{
	const char	*what;
	long		 expired;
	int		 rc, more;

	if (unlock)
		pthread_mutex_unlock(&aw->mu);
	rc = w_write(aw, rows, n, e, &expired, &more, &what);
	if (unlock)
		pthread_mutex_lock(&aw->mu);
	aw->backoff = 0;
	if (rc == SQLITE_OK) {
		aw->report.written += n;
		aw->report.expired += (size_t)expired;
		aw->report.expiry_more |= more;
		aw->report.expiry_runs += e->pending;
		done_keep(aw, rows, n);
	} else {
		writer_note(aw, what);
		if (rc == SQLITE_BUSY && !aw->stop &&
		    writer_requeue(aw, rows, n) == 0)
			aw->backoff = 1;	/* again at the next flush */
		else {
			aw->report.lost += n;
			rows_free(rows, n);
		}
	}
	free(e->rooms);
}

static void *
writer_main(void *arg)
{
	struct archive_writer	*aw = arg;
	struct archive_row	*rows;
	struct expiry		 e;
	size_t			 n;

	pthread_mutex_lock(&aw->mu);
	for (;;) {
		while (!aw->stop && ((aw->ntodo == 0 && !aw->expiry.pending) ||
		    aw->backoff))
			pthread_cond_wait(&aw->wake, &aw->mu);
		if (aw->ntodo == 0 && !aw->expiry.pending)
			break;		/* stopping, and nothing left */
		writer_take(aw, &rows, &n, &e);
		aw->working = 1;
		writer_run(aw, rows, n, &e, 1);
		aw->working = 0;
		pthread_cond_broadcast(&aw->idle);
	}
	pthread_mutex_unlock(&aw->mu);
	return NULL;
}

static int
writer_prepare(struct archive_writer *aw)
{
	int	i;

	for (i = 0; i < W_COUNT; i++)
		if (sqlite3_prepare_v3(aw->db, wstmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &aw->s[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

/* The writer's own connection and thread.  Returns MUC_OK, or an error
 * after which the caller frees aw. */
static int
writer_start(struct archive_writer *aw, const char *path)
{
	if (sqlite3_open_v2(path, &aw->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    store_configure(aw->db) != SQLITE_OK || writer_prepare(aw) != 0) {
		muc_log(aw->st->log, MUC_LOG_ERROR, "store",
		    "archive writer: %s: %s", path, aw->db != NULL ?
		    sqlite3_errmsg(aw->db) : "out of memory");
		return MUC_ESTORE;
	}
	if (pthread_create(&aw->thread, NULL, writer_main, aw) != 0) {
		muc_log(aw->st->log, MUC_LOG_ERROR, "store",
		    "archive writer: cannot start its thread");
		return MUC_ESTORE;
	}
	aw->threaded = 1;
	return MUC_OK;
}

static void
writer_free(struct archive_writer *aw)
{
	int	i;

	for (i = 0; i < W_COUNT; i++)
		sqlite3_finalize(aw->s[i]);
	if (aw->threaded)
		sqlite3_close(aw->db);
	rows_free(aw->todo, aw->ntodo);
	done_free(aw);
	free(aw->expiry.rooms);
	pthread_cond_destroy(&aw->idle);
	pthread_cond_destroy(&aw->wake);
	pthread_mutex_destroy(&aw->mu);
	free(aw);
}

int
store_archive_open(struct store *st)
{
	struct archive_writer	*aw;
	int			 rc;

	if ((aw = calloc(1, sizeof(*aw))) == NULL)
		return MUC_ENOMEM;
	aw->st = st;
	if (pthread_mutex_init(&aw->mu, NULL) != 0) {
		free(aw);
		return MUC_ENOMEM;
	}
	pthread_cond_init(&aw->wake, NULL);
	pthread_cond_init(&aw->idle, NULL);
	if (strcmp(st->path, ":memory:") == 0 || st->path[0] == '\0') {
		aw->db = st->db;	/* nobody else can see this database */
		rc = writer_prepare(aw) == 0 ? MUC_OK :
		    store_fail(st, "archive statements");
	} else
		rc = writer_start(aw, st->path);
	if (rc != MUC_OK) {
		writer_free(aw);
		return rc;
	}
	st->aw = aw;
	return MUC_OK;
}

void
store_archive_close(struct store *st)
{
	struct archive_writer	*aw = st->aw;

	if (aw == NULL)
		return;
	if (aw->threaded) {
		pthread_mutex_lock(&aw->mu);
		aw->stop = 1;
		pthread_cond_signal(&aw->wake);
		pthread_mutex_unlock(&aw->mu);
		pthread_join(aw->thread, NULL);
	} else
		(void)store_archive_flush(st, 1);
	if (aw->report.lost > 0 || aw->report.error[0] != '\0')
		muc_log(st->log, MUC_LOG_WARN, "store", "%s (%zu messages "
		    "lost)", aw->report.error[0] ? aw->report.error :
		    "archive", aw->report.lost);
	writer_free(aw);
	st->aw = NULL;
}

int
store_archive_append(struct store *st, struct archive_row *rows, size_t n)
{
	struct archive_writer	*aw = st->aw;
	size_t			 i;
	int			 rc = MUC_OK;

	if (n == 0)
		return MUC_OK;
	if (aw->threaded) {
		pthread_mutex_lock(&aw->mu);
		done_free(aw);
	}
	if (vec_reserve(&aw->todo, &aw->captodo, aw->ntodo + n,
	    sizeof(*rows)) != MUC_OK) {
		for (i = 0; i < n; i++)
			archive_row_free(&rows[i]);
		aw->report.lost += n;
		rc = MUC_ENOMEM;
	} else {
		memcpy(aw->todo + aw->ntodo, rows, n * sizeof(*rows));
		aw->ntodo += n;
	}
	if (aw->threaded)
		pthread_mutex_unlock(&aw->mu);
	return rc;
}

int
store_archive_flush(struct store *st, int wait)
{
	struct archive_writer	*aw = st->aw;
	struct archive_row	*rows;
	struct expiry		 e;
	size_t			 n;
	int			 rc;

	if (!aw->threaded) {
		if (aw->ntodo > 0 || aw->expiry.pending) {
			writer_take(aw, &rows, &n, &e);
			writer_run(aw, rows, n, &e, 0);
		}
		return wait && aw->backoff ? MUC_EBUSY : MUC_OK;
	}
	pthread_mutex_lock(&aw->mu);
	/* A writer that met a locked database tries again when the tick
	 * says so, not for every reader: one who waits would only wait for
	 * the lock's timeout again. */
	if ((aw->ntodo > 0 || aw->expiry.pending) && (!wait || !aw->backoff)) {
		aw->backoff = 0;
		pthread_cond_signal(&aw->wake);
	}
	while (wait && (aw->working ||
	    ((aw->ntodo > 0 || aw->expiry.pending) && !aw->backoff)))
		pthread_cond_wait(&aw->idle, &aw->mu);
	rc = wait && (aw->ntodo > 0 || aw->expiry.pending) ? MUC_EBUSY : MUC_OK;
	pthread_mutex_unlock(&aw->mu);
	return rc;
}

int
store_archive_expire(struct store *st, int64_t before, int64_t max_count,
    const int64_t *rooms, size_t nrooms, long budget)
{
	struct archive_writer	*aw = st->aw;
	int64_t			*copy = NULL;

	if (nrooms > 0 && max_count > 0) {
		if ((copy = malloc(nrooms * sizeof(*copy))) == NULL)
			return MUC_ENOMEM;
		memcpy(copy, rooms, nrooms * sizeof(*copy));
	} else
		nrooms = 0;
	if (aw->threaded)
		pthread_mutex_lock(&aw->mu);
	free(aw->expiry.rooms);
	aw->expiry.pending = before > 0 || nrooms > 0;
	aw->expiry.before = before;
	aw->expiry.max_count = max_count;
	aw->expiry.rooms = copy;
	aw->expiry.nrooms = nrooms;
	aw->expiry.budget = budget;
	if (aw->threaded)
		pthread_mutex_unlock(&aw->mu);
	return MUC_OK;
}

void
store_archive_report(struct store *st, struct archive_report *out)
{
	struct archive_writer	*aw = st->aw;

	if (aw->threaded)
		pthread_mutex_lock(&aw->mu);
	*out = aw->report;
	memset(&aw->report, 0, sizeof(aw->report));
	if (aw->threaded)
		pthread_mutex_unlock(&aw->mu);
}

int
store_archive_reserve(struct store *st, unsigned char key[16], int64_t block,
    int64_t *first)
{
	sqlite3_stmt	*s = st->stmt[STMT_ARCHIVE_STATE];
	const void	*blob;
	int64_t		 next = 0;
	int		 rc, step;

	if ((rc = store_begin(st)) != MUC_OK)
		return rc;
	rc = MUC_ESTORE;
	if ((step = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_bytes(s, 0) == 16 &&
	    (blob = sqlite3_column_blob(s, 0)) != NULL) {
		memcpy(key, blob, 16);
		next = sqlite3_column_int64(s, 1);
		rc = MUC_OK;
	} else
		store_fail(st, "archive state");
	sqlite3_reset(s);
	s = st->stmt[STMT_ARCHIVE_RESERVE];
	if (rc == MUC_OK && (sqlite3_bind_int64(s, 1, next + block) !=
	    SQLITE_OK || store_step_done(st, s, "archive reserve") != MUC_OK))
		rc = MUC_ESTORE;
	if (rc == MUC_OK && (rc = store_commit(st)) == MUC_OK) {
		*first = next;
		return MUC_OK;
	}
	store_rollback(st);
	return rc;
}

int
store_occupant_key(struct store *st, unsigned char key[32])
{
	sqlite3_stmt	*s = st->stmt[STMT_OCCUPANT_KEY];
	const void	*blob;
	int		 rc = MUC_ESTORE;

	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32 &&
	    (blob = sqlite3_column_blob(s, 0)) != NULL) {
		memcpy(key, blob, 32);
		rc = MUC_OK;
	} else
		store_fail(st, "occupant-id key (archive_state.occupant_key)");
	sqlite3_reset(s);
	return rc;
}

/* Read the current row of s (ARCHIVE_COLUMNS) and hand it to fn. */
static int
row_call(sqlite3_stmt *s, store_archive_fn fn, void *ud)
{
	struct archive_row	r;
	const char		*t[4];
	int			 i;

	r.id = sqlite3_column_int64(s, 0);
	r.room_id = sqlite3_column_int64(s, 1);
	r.at = sqlite3_column_int64(s, 2);
	r.retracted_at = sqlite3_column_int64(s, 3);
	for (i = 0; i < 4; i++)
		if ((t[i] = (const char *)sqlite3_column_text(s, 4 + i)) == NULL)
			t[i] = "";
	r.nick = (char *)(uintptr_t)t[0];
	r.sender = (char *)(uintptr_t)t[1];
	r.stanza_id = (char *)(uintptr_t)t[2];
	r.stanza = (char *)(uintptr_t)t[3];
	return fn(ud, &r);
}

/* Step the bound statement s, calling fn for each row; reset it.  Returns
 * MUC_OK, fn's non-zero value, or MUC_ESTORE / MUC_EBUSY (logged). */
static int
rows_read(struct store *st, sqlite3_stmt *s, store_archive_fn fn, void *ud,
    const char *what)
{
	int	step, rc = MUC_OK;

	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if ((rc = row_call(s, fn, ud)) != 0)
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = step == SQLITE_BUSY || step == SQLITE_LOCKED ?
		    (store_fail(st, what), MUC_EBUSY) : store_fail(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

int
store_archive_recent(struct store *st, int64_t room_id, long limit,
    store_archive_fn fn, void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_ARCHIVE_RECENT];

	if (sqlite3_bind_int64(s, 1, room_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, limit) != SQLITE_OK)
		return store_fail(st, "archive recent bind");
	return rows_read(st, s, fn, ud, "archive recent");
}

int
store_archive_get(struct store *st, int64_t room_id, int64_t id,
    store_archive_fn fn, void *ud)
{
	sqlite3_stmt	*s = st->stmt[STMT_ARCHIVE_GET];

	if (sqlite3_bind_int64(s, 1, room_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, id) != SQLITE_OK)
		return store_fail(st, "archive get bind");
	return rows_read(st, s, fn, ud, "archive get");
}

int
store_archive_edges(struct store *st, int64_t room_id, store_archive_fn fn,
    void *ud)
{
	sqlite3_stmt	*s;
	int		 i, rc;

	for (i = 0; i < 2; i++) {
		s = st->stmt[i == 0 ? STMT_ARCHIVE_FIRST : STMT_ARCHIVE_LAST];
		if (sqlite3_bind_int64(s, 1, room_id) != SQLITE_OK)
			return store_fail(st, "archive edges bind");
		if ((rc = rows_read(st, s, fn, ud, "archive edges")) != MUC_OK)
			return rc;
	}
	return MUC_OK;
}

int
store_archive_tombstone(struct store *st, int64_t room_id, int64_t id,
    const char *stanza, int64_t at, const char *by, const char *reason)
{
	sqlite3_stmt	*s = st->stmt[STMT_ARCHIVE_TOMBSTONE];

	if (sqlite3_bind_int64(s, 1, room_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, id) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, stanza, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, at) != SQLITE_OK ||
	    sqlite3_bind_text(s, 5, by, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (reason != NULL ? sqlite3_bind_text(s, 6, reason, -1,
	    SQLITE_STATIC) : sqlite3_bind_null(s, 6)) != SQLITE_OK) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return store_fail(st, "archive tombstone bind");
	}
	if (store_write(st, s, "archive tombstone") == MUC_OK)
		return MUC_OK;
	return sqlite3_errcode(st->db) == SQLITE_BUSY ? MUC_EBUSY : MUC_ESTORE;
}

/*
 * Queries.  Their WHERE clauses vary with the filters given, so they are
 * prepared per query (a query is rare next to a message) with fixed
 * parameters: ?1 the room, ?2 and ?3 the exclusive id bounds, ?6 the nick
 * or the sender, ?7 the limit, ?8 the offset.  Ids listed by the client
 * are decrypted numbers, written into the text.  The time bounds become
 * id bounds first (query_times()): numbers grow with time, so the rows
 * received in [start, end] are those between two ids, and every query
 * then reads an index alone, which keeps counting cheap.  (Were the
 * clock ever put back, messages of that time would sort by arrival.)
 */
static char *
query_sql(const struct archive_query *q, const char *select, int backward,
    int page)
{
	char	*sql = NULL;
	size_t	 len = 0, i;
	FILE	*f;

	if ((f = open_memstream(&sql, &len)) == NULL)
		return NULL;
	fprintf(f, "%s FROM archive WHERE room_id = ?1 AND id > ?2 AND "
	    "id < ?3", select);
	if (q->nick != NULL)
		fputs(" AND nick = ?6", f);
	else if (q->sender != NULL)
		fputs(" AND sender = ?6", f);
	for (i = 0; i < q->nids; i++)
		fprintf(f, "%s%lld", i == 0 ? " AND id IN (" : ", ",
		    (long long)q->ids[i]);
	if (q->nids > 0)
		fputs(")", f);
	if (page)
		fprintf(f, " ORDER BY id%s LIMIT ?7 OFFSET ?8",
		    backward ? " DESC" : "");
	else
		fputs(" LIMIT ?7", f);
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* Prepare and bind one query statement; *OUT NULL on failure (logged). */
static int
query_prepare(struct store *st, const struct archive_query *q, const char *sql,
    int64_t lo, int64_t hi, int64_t limit, int64_t offset,
    sqlite3_stmt **out)
{
	sqlite3_stmt	*s;
	const char	*with = q->nick != NULL ? q->nick : q->sender;
	int		 n;

	*out = NULL;
	if (sql == NULL)
		return MUC_ENOMEM;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return sqlite3_errcode(st->db) == SQLITE_BUSY ?
		    (store_fail(st, "archive query"), MUC_EBUSY) :
		    store_fail(st, "archive query");
	/* Parameters the text leaves out are not bound: SQLite counts up to
	 * the highest it names. */
	n = sqlite3_bind_parameter_count(s);
	if (sqlite3_bind_int64(s, 1, q->room_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, lo) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, hi) != SQLITE_OK ||
	    (n >= 6 && (with != NULL ? sqlite3_bind_text(s, 6, with, -1,
	    SQLITE_STATIC) : sqlite3_bind_null(s, 6)) != SQLITE_OK) ||
	    sqlite3_bind_int64(s, 7, limit) != SQLITE_OK ||
	    (n >= 8 && sqlite3_bind_int64(s, 8, offset) != SQLITE_OK)) {
		sqlite3_finalize(s);
		return store_fail(st, "archive query bind");
	}
	*out = s;
	return MUC_OK;
}

/* How many rows of the set lie strictly between lo and hi, counting up
 * to max; *OUT -1 beyond it. */
static int
query_count(struct store *st, const struct archive_query *q, int64_t lo,
    int64_t hi, long max, long *out)
{
	sqlite3_stmt	*s;
	char		*sql = query_sql(q, "SELECT count(*) FROM (SELECT 1", 0, 0);
	char		*wrapped = NULL;
	int		 rc, step;

	if (sql != NULL && (wrapped = malloc(strlen(sql) + 2)) != NULL)
		snprintf(wrapped, strlen(sql) + 2, "%s)", sql);
	free(sql);
	rc = query_prepare(st, q, wrapped, lo, hi, (int64_t)max + 1, 0, &s);
	free(wrapped);
	if (rc != MUC_OK)
		return rc;
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*out = (long)sqlite3_column_int64(s, 0);
		if (*out > max)
			*out = -1;
	} else
		rc = step == SQLITE_BUSY ? (store_fail(st, "archive count"),
		    MUC_EBUSY) : store_fail(st, "archive count");
	sqlite3_finalize(s);
	return rc;
}

/* Narrow (*lo, *hi) to the ids received in [start, end].  *empty when no
 * row is. */
static int
query_times(struct store *st, const struct archive_query *q, int64_t *lo,
    int64_t *hi, int *empty)
{
	sqlite3_stmt	*s;
	int64_t		 t;
	int		 i, step;

	*empty = 0;
	for (i = 0; i < 2; i++) {
		if ((t = i == 0 ? q->start : q->end) <= 0)
			continue;
		s = st->stmt[i == 0 ? STMT_ARCHIVE_START : STMT_ARCHIVE_END];
		if (sqlite3_bind_int64(s, 1, q->room_id) != SQLITE_OK ||
		    sqlite3_bind_int64(s, 2, t) != SQLITE_OK)
			return store_fail(st, "archive time bind");
		step = sqlite3_step(s);
		if (step == SQLITE_ROW && i == 0 &&
		    sqlite3_column_int64(s, 0) - 1 > *lo)
			*lo = sqlite3_column_int64(s, 0) - 1;
		else if (step == SQLITE_ROW && i == 1 &&
		    sqlite3_column_int64(s, 0) + 1 < *hi)
			*hi = sqlite3_column_int64(s, 0) + 1;
		else if (step == SQLITE_DONE)
			*empty = 1;
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return step == SQLITE_BUSY ? (store_fail(st,
			    "archive time"), MUC_EBUSY) : store_fail(st,
			    "archive time");
	}
	return MUC_OK;
}

struct page_walk {
	store_archive_fn	 fn;
	void			*ud;
	long			 max, seen;
	int64_t			 oldest;	/* smallest id handed to fn */
};

static int
page_row(void *ud, const struct archive_row *r)
{
	struct page_walk	*w = ud;

	if (w->seen++ >= w->max)
		return 1;	/* the row beyond the page: there is more */
	if (w->oldest == 0 || r->id < w->oldest)
		w->oldest = r->id;
	return w->fn(w->ud, r);
}

/* Read the page: max rows and one to tell whether there is more. */
static int
query_page(struct store *st, const struct archive_query *q, int64_t lo,
    int64_t hi, struct page_walk *w)
{
	sqlite3_stmt	*s;
	char		*sql = query_sql(q, "SELECT " ARCHIVE_COLUMNS,
			    q->backward, 1);
	int64_t		 plo = q->page_after > lo ? q->page_after : lo;
	int64_t		 phi = q->page_before > 0 && q->page_before < hi ?
			    q->page_before : hi;
	int		 rc;

	rc = query_prepare(st, q, sql, plo, phi, (int64_t)q->max + 1,
	    q->backward ? 0 : q->offset, &s);
	free(sql);
	if (rc != MUC_OK)
		return rc;
	rc = rows_read(st, s, page_row, w, "archive page");
	sqlite3_finalize(s);
	return rc == 1 ? MUC_OK : rc;
}

/*
 * Steps: 1. the set's id bounds, narrowed by the time filters; 2. the
 * page; 3. the set's size and the page's place in it, when they are
 * small enough to count.
 */
int
store_archive_query(struct store *st, const struct archive_query *q,
    store_archive_fn fn, void *ud, struct archive_page *out)
{
	struct page_walk	 w = { fn, ud, q->max, 0, 0 };
	int64_t			 lo = q->after, hi = q->before > 0 ?
				    q->before : INT64_MAX;
	int			 rc, empty;

	out->more = 0;
	out->count = 0;
	out->index = -1;
	if ((rc = query_times(st, q, &lo, &hi, &empty)) != MUC_OK)
		return rc;
	if (empty || lo >= hi)
		return MUC_OK;
	if ((rc = query_page(st, q, lo, hi, &w)) != MUC_OK)
		return rc;
	out->more = w.seen > w.max;
	if ((rc = query_count(st, q, lo, hi, q->count_max, &out->count)) !=
	    MUC_OK || out->count < 0 || w.oldest == 0)
		return rc;
	if (q->offset > 0 && !q->backward) {
		out->index = q->offset;
		return MUC_OK;
	}
	return query_count(st, q, lo, w.oldest, q->count_max, &out->index);
}
