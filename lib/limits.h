/*
 * limits.h - rate limits: token buckets per occupant and per user.
 *
 * An occupant may send so many messages and presence changes per second,
 * with a burst; a user (real bare JID) may join so many rooms and create
 * so many rooms per minute.  service.c asks limits_allow() once per
 * stanza of each kind, before any handler runs, so handlers know nothing
 * of limits.  A stanza over its limit is refused with <policy-violation/>
 * (type wait) and a text, nothing else is queued, and nobody else in the
 * room notices.  Every check is O(1): an occupant's buckets live in its
 * struct occupant (freed with it), a user's in a service-level hash whose
 * idle entries limits_expire() frees from the front of a list ordered by
 * last use.
 */
#ifndef LIMITS_H
#define LIMITS_H

#include <stdint.h>
#include <time.h>

#include "hash.h"

struct muc_service_config;
struct occupant;
struct req;

/* A token bucket.  All zero is a full bucket that has never been used, so
 * a calloc'd occupant starts with its whole burst.  Only limits.c reads or
 * writes one. */
struct limit_bucket {
	int64_t	level;		/* tokens in LIMIT_UNIT units */
	time_t	at;		/* last refill; 0: never used (full) */
};

/* One limit: how fast the bucket refills and how much it holds.  rate 0
 * is no limit. */
struct limit_rate {
	int64_t	refill;		/* units per second */
	int64_t	cap;		/* units */
};

struct limit_user;

/* The service's limits (one per struct muc_service). */
struct limits {
	struct limit_rate	 msg, presence, join, create;
	struct hmap		 users;		/* bare JID -> struct limit_user */
	struct limit_user	*oldest, *newest;	/* by last use */
};

enum limit_kind {
	LIMIT_MESSAGE,		/* any message from an occupant to its room */
	LIMIT_PRESENCE,		/* a presence change of an occupant */
	LIMIT_JOIN,		/* a join; creates: it would create the room */
};

/* Read the rates of cfg (0: off) into lim, with no users yet. */
void	limits_init(struct limits *lim, const struct muc_service_config *cfg);
void	limits_free(struct limits *lim);
/* May r go on?  occ is the sending occupant (LIMIT_MESSAGE,
 * LIMIT_PRESENCE); creates says a join would create its room.  Returns 1
 * to go on, MUC_OK after queueing the refusal, or MUC_ENOMEM.  Service
 * admins are never limited. */
int	limits_allow(struct req *r, enum limit_kind kind, struct occupant *occ,
	    int creates);
/* Free the users whose buckets have refilled completely: they are as
 * good as new.  Cheap: it stops at the first user still in use. */
void	limits_expire(struct limits *lim, time_t now);
/* How many users have buckets now (tests, metrics). */
size_t	limits_users(const struct limits *lim);

#endif /* LIMITS_H */
