/*
 * test_message.c - messages in a room (lib/message.c, lib/history.c):
 * groupchat reflection (XEP-0045 7.4), private messages (7.5), the
 * subject (7.3, 8.1) and the discussion history with its limits (7.2.13,
 * 7.2.14) and XEP-0203 delay.  Voice requests, also messages to the
 * room, are in test_voice.c.
 */
#include <stdio.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Romeo creates the room, Juliet and the Nurse enter. */
static int
three_in_the_room(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0 ||
	    fx_join(f, NURSE, "room", "Nurse") != 0)
		return -1;
	if (fx_count(f, NURSE, "presence") != 3) {
		ut_fail(__FILE__, __LINE__, "the Nurse did not enter");
		return -1;
	}
	return 0;
}

/* from says body in the room. */
static int
say(struct fx *f, const char *from, const char *body)
{
	return fx_send(f, "<message from='%s' to='" FX_ROOM "' "
	    "type='groupchat'><body>%s</body></message>", from, body);
}

/* 7.4: reflected to every occupant, the sender too, from the sender's
 * occupant JID, with the client's id. */
static void
engine_message_groupchat_goes_to_every_occupant_from_the_room_nick(void)
{
	struct fx	*f = fx_new();
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	xmpp_stanza_t	*m;
	size_t		 i;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat' id='m1' xml:lang='en'><body>Good night, good "
	    "night!</body></message>") == 3);
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], NULL), 1);
		m = fx_get(f, to[i], "message", 0);
		EXPECT_STR(fx_attr(m, "from"), OCC("Juliet"));
		EXPECT_STR(fx_attr(m, "type"), "groupchat");
		EXPECT_STR(fx_attr(m, "id"), "m1");
		/* libstrophe reads xml:lang back as "lang"; the text must
		 * carry the real name. */
		EXPECT_STR(fx_attr(m, "lang"), "en");
		EXPECT(strstr(f->copy[fx_pos(f, to[i], "message", 0)].text,
		    "xml:lang=\"en\"") != NULL);
		EXPECT_STR(fx_text(f, m, "body"), "Good night, good night!");
		/* The live message carries no delay. */
		EXPECT(fx_child(m, "delay", NULL) == NULL);
	}
}

/* 7.4: "If the sender is not an occupant of the room, the service SHOULD
 * return a not-acceptable error" and reflect nothing. */
static void
engine_message_groupchat_from_a_non_occupant_is_not_acceptable(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(say(f, TYBALT, "I will withdraw") == 1);
	e = fx_get(f, TYBALT, "message", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "from"), FX_ROOM);
	EXPECT_STR(fx_error(e), "not-acceptable");
	EXPECT_STR(fx_error_type(e), "cancel");	/* as Prosody */
	EXPECT_STR(fx_error_by(e), FX_ROOM);
	/* Nothing went to the history either. */
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_INT(fx_count(f, BENVOLIO, "message"), 1);	/* subject */
}

/* 7.4: a visitor in a moderated room "MUST return a forbidden error to
 * the sender and MUST NOT reflect the message". */
static void
engine_message_visitor_in_a_moderated_room_is_forbidden(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_moderatedroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_item_attr(fx_get(f, NURSE, "presence", 1), "role"),
	    "visitor");
	EXPECT(say(f, NURSE, "Anon, anon!") == 1);
	e = fx_get(f, NURSE, "message", 0);
	EXPECT_STR(fx_error(e), "forbidden");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 7.5: a private message goes to one occupant's real JID, from the
 * sender's occupant JID, with a muc#user <x/> added. */
static void
engine_message_private_message_reaches_one_occupant_with_muc_user_x(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='chat' id='pm1'><body>Deny thy father</body></message>") ==
	    1);
	m = fx_get(f, ROMEO, "message", 0);
	EXPECT(m != NULL);
	EXPECT_STR(fx_attr(m, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(m, "type"), "chat");
	EXPECT_STR(fx_attr(m, "id"), "pm1");
	EXPECT_STR(fx_text(f, m, "body"), "Deny thy father");
	EXPECT(fx_muc_user(m) != NULL);
	EXPECT_INT(fx_nchildren(m, "x"), 1);
	/* A client's own <x/> is not doubled. */
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='chat'><body>again</body><x xmlns='" NS_MUC_USER_X "'/>"
	    "</message>") == 1);
	EXPECT_INT(fx_nchildren(fx_get(f, ROMEO, "message", 0), "x"), 1);
}

