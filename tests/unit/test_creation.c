/*
 * test_creation.c - who may create rooms (room_creation_refusal() in
 * lib/room.c, asked by join.c; XEP-0045 10.1.1 leaves it to the service).
 *
 * room_creation = anyone (the default), local (users of local_domains,
 * by default the service's parent domain) or admins; max_rooms_per_user
 * counts the rooms a user created, stored (rooms.creator) or in memory.
 * A refusal is not-allowed, type cancel, with a text, and leaves no
 * room; existing rooms stay open to everyone; service admins are never
 * refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "engine_fixture.h"

#define ADMIN_BARE	"prince@verona.lit"
#define ADMIN		ADMIN_BARE "/palace"
/* A user of the service's parent domain. */
#define FRIAR		"laurence@localhost/cell"

static const char *const admins[] = { ADMIN_BARE };

static struct fx *
fx_policy(int policy, const char *const *local, size_t nlocal,
    unsigned max, const char *path)
{
	struct muc_service_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.admins = admins;
	cfg.nadmins = 1;
	cfg.room_creation = policy;
	cfg.local_domains = local;
	cfg.nlocal_domains = nlocal;
	cfg.max_rooms_per_user = max;
	return fx_new_cfg(&cfg, path);
}

/* from tries to create room; returns the refusal's text, "" when it was
 * refused without one, NULL when the room was created. */
static const char *
try_create(struct fx *f, const char *from, const char *room)
{
	xmpp_stanza_t	*p, *e;

	if (fx_send(f, "<presence from='%s' to='%s@" FX_DOMAIN "/nick'><x "
	    "xmlns='" NS_MUC_X "'/></presence>", from, room) < 0)
		return "(engine failed)";
	p = fx_get(f, from, "presence", 0);
	if (fx_has_status(p, 201))
		return NULL;
	if (fx_attr(p, "type") == NULL || strcmp(fx_attr(p, "type"), "error"))
		return "(neither created nor refused)";
	if (fx_error(p) == NULL || strcmp(fx_error(p), "not-allowed") != 0 ||
	    fx_error_type(p) == NULL || strcmp(fx_error_type(p), "cancel"))
		return "(not not-allowed, cancel)";
	e = fx_child(p, "error", NULL);
	return fx_text(f, e, "text") != NULL ? fx_text(f, e, "text") : "";
}

/* Does room exist for a stranger (its disco#info answers)? */
static int
exists(struct fx *f, const char *room)
{
	if (fx_send(f, "<iq from='" BENVOLIO "' to='%s@" FX_DOMAIN "' "
	    "type='get' id='i'><query xmlns='http://jabber.org/protocol/"
	    "disco#info'/></iq>", room) != 1)
		return -1;
	return fx_error(fx_get(f, BENVOLIO, "iq", 0)) == NULL;
}

/* By default anyone creates rooms. */
static void
engine_creation_anyone_may_create_by_default(void)
{
	struct fx	*f = fx_new();

	EXPECT_NULL(try_create(f, ROMEO, "a"));
	EXPECT_NULL(try_create(f, JULIET, "b"));
	EXPECT_NULL(try_create(f, FRIAR, "c"));
}

/* local: the parent domain's users by default (conference.localhost ->
 * localhost), or the domains configured; others still enter rooms that
 * exist. */
static void
engine_creation_local_means_the_parent_domain_or_those_listed(void)
{
	static const char *const local[] = { "Montague.lit", "verona.lit" };
	struct fx	*f = fx_policy(MUC_CREATE_LOCAL, NULL, 0, 0, NULL);

	EXPECT_STR(try_create(f, ROMEO, "a"),
	    "Room creation is restricted to local users");
	EXPECT_INT(exists(f, "a"), 0);
	EXPECT_NULL(try_create(f, FRIAR, "b"));
	EXPECT(fx_config(f, FRIAR, "b", (const char *)NULL) == 0);
	EXPECT(fx_join(f, ROMEO, "b", "Romeo") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 1), "role"),
	    "participant");
	f = fx_policy(MUC_CREATE_LOCAL, local, 2, 0, NULL);
	EXPECT_NULL(try_create(f, ROMEO, "a"));
	EXPECT_STR(try_create(f, JULIET, "b"),
	    "Room creation is restricted to local users");
	EXPECT_STR(try_create(f, FRIAR, "c"),
	    "Room creation is restricted to local users");
	/* A user of a subdomain is not a user of the domain. */
	EXPECT_STR(try_create(f, "mercutio@x.montague.lit/r", "d"),
	    "Room creation is restricted to local users");
}

