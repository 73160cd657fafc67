/*
 * config.c - the option table, the config file parser and the flags.
 *
 * One table, opts[], names every setting once: its key in the file, its
 * flag, its type and bounds, its default, the field it fills, the check its
 * value must pass and its line in --help.  Defaults, the file, MUCD_SECRET
 * and the flags all go through the same opt_set(), so a value is checked the
 * same way wherever it comes from.  The file format is documented in
 * mucd.conf(5) and shown in mucd.conf.example:
 *
 *	# comment
 *	key = value
 *	admin = alice@example.org	(repeatable)
 *
 * A '#' starts a comment only at the beginning of a line, so a secret may
 * contain one; double quotes around a value are removed.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#ifndef MUCD_VERSION
#define MUCD_VERSION	"unknown"
#endif

#define PROGNAME	"mucd"

enum opt_type {
	OPT_STRING,
	OPT_INT,
	OPT_LEVEL,
	OPT_FORMAT,	/* log format: text or json */
	OPT_LIST,	/* repeatable; char ** with a count at countoff */
};

struct opt {
	const char	*name;		/* key in the file */
	const char	*flag;		/* long flag without "--" */
	enum opt_type	 type;
	long		 min, max;	/* OPT_INT */
	const char	*def;		/* default, as written in a file; NULL: unset */
	size_t		 off;		/* field in struct config */
	size_t		 countoff;	/* OPT_LIST: its count field */
	int		 required;	/* REQ_... */
	const char	*env;		/* environment variable, or NULL */
	const char	*arg;		/* placeholder in --help */
	const char	*help;
	/* NULL if value is acceptable, else why not ("must be ..."). */
	const char	*(*check)(const char *value);
};

/* How required a setting is.  The secret is needed to run but not to check
 * a file with -n: it usually lives in an environment file that only the
 * service manager reads (EnvironmentFile= in mucd.service), and an operator
 * checking /etc/mucd.conf from a shell does not have it. */
#define REQ_NO		0
#define REQ_ALWAYS	1
#define REQ_TO_RUN	2

static const char	*check_nonempty(const char *);
static const char	*check_listen(const char *);
static const char	*check_domain(const char *);
static const char	*check_bare_jid(const char *);
static const char	*check_keep_remove(const char *);
static const char	*check_room_creation(const char *);

#define F(field)	offsetof(struct config, field)

