/*
 * bench_reflect.c - the routing ceiling of tests/bench/compare.sh.
 *
 * A component that sends the host the same copies mucd sends for the
 * benchmark's scenarios, with no MUC logic at all: no rules, no database,
 * no stanza trees.  A join gets the occupants' presences, the joiner's
 * presence to everyone, the self-presence (110, and 201 for a new room)
 * and an empty subject; a groupchat message is re-addressed from the
 * sender's nick to every occupant with its payload copied byte for byte;
 * an iq to a room is answered with an empty result (a destroy request
 * first removes everyone).  What the host spends routing these copies is
 * the least any external MUC can make it spend without multicast.
 *
 * Like mucd it sends nothing before it has read, and stops reading while
 * more than HIGH_WATER bytes wait for the host, so that a join storm is
 * paced by the host instead of filling this process's memory.
 *
 * With --multicast-refuse N it also plays an XEP-0033 multicast service
 * at its bare domain, for mucd's tests (tests/component/transport.sh):
 * disco#info shows the address feature, the first N stanzas sent to the
 * domain are expanded to their addresses, and every later one is refused
 * with not-acceptable, its addresses echoed as ejabberd does.  A
 * component may only send from its own domain, so its copies come from
 * it, not from the original sender as a server's service would keep.
 *
 * usage: bench-reflect --port P [--domain reflect.localhost]
 *            [--multicast-refuse N], with the component secret in
 *        BENCH_SECRET.  Runs until SIGTERM.
 */
#define _GNU_SOURCE		/* memmem */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchio.h"

#define HIGH_WATER	(4 * 1024 * 1024)
#define NS_USER		"http://jabber.org/protocol/muc#user"

struct occ {
	char	*jid;
	char	*nick;
};

struct room {
	struct room	*next;
	char		*name;
	struct occ	*o;
	int		 n, cap;
	int		 bcast_all;	/* participants' presence broadcast */
};

static struct bio		 b;
static const char		*domain = "reflect.localhost";
static struct room		*rooms;
static volatile sig_atomic_t	 quit;
static long			 mc_expand = -1;	/* -1: no service */

static void
on_term(int sig)
{
	(void)sig;
	quit = 1;
}

