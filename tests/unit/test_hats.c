/*
 * test_hats.c - XEP-0317 hats (lib/hats.c, the commands in
 * lib/hats_cmd.c): the room's commands for its owners, admins and the
 * service's admins; hats created, assigned and shown in the wearer's
 * presence, re-sent when they change, never taken from a client; the
 * tables of hats and wearers; refusals; and hats kept in the database
 * across a reload of the room, gone with the room.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "engine_fixture.h"

#define NS_CMD		"http://jabber.org/protocol/commands"
#define NS_ITEMS	"http://jabber.org/protocol/disco#items"
#define NS_HATS_X	"urn:xmpp:hats:0"
#define HATS_NODE(c)	"urn:xmpp:hats:commands:" c
#define ADMIN		"prince@verona.lit/palace"
#define ADMIN_BARE	"prince@verona.lit"
#define NURSE_URI	"urn:example:hats:nurse"

/* from runs hat command node on the room, with the submitted fields
 * (NULL: none, just execute); returns the copies sent. */
static int
hcmd(struct fx *f, const char *from, const char *node, const char *fields)
{
	return fx_command(f, from, FX_ROOM, node, "action='execute'", fields);
}

/* The <hat/> of presence p (the first), or NULL. */
static xmpp_stanza_t *
hat_of(xmpp_stanza_t *p)
{
	return fx_child(fx_child(p, "hats", NS_HATS_X), "hat", NULL);
}

/* Romeo's room (persistent with persist) with Juliet in it, and the
 * Nurse hat (hue 120) given to Juliet.  Returns 0 or fails the case. */
static int
nurse_hat(struct fx *f, int persist)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    (persist && fx_config(f, ROMEO, "room",
	    "muc#roomconfig_persistentroom", "1", (const char *)NULL) != 0) ||
	    fx_join(f, JULIET, "room", "Juliet") != 0)
		return -1;
	if (hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Nurse</value></field><field var='hats#uri'><value>"
	    NURSE_URI "</value></field><field var='hats#hue'><value>120"
	    "</value></field>") != 3 || fx_command_result(f, ROMEO) == NULL)
		return -1;
	if (hcmd(f, ROMEO, HATS_NODE("assign"), "<field var='hats#jid'>"
	    "<value>" JULIET_BARE "</value></field><field var='hats#uri'>"
	    "<value>" NURSE_URI "</value></field>") != 3 ||
	    fx_command_result(f, ROMEO) == NULL)
		return -1;
	return 0;
}

static void
engine_hats_commands_are_for_owners_admins_and_service_admins(void)
{
	static const char *const admins[] = { ADMIN_BARE };
	struct fx	*f = fx_new_with(admins, 1, NULL);
	xmpp_stanza_t	*q;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_ITEMS "' node='" NS_CMD "'/></iq>") ==
	    1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_ITEMS);
	EXPECT_INT(fx_nchildren(q, "item"), 6);
	EXPECT_STR(fx_attr(fx_child(q, "item", NULL), "jid"), FX_ROOM);
	EXPECT_STR(fx_attr(fx_child(q, "item", NULL), "node"),
	    HATS_NODE("create"));
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_ITEMS "' node='" NS_CMD "'/></iq>") ==
	    1);
	q = fx_child(fx_get(f, ADMIN, "iq", 0), "query", NS_ITEMS);
	EXPECT_INT(fx_nchildren(q, "item"), 6);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='l'><query xmlns='" NS_ITEMS "' node='" NS_CMD "'/></iq>") ==
	    1);
	q = fx_child(fx_get(f, JULIET, "iq", 0), "query", NS_ITEMS);
	EXPECT(q != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	EXPECT(hcmd(f, JULIET, HATS_NODE("list"), NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "forbidden");
	/* An admin of the room may; the form of create has the spec's
	 * fields. */
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "admin", NULL) == 0);
	EXPECT(hcmd(f, JULIET, HATS_NODE("create"), NULL) == 1);
	EXPECT_STR(fx_attr(fx_command_result(f, JULIET), "status"), "executing");
	q = fx_child(fx_command_result(f, JULIET), "x", NS_XDATA);
	EXPECT_STR(fx_field_value(f, q, "FORM_TYPE"), "urn:xmpp:hats:commands");
	EXPECT(fx_field(q, "hats#title") != NULL);
	EXPECT(fx_field(q, "hats#uri") != NULL);
	EXPECT(fx_field(q, "hats#hue") != NULL);
	/* The service's commands are not the room's. */
	EXPECT(hcmd(f, ADMIN, "urn:mucd:admin:list-rooms", NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "item-not-found");
}

