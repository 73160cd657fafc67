/*
 * permission.h - who may change whose role and affiliation (XEP-0045 5).
 *
 * Pure functions of ranks, so the whole table can be tested without a
 * room; also the role each affiliation enters with.  Each returns NULL when the change is allowed, else the stanza
 * error condition to refuse it with ("forbidden": the actor lacks the
 * privilege at all; "not-allowed": the target is out of the actor's reach).
 */
#ifndef PERMISSION_H
#define PERMISSION_H

#include "roomconfig.h"

/* actor (affiliation, role) sets target's role to new_role. */
const char	*permission_role(enum muc_affiliation actor_aff,
		    enum muc_role actor_role, enum muc_affiliation target_aff,
		    enum muc_role target_role, enum muc_role new_role);
/* actor sets target's affiliation to new_aff.  The last-owner rule needs
 * the room and is checked by the caller (conflict). */
const char	*permission_affiliation(enum muc_affiliation actor_aff,
		    enum muc_affiliation target_aff, enum muc_affiliation new_aff);
/* May actor read the list of this affiliation / role? */
int		 permission_list_affiliation(enum muc_affiliation actor_aff,
		    enum muc_affiliation list);
int		 permission_list_role(enum muc_role actor_role);
/* The role an affiliation enters a room with (5.1.2). */
enum muc_role	 role_default(enum muc_affiliation aff, int moderated);

#endif /* PERMISSION_H */
