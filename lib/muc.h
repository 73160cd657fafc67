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
#define MUC_EBUSY	(-4)	/* the database is locked by another
				   connection (logged); try again later */

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
	xmpp_stanza_t		*stanza;	/* owned by the outbox; NULL for text */
	int			 broadcast;	/* 1: stanza has no `to`; see to[] */
	const char *const	*to;		/* broadcast recipients; for a
						 * text entry its one recipient */
	size_t			 nto;
	/* A text entry: one stanza already serialised (text[len] == '\0'),
	 * complete with its `to`, which to[0] repeats.  The engine builds
	 * answers with thousands of children this way: libstrophe 0.12's
	 * xmpp_stanza_add_child() and its parser walk the child list on
	 * every add, so a tree of n children costs O(n^2). */
	const char		*text;
	size_t			 len;
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
/* Queue one serialised stanza addressed to `to` (copied): text, len bytes
 * malloc'd and NUL-terminated, is stolen, also on failure (then freed). */
int		 muc_out_push_text(struct muc_out *out, char *text, size_t len,
		    const char *to);
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
	/* The software version the service's jabber:iq:version answer
	 * gives (XEP-0092), e.g. "0.1.0"; NULL: the answer names no
	 * version.  The daemon passes its own. */
	const char		*version;

	/* Rate limits (limits.c), 0 turning one off: messages and presence
	 * changes per second of each occupant, with how many may come at
	 * once (0: one second's worth); joins and room creations per minute
	 * of each user (real bare JID), a minute's worth at once. */
	unsigned		 msg_rate, msg_burst;
	unsigned		 presence_rate, presence_burst;
	unsigned		 join_rate, create_rate;
	/* disco#items of the service is paged (XEP-0059): items in a page
	 * when the request asks for no number (0: 100), and at most
	 * (0: 250). */
	unsigned		 page_default, page_max;
	/* Occupants across restarts (snapshot.c, verify.c).  With
	 * shutdown_notice 0 (the default) the service keeps them: their
	 * rows in the store are rewritten at most every snapshot_interval
	 * seconds (0: 2) and in full by muc_shutdown(), muc_restore() puts
	 * them back, and once the host is online every client is pinged,
	 * verify_per_tick (0: 50) per muc_tick(), and removed (333) when it
	 * answers with an error or not within verify_timeout seconds
	 * (0: 30).  With shutdown_notice 1, muc_shutdown() tells every
	 * occupant it was removed (332) and nobody is kept. */
	int			 shutdown_notice;
	unsigned		 snapshot_interval;
	unsigned		 verify_per_tick, verify_timeout;
	/* A room with more occupants than this is crowded: only moderators'
	 * presence goes to everyone, others' to moderators (and themselves);
	 * 0: no room ever is. */
	size_t			 crowded;
	/* The archive (XEP-0313).  Zero values are the defaults. */
	int			 archive_off_by_default; /* new rooms do not archive */
	long			 archive_max_age;	/* seconds kept; 0: forever */
	long			 archive_max_count;	/* kept per room; 0: all */
	long			 archive_page_max;	/* results per query; 0: 100 */
	/* Who may create rooms (join.c): MUC_CREATE_ANYONE (0, the
	 * default), MUC_CREATE_LOCAL (users of local_domains; with none
	 * given, of the service's parent domain: example.org for
	 * conference.example.org) or MUC_CREATE_ADMINS; service admins
	 * always may.  max_rooms_per_user: how many rooms a user may have
	 * created (stored rooms recorded as theirs, and rooms only memory
	 * holds) before a new one is refused; 0: no limit. */
	int			 room_creation;
	const char *const	*local_domains;
	size_t			 nlocal_domains;
	unsigned		 max_rooms_per_user;
	/* The largest room vCard (XEP-0486) an owner may set, in bytes of
	 * XML; 0: 65536. */
	size_t			 vcard_max_bytes;
};

#define MUC_CREATE_ANYONE	0
#define MUC_CREATE_LOCAL	1
#define MUC_CREATE_ADMINS	2

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
 * database, the occupancy counts of rooms that changed, the archive's
 * queue handed to its writer and, once a minute, its expiry, the
 * occupants that changed (every snapshot_interval), the pings of clients
 * being checked, and forgetting rate-limit entries of idle users.  Costs
 * one PRAGMA when nothing changed. */
int	muc_tick(struct muc_service *svc, struct muc_out *out);

/* Put back the occupants the store kept (a clean shutdown's full write,
 * or after a crash the last periodic one), silently: nobody is told
 * anything.  Call once, after muc_service_new() and before the first
 * stanza.  Each restored client is checked once the host is online (see
 * muc_host_online()); occupants of a room that is gone are told so then.
 * Returns MUC_OK or an error (rows that cannot be used are logged and
 * skipped). */
int	muc_restore(struct muc_service *svc);

/* The daemon tells the engine about its link to the host: online 1 after
 * every successful handshake (the first one included), 0 when the stream
 * is lost.  Coming online starts a check of every occupant's client with
 * an XEP-0199 ping from its room, spread over the following ticks: while
 * the link was down, the host dropped whatever those clients sent, their
 * leaving included.  Going offline pauses the check; pings already sent
 * are forgotten, not counted against anyone. */
void	muc_host_online(struct muc_service *svc, int online);

/* The service is going away.  With shutdown_notice set, tell every
 * occupant it was removed (status 332, XEP-0045 11.2), one presence
 * each, and forget the stored occupants; otherwise (the default) send
 * nothing and store every occupant, for muc_restore().  Either way the
 * archive's queue is written.  The rooms stay in memory until
 * muc_service_free(). */
int	muc_shutdown(struct muc_service *svc, struct muc_out *out);

/*
 * What the engine counts, for the daemon's metrics.  Counters only grow
 * while the service lives; gauges are the state now.  The conditions are
 * RFC 6120's, in the order muc_stats_condition() names them.
 */
#define MUC_STATS_CONDITIONS	16
struct muc_stats {
	size_t		 rooms_loaded;		/* gauge: rooms in memory */
	size_t		 occupants;		/* gauge: nicks, all rooms */
	size_t		 sessions;		/* gauge: clients, all rooms */
	uint64_t	 errors[MUC_STATS_CONDITIONS];	/* errors sent */
	uint64_t	 limit_hits;		/* stanzas refused by limits */
	uint64_t	 store_transactions;	/* committed or rolled back */
	uint64_t	 store_usec;		/* time spent in them */
};
/* Fill *OUT with the service's figures; cheap (no walk of the rooms). */
void	muc_stats(const struct muc_service *svc, struct muc_stats *OUT);
/* The name of error condition i (0 <= i < MUC_STATS_CONDITIONS), or NULL
 * for a slot no condition uses. */
const char *muc_stats_condition(size_t i);

/* Build an error reply to in (type error, to/from swapped, the original
 * children kept for iq only as XMPP core allows).  type is "cancel", "auth",
 * "modify" or "wait", or NULL for the condition's usual type (RFC 6120
 * 8.3.3); condition a urn:ietf:params:xml:ns:xmpp-stanzas element name.
 * by may be NULL.  Returns NULL on allocation failure. */
xmpp_stanza_t *muc_error_reply(xmpp_ctx_t *ctx, xmpp_stanza_t *in,
	    const char *from, const char *type, const char *condition,
	    const char *by, const char *text);

#endif /* MUC_H */
