/*
 * admin.c - the muc#admin namespace: role and affiliation lists and changes
 * (XEP-0045 8, 9, 10.3-10.8).
 *
 * A set request may carry many items and is all-or-nothing: every item is
 * parsed and checked against permission.c first, affiliation changes are
 * stored in one transaction, and only then is anything applied or
 * announced.  The effects of an affiliation change (updated presence, or
 * removal with 301/321, or a message when the user is not in the room) are
 * affiliation_effects() in action.c, shared with registration and the SQL
 * reload.
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"
#include "permission.h"
#include "presence.h"
#include "rsm.h"
#include "vec.h"
#include "xtext.h"

struct change {
	int			 is_role;
	char			*target;	/* role change: nick */
	enum muc_role		 new_role;
	char			*bare;		/* affiliation change */
	enum muc_affiliation	 new_aff, old_aff;
	char			*nick;		/* reserved nick to keep/set */
	char			*reason;
};

/* The items of one request. */
struct batch {
	struct change	*c;
	size_t		 n, cap;
	int		 roles_only;
};

static void
batch_free(struct batch *bt)
{
	size_t	i;

	for (i = 0; i < bt->n; i++) {
		free(bt->c[i].target);
		free(bt->c[i].bare);
		free(bt->c[i].nick);
		free(bt->c[i].reason);
	}
	free(bt->c);
}

/* A role item: the target is an occupant by nick (8.x). */
static const char *
role_item_parse(struct req *r, struct room *room, const struct occupant *self,
    const char *role, const char *nick, struct change *c)
{
	struct occupant	*o;
	int		 v;

	c->is_role = 1;
	if ((v = role_parse(role)) < 0)
		return "bad-request";
	c->new_role = (enum muc_role)v;
	if (nick == NULL || (c->target = jid_nick_prep(nick)) == NULL)
		return "bad-request";
	if ((o = occupant_by_nick(room, c->target)) == NULL)
		return "item-not-found";
	return permission_role(affiliation_of(room, r->from_bare),
	    self ? self->role : ROLE_NONE, affiliation_of(room, o->bare),
	    o->role, c->new_role);
}

/* Who an affiliation item is about: its jid, or the occupant its nick
 * names (then the nick reserves nothing: *nick becomes NULL). */
static const char *
aff_item_target(struct room *room, const char *jid, const char **nick,
    struct change *c)
{
	struct occupant	*o;
	char		*pnick;

	if (jid != NULL)
		c->bare = jid_bare_prep(jid);
	else if (*nick != NULL && (pnick = jid_nick_prep(*nick)) != NULL) {
		o = occupant_by_nick(room, pnick);
		free(pnick);
		if (o == NULL)
			return "item-not-found";
		if ((c->bare = strdup(o->bare)) == NULL)
			return "internal-server-error";
		*nick = NULL;
	}
	if (c->bare == NULL)
		return jid != NULL ? "jid-malformed" : "bad-request";
	return NULL;
}

/* The nick an affiliation item reserves: the one it names, or the one
 * the JID already holds (9.5: an empty nick unsets it; 9.1: an outcast
 * keeps none). */
static const char *
aff_item_nick(struct room *room, const char *nick, struct change *c)
{
	struct affiliation	*cur = affiliation_get(room, c->bare), *holder;

	if ((nick != NULL && *nick == '\0') || c->new_aff == AFF_OUTCAST)
		return NULL;
	if (nick != NULL) {
		if ((c->nick = jid_nick_prep(nick)) == NULL)
			return "not-acceptable";
		holder = affiliation_by_nick(room, c->nick);
		if (holder != NULL && strcmp(holder->jid, c->bare) != 0)
			return "conflict";
	} else if (cur != NULL && cur->nick != NULL && c->new_aff != AFF_NONE &&
	    (c->nick = strdup(cur->nick)) == NULL)
		return "internal-server-error";
	return NULL;
}

