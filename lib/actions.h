/*
 * actions.h - engine actions that more than one handler performs.
 *
 * Where each lives: role_default in join.c; leave, occupant_eject and
 * error_handle in leave.c; nick_change in nick.c; subject_send in
 * message.c; affiliation_change in admin.c.
 */
#ifndef ACTIONS_H
#define ACTIONS_H

#include "presence.h"
#include "request.h"

enum muc_role	role_default(const struct room *room, enum muc_affiliation aff);
/* The occupant asked to leave (unavailable presence). */
int		leave(struct req *r, struct room *room, struct occupant *occ);
/* Remove occ from the room telling everyone why: codes (307 kick, 301 ban,
 * 321 membership lost, 333 gone), an optional reason and actor.  occ is
 * freed; the room stays until muc_handle() is done with it.  With notify_self
 * the occupant gets its own unavailable presence (with 110). */
int		occupant_eject(struct room *room, struct occupant *occ,
		    const int *codes, size_t ncodes, const char *reason,
		    const struct actor *actor, int notify_self,
		    struct muc_out *out);
int		nick_change(struct req *r, struct room *room,
		    struct occupant *occ, const char *nick);
/* After bare's affiliation changed from old_aff: update or remove its
 * occupants (301 ban, 321 membership lost in a members-only room), or tell
 * the room by message when bare is not in it.  actor is NULL for the
 * user's own registration; reason may be NULL. */
int		affiliation_effects(struct room *room, const char *bare,
		    enum muc_affiliation old_aff, const struct actor *actor,
		    const char *reason, struct muc_out *out);
/* A nick was just reserved for bare: remove anyone else using it (307). */
int		reserved_nick_evict(struct room *room, const char *nick,
		    const char *bare, struct muc_out *out);
/* Tell every occupant the room is gone, then destroy it (10.9). */
int		room_destroy_announce(struct room *room, const char *alt,
		    const char *reason, const char *password,
		    struct muc_out *out);
/* Exchange the room's configuration with *cfg (owner.c). */
void		room_config_swap(struct room *room, struct room_config *cfg);
int		room_config_changed(const struct room_config *a,
		    const struct room_config *b);
/* Tell occupants the configuration changed from old: 104 (172/173), and
 * remove non-members (322) from a room that became members-only. */
int		room_config_announce(struct room *room,
		    const struct room_config *old, struct muc_out *out);
/* Operator changes to the database (reload.c), for muc_tick(). */
int		reload_changed_rooms(struct muc_service *svc,
		    struct muc_out *out);
/* The room's subject message, without `to` (message.c). */
xmpp_stanza_t	*subject_build(struct room *room);
/* Queue the room's subject message to `to`. */
int		subject_send(struct room *room, struct muc_out *out,
		    const char *to);

#endif /* ACTIONS_H */
