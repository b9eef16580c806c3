/* SPDX-License-Identifier: MIT */
/*
 * Protections (F1, A11) row by row: every fault of the fault table is driven
 * through the real charger under the virtual clock (io7 and EVPLUS for IEC,
 * MQ200 for UL 2231): detection (the board's fault input), reaction (the
 * contactor of the affected connectors opens in the same call, PWM state F,
 * Faulted; charger-wide faults stop both io7 connectors, connector faults
 * only their own; faults that forbid nothing keep charging), report (the
 * connector's fault bits, the protection state, the fault history event and
 * the row's OCPP errorCode) and recovery by the row's restart rule. The cases
 * loop over the table, one case per restart rule and profile, so a new row is
 * tested without a new case; a failure names the profile, fault and phase.
 * Then protect.c directly: deadlines, since-times, restart counters, state
 * names and charger-wide faults kept on 0.
 *
 * It does not test the indication patterns or the OCPP frames themselves
 * (their own tests do); the OCPP check here is that the row's errorCode is
 * one OCPP 1.6 knows and is the one a connector with that fault reports.
 */
#include <stdio.h>
#include <string.h>

#include "core/charger.h"
#include "vclock.h"

#define MAXC	    5
#define HOUR_MS	    3600000LL
#define T0	    1000 /* the tests start at 1 s: since-time 0 means "off" */
#define GUARD_TICKS 100000

/* ---- the recording board (after test_charger.c) -------------------------- */

struct rec {
	int duty[MAXC];
	bool contactor[MAXC];
	int phases[MAXC];
	bool lock[MAXC];
	bool lock_acked[MAXC];
	char led[MAXC][32];
	int contactor_cmds[MAXC];
	enum conn_status status[MAXC];
	int status_events[MAXC];
	int fault_on[MAXC][FAULT_COUNT]; /* fault history events, by conn (0 = charger) */
	int fault_off[MAXC][FAULT_COUNT];
	int nstart, nstop;
	int64_t next_number;
	bool lock_fails;
};

struct fx {
	const char *profile;
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct rec r;
	int64_t now;
	int n;
};

static void b_pwm(void *u, int c, int duty)
{
	((struct rec *)u)->duty[c] = duty;
}

static void b_contactor(void *u, int c, bool closed, int phases)
{
	struct rec *r = u;
	r->contactor[c] = closed;
	r->phases[c] = phases;
	r->contactor_cmds[c]++;
}

static void b_lock(void *u, int c, bool locked)
{
	struct rec *r = u;
	r->lock[c] = locked;
	r->lock_acked[c] = false;
}

static void b_led(void *u, int c, const char *p)
{
	snprintf(((struct rec *)u)->led[c], 32, "%s", p);
}

static void b_beep(void *u, enum beep_kind k)
{
	(void)u;
	(void)k;
}

static int64_t e_start(void *u, const struct chg_session *s)
{
	(void)s;
	struct rec *r = u;
	r->nstart++;
	return ++r->next_number;
}

static void e_stop(void *u, const struct chg_session *s)
{
	(void)s;
	((struct rec *)u)->nstop++;
}

static void e_status(void *u, int c, enum conn_status st)
{
	struct rec *r = u;
	r->status[c] = st;
	r->status_events[c]++;
}

static void e_fault(void *u, int conn, enum fault_id f, bool on)
{
	struct rec *r = u;
	if (conn < 0 || conn >= MAXC)
		return;
	if (on)
		r->fault_on[conn][f]++;
	else
		r->fault_off[conn][f]++;
}

/* The board answers lock commands, as the real one does, outside the call. */
static void pump(struct fx *f)
{
	for (int c = 1; c < MAXC; c++) {
		if (f->r.lock[c] && !f->r.lock_acked[c]) {
			f->r.lock_acked[c] = true;
			charger_on_lock(f->ch, f->now, c, !f->r.lock_fails);
		}
	}
}

static struct fx f_live; /* one fixture at a time */

static void fx_free(struct fx *f)
{
	charger_free(f->ch);
	auth_list_free(f->cards);
	settings_free(f->s);
	f->ch = NULL;
	f->cards = NULL;
	f->s = NULL;
}

static struct fx *fx_new(const char *profile)
{
	struct fx *f = &f_live;
	/* A case that failed left its fixture behind (cmocka jumps out of
	 * it): free it now, so that a failure leaks nothing either. */
	fx_free(f);
	memset(f, 0, sizeof *f);
	enum profile_id p;
	assert_true(profile_find(profile, &p));
	f->profile = profile;
	f->s = settings_new(p);
	assert_non_null(f->s);
	f->cards = auth_list_new(10);
	assert_int_equal(auth_list_add(f->cards, "CARD1"), AUTH_OK);
	assert_int_equal(auth_list_add(f->cards, "CARD2"), AUTH_OK);
	f->board = (struct board_ops){&f->r, b_pwm, b_contactor, b_lock, b_led, b_beep};
	f->ev = (struct chg_events){
	    .user = &f->r,
	    .session_start = e_start,
	    .session_stop = e_stop,
	    .status = e_status,
	    .fault = e_fault,
	};
	f->ch = charger_new(f->s, f->cards, &f->board, &f->ev);
	assert_non_null(f->ch);
	f->n = charger_connectors(f->ch);
	assert_true(f->n >= 1 && f->n < MAXC);
	charger_set_clock(f->ch, 0, 1767225600000LL); /* 2026-01-01T00:00:00Z */
	f->now = T0;
	charger_start(f->ch, f->now);
	return f;
}

static void cp(struct fx *f, int c, enum iec_cp level)
{
	charger_on_cp(f->ch, f->now, c, level);
	pump(f);
}

static struct conn_info info(struct fx *f, int c)
{
	struct conn_info ci;
	assert_true(charger_conn_info(f->ch, c, &ci));
	return ci;
}

static const struct protect *prot(struct fx *f)
{
	return charger_protect(f->ch);
}

/* Let time run to t, ticking at every deadline the charger asks for on the
 * way (as the daemon's loop does), then at t. */
static void run_to(struct fx *f, int64_t t)
{
	for (int guard = 0;; guard++) {
		int64_t d = charger_next_deadline(f->ch);
		if (d > t)
			break;
		if (guard > GUARD_TICKS)
			fail_msg("charger_next_deadline() stuck at %lld", (long long)d);
		if (d > f->now)
			f->now = d;
		charger_tick(f->ch, f->now);
		pump(f);
	}
	if (t > f->now)
		f->now = t;
	charger_tick(f->ch, f->now);
	pump(f);
}

