/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the simulated board: the events a plug, an unplug and the
 * EV model produce, the current the EV draws from the PWM offer, its own
 * maximum, the cable and the phases, exact energy integration over
 * hal_advance(), the lock answer, faults, the DIP switch event and restored
 * energy registers. Time is only what the test passes to hal_advance().
 */
#include "vclock.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hal/hal_sim.h"

#define HOUR_MS 3600000

static const struct sim_config socket2 = {
    .connectors = 2,
    .tethered = false,
    .voltage_v = 230.0,
    .frequency_hz = 50.0,
    .ev_max_a = 32.0,
    .ev_phases = 3,
    .cable_a = 32.0,
    .dip = 0,
    .has_dip = false,
};

static const struct sim_config tethered1 = {
    .connectors = 1,
    .tethered = true,
    .voltage_v = 240.0,
    .frequency_hz = 60.0,
    .ev_max_a = 48.0,
    .ev_phases = 1,
    .cable_a = 0.0,
    .dip = 6, /* SW1 SW2 SW3 = 110 */
    .has_dip = true,
};

static struct hal *new_sim(const struct sim_config *cfg, const double *energy, int64_t now)
{
	struct hal *h = hal_sim_new(cfg, energy, now);
	assert_non_null(h);
	return h;
}

/* Board commands as the core gives them. */
static void pwm(struct hal *h, int conn, int duty)
{
	h->board.pwm(h->board.user, conn, duty);
}

static void contactor(struct hal *h, int conn, bool closed, int phases)
{
	h->board.contactor(h->board.user, conn, closed, phases);
}

static void lock(struct hal *h, int conn, bool locked)
{
	h->board.lock(h->board.user, conn, locked);
}

static void drain(struct hal *h)
{
	struct hal_event ev[64];
	while (hal_poll(h, ev, 64) > 0)
		;
}

static const char *const ev_names[] = {"CP", "PP", "LOCK", "METER", "DIP", "FAULT"};

/* One expected event: type, connector and its payload (meter events are
 * checked for energy and power only). */
struct want_ev {
	enum hal_ev_type type;
	int conn;
	enum iec_cp cp;
	double pp_a;
	bool locked;
	unsigned dip;
	enum fault_id fault;
	bool on;
	double energy_wh, power_w;
};

static bool same_event(const struct hal_event *e, const struct want_ev *w)
{
	if (e->type != w->type || e->conn != w->conn)
		return false;
	switch (e->type) {
	case HE_CP:
		return e->u.cp == w->cp;
	case HE_PP:
		return e->u.pp_a == w->pp_a;
	case HE_LOCK:
		return e->u.locked == w->locked;
	case HE_METER:
		return fabs(e->u.meter.energy_wh - w->energy_wh) < 1e-6 &&
		       fabs(e->u.meter.power_w - w->power_w) < 1e-6;
	case HE_DIP:
		return e->u.dip == w->dip;
	case HE_FAULT:
		return e->u.fault.id == w->fault && e->u.fault.on == w->on;
	case HE_MOTION:
		return false; /* no test expects one */
	}
	return false;
}

static void describe(const struct hal_event *e, char *buf, size_t n)
{
	switch (e->type) {
	case HE_CP:
		snprintf(buf, n, "CP %d %s", e->conn, iec_cp_name(e->u.cp));
		break;
	case HE_PP:
		snprintf(buf, n, "PP %d %g A", e->conn, e->u.pp_a);
		break;
	case HE_LOCK:
		snprintf(buf, n, "LOCK %d %d", e->conn, e->u.locked);
		break;
	case HE_METER:
		snprintf(buf, n, "METER %d %.9g Wh %.9g W", e->conn, e->u.meter.energy_wh,
			 e->u.meter.power_w);
		break;
	case HE_DIP:
		snprintf(buf, n, "DIP %d %u", e->conn, e->u.dip);
		break;
	case HE_FAULT:
		snprintf(buf, n, "FAULT %d %d %d", e->conn, e->u.fault.id, e->u.fault.on);
		break;
	default:
		snprintf(buf, n, "type %d", (int)e->type);
	}
}