/* An affiliation item (9.x, 10.x). */
static const char *
aff_item_parse(struct req *r, struct room *room, const char *aff,
    const char *jid, const char *nick, struct change *c)
{
	const char	*cond;
	int		 v;

	if (aff == NULL || (v = affiliation_parse(aff)) < 0)
		return "bad-request";
	c->new_aff = (enum muc_affiliation)v;
	if ((cond = aff_item_target(room, jid, &nick, c)) != NULL)
		return cond;
	c->old_aff = affiliation_of(room, c->bare);
	if ((cond = permission_affiliation(affiliation_of(room, r->from_bare),
	    c->old_aff, c->new_aff)) != NULL)
		return cond;
	/* 9.1: "If an admin or owner attempts to ban himself, the service
	 * MUST deny the request and return a conflict error". */
	if (c->new_aff == AFF_OUTCAST && strcmp(c->bare, r->from_bare) == 0)
		return "conflict";
	return aff_item_nick(room, nick, c);
}

/* Parse and check one <item/> into c.  Returns NULL, or the error
 * condition to refuse the whole request with (its type follows from it,
 * RFC 6120 8.3.3). */
static const char *
change_parse(struct req *r, struct room *room, const struct occupant *self,
    xmpp_stanza_t *item, struct change *c)
{
	const char	*role = xmpp_stanza_get_attribute(item, "role");
	const char	*aff = xmpp_stanza_get_attribute(item, "affiliation");

	if (st_child_text(item, "reason", &c->reason) != MUC_OK)
		return "internal-server-error";
	/* 17.3: an item changes a role or an affiliation, not both. */
	if (role != NULL && aff != NULL)
		return "bad-request";
	if (role != NULL)
		return role_item_parse(r, room, self, role,
		    xmpp_stanza_get_attribute(item, "nick"), c);
	return aff_item_parse(r, room, aff,
	    xmpp_stanza_get_attribute(item, "jid"),
	    xmpp_stanza_get_attribute(item, "nick"), c);
}

/* Does the request reserve one nick for two JIDs? */
static int
nick_reserved_twice(const struct change *c, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++)
		for (k = i + 1; k < n && !c[i].is_role && c[i].nick != NULL; k++)
			if (!c[k].is_role && c[k].nick != NULL &&
			    strcmp(c[i].nick, c[k].nick) == 0 &&
			    strcmp(c[i].bare, c[k].bare) != 0)
				return 1;
	return 0;
}

/* Would the room be left without an owner after these changes? */
static int
leaves_no_owner(struct room *room, const struct change *c, size_t n)
{
	struct affiliation	*a;
	size_t			 i, k = 0;
	int			 owner;

	if (room_owner_count(room) == 0)
		return 0;	/* owned by service admins only: nothing to lose */
	while ((a = hmap_next(&room->affs, &k)) != NULL) {
		owner = a->aff == AFF_OWNER;
		for (i = 0; i < n; i++)
			if (!c[i].is_role && strcmp(c[i].bare, a->jid) == 0)
				owner = c[i].new_aff == AFF_OWNER;
		if (owner)
			return 0;
	}
	for (i = 0; i < n; i++)
		if (!c[i].is_role && c[i].new_aff == AFF_OWNER)
			return 0;
	return 1;
}

/* Parse every item of q into bt.  Returns MUC_OK with *cond NULL when the
 * whole request may proceed, MUC_OK with *cond set to refuse it, or
 * MUC_ENOMEM. */
static int
batch_parse(struct req *r, struct room *room, xmpp_stanza_t *q,
    struct batch *bt, const char **cond)
{
	struct occupant	*self = occupant_by_jid(room, r->from);
	xmpp_stanza_t	*item;

	bt->roles_only = 1;
	for (item = xmpp_stanza_get_children(q); item != NULL;
	    item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		if (vec_reserve(&bt->c, &bt->cap, bt->n + 1, sizeof(*bt->c)) !=
		    MUC_OK)
			return MUC_ENOMEM;
		memset(&bt->c[bt->n], 0, sizeof(bt->c[bt->n]));
		if ((*cond = change_parse(r, room, self, item,
		    &bt->c[bt->n++])) != NULL)
			return MUC_OK;
		bt->roles_only &= bt->c[bt->n - 1].is_role;
	}
	if (bt->n == 0)
		*cond = "bad-request";
	else if (leaves_no_owner(room, bt->c, bt->n) ||
	    nick_reserved_twice(bt->c, bt->n))
		*cond = "conflict";
	return MUC_OK;
}

