/* SPDX-License-Identifier: MIT */
/*
 * Time zones as POSIX TZ rules (D4): a small parser of "std offset [dst
 * [offset] [,start[/time],end[/time]]]" with "Mm.w.d" transition rules, a
 * table of the IANA names of the product regions, and pure conversions
 * between UTC and local wall time. It deliberately does not read the zone
 * database, call tzset() or localtime(), or support the Julian "Jn" / "n"
 * rule forms (no product region uses them); historical rule changes are out
 * of scope: the current rule applies to every year.
 */
#include "tz.h"

#include "civil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static int weekday_of_days(int64_t days)
{
	return (int)(((days % 7) + 11) % 7);
}

/* Day number of the w-th (5 = last) weekday wday of month m of year y. */
static int64_t rule_day(int y, int m, int w, int wday)
{
	int64_t first = civil_days(y, m, 1);
	int64_t next = m == 12 ? civil_days(y + 1, 1, 1) : civil_days(y, m + 1, 1);
	int64_t day = first + (wday - weekday_of_days(first) + 7) % 7 + 7 * (w - 1);
	while (day >= next)
		day -= 7;
	return day;
}

/* ---- parsing ------------------------------------------------------------ */

struct zone_name {
	const char *name;
	const char *rule;
};

static const struct zone_name zones[] = {
    {"UTC", "UTC0"},
    {"Etc/UTC", "UTC0"},
    {"Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"},
    {"Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Madrid", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3"},
    {"America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"},
    {"America/Denver", "MST7MDT,M3.2.0,M11.1.0"},
    {"America/Chicago", "CST6CDT,M3.2.0,M11.1.0"},
    {"America/New_York", "EST5EDT,M3.2.0,M11.1.0"},
};

/* A zone abbreviation: three or more letters, or "<...>" of letters, digits,
 * '+' and '-'. */
static bool parse_name(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (isalnum((unsigned char)p[n]) || p[n] == '+' || p[n] == '-')
			n++;
		if (p[n] != '>' || n < 3)
			return false;
		*pp = p + n + 1;
		return true;
	}
	while (isalpha((unsigned char)p[n]))
		n++;
	if (n < 3)
		return false;
	*pp = p + n;
	return true;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h, into seconds (sign as written). */
static bool parse_hms(const char **pp, int max_h, int32_t *out)
{
	const char *p = *pp;
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	int part[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*p != ':')
				break;
			p++;
		}
		if (!isdigit((unsigned char)*p))
			return false;
		int v = 0, digits = 0;
		while (isdigit((unsigned char)*p) && digits < 3) {
			v = v * 10 + (*p++ - '0');
			digits++;
		}
		if (isdigit((unsigned char)*p))
			return false;
		part[i] = v;
	}
	if (part[0] > max_h || part[1] > 59 || part[2] > 59)
		return false;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*pp = p;
	return true;
}

static bool parse_int(const char **pp, int lo, int hi, int *out)
{
	const char *p = *pp;
	int v = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 3) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || isdigit((unsigned char)*p) || v < lo || v > hi)
		return false;
	*out = v;
	*pp = p;
	return true;
}

/* "Mm.w.d[/time]" */
static bool parse_rule(const char **pp, int *month, int *week, int *wday, int *time)
{
	const char *p = *pp;
	if (*p++ != 'M')
		return false;
	if (!parse_int(&p, 1, 12, month) || *p++ != '.' || !parse_int(&p, 1, 5, week) ||
	    *p++ != '.' || !parse_int(&p, 0, 6, wday))
		return false;
	int32_t t = 7200;
	if (*p == '/') {
		p++;
		if (!parse_hms(&p, 167, &t))
			return false;
	}
	*time = (int)t;
	*pp = p;
	return true;
}

static bool fail(char *err, size_t errlen, const char *spec, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "bad time zone \"%.40s\": %s", spec, why);
	return false;
}

