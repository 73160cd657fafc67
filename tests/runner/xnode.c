/*
 * xnode.c - building, serialising and parsing the runner's XML trees.
 *
 * Three jobs live here: constructing trees (used by the libxml2 and
 * libstrophe converters), writing a tree as XML text (for sending, with
 * scansion:* attributes stripped and namespaces declared where they differ
 * from the parent, and for failure reports, pretty-printed), and parsing a
 * script data block into its top-level elements inside the implicit wrapper
 * of format 6.1 (default namespace jabber:client, scansion prefix bound).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "xnode.h"

/* Opening tag of the wrapper a block is parsed inside.  It has no newline,
 * so libxml2's line numbers are the block's own line numbers. */
#define BLOCK_WRAPPER_OPEN \
	"<scansion-block xmlns='" XNODE_NS_CLIENT "' xmlns:scansion='" \
	XNODE_NS_SCANSION "'>"
#define BLOCK_WRAPPER_CLOSE "</scansion-block>"

/* strdup that accepts NULL (giving NULL).  OUT: *failed is set to 1 when
 * a non-NULL s could not be copied. */
static char *
dup_or_null(const char *s, int *failed)
{
	char	*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = 1;
	return d;
}

/* New element ns:name with no attributes or children, or NULL when out of
 * memory.  A NULL ns means "no namespace" and is stored as "". */
struct xnode *
xnode_new_element(const char *ns, const char *name)
{
	struct xnode	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->name = strdup(name);
	e->ns = strdup(ns != NULL ? ns : "");
	if (e->name == NULL || e->ns == NULL) {
		xnode_free(e);
		return NULL;
	}
	return e;
}

/* New text node holding a copy of text, or NULL when out of memory. */
struct xnode *
xnode_new_text(const char *text)
{
	struct xnode	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->text = strdup(text)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

/* Add attribute (ns, name) = value to e, copying all three strings.
 * Returns 0, or -1 when out of memory (e is unchanged). */
int
xnode_add_attr(struct xnode *e, const char *ns, const char *name,
    const char *value)
{
	struct xattr	*v, a;
	int		 failed = 0;

	a.ns = dup_or_null(ns, &failed);
	a.name = dup_or_null(name, &failed);
	a.value = dup_or_null(value, &failed);
	if (failed || (v = realloc(e->attrs,
	    (e->nattrs + 1) * sizeof(*v))) == NULL) {
		free(a.ns);
		free(a.name);
		free(a.value);
		return -1;
	}
	v[e->nattrs++] = a;
	e->attrs = v;
	return 0;
}

/* Append kid to e's children.  e takes ownership of kid in every case:
 * on failure (-1, out of memory) kid is freed. */
int
xnode_add_kid(struct xnode *e, struct xnode *kid)
{
	struct xnode	**v;

	if ((v = realloc(e->kids, (e->nkids + 1) * sizeof(*v))) == NULL) {
		xnode_free(kid);
		return -1;
	}
	v[e->nkids++] = kid;
	e->kids = v;
	return 0;
}

/* Free n and everything below it.  NULL is allowed. */
void
xnode_free(struct xnode *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nattrs; i++) {
		free(n->attrs[i].ns);
		free(n->attrs[i].name);
		free(n->attrs[i].value);
	}
	free(n->attrs);
	for (i = 0; i < n->nkids; i++)
		xnode_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->ns);
	free(n->text);
	free(n);
}

/* Free an array of n trees and the array itself. */
void
xnode_free_list(struct xnode **list, size_t n)
{
	size_t	 i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		xnode_free(list[i]);
	free(list);
}

/* Namespaces compare equal when both are absent ("" or NULL) or the same
 * string. */
int
xnode_ns_equal(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* The attribute of e identified by (ns, name), or NULL. */
const struct xattr *
xnode_attr(const struct xnode *e, const char *ns, const char *name)
{
	size_t	 i;

	for (i = 0; i < e->nattrs; i++)
		if (strcmp(e->attrs[i].name, name) == 0 &&
		    xnode_ns_equal(e->attrs[i].ns, ns))
			return &e->attrs[i];
	return NULL;
}

/* Non-zero when s is empty or whitespace only. */
int
xnode_is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* The concatenation of e's direct text children (a new string the caller
 * frees; "" when there is none), or NULL when out of memory. */