/* Store every affiliation change of the batch, all or nothing. */
static int
batch_store(struct room *room, const struct batch *bt)
{
	struct aff_change	*ac;
	size_t			 i, n = 0;
	int			 rc;

	if ((ac = calloc(bt->n, sizeof(*ac))) == NULL)
		return MUC_ENOMEM;
	for (i = 0; i < bt->n; i++)
		if (!bt->c[i].is_role) {
			ac[n].bare = bt->c[i].bare;
			ac[n].aff = bt->c[i].new_aff;
			ac[n].nick = bt->c[i].nick;
			ac[n++].reason = bt->c[i].reason;
		}
	rc = affiliation_store_all(room, ac, n);
	free(ac);
	return rc;
}

/* 8.2: in a batch of role changes, the kicked occupants learn first
 * (their own unavailable presence), then the moderator of success, then
 * the rest of the room (batch_apply). */
static int
kicks_tell_first(struct room *room, const struct batch *bt,
    const struct actor *actor, struct muc_out *out)
{
	static const int	 code307[] = { 307 };
	struct pres_extra	 px;
	struct occupant		*o;
	size_t			 i;
	int			 rc = MUC_OK;

	for (i = 0; i < bt->n && rc == MUC_OK; i++) {
		if (bt->c[i].new_role != ROLE_NONE ||
		    (o = occupant_by_nick(room, bt->c[i].target)) == NULL)
			continue;
		memset(&px, 0, sizeof(px));
		px.codes = code307;
		px.ncodes = 1;
		px.reason = bt->c[i].reason;
		px.actor = actor;
		px.unavailable = 1;
		occupant_set_role(o, ROLE_NONE);	/* occupant_eject() follows */
		rc = presence_send_self(room, o, &px, out);
	}
	return rc;
}

/* Apply one checked change, with its effects. */
static int
change_apply(struct room *room, const struct change *c,
    const struct actor *actor, int notify_kicked, struct muc_out *out)
{
	static const int	 code307[] = { 307 };
	struct occupant		*o;
	int			 rc;

	if (c->is_role) {
		/* An earlier item may have removed the target. */
		if ((o = occupant_by_nick(room, c->target)) == NULL)
			return MUC_OK;
		if (c->new_role == ROLE_NONE)
			return occupant_eject(room, o, code307, 1, c->reason,
			    actor, notify_kicked, out);
		return occupant_change_role(room, o, c->new_role, actor,
		    c->reason, out);
	}
	if ((rc = affiliation_apply(room, c->bare, c->new_aff, c->nick,
	    c->reason)) != MUC_OK)
		return rc;
	if (c->nick != NULL &&
	    (rc = reserved_nick_evict(room, c->nick, c->bare, out)) != MUC_OK)
		return rc;
	return affiliation_effects(room, c->bare, c->old_aff, actor, c->reason,
	    out);
}

/* Why a muc#admin request is refused, for the person who sent it. */
static const char *
admin_refusal_text(const char *cond)
{
	if (strcmp(cond, "forbidden") == 0)
		return "You are not allowed to make this change";
	if (strcmp(cond, "not-allowed") == 0)
		return "That user's role or affiliation is out of your reach";
	if (strcmp(cond, "item-not-found") == 0)
		return "No occupant has that nickname";
	if (strcmp(cond, "jid-malformed") == 0)
		return "That is not a JID";
	if (strcmp(cond, "conflict") == 0)
		return "The room must keep an owner, a nickname is reserved for "
		    "one user only, and nobody may ban himself";
	if (strcmp(cond, "not-acceptable") == 0)
		return "That nickname is not acceptable";
	return NULL;
}

/*
 * Steps: 1. parse and check every item (any refusal refuses all);
 * 2. store every affiliation change in one transaction; 3. apply them and
 * the role changes, with their effects; 4. answer.  A request of role
 * changes only is answered before its effects (8.2: the moderator learns
 * of success, then the room of the kick); affiliation changes are
 * announced first, as clients and the acceptance scripts expect.
 */