static void advance(struct fx *f, int64_t ms)
{
	run_to(f, f->now + ms);
}

/* A manual fault reset (evsectl fault reset); the board then answers the
 * lock commands it caused. Returns the lock-outs lifted. */
static int reset(struct fx *f, int conn)
{
	int n = charger_fault_reset(f->ch, f->now, conn);
	pump(f);
	return n;
}

/* An EV plugs into c, a card starts its session and the EV draws. */
static void charging(struct fx *f, int c)
{
	charger_on_pp(f->ch, f->now, c, 32);
	cp(f, c, IEC_CP_B);
	int conn = 0;
	char card[8];
	snprintf(card, sizeof card, "CARD%d", c);
	assert_int_equal(charger_on_rfid(f->ch, f->now, card, &conn), SWIPE_STARTED);
	pump(f);
	assert_int_equal(conn, c);
	cp(f, c, IEC_CP_C);
	assert_int_equal(info(f, c).status, CS_CHARGING);
	assert_true(f->r.contactor[c]);
}

/* ---- the OCPP 1.6 vocabulary ------------------------------------------------ */

/* OCPP 1.6 ChargePointErrorCode (StatusNotification.req errorCode). */
static const char *const ocpp16_error_codes[] = {
    "ConnectorLockFailure", "EVCommunicationError", "GroundFailure",	 "HighTemperature",
    "InternalError",	    "LocalListConflict",    "NoError",		 "OtherError",
    "OverCurrentFailure",   "OverVoltage",	    "PowerMeterFailure", "PowerSwitchFailure",
    "ReaderFailure",	    "ResetFailure",	    "UnderVoltage",	 "WeakSignal",
};

static bool ocpp16_error_code(const char *s)
{
	for (size_t i = 0; i < sizeof ocpp16_error_codes / sizeof ocpp16_error_codes[0]; i++)
		if (strcmp(s, ocpp16_error_codes[i]) == 0)
			return true;
	return false;
}

/* The fault a connector reports over OCPP: the first of its faults in table
 * order (as ocpp_tx.c picks it). */
static const struct fault_def *reported_fault(uint32_t faults)
{
	for (int i = 0; i < FAULT_COUNT; i++)
		if (faults & (1u << i))
			return fault_def((enum fault_id)i);
	return NULL;
}

/* ---- one fault row through the charger -------------------------------------- */

struct row {
	struct fx *f;
	enum fault_id id;
	const struct fault_def *d;
	int where;	     /* 0: the charger (charger-wide fault), else the connector */
	bool hit[MAXC];	     /* connectors the fault concerns */
	int base_duty[MAXC]; /* PWM while charging before the fault */
	const char *phase;   /* what the test is doing, for failure messages */
};

#define EXPECT(x, cond)                                                                            \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_msg("%s, fault %s on %d, %s: expected %s [line %d]", (x)->f->profile, \
				 (x)->d->name, (x)->where, (x)->phase, #cond, __LINE__);           \
	} while (0)

static uint32_t bit(enum fault_id id)
{
	return 1u << id;
}

/* A fixture with every connector charging, and fault id to be raised on
 * target (a connector; charger-wide faults go to 0). */
static void row_begin(struct row *x, const char *profile, enum fault_id id, int target)
{
	memset(x, 0, sizeof *x);
	x->f = fx_new(profile);
	x->id = id;
	x->d = fault_def(id);
	x->where = x->d->charger_wide ? 0 : target;
	x->phase = "setup";
	for (int c = 1; c <= x->f->n; c++) {
		charging(x->f, c);
		x->hit[c] = x->d->charger_wide || c == target;
	}
	for (int c = 1; c <= x->f->n; c++)
		x->base_duty[c] = x->f->r.duty[c];
	EXPECT(x, x->f->r.fault_on[x->where][id] == 0);
}

static void row_end(struct row *x)
{
	fx_free(x->f);
}

static enum fault_state state_now(struct row *x)
{
	return protect_state(prot(x->f), x->where, x->id);
}

/* Every connector charges as before, with nothing reported. */
static void expect_all_charging(struct row *x)
{
	struct fx *f = x->f;
	for (int c = 1; c <= f->n; c++) {
		struct conn_info ci = info(f, c);
		EXPECT(x, f->r.contactor[c]);
		EXPECT(x, f->r.duty[c] == x->base_duty[c]);
		EXPECT(x, ci.status == CS_CHARGING);
		EXPECT(x, ci.faults == 0);
		EXPECT(x, !protect_blocks(prot(f), c));
	}
	EXPECT(x, state_now(x) == FS_OFF);
	EXPECT(x, protect_since(prot(f), x->where, x->id) == 0);
	EXPECT(x, (charger_faults(f->ch) & bit(x->id)) == 0);
}

/* The concerned connectors have no power and report the fault; the others
 * charge on (their offer may grow: the installer limit is theirs now). */
static void expect_blocked(struct row *x)
{
	struct fx *f = x->f;
	for (int c = 1; c <= f->n; c++) {
		struct conn_info ci = info(f, c);
		if (x->hit[c]) {
			EXPECT(x, !f->r.contactor[c]);
			EXPECT(x, f->r.duty[c] == IEC_DUTY_F);
			EXPECT(x, ci.status == CS_FAULTED);
			EXPECT(x, ci.offered_a == 0);
			EXPECT(x, ci.limit == LIM_FAULT);
			EXPECT(x, ci.in_session); /* the session waits for the restart */
			EXPECT(x, ci.faults == bit(x->id));
			EXPECT(x, protect_blocks(prot(f), c));
		} else {
			EXPECT(x, f->r.contactor[c]);
			EXPECT(x, iec_current_from_duty(f->r.duty[c]) >= IEC_MIN_CURRENT_A);
			EXPECT(x, ci.status == CS_CHARGING);
			EXPECT(x, ci.faults == 0);
			EXPECT(x, !protect_blocks(prot(f), c));
		}
	}
	if (x->d->charger_wide)
		EXPECT(x, charger_status0(f->ch) == CS_FAULTED);
}

/* Detection and reaction: the board reports the fault; in that same call
 * the contactors concerned open (once), PWM goes to F, status Faulted; the
 * fault is reported (bits, state, since, history event, status event). */
