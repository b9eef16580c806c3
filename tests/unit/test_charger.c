/* SPDX-License-Identifier: MIT */
/*
 * The charger core under a virtual clock: every connector state-machine
 * transition (A1), PWM offers (A2), cable and lock (A4), arbitration with
 * reasons (A6), sessions (A9), local authorization and free charging (B2,
 * A10), the DIP switch (A7) and faults forbidding power. A recording board
 * acknowledges lock commands; the tests move the pilot by hand.
 */
#include <stdio.h>
#include <string.h>

#include "core/charger.h"
#include "vclock.h"

#define MAXC 5

struct rec {
	int duty[MAXC];
	bool contactor[MAXC];
	int phases[MAXC];
	bool lock[MAXC];
	bool lock_acked[MAXC];
	char led[MAXC][32];
	int contactor_cmds;
	int beeps_ok, beeps_bad;
	enum conn_status status[MAXC];
	struct chg_session started[8], stopped[8];
	int nstart, nstop;
	int64_t next_number;
	bool refuse_start;
	bool lock_fails;
};

struct fx {
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct rec r;
	int64_t now;
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
	r->contactor_cmds++;
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
	struct rec *r = u;
	if (k == BEEP_ACCEPT)
		r->beeps_ok++;
	else
		r->beeps_bad++;
}

static int64_t e_start(void *u, const struct chg_session *s)
{
	struct rec *r = u;
	if (r->refuse_start)
		return -1;
	r->started[r->nstart++ % 8] = *s;
	return ++r->next_number;
}

static void e_stop(void *u, const struct chg_session *s)
{
	struct rec *r = u;
	r->stopped[r->nstop++ % 8] = *s;
}

static void e_status(void *u, int c, enum conn_status st)
{
	((struct rec *)u)->status[c] = st;
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

static struct fx *fx_new(const char *profile, const char *const *sets)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	enum profile_id p;
	assert_true(profile_find(profile, &p));
	f.s = settings_new(p);
	assert_non_null(f.s);
	char err[200];
	for (int i = 0; sets && sets[i]; i += 2)
		assert_int_equal(
		    settings_set(f.s, sets[i], sets[i + 1], SRC_CLI, err, sizeof err, NULL),
		    SET_OK);
	f.cards = auth_list_new(10);
	assert_int_equal(auth_list_add(f.cards, "CARD1"), AUTH_OK);
	assert_int_equal(auth_list_add(f.cards, "CARD2"), AUTH_OK);
	f.board = (struct board_ops){&f.r, b_pwm, b_contactor, b_lock, b_led, b_beep};
	f.ev = (struct chg_events){&f.r, e_start, e_stop, e_status, NULL};
	f.ch = charger_new(f.s, f.cards, &f.board, &f.ev);
	assert_non_null(f.ch);
	charger_set_clock(f.ch, 0, 1767225600000LL); /* 2026-01-01T00:00:00Z */
	f.now = 0;
	charger_start(f.ch, f.now);
	return &f;
}

static void fx_free(struct fx *f)
{
	charger_free(f->ch);
	auth_list_free(f->cards);
	settings_free(f->s);
}

static void cp(struct fx *f, int c, enum iec_cp level)
{
	charger_on_cp(f->ch, f->now, c, level);
	pump(f);
}

/* An EV with a cable of rating_a plugs into connector c (state B). */
static void plug(struct fx *f, int c, double rating_a)
{
	charger_on_pp(f->ch, f->now, c, rating_a);
	cp(f, c, IEC_CP_B);
}

static enum swipe_result swipe(struct fx *f, const char *uid, int *conn)
{
	int dummy;
	enum swipe_result r = charger_on_rfid(f->ch, f->now, uid, conn ? conn : &dummy);
	pump(f);
	return r;
}

static void advance(struct fx *f, int64_t ms)
{
	f->now += ms;
	charger_tick(f->ch, f->now);
	pump(f);
}

static struct conn_info info(struct fx *f, int c)
{
	struct conn_info ci;
	assert_true(charger_conn_info(f->ch, c, &ci));
	return ci;
}

static void set(struct fx *f, const char *key, const char *value)
{
	char err[200];
	assert_int_equal(settings_set(f->s, key, value, SRC_RUNTIME, err, sizeof err, NULL),
			 SET_OK);
	charger_settings_changed(f->ch, f->now);
	pump(f);
}

/* Plug, swipe CARD1 and let the EV draw: connector 1 charging. */
static void charging(struct fx *f, int c, const char *card)
{
	plug(f, c, 32);
	assert_int_equal(swipe(f, card, NULL), SWIPE_STARTED);
	cp(f, c, IEC_CP_C);
	assert_int_equal(info(f, c).status, CS_CHARGING);
}

/* ---- A1: idle, plug, pilot states -------------------------------------- */

static void idle_after_start(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	for (int c = 1; c <= 2; c++) {
		assert_int_equal(f->r.duty[c], IEC_DUTY_OFF);
		assert_false(f->r.contactor[c]);
		assert_int_equal(f->r.status[c], CS_AVAILABLE);
		assert_string_equal(f->r.led[c], "green");
		assert_int_equal(info(f, c).limit, LIM_NONE);
	}
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	fx_free(f);
}

