/*
 * test_metrics.c - component/metrics.c's registry renders the OpenMetrics
 * text format: each family once with its TYPE and HELP, samples of a
 * family together whatever the order they were added in, counters with
 * _total, "# EOF" last; the daemon's helpers count what they should.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,	\
		    #cond);						\
		goto done;						\
	}								\
} while (0)

int
main(void)
{
	struct metric	*a, *b, *g, *again;
	char		*text = NULL;
	const char	*p, *q;
	size_t		 len;
	int		 rc = 1;

	CHECK(metrics_init() == 0);
	a = metric_find_or_add(METRIC_COUNTER, "t_errors", "Errors.",
	    "condition=\"item-not-found\"");
	g = metric_find_or_add(METRIC_GAUGE, "t_rooms", "Rooms loaded.", NULL);
	b = metric_find_or_add(METRIC_COUNTER, "t_errors", "Errors.",
	    "condition=\"forbidden\"");
	again = metric_find_or_add(METRIC_COUNTER, "t_errors", "Errors.",
	    "condition=\"forbidden\"");
	CHECK(a != NULL && b != NULL && g != NULL && again == b);
	metric_add(a, 2);
	metric_add(b, 1);
	metric_add(b, 1);
	metric_set(g, 7);
	metric_set(g, 5);
	metric_add(NULL, 1);		/* a failed registration is harmless */
	metrics_stanza_in("message");
	metrics_stanza_in("presence");
	metrics_stanza_in("presence");
	metrics_stanza_in("stream:features");
	metrics_stanzas_out(3);
	metrics_copy_out(100);
	metrics_copy_out(50);
	metrics_connection(1);
	metrics_connection(0);
	metrics_connection(1);

	CHECK((text = metrics_render(&len)) != NULL);
	CHECK(strlen(text) == len);
	CHECK(strstr(text, "# TYPE t_errors counter\n# HELP t_errors Errors.\n"
	    "t_errors_total{condition=\"item-not-found\"} 2\n"
	    "t_errors_total{condition=\"forbidden\"} 2\n") != NULL);
	CHECK(strstr(text, "# TYPE t_rooms gauge\n# HELP t_rooms Rooms "
	    "loaded.\nt_rooms 5\n") != NULL);
	/* Each family's header once. */
	p = strstr(text, "# TYPE t_errors ");
	CHECK(p != NULL && strstr(p + 1, "# TYPE t_errors ") == NULL);
	CHECK(strstr(text, "mucd_stanzas_in_total{kind=\"message\"} 1\n"));
	CHECK(strstr(text, "mucd_stanzas_in_total{kind=\"presence\"} 2\n"));
	CHECK(strstr(text, "mucd_stanzas_in_total{kind=\"other\"} 1\n"));
	CHECK(strstr(text, "mucd_stanzas_out_total 3\n"));
	CHECK(strstr(text, "mucd_copies_out_total 2\n"));
	CHECK(strstr(text, "mucd_sent_bytes_total 150\n"));
	CHECK(strstr(text, "mucd_connected 1\n"));
	CHECK(strstr(text, "mucd_connects_total 2\n"));
	CHECK(strstr(text, "mucd_reconnects_total 1\n"));
	CHECK(strstr(text, "mucd_disconnects_total 1\n"));
	CHECK(strncmp(text, "# TYPE mucd_uptime_seconds gauge\n", 33) == 0);
	q = text + len - strlen("# EOF\n");
	CHECK(strcmp(q, "# EOF\n") == 0);
	printf("ok\n");
	rc = 0;
done:
	free(text);
	metrics_free();
	return rc;
}
