/* SPDX-License-Identifier: MIT */
/*
 * The group protocol core on a virtual clock and an in-memory network:
 * election and hand-over, offers and their expiry (fallback pushed by the
 * master), member loss under each offline strategy, group size, identify,
 * rebuild, and the messages that must be refused (other group, malformed,
 * offers from a charger that is not the master), the replay window and the
 * settings cross-checks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/group.h"
#include "vclock.h"

#define MAXN 6

struct net {
	int n;
	struct group g[MAXN];
	bool up[MAXN]; /* running and connected */
	bool wants[MAXN];
	double max_a[MAXN];
	int64_t plugged_at[MAXN]; /* 0: the node's tick time is its arrival */
	int64_t now;
};

static struct group_cfg cfg_of(const char *id, enum group_mode m)
{
	struct group_cfg c;
	memset(&c, 0, sizeof c);
	c.mode = m;
	snprintf(c.group_id, sizeof c.group_id, "site-a");
	snprintf(c.self_id, sizeof c.self_id, "%s", id);
	c.limit_a = 60;
	c.balancing = GB_STATIC;
	c.policy = LM_UNIFORM;
	c.fallback_a = 6;
	c.offline = LM_OFF_OFFLINE_OFFLINE;
	c.offline_reserved_a = 10;
	c.announce_ms = 1000;
	c.validity_ms = 3000;
	c.timeout_ms = 3000;
	return c;
}

static void net_init(struct net *nw, int n, const char *const *ids, const enum group_mode *modes)
{
	memset(nw, 0, sizeof *nw);
	nw->n = n;
	for (int i = 0; i < n; i++) {
		struct group_cfg c = cfg_of(ids[i], modes[i]);
		group_init(&nw->g[i], &c, 0);
		nw->up[i] = true;
		nw->max_a[i] = 32;
	}
}

static void deliver(struct net *nw, int from, const struct group_out *o)
{
	for (int m = 0; m < o->n; m++)
		for (int j = 0; j < nw->n; j++) {
			if (j == from || !nw->up[j])
				continue;
			char why[200];
			enum group_rx r = group_receive(&nw->g[j], nw->now, o->text[m], o->len[m],
							why, sizeof why);
			if (r != GROUP_RX_OK && r != GROUP_RX_IDENTIFY)
				fail_msg("node %d refused a message of node %d (%d: %s): %.*s", j,
					 from, r, why, (int)o->len[m], o->text[m]);
		}
}

/* Every running node refreshes its state and ticks; then 100 ms pass. */
static void step(struct net *nw)
{
	for (int i = 0; i < nw->n; i++) {
		if (!nw->up[i])
			continue;
		struct group_conn c = {.id = 1,
				       .phases = 1u,
				       .max_a = nw->max_a[i],
				       .wants = nw->wants[i],
				       .arrival = nw->plugged_at[i]};
		group_set_self(&nw->g[i], nw->now, &c, 1);
		struct group_out out;
		group_tick(&nw->g[i], nw->now, NULL, &out);
		deliver(nw, i, &out);
	}
	nw->now += 100;
}

static void run_for(struct net *nw, int64_t ms)
{
	int64_t until = nw->now + ms;
	while (nw->now < until)
		step(nw);
}

static void expect_master(struct net *nw, const char *id)
{
	for (int i = 0; i < nw->n; i++)
		if (nw->up[i] && strcmp(nw->g[i].master, id) != 0)
			fail_msg("node %s sees master '%s', expected '%s'", nw->g[i].cfg.self_id,
				 nw->g[i].master, id);
}

static void expect_limit(struct net *nw, int i, double want)
{
	double got = group_conn_limit(&nw->g[i], nw->now, 0);
	if (fabs(got - want) > 1e-6)
		fail_msg("t=%lld: node %s may draw %.3f A, expected %.3f A (offer %s)",
			 (long long)nw->now, nw->g[i].cfg.self_id, got, want,
			 group_offer_valid(&nw->g[i], nw->now) ? "valid" : "expired");
}

