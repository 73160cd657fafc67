/*
 * adhoc.c - XEP-0050 ad-hoc commands: listing, describing and running the
 * commands of the service (svcadmin.c) and of a room (hats_cmd.c).
 *
 * service.c routes here every iq whose payload is a <command/>, and disco
 * queries on the commands node or on a command's node (adhoc_wants()).
 * The list shows only the commands the asker may run; a command it may
 * not run is `forbidden`, an unknown node `item-not-found`.
 *
 * Sessions are stateless.  Every command has one stage, so a submitted
 * form carries everything the command needs and the service keeps
 * nothing between the two requests: nothing to expire, to bound per user
 * or to lose in a restart.  The sessionid ("<time>-<tag>", both hex)
 * says when the form was given out; one coming back must have that shape
 * (else bad-sessionid) and be at most ADHOC_SESSION_TTL old (else
 * session-expired).  A client may also submit the form at once, without
 * a sessionid.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adhoc.h"
#include "form.h"
#include "handlers.h"
#include "muc.h"
#include "ns.h"
#include "stats.h"

#define ADHOC_SESSION_TTL	3600	/* seconds a form may be filled in */

static const struct adhoc_table *
table_of(const struct room *room)
{
	return room == NULL ? &svcadmin_table : &hats_table;
}

static const struct adhoc_cmd *
cmd_by_node(const struct adhoc_table *t, const char *node)
{
	size_t	i;

	for (i = 0; node != NULL && i < t->n; i++)
		if (strcmp(t->cmd[i].node, node) == 0)
			return &t->cmd[i];
	return NULL;
}

int
adhoc_wants(xmpp_stanza_t *q, int room)
{
	const char	*ns = xmpp_stanza_get_ns(q), *node;
	const struct adhoc_table *t = room ? &hats_table : &svcadmin_table;

	if (ns == NULL)
		return 0;
	if (strcmp(ns, NS_COMMANDS) == 0)
		return 1;
	if (strcmp(ns, NS_DISCO_INFO) != 0 && strcmp(ns, NS_DISCO_ITEMS) != 0)
		return 0;
	if ((node = xmpp_stanza_get_attribute(q, "node")) == NULL)
		return 0;
	return strcmp(node, NS_COMMANDS) == 0 || cmd_by_node(t, node) != NULL;
}

/* An error reply with XEP-0050's specific condition (may be NULL). */
static int
adhoc_error(struct req *r, const char *type, const char *cond,
    const char *specific, const char *text)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*e, *err;

	if (specific == NULL)
		return req_error(r, type, cond, text);
	e = muc_error_reply(r->svc->ctx, r->in, r->to, type, cond,
	    r->room_jid != NULL ? r->room_jid : r->svc->domain, text);
	if (e != NULL && (err = st_child(e, "error", NULL)) != NULL)
		(void)b_child(&b, err, specific, NS_COMMANDS);
	if (b.failed) {
		xmpp_stanza_release(e);
		e = NULL;
	}
	stats_error(r->svc, cond);
	return muc_out_push(r->out, e);
}

/* Finish payload and answer with it. */
static int
reply(struct req *r, struct build *b, xmpp_stanza_t *payload)
{
	if ((payload = b_done(b, payload)) == NULL)
		return MUC_ENOMEM;
	return req_result(r, payload);
}

/* disco#items and disco#info on the commands node and the commands'. */
static int
adhoc_disco(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	struct build		 b = BUILD_INIT(r->svc->ctx);
	const struct adhoc_table *t = table_of(room);
	const struct adhoc_cmd	*c;
	const char		*node = xmpp_stanza_get_attribute(q, "node");
	const char		*to = room != NULL ? room->jid : r->svc->domain;
	xmpp_stanza_t		*res, *e;
	size_t			 i;
	int			 items;

	if (strcmp(r->type, "get") != 0)
		return req_error(r, "cancel", "bad-request", NULL);
	items = strcmp(xmpp_stanza_get_ns(q), NS_DISCO_ITEMS) == 0;
	c = cmd_by_node(t, node);
	if (items && c != NULL)		/* a command has no items */
		return req_error(r, "cancel", "item-not-found", NULL);
	if (c != NULL && !c->may_run(r, room))
		return req_error(r, "cancel", "forbidden",
		    "You may not run this command");
	res = b_query(&b, xmpp_stanza_get_ns(q), node);
	if (items) {
		for (i = 0; i < t->n; i++) {
			if (!t->cmd[i].may_run(r, room))
				continue;
			e = b_child(&b, res, "item", NULL);
			b_attr(&b, e, "jid", to);
			b_attr(&b, e, "node", t->cmd[i].node);
			b_attr(&b, e, "name", t->cmd[i].name);
		}
	} else if (c != NULL) {
		e = b_child(&b, res, "identity", NULL);
		b_attr(&b, e, "category", "automation");
		b_attr(&b, e, "type", "command-node");
		b_attr(&b, e, "name", c->name);
		b_feature(&b, res, NS_COMMANDS);
		b_feature(&b, res, NS_DATA);
	} else {
		e = b_child(&b, res, "identity", NULL);
		b_attr(&b, e, "category", "automation");
		b_attr(&b, e, "type", "command-list");
		b_feature(&b, res, NS_COMMANDS);
	}
	return reply(r, &b, res);
}

