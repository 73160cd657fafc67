/*
 * test_service.c - the engine's entry point and what the service itself
 * answers (lib/service.c): addressing, service admins, and the shutdown
 * notice (XEP-0045 11.2, status 332).  Service discovery (lib/disco.c)
 * is in test_disco.c, iqs to occupants and self-ping in test_proxy.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Stanzas the host would never send, or that are not for us, get no
 * answer at all. */
static void
engine_service_drops_stanzas_without_addresses_or_of_other_kinds(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_send(f, "<message to='" FX_ROOM "'><body>x</body></message>")
	    == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "'><body>x</body></message>")
	    == 0);
	EXPECT(fx_send(f, "<handshake from='" ROMEO "' to='" FX_ROOM "'/>") ==
	    0);
	EXPECT(fx_send(f, "<message from='not a jid@' to='" FX_ROOM "'>"
	    "<body>x</body></message>") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='result' "
	    "id='r'/>") == 0);
}

/* A stanza for another domain, or a message to the service itself, is
 * refused. */
static void
engine_service_refuses_other_domains_and_messages_to_itself(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_send(f, "<message from='" ROMEO "' to='room@elsewhere.lit'>"
	    "<body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, NULL, 0)), "jid-malformed");
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_DOMAIN "'>"
	    "<body>x</body></message>") == 1);
	e = fx_get(f, ROMEO, NULL, 0);
	EXPECT_STR(fx_error(e), "service-unavailable");
	EXPECT_STR(fx_error_by(e), FX_DOMAIN);	/* every error says who */
	EXPECT_STR(fx_attr(e, "from"), FX_DOMAIN);
}

/* Service admins rank as owners in every room; an admin JID that is not
 * a JID stops the service from starting. */
static void
engine_service_admins_are_owners_of_every_room(void)
{
	static const char *const admins[] = { "Benvolio@Montague.lit" };
	static const char *const bad[] = { "@nowhere" };
	struct fx			*f = fx_new_with(admins, 1, NULL);
	struct muc_service_config	 cfg;
	struct muc_service		*svc = (struct muc_service *)&cfg;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, BENVOLIO, "room", "Ben") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 1),
	    "affiliation"), "owner");
	EXPECT(fx_config(f, BENVOLIO, "room", "muc#roomconfig_roomname",
	    "Mine", (const char *)NULL) == 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = FX_DOMAIN;
	cfg.admins = bad;
	cfg.nadmins = 1;
	EXPECT_INT(muc_service_new(f->ctx, &cfg, f->st, NULL, &svc),
	    MUC_EINVAL);
	EXPECT(svc == NULL);
}

/* 11.2: on shutdown, when the service is set to tell them (rather than
 * keep them, test_snapshot.c), every occupant gets one unavailable
 * presence, its own, with 332 (and 110), and nobody gets anyone else's. */
static void
engine_service_shutdown_sends_each_occupant_one_presence_with_332(void)
{
	struct muc_service_config cfg = { .shutdown_notice = 1 };
	struct fx	*f = fx_new_cfg(&cfg, NULL);
	xmpp_stanza_t	*p;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	static const char *const from[] = {
		OCC("Romeo"), OCC("Juliet"), "hall@" FX_DOMAIN "/Nurse"
	};
	size_t		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_create(f, NURSE, "hall", "Nurse") == 0);
	EXPECT_INT(fx_shutdown(f), 3);
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], NULL), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "from"), from[i]);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT(fx_has_status(p, 332));
		EXPECT(fx_has_status(p, 110));
		EXPECT_STR(fx_item_attr(p, "role"), "none");
	}
}

static const struct ut_case cases[] = {
	UT_CASE(engine_service_drops_stanzas_without_addresses_or_of_other_kinds),
	UT_CASE(engine_service_refuses_other_domains_and_messages_to_itself),
	UT_CASE(engine_service_admins_are_owners_of_every_room),
	UT_CASE(engine_service_shutdown_sends_each_occupant_one_presence_with_332),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
