/*
 * roomopt.h - every room option, once.
 *
 * roomopts[] has one row per option of a room's configuration: its form
 * field, label, type and bounds or choices, its default, the member of
 * struct room_config it fills, its database column, its muc#roominfo field,
 * its disco#info features and the status codes a change of it implies.
 * The owner's form and its validating submit parser (owner.c), change
 * detection (the 104/172/173 notices), the store's load and save
 * (store_sqlite.c) and room info (disco.c) all read the table, so adding an
 * option is one row here plus a migration that adds its column
 * (sql/migrations/).
 */
#ifndef ROOMOPT_H
#define ROOMOPT_H

#include <stddef.h>

#include <strophe.h>

#include "build.h"
#include "roomconfig.h"

enum roomopt_type {
	ROPT_TEXT,	/* char *; form text-single */
	ROPT_SECRET,	/* char *; form text-private */
	ROPT_BOOL,	/* int 0 or 1; form boolean */
	ROPT_UINT,	/* int in [min, max]; form text-single */
	ROPT_CHOICE,	/* int, index into choices; form list-single */
	ROPT_ROLES,	/* unsigned BCAST_ROLE() bits; form list-multi */
};

struct roomopt_choice {
	const char	*value;		/* on the wire and in the database */
	const char	*label;
	int		 bit;		/* ROPT_ROLES: the role whose bit it is */
};

struct roomopt {
	const char	*var;		/* the form field */
	const char	*alias;		/* another var accepted on submit */
	const char	*label;
	enum roomopt_type type;
	size_t		 off;		/* member of struct room_config */
	const char	*column;	/* column of `rooms`; NULL: not stored */
	const char	*def;		/* default, as stored (ROLES: by spaces) */
	long		 min, max;	/* ROPT_UINT bounds */
	const char	*zero;		/* ROPT_UINT: a word that also means 0 */
	const struct roomopt_choice *choices;	/* ROPT_CHOICE, ROPT_ROLES */
	size_t		 nchoices;
	const char	*info_var;	/* muc#roominfo field, NULL: none */
	const char	*info_label;
	int		 info_nonzero;	/* room info shows it only when not 0 */
	const char	*feature_on;	/* disco#info feature while on */
	const char	*feature_off;	/* ... while off */
	int		 code_on;	/* status code when it turns on (0: 104) */
	int		 code_off;	/* ... when it turns off */
	/* A derived option has no member of its own: derive() reads it from
	 * the others, and a submitted value is applied by apply() once every
	 * field of the form is read (ROPT_OK, ROPT_POLICY with *why set, or
	 * MUC_ENOMEM). */
	int		(*derive)(const struct room_config *cfg);
	int		(*apply)(struct room_config *cfg, int on, const char **why);
};

extern const struct roomopt	roomopts[];
extern const size_t		nroomopts;

/* Results of parsing a value, beside MUC_ENOMEM. */
#define ROPT_OK		0
#define ROPT_BAD	1	/* malformed: bad-request */
#define ROPT_POLICY	2	/* well-formed but not for this room: not-acceptable */

/* Why a submitted form was refused. */
struct roomopt_error {
	const char	*condition;	/* NULL: accepted */
	char		 text[192];
};

/* Add the owner's configuration form for cfg under parent (10.1, 10.2). */
void	roomopt_form(struct build *b, xmpp_stanza_t *parent,
	    const struct room_config *cfg);
/*
 * Apply the submitted form x to cfg (a copy of the room's).  Every field
 * must be an option of the table (or FORM_TYPE, which a form with fields
 * must carry), single-valued options take one value, and each value must
 * parse.  Returns MUC_OK with err->condition NULL when all is well, MUC_OK
 * with err->condition "bad-request" (malformed) or "not-acceptable" (a
 * value the room cannot take, 10.1.3) and err->text set, or MUC_ENOMEM.
 * On refusal cfg holds a partial result: throw it away.
 */
int	roomopt_submit(struct room_config *cfg, xmpp_stanza_t *x,
	    struct roomopt_error *err);

/* What changed from a to b. */
#define ROPT_MAXCODES	8
struct roomopt_changes {
	size_t	nchanged;		/* options that differ */
	size_t	nplain;			/* ... whose change is plain 104 */
	int	codes[ROPT_MAXCODES];	/* the codes the others imply */
	size_t	ncodes;
};
void	roomopt_diff(const struct room_config *a, const struct room_config *b,
	    struct roomopt_changes *OUT);

/* The names of the options that differ between a and b, for the log
 * ("roomname, membersonly"; values are never shown: one is a password). */
void	roomopt_describe_changes(const struct room_config *a,
	    const struct room_config *b, char *buf, size_t len);

/* The muc#roominfo fields (XEP-0045 6.4) and the disco#info features of
 * cfg, added under x (a result form) and q (the query). */
void	roomopt_info_fields(struct build *b, xmpp_stanza_t *x,
	    const struct room_config *cfg);
void	roomopt_features(struct build *b, xmpp_stanza_t *q,
	    const struct room_config *cfg);

/* The statements of the store's room rows, generated from the columns:
 * LOAD selects "id, subject, subject_nick, subject_time" and then every
 * stored option in table order (?1 the name); INSERT binds ?1 the name and
 * ?2... the options; UPDATE binds ?1 the id and ?2... the options.
 * malloc'd; NULL on allocation failure. */
enum roomopt_sql_kind { ROPT_SQL_LOAD, ROPT_SQL_INSERT, ROPT_SQL_UPDATE };
char	*roomopt_sql(enum roomopt_sql_kind kind);

/* The database side.  A stored option's column holds an integer (BOOL,
 * UINT) or a text (TEXT, SECRET, CHOICE by value, ROLES by value
 * separated by spaces). */
int	roomopt_db_is_int(const struct roomopt *o);
long	roomopt_db_int(const struct roomopt *o, const struct room_config *cfg);
/* The column text, pointing into cfg or into buf (at least 64 bytes). */
const char *roomopt_db_text(const struct roomopt *o,
	    const struct room_config *cfg, char *buf, size_t len);
/* Set o in cfg from a column's value: ROPT_OK, ROPT_BAD when the value
 * is not one the option can take (cfg unchanged), or MUC_ENOMEM. */
int	roomopt_db_set_int(const struct roomopt *o, struct room_config *cfg,
	    long v);
int	roomopt_db_set_text(const struct roomopt *o, struct room_config *cfg,
	    const char *s);

#endif /* ROOMOPT_H */
