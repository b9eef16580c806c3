/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the local charging policies (policy.c, D1 D2 D3 A12): the
 * period and hours syntaxes, the UK default no-charging periods in
 * Europe/London on winter, summer and both DST days (and periods across
 * midnight), the hours of operation of each weekday (across midnight too),
 * the bounds of the randomised and cold load pickup delays drawn from a
 * seeded source, the order in which the policies name the limit, the cold
 * load hold and the "resume charge after reboot" toggle. The configuration
 * comes from the settings registry, as in the charger. Instants are UTC text.
 */
#include "vclock.h"

#include <stdio.h>
#include <string.h>

#include "core/policy.h"
#include "core/settings.h"

static int64_t utc(const char *text)
{
	int64_t t = 0;
	if (!settings_parse_utc(text, &t))
		fail_msg("bad UTC text in the table: %s", text);
	return t;
}

static const char *fmt(int64_t t, char *buf, size_t len)
{
	if (t == INT64_MAX)
		snprintf(buf, len, "never");
	else
		settings_format_utc(t, buf, len);
	return buf;
}

/* A configuration from a profile's defaults and "key=value" overrides. */
static struct policy_cfg config(enum profile_id p, const char *const *sets)
{
	struct settings *s = settings_new(p);
	assert_non_null(s);
	for (int i = 0; sets && sets[i]; i++) {
		char key[64], err[200];
		const char *eq = strchr(sets[i], '=');
		assert_non_null(eq);
		snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
		if (settings_set(s, key, eq + 1, SRC_CLI, err, sizeof err, NULL) != SET_OK)
			fail_msg("%s", err);
	}
	struct policy_cfg cfg;
	policy_cfg_load(&cfg, s);
	settings_free(s);
	return cfg;
}

/* A seeded xorshift64* source. */
static uint32_t xorshift(void *user)
{
	uint64_t *x = user;
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return (uint32_t)((*x * 2685821657736338717ULL) >> 32);
}

/* A source that always gives the same bits. */
static uint32_t constant(void *user)
{
	return *(const uint32_t *)user;
}

/* ---- syntax --------------------------------------------------------------- */

struct syntax_row {
	const char *text;
	bool ok, used;
	int start, end;
};

