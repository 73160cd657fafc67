/*
 * engine_fixture.h - driving the engine the way the daemon does.
 *
 * A fixture is a libstrophe context, an SQLite store (in memory unless a
 * path is given), a service for conference.localhost and an outbox.
 * fx_send() hands one stanza to muc_handle(), renders every outbox entry
 * with muc_out_render() exactly as the daemon would send it, parses each
 * copy back into a stanza and keeps them, in order, until the next send.
 * Tests then ask questions of those copies: the n-th presence to Juliet,
 * its status codes, its item's attributes, an error's condition.  Rendered
 * text is never compared byte for byte: libstrophe does not keep attribute
 * order.  The service runs on a fixed clock (fx_now).
 *
 * A fixture is freed when its case ends (ut_defer), and a failing case
 * prints what the engine sent last.
 */
#ifndef ENGINE_FIXTURE_H
#define ENGINE_FIXTURE_H

#include <time.h>

#include <strophe.h>

#include "muc.h"
#include "unit.h"

#define FX_DOMAIN	"conference.localhost"
#define FX_ROOM		"room@conference.localhost"

/* The cast: real full JIDs. */
#define ROMEO		"romeo@montague.lit/orchard"
#define ROMEO_BARE	"romeo@montague.lit"
#define JULIET		"juliet@capulet.lit/balcony"
#define JULIET_BARE	"juliet@capulet.lit"
#define NURSE		"nurse@capulet.lit/kitchen"
#define NURSE_BARE	"nurse@capulet.lit"
#define TYBALT		"tybalt@capulet.lit/street"
#define TYBALT_BARE	"tybalt@capulet.lit"
#define BENVOLIO	"benvolio@montague.lit/square"
#define BENVOLIO_BARE	"benvolio@montague.lit"

#define NS_MUC_X	"http://jabber.org/protocol/muc"
#define NS_MUC_USER_X	"http://jabber.org/protocol/muc#user"
#define NS_MUC_ADMIN_Q	"http://jabber.org/protocol/muc#admin"
#define NS_MUC_OWNER_Q	"http://jabber.org/protocol/muc#owner"
#define NS_XDATA	"jabber:x:data"
#define NS_STANZA_ERR	"urn:ietf:params:xml:ns:xmpp-stanzas"

/* The time the service sees; fx_new() sets it to FX_EPOCH. */
#define FX_EPOCH	((time_t)1700000000)	/* 2023-11-14T22:13:20Z */
extern time_t	fx_now;

struct fx_copy {
	char		*to;	/* the copy's `to`, NULL when it has none */
	xmpp_stanza_t	*st;	/* the rendered copy, parsed back */
	char		*text;	/* the rendered text, for failure dumps */
};

struct fx {
	xmpp_ctx_t		*ctx;
	struct store		*st;
	struct muc_service	*svc;
	struct muc_out		*out;
	struct muc_logger	 log;
	int			 rc;		/* what the last muc_handle returned */
	size_t			 nentries;	/* outbox entries of the last send */
	struct fx_copy		*copy;		/* every copy of the last send */
	size_t			 ncopies, capcopies;
	int			 nwarn;		/* log lines at WARN and above */
#define FX_LOGGED	32
	char			 logged[FX_LOGGED][512];	/* last INFO+ lines */
	size_t			 nlogged;
	char			*last_in;	/* the last stanza sent */
	char			**pool;		/* strings freed with the fixture */
	size_t			 npool, cappool;
};

/* A service without admins on an in-memory store. */
struct fx	*fx_new(void);
/* With service admins (bare JIDs) and a database file (NULL: memory). */
struct fx	*fx_new_with(const char *const *admins, size_t nadmins,
		    const char *dbpath);
/* A database file path under /tmp (not created), removed with its WAL
 * files when the case ends. */
const char	*fx_tmp_db(void);
/* With the service settings of cfg (its domain ignored: FX_DOMAIN) and a
 * database file (NULL: memory). */
struct fx	*fx_new_cfg(const struct muc_service_config *cfg,
		    const char *dbpath);

/* Hand the printf-formatted stanza to the engine and collect what it
 * sends.  Returns the number of copies, or -1 (the case has failed) when
 * the text does not parse or the engine returned an error. */
