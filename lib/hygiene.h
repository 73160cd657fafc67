/*
 * hygiene.h - what only the room may say, removed from what occupants send.
 *
 * The room is the only authority for what it stamps on the stanzas it
 * relays: the muc#user <x/> (status codes, items with real JIDs),
 * delays (XEP-0203 and the legacy jabber:x:delay), its stable ids
 * (XEP-0359 stanza-id by the room or the service), occupant ids
 * (XEP-0421), hats (XEP-0317), extended addressing (XEP-0033) and
 * moderation or retraction tombstones in its name (XEP-0425, 0424).
 * Every relay path (groupchat, private message, presence, nick and status
 * changes, and with them history; iqs through the proxy) builds its copy
 * with hygiene_copy() or filters children with hygiene_forged(), so a
 * client's claim never reaches anyone.  The room then adds its own.
 */
#ifndef HYGIENE_H
#define HYGIENE_H

#include <strophe.h>

/* Where a stanza is going; presence drops a little more. */
enum hygiene_path {
	HYGIENE_MESSAGE,	/* groupchat and private messages */
	HYGIENE_PRESENCE,	/* presence payloads kept and rebroadcast */
	HYGIENE_IQ,		/* iqs forwarded between occupants */
};

/* Is child, a direct child of a stanza an occupant sent, something the
 * room must not relay?  domain is the service's: stanza-ids claimed by
 * it or any of its rooms go. */
int		 hygiene_forged(xmpp_stanza_t *child, const char *domain,
		    enum hygiene_path path);
/* A copy of in to relay: same name and attributes, except `to` (dropped),
 * `from` (set to from) and, if type is not NULL, `type`; xml:lang kept
 * under its real name (libstrophe reads it as "lang"); every child that
 * hygiene_forged() refuses left out.  Returns the copy (refcount 1), or
 * NULL on allocation failure. */
xmpp_stanza_t	*hygiene_copy(xmpp_stanza_t *in, const char *from,
		    const char *type, const char *domain,
		    enum hygiene_path path);

#endif /* HYGIENE_H */
