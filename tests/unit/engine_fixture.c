/*
 * engine_fixture.c - the engine test fixture of engine_fixture.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "engine_fixture.h"
#include "store.h"

time_t	fx_now = FX_EPOCH;

static time_t
fx_clock(void)
{
	return fx_now;
}

/* Log sink: count warnings, keep the last info-or-above lines (fx_logged),
 * print everything when MUCD_TEST_LOG is set. */
static void
fx_log(void *ud, enum muc_log_level level, const char *area, const char *fmt,
    va_list ap)
{
	struct fx	*f = ud;
	char		 line[512];
	size_t		 n;

	if (level >= MUC_LOG_WARN)
		f->nwarn++;
	n = (size_t)snprintf(line, sizeof(line), "[%s] ", area);
	if (n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (level >= MUC_LOG_INFO) {
		snprintf(f->logged[f->nlogged % FX_LOGGED],
		    sizeof(f->logged[0]), "%s", line);
		f->nlogged++;
	}
	if (getenv("MUCD_TEST_LOG") != NULL)
		fprintf(stderr, "%s\n", line);
}

int
fx_logged(const struct fx *f, const char *text)
{
	size_t	i, n = f->nlogged < FX_LOGGED ? f->nlogged : FX_LOGGED;

	for (i = 0; i < n; i++)
		if (strstr(f->logged[i], text) != NULL)
			return 1;
	return 0;
}

static void
fx_copies_clear(struct fx *f)
{
	size_t	i;

	for (i = 0; i < f->ncopies; i++) {
		free(f->copy[i].to);
		free(f->copy[i].text);
		if (f->copy[i].st != NULL)
			xmpp_stanza_release(f->copy[i].st);
	}
	f->ncopies = 0;
}

static void
fx_free(void *arg)
{
	struct fx	*f = arg;
	size_t		 i;

	fx_copies_clear(f);
	free(f->copy);
	for (i = 0; i < f->npool; i++)
		free(f->pool[i]);
	free(f->pool);
	free(f->last_in);
	muc_out_free(f->out);
	muc_service_free(f->svc);
	store_close(f->st);
	xmpp_ctx_free(f->ctx);
	free(f);
}

/* On failure: show what went in last and every copy that came out. */
static void
fx_dump(void *arg)
{
	struct fx	*f = arg;
	size_t		 i;

	if (f->last_in != NULL)
		ut_note("last stanza in: %s", f->last_in);
	ut_note("%zu copies out (muc_handle returned %d):", f->ncopies, f->rc);
	for (i = 0; i < f->ncopies; i++)
		ut_note("  [%zu] %s", i, f->copy[i].text);
}

struct fx *
fx_new_with(const char *const *admins, size_t nadmins, const char *dbpath)
{
	struct muc_service_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.admins = admins;
	cfg.nadmins = nadmins;
	return fx_new_cfg(&cfg, dbpath);
}

struct fx *
fx_new_cfg(const struct muc_service_config *settings, const char *dbpath)
{
	struct muc_service_config	 cfg = *settings;
	struct fx			*f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		fprintf(stderr, "fx_new: out of memory\n");
		abort();
	}
	f->log.fn = fx_log;
	f->log.ud = f;
	f->ctx = xmpp_ctx_new(NULL, NULL);
	cfg.domain = FX_DOMAIN;
	if (f->ctx == NULL ||
	    store_open(dbpath != NULL ? dbpath : ":memory:", &f->log, &f->st) !=
	    MUC_OK ||
	    muc_service_new(f->ctx, &cfg, f->st, &f->log, &f->svc) != MUC_OK ||
	    (f->out = muc_out_new(f->ctx)) == NULL) {
		fprintf(stderr, "fx_new: cannot set up the engine\n");
		abort();
	}
	fx_now = FX_EPOCH;
	muc_service_set_clock(f->svc, fx_clock);
	ut_defer(fx_free, f);
	ut_on_fail(fx_dump, f);
	return f;
}

