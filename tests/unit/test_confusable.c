/*
 * test_confusable.c - lib/confusable.c: case-folded UTS #39 skeletons
 * make look-alike nicks equal and keep different ones apart.
 */
#include <stdlib.h>
#include <string.h>

#include "confusable.h"
#include "muc.h"
#include "unit.h"

static void
close_checker(void *arg)
{
	confusable_free(arg);
}

/* Does a key of a equal a key of b?  -1 when ICU failed. */
static int
same(struct confusable *c, const char *a, const char *b)
{
	char	*ka[2], *kb[2];
	int	 r = 0, i, k;

	if (confusable_keys(c, a, ka) != 0)
		return -1;
	if (confusable_keys(c, b, kb) != 0) {
		free(ka[0]);
		free(ka[1]);
		return -1;
	}
	for (i = 0; i < 2; i++)
		for (k = 0; k < 2; k++)
			r |= strcmp(ka[i], kb[k]) == 0;
	for (i = 0; i < 2; i++) {
		free(ka[i]);
		free(kb[i]);
	}
	return r;
}

static void
engine_confusable_lookalikes_share_a_skeleton_and_others_do_not(void)
{
	struct confusable	*c;

	EXPECT_INT(confusable_new(&c), MUC_OK);
	ut_defer(close_checker, c);
	EXPECT_INT(same(c, "Romeo", "romeo"), 1);
	EXPECT_INT(same(c, "Romeo", "ROMEO"), 1);
	EXPECT_INT(same(c, "Romeo", "R\xd0\xbemeo"), 1);	/* Cyrillic о */
	EXPECT_INT(same(c, "Alice", "AIice"), 1);		/* l and I */
	EXPECT_INT(same(c, "Iago", "iago"), 1);
	EXPECT_INT(same(c, "Romeo", "Juliet"), 0);
	EXPECT_INT(same(c, "Romeo", "Romea"), 0);
	EXPECT_INT(same(c, "\xe7\x94\xb0\xe4\xb8\xad", "\xe7\x94\xb0\xe4\xb8\xad"),
	    1);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_confusable_lookalikes_share_a_skeleton_and_others_do_not),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
