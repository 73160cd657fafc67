/*
 * hash.h - a string-keyed hash map with borrowed keys.
 *
 * Open addressing with linear probing and backward-shift deletion: no
 * allocation per entry, no tombstones.  The key is borrowed from the value
 * (an occupant's nick, an affiliation's JID), so it must stay valid while
 * the entry is in the map.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	const char	*key;		/* NULL: empty */
	uint32_t	 hash;
	void		*val;
};

struct hmap {
	struct hmap_slot	*slot;
	size_t			 cap;	/* power of two, or 0 */
	size_t			 n;
};

void	 hmap_init(struct hmap *m);
void	 hmap_free(struct hmap *m);	/* frees the table, not the values */
void	*hmap_get(const struct hmap *m, const char *key);
/* Insert or replace.  Returns 0, or -1 on allocation failure (unchanged). */
int	 hmap_put(struct hmap *m, const char *key, void *val);
/* Remove key; returns its value or NULL. */
void	*hmap_del(struct hmap *m, const char *key);
/* Iterate: *i starts at 0; returns the next value or NULL at the end.
 * The map must not change during the walk. */
void	*hmap_next(const struct hmap *m, size_t *i);

#endif /* HASH_H */
