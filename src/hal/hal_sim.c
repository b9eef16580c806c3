/* SPDX-License-Identifier: MIT */
/*
 * Simulated board and EVs. Commands change the board's outputs; the EV model
 * reacts and the resulting inputs are queued as events. Energy is the exact
 * integral of the piecewise-constant power between hal_advance() calls.
 */
#include "hal_sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX_CONN 4
#define QUEUE_MAX    64

struct sim_conn {
	bool plugged;
	enum sim_ev_mode mode;
	double ev_max_a;
	int ev_phases;
	double cable_a;
	/* Board outputs. */
	int duty;
	bool contactor;
	int contactor_phases;
	bool lock_cmd;
	char led[32];
	int led_pct; /* LED brightness, % */
	bool led_pct_set;
	/* Inputs as last reported. */
	enum iec_cp cp;
	double pp;
	bool lock_fault;
	bool cp_fault;
	bool welded; /* the contactor does not open when told to */
	bool physically_closed;
	/* Meter. */
	double energy_wh;
	double current_a;
	int phases_drawn;
	bool meter_dirty;
};

struct sim {
	struct hal hal; /* first: a struct hal * is a struct sim * */
	struct sim_config cfg;
	struct sim_conn c[SIM_MAX_CONN];
	int64_t now;
	int beeps;
	struct hal_event q[QUEUE_MAX];
	int qn;
};

static struct sim *sim_of(struct hal *h)
{
	return (struct sim *)h;
}

static const struct sim *csim_of(const struct hal *h)
{
	return (const struct sim *)h;
}

static void push(struct sim *s, const struct hal_event *e)
{
	/* Coalesce: a newer event of the same kind replaces an older one. */
	for (int i = 0; i < s->qn; i++) {
		if (s->q[i].type == e->type && s->q[i].conn == e->conn &&
		    (e->type != HE_FAULT || s->q[i].u.fault.id == e->u.fault.id)) {
			memmove(&s->q[i], &s->q[i + 1], (size_t)(s->qn - i - 1) * sizeof s->q[0]);
			s->qn--;
			break;
		}
	}
	if (s->qn < QUEUE_MAX)
		s->q[s->qn++] = *e;
}

static struct sim_conn *conn_of(struct sim *s, int conn)
{
	if (conn < 1 || conn > s->cfg.connectors)
		return NULL;
	return &s->c[conn - 1];
}

/* Integrate energy from s->now to now at the present power. */
static void integrate(struct sim *s, int64_t now)
{
	if (now <= s->now)
		return;
	double hours = (double)(now - s->now) / 3600000.0;
	for (int i = 0; i < s->cfg.connectors; i++) {
		struct sim_conn *c = &s->c[i];
		double p = c->current_a * s->cfg.voltage_v * c->phases_drawn;
		if (p > 0) {
			c->energy_wh += p * hours;
			c->meter_dirty = true;
		}
	}
	s->now = now;
}

/* Re-derive the EV's pilot state and current from the board outputs. */
static void react(struct sim *s, int id)
{
	struct sim_conn *c = &s->c[id - 1];
	enum iec_cp cp;
	double offer = iec_current_from_duty(c->duty);
	if (c->cp_fault)
		cp = IEC_CP_E;
	else if (!c->plugged)
		cp = IEC_CP_A;
	else if (c->mode == SIM_EV_CHARGE && offer > 0)
		cp = IEC_CP_C;
	else
		cp = IEC_CP_B;
	/* Plugging in, the cable's rating is known before the pilot shows the
	 * EV; unplugging, the pilot goes first. */
	double pp = (c->plugged && !s->cfg.tethered) ? c->cable_a : 0;
	bool pp_changed = pp != c->pp, cp_changed = cp != c->cp;
	c->pp = pp;
	c->cp = cp;
	struct hal_event ev_pp = {.type = HE_PP, .conn = id, .u.pp_a = pp};
	struct hal_event ev_cp = {.type = HE_CP, .conn = id, .u.cp = cp};
	if (c->plugged) {
		if (pp_changed)
			push(s, &ev_pp);
		if (cp_changed)
			push(s, &ev_cp);
	} else {
		if (cp_changed)
			push(s, &ev_cp);
		if (pp_changed)
			push(s, &ev_pp);
	}
	double cur = 0;
	int ph = 0;
	if (c->contactor && cp == IEC_CP_C) {
		cur = fmin(offer, c->ev_max_a);
		if (!s->cfg.tethered && c->cable_a > 0)
			cur = fmin(cur, c->cable_a);
		ph = c->ev_phases < c->contactor_phases ? c->ev_phases : c->contactor_phases;
	}
	if (cur != c->current_a || ph != c->phases_drawn) {
		c->current_a = cur;
		c->phases_drawn = ph;
		c->meter_dirty = true;
	}
}