struct fx *
fx_new(void)
{
	return fx_new_with(NULL, 0, NULL);
}

/* Keep s until the fixture goes; returns s. */
static const char *
fx_keep(struct fx *f, char *s)
{
	char	**np;
	size_t	  cap;

	if (s == NULL)
		return NULL;
	if (f->npool == f->cappool) {
		cap = f->cappool ? f->cappool * 2 : 16;
		if ((np = realloc(f->pool, cap * sizeof(*np))) == NULL)
			abort();
		f->pool = np;
		f->cappool = cap;
	}
	f->pool[f->npool++] = s;
	return s;
}

/* muc_out_render() callback: one copy as the daemon would send it. */
static void
fx_collect(void *ud, const char *text, size_t len)
{
	struct fx	*f = ud;
	struct fx_copy	*c;
	const char	*to;
	size_t		 cap;

	if (f->ncopies == f->capcopies) {
		cap = f->capcopies ? f->capcopies * 2 : 32;
		if ((c = realloc(f->copy, cap * sizeof(*c))) == NULL)
			abort();
		f->copy = c;
		f->capcopies = cap;
	}
	c = &f->copy[f->ncopies++];
	memset(c, 0, sizeof(*c));
	if ((c->text = malloc(len + 1)) == NULL)
		abort();
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->st = xmpp_stanza_new_from_string(f->ctx, c->text);
	if (c->st == NULL)
		ut_fail(__FILE__, __LINE__, "the engine sent text that does "
		    "not parse: %s", c->text);
	else if ((to = xmpp_stanza_get_to(c->st)) != NULL &&
	    (c->to = strdup(to)) == NULL)
		abort();
}

static int	fx_drain(struct fx *f, const char *what);

int
fx_send(struct fx *f, const char *fmt, ...)
{
	xmpp_stanza_t	*in;
	va_list		 ap;
	int		 len;

	fx_copies_clear(f);
	free(f->last_in);
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (f->last_in = malloc((size_t)len + 1)) == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(f->last_in, (size_t)len + 1, fmt, ap);
	va_end(ap);
	if ((in = xmpp_stanza_new_from_string(f->ctx, f->last_in)) == NULL) {
		ut_fail(__FILE__, __LINE__, "test input does not parse: %s",
		    f->last_in);
		return -1;
	}
	f->rc = muc_handle(f->svc, in, f->out);
	xmpp_stanza_release(in);
	return fx_drain(f, "muc_handle");
}

/* Render and keep what the outbox holds, then empty it.  Returns the
 * number of copies, or -1 after failing the case. */
static int
fx_drain(struct fx *f, const char *what)
{
	size_t	i;

	f->nentries = muc_out_count(f->out);
	for (i = 0; i < f->nentries; i++)
		if (muc_out_render(f->out, i, fx_collect, f) != MUC_OK)
			ut_fail(__FILE__, __LINE__, "muc_out_render failed");
	muc_out_clear(f->out);
	if (f->rc != MUC_OK) {
		ut_fail(__FILE__, __LINE__, "%s returned %d%s%s", what, f->rc,
		    f->last_in != NULL ? " for " : "",
		    f->last_in != NULL ? f->last_in : "");
		return -1;
	}
	return ut_failed() ? -1 : (int)f->ncopies;
}

int
fx_tick(struct fx *f)
{
	fx_copies_clear(f);
	free(f->last_in);
	f->last_in = NULL;
	f->rc = muc_tick(f->svc, f->out);
	return fx_drain(f, "muc_tick");
}

int
fx_shutdown(struct fx *f)
{
	fx_copies_clear(f);
	free(f->last_in);
	f->last_in = NULL;
	f->rc = muc_shutdown(f->svc, f->out);
	return fx_drain(f, "muc_shutdown");
}

