/*
 * test_roomopt.c - the room option table of lib/roomopt.c: the table is
 * sound (every option once, with a column the schema has), and the form,
 * the submit parser, change detection, room info and the database
 * conversions all follow it (XEP-0045 10.1, 10.2, 15.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "muc.h"
#include "roomopt.h"
#include "store.h"
#include "unit.h"

static xmpp_ctx_t *
ctx_new(void)
{
	xmpp_ctx_t	*ctx = xmpp_ctx_new(NULL, NULL);

	if (ctx == NULL)
		abort();
	ut_defer((void (*)(void *))xmpp_ctx_free, ctx);
	return ctx;
}

static void
cfg_free(void *arg)
{
	roomconfig_free(arg);
	free(arg);
}

static struct room_config *
cfg_new(void)
{
	struct room_config	*c = malloc(sizeof(*c));

	if (c == NULL || roomconfig_init(c) != 0)
		abort();
	ut_defer(cfg_free, c);
	return c;
}

static void
stanza_release(void *arg)
{
	xmpp_stanza_release(arg);
}

static xmpp_stanza_t *
parse(xmpp_ctx_t *ctx, const char *xml)
{
	xmpp_stanza_t	*s = xmpp_stanza_new_from_string(ctx, xml);

	if (s == NULL)
		abort();
	ut_defer(stanza_release, s);
	return s;
}

/* Every var (and alias) is used once; every typed row is complete. */
static void
engine_roomopt_every_option_has_one_var_and_what_its_type_needs(void)
{
	size_t	i, k;

	for (i = 0; i < nroomopts; i++) {
		const struct roomopt *o = &roomopts[i];

		EXPECT(o->var != NULL && o->label != NULL);
		EXPECT(o->derive != NULL || o->def != NULL);
		EXPECT((o->derive == NULL) == (o->apply == NULL));
		if (o->type == ROPT_CHOICE || o->type == ROPT_ROLES)
			EXPECT(o->choices != NULL && o->nchoices > 0);
		if (o->type == ROPT_UINT)
			EXPECT(o->min <= o->max);
		EXPECT((o->feature_on == NULL) == (o->feature_off == NULL));
		for (k = i + 1; k < nroomopts; k++) {
			EXPECT(strcmp(o->var, roomopts[k].var) != 0);
			EXPECT(o->column == NULL || roomopts[k].column == NULL ||
			    strcmp(o->column, roomopts[k].column) != 0);
		}
	}
}

/* Every stored option's column exists in a new database, with the same
 * default as the table's: the migrations and the table agree. */
