/*
 * roomconfig.h - roles, affiliations and a room's configuration.
 *
 * The vocabulary every part of the engine and the store shares.  The order of
 * the affiliation and role enums is their rank (XEP-0045 5.1, 5.2), so a
 * comparison answers "is a above b".
 */
#ifndef ROOMCONFIG_H
#define ROOMCONFIG_H

#include <stddef.h>

enum muc_affiliation {
	AFF_OUTCAST,
	AFF_NONE,
	AFF_MEMBER,
	AFF_ADMIN,
	AFF_OWNER,
};

enum muc_role {
	ROLE_NONE,
	ROLE_VISITOR,
	ROLE_PARTICIPANT,
	ROLE_MODERATOR,
};

enum allow_pm {
	PM_ANYONE,
	PM_PARTICIPANTS,
	PM_MODERATORS,
	PM_NONE,
};

/* Bit for role r in room_config.broadcast. */
#define BCAST_ROLE(r)	(1u << (r))
#define BCAST_ALL	(BCAST_ROLE(ROLE_VISITOR) | BCAST_ROLE(ROLE_PARTICIPANT) | \
			    BCAST_ROLE(ROLE_MODERATOR))

/*
 * A room's configuration: one member per row of the option table
 * (roomopt.c), which is what reads and writes these members for the form,
 * the store and room info.  Strings are owned by the struct
 * (roomconfig_free) and never NULL once set up by roomconfig_init() or
 * roomconfig_copy().  List choices are ints: the index of the chosen value
 * in the option's choices.
 */
struct room_config {
	char		*title;
	char		*description;
	char		*language;
	char		*password;	/* "" when none */
	int		 persistent;
	int		 public_room;
	int		 members_only;
	int		 moderated;
	int		 whois_anyone;	/* 1 anyone, 0 moderators only */
	int		 change_subject;
	int		 allow_invites;
	int		 allow_register;	/* unaffiliated users may register */
	int		 refuse_confusable;	/* refuse look-alike nicks */
	int		 allow_pm;	/* enum allow_pm */
	int		 max_users;	/* 0: no limit */
	int		 history_length;
	int		 archive;	/* keep an archive (persistent rooms) */
	unsigned	 broadcast;	/* BCAST_ROLE() bits */
};

/* Defaults of a new room, from the option table.  Returns 0, or -1 on
 * allocation failure (then cfg holds nothing to free). */
int		 roomconfig_init(struct room_config *cfg);
int		 roomconfig_copy(struct room_config *dst, const struct room_config *src);
void		 roomconfig_free(struct room_config *cfg);
/* Replace *field with a copy of value.  Returns 0 or -1 (field unchanged). */
int		 roomconfig_set_str(char **field, const char *value);

const char	*affiliation_name(enum muc_affiliation a);
const char	*role_name(enum muc_role r);
/* Parse a name; return -1 when it is not one. */
int		 affiliation_parse(const char *s);
int		 role_parse(const char *s);

#define ROOM_HISTORY_MAX	1000
#define ROOM_MAXUSERS_MAX	1000000

#endif /* ROOMCONFIG_H */
