/*
 * test_permission.c - the privilege rules of lib/permission.c against
 * XEP-0045 section 5 and the use cases that refine it (8.2 kick, 8.3/8.4
 * voice, 9.1 ban, 9.3/9.4 membership, 9.6/9.7 moderator, 10.3-10.8 owner
 * and admin lists).
 *
 * The spec is written down below as rule tables: each row is a set of
 * actor and target ranks (bit sets), the outcome the spec asks for, and the
 * words that say so.  The first row that matches a cell decides it.  Every
 * cell of the full cross product is then checked against permission.c, and
 * the number of cells checked is asserted, so no cell escapes the table.
 *
 * Rows marked DIVERGES are cells where mucd once answered otherwise than
 * the spec's words (lib/ bugs, now fixed); the *_follows_* cases check the
 * other cells and the *_spec_cells_where_mucd_diverges cases check these,
 * so every cell is held to the spec.
 */
#include <stdio.h>

#include "permission.h"
#include "unit.h"

#define AFF(a)		(1u << (a))
#define ROLE(r)		(1u << (r))
#define ALL_AFFS	(AFF(AFF_OUTCAST) | AFF(AFF_NONE) | AFF(AFF_MEMBER) | \
			    AFF(AFF_ADMIN) | AFF(AFF_OWNER))
#define ALL_ROLES	(ROLE(ROLE_NONE) | ROLE(ROLE_VISITOR) | \
			    ROLE(ROLE_PARTICIPANT) | ROLE(ROLE_MODERATOR))
#define BELOW_ADMIN	(AFF(AFF_OUTCAST) | AFF(AFF_NONE) | AFF(AFF_MEMBER))
#define ADMIN_UP	(AFF(AFF_ADMIN) | AFF(AFF_OWNER))
#define NOT_MODERATOR	(ROLE(ROLE_NONE) | ROLE(ROLE_VISITOR) | \
			    ROLE(ROLE_PARTICIPANT))

#define NAFF		5
#define NROLE		4

enum rel {
	ANY_RANKS,	/* whatever the two affiliations */
	TARGET_ABOVE,	/* target's affiliation is higher than the actor's */
	TARGET_NOT_ABOVE,
};

#define ALLOWED		NULL
#define DIVERGES	1

/* permission_role(actor_aff, actor_role, target_aff, target_role, new) */
struct role_rule {
	unsigned	 actor_aff, actor_role, target_aff, target_role, new_role;
	enum rel	 rel;
	const char	*expect;	/* ALLOWED or the error condition */
	int		 diverges;	/* mucd answers otherwise */
	const char	*why;
};

