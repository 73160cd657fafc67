/*
 * roomopt.c - the room option table and everything that walks it.
 *
 * The table is the one place an option is described (roomopt.h).  Below
 * it: reading and writing an option's member, its defaults, the owner
 * form, the submit parser, change detection, room info and the database
 * conversions.  A member is reached through its offset in struct
 * room_config, as component/config.c reaches the daemon's settings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "muc.h"
#include "ns.h"
#include "roomopt.h"

#define OFF(m)		offsetof(struct room_config, m)
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct roomopt_choice whois_choices[] = {
	{ "moderators", "Moderators only", 0 },
	{ "anyone", "Anyone", 0 },
};
/* The index is enum allow_pm. */
static const struct roomopt_choice allowpm_choices[] = {
	{ "anyone", "Anyone", 0 },
	{ "participants", "Participants", 0 },
	{ "moderators", "Moderators", 0 },
	{ "none", "Nobody", 0 },
};
static const struct roomopt_choice role_choices[] = {
	{ "moderator", "moderator", ROLE_MODERATOR },
	{ "participant", "participant", ROLE_PARTICIPANT },
	{ "visitor", "visitor", ROLE_VISITOR },
	{ "none", "none", ROLE_NONE },
};

static int	password_protected(const struct room_config *);
static int	password_apply(struct room_config *, int, const char **);

/* The options, in the order of the owner's form. */
const struct roomopt roomopts[] = {
	{ .var = "muc#roomconfig_roomname", .label = "Name",
	  .type = ROPT_TEXT, .off = OFF(title), .column = "title", .def = "",
	  .info_var = "muc#roomconfig_roomname", .info_label = "Name" },
	{ .var = "muc#roomconfig_roomdesc", .label = "Description",
	  .type = ROPT_TEXT, .off = OFF(description), .column = "description",
	  .def = "", .info_var = "muc#roominfo_description",
	  .info_label = "Description" },
	{ .var = "muc#roomconfig_lang", .label = "Language of the discussion",
	  .type = ROPT_TEXT, .off = OFF(language), .column = "language",
	  .def = "", .info_var = "muc#roominfo_lang", .info_label = "Language" },
	/* Stored rooms are the persistent ones: no column. */
	{ .var = "muc#roomconfig_persistentroom",
	  .label = "Persistent (kept when empty)", .type = ROPT_BOOL,
	  .off = OFF(persistent), .def = "0",
	  .feature_on = "muc_persistent", .feature_off = "muc_temporary" },
	{ .var = "muc#roomconfig_publicroom",
	  .label = "Listed in the public directory", .type = ROPT_BOOL,
	  .off = OFF(public_room), .column = "public", .def = "1",
	  .feature_on = "muc_public", .feature_off = "muc_hidden" },
	{ .var = "muc#roomconfig_membersonly", .label = "Only members may enter",
	  .type = ROPT_BOOL, .off = OFF(members_only), .column = "members_only",
	  .def = "0", .feature_on = "muc_membersonly", .feature_off = "muc_open" },
	{ .var = "muc#roomconfig_moderatedroom",
	  .label = "Only participants with voice may speak", .type = ROPT_BOOL,
	  .off = OFF(moderated), .column = "moderated", .def = "0",
	  .feature_on = "muc_moderated", .feature_off = "muc_unmoderated" },
	{ .var = "muc#roomconfig_passwordprotectedroom",
	  .label = "A password is required to enter", .type = ROPT_BOOL,
	  .feature_on = "muc_passwordprotected", .feature_off = "muc_unsecured",
	  .derive = password_protected, .apply = password_apply },
	{ .var = "muc#roomconfig_roomsecret", .label = "Password",
	  .type = ROPT_SECRET, .off = OFF(password), .column = "password",
	  .def = "" },
	{ .var = "muc#roomconfig_whois", .label = "Who may see real JIDs",
	  .type = ROPT_CHOICE, .off = OFF(whois_anyone), .column = "whois",
	  .def = "moderators", .choices = whois_choices,
	  .nchoices = NELEM(whois_choices), .feature_on = "muc_nonanonymous",
	  .feature_off = "muc_semianonymous", .code_on = 172, .code_off = 173 },
	{ .var = "muc#roomconfig_changesubject",
	  .label = "Participants may change the subject", .type = ROPT_BOOL,
	  .off = OFF(change_subject), .column = "change_subject", .def = "0",
	  .info_var = "muc#roomconfig_changesubject",
	  .info_label = "Participants may change the subject" },
	{ .var = "muc#roomconfig_allowinvites",
	  .label = "Participants may invite others", .type = ROPT_BOOL,
	  .off = OFF(allow_invites), .column = "allow_invites", .def = "0" },
	{ .var = "mucd#roomconfig_allowregister",
	  .label = "Anyone may register as a member", .type = ROPT_BOOL,
	  .off = OFF(allow_register), .column = "allow_register", .def = "0" },
	{ .var = "mucd#roomconfig_refuseconfusable",
	  .label = "Refuse nicknames that look like one in use or reserved",
	  .type = ROPT_BOOL, .off = OFF(refuse_confusable),
	  .column = "refuse_confusable", .def = "1" },
	{ .var = "muc#roomconfig_allowpm",
	  .label = "Who may send private messages", .type = ROPT_CHOICE,
	  .off = OFF(allow_pm), .column = "allow_pm", .def = "anyone",
	  .choices = allowpm_choices, .nchoices = NELEM(allowpm_choices) },
	{ .var = "muc#roomconfig_maxusers",
	  .label = "Maximum number of occupants (0: no limit)", .type = ROPT_UINT,
	  .off = OFF(max_users), .column = "max_users", .def = "0",
	  .min = 0, .max = ROOM_MAXUSERS_MAX, .zero = "none",
	  .info_var = "muc#roomconfig_maxusers",
	  .info_label = "Maximum occupants", .info_nonzero = 1 },
	{ .var = "muc#maxhistoryfetch",
	  .alias = "muc#roomconfig_historylength",
	  .label = "Messages of history sent to new occupants", .type = ROPT_UINT,
	  .off = OFF(history_length), .column = "history_length", .def = "20",
	  .min = 0, .max = ROOM_HISTORY_MAX,
	  .info_var = "muc#maxhistoryfetch", .info_label = "History length" },
	{ .var = "muc#roomconfig_presencebroadcast",
	  .label = "Roles whose presence is broadcast", .type = ROPT_ROLES,
	  .off = OFF(broadcast), .column = "presence_broadcast",
	  .def = "moderator participant visitor", .choices = role_choices,
	  .nchoices = NELEM(role_choices) },
};
const size_t	nroomopts = NELEM(roomopts);
_Static_assert(NELEM(roomopts) <= 64, "struct submit's seen[] has 64 rows");

