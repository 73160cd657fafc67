/*
 * build.h - building stanzas with one failure check at the end.
 *
 * A stanza of a MUC reply takes a dozen allocations.  Checking each would
 * bury the protocol logic, so the builder keeps a sticky `failed` flag, as
 * SQLite keeps db->mallocFailed: after the first failure every call is a
 * no-op, and b_done() releases the half-built stanza and returns NULL.
 */
#ifndef BUILD_H
#define BUILD_H

#include <strophe.h>

struct build {
	xmpp_ctx_t	*ctx;
	int		 failed;
};

#define BUILD_INIT(c)	{ (c), 0 }

/* A new top-level element; the caller owns it (release via b_done). */
xmpp_stanza_t	*b_new(struct build *b, const char *name);
/* A new child of parent (which owns it); NULL after a failure. */
xmpp_stanza_t	*b_child(struct build *b, xmpp_stanza_t *parent,
		    const char *name, const char *ns);
/* <name>text</name> under parent. */
xmpp_stanza_t	*b_text_child(struct build *b, xmpp_stanza_t *parent,
		    const char *name, const char *text);
void		 b_text(struct build *b, xmpp_stanza_t *elem, const char *text);
/* Set an attribute; a NULL value sets nothing. */
void		 b_attr(struct build *b, xmpp_stanza_t *elem, const char *name,
		    const char *value);
/* A top-level <query xmlns=ns node=node/> (node may be NULL), the
 * answer of a disco or ad-hoc request. */
xmpp_stanza_t	*b_query(struct build *b, const char *ns, const char *node);
/* <feature var=var/> under a disco#info query. */
void		 b_feature(struct build *b, xmpp_stanza_t *q, const char *var);
/* <status code=code/> under parent (a muc#user <x/>). */
void		 b_status(struct build *b, xmpp_stanza_t *parent, int code);
/* Append a deep copy of src under parent, with every xml:lang written
 * back as xml:lang (libstrophe's parser keeps it as "lang"). */
void		 b_copy(struct build *b, xmpp_stanza_t *parent,
		    xmpp_stanza_t *src);
/* Finish: s when nothing failed, else release s and return NULL. */
xmpp_stanza_t	*b_done(struct build *b, xmpp_stanza_t *s);

/*
 * Reading helpers.  Text read from a stanza is always a malloc'd copy that
 * the caller frees with free(): never libstrophe's xmpp_free() string.
 */
/* First child element with this name and namespace (ns NULL: any). */
xmpp_stanza_t	*st_child(xmpp_stanza_t *s, const char *name, const char *ns);
/* The text content of element s ("" when it has none).  Returns MUC_OK
 * with *OUT malloc'd, or MUC_ENOMEM with *OUT NULL. */
int		 st_text(xmpp_stanza_t *s, char **OUT);
/* The text of s's first child `name`: MUC_OK with *OUT malloc'd, or
 * MUC_OK with *OUT NULL when there is no such child, or MUC_ENOMEM. */
int		 st_child_text(xmpp_stanza_t *s, const char *name, char **OUT);
/* s as XML: each element's namespace written where it differs from its
 * parent's, s's own left out (a stanza's is its stream's, for the reader
 * to set), and an attribute libstrophe read as "lang" under its real
 * name, xml:lang.  Three times as fast as xmpp_stanza_to_text(), which
 * matters where it runs once per message (the archive).  MUC_OK with
 * *OUT malloc'd (free it) and *OUT_len its length, or MUC_ENOMEM. */
int		 st_to_text(xmpp_stanza_t *s, char **OUT, size_t *OUT_len);
/* The same into the caller's buffer *buf of *cap bytes (both may be 0),
 * grown as needed and kept for the next call: no allocation once it is
 * large enough.  MUC_OK with *OUT_len, or MUC_ENOMEM (*buf still the
 * caller's to free). */
int		 st_to_text_into(xmpp_stanza_t *s, char **buf, size_t *cap,
		    size_t *OUT_len);

#endif /* BUILD_H */
