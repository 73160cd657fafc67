/*
 * test_log.c - component/log.c's JSON lines must parse whatever the
 * message holds: quotes, backslashes, control characters, bytes that are
 * not UTF-8.  stderr is sent to a temporary file and read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int
main(void)
{
	char			 path[] = "/tmp/mucd-test-log.XXXXXX", line[1024];
	const char		*want_msg = "\"message\":\"say \\\"hi\\\"\\\\ "
				    "a\\u000ab\\u0009 caf\xc3\xa9 bad\xef\xbf\xbd"
				    "\xef\xbf\xbd end\"";
	const char		*want_field = ",\"nick\":\"o\\\"k\"}";
	struct log_field	 f[] = { { "nick", "o\"k" } };
	FILE			*fp;
	int			 fd, rc = 1;

	if ((fd = mkstemp(path)) == -1 || freopen(path, "w", stderr) == NULL) {
		perror("mkstemp/freopen");
		return 99;
	}
	unsetenv("JOURNAL_STREAM");
	log_init(MUC_LOG_INFO, LOG_JSON);
	/* "\xc3\xa9" is UTF-8 (kept); "\xff\xc3" is not (two U+FFFD). */
	log_event(MUC_LOG_INFO, "join", f, 1, "say \"%s\"\\ a\nb\t "
	    "caf\xc3\xa9 bad\xff\xc3 end", "hi");
	log_debug("join", "below the level: not written");
	fflush(stderr);
	if ((fp = fopen(path, "r")) == NULL || fgets(line, sizeof(line), fp) ==
	    NULL) {
		fprintf(stdout, "no line written\n");
		goto done;
	}
	if (strncmp(line, "{\"time\":\"", 9) != 0 ||
	    strstr(line, "\",\"level\":\"info\",\"area\":\"join\",") == NULL ||
	    strstr(line, want_msg) == NULL || strstr(line, want_field) == NULL ||
	    line[strlen(line) - 1] != '\n') {
		fprintf(stdout, "unexpected line: %s", line);
		goto done;
	}
	if (fgets(line, sizeof(line), fp) != NULL) {
		fprintf(stdout, "a debug line was written: %s", line);
		goto done;
	}
	printf("ok\n");
	rc = 0;
done:
	if (fp != NULL)
		fclose(fp);
	close(fd);
	unlink(path);
	return rc;
}
