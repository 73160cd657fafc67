/*
 * xtext.h - writing a stanza as XML text in one pass.
 *
 * libstrophe 0.12's xmpp_stanza_add_child() walks the parent's child
 * list on every add, and so does its parser: a stanza tree of n children
 * costs O(n^2) to build either way (a disco#items answer of 100,000
 * rooms took 16.7 s).  Answers whose size grows with a room (an
 * affiliation list, the occupants) are therefore written as text, every
 * value escaped here, and queued with muc_out_push_text().  Like the
 * stanza builder (build.h), the writer keeps a sticky failure flag.
 */
#ifndef XTEXT_H
#define XTEXT_H

#include <stddef.h>

struct xtext {
	char	*buf;		/* NUL-terminated while not failed */
	size_t	 len, cap;
	int	 failed;
};

#define XTEXT_INIT	{ NULL, 0, 0, 0 }

/* Append raw markup (no escaping): tag names, fixed text. */
void	xt_raw(struct xtext *x, const char *s);
/* Append ` name="value"`, value escaped; a NULL value adds nothing. */
void	xt_attr(struct xtext *x, const char *name, const char *value);
/* Append text content, escaped. */
void	xt_text(struct xtext *x, const char *s);
/* How many bytes xt_attr(name, value) and xt_text(s) would append. */
size_t	xt_attr_len(const char *name, const char *value);
size_t	xt_text_len(const char *s);
/* Finish: the text (malloc'd, *len its length) or NULL after a failure
 * (everything freed). */
char	*xt_done(struct xtext *x, size_t *len);

#endif /* XTEXT_H */
