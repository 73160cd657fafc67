/*
 * test_hash.c - the string-keyed hash map of lib/hash.c: lookups, linear
 * probing over collisions, backward-shift deletion (no tombstones),
 * growth at 3/4 load and iteration.
 *
 * Collisions are made on purpose: the tests compute FNV-1a (the hash
 * hash.c documents) to find keys whose home slot is a chosen one, then
 * look at the slots themselves (struct hmap is public) to see the run
 * shift back after a deletion.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hash.h"
#include "unit.h"

/* FNV-1a, as hash.c computes it. */
static uint32_t
fnv1a(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Keys live here: the map borrows them. */
#define NKEYS	2048
static char	keys[NKEYS][16];
static size_t	nkeys;

/* A fresh key whose home slot in a table of cap slots is home. */
static const char *
key_at_home(size_t cap, size_t home)
{
	static unsigned	 serial;
	char		*k;

	if (nkeys == NKEYS)
		abort();
	k = keys[nkeys++];
	do
		snprintf(k, sizeof(keys[0]), "k%u", serial++);
	while ((fnv1a(k) & (cap - 1)) != home);
	return k;
}

/* Where is key in m?  -1 if not in any slot. */
static int
slot_of(const struct hmap *m, const char *key)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		if (m->slot[i].key != NULL && strcmp(m->slot[i].key, key) == 0)
			return (int)i;
	return -1;
}

static void
map_free(void *arg)
{
	hmap_free(arg);
	nkeys = 0;
}

/* A map freed when the case ends. */
static struct hmap *
map_new(void)
{
	static struct hmap	m;

	hmap_init(&m);
	ut_defer(map_free, &m);
	return &m;
}

static int	vals[NKEYS];

static void
engine_hash_get_finds_what_put_stored_and_null_for_absent_keys(void)
{
	struct hmap	*m = map_new();

	EXPECT(hmap_get(m, "romeo") == NULL);	/* empty map, no table */
	EXPECT_INT(m->cap, 0);
	EXPECT_INT(hmap_put(m, "romeo", &vals[0]), 0);
	EXPECT_INT(hmap_put(m, "juliet", &vals[1]), 0);
	EXPECT(hmap_get(m, "romeo") == &vals[0]);
	EXPECT(hmap_get(m, "juliet") == &vals[1]);
	EXPECT(hmap_get(m, "tybalt") == NULL);
	EXPECT(hmap_get(m, "Romeo") == NULL);	/* keys are exact bytes */
	EXPECT_INT(m->n, 2);
	EXPECT_INT(m->cap, 8);
}

static void
engine_hash_put_of_an_existing_key_replaces_its_value_and_keeps_the_count(void)
{
	struct hmap	*m = map_new();
	static char	 again[] = "romeo";

	EXPECT_INT(hmap_put(m, "romeo", &vals[0]), 0);
	EXPECT_INT(hmap_put(m, again, &vals[1]), 0);
	EXPECT_INT(m->n, 1);
	EXPECT(hmap_get(m, "romeo") == &vals[1]);
	/* The key pointer is the new one: the old owner may be freed. */
	EXPECT(slot_of(m, "romeo") >= 0);
	EXPECT(m->slot[slot_of(m, "romeo")].key == again);
}

static void
engine_hash_colliding_keys_take_the_following_slots_in_order(void)
{
	struct hmap	*m = map_new();
	const char	*a, *b, *c;

	EXPECT_INT(hmap_put(m, "first", &vals[9]), 0);	/* table of 8 */
	EXPECT_INT(hmap_del(m, "first") == &vals[9], 1);
	a = key_at_home(8, 3);
	b = key_at_home(8, 3);
	c = key_at_home(8, 3);
	EXPECT_INT(hmap_put(m, a, &vals[0]), 0);
	EXPECT_INT(hmap_put(m, b, &vals[1]), 0);
	EXPECT_INT(hmap_put(m, c, &vals[2]), 0);
	EXPECT_INT(m->cap, 8);
	EXPECT_INT(slot_of(m, a), 3);
	EXPECT_INT(slot_of(m, b), 4);
	EXPECT_INT(slot_of(m, c), 5);
	EXPECT(hmap_get(m, a) == &vals[0]);
	EXPECT(hmap_get(m, b) == &vals[1]);
	EXPECT(hmap_get(m, c) == &vals[2]);
}

