/*
 * verify.c - checking that occupants' clients are still there after a
 * restore or a reconnect to the host.
 *
 * While mucd was down, or its link to the host was, the host dropped
 * whatever clients sent to the rooms, their leaving included: the rooms
 * may hold ghosts.  So once the host is online (muc_host_online()), every
 * occupant's client gets an XEP-0199 ping from its room, verify_per_tick
 * of them per muc_tick() so that 10,000 occupants do not go out as one
 * burst.  A client that answers is left alone and notices nothing but
 * the ping; one that answers with an error, or whose server does, or
 * that does not answer within verify_timeout seconds, is removed as a
 * ghost (333, occupant_drop_ghost()).  A client answering
 * <feature-not-implemented/> is there, only without XEP-0199.  Clients
 * restored into a room that is gone (snapshot.c's farewells) are told
 * they were removed: an unavailable presence with 332.
 *
 * Losing the link again forgets the pings in flight: nobody is taken for
 * gone because the host did not carry an answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"
#include "vec.h"

#define PING_ID		"mucd-verify-"

static void
ping_free(struct ping_wait *p)
{
	free(p->id);
	free(p->room);
	free(p->jid);
	free(p);
}

/* Forget every ping in flight and every client still waiting. */
static void
verify_forget(struct muc_service *svc)
{
	struct ping_wait	*p;
	size_t			 i = 0;

	while ((p = hmap_next(&svc->pings, &i)) != NULL)
		ping_free(p);
	hmap_free(&svc->pings);
	for (i = 0; i < svc->vqlen; i++)
		free(svc->vqueue[(svc->vqhead + i) % svc->vqcap]);
	svc->vqhead = svc->vqlen = 0;
}

/* Queue "room/jid" (the queue is a ring; it grows by unrolling). */
static int
verify_enqueue(struct muc_service *svc, const char *room, const char *jid)
{
	char	**grown, *key;
	size_t	  cap, i;

	if (svc->vqlen == svc->vqcap) {
		cap = svc->vqcap > 0 ? svc->vqcap * 2 : 64;
		if ((grown = calloc(cap, sizeof(*grown))) == NULL)
			return MUC_ENOMEM;
		for (i = 0; i < svc->vqlen; i++)
			grown[i] = svc->vqueue[(svc->vqhead + i) % svc->vqcap];
		free(svc->vqueue);
		svc->vqueue = grown;
		svc->vqcap = cap;
		svc->vqhead = 0;
	}
	if ((key = malloc(strlen(room) + strlen(jid) + 2)) == NULL)
		return MUC_ENOMEM;
	sprintf(key, "%s/%s", room, jid);
	svc->vqueue[(svc->vqhead + svc->vqlen++) % svc->vqcap] = key;
	return MUC_OK;
}

void
verify_online(struct muc_service *svc, int online)
{
	struct room	*room;
	struct occupant	*o;
	size_t		 i = 0, k, n = 0;

	verify_forget(svc);
	svc->online = online;
	if (!online)
		return;
	while ((room = hmap_next(&svc->rooms, &i)) != NULL)
		for (o = room->head; o != NULL; o = o->next)
			for (k = 0; k < o->nsessions; k++, n++)
				if (verify_enqueue(svc, room->name,
				    o->sessions[k].jid) != MUC_OK) {
					muc_log(svc->log, MUC_LOG_WARN, "verify",
					    "out of memory: not every client "
					    "will be checked");
					return;
				}
	if (n > 0)
		muc_log(svc->log, MUC_LOG_INFO, "verify", "the host is online: "
		    "checking %zu client%s, %u a second", n, n == 1 ? "" : "s",
		    svc->verify_per_tick);
}

/* The unavailable presence (332) telling `to` that it is no longer in
 * the room whose occupant JID it had. */
static int
farewell_send(struct muc_service *svc, const char *occ_jid, const char *to,
    struct muc_out *out)
{
	struct build	 b = BUILD_INIT(svc->ctx);
	xmpp_stanza_t	*p, *x, *item;

	p = b_new(&b, "presence");
	b_attr(&b, p, "from", occ_jid);
	b_attr(&b, p, "to", to);
	b_attr(&b, p, "type", "unavailable");
	x = b_child(&b, p, "x", NS_MUC_USER);
	b_status(&b, x, 332);
	item = b_child(&b, x, "item", NULL);
	b_attr(&b, item, "affiliation", "none");
	b_attr(&b, item, "role", "none");
	b_status(&b, x, 110);
	return muc_out_push(out, b_done(&b, p));
}

/* Ping `jid` in room from the room's JID and wait for it. */
static int
ping_send(struct muc_service *svc, struct room *room, const char *jid,
    struct muc_out *out)
{
	struct build		 b = BUILD_INIT(svc->ctx);
	struct ping_wait	*p;
	xmpp_stanza_t		*iq;
	char			 id[40];