/* The queued events are exactly want[0..n-1], in order. */
static void expect_events(struct hal *h, const struct want_ev *want, int n)
{
	struct hal_event ev[64];
	int got = hal_poll(h, ev, 64);
	for (int i = 0; i < got || i < n; i++) {
		char g[96] = "(none)";
		if (i < got)
			describe(&ev[i], g, sizeof g);
		if (i >= n)
			fail_msg("event %d: unexpected %s", i, g);
		if (i >= got || !same_event(&ev[i], &want[i]))
			fail_msg("event %d: %s, expected %s on %d", i, g, ev_names[want[i].type],
				 want[i].conn);
	}
}

static void expect_no_events(struct hal *h)
{
	expect_events(h, NULL, 0);
}

#define CP(c, level)                                                                               \
	{                                                                                          \
		.type = HE_CP, .conn = (c), .cp = (level)                                          \
	}
#define PP(c, amps)                                                                                \
	{                                                                                          \
		.type = HE_PP, .conn = (c), .pp_a = (amps)                                         \
	}
#define LOCKED(c, l)                                                                               \
	{                                                                                          \
		.type = HE_LOCK, .conn = (c), .locked = (l)                                        \
	}
#define METER(c, wh, w)                                                                            \
	{                                                                                          \
		.type = HE_METER, .conn = (c), .energy_wh = (wh), .power_w = (w)                   \
	}
#define FAULT(c, f, o)                                                                             \
	{                                                                                          \
		.type = HE_FAULT, .conn = (c), .fault = (f), .on = (o)                             \
	}

/* ---- creation ----------------------------------------------------------- */

static void creation_reports_meters(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	assert_string_equal(h->vt->name, "sim");
	struct hal_event ev[8];
	assert_int_equal(hal_poll(h, ev, 8), 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ev[i].type, HE_METER);
		assert_int_equal(ev[i].conn, i + 1);
		const struct meter_reading *m = &ev[i].u.meter;
		assert_true(m->energy_wh == 0.0);
		assert_true(m->power_w == 0.0);
		for (int p = 0; p < 3; p++) {
			assert_true(m->current_a[p] == 0.0);
			assert_true(m->voltage_v[p] == 230.0);
		}
		assert_true(m->frequency_hz == 50.0);
		assert_true(m->temperature_c == 25.0);
	}
	expect_no_events(h);
	assert_false(hal_sim_plugged(h, 1));
	assert_int_equal(hal_sim_beeps(h), 0);
	hal_free(h);
	hal_free(NULL);
}

static void creation_dip_event_when_has_dip(void **state)
{
	(void)state;
	for (unsigned sw = 0; sw < 8; sw++) {
		struct sim_config cfg = tethered1;
		cfg.dip = sw;
		struct hal *h = new_sim(&cfg, NULL, 0);
		const struct want_ev want[] = {
		    {.type = HE_DIP, .conn = 0, .dip = sw},
		    METER(1, 0, 0),
		};
		expect_events(h, want, 2);
		hal_free(h);
	}
	/* No DIP switch, no event, whatever dip says. */
	struct sim_config cfg = socket2;
	cfg.dip = 5;
	struct hal *h = new_sim(&cfg, NULL, 0);
	const struct want_ev want[] = {METER(1, 0, 0), METER(2, 0, 0)};
	expect_events(h, want, 2);
	hal_free(h);
}

static void creation_restores_energy_registers(void **state)
{
	(void)state;
	const double energy[2] = {1234.5, 99.25};
	struct hal *h = new_sim(&socket2, energy, 0);
	const struct want_ev want[] = {METER(1, 1234.5, 0), METER(2, 99.25, 0)};
	expect_events(h, want, 2);
	assert_true(hal_sim_energy(h, 1) == 1234.5);
	assert_true(hal_sim_energy(h, 2) == 99.25);
	assert_true(hal_sim_energy(h, 0) == 0.0);
	assert_true(hal_sim_energy(h, 3) == 0.0);
	hal_free(h);

	/* The meter of a tethered unit reports its own voltage and frequency. */
	const double one[1] = {7.0};
	h = new_sim(&tethered1, one, 0);
	struct hal_event ev[4];
	assert_int_equal(hal_poll(h, ev, 4), 2);
	assert_int_equal(ev[1].type, HE_METER);
	assert_true(ev[1].u.meter.energy_wh == 7.0);
	assert_true(ev[1].u.meter.voltage_v[2] == 240.0);
	assert_true(ev[1].u.meter.frequency_hz == 60.0);
	hal_free(h);
}

