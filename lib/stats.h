/*
 * stats.h - counting what the engine does, for muc_stats() (muc.h).
 */
#ifndef STATS_H
#define STATS_H

#include "room.h"

/* An error with this RFC 6120 condition was sent. */
void	stats_error(struct muc_service *svc, const char *condition);

#endif /* STATS_H */
