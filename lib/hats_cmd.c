/*
 * hats_cmd.c - the commands of a room (XEP-0050 on the room JID): the
 * hat commands of XEP-0317 (urn:xmpp:hats:commands:*), for the room's
 * owners and admins and the service's admins.
 *
 * create (also redefines a hat whose URI exists), destroy, list, assign,
 * unassign and list-assigned.  The hats are state (hats.c writes them);
 * a change to a hat someone in the room wears re-sends that occupant's
 * presence, and a change to the list is announced with 104 (XEP-0317:
 * SHOULD).  Anyone may wear a hat: XEP-0317 restricts neither the
 * affiliation nor the presence in the room of its wearers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adhoc.h"
#include "form.h"
#include "hats.h"
#include "jid.h"
#include "ns.h"
#include "presence.h"

#define HATS_FORM	"urn:xmpp:hats:commands"
#define HAT_URI_MAX	1024
#define HAT_TITLE_MAX	256

static int
is_room_admin(const struct req *r, const struct room *room)
{
	return room != NULL && affiliation_of(room, r->from_bare) >= AFF_ADMIN;
}

/* Send again the presence of every occupant of bare: its hats changed. */
static int
hats_reshow(struct room *room, const char *bare, struct muc_out *out)
{
	struct pres_extra	 px;
	struct occupant		*o;
	int			 rc = MUC_OK;

	memset(&px, 0, sizeof(px));
	for (o = room->head; o != NULL && rc == MUC_OK; o = o->next)
		if (strcmp(o->bare, bare) == 0)
			rc = presence_broadcast(room, o, &px, out);
	return rc;
}

/* Send again the presence of every occupant who wears hat uri. */
static int
wearers_reshow(struct room *room, const char *uri, struct muc_out *out)
{
	struct pres_extra	 px;
	struct occupant		*o;
	int			 rc = MUC_OK;

	memset(&px, 0, sizeof(px));
	for (o = room->head; o != NULL && rc == MUC_OK; o = o->next)
		if (hat_worn(room, o->bare, uri))
			rc = presence_broadcast(room, o, &px, out);
	return rc;
}

/* The list changed: 104 to every occupant (XEP-0317 3.1). */
static int
hats_announce(struct room *room, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *x;

	if (room->noccupants == 0)
		return MUC_OK;
	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", room->jid);
	x = b_child(&b, m, "x", NS_MUC_USER);
	b_status(&b, x, 104);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, out);
}

/* A list-single hats#uri with the room's hats as options. */
static void
uri_choice(struct build *b, xmpp_stanza_t *x, const struct room *room)
{
	xmpp_stanza_t	*f = form_add(b, x, "hats#uri", "list-single", "Hat",
			    NULL);
	size_t		 i;

	(void)b_child(b, f, "required", NULL);
	for (i = 0; room->hats != NULL && i < room->hats->nhat; i++)
		form_add_option(b, f, room->hats->hat[i].title,
		    room->hats->hat[i].uri);
}

/* The hat the form names (hats#uri, or `hat` as XEP-0317's destroy form
 * calls it): MUC_OK with *h, or *h NULL and res refused. */
static int
hat_arg(struct room *room, xmpp_stanza_t *x, const struct hat **h,
    struct adhoc_res *res)
{
	char	*uri;
	int	 rc;

	*h = NULL;
	if ((rc = adhoc_field(x, "hats#uri", &uri)) != MUC_OK ||
	    (uri == NULL && (rc = adhoc_field(x, "hat", &uri)) != MUC_OK))
		return rc;
	if (uri == NULL)
		return adhoc_bad_payload(res, "Which hat?");
	*h = hat_find(room, uri);
	free(uri);
	return *h == NULL ? adhoc_bad_payload(res, "The room has no such hat") :
	    MUC_OK;
}

/* Is s a hue angle in decimal, 0 <= s < 360 ("327.255249")?  Digits
 * and a point only: strtod() alone would take "0x1a" and "1e2". */
static int
hue_ok(const char *s)
{
	char	*end;
	double	 d;

	if (s[strspn(s, "0123456789.")] != '\0' || strchr(s, '.') !=
	    strrchr(s, '.'))
		return 0;
	d = strtod(s, &end);
	return end != s && *end == '\0' && d >= 0 && d < 360;
}

