/* SPDX-License-Identifier: MIT */
/*
 * Indication model (F2, first part): a connector's situation -> the LED
 * pattern of the product's scheme (io7 colours, MQ200 steady / flashing,
 * EVPLUS light belt). Pure. Fault sequences per fault, brightness and
 * displays are added with the fault table work.
 */
#ifndef EVSED_INDICATION_H
#define EVSED_INDICATION_H

#include <stdbool.h>

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
	bool plugged;	 /* an EV / cable is connected */
	bool authorized; /* a session or a pending authorization exists */
	bool delayed;	 /* SuspendedEVSE by a delay or a schedule, not a fault */
	bool rejected;	 /* a card was just refused ("card not authorised") */
};

/* The LED pattern name for a scheme, e.g. "blue-pulsing". */
const char *indication_led(enum led_scheme scheme, const struct ind_in *in);

#endif
