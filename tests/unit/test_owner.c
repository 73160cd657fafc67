/*
 * test_owner.c - the muc#owner namespace (lib/owner.c): the configuration
 * form (XEP-0045 10.2), submitting it (all or nothing), the notification
 * of changes (10.2.1), members-only conversion (322), cancelling a new
 * room (10.1.3) and destroying a room (10.9), which also deletes a
 * persistent room from the store.
 */
#include <stdlib.h>

#include "engine_fixture.h"
#include "store.h"

#define OCC(nick)	FX_ROOM "/" nick

/* Every field of the form, in the order mucd sends them. */
static const char *const config_fields[] = {
	"FORM_TYPE",
	"muc#roomconfig_roomname",
	"muc#roomconfig_roomdesc",
	"muc#roomconfig_lang",
	"muc#roomconfig_persistentroom",
	"muc#roomconfig_publicroom",
	"muc#roomconfig_membersonly",
	"muc#roomconfig_moderatedroom",
	"muc#roomconfig_passwordprotectedroom",
	"muc#roomconfig_roomsecret",
	"muc#roomconfig_whois",
	"muc#roomconfig_changesubject",
	"muc#roomconfig_allowinvites",
	"mucd#roomconfig_allowregister",
	"mucd#roomconfig_refuseconfusable",
	"muc#roomconfig_allowpm",
	"muc#roomconfig_maxusers",
	"muc#maxhistoryfetch",
	"muc#roomconfig_enablearchiving",
	"muc#roomconfig_presencebroadcast",
};

/* Romeo's room with Juliet in it. */
static int
romeo_and_juliet(struct fx *f)
{
	if (fx_create(f, ROMEO, "room", "Romeo") != 0 ||
	    fx_join(f, JULIET, "room", "Juliet") != 0)
		return -1;
	return 0;
}

/* Ask for the form as from; returns the form's <x/> or NULL. */
static xmpp_stanza_t *
get_form(struct fx *f, const char *from)
{
	xmpp_stanza_t	*iq, *q;

	if (fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' id='cf'>"
	    "<query xmlns='" NS_MUC_OWNER_Q "'/></iq>", from) != 1)
		return NULL;
	iq = fx_get(f, from, "iq", 0);
	if (fx_attr(iq, "type") == NULL || strcmp(fx_attr(iq, "type"),
	    "result") != 0)
		return NULL;
	q = fx_child(iq, "query", NS_MUC_OWNER_Q);
	return fx_child(q, "x", NS_XDATA);
}

