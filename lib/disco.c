/*
 * disco.c - service discovery (XEP-0030) of the service and its rooms
 * (XEP-0045 6).
 *
 * The service lists its public rooms: stored persistent rooms come from the
 * store, rooms that live only in memory from the room map.  A room tells
 * its features (one muc_* feature per configuration choice; stable ids,
 * retraction and moderation always; the archive when it keeps one), its
 * muc#roominfo form, its occupants (to occupants only: the list is of
 * occupant JIDs, never real ones) and, on node x-roomuser-item, the nick
 * reserved for the asker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "build.h"
#include "form.h"
#include "hats.h"
#include "handlers.h"
#include "jid.h"
#include "ns.h"
#include "roomopt.h"
#include "rsm.h"
#include "xtext.h"

static void
add_identity(struct build *b, xmpp_stanza_t *q, const char *name)
{
	xmpp_stanza_t	*id = b_child(b, q, "identity", NULL);

	b_attr(b, id, "category", "conference");
	b_attr(b, id, "name", name);
	b_attr(b, id, "type", "text");
}

/* A room of a page of the service's disco#items. */
struct room_entry {
	char		*jid;
	const char	*title;
};

static size_t
room_entry_size(const void *ud, const void *p)
{
	const struct room_entry	*e = p;

	(void)ud;
	return 7 + xt_attr_len("jid", e->jid) + xt_attr_len("name", e->title);
}

static void
room_entry_write(const void *ud, struct xtext *x, const void *p)
{
	const struct room_entry	*e = p;

	(void)ud;
	xt_raw(x, "<item");
	xt_attr(x, "jid", e->jid);
	xt_attr(x, "name", e->title);
	xt_raw(x, "/>");
}

static const char *
room_entry_uid(const void *p)
{
	return ((const struct room_entry *)p)->jid;
}

/* A room's name from the UID a client sends back: the room's JID, as
 * <first/> and <last/> give it, or the bare name. */
static const char *
rsm_name(char *uid, const char *domain)
{
	size_t	lu = strlen(uid), ld = strlen(domain);

	if (lu > ld + 1 && uid[lu - ld - 1] == '@' &&
	    strcmp(uid + lu - ld, domain) == 0)
		uid[lu - ld - 1] = '\0';
	return uid;
}

/* Write the page pg as items and <set/>. */
static int
service_items_write(struct req *r, const struct rsm *rq,
    const struct room_page *pg, struct xtext *x)
{
	struct room_entry	 *e;
	const void		**ptr;
	struct rsm_list		  l;
	size_t			  i;
	int			  rc = MUC_OK;

	e = calloc(pg->n + 1, sizeof(*e));
	ptr = calloc(pg->n + 1, sizeof(*ptr));
	for (i = 0; e != NULL && ptr != NULL && i < pg->n; i++) {
		if ((e[i].jid = jid_join(pg->item[i].name, r->svc->domain,
		    NULL)) == NULL)
			break;
		e[i].title = pg->item[i].title;
		ptr[i] = &e[i];
	}
	if (e == NULL || ptr == NULL || i < pg->n)
		rc = MUC_ENOMEM;
	else {
		l = (struct rsm_list){ ptr, pg->n, room_entry_size,
		    room_entry_write, room_entry_uid, NULL };
		rsm_page(x, &l, rq, rq->bound != NULL ? -1 : !rq->backward ? 0 :
		    (long)(pg->count >= pg->n ? pg->count - pg->n : 0),
		    pg->count);
	}
	for (i = 0; e != NULL && i < pg->n; i++)
		free(e[i].jid);
	free(e);
	free(ptr);
	return rc;
}

/* disco#items of the service (XEP-0045 6.3): one page of the public
 * rooms (XEP-0059), by name.  A request without <set/> gets the first
 * page, and a <set/> only when there are more rooms than that. */
