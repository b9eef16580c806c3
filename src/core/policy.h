/* SPDX-License-Identifier: MIT */
/*
 * Local charging policies, the limits a charger applies by itself before any
 * CSMS says anything: the UK default no-charging periods (D1, io7 6.1.12),
 * the randomised delay before power is offered (D2), the default hours of
 * operation per weekday (D3, MQ200 7.3.2) and cold load pickup after a power
 * loss with "resume charge after reboot" (A12, MQ200 4, 7.3.2, 9.4.3).
 *
 * Pure: the time (monotonic ms and UTC), the time zone and the random
 * numbers are inputs. Each evaluation names the limit that holds a connector
 * at 0 A (LIM_NO_CHARGE, LIM_HOURS, LIM_COLD_LOAD, LIM_RANDOM_DELAY) and the
 * time it may change, so that the charger re-arbitrates at that instant. It
 * does not decide currents (every policy here allows all or nothing), keep
 * sessions or know OCPP: whether a CSMS charging profile applies is told to
 * it (CSMS profiles supersede the hours of operation).
 */
#ifndef EVSED_POLICY_H
#define EVSED_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arbiter.h"
#include "tz.h"

struct settings;

/* Most no-charging periods (io7: two). */
#define POLICY_NO_CHARGE_MAX 2
/* Cold load pickup: the delay is at least this long (MQ200 9.4.3). */
#define POLICY_COLD_LOAD_MIN_S 120

/* A daily window of local wall time: [start, end) in seconds of the day,
 * 0-86400. end <= start crosses midnight (it ends the next day). */
struct policy_window {
	bool used; /* false: no window (an unused period; hours: closed) */
	int start, end;
};

/* Parse a no-charging period "HH:MM-HH:MM" (24:00 allowed as the end; start
 * and end differ; an end before the start crosses midnight) or "" (not
 * used). false with err ("must be HH:MM-HH:MM ...") on failure. */
bool policy_parse_period(const char *text, struct policy_window *out, char *err, size_t errlen);

/* Parse hours of operation "HHMM-HHMM" (MQ200: the end minute is included,
 * so "0000-2359" is the whole day; an end before the start runs into the
 * next day) or "closed". false with err on failure. */
bool policy_parse_hours(const char *text, struct policy_window *out, char *err, size_t errlen);

/* The policies' settings, parsed. */
struct policy_cfg {
	struct tz_rule tz;
	bool no_charge_enabled;
	struct policy_window no_charge[POLICY_NO_CHARGE_MAX];
	struct policy_window hours[7]; /* by local weekday, Sunday = 0 */
	int random_delay_max;	       /* s, 0 = no randomised delay */
	int cold_load_max;	       /* s, 0 = no cold load pickup delay */
	bool resume_after_reboot;
};

/* Read the configuration from the settings (time.zone, policy.*, hours.*,
 * cold_load.max_delay, resume_after_reboot). Values the registry accepted
 * always parse; should one not, its policy is off (UTC for the zone). */
void policy_cfg_load(struct policy_cfg *cfg, const struct settings *s);

/* A random source: 32 random bits per call. fn NULL: every draw is 0 (the
 * shortest delay). */
struct policy_rng {
	uint32_t (*fn)(void *user);
	void *user;
};

/* A draw from rng, uniform over the whole seconds lo..hi (hi >= lo). */
int policy_draw(const struct policy_rng *rng, int lo, int hi);

/* The policy state of one connector, kept by the charger. Zero it at
 * start. */
struct policy_conn {
	int64_t delay_until; /* D2: no power before this (monotonic ms), 0 = none */
	bool restricted;     /* the last evaluation found a period / closed hours */
	bool held;	     /* A12: an EV there through a power loss, not resumed */
};

/* The state of the charger as a whole. */
struct policy_charger {
	int64_t cold_until; /* A12: no power before this (monotonic ms), 0 = none */
};

/* What the policies say about one connector now. */
struct policy_result {
	enum limit_src src; /* LIM_NONE: nothing held back; else offer 0 A */
	int64_t next;	    /* monotonic ms when this may change; INT64_MAX: never */
};

/* The clock of an evaluation: monotonic now_ms and UTC (ms) at that time. */
struct policy_clock {
	int64_t now_ms;
	int64_t utc_ms;
};

/* A session starts on the connector: the randomised delay (D2) is drawn
 * from rng, 0..random_delay_max s from now. explicit_start: started by a
 * person or the CSMS (card, remote start), not by free charging on plug;
 * it ends a cold load hold (A12). */
void policy_session_start(const struct policy_cfg *cfg, struct policy_conn *pc,
			  const struct policy_rng *rng, int64_t now_ms, bool explicit_start);

/* The charger starts after a power loss: the cold load pickup delay is
 * drawn from rng, 120..cold_load_max s from now (none if cold_load_max is
 * 0). */
void policy_power_loss(const struct policy_cfg *cfg, struct policy_charger *pch,
		       const struct policy_rng *rng, int64_t now_ms);

/* The board has reported what was plugged through the power loss: with
 * resume_after_reboot false, a connector plugged now is held (nothing
 * offered) until its EV is unplugged (policy_unplugged) or an explicit
 * session start. */
void policy_board_ready(const struct policy_cfg *cfg, struct policy_conn *pc, bool plugged);

/* The EV left the connector: a cold load hold ends. */
void policy_unplugged(struct policy_conn *pc);

/* Evaluate the policies for a connector with a session, at clk. In order,
 * the first that applies names the result: a cold load hold, a no-charging
 * period (if enabled), closed hours of operation (not while
 * csms_profile_active: CSMS charging profiles supersede them), the cold load
 * pickup delay, the randomised delay. When a period or closed hours end
 * during the session, a new randomised delay is drawn from rng (D2: every
 * start of charging is randomised, not only the session's). */
struct policy_result policy_eval(const struct policy_cfg *cfg, struct policy_conn *pc,
				 const struct policy_charger *pch, const struct policy_rng *rng,
				 const struct policy_clock *clk, bool csms_profile_active);

/* Is the local time at utc (s) in one of the enabled no-charging periods?
 * *next (may be NULL) receives the UTC second it may change. */
bool policy_in_no_charge(const struct policy_cfg *cfg, int64_t utc, int64_t *next);

/* Is the local time at utc (s) outside the hours of operation? *next (may
 * be NULL) receives the UTC second it may change. */
bool policy_outside_hours(const struct policy_cfg *cfg, int64_t utc, int64_t *next);

/* Does a limit source hold a session back for a delay or a time of day
 * (the "charging delayed" indication), rather than a fault or the EV? */
bool policy_delays(enum limit_src src);

#endif
