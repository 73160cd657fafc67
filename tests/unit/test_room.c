/*
 * test_room.c - the state module's rules of lib/room.c: when a room lives
 * in memory and when it goes (service_release), destroyed rooms that stay
 * valid until the stanza is done (room_retire), and configuration and
 * subject written through to the store.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"
#include "room.h"
#include "store.h"

static struct room *
loaded(struct fx *f, const char *name)
{
	return hmap_get(&f->svc->rooms, name);
}

/* An empty temporary room is freed once the stanza that emptied it is
 * done; an empty persistent room without history leaves memory and comes
 * back from the store, and so does one whose history is in its archive;
 * one with history that does not archive stays (its history is memory
 * only). */
static void
engine_room_release_frees_what_nothing_holds(void)
{
	struct fx	*f = fx_new();
	struct room	*room;

	EXPECT(fx_create(f, ROMEO, "temp", "Romeo") == 0);
	EXPECT(loaded(f, "temp") != NULL);
	EXPECT(fx_leave(f, ROMEO, "temp") == 0);
	EXPECT(loaded(f, "temp") == NULL);
	EXPECT_INT(room_get(f->svc, "temp", 0, &room), MUC_OK);
	EXPECT(room == NULL);

	EXPECT(fx_create(f, ROMEO, "kept", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "kept", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_leave(f, ROMEO, "kept") == 0);
	EXPECT(loaded(f, "kept") == NULL);	/* unloaded, still stored */
	EXPECT_INT(room_get(f->svc, "kept", 0, &room), MUC_OK);
	EXPECT(room != NULL);
	service_release(f->svc, "kept");
	EXPECT(loaded(f, "kept") == NULL);

	EXPECT(fx_join(f, ROMEO, "kept", "Romeo") == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='kept@"
	    FX_DOMAIN "' type='groupchat'><body>hi</body></message>") == 1);
	EXPECT(fx_leave(f, ROMEO, "kept") == 0);
	EXPECT(loaded(f, "kept") == NULL);	/* its history is archived */

	EXPECT(fx_join(f, ROMEO, "kept", "Romeo") == 0);
	EXPECT(fx_count(f, ROMEO, "message") == 2);	/* history, subject */
	EXPECT(fx_config(f, ROMEO, "kept", "muc#roomconfig_enablearchiving",
	    "0", (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='kept@"
	    FX_DOMAIN "' type='groupchat'><body>hi</body></message>") == 1);
	EXPECT(fx_leave(f, ROMEO, "kept") == 0);
	EXPECT(loaded(f, "kept") != NULL);	/* it holds history */
}

/* A retired room is out of the service at once (no lookup finds it, the
 * name is free for a new room) but its memory lives until release. */
static void
engine_room_retired_room_is_gone_from_lookups_but_valid_until_release(void)
{
	struct fx	*f = fx_new();
	struct room	*room, *again;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT((room = loaded(f, "room")) != NULL);
	EXPECT(room->id != 0);
	EXPECT_INT(room_retire(room, 1), MUC_OK);
	EXPECT_INT(room->retired, 1);
	EXPECT_INT(room->noccupants, 0);
	EXPECT_STR(room->jid, FX_ROOM);		/* still readable */
	EXPECT(loaded(f, "room") == NULL);
	EXPECT_INT(room_get(f->svc, "room", 0, &again), MUC_OK);
	EXPECT(again == NULL);			/* and gone from the store */
	EXPECT(f->svc->retired == room);
	service_release(f->svc, NULL);
	EXPECT(f->svc->retired == NULL);
}

/* Configuration and subject are written through for a stored room. */
static void
engine_room_config_and_subject_are_written_through(void)
{
	struct fx		*f = fx_new();
	struct room		*room;
	struct room_config	 cfg;
	char			*subj = NULL, *nick = NULL;
	int64_t			 id = 0, when = 0;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT((room = loaded(f, "room")) != NULL);
	EXPECT_INT(room_set_subject(room, "Roses", "Romeo", 42, 1), MUC_OK);
	EXPECT_INT(roomconfig_copy(&cfg, &room->cfg), 0);
	EXPECT_INT(roomconfig_set_str(&cfg.title, "Orchard"), 0);
	EXPECT_INT(room_swap_config(room, &cfg, 1), MUC_OK);
	roomconfig_free(&cfg);
	EXPECT_STR(room->cfg.title, "Orchard");
	EXPECT_INT(roomconfig_init(&cfg), 0);
	EXPECT_INT(store_room_load(f->st, "room", &id, &cfg, &subj, &nick,
	    &when), MUC_OK);
	EXPECT(id == room->id);
	EXPECT_STR(cfg.title, "Orchard");
	EXPECT_STR(subj, "Roses");
	EXPECT_STR(nick, "Romeo");
	EXPECT_INT(when, 42);
	roomconfig_free(&cfg);
	free(subj);
	free(nick);
}

/* Turning persistence off removes the room's row; on again, the room
 * enters the store with its subject and affiliations. */
static void
engine_room_persistence_off_and_on_moves_the_room_out_and_in(void)
{
	struct fx	*f = fx_new();
	struct room	*room;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT((room = loaded(f, "room")) != NULL);
	EXPECT(room->id != 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "0", (const char *)NULL) == 0);
	EXPECT(room->id == 0);
	EXPECT_INT(room_set_subject(room, "Thorns", "Romeo", 7, 1), MUC_OK);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(room->id != 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	EXPECT(loaded(f, "room") == NULL);
	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT((room = loaded(f, "room")) != NULL);
	EXPECT_STR(room->subject, "Thorns");
	EXPECT_INT(affiliation_of(room, ROMEO_BARE), AFF_OWNER);
}

/* An empty persistent room with more than 1,000 affiliations stays in
 * memory: loading it again would prepare every JID, for every stanza. */
static void
engine_room_big_persistent_room_stays_loaded_when_empty(void)
{
	struct fx	*f = fx_new();
	char		*items, *p;
	int		 i;

	EXPECT(fx_create(f, ROMEO, "big", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "big", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT((items = p = malloc(1001 * 80)) != NULL);
	for (i = 0; i < 1001; i++)
		p += sprintf(p, "<item affiliation='member' jid='m%d@verona."
		    "lit'/>", i);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='big@" FX_DOMAIN "' type="
	    "'set' id='m'><query xmlns='" NS_MUC_ADMIN_Q "'>%s</query></iq>",
	    items) >= 1);
	free(items);
	EXPECT(fx_leave(f, ROMEO, "big") == 0);
	EXPECT(loaded(f, "big") != NULL);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_room_release_frees_what_nothing_holds),
	UT_CASE(engine_room_retired_room_is_gone_from_lookups_but_valid_until_release),
	UT_CASE(engine_room_config_and_subject_are_written_through),
	UT_CASE(engine_room_persistence_off_and_on_moves_the_room_out_and_in),
	UT_CASE(engine_room_big_persistent_room_stays_loaded_when_empty),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
