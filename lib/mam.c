/*
 * mam.c - the room's archive queried (XEP-0313, urn:xmpp:mam:2, with the
 * extended features; paging by XEP-0059).
 *
 * To the room JID: an iq get of <query/> gives the query form; an iq get
 * of <metadata/> the first and last messages; an iq set of <query/> runs a
 * query.  The form's filters are start, end (XEP-0082), with (an occupant
 * JID, room@service/nick; or a real JID, for those who may see real JIDs),
 * before-id, after-id and ids; the RSM <set/> takes max (capped at the
 * service's page size, said by a <max/> in the answer's <set/>), after,
 * before (empty: the last page) and index; <flip-page/> sends the page
 * newest first.  Each result is a message of its own (never one stanza
 * with many children: libstrophe adds children in linear time), the
 * stored message forwarded with its delay, from room/nick and, for those
 * who may see real JIDs, with the sender's in a muc#user <item/>.  The
 * <fin/> ends it, complete='true' on the last page.
 *
 * Who may: occupants; members, admins and owners also when not in the
 * room.  Outcasts and others get forbidden, or item-not-found in a room
 * that is not public.  A room that does not archive answers
 * service-unavailable.  Every malformed request is refused whole with a
 * stanza error before anything is sent; a database that stays locked
 * gets resource-constraint.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "build.h"
#include "form.h"
#include "handlers.h"
#include "jid.h"
#include "ns.h"
#include "stamp.h"
#include "vec.h"

#define IDS_MAX		250	/* ids one query may name */
#define COUNT_MAX	10000	/* larger sets go without count and index */

/* A request, parsed. */
struct mam_req {
	const char		*queryid;
	struct archive_query	 q;
	int64_t			*ids;
	size_t			 capids;
	char			*nick;		/* with, as a nick */
	char			*sender;	/* with, as a real bare JID */
	int			 flip;
	int			 capped;	/* max was cut to the service's */
	/* Why it is refused: condition NULL while it is not. */
	const char		*type, *condition;
	char			 text[192];
};

/* Refuse the request (the first reason wins).  Returns MUC_OK. */
static int
refuse(struct mam_req *m, const char *type, const char *condition,
    const char *fmt, ...)
{
	va_list	ap;

	if (m->condition != NULL)
		return MUC_OK;
	m->type = type;
	m->condition = condition;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
	return MUC_OK;
}

static void
mam_req_free(struct mam_req *m)
{
	free(m->ids);
	free(m->nick);
	free(m->sender);
}

/* Who asks: their occupant (or NULL) and affiliation. */
struct asker {
	struct occupant		*occ;
	enum muc_affiliation	 aff;
	int			 sees_jids;
};

/* May r's sender read the archive?  Returns 1, or 0 after queueing the
 * refusal in *rc. */
static int
mam_allowed(struct req *r, struct room *room, struct asker *who, int *rc)
{
	who->occ = occupant_by_jid(room, r->from);
	who->aff = affiliation_of(room, r->from_bare);
	/* As room_can_see_jids(): an absent admin would be a moderator. */
	who->sees_jids = room->cfg.whois_anyone || (who->occ != NULL ?
	    who->occ->role == ROLE_MODERATOR : who->aff >= AFF_ADMIN);
	if (!archive_enabled(room)) {
		*rc = req_error(r, "cancel", "service-unavailable",
		    "This room keeps no archive");
		return 0;
	}
	if (who->aff != AFF_OUTCAST &&
	    (who->occ != NULL || who->aff >= AFF_MEMBER))
		return 1;
	if (!room->cfg.public_room)
		*rc = req_no_room(r);
	else
		*rc = req_error(r, "auth", "forbidden", who->aff == AFF_OUTCAST ?
		    "You are banned from this room" :
		    "Only occupants and members may read the archive");
	return 0;
}

/* The number of a stanza-id the room's archive holds, or 0 after
 * refusing with item-not-found. */
