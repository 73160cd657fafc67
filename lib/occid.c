/*
 * occid.c - XEP-0421 occupant-ids (occid.h).
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "crypto.h"
#include "jid.h"
#include "muc.h"
#include "ns.h"
#include "occid.h"

#define OCCID_BYTES	18	/* 144 bits: 24 characters, no padding */

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
occid_make(const unsigned char key[OCCID_KEY_LEN], const char *room_jid,
    const char *bare, char out[OCCID_LEN])
{
	struct hmac_sha256	 h;
	unsigned char		 tag[SHA256_LEN];
	char			*prep = jid_bare_prep(bare);
	const char		*who = prep != NULL ? prep : bare;
	uint32_t		 v;
	int			 i;

	hmac_sha256_init(&h, key, OCCID_KEY_LEN);
	hmac_sha256_update(&h, room_jid, strlen(room_jid));
	hmac_sha256_update(&h, "", 1);		/* the 0x00 between */
	hmac_sha256_update(&h, who, strlen(who));
	hmac_sha256_final(&h, tag);
	free(prep);
	/* Three bytes are four characters. */
	for (i = 0; i < OCCID_BYTES / 3; i++) {
		v = (uint32_t)tag[3 * i] << 16 | (uint32_t)tag[3 * i + 1] << 8 |
		    tag[3 * i + 2];
		out[4 * i] = b64url[v >> 18 & 63];
		out[4 * i + 1] = b64url[v >> 12 & 63];
		out[4 * i + 2] = b64url[v >> 6 & 63];
		out[4 * i + 3] = b64url[v & 63];
	}
	out[OCCID_LEN - 1] = '\0';
}

int
occid_add(xmpp_stanza_t *s, const char *id)
{
	struct build	 b = BUILD_INIT(xmpp_stanza_get_context(s));
	xmpp_stanza_t	*c;

	/* Complete before it is added: a failure leaves s as it was. */
	c = b_new(&b, "occupant-id");
	if (c != NULL && xmpp_stanza_set_ns(c, NS_OCCUPANT_ID) != XMPP_EOK)
		b.failed = 1;
	b_attr(&b, c, "id", id);
	if ((c = b_done(&b, c)) == NULL)
		return MUC_ENOMEM;
	if (xmpp_stanza_add_child_ex(s, c, 0) != XMPP_EOK) {
		xmpp_stanza_release(c);
		return MUC_ENOMEM;
	}
	return MUC_OK;
}

int
occid_has(xmpp_stanza_t *s)
{
	return st_child(s, "occupant-id", NS_OCCUPANT_ID) != NULL;
}
