/*
 * test_match.c - unit tests for the matcher (match.c, format section 10
 * and the "Ambiguities" choices 2-5).  Expected and received stanzas are
 * both written as XML here and parsed the way script blocks are, so an
 * unprefixed element is in jabber:client.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "match.h"
#include "xnode.h"

static char why[1024];

/* The single element of an XML snippet, or NULL. */
static struct xnode *
tree(const char *xml)
{
	struct xnode	**v;
	struct xnode	 *x;
	size_t		  n;
	int		  line;
	char		  err[256];

	if (xnode_parse_block(xml, &v, &n, &line, err, sizeof(err)) < 0) {
		fprintf(stderr, "  (bad test XML: %s)\n", err);
		return NULL;
	}
	x = v[0];
	v[0] = NULL;
	xnode_free_list(v, n);
	return x;
}

/* Match received against expected with captures caps (NULL: a fresh
 * store).  Returns MATCH_YES/MATCH_NO; the reason is left in why. */
static int
match(const char *expected, const char *received, struct captures *caps)
{
	struct captures	 own;
	struct xnode	*e = tree(expected), *r = tree(received);
	int		 rc;

	captures_init(&own);
	if (e == NULL || r == NULL)
		rc = -2;
	else
		rc = match_stanza(e, r, caps != NULL ? caps : &own, why,
		    sizeof(why));
	captures_free(&own);
	xnode_free(e);
	xnode_free(r);
	return rc;
}

#define YES(e, r)	CHECK(match((e), (r), NULL) == MATCH_YES)
#define NO(e, r)	CHECK(match((e), (r), NULL) == MATCH_NO)

static void
runner_match_accepts_same_name_and_namespace(void)
{
	YES("<presence/>", "<presence/>");
	YES("<x xmlns='urn:a'/>", "<x xmlns='urn:a'/>");
}

static void
runner_match_rejects_other_name(void)
{
	NO("<presence/>", "<message/>");
	CHECK_CONTAINS(why, "element is <message");
}

static void
runner_match_rejects_other_namespace(void)
{
	NO("<x xmlns='urn:a'/>", "<x xmlns='urn:b'/>");
	NO("<presence/>", "<presence xmlns='urn:b'/>");
	NO("<m><x xmlns='urn:a'/></m>", "<m><x xmlns='urn:b'/></m>");
}

static void
runner_match_decides_strictness_by_namespace(void)
{
	struct xnode	*c = tree("<presence><show/></presence>");
	struct xnode	*p = tree("<x xmlns='urn:a'><y/></x>");

	CHECK(c != NULL && p != NULL);
	CHECK(!match_is_strict(c));
	CHECK(!match_is_strict(c->kids[0]));
	CHECK(match_is_strict(p));
	CHECK(match_is_strict(p->kids[0]));	/* inherits the namespace */
	xnode_free(c);
	xnode_free(p);
}

static void
runner_match_allows_extra_attributes_in_jabber_client(void)
{
	YES("<presence from='a'/>", "<presence from='a' to='b' id='c'/>");
}

static void
runner_match_rejects_extra_attributes_in_other_namespace(void)
{
	YES("<x xmlns='urn:a' b='1'/>", "<x xmlns='urn:a' b='1'/>");
	NO("<x xmlns='urn:a' b='1'/>", "<x xmlns='urn:a' b='1' c='2'/>");
	CHECK_CONTAINS(why, "unexpected attribute c=\"2\"");
}

static void
runner_match_allows_extra_children_in_jabber_client(void)
{
	YES("<message><body/></message>",
	    "<message><thread/><body>x</body><c xmlns='urn:c'/></message>");
}

static void
runner_match_rejects_extra_children_in_other_namespace(void)
{
	NO("<x xmlns='urn:a'><s/></x>", "<x xmlns='urn:a'><s/><s/></x>");
	CHECK_CONTAINS(why, "strict: 1 child elements expected, 2 received");
}

static void
runner_match_strict_false_relaxes_payload(void)
{
	const char	*e = "<iq><query xmlns='urn:q' scansion:strict='false' "
			    "node='n'><feature var='w'/></query></iq>";

	YES(e, "<iq><query xmlns='urn:q' node='n' extra='1'><identity/>"
	    "<feature var='v'/><feature var='w'/></query></iq>");
	NO(e, "<iq><query xmlns='urn:q' node='n'><feature var='v'/></query>"
	    "</iq>");
}

static void
runner_match_strict_true_tightens_jabber_client(void)
{
	const char	*e = "<message scansion:strict='true' from='a'>"
			    "<body/></message>";

	YES(e, "<message from='a'><body>x</body></message>");
	NO(e, "<message from='a' to='b'><body/></message>");
	NO(e, "<message from='a'><body/><thread/></message>");
}

