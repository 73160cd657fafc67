/*
 * test_proxy.c - iqs between occupants through their occupant JIDs
 * (lib/proxy.c; XEP-0045 17.3) and XEP-0410 self-ping.
 *
 * A request to room@service/nick goes to the target's real JID from the
 * asker's occupant JID, and the answer back to the asker's real JID from
 * the target's occupant JID; a vcard-temp request goes to the target's
 * bare JID and its answer comes from there.  These cases check the
 * addressing of every copy, the session tag that brings an answer back to
 * the client that asked, the refusals (non-occupant asker, unknown nick),
 * that an iq error is forwarded like any answer and never taken for a
 * ghost, and that no rendered copy ever carries the other side's real JID.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define JULIET_PHONE	"juliet@capulet.lit/phone"
#define ROMEO_PHONE	"romeo@montague.lit/phone"
#define NS_VERSION	"jabber:iq:version"

/* Romeo creates room; Juliet and the Nurse enter.  All three are in a
 * semi-anonymous room, where only Romeo (a moderator) sees real JIDs. */
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

/* A second client of an occupant enters under the same nick. */
static int
second_client(struct fx *f, const char *jid, const char *nick)
{
	if (fx_send(f, "<presence from='%s' to='" FX_ROOM "/%s'/>", jid,
	    nick) < 1 || fx_count(f, jid, "presence") < 1) {
		ut_fail(__FILE__, __LINE__, "%s did not enter", jid);
		return -1;
	}
	return 0;
}

/* Does any copy of the last send, as rendered, contain text anywhere? */
static int
copies_contain(const struct fx *f, const char *text)
{
	size_t	i;

	for (i = 0; i < f->ncopies; i++)
		if (strstr(f->copy[i].text, text) != NULL)
			return 1;
	return 0;
}

/* Is the occupant with real JID `jid` still in the room?  It is when a
 * groupchat message it sends is reflected rather than refused. */
static int
still_in_room(struct fx *f, const char *jid)
{
	if (fx_send(f, "<message from='%s' to='" FX_ROOM "' type='groupchat'>"
	    "<body>here?</body></message>", jid) < 1)
		return 0;
	return fx_error(fx_get(f, jid, "message", 0)) == NULL;
}

/* XEP-0410: an occupant pinging its own occupant JID gets a result from
 * the room; a stranger is not-acceptable; the service answers its own. */
static void
engine_proxy_self_ping_answers_only_the_occupant_itself(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Juliet") "' "
	    "type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "type"), "result");
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "from"), OCC("Juliet"));
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "iq", 0)), "not-acceptable");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" FX_DOMAIN "' "
	    "type='get' id='p4'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, TYBALT, "iq", 0), "type"), "result");
}

/* XEP-0045 17.3: an iq to another occupant goes to its real JID from the
 * asker's occupant JID, and the answer back the same way; neither learns
 * the other's real JID.  An error answer is an answer: the occupant that
 * gave it stays in the room. */
static void
engine_proxy_iq_to_an_occupant_is_forwarded_both_ways(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	/* A vCard is the account's: asked of the bare JID, whose server
	 * answers from the bare JID. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>") == 1);
	iq = fx_get(f, ROMEO_BARE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(iq, "id"), "v1");
	EXPECT(fx_child(iq, "vCard", "vcard-temp") != NULL);
	EXPECT(fx_send(f, "<iq from='" ROMEO_BARE "' to='" OCC("Juliet") "' "
	    "type='result' id='v1'><vCard xmlns='vcard-temp'><FN>Romeo</FN>"
	    "</vCard></iq>") == 1);
	iq = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "from"), OCC("Romeo"));
	EXPECT(fx_child(iq, "vCard", "vcard-temp") != NULL);
	/* Romeo's client does not do version: its error comes back... */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v2'><query xmlns='jabber:iq:version'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "from"), OCC("Juliet"));
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" OCC("Juliet") "' "
	    "type='error' id='v2'><error type='cancel'><service-unavailable "
	    "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "service-unavailable");
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "from"), OCC("Romeo"));
	/* ...and Romeo is still in the room. */
	EXPECT(fx_send(f, "<message from='" ROMEO "' to='" FX_ROOM "' "
	    "type='groupchat'><body>still here</body></message>") == 2);
	/* Nobody is at an unknown nick. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Paris") "' "
	    "type='get' id='v3'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "item-not-found");
}

/* An answer returns to the client that asked, when the asker is in the
 * room from two clients: the forwarded id carries the asking session's
 * number (never its JID), and the answer is delivered with the id it had. */
