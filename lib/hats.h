/*
 * hats.h - XEP-0317 hats of a room: the hats it defines and who wears
 * which, part of the state module (room.h) with hats.c its one writer.
 *
 * A room's hats live in room->hats (NULL until it has any), are loaded
 * with the room and written through to the store for a stored room
 * (store_rooms.c); a temporary room's live in memory only.  A hat is
 * worn by a bare JID, from every client, and shown in the presence of
 * that user's occupant (presence.c).  Rooms have few hats: lookups scan.
 */
#ifndef HATS_H
#define HATS_H

#include "build.h"
#include "room.h"

struct hat {
	char	*uri;
	char	*title;
	char	*hue;		/* as given, or NULL */
};

struct hat_worn {
	char	*jid;		/* prepared bare JID */
	char	*uri;
};

struct room_hats {
	struct hat	*hat;		/* in definition order */
	size_t		 nhat, caphat;
	struct hat_worn	*worn;
	size_t		 nworn, capworn;
};

/* Load the stored room's hats (room_load()); free them (room_free()). */
int	hats_load(struct room *room);
void	hats_free(struct room *room);
/* Store every hat of a room that just became persistent, inside the
 * caller's transaction. */
int	hats_store_every(struct room *room);
/* The hat uri of the room, or NULL. */
const struct hat *hat_find(const struct room *room, const char *uri);
/* Define hat uri (or change its title and hue; hue may be NULL). */
int	hat_define(struct room *room, const char *uri, const char *title,
	    const char *hue);
/* Destroy hat uri, taking it off everyone. */
int	hat_destroy(struct room *room, const char *uri);
/* Does bare wear hat uri?  Put it on (on 1) or take it off (on 0). */
int	hat_worn(const struct room *room, const char *bare, const char *uri);
int	hat_wear(struct room *room, const char *bare, const char *uri, int on);
/* The room's hats#hash for muc#roominfo (XEP-0317 2: "left to the
 * implementer"): 16 hex digits that change whenever a hat is created,
 * changed or destroyed, whatever the order; 0 when the room has none. */
int	hats_hash(const struct room *room, char buf[17]);
/* <hats xmlns='urn:xmpp:hats:0'> with bare's hats under parent, when
 * bare wears any. */
void	hats_presence(struct build *b, xmpp_stanza_t *parent,
	    const struct room *room, const char *bare);

#endif /* HATS_H */