/* The members, through the row's offset. */
static char **
m_str(const struct roomopt *o, struct room_config *c)
{
	return (char **)(void *)((char *)c + o->off);
}

static int *
m_int(const struct roomopt *o, struct room_config *c)
{
	return (int *)(void *)((char *)c + o->off);
}

static unsigned *
m_bits(const struct roomopt *o, struct room_config *c)
{
	return (unsigned *)(void *)((char *)c + o->off);
}

/* Read access for const configurations: the accessors do not write. */
static struct room_config *
rw(const struct room_config *c)
{
	return (struct room_config *)(uintptr_t)c;
}

static int
is_str(const struct roomopt *o)
{
	return o->derive == NULL &&
	    (o->type == ROPT_TEXT || o->type == ROPT_SECRET);
}

/* The option's integer value (BOOL, UINT, CHOICE, derived). */
static int
opt_int(const struct roomopt *o, const struct room_config *c)
{
	return o->derive != NULL ? o->derive(c) : *m_int(o, rw(c));
}

/* Is the option "on": true, non-zero, a choice other than the first,
 * a non-empty text, any role? */
static int
opt_on(const struct roomopt *o, const struct room_config *c)
{
	if (is_str(o))
		return (*m_str(o, rw(c)))[0] != '\0';
	if (o->type == ROPT_ROLES)
		return *m_bits(o, rw(c)) != 0;
	return opt_int(o, c) != 0;
}

static int
opt_equal(const struct roomopt *o, const struct room_config *a,
    const struct room_config *b)
{
	if (is_str(o))
		return strcmp(*m_str(o, rw(a)), *m_str(o, rw(b))) == 0;
	if (o->type == ROPT_ROLES)
		return *m_bits(o, rw(a)) == *m_bits(o, rw(b));
	return opt_int(o, a) == opt_int(o, b);
}

