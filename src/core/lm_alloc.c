/* SPDX-License-Identifier: MIT */
/*
 * Group allocation: reserve for offline members, then share what is left
 * per phase by the policy, pausing (0 A) whoever cannot reach the minimum.
 */
#include "lm_alloc.h"

#include <stdlib.h>
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

/* Members by turn, then in the order their EVs asked (ties: table order). */
struct arrival_key {
	int64_t turn;
	int64_t arrival;
	int index;
};

static int by_arrival(const void *a, const void *b)
{
	const struct arrival_key *x = a, *y = b;
	if (x->turn != y->turn)
		return x->turn < y->turn ? -1 : 1;
	if (x->arrival != y->arrival)
		return x->arrival < y->arrival ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/* First in, first served: in arrival order, as much as the phases allow. */
static void fifs(const struct lm_member *m, const int *order, int k, const double room_in[3],
		 double cap, double min_a, double *offer)
{
	double room[3] = {room_in[0], room_in[1], room_in[2]};
	for (int o = 0; o < k; o++) {
		int i = order[o];
		double a = m[i].max_a < cap ? m[i].max_a : cap;
		for (int p = 0; p < 3; p++)
			if ((m[i].phases & (1u << p)) && room[p] < a)
				a = room[p];
		if (a < min_a - EPS)
			continue;
		offer[i] = a;
		for (int p = 0; p < 3; p++)
			if (m[i].phases & (1u << p))
				room[p] -= a;
	}
}

/* Uniform: which EVs can be served. A member's share is its maximum times
 * the smallest room / demand of its phases, so every share reaches the
 * minimum exactly when, on each phase, the smallest maximum there times that
 * phase's room / demand does. Adding a member only lowers the fractions of
 * its own phases, so the test of each candidate, in turn order, looks at its
 * phases only: the EVs whose turn comes first are served while every share
 * reaches the minimum, and a later one still is if its phases have room. */
static void uniform_admit(const struct lm_member *m, const int *order, int k, const double room[3],
			  double cap, double min_a, bool *in)
{
	double sum[3] = {0, 0, 0}, least[3] = {1e300, 1e300, 1e300};
	for (int o = 0; o < k; o++) {
		int i = order[o];
		double want = m[i].max_a < cap ? m[i].max_a : cap;
		bool fits = true;
		for (int p = 0; p < 3 && fits; p++) {
			if (!(m[i].phases & (1u << p)))
				continue;
			double s = sum[p] + want, l = least[p] < want ? least[p] : want;
			double f = room[p] / s < 1.0 ? room[p] / s : 1.0;
			fits = l * f >= min_a - EPS;
		}
		if (!fits)
			continue;
		in[i] = true;
		for (int p = 0; p < 3; p++)
			if (m[i].phases & (1u << p)) {
				sum[p] += want;
				if (want < least[p])
					least[p] = want;
			}
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
	/* Those that may get power, in the order their EVs asked. */
	struct arrival_key keys[LM_MAX_MEMBERS];
	int order[LM_MAX_MEMBERS] = {0};
	int k = 0;
	for (int i = 0; i < n; i++)
		if (m[i].online && m[i].wants && m[i].max_a >= g->min_a - EPS)
			keys[k++] = (struct arrival_key){m[i].turn, m[i].arrival, i};
	qsort(keys, (size_t)k, sizeof keys[0], by_arrival);
	for (int i = 0; i < k; i++)
		order[i] = keys[i].index;
	if (cap < g->min_a - EPS)
		return true; /* nobody can be offered the minimum */
	if (g->policy == LM_FIFS) {
		fifs(m, order, k, room, cap, g->min_a, offer);
		return true;
	}
	/* Uniform: if the shares would leave someone below the minimum, the
	 * EVs whose turn comes last wait (0 A). */
	bool in[LM_MAX_MEMBERS] = {false};
	uniform_admit(m, order, k, room, cap, g->min_a, in);
	uniform(m, n, in, room, cap, offer);
	return true;
}

void lm_turns_init(struct lm_turn *t, int n)
{
	for (int i = 0; i < n; i++)
		t[i] = (struct lm_turn){LM_TURN_IDLE, false};
}

/* When a member began to ask: its EV's arrival, never later than now. */
static int64_t arrived(const struct lm_member *m, int64_t now)
{
	return m->arrival > 0 && m->arrival < now ? m->arrival : now;
}

void lm_turns(const struct lm_turn *t, int n, int64_t now, int64_t rotate_ms, struct lm_member *m)
{
	/* Keys are twice a time, plus one for a member whose time is up, so
	 * that one waiting since the same instant goes first. */
	for (int i = 0; i < n; i++) {
		if (rotate_ms <= 0 || !m[i].wants || !m[i].online)
			m[i].turn = 0;
		else if (t[i].since == LM_TURN_IDLE) /* just asked: it waits since it arrived */
			m[i].turn = 2 * arrived(&m[i], now);
		else if (!t[i].served)
			m[i].turn = 2 * t[i].since; /* waiting: the longest wait first */
		else if (now - t[i].since < rotate_ms)
			m[i].turn = INT64_MIN; /* served, its time not up: keeps its place */
		else /* its time is up: behind whoever waits since before then */
			m[i].turn = 2 * (t[i].since + rotate_ms) + 1;
	}
}

void lm_turns_update(struct lm_turn *t, const struct lm_member *m, const double *offer, int n,
		     int64_t now)
{
	for (int i = 0; i < n; i++) {
		if (!m[i].wants || !m[i].online) {
			t[i] = (struct lm_turn){LM_TURN_IDLE, false};
			continue;
		}
		bool served = offer[i] > 0;
		if (t[i].since == LM_TURN_IDLE && !served)
			t[i] = (struct lm_turn){arrived(&m[i], now),
						false}; /* waits since it arrived */
		else if (t[i].since == LM_TURN_IDLE || served != t[i].served)
			t[i] = (struct lm_turn){now, served};
	}
}
