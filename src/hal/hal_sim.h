/* SPDX-License-Identifier: MIT */
/*
 * The simulated board ("hal = sim"): control pilot and proximity pilot, a
 * contactor, a socket lock, LEDs, a beeper, a DIP switch, an energy meter per
 * connector that integrates V x I over time, and an EV model per connector
 * (plug, CP state B/C, draws min(offer, its own maximum, cable) on
 * min(its phases, contactor phases), "full"). Driven by evsectl through the
 * control socket. Deterministic: time only passes through hal_advance().
 */
#ifndef EVSED_HAL_SIM_H
#define EVSED_HAL_SIM_H

#include "hal.h"

struct sim_config {
	int connectors;
	bool tethered;	  /* fixed cable: no PP, no lock */
	double voltage_v; /* phase voltage */
	double frequency_hz;
	double ev_max_a; /* default EV maximum current */
	int ev_phases;	 /* default EV phases */
	double cable_a;	 /* default socket cable rating (PP) */
	unsigned dip;	 /* SW1<<2 | SW2<<1 | SW3 */
	bool has_dip;
};

enum sim_ev_mode { SIM_EV_CHARGE, SIM_EV_PAUSE, SIM_EV_FULL };

/* The simulated board. energy_wh[i] (may be NULL) restores each connector's
 * meter register (Wh) after a restart. NULL on allocation failure. */
struct hal *hal_sim_new(const struct sim_config *cfg, const double *energy_wh, int64_t now_ms);

/* Plug an EV (with its maximum current, phases and, for sockets, the cable
 * rating; values <= 0 keep the defaults). Returns false if already plugged
 * or no such connector. */
bool hal_sim_plug(struct hal *h, int conn, double ev_max_a, int ev_phases, double cable_a);
bool hal_sim_unplug(struct hal *h, int conn);
/* Change what the EV on conn does; false if no EV is plugged there. */
bool hal_sim_ev(struct hal *h, int conn, enum sim_ev_mode mode);
/* Raise / clear a board fault input on conn (0 = charger). */
void hal_sim_fault(struct hal *h, int conn, enum fault_id f, bool on);

/* The accelerometer reads g and degrees of tilt. */
void hal_sim_motion(struct hal *h, double g, double degrees);

/* Inspection for status displays and tests. */
bool hal_sim_plugged(const struct hal *h, int conn);
const char *hal_sim_led(const struct hal *h, int conn);
/* The LED brightness (%) the board was last set to; -1 before the first. */
int hal_sim_led_brightness(const struct hal *h, int conn);
double hal_sim_energy(const struct hal *h, int conn);
int hal_sim_beeps(const struct hal *h);

#endif
