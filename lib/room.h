/*
 * room.h - the service, its rooms, their occupants and affiliations.
 *
 * A room in memory owns its occupants (a list in join order, indexed by
 * nick and by real full JID) and its affiliation list (indexed by bare JID
 * and by reserved nick), so every lookup on the message path is O(1) and no
 * lookup touches the database.  Persistent rooms are loaded from the store
 * on first use; room_save() and affiliation_set() write through.
 */
#ifndef ROOM_H
#define ROOM_H

#include <stdint.h>
#include <time.h>

#include "hash.h"
#include "muc.h"
#include "roomconfig.h"

struct store;
struct history;

struct muc_service {
	xmpp_ctx_t		*ctx;
	char			*domain;
	char			*name;		/* disco name */
	char			**admins;	/* prepared bare JIDs */
	size_t			 nadmins;
	struct store		*st;
	const struct muc_logger	*log;
	struct hmap		 rooms;		/* name -> struct room */
	time_t			(*now)(void);
	char			**counted;	/* rooms whose occupant count */
	size_t			 ncounted, capcounted;	/* changed since the last tick */
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
	size_t			 nsessions;
	unsigned		 next_seq;	/* numbers sessions (proxy.c) */
	char			*bare;		/* real bare JID */
	char			*occ_jid;	/* room@service/nick */
	enum muc_role		 role;
	int			 voice_requested;	/* voice.c */
	/* The occupant's own presence payload (show, status, caps, ...),
	 * as a <presence/> without attributes; NULL when empty. */
	xmpp_stanza_t		*payload;
	struct occupant		*prev, *next;	/* join order */
};

struct affiliation {
	char			*jid;		/* prepared bare JID */
	enum muc_affiliation	 aff;
	char			*nick;		/* reserved nick or NULL */
	char			*reason;	/* never NULL */
};

struct room {
	struct muc_service	*svc;
	char			*name;		/* localpart */
	char			*jid;		/* name@domain */
	int64_t			 id;		/* store row, 0 when not stored */
	struct room_config	 cfg;
	int			 locked;	/* new, awaiting configuration */
	char			*subject;	/* "" when none */
	char			*subject_nick;	/* "" when set by the room */
	time_t			 subject_time;	/* last set or cleared; 0: never */
	struct hmap		 by_nick;	/* nick -> occupant */
	struct hmap		 by_jid;	/* full JID -> occupant */
	struct occupant		*head, *tail;
	size_t			 noccupants;
	struct hmap		 affs;		/* bare JID -> affiliation */
	struct hmap		 reserved;	/* nick -> affiliation */
	struct history		*history;
	int			 counted;	/* listed in svc->counted */
};

/* Find room name (prepared localpart) in memory or in the store.  With
 * create set, a missing room is made (locked, not stored).  *OUT is NULL
 * when there is no such room.  Returns MUC_OK or an error. */
int	room_get(struct muc_service *svc, const char *name, int create,
	    struct room **OUT);
/* Forget the room: free it and, with purge, delete it from the store. */
int	room_destroy(struct room *room, int purge);
/* Frees a non-persistent empty room, unloads an empty persistent one that
 * holds nothing the store lacks.  Only muc_handle() calls it, once a stanza
 * is fully handled, so no handler sees its room vanish underneath it. */
void	room_release_if_unused(struct room *room);
/* Write the room's configuration through to the store: insert or update a
 * persistent room, delete one that stopped being persistent. */
int	room_save(struct room *room);

/* Queue stanza (stolen; it must carry no `to`) to every occupant, as one
 * broadcast: built once, addressed N times. */
int	room_broadcast(struct room *room, xmpp_stanza_t *stanza,
	    struct muc_out *out);
/* Write the occupant counts of rooms that changed to the store. */
int	room_counts_flush(struct muc_service *svc);

/* Occupants. */
struct occupant *occupant_by_nick(const struct room *room, const char *nick);
struct occupant *occupant_by_jid(const struct room *room, const char *jid);
/* Add an occupant; the room owns it.  Returns NULL on allocation failure. */
struct occupant *occupant_add(struct room *room, const char *nick,
	    const char *jid, enum muc_role role);
void	occupant_remove(struct occupant *occ);
/* Another client of the same user under the same nick; the session that
 * leaves; both keep the JID index in step.  remove returns the number of
 * sessions left (0: jid was not one). */
int	occupant_add_session(struct occupant *occ, const char *jid);
size_t	occupant_remove_session(struct occupant *occ, const char *jid);
/* Add every session of occ as recipient of the broadcast being built. */
int	occupant_send_to(struct muc_out *out, const struct occupant *occ);
int	occupant_set_nick(struct occupant *occ, const char *nick);
/* Keep a copy of presence's payload (children except MUC ones). */
int	occupant_set_payload(struct occupant *occ, xmpp_stanza_t *presence);

/* Affiliations.  The service's admins rank as owners everywhere. */
enum muc_affiliation affiliation_of(const struct room *room, const char *bare);
struct affiliation *affiliation_get(const struct room *room, const char *bare);
struct affiliation *affiliation_by_nick(const struct room *room,
	    const char *nick);
/* Set bare's affiliation (with nick and reason, either may be NULL) in
 * the store (stored rooms only) and then in memory.  A batch that must be
 * all-or-nothing stores every change inside store_begin/commit with
 * affiliation_store(), then applies them with affiliation_apply(). */
int	affiliation_set(struct room *room, const char *bare,
	    enum muc_affiliation aff, const char *nick, const char *reason);
int	affiliation_store(struct room *room, const char *bare,
	    enum muc_affiliation aff, const char *nick, const char *reason);
int	affiliation_apply(struct room *room, const char *bare,
	    enum muc_affiliation aff, const char *nick, const char *reason);
/* How many owners the room has (service admins not counted). */
size_t	room_owner_count(const struct room *room);
int	service_is_admin(const struct muc_service *svc, const char *bare);

/* Who may see occupants' real JIDs. */
int	room_can_see_jids(const struct room *room, const struct occupant *viewer);

#endif /* ROOM_H */
