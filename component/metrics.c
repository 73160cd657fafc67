/*
 * metrics.c - the metrics registry and its loopback HTTP listener.
 *
 * The registry is an append-only array.  The main thread fills an entry and
 * then publishes it by raising the count (release); the listener thread
 * reads the count (acquire) and the entries below it, so it never sees a
 * half-made entry and needs no lock.  Values are written by the main thread
 * alone, so an update is a relaxed load and store, no locked instruction:
 * the fan-out path counts every copy it sends.
 *
 * The listener is a minimal HTTP/1.0 server for one purpose: answer
 * GET /metrics with the OpenMetrics text format and close.  It runs in its
 * own thread with blocking sockets and 2-second timeouts, one request at a
 * time, with every signal blocked (they belong to the main thread, whose
 * xmpp_run_once() they must interrupt).  A slow or stuck scraper delays
 * only other scrapes, never the XMPP loop.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "muc.h"

#define METRICS_MAX	256	/* samples in the registry */
#define REQUEST_MAX	4096	/* bytes of request we read at most */
#define IO_TIMEOUT	2	/* seconds a scraper may take per read/write */

struct metric {
	enum metric_kind	 kind;
	char			*family;
	char			*help;
	char			*labels;	/* NULL: none */
	_Atomic int64_t		 value;
};

static struct metric	 reg[METRICS_MAX];
static _Atomic size_t	 nreg;
static struct timespec	 started;	/* CLOCK_MONOTONIC at metrics_init */

/* The daemon's own samples. */
static struct metric	*m_in_message, *m_in_presence, *m_in_iq, *m_in_other;
static struct metric	*m_out_stanzas, *m_out_copies, *m_out_bytes;
static struct metric	*m_out_batches;
static struct metric	*m_connected, *m_connects, *m_reconnects;
static struct metric	*m_disconnects;

/* The listener. */
static int		 lfd = -1;
static int		 stop_pipe[2] = { -1, -1 };
static pthread_t	 listener;
static int		 listening;

static void		 metrics_stop(void);

struct metric *
metric_find_or_add(enum metric_kind kind, const char *family,
    const char *help, const char *labels)
{
	size_t		 n = atomic_load_explicit(&nreg, memory_order_relaxed);
	size_t		 i;
	struct metric	*m;

	for (i = 0; i < n; i++)
		if (strcmp(reg[i].family, family) == 0 &&
		    (reg[i].labels == NULL ? labels == NULL :
		    labels != NULL && strcmp(reg[i].labels, labels) == 0))
			return &reg[i];
	if (n == METRICS_MAX)
		return NULL;
	m = &reg[n];
	m->kind = kind;
	m->family = strdup(family);
	m->help = strdup(help);
	m->labels = labels != NULL ? strdup(labels) : NULL;
	if (m->family == NULL || m->help == NULL ||
	    (labels != NULL && m->labels == NULL)) {
		free(m->family);
		free(m->help);
		free(m->labels);
		memset(m, 0, sizeof(*m));
		return NULL;
	}
	atomic_init(&m->value, 0);
	atomic_store_explicit(&nreg, n + 1, memory_order_release);
	return m;
}

void
metric_add(struct metric *m, uint64_t n)
{
	if (m == NULL)
		return;
	atomic_store_explicit(&m->value, atomic_load_explicit(&m->value,
	    memory_order_relaxed) + (int64_t)n, memory_order_relaxed);
}

void
metric_set(struct metric *m, int64_t v)
{
	if (m != NULL)
		atomic_store_explicit(&m->value, v, memory_order_relaxed);
}

int64_t
metric_value(const struct metric *m)
{
	return m == NULL ? 0 : atomic_load_explicit(&m->value,
	    memory_order_relaxed);
}

