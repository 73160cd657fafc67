/*
 * benchio.c - the bare component connection of the benchmarks (benchio.h).
 *
 * The scanner finds stanza boundaries by counting start and end tags at
 * stream level; a tag is only taken once its closing '>' (outside quoted
 * attribute values) has arrived, so scanning resumes at that '<' after
 * the next read.  Everything before the current stanza is dropped from
 * the buffer when more room is needed.
 */
#define _GNU_SOURCE		/* memmem */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <strophe.h>

#include "benchio.h"

#define READ_CHUNK	(256 * 1024)
#define HANDSHAKE_MS	10000

uint64_t
bio_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The end of the tag that starts at s[0] == '<': the index of its '>'
 * (outside quotes), or 0 when it has not fully arrived. */
static size_t
tag_end(const char *s, size_t len)
{
	size_t	i;
	char	q = 0;

	for (i = 1; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return i;
	}
	return 0;
}

int
bio_next(struct bio *b, const char **OUT, size_t *len)
{
	const char	*lt;
	size_t		 p, e;
	char		 c;

	while (b->scan < b->inlen) {
		lt = memchr(b->in + b->scan, '<', b->inlen - b->scan);
		if (lt == NULL) {
			b->scan = b->inlen;
			break;
		}
		p = (size_t)(lt - b->in);
		if ((e = tag_end(lt, b->inlen - p)) == 0) {
			b->scan = p;	/* the rest of the tag is to come */
			return 0;
		}
		e += p;
		b->scan = e + 1;
		c = b->in[p + 1];
		if (c == '?' || c == '!')
			continue;	/* the XML declaration */
		if (c == '/') {
			if (--b->depth == 1) {
				*OUT = b->in + b->start;
				*len = e + 1 - b->start;
				return 1;
			}
			if (b->depth <= 0)
				b->closed = 1;	/* </stream:stream> */
			continue;
		}
		if (b->depth == 0) {		/* the stream header */
			b->depth = 1;
			b->start = p;
			*OUT = b->in + p;
			*len = e + 1 - p;
			return 1;
		}
		if (b->depth == 1)
			b->start = p;
		if (b->in[e - 1] != '/')
			b->depth++;
		else if (b->depth == 1) {
			*OUT = b->in + p;
			*len = e + 1 - p;
			return 1;
		}
	}
	return 0;
}

/* Make room for READ_CHUNK more bytes, dropping what was consumed. */
static int
bio_make_room(struct bio *b)
{
	size_t	keep = b->depth > 1 ? b->start : b->scan;
	char	*n;

	if (keep > 0 && b->inlen + READ_CHUNK > b->incap) {
		memmove(b->in, b->in + keep, b->inlen - keep);
		b->inlen -= keep;
		b->scan -= keep;
		b->start = b->start >= keep ? b->start - keep : 0;
	}
	if (b->inlen + READ_CHUNK > b->incap) {
		if ((n = realloc(b->in, b->inlen + READ_CHUNK * 2)) == NULL)
			return -1;
		b->in = n;
		b->incap = b->inlen + READ_CHUNK * 2;
	}
	return 0;
}

