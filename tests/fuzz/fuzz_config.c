/*
 * fuzz_config.c - libFuzzer target: arbitrary bytes as mucd.conf.
 *
 * component/config.c is compiled into this file unchanged.  Its file
 * parser reads with fopen(path); here fopen is defined, for that one
 * translation unit, to an fmemopen() of the current input, so every run
 * goes through the public config_load() with "--config fuzz.conf" (the
 * defaults, the file, the required-settings check) without touching the
 * disk, and config_free() releases all of it: LeakSanitizer is on.
 *
 * Seeds: component/mucd.conf.example (see CMakeLists.txt).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char	*fuzz_text;	/* the current input, NUL-terminated */
static size_t	 fuzz_len;

static FILE	*fuzz_fopen(const char *path, const char *mode);

/* config.c sees this fopen (its own <stdio.h> include is already done). */
#define fopen(path, mode)	fuzz_fopen(path, mode)
#include "config.c"
#undef fopen

/* The input as a read-only stream.  glibc's fmemopen refuses size 0 in
 * some versions: an empty input is then an empty stream of one NUL,
 * which the parser reads as one empty line. */
static FILE *
fuzz_fopen(const char *path, const char *mode)
{
	(void)path;
	return fmemopen(fuzz_text, fuzz_len > 0 ? fuzz_len : 1, mode);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	unsetenv("MUCD_SECRET");	/* the file alone decides */
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 arg0[] = "mucd", arg1[] = "--config",
			 arg2[] = "fuzz.conf";
	char		*argv[] = { arg0, arg1, arg2, NULL };
	struct config	 cfg;
	char		 err[512];

	if ((fuzz_text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(fuzz_text, data, size);
	fuzz_text[size] = '\0';
	fuzz_len = size;
	err[0] = '\0';
	(void)config_load(3, argv, &cfg, err, sizeof(err));
	/* An error is one line, NUL-terminated within err. */
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	config_free(&cfg);
	free(fuzz_text);
	fuzz_text = NULL;
	return 0;
}
