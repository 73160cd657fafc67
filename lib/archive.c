/*
 * archive.c - stanza-ids, history and the archive of the rooms
 * (archive.h).
 *
 * Numbers.  A message's number orders the archive and, encrypted, is its
 * stanza-id (sid.c).  Numbers are reserved from the database a block at a
 * time (store_archive_reserve()), so giving one costs nothing and a crash
 * skips numbers instead of reusing them.
 *
 * The hot path.  For a message the room keeps, archive_keep() adds it to
 * the history ring and, in a room that archives, serialises it once and
 * appends the row to the service's queue: no database call.  The queue
 * goes to the store's writer at every muc_tick() or when it holds
 * QUEUE_BATCH rows; the writer writes it off the main loop.  Whatever
 * must see the newest rows (a query, a retraction, loading a history)
 * calls archive_sync() first.
 *
 * Expiry.  Once a minute archive_tick() asks the writer to delete what
 * is older than the service's maximum age and, in the rooms that got
 * messages since, beyond its maximum count, at most EXPIRY_BUDGET rows a
 * run (a run that hit the budget is followed by another at the next
 * tick), and trims the histories in memory the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "build.h"
#include "ns.h"
#include "stamp.h"
#include "vec.h"

#define NUMBER_BLOCK	65536	/* numbers reserved at a time */
#define QUEUE_BATCH	256	/* rows that make the queue go at once */
#define EXPIRY_PERIOD	60	/* seconds between expiry runs */
#define EXPIRY_BUDGET	10000	/* rows deleted per run at most */
#define PAGE_DEFAULT	50
#define PAGE_MAX	100

struct archive {
	struct sid_key		 key;
	int64_t			 next, limit;	/* numbers: [next, limit) free */
	struct archive_row	*queue;
	size_t			 nqueue, capqueue;
	int64_t			*dirty;		/* rooms with new rows */
	size_t			 ndirty, capdirty;
	time_t			 last_expiry;
	int			 expiry_more;
	int			 off_by_default;
	long			 max_age, max_count;
	long			 page_max;
	int			 warned;	/* numbers ran out: said once */
	char			*text;		/* serialising, kept between */
	size_t			 captext;	/* messages */
};

/* Reserve the next block of numbers.  Returns MUC_OK or the store's
 * error; on failure the numbers stay spent. */
static int
numbers_reserve(struct archive *a, struct store *st)
{
	unsigned char	key[16];
	int64_t		first;
	int		rc;

	if ((rc = store_archive_reserve(st, key, NUMBER_BLOCK, &first)) !=
	    MUC_OK)
		return rc;
	sid_key_from_bytes(&a->key, key);
	a->next = first;
	a->limit = first + NUMBER_BLOCK;
	return MUC_OK;
}

int
archive_new(struct muc_service *svc, const struct muc_service_config *cfg)
{
	struct archive	*a;
	int		 rc;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return MUC_ENOMEM;
	a->off_by_default = cfg->archive_off_by_default;
	a->max_age = cfg->archive_max_age;
	a->max_count = cfg->archive_max_count;
	a->page_max = cfg->archive_page_max > 0 ? cfg->archive_page_max :
	    PAGE_MAX;
	a->last_expiry = 0;	/* the first tick expires what is due */
	if ((rc = numbers_reserve(a, svc->st)) != MUC_OK) {
		free(a);
		return rc;
	}
	svc->archive = a;
	return MUC_OK;
}

/* Give the queue to the store's writer; with wait, until it is written. */
static int
queue_hand_over(struct muc_service *svc, int wait)
{
	struct archive	*a = svc->archive;
	int		 rc;

	rc = store_archive_append(svc->st, a->queue, a->nqueue);
	a->nqueue = 0;		/* the store owns the rows now */
	if (rc == MUC_OK)
		rc = store_archive_flush(svc->st, wait);
	return rc;
}

void
archive_free(struct muc_service *svc)
{
	struct archive	*a = svc->archive;

	if (a == NULL)
		return;
	(void)queue_hand_over(svc, 0);	/* store_close() writes it */
	free(a->text);
	free(a->queue);
	free(a->dirty);
	free(a);
	svc->archive = NULL;
}

int
archive_by_default(const struct muc_service *svc)
{
	return !svc->archive->off_by_default;
}

int
archive_enabled(const struct room *room)
{
	return room->cfg.archive && room->cfg.persistent && room->id != 0 &&
	    !room->retired;
}

