/*
 * owner.c - the muc#owner namespace: room configuration and destruction
 * (XEP-0045 10.1, 10.2, 10.9).
 *
 * A submitted configuration is applied to a copy and swapped in only when
 * every field is valid, so a bad form changes nothing.  After a change the
 * owner gets the result first, then occupants get a notice (172/173 when
 * the room's anonymity changed, 104 for anything else) and, if the room
 * became members-only,
 * non-members are removed with 322.  Destruction tells every occupant where
 * the discussion went and deletes the stored room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "build.h"
#include "form.h"
#include "history.h"
#include "ns.h"

#define B(v)	((v) ? "1" : "0")

/* The configuration form with the room's current values (10.2). */
static xmpp_stanza_t *
config_form(struct muc_service *svc, const struct room *room)
{
	struct build	 b = BUILD_INIT(svc->ctx);
	const struct room_config *c = &room->cfg;
	xmpp_stanza_t	*q, *x, *f;
	char		 num[24];
	static const enum muc_role roles[] = {
		ROLE_MODERATOR, ROLE_PARTICIPANT, ROLE_VISITOR, ROLE_NONE
	};
	size_t		 i;

	q = b_new(&b, "query");
	if (q != NULL && xmpp_stanza_set_ns(q, NS_MUC_OWNER) != XMPP_EOK)
		b.failed = 1;
	x = form_new(&b, q, "form", NS_MUC_ROOMCONFIG);
	b_text_child(&b, x, "title", "Configuration of the room");
	form_add(&b, x, "muc#roomconfig_roomname", "text-single", "Name", c->title);
	form_add(&b, x, "muc#roomconfig_roomdesc", "text-single", "Description",
	    c->description);
	form_add(&b, x, "muc#roomconfig_lang", "text-single",
	    "Language of the discussion", c->language);
	form_add(&b, x, "muc#roomconfig_persistentroom", "boolean",
	    "Persistent (kept when empty)", B(c->persistent));
	form_add(&b, x, "muc#roomconfig_publicroom", "boolean",
	    "Listed in the public directory", B(c->public_room));
	form_add(&b, x, "muc#roomconfig_membersonly", "boolean",
	    "Only members may enter", B(c->members_only));
	form_add(&b, x, "muc#roomconfig_moderatedroom", "boolean",
	    "Only participants with voice may speak", B(c->moderated));
	form_add(&b, x, "muc#roomconfig_passwordprotectedroom", "boolean",
	    "A password is required to enter", B(c->password[0] != '\0'));
	form_add(&b, x, "muc#roomconfig_roomsecret", "text-private", "Password",
	    c->password);
	f = form_add(&b, x, "muc#roomconfig_whois", "list-single",
	    "Who may see real JIDs", c->whois_anyone ? "anyone" : "moderators");
	form_add_option(&b, f, "Moderators only", "moderators");
	form_add_option(&b, f, "Anyone", "anyone");
	form_add(&b, x, "muc#roomconfig_changesubject", "boolean",
	    "Participants may change the subject", B(c->change_subject));
	form_add(&b, x, "muc#roomconfig_allowinvites", "boolean",
	    "Participants may invite others", B(c->allow_invites));
	form_add(&b, x, "mucd#roomconfig_allowregister", "boolean",
	    "Anyone may register as a member", B(c->allow_register));
	f = form_add(&b, x, "muc#roomconfig_allowpm", "list-single",
	    "Who may send private messages", allowpm_name(c->allow_pm));
	form_add_option(&b, f, "Anyone", "anyone");
	form_add_option(&b, f, "Participants", "participants");
	form_add_option(&b, f, "Moderators", "moderators");
	form_add_option(&b, f, "Nobody", "none");
	snprintf(num, sizeof(num), "%d", c->max_users);
	form_add(&b, x, "muc#roomconfig_maxusers", "text-single",
	    "Maximum number of occupants (0: no limit)", num);
	snprintf(num, sizeof(num), "%d", c->history_length);
	form_add(&b, x, "muc#maxhistoryfetch", "text-single",
	    "Messages of history sent to new occupants", num);
	f = form_add(&b, x, "muc#roomconfig_presencebroadcast", "list-multi",
	    "Roles whose presence is broadcast", NULL);
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		form_add_option(&b, f, role_name(roles[i]), role_name(roles[i]));
		if (c->broadcast & BCAST_ROLE(roles[i]))
			form_add_value(&b, f, role_name(roles[i]));
	}
	return b_done(&b, q);
}

