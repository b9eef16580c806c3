/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of smart charging (smart.c), table-driven: composite schedules
 * (stack levels, purposes, validity edges, relative schedules started
 * mid-period, W and A on 1 and 3 phases, minChargingRate, daily and weekly
 * recurrences across midnight and across the DST changes of Europe/London,
 * America/Los_Angeles and Europe/Rome), "the limit now and when it changes"
 * for the charger, validation of profiles, and Set / Clear. Periods are
 * written "start:limit[/phases]" and instants as UTC text.
 */
#include "vclock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "core/smart.h"

static int64_t utc(const char *text)
{
	int64_t t = 0;
	if (!settings_parse_utc(text, &t))
		fail_msg("bad UTC text in the table: %s", text);
	return t;
}

/* A profile as a table row; zero fields are defaults (connector 0, stack
 * level 0, ChargePointMaxProfile, Absolute, A, no duration / validity). */
struct pdef {
	int32_t id;
	int conn;
	int32_t level;
	enum sc_purpose purpose;
	enum sc_kind kind;
	enum sc_recurrency rec;
	const char *start; /* startSchedule, NULL = none */
	int32_t duration;  /* 0 = none */
	enum sc_unit unit;
	const char *periods; /* "0:16 600:10/1" */
	const char *from, *to;
	double min_rate;
	int32_t tx_id; /* 0 = none */
};

static void build(const struct pdef *d, struct sc_profile *p)
{
	memset(p, 0, sizeof *p);
	p->id = d->id;
	p->connector = d->conn;
	p->stack_level = d->level;
	p->purpose = d->purpose;
	p->kind = d->kind;
	p->recurrency = d->rec;
	p->has_start = d->start != NULL;
	p->start_schedule = d->start ? utc(d->start) : 0;
	p->has_duration = d->duration != 0;
	p->duration = d->duration;
	p->unit = d->unit;
	p->valid_from = d->from ? utc(d->from) : INT64_MIN;
	p->valid_to = d->to ? utc(d->to) : INT64_MAX;
	p->min_rate = d->min_rate;
	p->has_tx = d->tx_id != 0;
	p->transaction_id = d->tx_id;
	const char *s = d->periods ? d->periods : "";
	while (*s && p->n < SC_PERIODS_MAX) {
		char *end;
		struct sc_period *q = &p->p[p->n++];
		q->start = (int32_t)strtol(s, &end, 10);
		q->limit = strtod(end + 1, &end);
		if (*end == '/')
			q->phases = (int)strtol(end + 1, &end, 10);
		s = end + strspn(end, " ");
	}
}

static struct sc_site site_of(const char *zone, double volts, int phases)
{
	struct sc_site s;
	char err[128];
	if (!tz_parse(zone ? zone : "UTC", &s.tz, err, sizeof err))
		fail_msg("%s", err);
	s.voltage = volts > 0 ? volts : 230;
	s.phases = phases > 0 ? phases : 3;
	return s;
}

static struct smart *store_of(const struct pdef *defs, int max)
{
	struct smart *sm = smart_new();
	assert_non_null(sm);
	for (int i = 0; i < max && defs[i].id; i++) {
		struct sc_profile p;
		build(&defs[i], &p);
		assert_true(smart_put(sm, &p));
	}
	return sm;
}

static void format_periods(const struct sc_composite *c, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; i < c->n && k < len; i++) {
		int w = snprintf(buf + k, len - k, "%s%d:%.1f", i ? " " : "", c->p[i].start,
				 c->p[i].limit);
		k += w > 0 ? (size_t)w : 0;
		if (c->p[i].phases && k < len) {
			w = snprintf(buf + k, len - k, "/%d", c->p[i].phases);
			k += w > 0 ? (size_t)w : 0;
		}
	}
}

/* ---- composite schedules ------------------------------------------------ */

struct comp_row {
	const char *what;
	const char *zone;
	double volts;
	int phases;
	struct pdef prof[4];
	int conn;
	const char *tx_start; /* NULL = no transaction */
	const char *start;
	int32_t duration;
	enum sc_unit unit;
	double max_a; /* 0 = 32 */
	const char *expect;
};

#define T0	     "2026-06-01T10:00:00Z"
#define TX(i, l)     .id = (i), .conn = 1, .level = (l), .purpose = SC_TX
#define DEF(i, c, l) .id = (i), .conn = (c), .level = (l), .purpose = SC_TX_DEFAULT
#define MAX(i, l)    .id = (i), .conn = 0, .level = (l), .purpose = SC_CP_MAX