static int
admin_set(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct occupant	*self = occupant_by_jid(room, r->from);
	struct actor	 actor = { NULL, r->from };
	struct batch	 bt;
	const char	*cond = NULL;
	char		*actor_nick = NULL;
	size_t		 i;
	int		 rc;

	memset(&bt, 0, sizeof(bt));
	/* Effects may remove the actor itself: keep its nick as a copy. */
	if (self != NULL && (actor.nick = actor_nick = strdup(self->nick)) == NULL)
		return MUC_ENOMEM;
	if ((rc = batch_parse(r, room, q, &bt, &cond)) != MUC_OK)
		goto done;
	if (cond != NULL) {
		rc = req_error(r, NULL, cond, admin_refusal_text(cond));
		goto done;
	}
	if ((rc = batch_store(room, &bt)) != MUC_OK)
		goto done;
	if (bt.roles_only && ((rc = kicks_tell_first(room, &bt, &actor,
	    r->out)) != MUC_OK || (rc = req_result(r, NULL)) != MUC_OK))
		goto done;
	for (i = 0; i < bt.n && rc == MUC_OK; i++)
		rc = change_apply(room, &bt.c[i], &actor, !bt.roles_only, r->out);
	if (rc == MUC_OK && !bt.roles_only)
		rc = req_result(r, NULL);
done:
	batch_free(&bt);
	free(actor_nick);
	return rc;
}

/*
 * The lists (9.5, 10.5, 8.5, ...), written as text (a list of 100,000
 * members is one pass, not a tree built in O(n^2): xtext.h) and paged
 * (rsm.h): affiliations by JID, roles in join order by nick.
 */
static size_t
aff_item_size(const void *ud, const void *p)
{
	const struct affiliation	*a = p;

	(void)ud;
	return 40 + xt_attr_len("jid", a->jid) + xt_attr_len("nick", a->nick) +
	    xt_text_len(a->reason) + 24;
}

static void
aff_item_write(const void *ud, struct xtext *x, const void *p)
{
	const struct affiliation	*a = p;

	(void)ud;
	xt_raw(x, "<item");
	xt_attr(x, "affiliation", affiliation_name(a->aff));
	xt_attr(x, "jid", a->jid);
	xt_attr(x, "nick", a->nick);
	if (a->reason[0] == '\0') {
		xt_raw(x, "/>");
		return;
	}
	xt_raw(x, "><reason>");
	xt_text(x, a->reason);
	xt_raw(x, "</reason></item>");
}

static const char *
aff_item_uid(const void *p)
{
	return ((const struct affiliation *)p)->jid;
}

static int
aff_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct affiliation *const *)a)->jid,
	    (*(const struct affiliation *const *)b)->jid);
}

/* The first of the n sorted affiliations whose JID sorts after bound. */
static size_t
aff_after(const struct affiliation **v, size_t n, const char *bound)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(v[mid]->jid, bound) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The affiliation list aff: sorted by JID, so that a page's bound is a
 * place even when that JID has gone. */
static int
list_affiliation(struct xtext *x, const struct room *room, int aff,
    const struct rsm *rq)
{
	const struct affiliation	**v;
	struct affiliation		 *a;
	struct rsm_list			  l;
	size_t				  i = 0, n = 0, lo, hi;

	if ((v = calloc(room->affs.n + 1, sizeof(*v))) == NULL)
		return MUC_ENOMEM;
	while ((a = hmap_next(&room->affs, &i)) != NULL)
		if ((int)a->aff == aff)
			v[n++] = a;
	qsort(v, n, sizeof(*v), aff_cmp);
	lo = rq->bound == NULL ? 0 : aff_after(v, n, rq->bound);
	hi = n;
	if (rq->backward) {
		hi = rq->bound == NULL ? n : lo;
		while (hi > 0 && rq->bound != NULL &&
		    strcmp(v[hi - 1]->jid, rq->bound) >= 0)
			hi--;
		lo = hi > rq->max ? hi - rq->max : 0;
	} else if (n - lo > rq->max)
		hi = lo + rq->max;
	l = (struct rsm_list){ (const void *const *)(v + lo), hi - lo,
	    aff_item_size, aff_item_write, aff_item_uid, NULL };
	rsm_page(x, &l, rq, (long)lo, n);
	free(v);
	return MUC_OK;
}

/* The occupants of role `role`, real JIDs as the viewer may see them. */
struct role_list {
	const struct room	*room;
	int			 jids;
};

static size_t
role_item_size(const void *ud, const void *p)
{
	const struct role_list	*view = ud;
	const struct occupant	*o = p;

	return 60 + xt_attr_len("nick", o->nick) +
	    (view->jids ? xt_attr_len("jid", o->jid) : 0);
}

