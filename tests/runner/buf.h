/*
 * buf.h - a growable string buffer for building text (serialised XML,
 * failure reports, joined block lines).
 *
 * An allocation failure is remembered in the buffer instead of being
 * returned by every append: callers append freely and check once, at
 * buf_finish(), which returns NULL if any append failed.
 */
#ifndef SCANSION_BUF_H
#define SCANSION_BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated while not failed */
	size_t	 len;		/* bytes used, without the NUL */
	size_t	 cap;		/* bytes allocated */
	int	 failed;	/* an allocation failed; data is unusable */
};

void	 buf_init(struct buf *b);
void	 buf_add(struct buf *b, const char *s);
void	 buf_addn(struct buf *b, const char *s, size_t n);
void	 buf_addf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_add_escaped(struct buf *b, const char *s, int in_attribute);
char	*buf_finish(struct buf *b);
void	 buf_free(struct buf *b);

#endif
