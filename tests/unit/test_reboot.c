/* SPDX-License-Identifier: MIT */
/*
 * Periodic reboot timing (src/core/reboot.c) under a virtual clock: due after
 * the period, never with 0, deferred by a running transaction until the
 * connectors are idle, a period changed at run time counted again from the
 * change, and the registry's per-profile defaults (MQ200 10080 min).
 */
#include "vclock.h"

#include "core/reboot.h"
#include "core/settings.h"

#define MIN 60000LL

static void due_after_period(void **state)
{
	(void)state;
	struct reboot_timer t;
	int64_t start = 5000;
	reboot_init(&t, start, 60);
	assert_int_equal(reboot_due(&t), start + 60 * MIN);
	assert_int_equal(reboot_next_deadline(&t), start + 60 * MIN);
	assert_int_equal(reboot_poll(&t, start, 60, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, start + 60 * MIN - 1, 60, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, start + 60 * MIN, 60, false), REBOOT_NOW);
	assert_false(reboot_waiting(&t));
	/* The MQ200's default: a week. */
	reboot_init(&t, 0, 10080);
	assert_int_equal(reboot_poll(&t, 10080 * MIN - 1, 10080, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, 10080 * MIN, 10080, false), REBOOT_NOW);
}

static void zero_is_never(void **state)
{
	(void)state;
	struct reboot_timer t;
	reboot_init(&t, 0, 0);
	assert_int_equal(reboot_due(&t), INT64_MAX);
	assert_int_equal(reboot_next_deadline(&t), INT64_MAX);
	assert_int_equal(reboot_poll(&t, 0, 0, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, 400LL * 24 * 60 * MIN, 0, false), REBOOT_NOT_YET);
	/* Set to 0 at run time while counting: never. */
	reboot_init(&t, 0, 30);
	assert_int_equal(reboot_poll(&t, 29 * MIN, 0, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, 1000 * MIN, 0, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_next_deadline(&t), INT64_MAX);
}

static void deferred_by_a_session(void **state)
{
	(void)state;
	struct reboot_timer t;
	reboot_init(&t, 0, 60);
	/* Due while a transaction runs: waits, and asks for no timer. */
	assert_int_equal(reboot_poll(&t, 60 * MIN, 60, true), REBOOT_WAIT);
	assert_true(reboot_waiting(&t));
	assert_int_equal(reboot_next_deadline(&t), INT64_MAX);
	assert_int_equal(reboot_due(&t), 60 * MIN);
	assert_int_equal(reboot_poll(&t, 95 * MIN, 60, true), REBOOT_WAIT);
	/* The session ends: now. */
	assert_int_equal(reboot_poll(&t, 95 * MIN + 1, 60, false), REBOOT_NOW);
	assert_false(reboot_waiting(&t));
	/* Busy before it is due changes nothing. */
	reboot_init(&t, 0, 60);
	assert_int_equal(reboot_poll(&t, 30 * MIN, 60, true), REBOOT_NOT_YET);
	assert_false(reboot_waiting(&t));
	assert_int_equal(reboot_next_deadline(&t), 60 * MIN);
}

static void period_changed_at_run_time(void **state)
{
	(void)state;
	struct reboot_timer t;
	reboot_init(&t, 0, 60);
	/* 50 min in, the period becomes 30 min: counted from the change, not
	 * already over. */
	assert_int_equal(reboot_poll(&t, 50 * MIN, 30, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_due(&t), 80 * MIN);
	assert_int_equal(reboot_poll(&t, 79 * MIN, 30, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_poll(&t, 80 * MIN, 30, false), REBOOT_NOW);
	/* From never to a period. */
	reboot_init(&t, 0, 0);
	assert_int_equal(reboot_poll(&t, 10 * MIN, 5, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_next_deadline(&t), 15 * MIN);
	/* A change while waiting for idle: the wait ends, the count restarts. */
	reboot_init(&t, 0, 60);
	assert_int_equal(reboot_poll(&t, 60 * MIN, 60, true), REBOOT_WAIT);
	assert_int_equal(reboot_poll(&t, 61 * MIN, 120, true), REBOOT_NOT_YET);
	assert_false(reboot_waiting(&t));
	assert_int_equal(reboot_due(&t), 181 * MIN);
	/* The same period again changes nothing. */
	assert_int_equal(reboot_poll(&t, 100 * MIN, 120, false), REBOOT_NOT_YET);
	assert_int_equal(reboot_due(&t), 181 * MIN);
}

static void profile_defaults(void **state)
{
	(void)state;
	static const struct {
		enum profile_id p;
		int64_t min;
	} rows[] = {{PROFILE_IO7, 0}, {PROFILE_MQ200, 10080}, {PROFILE_EVPLUS, 0}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct settings *s = settings_new(rows[i].p);
		assert_non_null(s);
		assert_int_equal(settings_int(s, SET_REBOOT_PERIOD), rows[i].min);
		char err[200];
		assert_int_equal(
		    settings_set(s, "reboot.period", "-1", SRC_RUNTIME, err, sizeof err, NULL),
		    SET_E_INVALID);
		assert_int_equal(
		    settings_set(s, "reboot.period", "59", SRC_RUNTIME, err, sizeof err, NULL),
		    SET_E_INVALID);
		assert_string_equal(err,
				    "reboot.period: must be 0 (never) or 60-525600 minutes (an "
				    "hour to a year)");
		assert_int_equal(
		    settings_set(s, "reboot.period", "525601", SRC_RUNTIME, err, sizeof err, NULL),
		    SET_E_INVALID);
		assert_int_equal(settings_int(s, SET_REBOOT_PERIOD), rows[i].min);
		settings_free(s);
	}
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(due_after_period),
    cmocka_unit_test(zero_is_never),
    cmocka_unit_test(deferred_by_a_session),
    cmocka_unit_test(period_changed_at_run_time),
    cmocka_unit_test(profile_defaults),
};
/* clang-format on */

VCLOCK_MAIN("reboot", tests)