/* clang-format off */
static const struct comp_row comp_rows[] = {
    {"no profile: the charger's maximum", NULL, 0, 0, {{0}}, 1, NULL, T0, 3600, SC_AMPS, 0, "0:32.0"},
    {"absolute, one period", NULL, 0, 0, {{MAX(1, 0), .start = T0, .periods = "0:16"}}, 1, NULL,
     T0, 3600, SC_AMPS, 0, "0:16.0"},
    {"absolute, three periods", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:16 600:10 1200:20"}}, 1, NULL, T0, 3600, SC_AMPS,
     0, "0:16.0 600:10.0 1200:20.0"},
    {"absolute starting after the composite", NULL, 0, 0,
     {{MAX(1, 0), .start = "2026-06-01T10:30:00Z", .periods = "0:16"}}, 1, NULL, T0, 3600,
     SC_AMPS, 0, "0:32.0 1800:16.0"},
    {"absolute begun before the composite, mid-period", NULL, 0, 0,
     {{MAX(1, 0), .start = "2026-06-01T09:00:00Z", .periods = "0:8 1800:12 5400:14"}}, 1, NULL,
     T0, 3600, SC_AMPS, 0, "0:12.0 1800:14.0"},
    {"absolute with a duration ending inside", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .duration = 1800, .periods = "0:16"}}, 1, NULL, T0, 3600,
     SC_AMPS, 0, "0:16.0 1800:32.0"},
    {"a limit above the charger's maximum is capped", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:40 600:20"}}, 1, NULL, T0, 3600, SC_AMPS, 0,
     "0:32.0 600:20.0"},
    {"the site's maximum caps too", NULL, 0, 0, {{MAX(1, 0), .start = T0, .periods = "0:20"}},
     1, NULL, T0, 3600, SC_AMPS, 16, "0:16.0"},
    {"a composite shorter than the first period", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:16 600:10"}}, 1, NULL, T0, 300, SC_AMPS, 0,
     "0:16.0"},
    {"equal consecutive limits are merged", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:16 600:16 1200:10"}}, 1, NULL, T0, 3600, SC_AMPS,
     0, "0:16.0 1200:10.0"},
    /* Stack levels (OCTT TC_072). */
    {"stack levels: the higher wins while in force", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .duration = 400, .periods = "0:6 100:8 200:10"},
      {DEF(2, 1, 1), .start = T0, .duration = 150, .periods = "0:10 100:6"}},
     1, NULL, T0, 400, SC_AMPS, 0, "0:10.0 100:6.0 150:8.0 200:10.0"},
    {"stack levels: the higher not yet valid", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:10"},
      {DEF(2, 1, 5), .start = T0, .from = "2026-06-01T10:20:00Z", .periods = "0:6"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:10.0 1200:6.0"},
    {"stack levels: the higher's validTo is excluded", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:10"},
      {DEF(2, 1, 5), .start = T0, .to = "2026-06-01T10:20:00Z", .periods = "0:6"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:6.0 1200:10.0"},
    {"stack levels: three, the middle one ends", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:16"},
      {DEF(2, 1, 1), .start = T0, .duration = 1200, .periods = "0:12"},
      {DEF(3, 1, 2), .start = "2026-06-01T10:30:00Z", .duration = 600, .periods = "0:20"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:12.0 1200:16.0 1800:20.0 2400:16.0"},
    {"a higher stack level may raise the limit", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:8"},
      {DEF(2, 1, 3), .start = T0, .periods = "0:24"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:24.0"},
    /* Validity edges. */
    {"validFrom: in force from that second", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .from = "2026-06-01T10:00:01Z", .periods = "0:16"}}, 1, NULL,
     T0, 60, SC_AMPS, 0, "0:32.0 1:16.0"},
    {"validTo: not in force from that second", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .to = "2026-06-01T10:00:59Z", .periods = "0:16"}}, 1, NULL, T0,
     60, SC_AMPS, 0, "0:16.0 59:32.0"},
    {"validTo in the past: never", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .to = "2026-06-01T09:00:00Z", .periods = "0:16"}}, 1, NULL, T0,
     3600, SC_AMPS, 0, "0:32.0"},
    {"validFrom after the composite: never inside it", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .from = "2026-06-02T00:00:00Z", .periods = "0:16"}}, 1, NULL,
     T0, 3600, SC_AMPS, 0, "0:32.0"},
    /* Purposes. */
    {"ChargePointMax below TxDefault", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:10"}, {DEF(2, 0, 0), .start = T0, .periods = "0:16"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:10.0"},
    {"ChargePointMax above TxDefault", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:20"}, {DEF(2, 0, 0), .start = T0, .periods = "0:16"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:16.0"},
    {"ChargePointMax and TxDefault crossing", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:20 1800:8"},
      {DEF(2, 0, 0), .start = T0, .periods = "0:10 2400:16"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:10.0 1800:8.0"},
    {"TxProfile over TxDefault during a transaction", NULL, 0, 0,
     {{DEF(1, 1, 5), .start = T0, .periods = "0:10"}, {TX(2, 0), .start = T0, .periods = "0:20"}},
     1, "2026-06-01T09:00:00Z", T0, 3600, SC_AMPS, 0, "0:20.0"},
    {"TxProfile ignored without a transaction", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:10"}, {TX(2, 0), .start = T0, .periods = "0:20"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:10.0"},
    {"TxProfile ends: back to TxDefault", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .periods = "0:10"},
      {TX(2, 0), .start = T0, .duration = 900, .periods = "0:20"}},
     1, "2026-06-01T09:00:00Z", T0, 3600, SC_AMPS, 0, "0:20.0 900:10.0"},
    {"TxProfile under ChargePointMax", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:12"}, {TX(2, 0), .start = T0, .periods = "0:20"}},
     1, "2026-06-01T09:00:00Z", T0, 3600, SC_AMPS, 0, "0:12.0"},
    {"a connector's TxDefault over connector 0's, whatever the levels", NULL, 0, 0,
     {{DEF(1, 0, 9), .start = T0, .periods = "0:10"},
      {DEF(2, 1, 0), .start = T0, .periods = "0:14"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:14.0"},
    {"connector 0's TxDefault applies to connector 2", NULL, 0, 0,
     {{DEF(1, 0, 0), .start = T0, .periods = "0:10"}, {DEF(2, 1, 0), .start = T0, .periods = "0:14"}},
     2, NULL, T0, 3600, SC_AMPS, 0, "0:10.0"},
    {"connector 1's TxDefault does not apply to connector 2", NULL, 0, 0,
     {{DEF(2, 1, 0), .start = T0, .periods = "0:14"}}, 2, NULL, T0, 3600, SC_AMPS, 0, "0:32.0"},
    {"connector 0: the ChargePointMax alone", NULL, 0, 0,
     {{MAX(1, 0), .start = T0, .periods = "0:25"}, {DEF(2, 0, 0), .start = T0, .periods = "0:10"}},
     0, NULL, T0, 3600, SC_AMPS, 0, "0:25.0"},
    /* Relative schedules. */
    {"relative TxDefault, transaction begun mid-period", NULL, 0, 0,
     {{DEF(1, 1, 0), .kind = SC_RELATIVE, .periods = "0:10 3600:16"}}, 1,
     "2026-06-01T09:30:00Z", T0, 3600, SC_AMPS, 0, "0:10.0 1800:16.0"},
    {"relative without a transaction starts with the composite", NULL, 0, 0,
     {{DEF(1, 1, 0), .kind = SC_RELATIVE, .periods = "0:10 3600:16"}}, 1, NULL, T0, 7200,
     SC_AMPS, 0, "0:10.0 3600:16.0"},
    {"relative TxProfile set two hours into the transaction", NULL, 0, 0,
     {{TX(1, 0), .kind = SC_RELATIVE, .periods = "0:6 3600:8 10800:12"}}, 1,
     "2026-06-01T08:00:00Z", T0, 7200, SC_AMPS, 0, "0:8.0 3600:12.0"},
    {"relative with a duration over before the composite", NULL, 0, 0,
     {{DEF(1, 1, 0), .kind = SC_RELATIVE, .duration = 1800, .periods = "0:10"}}, 1,
     "2026-06-01T09:00:00Z", T0, 3600, SC_AMPS, 0, "0:32.0"},
    {"absolute without startSchedule: from the transaction's start", NULL, 0, 0,
     {{TX(1, 0), .periods = "0:6 1800:9"}}, 1, "2026-06-01T09:45:00Z", T0, 3600, SC_AMPS, 0,
     "0:6.0 900:9.0"},
    /* Units and phases. */
    {"W on 3 phases", NULL, 230, 3, {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:11040/3"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:16.0/3"},
    {"W on 1 phase of a 3-phase supply", NULL, 230, 3,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:3680/1"}}, 1, NULL, T0, 3600,
     SC_AMPS, 0, "0:16.0/1"},
    {"W without numberPhases: 3 assumed", NULL, 230, 3,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:6900"}}, 1, NULL, T0, 3600,
     SC_AMPS, 0, "0:10.0"},
    {"W on a single-phase supply (MQ200 240 V)", NULL, 240, 1,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:7680"}}, 1, NULL, T0, 3600,
     SC_AMPS, 50, "0:32.0"},
    {"W numberPhases 3 on a single-phase supply", NULL, 240, 1,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:7680/3"}}, 1, NULL, T0, 3600,
     SC_AMPS, 50, "0:32.0/3"},
    {"A asked in W, 3 phases", NULL, 230, 3, {{MAX(1, 0), .start = T0, .periods = "0:16"}}, 1,
     NULL, T0, 3600, SC_WATTS, 0, "0:11040.0"},
    {"A asked in W, numberPhases 1", NULL, 230, 3, {{MAX(1, 0), .start = T0, .periods = "0:16/1"}},
     1, NULL, T0, 3600, SC_WATTS, 0, "0:3680.0/1"},
    {"W to A rounds down to 0.1", NULL, 230, 3,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:10000"}}, 1, NULL, T0, 3600,
     SC_AMPS, 0, "0:14.4"},
    {"no profile, asked in W", NULL, 230, 3, {{0}}, 1, NULL, T0, 3600, SC_WATTS, 0, "0:22080.0"},
    {"W and A profiles mixed: the lower current wins", NULL, 230, 3,
     {{MAX(1, 0), .start = T0, .unit = SC_WATTS, .periods = "0:11040 1800:4140"},
      {DEF(2, 1, 0), .start = T0, .periods = "0:10"}},
     1, NULL, T0, 3600, SC_AMPS, 0, "0:10.0 1800:6.0"},
    {"minChargingRate: a limit below it is 0", NULL, 0, 0,
     {{DEF(1, 1, 0), .start = T0, .min_rate = 6, .periods = "0:10 600:4 1200:8"}}, 1, NULL, T0,
     1800, SC_AMPS, 0, "0:10.0 600:0.0 1200:8.0"},
    /* Recurring, in the local time zone. */
    {"daily, London summer: local midnight is 23:00 UTC", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-03-01T00:00:00Z",
       .periods = "0:6 28800:24 57600:6"}},
     1, NULL, "2026-05-31T23:00:00Z", 86400, SC_AMPS, 0, "0:6.0 28800:24.0 57600:6.0"},
    {"daily, London across the DST start (a 23 h day)", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-03-01T00:00:00Z",
       .periods = "0:6 28800:24 64800:6"}},
     1, NULL, "2026-03-28T00:00:00Z", 172800, SC_AMPS, 0,
     "0:6.0 28800:24.0 64800:6.0 115200:24.0 151200:6.0"},
    {"daily, London: a period past 23 h is skipped on the short day", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-03-01T00:00:00Z",
       .periods = "0:6 83700:20"}},
     1, NULL, "2026-03-28T00:00:00Z", 172800, SC_AMPS, 0, "0:6.0 83700:20.0 86400:6.0"},
    {"daily, London across the DST end (a 25 h day)", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-03-01T00:00:00Z",
       .periods = "0:6 86400:20"}},
     1, NULL, "2026-10-24T23:00:00Z", 172800, SC_AMPS, 0, "0:6.0 86400:20.0 90000:6.0"},
    {"daily, Los Angeles across the DST start", "America/Los_Angeles", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-01-01T08:00:00Z",
       .periods = "0:10 82800:20"}},
     1, NULL, "2026-03-07T08:00:00Z", 259200, SC_AMPS, 0,
     "0:10.0 82800:20.0 86400:10.0 252000:20.0 255600:10.0"},
    {"daily, Los Angeles across the DST end", "America/Los_Angeles", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-10-01T07:00:00Z",
       .periods = "0:10 82800:20"}},
     1, NULL, "2026-11-01T07:00:00Z", 172800, SC_AMPS, 0, "0:10.0 82800:20.0 90000:10.0"},
    {"daily across midnight, not before its first start", NULL, 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-06-01T20:00:00Z",
       .periods = "0:6 14400:24 36000:6"}},
     1, NULL, "2026-06-01T18:00:00Z", 86400, SC_AMPS, 0, "0:32.0 7200:6.0 21600:24.0 43200:6.0"},
    {"daily with a duration: a gap each day", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-01-05T22:00:00Z",
       .duration = 28800, .periods = "0:10"}},
     1, NULL, "2026-06-01T12:00:00Z", 86400, SC_AMPS, 0, "0:32.0 32400:10.0 61200:32.0"},
    {"daily ended by validTo", NULL, 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-05-01T00:00:00Z",
       .to = "2026-06-01T12:00:00Z", .periods = "0:10"}},
     1, NULL, "2026-06-01T00:00:00Z", 86400, SC_AMPS, 0, "0:10.0 43200:32.0"},
    {"weekly, Monday-Tuesday", NULL, 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_WEEKLY, .start = "2026-06-01T00:00:00Z",
       .duration = 172800, .periods = "0:10 86400:20"}},
     1, NULL, "2026-06-07T00:00:00Z", 259200, SC_AMPS, 0, "0:32.0 86400:10.0 172800:20.0"},
    {"weekly, Rome across the DST end on its Sunday", "Europe/Rome", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_WEEKLY, .start = "2026-10-03T22:00:00Z",
       .periods = "0:8 90000:16"}},
     1, NULL, "2026-10-24T22:00:00Z", 172800, SC_AMPS, 0, "0:8.0 90000:16.0"},
    {"weekly recurrence restarts a week later in local time", "Europe/Rome", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_WEEKLY, .start = "2026-10-17T22:00:00Z",
       .duration = 3600, .periods = "0:8"}},
     1, NULL, "2026-10-31T21:00:00Z", 3 * 3600, SC_AMPS, 0, "0:32.0 7200:8.0"},
    {"daily recurring TxDefault under a stacked absolute one", "Europe/London", 0, 0,
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-01-01T00:00:00Z",
       .periods = "0:10"},
      {DEF(2, 0, 1), .start = "2026-06-01T12:00:00Z", .duration = 3600, .periods = "0:20"}},
     1, NULL, "2026-06-01T11:00:00Z", 3 * 3600, SC_AMPS, 0, "0:10.0 3600:20.0 7200:10.0"},
};
/* clang-format on */