static void emit_meters(struct sim *s)
{
	for (int i = 0; i < s->cfg.connectors; i++) {
		struct sim_conn *c = &s->c[i];
		if (!c->meter_dirty)
			continue;
		c->meter_dirty = false;
		struct hal_event e = {.type = HE_METER, .conn = i + 1};
		struct meter_reading *m = &e.u.meter;
		m->energy_wh = c->energy_wh;
		m->power_w = c->current_a * s->cfg.voltage_v * c->phases_drawn;
		for (int p = 0; p < 3; p++) {
			m->current_a[p] = p < c->phases_drawn ? c->current_a : 0;
			m->voltage_v[p] = s->cfg.voltage_v;
		}
		m->frequency_hz = s->cfg.frequency_hz;
		m->temperature_c = 25.0;
		m->output_v = c->physically_closed ? s->cfg.voltage_v : 0;
		push(s, &e);
	}
}

/* ---- board commands --------------------------------------------------- */

static void cmd_pwm(void *user, int conn, int duty)
{
	struct sim *s = user;
	struct sim_conn *c = conn_of(s, conn);
	if (!c)
		return;
	c->duty = duty;
	react(s, conn);
	emit_meters(s);
}

static void cmd_contactor(void *user, int conn, bool closed, int phases)
{
	struct sim *s = user;
	struct sim_conn *c = conn_of(s, conn);
	if (!c)
		return;
	c->contactor = closed;
	c->contactor_phases = closed ? phases : 0;
	if (closed || !c->welded)
		c->physically_closed = closed;
	c->meter_dirty = true;
	react(s, conn);
	emit_meters(s);
}

static void cmd_lock(void *user, int conn, bool locked)
{
	struct sim *s = user;
	struct sim_conn *c = conn_of(s, conn);
	if (!c)
		return;
	c->lock_cmd = locked;
	bool ok = locked ? !c->lock_fault : false;
	push(s, &(struct hal_event){.type = HE_LOCK, .conn = conn, .u.locked = ok});
}

static void cmd_led(void *user, int conn, const char *pattern)
{
	struct sim *s = user;
	struct sim_conn *c = conn_of(s, conn);
	if (c)
		snprintf(c->led, sizeof c->led, "%s", pattern);
}

static void cmd_led_brightness(void *user, int conn, int percent)
{
	struct sim *s = user;
	struct sim_conn *c = conn_of(s, conn);
	if (c) {
		c->led_pct = percent;
		c->led_pct_set = true;
	}
}

static void cmd_beep(void *user, enum beep_kind kind)
{
	struct sim *s = user;
	s->beeps += kind == BEEP_REJECT ? 2 : 1;
}

/* ---- backend ---------------------------------------------------------- */

static void sim_advance(struct hal *h, int64_t now)
{
	struct sim *s = sim_of(h);
	/* A real meter reports periodically, changed or not: so does this one
	 * whenever time has passed (the core checks contactors with it). */
	if (now > s->now)
		for (int i = 0; i < s->cfg.connectors; i++)
			s->c[i].meter_dirty = true;
	integrate(s, now);
	emit_meters(s);
}

static int sim_poll(struct hal *h, struct hal_event *out, int max)
{
	struct sim *s = sim_of(h);
	int n = s->qn < max ? s->qn : max;
	memcpy(out, s->q, (size_t)n * sizeof *out);
	memmove(s->q, s->q + n, (size_t)(s->qn - n) * sizeof *out);
	s->qn -= n;
	return n;
}

static void sim_free(struct hal *h)
{
	free(sim_of(h));
}

static const struct hal_vtbl sim_vtbl = {"sim", sim_advance, sim_poll, sim_free};