static int64_t
known_id(struct room *room, struct mam_req *m, const char *what,
    const char *sid, int *rc)
{
	struct archive_query	q;
	struct archive_page	p;
	int64_t			n = archive_sid_parse(room->svc, sid);

	*rc = MUC_OK;
	if (n > 0) {
		memset(&q, 0, sizeof(q));
		q.ids = &n;
		q.nids = 1;
		q.max = 0;
		q.count_max = 1;
		if ((*rc = archive_query(room, &q, NULL, NULL, &p)) != MUC_OK)
			return 0;
		if (p.count == 1)
			return n;
	}
	refuse(m, "cancel", "item-not-found", "%s %s is not in the archive",
	    what, sid);
	return 0;
}

/* `with`: room@service/nick is an occupant JID, anything else a real
 * JID (matched by its bare JID). */
static int
form_with(struct room *room, struct mam_req *m, const char *v)
{
	struct jid	*j;

	if (v[0] == '\0')
		return MUC_OK;
	if ((j = jid_parse(v)) == NULL)
		return refuse(m, "modify", "bad-request", "with: %s is not a "
		    "JID", v);
	if (strcmp(j->domain, room->svc->domain) == 0 && j->node != NULL &&
	    strcmp(j->node, room->name) == 0)
		m->nick = strdup(j->resource != NULL ? j->resource : "");
	else
		m->sender = jid_bare(j);
	free(j);
	return m->nick != NULL || m->sender != NULL ? MUC_OK : MUC_ENOMEM;
}

/* A time field, start or end (XEP-0082; times are kept to the second,
 * so a fraction is dropped). */
static int
form_time(struct mam_req *m, const char *var, const char *v)
{
	time_t	t = stamp_parse(v);

	if (t < 0)
		return refuse(m, "modify", "bad-request", "%s: %s is not an "
		    "XEP-0082 DateTime (from 1970 on)", var, v);
	if (strcmp(var, "start") == 0)
		m->q.start = (int64_t)t;
	else if (t == 0)
		m->q.before = 1;	/* before every message */
	else
		m->q.end = (int64_t)t;
	return MUC_OK;
}

static int
id_listed(const struct mam_req *m, int64_t n)
{
	size_t	i;

	for (i = 0; i < m->q.nids; i++)
		if (m->ids[i] == n)
			return 1;
	return 0;
}

/* The ids field: every value a stanza-id of ours (whether the archive
 * holds them all is checked once the form is read: mam_check_ids()). */
static int
form_ids(struct room *room, struct mam_req *m, xmpp_stanza_t *f)
{
	xmpp_stanza_t	*v;
	char		*t;
	int64_t		 n;

	for (v = xmpp_stanza_get_children(f); v != NULL;
	    v = xmpp_stanza_get_next(v)) {
		if (!xmpp_stanza_is_tag(v) ||
		    strcmp(xmpp_stanza_get_name(v), "value") != 0)
			continue;
		if (m->q.nids == IDS_MAX)
			return refuse(m, "modify", "not-acceptable", "A query "
			    "may name at most %d ids", IDS_MAX);
		if (st_text(v, &t) != MUC_OK)
			return MUC_ENOMEM;
		n = archive_sid_parse(room->svc, t);
		if (n == 0)
			refuse(m, "cancel", "item-not-found", "ids: %s is not "
			    "in the archive", t);
		free(t);
		if (n == 0)
			return MUC_OK;
		if (id_listed(m, n))
			continue;
		if (vec_reserve(&m->ids, &m->capids, m->q.nids + 1,
		    sizeof(*m->ids)) != MUC_OK)
			return MUC_ENOMEM;
		m->ids[m->q.nids++] = n;
	}
	m->q.ids = m->ids;
	if (m->q.nids == 0)
		m->q.before = 1;	/* ids named none: nothing matches */
	return MUC_OK;
}

/* Are all the ids the form named in the archive? */
static int
mam_check_ids(struct room *room, struct mam_req *m)
{
	struct archive_query	q;
	struct archive_page	p;
	int			rc;

	if (m->q.nids == 0 || m->condition != NULL)
		return MUC_OK;
	memset(&q, 0, sizeof(q));
	q.ids = m->q.ids;
	q.nids = m->q.nids;
	q.count_max = IDS_MAX;
	if ((rc = archive_query(room, &q, NULL, NULL, &p)) != MUC_OK)
		return rc;
	if (p.count != (long)m->q.nids)
		refuse(m, "cancel", "item-not-found", "ids: not all of them "
		    "are in the archive");
	return MUC_OK;
}

