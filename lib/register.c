/*
 * register.c - the jabber:iq:register namespace of a room: membership and
 * reserved nicks (XEP-0045 7.10, 7.12).
 *
 * Registering makes the user a member (or keeps a higher affiliation) and
 * reserves a nick; <remove/> cancels the membership (owners and admins
 * keep their affiliation and lose only the reservation).  Users without an
 * affiliation get registration-required: membership is granted by the
 * room's admins, not taken, unless the owner opened registration
 * (mucd#roomconfig_allowregister).  The effects on occupants are those of any
 * affiliation change (admin.c).
 */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "form.h"
#include "handlers.h"
#include "ns.h"

/* The registration form (7.10 example 57, as the acceptance scripts show
 * it: no title or instructions). */
static xmpp_stanza_t *
register_form(struct muc_service *svc, const struct affiliation *a)
{
	struct build	 b = BUILD_INIT(svc->ctx);
	xmpp_stanza_t	*q, *x, *f;

	q = b_new(&b, "query");
	if (q != NULL && xmpp_stanza_set_ns(q, NS_REGISTER) != XMPP_EOK)
		b.failed = 1;
	/* 7.10: an existing registration is shown with <registered/> and
	 * the reserved nick as <username/>. */
	if (a != NULL && a->nick != NULL) {
		b_child(&b, q, "registered", NULL);
		b_text_child(&b, q, "username", a->nick);
	}
	x = form_new(&b, q, "form", NS_MUC_REGISTER);
	f = form_add(&b, x, "muc#register_roomnick", "text-single", "Nickname",
	    a != NULL ? a->nick : NULL);
	b_child(&b, f, "required", NULL);
	return b_done(&b, q);
}

static int
unregister(struct req *r, struct room *room)
{
	struct affiliation	*a = affiliation_get(room, r->from_bare);
	enum muc_affiliation	 old = a != NULL ? a->aff : AFF_NONE;
	int			 rc;

	if (a == NULL)
		return req_error(r, "cancel", "item-not-found",
		    "You are not registered with this room");
	if (old >= AFF_ADMIN)
		rc = affiliation_set(room, r->from_bare, old, NULL, a->reason);
	else
		rc = affiliation_set(room, r->from_bare, AFF_NONE, NULL, NULL);
	if (rc != MUC_OK)
		return rc;
	if (old < AFF_ADMIN &&
	    (rc = affiliation_effects(room, r->from_bare, old, NULL, NULL,
	    r->out)) != MUC_OK)
		return rc;
	return req_result(r, NULL);
}

/*
 * Steps: 1. read the nick from the form; 2. refuse a nick that is not
 * acceptable or taken; 3. store the membership; 4. tell the room; 5. answer.
 */
static int
register_submit(struct req *r, struct room *room, xmpp_stanza_t *x)
{
	struct affiliation	*a = affiliation_get(room, r->from_bare);
	enum muc_affiliation	 old = affiliation_of(room, r->from_bare);
	xmpp_stanza_t		*f;
	const char		*why;
	char			*raw = NULL, *nick;
	int			 rc;

	/* A registration form without FORM_TYPE is taken as one (7.10). */
	if (form_field(x, "FORM_TYPE") != NULL &&
	    (rc = form_type_is(x, NS_MUC_REGISTER)) != 1)
		return rc < 0 ? rc : req_error(r, "modify", "bad-request",
		    "Not a registration form");
	if ((f = form_field(x, "muc#register_roomnick")) != NULL &&
	    form_value(f, &raw) != MUC_OK)
		return MUC_ENOMEM;
	if (raw == NULL)
		return req_error(r, "modify", "bad-request", "A nickname is required");
	nick = jid_nick_check(raw, &why);
	free(raw);
	if (nick == NULL)
		return why == NULL ? MUC_ENOMEM :
		    req_error(r, "modify", "not-acceptable", why);
	if ((why = room_nick_taken(room, nick, r->from_bare)) != NULL) {
		free(nick);
		return req_error(r, "cancel", "conflict", why);
	}
	rc = affiliation_set(room, r->from_bare, old > AFF_MEMBER ? old :
	    AFF_MEMBER, nick, a != NULL ? a->reason : NULL);
	free(nick);
	if (rc == MUC_OK)
		rc = affiliation_effects(room, r->from_bare, old, NULL, NULL,
		    r->out);
	if (rc == MUC_OK)
		rc = req_result(r, NULL);
	return rc;
}

int
register_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	enum muc_affiliation	 aff = affiliation_of(room, r->from_bare);
	xmpp_stanza_t		*x, *form;

	if (aff == AFF_OUTCAST)
		return req_error(r, "auth", "forbidden",
		    "You are banned from this room");
	if (strcmp(r->type, "set") == 0 && st_child(q, "remove", NULL) != NULL)
		return unregister(r, room);
	if (aff < AFF_MEMBER && !room->cfg.allow_register)
		return req_error(r, "auth", "registration-required",
		    "Membership is granted by the room's admins");
	if (strcmp(r->type, "get") == 0) {
		form = register_form(r->svc, affiliation_get(room, r->from_bare));
		return form != NULL ? req_result(r, form) : MUC_ENOMEM;
	}
	if ((x = form_find(q)) == NULL ||
	    xmpp_stanza_get_type(x) == NULL ||
	    strcmp(xmpp_stanza_get_type(x), "submit") != 0)
		return req_error(r, "modify", "bad-request",
		    "A submitted registration form was expected");
	return register_submit(r, room, x);
}