static void
engine_hash_delete_shifts_the_rest_of_the_run_back_into_the_hole(void)
{
	struct hmap	*m = map_new();
	const char	*a, *b, *c, *d;

	/* a, b, d live at home 1, c at home 3: slots 1 a, 2 b, 3 c, 4 d. */
	EXPECT_INT(hmap_put(m, "first", &vals[9]), 0);
	EXPECT(hmap_del(m, "first") == &vals[9]);
	a = key_at_home(8, 1);
	b = key_at_home(8, 1);
	c = key_at_home(8, 3);
	d = key_at_home(8, 1);
	EXPECT_INT(hmap_put(m, a, &vals[0]), 0);
	EXPECT_INT(hmap_put(m, b, &vals[1]), 0);
	EXPECT_INT(hmap_put(m, c, &vals[2]), 0);
	EXPECT_INT(hmap_put(m, d, &vals[3]), 0);
	EXPECT_INT(slot_of(m, d), 4);
	EXPECT(hmap_del(m, a) == &vals[0]);
	/* b moves home, c stays at its home, d moves into b's old slot. */
	EXPECT_INT(slot_of(m, b), 1);
	EXPECT_INT(slot_of(m, d), 2);
	EXPECT_INT(slot_of(m, c), 3);
	EXPECT(m->slot[4].key == NULL);
	EXPECT_INT(m->n, 3);
	EXPECT(hmap_get(m, a) == NULL);
	EXPECT(hmap_get(m, b) == &vals[1]);
	EXPECT(hmap_get(m, c) == &vals[2]);
	EXPECT(hmap_get(m, d) == &vals[3]);
}

static void
engine_hash_delete_leaves_entries_that_sit_at_their_home_in_place(void)
{
	struct hmap	*m = map_new();
	const char	*a, *b;

	EXPECT_INT(hmap_put(m, "first", &vals[9]), 0);
	EXPECT(hmap_del(m, "first") == &vals[9]);
	a = key_at_home(8, 5);
	b = key_at_home(8, 6);
	EXPECT_INT(hmap_put(m, a, &vals[0]), 0);
	EXPECT_INT(hmap_put(m, b, &vals[1]), 0);
	EXPECT(hmap_del(m, a) == &vals[0]);
	EXPECT_INT(slot_of(m, b), 6);
	EXPECT(m->slot[5].key == NULL);
	EXPECT(hmap_get(m, b) == &vals[1]);
}

static void
engine_hash_delete_shifts_a_run_that_wraps_past_the_last_slot(void)
{
	struct hmap	*m = map_new();
	const char	*a, *b, *c, *d;

	/* slots: 7 a (home 7), 0 b (home 7), 1 c (home 0), 2 d (home 2). */
	EXPECT_INT(hmap_put(m, "first", &vals[9]), 0);
	EXPECT(hmap_del(m, "first") == &vals[9]);
	a = key_at_home(8, 7);
	b = key_at_home(8, 7);
	c = key_at_home(8, 0);
	d = key_at_home(8, 2);
	EXPECT_INT(hmap_put(m, a, &vals[0]), 0);
	EXPECT_INT(hmap_put(m, b, &vals[1]), 0);
	EXPECT_INT(hmap_put(m, c, &vals[2]), 0);
	EXPECT_INT(hmap_put(m, d, &vals[3]), 0);
	EXPECT_INT(slot_of(m, b), 0);
	EXPECT_INT(slot_of(m, c), 1);
	EXPECT_INT(slot_of(m, d), 2);
	EXPECT(hmap_del(m, a) == &vals[0]);
	EXPECT_INT(slot_of(m, b), 7);
	EXPECT_INT(slot_of(m, c), 0);
	EXPECT_INT(slot_of(m, d), 2);
	EXPECT(m->slot[1].key == NULL);
	EXPECT(hmap_get(m, b) == &vals[1]);
	EXPECT(hmap_get(m, c) == &vals[2]);
	EXPECT(hmap_get(m, d) == &vals[3]);
}

static void
engine_hash_delete_of_an_absent_key_returns_null_and_changes_nothing(void)
{
	struct hmap	*m = map_new();

	EXPECT(hmap_del(m, "nobody") == NULL);	/* no table at all */
	EXPECT_INT(hmap_put(m, "romeo", &vals[0]), 0);
	EXPECT(hmap_del(m, "nobody") == NULL);
	EXPECT_INT(m->n, 1);
	EXPECT(hmap_get(m, "romeo") == &vals[0]);
	EXPECT(hmap_del(m, "romeo") == &vals[0]);
	EXPECT(hmap_del(m, "romeo") == NULL);
	EXPECT_INT(m->n, 0);
}