/* admins: only the service's admins create rooms. */
static void
engine_creation_admins_only_refuses_everyone_else(void)
{
	struct fx	*f = fx_policy(MUC_CREATE_ADMINS, NULL, 0, 0, NULL);

	EXPECT_STR(try_create(f, ROMEO, "a"),
	    "Room creation is restricted to administrators");
	EXPECT_STR(try_create(f, FRIAR, "a"),
	    "Room creation is restricted to administrators");
	EXPECT_INT(exists(f, "a"), 0);
	EXPECT(fx_logged(f, "creation refused to romeo@montague.lit"));
	EXPECT_NULL(try_create(f, ADMIN, "a"));
	EXPECT(fx_config(f, ADMIN, "a", (const char *)NULL) == 0);
	EXPECT(fx_join(f, ROMEO, "a", "Romeo") == 0);
}

/* max_rooms_per_user counts what the user created, temporary rooms and
 * stored ones (across an engine reopen too); destroying one frees a
 * place; admins have no limit. */
static void
engine_creation_max_rooms_per_user_counts_the_users_rooms(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_policy(MUC_CREATE_ANYONE, NULL, 0, 2, path), *g;
	int		 i;
	char		 name[16];

	EXPECT(fx_create(f, ROMEO, "one", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "one", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_create(f, ROMEO, "two", "Romeo") == 0);
	EXPECT_STR(try_create(f, ROMEO, "three"),
	    "You have created as many rooms as this service allows");
	EXPECT_NULL(try_create(f, JULIET, "three"));
	/* The temporary room goes when Romeo leaves it: a place is free. */
	EXPECT(fx_leave(f, ROMEO, "two") == 0);
	EXPECT_NULL(try_create(f, ROMEO, "four"));
	EXPECT(fx_leave(f, ROMEO, "four") == 0);
	EXPECT(fx_leave(f, ROMEO, "one") == 0);
	/* The stored room is his after a restart as well. */
	g = fx_policy(MUC_CREATE_ANYONE, NULL, 0, 1, path);
	EXPECT_STR(try_create(g, ROMEO, "five"),
	    "You have created as many rooms as this service allows");
	EXPECT(fx_join(g, ROMEO, "one", "Romeo") == 0);
	EXPECT(fx_send(g, "<iq from='" ROMEO "' to='one@" FX_DOMAIN "' "
	    "type='set' id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/>"
	    "</query></iq>") > 0);
	EXPECT_NULL(try_create(g, ROMEO, "five"));
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "royal%d", i);
		EXPECT_NULL(try_create(g, ADMIN, name));
	}
}

/* rooms.creator of room in the database at path, "" when NULL. */
static const char *
creator_of(const char *path, const char *room, char *buf, size_t len)
{
	sqlite3		*db;
	sqlite3_stmt	*s;

	buf[0] = '\0';
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return buf;
	if (sqlite3_prepare_v2(db, "SELECT creator FROM rooms WHERE name = ?",
	    -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_bind_text(s, 1, room, -1, SQLITE_STATIC) ==
		    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_text(s, 0) != NULL)
			snprintf(buf, len, "%s",
			    (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return buf;
}

/* The creator is written with the room's row, and an operator's row
 * (no creator) counts for nobody. */
static void
engine_creation_creator_is_stored_with_the_room(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_policy(MUC_CREATE_ANYONE, NULL, 0, 1, path);
	sqlite3		*db;
	char		 who[64];

	EXPECT(fx_create(f, ROMEO, "one", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "one", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_STR(creator_of(path, "one", who, sizeof(who)), ROMEO_BARE);
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	EXPECT(sqlite3_exec(db, "INSERT INTO rooms (name) VALUES ('ops')",
	    NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	EXPECT_NULL(try_create(f, JULIET, "two"));
	/* Loaded again, made temporary (still counted: it is in memory)
	 * and persistent again, it is still Romeo's. */
	EXPECT(fx_leave(f, ROMEO, "one") == 0);
	EXPECT(fx_join(f, ROMEO, "one", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "one", "muc#roomconfig_persistentroom",
	    "0", (const char *)NULL) == 0);
	EXPECT_STR(try_create(f, ROMEO, "three"),
	    "You have created as many rooms as this service allows");
	EXPECT(fx_config(f, ROMEO, "one", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_STR(creator_of(path, "one", who, sizeof(who)), ROMEO_BARE);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_creation_anyone_may_create_by_default),
	UT_CASE(engine_creation_local_means_the_parent_domain_or_those_listed),
	UT_CASE(engine_creation_admins_only_refuses_everyone_else),
	UT_CASE(engine_creation_max_rooms_per_user_counts_the_users_rooms),
	UT_CASE(engine_creation_creator_is_stored_with_the_room),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
