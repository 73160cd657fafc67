/*
 * robot.c - XMPP clients that abuse mucd and watch it recover, for the
 * robustness suite (robust.sh) and its measurements.
 *
 * Every client is a libstrophe connection in one context, pumped
 * together; each keeps what it receives and answers the XEP-0199 pings
 * rooms send it, as a live client does.  The scenarios:
 *
 *   flood        one occupant floods a room: the limit answers with
 *                <policy-violation/> (wait), the others get exactly what
 *                was accepted, and an iq to another room still returns.
 *   crash        occupants are in a persistent and a temporary room and
 *                rooms are being created when mucd is killed with -9; one
 *                client leaves while it is down.  After the restart every
 *                acknowledged room exists, the occupants are still in
 *                their rooms (they speak without rejoining), and the one
 *                that left is removed as a ghost (333).
 *   host-restart the host restarts under two occupants; one comes back
 *                and rejoins, the other does not: the room ends up with
 *                no ghost.
 *   backpressure a flood with the limits and pacing off outruns the
 *                host: every copy arrives, mucd's memory stays bounded by
 *                its queue cap and comes back afterwards (not measured
 *                when ROBOT_NO_RSS is set: sanitized builds).
 *   measure-flood, measure-verify   figures for the issue (no verdict).
 *
 * usage: robot SCENARIO --port C2S_PORT [--db FILE] [--run NAME=CMD]...
 *        [--mucd-pid PID] [--count N] [--rooms N]
 * Commands named by --run (kill, start, restart) are run with /bin/sh
 * while the clients keep being pumped.  Prints PASS/FAIL lines and
 * figures; exits 0 when every check passed.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strophe.h>

#define DOMAIN		"localhost"
#define MUC		"conference.localhost"
#define NS_MUC		"http://jabber.org/protocol/muc"
#define NS_MUC_USER	"http://jabber.org/protocol/muc#user"
#define NS_OWNER	"http://jabber.org/protocol/muc#owner"
#define NS_INFO		"http://jabber.org/protocol/disco#info"
#define NS_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_PING		"urn:xmpp:ping"
#define NS_STANZAS	"urn:ietf:params:xml:ns:xmpp-stanzas"
#define MAXBOTS		64
#define MAXRUN		8

struct bot {
	char		 name[32];
	char		 full[96];	/* name@localhost/robot */
	xmpp_conn_t	*conn;
	int		 state;		/* 0 off, 1 connecting, 2 up, 3 closed */
	int		 keep;		/* keep what arrives (else count) */
	xmpp_stanza_t	**got;
	size_t		 ngot, capgot;
	unsigned long	 ngroupchat, nerror, npresence, npings;
	double		 first_ping, last_ping;
};