static void
engine_proxy_iq_answer_returns_to_the_asking_client(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;
	const char	*id;
	char		 answer[512];

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<presence from='juliet@capulet.lit/phone' to='"
	    OCC("Juliet") "'/>") >= 3);
	/* The older client asks. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>") == 1);
	iq = fx_get(f, ROMEO, "iq", 0);
	EXPECT((id = fx_attr(iq, "id")) != NULL);
	EXPECT(strncmp(id, "v1", 2) == 0);
	EXPECT(strstr(id, "juliet") == NULL && strstr(id, "balcony") == NULL);
	snprintf(answer, sizeof(answer), "<iq from='" ROMEO "' to='"
	    OCC("Juliet") "' type='result' id='%s'/>", id);
	EXPECT(fx_send(f, answer) == 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "id"), "v1");
	EXPECT_INT(fx_count(f, "juliet@capulet.lit/phone", "iq"), 0);
}

/* 17.3: a get or a set to an occupant JID is one copy, to the target's
 * real full JID, from the asker's occupant JID, with its type, id and
 * payload as sent; the asker hears nothing until the answer.  The xml:lang
 * that libstrophe reads as "lang" is not echoed under that name. */
static void
engine_proxy_request_goes_to_the_real_jid_from_the_askers_occupant_jid(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq, *q;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='ver1' xml:lang='en'><query xmlns='" NS_VERSION
	    "'/></iq>") == 1);
	EXPECT_INT(fx_count(f, NURSE, "iq"), 1);
	iq = fx_get(f, NURSE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(iq, "type"), "get");
	EXPECT_STR(fx_attr(iq, "id"), "ver1");
	/* The language goes with it, as xml:lang (libstrophe reads it back
	 * as "lang"). */
	EXPECT_STR(fx_attr(iq, "lang"), "en");
	EXPECT(fx_child(iq, "query", NS_VERSION) != NULL);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	/* A set goes the same way, its payload whole. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='set' id='s1'><query xmlns='urn:example:game'><move>e4"
	    "</move></query></iq>") == 1);
	iq = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Nurse"));
	EXPECT_STR(fx_attr(iq, "type"), "set");
	EXPECT_STR(fx_attr(iq, "id"), "s1");
	q = fx_child(iq, "query", "urn:example:game");
	EXPECT_STR(fx_text(f, q, "move"), "e4");
}

/* 17.3: the target answers to the asker's occupant JID; the answer goes
 * to the asker's real JID from the target's occupant JID, with the id the
 * asker chose and the payload the target gave. */
static void
engine_proxy_answer_goes_back_to_the_askers_real_jid(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq, *q;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='ver1'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='ver1'><query xmlns='" NS_VERSION "'><name>"
	    "Kitchen</name><version>1.0</version></query></iq>") == 1);
	EXPECT_INT(fx_count(f, JULIET, "iq"), 1);
	iq = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Nurse"));
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "id"), "ver1");
	q = fx_child(iq, "query", NS_VERSION);
	EXPECT_STR(fx_text(f, q, "name"), "Kitchen");
	EXPECT_STR(fx_text(f, q, "version"), "1.0");
	/* An empty result (a ping's) goes back too. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='ping7'/>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "id"), "ping7");
}

/* 17.3: a ping to another occupant is that occupant's to answer, not the
 * room's (the room answers only a self-ping, XEP-0410). */