static void composite_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof comp_rows / sizeof comp_rows[0]; i++) {
		const struct comp_row *w = &comp_rows[i];
		struct sc_site site = site_of(w->zone, w->volts, w->phases);
		struct smart *sm = store_of(w->prof, 4);
		struct sc_tx tx = {w->tx_start != NULL, true, 7,
				   w->tx_start ? utc(w->tx_start) : 0};
		struct sc_composite *c = malloc(sizeof *c);
		assert_non_null(c);
		smart_composite(sm, &site, w->conn, &tx, utc(w->start), w->duration, w->unit,
				w->max_a > 0 ? w->max_a : 32, c);
		char got[512];
		format_periods(c, got, sizeof got);
		if (strcmp(got, w->expect) != 0)
			fail_msg("%s: \"%s\", expected \"%s\"", w->what, got, w->expect);
		assert_int_equal(c->start, utc(w->start));
		assert_int_equal(c->duration, w->duration);
		free(c);
		smart_free(sm);
	}
}

static void composite_reports_min_rate(void **state)
{
	(void)state;
	static const struct pdef defs[] = {
	    {DEF(1, 1, 0), .start = T0, .min_rate = 6, .periods = "0:10"}, {0}};
	struct sc_site site = site_of(NULL, 230, 3);
	struct smart *sm = store_of(defs, 2);
	struct sc_composite *c = malloc(sizeof *c);
	assert_non_null(c);
	smart_composite(sm, &site, 1, NULL, utc(T0), 600, SC_WATTS, 32, c);
	assert_true(fabs(c->min_rate - 4140.0) < 1e-9);
	assert_true(fabs(c->p[0].limit - 6900.0) < 1e-9);
	free(c);
	smart_free(sm);
}