static xmpp_ctx_t	*ctx;
static struct bot	 bots[MAXBOTS];
static int		 nbots;
static int		 port;
static const char	*dbpath;
static pid_t		 mucd_pid;
static const char	*run_name[MAXRUN], *run_cmd[MAXRUN];
static int		 nrun, nfail, npass;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(int ok, const char *fmt, ...)
{
	va_list	ap;

	printf("%s ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

static void
note(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void
pump(double seconds)
{
	double	end = now() + seconds;

	do
		xmpp_run_once(ctx, 5);
	while (now() < end);
}

/* Pump until pred(arg) or timeout; returns pred's last value. */
static int
wait_until(int (*pred)(void *), void *arg, double timeout)
{
	double	end = now() + timeout;

	while (!pred(arg) && now() < end)
		xmpp_run_once(ctx, 5);
	return pred(arg);
}

/*
 * Receiving.
 */
static int
is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Answer a ping from a room as a live client does. */
static void
answer_ping(struct bot *b, xmpp_stanza_t *iq)
{
	xmpp_stanza_t	*res = xmpp_iq_new(ctx, "result",
			    xmpp_stanza_get_id(iq));

	xmpp_stanza_set_to(res, xmpp_stanza_get_from(iq));
	xmpp_send(b->conn, res);
	xmpp_stanza_release(res);
	if (b->npings++ == 0)
		b->first_ping = now();
	b->last_ping = now();
}

static int
on_stanza(xmpp_conn_t *c, xmpp_stanza_t *st, void *ud)
{
	struct bot	*b = ud;
	const char	*name = xmpp_stanza_get_name(st);
	const char	*type = xmpp_stanza_get_type(st);

	(void)c;
	if (is(name, "iq") && is(type, "get") &&
	    xmpp_stanza_get_child_by_name_and_ns(st, "ping", NS_PING) != NULL) {
		answer_ping(b, st);
		return 1;
	}
	if (is(name, "message") && is(type, "groupchat"))
		b->ngroupchat++;
	if (is(type, "error"))
		b->nerror++;
	if (is(name, "presence"))
		b->npresence++;
	if (b->keep || !is(name, "message")) {
		if (b->ngot == b->capgot) {
			b->capgot = b->capgot ? b->capgot * 2 : 64;
			b->got = realloc(b->got, b->capgot * sizeof(*b->got));
			if (b->got == NULL)
				abort();
		}
		b->got[b->ngot++] = xmpp_stanza_clone(st);
	}
	return 1;
}

static void
on_conn(xmpp_conn_t *c, xmpp_conn_event_t ev, int err,
    xmpp_stream_error_t *se, void *ud)
{
	struct bot	*b = ud;

	(void)c;
	(void)err;
	(void)se;
	b->state = ev == XMPP_CONN_CONNECT ? 2 : ev == XMPP_CONN_RAW_CONNECT ?
	    b->state : 3;
}

static void
forget(struct bot *b)
{
	size_t	i;

	for (i = 0; i < b->ngot; i++)
		xmpp_stanza_release(b->got[i]);
	b->ngot = 0;
}

/*
 * Clients.
 */
static int
bot_is_up(void *arg)
{
	return ((struct bot *)arg)->state >= 2;
}

static struct bot *
bot_connect(const char *name, int keep)
{
	struct bot	*b;
	char		 jid[96];

	if (nbots == MAXBOTS)
		return NULL;
	b = &bots[nbots++];
	if (b->conn == NULL) {
		snprintf(b->name, sizeof(b->name), "%s", name);
		snprintf(b->full, sizeof(b->full), "%s@" DOMAIN "/robot", name);
	}
	b->keep = keep;
	b->state = 1;
	if (b->conn != NULL)
		xmpp_conn_release(b->conn);
	b->conn = xmpp_conn_new(ctx);
	snprintf(jid, sizeof(jid), "%s", b->full);
	xmpp_conn_set_jid(b->conn, jid);
	xmpp_conn_set_pass(b->conn, "password");
	xmpp_conn_set_flags(b->conn, XMPP_CONN_FLAG_DISABLE_TLS |
	    XMPP_CONN_FLAG_DISABLE_SM);
	xmpp_handler_add(b->conn, on_stanza, NULL, NULL, NULL, b);
	if (xmpp_connect_client(b->conn, "127.0.0.1", (unsigned short)port,
	    on_conn, b) != XMPP_EOK || !wait_until(bot_is_up, b, 20) ||
	    b->state != 2) {
		check(0, "%s connects", name);
		return NULL;
	}
	return b;
}

/* Connect b again after its stream ended (same resource). */
static int
bot_reconnect(struct bot *b)
{
	b->state = 1;
	forget(b);
	if (xmpp_connect_client(b->conn, "127.0.0.1", (unsigned short)port,
	    on_conn, b) != XMPP_EOK || !wait_until(bot_is_up, b, 30))
		return -1;
	return b->state == 2 ? 0 : -1;
}

static int
bot_is_closed(void *arg)
{
	return ((struct bot *)arg)->state == 3;
}

static void
bot_disconnect(struct bot *b)
{
	xmpp_disconnect(b->conn);
	(void)wait_until(bot_is_closed, b, 10);
}

static void
bot_send(struct bot *b, const char *fmt, ...)
{
	char		 xml[4096];
	xmpp_stanza_t	*st;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(xml, sizeof(xml), fmt, ap);
	va_end(ap);
	if ((st = xmpp_stanza_new_from_string(ctx, xml)) == NULL) {
		fprintf(stderr, "robot: does not parse: %s\n", xml);
		abort();
	}
	xmpp_send(b->conn, st);
	xmpp_stanza_release(st);
}

/* What a bot waits for: a stanza of this name whose from/id/type match
 * (NULL: any), with a muc#user status code (0: any); with or_error, an
 * error of that name from `from` ends the wait too. */
struct want {
	struct bot	*b;
	const char	*name, *from, *id, *type;
	int		 code, or_error;
	xmpp_stanza_t	*found;
};

static int
has_status(xmpp_stanza_t *st, int code)
{
	xmpp_stanza_t	*x, *c;
	const char	*v;

	x = xmpp_stanza_get_child_by_name_and_ns(st, "x", NS_MUC_USER);
	for (c = x != NULL ? xmpp_stanza_get_children(x) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (is(xmpp_stanza_get_name(c), "status") &&
		    (v = xmpp_stanza_get_attribute(c, "code")) != NULL &&
		    atoi(v) == code)
			return 1;
	return 0;
}

static int
want_found(void *arg)
{
	struct want	*w = arg;
	xmpp_stanza_t	*st;
	size_t		 i;

	for (i = 0; i < w->b->ngot; i++) {
		st = w->b->got[i];
		if (w->or_error && is(xmpp_stanza_get_name(st), w->name) &&
		    is(xmpp_stanza_get_type(st), "error") &&
		    (w->from == NULL || is(xmpp_stanza_get_from(st), w->from))) {
			w->found = st;
			return 1;
		}
		if (is(xmpp_stanza_get_name(st), w->name) &&
		    (w->from == NULL || is(xmpp_stanza_get_from(st), w->from)) &&
		    (w->id == NULL || is(xmpp_stanza_get_id(st), w->id)) &&
		    (w->type == NULL || is(xmpp_stanza_get_type(st), w->type) ||
		    (is(w->type, "available") &&
		    xmpp_stanza_get_type(st) == NULL)) &&
		    (w->code == 0 || has_status(st, w->code))) {
			w->found = st;
			return 1;
		}
	}
	return 0;
}

static xmpp_stanza_t *
await(struct bot *b, const char *name, const char *from, const char *id,
    const char *type, int code, double timeout)
{
	struct want	w = { b, name, from, id, type, code, 0, NULL };

	return wait_until(want_found, &w, timeout) ? w.found : NULL;
}

/* The same, ending at an error from `from` (then NULL). */
static xmpp_stanza_t *
await_or_error(struct bot *b, const char *name, const char *from,
    const char *type, int code, double timeout)
{
	struct want	w = { b, name, from, NULL, type, code, 1, NULL };

	if (!wait_until(want_found, &w, timeout) ||
	    is(xmpp_stanza_get_type(w.found), "error"))
		return NULL;
	return w.found;
}

/* The iq answer of id: 1 result, 0 error, -1 none. */
static int
iq_answer(struct bot *b, const char *id, double timeout)
{
	xmpp_stanza_t	*iq = await(b, "iq", NULL, id, NULL, 0, timeout);

	return iq == NULL ? -1 : is(xmpp_stanza_get_type(iq), "result");
}

/* b enters room as nick; with create, as its owner, and configures it
 * (persistent or instant).  Returns 0 when the room answered. */
static int
enter(struct bot *b, const char *room, const char *nick, int create,
    int persistent)
{
	char	occ[160], id[64];

	snprintf(occ, sizeof(occ), "%s@" MUC "/%s", room, nick);
	bot_send(b, "<presence to='%s'><x xmlns='" NS_MUC "'/></presence>", occ);
	if (await_or_error(b, "presence", occ, "available", 110, 20) == NULL)
		return -1;
	if (!create)
		return 0;
	snprintf(id, sizeof(id), "cfg-%s", room);
	bot_send(b, "<iq type='set' to='%s@" MUC "' id='%s'><query xmlns='"
	    NS_OWNER "'><x xmlns='jabber:x:data' type='submit'>%s</x></query>"
	    "</iq>", room, id, persistent ? "<field var='FORM_TYPE'><value>"
	    "http://jabber.org/protocol/muc#roomconfig</value></field><field "
	    "var='muc#roomconfig_persistentroom'><value>1</value></field>" : "");
	return iq_answer(b, id, 20) == 1 ? 0 : -1;
}

/*
 * Commands run beside the clients.
 */
static const char *
run_lookup(const char *name)
{
	int	i;

	for (i = 0; i < nrun; i++)
		if (strcmp(run_name[i], name) == 0)
			return run_cmd[i];
	return NULL;
}

static pid_t
run_start(const char *name)
{
	const char	*cmd = run_lookup(name);
	pid_t		 pid;

	if (cmd == NULL) {
		fprintf(stderr, "robot: no --run %s=...\n", name);
		exit(2);
	}
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Wait for the command, pumping the clients; returns its status. */
static int
run_wait(pid_t pid)
{
	int	status;

	for (;;) {
		pid_t	r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		if (r < 0)
			return 127;
		xmpp_run_once(ctx, 20);
	}
}

static int
run(const char *name)
{
	return run_wait(run_start(name));
}

/* Rows of the occupants table, or -1. */
static long
stored_occupants(void)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long		 v = -1;

	if (dbpath == NULL || sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 1000);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM occupants", -1, &s,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* Pump until the occupants table has n rows (checked every 200 ms). */
static int
wait_stored(long n, double timeout)
{
	double	end = now() + timeout;

	while (stored_occupants() != n) {
		if (now() >= end)
			return 0;
		pump(0.2);
	}
	return 1;
}

/*
 * flood: the limit answers, the room gets what was accepted, another
 * room's iq still returns.
 */

/* Is every error the flooder got a policy-violation of type wait, with
 * a text? */
static int
refusals_are_policy_violations(struct bot *f)
{
	xmpp_stanza_t	*e, *err;
	size_t		 i, n = 0;

	for (i = 0; i < f->ngot; i++) {
		e = f->got[i];
		if (!is(xmpp_stanza_get_name(e), "message") ||
		    !is(xmpp_stanza_get_type(e), "error"))
			continue;
		err = xmpp_stanza_get_child_by_name(e, "error");
		if (err == NULL || !is(xmpp_stanza_get_type(err), "wait") ||
		    xmpp_stanza_get_child_by_name_and_ns(err,
		    "policy-violation", NS_STANZAS) == NULL ||
		    xmpp_stanza_get_child_by_name_and_ns(err, "text",
		    NS_STANZAS) == NULL)
			return 0;
		n++;
	}
	return n > 0;
}

struct flood_done {
	struct bot	*f, **o;
	int		 no;
	unsigned long	 n;
};

static int
flood_delivered(void *arg)
{
	struct flood_done	*d = arg;
	int			 i;

	if (d->f->ngroupchat + d->f->nerror < d->n)
		return 0;
	for (i = 0; i < d->no; i++)
		if (d->o[i]->ngroupchat < d->f->ngroupchat)
			return 0;
	return 1;
}

/* n groupchat messages into room flood, each body padded with pad
 * bytes (at most 4000). */
static void
flood_send_pad(struct bot *f, unsigned long n, int pad)
{
	static char	fill[4001];
	unsigned long	i;

	if (pad > 4000)
		pad = 4000;
	memset(fill, 'x', (size_t)pad);
	fill[pad] = '\0';
	for (i = 0; i < n; i++) {
		bot_send(f, "<message to='flood@" MUC "' type='groupchat' "
		    "id='m%lu'><body>flood %lu %s</body></message>", i, i,
		    fill);
		if (i % 64 == 0)
			xmpp_run_once(ctx, 0);
	}
}

static void
flood_send(struct bot *f, unsigned long n)
{
	flood_send_pad(f, n, 0);
}

static int
scenario_flood(unsigned long n)
{
	struct bot		*f, *o, *p;
	struct flood_done	 d;
	double			 t0;
	int			 ok;

	if ((f = bot_connect("flooder", 1)) == NULL ||
	    (o = bot_connect("observer", 0)) == NULL ||
	    (p = bot_connect("prober", 1)) == NULL)
		return 1;
	check(enter(f, "flood", "F", 1, 0) == 0, "the flooder creates a room");
	check(enter(o, "flood", "O", 0, 0) == 0, "an observer enters it");
	check(enter(p, "calm", "P", 1, 0) == 0, "a prober creates another");
	pump(0.5);
	f->ngroupchat = f->nerror = o->ngroupchat = 0;
	forget(f);
	t0 = now();
	flood_send(f, n);
	bot_send(p, "<iq type='get' to='calm@" MUC "' id='probe'><query "
	    "xmlns='" NS_INFO "'/></iq>");
	check(iq_answer(p, "probe", 60) == 1, "an iq to the other room is "
	    "answered during the flood (%.0f ms)", (now() - t0) * 1000);
	d.f = f;
	d.o = &o;
	d.no = 1;
	d.n = n;
	ok = wait_until(flood_delivered, &d, 120);
	check(ok, "every message of %lu is either relayed or refused (%lu "
	    "relayed, %lu refused)", n, f->ngroupchat, f->nerror);
	check(f->nerror > 0 && refusals_are_policy_violations(f), "the limit "
	    "refuses with policy-violation, type wait, and a text");
	check(o->ngroupchat == f->ngroupchat, "the observer got exactly what "
	    "was relayed (%lu)", o->ngroupchat);
	return 0;
}

/*
 * crash: kill -9 during writes and under occupants.
 */

/* alice creates rooms w0, w1, ... as persistent until one fails; the
 * kill starts after the tenth.  Returns how many were acknowledged. */
static int
crash_writes(struct bot *a, int nwrites, pid_t *kill_pid)
{
	char	room[16];
	int	i;

	for (i = 0; i < nwrites; i++) {
		if (i == 10)
			*kill_pid = run_start("kill");
		snprintf(room, sizeof(room), "w%d", i);
		if (enter(a, room, "Alice", 1, 1) != 0)
			break;
	}
	return i;
}

/* How many of w0 .. w(n-1) answer disco#info. */
static int
rooms_existing(struct bot *a, int n)
{
	char	id[24];
	int	i, found = 0;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "exists%d", i);
		bot_send(a, "<iq type='get' to='w%d@" MUC "' id='%s'><query "
		    "xmlns='" NS_INFO "'/></iq>", i, id);
		found += iq_answer(a, id, 20) == 1;
	}
	return found;
}

/* The nicks disco#items of room lists to b, as "A B ..." in buf. */
static const char *
room_nicks(struct bot *b, const char *room, char *buf, size_t len)
{
	static unsigned	 seq;
	xmpp_stanza_t	*iq, *q, *c;
	const char	*name;
	char		 id[16];
	size_t		 o = 0;

	snprintf(id, sizeof(id), "items%u", ++seq);
	bot_send(b, "<iq type='get' to='%s@" MUC "' id='%s'><query xmlns='"
	    NS_ITEMS "'/></iq>", room, id);
	buf[0] = '\0';
	if ((iq = await(b, "iq", NULL, id, NULL, 0, 20)) == NULL ||
	    (q = xmpp_stanza_get_child_by_name(iq, "query")) == NULL)
		return "(no answer)";
	for (c = xmpp_stanza_get_children(q); c != NULL && o < len;
	    c = xmpp_stanza_get_next(c))
		if ((name = xmpp_stanza_get_attribute(c, "name")) != NULL)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
			    o ? " " : "", name);
	return buf;
}

static int
scenario_crash(int nwrites)
{
	struct bot	*a, *b, *c;
	pid_t		 kill_pid = 0;
	char		 buf[256];
	int		 acked;

	if ((a = bot_connect("alice", 1)) == NULL ||
	    (b = bot_connect("bob", 1)) == NULL ||
	    (c = bot_connect("carol", 1)) == NULL)
		return 1;
	check(enter(a, "kept", "Alice", 1, 1) == 0 &&
	    enter(b, "kept", "Bob", 0, 0) == 0 &&
	    enter(c, "kept", "Carol", 0, 0) == 0 &&
	    enter(b, "temp", "Bob", 1, 0) == 0 &&
	    enter(c, "temp", "Carol", 0, 0) == 0,
	    "three clients in a persistent room, two in a temporary one");
	check(wait_stored(5, 20), "the snapshot holds the five clients");
	acked = crash_writes(a, nwrites, &kill_pid);
	check(kill_pid != 0 && run_wait(kill_pid) == 0, "mucd killed with -9 "
	    "while creating rooms (%d acknowledged)", acked);
	bot_disconnect(c);
	check(run("start") == 0, "mucd restarted on the same database");
	forget(a);
	forget(b);
	/* Before anyone speaks: a message to Carol would bounce and remove
	 * her too (leave.c); this is the check of the restored clients. */
	check(await(a, "presence", "kept@" MUC "/Carol", NULL, "unavailable",
	    333, 60) != NULL && await(b, "presence", "temp@" MUC "/Carol",
	    NULL, "unavailable", 333, 60) != NULL, "the client that went away "
	    "is removed from both rooms as a ghost (333)");
	check(rooms_existing(a, acked) == acked, "every acknowledged room "
	    "exists (%d)", acked);
	bot_send(a, "<message to='kept@" MUC "' type='groupchat'><body>still "
	    "here</body></message>");
	check(await(b, "message", "kept@" MUC "/Alice", NULL, "groupchat", 0,
	    20) != NULL, "occupants speak in the persistent room without "
	    "rejoining");
	bot_send(b, "<message to='temp@" MUC "' type='groupchat'><body>me "
	    "too</body></message>");
	check(await(b, "message", "temp@" MUC "/Bob", NULL, "groupchat", 0,
	    20) != NULL, "and in the temporary room");
	check(strcmp(room_nicks(a, "kept", buf, sizeof(buf)), "Alice Bob") ==
	    0, "the persistent room holds Alice and Bob (%s)", buf);
	return 0;
}

/*
 * host-restart: no ghosts after the host restarts under occupants.
 */
static int
scenario_host_restart(void)
{
	struct bot	*a, *b;
	char		 buf[256];
	double		 end;

	if ((a = bot_connect("alice", 1)) == NULL ||
	    (b = bot_connect("bob", 1)) == NULL)
		return 1;
	check(enter(a, "kept", "Alice", 1, 1) == 0 &&
	    enter(b, "kept", "Bob", 0, 0) == 0, "two clients in a room");
	check(run("restart") == 0, "the host restarted and mucd reconnected");
	check(a->state == 3 && b->state == 3, "the restart ended both "
	    "clients' streams");
	check(bot_reconnect(a) == 0 && enter(a, "kept", "Alice", 0, 0) == 0,
	    "one client comes back and enters the room again");
	end = now() + 90;
	while (strcmp(room_nicks(a, "kept", buf, sizeof(buf)), "Alice") != 0 &&
	    now() < end)
		pump(1);
	check(strcmp(buf, "Alice") == 0, "the room holds only the client "
	    "that came back: no ghost (%s)", buf);
	return 0;
}

/*
 * Measurements (figures, no verdict).
 */
static long
rss_kb(const char *field)
{
	char	 path[64], line[128];
	FILE	*fp;
	long	 v = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)mucd_pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, field, strlen(field)) == 0)
			v = atol(line + strlen(field) + 1);
	fclose(fp);
	return v;
}