int
metrics_init(void)
{
	static const char	*in_help = "Stanzas received from the host, by "
				    "element name.";
	static const char	*conn_help = "Handshakes with the host that "
				    "succeeded.";

	clock_gettime(CLOCK_MONOTONIC, &started);
	m_in_message = metric_find_or_add(METRIC_COUNTER, "mucd_stanzas_in",
	    in_help, "kind=\"message\"");
	m_in_presence = metric_find_or_add(METRIC_COUNTER, "mucd_stanzas_in",
	    in_help, "kind=\"presence\"");
	m_in_iq = metric_find_or_add(METRIC_COUNTER, "mucd_stanzas_in",
	    in_help, "kind=\"iq\"");
	m_in_other = metric_find_or_add(METRIC_COUNTER, "mucd_stanzas_in",
	    in_help, "kind=\"other\"");
	m_out_stanzas = metric_find_or_add(METRIC_COUNTER, "mucd_stanzas_out",
	    "Stanzas the engine produced (a broadcast counts once).", NULL);
	m_out_copies = metric_find_or_add(METRIC_COUNTER, "mucd_copies_out",
	    "Stanza copies sent to the host, one per recipient.", NULL);
	m_out_bytes = metric_find_or_add(METRIC_COUNTER, "mucd_sent_bytes",
	    "Bytes of stanzas handed to the host connection.", NULL);
	m_out_batches = metric_find_or_add(METRIC_COUNTER,
	    "mucd_multicast_batches", "XEP-0033 stanzas sent to the host's "
	    "multicast service (their copies count in mucd_copies_out).", NULL);
	m_connected = metric_find_or_add(METRIC_GAUGE, "mucd_connected",
	    "1 while the component stream to the host is up, else 0.", NULL);
	m_connects = metric_find_or_add(METRIC_COUNTER, "mucd_connects",
	    conn_help, NULL);
	m_reconnects = metric_find_or_add(METRIC_COUNTER, "mucd_reconnects",
	    "Handshakes after the first one: the stream was lost and "
	    "came back.", NULL);
	m_disconnects = metric_find_or_add(METRIC_COUNTER,
	    "mucd_disconnects", "Times an established stream to the host "
	    "was lost.", NULL);
	return m_disconnects != NULL ? 0 : -1;
}

void
metrics_stanza_in(const char *name)
{
	if (strcmp(name, "message") == 0)
		metric_add(m_in_message, 1);
	else if (strcmp(name, "presence") == 0)
		metric_add(m_in_presence, 1);
	else if (strcmp(name, "iq") == 0)
		metric_add(m_in_iq, 1);
	else
		metric_add(m_in_other, 1);
}

void
metrics_stanzas_out(size_t n)
{
	metric_add(m_out_stanzas, n);
}

void
metrics_copy_out(size_t bytes)
{
	metric_add(m_out_copies, 1);
	metric_add(m_out_bytes, bytes);
}

void
metrics_batch_out(size_t copies, size_t bytes)
{
	metric_add(m_out_batches, 1);
	metric_add(m_out_copies, copies);
	metric_add(m_out_bytes, bytes);
}

void
metrics_connection(int online)
{
	if (online) {
		if (metric_value(m_connects) > 0)
			metric_add(m_reconnects, 1);
		metric_add(m_connects, 1);
	} else if (metric_value(m_connected) != 0)
		metric_add(m_disconnects, 1);
	metric_set(m_connected, online != 0);
}

/* The engine's figures: registered on first use (a family with labels
 * per error condition), then set from each muc_stats() reading. */
void
metrics_engine(const struct muc_stats *st)
{
	static struct metric	*rooms, *occupants, *sessions, *limits;
	static struct metric	*store_tx, *store_us;
	static struct metric	*errors[MUC_STATS_CONDITIONS];
	char			 labels[64];
	size_t			 i;

	if (rooms == NULL) {
		rooms = metric_find_or_add(METRIC_GAUGE, "mucd_rooms_loaded",
		    "Rooms in memory.", NULL);
		occupants = metric_find_or_add(METRIC_GAUGE, "mucd_occupants",
		    "Occupants (nicks) in all rooms.", NULL);
		sessions = metric_find_or_add(METRIC_GAUGE, "mucd_sessions",
		    "Clients in all rooms (an occupant may have several).",
		    NULL);
		limits = metric_find_or_add(METRIC_COUNTER, "mucd_limit_hits",
		    "Stanzas refused by a rate limit.", NULL);
		store_tx = metric_find_or_add(METRIC_COUNTER,
		    "mucd_store_transactions", "Database write transactions.",
		    NULL);
		store_us = metric_find_or_add(METRIC_COUNTER,
		    "mucd_store_microseconds", "Time spent in database write "
		    "transactions, in microseconds.", NULL);
		for (i = 0; i < MUC_STATS_CONDITIONS; i++) {
			snprintf(labels, sizeof(labels), "condition=\"%s\"",
			    muc_stats_condition(i));
			errors[i] = metric_find_or_add(METRIC_COUNTER,
			    "mucd_errors", "Stanza errors sent, by condition.",
			    labels);
		}
	}
	metric_set(rooms, (int64_t)st->rooms_loaded);
	metric_set(occupants, (int64_t)st->occupants);
	metric_set(sessions, (int64_t)st->sessions);
	metric_set(limits, (int64_t)st->limit_hits);
	metric_set(store_tx, (int64_t)st->store_transactions);
	metric_set(store_us, (int64_t)st->store_usec);
	for (i = 0; i < MUC_STATS_CONDITIONS; i++)
		metric_set(errors[i], (int64_t)st->errors[i]);
}

