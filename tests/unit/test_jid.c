/*
 * test_jid.c - JIDs in lib/jid.c: splitting (RFC 6122 2.1), the nodeprep,
 * nameprep and resourceprep profiles (2.2-2.4), the 1023-byte limit of
 * each part, and the nick rules of XEP-0045 7.2 (a nick is a resourcepart;
 * mucd also refuses a nick made only of spaces).
 */
#include <stdio.h>
#include <stdlib.h>

#include "jid.h"
#include "unit.h"

/* Parse s and keep the result until the case ends. */
static struct jid *
parse(const char *s)
{
	struct jid	*j = jid_parse(s);

	if (j != NULL)
		ut_defer(free, j);
	return j;
}

/* A prepared string kept until the case ends. */
static const char *
kept(char *s)
{
	if (s != NULL)
		ut_defer(free, s);
	return s;
}

/* A string of n copies of c followed by tail, kept until the case ends. */
static const char *
repeat(char c, size_t n, const char *head, const char *tail)
{
	char	*s = malloc(strlen(head) + n + strlen(tail) + 1);

	if (s == NULL)
		abort();
	strcpy(s, head);
	memset(s + strlen(head), c, n);
	strcpy(s + strlen(head) + n, tail);
	return kept(s);
}

static void
engine_jid_parse_splits_node_domain_and_resource(void)
{
	struct jid	*j;

	EXPECT((j = parse("romeo@montague.lit/orchard")) != NULL);
	EXPECT_STR(j->node, "romeo");
	EXPECT_STR(j->domain, "montague.lit");
	EXPECT_STR(j->resource, "orchard");
	EXPECT((j = parse("montague.lit")) != NULL);
	EXPECT_NULL(j->node);
	EXPECT_STR(j->domain, "montague.lit");
	EXPECT_NULL(j->resource);
	EXPECT((j = parse("romeo@montague.lit")) != NULL);
	EXPECT_STR(j->node, "romeo");
	EXPECT_NULL(j->resource);
}

static void
engine_jid_parse_lowercases_node_and_domain_but_keeps_resource_case(void)
{
	struct jid	*j;

	EXPECT((j = parse("Romeo@Montague.LIT/Orchard")) != NULL);
	EXPECT_STR(j->node, "romeo");
	EXPECT_STR(j->domain, "montague.lit");
	EXPECT_STR(j->resource, "Orchard");
	EXPECT_STR(kept(jid_full(j)), "romeo@montague.lit/Orchard");
	EXPECT_STR(kept(jid_bare(j)), "romeo@montague.lit");
}

static void
engine_jid_parse_reads_at_and_slash_after_the_first_slash_as_resource(void)
{
	struct jid	*j;

	/* RFC 6122 2.1: the resource starts at the first '/', and may
	 * hold '@' and '/' itself. */
	EXPECT((j = parse("montague.lit/res@x")) != NULL);
	EXPECT_NULL(j->node);
	EXPECT_STR(j->domain, "montague.lit");
	EXPECT_STR(j->resource, "res@x");
	EXPECT((j = parse("room@conference.localhost/a/b")) != NULL);
	EXPECT_STR(j->node, "room");
	EXPECT_STR(j->resource, "a/b");
}

static void
engine_jid_parse_drops_a_final_dot_of_the_domain(void)
{
	struct jid	*j;

	EXPECT((j = parse("romeo@montague.lit./orchard")) != NULL);
	EXPECT_STR(j->domain, "montague.lit");
	EXPECT((j = parse("montague.lit.")) != NULL);
	EXPECT_STR(j->domain, "montague.lit");
}

static void
engine_jid_parse_rejects_empty_parts(void)
{
	EXPECT(parse("") == NULL);
	EXPECT(parse("@montague.lit") == NULL);
	EXPECT(parse("romeo@") == NULL);
	EXPECT(parse("romeo@/orchard") == NULL);
	EXPECT(parse("romeo@montague.lit/") == NULL);
	EXPECT(parse("/orchard") == NULL);
}

static void
engine_jid_parse_rejects_what_nodeprep_and_resourceprep_prohibit(void)
{
	/* Nodeprep (RFC 6122 A.5) prohibits " & ' / : < > @ and space. */
	EXPECT(parse("ro meo@montague.lit") == NULL);
	EXPECT(parse("ro'meo@montague.lit") == NULL);
	EXPECT(parse("ro:meo@montague.lit") == NULL);
	EXPECT(parse("ro<meo@montague.lit") == NULL);
	/* Controls are prohibited in every part. */
	EXPECT(parse("ro\x07meo@montague.lit") == NULL);
	EXPECT(parse("romeo@montague.lit/orch\x07" "ard") == NULL);
	/* Not UTF-8 at all. */
	EXPECT(parse("ro\xffmeo@montague.lit") == NULL);
}

