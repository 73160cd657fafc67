/*
 * handlers.h - the handlers service.c routes stanzas to, one file each.
 *
 * Only service.c includes this header: handlers never call each other.
 * What several of them do alike is in action.c; what they change goes
 * through the state module (room.h).
 */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "request.h"

/* Presence to room/nick (service.c routes by the sender's state). */
int	join_handle(struct req *r, const char *nick);		/* join.c */
/* A join presence for the nick the sender holds: it is resynchronising
 * (a stream resumed, a reconnect, a lost roster) and gets the join
 * sequence again (join.c). */
int	join_resync_handle(struct req *r, struct room *room,
	    struct occupant *occ);
/* A presence probe to the room or an occupant (probe.c). */
int	probe_handle(struct req *r);
int	leave_handle(struct req *r, struct room *room,		/* leave.c */
	    struct occupant *occ);
int	nick_handle(struct req *r, struct room *room,		/* nick.c */
	    struct occupant *occ, const char *nick);
/* An error bounced by an occupant's client: ghost removal (leave.c). */
int	ghost_handle(struct req *r);

/* Messages to the room or to an occupant. */
int	groupchat_handle(struct req *r, struct room *room);	/* message.c */
int	private_handle(struct req *r, struct room *room);	/* message.c */
int	invite_handle(struct req *r, struct room *room,		/* invite.c */
	    xmpp_stanza_t *x);
int	voice_handle(struct req *r, struct room *room,		/* voice.c */
	    xmpp_stanza_t *x);

/* Iqs: to the service, to a room by payload namespace, to an occupant. */
int	version_handle(struct req *r);				/* version.c */
int	unique_handle(struct req *r);				/* unique.c */
int	service_iq_handle(struct req *r);			/* disco.c */
int	disco_room_handle(struct req *r, struct room *room,	/* disco.c */
	    xmpp_stanza_t *q);
int	owner_handle(struct req *r, struct room *room,		/* owner.c */
	    xmpp_stanza_t *q);
int	admin_handle(struct req *r, struct room *room,		/* admin.c */
	    xmpp_stanza_t *q);
int	register_handle(struct req *r, struct room *room,	/* register.c */
	    xmpp_stanza_t *q);
int	mam_handle(struct req *r, struct room *room,		/* mam.c */
	    xmpp_stanza_t *q);
int	moderate_handle(struct req *r, struct room *room,	/* moderate.c */
	    xmpp_stanza_t *q);
/* The room's own vCard and avatar (XEP-0486). */
int	vcard_handle(struct req *r, struct room *room,		/* vcard.c */
	    xmpp_stanza_t *q);
int	proxy_handle(struct req *r);				/* proxy.c */
/* XEP-0050 (adhoc.c): is iq payload q a command, or disco on the
 * commands node or on a command's node of the service (room 0) or of a
 * room (room 1)?  Answer it (room NULL: to the service JID). */
int	adhoc_wants(xmpp_stanza_t *q, int room);
int	adhoc_handle(struct req *r, struct room *room, xmpp_stanza_t *q);

/* Operator changes to the database, for muc_tick() (reload.c). */
int	reload_changed_rooms(struct muc_service *svc, struct muc_out *out);

/* Checking clients after a restore or a reconnect (verify.c): the link
 * to the host came up (every client gets a ping, spread over the ticks)
 * or went down; the ticks' pings and farewells; a ping's answer (a
 * result or an error addressed to a room). */
void	verify_online(struct muc_service *svc, int online);
int	verify_tick(struct muc_service *svc, struct muc_out *out);
int	verify_answer_handle(struct req *r);

#endif /* HANDLERS_H */
