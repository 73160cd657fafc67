/*
 * action.h - what the room does that several handlers and the SQL reload
 * share: removing occupants, the effects of an affiliation change, role
 * changes, configuration and destruction notices, the subject.
 *
 * Each action changes state through the state module (room.h) and queues
 * what the occupants must be told; none answers the request that caused
 * it (that is the handler's reply).
 */
#ifndef ACTION_H
#define ACTION_H

#include "presence.h"
#include "room.h"

/* Remove occ from the room telling everyone why: codes (307 kick, 301 ban,
 * 321 membership lost, 322 members-only, 333 gone), an optional reason and
 * actor.  occ is freed; the room stays until service_release().  With
 * notify_self the occupant gets its own unavailable presence (with 110). */
int	occupant_eject(struct room *room, struct occupant *occ,
	    const int *codes, size_t ncodes, const char *reason,
	    const struct actor *actor, int notify_self, struct muc_out *out);
/* occ's client `jid` is gone: its server bounced what the room sent it
 * (leave.c), or it did not answer the room's ping (verify.c).  Forget
 * that client; when it was the occupant's last, remove the occupant
 * with 333 (the others are told, it is not). */
int	occupant_drop_ghost(struct room *room, struct occupant *occ,
	    const char *jid, struct muc_out *out);
/* A nick was just reserved for bare: remove anyone else using it (307). */
int	reserved_nick_evict(struct room *room, const char *nick,
	    const char *bare, struct muc_out *out);
/* After bare's affiliation changed from old_aff: update or remove its
 * occupants (301 ban, 321 membership lost in a members-only room), or tell
 * the room by message when bare is not in it.  actor is NULL for the
 * user's own registration and for operators; reason may be NULL. */
int	affiliation_effects(struct room *room, const char *bare,
	    enum muc_affiliation old_aff, const struct actor *actor,
	    const char *reason, struct muc_out *out);
/* Give occ a new role (not none: that is an ejection) and tell the room,
 * naming actor and reason (either may be NULL).  No-op when unchanged. */
int	occupant_change_role(struct room *room, struct occupant *occ,
	    enum muc_role role, const struct actor *actor, const char *reason,
	    struct muc_out *out);
/* Tell occupants the configuration changed from old: 104 (172/173), and
 * remove non-members (322) from a room that became members-only. */
int	room_config_announce(struct room *room,
	    const struct room_config *old, struct muc_out *out);
/* Tell occupants something the room shows changed that is not one of
 * its options (its vCard, XEP-0486 4.2): 104 alone. */
int	room_changed_announce(struct room *room, struct muc_out *out);
/* Tell every occupant the room is gone (10.9), then retire it, deleting
 * it from the store.  alt, reason and password may be NULL. */
int	room_destroy_announce(struct room *room, const char *alt,
	    const char *reason, const char *password, struct muc_out *out);
/* The room's subject message (7.2.15), without `to`; NULL on ENOMEM. */
xmpp_stanza_t	*subject_build(struct room *room);
/* Queue the room's subject message to `to` (a joining client). */
int	subject_send(struct room *room, struct muc_out *out, const char *to);
/* The service is going away: tell every occupant it was removed (332,
 * XEP-0045 11.2), one presence each. */
int	occupants_tell_shutdown(struct muc_service *svc, struct muc_out *out);

#endif /* ACTION_H */