/* The wire text of a single-valued option; buf holds at least 24 bytes. */
static const char *
opt_text(const struct roomopt *o, const struct room_config *c, char *buf,
    size_t len)
{
	int	v;

	if (is_str(o))
		return *m_str(o, rw(c));
	v = opt_int(o, c);
	if (o->type == ROPT_CHOICE)
		return o->choices[v].value;
	snprintf(buf, len, "%d", v);
	return buf;
}

static int
choice_find(const struct roomopt *o, const char *v)
{
	size_t	i;

	for (i = 0; i < o->nchoices; i++)
		if (strcmp(o->choices[i].value, v) == 0)
			return (int)i;
	return -1;
}

/* Parse a ROPT_UINT value: digits only, or the option's zero word. */
static int
uint_parse(const struct roomopt *o, const char *v, long *n)
{
	char	*end;

	if (o->zero != NULL && strcmp(v, o->zero) == 0) {
		*n = 0;
		return ROPT_OK;
	}
	if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
		return ROPT_BAD;
	if (strlen(v) > 9)
		return ROPT_POLICY;	/* a number, and far too large */
	*n = strtol(v, &end, 10);
	return *n >= o->min && *n <= o->max ? ROPT_OK : ROPT_POLICY;
}

/*
 * Set a single-valued option from its wire text.  Returns ROPT_OK,
 * ROPT_BAD (v is not of the option's type), ROPT_POLICY (out of bounds)
 * or MUC_ENOMEM.  For a derived option *on receives the value instead.
 */
static int
opt_set_text(const struct roomopt *o, struct room_config *c, const char *v,
    int *on)
{
	long	n;
	int	rc;

	switch (o->type) {
	case ROPT_TEXT:
	case ROPT_SECRET:
		return roomconfig_set_str(m_str(o, c), v) == 0 ? ROPT_OK :
		    MUC_ENOMEM;
	case ROPT_BOOL:
		if ((n = form_bool(v)) < 0)
			return ROPT_BAD;
		break;
	case ROPT_UINT:
		if ((rc = uint_parse(o, v, &n)) != ROPT_OK)
			return rc;
		break;
	case ROPT_CHOICE:
		if ((n = choice_find(o, v)) < 0)
			return ROPT_BAD;
		break;
	default:
		return ROPT_BAD;
	}
	if (o->derive != NULL)
		*on = (int)n;
	else
		*m_int(o, c) = (int)n;
	return ROPT_OK;
}

/* Parse "moderator participant visitor" into role bits. */
static int
roles_parse(const struct roomopt *o, const char *s, unsigned *bits)
{
	char		 word[16];
	const char	*p = s;
	size_t		 n;
	int		 i;

	*bits = 0;
	while (*(p += strspn(p, " \t")) != '\0') {
		n = strcspn(p, " \t");
		if (n >= sizeof(word))
			return ROPT_BAD;
		memcpy(word, p, n);
		word[n] = '\0';
		if ((i = choice_find(o, word)) < 0)
			return ROPT_BAD;
		*bits |= BCAST_ROLE(o->choices[i].bit);
		p += n;
	}
	return ROPT_OK;
}

/* Role bits as stored: values in the choices' order, by spaces. */
static const char *
roles_format(const struct roomopt *o, unsigned bits, char *buf, size_t len)
{
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < o->nchoices; i++)
		if ((bits & BCAST_ROLE(o->choices[i].bit)) && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? " " : "", o->choices[i].value);
	return buf;
}

int
roomconfig_init(struct room_config *cfg)
{
	const struct roomopt	*o;
	int			 on;

	memset(cfg, 0, sizeof(*cfg));
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->derive != NULL)
			continue;
		if ((o->type == ROPT_ROLES ?
		    roles_parse(o, o->def, m_bits(o, cfg)) :
		    opt_set_text(o, cfg, o->def, &on)) != ROPT_OK) {
			roomconfig_free(cfg);
			return -1;
		}
	}
	return 0;
}

int
roomconfig_copy(struct room_config *dst, const struct room_config *src)
{
	const struct roomopt	*o;

	*dst = *src;
	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (is_str(o))
			*m_str(o, dst) = NULL;
	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (is_str(o) &&
		    roomconfig_set_str(m_str(o, dst), *m_str(o, rw(src))) != 0) {
			roomconfig_free(dst);
			return -1;
		}
	return 0;
}