static const struct role_rule role_rules[] = {
	{ BELOW_ADMIN, NOT_MODERATOR, ALL_AFFS, ALL_ROLES, ALL_ROLES,
	  ANY_RANKS, "forbidden", 0,
	  "8 intro: moderator requests MUST be denied [...] if not one of the "
	  "moderators; forbidden (9 intro: the same for admin requests)" },
	{ ALL_AFFS, ALL_ROLES, ADMIN_UP, ALL_ROLES, ROLE(ROLE_VISITOR),
	  ANY_RANKS, "not-allowed", 0,
	  "8.4: a service MUST NOT allow the voice privileges of an admin or "
	  "owner to be removed by anyone; not-allowed" },
	{ ALL_AFFS, ALL_ROLES, ADMIN_UP, ALL_ROLES, ROLE(ROLE_PARTICIPANT),
	  ANY_RANKS, "not-allowed", 0,
	  "9.8: moderator status cannot be revoked from a room owner or room "
	  "admin; not-allowed (9.7 likewise)" },
	{ ALL_AFFS, ALL_ROLES, ADMIN_UP, ALL_ROLES, ROLE(ROLE_MODERATOR),
	  ANY_RANKS, "not-allowed", 0,
	  "spec silent (admins and owners are moderators already, 5.1.2); "
	  "mucd: their role follows their affiliation" },
	{ ALL_AFFS, ALL_ROLES, ADMIN_UP, ALL_ROLES, ROLE(ROLE_NONE),
	  TARGET_ABOVE, "not-allowed", 0,
	  "8.2: a user cannot be kicked by a moderator with a lower "
	  "affiliation [...] MUST deny [...] not-allowed" },
	{ ALL_AFFS, ALL_ROLES, ADMIN_UP, ALL_ROLES, ROLE(ROLE_NONE),
	  TARGET_NOT_ABOVE, ALLOWED, DIVERGES,
	  "8.2 forbids only kicks by a lower affiliation, and 5.1.3's chart "
	  "has a moderator 'kicked by an admin or owner': an owner may kick "
	  "an admin or owner, an admin an admin" },
	{ BELOW_ADMIN, ROLE(ROLE_MODERATOR), ALL_AFFS, NOT_MODERATOR,
	  ROLE(ROLE_MODERATOR), ANY_RANKS, "forbidden", DIVERGES,
	  "9.6 grant moderator is an admin use case, and 9 intro: MUST be "
	  "denied if not one of the room admins; forbidden" },
	{ BELOW_ADMIN, ROLE(ROLE_MODERATOR), ALL_AFFS, ROLE(ROLE_MODERATOR),
	  ROLE(ROLE_PARTICIPANT), ANY_RANKS, "forbidden", DIVERGES,
	  "9.7 revoke moderator is an admin use case, and 9 intro: MUST be "
	  "denied if not one of the room admins; forbidden" },
	{ BELOW_ADMIN, ROLE(ROLE_MODERATOR), ALL_AFFS, ROLE(ROLE_MODERATOR),
	  ROLE(ROLE_NONE) | ROLE(ROLE_VISITOR) | ROLE(ROLE_MODERATOR),
	  ANY_RANKS, "not-allowed", 0,
	  "5.1.3 chart: a moderator is kicked or made a visitor by an admin "
	  "or owner (no condition named; mucd: not-allowed)" },
	{ ALL_AFFS, ALL_ROLES, ALL_AFFS, ALL_ROLES, ALL_ROLES,
	  TARGET_ABOVE, "not-allowed", 0,
	  "8.2: cannot be kicked by a moderator with a lower affiliation; "
	  "8.5: voice cannot be revoked from any user with a higher "
	  "affiliation than the moderator; not-allowed" },
	{ ALL_AFFS, ALL_ROLES, ALL_AFFS, ALL_ROLES, ALL_ROLES,
	  ANY_RANKS, ALLOWED, 0,
	  "5.1.1: moderators kick participants and visitors and grant and "
	  "revoke voice; 5.2.1: admins and owners assign and remove the "
	  "moderator role" },
};

/* permission_affiliation(actor_aff, target_aff, new_aff) */
struct aff_rule {
	unsigned	 actor_aff, target_aff, new_aff;
	const char	*expect;
	int		 diverges;
	const char	*why;
};

static const struct aff_rule aff_rules[] = {
	{ BELOW_ADMIN, ALL_AFFS, ALL_AFFS, "forbidden", 0,
	  "9 intro: admin requests MUST be denied if not one of the room "
	  "admins; forbidden (5.2.1: members edit no list)" },
	{ AFF(AFF_OWNER), ALL_AFFS, ALL_AFFS, ALLOWED, 0,
	  "5.2.1: owners edit the member, admin and owner lists; 5.2.2 chart: "
	  "every change is 'owner ...' (the last owner: conflict, admin.c)" },
	{ AFF(AFF_ADMIN), AFF(AFF_OWNER), AFF(AFF_OUTCAST), "not-allowed", 0,
	  "9.1: if an admin attempts to ban an owner, the service MUST deny "
	  "the request and return a not-allowed error" },
	{ AFF(AFF_ADMIN), AFF(AFF_ADMIN), AFF(AFF_OUTCAST), "not-allowed", 0,
	  "5.2.2 chart: only an owner applies a ban to an admin; 9.2: SHOULD "
	  "be either conflict or not-allowed" },
	{ AFF(AFF_ADMIN), AFF(AFF_OWNER), ALL_AFFS & ~AFF(AFF_OUTCAST),
	  "forbidden", DIVERGES,
	  "10.4 revoking owner status, 10.5 the owner list: if the from does "
	  "not match the bare JID of a room owner, MUST return forbidden" },
	{ AFF(AFF_ADMIN), AFF(AFF_ADMIN), ALL_AFFS & ~AFF(AFF_OUTCAST),
	  "forbidden", DIVERGES,
	  "10.7 revoking admin status, 10.8 the admin list (10.3 granting "
	  "owner): only an owner; MUST return forbidden" },
	{ AFF(AFF_ADMIN), BELOW_ADMIN, ADMIN_UP, "forbidden", DIVERGES,
	  "10.3 granting owner, 10.6 granting admin status: if the from does "
	  "not match the bare JID of a room owner, MUST return forbidden" },
	{ AFF(AFF_ADMIN), BELOW_ADMIN, BELOW_ADMIN, ALLOWED, 0,
	  "9.1 ban, 9.2 ban list, 9.3/9.4 grant/revoke membership, 9.5 member "
	  "list: admins may" },
};

