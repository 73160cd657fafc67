/*
 * xtext.c - the one-pass XML text writer of xtext.h.
 */
#include <stdlib.h>
#include <string.h>

#include "xtext.h"

/* Make room for n more bytes and the NUL. */
static int
xt_room(struct xtext *x, size_t n)
{
	size_t	 cap;
	char	*grown;

	if (x->failed)
		return -1;
	if (x->len + n + 1 <= x->cap)
		return 0;
	cap = x->cap > 0 ? x->cap : 256;
	while (cap < x->len + n + 1) {
		if (cap > ((size_t)-1) / 2) {
			x->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	if ((grown = realloc(x->buf, cap)) == NULL) {
		x->failed = 1;
		return -1;
	}
	x->buf = grown;
	x->cap = cap;
	return 0;
}

static void
xt_put(struct xtext *x, const char *s, size_t n)
{
	if (xt_room(x, n) != 0)
		return;
	memcpy(x->buf + x->len, s, n);
	x->len += n;
	x->buf[x->len] = '\0';
}

void
xt_raw(struct xtext *x, const char *s)
{
	xt_put(x, s, strlen(s));
}

/* Append s escaped for an attribute value in double quotes or for text
 * (the same set serves both). */
static void
xt_escaped(struct xtext *x, const char *s)
{
	const char	*run = s, *rep;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: continue;
		}
		xt_put(x, run, (size_t)(s - run));
		xt_raw(x, rep);
		run = s + 1;
	}
	xt_put(x, run, (size_t)(s - run));
}

size_t
xt_text_len(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': case '\'': case '"': n += 6; break;
		case '<': case '>': n += 4; break;
		default: n++;
		}
	return n;
}

size_t
xt_attr_len(const char *name, const char *value)
{
	return value == NULL ? 0 : strlen(name) + 4 + xt_text_len(value);
}

void
xt_attr(struct xtext *x, const char *name, const char *value)
{
	if (value == NULL)
		return;
	xt_raw(x, " ");
	xt_raw(x, name);
	xt_raw(x, "=\"");
	xt_escaped(x, value);
	xt_raw(x, "\"");
}

void
xt_text(struct xtext *x, const char *s)
{
	xt_escaped(x, s);
}

char *
xt_done(struct xtext *x, size_t *len)
{
	char	*buf;

	if (x->failed || xt_room(x, 0) != 0) {
		free(x->buf);
		x->buf = NULL;
		x->len = x->cap = 0;
		x->failed = 1;
		return NULL;
	}
	x->buf[x->len] = '\0';
	buf = x->buf;
	*len = x->len;
	x->buf = NULL;
	x->len = x->cap = 0;
	return buf;
}
