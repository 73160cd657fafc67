/*
 * crypto.h - SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104).
 *
 * libstrophe 0.12 has a SHA-1 but no public SHA-256, and mucd adds no
 * library for one hash: this is a small, plain implementation, checked
 * against the FIPS 180-2 and RFC 4231 test vectors (test_crypto.c).
 * Its one user is the occupant-id (occid.c); nothing here is secret
 * beyond what the caller passes in.
 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32	/* digest bytes */
#define SHA256_BLOCK	64	/* block bytes */

struct sha256 {
	uint32_t	h[8];
	uint64_t	nbytes;		/* hashed so far */
	unsigned char	buf[SHA256_BLOCK];
	size_t		nbuf;
};

void	sha256_init(struct sha256 *s);
void	sha256_update(struct sha256 *s, const void *data, size_t len);
/* Write the digest to out; s must be initialised again before reuse. */
void	sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);
/* The digest of len bytes at data, in one call. */
void	sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);

/* HMAC-SHA-256 in steps: init with the key, update with the message in
 * as many pieces as the caller has, final for the tag. */
struct hmac_sha256 {
	struct sha256	inner;
	unsigned char	okey[SHA256_BLOCK];	/* key ^ opad */
};

void	hmac_sha256_init(struct hmac_sha256 *h, const void *key,
	    size_t keylen);
void	hmac_sha256_update(struct hmac_sha256 *h, const void *data,
	    size_t len);
void	hmac_sha256_final(struct hmac_sha256 *h,
	    unsigned char out[SHA256_LEN]);
/* The tag of one message, in one call. */
void	hmac_sha256(const void *key, size_t keylen, const void *data,
	    size_t len, unsigned char out[SHA256_LEN]);

#endif /* CRYPTO_H */
