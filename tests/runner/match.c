/*
 * match.c - matching a received element against an expected one.
 *
 * Implements format section 10 and the choices of its "Ambiguities"
 * section: name and namespace always compared; an element is strict
 * unless its namespace is jabber:client, with scansion:strict deciding
 * for that one element; expected attributes must be present with equal
 * values or {scansion:any} / {scansion:capture:NAME}; strict elements
 * allow no extra attributes and need the same children in the same
 * order; non-strict elements need each expected child matched by a
 * distinct received child, found by backtracking; text is compared,
 * trimmed, only when the expected text is not blank.
 *
 * Captures made while trying a candidate are undone when the candidate
 * fails, so only values from a successful match are kept.  When there is
 * no match, a one-line reason naming the path to the first difference is
 * written for the failure report.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

#define ANY_VALUE	"{scansion:any}"
#define CAPTURE_PREFIX	"{scansion:capture:"

/* Where a match attempt is: the capture store, the reason buffer and the
 * path of element names leading to the element being compared. */
struct matcher {
	struct captures	*caps;
	char		*why;
	size_t		 whylen;
	char		 path[512];
	int		 enomem;
};

static int match_element(struct matcher *m, const struct xnode *e,
    const struct xnode *r);
static const char *captures_find(const struct captures *c, const char *name,
    size_t n);

/* Start with no captures. */
void
captures_init(struct captures *c)
{
	c->v = NULL;
	c->n = 0;
	c->cap = 0;
}

/* Drop captures added after the first n. */
static void
captures_truncate(struct captures *c, size_t n)
{
	while (c->n > n) {
		c->n--;
		free(c->v[c->n].name);
		free(c->v[c->n].value);
	}
}

/* Free every capture. */
void
captures_free(struct captures *c)
{
	captures_truncate(c, 0);
	free(c->v);
	captures_init(c);
}

/* The value captured under name, or NULL if none yet. */
const char *
captures_get(const struct captures *c, const char *name)
{
	return captures_find(c, name, strlen(name));
}

/* The value captured under the n-byte name, or NULL. */
static const char *
captures_find(const struct captures *c, const char *name, size_t n)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (strlen(c->v[i].name) == n &&
		    strncmp(c->v[i].name, name, n) == 0)
			return c->v[i].value;
	return NULL;
}

/* Store value under the n-byte name.  Returns 0 or -1 (out of memory). */
static int
captures_add(struct captures *c, const char *name, size_t n,
    const char *value)
{
	struct capture	*v, cap;

	if (c->n == c->cap) {
		if ((v = realloc(c->v, (c->cap ? c->cap * 2 : 8) *
		    sizeof(*v))) == NULL)
			return -1;
		c->v = v;
		c->cap = c->cap ? c->cap * 2 : 8;
	}
	cap.name = strndup(name, n);
	cap.value = strdup(value);
	if (cap.name == NULL || cap.value == NULL) {
		free(cap.name);
		free(cap.value);
		return -1;
	}
	c->v[c->n++] = cap;
	return 0;
}

/* Non-zero when expected element e is judged strictly (format 10.2). */
int
match_is_strict(const struct xnode *e)
{
	const struct xattr	*a;

	if ((a = xnode_attr(e, XNODE_NS_SCANSION, "strict")) != NULL)
		return strcmp(a->value, "true") == 0;
	return strcmp(e->ns, XNODE_NS_CLIENT) != 0;
}

/* Record the reason for a mismatch, prefixed with the current path.
 * Returns MATCH_NO. */
