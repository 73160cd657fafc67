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

/* The items of affiliation list aff (9.5, 10.5, ...), as text: a list
 * of 100,000 members is one pass, not a tree built in O(n^2) (xtext.h). */
static void
list_affiliation(struct xtext *x, const struct room *room, int aff)
{
	struct affiliation	*a;
	size_t			 i = 0;

	while ((a = hmap_next(&room->affs, &i)) != NULL) {
		if ((int)a->aff != aff)
			continue;
		xt_raw(x, "<item");
		xt_attr(x, "affiliation", affiliation_name(a->aff));
		xt_attr(x, "jid", a->jid);
		xt_attr(x, "nick", a->nick);
		if (a->reason[0] == '\0') {
			xt_raw(x, "/>");
			continue;
		}
		xt_raw(x, "><reason>");
		xt_text(x, a->reason);
		xt_raw(x, "</reason></item>");
	}
}

/* The occupants of role `role` (8.5, ...), real JIDs as viewer may see. */
static void
list_role(struct xtext *x, const struct room *room,
    const struct occupant *viewer, int role)
{
	struct occupant	*o;

	for (o = room->head; o != NULL; o = o->next) {
		if ((int)o->role != role)
			continue;
		xt_raw(x, "<item");
		xt_attr(x, "affiliation",
		    affiliation_name(affiliation_of(room, o->bare)));
		xt_attr(x, "role", role_name(o->role));
		xt_attr(x, "nick", o->nick);
		if (room_can_see_jids(room, viewer))
			xt_attr(x, "jid", o->jid);
		xt_raw(x, "/>");
	}
}

/* The list of one affiliation or one role (9.5, 10.5, 8.5, ...). */
static int
admin_get(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct occupant		*self = occupant_by_jid(room, r->from);
	enum muc_affiliation	 actor_aff = affiliation_of(room, r->from_bare);
	xmpp_stanza_t		*want = st_child(q, "item", NULL);
	struct xtext		 x = XTEXT_INIT;
	const char		*attr;
	int			 aff = -1, role = -1;

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
	xt_raw(&x, "<query xmlns=\"" NS_MUC_ADMIN "\">");
	if (aff >= 0)
		list_affiliation(&x, room, aff);
	else
		list_role(&x, room, self, role);
	xt_raw(&x, "</query>");
	return req_result_text(r, &x);
}

int
admin_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	return strcmp(r->type, "get") == 0 ? admin_get(r, room, q) :
	    admin_set(r, room, q);
}
