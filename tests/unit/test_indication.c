/* SPDX-License-Identifier: MIT */
/*
 * The indication model (F2, F3): every fault row shown by every scheme, the
 * state patterns, and the EVPLUS display rotation and MQ200 OLED text.
 */
#include <stdio.h>
#include <string.h>

#include "core/indication.h"
#include "vclock.h"

static struct ind_in base(enum conn_status st)
{
	struct ind_in in;
	memset(&in, 0, sizeof in);
	in.status = st;
	in.fault = -1;
	return in;
}

static void every_fault_row_on_every_scheme(void **state)
{
	(void)state;
	for (int f = 0; f < FAULT_COUNT; f++) {
		const struct fault_def *d = fault_def((enum fault_id)f);
		for (int locked = 0; locked <= 1; locked++) {
			struct ind_in in = base(d->blocks_power ? CS_FAULTED : CS_CHARGING);
			in.fault = f;
			in.fault_locked = locked;
			/* io7: the row's colour sequence, warnings included. */
			assert_string_equal(indication_led(LED_SCHEME_IO7, &in), d->io7_led);
			const char *mq = indication_led(LED_SCHEME_MQ200, &in);
			const char *ev = indication_led(LED_SCHEME_EVPLUS, &in);
			if (d->blocks_power) {
				assert_string_equal(mq, locked ? "red" : "red-flashing");
				assert_string_equal(ev, "red");
			} else {
				/* A warning leaves the state's pattern. */
				assert_string_equal(mq, "blue-flashing-slow");
				assert_string_equal(ev, "blue-blinking-slow");
			}
			char buf[32];
			indication_display(LED_SCHEME_EVPLUS, &in, buf, sizeof buf);
			if (d->display[0])
				assert_string_equal(buf, d->display);
			indication_display(LED_SCHEME_IO7, &in, buf, sizeof buf);
			assert_string_equal(buf, "");
		}
	}
}

static void state_patterns(void **state)
{
	(void)state;
	static const struct {
		enum led_scheme s;
		enum conn_status st;
		bool plugged, authorized, delayed;
		const char *led;
	} rows[] = {
	    {LED_SCHEME_IO7, CS_AVAILABLE, false, false, false, "green"},
	    {LED_SCHEME_IO7, CS_PREPARING, true, false, false, "magenta"},
	    {LED_SCHEME_IO7, CS_PREPARING, true, true, false, "yellow"},
	    {LED_SCHEME_IO7, CS_CHARGING, true, true, false, "blue-pulsing"},
	    {LED_SCHEME_IO7, CS_SUSPENDED_EVSE, true, true, true, "blue"},
	    {LED_SCHEME_IO7, CS_SUSPENDED_EV, true, true, false, "magenta-blue"},
	    {LED_SCHEME_IO7, CS_UNAVAILABLE, false, false, false, "magenta-yellow"},
	    {LED_SCHEME_MQ200, CS_AVAILABLE, false, false, false, "green"},
	    {LED_SCHEME_MQ200, CS_PREPARING, false, true, false, "green-flashing-fast"},
	    {LED_SCHEME_MQ200, CS_CHARGING, true, true, false, "blue-flashing-slow"},
	    {LED_SCHEME_MQ200, CS_SUSPENDED_EV, true, true, false, "green-flashing-slow"},
	    {LED_SCHEME_MQ200, CS_RESERVED, false, false, false, "pink"},
	    {LED_SCHEME_MQ200, CS_UNAVAILABLE, false, false, false, "yellow"},
	    {LED_SCHEME_EVPLUS, CS_AVAILABLE, false, false, false, "green-blinking-slow"},
	    {LED_SCHEME_EVPLUS, CS_PREPARING, true, false, false, "blue"},
	    {LED_SCHEME_EVPLUS, CS_CHARGING, true, true, false, "blue-blinking-slow"},
	    {LED_SCHEME_EVPLUS, CS_SUSPENDED_EVSE, true, true, false, "blue-blinking-fast"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct ind_in in = base(rows[i].st);
		in.plugged = rows[i].plugged;
		in.authorized = rows[i].authorized;
		in.delayed = rows[i].delayed;
		const char *got = indication_led(rows[i].s, &in);
		if (strcmp(got, rows[i].led) != 0)
			fail_msg("row %zu: %s, expected %s", i, got, rows[i].led);
	}
	struct ind_in in = base(CS_PREPARING);
	in.rejected = true;
	assert_string_equal(indication_led(LED_SCHEME_IO7, &in), "red-white");
}

static void evplus_rotation_and_oled(void **state)
{
	(void)state;
	struct ind_in in = base(CS_CHARGING);
	in.voltage_v = 229.96;
	in.current_a = 31.98;
	in.frequency_hz = 50;
	in.session_kwh = 12.34;
	in.session_min = 45;
	static const char *const charging[] = {"230.0V", "32.0A", "50.0Hz", "12.3kWh", "45min"};
	char buf[32];
	for (int i = 0; i < 10; i++) {
		in.now_ms = (int64_t)i * IND_ROTATE_MS + 10;
		indication_display(LED_SCHEME_EVPLUS, &in, buf, sizeof buf);
		assert_string_equal(buf, charging[i % 5]);
	}
	in = base(CS_AVAILABLE);
	in.voltage_v = 230;
	in.frequency_hz = 50;
	static const char *const idle[] = {"230.0V", "50.0Hz"};
	for (int i = 0; i < 4; i++) {
		in.now_ms = (int64_t)i * IND_ROTATE_MS;
		indication_display(LED_SCHEME_EVPLUS, &in, buf, sizeof buf);
		assert_string_equal(buf, idle[i % 2]);
	}
	in = base(CS_SUSPENDED_EVSE);
	indication_display(LED_SCHEME_MQ200, &in, buf, sizeof buf);
	assert_string_equal(buf, "SUSPENDEDEVSE");
	indication_display(LED_SCHEME_MQ200, &in, buf, 4);
	assert_string_equal(buf, "SUS");
}

static void identify_above_everything(void **state)
{
	(void)state;
	struct ind_in in = base(CS_FAULTED);
	in.fault = FAULT_RCD;
	in.rejected = true;
	in.identify = true;
	assert_string_equal(indication_led(LED_SCHEME_IO7, &in), "white-flashing");
	assert_string_equal(indication_led(LED_SCHEME_MQ200, &in), "white-flashing");
	assert_string_equal(indication_led(LED_SCHEME_EVPLUS, &in), "white-flashing");
	in.identify = false;
	assert_string_not_equal(indication_led(LED_SCHEME_IO7, &in), "white-flashing");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(identify_above_everything),
    cmocka_unit_test(every_fault_row_on_every_scheme),
    cmocka_unit_test(state_patterns),
    cmocka_unit_test(evplus_rotation_and_oled),
};

VCLOCK_MAIN("indication", tests)
