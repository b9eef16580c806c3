/* SPDX-License-Identifier: MIT */
/*
 * IEC 61851-1 signalling: control pilot states, the PWM duty cycle that
 * advertises a current (Annex A), and the proximity pilot cable rating.
 * Pure arithmetic and names; it knows nothing about connectors or sessions.
 */
#ifndef EVSED_IEC61851_H
#define EVSED_IEC61851_H

#include <stdbool.h>

/* Control pilot voltage bands as the board classifies them. */
enum iec_cp {
	IEC_CP_A,	/* +12 V: no EV */
	IEC_CP_B,	/* +9 V: EV connected, not ready */
	IEC_CP_C,	/* +6 V: EV ready, charging */
	IEC_CP_D,	/* +3 V: EV ready, ventilation required */
	IEC_CP_E,	/* 0 V: pilot shorted / EVSE not powered */
	IEC_CP_F,	/* -12 V: EVSE not available */
	IEC_CP_INVALID, /* a level in no band: a CP error */
};

/* Duty cycle in permille. 1000 = constant +12 V (x1 states: no PWM),
 * 0 = constant -12 V (state F), 50 = digital communication (5 %). */
#define IEC_DUTY_OFF	 1000
#define IEC_DUTY_F	 0
#define IEC_DUTY_DIGITAL 50

#define IEC_MIN_CURRENT_A 6.0
#define IEC_MAX_CURRENT_A 80.0

/* Name of a CP level: "A".."F", "invalid". */
const char *iec_cp_name(enum iec_cp cp);

/* Parse a CP level name ("A".."F"); returns false if unknown. */
bool iec_cp_parse(const char *s, enum iec_cp *out);

/* Pilot state with its PWM suffix as status shows it: "A", "B1", "B2", "C1",
 * "C2", "D1", "D2", "E", "F", "invalid". pwm_on: the EVSE is oscillating. */
const char *iec_cp_state_name(enum iec_cp cp, bool pwm_on);

/* Duty (permille, rounded down: the EV never reads more than current_a)
 * that advertises current_a amps
 * (Annex A: 6..51 A: duty = I / 0.6 %; 51..80 A: duty = I / 2.5 + 64 %).
 * Currents below 6 A return IEC_DUTY_OFF (no current available); above 80 A
 * they are clamped to 80 A. */
int iec_duty_from_current(double current_a);

/* Current an EV reads from a duty (permille), the inverse of the above.
 * Returns 0 for duties that allow no charging (< 8 %, > 97 %, 5 %). */
double iec_current_from_duty(int duty_permille);

/* Cable current rating from the PP resistance in ohms (A4): 1.5 kOhm 13 A,
 * 680 Ohm 20 A, 220 Ohm 32 A, 100 Ohm 63 A, with the IEC 61851-1 tolerance
 * bands. Returns 0 for no cable (open) or a value in no band. */
double iec_pp_rating(double ohms);

/* PP resistance (nominal) for a cable rating in amps; 0 if not a rating. */
double iec_pp_ohms(double rating_a);

#endif
