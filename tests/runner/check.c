/*
 * check.c - running the cases of a unit-test program (see check.h).
 */
#include <stdlib.h>

#include "check.h"

int check_failed;

/* Run one case and print its result line.  Returns 0 when it passed. */
static int
check_run(const struct check_case *c)
{
	check_failed = 0;
	c->fn();
	printf("%s - %s\n", check_failed ? "not ok" : "ok", c->name);
	fflush(stdout);
	return check_failed;
}

/* Run the case named by argv[1], or all cases.  Returns the process exit
 * status: 0 when every case run passed. */
int
check_main(int argc, char *argv[], const struct check_case *cases,
    size_t ncases)
{
	size_t	 i;
	int	 bad = 0;

	if (argc == 3 && strcmp(argv[1], "--expect-count") == 0) {
		if (strtoul(argv[2], NULL, 10) == ncases) {
			printf("ok - %zu cases registered\n", ncases);
			return 0;
		}
		printf("not ok - %zu cases in the program, %s registered\n",
		    ncases, argv[2]);
		return 1;
	}
	if (argc == 2) {
		for (i = 0; i < ncases; i++)
			if (strcmp(cases[i].name, argv[1]) == 0)
				return check_run(&cases[i]);
		printf("not ok - %s: no such case\n", argv[1]);
		return 1;
	}
	for (i = 0; i < ncases; i++)
		bad |= check_run(&cases[i]);
	return bad;
}
