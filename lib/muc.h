/*
 * muc.h - the public interface of the mucd engine.
 *
 * The engine is a function from one incoming stanza to the stanzas that must
 * be sent in answer.  It knows nothing of sockets: the daemon (component/)
 * hands it every stanza addressed to the service, then sends what lands in
 * the outbox.  Rooms, occupants and the rules of XEP-0045 live behind this
 * header; storage is the interface in store.h.
 *
 * Ownership follows libstrophe: stanzas passed to muc_handle() are borrowed;
 * stanzas in the outbox are owned by the outbox until muc_out_clear().
 */
#ifndef MUC_H
#define MUC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <strophe.h>

/* Return codes.  Protocol refusals are not errors: they are error stanzas in
 * the outbox and the call still returns MUC_OK. */
#define MUC_OK		0
#define MUC_ENOMEM	(-1)	/* allocation failed */
#define MUC_ESTORE	(-2)	/* the database failed (already logged) */
#define MUC_EINVAL	(-3)	/* bad argument from the caller */

enum muc_log_level {
	MUC_LOG_DEBUG,
	MUC_LOG_INFO,
	MUC_LOG_WARN,
	MUC_LOG_ERROR,
};

/* The sink every log line of the engine goes to; the daemon provides it.
 * area is a short tag ("join", "store", ...). */
struct muc_logger {
	void	(*fn)(void *ud, enum muc_log_level level, const char *area,
		    const char *fmt, va_list ap);
	void	*ud;
};

void	muc_log(const struct muc_logger *lg, enum muc_log_level level,
	    const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * The outbox.  An entry is either one stanza with its own addressing, or a
 * broadcast: one stanza without `to` and a list of recipients.  A broadcast
 * is built once and only the addressing varies per copy, so the sender can
 * serialise it once (see muc_out_render()).
 */
struct muc_out;

struct muc_out_entry {
	xmpp_stanza_t		*stanza;	/* owned by the outbox */
	int			 broadcast;	/* 1: stanza has no `to`; see to[] */
	const char *const	*to;		/* broadcast recipients */
	size_t			 nto;
};

struct muc_out	*muc_out_new(xmpp_ctx_t *ctx);
void		 muc_out_free(struct muc_out *out);
/* Queue one addressed stanza.  Steals the caller's reference, also on
 * failure (then the stanza is released). */
int		 muc_out_push(struct muc_out *out, xmpp_stanza_t *stanza);
/* Start a broadcast of stanza (which must carry no `to`); steals the
 * reference as muc_out_push() does.  Recipients follow with
 * muc_out_add_to(), which copies the JID.  A broadcast left with no
 * recipient is dropped when the outbox is read. */
int		 muc_out_broadcast(struct muc_out *out, xmpp_stanza_t *stanza);
int		 muc_out_add_to(struct muc_out *out, const char *jid);
size_t		 muc_out_count(const struct muc_out *out);
/* Entry i, 0 <= i < muc_out_count(); valid until the next push or clear. */
const struct muc_out_entry *muc_out_get(const struct muc_out *out, size_t i);
void		 muc_out_clear(struct muc_out *out);
/* Serialise entry i once and call emit(ud, text, len) for every copy, each
 * copy complete with its `to` attribute and text[len] == '\0' (libstrophe's
 * xmpp_send_raw() calls strlen on its data despite the length argument).
 * The copies leave out the stanza's own xmlns when it is the stream's
 * default (jabber:component:accept, or jabber:client).
 * text is valid during the call only.  Returns MUC_OK or MUC_ENOMEM. */
int		 muc_out_render(const struct muc_out *out, size_t i,
		    void (*emit)(void *ud, const char *text, size_t len),
		    void *ud);
/* The same, telling emit each copy's recipient too: the broadcast's
 * recipient, or the single stanza's `to` (NULL if it has none). */
int		 muc_out_render_to(const struct muc_out *out, size_t i,
		    void (*emit)(void *ud, const char *to, const char *text,
		    size_t len), void *ud);
/* Serialise broadcast entry i once as an XEP-0033 multicast stanza: `to`
 * the multicast service, with an <addresses/> element last that lists
 * the entry's recipients first .. first + count - 1 as bcc addresses
 * (bcc: the service removes them, so no recipient learns another's
 * JID), then marker if not NULL.  emit gets the stanza, NUL-terminated.
 * Returns MUC_OK, MUC_ENOMEM, or MUC_EINVAL when i is not a broadcast or
 * the range is outside its recipients. */
int		 muc_out_render_multicast(const struct muc_out *out, size_t i,
		    const char *service, size_t first, size_t count,
		    const char *marker, void (*emit)(void *ud,
		    const char *text, size_t len), void *ud);

/* The service: all rooms of one component domain. */
struct store;
struct muc_service;

struct muc_service_config {
	const char		*domain;	/* e.g. conference.example.org */
	const char *const	*admins;	/* bare JIDs with owner rights everywhere */
	size_t			 nadmins;
	const char		*name;		/* service name in disco, may be NULL */
};

/* Create the service.  st stays owned by the caller and must outlive the
 * service.  Persistent rooms are loaded from st lazily, on first use. */
int	muc_service_new(xmpp_ctx_t *ctx, const struct muc_service_config *cfg,
	    struct store *st, const struct muc_logger *lg,
	    struct muc_service **OUT);
void	muc_service_free(struct muc_service *svc);
/* Replace the clock (tests); NULL restores time(). */
void	muc_service_set_clock(struct muc_service *svc, time_t (*now)(void));

/* Handle one stanza addressed to the service or one of its rooms.  in is
 * borrowed.  Replies are appended to out.  Returns MUC_OK, or MUC_ENOMEM /
 * MUC_ESTORE after having queued an internal-server-error reply where one
 * could be built. */
int	muc_handle(struct muc_service *svc, xmpp_stanza_t *in,
	    struct muc_out *out);

/* Periodic work (about once a second): changes an operator made in the
 * database, and the occupancy counts of rooms that changed.  Costs one
 * PRAGMA when nothing changed. */
int	muc_tick(struct muc_service *svc, struct muc_out *out);

/* The service is going away: tell every occupant it was removed (status
 * 332, XEP-0045 11.2), one presence each.  The rooms stay in memory
 * until muc_service_free(). */
int	muc_shutdown(struct muc_service *svc, struct muc_out *out);

/* Build an error reply to in (type error, to/from swapped, the original
 * children kept for iq only as XMPP core allows).  type is "cancel", "auth",
 * "modify" or "wait", or NULL for the condition's usual type (RFC 6120
 * 8.3.3); condition a urn:ietf:params:xml:ns:xmpp-stanzas element name.
 * by may be NULL.  Returns NULL on allocation failure. */
xmpp_stanza_t *muc_error_reply(xmpp_ctx_t *ctx, xmpp_stanza_t *in,
	    const char *from, const char *type, const char *condition,
	    const char *by, const char *text);

#endif /* MUC_H */