static void plug_without_card_is_preparing(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1, 32);
	struct conn_info ci = info(f, 1);
	assert_int_equal(ci.status, CS_PREPARING);
	assert_int_equal(ci.cp, IEC_CP_B);
	assert_false(ci.pwm_on);
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF); /* B1: no PWM before authorization */
	assert_string_equal(f->r.led[1], "magenta");
	assert_false(f->r.lock[1]);
	/* The EV asking for power without a session gets nothing. */
	cp(f, 1, IEC_CP_C);
	assert_false(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	fx_free(f);
}

static void plug_first_then_card_starts_and_charges(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1, 32);
	int conn = 0;
	assert_int_equal(swipe(f, "card1", &conn), SWIPE_STARTED); /* case-insensitive */
	assert_int_equal(conn, 1);
	assert_int_equal(f->r.beeps_ok, 1);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(f->r.started[0].start_mode, START_RFID);
	assert_int_equal(f->r.started[0].start_utc, 1767225600);
	assert_true(f->r.lock[1]);	     /* socket locked before power */
	assert_int_equal(f->r.duty[1], 533); /* B2: 32 A */
	struct conn_info ci = info(f, 1);
	assert_int_equal(ci.status, CS_SUSPENDED_EV);
	assert_true(ci.in_session);
	assert_int_equal(ci.session.number, 1);
	assert_false(f->r.contactor[1]);
	cp(f, 1, IEC_CP_C);
	assert_true(f->r.contactor[1]);
	assert_int_equal(f->r.phases[1], 3);
	ci = info(f, 1);
	assert_int_equal(ci.status, CS_CHARGING);
	assert_string_equal(iec_cp_state_name(ci.cp, ci.pwm_on), "C2");
	assert_true(ci.offered_a == 32.0);
	assert_int_equal(ci.limit, LIM_HARDWARE);
	assert_string_equal(f->r.led[1], "blue-pulsing");
	fx_free(f);
}

static void ev_full_is_suspended_ev(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	cp(f, 1, IEC_CP_B); /* EV stops drawing */
	assert_false(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_SUSPENDED_EV);
	assert_true(info(f, 1).in_session);
	assert_int_equal(f->r.duty[1], 533); /* PWM stays: the EV may resume */
	cp(f, 1, IEC_CP_C);
	assert_true(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

static void unplug_stops_session(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	cp(f, 1, IEC_CP_A);
	assert_false(f->r.contactor[1]);
	assert_int_equal(f->r.nstop, 1);
	assert_int_equal(f->r.stopped[0].reason, STOP_EV_DISCONNECTED);
	assert_string_equal(f->r.stopped[0].stop_mode, "unplug");
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_false(f->r.lock[1]);
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	fx_free(f);
}

static void unplug_keeps_session_when_configured(void **state)
{
	(void)state;
	static const char *const sets[] = {"StopTransactionOnEVSideDisconnect", "false", NULL};
	struct fx *f = fx_new("io7", sets);
	charging(f, 1, "CARD1");
	cp(f, 1, IEC_CP_A);
	assert_int_equal(f->r.nstop, 0);
	assert_int_equal(info(f, 1).status, CS_SUSPENDED_EV);
	assert_false(f->r.contactor[1]);
	assert_false(f->r.lock[1]); /* UnlockConnectorOnEVSideDisconnect = true */
	plug(f, 1, 32);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	assert_int_equal(info(f, 1).session.number, 1);
	fx_free(f);
}

static void state_d_is_refused(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	cp(f, 1, IEC_CP_D);
	struct conn_info ci = info(f, 1);
	assert_false(f->r.contactor[1]);
	assert_int_equal(ci.status, CS_SUSPENDED_EVSE);
	assert_int_equal(ci.limit, LIM_VENTILATION);
	assert_true(ci.offered_a == 0);
	cp(f, 1, IEC_CP_B);
	assert_int_equal(info(f, 1).status, CS_SUSPENDED_EV);
	fx_free(f);
}

static void state_e_and_invalid_are_cp_faults(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	cp(f, 1, IEC_CP_E);
	struct conn_info ci = info(f, 1);
	assert_false(f->r.contactor[1]);
	assert_int_equal(ci.status, CS_FAULTED);
	assert_true(ci.faults & (1u << FAULT_CP));
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	cp(f, 1, IEC_CP_C);
	ci = info(f, 1);
	assert_false(ci.faults & (1u << FAULT_CP));
	assert_int_equal(ci.status, CS_CHARGING);
	cp(f, 1, IEC_CP_INVALID);
	assert_int_equal(info(f, 1).status, CS_FAULTED);
	assert_false(f->r.contactor[1]);
	fx_free(f);
}

static void state_f_from_ev_side_is_not_plugged(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	cp(f, 1, IEC_CP_F);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(f->r.nstart, 0);
	fx_free(f);
}

/* ---- A9: authorize first, timeouts, stop by tag -------------------------- */

static void authorize_first_then_plug(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	int conn = -1;
	assert_int_equal(swipe(f, "CARD1", &conn), SWIPE_PENDING);
	assert_int_equal(conn, 0);
	char id[32];
	assert_true(charger_pending_auth(f->ch, f->now, id, sizeof id));
	assert_string_equal(id, "CARD1");
	/* Two free connectors: neither is singled out. */
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(charger_next_deadline(f->ch), 120000);
	advance(f, 60000);
	plug(f, 2, 32);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(f->r.started[0].connector, 2);
	assert_string_equal(f->r.started[0].id_tag, "CARD1");
	assert_false(charger_pending_auth(f->ch, f->now, id, sizeof id));
	assert_int_equal(info(f, 2).status, CS_SUSPENDED_EV);
	fx_free(f);
}

static void authorize_first_single_connector_is_preparing(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	fx_free(f);
}

static void connection_timeout_expires(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	advance(f, 119999);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	advance(f, 1);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 0);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	fx_free(f);
}

static void stop_by_same_tag_finishing_then_available(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	advance(f, 1000);
	int conn = 0;
	assert_int_equal(swipe(f, "CARD1", &conn), SWIPE_STOPPED);
	assert_int_equal(conn, 1);
	assert_int_equal(f->r.stopped[0].reason, STOP_LOCAL);
	assert_string_equal(f->r.stopped[0].stop_mode, "rfid");
	assert_int_equal(f->r.stopped[0].stop_utc, 1767225601);
	/* PWM withdrawn; the EV gets its grace time before the contactor opens. */
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	assert_true(f->r.contactor[1]);
	assert_int_equal(charger_next_deadline(f->ch), f->now + 3000);
	cp(f, 1, IEC_CP_B); /* the EV reacts */
	assert_false(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_FINISHING);
	assert_false(f->r.lock[1]); /* the driver can take the cable */
	cp(f, 1, IEC_CP_A);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(f->r.nstop, 1);
	fx_free(f);
}

static void ev_ignoring_stop_is_cut_after_grace(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STOPPED);
	advance(f, 2999);
	assert_true(f->r.contactor[1]);
	advance(f, 1);
	assert_false(f->r.contactor[1]);
	/* One more check: is the contactor really open (welded relay)? */
	assert_int_equal(charger_next_deadline(f->ch), f->now + 1000);
	advance(f, 1000);
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	assert_int_equal(info(f, 1).faults, 0);
	fx_free(f);
}