/* The sessionid of a new session: when, and a tag from the request. */
static void
session_new(const struct req *r, char *buf, size_t len)
{
	const char	*s, *parts[2] = { r->from, xmpp_stanza_get_id(r->in) };
	unsigned	 h = 2166136261u;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < 2; i++)
		for (s = parts[i]; s != NULL && *s != '\0'; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
	snprintf(buf, len, "%llx-%08x", (unsigned long long)r->now, h);
}

/* Check a returned sessionid: NULL when good, else the specific
 * condition (bad-sessionid, session-expired). */
static const char *
session_check(const struct req *r, const char *sid)
{
	unsigned long long	 when;
	char			*end;
	size_t			 i;

	if (sid == NULL || !isxdigit((unsigned char)sid[0]))
		return "bad-sessionid";
	when = strtoull(sid, &end, 16);
	if (*end != '-' || strlen(end + 1) != 8)
		return "bad-sessionid";
	for (i = 1; i <= 8; i++)
		if (!isxdigit((unsigned char)end[i]))
			return "bad-sessionid";
	if ((long long)when > (long long)r->now + 60)
		return "bad-sessionid";
	if ((long long)r->now - (long long)when > ADHOC_SESSION_TTL)
		return "session-expired";
	return NULL;
}

/* <command xmlns node sessionid status/>, top-level. */
static xmpp_stanza_t *
command_new(struct build *b, const struct adhoc_cmd *c, const char *sid,
    const char *status)
{
	xmpp_stanza_t	*cmd = b_new(b, "command");

	if (cmd != NULL && xmpp_stanza_set_ns(cmd, NS_COMMANDS) != XMPP_EOK)
		b->failed = 1;
	b_attr(b, cmd, "node", c->node);
	b_attr(b, cmd, "sessionid", sid);
	b_attr(b, cmd, "status", status);
	return cmd;
}

/* The first stage: the form to fill in, status executing. */
static int
command_form(struct req *r, struct room *room, const struct adhoc_cmd *c,
    const char *sid)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*cmd, *act, *x;
	char		 buf[32];

	if (sid == NULL) {
		session_new(r, buf, sizeof(buf));
		sid = buf;
	}
	cmd = command_new(&b, c, sid, "executing");
	act = b_child(&b, cmd, "actions", NULL);
	b_attr(&b, act, "execute", "complete");
	(void)b_child(&b, act, "complete", NULL);
	x = b_child(&b, cmd, "x", NS_DATA);
	b_attr(&b, x, "type", "form");
	b_text_child(&b, x, "title", c->name);
	b_text_child(&b, x, "instructions", c->instructions);
	form_add(&b, x, "FORM_TYPE", "hidden", NULL, c->form_type);
	c->form(r, room, &b, x);
	return reply(r, &b, cmd);
}

/* Run the command with form x (may be NULL) and answer. */
static int
command_run(struct req *r, struct room *room, const struct adhoc_cmd *c,
    const char *sid, xmpp_stanza_t *x)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	struct adhoc_res res;
	xmpp_stanza_t	*cmd, *n;
	char		 buf[32];
	int		 rc;

	memset(&res, 0, sizeof(res));
	res.b = &b;
	if ((rc = c->run(r, room, x, &res)) != MUC_OK || res.cond != NULL) {
		if (res.form != NULL)
			xmpp_stanza_release(res.form);
		return rc != MUC_OK ? rc : adhoc_error(r, NULL, res.cond,
		    res.specific, res.text);
	}
	if (sid == NULL) {
		session_new(r, buf, sizeof(buf));
		sid = buf;
	}
	cmd = command_new(&b, c, sid, "completed");
	if (res.note[0] != '\0') {
		n = b_text_child(&b, cmd, "note", res.note);
		b_attr(&b, n, "type", "info");
	}
	if (res.form != NULL && cmd != NULL &&
	    xmpp_stanza_add_child_ex(cmd, res.form, 0) != XMPP_EOK) {
		xmpp_stanza_release(res.form);
		b.failed = 1;
	} else if (res.form != NULL && cmd == NULL)
		xmpp_stanza_release(res.form);
	return reply(r, &b, cmd);
}