void
roomconfig_free(struct room_config *cfg)
{
	const struct roomopt	*o;

	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (is_str(o)) {
			free(*m_str(o, cfg));
			*m_str(o, cfg) = NULL;
		}
}

static const char *
form_type_of(const struct roomopt *o)
{
	switch (o->type) {
	case ROPT_SECRET:	return "text-private";
	case ROPT_BOOL:		return "boolean";
	case ROPT_CHOICE:	return "list-single";
	case ROPT_ROLES:	return "list-multi";
	default:		return "text-single";
	}
}

void
roomopt_form(struct build *b, xmpp_stanza_t *parent,
    const struct room_config *cfg)
{
	const struct roomopt	*o;
	xmpp_stanza_t		*x, *f;
	char			 buf[24];
	size_t			 i;

	x = form_new(b, parent, "form", NS_MUC_ROOMCONFIG);
	b_text_child(b, x, "title", "Configuration of the room");
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		f = form_add(b, x, o->var, form_type_of(o), o->label,
		    o->type == ROPT_ROLES ? NULL :
		    opt_text(o, cfg, buf, sizeof(buf)));
		if (o->type == ROPT_ROLES)
			for (i = 0; i < o->nchoices; i++)
				if (*m_bits(o, rw(cfg)) &
				    BCAST_ROLE(o->choices[i].bit))
					form_add_value(b, f, o->choices[i].value);
		for (i = 0; i < o->nchoices; i++)
			form_add_option(b, f, o->choices[i].label,
			    o->choices[i].value);
	}
}

/* What a submit has seen so far. */
struct submit {
	struct room_config	*cfg;
	struct roomopt_error	*err;
	unsigned char		 seen[64];	/* per row: 1 + derived value */
	int			 form_type;	/* FORM_TYPE seen and right */
	int			 fields;
};

static int
refuse(struct roomopt_error *err, int why, const char *fmt, const char *var)
{
	err->condition = why == ROPT_POLICY ? "not-acceptable" : "bad-request";
	snprintf(err->text, sizeof(err->text), fmt, var);
	return MUC_OK;
}

static const struct roomopt *
opt_by_var(const char *var)
{
	const struct roomopt	*o;

	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (strcmp(o->var, var) == 0 ||
		    (o->alias != NULL && strcmp(o->alias, var) == 0))
			return o;
	return NULL;
}

/* Every <value/> of a ROPT_ROLES field: the role set. */
static int
submit_roles(const struct roomopt *o, xmpp_stanza_t *f, struct submit *s)
{
	xmpp_stanza_t	*v;
	unsigned	 bits = 0, one;
	char		*t;
	int		 rc;

	for (v = xmpp_stanza_get_children(f); v != NULL;
	    v = xmpp_stanza_get_next(v)) {
		if (!xmpp_stanza_is_tag(v) ||
		    strcmp(xmpp_stanza_get_name(v), "value") != 0)
			continue;
		if (st_text(v, &t) != MUC_OK)
			return MUC_ENOMEM;
		rc = roles_parse(o, t, &one);
		free(t);
		if (rc != ROPT_OK || one == 0)
			return refuse(s->err, ROPT_BAD, "%s: not a role",
			    o->var);
		bits |= one;
	}
	*m_bits(o, s->cfg) = bits;
	return MUC_OK;
}

/* One single-valued field.  A field without a value is an empty text;
 * for any other type it is malformed. */
static int
submit_single(const struct roomopt *o, xmpp_stanza_t *f, struct submit *s)
{
	char	*v;
	int	 rc, on = 0;

	if (form_nvalues(f) > 1)
		return refuse(s->err, ROPT_BAD, "%s takes one value", o->var);
	if (form_value(f, &v) != MUC_OK)
		return MUC_ENOMEM;
	if (v == NULL && !is_str(o))
		return refuse(s->err, ROPT_BAD, "%s needs a value", o->var);
	rc = opt_set_text(o, s->cfg, v != NULL ? v : "", &on);
	free(v);
	if (rc == MUC_ENOMEM)
		return rc;
	if (rc == ROPT_BAD)
		return refuse(s->err, rc, o->type == ROPT_BOOL ?
		    "%s must be a boolean" : o->type == ROPT_UINT ?
		    "%s must be a number" : "%s: not one of the options",
		    o->var);
	if (rc == ROPT_POLICY)
		return refuse(s->err, rc, "%s is out of range", o->var);
	if (o->derive != NULL)
		s->seen[o - roomopts] = (unsigned char)(1 + on);
	return MUC_OK;
}

