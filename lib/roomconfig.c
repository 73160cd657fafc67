/*
 * roomconfig.c - the names of roles and affiliations.
 *
 * The names here are the wire names of XEP-0045 and also the values stored
 * in the database (sql/schema.sql), so one table serves both.  A room's
 * options, their defaults and their names are in roomopt.c.
 */
#include <stdlib.h>
#include <string.h>

#include "roomconfig.h"

static const char *const aff_names[] = { "outcast", "none", "member", "admin", "owner" };
static const char *const role_names[] = { "none", "visitor", "participant", "moderator" };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
name_parse(const char *const *names, size_t n, const char *s)
{
	size_t	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *affiliation_name(enum muc_affiliation a) { return aff_names[a]; }
const char *role_name(enum muc_role r) { return role_names[r]; }
int affiliation_parse(const char *s) { return name_parse(aff_names, NELEM(aff_names), s); }
int role_parse(const char *s) { return name_parse(role_names, NELEM(role_names), s); }

int
roomconfig_set_str(char **field, const char *value)
{
	char	*copy;

	if ((copy = strdup(value != NULL ? value : "")) == NULL)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}
