/*
 * test_register.c - registering with a room (lib/register.c; XEP-0045
 * 7.10) and discovering the reserved nick (7.12, lib/disco.c), in the
 * shapes the acceptance scripts muc_show_offline and
 * muc_members_only_deregister expect.
 */
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define NS_REGISTER_Q	"jabber:iq:register"

/* from asks for the registration form. */
static int
reg_get(struct fx *f, const char *from)
{
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' "
	    "id='reg1'><query xmlns='" NS_REGISTER_Q "'/></iq>", from);
}

/* from submits nick. */
static int
reg_set(struct fx *f, const char *from, const char *nick)
{
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' "
	    "id='reg2'><query xmlns='" NS_REGISTER_Q "'><x xmlns='" NS_XDATA
	    "' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#register</value></field><field var='muc#register_"
	    "roomnick'><value>%s</value></field></x></query></iq>", from, nick);
}

static int
reg_remove(struct fx *f, const char *from)
{
	return fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' "
	    "id='unreg1'><query xmlns='" NS_REGISTER_Q "'><remove/></query>"
	    "</iq>", from);
}

/* The iq to `to`: "result" or its error condition. */
static const char *
answer(struct fx *f, const char *to)
{
	xmpp_stanza_t	*iq = fx_get(f, to, "iq", 0);

	if (iq == NULL)
		return "(no iq)";
	if (strcmp(fx_attr(iq, "type"), "result") == 0)
		return "result";
	return fx_error(iq) != NULL ? fx_error(iq) : "(no condition)";
}

/* Romeo's room with Juliet a member (nick not reserved) and in it. */
static int
juliet_member_in_room(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member", NULL) != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0)
		return -1;
	return 0;
}

/* 7.10 as the acceptance script has it: without an affiliation both the
 * form and the submission are registration-required (auth). */
static void
engine_register_unaffiliated_get_and_set_are_registration_required(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(reg_get(f, NURSE) == 1);
	EXPECT_STR(answer(f, NURSE), "registration-required");
	EXPECT_STR(fx_error_type(fx_get(f, NURSE, "iq", 0)), "auth");
	EXPECT_STR(fx_attr(fx_get(f, NURSE, "iq", 0), "id"), "reg1");
	EXPECT(reg_set(f, NURSE, "Romeo") == 1);
	EXPECT_STR(answer(f, NURSE), "registration-required");
	/* Not even a stranger outside the room. */
	EXPECT(reg_get(f, TYBALT) == 1);
	EXPECT_STR(answer(f, TYBALT), "registration-required");
}

/* 7.10 example, as muc_show_offline checks it: the form holds FORM_TYPE
 * and a required text-single Nickname field, nothing else. */
static void
engine_register_member_gets_the_form_of_the_acceptance_script(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq, *q, *x, *ft, *nick;

	EXPECT(juliet_member_in_room(f) == 0);
	EXPECT(reg_get(f, JULIET) == 1);
	iq = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "from"), FX_ROOM);
	EXPECT_STR(fx_attr(iq, "id"), "reg1");
	EXPECT_INT(fx_nchildren(iq, NULL), 1);
	EXPECT((q = fx_child(iq, "query", NS_REGISTER_Q)) != NULL);
	EXPECT_INT(fx_nchildren(q, NULL), 1);	/* no <registered/> */
	EXPECT((x = fx_child(q, "x", NS_XDATA)) != NULL);
	EXPECT_STR(fx_attr(x, "type"), "form");
	EXPECT_INT(fx_nchildren(x, NULL), 2);	/* no title, no instructions */
	EXPECT((ft = fx_field(x, "FORM_TYPE")) != NULL);
	EXPECT_STR(fx_attr(ft, "type"), "hidden");
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"),
	    "http://jabber.org/protocol/muc#register");
	EXPECT_INT(fx_nchildren(ft, NULL), 1);
	EXPECT((nick = fx_field(x, "muc#register_roomnick")) != NULL);
	EXPECT_STR(fx_attr(nick, "type"), "text-single");
	EXPECT_STR(fx_attr(nick, "label"), "Nickname");
	EXPECT_INT(fx_nchildren(nick, NULL), 1);
	EXPECT(fx_child(nick, "required", NULL) != NULL);
}

/* 7.10: submitting reserves the nick; the user, in the room, is shown
 * to everyone as a member (self copy with 110) before the result. */
