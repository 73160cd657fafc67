/*
 * admin.c - the muc#admin namespace: role and affiliation lists and changes
 * (XEP-0045 8, 9, 10.3-10.8).
 *
 * A set request may carry many items and is all-or-nothing: every item is
 * parsed and checked against permission.c first, affiliation changes are
 * stored in one transaction, and only then is anything applied or
 * announced.  The effects of an affiliation change (updated presence, or
 * removal with 301/321, or a message when the user is not in the room) are
 * shared with registration (register.c) through affiliation_effects().
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "build.h"
#include "ns.h"
#include "permission.h"
#include "presence.h"
#include "store.h"

struct change {
	int			 is_role;
	char			*target;	/* role change: nick */
	enum muc_role		 new_role;
	char			*bare;		/* affiliation change */
	enum muc_affiliation	 new_aff, old_aff;
	char			*nick;		/* reserved nick to keep/set */
	char			*reason;
};

static void
changes_free(xmpp_ctx_t *ctx, struct change *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].target);
		free(c[i].bare);
		free(c[i].nick);
		if (c[i].reason != NULL)
			xmpp_free(ctx, c[i].reason);
	}
	free(c);
}

/* The first occupant of bare at or after from, in join order. */
static struct occupant *
occupant_next_of(struct occupant *from, const char *bare)
{
	struct occupant	*o;

	for (o = from; o != NULL; o = o->next)
		if (strcmp(o->bare, bare) == 0)
			return o;
	return NULL;
}

/* The message telling occupants that bare's affiliation changed while bare
 * is not in the room.  It names a real JID, so only those who may see
 * real JIDs get it. */
static int
affiliation_notice(struct room *room, const char *bare,
    enum muc_affiliation aff, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	struct occupant	*o;
	xmpp_stanza_t	*m, *item;
	int		 rc, any = 0;

	for (o = room->head; o != NULL && !any; o = o->next)
		any = room_can_see_jids(room, o);
	if (!any)
		return MUC_OK;
	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	item = b_child(&b, b_child(&b, m, "x", NS_MUC_USER), "item", NULL);
	b_attr(&b, item, "jid", bare);
	b_attr(&b, item, "affiliation", affiliation_name(aff));
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, m)) != MUC_OK)
		return rc;
	for (o = room->head; o != NULL; o = o->next)
		if (room_can_see_jids(room, o) &&
		    (rc = occupant_send_to(out, o)) != MUC_OK)
			return rc;
	return MUC_OK;
}

int
affiliation_effects(struct room *room, const char *bare,
    enum muc_affiliation old_aff, const struct actor *actor,
    const char *reason, struct muc_out *out)
{
	static const int	 code301[] = { 301 }, code321[] = { 321 };
	enum muc_affiliation	 aff = affiliation_of(room, bare);
	struct occupant		*o, *next;
	struct pres_extra	 px;
	int			 rc = MUC_OK, present = 0;

	for (o = occupant_next_of(room->head, bare); o != NULL &&
	    rc == MUC_OK; o = next) {
		next = occupant_next_of(o->next, bare);
		present = 1;
		if (aff == AFF_OUTCAST) {
			rc = occupant_eject(room, o, code301, 1, reason, actor,
			    1, out);
			continue;
		}
		if (room->cfg.members_only && aff < AFF_MEMBER) {
			rc = occupant_eject(room, o, code321, 1, reason, actor,
			    1, out);
			continue;
		}
		/* 5.1.2: the role follows the affiliation up, and back down
		 * when a privileged affiliation is lost. */
		if (aff >= AFF_ADMIN)
			o->role = ROLE_MODERATOR;
		else if (old_aff >= AFF_ADMIN)
			o->role = role_default(room, aff);
		else if (aff >= AFF_MEMBER && o->role == ROLE_VISITOR)
			o->role = ROLE_PARTICIPANT;
		memset(&px, 0, sizeof(px));
		px.actor = actor;
		px.reason = reason;
		rc = presence_broadcast(room, o, &px, out);
	}
	if (rc == MUC_OK && !present)
		rc = affiliation_notice(room, bare, aff, out);
	return rc;
}

int
reserved_nick_evict(struct room *room, const char *nick, const char *bare,
    struct muc_out *out)
{
	static const int	 code307[] = { 307 };
	struct occupant		*o = occupant_by_nick(room, nick);

	if (o == NULL || strcmp(o->bare, bare) == 0)
		return MUC_OK;
	return occupant_eject(room, o, code307, 1, "This nickname is reserved",
	    NULL, 1, out);
}

/* Parse and check one <item/> into c.  Returns 0, or -1 with the error
 * condition to refuse the whole request with in *cond (its type follows
 * from it, RFC 6120 8.3.3). */