static void connectors_are_clamped(void **state)
{
	(void)state;
	struct sim_config cfg = socket2;
	cfg.connectors = 6;
	struct hal *h = new_sim(&cfg, NULL, 0);
	struct hal_event ev[16];
	assert_int_equal(hal_poll(h, ev, 16), 4);
	assert_true(hal_sim_plug(h, 4, 0, 0, 0));
	assert_false(hal_sim_plug(h, 5, 0, 0, 0));
	assert_false(hal_sim_plugged(h, 5));
	hal_free(h);
}

/* ---- plug / unplug ------------------------------------------------------ */

static void plug_unplug_cp_and_pp(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	drain(h);
	assert_true(hal_sim_plug(h, 1, 0, 0, 0));
	const struct want_ev plug1[] = {PP(1, 32), CP(1, IEC_CP_B)};
	expect_events(h, plug1, 2);
	assert_true(hal_sim_plugged(h, 1));
	assert_false(hal_sim_plugged(h, 2));

	/* Plugging again is refused and says nothing. */
	assert_false(hal_sim_plug(h, 1, 0, 0, 0));
	expect_no_events(h);

	/* A cable of another rating. */
	assert_true(hal_sim_plug(h, 2, 0, 0, 20));
	const struct want_ev plug2[] = {PP(2, 20), CP(2, IEC_CP_B)};
	expect_events(h, plug2, 2);

	assert_true(hal_sim_unplug(h, 1));
	const struct want_ev unplug1[] = {CP(1, IEC_CP_A), PP(1, 0)};
	expect_events(h, unplug1, 2);
	assert_false(hal_sim_plugged(h, 1));
	assert_false(hal_sim_unplug(h, 1));
	expect_no_events(h);

	/* No such connector. */
	assert_false(hal_sim_plug(h, 0, 0, 0, 0));
	assert_false(hal_sim_plug(h, 3, 0, 0, 0));
	assert_false(hal_sim_unplug(h, 3));
	assert_false(hal_sim_plugged(h, 0));
	assert_false(hal_sim_plugged(h, 3));
	expect_no_events(h);
	hal_free(h);
}

static void tethered_plug_has_no_pp(void **state)
{
	(void)state;
	struct hal *h = new_sim(&tethered1, NULL, 0);
	drain(h);
	assert_true(hal_sim_plug(h, 1, 0, 0, 32));
	const struct want_ev plug[] = {CP(1, IEC_CP_B)};
	expect_events(h, plug, 1);
	assert_true(hal_sim_unplug(h, 1));
	const struct want_ev unplug[] = {CP(1, IEC_CP_A)};
	expect_events(h, unplug, 1);
	hal_free(h);
}

static void newer_events_replace_older_of_same_kind(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	drain(h);
	assert_true(hal_sim_plug(h, 1, 0, 0, 0));
	assert_true(hal_sim_plug(h, 2, 0, 0, 13));
	assert_true(hal_sim_unplug(h, 1));
	/* Connector 1's CP and PP were replaced and moved behind connector 2's. */
	const struct want_ev want[] = {PP(2, 13), CP(2, IEC_CP_B), CP(1, IEC_CP_A), PP(1, 0)};
	expect_events(h, want, 4);
	hal_free(h);
}

static void poll_takes_at_most_max(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	assert_true(hal_sim_plug(h, 2, 0, 0, 0));
	struct hal_event ev[4];
	assert_int_equal(hal_poll(h, ev, 1), 1);
	assert_int_equal(ev[0].type, HE_METER);
	assert_int_equal(ev[0].conn, 1);
	assert_int_equal(hal_poll(h, ev, 0), 0);
	const struct want_ev rest[] = {METER(2, 0, 0), PP(2, 32), CP(2, IEC_CP_B)};
	expect_events(h, rest, 3);
	hal_free(h);
}

/* ---- the EV model ------------------------------------------------------- */

