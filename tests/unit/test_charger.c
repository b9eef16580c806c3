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
	/* Without a meter the contactor cannot be checked: nothing more. */
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

/* E2 E3: the site's load management caps the charger as a whole, per
 * phase, above the installer limit's sharing; below 6 A a session pauses. */
static void load_limit_caps_the_charger(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	assert_true(info(f, 1).offered_a == 16.0 && info(f, 2).offered_a == 16.0);
	const double lm[3] = {20, 24, 30};
	charger_set_load_limit(f->ch, f->now, lm);
	struct conn_info a = info(f, 1), b = info(f, 2);
	/* Three-phase EVs: the tightest phase (20 A) is shared. */
	assert_true(a.offered_a == 10.0 && b.offered_a == 10.0);
	assert_int_equal(a.limit, LIM_LOAD_MGMT);
	assert_int_equal(b.limit, LIM_LOAD_MGMT);
	const double low[3] = {9, 9, 9};
	charger_set_load_limit(f->ch, f->now, low);
	a = info(f, 1);
	b = info(f, 2);
	/* 4.5 A each is below 6 A: the earlier session keeps 9 A. */
	assert_true(a.offered_a == 9.0);
	assert_true(b.offered_a == 0.0);
	assert_int_equal(b.limit, LIM_LOAD_MGMT);
	assert_int_equal(b.status, CS_SUSPENDED_EVSE);
	charger_set_load_limit(f->ch, f->now, NULL);
	assert_true(info(f, 1).offered_a == 16.0);
	assert_int_equal(info(f, 1).limit, LIM_INSTALLER);
	fx_free(f);
}

static void group_limit_caps_one_connector(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	charging(f, 2, "CARD2");
	struct chg_group_request r;
	assert_true(charger_group_request(f->ch, 1, &r));
	assert_true(r.wants);
	assert_int_equal(r.phases, 7u);
	assert_true(r.max_a == 32.0);
	charger_set_group_limit(f->ch, f->now, 1, 10);
	assert_true(info(f, 1).offered_a == 10.0);
	assert_int_equal(info(f, 1).limit, LIM_GROUP);
	/* The other connector takes what is left of the installer limit. */
	assert_true(info(f, 2).offered_a == 22.0);
	/* What it asks of the group is its own maximum, not the group's offer. */
	assert_true(charger_group_request(f->ch, 1, &r));
	assert_true(r.max_a == 32.0 && r.wants);
	charger_set_group_limit(f->ch, f->now, 1, 0);
	assert_true(info(f, 1).offered_a == 0.0);
	assert_int_equal(info(f, 1).limit, LIM_GROUP);
	assert_int_equal(info(f, 1).status, CS_SUSPENDED_EVSE);
	assert_true(charger_group_request(f->ch, 1, &r));
	assert_true(r.wants);
	charger_set_group_limit(f->ch, f->now, 1, -1);
	assert_true(info(f, 1).offered_a == 16.0);
	/* No session: it does not want power. */
	assert_true(charger_group_request(f->ch, 2, &r));
	assert_false(charger_group_request(f->ch, 3, &r));
	fx_free(f);
}

