/*
 * unit.h - the engine tests' small test kit.
 *
 * A test program lists its cases in a table and calls ut_main().  With case
 * names as arguments it runs those cases (ctest runs one case per test);
 * with none it runs every case of the table; "--list" prints the names and
 * "--expect-count N" fails unless the table holds N cases, so the table and
 * tests/unit/CMakeLists.txt cannot drift apart.  Each case prints
 * "ok N - name", or "not ok N - name: file:line: what" for the first
 * expectation that failed; a failing EXPECT ends its case.  Cleanups
 * registered with ut_defer() run after every case, passed or failed, so a
 * failed case leaks nothing into the next one or into valgrind's report.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>
#include <string.h>

struct ut_case {
	const char	*name;
	void		(*fn)(void);
};

#define UT_CASE(fn)	{ #fn, fn }
#define UT_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Record the first failure of the running case (later ones are ignored). */
void	ut_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Has the running case failed yet? */
int	ut_failed(void);
/* Run fn(arg) when the running case ends, last registered first. */
void	ut_defer(void (*fn)(void *), void *arg);
/* Called with the failure text, e.g. to dump what the engine sent. */
void	ut_on_fail(void (*fn)(void *), void *arg);
/* A "# ..." diagnostic line on stdout. */
void	ut_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* bugs[] are cases that fail because of a known lib/ bug: they run only
 * when named (or with "--bugs"), never by default, and are not counted by
 * --expect-count.  Each is listed, commented out, in CMakeLists.txt. */
int	ut_main(int argc, char *argv[], const struct ut_case *cases,
	    size_t ncases, const struct ut_case *bugs, size_t nbugs);

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		ut_fail(__FILE__, __LINE__, "%s", #cond);		\
		return;							\
	}								\
} while (0)

#define EXPECT_INT(got, want) do {					\
	long long ut_g = (long long)(got), ut_w = (long long)(want);	\
	if (ut_g != ut_w) {						\
		ut_fail(__FILE__, __LINE__, "%s is %lld, expected %lld",	\
		    #got, ut_g, ut_w);					\
		return;							\
	}								\
} while (0)

#define EXPECT_STR(got, want) do {					\
	const char *ut_g = (got), *ut_w = (want);			\
	if (ut_g == NULL || ut_w == NULL ? ut_g != ut_w :		\
	    strcmp(ut_g, ut_w) != 0) {					\
		ut_fail(__FILE__, __LINE__, "%s is %s%s%s, expected %s%s%s", \
		    #got, ut_g ? "\"" : "", ut_g ? ut_g : "(null)",	\
		    ut_g ? "\"" : "", ut_w ? "\"" : "",			\
		    ut_w ? ut_w : "(null)", ut_w ? "\"" : "");		\
		return;							\
	}								\
} while (0)

#define EXPECT_NULL(p)		EXPECT_STR((const char *)(p), NULL)

#endif /* UNIT_H */