/* cancel: nothing was kept, so nothing to forget (4.4). */
static int
command_cancel(struct req *r, const struct adhoc_cmd *c, const char *sid)
{
	struct build	 b = BUILD_INIT(r->svc->ctx);
	xmpp_stanza_t	*cmd = command_new(&b, c, sid, "canceled");

	return reply(r, &b, cmd);
}

/*
 * Steps: 1. the node and who may run it; 2. the action (absent is
 * execute; next and prev have no stage to go to); 3. the sessionid, when
 * one came back; 4. the form, or running with the submitted one.
 */
static int
adhoc_command(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	const struct adhoc_cmd	*c;
	const char		*action, *sid, *bad;
	xmpp_stanza_t		*x;

	action = xmpp_stanza_get_attribute(q, "action");
	sid = xmpp_stanza_get_attribute(q, "sessionid");
	if (strcmp(r->type, "set") != 0)
		return req_error(r, "modify", "bad-request",
		    "Commands are run with an iq of type set");
	if ((c = cmd_by_node(table_of(room),
	    xmpp_stanza_get_attribute(q, "node"))) == NULL)
		return req_error(r, "cancel", "item-not-found",
		    "There is no such command");
	if (!c->may_run(r, room))
		return req_error(r, "cancel", "forbidden",
		    "You may not run this command");
	if (action == NULL)
		action = "execute";
	if (strcmp(action, "next") == 0 || strcmp(action, "prev") == 0)
		return adhoc_error(r, "modify", "bad-request", "bad-action",
		    "This command has a single stage");
	if (strcmp(action, "execute") != 0 && strcmp(action, "complete") != 0 &&
	    strcmp(action, "cancel") != 0)
		return adhoc_error(r, "modify", "bad-request",
		    "malformed-action", NULL);
	if ((sid != NULL || strcmp(action, "cancel") == 0) &&
	    (bad = session_check(r, sid)) != NULL)
		return adhoc_error(r, strcmp(bad, "session-expired") == 0 ?
		    "cancel" : "modify", strcmp(bad, "session-expired") == 0 ?
		    "not-allowed" : "bad-request", bad, NULL);
	if (strcmp(action, "cancel") == 0)
		return command_cancel(r, c, sid);
	x = form_find(q);
	if (x != NULL && (xmpp_stanza_get_type(x) == NULL ||
	    strcmp(xmpp_stanza_get_type(x), "submit") != 0 ||
	    (form_field(x, "FORM_TYPE") != NULL &&
	    form_type_is(x, c->form_type) != 1)))
		return adhoc_error(r, "modify", "bad-request", "bad-payload",
		    "The form must be a submitted form of this command");
	if (x == NULL && c->form != NULL) {
		if (strcmp(action, "complete") == 0)
			return adhoc_error(r, "modify", "bad-request",
			    "bad-payload", "Completing needs the filled form");
		return command_form(r, room, c, sid);
	}
	return command_run(r, room, c, sid, x);
}

int
adhoc_handle(struct req *r, struct room *room, xmpp_stanza_t *q)
{
	if (strcmp(xmpp_stanza_get_ns(q), NS_COMMANDS) == 0)
		return adhoc_command(r, room, q);
	return adhoc_disco(r, room, q);
}

int
adhoc_field(xmpp_stanza_t *x, const char *var, char **out)
{
	xmpp_stanza_t	*f = x != NULL ? form_field(x, var) : NULL;
	char		*v, *s, *e;

	*out = NULL;
	if (f == NULL)
		return MUC_OK;
	if (form_value(f, &v) != MUC_OK)
		return MUC_ENOMEM;
	if (v == NULL)
		return MUC_OK;
	for (s = v; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	if (*s == '\0') {
		free(v);
		return MUC_OK;
	}
	memmove(v, s, (size_t)(e - s) + 1);
	*out = v;
	return MUC_OK;
}

int
adhoc_bad_payload(struct adhoc_res *res, const char *text)
{
	res->cond = "bad-request";
	res->specific = "bad-payload";
	res->text = text;
	return MUC_OK;
}

xmpp_stanza_t *
adhoc_result_form(struct adhoc_res *res, const char *form_type)
{
	xmpp_stanza_t	*x = b_new(res->b, "x");

	if (x != NULL && xmpp_stanza_set_ns(x, NS_DATA) != XMPP_EOK)
		res->b->failed = 1;
	b_attr(res->b, x, "type", "result");
	form_add(res->b, x, "FORM_TYPE", "hidden", NULL, form_type);
	if (res->b->failed && x != NULL) {
		xmpp_stanza_release(x);
		x = NULL;
	}
	res->form = x;
	return x;
}
