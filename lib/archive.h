/*
 * archive.h - what the room remembers: stable ids (XEP-0359), its history
 * and its message archive (XEP-0313), and retractions (XEP-0424, 0425).
 *
 * The state module of the archive, beside room.c: it alone calls the
 * store's archive (store.h) and changes a room's history.  Every
 * groupchat message a room relays gets a stanza-id (archive_stamp()); the
 * ones it keeps (archive_wants()) go to its history and, when the room
 * archives, to the archive (archive_keep()), as an append to a queue that
 * muc_tick() hands to the store's writer.  A room that archives serves
 * joiners from its history, a cache of the archive's newest messages
 * loaded on first use (archive_history()), so its history survives a
 * restart and the room may leave memory when empty.
 */
#ifndef ARCHIVE_H
#define ARCHIVE_H

#include "history.h"
#include "room.h"
#include "sid.h"
#include "store.h"

/* Service-wide state (muc_service_new() and muc_service_free()): the
 * stanza-id key, the numbers reserved, the queue, the settings. */
int	archive_new(struct muc_service *svc,
	    const struct muc_service_config *cfg);
/* Hand what is queued to the store (which writes it before it closes)
 * and free the state. */
void	archive_free(struct muc_service *svc);
/* The archiving option a new room starts with (the service default). */
int	archive_by_default(const struct muc_service *svc);

/* Does the room keep an archive now: the option on, and the room stored
 * (only a persistent room has a row for the archive to belong to)? */
int	archive_enabled(const struct room *room);
/* Is the message in (as an occupant sent it) one the room keeps: a body
 * or a thread, or a <store/> hint, and no <no-store/> or
 * <no-permanent-store/> hint (XEP-0334)? */
int	archive_wants(xmpp_stanza_t *in);
/* Give msg, about to be relayed, the room's stanza-id.  *OUT_seq is its
 * number (0 when none could be reserved: then msg has no stanza-id) and
 * sid its text. */
int	archive_stamp(struct room *room, xmpp_stanza_t *msg, int64_t *OUT_seq,
	    char sid[SID_LEN]);
/* Keep stamped msg (number seq, from nick and real bare JID sender, both
 * "" for the room itself) in the history and, if the room archives, the
 * archive. */
int	archive_keep(struct room *room, xmpp_stanza_t *msg, int64_t seq,
	    const char *sid, const char *nick, const char *sender, time_t when);
/* The room's history, loaded from the archive first if it is not. */
int	archive_history(struct room *room, struct history **OUT);
/* The history no longer matches the archive (an operator deleted rows,
 * the history grew): load it again on next use. */
void	archive_history_stale(struct room *room);
/* The room's row is about to be deleted: drop its queued messages and
 * wait for the writer, so that nothing of it outlives it. */
void	archive_room_gone(struct room *room);
/* The room was just stored: its history is its own, not the (empty)
 * archive's. */
void	archive_room_stored(struct room *room);

/* A kept message found by its stanza-id. */
struct archived {
	int64_t		 seq;
	char		*nick;		/* malloc'd; "" for the room */
	char		*sender;	/* malloc'd; "" for the room */
	xmpp_stanza_t	*msg;		/* a reference, without delay */
	int		 retracted;	/* already a tombstone */
	int		 stored;	/* in the archive, not only history */
};
/* Find the room's kept message with stanza-id sid.  *found 0 when it
 * keeps none (anymore).  On success with *found, free *OUT with
 * archived_free(). */
int	archive_find(struct room *room, const char *sid, struct archived *OUT,
	    int *found);
void	archived_free(struct archived *a);

/* A retraction to apply (XEP-0424 tombstone, with XEP-0425's
 * <moderated/> when a moderator did it). */
struct retraction {
	const char	*id;		/* the retraction message's id */
	const char	*by;		/* occupant JID of who retracted */
	const char	*reason;	/* or NULL */
	int		 moderated;
	time_t		 when;
};
/* Replace a's message by its tombstone, in the archive and the
 * history. */
int	archive_tombstone(struct room *room, const struct archived *a,
	    const struct retraction *rt);

/* Queries (mam.c).  The archive is synced first, so what the room
 * relayed is there. */
int	archive_query(struct room *room, struct archive_query *q,
	    store_archive_fn fn, void *ud, struct archive_page *OUT);
int	archive_edges(struct room *room, store_archive_fn fn, void *ud);
/* The stanza-id of message number n, and back (0 when s is none). */
void	archive_sid(const struct muc_service *svc, int64_t n,
	    char out[SID_LEN]);
int64_t	archive_sid_parse(const struct muc_service *svc, const char *s);
/* A stored message as a stanza: its XML parsed, in jabber:client, with
 * xml:lang under its name.  NULL when it does not parse (or ENOMEM). */
xmpp_stanza_t *archive_parse(xmpp_ctx_t *ctx, const char *xml);
/* A stored message of room's from real bare JID sender ('' for the
 * room's own) with its XEP-0421 occupant-id: rows kept since mucd made
 * ids hold theirs as relayed; an older one gets it here, from the
 * sender.  Returns MUC_OK or MUC_ENOMEM. */
int	archive_occupant_id(const struct room *room, xmpp_stanza_t *msg,
	    const char *sender);
/* The service's page sizes: default and maximum. */
long	archive_page_default(const struct muc_service *svc);
long	archive_page_max(const struct muc_service *svc);

/* muc_tick(): hand the queue to the writer, log what it reports, and once
 * a minute ask it to expire what the retention settings say. */
int	archive_tick(struct muc_service *svc);
/* Hand the queue over and wait until it is written. */
int	archive_sync(struct muc_service *svc);

#endif /* ARCHIVE_H */