static void identify_flashes_for_its_time(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	const char *before = info(f, 1).led;
	charger_identify(f->ch, f->now, f->now + 10000);
	assert_string_equal(info(f, 1).led, "white-flashing");
	assert_true(charger_next_deadline(f->ch) <= f->now + 10000);
	advance(f, 9999);
	assert_string_equal(info(f, 1).led, "white-flashing");
	advance(f, 1);
	assert_string_equal(info(f, 1).led, before);
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
	/* A reading right after the open command proves nothing. */
	advance(f, 200);
	m.power_w = 0;
	charger_on_meter(f->ch, f->now, 1, &m);
	advance(f, 800);
	assert_int_equal(info(f, 1).faults, 0);
	/* A settled reading still sees voltage after the contactor. */
	advance(f, 100);
	charger_on_meter(f->ch, f->now, 1, &m);
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

static void inoperative_while_the_lock_moves_starts_nothing(void **state)
{
	(void)state;
	static const char *const sets[] = {"auth.required", "false", NULL};
	struct fx *f = fx_new("io7", sets);
	/* The EV plugs in; the cable lock is commanded, not yet confirmed. */
	charger_on_pp(f->ch, f->now, 1, 32);
	charger_on_cp(f->ch, f->now, 1, IEC_CP_B);
	assert_true(f->r.lock[1]);
	assert_int_equal(charger_set_available(f->ch, f->now, 1, false), CHG_ACCEPTED);
	pump(f); /* the lock confirms now */
	charger_on_cp(f->ch, f->now, 1, IEC_CP_C);
	assert_int_equal(f->r.nstart, 0);
	assert_false(f->r.contactor[1]);
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	assert_int_equal(info(f, 1).status, CS_UNAVAILABLE);
	fx_free(f);
}

static void contactor_check_waits_for_a_settled_reading(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charging(f, 1, "CARD1");
	struct meter_reading m = {.energy_wh = 10, .output_v = 230};
	charger_on_meter(f->ch, f->now, 1, &m);
	cp(f, 1, IEC_CP_A);
	assert_int_equal(charger_next_deadline(f->ch), f->now + 1000);
	advance(f, 1000); /* no reading since the open */
	assert_int_equal(charger_next_deadline(f->ch), f->now + 9000);
	advance(f, 9000); /* still none: no more timers, but not forgotten */
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	assert_int_equal(info(f, 1).faults, 0);
	/* A reading at last: still voltage after the contactor: welded. */
	charger_on_meter(f->ch, f->now, 1, &m);
	assert_true(info(f, 1).faults & (1u << FAULT_RELAY_WELDED));
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

/* G6 "save tilt + calibrate": the reading at rest becomes the reference;
 * bump and tilt are measured from it. */
static void tilt_measured_from_the_calibrated_reference(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	double g, deg;
	charger_motion(f->ch, &g, &deg);
	assert_true(g == 0 && deg == 0); /* no reading yet */
	charging(f, 1, "CARD1");
	set(f, "tilt.enabled", "true");
	/* Mounted 20 degrees off vertical, 1 g at rest: calibrated. */
	set(f, "tilt.zero_angle", "20");
	set(f, "tilt.zero_g", "1");
	charger_on_motion(f->ch, f->now, 1, 45); /* 25 degrees from the reference */
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	charger_motion(f->ch, &g, &deg);
	assert_true(g == 1 && deg == 45);
	charger_on_motion(f->ch, f->now, 4.9, 20); /* 3.9 g from the reference */
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	charger_on_motion(f->ch, f->now, 1, 50); /* 30 degrees from it */
	assert_true(info(f, 1).faults & (1u << FAULT_TILT));
	assert_false(info(f, 1).faults & (1u << FAULT_BUMP));
	charger_on_motion(f->ch, f->now, 1, 20);
	assert_int_equal(charger_fault_reset(f->ch, f->now, 0), 1);
	pump(f);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	/* Below the reference counts too: tilted the other way, or a drop. */
	charger_on_motion(f->ch, f->now, 1, 0);
	assert_int_equal(info(f, 1).status, CS_CHARGING); /* 20 < 30 */
	charger_on_motion(f->ch, f->now, 5, 20);
	assert_true(info(f, 1).faults & (1u << FAULT_BUMP));
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
	static const struct chg_auth a = {NULL, ask_all, NULL};
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

/* ---- C7: reservations ---------------------------------------------------- */

#define T0 1767225600LL /* the fixture's UTC at monotonic 0 */

static int nres(struct fx *f)
{
	struct chg_reservation r[CHG_RESERVATIONS_MAX];
	return charger_reservations(f->ch, r, CHG_RESERVATIONS_MAX);
}

/* Reserve conn for tag until T0 + secs (no group). */
static enum chg_result reserve(struct fx *f, int conn, int32_t id, const char *tag, int64_t secs)
{
	enum chg_result r = charger_reserve(f->ch, f->now, conn, id, tag, NULL, T0 + secs);
	pump(f);
	return r;
}

/* Where the charger is when ReserveNow comes. */
enum situation {
	S_IDLE,
	S_PLUGGED,	   /* connector 1 Preparing */
	S_CHARGING,	   /* connector 1 Charging */
	S_FINISHING,	   /* connector 1: session stopped, EV still plugged */
	S_FAULTED,	   /* connector 1 faulted */
	S_INOPERATIVE,	   /* connector 1 Unavailable */
	S_RESERVED,	   /* connector 1 reserved by reservation 7 for CARD2 */
	S_PENDING,	   /* a card waits for an EV (evplus: connector 1 Preparing) */
	S_ALL_CHARGING,	   /* both connectors Charging */
	S_CHARGER_OFF,	   /* connector 0 Inoperative */
	S_CHARGER_FAULT,   /* a charger-wide fault */
	S_ALL_FAULTED,	   /* every connector faulted */
	S_FAULTED_AND_OFF, /* connector 1 faulted, connector 2 Unavailable */
	S_ZERO_TAKEN,	   /* evplus: a connector-0 reservation holds the only connector */
	S_HALF_RESERVED,   /* connector 1 reserved, connector 2 Charging */
};

static void situate(struct fx *f, enum situation s)
{
	switch (s) {
	case S_IDLE:
		break;
	case S_PLUGGED:
		plug(f, 1, 32);
		break;
	case S_CHARGING:
		charging(f, 1, "CARD1");
		break;
	case S_FINISHING:
		charging(f, 1, "CARD1");
		assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STOPPED);
		break;
	case S_FAULTED:
		charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, true);
		break;
	case S_INOPERATIVE:
		assert_int_equal(charger_set_available(f->ch, f->now, 1, false), CHG_ACCEPTED);
		break;
	case S_RESERVED:
		assert_int_equal(reserve(f, 1, 7, "CARD2", 600), CHG_ACCEPTED);
		break;
	case S_PENDING:
		assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_PENDING);
		break;
	case S_ALL_CHARGING:
		charging(f, 1, "CARD1");
		charging(f, 2, "CARD2");
		break;
	case S_CHARGER_OFF:
		assert_int_equal(charger_set_available(f->ch, f->now, 0, false), CHG_ACCEPTED);
		break;
	case S_CHARGER_FAULT:
		charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, true);
		break;
	case S_ALL_FAULTED:
		charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, true);
		charger_on_fault(f->ch, f->now, 2, FAULT_DIODE, true);
		break;
	case S_FAULTED_AND_OFF:
		charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, true);
		assert_int_equal(charger_set_available(f->ch, f->now, 2, false), CHG_ACCEPTED);
		break;
	case S_ZERO_TAKEN:
		assert_int_equal(reserve(f, 0, 7, "CARD2", 600), CHG_ACCEPTED);
		break;
	case S_HALF_RESERVED:
		assert_int_equal(reserve(f, 1, 7, "CARD2", 600), CHG_ACCEPTED);
		charging(f, 2, "CARD1");
		break;
	}
	pump(f);
}

/* ReserveNow's answer in every situation (OCPP 1.6 5.13); only Accepted
 * stores anything. */
