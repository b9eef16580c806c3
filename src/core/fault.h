/* SPDX-License-Identifier: MIT */
/*
 * The fault table (design principle 3, F1): every fault the charger knows,
 * with its scope, whether it forbids power, its OCPP errorCode and
 * vendorErrorCode, and the EVPLUS display code. Restart rules (A11) and the
 * per-scheme LED sequences (F2) are added by the protections work; this table
 * is where they go.
 */
#ifndef EVSED_FAULT_H
#define EVSED_FAULT_H

#include <stdbool.h>

enum fault_id {
	FAULT_OVERCURRENT,
	FAULT_OVERVOLTAGE,
	FAULT_UNDERVOLTAGE,
	FAULT_OVERTEMP,
	FAULT_RCD,
	FAULT_GROUND,
	FAULT_CP,
	FAULT_DIODE,
	FAULT_RELAY_WELDED,
	FAULT_LOCK,
	FAULT_FAN,
	FAULT_MISSING_PHASE,
	FAULT_PP,
	FAULT_METER_TIMEOUT,
	FAULT_READER,
	FAULT_STORAGE,
	FAULT_TILT,
	FAULT_COUNT
};

struct fault_def {
	const char *name;	 /* evsectl fault NAME */
	bool charger_wide;	 /* stops every connector */
	bool blocks_power;	 /* opens the contactor at once */
	const char *ocpp_error;	 /* ChargePointErrorCode */
	const char *vendor_code; /* vendorErrorCode */
	const char *display;	 /* EVPLUS display code, "" if none */
	const char *text;	 /* human description */
};

const struct fault_def *fault_def(enum fault_id id);
bool fault_find(const char *name, enum fault_id *out);

#endif