static void
rss_reset_peak(void)
{
	char	 path[64];
	FILE	*fp;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)mucd_pid);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("5", fp);
		fclose(fp);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Every 250 ms until the flood is delivered: an iq to the other room
 * and, as the reference, a ping to the host itself; RTTs in ms into
 * room[] and host[] (up to max each).  Returns how many of each. */
static size_t
flood_probe(struct bot *p, struct flood_done *d, double *room, double *host,
    size_t max, double timeout)
{
	char	id[48];
	double	end = now() + timeout, sent;
	size_t	n = 0;
	int	k;

	while (!flood_delivered(d) && now() < end && n < max) {
		for (k = 0; k < 2; k++) {
			snprintf(id, sizeof(id), "rtt%zu-%d", n, k);
			sent = now();
			if (k == 0)
				bot_send(p, "<iq type='get' to='calm@" MUC "' "
				    "id='%s'><query xmlns='" NS_INFO "'/></iq>",
				    id);
			else
				bot_send(p, "<iq type='get' to='" DOMAIN "' "
				    "id='%s'><ping xmlns='" NS_PING "'/></iq>",
				    id);
			(k == 0 ? room : host)[n] = iq_answer(p, id, 30) >= 0 ?
			    (now() - sent) * 1000 : 30000;
		}
		n++;
		forget(p);
		pump(0.25);
	}
	return n;
}