static int
fx_match(const struct fx_copy *c, const char *to, const char *kind)
{
	const char	*name;

	if (c->st == NULL)
		return 0;
	if (to != NULL && (c->to == NULL || strcmp(c->to, to) != 0))
		return 0;
	name = xmpp_stanza_get_name(c->st);
	return kind == NULL || (name != NULL && strcmp(name, kind) == 0);
}

size_t
fx_count(const struct fx *f, const char *to, const char *kind)
{
	size_t	i, n = 0;

	for (i = 0; i < f->ncopies; i++)
		n += fx_match(&f->copy[i], to, kind);
	return n;
}

int
fx_pos(const struct fx *f, const char *to, const char *kind, size_t n)
{
	size_t	i;

	for (i = 0; i < f->ncopies; i++)
		if (fx_match(&f->copy[i], to, kind) && n-- == 0)
			return (int)i;
	return -1;
}

xmpp_stanza_t *
fx_get(const struct fx *f, const char *to, const char *kind, size_t n)
{
	int	i = fx_pos(f, to, kind, n);

	return i < 0 ? NULL : f->copy[i].st;
}

const char *
fx_attr(xmpp_stanza_t *s, const char *name)
{
	return s != NULL ? xmpp_stanza_get_attribute(s, name) : NULL;
}

xmpp_stanza_t *
fx_child(xmpp_stanza_t *s, const char *name, const char *ns)
{
	/* lib's st_child(), tolerant of the NULL a failed lookup gave. */
	return s != NULL ? st_child(s, name, ns) : NULL;
}

size_t
fx_nchildren(xmpp_stanza_t *s, const char *name)
{
	xmpp_stanza_t	*c;
	size_t		 n = 0;

	if (s == NULL)
		return 0;
	for (c = xmpp_stanza_get_children(s); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) && (name == NULL ||
		    strcmp(xmpp_stanza_get_name(c), name) == 0))
			n++;
	return n;
}

const char *
fx_text(struct fx *f, xmpp_stanza_t *s, const char *name)
{
	xmpp_stanza_t	*c = fx_child(s, name, NULL);
	char		*t, *copy;

	if (c == NULL)
		return NULL;
	t = xmpp_stanza_get_text(c);
	copy = strdup(t != NULL ? t : "");
	if (t != NULL)
		xmpp_free(f->ctx, t);
	if (copy == NULL)
		abort();
	return fx_keep(f, copy);
}

xmpp_stanza_t *
fx_muc_user(xmpp_stanza_t *s)
{
	return fx_child(s, "x", NS_MUC_USER_X);
}

xmpp_stanza_t *
fx_item(xmpp_stanza_t *s)
{
	return fx_child(fx_muc_user(s), "item", NULL);
}

const char *
fx_item_attr(xmpp_stanza_t *s, const char *name)
{
	return fx_attr(fx_item(s), name);
}

int
fx_has_status(xmpp_stanza_t *s, int code)
{
	xmpp_stanza_t	*x = fx_muc_user(s), *c;
	const char	*v;

	if (x == NULL)
		return 0;
	for (c = xmpp_stanza_get_children(x); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "status") == 0 &&
		    (v = xmpp_stanza_get_attribute(c, "code")) != NULL &&
		    atoi(v) == code)
			return 1;
	return 0;
}

size_t
fx_nstatus(xmpp_stanza_t *s)
{
	return fx_nchildren(fx_muc_user(s), "status");
}

const char *
fx_error(xmpp_stanza_t *s)
{
	xmpp_stanza_t	*e = fx_child(s, "error", NULL), *c;
	const char	*ns;

	if (e == NULL)
		return NULL;
	for (c = xmpp_stanza_get_children(e); c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c) ||
		    strcmp(xmpp_stanza_get_name(c), "text") == 0)
			continue;
		if ((ns = xmpp_stanza_get_ns(c)) != NULL &&
		    strcmp(ns, NS_STANZA_ERR) == 0)
			return xmpp_stanza_get_name(c);
	}
	return NULL;
}

