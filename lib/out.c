/*
 * out.c - the outbox: what the engine wants sent.
 *
 * Fan-out is the hot path of a MUC: one groupchat message to a room of N
 * occupants is N stanzas.  A broadcast entry therefore holds one stanza and
 * a list of recipients; muc_out_render() serialises the stanza once and
 * splices each recipient's `to` into the text, so a copy costs a memcpy, not
 * a stanza tree.  Recipient JIDs are copied into an arena of large blocks
 * that never move, so adding one is usually a bump of a pointer.
 *
 * Every byte of a copy is parsed again by the host, so the renderer drops
 * what tells nobody anything on a component stream: the stanza's own
 * xmlns when it is the stream's (jabber:component:accept, or jabber:client,
 * which a host maps to it).  A stanza copied from what a host delivered
 * carries it; one the engine built does not.  libstrophe serialises
 * without whitespace between elements already.  xml:lang stays even when
 * it equals the stream's: ejabberd does not fill in a missing one on
 * delivery, so the recipient's own stream default would apply instead.
 */
#define _GNU_SOURCE		/* memmem */
#include <stdlib.h>
#include <string.h>

#include "muc.h"
#include "vec.h"

#define ARENA_BLOCK	(64 * 1024)

struct arena_block {
	struct arena_block	*next;
	size_t			 used, size;
	char			 data[];
};

struct entry {
	struct muc_out_entry	 pub;
	const char		**to;
	size_t			 capto;
	char			*text;		/* a text entry's, owned */
};

struct muc_out {
	xmpp_ctx_t		*ctx;
	struct entry		*e;
	size_t			 ne, cape;
	struct muc_out_entry	*view;		/* filled by muc_out_get */
	struct arena_block	*arena;
};

struct muc_out *
muc_out_new(xmpp_ctx_t *ctx)
{
	struct muc_out	*out;

	if ((out = calloc(1, sizeof(*out))) == NULL)
		return NULL;
	out->ctx = ctx;
	return out;
}

void
muc_out_free(struct muc_out *out)
{
	if (out == NULL)
		return;
	muc_out_clear(out);
	free(out->e);
	free(out);
}

static int
out_grow(struct muc_out *out)
{
	return vec_reserve(&out->e, &out->cape, out->ne + 1, sizeof(*out->e));
}

int
muc_out_push(struct muc_out *out, xmpp_stanza_t *stanza)
{
	struct entry	*e;

	if (stanza == NULL)
		return MUC_ENOMEM;
	if (out_grow(out) != MUC_OK) {
		xmpp_stanza_release(stanza);
		return MUC_ENOMEM;
	}
	e = &out->e[out->ne++];
	memset(e, 0, sizeof(*e));
	e->pub.stanza = stanza;
	return MUC_OK;
}

int
muc_out_broadcast(struct muc_out *out, xmpp_stanza_t *stanza)
{
	int	rc;

	if ((rc = muc_out_push(out, stanza)) != MUC_OK)
		return rc;
	out->e[out->ne - 1].pub.broadcast = 1;
	return MUC_OK;
}

static const char	*arena_strdup(struct muc_out *, const char *);

int
muc_out_push_text(struct muc_out *out, char *text, size_t len,
    const char *to)
{
	struct entry	*e;
	const char	**one, *copy;

	if (text == NULL)
		return MUC_ENOMEM;
	/* to[] is malloc'd as a broadcast's is: the entries array moves. */
	if (out_grow(out) != MUC_OK ||
	    (one = malloc(sizeof(*one))) == NULL) {
		free(text);
		return MUC_ENOMEM;
	}
	if ((copy = arena_strdup(out, to)) == NULL) {
		free(one);
		free(text);
		return MUC_ENOMEM;
	}
	one[0] = copy;
	e = &out->e[out->ne++];
	memset(e, 0, sizeof(*e));
	e->text = text;
	e->to = one;
	e->capto = 1;
	e->pub.text = text;
	e->pub.len = len;
	e->pub.to = one;
	e->pub.nto = 1;
	return MUC_OK;
}

