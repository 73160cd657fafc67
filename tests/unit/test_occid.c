/*
 * test_occid.c - XEP-0421 occupant-ids (lib/occid.c, and where the room
 * adds them: presence.c, message.c, action.c, archive.c, mam.c).
 *
 * Every presence and message the room sends from an occupant carries
 * exactly one <occupant-id/>, the room's (a client's own is replaced):
 * the join roster, the self-presence, status and nick changes, leaving,
 * groupchat copies, history, private messages, archive results.  The id
 * is the same for one real bare JID in one room across nick changes,
 * rejoining and a new service on the same database, differs between
 * rooms and between users, and is HMAC-SHA-256 of room JID, 0x00 and
 * bare JID under the database's secret, 18 bytes in base64url.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "crypto.h"
#include "engine_fixture.h"

#define OCC(nick)	FX_ROOM "/" nick
#define NS_OID		"urn:xmpp:occupant-id:0"
#define FORGED		"<occupant-id xmlns='" NS_OID "' id='forged'/>"

/* The occupant-id of s, or NULL when s has none or more than one or
 * the client's forged one (then the case fails). */
static const char *
oid(xmpp_stanza_t *s)
{
	xmpp_stanza_t	*c;
	size_t		 n = 0;
	const char	*id = NULL;

	for (c = s != NULL ? xmpp_stanza_get_children(s) : NULL; c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "occupant-id") == 0) {
			n++;
			id = fx_attr(c, "id");
		}
	if (n != 1 || id == NULL || strcmp(id, "forged") == 0 ||
	    strcmp(xmpp_stanza_get_ns(fx_child(s, "occupant-id", NS_OID)),
	    NS_OID) != 0) {
		ut_fail(__FILE__, __LINE__, "%zu occupant-ids, id %s", n,
		    id != NULL ? id : "(none)");
		return NULL;
	}
	return id;
}

/* The copy of kind to `to` from `from` in the last send (the first). */
static xmpp_stanza_t *
from_to(struct fx *f, const char *to, const char *kind, const char *from)
{
	xmpp_stanza_t	*s;
	size_t		 i;

	for (i = 0; (s = fx_get(f, to, kind, i)) != NULL; i++)
		if (fx_attr(s, "from") != NULL &&
		    strcmp(fx_attr(s, "from"), from) == 0)
			return s;
	return NULL;
}

static void
db_close(void *db)
{
	sqlite3_close(db);
}

static void
stmt_finalize(void *s)
{
	sqlite3_finalize(s);
}

/* A copy of s's id the case keeps (a fixture's copies go at the next
 * send). */
static const char *
keep(const char *id)
{
	static char	buf[8][64];
	static int	n;

	if (id == NULL)
		return NULL;
	snprintf(buf[n % 8], sizeof(buf[0]), "%s", id);
	return buf[n++ % 8];
}

/* Join roster, self-presence, the broadcast of the join, a status
 * change, a nick change (both halves) and leaving: one id, Juliet's,
 * everywhere; a forged one in her presence never shows. */
static void
engine_occid_every_presence_of_an_occupant_carries_its_id(void)
{
	struct fx	*f = fx_new();
	const char	*romeo, *juliet;
	xmpp_stanza_t	*p;

	EXPECT(fx_send(f, "<presence from='" ROMEO "' to='" OCC("Romeo")
	    "'><x xmlns='" NS_MUC_X "'/>" FORGED "</presence>") > 0);
	EXPECT((romeo = keep(oid(from_to(f, ROMEO, "presence",
	    OCC("Romeo"))))) != NULL);
	EXPECT(fx_config(f, ROMEO, "room", (const char *)NULL) == 0);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet")
	    "'><x xmlns='" NS_MUC_X "'/>" FORGED "</presence>") > 0);
	EXPECT_STR(oid(from_to(f, JULIET, "presence", OCC("Romeo"))), romeo);
	EXPECT((juliet = keep(oid(from_to(f, JULIET, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(strcmp(romeo, juliet) != 0);
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("Juliet"))), juliet);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Juliet")
	    "'><show>away</show>" FORGED "</presence>") == 2);
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("Juliet"))), juliet);
	EXPECT_STR(oid(from_to(f, JULIET, "presence", OCC("Juliet"))), juliet);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'/>") == 4);
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("Juliet"))), juliet);
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("Jules"))), juliet);
	EXPECT_STR(oid(from_to(f, JULIET, "presence", OCC("Jules"))), juliet);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT((p = from_to(f, ROMEO, "presence", OCC("Jules"))) != NULL);
	EXPECT_STR(fx_attr(p, "type"), "unavailable");
	EXPECT_STR(oid(p), juliet);
	EXPECT_STR(oid(from_to(f, JULIET, "presence", OCC("Jules"))), juliet);
}