static void
engine_proxy_ping_to_another_occupant_is_forwarded_not_answered(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='pg'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	iq = fx_get(f, NURSE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
	EXPECT(fx_child(iq, "ping", "urn:xmpp:ping") != NULL);
	/* A self-ping from a second client is answered by the room. */
	EXPECT(second_client(f, JULIET_PHONE, "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET_PHONE "' to='" OCC("Juliet") "' "
	    "type='get' id='sp'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	iq = fx_get(f, JULIET_PHONE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(iq, "id"), "sp");
}

/* 17.3 with vCards: the request goes to the target's bare JID, once, even
 * when the target is in the room from two clients; the answer comes from
 * that bare JID and reaches the asker from the target's occupant JID.
 * A bare JID that is no occupant's gets nothing passed on. */
static void
engine_proxy_vcard_goes_to_the_bare_jid_and_its_answer_comes_back(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(second_client(f, ROMEO_PHONE, "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Romeo") "' "
	    "type='get' id='vc'><vCard xmlns='vcard-temp'/></iq>") == 1);
	EXPECT_INT(fx_count(f, ROMEO_BARE, "iq"), 1);
	iq = fx_get(f, ROMEO_BARE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Nurse"));
	EXPECT_STR(fx_attr(iq, "id"), "vc");
	EXPECT(fx_send(f, "<iq from='" ROMEO_BARE "' to='" OCC("Nurse") "' "
	    "type='result' id='vc'><vCard xmlns='vcard-temp'><NICKNAME>Romeo"
	    "</NICKNAME></vCard></iq>") == 1);
	iq = fx_get(f, NURSE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Romeo"));
	EXPECT_STR(fx_attr(iq, "id"), "vc");
	EXPECT_STR(fx_text(f, fx_child(iq, "vCard", "vcard-temp"), "NICKNAME"),
	    "Romeo");
	/* The server of someone who is not in the room speaks for nobody. */
	EXPECT(fx_send(f, "<iq from='" TYBALT_BARE "' to='" OCC("Nurse") "' "
	    "type='result' id='vc'><vCard xmlns='vcard-temp'/></iq>") == 0);
	/* Nor does a full JID that is not an occupant's. */
	EXPECT(fx_send(f, "<iq from='romeo@montague.lit/tomb' to='"
	    OCC("Nurse") "' type='result' id='vc'/>") == 0);
}

/* With the asker in the room from two clients, each client's request
 * carries its own session tag, and each answer returns to the client that
 * asked with the id it chose; the other client hears nothing. */
static void
engine_proxy_session_tags_route_each_answer_to_its_own_client(void)
{
	struct fx	*f = fx_new();
	char		 id1[256], id2[256];

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(second_client(f, JULIET_PHONE, "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='same'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	snprintf(id1, sizeof(id1), "%s", fx_attr(fx_get(f, NURSE, "iq", 0),
	    "id"));
	EXPECT(fx_send(f, "<iq from='" JULIET_PHONE "' to='" OCC("Nurse") "' "
	    "type='get' id='same'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	snprintf(id2, sizeof(id2), "%s", fx_attr(fx_get(f, NURSE, "iq", 0),
	    "id"));
	EXPECT(strcmp(id1, id2) != 0);
	EXPECT(strstr(id1, "phone") == NULL && strstr(id2, "phone") == NULL);
	/* Answered in the other order. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='%s'/>", id2) == 1);
	EXPECT_INT(fx_count(f, JULIET_PHONE, "iq"), 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET_PHONE, "iq", 0), "id"), "same");
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='%s'/>", id1) == 1);
	EXPECT_INT(fx_count(f, JULIET, "iq"), 1);
	EXPECT_STR(fx_attr(fx_get(f, JULIET, "iq", 0), "id"), "same");
	/* An untagged answer goes to the occupant's latest client. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='plain'/>") == 1);
	EXPECT_INT(fx_count(f, JULIET_PHONE, "iq"), 1);
	/* A one-client asker's id is not tagged at all. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='get' id='n1'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	EXPECT_STR(fx_attr(fx_get(f, NULL, "iq", 0), "id"), "n1");
}

/* The answer to a client that has left since it asked has nobody to go
 * to: not to the asker's other client, nor to anyone once the asker has
 * left the room. */
static void
engine_proxy_answer_for_an_asking_client_that_left_is_dropped(void)
{
	struct fx	*f = fx_new();
	char		 id[256];

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(second_client(f, JULIET_PHONE, "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET_PHONE "' to='" OCC("Nurse") "' "
	    "type='get' id='q'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	snprintf(id, sizeof(id), "%s", fx_attr(fx_get(f, NURSE, "iq", 0),
	    "id"));
	EXPECT(fx_send(f, "<presence from='" JULIET_PHONE "' to='"
	    OCC("Juliet") "' type='unavailable'/>") >= 1);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='%s'/>", id) == 0);
	/* Juliet asks, then leaves the room before the answer. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='r'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='r'/>") == 0);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='error' id='r'><error type='cancel'><service-unavailable "
	    "xmlns='" NS_STANZA_ERR "'/></error></iq>") == 0);
}

/* 17.3: only occupants may send to occupants.  A request from outside the
 * room (or to a room that does not exist) is not-acceptable and reaches
 * nobody; an answer from outside is dropped without a word. */
static void
engine_proxy_request_from_a_non_occupant_is_not_acceptable(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='get' id='t1'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	e = fx_get(f, TYBALT, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "from"), OCC("Juliet"));
	EXPECT_STR(fx_attr(e, "id"), "t1");
	EXPECT_STR(fx_error(e), "not-acceptable");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='set' id='t2'><query xmlns='urn:example:game'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "iq", 0)), "not-acceptable");
	/* A room that does not exist is not found, as everywhere. */
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='nowhere@" FX_DOMAIN
	    "/Juliet' type='get' id='t3'><query xmlns='" NS_VERSION "'/></iq>")
	    == 1);
	EXPECT_STR(fx_error(fx_get(f, TYBALT, "iq", 0)), "item-not-found");
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='result' id='t4'/>") == 0);
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='error' id='t5'><error type='cancel'><item-not-found xmlns='"
	    NS_STANZA_ERR "'/></error></iq>") == 0);
}