static void row_trip(struct row *x, enum fault_state expect_state)
{
	struct fx *f = x->f;
	int cmds[MAXC], st_events[MAXC];
	int on_before = f->r.fault_on[x->where][x->id];
	for (int c = 1; c <= f->n; c++) {
		cmds[c] = f->r.contactor_cmds[c];
		st_events[c] = f->r.status_events[c];
	}
	bool was_off = state_now(x) == FS_OFF;
	charger_on_fault(f->ch, f->now, x->where, x->id, true);
	/* No pump, no tick: all of this happened inside the call. */
	EXPECT(x, state_now(x) == expect_state);
	if (was_off) {
		EXPECT(x, protect_since(prot(f), x->where, x->id) == f->now);
		EXPECT(x, f->r.fault_on[x->where][x->id] == on_before + 1);
	}
	if (x->d->blocks_power) {
		for (int c = 1; c <= f->n; c++) {
			if (x->hit[c] && was_off)
				EXPECT(x, f->r.contactor_cmds[c] == cmds[c] + 1);
			if (!x->hit[c]) /* the others' contactors did not move */
				EXPECT(x, f->r.contactor_cmds[c] == cmds[c]);
		}
		expect_blocked(x);
	} else {
		for (int c = 1; c <= f->n; c++) {
			struct conn_info ci = info(f, c);
			EXPECT(x, f->r.contactor[c]);
			EXPECT(x, f->r.contactor_cmds[c] == cmds[c]);
			EXPECT(x, f->r.duty[c] == x->base_duty[c]);
			EXPECT(x, ci.status == CS_CHARGING);
			EXPECT(x, ci.faults == (x->hit[c] ? bit(x->id) : 0));
			EXPECT(x, !protect_blocks(prot(f), c));
		}
	}
	/* Reported: the status event goes out (StatusNotification), and the
	 * errorCode a concerned connector reports is the row's. */
	for (int c = 1; c <= f->n; c++) {
		if (!x->hit[c])
			continue;
		if (was_off)
			EXPECT(x, f->r.status_events[c] > st_events[c]);
		const struct fault_def *rep = reported_fault(info(f, c).faults);
		EXPECT(x, rep == x->d);
		EXPECT(x, ocpp16_error_code(rep->ocpp_error));
		EXPECT(x, strcmp(rep->ocpp_error, "NoError") != 0);
	}
	EXPECT(x, ((charger_faults(f->ch) & bit(x->id)) != 0) == x->d->charger_wide);
}

/* The input returns to normal (the board says so). */
static void row_clear(struct row *x)
{
	charger_on_fault(x->f->ch, x->f->now, x->where, x->id, false);
	pump(x->f);
}

/* Power is back (the restart happened): everything charges as before, the
 * fault history has its end. */
static void expect_restarted(struct row *x, int offs_before)
{
	expect_all_charging(x);
	EXPECT(x, x->f->r.fault_off[x->where][x->id] == offs_before + 1);
}

/* ---- RESTART_WHEN_CLEAR: power back as soon as the input is normal ---------- */

static void when_clear_row(const char *profile, enum fault_id id, int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	x.phase = "trip";
	row_trip(&x, FS_ACTIVE);
	x.phase = "input still on";
	advance(x.f, 10 * 60 * 1000);
	EXPECT(&x, state_now(&x) == FS_ACTIVE);
	if (x.d->blocks_power)
		expect_blocked(&x);
	EXPECT(&x, protect_since(prot(x.f), x.where, id) == T0);
	EXPECT(&x, protect_next_deadline(prot(x.f)) == INT64_MAX);
	x.phase = "a reset while the input is on";
	EXPECT(&x, reset(x.f, x.where) == 0);
	EXPECT(&x, state_now(&x) == FS_ACTIVE);
	x.phase = "input clears";
	int offs = x.f->r.fault_off[x.where][id];
	row_clear(&x);
	expect_restarted(&x, offs);
	EXPECT(&x, protect_restarts(prot(x.f), x.where, id) == 0);
	x.phase = "trips again";
	row_trip(&x, FS_ACTIVE);
	row_clear(&x);
	expect_restarted(&x, offs + 1);
	row_end(&x);
}

/* ---- RESTART_RECOVERY: back recovery_s after the input clears, at most
 * max_restarts times a session ------------------------------------------------ */

/* One trip that restarts: on for hold_ms, then recovery_s of normal input. */
static void recovery_cycle(struct row *x, int64_t hold_ms, int restarts_before)
{
	struct fx *f = x->f;
	int64_t rec_ms = (int64_t)x->d->recovery_s * 1000;
	x->phase = "trip";
	row_trip(x, FS_ACTIVE);
	EXPECT(x, protect_restarts(prot(f), x->where, x->id) == restarts_before);
	x->phase = "input still on";
	advance(f, hold_ms);
	EXPECT(x, state_now(x) == FS_ACTIVE);
	expect_blocked(x);
	EXPECT(x, protect_next_deadline(prot(f)) == INT64_MAX);
	x->phase = "recovering";
	int offs = f->r.fault_off[x->where][x->id];
	row_clear(x);
	int64_t cleared = f->now;
	EXPECT(x, state_now(x) == FS_RECOVERING);
	expect_blocked(x); /* reported and still blocking while recovering */
	EXPECT(x, protect_next_deadline(prot(f)) == cleared + rec_ms);
	EXPECT(x, charger_next_deadline(f->ch) <= cleared + rec_ms);
	run_to(f, cleared + rec_ms - 1);
	x->phase = "1 ms before the end of the recovery";
	EXPECT(x, state_now(x) == FS_RECOVERING);
	expect_blocked(x);
	EXPECT(x, f->r.fault_off[x->where][x->id] == offs);
	run_to(f, cleared + rec_ms);
	x->phase = "recovery time over";
	expect_restarted(x, offs);
	EXPECT(x, protect_restarts(prot(f), x->where, x->id) == restarts_before + 1);
}

/* The session on every concerned connector ends (unplug) and a new one
 * starts. */
static void new_sessions(struct row *x)
{
	for (int c = 1; c <= x->f->n; c++) {
		if (!x->hit[c])
			continue;
		cp(x->f, c, IEC_CP_A);
		EXPECT(x, !info(x->f, c).in_session);
		charging(x->f, c);
		EXPECT(x, x->f->r.duty[c] == x->base_duty[c]);
	}
}