static int
service_items(struct req *r, xmpp_stanza_t *in_q)
{
	struct xtext	 x = XTEXT_INIT;
	struct rsm	 rq;
	struct room_page pg;
	const char	*cond;
	int		 rc;

	if ((cond = rsm_read(in_q, r->svc->page_default, r->svc->page_max,
	    r->svc->page_default, &rq)) != NULL) {
		rsm_free(&rq);
		return req_error(r, NULL, cond, NULL);
	}
	rc = service_public_page(r->svc, rq.bound != NULL ?
	    rsm_name(rq.bound, r->svc->domain) : NULL, rq.backward, rq.max,
	    &pg);
	if (rc == MUC_OK) {
		xt_raw(&x, "<query xmlns=\"" NS_DISCO_ITEMS "\">");
		rc = service_items_write(r, &rq, &pg, &x);
		xt_raw(&x, "</query>");
		room_page_free(&pg);
	}
	rsm_free(&rq);
	if (rc != MUC_OK) {
		free(xt_done(&x, &(size_t){ 0 }));
		return rc;
	}
	return req_result_text(r, &x);
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
		q = b_query(&b, NS_DISCO_INFO, NULL);
		add_identity(&b, q, r->svc->name);
		b_feature(&b, q, NS_DISCO_INFO);
		b_feature(&b, q, NS_DISCO_ITEMS);
		b_feature(&b, q, NS_MUC);
		b_feature(&b, q, NS_PING);
		b_feature(&b, q, NS_RSM);
		b_feature(&b, q, NS_VCARD);	/* XEP-0486 4.1 */
		b_feature(&b, q, NS_VERSION);		/* XEP-0092 */
		b_feature(&b, q, NS_MUC_UNIQUE);	/* XEP-0307 */
		/* XEP-0421 4: every room has occupant-ids. */
		b_feature(&b, q, NS_OCCUPANT_ID);
		b_feature(&b, q, NS_COMMANDS);	/* XEP-0050 (adhoc.c) */
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

/* XEP-0486 4.3: the avatar's hashes, one value each, and no field when
 * the room has no avatar (5). */
static void
add_avatarhash(struct build *b, xmpp_stanza_t *x, const char *hashes)
{
	xmpp_stanza_t	*f;
	char		 h[41];
	size_t		 n;

	if (hashes == NULL || *hashes == '\0')
		return;
	f = form_add(b, x, "muc#roominfo_avatarhash", "text-multi",
	    "Avatar hash", NULL);
	for (; *hashes != '\0'; hashes += n + (hashes[n] == ' ')) {
		n = strcspn(hashes, " ");
		snprintf(h, sizeof(h), "%.*s", (int)n, hashes);
		form_add_value(b, f, h);
	}
}

/* The muc#roominfo form of disco#info (XEP-0045 6.4, XEP-0128): the
 * options' fields and what the room is now. */
static void
add_roominfo(struct build *b, xmpp_stanza_t *q, const struct room *room)
{
	xmpp_stanza_t	*x;
	char		 num[24], hash[17];

	x = form_new(b, q, "result", NS_MUC_ROOMINFO);
	roomopt_info_fields(b, x, &room->cfg);
	snprintf(num, sizeof(num), "%zu", room->noccupants);
	form_add(b, x, "muc#roominfo_occupants", NULL, "Number of occupants", num);
	form_add(b, x, "muc#roominfo_subject", NULL, "Subject", room->subject);
	add_avatarhash(b, x, room->avatar_hash);
	if (hats_hash(room, hash))	/* XEP-0317 2 */
		form_add(b, x, "hats#hash", "text-single", "Hats hash", hash);
}

static xmpp_stanza_t *
room_info(struct req *r, struct room *room, const char *node)
{
	struct build		 b = BUILD_INIT(r->svc->ctx);
	const struct room_config *c = &room->cfg;
	struct affiliation	*a;
	xmpp_stanza_t		*q = b_query(&b, NS_DISCO_INFO, node);

	if (node != NULL) {
		/* x-roomuser-item (7.12): the asker's reserved nick, if any. */
		if ((a = affiliation_get(room, r->from_bare)) != NULL &&
		    a->nick != NULL)
			add_identity(&b, q, a->nick);
		return b_done(&b, q);
	}
	add_identity(&b, q, c->title[0] != '\0' ? c->title : room->name);
	b_feature(&b, q, NS_MUC);
	b_feature(&b, q, NS_DISCO_INFO);
	b_feature(&b, q, NS_DISCO_ITEMS);
	b_feature(&b, q, NS_REGISTER);
	b_feature(&b, q, NS_PING);
	/* XEP-0359 6, XEP-0424 2, XEP-0425 2, XEP-0313 8. */
	b_feature(&b, q, NS_SID);
	b_feature(&b, q, NS_RETRACT);
	b_feature(&b, q, NS_MODERATE);
	b_feature(&b, q, NS_VCARD);		/* XEP-0486 4.3 */
	b_feature(&b, q, NS_OCCUPANT_ID);	/* XEP-0421 2 */
	b_feature(&b, q, NS_SELF_PING_OPT);	/* XEP-0410 */
	/* XEP-0050, XEP-0317 3: the hat commands (adhoc.c, hats_cmd.c). */
	b_feature(&b, q, NS_COMMANDS);
	b_feature(&b, q, NS_HATS);
	if (archive_enabled(room)) {
		b_feature(&b, q, NS_MAM);
		b_feature(&b, q, NS_MAM_EXTENDED);
		b_feature(&b, q, NS_RETRACT_TOMBSTONE);
	}
	roomopt_features(&b, q, c);
	add_roominfo(&b, q, room);
	return b_done(&b, q);
}

static size_t
occupant_item_size(const void *ud, const void *p)
{
	const struct occupant	*o = p;

	(void)ud;
	return 7 + xt_attr_len("jid", o->occ_jid) + xt_attr_len("name", o->nick);
}

static void
occupant_item_write(const void *ud, struct xtext *x, const void *p)
{
	const struct occupant	*o = p;

	(void)ud;
	xt_raw(x, "<item");
	xt_attr(x, "jid", o->occ_jid);
	xt_attr(x, "name", o->nick);
	xt_raw(x, "/>");
}

static const char *
occupant_item_uid(const void *p)
{
	return ((const struct occupant *)p)->nick;
}

/* The occupants as items, a page at a time in join order (XEP-0059,
 * nicks as UIDs); written as text: a room of 10,000 is one pass
 * (xtext.h).  Returns MUC_OK with the items in x, 1 after queueing a
 * refusal, or an error. */
static int
occupant_items(struct req *r, struct room *room, xmpp_stanza_t *q,
    struct xtext *x)
{
	const struct occupant	**page, *o = NULL;
	struct rsm_list		  l;
	struct rsm		  rq;
	const char		 *cond;
	size_t			  n = 0, k;
	int			  rc = MUC_OK;

	if ((cond = rsm_read(q, r->svc->page_default, r->svc->page_max,
	    (size_t)-1, &rq)) == NULL && rq.bound != NULL &&
	    (o = occupant_by_nick(room, rq.bound)) == NULL)
		cond = "item-not-found";	/* left: its place is gone */
	if (cond != NULL) {
		rsm_free(&rq);
		return (rc = req_error(r, NULL, cond, NULL)) != MUC_OK ? rc : 1;
	}
	if ((page = calloc(rq.max < room->noccupants ? rq.max + 1 :
	    room->noccupants + 1, sizeof(*page))) == NULL) {
		rsm_free(&rq);
		return MUC_ENOMEM;
	}
	o = rq.bound != NULL ? (rq.backward ? o->prev : o->next) :
	    rq.backward ? room->tail : room->head;
	for (; o != NULL && n < rq.max; o = rq.backward ? o->prev : o->next)
		page[n++] = o;
	for (k = 0; rq.backward && k < n / 2; k++) {
		o = page[k];
		page[k] = page[n - 1 - k];
		page[n - 1 - k] = o;
	}
	l = (struct rsm_list){ (const void *const *)page, n,
	    occupant_item_size, occupant_item_write, occupant_item_uid, NULL };
	rsm_page(x, &l, &rq, rq.bound != NULL ? -1 : !rq.backward ? 0 :
	    (long)(room->noccupants - n), room->noccupants);
	free(page);
	rsm_free(&rq);
	return rc;
}

int
disco_room_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	const char	*node = xmpp_stanza_get_attribute(q, "node");
	struct xtext	 x = XTEXT_INIT;
	xmpp_stanza_t	*res;
	int		 rc;

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
	 * count from the room info, not who is there (6.5). */
	xt_raw(&x, "<query xmlns=\"" NS_DISCO_ITEMS "\">");
	if (occupant_by_jid(room, r->from) != NULL &&
	    (rc = occupant_items(r, room, q, &x)) != MUC_OK) {
		free(xt_done(&x, &(size_t){ 0 }));
		return rc == 1 ? MUC_OK : rc;
	}
	xt_raw(&x, "</query>");
	return req_result_text(r, &x);
}
