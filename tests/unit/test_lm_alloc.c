/* SPDX-License-Identifier: MIT */
/*
 * Group allocation against the MQ200 manual's examples (7.5.3: 1, 2, 3, A,
 * B, exactly) and the io7 offline strategies (6.1.11), per phase.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/lm_alloc.h"
#include "vclock.h"

#define L1  1u
#define ALL 7u

static struct lm_group mq200(enum lm_policy p, double grid, int size)
{
	struct lm_group g;
	memset(&g, 0, sizeof g);
	g.policy = p;
	g.offline = LM_OFF_OFFLINE_OFFLINE;
	g.limit_a[0] = g.limit_a[1] = g.limit_a[2] = grid;
	g.offline_reserved = 10; /* Fallback Current */
	g.expected_members = size;
	g.min_a = 6;
	return g;
}

static void expect(const double *got, const double *want, int n, const char *what)
{
	for (int i = 0; i < n; i++)
		if (fabs(got[i] - want[i]) > 1e-6)
			fail_msg("%s: member %d offered %.3f A, expected %.3f A", what, i, got[i],
				 want[i]);
}

/* The members' EVs ask one after the other: step k has EVs on 0..k-1. */
static void steps(const struct lm_group *g, struct lm_member *m, int n, int evs_max,
		  const double want[][8], const char *name)
{
	for (int k = 1; k <= evs_max; k++) {
		for (int i = 0; i < n; i++)
			m[i].wants = i < k;
		double offer[8];
		assert_true(lm_allocate(g, m, n, offer));
		char what[64];
		snprintf(what, sizeof what, "%s, %d vehicle%s", name, k, k > 1 ? "s" : "");
		expect(offer, want[k - 1], n, what);
	}
}

static void mq200_example_1(void **state)
{
	(void)state;
	struct lm_group g = mq200(LM_UNIFORM, 60, 3);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, false, i};
	static const double want[][8] = {{32, 0, 0}, {30, 30, 0}, {20, 20, 20}};
	steps(&g, m, 3, 3, want, "example 1");
}

static void mq200_example_2(void **state)
{
	(void)state;
	struct lm_group g = mq200(LM_UNIFORM, 60, 3);
	struct lm_member m[3] = {
	    {32, L1, true, false, 0}, {32, L1, true, false, 1}, {16, L1, true, false, 2}};
	static const double want[][8] = {{32, 0, 0}, {30, 30, 0}, {24, 24, 12}};
	steps(&g, m, 3, 3, want, "example 2");
}

static void mq200_example_3(void **state)
{
	(void)state;
	/* Five stations, two offline: 20 A reserved for them. */
	struct lm_group g = mq200(LM_UNIFORM, 80, 5);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, false, i};
	static const double want[][8] = {{32, 0, 0}, {30, 30, 0}, {20, 20, 20}};
	steps(&g, m, 3, 3, want, "example 3");
	/* The same with the offline ones in the table. */
	struct lm_member m5[5];
	for (int i = 0; i < 5; i++)
		m5[i] = (struct lm_member){32, L1, i < 3, false, i};
	g.expected_members = 0;
	steps(&g, m5, 5, 3, want, "example 3, offline members listed");
}

static void mq200_example_a(void **state)
{
	(void)state;
	struct lm_group g = mq200(LM_FIFS, 60, 3);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, false, i};
	static const double want[][8] = {{32, 0, 0}, {32, 28, 0}, {32, 28, 0}};
	steps(&g, m, 3, 3, want, "example A");
	/* The first vehicle leaves: the second gets 32 A, the third 28 A. */
	m[0].wants = false;
	double offer[3];
	assert_true(lm_allocate(&g, m, 3, offer));
	static const double left[] = {0, 32, 28};
	expect(offer, left, 3, "example A, first vehicle left");
}

static void mq200_example_b(void **state)
{
	(void)state;
	struct lm_group g = mq200(LM_FIFS, 100, 5);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, false, i};
	static const double want[][8] = {{32, 0, 0}, {32, 32, 0}, {32, 32, 16}};
	steps(&g, m, 3, 3, want, "example B");
}

