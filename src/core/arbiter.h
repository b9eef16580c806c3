/* SPDX-License-Identifier: MIT */
/*
 * The limit arbiter (A6, design principle 4): the current offered to an EV is
 * the minimum of every limit that applies, and the arbiter names the limit
 * that set it. Below the IEC minimum of 6 A nothing is offered (the session
 * pauses, SuspendedEVSE) and the reason is the limit that forced it.
 * alloc_share() divides a shared per-phase limit among connectors (max-min
 * fair progressive filling), used for the charger's installer limit and,
 * later, for load management.
 */
#ifndef EVSED_ARBITER_H
#define EVSED_ARBITER_H

#include <stdbool.h>

enum limit_src {
	LIM_NONE,	  /* no session: nothing offered */
	LIM_HARDWARE,	  /* product rating / DIP switch (A7) */
	LIM_INSTALLER,	  /* installer current limit, shared by the connectors */
	LIM_CABLE,	  /* PP cable rating or tethered cable */
	LIM_SCHEDULE,	  /* OCPP composite schedule (C8) */
	LIM_LOAD_MGMT,	  /* load management offer (E) */
	LIM_GROUP,	  /* group balancing offer or fallback (E4-E6) */
	LIM_NO_CHARGE,	  /* default no-charging period (D1) */
	LIM_RANDOM_DELAY, /* randomised delay (D2) */
	LIM_COLD_LOAD,	  /* cold load pickup delay (A12) */
	LIM_HOURS,	  /* hours of operation (D3) */
	LIM_FAULT,	  /* an active fault forbids power */
	LIM_VENTILATION,  /* EV asked for ventilation (state D): refused */
	LIM_EV,		  /* the EV is not asking for power */
	LIM_DEAUTHORIZED, /* the CSMS invalidated the id tag (MaxEnergyOnInvalidId used) */
	LIM_COUNT
};

struct limit {
	enum limit_src src;
	double amps;
};

struct arb_result {
	double amps;	    /* offered current: 0, or >= 6 A */
	enum limit_src src; /* the limit that set it */
};

/* Name of a limit source as status shows it ("hardware", "installer", ...). */
const char *limit_src_name(enum limit_src src);

/* Minimum of n limits (first one wins a tie); below min_a offers 0 with the
 * reason of the limit that forced it. n == 0 gives {0, LIM_NONE}. */
struct arb_result arbiter_decide(const struct limit *limits, int n, double min_a);

/* Most participants alloc_share() handles; more are given nothing. */
#define ALLOC_MAX 1024

/* One participant in a shared limit. */
struct share_in {
	double cap;	 /* its own maximum (other limits), A */
	unsigned phases; /* bit mask of supply lines it loads: 1 = L1, 2 = L2, 4 = L3 */
	int priority;	 /* lower = served first when someone must be paused */
};

/* Share per-phase limit[3] among n participants, max-min fair. A participant
 * whose share would be below min_a gets 0 (paused), lowest priority first,
 * and its share goes to the others. out[i] receives each allocation. */
void alloc_share(const struct share_in *in, int n, const double limit[3], double min_a,
		 double *out);

#endif