static void
engine_hats_assigned_are_shown_in_presence_and_resent_on_change(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *h;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Nurse</value></field><field var='hats#uri'><value>"
	    NURSE_URI "</value></field><field var='hats#hue'><value>120"
	    "</value></field>") == 3);
	EXPECT_STR(fx_attr(fx_command_result(f, ROMEO), "status"), "completed");
	EXPECT(fx_has_status(fx_get(f, JULIET, "message", 0), 104));
	EXPECT(hcmd(f, ROMEO, HATS_NODE("assign"), "<field var='hats#jid'>"
	    "<value>" JULIET_BARE "</value></field><field var='hats#uri'>"
	    "<value>" NURSE_URI "</value></field>") == 3);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), FX_ROOM "/Juliet");
	h = hat_of(p);
	EXPECT_STR(fx_attr(h, "uri"), NURSE_URI);
	EXPECT_STR(fx_attr(h, "title"), "Nurse");
	EXPECT_STR(fx_attr(h, "hue"), "120");
	EXPECT(hat_of(fx_get(f, JULIET, "presence", 0)) != NULL);
	/* A newcomer sees it; a status change keeps it. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(hat_of(fx_get(f, NURSE, "presence", 1)) != NULL);
	/* Romeo wears none. */
	EXPECT(hat_of(fx_get(f, NURSE, "presence", 0)) == NULL);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM
	    "/Juliet'><show>away</show></presence>") == 3);
	EXPECT(hat_of(fx_get(f, NURSE, "presence", 0)) != NULL);
	/* Renamed: the wearer's presence again. */
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Old Nurse</value></field><field var='hats#uri'><value>"
	    NURSE_URI "</value></field>") == 7);
	EXPECT_STR(fx_attr(hat_of(fx_get(f, NURSE, "presence", 0)), "title"),
	    "Old Nurse");
	EXPECT(fx_attr(hat_of(fx_get(f, NURSE, "presence", 0)), "hue") == NULL);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("unassign"), "<field var='hats#jid'>"
	    "<value>" JULIET_BARE "</value></field><field var='hats#uri'>"
	    "<value>" NURSE_URI "</value></field>") == 4);
	EXPECT(fx_get(f, NURSE, "presence", 0) != NULL);
	EXPECT(hat_of(fx_get(f, NURSE, "presence", 0)) == NULL);
	EXPECT_STR(fx_text(f, fx_command_result(f, ROMEO), "note"), JULIET_BARE
	    " no longer wears Old Nurse");
}

static void
engine_hats_from_a_client_are_never_relayed(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM
	    "/Juliet'><hats xmlns='" NS_HATS_X "'><hat uri='urn:x:queen' "
	    "title='Queen'/></hats></presence>") == 2);
	EXPECT(fx_child(fx_get(f, ROMEO, "presence", 0), "hats", NS_HATS_X) ==
	    NULL);
	EXPECT(fx_child(fx_get(f, JULIET, "presence", 0), "hats", NS_HATS_X) ==
	    NULL);
}

