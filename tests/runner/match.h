/*
 * match.h - deciding whether a received stanza matches an expected one
 * (format section 10), and the capture store it shares across a script.
 */
#ifndef SCANSION_MATCH_H
#define SCANSION_MATCH_H

#include <stddef.h>

#include "xnode.h"

struct capture {
	char	*name;
	char	*value;
};

/* Values captured by {scansion:capture:NAME}; lives for one script and is
 * shared by all characters. */
struct captures {
	struct capture	*v;
	size_t		 n;
	size_t		 cap;
};

#define MATCH_YES	1
#define MATCH_NO	0
#define MATCH_ENOMEM	(-1)

void		 captures_init(struct captures *c);
void		 captures_free(struct captures *c);
const char	*captures_get(const struct captures *c, const char *name);

int		 match_is_strict(const struct xnode *expected);
int		 match_stanza(const struct xnode *expected,
		    const struct xnode *received, struct captures *caps,
		    char *why, size_t whylen);

#endif
