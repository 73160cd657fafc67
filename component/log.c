/*
 * log.c - logging to stderr, in the shape of OpenBSD ntpd's log.c.
 *
 * A line reads "2025-01-31 12:00:00 info conn: connected to ...": local
 * time, level, area tag, message.  Lines below the configured level are
 * dropped.  mucd runs in the foreground and leaves timestamps, rotation and
 * persistence to whoever holds its stderr (systemd's journal, a pipe, a
 * file).  The engine logs through log_engine and libstrophe through
 * log_strophe, so all three share the level and the format.  Nothing here
 * knows the component secret; callers never pass it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum muc_log_level	log_level = MUC_LOG_INFO;
static int			log_strophe_demoted;

static const char *const log_names[] = {
	[MUC_LOG_DEBUG] = "debug",
	[MUC_LOG_INFO] = "info",
	[MUC_LOG_WARN] = "warn",
	[MUC_LOG_ERROR] = "error",
};

void
log_init(enum muc_log_level level)
{
	log_level = level;
	/* Lines must not sit in a buffer when the daemon is killed. */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void
log_setlevel(enum muc_log_level level)
{
	log_level = level;
}

enum muc_log_level
log_getlevel(void)
{
	return log_level;
}

const char *
log_level_name(enum muc_log_level level)
{
	if ((unsigned)level >= sizeof(log_names) / sizeof(log_names[0]))
		return "?";
	return log_names[level];
}

/* Write one line: prefix, message, then ": errtext" if errtext is given.
 * The stream is locked so that lines never interleave. */
static void
log_write(enum muc_log_level level, const char *area, const char *errtext,
    const char *fmt, va_list ap)
{
	char		stamp[32];
	time_t		now = time(NULL);
	struct tm	tm;

	if (level < log_level)
		return;
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		stamp[0] = '\0';
	flockfile(stderr);
	fprintf(stderr, "%s %s %s: ", stamp, log_level_name(level),
	    area != NULL ? area : "mucd");
	vfprintf(stderr, fmt, ap);
	if (errtext != NULL)
		fprintf(stderr, ": %s", errtext);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
log_vlog(enum muc_log_level level, const char *area, const char *fmt,
    va_list ap)
{
	log_write(level, area, NULL, fmt, ap);
}

void
log_warn(const char *area, const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_write(MUC_LOG_WARN, area, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *area, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write(MUC_LOG_WARN, area, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *area, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write(MUC_LOG_INFO, area, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *area, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write(MUC_LOG_DEBUG, area, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *area, const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_write(MUC_LOG_ERROR, area, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *area, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write(MUC_LOG_ERROR, area, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

/* The engine's sink: the engine already picked level and area. */
static void
log_engine_fn(void *ud, enum muc_log_level level, const char *area,
    const char *fmt, va_list ap)
{
	(void)ud;
	log_write(level, area, NULL, fmt, ap);
}

const struct muc_logger log_engine = { log_engine_fn, NULL };

/* A wrapper that lets log_write take libstrophe's finished message. */
static void
log_strophe_line(enum muc_log_level level, const char *area, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
log_strophe_line(enum muc_log_level level, const char *area, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write(level, area, NULL, fmt, ap);
	va_end(ap);
}

/* libstrophe's sink.  Its areas ("conn", "xmpp", "sock", ...) are prefixed
 * with "strophe/" so they cannot be mistaken for mucd's own.  At debug it
 * logs every byte sent and received, stanza bodies included: that is what
 * debug is for, and the secret itself never crosses the wire (XEP-0114
 * sends a SHA-1 digest). */
static void
log_strophe_fn(void *ud, xmpp_log_level_t xlevel, const char *area,
    const char *msg)
{
	enum muc_log_level	level;
	char			tag[32];

	(void)ud;
	switch (xlevel) {
	case XMPP_LEVEL_ERROR: level = MUC_LOG_ERROR; break;
	case XMPP_LEVEL_WARN: level = MUC_LOG_WARN; break;
	case XMPP_LEVEL_INFO: level = MUC_LOG_INFO; break;
	default: level = MUC_LOG_DEBUG; break;
	}
	/* libstrophe's info is chatty (every connect step); keep it at
	 * debug, and demote everything while the priming connection runs. */
	if (level == MUC_LOG_INFO || log_strophe_demoted)
		level = MUC_LOG_DEBUG;
	snprintf(tag, sizeof(tag), "strophe/%s", area != NULL ? area : "?");
	log_strophe_line(level, tag, "%s", msg);
}

const xmpp_log_t log_strophe = { log_strophe_fn, NULL };

void
log_strophe_quiet(int on)
{
	log_strophe_demoted = on;
}
