/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the limit arbiter: arbiter_decide (the minimum wins and is
 * named, ties go to the first, below the minimum nothing is offered) and
 * alloc_share (max-min fair sharing of a per-phase limit with pausing). Every
 * allocation is also checked against the invariants: no phase over its
 * limit, nobody over its cap, nobody between 0 and the minimum, and nobody
 * short of its cap unless one of its phases is full.
 */
#include "vclock.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arbiter.h"

#define AMPS_TOL 1e-9

/* ---- arbiter_decide ---------------------------------------------------- */

struct decide_row {
	const char *what;
	struct limit lim[5];
	int n;
	double min_a;
	double amps;
	enum limit_src src;
};

static void decide_rows(void **state)
{
	(void)state;
	static const struct decide_row rows[] = {
	    {"installer lowest",
	     {{LIM_HARDWARE, 32}, {LIM_INSTALLER, 16}, {LIM_CABLE, 20}},
	     3,
	     6,
	     16,
	     LIM_INSTALLER},
	    {"cable lowest of four",
	     {{LIM_HARDWARE, 32}, {LIM_INSTALLER, 32}, {LIM_CABLE, 20}, {LIM_SCHEDULE, 25}},
	     4,
	     6,
	     20,
	     LIM_CABLE},
	    {"first is lowest",
	     {{LIM_INSTALLER, 10}, {LIM_HARDWARE, 32}, {LIM_CABLE, 13}},
	     3,
	     6,
	     10,
	     LIM_INSTALLER},
	    {"last is lowest",
	     {{LIM_HARDWARE, 32}, {LIM_INSTALLER, 32}, {LIM_LOAD_MGMT, 7.5}},
	     3,
	     6,
	     7.5,
	     LIM_LOAD_MGMT},
	    {"tie goes to the first",
	     {{LIM_HARDWARE, 16}, {LIM_INSTALLER, 16}},
	     2,
	     6,
	     16,
	     LIM_HARDWARE},
	    {"tie goes to the first, other order",
	     {{LIM_CABLE, 16}, {LIM_HARDWARE, 16}},
	     2,
	     6,
	     16,
	     LIM_CABLE},
	    {"tie after a larger one",
	     {{LIM_HARDWARE, 32}, {LIM_CABLE, 20}, {LIM_SCHEDULE, 20}},
	     3,
	     6,
	     20,
	     LIM_CABLE},
	    {"exactly the minimum", {{LIM_HARDWARE, 32}, {LIM_SCHEDULE, 6}}, 2, 6, 6, LIM_SCHEDULE},
	    {"just below the minimum",
	     {{LIM_HARDWARE, 32}, {LIM_SCHEDULE, 5.99}},
	     2,
	     6,
	     0,
	     LIM_SCHEDULE},
	    {"load management offers 0",
	     {{LIM_HARDWARE, 32}, {LIM_LOAD_MGMT, 0}},
	     2,
	     6,
	     0,
	     LIM_LOAD_MGMT},
	    {"fault forces 0",
	     {{LIM_FAULT, 0}, {LIM_HARDWARE, 32}, {LIM_CABLE, 20}},
	     3,
	     6,
	     0,
	     LIM_FAULT},
	    {"zero tie goes to the first",
	     {{LIM_HARDWARE, 32}, {LIM_NO_CHARGE, 0}, {LIM_EV, 0}},
	     3,
	     6,
	     0,
	     LIM_NO_CHARGE},
	    {"ventilation refused",
	     {{LIM_HARDWARE, 32}, {LIM_VENTILATION, 0}},
	     2,
	     6,
	     0,
	     LIM_VENTILATION},
	    {"single limit", {{LIM_HARDWARE, 32}}, 1, 6, 32, LIM_HARDWARE},
	    {"single limit below the minimum", {{LIM_HARDWARE, 4}}, 1, 6, 0, LIM_HARDWARE},
	    {"minimum 0 offers small currents", {{LIM_HARDWARE, 32}, {LIM_EV, 3}}, 2, 0, 3, LIM_EV},
	    {"only the first n count",
	     {{LIM_HARDWARE, 32}, {LIM_CABLE, 13}},
	     1,
	     6,
	     32,
	     LIM_HARDWARE},
	    {"n = 0", {{LIM_HARDWARE, 32}}, 0, 6, 0, LIM_NONE},
	    {"n < 0", {{LIM_HARDWARE, 32}}, -1, 6, 0, LIM_NONE},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct arb_result r = arbiter_decide(rows[i].lim, rows[i].n, rows[i].min_a);
		if (fabs(r.amps - rows[i].amps) > AMPS_TOL || r.src != rows[i].src)
			fail_msg("%s: %g A (%s), expected %g A (%s)", rows[i].what, r.amps,
				 limit_src_name(r.src), rows[i].amps, limit_src_name(rows[i].src));
	}
}

