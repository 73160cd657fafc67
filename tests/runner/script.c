/*
 * script.c - parsing .scs scripts (format sections 1-6).
 *
 * The file is read line by line.  Every non-blank, non-indented line is a
 * header/comment line (#), a comment (// or --, including the ----
 * separator), a character definition ([Client] Name) or an action
 * (Name verb[:] [argument]).  Indented lines belong to the open character
 * definition (properties) or the open sends/receives action (its data
 * block); blank lines end nothing.  Data blocks are checked for XML
 * well-formedness here, with placeholder JIDs, so that a broken block is a
 * syntax error with a line number instead of a failure halfway through a
 * run.  Variables are substituted for real when the action runs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "script.h"
#include "subst.h"
#include "xnode.h"

enum opener {
	OPEN_NONE,	/* indented lines are an error */
	OPEN_CHAR,	/* indented lines are properties of the last character */
	OPEN_BLOCK,	/* indented lines are the last action's data block */
	OPEN_NOBLOCK	/* the last action takes no block */
};

struct parser {
	struct script		*s;
	struct script_error	*err;
	int			 lineno;
	int			 in_header;	/* only # and blank lines so far */
	enum opener		 open;
	struct buf		 block;		/* lines of the open block */
	int			 block_lines;	/* lines in block so far */
	struct buf		 desc;		/* header description */
};

static const struct {
	const char	*word;
	enum verb	 verb;
} verbs[] = {
	{ "connects",		VERB_CONNECTS },
	{ "disconnects",	VERB_DISCONNECTS },
	{ "sends",		VERB_SENDS },
	{ "receives",		VERB_RECEIVES },
};

/* The verb as written in scripts, for messages. */
const char *
script_verb_name(enum verb v)
{
	switch (v) {
	case VERB_CONNECTS:		return "connects";
	case VERB_DISCONNECTS:		return "disconnects";
	case VERB_SENDS:		return "sends";
	case VERB_RECEIVES:		return "receives";
	case VERB_RECEIVES_NOTHING:	return "receives: nothing";
	}
	return "?";
}

/* Record a syntax error at line (0: the current line).  Returns -1 so
 * callers can write "return fail(...)". */