static void
runner_match_strictness_is_not_inherited(void)
{
	/* the relaxed query does not relax its strict children */
	NO("<iq><query xmlns='urn:q' scansion:strict='false'>"
	    "<feature var='w'/></query></iq>",
	    "<iq><query xmlns='urn:q'><feature var='w' x='1'/></query></iq>");
	CHECK_CONTAINS(why, "iq/query/feature");
	/* and a strict stanza does not make its jabber:client child strict */
	YES("<message scansion:strict='true'><body/></message>",
	    "<message><body xml:lang='en'>x</body></message>");
}

static void
runner_match_nested_jabber_client_element_is_loose(void)
{
	const char	*e = "<m><x xmlns='urn:a'><y xmlns='jabber:client' "
			    "k='1'/></x></m>";

	YES(e, "<m><x xmlns='urn:a'><y xmlns='jabber:client' k='1' l='2'>"
	    "<z/></y></x></m>");
	NO(e, "<m><x xmlns='urn:a' l='2'><y xmlns='jabber:client' k='1'/>"
	    "</x></m>");
}

static void
runner_match_rejects_missing_attribute(void)
{
	NO("<presence type='unavailable'/>", "<presence/>");
	CHECK_CONTAINS(why, "attribute type is missing");
}

static void
runner_match_rejects_different_attribute_value(void)
{
	NO("<presence type='unavailable'/>", "<presence type='error'/>");
	CHECK_CONTAINS(why, "is \"error\", expected \"unavailable\"");
}

static void
runner_match_ignores_scansion_attributes_when_comparing(void)
{
	/* not required on the received element, not counted as missing in
	 * strict mode */
	YES("<x xmlns='urn:a' scansion:strict='true' b='1'/>",
	    "<x xmlns='urn:a' b='1'/>");
}

static void
runner_match_any_accepts_every_value(void)
{
	YES("<m id='{scansion:any}'/>", "<m id='123'/>");
	YES("<x xmlns='urn:a' by='{scansion:any}'/>", "<x xmlns='urn:a' by=''/>");
}

static void
runner_match_any_requires_the_attribute(void)
{
	NO("<m id='{scansion:any}'/>", "<m/>");
	CHECK_CONTAINS(why, "attribute id is missing");
}

static void
runner_match_capture_stores_first_value(void)
{
	struct captures	 caps;

	captures_init(&caps);
	CHECK(match("<m id='{scansion:capture:first}'/>", "<m id='v1'/>",
	    &caps) == MATCH_YES);
	CHECK_STR(captures_get(&caps, "first"), "v1");
	CHECK(captures_get(&caps, "second") == NULL);
	captures_free(&caps);
}

static void
runner_match_capture_compares_later_values(void)
{
	struct captures	 caps;

	captures_init(&caps);
	CHECK(match("<m id='{scansion:capture:c}'/>", "<m id='v1'/>",
	    &caps) == MATCH_YES);
	/* shared across stanzas (and so across characters) */
	CHECK(match("<x xmlns='urn:a' ref='{scansion:capture:c}'/>",
	    "<x xmlns='urn:a' ref='v1'/>", &caps) == MATCH_YES);
	CHECK(match("<m id='{scansion:capture:c}'/>", "<m id='v2'/>",
	    &caps) == MATCH_NO);
	CHECK_CONTAINS(why, "capture c holds \"v1\"");
	CHECK(match("<m id='{scansion:capture:c}'/>", "<m/>", &caps) ==
	    MATCH_NO);
	captures_free(&caps);
}

static void
runner_match_capture_kept_only_from_successful_match(void)
{
	struct captures	 caps;

	captures_init(&caps);
	/* the id would be captured, but the stanza fails on its body */
	CHECK(match("<m id='{scansion:capture:c}'><body>yes</body></m>",
	    "<m id='v1'><body>no</body></m>", &caps) == MATCH_NO);
	CHECK(captures_get(&caps, "c") == NULL);
	CHECK(match("<m id='{scansion:capture:c}'/>", "<m id='v2'/>",
	    &caps) == MATCH_YES);
	CHECK_STR(captures_get(&caps, "c"), "v2");
	captures_free(&caps);
}

static void
runner_match_capture_undone_when_backtracking(void)
{
	struct captures	 caps;

	/* trying child a='1' captures "1" for k, then the second expected
	 * child fails with it; the winning assignment captures "2" */
	captures_init(&caps);
	CHECK(match("<m><i k='{scansion:capture:k}'/>"
	    "<j v='{scansion:capture:k}'/></m>",
	    "<m><i k='1'/><i k='2'/><j v='2'/></m>", &caps) == MATCH_YES);
	CHECK_STR(captures_get(&caps, "k"), "2");
	CHECK(caps.n == 1);
	captures_free(&caps);
}

