/*
 * test_crypto.c - lib/crypto.c: SHA-256 against the FIPS 180-2
 * appendix B examples, HMAC-SHA-256 against the RFC 4231 test cases.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "unit.h"

static const char *
hex(const unsigned char d[SHA256_LEN])
{
	static char	buf[2 * SHA256_LEN + 1];
	int		i;

	for (i = 0; i < SHA256_LEN; i++)
		snprintf(buf + 2 * i, 3, "%02x", d[i]);
	return buf;
}

/* FIPS 180-2 B.1, B.2, B.3 ("abc", the 448-bit message, a million
 * 'a's fed in uneven pieces) and the empty message. */
static void
engine_crypto_sha256_gives_the_fips_180_2_digests(void)
{
	static const char	two[] = "abcdbcdecdefdefgefghfghighijhijk"
	    "ijkljklmklmnlmnomnopnopq";
	unsigned char		d[SHA256_LEN], a[1000];
	struct sha256		s;
	size_t			n, k;

	sha256("abc", 3, d);
	EXPECT_STR(hex(d), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256(two, strlen(two), d);
	EXPECT_STR(hex(d), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	sha256("", 0, d);
	EXPECT_STR(hex(d), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (n = 0, k = 1; n < 1000000; n += k, k = k % 997 + 1)
		sha256_update(&s, a, n + k > 1000000 ? 1000000 - n : k);
	sha256_final(&s, d);
	EXPECT_STR(hex(d), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
}

/* Messages whose padding falls on either side of a block's end (55,
 * 56, 63, 64 bytes): one call and byte by byte agree. */
static void
engine_crypto_sha256_in_pieces_equals_in_one_call(void)
{
	unsigned char	msg[130], d1[SHA256_LEN], d2[SHA256_LEN];
	struct sha256	s;
	size_t		len, i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 1);
	for (len = 0; len <= sizeof(msg); len++) {
		sha256(msg, len, d1);
		sha256_init(&s);
		for (i = 0; i < len; i++)
			sha256_update(&s, msg + i, 1);
		sha256_final(&s, d2);
		EXPECT(memcmp(d1, d2, SHA256_LEN) == 0);
	}
	sha256(msg, 55, d1);
	sha256(msg, 56, d2);
	EXPECT(memcmp(d1, d2, SHA256_LEN) != 0);
}

/* RFC 4231 4.2-4.4, 4.5, 4.7 and 4.8 (4.6 is a truncated tag). */
static void
engine_crypto_hmac_sha256_gives_the_rfc_4231_tags(void)
{
	static const char	t6[] = "Test Using Larger Than Block-Size "
	    "Key - Hash Key First";
	static const char	t7[] = "This is a test using a larger than "
	    "block-size key and a larger than block-size data. The key "
	    "needs to be hashed before being used by the HMAC algorithm.";
	unsigned char		key[131], data[50], d[SHA256_LEN];
	struct hmac_sha256	h;
	int			i;

	memset(key, 0x0b, 20);
	hmac_sha256(key, 20, "Hi There", 8, d);
	EXPECT_STR(hex(d), "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	EXPECT_STR(hex(d), "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, 20);
	memset(data, 0xdd, 50);
	hmac_sha256(key, 20, data, 50, d);
	EXPECT_STR(hex(d), "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe");
	for (i = 0; i < 25; i++)
		key[i] = (unsigned char)(i + 1);
	memset(data, 0xcd, 50);
	hmac_sha256(key, 25, data, 50, d);
	EXPECT_STR(hex(d), "82558a389a443c0ea4cc819899f2083a"
	    "85f0faa3e578f8077a2e3ff46729665b");
	memset(key, 0xaa, 131);
	hmac_sha256(key, 131, t6, strlen(t6), d);
	EXPECT_STR(hex(d), "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
	/* In two pieces, as occid.c feeds it. */
	hmac_sha256_init(&h, key, 131);
	hmac_sha256_update(&h, t7, 40);
	hmac_sha256_update(&h, t7 + 40, strlen(t7) - 40);
	hmac_sha256_final(&h, d);
	EXPECT_STR(hex(d), "9b09ffa71b942fcb27635fbcd5b0e944"
	    "bfdc63644f0713938a7f51535c3a35e2");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_crypto_sha256_gives_the_fips_180_2_digests),
	UT_CASE(engine_crypto_sha256_in_pieces_equals_in_one_call),
	UT_CASE(engine_crypto_hmac_sha256_gives_the_rfc_4231_tags),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
