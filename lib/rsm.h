/*
 * rsm.h - XEP-0059 result set management for the answers that grow
 * with the service or a room, and the size an answer may reach.
 *
 * The service's disco#items (rooms, by name), a room's disco#items
 * (occupants, in join order) and the muc#admin lists (affiliations by
 * JID, roles in join order) come a page at a time.  A client that asks
 * for no page gets the whole list when it fits in LIST_BYTES_MAX, else
 * as much as fits and a <set/> saying there is more: a larger stanza
 * would not get through the host (Prosody closes a component's stream
 * on one over 512 KiB), and the whole service would go with it.
 */
#ifndef RSM_H
#define RSM_H

#include <stddef.h>

#include <strophe.h>

#include "ns.h"
#include "xtext.h"

#define LIST_BYTES_MAX	(256 * 1024)	/* items of one answer, as text */

struct rsm {
	size_t	 max;		/* items at most */
	char	*bound;		/* the UID after (or before) which; NULL */
	int	 backward;	/* <before/>: the page before bound (NULL:
				 * the last page) */
	int	 asked;		/* the request had a <set/> */
};

/* Read the <set/> under q into OUT: max defaults to def and is capped
 * at cap (a request without <set/> gets `unasked` items at most).  Only
 * <index>0</index> is supported (any other would be an OFFSET, a walk as
 * long as the index).  Returns NULL, or the error condition to refuse the
 * request with ("bad-request", "feature-not-implemented", or
 * "internal-server-error" when out of memory). */
const char *rsm_read(xmpp_stanza_t *q, size_t def, size_t cap,
	    size_t unasked, struct rsm *OUT);
void	rsm_free(struct rsm *r);
/* One page's candidates, ascending, the nearest max to the bound: how
 * big each is as text, how to write it, its UID. */
struct rsm_list {
	const void	*const *item;
	size_t		 n;
	size_t		(*size)(const void *ud, const void *item);
	void		(*write)(const void *ud, struct xtext *x,
			    const void *item);
	const char	*(*uid)(const void *item);
	const void	*ud;		/* for size() and write() */
};
/* Write the items of l that fit in LIST_BYTES_MAX (the ones nearest the
 * bound, at least one), then the <set/> when the request had one or not
 * everything was written.  index is that of l->item[0] in the whole list
 * (-1: not known), count the whole list's length. */
void	rsm_page(struct xtext *x, const struct rsm_list *l, const struct rsm *r,
	    long index, size_t count);
/* Write the answer's <set/>: first and last UID (NULL on an empty
 * page), the index of the first when known (-1: not known), the count. */
void	rsm_write(struct xtext *x, const char *first, const char *last,
	    long index, size_t count);

#endif /* RSM_H */