static int
mismatch(struct matcher *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
mismatch(struct matcher *m, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (m->why == NULL || m->whylen == 0)
		return MATCH_NO;
	n = snprintf(m->why, m->whylen, "%s: ", m->path);
	if (n < 0 || (size_t)n >= m->whylen)
		return MATCH_NO;
	va_start(ap, fmt);
	vsnprintf(m->why + n, m->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return MATCH_NO;
}

/* What an expected value is (format 10.3; text too, see match_text). */
#define PLACE_PLAIN	0	/* not a placeholder: compare it */
#define PLACE_OK	1	/* {scansion:any}, or a capture that holds */
#define PLACE_DIFFERS	2	/* a capture holding another value */
#define PLACE_ENOMEM	3

/* Judge the expected value e (elen bytes) against the received value r
 * (rlen bytes): {scansion:any} accepts it, {scansion:capture:NAME}
 * stores it the first time and compares it afterwards.  OUT: for
 * PLACE_DIFFERS, the capture's name (*name, *n bytes) and value. */
static int
match_placeholder(struct matcher *m, const char *e, size_t elen,
    const char *r, size_t rlen, const char **name, size_t *n,
    const char **stored)
{
	size_t	 k = strlen(CAPTURE_PREFIX);
	char	*copy;
	int	 rc;

	if (elen == strlen(ANY_VALUE) && memcmp(e, ANY_VALUE, elen) == 0)
		return PLACE_OK;
	if (elen <= k || memcmp(e, CAPTURE_PREFIX, k) != 0 ||
	    e[elen - 1] != '}')
		return PLACE_PLAIN;
	*name = e + k;
	*n = elen - k - 1;
	if ((*stored = captures_find(m->caps, *name, *n)) != NULL)
		return strlen(*stored) == rlen && memcmp(*stored, r, rlen) == 0 ?
		    PLACE_OK : PLACE_DIFFERS;
	/* first use: remember the received value */
	if ((copy = strndup(r, rlen)) == NULL) {
		m->enomem = 1;
		return PLACE_ENOMEM;
	}
	rc = captures_add(m->caps, *name, *n, copy) < 0 ? PLACE_ENOMEM :
	    PLACE_OK;
	if (rc == PLACE_ENOMEM)
		m->enomem = 1;
	free(copy);
	return rc;
}

/* Printable form of an attribute's qualified name into out. */
static const char *
attr_qname(const struct xattr *a, char *out, size_t outlen)
{
	if (a->ns == NULL || a->ns[0] == '\0')
		snprintf(out, outlen, "%s", a->name);
	else if (strcmp(a->ns, XNODE_NS_XML) == 0)
		snprintf(out, outlen, "xml:%s", a->name);
	else
		snprintf(out, outlen, "{%s}%s", a->ns, a->name);
	return out;
}

/* Compare the attributes of e and r (format 10.3). */
static int
match_attrs(struct matcher *m, const struct xnode *e, const struct xnode *r,
    int strict)
{
	const struct xattr	*ea, *ra;
	const char		*stored, *name;
	char			 q[256];
	size_t			 i, n;

	for (i = 0; i < e->nattrs; i++) {
		ea = &e->attrs[i];
		if (xnode_ns_equal(ea->ns, XNODE_NS_SCANSION))
			continue;
		if ((ra = xnode_attr(r, ea->ns, ea->name)) == NULL)
			return mismatch(m, "attribute %s is missing "
			    "(expected \"%s\")", attr_qname(ea, q, sizeof(q)),
			    ea->value);
		switch (match_placeholder(m, ea->value, strlen(ea->value),
		    ra->value, strlen(ra->value), &name, &n, &stored)) {
		case PLACE_OK:
			continue;
		case PLACE_ENOMEM:
			return MATCH_NO;
		case PLACE_DIFFERS:
			return mismatch(m, "attribute %s is \"%s\", but "
			    "capture %.*s holds \"%s\"",
			    attr_qname(ea, q, sizeof(q)), ra->value,
			    (int)n, name, stored);
		default:
			break;	/* a plain value */
		}
		if (strcmp(ea->value, ra->value) != 0)
			return mismatch(m, "attribute %s is \"%s\", expected "
			    "\"%s\"", attr_qname(ea, q, sizeof(q)), ra->value,
			    ea->value);
	}
	if (!strict)
		return MATCH_YES;
	for (i = 0; i < r->nattrs; i++) {
		ra = &r->attrs[i];
		if (xnode_attr(e, ra->ns, ra->name) == NULL)
			return mismatch(m, "unexpected attribute %s=\"%s\" "
			    "(element is strict)", attr_qname(ra, q, sizeof(q)),
			    ra->value);
	}
	return MATCH_YES;
}

/* The n bytes of s without surrounding whitespace: OUT: *start, *len. */
static void
trim_span(const char *s, const char **start, size_t *len)
{
	size_t	 n = strlen(s);

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/* Compare text (format 10.4): only when e has non-blank text. */
static int
match_text(struct matcher *m, const struct xnode *e, const struct xnode *r)
{
	char		*et = NULL, *rt = NULL;
	const char	*es, *rs;
	size_t		 elen, rlen;
	int		 rc = MATCH_NO;

	if ((et = xnode_text(e)) == NULL || (rt = xnode_text(r)) == NULL) {
		m->enomem = 1;
		goto cleanup;
	}
	trim_span(et, &es, &elen);
	trim_span(rt, &rs, &rlen);
	/* mucd's extension: a text that is a placeholder, as an attribute
	 * value may be (docs/scansion-runner.md). */
	if (elen > 0) {
		const char	*name, *stored;
		size_t		 n;

		switch (match_placeholder(m, es, elen, rs, rlen, &name, &n,
		    &stored)) {
		case PLACE_OK:
			rc = MATCH_YES;
			goto cleanup;
		case PLACE_ENOMEM:
			goto cleanup;
		case PLACE_DIFFERS:
			mismatch(m, "text is \"%.*s\", but capture %.*s holds "
			    "\"%s\"", (int)rlen, rs, (int)n, name, stored);
			goto cleanup;
		default:
			break;
		}
	}
	if (elen > 0 && (elen != rlen || memcmp(es, rs, elen) != 0)) {
		mismatch(m, "text is \"%.*s\", expected \"%.*s\"", (int)rlen,
		    rs, (int)elen, es);
		goto cleanup;
	}
	rc = MATCH_YES;
cleanup:
	free(et);
	free(rt);
	return rc;
}

/* The i-th element child of x (skipping text), or NULL. */
static const struct xnode *
nth_element(const struct xnode *x, size_t i)
{
	size_t	 k;

	for (k = 0; k < x->nkids; k++)
		if (x->kids[k]->name != NULL && i-- == 0)
			return x->kids[k];
	return NULL;
}

/* Try child e of the current element against child r, undoing captures
 * when it does not match.  The reason, if any, is left in m->why. */
static int
try_child(struct matcher *m, const struct xnode *e, const struct xnode *r)
{
	size_t	 saved = m->caps->n, plen = strlen(m->path);
	int	 ok;

	snprintf(m->path + plen, sizeof(m->path) - plen, "/%s", e->name);
	ok = match_element(m, e, r);
	m->path[plen] = '\0';
	if (!ok)
		captures_truncate(m->caps, saved);
	return ok;
}

/* Strict children (format 10.5): same count, pairwise in order.  When
 * the counts differ, that is the reason given, with the first pair that
 * differs (if any) as a hint. */
static int
match_kids_strict(struct matcher *m, const struct xnode *e,
    const struct xnode *r)
{
	size_t			 i, ne = xnode_count_elements(e);
	size_t			 nr = xnode_count_elements(r);
	const struct xnode	*ek, *rk;
	char			 hint[512];

	for (i = 0; i < ne && i < nr; i++) {
		ek = nth_element(e, i);
		rk = nth_element(r, i);
		if (!try_child(m, ek, rk))
			break;
	}
	if (ne == nr)
		return i == ne ? MATCH_YES : MATCH_NO;
	if (i < ne && i < nr)
		snprintf(hint, sizeof(hint), "; first difference: %s",
		    m->why != NULL ? m->why : "?");
	else if (nr > ne)
		snprintf(hint, sizeof(hint), "; unexpected <%s xmlns=\"%s\">",
		    nth_element(r, ne)->name, nth_element(r, ne)->ns);
	else
		snprintf(hint, sizeof(hint), "; missing <%s xmlns=\"%s\">",
		    nth_element(e, nr)->name, nth_element(e, nr)->ns);
	return mismatch(m, "element is strict: %zu child elements expected, "
	    "%zu received%s", ne, nr, hint);
}

/* Assign expected children ie.. of e to distinct unused received children
 * of r, backtracking over choices.  used[] marks taken received children. */
static int
assign_kids(struct matcher *m, const struct xnode *e, const struct xnode *r,
    size_t ie, size_t ne, size_t nr, char *used)
{
	const struct xnode	*ek;
	size_t			 j, saved = m->caps->n;

	if (ie == ne)
		return MATCH_YES;
	ek = nth_element(e, ie);
	for (j = 0; j < nr && !m->enomem; j++) {
		if (used[j] || !try_child(m, ek, nth_element(r, j)))
			continue;
		used[j] = 1;
		if (assign_kids(m, e, r, ie + 1, ne, nr, used))
			return MATCH_YES;
		used[j] = 0;
		captures_truncate(m->caps, saved);
	}
	return MATCH_NO;
}

/* Explain why no one-to-one assignment exists: name the first expected
 * child that matches no received child at all (with the reason from the
 * first received child of the same name and namespace), or say that the
 * children compete for the same received ones. */
static int
explain_kids(struct matcher *m, const struct xnode *e, const struct xnode *r,
    size_t ne, size_t nr)
{
	const struct xnode	*ek, *rk, *same;
	size_t			 i, j, saved = m->caps->n;
	int			 found;

	for (i = 0; i < ne; i++) {
		ek = nth_element(e, i);
		found = 0;
		same = NULL;
		for (j = 0; j < nr && !found; j++) {
			rk = nth_element(r, j);
			if (same == NULL && strcmp(rk->name, ek->name) == 0 &&
			    xnode_ns_equal(rk->ns, ek->ns))
				same = rk;
			found = try_child(m, ek, rk);
			captures_truncate(m->caps, saved);
		}
		if (found)
			continue;
		if (same != NULL)
			return try_child(m, ek, same);	/* sets the reason */
		return mismatch(m, "no child <%s xmlns=\"%s\"> (%zu children "
		    "received)", ek->name, ek->ns, nr);
	}
	return mismatch(m, "expected children cannot each be matched by a "
	    "different received child");
}

/* Non-strict children (format 10.5): one-to-one, any order, extras
 * allowed. */
static int
match_kids_loose(struct matcher *m, const struct xnode *e,
    const struct xnode *r)
{
	size_t	 ne = xnode_count_elements(e), nr = xnode_count_elements(r);
	char	*used;
	int	 ok;

	if (ne == 0)
		return MATCH_YES;
	if ((used = calloc(nr + 1, 1)) == NULL) {
		m->enomem = 1;
		return MATCH_NO;
	}
	ok = assign_kids(m, e, r, 0, ne, nr, used);
	free(used);
	if (ok || m->enomem)
		return ok;
	return explain_kids(m, e, r, ne, nr);
}

/* Does r match e?  Recursive; see the file comment. */
static int
match_element(struct matcher *m, const struct xnode *e, const struct xnode *r)
{
	int	 strict = match_is_strict(e);

	if (strcmp(e->name, r->name) != 0 || !xnode_ns_equal(e->ns, r->ns))
		return mismatch(m, "element is <%s xmlns=\"%s\">, expected "
		    "<%s xmlns=\"%s\">", r->name, r->ns, e->name, e->ns);
	if (!match_attrs(m, e, r, strict) || !match_text(m, e, r))
		return MATCH_NO;
	return strict ? match_kids_strict(m, e, r) : match_kids_loose(m, e, r);
}

/* Match received stanza r against expected stanza e.  Returns MATCH_YES
 * (captures made during the match are kept in caps), MATCH_NO (caps
 * unchanged; a one-line reason is written to why when why is not NULL)
 * or MATCH_ENOMEM. */
int
match_stanza(const struct xnode *expected, const struct xnode *received,
    struct captures *caps, char *why, size_t whylen)
{
	struct matcher	 m;
	size_t		 saved = caps->n;
	int		 ok;

	memset(&m, 0, sizeof(m));
	m.caps = caps;
	m.why = why;
	m.whylen = whylen;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	snprintf(m.path, sizeof(m.path), "%s", expected->name);
	ok = match_element(&m, expected, received);
	if (m.enomem) {
		captures_truncate(caps, saved);
		return MATCH_ENOMEM;
	}
	if (!ok)
		captures_truncate(caps, saved);
	else if (why != NULL && whylen > 0)
		why[0] = '\0';	/* drop reasons of tried alternatives */
	return ok ? MATCH_YES : MATCH_NO;
}
