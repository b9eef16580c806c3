/* SPDX-License-Identifier: MIT */
/*
 * Local time without the C library's global time zone state (D4): a POSIX
 * TZ rule string ("GMT0BST,M3.5.0/1,M10.5.0", "PST8PDT,M3.2.0,M11.1.0",
 * "UTC0") parsed into a struct, and pure conversions between UTC and local
 * time with daylight saving. IANA names of the product regions are mapped to
 * their rules (Europe/London, Europe/Rome, Europe/Berlin, Europe/Madrid,
 * Europe/Paris, America/Los_Angeles, America/Denver, America/Chicago,
 * America/New_York, UTC). No files are read.
 */
#ifndef EVSED_TZ_H
#define EVSED_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz_rule {
	int32_t std_offset; /* seconds east of UTC in standard time */
	int32_t dst_offset; /* seconds east of UTC in daylight saving time */
	bool has_dst;
	/* Transition rules "Mm.w.d/time": month 1-12, week 1-5 (5 = last),
	 * weekday 0-6 (Sunday = 0), local time of day in seconds. */
	int start_month, start_week, start_wday, start_time;
	int end_month, end_week, end_wday, end_time;
};

/* Parse a POSIX TZ string or a known IANA name; false with err on failure. */
bool tz_parse(const char *spec, struct tz_rule *out, char *err, size_t errlen);

/* Seconds to add to UTC to get local time at utc. */
int32_t tz_offset(const struct tz_rule *tz, int64_t utc);

/* Local broken-down time at utc. */
struct tz_local {
	int year, month, day; /* 1-based month and day */
	int hour, minute, second;
	int wday;	/* 0 = Sunday */
	int32_t offset; /* seconds east of UTC in force */
};
void tz_local(const struct tz_rule *tz, int64_t utc, struct tz_local *out);

/* The UTC instant of local wall time y-m-d h:m:s. In the hour skipped by a
 * DST start the time is taken as standard time; in the repeated hour of a
 * DST end, the first (daylight) one. */
int64_t tz_utc_of_local(const struct tz_rule *tz, int year, int month, int day, int hour,
			int minute, int second);

/* The next UTC instant after utc when the local time of day is
 * seconds_of_day (0-86399). */
int64_t tz_next_local_time(const struct tz_rule *tz, int64_t utc, int seconds_of_day);

#endif
