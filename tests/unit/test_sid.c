/*
 * test_sid.c - stanza-ids of lib/sid.c: XTEA over the message number in
 * base64url (XEP-0359 requires them unique and unpredictable).
 */
#include <stdio.h>
#include <string.h>

#include "sid.h"
#include "unit.h"

/* XTEA's published test vector, key 000102...0f and plaintext
 * "ABCDEFGH": ciphertext 497df3d072612cb5, which is SX3z0HJhLLU in
 * base64url. */
static void
engine_sid_format_is_xtea_of_the_number_in_base64url(void)
{
	struct sid_key	key = { { 0x00010203, 0x04050607, 0x08090a0b,
			    0x0c0d0e0f } };
	char		out[SID_LEN];
	int64_t		n;

	sid_format(&key, 0x4142434445464748LL, out);
	EXPECT_STR(out, "SX3z0HJhLLU");
	EXPECT_INT(sid_parse(&key, out, &n), 1);
	EXPECT_INT(n, 0x4142434445464748LL);
}

/* Every number comes back, numbers in a row look nothing alike, and ids
 * under another key are other ids. */
static void
engine_sid_numbers_round_trip_and_neighbours_differ(void)
{
	static const unsigned char kb[16] = "mucd test key 16";
	struct sid_key	key, other;
	char		a[SID_LEN], b[SID_LEN];
	int64_t		n, back;
	int		same;
	size_t		i;

	sid_key_from_bytes(&key, kb);
	other = key;
	other.k[3] ^= 1;
	for (n = 1; n < 2000; n++) {
		sid_format(&key, n, a);
		sid_format(&key, n + 1, b);
		EXPECT_INT(strlen(a), SID_LEN - 1);
		EXPECT_INT(sid_parse(&key, a, &back), 1);
		EXPECT_INT(back, n);
		for (same = 0, i = 0; i < SID_LEN - 1; i++)
			same += a[i] == b[i];
		EXPECT(same < 6);	/* no shared prefix gives order away */
		sid_format(&other, n, b);
		EXPECT(strcmp(a, b) != 0);
	}
}

/* What a client may send instead of one of our ids is refused, never
 * misread: wrong length, another alphabet, bits we never set. */
static void
engine_sid_parse_refuses_what_no_key_could_have_made(void)
{
	struct sid_key	key = { { 1, 2, 3, 4 } };
	char		s[SID_LEN];
	int64_t		n = 0;

	EXPECT_INT(sid_parse(&key, NULL, &n), 0);
	EXPECT_INT(sid_parse(&key, "", &n), 0);
	EXPECT_INT(sid_parse(&key, "AAAAAAAAAA", &n), 0);
	EXPECT_INT(sid_parse(&key, "AAAAAAAAAAAA", &n), 0);
	EXPECT_INT(sid_parse(&key, "AAAAAAAAA+A", &n), 0);
	EXPECT_INT(sid_parse(&key, "AAAAAAAAA=A", &n), 0);
	EXPECT_INT(sid_parse(&key, "AAAAAAAAAAB", &n), 0);	/* low bits */
	sid_format(&key, 42, s);
	EXPECT_INT(sid_parse(&key, s, &n), 1);
	EXPECT_INT(n, 42);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_sid_format_is_xtea_of_the_number_in_base64url),
	UT_CASE(engine_sid_numbers_round_trip_and_neighbours_differ),
	UT_CASE(engine_sid_parse_refuses_what_no_key_could_have_made),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