static void reserve_answers(void **state)
{
	(void)state;
	static const char *const zero_off[] = {"ReserveConnectorZeroSupported", "false", NULL};
	static const struct {
		const char *profile;
		const char *const *sets;
		enum situation s;
		int conn;
		const char *tag;
		int64_t expiry; /* seconds from T0 */
		enum chg_result want;
	} rows[] = {
	    {"io7", NULL, S_IDLE, 1, "CARD9", 600, CHG_ACCEPTED},
	    {"io7", NULL, S_IDLE, 2, "CARD9", 1, CHG_ACCEPTED},
	    {"io7", NULL, S_PLUGGED, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_PLUGGED, 2, "CARD9", 600, CHG_ACCEPTED},
	    {"io7", NULL, S_CHARGING, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_FINISHING, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_FAULTED, 1, "CARD9", 600, CHG_FAULTED},
	    {"io7", NULL, S_INOPERATIVE, 1, "CARD9", 600, CHG_UNAVAILABLE},
	    {"io7", NULL, S_RESERVED, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_RESERVED, 1, "CARD2", 600, CHG_OCCUPIED}, /* same tag, other id */
	    {"io7", NULL, S_RESERVED, 2, "CARD2", 600, CHG_ACCEPTED},
	    {"evplus", NULL, S_PENDING, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_CHARGER_OFF, 1, "CARD9", 600, CHG_UNAVAILABLE},
	    {"io7", NULL, S_CHARGER_FAULT, 1, "CARD9", 600, CHG_FAULTED},
	    /* Bad input: nothing stored. */
	    {"io7", NULL, S_IDLE, 3, "CARD9", 600, CHG_REJECTED},
	    {"io7", NULL, S_IDLE, -1, "CARD9", 600, CHG_REJECTED},
	    {"io7", NULL, S_IDLE, 1, "CARD9", 0, CHG_REJECTED},	  /* expires now */
	    {"io7", NULL, S_IDLE, 1, "CARD9", -60, CHG_REJECTED}, /* in the past */
	    {"io7", NULL, S_IDLE, 1, "has space", 600, CHG_REJECTED},
	    {"io7", NULL, S_IDLE, 1, "", 600, CHG_REJECTED},
	    /* Connector 0: the charger as a whole. */
	    {"io7", NULL, S_IDLE, 0, "CARD9", 600, CHG_ACCEPTED},
	    {"io7", zero_off, S_IDLE, 0, "CARD9", 600, CHG_REJECTED},
	    {"io7", zero_off, S_IDLE, 1, "CARD9", 600, CHG_ACCEPTED},
	    {"io7", NULL, S_CHARGING, 0, "CARD9", 600, CHG_ACCEPTED},
	    {"io7", NULL, S_ALL_CHARGING, 0, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_HALF_RESERVED, 0, "CARD9", 600, CHG_OCCUPIED},
	    {"io7", NULL, S_CHARGER_OFF, 0, "CARD9", 600, CHG_UNAVAILABLE},
	    {"io7", NULL, S_CHARGER_FAULT, 0, "CARD9", 600, CHG_FAULTED},
	    {"io7", NULL, S_ALL_FAULTED, 0, "CARD9", 600, CHG_FAULTED},
	    {"io7", NULL, S_FAULTED_AND_OFF, 0, "CARD9", 600, CHG_UNAVAILABLE},
	    {"io7", NULL, S_FAULTED, 0, "CARD9", 600, CHG_ACCEPTED},
	    {"evplus", NULL, S_ZERO_TAKEN, 0, "CARD9", 600, CHG_OCCUPIED},
	    {"evplus", NULL, S_ZERO_TAKEN, 1, "CARD9", 600, CHG_OCCUPIED},
	    {"evplus", NULL, S_PLUGGED, 0, "CARD9", 600, CHG_OCCUPIED},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new(rows[i].profile, rows[i].sets);
		situate(f, rows[i].s);
		int before = nres(f);
		enum chg_result r = charger_reserve(f->ch, f->now, rows[i].conn, 42, rows[i].tag,
						    NULL, T0 + rows[i].expiry);
		if (r != rows[i].want)
			fail_msg("row %zu: answer %d, want %d", i, r, rows[i].want);
		assert_int_equal(nres(f), before + (r == CHG_ACCEPTED));
		fx_free(f);
	}
}

