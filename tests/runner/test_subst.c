/*
 * test_subst.c - unit tests for variable substitution (subst.c, format 5).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "subst.h"

/* Characters known to the tests: Porter (connected), Porter's pager
 * (connected, its JID needs escaping) and Maid (never connected). */
static int
lookup(void *ud, const char *name, int full, const char **value)
{
	(void)ud;
	if (strcmp(name, "Porter") == 0) {
		*value = full ? "porter@example.test/desk" :
		    "porter@example.test";
		return SUBST_OK;
	}
	if (strcmp(name, "Porter's pager") == 0) {
		*value = full ? "porter@example.test/p&'<\"" :
		    "porter@example.test";
		return SUBST_OK;
	}
	if (strcmp(name, "Maid") == 0) {
		*value = "maid@example.test";
		return full ? SUBST_NO_FULL_JID : SUBST_OK;
	}
	return SUBST_UNKNOWN_NAME;
}

/* Expand text; NULL when it failed (the reason is in err). */
static char *
expand(const char *text, char *err, size_t errlen)
{
	char	*out;

	if (subst_expand(text, lookup, NULL, &out, err, errlen) < 0)
		return NULL;
	return out;
}

static void
runner_subst_replaces_bare_jid(void)
{
	char	 err[256], *out = expand("<a to='${Porter's JID}'/>", err,
		    sizeof(err));

	CHECK_STR(out, "<a to='porter@example.test'/>");
	free(out);
}

static void
runner_subst_replaces_full_jid(void)
{
	char	 err[256], *out = expand("x ${Porter's full JID} y", err,
		    sizeof(err));

	CHECK_STR(out, "x porter@example.test/desk y");
	free(out);
}

static void
runner_subst_resolves_names_with_apostrophes(void)
{
	char	 err[256], *out = expand("${Porter's pager's JID}", err,
		    sizeof(err));

	CHECK_STR(out, "porter@example.test");
	free(out);
}

static void
runner_subst_escapes_values(void)
{
	char	 err[256], *out = expand("${Porter's pager's full JID}", err,
		    sizeof(err));

	CHECK_STR(out, "porter@example.test/p&amp;&apos;&lt;&quot;");
	free(out);
}

static void
runner_subst_replaces_several_variables(void)
{
	char	 err[256], *out = expand(
		    "${Porter's JID}${Maid's JID}-${Porter's full JID}", err,
		    sizeof(err));

	CHECK_STR(out,
	    "porter@example.testmaid@example.test-porter@example.test/desk");
	free(out);
}

static void
runner_subst_leaves_text_without_variables(void)
{
	char	 err[256], *out = expand("<a b='$x {y}'/>", err, sizeof(err));

	CHECK_STR(out, "<a b='$x {y}'/>");
	free(out);
}

static void
runner_subst_rejects_unknown_name(void)
{
	char	 err[256] = "", *out = expand("<a to='${Butler's JID}'/>", err,
		    sizeof(err));

	CHECK(out == NULL);
	CHECK_CONTAINS(err, "no character named \"Butler\"");
}

static void
runner_subst_rejects_full_jid_of_unconnected_character(void)
{
	char	 err[256] = "", *out = expand("${Maid's full JID}", err,
		    sizeof(err));

	CHECK(out == NULL);
	CHECK_CONTAINS(err, "never connected");
}

static void
runner_subst_rejects_malformed_variable(void)
{
	char	 err[256] = "", *out = expand("${Porter}", err, sizeof(err));

	CHECK(out == NULL);
	CHECK_CONTAINS(err, "unknown variable");
	out = expand("${Porter's JID", err, sizeof(err));
	CHECK(out == NULL);
	CHECK_CONTAINS(err, "unterminated");
}

static const char *
capture(void *ud, const char *name)
{
	(void)ud;
	return strcmp(name, "id1") == 0 ? "a&b" : NULL;
}

/* mucd's extension: a sent block gets the values of captures. */
static void
runner_subst_captures_fill_sent_blocks(void)
{
	char	 err[256] = "", *out;

	CHECK(subst_captures("<a id='{scansion:capture:id1}'>"
	    "{scansion:capture:id1}</a>", capture, NULL, &out, err,
	    sizeof(err)) == 0);
	CHECK_STR(out, "<a id='a&amp;b'>a&amp;b</a>");
	free(out);
	CHECK(subst_captures("<a id='{scansion:capture:id2}'/>", capture, NULL,
	    &out, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "capture id2: nothing was captured");
}

static const struct check_case cases[] = {
	CHECK_CASE(runner_subst_captures_fill_sent_blocks),
	CHECK_CASE(runner_subst_replaces_bare_jid),
	CHECK_CASE(runner_subst_replaces_full_jid),
	CHECK_CASE(runner_subst_resolves_names_with_apostrophes),
	CHECK_CASE(runner_subst_escapes_values),
	CHECK_CASE(runner_subst_replaces_several_variables),
	CHECK_CASE(runner_subst_leaves_text_without_variables),
	CHECK_CASE(runner_subst_rejects_unknown_name),
	CHECK_CASE(runner_subst_rejects_full_jid_of_unconnected_character),
	CHECK_CASE(runner_subst_rejects_malformed_variable),
};

int
main(int argc, char *argv[])
{
	return check_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