static void
engine_register_submit_reserves_the_nick_and_broadcasts_presence(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *x;

	EXPECT(juliet_member_in_room(f) == 0);
	EXPECT(reg_set(f, JULIET, "Juliet") == 3);
	EXPECT_STR(answer(f, JULIET), "result");
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "member");
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
	EXPECT(fx_has_status(p, 110));
	EXPECT(fx_pos(f, JULIET, "presence", 0) < fx_pos(f, JULIET, "iq", 0));
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0),
	    "affiliation"), "member");
	/* 7.10: asked again, the form says she is registered. */
	EXPECT(reg_get(f, JULIET) == 1);
	x = fx_child(fx_child(fx_get(f, JULIET, "iq", 0), "query", NULL), "x",
	    NS_XDATA);
	EXPECT(fx_child(fx_child(fx_get(f, JULIET, "iq", 0), "query", NULL),
	    "registered", NULL) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#register_roomnick"), "Juliet");
	/* 7.12: nobody else may take it. */
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Juliet") == 0);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "presence", 0)), "conflict");
}

/* 7.10: "If the desired room nickname is already reserved for that room,
 * the room MUST return a conflict error"; an occupant using it counts. */
static void
engine_register_nick_held_by_someone_else_is_a_conflict(void)
{
	struct fx	*f = fx_new();

	EXPECT(juliet_member_in_room(f) == 0);
	EXPECT(reg_set(f, JULIET, "Romeo") == 1);
	EXPECT_STR(answer(f, JULIET), "conflict");
	EXPECT(fx_affiliate(f, ROMEO, "room", NURSE_BARE, "member",
	    "Angelica") == 0);
	EXPECT(reg_set(f, JULIET, "Angelica") == 1);
	EXPECT_STR(answer(f, JULIET), "conflict");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 7.10: "If the user did not include a valid data form, the room MUST
 * return a bad-request error"; a nick resourceprep refuses is not
 * acceptable. */
static void
engine_register_submit_without_a_valid_form_or_nick_is_refused(void)
{
	struct fx	*f = fx_new();

	EXPECT(juliet_member_in_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='set' "
	    "id='r'><query xmlns='" NS_REGISTER_Q "'/></iq>") == 1);
	EXPECT_STR(answer(f, JULIET), "bad-request");
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='set' "
	    "id='r'><query xmlns='" NS_REGISTER_Q "'><x xmlns='" NS_XDATA "' "
	    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#register</value></field></x></query></iq>") == 1);
	EXPECT_STR(answer(f, JULIET), "bad-request");
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='set' "
	    "id='r'><query xmlns='" NS_REGISTER_Q "'><x xmlns='" NS_XDATA "' "
	    "type='submit'><field var='FORM_TYPE'><value>urn:other</value>"
	    "</field><field var='muc#register_roomnick'><value>J</value>"
	    "</field></x></query></iq>") == 1);
	EXPECT_STR(answer(f, JULIET), "bad-request");
	EXPECT(reg_set(f, JULIET, "   ") == 1);
	EXPECT_STR(answer(f, JULIET), "not-acceptable");
}

/* muc_members_only_deregister: removing the registration from a
 * members-only room removes the user with 321; the user's copy has 110
 * and comes before the result; the others get 321 too. */
static void
engine_register_remove_in_members_only_room_ejects_with_321(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(reg_remove(f, JULIET) == 3);
	EXPECT_STR(answer(f, JULIET), "result");
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT_INT(fx_nstatus(p), 2);
	EXPECT(fx_has_status(p, 321));
	EXPECT(fx_has_status(p, 110));
	EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
	EXPECT_STR(fx_item_attr(p, "role"), "none");
	EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
	EXPECT(fx_pos(f, JULIET, "presence", 0) < fx_pos(f, JULIET, "iq", 0));
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_INT(fx_nstatus(p), 1);
	EXPECT(fx_has_status(p, 321));
	EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "presence", 0)),
	    "registration-required");
}

/* muc_show_offline: a member out of the room who removes the
 * registration: the result to her, and to JID-privileged occupants the
 * message with only <item jid affiliation='none'/>. */
static void
engine_register_remove_by_an_absent_member_notifies_moderators(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *it;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(reg_remove(f, JULIET) == 2);
	EXPECT_STR(answer(f, JULIET), "result");
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT_INT(fx_nchildren(fx_muc_user(m), NULL), 1);
	it = fx_item(m);
	EXPECT_STR(fx_attr(it, "jid"), JULIET_BARE);
	EXPECT_STR(fx_attr(it, "affiliation"), "none");
	EXPECT_NULL(fx_attr(it, "nick"));
	/* The reservation went with it. */
	EXPECT(fx_join(f, TYBALT, "room", "Juliet") == 0);
	EXPECT_INT(fx_count(f, TYBALT, "presence"), 3);
	/* Removing again: nothing to remove. */
	EXPECT(reg_remove(f, JULIET) == 1);
	EXPECT_STR(answer(f, JULIET), "item-not-found");
}

