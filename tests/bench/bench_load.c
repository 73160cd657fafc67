/*
 * bench_load.c - the load generator of tests/bench/compare.sh.
 *
 * One XEP-0114 component (users.localhost by default) plays N users, each
 * the JID u<i>@DOMAIN/r with the nick u<i>, against one MUC service: the
 * host's own MUC, mucd, or the reflector.  Everything the service sends to
 * the users comes back over this connection, whichever path it took, so
 * the three are measured by the same code on the same wire.  On ejabberd
 * the users may be spread over K connections (--streams), which ejabberd
 * balances by recipient: like real users on their own c2s processes, the
 * copies are then not all written by one Erlang process.
 *
 * Scenarios (see docs/performance.md):
 *   join    a room of N; one more user joins and leaves, R times; latency
 *           is the time from its join presence to its self-presence.
 *   fanout  a room of N; groupchat messages from the occupants in turn,
 *           a window of them in flight; latency per delivered copy, from
 *           the send of its message.
 *   storm   a room of one; N-1 users send their join at once; latency is
 *           each joiner's wait for its self-presence, secs the time until
 *           the last copy of the storm arrived.
 * Rooms for join and fanout are filled cheaply: the owner first limits
 * presence broadcast to moderators (XEP-0045 muc#roomconfig_
 * presencebroadcast), and join opens it to every role once the room is
 * full, so the measured join is a join into a room of N that sees
 * everybody.  Every run ends by destroying its room.
 *
 * The result is one line on stdout:
 *   RESULT label=L scenario=S n=N copies=C secs=T rate=R p50_ms=A
 *     p99_ms=B host_us=H svc_us=V svc_bytes=W gen_us=G rx_bytes=X
 *     host_mib=M errors=E
 * where copies are the stanzas the users received during the measured
 * phase, rate copies/secs, host_us and svc_us the CPU time of the host and
 * of the service process per copy (from /proc/PID/stat), svc_bytes the
 * bytes the service sent per copy (TCP_INFO through ss), gen_us this program's
 * CPU per copy, rx_bytes the bytes received per copy, host_mib the host's
 * largest resident memory seen during the phase (sampled every 0.2 s).
 *
 * usage: bench-load --port P --muc DOMAIN --room NAME --scenario S --n N
 *            [--domain users.localhost] [--copies C] [--joins R]
 *            [--window W] [--host-pid PID] [--svc-pid PID] [--label L]
 *            [--dump K]   (print the first K stanzas received to stderr)
 *            [--stall S]  (give up after S seconds without a stanza; 60)
 *            [--streams K] (K connections for the users' domain, where
 *                         the host takes several and spreads what it
 *                         routes to them: ejabberd; 1)
 *        with the component secret in BENCH_SECRET.
 * Exit status 0, or 1 with the reason on stderr.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchio.h"

#define STALL_MS	60000	/* default: no stanza for this long, give up */
#define QUIET_MS	100	/* silence that ends a phase's stragglers */
#define INFLIGHT	2000	/* fan-out copies to keep in flight */
#define STREAMS_MAX	16
#define BODY		"The quick brown fox jumps over the lazy dog, twice."
#define NS_MUC		"http://jabber.org/protocol/muc"

enum scenario { SC_JOIN, SC_FANOUT, SC_STORM };

struct user {
	uint64_t	join_sent;	/* ns; 0 when not measured */
	int		joined;
};

struct gen {
	struct bio	 b;		/* stream 1: sends, and receives */
	struct bio	 rx[STREAMS_MAX];	/* streams 2..: receive only */
	int		 nrx;
	struct bio	*cur;		/* the stream being read */
	const char	*domain, *muc, *room, *label;
	enum scenario	 sc;
	int		 n, joins, window, host_pid, svc_pid, dump, stall_ms;
	long		 copies_target;
	struct user	*u;
	int		 njoined;

	/* the measured phase */
	int		 measuring;
	uint64_t	 copies, errors, last_rx, last_copy;
	uint32_t	*lat;			/* microseconds */
	size_t		 nlat, caplat;
	long		 rss_peak;		/* host, KiB */
	uint64_t	 rss_at;		/* last sample, ns */

	/* fan-out */
	uint64_t	*sent_at;
	int		*got;
	long		 nmsg, nsent, ndone;
	uint64_t	 fan_end;