/* One single-valued field of the form. */
static int
form_single(struct room *room, struct mam_req *m, const char *var,
    const char *v)
{
	int64_t	n;
	int	rc = MUC_OK;

	if (strcmp(var, "FORM_TYPE") == 0)
		return strcmp(v, NS_MAM) == 0 ? MUC_OK : refuse(m, "modify",
		    "bad-request", "FORM_TYPE %s is not %s", v, NS_MAM);
	if (strcmp(var, "start") == 0 || strcmp(var, "end") == 0)
		return form_time(m, var, v);
	if (strcmp(var, "with") == 0)
		return form_with(room, m, v);
	if (v[0] == '\0')
		return MUC_OK;	/* an empty before-id/after-id: none */
	if ((n = known_id(room, m, var, v, &rc)) != 0 &&
	    strcmp(var, "after-id") == 0)
		m->q.after = n;
	else if (n != 0)
		m->q.before = n;
	return rc;
}

static int
is_field(const char *var)
{
	static const char *const known[] = { "FORM_TYPE", "start", "end",
	    "with", "before-id", "after-id", "ids" };
	size_t	i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(var, known[i]) == 0)
			return 1;
	return 0;
}

/* The query form x (XEP-0313 4.1): fields we know, each once, each
 * value of its type. */
static int
parse_form(struct room *room, struct mam_req *m, xmpp_stanza_t *x)
{
	const char	*type = xmpp_stanza_get_type(x), *var, *seen[8];
	xmpp_stanza_t	*f;
	size_t		 nseen = 0, i;
	char		*v;
	int		 rc = MUC_OK, typed = 0;

	if (type != NULL && strcmp(type, "submit") != 0)
		return refuse(m, "modify", "bad-request", "The query form must "
		    "be of type submit");
	for (f = xmpp_stanza_get_children(x); f != NULL && rc == MUC_OK &&
	    m->condition == NULL; f = xmpp_stanza_get_next(f)) {
		if (!xmpp_stanza_is_tag(f) ||
		    strcmp(xmpp_stanza_get_name(f), "field") != 0 ||
		    (var = xmpp_stanza_get_attribute(f, "var")) == NULL)
			continue;
		if (!is_field(var))
			return refuse(m, "cancel", "feature-not-implemented",
			    "Unknown field %s", var);
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], var) == 0)
				return refuse(m, "modify", "bad-request",
				    "%s appears twice", var);
		seen[nseen++] = var;
		typed |= strcmp(var, "FORM_TYPE") == 0;
		if (strcmp(var, "ids") == 0) {
			rc = form_ids(room, m, f);
			continue;
		}
		if (form_nvalues(f) > 1)
			return refuse(m, "modify", "bad-request", "%s takes "
			    "one value", var);
		if ((rc = form_value(f, &v)) != MUC_OK || v == NULL)
			continue;	/* no value: not given */
		rc = form_single(room, m, var, v);
		free(v);
	}
	if (rc == MUC_OK && nseen > 0 && !typed)
		return refuse(m, "modify", "bad-request", "FORM_TYPE is "
		    "missing");
	return rc;
}

/* A number for RSM: digits only.  -1 when it is not one; a number too
 * long to be meant is LONG_MAX (it will be capped). */
static long
rsm_number(const char *t)
{
	size_t	n = strlen(t);

	if (n == 0 || strspn(t, "0123456789") != n)
		return -1;
	return n > 9 ? 0x7fffffffL : strtol(t, NULL, 10);
}

