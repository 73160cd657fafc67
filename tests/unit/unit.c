/*
 * unit.c - running the cases of an engine test program (see unit.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define UT_MAX_DEFER	64

struct ut_deferred {
	void	(*fn)(void *);
	void	*arg;
};

static struct ut_deferred	 deferred[UT_MAX_DEFER];
static size_t			 ndeferred;
static struct ut_deferred	 on_fail[UT_MAX_DEFER];
static size_t			 non_fail;
static char			 failure[1024];
static int			 failed;

void
ut_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (failed)
		return;
	failed = 1;
	n = snprintf(failure, sizeof(failure), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(failure))
		return;
	va_start(ap, fmt);
	vsnprintf(failure + n, sizeof(failure) - (size_t)n, fmt, ap);
	va_end(ap);
}

int
ut_failed(void)
{
	return failed;
}

void
ut_defer(void (*fn)(void *), void *arg)
{
	if (ndeferred == UT_MAX_DEFER) {
		fprintf(stderr, "ut_defer: too many cleanups\n");
		abort();
	}
	deferred[ndeferred].fn = fn;
	deferred[ndeferred++].arg = arg;
}

void
ut_on_fail(void (*fn)(void *), void *arg)
{
	if (non_fail == UT_MAX_DEFER) {
		fprintf(stderr, "ut_on_fail: too many hooks\n");
		abort();
	}
	on_fail[non_fail].fn = fn;
	on_fail[non_fail++].arg = arg;
}

void
ut_note(const char *fmt, ...)
{
	va_list	ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* Run case c as number num and print its line.  Returns 1 if it failed. */
static int
ut_run(const struct ut_case *c, size_t num)
{
	size_t	i;

	failed = 0;
	failure[0] = '\0';
	c->fn();
	if (failed)
		printf("not ok %zu - %s: %s\n", num, c->name, failure);
	else
		printf("ok %zu - %s\n", num, c->name);
	if (failed)
		for (i = 0; i < non_fail; i++)
			on_fail[i].fn(on_fail[i].arg);
	non_fail = 0;
	while (ndeferred > 0) {
		ndeferred--;
		deferred[ndeferred].fn(deferred[ndeferred].arg);
	}
	fflush(stdout);
	return failed;
}

/* The case called name in cases or bugs, or NULL. */
static const struct ut_case *
ut_find(const char *name, const struct ut_case *cases, size_t ncases,
    const struct ut_case *bugs, size_t nbugs)
{
	size_t	i;

	for (i = 0; i < ncases; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	for (i = 0; i < nbugs; i++)
		if (strcmp(bugs[i].name, name) == 0)
			return &bugs[i];
	return NULL;
}

int
ut_main(int argc, char *argv[], const struct ut_case *cases, size_t ncases,
    const struct ut_case *bugs, size_t nbugs)
{
	const struct ut_case	*c;
	size_t			 i;
	int			 a, bad = 0;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < ncases; i++)
			printf("%s\n", cases[i].name);
		for (i = 0; i < nbugs; i++)
			printf("%s (known lib/ bug, not run by default)\n",
			    bugs[i].name);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--bugs") == 0) {
		printf("1..%zu\n", nbugs);
		for (i = 0; i < nbugs; i++)
			bad |= ut_run(&bugs[i], i + 1);
		return bad;
	}
	if (argc == 3 && strcmp(argv[1], "--expect-count") == 0) {
		if (strtoul(argv[2], NULL, 10) == ncases) {
			printf("ok 1 - %zu cases, all registered\n", ncases);
			return 0;
		}
		printf("not ok 1 - the program has %zu cases, CMakeLists.txt "
		    "registers %s\n", ncases, argv[2]);
		return 1;
	}
	if (argc == 1) {
		printf("1..%zu\n", ncases);
		for (i = 0; i < ncases; i++)
			bad |= ut_run(&cases[i], i + 1);
		return bad;
	}
	printf("1..%d\n", argc - 1);
	for (a = 1; a < argc; a++) {
		if ((c = ut_find(argv[a], cases, ncases, bugs, nbugs)) != NULL)
			bad |= ut_run(c, (size_t)a);
		else {
			printf("not ok %d - %s: no such case\n", a, argv[a]);
			bad = 1;
		}
	}
	return bad;
}