/* Reserved: the status, and the product's LED (MQ200 steady pink). */
static void reserved_status_and_led(void **state)
{
	(void)state;
	static const struct {
		const char *profile, *led, *idle;
	} rows[] = {
	    {"io7", "yellow", "green"},
	    {"mq200", "pink", "green"},
	    {"evplus", "blue", "green-blinking-slow"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new(rows[i].profile, NULL);
		assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
		assert_int_equal(f->r.status[1], CS_RESERVED);
		assert_int_equal(info(f, 1).status, CS_RESERVED);
		assert_string_equal(f->r.led[1], rows[i].led);
		char disp[32];
		charger_display(f->ch, 1, f->now, disp, sizeof disp);
		if (strcmp(rows[i].profile, "mq200") == 0)
			assert_string_equal(disp, "RESERVED");
		struct chg_reservation r[CHG_RESERVATIONS_MAX];
		assert_int_equal(charger_reservations(f->ch, r, CHG_RESERVATIONS_MAX), 1);
		assert_int_equal(r[0].id, 42);
		assert_int_equal(r[0].connector, 1);
		assert_string_equal(r[0].id_tag, "CARD1");
		assert_string_equal(r[0].parent, "");
		assert_int_equal(r[0].expiry_utc, T0 + 600);
		assert_int_equal(charger_cancel_reservation(f->ch, f->now, 42), CHG_ACCEPTED);
		pump(f);
		assert_int_equal(f->r.status[1], CS_AVAILABLE);
		assert_string_equal(f->r.led[1], rows[i].idle);
		fx_free(f);
	}
}

/* Plug first: the reserved connector stays Reserved with an EV plugged; a
 * card of another is refused ("card not authorised"), the reserved card
 * starts, and its session names the reservation. */
static void reservation_used_by_its_tag_plug_first(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	plug(f, 1, 32);
	assert_int_equal(info(f, 1).status, CS_RESERVED);
	assert_int_equal(f->r.nstart, 0);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_REJECTED);
	assert_int_equal(f->r.beeps_bad, 1);
	assert_string_equal(f->r.led[1], "red"); /* the refusal */
	assert_int_equal(f->r.nstart, 0);
	char id[32];
	assert_false(charger_pending_auth(f->ch, f->now, id, sizeof id));
	advance(f, 3000);
	assert_int_equal(swipe(f, "card1", NULL), SWIPE_STARTED);
	assert_int_equal(f->r.nstart, 1);
	assert_true(f->r.started[0].with_reservation);
	assert_int_equal(f->r.started[0].reservation_id, 42);
	assert_int_equal(nres(f), 0);
	assert_int_equal(info(f, 1).status, CS_SUSPENDED_EV);
	/* After the session the connector is free for anyone. */
	cp(f, 1, IEC_CP_A);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_STARTED);
	assert_false(f->r.started[1].with_reservation);
	fx_free(f);
}

/* Authorize first: the reserved card is Preparing on its connector (OCPP
 * transition E2), other connectors keep their status; the EV plugged there
 * starts with the reservation. Another card goes elsewhere. */
static void reservation_used_by_its_tag_authorize_first(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_PENDING); /* connector 2 is free */
	assert_int_equal(info(f, 1).status, CS_RESERVED);
	assert_int_equal(info(f, 2).status, CS_PREPARING); /* the only one CARD2 may use */
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 0); /* not on the reserved connector */
	assert_int_equal(info(f, 1).status, CS_RESERVED);
	plug(f, 2, 32);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(f->r.started[0].connector, 2);
	assert_false(f->r.started[0].with_reservation);
	cp(f, 1, IEC_CP_A);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 2);
	assert_int_equal(f->r.started[1].connector, 1);
	assert_true(f->r.started[1].with_reservation);
	assert_int_equal(f->r.started[1].reservation_id, 42);
	fx_free(f);
}

/* The groups the test authorizer knows. */
static const struct {
	const char *tag, *parent;
} groups[] = {
    {"MEMBER1", "FLEET"},
    {"MEMBER2", "fleet"},
    {"OTHER1", "OTHERS"},
    {"LONER", ""},
};

static enum chg_auth_answer accept_all(void *user, int64_t now, const char *id)
{
	(void)user;
	(void)now;
	(void)id;
	return CHG_AUTH_ACCEPT;
}

static bool group_of(void *user, const char *id, char *buf, size_t len)
{
	(void)user;
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcasecmp(groups[i].tag, id) == 0) {
			snprintf(buf, len, "%s", groups[i].parent);
			return true;
		}
	return false;
}

/* Who may use a reservation for OWNER of group FLEET: OWNER, FLEET itself,
 * any card whose parentIdTag is FLEET (case-insensitive); nobody else. */
