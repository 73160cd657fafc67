/*
 * metrics.h - counters and gauges, served in the OpenMetrics text format.
 *
 * A small registry: each metric is one sample (a family name, optional
 * labels, a value).  Only the main thread registers metrics and changes
 * their values; the HTTP listener (--metrics ADDR:PORT) runs in a thread of
 * its own and only reads them, so a scrape never waits for the XMPP loop
 * and the loop never waits for a scrape.  Values are relaxed atomics: a
 * scrape sees each value as it was at some moment, not all of them at one
 * moment, which is what counters need.
 *
 * The daemon's own counters (stanzas in by kind, out, copies, bytes,
 * connection) have helpers below.  Engine gauges are meant to come once a
 * second from dispatch_tick() through metric_find_or_add() + metric_set().
 */
#ifndef MUCD_METRICS_H
#define MUCD_METRICS_H

#include <stddef.h>
#include <stdint.h>

enum metric_kind {
	METRIC_COUNTER,		/* only goes up; rendered as NAME_total */
	METRIC_GAUGE,		/* any value */
};

struct metric;

/* Register the daemon's own metrics and note the start time.  Call once,
 * before anything else here.  Returns 0, or -1 without memory. */
int		 metrics_init(void);
/* Stop the listener (if any) and free the registry; every struct metric
 * pointer is invalid afterwards. */
void		 metrics_free(void);

/* The sample of family with labels (like `kind="message"`, or NULL),
 * registered if new.  family and help are copied.  All samples of one
 * family must have the same kind and help.  Main thread only.  Returns
 * NULL without memory or when the registry is full (METRICS_MAX). */
struct metric	*metric_find_or_add(enum metric_kind kind, const char *family,
		    const char *help, const char *labels);
/* Add n to a counter, set a gauge.  m may be NULL (nothing happens), so
 * a failed registration costs nothing later.  Main thread only. */
void		 metric_add(struct metric *m, uint64_t n);
void		 metric_set(struct metric *m, int64_t v);
/* The current value (tests). */
int64_t		 metric_value(const struct metric *m);

/* The daemon's counters, one call at each place that sees the event. */
void		 metrics_stanza_in(const char *name);	/* element name */
void		 metrics_stanzas_out(size_t n);		/* outbox entries */
void		 metrics_copy_out(size_t bytes);	/* one copy sent */
/* One XEP-0033 stanza of bytes carrying copies to as many recipients. */
void		 metrics_batch_out(size_t copies, size_t bytes);
void		 metrics_connection(int online);	/* handshake or loss */

/* The engine's figures, once a second from dispatch_tick(). */
struct muc_stats;
void		 metrics_engine(const struct muc_stats *st);

/* Render the registry as OpenMetrics text ending in "# EOF\n".  Returns a
 * malloc'd NUL-terminated string the caller frees (length in *OUT_len), or
 * NULL without memory.  Safe from any thread. */
char		*metrics_render(size_t *OUT_len);

/* Listen on addr ("127.0.0.1:9105", "[::1]:9105"; numeric, as config.c
 * checked it) and serve GET /metrics from a thread of its own.  Returns 0,
 * or -1 with the reason in err (the address cannot be bound). */
int		 metrics_listen(const char *addr, char *err, size_t errlen);

#endif /* MUCD_METRICS_H */