static void period_syntax(void **state)
{
	(void)state;
	static const struct syntax_row rows[] = {
	    {"08:00-11:00", true, true, 8 * 3600, 11 * 3600},
	    {"16:00-22:00", true, true, 16 * 3600, 22 * 3600},
	    {"22:30-06:15", true, true, 22 * 3600 + 1800, 6 * 3600 + 900},
	    {"00:00-24:00", true, true, 0, 86400},
	    {"23:59-00:00", true, true, 86340, 0},
	    {"", true, false, 0, 0},
	    {"8:00-11:00", false, false, 0, 0},
	    {"08:00-08:00", false, false, 0, 0},
	    {"24:00-01:00", false, false, 0, 0},
	    {"08:00-24:30", false, false, 0, 0},
	    {"25:00-01:00", false, false, 0, 0},
	    {"08:60-09:00", false, false, 0, 0},
	    {"08:00 11:00", false, false, 0, 0},
	    {"08:00-11:00x", false, false, 0, 0},
	    {"0800-1100", false, false, 0, 0},
	    {"ab:cd-ef:gh", false, false, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct syntax_row *r = &rows[i];
		struct policy_window w = {true, -1, -1};
		char err[160] = "";
		bool ok = policy_parse_period(r->text, &w, err, sizeof err);
		if (ok != r->ok)
			fail_msg("\"%s\": %s, expected %s (%s)", r->text, ok ? "ok" : "refused",
				 r->ok ? "ok" : "refused", err);
		if (!ok) {
			assert_non_null(strstr(err, "HH:MM-HH:MM") ? err : strstr(err, "differ"));
			continue;
		}
		if (w.used != r->used || (r->used && (w.start != r->start || w.end != r->end)))
			fail_msg("\"%s\": used %d %d-%d", r->text, w.used, w.start, w.end);
	}
}

static void hours_syntax(void **state)
{
	(void)state;
	static const struct syntax_row rows[] = {
	    {"0000-2359", true, true, 0, 86400},
	    {"1000-2359", true, true, 36000, 86400},
	    {"0800-1759", true, true, 8 * 3600, 18 * 3600},
	    {"2200-0559", true, true, 22 * 3600, 6 * 3600},
	    {"0000-0000", true, true, 0, 60},
	    {"closed", true, false, 0, 0},
	    {"2400-0100", false, false, 0, 0},
	    {"0960-1000", false, false, 0, 0},
	    {"000-2359", false, false, 0, 0},
	    {"0000-2359 ", false, false, 0, 0},
	    {"00:00-23:59", false, false, 0, 0},
	    {"", false, false, 0, 0},
	    {"Closed", false, false, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct syntax_row *r = &rows[i];
		struct policy_window w = {true, -1, -1};
		char err[160] = "";
		bool ok = policy_parse_hours(r->text, &w, err, sizeof err);
		if (ok != r->ok)
			fail_msg("\"%s\": %s, expected %s (%s)", r->text, ok ? "ok" : "refused",
				 r->ok ? "ok" : "refused", err);
		if (!ok) {
			assert_non_null(strstr(err, "HHMM-HHMM"));
			continue;
		}
		if (w.used != r->used || (r->used && (w.start != r->start || w.end != r->end)))
			fail_msg("\"%s\": used %d %d-%d", r->text, w.used, w.start, w.end);
	}
}

/* The registry refuses what the policies cannot parse, naming the key. */
static void settings_validate_policies(void **state)
{
	(void)state;
	static const struct {
		const char *key, *value;
		bool ok;
	} rows[] = {
	    {"policy.no_charge_1", "07:30-09:30", true},
	    {"policy.no_charge_2", "", true},
	    {"policy.no_charge_1", "7:30-9:30", false},
	    {"policy.no_charge_2", "10:00-10:00", false},
	    {"hours.mon", "1000-2359", true},
	    {"hours.sun", "closed", true},
	    {"hours.wed", "10-23", false},
	    {"policy.random_delay_max", "1800", true},
	    {"policy.random_delay_max", "1801", false},
	    {"policy.random_delay_max", "-1", false},
	    {"cold_load.max_delay", "0", true},
	    {"cold_load.max_delay", "120", true},
	    {"cold_load.max_delay", "3600", true},
	    {"cold_load.max_delay", "119", false},
	    {"cold_load.max_delay", "1", false},
	    {"cold_load.max_delay", "3601", false},
	    {"resume_after_reboot", "false", true},
	    {"policy.no_charge_enabled", "maybe", false},
	};
	struct settings *s = settings_new(PROFILE_MQ200);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[200] = "";
		enum set_err e =
		    settings_set(s, rows[i].key, rows[i].value, SRC_RUNTIME, err, sizeof err, NULL);
		if ((e == SET_OK) != rows[i].ok)
			fail_msg("%s = \"%s\": %s", rows[i].key, rows[i].value,
				 e == SET_OK ? "accepted" : err);
		if (e != SET_OK)
			assert_non_null(strstr(err, rows[i].key));
	}
	settings_free(s);
}

/* Each product's defaults: io7 has the UK policies on, the others not; the
 * MQ200 does not resume after a reboot (its manual's figure 14). */
static void profile_defaults(void **state)
{
	(void)state;
	static const struct {
		enum profile_id p;
		bool no_charge;
		int delay, cold;
		bool resume;
	} rows[] = {
	    {PROFILE_IO7, true, 600, 720, true},
	    {PROFILE_MQ200, false, 0, 720, false},
	    {PROFILE_EVPLUS, false, 0, 720, true},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct policy_cfg c = config(rows[i].p, NULL);
		assert_int_equal(c.no_charge_enabled, rows[i].no_charge);
		assert_int_equal(c.random_delay_max, rows[i].delay);
		assert_int_equal(c.cold_load_max, rows[i].cold);
		assert_int_equal(c.resume_after_reboot, rows[i].resume);
		assert_true(c.no_charge[0].used && c.no_charge[0].start == 8 * 3600 &&
			    c.no_charge[0].end == 11 * 3600);
		assert_true(c.no_charge[1].used && c.no_charge[1].start == 16 * 3600 &&
			    c.no_charge[1].end == 22 * 3600);
		for (int d = 0; d < 7; d++)
			assert_true(c.hours[d].used && c.hours[d].start == 0 &&
				    c.hours[d].end == 86400);
		assert_false(policy_outside_hours(&c, utc("2026-06-01T12:00:00Z"), NULL));
	}
}

/* ---- D1: no-charging periods ------------------------------------------------ */

struct period_row {
	const char *at;
	bool in;
	const char *next;
};

static void check_periods(const struct policy_cfg *c, const struct period_row *rows, size_t n,
			  const char *what)
{
	for (size_t i = 0; i < n; i++) {
		int64_t next = 0;
		bool in = policy_in_no_charge(c, utc(rows[i].at), &next);
		int64_t want = rows[i].next ? utc(rows[i].next) : INT64_MAX;
		char b1[32], b2[32];
		if (in != rows[i].in || next != want)
			fail_msg("%s at %s: %s, next %s; expected %s, next %s", what, rows[i].at,
				 in ? "in" : "out", fmt(next, b1, sizeof b1),
				 rows[i].in ? "in" : "out", fmt(want, b2, sizeof b2));
	}
}

/* 08:00-11:00 and 16:00-22:00 London time: GMT in winter, BST in summer. */
static void uk_periods_winter_and_summer(void **state)
{
	(void)state;
	static const struct period_row rows[] = {
	    /* 2026-01-15, GMT: local = UTC */
	    {"2026-01-15T00:00:00Z", false, "2026-01-15T08:00:00Z"},
	    {"2026-01-15T07:59:59Z", false, "2026-01-15T08:00:00Z"},
	    {"2026-01-15T08:00:00Z", true, "2026-01-15T11:00:00Z"},
	    {"2026-01-15T10:59:59Z", true, "2026-01-15T11:00:00Z"},
	    {"2026-01-15T11:00:00Z", false, "2026-01-15T16:00:00Z"},
	    {"2026-01-15T15:59:59Z", false, "2026-01-15T16:00:00Z"},
	    {"2026-01-15T16:00:00Z", true, "2026-01-15T22:00:00Z"},
	    {"2026-01-15T21:59:59Z", true, "2026-01-15T22:00:00Z"},
	    {"2026-01-15T22:00:00Z", false, "2026-01-16T08:00:00Z"},
	    /* 2026-07-15, BST: local = UTC + 1 h */
	    {"2026-07-15T06:59:59Z", false, "2026-07-15T07:00:00Z"},
	    {"2026-07-15T07:00:00Z", true, "2026-07-15T10:00:00Z"},
	    {"2026-07-15T09:59:59Z", true, "2026-07-15T10:00:00Z"},
	    {"2026-07-15T10:00:00Z", false, "2026-07-15T15:00:00Z"},
	    {"2026-07-15T15:00:00Z", true, "2026-07-15T21:00:00Z"},
	    {"2026-07-15T20:59:59Z", true, "2026-07-15T21:00:00Z"},
	    {"2026-07-15T21:00:00Z", false, "2026-07-16T07:00:00Z"},
	    {"2026-07-15T21:30:00Z", false, "2026-07-16T07:00:00Z"},
	};
	struct policy_cfg c = config(PROFILE_IO7, NULL);
	check_periods(&c, rows, sizeof rows / sizeof rows[0], "UK defaults");
}

/* The clocks go forward on 2026-03-29 at 01:00 UTC and back on 2026-10-25
 * at 01:00 UTC: the wall clock jumps, and the policy looks again then. */
static void uk_periods_on_dst_days(void **state)
{
	(void)state;
	static const struct period_row rows[] = {
	    /* spring forward: the 23-hour day */
	    {"2026-03-28T22:00:00Z", false, "2026-03-29T01:00:00Z"},
	    {"2026-03-29T00:59:59Z", false, "2026-03-29T01:00:00Z"},
	    {"2026-03-29T01:00:00Z", false, "2026-03-29T07:00:00Z"},
	    {"2026-03-29T07:00:00Z", true, "2026-03-29T10:00:00Z"},
	    {"2026-03-29T09:59:59Z", true, "2026-03-29T10:00:00Z"},
	    {"2026-03-29T10:00:00Z", false, "2026-03-29T15:00:00Z"},
	    {"2026-03-29T15:00:00Z", true, "2026-03-29T21:00:00Z"},
	    {"2026-03-29T21:00:00Z", false, "2026-03-30T07:00:00Z"},
	    /* the day before, still GMT */
	    {"2026-03-28T08:00:00Z", true, "2026-03-28T11:00:00Z"},
	    /* fall back: the 25-hour day */
	    {"2026-10-24T21:00:00Z", false, "2026-10-25T01:00:00Z"},
	    {"2026-10-24T20:59:59Z", true, "2026-10-24T21:00:00Z"},
	    {"2026-10-25T00:30:00Z", false, "2026-10-25T01:00:00Z"},
	    {"2026-10-25T01:00:00Z", false, "2026-10-25T08:00:00Z"},
	    {"2026-10-25T07:59:59Z", false, "2026-10-25T08:00:00Z"},
	    {"2026-10-25T08:00:00Z", true, "2026-10-25T11:00:00Z"},
	    {"2026-10-25T16:00:00Z", true, "2026-10-25T22:00:00Z"},
	    {"2026-10-25T22:00:00Z", false, "2026-10-26T08:00:00Z"},
	};
	struct policy_cfg c = config(PROFILE_IO7, NULL);
	check_periods(&c, rows, sizeof rows / sizeof rows[0], "UK defaults on DST days");
}

/* A period across midnight, a second one unused, the toggle, other zones. */
static void periods_across_midnight_and_toggle(void **state)
{
	(void)state;
	static const char *const night[] = {"policy.no_charge_1=22:30-06:15",
					    "policy.no_charge_2=", NULL};
	static const struct period_row night_rows[] = {
	    {"2026-01-10T22:29:59Z", false, "2026-01-10T22:30:00Z"},
	    {"2026-01-10T22:30:00Z", true, "2026-01-11T06:15:00Z"},
	    {"2026-01-10T23:59:59Z", true, "2026-01-11T06:15:00Z"},
	    {"2026-01-11T00:00:00Z", true, "2026-01-11T06:15:00Z"},
	    {"2026-01-11T06:14:59Z", true, "2026-01-11T06:15:00Z"},
	    {"2026-01-11T06:15:00Z", false, "2026-01-11T22:30:00Z"},
	    /* summer: 22:30 BST is 21:30 UTC */
	    {"2026-06-10T21:30:00Z", true, "2026-06-11T05:15:00Z"},
	    /* the night the clocks go forward: 06:15 BST is 05:15 UTC */
	    {"2026-03-28T23:00:00Z", true, "2026-03-29T01:00:00Z"},
	    {"2026-03-29T01:00:00Z", true, "2026-03-29T05:15:00Z"},
	    {"2026-03-29T05:15:00Z", false, "2026-03-29T21:30:00Z"},
	};
	struct policy_cfg c = config(PROFILE_IO7, night);
	check_periods(&c, night_rows, sizeof night_rows / sizeof night_rows[0], "22:30-06:15");

	/* Switched off (mq200 default, or io7 with the toggle off): never. */
	static const struct period_row off_rows[] = {
	    {"2026-01-15T09:00:00Z", false, NULL},
	    {"2026-01-15T17:00:00Z", false, NULL},
	};
	static const char *const off[] = {"policy.no_charge_enabled=false", NULL};
	c = config(PROFILE_IO7, off);
	check_periods(&c, off_rows, 2, "toggle off");
	c = config(PROFILE_MQ200, NULL);
	check_periods(&c, off_rows, 2, "mq200");

	/* Both empty: enabled but nothing to keep. */
	static const char *const none[] = {"policy.no_charge_1=", "policy.no_charge_2=", NULL};
	c = config(PROFILE_IO7, none);
	check_periods(&c, off_rows, 2, "no periods");

	/* The whole day, in another zone (Rome, CET = UTC + 1 h). */
	static const char *const rome[] = {"time.zone=Europe/Rome", "policy.no_charge_enabled=true",
					   "policy.no_charge_1=00:00-24:00",
					   "policy.no_charge_2=", NULL};
	static const struct period_row rome_rows[] = {
	    {"2026-01-15T12:00:00Z", true, "2026-01-15T23:00:00Z"},
	    {"2026-01-15T23:00:00Z", true, "2026-01-16T23:00:00Z"},
	};
	c = config(PROFILE_EVPLUS, rome);
	check_periods(&c, rome_rows, 2, "Rome all day");
}

/* ---- D3: hours of operation --------------------------------------------- */

/* 2026-01-05 is a Monday. Monday and Thursday as in the MQ200 manual's
 * figure, Wednesday closed, Saturday night into Sunday. */
static void hours_of_each_weekday(void **state)
{
	(void)state;
	static const char *const week[] = {
	    "time.zone=UTC",	   "hours.mon=1000-2359", "hours.tue=0000-2359",
	    "hours.wed=closed",	   "hours.thu=1000-2359", "hours.fri=0800-1759",
	    "hours.sat=2200-0559", "hours.sun=0900-1659", NULL,
	};
	static const struct {
		const char *at;
		bool outside;
		const char *next;
	} rows[] = {
	    {"2026-01-05T09:59:59Z", true, "2026-01-05T10:00:00Z"},  /* Mon */
	    {"2026-01-05T10:00:00Z", false, "2026-01-05T17:00:00Z"}, /* Mon */
	    {"2026-01-05T23:59:59Z", false, "2026-01-06T00:00:00Z"}, /* Mon */
	    {"2026-01-06T03:00:00Z", false, "2026-01-06T06:00:00Z"}, /* Tue */
	    {"2026-01-07T00:00:00Z", true, "2026-01-07T06:00:00Z"},  /* Wed */
	    {"2026-01-07T12:00:00Z", true, "2026-01-07T17:00:00Z"},  /* Wed */
	    {"2026-01-08T00:00:00Z", true, "2026-01-08T06:00:00Z"},  /* Thu */
	    {"2026-01-08T09:59:59Z", true, "2026-01-08T10:00:00Z"},  /* Thu */
	    {"2026-01-08T10:00:00Z", false, "2026-01-08T17:00:00Z"}, /* Thu */
	    {"2026-01-09T07:59:59Z", true, "2026-01-09T08:00:00Z"},  /* Fri */
	    {"2026-01-09T08:00:00Z", false, "2026-01-09T09:00:00Z"}, /* Fri */
	    {"2026-01-09T17:59:59Z", false, "2026-01-09T18:00:00Z"}, /* Fri */
	    {"2026-01-09T18:00:00Z", true, "2026-01-09T22:00:00Z"},  /* Fri */
	    {"2026-01-10T05:59:59Z", true, "2026-01-10T06:00:00Z"},  /* Sat */
	    {"2026-01-10T21:59:59Z", true, "2026-01-10T22:00:00Z"},  /* Sat */
	    {"2026-01-10T22:00:00Z", false, "2026-01-11T00:00:00Z"}, /* Sat */
	    {"2026-01-11T05:59:59Z", false, "2026-01-11T06:00:00Z"}, /* Sun */
	    {"2026-01-11T06:00:00Z", true, "2026-01-11T08:00:00Z"},  /* Sun */
	    {"2026-01-11T09:00:00Z", false, "2026-01-11T10:00:00Z"}, /* Sun */
	    {"2026-01-11T16:59:59Z", false, "2026-01-11T17:00:00Z"}, /* Sun */
	    {"2026-01-11T17:00:00Z", true, "2026-01-11T18:00:00Z"},  /* Sun */
	    {"2026-01-12T09:00:00Z", true, "2026-01-12T10:00:00Z"},  /* Mon */
	};
	struct policy_cfg c = config(PROFILE_MQ200, week);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t next = 0;
		bool out = policy_outside_hours(&c, utc(rows[i].at), &next);
		char b1[32];
		if (out != rows[i].outside)
			fail_msg("at %s: %s", rows[i].at, out ? "outside" : "open");
		/* The next look: the next start or end of any day, or midnight. */
		if (next != utc(rows[i].next))
			fail_msg("at %s: next %s, expected by %s", rows[i].at,
				 fmt(next, b1, sizeof b1), rows[i].next);
	}
}

