/*
 * test_config.c - tests for component/config.c: layers, errors, the file.
 *
 * Each case is a function named as the sentence it proves; ctest runs one
 * case per process ("test_config NAME"), so a crash names its case.  Files
 * are written to a private temporary directory that is removed afterwards.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char	tmpdir[64];
static int	nfile;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,	\
		    __LINE__, #cond);					\
		return 1;						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	if (a_ == NULL || strcmp(a_, b_) != 0) {			\
		fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_);	\
		return 1;						\
	}								\
} while (0)

/* Write text to a new file in tmpdir; returns its path (static storage,
 * one per call, up to 8 live). */
static const char *
write_file(const char *text)
{
	static char	paths[8][128];
	char		*p = paths[nfile % 8];
	FILE		*fp;

	snprintf(p, sizeof(paths[0]), "%s/%d.conf", tmpdir, nfile++);
	if ((fp = fopen(p, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) != 0) {
		perror(p);
		exit(99);
	}
	return p;
}

/* Run config_load on a NULL-terminated list of arguments after "mucd". */
static int
load(struct config *cfg, char *err, size_t errlen, ...)
{
	char	*argv[32];
	int	 argc = 0;
	va_list	 ap;

	argv[argc++] = "mucd";
	va_start(ap, errlen);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return config_load(argc, argv, cfg, err, errlen);
}

static int
defaults_apply_when_only_the_required_settings_are_given(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "muc.example.org",
	    "--secret", "s", NULL) == CONFIG_OK);
	CHECK_STR(cfg.domain, "muc.example.org");
	CHECK_STR(cfg.host, "127.0.0.1");
	CHECK(cfg.port == 5347);
	CHECK_STR(cfg.db, "mucd.db");
	CHECK_STR(cfg.name, "Chatrooms");	/* as the docs say */
	CHECK(cfg.nadmins == 0);
	CHECK(cfg.log_level == MUC_LOG_INFO);
	CHECK(cfg.log_format == LOG_TEXT);
	CHECK(cfg.metrics == NULL);
	CHECK(cfg.check_only == 0);
	config_free(&cfg);
	return 0;
}

static int
flags_override_the_file(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file(
	    "domain = file.example.org\n"
	    "host = 10.0.0.1\n"
	    "port = 5000\n"
	    "secret = filesecret\n"
	    "db = /var/lib/mucd/file.db\n"
	    "log_level = warn\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, "--domain",
	    "flag.example.org", "--port", "6000", "--log-level", "debug",
	    NULL) == CONFIG_OK);
	CHECK_STR(cfg.domain, "flag.example.org");
	CHECK(cfg.port == 6000);
	CHECK(cfg.log_level == MUC_LOG_DEBUG);
	CHECK_STR(cfg.host, "10.0.0.1");		/* from the file */
	CHECK_STR(cfg.secret, "filesecret");
	CHECK_STR(cfg.db, "/var/lib/mucd/file.db");
	CHECK_STR(cfg.path, f);
	config_free(&cfg);
	return 0;
}

static int
env_secret_overrides_the_file_and_the_flag_overrides_both(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file("domain = d.example\n"
	    "secret = fromfile\n");

	setenv("MUCD_SECRET", "fromenv", 1);
	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_OK);
	CHECK_STR(cfg.secret, "fromenv");
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--config", f, "--secret",
	    "fromflag", NULL) == CONFIG_OK);
	CHECK_STR(cfg.secret, "fromflag");
	config_free(&cfg);
	unsetenv("MUCD_SECRET");
	return 0;
}

static int
env_secret_alone_satisfies_the_required_secret(void)
{
	struct config	cfg;
	char		err[256];

	setenv("MUCD_SECRET", "fromenv", 1);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d.example", NULL) ==
	    CONFIG_OK);
	CHECK_STR(cfg.secret, "fromenv");
	config_free(&cfg);
	unsetenv("MUCD_SECRET");
	return 0;
}

static int
empty_env_secret_counts_as_unset(void)
{
	struct config	cfg;
	char		err[256];

	setenv("MUCD_SECRET", "", 1);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d.example", NULL) ==
	    CONFIG_ERROR);
	CHECK_STR(err, "mucd: --secret is required (or MUCD_SECRET, or "
	    "secret = ... in the config file)");
	config_free(&cfg);
	unsetenv("MUCD_SECRET");
	return 0;
}

static int
missing_domain_is_a_one_line_error(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--secret", "s", NULL) ==
	    CONFIG_ERROR);
	CHECK_STR(err, "mucd: --domain is required (or domain = ... in the "
	    "config file)");
	CHECK(strchr(err, '\n') == NULL);
	config_free(&cfg);
	return 0;
}

static int
bad_port_in_the_file_names_the_file_and_line(void)
{
	struct config	cfg;
	char		err[256], want[256];
	const char	*f = write_file("# mucd\n\ndomain = d.example\n"
	    "port = 70000\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, "--secret", "s",
	    NULL) == CONFIG_ERROR);
	snprintf(want, sizeof(want), "%s:4: port must be 1-65535", f);
	CHECK_STR(err, want);
	config_free(&cfg);
	return 0;
}

