/*
 * test_script.c - unit tests for the .scs parser (script.c), one case per
 * rule of format sections 1-6, each rule with an accepted and a rejected
 * (or otherwise "must fail") example.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "script.h"

#define ROMEO	"[Client] Romeo\n\tjid: romeo@example.test\n\tpassword: pw\n\n"

/* Parse text; prints the syntax error when there is one. */
static struct script *
parse(const char *text)
{
	struct script		*s;
	struct script_error	 err;

	if (script_parse(text, strlen(text), &s, &err) < 0) {
		fprintf(stderr, "  (line %d: %s)\n", err.line, err.msg);
		return NULL;
	}
	return s;
}

/* Parse text that must be rejected; OUT: err.  Returns 1 if rejected. */
static int
rejected(const char *text, struct script_error *err)
{
	struct script	*s;

	if (script_parse(text, strlen(text), &s, err) == 0) {
		script_free(s);
		return 0;
	}
	return 1;
}

static void
runner_parse_reads_characters(void)
{
	struct script	*s = parse(
	    "[Client] Porter\n"
	    "\tjid: porter@example.test/desk\n"
	    "\tpassword:  s3cret  \n"
	    "\tresource: pager\n"
	    "\tconnect_host: 127.0.0.2\n"
	    "\tconnect_port: 5223\n");

	CHECK(s != NULL);
	CHECK(s->nchars == 1);
	CHECK_STR(s->chars[0].name, "Porter");
	CHECK_STR(s->chars[0].jid, "porter@example.test/desk");
	CHECK_STR(s->chars[0].password, "s3cret");
	CHECK_STR(s->chars[0].resource, "pager");
	CHECK_STR(s->chars[0].connect_host, "127.0.0.2");
	CHECK(s->chars[0].connect_port == 5223);
	CHECK(s->chars[0].line == 1);
	script_free(s);
}

static void
runner_parse_defaults_password_to_empty(void)
{
	struct script	*s = parse("[Client] A\n\tjid: a@example.test\n");

	CHECK(s != NULL);
	CHECK_STR(s->chars[0].password, "");
	CHECK(s->chars[0].resource == NULL);
	CHECK(s->chars[0].connect_port == 0);
	script_free(s);
}

static void
runner_parse_ignores_unknown_property_keys(void)
{
	struct script	*s = parse("[Client] A\n\tjid: a@example.test\n"
	    "\tcolour: blue\n");

	CHECK(s != NULL);
	script_free(s);
}

static void
runner_parse_rejects_character_without_jid(void)
{
	struct script_error	 err;

	CHECK(rejected("\n[Client] A\n\tpassword: x\n", &err));
	CHECK(err.line == 2);
	CHECK_CONTAINS(err.msg, "no jid");
}

static void
runner_parse_rejects_property_without_colon(void)
{
	struct script_error	 err;

	CHECK(rejected("[Client] A\n\tjid a@example.test\n", &err));
	CHECK(err.line == 2);
}

static void
runner_parse_rejects_bad_connect_port(void)
{
	struct script_error	 err;

	CHECK(rejected("[Client] A\n\tjid: a@x\n\tconnect_port: 70000\n",
	    &err));
	CHECK(err.line == 3);
}

static void
runner_parse_rejects_unknown_class(void)
{
	struct script_error	 err;

	CHECK(rejected("[Component] A\n\tjid: a@x\n", &err));
	CHECK(err.line == 1);
	CHECK_CONTAINS(err.msg, "Component");
}

static void
runner_parse_rejects_duplicate_character(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO ROMEO, &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "already defined on line 1");
}

static void
runner_parse_accepts_names_with_spaces_and_apostrophes(void)
{
	struct script	*s = parse(
	    "[Client]   Porter's pager  \n\tjid: p@example.test\n"
	    "Porter's pager connects\n");

	CHECK(s != NULL);
	CHECK_STR(s->chars[0].name, "Porter's pager");
	CHECK(s->nactions == 1);
	CHECK(s->actions[0].ichar == 0);
	CHECK(s->actions[0].verb == VERB_CONNECTS);
	script_free(s);
}