static void
engine_jid_parse_accepts_1023_byte_parts_and_rejects_1024(void)
{
	EXPECT(parse(repeat('n', 1023, "", "@montague.lit")) != NULL);
	EXPECT(parse(repeat('n', 1024, "", "@montague.lit")) == NULL);
	EXPECT(parse(repeat('r', 1023, "romeo@montague.lit/", "")) != NULL);
	EXPECT(parse(repeat('r', 1024, "romeo@montague.lit/", "")) == NULL);
	EXPECT(parse(repeat('d', 1024, "romeo@", "")) == NULL);
}

static void
engine_jid_node_prep_lowercases_and_maps_compatibility_forms(void)
{
	EXPECT_STR(kept(jid_node_prep("ROOM")), "room");
	/* Fullwidth R (U+FF32) is R under NFKC, then r. */
	EXPECT_STR(kept(jid_node_prep("\xef\xbc\xb2oom")), "room");
	/* O with diaeresis (U+00D6) lowercases to U+00F6. */
	EXPECT_STR(kept(jid_node_prep("r\xc3\x96om")), "r\xc3\xb6om");
	EXPECT(jid_node_prep("") == NULL);
	EXPECT(jid_node_prep("a b") == NULL);
	EXPECT(jid_node_prep("a@b") == NULL);
	EXPECT(jid_node_prep("a/b") == NULL);
	EXPECT(jid_node_prep("a\"b") == NULL);
	EXPECT(jid_node_prep("a&b") == NULL);
}

static void
engine_jid_nick_prep_keeps_case_and_inner_spaces(void)
{
	EXPECT_STR(kept(jid_nick_prep("Romeo")), "Romeo");
	EXPECT_STR(kept(jid_nick_prep("Romeo Montague")), "Romeo Montague");
	/* Spaces around a nick would let " x " pass for "x": refused. */
	EXPECT(jid_nick_prep(" x ") == NULL);
	EXPECT(jid_nick_prep("x ") == NULL);
	/* Fullwidth Ro becomes Ro: two spellings, one nick (7.2.9). */
	EXPECT_STR(kept(jid_nick_prep("\xef\xbc\xb2\xef\xbd\x8f")), "Ro");
}

static void
engine_jid_nick_prep_rejects_empty_and_space_only_nicks(void)
{
	EXPECT(jid_nick_prep("") == NULL);
	EXPECT(jid_nick_prep(" ") == NULL);
	EXPECT(jid_nick_prep("   ") == NULL);
}

static void
engine_jid_nick_prep_rejects_controls_unassigned_and_bad_utf8(void)
{
	EXPECT(jid_nick_prep("a\x07") == NULL);
	EXPECT(jid_nick_prep("\xcd\xb8") == NULL);	/* U+0378, unassigned */
	EXPECT(jid_nick_prep("a\xff") == NULL);
	EXPECT(jid_nick_prep("a\xc3") == NULL);	/* truncated sequence */
}