/* 7.5 and muc#roomconfig_allowpm. */
static void
engine_message_private_message_refused_when_allowpm_is_none(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_allowpm", "none",
	    (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='chat'><body>Nurse!</body></message>") == 1);
	e = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_error(e), "not-allowed");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT_STR(fx_attr(e, "from"), OCC("Nurse"));
	EXPECT_INT(fx_count(f, NURSE, NULL), 0);
	/* Even moderators are held to "none". */
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" OCC("Nurse") "' "
	    "type='chat'><body>Nurse!</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "not-allowed");
}

static void
engine_message_private_message_allowpm_moderators_admits_only_moderators(void)
{
	struct fx	*f = fx_new();

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_allowpm",
	    "moderators", (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='chat'><body>Nurse!</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "message", 0)), "not-allowed");
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" OCC("Nurse") "' "
	    "type='chat'><body>Commend me</body></message>") == 1);
	EXPECT_STR(fx_text(f, fx_get(f, NURSE, "message", 0), "body"),
	    "Commend me");
}

/* 7.5: groupchat to one occupant is bad-request; an unknown nick is
 * item-not-found; a stranger's is not-acceptable. */
static void
engine_message_private_message_errors_follow_section_7_5(void)
{
	struct fx	*f = fx_new();

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='groupchat'><body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, NULL, 0)), "bad-request");
	EXPECT_STR(fx_error_type(fx_get(f, JULIET, NULL, 0)), "modify");
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Paris") "' "
	    "type='chat'><body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, NULL, 0)), "item-not-found");
	EXPECT(fx_send(f, "<message from='" TYBALT "' to='" OCC("Romeo") "' "
	    "type='chat'><body>x</body></message>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, NULL, 0)), "not-acceptable");
	EXPECT_INT(fx_count(f, ROMEO, NULL), 0);
}

/* 8.1: a moderator's subject goes to everyone from the moderator's
 * occupant JID and is what later joiners get. */
static void
engine_message_subject_change_by_a_moderator_is_broadcast_and_kept(void)
{
	struct fx	*f = fx_new();
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	xmpp_stanza_t	*m;
	size_t		 i;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Fire Burn and Cauldron Bubble!"
	    "</subject></message>") == 3);
	for (i = 0; i < 3; i++) {
		m = fx_get(f, to[i], "message", 0);
		EXPECT_STR(fx_attr(m, "from"), OCC("Romeo"));
		EXPECT_STR(fx_text(f, m, "subject"),
		    "Fire Burn and Cauldron Bubble!");
	}
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_INT(fx_count(f, BENVOLIO, "message"), 1);
	m = fx_get(f, BENVOLIO, "message", 0);
	EXPECT_STR(fx_attr(m, "from"), OCC("Romeo"));
	EXPECT_STR(fx_text(f, m, "subject"), "Fire Burn and Cauldron Bubble!");
	/* 7.2.15: the joiner's subject SHOULD be stamped with when it was
	 * set, by a delay from the room itself (not history: one message). */
	EXPECT(fx_child(m, "delay", NULL) != NULL);
	EXPECT_STR(fx_attr(fx_child(m, "delay", NULL), "from"), FX_ROOM);
}

/* 8.1: "If someone without appropriate privileges attempts to change the
 * room subject, the service MUST return a message of type error
 * specifying a forbidden error"; muc#roomconfig_changesubject opens it
 * to participants (7.3). */
static void
engine_message_subject_change_by_a_participant_is_forbidden_unless_allowed(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Balcony</subject></message>") == 1);
	e = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_error(e), "forbidden");
	EXPECT_STR(fx_error_type(e), "auth");
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_changesubject",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Balcony</subject></message>") == 3);
	EXPECT_STR(fx_text(f, fx_get(f, NURSE, "message", 0), "subject"),
	    "Balcony");
}

/* 7.2.13: the history a joiner gets, oldest first, from the occupant JID
 * with an XEP-0203 <delay from=room stamp=/>, at most maxhistoryfetch. */
