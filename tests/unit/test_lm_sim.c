/* SPDX-License-Identifier: MIT */
/*
 * A seeded site simulation of group load management (E2 dynamic limit, E4-E6
 * allocation with rotation) under a virtual clock: 20 chargers, single- and
 * three-phase, on a site whose other loads switch (kettles, ovens, heat
 * pumps) and whose meter sometimes stops answering; EVs arrive and leave;
 * members drop off the LAN and come back. The master, every re-evaluation
 * period, reads the meter, decides the group's room per phase
 * (lm_dynamic_limit), and shares it (lm_turns + lm_allocate); members apply
 * the offer they hear, which is valid for VALIDITY_MS, and fall back to the
 * fallback current after that; EVs follow an offer one period later (their
 * reaction time).
 *
 * The master's rules that make the limit hold, checked here:
 *  - a member it has not heard from in the last period is not offered
 *    anything new, and the last offer it was sent (or the fallback, if
 *    larger) stays reserved until that offer has expired; after that the member is offline and the
 * offline strategy (offline_offline: offline_reserved = fallback) reserves for it;
 *  - with no meter reading for METER_TIMEOUT_MS every member is held to the
 *    minimum current (the safe value), never the last reading for ever.
 *
 * Property: whenever the meter has been answering and the other loads have
 * not risen in the last two periods (one for the master to see the rise, one
 * for the EVs to follow), the other loads plus every EV's draw stay within
 * the site limit on each phase, except for what members without a valid offer
 * draw at their fallback current, which nobody can control: then the members on the
 * LAN draw nothing (MQ200: the fallback current must be chosen so that the
 * site holds it); and once the meter has been silent for
 * METER_TIMEOUT_MS plus one period, no EV draws more than the minimum.
 *
 * xorshift64, one seed per run from a base (EVSED_SEED overrides it); a
 * failure prints the seed, the time and the phase.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lm_alloc.h"
#include "vclock.h"

#define N		 20
#define RUNS		 12
#define RUN_MS		 (3 * 3600 * 1000LL)
#define PERIOD_MS	 1000
#define VALIDITY_MS	 3000
#define METER_TIMEOUT_MS 5000
#define ROTATE_MS	 (5 * 60 * 1000LL)
#define LIMIT_A		 100.0
#define MIN_A		 6.0
#define FALLBACK_A	 10.0
#define BASE_SEED	 0x2545f4914f6cdd1dULL
#define EPS		 1e-6
#define NEVER		 INT64_MIN

struct sim_member {
	unsigned phases;
	double max_a;
	/* the EV */
	bool ev;
	double ev_max;
	double draw;
	int64_t arrival;
	/* the member's view */
	bool lan;	     /* on the LAN */
	int64_t offline_end; /* back on the LAN then */
	double heard;	     /* the last offer it heard */
	int64_t heard_at;
	/* the master's view */
	int64_t seen_at; /* last heard from */
	double sent;	 /* last offer sent */
	int64_t sent_at;
};

struct sim {
	uint64_t rng, seed;
	int64_t now;
	struct sim_member m[N];
	double other[3];
	int64_t other_rose[3]; /* last rise of the other loads */
	bool meter_ok;
	int64_t meter_end;
	int64_t meter_read_at; /* the master's last reading */
	double reading[3];
	struct lm_turn turns[N];
	long checks, binding, rotations, safe_checks, uncontrolled;
};

