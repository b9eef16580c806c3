/* SPDX-License-Identifier: MIT */
/*
 * Limit arbitration and max-min fair sharing of a per-phase limit. Pure.
 */
#include "arbiter.h"

#include <float.h>
#include <stdlib.h>

static const char *const names[LIM_COUNT] = {
    [LIM_NONE] = "none",
    [LIM_HARDWARE] = "hardware",
    [LIM_INSTALLER] = "installer",
    [LIM_CABLE] = "cable",
    [LIM_SCHEDULE] = "schedule",
    [LIM_LOAD_MGMT] = "load_management",
    [LIM_GROUP] = "group",
    [LIM_NO_CHARGE] = "no_charging_period",
    [LIM_RANDOM_DELAY] = "random_delay",
    [LIM_COLD_LOAD] = "cold_load_pickup",
    [LIM_HOURS] = "hours_of_operation",
    [LIM_FAULT] = "fault",
    [LIM_VENTILATION] = "ventilation",
    [LIM_EV] = "ev",
    [LIM_DEAUTHORIZED] = "deauthorized",
};

const char *limit_src_name(enum limit_src src)
{
	if ((unsigned)src >= LIM_COUNT)
		return "none";
	return names[src];
}

struct arb_result arbiter_decide(const struct limit *limits, int n, double min_a)
{
	struct arb_result r = {0.0, LIM_NONE};
	if (n <= 0)
		return r;
	r.amps = limits[0].amps;
	r.src = limits[0].src;
	for (int i = 1; i < n; i++) {
		if (limits[i].amps < r.amps) {
			r.amps = limits[i].amps;
			r.src = limits[i].src;
		}
	}
	if (!(r.amps >= min_a))
		r.amps = 0.0;
	return r;
}

#define EPS 1e-9

/* Progressive filling: raise every unfrozen participant's allocation
 * together until a cap or a phase limit stops it; freeze; repeat. */
static void fill(const struct share_in *in, int n, const double limit[3], const bool *active,
		 double *out)
{
	bool frozen[ALLOC_MAX];
	double room[3] = {limit[0], limit[1], limit[2]};
	for (int i = 0; i < n; i++) {
		out[i] = 0;
		frozen[i] = !active[i] || in[i].cap <= EPS || (in[i].phases & 7u) == 0;
	}
	for (;;) {
		int users[3] = {0, 0, 0};
		double step = DBL_MAX;
		bool any = false;
		for (int i = 0; i < n; i++) {
			if (frozen[i])
				continue;
			any = true;
			for (int p = 0; p < 3; p++)
				if (in[i].phases & (1u << p))
					users[p]++;
			if (in[i].cap - out[i] < step)
				step = in[i].cap - out[i];
		}
		if (!any)
			break;
		for (int p = 0; p < 3; p++)
			if (users[p] && room[p] / users[p] < step)
				step = room[p] / users[p];
		if (step < 0)
			step = 0;
		for (int i = 0; i < n; i++) {
			if (frozen[i])
				continue;
			out[i] += step;
		}
		for (int p = 0; p < 3; p++)
			room[p] -= step * users[p];
		for (int i = 0; i < n; i++) {
			if (frozen[i])
				continue;
			bool stop = out[i] >= in[i].cap - EPS;
			for (int p = 0; p < 3; p++)
				if ((in[i].phases & (1u << p)) && room[p] <= EPS)
					stop = true;
			if (stop)
				frozen[i] = true;
		}
	}
}

void alloc_share(const struct share_in *in, int n, const double limit[3], double min_a, double *out)
{
	if (n <= 0)
		return;
	for (int i = ALLOC_MAX; i < n; i++)
		out[i] = 0;
	if (n > ALLOC_MAX)
		n = ALLOC_MAX;
	bool active[ALLOC_MAX];
	for (int i = 0; i < n; i++) {
		/* Whoever cannot reach min_a even alone (its cap or one of its
		 * phase limits is below it) is paused from the start, so that
		 * nobody is paused to make room it could never use. */
		active[i] = in[i].cap >= min_a - EPS;
		for (int p = 0; p < 3; p++)
			if ((in[i].phases & (1u << p)) && limit[p] < min_a - EPS)
				active[i] = false;
	}
	for (;;) {
		fill(in, n, limit, active, out);
		/* Pause the lowest-priority participant below the minimum. */
		int worst = -1;
		for (int i = 0; i < n; i++) {
			if (!active[i] || out[i] >= min_a - EPS)
				continue;
			if (worst < 0 || in[i].priority > in[worst].priority)
				worst = i;
		}
		if (worst < 0)
			break;
		active[worst] = false;
	}
	for (int i = 0; i < n; i++)
		if (!active[i])
			out[i] = 0;
}
