/*
 * test_unique.c - unique room names (lib/unique.c, XEP-0307).
 */
#include <string.h>

#include "engine_fixture.h"

#define NS_UNIQ	"http://jabber.org/protocol/muc#unique"

/* Ask for a name; returns it (the fixture's copy) or NULL. */
static const char *
ask(struct fx *f)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='u'><unique xmlns='" NS_UNIQ "'/></iq>") != 1)
		return NULL;
	iq = fx_get(f, ROMEO, "iq", 0);
	if (fx_attr(iq, "type") == NULL ||
	    strcmp(fx_attr(iq, "type"), "result") != 0)
		return NULL;
	return fx_text(f, iq, "unique");
}

/* XEP-0307 2: a name of 24 lower-case base32 characters, another one
 * each time, which no room has; the room is not created by asking, and
 * the asker can create it by joining. */
static void
engine_unique_answers_a_fresh_name_a_room_can_take(void)
{
	struct fx	*f = fx_new();
	char		 seen[64][32], room[96];
	const char	*n;
	size_t		 i, j;

	for (i = 0; i < 64; i++) {
		EXPECT((n = ask(f)) != NULL);
		EXPECT_INT(strlen(n), 24);
		EXPECT_INT(strspn(n, "abcdefghijklmnopqrstuvwxyz234567"), 24);
		for (j = 0; j < i; j++)
			EXPECT(strcmp(seen[j], n) != 0);
		strcpy(seen[i], n);
	}
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='i'><query xmlns='http://jabber.org/protocol/disco#items'/>"
	    "</iq>") == 1);
	EXPECT(fx_child(fx_child(fx_get(f, ROMEO, "iq", 0), "query", NULL),
	    "item", NULL) == NULL);
	strcpy(room, seen[0]);
	EXPECT(fx_create(f, ROMEO, room, "Romeo") == 0);
}

/* Anything but a get is refused. */
static void
engine_unique_set_is_bad_request(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='set' "
	    "id='u'><unique xmlns='" NS_UNIQ "'/></iq>") == 1);
	e = fx_get(f, ROMEO, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "bad-request");
	EXPECT_STR(fx_error_type(e), "cancel");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_unique_answers_a_fresh_name_a_room_can_take),
	UT_CASE(engine_unique_set_is_bad_request),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