static void decide_n_zero_ignores_pointer(void **state)
{
	(void)state;
	struct arb_result r = arbiter_decide(NULL, 0, 6.0);
	assert_true(r.amps == 0.0);
	assert_int_equal(r.src, LIM_NONE);
}

static void decide_offer_is_zero_or_at_least_minimum(void **state)
{
	(void)state;
	/* Every pair of limits from 0 to 40 A in quarter amps. */
	for (int a = 0; a <= 160; a++) {
		for (int b = 0; b <= 160; b++) {
			struct limit lim[2] = {{LIM_HARDWARE, a / 4.0}, {LIM_SCHEDULE, b / 4.0}};
			struct arb_result r = arbiter_decide(lim, 2, 6.0);
			double lo = fmin(a / 4.0, b / 4.0);
			double want = lo >= 6.0 ? lo : 0.0;
			enum limit_src src = b < a ? LIM_SCHEDULE : LIM_HARDWARE;
			if (r.amps != want || r.src != src)
				fail_msg("%g, %g: %g A (%s)", a / 4.0, b / 4.0, r.amps,
					 limit_src_name(r.src));
		}
	}
}

static void limit_src_names(void **state)
{
	(void)state;
	static const struct {
		enum limit_src src;
		const char *name;
	} rows[] = {
	    {LIM_NONE, "none"},
	    {LIM_HARDWARE, "hardware"},
	    {LIM_INSTALLER, "installer"},
	    {LIM_CABLE, "cable"},
	    {LIM_SCHEDULE, "schedule"},
	    {LIM_LOAD_MGMT, "load_management"},
	    {LIM_GROUP, "group"},
	    {LIM_NO_CHARGE, "no_charging_period"},
	    {LIM_RANDOM_DELAY, "random_delay"},
	    {LIM_COLD_LOAD, "cold_load_pickup"},
	    {LIM_HOURS, "hours_of_operation"},
	    {LIM_FAULT, "fault"},
	    {LIM_VENTILATION, "ventilation"},
	    {LIM_EV, "ev"},
	    {LIM_DEAUTHORIZED, "deauthorized"},
	    {LIM_COUNT, "none"},
	    {(enum limit_src)99, "none"},
	};
	assert_int_equal(LIM_COUNT, 15); /* a new source needs a row here */
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_string_equal(limit_src_name(rows[i].src), rows[i].name);
}

/* ---- alloc_share ------------------------------------------------------- */

#define L1   1u
#define L2   2u
#define L3   4u
#define L123 7u

/* The invariants every allocation keeps. what names the case. */
static void check_invariants(const char *what, const struct share_in *in, int n,
			     const double limit[3], double min_a, const double *out)
{
	double sum[3] = {0, 0, 0};
	for (int i = 0; i < n; i++) {
		if (!(out[i] >= 0.0) || out[i] > in[i].cap + AMPS_TOL)
			fail_msg("%s: participant %d gets %g A, cap %g A", what, i, out[i],
				 in[i].cap);
		if (out[i] > 0.0 && out[i] < min_a - AMPS_TOL)
			fail_msg("%s: participant %d gets %g A, below the minimum %g A", what, i,
				 out[i], min_a);
		if (out[i] > 0.0 && (in[i].phases & L123) == 0)
			fail_msg("%s: participant %d gets %g A on no phase", what, i, out[i]);
		for (int p = 0; p < 3; p++)
			if (in[i].phases & (1u << p))
				sum[p] += out[i];
	}
	for (int p = 0; p < 3; p++)
		if (sum[p] > limit[p] + 1e-6)
			fail_msg("%s: L%d carries %.9g A, limit %g A", what, p + 1, sum[p],
				 limit[p]);
	/* Max-min: whoever charges short of its cap has a full phase. */
	for (int i = 0; i < n; i++) {
		if (out[i] <= 0.0 || out[i] >= in[i].cap - 1e-6)
			continue;
		bool full = false;
		for (int p = 0; p < 3; p++)
			if ((in[i].phases & (1u << p)) && sum[p] >= limit[p] - 1e-6)
				full = true;
		if (!full)
			fail_msg("%s: participant %d stops at %g A with room left", what, i,
				 out[i]);
	}
}

struct share_row {
	const char *what;
	int n;
	struct share_in in[4];
	double limit[3];
	double min_a;
	double want[4];
};

static void check_share_rows(const struct share_row *rows, size_t nrows)
{
	for (size_t r = 0; r < nrows; r++) {
		const struct share_row *row = &rows[r];
		double out[4] = {-1, -1, -1, -1};
		alloc_share(row->in, row->n, row->limit, row->min_a, out);
		for (int i = 0; i < row->n; i++)
			if (fabs(out[i] - row->want[i]) > 1e-6)
				fail_msg("%s: participant %d gets %.9g A, expected %g A", row->what,
					 i, out[i], row->want[i]);
		check_invariants(row->what, row->in, row->n, row->limit, row->min_a, out);
	}
}

