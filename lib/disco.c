/*
 * disco.c - service discovery (XEP-0030) of the service and its rooms
 * (XEP-0045 6).
 *
 * The service lists its public rooms: stored persistent rooms come from the
 * store, rooms that live only in memory from the room map.  A room tells
 * its features (one muc_* feature per configuration choice), its
 * muc#roominfo form, its occupants (to occupants only: the list is of
 * occupant JIDs, never real ones) and, on node x-roomuser-item, the nick
 * reserved for the asker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "form.h"
#include "handlers.h"
#include "jid.h"
#include "ns.h"
#include "roomopt.h"
#include "xtext.h"

static xmpp_stanza_t *
query_new(struct build *b, const char *ns, const char *node)
{
	xmpp_stanza_t	*q = b_new(b, "query");

	if (q != NULL && xmpp_stanza_set_ns(q, ns) != XMPP_EOK)
		b->failed = 1;
	b_attr(b, q, "node", node);
	return q;
}

static void
add_identity(struct build *b, xmpp_stanza_t *q, const char *name)
{
	xmpp_stanza_t	*id = b_child(b, q, "identity", NULL);

	b_attr(b, id, "category", "conference");
	b_attr(b, id, "name", name);
	b_attr(b, id, "type", "text");
}

static void
add_feature(struct build *b, xmpp_stanza_t *q, const char *var)
{
	b_attr(b, b_child(b, q, "feature", NULL), "var", var);
}

/* What an XEP-0059 <set/> asks of the service's room list. */
struct rsm_req {
	size_t		 max;
	const char	*bound;		/* a room name, or NULL */
	int		 backward;	/* <before/>: the page before bound */
	int		 asked;		/* the request had a <set/> */
};

/* A room's name from the UID a client sends back: the room's JID, as
 * <first/> and <last/> give it, or the bare name. */
static const char *
rsm_name(const char *uid, const char *domain, char **buf)
{
	size_t	lu = strlen(uid), ld = strlen(domain);

	*buf = NULL;
	if (lu > ld + 1 && uid[lu - ld - 1] == '@' &&
	    strcmp(uid + lu - ld, domain) == 0 &&
	    (*buf = strndup(uid, lu - ld - 1)) != NULL)
		return *buf;
	return uid;
}

/* Read q's <set/> into rq (*buf holds what bound points to).  Returns
 * NULL, or the error condition to refuse the request with. */
static const char *
rsm_parse(struct req *r, xmpp_stanza_t *q, struct rsm_req *rq, char **text,
    char **buf)
{
	xmpp_stanza_t	*set = st_child(q, "set", NS_RSM), *e;
	char		*end;
	unsigned long	 n;

	memset(rq, 0, sizeof(*rq));
	rq->max = r->svc->page_default;
	if (set == NULL)
		return NULL;
	rq->asked = 1;
	if (st_child_text(set, "max", text) != MUC_OK)
		return "internal-server-error";
	if (*text != NULL) {
		n = strtoul(*text, &end, 10);
		if (**text == '\0' || *end != '\0' || **text == '-')
			return "bad-request";
		rq->max = n < r->svc->page_max ? (size_t)n : r->svc->page_max;
	}
	if ((e = st_child(set, "index", NULL)) != NULL) {
		free(*text);
		if (st_text(e, text) != MUC_OK)
			return "internal-server-error";
		/* Only the first page by index: any other would be an
		 * OFFSET, a walk as long as the index (XEP-0059 2.5). */
		return strcmp(*text, "0") == 0 ? NULL : "feature-not-implemented";
	}
	e = st_child(set, "before", NULL);
	if (e == NULL && (e = st_child(set, "after", NULL)) == NULL)
		return NULL;
	rq->backward = strcmp(xmpp_stanza_get_name(e), "before") == 0;
	free(*text);
	if (st_text(e, text) != MUC_OK)
		return "internal-server-error";
	if (**text != '\0')
		rq->bound = rsm_name(*text, r->svc->domain, buf);
	return NULL;
}