/*
 * Create (or redefine) a hat.
 */
static void
create_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	(void)r;
	(void)room;
	(void)b_child(b, form_add(b, x, "hats#title", "text-single",
	    "Hat Title", NULL), "required", NULL);
	(void)b_child(b, form_add(b, x, "hats#uri", "text-single", "Hat URI",
	    NULL), "required", NULL);
	form_add(b, x, "hats#hue", "text-single", "Hat Hue", NULL);
}

static int
create_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	char	*title = NULL, *uri = NULL, *hue = NULL;
	int	 rc, had;

	if ((rc = adhoc_field(x, "hats#title", &title)) != MUC_OK ||
	    (rc = adhoc_field(x, "hats#uri", &uri)) != MUC_OK ||
	    (rc = adhoc_field(x, "hats#hue", &hue)) != MUC_OK)
		goto done;
	if (title == NULL || uri == NULL || strlen(title) > HAT_TITLE_MAX ||
	    strlen(uri) > HAT_URI_MAX)
		rc = adhoc_bad_payload(res, "A hat needs a title (256 bytes at "
		    "most) and a URI (1024 at most)");
	else if (hue != NULL && !hue_ok(hue))
		rc = adhoc_bad_payload(res, "The hue is an angle: a number "
		    "from 0 to 360 (excluded)");
	if (rc != MUC_OK || res->cond != NULL)
		goto done;
	had = hat_find(room, uri) != NULL;
	if ((rc = hat_define(room, uri, title, hue)) != MUC_OK)
		goto done;
	muc_log(r->svc->log, MUC_LOG_INFO, "hats", "%s: hat %s (%s) %s by %s",
	    room->jid, uri, title, had ? "changed" : "created", r->from_bare);
	snprintf(res->note, sizeof(res->note), "Hat %s %s", title,
	    had ? "changed" : "created");
	if ((rc = hats_announce(room, r->out)) == MUC_OK && had)
		rc = wearers_reshow(room, uri, r->out);
done:
	free(title);
	free(uri);
	free(hue);
	return rc;
}

/*
 * Destroy a hat: taken off everyone.
 */
static void
destroy_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	(void)r;
	uri_choice(b, x, room);
}

static int
destroy_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	const struct hat	 *h;
	struct pres_extra	  px;
	struct occupant		**wore = NULL, *o;
	size_t			  n = 0;
	char			 *uri;
	int			  rc;

	if ((rc = hat_arg(room, x, &h, res)) != MUC_OK || h == NULL)
		return rc;
	if ((uri = strdup(h->uri)) == NULL || (room->noccupants > 0 &&
	    (wore = calloc(room->noccupants, sizeof(*wore))) == NULL)) {
		free(uri);
		return MUC_ENOMEM;
	}
	for (o = room->head; o != NULL; o = o->next)
		if (hat_worn(room, o->bare, uri))
			wore[n++] = o;
	if ((rc = hat_destroy(room, uri)) == MUC_OK) {
		muc_log(r->svc->log, MUC_LOG_INFO, "hats", "%s: hat %s "
		    "destroyed by %s", room->jid, uri, r->from_bare);
		snprintf(res->note, sizeof(res->note), "Hat %s destroyed", uri);
		rc = hats_announce(room, r->out);
	}
	memset(&px, 0, sizeof(px));
	while (rc == MUC_OK && n > 0)
		rc = presence_broadcast(room, wore[--n], &px, r->out);
	free(wore);
	free(uri);
	return rc;
}

