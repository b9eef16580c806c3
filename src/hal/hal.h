/* SPDX-License-Identifier: MIT */
/*
 * Hardware abstraction (design principle 6). A backend is a struct of
 * function pointers chosen at run time: it executes the core's board
 * commands (struct board_ops) and queues board events that the shell drains
 * with hal_poll() and hands to the core, so that the core is never re-entered
 * from inside a command. Backends: "sim" (hal_sim.h); real boards later.
 */
#ifndef EVSED_HAL_H
#define EVSED_HAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/board.h"
#include "../core/fault.h"
#include "../core/iec61851.h"

enum hal_ev_type { HE_CP, HE_PP, HE_LOCK, HE_METER, HE_DIP, HE_FAULT, HE_MOTION };

struct hal_event {
	enum hal_ev_type type;
	int conn; /* 1-based; 0 = the charger */
	union {
		enum iec_cp cp;
		double pp_a;
		bool locked;
		struct meter_reading meter;
		unsigned dip;
		struct {
			enum fault_id id;
			bool on;
		} fault;
		struct {
			double g, degrees;
		} motion;
	} u;
};

struct hal;

struct hal_vtbl {
	const char *name;
	/* Let time pass to now_ms (monotonic): physics, meters. */
	void (*advance)(struct hal *h, int64_t now_ms);
	/* Take up to max queued events; returns how many. */
	int (*poll)(struct hal *h, struct hal_event *out, int max);
	void (*free)(struct hal *h);
};

struct hal {
	const struct hal_vtbl *vt;
	struct board_ops board; /* the commands, with board.user == this hal */
};

static inline void hal_advance(struct hal *h, int64_t now_ms)
{
	h->vt->advance(h, now_ms);
}

static inline int hal_poll(struct hal *h, struct hal_event *out, int max)
{
	return h->vt->poll(h, out, max);
}

static inline void hal_free(struct hal *h)
{
	if (h)
		h->vt->free(h);
}

#endif