static uint64_t next(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static double uni(struct sim *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

static bool chance(struct sim *s, double p)
{
	return uni(s) < p;
}

static void setup(struct sim *s, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->seed = s->rng = seed;
	for (int i = 0; i < N; i++) {
		struct sim_member *m = &s->m[i];
		int kind = (int)(next(s) % 4); /* L1, L2, L3 or three-phase */
		m->phases = kind == 3 ? 7u : 1u << kind;
		m->max_a = chance(s, 0.5) ? 32 : 16;
		m->lan = true;
		m->heard_at = m->sent_at = NEVER;
		m->seen_at = 0;
	}
	for (int p = 0; p < 3; p++) {
		s->other[p] = 10 + 20 * uni(s);
		s->other_rose[p] = 0;
	}
	s->meter_ok = true;
	s->meter_read_at = NEVER;
	lm_turns_init(s->turns, N);
}

/* Loads switch, EVs come and go, members and the meter drop out. */
static void events(struct sim *s)
{
	for (int p = 0; p < 3; p++)
		if (chance(s, 0.02)) {
			double before = s->other[p];
			static const double step_a[] = {13, 9, 20, 4, 30};
			double a = step_a[next(s) % 5];
			s->other[p] += chance(s, 0.5) ? a : -a;
			if (s->other[p] < -10) /* a little export (solar) */
				s->other[p] = -10;
			if (s->other[p] > 90)
				s->other[p] = 90;
			if (s->other[p] > before)
				s->other_rose[p] = s->now;
		}
	for (int i = 0; i < N; i++) {
		struct sim_member *m = &s->m[i];
		if (!m->ev && chance(s, 0.0015)) {
			m->ev = true;
			m->ev_max = chance(s, 0.3) ? 16 : 32;
			m->arrival = s->now;
		} else if (m->ev && chance(s, 0.0004)) {
			m->ev = false;
		}
		if (m->lan && chance(s, 0.0003)) {
			m->lan = false;
			m->offline_end = s->now + 10000 + (int64_t)(next(s) % 120) * 1000;
		} else if (!m->lan && s->now >= m->offline_end) {
			m->lan = true;
		}
	}
	if (s->meter_ok && chance(s, 0.0005)) {
		s->meter_ok = false;
		s->meter_end = s->now + 3000 + (int64_t)(next(s) % 60) * 1000;
	} else if (!s->meter_ok && s->now >= s->meter_end) {
		s->meter_ok = true;
	}
}

static bool offer_valid(const struct sim *s, int i)
{
	return s->m[i].heard_at != NEVER && s->now - s->m[i].heard_at < VALIDITY_MS;
}

/* What a member's EV draws now: the offer it heard a period ago while that
 * is valid, else the fallback. */
static void draw(struct sim *s)
{
	for (int i = 0; i < N; i++) {
		struct sim_member *m = &s->m[i];
		double allowed = FALLBACK_A;
		if (offer_valid(s, i))
			allowed = m->heard;
		if (!m->ev)
			allowed = 0;
		m->draw = allowed < m->ev_max ? allowed : m->ev_max;
		if (m->draw < MIN_A - EPS)
			m->draw = 0;
	}
}

static void check(struct sim *s)
{
	bool meter_fresh = s->meter_read_at != NEVER && s->now - s->meter_read_at <= PERIOD_MS;
	for (int p = 0; p < 3; p++) {
		/* Members without a valid offer (off the LAN, or back on it
		 * and not yet offered) draw their fallback whatever the master
		 * says: what the master controls must fit in what they leave. */
		double online = 0, offline = 0;
		for (int i = 0; i < N; i++)
			if (s->m[i].phases & (1u << p)) {
				if (offer_valid(s, i))
					online += s->m[i].draw;
				else
					offline += s->m[i].draw;
			}
		if (!meter_fresh || s->now - s->other_rose[p] < 2 * PERIOD_MS)
			continue;
		double room = LIMIT_A - s->other[p] - offline;
		s->checks++;
		if (online > room - 2 * MIN_A)
			s->binding++;
		if (room < 0)
			s->uncontrolled++;
		if (online > (room > 0 ? room : 0) + EPS)
			fail_msg(
			    "seed 0x%016" PRIx64 " (EVSED_SEED replays it) at %" PRId64
			    " ms: L%d carries %.2f A from members on the LAN, %.2f A from members "
			    "off it and %.2f A of other loads: over %.0f A",
			    s->seed, s->now, p + 1, online, offline, s->other[p], LIMIT_A);
	}
	if (s->meter_read_at != NEVER &&
	    s->now - s->meter_read_at >= METER_TIMEOUT_MS + 2 * PERIOD_MS) {
		s->safe_checks++;
		for (int i = 0; i < N; i++)
			if (offer_valid(s, i) && s->m[i].draw > MIN_A + EPS)
				fail_msg("seed 0x%016" PRIx64 " at %" PRId64
					 " ms: meter silent, member %d draws %.1f A",
					 s->seed, s->now, i, s->m[i].draw);
	}
}

/* The master: read the meter, reserve for the silent, share the rest. */
static void master(struct sim *s)
{
	/* Members on the LAN report (wants, used); the master hears them. */
	for (int i = 0; i < N; i++)
		if (s->m[i].lan)
			s->m[i].seen_at = s->now;
	if (s->meter_ok) {
		for (int p = 0; p < 3; p++)
			s->reading[p] = s->other[p];
		s->meter_read_at = s->now;
	}
	struct lm_group g = {
	    .policy = LM_UNIFORM,
	    .offline = LM_OFF_OFFLINE_OFFLINE,
	    .offline_reserved = FALLBACK_A,
	    .min_a = MIN_A,
	};
	bool safe = s->meter_read_at == NEVER || s->now - s->meter_read_at > METER_TIMEOUT_MS;
	for (int p = 0; p < 3; p++)
		g.limit_a[p] = safe ? 1e6 : lm_dynamic_limit(LIMIT_A, s->reading[p]);
	struct lm_member lm[N];
	for (int i = 0; i < N; i++) {
		struct sim_member *m = &s->m[i];
		bool heard = s->now - m->seen_at < PERIOD_MS;
		bool offer_valid = m->sent_at != NEVER && s->now - m->sent_at < VALIDITY_MS;
		lm[i] = (struct lm_member){
		    .max_a = safe ? (m->max_a < MIN_A ? m->max_a : MIN_A) : m->max_a,
		    .phases = m->phases,
		    .online = heard || offer_valid,
		    .wants = heard && m->ev,
		    .arrival = m->arrival,
		};
		/* Silent, its last offer still valid: that offer stays reserved,
		 * or the fallback it turns to when the offer expires. */
		if (!heard && offer_valid)
			for (int p = 0; p < 3; p++)
				if (m->phases & (1u << p))
					g.limit_a[p] -= m->sent > FALLBACK_A ? m->sent : FALLBACK_A;
	}
	for (int p = 0; p < 3; p++)
		if (g.limit_a[p] < 0)
			g.limit_a[p] = 0;
	double offer[N];
	lm_turns(s->turns, N, s->now, ROTATE_MS, lm);
	assert_true(lm_allocate(&g, lm, N, offer));
	for (int i = 0; i < N; i++)
		if (lm[i].wants && s->turns[i].served && offer[i] == 0)
			s->rotations++;
	lm_turns_update(s->turns, lm, offer, N, s->now);
	for (int i = 0; i < N; i++) {
		struct sim_member *m = &s->m[i];
		if (s->now - m->seen_at >= PERIOD_MS)
			continue; /* it does not hear us either */
		m->sent = offer[i];
		m->sent_at = s->now;
		m->heard = offer[i];
		m->heard_at = s->now;
	}
}

static void site_never_over_its_limit(void **state)
{
	(void)state;
	static struct sim s;
	uint64_t base = vclock_seed(BASE_SEED);
	long checks = 0, binding = 0, rotations = 0, safe = 0, uncontrolled = 0;
	for (int run = 0; run < RUNS; run++) {
		setup(&s, base + (uint64_t)run * 0x9e3779b97f4a7c15ULL);
		for (s.now = 0; s.now < RUN_MS; s.now += PERIOD_MS) {
			events(&s);
			draw(&s);
			check(&s);
			master(&s);
		}
		checks += s.checks;
		binding += s.binding;
		rotations += s.rotations;
		safe += s.safe_checks;
		uncontrolled += s.uncontrolled;
	}
	printf("%d runs of %lld h from seed 0x%016" PRIx64 ": %ld checks, %ld near the limit, "
	       "%ld with offline fallbacks alone over it, %ld rotations, %ld checks with the "
	       "meter silent\n",
	       RUNS, RUN_MS / 3600000, base, checks, binding, uncontrolled, rotations, safe);
	/* The simulation must exercise what it claims to check. */
	assert_true(binding > checks / 50);
	assert_true(rotations > 0);
	assert_true(safe > 0);
}

int main(int argc, char **argv)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(site_never_over_its_limit),
	};
	/* clang-format on */
	return vclock_run("lm_sim", tests, sizeof tests / sizeof tests[0], argc, argv);
}