/* The RSM <set/> of the query (XEP-0059): the page wanted. */
static int
parse_rsm(struct room *room, struct mam_req *m, xmpp_stanza_t *set)
{
	xmpp_stanza_t	*c;
	char		*t;
	long		 n = archive_page_default(room->svc);
	int		 rc = MUC_OK, has_index = 0;

	if (set != NULL && (c = st_child(set, "max", NULL)) != NULL) {
		if (st_text(c, &t) != MUC_OK)
			return MUC_ENOMEM;
		n = rsm_number(t);
		free(t);
		if (n < 0)
			return refuse(m, "modify", "bad-request", "RSM max must "
			    "be a number");
		if (n > archive_page_max(room->svc)) {
			n = archive_page_max(room->svc);
			m->capped = 1;
		}
	}
	m->q.max = n;
	if (set == NULL)
		return MUC_OK;
	if ((c = st_child(set, "index", NULL)) != NULL) {
		if (st_text(c, &t) != MUC_OK)
			return MUC_ENOMEM;
		n = rsm_number(t);
		free(t);
		if (n < 0)
			return refuse(m, "modify", "bad-request", "RSM index "
			    "must be a number");
		if (n > COUNT_MAX)
			return refuse(m, "cancel", "feature-not-implemented",
			    "RSM index goes up to %d", COUNT_MAX);
		m->q.offset = n;
		has_index = 1;
	}
	if ((c = st_child(set, "after", NULL)) != NULL && !has_index) {
		if (st_text(c, &t) != MUC_OK)
			return MUC_ENOMEM;
		m->q.page_after = t[0] == '\0' ? (refuse(m, "modify",
		    "bad-request", "RSM after needs an id"), 0) :
		    known_id(room, m, "RSM after", t, &rc);
		free(t);
	}
	if ((c = st_child(set, "before", NULL)) != NULL && !has_index &&
	    rc == MUC_OK) {
		m->q.backward = 1;
		if (st_text(c, &t) != MUC_OK)
			return MUC_ENOMEM;
		if (t[0] != '\0')
			m->q.page_before = known_id(room, m, "RSM before", t,
			    &rc);
		free(t);
	}
	if (has_index && (st_child(set, "after", NULL) != NULL ||
	    st_child(set, "before", NULL) != NULL))
		return refuse(m, "modify", "bad-request", "RSM index does not "
		    "go with after or before");
	return rc;
}

/* Parse the whole query into m.  Returns MUC_OK with m->condition set
 * when it is refused. */
static int
parse_query(struct room *room, const struct asker *who, xmpp_stanza_t *q,
    struct mam_req *m)
{
	xmpp_stanza_t	*x;
	int		 rc;

	m->queryid = xmpp_stanza_get_attribute(q, "queryid");
	m->flip = st_child(q, "flip-page", NULL) != NULL;
	m->q.count_max = COUNT_MAX;
	if ((x = form_find(q)) != NULL &&
	    ((rc = parse_form(room, m, x)) != MUC_OK ||
	    (rc = mam_check_ids(room, m)) != MUC_OK))
		return rc;
	if (m->condition == NULL &&
	    (rc = parse_rsm(room, m, st_child(q, "set", NS_RSM))) != MUC_OK)
		return rc;
	/* XEP-0313 4.1.1: a real JID only for those who may know it. */
	if (m->sender != NULL && !who->sees_jids)
		refuse(m, "auth", "forbidden", "Only those who may see real "
		    "JIDs may filter by one");
	m->q.nick = m->nick;
	m->q.sender = m->sender;
	return MUC_OK;
}

/* One result (XEP-0313 4.2): the stored message forwarded with its delay,
 * and, when the asker may know it, the sender's real JID. */
static xmpp_stanza_t *
result_build(struct req *r, struct room *room, const struct mam_req *m,
    const struct asker *who, const struct archive_row *row)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*msg, *res, *fwd, *d, *x, *out;
	char		 sid[SID_LEN], stamp[STAMP_LEN];

	if ((msg = archive_parse(r->svc->ctx, row->stanza)) == NULL)
		return NULL;
	if (archive_occupant_id(room, msg, row->sender) != MUC_OK) {
		xmpp_stanza_release(msg);
		return NULL;
	}
	if (who->sees_jids && row->sender[0] != '\0') {
		x = b_child(&b, msg, "x", NS_MUC_USER);
		b_attr(&b, b_child(&b, x, "item", NULL), "jid", row->sender);
	}
	archive_sid(r->svc, row->id, sid);
	stamp_format((time_t)row->at, stamp);
	out = b_new(&b, "message");
	b_attr(&b, out, "from", room->jid);
	b_attr(&b, out, "to", r->from);
	res = b_child(&b, out, "result", NS_MAM);
	b_attr(&b, res, "queryid", m->queryid);
	b_attr(&b, res, "id", sid);
	fwd = b_child(&b, res, "forwarded", NS_FORWARD);
	d = b_child(&b, fwd, "delay", NS_DELAY);
	b_attr(&b, d, "stamp", stamp);
	if (!b.failed && xmpp_stanza_add_child_ex(fwd, msg, 0) == XMPP_EOK)
		msg = NULL;
	else
		b.failed = 1;
	if (msg != NULL)
		xmpp_stanza_release(msg);
	return b_done(&b, out);
}

