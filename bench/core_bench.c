/* SPDX-License-Identifier: MIT */
/*
 * evsed_core_bench: latencies inside the core library, the figures of
 * design.md "Performance targets" that the daemon bench cannot see. It
 * drives the real charger (profile io7) with a board whose callbacks only
 * record, and times with clock_gettime(CLOCK_MONOTONIC):
 *   - fault event in -> contactor-open command out: from just before
 *     charger_on_fault(overcurrent on) to the board's contactor(open)
 *     callback, connector 1 charging, REPS times (re-armed between them:
 *     fault off, 30 s of recovery, the EV draws again; a new session every
 *     3 trips so that over-current never locks out); the same for a residual
 *     current trip (re-armed by a fault reset);
 *   - alloc_share() for 1,000 participants (3-phase and single-phase, random
 *     caps, seeded) under a limit that covers half the demand and under one
 *     where most participants must be paused.
 * It prints the median, p99 and max of each in microseconds (--markdown: as
 * the table rows of bench/README.md).
 *
 * It measures the core only: no daemon, no board I/O, no logging to a file
 * (the core's trace messages are formatted, as in the daemon, and dropped);
 * it does not judge the figures against the targets.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/charger.h"

#define DEFAULT_REPS   100000
#define MAX_REPS       10000000
#define ALLOC_N	       1000
#define ALLOC_CALLS    1000
#define ALLOC_BUDGET_S 20.0 /* stop an allocation figure after this long */
#define ALLOC_MIN      20   /* but time at least this many calls */
#define SEED	       0x2545f4914f6cdd1dULL

/* ---- a board that records --------------------------------------------------- */

struct board_rec {
	bool contactor[PROFILE_MAX_CONNECTORS + 1];
	bool lock[PROFILE_MAX_CONNECTORS + 1];
	bool lock_acked[PROFILE_MAX_CONNECTORS + 1];
	bool opened; /* a contactor(open) came since it was cleared */
	struct timespec opened_at;
	int64_t sessions;
	char last_log[256];
};

static void b_pwm(void *u, int c, int duty)
{
	(void)u;
	(void)c;
	(void)duty;
}

static void b_contactor(void *u, int c, bool closed, int phases)
{
	struct board_rec *r = u;
	(void)phases;
	if (!closed && !r->opened) {
		clock_gettime(CLOCK_MONOTONIC, &r->opened_at);
		r->opened = true;
	}
	r->contactor[c] = closed;
}

static void b_lock(void *u, int c, bool locked)
{
	struct board_rec *r = u;
	r->lock[c] = locked;
	r->lock_acked[c] = false;
}

static void b_led(void *u, int c, const char *p)
{
	(void)u;
	(void)c;
	(void)p;
}

static void b_beep(void *u, enum beep_kind k)
{
	(void)u;
	(void)k;
}

static int64_t e_start(void *u, const struct chg_session *s)
{
	(void)s;
	return ++((struct board_rec *)u)->sessions;
}

static void e_log(void *u, const char *msg)
{
	struct board_rec *r = u;
	snprintf(r->last_log, sizeof r->last_log, "%s", msg);
}

struct core {
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct board_rec r;
	int64_t now;
};

/* The board answers lock commands after the call, as the real one does. */
static void pump(struct core *k)
{
	for (int c = 1; c <= PROFILE_MAX_CONNECTORS; c++) {
		if (k->r.lock[c] && !k->r.lock_acked[c]) {
			k->r.lock_acked[c] = true;
			charger_on_lock(k->ch, k->now, c, true);
		}
	}
}

static void advance(struct core *k, int64_t ms)
{
	k->now += ms;
	charger_tick(k->ch, k->now);
	pump(k);
}

/* A new session on connector 1: unplug (if plugged), plug, card, draw. */
static bool new_session(struct core *k)
{
	int conn;
	charger_on_cp(k->ch, k->now, 1, IEC_CP_A);
	charger_on_pp(k->ch, k->now, 1, 32);
	charger_on_cp(k->ch, k->now, 1, IEC_CP_B);
	if (charger_on_rfid(k->ch, k->now, "CARD1", &conn) != SWIPE_STARTED || conn != 1)
		return false;
	pump(k);
	charger_on_cp(k->ch, k->now, 1, IEC_CP_C);
	pump(k);
	return k->r.contactor[1];
}