static void other_card_does_not_stop(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_PENDING);
	assert_true(info(f, 1).in_session);
	plug(f, 2, 32);
	assert_int_equal(info(f, 2).session.number, 2);
	fx_free(f);
}

static void new_card_on_finishing_connector_starts_new_session(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	charging(f, 1, "CARD1");
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STOPPED);
	cp(f, 1, IEC_CP_B);
	assert_int_equal(info(f, 1).status, CS_FINISHING);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_STARTED);
	assert_int_equal(info(f, 1).session.number, 2);
	fx_free(f);
}

static void plugged_earliest_gets_the_card(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 2, 32);
	advance(f, 1000);
	plug(f, 1, 32);
	int conn = 0;
	assert_int_equal(swipe(f, "CARD1", &conn), SWIPE_STARTED);
	assert_int_equal(conn, 2);
	fx_free(f);
}

/* ---- B1/B2: cards -------------------------------------------------------- */

static void card_pending_on_faulted_connector_starts_when_cleared(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charger_on_fault(f->ch, f->now, 1, FAULT_OVERTEMP, true);
	plug(f, 1, 32);
	char id[32];
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	charger_on_fault(f->ch, f->now, 1, FAULT_OVERTEMP, false);
	pump(f);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(f->r.started[0].connector, 1);
	assert_false(charger_pending_auth(f->ch, f->now, id, sizeof id));
	/* The card was used: another plug starts nothing. */
	plug(f, 2, 32);
	assert_int_equal(f->r.nstart, 1);
	fx_free(f);
}

static void card_starting_a_session_clears_its_pending_authorization(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_PENDING); /* replaces it */
	plug(f, 1, 32);
	assert_string_equal(f->r.started[0].id_tag, "CARD2");
	plug(f, 2, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	char id[32];
	assert_false(charger_pending_auth(f->ch, f->now, id, sizeof id));
	fx_free(f);
}

static void unknown_card_rejected_with_indication(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "STRANGER", NULL), SWIPE_REJECTED);
	assert_int_equal(f->r.beeps_bad, 1);
	assert_int_equal(f->r.nstart, 0);
	assert_string_equal(f->r.led[1], "red-white");
	assert_int_equal(charger_next_deadline(f->ch), 3000);
	advance(f, 3000);
	assert_string_equal(f->r.led[1], "magenta");
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	fx_free(f);
}

static void invalid_uid_and_disabled_reader(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(swipe(f, "", NULL), SWIPE_INVALID);
	assert_int_equal(swipe(f, "012345678901234567890", NULL), SWIPE_INVALID);
	assert_int_equal(swipe(f, "A B", NULL), SWIPE_INVALID);
	set(f, "auth.rfid_enabled", "false");
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_IGNORED);
	assert_int_equal(f->r.nstart, 0);
	fx_free(f);
}

