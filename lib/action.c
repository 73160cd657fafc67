/*
 * action.c - what the room does that several handlers share (action.h).
 *
 * Everyone is removed from a room through occupant_eject(), so every
 * removal looks the same to the others: an unavailable presence with the
 * codes that say why.  An affiliation change has the same effects whether
 * an admin (admin.c), the user (register.c), an invitation or an operator
 * (reload.c) made it.  Configuration notices and destruction are shared by
 * the owner (owner.c) and the operator (reload.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "jid.h"
#include "ns.h"
#include "permission.h"
#include "roomopt.h"
#include "stamp.h"

/* What an ejection's first code means, for the log. */
static const char *
eject_what(const int *codes, size_t ncodes)
{
	switch (ncodes > 0 ? codes[0] : 0) {
	case 301:	return "banned";
	case 307:	return "kicked";
	case 321:	return "removed (affiliation lost)";
	case 322:	return "removed (the room became members-only)";
	case 333:	return "removed (its client is gone)";
	default:	return "removed";
	}
}

/* "by NICK (JID)", or "" without an actor; buf holds the text. */
static const char *
actor_text(const struct actor *actor, char *buf, size_t len)
{
	if (actor == NULL || (actor->nick == NULL && actor->jid == NULL))
		return "";
	snprintf(buf, len, " by %s%s%s%s", actor->nick != NULL ? actor->nick :
	    "", actor->nick != NULL && actor->jid != NULL ? " (" : "",
	    actor->jid != NULL ? actor->jid : "",
	    actor->nick != NULL && actor->jid != NULL ? ")" : "");
	return buf;
}

int
occupant_eject(struct room *room, struct occupant *occ, const int *codes,
    size_t ncodes, const char *reason, const struct actor *actor,
    int notify_self, struct muc_out *out)
{
	struct pres_extra	px;
	char			by[600];
	int			rc;

	muc_log(room->svc->log, MUC_LOG_INFO, "room", "%s: %s (%s) %s%s%s%s",
	    room->jid, occ->nick, occ->bare, eject_what(codes, ncodes),
	    actor_text(actor, by, sizeof(by)), reason != NULL ? ": " : "",
	    reason != NULL ? reason : "");
	memset(&px, 0, sizeof(px));
	px.codes = codes;
	px.ncodes = ncodes;
	px.reason = reason;
	px.actor = actor;
	px.unavailable = 1;
	px.prev_role = occ->role;
	px.no_self = !notify_self;
	px.force = 1;	/* an ejection is news whatever the broadcast setting */
	occupant_set_role(occ, ROLE_NONE);
	(void)occupant_keep_status(occ, NULL);	/* the room says why, not it */
	rc = presence_broadcast(room, occ, &px, out);
	occupant_remove(occ);
	return rc;
}

int
occupant_drop_ghost(struct room *room, struct occupant *occ, const char *jid,
    struct muc_out *out)
{
	static const int	 code333[] = { 333 };

