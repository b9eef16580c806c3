/* SPDX-License-Identifier: MIT */
/*
 * A seeded property test of the charger's safety (F1, A6, issue 6): random
 * sequences of board and user events (plug and unplug through every pilot
 * state, EVs drawing or not, known and unknown cards, cable ratings, lock
 * failures, every fault on and off on any connector, fault resets, time
 * passing with the charger ticked at its own deadlines, installer limit
 * changes, meter readings after the contactor) drive the real charger of each
 * product profile, and after every step (and every tick on the way) the
 * invariants hold:
 *   1. no connector's contactor is closed while protect_blocks() is true;
 *   2. a contactor is closed only with a session, the EV in state C and a
 *      PWM offering >= 6 A, except during the 3 s an EV has to stop drawing
 *      after its offer was withdrawn (docs/charger.md "Outputs"), and then
 *      only while the EV is in C;
 *   3. the offers (and the currents the PWM duties advertise) add up to no
 *      more than charger.current_limit on each supply line;
 *   4. the PWM is state F whenever a blocking fault is active;
 *   5. (model) while the board reports a blocking fault's input, whatever
 *      its restart rule, its connectors are blocked and not energised.
 * The PRNG is xorshift64, one seed per sequence derived from a base seed
 * (EVSED_SEED in the environment overrides it); a failure prints the seeds,
 * the step and the last events so that it can be replayed.
 *
 * It checks safety, not liveness: that power comes back when it should is
 * test_protect.c's job.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/charger.h"
#include "vclock.h"

#define MAXC	       5
#define SEQUENCES      200
#define STEPS	       300
#define GRACE_MS       3000 /* docs/charger.md: the EV has 3 s to stop drawing */
#define BASE_SEED      0x9e3779b97f4a7c15ULL
#define HISTORY	       12
#define GUARD_TICKS    100000
#define EPS	       1e-6
#define T0	       1000
#define NO_SINCE       (-1)
#define EVENT_TEXT_MAX 96

/* ---- the recording board (after test_charger.c) -------------------------- */

struct rec {
	int duty[MAXC];
	bool contactor[MAXC];
	bool lock[MAXC];
	bool lock_acked[MAXC];
	bool in_session[MAXC]; /* from the session events */
	int64_t next_number;
	bool lock_fails;
};

static void b_pwm(void *u, int c, int duty)
{
	((struct rec *)u)->duty[c] = duty;
}

static void b_contactor(void *u, int c, bool closed, int phases)
{
	(void)phases;
	((struct rec *)u)->contactor[c] = closed;
}

static void b_lock(void *u, int c, bool locked)
{
	struct rec *r = u;
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
	struct rec *r = u;
	if (s->connector > 0 && s->connector < MAXC)
		r->in_session[s->connector] = true;
	return ++r->next_number;
}

static void e_stop(void *u, const struct chg_session *s)
{
	struct rec *r = u;
	if (s->connector > 0 && s->connector < MAXC)
		r->in_session[s->connector] = false;
}

/* ---- a run: one sequence of random steps on one profile ------------------- */

struct run {
	const char *profile;
	uint64_t base_seed, seed, rng;
	int seq, step;
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct rec r;
	int n;
	int64_t now;
	enum iec_cp cp[MAXC];	 /* the pilot level the EV shows */
	int64_t bad_since[MAXC]; /* contactor closed without an offer since */
	double meter_wh[MAXC];
	/* Fault inputs the board reported (charger-wide ones on 0). */
	bool input_on[MAXC][FAULT_COUNT];
	char hist[HISTORY][EVENT_TEXT_MAX]; /* the last events, for a failure report */
	int nhist;
	/* What the sequences went through, so that the test cannot pass
	 * vacuously. */
	long closed_checks, blocked_checks, trips_while_closed, grace_checks, limit_binding;
};

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* splitmix64: a good non-zero seed per sequence from the base seed. */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