/* 10.2: the form has every field, typed, with the room's values. */
static void
engine_owner_config_form_has_every_field_with_current_values(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*x, *fld, *c;
	size_t		 i, nvalues;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT((x = get_form(f, ROMEO)) != NULL);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "id"), "cf");
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "from"), FX_ROOM);
	EXPECT_STR(fx_attr(x, "type"), "form");
	EXPECT_INT(fx_nchildren(x, "field"), UT_NELEM(config_fields));
	for (i = 0; i < UT_NELEM(config_fields); i++)
		EXPECT(fx_field(x, config_fields[i]) != NULL);
	EXPECT_STR(fx_attr(fx_field(x, "FORM_TYPE"), "type"), "hidden");
	EXPECT_STR(fx_field_value(f, x, "FORM_TYPE"),
	    "http://jabber.org/protocol/muc#roomconfig");
	/* The defaults of a new room. */
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_persistentroom"), "0");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_publicroom"), "1");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_membersonly"), "0");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_whois"), "moderators");
	EXPECT_STR(fx_attr(fx_field(x, "muc#roomconfig_whois"), "type"),
	    "list-single");
	EXPECT_INT(fx_nchildren(fx_field(x, "muc#roomconfig_whois"), "option"),
	    2);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_allowpm"), "anyone");
	EXPECT_INT(fx_nchildren(fx_field(x, "muc#roomconfig_allowpm"),
	    "option"), 4);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_maxusers"), "0");
	EXPECT_STR(fx_field_value(f, x, "muc#maxhistoryfetch"), "20");
	EXPECT_STR(fx_attr(fx_field(x, "muc#roomconfig_roomsecret"), "type"),
	    "text-private");
	fld = fx_field(x, "muc#roomconfig_presencebroadcast");
	EXPECT_STR(fx_attr(fld, "type"), "list-multi");
	EXPECT_INT(fx_nchildren(fld, "option"), 4);
	EXPECT_INT(fx_nchildren(fld, "value"), 3);
	/* Now change some and ask again. */
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='c2'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA
	    "' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#roomconfig</value></field>"
	    "<field var='muc#roomconfig_roomname'><value>Orchard</value></field>"
	    "<field var='muc#roomconfig_membersonly'><value>true</value></field>"
	    "<field var='muc#roomconfig_whois'><value>anyone</value></field>"
	    "<field var='muc#roomconfig_roomsecret'><value>s3</value></field>"
	    "<field var='muc#roomconfig_maxusers'><value>10</value></field>"
	    "<field var='muc#roomconfig_allowpm'><value>none</value></field>"
	    "<field var='muc#roomconfig_presencebroadcast'>"
	    "<value>moderator</value><value>none</value></field>"
	    "</x></query></iq>") >= 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "type"), "result");
	EXPECT((x = get_form(f, ROMEO)) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "Orchard");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_membersonly"), "1");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_whois"), "anyone");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomsecret"), "s3");
	EXPECT_STR(fx_field_value(f, x,
	    "muc#roomconfig_passwordprotectedroom"), "1");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_maxusers"), "10");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_allowpm"), "none");
	fld = fx_field(x, "muc#roomconfig_presencebroadcast");
	EXPECT_INT(fx_nchildren(fld, "value"), 2);
	nvalues = 0;
	for (c = xmpp_stanza_get_children(fld); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (xmpp_stanza_is_tag(c) &&
		    strcmp(xmpp_stanza_get_name(c), "value") == 0) {
			char *t = xmpp_stanza_get_text(c);

			nvalues += t != NULL && (strcmp(t, "moderator") == 0 ||
			    strcmp(t, "none") == 0);
			xmpp_free(f->ctx, t);
		}
	EXPECT_INT(nvalues, 2);
}

/* Submit a form with one more field to the room; returns the error
 * condition of the answer, or "result". */
static const char *
submit(struct fx *f, const char *var, const char *value)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='bad'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA
	    "' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/"
	    "protocol/muc#roomconfig</value></field><field "
	    "var='muc#roomconfig_roomname'><value>Changed</value></field>"
	    "<field var='%s'><value>%s</value></field></x></query></iq>", var,
	    value) < 0)
		return "(send failed)";
	iq = fx_get(f, ROMEO, "iq", 0);
	if (fx_attr(iq, "type") != NULL && strcmp(fx_attr(iq, "type"),
	    "result") == 0)
		return "result";
	return fx_error(iq) != NULL ? fx_error(iq) : "(no answer)";
}

/* 10.2: a form with one bad value is refused as a whole: nothing of it
 * applies, in memory or in the store, and nobody is told of a change. */