/* Parse an integer field value in [lo, hi]; -1 when it is not one. */
static long
parse_bounded(const char *s, long lo, long hi)
{
	char	*end;
	long	 n;

	if (*s == '\0')
		return -1;
	n = strtol(s, &end, 10);
	return *end == '\0' && n >= lo && n <= hi ? n : -1;
}

/* Apply the submitted form x to cfg (a copy).  Returns NULL when every
 * field is acceptable, else a short reason; *nomem on allocation failure. */
static const char *
config_apply(xmpp_ctx_t *ctx, struct room_config *cfg, xmpp_stanza_t *x,
    int *nomem)
{
	xmpp_stanza_t	*f, *v;
	const char	*var, *err = NULL;
	char		*val, *t;
	int		 bv, pwflag = -1;
	long		 n;
	int		 role;
	unsigned	 bits;

	for (f = xmpp_stanza_get_children(x); f != NULL && err == NULL &&
	    !*nomem; f = xmpp_stanza_get_next(f)) {
		if (!xmpp_stanza_is_tag(f) ||
		    strcmp(xmpp_stanza_get_name(f), "field") != 0 ||
		    (var = xmpp_stanza_get_attribute(f, "var")) == NULL)
			continue;
		if (strcmp(var, "muc#roomconfig_presencebroadcast") == 0) {
			bits = 0;
			for (v = xmpp_stanza_get_children(f); v != NULL;
			    v = xmpp_stanza_get_next(v)) {
				if (!xmpp_stanza_is_tag(v) ||
				    strcmp(xmpp_stanza_get_name(v), "value") != 0)
					continue;
				t = xmpp_stanza_get_text(v);
				role = role_parse(t != NULL ? t : "");
				if (t != NULL)
					xmpp_free(ctx, t);
				if (role < 0) {
					err = "unknown role in presencebroadcast";
					break;
				}
				bits |= BCAST_ROLE(role);
			}
			cfg->broadcast = bits;
			continue;
		}
		if ((val = form_value(ctx, f, nomem)) == NULL) {
			/* A field without <value/> is an empty text value. */
			if (*nomem || (val = strdup("")) == NULL) {
				*nomem = 1;
				break;
			}
		}
		bv = form_bool(val);
#define BOOL_FIELD(name, member) \
		else if (strcmp(var, name) == 0) { \
			if (bv < 0) err = name " must be a boolean"; \
			else cfg->member = bv; }
		if (strcmp(var, "FORM_TYPE") == 0)
			;
		else if (strcmp(var, "muc#roomconfig_roomname") == 0)
			*nomem = roomconfig_set_str(&cfg->title, val) != 0;
		else if (strcmp(var, "muc#roomconfig_roomdesc") == 0)
			*nomem = roomconfig_set_str(&cfg->description, val) != 0;
		else if (strcmp(var, "muc#roomconfig_lang") == 0)
			*nomem = roomconfig_set_str(&cfg->language, val) != 0;
		BOOL_FIELD("muc#roomconfig_persistentroom", persistent)
		BOOL_FIELD("muc#roomconfig_publicroom", public_room)
		BOOL_FIELD("muc#roomconfig_membersonly", members_only)
		BOOL_FIELD("muc#roomconfig_moderatedroom", moderated)
		BOOL_FIELD("muc#roomconfig_changesubject", change_subject)
		BOOL_FIELD("muc#roomconfig_allowinvites", allow_invites)
		BOOL_FIELD("mucd#roomconfig_allowregister", allow_register)
		else if (strcmp(var, "muc#roomconfig_passwordprotectedroom") == 0) {
			if ((pwflag = bv) < 0)
				err = "passwordprotectedroom must be a boolean";
		} else if (strcmp(var, "muc#roomconfig_roomsecret") == 0) {
			*nomem = roomconfig_set_str(&cfg->password, val) != 0;
		} else if (strcmp(var, "muc#roomconfig_whois") == 0) {
			if (strcmp(val, "anyone") == 0)
				cfg->whois_anyone = 1;
			else if (strcmp(val, "moderators") == 0)
				cfg->whois_anyone = 0;
			else
				err = "whois must be moderators or anyone";
		} else if (strcmp(var, "muc#roomconfig_allowpm") == 0) {
			if ((n = allowpm_parse(val)) < 0)
				err = "allowpm must be anyone, participants, moderators or none";
			else
				cfg->allow_pm = (enum allow_pm)n;
		} else if (strcmp(var, "muc#roomconfig_maxusers") == 0) {
			if (strcmp(val, "none") == 0 || *val == '\0')
				cfg->max_users = 0;
			else if ((n = parse_bounded(val, 0, ROOM_MAXUSERS_MAX)) < 0)
				err = "maxusers must be a number of occupants";
			else
				cfg->max_users = (int)n;
		} else if (strcmp(var, "muc#maxhistoryfetch") == 0 ||
		    strcmp(var, "muc#roomconfig_historylength") == 0) {
			if ((n = parse_bounded(val, 0, ROOM_HISTORY_MAX)) < 0)
				err = "history length must be 0 to 1000";
			else
				cfg->history_length = (int)n;
		}
#undef BOOL_FIELD
		free(val);
	}
	if (err == NULL && !*nomem) {
		if (pwflag == 0)
			*nomem = roomconfig_set_str(&cfg->password, "") != 0;
		else if (pwflag == 1 && cfg->password[0] == '\0')
			err = "a password-protected room needs a password";
	}
	return err;
}

