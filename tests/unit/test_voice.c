/*
 * test_voice.c - voice requests in moderated rooms (lib/voice.c;
 * XEP-0045 7.13 for the visitor's request, 8.6 for the moderators'
 * approval).
 *
 * The request must reach the moderators, and only them, as the approval
 * form of 8.6, once until it is decided; an approval grants voice as
 * muc#admin would (8.3) with the moderator as actor; anything else --
 * a skipped or false approval, an approval by someone who may not give
 * voice, a request from someone who has voice or is not in the room, a
 * decision about a visitor who has left -- changes nothing.
 */
#include <stdio.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define ROMEO_PHONE	"romeo@montague.lit/phone"
#define NS_REQUEST	"http://jabber.org/protocol/muc#request"

/* The visitor's request of 7.13. */
#define REQUEST(from)	"<message from='" from "' to='" FX_ROOM "'>"	\
	"<x xmlns='" NS_XDATA "' type='submit'><field var='FORM_TYPE'>"	\
	"<value>" NS_REQUEST "</value></field><field var='muc#role'>"	\
	"<value>participant</value></field></x></message>"

/* A moderator's answer of 8.6: the form back with muc#request_allow set
 * to allow (NULL: the field carries no value). */
static int
decide(struct fx *f, const char *from, const char *nick, const char *allow)
{
	return fx_send(f, "<message from='%s' to='" FX_ROOM "'><x xmlns='"
	    NS_XDATA "' type='submit'><field var='FORM_TYPE'><value>"
	    NS_REQUEST "</value></field><field var='muc#role'><value>"
	    "participant</value></field><field var='muc#jid'><value>"
	    JULIET "</value></field><field var='muc#roomnick'><value>%s"
	    "</value></field><field var='muc#request_allow'>%s%s%s</field>"
	    "</x></message>", from, nick, allow ? "<value>" : "",
	    allow ? allow : "", allow ? "</value>" : "");
}

/* Romeo creates a moderated room; Juliet and the Nurse enter as
 * visitors (7.2.5: no affiliation, no voice in a moderated room). */
static int
moderated_room(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom", "1",
	    (const char *)NULL) != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	if (fx_count(f, NURSE, "presence") != 3) {
		ut_fail(__FILE__, __LINE__, "the Nurse did not enter");
		return -1;
	}
	return 0;
}

/* May from speak?  Returns 1 when its groupchat message is reflected, 0
 * when it is refused. */
static int
may_speak(struct fx *f, const char *from)
{
	if (fx_send(f, "<message from='%s' to='" FX_ROOM "' type='groupchat'>"
	    "<body>May I?</body></message>", from) < 1)
		return -1;
	return fx_error(fx_get(f, from, "message", 0)) == NULL;
}

/* 7.13, 8.6: a visitor's voice request reaches the moderators as an
 * approval form (once, until decided); a moderator's approval grants voice
 * with the moderator as actor; the visitor may then speak. */
static void
engine_voice_voice_request_is_approved_by_a_moderator(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *x;
	static const char request[] = "<message from='" JULIET "' to='" FX_ROOM
	    "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
	    "<value>http://jabber.org/protocol/muc#request</value></field>"
	    "<field var='muc#role'><value>participant</value></field></x>"
	    "</message>";

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom", "1",
	    NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 1), "role"),
	    "visitor");
	EXPECT(fx_send(f, request) == 1);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT((x = fx_child(m, "x", "jabber:x:data")) != NULL);
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"),
	    "http://jabber.org/protocol/muc#request");
	EXPECT_STR(fx_field_value(f, x, "muc#roomnick"), "Juliet");
	EXPECT_STR(fx_field_value(f, x, "muc#jid"), JULIET);
	EXPECT_STR(fx_field_value(f, x, "muc#request_allow"), "false");
	EXPECT(fx_send(f, request) == 0);	/* asked already */
	/* A participant cannot decide. */
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom", "0",
	    NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(fx_send(f, "<message from='" NURSE "' to='" FX_ROOM "'><x "
	    "xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
	    "http://jabber.org/protocol/muc#request</value></field><field "
	    "var='muc#roomnick'><value>Juliet</value></field><field "
	    "var='muc#request_allow'><value>true</value></field></x>"
	    "</message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "message", 0)), "forbidden");
	/* Romeo, a moderator, approves. */
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "'><x "
	    "xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
	    "http://jabber.org/protocol/muc#request</value></field><field "
	    "var='muc#roomnick'><value>Juliet</value></field><field "
	    "var='muc#request_allow'><value>true</value></field></x>"
	    "</message>") >= 3);
	m = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_item_attr(m, "role"), "participant");
	EXPECT(fx_has_status(m, 110));
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Thank you.</body></message>") == 3);
}