int
archive_wants(xmpp_stanza_t *in)
{
	if (st_child(in, "no-store", NS_HINTS) != NULL ||
	    st_child(in, "no-permanent-store", NS_HINTS) != NULL)
		return 0;
	return st_child(in, "body", NULL) != NULL ||
	    st_child(in, "thread", NULL) != NULL ||
	    st_child(in, "store", NS_HINTS) != NULL;
}

void
archive_sid(const struct muc_service *svc, int64_t n, char out[SID_LEN])
{
	sid_format(&svc->archive->key, n, out);
}

int64_t
archive_sid_parse(const struct muc_service *svc, const char *s)
{
	int64_t	n;

	return sid_parse(&svc->archive->key, s, &n) && n <
	    svc->archive->limit ? n : 0;
}

int
archive_stamp(struct room *room, xmpp_stanza_t *msg, int64_t *seq,
    char sid[SID_LEN])
{
	struct muc_service	*svc = room->svc;
	struct archive		*a = svc->archive;
	struct build		 b = BUILD_INIT(svc->ctx);
	xmpp_stanza_t		*c;

	*seq = 0;
	sid[0] = '\0';
	if (a->next == a->limit && numbers_reserve(a, svc->st) != MUC_OK) {
		if (!a->warned++)
			muc_log(svc->log, MUC_LOG_ERROR, "archive", "cannot "
			    "reserve message numbers: messages go out "
			    "without stanza-ids and are not archived");
		return MUC_OK;
	}
	a->warned = 0;
	*seq = a->next++;
	sid_format(&a->key, *seq, sid);
	c = b_child(&b, msg, "stanza-id", NS_SID);
	b_attr(&b, c, "by", room->jid);
	b_attr(&b, c, "id", sid);
	return b.failed ? MUC_ENOMEM : MUC_OK;
}

/* Remember that room got rows, for the count expiry. */
static void
room_note_dirty(struct room *room)
{
	struct archive	*a = room->svc->archive;

	if (room->archive_dirty || a->max_count <= 0)
		return;
	if (vec_reserve(&a->dirty, &a->capdirty, a->ndirty + 1,
	    sizeof(*a->dirty)) != MUC_OK)
		return;		/* expired a minute later, no worse */
	a->dirty[a->ndirty++] = room->id;
	room->archive_dirty = 1;
}

/* Queue the archive row of msg.  Serialising here, once, is the whole
 * cost of the archive on the message path. */
static int
queue_row(struct room *room, xmpp_stanza_t *msg, int64_t seq, const char *sid,
    const char *nick, const char *sender, time_t when)
{
	struct muc_service	*svc = room->svc;
	struct archive		*a = svc->archive;
	struct archive_row	*r;
	size_t			 len;
	int			 rc;

	if (vec_reserve(&a->queue, &a->capqueue, a->nqueue + 1,
	    sizeof(*a->queue)) != MUC_OK)
		return MUC_ENOMEM;
	if ((rc = st_to_text_into(msg, &a->text, &a->captext, &len)) !=
	    MUC_OK)
		return rc;
	r = &a->queue[a->nqueue];
	memset(r, 0, sizeof(*r));
	r->id = seq;
	r->room_id = room->id;
	r->at = (int64_t)when;
	if ((rc = archive_row_strings(r, nick, sender, sid, a->text)) != MUC_OK)
		return rc;
	a->nqueue++;
	room_note_dirty(room);
	if (a->nqueue >= QUEUE_BATCH)
		return queue_hand_over(svc, 0);
	return MUC_OK;
}

int
archive_keep(struct room *room, xmpp_stanza_t *msg, int64_t seq,
    const char *sid, const char *nick, const char *sender, time_t when)
{
	struct history	*h;
	int		 rc;

	if ((rc = archive_history(room, &h)) != MUC_OK ||
	    (rc = history_add(h, msg, room->jid, when, seq, sender)) != MUC_OK)
		return rc;
	if (!archive_enabled(room) || seq == 0)
		return MUC_OK;
	return queue_row(room, msg, seq, sid, nick, sender, when);
}

