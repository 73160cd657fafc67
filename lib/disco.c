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
#include "handlers.h"
#include "jid.h"
#include "ns.h"
#include "roomopt.h"

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

struct items_walk {
	struct build	*b;
	xmpp_stanza_t	*q;
	const char	*domain;
};

/* service_public_rooms() callback: one <item/> per public room. */
static int
add_room_item(void *ud, const char *name, const char *title)
{
	struct items_walk	*w = ud;
	xmpp_stanza_t		*item = b_child(w->b, w->q, "item", NULL);
	char			*jid;

	if (title == NULL || title[0] == '\0')
		title = name;
	if ((jid = jid_join(name, w->domain, NULL)) == NULL)
		return MUC_ENOMEM;
	b_attr(w->b, item, "jid", jid);
	b_attr(w->b, item, "name", title);
	free(jid);
	return w->b->failed ? MUC_ENOMEM : 0;
}

/* Service-level iqs: disco, ping. */
int
service_iq_handle(struct req *r)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct items_walk w;
	xmpp_stanza_t	*in_q, *q;
	int		 rc;

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
		return (q = b_done(&b, q)) == NULL ? MUC_ENOMEM : req_result(r, q);
	}
	if (strcmp(r->type, "get") == 0 &&
	    (in_q = st_child(r->in, "query", NS_DISCO_ITEMS)) != NULL) {
		if (xmpp_stanza_get_attribute(in_q, "node") != NULL)
			return req_error(r, "cancel", "item-not-found", NULL);
		q = query_new(&b, NS_DISCO_ITEMS, NULL);
		w.b = &b;
		w.q = q;
		w.domain = r->svc->domain;
		if ((rc = service_public_rooms(r->svc, add_room_item, &w)) !=
		    MUC_OK && rc != MUC_ENOMEM) {
			b_done(&b, q);
			return rc;
		}
		return (q = b_done(&b, q)) == NULL ? MUC_ENOMEM : req_result(r, q);
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
	/* XEP-0359 6, XEP-0424 2, XEP-0425 2, XEP-0313 8. */
	add_feature(&b, q, NS_SID);
	add_feature(&b, q, NS_RETRACT);
	add_feature(&b, q, NS_MODERATE);
	if (archive_enabled(room)) {
		add_feature(&b, q, NS_MAM);
		add_feature(&b, q, NS_MAM_EXTENDED);
		add_feature(&b, q, NS_RETRACT_TOMBSTONE);
	}
	roomopt_features(&b, q, c);
	add_roominfo(&b, q, room);
	return b_done(&b, q);
}

int
disco_room_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	const char	*node = xmpp_stanza_get_attribute(q, "node");
	xmpp_stanza_t	*res, *item;
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
	res = query_new(&b, NS_DISCO_ITEMS, NULL);
	/* Occupants are listed to occupants only: a stranger learns the
	 * count from the room info, not who is there (6.5). */
	if (occupant_by_jid(room, r->from) != NULL)
		for (o = room->head; o != NULL; o = o->next) {
			item = b_child(&b, res, "item", NULL);
			b_attr(&b, item, "jid", o->occ_jid);
			b_attr(&b, item, "name", o->nick);
		}
	if ((res = b_done(&b, res)) == NULL)
		return MUC_ENOMEM;
	return req_result(r, res);
}