static const struct role_rule *
role_rule_for(int aa, int ar, int ta, int tr, int nr)
{
	const struct role_rule	*r;
	size_t			 i;

	for (i = 0; i < UT_NELEM(role_rules); i++) {
		r = &role_rules[i];
		if (!(r->actor_aff & AFF(aa)) || !(r->actor_role & ROLE(ar)) ||
		    !(r->target_aff & AFF(ta)) || !(r->target_role & ROLE(tr)) ||
		    !(r->new_role & ROLE(nr)))
			continue;
		if ((r->rel == TARGET_ABOVE && !(ta > aa)) ||
		    (r->rel == TARGET_NOT_ABOVE && ta > aa))
			continue;
		return r;
	}
	return NULL;
}

static const struct aff_rule *
aff_rule_for(int aa, int ta, int na)
{
	size_t	i;

	for (i = 0; i < UT_NELEM(aff_rules); i++)
		if ((aff_rules[i].actor_aff & AFF(aa)) &&
		    (aff_rules[i].target_aff & AFF(ta)) &&
		    (aff_rules[i].new_aff & AFF(na)))
			return &aff_rules[i];
	return NULL;
}

static int
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* Check every role cell whose rule's `diverges` equals want_diverges.
 * OUT: *nchecked, *nbad. */
static void
role_cells(int want_diverges, int *nchecked, int *nbad)
{
	const struct role_rule	*r;
	const char		*got;
	int			 aa, ar, ta, tr, nr;

	*nchecked = *nbad = 0;
	for (aa = 0; aa < NAFF; aa++)
	for (ar = 0; ar < NROLE; ar++)
	for (ta = 0; ta < NAFF; ta++)
	for (tr = 0; tr < NROLE; tr++)
	for (nr = 0; nr < NROLE; nr++) {
		if ((r = role_rule_for(aa, ar, ta, tr, nr)) == NULL) {
			ut_fail(__FILE__, __LINE__, "no rule for a cell");
			(*nbad)++;
			continue;
		}
		if (r->diverges != want_diverges)
			continue;
		(*nchecked)++;
		got = permission_role(aa, ar, ta, tr, nr);
		if (same(got, r->expect))
			continue;
		if (*nbad == 0)
			ut_fail(__FILE__, __LINE__, "actor %s/%s sets target "
			    "%s/%s to %s: got %s, expected %s (%s)",
			    affiliation_name(aa), role_name(ar),
			    affiliation_name(ta), role_name(tr), role_name(nr),
			    got ? got : "allowed",
			    r->expect ? r->expect : "allowed", r->why);
		(*nbad)++;
	}
}

static void
aff_cells(int want_diverges, int *nchecked, int *nbad)
{
	const struct aff_rule	*r;
	const char		*got;
	int			 aa, ta, na;

	*nchecked = *nbad = 0;
	for (aa = 0; aa < NAFF; aa++)
	for (ta = 0; ta < NAFF; ta++)
	for (na = 0; na < NAFF; na++) {
		if ((r = aff_rule_for(aa, ta, na)) == NULL) {
			ut_fail(__FILE__, __LINE__, "no rule for a cell");
			(*nbad)++;
			continue;
		}
		if (r->diverges != want_diverges)
			continue;
		(*nchecked)++;
		got = permission_affiliation(aa, ta, na);
		if (same(got, r->expect))
			continue;
		if (*nbad == 0)
			ut_fail(__FILE__, __LINE__, "%s sets %s to %s: got %s, "
			    "expected %s (%s)", affiliation_name(aa),
			    affiliation_name(ta), affiliation_name(na),
			    got ? got : "allowed",
			    r->expect ? r->expect : "allowed", r->why);
		(*nbad)++;
	}
}

/* 5 x 4 x 5 x 4 x 4 = 1600 role cells.  mucd diverges in 84 of them:
 * 48 kicks of an admin or owner by an equal or higher affiliation (3 rank
 * pairs x 4 actor roles x 4 target roles), 27 grants of moderator by a
 * moderator below admin (3 actor affs x 3 target affs below admin x 3
 * target roles), 9 revocations of moderator by one (3 x 3).  Of the 125
 * affiliation cells 14 diverge, all with an admin acting: 4 on an owner,
 * 4 on an admin, 6 raising someone below admin to admin or owner. */