xmpp_stanza_t *
archive_parse(xmpp_ctx_t *ctx, const char *xml)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(ctx, xml);
	const char	*lang;

	if (s == NULL)
		return NULL;
	/* libstrophe names xml:lang "lang" and would write it so. */
	if ((lang = xmpp_stanza_get_attribute(s, "lang")) != NULL &&
	    (xmpp_stanza_set_attribute(s, "xml:lang", lang) != XMPP_EOK ||
	    xmpp_stanza_del_attribute(s, "lang") != XMPP_EOK)) {
		xmpp_stanza_release(s);
		return NULL;
	}
	if (xmpp_stanza_set_ns(s, NS_CLIENT) != XMPP_EOK) {
		xmpp_stanza_release(s);
		return NULL;
	}
	return s;
}

int
archive_occupant_id(const struct room *room, xmpp_stanza_t *msg,
    const char *sender)
{
	char	id[OCCID_LEN];

	if (sender[0] == '\0' || occid_has(msg))
		return MUC_OK;
	occid_make(room->svc->occid_key, room->jid, sender, id);
	return occid_add(msg, id);
}

/* Fill the history from the archive's newest rows; *complete 0 when a
 * locked database kept some out.  A row that does not parse (an
 * operator's edit) is left out with a log line. */
static int
history_load(struct room *room, struct history *h, int *complete)
{
	struct muc_service	*svc = room->svc;
	struct archive_rows	 w = { NULL, 0, 0 };
	xmpp_stanza_t		*m;
	size_t			 i;
	int			 rc;

	/* A locked database keeps the newest rows out: load what is there,
	 * and again next time. */
	rc = archive_sync(svc);
	*complete = rc == MUC_OK;
	if (rc == MUC_OK || rc == MUC_EBUSY)
		rc = store_archive_recent(svc->st, room->id,
		    room->cfg.history_length, archive_rows_add, &w);
	history_clear(h);
	for (i = w.n; i-- > 0 && rc == MUC_OK;) {
		if ((m = archive_parse(svc->ctx, w.row[i].stanza)) == NULL) {
			muc_log(svc->log, MUC_LOG_WARN, "archive", "%s: "
			    "message %lld does not parse: left out", room->jid,
			    (long long)w.row[i].id);
			continue;
		}
		if ((rc = archive_occupant_id(room, m, w.row[i].sender)) ==
		    MUC_OK)
			rc = history_add(h, m, room->jid, (time_t)w.row[i].at,
			    w.row[i].id, w.row[i].sender);
		xmpp_stanza_release(m);
	}
	archive_rows_free(&w);
	return rc;
}

int
archive_history(struct room *room, struct history **out)
{
	int	rc, complete = 1;

	*out = room->history;
	if (room->history_loaded)
		return MUC_OK;
	if (archive_enabled(room) &&
	    (rc = history_load(room, room->history, &complete)) != MUC_OK)
		return rc;
	room->history_loaded = complete;
	return MUC_OK;
}

void
archive_history_stale(struct room *room)
{
	if (archive_enabled(room))
		room->history_loaded = 0;
}

void
archive_room_stored(struct room *room)
{
	room->history_loaded = 1;
}

void
archive_room_gone(struct room *room)
{
	struct archive	*a = room->svc->archive;
	size_t		 i, k = 0;

	if (room->id == 0 || a == NULL)
		return;
	/* The sync below would write them only for the delete to remove
	 * them; and should the writer be locked out, rows left queued could
	 * land in a new room given the same id. */
	for (i = 0; i < a->nqueue; i++) {
		if (a->queue[i].room_id == room->id)
			archive_row_free(&a->queue[i]);
		else
			a->queue[k++] = a->queue[i];
	}
	a->nqueue = k;
	(void)archive_sync(room->svc);	/* its rows in flight land first */
}

int
archive_sync(struct muc_service *svc)
{
	return queue_hand_over(svc, 1);
}

struct one_row {
	struct archive_row	row;
	int			have;
};

static int
one_row(void *ud, const struct archive_row *r)
{
	struct one_row	*o = ud;

	o->row = *r;
	if (archive_row_strings(&o->row, r->nick, r->sender, r->stanza_id,
	    r->stanza) != MUC_OK)
		return MUC_ENOMEM;
	o->have = 1;
	return 0;
}

void
archived_free(struct archived *a)
{
	free(a->nick);
	free(a->sender);
	if (a->msg != NULL)
		xmpp_stanza_release(a->msg);
	memset(a, 0, sizeof(*a));
}

/* Is msg a tombstone already? */
static int
is_tombstone(xmpp_stanza_t *msg)
{
	return st_child(msg, "retracted", NS_RETRACT) != NULL;
}