static struct core *core_new(void)
{
	struct core *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->s = settings_new(PROFILE_IO7);
	k->cards = auth_list_new(10);
	if (!k->s || !k->cards || auth_list_add(k->cards, "CARD1") != AUTH_OK)
		goto fail;
	k->board = (struct board_ops){&k->r, b_pwm, b_contactor, b_lock, b_led, b_beep};
	k->ev = (struct chg_events){.user = &k->r, .session_start = e_start, .log = e_log};
	k->ch = charger_new(k->s, k->cards, &k->board, &k->ev);
	if (!k->ch)
		goto fail;
	charger_set_clock(k->ch, 0, 1767225600000LL);
	k->now = 1000;
	charger_start(k->ch, k->now);
	if (!new_session(k))
		goto fail;
	return k;
fail:
	charger_free(k->ch);
	auth_list_free(k->cards);
	settings_free(k->s);
	free(k);
	return NULL;
}

static void core_free(struct core *k)
{
	if (!k)
		return;
	charger_free(k->ch);
	auth_list_free(k->cards);
	settings_free(k->s);
	free(k);
}

/* ---- timing and statistics -------------------------------------------------- */

static double us_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 + (double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct stats {
	double median, p99, max;
	int n;
};

/* Sorts v. */
static struct stats stats_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	struct stats s = {0, 0, 0, n};
	if (n == 0)
		return s;
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	int i99 = (int)((double)n * 0.99);
	s.p99 = v[i99 < n ? i99 : n - 1];
	s.max = v[n - 1];
	return s;
}

/* ---- fault in -> contactor open ------------------------------------------- */

enum trip_kind { TRIP_OVERCURRENT, TRIP_RCD };

/* Time reps trips of kind on connector 1; v[i] receives each latency (us).
 * Returns false (with a message) if the charger did not behave. */
static bool time_trips(struct core *k, enum trip_kind kind, double *v, int reps)
{
	enum fault_id f = kind == TRIP_OVERCURRENT ? FAULT_OVERCURRENT : FAULT_RCD;
	int max_restarts = fault_def(f)->max_restarts;
	for (int i = 0; i < reps; i++) {
		if (!k->r.contactor[1]) {
			fprintf(stderr, "evsed_core_bench: trip %d: connector 1 is not charging\n",
				i);
			return false;
		}
		struct timespec t0;
		k->r.opened = false;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		charger_on_fault(k->ch, k->now, 1, f, true);
		if (!k->r.opened) {
			fprintf(stderr, "evsed_core_bench: trip %d: no contactor(open) command\n",
				i);
			return false;
		}
		v[i] = us_between(&t0, &k->r.opened_at);
		/* Re-arm: the input clears, the rule restarts, the EV draws. */
		charger_on_fault(k->ch, k->now, 1, f, false);
		if (kind == TRIP_OVERCURRENT) {
			advance(k, (int64_t)fault_def(f)->recovery_s * 1000);
			if (protect_restarts(charger_protect(k->ch), 1, f) >= max_restarts &&
			    !new_session(k)) {
				fprintf(stderr, "evsed_core_bench: no new session after trip %d\n",
					i);
				return false;
			}
		} else {
			if (charger_fault_reset(k->ch, k->now, 1) != 1) {
				fprintf(stderr, "evsed_core_bench: trip %d: reset lifted nothing\n",
					i);
				return false;
			}
			pump(k);
			advance(k, 1000);
		}
	}
	return true;
}

/* ---- alloc_share --------------------------------------------------------------- */

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* n participants: half 3-phase, the others on one line each; caps 6-80 A;
 * the limit per line is share of the demand on it. */
static void random_participants(uint64_t *rng, struct share_in *in, int n, double share,
				double limit[3])
{
	static const unsigned masks[] = {7u, 7u, 7u, 1u, 2u, 4u};
	double demand[3] = {0, 0, 0};
	for (int i = 0; i < n; i++) {
		in[i].cap = 6.0 + (double)(xorshift64(rng) % 7401) / 100.0;
		in[i].phases = masks[xorshift64(rng) % 6];
		in[i].priority = i;
		for (int p = 0; p < 3; p++)
			if (in[i].phases & (1u << p))
				demand[p] += in[i].cap;
	}
	for (int p = 0; p < 3; p++)
		limit[p] = demand[p] * share;
}

/* Time alloc_share on fresh random inputs, at most ALLOC_CALLS calls or
 * ALLOC_BUDGET_S seconds (at least ALLOC_MIN calls). */
static int time_alloc(double share, double *v, int *paused_median)
{
	static struct share_in in[ALLOC_N];
	static double out[ALLOC_N];
	static int paused[ALLOC_CALLS];
	uint64_t rng = SEED;
	double limit[3];
	struct timespec start, t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int n = 0;
	while (n < ALLOC_CALLS) {
		random_participants(&rng, in, ALLOC_N, share, limit);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		alloc_share(in, ALLOC_N, limit, IEC_MIN_CURRENT_A, out);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		v[n] = us_between(&t0, &t1);
		paused[n] = 0;
		for (int i = 0; i < ALLOC_N; i++)
			paused[n] += out[i] <= 0;
		n++;
		if (n >= ALLOC_MIN && us_between(&start, &t1) > ALLOC_BUDGET_S * 1e6)
			break;
	}
	/* The number paused, for the report: median over the calls. */
	int sorted[ALLOC_CALLS];
	memcpy(sorted, paused, (size_t)n * sizeof *sorted);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	*paused_median = sorted[n / 2];
	return n;
}

