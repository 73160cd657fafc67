/*
 * test_adhoc.c - XEP-0050 ad-hoc commands (lib/adhoc.c) and the service
 * administration commands (lib/svcadmin.c).
 *
 * The service advertises commands; its list holds the admin commands for
 * service admins only, and a non-admin gets forbidden for each.  execute
 * gives a form, a sessionid and status executing; the submitted form runs
 * the command (completed, with a note and, for lists, a result table);
 * cancel cancels.  The errors are XEP-0050 4.6's.  Each admin command:
 * the room list paged by its form, destruction with its notice,
 * an affiliation change with its effects, the occupants with real JIDs,
 * and announcements to one room or every room.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

#define NS_CMD		"http://jabber.org/protocol/commands"
#define NS_INFO		"http://jabber.org/protocol/disco#info"
#define NS_ITEMS	"http://jabber.org/protocol/disco#items"
#define ADMIN		"prince@verona.lit/palace"
#define ADMIN_BARE	"prince@verona.lit"
#define NODE(what)	"urn:mucd:admin:" what

/* A service whose admin is the Prince. */
static struct fx *
fx_admin(void)
{
	static const char *const admins[] = { ADMIN_BARE };

	return fx_new_with(admins, 1, NULL);
}

/* from sends <command node attrs>, with a submitted form of fields when
 * fields is not NULL, to the service; returns the copies sent. */
static int
cmd(struct fx *f, const char *from, const char *node, const char *attrs,
    const char *fields)
{
	return fx_command(f, from, FX_DOMAIN, node, attrs, fields);
}

/* The specific XEP-0050 condition of the error to from, or NULL. */
static const char *
specific(struct fx *f, const char *from)
{
	xmpp_stanza_t	*e = fx_child(fx_get(f, from, "iq", 0), "error", NULL);
	xmpp_stanza_t	*c;

	for (c = e != NULL ? xmpp_stanza_get_children(e) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) && xmpp_stanza_get_ns(c) != NULL &&
		    strcmp(xmpp_stanza_get_ns(c), NS_CMD) == 0)
			return xmpp_stanza_get_name(c);
	return NULL;
}

/* The value of field var of item n of result form x. */
static const char *
cell(struct fx *f, xmpp_stanza_t *x, size_t n, const char *var)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(x); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "item") == 0 && n-- == 0)
			return fx_field_value(f, c, var);
	return NULL;
}

static void
engine_adhoc_service_lists_admin_commands_to_admins_only(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*q, *id;

	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='i'><query xmlns='" NS_INFO "'/></iq>") == 1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_INFO);
	EXPECT(q != NULL);
	EXPECT(strstr(f->copy[0].text, "'" NS_CMD "'") != NULL ||
	    strstr(f->copy[0].text, "\"" NS_CMD "\"") != NULL);
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='get' "
	    "id='l'><query xmlns='" NS_ITEMS "' node='" NS_CMD "'/></iq>") ==
	    1);
	q = fx_child(fx_get(f, ADMIN, "iq", 0), "query", NS_ITEMS);
	EXPECT_INT(fx_nchildren(q, "item"), 5);
	EXPECT_STR(fx_attr(fx_child(q, "item", NULL), "jid"), FX_DOMAIN);
	EXPECT_STR(fx_attr(fx_child(q, "item", NULL), "node"),
	    NODE("list-rooms"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='l'><query xmlns='" NS_ITEMS "' node='" NS_CMD "'/></iq>") ==
	    1);
	q = fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_ITEMS);
	EXPECT(q != NULL);
	EXPECT_INT(fx_nchildren(q, "item"), 0);
	/* A command's node: described to admins, forbidden to others. */
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_INFO "' node='" NODE("announce")
	    "'/></iq>") == 1);
	id = fx_child(fx_child(fx_get(f, ADMIN, "iq", 0), "query", NS_INFO),
	    "identity", NULL);
	EXPECT_STR(fx_attr(id, "category"), "automation");
	EXPECT_STR(fx_attr(id, "type"), "command-node");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_INFO "' node='" NODE("announce")
	    "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "forbidden");
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_INFO "' node='nothing'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "item-not-found");
	/* A command has no items; the commands node has an identity. */
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_ITEMS "' node='" NODE("announce")
	    "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "item-not-found");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_DOMAIN "' type='get' "
	    "id='n'><query xmlns='" NS_INFO "' node='" NS_CMD "'/></iq>") == 1);
	id = fx_child(fx_child(fx_get(f, ROMEO, "iq", 0), "query", NS_INFO),
	    "identity", NULL);
	EXPECT_STR(fx_attr(id, "type"), "command-list");
}

