/*
 * presence.h - occupant presence as the room sends it (XEP-0045 7.2, 9).
 */
#ifndef PRESENCE_H
#define PRESENCE_H

#include "room.h"

/* Who did it, as copies of strings: never an occupant pointer, which an
 * earlier item of the same request may have freed.  nick is NULL when the
 * actor is not in the room; jid is shown only to those who may see real
 * JIDs, and not in the subject's own copy. */
struct actor {
	const char	*nick;
	const char	*jid;
};

/* What a presence carries beside the occupant's item. */
struct pres_extra {
	const int		*codes;		/* status codes for everyone */
	size_t			 ncodes;
	const int		*self_codes;	/* codes only the subject sees */
	size_t			 nself_codes;
	const char		*reason;	/* <item><reason/> */
	const struct actor	*actor;		/* <item><actor/>, or NULL */
	const char		*new_nick;	/* 303: <item nick=.../> */
	int			 unavailable;
	enum muc_role		 prev_role;	/* with unavailable: the role
						 * the occupant had, which
						 * decides the broadcast */
	int			 destroy;	/* <destroy/> with: */
	const char		*destroy_jid;
	const char		*destroy_reason;
	int			 no_self;	/* the subject gets nothing */
	const char		*session;	/* self copy to this session only */
	int			 gone;		/* item role none, role kept */
	int			 force;		/* ignore presence_broadcast */
};

/* Send occ's presence to every occupant (each variant built once: with and
 * without the real JID), then to occ itself with status 110 last. */
int	presence_broadcast(struct room *room, struct occupant *occ,
	    const struct pres_extra *px, struct muc_out *out);
/* Send occ its own presence only (status 110 added), nobody else: to all
 * its sessions, or to px->session alone. */
int	presence_send_self(struct room *room, struct occupant *occ,
	    const struct pres_extra *px, struct muc_out *out);
/* Send subject's current presence, as viewer may see it, to the session
 * `to` of viewer (a joiner's view of the room). */
int	presence_send_one(struct room *room, struct occupant *subject,
	    struct occupant *viewer, const char *to, struct muc_out *out);
/* Members who are not in the room, as unavailable presences to viewer's
 * session `to`, when the room broadcasts role "none" (muc_show_offline). */
int	presence_send_offline(struct room *room, struct occupant *viewer,
	    const char *to, struct muc_out *out);
/* The same for the member who reserved nick alone. */
int	presence_send_offline_one(struct room *room, struct occupant *viewer,
	    const char *nick, const char *to, struct muc_out *out);
/* occ sent a new presence (show, status, ...): keep its payload and tell
 * the room (7.7). */
int	presence_changed(struct room *room, struct occupant *occ,
	    xmpp_stanza_t *presence, struct muc_out *out);
/* In a crowded room (room_is_crowded()), only moderators' presence goes
 * to everyone, and moderators see everyone's; others see their own and
 * the moderators'.  Does the presence of someone with subject_role go to
 * viewer? */
int	presence_shown_to(const struct room *room, enum muc_role subject_role,
	    const struct occupant *viewer);
/* Is presence of an occupant with this role broadcast in this room? */
int	presence_is_broadcast(const struct room *room, enum muc_role role);

#endif /* PRESENCE_H */