static const struct opt opts[] = {
	{ "domain", "domain", OPT_STRING, 0, 0, NULL, F(domain), 0, REQ_ALWAYS,
	    NULL,
	    "JID", "the component's JID, e.g. conference.example.org",
	    check_domain },
	{ "host", "host", OPT_STRING, 0, 0, "127.0.0.1", F(host), 0, 0, NULL,
	    "HOST", "address of the XMPP server's component listener",
	    check_nonempty },
	{ "port", "port", OPT_INT, 1, 65535, "5347", F(port), 0, 0, NULL,
	    "PORT", "port of the component listener", NULL },
	{ "secret", "secret", OPT_STRING, 0, 0, NULL, F(secret), 0, REQ_TO_RUN,
	    "MUCD_SECRET", "SECRET",
	    "shared secret; prefer MUCD_SECRET, flags show in ps",
	    check_nonempty },
	{ "db", "db", OPT_STRING, 0, 0, "mucd.db", F(db), 0, 0, NULL,
	    "PATH", "SQLite database, created if missing", check_nonempty },
	{ "name", "name", OPT_STRING, 0, 0, "Chatrooms", F(name), 0, 0, NULL,
	    "NAME", "service name shown in service discovery", check_nonempty },
	{ "admin", "admin", OPT_LIST, 0, 0, NULL, F(admins), F(nadmins), 0,
	    NULL, "JID", "bare JID with owner rights in every room; repeat "
	    "for more", check_bare_jid },
	{ "log_level", "log-level", OPT_LEVEL, 0, 0, "info", F(log_level), 0,
	    0, NULL, "LEVEL", "debug, info, warn or error", NULL },
	{ "log_format", "log-format", OPT_FORMAT, 0, 0, "text", F(log_format),
	    0, 0, NULL, "FORMAT", "text, or json: one object per line", NULL },
	{ "metrics", "metrics", OPT_STRING, 0, 0, NULL, F(metrics), 0, 0, NULL,
	    "ADDR:PORT", "serve OpenMetrics over HTTP there, e.g. "
	    "127.0.0.1:9105", check_listen },
	{ "message_rate", "message-rate", OPT_INT, 0, 100000, "5",
	    F(message_rate), 0, 0, NULL, "N", "groupchat and private "
	    "messages an occupant may send per second; 0: no limit", NULL },
	{ "message_burst", "message-burst", OPT_INT, 0, 100000, "25",
	    F(message_burst), 0, 0, NULL, "N", "messages an occupant may "
	    "send at once before message_rate applies", NULL },
	{ "presence_rate", "presence-rate", OPT_INT, 0, 100000, "1",
	    F(presence_rate), 0, 0, NULL, "N", "presence changes an occupant "
	    "may send per second; 0: no limit", NULL },
	{ "presence_burst", "presence-burst", OPT_INT, 0, 100000, "10",
	    F(presence_burst), 0, 0, NULL, "N", "presence changes at once "
	    "before presence_rate applies", NULL },
	{ "join_rate", "join-rate", OPT_INT, 0, 100000, "120", F(join_rate),
	    0, 0, NULL, "N", "rooms a user may enter per minute (all at "
	    "once); 0: no limit", NULL },
	{ "room_creation_rate", "room-creation-rate", OPT_INT, 0, 100000,
	    "10", F(room_creation_rate), 0, 0, NULL, "N", "rooms a user may "
	    "create per minute; 0: no limit", NULL },
	{ "disco_page_size", "disco-page-size", OPT_INT, 1, 10000, "100",
	    F(disco_page_size), 0, 0, NULL, "N", "rooms in one page of the "
	    "service's disco#items when the client asks for no number", NULL },
	{ "disco_page_max", "disco-page-max", OPT_INT, 1, 10000, "250",
	    F(disco_page_max), 0, 0, NULL, "N", "most rooms one page of "
	    "disco#items holds", NULL },
	{ "restart_occupants", "restart-occupants", OPT_STRING, 0, 0, "keep",
	    F(restart_occupants), 0, 0, NULL, "keep|remove", "keep occupants "
	    "in their rooms across a restart, or tell them 332 on shutdown",
	    check_keep_remove },
	{ "snapshot_interval", "snapshot-interval", OPT_INT, 1, 3600, "2",
	    F(snapshot_interval), 0, 0, NULL, "SECONDS", "how often changed "
	    "occupants are written to the database", NULL },
	{ "verify_rate", "verify-rate", OPT_INT, 1, 100000, "50",
	    F(verify_rate), 0, 0, NULL, "N", "clients pinged per second "
	    "after a restart or a reconnect to check they are still there",
	    NULL },
	{ "verify_timeout", "verify-timeout", OPT_INT, 1, 3600, "30",
	    F(verify_timeout), 0, 0, NULL, "SECONDS", "how long a client may "
	    "take to answer that ping before it is removed", NULL },
	{ "crowded_room", "crowded-room", OPT_INT, 0, 10000000, "0",
	    F(crowded_room), 0, 0, NULL, "N", "above N occupants, only "
	    "moderators see participants come and go; 0: never", NULL },
	{ "archive_by_default", "archive-by-default", OPT_INT, 0, 1, "1",
	    F(archive_by_default), 0, 0, NULL, "0|1",
	    "new persistent rooms keep a message archive (XEP-0313)", NULL },
	{ "archive_max_days", "archive-max-days", OPT_INT, 0, 36500, "0",
	    F(archive_max_days), 0, 0, NULL, "DAYS",
	    "archived messages older than this are deleted; 0 keeps them",
	    NULL },
	{ "archive_max_messages", "archive-max-messages", OPT_INT, 0,
	    1000000000, "0", F(archive_max_messages), 0, 0, NULL, "N",
	    "each room's archive keeps its newest N messages; 0 keeps all",
	    NULL },
	{ "archive_page_max", "archive-page-max", OPT_INT, 1, 1000, "100",
	    F(archive_page_max), 0, 0, NULL, "N",
	    "most results one archive query returns", NULL },
	{ "connections", "connections", OPT_INT, 1, 16, "1", F(connections),
	    0, 0, NULL, "K", "streams to the host for the domain (ejabberd "
	    "spreads its work over them)", NULL },
	{ "multicast", "multicast", OPT_STRING, 0, 0, "auto", F(multicast), 0,
	    0, NULL, "JID", "XEP-0033 service for broadcasts: auto (find it), "
	    "off, or its JID", check_domain },
	{ "multicast_batch", "multicast-batch", OPT_INT, 0, 1000, "0",
	    F(multicast_batch), 0, 0, NULL, "N", "addresses per multicast "
	    "stanza at most; 0: as the service advertises", NULL },
	{ "pacing_window", "pacing-window", OPT_INT, 0, 10000000, "10000",
	    F(pacing_window), 0, 0, NULL, "N", "copies the host may hold "
	    "before mucd waits for it; 0: no pacing", NULL },
	{ "pacing_delay", "pacing-delay", OPT_INT, 0, 60000, "200",
	    F(pacing_delay), 0, 0, NULL, "MS", "queueing delay the window "
	    "aims at, from the host's measured rate; 0: always the whole "
	    "window", NULL },
	{ "max_queued_bytes", "max-queued-bytes", OPT_INT, 0, 1073741824,
	    "16777216", F(max_queued_bytes), 0, 0, NULL, "BYTES", "bytes "
	    "waiting for the host above which mucd stops reading from it; "
	    "0: no cap", NULL },
	{ "room_creation", "room-creation", OPT_STRING, 0, 0, "anyone",
	    F(room_creation), 0, 0, NULL, "anyone|local|admins", "who may "
	    "create rooms (admins always may)", check_room_creation },
	{ "local_domains", "local-domains", OPT_LIST, 0, 0, NULL,
	    F(local_domains), F(nlocal_domains), 0, NULL, "DOMAIN",
	    "a domain whose users are local for room_creation = local; "
	    "repeat for more (default: the service's parent domain)",
	    check_domain },
	{ "max_rooms_per_user", "max-rooms-per-user", OPT_INT, 0, 1000000,
	    "0", F(max_rooms_per_user), 0, 0, NULL, "N", "rooms a user may "
	    "have created before more are refused; 0: no limit", NULL },
	{ "vcard_max_bytes", "vcard-max-bytes", OPT_INT, 256, 262144,
	    "65536", F(vcard_max_bytes), 0, 0, NULL, "BYTES", "largest room "
	    "vCard (avatar, XEP-0486) an owner may set", NULL },
};

