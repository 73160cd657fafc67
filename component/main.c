/*
 * main.c - mucd: a XEP-0045 Multi-User Chat service run as a XEP-0114
 * external component.
 *
 * Startup reads the settings (config.c), opens the database and the engine
 * (lib/), connects to the host (conn.c) and wires each incoming stanza to the
 * engine (dispatch.c).  The main loop runs conn_run_once(): one turn of
 * libstrophe, (re)connection attempts and writes to the host.  Signal
 * handlers only set flags that the loop reads:
 *
 *	SIGTERM, SIGINT	store the occupants (or tell them 332, as set),
 *			close the stream, free everything, exit 0
 *	SIGHUP		re-read the settings; only log_level takes effect,
 *			every other change needs a restart
 *
 * Exit status: 0 after a signal, 1 if startup failed, 2 for a bad setting.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <strophe.h>

#include "config.h"
#include "conn.h"
#include "dispatch.h"
#include "log.h"
#include "metrics.h"
#include "muc.h"
#include "multicast.h"
#include "pace.h"
#include "store.h"

#ifndef MUCD_VERSION
#define MUCD_VERSION	"unknown"
#endif

#define TICK_MS		1000UL	/* muc_tick() period */

static volatile sig_atomic_t	main_quit;	/* the signal that asked */
static volatile sig_atomic_t	main_reload;

static void
main_sighdlr(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		main_quit = sig;
		break;
	case SIGHUP:
		main_reload = 1;
		break;
	}
}

/* Install the handlers without SA_RESTART, so a signal also cuts short the
 * wait inside xmpp_run_once(). */
static void
main_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = main_sighdlr;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;	/* a dead socket is an error, not death */
	sigaction(SIGPIPE, &sa, NULL);
}

/* SIGHUP: read the command line and the file again into a fresh config.
 * If all of it is valid, apply the log level; otherwise change nothing. */
static void
main_reload_config(int argc, char **argv)
{
	struct config	fresh;
	char		err[512];

	if (config_load(argc, argv, &fresh, err, sizeof(err)) != CONFIG_OK)
		log_warnx("config", "SIGHUP: nothing changed: %s", err);
	else {
		log_info("config", "SIGHUP: log level %s (other settings need "
		    "a restart)", log_level_name(fresh.log_level));
		log_setlevel(fresh.log_level);
	}
	config_free(&fresh);
}

/* Everything the daemon holds between startup and exit.  Each step
 * below fills some of it; mucd_teardown() frees whatever was filled. */
struct mucd {
	struct config			 cfg;
	struct muc_service_config	 svccfg;
	struct dispatch			 d;
	xmpp_ctx_t			*ctx;
	struct store			*st;
	struct muc_service		*svc;
	struct muc_out			*out;
	struct conn			*conn;
	struct mcast			*mc;		/* XEP-0033 offload */
	struct pace			*pc;		/* copies in flight */
	int				 strophe_up;	/* xmpp_initialize() ran */
	int				 metrics_up;	/* metrics_init() ran */
};

/* Step 1, settings: read them and decide whether to run at all.  Returns
 * -1 to go on, or the exit status (0 for --help, --version and -n, 2 for a
 * bad setting).  A bad setting ends mucd before any side effect. */