static void
engine_owner_config_submit_with_a_bad_value_changes_nothing(void)
{
	struct fx		*f = fx_new();
	struct room_config	 cfg;
	char			*subj = NULL, *subj_nick = NULL;
	int64_t			 subj_time = 0;
	int64_t			 id = 0;
	xmpp_stanza_t		*x;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", "muc#roomconfig_roomname", "Orchard", (const char *)NULL) ==
	    0);
	/* A value not of the field's type is a malformed form
	 * (bad-request); a well-formed value the room cannot take is
	 * not-acceptable (10.1.3). */
	EXPECT_STR(submit(f, "muc#roomconfig_whois", "everybody"),
	    "bad-request");
	EXPECT_INT(f->ncopies, 1);	/* the error, no 104 */
	EXPECT_STR(fx_error_type(fx_get(f, ROMEO, "iq", 0)), "modify");
	EXPECT_STR(submit(f, "muc#roomconfig_membersonly", "maybe"),
	    "bad-request");
	EXPECT_STR(submit(f, "muc#roomconfig_maxusers", "-3"),
	    "bad-request");
	EXPECT_STR(submit(f, "muc#roomconfig_maxusers", "1000001"),
	    "not-acceptable");
	EXPECT_STR(submit(f, "muc#maxhistoryfetch", "1001"), "not-acceptable");
	EXPECT_STR(fx_error_type(fx_get(f, ROMEO, "iq", 0)), "modify");
	EXPECT_STR(submit(f, "muc#roomconfig_allowpm", "everyone"),
	    "bad-request");
	EXPECT_STR(submit(f, "muc#roomconfig_presencebroadcast", "king"),
	    "bad-request");
	EXPECT_STR(submit(f, "muc#roomconfig_passwordprotectedroom", "1"),
	    "not-acceptable");	/* protected without a password */
	EXPECT((x = get_form(f, ROMEO)) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "Orchard");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_whois"), "moderators");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_membersonly"), "0");
	EXPECT_INT(roomconfig_init(&cfg), 0);
	EXPECT_INT(store_room_load(f->st, "room", &id, &cfg, &subj,
	    &subj_nick, &subj_time), MUC_OK);
	free(subj);
	free(subj_nick);
	EXPECT(id > 0);
	EXPECT_STR(cfg.title, "Orchard");
	EXPECT_INT(cfg.whois_anyone, 0);
	roomconfig_free(&cfg);
	/* And a good value still goes through. */
	EXPECT_STR(submit(f, "muc#roomconfig_whois", "anyone"), "result");
}

/* 10.2.1: after a change the owner gets the result first, then every
 * occupant a groupchat message from the room with status 104 only. */
/* Send a submit form whose fields are the raw XML fields; the answer's
 * error condition, or "result". */
static const char *
submit_raw(struct fx *f, const char *fields)
{
	xmpp_stanza_t	*iq;

	if (fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='raw'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA
	    "' type='submit'>%s</x></query></iq>", fields) < 0)
		return "(send failed)";
	iq = fx_get(f, ROMEO, "iq", 0);
	if (fx_attr(iq, "type") != NULL && strcmp(fx_attr(iq, "type"),
	    "result") == 0)
		return "result";
	return fx_error(iq) != NULL ? fx_error(iq) : "(no answer)";
}

#define FT	"<field var='FORM_TYPE'><value>http://jabber.org/protocol/" \
		"muc#roomconfig</value></field>"

/* A malformed form is refused with bad-request, says why, and changes
 * nothing: a field the form does not have, two values for a single-value
 * field, an empty number, a form with fields but no FORM_TYPE, another
 * form's FORM_TYPE, a field twice.  The empty submit of 10.1.2 and a
 * field without a value for a text field are fine. */