#define NOPTS		(sizeof(opts) / sizeof(opts[0]))

/* getopt_long values of the options that are not settings. */
#define OPTV_CONFIG	1000
#define OPTV_SETTING	2000	/* + index in opts[] */

static const char *const level_names[] = {
	[MUC_LOG_DEBUG] = "debug",
	[MUC_LOG_INFO] = "info",
	[MUC_LOG_WARN] = "warn",
	[MUC_LOG_ERROR] = "error",
};

static const char *
check_nonempty(const char *v)
{
	return *v == '\0' ? "must not be empty" : NULL;
}

/* An address to listen on: a numeric IPv4 address or a bracketed IPv6
 * one, a colon, a port.  Numeric only: mucd resolves no name at start. */
static const char *
check_listen(const char *v)
{
	const char	*colon = strrchr(v, ':'), *end;
	char		 host[64];
	size_t		 hl;
	long		 port;
	char		*pend;
	unsigned char	 buf[16];
	int		 bracket = *v == '[';

	if (colon == NULL || colon == v)
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &pend, 10);
	if (errno != 0 || pend == colon + 1 || *pend != '\0' || port < 1 ||
	    port > 65535)
		goto bad;
	end = colon;
	if (bracket) {
		if (end[-1] != ']')
			goto bad;
		v++;
		end--;
	}
	if ((hl = (size_t)(end - v)) == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, v, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, buf) == 1 ||
	    (bracket && inet_pton(AF_INET6, host, buf) == 1))
		return NULL;
bad:
	return "must be ADDRESS:PORT with a numeric address, like "
	    "127.0.0.1:9105 or [::1]:9105";
}

static const char *
check_domain(const char *v)
{
	if (*v == '\0' || v[strcspn(v, "@/ \t")] != '\0')
		return "must be a domain JID like conference.example.org";
	return NULL;
}