static void
engine_adhoc_execute_gives_a_form_and_cancel_cancels(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*c, *x;
	char		 sid[64];

	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "action='execute'", NULL) ==
	    1);
	c = fx_command_result(f, ADMIN);
	EXPECT_STR(fx_attr(c, "status"), "executing");
	EXPECT_STR(fx_attr(c, "node"), NODE("list-rooms"));
	EXPECT(fx_attr(c, "sessionid") != NULL);
	snprintf(sid, sizeof(sid), "%s", fx_attr(c, "sessionid"));
	EXPECT_STR(fx_attr(fx_child(c, "actions", NULL), "execute"),
	    "complete");
	x = fx_child(c, "x", NS_XDATA);
	EXPECT_STR(fx_attr(x, "type"), "form");
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"), "urn:mucd:admin");
	EXPECT_STR(fx_field_value(f, x, "max"), "100");
	EXPECT(fx_field(x, "after") != NULL);
	/* No action is execute. */
	EXPECT(cmd(f, ADMIN, NODE("announce"), NULL, NULL) == 1);
	EXPECT_STR(fx_attr(fx_command_result(f, ADMIN), "status"), "executing");
	EXPECT(fx_field(fx_child(fx_command_result(f, ADMIN), "x", NS_XDATA),
	    "body") != NULL);
	fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='set' id='c'>"
	    "<command xmlns='" NS_CMD "' node='" NODE("list-rooms") "' "
	    "action='cancel' sessionid='%s'/></iq>", sid);
	c = fx_command_result(f, ADMIN);
	EXPECT_STR(fx_attr(c, "status"), "canceled");
	EXPECT_STR(fx_attr(c, "sessionid"), sid);
	/* The form submitted with the sessionid completes the command. */
	fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='set' id='c'>"
	    "<command xmlns='" NS_CMD "' node='" NODE("list-rooms") "' "
	    "action='complete' sessionid='%s'><x xmlns='" NS_XDATA "' type="
	    "'submit'/></command></iq>", sid);
	c = fx_command_result(f, ADMIN);
	EXPECT_STR(fx_attr(c, "status"), "completed");
	EXPECT_STR(fx_attr(c, "sessionid"), sid);
	EXPECT_STR(fx_text(f, c, "note"), "0 of 0 rooms.");
	EXPECT_STR(fx_attr(fx_child(c, "note", NULL), "type"), "info");
}

static void
engine_adhoc_errors_are_the_ones_of_xep0050(void)
{
	struct fx	*f = fx_admin();

	EXPECT(cmd(f, ROMEO, NODE("destroy-room"), NULL, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "forbidden");
	EXPECT(cmd(f, ROMEO, NODE("list-rooms"), NULL, "") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "forbidden");
	EXPECT(cmd(f, ADMIN, "urn:mucd:admin:nothing", NULL, NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "item-not-found");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "action='next'", NULL) == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "bad-request");
	EXPECT_STR(specific(f, ADMIN), "bad-action");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "action='jump'", NULL) == 1);
	EXPECT_STR(specific(f, ADMIN), "malformed-action");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "action='cancel'", NULL) ==
	    1);
	EXPECT_STR(specific(f, ADMIN), "bad-sessionid");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "sessionid='zz'", "") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "bad-request");
	EXPECT_STR(specific(f, ADMIN), "bad-sessionid");
	/* A session given out more than an hour ago. */
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "sessionid='65530000-"
	    "00000000'", "") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "not-allowed");
	EXPECT_STR(specific(f, ADMIN), "session-expired");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), "action='complete'", NULL) ==
	    1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), NULL, "<field var='FORM_TYPE'>"
	    "<value>urn:other</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), NULL, "<field var='max'>"
	    "<value>lots</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_DOMAIN "' type='get' "
	    "id='g'><command xmlns='" NS_CMD "' node='" NODE("list-rooms")
	    "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "bad-request");
	/* Commands to a room: rooms have none of these. */
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ADMIN "' to='" FX_ROOM "' type='set' "
	    "id='r'><command xmlns='" NS_CMD "' node='" NODE("list-rooms")
	    "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ADMIN, "iq", 0)), "item-not-found");
}

