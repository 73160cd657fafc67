/*
 * test_limits.c - rate limits (lib/limits.c, checked by lib/service.c):
 * messages and presence changes per occupant, joins and room creations
 * per user.  A stanza over its limit gets <policy-violation/> of type
 * wait with a text, nothing else happens, and the rest of the room sees
 * nothing.  The fixture's clock stands still unless a case moves it, so
 * buckets refill only when the case says so.
 */
#include <stdio.h>
#include <string.h>

#include "engine_fixture.h"
#include "room.h"

static struct fx *
fx_limited(unsigned msg_rate, unsigned msg_burst, unsigned presence_rate,
    unsigned presence_burst, unsigned join_rate, unsigned create_rate)
{
	struct muc_service_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.msg_rate = msg_rate;
	cfg.msg_burst = msg_burst;
	cfg.presence_rate = presence_rate;
	cfg.presence_burst = presence_burst;
	cfg.join_rate = join_rate;
	cfg.create_rate = create_rate;
	return fx_new_cfg(&cfg, NULL);
}

/* Is the only copy of the last send an error to `to` of this condition
 * and type, with a text? */
static int
refused(struct fx *f, const char *to, const char *cond, const char *type)
{
	xmpp_stanza_t	*e = fx_get(f, to, NULL, 0);
	const char	*t = fx_attr(e, "type");

	return f->ncopies == 1 && t != NULL && strcmp(t, "error") == 0 &&
	    fx_error(e) != NULL && strcmp(fx_error(e), cond) == 0 &&
	    fx_error_type(e) != NULL && strcmp(fx_error_type(e), type) == 0 &&
	    fx_child(fx_child(e, "error", NULL), "text", NS_STANZA_ERR) != NULL;
}

static int
say(struct fx *f, const char *from, const char *body)
{
	return fx_send(f, "<message from='%s' to='" FX_ROOM "' "
	    "type='groupchat'><body>%s</body></message>", from, body);
}

/* Romeo may send msg_burst messages at once, then msg_rate a second;
 * the one over is refused to him alone and kept by nobody. */
static void
engine_limits_messages_over_the_burst_are_refused_with_policy_violation(void)
{
	struct fx	*f = fx_limited(1, 3, 0, 0, 0, 0);
	struct muc_stats stats;
	int		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	for (i = 0; i < 3; i++)
		EXPECT(say(f, ROMEO, "hello") == 2);
	EXPECT(say(f, ROMEO, "one too many") == 1);
	EXPECT(refused(f, ROMEO, "policy-violation", "wait"));
	EXPECT_INT(fx_count(f, JULIET, NULL), 0);
	muc_stats(f->svc, &stats);
	EXPECT_INT(stats.limit_hits, 1);	/* the metrics count it */
	/* Juliet's own bucket is hers. */
	EXPECT(say(f, JULIET, "hi") == 2);
	/* A second later one more token. */
	fx_now += 1;
	EXPECT(say(f, ROMEO, "again") == 2);
	EXPECT(say(f, ROMEO, "and again") == 1);
	EXPECT(refused(f, ROMEO, "policy-violation", "wait"));
	/* The history holds what was relayed, not what was refused. */
	EXPECT(fx_join(f, NURSE, "room", "Nurse") == 0);
	EXPECT_INT(fx_count(f, NURSE, "message"), 5 + 1);	/* + subject */
}

/* Presence changes have a bucket of their own: a flood of status
 * updates is refused, the occupant stays, and messages still pass. */
static void
engine_limits_presence_changes_over_the_burst_are_refused(void)
{
	struct fx	*f = fx_limited(0, 0, 1, 2, 0, 0);
	int		 i;

	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_join(f, JULIET, "room", "Juliet") == 0);
	for (i = 0; i < 2; i++)
		EXPECT(fx_send(f, "<presence from='" JULIET "' to='"
		    FX_ROOM "/Juliet'><show>away</show></presence>") == 2);
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM
	    "/Juliet'><show>dnd</show></presence>") == 1);
	EXPECT(refused(f, JULIET, "policy-violation", "wait"));
	/* A nick change is a presence change too. */
	EXPECT(fx_send(f, "<presence from='" JULIET "' to='" FX_ROOM
	    "/Jules'/>") == 1);
	EXPECT(refused(f, JULIET, "policy-violation", "wait"));
	/* Leaving is never refused; messages have their own bucket. */
	EXPECT(say(f, JULIET, "still here") == 2);
	EXPECT(fx_leave(f, JULIET, "room") == 0);
	EXPECT(fx_get(f, ROMEO, "presence", 0) != NULL);
}

