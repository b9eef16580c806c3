/* SPDX-License-Identifier: MIT */
/*
 * Site load management in the daemon (E2 E3): the site meter is read once a
 * second (and at once when the simulated other loads change), lm_site turns
 * the reading into what the charger as a whole may draw per phase, and the
 * charger's arbiter takes it as the load_management limit. The settings are
 * read again at every reading, so a change applies within a second; a change
 * of lm.mode starts the mode afresh. See docs/load-management.md.
 *
 * A Modbus site meter (E1) is read by its own thread (io/meter_modbus.c);
 * each second the loop takes the latest reading. A reading older than
 * meter.timeout (real time, also under the simulated clock: the meter is
 * real I/O) is no reading: load management falls to its safe value and, once
 * no valid reading came for meter.timeout, every connector reports
 * meter_timeout until readings come back.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "../io/meter_modbus.h"

#define SITE_READ_MS 1000

/* lm.mode's values are listed in the order of enum lm_mode. */
static enum lm_mode mode_of(const struct settings *set)
{
	int m = settings_enum(set, SET_LM_MODE);
	return m < 0 ? LM_MODE_OFF : (enum lm_mode)m;
}

static void cfg_of(const struct settings *set, struct lm_site_cfg *c)
{
	c->mode = mode_of(set);
	c->site_limit_a = settings_double(set, SET_LM_SITE_LIMIT);
	c->margin_a = settings_double(set, SET_LM_MARGIN);
	c->min_charge_a = settings_double(set, SET_LM_MIN_CURRENT);
	c->export_threshold_a = settings_double(set, SET_LM_EXPORT_THRESHOLD);
	c->hysteresis = settings_bool(set, SET_LM_EXPORT_HYSTERESIS);
	c->low_bound_a = settings_double(set, SET_LM_EXPORT_LOW_BOUND);
	c->reeval_min_change_a = settings_double(set, SET_LM_REEVAL_MIN_CHANGE);
	c->reeval_s = (int)settings_int(set, SET_LM_REEVAL_TIME);
	/* The export must stay low for one re-evaluation time to stop. */
	c->low_bound_s = c->reeval_s;
	/* Without site readings: the minimum charge current, never more. */
	c->safe_a = c->min_charge_a;
}

bool evsed_site_meter(const struct evsed *d)
{
	return d->site_spec.kind != METER_NONE;
}

bool evsed_site_sim(const struct evsed *d)
{
	return d->site_spec.kind == METER_SIM;
}

/* From the meter's reader thread: a new reading, wake the loop. */
static void wake_loop(void *user)
{
	struct evsed *d = user;
	if (d->ctx)
		lws_cancel_service(d->ctx);
}

void evsed_site_poll(struct evsed *d)
{
	if (!d->site_meter)
		return;
	struct meter_snapshot snap;
	meter_modbus_latest(d->site_meter, &snap);
	if (snap.reads == d->site_reads_seen)
		return;
	d->site_reads_seen = snap.reads;
	evsed_sync(d);
	evsed_site_update(d, true);
}

bool evsed_site_start(struct evsed *d, char *err, size_t errlen)
{
	char why[256];
	/* Validated when the setting was set; a failure here is a bug. */
	if (!meter_spec_parse(settings_str(d->set, SET_METER_SITE), &d->site_spec, why,
			      sizeof why)) {
		snprintf(err, errlen, "meter.site: %s", why);
		return false;
	}
	const struct meter_spec *sp = &d->site_spec;
	if (sp->kind != METER_RTU && sp->kind != METER_TCP)
		return true;
	d->site_meter_since = d->mono_ms();
	d->site_meter = meter_modbus_start(sp, (int)settings_int(d->set, SET_METER_POLL_MS),
					   d->mono_ms, wake_loop, d, why, sizeof why);
	if (!d->site_meter) {
		snprintf(err, errlen, "site meter: %s", why);
		return false;
	}
	if (settings_int(d->set, SET_METER_POLL_MS) >=
	    settings_int(d->set, SET_METER_TIMEOUT) * 1000)
		evsed_log(
		    d,
		    "site meter: warning: meter.poll_ms %lld is not below meter.timeout %lld s: "
		    "every reading may come too late",
		    (long long)settings_int(d->set, SET_METER_POLL_MS),
		    (long long)settings_int(d->set, SET_METER_TIMEOUT));
	if (sp->kind == METER_TCP)
		evsed_log(d, "site meter: %s over Modbus TCP at %s:%d unit %d", sp->model->desc,
			  sp->host, sp->port, sp->address);
	else
		evsed_log(d, "site meter: %s over Modbus RTU on %s %d %c address %d",
			  sp->model->desc, sp->device, sp->baud, sp->parity, sp->address);
	return true;
}

void evsed_site_stop(struct evsed *d)
{
	meter_modbus_stop(d->site_meter);
	d->site_meter = NULL;
}

/* The Modbus meter's latest reading, if it is valid and fresh. */
static bool modbus_fresh(const struct evsed *d, struct meter_snapshot *snap)
{
	meter_modbus_latest(d->site_meter, snap);
	int64_t timeout_ms = settings_int(d->set, SET_METER_TIMEOUT) * 1000;
	return snap->have && d->mono_ms() - snap->at_ms <= timeout_ms;
}