static void io7_offline_strategies(void **state)
{
	(void)state;
	/* Three io7 (three-phase, 32 A) in a 60 A group, one offline. */
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, ALL, i != 2, i != 2, i};
	static const struct {
		enum lm_offline s;
		double reserved;
		double want[3];
	} rows[] = {
	    {LM_OFF_ZERO_ALL, 0, {0, 0, 0}},
	    {LM_OFF_MIN_ALL, 0, {6, 6, 0}},
	    {LM_OFF_OFFLINE_ALL, 10, {10, 10, 0}},
	    {LM_OFF_OFFLINE_OFFLINE, 16, {22, 22, 0}}, /* (60 - 16) / 2 */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct lm_group g = mq200(LM_UNIFORM, 60, 0);
		g.offline = rows[i].s;
		g.offline_reserved = rows[i].reserved;
		double offer[3];
		assert_true(lm_allocate(&g, m, 3, offer));
		expect(offer, rows[i].want, 3, "io7 strategy");
	}
	/* Nobody offline: the strategies change nothing. */
	m[2].online = true;
	struct lm_group g = mq200(LM_UNIFORM, 60, 0);
	g.offline = LM_OFF_ZERO_ALL;
	double offer[3];
	assert_true(lm_allocate(&g, m, 3, offer));
	static const double all[] = {30, 30, 0};
	expect(offer, all, 3, "nobody offline");
}

static void below_minimum_the_last_waits(void **state)
{
	(void)state;
	/* 16 A for three EVs: 5.3 A each is too little; the last waits, then
	 * 8 A each for two. */
	struct lm_group g = mq200(LM_UNIFORM, 16, 0);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, true, 10 - i};
	double offer[3];
	assert_true(lm_allocate(&g, m, 3, offer));
	static const double want[] = {0, 8, 8}; /* member 0 arrived last */
	expect(offer, want, 3, "below the minimum");
}

static void phases_never_exceed_their_limit(void **state)
{
	(void)state;
	/* Single-phase members on L1, L2, L3 and one three-phase member; L1 is
	 * limited more than the others. */
	struct lm_group g = mq200(LM_UNIFORM, 40, 0);
	g.limit_a[0] = 20;
	struct lm_member m[4] = {{32, 1u, true, true, 0},
				 {32, 2u, true, true, 1},
				 {32, 4u, true, true, 2},
				 {32, ALL, true, true, 3}};
	for (int pol = 0; pol < 2; pol++) {
		g.policy = pol ? LM_FIFS : LM_UNIFORM;
		double offer[4];
		assert_true(lm_allocate(&g, m, 4, offer));
		for (int p = 0; p < 3; p++) {
			double sum = 0;
			for (int i = 0; i < 4; i++)
				if (m[i].phases & (1u << p))
					sum += offer[i];
			if (sum > g.limit_a[p] + 1e-6)
				fail_msg("policy %d: L%d carries %.2f A > %.2f A", pol, p + 1, sum,
					 g.limit_a[p]);
		}
		for (int i = 0; i < 4; i++)
			if (offer[i] > 0 && offer[i] < 6)
				fail_msg("policy %d: member %d offered %.2f A", pol, i, offer[i]);
	}
}

static void a_later_member_on_a_free_phase_is_served(void **state)
{
	(void)state;
	/* L1 is full after the first EV; the second (L1) waits, the third (L2),
	 * which asked after it, is served: waiting for L1 does not block L2. */
	struct lm_group g = mq200(LM_UNIFORM, 40, 0);
	g.limit_a[0] = 10;
	struct lm_member m[3] = {
	    {32, 1u, true, true, 0}, {32, 1u, true, true, 1}, {32, 2u, true, true, 2}};
	double offer[3];
	assert_true(lm_allocate(&g, m, 3, offer));
	static const double want[] = {10, 0, 32};
	expect(offer, want, 3, "free phase");
}

/* Three EVs on 16 A: two can have 8 A, one waits. Over two hours, with
 * turns of 10 minutes, everybody gets a turn, nobody is paused less than 10
 * minutes after it was started, and the served share is fair. */