/* Copy s into the arena.  Returns NULL on allocation failure. */
static const char *
arena_strdup(struct muc_out *out, const char *s)
{
	struct arena_block	*b = out->arena;
	size_t			 len = strlen(s) + 1, size;
	char			*p;

	if (b == NULL || b->size - b->used < len) {
		size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
		if ((b = malloc(sizeof(*b) + size)) == NULL)
			return NULL;
		b->next = out->arena;
		b->used = 0;
		b->size = size;
		out->arena = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	b->used += len;
	return p;
}

int
muc_out_add_to(struct muc_out *out, const char *jid)
{
	struct entry	*e;
	const char	*copy;

	if (out->ne == 0 || !out->e[out->ne - 1].pub.broadcast)
		return MUC_EINVAL;
	e = &out->e[out->ne - 1];
	if (vec_reserve(&e->to, &e->capto, e->pub.nto + 1, sizeof(*e->to)) !=
	    MUC_OK)
		return MUC_ENOMEM;
	if ((copy = arena_strdup(out, jid)) == NULL)
		return MUC_ENOMEM;
	e->to[e->pub.nto++] = copy;
	e->pub.to = e->to;
	return MUC_OK;
}

size_t
muc_out_count(const struct muc_out *out)
{
	return out->ne;
}

const struct muc_out_entry *
muc_out_get(const struct muc_out *out, size_t i)
{
	return i < out->ne ? &out->e[i].pub : NULL;
}

void
muc_out_clear(struct muc_out *out)
{
	struct arena_block	*b, *next;
	size_t			 i;

	for (i = 0; i < out->ne; i++) {
		if (out->e[i].pub.stanza != NULL)
			xmpp_stanza_release(out->e[i].pub.stanza);
		free(out->e[i].to);
		free(out->e[i].text);
	}
	out->ne = 0;
	for (b = out->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	out->arena = NULL;
}

/* Attributes of a stanza's start tag that repeat the stream's default
 * namespace; libstrophe writes attributes with double quotes. */
static const char *const out_redundant[] = {
	" xmlns=\"jabber:component:accept\"",
	" xmlns=\"jabber:client\"",
};

/* The length of the start tag at text[0] == '<', up to and including its
 * '>', skipping quoted values; 0 if there is none. */
static size_t
start_tag_len(const char *text, size_t len)
{
	size_t	i;
	char	q = 0;

	for (i = 1; i < len; i++) {
		if (q != 0) {
			if (text[i] == q)
				q = 0;
		} else if (text[i] == '"' || text[i] == '\'')
			q = text[i];
		else if (text[i] == '>')
			return i + 1;
	}
	return 0;
}

/* Drop an out_redundant[] attribute from the start tag of text, in
 * place.  Only a whole attribute matches: the pattern must be followed by
 * a blank, '/' or '>'.  Returns the new length; text stays
 * NUL-terminated. */
static size_t
out_compact(char *text, size_t len)
{
	size_t	 tag = start_tag_len(text, len), i, n;
	char	*p, *end;

	for (i = 0; i < sizeof(out_redundant) / sizeof(out_redundant[0]);
	    i++) {
		n = strlen(out_redundant[i]);
		if (tag == 0 || (p = memmem(text, tag, out_redundant[i], n)) ==
		    NULL)
			continue;
		end = p + n;
		if (*end != ' ' && *end != '/' && *end != '>')
			continue;
		memmove(p, end, len - (size_t)(end - text) + 1);
		len -= n;
		tag -= n;
	}
	return len;
}

/* Append s to buf as an XML attribute value (double-quoted).  buf must have
 * room for 6 * strlen(s) bytes.  Returns the new end. */
static char *
escape_attr(char *buf, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': memcpy(buf, "&amp;", 5); buf += 5; break;
		case '<': memcpy(buf, "&lt;", 4); buf += 4; break;
		case '>': memcpy(buf, "&gt;", 4); buf += 4; break;
		case '"': memcpy(buf, "&quot;", 6); buf += 6; break;
		default: *buf++ = *s;
		}
	}
	return buf;
}

int
muc_out_render_to(const struct muc_out *out, size_t i,
    void (*emit)(void *ud, const char *to, const char *text, size_t len),
    void *ud)
{
	const struct muc_out_entry	*e = muc_out_get(out, i);
	char				*text = NULL, *copy = NULL, *p;
	size_t				 len, namelen, cap = 0, need, k;
	int				 rc = MUC_ENOMEM;

	if (e == NULL)
		return MUC_EINVAL;
	if (e->stanza == NULL) {		/* a text entry */
		emit(ud, e->to[0], e->text, e->len);
		return MUC_OK;
	}
	if (xmpp_stanza_to_text(e->stanza, &text, &len) != XMPP_EOK)
		return MUC_ENOMEM;
	len = out_compact(text, len);
	if (!e->broadcast) {
		emit(ud, xmpp_stanza_get_to(e->stanza), text, len);
		rc = MUC_OK;
		goto done;
	}
	/* "<name" is the splice point: the text continues with a space or
	 * '>' or "/>", and ` to="…"` fits before any of them. */
	namelen = 1 + strcspn(text + 1, " />");
	for (k = 0; k < e->nto; k++) {
		need = len + 6 * strlen(e->to[k]) + 9;	/* + NUL */
		if (need > cap) {
			free(copy);
			if ((copy = malloc(need)) == NULL)
				goto done;
			cap = need;
		}
		memcpy(copy, text, namelen);
		p = copy + namelen;
		memcpy(p, " to=\"", 5);
		p = escape_attr(p + 5, e->to[k]);
		*p++ = '"';
		memcpy(p, text + namelen, len - namelen);
		p += len - namelen;
		*p = '\0';
		emit(ud, e->to[k], copy, (size_t)(p - copy));
	}
	rc = MUC_OK;
done:
	free(copy);
	xmpp_free(out->ctx, text);
	return rc;
}

