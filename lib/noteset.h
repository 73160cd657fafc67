/*
 * noteset.h - a set of strings noting what changed, to be written later.
 *
 * The state module notes each occupant or room that changes (an occupant
 * as "room/nick": a room name holds no '/'); snapshot.c writes what was
 * noted at its next turn and empties the set.  Noting the same thing
 * twice keeps one entry, so the write costs what changed, not how often.
 */
#ifndef NOTESET_H
#define NOTESET_H

#include <stddef.h>

#include "hash.h"

struct noteset {
	struct hmap	keys;	/* key -> the same malloc'd string */
};

void	noteset_init(struct noteset *ns);
/* Note a, or "a/b" when b is not NULL.  Returns MUC_OK or MUC_ENOMEM
 * (nothing noted). */
int	noteset_add(struct noteset *ns, const char *a, const char *b);
/* Iterate as hmap_next(): *i starts at 0; NULL at the end.  The set must
 * not change during the walk. */
const char *noteset_next(const struct noteset *ns, size_t *i);
size_t	noteset_count(const struct noteset *ns);
/* Forget every note. */
void	noteset_clear(struct noteset *ns);

#endif /* NOTESET_H */
