/*
 * sid.h - the room's XEP-0359 stanza-ids: a message's archive number,
 * encrypted.
 *
 * Every kept message has a number (its archive row, store_archive.c),
 * given in order and never reused.  The stanza-id clients see is that
 * number encrypted with a 128-bit key of the database (XTEA, a 64-bit
 * block cipher) and written in base64url: unique because the cipher is a
 * permutation, unguessable without the key, and telling nothing of the
 * archive's size (XEP-0359 section 6).  Decrypting an id a client sends
 * gives the row back without an index on ids.
 */
#ifndef SID_H
#define SID_H

#include <stdint.h>

#define SID_LEN		12	/* 11 base64url characters and the NUL */

struct sid_key {
	uint32_t	k[4];
};

/* Read a key from 16 bytes (little-endian words). */
void	sid_key_from_bytes(struct sid_key *key, const unsigned char b[16]);
/* The stanza-id of number n. */
void	sid_format(const struct sid_key *key, int64_t n, char out[SID_LEN]);
/* The number of stanza-id s: 1 with *OUT set, or 0 when s is not one
 * this key could have made (wrong length or alphabet, or a number below
 * 1). */
int	sid_parse(const struct sid_key *key, const char *s, int64_t *OUT);

#endif /* SID_H */