#define ROLE_CELLS		1600
#define ROLE_CELLS_DIVERGING	84
#define AFF_CELLS		125
#define AFF_CELLS_DIVERGING	14

static void
engine_permission_role_follows_the_xep0045_section5_table(void)
{
	int	checked, bad;

	role_cells(0, &checked, &bad);
	EXPECT_INT(bad, 0);
	EXPECT_INT(checked, ROLE_CELLS - ROLE_CELLS_DIVERGING);
}

static void
engine_permission_affiliation_follows_the_xep0045_section5_table(void)
{
	int	checked, bad;

	aff_cells(0, &checked, &bad);
	EXPECT_INT(bad, 0);
	EXPECT_INT(checked, AFF_CELLS - AFF_CELLS_DIVERGING);
}

/* Spot checks of the spec's own examples, so a broken table cannot hide a
 * broken rule. */
static void
engine_permission_spec_examples_get_their_spec_answers(void)
{
	/* 8.2 example: a member moderator kicks an admin: not-allowed. */
	EXPECT_STR(permission_role(AFF_MEMBER, ROLE_MODERATOR, AFF_ADMIN,
	    ROLE_MODERATOR, ROLE_NONE), "not-allowed");
	/* 8.2: a moderator kicks a participant. */
	EXPECT_NULL(permission_role(AFF_NONE, ROLE_MODERATOR, AFF_NONE,
	    ROLE_PARTICIPANT, ROLE_NONE));
	/* 8.3: a moderator grants voice to a visitor. */
	EXPECT_NULL(permission_role(AFF_NONE, ROLE_MODERATOR, AFF_NONE,
	    ROLE_VISITOR, ROLE_PARTICIPANT));
	/* 8.4: nobody revokes an owner's voice, not even an owner. */
	EXPECT_STR(permission_role(AFF_OWNER, ROLE_MODERATOR, AFF_OWNER,
	    ROLE_MODERATOR, ROLE_VISITOR), "not-allowed");
	/* 9.6: an admin grants moderator status to a participant. */
	EXPECT_NULL(permission_role(AFF_ADMIN, ROLE_MODERATOR, AFF_MEMBER,
	    ROLE_PARTICIPANT, ROLE_MODERATOR));
	/* 9.7: an admin revokes it from an unaffiliated moderator. */
	EXPECT_NULL(permission_role(AFF_ADMIN, ROLE_MODERATOR, AFF_NONE,
	    ROLE_MODERATOR, ROLE_PARTICIPANT));
	/* 9.7: but not from an admin. */
	EXPECT_STR(permission_role(AFF_OWNER, ROLE_MODERATOR, AFF_ADMIN,
	    ROLE_MODERATOR, ROLE_PARTICIPANT), "not-allowed");
	/* A participant kicks nobody. */
	EXPECT_STR(permission_role(AFF_MEMBER, ROLE_PARTICIPANT, AFF_NONE,
	    ROLE_VISITOR, ROLE_NONE), "forbidden");
	/* 9.1: an admin bans a member; an admin banning an owner is
	 * not-allowed. */
	EXPECT_NULL(permission_affiliation(AFF_ADMIN, AFF_MEMBER, AFF_OUTCAST));
	EXPECT_STR(permission_affiliation(AFF_ADMIN, AFF_OWNER, AFF_OUTCAST),
	    "not-allowed");
	/* 9.3: an admin grants membership; a member grants nothing. */
	EXPECT_NULL(permission_affiliation(AFF_ADMIN, AFF_NONE, AFF_MEMBER));
	EXPECT_STR(permission_affiliation(AFF_MEMBER, AFF_NONE, AFF_MEMBER),
	    "forbidden");
	/* 10.3, 10.6: an owner grants owner and admin status. */
	EXPECT_NULL(permission_affiliation(AFF_OWNER, AFF_NONE, AFF_OWNER));
	EXPECT_NULL(permission_affiliation(AFF_OWNER, AFF_MEMBER, AFF_ADMIN));
	/* 10.4: an owner revokes another owner. */
	EXPECT_NULL(permission_affiliation(AFF_OWNER, AFF_OWNER, AFF_NONE));
}

/* Who reads which list.  permission_list_affiliation(actor, list): the
 * ban and member lists are admin requests (9.2, 9.5); the admin and owner
 * lists are owner requests ("MUST return a forbidden error to the sender
 * in semi-anonymous rooms", 10.5, 10.8).  "none" is no list (admin.c
 * refuses it before asking), so it is not in the table. */