/* 8.6: the request goes to every client of every moderator (an owner and
 * an admin here) and to nobody else, as a form of type "form" with the
 * fields of the spec's example: muc#role, muc#jid, muc#roomnick and the
 * muc#request_allow checkbox, unticked. */
static void
engine_voice_request_goes_once_to_each_moderator_with_the_approval_form(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *x;
	static const char *const moderators[] = { ROMEO, ROMEO_PHONE, BENVOLIO };
	size_t		 i;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, "<presence from='" ROMEO_PHONE "' to='" OCC("Romeo")
	    "'/>") >= 1);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin", NULL) ==
	    0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "member", NULL) ==
	    0);
	EXPECT(fx_join(f, BENVOLIO, "room", "Ben") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, BENVOLIO, "presence", 3), "role"),
	    "moderator");
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, TYBALT, "presence", 4), "role"),
	    "participant");
	EXPECT(fx_send(f, REQUEST(JULIET)) == 3);
	for (i = 0; i < UT_NELEM(moderators); i++) {
		EXPECT_INT(fx_count(f, moderators[i], NULL), 1);
		m = fx_get(f, moderators[i], "message", 0);
		EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
		EXPECT((x = fx_child(m, "x", NS_XDATA)) != NULL);
		EXPECT_STR(fx_attr(x, "type"), "form");
		EXPECT_STR(fx_text(f, x, "title"), "Voice request");
		EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"), NS_REQUEST);
		EXPECT_STR(fx_attr(fx_field(x, "FORM_TYPE"), "type"), "hidden");
		EXPECT_STR(fx_field_value(f, x, "muc#role"), "participant");
		EXPECT_STR(fx_attr(fx_field(x, "muc#role"), "type"),
		    "list-single");
		EXPECT_STR(fx_field_value(f, x, "muc#jid"), JULIET);
		EXPECT_STR(fx_attr(fx_field(x, "muc#jid"), "type"),
		    "jid-single");
		EXPECT_STR(fx_field_value(f, x, "muc#roomnick"), "Juliet");
		EXPECT_STR(fx_attr(fx_field(x, "muc#roomnick"), "type"),
		    "text-single");
		EXPECT_STR(fx_field_value(f, x, "muc#request_allow"), "false");
		EXPECT_STR(fx_attr(fx_field(x, "muc#request_allow"), "type"),
		    "boolean");
	}
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
	EXPECT_INT(fx_count(f, TYBALT, NULL), 0);
	/* Another visitor's request is a request of its own. */
	EXPECT(fx_send(f, REQUEST(NURSE)) == 3);
	x = fx_child(fx_get(f, BENVOLIO, "message", 0), "x", NS_XDATA);
	EXPECT_STR(fx_field_value(f, x, "muc#roomnick"), "Nurse");
	EXPECT_STR(fx_field_value(f, x, "muc#jid"), NURSE);
}

/* A request waiting for a decision is not passed on again, however often
 * the visitor asks; once voice was granted and taken away again (8.4),
 * a new request is a new one and reaches the moderators. */