	if (occ->nsessions > 1) {	/* the occupant's other clients stay */
		occupant_remove_session(occ, jid);
		return MUC_OK;
	}
	return occupant_eject(room, occ, code333, 1, NULL, NULL, 0, out);
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
 * is not in the room, with the code an occupant would have been removed
 * with (301 banned, 321 membership of a members-only room lost) and the
 * reason.  It names a real JID, so only those who may see real JIDs get
 * it. */
static int
affiliation_notice(struct room *room, const char *bare,
    enum muc_affiliation aff, const char *reason, struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	struct occupant	*o;
	xmpp_stanza_t	*m, *x, *item;
	int		 rc, any = 0;

	for (o = room->head; o != NULL && !any; o = o->next)
		any = room_can_see_jids(room, o);
	if (!any)
		return MUC_OK;
	m = b_new(&b, "message");
	b_attr(&b, m, "from", room->jid);
	x = b_child(&b, m, "x", NS_MUC_USER);
	if (aff == AFF_OUTCAST)
		b_status(&b, x, 301);
	else if (room->cfg.members_only && aff < AFF_MEMBER)
		b_status(&b, x, 321);
	item = b_child(&b, x, "item", NULL);
	b_attr(&b, item, "jid", bare);
	b_attr(&b, item, "affiliation", affiliation_name(aff));
	if (reason != NULL && reason[0] != '\0')
		b_text_child(&b, item, "reason", reason);
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

/* The role an occupant of bare keeps after its affiliation went from
 * old_aff to aff (5.1.2: the role follows the affiliation up, and back
 * down when a privileged affiliation is lost). */
static enum muc_role
role_after(const struct room *room, const struct occupant *o,
    enum muc_affiliation old_aff, enum muc_affiliation aff)
{
	if (aff >= AFF_ADMIN)
		return ROLE_MODERATOR;
	if (old_aff >= AFF_ADMIN)
		return role_default(aff, room->cfg.moderated);
	if (aff >= AFF_MEMBER && o->role == ROLE_VISITOR)
		return ROLE_PARTICIPANT;
	return o->role;
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
	char			 by[600];
	int			 rc = MUC_OK, present = 0;

	muc_log(room->svc->log, MUC_LOG_INFO, "room", "%s: %s is %s (was %s)%s%s%s",
	    room->jid, bare, affiliation_name(aff), affiliation_name(old_aff),
	    actor_text(actor, by, sizeof(by)), reason != NULL ? ": " : "",
	    reason != NULL ? reason : "");
	for (o = occupant_next_of(room->head, bare); o != NULL &&
	    rc == MUC_OK; o = next) {
		next = occupant_next_of(o->next, bare);
		present = 1;
		if (aff == AFF_OUTCAST)
			rc = occupant_eject(room, o, code301, 1, reason, actor,
			    1, out);
		else if (room->cfg.members_only && aff < AFF_MEMBER)
			rc = occupant_eject(room, o, code321, 1, reason, actor,
			    1, out);
		else {
			occupant_set_role(o, role_after(room, o, old_aff, aff));
			memset(&px, 0, sizeof(px));
			px.actor = actor;
			px.reason = reason;
			rc = presence_broadcast(room, o, &px, out);
		}
	}
	if (rc == MUC_OK && !present)
		rc = affiliation_notice(room, bare, aff, reason, out);
	return rc;
}

int
occupant_change_role(struct room *room, struct occupant *occ,
    enum muc_role role, const struct actor *actor, const char *reason,
    struct muc_out *out)
{
	struct pres_extra	px;
	char			by[600];

	if (occ->role == role)
		return MUC_OK;
	muc_log(room->svc->log, MUC_LOG_INFO, "room", "%s: %s (%s) is %s (was "
	    "%s)%s%s%s", room->jid, occ->nick, occ->bare, role_name(role),
	    role_name(occ->role), actor_text(actor, by, sizeof(by)),
	    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	occupant_set_role(occ, role);
	memset(&px, 0, sizeof(px));
	px.actor = actor;
	px.reason = reason;
	return presence_broadcast(room, occ, &px, out);
}

/* The configuration notice (10.2.1): one message whose muc#user <x/>
 * holds the privacy codes the change implies and 104, to every occupant. */
static int
config_message(struct room *room, const int *codes, size_t ncodes,
    struct muc_out *out)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *x;
	size_t		 i;

	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", room->jid);
	x = b_child(&b, m, "x", NS_MUC_USER);
	for (i = 0; i < ncodes; i++)
		b_status(&b, x, codes[i]);
	b_status(&b, x, 104);
	if ((m = b_done(&b, m)) == NULL)
		return MUC_ENOMEM;
	return room_broadcast(room, m, out);
}

int
room_changed_announce(struct room *room, struct muc_out *out)
{
	return config_message(room, NULL, 0, out);
}

int
room_config_announce(struct room *room, const struct room_config *old,
    struct muc_out *out)
{
	static const int	 code322[] = { 322 };
	struct roomopt_changes	 ch;
	struct occupant		*o, *next;
	int			 rc = MUC_OK;

	/* One notice per change: the codes of privacy changes (170/171
	 * logging, 172 now non-anonymous, 173 now semi-anonymous) first, as
	 * Prosody sends them, then 104 for "something changed". */
	roomopt_diff(old, &room->cfg, &ch);
	if (ch.nchanged > 0)
		rc = config_message(room, ch.codes, ch.ncodes, out);
	if (rc == MUC_OK && room->cfg.members_only && !old->members_only)
		for (o = room->head; o != NULL && rc == MUC_OK; o = next) {
			next = o->next;
			if (affiliation_of(room, o->bare) < AFF_MEMBER)
				rc = occupant_eject(room, o, code322, 1, NULL,
				    NULL, 1, out);
		}
	return rc;
}

/* The unavailable presence with <destroy/> that occupant o gets (10.9):
 * its own, so with its real JID and 110, as a self-presence always is. */
static xmpp_stanza_t *
destroy_presence(struct room *room, const struct occupant *o, const char *alt,
    const char *reason, const char *password)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*p, *x, *item, *d;

	p = b_new(&b, "presence");
	b_attr(&b, p, "from", o->occ_jid);
	b_attr(&b, p, "type", "unavailable");
	x = b_child(&b, p, "x", NS_MUC_USER);
	/* Affiliations end with the room: none, as XEP-0045's example has
	 * it (Prosody shows the old one), item first as there too. */
	item = b_child(&b, x, "item", NULL);
	b_attr(&b, item, "affiliation", "none");
	b_attr(&b, item, "role", "none");
	b_attr(&b, item, "jid", o->jid);
	d = b_child(&b, x, "destroy", NULL);
	b_attr(&b, d, "jid", alt);
	if (reason != NULL)
		b_text_child(&b, d, "reason", reason);
	if (password != NULL)
		b_text_child(&b, d, "password", password);
	b_status(&b, x, 110);
	b_attr(&b, b_child(&b, p, "occupant-id", NS_OCCUPANT_ID), "id",
	    o->occupant_id);
	return b_done(&b, p);
}

int
room_destroy_announce(struct room *room, const char *alt, const char *reason,
    const char *password, struct muc_out *out)
{
	struct occupant	*o;
	xmpp_stanza_t	*p;
	int		 rc = MUC_OK;

	for (o = room->head; o != NULL && rc == MUC_OK; o = o->next) {
		if ((p = destroy_presence(room, o, alt, reason, password)) ==
		    NULL)
			return MUC_ENOMEM;
		if ((rc = muc_out_broadcast(out, p)) == MUC_OK)
			rc = occupant_send_to(out, o);
	}
	if (rc != MUC_OK)
		return rc;
	return room_retire(room, 1);
}

xmpp_stanza_t *
subject_build(struct room *room)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*m, *d;
	char		*from = NULL, stamp[STAMP_LEN];