static void free_charging_starts_on_plug(void **state)
{
	(void)state;
	static const char *const sets[] = {"auth.required", "false", NULL};
	struct fx *f = fx_new("io7", sets);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 1);
	assert_string_equal(f->r.started[0].id_tag, "default");
	assert_int_equal(f->r.started[0].start_mode, START_FREE);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

static void plug_and_charge_id(void **state)
{
	(void)state;
	static const char *const sets[] = {"auth.plug_and_charge_id", "PNC-0001", NULL};
	struct fx *f = fx_new("mq200", sets);
	plug(f, 1, 0);
	assert_int_equal(f->r.nstart, 1);
	assert_string_equal(f->r.started[0].id_tag, "PNC-0001");
	fx_free(f);
}

static void free_charging_switched_on_starts_waiting_ev(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 0);
	set(f, "auth.required", "false");
	assert_int_equal(f->r.nstart, 1);
	fx_free(f);
}

static void store_refusal_means_no_session(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	f->r.refuse_start = true;
	plug(f, 1, 32);
	/* Accepted and the cable locked, but the session cannot be recorded:
	 * nothing starts and the cable is released. */
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	assert_false(f->r.contactor[1]);
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	assert_false(info(f, 1).in_session);
	assert_false(f->r.lock[1]);
	/* Tethered: the store is asked at once. */
	fx_free(f);
	f = fx_new("mq200", NULL);
	f->r.refuse_start = true;
	plug(f, 1, 0);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_FAILED);
	fx_free(f);
}

/* ---- A4: cable and lock -------------------------------------------------- */

static void cable_rating_limits_offer(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1, 20);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 20.0);
	assert_int_equal(ci.limit, LIM_CABLE);
	assert_int_equal(f->r.duty[1], 333);
	charger_on_pp(f->ch, f->now, 1, 13);
	assert_int_equal(f->r.duty[1], 216);
	/* A cable of no known rating: nothing is offered. */
	charger_on_pp(f->ch, f->now, 1, 0);
	ci = info(f, 1);
	assert_true(ci.offered_a == 0);
	assert_int_equal(ci.limit, LIM_CABLE);
	assert_int_equal(ci.status, CS_SUSPENDED_EVSE);
	fx_free(f);
}

static void lock_failure_refuses_power(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	f->r.lock_fails = true;
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	struct conn_info ci = info(f, 1);
	/* The cable could not be locked: no session at all (OCTT TC_024). */
	assert_int_equal(f->r.nstart, 0);
	assert_false(ci.in_session);
	assert_true(ci.faults & (1u << FAULT_LOCK));
	assert_false(f->r.contactor[1]);
	assert_int_equal(ci.status, CS_FAULTED);
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	/* Repaired: a new card locks the cable, then power follows. */
	f->r.lock_fails = false;
	charger_on_fault(f->ch, f->now, 1, FAULT_LOCK, false);
	pump(f);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	assert_true(f->r.lock[1]);
	assert_true(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

static void tethered_has_no_lock_and_fixed_cable(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	charger_on_dip(f->ch, f->now, 6); /* 110 = 50 A */
	plug(f, 1, 0);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	struct conn_info ci = info(f, 1);
	assert_false(f->r.lock[1]);
	assert_true(ci.cable_a == 50.0);
	assert_true(ci.offered_a == 50.0);
	assert_int_equal(f->r.duty[1], 833);
	assert_int_equal(f->r.phases[1], 1);
	assert_string_equal(f->r.led[1], "blue-flashing-slow");
	fx_free(f);
}

/* ---- A6 / A7: limits ------------------------------------------------------ */

static void dip_switch_sets_hardware_limit(void **state)
{
	(void)state;
	static const struct {
		unsigned sw;
		double amps;
		int duty;
	} rows[] = {{1, 12, 200}, {2, 16, 266}, {3, 24, 400}, {4, 32, 533},
		    {5, 40, 666}, {6, 50, 833}, {7, 48, 800}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("mq200", NULL);
		charger_on_dip(f->ch, f->now, rows[i].sw);
		charging(f, 1, "CARD1");
		struct conn_info ci = info(f, 1);
		assert_true(ci.offered_a == rows[i].amps);
		assert_int_equal(ci.limit, LIM_HARDWARE);
		assert_int_equal(f->r.duty[1], rows[i].duty);
		fx_free(f);
	}
	/* All off: no hardware current (factory reset position). */
	struct fx *f = fx_new("mq200", NULL);
	charger_on_dip(f->ch, f->now, 0);
	plug(f, 1, 0);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	assert_true(info(f, 1).offered_a == 0);
	assert_int_equal(info(f, 1).limit, LIM_HARDWARE);
	fx_free(f);
}

static void installer_limit_sets_duty(void **state)
{
	(void)state;
	static const struct {
		const char *limit;
		int duty;
	} rows[] = {{"6", 100}, {"10", 166}, {"16", 266}, {"32", 533}};
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		set(f, "charger.current_limit", rows[i].limit);
		assert_int_equal(f->r.duty[1], rows[i].duty);
		assert_int_equal(info(f, 1).limit,
				 rows[i].duty == 533 ? LIM_HARDWARE : LIM_INSTALLER);
	}
	fx_free(f);
}

static void installer_limit_shared_by_connectors(void **state)
{
	(void)state;
	static const char *const sets[] = {"charger.current_limit", "40", NULL};
	struct fx *f = fx_new("io7", sets);
	charging(f, 1, "CARD1");
	assert_true(info(f, 1).offered_a == 32.0);
	charging(f, 2, "CARD2");
	struct conn_info a = info(f, 1), b = info(f, 2);
	assert_true(a.offered_a == 20.0 && b.offered_a == 20.0);
	assert_int_equal(a.limit, LIM_INSTALLER);
	assert_int_equal(b.limit, LIM_INSTALLER);
	/* EV 1 is full: it keeps a 6 A reserve, EV 2 gets the rest. */
	cp(f, 1, IEC_CP_B);
	a = info(f, 1);
	b = info(f, 2);
	assert_true(b.offered_a == 32.0);
	assert_int_equal(b.limit, LIM_HARDWARE);
	assert_true(a.offered_a == 8.0); /* 40 - 32 left for it */
	assert_int_equal(a.status, CS_SUSPENDED_EV);
	assert_true(a.offered_a + b.offered_a <= 40.0);
	fx_free(f);
}

static void pause_below_minimum_and_resume(void **state)
{
	(void)state;
	static const char *const sets[] = {"charger.current_limit", "10", NULL};
	struct fx *f = fx_new("io7", sets);
	charging(f, 1, "CARD1");
	plug(f, 2, 32);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_STARTED);
	cp(f, 2, IEC_CP_C);
	struct conn_info a = info(f, 1), b = info(f, 2);
	/* 5 A each is below 6 A: the later session pauses. */
	assert_true(a.offered_a == 10.0);
	assert_true(b.offered_a == 0.0);
	assert_int_equal(b.limit, LIM_INSTALLER);
	assert_int_equal(b.status, CS_SUSPENDED_EVSE);
	assert_int_equal(f->r.duty[2], IEC_DUTY_OFF);
	/* The paused EV stops drawing as told; the contactor opens. */
	cp(f, 2, IEC_CP_B);
	assert_false(f->r.contactor[2]);
	cp(f, 1, IEC_CP_A);
	b = info(f, 2);
	assert_true(b.offered_a == 10.0);
	assert_int_equal(f->r.duty[2], 166);
	cp(f, 2, IEC_CP_C);
	assert_int_equal(info(f, 2).status, CS_CHARGING);
	fx_free(f);
}