static void
engine_voice_repeated_request_is_passed_on_only_once_until_decided(void)
{
	struct fx	*f = fx_new();

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 0);
	EXPECT(decide(f, ROMEO, "Juliet", "true") == 3);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='rv'><query xmlns='" NS_MUC_ADMIN_Q "'><item nick='Juliet' "
	    "role='visitor'/></query></iq>") >= 1);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 0), "role"),
	    "visitor");
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT_INT(fx_count(f, ROMEO, "message"), 1);
}

/* 8.6 then 8.3: an approval makes the visitor a participant, announced to
 * every occupant with the moderator as actor (the actor's real JID only
 * to those who may see real JIDs); the moderator gets no other answer. */
static void
engine_voice_approval_grants_participant_with_the_moderator_as_actor(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *actor;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT_INT(may_speak(f, JULIET), 0);
	EXPECT(decide(f, ROMEO, "Juliet", "1") == 3);
	EXPECT_INT(fx_count(f, NULL, "presence"), 3);
	/* Romeo, a moderator, sees the real JIDs. */
	p = fx_get(f, ROMEO, "presence", 0);
	EXPECT_STR(fx_attr(p, "from"), OCC("Juliet"));
	EXPECT_NULL(fx_attr(p, "type"));
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
	EXPECT_STR(fx_item_attr(p, "jid"), JULIET);
	actor = fx_child(fx_item(p), "actor", NULL);
	EXPECT_STR(fx_attr(actor, "nick"), "Romeo");
	EXPECT_STR(fx_attr(actor, "jid"), ROMEO);
	/* The Nurse does not. */
	p = fx_get(f, NURSE, "presence", 0);
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT_NULL(fx_item_attr(p, "jid"));
	actor = fx_child(fx_item(p), "actor", NULL);
	EXPECT_STR(fx_attr(actor, "nick"), "Romeo");
	EXPECT_NULL(fx_attr(actor, "jid"));
	/* Juliet's own copy says 110. */
	p = fx_get(f, JULIET, "presence", 0);
	EXPECT_STR(fx_item_attr(p, "role"), "participant");
	EXPECT(fx_has_status(p, 110));
	EXPECT_STR(fx_attr(fx_child(fx_item(p), "actor", NULL), "nick"),
	    "Romeo");
	EXPECT_INT(may_speak(f, JULIET), 1);
	/* A second approval (another moderator was slower) changes nothing. */
	EXPECT(decide(f, ROMEO, "Juliet", "true") == 0);
}

/* 8.6: a moderator who skips the request, or submits it with the box
 * unticked (or with no value, or one that is not a boolean), changes
 * nothing: no presence, no answer, the visitor still has no voice. */
static void
engine_voice_skipped_or_false_approval_changes_nothing(void)
{
	struct fx	*f = fx_new();

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT(decide(f, ROMEO, "Juliet", "false") == 0);
	EXPECT(decide(f, ROMEO, "Juliet", "0") == 0);
	EXPECT(decide(f, ROMEO, "Juliet", NULL) == 0);
	EXPECT(decide(f, ROMEO, "Juliet", "maybe") == 0);
	EXPECT_INT(may_speak(f, JULIET), 0);
	/* The request can still be approved afterwards. */
	EXPECT(decide(f, ROMEO, "Juliet", "true") == 3);
	EXPECT_INT(may_speak(f, JULIET), 1);
}

/* 8.6 leaves the decision to moderators: a participant, the visitor
 * herself, or another visitor ticking the box is forbidden (auth), and
 * someone outside the room not-acceptable; none of them gives voice. */