static void
engine_adhoc_list_rooms_pages_every_room_with_its_occupants(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*x;

	EXPECT(fx_create(f, ROMEO, "alpha", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "alpha", "Juliet") == 0);
	EXPECT(fx_create(f, JULIET, "beta", "Juliet") == 0);
	EXPECT(fx_config(f, JULIET, "beta", "muc#roomconfig_publicroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_create(f, NURSE, "gamma", "Nurse") == 0);
	EXPECT(fx_config(f, NURSE, "gamma", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_leave(f, NURSE, "gamma") == 0);
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), NULL, "<field var='max'>"
	    "<value>2</value></field>") == 1);
	x = fx_child(fx_command_result(f, ADMIN), "x", NS_XDATA);
	EXPECT_STR(fx_attr(x, "type"), "result");
	EXPECT(fx_child(x, "reported", NULL) != NULL);
	EXPECT_INT(fx_nchildren(x, "item"), 2);
	EXPECT_STR(cell(f, x, 0, "jid"), "alpha@" FX_DOMAIN);
	EXPECT_STR(cell(f, x, 0, "occupants"), "2");
	EXPECT_STR(cell(f, x, 1, "jid"), "beta@" FX_DOMAIN);	/* hidden */
	EXPECT_STR(fx_field_value(f, x, "after"), "beta");
	EXPECT_STR(fx_text(f, fx_command_result(f, ADMIN), "note"),
	    "2 of 3 rooms; for the next page, start after beta");
	EXPECT(cmd(f, ADMIN, NODE("list-rooms"), NULL, "<field var='max'>"
	    "<value>2</value></field><field var='after'><value>beta@"
	    FX_DOMAIN "</value></field>") == 1);
	x = fx_child(fx_command_result(f, ADMIN), "x", NS_XDATA);
	EXPECT_INT(fx_nchildren(x, "item"), 1);
	EXPECT_STR(cell(f, x, 0, "jid"), "gamma@" FX_DOMAIN);	/* stored */
	EXPECT_STR(cell(f, x, 0, "occupants"), "0");
	EXPECT(fx_field(x, "after") == NULL);
}

static void
engine_adhoc_destroy_room_tells_the_occupants_and_frees_the_name(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*p, *d;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(cmd(f, ADMIN, NODE("destroy-room"), NULL, "<field var='room'>"
	    "<value>elsewhere</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("destroy-room"), NULL, "<field var='room'>"
	    "<value>room@elsewhere.lit</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("destroy-room"), NULL, "<field var='room'>"
	    "<value>" FX_ROOM "</value></field><field var='reason'><value>"
	    "Closing</value></field><field var='alternate'><value>lobby@"
	    FX_DOMAIN "</value></field>") == 3);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	d = fx_child(fx_muc_user(p), "destroy", NULL);
	EXPECT_STR(fx_attr(d, "jid"), "lobby@" FX_DOMAIN);
	EXPECT_STR(fx_text(f, d, "reason"), "Closing");
	EXPECT(fx_get(f, ROMEO, "presence", 0) != NULL);
	EXPECT_STR(fx_attr(fx_command_result(f, ADMIN), "status"), "completed");
	EXPECT(fx_pos(f, ADMIN, "iq", 0) > fx_pos(f, JULIET, "presence", 0));
	EXPECT(fx_logged(f, "destroyed by service admin " ADMIN_BARE));
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='get' "
	    "id='i'><query xmlns='" NS_INFO "'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "item-not-found");
}