static void ev_charges_only_when_duty_offers_current(void **state)
{
	(void)state;
	static const struct {
		int duty;
		enum iec_cp cp;
	} rows[] = {
	    {IEC_DUTY_OFF, IEC_CP_B},	  /* 100 %: no PWM */
	    {IEC_DUTY_F, IEC_CP_B},	  /* 0 % */
	    {IEC_DUTY_DIGITAL, IEC_CP_B}, /* 5 %: digital communication */
	    {30, IEC_CP_B},
	    {79, IEC_CP_B},
	    {80, IEC_CP_C}, /* 8 %: 6 A */
	    {100, IEC_CP_C},
	    {533, IEC_CP_C},
	    {960, IEC_CP_C},
	    {970, IEC_CP_C},
	    {971, IEC_CP_B},
	    {999, IEC_CP_B},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hal *h = new_sim(&socket2, NULL, 0);
		assert_true(hal_sim_plug(h, 1, 0, 0, 0));
		assert_true(hal_sim_ev(h, 1, SIM_EV_CHARGE));
		drain(h);
		pwm(h, 1, rows[i].duty);
		struct hal_event ev[8];
		int n = hal_poll(h, ev, 8);
		enum iec_cp cp = IEC_CP_B;
		for (int k = 0; k < n; k++)
			if (ev[k].type == HE_CP && ev[k].conn == 1)
				cp = ev[k].u.cp;
		if (cp != rows[i].cp)
			fail_msg("duty %d: CP %s, expected %s", rows[i].duty, iec_cp_name(cp),
				 iec_cp_name(rows[i].cp));
		hal_free(h);
	}
}

static void ev_mode_changes(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	assert_false(hal_sim_ev(h, 1, SIM_EV_CHARGE)); /* nothing plugged */
	assert_true(hal_sim_plug(h, 1, 0, 0, 0));
	drain(h);
	/* A plugged EV waits (B) until it is told to charge. */
	pwm(h, 1, 533);
	expect_no_events(h);
	assert_true(hal_sim_ev(h, 1, SIM_EV_CHARGE));
	const struct want_ev c[] = {CP(1, IEC_CP_C)};
	expect_events(h, c, 1);
	assert_true(hal_sim_ev(h, 1, SIM_EV_FULL));
	const struct want_ev b[] = {CP(1, IEC_CP_B)};
	expect_events(h, b, 1);
	assert_true(hal_sim_ev(h, 1, SIM_EV_CHARGE));
	expect_events(h, c, 1);
	/* The offer withdrawn: back to B; offered again: C. */
	pwm(h, 1, IEC_DUTY_OFF);
	expect_events(h, b, 1);
	pwm(h, 1, 267);
	expect_events(h, c, 1);
	assert_true(hal_sim_ev(h, 1, SIM_EV_PAUSE));
	expect_events(h, b, 1);
	/* Each plug starts paused. */
	assert_true(hal_sim_unplug(h, 1));
	assert_true(hal_sim_plug(h, 1, 0, 0, 0));
	drain(h);
	pwm(h, 1, 533);
	expect_no_events(h);
	hal_free(h);
}

