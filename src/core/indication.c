/* SPDX-License-Identifier: MIT */
/* LED patterns per product scheme (io7 section 3 / 8, MQ200 9.1, EVPLUS 7.1). */
#include "indication.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
    "Available", "Preparing", "Charging",    "SuspendedEV", "SuspendedEVSE",
    "Finishing", "Reserved",  "Unavailable", "Faulted",
};

const char *conn_status_name(enum conn_status st)
{
	if ((unsigned)st > CS_FAULTED)
		return "Faulted";
	return status_names[st];
}

static const char *io7(const struct ind_in *in)
{
	if (in->rejected)
		return "red-white";
	if (in->fault >= 0)
		return fault_def((enum fault_id)in->fault)->io7_led;
	switch (in->status) {
	case CS_AVAILABLE:
		return "green";
	case CS_PREPARING:
		return in->authorized ? "yellow" : "magenta";
	case CS_CHARGING:
		return "blue-pulsing";
	case CS_SUSPENDED_EV:
		return "magenta-blue";
	case CS_SUSPENDED_EVSE:
		return in->delayed ? "blue" : "yellow";
	case CS_FINISHING:
		return "blue-magenta";
	case CS_RESERVED:
		return "yellow";
	case CS_UNAVAILABLE:
		return "magenta-yellow";
	case CS_FAULTED:
		return "red-yellow";
	}
	return "red";
}

static const char *mq200(const struct ind_in *in)
{
	if (in->rejected)
		return "red-flashing";
	/* MQ200 9.1: steady red unrecoverable, flashing red recoverable. */
	if (in->fault >= 0 && fault_def((enum fault_id)in->fault)->blocks_power)
		return in->fault_locked ? "red" : "red-flashing";
	switch (in->status) {
	case CS_AVAILABLE:
		return "green";
	case CS_PREPARING:
		return in->authorized ? "green-flashing-fast" : "green";
	case CS_CHARGING:
		return "blue-flashing-slow";
	case CS_SUSPENDED_EV:
	case CS_SUSPENDED_EVSE:
	case CS_FINISHING:
		return "green-flashing-slow";
	case CS_RESERVED:
		return "pink";
	case CS_UNAVAILABLE:
		return "yellow";
	case CS_FAULTED:
		return "red-flashing";
	}
	return "red";
}

static const char *evplus(const struct ind_in *in)
{
	if (in->rejected)
		return "red";
	if (in->fault >= 0 && fault_def((enum fault_id)in->fault)->blocks_power)
		return "red";
	switch (in->status) {
	case CS_AVAILABLE:
		return "green-blinking-slow";
	case CS_PREPARING:
		return "blue";
	case CS_CHARGING:
		return "blue-blinking-slow";
	case CS_SUSPENDED_EV:
	case CS_SUSPENDED_EVSE:
		return "blue-blinking-fast";
	case CS_FINISHING:
		return "blue";
	case CS_RESERVED:
		return "blue";
	case CS_UNAVAILABLE:
		return "off";
	case CS_FAULTED:
		return "red";
	}
	return "red";
}

const char *indication_led(enum led_scheme scheme, const struct ind_in *in)
{
	/* Group identify (E4): which charger is this? Above everything else,
	 * for its 10 s. */
	if (in->identify)
		return "white-flashing";
	switch (scheme) {
	case LED_SCHEME_IO7:
		return io7(in);
	case LED_SCHEME_MQ200:
		return mq200(in);
	case LED_SCHEME_EVPLUS:
		return evplus(in);
	}
	return "off";
}

/* ---- brightness -------------------------------------------------------- */

static bool dims(const struct ind_dim *dim)
{
	return dim->dim_after_s > 0 && dim->dim_pct < dim->full_pct;
}

int indication_brightness(const struct ind_dim *dim, int64_t since_ms, int64_t now_ms)
{
	if (dims(dim) && now_ms - since_ms >= (int64_t)dim->dim_after_s * 1000)
		return dim->dim_pct;
	return dim->full_pct;
}

int64_t indication_dim_deadline(const struct ind_dim *dim, int64_t since_ms, int64_t now_ms)
{
	if (!dims(dim))
		return INT64_MAX;
	int64_t at = since_ms + (int64_t)dim->dim_after_s * 1000;
	return at > now_ms ? at : INT64_MAX;
}