static void
engine_hats_destroyed_come_off_everyone_and_leave_the_lists(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*x, *item;

	EXPECT(nurse_hat(f, 0) == 0);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("list"), NULL) == 1);
	x = fx_child(fx_command_result(f, ROMEO), "x", NS_XDATA);
	EXPECT_STR(fx_attr(x, "type"), "result");
	EXPECT_STR(fx_text(f, x, "title"), "Hats List");
	EXPECT_INT(fx_nchildren(x, "item"), 1);
	item = fx_child(x, "item", NULL);
	EXPECT_STR(fx_field_value(f, item, "hats#uri"), NURSE_URI);
	EXPECT_STR(fx_field_value(f, item, "hats#title"), "Nurse");
	EXPECT_STR(fx_field_value(f, item, "hats#hue"), "120");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("list-assigned"), NULL) == 1);
	x = fx_child(fx_command_result(f, ROMEO), "x", NS_XDATA);
	item = fx_child(x, "item", NULL);
	EXPECT_STR(fx_field_value(f, item, "hats#jid"), JULIET_BARE);
	EXPECT_STR(fx_field_value(f, item, "hats#uri"), NURSE_URI);
	/* The room info carries a hash of the list (XEP-0317 2), which
	 * changes with it and goes with the last hat. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='http://jabber.org/protocol/disco#info'/>"
	    "</iq>") == 1);
	x = fx_child(fx_child(fx_get(f, ROMEO, "iq", 0), "query", NULL), "x",
	    NS_XDATA);
	EXPECT(fx_field_value(f, x, "hats#hash") != NULL);
	EXPECT_INT(strlen(fx_field_value(f, x, "hats#hash")), 16);
	/* The destroy form offers the hats; XEP-0317 calls the field `hat`
	 * in one example, hats#uri in the other: both are taken. */
	EXPECT(hcmd(f, ROMEO, HATS_NODE("destroy"), NULL) == 1);
	x = fx_child(fx_command_result(f, ROMEO), "x", NS_XDATA);
	EXPECT_STR(fx_attr(fx_child(fx_field(x, "hats#uri"), "option", NULL),
	    "label"), "Nurse");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("destroy"), "<field var='hat'><value>"
	    NURSE_URI "</value></field>") == 5);
	EXPECT(fx_has_status(fx_get(f, JULIET, "message", 0), 104));
	EXPECT(fx_get(f, ROMEO, "presence", 0) != NULL);
	EXPECT(hat_of(fx_get(f, ROMEO, "presence", 0)) == NULL);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("list-assigned"), NULL) == 1);
	EXPECT_INT(fx_nchildren(fx_child(fx_command_result(f, ROMEO), "x", NS_XDATA),
	    "item"), 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='http://jabber.org/protocol/disco#info'/>"
	    "</iq>") == 1);
	x = fx_child(fx_child(fx_get(f, ROMEO, "iq", 0), "query", NULL), "x",
	    NS_XDATA);
	EXPECT(x != NULL);
	EXPECT(fx_field(x, "hats#hash") == NULL);
}

static void
engine_hats_refuse_bad_forms(void)
{
	struct fx	*f = fx_new();

	EXPECT(nurse_hat(f, 0) == 0);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Cook</value></field><field var='hats#uri'><value>urn:c"
	    "</value></field><field var='hats#hue'><value>360</value>"
	    "</field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Cook</value></field><field var='hats#uri'><value>urn:c"
	    "</value></field><field var='hats#hue'><value>0x1a</value>"
	    "</field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#uri'>"
	    "<value>urn:c</value></field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("assign"), "<field var='hats#jid'>"
	    "<value>" JULIET_BARE "</value></field><field var='hats#uri'>"
	    "<value>urn:none</value></field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	EXPECT(hcmd(f, ROMEO, HATS_NODE("assign"), "<field var='hats#jid'>"
	    "<value>" JULIET "</value></field><field var='hats#uri'>"
	    "<value>" NURSE_URI "</value></field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "bad-request");
	/* Assigning again changes nothing and tells nobody. */
	EXPECT(hcmd(f, ROMEO, HATS_NODE("assign"), "<field var='hats#jid'>"
	    "<value>" JULIET_BARE "</value></field><field var='hats#uri'>"
	    "<value>" NURSE_URI "</value></field>") == 1);
	EXPECT_STR(fx_text(f, fx_command_result(f, ROMEO), "note"), JULIET_BARE
	    " is already wearing Nurse");
}

