/*
 * noteset.c - the set of noted changes of noteset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "muc.h"
#include "noteset.h"

void
noteset_init(struct noteset *ns)
{
	hmap_init(&ns->keys);
}

int
noteset_add(struct noteset *ns, const char *a, const char *b)
{
	size_t	la = strlen(a), lb = b != NULL ? strlen(b) : 0;
	char	*key;

	if ((key = malloc(la + lb + 2)) == NULL)
		return MUC_ENOMEM;
	memcpy(key, a, la);
	key[la] = '\0';
	if (b != NULL) {
		key[la] = '/';
		memcpy(key + la + 1, b, lb + 1);
	}
	if (hmap_get(&ns->keys, key) != NULL) {
		free(key);
		return MUC_OK;
	}
	if (hmap_put(&ns->keys, key, key) != 0) {
		free(key);
		return MUC_ENOMEM;
	}
	return MUC_OK;
}

const char *
noteset_next(const struct noteset *ns, size_t *i)
{
	return hmap_next(&ns->keys, i);
}

size_t
noteset_count(const struct noteset *ns)
{
	return ns->keys.n;
}

void
noteset_clear(struct noteset *ns)
{
	char	*key;
	size_t	 i = 0;

	while ((key = hmap_next(&ns->keys, &i)) != NULL)
		free(key);
	hmap_free(&ns->keys);
}