static void
engine_owner_config_submit_refuses_malformed_forms_with_bad_request(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*x;
	static const char *const bad[] = {
	    FT "<field var='muc#roomconfig_enablelogging'><value>1</value>"
	    "</field>",
	    FT "<field var='muc#roomconfig_membersonly'><value>1</value>"
	    "<value>0</value></field>",
	    FT "<field var='muc#roomconfig_maxusers'><value></value></field>",
	    FT "<field var='muc#maxhistoryfetch'/>",
	    FT "<field var='muc#roomconfig_moderatedroom'/>",
	    "<field var='muc#roomconfig_roomname'><value>Changed</value>"
	    "</field>",
	    "<field var='FORM_TYPE'><value>http://jabber.org/protocol/"
	    "muc#register</value></field><field var='muc#roomconfig_roomname'>"
	    "<value>Changed</value></field>",
	    FT "<field var='muc#roomconfig_roomname'><value>A</value></field>"
	    "<field var='muc#roomconfig_roomname'><value>B</value></field>",
	    FT "<field var='muc#maxhistoryfetch'><value>5</value></field>"
	    "<field var='muc#roomconfig_historylength'><value>6</value>"
	    "</field>",
	};
	size_t		 i;

	EXPECT(romeo_and_juliet(f) == 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STR(submit_raw(f, bad[i]), "bad-request");
		EXPECT_INT(f->ncopies, 1);	/* no 104 */
		EXPECT(fx_text(f, fx_child(fx_get(f, ROMEO, "iq", 0),
		    "error", NULL), "text") != NULL);
	}
	EXPECT((x = get_form(f, ROMEO)) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_membersonly"), "0");
	EXPECT_STR(fx_field_value(f, x, "muc#maxhistoryfetch"), "20");
	EXPECT_STR(submit_raw(f, ""), "result");
	EXPECT_STR(submit_raw(f, FT "<field var='muc#roomconfig_roomdesc'/>"
	    "<field type='fixed'><value>Notes</value></field>"), "result");
	EXPECT_STR(submit_raw(f, FT "<field var='muc#roomconfig_maxusers'>"
	    "<value>none</value></field><field var='muc#roomconfig_historylength'>"
	    "<value>7</value></field>"), "result");
	EXPECT((x = get_form(f, ROMEO)) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#maxhistoryfetch"), "7");
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_maxusers"), "0");
}

static void
engine_owner_config_change_answers_then_sends_104_to_every_occupant(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;
	static const char *const to[] = { ROMEO, JULIET };
	size_t		 i;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomname",
	    "Orchard", (const char *)NULL) == 0);
	EXPECT_INT(f->ncopies, 3);
	EXPECT_INT(fx_pos(f, ROMEO, "iq", 0), 0);
	for (i = 0; i < 2; i++) {
		m = fx_get(f, to[i], "message", 0);
		EXPECT_STR(fx_attr(m, "from"), FX_ROOM);
		EXPECT_STR(fx_attr(m, "type"), "groupchat");
		EXPECT_INT(fx_nstatus(m), 1);
		EXPECT(fx_has_status(m, 104));
		EXPECT(fx_child(m, "body", NULL) == NULL);
	}
}

/* 10.1.2: accepting the first configuration unlocks the room; it is no
 * change anyone must hear of.  A submit that changes nothing is silent. */
static void
engine_owner_initial_or_unchanged_configuration_sends_no_104(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomname",
	    "Orchard", (const char *)NULL) == 0);
	EXPECT_INT(f->ncopies, 1);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_roomname",
	    "Orchard", (const char *)NULL) == 0);
	EXPECT_INT(f->ncopies, 1);
}

/* 10.2.1: becoming non-anonymous is 172, semi-anonymous again 173. */
static void
engine_owner_whois_change_adds_172_or_173(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*m;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois", "anyone",
	    (const char *)NULL) == 0);
	/* 10.2.1: one notice of the change, the privacy code and 104. */
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
	m = fx_get(f, JULIET, "message", 0);
	EXPECT(fx_has_status(m, 172));
	EXPECT(!fx_has_status(m, 173));
	EXPECT(fx_has_status(m, 104));
	EXPECT_INT(fx_nstatus(m), 2);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_whois",
	    "moderators", "muc#roomconfig_roomname", "Hush",
	    (const char *)NULL) == 0);
	EXPECT_INT(fx_count(f, JULIET, "message"), 1);
	m = fx_get(f, JULIET, "message", 0);
	EXPECT(fx_has_status(m, 173));
	EXPECT(!fx_has_status(m, 172));
	EXPECT(fx_has_status(m, 104));
	EXPECT_INT(fx_nstatus(m), 2);
}

/* 10.2: "If [...] the room type is changed to members-only but there are
 * non-members in the room, the service MUST remove any non-members from
 * the room and include a status code of 322". */
static void
engine_owner_members_only_switch_removes_non_members_with_322(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p;
	static const char *const to[] = { ROMEO, JULIET, NURSE };
	size_t		 i;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", JULIET_BARE, "member",
	    NULL) == 0);
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_membersonly", "1",
	    (const char *)NULL) == 0);
	/* Result, 104 to three, the Nurse's removal to three. */
	EXPECT_INT(f->ncopies, 7);
	for (i = 0; i < 3; i++) {
		EXPECT_INT(fx_count(f, to[i], "presence"), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_attr(p, "from"), OCC("Nurse"));
		EXPECT(fx_has_status(p, 322));
		EXPECT_STR(fx_item_attr(p, "role"), "none");
		EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
		EXPECT_INT(fx_has_status(p, 110), i == 2);
	}
	/* The member stayed: she still speaks to the room. */
	EXPECT(fx_send(f, "<message from='" JULIET "' to='" FX_ROOM "' "
	    "type='groupchat'><body>still here</body></message>") == 2);
}