static void
engine_roomopt_every_column_exists_with_the_tables_default(void)
{
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*s;
	size_t		 i;
	char		 path[64], sql[256];
	int		 found;

	snprintf(path, sizeof(path), "/tmp/mucd-roomopt-%d.db", (int)getpid());
	unlink(path);
	EXPECT_INT(store_open(path, NULL, &st), MUC_OK);
	store_close(st);
	EXPECT_INT(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < nroomopts && !ut_failed(); i++) {
		if (roomopts[i].column == NULL)
			continue;
		snprintf(sql, sizeof(sql), "SELECT dflt_value FROM "
		    "pragma_table_info('rooms') WHERE name = '%s'",
		    roomopts[i].column);
		EXPECT_INT(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		found = sqlite3_step(s) == SQLITE_ROW;
		if (!found)
			ut_fail(__FILE__, __LINE__, "no column %s",
			    roomopts[i].column);
		else if (roomopt_db_is_int(&roomopts[i]))
			EXPECT_STR((const char *)sqlite3_column_text(s, 0),
			    roomopts[i].def);
		else {
			char want[128];

			snprintf(want, sizeof(want), "'%s'", roomopts[i].def);
			EXPECT_STR((const char *)sqlite3_column_text(s, 0), want);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	unlink(path);
}

/* The form shows every option with its type and current value; each
 * list offers its choices. */
static void
engine_roomopt_form_shows_every_option_with_its_value(void)
{
	xmpp_ctx_t		*ctx = ctx_new();
	struct build		 b = BUILD_INIT(ctx);
	struct room_config	*c = cfg_new();
	xmpp_stanza_t		*q, *x, *f;
	size_t			 i, nfields = 0;

	roomconfig_set_str(&c->title, "Verona");
	c->allow_pm = PM_NONE;
	q = b_new(&b, "query");
	roomopt_form(&b, q, c);
	EXPECT((q = b_done(&b, q)) != NULL);
	ut_defer(stanza_release, q);
	EXPECT((x = st_child(q, "x", "jabber:x:data")) != NULL);
	EXPECT_STR(xmpp_stanza_get_type(x), "form");
	for (f = xmpp_stanza_get_children(x); f != NULL;
	    f = xmpp_stanza_get_next(f))
		nfields += strcmp(xmpp_stanza_get_name(f), "field") == 0;
	EXPECT_INT(nfields, nroomopts + 1);	/* and FORM_TYPE */
	for (i = 0; i < nroomopts; i++) {
		for (f = xmpp_stanza_get_children(x); f != NULL;
		    f = xmpp_stanza_get_next(f))
			if (xmpp_stanza_get_attribute(f, "var") != NULL &&
			    strcmp(xmpp_stanza_get_attribute(f, "var"),
			    roomopts[i].var) == 0)
				break;
		EXPECT(f != NULL);
		if (roomopts[i].nchoices > 0) {
			size_t n = 0;
			xmpp_stanza_t *o;

			for (o = xmpp_stanza_get_children(f); o != NULL;
			    o = xmpp_stanza_get_next(o))
				n += strcmp(xmpp_stanza_get_name(o), "option") == 0;
			EXPECT_INT(n, roomopts[i].nchoices);
		}
	}
}

/* Submitting a configuration's own form back changes nothing, and a
 * change made through the form reads back. */
static void
engine_roomopt_form_submitted_back_round_trips(void)
{
	xmpp_ctx_t		*ctx = ctx_new();
	struct room_config	*a = cfg_new(), *b2 = cfg_new();
	struct roomopt_error	 err;
	struct roomopt_changes	 ch;
	xmpp_stanza_t		*x;

	roomconfig_set_str(&a->title, "Orchard");
	roomconfig_set_str(&a->password, "s3");
	a->whois_anyone = 1;
	a->broadcast = BCAST_ROLE(ROLE_MODERATOR) | BCAST_ROLE(ROLE_NONE);
	a->max_users = 30;
	x = parse(ctx, "<x xmlns='jabber:x:data' type='submit'>"
	    "<field var='FORM_TYPE'><value>http://jabber.org/protocol/"
	    "muc#roomconfig</value></field>"
	    "<field var='muc#roomconfig_roomname'><value>Orchard</value></field>"
	    "<field var='muc#roomconfig_passwordprotectedroom'><value>true"
	    "</value></field>"
	    "<field var='muc#roomconfig_roomsecret'><value>s3</value></field>"
	    "<field var='muc#roomconfig_whois'><value>anyone</value></field>"
	    "<field var='muc#roomconfig_presencebroadcast'><value>none</value>"
	    "<value>moderator</value></field>"
	    "<field var='muc#roomconfig_maxusers'><value>30</value></field>"
	    "</x>");
	EXPECT_INT(roomopt_submit(b2, x, &err), MUC_OK);
	EXPECT_NULL(err.condition);
	roomopt_diff(a, b2, &ch);
	EXPECT_INT(ch.nchanged, 0);
}

/* Change detection: an anonymity change implies its own code (172 or
 * 173), anything else counts as a plain 104 change. */
static void
engine_roomopt_diff_gives_codes_for_anonymity_and_counts_the_rest(void)
{
	struct room_config	*a = cfg_new(), *b = cfg_new();
	struct roomopt_changes	 ch;

	roomopt_diff(a, b, &ch);
	EXPECT_INT(ch.nchanged, 0);
	b->whois_anyone = 1;
	roomopt_diff(a, b, &ch);
	EXPECT_INT(ch.nchanged, 1);
	EXPECT_INT(ch.nplain, 0);
	EXPECT_INT(ch.ncodes, 1);
	EXPECT_INT(ch.codes[0], 172);
	roomopt_diff(b, a, &ch);
	EXPECT_INT(ch.codes[0], 173);
	b->moderated = 1;
	roomconfig_set_str(&b->description, "new");
	roomopt_diff(a, b, &ch);
	EXPECT_INT(ch.nchanged, 3);
	EXPECT_INT(ch.nplain, 2);
	EXPECT_INT(ch.ncodes, 1);
}

/* The database side: integers for booleans and numbers, names for lists
 * and roles; values the option cannot take are refused. */
static void
engine_roomopt_db_values_round_trip_and_bad_ones_are_refused(void)
{
	struct room_config	*a = cfg_new(), *b = cfg_new();
	struct roomopt_changes	 ch;
	char			 buf[64];
	size_t			 i;

	a->allow_pm = PM_PARTICIPANTS;
	a->broadcast = BCAST_ROLE(ROLE_VISITOR);
	a->history_length = 5;
	a->members_only = 1;
	roomconfig_set_str(&a->language, "de");
	for (i = 0; i < nroomopts; i++) {
		const struct roomopt *o = &roomopts[i];

		if (o->column == NULL)
			continue;
		if (roomopt_db_is_int(o))
			EXPECT_INT(roomopt_db_set_int(o, b,
			    roomopt_db_int(o, a)), ROPT_OK);
		else
			EXPECT_INT(roomopt_db_set_text(o, b,
			    roomopt_db_text(o, a, buf, sizeof(buf))), ROPT_OK);
	}
	roomopt_diff(a, b, &ch);
	EXPECT_INT(ch.nchanged, 0);
	for (i = 0; i < nroomopts; i++) {
		const struct roomopt *o = &roomopts[i];

		if (o->column == NULL)
			continue;
		if (strcmp(o->column, "allow_pm") == 0 ||
		    strcmp(o->column, "presence_broadcast") == 0 ||
		    strcmp(o->column, "whois") == 0)
			EXPECT_INT(roomopt_db_set_text(o, b, "king"), ROPT_BAD);
		if (strcmp(o->column, "history_length") == 0)
			EXPECT_INT(roomopt_db_set_int(o, b, 1001), ROPT_BAD);
		if (strcmp(o->column, "moderated") == 0)
			EXPECT_INT(roomopt_db_set_int(o, b, 2), ROPT_BAD);
	}
	roomopt_diff(a, b, &ch);
	EXPECT_INT(ch.nchanged, 0);
}

/* Room info carries the options that have a roominfo field (maxusers
 * only when set) and one feature of each pair. */
static void
engine_roomopt_room_info_follows_the_table(void)
{
	xmpp_ctx_t		*ctx = ctx_new();
	struct build		 b = BUILD_INIT(ctx);
	struct room_config	*c = cfg_new();
	xmpp_stanza_t		*q, *x, *f;
	int			 maxusers = 0, nfeatures = 0, npairs = 0;
	size_t			 i;

	q = b_new(&b, "query");
	x = b_child(&b, q, "x", "jabber:x:data");
	roomopt_info_fields(&b, x, c);
	roomopt_features(&b, q, c);
	EXPECT((q = b_done(&b, q)) != NULL);
	ut_defer(stanza_release, q);
	for (f = xmpp_stanza_get_children(x); f != NULL;
	    f = xmpp_stanza_get_next(f))
		maxusers += strcmp(xmpp_stanza_get_attribute(f, "var"),
		    "muc#roomconfig_maxusers") == 0;
	EXPECT_INT(maxusers, 0);
	for (f = xmpp_stanza_get_children(q); f != NULL;
	    f = xmpp_stanza_get_next(f))
		nfeatures += strcmp(xmpp_stanza_get_name(f), "feature") == 0;
	for (i = 0; i < nroomopts; i++)
		npairs += roomopts[i].feature_on != NULL;
	EXPECT_INT(nfeatures, npairs);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_roomopt_every_option_has_one_var_and_what_its_type_needs),
	UT_CASE(engine_roomopt_every_column_exists_with_the_tables_default),
	UT_CASE(engine_roomopt_form_shows_every_option_with_its_value),
	UT_CASE(engine_roomopt_form_submitted_back_round_trips),
	UT_CASE(engine_roomopt_diff_gives_codes_for_anonymity_and_counts_the_rest),
	UT_CASE(engine_roomopt_db_values_round_trip_and_bad_ones_are_refused),
	UT_CASE(engine_roomopt_room_info_follows_the_table),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