/* A result table of hats (list) or of who wears them (assigned). */
static int
list_table(struct room *room, int assigned, struct adhoc_res *res)
{
	static const char *const vars[] = { "hats#jid", "hats#uri",
	    "hats#title", "hats#hue" };
	const struct room_hats	*rh = room->hats;
	const struct hat	*h;
	struct build		*b = res->b;
	xmpp_stanza_t		*x, *rep, *item, *f;
	size_t			 i, k, n;

	x = adhoc_result_form(res, HATS_FORM);
	b_text_child(b, x, "title", assigned ? "Assigned Hats List" :
	    "Hats List");
	rep = b_child(b, x, "reported", NULL);
	for (k = !assigned; k < 4; k++)
		b_attr(b, b_child(b, rep, "field", NULL), "var", vars[k]);
	n = rh == NULL ? 0 : assigned ? rh->nworn : rh->nhat;
	for (i = 0; i < n && !b->failed; i++) {
		h = assigned ? hat_find(room, rh->worn[i].uri) : &rh->hat[i];
		if (h == NULL)
			continue;
		item = b_child(b, x, "item", NULL);
		if (assigned) {
			f = b_child(b, item, "field", NULL);
			b_attr(b, f, "var", "hats#jid");
			form_add_value(b, f, rh->worn[i].jid);
		}
		form_add(b, item, "hats#uri", NULL, NULL, h->uri);
		form_add(b, item, "hats#title", NULL, NULL, h->title);
		form_add(b, item, "hats#hue", NULL, NULL, h->hue);
	}
	snprintf(res->note, sizeof(res->note), "%zu %s", n, assigned ?
	    "hat(s) worn" : "hat(s)");
	return MUC_OK;
}

static int
list_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	(void)r;
	(void)x;
	return list_table(room, 0, res);
}

static int
assigned_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	(void)r;
	(void)x;
	return list_table(room, 1, res);
}

/*
 * Assign and unassign: one hat to one bare JID at a time.
 */
static void
wear_form(const struct req *r, const struct room *room, struct build *b,
    xmpp_stanza_t *x)
{
	(void)r;
	(void)b_child(b, form_add(b, x, "hats#jid", "jid-single",
	    "User Address", NULL), "required", NULL);
	uri_choice(b, x, room);
}

static int
wear_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res, int on)
{
	const struct hat	*h;
	char			*v, *bare = NULL;
	int			 rc;

	if ((rc = adhoc_field(x, "hats#jid", &v)) != MUC_OK)
		return rc;
	if (v == NULL || strchr(v, '/') != NULL ||
	    (bare = jid_bare_prep(v)) == NULL) {
		free(v);
		return adhoc_bad_payload(res, "The user must be a bare JID");
	}
	free(v);
	if ((rc = hat_arg(room, x, &h, res)) != MUC_OK || h == NULL)
		goto done;
	if (hat_worn(room, bare, h->uri) == on) {
		snprintf(res->note, sizeof(res->note), "%s %s wearing %s",
		    bare, on ? "is already" : "is not", h->title);
		goto done;
	}
	if ((rc = hat_wear(room, bare, h->uri, on)) != MUC_OK)
		goto done;
	muc_log(r->svc->log, MUC_LOG_INFO, "hats", "%s: %s %s hat %s by %s",
	    room->jid, bare, on ? "given" : "relieved of", h->uri,
	    r->from_bare);
	snprintf(res->note, sizeof(res->note), "%s %s %s", bare, on ?
	    "now wears" : "no longer wears", h->title);
	rc = hats_reshow(room, bare, r->out);
done:
	free(bare);
	return rc;
}

static int
assign_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	return wear_run(r, room, x, res, 1);
}

static int
unassign_run(struct req *r, struct room *room, xmpp_stanza_t *x,
    struct adhoc_res *res)
{
	return wear_run(r, room, x, res, 0);
}

static const struct adhoc_cmd cmds[] = {
	{ "urn:xmpp:hats:commands:create", "Create a hat", HATS_FORM,
	    "Fill out this form to create a hat (or change the one with "
	    "this URI).", is_room_admin, create_form, create_run },
	{ "urn:xmpp:hats:commands:destroy", "Destroy a hat", HATS_FORM,
	    "Fill out this form to destroy a hat.", is_room_admin,
	    destroy_form, destroy_run },
	{ "urn:xmpp:hats:commands:list", "List hats", HATS_FORM, NULL,
	    is_room_admin, NULL, list_run },
	{ "urn:xmpp:hats:commands:assign", "Assign a hat", HATS_FORM,
	    "Fill out this form to assign a hat.", is_room_admin, wear_form,
	    assign_run },
	{ "urn:xmpp:hats:commands:unassign", "Remove a hat", HATS_FORM,
	    "Fill out this form to remove a hat.", is_room_admin, wear_form,
	    unassign_run },
	{ "urn:xmpp:hats:commands:list-assigned", "List assigned hats",
	    HATS_FORM, NULL, is_room_admin, NULL, assigned_run },
};

const struct adhoc_table hats_table = {
	cmds, sizeof(cmds) / sizeof(cmds[0])
};
