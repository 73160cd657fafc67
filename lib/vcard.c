/*
 * vcard.c - the room's vCard and avatar (vcard-temp, XEP-0054, on the
 * room's bare JID as XEP-0486 has it).
 *
 * Owners (and the service's admins, who rank as owners) set the vCard
 * with an iq set; an empty vCard removes it, and one without a PHOTO
 * leaves the room without an avatar.  Whoever may see the room gets it
 * with an iq get: service.c has already answered item-not-found where
 * the room does not exist for the asker (a locked room), and an outcast
 * is refused here.  The vCard is kept as the owner sent it, serialised,
 * at most vcard_max_bytes long, with the SHA-1 of each PHOTO's decoded
 * BINVAL (XEP-0153's hash, which disco#info shows in
 * muc#roominfo_avatarhash); a change is announced with a 104 message
 * (XEP-0486 4.2).  vCards of occupants are the proxy's (proxy.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "build.h"
#include "handlers.h"
#include "ns.h"
#include "xtext.h"

/* The base64 text of a BINVAL without the line breaks and blanks that
 * vCards carry (XEP-0153 wraps it); malloc'd, NULL on ENOMEM. */
static char *
base64_compact(const char *s)
{
	char	*out, *p;

	if ((out = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (p = out; *s != '\0'; s++)
		if (strchr(" \t\r\n", *s) == NULL)
			*p++ = *s;
	*p = '\0';
	return out;
}

/* Append the hex SHA-1 of photo's decoded BINVAL to x (a space first
 * unless x is empty).  MUC_OK, 1 when the BINVAL is missing or is not
 * base64, or MUC_ENOMEM. */
static int
photo_hash(xmpp_ctx_t *ctx, xmpp_stanza_t *photo, struct xtext *x)
{
	unsigned char	*bin = NULL;
	char		*text = NULL, *b64 = NULL, *hex = NULL;
	size_t		 len = 0;
	int		 rc = MUC_ENOMEM;

	if (st_child_text(photo, "BINVAL", &text) != MUC_OK)
		return MUC_ENOMEM;
	if (text == NULL)
		return 1;
	if ((b64 = base64_compact(text)) == NULL)
		goto done;
	rc = 1;
	if (*b64 == '\0')
		goto done;
	xmpp_base64_decode_bin(ctx, b64, strlen(b64), &bin, &len);
	if (bin == NULL)
		goto done;
	rc = MUC_ENOMEM;
	if ((hex = xmpp_sha1(ctx, bin, len)) == NULL)
		goto done;
	if (x->len > 0)
		xt_raw(x, " ");
	xt_raw(x, hex);
	rc = MUC_OK;
done:
	if (bin != NULL)
		xmpp_free(ctx, bin);
	if (hex != NULL)
		xmpp_free(ctx, hex);
	free(b64);
	free(text);
	return rc;
}

/* The avatar hashes of vcard, one per PHOTO in order, space-separated
 * (XEP-0486 5: several photos, several hashes); "" when it has none.
 * MUC_OK with *out malloc'd, 1 when a PHOTO's BINVAL is bad, or an
 * error. */
static int
avatar_hashes(xmpp_ctx_t *ctx, xmpp_stanza_t *vcard, char **out)
{
	struct xtext	 x = XTEXT_INIT;
	xmpp_stanza_t	*c;
	const char	*name;
	size_t		 len;
	int		 rc = MUC_OK;

	*out = NULL;
	xt_raw(&x, "");
	for (c = xmpp_stanza_get_children(vcard); c != NULL && rc == MUC_OK;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    (name = xmpp_stanza_get_name(c)) != NULL &&
		    strcmp(name, "PHOTO") == 0)
			rc = photo_hash(ctx, c, &x);
	if ((*out = xt_done(&x, &len)) == NULL && rc == MUC_OK)
		rc = MUC_ENOMEM;
	if (rc != MUC_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Has the element a child element? */
static int
has_children(xmpp_stanza_t *s)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(s); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c))
			return 1;
	return 0;
}

/* Anyone who may see the room gets its vCard; without one, an empty
 * vCard (XEP-0054 3.1 allows it or item-not-found, which here already
 * means that there is no such room). */
static int
vcard_get(struct req *r, struct room *room)
{
	struct xtext	x = XTEXT_INIT;

	if (affiliation_of(room, r->from_bare) == AFF_OUTCAST)
		return req_error(r, "auth", "forbidden",
		    "You are banned from this room");
	xt_raw(&x, room->vcard != NULL ? room->vcard :
	    "<vCard xmlns=\"" NS_VCARD "\"/>");
	return req_result_text(r, &x);
}

/* Store what vc says (an empty vCard: nothing), answer, and tell the
 * occupants when it changed.  text is vc serialised. */
static int
vcard_store(struct req *r, struct room *room, xmpp_stanza_t *vc,
    const char *text)
{
	const char	*xml = has_children(vc) ? text : NULL;
	char		*hash = NULL;
	int		 rc, changed;

	if (xml != NULL && (rc = avatar_hashes(r->svc->ctx, vc, &hash)) !=
	    MUC_OK)
		return rc != 1 ? rc : req_error(r, "modify", "bad-request",
		    "A PHOTO of the vCard has no BINVAL in base64");
	changed = xml == NULL ? room->vcard != NULL : room->vcard == NULL ||
	    strcmp(room->vcard, xml) != 0;
	if (changed && (rc = room_set_vcard(room, xml, hash)) != MUC_OK) {
		free(hash);
		return rc;
	}
	if (changed)
		muc_log(r->svc->log, MUC_LOG_INFO, "vcard", "%s: vCard %s by "
		    "%s%s%s", room->jid, xml != NULL ? "set" : "removed",
		    r->from_bare, hash != NULL && *hash != '\0' ?
		    ", avatar " : "", hash != NULL ? hash : "");
	free(hash);
	if ((rc = req_result(r, NULL)) != MUC_OK || !changed)
		return rc;
	return room_changed_announce(room, r->out);
}

/* vc as XML with its namespace (st_to_text() leaves an element's own
 * out) and xml:lang under its name: the vCard as the owner sent it.
 * malloc'd, NULL on ENOMEM. */
static char *
vcard_text(xmpp_stanza_t *vc, size_t *len)
{
	static const char	 open[] = "<vCard xmlns=\"" NS_VCARD "\"";
	char			*t, *out;
	size_t			 n;

	if (st_to_text(vc, &t, &n) != MUC_OK)
		return NULL;
	/* t starts with "<vCard": the name was checked. */
	if ((out = malloc(sizeof(open) + n - 6)) != NULL) {
		memcpy(out, open, sizeof(open) - 1);
		memcpy(out + sizeof(open) - 1, t + 6, n - 6 + 1);
		*len = sizeof(open) - 1 + n - 6;
	}
	free(t);
	return out;
}

/* An owner sets or removes the vCard (XEP-0486 4.2). */
static int
vcard_set(struct req *r, struct room *room, xmpp_stanza_t *vc)
{
	char	*text, why[96];
	size_t	 len;
	int	 rc;

	if (affiliation_of(room, r->from_bare) != AFF_OWNER)
		return req_error(r, "auth", "forbidden",
		    "Only owners are allowed to set avatars");
	if ((text = vcard_text(vc, &len)) == NULL)
		return MUC_ENOMEM;
	if (len > r->svc->vcard_max) {
		free(text);
		snprintf(why, sizeof(why), "The vCard is larger than the %zu "
		    "bytes this service accepts", r->svc->vcard_max);
		return req_error(r, "modify", "not-acceptable", why);
	}
	rc = vcard_store(r, room, vc, text);
	free(text);
	return rc;
}

int
vcard_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	const char	*name = xmpp_stanza_get_name(q);

	if (name == NULL || strcmp(name, "vCard") != 0)
		return req_error(r, "modify", "bad-request",
		    "A vcard-temp request is a <vCard/> element");
	if (strcmp(r->type, "get") == 0)
		return vcard_get(r, room);
	return vcard_set(r, room, q);
}
