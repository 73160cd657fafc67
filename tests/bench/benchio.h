/*
 * benchio.h - a bare XEP-0114 component connection for the benchmarks.
 *
 * The load generator (bench_load.c) and the routing-ceiling reflector
 * (bench_reflect.c) must cost the host and the machine as little as
 * possible, so they do not build stanza trees: bytes go out as written,
 * and incoming bytes are only split into top-level stanzas by a scanner
 * that tracks element depth (enough for what Prosody and ejabberd send:
 * no comments, no CDATA, no DTD inside a stream).  Attributes are read
 * straight from a stanza's start tag.  Sockets are non-blocking after the
 * handshake; output is buffered until bio_flush().
 */
#ifndef BENCHIO_H
#define BENCHIO_H

#include <stddef.h>
#include <stdint.h>

struct bio {
	int	 fd;
	char	*in;		/* received, not yet consumed */
	size_t	 inlen, incap;
	size_t	 scan;		/* where the scanner goes on */
	size_t	 start;		/* start of the stanza being scanned */
	int	 depth;		/* 0 before the stream header, 1 between stanzas */
	int	 closed;	/* the peer ended the stream or the socket */
	char	*out;		/* queued, not yet written */
	size_t	 outlen, outcap, outoff;
	uint64_t nread;		/* bytes received since the handshake */
};

/* Connect to 127.0.0.1:port, open a component stream to domain and do the
 * handshake with secret.  Returns 0, or -1 with the reason on stderr. */
int	bio_connect(struct bio *b, int port, const char *domain,
	    const char *secret);
void	bio_close(struct bio *b);

/* Read what the socket has (non-blocking).  Returns the number of bytes
 * read, 0 when nothing was there, -1 on EOF or error (b->closed set). */
long	bio_read(struct bio *b);
/* The next complete top-level stanza received, as *OUT (not NUL
 * terminated) and its length: valid until the next bio_read().  Returns
 * 1, or 0 when no complete stanza is buffered. */
int	bio_next(struct bio *b, const char **OUT, size_t *len);

/* Queue bytes for the peer.  Returns 0, or -1 when out of memory. */
int	bio_write(struct bio *b, const char *data, size_t len);
int	bio_printf(struct bio *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Write what is queued, as far as the socket takes it.  Returns 0, or -1
 * when the connection failed. */
int	bio_flush(struct bio *b);
/* Bytes still queued. */
size_t	bio_pending(const struct bio *b);

/* The value of attribute name in the start tag of stanza s (len bytes),
 * not unescaped, with its length in *vlen; NULL when absent. */
const char *bio_attr(const char *s, size_t len, const char *name,
	    size_t *vlen);
/* Answer the iq get or set s (len bytes) with a service-unavailable
 * error, as an entity that offers nothing does (XMPP core: every get and
 * set gets an answer).  Returns 1 if s was such an iq, else 0. */
int	bio_refuse_iq(struct bio *b, const char *s, size_t len);
/* Does the stanza s contain text? */
int	bio_contains(const char *s, size_t len, const char *text);

/* Monotonic nanoseconds. */
uint64_t bio_now(void);
/* CPU time (user + system) of process pid in microseconds, or -1. */
long long bio_cpu_us(int pid);
/* Resident memory of process pid in KiB (VmRSS), or -1. */
long	bio_rss_kib(int pid);
/* Bytes process pid has sent on its established TCP connections (from
 * ss -tinp), or -1. */
long long bio_sent_bytes(int pid);

#endif /* BENCHIO_H */
