/*
 * config.h - mucd's settings: defaults, the config file, MUCD_SECRET, flags.
 *
 * config_load() builds a complete, validated struct config from the command
 * line (which may name a file with --config).  Precedence, highest first:
 * command-line flag, the MUCD_SECRET environment variable (secret only), the
 * config file, the built-in default.  With -n (check_only) the secret may
 * be missing: it usually comes from an environment file that only the
 * service manager reads.  config.c never logs: it reports the
 * first problem as one line in err, and the caller exits with status 2.
 */
#ifndef MUCD_CONFIG_H
#define MUCD_CONFIG_H

#include <stddef.h>

#include "log.h"
#include "muc.h"

struct config {
	char			*domain;	/* component JID */
	char			*host;		/* host's component listener */
	int			 port;
	char			*secret;	/* never log this */
	char			*db;		/* SQLite path */
	char			*name;		/* service name in disco, or NULL */
	char			**admins;	/* bare JIDs */
	size_t			 nadmins;
	enum muc_log_level	 log_level;
	enum log_format		 log_format;
	char			*metrics;	/* "ADDR:PORT", or NULL: none */
	/* Abuse and faults (muc_service_config has what they mean). */
	int			 message_rate, message_burst;
	int			 presence_rate, presence_burst;
	int			 join_rate, room_creation_rate;
	int			 disco_page_size, disco_page_max;
	char			*restart_occupants;	/* "keep" or "remove" */
	int			 snapshot_interval;
	int			 verify_rate, verify_timeout;
	int			 crowded_room;	/* occupants; 0: never crowded */
	int			 archive_by_default;	/* 0 or 1 */
	int			 archive_max_days;	/* 0: forever */
	int			 archive_max_messages;	/* per room; 0: all */
	int			 archive_page_max;	/* results per query */
	int			 connections;	/* streams to the host */
	char			*multicast;	/* auto, off or a service JID */
	int			 multicast_batch; /* 0: as advertised */
	int			 pacing_window;	/* copies in flight; 0: off */
	int			 pacing_delay;	/* ms of queue aimed at */
	int			 max_queued_bytes; /* for the host; 0: no cap */
	char			*room_creation;	/* anyone, local or admins */
	char			**local_domains;	/* for local */
	size_t			 nlocal_domains;
	int			 max_rooms_per_user;	/* 0: no limit */
	int			 vcard_max_bytes;	/* room vCards */

	/* Not settings: what the command line asked mucd to do. */
	char			*path;		/* --config FILE, or NULL */
	int			 check_only;	/* -n */
};

/* config_load() results. */
#define CONFIG_OK	0	/* cfg is complete: run */
#define CONFIG_EXIT	1	/* --help or --version was printed: exit 0 */
#define CONFIG_ERROR	2	/* err holds one line: print it, exit 2 */

/* Fill OUT from argv, the environment and the file argv names.  progname
 * prefixes messages about flags ("mucd: --port must be 1-65535"); messages
 * about the file are prefixed "FILE:LINE:".  OUT is always safe to pass to
 * config_free(), and on CONFIG_OK it owns all its strings.  Usage and
 * version text go to stdout. */
int	config_load(int argc, char **argv, struct config *OUT, char *err,
	    size_t errlen);
void	config_free(struct config *cfg);

#endif /* MUCD_CONFIG_H */
