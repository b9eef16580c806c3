/* SPDX-License-Identifier: MIT */
/*
 * Site load management (E2, E3) under a virtual clock: static, dynamic
 * (EVPLUS P_charger = P_max - P_other loads), export / solar with threshold,
 * minimum charge amount and hysteresis, re-evaluation without oscillation,
 * meter loss.
 */
#include <math.h>
#include <string.h>

#include "core/lm_site.h"
#include "vclock.h"

static struct lm_site_cfg cfg(enum lm_mode mode)
{
	struct lm_site_cfg c;
	memset(&c, 0, sizeof c);
	c.mode = mode;
	c.site_limit_a = 100;
	c.margin_a = 0;
	c.min_charge_a = 6;
	c.export_threshold_a = 6;
	c.low_bound_a = 3;
	c.low_bound_s = 60;
	c.reeval_min_change_a = 0.1;
	c.reeval_s = 10;
	c.safe_a = 6;
	return c;
}

static const double none[3] = {0, 0, 0};

static void update1(const struct lm_site_cfg *c, struct lm_site_state *s, int64_t now, double site,
		    double ev, bool ok)
{
	const double a[3] = {site, site, site}, e[3] = {ev, ev, ev};
	lm_site_update(c, s, now, a, e, ok);
}

static void near(double got, double want)
{
	if (fabs(got - want) > 1e-6)
		fail_msg("offer %.3f A, expected %.3f A", got, want);
}

static void static_mode_is_the_limit_minus_margin(void **state)
{
	(void)state;
	struct lm_site_cfg c = cfg(LM_MODE_STATIC);
	c.margin_a = 10;
	struct lm_site_state s;
	lm_site_init(&c, &s);
	near(s.offer_a[0], 90);
	update1(&c, &s, 0, 95, 0, true); /* other loads do not matter */
	near(s.offer_a[2], 90);
}

static void dynamic_follows_other_loads(void **state)
{
	(void)state;
	/* EVPLUS 10: 16 A supply (3.7 kW), other loads 2 kW (8.7 A): the
	 * charger may use 16 - 8.7 = 7.3 A (1.7 kW). */
	struct lm_site_cfg c = cfg(LM_MODE_DYNAMIC);
	c.site_limit_a = 16;
	struct lm_site_state s;
	lm_site_init(&c, &s);
	update1(&c, &s, 0, 8.7, 0, true);
	near(s.offer_a[0], 7.3);
	/* The EV draws 7.3 A: the meter reads 16 A, the others are still 8.7. */
	update1(&c, &s, 1000, 16, 7.3, true);
	near(s.offer_a[0], 7.3);
	/* The kettle: others 14 A -> 2 A at once (below 6 A: the charger pauses). */
	update1(&c, &s, 2000, 21.3, 7.3, true);
	near(s.offer_a[0], 2);
	/* The kettle off: the rise waits a full re-evaluation period. */
	update1(&c, &s, 3000, 10.7, 2, true);
	near(s.offer_a[0], 2);
	update1(&c, &s, 11999, 10.7, 2, true);
	near(s.offer_a[0], 2);
	update1(&c, &s, 12000, 10.7, 2, true);
	near(s.offer_a[0], 7.3);
	/* A rise smaller than the minimum change is ignored. */
	c.reeval_min_change_a = 1;
	update1(&c, &s, 30000, 15.5, 7.3, true); /* others 8.2: target 7.8 */
	near(s.offer_a[0], 7.3);
}

static void dynamic_per_phase(void **state)
{
	(void)state;
	struct lm_site_cfg c = cfg(LM_MODE_DYNAMIC);
	c.site_limit_a = 40;
	struct lm_site_state s;
	lm_site_init(&c, &s);
	const double site[3] = {30, 10, -5}, ev[3] = {0, 0, 0};
	lm_site_update(&c, &s, 0, site, ev, true);
	near(s.offer_a[0], 10);
	near(s.offer_a[1], 30);
	near(s.offer_a[2], 40); /* export on L3 never raises above the limit */
}

static void meter_loss_falls_to_the_safe_value(void **state)
{
	(void)state;
	struct lm_site_cfg c = cfg(LM_MODE_DYNAMIC);
	struct lm_site_state s;
	lm_site_init(&c, &s);
	update1(&c, &s, 0, 20, 0, true);
	near(s.offer_a[0], 80);
	update1(&c, &s, 1000, 0, 0, false);
	near(s.offer_a[0], 6);
	/* Static mode needs no meter. */
	c = cfg(LM_MODE_STATIC);
	lm_site_init(&c, &s);
	update1(&c, &s, 0, 0, 0, false);
	near(s.offer_a[0], 100);
}

static void export_threshold_minimum_and_hysteresis(void **state)
{
	(void)state;
	struct lm_site_cfg c = cfg(LM_MODE_EXPORT);
	c.hysteresis = true;
	struct lm_site_state s;
	lm_site_init(&c, &s);
	near(s.offer_a[0], 0);
	/* 5 A exported: below the 6 A threshold, no start. */
	update1(&c, &s, 0, -5, 0, true);
	near(s.offer_a[0], 0);
	assert_false(s.exporting);
	/* 8 A exported: start at 8 A. */
	update1(&c, &s, 1000, -8, 0, true);
	assert_true(s.exporting);
	near(s.offer_a[0], 8);
	/* A cloud: the EV draws 8, the site imports 4: surplus 4 A. It holds
	 * the 6 A minimum charge amount (above the 3 A low bound). */
	update1(&c, &s, 2000, 4, 8, true);
	near(s.offer_a[0], 6);
	/* Surplus 2 A, below the low bound: 60 s before it stops. */
	update1(&c, &s, 3000, 4, 6, true);
	near(s.offer_a[0], 6);
	update1(&c, &s, 62999, 4, 6, true);
	assert_true(s.exporting);
	update1(&c, &s, 63000, 4, 6, true);
	assert_false(s.exporting);
	near(s.offer_a[0], 0);
	/* The sun is back before 60 s pass: no stop. */
	lm_site_init(&c, &s);
	update1(&c, &s, 0, -10, 0, true);
	update1(&c, &s, 1000, 8, 10, true);   /* surplus 2 */
	update1(&c, &s, 30000, -2, 10, true); /* surplus 12 */
	assert_true(s.exporting);
	update1(&c, &s, 100000, 8, 10, true); /* low again: a new 60 s */
	assert_true(s.exporting);
}

static void export_without_hysteresis_stops_below_the_minimum(void **state)
{
	(void)state;
	struct lm_site_cfg c = cfg(LM_MODE_SOLAR);
	struct lm_site_state s;
	lm_site_init(&c, &s);
	update1(&c, &s, 0, -7, 0, true);
	near(s.offer_a[0], 7);
	update1(&c, &s, 1000, 2, 7, true); /* surplus 5 < 6 */
	near(s.offer_a[0], 0);
	assert_false(s.exporting);
	/* No meter: no known surplus, nothing. */
	lm_site_init(&c, &s);
	update1(&c, &s, 0, -10, 0, false);
	near(s.offer_a[0], 0);
	(void)none;
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(static_mode_is_the_limit_minus_margin),
    cmocka_unit_test(dynamic_follows_other_loads),
    cmocka_unit_test(dynamic_per_phase),
    cmocka_unit_test(meter_loss_falls_to_the_safe_value),
    cmocka_unit_test(export_threshold_minimum_and_hysteresis),
    cmocka_unit_test(export_without_hysteresis_stops_below_the_minimum),
};

VCLOCK_MAIN("lm_site", tests)