static void reservation_parent_id_tag(void **state)
{
	(void)state;
	static const struct chg_auth a = {NULL, accept_all, group_of};
	static const struct {
		const char *tag;
		bool uses;
	} rows[] = {
	    {"OWNER", true},   {"owner", true},	  {"FLEET", true},  {"MEMBER1", true},
	    {"MEMBER2", true}, {"OTHER1", false}, {"LONER", false}, {"STRANGER", false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("evplus", NULL);
		charger_set_authorizer(f->ch, &a);
		assert_int_equal(charger_reserve(f->ch, f->now, 1, 42, "OWNER", "FLEET", T0 + 600),
				 CHG_ACCEPTED);
		/* The engine's question first: could this card start here? */
		char parent[32];
		bool known = group_of(NULL, rows[i].tag, parent, sizeof parent);
		assert_true(charger_may_start(f->ch, f->now, 0, rows[i].tag, known ? parent : "") ==
			    rows[i].uses);
		/* Not known: only the CSMS can tell (the reservation has a group). */
		assert_true(charger_may_start(f->ch, f->now, 1, rows[i].tag, NULL));
		plug(f, 1, 32);
		enum swipe_result r = swipe(f, rows[i].tag, NULL);
		if (r != (rows[i].uses ? SWIPE_STARTED : SWIPE_REJECTED))
			fail_msg("%s: %s", rows[i].tag, swipe_result_name(r));
		if (rows[i].uses) {
			assert_true(f->r.started[0].with_reservation);
			assert_string_equal(f->r.started[0].id_tag, rows[i].tag);
		}
		assert_int_equal(nres(f), rows[i].uses ? 0 : 1);
		fx_free(f);
	}
}

/* charger_may_start without groups: a reservation without parentIdTag is
 * its id tag's only, whatever the card's group. */
static void may_start_respects_reservations(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_true(charger_may_start(f->ch, f->now, 0, "ANY", NULL));
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_false(charger_may_start(f->ch, f->now, 0, "ANY", NULL));
	assert_false(charger_may_start(f->ch, f->now, 1, "ANY", "CARD1"));
	assert_true(charger_may_start(f->ch, f->now, 1, "CARD1", NULL));
	assert_false(charger_may_start(f->ch, f->now, 2, "CARD1", NULL)); /* no connector 2 */
	charging(f, 1, "CARD1");
	assert_false(charger_may_start(f->ch, f->now, 0, "CARD1", NULL)); /* busy */
	fx_free(f);
}

/* At expiryDate the reservation ends (a charger deadline): Available again,
 * and an EV waiting there under free charging starts. */
static void reservation_expires(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(charger_next_deadline(f->ch), 600000);
	advance(f, 599999);
	assert_int_equal(info(f, 1).status, CS_RESERVED);
	advance(f, 1);
	assert_int_equal(f->r.status[1], CS_AVAILABLE);
	assert_int_equal(nres(f), 0);
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	assert_int_equal(charger_cancel_reservation(f->ch, f->now, 42), CHG_REJECTED);
	/* The wall clock decides: set forward by the CSMS, it expires sooner. */
	assert_int_equal(reserve(f, 2, 43, "CARD1", 1200), CHG_ACCEPTED);
	charger_set_clock(f->ch, f->now, (T0 + 900) * 1000);
	assert_int_equal(charger_next_deadline(f->ch), f->now + 300000);
	advance(f, 300000);
	assert_int_equal(info(f, 2).status, CS_AVAILABLE);
	fx_free(f);
}

/* CancelReservation: Accepted for a reservation in force, Rejected for an
 * unknown id; nothing else changes. */
static void reservation_cancel(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(reserve(f, 0, -5, "CARD2", 600), CHG_ACCEPTED);
	assert_int_equal(charger_cancel_reservation(f->ch, f->now, 41), CHG_REJECTED);
	assert_int_equal(nres(f), 2);
	/* Connector 2 is the only one connector 0 can count on: held. */
	assert_int_equal(info(f, 2).status, CS_RESERVED);
	assert_int_equal(charger_cancel_reservation(f->ch, f->now, 42), CHG_ACCEPTED);
	pump(f);
	/* Two free connectors for one connector-0 reservation: none held. */
	assert_int_equal(f->r.status[1], CS_AVAILABLE);
	assert_int_equal(f->r.status[2], CS_AVAILABLE);
	assert_int_equal(charger_cancel_reservation(f->ch, f->now, 42), CHG_REJECTED);
	assert_int_equal(charger_cancel_reservation(f->ch, f->now, -5), CHG_ACCEPTED);
	assert_int_equal(nres(f), 0);
	fx_free(f);
}

/* A ReserveNow with the id of a reservation in force replaces it; refused,
 * it leaves the old one as it was. */
static void reservation_replaced_by_same_id(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(reserve(f, 1, 42, "CARD2", 900), CHG_ACCEPTED); /* same connector */
	struct chg_reservation r[CHG_RESERVATIONS_MAX];
	assert_int_equal(charger_reservations(f->ch, r, CHG_RESERVATIONS_MAX), 1);
	assert_string_equal(r[0].id_tag, "CARD2");
	assert_int_equal(r[0].expiry_utc, T0 + 900);
	assert_int_equal(reserve(f, 2, 42, "CARD3", 600), CHG_ACCEPTED); /* moved */
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(info(f, 2).status, CS_RESERVED);
	charging(f, 1, "CARD1");
	assert_int_equal(reserve(f, 1, 42, "CARD4", 600), CHG_OCCUPIED);
	assert_int_equal(charger_reservations(f->ch, r, CHG_RESERVATIONS_MAX), 1);
	assert_int_equal(r[0].connector, 2);
	assert_string_equal(r[0].id_tag, "CARD3");
	assert_int_equal(reserve(f, 2, 42, "CARD3", -1), CHG_REJECTED); /* expired */
	assert_int_equal(info(f, 2).status, CS_RESERVED);
	fx_free(f);
}

/* A reservation ends when its connector (or, for connector 0, the charger)
 * becomes Faulted or Unavailable (OCPP 1.6 5.13). */
static void reservation_ends_when_faulted_or_unavailable(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(reserve(f, 2, 43, "CARD1", 600), CHG_ACCEPTED);
	charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, true);
	assert_int_equal(nres(f), 1);
	charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, false);
	pump(f);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(charger_set_available(f->ch, f->now, 2, false), CHG_ACCEPTED);
	assert_int_equal(nres(f), 0);
	assert_int_equal(charger_set_available(f->ch, f->now, 2, true), CHG_ACCEPTED);
	assert_int_equal(info(f, 2).status, CS_AVAILABLE);
	/* Connector 0: a connector fault leaves it; the charger's ends it. */
	assert_int_equal(reserve(f, 0, 44, "CARD1", 600), CHG_ACCEPTED);
	charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, true);
	assert_int_equal(nres(f), 1);
	assert_int_equal(info(f, 2).status, CS_RESERVED); /* the only one left */
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, true);
	assert_int_equal(nres(f), 0);
	assert_int_equal(reserve(f, 0, 45, "CARD1", 600), CHG_FAULTED);
	charger_on_fault(f->ch, f->now, 0, FAULT_OVERVOLTAGE, false);
	charger_on_fault(f->ch, f->now, 1, FAULT_DIODE, false);
	assert_int_equal(reserve(f, 0, 45, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(charger_set_available(f->ch, f->now, 0, false), CHG_ACCEPTED);
	assert_int_equal(nres(f), 0);
	fx_free(f);
}

/* Connector 0: the charger keeps one connector free for the reserved id
 * tag. With more free connectors than connector-0 reservations nothing is
 * held (all Available); once only as many are left, they are Reserved and
 * only the reserved tags start there. */
static void connector_zero_keeps_one_free(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	assert_int_equal(auth_list_add(f->cards, "CARD3"), AUTH_OK);
	assert_int_equal(reserve(f, 0, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	assert_int_equal(info(f, 2).status, CS_AVAILABLE);
	charging(f, 1, "CARD2"); /* anyone may take one of the two */
	assert_false(f->r.started[0].with_reservation);
	assert_int_equal(info(f, 2).status, CS_RESERVED);
	plug(f, 2, 32);
	assert_int_equal(info(f, 2).status, CS_RESERVED);
	assert_int_equal(swipe(f, "CARD3", NULL), SWIPE_REJECTED);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	assert_int_equal(f->r.started[1].connector, 2);
	assert_true(f->r.started[1].with_reservation);
	assert_int_equal(f->r.started[1].reservation_id, 42);
	assert_int_equal(nres(f), 0);
	fx_free(f);

	/* One connector: Reserved at once; the reserved card uses it wherever. */
	f = fx_new("evplus", NULL);
	assert_int_equal(reserve(f, 0, 42, "CARD1", 600), CHG_ACCEPTED);
	assert_int_equal(f->r.status[1], CS_RESERVED);
	assert_int_equal(swipe(f, "CARD2", NULL), SWIPE_REJECTED);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_PENDING);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	plug(f, 1, 32);
	assert_true(f->r.started[0].with_reservation);
	assert_int_equal(f->r.started[0].reservation_id, 42);
	fx_free(f);

	/* The reserved card on a free connector uses the reservation too. */
	f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 0, 42, "CARD1", 600), CHG_ACCEPTED);
	charging(f, 2, "CARD1");
	assert_true(f->r.started[0].with_reservation);
	assert_int_equal(info(f, 1).status, CS_AVAILABLE);
	fx_free(f);
}

