/*
 * log.c - logging to stderr, in the shape of OpenBSD ntpd's log.c.
 *
 * Lines below the configured level are dropped.  mucd runs in the
 * foreground and leaves rotation and persistence to whoever holds its
 * stderr (systemd's journal, a pipe, a file).  One event is one line, in
 * one of two formats:
 *
 *   text	2025-01-31 12:00:00 info conn: connected to 127.0.0.1:5347 ...
 *		local time, level, area tag, message.
 *   json	{"time":"2025-01-31T11:00:00.123Z","level":"info","area":"conn",
 *		 "message":"connected to ...","host":"127.0.0.1",...}
 *		one object per line for log shippers: UTC time with
 *		milliseconds, then the event's fields (log_event) as strings.
 *
 * Under systemd (JOURNAL_STREAM names our stderr, see systemd.exec(5)) each
 * line starts with the sd-daemon(3) priority prefix "<N>" (7 debug, 6 info,
 * 4 warn, 3 error), which journald turns into the entry's PRIORITY and
 * strips, so `journalctl -p warning -u mucd` works; text lines then drop
 * their timestamp, which the journal records anyway.  JSON keeps "time".
 *
 * The engine logs through log_engine and libstrophe through log_strophe, so
 * all three share the level and the format.  Nothing here knows the
 * component secret; callers never pass it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum muc_log_level	log_level = MUC_LOG_INFO;
static enum log_format		log_fmt = LOG_TEXT;
static int			log_journal;	/* stderr is the journal */
static int			log_strophe_demoted;

/* sd-daemon(3) priorities, by level. */
static const char *const log_prio[] = {
	[MUC_LOG_DEBUG] = "<7>",
	[MUC_LOG_INFO] = "<6>",
	[MUC_LOG_WARN] = "<4>",
	[MUC_LOG_ERROR] = "<3>",
};

static const char *const log_names[] = {
	[MUC_LOG_DEBUG] = "debug",
	[MUC_LOG_INFO] = "info",
	[MUC_LOG_WARN] = "warn",
	[MUC_LOG_ERROR] = "error",
};

/* Is stderr the journal?  systemd sets JOURNAL_STREAM to "DEV:INODE" of
 * the stream it connected; a child that inherited the variable but writes
 * elsewhere (a pipe, a file) must not take it for the journal. */
static int
log_journal_check(void)
{
	const char		*v = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 sb;

	if (v == NULL || sscanf(v, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(fileno(stderr), &sb) != 0)
		return 0;
	return (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino;
}

void
log_init(enum muc_log_level level, enum log_format format)
{
	log_level = level;
	log_fmt = format;
	log_journal = log_journal_check();
	/* Lines must not sit in a buffer when the daemon is killed. */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

int
log_to_journal(void)
{
	return log_journal;
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

/* Write s as the inside of a JSON string: quotes, backslashes and control
 * characters escaped; bytes that are not UTF-8 become U+FFFD, so that a
 * shipper's parser never rejects the line. */
static void
log_json_string(FILE *fp, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;

	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fputc('\\', fp);
			fputc(*p++, fp);
			continue;
		}
		if (*p < 0x20) {
			fprintf(fp, "\\u%04x", *p++);
			continue;
		}
		if (*p < 0x80) {
			fputc(*p++, fp);
			continue;
		}
		/* A lead byte and its continuation bytes, or U+FFFD. */
		n = (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 && *p <= 0xf4 ? 4 : 0;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				break;
		if (n == 0 || i < n) {
			fputs("\xef\xbf\xbd", fp);
			p++;
			continue;
		}
		fwrite(p, 1, n, fp);
		p += n;
	}
}

/* The line's timestamp: local time for text, UTC with milliseconds
 * (RFC 3339) for JSON.  Empty if the clock cannot be read. */
static void
log_stamp(char *buf, size_t len)
{
	struct timespec	ts;
	struct tm	tm;
	size_t		n;

	buf[0] = '\0';
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return;
	if (log_fmt == LOG_TEXT) {
		if (localtime_r(&ts.tv_sec, &tm) == NULL ||
		    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			buf[0] = '\0';
		return;
	}
	if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    (n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) == 0)
		buf[0] = '\0';
	else
		snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* One JSON line.  The message is formatted first (into msg, or into a
 * heap buffer when it is longer: stanza dumps at debug are). */
static void
log_write_json(enum muc_log_level level, const char *area,
    const char *errtext, const struct log_field *fields, size_t nfields,
    const char *fmt, va_list ap)
{
	char	stamp[40], small[512], *msg = small;
	int	len;
	size_t	i;
	va_list	aq;

	va_copy(aq, ap);
	if ((len = vsnprintf(small, sizeof(small), fmt, ap)) < 0)
		small[0] = '\0';
	else if ((size_t)len >= sizeof(small)) {
		/* Without memory the line is truncated rather than lost. */
		if ((msg = malloc((size_t)len + 1)) != NULL)
			vsnprintf(msg, (size_t)len + 1, fmt, aq);
		else
			msg = small;
	}
	va_end(aq);
	log_stamp(stamp, sizeof(stamp));

	fprintf(stderr, "%s{\"time\":\"%s\",\"level\":\"%s\",\"area\":\"",
	    log_journal ? log_prio[level] : "", stamp, log_level_name(level));
	log_json_string(stderr, area);
	fputs("\",\"message\":\"", stderr);
	log_json_string(stderr, msg);
	if (errtext != NULL) {
		fputs(": ", stderr);
		log_json_string(stderr, errtext);
		fputs("\",\"error\":\"", stderr);
		log_json_string(stderr, errtext);
	}
	fputc('"', stderr);
	for (i = 0; i < nfields; i++) {
		fputs(",\"", stderr);
		log_json_string(stderr, fields[i].key);
		fputs("\":\"", stderr);
		log_json_string(stderr, fields[i].value != NULL ?
		    fields[i].value : "");
		fputc('"', stderr);
	}
	fputs("}\n", stderr);
	if (msg != small)
		free(msg);
}

/* Write one line: prefix, message, then ": errtext" if errtext is given.
 * The stream is locked so that lines never interleave. */
static void
log_write_fields(enum muc_log_level level, const char *area,
    const char *errtext, const struct log_field *fields, size_t nfields,
    const char *fmt, va_list ap)
{
	char	stamp[40];

	if (level < log_level)
		return;
	if ((unsigned)level >= sizeof(log_prio) / sizeof(log_prio[0]))
		level = MUC_LOG_ERROR;
	if (area == NULL)
		area = "mucd";
	flockfile(stderr);
	if (log_fmt == LOG_JSON)
		log_write_json(level, area, errtext, fields, nfields, fmt, ap);
	else {
		if (log_journal)
			fputs(log_prio[level], stderr);
		else {
			log_stamp(stamp, sizeof(stamp));
			fprintf(stderr, "%s ", stamp);
		}
		fprintf(stderr, "%s %s: ", log_level_name(level), area);
		vfprintf(stderr, fmt, ap);
		if (errtext != NULL)
			fprintf(stderr, ": %s", errtext);
		fputc('\n', stderr);
	}
	funlockfile(stderr);
}

static void
log_write(enum muc_log_level level, const char *area, const char *errtext,
    const char *fmt, va_list ap)
{
	log_write_fields(level, area, errtext, NULL, 0, fmt, ap);
}

void
log_event(enum muc_log_level level, const char *area,
    const struct log_field *fields, size_t nfields, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_write_fields(level, area, NULL, fields, nfields, fmt, ap);
	va_end(ap);
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