const char *
fx_error_type(xmpp_stanza_t *s)
{
	return fx_attr(fx_child(s, "error", NULL), "type");
}

const char *
fx_error_by(xmpp_stanza_t *s)
{
	return fx_attr(fx_child(s, "error", NULL), "by");
}

xmpp_stanza_t *
fx_field(xmpp_stanza_t *x, const char *var)
{
	xmpp_stanza_t	*c;
	const char	*v;

	if (x == NULL)
		return NULL;
	for (c = xmpp_stanza_get_children(x); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "field") == 0 &&
		    (v = xmpp_stanza_get_attribute(c, "var")) != NULL &&
		    strcmp(v, var) == 0)
			return c;
	return NULL;
}

const char *
fx_field_value(struct fx *f, xmpp_stanza_t *x, const char *var)
{
	return fx_text(f, fx_field(x, var), "value");
}

#define NS_COMMANDS	"http://jabber.org/protocol/commands"

int
fx_command(struct fx *f, const char *from, const char *to, const char *node,
    const char *attrs, const char *fields)
{
	return fx_send(f, "<iq from='%s' to='%s' type='set' id='c'>"
	    "<command xmlns='" NS_COMMANDS "' node='%s' %s>%s%s%s</command>"
	    "</iq>", from, to, node, attrs != NULL ? attrs : "",
	    fields != NULL ? "<x xmlns='" NS_XDATA "' type='submit'>" : "",
	    fields != NULL ? fields : "", fields != NULL ? "</x>" : "");
}

xmpp_stanza_t *
fx_command_result(struct fx *f, const char *from)
{
	xmpp_stanza_t	*iq = fx_get(f, from, "iq", 0);

	if (fx_attr(iq, "type") == NULL ||
	    strcmp(fx_attr(iq, "type"), "result") != 0)
		return NULL;
	return fx_child(iq, "command", NS_COMMANDS);
}

int
fx_join(struct fx *f, const char *from, const char *room, const char *nick)
{
	if (fx_send(f, "<presence from='%s' to='%s@" FX_DOMAIN "/%s'>"
	    "<x xmlns='" NS_MUC_X "'/></presence>", from, room, nick) < 0)
		return -1;
	return 0;
}

int
fx_leave(struct fx *f, const char *from, const char *room)
{
	if (fx_send(f, "<presence from='%s' to='%s@" FX_DOMAIN "' "
	    "type='unavailable'/>", from, room) < 0)
		return -1;
	return 0;
}

/* Is the only copy to `to` an iq result? Fails the case if not. */
static int
fx_expect_result(struct fx *f, const char *to, const char *what)
{
	xmpp_stanza_t	*iq = fx_get(f, to, "iq", 0);

	if (iq == NULL || fx_attr(iq, "type") == NULL ||
	    strcmp(fx_attr(iq, "type"), "result") != 0) {
		ut_fail(__FILE__, __LINE__, "%s: no iq result to %s (error %s)",
		    what, to, iq != NULL && fx_error(iq) ? fx_error(iq) : "-");
		return -1;
	}
	return 0;
}

int
fx_create(struct fx *f, const char *owner, const char *room, const char *nick)
{
	if (fx_join(f, owner, room, nick) != 0)
		return -1;
	if (!fx_has_status(fx_get(f, owner, "presence", 0), 201)) {
		ut_fail(__FILE__, __LINE__, "%s@" FX_DOMAIN " was not created",
		    room);
		return -1;
	}
	return fx_config(f, owner, room, (const char *)NULL);
}