static int
submit_field(xmpp_stanza_t *f, struct submit *s)
{
	const char		*var = xmpp_stanza_get_attribute(f, "var");
	const struct roomopt	*o;
	char			*v;
	int			 ok;

	if (var == NULL)
		return MUC_OK;		/* fixed text: nothing to apply */
	s->fields++;
	if (strcmp(var, "FORM_TYPE") == 0) {
		if (form_value(f, &v) != MUC_OK)
			return MUC_ENOMEM;
		ok = v != NULL && strcmp(v, NS_MUC_ROOMCONFIG) == 0;
		free(v);
		if (!ok)
			return refuse(s->err, ROPT_BAD,
			    "%s is not a room configuration form", var);
		s->form_type = 1;
		return MUC_OK;
	}
	if ((o = opt_by_var(var)) == NULL)
		return refuse(s->err, ROPT_BAD, "Unknown field %s", var);
	if (s->seen[o - roomopts])
		return refuse(s->err, ROPT_BAD, "%s appears twice", var);
	s->seen[o - roomopts] = 1;
	return o->type == ROPT_ROLES ? submit_roles(o, f, s) :
	    submit_single(o, f, s);
}

int
roomopt_submit(struct room_config *cfg, xmpp_stanza_t *x,
    struct roomopt_error *err)
{
	struct submit		 s;
	xmpp_stanza_t		*f;
	const struct roomopt	*o;
	const char		*why = NULL;
	int			 rc = MUC_OK;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.err = err;
	err->condition = NULL;
	err->text[0] = '\0';
	for (f = xmpp_stanza_get_children(x); f != NULL && rc == MUC_OK &&
	    err->condition == NULL; f = xmpp_stanza_get_next(f))
		if (xmpp_stanza_is_tag(f) &&
		    strcmp(xmpp_stanza_get_name(f), "field") == 0)
			rc = submit_field(f, &s);
	if (rc != MUC_OK || err->condition != NULL)
		return rc;
	/* An empty submit accepts the defaults (10.1.2); a form that says
	 * anything says what it is. */
	if (s.fields > 0 && !s.form_type)
		return refuse(err, ROPT_BAD, "%s is missing", "FORM_TYPE");
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->apply == NULL || s.seen[o - roomopts] == 0)
			continue;
		rc = o->apply(cfg, s.seen[o - roomopts] - 1, &why);
		if (rc == ROPT_POLICY)
			return refuse(err, rc, "%s", why);
		if (rc != ROPT_OK)
			return rc;
	}
	return MUC_OK;
}

void
roomopt_diff(const struct room_config *a, const struct room_config *b,
    struct roomopt_changes *ch)
{
	const struct roomopt	*o;
	int			 code;

	memset(ch, 0, sizeof(*ch));
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (opt_equal(o, a, b))
			continue;
		ch->nchanged++;
		code = opt_on(o, b) ? o->code_on : o->code_off;
		if (code == 0)
			ch->nplain++;
		else if (ch->ncodes < ROPT_MAXCODES)
			ch->codes[ch->ncodes++] = code;
	}
}

void
roomopt_describe_changes(const struct room_config *a,
    const struct room_config *b, char *buf, size_t len)
{
	const struct roomopt	*o;
	const char		*name;
	size_t			 off = 0;

	buf[0] = '\0';
	for (o = roomopts; o < roomopts + nroomopts && off < len; o++) {
		if (opt_equal(o, a, b))
			continue;
		name = strchr(o->var, '_') != NULL ? strchr(o->var, '_') + 1 :
		    o->var;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    off ? ", " : "", name);
	}
	if (off == 0)
		snprintf(buf, len, "nothing");
}

void
roomopt_info_fields(struct build *b, xmpp_stanza_t *x,
    const struct room_config *cfg)
{
	const struct roomopt	*o;
	char			 buf[24];

	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (o->info_var != NULL && (!o->info_nonzero || opt_on(o, cfg)))
			form_add(b, x, o->info_var, NULL, o->info_label,
			    opt_text(o, cfg, buf, sizeof(buf)));
}

