/*
 * svcadmin.c - the service administration commands (XEP-0050 on the
 * service JID), for the service's admins (the `admin` setting) only.
 *
 * List the rooms with their occupant counts, a page at a time; destroy a
 * room; set an affiliation in any room; list a room's occupants with
 * their real JIDs; announce a message to one room or to all.  Each does
 * what the room's own owner would cause, through the same shared action
 * (action.c: room_destroy_announce(), affiliation_effects()), so the
 * occupants see the same stanzas whoever acted.  adhoc.c lists, checks
 * and runs them; a non-admin neither sees them nor may run them.
 *
 * Paging is in the form (XEP-0059 <set/> has no place in a command that
 * clients show as a form): "max" rooms from "after" on, and the result
 * gives the name to put in "after" for the next page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "adhoc.h"
#include "form.h"
#include "jid.h"
#include "ns.h"
#include "roomconfig.h"

#define SVCADMIN_FORM	"urn:mucd:admin"

static int
is_admin(const struct req *r, const struct room *room)
{
	(void)room;
	return service_is_admin(r->svc, r->from_bare);
}

/* The room named by field var: a room JID of this service or a bare
 * name.  MUC_OK with *room set, or with *room NULL and res refused. */
static int
room_arg(struct req *r, xmpp_stanza_t *x, const char *var,
    struct room **room, struct adhoc_res *res)
{
	struct jid	*j = NULL;
	char		*v, *full = NULL;
	int		 rc;

	*room = NULL;
	if ((rc = adhoc_field(x, var, &v)) != MUC_OK)
		return rc;
	if (v == NULL)
		return adhoc_bad_payload(res, "Which room?");
	if (strchr(v, '@') == NULL && (full = jid_join(v, r->svc->domain,
	    NULL)) == NULL) {
		free(v);
		return MUC_ENOMEM;
	}
	j = jid_parse(full != NULL ? full : v);
	free(v);
	free(full);
	if (j == NULL || j->node == NULL || j->resource != NULL ||
	    strcmp(j->domain, r->svc->domain) != 0) {
		free(j);
		return adhoc_bad_payload(res, "That is not a room of this "
		    "service");
	}
	rc = room_get(r->svc, j->node, 0, room);
	free(j);
	if (rc == MUC_OK && *room == NULL)
		return adhoc_bad_payload(res, "There is no such room");
	return rc;
}

static void
add_room_field(struct build *b, xmpp_stanza_t *x)
{
	xmpp_stanza_t	*f = form_add(b, x, "room", "jid-single", "Room", NULL);

	(void)b_child(b, f, "required", NULL);
}

/* A page size from field "max": def when absent, at most cap. */
static int
page_size(xmpp_stanza_t *x, size_t def, size_t cap, size_t *n,
    struct adhoc_res *res)
{
	char		*v, *end;
	unsigned long	 m;
	int		 rc;

	*n = def;
	if ((rc = adhoc_field(x, "max", &v)) != MUC_OK || v == NULL)
		return rc;
	m = strtoul(v, &end, 10);
	if (*end != '\0' || v[0] == '-' || m == 0) {
		free(v);
		return adhoc_bad_payload(res, "The page size must be a number "
		    "above 0");
	}
	free(v);
	*n = m < cap ? m : cap;
	return MUC_OK;
}

/* A reported field of a result table. */
static void
reported(struct build *b, xmpp_stanza_t *rep, const char *var,
    const char *label)
{
	xmpp_stanza_t	*f = b_child(b, rep, "field", NULL);

	b_attr(b, f, "var", var);
	b_attr(b, f, "label", label);
}

/* One cell of an <item/> of a result table. */
static void
cell(struct build *b, xmpp_stanza_t *item, const char *var, const char *v)
{
	xmpp_stanza_t	*f = b_child(b, item, "field", NULL);

	b_attr(b, f, "var", var);
	form_add_value(b, f, v);
}

/*
 * List rooms.
 */
static void
rooms_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	char	num[24];

	(void)room;
	snprintf(num, sizeof(num), "%u", r->svc->page_default);
	form_add(b, x, "max", "text-single", "Rooms per page", num);
	form_add(b, x, "after", "text-single", "Start after room", NULL);
}