/* 10.9: every occupant gets one unavailable presence with <destroy/>
 * naming the new venue and the reason, then the owner the result. */
static void
engine_owner_destroy_sends_unavailable_with_destroy_then_the_result(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*p, *d;
	static const char *const to[] = { ROMEO, JULIET };
	static const char *const from[] = { OCC("Romeo"), OCC("Juliet") };
	size_t		 i;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='begone'><query xmlns='" NS_MUC_OWNER_Q "'><destroy "
	    "jid='tomb@conference.localhost'><reason>Macbeth doth come."
	    "</reason><password>x</password></destroy></query></iq>") == 3);
	for (i = 0; i < 2; i++) {
		EXPECT_INT(fx_count(f, to[i], "presence"), 1);
		p = fx_get(f, to[i], "presence", 0);
		EXPECT_STR(fx_attr(p, "from"), from[i]);
		EXPECT_STR(fx_attr(p, "type"), "unavailable");
		EXPECT_STR(fx_item_attr(p, "affiliation"), "none");
		EXPECT_STR(fx_item_attr(p, "role"), "none");
		/* 10.9, as a self-presence: its own real JID and 110. */
		EXPECT_STR(fx_item_attr(p, "jid"), to[i]);
		EXPECT(fx_has_status(p, 110));
		d = fx_child(fx_muc_user(p), "destroy", NULL);
		EXPECT(d != NULL);
		EXPECT_STR(fx_attr(d, "jid"), "tomb@conference.localhost");
		EXPECT_STR(fx_text(f, d, "reason"), "Macbeth doth come.");
		EXPECT_STR(fx_text(f, d, "password"), "x");
		EXPECT(fx_pos(f, to[i], "presence", 0) <
		    fx_pos(f, ROMEO, "iq", 0));
	}
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "type"), "result");
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "id"), "begone");
	/* The room is gone: entering creates a new one. */
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 201));
}

/* 10.9 "destroys the room, even if it was defined as persistent": the
 * stored room and its affiliations are deleted. */
static void
engine_owner_destroy_deletes_a_persistent_room_from_the_store(void)
{
	struct fx		*f = fx_new();
	struct room_config	 cfg;
	char			*subj = NULL, *subj_nick = NULL;
	int64_t			 subj_time = 0;
	int64_t			 id = 0;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_config(f, ROMEO, "room", "muc#roomconfig_persistentroom",
	    "1", (const char *)NULL) == 0);
	EXPECT_INT(roomconfig_init(&cfg), 0);
	EXPECT_INT(store_room_load(f->st, "room", &id, &cfg, &subj,
	    &subj_nick, &subj_time), MUC_OK);
	free(subj);
	free(subj_nick);
	subj = subj_nick = NULL;
	EXPECT(id > 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/></query></iq>")
	    == 2);
	EXPECT_INT(store_room_load(f->st, "room", &id, &cfg, &subj,
	    &subj_nick, &subj_time), MUC_OK);
	roomconfig_free(&cfg);
	EXPECT_INT(id, 0);
	EXPECT(subj == NULL);
	/* The <destroy/> without venue or reason is still a <destroy/>. */
	EXPECT(fx_child(fx_muc_user(fx_get(f, ROMEO, "presence", 0)),
	    "destroy", NULL) != NULL);
}

/* 10.2 and 10.9: only owners configure or destroy: forbidden, also for
 * admins and for strangers. */