	/* the iq waited for */
	char		 want_id[32];
	int		 iq_done, iq_error;
	int		 warm_got;	/* answers to warm_routes() pings */
};

static void
die(const char *msg)
{
	fprintf(stderr, "bench-load: %s\n", msg);
	exit(1);
}

static void
lat_add(struct gen *g, uint64_t ns)
{
	uint32_t	*n;

	if (g->nlat == g->caplat) {
		g->caplat = g->caplat ? g->caplat * 2 : 4096;
		if ((n = realloc(g->lat, g->caplat * sizeof(*n))) == NULL)
			die("out of memory");
		g->lat = n;
	}
	g->lat[g->nlat++] = (uint32_t)(ns / 1000);
}

/* The user number in "u<i>@..." or ".../u<i>", or -1. */
static int
user_index(const char *v, size_t len)
{
	size_t	i;
	int	k = 0;

	if (v == NULL || len < 2 || v[0] != 'u')
		return -1;
	for (i = 1; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		k = k * 10 + (v[i] - '0');
	return i > 1 ? k : -1;
}

/* A presence to user `to`: its own (from room/u<to>) marks it joined or
 * gone; a joiner being measured gets its latency recorded. */
static void
on_presence(struct gen *g, const char *s, size_t len, int to)
{
	const char	*from, *type, *slash;
	size_t		 flen, tlen;

	from = bio_attr(s, len, "from", &flen);
	if (from == NULL || to < 0 || to > g->n ||
	    (slash = memchr(from, '/', flen)) == NULL ||
	    user_index(slash + 1, flen - (size_t)(slash + 1 - from)) != to)
		return;
	type = bio_attr(s, len, "type", &tlen);
	if (type != NULL && tlen == 5 && memcmp(type, "error", 5) == 0)
		return;
	if (type != NULL && tlen == 11 && memcmp(type, "unavailable", 11) == 0) {
		if (g->u[to].joined)
			g->njoined--;
		g->u[to].joined = 0;
		return;
	}
	if (g->u[to].joined)
		return;
	g->u[to].joined = 1;
	g->njoined++;
	if (g->measuring && g->u[to].join_sent != 0) {
		lat_add(g, g->last_rx - g->u[to].join_sent);
		g->u[to].join_sent = 0;
	}
}

/* A fan-out copy: id f<k> is message k. */
static void
on_message(struct gen *g, const char *s, size_t len)
{
	const char	*id;
	size_t		 idlen, i;
	long		 k = 0;

	if (g->sent_at == NULL ||
	    (id = bio_attr(s, len, "id", &idlen)) == NULL || idlen < 2 ||
	    id[0] != 'f')
		return;
	for (i = 1; i < idlen && id[i] >= '0' && id[i] <= '9'; i++)
		k = k * 10 + (id[i] - '0');
	if (k >= g->nmsg)
		return;
	lat_add(g, g->last_rx - g->sent_at[k]);
	if (++g->got[k] == g->n) {
		g->ndone++;
		g->fan_end = g->last_rx;
	}
}

static void
on_stanza(struct gen *g, const char *s, size_t len)
{
	const char	*to, *type, *id;
	size_t		 tolen, tlen, idlen;
	int		 idx;

	if (len > 13 && memcmp(s, "<stream:error", 13) == 0) {
		fprintf(stderr, "bench-load: %.*s\n", (int)len, s);
		die("the host closed the stream");
	}
	type = bio_attr(s, len, "type", &tlen);
	if (type != NULL && tlen == 5 && memcmp(type, "error", 5) == 0) {
		if (g->errors++ < 3)
			fprintf(stderr, "bench-load: error stanza: %.*s\n",
			    (int)(len > 600 ? 600 : len), s);
	}
	if (g->measuring && g->dump > 0) {
		g->dump--;
		fprintf(stderr, "bench-load: received %.*s\n", (int)len, s);
	}
	to = bio_attr(s, len, "to", &tolen);
	idx = user_index(to, tolen);
	switch (s[1]) {
	case 'p':
		if (g->measuring) {
			g->copies++;
			g->last_copy = g->last_rx;
		}
		on_presence(g, s, len, idx);
		break;
	case 'm':
		if (g->measuring) {
			g->copies++;
			g->last_copy = g->last_rx;
		}
		on_message(g, s, len);
		break;
	case 'i':
		/* disco from the host's services (mod_multicast asks every
		 * domain it delivers to) */
		if (bio_refuse_iq(g->cur, s, len))
			break;
		id = bio_attr(s, len, "id", &idlen);
		if (id != NULL && idlen > 4 && memcmp(id, "warm", 4) == 0) {
			g->warm_got++;
			break;
		}
		if (id != NULL && idlen == strlen(g->want_id) &&
		    memcmp(id, g->want_id, idlen) == 0) {
			g->iq_done = 1;
			g->iq_error = type != NULL && tlen == 5 &&
			    memcmp(type, "error", 5) == 0;
			if (g->iq_error)
				fprintf(stderr, "bench-load: %.*s\n", (int)len,
				    s);
		}
		break;
	}
}

static void
send_join(struct gen *g, int k)
{
	bio_printf(&g->b, "<presence to='%s@%s/u%d' from='u%d@%s/r'>"
	    "<x xmlns='" NS_MUC "'/></presence>", g->room, g->muc, k, k,
	    g->domain);
}

static void
send_message(struct gen *g, long seq)
{
	int	k = (int)(seq % g->n);

	g->sent_at[seq] = bio_now();
	bio_printf(&g->b, "<message to='%s@%s' from='u%d@%s/r' "
	    "type='groupchat' id='f%ld'><body>" BODY "</body></message>",
	    g->room, g->muc, k, g->domain, seq);
}

/* Keep the fan-out window full. */
static void
fan_refill(struct gen *g)
{
	while (g->sent_at != NULL && g->nsent < g->nmsg &&
	    g->nsent - g->ndone < g->window)
		send_message(g, g->nsent++);
}

/* Read and handle everything that has arrived.  Returns the number of
 * stanzas handled. */
static long
drain_one(struct gen *g, struct bio *b)
{
	const char	*s;
	size_t		 len;
	long		 n = 0, r;

	g->cur = b;
	while ((r = bio_read(b)) > 0) {
		g->last_rx = bio_now();
		while (bio_next(b, &s, &len)) {
			on_stanza(g, s, len);
			n++;
		}
		fan_refill(g);
		if (bio_flush(&g->b) != 0 || (b != &g->b && bio_flush(b) != 0))
			die("write to the host failed");
		if (n > 10000)
			break;		/* let the caller look at its goal */
	}
	if (r < 0)
		die("the host closed the connection");
	return n;
}

static long
drain(struct gen *g)
{
	long	n = drain_one(g, &g->b);
	int	i;

	for (i = 0; i < g->nrx; i++)
		n += drain_one(g, &g->rx[i]);
	return n;
}

/* Bytes received on every stream. */
static uint64_t
received(const struct gen *g)
{
	uint64_t	n = g->b.nread;
	int		i;

	for (i = 0; i < g->nrx; i++)
		n += g->rx[i].nread;
	return n;
}

/* Run the loop until done(g) holds.  Dies after STALL_MS without a
 * stanza. */
static void
pump(struct gen *g, int (*done)(struct gen *), const char *what)
{
	struct pollfd	pfd[STREAMS_MAX + 1];
	uint64_t	last = bio_now();
	char		msg[128];
	int		i;

	for (;;) {
		fan_refill(g);
		if (bio_flush(&g->b) != 0)
			die("write to the host failed");
		if (done(g))
			return;
		pfd[0].fd = g->b.fd;
		pfd[0].events = POLLIN | (bio_pending(&g->b) > 0 ? POLLOUT : 0);
		for (i = 0; i < g->nrx; i++) {
			pfd[i + 1].fd = g->rx[i].fd;
			pfd[i + 1].events = POLLIN |
			    (bio_pending(&g->rx[i]) > 0 ? POLLOUT : 0);
		}
		if (poll(pfd, (nfds_t)g->nrx + 1, 100) < 0)
			continue;
		if (g->measuring && g->host_pid > 0 &&
		    bio_now() - g->rss_at > 200000000ULL) {
			long	rss = bio_rss_kib(g->host_pid);

			g->rss_at = bio_now();
			if (rss > g->rss_peak)
				g->rss_peak = rss;
		}
		if (drain(g) > 0)
			last = bio_now();
		else if (bio_now() - last > g->stall_ms * 1000000ULL) {
			snprintf(msg, sizeof(msg), "nothing for %d s while "
			    "waiting for %s (%d of %d joined)", g->stall_ms /
			    1000, what, g->njoined, g->n);
			die(msg);
		}
	}
}

static int
iq_arrived(struct gen *g)
{
	return g->iq_done;
}

/* Send an iq from user k to the room and wait for its answer; dies on an
 * error answer. */
static void
iq_roundtrip(struct gen *g, int k, const char *type, const char *id,
    const char *payload)
{
	snprintf(g->want_id, sizeof(g->want_id), "%s", id);
	g->iq_done = g->iq_error = 0;
	bio_printf(&g->b, "<iq type='%s' to='%s@%s' from='u%d@%s/r' id='%s'>"
	    "%s</iq>", type, g->room, g->muc, k, g->domain, id, payload);
	pump(g, iq_arrived, id);
	if (g->iq_error)
		die("the room answered with an error");
}

/* The barrier: the service answers after everything it had to send
 * before, on the path to user k. */
static void
barrier(struct gen *g, int k)
{
	static int	seq;
	char		id[32];

	snprintf(id, sizeof(id), "bar%d", ++seq);
	iq_roundtrip(g, k, "get", id, "<query xmlns='http://jabber.org/"
	    "protocol/disco#info'/>");
}

static uint64_t	quiet_since;

static int
is_quiet(struct gen *g)
{
	return bio_now() - (g->last_rx > quiet_since ? g->last_rx :
	    quiet_since) > QUIET_MS * 1000000ULL;
}

/* Wait until nothing has come for QUIET_MS: stragglers of the phase. */
static void
settle(struct gen *g)
{
	quiet_since = bio_now();
	pump(g, is_quiet, "silence");
}

static int
all_joined(struct gen *g)
{
	return g->njoined >= g->n;
}

static int
owner_in(struct gen *g)
{
	return g->u[0].joined;
}

static int
joiner_in(struct gen *g)
{
	return g->u[g->n].joined;
}

static int
fan_complete(struct gen *g)
{
	return g->ndone >= g->nmsg;
}

/* Configure the room as its owner u0.  broadcast: the roles whose
 * presence is broadcast, NULL for an instant room with the defaults. */
static void
configure(struct gen *g, const char *id, const char *broadcast)
{
	char	form[1024];

	if (broadcast == NULL)
		snprintf(form, sizeof(form), "<query xmlns='" NS_MUC
		    "#owner'><x xmlns='jabber:x:data' type='submit'/></query>");
	else
		snprintf(form, sizeof(form), "<query xmlns='" NS_MUC "#owner'>"
		    "<x xmlns='jabber:x:data' type='submit'><field "
		    "var='FORM_TYPE'><value>" NS_MUC "#roomconfig</value>"
		    "</field><field var='muc#roomconfig_presencebroadcast'>"
		    "%s</field></x></query>", broadcast);
	iq_roundtrip(g, 0, "set", id, form);
}

static int	warm_want;
static uint64_t	warm_until;

static int
warm_answered(struct gen *g)
{
	return g->warm_got >= warm_want || bio_now() > warm_until;
}

/*
 * With several streams, ejabberd may still hold the routes of the last
 * run's streams for a moment after they closed, and what it balances to
 * them is lost.  Ping the server from u0 until a round of WARM pings all
 * come back (the answers are balanced over every route to the users'
 * domain: one dead route would lose some of them).
 */
static void
warm_routes(struct gen *g)
{
	const char	*server = strchr(g->domain, '.');
	int		 round, k;

	if (g->nrx == 0 || server == NULL)
		return;
	for (round = 0; round < 100; round++) {
		g->warm_got = 0;
		warm_want = 32;
		warm_until = bio_now() + 300000000ULL;
		for (k = 0; k < warm_want; k++)
			bio_printf(&g->b, "<iq type='get' to='%s' from='u0@%s/r' "
			    "id='warm%d-%d'><ping xmlns='urn:xmpp:ping'/></iq>",
			    server + 1, g->domain, round, k);
		pump(g, warm_answered, "the server's pings");
		if (g->warm_got >= warm_want)
			return;
	}
	die("the users' streams are not all routed");
}

/* Create the room with u0 as its owner; for join and fan-out, fill it
 * with N occupants while only moderators' presence is broadcast. */
static void
setup(struct gen *g)
{
	int	k;

	warm_routes(g);
	send_join(g, 0);
	pump(g, owner_in, "the owner's self-presence");
	if (g->sc == SC_STORM) {
		configure(g, "cfg", NULL);
		barrier(g, 0);
		settle(g);
		return;
	}
	configure(g, "cfg", "<value>moderator</value>");
	for (k = 1; k < g->n; k++)
		send_join(g, k);
	pump(g, all_joined, "the room to fill");
	if (g->sc == SC_JOIN)
		configure(g, "cfg2", "<value>moderator</value><value>"
		    "participant</value><value>visitor</value>");
	barrier(g, 0);
	settle(g);
}

static void
run_join(struct gen *g)
{
	int	r;

	for (r = 0; r < g->joins; r++) {
		g->u[g->n].join_sent = bio_now();
		send_join(g, g->n);
		pump(g, joiner_in, "the joiner's self-presence");
		bio_printf(&g->b, "<presence to='%s@%s/u%d' from='u%d@%s/r' "
		    "type='unavailable'/>", g->room, g->muc, g->n, g->n,
		    g->domain);
		barrier(g, 0);
	}
}

static void
run_fanout(struct gen *g)
{
	g->nmsg = g->copies_target / g->n > 0 ? g->copies_target / g->n : 1;
	if (g->window <= 0)
		g->window = (INFLIGHT + g->n - 1) / g->n;
	if ((g->sent_at = calloc((size_t)g->nmsg, sizeof(*g->sent_at))) ==
	    NULL || (g->got = calloc((size_t)g->nmsg, sizeof(*g->got))) ==
	    NULL)
		die("out of memory");
	pump(g, fan_complete, "the fan-out copies");
}

static void
run_storm(struct gen *g)
{
	uint64_t	t = bio_now();
	int		k;

	for (k = 1; k < g->n; k++) {
		g->u[k].join_sent = t;
		send_join(g, k);
	}
	pump(g, all_joined, "the storm's self-presences");
	barrier(g, g->n - 1);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double
percentile(struct gen *g, double p)
{
	size_t	i;

	if (g->nlat == 0)
		return 0;
	i = (size_t)(p * (double)(g->nlat - 1) + 0.5);
	return g->lat[i] / 1000.0;
}

static double
per_copy(long long before, long long after, uint64_t copies)
{
	if (before < 0 || after < 0 || copies == 0)
		return -1;
	return (double)(after - before) / (double)copies;
}

/* The measured phase, with the CPU and byte counters around it. */
static void
measure(struct gen *g)
{
	long long	h0, s0, w0, g0, h1, s1, w1, g1;
	uint64_t	t0, t1, rx0;
	double		secs;

	h0 = g->host_pid > 0 ? bio_cpu_us(g->host_pid) : -1;
	s0 = g->svc_pid > 0 ? bio_cpu_us(g->svc_pid) : -1;
	w0 = g->svc_pid > 0 ? bio_sent_bytes(g->svc_pid) : -1;
	g0 = bio_cpu_us(getpid());
	rx0 = received(g);
	g->measuring = 1;
	t0 = bio_now();
	switch (g->sc) {
	case SC_JOIN: run_join(g); break;
	case SC_FANOUT: run_fanout(g); break;
	case SC_STORM: run_storm(g); break;
	}
	/* With several streams from the service the barrier's answer may
	 * overtake copies on another stream: wait for the stragglers. */
	settle(g);
	t1 = g->sc == SC_FANOUT ? g->fan_end : g->last_copy;
	h1 = g->host_pid > 0 ? bio_cpu_us(g->host_pid) : -1;
	s1 = g->svc_pid > 0 ? bio_cpu_us(g->svc_pid) : -1;
	w1 = g->svc_pid > 0 ? bio_sent_bytes(g->svc_pid) : -1;
	g1 = bio_cpu_us(getpid());
	g->measuring = 0;
	secs = (double)(t1 - t0) / 1e9;
	qsort(g->lat, g->nlat, sizeof(*g->lat), cmp_u32);
	printf("RESULT label=%s scenario=%s n=%d copies=%llu secs=%.3f "
	    "rate=%.0f p50_ms=%.3f p99_ms=%.3f host_us=%.2f svc_us=%.2f "
	    "svc_bytes=%.0f gen_us=%.2f rx_bytes=%.0f host_mib=%ld "
	    "errors=%llu\n",
	    g->label, g->sc == SC_JOIN ? "join" : g->sc == SC_FANOUT ?
	    "fanout" : "storm", g->n, (unsigned long long)g->copies, secs,
	    secs > 0 ? (double)g->copies / secs : 0, percentile(g, 0.5),
	    percentile(g, 0.99), per_copy(h0, h1, g->copies),
	    per_copy(s0, s1, g->copies), per_copy(w0, w1, g->copies),
	    per_copy(g0, g1, g->copies), g->copies ?
	    (double)(received(g) - rx0) / (double)g->copies : 0,
	    g->rss_peak > 0 ? g->rss_peak / 1024 : -1,
	    (unsigned long long)g->errors);
	fflush(stdout);
}

static void
teardown(struct gen *g)
{
	iq_roundtrip(g, 0, "set", "destroy", "<query xmlns='" NS_MUC
	    "#owner'><destroy/></query>");
	settle(g);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-load --port P --muc DOMAIN --room NAME "
	    "--scenario join|fanout|storm --n N [--domain D] [--copies C] "
	    "[--joins R] [--window W] [--host-pid PID] [--svc-pid PID] "
	    "[--label L]\n");
	exit(2);
}

static void
parse_args(struct gen *g, int argc, char **argv, int *port)
{
	static const struct option	 lo[] = {
		{ "port", 1, NULL, 'p' }, { "muc", 1, NULL, 'm' },
		{ "room", 1, NULL, 'r' }, { "scenario", 1, NULL, 's' },
		{ "n", 1, NULL, 'n' }, { "domain", 1, NULL, 'd' },
		{ "copies", 1, NULL, 'c' }, { "joins", 1, NULL, 'j' },
		{ "window", 1, NULL, 'w' }, { "host-pid", 1, NULL, 'H' },
		{ "svc-pid", 1, NULL, 'S' }, { "label", 1, NULL, 'l' },
		{ "dump", 1, NULL, 'D' }, { "stall", 1, NULL, 'T' },
		{ "streams", 1, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	const char			*sc = NULL;
	int				 c;

	g->domain = "users.localhost";
	g->label = "run";
	g->copies_target = 100000;
	g->joins = 20;
	g->stall_ms = STALL_MS;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p': *port = atoi(optarg); break;
		case 'm': g->muc = optarg; break;
		case 'r': g->room = optarg; break;
		case 's': sc = optarg; break;
		case 'n': g->n = atoi(optarg); break;
		case 'd': g->domain = optarg; break;
		case 'c': g->copies_target = atol(optarg); break;
		case 'j': g->joins = atoi(optarg); break;
		case 'w': g->window = atoi(optarg); break;
		case 'H': g->host_pid = atoi(optarg); break;
		case 'S': g->svc_pid = atoi(optarg); break;
		case 'l': g->label = optarg; break;
		case 'D': g->dump = atoi(optarg); break;
		case 'T': g->stall_ms = atoi(optarg) * 1000; break;
		case 'K': g->nrx = atoi(optarg) - 1; break;
		default: usage();
		}
	}
	if (g->nrx < 0 || g->nrx >= STREAMS_MAX)
		usage();
	if (*port <= 0 || g->muc == NULL || g->room == NULL || sc == NULL ||
	    g->n < 1 || (g->n < 2 && strcmp(sc, "storm") == 0))
		usage();
	if (strcmp(sc, "join") == 0)
		g->sc = SC_JOIN;
	else if (strcmp(sc, "fanout") == 0)
		g->sc = SC_FANOUT;
	else if (strcmp(sc, "storm") == 0)
		g->sc = SC_STORM;
	else
		usage();
}

int
main(int argc, char **argv)
{
	struct gen	 g;
	const char	*secret = getenv("BENCH_SECRET");
	int		 port = 0, k;

	memset(&g, 0, sizeof(g));
	parse_args(&g, argc, argv, &port);
	if (secret == NULL)
		die("BENCH_SECRET is not set");
	if ((g.u = calloc((size_t)g.n + 1, sizeof(*g.u))) == NULL)
		die("out of memory");
	if (bio_connect(&g.b, port, g.domain, secret) != 0)
		return 1;
	for (k = 0; k < g.nrx; k++)
		if (bio_connect(&g.rx[k], port, g.domain, secret) != 0)
			return 1;
	setup(&g);
	measure(&g);
	teardown(&g);
	bio_close(&g.b);
	for (k = 0; k < g.nrx; k++)
		bio_close(&g.rx[k]);
	free(g.u);
	free(g.lat);
	free(g.sent_at);
	free(g.got);
	return 0;
}