static void current_is_min_of_offer_ev_and_cable(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		bool tethered;
		int duty;
		double ev_max;
		int ev_phases;
		double cable;
		int contactor_phases; /* 0: open */
		double amps;	      /* drawn per phase */
		int phases;
	} rows[] = {
	    {"offer for 32 A", false, 533, 32, 3, 32, 3, 31.98, 3},
	    {"offer for 16 A", false, 267, 32, 3, 32, 3, 16.02, 3},
	    {"offer 6 A", false, 100, 32, 3, 32, 3, 6.0, 3},
	    {"offer 8.5 % reads 6 A", false, 85, 32, 3, 32, 3, 6.0, 3},
	    {"EV maximum", false, 533, 16, 3, 32, 3, 16.0, 3},
	    {"cable 20 A", false, 533, 32, 3, 20, 3, 20.0, 3},
	    {"cable 13 A", false, 533, 32, 3, 13, 3, 13.0, 3},
	    {"63 A offer, 63 A cable", false, 892, 80, 3, 63, 3, 63.0, 3},
	    {"80 A offer, 63 A cable", false, 960, 80, 3, 63, 3, 63.0, 3},
	    {"tethered: no PP cable limit", true, 960, 80, 3, 13, 3, 80.0, 3},
	    {"single-phase EV", false, 533, 32, 1, 32, 3, 31.98, 1},
	    {"two-phase EV", false, 533, 32, 2, 32, 3, 31.98, 2},
	    {"single-phase contactor", false, 533, 32, 3, 32, 1, 31.98, 1},
	    {"single both", false, 533, 32, 1, 32, 1, 31.98, 1},
	    {"contactor open", false, 533, 32, 3, 32, 0, 0.0, 0},
	    {"no offer", false, IEC_DUTY_OFF, 32, 3, 32, 3, 0.0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sim_config cfg = socket2;
		cfg.connectors = 1;
		cfg.tethered = rows[i].tethered;
		struct hal *h = new_sim(&cfg, NULL, 0);
		assert_true(hal_sim_plug(h, 1, rows[i].ev_max, rows[i].ev_phases, rows[i].cable));
		assert_true(hal_sim_ev(h, 1, SIM_EV_CHARGE));
		pwm(h, 1, rows[i].duty);
		contactor(h, 1, rows[i].contactor_phases > 0, rows[i].contactor_phases);
		/* The last meter event shows the current on each phase. */
		struct hal_event ev[16];
		int n = hal_poll(h, ev, 16);
		const struct meter_reading *m = NULL;
		for (int k = 0; k < n; k++)
			if (ev[k].type == HE_METER)
				m = &ev[k].u.meter;
		assert_non_null(m);
		double power = rows[i].amps * 230.0 * rows[i].phases;
		bool ok = fabs(m->power_w - power) < 1e-6;
		for (int p = 0; p < 3; p++) {
			double want = p < rows[i].phases ? rows[i].amps : 0.0;
			if (fabs(m->current_a[p] - want) > 1e-9)
				ok = false;
		}
		if (!ok)
			fail_msg("%s: %.9g / %.9g / %.9g A, %.9g W; expected %g A on %d phases",
				 rows[i].what, m->current_a[0], m->current_a[1], m->current_a[2],
				 m->power_w, rows[i].amps, rows[i].phases);
		/* An hour later the register holds exactly that power for an hour. */
		hal_advance(h, HOUR_MS);
		if (fabs(hal_sim_energy(h, 1) - power) > 1e-6)
			fail_msg("%s: %.9g Wh after an hour, expected %.9g Wh", rows[i].what,
				 hal_sim_energy(h, 1), power);
		hal_free(h);
	}
}

/* A sim at now = t0 with an EV drawing on connector 1 at the given duty. */
static struct hal *charging(const double *energy, int64_t t0, int duty)
{
	struct sim_config cfg = socket2;
	cfg.connectors = 1;
	struct hal *h = new_sim(&cfg, energy, t0);
	assert_true(hal_sim_plug(h, 1, 32, 3, 32));
	assert_true(hal_sim_ev(h, 1, SIM_EV_CHARGE));
	pwm(h, 1, duty);
	contactor(h, 1, true, 3);
	drain(h);
	return h;
}

static void energy_for_an_hour_at_32_amps(void **state)
{
	(void)state;
	/* At the duty for 32 A (53.3 %) the EV reads 31.98 A. */
	struct hal *h = charging(NULL, 0, iec_duty_from_current(32.0));
	hal_advance(h, HOUR_MS);
	assert_true(fabs(hal_sim_energy(h, 1) - 31.98 * 230.0 * 3) < 1e-6);
	const struct want_ev want[] = {METER(1, 31.98 * 230.0 * 3, 31.98 * 230.0 * 3)};
	expect_events(h, want, 1);
	hal_free(h);

	/* At 53.4 % it reads 32.04 A and draws its own maximum, 32 A:
	 * 32 A x 230 V x 3 phases x 1 h = 22080 Wh. */
	h = charging(NULL, 0, 534);
	hal_advance(h, HOUR_MS);
	assert_true(fabs(hal_sim_energy(h, 1) - 22080.0) < 1e-6);
	const struct want_ev exact[] = {METER(1, 22080.0, 22080.0)};
	expect_events(h, exact, 1);
	hal_free(h);
}