static int
bad_port_flag_is_an_error(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--port", "0", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --port must be 1-65535");
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--port", "53x", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --port must be 1-65535");
	config_free(&cfg);
	return 0;
}

static int
unknown_key_is_reported_with_its_line_number(void)
{
	struct config	cfg;
	char		err[256], want[256];
	const char	*f = write_file("domain = d.example\n"
	    "secret = s\n# a comment\nprot = 5347\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_ERROR);
	snprintf(want, sizeof(want), "%s:4: unknown option 'prot'", f);
	CHECK_STR(err, want);
	config_free(&cfg);
	return 0;
}

static int
line_without_an_equals_sign_is_an_error(void)
{
	struct config	cfg;
	char		err[256], want[256];
	const char	*f = write_file("domain d.example\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_ERROR);
	snprintf(want, sizeof(want), "%s:1: expected 'key = value'", f);
	CHECK_STR(err, want);
	config_free(&cfg);
	return 0;
}

static int
setting_a_key_twice_in_the_file_is_an_error(void)
{
	struct config	cfg;
	char		err[256], want[256];
	const char	*f = write_file("domain = a.example\nsecret = s\n"
	    "domain = b.example\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_ERROR);
	snprintf(want, sizeof(want), "%s:3: domain is already set on line 1",
	    f);
	CHECK_STR(err, want);
	config_free(&cfg);
	return 0;
}

static int
repeated_admin_lines_all_count(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file("domain = d.example\nsecret = s\n"
	    "admin = alice@example.org\nadmin = bob@example.org\n"
	    "admin = carol@example.org\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_OK);
	CHECK(cfg.nadmins == 3);
	CHECK_STR(cfg.admins[0], "alice@example.org");
	CHECK_STR(cfg.admins[1], "bob@example.org");
	CHECK_STR(cfg.admins[2], "carol@example.org");
	config_free(&cfg);
	return 0;
}

static int
admin_flags_replace_the_files_admins(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file("domain = d.example\nsecret = s\n"
	    "admin = alice@example.org\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, "--admin",
	    "dave@example.org", "--admin", "eve@example.org", NULL) ==
	    CONFIG_OK);
	CHECK(cfg.nadmins == 2);
	CHECK_STR(cfg.admins[0], "dave@example.org");
	CHECK_STR(cfg.admins[1], "eve@example.org");
	config_free(&cfg);
	return 0;
}

static int
admin_with_a_resource_is_rejected(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--admin", "alice@example.org/phone", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --admin must be a bare JID like "
	    "alice@example.org");
	config_free(&cfg);
	return 0;
}

static int
domain_with_a_node_is_rejected(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "room@muc.example",
	    "--secret", "s", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --domain must be a domain JID like "
	    "conference.example.org");
	config_free(&cfg);
	return 0;
}

static int
bad_log_level_is_an_error(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--log-level", "verbose", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --log-level must be debug, info, warn or error");
	config_free(&cfg);
	return 0;
}

static int
comments_blanks_and_quotes_are_read_as_documented(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file(
	    "# full-line comment\n"
	    "   # indented comment\n"
	    "\n"
	    "\t domain\t=\td.example  \r\n"
	    "secret = pa#ss word\n"
	    "name = \"  Chat rooms  \"\n"
	    "log-level = error\n");

	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_OK);
	CHECK_STR(cfg.domain, "d.example");
	CHECK_STR(cfg.secret, "pa#ss word");
	CHECK_STR(cfg.name, "  Chat rooms  ");
	CHECK(cfg.log_level == MUC_LOG_ERROR);
	config_free(&cfg);
	return 0;
}

static int
missing_config_file_is_an_error(void)
{
	struct config	cfg;
	char		err[256], path[128], want[256];

	snprintf(path, sizeof(path), "%s/nonexistent.conf", tmpdir);
	CHECK(load(&cfg, err, sizeof(err), "--config", path, "--domain", "d",
	    "--secret", "s", NULL) == CONFIG_ERROR);
	snprintf(want, sizeof(want), "mucd: %s: No such file or directory",
	    path);
	CHECK_STR(err, want);
	config_free(&cfg);
	return 0;
}

static int
dash_n_asks_for_a_check_only(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "-n", "--domain", "d", "--secret",
	    "s", NULL) == CONFIG_OK);
	CHECK(cfg.check_only == 1);
	config_free(&cfg);
	return 0;
}

static int
unknown_flag_and_stray_argument_are_errors(void)
{
	struct config	cfg;
	char		err[256];

	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--colour", "blue", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: unknown option --colour (see --help)");
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "stray", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: unexpected argument 'stray' (see --help)");
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", NULL) ==
	    CONFIG_ERROR);
	CHECK_STR(err, "mucd: --domain needs a value (see --help)");
	config_free(&cfg);
	return 0;
}