/* The <fin/> (XEP-0313 4.3, XEP-0059 2.1): the page's first and last ids
 * in the order of the archive, the set's size and the page's place when
 * known, <max/> when the service cut the page.  A page read backward has
 * no index: slixmpp (poezio's library) takes index + page = count for
 * the end of its paging, whichever way it pages, and stops after the
 * newest page (Prosody sends no index at all). */
static xmpp_stanza_t *
fin_build(struct req *r, const struct mam_req *m, const struct archive_rows *w,
    const struct archive_page *p)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*fin, *set, *first;
	char		 sid[SID_LEN], num[24];
	size_t		 lo = 0, hi = w->n - 1;

	fin = b_new(&b, "fin");
	if (fin != NULL && xmpp_stanza_set_ns(fin, NS_MAM) != XMPP_EOK)
		b.failed = 1;
	b_attr(&b, fin, "complete", p->more ? NULL : "true");
	set = b_child(&b, fin, "set", NS_RSM);
	if (w->n > 0) {
		if (m->q.backward) {
			lo = w->n - 1;
			hi = 0;
		}
		archive_sid(r->svc, w->row[lo].id, sid);
		first = b_text_child(&b, set, "first", sid);
		snprintf(num, sizeof(num), "%ld", p->index);
		b_attr(&b, first, "index", p->index >= 0 && !m->q.backward ?
		    num : NULL);
		archive_sid(r->svc, w->row[hi].id, sid);
		b_text_child(&b, set, "last", sid);
	}
	if (p->count >= 0) {
		snprintf(num, sizeof(num), "%ld", p->count);
		b_text_child(&b, set, "count", num);
	}
	if (m->capped) {
		snprintf(num, sizeof(num), "%ld", m->q.max);
		b_text_child(&b, set, "max", num);
	}
	return b_done(&b, fin);
}

/*
 * Steps: 1. read the page; 2. build every result and the <fin/> before
 * sending any, so that a failure sends nothing; 3. send the results in
 * the archive's order (rows read backward are reversed), or the other
 * way with <flip-page/>; 4. the <fin/>.
 */
static int
mam_run(struct req *r, struct room *room, struct mam_req *m,
    const struct asker *who)
{
	struct archive_rows		 w = { NULL, 0, 0 };
	struct archive_page	 p;
	xmpp_stanza_t		**res = NULL, *fin = NULL;
	size_t			 i, k;
	int			 rc, reverse;

	if ((rc = archive_query(room, &m->q, archive_rows_add, &w, &p)) != MUC_OK)
		goto done;
	rc = MUC_ENOMEM;
	if (w.n > 0 && (res = calloc(w.n, sizeof(*res))) == NULL)
		goto done;
	for (i = 0; i < w.n; i++)
		if ((res[i] = result_build(r, room, m, who, &w.row[i])) == NULL)
			goto done;
	if ((fin = fin_build(r, m, &w, &p)) == NULL)
		goto done;
	rc = MUC_OK;
	reverse = m->q.backward != m->flip;
	for (i = 0; i < w.n; i++) {
		k = reverse ? w.n - 1 - i : i;
		if (rc == MUC_OK)
			rc = muc_out_push(r->out, res[k]);
		else
			xmpp_stanza_release(res[k]);
		res[k] = NULL;
	}
	if (rc == MUC_OK)
		rc = req_result(r, fin);
	else
		xmpp_stanza_release(fin);
	fin = NULL;
done:
	for (i = 0; res != NULL && i < w.n; i++)
		if (res[i] != NULL)
			xmpp_stanza_release(res[i]);
	free(res);
	if (fin != NULL)
		xmpp_stanza_release(fin);
	archive_rows_free(&w);
	return rc;
}