static void
rtt_note(const char *what, double *rtt, size_t n)
{
	qsort(rtt, n, sizeof(rtt[0]), cmp_double);
	if (n > 0)
		note("%s (%zu): min %.1f ms, median %.1f ms, max %.1f ms", what,
		    n, rtt[0], rtt[n / 2], rtt[n - 1]);
}

/* The flooder f and occupants - 1 others o[] in room flood, the prober
 * p in room calm; then mucd's RSS in *before, its peak reset and the
 * counts zeroed.  Returns 0, or 1 when one could not enter. */
static int
flood_setup(int occupants, struct bot **f, struct bot **o, struct bot **p,
    long *before)
{
	int	i;
	char	nick[16];

	if ((*f = bot_connect("flooder", 0)) == NULL ||
	    (*p = bot_connect("prober", 1)) == NULL ||
	    enter(*f, "flood", "F", 1, 0) != 0 ||
	    enter(*p, "calm", "P", 1, 0) != 0)
		return 1;
	for (i = 0; i < occupants - 1; i++) {
		snprintf(nick, sizeof(nick), "o%d", i);
		if ((o[i] = bot_connect(nick, 0)) == NULL ||
		    enter(o[i], "flood", nick, 0, 0) != 0)
			return 1;
	}
	pump(3);
	*before = rss_kb("VmRSS:");
	rss_reset_peak();
	(*f)->ngroupchat = (*f)->nerror = 0;
	for (i = 0; i < occupants - 1; i++)
		o[i]->ngroupchat = 0;
	return 0;
}