static void recovery_row(const char *profile, enum fault_id id, int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	struct fx *f = x.f;
	int max = x.d->max_restarts;
	int64_t rec_ms = (int64_t)x.d->recovery_s * 1000;

	recovery_cycle(&x, 60000, 0);
	/* A new trip during the recovery: the recovery starts again when the
	 * input clears again, and counts once. */
	x.phase = "trip during recovery";
	row_trip(&x, FS_ACTIVE);
	row_clear(&x);
	advance(f, rec_ms / 3);
	row_trip(&x, FS_ACTIVE);
	EXPECT(&x, protect_since(prot(f), x.where, id) != 0);
	advance(f, 1000);
	row_clear(&x);
	int64_t cleared = f->now;
	run_to(f, cleared + rec_ms - 1);
	x.phase = "second recovery not over";
	EXPECT(&x, state_now(&x) == FS_RECOVERING);
	expect_blocked(&x);
	int offs = f->r.fault_off[x.where][id];
	run_to(f, cleared + rec_ms);
	x.phase = "second recovery over";
	expect_restarted(&x, offs);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 2);
	for (int k = 2; k < max; k++)
		recovery_cycle(&x, 5000, k);

	/* One trip more than allowed in this session: locked out. */
	x.phase = "trip after the last restart";
	row_trip(&x, FS_LOCKED);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == max);
	EXPECT(&x, protect_next_deadline(prot(f)) == INT64_MAX);
	x.phase = "locked, input on, reset";
	EXPECT(&x, reset(f, x.where) == 0);
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	row_clear(&x);
	advance(f, HOUR_MS);
	x.phase = "locked, input normal for an hour";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	expect_blocked(&x);
	x.phase = "reset";
	offs = f->r.fault_off[x.where][id];
	EXPECT(&x, reset(f, x.where) == 1);
	expect_restarted(&x, offs);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 0);

	/* A new session starts counting again. */
	for (int k = 0; k < max; k++)
		recovery_cycle(&x, 1000, k);
	x.phase = "new session";
	new_sessions(&x);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 0);
	recovery_cycle(&x, 1000, 0);
	row_end(&x);
}

/* The count is per session also when the session ends while the fault is
 * still active (the driver unplugs a car that stopped charging). */
static void recovery_row_session_ends_during_fault(const char *profile, enum fault_id id,
						   int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	struct fx *f = x.f;
	int max = x.d->max_restarts;
	for (int k = 0; k < max - 1; k++)
		recovery_cycle(&x, 1000, k);
	x.phase = "last allowed trip, then unplug";
	row_trip(&x, FS_ACTIVE);
	for (int c = 1; c <= f->n; c++)
		if (x.hit[c])
			cp(f, c, IEC_CP_A);
	row_clear(&x);
	advance(f, (int64_t)x.d->recovery_s * 1000);
	EXPECT(&x, state_now(&x) == FS_OFF);
	x.phase = "new session after a session ended during the fault";
	for (int c = 1; c <= f->n; c++)
		if (x.hit[c])
			charging(f, c);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 0);
	row_trip(&x, FS_ACTIVE);
	row_end(&x);
}

/* ---- RESTART_REGION_RCD --------------------------------------------------- */

/* IEC: locked out at the trip; only a reset after the input cleared lifts it. */
static void rcd_iec_row(const char *profile, enum fault_id id, int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	struct fx *f = x.f;
	x.phase = "trip";
	row_trip(&x, FS_LOCKED);
	EXPECT(&x, protect_next_deadline(prot(f)) == INT64_MAX);
	x.phase = "reset while the input is on";
	EXPECT(&x, reset(f, x.where) == 0);
	EXPECT(&x, reset(f, 0) == 0);
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	expect_blocked(&x);
	advance(f, HOUR_MS);
	x.phase = "input on for an hour";
	expect_blocked(&x);
	row_clear(&x);
	x.phase = "input cleared";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	expect_blocked(&x);
	advance(f, 24 * HOUR_MS);
	x.phase = "input normal for a day";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	expect_blocked(&x);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 0);
	if (f->n > 1) {
		x.phase = "reset of the other connector";
		EXPECT(&x, reset(f, x.where == 1 ? 2 : 1) == 0);
		expect_blocked(&x);
	}
	x.phase = "reset";
	int offs = f->r.fault_off[x.where][id];
	EXPECT(&x, reset(f, x.where) == 1);
	expect_restarted(&x, offs);
	x.phase = "second trip, reset of the whole charger";
	row_trip(&x, FS_LOCKED);
	row_clear(&x);
	expect_blocked(&x);
	EXPECT(&x, reset(f, 0) == 1);
	expect_restarted(&x, offs + 1);
	row_end(&x);
}

/* UL 2231: a retry every retry_s; power is back at the first retry that
 * finds the input normal; locked out after max_restarts failed retries. */
static void rcd_ul_row(const char *profile, enum fault_id id, int target)
{
	struct row x;
	int64_t retry;

	/* Cleared before the first retry: back at that retry, not before. */
	row_begin(&x, profile, id, target);
	retry = (int64_t)x.d->retry_s * 1000;
	int64_t t = x.f->now;
	x.phase = "trip";
	row_trip(&x, FS_RETRY_WAIT);
	EXPECT(&x, protect_next_deadline(prot(x.f)) == t + retry);
	advance(x.f, 5000);
	row_clear(&x);
	x.phase = "input cleared, waiting for the retry";
	EXPECT(&x, state_now(&x) == FS_RETRY_WAIT);
	expect_blocked(&x);
	run_to(x.f, t + retry - 1);
	x.phase = "1 ms before the first retry";
	expect_blocked(&x);
	int offs = x.f->r.fault_off[x.where][id];
	run_to(x.f, t + retry);
	x.phase = "first retry, input normal";
	expect_restarted(&x, offs);
	EXPECT(&x, protect_restarts(prot(x.f), x.where, id) == 1);
	row_end(&x);

	/* Still on at the first retry, cleared after it: back at the second. */
	row_begin(&x, profile, id, target);
	t = x.f->now;
	x.phase = "trip";
	row_trip(&x, FS_RETRY_WAIT);
	run_to(x.f, t + retry);
	x.phase = "first retry failed";
	EXPECT(&x, state_now(&x) == FS_RETRY_WAIT);
	EXPECT(&x, protect_restarts(prot(x.f), x.where, id) == 1);
	EXPECT(&x, protect_next_deadline(prot(x.f)) == t + 2 * retry);
	expect_blocked(&x);
	advance(x.f, retry / 3);
	row_clear(&x);
	x.phase = "cleared between the retries";
	expect_blocked(&x);
	run_to(x.f, t + 2 * retry - 1);
	expect_blocked(&x);
	offs = x.f->r.fault_off[x.where][id];
	run_to(x.f, t + 2 * retry);
	x.phase = "second retry, input normal";
	expect_restarted(&x, offs);
	row_end(&x);

	/* On through every retry: locked out after max_restarts of them. */
	row_begin(&x, profile, id, target);
	t = x.f->now;
	x.phase = "trip";
	row_trip(&x, FS_RETRY_WAIT);
	for (int k = 1; k < x.d->max_restarts; k++) {
		run_to(x.f, t + k * retry);
		x.phase = "failed retry";
		EXPECT(&x, state_now(&x) == FS_RETRY_WAIT);
		EXPECT(&x, protect_restarts(prot(x.f), x.where, id) == k);
		expect_blocked(&x);
	}
	run_to(x.f, t + x.d->max_restarts * retry);
	x.phase = "last retry failed";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	EXPECT(&x, protect_next_deadline(prot(x.f)) == INT64_MAX);
	expect_blocked(&x);
	x.phase = "locked, reset while the input is on";
	EXPECT(&x, reset(x.f, x.where) == 0);
	row_clear(&x);
	advance(x.f, 24 * HOUR_MS);
	x.phase = "locked, input normal for a day";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	expect_blocked(&x);
	offs = x.f->r.fault_off[x.where][id];
	x.phase = "reset";
	EXPECT(&x, reset(x.f, x.where) == 1);
	expect_restarted(&x, offs);
	EXPECT(&x, protect_restarts(prot(x.f), x.where, id) == 0);
	row_end(&x);
}