static void
role_item_write(const void *ud, struct xtext *x, const void *p)
{
	const struct role_list	*view = ud;
	const struct occupant	*o = p;

	xt_raw(x, "<item");
	xt_attr(x, "affiliation", affiliation_name(affiliation_of(view->room,
	    o->bare)));
	xt_attr(x, "role", role_name(o->role));
	xt_attr(x, "nick", o->nick);
	if (view->jids)
		xt_attr(x, "jid", o->jid);
	xt_raw(x, "/>");
}

static const char *
role_item_uid(const void *p)
{
	return ((const struct occupant *)p)->nick;
}

/* Returns MUC_OK, 1 when the bound names nobody (item-not-found), or
 * MUC_ENOMEM. */
static int
list_role(struct xtext *x, const struct room *room,
    const struct occupant *viewer, int role, const struct rsm *rq)
{
	const struct role_list	  view = { room, room_can_see_jids(room, viewer) };
	const struct occupant	**v, *o, *from = NULL;
	struct rsm_list		  l;
	size_t			  n = 0, count = 0, k;

	if (rq->bound != NULL && (from = occupant_by_nick(room, rq->bound)) ==
	    NULL)
		return 1;
	if ((v = calloc(room->noccupants + 1, sizeof(*v))) == NULL)
		return MUC_ENOMEM;
	for (o = room->head; o != NULL; o = o->next)
		count += (int)o->role == role;
	o = from != NULL ? (rq->backward ? from->prev : from->next) :
	    rq->backward ? room->tail : room->head;
	for (; o != NULL && n < rq->max; o = rq->backward ? o->prev : o->next)
		if ((int)o->role == role)
			v[n++] = o;
	for (k = 0; rq->backward && k < n / 2; k++) {
		o = v[k];
		v[k] = v[n - 1 - k];
		v[n - 1 - k] = o;
	}
	l = (struct rsm_list){ (const void *const *)v, n, role_item_size,
	    role_item_write, role_item_uid, &view };
	rsm_page(x, &l, rq, from != NULL ? -1 : !rq->backward ? 0 :
	    (long)(count - n), count);
	free(v);
	return MUC_OK;
}

/* The list of one affiliation or one role (9.5, 10.5, 8.5, ...). */
static int
admin_get(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct occupant		*self = occupant_by_jid(room, r->from);
	enum muc_affiliation	 actor_aff = affiliation_of(room, r->from_bare);
	xmpp_stanza_t		*want = st_child(q, "item", NULL);
	struct xtext		 x = XTEXT_INIT;
	struct rsm		 rq;
	const char		*attr, *cond;
	int			 aff = -1, role = -1, rc;

	if (want == NULL)
		return req_error(r, "modify", "bad-request", NULL);
	if ((attr = xmpp_stanza_get_attribute(want, "affiliation")) != NULL &&
	    ((aff = affiliation_parse(attr)) < 0 || aff == AFF_NONE))
		return req_error(r, "modify", "bad-request", NULL);
	if (attr == NULL &&
	    ((attr = xmpp_stanza_get_attribute(want, "role")) == NULL ||
	    (role = role_parse(attr)) < 0 || role == ROLE_NONE))
		return req_error(r, "modify", "bad-request", NULL);
	if (aff >= 0 ? !permission_list_affiliation(actor_aff, aff) :
	    !permission_list_role(self ? self->role : ROLE_NONE))
		return req_error(r, "auth", "forbidden", NULL);
	if ((cond = rsm_read(q, r->svc->page_default, r->svc->page_max,
	    (size_t)-1, &rq)) != NULL) {
		rsm_free(&rq);
		return req_error(r, NULL, cond, NULL);
	}
	xt_raw(&x, "<query xmlns=\"" NS_MUC_ADMIN "\">");
	rc = aff >= 0 ? list_affiliation(&x, room, aff, &rq) :
	    list_role(&x, room, self, role, &rq);
	xt_raw(&x, "</query>");
	rsm_free(&rq);
	if (rc != MUC_OK) {
		free(xt_done(&x, &(size_t){ 0 }));
		return rc == 1 ? req_error(r, "cancel", "item-not-found", NULL) :
		    rc;
	}
	return req_result_text(r, &x);
}

int
admin_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	return strcmp(r->type, "get") == 0 ? admin_get(r, room, q) :
	    admin_set(r, room, q);
}
