/*
 * occid.h - the room's XEP-0421 occupant-ids.
 *
 * An occupant-id is HMAC-SHA-256 over "room JID" 0x00 "real bare JID"
 * (both prepared), keyed with the service's secret (32 random bytes
 * made once in the database, archive_state.occupant_key), cut to its
 * first 18 bytes and written in base64url without padding: 24
 * characters.  So it is the same for one user in one room across nick
 * changes, leaving and coming back, and restarts; unrelated between
 * rooms; and no JID can be had from it without the secret (XEP-0421
 * section 4.1).  The 0x00 between them, which no JID contains, keeps
 * one (room, user) pair from hashing as another whose strings happen
 * to join into the same bytes.
 *
 * Occupants get theirs once, when they enter or are restored
 * (occupant.c caches it in struct occupant), so the fan-out copies a
 * string; the archive's old rows, kept before mucd made ids, get one
 * from their sender column when read (archive.c, mam.c).
 */
#ifndef OCCID_H
#define OCCID_H

#include <strophe.h>

#define OCCID_KEY_LEN	32	/* the service's secret */
#define OCCID_LEN	25	/* 24 base64url characters and the NUL */

/* The occupant-id of real bare JID `bare` in room room_jid.  bare is
 * prepared here (a JID that does not prepare is taken as it is). */
void	occid_make(const unsigned char key[OCCID_KEY_LEN],
	    const char *room_jid, const char *bare, char out[OCCID_LEN]);
/* Append <occupant-id xmlns='urn:xmpp:occupant-id:0' id=id/> to s.
 * Returns MUC_OK or MUC_ENOMEM (s unchanged). */
int	occid_add(xmpp_stanza_t *s, const char *id);
/* Has s an <occupant-id/> child? */
int	occid_has(xmpp_stanza_t *s);

#endif /* OCCID_H */
