/* SPDX-License-Identifier: MIT */
/*
 * evsed_smart_bench: the composite schedule (smart_composite) of 10 charging
 * profiles of 32 periods each over 24 h, as GetCompositeSchedule computes it
 * (issue 5 target: median < 100 us). The profiles, in Europe/London: one
 * ChargePointMaxProfile, four TxDefaultProfiles for connector 0 (one of them
 * recurring daily, one weekly) and five for connector 1 lasting 20, 16, 12,
 * 8 and 4 h (the higher the stack level, the shorter), starts 7 minutes
 * apart, periods every 45 minutes with limits 6-25 A (a third in W), so that
 * the composite changes at most period starts. Connector 1
 * during a transaction, in A and in W. Median, p99 and max of 1,001 calls.
 * It measures smart.c only: no JSON, no engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/smart.h"

#define CALLS	1001
#define T_START 1780272000LL /* 2026-06-01T00:00:00Z */

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

static struct smart *profiles(void)
{
	struct smart *sm = smart_new();
	if (!sm)
		return NULL;
	for (int k = 0; k < 10; k++) {
		struct sc_profile p;
		memset(&p, 0, sizeof p);
		p.id = k + 1;
		p.stack_level = k;
		p.purpose = k == 0 ? SC_CP_MAX : SC_TX_DEFAULT;
		p.connector = k < 5 ? 0 : 1;
		p.kind = k == 2 || k == 3 ? SC_RECURRING : SC_ABSOLUTE;
		p.recurrency = k == 2 ? SC_DAILY : k == 3 ? SC_WEEKLY : SC_RECUR_NONE;
		p.has_start = true;
		p.start_schedule = T_START + k * 420;
		/* Connector 1's higher stack levels end first, uncovering the
		 * lower ones. */
		p.has_duration = k >= 5;
		p.duration = (10 - k) * 4 * 3600;
		p.valid_from = INT64_MIN;
		p.valid_to = INT64_MAX;
		p.unit = k % 3 == 0 ? SC_WATTS : SC_AMPS;
		p.n = 32;
		for (int i = 0; i < 32; i++) {
			double a = 6 + (i * 7 + k * 3) % 20;
			p.p[i] =
			    (struct sc_period){i * 2700, p.unit == SC_WATTS ? a * 230 * 3 : a, 0};
		}
		if (!smart_put(sm, &p)) {
			smart_free(sm);
			return NULL;
		}
	}
	return sm;
}

int main(int argc, char **argv)
{
	bool md = argc > 1 && strcmp(argv[1], "--markdown") == 0;
	struct smart *sm = profiles();
	struct sc_composite *c = malloc(sizeof *c);
	struct sc_site site = {230, 3, {0}};
	if (!sm || !c || !tz_parse("Europe/London", &site.tz, NULL, 0)) {
		fprintf(stderr, "evsed_smart_bench: setup failed\n");
		return 1;
	}
	struct sc_tx tx = {true, true, 1, T_START - 3600};
	static const enum sc_unit units[] = {SC_AMPS, SC_WATTS};
	if (md)
		printf(
		    "| composite schedule, 10 profiles x 32 periods, 24 h | median us | p99 us | "
		    "max us | periods |\n|---|---:|---:|---:|---:|\n");
	for (int u = 0; u < 2; u++) {
		static double t[CALLS];
		for (int r = 0; r < CALLS; r++) {
			double a = now_us();
			smart_composite(sm, &site, 1, &tx, T_START + r, 86400, units[u], 32, c);
			t[r] = now_us() - a;
		}
		qsort(t, CALLS, sizeof t[0], cmp);
		const char *unit = units[u] == SC_AMPS ? "in A" : "in W";
		if (md)
			printf("| %s | %.1f | %.1f | %.1f | %d |\n", unit, t[CALLS / 2],
			       t[CALLS * 99 / 100], t[CALLS - 1], c->n);
		else
			printf(
			    "composite %s: median %.1f us, p99 %.1f us, max %.1f us (%d periods)\n",
			    unit, t[CALLS / 2], t[CALLS * 99 / 100], t[CALLS - 1], c->n);
	}
	free(c);
	smart_free(sm);
	return 0;
}