static const char *
check_bare_jid(const char *v)
{
	if (*v == '\0' || v[strcspn(v, "/ \t")] != '\0')
		return "must be a bare JID like alice@example.org";
	return NULL;
}

static const char *
check_keep_remove(const char *v)
{
	return strcmp(v, "keep") == 0 || strcmp(v, "remove") == 0 ? NULL :
	    "must be keep or remove";
}

static const char *
check_room_creation(const char *v)
{
	return strcmp(v, "anyone") == 0 || strcmp(v, "local") == 0 ||
	    strcmp(v, "admins") == 0 ? NULL : "must be anyone, local or admins";
}

/* Set o in cfg from the text value.  Returns 0, or -1 with the reason in
 * why ("must be 1-65535"), to be prefixed with the option's name. */
static int
opt_set(const struct opt *o, struct config *cfg, const char *value,
    char *why, size_t whylen)
{
	char		*field = (char *)cfg + o->off, *copy, *end, ***list;
	char		**grown;
	const char	*bad;
	size_t		*count, i;
	long		 n;

	if (o->check != NULL && (bad = o->check(value)) != NULL) {
		snprintf(why, whylen, "%s", bad);
		return -1;
	}
	switch (o->type) {
	case OPT_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || n < o->min ||
		    n > o->max) {
			snprintf(why, whylen, "must be %ld-%ld", o->min, o->max);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case OPT_LEVEL:
		for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
		    i++)
			if (strcmp(value, level_names[i]) == 0) {
				*(enum muc_log_level *)field =
				    (enum muc_log_level)i;
				return 0;
			}
		snprintf(why, whylen, "must be debug, info, warn or error");
		return -1;
	case OPT_FORMAT:
		if (strcmp(value, "text") == 0 || strcmp(value, "json") == 0) {
			*(enum log_format *)field = value[0] == 'j' ?
			    LOG_JSON : LOG_TEXT;
			return 0;
		}
		snprintf(why, whylen, "must be text or json");
		return -1;
	case OPT_STRING:
	case OPT_LIST:
		break;
	}
	if ((copy = strdup(value)) == NULL) {
		snprintf(why, whylen, "cannot be stored: out of memory");
		return -1;
	}
	if (o->type == OPT_STRING) {
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	list = (char ***)field;
	count = (size_t *)((char *)cfg + o->countoff);
	if ((grown = realloc(*list, (*count + 1) * sizeof(*grown))) == NULL) {
		free(copy);
		snprintf(why, whylen, "cannot be stored: out of memory");
		return -1;
	}
	*list = grown;
	(*list)[(*count)++] = copy;
	return 0;
}

/* Empty a list option (flags replace what the file gave). */
static void
opt_clear_list(const struct opt *o, struct config *cfg)
{
	char	***list = (char ***)((char *)cfg + o->off);
	size_t	  *count = (size_t *)((char *)cfg + o->countoff), i;

	for (i = 0; i < *count; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*count = 0;
}

/* Is the option set (for the required check)? */
static int
opt_is_set(const struct opt *o, const struct config *cfg)
{
	const char	*field = (const char *)cfg + o->off;

	switch (o->type) {
	case OPT_STRING:
		return *(char *const *)field != NULL;
	case OPT_LIST:
		return *(const size_t *)((const char *)cfg + o->countoff) > 0;
	default:
		return 1;
	}
}

/* Find a file key; '-' and '_' are the same, so "log-level" works too. */
static const struct opt *
opt_find(const char *key)
{
	size_t		 i, k;
	const char	*n;

	for (i = 0; i < NOPTS; i++) {
		n = opts[i].name;
		for (k = 0; n[k] != '\0' && key[k] != '\0'; k++)
			if (n[k] != key[k] && !((n[k] == '_' || n[k] == '-') &&
			    (key[k] == '_' || key[k] == '-')))
				break;
		if (n[k] == '\0' && key[k] == '\0')
			return &opts[i];
	}
	return NULL;
}

/* Strip blanks at both ends of s, in place.  Returns the new start. */
static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Read path into cfg, over the defaults.  Returns 0, or -1 with
 * "path:line: problem" in err. */
static int
config_parse_file(const char *path, struct config *cfg, char *err,
    size_t errlen)
{
	FILE			*fp;
	char			*line = NULL, *key, *value, *eq, why[128];
	size_t			 cap = 0, len;
	int			 lineno = 0, seen[NOPTS] = { 0 }, rc = -1;
	const struct opt	*o;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s: %s", PROGNAME, path,
		    strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'",
			    path, lineno);
			goto done;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		len = strlen(value);
		if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
			value[len - 1] = '\0';
			value++;
		}
		if ((o = opt_find(key)) == NULL) {
			snprintf(err, errlen, "%s:%d: unknown option '%s'",
			    path, lineno, key);
			goto done;
		}
		if (o->type != OPT_LIST && seen[o - opts] != 0) {
			snprintf(err, errlen, "%s:%d: %s is already set on "
			    "line %d", path, lineno, o->name, seen[o - opts]);
			goto done;
		}
		seen[o - opts] = lineno;
		if (opt_set(o, cfg, value, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%d: %s %s", path, lineno,
			    o->name, why);
			goto done;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s: %s", PROGNAME, path,
		    strerror(errno));
		goto done;
	}
	rc = 0;
