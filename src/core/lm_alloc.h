/* SPDX-License-Identifier: MIT */
/*
 * Group load allocation (E4, E5, E6): how a master shares a group limit
 * among the chargers of a group. Pure: a table of members in, offers out.
 *  - uniform (MQ200 "Uniform Distribution"): every EV that wants power gets
 *    the same share of its own maximum (so a 16 A station gets half what a
 *    32 A station gets), which reproduces the MQ200 manual's examples 1-3;
 *  - fifs (MQ200 "First In First Serve"): EVs in arrival order take what
 *    they can, examples A-B;
 * both per supply phase (single-phase members on L1, L2 or L3, three-phase
 * members on all), after reserving current for members that are offline
 * (MQ200 Group Size with Fallback Current; io7 offline strategies), and
 * never offering less than the IEC minimum: a member that cannot get it gets
 * nothing; who waits then rotates (lm_turns). Not here: the group protocol,
 * the site meter, the election.
 */
#ifndef EVSED_LM_ALLOC_H
#define EVSED_LM_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

enum lm_policy { LM_UNIFORM, LM_FIFS };

/* io7 offline charger strategies (installation guide 6.1.11). */
enum lm_offline {
	LM_OFF_ZERO_ALL,	/* one member offline: everybody 0 A */
	LM_OFF_MIN_ALL,		/* one member offline: everybody at most the minimum */
	LM_OFF_OFFLINE_ALL,	/* one member offline: everybody at most offline_reserved */
	LM_OFF_OFFLINE_OFFLINE, /* each offline member is assumed to draw offline_reserved */
};

struct lm_member {
	double max_a;	 /* its own maximum current (rating, limits) */
	unsigned phases; /* supply lines it loads: 1 = L1, 2 = L2, 4 = L3 */
	bool online;	 /* heard from recently */
	bool wants;	 /* an EV asks for power */
	int64_t arrival; /* when its EV started asking (fifs order) */
	int64_t turn;	 /* who goes first below the minimum (lm_turns); equal = arrival order */
};

struct lm_group {
	enum lm_policy policy;
	enum lm_offline offline;
	double limit_a[3];	 /* group limit per phase (after the site meter in dynamic mode) */
	double offline_reserved; /* A per offline member (MQ200 fallback current) */
	int expected_members;	 /* MQ200 Group Size; 0 = the members given */
	double min_a;		 /* the IEC minimum, 6 A */
};

#define LM_MAX_MEMBERS 1024

/* Offers for n members into offer[] (0 for members that are offline or do
 * not want power). Returns false (all offers 0) for a bad table. */
bool lm_allocate(const struct lm_group *g, const struct lm_member *m, int n, double *offer);

/* Rotating who waits. When the limit cannot give every EV the minimum, the
 * members served keep their place for rotate_ms; after that they queue
 * behind the members that began waiting before their time was up, so every
 * EV gets a turn and no contactor flaps faster than rotate_ms. The caller
 * (the master) keeps one lm_turn per member between allocations:
 *   lm_turns(t, n, now, rotate_ms, m);   sets m[i].turn
 *   lm_allocate(g, m, n, offer);
 *   lm_turns_update(t, m, offer, n, now);
 * A member that asks and is not served waits since its arrival (so of two
 * EVs waiting, the one plugged in first goes first).
 * rotate_ms <= 0: no rotation (arrival order, the EVs that asked last wait).
 * Times are milliseconds of one monotonic clock, below 2^61. */
#define LM_TURN_IDLE INT64_MIN
struct lm_turn {
	int64_t since; /* when it began to be served or to wait; LM_TURN_IDLE: not asking */
	bool served;
};
void lm_turns_init(struct lm_turn *t, int n);
void lm_turns(const struct lm_turn *t, int n, int64_t now, int64_t rotate_ms, struct lm_member *m);
void lm_turns_update(struct lm_turn *t, const struct lm_member *m, const double *offer, int n,
		     int64_t now);

/* Dynamic balancing (io7 "charger balanced against the site"): the limit
 * left for the group = limit - other loads measured; a negative reading
 * (export) never raises it, and it is never below 0. */
double lm_dynamic_limit(double group_limit_a, double site_reading_a);

#endif
