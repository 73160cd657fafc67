/*
 * xnode.h - the XML tree the runner compares and sends.
 *
 * Expected stanzas (parsed from script blocks with libxml2) and received
 * stanzas (converted from libstrophe) are both turned into this one small
 * tree, so the matcher depends on neither library.  Elements carry their
 * namespace explicitly; attributes are identified by (namespace, name).
 * Whitespace-only text is never stored (format 6.2).
 */
#ifndef SCANSION_XNODE_H
#define SCANSION_XNODE_H

#include <stddef.h>

#define XNODE_NS_CLIENT		"jabber:client"
#define XNODE_NS_SCANSION	"https://matthewwild.co.uk/projects/scansion"
#define XNODE_NS_XML		"http://www.w3.org/XML/1998/namespace"

struct xattr {
	char	*ns;		/* NULL: no namespace */
	char	*name;		/* local name */
	char	*value;
};

struct xnode {
	char		 *name;		/* local name; NULL for a text node */
	char		 *ns;		/* element namespace, "" if none */
	char		 *text;		/* content of a text node */
	struct xattr	 *attrs;
	size_t		  nattrs;
	struct xnode	**kids;		/* elements and text, in document order */
	size_t		  nkids;
};

/* Serialisation flags. */
#define XNODE_SEND	0x1	/* drop scansion:* attributes (format 8) */
#define XNODE_PRETTY	0x2	/* one element per line, indented (reports) */

struct xnode	*xnode_new_element(const char *ns, const char *name);
struct xnode	*xnode_new_text(const char *text);
int		 xnode_add_attr(struct xnode *e, const char *ns,
		    const char *name, const char *value);
int		 xnode_add_kid(struct xnode *e, struct xnode *kid);
void		 xnode_free(struct xnode *n);
void		 xnode_free_list(struct xnode **list, size_t n);

const struct xattr *xnode_attr(const struct xnode *e, const char *ns,
		    const char *name);
char		*xnode_text(const struct xnode *e);
size_t		 xnode_count_elements(const struct xnode *e);
int		 xnode_is_blank(const char *s);
int		 xnode_ns_equal(const char *a, const char *b);

char		*xnode_serialize(const struct xnode *e, int flags,
		    const char *indent);
int		 xnode_parse_block(const char *text, struct xnode ***out,
		    size_t *nout, int *errline, char *err, size_t errlen);

#endif
