/*
 * form.c - the XEP-0004 data forms the room config, room info and
 * registration use.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "muc.h"
#include "ns.h"

xmpp_stanza_t *
form_find(xmpp_stanza_t *parent)
{
	return st_child(parent, "x", NS_DATA);
}

xmpp_stanza_t *
form_field(xmpp_stanza_t *x, const char *var)
{
	xmpp_stanza_t	*c;
	const char	*v;

	for (c = xmpp_stanza_get_children(x); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "field") != 0)
			continue;
		if ((v = xmpp_stanza_get_attribute(c, "var")) != NULL &&
		    strcmp(v, var) == 0)
			return c;
	}
	return NULL;
}

int
form_value(xmpp_stanza_t *field, char **out)
{
	xmpp_stanza_t	*v;

	*out = NULL;
	if ((v = st_child(field, "value", NULL)) == NULL)
		return MUC_OK;
	return st_text(v, out);
}

size_t
form_nvalues(xmpp_stanza_t *field)
{
	xmpp_stanza_t	*v;
	size_t		 n = 0;

	for (v = xmpp_stanza_get_children(field); v != NULL;
	    v = xmpp_stanza_get_next(v))
		n += xmpp_stanza_is_tag(v) &&
		    strcmp(xmpp_stanza_get_name(v), "value") == 0;
	return n;
}

int
form_type_is(xmpp_stanza_t *x, const char *want)
{
	xmpp_stanza_t	*f = form_field(x, "FORM_TYPE");
	char		*v;
	int		 ok;

	if (f == NULL)
		return 0;
	if (form_value(f, &v) != MUC_OK)
		return MUC_ENOMEM;
	ok = v != NULL && strcmp(v, want) == 0;
	free(v);
	return ok;
}

int
form_bool(const char *s)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		return 1;
	if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		return 0;
	return -1;
}

xmpp_stanza_t *
form_new(struct build *b, xmpp_stanza_t *parent, const char *type,
    const char *form_type)
{
	xmpp_stanza_t	*x = b_child(b, parent, "x", NS_DATA);

	b_attr(b, x, "type", type);
	form_add(b, x, "FORM_TYPE", "hidden", NULL, form_type);
	return x;
}

xmpp_stanza_t *
form_add(struct build *b, xmpp_stanza_t *x, const char *var, const char *type,
    const char *label, const char *value)
{
	xmpp_stanza_t	*f = b_child(b, x, "field", NULL);

	b_attr(b, f, "var", var);
	b_attr(b, f, "type", type);
	b_attr(b, f, "label", label);
	if (value != NULL)
		form_add_value(b, f, value);
	return f;
}

void
form_add_value(struct build *b, xmpp_stanza_t *field, const char *value)
{
	b_text_child(b, field, "value", value);
}

void
form_add_option(struct build *b, xmpp_stanza_t *field, const char *label,
    const char *value)
{
	xmpp_stanza_t	*o = b_child(b, field, "option", NULL);

	b_attr(b, o, "label", label);
	form_add_value(b, o, value);
}