/* Uniform in [0, n). */
static int rnd(struct run *r, int n)
{
	return (int)(xorshift64(&r->rng) % (uint64_t)n);
}

static void note(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct run *r, const char *fmt, ...)
{
	char *slot = r->hist[r->nhist % HISTORY];
	int k = snprintf(slot, EVENT_TEXT_MAX, "step %d t=%" PRId64 ": ", r->step, r->now);
	if (k < 0 || k >= EVENT_TEXT_MAX)
		k = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(slot + k, EVENT_TEXT_MAX - (size_t)k, fmt, ap);
	va_end(ap);
	r->nhist++;
}

/* Print the seeds, the step and the last events, then fail. */
#define VIOLATION(r, ...)                                                                          \
	do {                                                                                       \
		report(r);                                                                         \
		fail_msg(__VA_ARGS__);                                                             \
	} while (0)

static void report(const struct run *r)
{
	fprintf(stderr,
		"safety property violated: profile %s, base seed 0x%016" PRIx64
		" (EVSED_SEED=0x%016" PRIx64 " replays it), sequence %d (seed 0x%016" PRIx64
		"), step %d, t=%" PRId64 " ms\nlast events:\n",
		r->profile, r->base_seed, r->base_seed, r->seq, r->seed, r->step, r->now);
	int from = r->nhist > HISTORY ? r->nhist - HISTORY : 0;
	for (int i = from; i < r->nhist; i++)
		fprintf(stderr, "  %s\n", r->hist[i % HISTORY]);
	for (int c = 1; c <= r->n; c++) {
		struct conn_info ci;
		if (!charger_conn_info(r->ch, c, &ci))
			continue;
		fprintf(
		    stderr,
		    "  connector %d: %s, CP %s, duty %d, contactor %s, session %s, offer %.1f A "
		    "(%s), faults 0x%x\n",
		    c, conn_status_name(ci.status), iec_cp_name(r->cp[c]), r->r.duty[c],
		    r->r.contactor[c] ? "closed" : "open", r->r.in_session[c] ? "yes" : "no",
		    ci.offered_a, limit_src_name(ci.limit), (unsigned)ci.faults);
	}
}

/* ---- the invariants -------------------------------------------------------- */

