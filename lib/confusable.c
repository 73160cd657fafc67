/*
 * confusable.c - case-folded confusables skeletons with ICU (confusable.h).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ucasemap.h>
#include <unicode/uclean.h>
#include <unicode/uspoof.h>

#include "confusable.h"
#include "muc.h"

struct confusable {
	USpoofChecker	*spoof;
	UCaseMap	*fold;
};

int
confusable_new(struct confusable **out)
{
	struct confusable	*c;
	UErrorCode		 st = U_ZERO_ERROR;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MUC_ENOMEM;
	c->spoof = uspoof_open(&st);
	if (U_SUCCESS(st))
		c->fold = ucasemap_open("", U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st)) {
		confusable_free(c);
		return MUC_ENOMEM;
	}
	*out = c;
	return MUC_OK;
}

void
confusable_free(struct confusable *c)
{
	if (c == NULL)
		return;
	if (c->spoof != NULL)
		uspoof_close(c->spoof);
	if (c->fold != NULL)
		ucasemap_close(c->fold);
	free(c);
	/* ICU keeps its data and caches for the process; mucd has one
	 * checker per service, so this is where they can go (the next
	 * confusable_new() loads them again). */
	u_cleanup();
}

/* Run f into a malloc'd buffer, growing it once to the size ICU asks. */
static char *
icu_utf8(struct confusable *c, const char *in, int skeleton)
{
	UErrorCode	 st;
	int32_t		 cap = (int32_t)strlen(in) * 3 + 16, n;
	char		*buf;
	int		 tries;

	for (tries = 0; tries < 2; tries++) {
		if ((buf = malloc((size_t)cap + 1)) == NULL)
			return NULL;
		st = U_ZERO_ERROR;
		n = skeleton ?
		    uspoof_getSkeletonUTF8(c->spoof, 0, in, -1, buf, cap, &st) :
		    ucasemap_utf8FoldCase(c->fold, buf, cap, in, -1, &st);
		if (U_SUCCESS(st) && n <= cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		if (st != U_BUFFER_OVERFLOW_ERROR)
			return NULL;
		cap = n;
	}
	return NULL;
}

/* f(g(nick)): fold then skeleton, or skeleton then fold. */
static char *
compose(struct confusable *c, const char *nick, int skeleton_first)
{
	char	*mid, *out;

	if ((mid = icu_utf8(c, nick, skeleton_first)) == NULL)
		return NULL;
	out = icu_utf8(c, mid, !skeleton_first);
	free(mid);
	return out;
}

int
confusable_keys(struct confusable *c, const char *nick, char *key[2])
{
	key[0] = compose(c, nick, 0);
	key[1] = key[0] != NULL ? compose(c, nick, 1) : NULL;
	if (key[1] == NULL) {
		free(key[0]);
		key[0] = NULL;
		return -1;
	}
	return 0;
}