	if (room->subject_nick[0] != '\0' &&
	    (from = jid_join(room->name, room->svc->domain,
	    room->subject_nick)) == NULL)
		return NULL;
	m = b_new(&b, "message");
	b_attr(&b, m, "type", "groupchat");
	b_attr(&b, m, "from", from != NULL ? from : room->jid);
	b_text_child(&b, m, "subject", room->subject);
	/* 7.2.15: stamped with when it was set, or actively cleared. */
	if (room->subject_time != 0) {
		stamp_format(room->subject_time, stamp);
		d = b_child(&b, m, "delay", NS_DELAY);
		b_attr(&b, d, "from", room->jid);
		b_attr(&b, d, "stamp", stamp);
	}
	free(from);
	return b_done(&b, m);
}

int
subject_send(struct room *room, struct muc_out *out, const char *to)
{
	xmpp_stanza_t	*m;
	int		 rc;

	if ((m = subject_build(room)) == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, m)) != MUC_OK)
		return rc;
	return muc_out_add_to(out, to);
}

int
occupants_tell_shutdown(struct muc_service *svc, struct muc_out *out)
{
	static const int	 code332[] = { 332 };
	struct pres_extra	 px;
	struct room		*room;
	struct occupant		*o;
	size_t			 i = 0;
	int			 rc = MUC_OK;

	memset(&px, 0, sizeof(px));
	px.codes = code332;
	px.ncodes = 1;
	px.unavailable = 1;
	while (rc == MUC_OK && (room = hmap_next(&svc->rooms, &i)) != NULL)
		for (o = room->head; o != NULL && rc == MUC_OK; o = o->next) {
			occupant_set_role(o, ROLE_NONE);
			rc = presence_send_self(room, o, &px, out);
		}
	return rc;
}
