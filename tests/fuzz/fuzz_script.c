/*
 * fuzz_script.c - libFuzzer target: arbitrary bytes as a scansion script.
 *
 * Runs the scansion runner's parser (tests/runner/script.c) on the input,
 * then does to every data block what the runner does before sending or
 * matching it: replaces ${...} with subst_expand() (the dummy lookup the
 * parser tests use) and parses the result with xnode_parse_block(), then
 * serialises each element as the runner would send it.  Everything is
 * freed per run: LeakSanitizer is on.
 *
 * Seeds: the project's scansion scripts (see CMakeLists.txt).
 */
#include <stdint.h>
#include <stdlib.h>

#include "script.h"
#include "subst.h"
#include "xnode.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Substitute and parse one data block, as the runner does. */
static void
fuzz_block(const char *block)
{
	struct xnode	**nodes = NULL;
	size_t		  n = 0, i;
	char		 *text = NULL, *xml, err[256];
	int		  errline;

	if (subst_expand(block, subst_lookup_dummy, NULL, &text, err,
	    sizeof(err)) != 0 || text == NULL) {
		free(text);
		return;
	}
	if (xnode_parse_block(text, &nodes, &n, &errline, err,
	    sizeof(err)) == 0)
		for (i = 0; i < n; i++) {
			xml = xnode_serialize(nodes[i], XNODE_SEND, NULL);
			free(xml);
		}
	xnode_free_list(nodes, n);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script		*s = NULL;
	struct script_error	 err;
	size_t			 i;

	if (script_parse((const char *)data, size, &s, &err) != 0) {
		if (s != NULL)
			abort();	/* a failed parse returns no script */
		return 0;
	}
	for (i = 0; i < s->nactions; i++)
		if (s->actions[i].block != NULL)
			fuzz_block(s->actions[i].block);
	script_free(s);
	return 0;
}