/* ---- legend -------------------------------------------------------------- */

/* The situations a legend lists: a status and the flags that change its
 * pattern. Faults are added from the fault table. */
static const struct {
	enum conn_status status;
	const char *what;
	bool authorized, delayed, rejected, identify;
} situations[] = {
    {CS_AVAILABLE, "", false, false, false, false},
    {CS_PREPARING, "waiting", false, false, false, false},
    {CS_PREPARING, "authorized", true, false, false, false},
    {CS_CHARGING, "", true, false, false, false},
    {CS_SUSPENDED_EV, "", true, false, false, false},
    {CS_SUSPENDED_EVSE, "", true, false, false, false},
    {CS_SUSPENDED_EVSE, "delayed", true, true, false, false},
    {CS_FINISHING, "", false, false, false, false},
    {CS_RESERVED, "", false, false, false, false},
    {CS_UNAVAILABLE, "", false, false, false, false},
    {CS_FAULTED, "", false, false, false, false},
    {CS_AVAILABLE, "rejected", false, false, true, false},
    {CS_AVAILABLE, "identify", false, false, false, true},
};

int indication_legend(enum led_scheme scheme, struct ind_legend *out, int max)
{
	if (max > IND_LEGEND_MAX)
		max = IND_LEGEND_MAX;
	int n = 0;
	for (size_t i = 0; i < sizeof situations / sizeof situations[0] && n < max; i++) {
		struct ind_in in = {.status = situations[i].status,
				    .authorized = situations[i].authorized,
				    .delayed = situations[i].delayed,
				    .rejected = situations[i].rejected,
				    .identify = situations[i].identify,
				    .fault = -1};
		out[n++] = (struct ind_legend){indication_led(scheme, &in), in.status,
					       situations[i].what, NULL};
	}
	/* Each fault, as it shows (recoverable, then locked out); a fault
	 * whose pattern is the plain Faulted one adds nothing. */
	const char *plain =
	    indication_led(scheme, &(struct ind_in){.status = CS_FAULTED, .fault = -1});
	for (int f = 0; f < FAULT_COUNT; f++) {
		for (int locked = 0; locked < 2 && n < max; locked++) {
			struct ind_in in = {
			    .status = CS_FAULTED, .fault = f, .fault_locked = locked};
			const char *led = indication_led(scheme, &in);
			if (strcmp(led, plain) == 0)
				continue;
			if (locked && strcmp(led, out[n - 1].pattern) == 0 &&
			    out[n - 1].fault == fault_def((enum fault_id)f)->name)
				continue; /* locked out looks the same */
			out[n++] = (struct ind_legend){led, CS_FAULTED, locked ? "locked" : "fault",
						       fault_def((enum fault_id)f)->name};
		}
	}
	return n;
}

static const char *const oled[] = {
    "AVAILABLE", "PREPARING", "CHARGING",    "SUSPENDEDEV", "SUSPENDEDEVSE",
    "FINISHING", "RESERVED",  "UNAVAILABLE", "FAULTED",
};

void indication_display(enum led_scheme scheme, const struct ind_in *in, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (scheme == LED_SCHEME_MQ200) {
		snprintf(buf, len, "%s",
			 (unsigned)in->status <= CS_FAULTED ? oled[in->status] : "");
		return;
	}
	if (scheme != LED_SCHEME_EVPLUS)
		return;
	if (in->fault >= 0 && fault_def((enum fault_id)in->fault)->display[0]) {
		snprintf(buf, len, "%s", fault_def((enum fault_id)in->fault)->display);
		return;
	}
	bool charging = in->status == CS_CHARGING;
	int items = charging ? 5 : 2;
	int64_t slot = (in->now_ms >= 0 ? in->now_ms : 0) / IND_ROTATE_MS % items;
	static const int idle_order[] = {0, 2};
	int item = charging ? (int)slot : idle_order[slot];
	switch (item) {
	case 0:
		snprintf(buf, len, "%.1fV", in->voltage_v);
		break;
	case 1:
		snprintf(buf, len, "%.1fA", in->current_a);
		break;
	case 2:
		snprintf(buf, len, "%.1fHz", in->frequency_hz);
		break;
	case 3:
		snprintf(buf, len, "%.1fkWh", in->session_kwh);
		break;
	default:
		snprintf(buf, len, "%lldmin", (long long)in->session_min);
		break;
	}
}
