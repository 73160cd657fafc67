/*
 * probe.c - presence probes to the room and to its occupants.
 *
 * XEP-0045 17 lets a service answer probes, and Prosody does: a probe from
 * an occupant to an occupant JID is answered with that occupant's current
 * presence as the prober may see it (the real JID only where the room
 * shows it to the prober); a probe to the room JID, with the prober's own
 * occupant presence.  A reserved nick of a member who is away, in a room
 * that shows absent members, is answered with its unavailable presence.
 * Anyone else, or a nick nobody holds, gets an error.  A probe is never a
 * join or a leave.
 */
#include <string.h>

#include "handlers.h"
#include "presence.h"

int
probe_handle(struct req *r)
{
	struct room	*room;
	struct occupant	*prober, *target;
	const char	*nick = r->to_jid->resource;
	int		 rc;

	if ((rc = room_get_for(r->svc, r->to_jid->node, r->from_bare,
	    &room)) != MUC_OK)
		return rc;
	if (room == NULL)
		return req_no_room(r);
	if ((prober = occupant_by_jid(room, r->from)) == NULL)
		return req_error(r, "cancel", "not-acceptable",
		    "You are not currently connected to this chat");
	if (nick == NULL)
		return presence_send_one(room, prober, prober, r->from, r->out);
	if ((target = occupant_by_nick(room, nick)) != NULL &&
	    (target == prober || presence_is_broadcast(room, target->role)))
		return presence_send_one(room, target, prober, r->from, r->out);
	if (target == NULL && presence_is_broadcast(room, ROLE_NONE) &&
	    affiliation_by_nick(room, nick) != NULL &&
	    affiliation_by_nick(room, nick)->aff >= AFF_MEMBER)
		return presence_send_offline_one(room, prober, nick, r->from,
		    r->out);
	return req_error(r, "cancel", "item-not-found", "Recipient not in room");
}