/* protect.h: "a session ended on conn: its restart counters start again",
 * also when it ends while the fault waits for a retry. */
static void rcd_ul_row_session_ends_during_fault(const char *profile, enum fault_id id, int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	struct fx *f = x.f;
	int64_t retry = (int64_t)x.d->retry_s * 1000;
	int64_t t = f->now;
	x.phase = "trip, failed retries";
	row_trip(&x, FS_RETRY_WAIT);
	run_to(f, t + (x.d->max_restarts - 1) * retry);
	EXPECT(&x, state_now(&x) == FS_RETRY_WAIT);
	x.phase = "unplug, input clears, last retry";
	for (int c = 1; c <= f->n; c++)
		if (x.hit[c])
			cp(f, c, IEC_CP_A);
	row_clear(&x);
	run_to(f, t + x.d->max_restarts * retry);
	EXPECT(&x, state_now(&x) == FS_OFF);
	x.phase = "new session after a session ended during the fault";
	for (int c = 1; c <= f->n; c++)
		if (x.hit[c])
			charging(f, c);
	EXPECT(&x, protect_restarts(prot(f), x.where, id) == 0);
	row_trip(&x, FS_RETRY_WAIT);
	row_end(&x);
}

/* ---- RESTART_MANUAL: locked out until a reset ------------------------------ */

static void manual_row(const char *profile, enum fault_id id, int target)
{
	struct row x;
	row_begin(&x, profile, id, target);
	struct fx *f = x.f;
	x.phase = "trip";
	row_trip(&x, FS_LOCKED);
	EXPECT(&x, protect_next_deadline(prot(f)) == INT64_MAX);
	x.phase = "reset while the input is on";
	EXPECT(&x, reset(f, x.where) == 0);
	EXPECT(&x, reset(f, 0) == 0);
	expect_blocked(&x);
	row_clear(&x);
	advance(f, 24 * HOUR_MS);
	x.phase = "input normal for a day";
	EXPECT(&x, state_now(&x) == FS_LOCKED);
	EXPECT(&x, protect_since(prot(f), x.where, id) == T0);
	expect_blocked(&x);
	x.phase = "reset";
	int offs = f->r.fault_off[x.where][id];
	EXPECT(&x, reset(f, x.where) == 1);
	expect_restarted(&x, offs);
	row_end(&x);
}

/* ---- the cases: one per restart rule and profile, looping over the rows ---- */

typedef void (*row_fn)(const char *profile, enum fault_id id, int target);

/* Run fn for every row with rule r: connector faults on each connector of
 * the profile, charger-wide faults on the charger. Returns the rows run. */
static int each_row(const char *profile, enum restart_rule r, row_fn fn)
{
	enum profile_id p;
	assert_true(profile_find(profile, &p));
	int n = profile_get(p)->connectors;
	int rows = 0;
	for (int i = 0; i < FAULT_COUNT; i++) {
		const struct fault_def *d = fault_def((enum fault_id)i);
		if (d->restart != r)
			continue;
		rows++;
		for (int c = 1; c <= (d->charger_wide ? 1 : n); c++)
			fn(profile, (enum fault_id)i, c);
	}
	return rows;
}

static void when_clear_io7(void **state)
{
	(void)state;
	assert_true(each_row("io7", RESTART_WHEN_CLEAR, when_clear_row) > 0);
}

static void when_clear_mq200(void **state)
{
	(void)state;
	assert_true(each_row("mq200", RESTART_WHEN_CLEAR, when_clear_row) > 0);
}

static void when_clear_evplus(void **state)
{
	(void)state;
	assert_true(each_row("evplus", RESTART_WHEN_CLEAR, when_clear_row) > 0);
}

static void recovery_io7(void **state)
{
	(void)state;
	assert_true(each_row("io7", RESTART_RECOVERY, recovery_row) > 0);
}

static void recovery_mq200(void **state)
{
	(void)state;
	assert_true(each_row("mq200", RESTART_RECOVERY, recovery_row) > 0);
}

static void recovery_evplus(void **state)
{
	(void)state;
	assert_true(each_row("evplus", RESTART_RECOVERY, recovery_row) > 0);
}

static void recovery_count_is_per_session_when_it_ends_during_fault(void **state)
{
	(void)state;
	assert_true(each_row("io7", RESTART_RECOVERY, recovery_row_session_ends_during_fault) > 0);
}

static void rcd_iec_io7(void **state)
{
	(void)state;
	assert_true(each_row("io7", RESTART_REGION_RCD, rcd_iec_row) > 0);
}

static void rcd_ul2231_mq200(void **state)
{
	(void)state;
	assert_true(each_row("mq200", RESTART_REGION_RCD, rcd_ul_row) > 0);
}

static void rcd_ul2231_count_is_per_session_when_it_ends_during_fault(void **state)
{
	(void)state;
	assert_true(each_row("mq200", RESTART_REGION_RCD, rcd_ul_row_session_ends_during_fault) >
		    0);
}