/* The hats#hash of the room's info as from asks, into buf ("" none). */
static void
room_hash(struct fx *f, const char *from, char *buf, size_t len)
{
	xmpp_stanza_t	*x;
	const char	*v;

	buf[0] = '\0';
	if (fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' id='i'>"
	    "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
	    from) != 1)
		return;
	x = fx_child(fx_child(fx_get(f, from, "iq", 0), "query", NULL), "x",
	    NS_XDATA);
	if ((v = fx_field_value(f, x, "hats#hash")) != NULL)
		snprintf(buf, len, "%s", v);
}

/* Rows of table in the database at path. */
static int
rows(const char *path, const char *table)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 sql[128];
	int		 n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

static void
engine_hats_are_kept_with_a_persistent_room_and_go_with_it(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;

	char		 before[32], after[32];

	EXPECT(nurse_hat(f, 1) == 0);
	/* A second hat, defined before the first in the store's order. */
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Abbot</value></field><field var='hats#uri'><value>"
	    "urn:a</value></field>") == 3);
	room_hash(f, ROMEO, before, sizeof(before));
	EXPECT(before[0] != '\0');
	EXPECT(hcmd(f, ROMEO, HATS_NODE("destroy"), "<field var='hats#uri'>"
	    "<value>urn:a</value></field>") == 3);
	room_hash(f, ROMEO, after, sizeof(after));
	EXPECT(strcmp(before, after) != 0);
	EXPECT(hcmd(f, ROMEO, HATS_NODE("create"), "<field var='hats#title'>"
	    "<value>Abbot</value></field><field var='hats#uri'><value>"
	    "urn:a</value></field>") == 3);
	EXPECT_INT(rows(path, "hats"), 2);
	EXPECT_INT(rows(path, "hat_wearers"), 1);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	/* Another service on the same database loads the room again. */
	g = fx_new_with(NULL, 0, path);
	EXPECT(fx_join(g, NURSE, "room", "Nurse") == 0);
	EXPECT(fx_join(g, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_attr(hat_of(fx_get(g, NURSE, "presence", 0)), "title"),
	    "Nurse");
	EXPECT_STR(fx_attr(hat_of(fx_get(g, NURSE, "presence", 0)), "hue"),
	    "120");
	/* Loaded in the store's order, hashed the same. */
	room_hash(g, NURSE, after, sizeof(after));
	EXPECT_STR(after, before);
	/* A temporary room's hats enter the store when it becomes
	 * persistent. */
	EXPECT(fx_create(g, TYBALT, "street", "Tybalt") == 0);
	EXPECT(fx_send(g, "<iq from='" TYBALT "' to='street@" FX_DOMAIN "' "
	    "type='set' id='h'><command xmlns='" NS_CMD "' node='"
	    HATS_NODE("create") "'><x xmlns='" NS_XDATA "' type='submit'>"
	    "<field var='hats#title'><value>Prince</value></field><field "
	    "var='hats#uri'><value>urn:p</value></field></x></command></iq>")
	    == 2);
	EXPECT_INT(rows(path, "hats"), 2);
	EXPECT(fx_config(g, TYBALT, "street", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_INT(rows(path, "hats"), 3);
	/* Destroying the room deletes its hats and who wore them. */
	EXPECT(fx_join(g, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(g, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/></query></iq>")
	    == 4);
	EXPECT_INT(rows(path, "hats"), 1);
	EXPECT_INT(rows(path, "hat_wearers"), 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_hats_commands_are_for_owners_admins_and_service_admins),
	UT_CASE(engine_hats_assigned_are_shown_in_presence_and_resent_on_change),
	UT_CASE(engine_hats_from_a_client_are_never_relayed),
	UT_CASE(engine_hats_destroyed_come_off_everyone_and_leave_the_lists),
	UT_CASE(engine_hats_refuse_bad_forms),
	UT_CASE(engine_hats_are_kept_with_a_persistent_room_and_go_with_it),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
