/*
 * adhoc.h - XEP-0050 ad-hoc commands: the framework (adhoc.c) and the
 * command tables it serves.
 *
 * Every entity with commands has a table: the service JID the service
 * administration commands (svcadmin.c), a room JID the hat commands of
 * XEP-0317 (hats_cmd.c).  adhoc.c lists the commands an asker may run
 * (disco#items on node http://jabber.org/protocol/commands), describes
 * one (disco#info on its node), and runs them: `execute` answers with the
 * command's form, a sessionid and status 'executing'; the submitted form
 * (`complete`, or `execute` with the form) runs it and answers 'completed'
 * with a note and, for lists, a result form; `cancel` answers 'canceled'.
 *
 * Commands are single-stage and sessions are stateless: the sessionid
 * names when the form was given out and is only checked for its shape
 * and age (see adhoc.c), since the submitted form carries everything.
 */
#ifndef ADHOC_H
#define ADHOC_H

#include "build.h"
#include "request.h"

/* What running a command gives: a note for the user, a result form
 * (parentless, type result; the framework puts it after the note), or a
 * refusal (nothing was done): an error condition with, where XEP-0050 4.6
 * has one, its specific condition (bad-payload) and a text. */
struct adhoc_res {
	struct build	*b;		/* for the result form */
	char		 note[512];	/* "" for none */
	xmpp_stanza_t	*form;
	const char	*cond;		/* NULL: done */
	const char	*specific;	/* NULL, or a commands condition */
	const char	*text;
};

struct adhoc_cmd {
	const char	*node;
	const char	*name;
	const char	*form_type;	/* FORM_TYPE of its forms */
	const char	*instructions;
	/* May the sender run it (room is NULL for the service)? */
	int		(*may_run)(const struct req *r,
			    const struct room *room);
	/* The fields of the form (after FORM_TYPE); NULL: the command
	 * takes no input and runs at once on `execute`. */
	void		(*form)(const struct req *r, const struct room *room,
			    struct build *b, xmpp_stanza_t *x);
	/* Run with the submitted form x (NULL for a command without one).
	 * Returns MUC_OK with res filled in, or an error. */
	int		(*run)(struct req *r, struct room *room,
			    xmpp_stanza_t *x, struct adhoc_res *res);
};

struct adhoc_table {
	const struct adhoc_cmd	*cmd;
	size_t			 n;
};

extern const struct adhoc_table	svcadmin_table;	/* svcadmin.c */
extern const struct adhoc_table	hats_table;	/* hats_cmd.c */

/* adhoc_wants() and adhoc_handle(), for service.c, are in handlers.h. */

/* Helpers for the commands.  The text of field var of form x (NULL when
 * absent or empty, trimmed of surrounding spaces): MUC_OK with *OUT
 * malloc'd or NULL, or MUC_ENOMEM. */
int	adhoc_field(xmpp_stanza_t *x, const char *var, char **OUT);
/* Refuse with bad-request/bad-payload and text (returns MUC_OK). */
int	adhoc_bad_payload(struct adhoc_res *res, const char *text);
/* A result form (type result, with FORM_TYPE) into res->form. */
xmpp_stanza_t *adhoc_result_form(struct adhoc_res *res, const char *form_type);

#endif /* ADHOC_H */
