/*
 * nick.c - changing nickname in the room (XEP-0045 7.6).
 *
 * The old nick goes unavailable with status 303 and the new nick in the
 * item, then the occupant's presence appears under the new nick.  The same
 * rules as on entry keep a nick from being taken twice or from its owner.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "presence.h"

int
nick_handle(struct req *r, struct room *room, struct occupant *occ,
    const char *nick_in)
{
	static const int	 code303[] = { 303 };
	struct pres_extra	 px;
	const char		*why;
	char			*nick;
	int			 rc;

	if ((nick = jid_nick_check(nick_in, &why)) == NULL)
		return why == NULL ? MUC_ENOMEM :
		    req_error(r, "modify", "jid-malformed", why);
	/* Any occupant under the nick, even the same user's other one: two
	 * occupants never share a nick. */
	if ((why = room_nick_taken(room, nick, occ->bare)) != NULL ||
	    occupant_by_nick(room, nick) != NULL) {
		free(nick);
		return req_error(r, "cancel", "conflict", why != NULL ? why :
		    "That nickname is already in use");
	}
	memset(&px, 0, sizeof(px));
	px.codes = code303;
	px.ncodes = 1;
	px.new_nick = nick;
	px.unavailable = 1;
	px.prev_role = occ->role;
	if ((rc = presence_broadcast(room, occ, &px, r->out)) == MUC_OK &&
	    (rc = occupant_set_nick(occ, nick)) == MUC_OK &&
	    (rc = occupant_set_payload(occ, r->in)) == MUC_OK) {
		memset(&px, 0, sizeof(px));
		rc = presence_broadcast(room, occ, &px, r->out);
	}
	free(nick);
	return rc;
}