/* Append one family (its header and every sample of it at index i or
 * later) to fp. */
static void
metrics_render_family(FILE *fp, size_t i, size_t n)
{
	const struct metric	*m = &reg[i];
	size_t			 j;

	fprintf(fp, "# TYPE %s %s\n# HELP %s %s\n", m->family,
	    m->kind == METRIC_COUNTER ? "counter" : "gauge", m->family,
	    m->help);
	for (j = i; j < n; j++) {
		if (strcmp(reg[j].family, m->family) != 0)
			continue;
		fprintf(fp, "%s%s%s%s%s %lld\n", m->family,
		    m->kind == METRIC_COUNTER ? "_total" : "",
		    reg[j].labels != NULL ? "{" : "",
		    reg[j].labels != NULL ? reg[j].labels : "",
		    reg[j].labels != NULL ? "}" : "",
		    (long long)atomic_load_explicit(&reg[j].value,
		    memory_order_relaxed));
	}
}

char *
metrics_render(size_t *OUT_len)
{
	size_t		 n = atomic_load_explicit(&nreg, memory_order_acquire);
	size_t		 i, j, len = 0;
	char		*buf = NULL;
	FILE		*fp;
	struct timespec	 now;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(fp, "# TYPE mucd_uptime_seconds gauge\n"
	    "# HELP mucd_uptime_seconds Seconds since mucd started.\n"
	    "mucd_uptime_seconds %lld\n",
	    (long long)(now.tv_sec - started.tv_sec));
	for (i = 0; i < n; i++) {
		/* Each family once, at its first sample. */
		for (j = 0; j < i; j++)
			if (strcmp(reg[j].family, reg[i].family) == 0)
				break;
		if (j == i)
			metrics_render_family(fp, i, n);
	}
	fputs("# EOF\n", fp);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	if (OUT_len != NULL)
		*OUT_len = len;
	return buf;
}