static void rcd_iec_evplus(void **state)
{
	(void)state;
	assert_true(each_row("evplus", RESTART_REGION_RCD, rcd_iec_row) > 0);
}

static void manual_io7(void **state)
{
	(void)state;
	assert_true(each_row("io7", RESTART_MANUAL, manual_row) > 0);
}

static void manual_mq200(void **state)
{
	(void)state;
	assert_true(each_row("mq200", RESTART_MANUAL, manual_row) > 0);
}

static void manual_evplus(void **state)
{
	(void)state;
	assert_true(each_row("evplus", RESTART_MANUAL, manual_row) > 0);
}

/* ---- the table itself ------------------------------------------------------ */

static bool name_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

static void table_rows_are_complete(void **state)
{
	(void)state;
	for (int i = 0; i < FAULT_COUNT; i++) {
		const struct fault_def *d = fault_def((enum fault_id)i);
		if (!d)
			fail_msg("fault %d has no row", i);
#define ROW_OK(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_msg("fault row %d (%s): expected %s", i, d->name ? d->name : "?",     \
				 #cond);                                                           \
	} while (0)
		ROW_OK(d->name && d->name[0] && name_chars_ok(d->name));
		enum fault_id found;
		ROW_OK(fault_find(d->name, &found) && found == (enum fault_id)i);
		ROW_OK(d->ocpp_error && ocpp16_error_code(d->ocpp_error));
		ROW_OK(strcmp(d->ocpp_error, "NoError") != 0);
		/* vendorErrorCode and info are CiString50Type in OCPP 1.6. */
		ROW_OK(d->vendor_code && d->vendor_code[0] && strlen(d->vendor_code) <= 50);
		ROW_OK(d->text && d->text[0] && strlen(d->text) <= 50);
		ROW_OK(d->io7_led && d->io7_led[0]);
		ROW_OK(d->display && (d->display[0] == 0 || strncmp(d->display, "ERR ", 4) == 0));
		ROW_OK(d->severity >= SEV_WARNING && d->severity <= SEV_CRITICAL);
		ROW_OK(d->restart >= RESTART_WHEN_CLEAR && d->restart <= RESTART_MANUAL);
		/* A fault that forbids nothing has nothing to restart. */
		ROW_OK(d->blocks_power || d->restart == RESTART_WHEN_CLEAR);
		ROW_OK(d->recovery_s >= 0 && d->retry_s >= 0 && d->max_restarts >= 0);
		if (d->restart == RESTART_RECOVERY)
			ROW_OK(d->recovery_s > 0 && d->max_restarts > 0);
		if (d->restart == RESTART_REGION_RCD)
			ROW_OK(d->retry_s > 0 && d->max_restarts > 0);
		for (int j = 0; j < i; j++)
			ROW_OK(strcmp(fault_def((enum fault_id)j)->name, d->name) != 0);
#undef ROW_OK
	}
	assert_null(fault_def(FAULT_COUNT));
	assert_null(fault_def((enum fault_id) - 1));
	enum fault_id id;
	assert_false(fault_find("no_such_fault", &id));
	/* The rules of A11 as the issue states them. */
	assert_int_equal(fault_def(FAULT_OVERCURRENT)->restart, RESTART_RECOVERY);
	assert_int_equal(fault_def(FAULT_OVERCURRENT)->recovery_s, 30);
	assert_int_equal(fault_def(FAULT_OVERCURRENT)->max_restarts, 3);
	assert_int_equal(fault_def(FAULT_RCD)->restart, RESTART_REGION_RCD);
	assert_int_equal(fault_def(FAULT_RCD)->retry_s, 15 * 60);
	assert_int_equal(fault_def(FAULT_RCD)->max_restarts, 3);
	assert_int_equal(fault_def(FAULT_OVERVOLTAGE)->restart, RESTART_WHEN_CLEAR);
	assert_int_equal(fault_def(FAULT_UNDERVOLTAGE)->restart, RESTART_WHEN_CLEAR);
	assert_int_equal(fault_def(FAULT_OVERTEMP)->restart, RESTART_WHEN_CLEAR);
	assert_string_equal(fault_def(FAULT_OVERCURRENT)->ocpp_error, "OverCurrentFailure");
	assert_string_equal(fault_def(FAULT_RCD)->ocpp_error, "GroundFailure");
	assert_string_equal(fault_def(FAULT_RELAY_WELDED)->ocpp_error, "PowerSwitchFailure");
	assert_string_equal(fault_def(FAULT_LOCK)->ocpp_error, "ConnectorLockFailure");
	/* The regions the profiles follow. */
	assert_int_equal(profile_get(PROFILE_IO7)->region, REGION_IEC);
	assert_int_equal(profile_get(PROFILE_EVPLUS)->region, REGION_IEC);
	assert_int_equal(profile_get(PROFILE_MQ200)->region, REGION_UL2231);
}

/* ---- detection from the board's own signals -------------------------------- */

static void detected_from_board_signals(void **state)
{
	(void)state;
	/* A pilot at 0 V (state E) is the CP fault. */
	struct fx *f = fx_new("io7");
	charging(f, 1);
	charger_on_cp(f->ch, f->now, 1, IEC_CP_E);
	assert_false(f->r.contactor[1]);
	assert_int_equal(info(f, 1).faults, bit(FAULT_CP));
	assert_int_equal(protect_state(prot(f), 1, FAULT_CP), FS_ACTIVE);
	assert_int_equal(f->r.fault_on[1][FAULT_CP], 1);
	cp(f, 1, IEC_CP_C);
	assert_true(f->r.contactor[1]);
	assert_int_equal(f->r.fault_off[1][FAULT_CP], 1);
	fx_free(f);

	/* The lock does not close: the lock fault, and no power. */
	f = fx_new("io7");
	f->r.lock_fails = true;
	charger_on_pp(f->ch, f->now, 1, 32);
	cp(f, 1, IEC_CP_B);
	int conn;
	assert_int_equal(charger_on_rfid(f->ch, f->now, "CARD1", &conn), SWIPE_STARTED);
	pump(f);
	cp(f, 1, IEC_CP_C);
	assert_false(f->r.contactor[1]);
	assert_int_equal(info(f, 1).faults, bit(FAULT_LOCK));
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	assert_int_equal(f->r.fault_on[1][FAULT_LOCK], 1);
	fx_free(f);

	/* Voltage after an open contactor: a welded relay, locked out. */
	f = fx_new("evplus");
	charging(f, 1);
	struct meter_reading m = {.energy_wh = 10, .power_w = 7000, .output_v = 230};
	charger_on_meter(f->ch, f->now, 1, &m);
	cp(f, 1, IEC_CP_B);
	assert_false(f->r.contactor[1]);
	advance(f, 600); /* a reading once the contactor had time to open */
	charger_on_meter(f->ch, f->now, 1, &m);
	advance(f, 400);
	assert_int_equal(info(f, 1).faults, bit(FAULT_RELAY_WELDED));
	assert_int_equal(protect_state(prot(f), 1, FAULT_RELAY_WELDED), FS_LOCKED);
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	fx_free(f);
}