/* Fill *out from the history's copy of message seq.  *found 0 if none. */
static int
find_in_history(struct room *room, int64_t seq, struct archived *out,
    int *found)
{
	struct history	*h;
	xmpp_stanza_t	*m;
	const char	*sender, *from, *slash;
	int		 rc;

	if ((rc = archive_history(room, &h)) != MUC_OK)
		return rc;
	if ((m = history_find(h, seq, &sender)) == NULL)
		return MUC_OK;
	from = xmpp_stanza_get_from(m);
	slash = from != NULL ? strchr(from, '/') : NULL;
	out->seq = seq;
	out->nick = strdup(slash != NULL ? slash + 1 : "");
	out->sender = strdup(sender);
	out->msg = xmpp_stanza_clone(m);
	out->retracted = is_tombstone(m);
	if (out->nick == NULL || out->sender == NULL) {
		archived_free(out);
		return MUC_ENOMEM;
	}
	*found = 1;
	return MUC_OK;
}

int
archive_find(struct room *room, const char *sid, struct archived *out,
    int *found)
{
	struct muc_service	*svc = room->svc;
	struct one_row		 o;
	int64_t			 seq;
	int			 rc;

	*found = 0;
	memset(out, 0, sizeof(*out));
	memset(&o, 0, sizeof(o));
	if ((seq = archive_sid_parse(svc, sid)) == 0)
		return MUC_OK;
	if (!archive_enabled(room))
		return find_in_history(room, seq, out, found);
	if ((rc = archive_sync(svc)) != MUC_OK ||
	    (rc = store_archive_get(svc->st, room->id, seq, one_row, &o)) !=
	    MUC_OK)
		return rc;
	if (!o.have)
		return MUC_OK;
	out->seq = seq;
	out->stored = 1;
	out->retracted = o.row.retracted_at > 0;
	out->nick = strdup(o.row.nick);
	out->sender = strdup(o.row.sender);
	out->msg = archive_parse(svc->ctx, o.row.stanza);
	archive_row_free(&o.row);
	if (out->nick == NULL || out->sender == NULL || out->msg == NULL) {
		archived_free(out);
		return MUC_ENOMEM;
	}
	*found = 1;
	return MUC_OK;
}

/* Children of a retracted message that tell nothing of what it said and
 * let clients match the tombstone: its ids. */
static int
tombstone_keeps(xmpp_stanza_t *c)
{
	const char	*name = xmpp_stanza_get_name(c), *ns;

	if (!xmpp_stanza_is_tag(c) || (ns = xmpp_stanza_get_ns(c)) == NULL)
		return 0;
	return (strcmp(ns, NS_SID) == 0 && (strcmp(name, "stanza-id") == 0 ||
	    strcmp(name, "origin-id") == 0)) ||
	    strcmp(ns, NS_OCCUPANT_ID) == 0;
}

/* The tombstone of msg (XEP-0424 6, XEP-0425 6): msg's attributes and
 * ids, and <retracted/> where the body and the rest were. */
static xmpp_stanza_t *
tombstone_build(xmpp_ctx_t *ctx, xmpp_stanza_t *msg,
    const struct retraction *rt)
{
	struct build	 b = BUILD_INIT(ctx);
	xmpp_stanza_t	*t, *c, *r, *m;
	const char	*attrs[64];
	char		 stamp[STAMP_LEN];
	int		 n, i;

	t = b_new(&b, "message");
	n = xmpp_stanza_get_attributes(msg, attrs, 64);
	for (i = 0; i + 1 < n; i += 2)
		if (strcmp(attrs[i], "xmlns") != 0)
			b_attr(&b, t, strcmp(attrs[i], "lang") == 0 ?
			    "xml:lang" : attrs[i], attrs[i + 1]);
	for (c = xmpp_stanza_get_children(msg); c != NULL && !b.failed;
	    c = xmpp_stanza_get_next(c))
		if (tombstone_keeps(c))
			b_copy(&b, t, c);
	stamp_format(rt->when, stamp);
	r = b_child(&b, t, "retracted", NS_RETRACT);
	b_attr(&b, r, "id", rt->id);
	b_attr(&b, r, "stamp", stamp);
	b_attr(&b, r, "by", rt->by);
	if (rt->moderated) {
		m = b_child(&b, r, "moderated", NS_MODERATE);
		b_attr(&b, m, "by", rt->by);
	}
	if (rt->reason != NULL)
		b_text_child(&b, r, "reason", rt->reason);
	return b_done(&b, t);
}