/* meter_timeout on every connector, on or off. */
static void meter_fault(struct evsed *d, bool on, const struct meter_snapshot *snap)
{
	if (d->site_meter_fault == on)
		return;
	d->site_meter_fault = on;
	if (on)
		evsed_log(d, "site meter: no valid reading for %lld s: meter_timeout (%s)",
			  (long long)settings_int(d->set, SET_METER_TIMEOUT),
			  snap->last_error[0] ? snap->last_error : "no answer yet");
	else
		evsed_log(d, "site meter: readings again: meter_timeout cleared");
	int64_t now = evsed_now(d);
	for (int i = 1; i <= charger_connectors(d->ch); i++)
		charger_on_fault(d->ch, now, i, FAULT_METER_TIMEOUT, on);
}

/* Is there a site reading now? Raises or clears meter_timeout. */
static bool site_meter_ok(struct evsed *d)
{
	if (!d->site_meter)
		return d->site_spec.kind == METER_SIM;
	struct meter_snapshot snap;
	bool fresh = modbus_fresh(d, &snap);
	int64_t since = snap.have ? snap.at_ms : d->site_meter_since;
	int64_t timeout_ms = settings_int(d->set, SET_METER_TIMEOUT) * 1000;
	if (fresh)
		meter_fault(d, false, &snap);
	else if (d->mono_ms() - since >= timeout_ms)
		meter_fault(d, true, &snap);
	return fresh;
}

bool evsed_site_fresh(const struct evsed *d)
{
	if (!d->site_meter)
		return d->site_spec.kind == METER_SIM;
	struct meter_snapshot snap;
	return modbus_fresh(d, &snap);
}

void evsed_site_reading(const struct evsed *d, double site_a[3], double ev_a[3])
{
	for (int p = 0; p < 3; p++)
		ev_a[p] = 0;
	for (int i = 1; i <= charger_connectors(d->ch); i++) {
		struct conn_info ci;
		if (charger_conn_info(d->ch, i, &ci))
			for (int p = 0; p < 3; p++)
				ev_a[p] += ci.meter.current_a[p];
	}
	if (d->site_meter) {
		struct meter_snapshot snap;
		bool fresh = modbus_fresh(d, &snap);
		for (int p = 0; p < 3; p++)
			site_a[p] = fresh ? snap.r.current_a[p] : 0;
		return;
	}
	for (int p = 0; p < 3; p++)
		site_a[p] = d->site_other_a[p] + ev_a[p];
}

void evsed_site_update(struct evsed *d, bool now_please)
{
	int64_t now = evsed_now(d);
	if (!now_please && d->site_read_ms != LM_NEVER && now < d->site_read_ms + SITE_READ_MS)
		return;
	d->site_read_ms = now;
	bool meter_ok = site_meter_ok(d);
	struct lm_site_cfg c;
	cfg_of(d->set, &c);
	if (c.mode == LM_MODE_OFF) {
		d->site_mode = LM_MODE_OFF;
		charger_set_load_limit(d->ch, now, NULL);
		return;
	}
	if (c.mode != d->site_mode) {
		lm_site_init(&c, &d->site);
		d->site_mode = c.mode;
	}
	double site_a[3], ev_a[3];
	evsed_site_reading(d, site_a, ev_a);
	lm_site_update(&c, &d->site, now, site_a, ev_a, meter_ok);
	charger_set_load_limit(d->ch, now, d->site.offer_a);
}

int64_t evsed_site_deadline(const struct evsed *d)
{
	if (d->site_mode == LM_MODE_OFF && mode_of(d->set) == LM_MODE_OFF && !d->site_meter)
		return INT64_MAX;
	return d->site_read_ms == LM_NEVER ? evsed_now(d) : d->site_read_ms + SITE_READ_MS;
}

json_t *evsed_site_meter_json(const struct evsed *d)
{
	const struct meter_spec *sp = &d->site_spec;
	if (sp->kind == METER_NONE)
		return json_null();
	double site_a[3], ev_a[3];
	evsed_site_reading(d, site_a, ev_a);
	if (sp->kind == METER_SIM)
		return json_pack("{s:s, s:n, s:b, s:i, s:[f,f,f]}", "source", "sim", "model", "ok",
				 1, "age_s", 0, "current_a", site_a[0], site_a[1], site_a[2]);
	struct meter_snapshot snap;
	bool fresh = modbus_fresh(d, &snap);
	const struct mm_reading *r = &snap.r;
	json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:I, s:I, s:s?}", "source",
			      sp->kind == METER_TCP ? "modbus-tcp" : "modbus-rtu", "model",
			      sp->model->name, "ok", fresh, "connected", snap.connected, "reads",
			      (json_int_t)snap.reads, "errors", (json_int_t)snap.errors,
			      "last_error", snap.last_error[0] ? snap.last_error : NULL);
	json_object_set_new(o, "age_s",
			    snap.have ? json_real((double)(d->mono_ms() - snap.at_ms) / 1000.0)
				      : json_null());
	json_object_set_new(
	    o, "current_a",
	    snap.have ? json_pack("[f,f,f]", r->current_a[0], r->current_a[1], r->current_a[2])
		      : json_null());
	bool v = snap.have && (r->have & (1u << MQ_VOLTAGE));
	json_object_set_new(
	    o, "voltage_v",
	    v ? json_pack("[f,f,f]", r->voltage_v[0], r->voltage_v[1], r->voltage_v[2])
	      : json_null());
	bool pw = snap.have && (r->have & (1u << MQ_POWER));
	json_object_set_new(o, "power_w",
			    pw ? json_pack("[f,f,f]", r->power_w[0], r->power_w[1], r->power_w[2])
			       : json_null());
	bool e = snap.have && (r->have & (1u << MQ_ENERGY_IMPORT));
	json_object_set_new(o, "energy_import_kwh",
			    e ? json_real(r->energy_import_kwh) : json_null());
	json_object_set_new(o, "timeout", json_boolean(d->site_meter_fault));
	return o;
}