/* Send all of buf, or give up on an error or the timeout. */
static void
metrics_send_all(int fd, const char *buf, size_t len)
{
	ssize_t	w;

	while (len > 0) {
		if ((w = send(fd, buf, len, MSG_NOSIGNAL)) <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		buf += w;
		len -= (size_t)w;
	}
}

/* Answer with status and body (NULL: the status line as body). */
static void
metrics_reply(int fd, const char *status, const char *type,
    const char *body, size_t len)
{
	char	head[256];
	int	hl;

	if (body == NULL) {
		body = status;
		len = strlen(status);
		type = "text/plain; charset=utf-8";
	}
	hl = snprintf(head, sizeof(head), "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, type,
	    len);
	if (hl < 0 || (size_t)hl >= sizeof(head))
		return;
	metrics_send_all(fd, head, (size_t)hl);
	metrics_send_all(fd, body, len);
}

/* Read one request (up to the blank line, REQUEST_MAX bytes at most) and
 * answer it.  Only "GET /metrics" is served. */
static void
metrics_serve(int fd)
{
	char		 req[REQUEST_MAX + 1], *body;
	size_t		 have = 0, len;
	ssize_t		 r;
	struct timeval	 tv = { IO_TIMEOUT, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (have < REQUEST_MAX) {
		if ((r = recv(fd, req + have, REQUEST_MAX - have, 0)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return;		/* closed, timed out, failed */
		}
		have += (size_t)r;
		req[have] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL ||
		    strstr(req, "\n\n") != NULL)
			break;
	}
	req[have] = '\0';
	if (strncmp(req, "GET ", 4) != 0)
		metrics_reply(fd, "405 Method Not Allowed", NULL, NULL, 0);
	else if (strncmp(req + 4, "/metrics", 8) != 0 ||
	    (req[12] != ' ' && req[12] != '?' && req[12] != '\r'))
		metrics_reply(fd, "404 Not Found", NULL, NULL, 0);
	else if ((body = metrics_render(&len)) == NULL)
		metrics_reply(fd, "500 Internal Server Error", NULL, NULL, 0);
	else {
		metrics_reply(fd, "200 OK", "application/openmetrics-text; "
		    "version=1.0.0; charset=utf-8", body, len);
		free(body);
	}
}

/* The listener thread: accept, serve, close, until stop_pipe is
 * written to. */
static void *
metrics_thread(void *arg)
{
	struct pollfd	pfd[2];
	int		fd;

	(void)arg;
	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = stop_pipe[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if ((pfd[0].revents & POLLIN) == 0)
			continue;
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;	/* the client gave up meanwhile */
		metrics_serve(fd);
		close(fd);
	}
	return NULL;
}

/* Parse addr ("1.2.3.4:9105" or "[::1]:9105") into ss.  Returns 0 or -1. */
static int
metrics_parse_addr(const char *addr, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*colon = strrchr(addr, ':');
	char			 host[64];
	size_t			 hl;
	int			 port;

	if (colon == NULL || (port = atoi(colon + 1)) <= 0 || port > 65535)
		return -1;
	hl = (size_t)(colon - addr);
	if (*addr == '[' && hl >= 2) {
		addr++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, addr, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* Start the thread with every signal blocked in it. */
static int
metrics_start_thread(void)
{
	sigset_t	all, old;
	int		rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&listener, NULL, metrics_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int
metrics_listen(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_storage	ss;
	socklen_t		sslen;
	int			on = 1, rc;

	if (metrics_parse_addr(addr, &ss, &sslen) != 0) {
		snprintf(err, errlen, "metrics: bad address %s", addr);
		return -1;
	}
	if ((lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) != 0 ||
	    listen(lfd, 16) != 0) {
		snprintf(err, errlen, "metrics: cannot listen on %s: %s", addr,
		    strerror(errno));
		goto fail;
	}
	if (pipe(stop_pipe) != 0) {
		snprintf(err, errlen, "metrics: pipe: %s", strerror(errno));
		goto fail;
	}
	if ((rc = metrics_start_thread()) != 0) {
		snprintf(err, errlen, "metrics: cannot start the listener: %s",
		    strerror(rc));
		goto fail;
	}
	listening = 1;
	log_event(MUC_LOG_INFO, "metrics", (struct log_field[]){
	    { "listen", addr } }, 1, "serving OpenMetrics on http://%s/metrics",
	    addr);
	return 0;
fail:
	metrics_stop();
	return -1;
}

/* Stop the listener thread and close its descriptors. */
static void
metrics_stop(void)
{
	char	c = 'q';
	int	i;

	if (listening) {
		if (write(stop_pipe[1], &c, 1) != 1)
			log_warn("metrics", "cannot stop the listener");
		else {
			pthread_join(listener, NULL);
			listening = 0;
		}
	}
	for (i = 0; i < 2 && !listening; i++)
		if (stop_pipe[i] >= 0) {
			close(stop_pipe[i]);
			stop_pipe[i] = -1;
		}
	if (lfd >= 0 && !listening) {
		close(lfd);
		lfd = -1;
	}
}

void
metrics_free(void)
{
	size_t	n = atomic_load_explicit(&nreg, memory_order_relaxed), i;

	metrics_stop();
	if (listening)
		return;		/* still reading the registry: leave it */
	for (i = 0; i < n; i++) {
		free(reg[i].family);
		free(reg[i].help);
		free(reg[i].labels);
		memset(&reg[i], 0, sizeof(reg[i]));
	}
	atomic_store_explicit(&nreg, 0, memory_order_relaxed);
	m_in_message = m_in_presence = m_in_iq = m_in_other = NULL;
	m_out_stanzas = m_out_copies = m_out_bytes = m_out_batches = NULL;
	m_connected = m_connects = m_reconnects = m_disconnects = NULL;
}
