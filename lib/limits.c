/*
 * limits.c - rate limits: token buckets per occupant and per user
 * (limits.h).
 *
 * A bucket holds up to `burst` tokens and gains `rate` of them per second
 * (per minute for joins and creations); every stanza of its kind takes
 * one, and a stanza that finds the bucket empty is refused.  Tokens are
 * counted in units of 1/60000, so per-second and per-minute rates both
 * refill by a whole number of units per second of the service's clock.
 * A bucket is refilled lazily, when it is next used: nothing runs per
 * occupant or per user in the background.
 *
 * Users (real bare JIDs) keep their join and creation buckets in a hash
 * and in a list ordered by last use.  A user unseen for a minute has
 * full buckets again, the same as no entry at all, so limits_expire()
 * frees from the front of the list until it meets one seen more
 * recently: each entry is freed once, in O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "request.h"

#define LIMIT_UNIT	60000		/* one token */
#define USER_IDLE	61		/* s after which a user's buckets are full */

struct limit_user {
	char			*bare;		/* the key */
	struct limit_bucket	 join, create;
	time_t			 seen;
	struct limit_user	*prev, *next;	/* oldest first */
};

/* rate per `per` seconds (1 or 60), burst tokens at most (0: one
 * period's worth). */
static struct limit_rate
rate_of(unsigned rate, unsigned burst, int per)
{
	struct limit_rate	r;

	r.refill = (int64_t)rate * LIMIT_UNIT / per;
	r.cap = (int64_t)(burst > 0 ? burst : rate) * LIMIT_UNIT;
	if (r.cap < LIMIT_UNIT)
		r.cap = LIMIT_UNIT;
	return r;
}

void
limits_init(struct limits *lim, const struct muc_service_config *cfg)
{
	memset(lim, 0, sizeof(*lim));
	lim->msg = rate_of(cfg->msg_rate, cfg->msg_burst, 1);
	lim->presence = rate_of(cfg->presence_rate, cfg->presence_burst, 1);
	lim->join = rate_of(cfg->join_rate, 0, 60);
	lim->create = rate_of(cfg->create_rate, 0, 60);
	hmap_init(&lim->users);
}

static void
user_unlink(struct limits *lim, struct limit_user *u)
{
	if (u->prev != NULL)
		u->prev->next = u->next;
	else
		lim->oldest = u->next;
	if (u->next != NULL)
		u->next->prev = u->prev;
	else
		lim->newest = u->prev;
	u->prev = u->next = NULL;
}

static void
user_append(struct limits *lim, struct limit_user *u)
{
	u->prev = lim->newest;
	if (lim->newest != NULL)
		lim->newest->next = u;
	else
		lim->oldest = u;
	lim->newest = u;
}

void
limits_free(struct limits *lim)
{
	struct limit_user	*u, *next;

	for (u = lim->oldest; u != NULL; u = next) {
		next = u->next;
		free(u->bare);
		free(u);
	}
	hmap_free(&lim->users);
	lim->oldest = lim->newest = NULL;
}

void
limits_expire(struct limits *lim, time_t now)
{
	struct limit_user	*u;

	while ((u = lim->oldest) != NULL && (now < u->seen ||
	    now - u->seen >= USER_IDLE)) {
		user_unlink(lim, u);
		hmap_del(&lim->users, u->bare);
		free(u->bare);
		free(u);
	}
}

size_t
limits_users(const struct limits *lim)
{
	return lim->users.n;
}

/* Refill b for the time since its last use. */
static void
bucket_refill(struct limit_bucket *b, const struct limit_rate *r, time_t now)
{
	time_t	dt;

	if (b->at == 0 || now < b->at)		/* new, or the clock went back */
		dt = b->at == 0 ? (time_t)-1 : 0;
	else
		dt = now - b->at;
	if (dt < 0 || (r->refill > 0 && dt >= r->cap / r->refill + 1))
		b->level = r->cap;
	else if ((b->level += (int64_t)dt * r->refill) > r->cap)
		b->level = r->cap;
	b->at = now;
}

/* Is there a token in b?  Refills it first; takes nothing. */
static int
bucket_has(struct limit_bucket *b, const struct limit_rate *r, time_t now)
{
	if (r->refill == 0)
		return 1;		/* no limit */
	bucket_refill(b, r, now);
	return b->level >= LIMIT_UNIT;
}

static void
bucket_take(struct limit_bucket *b, const struct limit_rate *r)
{
	if (r->refill != 0)
		b->level -= LIMIT_UNIT;
}

/* The user's entry, made if needed and moved to the newest end. */
static struct limit_user *
user_get(struct limits *lim, const char *bare, time_t now)
{
	struct limit_user	*u;

	if ((u = hmap_get(&lim->users, bare)) != NULL)
		user_unlink(lim, u);
	else {
		if ((u = calloc(1, sizeof(*u))) == NULL)
			return NULL;
		if ((u->bare = strdup(bare)) == NULL ||
		    hmap_put(&lim->users, u->bare, u) != 0) {
			free(u->bare);
			free(u);
			return NULL;
		}
	}
	u->seen = now;
	user_append(lim, u);
	return u;
}

/* A join (and a creation when creates): both buckets must have a token,
 * and then both give one.  *why is the refusal, NULL when allowed. */
static int
join_allowed(struct req *r, struct limits *lim, int creates,
    const char **why)
{
	struct limit_user	*u;

	*why = NULL;
	if (lim->join.refill == 0 && (!creates || lim->create.refill == 0))
		return MUC_OK;
	if ((u = user_get(lim, r->from_bare, r->now)) == NULL)
		return MUC_ENOMEM;
	if (!bucket_has(&u->join, &lim->join, r->now))
		*why = "You are entering rooms too fast; wait a minute";
	else if (creates && !bucket_has(&u->create, &lim->create, r->now))
		*why = "You are creating rooms too fast; wait a minute";
	else {
		bucket_take(&u->join, &lim->join);
		if (creates)
			bucket_take(&u->create, &lim->create);
	}
	return MUC_OK;
}

int
limits_allow(struct req *r, enum limit_kind kind, struct occupant *occ,
    int creates)
{
	struct limits		*lim = &r->svc->limits;
	struct limit_bucket	*b = NULL;
	const struct limit_rate	*rate = NULL;
	const char		*why = NULL;
	int			 rc;

	if (service_is_admin(r->svc, r->from_bare))
		return 1;
	switch (kind) {
	case LIMIT_MESSAGE:
		b = &occ->msgs;
		rate = &lim->msg;
		why = "You are sending messages too fast; wait a moment";
		break;
	case LIMIT_PRESENCE:
		b = &occ->presences;
		rate = &lim->presence;
		why = "You are changing your presence too often; wait a "
		    "moment";
		break;
	case LIMIT_JOIN:
		if ((rc = join_allowed(r, lim, creates, &why)) != MUC_OK)
			return rc;
		break;
	}
	if (b != NULL) {
		if (bucket_has(b, rate, r->now)) {
			bucket_take(b, rate);
			why = NULL;
		}
	}
	if (why == NULL)
		return 1;
	r->svc->limit_hits++;		/* muc_stats() */
	muc_log(r->svc->log, MUC_LOG_DEBUG, "limits", "%s from %s refused: "
	    "over its rate", r->kind, r->from);
	return req_error(r, "wait", "policy-violation", why);
}
