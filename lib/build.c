/*
 * build.c - the stanza builder of build.h and its reading helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "muc.h"

xmpp_stanza_t *
b_new(struct build *b, const char *name)
{
	xmpp_stanza_t	*s;

	if (b->failed)
		return NULL;
	if ((s = xmpp_stanza_new(b->ctx)) == NULL) {
		b->failed = 1;
		return NULL;
	}
	if (xmpp_stanza_set_name(s, name) != XMPP_EOK) {
		xmpp_stanza_release(s);
		b->failed = 1;
		return NULL;
	}
	return s;
}

xmpp_stanza_t *
b_child(struct build *b, xmpp_stanza_t *parent, const char *name,
    const char *ns)
{
	xmpp_stanza_t	*c;

	if (b->failed || parent == NULL) {
		b->failed = 1;
		return NULL;
	}
	if ((c = b_new(b, name)) == NULL)
		return NULL;
	if ((ns != NULL && xmpp_stanza_set_ns(c, ns) != XMPP_EOK) ||
	    xmpp_stanza_add_child_ex(parent, c, 0) != XMPP_EOK) {
		xmpp_stanza_release(c);
		b->failed = 1;
		return NULL;
	}
	return c;
}

void
b_text(struct build *b, xmpp_stanza_t *elem, const char *text)
{
	xmpp_stanza_t	*t;

	if (b->failed || elem == NULL) {
		b->failed = 1;
		return;
	}
	if ((t = xmpp_stanza_new(b->ctx)) == NULL) {
		b->failed = 1;
		return;
	}
	if (xmpp_stanza_set_text(t, text) != XMPP_EOK ||
	    xmpp_stanza_add_child_ex(elem, t, 0) != XMPP_EOK) {
		xmpp_stanza_release(t);
		b->failed = 1;
	}
}

xmpp_stanza_t *
b_text_child(struct build *b, xmpp_stanza_t *parent, const char *name,
    const char *text)
{
	xmpp_stanza_t	*c = b_child(b, parent, name, NULL);

	if (c != NULL && text != NULL && *text != '\0')
		b_text(b, c, text);
	return c;
}

xmpp_stanza_t *
b_query(struct build *b, const char *ns, const char *node)
{
	xmpp_stanza_t	*q = b_new(b, "query");

	if (q != NULL && xmpp_stanza_set_ns(q, ns) != XMPP_EOK)
		b->failed = 1;
	b_attr(b, q, "node", node);
	return q;
}

void
b_feature(struct build *b, xmpp_stanza_t *q, const char *var)
{
	b_attr(b, b_child(b, q, "feature", NULL), "var", var);
}

void
b_attr(struct build *b, xmpp_stanza_t *elem, const char *name,
    const char *value)
{
	if (b->failed || elem == NULL) {
		b->failed = 1;
		return;
	}
	if (value != NULL &&
	    xmpp_stanza_set_attribute(elem, name, value) != XMPP_EOK)
		b->failed = 1;
}

void
b_status(struct build *b, xmpp_stanza_t *parent, int code)
{
	char	buf[12];

	snprintf(buf, sizeof(buf), "%d", code);
	b_attr(b, b_child(b, parent, "status", NULL), "code", buf);
}

/* libstrophe's parser keeps xml:lang as "lang", and its serialiser would
 * write it back so: rename it in s and below.  Returns 0 or -1. */
static int
lang_restore(xmpp_stanza_t *s)
{
	const char	*lang;
	xmpp_stanza_t	*c;

	if (!xmpp_stanza_is_tag(s))
		return 0;
	if ((lang = xmpp_stanza_get_attribute(s, "lang")) != NULL) {
		if (xmpp_stanza_set_attribute(s, "xml:lang", lang) != XMPP_EOK)
			return -1;
		xmpp_stanza_del_attribute(s, "lang");
	}
	for (c = xmpp_stanza_get_children(s); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (lang_restore(c) != 0)
			return -1;
	return 0;
}

void
b_copy(struct build *b, xmpp_stanza_t *parent, xmpp_stanza_t *src)
{
	xmpp_stanza_t	*c;

	if (b->failed || parent == NULL) {
		b->failed = 1;
		return;
	}
	if ((c = xmpp_stanza_copy(src)) == NULL || lang_restore(c) != 0) {
		if (c != NULL)
			xmpp_stanza_release(c);
		b->failed = 1;
		return;
	}
	if (xmpp_stanza_add_child_ex(parent, c, 0) != XMPP_EOK) {
		xmpp_stanza_release(c);
		b->failed = 1;
	}
}

xmpp_stanza_t *
b_done(struct build *b, xmpp_stanza_t *s)
{
	if (!b->failed && s != NULL)
		return s;
	if (s != NULL)
		xmpp_stanza_release(s);
	b->failed = 1;
	return NULL;
}

xmpp_stanza_t *
st_child(xmpp_stanza_t *s, const char *name, const char *ns)
{
	xmpp_stanza_t	*c;
	const char	*cns;

	for (c = xmpp_stanza_get_children(s); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), name) != 0)
			continue;
		cns = xmpp_stanza_get_ns(c);
		if (ns == NULL || (cns != NULL && strcmp(cns, ns) == 0))
			return c;
	}
	return NULL;
}

