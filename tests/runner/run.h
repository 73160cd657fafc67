/*
 * run.h - executing one parsed script against a server (format 9-12).
 */
#ifndef SCANSION_RUN_H
#define SCANSION_RUN_H

#include <strophe.h>

#include "script.h"

struct run_options {
	xmpp_ctx_t	*ctx;		/* shared by every client */
	const char	*host;		/* default c2s host */
	int		 port;		/* default c2s port */
	double		 timeout;	/* per expected stanza and per connect */
	double		 nothing_window;/* receives: nothing */
	double		 send_pause;	/* after each sends (format 12.6) */
	int		 verbose;
};

struct run_result {
	int	 line;		/* of the failing action; 0 when passed */
	char	*why;		/* one line, NULL when passed */
	char	*details;	/* indented lines ending in '\n', or NULL */
};

int	 run_script(const struct script *s, const struct run_options *o,
	    struct run_result *res);
void	 run_result_free(struct run_result *res);

#endif