static void
runner_match_compares_trimmed_text(void)
{
	YES("<m><body>  hello  </body></m>", "<m><body>\n hello\t</body></m>");
	YES("<x xmlns='urn:a'>v</x>", "<x xmlns='urn:a'> v </x>");
}

static void
runner_match_rejects_different_text(void)
{
	NO("<m><body>hello</body></m>", "<m><body>hello there</body></m>");
	CHECK_CONTAINS(why, "m/body: text is \"hello there\"");
	NO("<m><body>hello</body></m>", "<m><body/></m>");
}

static void
runner_match_ignores_text_when_expected_is_blank(void)
{
	YES("<m><subject/></m>", "<m><subject>Welcome</subject></m>");
	YES("<m><subject>  </subject></m>", "<m><subject>Welcome</subject></m>");
	/* in strict mode too */
	YES("<x xmlns='urn:a'><version/></x>",
	    "<x xmlns='urn:a'><version>1.2</version></x>");
}

/* mucd's extension: a text may be {scansion:any} or a capture, which an
 * attribute value elsewhere may then demand (and the other way round). */
static void
runner_match_text_placeholders_accept_and_capture(void)
{
	struct captures	 caps;

	YES("<m><first>{scansion:any}</first></m>", "<m><first>x1</first></m>");
	captures_init(&caps);
	CHECK(match("<m><first>{scansion:capture:f}</first></m>",
	    "<m><first> x1 </first></m>", &caps) == MATCH_YES);
	CHECK_STR(captures_get(&caps, "f"), "x1");
	CHECK(match("<m id='{scansion:capture:f}'/>", "<m id='x1'/>", &caps) ==
	    MATCH_YES);
	CHECK(match("<m><last>{scansion:capture:f}</last></m>",
	    "<m><last>x2</last></m>", &caps) == MATCH_NO);
	CHECK_CONTAINS(why, "capture f holds \"x1\"");
	captures_free(&caps);
}

static void
runner_match_strict_requires_same_child_order(void)
{
	YES("<x xmlns='urn:a'><s c='1'/><i/></x>",
	    "<x xmlns='urn:a'><s c='1'/><i/></x>");
	NO("<x xmlns='urn:a'><s c='1'/><i/></x>",
	    "<x xmlns='urn:a'><i/><s c='1'/></x>");
	CHECK_CONTAINS(why, "x/s: element is <i");
}

static void
runner_match_strict_rejects_missing_child(void)
{
	NO("<x xmlns='urn:a'><s/><i/></x>", "<x xmlns='urn:a'><s/></x>");
	CHECK_CONTAINS(why, "missing <i");
}

static void
runner_match_loose_accepts_any_child_order(void)
{
	YES("<m><a/><b/></m>", "<m><b/><c/><a/></m>");
}

static void
runner_match_loose_rejects_missing_child(void)
{
	NO("<m><a/><b/></m>", "<m><b/><c/></m>");
	CHECK_CONTAINS(why, "no child <a xmlns=\"jabber:client\">");
}

static void
runner_match_loose_needs_distinct_children(void)
{
	YES("<m><a/><a/></m>", "<m><a/><b/><a/></m>");
	NO("<m><a/><a/></m>", "<m><a/><b/></m>");
	CHECK_CONTAINS(why, "different received child");
}

static void
runner_match_loose_backtracks_to_find_assignment(void)
{
	/* greedy would give the first received item to <item/> and leave
	 * nothing for <item role='x'/> */
	YES("<m><item/><item role='x'/></m>",
	    "<m><item role='x'/><item/></m>");
	NO("<m><item/><item role='x'/></m>",
	    "<m><item role='y'/><item/></m>");
}

static void
runner_match_xml_lang_matches_xml_lang(void)
{
	YES("<message xml:lang='en'/>", "<message xml:lang='en' to='a'/>");
	YES("<x xmlns='urn:a' xml:lang='en'/>", "<x xmlns='urn:a' xml:lang='en'/>");
}

static void
runner_match_xml_lang_rejects_other_language(void)
{
	NO("<message xml:lang='en'/>", "<message xml:lang='fr'/>");
	CHECK_CONTAINS(why, "attribute xml:lang is \"fr\"");
	NO("<message xml:lang='en'/>", "<message/>");
	/* and strict mode counts it as an attribute */
	NO("<x xmlns='urn:a'/>", "<x xmlns='urn:a' xml:lang='en'/>");
}