/* 10 profiles x 32 periods over 24 h: every change is a period, none lost. */
static void composite_many_periods(void **state)
{
	(void)state;
	struct smart *sm = smart_new();
	assert_non_null(sm);
	for (int k = 0; k < 10; k++) {
		struct sc_profile p;
		memset(&p, 0, sizeof p);
		p.id = k + 1;
		p.connector = k < 5 ? 0 : 1;
		p.stack_level = k;
		p.purpose = k == 0 ? SC_CP_MAX : SC_TX_DEFAULT;
		p.kind = SC_ABSOLUTE;
		p.has_start = true;
		p.start_schedule = utc("2026-06-01T00:00:00Z") + k * 60;
		p.valid_from = INT64_MIN;
		p.valid_to = INT64_MAX;
		p.n = 32;
		for (int i = 0; i < 32; i++)
			p.p[i] = (struct sc_period){i * 2700, 6 + (i * 7 + k) % 20, 0};
		assert_true(smart_put(sm, &p));
	}
	struct sc_site site = site_of("Europe/London", 230, 3);
	struct sc_composite *c = malloc(sizeof *c);
	assert_non_null(c);
	smart_composite(sm, &site, 1, NULL, utc("2026-06-01T00:00:00Z"), 86400, SC_AMPS, 32, c);
	assert_true(c->n > 20);
	/* Each period's limit is what smart_limit says at its start. */
	for (int i = 0; i < c->n; i++) {
		double a = smart_limit(sm, &site, 1, NULL, c->start + c->p[i].start, NULL);
		assert_true(fabs(floor(a * 10 + 1e-6) / 10 - c->p[i].limit) < 1e-9);
		if (i)
			assert_true(c->p[i].start > c->p[i - 1].start);
	}
	free(c);
	smart_free(sm);
}

