/* SPDX-License-Identifier: MIT */
/*
 * The fault table (design principle 3, F1, A11, C11): every fault the
 * charger knows, as data: scope (one connector or the charger), whether it
 * forbids power, its restart rule, OCPP errorCode and vendorErrorCode, the io7
 * LED colour sequence, whether the MQ200 shows it as recoverable (flashing
 * red) or not (steady red), and the EVPLUS display code. protect.c is the
 * engine over it; indication.c shows it.
 */
#ifndef EVSED_FAULT_H
#define EVSED_FAULT_H

#include <stdbool.h>

/* New faults go at the end: the order is also the order in which a
 * connector with several faults reports them. */
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
	FAULT_OVERTEMP_SOCKET,
	FAULT_OVERTEMP_AMBIENT,
	FAULT_RCD_DC,
	FAULT_OPEN_PEN,
	FAULT_RELAY_WELDED_N,
	FAULT_RESET,
	FAULT_UNDER_CURRENT,
	FAULT_BUMP,
	FAULT_COUNT
};

/* How a fault that forbids power lets go again (A11). */
enum restart_rule {
	RESTART_WHEN_CLEAR, /* power returns as soon as the input is normal again */
	RESTART_RECOVERY,   /* after recovery_s of normal input; at most max_restarts
			       times in a session, then locked out */
	RESTART_REGION_RCD, /* residual current: IEC: locked out until reset; UL 2231:
			       retry after retry_s, max_restarts times */
	RESTART_MANUAL,	    /* locked out until reset (evsectl fault reset, OCPP Reset) */
};

enum fault_severity { SEV_WARNING, SEV_ERROR, SEV_CRITICAL };

struct fault_def {
	const char *name;  /* evsectl fault NAME */
	bool charger_wide; /* stops every connector */
	bool blocks_power; /* opens the contactor at once */
	enum fault_severity severity;
	enum restart_rule restart;
	int recovery_s; /* RESTART_RECOVERY */
	int retry_s;	/* RESTART_REGION_RCD under UL 2231 */
	int max_restarts;
	const char *ocpp_error;	 /* ChargePointErrorCode */
	const char *vendor_code; /* vendorErrorCode */
	const char *io7_led;	 /* io7 troubleshooting colour sequence */
	const char *display;	 /* EVPLUS display code, "" if none */
	const char *text;	 /* human description */
};

const struct fault_def *fault_def(enum fault_id id);
bool fault_find(const char *name, enum fault_id *out);

#endif
