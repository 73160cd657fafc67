/*
 * test_vcard.c - the room's vCard and avatar (lib/vcard.c; XEP-0486,
 * vcard-temp of XEP-0054 on the room's bare JID).
 *
 * Owners and service admins set and remove the vCard; anyone who may see
 * the room gets it, outcasts do not; a vCard over vcard_max_bytes is
 * not-acceptable; the avatar's SHA-1 hashes appear in disco#info's
 * muc#roominfo_avatarhash (none without an avatar); occupants are told of
 * a change with a 104 message; a persistent room's vCard survives the
 * engine being opened again on its database, and leaves with the room.
 * vCards of occupant JIDs still go through the proxy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "engine_fixture.h"

#define NS_INFO		"http://jabber.org/protocol/disco#info"
#define NS_VC		"vcard-temp"
#define ADMIN_BARE	"prince@verona.lit"
#define ADMIN		ADMIN_BARE "/palace"

/* XEP-0486's example images and their hashes (4.3, 5). */
#define SVG_B64	\
	"PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRo" \
	"PSIzMiIgaGVpZ2h0PSIzMiI+CiA8cmVjdCB4PSIwIiB5PSIwIiB3aWR0aD0i" \
	"MzIiIGhlaWdodD0iMzIiIGZpbGw9InJlZCIvPgo8L3N2Zz4K"
#define SVG_SHA1	"a31c4bd04de69663cfd7f424a8453f4674da37ff"
#define PNG_B64	\
	"iVBORw0KGgoAAAANSUhEUgAAACAAAAAgAQMAAABJtOi3AAAAB3RJTUUH4ggV" \
	"ERoVAPsrMgAAAAlwSFlzAAALEgAACxIB0t1+/AAAABl0RVh0U29mdHdhcmUA" \
	"d3d3Lmlua3NjYXBlLm9yZ5vuPBoAAAAEZ0FNQQAAsY8L/GEFAAAAIGNIUk0A" \
	"AHomAACAhAAA+gAAAIDoAAB1MAAA6mAAADqYAAAXcJy6UTwAAAAGUExURf8A" \
	"AP///0EdNBEAAAABYktHRAH/Ai3eAAAADElEQVQI12NgGNwAAACgAAFhJX1H" \
	"AAAAAElFTkSuQmCC"
#define PNG_SHA1	"b9b256f999ded52c2fa14fb007c2e5b979450cbb"

#define PHOTO(type, b64) "<PHOTO><TYPE>" type "</TYPE><BINVAL>" b64 \
	"</BINVAL></PHOTO>"
#define SVG_VCARD	"<vCard xmlns='vcard-temp'>" PHOTO("image/svg+xml", \
	SVG_B64) "</vCard>"

/* from sends an iq of type to the room (localpart) with payload; returns
 * the one answer to from, or NULL. */
static xmpp_stanza_t *
ask(struct fx *f, const char *from, const char *room, const char *type,
    const char *payload)
{
	if (fx_send(f, "<iq from='%s' to='%s@" FX_DOMAIN "' type='%s' "
	    "id='vc'>%s</iq>", from, room, type, payload) < 0)
		return NULL;
	return fx_count(f, from, "iq") == 1 ? fx_get(f, from, "iq", 0) : NULL;
}

/* The room's disco#info to from, or NULL. */
static xmpp_stanza_t *
info(struct fx *f, const char *from, const char *room)
{
	xmpp_stanza_t	*iq = ask(f, from, room, "get",
			    "<query xmlns='" NS_INFO "'/>");

	return fx_child(iq, "query", NS_INFO);
}

/* The values of the avatarhash field in room's disco#info, as
 * "h1 h2", "" when the field has no value, NULL when it is absent. */
static const char *
avatarhash(struct fx *f, const char *room)
{
	static char	 buf[256];
	xmpp_stanza_t	*field, *v;
	char		*t;

	field = fx_field(fx_child(info(f, TYBALT, room), "x", NS_XDATA),
	    "muc#roominfo_avatarhash");
	if (field == NULL)
		return NULL;
	if (fx_attr(field, "type") == NULL ||
	    strcmp(fx_attr(field, "type"), "text-multi") != 0)
		return "(not text-multi)";
	buf[0] = '\0';
	for (v = xmpp_stanza_get_children(field); v != NULL;
	    v = xmpp_stanza_get_next(v)) {
		if (!xmpp_stanza_is_tag(v) ||
		    strcmp(xmpp_stanza_get_name(v), "value") != 0)
			continue;
		t = xmpp_stanza_get_text(v);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    buf[0] != '\0' ? " " : "", t != NULL ? t : "");
		if (t != NULL)
			xmpp_free(f->ctx, t);
	}
	return buf;
}

