/*
 * unique.c - unique room names (XEP-0307).
 *
 * A <unique/> get to the service answers a room name nobody uses: 120
 * random bits from the kernel's generator (getrandom()), written as 24
 * characters of lower-case base32 (RFC 4648's alphabet, so a valid
 * localpart that nodeprep leaves as it is), checked against the rooms
 * in memory and in the store.  Names are not reserved: the one who
 * asked creates the room by joining it, as XEP-0307 2 shows, and at 120
 * bits no other request gets the same name again, so none is
 * remembered.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "build.h"
#include "handlers.h"
#include "ns.h"

#define UNIQUE_BYTES	15	/* 120 bits: 24 base32 characters */
#define UNIQUE_LEN	(UNIQUE_BYTES * 8 / 5)
#define UNIQUE_TRIES	4

/* Fill name (UNIQUE_LEN + 1 bytes) with a random name.  Returns MUC_OK,
 * or MUC_EINVAL when the kernel gives no random bytes (logged). */
static int
unique_name(struct muc_service *svc, char *name)
{
	static const char	 b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char		 rnd[UNIQUE_BYTES];
	ssize_t			 n;
	unsigned		 acc = 0;
	int			 i, bits = 0, k = 0;

	while ((n = getrandom(rnd, sizeof(rnd), 0)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rnd)) {
		muc_log(svc->log, MUC_LOG_ERROR, "unique", "getrandom: %s",
		    n < 0 ? strerror(errno) : "short read");
		return MUC_EINVAL;
	}
	for (i = 0; i < UNIQUE_BYTES; i++) {
		acc = (acc << 8 | rnd[i]) & 0xffff;
		for (bits += 8; bits >= 5; bits -= 5)
			name[k++] = b32[acc >> (bits - 5) & 31];
	}
	name[k] = '\0';
	return MUC_OK;
}

int
unique_handle(struct req *r)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct room	*room = NULL;
	xmpp_stanza_t	*u;
	char		 name[UNIQUE_LEN + 1];
	int		 i, rc;

	if (strcmp(r->type, "get") != 0)
		return req_error(r, "cancel", "bad-request",
		    "Ask for a unique room name with a get");
	/* A collision with a used name is a 2^-120 event; trying again a
	 * few times costs nothing and makes the answer certain. */
	for (i = 0; i < UNIQUE_TRIES; i++) {
		if ((rc = unique_name(r->svc, name)) != MUC_OK)
			return req_error(r, "wait", "internal-server-error",
			    "No random numbers to make a name from");
		if ((rc = room_get(r->svc, name, 0, &room)) != MUC_OK)
			return rc;
		if (room == NULL)
			break;
	}
	if (room != NULL)
		return req_error(r, "wait", "internal-server-error", NULL);
	u = b_new(&b, "unique");
	if (u != NULL && xmpp_stanza_set_ns(u, NS_MUC_UNIQUE) != XMPP_EOK)
		b.failed = 1;
	b_text(&b, u, name);
	return (u = b_done(&b, u)) == NULL ? MUC_ENOMEM : req_result(r, u);
}
