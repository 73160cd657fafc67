/*
 * sid.c - stanza-ids: XTEA over the message number, in base64url (sid.h).
 *
 * XTEA (Needham and Wheeler, 1997) with its 32 cycles, on the number as
 * one 64-bit block.  A block cipher rather than random bytes: the id has
 * to lead back to the row, and a permutation of distinct numbers gives
 * distinct ids without a uniqueness index on every insert.
 */
#include <string.h>

#include "sid.h"

#define XTEA_DELTA	0x9E3779B9u
#define XTEA_CYCLES	32

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
sid_key_from_bytes(struct sid_key *key, const unsigned char b[16])
{
	int	i;

	for (i = 0; i < 4; i++)
		key->k[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

static uint64_t
xtea_encrypt(const uint32_t k[4], uint64_t block)
{
	uint32_t	v0 = (uint32_t)(block >> 32), v1 = (uint32_t)block;
	uint32_t	sum = 0;
	int		i;

	for (i = 0; i < XTEA_CYCLES; i++) {
		v0 += (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + k[sum & 3]);
		sum += XTEA_DELTA;
		v1 += (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + k[(sum >> 11) & 3]);
	}
	return (uint64_t)v0 << 32 | v1;
}

static uint64_t
xtea_decrypt(const uint32_t k[4], uint64_t block)
{
	uint32_t	v0 = (uint32_t)(block >> 32), v1 = (uint32_t)block;
	uint32_t	sum = XTEA_DELTA * XTEA_CYCLES;
	int		i;

	for (i = 0; i < XTEA_CYCLES; i++) {
		v1 -= (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + k[(sum >> 11) & 3]);
		sum -= XTEA_DELTA;
		v0 -= (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + k[sum & 3]);
	}
	return (uint64_t)v0 << 32 | v1;
}

/* 64 bits are ten 6-bit characters and 4 bits in an eleventh. */
void
sid_format(const struct sid_key *key, int64_t n, char out[SID_LEN])
{
	uint64_t	v = xtea_encrypt(key->k, (uint64_t)n);
	int		i;

	for (i = 0; i < 10; i++)
		out[i] = b64url[(v >> (58 - 6 * i)) & 63];
	out[10] = b64url[(v & 15) << 2];
	out[11] = '\0';
}

int
sid_parse(const struct sid_key *key, const char *s, int64_t *out)
{
	uint64_t	 v = 0, n;
	const char	*p;
	int		 i, d;

	if (s == NULL || strlen(s) != SID_LEN - 1)
		return 0;
	for (i = 0; i < SID_LEN - 1; i++) {
		if ((p = strchr(b64url, s[i])) == NULL || s[i] == '\0')
			return 0;
		d = (int)(p - b64url);
		if (i < 10)
			v = v << 6 | (uint64_t)d;
		else if ((d & 3) != 0)
			return 0;	/* bits no id of ours sets */
		else
			v = v << 4 | (uint64_t)(d >> 2);
	}
	n = xtea_decrypt(key->k, v);
	if (n < 1 || n > (uint64_t)INT64_MAX)
		return 0;
	*out = (int64_t)n;
	return 1;
}
