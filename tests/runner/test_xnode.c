/*
 * test_xnode.c - unit tests for data block parsing (format 6) and for
 * serialising stanzas to send (format 8), in xnode.c.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xnode.h"

/* Parse a block; OUT: *n elements.  NULL on error (printed). */
static struct xnode **
block(const char *text, size_t *n)
{
	struct xnode	**v;
	int		  line;
	char		  err[256];

	if (xnode_parse_block(text, &v, n, &line, err, sizeof(err)) < 0) {
		fprintf(stderr, "  (line %d: %s)\n", line, err);
		return NULL;
	}
	return v;
}

/* The first element of text serialised for sending (caller frees). */
static char *
sent(const char *text)
{
	struct xnode	**v;
	size_t		  n;
	char		 *s;

	if ((v = block(text, &n)) == NULL)
		return NULL;
	s = xnode_serialize(v[0], XNODE_SEND, NULL);
	xnode_free_list(v, n);
	return s;
}

static void
runner_block_defaults_to_jabber_client(void)
{
	struct xnode	**v;
	size_t		  n;

	CHECK((v = block("<message><x xmlns='urn:a'><y/></x><body/></message>",
	    &n)) != NULL);
	CHECK_STR(v[0]->ns, XNODE_NS_CLIENT);
	CHECK_STR(v[0]->kids[0]->ns, "urn:a");
	CHECK_STR(v[0]->kids[0]->kids[0]->ns, "urn:a");
	CHECK_STR(v[0]->kids[1]->ns, XNODE_NS_CLIENT);
	xnode_free_list(v, n);
}

static void
runner_block_predeclares_scansion_prefix(void)
{
	struct xnode	**v;
	size_t		  n;

	CHECK((v = block("<iq><q xmlns='urn:q' scansion:strict='false'/></iq>",
	    &n)) != NULL);
	CHECK(xnode_attr(v[0]->kids[0], XNODE_NS_SCANSION, "strict") != NULL);
	xnode_free_list(v, n);
}

static void
runner_block_drops_whitespace_only_text(void)
{
	struct xnode	**v;
	size_t		  n;

	CHECK((v = block("\t<m>\n\t\t<body> hi </body>\n\t</m>\n", &n)) != NULL);
	CHECK(v[0]->nkids == 1);
	CHECK(v[0]->kids[0]->nkids == 1);
	CHECK_STR(v[0]->kids[0]->kids[0]->text, " hi ");
	xnode_free_list(v, n);
}

static void
runner_block_keeps_several_elements_in_order(void)
{
	struct xnode	**v;
	size_t		  n;

	CHECK((v = block("\t<a/>\n\n\t<b/>\n\t<c/>", &n)) != NULL);
	CHECK(n == 3);
	CHECK_STR(v[0]->name, "a");
	CHECK_STR(v[2]->name, "c");
	xnode_free_list(v, n);
}

static void
runner_block_rejects_text_outside_elements(void)
{
	struct xnode	**v;
	size_t		  n;
	int		  line;
	char		  err[256];

	CHECK(xnode_parse_block("<a/>\nstray", &v, &n, &line, err,
	    sizeof(err)) < 0);
	CHECK(line == 2);
}

static void
runner_block_reports_error_line(void)
{
	struct xnode	**v;
	size_t		  n;
	int		  line;
	char		  err[256];

	CHECK(xnode_parse_block("<a>\n\n<b></c>\n</a>", &v, &n, &line, err,
	    sizeof(err)) < 0);
	CHECK(line == 3);
	CHECK(xnode_parse_block("  \n ", &v, &n, &line, err, sizeof(err)) < 0);
	CHECK_CONTAINS(err, "no XML element");
}

static void
runner_send_drops_scansion_attributes(void)
{
	char	*s = sent("<iq type='get' scansion:strict='true'>"
		    "<q xmlns='urn:q' scansion:strict='false'/></iq>");

	CHECK_STR(s, "<iq type=\"get\"><q xmlns=\"urn:q\"/></iq>");
	free(s);
}

static void
runner_send_declares_namespace_only_where_it_changes(void)
{
	char	*s = sent("<message xmlns='jabber:client'><x xmlns='urn:a'><y/>"
		    "<z xmlns='urn:b'/></x><body>b</body></message>");

	CHECK_STR(s, "<message><x xmlns=\"urn:a\"><y/><z xmlns=\"urn:b\"/></x>"
	    "<body>b</body></message>");
	free(s);
}

static void
runner_send_keeps_xml_lang(void)
{
	char	*s = sent("<message xml:lang='fr'><body xml:lang='de'>x</body>"
		    "</message>");

	CHECK_STR(s, "<message xml:lang=\"fr\"><body xml:lang=\"de\">x</body>"
	    "</message>");
	free(s);
}

static void
runner_send_drops_whitespace_only_text(void)
{
	char	*s = sent("<presence>\n\t<show> away </show>\n\t<x xmlns='a'>"
		    "   </x>\n</presence>");

	CHECK_STR(s, "<presence><show> away </show><x xmlns=\"a\"/></presence>");
	free(s);
}

static void
runner_send_escapes_text_and_attributes(void)
{
	char	*s = sent("<m a='&apos;&quot;&lt;&amp;'><body>&lt;b&gt; &amp; "
		    "'q'</body></m>");

	CHECK_STR(s, "<m a=\"&apos;&quot;&lt;&amp;\"><body>&lt;b&gt; &amp; "
	    "'q'</body></m>");
	free(s);
}

static void
runner_send_declares_prefix_for_namespaced_attributes(void)
{
	char	*s = sent("<m xmlns:p='urn:p' p:k='1' p:l='2' j='3'/>");

	CHECK_STR(s, "<m xmlns:ns1=\"urn:p\" ns1:k=\"1\" ns1:l=\"2\" j=\"3\"/>");
	free(s);
}

static const struct check_case cases[] = {
	CHECK_CASE(runner_block_defaults_to_jabber_client),
	CHECK_CASE(runner_block_predeclares_scansion_prefix),
	CHECK_CASE(runner_block_drops_whitespace_only_text),
	CHECK_CASE(runner_block_keeps_several_elements_in_order),
	CHECK_CASE(runner_block_rejects_text_outside_elements),
	CHECK_CASE(runner_block_reports_error_line),
	CHECK_CASE(runner_send_drops_scansion_attributes),
	CHECK_CASE(runner_send_declares_namespace_only_where_it_changes),
	CHECK_CASE(runner_send_keeps_xml_lang),
	CHECK_CASE(runner_send_drops_whitespace_only_text),
	CHECK_CASE(runner_send_escapes_text_and_attributes),
	CHECK_CASE(runner_send_declares_prefix_for_namespaced_attributes),
};

int
main(int argc, char *argv[])
{
	return check_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