/* A nick nobody uses: a request is item-not-found from that occupant JID
 * (cancel), and an answer addressed there is dropped. */
static void
engine_proxy_request_to_an_unknown_nick_is_item_not_found(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Paris") "' "
	    "type='get' id='x1'><vCard xmlns='vcard-temp'/></iq>") == 1);
	e = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "from"), OCC("Paris"));
	EXPECT_STR(fx_error(e), "item-not-found");
	EXPECT_STR(fx_error_type(e), "cancel");
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Paris") "' "
	    "type='result' id='x2'/>") == 0);
	/* A nick that has left is unknown from then on. */
	EXPECT(fx_leave(f, NURSE, "room") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='get' id='x3'><ping xmlns='urn:xmpp:ping'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "item-not-found");
}

/* An iq error is an answer (the target may not support what was asked),
 * never a sign that its sender has gone: it is forwarded either way and
 * no 333 presence follows.  An iq error to the room itself is dropped and
 * removes nobody either (contrast a bounced message, test_leave.c). */
static void
engine_proxy_iq_errors_are_forwarded_and_never_a_ghost_sign(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*e;

	EXPECT(three_in_the_room(f) == 0);
	/* The target refuses. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='error' id='e1'><error type='cancel'><feature-not-implemented"
	    " xmlns='" NS_STANZA_ERR "'/></error></iq>") == 1);
	e = fx_get(f, JULIET, "iq", 0);
	EXPECT_STR(fx_attr(e, "type"), "error");
	EXPECT_STR(fx_attr(e, "from"), OCC("Nurse"));
	EXPECT_STR(fx_attr(e, "id"), "e1");
	EXPECT_STR(fx_error(e), "feature-not-implemented");
	EXPECT_INT(fx_count(f, NULL, "presence"), 0);
	/* The asker's server bounces an answer: also just forwarded. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" OCC("Nurse") "' "
	    "type='error' id='e2'><error type='cancel'><service-unavailable "
	    "xmlns='" NS_STANZA_ERR "'/></error></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, NURSE, "iq", 0)), "service-unavailable");
	EXPECT_INT(fx_count(f, NULL, "presence"), 0);
	/* An iq error to the room, or to the service, is nobody's ghost. */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" FX_ROOM "' type='error' "
	    "id='e3'><error type='cancel'><recipient-unavailable xmlns='"
	    NS_STANZA_ERR "'/></error></iq>") == 0);
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" FX_DOMAIN "' "
	    "type='error' id='e4'><error type='cancel'><recipient-unavailable "
	    "xmlns='" NS_STANZA_ERR "'/></error></iq>") == 0);
	EXPECT(still_in_room(f, NURSE));
	EXPECT(still_in_room(f, JULIET));
	EXPECT_INT(fx_count(f, NULL, "message"), 3);
}

/* 17.3: "the service MUST NOT reveal the real JID" -- in a semi-anonymous
 * room neither side of any exchange (request, answer, vCard, error, with
 * two clients) ever receives text holding the other's real JID. */