static void energy_is_exact_over_any_steps(void **state)
{
	(void)state;
	/* One step or 3600 steps of a second or uneven steps: the same. */
	static const int64_t steps[] = {HOUR_MS, 1000, 7, 999983};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const int64_t t0 = 5000;
		struct hal *h = charging(NULL, t0, 534);
		int64_t t = t0;
		while (t < t0 + HOUR_MS) {
			t += steps[i];
			if (t > t0 + HOUR_MS)
				t = t0 + HOUR_MS;
			hal_advance(h, t);
		}
		if (fabs(hal_sim_energy(h, 1) - 22080.0) > 1e-6)
			fail_msg("steps of %lld ms: %.12g Wh", (long long)steps[i],
				 hal_sim_energy(h, 1));
		hal_free(h);
	}
}

static void energy_follows_current_changes(void **state)
{
	(void)state;
	const double start[1] = {1000.5};
	struct hal *h = charging(start, 0, 534);
	/* Half an hour at 32 A, half an hour at 6 A, then idle. */
	hal_advance(h, HOUR_MS / 2);
	assert_true(fabs(hal_sim_energy(h, 1) - (1000.5 + 11040.0)) < 1e-6);
	pwm(h, 1, 100);
	hal_advance(h, HOUR_MS);
	double full = 1000.5 + 11040.0 + 6.0 * 230.0 * 3 * 0.5;
	assert_true(fabs(hal_sim_energy(h, 1) - full) < 1e-6);
	contactor(h, 1, false, 0);
	drain(h);
	hal_advance(h, 2 * HOUR_MS);
	assert_true(fabs(hal_sim_energy(h, 1) - full) < 1e-9);
	/* No power: the periodic reading shows the same register, 0 W. */
	const struct want_ev idle[] = {METER(1, full, 0)};
	expect_events(h, idle, 1);
	hal_advance(h, 2 * HOUR_MS);
	expect_no_events(h); /* no time passed, no reading */
	/* Time going backwards adds nothing and is not counted twice. */
	contactor(h, 1, true, 3);
	hal_advance(h, HOUR_MS);
	assert_true(fabs(hal_sim_energy(h, 1) - full) < 1e-9);
	hal_advance(h, 2 * HOUR_MS + 60000);
	assert_true(fabs(hal_sim_energy(h, 1) - (full + 6.0 * 230.0 * 3 / 60.0)) < 1e-6);
	hal_free(h);
}

/* ---- lock, faults, LEDs ------------------------------------------------- */

static void lock_command_answers_with_lock_event(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	drain(h);
	lock(h, 1, true);
	const struct want_ev locked[] = {LOCKED(1, true)};
	expect_events(h, locked, 1);
	lock(h, 1, false);
	const struct want_ev unlocked[] = {LOCKED(1, false)};
	expect_events(h, unlocked, 1);
	lock(h, 2, true);
	const struct want_ev locked2[] = {LOCKED(2, true)};
	expect_events(h, locked2, 1);

	/* A lock fault: the motor runs but the lock does not engage. */
	hal_sim_fault(h, 1, FAULT_LOCK, true);
	const struct want_ev fault_on[] = {FAULT(1, FAULT_LOCK, true)};
	expect_events(h, fault_on, 1);
	lock(h, 1, true);
	expect_events(h, unlocked, 1);
	hal_sim_fault(h, 1, FAULT_LOCK, false);
	const struct want_ev fault_off[] = {FAULT(1, FAULT_LOCK, false)};
	expect_events(h, fault_off, 1);
	lock(h, 1, true);
	expect_events(h, locked, 1);

	/* No such connector: no answer. */
	lock(h, 0, true);
	lock(h, 3, true);
	expect_no_events(h);
	hal_free(h);
}

static void cp_fault_forces_state_e(void **state)
{
	(void)state;
	struct hal *h = charging(NULL, 0, 534);
	hal_sim_fault(h, 1, FAULT_CP, true);
	/* A CP level, not a fault event; the EV stops drawing. */
	const struct want_ev e[] = {CP(1, IEC_CP_E)};
	expect_events(h, e, 1);
	hal_advance(h, HOUR_MS);
	assert_true(hal_sim_energy(h, 1) == 0.0);
	const struct want_ev idle[] = {METER(1, 0, 0)};
	expect_events(h, idle, 1);
	hal_sim_fault(h, 1, FAULT_CP, false);
	const struct want_ev c[] = {CP(1, IEC_CP_C)};
	expect_events(h, c, 1);
	hal_free(h);

	/* Unplugged: E, then back to A. */
	h = new_sim(&socket2, NULL, 0);
	drain(h);
	hal_sim_fault(h, 2, FAULT_CP, true);
	const struct want_ev e2[] = {CP(2, IEC_CP_E)};
	expect_events(h, e2, 1);
	hal_sim_fault(h, 2, FAULT_CP, false);
	const struct want_ev a2[] = {CP(2, IEC_CP_A)};
	expect_events(h, a2, 1);
	hal_free(h);
}