static const char *const abc[] = {"C", "A", "B", "D", "E"};
static const enum group_mode autos[] = {GM_AUTO, GM_AUTO, GM_AUTO, GM_AUTO, GM_AUTO};

static void election_lowest_reachable_auto_id(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	run_for(&nw, 500);
	expect_master(&nw, "A");
	assert_true(group_is_master(&nw.g[1]));
	assert_false(group_is_master(&nw.g[0]));
}

static void forced_master_wins_and_members_never_lead(void **state)
{
	(void)state;
	static const enum group_mode modes[] = {GM_MASTER, GM_AUTO, GM_MEMBER};
	struct net nw;
	net_init(&nw, 3, abc, modes);
	run_for(&nw, 500);
	expect_master(&nw, "C");
	/* Only members: nobody leads, everybody on the fallback. */
	static const enum group_mode members[] = {GM_MEMBER, GM_MEMBER, GM_MEMBER};
	net_init(&nw, 3, abc, members);
	nw.wants[0] = nw.wants[1] = true;
	run_for(&nw, 5000);
	expect_master(&nw, "");
	expect_limit(&nw, 0, 6);
	expect_limit(&nw, 1, 6);
}

static void handover_when_a_lower_id_appears(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	nw.up[1] = false; /* A not there yet */
	nw.wants[0] = nw.wants[2] = true;
	run_for(&nw, 1000);
	expect_master(&nw, "B");
	expect_limit(&nw, 0, 30);
	nw.up[1] = true;
	run_for(&nw, 1500);
	expect_master(&nw, "A");
	assert_false(group_is_master(&nw.g[2]));
	expect_limit(&nw, 0, 30);
	expect_limit(&nw, 2, 30);
}

static void offers_follow_the_mq200_uniform_example(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	static const double want[3][3] = {{32, 0, 0}, {30, 30, 0}, {20, 20, 20}};
	for (int k = 0; k < 3; k++) {
		nw.wants[k] = true;
		run_for(&nw, 300);
		for (int i = 0; i < 3; i++)
			expect_limit(&nw, i, want[k][i]);
	}
}

static void master_lost_members_fall_back_then_a_new_master(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++)
		nw.wants[i] = true;
	/* The master pushes its fallback (10 A): members use it, not their own. */
	nw.g[1].cfg.fallback_a = 10;
	run_for(&nw, 1000);
	expect_limit(&nw, 0, 20);
	nw.up[1] = false; /* master A lost */
	/* The election of B waits for the member timeout (long here): the
	 * members hold the last offer, then fall back when it expires. */
	nw.g[2].cfg.timeout_ms = 60000;
	nw.g[0].cfg.timeout_ms = 60000;
	run_for(&nw, 100);
	expect_limit(&nw, 0, 20);
	run_for(&nw, 3000);
	expect_master(&nw, "A");
	expect_limit(&nw, 0, 10);
	expect_limit(&nw, 2, 10);
	nw.g[2].cfg.timeout_ms = 3000;
	nw.g[0].cfg.timeout_ms = 3000;
	run_for(&nw, 300);
	expect_master(&nw, "B");
	/* A offline: 10 A reserved for it (offline_offline); 50 A for two. */
	expect_limit(&nw, 0, 25);
	expect_limit(&nw, 2, 25);
}

static void member_loss_under_each_offline_strategy(void **state)
{
	(void)state;
	static const struct {
		enum lm_offline s;
		double want;
	} rows[] = {
	    {LM_OFF_ZERO_ALL, 0},
	    {LM_OFF_MIN_ALL, 6},
	    {LM_OFF_OFFLINE_ALL, 10},
	    {LM_OFF_OFFLINE_OFFLINE, 25},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct net nw;
		net_init(&nw, 3, abc, autos);
		for (int i = 0; i < 3; i++) {
			nw.wants[i] = true;
			nw.g[i].cfg.offline = rows[r].s;
		}
		run_for(&nw, 1000);
		expect_limit(&nw, 1, 20);
		nw.up[0] = false; /* member C lost */
		run_for(&nw, 3500);
		assert_false(nw.g[1].n[1].online);
		expect_limit(&nw, 1, rows[r].want);
		expect_limit(&nw, 2, rows[r].want);
		/* C is back: everybody shares again. */
		nw.up[0] = true;
		run_for(&nw, 1500);
		expect_limit(&nw, 0, 20);
		expect_limit(&nw, 1, 20);
	}
}

