/*
 * room.h - the engine's state: the service, its rooms, their occupants and
 * affiliations, and the only functions that change them.
 *
 * Room state has one writer, the state module this header declares:
 * room.c (the service, rooms, their configuration, subject, lock and
 * lifetime), occupant.c (occupants, their sessions, roles and presence
 * payloads, and the note of which rooms' counts changed) and affiliation.c
 * (affiliations and reserved nicks, and who ranks as owner).  room.c uses
 * the other two, never the reverse.  Handlers read the structs freely but
 * change them only through these functions, and only room.c and
 * affiliation.c call the store for rooms.
 *
 * A room in memory owns its occupants (a list in join order, indexed by
 * nick and by real full JID) and its affiliation list (indexed by bare JID
 * and by reserved nick), so every lookup on the message path is O(1) and
 * none touches the database.  Persistent rooms are loaded from the store on
 * first use; configuration, subject and affiliation changes are written
 * through.
 *
 * Lifetime: a room is freed in one place, service_release(), which
 * muc_handle() and muc_tick() call once a stanza or a tick is fully
 * handled.  It frees the room the stanza addressed when nothing holds it
 * any more (no occupants, and nothing the store lacks), and every room
 * retired meanwhile.  Destroying a room (room_retire()) takes it out of
 * the service at once, so no later lookup finds it, but its memory stays
 * valid until service_release(): no handler sees a room vanish under it.
 */
#ifndef ROOM_H
#define ROOM_H

#include <stdint.h>
#include <time.h>

#include "hash.h"
#include "limits.h"
#include "muc.h"
#include "noteset.h"
#include "occid.h"
#include "roomconfig.h"

struct store;
struct history;
struct confusable;
struct archive;
struct room_hats;

struct muc_service {
	xmpp_ctx_t		*ctx;
	char			*domain;
	char			*name;		/* disco name */
	char			**admins;	/* prepared bare JIDs */
	size_t			 nadmins;
	struct store		*st;
	const struct muc_logger	*log;
	struct hmap		 rooms;		/* name -> struct room */
	struct room		*retired;	/* destroyed, freed at release */
	struct confusable	*confusable;	/* look-alike nicks (ICU) */
	time_t			(*now)(void);
	char			**counted;	/* rooms whose occupant count */
	size_t			 ncounted, capcounted;	/* changed since the last tick */
	struct limits		 limits;	/* rate limits (limits.c) */
	unsigned		 page_default, page_max;	/* disco#items */
	/* The occupants snapshot (snapshot.c): what changed since it was
	 * last written, noted by the state module: occupants as
	 * "room/nick", and rooms (whose temporary-room row may change). */
	struct noteset		 snap_occupants, snap_rooms;
	time_t			 snap_last;	/* last written */
	unsigned		 snap_interval;
	int			 shutdown_notice;
	/* Checking clients after a restore or a reconnect (verify.c):
	 * "room/full JID" strings waiting their turn, the pings waiting for
	 * an answer (by id), and the occupants of vanished rooms still to
	 * be told (occupant JID, real JID pairs). */
	char			**vqueue;
	size_t			 vqhead, vqlen, vqcap;
	struct hmap		 pings;		/* id -> struct ping_wait */
	char			**farewell;
	size_t			 nfarewell, capfarewell;
	unsigned		 verify_per_tick, verify_timeout, ping_seq;
	int			 online;	/* the host link, muc_host_online() */
	size_t			 crowded;	/* occupants above which a room
						 * is crowded; 0: never */
	size_t			 noccupants;	/* every room's, for muc_stats() */
	size_t			 nsessions;
	uint64_t		 errors[MUC_STATS_CONDITIONS];	/* reply.c */
	uint64_t		 limit_hits;
	struct archive		*archive;	/* archive.c */
	/* Who may create rooms (room_creation_refusal()) and the largest
	 * room vCard (vcard.c). */
	int			 room_creation;	/* MUC_CREATE_... */
	char			**local_domains;	/* prepared */
	size_t			 nlocal_domains;
	unsigned		 max_rooms_per_user;	/* 0: no limit */
	size_t			 vcard_max;
	/* XEP-0421: the secret occupant-ids are made with (occid.h). */
	unsigned char		 occid_key[OCCID_KEY_LEN];
	char			*version;	/* XEP-0092; NULL: none said */
};

/* A client being checked (verify.c): pinged from its room, answered by
 * deadline or taken for gone. */
