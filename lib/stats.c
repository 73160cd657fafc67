/*
 * stats.c - the engine's figures for the daemon's metrics (muc_stats()).
 *
 * Gauges are kept up to date where the state changes (occupant.c counts
 * occupants and sessions), counters where the event happens (reply.c
 * counts errors, the store its transactions), so reading them is a copy,
 * never a walk over the rooms.
 */
#include <string.h>

#include "stats.h"
#include "store.h"

/* RFC 6120 8.3.3, the conditions the engine sends and a few it may. */
static const char *const conditions[MUC_STATS_CONDITIONS] = {
	"bad-request", "conflict", "feature-not-implemented", "forbidden",
	"internal-server-error", "item-not-found", "jid-malformed",
	"not-acceptable", "not-allowed", "not-authorized", "policy-violation",
	"registration-required", "resource-constraint", "service-unavailable",
	"remote-server-timeout", "undefined-condition",
};

const char *
muc_stats_condition(size_t i)
{
	return i < MUC_STATS_CONDITIONS ? conditions[i] : NULL;
}

void
stats_error(struct muc_service *svc, const char *condition)
{
	size_t	i;

	for (i = 0; i < MUC_STATS_CONDITIONS; i++)
		if (strcmp(conditions[i], condition) == 0) {
			svc->errors[i]++;
			return;
		}
	svc->errors[MUC_STATS_CONDITIONS - 1]++;	/* undefined-condition */
}

void
muc_stats(const struct muc_service *svc, struct muc_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->rooms_loaded = svc->rooms.n;
	out->occupants = svc->noccupants;
	out->sessions = svc->nsessions;
	memcpy(out->errors, svc->errors, sizeof(out->errors));
	out->limit_hits = svc->limit_hits;
	store_stats(svc->st, &out->store_transactions, &out->store_usec);
}
