/*
 * test_stats.c - lib/stats.c: muc_stats() gives the gauges as the rooms
 * are now and counts errors by condition and the store's transactions.
 */
#include <string.h>

#include "engine_fixture.h"

static size_t
condition(const char *name)
{
	size_t	i;

	for (i = 0; i < MUC_STATS_CONDITIONS; i++)
		if (muc_stats_condition(i) != NULL &&
		    strcmp(muc_stats_condition(i), name) == 0)
			return i;
	return MUC_STATS_CONDITIONS;
}

static void
engine_stats_follow_rooms_occupants_sessions_errors_and_the_store(void)
{
	struct fx		*f = fx_new();
	struct muc_stats	 st;
	size_t			 na = condition("not-acceptable");

	EXPECT(na < MUC_STATS_CONDITIONS);
	muc_stats(f->svc, &st);
	EXPECT_INT(st.rooms_loaded, 0);
	EXPECT_INT(st.occupants, 0);
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_join(f, JULIET "2", "room", "Juliet") == 0);	/* 2nd client */
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	muc_stats(f->svc, &st);
	EXPECT_INT(st.rooms_loaded, 1);
	EXPECT_INT(st.occupants, 2);
	EXPECT_INT(st.sessions, 3);
	EXPECT(st.store_transactions >= 1);
	EXPECT_INT(st.errors[na], 0);
	EXPECT(fx_send(f, "<message from='" TYBALT "' to='" FX_ROOM "' "
	    "type='groupchat'><body>x</body></message>") == 1);
	EXPECT(fx_send(f, "<message from='" TYBALT "' to='" FX_ROOM "' "
	    "type='groupchat'><body>x</body></message>") == 1);
	muc_stats(f->svc, &st);
	EXPECT_INT(st.errors[na], 2);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	muc_stats(f->svc, &st);
	EXPECT_INT(st.occupants, 1);
	EXPECT_INT(st.sessions, 1);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_stats_follow_rooms_occupants_sessions_errors_and_the_store),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