char *
xnode_text(const struct xnode *e)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < e->nkids; i++)
		if (e->kids[i]->name == NULL)
			buf_add(&b, e->kids[i]->text);
	return buf_finish(&b);
}

/* Number of element (non-text) children of e. */
size_t
xnode_count_elements(const struct xnode *e)
{
	size_t	 i, n = 0;

	for (i = 0; i < e->nkids; i++)
		if (e->kids[i]->name != NULL)
			n++;
	return n;
}

/* Write the attributes of e into b.  Unprefixable namespaces get a prefix
 * declared on e itself (ns1, ns2, ...). */
static void
serialize_attrs(struct buf *b, const struct xnode *e, int flags)
{
	const struct xattr	*a;
	size_t			 i, j;
	int			 prefix;

	for (i = 0; i < e->nattrs; i++) {
		a = &e->attrs[i];
		if ((flags & XNODE_SEND) && a->ns != NULL &&
		    strcmp(a->ns, XNODE_NS_SCANSION) == 0)
			continue;
		buf_add(b, " ");
		if (a->ns == NULL || a->ns[0] == '\0') {
			buf_add(b, a->name);
		} else if (strcmp(a->ns, XNODE_NS_XML) == 0) {
			buf_addf(b, "xml:%s", a->name);
		} else if (strcmp(a->ns, XNODE_NS_SCANSION) == 0) {
			buf_addf(b, "scansion:%s", a->name);
		} else {
			/* the prefix number is the index of the first
			 * attribute in this namespace: stable, unique */
			for (j = 0; j < i; j++)
				if (xnode_ns_equal(e->attrs[j].ns, a->ns))
					break;
			prefix = (int)j + 1;
			if (j == i) {
				buf_addf(b, "xmlns:ns%d=\"", prefix);
				buf_add_escaped(b, a->ns, 1);
				buf_add(b, "\" ");
			}
			buf_addf(b, "ns%d:%s", prefix, a->name);
		}
		buf_add(b, "=\"");
		buf_add_escaped(b, a->value, 1);
		buf_add(b, "\"");
	}
}

/* Write element e (whose parent is in namespace parent_ns) at the given
 * depth into b.  See xnode_serialize() for flags and indent. */
static void
serialize_element(struct buf *b, const struct xnode *e, const char *parent_ns,
    int flags, const char *indent, int depth)
{
	size_t	 i;
	int	 d, pretty = (flags & XNODE_PRETTY) != 0;
	int	 nested = xnode_count_elements(e) > 0;

	if (pretty) {
		buf_add(b, indent);
		for (d = 0; d < depth; d++)
			buf_add(b, "  ");
	}
	buf_addf(b, "<%s", e->name);
	if (!xnode_ns_equal(e->ns, parent_ns)) {
		buf_add(b, " xmlns=\"");
		buf_add_escaped(b, e->ns, 1);
		buf_add(b, "\"");
	}
	serialize_attrs(b, e, flags);
	if (e->nkids == 0) {
		buf_add(b, pretty ? "/>\n" : "/>");
		return;
	}
	buf_add(b, pretty && nested ? ">\n" : ">");
	for (i = 0; i < e->nkids; i++) {
		if (e->kids[i]->name != NULL) {
			serialize_element(b, e->kids[i], e->ns, flags, indent,
			    depth + 1);
			continue;
		}
		if (pretty && nested) {
			buf_add(b, indent);
			for (d = 0; d <= depth; d++)
				buf_add(b, "  ");
		}
		buf_add_escaped(b, e->kids[i]->text, 0);
		if (pretty && nested)
			buf_add(b, "\n");
	}
	if (pretty && nested) {
		buf_add(b, indent);
		for (d = 0; d < depth; d++)
			buf_add(b, "  ");
	}
	buf_addf(b, "</%s>", e->name);
	if (pretty)
		buf_add(b, "\n");
}

/* Serialise element e as XML text, as a top-level stanza of a
 * jabber:client stream (so a jabber:client element gets no xmlns).
 * flags: XNODE_SEND drops scansion:* attributes; XNODE_PRETTY writes one
 * element per line, each line starting with indent, and ends with a
 * newline.  Returns a new string the caller frees, or NULL when out of
 * memory. */
