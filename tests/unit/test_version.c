/*
 * test_version.c - the service's software version (lib/version.c,
 * XEP-0092), listed in the service's disco#info.
 */
#include <string.h>

#include "engine_fixture.h"

#define NS_VER	"jabber:iq:version"

/* Name "mucd", the version the daemon passed, and no operating system
 * (XEP-0092 5); without a version passed, "unknown" (it is REQUIRED). */
static void
engine_version_names_mucd_and_the_version_but_no_os(void)
{
	struct muc_service_config	 cfg;
	struct fx			*f, *g;
	xmpp_stanza_t			*iq, *q;

	memset(&cfg, 0, sizeof(cfg));
	cfg.version = "9.8.7";
	f = fx_new_cfg(&cfg, NULL);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='v'><query xmlns='" NS_VER "'/></iq>") == 1);
	iq = fx_get(f, ROMEO, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "id"), "v");
	EXPECT_STR(fx_attr(iq, "from"), FX_DOMAIN);
	EXPECT((q = fx_child(iq, "query", NS_VER)) != NULL);
	EXPECT_STR(fx_text(f, q, "name"), "mucd");
	EXPECT_STR(fx_text(f, q, "version"), "9.8.7");
	EXPECT(fx_child(q, "os", NULL) == NULL);
	g = fx_new();
	EXPECT(fx_send(g, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='v'><query xmlns='" NS_VER "'/></iq>") == 1);
	q = fx_child(fx_get(g, ROMEO, "iq", 0), "query", NS_VER);
	EXPECT_STR(fx_text(g, q, "version"), "unknown");
}

/* A set is refused; a result to the service is no question; a version
 * query to a room is not the service's (service-unavailable, as any
 * namespace a room does not serve). */
static void
engine_version_set_is_refused_and_rooms_do_not_answer(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='set' "
	    "id='v'><query xmlns='" NS_VER "'/></iq>") == 1);
	e = fx_get(f, ROMEO, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "bad-request");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' "
	    "type='result' id='v'><query xmlns='" NS_VER "'/></iq>") == 0);
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='v'><query xmlns='" NS_VER "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "service-unavailable");
}

/* The service lists the version, unique names (XEP-0307) and, since
 * every room has them, occupant-ids (XEP-0421 4), beside ping. */
static void
engine_version_service_info_lists_version_unique_and_occupant_id(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *c;
	int		 found = 0;

	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='d'><query xmlns='http://jabber.org/protocol/disco#info'/>"
	    "</iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query",
	    "http://jabber.org/protocol/disco#info");
	for (c = q != NULL ? xmpp_stanza_get_children(q) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c)) {
		const char *var = fx_attr(c, "var");

		if (var == NULL)
			continue;
		found |= strcmp(var, NS_VER) == 0 ? 1 :
		    strcmp(var, "http://jabber.org/protocol/muc#unique") == 0 ?
		    2 : strcmp(var, "urn:xmpp:occupant-id:0") == 0 ? 4 :
		    strcmp(var, "urn:xmpp:ping") == 0 ? 8 : 0;
	}
	EXPECT_INT(found, 15);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_version_names_mucd_and_the_version_but_no_os),
	UT_CASE(engine_version_set_is_refused_and_rooms_do_not_answer),
	UT_CASE(engine_version_service_info_lists_version_unique_and_occupant_id),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