static void
engine_message_history_keeps_the_newest_messages_with_a_delay(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m, *d;
	char		 body[16];
	int		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#maxhistoryfetch", "3",
	    (const char *)NULL) == 0);
	for (i = 1; i <= 5; i++) {
		fx_now = FX_EPOCH + 60 * i;
		snprintf(body, sizeof(body), "line %d", i);
		EXPECT(say(f, ROMEO, body) == 1);
	}
	fx_now = FX_EPOCH + 3600;
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	/* Romeo's presence, her own, 3 history messages, the subject. */
	EXPECT_INT(fx_count(f, JULIET, NULL), 6);
	EXPECT_INT(fx_count(f, JULIET, "message"), 4);
	for (i = 0; i < 3; i++) {
		m = fx_get(f, JULIET, "message", (size_t)i);
		snprintf(body, sizeof(body), "line %d", i + 3);
		EXPECT_STR(fx_text(f, m, "body"), body);
		EXPECT_STR(fx_attr(m, "from"), OCC("Romeo"));
		EXPECT_STR(fx_attr(m, "type"), "groupchat");
		d = fx_child(m, "delay", "urn:xmpp:delay");
		EXPECT(d != NULL);
		EXPECT_STR(fx_attr(d, "from"), FX_ROOM);
	}
	/* FX_EPOCH is 2023-11-14T22:13:20Z; line 3 was said 3 minutes on. */
	EXPECT_STR(fx_attr(fx_child(fx_get(f, JULIET, "message", 0), "delay",
	    NULL), "stamp"), "2023-11-14T22:16:20Z");
	EXPECT(fx_child(fx_get(f, JULIET, "message", 3), "subject", NULL) !=
	    NULL);
}

/* Five messages, one a minute from FX_EPOCH + 60, then the clock at
 * FX_EPOCH + 600. */
static int
five_lines(struct fx *f)
{
	char	body[16];
	int	i;

	if (fx_create(f, ROMEO, "room", "Romeo") != 0)
		return -1;
	for (i = 1; i <= 5; i++) {
		fx_now = FX_EPOCH + 60 * i;
		snprintf(body, sizeof(body), "line %d", i);
		if (say(f, ROMEO, body) != 1)
			return -1;
	}
	fx_now = FX_EPOCH + 600;
	return 0;
}

/* Juliet enters with <history attrs/>; returns how many history messages
 * she got (the subject is not one). */
static int
join_with_history(struct fx *f, const char *attrs)
{
	fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet") "'>"
	    "<x xmlns='" NS_MUC_X "'><history %s/></x></presence>", attrs);
	return (int)fx_count(f, JULIET, "message") - 1;
}

static void
leave_juliet(struct fx *f)
{
	fx_leave(f, JULIET, "room");
}

/* 7.2.14 maxstanzas: the newest N, oldest first; 0 means none. */
static void
engine_message_history_maxstanzas_sends_only_the_newest_n(void)
{
	struct fx	*f = fx_new();

	EXPECT(five_lines(f) == 0);
	EXPECT_INT(join_with_history(f, "maxstanzas='2'"), 2);
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"),
	    "line 4");
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 1), "body"),
	    "line 5");
	leave_juliet(f);
	EXPECT_INT(join_with_history(f, "maxstanzas='0'"), 0);
	leave_juliet(f);
	EXPECT_INT(join_with_history(f, "maxstanzas='99'"), 5);
	leave_juliet(f);
	/* Not a number: no limit. */
	EXPECT_INT(join_with_history(f, "maxstanzas='many'"), 5);
}

/* The length the room counts for a history copy: its text without the
 * ` to="..."` the outbox spliced in. */
static size_t
history_chars(struct fx *f, size_t n)
{
	int	i = fx_pos(f, JULIET, "message", n);

	return strlen(f->copy[i].text) - strlen(" to=\"\"") - strlen(JULIET);
}

/* 7.2.14 maxchars: "the total number of characters in the history [...]
 * the characters of the complete XML stanzas". */
static void
engine_message_history_maxchars_counts_whole_stanzas(void)
{
	struct fx	*f = fx_new();
	char		 attr[64];
	size_t		 c4, c5;

	EXPECT(five_lines(f) == 0);
	EXPECT_INT(join_with_history(f, ""), 5);
	c4 = history_chars(f, 3);
	c5 = history_chars(f, 4);
	EXPECT(c5 > 50);
	leave_juliet(f);
	snprintf(attr, sizeof(attr), "maxchars='%zu'", c4 + c5);
	EXPECT_INT(join_with_history(f, attr), 2);
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"),
	    "line 4");
	leave_juliet(f);
	snprintf(attr, sizeof(attr), "maxchars='%zu'", c4 + c5 - 1);
	EXPECT_INT(join_with_history(f, attr), 1);
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"),
	    "line 5");
	leave_juliet(f);
	EXPECT_INT(join_with_history(f, "maxchars='0'"), 0);
}

/* 7.2.14 seconds and since: only messages sent in the last N seconds, or
 * since the given time. */