long
bio_read(struct bio *b)
{
	ssize_t	n;

	if (b->closed)
		return -1;
	if (bio_make_room(b) != 0) {
		fprintf(stderr, "bench: out of memory\n");
		b->closed = 1;
		return -1;
	}
	n = read(b->fd, b->in + b->inlen, b->incap - b->inlen);
	if (n > 0) {
		b->inlen += (size_t)n;
		b->nread += (uint64_t)n;
		return n;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	b->closed = 1;
	return -1;
}

int
bio_write(struct bio *b, const char *data, size_t len)
{
	size_t	cap;
	char	*n;

	if (b->outoff > 0 && b->outoff == b->outlen)
		b->outoff = b->outlen = 0;
	if (b->outlen + len > b->outcap) {
		if (b->outoff > 0) {
			memmove(b->out, b->out + b->outoff,
			    b->outlen - b->outoff);
			b->outlen -= b->outoff;
			b->outoff = 0;
		}
		for (cap = b->outcap ? b->outcap : 65536; cap < b->outlen + len;)
			cap *= 2;
		if (cap > b->outcap) {
			if ((n = realloc(b->out, cap)) == NULL)
				return -1;
			b->out = n;
			b->outcap = cap;
		}
	}
	memcpy(b->out + b->outlen, data, len);
	b->outlen += len;
	return 0;
}

int
bio_printf(struct bio *b, const char *fmt, ...)
{
	char	buf[4096];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	return bio_write(b, buf, (size_t)n);
}

int
bio_flush(struct bio *b)
{
	ssize_t	n;

	while (b->outoff < b->outlen) {
		n = write(b->fd, b->out + b->outoff, b->outlen - b->outoff);
		if (n > 0)
			b->outoff += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && errno == EAGAIN)
			return 0;
		else {
			b->closed = 1;
			return -1;
		}
	}
	b->outoff = b->outlen = 0;
	return 0;
}

size_t
bio_pending(const struct bio *b)
{
	return b->outlen - b->outoff;
}