static void
runner_parse_prefers_longest_character_name(void)
{
	struct script	*s = parse(
	    "[Client] Porter\n\tjid: p@example.test\n"
	    "[Client] Porter's pager\n\tjid: p@example.test\n"
	    "[Client] Porter's\n\tjid: p@example.test\n"
	    "[Client] Porter sends\n\tjid: p@example.test\n"
	    "Porter's pager connects\n"
	    "Porter connects\n"
	    "Porter's connects\n"
	    "Porter sends connects\n"
	    "Porter sends sends:\n\t<presence/>\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 5);
	CHECK(s->actions[0].ichar == 1);
	CHECK(s->actions[1].ichar == 0);
	CHECK(s->actions[2].ichar == 2);
	/* "Porter" followed by "sends" would also read as an action */
	CHECK(s->actions[3].ichar == 3);
	CHECK(s->actions[3].verb == VERB_CONNECTS);
	CHECK(s->actions[4].ichar == 3);
	CHECK(s->actions[4].verb == VERB_SENDS);
	script_free(s);
}

static void
runner_parse_rejects_action_of_undefined_character(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Juliet connects\n", &err));
	CHECK(err.line == 5);
}

static void
runner_parse_rejects_unknown_verb(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo connects\nRomeo shouts:\n\t<a/>\n", &err));
	CHECK(err.line == 6);
	CHECK_CONTAINS(err.msg, "Romeo shouts");
}

static void
runner_parse_rejects_verb_glued_to_more_letters(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo connectsX\n", &err));
	CHECK(err.line == 5);
}

static void
runner_parse_makes_colon_optional(void)
{
	struct script	*s = parse(ROMEO
	    "Romeo connects:\n"
	    "Romeo sends\n\t<presence/>\n"
	    "Romeo sends:\n\t<presence/>\n"
	    "Romeo receives\n\t<presence/>\n"
	    "Romeo disconnects\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 5);
	CHECK(s->actions[0].verb == VERB_CONNECTS);
	CHECK(s->actions[1].verb == VERB_SENDS);
	CHECK(s->actions[2].verb == VERB_SENDS);
	CHECK(s->actions[3].verb == VERB_RECEIVES);
	CHECK(s->actions[4].verb == VERB_DISCONNECTS);
	CHECK(s->actions[1].line == 6);
	script_free(s);
}

static void
runner_parse_reads_receives_nothing(void)
{
	struct script	*s = parse(ROMEO "Romeo receives: nothing\n"
	    "Romeo receives nothing\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 2);
	CHECK(s->actions[0].verb == VERB_RECEIVES_NOTHING);
	CHECK(s->actions[1].verb == VERB_RECEIVES_NOTHING);
	CHECK(s->actions[0].block == NULL);
	script_free(s);
}

static void
runner_parse_rejects_unknown_argument(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo receives: everything\n\t<a/>\n", &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "everything");
}

static void
runner_parse_rejects_send_without_block(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo sends:\n\nRomeo disconnects\n", &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "needs a data block");
}

static void
runner_parse_rejects_receive_without_block(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo receives:\n", &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "needs a data block");
}

static void
runner_parse_rejects_block_after_receives_nothing(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo receives: nothing\n\t<a/>\n", &err));
	CHECK(err.line == 6);
	CHECK_CONTAINS(err.msg, "takes no data block");
}

static void
runner_parse_rejects_block_after_connects(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo connects\n\t<a/>\n", &err));
	CHECK(err.line == 6);
}

static void
runner_parse_rejects_indented_line_outside_block(void)
{
	struct script_error	 err;

	CHECK(rejected("# title\n\t<a/>\n", &err));
	CHECK(err.line == 2);
	CHECK_CONTAINS(err.msg, "indented line");
}

static void
runner_parse_skips_comments(void)
{
	struct script	*s = parse(
	    "# Title\n"
	    "// a comment before the characters\n"
	    ROMEO
	    "-- a dash comment\n"
	    "# a hash comment after the header\n"
	    "Romeo connects\n"
	    "// between actions\n"
	    "Romeo disconnects\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 2);
	CHECK_STR(s->title, "Title");
	CHECK(s->description == NULL);
	CHECK(s->actions[1].line == 11);
	script_free(s);
}

static void
runner_parse_rejects_single_slash_comment(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "/ not a comment\n", &err));
	CHECK(err.line == 5);
}

static void
runner_parse_ignores_separator_line(void)
{
	struct script	*s = parse(ROMEO "---\n-----------------\n"
	    "Romeo connects\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 1);
	script_free(s);
}

static void
runner_parse_reads_header_title_description_tags(void)
{
	struct script	*s = parse(
	    "# Lost keys\n"
	    "\n"
	    "# The porter refuses entry\n"
	    "# without the password.\n"
	    "## slow\n"
	    "## xep: 0045\n"
	    "\n" ROMEO
	    "# not description\n"
	    "## not a tag\n");

	CHECK(s != NULL);
	CHECK_STR(s->title, "Lost keys");
	CHECK_STR(s->description,
	    "The porter refuses entry\nwithout the password.");
	CHECK(s->ntags == 2);
	CHECK_STR(s->tags[0], "slow");
	CHECK_STR(s->tags[1], "xep: 0045");
	script_free(s);
}

static void
runner_parse_accepts_script_without_header(void)
{
	struct script	*s = parse(ROMEO "# later\nRomeo connects\n");

	CHECK(s != NULL);
	CHECK(s->title == NULL);
	CHECK(s->ntags == 0);
	script_free(s);
}

static void
runner_parse_keeps_blank_lines_inside_blocks(void)
{
	struct script	*s = parse(ROMEO
	    "Romeo sends:\n"
	    "\t<message to='a@b'>\n"
	    "\n"
	    "\t\t<body>x</body>\n"
	    "\t</message>\n"
	    "\n"
	    "\t<presence/>\n"
	    "\n"
	    "Romeo disconnects\n");

	CHECK(s != NULL);
	CHECK(s->nactions == 2);
	CHECK(s->actions[0].block_line == 6);
	CHECK_CONTAINS(s->actions[0].block, "<presence/>");
	CHECK_CONTAINS(s->actions[0].block, "<body>x</body>");
	CHECK(s->actions[1].line == 13);
	script_free(s);
}

static void
runner_parse_ends_block_at_unindented_line(void)
{
	struct script_error	 err;

	/* the comment ends the block; the next indented line belongs to
	 * nothing */
	CHECK(rejected(ROMEO "Romeo sends:\n\t<a/>\n# c\n\t<b/>\n", &err));
	CHECK(err.line == 8);
}

static void
runner_parse_keeps_several_elements_in_one_block(void)
{
	struct script	*s = parse(ROMEO
	    "Romeo receives:\n\t<a/>\n\t<b/>\n\t<c/>\n");

	CHECK(s != NULL);
	CHECK_STR(s->actions[0].block, "\t<a/>\n\t<b/>\n\t<c/>");
	script_free(s);
}

static void
runner_parse_reports_xml_error_with_script_line(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO
	    "Romeo sends:\n"
	    "\t<message>\n"
	    "\n"
	    "\t\t<body>x</bdy>\n"
	    "\t</message>\n", &err));
	CHECK(err.line == 8);
	CHECK_CONTAINS(err.msg, "XML");
}

static void
runner_parse_rejects_text_outside_elements(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo sends:\n\t<a/>\n\tstray\n", &err));
	CHECK(err.line == 7);
}

static void
runner_parse_rejects_unclassifiable_line_with_its_number(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo connects\n\nhello world\n", &err));
	CHECK(err.line == 7);
	CHECK_CONTAINS(err.msg, "hello world");
}

static void
runner_parse_accepts_crlf_line_ends(void)
{
	struct script	*s = parse("# T\r\n[Client] A\r\n\tjid: a@x \r\n"
	    "A sends:\r\n\t<presence/>\r\n");

	CHECK(s != NULL);
	CHECK_STR(s->title, "T");
	CHECK_STR(s->chars[0].jid, "a@x");
	CHECK(s->nactions == 1);
	CHECK(strchr(s->actions[0].block, '\r') == NULL);
	script_free(s);
}

static void
runner_parse_accepts_variables_in_blocks(void)
{
	struct script	*s = parse(
	    "[Client] Porter's pager\n\tjid: p@x\n"
	    "Porter's pager sends:\n"
	    "\t<message to='${Porter's pager's full JID}'>"
	    "<body>${Porter's pager's JID}</body></message>\n");

	CHECK(s != NULL);
	CHECK_CONTAINS(s->actions[0].block, "${Porter's pager's full JID}");
	script_free(s);
}

static void
runner_parse_leaves_unknown_variable_names_to_run_time(void)
{
	/* format 5: an unknown name makes the action fail, not the parse */
	struct script	*s = parse(ROMEO "Romeo sends:\n"
	    "\t<message to='${Nobody's JID}'/>\n");

	CHECK(s != NULL);
	script_free(s);
}

static void
runner_parse_rejects_malformed_variable(void)
{
	struct script_error	 err;

	CHECK(rejected(ROMEO "Romeo sends:\n\t<message to='${Romeo}'/>\n",
	    &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "unknown variable");
}

static void
runner_parse_rejects_bad_strict_value(void)
{
	struct script_error	 err;
	struct script		*s = parse(ROMEO "Romeo receives:\n"
	    "\t<iq><query xmlns='q' scansion:strict='false'/></iq>\n");

	CHECK(s != NULL);
	script_free(s);
	CHECK(rejected(ROMEO "Romeo receives:\n"
	    "\t<iq><query xmlns='q' scansion:strict='maybe'/></iq>\n", &err));
	CHECK(err.line == 5);
	CHECK_CONTAINS(err.msg, "maybe");
}

static void
runner_parse_rejects_nul_byte(void)
{
	struct script		*s;
	struct script_error	 err;
	static const char	 text[] = "# a\n\0b\n";

	CHECK(script_parse(text, sizeof(text) - 1, &s, &err) < 0);
	CHECK(err.line == 2);
}

static const struct check_case cases[] = {
	CHECK_CASE(runner_parse_reads_characters),
	CHECK_CASE(runner_parse_defaults_password_to_empty),
	CHECK_CASE(runner_parse_ignores_unknown_property_keys),
	CHECK_CASE(runner_parse_rejects_character_without_jid),
	CHECK_CASE(runner_parse_rejects_property_without_colon),
	CHECK_CASE(runner_parse_rejects_bad_connect_port),
	CHECK_CASE(runner_parse_rejects_unknown_class),
	CHECK_CASE(runner_parse_rejects_duplicate_character),
	CHECK_CASE(runner_parse_accepts_names_with_spaces_and_apostrophes),
	CHECK_CASE(runner_parse_prefers_longest_character_name),
	CHECK_CASE(runner_parse_rejects_action_of_undefined_character),
	CHECK_CASE(runner_parse_rejects_unknown_verb),
	CHECK_CASE(runner_parse_rejects_verb_glued_to_more_letters),
	CHECK_CASE(runner_parse_makes_colon_optional),
	CHECK_CASE(runner_parse_reads_receives_nothing),
	CHECK_CASE(runner_parse_rejects_unknown_argument),
	CHECK_CASE(runner_parse_rejects_send_without_block),
	CHECK_CASE(runner_parse_rejects_receive_without_block),
	CHECK_CASE(runner_parse_rejects_block_after_receives_nothing),
	CHECK_CASE(runner_parse_rejects_block_after_connects),
	CHECK_CASE(runner_parse_rejects_indented_line_outside_block),
	CHECK_CASE(runner_parse_skips_comments),
	CHECK_CASE(runner_parse_rejects_single_slash_comment),
	CHECK_CASE(runner_parse_ignores_separator_line),
	CHECK_CASE(runner_parse_reads_header_title_description_tags),
	CHECK_CASE(runner_parse_accepts_script_without_header),
	CHECK_CASE(runner_parse_keeps_blank_lines_inside_blocks),
	CHECK_CASE(runner_parse_ends_block_at_unindented_line),
	CHECK_CASE(runner_parse_keeps_several_elements_in_one_block),
	CHECK_CASE(runner_parse_reports_xml_error_with_script_line),
	CHECK_CASE(runner_parse_rejects_text_outside_elements),
	CHECK_CASE(runner_parse_rejects_unclassifiable_line_with_its_number),
	CHECK_CASE(runner_parse_accepts_crlf_line_ends),
	CHECK_CASE(runner_parse_accepts_variables_in_blocks),
	CHECK_CASE(runner_parse_leaves_unknown_variable_names_to_run_time),
	CHECK_CASE(runner_parse_rejects_malformed_variable),
	CHECK_CASE(runner_parse_rejects_bad_strict_value),
	CHECK_CASE(runner_parse_rejects_nul_byte),
};

int
main(int argc, char *argv[])
{
	return check_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
