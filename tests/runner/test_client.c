/*
 * test_client.c - unit tests for turning libstrophe stanzas into the
 * runner's trees (client_stanza_to_xnode in client.c), using libstrophe's
 * real parser and no server.  This is where libstrophe's "lang" for
 * xml:lang is checked.
 */
#include <stdlib.h>
#include <string.h>

#include <strophe.h>

#include "check.h"
#include "client.h"
#include "match.h"
#include "xnode.h"

static xmpp_ctx_t *ctx;

/* Parse xml with libstrophe and convert it; NULL on failure. */
static struct xnode *
received(const char *xml)
{
	xmpp_stanza_t	*st;
	struct xnode	*x;

	if ((st = xmpp_stanza_new_from_string(ctx, xml)) == NULL)
		return NULL;
	x = client_stanza_to_xnode(st, XNODE_NS_CLIENT);
	xmpp_stanza_release(st);
	return x;
}

static void
runner_client_maps_lang_to_xml_lang(void)
{
	struct xnode	*x = received("<message xmlns='jabber:client' "
			    "xml:lang='en' to='a@b'><body>hi</body></message>");

	CHECK(x != NULL);
	CHECK(xnode_attr(x, XNODE_NS_XML, "lang") != NULL);
	CHECK_STR(xnode_attr(x, XNODE_NS_XML, "lang")->value, "en");
	CHECK(xnode_attr(x, NULL, "lang") == NULL);
	xnode_free(x);
}

static void
runner_client_received_xml_lang_matches_expected(void)
{
	struct xnode	**e;
	struct xnode	 *x = received("<presence xmlns='jabber:client' "
			    "xml:lang='en' from='r@c/n'/>");
	struct captures	  caps;
	size_t		  n;
	int		  line;
	char		  err[256];

	CHECK(x != NULL);
	CHECK(xnode_parse_block("<presence xml:lang='en'/>\n"
	    "<presence xml:lang='fr'/>", &e, &n, &line, err, sizeof(err)) == 0);
	captures_init(&caps);
	CHECK(match_stanza(e[0], x, &caps, err, sizeof(err)) == MATCH_YES);
	CHECK(match_stanza(e[1], x, &caps, err, sizeof(err)) == MATCH_NO);
	xnode_free_list(e, n);
	xnode_free(x);
}

static void
runner_client_drops_namespace_declarations(void)
{
	struct xnode	*x = received("<iq xmlns='jabber:client' type='result'>"
			    "<query xmlns='urn:q'/></iq>");

	CHECK(x != NULL);
	CHECK(x->nattrs == 1);
	CHECK(x->kids[0]->nattrs == 0);
	xnode_free(x);
}

static void
runner_client_keeps_child_namespaces(void)
{
	struct xnode	*x = received("<presence xmlns='jabber:client'>"
			    "<x xmlns='urn:a'><item/></x><status>s</status>"
			    "</presence>");

	CHECK(x != NULL);
	CHECK_STR(x->ns, XNODE_NS_CLIENT);
	CHECK_STR(x->kids[0]->ns, "urn:a");
	CHECK_STR(x->kids[0]->kids[0]->ns, "urn:a");
	CHECK_STR(x->kids[1]->ns, XNODE_NS_CLIENT);
	xnode_free(x);
}

static void
runner_client_drops_whitespace_only_text(void)
{
	struct xnode	*x = received("<message xmlns='jabber:client'>\n  "
			    "<body> hi </body>\n</message>");

	CHECK(x != NULL);
	CHECK(x->nkids == 1);
	CHECK_STR(x->kids[0]->kids[0]->text, " hi ");
	xnode_free(x);
}

static const struct check_case cases[] = {
	CHECK_CASE(runner_client_maps_lang_to_xml_lang),
	CHECK_CASE(runner_client_received_xml_lang_matches_expected),
	CHECK_CASE(runner_client_drops_namespace_declarations),
	CHECK_CASE(runner_client_keeps_child_namespaces),
	CHECK_CASE(runner_client_drops_whitespace_only_text),
};

int
main(int argc, char *argv[])
{
	int	 rc;

	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	rc = check_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return rc;
}
