/* SPDX-License-Identifier: MIT */
/*
 * The board interface as the core sees it (design principle 6): the commands
 * the core gives to the hardware. Events travel the other way as calls into
 * the charger (charger_on_cp, charger_on_pp, ...). Backends (hal/) implement
 * these callbacks; unit tests record them.
 */
#ifndef EVSED_BOARD_H
#define EVSED_BOARD_H

#include <stdbool.h>

enum beep_kind {
	BEEP_ACCEPT, /* one short beep: card accepted */
	BEEP_REJECT, /* two beeps 0.5 s apart: card not accepted */
};

/* Energy meter reading of one connector. */
struct meter_reading {
	double energy_wh;    /* active import register, monotonic */
	double power_w;	     /* active import power */
	double current_a[3]; /* per phase L1..L3 */
	double voltage_v[3]; /* per phase, to neutral */
	double frequency_hz;
	double temperature_c;
	double output_v; /* voltage after the contactor: 0 when it is open */
};

struct board_ops {
	void *user;
	/* PWM duty in permille; IEC_DUTY_OFF = steady +12 V, IEC_DUTY_F = -12 V. */
	void (*pwm)(void *user, int conn, int duty_permille);
	/* Close (phases 1 or 3) or open the contactor of a connector. */
	void (*contactor)(void *user, int conn, bool closed, int phases);
	/* Lock or unlock the socket's cable (socket connectors only). */
	void (*lock)(void *user, int conn, bool locked);
	/* Show an indication pattern (e.g. "blue-pulsing") on a connector. */
	void (*led)(void *user, int conn, const char *pattern);
	void (*beep)(void *user, enum beep_kind kind);
	/* LED brightness of a connector in % (LightIntensity, dimmed after
	 * led.dim_after); NULL if the board has no dimming. */
	void (*led_brightness)(void *user, int conn, int percent);
};

#endif