/* ---- protect.c directly ------------------------------------------------------ */

static void protect_deadlines(void **state)
{
	(void)state;
	struct protect *p = protect_new(2, REGION_UL2231);
	assert_non_null(p);
	assert_int_equal(protect_next_deadline(p), INT64_MAX);
	/* Active: no deadline; recovering: the end of the recovery. */
	assert_true(protect_input(p, 1000, 1, FAULT_OVERCURRENT, true));
	assert_int_equal(protect_next_deadline(p), INT64_MAX);
	assert_true(protect_input(p, 5000, 1, FAULT_OVERCURRENT, false));
	assert_int_equal(protect_next_deadline(p), 35000);
	/* A UL 2231 residual current trip on connector 2: its retry. */
	assert_true(protect_input(p, 6000, 2, FAULT_RCD, true));
	assert_int_equal(protect_state(p, 2, FAULT_RCD), FS_RETRY_WAIT);
	assert_int_equal(protect_next_deadline(p), 35000);
	protect_tick(p, 34999);
	assert_int_equal(protect_state(p, 1, FAULT_OVERCURRENT), FS_RECOVERING);
	protect_tick(p, 35000);
	assert_int_equal(protect_state(p, 1, FAULT_OVERCURRENT), FS_OFF);
	assert_int_equal(protect_next_deadline(p), 6000 + 900000);
	/* A failed retry: the next one. */
	protect_tick(p, 906000);
	assert_int_equal(protect_next_deadline(p), 906000 + 900000);
	/* Locked: no deadline. */
	assert_true(protect_input(p, 907000, 1, FAULT_RELAY_WELDED, true));
	assert_int_equal(protect_next_deadline(p), 906000 + 900000);
	protect_tick(p, 1806000);
	protect_tick(p, 2706000);
	assert_int_equal(protect_state(p, 2, FAULT_RCD), FS_LOCKED);
	assert_int_equal(protect_next_deadline(p), INT64_MAX);
	protect_free(p);

	/* IEC: a residual current trip is locked at once, without a deadline. */
	p = protect_new(1, REGION_IEC);
	assert_non_null(p);
	assert_true(protect_input(p, 1000, 1, FAULT_RCD_DC, true));
	assert_int_equal(protect_state(p, 1, FAULT_RCD_DC), FS_LOCKED);
	assert_int_equal(protect_next_deadline(p), INT64_MAX);
	protect_free(p);
}

static void protect_since_times(void **state)
{
	(void)state;
	struct protect *p = protect_new(2, REGION_IEC);
	assert_non_null(p);
	assert_int_equal(protect_since(p, 1, FAULT_OVERTEMP), 0);
	assert_true(protect_input(p, 1500, 1, FAULT_OVERTEMP, true));
	assert_int_equal(protect_since(p, 1, FAULT_OVERTEMP), 1500);
	/* The same input again changes nothing. */
	assert_false(protect_input(p, 2500, 1, FAULT_OVERTEMP, true));
	assert_int_equal(protect_since(p, 1, FAULT_OVERTEMP), 1500);
	assert_int_equal(protect_since(p, 2, FAULT_OVERTEMP), 0);
	assert_true(protect_input(p, 3000, 1, FAULT_OVERTEMP, false));
	assert_int_equal(protect_since(p, 1, FAULT_OVERTEMP), 0);
	/* A fault that trips again while recovering began with the first
	 * trip: it was never off in between. */
	assert_true(protect_input(p, 4000, 2, FAULT_OVERCURRENT, true));
	assert_true(protect_input(p, 5000, 2, FAULT_OVERCURRENT, false));
	assert_int_equal(protect_since(p, 2, FAULT_OVERCURRENT), 4000);
	assert_true(protect_input(p, 6000, 2, FAULT_OVERCURRENT, true));
	assert_int_equal(protect_since(p, 2, FAULT_OVERCURRENT), 4000);
	assert_true(protect_input(p, 7000, 2, FAULT_OVERCURRENT, false));
	protect_tick(p, 37000);
	assert_int_equal(protect_since(p, 2, FAULT_OVERCURRENT), 0);
	/* Locked out: since stays until the reset. */
	assert_true(protect_input(p, 40000, 1, FAULT_TILT, true));
	assert_false(protect_input(p, 41000, 1, FAULT_TILT, false));
	assert_int_equal(protect_since(p, 0, FAULT_TILT), 40000);
	assert_int_equal(protect_reset(p, 50000, 0), 1);
	assert_int_equal(protect_since(p, 0, FAULT_TILT), 0);
	protect_free(p);
}

static void protect_restart_counts(void **state)
{
	(void)state;
	struct protect *p = protect_new(2, REGION_IEC);
	assert_non_null(p);
	int64_t t = 1000;
	for (int k = 0; k < 3; k++) {
		assert_int_equal(protect_restarts(p, 1, FAULT_OVERCURRENT), k);
		assert_true(protect_input(p, t, 1, FAULT_OVERCURRENT, true));
		assert_true(protect_input(p, t + 100, 1, FAULT_OVERCURRENT, false));
		protect_tick(p, t + 100 + 30000);
		assert_int_equal(protect_state(p, 1, FAULT_OVERCURRENT), FS_OFF);
		t += 60000;
	}
	assert_int_equal(protect_restarts(p, 1, FAULT_OVERCURRENT), 3);
	assert_int_equal(protect_restarts(p, 2, FAULT_OVERCURRENT), 0);
	/* The session ends: the count starts again. */
	protect_session_end(p, 2); /* another connector's session: not this count */
	assert_int_equal(protect_restarts(p, 1, FAULT_OVERCURRENT), 3);
	protect_session_end(p, 1);
	assert_int_equal(protect_restarts(p, 1, FAULT_OVERCURRENT), 0);
	/* The fourth trip in a session locks out; a reset clears the count. */
	for (int k = 0; k < 3; k++) {
		assert_true(protect_input(p, t, 1, FAULT_OVERCURRENT, true));
		assert_true(protect_input(p, t + 100, 1, FAULT_OVERCURRENT, false));
		protect_tick(p, t + 100 + 30000);
		t += 60000;
	}
	assert_true(protect_input(p, t, 1, FAULT_OVERCURRENT, true));
	assert_int_equal(protect_state(p, 1, FAULT_OVERCURRENT), FS_LOCKED);
	assert_false(protect_input(p, t + 100, 1, FAULT_OVERCURRENT, false));
	assert_int_equal(protect_reset(p, t + 200, 1), 1);
	assert_int_equal(protect_restarts(p, 1, FAULT_OVERCURRENT), 0);
	assert_int_equal(protect_reset(p, t + 300, 1), 0);
	/* Out of range: nothing. */
	assert_int_equal(protect_restarts(p, 3, FAULT_OVERCURRENT), 0);
	assert_int_equal(protect_restarts(p, 1, FAULT_COUNT), 0);
	protect_free(p);
}

