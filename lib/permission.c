/*
 * permission.c - the privilege rules of XEP-0045 section 5, in one place.
 *
 * Roles: moderators kick (8.2) and grant or revoke voice (8.3-8.5), but a
 * user "cannot be kicked by a moderator with a lower affiliation", and
 * voice is not taken from anyone ranked above the moderator.  Granting or
 * revoking the moderator role is for admins and owners only (9.6, 9.7:
 * forbidden otherwise), and the role of an admin or owner follows its
 * affiliation: it is changed only by changing the affiliation.
 * Affiliations: owners change anything (10); admins manage members and
 * outcasts (9.1-9.4); editing the admin or owner lists is for owners
 * (10.3-10.8: forbidden), and banning an admin or owner is refused as
 * not-allowed (9.1).  Nobody else changes affiliations.
 */
#include <stddef.h>

#include "permission.h"

const char *
permission_role(enum muc_affiliation actor_aff, enum muc_role actor_role,
    enum muc_affiliation target_aff, enum muc_role target_role,
    enum muc_role new_role)
{
	if (actor_role != ROLE_MODERATOR && actor_aff < AFF_ADMIN)
		return "forbidden";
	/* An admin's or owner's role follows the affiliation (8.4, 9.7: no
	 * one takes their voice or moderator status); they can only be
	 * kicked, and not by a lower affiliation (8.2). */
	if (target_aff >= AFF_ADMIN)
		return new_role == ROLE_NONE && target_aff <= actor_aff ?
		    NULL : "not-allowed";
	if (actor_aff < AFF_ADMIN) {
		/* 5.1.3: a moderator is kicked or made a visitor by an admin
		 * or owner; 9.6, 9.7: only they grant or revoke the role. */
		if (target_role == ROLE_MODERATOR)
			return new_role == ROLE_PARTICIPANT ? "forbidden" :
			    "not-allowed";
		if (new_role == ROLE_MODERATOR)
			return "forbidden";
	}
	if (target_aff > actor_aff)
		return "not-allowed";
	return NULL;
}

const char *
permission_affiliation(enum muc_affiliation actor_aff,
    enum muc_affiliation target_aff, enum muc_affiliation new_aff)
{
	if (actor_aff == AFF_OWNER)
		return NULL;
	if (actor_aff != AFF_ADMIN)
		return "forbidden";
	if (new_aff == AFF_OUTCAST && target_aff >= AFF_ADMIN)
		return "not-allowed";
	if (target_aff >= AFF_ADMIN || new_aff >= AFF_ADMIN)
		return "forbidden";
	return NULL;
}

int
permission_list_affiliation(enum muc_affiliation actor_aff,
    enum muc_affiliation list)
{
	/* 10.5, 10.8: the owner and admin lists are the owners' to read. */
	if (list == AFF_OWNER || list == AFF_ADMIN)
		return actor_aff == AFF_OWNER;
	return actor_aff >= AFF_ADMIN;
}

int
permission_list_role(enum muc_role actor_role)
{
	return actor_role == ROLE_MODERATOR;
}

enum muc_role
role_default(enum muc_affiliation aff, int moderated)
{
	if (aff >= AFF_ADMIN)
		return ROLE_MODERATOR;
	if (aff == AFF_MEMBER || !moderated)
		return ROLE_PARTICIPANT;
	return ROLE_VISITOR;
}