struct ping_wait {
	char	*id;		/* the key of svc->pings */
	char	*room;		/* room name */
	char	*jid;		/* the client's full JID */
	time_t	 deadline;
};

struct session {
	char		*jid;	/* real full JID */
	unsigned	 seq;	/* names it to others without its JID */
};

/* One nick in the room.  A user may be in it from several clients at once
 * under the same nick (sessions): everything for the occupant goes to all
 * of them (occupant_send_to); an iq, which wants one answer, to the latest. */
struct occupant {
	struct room		*room;
	char			*nick;		/* prepared resourcepart */
	char			*jid;		/* latest session's JID */
	struct session		*sessions;	/* real full JIDs, owned */
	size_t			 nsessions, capsessions;
	unsigned		 next_seq;	/* numbers sessions (proxy.c) */
	char			*bare;		/* real bare JID */
	char			*occ_jid;	/* room@service/nick */
	/* XEP-0421, made once when it enters (occid_make()): every copy
	 * of its presence and messages carries it. */
	char			 occupant_id[OCCID_LEN];
	char			*skeleton[2];	/* keys of nick, or NULL (confusable.c) */
	enum muc_role		 role;
	int			 voice_requested;	/* voice.c */
	time_t			 joined;	/* when it entered */
	struct limit_bucket	 msgs, presences;	/* limits.c's alone */
	/* The occupant's own presence payload (show, status, caps, ...),
	 * as a <presence/> without attributes; NULL when empty. */
	xmpp_stanza_t		*payload;
	struct occupant		*prev, *next;	/* join order */
};

struct affiliation {
	char			*jid;		/* prepared bare JID */
	enum muc_affiliation	 aff;
	char			*nick;		/* reserved nick or NULL */
	char			*skeleton[2];	/* keys of nick, or NULL */
	char			*reason;	/* never NULL */
};

struct room {
	struct muc_service	*svc;
	char			*name;		/* localpart */
	char			*jid;		/* name@domain */
	int64_t			 id;		/* store row, 0 when not stored */
	struct room_config	 cfg;
	int			 locked;	/* new, awaiting configuration */
	int			 retired;	/* destroyed; see room_retire() */
	char			*subject;	/* "" when none */
	char			*subject_nick;	/* "" when set by the room */
	time_t			 subject_time;	/* last set or cleared; 0: never */
	struct hmap		 by_nick;	/* nick -> occupant */
	struct hmap		 by_jid;	/* full JID -> occupant */
	struct occupant		*head, *tail;
	size_t			 noccupants;
	struct hmap		 by_skeleton;	/* nick key -> occupant */
	struct hmap		 affs;		/* bare JID -> affiliation */
	struct hmap		 reserved;	/* nick -> affiliation */
	struct hmap		 reserved_skeleton; /* nick key -> affiliation */
	struct history		*history;	/* through archive_history() */
	int			 history_loaded; /* holds what joiners get */
	int			 archive_dirty;	/* new rows since the expiry */
	int			 counted;	/* listed in svc->counted */
	int			 touched;	/* used since the last tick */
	time_t			 last_active;	/* last message or join */
	char			*creator;	/* bare JID whose join created
						 * it; NULL: unknown */
	/* The room's vCard (XEP-0486) as the owner sent it, serialised,
	 * and its avatar hashes, space-separated ("" for none); both NULL
	 * when it has none. */
	char			*vcard;
	char			*avatar_hash;
	struct room_hats	*hats;		/* XEP-0317 (hats.c), or NULL */
	struct room		*next_retired;
};

/*
 * The service (room.c).
 */
/* Free what the stanza just handled let go of: room `name` (may be NULL)
 * if nothing holds it any more, and every retired room.  Only muc_handle()
 * and muc_tick() call it, once their work is done. */
void	service_release(struct muc_service *svc, const char *name);
/* One page of the public rooms, stored and memory-only ones merged, in
 * name order (strcmp, as the store's index).  The rooms after `bound`
 * (NULL: from the first), or with backward the ones just before it
 * (NULL: the last ones); max of them at most.  Locked and hidden rooms
 * are never listed. */
struct room_page_item {
	char	*name;
	char	*title;		/* the room's name when it has none */
};
struct room_page {
	struct room_page_item	*item;		/* ascending */
	size_t			 n;
	size_t			 count;		/* public rooms in all */
};
int	service_public_page(struct muc_service *svc, const char *bound,
	    int backward, size_t max, struct room_page *OUT);
void	room_page_free(struct room_page *p);
/* The same for the service's admins: every room, hidden and locked ones
 * too, forward from after (NULL: the first), count all the rooms. */
