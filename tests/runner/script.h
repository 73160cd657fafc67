/*
 * script.h - a parsed scansion script: header, characters and actions.
 *
 * The parser checks everything that can be checked without a server
 * (format 1-6): line classes, character definitions, action names and
 * verbs, data block presence and XML well-formedness.  A script that
 * fails here is reported with a line number and never run.
 */
#ifndef SCANSION_SCRIPT_H
#define SCANSION_SCRIPT_H

#include <stddef.h>

enum verb {
	VERB_CONNECTS,
	VERB_DISCONNECTS,
	VERB_SENDS,
	VERB_RECEIVES,
	VERB_RECEIVES_NOTHING
};

struct character {
	char	*name;		/* may contain spaces and apostrophes */
	char	*jid;		/* required; bare or full */
	char	*password;	/* "" when not given */
	char	*resource;	/* NULL when not given */
	char	*connect_host;	/* NULL: the runner's --host */
	int	 connect_port;	/* 0: the runner's --port */
	int	 line;		/* of the [Client] line */
};

struct action {
	int	 line;		/* of the action line */
	size_t	 ichar;		/* index into script.chars */
	enum verb verb;
	char	*block;		/* data block lines joined by '\n', or NULL */
	int	 block_line;	/* script line of the block's first line */
};

struct script {
	char		 *title;	/* NULL when the header has none */
	char		 *description;	/* lines joined by '\n', or NULL */
	char		**tags;
	size_t		  ntags;
	struct character *chars;
	size_t		  nchars;
	struct action	 *actions;
	size_t		  nactions;
};

struct script_error {
	int	 line;		/* 1-based; 0 when not tied to a line */
	char	 msg[512];
};

int	 script_parse(const char *text, size_t len, struct script **out,
	    struct script_error *err);
int	 script_load(const char *path, struct script **out,
	    struct script_error *err);
void	 script_free(struct script *s);
const char *script_verb_name(enum verb v);

#endif