static void
engine_adhoc_set_affiliation_has_the_effects_of_muc_admin(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(cmd(f, ADMIN, NODE("set-affiliation"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='jid'><value>"
	    JULIET "</value></field><field var='affiliation'><value>admin"
	    "</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");	/* a full JID */
	EXPECT(cmd(f, ADMIN, NODE("set-affiliation"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='jid'><value>"
	    JULIET_BARE "</value></field><field var='affiliation'><value>"
	    "king</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("set-affiliation"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='jid'><value>"
	    ROMEO_BARE "</value></field><field var='affiliation'><value>"
	    "member</value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");	/* the last owner */
	/* Juliet becomes admin: a moderator, told to everyone. */
	EXPECT(cmd(f, ADMIN, NODE("set-affiliation"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='jid'><value>"
	    JULIET_BARE "</value></field><field var='affiliation'><value>"
	    "admin</value></field>") == 3);
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_item_attr(p, "affiliation"), "admin");
	EXPECT_STR(fx_item_attr(p, "role"), "moderator");
	EXPECT_STR(fx_text(f, fx_command_result(f, ADMIN), "note"), JULIET_BARE " is "
	    "admin in " FX_ROOM);
	/* Banned: removed with 301 and the reason. */
	EXPECT(cmd(f, ADMIN, NODE("set-affiliation"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='jid'><value>"
	    JULIET_BARE "</value></field><field var='affiliation'><value>"
	    "outcast</value></field><field var='reason'><value>Feud</value>"
	    "</field>") == 3);
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT(fx_has_status(p, 301));
	EXPECT_STR(fx_text(f, fx_item(p), "reason"), "Feud");
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM "/Juliet'>"
	    "<x xmlns='" NS_MUC_X "'/></presence>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)), "forbidden");
}

static void
engine_adhoc_list_occupants_shows_their_real_jids(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*x;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(cmd(f, ADMIN, NODE("list-occupants"), NULL, "<field var="
	    "'room'><value>" FX_ROOM "</value></field><field var='max'>"
	    "<value>2</value></field>") == 1);
	x = fx_child(fx_command_result(f, ADMIN), "x", NS_XDATA);
	EXPECT_INT(fx_nchildren(x, "item"), 2);
	EXPECT_STR(cell(f, x, 0, "nick"), "Romeo");
	EXPECT_STR(cell(f, x, 0, "jid"), ROMEO);
	EXPECT_STR(cell(f, x, 0, "affiliation"), "owner");
	EXPECT_STR(cell(f, x, 1, "jid"), JULIET);
	EXPECT_STR(cell(f, x, 1, "role"), "participant");
	EXPECT_STR(fx_field_value(f, x, "after"), "Juliet");
	EXPECT(cmd(f, ADMIN, NODE("list-occupants"), NULL, "<field var="
	    "'room'><value>room</value></field><field var='after'><value>"
	    "Juliet</value></field>") == 1);
	x = fx_child(fx_command_result(f, ADMIN), "x", NS_XDATA);
	EXPECT_INT(fx_nchildren(x, "item"), 1);
	EXPECT_STR(cell(f, x, 0, "jid"), NURSE);
	EXPECT_STR(fx_text(f, fx_command_result(f, ADMIN), "note"),
	    "1 of 3 occupants of " FX_ROOM);
	EXPECT(cmd(f, ROMEO, NODE("list-occupants"), NULL, "<field var="
	    "'room'><value>room</value></field>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "iq", 0)), "forbidden");
}

static void
engine_adhoc_announce_reaches_one_room_or_every_room_unarchived(void)
{
	struct fx	*f = fx_admin();
	xmpp_stanza_t	*m;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_archive_room(f, NURSE, "kitchen", "Nurse") == 0);
	EXPECT(cmd(f, ADMIN, NODE("announce"), NULL, "<field var='body'>"
	    "<value> </value></field>") == 1);
	EXPECT_STR(specific(f, ADMIN), "bad-payload");
	EXPECT(cmd(f, ADMIN, NODE("announce"), NULL, "<field var='room'>"
	    "<value>room</value></field><field var='body'><value>Curfew"
	    "</value><value>at nine</value></field>") == 3);
	m = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(m, "type"), "groupchat");
	EXPECT_STR(fx_text(f, m, "body"), "Curfew\nat nine");
	EXPECT(fx_get(f, NURSE, "message", 0) == NULL);
	EXPECT_STR(fx_text(f, fx_command_result(f, ADMIN), "note"), "Announced in 1 "
	    "room(s)");
	EXPECT(cmd(f, ADMIN, NODE("announce"), NULL, "<field var='body'>"
	    "<value>Plague</value></field>") == 4);
	m = fx_get(f, NURSE, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), "kitchen@" FX_DOMAIN);
	EXPECT_INT(fx_nsids(m), 0);
	EXPECT(fx_get(f, ROMEO, "message", 0) != NULL);
	/* Not history: a newcomer gets the subject only. */
	EXPECT(fx_join(f, TYBALT, "kitchen", "Tybalt") == 0);
	EXPECT_INT(fx_count(f, TYBALT, "message"), 1);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_adhoc_service_lists_admin_commands_to_admins_only),
	UT_CASE(engine_adhoc_execute_gives_a_form_and_cancel_cancels),
	UT_CASE(engine_adhoc_errors_are_the_ones_of_xep0050),
	UT_CASE(engine_adhoc_list_rooms_pages_every_room_with_its_occupants),
	UT_CASE(engine_adhoc_destroy_room_tells_the_occupants_and_frees_the_name),
	UT_CASE(engine_adhoc_set_affiliation_has_the_effects_of_muc_admin),
	UT_CASE(engine_adhoc_list_occupants_shows_their_real_jids),
	UT_CASE(engine_adhoc_announce_reaches_one_room_or_every_room_unarchived),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