/*
 * backpressure: with the rate limits and pacing off and a small
 * max_queued_bytes (robust.sh), a flood whose copies outrun the host.
 * Every copy arrives, mucd's memory grows by far less than what it had
 * to send, and is back near its level before the flood afterwards.
 */
static int
scenario_backpressure(unsigned long n)
{
	struct bot		*f, *o[MAXBOTS], *p;
	struct flood_done	 d;
	double			 rtt[1024], hrtt[1024];
	long			 before, after, peak;
	int			 i, occupants = 20, all = 1;

	if (flood_setup(occupants, &f, o, &p, &before) != 0)
		return 1;
	flood_send_pad(f, n, 1000);
	d = (struct flood_done){ f, o, occupants - 1, n };
	flood_probe(p, &d, rtt, hrtt, 1024, 300);
	check(f->ngroupchat == n, "every message of %lu is relayed (%lu)",
	    n, f->ngroupchat);
	for (i = 0; i < occupants - 1; i++)
		all &= o[i]->ngroupchat == n;
	check(all, "every occupant got every message (%lu copies of about "
	    "1.1 kB each)", n * (unsigned long)occupants);
	peak = rss_kb("VmHWM:");
	pump(3);
	after = rss_kb("VmRSS:");
	if (getenv("ROBOT_NO_RSS") != NULL) {
		note("sanitized build: mucd's memory is not measured (%ld kB "
		    "before, %ld kB at the peak)", before, peak);
		return 0;
	}
	check(peak - before < 12 * 1024, "mucd grew by %ld kB at its peak, "
	    "not by the %lu kB it sent", peak - before,
	    n * (unsigned long)occupants * 11 / 10);
	check(after <= before + before / 5, "its memory is back within 20 %% "
	    "of where it was (%ld kB before, %ld kB after)", before, after);
	return 0;
}

