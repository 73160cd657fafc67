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

/* The next code point of UTF-8 text *p, advancing *p; -1 when the
 * bytes are not well-formed UTF-8 (overlong forms, surrogates, past
 * U+10FFFF). */
static long
utf8_next(const unsigned char **p)
{
	const unsigned char	*s = *p;
	long			 cp;
	int			 n, i;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 1, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 2, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 3, cp = s[0] & 0x07;
	else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	*p = s + n + 1;
	return cp;
}

/* Why code point cp may not be in a nick, or NULL.  Resourceprep
 * (RFC 3920 appendix B) would map the spaces of table C.1.2 to U+0020
 * and let them through; a nick with them looks like another one. */
static const char *
nick_char_refused(long cp)
{
	if (cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000)
		return "Nicknames may not contain non-ASCII spaces";
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x06dd ||
	    cp == 0x070f || cp == 0x180e || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0xfff9 && cp <= 0xfffc) || (cp >= 0x1d173 && cp <= 0x1d17a))
		return "Nicknames may not contain control characters";
	if (cp == 0x200c || cp == 0x200d || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0x0340 || cp == 0x0341 || cp == 0xfeff)
		return "Nicknames may not contain bidirectional or invisible "
		    "formatting characters";
	if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000 ||
	    (cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef) ||
	    (cp >= 0xe0001 && cp <= 0xe007f))
		return "Nicknames may not contain private-use, tagging or "
		    "non-character code points";
	return NULL;
}

char *
jid_nick_check(const char *s, const char **why)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 cp;
	char			*n;

	*why = NULL;
	while (*p != '\0') {
		if ((cp = utf8_next(&p)) < 0) {
			*why = "Nicknames must be UTF-8";
			return NULL;
		}
		if ((*why = nick_char_refused(cp)) != NULL)
			return NULL;
	}
	if ((n = prep(s, stringprep_xmpp_resourceprep, 0)) == NULL) {
		*why = *s == '\0' ? "A nickname is required" :
		    strlen(s) > JID_PART_MAX ? "The nickname is too long" :
		    "The nickname has characters that are not allowed "
		    "(unassigned or prohibited)";
		return NULL;
	}
	/* A nick that is only spaces would be an invisible occupant, one
	 * with spaces around would pass for the one without. */
	if (strspn(n, " ") == strlen(n)) {
		free(n);
		*why = "A nickname may not be only spaces";
		return NULL;
	}
	if (n[0] == ' ' || n[strlen(n) - 1] == ' ') {
		free(n);
		*why = "A nickname may not begin or end with a space";
		return NULL;
	}
	return n;
}

char *
jid_nick_prep(const char *s)
{
	const char	*why;

	return jid_nick_check(s, &why);
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
