/*
 * confusable.h - nicknames that look alike.
 *
 * Two nicks are confusable when their case-folded Unicode confusables
 * skeletons (UTS #39) are equal: "Romeo", "romeo" and "Rоmeo" with a
 * Cyrillic о all have one skeleton.  ICU's spoof checker holds the
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
/* The skeleton of nick (UTF-8, already prepared) after case folding,
 * malloc'd; NULL when ICU fails (not UTF-8, out of memory). */
char	*confusable_skeleton(struct confusable *c, const char *nick);

#endif /* CONFUSABLE_H */