/* The result table of page pg. */
static void
rooms_table(struct req *r, const struct room_page *pg, struct adhoc_res *res)
{
	struct build	*b = res->b;
	struct room	*room;
	xmpp_stanza_t	*x, *rep, *item;
	char		*jid, num[24];
	size_t		 i;

	x = adhoc_result_form(res, SVCADMIN_FORM);
	rep = b_child(b, x, "reported", NULL);
	reported(b, rep, "jid", "Room");
	reported(b, rep, "name", "Name");
	reported(b, rep, "occupants", "Occupants");
	for (i = 0; i < pg->n && !b->failed; i++) {
		room = hmap_get(&r->svc->rooms, pg->item[i].name);
		snprintf(num, sizeof(num), "%zu", room != NULL ?
		    room->noccupants : 0);
		if ((jid = jid_join(pg->item[i].name, r->svc->domain, NULL)) ==
		    NULL)
			b->failed = 1;
		item = b_child(b, x, "item", NULL);
		cell(b, item, "jid", jid);
		cell(b, item, "name", pg->item[i].title);
		cell(b, item, "occupants", num);
		free(jid);
	}
}

static int
rooms_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	struct room_page pg;
	char		*after;
	size_t		 max;
	int		 rc;

	(void)room;
	if ((rc = page_size(x, r->svc->page_default, r->svc->page_max, &max,
	    res)) != MUC_OK || res->cond != NULL)
		return rc;
	if ((rc = adhoc_field(x, "after", &after)) != MUC_OK)
		return rc;
	if (after != NULL && strchr(after, '@') != NULL)
		*strchr(after, '@') = '\0';	/* a room JID: its name */
	if ((rc = service_rooms_page(r->svc, after, max, &pg)) == MUC_OK) {
		rooms_table(r, &pg, res);
		snprintf(res->note, sizeof(res->note), "%zu of %zu rooms%s%s%s",
		    pg.n, pg.count, pg.n == max ? "; for the next page, start "
		    "after " : "", pg.n == max ? pg.item[pg.n - 1].name : "",
		    pg.n == max ? "" : ".");
		if (pg.n == max)
			form_add(res->b, res->form, "after", "text-single",
			    "Next page starts after", pg.item[pg.n - 1].name);
		room_page_free(&pg);
	}
	free(after);
	return rc;
}

/*
 * Destroy a room.
 */
static void
destroy_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	(void)r;
	(void)room;
	add_room_field(b, x);
	form_add(b, x, "reason", "text-single", "Reason", NULL);
	form_add(b, x, "alternate", "jid-single", "Alternate venue", NULL);
}

static int
destroy_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	char	*reason = NULL, *alt = NULL, *name = NULL;
	int	 rc;

	if ((rc = room_arg(r, x, "room", &room, res)) != MUC_OK ||
	    room == NULL)
		return rc;
	if ((rc = adhoc_field(x, "reason", &reason)) != MUC_OK ||
	    (rc = adhoc_field(x, "alternate", &alt)) != MUC_OK)
		goto done;
	if ((name = strdup(room->jid)) == NULL) {
		rc = MUC_ENOMEM;
		goto done;
	}
	muc_log(r->svc->log, MUC_LOG_INFO, "admin", "%s: destroyed by service "
	    "admin %s%s%s", room->jid, r->from_bare, alt != NULL ?
	    ", moved to " : "", alt != NULL ? alt : "");
	if ((rc = room_destroy_announce(room, alt, reason, NULL, r->out)) ==
	    MUC_OK)
		snprintf(res->note, sizeof(res->note), "%s is destroyed", name);
done:
	free(reason);
	free(alt);
	free(name);
	return rc;
}

/*
 * Set an affiliation in any room.
 */
static void
affiliate_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	static const char *const affs[] = { "owner", "admin", "member",
	    "none", "outcast" };
	xmpp_stanza_t	*f;
	size_t		 i;

	(void)r;
	(void)room;
	add_room_field(b, x);
	f = form_add(b, x, "jid", "jid-single", "User (bare JID)", NULL);
	(void)b_child(b, f, "required", NULL);
	f = form_add(b, x, "affiliation", "list-single", "Affiliation", NULL);
	(void)b_child(b, f, "required", NULL);
	for (i = 0; i < sizeof(affs) / sizeof(affs[0]); i++)
		form_add_option(b, f, affs[i], affs[i]);
	form_add(b, x, "reason", "text-single", "Reason", NULL);
}

/* Read the jid and affiliation fields; refuses through res. */
static int
affiliate_args(struct room *room, xmpp_stanza_t *x,
    char **bare, int *aff, struct adhoc_res *res)
{
	struct affiliation	*cur;
	char			*v;
	int			 rc;

	*bare = NULL;
	if ((rc = adhoc_field(x, "jid", &v)) != MUC_OK)
		return rc;
	if (v == NULL || (*bare = jid_bare_prep(v)) == NULL ||
	    strchr(v, '/') != NULL) {
		free(v);
		free(*bare);
		*bare = NULL;
		return adhoc_bad_payload(res, "The user must be a bare JID");
	}
	free(v);
	if ((rc = adhoc_field(x, "affiliation", &v)) != MUC_OK)
		return rc;
	*aff = v != NULL ? affiliation_parse(v) : -1;
	free(v);
	if (*aff < 0)
		return adhoc_bad_payload(res, "The affiliation must be owner, "
		    "admin, member, none or outcast");
	cur = affiliation_get(room, *bare);
	if (cur != NULL && cur->aff == AFF_OWNER && *aff != AFF_OWNER &&
	    room_owner_count(room) == 1)
		return adhoc_bad_payload(res, "The room must keep an owner");
	return MUC_OK;
}