static void check(struct run *r)
{
	const struct protect *p = charger_protect(r->ch);
	double limit = settings_double(r->s, SET_CHARGER_CURRENT_LIMIT);
	bool three = settings_int(r->s, SET_SUPPLY_PHASES) >= 3;
	double offered[3] = {0, 0, 0}, advertised[3] = {0, 0, 0};
	for (int c = 1; c <= r->n; c++) {
		struct conn_info ci;
		assert_true(charger_conn_info(r->ch, c, &ci));
		bool blocks = protect_blocks(p, c);
		bool closed = r->r.contactor[c];
		double pwm_a = iec_current_from_duty(r->r.duty[c]);
		/* What the board was told is what the charger says it told. */
		if (closed != ci.contactor || r->r.duty[c] != ci.duty_permille ||
		    r->r.in_session[c] != ci.in_session)
			VIOLATION(r, "connector %d: the board's record differs from conn_info", c);
		/* 1. */
		if (closed && blocks)
			VIOLATION(r,
				  "connector %d: contactor closed while a blocking fault is active",
				  c);
		/* 4. */
		if (blocks && r->r.duty[c] != IEC_DUTY_F)
			VIOLATION(
			    r, "connector %d: blocking fault active but PWM duty %d, not state F",
			    c, r->r.duty[c]);
		if (blocks && ci.status != CS_FAULTED)
			VIOLATION(r, "connector %d: blocking fault active but status %s", c,
				  conn_status_name(ci.status));
		/* 2. */
		bool offered_ok =
		    r->r.in_session[c] && r->cp[c] == IEC_CP_C && pwm_a >= IEC_MIN_CURRENT_A - EPS;
		if (closed && !offered_ok) {
			if (r->bad_since[c] == NO_SINCE)
				r->bad_since[c] = r->now;
			r->grace_checks++;
			if (r->cp[c] != IEC_CP_C)
				VIOLATION(r,
					  "connector %d: contactor closed with the EV in state %s "
					  "(session %d, PWM %.1f A)",
					  c, iec_cp_name(r->cp[c]), r->r.in_session[c], pwm_a);
			if (r->now - r->bad_since[c] >= GRACE_MS)
				VIOLATION(r,
					  "connector %d: contactor closed %" PRId64
					  " ms without a session and an offer >= 6 A (session %d, "
					  "PWM %.1f A)",
					  c, r->now - r->bad_since[c], r->r.in_session[c], pwm_a);
		} else {
			r->bad_since[c] = NO_SINCE;
		}
		/* 3: these profiles' connectors load every line (3-phase supply)
		 * or are alone on theirs (MQ200, 1-phase): per line it is the sum. */
		for (int l = 0; l < (three ? 3 : 1); l++) {
			offered[l] += ci.offered_a;
			advertised[l] += pwm_a;
		}
		/* 5. The pilot, lock and welded-relay faults are also raised
		 * and cleared by the charger's own detection: left out. */
		for (int f = 0; f < FAULT_COUNT; f++) {
			if (!fault_def((enum fault_id)f)->blocks_power || f == FAULT_CP ||
			    f == FAULT_LOCK || f == FAULT_RELAY_WELDED)
				continue;
			if ((r->input_on[0][f] || r->input_on[c][f]) && (closed || !blocks))
				VIOLATION(r, "connector %d: fault %s reported by the board, but %s",
					  c, fault_def((enum fault_id)f)->name,
					  closed ? "the contactor is closed" : "nothing blocks");
		}
		if (closed)
			r->closed_checks++;
		if (blocks)
			r->blocked_checks++;
	}
	for (int l = 0; l < 3; l++) {
		if (offered[l] > limit + EPS || advertised[l] > limit + EPS)
			VIOLATION(r,
				  "line L%d: offered %.2f A, PWM advertises %.2f A, limit %.1f A",
				  l + 1, offered[l], advertised[l], limit);
		if (offered[l] > limit - IEC_MIN_CURRENT_A)
			r->limit_binding++;
	}
}

/* The board answers lock commands, as the real one does, outside the call. */
static void pump(struct run *r)
{
	for (int c = 1; c <= r->n; c++) {
		if (r->r.lock[c] && !r->r.lock_acked[c]) {
			r->r.lock_acked[c] = true;
			charger_on_lock(r->ch, r->now, c, !r->r.lock_fails);
		}
	}
}

/* Time passes: tick at every deadline the charger asks for on the way,
 * checking the invariants after each tick. */
static void run_for(struct run *r, int64_t ms)
{
	int64_t t = r->now + ms;
	for (int guard = 0;; guard++) {
		int64_t d = charger_next_deadline(r->ch);
		if (d > t)
			break;
		if (guard > GUARD_TICKS)
			VIOLATION(r, "charger_next_deadline() stuck at %" PRId64, d);
		if (d > r->now)
			r->now = d;
		charger_tick(r->ch, r->now);
		pump(r);
		check(r);
	}
	r->now = t;
	charger_tick(r->ch, r->now);
	pump(r);
}

static void run_end(struct run *r)
{
	charger_free(r->ch);
	auth_list_free(r->cards);
	settings_free(r->s);
	r->ch = NULL;
	r->cards = NULL;
	r->s = NULL;
}