static void single_phase_connectors_on_different_lines(void **state)
{
	(void)state;
	static const char *const sets[] = {"supply.phases",
					   "1",
					   "ConnectorPhaseRotation",
					   "1.RST,2.STR",
					   "charger.current_limit",
					   "32",
					   NULL};
	struct fx *f = fx_new("io7", sets);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	assert_true(info(f, 1).offered_a == 32.0);
	assert_true(info(f, 2).offered_a == 32.0);
	assert_int_equal(f->r.phases[1], 1);
	/* Same line: they share. */
	set(f, "ConnectorPhaseRotation", "1.RST,2.RTS");
	assert_true(info(f, 1).offered_a == 16.0);
	assert_true(info(f, 2).offered_a == 16.0);
	fx_free(f);
}

/* ---- faults --------------------------------------------------------------- */

static void fault_opens_contactor_in_same_event(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	int before = f->r.contactor_cmds;
	charger_on_fault(f->ch, f->now, 1, FAULT_OVERCURRENT, true);
	assert_false(f->r.contactor[1]);
	assert_int_equal(f->r.contactor_cmds, before + 1);
	struct conn_info ci = info(f, 1);
	assert_int_equal(ci.status, CS_FAULTED);
	assert_int_equal(ci.limit, LIM_FAULT);
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	assert_true(ci.in_session);
	assert_true(info(f, 2).faults == 0); /* connector fault */
	charger_on_fault(f->ch, f->now, 1, FAULT_OVERCURRENT, false);
	pump(f);
	/* Over-current restarts after 30 s of recovery (A11). */
	assert_false(f->r.contactor[1]);
	advance(f, 29999);
	assert_false(f->r.contactor[1]);
	advance(f, 1);
	assert_true(f->r.contactor[1]);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

static void welded_relay_detected_after_opening(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	struct meter_reading m = {.energy_wh = 10, .power_w = 22000, .output_v = 230};
	charger_on_meter(f->ch, f->now, 1, &m);
	cp(f, 1, IEC_CP_A); /* unplug: the contactor is told to open */
	assert_false(f->r.contactor[1]);
	/* The meter still sees voltage after the contactor. */
	advance(f, 200);
	m.power_w = 0;
	charger_on_meter(f->ch, f->now, 1, &m);
	advance(f, 800);
	struct conn_info ci = info(f, 1);
	assert_true(ci.faults & (1u << FAULT_RELAY_WELDED));
	assert_int_equal(ci.status, CS_FAULTED);
	assert_int_equal(protect_state(charger_protect(f->ch), 1, FAULT_RELAY_WELDED), FS_LOCKED);
	/* Locked out until a manual reset, and only once the relay is fixed. */
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(charger_fault_reset(f->ch, f->now, 1), 0); /* input still on */
	charger_on_fault(f->ch, f->now, 1, FAULT_RELAY_WELDED, false);
	assert_int_equal(charger_fault_reset(f->ch, f->now, 1), 1);
	pump(f);
	assert_int_equal(info(f, 1).faults, 0);
	assert_int_equal(f->r.nstart, 2); /* the waiting card starts */
	fx_free(f);
}

static void tilt_and_bump_lock_out_until_reset(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charger_on_motion(f->ch, f->now, 20, 85); /* detection off by default */
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	set(f, "tilt.enabled", "true");
	charger_on_motion(f->ch, f->now, 3.9, 29); /* below 4 g and 30 degrees */
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	charger_on_motion(f->ch, f->now, 4, 0);
	assert_false(f->r.contactor[1]);
	assert_true(info(f, 2).faults & (1u << FAULT_BUMP)); /* the whole charger */
	assert_string_equal(f->r.led[1], "red-white-blue");
	charger_on_motion(f->ch, f->now, 0, 40);
	assert_true(info(f, 1).faults & (1u << FAULT_TILT));
	/* Upright and still again: locked until reset. */
	charger_on_motion(f->ch, f->now, 0, 0);
	assert_int_equal(info(f, 1).status, CS_FAULTED);
	assert_int_equal(charger_fault_reset(f->ch, f->now, 0), 2);
	pump(f);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

static void charger_wide_fault_stops_every_connector(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, true);
	for (int c = 1; c <= 2; c++) {
		assert_false(f->r.contactor[c]);
		assert_int_equal(info(f, c).status, CS_FAULTED);
	}
	/* The sockets were unlocked (EVPLUS: a fault unlocks); they lock again
	 * before power returns. */
	assert_false(f->r.lock[1]);
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, false);
	pump(f);
	assert_true(f->r.contactor[1] && f->r.contactor[2]);
	fx_free(f);
}