int
st_text(xmpp_stanza_t *s, char **out)
{
	char	*t = xmpp_stanza_get_text(s);

	*out = strdup(t != NULL ? t : "");
	if (t != NULL)
		xmpp_free(xmpp_stanza_get_context(s), t);
	return *out != NULL ? MUC_OK : MUC_ENOMEM;
}

int
st_child_text(xmpp_stanza_t *s, const char *name, char **out)
{
	xmpp_stanza_t	*c = st_child(s, name, NULL);

	*out = NULL;
	return c != NULL ? st_text(c, out) : MUC_OK;
}

/* A growing text; on failure `failed` is set and later appends do nothing. */
struct text {
	char	*p;
	size_t	 n, cap;
	int	 failed;
};

static void
text_put(struct text *t, const char *s, size_t n)
{
	char	*grown;
	size_t	 cap;

	if (t->failed)
		return;
	if (t->n + n + 1 > t->cap) {
		cap = t->cap ? t->cap : 512;
		while (cap < t->n + n + 1)
			cap *= 2;
		if ((grown = realloc(t->p, cap)) == NULL) {
			t->failed = 1;
			return;
		}
		t->p = grown;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

static void
text_str(struct text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

/* s escaped for XML: & < > always, " in attribute values.  strcspn()
 * finds the next one at the C library's speed. */
static void
text_escaped(struct text *t, const char *s, int attr)
{
	const char	*rep;
	size_t		 n;

	for (;;) {
		n = strcspn(s, attr ? "&<>\"" : "&<>");
		text_put(t, s, n);
		s += n;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: return;	/* the end */
		}
		text_str(t, rep);
		s++;
	}
}

static void
text_attributes(struct text *t, xmpp_stanza_t *s)
{
	const char	*few[64], **attrs = few;
	int		 n, i, count = xmpp_stanza_get_attribute_count(s);

	if (count > 32 && (attrs = malloc((size_t)count * 2 *
	    sizeof(*attrs))) == NULL) {
		t->failed = 1;
		return;
	}
	n = xmpp_stanza_get_attributes(s, attrs, count > 32 ? count * 2 : 64);
	for (i = 0; i + 1 < n; i += 2) {
		if (strcmp(attrs[i], "xmlns") == 0)
			continue;	/* text_stanza() writes it */
		text_put(t, " ", 1);
		text_str(t, strcmp(attrs[i], "lang") == 0 ? "xml:lang" :
		    attrs[i]);
		text_put(t, "=\"", 2);
		text_escaped(t, attrs[i + 1], 1);
		text_put(t, "\"", 1);
	}
	if (attrs != few)
		free(attrs);
}

/* s, in a parent whose namespace is pns: its own written where it
 * differs. */
static void
text_stanza(struct text *t, xmpp_stanza_t *s, const char *pns)
{
	xmpp_stanza_t	*c;
	const char	*name, *body, *ns;

	if (xmpp_stanza_is_text(s)) {
		if ((body = xmpp_stanza_get_text_ptr(s)) != NULL)
			text_escaped(t, body, 0);
		return;
	}
	if ((name = xmpp_stanza_get_name(s)) == NULL) {
		t->failed = 1;
		return;
	}
	text_put(t, "<", 1);
	text_str(t, name);
	if ((ns = xmpp_stanza_get_ns(s)) == NULL)
		ns = pns;
	else if (pns == NULL || strcmp(ns, pns) != 0) {
		text_str(t, " xmlns=\"");
		text_escaped(t, ns, 1);
		text_put(t, "\"", 1);
	}
	text_attributes(t, s);
	if ((c = xmpp_stanza_get_children(s)) == NULL) {
		text_put(t, "/>", 2);
		return;
	}
	text_put(t, ">", 1);
	for (; c != NULL && !t->failed; c = xmpp_stanza_get_next(c))
		text_stanza(t, c, ns);
	text_put(t, "</", 2);
	text_str(t, name);
	text_put(t, ">", 1);
}

int
st_to_text_into(xmpp_stanza_t *s, char **buf, size_t *cap, size_t *len)
{
	struct text	t = { *buf, 0, *cap, 0 };

	/* The stanza's own namespace is its stream's: left out, and so is
	 * every child's that is the same. */
	text_stanza(&t, s, xmpp_stanza_get_ns(s));
	*buf = t.p;
	*cap = t.cap;
	*len = t.n;
	return t.failed || t.p == NULL ? MUC_ENOMEM : MUC_OK;
}

int
st_to_text(xmpp_stanza_t *s, char **out, size_t *len)
{
	size_t	cap = 0;

	*out = NULL;
	if (st_to_text_into(s, out, &cap, len) == MUC_OK)
		return MUC_OK;
	free(*out);
	*out = NULL;
	*len = 0;
	return MUC_ENOMEM;
}