static void
engine_owner_requests_from_non_owners_are_forbidden(void)
{
	struct fx	*f = fx_new();
	static const char *const who[] = { JULIET, BENVOLIO, TYBALT };
	size_t		 i;

	EXPECT(romeo_and_juliet(f) == 0);
	EXPECT(fx_affiliate(f, ROMEO, "room", BENVOLIO_BARE, "admin",
	    NULL) == 0);
	for (i = 0; i < 3; i++) {
		EXPECT(fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='get' "
		    "id='g'><query xmlns='" NS_MUC_OWNER_Q "'/></iq>", who[i]) ==
		    1);
		EXPECT_STR(fx_error(fx_get(f, who[i], "iq", 0)), "forbidden");
		EXPECT_STR(fx_error_type(fx_get(f, who[i], "iq", 0)), "auth");
		EXPECT(fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' "
		    "id='s'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='"
		    NS_XDATA "' type='submit'>" FT "<field var='muc#roomconfig_"
		    "roomname'><value>Mine</value></field></x></query></iq>",
		    who[i]) == 1);
		EXPECT_STR(fx_error(fx_get(f, who[i], "iq", 0)), "forbidden");
		EXPECT(fx_send(f, "<iq from='%s' to='" FX_ROOM "' type='set' "
		    "id='d'><query xmlns='" NS_MUC_OWNER_Q "'><destroy/></query>"
		    "</iq>", who[i]) == 1);
		EXPECT_STR(fx_error(fx_get(f, who[i], "iq", 0)), "forbidden");
	}
	/* Nothing happened: the room is still there, unrenamed. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "presence"), 3);
}

/* 10.1.3: cancelling the initial configuration abandons the new room. */
static void
engine_owner_cancel_of_the_initial_form_destroys_the_new_room(void)
{
	struct fx	*f = fx_new();

	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_send(f, "<iq from='" ROMEO "' to='" FX_ROOM "' type='set' "
	    "id='c'><query xmlns='" NS_MUC_OWNER_Q "'><x xmlns='" NS_XDATA
	    "' type='cancel'/></query></iq>") >= 1);
	EXPECT_STR(fx_attr(fx_get(f, ROMEO, "iq", 0), "type"), "result");
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 201));
}

/* A temporary room ends with its last occupant; a persistent one keeps
 * its configuration (10.1.1 and muc#roomconfig_persistentroom). */
static void
engine_owner_persistent_room_outlives_its_occupants_and_temporary_does_not(void)
{
	struct fx	*f = fx_new();
	xmpp_stanza_t	*x;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_leave(f, ROMEO, "room") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT(fx_has_status(fx_get(f, JULIET, "presence", 0), 201));
	EXPECT(fx_config(f, JULIET, "room", "muc#roomconfig_persistentroom",
	    "1", "muc#roomconfig_roomname", "Balcony", (const char *)NULL) ==
	    0);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_join(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(!fx_has_status(fx_get(f, ROMEO, "presence", 0), 201));
	EXPECT_STR(fx_item_attr(fx_get(f, ROMEO, "presence", 0),
	    "affiliation"), "none");
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	EXPECT((x = get_form(f, JULIET)) != NULL);
	EXPECT_STR(fx_field_value(f, x, "muc#roomconfig_roomname"), "Balcony");
}

static const struct ut_case cases[] = {
	UT_CASE(engine_owner_config_form_has_every_field_with_current_values),
	UT_CASE(engine_owner_config_submit_with_a_bad_value_changes_nothing),
	UT_CASE(engine_owner_config_submit_refuses_malformed_forms_with_bad_request),
	UT_CASE(engine_owner_config_change_answers_then_sends_104_to_every_occupant),
	UT_CASE(engine_owner_initial_or_unchanged_configuration_sends_no_104),
	UT_CASE(engine_owner_whois_change_adds_172_or_173),
	UT_CASE(engine_owner_members_only_switch_removes_non_members_with_322),
	UT_CASE(engine_owner_destroy_sends_unavailable_with_destroy_then_the_result),
	UT_CASE(engine_owner_destroy_deletes_a_persistent_room_from_the_store),
	UT_CASE(engine_owner_requests_from_non_owners_are_forbidden),
	UT_CASE(engine_owner_cancel_of_the_initial_form_destroys_the_new_room),
	UT_CASE(engine_owner_persistent_room_outlives_its_occupants_and_temporary_does_not),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
