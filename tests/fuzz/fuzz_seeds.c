/*
 * fuzz_seeds.c - the seed corpus of fuzz_engine, from scansion scripts.
 *
 * usage: fuzz_seeds OUTDIR SCRIPT.scs...
 *
 * For each script, writes OUTDIR/<script name> holding what mucd would
 * receive while the script runs, in fuzz_engine's input format: stanzas
 * separated by NUL bytes.  The script is read with the runner's own
 * parser (script.c).  Each "X sends:" block gets its ${...} placeholders
 * replaced (a character's full JID is its jid plus its resource, or
 * "/fuzz" without one), and each stanza addressed to the service's
 * domain is kept, with from set to X's full JID as X's server would set
 * it.  "X disconnects" becomes the unavailable presence X's server sends
 * to every room X entered.  Stanzas for other domains (X's own server)
 * never reach mucd and are left out.  A script that does not parse is
 * reported and skipped; the exit status is 1 only when a file cannot be
 * written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "subst.h"
#include "xnode.h"

#define FUZZ_DOMAIN	"conference.localhost"
#define MAX_JOINS	64	/* rooms one character enters, per script */

struct who {
	char	*bare, *full;
	char	*joined[MAX_JOINS];	/* occupant JIDs it sent presence to */
	size_t	 njoined;
};

struct seed {
	struct script	*s;
	struct who	*who;		/* one per character */
	FILE		*out;
	int		 nstanzas;
};

/* subst_lookup_fn over the script's characters. */
static int
lookup(void *ud, const char *name, int full, const char **value)
{
	struct seed	*sd = ud;
	size_t		 i;

	for (i = 0; i < sd->s->nchars; i++)
		if (strcmp(sd->s->chars[i].name, name) == 0) {
			*value = full ? sd->who[i].full : sd->who[i].bare;
			return SUBST_OK;
		}
	return SUBST_UNKNOWN_NAME;
}

/* Is jid on the service's domain (the service or one of its rooms)? */
static int
for_service(const char *jid)
{
	const char	*d = strchr(jid, '@'), *slash;
	size_t		 n;

	d = d != NULL ? d + 1 : jid;
	slash = strchr(d, '/');
	n = slash != NULL ? (size_t)(slash - d) : strlen(d);
	return n == strlen(FUZZ_DOMAIN) && strncmp(d, FUZZ_DOMAIN, n) == 0;
}

/* One stanza into the seed, NUL-separated from the one before. */
static void
put(struct seed *sd, const char *xml)
{
	if (sd->nstanzas++ > 0)
		fputc('\0', sd->out);
	fputs(xml, sd->out);
}

/* Remember that w entered (or tried to enter) occupant JID to. */
static void
remember_join(struct who *w, const char *to)
{
	size_t	i;

	for (i = 0; i < w->njoined; i++)
		if (strcmp(w->joined[i], to) == 0)
			return;
	if (w->njoined < MAX_JOINS && (w->joined[w->njoined] = strdup(to)) !=
	    NULL)
		w->njoined++;
}

/* Add one stanza X sent, as mucd would receive it. */
static void
add_sent(struct seed *sd, struct who *w, struct xnode *e)
{
	const struct xattr	*to = xnode_attr(e, NULL, "to"), *type;
	char			*xml;

	if (to == NULL || !for_service(to->value))
		return;
	if (xnode_attr(e, NULL, "from") == NULL &&
	    xnode_add_attr(e, NULL, "from", w->full) != 0)
		return;
	/* Adding an attribute moves them all: look them up again. */
	to = xnode_attr(e, NULL, "to");
	type = xnode_attr(e, NULL, "type");
	if (strcmp(e->name, "presence") == 0 && strchr(to->value, '/') &&
	    (type == NULL || strcmp(type->value, "unavailable") != 0))
		remember_join(w, to->value);
	if ((xml = xnode_serialize(e, XNODE_SEND, NULL)) != NULL)
		put(sd, xml);
	free(xml);
}

/* An "X sends:" block: every stanza in it. */
static void
add_block(struct seed *sd, struct who *w, const char *block)
{
	struct xnode	**nodes = NULL;
	size_t		  n = 0, i;
	char		 *text = NULL, err[256];
	int		  errline;

	if (subst_expand(block, lookup, sd, &text, err, sizeof(err)) != 0)
		return;
	if (xnode_parse_block(text, &nodes, &n, &errline, err,
	    sizeof(err)) == 0)
		for (i = 0; i < n; i++)
			if (nodes[i]->name != NULL)
				add_sent(sd, w, nodes[i]);
	xnode_free_list(nodes, n);
	free(text);
}