/* Does disco#info q list feature var? */
static int
has_feature(xmpp_stanza_t *q, const char *var)
{
	xmpp_stanza_t	*c;

	for (c = xmpp_stanza_get_children(q); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "feature") == 0 &&
		    fx_attr(c, "var") != NULL &&
		    strcmp(fx_attr(c, "var"), var) == 0)
			return 1;
	return 0;
}

/* The BINVAL of the first PHOTO of the vCard in iq, or NULL. */
static const char *
binval(struct fx *f, xmpp_stanza_t *iq)
{
	return fx_text(f, fx_child(fx_child(iq, "vCard", NS_VC), "PHOTO",
	    NULL), "BINVAL");
}

static long
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	long		 v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* XEP-0486 4.2 and 4.3: the owner publishes, a stranger fetches the same
 * vCard; both the service and the room advertise vcard-temp (4.1). */
static void
engine_vcard_owner_sets_it_and_a_stranger_gets_it(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	iq = ask(f, JULIET, "room", "get", "<vCard xmlns='vcard-temp'/>");
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT(fx_child(iq, "vCard", NS_VC) != NULL);
	EXPECT_NULL(fx_child(fx_child(iq, "vCard", NS_VC), "PHOTO", NULL));
	iq = ask(f, ROMEO, "room", "set", SVG_VCARD);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(fx_attr(iq, "from"), FX_ROOM);
	iq = ask(f, JULIET, "room", "get", "<vCard xmlns='vcard-temp'/>");
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(binval(f, iq), SVG_B64);
	EXPECT_STR(fx_text(f, fx_child(fx_child(iq, "vCard", NS_VC), "PHOTO",
	    NULL), "TYPE"), "image/svg+xml");
	EXPECT(has_feature(info(f, JULIET, "room"), NS_VC));
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_DOMAIN "' type='get' "
	    "id='s'><query xmlns='" NS_INFO "'/></iq>") == 1);
	EXPECT(has_feature(fx_child(fx_get(f, JULIET, "iq", 0), "query",
	    NS_INFO), NS_VC));
}

/* Only owners set it (XEP-0486 4.2: forbidden), service admins rank as
 * owners; an outcast may not read it; a missing room is item-not-found. */
static void
engine_vcard_others_are_refused_and_outcasts_cannot_read_it(void)
{
	static const char *const admins[] = { ADMIN_BARE };
	struct fx	*f = fx_new_with(admins, 1, NULL);
	xmpp_stanza_t	*iq;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "admin", NULL) ==
	    0);
	EXPECT(fx_affiliate(f, ROMEO, "room", TYBALT_BARE, "outcast", NULL) ==
	    0);
	iq = ask(f, JULIET, "room", "set", SVG_VCARD);
	EXPECT_STR(fx_error(iq), "forbidden");
	EXPECT_STR(fx_error_type(iq), "auth");
	EXPECT_STR(fx_error(ask(f, NURSE, "room", "set", SVG_VCARD)),
	    "forbidden");
	EXPECT_NULL(avatarhash(f, "room"));
	iq = ask(f, ADMIN, "room", "set", SVG_VCARD);
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_STR(avatarhash(f, "room"), SVG_SHA1);
	iq = ask(f, TYBALT, "room", "get", "<vCard xmlns='vcard-temp'/>");
	EXPECT_STR(fx_error(iq), "forbidden");
	EXPECT_STR(binval(f, ask(f, NURSE, "room", "get",
	    "<vCard xmlns='vcard-temp'/>")), SVG_B64);
	EXPECT_STR(fx_error(ask(f, NURSE, "nowhere", "get",
	    "<vCard xmlns='vcard-temp'/>")), "item-not-found");
	/* A locked room is not there for anyone but its owner. */
	EXPECT(fx_join(f, BENVOLIO, "locked", "Benvolio") == 0);
	EXPECT_STR(fx_error(ask(f, NURSE, "locked", "get",
	    "<vCard xmlns='vcard-temp'/>")), "item-not-found");
	EXPECT_STR(fx_error(ask(f, NURSE, "room", "get",
	    "<query xmlns='vcard-temp'/>")), "bad-request");
}