static void group_size_counts_absent_chargers_offline(void **state)
{
	(void)state;
	/* MQ200 example 3: five expected, three present, 80 A, 10 A each
	 * reserved for the two absent ones. */
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++) {
		nw.g[i].cfg.size = 5;
		nw.g[i].cfg.limit_a = 80;
	}
	static const double want[3][3] = {{32, 0, 0}, {30, 30, 0}, {20, 20, 20}};
	for (int k = 0; k < 3; k++) {
		nw.wants[k] = true;
		run_for(&nw, 300);
		for (int i = 0; i < 3; i++)
			expect_limit(&nw, i, want[k][i]);
	}
	/* Example B: first in, first served, 100 A. */
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++) {
		nw.g[i].cfg.size = 5;
		nw.g[i].cfg.limit_a = 100;
		nw.g[i].cfg.policy = LM_FIFS;
	}
	static const double fifs[3][3] = {{32, 0, 0}, {32, 32, 0}, {32, 32, 16}};
	for (int k = 0; k < 3; k++) {
		nw.wants[k] = true;
		run_for(&nw, 300);
		for (int i = 0; i < 3; i++)
			expect_limit(&nw, i, fifs[k][i]);
	}
}

static void identify_all_and_rebuild(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	run_for(&nw, 500);
	struct group_out out;
	group_identify(&nw.g[0], nw.now, true, &out);
	assert_int_equal(out.n, 1);
	deliver(&nw, 0, &out);
	for (int i = 0; i < 3; i++)
		assert_int_equal(nw.g[i].identify_until, nw.now + GROUP_IDENTIFY_MS);
	/* Only this one. */
	group_identify(&nw.g[1], nw.now + 1, false, &out);
	assert_int_equal(out.n, 0);
	assert_int_equal(nw.g[1].identify_until, nw.now + 1 + GROUP_IDENTIFY_MS);
	/* Rebuild forgets, the next announcements bring everybody back. */
	group_rebuild(&nw.g[2], nw.now);
	assert_int_equal(nw.g[2].count, 1);
	run_for(&nw, 1100);
	assert_int_equal(nw.g[2].count, 3);
	expect_master(&nw, "A");
}

static enum group_rx rx(struct group *g, const char *text)
{
	char why[200];
	return group_receive(g, 0, text, strlen(text), why, sizeof why);
}