/* Free charging and the MQ200 Plug and Charge ID never take a reserved
 * connector; when the reservation ends, the EV waiting there starts. */
static void free_charging_does_not_take_reserved(void **state)
{
	(void)state;
	static const char *const free_io7[] = {"auth.required", "false", NULL};
	static const char *const pnc_mq200[] = {"auth.plug_and_charge_id", "PNC12345", NULL};
	static const struct {
		const char *profile;
		const char *const *sets;
		const char *tag;
	} rows[] = {
	    {"io7", free_io7, "default"},
	    {"mq200", pnc_mq200, "PNC12345"},
	    {"evplus", free_io7, "default"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new(rows[i].profile, rows[i].sets);
		assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
		plug(f, 1, 32);
		assert_int_equal(f->r.nstart, 0);
		assert_int_equal(info(f, 1).status, CS_RESERVED);
		assert_int_equal(charger_cancel_reservation(f->ch, f->now, 42), CHG_ACCEPTED);
		pump(f);
		assert_int_equal(f->r.nstart, 1);
		assert_string_equal(f->r.started[0].id_tag, rows[i].tag);
		assert_int_equal(f->r.started[0].start_mode, START_FREE);
		assert_false(f->r.started[0].with_reservation);
		fx_free(f);
	}
	/* Connector 0 held: free charging waits too, and the expiry frees it. */
	struct fx *f = fx_new("evplus", free_io7);
	assert_int_equal(reserve(f, 0, 42, "CARD1", 60), CHG_ACCEPTED);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 0);
	advance(f, 60000);
	assert_int_equal(f->r.nstart, 1);
	fx_free(f);
}

/* RemoteStartTransaction: the reserved id tag uses the reservation, another
 * is Rejected on the reserved connector. */
static void remote_start_uses_reservation(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_int_equal(reserve(f, 1, 42, "APP1", 600), CHG_ACCEPTED);
	assert_int_equal(charger_remote_start(f->ch, f->now, 1, "APP2"), CHG_REJECTED);
	assert_int_equal(charger_remote_start(f->ch, f->now, 0, "APP2"), CHG_REJECTED);
	assert_int_equal(charger_remote_start(f->ch, f->now, 1, "APP1"), CHG_ACCEPTED);
	assert_int_equal(info(f, 1).status, CS_PREPARING);
	plug(f, 1, 32);
	assert_int_equal(f->r.nstart, 1);
	assert_int_equal(f->r.started[0].start_mode, START_REMOTE);
	assert_true(f->r.started[0].with_reservation);
	assert_int_equal(f->r.started[0].reservation_id, 42);
	fx_free(f);
	/* Plugged already: it starts at once. */
	f = fx_new("io7", NULL);
	assert_int_equal(reserve(f, 2, 7, "APP1", 600), CHG_ACCEPTED);
	plug(f, 2, 32);
	assert_int_equal(charger_remote_start(f->ch, f->now, 0, "APP1"), CHG_ACCEPTED);
	pump(f);
	assert_int_equal(f->r.started[0].connector, 2);
	assert_int_equal(f->r.started[0].reservation_id, 7);
	fx_free(f);
}

/* The EV leaves while its socket is being locked: no session, and the
 * reservation it was to use holds again. */
static void unplug_while_locking_keeps_reservation(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	assert_int_equal(reserve(f, 1, 42, "CARD1", 600), CHG_ACCEPTED);
	plug(f, 1, 32);
	int conn;
	assert_int_equal(charger_on_rfid(f->ch, f->now, "CARD1", &conn), SWIPE_STARTED);
	assert_int_equal(nres(f), 0);		   /* taken by the start */
	charger_on_cp(f->ch, f->now, 1, IEC_CP_A); /* before the lock is confirmed */
	pump(f);
	assert_int_equal(f->r.nstart, 0);
	assert_int_equal(nres(f), 1);
	assert_int_equal(info(f, 1).status, CS_RESERVED);
	fx_free(f);
}

/* ---- D1 D2 D3 A12: local policies ---------------------------------------- */