static int
fail(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;

	p->err->line = line != 0 ? line : p->lineno;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Pointer to the first non-blank character of s. */
static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A copy of the n bytes at s without leading and trailing whitespace, or
 * NULL when out of memory. */
static char *
trimmed_copy(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* Handle a # or ## line at the top of the file (format 2). */
static int
parse_header_line(struct parser *p, const char *line)
{
	struct script	*s = p->s;
	char		*text, **v;

	if (line[1] == '#') {
		if ((text = trimmed_copy(line + 2, strlen(line + 2))) == NULL)
			return fail(p, 0, "out of memory");
		if ((v = realloc(s->tags, (s->ntags + 1) * sizeof(*v))) == NULL) {
			free(text);
			return fail(p, 0, "out of memory");
		}
		s->tags = v;
		s->tags[s->ntags++] = text;
		return 0;
	}
	if ((text = trimmed_copy(line + 1, strlen(line + 1))) == NULL)
		return fail(p, 0, "out of memory");
	if (s->title == NULL && text[0] != '\0') {
		s->title = text;
		return 0;
	}
	if (s->title != NULL) {
		if (p->desc.len > 0)
			buf_add(&p->desc, "\n");
		buf_add(&p->desc, text);
	}
	free(text);
	return p->desc.failed ? fail(p, 0, "out of memory") : 0;
}

/* Handle "[Class] Name" (format 3). */
static int
parse_character(struct parser *p, const char *line)
{
	struct script		*s = p->s;
	struct character	*c, *v;
	const char		*close;
	char			*name;
	size_t			 i;

	if ((close = strchr(line, ']')) == NULL)
		return fail(p, 0, "character definition without ']'");
	if (close - line - 1 != 6 || strncmp(line + 1, "Client", 6) != 0)
		return fail(p, 0, "unknown character class \"%.*s\" "
		    "(only [Client] is supported)", (int)(close - line - 1),
		    line + 1);
	if ((name = trimmed_copy(close + 1, strlen(close + 1))) == NULL)
		return fail(p, 0, "out of memory");
	if (name[0] == '\0') {
		free(name);
		return fail(p, 0, "character definition without a name");
	}
	for (i = 0; i < s->nchars; i++)
		if (strcmp(s->chars[i].name, name) == 0) {
			fail(p, 0, "character \"%s\" is already defined on "
			    "line %d", name, s->chars[i].line);
			free(name);
			return -1;
		}
	if ((v = realloc(s->chars, (s->nchars + 1) * sizeof(*v))) == NULL) {
		free(name);
		return fail(p, 0, "out of memory");
	}
	s->chars = v;
	c = &s->chars[s->nchars++];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->line = p->lineno;
	p->open = OPEN_CHAR;
	return 0;
}

/* Handle an indented "key: value" line of the last character. */
static int
parse_property(struct parser *p, const char *line)
{
	struct character	*c = &p->s->chars[p->s->nchars - 1];
	const char		*colon, *t = skip_space(line);
	char			*key = NULL, *value = NULL, **slot = NULL;
	char			*end;
	long			 port;
	int			 rc = -1;

	if (t[0] == '#' || strncmp(t, "//", 2) == 0)
		return 0;	/* a comment among the properties */
	if ((colon = strchr(t, ':')) == NULL)
		return fail(p, 0, "expected \"key: value\" in the definition "
		    "of %s", c->name);
	key = trimmed_copy(t, (size_t)(colon - t));
	value = trimmed_copy(colon + 1, strlen(colon + 1));
	if (key == NULL || value == NULL) {
		fail(p, 0, "out of memory");
		goto cleanup;
	}
	if (strcmp(key, "jid") == 0)
		slot = &c->jid;
	else if (strcmp(key, "password") == 0)
		slot = &c->password;
	else if (strcmp(key, "resource") == 0)
		slot = &c->resource;
	else if (strcmp(key, "connect_host") == 0)
		slot = &c->connect_host;
	else if (strcmp(key, "connect_port") == 0) {
		errno = 0;
		port = strtol(value, &end, 10);
		if (errno != 0 || *end != '\0' || port < 1 || port > 65535) {
			fail(p, 0, "connect_port of %s must be 1-65535",
			    c->name);
			goto cleanup;
		}
		c->connect_port = (int)port;
	}
	/* unknown keys are ignored (format 3) */
	if (slot != NULL) {
		free(*slot);
		*slot = value;
		value = NULL;
	}
	rc = 0;
cleanup:
	free(key);
	free(value);
	return rc;
}

/* If the action line rest (after a character name) starts with a verb
 * followed by the end, ':' or a blank, return that verb's index in verbs[]
 * and OUT: *after points behind the verb; else -1. */
static int
match_verb(const char *rest, const char **after)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		n = strlen(verbs[i].word);
		if (strncmp(rest, verbs[i].word, n) == 0 &&
		    (rest[n] == '\0' || rest[n] == ':' || rest[n] == ' ' ||
		    rest[n] == '\t')) {
			*after = rest + n;
			return (int)i;
		}
	}
	return -1;
}

/* Handle "Name verb[:] [argument]" (format 4).  The name is the longest
 * defined name that is followed by a blank and a known verb. */
static int
parse_action(struct parser *p, const char *line)
{
	struct script	*s = p->s;
	struct action	*a, *v;
	const char	*after = NULL, *arg, *cand;
	size_t		 i, n, best_len = 0, ibest = 0;
	int		 iverb = -1, k;

	for (i = 0; i < s->nchars; i++) {
		n = strlen(s->chars[i].name);
		if (n <= best_len || strncmp(line, s->chars[i].name, n) != 0 ||
		    (line[n] != ' ' && line[n] != '\t'))
			continue;
		if ((k = match_verb(skip_space(line + n), &cand)) < 0)
			continue;
		best_len = n;
		ibest = i;
		iverb = k;
		after = cand;
	}
	if (iverb < 0)
		return fail(p, 0, "not a character definition, comment or "
		    "action (\"<defined name> connects|disconnects|sends|"
		    "receives\"): \"%s\"", line);

	/* optional colon, then the argument */
	if (*after == ':')
		after++;
	arg = skip_space(after);
	if ((v = realloc(s->actions, (s->nactions + 1) * sizeof(*v))) == NULL)
		return fail(p, 0, "out of memory");
	s->actions = v;
	a = &s->actions[s->nactions];
	memset(a, 0, sizeof(*a));
	a->line = p->lineno;
	a->ichar = ibest;
	a->verb = verbs[iverb].verb;
	if (a->verb == VERB_RECEIVES && strcmp(arg, "nothing") == 0)
		a->verb = VERB_RECEIVES_NOTHING;
	else if (*arg != '\0')
		return fail(p, 0, "unexpected argument \"%s\" after \"%s\"",
		    arg, verbs[iverb].word);
	s->nactions++;
	if (a->verb == VERB_SENDS || a->verb == VERB_RECEIVES) {
		p->open = OPEN_BLOCK;
		a->block_line = p->lineno + 1;
		buf_init(&p->block);
		p->block_lines = 0;
	} else
		p->open = OPEN_NOBLOCK;
	return 0;
}