int	service_rooms_page(struct muc_service *svc, const char *after,
	    size_t max, struct room_page *OUT);
/* Write the occupant counts of rooms that changed to the store. */
int	service_counts_flush(struct muc_service *svc);
/* Rooms whose rows another connection (an operator) wrote since the last
 * call: fn(ud, name) for each, maybe more than once (store_changes()). */
int	service_changed_rooms(struct muc_service *svc,
	    int (*fn)(void *ud, const char *name), void *ud);
/* After operators' changes: drop destroy reasons nobody will read. */
int	service_forget_destroy_reasons(struct muc_service *svc);

/*
 * Rooms (room.c).
 */
/* Find room name (prepared localpart) in memory or in the store.  With
 * create set, a missing room is made (locked, not stored).  *OUT is NULL
 * when there is no such room.  Returns MUC_OK or an error. */
int	room_get(struct muc_service *svc, const char *name, int create,
	    struct room **OUT);
/* room_get() without creating, as user bare sees it: *OUT is NULL when
 * the room does not exist or is a new room still locked to all but its
 * owners (10.1.1).  Returns MUC_OK or an error. */
int	room_get_for(struct muc_service *svc, const char *name,
	    const char *bare, struct room **OUT);
/* May bare create a new room?  *OUT_why is NULL when it may, else the
 * reason, for a not-allowed refusal: the service's room_creation policy
 * or max_rooms_per_user (admins are never refused).  Returns MUC_OK or
 * an error. */
int	room_creation_refusal(struct muc_service *svc, const char *bare,
	    const char **OUT_why);
/* Record who created the room (the join that made it); stored with the
 * room's row when it becomes persistent. */
int	room_set_creator(struct room *room, const char *bare);
/* Replace the room's vCard (copies; xml NULL removes it), written
 * through for a stored room; memory only for a temporary one.  On a
 * store failure nothing changes. */
int	room_set_vcard(struct room *room, const char *xml, const char *hash);
/* Destroy the room: remove every occupant silently (announce first, see
 * room_destroy_announce()), delete it from the store with purge, and take
 * it out of the service.  Its memory lives until service_release(). */
int	room_retire(struct room *room, int purge);
/* Exchange the room's configuration with *cfg, so *cfg holds the old one,
 * and with save write it through (a room that stops being persistent
 * leaves the store, one that becomes persistent enters it with its
 * subject and affiliations).  On a store failure nothing changes. */
int	room_swap_config(struct room *room, struct room_config *cfg, int save);
/* The first configuration is done (or an operator's row says so). */
void	room_unlock(struct room *room);
/* Set the subject (copies the strings), written through with store. */
int	room_set_subject(struct room *room, const char *subject,
	    const char *nick, time_t when, int store);
/* The room was used (a message, a join) at `when`: written to the store
 * with the next tick, for operators looking for unused rooms. */
void	room_touch(struct room *room, time_t when);
/* An operator's reason and alternate venue for destroying the room, if
 * the operator left one (destroy_reasons); both malloc'd or NULL. */
int	room_read_destroy_reason(const struct room *room, char **OUT_reason,
	    char **OUT_alternate);
/* The room's store row appeared (an operator inserted it) or vanished. */
void	room_set_row(struct room *room, int64_t id);
/* What the store holds for the room now, for comparing with memory
 * (reload.c): as store_room_load(), and its affiliation rows. */
int	room_read_stored(const struct room *room, int64_t *OUT_id,
	    struct room_config *cfg, char **OUT_subject, char **OUT_nick,
	    int64_t *OUT_time);
int	room_read_stored_affiliations(const struct room *room, int64_t id,
	    int (*fn)(void *ud, const char *jid, enum muc_affiliation aff,
	    const char *nick, const char *reason), void *ud);
/* Queue stanza (stolen; it must carry no `to`) to every occupant, as one
 * broadcast: built once, addressed N times. */
int	room_broadcast(struct room *room, xmpp_stanza_t *stanza,
	    struct muc_out *out);
/* Why bare may not use nick (prepared) in the room, as a sentence for
 * the user, or NULL when it may: another user is in the room under it or
 * has reserved it, or, in a room that refuses confusable nicks, under or
 * with one that looks the same (case-folded UTS #39 skeletons). */
const char *room_nick_taken(const struct room *room, const char *nick,
	    const char *bare);