/*
 * overtake: with the rate limits off and a small pacing window
 * (robust.sh), a flood waits for the host in mucd's backlog; an iq from
 * someone else, sent once the flood has had time to reach mucd, is
 * answered while most of it is still to come, not behind it.  Order, not
 * time: a FIFO backlog answers only once the last message was handled.
 */
static int
scenario_overtake(unsigned long n)
{
	struct bot		*f, *o[MAXBOTS], *p;
	struct flood_done	 d;
	unsigned long		 seen;
	long			 before;
	int			 occupants = 5, ok;

	if (flood_setup(occupants, &f, o, &p, &before) != 0)
		return 1;
	flood_send(f, n);
	/* The host forwards a client's stanzas far faster than the
	 * window lets mucd relay them: this is time for the flood to be
	 * in mucd, not behind the iq in the host. */
	pump(2);
	bot_send(p, "<iq type='get' to='calm@" MUC "' id='overtake'><query "
	    "xmlns='" NS_INFO "'/></iq>");
	check(iq_answer(p, "overtake", 120) == 1, "the iq to the other room "
	    "is answered");
	seen = o[0]->ngroupchat;
	check(seen < n / 2, "it overtook the flood: an occupant of the "
	    "flooded room had %lu of %lu messages when it was answered",
	    seen, n);
	d = (struct flood_done){ f, o, occupants - 1, n };
	ok = wait_until(flood_delivered, &d, 240);
	check(ok, "and the whole flood is relayed to everyone (%lu)",
	    o[0]->ngroupchat);
	return 0;
}

