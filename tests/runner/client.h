/*
 * client.h - one character's XMPP client connection and its inbox.
 *
 * All clients share one libstrophe context; client_pump() drives every
 * connection at once, so stanzas for any client are queued in that
 * client's inbox whenever the runner waits.
 */
#ifndef SCANSION_CLIENT_H
#define SCANSION_CLIENT_H

#include <stddef.h>
#include <strophe.h>

#include "xnode.h"

enum client_state {
	CLIENT_IDLE,		/* never connected, or disconnected by script */
	CLIENT_CONNECTING,	/* inside client_connect() */
	CLIENT_READY,		/* bound; stanzas go to the inbox */
	CLIENT_CLOSED		/* the server ended the stream, or it broke */
};

struct inbox_item {
	struct xnode		*stanza;
	struct inbox_item	*next;
};

struct client {
	xmpp_ctx_t		*ctx;		/* shared, not owned */
	xmpp_conn_t		*conn;		/* NULL while IDLE */
	const char		*name;		/* character name, borrowed */
	char			*jid;		/* account JID as written */
	char			*password;
	char			*resource;	/* NULL: let the server pick */
	enum client_state	 state;
	int			 step;		/* connect sequence position */
	int			 session_needed;
	char			*full_jid;	/* kept after disconnecting */
	char			*closed_reason;	/* why the stream ended */
	struct inbox_item	*head, *tail;	/* the inbox, a FIFO */
	size_t			 ninbox;
	int			 verbose;
	int			 enomem;	/* a received stanza was lost */
};

int	 client_init(struct client *c, xmpp_ctx_t *ctx, const char *name,
	    const char *jid, const char *password, const char *resource,
	    int verbose);
void	 client_release(struct client *c);
int	 client_connect(struct client *c, const char *host, int port,
	    double timeout, char *why, size_t whylen);
int	 client_send(struct client *c, const struct xnode *stanza,
	    char *why, size_t whylen);
void	 client_disconnect(struct client *c);
struct xnode *client_inbox_pop(struct client *c);
void	 client_inbox_clear(struct client *c);

struct xnode *client_stanza_to_xnode(xmpp_stanza_t *st, const char *parent_ns);

double	 client_now(void);
void	 client_pump(xmpp_ctx_t *ctx, double seconds);

#endif
