/* SPDX-License-Identifier: MIT */
/*
 * Local charging policies (D1 D2 D3 A12): daily windows of local time, the
 * randomised and cold load pickup delays, and the order in which they name
 * the limit. Pure: no clock, no rand(); see policy.h.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "settings.h"

#define DAY_S 86400

/* ---- parsing ------------------------------------------------------------- */

/* n digits at p as a number, or -1. */
static int digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* "HH:MM" at p into seconds of the day; 24:00 only if allow_24. */
static bool parse_hh_mm(const char *p, bool allow_24, int *out)
{
	int h = digits(p, 2), m = p[2] == ':' ? digits(p + 3, 2) : -1;
	if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && (!allow_24 || m != 0)))
		return false;
	*out = (h * 60 + m) * 60;
	return true;
}

bool policy_parse_period(const char *text, struct policy_window *out, char *err, size_t errlen)
{
	struct policy_window w = {false, 0, 0};
	if (text[0] == '\0') {
		*out = w;
		return true;
	}
	if (strlen(text) != 11 || text[5] != '-' || !parse_hh_mm(text, false, &w.start) ||
	    !parse_hh_mm(text + 6, true, &w.end)) {
		snprintf(err, errlen,
			 "must be HH:MM-HH:MM (e.g. 08:00-11:00; 24:00 may end a period) or "
			 "empty");
		return false;
	}
	if (w.start == w.end % DAY_S && w.end != DAY_S) {
		snprintf(err, errlen, "start and end must differ");
		return false;
	}
	w.used = true;
	*out = w;
	return true;
}

bool policy_parse_hours(const char *text, struct policy_window *out, char *err, size_t errlen)
{
	struct policy_window w = {false, 0, 0};
	if (strcmp(text, "closed") == 0) {
		*out = w;
		return true;
	}
	int h1 = -1, m1 = -1, h2 = -1, m2 = -1;
	if (strlen(text) == 9 && text[4] == '-') {
		h1 = digits(text, 2);
		m1 = digits(text + 2, 2);
		h2 = digits(text + 5, 2);
		m2 = digits(text + 7, 2);
	}
	if (h1 < 0 || m1 < 0 || h2 < 0 || m2 < 0 || h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) {
		snprintf(err, errlen,
			 "must be HHMM-HHMM (e.g. 0000-2359, the end minute included) "
			 "or closed");
		return false;
	}
	w.used = true;
	w.start = (h1 * 60 + m1) * 60;
	w.end = (h2 * 60 + m2 + 1) * 60;
	*out = w;
	return true;
}

/* ---- configuration ------------------------------------------------------- */

void policy_cfg_load(struct policy_cfg *cfg, const struct settings *s)
{
	static const enum set_id periods[POLICY_NO_CHARGE_MAX] = {SET_POLICY_NO_CHARGE_1,
								  SET_POLICY_NO_CHARGE_2};
	/* Sunday first, as struct tz_local counts weekdays. */
	static const enum set_id hours[7] = {SET_HOURS_SUN, SET_HOURS_MON, SET_HOURS_TUE,
					     SET_HOURS_WED, SET_HOURS_THU, SET_HOURS_FRI,
					     SET_HOURS_SAT};
	char err[160];
	memset(cfg, 0, sizeof *cfg);
	if (!tz_parse(settings_str(s, SET_TIME_ZONE), &cfg->tz, err, sizeof err))
		(void)tz_parse("UTC0", &cfg->tz, err, sizeof err);
	cfg->no_charge_enabled = settings_bool(s, SET_POLICY_NO_CHARGE_ENABLED);
	for (int i = 0; i < POLICY_NO_CHARGE_MAX; i++)
		if (!policy_parse_period(settings_str(s, periods[i]), &cfg->no_charge[i], err,
					 sizeof err))
			cfg->no_charge[i].used = false;
	for (int d = 0; d < 7; d++)
		if (!policy_parse_hours(settings_str(s, hours[d]), &cfg->hours[d], err, sizeof err))
			cfg->hours[d] = (struct policy_window){true, 0, DAY_S};
	cfg->random_delay_max = (int)settings_int(s, SET_POLICY_RANDOM_DELAY_MAX);
	cfg->cold_load_max = (int)settings_int(s, SET_COLD_LOAD_MAX_DELAY);
	cfg->resume_after_reboot = settings_bool(s, SET_RESUME_AFTER_REBOOT);
}

