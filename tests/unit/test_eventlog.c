/*
 * test_eventlog.c - the engine's info lines: one per event that changes
 * state (room created, configured with the options that changed,
 * destroyed; affiliation and role changes; kicks and bans with actor,
 * target and reason; what an operator changed in the database), and never
 * a message body or a password.
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

static void
engine_eventlog_room_life_is_logged_with_who_and_what(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_logged(f, FX_ROOM ": created by " ROMEO_BARE));
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomname", "Verona",
	    "muc#roomconfig_roomsecret", "s3cr3t",
	    "muc#roomconfig_passwordprotectedroom", "1", (const char *)NULL) ==
	    0);
	EXPECT(fx_logged(f, FX_ROOM ": configured by " ROMEO_BARE
	    ": roomname, passwordprotectedroom, roomsecret"));
	EXPECT(!fx_logged(f, "s3cr3t"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy jid='"
	    "tomb@" FX_DOMAIN "'/></query></iq>") == 2);
	EXPECT(fx_logged(f, FX_ROOM ": destroyed by " ROMEO_BARE
	    ", moved to tomb@" FX_DOMAIN));
}

static void
engine_eventlog_kicks_bans_and_role_changes_name_actor_target_reason(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>secret words</body></message>") == 3);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='v'><query xmlns='" NS_MUC_ADMIN_Q "'><item nick='Juliet' "
	    "role='moderator'><reason>trust</reason></item></query></iq>") >= 1);
	EXPECT(fx_logged(f, FX_ROOM ": Juliet (" JULIET_BARE ") is moderator "
	    "(was participant) by Romeo (" ROMEO "): trust"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='k'><query xmlns='" NS_MUC_ADMIN_Q "'><item nick='Tybalt' "
	    "role='none'><reason>brawl</reason></item></query></iq>") >= 1);
	EXPECT(fx_logged(f, FX_ROOM ": Tybalt (" TYBALT_BARE ") kicked by "
	    "Romeo (" ROMEO "): brawl"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='b'><query xmlns='" NS_MUC_ADMIN_Q "'><item jid='" TYBALT_BARE
	    "' affiliation='outcast'><reason>again</reason></item></query></iq>")
	    >= 1);
	EXPECT(fx_logged(f, FX_ROOM ": " TYBALT_BARE " is outcast (was none) by "
	    "Romeo (" ROMEO "): again"));
	EXPECT(!fx_logged(f, "secret words"));
}

static const struct ut_case cases[] = {
	UT_CASE(engine_eventlog_room_life_is_logged_with_who_and_what),
	UT_CASE(engine_eventlog_kicks_bans_and_role_changes_name_actor_target_reason),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