/* Groupchat copies (the sender's too), the history a joiner gets and a
 * private message carry the sender's id, never the forged one. */
static void
engine_occid_messages_history_and_private_messages_carry_it(void)
{
	struct fx	*f = fx_new();
	const char	*juliet;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((juliet = keep(oid(from_to(f, ROMEO, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>Hark</body>" FORGED "</message>") == 2);
	EXPECT_STR(oid(fx_get(f, ROMEO, "message", 0)), juliet);
	EXPECT_STR(oid(fx_get(f, JULIET, "message", 0)), juliet);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(oid(from_to(f, NURSE, "message", OCC("Juliet"))), juliet);
	EXPECT(fx_child(from_to(f, NURSE, "message", OCC("Juliet")), "delay",
	    "urn:xmpp:delay") != NULL);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" OCC("Romeo") "' "
	    "type='chat'><body>psst</body>" FORGED "</message>") == 1);
	EXPECT_STR(oid(fx_get(f, ROMEO, "message", 0)), juliet);
}

/* Archive results carry the id kept with the message; a row kept
 * before mucd made ids (its stanza without one) gets it from its
 * sender, the same. */
static void
engine_occid_archive_results_carry_it_also_for_old_rows(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path);
	const char	*juliet;
	xmpp_stanza_t	*r;
	sqlite3		*db;
	size_t		 i;

	EXPECT(fx_archive_room(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((juliet = keep(oid(from_to(f, ROMEO, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>one</body></message>") == 2);
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>two</body></message>") == 2);
	EXPECT(fx_tick(f) >= 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='q'><query xmlns='urn:xmpp:mam:2' queryid='Q'/></iq>") == 3);
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	ut_defer(db_close, db);
	/* The first message as an older mucd kept it. */
	EXPECT(sqlite3_exec(db, "UPDATE archive SET stanza = "
	    "'<message from=\"" OCC("Juliet") "\" type=\"groupchat\">"
	    "<body>one</body></message>' WHERE id = (SELECT min(id) FROM "
	    "archive)", NULL, NULL, NULL) == SQLITE_OK);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='q'><query xmlns='urn:xmpp:mam:2' queryid='Q'/></iq>") == 3);
	for (i = 0; i < 2; i++) {
		r = fx_child(fx_child(fx_get(f, ROMEO, "message", i), "result",
		    "urn:xmpp:mam:2"), "forwarded", "urn:xmpp:forward:0");
		EXPECT_STR(oid(fx_child(r, "message", "jabber:client")),
		    juliet);
	}
}

/* The id a joiner gets for Juliet after each of: entering, a nick
 * change, leaving and coming back, a new service on the database. */
static void
engine_occid_is_stable_across_nick_change_rejoin_and_restart(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;
	const char	*juliet;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((juliet = keep(oid(from_to(f, JULIET, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" OCC("Jules")
	    "'/>") == 4);
	EXPECT_STR(oid(from_to(f, JULIET, "presence", OCC("Jules"))), juliet);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	/* Another client of hers, another nick. */
	EXPECT(fx_join(f, "juliet@capulet.lit/phone", "room", "J") == 0);
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("J"))), juliet);
	EXPECT(fx_leave(f, "juliet@capulet.lit/phone", "room") == 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	EXPECT_INT(fx_shutdown(f), 0);
	g = fx_new_with(NULL, 0, path);
	EXPECT(fx_join(g, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(g, JULIET, "room", "Juliet") == 0);
	EXPECT_STR(oid(from_to(g, ROMEO, "presence", OCC("Juliet"))), juliet);
}

/* An occupant kept across a restart (snapshot.c) comes back with its
 * id: a joiner after muc_restore() sees the id it had before. */
static void
engine_occid_restored_occupant_keeps_its_id(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;
	const char	*juliet;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((juliet = keep(oid(from_to(f, ROMEO, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT_INT(fx_shutdown(f), 0);
	g = fx_new_with(NULL, 0, path);
	EXPECT_INT(muc_restore(g->svc), MUC_OK);
	EXPECT(fx_join(g, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(oid(from_to(g, NURSE, "presence", OCC("Juliet"))), juliet);
}

/* The same user in two rooms, and two users in one, have other ids. */
static void
engine_occid_differs_between_rooms_and_between_users(void)
{
	struct fx	*f = fx_new();
	const char	*here, *there, *romeo;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((romeo = keep(oid(from_to(f, JULIET, "presence",
	    OCC("Romeo"))))) != NULL);
	EXPECT((here = keep(oid(from_to(f, JULIET, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(fx_create(f, ROMEO, "other", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "other", "Juliet") == 0);
	EXPECT((there = keep(oid(from_to(f, JULIET, "presence",
	    "other@" FX_DOMAIN "/Juliet")))) != NULL);
	EXPECT(strcmp(here, there) != 0);
	EXPECT(strcmp(here, romeo) != 0);
	EXPECT(strcmp(oid(from_to(f, JULIET, "presence",
	    "other@" FX_DOMAIN "/Romeo")), romeo) != 0);
}

/* The id is the first 18 bytes of HMAC-SHA-256(secret, room JID 0x00
 * bare JID) in base64url, the secret being the database's 32 bytes:
 * nothing in it tells the JID without the secret. */
static void
engine_occid_is_the_hmac_of_room_and_bare_jid_under_the_secret(void)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	static const char	 msg[] = FX_ROOM "\0" JULIET_BARE;
	const char		*path = fx_tmp_db();
	struct fx		*f = fx_new_with(NULL, 0, path);
	unsigned char		 key[32], tag[SHA256_LEN];
	char			 want[25];
	sqlite3			*db;
	sqlite3_stmt		*s;
	unsigned		 v;
	int			 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, "Juliet@Capulet.lit/balcony", "room", "Juliet") == 0);
	EXPECT(sqlite3_open(path, &db) == SQLITE_OK);
	ut_defer(db_close, db);
	EXPECT(sqlite3_prepare_v2(db, "SELECT occupant_key FROM archive_state",
	    -1, &s, NULL) == SQLITE_OK);
	ut_defer(stmt_finalize, s);
	EXPECT(sqlite3_step(s) == SQLITE_ROW);
	EXPECT_INT(sqlite3_column_bytes(s, 0), 32);
	memcpy(key, sqlite3_column_blob(s, 0), 32);
	hmac_sha256(key, 32, msg, sizeof(msg) - 1, tag);
	for (i = 0; i < 6; i++) {
		v = (unsigned)tag[3 * i] << 16 | (unsigned)tag[3 * i + 1] << 8 |
		    tag[3 * i + 2];
		want[4 * i] = b64[v >> 18 & 63];
		want[4 * i + 1] = b64[v >> 12 & 63];
		want[4 * i + 2] = b64[v >> 6 & 63];
		want[4 * i + 3] = b64[v & 63];
	}
	want[24] = '\0';
	/* Prepared first: the JID as the host wrote it is the same user. */
	EXPECT_STR(oid(from_to(f, ROMEO, "presence", OCC("Juliet"))), want);
}

/* A member absent under a reserved nick is shown with the id she has
 * when present. */
static void
engine_occid_absent_member_shows_the_id_she_has_when_present(void)
{
	struct fx	*f = fx_new();
	const char	*juliet;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((juliet = keep(oid(from_to(f, ROMEO, "presence",
	    OCC("Juliet"))))) != NULL);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='c'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA "' "
	    "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#roomconfig</value></field>"
	    "<field var='muc#roomconfig_presencebroadcast'>"
	    "<value>none</value><value>participant</value><value>moderator"
	    "</value></field></x></query></iq>") >= 1);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    "Juliet") == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_STR(fx_attr(from_to(f, NURSE, "presence", OCC("Juliet")),
	    "type"), "unavailable");
	EXPECT_STR(oid(from_to(f, NURSE, "presence", OCC("Juliet"))), juliet);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_occid_every_presence_of_an_occupant_carries_its_id),
	UT_CASE(engine_occid_messages_history_and_private_messages_carry_it),
	UT_CASE(engine_occid_archive_results_carry_it_also_for_old_rows),
	UT_CASE(engine_occid_is_stable_across_nick_change_rejoin_and_restart),
	UT_CASE(engine_occid_restored_occupant_keeps_its_id),
	UT_CASE(engine_occid_differs_between_rooms_and_between_users),
	UT_CASE(engine_occid_is_the_hmac_of_room_and_bare_jid_under_the_secret),
	UT_CASE(engine_occid_absent_member_shows_the_id_she_has_when_present),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