/* ---- random delays ------------------------------------------------------- */

int policy_draw(const struct policy_rng *rng, int lo, int hi)
{
	if (hi <= lo || !rng || !rng->fn)
		return lo;
	uint64_t r = rng->fn(rng->user);
	/* Scaled, not taken modulo: every second equally likely to 2^-32. */
	return lo + (int)((r * (uint64_t)(hi - lo + 1)) >> 32);
}

void policy_session_start(const struct policy_cfg *cfg, struct policy_conn *pc,
			  const struct policy_rng *rng, int64_t now_ms, bool explicit_start)
{
	pc->restricted = false;
	pc->delay_until = 0;
	if (cfg->random_delay_max > 0)
		pc->delay_until = now_ms + 1000LL * policy_draw(rng, 0, cfg->random_delay_max);
	if (explicit_start)
		pc->held = false;
}

void policy_power_loss(const struct policy_cfg *cfg, struct policy_charger *pch,
		       const struct policy_rng *rng, int64_t now_ms)
{
	pch->cold_until = 0;
	if (cfg->cold_load_max >= POLICY_COLD_LOAD_MIN_S)
		pch->cold_until =
		    now_ms + 1000LL * policy_draw(rng, POLICY_COLD_LOAD_MIN_S, cfg->cold_load_max);
}

void policy_board_ready(const struct policy_cfg *cfg, struct policy_conn *pc, bool plugged)
{
	pc->held = plugged && !cfg->resume_after_reboot;
}

void policy_unplugged(struct policy_conn *pc)
{
	pc->held = false;
}

/* ---- windows of local time ----------------------------------------------- */

static bool in_window(const struct policy_window *w, int tod)
{
	if (!w->used)
		return false;
	if (w->start < w->end)
		return tod >= w->start && tod < w->end;
	return tod >= w->start || tod < w->end;
}

/* The first UTC second after utc when the local time of day is one of
 * tods[0..n), or the wall clock jumps (a daylight saving change) before
 * that. Between utc and the result, the local windows cannot change. */
static int64_t next_edge(const struct tz_rule *tz, int64_t utc, const int *tods, int n)
{
	int64_t next = INT64_MAX;
	for (int i = 0; i < n; i++) {
		int64_t t = tz_next_local_time(tz, utc, tods[i] % DAY_S);
		if (t > utc && t < next)
			next = t;
	}
	if (next == INT64_MAX)
		return next;
	int32_t off = tz_offset(tz, utc);
	if (tz_offset(tz, next) != off) {
		/* Bisect for the change: the offset is a step function and
		 * changes at most once within a day. */
		int64_t lo = utc, hi = next;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (tz_offset(tz, mid) == off)
				lo = mid;
			else
				hi = mid;
		}
		next = hi;
	}
	return next;
}

static int time_of_day(const struct tz_local *l)
{
	return (l->hour * 60 + l->minute) * 60 + l->second;
}

bool policy_in_no_charge(const struct policy_cfg *cfg, int64_t utc, int64_t *next)
{
	int tods[2 * POLICY_NO_CHARGE_MAX];
	int n = 0;
	bool in = false;
	if (next)
		*next = INT64_MAX;
	if (!cfg->no_charge_enabled)
		return false;
	struct tz_local l;
	tz_local(&cfg->tz, utc, &l);
	for (int i = 0; i < POLICY_NO_CHARGE_MAX; i++) {
		const struct policy_window *w = &cfg->no_charge[i];
		if (!w->used)
			continue;
		in = in || in_window(w, time_of_day(&l));
		tods[n++] = w->start;
		tods[n++] = w->end;
	}
	if (next && n)
		*next = next_edge(&cfg->tz, utc, tods, n);
	return in;
}