/* One configuration notice: a message whose muc#user <x/> holds only
 * <status code=code/> (10.2.1), to every occupant. */
static int
config_message(struct room *room, int code, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *x;
	char		 buf[8];

	snprintf(buf, sizeof(buf), "%d", code);
	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", room->jid);
	x = b_child(&b, m, "x", NS_MUC_USER);
	b_attr(&b, b_child(&b, x, "status", NULL), "code", buf);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, out);
}

int
room_config_changed(const struct room_config *a, const struct room_config *b)
{
	return strcmp(a->title, b->title) || strcmp(a->description, b->description) ||
	    strcmp(a->language, b->language) || strcmp(a->password, b->password) ||
	    a->persistent != b->persistent || a->public_room != b->public_room ||
	    a->members_only != b->members_only || a->moderated != b->moderated ||
	    a->whois_anyone != b->whois_anyone ||
	    a->change_subject != b->change_subject ||
	    a->allow_invites != b->allow_invites || a->allow_pm != b->allow_pm ||
	    a->allow_register != b->allow_register ||
	    a->max_users != b->max_users ||
	    a->history_length != b->history_length || a->broadcast != b->broadcast;
}

int
room_config_announce(struct room *room, const struct room_config *old,
    struct muc_out *out)
{
	static const int	 code322[] = { 322 };
	struct room_config	 same_whois;
	struct occupant		*o, *next;
	int			 rc = MUC_OK;

	/* Privacy changes get their own code (172 now non-anonymous, 173
	 * now semi-anonymous); any other change is 104. */
	if (old->whois_anyone != room->cfg.whois_anyone)
		rc = config_message(room, room->cfg.whois_anyone ? 172 : 173, out);
	same_whois = *old;
	same_whois.whois_anyone = room->cfg.whois_anyone;
	if (rc == MUC_OK && room_config_changed(&same_whois, &room->cfg))
		rc = config_message(room, 104, out);
	if (rc == MUC_OK && room->cfg.members_only && !old->members_only)
		for (o = room->head; o != NULL && rc == MUC_OK; o = next) {
			next = o->next;
			if (affiliation_of(room, o->bare) < AFF_MEMBER)
				rc = occupant_eject(room, o, code322, 1, NULL,
				    NULL, 1, out);
		}
	return rc;
}

void
room_config_swap(struct room *room, struct room_config *cfg)
{
	struct room_config	tmp = room->cfg;

	room->cfg = *cfg;
	*cfg = tmp;
	/* Shrinking drops the oldest messages; failing to grow keeps the
	 * old ring, which only means less history: not worth refusing. */
	if (history_set_capacity(room->history, room->cfg.history_length) !=
	    MUC_OK)
		muc_log(room->svc->log, MUC_LOG_WARN, "owner",
		    "%s: history length unchanged (out of memory)", room->jid);
}

/*
 * Steps: 1. validate into a copy; 2. swap and store (undo on failure);
 * 3. answer; 4. announce, and remove non-members from a room that became
 * members-only.
 */
