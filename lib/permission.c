/*
 * permission.c - the privilege rules of XEP-0045 section 5, in one place.
 *
 * Roles (5.1.1, 8, 9.6-9.7): moderators kick and grant or revoke voice;
 * only admins and owners grant or revoke the moderator role; nobody touches
 * the role of an admin or owner through roles (their role follows their
 * affiliation), and a moderator never acts on someone ranked above it.
 * Affiliations (5.2.1, 9, 10): owners change anything; admins manage
 * members and outcasts below admin; nobody else changes affiliations.
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
	/* Admins and owners keep the moderator role their affiliation
	 * gives them; they are never kicked or silenced by role. */
	if (target_aff >= AFF_ADMIN)
		return "not-allowed";
	if (target_aff > actor_aff)
		return "not-allowed";
	/* The moderator role is granted and taken by admins and owners. */
	if ((new_role == ROLE_MODERATOR || target_role == ROLE_MODERATOR) &&
	    actor_aff < AFF_ADMIN)
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
	if (target_aff >= AFF_ADMIN)
		return "not-allowed";
	if (new_aff >= AFF_ADMIN)
		return "not-allowed";
	return NULL;
}

int
permission_list_affiliation(enum muc_affiliation actor_aff,
    enum muc_affiliation list)
{
	if (list == AFF_OWNER || list == AFF_ADMIN)
		return actor_aff >= AFF_ADMIN;
	return actor_aff >= AFF_ADMIN;
}

int
permission_list_role(enum muc_role actor_role)
{
	return actor_role == ROLE_MODERATOR;
}