bool policy_outside_hours(const struct policy_cfg *cfg, int64_t utc, int64_t *next)
{
	struct tz_local l;
	tz_local(&cfg->tz, utc, &l);
	int tod = time_of_day(&l);
	const struct policy_window *today = &cfg->hours[l.wday];
	const struct policy_window *yday = &cfg->hours[(l.wday + 6) % 7];
	bool open = false;
	if (today->used)
		open = today->start < today->end ? tod >= today->start && tod < today->end
						 : tod >= today->start;
	/* Yesterday's hours may run past midnight into today. */
	if (yday->used && yday->end <= yday->start && tod < yday->end)
		open = true;
	bool always = true;
	for (int d = 0; d < 7; d++)
		always = always && cfg->hours[d].used && cfg->hours[d].start == 0 &&
			 cfg->hours[d].end == DAY_S;
	if (next && always)
		*next = INT64_MAX;
	else if (next) {
		/* Midnight changes the weekday; every start and end may matter. */
		int tods[1 + 2 * 7];
		int n = 0;
		tods[n++] = 0;
		for (int d = 0; d < 7; d++) {
			if (!cfg->hours[d].used)
				continue;
			tods[n++] = cfg->hours[d].start;
			tods[n++] = cfg->hours[d].end;
		}
		*next = next_edge(&cfg->tz, utc, tods, n);
	}
	return !open;
}

/* ---- evaluation ---------------------------------------------------------- */

static int64_t utc_seconds(int64_t utc_ms)
{
	return utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000;
}

static void earliest(int64_t *next, int64_t t)
{
	if (t < *next)
		*next = t;
}

struct policy_result policy_eval(const struct policy_cfg *cfg, struct policy_conn *pc,
				 const struct policy_charger *pch, const struct policy_rng *rng,
				 const struct policy_clock *clk, bool csms_profile_active)
{
	struct policy_result r = {LIM_NONE, INT64_MAX};
	int64_t now = clk->now_ms;
	int64_t utc = utc_seconds(clk->utc_ms);
	int64_t n_period = INT64_MAX, n_hours = INT64_MAX;
	bool period = policy_in_no_charge(cfg, utc, &n_period);
	bool closed = !csms_profile_active && policy_outside_hours(cfg, utc, &n_hours);
	/* A wall-clock edge in UTC seconds, as monotonic ms. */
	if (n_period != INT64_MAX)
		earliest(&r.next, now + (n_period * 1000 - clk->utc_ms));
	if (n_hours != INT64_MAX)
		earliest(&r.next, now + (n_hours * 1000 - clk->utc_ms));

	bool restricted = period || closed;
	if (pc->restricted && !restricted) {
		/* Charging may start again: randomised like a session start. */
		pc->delay_until = 0;
		if (cfg->random_delay_max > 0)
			pc->delay_until = now + 1000LL * policy_draw(rng, 0, cfg->random_delay_max);
	}
	pc->restricted = restricted;
	bool cold = pch->cold_until > now;
	bool delay = pc->delay_until > now;
	if (cold)
		earliest(&r.next, pch->cold_until);
	if (delay)
		earliest(&r.next, pc->delay_until);

	if (pc->held && !cfg->resume_after_reboot)
		r.src = LIM_COLD_LOAD;
	else if (period)
		r.src = LIM_NO_CHARGE;
	else if (closed)
		r.src = LIM_HOURS;
	else if (cold)
		r.src = LIM_COLD_LOAD;
	else if (delay)
		r.src = LIM_RANDOM_DELAY;
	return r;
}

bool policy_delays(enum limit_src src)
{
	return src == LIM_NO_CHARGE || src == LIM_RANDOM_DELAY || src == LIM_COLD_LOAD ||
	       src == LIM_HOURS || src == LIM_SCHEDULE;
}