/* 7.10: owners and admins who remove their registration keep their
 * affiliation and lose only the nick. */
static void
engine_register_remove_by_an_owner_keeps_the_affiliation(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(reg_set(f, ROMEO, "Romeo") == 2);
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0),
	    "affiliation"), "owner");
	EXPECT(reg_remove(f, ROMEO) == 1);
	EXPECT_STR(answer(f, ROMEO), "result");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='o'><query xmlns='" NS_MUC_OWNER_Q "'/></iq>") == 1);
	EXPECT_STR(answer(f, ROMEO), "result");
}

/* Ask for x-roomuser-item as from; the result's <query/>. */
static xmpp_stanza_t *
roomuser_item(struct fx *f, const char *from)
{
	if (fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' "
	    "id='getnick1'><query xmlns='http://jabber.org/protocol/"
	    "disco#info' node='x-roomuser-item'/></iq>", from) != 1 ||
	    strcmp(answer(f, from), "result") != 0)
		return NULL;
	return fx_child(fx_get(f, from, "iq", 0), "query", NULL);
}

/* 7.12: the reserved nick is the name of a conference/text identity; a
 * user without one gets an empty query. */
static void
engine_register_roomuser_item_gives_the_reserved_nick_or_an_empty_query(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*q, *id;

	EXPECT(juliet_member_in_room(f) == 0);
	EXPECT((q = roomuser_item(f, ROMEO)) != NULL);
	EXPECT_STR(fx_attr(q, "node"), "x-roomuser-item");
	EXPECT_INT(fx_nchildren(q, NULL), 0);
	EXPECT(reg_set(f, JULIET, "Juliet") >= 1);
	EXPECT((q = roomuser_item(f, JULIET)) != NULL);
	EXPECT_STR(fx_attr(q, "node"), "x-roomuser-item");
	EXPECT_INT(fx_nchildren(q, NULL), 1);
	id = fx_child(q, "identity", NULL);
	EXPECT_STR(fx_attr(id, "category"), "conference");
	EXPECT_STR(fx_attr(id, "type"), "text");
	EXPECT_STR(fx_attr(id, "name"), "Juliet");
	/* From another resource, out of the room: the same. */
	EXPECT((q = roomuser_item(f, "juliet@capulet.lit/tomb")) != NULL);
	EXPECT_STR(fx_attr(fx_child(q, "identity", NULL), "name"), "Juliet");
}

/* An outcast may not register. */
static void
engine_register_outcast_is_forbidden(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "outcast",
	    NULL) == 0);
	EXPECT(reg_get(f, TYBALT) == 1);
	EXPECT_STR(answer(f, TYBALT), "forbidden");
	EXPECT(reg_remove(f, TYBALT) == 1);
	EXPECT_STR(answer(f, TYBALT), "forbidden");
}

/* mucd#roomconfig_allowregister: an owner may open registration, and
 * then anyone becomes a member by registering (7.10 "MAY allow an
 * unaffiliated user [...] to register"). */
static void
engine_register_open_registration_makes_an_unaffiliated_user_a_member(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "mucd#roomconfig_allowregister",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(reg_get(f, NURSE) == 1);
	EXPECT_STR(answer(f, NURSE), "result");
	EXPECT(reg_set(f, NURSE, "Angelica") == 3);
	EXPECT_STR(answer(f, NURSE), "result");
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 0),
	    "affiliation"), "member");
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='get' "
	    "id='m'><query xmlns='" NS_MUC_ADMIN_Q "'><item affiliation="
	    "'member'/></query></iq>") == 1);
	EXPECT_STR(fx_attr(fx_child(fx_child(fx_get(f, ROMEO, "iq", 0),
	    "query", NULL), "item", NULL), "nick"), "Angelica");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_register_unaffiliated_get_and_set_are_registration_required),
	UT_CASE(engine_register_member_gets_the_form_of_the_acceptance_script),
	UT_CASE(engine_register_submit_reserves_the_nick_and_broadcasts_presence),
	UT_CASE(engine_register_nick_held_by_someone_else_is_a_conflict),
	UT_CASE(engine_register_submit_without_a_valid_form_or_nick_is_refused),
	UT_CASE(engine_register_remove_in_members_only_room_ejects_with_321),
	UT_CASE(engine_register_remove_by_an_absent_member_notifies_moderators),
	UT_CASE(engine_register_remove_by_an_owner_keeps_the_affiliation),
	UT_CASE(engine_register_roomuser_item_gives_the_reserved_nick_or_an_empty_query),
	UT_CASE(engine_register_outcast_is_forbidden),
	UT_CASE(engine_register_open_registration_makes_an_unaffiliated_user_a_member),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