/* ---- output ------------------------------------------------------------------ */

static void machine(char *buf, size_t len)
{
	char model[128] = "unknown CPU";
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f) {
		char line[256];
		while (fgets(line, sizeof line, f)) {
			if (strncmp(line, "model name", 10) == 0) {
				const char *p = strchr(line, ':');
				if (p) {
					p++;
					while (*p == ' ' || *p == '\t')
						p++;
					snprintf(model, sizeof model, "%.*s", (int)strcspn(p, "\n"),
						 p);
				}
				break;
			}
		}
		fclose(f);
	}
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (uname(&u) == 0)
		snprintf(buf, len, "%s, nproc %ld, %s %s %s", model, cpus, u.sysname, u.release,
			 u.machine);
	else
		snprintf(buf, len, "%s, nproc %ld", model, cpus);
}

static void row(bool markdown, const char *figure, const char *target, const struct stats *s)
{
	if (markdown)
		printf("| %s | us | %s | %.2f | %.2f | %.2f |\n", figure, target, s->median, s->p99,
		       s->max);
	else
		printf("%-70s median %9.2f us  p99 %9.2f us  max %9.2f us  (%d)\n", figure,
		       s->median, s->p99, s->max, s->n);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evsed_core_bench [--markdown] [REPS]\n"
		"Times inside the core library: fault in -> contactor-open command out for an\n"
		"over-current and a residual current trip (REPS each, default %d), and\n"
		"alloc_share() for %d participants. Prints median, p99 and max in us;\n"
		"--markdown prints them as table rows. Exit status 1 if the charger does not\n"
		"behave as expected, 2 on a usage error.\n",
		DEFAULT_REPS, ALLOC_N);
}

int main(int argc, char **argv)
{
	bool markdown = false;
	const char *reps_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0) {
			markdown = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' || reps_arg) {
			fprintf(stderr, "evsed_core_bench: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			reps_arg = argv[i];
		}
	}
	long reps = DEFAULT_REPS;
	if (reps_arg) {
		char *end;
		errno = 0;
		reps = strtol(reps_arg, &end, 10);
		if (errno || *end || reps < 1 || reps > MAX_REPS) {
			fprintf(stderr, "evsed_core_bench: REPS must be 1..%d\n", MAX_REPS);
			return 2;
		}
	}
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "evsed_core_bench: warning: built with AddressSanitizer: these are not "
			"the product's figures\n");
#endif
#if !defined(__OPTIMIZE__)
	fprintf(stderr, "evsed_core_bench: warning: built without optimisation\n");
#endif

	double *v = calloc((size_t)(reps > ALLOC_CALLS ? reps : ALLOC_CALLS), sizeof *v);
	struct core *k = core_new();
	if (!v || !k) {
		fprintf(stderr, "evsed_core_bench: cannot set up the charger\n");
		free(v);
		core_free(k);
		return 1;
	}
	char mach[256];
	machine(mach, sizeof mach);
	if (markdown) {
		printf("machine: %s; %ld trips of each kind, alloc_share on %d participants.\n\n",
		       mach, reps, ALLOC_N);
		printf("| figure | unit | target | median | p99 | max |\n");
		printf("|---|---|---|---:|---:|---:|\n");
	} else {
		printf("evsed_core_bench: %s\n", mach);
	}

	struct stats s;
	if (!time_trips(k, TRIP_OVERCURRENT, v, (int)reps))
		goto fail;
	s = stats_of(v, (int)reps);
	row(markdown, "over-current in -> contactor open (connector 1 charging)", "< 1000", &s);
	core_free(k);
	k = core_new();
	if (!k || !time_trips(k, TRIP_RCD, v, (int)reps))
		goto fail;
	s = stats_of(v, (int)reps);
	row(markdown, "residual current in -> contactor open (connector 1 charging)", "< 1000", &s);

	static const struct {
		double share;
		const char *name;
	} loads[] = {
	    {0.5, "alloc_share, 1,000 participants, limit = 1/2 of demand"},
	    {0.05, "alloc_share, 1,000 participants, limit = 1/20 of demand"},
	};
	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		int paused;
		int n = time_alloc(loads[i].share, v, &paused);
		s = stats_of(v, n);
		char name[128];
		snprintf(name, sizeof name, "%s (%d paused)", loads[i].name, paused);
		row(markdown, name, "< 1000", &s);
	}
	core_free(k);
	free(v);
	return 0;
fail:
	core_free(k);
	free(v);
	return 1;
}