static void
runner_match_compares_attributes_by_namespace(void)
{
	YES("<m xmlns:p='urn:p' p:k='1'/>", "<m xmlns:q='urn:p' q:k='1'/>");
	NO("<m xmlns:p='urn:p' p:k='1'/>", "<m xmlns:p='urn:other' p:k='1'/>");
	NO("<m xmlns:p='urn:p' p:k='1'/>", "<m k='1'/>");
	NO("<m xml:lang='en'/>", "<m lang='en'/>");
}

static void
runner_match_reason_names_the_path(void)
{
	NO("<presence><x xmlns='urn:a'><item role='r'/></x></presence>",
	    "<presence><x xmlns='urn:a'><item role='s'/></x></presence>");
	CHECK_CONTAINS(why, "presence/x/item: attribute role is \"s\"");
}

static void
runner_match_follows_the_examples_of_section_10_6(void)
{
	const char	*e = "<presence from='hall@rooms.example.test/Porter'>"
	    "<x xmlns='http://jabber.org/protocol/muc#user'>"
	    "<item affiliation='owner' role='moderator'/></x></presence>";

	YES(e, "<presence from='hall@rooms.example.test/Porter' "
	    "to='porter@example.test/a1' id='z'>"
	    "<x xmlns='http://jabber.org/protocol/muc#user'>"
	    "<item affiliation='owner' role='moderator'/></x>"
	    "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1'/>"
	    "</presence>");
	NO(e, "<presence from='hall@rooms.example.test/Porter'>"
	    "<x xmlns='http://jabber.org/protocol/muc#user'>"
	    "<item affiliation='owner' role='moderator' nick='P'/></x>"
	    "</presence>");
	NO(e, "<presence from='hall@rooms.example.test/Porter'>"
	    "<x xmlns='http://jabber.org/protocol/muc#user'>"
	    "<item affiliation='owner' role='moderator'/><status code='110'/>"
	    "</x></presence>");
}

static const struct check_case cases[] = {
	CHECK_CASE(runner_match_accepts_same_name_and_namespace),
	CHECK_CASE(runner_match_text_placeholders_accept_and_capture),
	CHECK_CASE(runner_match_rejects_other_name),
	CHECK_CASE(runner_match_rejects_other_namespace),
	CHECK_CASE(runner_match_decides_strictness_by_namespace),
	CHECK_CASE(runner_match_allows_extra_attributes_in_jabber_client),
	CHECK_CASE(runner_match_rejects_extra_attributes_in_other_namespace),
	CHECK_CASE(runner_match_allows_extra_children_in_jabber_client),
	CHECK_CASE(runner_match_rejects_extra_children_in_other_namespace),
	CHECK_CASE(runner_match_strict_false_relaxes_payload),
	CHECK_CASE(runner_match_strict_true_tightens_jabber_client),
	CHECK_CASE(runner_match_strictness_is_not_inherited),
	CHECK_CASE(runner_match_nested_jabber_client_element_is_loose),
	CHECK_CASE(runner_match_rejects_missing_attribute),
	CHECK_CASE(runner_match_rejects_different_attribute_value),
	CHECK_CASE(runner_match_ignores_scansion_attributes_when_comparing),
	CHECK_CASE(runner_match_any_accepts_every_value),
	CHECK_CASE(runner_match_any_requires_the_attribute),
	CHECK_CASE(runner_match_capture_stores_first_value),
	CHECK_CASE(runner_match_capture_compares_later_values),
	CHECK_CASE(runner_match_capture_kept_only_from_successful_match),
	CHECK_CASE(runner_match_capture_undone_when_backtracking),
	CHECK_CASE(runner_match_compares_trimmed_text),
	CHECK_CASE(runner_match_rejects_different_text),
	CHECK_CASE(runner_match_ignores_text_when_expected_is_blank),
	CHECK_CASE(runner_match_strict_requires_same_child_order),
	CHECK_CASE(runner_match_strict_rejects_missing_child),
	CHECK_CASE(runner_match_loose_accepts_any_child_order),
	CHECK_CASE(runner_match_loose_rejects_missing_child),
	CHECK_CASE(runner_match_loose_needs_distinct_children),
	CHECK_CASE(runner_match_loose_backtracks_to_find_assignment),
	CHECK_CASE(runner_match_xml_lang_matches_xml_lang),
	CHECK_CASE(runner_match_xml_lang_rejects_other_language),
	CHECK_CASE(runner_match_compares_attributes_by_namespace),
	CHECK_CASE(runner_match_reason_names_the_path),
	CHECK_CASE(runner_match_follows_the_examples_of_section_10_6),
};

int
main(int argc, char *argv[])
{
	return check_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