/* The hash is XEP-0153's, one value per PHOTO (XEP-0486 5), and the
 * field is gone once the avatar is (an empty vCard, or one without a
 * PHOTO, which is still served). */
static void
engine_vcard_hashes_appear_in_disco_info_until_removed(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*iq;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT_NULL(avatarhash(f, "room"));
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", "<vCard "
	    "xmlns='vcard-temp'>" PHOTO("image/svg+xml", SVG_B64)
	    PHOTO("image/png", PNG_B64) "</vCard>"), "type"), "result");
	EXPECT_STR(avatarhash(f, "room"), SVG_SHA1 " " PNG_SHA1);
	/* Base64 wrapped over lines, as vCards often carry it. */
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", "<vCard "
	    "xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>\n"
	    "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgAQMAAABJtOi3AAAAB3RJTUUH4ggV\n"
	    "ERoVAPsrMgAAAAlwSFlzAAALEgAACxIB0t1+/AAAABl0RVh0U29mdHdhcmUA\n"
	    "d3d3Lmlua3NjYXBlLm9yZ5vuPBoAAAAEZ0FNQQAAsY8L/GEFAAAAIGNIUk0A\n"
	    "AHomAACAhAAA+gAAAIDoAAB1MAAA6mAAADqYAAAXcJy6UTwAAAAGUExURf8A\n"
	    "AP///0EdNBEAAAABYktHRAH/Ai3eAAAADElEQVQI12NgGNwAAACgAAFhJX1H\n"
	    "AAAAAElFTkSuQmCC\n"
	    "</BINVAL>"
	    "</PHOTO></vCard>"), "type"), "result");
	EXPECT_STR(avatarhash(f, "room"), PNG_SHA1);
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", "<vCard "
	    "xmlns='vcard-temp'><FN>Verona</FN></vCard>"), "type"), "result");
	EXPECT_NULL(avatarhash(f, "room"));
	iq = ask(f, JULIET, "room", "get", "<vCard xmlns='vcard-temp'/>");
	EXPECT_STR(fx_text(f, fx_child(iq, "vCard", NS_VC), "FN"), "Verona");
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", SVG_VCARD), "type"),
	    "result");
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set",
	    "<vCard xmlns='vcard-temp'/>"), "type"), "result");
	EXPECT_NULL(avatarhash(f, "room"));
	iq = ask(f, JULIET, "room", "get", "<vCard xmlns='vcard-temp'/>");
	EXPECT_STR(fx_attr(iq, "type"), "result");
	EXPECT_NULL(fx_child(fx_child(iq, "vCard", NS_VC), "FN", NULL));
	/* A PHOTO whose BINVAL is not base64 is refused whole. */
	iq = ask(f, ROMEO, "room", "set", "<vCard xmlns='vcard-temp'>"
	    PHOTO("image/png", "!!not base64!!") "</vCard>");
	EXPECT_STR(fx_error(iq), "bad-request");
	EXPECT_NULL(avatarhash(f, "room"));
}

/* XEP-0486 4.2: occupants are told with a 104 message from the room;
 * setting the same vCard again tells nobody anything. */
static void
engine_vcard_change_is_announced_to_occupants_with_104(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='vc'>" SVG_VCARD "</iq>") == 3);
	EXPECT(fx_pos(f, ROMEO, "iq", 0) < fx_pos(f, ROMEO, "message", 0));
	m = fx_get(f, JULIET, "message", 0);
	EXPECT_STR(fx_attr(m, "type"), "groupchat");
	EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
	EXPECT(fx_has_status(m, 104));
	EXPECT_INT(fx_nstatus(m), 1);
	EXPECT(fx_has_status(fx_get(f, ROMEO, "message", 0), 104));
	EXPECT_INT(fx_count(f, NULL, "presence"), 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='vc'>" SVG_VCARD "</iq>") == 1);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='vc'><vCard xmlns='vcard-temp'/></iq>") == 3);
	EXPECT(fx_has_status(fx_get(f, JULIET, "message", 0), 104));
	/* A refused set tells nobody. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "' type='set' "
	    "id='vc'>" SVG_VCARD "</iq>") == 1);
}

/* Over vcard_max_bytes (as XML) is not-acceptable and changes nothing. */
static void
engine_vcard_over_the_size_limit_is_not_acceptable(void)
{
	struct muc_service_config	 cfg;
	struct fx			*f;
	xmpp_stanza_t			*iq;

	memset(&cfg, 0, sizeof(cfg));
	cfg.vcard_max_bytes = 400;
	f = fx_new_cfg(&cfg, NULL);
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", SVG_VCARD), "type"),
	    "result");
	iq = ask(f, ROMEO, "room", "set", "<vCard xmlns='vcard-temp'>"
	    PHOTO("image/png", PNG_B64) "</vCard>");
	EXPECT_STR(fx_error(iq), "not-acceptable");
	EXPECT_STR(fx_error_type(iq), "modify");
	EXPECT_STR(avatarhash(f, "room"), SVG_SHA1);
	/* The default is 64 KiB: the PNG fits. */
	f = fx_new();
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", "<vCard "
	    "xmlns='vcard-temp'>" PHOTO("image/png", PNG_B64) "</vCard>"),
	    "type"), "result");
}