static void
engine_message_history_seconds_and_since_cut_by_time(void)
{
	struct fx	*f = fx_new();

	EXPECT(five_lines(f) == 0);	/* lines at +60 .. +300, now +600 */
	EXPECT_INT(join_with_history(f, "seconds='360'"), 2);	/* +240 on */
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"),
	    "line 4");
	leave_juliet(f);
	EXPECT_INT(join_with_history(f, "seconds='300'"), 1);	/* +300 on */
	leave_juliet(f);
	EXPECT_INT(join_with_history(f, "seconds='299'"), 0);
	leave_juliet(f);
	/* since 2023-11-14T22:16:20Z is FX_EPOCH + 180: lines 3 to 5 */
	EXPECT_INT(join_with_history(f, "since='2023-11-14T22:16:20Z'"), 3);
	EXPECT_STR(fx_text(f, fx_get(f, JULIET, "message", 0), "body"),
	    "line 3");
	leave_juliet(f);
	/* The same instant written with an offset. */
	EXPECT_INT(join_with_history(f,
	    "since='2023-11-14T23:16:20+01:00'"), 3);
	leave_juliet(f);
	/* Limits combine: the tightest wins. */
	EXPECT_INT(join_with_history(f, "seconds='600' maxstanzas='1'"), 1);
}

/* A groupchat message without a body (a chat state) is reflected but is
 * not history. */
static void
engine_message_groupchat_without_body_is_reflected_but_not_kept(void)
{
	struct fx	*f = fx_new();

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><composing xmlns='http://jabber.org/protocol/"
	    "chatstates'/></message>") == 3);
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_INT(fx_count(f, BENVOLIO, "message"), 1);	/* subject */
}

/* A message to a room that does not exist is item-not-found (7.2.11). */
static void
engine_message_to_a_missing_room_is_item_not_found(void)
{
	struct fx	*f = fx_new();

	EXPECT(say(f, ROMEO, "Is anyone there?") == 1);
	EXPECT_STR(fx_error(fx_get(f, ROMEO, "message", 0)), "item-not-found");
	/* ... and did not create it. */
	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "presence", 0), 201));
}


/* 7.2.15, 8.1: a message with a subject and a body, or a subject and a
 * thread, is an ordinary message: relayed and kept in history as such,
 * and the subject a joiner gets is still the last real change. */
static void
engine_message_subject_with_a_body_or_thread_is_an_ordinary_message(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Real</subject></message>") == 3);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Fake</subject><body>hi</body></message>")
	    == 3);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><subject>Fake2</subject><thread>t1</thread>"
	    "</message>") == 3);
	EXPECT(fx_join(f, BENVOLIO, "room", "Benvolio") == 0);
	EXPECT_INT(fx_count(f, BENVOLIO, "message"), 3);
	m = fx_get(f, BENVOLIO, "message", 0);
	EXPECT_STR(fx_text(f, m, "body"), "hi");
	EXPECT(fx_child(m, "delay", "urn:xmpp:delay") != NULL);
	m = fx_get(f, BENVOLIO, "message", 1);
	EXPECT_STR(fx_text(f, m, "thread"), "t1");
	m = fx_get(f, BENVOLIO, "message", 2);
	EXPECT_STR(fx_text(f, m, "subject"), "Real");
	EXPECT(fx_child(m, "body", NULL) == NULL);
}
static const struct ut_case cases[] = {
	UT_CASE(engine_message_groupchat_goes_to_every_occupant_from_the_room_nick),
	UT_CASE(engine_message_groupchat_from_a_non_occupant_is_not_acceptable),
	UT_CASE(engine_message_visitor_in_a_moderated_room_is_forbidden),
	UT_CASE(engine_message_private_message_reaches_one_occupant_with_muc_user_x),
	UT_CASE(engine_message_private_message_refused_when_allowpm_is_none),
	UT_CASE(engine_message_private_message_allowpm_moderators_admits_only_moderators),
	UT_CASE(engine_message_private_message_errors_follow_section_7_5),
	UT_CASE(engine_message_subject_change_by_a_moderator_is_broadcast_and_kept),
	UT_CASE(engine_message_subject_change_by_a_participant_is_forbidden_unless_allowed),
	UT_CASE(engine_message_history_keeps_the_newest_messages_with_a_delay),
	UT_CASE(engine_message_history_maxstanzas_sends_only_the_newest_n),
	UT_CASE(engine_message_history_maxchars_counts_whole_stanzas),
	UT_CASE(engine_message_history_seconds_and_since_cut_by_time),
	UT_CASE(engine_message_groupchat_without_body_is_reflected_but_not_kept),
	UT_CASE(engine_message_to_a_missing_room_is_item_not_found),
	UT_CASE(engine_message_subject_with_a_body_or_thread_is_an_ordinary_message),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
