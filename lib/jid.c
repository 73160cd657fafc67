/*
 * jid.c - JID parsing and preparation (RFC 6122 with libidn's stringprep).
 *
 * libidn supplies the Nodeprep, Nameprep and Resourceprep profiles: their
 * Unicode tables and NFKC normalisation are exactly what must not be written
 * by hand.  Each prepared part must fit 1023 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <stringprep.h>

#include "jid.h"

/* Prepare s with profile into a malloc'd string, or NULL. */
static char *
prep(const char *s, const Stringprep_profile *profile, int allow_empty)
{
	char	buf[4 * JID_PART_MAX + 4];
	size_t	len = strlen(s);

	if ((len == 0 && !allow_empty) || len > JID_PART_MAX)
		return NULL;
	memcpy(buf, s, len + 1);
	if (stringprep(buf, sizeof(buf), STRINGPREP_NO_UNASSIGNED, profile) !=
	    STRINGPREP_OK)
		return NULL;
	if (strlen(buf) > JID_PART_MAX || (buf[0] == '\0' && !allow_empty))
		return NULL;
	return strdup(buf);
}

char *
jid_nick_prep(const char *s)
{
	char	*p;

	if ((p = prep(s, stringprep_xmpp_resourceprep, 0)) == NULL)
		return NULL;
	/* A nick that is only spaces would be an invisible occupant. */
	if (strspn(p, " ") == strlen(p)) {
		free(p);
		return NULL;
	}
	return p;
}

char *
jid_node_prep(const char *s)
{
	return prep(s, stringprep_xmpp_nodeprep, 0);
}

/* Is d (prepared) a domain a JID may have: dot-separated labels of
 * letters, digits, '-' and non-ASCII (IDN), or an IPv6 literal in
 * brackets (RFC 6122 2.2)?  Nameprep alone lets '@', spaces and empty
 * labels through. */
static int
domain_ok(const char *d)
{
	const unsigned char	*p = (const unsigned char *)d;
	size_t			 label = 0;

	if (*p == '[')
		return d[strlen(d) - 1] == ']' &&
		    strspn(d + 1, "0123456789abcdefABCDEF:.") == strlen(d) - 2;
	for (; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (*p < 0x80 && !(*p == '-' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0;
}

struct jid *
jid_parse(const char *s)
{
	const char	*at, *slash, *dstart;
	char		*node = NULL, *domain = NULL, *res = NULL;
	size_t		 dlen, nl, dl, rl;
	struct jid	*j = NULL;
	char		 dom[JID_PART_MAX + 1];

	slash = strchr(s, '/');
	at = strchr(s, '@');
	if (at != NULL && slash != NULL && at > slash)
		at = NULL;	/* '@' inside the resource */
	dstart = at != NULL ? at + 1 : s;
	dlen = slash != NULL ? (size_t)(slash - dstart) : strlen(dstart);
	if (dlen == 0 || dlen > JID_PART_MAX)
		return NULL;
	memcpy(dom, dstart, dlen);
	dom[dlen] = '\0';
	if (dlen > 1 && dom[dlen - 1] == '.')
		dom[--dlen] = '\0';	/* RFC 6122 2.2: drop a final dot */
	if ((domain = prep(dom, stringprep_nameprep, 0)) == NULL ||
	    !domain_ok(domain))
		goto done;
	if (at != NULL) {
		char	tmp[JID_PART_MAX + 1];
		size_t	len = (size_t)(at - s);

		if (len == 0 || len > JID_PART_MAX)
			goto done;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if ((node = prep(tmp, stringprep_xmpp_nodeprep, 0)) == NULL)
			goto done;
	}
	if (slash != NULL &&
	    (res = prep(slash + 1, stringprep_xmpp_resourceprep, 0)) == NULL)
		goto done;
	nl = node ? strlen(node) + 1 : 0;
	dl = strlen(domain) + 1;
	rl = res ? strlen(res) + 1 : 0;
	if ((j = malloc(sizeof(*j) + nl + dl + rl)) == NULL)
		goto done;
	j->node = node ? memcpy(j->buf, node, nl) : NULL;
	j->domain = memcpy(j->buf + nl, domain, dl);
	j->resource = res ? memcpy(j->buf + nl + dl, res, rl) : NULL;
done:
	free(node);
	free(domain);
	free(res);
	return j;
}

char *
jid_join(const char *node, const char *domain, const char *resource)
{
	size_t	nl = node != NULL ? strlen(node) : 0, dl = strlen(domain);
	size_t	rl = resource != NULL ? strlen(resource) : 0;
	char	*s, *p;

	if ((s = p = malloc(nl + 1 + dl + 1 + rl + 1)) == NULL)
		return NULL;
	if (node != NULL) {
		memcpy(p, node, nl);
		p += nl;
		*p++ = '@';
	}
	memcpy(p, domain, dl);
	p += dl;
	if (resource != NULL) {
		*p++ = '/';
		memcpy(p, resource, rl);
		p += rl;
	}
	*p = '\0';
	return s;
}

char *
jid_bare(const struct jid *j)
{
	return jid_join(j->node, j->domain, NULL);
}

char *
jid_full(const struct jid *j)
{
	return jid_join(j->node, j->domain, j->resource);
}

char *
jid_bare_prep(const char *s)
{
	struct jid	*j;
	char		*bare;

	if ((j = jid_parse(s)) == NULL)
		return NULL;
	bare = jid_bare(j);
	free(j);
	return bare;
}
