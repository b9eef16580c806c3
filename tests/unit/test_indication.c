/* SPDX-License-Identifier: MIT */
/*
 * The indication model (F2, F3): every fault row shown by every scheme, the
 * state patterns, and the EVPLUS display rotation and MQ200 OLED text.
 */
#include <stdint.h>
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

/* ---- brightness (MQ200 Dim Option / Dim Intensity) ---------------------- */

struct dim_row {
	int full, after, dim;
	int64_t since, now;
	int pct;
	int64_t deadline;
};

static void brightness_rows(void **state)
{
	(void)state;
	static const struct dim_row rows[] = {
	    /* Never dims. */
	    {100, 0, 10, 0, 999999, 100, INT64_MAX},
	    {80, 0, 10, 0, 0, 80, INT64_MAX},
	    /* Full until dim_after has passed since the last change. */
	    {100, 60, 10, 0, 0, 100, 60000},
	    {100, 60, 10, 0, 59999, 100, 60000},
	    {100, 60, 10, 0, 60000, 10, INT64_MAX},
	    {100, 60, 10, 5000, 64999, 100, 65000},
	    {100, 60, 10, 5000, 65000, 10, INT64_MAX},
	    /* Never brighter than LightIntensity: nothing to dim. */
	    {5, 60, 10, 0, 600000, 5, INT64_MAX},
	    {10, 60, 10, 0, 600000, 10, INT64_MAX},
	    /* Dimmed to off. */
	    {100, 1, 0, 0, 1000, 0, INT64_MAX},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct dim_row *r = &rows[i];
		struct ind_dim d = {r->full, r->after, r->dim};
		int pct = indication_brightness(&d, r->since, r->now);
		int64_t at = indication_dim_deadline(&d, r->since, r->now);
		if (pct != r->pct || at != r->deadline)
			fail_msg("row %zu: %d %% next %lld, expected %d %% next %lld", i, pct,
				 (long long)at, r->pct, (long long)r->deadline);
	}
}

/* ---- legend -------------------------------------------------------------- */

static const struct ind_legend *find(const struct ind_legend *l, int n, enum conn_status st,
				     const char *what, const char *fault)
{
	for (int i = 0; i < n; i++)
		if (l[i].status == st && strcmp(l[i].what, what) == 0 &&
		    ((!fault && !l[i].fault) ||
		     (fault && l[i].fault && strcmp(fault, l[i].fault) == 0)))
			return &l[i];
	return NULL;
}

struct legend_row {
	enum led_scheme scheme;
	enum conn_status status;
	const char *what, *fault, *pattern;
};

static void legend_rows(void **state)
{
	(void)state;
	static const struct legend_row rows[] = {
	    {LED_SCHEME_IO7, CS_AVAILABLE, "", NULL, "green"},
	    {LED_SCHEME_IO7, CS_PREPARING, "waiting", NULL, "magenta"},
	    {LED_SCHEME_IO7, CS_PREPARING, "authorized", NULL, "yellow"},
	    {LED_SCHEME_IO7, CS_CHARGING, "", NULL, "blue-pulsing"},
	    {LED_SCHEME_IO7, CS_SUSPENDED_EVSE, "delayed", NULL, "blue"},
	    {LED_SCHEME_IO7, CS_AVAILABLE, "rejected", NULL, "red-white"},
	    {LED_SCHEME_IO7, CS_AVAILABLE, "identify", NULL, "white-flashing"},
	    {LED_SCHEME_IO7, CS_FAULTED, "fault", "overcurrent", "red-blue-magenta"},
	    {LED_SCHEME_IO7, CS_FAULTED, "fault", "overtemp", "red-white-yellow"},
	    {LED_SCHEME_MQ200, CS_PREPARING, "authorized", NULL, "green-flashing-fast"},
	    {LED_SCHEME_MQ200, CS_CHARGING, "", NULL, "blue-flashing-slow"},
	    {LED_SCHEME_MQ200, CS_RESERVED, "", NULL, "pink"},
	    {LED_SCHEME_MQ200, CS_FAULTED, "locked", "overcurrent", "red"},
	    {LED_SCHEME_EVPLUS, CS_AVAILABLE, "", NULL, "green-blinking-slow"},
	    {LED_SCHEME_EVPLUS, CS_SUSPENDED_EV, "", NULL, "blue-blinking-fast"},
	    {LED_SCHEME_EVPLUS, CS_UNAVAILABLE, "", NULL, "off"},
	};
	struct ind_legend l[IND_LEGEND_MAX];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct legend_row *r = &rows[i];
		int n = indication_legend(r->scheme, l, IND_LEGEND_MAX);
		const struct ind_legend *e = find(l, n, r->status, r->what, r->fault);
		if (!e)
			fail_msg("row %zu: no legend line for %s %s %s", i,
				 conn_status_name(r->status), r->what, r->fault ? r->fault : "");
		if (strcmp(e->pattern, r->pattern) != 0)
			fail_msg("row %zu: %s, expected %s", i, e->pattern, r->pattern);
	}
}

/* MQ200: a recoverable fault flashes red like the plain Faulted line (no
 * line of its own), locked out it is steady red (a line per fault); the
 * EVPLUS shows red for every fault, the plain Faulted pattern: no fault
 * lines. Caps hold. */
static void legend_faults_and_bounds(void **state)
{
	(void)state;
	struct ind_legend l[IND_LEGEND_MAX];
	int n = indication_legend(LED_SCHEME_MQ200, l, IND_LEGEND_MAX);
	assert_true(n > 13 && n <= IND_LEGEND_MAX);
	assert_string_equal(find(l, n, CS_FAULTED, "", NULL)->pattern, "red-flashing");
	assert_null(find(l, n, CS_FAULTED, "fault", "overcurrent"));
	assert_string_equal(find(l, n, CS_FAULTED, "locked", "rcd")->pattern, "red");
	n = indication_legend(LED_SCHEME_EVPLUS, l, IND_LEGEND_MAX);
	for (int i = 0; i < n; i++) {
		assert_true(l[i].pattern[0] != '\0');
		assert_null(l[i].fault);
	}
	assert_int_equal(indication_legend(LED_SCHEME_IO7, l, 5), 5);
	assert_int_equal(indication_legend(LED_SCHEME_IO7, l, 0), 0);
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(identify_above_everything),
    cmocka_unit_test(every_fault_row_on_every_scheme),
    cmocka_unit_test(state_patterns),
    cmocka_unit_test(evplus_rotation_and_oled),
    cmocka_unit_test(brightness_rows),
    cmocka_unit_test(legend_rows),
    cmocka_unit_test(legend_faults_and_bounds),
};
/* clang-format on */

VCLOCK_MAIN("indication", tests)