static void protect_state_names(void **state)
{
	(void)state;
	assert_string_equal(fault_state_name(FS_OFF), "off");
	assert_string_equal(fault_state_name(FS_ACTIVE), "active");
	assert_string_equal(fault_state_name(FS_RECOVERING), "recovering");
	assert_string_equal(fault_state_name(FS_RETRY_WAIT), "retry_wait");
	assert_string_equal(fault_state_name(FS_LOCKED), "locked");
	assert_string_equal(fault_state_name((enum fault_state)99), "off");
	assert_string_equal(fault_state_name((enum fault_state) - 1), "off");
}

static void protect_charger_wide_on_zero(void **state)
{
	(void)state;
	struct protect *p = protect_new(2, REGION_IEC);
	assert_non_null(p);
	/* Given on connector 2, a charger-wide fault is the charger's. */
	assert_true(protect_input(p, 1000, 2, FAULT_OVERVOLTAGE, true));
	for (int c = 0; c <= 2; c++) {
		assert_int_equal(protect_state(p, c, FAULT_OVERVOLTAGE), FS_ACTIVE);
		assert_int_equal(protect_since(p, c, FAULT_OVERVOLTAGE), 1000);
		assert_int_equal(protect_reported(p, c), bit(FAULT_OVERVOLTAGE));
		assert_true(protect_blocks(p, c));
	}
	/* The same input from elsewhere is the same fault. */
	assert_false(protect_input(p, 2000, 1, FAULT_OVERVOLTAGE, true));
	assert_true(protect_input(p, 3000, 0, FAULT_OVERVOLTAGE, false));
	for (int c = 0; c <= 2; c++) {
		assert_int_equal(protect_reported(p, c), 0);
		assert_false(protect_blocks(p, c));
	}
	/* A connector fault stays on its connector; the charger (0) and the
	 * other connector do not report it. */
	assert_true(protect_input(p, 4000, 1, FAULT_OVERTEMP, true));
	assert_int_equal(protect_reported(p, 1), bit(FAULT_OVERTEMP));
	assert_int_equal(protect_reported(p, 2), 0);
	assert_int_equal(protect_reported(p, 0), 0);
	assert_false(protect_blocks(p, 0));
	assert_false(protect_blocks(p, 2));
	/* A non-blocking charger-wide fault: reported everywhere, blocks nothing. */
	assert_true(protect_input(p, 5000, 0, FAULT_FAN, true));
	assert_int_equal(protect_reported(p, 2), bit(FAULT_FAN));
	assert_int_equal(protect_reported(p, 1), bit(FAULT_OVERTEMP) | bit(FAULT_FAN));
	assert_false(protect_blocks(p, 2));
	/* Out of range: refused, nothing reported. */
	assert_false(protect_input(p, 6000, 3, FAULT_OVERTEMP, true));
	assert_false(protect_input(p, 6000, -1, FAULT_OVERTEMP, true));
	assert_false(protect_input(p, 6000, 1, FAULT_COUNT, true));
	assert_int_equal(protect_reported(p, 3), 0);
	assert_int_equal(protect_state(p, 3, FAULT_OVERTEMP), FS_OFF);
	protect_free(p);

	/* Through the charger: a charger-wide fault given on connector 1 is
	 * the charger's, and a connector fault given on 0 is refused. */
	struct fx *f = fx_new("io7");
	charging(f, 1);
	charging(f, 2);
	charger_on_fault(f->ch, f->now, 1, FAULT_UNDERVOLTAGE, true);
	assert_int_equal(charger_faults(f->ch), bit(FAULT_UNDERVOLTAGE));
	assert_int_equal(f->r.fault_on[0][FAULT_UNDERVOLTAGE], 1);
	assert_int_equal(f->r.fault_on[1][FAULT_UNDERVOLTAGE], 0);
	assert_false(f->r.contactor[1] || f->r.contactor[2]);
	charger_on_fault(f->ch, f->now, 2, FAULT_UNDERVOLTAGE, false);
	pump(f);
	assert_true(f->r.contactor[1] && f->r.contactor[2]);
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERTEMP, true);
	assert_true(f->r.contactor[1] && f->r.contactor[2]);
	assert_int_equal(charger_faults(f->ch), 0);
	fx_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(table_rows_are_complete),
    cmocka_unit_test(when_clear_io7),
    cmocka_unit_test(when_clear_mq200),
    cmocka_unit_test(when_clear_evplus),
    cmocka_unit_test(recovery_io7),
    cmocka_unit_test(recovery_mq200),
    cmocka_unit_test(recovery_evplus),
    cmocka_unit_test(recovery_count_is_per_session_when_it_ends_during_fault),
    cmocka_unit_test(rcd_iec_io7),
    cmocka_unit_test(rcd_ul2231_mq200),
    cmocka_unit_test(rcd_ul2231_count_is_per_session_when_it_ends_during_fault),
    cmocka_unit_test(rcd_iec_evplus),
    cmocka_unit_test(manual_io7),
    cmocka_unit_test(manual_mq200),
    cmocka_unit_test(manual_evplus),
    cmocka_unit_test(detected_from_board_signals),
    cmocka_unit_test(protect_deadlines),
    cmocka_unit_test(protect_since_times),
    cmocka_unit_test(protect_restart_counts),
    cmocka_unit_test(protect_state_names),
    cmocka_unit_test(protect_charger_wide_on_zero),
};

VCLOCK_MAIN("protect", tests)