static void
engine_proxy_no_real_jid_is_ever_visible_to_the_other_side(void)
{
	struct fx	*f = fx_new();
	char		 id[256];

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(second_client(f, JULIET_PHONE, "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET_PHONE "' to='" OCC("Nurse") "' "
	    "type='get' id='a'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	EXPECT(!copies_contain(f, JULIET_BARE));
	snprintf(id, sizeof(id), "%s", fx_attr(fx_get(f, NURSE, "iq", 0),
	    "id"));
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='result' id='%s'/>", id) == 1);
	EXPECT(!copies_contain(f, NURSE_BARE));
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='get' id='b'><vCard xmlns='vcard-temp'/></iq>") == 1);
	EXPECT(!copies_contain(f, NURSE_BARE));
	EXPECT(fx_send(f, "<iq from='" JULIET_BARE "' to='" OCC("Nurse") "' "
	    "type='result' id='b'><vCard xmlns='vcard-temp'/></iq>") == 1);
	EXPECT(!copies_contain(f, JULIET_BARE));
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Juliet") "' "
	    "type='error' id='c'><error type='cancel'><item-not-found xmlns='"
	    NS_STANZA_ERR "'/></error></iq>") == 1);
	EXPECT(!copies_contain(f, NURSE_BARE));
	/* The refusals name only occupant JIDs too. */
	EXPECT(fx_send(f, "<iq from='" TYBALT "' to='" OCC("Juliet") "' "
	    "type='get' id='d'><query xmlns='" NS_VERSION "'/></iq>") == 1);
	EXPECT(!copies_contain(f, JULIET_BARE));
}

/* Known lib/ bug: a user may be in the room under two nicks (one per
 * client).  A vCard answer comes from the bare JID, and lib/proxy.c takes
 * the first occupant with that bare JID as its sender, so the answer to a
 * request sent to the second nick arrives from the first nick's occupant
 * JID: the asker cannot match it (17.3: the answer comes back from the
 * occupant JID that was asked). */
static void
engine_proxy_vcard_answer_comes_from_the_nick_that_was_asked(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;
	char		 id[64];

	EXPECT(three_in_the_room(f) == 0);
	EXPECT(fx_join(f, ROMEO_PHONE, "room", "Montague") == 0);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 1);	/* a second occupant */
	EXPECT(fx_send(f, "<iq from='" NURSE "' to='" OCC("Montague") "' "
	    "type='get' id='vm'><vCard xmlns='vcard-temp'/></iq>") == 1);
	iq = fx_get(f, ROMEO_BARE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Nurse"));
	EXPECT(fx_attr(iq, "id") != NULL && strlen(fx_attr(iq, "id")) < 64);
	snprintf(id, sizeof(id), "%s", fx_attr(iq, "id"));
	/* The user's server answers with the id it was sent. */
	EXPECT(fx_send(f, "<iq from='" ROMEO_BARE "' to='" OCC("Nurse") "' "
	    "type='result' id='%s'><vCard xmlns='vcard-temp'/></iq>", id) == 1);
	iq = fx_get(f, NURSE, "iq", 0);
	EXPECT_STR(fx_attr(iq, "from"), OCC("Montague"));
	EXPECT_STR(fx_attr(iq, "id"), "vm");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_proxy_self_ping_answers_only_the_occupant_itself),
	UT_CASE(engine_proxy_iq_to_an_occupant_is_forwarded_both_ways),
	UT_CASE(engine_proxy_iq_answer_returns_to_the_asking_client),
	UT_CASE(engine_proxy_request_goes_to_the_real_jid_from_the_askers_occupant_jid),
	UT_CASE(engine_proxy_answer_goes_back_to_the_askers_real_jid),
	UT_CASE(engine_proxy_ping_to_another_occupant_is_forwarded_not_answered),
	UT_CASE(engine_proxy_vcard_goes_to_the_bare_jid_and_its_answer_comes_back),
	UT_CASE(engine_proxy_session_tags_route_each_answer_to_its_own_client),
	UT_CASE(engine_proxy_answer_for_an_asking_client_that_left_is_dropped),
	UT_CASE(engine_proxy_request_from_a_non_occupant_is_not_acceptable),
	UT_CASE(engine_proxy_request_to_an_unknown_nick_is_item_not_found),
	UT_CASE(engine_proxy_iq_errors_are_forwarded_and_never_a_ghost_sign),
	UT_CASE(engine_proxy_no_real_jid_is_ever_visible_to_the_other_side),
	UT_CASE(engine_proxy_vcard_answer_comes_from_the_nick_that_was_asked),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
