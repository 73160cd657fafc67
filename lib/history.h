/*
 * history.h - the discussion history of a room (XEP-0045 7.2.15).
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <time.h>

#include "muc.h"

struct history;

struct history	*history_new(int capacity);
void		 history_free(struct history *h);
/* Change how many messages are kept; the oldest go first. */
int		 history_set_capacity(struct history *h, int capacity);
size_t		 history_count(const struct history *h);
/* Remember msg (from room/nick, no `to`), stamping it with an XEP-0203
 * delay of when and from room_jid.  Takes no reference of msg: a copy is
 * kept, built once, so replaying it later costs a reference. */
int		 history_add(struct history *h, xmpp_stanza_t *msg,
		    const char *room_jid, time_t when);
/* Queue the history a joiner asked for (req is the <history/> element of
 * its join presence, or NULL) to `to`. */
int		 history_send(struct history *h, struct muc_out *out,
		    const char *to, xmpp_stanza_t *req, time_t now);

#endif /* HISTORY_H */