static void non_blocking_fault_keeps_charging(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charger_on_fault(f->ch, f->now, 1, FAULT_METER_TIMEOUT, true);
	assert_true(f->r.contactor[1]);
	assert_true(info(f, 1).faults & (1u << FAULT_METER_TIMEOUT));
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

/* ---- metering and shutdown ----------------------------------------------- */

static void session_energy_and_monotonic_register(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	struct meter_reading m = {.energy_wh = 1000.0};
	charger_on_meter(f->ch, f->now, 1, &m);
	charging(f, 1, "CARD1");
	assert_true(f->r.started[0].meter_start_wh == 1000.0);
	m.energy_wh = 5000.0;
	charger_on_meter(f->ch, f->now, 1, &m);
	m.energy_wh = 4000.0; /* a glitch backwards is ignored */
	charger_on_meter(f->ch, f->now, 1, &m);
	assert_true(info(f, 1).meter.energy_wh == 5000.0);
	cp(f, 1, IEC_CP_A);
	assert_true(f->r.stopped[0].meter_stop_wh == 5000.0);
	fx_free(f);
}

static void stop_all_on_shutdown(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	charger_stop_all(f->ch, f->now, STOP_REBOOT, "shutdown");
	assert_int_equal(f->r.nstop, 2);
	assert_int_equal(f->r.stopped[0].reason, STOP_REBOOT);
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	assert_int_equal(f->r.duty[2], IEC_DUTY_OFF);
	/* The EVs have not reacted yet; halting does not wait for them. */
	assert_true(f->r.contactor[1]);
	charger_halt(f->ch, f->now);
	assert_false(f->r.contactor[1] || f->r.contactor[2]);
	assert_int_equal(f->r.duty[1], IEC_DUTY_F);
	assert_int_equal(info(f, 1).status, CS_UNAVAILABLE); /* not a fault */
	fx_free(f);
}

/* ---- remote operations (used by OCPP) ------------------------------------ */

static void remote_start_plugged_and_unplugged(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 2, 32);
	assert_int_equal(charger_remote_start(f->ch, f->now, 2, "APP1"), CHG_ACCEPTED);
	pump(f);
	assert_int_equal(f->r.started[0].start_mode, START_REMOTE);
	assert_int_equal(f->r.started[0].connector, 2);
	/* Busy connector, bad connector, bad id tag: rejected. */
	assert_int_equal(charger_remote_start(f->ch, f->now, 2, "APP2"), CHG_REJECTED);
	assert_int_equal(charger_remote_start(f->ch, f->now, 3, "APP2"), CHG_REJECTED);
	assert_int_equal(charger_remote_start(f->ch, f->now, 1, "has space"), CHG_REJECTED);
	/* Not plugged: waits for the EV on that connector only. */
	assert_int_equal(charger_remote_start(f->ch, f->now, 1, "APP2"), CHG_ACCEPTED);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	advance(f, 10000);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 2);
	assert_string_equal(f->r.started[1].id_tag, "APP2");
	assert_int_equal(f->r.started[1].start_mode, START_REMOTE);
	fx_free(f);
}

