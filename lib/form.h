/*
 * form.h - XEP-0004 data forms: reading submissions, building forms.
 */
#ifndef FORM_H
#define FORM_H

#include "build.h"

/* The jabber:x:data child of parent, or NULL. */
xmpp_stanza_t	*form_find(xmpp_stanza_t *parent);
/* The field `var` of form x, or NULL. */
xmpp_stanza_t	*form_field(xmpp_stanza_t *x, const char *var);
/* Text of the field's first <value/> ("" for an empty value): MUC_OK with
 * *OUT malloc'd (free it), MUC_OK with *OUT NULL when the field has no
 * <value/>, or MUC_ENOMEM. */
int		 form_value(xmpp_stanza_t *field, char **OUT);
/* How many <value/> children the field has. */
size_t		 form_nvalues(xmpp_stanza_t *field);
/* Is x's FORM_TYPE want?  1 yes, 0 no or absent, MUC_ENOMEM. */
int		 form_type_is(xmpp_stanza_t *x, const char *want);
/* XEP-0004 boolean: 1, 0, or -1 when s is not one. */
int		 form_bool(const char *s);

/* <x xmlns='jabber:x:data' type=type> with a hidden FORM_TYPE field. */
xmpp_stanza_t	*form_new(struct build *b, xmpp_stanza_t *parent,
		    const char *type, const char *form_type);
/* A field; label and value may be NULL.  Returns the field. */
xmpp_stanza_t	*form_add(struct build *b, xmpp_stanza_t *x, const char *var,
		    const char *type, const char *label, const char *value);
void		 form_add_value(struct build *b, xmpp_stanza_t *field,
		    const char *value);
void		 form_add_option(struct build *b, xmpp_stanza_t *field,
		    const char *label, const char *value);

#endif /* FORM_H */