struct hal *hal_sim_new(const struct sim_config *cfg, const double *energy_wh, int64_t now_ms)
{
	struct sim *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	if (s->cfg.connectors > SIM_MAX_CONN)
		s->cfg.connectors = SIM_MAX_CONN;
	s->now = now_ms;
	s->hal.vt = &sim_vtbl;
	s->hal.board = (struct board_ops){s,	   cmd_pwm,  cmd_contactor,	cmd_lock,
					  cmd_led, cmd_beep, cmd_led_brightness};
	for (int i = 0; i < s->cfg.connectors; i++) {
		struct sim_conn *c = &s->c[i];
		c->duty = IEC_DUTY_OFF;
		c->cp = IEC_CP_A;
		c->ev_max_a = cfg->ev_max_a;
		c->ev_phases = cfg->ev_phases;
		c->cable_a = cfg->cable_a;
		c->energy_wh = energy_wh ? energy_wh[i] : 0;
		c->meter_dirty = true;
	}
	if (cfg->has_dip)
		push(s, &(struct hal_event){.type = HE_DIP, .conn = 0, .u.dip = cfg->dip});
	emit_meters(s);
	return &s->hal;
}

bool hal_sim_plug(struct hal *h, int conn, double ev_max_a, int ev_phases, double cable_a)
{
	struct sim *s = sim_of(h);
	struct sim_conn *c = conn_of(s, conn);
	if (!c || c->plugged)
		return false;
	c->plugged = true;
	c->mode = SIM_EV_PAUSE;
	c->ev_max_a = ev_max_a > 0 ? ev_max_a : s->cfg.ev_max_a;
	c->ev_phases = ev_phases > 0 ? ev_phases : s->cfg.ev_phases;
	c->cable_a = cable_a > 0 ? cable_a : s->cfg.cable_a;
	react(s, conn);
	emit_meters(s);
	return true;
}

bool hal_sim_unplug(struct hal *h, int conn)
{
	struct sim *s = sim_of(h);
	struct sim_conn *c = conn_of(s, conn);
	if (!c || !c->plugged)
		return false;
	c->plugged = false;
	react(s, conn);
	emit_meters(s);
	return true;
}

bool hal_sim_ev(struct hal *h, int conn, enum sim_ev_mode mode)
{
	struct sim *s = sim_of(h);
	struct sim_conn *c = conn_of(s, conn);
	if (!c || !c->plugged)
		return false;
	c->mode = mode;
	react(s, conn);
	emit_meters(s);
	return true;
}

void hal_sim_fault(struct hal *h, int conn, enum fault_id f, bool on)
{
	struct sim *s = sim_of(h);
	struct sim_conn *c = conn_of(s, conn);
	if (c && f == FAULT_LOCK)
		c->lock_fault = on;
	if (c && (f == FAULT_RELAY_WELDED || f == FAULT_RELAY_WELDED_N)) {
		/* A welded contactor is not an input the board reports: the
		 * core must notice it. */
		c->welded = on;
		if (!on && !c->contactor)
			c->physically_closed = false;
		c->meter_dirty = true;
		emit_meters(s);
		return;
	}
	if (c && f == FAULT_CP) {
		c->cp_fault = on;
		react(s, conn);
		return;
	}
	push(s,
	     &(struct hal_event){.type = HE_FAULT, .conn = conn, .u.fault = {.id = f, .on = on}});
}

void hal_sim_motion(struct hal *h, double g, double degrees)
{
	push(sim_of(h), &(struct hal_event){.type = HE_MOTION, .u.motion = {g, degrees}});
}

bool hal_sim_plugged(const struct hal *h, int conn)
{
	const struct sim *s = csim_of(h);
	return conn >= 1 && conn <= s->cfg.connectors && s->c[conn - 1].plugged;
}

const char *hal_sim_led(const struct hal *h, int conn)
{
	const struct sim *s = csim_of(h);
	if (conn < 1 || conn > s->cfg.connectors)
		return "";
	return s->c[conn - 1].led;
}

int hal_sim_led_brightness(const struct hal *h, int conn)
{
	const struct sim *s = csim_of(h);
	if (conn < 1 || conn > s->cfg.connectors || !s->c[conn - 1].led_pct_set)
		return -1;
	return s->c[conn - 1].led_pct;
}

double hal_sim_energy(const struct hal *h, int conn)
{
	const struct sim *s = csim_of(h);
	if (conn < 1 || conn > s->cfg.connectors)
		return 0;
	return s->c[conn - 1].energy_wh;
}

int hal_sim_beeps(const struct hal *h)
{
	return csim_of(h)->beeps;
}
