/*
 * test_build.c - lib/build.c's serialiser, st_to_text(), which the
 * archive stores messages with: escapes, namespaces where they change,
 * xml:lang under its name, text parsed back as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "muc.h"
#include "unit.h"

static void
ctx_free(void *arg)
{
	xmpp_ctx_free(arg);
}

/* Parsed from a client's stream: the children carry the stream's
 * namespace; written out, only the namespaces that change appear, the
 * stanza's own does not, and what needs escaping is escaped. */
static void
engine_build_to_text_writes_namespaces_where_they_change_and_escapes(void)
{
	xmpp_ctx_t	*ctx = xmpp_ctx_new(NULL, NULL);
	xmpp_stanza_t	*s, *back;
	char		*text, *again;
	size_t		 len, len2;

	EXPECT(ctx != NULL);
	ut_defer(ctx_free, ctx);
	s = xmpp_stanza_new_from_string(ctx, "<message xmlns='jabber:client' "
	    "xml:lang='de' id='a&amp;&quot;b'><body>1 &lt; 2 &amp; "
	    "&quot;3&quot; &gt; 0</body><x xmlns='urn:x'><y xmlns='urn:y' "
	    "z='&lt;'/><w/></x></message>");
	EXPECT(s != NULL);
	EXPECT_INT(st_to_text(s, &text, &len), MUC_OK);
	EXPECT_INT(strlen(text), len);
	EXPECT(strstr(text, "jabber:client") == NULL);
	EXPECT(strstr(text, "xml:lang=\"de\"") != NULL);
	EXPECT(strstr(text, "id=\"a&amp;&quot;b\"") != NULL);
	EXPECT(strstr(text, "<body>1 &lt; 2 &amp; \"3\" &gt; 0</body>") !=
	    NULL);
	EXPECT(strstr(text, "<x xmlns=\"urn:x\">") != NULL);
	EXPECT(strstr(text, "<w/>") != NULL);
	EXPECT(strstr(text, "xmlns=\"urn:y\"") != NULL);
	back = xmpp_stanza_new_from_string(ctx, text);
	EXPECT(back != NULL);
	EXPECT_INT(st_to_text(back, &again, &len2), MUC_OK);
	EXPECT_STR(again, text);
	free(text);
	free(again);
	xmpp_stanza_release(back);
	xmpp_stanza_release(s);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_build_to_text_writes_namespaces_where_they_change_and_escapes),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
