/*
 * subst.h - replacing ${Name's JID} and ${Name's full JID} in data blocks
 * (format 5) before they are parsed as XML.
 */
#ifndef SCANSION_SUBST_H
#define SCANSION_SUBST_H

#include <stddef.h>

/* Results of a lookup. */
#define SUBST_OK		0
#define SUBST_UNKNOWN_NAME	(-1)	/* no character of that name */
#define SUBST_NO_FULL_JID	(-2)	/* the character never connected */

/* Find the value for character name; full selects the full JID.
 * OUT: *value (borrowed) on SUBST_OK. */
typedef int (*subst_lookup_fn)(void *ud, const char *name, int full,
    const char **value);

int	subst_expand(const char *text, subst_lookup_fn lookup, void *ud,
	    char **out, char *err, size_t errlen);
int	subst_lookup_dummy(void *ud, const char *name, int full,
	    const char **value);

/* mucd's extension for sent blocks: replace every
 * {scansion:capture:NAME} in text with the value captured under NAME,
 * XML-escaped (docs/scansion-runner.md).  get returns the value of a
 * name, or NULL when nothing was captured under it.  Returns 0 with OUT:
 * *out (the caller frees it), or -1 with a message in err. */
typedef const char *(*subst_capture_fn)(void *ud, const char *name);
int	subst_captures(const char *text, subst_capture_fn get, void *ud,
	    char **out, char *err, size_t errlen);

#endif