/* Room for addr in an <address type="bcc" jid="..."/>, escaped. */
#define ADDRESS_ROOM(jid)	(6 * strlen(jid) + 32)

/* Append <address type="bcc" jid="J"/> to p; returns the new end. */
static char *
out_address(char *p, const char *jid)
{
	memcpy(p, "<address type=\"bcc\" jid=\"", 25);
	p = escape_attr(p + 25, jid);
	memcpy(p, "\"/>", 3);
	return p + 3;
}

/* Build the multicast stanza: text (the stanza without `to`, len bytes,
 * its element name namelen bytes after the '<') addressed to service,
 * with the <addresses/> element last.  Returns it NUL-terminated in a
 * malloc'd buffer, its length in *outlen; NULL when out of memory. */
static char *
out_multicast_text(const char *text, size_t len, size_t namelen,
    const char *service, const char *const *jids, size_t n,
    const char *marker, size_t *outlen)
{
	static const char	 head[] = "<addresses xmlns=\""
	    "http://jabber.org/protocol/address\">", tail[] = "</addresses>";
	size_t			 need, k, body;
	int			 empty = len >= 2 && text[len - 2] == '/';
	char			*buf, *p;

	need = len + 6 * strlen(service) + namelen + sizeof(head) +
	    sizeof(tail) + 16;
	for (k = 0; k < n; k++)
		need += ADDRESS_ROOM(jids[k]);
	if (marker != NULL)
		need += ADDRESS_ROOM(marker);
	if ((buf = malloc(need)) == NULL)
		return NULL;
	/* <name to="service" ...rest of the start tag... */
	memcpy(buf, text, namelen + 1);
	p = buf + namelen + 1;
	memcpy(p, " to=\"", 5);
	p = escape_attr(p + 5, service);
	*p++ = '"';
	/* everything up to the end tag, or to the "/>" of an empty element,
	 * which becomes ">" and gets an end tag */
	body = empty ? len - 2 : len - (namelen + 3);
	memcpy(p, text + namelen + 1, body - (namelen + 1));
	p += body - (namelen + 1);
	if (empty)
		*p++ = '>';
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	for (k = 0; k < n; k++)
		p = out_address(p, jids[k]);
	if (marker != NULL)
		p = out_address(p, marker);
	memcpy(p, tail, sizeof(tail) - 1);
	p += sizeof(tail) - 1;
	*p++ = '<';
	*p++ = '/';
	memcpy(p, text + 1, namelen);
	p += namelen;
	*p++ = '>';
	*p = '\0';
	*outlen = (size_t)(p - buf);
	return buf;
}

int
muc_out_render_multicast(const struct muc_out *out, size_t i,
    const char *service, size_t first, size_t count, const char *marker,
    void (*emit)(void *ud, const char *text, size_t len), void *ud)
{
	const struct muc_out_entry	*e = muc_out_get(out, i);
	char				*text = NULL, *mc;
	size_t				 len, namelen, mclen;
	int				 rc = MUC_ENOMEM;

	if (e == NULL || !e->broadcast || first > e->nto ||
	    count > e->nto - first)
		return MUC_EINVAL;
	if (xmpp_stanza_to_text(e->stanza, &text, &len) != XMPP_EOK)
		return MUC_ENOMEM;
	len = out_compact(text, len);
	namelen = strcspn(text + 1, " />");
	if ((mc = out_multicast_text(text, len, namelen, service,
	    e->to + first, count, marker, &mclen)) != NULL) {
		emit(ud, mc, mclen);
		free(mc);
		rc = MUC_OK;
	}
	xmpp_free(out->ctx, text);
	return rc;
}

/* muc_out_render()'s callback, behind muc_out_render_to()'s. */
struct out_plain {
	void	(*emit)(void *ud, const char *text, size_t len);
	void	*ud;
};

static void
out_plain_emit(void *ud, const char *to, const char *text, size_t len)
{
	struct out_plain	*pl = ud;

	(void)to;
	pl->emit(pl->ud, text, len);
}

int
muc_out_render(const struct muc_out *out, size_t i,
    void (*emit)(void *ud, const char *text, size_t len), void *ud)
{
	struct out_plain	pl = { emit, ud };

	return muc_out_render_to(out, i, out_plain_emit, &pl);
}