static int
loading_twice_gives_the_same_result(void)
{
	struct config	a, b;
	char		err[256];
	const char	*f = write_file("domain = d.example\nsecret = s\n"
	    "admin = alice@example.org\n");

	/* SIGHUP reloads with the same argv: getopt must start over. */
	CHECK(load(&a, err, sizeof(err), "--config", f, "--port", "6000",
	    "--log-level", "warn", NULL) == CONFIG_OK);
	CHECK(load(&b, err, sizeof(err), "--config", f, "--port", "6000",
	    "--log-level", "warn", NULL) == CONFIG_OK);
	CHECK(a.port == 6000 && b.port == 6000);
	CHECK(a.log_level == MUC_LOG_WARN && b.log_level == MUC_LOG_WARN);
	CHECK(a.nadmins == 1 && b.nadmins == 1);
	config_free(&a);
	config_free(&b);
	return 0;
}

static int
room_creation_settings_are_read_and_checked(void)
{
	struct config	cfg;
	char		err[256];
	const char	*f = write_file("domain = d.example\nsecret = s\n"
	    "room_creation = local\nlocal_domains = example.org\n"
	    "local_domains = example.net\nmax_rooms_per_user = 3\n"
	    "vcard_max_bytes = 1024\n");

	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    NULL) == CONFIG_OK);
	CHECK_STR(cfg.room_creation, "anyone");		/* the defaults */
	CHECK(cfg.nlocal_domains == 0);
	CHECK(cfg.max_rooms_per_user == 0);
	CHECK(cfg.vcard_max_bytes == 65536);
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--config", f, NULL) ==
	    CONFIG_OK);
	CHECK_STR(cfg.room_creation, "local");
	CHECK(cfg.nlocal_domains == 2);
	CHECK_STR(cfg.local_domains[1], "example.net");
	CHECK(cfg.max_rooms_per_user == 3);
	CHECK(cfg.vcard_max_bytes == 1024);
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--room-creation", "everyone", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --room-creation must be anyone, local or "
	    "admins");
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--local-domains", "bob@example.org", NULL) == CONFIG_ERROR);
	config_free(&cfg);
	CHECK(load(&cfg, err, sizeof(err), "--domain", "d", "--secret", "s",
	    "--vcard-max-bytes", "100", NULL) == CONFIG_ERROR);
	CHECK_STR(err, "mucd: --vcard-max-bytes must be 256-262144");
	config_free(&cfg);
	return 0;
}

static const struct {
	const char	*name;
	int		(*fn)(void);
} cases[] = {
#define CASE(f)	{ #f, f }
	CASE(defaults_apply_when_only_the_required_settings_are_given),
	CASE(flags_override_the_file),
	CASE(env_secret_overrides_the_file_and_the_flag_overrides_both),
	CASE(env_secret_alone_satisfies_the_required_secret),
	CASE(empty_env_secret_counts_as_unset),
	CASE(missing_domain_is_a_one_line_error),
	CASE(bad_port_in_the_file_names_the_file_and_line),
	CASE(bad_port_flag_is_an_error),
	CASE(unknown_key_is_reported_with_its_line_number),
	CASE(line_without_an_equals_sign_is_an_error),
	CASE(setting_a_key_twice_in_the_file_is_an_error),
	CASE(repeated_admin_lines_all_count),
	CASE(admin_flags_replace_the_files_admins),
	CASE(admin_with_a_resource_is_rejected),
	CASE(domain_with_a_node_is_rejected),
	CASE(bad_log_level_is_an_error),
	CASE(comments_blanks_and_quotes_are_read_as_documented),
	CASE(missing_config_file_is_an_error),
	CASE(dash_n_asks_for_a_check_only),
	CASE(unknown_flag_and_stray_argument_are_errors),
	CASE(loading_twice_gives_the_same_result),
	CASE(room_creation_settings_are_read_and_checked),
#undef CASE
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

/* Remove tmpdir and the files in it. */
static void
cleanup(void)
{
	char	path[128];
	int	i;

	for (i = 0; i < nfile; i++) {
		snprintf(path, sizeof(path), "%s/%d.conf", tmpdir, i);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* "test_config NAME" runs one case; "test_config" runs all; "--list"
 * prints the names (CMake registers one test per name). */
int
main(int argc, char **argv)
{
	size_t	i;
	int	failed = 0, ran = 0;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < NCASES; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	unsetenv("MUCD_SECRET");
	for (i = 0; i < NCASES; i++) {
		if (argc == 2 && strcmp(argv[1], cases[i].name) != 0)
			continue;
		ran++;
		if (cases[i].fn() != 0) {
			fprintf(stderr, "FAIL %s\n", cases[i].name);
			failed++;
		} else
			printf("ok %s\n", cases[i].name);
	}
	cleanup();
	if (ran == 0) {
		fprintf(stderr, "no case named %s\n", argv[1]);
		return 99;
	}
	return failed ? 1 : 0;
}