/* The same path as a muc#admin change (admin.c): stored, applied, then
 * its effects (presence, 301, 321, or the notice to the room). */
static int
affiliate_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	struct actor		 actor = { NULL, r->from };
	struct affiliation	*cur;
	enum muc_affiliation	 old;
	char			*bare = NULL, *reason = NULL, *nick = NULL;
	int			 rc, aff;

	if ((rc = room_arg(r, x, "room", &room, res)) != MUC_OK ||
	    room == NULL)
		return rc;
	if ((rc = affiliate_args(room, x, &bare, &aff, res)) != MUC_OK ||
	    res->cond != NULL || (rc = adhoc_field(x, "reason", &reason)) !=
	    MUC_OK)
		goto done;
	/* The reserved nick stays, as in a muc#admin item without one. */
	cur = affiliation_get(room, bare);
	if (cur != NULL && cur->nick != NULL && aff != AFF_NONE &&
	    aff != AFF_OUTCAST && (nick = strdup(cur->nick)) == NULL) {
		rc = MUC_ENOMEM;
		goto done;
	}
	old = affiliation_of(room, bare);
	if ((rc = affiliation_set(room, bare, (enum muc_affiliation)aff, nick,
	    reason)) != MUC_OK)
		goto done;
	snprintf(res->note, sizeof(res->note), "%s is %s in %s", bare,
	    affiliation_name((enum muc_affiliation)aff), room->jid);
	rc = affiliation_effects(room, bare, old, &actor, reason, r->out);
done:
	free(bare);
	free(reason);
	free(nick);
	return rc;
}

/*
 * List a room's occupants, with real JIDs.
 */
static void
occupants_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	char	num[24];

	(void)room;
	add_room_field(b, x);
	snprintf(num, sizeof(num), "%u", r->svc->page_default);
	form_add(b, x, "max", "text-single", "Occupants per page", num);
	form_add(b, x, "after", "text-single", "Start after nick", NULL);
}

/* One row per occupant: nick, real JIDs (every session), role and
 * affiliation. */
static void
occupant_row(struct build *b, xmpp_stanza_t *x, const struct room *room,
    const struct occupant *o)
{
	xmpp_stanza_t	*item = b_child(b, x, "item", NULL), *f;
	size_t		 i;

	cell(b, item, "nick", o->nick);
	f = b_child(b, item, "field", NULL);
	b_attr(b, f, "var", "jid");
	for (i = 0; i < o->nsessions; i++)
		form_add_value(b, f, o->sessions[i].jid);
	cell(b, item, "role", role_name(o->role));
	cell(b, item, "affiliation", affiliation_name(affiliation_of(room,
	    o->bare)));
}

static int
occupants_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	const struct occupant	*o;
	xmpp_stanza_t		*form, *rep;
	char			*after = NULL;
	size_t			 max, n = 0;
	int			 rc;

	if ((rc = room_arg(r, x, "room", &room, res)) != MUC_OK ||
	    room == NULL || (rc = page_size(x, r->svc->page_default,
	    r->svc->page_max, &max, res)) != MUC_OK || res->cond != NULL ||
	    (rc = adhoc_field(x, "after", &after)) != MUC_OK)
		return rc;
	o = room->head;
	if (after != NULL && (o = occupant_by_nick(room, after)) == NULL) {
		free(after);
		return adhoc_bad_payload(res, "Nobody in the room has that "
		    "nick");
	}
	if (after != NULL)
		o = o->next;
	free(after);
	form = adhoc_result_form(res, SVCADMIN_FORM);
	rep = b_child(res->b, form, "reported", NULL);
	reported(res->b, rep, "nick", "Nick");
	reported(res->b, rep, "jid", "Real JIDs");
	reported(res->b, rep, "role", "Role");
	reported(res->b, rep, "affiliation", "Affiliation");
	for (; o != NULL && n < max && !res->b->failed; o = o->next, n++)
		occupant_row(res->b, form, room, o);
	snprintf(res->note, sizeof(res->note), "%zu of %zu occupants of %s%s%s",
	    n, room->noccupants, room->jid, o != NULL ? "; for the next page, "
	    "start after " : "", o != NULL && o->prev != NULL ? o->prev->nick :
	    "");
	if (o != NULL && o->prev != NULL)
		form_add(res->b, form, "after", "text-single",
		    "Next page starts after", o->prev->nick);
	return MUC_OK;
}