/* Check a scansion:strict value on e and its descendants. */
static int
check_strict_values(struct parser *p, const struct xnode *e, int line)
{
	const struct xattr	*a;
	size_t			 i;

	a = xnode_attr(e, XNODE_NS_SCANSION, "strict");
	if (a != NULL && strcmp(a->value, "true") != 0 &&
	    strcmp(a->value, "false") != 0)
		return fail(p, line, "scansion:strict on <%s> must be \"true\" "
		    "or \"false\", not \"%s\"", e->name, a->value);
	for (i = 0; i < e->nkids; i++)
		if (e->kids[i]->name != NULL &&
		    check_strict_values(p, e->kids[i], line) < 0)
			return -1;
	return 0;
}

/* End the open data block: it must hold XML, which must be well-formed
 * once variables are replaced by stand-in JIDs. */
static int
finish_block(struct parser *p)
{
	struct action	*a = &p->s->actions[p->s->nactions - 1];
	struct xnode	**elems = NULL;
	size_t		 nelems = 0, i;
	char		*text = NULL, *expanded = NULL, msg[300];
	int		 errline, rc = -1;

	p->open = OPEN_NONE;
	if ((text = buf_finish(&p->block)) == NULL)
		return fail(p, a->line, "out of memory");
	if (xnode_is_blank(text)) {
		fail(p, a->line, "\"%s %s\" needs a data block (indented "
		    "XML on the following lines)", p->s->chars[a->ichar].name,
		    script_verb_name(a->verb));
		goto cleanup;
	}
	if (subst_expand(text, subst_lookup_dummy, NULL, &expanded, msg,
	    sizeof(msg)) < 0) {
		fail(p, a->line, "%s", msg);
		goto cleanup;
	}
	if (xnode_parse_block(expanded, &elems, &nelems, &errline, msg,
	    sizeof(msg)) < 0) {
		fail(p, errline > 0 ? a->block_line + errline - 1 : a->line,
		    "%s", msg);
		goto cleanup;
	}
	for (i = 0; i < nelems; i++)
		if (check_strict_values(p, elems[i], a->line) < 0)
			goto cleanup;
	a->block = text;
	text = NULL;
	rc = 0;
cleanup:
	xnode_free_list(elems, nelems);
	free(expanded);
	free(text);
	return rc;
}

/* Feed one line (without its line end) to the parser. */
static int
parse_line(struct parser *p, char *line)
{
	size_t	 n = strlen(line);
	int	 indented = line[0] == ' ' || line[0] == '\t';

	if (p->open == OPEN_BLOCK && (indented || xnode_is_blank(line))) {
		if (p->block_lines++ > 0)
			buf_add(&p->block, "\n");
		buf_add(&p->block, line);
		return p->block.failed ? fail(p, 0, "out of memory") : 0;
	}
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';	/* trailing blanks mean nothing */
	if (n == 0)
		return 0;
	if (indented) {
		if (p->open == OPEN_CHAR)
			return parse_property(p, line);
		if (p->open == OPEN_NOBLOCK)
			return fail(p, 0, "indented line, but \"%s %s\" takes "
			    "no data block", p->s->chars[p->s->actions[
			    p->s->nactions - 1].ichar].name, script_verb_name(
			    p->s->actions[p->s->nactions - 1].verb));
		return fail(p, 0, "indented line outside a character "
		    "definition or data block");
	}

	/* a non-blank, non-indented line closes whatever is open */
	if (p->open == OPEN_BLOCK && finish_block(p) < 0)
		return -1;
	p->open = OPEN_NONE;
	if (line[0] == '#')
		return p->in_header ? parse_header_line(p, line) : 0;
	p->in_header = 0;
	if (strncmp(line, "//", 2) == 0 || strncmp(line, "--", 2) == 0)
		return 0;
	if (line[0] == '[')
		return parse_character(p, line);
	return parse_action(p, line);
}

