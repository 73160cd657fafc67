/*
 * vec.h - growing the engine's arrays.
 *
 * Every array that grows as elements arrive (outbox entries, recipients,
 * sessions, parsed items, row lists) grows through vec_reserve(), so the
 * doubling, the overflow check and the "unchanged on failure" rule live
 * in one place.
 */
#ifndef VEC_H
#define VEC_H

#include <stddef.h>

/* Make room for at least need elements of size bytes in the array *arrp
 * (arrp is the address of the array pointer, e.g. &out->e), whose capacity
 * is *cap elements.  Grows by doubling from 8.  Returns MUC_OK, or
 * MUC_ENOMEM with *arrp and *cap unchanged. */
int	vec_reserve(void *arrp, size_t *cap, size_t need, size_t size);

#endif /* VEC_H */
