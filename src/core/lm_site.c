/* SPDX-License-Identifier: MIT */
/* Site load management: the target per mode, then the re-evaluation rules. */
#include "lm_site.h"

void lm_site_init(const struct lm_site_cfg *c, struct lm_site_state *s)
{
	double v = (c->mode == LM_MODE_EXPORT || c->mode == LM_MODE_SOLAR)
		       ? 0
		       : c->site_limit_a - c->margin_a;
	if (v < 0)
		v = 0;
	for (int p = 0; p < 3; p++)
		s->offer_a[p] = v;
	s->exporting = false;
	s->changed_at = LM_NEVER;
	s->low_since = -1;
}

/* Export / solar: the surplus decides, with the threshold and hysteresis.
 * One value for all phases: the smallest phase surplus (a single-phase EV
 * on the wrong phase must not import). */
static double export_target(const struct lm_site_cfg *c, struct lm_site_state *s, int64_t now,
			    const double site_a[3], const double ev_a[3])
{
	double surplus = 1e9;
	for (int p = 0; p < 3; p++) {
		double sp = ev_a[p] - site_a[p]; /* what is exported without the EV */
		if (sp < surplus)
			surplus = sp;
	}
	if (!s->exporting) {
		if (surplus >= c->export_threshold_a) {
			s->exporting = true;
			s->low_since = -1;
		} else {
			return 0;
		}
	}
	if (surplus < c->low_bound_a || (!c->hysteresis && surplus < c->min_charge_a)) {
		if (!c->hysteresis) {
			s->exporting = false;
			return 0;
		}
		if (s->low_since < 0)
			s->low_since = now;
		if (now - s->low_since >= (int64_t)c->low_bound_s * 1000) {
			s->exporting = false;
			s->low_since = -1;
			return 0;
		}
	} else {
		s->low_since = -1;
	}
	/* Charging: at least the minimum charge amount. */
	return surplus > c->min_charge_a ? surplus : c->min_charge_a;
}

void lm_site_update(const struct lm_site_cfg *c, struct lm_site_state *s, int64_t now,
		    const double site_a[3], const double ev_a[3], bool meter_ok)
{
	double target[3];
	double base = c->site_limit_a - c->margin_a;
	for (int p = 0; p < 3; p++) {
		switch (c->mode) {
		case LM_MODE_OFF:
		case LM_MODE_STATIC:
			target[p] = base;
			break;
		case LM_MODE_DYNAMIC: {
			double others = site_a[p] - ev_a[p];
			target[p] = base - (others > 0 ? others : 0);
			break;
		}
		case LM_MODE_EXPORT:
		case LM_MODE_SOLAR:
			target[p] = 0; /* below */
			break;
		}
	}
	if (c->mode == LM_MODE_EXPORT || c->mode == LM_MODE_SOLAR) {
		double t = meter_ok ? export_target(c, s, now, site_a, ev_a) : 0;
		for (int p = 0; p < 3; p++)
			target[p] = t < base ? t : base;
	}
	/* Without readings: the safe value in dynamic mode (never "carry on at
	 * the last value"); no surplus is known in export / solar mode. */
	if (!meter_ok && c->mode == LM_MODE_DYNAMIC)
		for (int p = 0; p < 3; p++)
			target[p] = c->safe_a < base ? c->safe_a : base;
	for (int p = 0; p < 3; p++)
		if (target[p] < 0)
			target[p] = 0;
	/* Down at once; up only by at least the minimum change and a full
	 * re-evaluation time after the last change (no oscillation). */
	bool rise = false;
	for (int p = 0; p < 3; p++) {
		if (target[p] < s->offer_a[p] - 1e-9) {
			s->offer_a[p] = target[p];
			s->changed_at = now; /* the next rise waits a full period */
		} else if (target[p] - s->offer_a[p] >= c->reeval_min_change_a) {
			rise = true;
		}
	}
	if (rise &&
	    (s->changed_at == LM_NEVER || now - s->changed_at >= (int64_t)c->reeval_s * 1000)) {
		for (int p = 0; p < 3; p++)
			if (target[p] > s->offer_a[p])
				s->offer_a[p] = target[p];
		s->changed_at = now;
	}
}
