/* SPDX-License-Identifier: MIT */
/*
 * Calendar arithmetic (src/core/civil.c): known day numbers, the round trip
 * over 800 years on both sides of 1970 (every leap rule), and division that
 * rounds towards minus infinity.
 */
#include "vclock.h"

#include "core/civil.h"

static void known_days(void **state)
{
	(void)state;
	static const struct {
		int y, m, d;
		int64_t days;
	} rows[] = {
	    {1970, 1, 1, 0},	 {1969, 12, 31, -1},   {2000, 2, 29, 11016}, {2000, 3, 1, 11017},
	    {2026, 1, 1, 20454}, {1900, 3, 1, -25508}, {2100, 2, 28, 47540}, {2100, 3, 1, 47541},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(civil_days(rows[i].y, rows[i].m, rows[i].d), rows[i].days);
		int y, m, d;
		civil_from_days(rows[i].days, &y, &m, &d);
		assert_int_equal(y, rows[i].y);
		assert_int_equal(m, rows[i].m);
		assert_int_equal(d, rows[i].d);
	}
}

static void round_trip(void **state)
{
	(void)state;
	int py = 0, pm = 0, pd = 0;
	for (int64_t z = civil_days(1600, 1, 1); z <= civil_days(2400, 12, 31); z++) {
		int y, m, d;
		civil_from_days(z, &y, &m, &d);
		assert_int_equal(civil_days(y, m, d), z);
		if (py) /* consecutive days: the next date */
			assert_true((y == py && m == pm && d == pd + 1) ||
				    (y == py && m == pm + 1 && d == 1) ||
				    (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31));
		py = y;
		pm = m;
		pd = d;
	}
}

static void floor_division(void **state)
{
	(void)state;
	assert_int_equal(civil_floor_div(7, 2), 3);
	assert_int_equal(civil_floor_div(-7, 2), -4);
	assert_int_equal(civil_floor_div(-8, 2), -4);
	assert_int_equal(civil_floor_div(7, -2), -4);
	assert_int_equal(civil_floor_div(-86401, 86400), -2);
	assert_int_equal(civil_floor_div(0, 86400), 0);
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(known_days),
    cmocka_unit_test(round_trip),
    cmocka_unit_test(floor_division),
};
/* clang-format on */

VCLOCK_MAIN("civil", tests)