/* The query form (XEP-0313 4.1.5), with the extended fields and
 * XEP-0122 datatypes. */
static int
mam_form(struct req *r)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*q, *x, *ids, *val;
	int		 i;

	q = b_new(&b, "query");
	if (q != NULL && xmpp_stanza_set_ns(q, NS_MAM) != XMPP_EOK)
		b.failed = 1;
	x = form_new(&b, q, "form", NS_MAM);
	form_add(&b, x, "with", "jid-single", NULL, NULL);
	/* XEP-0122: the times are xs:dateTime (XEP-0082), as Prosody says. */
	for (i = 0; i < 2; i++)
		b_attr(&b, b_child(&b, form_add(&b, x, i == 0 ? "start" : "end",
		    "text-single", NULL, NULL), "validate", NS_XDATA_VALIDATE),
		    "datatype", "xs:dateTime");
	form_add(&b, x, "before-id", "text-single", NULL, NULL);
	form_add(&b, x, "after-id", "text-single", NULL, NULL);
	ids = form_add(&b, x, "ids", "list-multi", NULL, NULL);
	val = b_child(&b, ids, "validate", NS_XDATA_VALIDATE);
	b_attr(&b, val, "datatype", "xs:string");
	b_child(&b, val, "open", NULL);
	if ((q = b_done(&b, q)) == NULL)
		return MUC_ENOMEM;
	return req_result(r, q);
}

/* The archive's metadata (XEP-0313 5): its first and last messages. */
struct edges {
	struct build	*b;
	xmpp_stanza_t	*md;
	struct room	*room;
	int		 n;
};

static int
edge_row(void *ud, const struct archive_row *row)
{
	struct edges	*e = ud;
	xmpp_stanza_t	*c;
	char		 sid[SID_LEN], stamp[STAMP_LEN];

	archive_sid(e->room->svc, row->id, sid);
	stamp_format((time_t)row->at, stamp);
	c = b_child(e->b, e->md, e->n++ == 0 ? "start" : "end", NULL);
	b_attr(e->b, c, "id", sid);
	b_attr(e->b, c, "timestamp", stamp);
	return e->b->failed ? MUC_ENOMEM : 0;
}

static int
mam_metadata(struct req *r, struct room *room)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct edges	 e = { &b, NULL, room, 0 };
	int		 rc;

	e.md = b_new(&b, "metadata");
	if (e.md != NULL && xmpp_stanza_set_ns(e.md, NS_MAM) != XMPP_EOK)
		b.failed = 1;
	if ((rc = archive_edges(room, edge_row, &e)) != MUC_OK) {
		b.failed = 1;
		(void)b_done(&b, e.md);
		return rc;	/* mam_handle() answers a busy database */
	}
	if ((e.md = b_done(&b, e.md)) == NULL)
		return MUC_ENOMEM;
	return req_result(r, e.md);
}

int
mam_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct mam_req	 m;
	struct asker	 who;
	const char	*name = xmpp_stanza_get_name(q);
	int		 get = strcmp(r->type, "get") == 0, rc;

	if (!mam_allowed(r, room, &who, &rc))
		return rc;
	if (get && strcmp(name, "query") == 0)
		return mam_form(r);
	if (get && strcmp(name, "metadata") == 0) {
		rc = mam_metadata(r, room);
		return rc == MUC_EBUSY ? req_error(r, "wait",
		    "resource-constraint", "The archive is busy; try again") :
		    rc;
	}
	if (get || strcmp(name, "query") != 0)
		return req_error(r, "modify", "bad-request", "Expected a "
		    "<query/> set, or a <query/> or <metadata/> get");
	memset(&m, 0, sizeof(m));
	if ((rc = parse_query(room, &who, q, &m)) == MUC_OK) {
		if (m.condition != NULL)
			rc = req_error(r, m.type, m.condition, m.text);
		else
			rc = mam_run(r, room, &m, &who);
	}
	mam_req_free(&m);
	if (rc == MUC_EBUSY)
		return req_error(r, "wait", "resource-constraint",
		    "The archive is busy; try again");
	return rc;
}
