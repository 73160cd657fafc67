/*
 * hash.c - the string-keyed hash map of hash.h.
 *
 * FNV-1a for the hash; the table doubles at 3/4 load.  Deletion shifts the
 * following run back so lookups never need tombstones.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static uint32_t
hash_str(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

void
hmap_init(struct hmap *m)
{
	m->slot = NULL;
	m->cap = m->n = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->slot);
	hmap_init(m);
}

static struct hmap_slot *
hmap_find(const struct hmap *m, const char *key, uint32_t h)
{
	size_t	i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->slot[i].key == NULL)
			return &m->slot[i];
		if (m->slot[i].hash == h && strcmp(m->slot[i].key, key) == 0)
			return &m->slot[i];
	}
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	struct hmap_slot	*s = hmap_find(m, key, hash_str(key));

	return s != NULL && s->key != NULL ? s->val : NULL;
}

static int
hmap_grow(struct hmap *m)
{
	struct hmap	 bigger;
	size_t		 i;

	bigger.cap = m->cap ? m->cap * 2 : 8;
	bigger.n = m->n;
	if ((bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (m->slot[i].key != NULL)
			*hmap_find(&bigger, m->slot[i].key, m->slot[i].hash) =
			    m->slot[i];
	free(m->slot);
	*m = bigger;
	return 0;
}

int
hmap_put(struct hmap *m, const char *key, void *val)
{
	uint32_t		 h = hash_str(key);
	struct hmap_slot	*s;

	if ((m->n + 1) * 4 > m->cap * 3 && hmap_grow(m) != 0)
		return -1;
	s = hmap_find(m, key, h);
	if (s->key == NULL)
		m->n++;
	s->key = key;
	s->hash = h;
	s->val = val;
	return 0;
}

void *
hmap_del(struct hmap *m, const char *key)
{
	struct hmap_slot	*s = hmap_find(m, key, hash_str(key));
	size_t			 i, j, home;
	void			*val;

	if (s == NULL || s->key == NULL)
		return NULL;
	val = s->val;
	i = (size_t)(s - m->slot);
	/* Backward shift: move each later entry of the run into the hole
	 * unless its home slot lies cyclically in (hole, entry]. */
	for (j = (i + 1) & (m->cap - 1); m->slot[j].key != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		home = m->slot[j].hash & (m->cap - 1);
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].key = NULL;
	m->n--;
	return val;
}

void *
hmap_next(const struct hmap *m, size_t *i)
{
	while (*i < m->cap) {
		if (m->slot[*i].key != NULL)
			return m->slot[(*i)++].val;
		(*i)++;
	}
	return NULL;
}
