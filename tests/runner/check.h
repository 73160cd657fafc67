/*
 * check.h - the runner's tiny unit-test kit.
 *
 * A test program lists its cases in a table and calls check_main().  Run
 * with a case name it runs that one case (how ctest calls it, one test per
 * case); with no arguments it runs all; "--expect-count N" fails unless
 * the table has N cases, so the CMake list and the table cannot drift
 * apart.  Each case prints "ok - name" or "not ok - name".  A failing
 * CHECK prints the file, line and expression and ends the case.
 */
#ifndef SCANSION_CHECK_H
#define SCANSION_CHECK_H

#include <stdio.h>
#include <string.h>

struct check_case {
	const char	*name;
	void		(*fn)(void);
};

extern int check_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,	\
		    __LINE__, #cond);					\
		check_failed = 1;					\
		return;							\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *check_g = (got), *check_w = (want);			\
	if (check_g == NULL || strcmp(check_g, check_w) != 0) {		\
		fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n",	\
		    __FILE__, __LINE__, #got,				\
		    check_g != NULL ? check_g : "(null)", check_w);	\
		check_failed = 1;					\
		return;							\
	}								\
} while (0)

#define CHECK_CONTAINS(got, part) do {					\
	const char *check_g = (got), *check_p = (part);			\
	if (check_g == NULL || strstr(check_g, check_p) == NULL) {	\
		fprintf(stderr, "%s:%d: %s is \"%s\", which lacks \"%s\"\n",\
		    __FILE__, __LINE__, #got,				\
		    check_g != NULL ? check_g : "(null)", check_p);	\
		check_failed = 1;					\
		return;							\
	}								\
} while (0)

#define CHECK_CASE(fn)	{ #fn, fn }

int	check_main(int argc, char *argv[], const struct check_case *cases,
	    size_t ncases);

#endif