/* r is static: a run a failure jumped out of is freed here. */
static void run_begin(struct run *r, const char *profile, uint64_t base, int seq)
{
	run_end(r);
	memset(r, 0, sizeof *r);
	r->profile = profile;
	r->base_seed = base;
	r->seq = seq;
	r->seed = mix(base ^ mix((uint64_t)seq) ^ (uint64_t)(unsigned char)profile[0] << 56);
	r->rng = r->seed;
	enum profile_id pid;
	assert_true(profile_find(profile, &pid));
	r->s = settings_new(pid);
	assert_non_null(r->s);
	r->cards = auth_list_new(10);
	assert_non_null(r->cards);
	assert_int_equal(auth_list_add(r->cards, "CARD1"), AUTH_OK);
	assert_int_equal(auth_list_add(r->cards, "CARD2"), AUTH_OK);
	r->board = (struct board_ops){&r->r, b_pwm, b_contactor, b_lock, b_led, b_beep};
	r->ev =
	    (struct chg_events){.user = &r->r, .session_start = e_start, .session_stop = e_stop};
	r->ch = charger_new(r->s, r->cards, &r->board, &r->ev);
	assert_non_null(r->ch);
	r->n = charger_connectors(r->ch);
	assert_true(r->n >= 1 && r->n < MAXC);
	charger_set_clock(r->ch, 0, 1767225600000LL);
	r->now = T0;
	for (int c = 0; c < MAXC; c++) {
		r->cp[c] = IEC_CP_A;
		r->bad_since[c] = NO_SINCE;
	}
	charger_start(r->ch, r->now);
	pump(r);
}

/* ---- the random events ------------------------------------------------------ */

static const enum iec_cp cp_levels[] = {IEC_CP_A, IEC_CP_B, IEC_CP_B, IEC_CP_C, IEC_CP_C,
					IEC_CP_C, IEC_CP_C, IEC_CP_D, IEC_CP_E, IEC_CP_A};
static const double pp_ratings[] = {0, 13, 20, 32, 32, 63};
static const char *const uids[] = {"CARD1", "CARD2", "CARD9"};

static void random_time(struct run *r)
{
	int64_t ms;
	int k = rnd(r, 10);
	if (k < 4)
		ms = 1 + rnd(r, 3000); /* within the grace and the weld check */
	else if (k < 7)
		ms = 3000 + rnd(r, 60000); /* around the over-current recovery */
	else if (k < 9)
		ms = 60000 + rnd(r, 20 * 60000); /* around the UL 2231 retry */
	else
		ms = 20 * 60000 + rnd(r, 40 * 60000);
	note(r, "time +%" PRId64 " ms", ms);
	run_for(r, ms);
}