static uint32_t fixed_bits(void *user)
{
	return *(const uint32_t *)user;
}

static int64_t utc_ms_of(const char *text)
{
	int64_t t = 0;
	assert_true(settings_parse_utc(text, &t));
	return t * 1000;
}

/* As fx_new, with a random source giving *bits (NULL: none) and, with
 * loss, a start after a power loss with an EV already plugged into
 * connector at_boot (0: none) when the board reports ready. */
static struct fx *fx_policy(const char *profile, const char *const *sets, uint32_t *bits, bool loss,
			    int at_boot)
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
	f.board = (struct board_ops){&f.r, b_pwm, b_contactor, b_lock, b_led, b_beep};
	f.ev = (struct chg_events){&f.r, e_start, e_stop, e_status, NULL};
	f.ch = charger_new(f.s, f.cards, &f.board, &f.ev);
	assert_non_null(f.ch);
	charger_set_clock(f.ch, 0, 1767225600000LL); /* 2026-01-01T00:00:00Z */
	if (bits)
		charger_set_random(f.ch, fixed_bits, bits);
	if (loss)
		charger_power_loss(f.ch);
	charger_start(f.ch, 0);
	if (at_boot)
		plug(&f, at_boot, 32);
	charger_board_ready(f.ch, 0);
	pump(&f);
	return &f;
}

/* D1: io7 out of the box, London time: 08:00-11:00 and 16:00-22:00 offer
 * nothing (no_charging_period, SuspendedEVSE, LED "charging delayed"). */
static void uk_no_charging_period_suspends(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	charger_set_clock(f->ch, f->now, utc_ms_of("2026-01-15T07:59:00Z"));
	charging(f, 1, "CARD1");
	assert_true(info(f, 1).offered_a == 32.0);
	/* The charger wakes up exactly when the period begins. */
	assert_int_equal(charger_next_deadline(f->ch), f->now + 60000);
	advance(f, 60000);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 0.0);
	assert_int_equal(ci.limit, LIM_NO_CHARGE);
	assert_int_equal(ci.status, CS_SUSPENDED_EVSE);
	assert_string_equal(ci.led, "blue");
	assert_int_equal(f->r.duty[1], IEC_DUTY_OFF);
	advance(f, 3000); /* the EV's grace to stop drawing */
	assert_false(f->r.contactor[1]);
	/* 11:00: power again (no random source: no delay). */
	advance(f, 1000); /* the check for a welded contactor */
	int64_t eleven = 60000 + 3 * 3600 * 1000LL;
	assert_int_equal(charger_next_deadline(f->ch), eleven);
	advance(f, eleven - f->now);
	ci = info(f, 1);
	assert_true(ci.offered_a == 32.0);
	assert_int_equal(ci.status, CS_CHARGING);
	assert_true(f->r.contactor[1]);
	/* Switched off during the evening period: charging at once. */
	advance(f, 5 * 3600 * 1000LL);
	assert_int_equal(info(f, 1).limit, LIM_NO_CHARGE);
	set(f, "policy.no_charge_enabled", "false");
	assert_true(info(f, 1).offered_a == 32.0);
	fx_free(f);
}

/* D2: the randomised delay comes from the injected source, from the
 * session's start; the LED says "charging delayed" meanwhile. */
static void random_delay_from_injected_source(void **state)
{
	(void)state;
	uint32_t bits = UINT32_MAX / 2; /* 300 s of 600 */
	struct fx *f = fx_policy("io7", NULL, &bits, false, 0);
	plug(f, 1, 32);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 0.0);
	assert_int_equal(ci.limit, LIM_RANDOM_DELAY);
	assert_int_equal(ci.status, CS_SUSPENDED_EVSE);
	assert_string_equal(ci.led, "blue");
	assert_false(f->r.contactor[1]);
	assert_int_equal(charger_next_deadline(f->ch), f->now + 300000);
	advance(f, 299000);
	assert_int_equal(info(f, 1).limit, LIM_RANDOM_DELAY);
	advance(f, 1000);
	ci = info(f, 1);
	assert_true(ci.offered_a == 32.0);
	assert_int_equal(ci.status, CS_CHARGING);
	assert_string_equal(ci.led, "blue-pulsing");
	fx_free(f);
	/* 0 turns it off: the session charges at once. */
	static const char *const off[] = {"policy.random_delay_max", "0", NULL};
	f = fx_policy("io7", off, &bits, false, 0);
	charging(f, 1, "CARD1");
	fx_free(f);
}

/* D3: MQ200 hours of operation in its zone (Los Angeles); 2026-01-01 is a
 * Thursday. */
static void hours_of_operation_hold_until_open(void **state)
{
	(void)state;
	/* No LED dimming (its own deadline, MQ200 default 60 s) in the way. */
	static const char *const sets[] = {"hours.thu", "1000-2359", "led.dim_after", "0", NULL};
	struct fx *f = fx_policy("mq200", sets, NULL, false, 0);
	charger_set_clock(f->ch, f->now, utc_ms_of("2026-01-01T17:00:00Z")); /* 09:00 PST */
	plug(f, 1, 0);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 0.0);
	assert_int_equal(ci.limit, LIM_HOURS);
	assert_int_equal(ci.status, CS_SUSPENDED_EVSE);
	assert_int_equal(charger_next_deadline(f->ch), f->now + 3600000);
	advance(f, 3600000);
	ci = info(f, 1);
	assert_true(ci.offered_a > 0);
	assert_int_equal(ci.status, CS_CHARGING);
	/* Closed for the day now: it stops at once. */
	set(f, "hours.thu", "closed");
	assert_int_equal(info(f, 1).limit, LIM_HOURS);
	fx_free(f);
}