static void
engine_hash_grows_past_three_quarters_and_keeps_every_entry(void)
{
	struct hmap	*m = map_new();
	size_t		 i;

	for (i = 0; i < 6; i++) {
		snprintf(keys[i], sizeof(keys[0]), "g%zu", i);
		EXPECT_INT(hmap_put(m, keys[i], &vals[i]), 0);
	}
	EXPECT_INT(m->cap, 8);		/* 6 of 8 is exactly 3/4 */
	snprintf(keys[6], sizeof(keys[0]), "g6");
	EXPECT_INT(hmap_put(m, keys[6], &vals[6]), 0);
	EXPECT_INT(m->cap, 16);
	for (i = 7; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[0]), "g%zu", i);
		EXPECT_INT(hmap_put(m, keys[i], &vals[i]), 0);
	}
	EXPECT_INT(m->n, 1000);
	EXPECT_INT(m->cap, 2048);	/* 1000 > 3/4 of 1024 */
	for (i = 0; i < 1000; i++)
		EXPECT(hmap_get(m, keys[i]) == &vals[i]);
}

static void
engine_hash_iteration_visits_every_value_exactly_once(void)
{
	struct hmap	*m = map_new();
	int		 seen[100], *v;
	size_t		 i, it = 0, n = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof(keys[0]), "it%zu", i);
		EXPECT_INT(hmap_put(m, keys[i], &vals[i]), 0);
	}
	for (i = 0; i < 100; i += 3)
		EXPECT(hmap_del(m, keys[i]) == &vals[i]);
	while ((v = hmap_next(m, &it)) != NULL) {
		seen[v - vals]++;
		n++;
	}
	EXPECT_INT(n, 66);
	for (i = 0; i < 100; i++)
		EXPECT_INT(seen[i], i % 3 == 0 ? 0 : 1);
	EXPECT(hmap_next(m, &it) == NULL);	/* stays at the end */
	it = 0;
	hmap_free(m);
	EXPECT(hmap_next(m, &it) == NULL);	/* a freed map is empty */
}

/* Many random puts and deletes over a small key set, checked after each
 * step against a plain array: any slip of the backward shift loses a key. */
static void
engine_hash_random_puts_and_deletes_agree_with_a_plain_array(void)
{
	struct hmap	*m = map_new();
	int		*ref[64];
	size_t		 i, k, step;
	unsigned	 seed = 12345;

	for (i = 0; i < 64; i++) {
		snprintf(keys[i], sizeof(keys[0]), "r%zu", i);
		ref[i] = NULL;
	}
	for (step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % 64;
		if ((seed >> 20) & 1) {
			EXPECT_INT(hmap_put(m, keys[k], &vals[step % NKEYS]), 0);
			ref[k] = &vals[step % NKEYS];
		} else {
			EXPECT(hmap_del(m, keys[k]) == ref[k]);
			ref[k] = NULL;
		}
		for (i = 0, k = 0; i < 64; i++) {
			if (hmap_get(m, keys[i]) != ref[i]) {
				ut_fail(__FILE__, __LINE__, "step %zu: key %s "
				    "lost or wrong", step, keys[i]);
				return;
			}
			k += ref[i] != NULL;
		}
		EXPECT_INT(m->n, k);
	}
}

static const struct ut_case cases[] = {
	UT_CASE(engine_hash_get_finds_what_put_stored_and_null_for_absent_keys),
	UT_CASE(engine_hash_put_of_an_existing_key_replaces_its_value_and_keeps_the_count),
	UT_CASE(engine_hash_colliding_keys_take_the_following_slots_in_order),
	UT_CASE(engine_hash_delete_shifts_the_rest_of_the_run_back_into_the_hole),
	UT_CASE(engine_hash_delete_leaves_entries_that_sit_at_their_home_in_place),
	UT_CASE(engine_hash_delete_shifts_a_run_that_wraps_past_the_last_slot),
	UT_CASE(engine_hash_delete_of_an_absent_key_returns_null_and_changes_nothing),
	UT_CASE(engine_hash_grows_past_three_quarters_and_keeps_every_entry),
	UT_CASE(engine_hash_iteration_visits_every_value_exactly_once),
	UT_CASE(engine_hash_random_puts_and_deletes_agree_with_a_plain_array),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