static void
engine_voice_approval_by_a_non_moderator_is_forbidden(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "member", NULL) ==
	    0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT(decide(f, JULIET, "Juliet", "true") == 1);
	e = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "from"), FX_ROOM);
	EXPECT_STR(fx_error(e), "forbidden");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT(decide(f, NURSE, "Juliet", "true") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "message", 0)), "forbidden");
	EXPECT(decide(f, TYBALT, "Juliet", "true") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "message", 0)), "forbidden");
	EXPECT(decide(f, BENVOLIO, "Juliet", "true") == 1);
	EXPECT_STR(fx_error(fx_get(f, BENVOLIO, "message", 0)),
	    "not-acceptable");
	EXPECT_INT(may_speak(f, JULIET), 0);
}

/* 7.13 is for visitors: an occupant who has voice already (a participant,
 * a moderator) is told so with not-acceptable, and no form goes out; in
 * an unmoderated room everybody has voice. */
static void
engine_voice_participant_asking_for_voice_is_not_acceptable(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "member", NULL) ==
	    0);
	EXPECT(fx_join(f, TYBALT, "room", "Tybalt") == 0);
	EXPECT(fx_send(f, REQUEST(TYBALT)) == 1);
	e = fx_get(f, TYBALT, "message", 0);
	EXPECT_STR(fx_error(e), "not-acceptable");
	EXPECT_STR(fx_error_type(e), "modify");
	EXPECT(fx_send(f, REQUEST(ROMEO)) == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "not-acceptable");
	/* The refusals did not use up Juliet's request, nor make one. */
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom", "0",
	    (const char *)NULL) == 0);
	EXPECT(fx_join(f, BENVOLIO, "room", "Ben") == 0);
	EXPECT(fx_send(f, REQUEST(BENVOLIO)) == 1);
	EXPECT_STR(fx_error(fx_get(f, BENVOLIO, "message", 0)),
	    "not-acceptable");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* Only occupants may ask: a request from outside the room is
 * not-acceptable and reaches no moderator. */
static void
engine_voice_request_from_a_non_occupant_is_not_acceptable(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, REQUEST(TYBALT)) == 1);
	e = fx_get(f, TYBALT, "message", 0);
	EXPECT_STR(fx_attr(e, "from"), FX_ROOM);
	EXPECT_STR(fx_error(e), "not-acceptable");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
	/* A member who has left the room is outside it too. */
	EXPECT(fx_leave(f, NURSE, "room") == 0);
	EXPECT(fx_send(f, REQUEST(NURSE)) == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "message", 0)), "not-acceptable");
}

/* A decision about a visitor who has left the room (or a nick nobody
 * has) is item-not-found; one that names no nick is bad-request. */
static void
engine_voice_visitor_gone_before_the_decision_is_item_not_found(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(moderated_room(f) == 0);
	EXPECT(fx_send(f, REQUEST(JULIET)) == 1);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(decide(f, ROMEO, "Juliet", "true") == 1);
	e = fx_get(f, ROMEO, "message", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "item-not-found");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT(decide(f, ROMEO, "Paris", "true") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "item-not-found");
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "'><x xmlns='"
	    NS_XDATA "' type='submit'><field var='FORM_TYPE'><value>"
	    NS_REQUEST "</value></field><field var='muc#request_allow'><value>"
	    "true</value></field></x></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "bad-request");
	/* Juliet comes back a visitor, without voice. */
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, JULIET, "presence", 2), "role"),
	    "visitor");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_voice_voice_request_is_approved_by_a_moderator),
	UT_CASE(engine_voice_request_goes_once_to_each_moderator_with_the_approval_form),
	UT_CASE(engine_voice_repeated_request_is_passed_on_only_once_until_decided),
	UT_CASE(engine_voice_approval_grants_participant_with_the_moderator_as_actor),
	UT_CASE(engine_voice_skipped_or_false_approval_changes_nothing),
	UT_CASE(engine_voice_approval_by_a_non_moderator_is_forbidden),
	UT_CASE(engine_voice_participant_asking_for_voice_is_not_acceptable),
	UT_CASE(engine_voice_request_from_a_non_occupant_is_not_acceptable),
	UT_CASE(engine_voice_visitor_gone_before_the_decision_is_item_not_found),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
