/* SPDX-License-Identifier: MIT */
/*
 * Indication model (F2, F3): a connector's situation -> the LED pattern of the
 * product's scheme (io7 colours and troubleshooting sequences, MQ200 steady /
 * flashing, EVPLUS light belt) and the display text (EVPLUS 4-character
 * rotation and ERR codes, MQ200 OLED state). Pure: time is an input.
 */
#ifndef EVSED_INDICATION_H
#define EVSED_INDICATION_H

#include <stdbool.h>

#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "profile.h"

enum conn_status {
	CS_AVAILABLE,
	CS_PREPARING,
	CS_CHARGING,
	CS_SUSPENDED_EV,
	CS_SUSPENDED_EVSE,
	CS_FINISHING,
	CS_RESERVED,
	CS_UNAVAILABLE,
	CS_FAULTED,
};

/* OCPP 1.6 ChargePointStatus name of a status. */
const char *conn_status_name(enum conn_status st);

struct ind_in {
	enum conn_status status;
	bool plugged;	   /* an EV / cable is connected */
	bool authorized;   /* a session or a pending authorization exists */
	bool delayed;	   /* SuspendedEVSE by a delay or a schedule, not a fault */
	bool rejected;	   /* a card was just refused ("card not authorised") */
	int fault;	   /* the fault to show (enum fault_id), -1 for none */
	bool fault_locked; /* locked out: unrecoverable until reset */
	bool identify;	   /* group identify (E4): flash white for 10 s */
	/* For displays. */
	int64_t now_ms;
	double voltage_v, current_a, frequency_hz;
	double session_kwh;
	int64_t session_min;
};

/* How long each value of the EVPLUS rotation stays on its display. */
#define IND_ROTATE_MS 3000

/* The LED pattern name for a scheme, e.g. "blue-pulsing". */
const char *indication_led(enum led_scheme scheme, const struct ind_in *in);

/* LED brightness (F2, MQ200 Dim Option / Dim Intensity): full_pct
 * (LightIntensity) until dim_after_s seconds after the connector's status
 * or LED pattern last changed (since_ms), then dim_pct, never brighter than full;
 * dim_after_s 0 never dims. */
struct ind_dim {
	int full_pct;	 /* 0-100 */
	int dim_after_s; /* 0 = never */
	int dim_pct;	 /* 0-100 */
};
int indication_brightness(const struct ind_dim *dim, int64_t since_ms, int64_t now_ms);
/* When the brightness next changes by itself (the dimming instant), or
 * INT64_MAX if it does not. */
int64_t indication_dim_deadline(const struct ind_dim *dim, int64_t since_ms, int64_t now_ms);

/* One line of a scheme's LED legend: the pattern a situation shows. status
 * is the connector's status; what names the case within it ("" plain,
 * "waiting" for a card, "authorized", "delayed" by a policy or schedule,
 * "rejected" card, "identify", "fault" with the fault's name in fault,
 * "locked" fault locked out); fault is NULL unless the case is a fault. */
struct ind_legend {
	const char *pattern;
	enum conn_status status;
	const char *what;
	const char *fault;
};
/* Fill out (up to max lines) with every situation of the scheme and the
 * pattern indication_led gives it, in a fixed order; returns the number of
 * lines (never more than IND_LEGEND_MAX). */
#define IND_LEGEND_MAX 80
int indication_legend(enum led_scheme scheme, struct ind_legend *out, int max);

/* The display text ("" for products without a display, io7): EVPLUS: "ERR
 * OCP" for a fault, else a rotation every IND_ROTATE_MS of voltage,
 * frequency and, while charging, current, energy and minutes ("230.0V",
 * "31.9A", "50.0Hz", "12.3kWh", "45min"); MQ200: the OLED state
 * ("CHARGING", ...). */
void indication_display(enum led_scheme scheme, const struct ind_in *in, char *buf, size_t len);

#endif
