/*
 * stamp.h - XEP-0082 date and time: the one format mucd writes and reads.
 *
 * Delays on history and subjects (XEP-0203), the joiner's history `since`,
 * and every other timestamp the engine puts on the wire or reads from it
 * go through these two functions.
 */
#ifndef STAMP_H
#define STAMP_H

#include <time.h>

#define STAMP_LEN	32	/* "2023-11-14T22:13:20Z" and its NUL, with room */

/* Write t as an XEP-0082 DateTime in UTC ("%Y-%m-%dT%H:%M:%SZ"). */
void	stamp_format(time_t t, char buf[STAMP_LEN]);
/* Parse the DateTime forms clients send (fractions of a second, 'Z' or
 * a +hh:mm / -hh:mm offset).  Returns the time, or -1 if s is not one. */
time_t	stamp_parse(const char *s);

#endif /* STAMP_H */