done:
	free(line);
	fclose(fp);
	return rc;
}

static void
config_usage(FILE *fp)
{
	char	left[64];
	size_t	i;

	fprintf(fp, "usage: %s [-n] [--config FILE] [--domain JID] "
	    "[--secret SECRET] [options]\n\n"
	    "Runs a XEP-0045 Multi-User Chat service as an XEP-0114 external "
	    "component.\n\n", PROGNAME);
	fprintf(fp, "  %-24s %s\n", "--config FILE",
	    "read settings from FILE (key = value lines, see mucd.conf(5))");
	fprintf(fp, "  %-24s %s\n", "-n",
	    "check the configuration, print \"configuration OK\" and exit");
	fprintf(fp, "  %-24s %s\n", "-h, --help", "print this help and exit");
	fprintf(fp, "  %-24s %s\n", "-V, --version",
	    "print the version and exit");
	for (i = 0; i < NOPTS; i++) {
		snprintf(left, sizeof(left), "--%s %s", opts[i].flag,
		    opts[i].arg);
		fprintf(fp, "  %-24s %s", left, opts[i].help);
		if (opts[i].required == REQ_ALWAYS)
			fprintf(fp, " (required)");
		else if (opts[i].required == REQ_TO_RUN)
			fprintf(fp, " (required, except with -n)");
		else if (opts[i].def != NULL)
			fprintf(fp, " [%s]", opts[i].def);
		fputc('\n', fp);
	}
	fprintf(fp, "\nIn the config file a setting is named as its flag, "
	    "with '_' for '-'.\n"
	    "A flag overrides the environment (MUCD_SECRET), which overrides "
	    "the file,\nwhich overrides the default.  --admin flags replace "
	    "the file's admin lines.\n");
}

/* One command-line setting, kept until the file has been read. */
struct flagval {
	const struct opt	*o;
	const char		*value;
};

/* Parse argv into cfg's command-line fields and the list of settings in
 * OUT (argc entries at most), in order.  Returns CONFIG_OK, CONFIG_EXIT or
 * CONFIG_ERROR. */
static int
config_parse_args(int argc, char **argv, struct config *cfg,
    struct flagval *OUT, size_t *nflags, char *err, size_t errlen)
{
	struct option	longopts[NOPTS + 4];
	size_t		i;
	int		c;

	for (i = 0; i < NOPTS; i++) {
		longopts[i].name = opts[i].flag;
		longopts[i].has_arg = required_argument;
		longopts[i].flag = NULL;
		longopts[i].val = OPTV_SETTING + (int)i;
	}
	longopts[i++] = (struct option){ "config", required_argument, NULL,
	    OPTV_CONFIG };
	longopts[i++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[i++] = (struct option){ "version", no_argument, NULL, 'V' };
	longopts[i] = (struct option){ NULL, 0, NULL, 0 };

	*nflags = 0;
	optind = 0;		/* glibc: start over, also for a second call */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":nhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			cfg->check_only = 1;
			break;
		case 'h':
			config_usage(stdout);
			return CONFIG_EXIT;
		case 'V':
			printf("%s %s\n", PROGNAME, MUCD_VERSION);
			return CONFIG_EXIT;
		case OPTV_CONFIG:
			free(cfg->path);
			if ((cfg->path = strdup(optarg)) == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    PROGNAME);
				return CONFIG_ERROR;
			}
			break;
		case ':':
			snprintf(err, errlen, "%s: %s needs a value (see "
			    "--help)", PROGNAME, argv[optind - 1]);
			return CONFIG_ERROR;
		case '?':
			if (optopt != 0)
				snprintf(err, errlen, "%s: unknown option -%c "
				    "(see --help)", PROGNAME, optopt);
			else
				snprintf(err, errlen, "%s: unknown option %s "
				    "(see --help)", PROGNAME, argv[optind - 1]);
			return CONFIG_ERROR;
		default:
			OUT[*nflags].o = &opts[c - OPTV_SETTING];
			OUT[(*nflags)++].value = optarg;
			break;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "%s: unexpected argument '%s' (see "
		    "--help)", PROGNAME, argv[optind]);
		return CONFIG_ERROR;
	}
	return CONFIG_OK;
}