/* The <set/> of the answer: first and last room, the index of the first
 * when it is known without counting (the first page, the last page),
 * and the count. */
static void
rsm_result(struct build *b, xmpp_stanza_t *q, const struct rsm_req *rq,
    const struct room_page *pg, const char *first, const char *last)
{
	xmpp_stanza_t	*set = b_child(b, q, "set", NS_RSM), *f;
	char		 num[24];

	if (pg->n > 0) {
		f = b_text_child(b, set, "first", first);
		if (rq->bound == NULL) {
			snprintf(num, sizeof(num), "%zu", !rq->backward ? 0 :
			    pg->count >= pg->n ? pg->count - pg->n : 0);
			b_attr(b, f, "index", num);
		}
		b_text_child(b, set, "last", last);
	}
	snprintf(num, sizeof(num), "%zu", pg->count);
	b_text_child(b, set, "count", num);
}

/* disco#items of the service (XEP-0045 6.3): one page of the public
 * rooms (XEP-0059), by name.  A request without <set/> gets the first
 * page, and a <set/> only when there are more rooms than that. */
static int
service_items(struct req *r, xmpp_stanza_t *in_q)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct rsm_req	 rq;
	struct room_page pg;
	xmpp_stanza_t	*q, *item;
	const char	*cond;
	char		*text = NULL, *buf = NULL, *jid, *first = NULL, *last = NULL;
	size_t		 i;
	int		 rc;

	if ((cond = rsm_parse(r, in_q, &rq, &text, &buf)) != NULL) {
		rc = req_error(r, NULL, cond, NULL);
		goto done;
	}
	if ((rc = service_public_page(r->svc, rq.bound, rq.backward, rq.max,
	    &pg)) != MUC_OK)
		goto done;
	q = query_new(&b, NS_DISCO_ITEMS, NULL);
	for (i = 0; i < pg.n && !b.failed; i++) {
		if ((jid = jid_join(pg.item[i].name, r->svc->domain, NULL)) ==
		    NULL)
			b.failed = 1;
		item = b_child(&b, q, "item", NULL);
		b_attr(&b, item, "jid", jid);
		b_attr(&b, item, "name", pg.item[i].title);
		free(jid);
	}
	if ((rq.asked || pg.count > pg.n) && pg.n > 0 &&
	    ((first = jid_join(pg.item[0].name, r->svc->domain, NULL)) == NULL ||
	    (last = jid_join(pg.item[pg.n - 1].name, r->svc->domain, NULL)) ==
	    NULL))
		b.failed = 1;
	if (rq.asked || pg.count > pg.n)
		rsm_result(&b, q, &rq, &pg, first, last);
	free(first);
	free(last);
	room_page_free(&pg);
	rc = (q = b_done(&b, q)) == NULL ? MUC_ENOMEM : req_result(r, q);
done:
	free(text);
	free(buf);
	return rc;
}

/* Service-level iqs: disco, ping. */
int
service_iq_handle(struct req *r)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*in_q, *q;

	if (r->type == NULL || (strcmp(r->type, "get") != 0 &&
	    strcmp(r->type, "set") != 0))
		return MUC_OK;
	if (strcmp(r->type, "get") == 0 &&
	    (in_q = st_child(r->in, "query", NS_DISCO_INFO)) != NULL) {
		if (xmpp_stanza_get_attribute(in_q, "node") != NULL)
			return req_error(r, "cancel", "item-not-found", NULL);
		q = query_new(&b, NS_DISCO_INFO, NULL);
		add_identity(&b, q, r->svc->name);
		add_feature(&b, q, NS_DISCO_INFO);
		add_feature(&b, q, NS_DISCO_ITEMS);
		add_feature(&b, q, NS_MUC);
		add_feature(&b, q, NS_PING);
		add_feature(&b, q, NS_RSM);
		return (q = b_done(&b, q)) == NULL ? MUC_ENOMEM : req_result(r, q);
	}
	if (strcmp(r->type, "get") == 0 &&
	    (in_q = st_child(r->in, "query", NS_DISCO_ITEMS)) != NULL) {
		if (xmpp_stanza_get_attribute(in_q, "node") != NULL)
			return req_error(r, "cancel", "item-not-found", NULL);
		return service_items(r, in_q);
	}
	if (strcmp(r->type, "get") == 0 && st_child(r->in, "ping", NS_PING))
		return req_result(r, NULL);
	return req_error(r, "cancel", "service-unavailable", NULL);
}