static void share_equal_split(void **state)
{
	(void)state;
	static const struct share_row rows[] = {
	    {"three equal",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {48, 48, 48},
	     6,
	     {16, 16, 16}},
	    {"two equal", 2, {{32, L123, 0}, {32, L123, 1}}, {63, 63, 63}, 6, {31.5, 31.5}},
	    {"four equal, no pausing needed",
	     4,
	     {{32, L123, 0}, {32, L123, 0}, {32, L123, 0}, {32, L123, 0}},
	     {25, 25, 25},
	     6,
	     {6.25, 6.25, 6.25, 6.25}},
	    {"everyone at cap", 2, {{16, L123, 0}, {16, L123, 1}}, {63, 63, 63}, 6, {16, 16}},
	    {"one alone", 1, {{32, L123, 0}}, {20, 20, 20}, 6, {20}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_caps_redistribute_leftovers(void **state)
{
	(void)state;
	static const struct share_row rows[] = {
	    {"one capped",
	     3,
	     {{10, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {48, 48, 48},
	     6,
	     {10, 19, 19}},
	    {"two capped",
	     3,
	     {{8, L123, 0}, {12, L123, 1}, {32, L123, 2}},
	     {48, 48, 48},
	     6,
	     {8, 12, 28}},
	    {"capped last",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {6, L123, 2}},
	     {40, 40, 40},
	     6,
	     {17, 17, 6}},
	    {"leftover above every cap",
	     3,
	     {{10, L123, 0}, {13, L123, 1}, {16, L123, 2}},
	     {63, 63, 63},
	     6,
	     {10, 13, 16}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_single_phase_participants(void **state)
{
	(void)state;
	static const struct share_row rows[] = {
	    {"one per phase",
	     3,
	     {{32, L1, 0}, {32, L2, 1}, {32, L3, 2}},
	     {20, 20, 20},
	     6,
	     {20, 20, 20}},
	    {"two on L1, one on L2",
	     3,
	     {{32, L1, 0}, {32, L1, 1}, {32, L2, 2}},
	     {20, 20, 20},
	     6,
	     {10, 10, 20}},
	    {"unequal phase limits",
	     3,
	     {{32, L1, 0}, {32, L2, 1}, {32, L3, 2}},
	     {10, 20, 30},
	     6,
	     {10, 20, 30}},
	    {"three-phase with one on L1",
	     2,
	     {{32, L123, 0}, {32, L1, 1}},
	     {32, 32, 32},
	     6,
	     {16, 16}},
	    {"capped single-phase leaves room",
	     2,
	     {{10, L1, 0}, {32, L123, 1}},
	     {32, 32, 32},
	     6,
	     {10, 22}},
	    {"three-phase held by its weakest phase", 1, {{32, L123, 0}}, {40, 16, 40}, 6, {16}},
	    {"L2 and L3 users grow past the L1 share",
	     3,
	     {{32, L123, 0}, {32, L1, 1}, {32, L2 | L3, 2}},
	     {24, 32, 32},
	     6,
	     {12, 12, 20}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_pauses_lowest_priority(void **state)
{
	(void)state;
	static const struct share_row rows[] = {
	    {"third paused",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {16, 16, 16},
	     6,
	     {8, 8, 0}},
	    {"by priority, not position",
	     3,
	     {{32, L123, 2}, {32, L123, 0}, {32, L123, 1}},
	     {16, 16, 16},
	     6,
	     {0, 8, 8}},
	    {"cascade",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {10, 10, 10},
	     6,
	     {10, 0, 0}},
	    {"cascade by priority",
	     3,
	     {{32, L123, 5}, {32, L123, 1}, {32, L123, 9}},
	     {10, 10, 10},
	     6,
	     {0, 10, 0}},
	    {"paused share goes to the others up to their caps",
	     3,
	     {{32, L123, 0}, {7, L123, 1}, {32, L123, 2}},
	     {17, 17, 17},
	     6,
	     {10, 7, 0}},
	    {"only the crowded phase pauses",
	     3,
	     {{32, L1, 0}, {32, L1, 1}, {32, L2, 2}},
	     {10, 10, 10},
	     6,
	     {10, 0, 10}},
	    {"exactly the minimum each",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {18, 18, 18},
	     6,
	     {6, 6, 6}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_unreachable_minimum_pauses_only_its_owner(void **state)
{
	(void)state;
	/* A participant that could not reach the minimum even alone is paused
	 * itself; nobody else is paused to make room for it. */
	static const struct share_row rows[] = {
	    {"cap below the minimum", 2, {{4, L123, 0}, {32, L123, 5}}, {8, 8, 8}, 6, {0, 8}},
	    {"cap below the minimum, low priority",
	     2,
	     {{32, L123, 0}, {4, L123, 5}},
	     {8, 8, 8},
	     6,
	     {8, 0}},
	    {"own phase limit below the minimum",
	     3,
	     {{32, L123, 0}, {32, L1, 5}, {32, L1, 6}},
	     {12, 3, 32},
	     6,
	     {0, 6, 6}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_zero_caps_and_limits(void **state)
{
	(void)state;
	static const struct share_row rows[] = {
	    {"zero cap takes nothing", 2, {{0, L123, 0}, {32, L123, 1}}, {20, 20, 20}, 6, {0, 20}},
	    {"no phases takes nothing", 2, {{32, 0, 0}, {32, L123, 1}}, {20, 20, 20}, 6, {0, 20}},
	    {"all caps zero", 2, {{0, L123, 0}, {0, L1, 1}}, {32, 32, 32}, 6, {0, 0}},
	    {"limit below the minimum", 1, {{32, L123, 0}}, {4, 4, 4}, 6, {0}},
	    {"limit below the minimum, two",
	     2,
	     {{32, L1, 0}, {32, L1, 1}},
	     {11, 11, 11},
	     6,
	     {11, 0}},
	    {"zero limit", 2, {{32, L123, 0}, {32, L1, 1}}, {0, 0, 0}, 6, {0, 0}},
	    {"one phase at zero", 2, {{32, L123, 0}, {32, L1, 1}}, {32, 0, 32}, 6, {0, 32}},
	    {"minimum 0 never pauses",
	     3,
	     {{32, L123, 0}, {32, L123, 1}, {32, L123, 2}},
	     {3, 3, 3},
	     0,
	     {1, 1, 1}},
	};
	check_share_rows(rows, sizeof rows / sizeof rows[0]);
}

static void share_n_zero_leaves_output(void **state)
{
	(void)state;
	const double limit[3] = {32, 32, 32};
	double out[1] = {-7};
	alloc_share(NULL, 0, limit, 6, out);
	assert_true(out[0] == -7);
}

static void share_more_than_alloc_max(void **state)
{
	(void)state;
	int n = ALLOC_MAX + 3;
	struct share_in *in = calloc((size_t)n, sizeof *in);
	double *out = calloc((size_t)n, sizeof *out);
	assert_non_null(in);
	assert_non_null(out);
	for (int i = 0; i < n; i++) {
		in[i].cap = 16;
		in[i].phases = 1u << (i % 3);
		in[i].priority = i;
		out[i] = -1;
	}
	const double limit[3] = {1e6, 1e6, 1e6};
	alloc_share(in, n, limit, 6, out);
	for (int i = 0; i < n; i++) {
		double want = i < ALLOC_MAX ? 16 : 0;
		if (out[i] != want)
			fail_msg("participant %d gets %g A, expected %g A", i, out[i], want);
	}
	free(in);
	free(out);
}

/* A small deterministic generator, so that failures reproduce. */
static uint32_t next_rand(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

static void share_invariants_hold_for_many_cases(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	for (int k = 0; k < 5000; k++) {
		struct share_in in[8];
		double out[8], limit[3];
		int n = 1 + (int)(next_rand(&seed) % 8);
		for (int i = 0; i < n; i++) {
			in[i].cap = (double)(next_rand(&seed) % 41);
			in[i].phases = next_rand(&seed) % 8;
			in[i].priority = (int)(next_rand(&seed) % 4);
		}
		for (int p = 0; p < 3; p++)
			limit[p] = (double)(next_rand(&seed) % 65);
		double min_a = (next_rand(&seed) % 4) ? 6.0 : 0.0;
		alloc_share(in, n, limit, min_a, out);
		char what[32];
		snprintf(what, sizeof what, "case %d", k);
		check_invariants(what, in, n, limit, min_a, out);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(decide_rows),
    cmocka_unit_test(decide_n_zero_ignores_pointer),
    cmocka_unit_test(decide_offer_is_zero_or_at_least_minimum),
    cmocka_unit_test(limit_src_names),
    cmocka_unit_test(share_equal_split),
    cmocka_unit_test(share_caps_redistribute_leftovers),
    cmocka_unit_test(share_single_phase_participants),
    cmocka_unit_test(share_pauses_lowest_priority),
    cmocka_unit_test(share_unreachable_minimum_pauses_only_its_owner),
    cmocka_unit_test(share_zero_caps_and_limits),
    cmocka_unit_test(share_n_zero_leaves_output),
    cmocka_unit_test(share_more_than_alloc_max),
    cmocka_unit_test(share_invariants_hold_for_many_cases),
};

VCLOCK_MAIN("arbiter", tests)