static void below_minimum_who_waits_rotates(void **state)
{
	(void)state;
	const int64_t rotate = 600000, step = 1000, hours2 = 2 * 3600000;
	for (int pol = 0; pol < 2; pol++) {
		struct lm_group g = mq200(pol ? LM_FIFS : LM_UNIFORM, 16, 0);
		struct lm_member m[3];
		for (int i = 0; i < 3; i++)
			m[i] = (struct lm_member){32, L1, true, true, i};
		struct lm_turn t[3];
		lm_turns_init(t, 3);
		int64_t served_ms[3] = {0, 0, 0}, started[3] = {-1, -1, -1};
		int changes = 0;
		bool was[3] = {false, false, false};
		for (int64_t now = 0; now < hours2; now += step) {
			double offer[3];
			lm_turns(t, 3, now, rotate, m);
			assert_true(lm_allocate(&g, m, 3, offer));
			lm_turns_update(t, m, offer, 3, now);
			int n_served = 0;
			double sum = 0;
			for (int i = 0; i < 3; i++) {
				bool on = offer[i] > 0;
				sum += offer[i];
				n_served += on;
				if (on)
					served_ms[i] += step;
				if (on && !was[i])
					started[i] = now;
				if (!on && was[i]) {
					changes++;
					if (now - started[i] < rotate)
						fail_msg("policy %d: member %d paused %" PRId64
							 " ms after its start",
							 pol, i, now - started[i]);
				}
				was[i] = on;
			}
			if (n_served != (pol ? 1 : 2) || sum > 16 + 1e-6)
				fail_msg("policy %d at %" PRId64 " ms: %d served, %.1f A", pol, now,
					 n_served, sum);
		}
		/* Uniform: 2 of 3 served at a time -> 2/3 of the time each; fifs:
		 * one at a time (16 A) -> 1/3 each. Allow one turn of slack. */
		double share = pol ? 1.0 / 3 : 2.0 / 3;
		for (int i = 0; i < 3; i++) {
			double got = (double)served_ms[i] / (double)hours2;
			if (fabs(got - share) > (double)rotate / (double)hours2 + 1e-9)
				fail_msg("policy %d: member %d served %.0f%% of the time, expected "
					 "%.0f%%",
					 pol, i, got * 100, share * 100);
		}
		assert_true(changes >= 6);
	}
}

static void without_rotation_the_last_keep_waiting(void **state)
{
	(void)state;
	struct lm_group g = mq200(LM_UNIFORM, 16, 0);
	struct lm_member m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (struct lm_member){32, L1, true, true, i};
	struct lm_turn t[3];
	lm_turns_init(t, 3);
	for (int64_t now = 0; now < 3600000; now += 60000) {
		double offer[3];
		lm_turns(t, 3, now, 0, m);
		assert_true(lm_allocate(&g, m, 3, offer));
		lm_turns_update(t, m, offer, 3, now);
		static const double want[] = {8, 8, 0};
		expect(offer, want, 3, "no rotation");
	}
}

static void dynamic_limit_and_bad_tables(void **state)
{
	(void)state;
	assert_true(lm_dynamic_limit(100, 30) == 70);
	assert_true(lm_dynamic_limit(100, -30) == 100); /* export never raises it */
	assert_true(lm_dynamic_limit(100, 130) == 0);
	struct lm_group g = mq200(LM_UNIFORM, 60, 0);
	struct lm_member bad = {32, 0u, true, true, 0};
	double offer[1] = {99};
	assert_false(lm_allocate(&g, &bad, 1, offer));
	assert_true(offer[0] == 0);
	assert_false(lm_allocate(&g, &bad, -1, offer));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(mq200_example_1),
    cmocka_unit_test(mq200_example_2),
    cmocka_unit_test(mq200_example_3),
    cmocka_unit_test(mq200_example_a),
    cmocka_unit_test(mq200_example_b),
    cmocka_unit_test(io7_offline_strategies),
    cmocka_unit_test(below_minimum_the_last_waits),
    cmocka_unit_test(a_later_member_on_a_free_phase_is_served),
    cmocka_unit_test(below_minimum_who_waits_rotates),
    cmocka_unit_test(without_rotation_the_last_keep_waiting),
    cmocka_unit_test(phases_never_exceed_their_limit),
    cmocka_unit_test(dynamic_limit_and_bad_tables),
};

VCLOCK_MAIN("lm_alloc", tests)