static void other_group_and_malformed_messages_change_nothing(void **state)
{
	(void)state;
	struct group g;
	struct group_cfg c = cfg_of("A", GM_AUTO);
	group_init(&g, &c, 0);
	assert_int_equal(rx(&g, "{\"v\":1,\"t\":\"state\",\"g\":\"site-b\",\"from\":\"B\","
				"\"mode\":\"auto\",\"c\":[]}"),
			 GROUP_RX_OTHER_GROUP);
	static const char *const bad[] = {
	    "",
	    "[]",
	    "not json",
	    "{\"v\":2,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\",\"c\":[]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B "
	    "b\",\"mode\":\"auto\",\"c\":[]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"off\",\"c\":[]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\"}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[1,1,32,true,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[5,1,32,true,0,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[1,8,32,true,0,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[1,1,1e9,true,0,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[1,1,32,1,0,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[2,1,32,true,0,0,0,0],[1,1,32,true,0,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"mode\":\"auto\","
	    "\"c\":[[1,1,32,true,-5,0,0,0]]}",
	    "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"B\",\"from\":\"C\","
	    "\"mode\":\"auto\",\"c\":[]}",
	    "{\"v\":1,\"t\":\"offer\",\"g\":\"site-a\",\"from\":\"B\",\"seq\":1,\"valid\":50,"
	    "\"fb\":6,\"o\":[]}",
	    "{\"v\":1,\"t\":\"offer\",\"g\":\"site-a\",\"from\":\"B\",\"seq\":1,\"valid\":3000,"
	    "\"fb\":3,\"o\":[]}",
	    "{\"v\":1,\"t\":\"offer\",\"g\":\"site-a\",\"from\":\"B\",\"seq\":1,\"valid\":3000,"
	    "\"fb\":6,\"o\":[[\"A\",1,-1]]}",
	    "{\"v\":1,\"t\":\"identify\",\"g\":\"site-a\",\"from\":\"B\",\"to\":\"x y\"}",
	    "{\"v\":1,\"t\":\"hello\",\"g\":\"site-a\",\"from\":\"B\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum group_rx r = rx(&g, bad[i]);
		if (r != GROUP_RX_MALFORMED)
			fail_msg("accepted (%d): %s", r, bad[i]);
		assert_int_equal(g.count, 1);
		assert_false(group_offer_valid(&g, 0));
	}
	/* Too long. */
	static char big[GROUP_MSG_MAX + 10];
	memset(big, ' ', sizeof big);
	char why[200];
	assert_int_equal(group_receive(&g, 0, big, sizeof big, why, sizeof why),
			 GROUP_RX_MALFORMED);
	/* Our own message looped back. */
	assert_int_equal(rx(&g, "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"A\","
				"\"mode\":\"auto\",\"c\":[]}"),
			 GROUP_RX_SELF);
	assert_int_equal(g.count, 1);
}

static void offers_only_from_the_master(void **state)
{
	(void)state;
	/* B is a member; C (auto) is the master it knows. An offer from D,
	 * which it has never heard, changes nothing. */
	struct group g;
	struct group_cfg c = cfg_of("B", GM_MEMBER);
	group_init(&g, &c, 0);
	struct group_conn own = {.id = 1, .phases = 1u, .max_a = 32, .wants = true};
	group_set_self(&g, 0, &own, 1);
	assert_int_equal(rx(&g, "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"C\","
				"\"mode\":\"auto\",\"c\":[]}"),
			 GROUP_RX_OK);
	struct group_out out;
	group_tick(&g, 0, NULL, &out);
	assert_string_equal(g.master, "C");
	assert_int_equal(rx(&g, "{\"v\":1,\"t\":\"offer\",\"g\":\"site-a\",\"from\":\"D\","
				"\"seq\":1,\"valid\":3000,\"fb\":6,\"o\":[[\"B\",1,32]]}"),
			 GROUP_RX_OK);
	assert_false(group_offer_valid(&g, 0));
	assert_int_equal(rx(&g, "{\"v\":1,\"t\":\"offer\",\"g\":\"site-a\",\"from\":\"C\","
				"\"seq\":1,\"valid\":3000,\"fb\":8,\"o\":[[\"B\",1,16.5]]}"),
			 GROUP_RX_OK);
	assert_true(group_offer_valid(&g, 0));
	assert_true(fabs(group_conn_limit(&g, 100, 0) - 16.5) < 1e-9);
	/* Expired: the master's fallback. */
	assert_true(fabs(group_conn_limit(&g, 3000, 0) - 8) < 1e-9);
}

static void replay_window(void **state)
{
	(void)state;
	static struct group_replay r;
	memset(&r, 0, sizeof r);
	assert_true(group_replay_accept(&r, 7, 10, 1));
	assert_false(group_replay_accept(&r, 7, 10, 2)); /* replayed */
	assert_true(group_replay_accept(&r, 7, 12, 3));
	assert_true(group_replay_accept(&r, 7, 11, 4)); /* late, in the window */
	assert_false(group_replay_accept(&r, 7, 11, 5));
	assert_true(group_replay_accept(&r, 7, 200, 6));
	assert_false(group_replay_accept(&r, 7, 100, 7)); /* older than the window */
	assert_true(group_replay_accept(&r, 8, 1, 8));	  /* another sender */
	assert_false(group_replay_accept(&r, 8, 1, 9));
}