static int
measure_flood(unsigned long n, int occupants)
{
	struct bot		*f, *o[MAXBOTS], *p;
	struct flood_done	 d;
	double			 t0, rtt[1024], hrtt[1024];
	long			 before, after;
	size_t			 nrtt;

	if (flood_setup(occupants, &f, o, &p, &before) != 0)
		return 1;
	t0 = now();
	flood_send(f, n);
	d = (struct flood_done){ f, o, occupants - 1, n };
	nrtt = flood_probe(p, &d, rtt, hrtt, 1024, 600);
	note("flood of %lu into %d occupants: %lu relayed, %lu refused, "
	    "delivered in %.1f s", n, occupants, f->ngroupchat, f->nerror,
	    now() - t0);
	pump(5);
	after = rss_kb("VmRSS:");
	note("mucd RSS: before %ld kB, peak %ld kB, 5 s after %ld kB", before,
	    rss_kb("VmHWM:"), after);
	rtt_note("iq round trips to another room during the flood", rtt,
	    nrtt);
	rtt_note("reference: pings to the host itself, alternating", hrtt,
	    nrtt);
	return 0;
}

static unsigned long
pings_total(void)
{
	unsigned long	n = 0;
	int		i;

	for (i = 0; i < nbots; i++)
		n += bots[i].npings;
	return n;
}

