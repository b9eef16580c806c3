/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic
 * Gregorian, H. Hinnant's algorithms), shared by the RFC 3339 parser, the
 * time zones and the charging schedules. Pure.
 */
#ifndef EVSED_CIVIL_H
#define EVSED_CIVIL_H

#include <stdint.h>

/* The day number of y-m-d (m 1-12, d 1-31). */
int64_t civil_days(int64_t y, int m, int d);
/* The date of day number z. */
void civil_from_days(int64_t z, int *y, int *m, int *d);
/* a / b rounded towards minus infinity (b != 0). */
int64_t civil_floor_div(int64_t a, int64_t b);

#endif