/* How many owners the room has (service admins not counted). */
size_t	room_owner_count(const struct room *room);
/* Has the room more occupants than the service's crowded setting?  Then
 * participants' presence goes to moderators only (presence.c). */
int	room_is_crowded(const struct room *room);
/* Who may see occupants' real JIDs. */
int	room_can_see_jids(const struct room *room, const struct occupant *viewer);

/*
 * Occupants (occupant.c).
 */
/* Note that the room's occupant count (or activity) changed, for the next
 * muc_tick() to write (service_counts_flush() in room.c). */
void	room_count_changed(struct room *room);
struct occupant *occupant_by_nick(const struct room *room, const char *nick);
struct occupant *occupant_by_jid(const struct room *room, const char *jid);
/* Add an occupant; the room owns it.  Returns NULL on allocation failure. */
struct occupant *occupant_add(struct room *room, const char *nick,
	    const char *jid, enum muc_role role);
/* Remove and free occ (the caller has told whoever needed telling). */
void	occupant_remove(struct occupant *occ);
/* Another client of the same user under the same nick; the session that
 * leaves; both keep the JID index in step.  remove returns the number of
 * sessions left (0: jid was not one). */
int	occupant_add_session(struct occupant *occ, const char *jid);
size_t	occupant_remove_session(struct occupant *occ, const char *jid);
/* Add every session of occ as recipient of the broadcast being built. */
int	occupant_send_to(struct muc_out *out, const struct occupant *occ);
int	occupant_set_nick(struct occupant *occ, const char *nick);
/* Keep a copy of presence's payload: its children but the join request,
 * errors and what only the room may say (hygiene.c).  Returns MUC_OK or
 * MUC_ENOMEM (payload unchanged). */
int	occupant_set_payload(struct occupant *occ, xmpp_stanza_t *presence);
/* Keep only the parting <status/> of presence (may be NULL) as payload:
 * what the room shows of an occupant who leaves. */
int	occupant_keep_status(struct occupant *occ, xmpp_stanza_t *presence);
/* A role change decides any pending voice request. */
void	occupant_set_role(struct occupant *occ, enum muc_role role);
void	occupant_set_voice_requested(struct occupant *occ, int on);

/*
 * Affiliations (affiliation.c).  The service's admins rank as owners
 * everywhere.
 */
int	service_is_admin(const struct muc_service *svc, const char *bare);
enum muc_affiliation affiliation_of(const struct room *room, const char *bare);
struct affiliation *affiliation_get(const struct room *room, const char *bare);
struct affiliation *affiliation_by_nick(const struct room *room,
	    const char *nick);
/* Set bare's affiliation (with nick and reason, either may be NULL) in
 * the store (stored rooms only) and then in memory. */
int	affiliation_set(struct room *room, const char *bare,
	    enum muc_affiliation aff, const char *nick, const char *reason);
/* One change of a batch. */
struct aff_change {
	const char		*bare;
	enum muc_affiliation	 aff;
	const char		*nick;		/* may be NULL */
	const char		*reason;	/* may be NULL */
};
/* Store every change of a batch in one transaction, all or nothing; the
 * caller then applies each with affiliation_apply() (and its effects). */
int	affiliation_store_all(struct room *room, const struct aff_change *c,
	    size_t n);
/* Change the affiliation in memory only: after affiliation_store_all(),
 * or for a row an operator already wrote. */
int	affiliation_apply(struct room *room, const char *bare,
	    enum muc_affiliation aff, const char *nick, const char *reason);
/* Load the room's stored affiliations into memory (room_get()). */
int	affiliation_load(struct room *room);
/* Free every affiliation of the room (the room is being freed). */
void	affiliation_free_all(struct room *room);
/* Store every affiliation of a room that just became persistent, inside
 * the caller's transaction. */
int	affiliation_store_every(struct room *room);

/*
 * The occupants snapshot (snapshot.c): the occupants and temporary rooms
 * tables, written behind and read at start.
 */
/* Write what was noted since the last write, at most every
 * snap_interval seconds, in one transaction (muc_tick()). */
int	snapshot_tick(struct muc_service *svc);
/* Rewrite every occupant and temporary room (a clean shutdown). */
int	snapshot_write_all(struct muc_service *svc);
/* Forget every stored occupant (the 332 shutdown: nobody is kept). */
int	snapshot_forget_all(struct muc_service *svc);
/* Put back what the store kept, silently; those who cannot be put back
 * wait in svc->farewell to be told (muc_restore()). */
int	snapshot_restore(struct muc_service *svc);

#endif /* ROOM_H */