static void
engine_jid_nick_prep_rejects_a_nick_longer_than_1023_bytes(void)
{
	char	 s[301 * 3 + 1];
	size_t	 i;

	EXPECT_INT(strlen(kept(jid_nick_prep(repeat('n', 1023, "", "")))),
	    1023);
	EXPECT(jid_nick_prep(repeat('n', 1024, "", "")) == NULL);
	/* 100 x U+FDFA: 300 bytes in, 3300 bytes after NFKC. */
	s[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(s, "\xef\xb7\xba");
	EXPECT(jid_nick_prep(s) == NULL);
	/* 300 of them overflow even the preparation buffer. */
	for (; i < 300; i++)
		strcat(s, "\xef\xb7\xba");
	EXPECT(jid_nick_prep(s) == NULL);
}

static void
engine_jid_bare_prep_normalises_a_full_or_bare_jid(void)
{
	EXPECT_STR(kept(jid_bare_prep("Romeo@Montague.LIT/Orchard")),
	    "romeo@montague.lit");
	EXPECT_STR(kept(jid_bare_prep("romeo@montague.lit")),
	    "romeo@montague.lit");
	EXPECT_STR(kept(jid_bare_prep("Montague.LIT/x")), "montague.lit");
	EXPECT(jid_bare_prep("@montague.lit") == NULL);
}

/* Regression test for a fixed lib/ bug: a domainpart must be a hostname (RFC 6122 2.2; IDNA
 * with the STD3 rules), so '@', spaces and a lone dot are not domains.
 * jid_parse() accepts them, and the schema's CHECK on affiliations then
 * refuses such a JID at write time (an internal-server-error instead of
 * jid-malformed in a persistent room). */
static void
engine_jid_parse_rejects_domains_that_are_not_hostnames(void)
{
	EXPECT(parse("a@b@c") == NULL);
	EXPECT(parse("romeo@montague lit") == NULL);
	EXPECT(parse(".") == NULL);
	EXPECT(parse("romeo@.") == NULL);
}

/* jid_nick_check says why: non-ASCII spaces, controls, bidi and
 * invisible formatting, private use, bad UTF-8, all spaces; a fine nick
 * comes back prepared. */
static void
engine_jid_nick_check_refuses_hidden_characters_and_says_why(void)
{
	static const char *const bad[] = {
		"a\xc2\xa0z", "a\xe2\x80\x83z", "a\xe3\x80\x80z", "a\x01z",
		"a\xc2\x85z", "a\xe2\x80\xaez", "a\xe2\x80\x8ez",
		"a\xe2\x81\xa0z", "a\xef\xbb\xbfz", "a\xee\x80\x80z",
		"a\xef\xbf\xbfz", "a\xc0\xafz", "a\xed\xa0\x80z", "   ",
		"", "a\xf3\xa0\x80\x81z",
	};
	const char	*why;
	char		*n;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = jid_nick_check(bad[i], &why);
		if (n != NULL)
			ut_fail(__FILE__, __LINE__, "nick %zu accepted", i);
		free(n);
		EXPECT(why != NULL);
	}
	EXPECT((n = jid_nick_check("Ro meo \xe2\x85\xa3", &why)) != NULL);
	EXPECT_STR(n, "Ro meo IV");	/* NFKC, as resourceprep does */
	free(n);
}
/* jid_join leaves out the parts that are NULL. */
static void
engine_jid_join_builds_bare_full_and_domain_jids(void)
{
	char	*s;

	EXPECT((s = jid_join("room", "conf.lit", "Nick")) != NULL);
	EXPECT_STR(s, "room@conf.lit/Nick");
	free(s);
	EXPECT((s = jid_join("room", "conf.lit", NULL)) != NULL);
	EXPECT_STR(s, "room@conf.lit");
	free(s);
	EXPECT((s = jid_join(NULL, "conf.lit", "r")) != NULL);
	EXPECT_STR(s, "conf.lit/r");
	free(s);
}
static const struct ut_case cases[] = {
	UT_CASE(engine_jid_parse_splits_node_domain_and_resource),
	UT_CASE(engine_jid_parse_lowercases_node_and_domain_but_keeps_resource_case),
	UT_CASE(engine_jid_parse_reads_at_and_slash_after_the_first_slash_as_resource),
	UT_CASE(engine_jid_parse_drops_a_final_dot_of_the_domain),
	UT_CASE(engine_jid_parse_rejects_empty_parts),
	UT_CASE(engine_jid_parse_rejects_what_nodeprep_and_resourceprep_prohibit),
	UT_CASE(engine_jid_parse_accepts_1023_byte_parts_and_rejects_1024),
	UT_CASE(engine_jid_node_prep_lowercases_and_maps_compatibility_forms),
	UT_CASE(engine_jid_nick_prep_keeps_case_and_inner_spaces),
	UT_CASE(engine_jid_nick_prep_rejects_empty_and_space_only_nicks),
	UT_CASE(engine_jid_nick_prep_rejects_controls_unassigned_and_bad_utf8),
	UT_CASE(engine_jid_nick_prep_rejects_a_nick_longer_than_1023_bytes),
	UT_CASE(engine_jid_bare_prep_normalises_a_full_or_bare_jid),
	UT_CASE(engine_jid_parse_rejects_domains_that_are_not_hostnames),
	UT_CASE(engine_jid_nick_check_refuses_hidden_characters_and_says_why),
	UT_CASE(engine_jid_join_builds_bare_full_and_domain_jids),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
