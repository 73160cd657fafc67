/*
 * run.c - the action loop: one script, start to end (format 4, 9, 11, 12).
 *
 * Actions run in file order; the first failure ends the script.  Data
 * blocks get their variables substituted and are parsed when their action
 * runs, since full JIDs exist only once characters have connected.  A
 * receives takes stanzas from the front of the client's inbox, skipping
 * those that do not match (kept for the report) until one matches or the
 * timeout passes.  After each sends the runner keeps reading for a short
 * pause so that two clients' actions reach the server in script order.
 * Every client still connected at the end is disconnected politely.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client.h"
#include "match.h"
#include "run.h"
#include "subst.h"
#include "xnode.h"

#define REPORT_INDENT	"    "

struct run {
	const struct script	*s;
	const struct run_options *o;
	struct client		*clients;	/* one per character */
	struct captures		 caps;
	struct run_result	*res;
	struct buf		 details;
};

/* Record the failure of action a.  Returns -1. */
static int
action_fail(struct run *r, const struct action *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
action_fail(struct run *r, const struct action *a, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	char		 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_addf(&b, "%s %s: %s", r->s->chars[a->ichar].name,
	    script_verb_name(a->verb), msg);
	r->res->line = a->line;
	free(r->res->why);
	r->res->why = buf_finish(&b);	/* NULL: main prints a fallback */
	return -1;
}

/* subst_lookup_fn over the script's characters and their clients. */
static int
lookup_character(void *ud, const char *name, int full, const char **value)
{
	struct run	*r = ud;
	size_t		 i;

	for (i = 0; i < r->s->nchars; i++) {
		if (strcmp(r->s->chars[i].name, name) != 0)
			continue;
		*value = full ? r->clients[i].full_jid : r->clients[i].jid;
		return *value != NULL ? SUBST_OK : SUBST_NO_FULL_JID;
	}
	return SUBST_UNKNOWN_NAME;
}

/* subst_capture_fn over the script's captures. */
static const char *
lookup_capture(void *ud, const char *name)
{
	struct run	*r = ud;

	return captures_get(&r->caps, name);
}

/* Substitute and parse a's data block; a block to send also gets the
 * values of captures.  Returns 0 with OUT: *elems (a new array of *n
 * trees), or -1 after recording the failure. */
static int
block_elements(struct run *r, const struct action *a, struct xnode ***elems,
    size_t *n)
{
	char	*text = NULL, *sent, msg[512];
	int	 errline, rc = -1;

	if (subst_expand(a->block, lookup_character, r, &text, msg,
	    sizeof(msg)) < 0) {
		action_fail(r, a, "%s", msg);
		goto cleanup;
	}
	if (a->verb == VERB_SENDS) {
		if (subst_captures(text, lookup_capture, r, &sent, msg,
		    sizeof(msg)) < 0) {
			action_fail(r, a, "%s", msg);
			goto cleanup;
		}
		free(text);
		text = sent;
	}
	if (xnode_parse_block(text, elems, n, &errline, msg, sizeof(msg)) < 0) {
		action_fail(r, a, "after substituting variables, line %d: %s",
		    a->block_line + errline - 1, msg);
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(text);
	return rc;
}

/* Keep reading all connections for the given number of seconds. */
static void
pump_for(struct run *r, double seconds)
{
	double	 deadline = client_now() + seconds;

	while (client_now() < deadline)
		client_pump(r->o->ctx, deadline - client_now());
}

/* Append tree x to b, pretty-printed, each line starting with indent. */
static void
report_tree(struct buf *b, const struct xnode *x, const char *indent)
{
	char	*text;

	if ((text = xnode_serialize(x, XNODE_PRETTY, indent)) == NULL) {
		b->failed = 1;
		return;
	}
	buf_add(b, text);
	free(text);
}

/* X sends: write each element, then pause while reading (format 8). */
static int
do_sends(struct run *r, const struct action *a, struct client *c)
{
	struct xnode	**elems = NULL;
	size_t		 n = 0, i;
	char		 why[512];
	int		 rc = -1;

	if (block_elements(r, a, &elems, &n) < 0)
		goto cleanup;
	for (i = 0; i < n; i++)
		if (client_send(c, elems[i], why, sizeof(why)) < 0) {
			action_fail(r, a, "%s", why);
			goto cleanup;
		}
	pump_for(r, r->o->send_pause);
	rc = 0;
cleanup:
	xnode_free_list(elems, n);
	return rc;
}

/* Wait for one stanza matching e on c (format 9).  Non-matching stanzas
 * are consumed and listed in the report if the wait fails. */
static int
receive_one(struct run *r, const struct action *a, struct client *c,
    const struct xnode *e, size_t ielem, size_t nelems)
{
	struct buf	 skipped;
	struct xnode	*x;
	double		 deadline = client_now() + r->o->timeout;
	char		 why[1024];
	size_t		 nskipped = 0;
	int		 m, rc = -1;

	buf_init(&skipped);
	for (;;) {
		/* 1. Everything already in the inbox, oldest first. */
		while ((x = client_inbox_pop(c)) != NULL) {
			m = match_stanza(e, x, &r->caps, why, sizeof(why));
			if (m == MATCH_YES) {
				if (r->o->verbose)
					fprintf(stderr, "    matched\n");
				xnode_free(x);
				rc = 0;
				goto cleanup;
			}
			if (m == MATCH_ENOMEM) {
				xnode_free(x);
				action_fail(r, a, "out of memory");
				goto cleanup;
			}
			if (r->o->verbose)
				fprintf(stderr, "    skipped: %s\n", why);
			nskipped++;
			report_tree(&skipped, x, REPORT_INDENT);
			buf_addf(&skipped, REPORT_INDENT "  -> %s\n", why);
			xnode_free(x);
		}

		/* 2. Reasons to stop waiting. */
		if (c->enomem) {
			action_fail(r, a, "out of memory; a stanza was lost");
			break;
		}
		if (c->state == CLIENT_CLOSED) {
			action_fail(r, a, "%s before a matching stanza arrived",
			    c->closed_reason != NULL ? c->closed_reason :
			    "the stream was closed");
			break;
		}
		if (c->state != CLIENT_READY) {
			action_fail(r, a, "%s is not connected", c->name);
			break;
		}
		if (client_now() >= deadline) {
			action_fail(r, a, "no matching stanza within %.1f s",
			    r->o->timeout);
			break;
		}
		client_pump(r->o->ctx, deadline - client_now());
	}

	/* 3. The report: what was expected, what came instead. */
	if (nelems > 1)
		buf_addf(&r->details, "  expected (element %zu of %zu in the "
		    "block):\n", ielem + 1, nelems);
	else
		buf_add(&r->details, "  expected:\n");
	report_tree(&r->details, e, REPORT_INDENT);
	if (nskipped == 0)
		buf_add(&r->details, "  received instead: nothing\n");
	else {
		buf_addf(&r->details, "  received instead (%zu):\n", nskipped);
		buf_addn(&r->details, skipped.data, skipped.len);
		if (skipped.failed)
			r->details.failed = 1;
	}
cleanup:
	buf_free(&skipped);
	return rc;
}

/* X receives: each element of the block in turn (format 4.4). */
static int
do_receives(struct run *r, const struct action *a, struct client *c)
{
	struct xnode	**elems = NULL;
	size_t		 n = 0, i;
	int		 rc = -1;

	if (block_elements(r, a, &elems, &n) < 0)
		goto cleanup;
	for (i = 0; i < n; i++)
		if (receive_one(r, a, c, elems[i], i, n) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	xnode_free_list(elems, n);
	return rc;
}

/* X receives: nothing (format 11): collect what is already there, then
 * watch for the window; any stanza in the inbox fails the action. */
static int
do_receives_nothing(struct run *r, const struct action *a, struct client *c)
{
	double	 deadline;
	int	 i;

	for (i = 0; i < 3; i++)
		client_pump(r->o->ctx, 0);
	deadline = client_now() + r->o->nothing_window;
	for (;;) {
		if (c->head != NULL) {
			action_fail(r, a, "expected nothing, but a stanza "
			    "arrived");
			buf_addf(&r->details, "  received (%zu in the inbox), "
			    "first:\n", c->ninbox);
			report_tree(&r->details, c->head->stanza, REPORT_INDENT);
			return -1;
		}
		if (c->state == CLIENT_CLOSED)
			return action_fail(r, a, "%s", c->closed_reason != NULL ?
			    c->closed_reason : "the stream was closed");
		if (c->state != CLIENT_READY)
			return action_fail(r, a, "%s is not connected",
			    c->name);
		if (client_now() >= deadline)
			return 0;
		client_pump(r->o->ctx, deadline - client_now());
	}
}

/* Run action a.  Returns 0, or -1 with the failure recorded. */
static int
run_action(struct run *r, const struct action *a)
{
	const struct character	*ch = &r->s->chars[a->ichar];
	struct client		*c = &r->clients[a->ichar];
	char			 why[1024];

	if (r->o->verbose)
		fprintf(stderr, "  line %d: %s %s\n", a->line, ch->name,
		    script_verb_name(a->verb));
	switch (a->verb) {
	case VERB_CONNECTS:
		if (client_connect(c, ch->connect_host != NULL ?
		    ch->connect_host : r->o->host, ch->connect_port != 0 ?
		    ch->connect_port : r->o->port, r->o->timeout, why,
		    sizeof(why)) < 0)
			return action_fail(r, a, "%s", why);
		if (r->o->verbose)
			fprintf(stderr, "    bound as %s\n", c->full_jid);
		return 0;
	case VERB_DISCONNECTS:
		client_disconnect(c);
		return 0;
	case VERB_SENDS:
		return do_sends(r, a, c);
	case VERB_RECEIVES:
		return do_receives(r, a, c);
	case VERB_RECEIVES_NOTHING:
		return do_receives_nothing(r, a, c);
	}
	return action_fail(r, a, "unknown verb");
}

/* Run script s with options o.  Returns 0 when every action succeeded,
 * 1 when one failed (res says where and why; free with
 * run_result_free()). */
int
run_script(const struct script *s, const struct run_options *o,
    struct run_result *res)
{
	struct run	 r;
	size_t		 i, ninit = 0;
	int		 rc = 1;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.s = s;
	r.o = o;
	r.res = res;
	captures_init(&r.caps);
	buf_init(&r.details);

	/* 1. A client per character, none connected (format 12.1). */
	if (s->nchars > 0 &&
	    (r.clients = calloc(s->nchars, sizeof(*r.clients))) == NULL) {
		res->why = strdup("out of memory");
		goto cleanup;
	}
	for (ninit = 0; ninit < s->nchars; ninit++)
		if (client_init(&r.clients[ninit], o->ctx, s->chars[ninit].name,
		    s->chars[ninit].jid, s->chars[ninit].password,
		    s->chars[ninit].resource, o->verbose) < 0) {
			res->why = strdup("out of memory");
			goto cleanup;
		}

	/* 2. The actions, until the first failure (format 12.2). */
	for (i = 0; i < s->nactions; i++)
		if (run_action(&r, &s->actions[i]) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	/* 3. Disconnect whoever is still connected. */
	for (i = 0; i < ninit; i++)
		client_release(&r.clients[i]);
	free(r.clients);
	captures_free(&r.caps);
	if (rc != 0 && r.details.len > 0)
		res->details = buf_finish(&r.details);
	buf_free(&r.details);
	return rc;
}

/* Free what run_script() put in res. */
void
run_result_free(struct run_result *res)
{
	free(res->why);
	free(res->details);
	memset(res, 0, sizeof(*res));
}
