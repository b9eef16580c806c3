/* SPDX-License-Identifier: MIT */
/*
 * Site load management in the daemon (E2 E3): the site meter is read once a
 * second (and at once when the simulated other loads change), lm_site turns
 * the reading into what the charger as a whole may draw per phase, and the
 * charger's arbiter takes it as the load_management limit. The settings are
 * read again at every reading, so a change applies within a second; a change
 * of lm.mode starts the mode afresh. See docs/load-management.md.
 */
#include "site.h"

#include <string.h>

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
	return strcmp(settings_str(d->set, SET_METER_SITE), "sim") == 0;
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
	for (int p = 0; p < 3; p++)
		site_a[p] = d->site_other_a[p] + ev_a[p];
}

void evsed_site_update(struct evsed *d, bool now_please)
{
	int64_t now = evsed_now(d);
	if (!now_please && d->site_read_ms != LM_NEVER && now < d->site_read_ms + SITE_READ_MS)
		return;
	d->site_read_ms = now;
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
	lm_site_update(&c, &d->site, now, site_a, ev_a, evsed_site_meter(d));
	charger_set_load_limit(d->ch, now, d->site.offer_a);
}

int64_t evsed_site_deadline(const struct evsed *d)
{
	if (d->site_mode == LM_MODE_OFF && mode_of(d->set) == LM_MODE_OFF)
		return INT64_MAX;
	return d->site_read_ms == LM_NEVER ? evsed_now(d) : d->site_read_ms + SITE_READ_MS;
}
