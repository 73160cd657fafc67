/*
 * jid.h - JIDs: splitting and the stringprep profiles of RFC 6122.
 *
 * Room names are nodeparts, nicks are resourceparts, affiliations are keyed
 * by bare JIDs.  Everything that becomes a key is prepared here first, so
 * "Romeo" and its compatibility-equivalent forms meet in one hash slot.
 */
#ifndef JID_H
#define JID_H

#include <stddef.h>

#define JID_PART_MAX	1023	/* bytes, RFC 6122 2.1 */

struct jid {
	char	*node;		/* NULL when absent */
	char	*domain;
	char	*resource;	/* NULL when absent */
	char	 buf[];		/* the three parts live here */
};

/* Split and prepare s.  Returns NULL if s is not a valid JID (or on
 * allocation failure; the two are not told apart: both refuse the input). */
struct jid	*jid_parse(const char *s);
/* node@domain/resource, leaving out the parts that are NULL; malloc'd,
 * NULL on allocation failure.  The parts are used as given (prepare them
 * first).  The one way the engine builds a JID string. */
char		*jid_join(const char *node, const char *domain,
		    const char *resource);
/* "node@domain" or "domain" of j, malloc'd; NULL on allocation failure. */
char		*jid_bare(const struct jid *j);
/* The full form, malloc'd. */
char		*jid_full(const struct jid *j);
/* Check and prepare a nick as mucd's nicks must be: no non-ASCII spaces,
 * controls, bidirectional or invisible formatting, private-use, tagging or
 * non-character code points, then Resourceprep without unassigned code
 * points, and not empty or all spaces.  Returns the prepared nick
 * (malloc'd), or NULL with *why set to a sentence for the user (or to
 * NULL when allocation failed). */
char		*jid_nick_check(const char *s, const char **why);
/* Prepare a nick (jid_nick_check() without the reason) / a room name
 * (nodeprep); malloc'd, or NULL when the input is not acceptable. */
char		*jid_nick_prep(const char *s);
char		*jid_node_prep(const char *s);
/* Normalised bare JID of s, which may be full or bare; NULL if invalid. */
char		*jid_bare_prep(const char *s);

#endif /* JID_H */