int
archive_tombstone(struct room *room, const struct archived *a,
    const struct retraction *rt)
{
	struct muc_service	*svc = room->svc;
	struct history		*h;
	xmpp_stanza_t		*t;
	char			*text = NULL;
	size_t			 len;
	int			 rc;

	if ((t = tombstone_build(svc->ctx, a->msg, rt)) == NULL)
		return MUC_ENOMEM;
	if (a->stored && (rc = st_to_text(t, &text, &len)) == MUC_OK) {
		rc = store_archive_tombstone(svc->st, room->id, a->seq, text,
		    (int64_t)rt->when, rt->by != NULL ? rt->by : "",
		    rt->reason);
		free(text);
	} else
		rc = MUC_OK;
	if (rc == MUC_OK && (rc = archive_history(room, &h)) == MUC_OK)
		rc = history_replace(h, a->seq, t, room->jid);
	xmpp_stanza_release(t);
	return rc;
}

int
archive_query(struct room *room, struct archive_query *q, store_archive_fn fn,
    void *ud, struct archive_page *out)
{
	int	rc;

	q->room_id = room->id;
	if ((rc = archive_sync(room->svc)) != MUC_OK)
		return rc;
	return store_archive_query(room->svc->st, q, fn, ud, out);
}

int
archive_edges(struct room *room, store_archive_fn fn, void *ud)
{
	int	rc;

	if ((rc = archive_sync(room->svc)) != MUC_OK)
		return rc;
	return store_archive_edges(room->svc->st, room->id, fn, ud);
}

long
archive_page_max(const struct muc_service *svc)
{
	return svc->archive->page_max;
}

long
archive_page_default(const struct muc_service *svc)
{
	return svc->archive->page_max < PAGE_DEFAULT ? svc->archive->page_max :
	    PAGE_DEFAULT;
}

/* Log what the writer did since the last tick; note whether the last
 * expiry run is done. */
static void
tick_report(struct muc_service *svc)
{
	struct archive		*a = svc->archive;
	struct archive_report	 rep;
	struct room		*room;
	size_t			 i = 0;

	store_archive_report(svc->st, &rep);
	if (rep.error[0] != '\0' || rep.lost > 0)
		muc_log(svc->log, MUC_LOG_WARN, "archive", "%s%s%zu messages "
		    "lost", rep.error, rep.error[0] ? "; " : "", rep.lost);
	if (rep.expired > 0)
		muc_log(svc->log, MUC_LOG_INFO, "archive", "expired %zu "
		    "messages", rep.expired);
	if (rep.expiry_runs == 0)
		return;
	a->expiry_more = rep.expiry_more;
	if (a->expiry_more)
		return;		/* the same rooms again at the next tick */
	a->ndirty = 0;
	while ((room = hmap_next(&svc->rooms, &i)) != NULL)
		room->archive_dirty = 0;
}

/* Post an expiry run and trim the histories in memory alike. */
static int
tick_expire(struct muc_service *svc, time_t now)
{
	struct archive	*a = svc->archive;
	struct room	*room;
	time_t		 before = a->max_age > 0 ? now - a->max_age : 0;
	size_t		 i = 0;

	a->last_expiry = now;
	a->expiry_more = 0;
	while ((room = hmap_next(&svc->rooms, &i)) != NULL)
		if (archive_enabled(room) && room->history_loaded)
			history_expire(room->history, before,
			    a->max_count > 0 ? (size_t)a->max_count : 0);
	if (store_archive_expire(svc->st, (int64_t)before, a->max_count,
	    a->dirty, a->ndirty, EXPIRY_BUDGET) != MUC_OK)
		return MUC_ENOMEM;
	return store_archive_flush(svc->st, 0);
}

int
archive_tick(struct muc_service *svc)
{
	struct archive	*a = svc->archive;
	time_t		 now = svc->now();
	int		 rc;

	rc = queue_hand_over(svc, 0);
	tick_report(svc);
	if (rc == MUC_OK && (a->max_age > 0 || a->max_count > 0) &&
	    (a->expiry_more || now - a->last_expiry >= EXPIRY_PERIOD))
		rc = tick_expire(svc, now);
	return rc;
}