int		 fx_send(struct fx *f, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The same for muc_tick() (operator changes in the database) and
 * muc_shutdown(). */
int		 fx_tick(struct fx *f);
int		 fx_shutdown(struct fx *f);

/* Was a line containing text logged at info or above (among the last
 * FX_LOGGED)? */
int		 fx_logged(const struct fx *f, const char *text);

/* Copies of the last send.  to NULL matches every recipient, kind NULL
 * every element name; n counts from 0. */
size_t		 fx_count(const struct fx *f, const char *to, const char *kind);
xmpp_stanza_t	*fx_get(const struct fx *f, const char *to, const char *kind,
		    size_t n);
/* Position of that copy in the send order, -1 when there is none. */
int		 fx_pos(const struct fx *f, const char *to, const char *kind,
		    size_t n);

/* Reading a stanza; every function accepts NULL and then returns NULL/0. */
const char	*fx_attr(xmpp_stanza_t *s, const char *name);
xmpp_stanza_t	*fx_child(xmpp_stanza_t *s, const char *name, const char *ns);
size_t		 fx_nchildren(xmpp_stanza_t *s, const char *name);
/* Text of child `name` of s (the fixture keeps the string). */
const char	*fx_text(struct fx *f, xmpp_stanza_t *s, const char *name);
/* The muc#user <x/>, its <item/>, an attribute of that item. */
xmpp_stanza_t	*fx_muc_user(xmpp_stanza_t *s);
xmpp_stanza_t	*fx_item(xmpp_stanza_t *s);
const char	*fx_item_attr(xmpp_stanza_t *s, const char *name);
/* Does the muc#user <x/> carry <status code=code/>?  How many statuses? */
int		 fx_has_status(xmpp_stanza_t *s, int code);
size_t		 fx_nstatus(xmpp_stanza_t *s);
/* The error of an error stanza: condition element name, type, by. */
const char	*fx_error(xmpp_stanza_t *s);
const char	*fx_error_type(xmpp_stanza_t *s);
const char	*fx_error_by(xmpp_stanza_t *s);
/* The field `var` of the data form x and the text of its first value. */
xmpp_stanza_t	*fx_field(xmpp_stanza_t *x, const char *var);
const char	*fx_field_value(struct fx *f, xmpp_stanza_t *x, const char *var);

/* XEP-0050: from sends <command node attrs> to `to` (the service or a
 * room JID), with a submitted form of fields when fields is not NULL;
 * returns the copies sent, as fx_send().  fx_command_result(): the
 * <command/> of the answer to from, NULL when it is no result. */
int		 fx_command(struct fx *f, const char *from, const char *to,
		    const char *node, const char *attrs, const char *fields);
xmpp_stanza_t	*fx_command_result(struct fx *f, const char *from);

/* Common moves.  Each returns 0, or -1 after failing the case. */
/* from enters room (localpart) as nick. */
int		 fx_join(struct fx *f, const char *from, const char *room,
		    const char *nick);
/* from leaves room. */
int		 fx_leave(struct fx *f, const char *from, const char *room);
/* owner creates room as nick and accepts the default configuration
 * (an instant room, 10.1.2), then sees the result. */
int		 fx_create(struct fx *f, const char *owner, const char *room,
		    const char *nick);
/* owner submits a configuration form: var, value pairs, NULL-ended.  The
 * result must be an iq result. */
int		 fx_config(struct fx *f, const char *owner, const char *room,
		    ...) __attribute__((sentinel));
/* owner creates room as nick, persistent and with archiving on. */
int		 fx_archive_room(struct fx *f, const char *owner,
		    const char *room, const char *nick);
/* The id of the room's stanza-id on s (by room@FX_DOMAIN, the room s is
 * from), or NULL; the fixture keeps the string. */
const char	*fx_sid(struct fx *f, xmpp_stanza_t *s);
/* How many stanza-ids s carries by its room. */
size_t		 fx_nsids(xmpp_stanza_t *s);
/* from sets affiliation (and nick, may be NULL) of bare in room through
 * muc#admin; the result must be an iq result. */
int		 fx_affiliate(struct fx *f, const char *from, const char *room,
		    const char *bare, const char *aff, const char *nick);

#endif /* ENGINE_FIXTURE_H */
