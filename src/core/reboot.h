/* SPDX-License-Identifier: MIT */
/*
 * Periodic reboot (G6, MQ200 Station Settings "Reboot Period"): when the
 * next planned restart is due, and whether it must wait for the connectors
 * to be idle. Pure: the period (minutes, 0 = never) and whether a
 * transaction runs are passed in with the time; it does not restart
 * anything itself (the shell does, through the same path as a Reset).
 */
#ifndef EVSED_REBOOT_H
#define EVSED_REBOOT_H

#include <stdbool.h>
#include <stdint.h>

struct reboot_timer {
	int64_t period_min; /* the period the count was started with */
	int64_t due;	    /* monotonic ms of the next reboot; INT64_MAX = never */
	bool waiting;	    /* due, but a transaction runs: waits for idle */
};

enum reboot_decision {
	REBOOT_NOT_YET, /* not due (or never) */
	REBOOT_WAIT,	/* due, a transaction runs: not now, ask again when idle */
	REBOOT_NOW,	/* due and idle: restart */
};

/* Start counting at now (the process's start). period_min 0 = never. */
void reboot_init(struct reboot_timer *t, int64_t now, int64_t period_min);

/* Decide at now with the period in force and whether any connector has a
 * transaction. A period different from the one counted with (a setting
 * changed at run time) starts the count again from now: the new period is
 * whole, never already over. After REBOOT_NOW the timer stays due; the
 * caller restarts (or calls reboot_init again). */
enum reboot_decision reboot_poll(struct reboot_timer *t, int64_t now, int64_t period_min,
				 bool busy);

/* The next time reboot_poll has something to decide: the due time, or
 * INT64_MAX when it never is or already waits for the connectors (then an
 * end of session, not time, moves it on). */
int64_t reboot_next_deadline(const struct reboot_timer *t);

/* The monotonic ms of the planned reboot (INT64_MAX = none); while it
 * waits for idle, the time it became due. */
int64_t reboot_due(const struct reboot_timer *t);

/* Due and waiting for the connectors to be idle. */
bool reboot_waiting(const struct reboot_timer *t);

#endif