	snprintf(id, sizeof(id), PING_ID "%u", ++svc->ping_seq);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return MUC_ENOMEM;
	if ((p->id = strdup(id)) == NULL || (p->room = strdup(room->name)) ==
	    NULL || (p->jid = strdup(jid)) == NULL ||
	    hmap_put(&svc->pings, p->id, p) != 0) {
		ping_free(p);
		return MUC_ENOMEM;
	}
	p->deadline = svc->now() + (time_t)svc->verify_timeout;
	iq = b_new(&b, "iq");
	b_attr(&b, iq, "type", "get");
	b_attr(&b, iq, "id", id);
	b_attr(&b, iq, "from", room->jid);
	b_attr(&b, iq, "to", jid);
	b_child(&b, iq, "ping", NS_PING);
	return muc_out_push(out, b_done(&b, iq));
}

/* The client of p is taken for gone. */
static int
ping_failed(struct muc_service *svc, struct ping_wait *p, const char *why,
    struct muc_out *out)
{
	struct room	*room = hmap_get(&svc->rooms, p->room);
	struct occupant	*occ;

	if (room == NULL || (occ = occupant_by_jid(room, p->jid)) == NULL)
		return MUC_OK;
	/* The removal is logged by occupant_eject(); say why here. */
	muc_log(svc->log, MUC_LOG_DEBUG, "verify", "%s: %s %s", room->jid,
	    p->jid, why);
	return occupant_drop_ghost(room, occ, p->jid, out);
}

/* Pings whose time is up: their clients are gone. */
static int
verify_expire(struct muc_service *svc, time_t now, struct muc_out *out)
{
	struct ping_wait	*p, **late = NULL;
	size_t			 i = 0, n = 0, cap = 0, k;
	int			 rc = MUC_OK;

	while ((p = hmap_next(&svc->pings, &i)) != NULL)
		if (p->deadline <= now) {
			if (vec_reserve(&late, &cap, n + 1, sizeof(*late)) !=
			    MUC_OK) {
				rc = MUC_ENOMEM;
				break;
			}
			late[n++] = p;
		}
	for (k = 0; k < n; k++) {
		hmap_del(&svc->pings, late[k]->id);
		if (rc == MUC_OK)
			rc = ping_failed(svc, late[k], "did not answer the "
			    "room's ping", out);
		ping_free(late[k]);
	}
	free(late);
	return rc;
}

/* Send the next clients' pings, and farewells, within the budget. */
static int
verify_send(struct muc_service *svc, struct muc_out *out)
{
	struct room	*room;
	char		*key, *slash;
	unsigned	 budget = svc->verify_per_tick, skipped = 0;
	int		 rc = MUC_OK;

	while (budget > 0 && svc->nfarewell >= 2 && rc == MUC_OK) {
		svc->nfarewell -= 2;
		rc = farewell_send(svc, svc->farewell[svc->nfarewell],
		    svc->farewell[svc->nfarewell + 1], out);
		free(svc->farewell[svc->nfarewell]);
		free(svc->farewell[svc->nfarewell + 1]);
		budget--;
	}
	/* Clients that left meanwhile cost nothing, within reason. */
	while (budget > 0 && svc->vqlen > 0 && rc == MUC_OK &&
	    skipped < 16 * svc->verify_per_tick) {
		key = svc->vqueue[svc->vqhead];
		svc->vqhead = (svc->vqhead + 1) % svc->vqcap;
		svc->vqlen--;
		slash = strchr(key, '/');
		*slash = '\0';
		if ((room = hmap_get(&svc->rooms, key)) != NULL &&
		    occupant_by_jid(room, slash + 1) != NULL) {
			rc = ping_send(svc, room, slash + 1, out);
			budget--;
		} else
			skipped++;
		free(key);
	}
	return rc;
}

int
verify_tick(struct muc_service *svc, struct muc_out *out)
{
	int	rc;

	if (!svc->online)
		return MUC_OK;
	if ((rc = verify_expire(svc, svc->now(), out)) != MUC_OK)
		return rc;
	return verify_send(svc, out);
}

/* Does an error answer say the client is there all the same? */
static int
error_says_present(xmpp_stanza_t *in)
{
	xmpp_stanza_t	*err = st_child(in, "error", NULL);

	return err != NULL &&
	    st_child(err, "feature-not-implemented", NS_STANZAS) != NULL;
}

int
verify_answer_handle(struct req *r)
{
	struct ping_wait	*p;
	const char		*id = xmpp_stanza_get_id(r->in);
	int			 rc = MUC_OK;

	if (id == NULL || strncmp(id, PING_ID, strlen(PING_ID)) != 0 ||
	    (p = hmap_get(&r->svc->pings, id)) == NULL ||
	    strcmp(p->jid, r->from) != 0)
		return MUC_OK;		/* not an answer to one of ours */
	hmap_del(&r->svc->pings, p->id);
	if (r->type != NULL && strcmp(r->type, "error") == 0 &&
	    !error_says_present(r->in))
		rc = ping_failed(r->svc, p, "answered the room's ping with an error",
		    r->out);
	ping_free(p);
	return rc;
}
