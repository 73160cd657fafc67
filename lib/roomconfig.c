/*
 * roomconfig.c - defaults of a room and the names of its enumerations.
 *
 * The names here are the wire names of XEP-0045 and also the values stored
 * in the database (sql/schema.sql), so one table serves both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roomconfig.h"

static const char *const aff_names[] = { "outcast", "none", "member", "admin", "owner" };
static const char *const role_names[] = { "none", "visitor", "participant", "moderator" };
static const char *const pm_names[] = { "anyone", "participants", "moderators", "none" };

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
const char *allowpm_name(enum allow_pm p) { return pm_names[p]; }
int affiliation_parse(const char *s) { return name_parse(aff_names, NELEM(aff_names), s); }
int role_parse(const char *s) { return name_parse(role_names, NELEM(role_names), s); }
int allowpm_parse(const char *s) { return name_parse(pm_names, NELEM(pm_names), s); }

int
broadcast_parse(const char *s, unsigned *bits)
{
	char		 word[16];
	const char	*p = s;
	size_t		 n;
	int		 r;

	*bits = 0;
	while (*p != '\0') {
		p += strspn(p, " \t");
		if ((n = strcspn(p, " \t")) == 0)
			break;
		if (n >= sizeof(word))
			return -1;
		memcpy(word, p, n);
		word[n] = '\0';
		if ((r = role_parse(word)) < 0)
			return -1;
		*bits |= BCAST_ROLE(r);
		p += n;
	}
	return 0;
}

void
broadcast_format(unsigned bits, char *buf, size_t len)
{
	static const enum muc_role order[] = {
		ROLE_MODERATOR, ROLE_PARTICIPANT, ROLE_VISITOR, ROLE_NONE
	};
	size_t	i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NELEM(order); i++) {
		if (!(bits & BCAST_ROLE(order[i])))
			continue;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
		    "%s%s", off ? " " : "", role_names[order[i]]);
	}
}

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

int
roomconfig_init(struct room_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->public_room = 1;
	cfg->allow_pm = PM_ANYONE;
	cfg->history_length = 20;
	cfg->broadcast = BCAST_ALL;
	if (roomconfig_set_str(&cfg->title, "") != 0 ||
	    roomconfig_set_str(&cfg->description, "") != 0 ||
	    roomconfig_set_str(&cfg->language, "") != 0 ||
	    roomconfig_set_str(&cfg->password, "") != 0) {
		roomconfig_free(cfg);
		return -1;
	}
	return 0;
}

int
roomconfig_copy(struct room_config *dst, const struct room_config *src)
{
	*dst = *src;
	dst->title = dst->description = dst->language = dst->password = NULL;
	if (roomconfig_set_str(&dst->title, src->title) != 0 ||
	    roomconfig_set_str(&dst->description, src->description) != 0 ||
	    roomconfig_set_str(&dst->language, src->language) != 0 ||
	    roomconfig_set_str(&dst->password, src->password) != 0) {
		roomconfig_free(dst);
		return -1;
	}
	return 0;
}

void
roomconfig_free(struct room_config *cfg)
{
	free(cfg->title);
	free(cfg->description);
	free(cfg->language);
	free(cfg->password);
	cfg->title = cfg->description = cfg->language = cfg->password = NULL;
}
