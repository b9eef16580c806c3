/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the POSIX TZ rules (tz.c): parsing of rule strings and IANA
 * names with their failures, the UTC offset either side of the 2026 DST
 * changes of Europe/London and America/Los_Angeles, local wall time to UTC in
 * the skipped and the repeated hour, and the next instant of a local time of
 * day across midnight and across DST. Instants are written as UTC text.
 */
#include "vclock.h"

#include <stdio.h>
#include <string.h>

#include "core/settings.h"
#include "core/tz.h"

static int64_t utc(const char *text)
{
	int64_t t = 0;
	if (!settings_parse_utc(text, &t))
		fail_msg("bad UTC text in the table: %s", text);
	return t;
}

static struct tz_rule zone(const char *spec)
{
	struct tz_rule r;
	char err[128];
	if (!tz_parse(spec, &r, err, sizeof err))
		fail_msg("%s", err);
	return r;
}

/* ---- parsing ------------------------------------------------------------ */

struct parse_row {
	const char *spec;
	bool ok;
	int32_t std_offset, dst_offset;
	bool has_dst;
	int sm, sw, sd, st, em, ew, ed, et;
};

static void parse_rows(void **state)
{
	(void)state;
	static const struct parse_row rows[] = {
	    {"UTC0", true, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"UTC", true, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.5.0/1,M10.5.0", true, 0, 3600, true, 3, 5, 0, 3600, 10, 5, 0, 7200},
	    {"Europe/London", true, 0, 3600, true, 3, 5, 0, 3600, 10, 5, 0, 7200},
	    {"PST8PDT,M3.2.0,M11.1.0", true, -28800, -25200, true, 3, 2, 0, 7200, 11, 1, 0, 7200},
	    {"America/Los_Angeles", true, -28800, -25200, true, 3, 2, 0, 7200, 11, 1, 0, 7200},
	    {"America/New_York", true, -18000, -14400, true, 3, 2, 0, 7200, 11, 1, 0, 7200},
	    {"Europe/Rome", true, 3600, 7200, true, 3, 5, 0, 7200, 10, 5, 0, 10800},
	    {"CET-1CEST,M3.5.0,M10.5.0/3", true, 3600, 7200, true, 3, 5, 0, 7200, 10, 5, 0, 10800},
	    {"<+0530>-5:30", true, 19800, 19800, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"EST5EDT", true, -18000, -14400, true, 3, 2, 0, 7200, 11, 1, 0, 7200},
	    {"AAA3BBB2,M1.1.1/-1:30,M12.5.6/26", true, -10800, -7200, true, 1, 1, 1, -5400, 12, 5,
	     6, 93600},
	    {"", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"Europe/Atlantis", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GM0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT25", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0:60", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M13.5.0,M10.5.0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.6.0,M10.5.0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.5.7,M10.5.0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.5.0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,J60,J300", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.5.0/168,M10.5.0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"GMT0BST,M3.5.0,M10.5.0x", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"<AB>0", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	    {"UTC0 ", false, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct parse_row *w = &rows[i];
		struct tz_rule r;
		char err[128] = "";
		bool ok = tz_parse(w->spec, &r, err, sizeof err);
		if (ok != w->ok)
			fail_msg("\"%s\": parse %s, expected %s (%s)", w->spec,
				 ok ? "ok" : "failed", w->ok ? "ok" : "a failure", err);
		if (!ok) {
			if (strstr(err, "bad time zone") == NULL)
				fail_msg("\"%s\": error text \"%s\"", w->spec, err);
			continue;
		}
		if (r.std_offset != w->std_offset || r.dst_offset != w->dst_offset ||
		    r.has_dst != w->has_dst)
			fail_msg("\"%s\": offsets %d/%d dst %d", w->spec, r.std_offset,
				 r.dst_offset, r.has_dst);
		if (w->has_dst &&
		    (r.start_month != w->sm || r.start_week != w->sw || r.start_wday != w->sd ||
		     r.start_time != w->st || r.end_month != w->em || r.end_week != w->ew ||
		     r.end_wday != w->ed || r.end_time != w->et))
			fail_msg("\"%s\": rules M%d.%d.%d/%d M%d.%d.%d/%d", w->spec, r.start_month,
				 r.start_week, r.start_wday, r.start_time, r.end_month, r.end_week,
				 r.end_wday, r.end_time);
	}
}

static void parse_null_error_buffer(void **state)
{
	(void)state;
	struct tz_rule r;
	assert_false(tz_parse("nonsense/zone", &r, NULL, 0));
	assert_false(tz_parse(NULL, &r, NULL, 0));
}

/* ---- offsets and local time --------------------------------------------- */

struct local_row {
	const char *zone;
	const char *utc;
	int32_t offset;
	const char *local; /* "YYYY-MM-DD HH:MM:SS w" (w = weekday, 0 = Sunday) */
};

static void local_rows(void **state)
{
	(void)state;
	static const struct local_row rows[] = {
	    /* Europe/London: BST from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC. */
	    {"Europe/London", "2026-03-29T00:59:59Z", 0, "2026-03-29 00:59:59 0"},
	    {"Europe/London", "2026-03-29T01:00:00Z", 3600, "2026-03-29 02:00:00 0"},
	    {"Europe/London", "2026-07-01T12:00:00Z", 3600, "2026-07-01 13:00:00 3"},
	    {"Europe/London", "2026-10-25T00:59:59Z", 3600, "2026-10-25 01:59:59 0"},
	    {"Europe/London", "2026-10-25T01:00:00Z", 0, "2026-10-25 01:00:00 0"},
	    {"Europe/London", "2026-12-31T23:59:59Z", 0, "2026-12-31 23:59:59 4"},
	    /* America/Los_Angeles: PDT from 2026-03-08 10:00 UTC to 2026-11-01 09:00 UTC. */
	    {"America/Los_Angeles", "2026-03-08T09:59:59Z", -28800, "2026-03-08 01:59:59 0"},
	    {"America/Los_Angeles", "2026-03-08T10:00:00Z", -25200, "2026-03-08 03:00:00 0"},
	    {"America/Los_Angeles", "2026-11-01T08:59:59Z", -25200, "2026-11-01 01:59:59 0"},
	    {"America/Los_Angeles", "2026-11-01T09:00:00Z", -28800, "2026-11-01 01:00:00 0"},
	    {"America/Los_Angeles", "2026-01-01T07:00:00Z", -28800, "2025-12-31 23:00:00 3"},
	    /* Europe/Rome: CEST from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC. */
	    {"Europe/Rome", "2026-03-29T00:59:59Z", 3600, "2026-03-29 01:59:59 0"},
	    {"Europe/Rome", "2026-03-29T01:00:00Z", 7200, "2026-03-29 03:00:00 0"},
	    {"Europe/Rome", "2026-10-25T01:00:00Z", 3600, "2026-10-25 02:00:00 0"},
	    /* No DST, and a leap day. */
	    {"UTC0", "2028-02-29T23:59:59Z", 0, "2028-02-29 23:59:59 2"},
	    {"<+0530>-5:30", "2026-06-30T20:00:00Z", 19800, "2026-07-01 01:30:00 3"},
	    /* Southern hemisphere: DST spans the new year. */
	    {"AEST-10AEDT,M10.1.0,M4.1.0/3", "2026-01-15T00:00:00Z", 39600,
	     "2026-01-15 11:00:00 4"},
	    {"AEST-10AEDT,M10.1.0,M4.1.0/3", "2026-06-15T00:00:00Z", 36000,
	     "2026-06-15 10:00:00 1"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct local_row *w = &rows[i];
		struct tz_rule z = zone(w->zone);
		int64_t t = utc(w->utc);
		struct tz_local l;
		tz_local(&z, t, &l);
		char got[40];
		snprintf(got, sizeof got, "%04d-%02d-%02d %02d:%02d:%02d %d", l.year, l.month,
			 l.day, l.hour, l.minute, l.second, l.wday);
		if (tz_offset(&z, t) != w->offset || l.offset != w->offset ||
		    strcmp(got, w->local) != 0)
			fail_msg("%s at %s: offset %d local %s, expected %d %s", w->zone, w->utc,
				 l.offset, got, w->offset, w->local);
	}
}

/* ---- local wall time to UTC --------------------------------------------- */

struct to_utc_row {
	const char *zone;
	int y, mo, d, h, mi, s;
	const char *utc;
};

static void utc_of_local_rows(void **state)
{
	(void)state;
	static const struct to_utc_row rows[] = {
	    {"Europe/London", 2026, 1, 15, 8, 0, 0, "2026-01-15T08:00:00Z"},
	    {"Europe/London", 2026, 7, 15, 8, 0, 0, "2026-07-15T07:00:00Z"},
	    /* Skipped hour 01:00-02:00: taken as standard time. */
	    {"Europe/London", 2026, 3, 29, 1, 30, 0, "2026-03-29T01:30:00Z"},
	    {"Europe/London", 2026, 3, 29, 2, 0, 0, "2026-03-29T01:00:00Z"},
	    /* Repeated hour 01:00-02:00: the first (BST) one. */
	    {"Europe/London", 2026, 10, 25, 1, 30, 0, "2026-10-25T00:30:00Z"},
	    {"Europe/London", 2026, 10, 25, 2, 0, 0, "2026-10-25T02:00:00Z"},
	    /* Skipped 02:00-03:00 in Los Angeles. */
	    {"America/Los_Angeles", 2026, 3, 8, 2, 30, 0, "2026-03-08T10:30:00Z"},
	    {"America/Los_Angeles", 2026, 3, 8, 3, 0, 0, "2026-03-08T10:00:00Z"},
	    {"America/Los_Angeles", 2026, 3, 8, 1, 59, 59, "2026-03-08T09:59:59Z"},
	    /* Repeated 01:00-02:00: the first (PDT) one. */
	    {"America/Los_Angeles", 2026, 11, 1, 1, 30, 0, "2026-11-01T08:30:00Z"},
	    {"America/Los_Angeles", 2026, 11, 1, 0, 59, 59, "2026-11-01T07:59:59Z"},
	    {"America/Los_Angeles", 2026, 11, 1, 2, 0, 0, "2026-11-01T10:00:00Z"},
	    {"UTC0", 2026, 12, 31, 23, 59, 59, "2026-12-31T23:59:59Z"},
	    {"Europe/Rome", 2026, 8, 1, 0, 0, 0, "2026-07-31T22:00:00Z"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct to_utc_row *w = &rows[i];
		struct tz_rule z = zone(w->zone);
		int64_t got = tz_utc_of_local(&z, w->y, w->mo, w->d, w->h, w->mi, w->s);
		if (got != utc(w->utc)) {
			char buf[32];
			settings_format_utc(got, buf, sizeof buf);
			fail_msg("%s %04d-%02d-%02d %02d:%02d:%02d: %s, expected %s", w->zone, w->y,
				 w->mo, w->d, w->h, w->mi, w->s, buf, w->utc);
		}
	}
}

/* Every local time of a year maps back to itself (outside the skipped hour). */
static void utc_local_round_trip(void **state)
{
	(void)state;
	const char *specs[] = {"Europe/London", "America/Los_Angeles", "Europe/Rome", "UTC"};
	for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
		struct tz_rule z = zone(specs[k]);
		for (int64_t t = utc("2026-01-01T00:00:00Z"); t < utc("2027-01-01T00:00:00Z");
		     t += 1800) {
			struct tz_local l;
			tz_local(&z, t, &l);
			int64_t back =
			    tz_utc_of_local(&z, l.year, l.month, l.day, l.hour, l.minute, l.second);
			/* In the repeated hour the second instant maps to the first. */
			if (back != t && back != t - 3600)
				fail_msg("%s: %lld -> %lld", specs[k], (long long)t,
					 (long long)back);
		}
	}
}

/* ---- next local time of day --------------------------------------------- */

struct next_row {
	const char *zone;
	const char *from;
	int sod;
	const char *next;
};

static void next_local_time_rows(void **state)
{
	(void)state;
	static const struct next_row rows[] = {
	    /* Later today, and across midnight. */
	    {"Europe/London", "2026-01-10T07:00:00Z", 8 * 3600, "2026-01-10T08:00:00Z"},
	    {"Europe/London", "2026-01-10T08:00:00Z", 8 * 3600, "2026-01-11T08:00:00Z"},
	    {"Europe/London", "2026-01-10T23:30:00Z", 0, "2026-01-11T00:00:00Z"},
	    {"Europe/London", "2026-07-10T23:30:00Z", 0, "2026-07-11T23:00:00Z"},
	    {"Europe/London", "2026-07-10T22:30:00Z", 0, "2026-07-10T23:00:00Z"},
	    /* Across the DST start: 08:00 GMT, then 08:00 BST. */
	    {"Europe/London", "2026-03-28T08:00:00Z", 8 * 3600, "2026-03-29T07:00:00Z"},
	    {"Europe/London", "2026-03-29T00:00:00Z", 5400, "2026-03-29T01:30:00Z"},
	    /* Across the DST end: 22:00 BST, then 22:00 GMT. */
	    {"Europe/London", "2026-10-24T21:00:00Z", 22 * 3600, "2026-10-25T22:00:00Z"},
	    /* The repeated 01:30 happens twice. */
	    {"Europe/London", "2026-10-25T00:00:00Z", 5400, "2026-10-25T00:30:00Z"},
	    {"Europe/London", "2026-10-25T00:30:00Z", 5400, "2026-10-25T01:30:00Z"},
	    {"Europe/London", "2026-10-25T01:30:00Z", 5400, "2026-10-26T01:30:00Z"},
	    /* Los Angeles: midnight local is 08:00 or 07:00 UTC. */
	    {"America/Los_Angeles", "2026-03-07T12:00:00Z", 0, "2026-03-08T08:00:00Z"},
	    {"America/Los_Angeles", "2026-03-08T08:00:00Z", 0, "2026-03-09T07:00:00Z"},
	    {"America/Los_Angeles", "2026-03-08T09:00:00Z", 2 * 3600 + 1800,
	     "2026-03-08T10:30:00Z"},
	    {"America/Los_Angeles", "2026-10-31T12:00:00Z", 16 * 3600, "2026-10-31T23:00:00Z"},
	    {"America/Los_Angeles", "2026-10-31T23:00:00Z", 16 * 3600, "2026-11-02T00:00:00Z"},
	    {"America/Los_Angeles", "2026-11-01T08:45:00Z", 5400, "2026-11-01T09:30:00Z"},
	    {"America/Los_Angeles", "2026-12-31T20:00:00Z", 23 * 3600 + 59 * 60 + 59,
	     "2027-01-01T07:59:59Z"},
	    {"UTC0", "2026-12-31T23:59:59Z", 0, "2027-01-01T00:00:00Z"},
	    {"UTC0", "2026-12-31T23:59:58Z", 86399, "2026-12-31T23:59:59Z"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct next_row *w = &rows[i];
		struct tz_rule z = zone(w->zone);
		int64_t got = tz_next_local_time(&z, utc(w->from), w->sod);
		if (got != utc(w->next)) {
			char buf[32];
			settings_format_utc(got, buf, sizeof buf);
			fail_msg("%s from %s to %d: %s, expected %s", w->zone, w->from, w->sod, buf,
				 w->next);
		}
	}
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_rows),
    cmocka_unit_test(parse_null_error_buffer),
    cmocka_unit_test(local_rows),
    cmocka_unit_test(utc_of_local_rows),
    cmocka_unit_test(utc_local_round_trip),
    cmocka_unit_test(next_local_time_rows),
};
/* clang-format on */

VCLOCK_MAIN("tz", tests)
