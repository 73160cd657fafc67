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

void
b_copy(struct build *b, xmpp_stanza_t *parent, xmpp_stanza_t *src)
{
	xmpp_stanza_t	*c;

	if (b->failed || parent == NULL) {
		b->failed = 1;
		return;
	}
	if ((c = xmpp_stanza_copy(src)) == NULL) {
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