/* The muc#roominfo form of disco#info (XEP-0045 6.4, XEP-0128): the
 * options' fields and what the room is now. */
static void
add_roominfo(struct build *b, xmpp_stanza_t *q, const struct room *room)
{
	xmpp_stanza_t	*x;
	char		 num[24];

	x = form_new(b, q, "result", NS_MUC_ROOMINFO);
	roomopt_info_fields(b, x, &room->cfg);
	snprintf(num, sizeof(num), "%zu", room->noccupants);
	form_add(b, x, "muc#roominfo_occupants", NULL, "Number of occupants", num);
	form_add(b, x, "muc#roominfo_subject", NULL, "Subject", room->subject);
}

static xmpp_stanza_t *
room_info(struct req *r, struct room *room, const char *node)
{
	struct build		 b = BUILD_INIT(r->svc->ctx);
	const struct room_config *c = &room->cfg;
	struct affiliation	*a;
	xmpp_stanza_t		*q = query_new(&b, NS_DISCO_INFO, node);

	if (node != NULL) {
		/* x-roomuser-item (7.12): the asker's reserved nick, if any. */
		if ((a = affiliation_get(room, r->from_bare)) != NULL &&
		    a->nick != NULL)
			add_identity(&b, q, a->nick);
		return b_done(&b, q);
	}
	add_identity(&b, q, c->title[0] != '\0' ? c->title : room->name);
	add_feature(&b, q, NS_MUC);
	add_feature(&b, q, NS_DISCO_INFO);
	add_feature(&b, q, NS_DISCO_ITEMS);
	add_feature(&b, q, NS_REGISTER);
	add_feature(&b, q, NS_PING);
	roomopt_features(&b, q, c);
	add_roominfo(&b, q, room);
	return b_done(&b, q);
}

int
disco_room_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	const char	*node = xmpp_stanza_get_attribute(q, "node");
	struct xtext	 x = XTEXT_INIT;
	xmpp_stanza_t	*res;
	struct occupant	*o;

	if (strcmp(r->type, "get") != 0)
		return req_error(r, "cancel", "bad-request", NULL);
	if (strcmp(xmpp_stanza_get_ns(q), NS_DISCO_INFO) == 0) {
		if (node != NULL && strcmp(node, "x-roomuser-item") != 0)
			return req_error(r, "cancel", "item-not-found", NULL);
		if ((res = room_info(r, room, node)) == NULL)
			return MUC_ENOMEM;
		return req_result(r, res);
	}
	if (node != NULL)
		return req_error(r, "cancel", "item-not-found", NULL);
	/* Occupants are listed to occupants only: a stranger learns the
	 * count from the room info, not who is there (6.5).  As text: a
	 * room of 10,000 is one pass (xtext.h). */
	xt_raw(&x, "<query xmlns=\"" NS_DISCO_ITEMS "\">");
	if (occupant_by_jid(room, r->from) != NULL)
		for (o = room->head; o != NULL; o = o->next) {
			xt_raw(&x, "<item");
			xt_attr(&x, "jid", o->occ_jid);
			xt_attr(&x, "name", o->nick);
			xt_raw(&x, "/>");
		}
	xt_raw(&x, "</query>");
	return req_result_text(r, &x);
}
