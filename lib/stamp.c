/*
 * stamp.c - XEP-0082 DateTime, written and parsed (stamp.h).
 */
#define _XOPEN_SOURCE 700	/* strptime */
#define _DEFAULT_SOURCE		/* timegm */
#include <stdio.h>
#include <string.h>

#include "stamp.h"

void
stamp_format(time_t t, char buf[STAMP_LEN])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, STAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00Z");
}

time_t
stamp_parse(const char *s)
{
	struct tm	 tm;
	const char	*p;
	int		 off = 0, sign, hh, mm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2 ||
		    strlen(p + 1) != 5)
			return -1;
		off = sign * (hh * 3600 + mm * 60);
	} else if (strcmp(p, "Z") != 0)
		return -1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	return t - off;
}