static void step(struct run *r)
{
	int c = 1 + rnd(r, r->n);
	int k = rnd(r, 100);
	if (k < 30) {
		/* Plug, unplug, the EV drawing or not: the pilot. */
		enum iec_cp level = cp_levels[rnd(r, (int)(sizeof cp_levels / sizeof *cp_levels))];
		note(r, "connector %d: CP %s", c, iec_cp_name(level));
		r->cp[c] = level;
		charger_on_cp(r->ch, r->now, c, level);
	} else if (k < 35) {
		double a = pp_ratings[rnd(r, (int)(sizeof pp_ratings / sizeof *pp_ratings))];
		note(r, "connector %d: PP %.0f A", c, a);
		charger_on_pp(r->ch, r->now, c, a);
	} else if (k < 50) {
		const char *uid = uids[rnd(r, 3)];
		int conn;
		enum swipe_result res = charger_on_rfid(r->ch, r->now, uid, &conn);
		note(r, "card %s: %s (connector %d)", uid, swipe_result_name(res), conn);
	} else if (k < 54) {
		/* The board's lock breaks now and then and is repaired soon. */
		if (rnd(r, 2) && (r->r.lock_fails || rnd(r, 4) == 0)) {
			r->r.lock_fails = !r->r.lock_fails;
			note(r, "the lock %s", r->r.lock_fails ? "fails from now" : "works again");
		} else {
			bool locked = rnd(r, 2) != 0;
			note(r, "connector %d: lock reports %s", c, locked ? "locked" : "open");
			charger_on_lock(r->ch, r->now, c, locked);
		}
	} else if (k < 68) {
		/* A fault comes, or one that is reported goes (most inputs
		 * return to normal in the end). */
		const struct protect *p = charger_protect(r->ch);
		int where = rnd(r, r->n + 1);
		uint32_t rep = protect_reported(p, where);
		enum fault_id f = (enum fault_id)rnd(r, FAULT_COUNT);
		bool on = rnd(r, 4) == 0;
		if (!on && rep) {
			int pick = rnd(r, __builtin_popcount(rep));
			for (int i = 0; i < FAULT_COUNT; i++)
				if ((rep & (1u << i)) && pick-- == 0)
					f = (enum fault_id)i;
		}
		bool was_closed = false;
		for (int i = 1; i <= r->n; i++)
			was_closed = was_closed || r->r.contactor[i];
		note(r, "fault %s %s (conn %d)", fault_def(f)->name, on ? "on" : "off", where);
		charger_on_fault(r->ch, r->now, where, f, on);
		const struct fault_def *d = fault_def(f);
		if (where > 0 || d->charger_wide)
			r->input_on[d->charger_wide ? 0 : where][f] = on;
		if (on && was_closed && fault_def(f)->blocks_power)
			r->trips_while_closed++;
	} else if (k < 73) {
		int where = rnd(r, r->n + 1);
		int lifted = charger_fault_reset(r->ch, r->now, where);
		note(r, "fault reset on %d: %d lifted", where, lifted);
	} else if (k < 93) {
		random_time(r);
	} else if (k < 97) {
		char v[16];
		snprintf(v, sizeof v, "%d", 6 + rnd(r, 58));
		char err[200];
		note(r, "charger.current_limit = %s", v);
		assert_int_equal(settings_set(r->s, "charger.current_limit", v, SRC_RUNTIME, err,
					      sizeof err, NULL),
				 SET_OK);
		charger_settings_changed(r->ch, r->now);
	} else {
		/* A meter reading: energy, and voltage after the contactor
		 * (when it is open, that is a welded relay). */
		struct meter_reading m = {0};
		r->meter_wh[c] += rnd(r, 100);
		m.energy_wh = r->meter_wh[c];
		m.output_v = rnd(r, 20) == 0 ? 230.0 : (r->r.contactor[c] ? 230.0 : 0.0);
		note(r, "connector %d: meter %.0f Wh, %.0f V after the contactor", c, m.energy_wh,
		     m.output_v);
		charger_on_meter(r->ch, r->now, c, &m);
	}
	pump(r);
	check(r);
}

static void property(const char *profile)
{
	uint64_t base = vclock_seed(BASE_SEED);
	long closed = 0, blocked = 0, trips = 0, grace = 0, binding = 0;
	static struct run r; /* large; and a failed run is freed by the next */
	for (int seq = 0; seq < SEQUENCES; seq++) {
		run_begin(&r, profile, base, seq);
		for (r.step = 0; r.step < STEPS; r.step++)
			step(&r);
		closed += r.closed_checks;
		blocked += r.blocked_checks;
		trips += r.trips_while_closed;
		grace += r.grace_checks;
		binding += r.limit_binding;
		run_end(&r);
	}
	print_message("%s: base seed 0x%016" PRIx64 ", %d sequences x %d steps: %ld checks with a "
		      "contactor closed, %ld with a blocking fault, %ld blocking trips while "
		      "charging, %ld in the opening grace, %ld with the installer limit binding\n",
		      profile, base, SEQUENCES, STEPS, closed, blocked, trips, grace, binding);
	/* The sequences reached the situations the invariants are about. */
	assert_true(closed > 2000);
	assert_true(blocked > 5000);
	assert_true(trips > 50);
	assert_true(grace > 200);
	assert_true(binding > 2000);
}

static void property_io7(void **state)
{
	(void)state;
	property("io7");
}

static void property_mq200(void **state)
{
	(void)state;
	property("mq200");
}

static void property_evplus(void **state)
{
	(void)state;
	property("evplus");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(property_io7),
    cmocka_unit_test(property_mq200),
    cmocka_unit_test(property_evplus),
};

VCLOCK_MAIN("safety_property", tests)
