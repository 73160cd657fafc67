/*
 * hygiene.c - removing what only the room may say (hygiene.h).
 *
 * A relayed stanza is rebuilt rather than copied and pruned: libstrophe
 * cannot remove a child, and a copy built from the allowed children costs
 * the same as a full copy.
 */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "hygiene.h"
#include "jid.h"
#include "ns.h"

static int
is(xmpp_stanza_t *c, const char *name, const char *ns)
{
	const char	*cns = xmpp_stanza_get_ns(c);

	return strcmp(xmpp_stanza_get_name(c), name) == 0 && cns != NULL &&
	    strcmp(cns, ns) == 0;
}

/* A stanza-id claimed by the service or one of its rooms. */
static int
sid_claims_the_service(xmpp_stanza_t *c, const char *domain)
{
	const char	*by = xmpp_stanza_get_attribute(c, "by");
	struct jid	*j;
	int		 ours;

	if (by == NULL)
		return 1;	/* by nobody: meaningless, and not the client's */
	if ((j = jid_parse(by)) == NULL)
		return 1;
	ours = strcmp(j->domain, domain) == 0;
	free(j);
	return ours;
}

/* A moderation in the room's name: <moderated/> of either version, a
 * retraction that carries one, a v0 <apply-to/> that does. */
static int
claims_moderation(xmpp_stanza_t *c)
{
	if (is(c, "moderated", NS_MODERATE) || is(c, "moderated", NS_MODERATE_0))
		return 1;
	if (is(c, "retract", NS_RETRACT) &&
	    st_child(c, "moderated", NS_MODERATE) != NULL)
		return 1;
	return is(c, "apply-to", NS_FASTEN) &&
	    st_child(c, "moderated", NS_MODERATE_0) != NULL;
}

int
hygiene_forged(xmpp_stanza_t *c, const char *domain, enum hygiene_path path)
{
	const char	*ns;

	if (!xmpp_stanza_is_tag(c))
		return 0;
	/* A client's error is not the presence the room shows of it. */
	if (path == HYGIENE_PRESENCE &&
	    strcmp(xmpp_stanza_get_name(c), "error") == 0)
		return 1;
	if ((ns = xmpp_stanza_get_ns(c)) == NULL)
		return 0;
	if (strcmp(ns, NS_MUC_USER) == 0 || strcmp(ns, NS_DELAY) == 0 ||
	    is(c, "x", NS_LEGACY_DELAY) || strcmp(ns, NS_OCCUPANT_ID) == 0 ||
	    strcmp(ns, NS_HATS) == 0 || is(c, "addresses", NS_ADDRESS) ||
	    is(c, "retracted", NS_RETRACT) || claims_moderation(c))
		return 1;
	if (is(c, "stanza-id", NS_SID))
		return sid_claims_the_service(c, domain);
	/* Nor is a join request. */
	return path == HYGIENE_PRESENCE && strcmp(ns, NS_MUC) == 0;
}

/* Copy in's attributes to out except to, from, type and lang. */
static int
copy_attributes(xmpp_stanza_t *in, xmpp_stanza_t *out)
{
	const char	*attrs[64];
	int		 n, i;

	n = xmpp_stanza_get_attributes(in, attrs, 64);
	for (i = 0; i + 1 < n; i += 2) {
		if (strcmp(attrs[i], "to") == 0 || strcmp(attrs[i], "from") == 0 ||
		    strcmp(attrs[i], "type") == 0 || strcmp(attrs[i], "lang") == 0)
			continue;
		if (xmpp_stanza_set_attribute(out, attrs[i], attrs[i + 1]) !=
		    XMPP_EOK)
			return -1;
	}
	return 0;
}

xmpp_stanza_t *
hygiene_copy(xmpp_stanza_t *in, const char *from, const char *type,
    const char *domain, enum hygiene_path path)
{
	struct build	 b = BUILD_INIT(xmpp_stanza_get_context(in));
	xmpp_stanza_t	*out, *c;
	const char	*lang = xmpp_stanza_get_attribute(in, "lang");

	if (type == NULL)
		type = xmpp_stanza_get_type(in);
	out = b_new(&b, xmpp_stanza_get_name(in));
	if (out != NULL && copy_attributes(in, out) != 0)
		b.failed = 1;
	b_attr(&b, out, "from", from);
	b_attr(&b, out, "type", type);
	b_attr(&b, out, "xml:lang", lang);
	for (c = xmpp_stanza_get_children(in); c != NULL && !b.failed;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) && !hygiene_forged(c, domain, path))
			b_copy(&b, out, c);
	return b_done(&b, out);
}