/* Parse the len bytes of script text.  On success returns 0 and OUT: *out
 * is a new script (script_free).  On a syntax error returns -1 and fills
 * err with the line number and the reason. */
int
script_parse(const char *text, size_t len, struct script **out,
    struct script_error *err)
{
	struct parser	 p;
	const char	*pos = text, *end = text + len, *nl;
	char		*line = NULL;
	size_t		 n, i;
	int		 rc = -1;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	p.err = err;
	p.in_header = 1;
	buf_init(&p.block);
	buf_init(&p.desc);
	if ((p.s = calloc(1, sizeof(*p.s))) == NULL) {
		fail(&p, 0, "out of memory");
		goto cleanup;
	}

	/* 1. Lines, LF or CRLF. */
	while (pos < end) {
		p.lineno++;
		nl = memchr(pos, '\n', (size_t)(end - pos));
		n = (size_t)((nl != NULL ? nl : end) - pos);
		if (n > 0 && pos[n - 1] == '\r')
			n--;
		free(line);
		if ((line = strndup(pos, n)) == NULL) {
			fail(&p, 0, "out of memory");
			goto cleanup;
		}
		if (strlen(line) != n) {
			fail(&p, 0, "NUL byte in script");
			goto cleanup;
		}
		if (parse_line(&p, line) < 0)
			goto cleanup;
		pos = nl != NULL ? nl + 1 : end;
	}
	if (p.open == OPEN_BLOCK && finish_block(&p) < 0)
		goto cleanup;

	/* 2. Whole-script checks. */
	for (i = 0; i < p.s->nchars; i++)
		if (p.s->chars[i].jid == NULL || p.s->chars[i].jid[0] == '\0') {
			fail(&p, p.s->chars[i].line, "character %s has no jid",
			    p.s->chars[i].name);
			goto cleanup;
		}
	for (i = 0; i < p.s->nchars; i++)
		if (p.s->chars[i].password == NULL &&
		    (p.s->chars[i].password = strdup("")) == NULL) {
			fail(&p, 0, "out of memory");
			goto cleanup;
		}
	if (p.desc.len > 0 && (p.s->description = buf_finish(&p.desc)) == NULL) {
		fail(&p, 0, "out of memory");
		goto cleanup;
	}
	*out = p.s;
	p.s = NULL;
	rc = 0;
cleanup:
	free(line);
	buf_free(&p.block);
	buf_free(&p.desc);
	script_free(p.s);
	return rc;
}

/* Read and parse the script at path.  Same results as script_parse(); a
 * file that cannot be read is an error on line 0. */
int
script_load(const char *path, struct script **out, struct script_error *err)
{
	FILE		*f;
	struct buf	 b;
	char		 chunk[8192], *text = NULL;
	size_t		 n;
	int		 rc = -1;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	buf_init(&b);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_addn(&b, chunk, n);
	if (ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s",
		    strerror(errno));
		goto cleanup;
	}
	n = b.len;
	if ((text = buf_finish(&b)) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto cleanup;
	}
	rc = script_parse(text, n, out, err);
cleanup:
	buf_free(&b);
	free(text);
	fclose(f);
	return rc;
}

/* Free s and everything it owns.  NULL is allowed. */
void
script_free(struct script *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	free(s->title);
	free(s->description);
	for (i = 0; i < s->ntags; i++)
		free(s->tags[i]);
	free(s->tags);
	for (i = 0; i < s->nchars; i++) {
		free(s->chars[i].name);
		free(s->chars[i].jid);
		free(s->chars[i].password);
		free(s->chars[i].resource);
		free(s->chars[i].connect_host);
	}
	free(s->chars);
	for (i = 0; i < s->nactions; i++)
		free(s->actions[i].block);
	free(s->actions);
	free(s);
}
