/*
 * buf.c - a growable string buffer with sticky allocation failure.
 *
 * Used wherever the runner assembles text piece by piece: the XML
 * serialiser, variable substitution, script block joining and failure
 * reports.  See buf.h for the error convention.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Make room for n more bytes plus a NUL.  Returns 0, or -1 after marking
 * the buffer failed. */
static int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 want, ncap;
	char	*p;

	if (b->failed)
		return -1;
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

/* Start with an empty buffer; nothing is allocated until the first append. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

/* Append n bytes of s. */
void
buf_addn(struct buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Append the NUL-terminated string s. */
void
buf_add(struct buf *b, const char *s)
{
	buf_addn(b, s, strlen(s));
}

/* Append printf-formatted text. */
void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_reserve(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Append s with the XML special characters escaped.  Quotes are escaped
 * only inside attribute values (in_attribute non-zero). */
void
buf_add_escaped(struct buf *b, const char *s, int in_attribute)
{
	const char	*p;

	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&':	buf_add(b, "&amp;"); break;
		case '<':	buf_add(b, "&lt;"); break;
		case '>':	buf_add(b, "&gt;"); break;
		case '"':
			buf_add(b, in_attribute ? "&quot;" : "\"");
			break;
		case '\'':
			buf_add(b, in_attribute ? "&apos;" : "'");
			break;
		default:	buf_addn(b, p, 1); break;
		}
	}
}

/* Hand the text over to the caller, who frees it.  Returns NULL (and
 * frees everything) if any append failed.  An untouched buffer gives "". */
char *
buf_finish(struct buf *b)
{
	char	*s;

	if (!b->failed && b->data == NULL && buf_reserve(b, 0) == 0)
		b->data[0] = '\0';
	if (b->failed) {
		buf_free(b);
		return NULL;
	}
	s = b->data;
	buf_init(b);
	return s;
}

/* Release the buffer's memory; the buffer is empty afterwards. */
void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}