static void remote_start_any_connector_and_timeout(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(charger_remote_start(f->ch, f->now, 0, "APP1"), CHG_ACCEPTED);
	advance(f, 120000);
	plug(f, 2, 32);
	assert_int_equal(f->r.nstart, 0); /* ConnectionTimeOut passed */
	assert_int_equal(charger_remote_start(f->ch, f->now, 0, "APP1"), CHG_ACCEPTED);
	pump(f);
	assert_int_equal(f->r.started[0].connector, 2); /* the plugged one */
	fx_free(f);
}

static void remote_stop_by_session_number(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	assert_false(charger_stop_session(f->ch, f->now, 99, STOP_REMOTE, "remote"));
	assert_true(charger_stop_session(f->ch, f->now, 1, STOP_REMOTE, "remote"));
	assert_int_equal(f->r.stopped[0].reason, STOP_REMOTE);
	assert_string_equal(f->r.stopped[0].stop_mode, "remote");
	fx_free(f);
}

static void deauthorize_stops_or_limits_energy(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	charger_deauthorize(f->ch, f->now, 1, true, 0);
	assert_int_equal(f->r.stopped[0].reason, STOP_DEAUTHORIZED);
	/* Not stopped: 500 Wh more, then SuspendedEVSE. */
	struct meter_reading m = {.energy_wh = 0};
	charger_deauthorize(f->ch, f->now, 2, false, 500);
	assert_int_equal(info(f, 2).status, CS_CHARGING);
	m.energy_wh = 499;
	charger_on_meter(f->ch, f->now, 2, &m);
	advance(f, 1000);
	assert_int_equal(info(f, 2).status, CS_CHARGING);
	m.energy_wh = 500;
	charger_on_meter(f->ch, f->now, 2, &m);
	advance(f, 1000);
	assert_int_equal(info(f, 2).status, CS_SUSPENDED_EVSE);
	assert_int_equal(info(f, 2).limit, LIM_DEAUTHORIZED);
	assert_true(info(f, 2).in_session);
	fx_free(f);
}

static void availability_immediate_and_scheduled(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(charger_set_available(f->ch, f->now, 2, false), CHG_ACCEPTED);
	assert_int_equal(info(f, 2).status, CS_UNAVAILABLE);
	assert_false(charger_available(f->ch, 2));
	/* Inoperative connectors start nothing. */
	plug(f, 2, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(info(f, 2).status, CS_UNAVAILABLE);
	assert_int_equal(charger_remote_start(f->ch, f->now, 2, "APP"), CHG_REJECTED);
	advance(f, 120000); /* the card's wait ends */
	/* A busy connector: scheduled until its session ends. */
	charging(f, 1, "CARD2");
	assert_int_equal(charger_set_available(f->ch, f->now, 1, false), CHG_SCHEDULED);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	assert_true(charger_available(f->ch, 1));
	cp(f, 1, IEC_CP_A);
	assert_int_equal(info(f, 1).status, CS_UNAVAILABLE);
	assert_false(charger_available(f->ch, 1));
	assert_int_equal(charger_set_available(f->ch, f->now, 1, true), CHG_ACCEPTED);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(charger_set_available(f->ch, f->now, 5, true), CHG_REJECTED);
	fx_free(f);
}

static void availability_of_the_whole_charger(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(charger_status0(f->ch), CS_AVAILABLE);
	assert_int_equal(charger_set_available(f->ch, f->now, 0, false), CHG_ACCEPTED);
	assert_int_equal(charger_status0(f->ch), CS_UNAVAILABLE);
	assert_int_equal(info(f, 1).status, CS_UNAVAILABLE);
	assert_int_equal(info(f, 2).status, CS_UNAVAILABLE);
	assert_int_equal(charger_set_available(f->ch, f->now, 0, true), CHG_ACCEPTED);
	charging(f, 1, "CARD1");
	assert_int_equal(charger_set_available(f->ch, f->now, 0, false), CHG_SCHEDULED);
	assert_int_equal(info(f, 2).status, CS_AVAILABLE);
	cp(f, 1, IEC_CP_A);
	assert_int_equal(charger_status0(f->ch), CS_UNAVAILABLE);
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, true);
	assert_int_equal(charger_set_available(f->ch, f->now, 0, true), CHG_ACCEPTED);
	assert_int_equal(charger_status0(f->ch), CS_FAULTED);
	fx_free(f);
}

static void unlock_connector(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	assert_int_equal(charger_unlock(f->ch, f->now, 1), CHG_ACCEPTED);
	assert_int_equal(f->r.stopped[0].reason, STOP_UNLOCK);
	assert_false(f->r.lock[1]);
	assert_int_equal(charger_unlock(f->ch, f->now, 3), CHG_REJECTED);
	charger_on_fault(f->ch, f->now, 2, FAULT_LOCK, true);
	assert_int_equal(charger_unlock(f->ch, f->now, 2), CHG_FAILED);
	fx_free(f);
	f = fx_new("mq200", NULL);
	assert_int_equal(charger_unlock(f->ch, f->now, 1), CHG_NOT_SUPPORTED);
	fx_free(f);
}

static enum chg_auth_answer ask_all(void *user, int64_t now, const char *id)
{
	(void)user;
	(void)now;
	return strcmp(id, "LOCAL1") == 0 ? CHG_AUTH_ACCEPT : CHG_AUTH_ASK;
}