/*
 * Announce a message to one room or to every room.
 */
static void
announce_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	xmpp_stanza_t	*f;

	(void)r;
	(void)room;
	form_add(b, x, "room", "jid-single", "Room (empty: every room)", NULL);
	f = form_add(b, x, "body", "text-multi", "Message", NULL);
	(void)b_child(b, f, "required", NULL);
}

/* The groupchat message from the room's bare JID to every occupant. It
 * is the service's word, not the room's conversation: not archived, not
 * in the history, without a stanza-id. */
static int
announce_to(struct room *room, const char *body, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m;

	if (room->noccupants == 0)
		return MUC_OK;
	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", room->jid);
	b_text_child(&b, m, "body", body);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, out);
}

/* The body: every <value/> of a text-multi field is a line. */
static int
announce_body(xmpp_stanza_t *x, char **body)
{
	xmpp_stanza_t	*f = form_field(x, "body"), *v;
	char		*line, *s = NULL, *t;
	size_t		 len = 0, n;

	*body = NULL;
	for (v = f != NULL ? xmpp_stanza_get_children(f) : NULL; v != NULL;
	    v = xmpp_stanza_get_next(v)) {
		if (!xmpp_stanza_is_tag(v) ||
		    strcmp(xmpp_stanza_get_name(v), "value") != 0)
			continue;
		if (st_text(v, &line) != MUC_OK) {
			free(s);
			return MUC_ENOMEM;
		}
		n = strlen(line);
		if ((t = realloc(s, len + n + 2)) == NULL) {
			free(line);
			free(s);
			return MUC_ENOMEM;
		}
		s = t;
		if (len > 0)
			s[len++] = '\n';
		memcpy(s + len, line, n + 1);
		len += n;
		free(line);
	}
	if (s != NULL && strspn(s, " \t\r\n") == len) {
		free(s);
		s = NULL;
	}
	*body = s;
	return MUC_OK;
}

static int
announce_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	char	*body, *name;
	size_t	 i = 0, n = 0;
	int	 rc;

	if ((rc = announce_body(x, &body)) != MUC_OK)
		return rc;
	if (body == NULL)
		return adhoc_bad_payload(res, "The message is empty");
	if ((rc = adhoc_field(x, "room", &name)) == MUC_OK && name != NULL) {
		free(name);
		if ((rc = room_arg(r, x, "room", &room, res)) == MUC_OK &&
		    room != NULL && (rc = announce_to(room, body, r->out)) ==
		    MUC_OK)
			n = 1;
	} else if (rc == MUC_OK) {
		/* Rooms with occupants are all in memory. */
		while (rc == MUC_OK &&
		    (room = hmap_next(&r->svc->rooms, &i)) != NULL)
			if (room->noccupants > 0 &&
			    (rc = announce_to(room, body, r->out)) == MUC_OK)
				n++;
	}
	if (rc == MUC_OK && res->cond == NULL) {
		muc_log(r->svc->log, MUC_LOG_INFO, "admin", "announcement by "
		    "service admin %s to %zu room(s)", r->from_bare, n);
		snprintf(res->note, sizeof(res->note), "Announced in %zu "
		    "room(s)", n);
	}
	free(body);
	return rc;
}

static const struct adhoc_cmd cmds[] = {
	{ "urn:mucd:admin:list-rooms", "List rooms", SVCADMIN_FORM,
	    "Every room with its occupant count, a page at a time: give the "
	    "page size and the room to start after (empty: the first).",
	    is_admin, rooms_form, rooms_run },
	{ "urn:mucd:admin:destroy-room", "Destroy a room", SVCADMIN_FORM,
	    "The occupants are told, with the reason and the alternate "
	    "venue, and the room is deleted.",
	    is_admin, destroy_form, destroy_run },
	{ "urn:mucd:admin:set-affiliation", "Set an affiliation",
	    SVCADMIN_FORM, "Make a user owner, admin, member, nothing or an "
	    "outcast of any room.", is_admin, affiliate_form, affiliate_run },
	{ "urn:mucd:admin:list-occupants", "List a room's occupants",
	    SVCADMIN_FORM, "Who is in the room, with their real JIDs.",
	    is_admin, occupants_form, occupants_run },
	{ "urn:mucd:admin:announce", "Announce a message", SVCADMIN_FORM,
	    "A message from the room to everyone in it, or in every room.",
	    is_admin, announce_form, announce_run },
};

const struct adhoc_table svcadmin_table = {
	cmds, sizeof(cmds) / sizeof(cmds[0])
};