static char *
dup_n(const char *s, size_t n)
{
	char	*d = malloc(n + 1);

	if (d == NULL) {
		fprintf(stderr, "bench-reflect: out of memory\n");
		exit(1);
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static struct room *
room_find(const char *name, size_t len, int create)
{
	struct room	*r;

	for (r = rooms; r != NULL; r = r->next)
		if (strlen(r->name) == len && memcmp(r->name, name, len) == 0)
			return r;
	if (!create || (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->name = dup_n(name, len);
	r->bcast_all = 1;
	r->next = rooms;
	rooms = r;
	return r;
}

static void
room_free(struct room *r)
{
	struct room	**pp;
	int		  i;

	for (pp = &rooms; *pp != r; pp = &(*pp)->next)
		;
	*pp = r->next;
	for (i = 0; i < r->n; i++) {
		free(r->o[i].jid);
		free(r->o[i].nick);
	}
	free(r->o);
	free(r->name);
	free(r);
}

static int
occ_find(const struct room *r, const char *jid, size_t len)
{
	int	i;

	for (i = 0; i < r->n; i++)
		if (strlen(r->o[i].jid) == len &&
		    memcmp(r->o[i].jid, jid, len) == 0)
			return i;
	return -1;
}

/* The presence of occupant `who` as `viewer` sees it; the first occupant
 * is the owner and moderator, and moderators see real JIDs. */
static void
presence_to(struct room *r, int who, int viewer, const char *type,
    const char *codes)
{
	const struct occ	*o = &r->o[who];

	bio_printf(&b, "<presence from='%s@%s/%s' to='%s'%s%s%s><x xmlns='"
	    NS_USER "'><item affiliation='%s' role='%s'%s%s%s/>%s</x>"
	    "</presence>", r->name, domain, o->nick, r->o[viewer].jid,
	    type ? " type='" : "", type ? type : "", type ? "'" : "",
	    who == 0 ? "owner" : "none", type ? "none" : who == 0 ?
	    "moderator" : "participant", viewer == 0 ? " jid='" : "",
	    viewer == 0 ? o->jid : "", viewer == 0 ? "'" : "", codes);
}

static void
join(struct room *r, const char *jid, size_t jlen, const char *nick,
    size_t nlen)
{
	int	i, me, created = r->n == 0;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		if ((r->o = realloc(r->o, (size_t)r->cap * sizeof(*r->o))) ==
		    NULL) {
			fprintf(stderr, "bench-reflect: out of memory\n");
			exit(1);
		}
	}
	me = r->n++;
	r->o[me].jid = dup_n(jid, jlen);
	r->o[me].nick = dup_n(nick, nlen);
	for (i = 0; i < me; i++)
		if (i == 0 || r->bcast_all)
			presence_to(r, i, me, NULL, "");
	if (r->bcast_all)
		for (i = 0; i < me; i++)
			presence_to(r, me, i, NULL, "");
	presence_to(r, me, me, NULL, created ?
	    "<status code='110'/><status code='201'/>" :
	    "<status code='110'/>");
	bio_printf(&b, "<message from='%s@%s' to='%s' type='groupchat'>"
	    "<subject/></message>", r->name, domain, r->o[me].jid);
}

static void
leave(struct room *r, int me)
{
	int	i;

	for (i = 0; i < r->n; i++)
		if (i == me)
			presence_to(r, me, i, "unavailable",
			    "<status code='110'/>");
		else if (me == 0 || r->bcast_all)
			presence_to(r, me, i, "unavailable", "");
	free(r->o[me].jid);
	free(r->o[me].nick);
	memmove(&r->o[me], &r->o[me + 1], (size_t)(r->n - me - 1) *
	    sizeof(*r->o));
	r->n--;
	if (r->n == 0)
		room_free(r);
}

static void
on_presence(const char *s, size_t len, struct room *r, const char *from,
    size_t flen, const char *nick, size_t nlen)
{
	const char	*type;
	size_t		 tlen;
	int		 me = occ_find(r, from, flen);

	type = bio_attr(s, len, "type", &tlen);
	if (type != NULL && tlen == 11 && memcmp(type, "unavailable", 11) == 0) {
		if (me >= 0)
			leave(r, me);
		else if (r->n == 0)
			room_free(r);
	} else if (type == NULL && me < 0 && nick != NULL)
		join(r, from, flen, nick, nlen);
}

/* A groupchat message: the payload after the start tag goes to every
 * occupant unchanged. */
static void
on_message(const char *s, size_t len, struct room *r, const char *from,
    size_t flen)
{
	const char	*id, *gt, *body;
	size_t		 idlen, blen;
	int		 me = occ_find(r, from, flen), i;

	if (me < 0 || (gt = memchr(s, '>', len)) == NULL || gt[-1] == '/')
		return;
	body = gt + 1;
	blen = len - (size_t)(body - s) - strlen("</message>");
	id = bio_attr(s, len, "id", &idlen);
	for (i = 0; i < r->n; i++) {
		bio_printf(&b, "<message from='%s@%s/%s' to='%s' "
		    "type='groupchat' id='%.*s'>", r->name, domain,
		    r->o[me].nick, r->o[i].jid, id ? (int)idlen : 0,
		    id ? id : "");
		bio_write(&b, body, blen);
		bio_write(&b, "</message>", 10);
	}
}

static void
on_iq(const char *s, size_t len, struct room *r, const char *from,
    size_t flen)
{
	const char	*id;
	size_t		 idlen;
	int		 i;

	id = bio_attr(s, len, "id", &idlen);
	if (bio_contains(s, len, "muc#roomconfig_presencebroadcast"))
		r->bcast_all = bio_contains(s, len, "<value>participant<");
	bio_printf(&b, "<iq type='result' from='%s@%s' to='%.*s' id='%.*s'/>",
	    r->name, domain, (int)flen, from, id ? (int)idlen : 0,
	    id ? id : "");
	if (bio_contains(s, len, "<destroy")) {
		for (i = 0; i < r->n; i++)
			bio_printf(&b, "<presence from='%s@%s/%s' to='%s' "
			    "type='unavailable'><x xmlns='" NS_USER "'><item "
			    "affiliation='none' role='none'/><destroy/></x>"
			    "</presence>", r->name, domain, r->o[i].nick,
			    r->o[i].jid);
		room_free(r);
	}
}

/* Remove attribute name from the NUL-terminated start tag in place.
 * Returns 0, or -1 if it is not there. */
static int
strip_attr(char *tag, const char *name)
{
	const char	*v;
	size_t		 vl, nl = strlen(name);
	char		*from;

	if ((v = bio_attr(tag, strlen(tag), name, &vl)) == NULL)
		return -1;
	from = (char *)v - nl - 3;		/* the blank before the name */
	memmove(from, v + vl + 1, strlen(v + vl + 1) + 1);
	return 0;
}

/* The multicast service: answer disco#info, expand or refuse. */
static void
on_multicast(const char *s, size_t len, const char *from, size_t flen)
{
	const char	*id, *as, *ae, *p, *q, *gt;
	size_t		 idlen, name;
	char		 tag[2048];

	id = bio_attr(s, len, "id", &idlen);
	if (s[1] == 'i') {
		if (!bio_contains(s, len, "disco#info") ||
		    (!bio_contains(s, len, "type='get'") &&
		    !bio_contains(s, len, "type=\"get\"")))
			return;
		bio_printf(&b, "<iq type='result' id='%.*s' to='%.*s' from='%s'>"
		    "<query xmlns='http://jabber.org/protocol/disco#info'>"
		    "<identity category='service' type='multicast'/><feature "
		    "var='http://jabber.org/protocol/address'/></query></iq>",
		    id ? (int)idlen : 0, id ? id : "", (int)flen, from, domain);
		return;
	}
	if ((as = memmem(s, len, "<addresses", 10)) == NULL ||
	    (ae = memmem(as, len - (size_t)(as - s), "</addresses>", 12)) ==
	    NULL || (gt = memchr(s, '>', len)) == NULL)
		return;
	ae += 12;
	if (mc_expand-- <= 0) {
		bio_printf(&b, "<%c%s type='error' id='%.*s' to='%.*s' from='%s'>",
		    s[1], s[1] == 'm' ? "essage" : "resence", id ? (int)idlen :
		    0, id ? id : "", (int)flen, from, domain);
		bio_write(&b, as, (size_t)(ae - as));
		bio_printf(&b, "<error type='modify'><not-acceptable xmlns="
		    "'urn:ietf:params:xml:ns:xmpp-stanzas'/></error></%s>",
		    s[1] == 'm' ? "message" : "presence");
		return;
	}
	/* The start tag without its own to='...' and from='...'. */
	if ((size_t)(gt - s) + 1 >= sizeof(tag))
		return;
	memcpy(tag, s, (size_t)(gt - s) + 1);
	tag[(gt - s) + 1] = '\0';
	if (strip_attr(tag, "to") != 0 || strip_attr(tag, "from") != 0)
		return;
	name = 1 + strcspn(tag + 1, " />");
	/* One copy per jid='...' or jid="...": the start tag with the
	 * address as `to`, then the payload without the addresses. */
	for (p = as; (p = memmem(p, (size_t)(ae - p), "jid=", 4)) != NULL;
	    p = q + 1) {
		p += 5;
		if ((q = memchr(p, p[-1], (size_t)(ae - p))) == NULL)
			break;
		bio_write(&b, tag, name);
		bio_printf(&b, " to='%.*s' from='%s'", (int)(q - p), p, domain);
		bio_write(&b, tag + name, strlen(tag + name));
		bio_write(&b, gt + 1, (size_t)(as - gt - 1));
		bio_write(&b, ae, len - (size_t)(ae - s));
	}
}

static void
on_stanza(const char *s, size_t len)
{
	const char	*to, *from, *at, *slash;
	size_t		 tlen, flen, nlen;
	struct room	*r;

	if ((to = bio_attr(s, len, "to", &tlen)) == NULL ||
	    (from = bio_attr(s, len, "from", &flen)) == NULL)
		return;
	if ((at = memchr(to, '@', tlen)) == NULL) {
		if (mc_expand >= 0 && tlen == strlen(domain) &&
		    memcmp(to, domain, tlen) == 0)
			on_multicast(s, len, from, flen);
		else
			bio_refuse_iq(&b, s, len);	/* disco of the domain */
		return;
	}
	slash = memchr(at, '/', tlen - (size_t)(at - to));
	nlen = slash != NULL ? tlen - (size_t)(slash + 1 - to) : 0;
	if ((r = room_find(to, (size_t)(at - to), s[1] == 'p')) == NULL)
		return;
	switch (s[1]) {
	case 'p':
		on_presence(s, len, r, from, flen, slash ? slash + 1 : NULL,
		    nlen);
		break;
	case 'm':
		on_message(s, len, r, from, flen);
		break;
	case 'i':
		on_iq(s, len, r, from, flen);
		break;
	}
}

int
main(int argc, char **argv)
{
	static const struct option	 lo[] = {
		{ "port", 1, NULL, 'p' }, { "domain", 1, NULL, 'd' },
		{ "multicast-refuse", 1, NULL, 'm' }, { NULL, 0, NULL, 0 }
	};
	struct pollfd			 pfd;
	const char			*secret = getenv("BENCH_SECRET"), *s;
	size_t				 len;
	int				 port = 0, c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1)
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'd': domain = optarg; break;
		case 'm': mc_expand = atol(optarg); break;
		default:
			fprintf(stderr, "usage: bench-reflect --port P "
			    "[--domain D]\n");
			return 2;
		}
	if (port <= 0 || secret == NULL) {
		fprintf(stderr, "bench-reflect: --port and BENCH_SECRET "
		    "are needed\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (bio_connect(&b, port, domain, secret) != 0)
		return 1;
	printf("connected\n");
	fflush(stdout);
	pfd.fd = b.fd;
	while (!quit && !b.closed) {
		pfd.events = (bio_pending(&b) < HIGH_WATER ? POLLIN : 0) |
		    (bio_pending(&b) > 0 ? POLLOUT : 0);
		/* Stanzas read while the output was full may be waiting in
		 * the buffer with nothing more to come: handle them whatever
		 * poll says. */
		if (poll(&pfd, 1, 1000) > 0 && (pfd.revents & POLLIN) &&
		    bio_read(&b) < 0)
			break;
		while (bio_pending(&b) < HIGH_WATER && bio_next(&b, &s, &len))
			on_stanza(s, len);
		if (bio_flush(&b) != 0)
			break;
	}
	bio_close(&b);
	return 0;
}