static int
mucd_settings(struct mucd *m, int argc, char **argv)
{
	char	err[512];

	switch (config_load(argc, argv, &m->cfg, err, sizeof(err))) {
	case CONFIG_EXIT:
		return 0;
	case CONFIG_ERROR:
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (m->cfg.check_only) {
		printf("configuration OK\n");
		if (m->cfg.secret == NULL)
			fprintf(stderr, "mucd: note: no secret set here; to run, "
			    "mucd needs MUCD_SECRET, --secret or secret = ... "
			    "in the file\n");
		return 0;
	}
	log_init(m->cfg.log_level, m->cfg.log_format);
	main_signals();
	log_info("mucd", "mucd %s starting: domain %s, database %s, %zu "
	    "admin%s", MUCD_VERSION, m->cfg.domain, m->cfg.db, m->cfg.nadmins,
	    m->cfg.nadmins == 1 ? "" : "s");
	return -1;
}

/* The engine's settings for abuse and faults, from the daemon's. */
static void
mucd_limits(struct muc_service_config *sc, const struct config *c)
{
	sc->msg_rate = (unsigned)c->message_rate;
	sc->msg_burst = (unsigned)c->message_burst;
	sc->presence_rate = (unsigned)c->presence_rate;
	sc->presence_burst = (unsigned)c->presence_burst;
	sc->join_rate = (unsigned)c->join_rate;
	sc->create_rate = (unsigned)c->room_creation_rate;
	sc->page_default = (unsigned)c->disco_page_size;
	sc->page_max = (unsigned)c->disco_page_max;
	sc->shutdown_notice = strcmp(c->restart_occupants, "remove") == 0;
	sc->snapshot_interval = (unsigned)c->snapshot_interval;
	sc->verify_per_tick = (unsigned)c->verify_rate;
	sc->verify_timeout = (unsigned)c->verify_timeout;
	sc->room_creation = strcmp(c->room_creation, "admins") == 0 ?
	    MUC_CREATE_ADMINS : strcmp(c->room_creation, "local") == 0 ?
	    MUC_CREATE_LOCAL : MUC_CREATE_ANYONE;
	sc->local_domains = (const char *const *)c->local_domains;
	sc->nlocal_domains = c->nlocal_domains;
	sc->max_rooms_per_user = (unsigned)c->max_rooms_per_user;
	sc->vcard_max_bytes = (size_t)c->vcard_max_bytes;
}

/* Step 2, the engine: the metrics registry (and its listener when asked
 * for), libstrophe's context, the database, the service and its outbox.
 * Returns 0, or -1 (logged). */
static int
mucd_engine(struct mucd *m)
{
	char	err[256];

	if (metrics_init() != 0) {
		log_warnx("mucd", "cannot allocate the metrics");
		return -1;
	}
	m->metrics_up = 1;
	if (m->cfg.metrics != NULL &&
	    metrics_listen(m->cfg.metrics, err, sizeof(err)) != 0) {
		log_warnx("mucd", "%s", err);
		return -1;
	}
	xmpp_initialize();
	m->strophe_up = 1;
	if ((m->ctx = xmpp_ctx_new(NULL, &log_strophe)) == NULL) {
		log_warnx("mucd", "cannot create the libstrophe context");
		return -1;
	}
	if (store_open(m->cfg.db, &log_engine, &m->st) != MUC_OK) {
		log_warnx("mucd", "cannot open the database %s", m->cfg.db);
		return -1;
	}
	m->svccfg.domain = m->cfg.domain;
	m->svccfg.admins = (const char *const *)m->cfg.admins;
	m->svccfg.nadmins = m->cfg.nadmins;
	m->svccfg.name = m->cfg.name;
	m->svccfg.version = MUCD_VERSION;	/* XEP-0092 on the service */
	mucd_limits(&m->svccfg, &m->cfg);
	m->svccfg.crowded = (size_t)m->cfg.crowded_room;
	m->svccfg.archive_off_by_default = !m->cfg.archive_by_default;
	m->svccfg.archive_max_age = (long)m->cfg.archive_max_days * 86400;
	m->svccfg.archive_max_count = m->cfg.archive_max_messages;
	m->svccfg.archive_page_max = m->cfg.archive_page_max;
	if (muc_service_new(m->ctx, &m->svccfg, m->st, &log_engine,
	    &m->svc) != MUC_OK) {
		log_warnx("mucd", "cannot start the service");
		return -1;
	}
	if (muc_restore(m->svc) != MUC_OK)
		log_warnx("mucd", "occupants of the last run not restored");
	if ((m->out = muc_out_new(m->ctx)) == NULL) {
		log_warnx("mucd", "cannot allocate the outbox");
		return -1;
	}
	return 0;
}

/* Step 3, the connection, the offload and pacing, and the wiring between
 * them and the engine.  Returns 0, or -1 (logged). */
static int
mucd_connection(struct mucd *m)
{
	if ((m->conn = conn_new(m->ctx, &m->cfg)) == NULL ||
	    (m->mc = mcast_new(m->ctx, &m->cfg, m->conn)) == NULL ||
	    (m->pc = pace_new(&m->cfg, m->conn)) == NULL)
		return -1;
	dispatch_init(&m->d, m->svc, m->out, m->conn, m->mc, m->pc);
	conn_set_handler(m->conn, dispatch_stanza, &m->d);
	xmpp_global_timed_handler_add(m->ctx, dispatch_tick, TICK_MS, &m->d);
	return 0;
}

/* Tell the engine when the host link came or went, and after every
 * handshake (a reconnect within one turn included): the host dropped what
 * clients sent meanwhile, so the engine checks its occupants' clients. */
static void
mucd_watch_host(struct mucd *m, int *online, unsigned *gen)
{
	int		now = conn_is_online(m->conn);
	unsigned	g = conn_generation(m->conn);

	if (now == *online && (!now || g == *gen))
		return;
	if (*online)
		muc_host_online(m->svc, 0);
	*online = now;
	*gen = g;
	if (now)
		muc_host_online(m->svc, 1);
}

/* Step 4, the loop: run until SIGTERM or SIGINT; then store (or tell) the
 * occupants and close the stream. */
static void
mucd_loop(struct mucd *m, int argc, char **argv)
{
	int		online = 0;
	unsigned	gen = 0;

	while (!main_quit) {
		if (main_reload) {
			main_reload = 0;
			main_reload_config(argc, argv);
		}
		conn_run_once(m->conn);
		mucd_watch_host(m, &online, &gen);
	}
	log_info("mucd", "%s received, shutting down",
	    main_quit == SIGINT ? "SIGINT" : "SIGTERM");
	xmpp_global_timed_handler_delete(m->ctx, dispatch_tick);
	dispatch_shutdown(&m->d);
	conn_close(m->conn);
}

/* Step 5, teardown: free in reverse order of creation, whatever was
 * created; stanzas die before their context. */
static void
mucd_teardown(struct mucd *m)
{
	pace_free(m->pc);
	mcast_free(m->mc);
	conn_free(m->conn);
	muc_out_free(m->out);
	if (m->svc != NULL)
		muc_service_free(m->svc);
	if (m->st != NULL)
		store_close(m->st);
	if (m->ctx != NULL)
		xmpp_ctx_free(m->ctx);
	if (m->strophe_up)
		xmpp_shutdown();
	if (m->metrics_up)
		metrics_free();
}

int
main(int argc, char **argv)
{
	struct mucd	m;
	int		rc;

	memset(&m, 0, sizeof(m));
	if ((rc = mucd_settings(&m, argc, argv)) >= 0) {
		config_free(&m.cfg);
		return rc;
	}
	rc = 1;
	if (mucd_engine(&m) == 0 && mucd_connection(&m) == 0) {
		mucd_loop(&m, argc, argv);
		rc = 0;
	}
	mucd_teardown(&m);
	log_info("mucd", "exiting with status %d", rc);
	config_free(&m.cfg);
	return rc;
}