static const struct {
	enum muc_affiliation	 actor, list;
	int			 expect;
	int			 diverges;
} list_cells[] = {
	{ AFF_OUTCAST, AFF_OUTCAST, 0, 0 }, { AFF_NONE, AFF_OUTCAST, 0, 0 },
	{ AFF_MEMBER, AFF_OUTCAST, 0, 0 }, { AFF_ADMIN, AFF_OUTCAST, 1, 0 },
	{ AFF_OWNER, AFF_OUTCAST, 1, 0 },
	/* 5.2.1 ***: members SHOULD NOT get the member list of a
	 * semi-anonymous room, the default. */
	{ AFF_OUTCAST, AFF_MEMBER, 0, 0 }, { AFF_NONE, AFF_MEMBER, 0, 0 },
	{ AFF_MEMBER, AFF_MEMBER, 0, 0 }, { AFF_ADMIN, AFF_MEMBER, 1, 0 },
	{ AFF_OWNER, AFF_MEMBER, 1, 0 },
	{ AFF_OUTCAST, AFF_ADMIN, 0, 0 }, { AFF_NONE, AFF_ADMIN, 0, 0 },
	{ AFF_MEMBER, AFF_ADMIN, 0, 0 }, { AFF_ADMIN, AFF_ADMIN, 0, DIVERGES },
	{ AFF_OWNER, AFF_ADMIN, 1, 0 },
	{ AFF_OUTCAST, AFF_OWNER, 0, 0 }, { AFF_NONE, AFF_OWNER, 0, 0 },
	{ AFF_MEMBER, AFF_OWNER, 0, 0 }, { AFF_ADMIN, AFF_OWNER, 0, DIVERGES },
	{ AFF_OWNER, AFF_OWNER, 1, 0 },
};

static int
list_cells_check(int want_diverges)
{
	size_t	i;
	int	n = 0, got;

	for (i = 0; i < UT_NELEM(list_cells); i++) {
		if (list_cells[i].diverges != want_diverges)
			continue;
		got = permission_list_affiliation(list_cells[i].actor,
		    list_cells[i].list);
		if ((got != 0) != list_cells[i].expect) {
			ut_fail(__FILE__, __LINE__, "%s reading the %s list: "
			    "got %d, expected %d",
			    affiliation_name(list_cells[i].actor),
			    affiliation_name(list_cells[i].list), got,
			    list_cells[i].expect);
			return -1;
		}
		n++;
	}
	return n;
}

static void
engine_permission_lists_are_read_by_the_ranks_the_spec_names(void)
{
	EXPECT_INT(list_cells_check(0), 18);
	/* 8.5 the voice list, 9.8 the moderator list: moderators ask. */
	EXPECT_INT(permission_list_role(ROLE_NONE), 0);
	EXPECT_INT(permission_list_role(ROLE_VISITOR), 0);
	EXPECT_INT(permission_list_role(ROLE_PARTICIPANT), 0);
	EXPECT_INT(permission_list_role(ROLE_MODERATOR), 1);
}

/* Regression tests: cells where mucd once answered otherwise than the spec. */
static void
engine_permission_role_spec_cells_where_mucd_diverges(void)
{
	int	checked, bad;

	role_cells(DIVERGES, &checked, &bad);
	EXPECT_INT(checked, ROLE_CELLS_DIVERGING);
	EXPECT_INT(bad, 0);
}

static void
engine_permission_affiliation_spec_cells_where_mucd_diverges(void)
{
	int	checked, bad;

	aff_cells(DIVERGES, &checked, &bad);
	EXPECT_INT(checked, AFF_CELLS_DIVERGING);
	EXPECT_INT(bad, 0);
}

static void
engine_permission_admin_reads_owner_and_admin_lists_in_spec_cells(void)
{
	EXPECT_INT(list_cells_check(DIVERGES), 2);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_permission_role_follows_the_xep0045_section5_table),
	UT_CASE(engine_permission_affiliation_follows_the_xep0045_section5_table),
	UT_CASE(engine_permission_spec_examples_get_their_spec_answers),
	UT_CASE(engine_permission_lists_are_read_by_the_ranks_the_spec_names),
	UT_CASE(engine_permission_role_spec_cells_where_mucd_diverges),
	UT_CASE(engine_permission_affiliation_spec_cells_where_mucd_diverges),
	UT_CASE(engine_permission_admin_reads_owner_and_admin_lists_in_spec_cells),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
