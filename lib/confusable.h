/*
 * confusable.h - nicknames that look alike.
 *
 * Two nicks are confusable when their Unicode confusables skeletons
 * (UTS #39), taken without regard to case, are equal: "Romeo", "romeo",
 * "Rоmeo" with a Cyrillic о, "AIice" and "Alice" all meet.  ICU's spoof checker holds the
 * confusables data, which is large and revised with every Unicode
 * release: it is what must not be written by hand.
 */
#ifndef CONFUSABLE_H
#define CONFUSABLE_H

struct confusable;

/* Returns MUC_OK, or MUC_ENOMEM (ICU could not open its data: logged by
 * the caller) with *OUT NULL. */
int	confusable_new(struct confusable **OUT);
void	confusable_free(struct confusable *c);
/*
 * The two keys nick (UTF-8, already prepared) is compared by, malloc'd
 * into key[0] and key[1]: the skeleton of the case-folded nick, so that
 * case variants meet ("Romeo", "ROMEO"), and the case-folded skeleton, so
 * that confusables that are capitals meet too ("AIice" with a capital I,
 * "Alice").  Two nicks are confusable when any key of one equals any key
 * of the other.  Returns 0, or -1 when ICU failed (not UTF-8, out of
 * memory; then both are NULL).
 */
int	confusable_keys(struct confusable *c, const char *nick, char *key[2]);

#endif /* CONFUSABLE_H */
