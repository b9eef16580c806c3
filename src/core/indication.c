/* SPDX-License-Identifier: MIT */
/* LED patterns per product scheme (io7 section 3 / 8, MQ200 9.1, EVPLUS 7.1). */
#include "indication.h"

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
