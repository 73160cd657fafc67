/*
 * log.c - the engine's one way to log: through the sink the daemon gave it.
 *
 * lib/ never prints.  A NULL logger (or one without a function) drops the
 * line, which is what unit tests that do not care want.
 */
#include "muc.h"

void
muc_log(const struct muc_logger *lg, enum muc_log_level level,
    const char *area, const char *fmt, ...)
{
	va_list	ap;

	if (lg == NULL || lg->fn == NULL)
		return;
	va_start(ap, fmt);
	lg->fn(lg->ud, level, area, fmt, ap);
	va_end(ap);
}