/* Hours follow local time: Los Angeles (the MQ200 default zone) in winter
 * and summer; and between two looks the answer does not change. */
static void hours_in_local_time_step_by_step(void **state)
{
	(void)state;
	static const char *const sets[] = {"hours.mon=1000-2359", "hours.tue=closed", NULL};
	struct policy_cfg c = config(PROFILE_MQ200, sets);
	/* Monday 2026-01-05 10:00 PST = 18:00 UTC; 2026-07-06 10:00 PDT = 17:00 UTC. */
	assert_true(policy_outside_hours(&c, utc("2026-01-05T17:59:59Z"), NULL));
	assert_false(policy_outside_hours(&c, utc("2026-01-05T18:00:00Z"), NULL));
	assert_true(policy_outside_hours(&c, utc("2026-07-06T16:59:59Z"), NULL));
	assert_false(policy_outside_hours(&c, utc("2026-07-06T17:00:00Z"), NULL));
	/* Tuesday closed: Tuesday 00:00 PST = 08:00 UTC. */
	assert_false(policy_outside_hours(&c, utc("2026-01-06T07:59:59Z"), NULL));
	assert_true(policy_outside_hours(&c, utc("2026-01-06T08:00:00Z"), NULL));

	/* Walk a week around the March DST change minute by minute: the
	 * answer only changes at an announced "next". */
	int64_t t = utc("2026-03-06T00:00:00Z"), end = utc("2026-03-13T00:00:00Z");
	int64_t next;
	bool out = policy_outside_hours(&c, t, &next);
	int changes = 0;
	for (; t < end; t += 60) {
		int64_t n2;
		bool o = policy_outside_hours(&c, t, &n2);
		if (o != out) {
			char b1[32], b2[32];
			if (t < next)
				fail_msg("changed at %s before the announced %s",
					 fmt(t, b1, sizeof b1), fmt(next, b2, sizeof b2));
			changes++;
		}
		if (t >= next || o != out)
			next = n2;
		out = o;
	}
	/* Monday 03-09 00:00 (closed), 10:00 (open), Tuesday 00:00 (closed),
	 * Wednesday 00:00 (open), after the change to PDT on Sunday 03-08. */
	assert_int_equal(changes, 4);
}