/* ---- the limit now and its next change ---------------------------------- */

struct now_row {
	const char *what;
	const char *zone;
	struct pdef prof[3];
	int conn;
	const char *tx_start;
	const char *at;
	double amps;	  /* < 0: none */
	const char *next; /* NULL: never */
};

/* clang-format off */
static const struct now_row now_rows[] = {
    {"nothing installed", NULL, {{0}}, 1, NULL, T0, -1, NULL},
    {"absolute: the next period", NULL, {{MAX(1, 0), .start = T0, .periods = "0:16 600:10"}}, 1,
     NULL, "2026-06-01T10:05:00Z", 16, "2026-06-01T10:10:00Z"},
    {"absolute: last period, no end", NULL, {{MAX(1, 0), .start = T0, .periods = "0:16 600:10"}},
     1, NULL, "2026-06-01T11:00:00Z", 10, NULL},
    {"absolute not begun: its start", NULL, {{MAX(1, 0), .start = T0, .periods = "0:16"}}, 1,
     NULL, "2026-06-01T09:00:00Z", -1, T0},
    {"validTo is the next change", NULL,
     {{MAX(1, 0), .start = T0, .to = "2026-06-01T12:00:00Z", .periods = "0:16"}}, 1, NULL,
     "2026-06-01T11:00:00Z", 16, "2026-06-01T12:00:00Z"},
    {"daily London: the next local midnight", "Europe/London",
     {{DEF(1, 0, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .start = "2026-01-01T00:00:00Z",
       .periods = "0:10 28800:20"}},
     1, NULL, "2026-06-01T20:00:00Z", 20, "2026-06-01T23:00:00Z"},
    {"relative TxProfile needs the transaction", NULL,
     {{TX(1, 0), .kind = SC_RELATIVE, .periods = "0:10 60:12"}}, 1, NULL, T0, -1, NULL},
    {"relative TxProfile from the transaction's start", NULL,
     {{TX(1, 0), .kind = SC_RELATIVE, .periods = "0:10 600:12"}}, 1, "2026-06-01T09:55:00Z", T0,
     10, "2026-06-01T10:05:00Z"},
    {"connector 0: ChargePointMax only", NULL,
     {{MAX(1, 0), .start = T0, .periods = "0:20"}, {DEF(2, 0, 0), .start = T0, .periods = "0:10"}},
     0, NULL, T0, 20, NULL},
    {"a lower stack level's start is a change too", NULL,
     {{DEF(1, 1, 9), .start = T0, .periods = "0:20"},
      {DEF(2, 1, 0), .start = "2026-06-01T10:30:00Z", .periods = "0:10"}},
     1, NULL, T0, 20, "2026-06-01T10:30:00Z"},
};
/* clang-format on */

static void limit_now_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof now_rows / sizeof now_rows[0]; i++) {
		const struct now_row *w = &now_rows[i];
		struct sc_site site = site_of(w->zone, 230, 3);
		struct smart *sm = store_of(w->prof, 3);
		struct sc_tx tx = {w->tx_start != NULL, false, 0,
				   w->tx_start ? utc(w->tx_start) : 0};
		int64_t next = 0;
		double a = smart_limit(sm, &site, w->conn, &tx, utc(w->at), &next);
		int64_t want_next = w->next ? utc(w->next) : INT64_MAX;
		if ((w->amps < 0 ? a >= 0 : fabs(a - w->amps) > 1e-9) || next != want_next)
			fail_msg("%s: %.1f A next %lld, expected %.1f A next %lld", w->what, a,
				 (long long)next, w->amps, (long long)want_next);
		smart_free(sm);
	}
}