bool tz_parse(const char *spec, struct tz_rule *out, char *err, size_t errlen)
{
	if (!spec || !*spec)
		return fail(err, errlen, "", "empty");
	const char *text = spec;
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strcmp(spec, zones[i].name) == 0)
			text = zones[i].rule;
	if (strchr(text, '/') && !strchr(text, ',') && !strchr(text, '<'))
		return fail(err, errlen, spec, "unknown zone name");

	struct tz_rule r;
	memset(&r, 0, sizeof r);
	const char *p = text;
	int32_t off;
	if (!parse_name(&p))
		return fail(err, errlen, spec, "needs a zone abbreviation of 3 or more letters");
	if (!parse_hms(&p, 24, &off))
		return fail(err, errlen, spec, "needs an offset like 0, 8 or -1:30");
	r.std_offset = -off; /* POSIX offsets count west of UTC */
	r.dst_offset = r.std_offset;
	if (*p == '\0') {
		*out = r;
		return true;
	}
	if (!parse_name(&p))
		return fail(err, errlen, spec, "bad daylight saving abbreviation");
	r.has_dst = true;
	r.dst_offset = r.std_offset + 3600;
	if (*p != ',' && *p != '\0') {
		if (!parse_hms(&p, 24, &off))
			return fail(err, errlen, spec, "bad daylight saving offset");
		r.dst_offset = -off;
	}
	if (*p == '\0') {
		/* No rules: the POSIX default is implementation-defined; glibc's
		 * (and the US) rules. */
		r.start_month = 3, r.start_week = 2, r.start_wday = 0, r.start_time = 7200;
		r.end_month = 11, r.end_week = 1, r.end_wday = 0, r.end_time = 7200;
		*out = r;
		return true;
	}
	if (*p++ != ',' ||
	    !parse_rule(&p, &r.start_month, &r.start_week, &r.start_wday, &r.start_time))
		return fail(err, errlen, spec, "bad start rule (want Mm.w.d[/time])");
	if (*p++ != ',' || !parse_rule(&p, &r.end_month, &r.end_week, &r.end_wday, &r.end_time))
		return fail(err, errlen, spec, "bad end rule (want Mm.w.d[/time])");
	if (*p != '\0')
		return fail(err, errlen, spec, "unexpected text after the rules");
	*out = r;
	return true;
}

/* ---- conversions -------------------------------------------------------- */

/* UTC of the DST start and end in local year y. The start is written in
 * standard time, the end in daylight time. */
static void transitions(const struct tz_rule *tz, int y, int64_t *start, int64_t *end)
{
	*start = rule_day(y, tz->start_month, tz->start_week, tz->start_wday) * 86400 +
		 tz->start_time - tz->std_offset;
	*end = rule_day(y, tz->end_month, tz->end_week, tz->end_wday) * 86400 + tz->end_time -
	       tz->dst_offset;
}

int32_t tz_offset(const struct tz_rule *tz, int64_t utc)
{
	if (!tz->has_dst)
		return tz->std_offset;
	int y, m, d;
	civil_from_days(civil_floor_div(utc + tz->std_offset, 86400), &y, &m, &d);
	int64_t start, end;
	transitions(tz, y, &start, &end);
	bool dst = start < end ? (utc >= start && utc < end) : (utc >= start || utc < end);
	return dst ? tz->dst_offset : tz->std_offset;
}

void tz_local(const struct tz_rule *tz, int64_t utc, struct tz_local *out)
{
	int32_t off = tz_offset(tz, utc);
	int64_t local = utc + off;
	int64_t days = civil_floor_div(local, 86400);
	int64_t sod = local - days * 86400;
	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(sod / 3600);
	out->minute = (int)(sod / 60 % 60);
	out->second = (int)(sod % 60);
	out->wday = weekday_of_days(days);
	out->offset = off;
}

/* The UTC instants at which the wall clock reads "local" (seconds since the
 * epoch as if local time were UTC), earliest first: two in the hour repeated
 * by a DST end; in the hour skipped by a DST start, the wall time taken as
 * standard time. Returns how many (1 or 2). */
static int utc_of_local_secs(const struct tz_rule *tz, int64_t local, int64_t out[2])
{
	int64_t u_std = local - tz->std_offset;
	out[0] = u_std;
	if (!tz->has_dst)
		return 1;
	int64_t u_dst = local - tz->dst_offset;
	bool std_ok = tz_offset(tz, u_std) == tz->std_offset;
	bool dst_ok = tz_offset(tz, u_dst) == tz->dst_offset;
	if (std_ok && dst_ok && u_std != u_dst) {
		out[0] = u_std < u_dst ? u_std : u_dst;
		out[1] = u_std < u_dst ? u_dst : u_std;
		return 2;
	}
	if (dst_ok && !std_ok)
		out[0] = u_dst;
	return 1;
}

int64_t tz_utc_of_local(const struct tz_rule *tz, int year, int month, int day, int hour,
			int minute, int second)
{
	int64_t local = civil_days(year, month, day) * 86400 + (int64_t)hour * 3600 +
			(int64_t)minute * 60 + second;
	int64_t u[2];
	utc_of_local_secs(tz, local, u);
	return u[0];
}

int64_t tz_next_local_time(const struct tz_rule *tz, int64_t utc, int seconds_of_day)
{
	if (seconds_of_day < 0)
		seconds_of_day = 0;
	if (seconds_of_day > 86399)
		seconds_of_day = 86399;
	int64_t today = civil_floor_div(utc + tz_offset(tz, utc), 86400);
	/* A DST change moves a wall time by at most a day's fraction; two days
	 * on is always past utc. A repeated wall time happens twice. */
	for (int64_t k = -1; k <= 2; k++) {
		int64_t u[2];
		int n = utc_of_local_secs(tz, (today + k) * 86400 + seconds_of_day, u);
		for (int i = 0; i < n; i++)
			if (u[i] > utc)
				return u[i];
	}
	return utc + 86400;
}