char *
xnode_serialize(const struct xnode *e, int flags, const char *indent)
{
	struct buf	 b;

	buf_init(&b);
	serialize_element(&b, e, XNODE_NS_CLIENT, flags,
	    indent != NULL ? indent : "", 0);
	return buf_finish(&b);
}

/* Convert the libxml2 element x into a new tree, dropping whitespace-only
 * text and comments.  Returns NULL when out of memory. */
static struct xnode *
from_libxml(xmlDocPtr doc, xmlNodePtr x)
{
	struct xnode	*e, *kid;
	xmlAttrPtr	 a;
	xmlNodePtr	 c;
	xmlChar		*value;
	int		 rc;

	e = xnode_new_element(x->ns != NULL ? (const char *)x->ns->href : NULL,
	    (const char *)x->name);
	if (e == NULL)
		return NULL;
	for (a = x->properties; a != NULL; a = a->next) {
		if ((value = xmlNodeListGetString(doc, a->children, 1)) == NULL &&
		    (value = xmlStrdup((const xmlChar *)"")) == NULL)
			goto fail;
		rc = xnode_add_attr(e,
		    a->ns != NULL ? (const char *)a->ns->href : NULL,
		    (const char *)a->name, (const char *)value);
		xmlFree(value);
		if (rc < 0)
			goto fail;
	}
	for (c = x->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			kid = from_libxml(doc, c);
		else if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL &&
		    !xnode_is_blank((const char *)c->content))
			kid = xnode_new_text((const char *)c->content);
		else
			continue;
		if (kid == NULL || xnode_add_kid(e, kid) < 0)
			goto fail;
	}
	return e;
fail:
	xnode_free(e);
	return NULL;
}

/* Parse the data block text (lines joined by newlines, variables already
 * substituted) as XML content inside the implicit wrapper of format 6.1.
 * On success returns 0 and OUT: *out is a new array of *nout (>= 1)
 * top-level elements, owned by the caller (xnode_free_list).  On failure
 * returns -1 with a message in err and OUT: *errline set to the 1-based
 * line of the block the problem is on (0 if unknown). */
int
xnode_parse_block(const char *text, struct xnode ***out, size_t *nout,
    int *errline, char *err, size_t errlen)
{
	struct buf	 src;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr	 doc = NULL;
	xmlNodePtr	 root, c;
	xmlErrorPtr	 xe;
	struct xnode	**list = NULL, **v, *e;
	size_t		 n = 0, len;
	char		*wrapped = NULL;
	int		 rc = -1;

	*out = NULL;
	*nout = 0;
	*errline = 0;
	buf_init(&src);
	buf_add(&src, BLOCK_WRAPPER_OPEN);
	buf_add(&src, text);
	buf_add(&src, BLOCK_WRAPPER_CLOSE);
	if ((wrapped = buf_finish(&src)) == NULL ||
	    (ctxt = xmlNewParserCtxt()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}

	/* 1. Parse; libxml2 keeps the first error in the context. */
	doc = xmlCtxtReadMemory(ctxt, wrapped, (int)strlen(wrapped), NULL,
	    "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		xe = xmlCtxtGetLastError(ctxt);
		if (xe != NULL && xe->message != NULL) {
			snprintf(err, errlen, "XML: %s", xe->message);
			len = strlen(err);
			while (len > 0 && isspace((unsigned char)err[len - 1]))
				err[--len] = '\0';
			*errline = xe->line;
		} else
			snprintf(err, errlen, "XML: not well-formed");
		goto cleanup;
	}

	/* 2. Collect the top-level elements; stray text is an error. */
	for (c = root->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content != NULL &&
		    !xnode_is_blank((const char *)c->content)) {
			snprintf(err, errlen, "text outside any element");
			*errline = c->line;
			goto cleanup;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((e = from_libxml(doc, c)) == NULL ||
		    (v = realloc(list, (n + 1) * sizeof(*v))) == NULL) {
			xnode_free(e);
			snprintf(err, errlen, "out of memory");
			goto cleanup;
		}
		list = v;
		list[n++] = e;
	}
	if (n == 0) {
		snprintf(err, errlen, "data block holds no XML element");
		goto cleanup;
	}
	*out = list;
	*nout = n;
	list = NULL;
	rc = 0;
cleanup:
	xnode_free_list(list, n);
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (ctxt != NULL)
		xmlFreeParserCtxt(ctxt);
	free(wrapped);
	return rc;
}