static int
config_submit(struct req *r, struct room *room, xmpp_stanza_t *x)
{
	struct room_config	 cfg;
	const char		*err;
	int			 nomem = 0, rc, was_locked = room->locked;

	if (!form_type_is(r->svc->ctx, x, NS_MUC_ROOMCONFIG))
		return req_error(r, "modify", "bad-request", "Not a room configuration form");
	if (roomconfig_copy(&cfg, &room->cfg) != 0)
		return MUC_ENOMEM;
	err = config_apply(r->svc->ctx, &cfg, x, &nomem);
	if (nomem || err != NULL) {
		roomconfig_free(&cfg);
		return nomem ? MUC_ENOMEM :
		    req_error(r, "modify", "not-acceptable", err);
	}
	room_config_swap(room, &cfg);		/* cfg now holds the old one */
	if ((rc = room_save(room)) != MUC_OK) {
		room_config_swap(room, &cfg);
		roomconfig_free(&cfg);
		return rc;
	}
	room->locked = 0;
	muc_log(r->svc->log, MUC_LOG_DEBUG, "owner", "%s configured %s",
	    r->from, room->jid);
	/* The first configuration unlocks the room: nothing to announce. */
	if ((rc = req_result(r, NULL)) == MUC_OK && !was_locked)
		rc = room_config_announce(room, &cfg, r->out);
	roomconfig_free(&cfg);
	return rc;
}

int
room_destroy_announce(struct room *room, const char *alt, const char *reason,
    const char *password, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	struct occupant	*o;
	xmpp_stanza_t	*p, *x, *item, *d;
	int		 rc = MUC_OK;

	for (o = room->head; o != NULL && rc == MUC_OK; o = o->next) {
		b.failed = 0;
		p = b_new(&b, "presence");
		b_attr(&b, p, "from", o->occ_jid);
		b_attr(&b, p, "type", "unavailable");
		x = b_child(&b, p, "x", NS_MUC_USER);
		item = b_child(&b, x, "item", NULL);
		b_attr(&b, item, "affiliation", "none");
		b_attr(&b, item, "role", "none");
		d = b_child(&b, x, "destroy", NULL);
		b_attr(&b, d, "jid", alt);
		if (reason != NULL)
			b_text_child(&b, d, "reason", reason);
		if (password != NULL)
			b_text_child(&b, d, "password", password);
		if ((p = b_done(&b, p)) == NULL)
			return MUC_ENOMEM;
		if ((rc = muc_out_broadcast(out, p)) == MUC_OK)
			rc = occupant_send_to(out, o);
	}
	if (rc != MUC_OK)
		return rc;
	return room_destroy(room, 1);
}

static int
destroy(struct req *r, struct room *room, xmpp_stanza_t *d)
{
	const char	*alt = xmpp_stanza_get_attribute(d, "jid");
	char		*reason, *password;
	struct jid	*j;
	int		 rc;

	if (alt != NULL) {
		if ((j = jid_parse(alt)) == NULL)
			return req_error(r, "modify", "jid-malformed",
			    "The alternate venue is not a JID");
		free(j);
	}
	reason = st_child_text(d, "reason");
	password = st_child_text(d, "password");
	muc_log(r->svc->log, MUC_LOG_INFO, "owner", "%s destroyed %s",
	    r->from, room->jid);
	rc = room_destroy_announce(room, alt, reason, password, r->out);
	if (reason != NULL)
		xmpp_free(r->svc->ctx, reason);
	if (password != NULL)
		xmpp_free(r->svc->ctx, password);
	if (rc == MUC_OK)
		rc = req_result(r, NULL);
	return rc;
}

int
owner_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	xmpp_stanza_t	*x, *d, *form;
	const char	*type;

	if (affiliation_of(room, r->from_bare) != AFF_OWNER)
		return req_error(r, "auth", "forbidden",
		    "Only owners may configure the room");
	if (strcmp(r->type, "get") == 0) {
		if ((form = config_form(r->svc, room)) == NULL)
			return MUC_ENOMEM;
		return req_result(r, form);
	}
	if ((d = st_child(q, "destroy", NULL)) != NULL)
		return destroy(r, room, d);
	if ((x = form_find(q)) == NULL)
		return req_error(r, "modify", "bad-request", NULL);
	type = xmpp_stanza_get_type(x);
	if (type != NULL && strcmp(type, "cancel") == 0) {
		/* Cancelling the first configuration abandons the new room
		 * (10.1.3); later, it changes nothing. */
		if (room->locked) {
			int rc = room_destroy_announce(room, NULL, NULL, NULL, r->out);

			return rc != MUC_OK ? rc : req_result(r, NULL);
		}
		return req_result(r, NULL);
	}
	if (type == NULL || strcmp(type, "submit") != 0)
		return req_error(r, "modify", "bad-request", NULL);
	return config_submit(r, room, x);
}
