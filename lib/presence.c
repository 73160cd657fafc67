/*
 * presence.c - building and broadcasting occupant presence.
 *
 * One presence change is seen three ways: by viewers who may see real JIDs
 * (moderators, or everyone in a non-anonymous room), by those who may not,
 * and by the occupant itself (with status 110).  Each variant is built at
 * most once and queued as a broadcast; only the addressing varies.  Status
 * codes go before the <item/> and 110 after it, the order clients and the
 * acceptance scripts expect.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "hats.h"
#include "jid.h"
#include "ns.h"
#include "presence.h"

enum variant {
	V_ANON,		/* no real JIDs */
	V_JID,		/* with real JIDs */
	V_SELF,		/* to the occupant: JID, self codes, 110 */
	V_COUNT
};

/* Build the presence of subject (from its occupant JID) as variant v. */
static xmpp_stanza_t *
presence_build(struct room *room, struct occupant *subject,
    const struct pres_extra *px, enum variant v)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*p, *x, *item, *actor, *d, *c;
	size_t		 i;

	p = b_new(&b, "presence");
	b_attr(&b, p, "from", subject->occ_jid);
	if (px->unavailable)
		b_attr(&b, p, "type", "unavailable");
	if (subject->payload != NULL)
		b_attr(&b, p, "xml:lang",
		    xmpp_stanza_get_attribute(subject->payload, "xml:lang"));
	if (subject->payload != NULL)
		for (c = xmpp_stanza_get_children(subject->payload); c != NULL;
		    c = xmpp_stanza_get_next(c))
			b_copy(&b, p, c);
	x = b_child(&b, p, "x", NS_MUC_USER);
	for (i = 0; i < px->ncodes; i++)
		b_status(&b, x, px->codes[i]);
	if (v == V_SELF)
		for (i = 0; i < px->nself_codes; i++)
			b_status(&b, x, px->self_codes[i]);
	item = b_child(&b, x, "item", NULL);
	b_attr(&b, item, "affiliation",
	    affiliation_name(affiliation_of(room, subject->bare)));
	b_attr(&b, item, "role", role_name(px->gone ? ROLE_NONE : subject->role));
	if (v != V_ANON)
		b_attr(&b, item, "jid", v == V_SELF && px->session != NULL ?
		    px->session : subject->jid);
	b_attr(&b, item, "nick", px->new_nick);
	if (px->actor != NULL && (px->actor->nick != NULL ||
	    (v == V_JID && px->actor->jid != NULL))) {
		actor = b_child(&b, item, "actor", NULL);
		b_attr(&b, actor, "nick", px->actor->nick);
		if (v == V_JID)
			b_attr(&b, actor, "jid", px->actor->jid);
	}
	if (px->reason != NULL)
		b_text_child(&b, item, "reason", px->reason);
	if (px->destroy) {
		d = b_child(&b, x, "destroy", NULL);
		b_attr(&b, d, "jid", px->destroy_jid);
		if (px->destroy_reason != NULL)
			b_text_child(&b, d, "reason", px->destroy_reason);
	}
	if (v == V_SELF)
		b_status(&b, x, 110);
	/* XEP-0421: a client's own claim never got into the payload
	 * (hygiene_forged()); this is the room's. */
	b_attr(&b, b_child(&b, p, "occupant-id", NS_OCCUPANT_ID), "id",
	    subject->occupant_id);
	if (!px->unavailable)
		hats_presence(&b, p, room, subject->bare);	/* XEP-0317 */
	return b_done(&b, p);
}

int
presence_is_broadcast(const struct room *room, enum muc_role role)
{
	return (room->cfg.broadcast & BCAST_ROLE(role)) != 0;
}

int
presence_shown_to(const struct room *room, enum muc_role subject_role,
    const struct occupant *viewer)
{
	return !room_is_crowded(room) || subject_role == ROLE_MODERATOR ||
	    viewer->role == ROLE_MODERATOR;
}

/* Does variant v of subject's presence (whose role is `role`) go to o? */
static int
presence_reaches(const struct room *room, const struct occupant *subject,
    enum muc_role role, const struct occupant *o, enum variant v)
{
	return o != subject && room_can_see_jids(room, o) == (v == V_JID) &&
	    presence_shown_to(room, role, o);
}