const char *
bio_attr(const char *s, size_t len, const char *name, size_t *vlen)
{
	size_t		 e = tag_end(s, len), nl = strlen(name), i;
	const char	*v, *q;

	if (e == 0)
		e = len;
	for (i = 1; i + nl + 2 < e; i++) {
		if ((s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ||
		    memcmp(s + i + 1, name, nl) != 0 || s[i + 1 + nl] != '=')
			continue;
		v = s + i + nl + 2;
		if (*v != '\'' && *v != '"')
			continue;
		if ((q = memchr(v + 1, *v, (size_t)(s + e - v - 1))) == NULL)
			return NULL;
		*vlen = (size_t)(q - v - 1);
		return v + 1;
	}
	return NULL;
}

int
bio_refuse_iq(struct bio *b, const char *s, size_t len)
{
	const char	*type, *id, *from, *to;
	size_t		 tl, il, fl, ol;

	if (len < 4 || memcmp(s, "<iq", 3) != 0 ||
	    (type = bio_attr(s, len, "type", &tl)) == NULL ||
	    !((tl == 3 && memcmp(type, "get", 3) == 0) ||
	    (tl == 3 && memcmp(type, "set", 3) == 0)) ||
	    (from = bio_attr(s, len, "from", &fl)) == NULL ||
	    (to = bio_attr(s, len, "to", &ol)) == NULL)
		return 0;
	id = bio_attr(s, len, "id", &il);
	bio_printf(b, "<iq type='error' id='%.*s' to='%.*s' from='%.*s'>"
	    "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:"
	    "xml:ns:xmpp-stanzas'/></error></iq>", id ? (int)il : 0,
	    id ? id : "", (int)fl, from, (int)ol, to);
	return 1;
}

int
bio_contains(const char *s, size_t len, const char *text)
{
	return memmem(s, len, text, strlen(text)) != NULL;
}

/* Wait for input until a complete stanza is buffered; for the
 * handshake, which is the only blocking part. */
static int
bio_wait_stanza(struct bio *b, const char **s, size_t *len)
{
	struct pollfd	pfd = { .fd = b->fd, .events = POLLIN };
	uint64_t	deadline = bio_now() + HANDSHAKE_MS * 1000000ULL;

	while (!bio_next(b, s, len)) {
		if (bio_now() > deadline || poll(&pfd, 1, 100) < 0 ||
		    bio_read(b) < 0)
			return -1;
	}
	return 0;
}

/* Send everything queued, blocking. */
static int
bio_flush_all(struct bio *b)
{
	struct pollfd	pfd = { .fd = b->fd, .events = POLLOUT };

	while (bio_pending(b) > 0)
		if (bio_flush(b) != 0 || poll(&pfd, 1, 1000) < 0)
			return -1;
	return 0;
}

/* The handshake of XEP-0114: the stream id from the host's header, then
 * SHA-1(id + secret) in hex. */
static int
bio_handshake(struct bio *b, const char *domain, const char *secret)
{
	const char	*s, *id;
	size_t		 len, idlen, i;
	unsigned char	 digest[20];
	char		 buf[512], hex[41];

	bio_printf(b, "<?xml version='1.0'?><stream:stream "
	    "xmlns='jabber:component:accept' "
	    "xmlns:stream='http://etherx.jabber.org/streams' to='%s'>", domain);
	if (bio_flush_all(b) != 0 || bio_wait_stanza(b, &s, &len) != 0 ||
	    (id = bio_attr(s, len, "id", &idlen)) == NULL ||
	    idlen + strlen(secret) >= sizeof(buf)) {
		fprintf(stderr, "bench: %s: no stream header from the host\n",
		    domain);
		return -1;
	}
	memcpy(buf, id, idlen);
	strcpy(buf + idlen, secret);
	xmpp_sha1_digest((const unsigned char *)buf, strlen(buf), digest);
	for (i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	bio_printf(b, "<handshake>%s</handshake>", hex);
	if (bio_flush_all(b) != 0 || bio_wait_stanza(b, &s, &len) != 0 ||
	    len < 10 || memcmp(s, "<handshake", 10) != 0) {
		fprintf(stderr, "bench: %s: the host refused the handshake\n",
		    domain);
		return -1;
	}
	b->nread = 0;
	return 0;
}

int
bio_connect(struct bio *b, int port, const char *domain, const char *secret)
{
	struct sockaddr_in	sin;
	int			one = 1;

	memset(b, 0, sizeof(*b));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((b->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(b->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "bench: %s: connect to port %d: %s\n", domain,
		    port, strerror(errno));
		return -1;
	}
	/* A benchmark of latency must not wait for Nagle. */
	setsockopt(b->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_NONBLOCK);
	return bio_handshake(b, domain, secret);
}

void
bio_close(struct bio *b)
{
	if (b->fd >= 0) {
		bio_write(b, "</stream:stream>", 16);
		bio_flush(b);
		close(b->fd);
	}
	free(b->in);
	free(b->out);
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

long long
bio_cpu_us(int pid)
{
	char		 path[64], buf[1024], *p;
	unsigned long	 ut, st;
	FILE		*fp;
	size_t		 n;
	int		 i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* Fields after "(comm) ": state is field 3, utime 14, stime 15. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	p += 2;
	for (i = 3; i < 14 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (long long)(ut + st) * 1000000LL / sysconf(_SC_CLK_TCK);
}

long
bio_rss_kib(int pid)
{
	char	path[64], line[128];
	long	v = -1;
	FILE	*fp;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "VmRSS: %ld", &v) == 1)
			break;
	fclose(fp);
	return v;
}

/* ss(8) prints each socket on one line and its TCP_INFO, bytes_sent
 * among it, on the next; write counters in /proc/PID/io do not see
 * send(2), which libstrophe uses. */
long long
bio_sent_bytes(int pid)
{
	char		 line[4096], want[32];
	const char	*p;
	long long	 sum = -1, v;
	int		 mine = 0;
	FILE		*fp;

	if ((fp = popen("ss -tinpH state established 2>/dev/null", "r")) ==
	    NULL)
		return -1;
	snprintf(want, sizeof(want), "pid=%d,", pid);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] != ' ' && line[0] != '\t') {
			mine = strstr(line, want) != NULL;
			continue;
		}
		if (mine && (p = strstr(line, "bytes_sent:")) != NULL &&
		    sscanf(p, "bytes_sent:%lld", &v) == 1)
			sum = (sum < 0 ? 0 : sum) + v;
	}
	pclose(fp);
	return sum;
}