/* Joins are counted per user (bare JID) across rooms and clients. */
static void
engine_limits_joins_per_minute_are_counted_per_user(void)
{
	struct fx	*f = fx_limited(0, 0, 0, 0, 2, 0);

	EXPECT(fx_create(f, ROMEO, "a", "Romeo") == 0);
	EXPECT(fx_create(f, ROMEO, "b", "Romeo") == 0);
	EXPECT(fx_send(f, "<presence from='romeo@montague.lit/phone' to='c@"
	    FX_DOMAIN "/Romeo'><x xmlns='" NS_MUC_X "'/></presence>") == 1);
	EXPECT(refused(f, "romeo@montague.lit/phone", "policy-violation",
	    "wait"));
	/* No room was made for the refused join. */
	EXPECT(fx_send(f, "<iq from='" JULIET "' to='c@" FX_DOMAIN "' "
	    "type='get' id='i'><query xmlns='http://jabber.org/protocol/"
	    "disco#info'/></iq>") == 1);
	EXPECT_STR(fx_error(fx_get(f, JULIET, "iq", 0)), "item-not-found");
	/* Another user is not affected. */
	EXPECT(fx_join(f, JULIET, "a", "Juliet") == 0);
	EXPECT(fx_get(f, JULIET, "presence", 0) != NULL);
	/* Half a minute gives Romeo one join back. */
	fx_now += 30;
	EXPECT(fx_join(f, "romeo@montague.lit/tablet", "a", "Romeo2") == 0);
	EXPECT(fx_get(f, "romeo@montague.lit/tablet", "presence", 0) != NULL);
	EXPECT(fx_join(f, "romeo@montague.lit/tablet", "b", "Romeo2") == 0);
	EXPECT(refused(f, "romeo@montague.lit/tablet", "policy-violation",
	    "wait"));
}

/* Creating a room takes a token from the creation bucket too; entering
 * a room that exists does not. */
static void
engine_limits_room_creations_per_minute_are_counted_per_user(void)
{
	struct fx	*f = fx_limited(0, 0, 0, 0, 0, 1);

	EXPECT(fx_create(f, ROMEO, "first", "Romeo") == 0);
	EXPECT(fx_join(f, ROMEO, "second", "Romeo") == 0);
	EXPECT(refused(f, ROMEO, "policy-violation", "wait"));
	EXPECT(fx_create(f, JULIET, "hers", "Juliet") == 0);
	EXPECT(fx_join(f, ROMEO, "hers", "Romeo") == 0);
	EXPECT(fx_get(f, ROMEO, "presence", 0) != NULL);
	fx_now += 60;
	EXPECT(fx_create(f, ROMEO, "second", "Romeo") == 0);
}

/* Service admins are never limited. */
static void
engine_limits_do_not_apply_to_service_admins(void)
{
	static const char *const	admins[] = { ROMEO_BARE };
	struct muc_service_config	cfg;
	struct fx			*f;
	int				i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.admins = admins;
	cfg.nadmins = 1;
	cfg.msg_rate = 1;
	cfg.create_rate = 1;
	f = fx_new_cfg(&cfg, NULL);
	EXPECT(fx_create(f, ROMEO, "room", "Romeo") == 0);
	EXPECT(fx_create(f, ROMEO, "b", "Romeo") == 0);
	for (i = 0; i < 5; i++) {
		EXPECT(say(f, ROMEO, "hello") == 1);
		EXPECT_STR(fx_attr(fx_get(f, ROMEO, NULL, 0), "type"),
		    "groupchat");
	}
}

/* A user's entry goes once its buckets are full again; an occupant's
 * buckets go with the occupant. */
static void
engine_limits_idle_users_are_forgotten_by_the_tick(void)
{
	struct fx	*f = fx_limited(0, 0, 0, 0, 10, 10);

	EXPECT(fx_create(f, ROMEO, "a", "Romeo") == 0);
	fx_now += 10;
	EXPECT(fx_create(f, JULIET, "b", "Juliet") == 0);
	EXPECT_INT(limits_users(&f->svc->limits), 2);
	fx_now += 55;
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(limits_users(&f->svc->limits), 1);	/* Romeo's went */
	fx_now += 10;
	EXPECT(fx_tick(f) >= 0);
	EXPECT_INT(limits_users(&f->svc->limits), 0);
}

static const struct ut_case cases[] = {
	UT_CASE(engine_limits_messages_over_the_burst_are_refused_with_policy_violation),
	UT_CASE(engine_limits_presence_changes_over_the_burst_are_refused),
	UT_CASE(engine_limits_joins_per_minute_are_counted_per_user),
	UT_CASE(engine_limits_room_creations_per_minute_are_counted_per_user),
	UT_CASE(engine_limits_do_not_apply_to_service_admins),
	UT_CASE(engine_limits_idle_users_are_forgotten_by_the_tick),
};

int
main(int argc, char *argv[])
{
	return ut_main(argc, argv, cases, UT_NELEM(cases), NULL, 0);
}