static void other_faults_are_events(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	drain(h);
	hal_sim_fault(h, 0, FAULT_RCD, true);
	hal_sim_fault(h, 1, FAULT_OVERTEMP, true);
	hal_sim_fault(h, 0, FAULT_TILT, true);
	/* A newer state of the same fault replaces the older one. */
	hal_sim_fault(h, 0, FAULT_RCD, false);
	const struct want_ev want[] = {
	    FAULT(1, FAULT_OVERTEMP, true),
	    FAULT(0, FAULT_TILT, true),
	    FAULT(0, FAULT_RCD, false),
	};
	expect_events(h, want, 3);
	hal_free(h);
}

static void leds_and_beeps(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	assert_string_equal(hal_sim_led(h, 1), "");
	h->board.led(h->board.user, 1, "blue-pulsing");
	h->board.led(h->board.user, 2, "green");
	h->board.led(h->board.user, 3, "red");
	assert_string_equal(hal_sim_led(h, 1), "blue-pulsing");
	assert_string_equal(hal_sim_led(h, 2), "green");
	assert_string_equal(hal_sim_led(h, 3), "");
	assert_string_equal(hal_sim_led(h, 0), "");
	/* Patterns are kept to 31 characters. */
	h->board.led(h->board.user, 1, "0123456789012345678901234567890123456789");
	assert_string_equal(hal_sim_led(h, 1), "0123456789012345678901234567890");
	h->board.beep(h->board.user, BEEP_ACCEPT);
	assert_int_equal(hal_sim_beeps(h), 1);
	h->board.beep(h->board.user, BEEP_REJECT);
	assert_int_equal(hal_sim_beeps(h), 3);
	hal_free(h);
}

/* The board keeps the LED brightness the core commands (led.dim_*). */
static void led_brightness_is_kept(void **state)
{
	(void)state;
	struct hal *h = new_sim(&socket2, NULL, 0);
	assert_int_equal(hal_sim_led_brightness(h, 1), -1);
	h->board.led_brightness(h->board.user, 1, 10);
	h->board.led_brightness(h->board.user, 2, 100);
	h->board.led_brightness(h->board.user, 3, 50);
	assert_int_equal(hal_sim_led_brightness(h, 1), 10);
	assert_int_equal(hal_sim_led_brightness(h, 2), 100);
	assert_int_equal(hal_sim_led_brightness(h, 3), -1);
	assert_int_equal(hal_sim_led_brightness(h, 0), -1);
	hal_free(h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(creation_reports_meters),
    cmocka_unit_test(creation_dip_event_when_has_dip),
    cmocka_unit_test(creation_restores_energy_registers),
    cmocka_unit_test(connectors_are_clamped),
    cmocka_unit_test(plug_unplug_cp_and_pp),
    cmocka_unit_test(tethered_plug_has_no_pp),
    cmocka_unit_test(newer_events_replace_older_of_same_kind),
    cmocka_unit_test(poll_takes_at_most_max),
    cmocka_unit_test(ev_charges_only_when_duty_offers_current),
    cmocka_unit_test(ev_mode_changes),
    cmocka_unit_test(current_is_min_of_offer_ev_and_cable),
    cmocka_unit_test(energy_for_an_hour_at_32_amps),
    cmocka_unit_test(energy_is_exact_over_any_steps),
    cmocka_unit_test(energy_follows_current_changes),
    cmocka_unit_test(lock_command_answers_with_lock_event),
    cmocka_unit_test(cp_fault_forces_state_e),
    cmocka_unit_test(other_faults_are_events),
    cmocka_unit_test(leds_and_beeps),
    cmocka_unit_test(led_brightness_is_kept),
};

VCLOCK_MAIN("hal_sim", tests)