static void settings_cross_checks(void **state)
{
	(void)state;
	char err[200];
	struct group_cfg c = cfg_of("A", GM_AUTO);
	assert_true(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_false(group_cfg_check(&c, 15, false, err, sizeof err));
	assert_non_null(strstr(err, "group.key"));
	c.group_id[0] = '\0';
	assert_false(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_non_null(strstr(err, "group.id"));
	c = cfg_of("A", GM_MASTER);
	c.balancing = GB_DYNAMIC;
	assert_false(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_non_null(strstr(err, "group.balancing"));
	assert_true(group_cfg_check(&c, 16, true, err, sizeof err));
	c = cfg_of("A", GM_AUTO);
	c.validity_ms = c.announce_ms;
	assert_false(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_non_null(strstr(err, "group.offer_validity"));
	/* A silent charger may use its last offer until it expires: it may
	 * not be taken for offline (and its share handed out) before. */
	c = cfg_of("A", GM_AUTO);
	c.timeout_ms = c.validity_ms - 1;
	assert_false(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_non_null(strstr(err, "group.member_timeout"));
	/* An offline charger uses its fallback: offline_offline must reserve
	 * at least that. */
	c = cfg_of("A", GM_AUTO);
	c.offline_reserved_a = c.fallback_a - 1;
	assert_false(group_cfg_check(&c, 16, false, err, sizeof err));
	assert_non_null(strstr(err, "group.offline_reserved"));
	c.offline = LM_OFF_MIN_ALL;
	assert_true(group_cfg_check(&c, 16, false, err, sizeof err));
	c = cfg_of("A", GM_OFF);
	c.group_id[0] = '\0';
	assert_true(group_cfg_check(&c, 0, false, err, sizeof err));
}

static void dynamic_balancing_uses_the_site_reading(void **state)
{
	(void)state;
	struct group g;
	struct group_cfg c = cfg_of("A", GM_MASTER);
	c.balancing = GB_DYNAMIC;
	group_init(&g, &c, 0);
	struct group_conn own = {.id = 1, .phases = 7u, .max_a = 32, .wants = true};
	group_set_self(&g, 0, &own, 1);
	struct group_out out;
	const double other[3] = {40, 10, -20};
	group_tick(&g, 0, other, &out);
	/* 60 - 40 on L1 binds a three-phase connector; export never raises it. */
	assert_true(fabs(group_conn_limit(&g, 0, 0) - 20) < 1e-9);
}

static void deadlines_never_spin(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 2, abc, autos);
	run_for(&nw, 500);
	/* A settings change on a member: it has nothing to offer. */
	struct group_cfg c = nw.g[0].cfg;
	c.limit_a = 40;
	group_reconfigure(&nw.g[0], &c, nw.now);
	struct group_out out;
	group_tick(&nw.g[0], nw.now, NULL, &out);
	assert_true(group_next_deadline(&nw.g[0], nw.now) > nw.now);
	/* On the master: one offer at once, then the next announcement. */
	c = nw.g[1].cfg;
	c.limit_a = 40;
	group_reconfigure(&nw.g[1], &c, nw.now);
	assert_true(group_next_deadline(&nw.g[1], nw.now) == nw.now);
	group_tick(&nw.g[1], nw.now, NULL, &out);
	assert_int_equal(out.n, 1);
	assert_true(group_next_deadline(&nw.g[1], nw.now) > nw.now);
}

/* Dynamic balancing with no reading of the site meter (it stopped
 * answering): every EV at most the minimum, never the whole group limit. */
static void dynamic_without_a_reading_is_the_minimum(void **state)
{
	(void)state;
	struct group g;
	struct group_cfg c = cfg_of("A", GM_MASTER);
	c.balancing = GB_DYNAMIC;
	group_init(&g, &c, 0);
	struct group_conn own = {.id = 1, .phases = 7u, .max_a = 32, .wants = true};
	group_set_self(&g, 0, &own, 1);
	struct group_out out;
	group_tick(&g, 0, NULL, &out);
	assert_true(fabs(group_conn_limit(&g, 0, 0) - 6) < 1e-9);
	const double other[3] = {0, 0, 0};
	group_tick(&g, 1000, other, &out);
	assert_true(fabs(group_conn_limit(&g, 1000, 0) - 32) < 1e-9);
}

/* A member that goes silent keeps what it was offered until it is offline:
 * the master does not hand its share to the others meanwhile (the member
 * still draws it until its offer expires). */
static void a_silent_member_keeps_its_share_until_offline(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++) {
		nw.wants[i] = true;
		nw.g[i].cfg.limit_a = 60;
	}
	run_for(&nw, 1000);
	expect_limit(&nw, 1, 20);
	nw.up[0] = false; /* C is silent */
	/* Until the master takes it for offline, A and B stay at 20 A: C's
	 * 20 A is held for it. */
	const struct group_node *c_seen = NULL;
	for (int i = 0; i < nw.g[1].count; i++)
		if (strcmp(nw.g[1].n[i].id, "C") == 0)
			c_seen = &nw.g[1].n[i];
	assert_non_null(c_seen);
	int steps = 0;
	while (c_seen->online) {
		expect_limit(&nw, 1, 20);
		expect_limit(&nw, 2, 20);
		step(&nw);
		assert_true(++steps < 50);
	}
	assert_true(steps >= 15); /* it was silent a while before that */
	/* Offline: offline_offline reserves 10 A for it; 25 A each. */
	run_for(&nw, 1000);
	expect_limit(&nw, 1, 25);
	expect_limit(&nw, 2, 25);
}

/* Without a valid offer a charger's fallback is the charger's as a whole:
 * two EVs share it, or the first has it all when a share would be under
 * 6 A. */
static void the_fallback_is_shared_by_the_connectors(void **state)
{
	(void)state;
	struct group g;
	struct group_cfg c = cfg_of("A", GM_MEMBER);
	c.fallback_a = 16;
	group_init(&g, &c, 0);
	struct group_conn two[2] = {{.id = 1, .phases = 7u, .max_a = 32, .wants = true},
				    {.id = 2, .phases = 7u, .max_a = 32, .wants = true}};
	group_set_self(&g, 0, two, 2);
	assert_true(fabs(group_conn_limit(&g, 0, 0) - 8) < 1e-9);
	assert_true(fabs(group_conn_limit(&g, 0, 1) - 8) < 1e-9);
	g.fallback_a = 10;
	assert_true(fabs(group_conn_limit(&g, 0, 0) - 10) < 1e-9);
	assert_true(fabs(group_conn_limit(&g, 0, 1) - 0) < 1e-9);
	two[0].wants = false;
	group_set_self(&g, 0, two, 2);
	assert_true(fabs(group_conn_limit(&g, 0, 1) - 10) < 1e-9);
}

/* Below the minimum for everyone the master rotates who waits: 16 A for
 * three EVs, two served; after group.rotate_time the one waiting gets its
 * turn. */
static void who_waits_rotates(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++) {
		nw.wants[i] = true;
		nw.g[i].cfg.limit_a = 16;
		nw.g[i].cfg.rotate_ms = 60000;
	}
	run_for(&nw, 1000);
	int waiting = -1, served = 0;
	for (int i = 0; i < 3; i++) {
		double a = group_conn_limit(&nw.g[i], nw.now, 0);
		if (a == 0)
			waiting = i;
		else
			served += fabs(a - 8) < 1e-9;
	}
	assert_int_equal(served, 2);
	assert_true(waiting >= 0);
	run_for(&nw, 60000);
	expect_limit(&nw, waiting, 8);
}

/* First in, first served is plug-in order: an EV plugged in earlier is
 * first even when its charger's state reaches the master later (its tick
 * came after the other's). */
static void fifs_order_is_plug_in_order(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++) {
		nw.g[i].cfg.limit_a = 40;
		nw.g[i].cfg.policy = LM_FIFS;
	}
	run_for(&nw, 1000);
	expect_master(&nw, "A");
	/* B (node 2) plugged 80 ms ago, C (node 0) 50 ms ago; C's state is
	 * sent and heard by the master first (node order in a step). */
	nw.wants[0] = nw.wants[2] = true;
	nw.plugged_at[0] = nw.now - 50;
	nw.plugged_at[2] = nw.now - 80;
	run_for(&nw, 500);
	expect_limit(&nw, 2, 32);
	expect_limit(&nw, 0, 8);
	/* An arrival in the future (a bad caller) counts from now. */
	struct group g;
	struct group_cfg c = cfg_of("Z", GM_AUTO);
	group_init(&g, &c, 0);
	struct group_conn own = {
	    .id = 1, .phases = 1u, .max_a = 32, .wants = true, .arrival = 9000};
	group_set_self(&g, 1000, &own, 1);
	assert_int_equal(g.n[0].c[0].arrival, 1000);
}

/* The other loads for dynamic balancing: the reading minus this charger's
 * draw, and with the meter at the group's supply minus every online
 * member's too (an offline member's stays counted). */
static void other_loads_from_the_site_reading(void **state)
{
	(void)state;
	struct net nw;
	net_init(&nw, 3, abc, autos);
	for (int i = 0; i < 3; i++)
		nw.wants[i] = true;
	run_for(&nw, 1000);
	struct group *a = &nw.g[1];
	for (int i = 0; i < a->count; i++)
		a->n[i].c[0].used_a[0] = 10 + i; /* L1: A 10, then the others 11 and 12 */
	a->n[2].online = false;
	const double site[3] = {100, 50, 0};
	double other[3];
	group_other_loads(a, site, false, other);
	assert_true(fabs(other[0] - 90) < 1e-9 && fabs(other[1] - 50) < 1e-9);
	group_other_loads(a, site, true, other);
	assert_true(fabs(other[0] - 79) < 1e-9); /* 100 - 10 - 11; the offline 12 stays */
	assert_true(fabs(other[2] - 0) < 1e-9);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(election_lowest_reachable_auto_id),
    cmocka_unit_test(forced_master_wins_and_members_never_lead),
    cmocka_unit_test(handover_when_a_lower_id_appears),
    cmocka_unit_test(offers_follow_the_mq200_uniform_example),
    cmocka_unit_test(master_lost_members_fall_back_then_a_new_master),
    cmocka_unit_test(member_loss_under_each_offline_strategy),
    cmocka_unit_test(group_size_counts_absent_chargers_offline),
    cmocka_unit_test(identify_all_and_rebuild),
    cmocka_unit_test(other_group_and_malformed_messages_change_nothing),
    cmocka_unit_test(offers_only_from_the_master),
    cmocka_unit_test(replay_window),
    cmocka_unit_test(settings_cross_checks),
    cmocka_unit_test(dynamic_balancing_uses_the_site_reading),
    cmocka_unit_test(deadlines_never_spin),
    cmocka_unit_test(dynamic_without_a_reading_is_the_minimum),
    cmocka_unit_test(a_silent_member_keeps_its_share_until_offline),
    cmocka_unit_test(fifs_order_is_plug_in_order),
    cmocka_unit_test(the_fallback_is_shared_by_the_connectors),
    cmocka_unit_test(who_waits_rotates),
    cmocka_unit_test(other_loads_from_the_site_reading),
};
/* clang-format on */

VCLOCK_MAIN("group", tests)