void
roomopt_features(struct build *b, xmpp_stanza_t *q,
    const struct room_config *cfg)
{
	const struct roomopt	*o;

	for (o = roomopts; o < roomopts + nroomopts; o++)
		if (o->feature_on != NULL)
			b_attr(b, b_child(b, q, "feature", NULL), "var",
			    opt_on(o, cfg) ? o->feature_on : o->feature_off);
}

/* Append s to the growing SQL text *sql (length *len); NULL on failure,
 * after which *sql is freed. */
static char *
sql_cat(char **sql, size_t *len, const char *s)
{
	size_t	n = strlen(s);
	char	*grown;

	if (*sql == NULL)
		return NULL;
	if ((grown = realloc(*sql, *len + n + 1)) == NULL) {
		free(*sql);
		return *sql = NULL;
	}
	memcpy(grown + *len, s, n + 1);
	*len += n;
	return *sql = grown;
}

char *
roomopt_sql(enum roomopt_sql_kind id)
{
	const struct roomopt	*o;
	char			*sql = strdup(""), num[16];
	size_t			 len = 0;
	int			 n = 1, first = 1;

	if (id == ROPT_SQL_LOAD)
		sql_cat(&sql, &len, "SELECT id, subject, subject_nick, subject_time");
	else if (id == ROPT_SQL_INSERT)
		sql_cat(&sql, &len, "INSERT INTO rooms (name");
	else
		sql_cat(&sql, &len, "UPDATE rooms SET ");
	for (o = roomopts; o < roomopts + nroomopts; o++) {
		if (o->column == NULL)
			continue;
		snprintf(num, sizeof(num), "?%d", ++n);
		if (id != ROPT_SQL_UPDATE || !first)
			sql_cat(&sql, &len, ", ");
		sql_cat(&sql, &len, o->column);
		if (id == ROPT_SQL_UPDATE) {
			sql_cat(&sql, &len, " = ");
			sql_cat(&sql, &len, num);
		}
		first = 0;
	}
	if (id == ROPT_SQL_LOAD)
		return sql_cat(&sql, &len, " FROM rooms WHERE name = ?1");
	if (id == ROPT_SQL_UPDATE)
		return sql_cat(&sql, &len, " WHERE id = ?1");
	sql_cat(&sql, &len, ") VALUES (?1");
	for (first = 2; first <= n; first++) {
		snprintf(num, sizeof(num), ", ?%d", first);
		sql_cat(&sql, &len, num);
	}
	return sql_cat(&sql, &len, ")");
}

int
roomopt_db_is_int(const struct roomopt *o)
{
	return o->type == ROPT_BOOL || o->type == ROPT_UINT;
}

long
roomopt_db_int(const struct roomopt *o, const struct room_config *cfg)
{
	return opt_int(o, cfg);
}

const char *
roomopt_db_text(const struct roomopt *o, const struct room_config *cfg,
    char *buf, size_t len)
{
	if (o->type == ROPT_ROLES)
		return roles_format(o, *m_bits(o, rw(cfg)), buf, len);
	return opt_text(o, cfg, buf, len);
}

int
roomopt_db_set_int(const struct roomopt *o, struct room_config *cfg, long v)
{
	if (o->type == ROPT_BOOL ? v != 0 && v != 1 : v < o->min || v > o->max)
		return ROPT_BAD;
	*m_int(o, cfg) = (int)v;
	return ROPT_OK;
}

int
roomopt_db_set_text(const struct roomopt *o, struct room_config *cfg,
    const char *s)
{
	unsigned	bits;
	int		on, rc;

	if (s == NULL)
		return ROPT_BAD;
	if (o->type != ROPT_ROLES)
		return opt_set_text(o, cfg, s, &on);
	if ((rc = roles_parse(o, s, &bits)) == ROPT_OK)
		*m_bits(o, cfg) = bits;
	return rc;
}

/* The password-protection flag is the password's presence. */
static int
password_protected(const struct room_config *cfg)
{
	return cfg->password[0] != '\0';
}

/* Submitted: off clears the password; on needs one (10.1.3). */
static int
password_apply(struct room_config *cfg, int on, const char **why)
{
	if (!on)
		return roomconfig_set_str(&cfg->password, "") == 0 ? ROPT_OK :
		    MUC_ENOMEM;
	if (cfg->password[0] == '\0') {
		*why = "A password-protected room needs a password";
		return ROPT_POLICY;
	}
	return ROPT_OK;
}