/* ---- D2 and A12: random delays ------------------------------------------ */

static void random_delay_bounds(void **state)
{
	(void)state;
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	struct policy_rng rng = {xorshift, &seed};
	static const int maxima[] = {1, 600, 1800};
	for (size_t m = 0; m < sizeof maxima / sizeof maxima[0]; m++) {
		char set[64];
		snprintf(set, sizeof set, "policy.random_delay_max=%d", maxima[m]);
		const char *const sets[] = {set, NULL};
		struct policy_cfg c = config(PROFILE_IO7, sets);
		int64_t lo = INT64_MAX, hi = -1;
		for (int i = 0; i < 20000; i++) {
			struct policy_conn pc = {0};
			int64_t now = 1000LL * i;
			policy_session_start(&c, &pc, &rng, now, true);
			int64_t d = pc.delay_until ? pc.delay_until - now : 0;
			assert_true(d % 1000 == 0);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		/* Within 0..max s, and the whole range is used. */
		assert_true(lo >= 0 && hi <= 1000LL * maxima[m]);
		assert_true(lo <= 1000LL * maxima[m] / 50);
		assert_true(hi >= 1000LL * maxima[m] * 49 / 50);
	}
	/* 0: no delay at all; no source: the shortest. */
	static const char *const zero[] = {"policy.random_delay_max=0", NULL};
	struct policy_cfg c = config(PROFILE_IO7, zero);
	struct policy_conn pc = {0};
	policy_session_start(&c, &pc, &rng, 5000, false);
	assert_int_equal(pc.delay_until, 0);
	c = config(PROFILE_IO7, NULL);
	struct policy_rng none = {NULL, NULL};
	policy_session_start(&c, &pc, &none, 5000, false);
	assert_int_equal(pc.delay_until, 5000);
	/* The extremes of the source map to the extremes of the range. */
	uint32_t bits = 0;
	struct policy_rng k = {constant, &bits};
	assert_int_equal(policy_draw(&k, 0, 600), 0);
	bits = UINT32_MAX;
	assert_int_equal(policy_draw(&k, 0, 600), 600);
	assert_int_equal(policy_draw(&k, 120, 720), 720);
	assert_int_equal(policy_draw(&k, 7, 7), 7);
}

static void cold_load_bounds(void **state)
{
	(void)state;
	uint64_t seed = 12345;
	struct policy_rng rng = {xorshift, &seed};
	static const int maxima[] = {120, 720, 3600};
	for (size_t m = 0; m < sizeof maxima / sizeof maxima[0]; m++) {
		char set[64];
		snprintf(set, sizeof set, "cold_load.max_delay=%d", maxima[m]);
		const char *const sets[] = {set, NULL};
		struct policy_cfg c = config(PROFILE_MQ200, sets);
		int64_t lo = INT64_MAX, hi = -1;
		for (int i = 0; i < 20000; i++) {
			struct policy_charger pch = {0};
			policy_power_loss(&c, &pch, &rng, 777);
			int64_t d = pch.cold_until - 777;
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		assert_true(lo >= 120000 && hi <= 1000LL * maxima[m]);
		assert_true(lo <= 120000 + (1000LL * maxima[m] - 120000) / 50);
		assert_true(hi >= 1000LL * maxima[m] - (1000LL * maxima[m] - 120000) / 50);
	}
	static const char *const off[] = {"cold_load.max_delay=0", NULL};
	struct policy_cfg c = config(PROFILE_MQ200, off);
	struct policy_charger pch = {0};
	policy_power_loss(&c, &pch, &rng, 777);
	assert_int_equal(pch.cold_until, 0);
}

/* ---- evaluation ------------------------------------------------------------ */

/* An evaluation at UTC text, monotonic time = UTC - the fixed offset. */
#define MONO0 "2026-01-15T00:00:00Z"

static struct policy_result eval_at(const struct policy_cfg *c, struct policy_conn *pc,
				    const struct policy_charger *pch, const struct policy_rng *rng,
				    const char *at, bool csms)
{
	struct policy_clock clk;
	clk.utc_ms = utc(at) * 1000;
	clk.now_ms = clk.utc_ms - utc(MONO0) * 1000;
	return policy_eval(c, pc, pch, rng, &clk, csms);
}

static int64_t mono(const char *at)
{
	return (utc(at) - utc(MONO0)) * 1000;
}

/* Which limit is named, and when to look again. Thursday 2026-01-15 in
 * London: open until 11:00 (Wednesday's hours run into Thursday) and from
 * 12:00; the UK periods 08:00-11:00 and 16:00-22:00. */
static void evaluation_order_and_next(void **state)
{
	(void)state;
	uint32_t bits = UINT32_MAX / 2; /* draws half the range: 300 s of 600 */
	struct policy_rng rng = {constant, &bits};
	static const char *const sets[] = {"hours.wed=2200-1059", "hours.thu=1200-2359", NULL};
	struct policy_cfg c = config(PROFILE_IO7, sets);
	struct policy_conn pc = {0};
	struct policy_charger pch = {0};

	/* A session at 07:50 draws 300 s: random delay until 07:55. */
	policy_session_start(&c, &pc, &rng, mono("2026-01-15T07:50:00Z"), false);
	assert_int_equal(pc.delay_until, mono("2026-01-15T07:55:00Z"));
	struct policy_result r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T07:50:00Z", false);
	assert_int_equal(r.src, LIM_RANDOM_DELAY);
	assert_int_equal(r.next, mono("2026-01-15T07:55:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T07:55:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	assert_int_equal(r.next, mono("2026-01-15T08:00:00Z"));
	/* The period. */
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T09:00:00Z", false);
	assert_int_equal(r.src, LIM_NO_CHARGE);
	assert_int_equal(r.next, mono("2026-01-15T11:00:00Z"));
	/* 11:00: the period ends but the hours close: still restricted, no
	 * new delay. */
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T11:00:00Z", false);
	assert_int_equal(r.src, LIM_HOURS);
	assert_int_equal(r.next, mono("2026-01-15T12:00:00Z"));
	/* A CSMS profile supersedes the hours: charging may start, after a
	 * randomised delay. */
	struct policy_conn csms = pc;
	r = eval_at(&c, &csms, &pch, &rng, "2026-01-15T11:30:00Z", true);
	assert_int_equal(r.src, LIM_RANDOM_DELAY);
	assert_int_equal(r.next, mono("2026-01-15T11:35:00Z"));
	/* 12:00: open, and charging starts again after a new random delay. */
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T12:00:00Z", false);
	assert_int_equal(r.src, LIM_RANDOM_DELAY);
	assert_int_equal(r.next, mono("2026-01-15T12:05:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T12:05:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	assert_int_equal(r.next, mono("2026-01-15T16:00:00Z"));
	/* Looking again at the same instant draws nothing new. */
	bits = UINT32_MAX;
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T12:05:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	bits = UINT32_MAX / 2;
	/* The period names itself before the hours would. */
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T16:00:00Z", false);
	assert_int_equal(r.src, LIM_NO_CHARGE);
	assert_int_equal(r.next, mono("2026-01-15T22:00:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T22:00:00Z", false);
	assert_int_equal(r.src, LIM_RANDOM_DELAY);
	assert_int_equal(r.next, mono("2026-01-15T22:05:00Z"));

	/* Cold load pickup comes after the periods and the hours, before the
	 * randomised delay. */
	pch.cold_until = mono("2026-01-15T22:10:00Z");
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T22:01:00Z", false);
	assert_int_equal(r.src, LIM_COLD_LOAD);
	assert_int_equal(r.next, mono("2026-01-15T22:05:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T22:05:00Z", false);
	assert_int_equal(r.src, LIM_COLD_LOAD);
	assert_int_equal(r.next, mono("2026-01-15T22:10:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T22:10:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	assert_int_equal(r.next, mono("2026-01-16T00:00:00Z")); /* Friday's hours */
}

/* A12: after a power loss, an EV that was plugged through it. */
static void cold_load_hold_and_resume_toggle(void **state)
{
	(void)state;
	uint32_t bits = 0;
	struct policy_rng rng = {constant, &bits};
	struct policy_charger pch = {0};

	/* MQ200: resume_after_reboot false. */
	struct policy_cfg c = config(PROFILE_MQ200, NULL);
	policy_power_loss(&c, &pch, &rng, mono("2026-01-15T01:00:00Z"));
	assert_int_equal(pch.cold_until, mono("2026-01-15T01:02:00Z"));
	struct policy_conn plugged = {0}, empty = {0};
	policy_board_ready(&c, &plugged, true);
	policy_board_ready(&c, &empty, false);
	assert_true(plugged.held);
	assert_false(empty.held);
	/* A free-charging session for it starts, but is held: no end. */
	policy_session_start(&c, &plugged, &rng, mono("2026-01-15T01:00:00Z"), false);
	struct policy_result r = eval_at(&c, &plugged, &pch, &rng, "2026-01-15T03:00:00Z", false);
	assert_int_equal(r.src, LIM_COLD_LOAD);
	assert_int_equal(r.next, INT64_MAX);
	/* Unplugged and plugged again: charging resumes. */
	policy_unplugged(&plugged);
	policy_session_start(&c, &plugged, &rng, mono("2026-01-15T03:00:00Z"), false);
	r = eval_at(&c, &plugged, &pch, &rng, "2026-01-15T03:00:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	/* Or a card (an explicit start) ends the hold. */
	policy_board_ready(&c, &plugged, true);
	policy_session_start(&c, &plugged, &rng, mono("2026-01-15T03:00:00Z"), true);
	r = eval_at(&c, &plugged, &pch, &rng, "2026-01-15T03:00:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
	/* Switching resume on lets a held EV charge. */
	policy_board_ready(&c, &plugged, true);
	c.resume_after_reboot = true;
	r = eval_at(&c, &plugged, &pch, &rng, "2026-01-15T03:00:00Z", false);
	assert_int_equal(r.src, LIM_NONE);

	/* io7: resume true: nothing held, only the cold load delay. */
	c = config(PROFILE_IO7, NULL);
	struct policy_conn pc = {0};
	bits = UINT32_MAX;
	policy_power_loss(&c, &pch, &rng, mono("2026-01-15T01:00:00Z"));
	assert_int_equal(pch.cold_until, mono("2026-01-15T01:12:00Z"));
	policy_board_ready(&c, &pc, true);
	assert_false(pc.held);
	bits = 0;
	policy_session_start(&c, &pc, &rng, mono("2026-01-15T01:00:00Z"), false);
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T01:11:59Z", false);
	assert_int_equal(r.src, LIM_COLD_LOAD);
	assert_int_equal(r.next, mono("2026-01-15T01:12:00Z"));
	r = eval_at(&c, &pc, &pch, &rng, "2026-01-15T01:12:00Z", false);
	assert_int_equal(r.src, LIM_NONE);
}

static void delays_indication(void **state)
{
	(void)state;
	static const struct {
		enum limit_src src;
		bool delayed;
	} rows[] = {
	    {LIM_NO_CHARGE, true}, {LIM_RANDOM_DELAY, true}, {LIM_COLD_LOAD, true},
	    {LIM_HOURS, true},	   {LIM_SCHEDULE, true},     {LIM_FAULT, false},
	    {LIM_EV, false},	   {LIM_INSTALLER, false},   {LIM_NONE, false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(policy_delays(rows[i].src), rows[i].delayed);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(period_syntax),
    cmocka_unit_test(hours_syntax),
    cmocka_unit_test(settings_validate_policies),
    cmocka_unit_test(profile_defaults),
    cmocka_unit_test(uk_periods_winter_and_summer),
    cmocka_unit_test(uk_periods_on_dst_days),
    cmocka_unit_test(periods_across_midnight_and_toggle),
    cmocka_unit_test(hours_of_each_weekday),
    cmocka_unit_test(hours_in_local_time_step_by_step),
    cmocka_unit_test(random_delay_bounds),
    cmocka_unit_test(cold_load_bounds),
    cmocka_unit_test(evaluation_order_and_next),
    cmocka_unit_test(cold_load_hold_and_resume_toggle),
    cmocka_unit_test(delays_indication),
};

VCLOCK_MAIN("policy", tests)
