/* SPDX-License-Identifier: MIT */
/*
 * Site load management (E2, E3): how much current per phase the charger may
 * draw given the site's supply limit and what a meter at the supply reads.
 * Modes (io7 6.1.10, EVPLUS 10):
 *  - static: the site limit minus the margin, whatever else runs;
 *  - dynamic: the site limit minus the margin minus the other loads, which
 *    are the meter's reading minus what the charger itself draws (EVPLUS
 *    "P_charger = P_max - P_other loads": the other loads always win);
 *  - export / solar: only the current the site exports (its surplus): start
 *    above the export threshold, hold at least the minimum charge amount, and
 *    with hysteresis stop only when the surplus stays below the low bound.
 * Decreases apply at once (the site limit is never exceeded for longer than
 * one reading); increases wait for the re-evaluation time and minimum change,
 * so the offer does not oscillate. A meter that stopped answering gives the
 * safe value. Pure.
 */
#ifndef EVSED_LM_SITE_H
#define EVSED_LM_SITE_H

#include <stdbool.h>
#include <stdint.h>

enum lm_mode { LM_MODE_OFF, LM_MODE_STATIC, LM_MODE_DYNAMIC, LM_MODE_EXPORT, LM_MODE_SOLAR };

struct lm_site_cfg {
	enum lm_mode mode;
	double site_limit_a; /* per phase */
	double margin_a;
	double min_charge_a; /* io7 Minimum Charge Amount */
	double export_threshold_a;
	bool hysteresis;
	double low_bound_a; /* stop when the surplus stays below this */
	int low_bound_s;    /* ... for this long */
	double reeval_min_change_a;
	int reeval_s;
	double safe_a; /* without meter readings */
};

struct lm_site_state {
	double offer_a[3];  /* what the charger may draw per phase */
	bool exporting;	    /* export / solar: charging started */
	int64_t changed_at; /* last change of the offer (ms), LM_NEVER = none yet */
	int64_t low_since;  /* surplus below the low bound since (ms), -1 = not */
};

#define LM_NEVER INT64_MIN

/* Start state: nothing offered in export / solar, the site limit else. */
void lm_site_init(const struct lm_site_cfg *c, struct lm_site_state *s);

/* A new reading at now (ms): site_a the meter at the supply per phase
 * (positive import, negative export), ev_a what the charger draws per phase,
 * meter_ok false when the meter stopped answering. Updates s->offer_a. */
void lm_site_update(const struct lm_site_cfg *c, struct lm_site_state *s, int64_t now,
		    const double site_a[3], const double ev_a[3], bool meter_ok);

#endif