int
fx_config(struct fx *f, const char *owner, const char *room, ...)
{
	char		*fields = NULL, *grown;
	const char	*var, *val;
	size_t		 len = 0, add;
	va_list		 ap;
	int		 rc;

	if ((fields = strdup("")) == NULL)
		abort();
	va_start(ap, room);
	while ((var = va_arg(ap, const char *)) != NULL) {
		val = va_arg(ap, const char *);
		add = strlen(var) + strlen(val) + 48;
		if ((grown = realloc(fields, len + add)) == NULL)
			abort();
		fields = grown;
		len += (size_t)snprintf(fields + len, add,
		    "<field var='%s'><value>%s</value></field>", var, val);
	}
	va_end(ap);
	rc = fx_send(f, "<iq from='%s' to='%s@" FX_DOMAIN "' type='set' "
	    "id='config'><query xmlns='" NS_MUC_OWNER_Q "'>"
	    "<x xmlns='" NS_XDATA "' type='submit'><field var='FORM_TYPE'>"
	    "<value>http://jabber.org/protocol/muc#roomconfig</value></field>"
	    "%s</x></query></iq>", owner, room, fields);
	free(fields);
	if (rc < 0)
		return -1;
	return fx_expect_result(f, owner, "configuration");
}

int
fx_affiliate(struct fx *f, const char *from, const char *room,
    const char *bare, const char *aff, const char *nick)
{
	if (fx_send(f, "<iq from='%s' to='%s@" FX_DOMAIN "' type='set' "
	    "id='aff'><query xmlns='" NS_MUC_ADMIN_Q "'><item jid='%s' "
	    "affiliation='%s'%s%s%s/></query></iq>", from, room, bare, aff,
	    nick ? " nick='" : "", nick ? nick : "", nick ? "'" : "") < 0)
		return -1;
	return fx_expect_result(f, from, "affiliation change");
}

int
fx_archive_room(struct fx *f, const char *owner, const char *room,
    const char *nick)
{
	if (fx_create(f, owner, room, nick) != 0)
		return -1;
	return fx_config(f, owner, room, "muc#roomconfig_persistentroom", "1",
	    "muc#roomconfig_enablearchiving", "1", (const char *)NULL);
}

/* Is c the stanza-id of the room s comes from? */
static int
fx_is_room_sid(xmpp_stanza_t *s, xmpp_stanza_t *c)
{
	const char	*from = fx_attr(s, "from"), *by, *ns;
	size_t		 n;

	if (!xmpp_stanza_is_tag(c) || strcmp(xmpp_stanza_get_name(c),
	    "stanza-id") != 0 || (ns = xmpp_stanza_get_ns(c)) == NULL ||
	    strcmp(ns, "urn:xmpp:sid:0") != 0 || from == NULL ||
	    (by = fx_attr(c, "by")) == NULL)
		return 0;
	n = strcspn(from, "/");
	return strlen(by) == n && strncmp(by, from, n) == 0;
}

const char *
fx_sid(struct fx *f, xmpp_stanza_t *s)
{
	xmpp_stanza_t	*c;
	char		*id;

	for (c = s != NULL ? xmpp_stanza_get_children(s) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (fx_is_room_sid(s, c)) {
			if ((id = strdup(fx_attr(c, "id"))) == NULL)
				abort();
			return fx_keep(f, id);
		}
	return NULL;
}

size_t
fx_nsids(xmpp_stanza_t *s)
{
	xmpp_stanza_t	*c;
	size_t		 n = 0;

	for (c = s != NULL ? xmpp_stanza_get_children(s) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		n += fx_is_room_sid(s, c);
	return n;
}

struct fx_tmp {
	char	path[64];
};

static void
fx_tmp_remove(void *arg)
{
	struct fx_tmp	*t = arg;
	char		 side[80];

	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
	free(t);
}

const char *
fx_tmp_db(void)
{
	struct fx_tmp	*t = calloc(1, sizeof(*t));
	int		 fd;

	if (t == NULL)
		abort();
	snprintf(t->path, sizeof(t->path), "/tmp/mucd-test-fx-XXXXXX");
	if ((fd = mkstemp(t->path)) < 0)
		abort();
	close(fd);
	unlink(t->path);	/* store_open creates it */
	/* Registered before the fixtures that use it: removed after them. */
	ut_defer(fx_tmp_remove, t);
	return t->path;
}
