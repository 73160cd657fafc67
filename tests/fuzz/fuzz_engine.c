/*
 * fuzz_engine.c - libFuzzer target: arbitrary stanzas into muc_handle().
 *
 * One input is a sequence of stanzas separated by NUL bytes, so that one
 * run can create a room, join it and then act in it.  Each piece is
 * parsed with libstrophe (xmpp_stanza_new_from_string) and handed to
 * muc_handle() of a fresh service on a fresh in-memory store, exactly as
 * the daemon would: every outbox entry is rendered with muc_out_render().
 * An empty piece (two NULs in a row) runs muc_tick() instead; the service
 * clock moves on one second per piece, and the run ends with
 * muc_shutdown().  Everything is freed per run: LeakSanitizer reports
 * what the engine leaks.
 *
 * Besides the sanitizers, every rendered copy is checked the way a host
 * would see it: NUL-terminated at len with no NUL inside (libstrophe's
 * xmpp_send_raw() calls strlen), well-formed XML that libstrophe parses
 * back, and addressed with both `from` and `to` (ejabberd closes the
 * stream on a stanza without `from`).  A copy that fails aborts the run
 * with the text, so the fuzzer keeps the input as a crash.
 *
 * Opening a store costs about 12 ms under ASan (creating the schema),
 * several times what a run of twenty stanzas costs.  For long runs,
 * MUCD_FUZZ_ONE_STORE=1 keeps the store from one run to the next unless
 * the run may have stored a room (only a configuration form with the
 * persistent-room field can make one persistent, and only persistent
 * rooms are stored), and then opens a new one: several times the
 * executions per second, but a crash could depend on an earlier run, so
 * replay what it finds without the variable (docs/fuzzing.md).  CI runs
 * the default, a new store for every run.
 *
 * Seeds come from the scansion scripts (fuzz_seeds.c); docs/fuzzing.md
 * says how to run it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strophe.h>

#include "muc.h"
#include "store.h"

#define FUZZ_DOMAIN	"conference.localhost"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xmpp_ctx_t	*ctx;		/* one for the process: it holds no state */
static time_t		 fuzz_now;	/* the service's clock, reset per run */
static int		 one_store;	/* MUCD_FUZZ_ONE_STORE is set */
static struct store	*kept;		/* then the last run's store, if clean */
static int		 dirty;		/* the run may have stored a room */

static time_t
fuzz_clock(void)
{
	return fuzz_now;
}

/* Format every line (a bad format or argument shows up under ASan) and
 * drop it. */
static void
fuzz_log(void *ud, enum muc_log_level level, const char *area,
    const char *fmt, va_list ap)
{
	char	line[1024];

	(void)ud;
	(void)level;
	(void)area;
	vsnprintf(line, sizeof(line), fmt, ap);
}

static const struct muc_logger	fuzz_logger = { fuzz_log, NULL };

/* The checks on one rendered copy (see the top of the file). */
static void
fuzz_emit(void *ud, const char *text, size_t len)
{
	xmpp_stanza_t	*back;
	const char	*why = NULL;

	(void)ud;
	if (text[len] != '\0' || strlen(text) != len)
		why = "not NUL-terminated at len, or a NUL inside";
	else if ((back = xmpp_stanza_new_from_string(ctx, text)) == NULL)
		why = "does not parse as XML";
	else {
		if (xmpp_stanza_get_from(back) == NULL)
			why = "has no from";
		else if (xmpp_stanza_get_to(back) == NULL)
			why = "has no to";
		xmpp_stanza_release(back);
	}
	if (why != NULL) {
		fprintf(stderr, "fuzz_engine: the engine sent a copy that %s: "
		    "%.*s\n", why, (int)len, text);
		abort();
	}
}

/* Render and drop everything the outbox holds. */
static void
fuzz_drain(struct muc_out *out)
{
	size_t	i, n = muc_out_count(out);

	for (i = 0; i < n; i++)
		if (muc_out_render(out, i, fuzz_emit, NULL) != MUC_OK)
			break;	/* out of memory: nothing to check */
	muc_out_clear(out);
}

/* Only persistent rooms are stored, and only a configuration form can
 * make a room persistent: does in carry that field, anywhere? */
static int
may_persist(xmpp_stanza_t *in)
{
	xmpp_stanza_t	*c;
	const char	*var;

	if (!xmpp_stanza_is_tag(in))
		return 0;
	if ((var = xmpp_stanza_get_attribute(in, "var")) != NULL &&
	    strcmp(var, "muc#roomconfig_persistentroom") == 0)
		return 1;
	for (c = xmpp_stanza_get_children(in); c != NULL;
	    c = xmpp_stanza_get_next(c))
		if (may_persist(c))
			return 1;
	return 0;
}

/* Hand one NUL-free piece to the engine: a stanza, or a tick if empty. */
static void
fuzz_piece(struct muc_service *svc, struct muc_out *out, const uint8_t *p,
    size_t n)
{
	xmpp_stanza_t	*in;
	char		*text;

	fuzz_now++;
	if (n == 0) {
		(void)muc_tick(svc, out);
		fuzz_drain(out);
		return;
	}
	if ((text = malloc(n + 1)) == NULL)
		return;
	memcpy(text, p, n);
	text[n] = '\0';
	in = xmpp_stanza_new_from_string(ctx, text);
	free(text);
	if (in == NULL)
		return;		/* not XML: the host would never send it */
	if (one_store && !dirty)
		dirty = may_persist(in);
	(void)muc_handle(svc, in, out);
	xmpp_stanza_release(in);
	fuzz_drain(out);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmpp_initialize();
	if ((ctx = xmpp_ctx_new(NULL, NULL)) == NULL)
		abort();
	one_store = getenv("MUCD_FUZZ_ONE_STORE") != NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const admins[] = { "admin@localhost" };
	struct muc_service_config	 cfg;
	struct store			*st = NULL;
	struct muc_service		*svc = NULL;
	struct muc_out			*out = NULL;
	const uint8_t			*p = data, *end = data + size, *nul;

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = FUZZ_DOMAIN;
	cfg.admins = admins;
	cfg.nadmins = 1;
	fuzz_now = 1700000000;
	if ((st = kept) != NULL)
		kept = NULL;
	else if (store_open(":memory:", &fuzz_logger, &st) != MUC_OK)
		abort();
	if (muc_service_new(ctx, &cfg, st, &fuzz_logger, &svc) != MUC_OK ||
	    (out = muc_out_new(ctx)) == NULL)
		abort();	/* the set-up never fails but for memory */
	muc_service_set_clock(svc, fuzz_clock);
	while (p < end) {
		nul = memchr(p, '\0', (size_t)(end - p));
		fuzz_piece(svc, out, p, (size_t)((nul != NULL ? nul : end) - p));
		p = nul != NULL ? nul + 1 : end;
	}
	(void)muc_shutdown(svc, out);
	fuzz_drain(out);
	muc_out_free(out);
	muc_service_free(svc);
	if (one_store && !dirty)
		kept = st;	/* no room stored: as good as new */
	else
		store_close(st);
	dirty = 0;
	return 0;
}