static int
change_parse(struct req *r, struct room *room, const struct occupant *self,
    xmpp_stanza_t *item, struct change *c, const char **cond)
{
	enum muc_affiliation	 actor_aff = affiliation_of(room, r->from_bare);
	enum muc_role		 actor_role = self ? self->role : ROLE_NONE;
	const char		*role = xmpp_stanza_get_attribute(item, "role");
	const char		*aff = xmpp_stanza_get_attribute(item, "affiliation");
	const char		*jid = xmpp_stanza_get_attribute(item, "jid");
	const char		*nick = xmpp_stanza_get_attribute(item, "nick");
	struct affiliation	*cur, *holder;
	struct occupant		*o;
	char			*pnick;
	int			 v;

	c->reason = st_child_text(item, "reason");
	/* 17.3: an item changes a role or an affiliation, not both. */
	if (role != NULL && aff != NULL) {
		*cond = "bad-request";
		return -1;
	}
	if (role != NULL) {
		c->is_role = 1;
		if ((v = role_parse(role)) < 0) {
			*cond = "bad-request";
			return -1;
		}
		c->new_role = (enum muc_role)v;
		if (nick == NULL || (c->target = jid_nick_prep(nick)) == NULL) {
			*cond = "bad-request";
			return -1;
		}
		if ((o = occupant_by_nick(room, c->target)) == NULL) {
			*cond = "item-not-found";
			return -1;
		}
		return (*cond = permission_role(actor_aff, actor_role,
		    affiliation_of(room, o->bare), o->role, c->new_role)) ==
		    NULL ? 0 : -1;
	}
	if (aff == NULL || (v = affiliation_parse(aff)) < 0) {
		*cond = "bad-request";
		return -1;
	}
	c->new_aff = (enum muc_affiliation)v;
	if (jid != NULL)
		c->bare = jid_bare_prep(jid);
	else if (nick != NULL && (pnick = jid_nick_prep(nick)) != NULL) {
		o = occupant_by_nick(room, pnick);
		free(pnick);
		if (o == NULL) {
			*cond = "item-not-found";
			return -1;
		}
		c->bare = strdup(o->bare);
		nick = NULL;	/* it named the target, it reserves nothing */
	}
	if (c->bare == NULL) {
		*cond = jid != NULL ? "jid-malformed" : "bad-request";
		return -1;
	}
	cur = affiliation_get(room, c->bare);
	c->old_aff = affiliation_of(room, c->bare);
	if ((*cond = permission_affiliation(actor_aff, c->old_aff, c->new_aff)) !=
	    NULL)
		return -1;
	/* 9.1: "If an admin or owner attempts to ban himself, the service
	 * MUST deny the request and return a conflict error". */
	if (c->new_aff == AFF_OUTCAST && strcmp(c->bare, r->from_bare) == 0) {
		*cond = "conflict";
		return -1;
	}
	/* 9.5: an empty nick attribute unsets the reservation; 9.1: an
	 * outcast keeps none. */
	if ((nick != NULL && *nick == '\0') || c->new_aff == AFF_OUTCAST)
		return 0;
	if (nick != NULL) {
		if ((c->nick = jid_nick_prep(nick)) == NULL) {
			*cond = "not-acceptable";
			return -1;
		}
		holder = affiliation_by_nick(room, c->nick);
		if (holder != NULL && strcmp(holder->jid, c->bare) != 0) {
			*cond = "conflict";
			return -1;
		}
	} else if (cur != NULL && cur->nick != NULL && c->new_aff != AFF_NONE &&
	    c->new_aff != AFF_OUTCAST && (c->nick = strdup(cur->nick)) == NULL) {
		*cond = "internal-server-error";
		return -1;
	}
	return 0;
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
	static const int	 code307[] = { 307 };
	struct occupant		*self = occupant_by_jid(room, r->from);
	struct actor		 actor = { NULL, r->from };
	struct change		*c = NULL;
	struct pres_extra	 px;
	xmpp_stanza_t		*item;
	const char		*cond = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 rc = MUC_OK, roles_only = 1, answered = 0;
	char			*actor_nick = NULL;

	/* Effects may remove the actor itself: keep its nick as a copy. */
	if (self != NULL && (actor.nick = actor_nick = strdup(self->nick)) == NULL)
		return MUC_ENOMEM;

	for (item = xmpp_stanza_get_children(q); item != NULL;
	    item = xmpp_stanza_get_next(item)) {
		if (!xmpp_stanza_is_tag(item) ||
		    strcmp(xmpp_stanza_get_name(item), "item") != 0)
			continue;
		if (n == cap) {
			struct change *nc;

			cap = cap ? cap * 2 : 4;
			if ((nc = realloc(c, cap * sizeof(*c))) == NULL) {
				rc = MUC_ENOMEM;
				goto done;
			}
			c = nc;
		}
		memset(&c[n], 0, sizeof(c[n]));
		if (change_parse(r, room, self, item, &c[n++], &cond) != 0)
			goto refuse;
		roles_only &= c[n - 1].is_role;
	}
	if (n == 0) {
		cond = "bad-request";
		goto refuse;
	}
	if (leaves_no_owner(room, c, n) || nick_reserved_twice(c, n)) {
		cond = "conflict";
		goto refuse;
	}
	self = NULL;	/* from here on, items may free it */
	if ((rc = store_begin(r->svc->st)) != MUC_OK)
		goto done;
	for (i = 0; i < n && rc == MUC_OK; i++)
		if (!c[i].is_role)
			rc = affiliation_store(room, c[i].bare, c[i].new_aff,
			    c[i].nick, c[i].reason);
	if (rc == MUC_OK)
		rc = store_commit(r->svc->st);
	if (rc != MUC_OK) {
		store_rollback(r->svc->st);
		goto done;
	}
	if (roles_only) {
		/* 8.2: the kicked occupants learn first, then the moderator
		 * of success, then the rest of the room. */
		for (i = 0; i < n && rc == MUC_OK; i++) {
			struct occupant *o = occupant_by_nick(room, c[i].target);

			if (o == NULL || c[i].new_role != ROLE_NONE)
				continue;
			memset(&px, 0, sizeof(px));
			px.codes = code307;
			px.ncodes = 1;
			px.reason = c[i].reason;
			px.actor = &actor;
			px.unavailable = 1;
			o->role = ROLE_NONE;	/* occupant_eject() follows */
			rc = presence_send_self(room, o, &px, r->out);
		}
		if (rc != MUC_OK || (rc = req_result(r, NULL)) != MUC_OK)
			goto done;
		answered = 1;
	}
	for (i = 0; i < n && rc == MUC_OK; i++) {
		if (c[i].is_role) {
			/* An earlier item may have removed the target. */
			struct occupant *o = occupant_by_nick(room, c[i].target);

			if (o == NULL)
				continue;
			if (c[i].new_role == ROLE_NONE)
				rc = occupant_eject(room, o, code307, 1,
				    c[i].reason, &actor, !roles_only, r->out);
			else if (o->role != c[i].new_role) {
				o->role = c[i].new_role;
				o->voice_requested = 0;	/* decided */
				memset(&px, 0, sizeof(px));
				px.actor = &actor;
				px.reason = c[i].reason;
				rc = presence_broadcast(room, o, &px, r->out);
			}
			continue;
		}
		if ((rc = affiliation_apply(room, c[i].bare, c[i].new_aff,
		    c[i].nick, c[i].reason)) != MUC_OK)
			break;
		if (c[i].nick != NULL)
			rc = reserved_nick_evict(room, c[i].nick, c[i].bare,
			    r->out);
		if (rc == MUC_OK)
			rc = affiliation_effects(room, c[i].bare, c[i].old_aff,
			    &actor, c[i].reason, r->out);
	}
	if (rc == MUC_OK && !answered)
		rc = req_result(r, NULL);
	goto done;
refuse:
	rc = req_error(r, NULL, cond, NULL);
done:
	changes_free(r->svc->ctx, c, n);
	free(actor_nick);
	return rc;
}

