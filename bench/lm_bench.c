/* SPDX-License-Identifier: MIT */
/*
 * Group load allocation (lm_allocate) for 1,000 members: the time per call,
 * median and max of 101 calls, for both policies, with a group limit that
 * serves everybody and one so tight that most EVs wait. Design target: load
 * allocation for 1,000 connectors < 1 ms. Members are random (seeded):
 * 16-32 A, one phase in four three-phase, 2 % offline. Then the issue's
 * case: 1,000 connectors in 100 groups of 10 (each group its own master's
 * allocation, with the rotation turns): the time for all 100.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lm_alloc.h"

#define N    1000
#define RUNS 101

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static uint32_t rng = 2026;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

int main(int argc, char **argv)
{
	bool md = argc > 1 && strcmp(argv[1], "--markdown") == 0;
	static struct lm_member m[N];
	static double offer[N];
	for (int i = 0; i < N; i++) {
		m[i].max_a = 16 + next() % 17;
		m[i].phases = next() % 4 == 0 ? 7u : 1u << (next() % 3);
		m[i].online = next() % 50 != 0;
		m[i].wants = true;
		m[i].arrival = next();
	}
	if (md) {
		printf("| allocation of 1,000 members | median us | max us |\n|---|---:|---:|\n");
	}
	for (int pol = 0; pol < 2; pol++) {
		for (int tight = 0; tight < 2; tight++) {
			struct lm_group g;
			memset(&g, 0, sizeof g);
			g.policy = pol ? LM_FIFS : LM_UNIFORM;
			g.offline = LM_OFF_OFFLINE_OFFLINE;
			g.offline_reserved = 10;
			g.min_a = 6;
			double lim = tight ? 3000 : 20000;
			g.limit_a[0] = g.limit_a[1] = g.limit_a[2] = lim;
			double t[RUNS];
			for (int r = 0; r < RUNS; r++) {
				double a = now_us();
				if (!lm_allocate(&g, m, N, offer))
					return 1;
				t[r] = now_us() - a;
			}
			qsort(t, RUNS, sizeof t[0], cmp);
			const char *name = pol ? "first in first served" : "uniform";
			const char *how = tight ? "most EVs wait" : "everybody served";
			if (md)
				printf("| %s, %s | %.0f | %.0f |\n", name, how, t[RUNS / 2],
				       t[RUNS - 1]);
			else
				printf("%s, %s: median %.0f us, max %.0f us\n", name, how,
				       t[RUNS / 2], t[RUNS - 1]);
		}
	}
	/* 100 groups of 10: each allocation with its turns, as a master runs it. */
	static struct lm_turn turns[N];
	lm_turns_init(turns, N);
	for (int tight = 0; tight < 2; tight++) {
		struct lm_group g;
		memset(&g, 0, sizeof g);
		g.offline = LM_OFF_OFFLINE_OFFLINE;
		g.offline_reserved = 10;
		g.min_a = 6;
		double lim = tight ? 40 : 200;
		g.limit_a[0] = g.limit_a[1] = g.limit_a[2] = lim;
		double t[RUNS];
		for (int r = 0; r < RUNS; r++) {
			double a = now_us();
			for (int k = 0; k < N / 10; k++) {
				lm_turns(turns + 10 * k, 10, r * 1000, 600000, m + 10 * k);
				if (!lm_allocate(&g, m + 10 * k, 10, offer + 10 * k))
					return 1;
				lm_turns_update(turns + 10 * k, m + 10 * k, offer + 10 * k, 10,
						r * 1000);
			}
			t[r] = now_us() - a;
		}
		qsort(t, RUNS, sizeof t[0], cmp);
		const char *how = tight ? "100 groups of 10, most EVs wait"
					: "100 groups of 10, everybody served";
		if (md)
			printf("| uniform, %s | %.0f | %.0f |\n", how, t[RUNS / 2], t[RUNS - 1]);
		else
			printf("uniform, %s: median %.0f us, max %.0f us\n", how, t[RUNS / 2],
			       t[RUNS - 1]);
	}
	return 0;
}