/* clients x rooms occupants (every client in every room), then kill -9
 * and restart: how long until every one of them was pinged. */
static int
measure_verify(int clients, int rooms)
{
	struct bot	*b;
	char		 name[16], room[16];
	double		 t0, first = 0, last = 0;
	unsigned long	 want = (unsigned long)clients * (unsigned long)rooms;
	int		 i, k;

	for (i = 0; i < clients; i++) {
		snprintf(name, sizeof(name), "v%d", i);
		if ((b = bot_connect(name, 0)) == NULL)
			return 1;
		for (k = 0; k < rooms; k++) {
			snprintf(room, sizeof(room), "r%d", k);
			if (enter(b, room, name, i == 0, 0) != 0)
				return 1;
			forget(b);
		}
	}
	if (!wait_stored((long)want, 60))
		return 1;
	if (run("kill") != 0 || run("start") != 0)
		return 1;
	t0 = now();
	while (pings_total() < want && now() < t0 + 600)
		pump(0.1);
	for (i = 0; i < nbots; i++) {
		if (first == 0 || bots[i].first_ping < first)
			first = bots[i].first_ping;
		if (bots[i].last_ping > last)
			last = bots[i].last_ping;
	}
	note("%lu restored occupants (%d clients x %d rooms): %lu pinged, "
	    "all within %.1f s of mucd's restart (first to last ping %.1f s)",
	    want, clients, rooms, pings_total(), last - t0, last - first);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: robot flood|crash|host-restart|backpressure|overtake|"
	    "measure-flood|measure-verify --port PORT [--db FILE] [--mucd-pid PID] "
	    "[--count N] [--rooms N] [--run NAME=CMD]...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char	*scenario;
	unsigned long	 count = 0;
	int		 i, rooms = 0, rc;
	char		*eq;

	if (argc < 2)
		usage();
	scenario = argv[1];
	for (i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--db") == 0)
			dbpath = argv[i + 1];
		else if (strcmp(argv[i], "--mucd-pid") == 0)
			mucd_pid = (pid_t)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--count") == 0)
			count = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--rooms") == 0)
			rooms = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--run") == 0 && nrun < MAXRUN &&
		    (eq = strchr(argv[i + 1], '=')) != NULL) {
			*eq = '\0';
			run_name[nrun] = argv[i + 1];
			run_cmd[nrun++] = eq + 1;
		} else
			usage();
	}
	if (port == 0 || i != argc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
	if (strcmp(scenario, "flood") == 0)
		rc = scenario_flood(count ? count : 200);
	else if (strcmp(scenario, "crash") == 0)
		rc = scenario_crash(count ? (int)count : 40);
	else if (strcmp(scenario, "host-restart") == 0)
		rc = scenario_host_restart();
	else if (strcmp(scenario, "overtake") == 0)
		rc = scenario_overtake(count ? count : 20000);
	else if (strcmp(scenario, "backpressure") == 0)
		rc = scenario_backpressure(count ? count : 3000);
	else if (strcmp(scenario, "measure-flood") == 0)
		rc = measure_flood(count ? count : 10000, rooms ? rooms : 20);
	else if (strcmp(scenario, "measure-verify") == 0)
		rc = measure_verify(20, rooms ? rooms : 50);
	else
		usage();
	for (i = 0; i < nbots; i++)
		if (bots[i].state == 2)
			xmpp_disconnect(bots[i].conn);
	pump(0.3);	/* stanzas may still arrive: keep the inboxes */
	for (i = 0; i < nbots; i++) {
		xmpp_conn_release(bots[i].conn);
		forget(&bots[i]);
		free(bots[i].got);
	}
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
	if (rc != 0)
		check(0, "%s could not run to its end", scenario);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}