int
presence_broadcast(struct room *room, struct occupant *occ,
    const struct pres_extra *px, struct muc_out *out)
{
	enum muc_role	 role = px->unavailable ? px->prev_role : occ->role;
	xmpp_stanza_t	*s;
	struct occupant	*o;
	enum variant	 v;
	int		 rc, any;

	/* An unavailable presence goes where the available one went. */
	if (px->force || presence_is_broadcast(room, role)) {
		for (v = V_ANON; v <= V_JID; v++) {
			any = 0;
			for (o = room->head; o != NULL && !any; o = o->next)
				any = presence_reaches(room, occ, role, o, v);
			if (!any)
				continue;
			if ((s = presence_build(room, occ, px, v)) == NULL)
				return MUC_ENOMEM;
			if ((rc = muc_out_broadcast(out, s)) != MUC_OK)
				return rc;
			for (o = room->head; o != NULL; o = o->next)
				if (presence_reaches(room, occ, role, o, v) &&
				    (rc = occupant_send_to(out, o)) != MUC_OK)
					return rc;
		}
	}
	if (px->no_self)
		return MUC_OK;
	return presence_send_self(room, occ, px, out);
}

int
presence_send_self(struct room *room, struct occupant *occ,
    const struct pres_extra *px, struct muc_out *out)
{
	xmpp_stanza_t	*s;
	int		 rc;

	if ((s = presence_build(room, occ, px, V_SELF)) == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, s)) != MUC_OK)
		return rc;
	return px->session != NULL ? muc_out_add_to(out, px->session) :
	    occupant_send_to(out, occ);
}

int
presence_send_one(struct room *room, struct occupant *subject,
    struct occupant *viewer, const char *to, struct muc_out *out)
{
	static const struct pres_extra	 none;
	xmpp_stanza_t			*s;
	int				 rc;

	/* One's own presence always shows one's own JID. */
	s = presence_build(room, subject, &none, subject == viewer ||
	    room_can_see_jids(room, viewer) ? V_JID : V_ANON);
	if (s == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, s)) != MUC_OK)
		return rc;
	return muc_out_add_to(out, to);
}

/* The unavailable presence of member a, who is not in the room, as viewer
 * may see it. */
static xmpp_stanza_t *
offline_presence(struct room *room, const struct affiliation *a,
    const struct occupant *viewer)
{
	struct build	 b = BUILD_INIT(room->svc->ctx);
	xmpp_stanza_t	*p, *item;
	char		*from, id[OCCID_LEN];

	if ((from = jid_join(room->name, room->svc->domain, a->nick)) == NULL)
		return NULL;
	p = b_new(&b, "presence");
	b_attr(&b, p, "from", from);
	free(from);
	b_attr(&b, p, "type", "unavailable");
	item = b_child(&b, b_child(&b, p, "x", NS_MUC_USER), "item", NULL);
	b_attr(&b, item, "affiliation", affiliation_name(a->aff));
	b_attr(&b, item, "role", "none");
	b_attr(&b, item, "nick", a->nick);
	if (room_can_see_jids(room, viewer))
		b_attr(&b, item, "jid", a->jid);
	/* The id the member has when present: it is the same person. */
	occid_make(room->svc->occid_key, room->jid, a->jid, id);
	b_attr(&b, b_child(&b, p, "occupant-id", NS_OCCUPANT_ID), "id", id);
	return b_done(&b, p);
}

/* Queue p (stolen) to `to` alone. */
static int
send_one(xmpp_stanza_t *p, const char *to, struct muc_out *out)
{
	int	rc;

	if (p == NULL)
		return MUC_ENOMEM;
	if ((rc = muc_out_broadcast(out, p)) != MUC_OK)
		return rc;
	return muc_out_add_to(out, to);
}

int
presence_send_offline(struct room *room, struct occupant *viewer,
    const char *to, struct muc_out *out)
{
	struct affiliation	*a;
	struct occupant		*o;
	size_t			 i = 0;
	int			 rc;

	if (!presence_is_broadcast(room, ROLE_NONE) ||
	    !presence_shown_to(room, ROLE_NONE, viewer))
		return MUC_OK;
	while ((a = hmap_next(&room->affs, &i)) != NULL) {
		if (a->nick == NULL || a->aff < AFF_MEMBER)
			continue;
		/* Present under the reserved nick, or someone else holds it
		 * for now: not shown as absent. */
		if ((o = occupant_by_nick(room, a->nick)) != NULL)
			continue;
		if ((rc = send_one(offline_presence(room, a, viewer), to,
		    out)) != MUC_OK)
			return rc;
	}
	return MUC_OK;
}

int
presence_send_offline_one(struct room *room, struct occupant *viewer,
    const char *nick, const char *to, struct muc_out *out)
{
	struct affiliation	*a = affiliation_by_nick(room, nick);

	if (a == NULL)
		return MUC_OK;
	return send_one(offline_presence(room, a, viewer), to, out);
}

int
presence_changed(struct room *room, struct occupant *occ,
    xmpp_stanza_t *presence, struct muc_out *out)
{
	struct pres_extra	px;
	int			rc;

	if ((rc = occupant_set_payload(occ, presence)) != MUC_OK)
		return rc;
	memset(&px, 0, sizeof(px));
	return presence_broadcast(room, occ, &px, out);
}