/* "X disconnects": X's server tells every room X is in. */
static void
add_disconnect(struct seed *sd, struct who *w)
{
	char	line[2048];
	size_t	i;

	for (i = 0; i < w->njoined; i++) {
		snprintf(line, sizeof(line), "<presence from='%s' to='%s' "
		    "type='unavailable'/>", w->full, w->joined[i]);
		put(sd, line);
		free(w->joined[i]);
	}
	w->njoined = 0;
}

/* Set up each character's JIDs.  Returns 0, or -1 out of memory. */
static int
who_init(struct seed *sd)
{
	const struct character	*c;
	size_t			 i, n;

	if ((sd->who = calloc(sd->s->nchars + 1, sizeof(*sd->who))) == NULL)
		return -1;
	for (i = 0; i < sd->s->nchars; i++) {
		c = &sd->s->chars[i];
		n = strcspn(c->jid, "/");
		sd->who[i].bare = strndup(c->jid, n);
		if (c->jid[n] == '/')
			sd->who[i].full = strdup(c->jid);
		else if ((sd->who[i].full = malloc(n + 2 + (c->resource ?
		    strlen(c->resource) : 4))) != NULL)
			sprintf(sd->who[i].full, "%s/%s", sd->who[i].bare,
			    c->resource ? c->resource : "fuzz");
		if (sd->who[i].bare == NULL || sd->who[i].full == NULL)
			return -1;
	}
	return 0;
}

static void
who_free(struct seed *sd)
{
	size_t	i, j;

	for (i = 0; sd->who != NULL && i < sd->s->nchars; i++) {
		for (j = 0; j < sd->who[i].njoined; j++)
			free(sd->who[i].joined[j]);
		free(sd->who[i].bare);
		free(sd->who[i].full);
	}
	free(sd->who);
}

/* Write the seed of script path into outdir.  Returns 0, 1 when the
 * script was skipped, -1 when the seed could not be written. */
static int
seed_one(const char *outdir, const char *path)
{
	struct seed		 sd;
	struct script_error	 err;
	const struct action	*a;
	const char		*base = strrchr(path, '/');
	char			 out[4096];
	size_t			 i;
	int			 rc = -1;

	memset(&sd, 0, sizeof(sd));
	if (script_load(path, &sd.s, &err) != 0) {
		fprintf(stderr, "fuzz_seeds: %s:%d: %s (skipped)\n", path,
		    err.line, err.msg);
		return 1;
	}
	base = base != NULL ? base + 1 : path;
	snprintf(out, sizeof(out), "%s/%.*s", outdir,
	    (int)(strlen(base) - (strstr(base, ".scs") ? 4 : 0)), base);
	if (who_init(&sd) != 0) {
		fprintf(stderr, "fuzz_seeds: out of memory\n");
		goto done;
	}
	if ((sd.out = fopen(out, "w")) == NULL) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", out, strerror(errno));
		goto done;
	}
	for (i = 0; i < sd.s->nactions; i++) {
		a = &sd.s->actions[i];
		if (a->verb == VERB_SENDS && a->block != NULL)
			add_block(&sd, &sd.who[a->ichar], a->block);
		else if (a->verb == VERB_DISCONNECTS)
			add_disconnect(&sd, &sd.who[a->ichar]);
	}
	rc = fclose(sd.out) == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "fuzz_seeds: %s: %s\n", out, strerror(errno));
done:
	who_free(&sd);
	script_free(sd.s);
	return rc;
}

int
main(int argc, char *argv[])
{
	int	i, bad = 0, nseeds = 0, rc;

	if (argc < 2) {
		fprintf(stderr, "usage: fuzz_seeds OUTDIR SCRIPT.scs...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if ((rc = seed_one(argv[1], argv[i])) < 0)
			bad = 1;
		else if (rc == 0)
			nseeds++;
	}
	printf("fuzz_seeds: %d seeds from %d scripts in %s\n", nseeds,
	    argc - 2, argv[1]);
	return bad;
}