/* The required settings must be there once every source was read; with
 * -n only those needed to judge the file (REQ_ALWAYS). */
static int
config_check_required(const struct config *cfg, char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < NOPTS; i++) {
		if (opts[i].required == REQ_NO || opt_is_set(&opts[i], cfg) ||
		    (opts[i].required == REQ_TO_RUN && cfg->check_only))
			continue;
		snprintf(err, errlen, "%s: --%s is required (or %s%s%s = ... "
		    "in the config file)", PROGNAME, opts[i].flag,
		    opts[i].env != NULL ? opts[i].env : "",
		    opts[i].env != NULL ? ", or " : "", opts[i].name);
		return -1;
	}
	return 0;
}

/*
 * Build cfg in four layers, each overriding the one before:
 *   1. the defaults of opts[];
 *   2. the file named by --config, if any;
 *   3. environment variables (MUCD_SECRET), if set and not empty;
 *   4. the flags, in command-line order.
 * Then the required settings are checked.
 */
int
config_load(int argc, char **argv, struct config *OUT, char *err,
    size_t errlen)
{
	struct flagval	*flags;
	size_t		 nflags = 0, i;
	const char	*env;
	char		 why[128];
	int		 rc, cleared[NOPTS] = { 0 };

	memset(OUT, 0, sizeof(*OUT));
	if ((flags = calloc((size_t)argc + 1, sizeof(*flags))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", PROGNAME);
		return CONFIG_ERROR;
	}
	rc = config_parse_args(argc, argv, OUT, flags, &nflags, err, errlen);
	if (rc != CONFIG_OK)
		goto done;
	rc = CONFIG_ERROR;

	for (i = 0; i < NOPTS; i++)			/* 1 */
		if (opts[i].def != NULL &&
		    opt_set(&opts[i], OUT, opts[i].def, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s: default %s %s", PROGNAME,
			    opts[i].name, why);
			goto done;
		}
	if (OUT->path != NULL &&				/* 2 */
	    config_parse_file(OUT->path, OUT, err, errlen) != 0)
		goto done;
	for (i = 0; i < NOPTS; i++) {			/* 3 */
		if (opts[i].env == NULL || (env = getenv(opts[i].env)) == NULL ||
		    *env == '\0')
			continue;
		if (opt_set(&opts[i], OUT, env, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s: %s %s", PROGNAME,
			    opts[i].env, why);
			goto done;
		}
	}
	for (i = 0; i < nflags; i++) {			/* 4 */
		if (flags[i].o->type == OPT_LIST && !cleared[flags[i].o - opts]) {
			opt_clear_list(flags[i].o, OUT);
			cleared[flags[i].o - opts] = 1;
		}
		if (opt_set(flags[i].o, OUT, flags[i].value, why,
		    sizeof(why)) != 0) {
			snprintf(err, errlen, "%s: --%s %s", PROGNAME,
			    flags[i].o->flag, why);
			goto done;
		}
	}
	if (config_check_required(OUT, err, errlen) != 0)
		goto done;
	rc = CONFIG_OK;
done:
	free(flags);
	return rc;
}

void
config_free(struct config *cfg)
{
	size_t	i;

	for (i = 0; i < NOPTS; i++) {
		if (opts[i].type == OPT_STRING)
			free(*(char **)((char *)cfg + opts[i].off));
		else if (opts[i].type == OPT_LIST)
			opt_clear_list(&opts[i], cfg);
	}
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