static void asynchronous_authorization(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	static const struct chg_auth a = {NULL, ask_all};
	charger_set_authorizer(f->ch, &a);
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "REMOTE1", NULL), SWIPE_AUTHORIZING);
	assert_int_equal(f->r.nstart, 0);
	charger_auth_result(f->ch, f->now, "OTHER", true); /* not the one asked */
	assert_int_equal(f->r.nstart, 0);
	charger_auth_result(f->ch, f->now, "remote1", true);
	pump(f);
	assert_int_equal(f->r.nstart, 1);
	assert_string_equal(f->r.started[0].id_tag, "REMOTE1");
	/* Refused: the "not authorised" indication. */
	plug(f, 2, 32);
	assert_int_equal(swipe(f, "REMOTE2", NULL), SWIPE_AUTHORIZING);
	charger_auth_result(f->ch, f->now, "REMOTE2", false);
	assert_int_equal(f->r.beeps_bad, 1);
	assert_int_equal(f->r.nstart, 1);
	/* Decided locally: at once. Stop by the same card never asks. */
	assert_int_equal(swipe(f, "LOCAL1", NULL), SWIPE_STARTED);
	assert_int_equal(swipe(f, "REMOTE1", NULL), SWIPE_STOPPED);
	fx_free(f);
}

static void names_for_status_and_reasons(void **state)
{
	(void)state;
	assert_string_equal(conn_status_name(CS_SUSPENDED_EVSE), "SuspendedEVSE");
	assert_string_equal(stop_reason_name(STOP_EV_DISCONNECTED), "EVDisconnected");
	assert_string_equal(stop_reason_name(STOP_POWER_LOSS), "PowerLoss");
	assert_string_equal(start_mode_name(START_FREE), "free");
	assert_string_equal(swipe_result_name(SWIPE_PENDING), "pending");
	assert_string_equal(limit_src_name(LIM_INSTALLER), "installer");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(idle_after_start),
    cmocka_unit_test(plug_without_card_is_preparing),
    cmocka_unit_test(plug_first_then_card_starts_and_charges),
    cmocka_unit_test(ev_full_is_suspended_ev),
    cmocka_unit_test(unplug_stops_session),
    cmocka_unit_test(unplug_keeps_session_when_configured),
    cmocka_unit_test(state_d_is_refused),
    cmocka_unit_test(state_e_and_invalid_are_cp_faults),
    cmocka_unit_test(state_f_from_ev_side_is_not_plugged),
    cmocka_unit_test(authorize_first_then_plug),
    cmocka_unit_test(authorize_first_single_connector_is_preparing),
    cmocka_unit_test(connection_timeout_expires),
    cmocka_unit_test(stop_by_same_tag_finishing_then_available),
    cmocka_unit_test(ev_ignoring_stop_is_cut_after_grace),
    cmocka_unit_test(other_card_does_not_stop),
    cmocka_unit_test(new_card_on_finishing_connector_starts_new_session),
    cmocka_unit_test(plugged_earliest_gets_the_card),
    cmocka_unit_test(card_pending_on_faulted_connector_starts_when_cleared),
    cmocka_unit_test(card_starting_a_session_clears_its_pending_authorization),
    cmocka_unit_test(unknown_card_rejected_with_indication),
    cmocka_unit_test(invalid_uid_and_disabled_reader),
    cmocka_unit_test(free_charging_starts_on_plug),
    cmocka_unit_test(plug_and_charge_id),
    cmocka_unit_test(free_charging_switched_on_starts_waiting_ev),
    cmocka_unit_test(store_refusal_means_no_session),
    cmocka_unit_test(cable_rating_limits_offer),
    cmocka_unit_test(lock_failure_refuses_power),
    cmocka_unit_test(tethered_has_no_lock_and_fixed_cable),
    cmocka_unit_test(dip_switch_sets_hardware_limit),
    cmocka_unit_test(installer_limit_sets_duty),
    cmocka_unit_test(installer_limit_shared_by_connectors),
    cmocka_unit_test(pause_below_minimum_and_resume),
    cmocka_unit_test(single_phase_connectors_on_different_lines),
    cmocka_unit_test(fault_opens_contactor_in_same_event),
    cmocka_unit_test(welded_relay_detected_after_opening),
    cmocka_unit_test(tilt_and_bump_lock_out_until_reset),
    cmocka_unit_test(charger_wide_fault_stops_every_connector),
    cmocka_unit_test(non_blocking_fault_keeps_charging),
    cmocka_unit_test(session_energy_and_monotonic_register),
    cmocka_unit_test(stop_all_on_shutdown),
    cmocka_unit_test(remote_start_plugged_and_unplugged),
    cmocka_unit_test(remote_start_any_connector_and_timeout),
    cmocka_unit_test(remote_stop_by_session_number),
    cmocka_unit_test(deauthorize_stops_or_limits_energy),
    cmocka_unit_test(availability_immediate_and_scheduled),
    cmocka_unit_test(availability_of_the_whole_charger),
    cmocka_unit_test(unlock_connector),
    cmocka_unit_test(asynchronous_authorization),
    cmocka_unit_test(names_for_status_and_reasons),
};

VCLOCK_MAIN("charger", tests)