/* ---- validation --------------------------------------------------------- */

struct check_row {
	const char *what;
	struct pdef p;
	bool tx_active;
	int32_t tx_id; /* 0 = not known yet */
	enum sc_err want;
};

/* clang-format off */
static const struct check_row check_rows[] = {
    {"a good ChargePointMax", {MAX(1, 0), .start = T0, .periods = "0:16"}, false, 0, SC_OK},
    {"ChargePointMax on connector 1", {.id = 1, .conn = 1, .purpose = SC_CP_MAX, .periods = "0:16"},
     false, 0, SC_E_CONNECTOR},
    {"TxProfile on connector 0", {.id = 1, .conn = 0, .purpose = SC_TX, .periods = "0:16"}, true,
     5, SC_E_CONNECTOR},
    {"connector 3 of 2", {DEF(1, 3, 0), .periods = "0:16"}, false, 0, SC_E_CONNECTOR},
    {"negative connector", {DEF(1, -1, 0), .periods = "0:16"}, false, 0, SC_E_CONNECTOR},
    {"stack level at the maximum", {DEF(1, 1, 99), .periods = "0:16"}, false, 0, SC_OK},
    {"stack level above the maximum", {DEF(1, 1, 100), .periods = "0:16"}, false, 0,
     SC_E_STACK_LEVEL},
    {"negative stack level", {DEF(1, 1, -1), .periods = "0:16"}, false, 0, SC_E_STACK_LEVEL},
    {"first period not at 0", {DEF(1, 1, 0), .periods = "60:16"}, false, 0, SC_E_PERIODS},
    {"startPeriod not increasing", {DEF(1, 1, 0), .periods = "0:16 600:10 300:8"}, false, 0,
     SC_E_PERIODS},
    {"startPeriod repeated", {DEF(1, 1, 0), .periods = "0:16 600:10 600:8"}, false, 0,
     SC_E_PERIODS},
    {"no period", {DEF(1, 1, 0), .periods = ""}, false, 0, SC_E_PERIODS},
    {"negative limit", {DEF(1, 1, 0), .periods = "0:16 600:-1"}, false, 0, SC_E_LIMIT},
    {"limit 0 is a pause", {DEF(1, 1, 0), .periods = "0:0"}, false, 0, SC_OK},
    {"numberPhases 4", {DEF(1, 1, 0), .periods = "0:16/4"}, false, 0, SC_E_LIMIT},
    {"negative minChargingRate", {DEF(1, 1, 0), .min_rate = -1, .periods = "0:16"}, false, 0,
     SC_E_LIMIT},
    {"negative duration", {DEF(1, 1, 0), .duration = -5, .periods = "0:16"}, false, 0,
     SC_E_SCHEDULE},
    {"recurring without startSchedule",
     {DEF(1, 1, 0), .kind = SC_RECURRING, .rec = SC_DAILY, .periods = "0:16"}, false, 0,
     SC_E_SCHEDULE},
    {"recurring without recurrencyKind",
     {DEF(1, 1, 0), .kind = SC_RECURRING, .start = T0, .periods = "0:16"}, false, 0,
     SC_E_SCHEDULE},
    {"validFrom after validTo",
     {DEF(1, 1, 0), .from = "2026-06-02T00:00:00Z", .to = "2026-06-01T00:00:00Z",
      .periods = "0:16"},
     false, 0, SC_E_SCHEDULE},
    {"TxProfile without a transaction", {TX(1, 0), .periods = "0:16"}, false, 0,
     SC_E_TRANSACTION},
    {"TxProfile for the running transaction", {TX(1, 0), .periods = "0:16", .tx_id = 5}, true, 5,
     SC_OK},
    {"TxProfile without transactionId during one", {TX(1, 0), .periods = "0:16"}, true, 5, SC_OK},
    {"TxProfile for another transaction", {TX(1, 0), .periods = "0:16", .tx_id = 6}, true, 5,
     SC_E_TRANSACTION},
    {"TxProfile before the transactionId is known", {TX(1, 0), .periods = "0:16", .tx_id = 5},
     true, 0, SC_E_TRANSACTION},
    {"transactionId on a TxDefaultProfile", {DEF(1, 1, 0), .periods = "0:16", .tx_id = 5}, true,
     5, SC_E_TRANSACTION},
};
/* clang-format on */

