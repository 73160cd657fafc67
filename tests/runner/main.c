/*
 * main.c - scansion-run: run scansion scripts against an XMPP server.
 *
 *	scansion-run --host H --port P [--timeout S] [--nothing-window S]
 *	    [--verbose] FILE.scs...
 *
 * Each script is parsed (a syntax error fails it without running it), then
 * run with fresh clients and captures.  One line per script, "PASS name"
 * or "FAIL name: line N: why" followed by an indented report; then
 * "N passed, M failed".  Exit 0 when all passed, 1 when any failed, 2 on
 * a usage error.  --verbose (twice: with libstrophe's own debug log) traces
 * actions and stanzas on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <strophe.h>

#include "run.h"
#include "script.h"

#define DEFAULT_TIMEOUT		5.0
#define DEFAULT_NOTHING_WINDOW	0.5
#define SEND_PAUSE		0.05

/* Print usage to stderr and return the usage-error exit status. */
static int
usage(void)
{
	fprintf(stderr, "usage: scansion-run --host H --port P [--timeout S] "
	    "[--nothing-window S] [--verbose] FILE.scs...\n");
	return 2;
}

/* Parse a non-negative number of seconds.  Returns 0 or -1. */
static int
parse_seconds(const char *s, double *out)
{
	char	*end;

	errno = 0;
	*out = strtod(s, &end);
	return errno != 0 || end == s || *end != '\0' || *out < 0 ? -1 : 0;
}

/* The script's name: basename of path without ".scs".  OUT: name. */
static void
script_name(const char *path, char *name, size_t len)
{
	char	*copy, *base;
	size_t	 n;

	if ((copy = strdup(path)) == NULL) {
		snprintf(name, len, "%s", path);
		return;
	}
	base = basename(copy);
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".scs") == 0)
		base[n - 4] = '\0';
	snprintf(name, len, "%s", base);
	free(copy);
}

/* Load, run and report one script.  Returns 0 when it passed. */
static int
run_file(const char *path, const struct run_options *o)
{
	struct script		*s = NULL;
	struct script_error	 err;
	struct run_result	 res;
	char			 name[256];
	int			 rc;

	script_name(path, name, sizeof(name));
	if (script_load(path, &s, &err) < 0) {
		if (err.line > 0)
			printf("FAIL %s: line %d: syntax error: %s\n", name,
			    err.line, err.msg);
		else
			printf("FAIL %s: %s\n", name, err.msg);
		fflush(stdout);
		return 1;
	}
	if (o->verbose)
		fprintf(stderr, "%s: %s\n", name, s->title != NULL ? s->title :
		    "(untitled)");
	rc = run_script(s, o, &res);
	if (rc == 0)
		printf("PASS %s\n", name);
	else {
		printf("FAIL %s: line %d: %s\n", name, res.line,
		    res.why != NULL ? res.why : "out of memory");
		if (res.details != NULL)
			fputs(res.details, stdout);
	}
	fflush(stdout);
	run_result_free(&res);
	script_free(s);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "host",		required_argument, NULL, 'H' },
		{ "port",		required_argument, NULL, 'p' },
		{ "timeout",		required_argument, NULL, 't' },
		{ "nothing-window",	required_argument, NULL, 'n' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_options	 o;
	xmpp_log_t		*log = NULL;
	char			*end;
	long			 port;
	int			 ch, i, npass = 0, nfail = 0;

	memset(&o, 0, sizeof(o));
	o.timeout = DEFAULT_TIMEOUT;
	o.nothing_window = DEFAULT_NOTHING_WINDOW;
	o.send_pause = SEND_PAUSE;
	o.port = -1;

	/* 1. Options. */
	while ((ch = getopt_long(argc, argv, "H:p:t:n:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'H':
			o.host = optarg;
			break;
		case 'p':
			errno = 0;
			port = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || port < 1 ||
			    port > 65535) {
				fprintf(stderr, "scansion-run: --port must be "
				    "1-65535\n");
				return usage();
			}
			o.port = (int)port;
			break;
		case 't':
			if (parse_seconds(optarg, &o.timeout) < 0 ||
			    o.timeout == 0) {
				fprintf(stderr, "scansion-run: --timeout must "
				    "be a positive number of seconds\n");
				return usage();
			}
			break;
		case 'n':
			if (parse_seconds(optarg, &o.nothing_window) < 0) {
				fprintf(stderr, "scansion-run: --nothing-window "
				    "must be a number of seconds\n");
				return usage();
			}
			break;
		case 'v':
			o.verbose++;
			break;
		default:
			return usage();
		}
	}
	if (o.host == NULL || o.port < 0 || optind >= argc)
		return usage();

	/* 2. One libstrophe context for every client of every script. */
	signal(SIGPIPE, SIG_IGN);
	xmpp_initialize();
	if (o.verbose > 1)
		log = xmpp_get_default_logger(XMPP_LEVEL_DEBUG);
	if ((o.ctx = xmpp_ctx_new(NULL, log)) == NULL) {
		fprintf(stderr, "scansion-run: out of memory\n");
		return 1;
	}

	/* 3. The scripts, in order. */
	for (i = optind; i < argc; i++) {
		if (run_file(argv[i], &o) == 0)
			npass++;
		else
			nfail++;
	}
	printf("%d passed, %d failed\n", npass, nfail);

	xmpp_ctx_free(o.ctx);
	xmpp_shutdown();
	xmlCleanupParser();
	return nfail == 0 ? 0 : 1;
}
