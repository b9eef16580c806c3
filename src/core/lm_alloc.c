/* SPDX-License-Identifier: MIT */
/*
 * Group allocation: reserve for offline members, then share what is left
 * per phase by the policy, pausing (0 A) whoever cannot reach the minimum.
 */
#include "lm_alloc.h"

#include <string.h>

#define EPS 1e-9

double lm_dynamic_limit(double group_limit_a, double site_reading_a)
{
	double left = group_limit_a - (site_reading_a > 0 ? site_reading_a : 0);
	return left > 0 ? left : 0;
}

static int offline_count(const struct lm_group *g, const struct lm_member *m, int n)
{
	int off = 0;
	for (int i = 0; i < n; i++)
		if (!m[i].online)
			off++;
	/* Members expected but never seen are offline too (MQ200 Group Size). */
	if (g->expected_members > n)
		off += g->expected_members - n;
	return off;
}

/* The limit per phase once offline members are accounted for, and the cap
 * every online member gets under the io7 strategies. */
static void available(const struct lm_group *g, int off, double room[3], double *cap)
{
	*cap = 1e9;
	for (int p = 0; p < 3; p++)
		room[p] = g->limit_a[p];
	if (off == 0)
		return;
	switch (g->offline) {
	case LM_OFF_ZERO_ALL:
		*cap = 0;
		break;
	case LM_OFF_MIN_ALL:
		*cap = g->min_a;
		break;
	case LM_OFF_OFFLINE_ALL:
		*cap = g->offline_reserved;
		break;
	case LM_OFF_OFFLINE_OFFLINE:
		/* An offline member's phases are unknown: reserve on every one. */
		for (int p = 0; p < 3; p++)
			room[p] -= off * g->offline_reserved;
		break;
	}
	for (int p = 0; p < 3; p++)
		if (room[p] < 0)
			room[p] = 0;
}

/* Uniform: one fraction of its maximum for everybody, the largest the
 * phases allow (a member on several phases takes the smallest). */
static void uniform(const struct lm_member *m, int n, const bool *in, const double room[3],
		    double cap, double *offer)
{
	double sum[3] = {0, 0, 0};
	for (int i = 0; i < n; i++)
		for (int p = 0; p < 3; p++)
			if (in[i] && (m[i].phases & (1u << p)))
				sum[p] += m[i].max_a < cap ? m[i].max_a : cap;
	for (int i = 0; i < n; i++) {
		offer[i] = 0;
		if (!in[i])
			continue;
		double want = m[i].max_a < cap ? m[i].max_a : cap;
		double f = 1.0;
		for (int p = 0; p < 3; p++)
			if ((m[i].phases & (1u << p)) && sum[p] > EPS && room[p] / sum[p] < f)
				f = room[p] / sum[p];
		offer[i] = want * f;
	}
}

/* First in, first served: in arrival order, as much as the phases allow. */
static void fifs(const struct lm_member *m, int n, const bool *in, const double room_in[3],
		 double cap, double min_a, double *offer)
{
	double room[3] = {room_in[0], room_in[1], room_in[2]};
	bool done[LM_MAX_MEMBERS];
	memset(done, 0, sizeof done);
	for (int i = 0; i < n; i++)
		offer[i] = 0;
	for (;;) {
		int next = -1;
		for (int i = 0; i < n; i++)
			if (in[i] && !done[i] && (next < 0 || m[i].arrival < m[next].arrival))
				next = i;
		if (next < 0)
			break;
		done[next] = true;
		double a = m[next].max_a < cap ? m[next].max_a : cap;
		for (int p = 0; p < 3; p++)
			if ((m[next].phases & (1u << p)) && room[p] < a)
				a = room[p];
		if (a < min_a - EPS)
			continue;
		offer[next] = a;
		for (int p = 0; p < 3; p++)
			if (m[next].phases & (1u << p))
				room[p] -= a;
	}
}

bool lm_allocate(const struct lm_group *g, const struct lm_member *m, int n, double *offer)
{
	if (n < 0 || n > LM_MAX_MEMBERS)
		return false;
	for (int i = 0; i < n; i++)
		offer[i] = 0;
	for (int i = 0; i < n; i++)
		if (!(m[i].max_a >= 0) || (m[i].phases & 7u) == 0)
			return false;
	double room[3], cap;
	available(g, offline_count(g, m, n), room, &cap);
	bool in[LM_MAX_MEMBERS];
	for (int i = 0; i < n; i++)
		in[i] = m[i].online && m[i].wants && m[i].max_a >= g->min_a - EPS;
	if (cap < g->min_a - EPS)
		return true; /* nobody can be offered the minimum */
	if (g->policy == LM_FIFS) {
		fifs(m, n, in, room, cap, g->min_a, offer);
		return true;
	}
	/* Uniform: while someone's share is below the minimum, the last to
	 * arrive waits (0 A) and the others share again. */
	for (;;) {
		uniform(m, n, in, room, cap, offer);
		int drop = -1;
		for (int i = 0; i < n; i++)
			if (in[i] && offer[i] < g->min_a - EPS &&
			    (drop < 0 || m[i].arrival > m[drop].arrival))
				drop = i;
		if (drop < 0)
			break;
		in[drop] = false;
	}
	for (int i = 0; i < n; i++)
		if (!in[i])
			offer[i] = 0;
	return true;
}
