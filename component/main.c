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
 *	SIGTERM, SIGINT	close the stream, free everything, exit 0
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

int
main(int argc, char **argv)
{
	struct config			 cfg;
	struct muc_service_config	 svccfg;
	struct dispatch			 d = { 0 };
	xmpp_ctx_t			*ctx = NULL;
	struct store			*st = NULL;
	struct muc_service		*svc = NULL;
	struct muc_out			*out = NULL;
	struct conn			*conn = NULL;
	struct mcast			*mc = NULL;
	struct pace			*pc = NULL;
	char				 err[512];
	int				 rc = 1;

	/* 1. Settings: a bad one is exit status 2, before any side effect. */
	switch (config_load(argc, argv, &cfg, err, sizeof(err))) {
	case CONFIG_EXIT:
		config_free(&cfg);
		return 0;
	case CONFIG_ERROR:
		fprintf(stderr, "%s\n", err);
		config_free(&cfg);
		return 2;
	}
	if (cfg.check_only) {
		printf("configuration OK\n");
		config_free(&cfg);
		return 0;
	}
	log_init(cfg.log_level);
	main_signals();
	log_info("mucd", "mucd %s starting: domain %s, database %s, %zu "
	    "admin%s", MUCD_VERSION, cfg.domain, cfg.db, cfg.nadmins,
	    cfg.nadmins == 1 ? "" : "s");

	/* 2. libstrophe, the database and the engine. */
	xmpp_initialize();
	if ((ctx = xmpp_ctx_new(NULL, &log_strophe)) == NULL) {
		log_warnx("mucd", "cannot create the libstrophe context");
		goto done;
	}
	if (store_open(cfg.db, &log_engine, &st) != MUC_OK) {
		log_warnx("mucd", "cannot open the database %s", cfg.db);
		goto done;
	}
	svccfg.domain = cfg.domain;
	svccfg.admins = (const char *const *)cfg.admins;
	svccfg.nadmins = cfg.nadmins;
	svccfg.name = cfg.name;
	if (muc_service_new(ctx, &svccfg, st, &log_engine, &svc) != MUC_OK) {
		log_warnx("mucd", "cannot start the service");
		goto done;
	}
	if ((out = muc_out_new(ctx)) == NULL) {
		log_warnx("mucd", "cannot allocate the outbox");
		goto done;
	}

	/* 3. The connection, and the wiring between it and the engine. */
	if ((conn = conn_new(ctx, &cfg)) == NULL ||
	    (mc = mcast_new(ctx, &cfg, conn)) == NULL ||
	    (pc = pace_new(&cfg, conn)) == NULL)
		goto done;
	dispatch_init(&d, svc, out, conn, mc, pc);
	conn_set_handler(conn, dispatch_stanza, &d);
	xmpp_global_timed_handler_add(ctx, dispatch_tick, TICK_MS, &d);

	/* 4. Run until SIGTERM or SIGINT. */
	while (!main_quit) {
		if (main_reload) {
			main_reload = 0;
			main_reload_config(argc, argv);
		}
		conn_run_once(conn);
	}
	log_info("mucd", "%s received, shutting down",
	    main_quit == SIGINT ? "SIGINT" : "SIGTERM");
	xmpp_global_timed_handler_delete(ctx, dispatch_tick);
	dispatch_shutdown(&d);
	conn_close(conn);
	rc = 0;
done:
	/* In reverse order of creation; stanzas die before their context. */
	pace_free(pc);
	mcast_free(mc);
	conn_free(conn);
	muc_out_free(out);
	if (svc != NULL)
		muc_service_free(svc);
	if (st != NULL)
		store_close(st);
	if (ctx != NULL)
		xmpp_ctx_free(ctx);
	xmpp_shutdown();
	log_info("mucd", "exiting with status %d", rc);
	config_free(&cfg);
	return rc;
}