/* The list of one affiliation or one role (9.5, 10.5, 8.5, ...). */
static int
admin_get(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct build		 b = BUILD_INIT(r->svc->ctx);
	struct occupant		*self = occupant_by_jid(room, r->from), *o;
	enum muc_affiliation	 actor_aff = affiliation_of(room, r->from_bare);
	xmpp_stanza_t		*want = st_child(q, "item", NULL), *res, *item;
	struct affiliation	*a;
	const char		*attr;
	size_t			 i = 0;
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
	res = b_new(&b, "query");
	if (res != NULL && xmpp_stanza_set_ns(res, NS_MUC_ADMIN) != XMPP_EOK)
		b.failed = 1;
	if (aff >= 0) {
		while ((a = hmap_next(&room->affs, &i)) != NULL) {
			if ((int)a->aff != aff)
				continue;
			item = b_child(&b, res, "item", NULL);
			b_attr(&b, item, "affiliation", affiliation_name(a->aff));
			b_attr(&b, item, "jid", a->jid);
			b_attr(&b, item, "nick", a->nick);
			if (a->reason[0] != '\0')
				b_text_child(&b, item, "reason", a->reason);
		}
	} else {
		for (o = room->head; o != NULL; o = o->next) {
			if ((int)o->role != role)
				continue;
			item = b_child(&b, res, "item", NULL);
			b_attr(&b, item, "affiliation",
			    affiliation_name(affiliation_of(room, o->bare)));
			b_attr(&b, item, "role", role_name(o->role));
			b_attr(&b, item, "nick", o->nick);
			if (room_can_see_jids(room, self))
				b_attr(&b, item, "jid", o->jid);
		}
	}
	if ((res = b_done(&b, res)) == NULL)
		return MUC_ENOMEM;
	return req_result(r, res);
}

int
admin_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	return strcmp(r->type, "get") == 0 ? admin_get(r, room, q) :
	    admin_set(r, room, q);
}
