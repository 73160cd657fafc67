/*
 * subst.c - variable substitution in data blocks (format 5).
 *
 * A placeholder runs from "${" to the next "}".  Its content must end in
 * "'s full JID" or "'s JID"; what comes before that suffix is the
 * character's name, which may itself contain "'s" ("Porter's pager").
 * Values are XML-escaped because substitution happens before parsing.
 * Who the characters are is asked through a callback, so this file knows
 * nothing about connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "subst.h"

#define SUFFIX_FULL	"'s full JID"
#define SUFFIX_BARE	"'s JID"

/* Non-zero when the n bytes at s end with suffix. */
static int
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t	 k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Lookup that knows every name and answers a fixed JID: used to check a
 * block's XML when the script is loaded, before anyone has connected. */
int
subst_lookup_dummy(void *ud, const char *name, int full, const char **value)
{
	(void)ud;
	(void)name;
	*value = full ? "someone@example.invalid/resource" :
	    "someone@example.invalid";
	return SUBST_OK;
}

/* Replace every placeholder in text.  On success returns 0 and OUT: *out
 * is a new string the caller frees.  Returns -1 with a message in err
 * when a placeholder is malformed, names an unknown character, asks for
 * the full JID of a character that never connected, or memory runs out. */
int
subst_expand(const char *text, subst_lookup_fn lookup, void *ud, char **out,
    char *err, size_t errlen)
{
	struct buf	 b;
	const char	*p, *start, *end, *value;
	char		*name = NULL;
	size_t		 n;
	int		 full, rc = -1, r;

	*out = NULL;
	buf_init(&b);
	for (p = text; (start = strstr(p, "${")) != NULL; p = end + 1) {
		buf_addn(&b, p, (size_t)(start - p));
		if ((end = strchr(start + 2, '}')) == NULL) {
			snprintf(err, errlen, "unterminated variable \"%.40s\"",
			    start);
			goto cleanup;
		}
		n = (size_t)(end - (start + 2));
		if (ends_with(start + 2, n, SUFFIX_FULL)) {
			full = 1;
			n -= strlen(SUFFIX_FULL);
		} else if (ends_with(start + 2, n, SUFFIX_BARE)) {
			full = 0;
			n -= strlen(SUFFIX_BARE);
		} else {
			snprintf(err, errlen, "unknown variable \"%.*s\" "
			    "(expected ${Name's JID} or ${Name's full JID})",
			    (int)(end - start + 1), start);
			goto cleanup;
		}
		free(name);
		if ((name = strndup(start + 2, n)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto cleanup;
		}
		r = lookup(ud, name, full, &value);
		if (r == SUBST_UNKNOWN_NAME) {
			snprintf(err, errlen, "variable \"%.*s\": no character "
			    "named \"%s\"", (int)(end - start + 1), start, name);
			goto cleanup;
		}
		if (r == SUBST_NO_FULL_JID) {
			snprintf(err, errlen, "variable \"%.*s\": %s has never "
			    "connected, so has no full JID",
			    (int)(end - start + 1), start, name);
			goto cleanup;
		}
		buf_add_escaped(&b, value, 1);
	}
	buf_add(&b, p);
	if ((*out = buf_finish(&b)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc != 0)
		buf_free(&b);
	free(name);
	return rc;
}

#define CAPTURE_OPEN	"{scansion:capture:"

int
subst_captures(const char *text, subst_capture_fn get, void *ud, char **out,
    char *err, size_t errlen)
{
	struct buf	 b;
	const char	*p, *start, *end, *value;
	char		*name;

	*out = NULL;
	buf_init(&b);
	for (p = text; (start = strstr(p, CAPTURE_OPEN)) != NULL; p = end + 1) {
		buf_addn(&b, p, (size_t)(start - p));
		start += strlen(CAPTURE_OPEN);
		if ((end = strchr(start, '}')) == NULL ||
		    (name = strndup(start, (size_t)(end - start))) == NULL) {
			snprintf(err, errlen, end == NULL ? "unterminated "
			    "capture \"%.40s\"" : "out of memory", start);
			buf_free(&b);
			return -1;
		}
		value = get(ud, name);
		if (value == NULL) {
			snprintf(err, errlen, "capture %s: nothing was captured "
			    "under that name yet", name);
			free(name);
			buf_free(&b);
			return -1;
		}
		free(name);
		buf_add_escaped(&b, value, 1);
	}
	buf_add(&b, p);
	if ((*out = buf_finish(&b)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
