/*
 * log.h - the daemon's one log sink: stderr, one line per event.
 *
 * Every line carries a level and an area tag ("conn", "config", "join", ...).
 * The same sink receives the engine's lines (through log_engine) and
 * libstrophe's own (through log_strophe), so an operator reads one stream.
 * Two formats (text for people, JSON for log shippers) and, under systemd,
 * the journal's priority prefixes; see log.c for the exact shapes.
 */
#ifndef MUCD_LOG_H
#define MUCD_LOG_H

#include <stdarg.h>
#include <stddef.h>

#include <strophe.h>

#include "muc.h"

enum log_format {
	LOG_TEXT,	/* "2025-01-31 12:00:00 info conn: connected to ..." */
	LOG_JSON,	/* {"time":"...","level":"info","area":"conn",...} */
};

/* One extra name/value pair of an event, for log_event().  Text lines
 * leave fields out (the message says it); JSON lines add them as string
 * members. */
struct log_field {
	const char	*key;
	const char	*value;
};

/* Start logging at level in format.  Looks at JOURNAL_STREAM once: when
 * stderr is the journal, lines get a "<N>" priority prefix and text lines
 * lose their timestamp (the journal stamps each line itself). */
void	log_init(enum muc_log_level level, enum log_format format);
void	log_setlevel(enum muc_log_level level);
enum muc_log_level log_getlevel(void);
/* The name of a level as written in the config ("debug", ...). */
const char *log_level_name(enum muc_log_level level);
/* 1 when lines go to the journal (JOURNAL_STREAM names stderr). */
int	log_to_journal(void);

/* log_warn appends strerror(errno); log_warnx does not. */
void	log_warn(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_warnx(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_info(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_debug(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* One event with fields: nfields entries of fields (may be 0). */
void	log_event(enum muc_log_level level, const char *area,
	    const struct log_field *fields, size_t nfields, const char *fmt,
	    ...) __attribute__((format(printf, 5, 6)));
void	log_vlog(enum muc_log_level level, const char *area, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));
/* Log at error level and exit 1.  For startup only: later failures are
 * logged and survived. */
void	fatal(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(const char *area, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* The logger handed to the engine (muc_service_new, store_open). */
extern const struct muc_logger log_engine;
/* The logger handed to libstrophe (xmpp_ctx_new). */
extern const xmpp_log_t log_strophe;
/* While on, libstrophe's lines are demoted to debug: conn.c sets it around
 * the priming connection, whose failure is expected. */
void	log_strophe_quiet(int on);

#endif /* MUCD_LOG_H */