static void check_profiles(void **state)
{
	(void)state;
	struct sc_caps caps = {2, 99, 32, 10, true, true};
	struct smart *sm = smart_new();
	assert_non_null(sm);
	for (size_t i = 0; i < sizeof check_rows / sizeof check_rows[0]; i++) {
		const struct check_row *w = &check_rows[i];
		struct sc_profile p;
		build(&w->p, &p);
		struct sc_tx tx = {w->tx_active, w->tx_id != 0, w->tx_id, utc(T0)};
		enum sc_err e = smart_check(sm, &caps, &p, &tx);
		if (e != w->want)
			fail_msg("%s: %s, expected %s", w->what, smart_err_text(e),
				 smart_err_text(w->want));
	}
	smart_free(sm);
}

static void check_caps(void **state)
{
	(void)state;
	struct sc_caps caps = {2, 3, 4, 2, true, false};
	struct smart *sm = smart_new();
	assert_non_null(sm);
	struct sc_profile p;
	build(&(struct pdef){DEF(1, 1, 0), .periods = "0:1 1:2 2:3 3:4 4:5"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_E_PERIODS);
	build(&(struct pdef){DEF(1, 1, 0), .unit = SC_WATTS, .periods = "0:1000"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_E_UNIT);
	build(&(struct pdef){DEF(1, 1, 4), .periods = "0:1"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_E_STACK_LEVEL);
	/* Two installed: a third is refused, a replacement is not. */
	build(&(struct pdef){DEF(1, 1, 0), .periods = "0:1"}, &p);
	assert_true(smart_put(sm, &p));
	build(&(struct pdef){DEF(2, 1, 1), .periods = "0:1"}, &p);
	assert_true(smart_put(sm, &p));
	build(&(struct pdef){DEF(3, 1, 2), .periods = "0:1"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_E_FULL);
	build(&(struct pdef){DEF(3, 1, 1), .periods = "0:1"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_OK);
	build(&(struct pdef){DEF(2, 0, 3), .periods = "0:1"}, &p);
	assert_int_equal(smart_check(sm, &caps, &p, NULL), SC_OK);
	smart_free(sm);
}

/* ---- Set and Clear ------------------------------------------------------ */

/* The installed ids in order, "1 2 3". */
static void ids_of(const struct smart *sm, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; i < smart_count(sm) && k < len; i++) {
		int w = snprintf(buf + k, len - k, "%s%d", i ? " " : "", smart_get(sm, i)->id);
		k += w > 0 ? (size_t)w : 0;
	}
}

static void set_replaces(void **state)
{
	(void)state;
	static const struct {
		struct pdef p;
		const char *ids;
	} steps[] = {
	    {{DEF(1, 1, 0), .periods = "0:10"}, "1"},
	    {{DEF(2, 1, 1), .periods = "0:10"}, "1 2"},
	    {{DEF(3, 2, 1), .periods = "0:10"}, "1 2 3"},
	    /* Same id: replaced, wherever it was. */
	    {{DEF(2, 0, 4), .periods = "0:12"}, "1 3 2"},
	    /* Same purpose, stack level and connector: replaced. */
	    {{DEF(4, 1, 0), .periods = "0:12"}, "3 2 4"},
	    /* Same stack level, other purpose: both kept. */
	    {{MAX(5, 4), .periods = "0:12"}, "3 2 4 5"},
	    /* Both rules at once: two replaced. */
	    {{DEF(3, 0, 4), .periods = "0:8"}, "4 5 3"},
	};
	struct smart *sm = smart_new();
	assert_non_null(sm);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct sc_profile p;
		build(&steps[i].p, &p);
		assert_true(smart_put(sm, &p));
		char got[64];
		ids_of(sm, got, sizeof got);
		if (strcmp(got, steps[i].ids) != 0)
			fail_msg("step %zu: \"%s\", expected \"%s\"", i, got, steps[i].ids);
	}
	smart_free(sm);
}

struct clear_row {
	const char *what;
	struct sc_clear c;
	const char *matched;
};

static void clear_rows(void **state)
{
	(void)state;
	static const struct pdef defs[] = {
	    {MAX(1, 0), .periods = "0:32"},    {DEF(2, 0, 0), .periods = "0:16"},
	    {DEF(3, 1, 1), .periods = "0:16"}, {DEF(4, 2, 1), .periods = "0:16"},
	    {TX(5, 2), .periods = "0:16"},     {DEF(6, 1, 2), .periods = "0:16"},
	};
	static const struct clear_row rows[] = {
	    {"everything", {0}, "1 2 3 4 5 6"},
	    {"by id", {.has_id = true, .id = 4}, "4"},
	    {"by id, other criteria ignored",
	     {.has_id = true, .id = 4, .has_connector = true, .connector = 1},
	     "4"},
	    {"unknown id", {.has_id = true, .id = 99}, ""},
	    {"connector 0 is the charger's", {.has_connector = true, .connector = 0}, "1 2"},
	    {"connector 1", {.has_connector = true, .connector = 1}, "3 5 6"},
	    {"purpose", {.has_purpose = true, .purpose = SC_TX_DEFAULT}, "2 3 4 6"},
	    {"stack level", {.has_stack_level = true, .stack_level = 1}, "3 4"},
	    {"connector and stack level",
	     {.has_connector = true, .connector = 2, .has_stack_level = true, .stack_level = 1},
	     "4"},
	    {"purpose and stack level, none",
	     {.has_purpose = true, .purpose = SC_CP_MAX, .has_stack_level = true, .stack_level = 1},
	     ""},
	};
	struct smart *sm = smart_new();
	assert_non_null(sm);
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
		struct sc_profile p;
		build(&defs[i], &p);
		if (p.purpose == SC_TX)
			p.connector = 1;
		assert_true(smart_put(sm, &p));
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int32_t ids[16];
		int n = smart_match(sm, &rows[i].c, ids, 16);
		char got[64] = "";
		size_t k = 0;
		for (int j = 0; j < n; j++)
			k +=
			    (size_t)snprintf(got + k, sizeof got - k, "%s%d", j ? " " : "", ids[j]);
		if (strcmp(got, rows[i].matched) != 0)
			fail_msg("%s: \"%s\", expected \"%s\"", rows[i].what, got, rows[i].matched);
	}
	int32_t ids[2] = {3, 5};
	smart_remove(sm, ids, 2);
	char got[64];
	ids_of(sm, got, sizeof got);
	assert_string_equal(got, "1 2 4 6");
	int32_t tx[4];
	assert_int_equal(smart_tx_profiles(sm, 1, tx, 4), 0);
	smart_free(sm);
}

static void err_texts(void **state)
{
	(void)state;
	for (int e = SC_OK; e <= SC_E_FULL; e++)
		assert_true(strlen(smart_err_text((enum sc_err)e)) > 5);
	assert_string_equal(smart_err_text((enum sc_err)99), "?");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(composite_rows),
    cmocka_unit_test(composite_reports_min_rate),
    cmocka_unit_test(composite_many_periods),
    cmocka_unit_test(limit_now_rows),
    cmocka_unit_test(check_profiles),
    cmocka_unit_test(check_caps),
    cmocka_unit_test(set_replaces),
    cmocka_unit_test(clear_rows),
    cmocka_unit_test(err_texts),
};

VCLOCK_MAIN("smart", tests)