/* A persistent room's vCard is in the database: a second engine on the
 * file serves it; a temporary room's enters the store with the room when
 * it becomes persistent; destroying the room deletes the row. */
static void
engine_vcard_persists_across_an_engine_reopen(void)
{
	const char	*path = fx_tmp_db();
	struct fx	*f = fx_new_with(NULL, 0, path), *g;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", SVG_VCARD), "type"),
	    "result");
	EXPECT(fx_create(f, ROMEO, "later", "Romeo") == 0);
	EXPECT_STR(fx_attr(ask(f, ROMEO, "later", "set", "<vCard "
	    "xmlns='vcard-temp'>" PHOTO("image/png", PNG_B64) "</vCard>"),
	    "type"), "result");
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_vcards"), 1);
	/* Kept as sent: its namespace, and xml:lang under its own name. */
	EXPECT_STR(fx_attr(ask(f, ROMEO, "room", "set", "<vCard "
	    "xmlns='vcard-temp'>" PHOTO("image/svg+xml", SVG_B64) "<DESC "
	    "xml:lang='it'>Verona &amp; Mantova</DESC><x xmlns='urn:x:y'/>"
	    "</vCard>"), "type"), "result");
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_vcards WHERE "
	    "vcard LIKE '<vCard xmlns=\"vcard-temp\"><PHOTO>%' AND vcard "
	    "LIKE '%<DESC xml:lang=\"it\">Verona &amp; Mantova</DESC>"
	    "<x xmlns=\"urn:x:y\"/></vCard>'"), 1);
	EXPECT(fx_config(f, ROMEO, "later", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_vcards"), 2);
	g = fx_new_with(NULL, 0, path);
	EXPECT_STR(avatarhash(g, "room"), SVG_SHA1);
	EXPECT_STR(avatarhash(g, "later"), PNG_SHA1);
	EXPECT_STR(binval(g, ask(g, JULIET, "room", "get",
	    "<vCard xmlns='vcard-temp'/>")), SVG_B64);
	/* Removed, and the removal is stored too. */
	EXPECT_STR(fx_attr(ask(g, ROMEO, "room", "set",
	    "<vCard xmlns='vcard-temp'/>"), "type"), "result");
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_vcards"), 1);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='later@" FX_DOMAIN "' "
	    "type='set' id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/>"
	    "</query></iq>") > 0);
	EXPECT_INT(sql_int(path, "SELECT count(*) FROM room_vcards"), 0);
}

/* The vCard of an occupant is the occupant's: the proxy forwards it. */
static void
engine_vcard_of_an_occupant_goes_through_the_proxy(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='" FX_ROOM "/Romeo' "
	    "type='get' id='v1'><vCard xmlns='vcard-temp'/></iq>") == 1);
	/* A vCard is the account's: asked of Romeo's bare JID. */
	EXPECT_INT(fx_count(f, ROMEO_BARE, "iq"), 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO_BARE, "iq", 0), "from"),
	    FX_ROOM "/Juliet");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_vcard_owner_sets_it_and_a_stranger_gets_it),
	UT_CASE(engine_vcard_others_are_refused_and_outcasts_cannot_read_it),
	UT_CASE(engine_vcard_hashes_appear_in_disco_info_until_removed),
	UT_CASE(engine_vcard_change_is_announced_to_occupants_with_104),
	UT_CASE(engine_vcard_over_the_size_limit_is_not_acceptable),
	UT_CASE(engine_vcard_persists_across_an_engine_reopen),
	UT_CASE(engine_vcard_of_an_occupant_goes_through_the_proxy),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
