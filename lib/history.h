/*
 * history.h - the discussion history of a room (XEP-0045 7.2.15).
 *
 * A ring of the room's newest kept messages, replayed to joiners.  In a
 * room that archives it is a cache of the archive's newest messages
 * (archive.c fills it when the room is loaded); elsewhere it is all the
 * room remembers.  Each entry knows the message's number (its stanza-id,
 * sid.h) and its sender's real bare JID, so that a retraction can find it
 * and replace it by its tombstone.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stdint.h>
#include <time.h>

#include "muc.h"

struct history;

struct history	*history_new(int capacity);
void		 history_free(struct history *h);
/* Change how many messages are kept; the oldest go first. */
int		 history_set_capacity(struct history *h, int capacity);
size_t		 history_count(const struct history *h);
/* Forget every message. */
void		 history_clear(struct history *h);
/* Remember msg (from room/nick, no `to`), stamping it with an XEP-0203
 * delay of when and from room_jid, as message number seq (0: none) from
 * sender (a real bare JID, copied; "" for the room).  Takes no reference
 * of msg: a copy is kept, built once, so replaying it later costs a
 * reference. */
int		 history_add(struct history *h, xmpp_stanza_t *msg,
		    const char *room_jid, time_t when, int64_t seq,
		    const char *sender);
/* The kept message number seq as it is replayed (with its delay), or
 * NULL; *OUT_sender (may be NULL) gets its sender.  Borrowed. */
xmpp_stanza_t	*history_find(struct history *h, int64_t seq,
		    const char **OUT_sender);
/* Replace message number seq by msg (no delay: it gets the old one's),
 * as history_add() copies it.  MUC_OK (also when seq is not kept) or
 * MUC_ENOMEM. */
int		 history_replace(struct history *h, int64_t seq,
		    xmpp_stanza_t *msg, const char *room_jid);
/* Forget the messages received before `before`, and all but the newest
 * `keep` (0: no limit). */
void		 history_expire(struct history *h, time_t before, size_t keep);
/* Queue the history a joiner asked for (req is the <history/> element of
 * its join presence, or NULL) to `to`. */
int		 history_send(struct history *h, struct muc_out *out,
		    const char *to, xmpp_stanza_t *req, time_t now);

#endif /* HISTORY_H */