/* A12: after a power loss, charging waits the cold load pickup delay (120
 * s with the source's smallest draw) from the start. */
static void cold_load_pickup_after_power_loss(void **state)
{
	(void)state;
	uint32_t bits = 0;
	static const char *const sets[] = {"auth.required", "false", NULL};
	struct fx *f = fx_policy("io7", sets, &bits, true, 1);
	assert_true(info(f, 1).in_session);
	cp(f, 1, IEC_CP_C);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 0.0);
	assert_int_equal(ci.limit, LIM_COLD_LOAD);
	assert_string_equal(ci.led, "blue");
	advance(f, 119000);
	assert_int_equal(info(f, 1).limit, LIM_COLD_LOAD);
	/* An EV plugged meanwhile waits too. */
	plug(f, 2, 32);
	cp(f, 2, IEC_CP_C);
	assert_int_equal(info(f, 2).limit, LIM_COLD_LOAD);
	advance(f, 1000);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	assert_int_equal(info(f, 2).status, CS_CHARGING);
	fx_free(f);

	/* Without a power loss, or with the delay off, nothing waits. */
	f = fx_policy("io7", sets, &bits, false, 1);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
	static const char *const off[] = {"auth.required", "false", "cold_load.max_delay", "0",
					  NULL};
	f = fx_policy("io7", off, &bits, true, 1);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
}

/* A12: resume_after_reboot false (MQ200 default): the EV plugged through
 * the power loss gets nothing until unplugged and plugged again, or until a
 * card starts a session for it. */
static void no_resume_after_reboot_until_replug_or_card(void **state)
{
	(void)state;
	uint32_t bits = 0;
	static const char *const pnc[] = {"auth.plug_and_charge_id", "PLUGCHARGE1", NULL};
	struct fx *f = fx_policy("mq200", pnc, &bits, true, 1);
	cp(f, 1, IEC_CP_C);
	assert_true(info(f, 1).in_session);
	advance(f, 3600000);
	struct conn_info ci = info(f, 1);
	assert_true(ci.offered_a == 0.0);
	assert_int_equal(ci.limit, LIM_COLD_LOAD);
	assert_int_equal(charger_next_deadline(f->ch), INT64_MAX);
	cp(f, 1, IEC_CP_A);
	assert_false(info(f, 1).in_session);
	plug(f, 1, 0);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);

	/* With a card: the EV waits for one, and the card's session charges
	 * once the cold load delay is over. */
	f = fx_policy("mq200", NULL, &bits, true, 1);
	advance(f, 60000);
	assert_int_equal(swipe(f, "CARD1", NULL), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	assert_int_equal(info(f, 1).limit, LIM_COLD_LOAD);
	advance(f, 60000);
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);

	/* io7 resumes by default; with resume_after_reboot false only the
	 * connector plugged through the loss is held. */
	static const char *const io7[] = {"auth.required", "false", "resume_after_reboot", "false",
					  NULL};
	f = fx_policy("io7", io7, &bits, true, 1);
	plug(f, 2, 32);
	cp(f, 1, IEC_CP_C);
	cp(f, 2, IEC_CP_C);
	advance(f, 120000);
	assert_int_equal(info(f, 1).limit, LIM_COLD_LOAD);
	assert_int_equal(info(f, 2).status, CS_CHARGING);
	/* Switching resume on lets it charge. */
	set(f, "resume_after_reboot", "true");
	assert_int_equal(info(f, 1).status, CS_CHARGING);
	fx_free(f);
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
    cmocka_unit_test(load_limit_caps_the_charger),
    cmocka_unit_test(group_limit_caps_one_connector),
    cmocka_unit_test(identify_flashes_for_its_time),
    cmocka_unit_test(pause_below_minimum_and_resume),
    cmocka_unit_test(single_phase_connectors_on_different_lines),
    cmocka_unit_test(fault_opens_contactor_in_same_event),
    cmocka_unit_test(welded_relay_detected_after_opening),
    cmocka_unit_test(inoperative_while_the_lock_moves_starts_nothing),
    cmocka_unit_test(contactor_check_waits_for_a_settled_reading),
    cmocka_unit_test(tilt_and_bump_lock_out_until_reset),
    cmocka_unit_test(tilt_measured_from_the_calibrated_reference),
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
    cmocka_unit_test(reserve_answers),
    cmocka_unit_test(reserved_status_and_led),
    cmocka_unit_test(reservation_used_by_its_tag_plug_first),
    cmocka_unit_test(reservation_used_by_its_tag_authorize_first),
    cmocka_unit_test(reservation_parent_id_tag),
    cmocka_unit_test(may_start_respects_reservations),
    cmocka_unit_test(reservation_expires),
    cmocka_unit_test(reservation_cancel),
    cmocka_unit_test(reservation_replaced_by_same_id),
    cmocka_unit_test(reservation_ends_when_faulted_or_unavailable),
    cmocka_unit_test(connector_zero_keeps_one_free),
    cmocka_unit_test(free_charging_does_not_take_reserved),
    cmocka_unit_test(remote_start_uses_reservation),
    cmocka_unit_test(unplug_while_locking_keeps_reservation),
    cmocka_unit_test(uk_no_charging_period_suspends),
    cmocka_unit_test(random_delay_from_injected_source),
    cmocka_unit_test(hours_of_operation_hold_until_open),
    cmocka_unit_test(cold_load_pickup_after_power_loss),
    cmocka_unit_test(no_resume_after_reboot_until_replug_or_card),
};

VCLOCK_MAIN("charger", tests)
