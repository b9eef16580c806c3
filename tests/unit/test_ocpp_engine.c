/* SPDX-License-Identifier: MIT */
/*
 * The OCPP 1.6J engine under a virtual clock, with no network (C2 C3 C4 C5,
 * B3 cache): boot, heartbeat, the single outstanding CALL, status
 * notifications, transactions through the durable queue, meter values,
 * authorization with the cache, the Core operations and the reconnection
 * back-off. The fixture is a real charger (a recording board that
 * acknowledges lock commands) wired to the engine as src/daemon/evsed.c wires
 * it, and a fake struct ocpp_io that records every frame the engine sends;
 * the tests play the CSMS by answering those frames and sending CALLs.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/charger.h"
#include "core/ocpp/ocpp.h"
#include "core/version.h"
#include "vclock.h"

#define MAXC  5
#define MAXF  512
#define MAXQ  64
#define MAXTX 16

#define T0    1767225600LL /* 2026-01-01T00:00:00Z, UTC at monotonic 0 */
#define T0_MS (T0 * 1000)

struct qent {
	int64_t seq;
	char action[24];
	int64_t session;
	char *payload;
	int attempts;
};

struct stored {
	char key[64];
	char value[64];
};

struct fx {
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct ocpp_io io;
	struct ocpp *o;
	int64_t now;
	/* board */
	bool lock[MAXC], lock_acked[MAXC];
	int beeps_ok, beeps_bad;
	/* sessions */
	struct chg_session started[16], stopped[16];
	int nstart, nstop;
	int64_t next_number;
	/* frames sent by the engine, parsed */
	json_t *frames[MAXF];
	int nframes, read;
	char last_call_id[64];
	int csms_ids;
	/* durable queue */
	struct qent q[MAXQ];
	int qn;
	int64_t next_seq;
	/* transaction ids */
	struct {
		int64_t session;
		int id;
	} txm[MAXTX];
	int ntx;
	/* cache */
	struct ocpp_cache_entry puts[64];
	int nputs, nclears;
	/* settings */
	struct stored stored[32];
	int nstored, napplied;
	bool store_fails;
	/* clock, reset, rand */
	int64_t utc[16];
	int nutc;
	int resets;
	bool reset_hard;
	uint32_t rand_val;
};

/* ---- board and charger events ------------------------------------------- */

static void b_pwm(void *u, int c, int duty)
{
	(void)u;
	(void)c;
	(void)duty;
}

static void b_contactor(void *u, int c, bool closed, int phases)
{
	(void)u;
	(void)c;
	(void)closed;
	(void)phases;
}

static void b_lock(void *u, int c, bool locked)
{
	struct fx *f = u;
	f->lock[c] = locked;
	f->lock_acked[c] = false;
}

static void b_led(void *u, int c, const char *p)
{
	(void)u;
	(void)c;
	(void)p;
}

static void b_beep(void *u, enum beep_kind k)
{
	struct fx *f = u;
	if (k == BEEP_ACCEPT)
		f->beeps_ok++;
	else
		f->beeps_bad++;
}

/* As src/daemon/evsed.c: the session is numbered, its StartTransaction
 * queued, then the engine may send. */
static int64_t e_start(void *u, const struct chg_session *s)
{
	struct fx *f = u;
	struct chg_session n = *s;
	n.number = ++f->next_number;
	if (f->o && !ocpp_on_session_start(f->o, f->now, &n))
		return -1;
	f->started[f->nstart++ % 16] = n;
	if (f->o)
		ocpp_flush(f->o, f->now);
	return n.number;
}

static void e_stop(void *u, const struct chg_session *s)
{
	struct fx *f = u;
	f->stopped[f->nstop++ % 16] = *s;
	if (f->o) {
		(void)ocpp_on_session_stop(f->o, f->now, s);
		ocpp_flush(f->o, f->now);
	}
}

static void e_status(void *u, int c, enum conn_status st)
{
	struct fx *f = u;
	(void)st;
	if (f->o)
		ocpp_on_status(f->o, f->now, c);
}

static void e_log(void *u, const char *msg)
{
	(void)u;
	if (getenv("EVSED_TEST_TRACE"))
		fprintf(stderr, "charger: %s\n", msg);
}

/* ---- the fake ocpp_io --------------------------------------------------- */

static int io_send(void *u, const char *frame, size_t len)
{
	struct fx *f = u;
	if (getenv("EVSED_TEST_TRACE"))
		fprintf(stderr, "%7lld >> %.*s\n", (long long)f->now, (int)len, frame);
	json_error_t e;
	json_t *j = json_loadb(frame, len, 0, &e);
	assert_non_null(j);
	assert_true(json_is_array(j));
	assert_true(f->nframes < MAXF);
	f->frames[f->nframes++] = j;
	if (json_integer_value(json_array_get(j, 0)) == 2)
		snprintf(f->last_call_id, sizeof f->last_call_id, "%s",
			 json_string_value(json_array_get(j, 1)));
	return 0;
}

static int64_t io_q_push(void *u, const char *action, int64_t session, const char *payload)
{
	struct fx *f = u;
	if (f->qn == MAXQ)
		return -1;
	struct qent *e = &f->q[f->qn++];
	e->seq = ++f->next_seq;
	snprintf(e->action, sizeof e->action, "%s", action);
	e->session = session;
	e->payload = strdup(payload);
	e->attempts = 0;
	return e->seq;
}

static bool io_q_head(void *u, struct ocpp_qmsg *out)
{
	struct fx *f = u;
	if (f->qn == 0)
		return false;
	out->seq = f->q[0].seq;
	snprintf(out->action, sizeof out->action, "%s", f->q[0].action);
	out->session = f->q[0].session;
	out->payload = strdup(f->q[0].payload);
	out->attempts = f->q[0].attempts;
	return true;
}

static int q_find(struct fx *f, int64_t seq)
{
	for (int i = 0; i < f->qn; i++)
		if (f->q[i].seq == seq)
			return i;
	return -1;
}

static void io_q_pop(void *u, int64_t seq)
{
	struct fx *f = u;
	int i = q_find(f, seq);
	if (i < 0)
		return;
	free(f->q[i].payload);
	memmove(&f->q[i], &f->q[i + 1], (size_t)(f->qn - i - 1) * sizeof f->q[0]);
	f->qn--;
}

static void io_q_attempts(void *u, int64_t seq, int attempts)
{
	struct fx *f = u;
	int i = q_find(f, seq);
	if (i >= 0)
		f->q[i].attempts = attempts;
}

static int64_t io_q_count(void *u)
{
	return ((struct fx *)u)->qn;
}

static void io_tx_set(void *u, int64_t session, int id)
{
	struct fx *f = u;
	if (f->store_fails)
		return; /* the store could not record it */
	for (int i = 0; i < f->ntx; i++)
		if (f->txm[i].session == session) {
			f->txm[i].id = id;
			return;
		}
	assert_true(f->ntx < MAXTX);
	f->txm[f->ntx].session = session;
	f->txm[f->ntx].id = id;
	f->ntx++;
}

static bool io_tx_get(void *u, int64_t session, int *id)
{
	struct fx *f = u;
	for (int i = 0; i < f->ntx; i++)
		if (f->txm[i].session == session) {
			*id = f->txm[i].id;
			return true;
		}
	return false;
}

static void io_cache_put(void *u, const struct ocpp_cache_entry *e)
{
	struct fx *f = u;
	assert_true(f->nputs < 64);
	f->puts[f->nputs++] = *e;
}

static void io_cache_clear(void *u)
{
	((struct fx *)u)->nclears++;
}

static bool io_setting_store(void *u, const char *key, const char *value)
{
	struct fx *f = u;
	if (f->store_fails)
		return false;
	assert_true(f->nstored < 32);
	snprintf(f->stored[f->nstored].key, sizeof f->stored[0].key, "%s", key);
	snprintf(f->stored[f->nstored].value, sizeof f->stored[0].value, "%s", value);
	f->nstored++;
	return true;
}

/* As src/daemon/ocpp_link.c: the charger re-reads its settings. */
static void io_setting_applied(void *u, enum set_id id)
{
	struct fx *f = u;
	(void)id;
	f->napplied++;
	charger_settings_changed(f->ch, f->now);
}

static void io_set_utc(void *u, int64_t utc_ms)
{
	struct fx *f = u;
	assert_true(f->nutc < 16);
	f->utc[f->nutc++] = utc_ms;
	charger_set_clock(f->ch, f->now, utc_ms);
}

static void io_reset(void *u, bool hard)
{
	struct fx *f = u;
	f->resets++;
	f->reset_hard = hard;
}

static void io_log(void *u, const char *msg)
{
	struct fx *f = u;
	if (getenv("EVSED_TEST_TRACE"))
		fprintf(stderr, "%7lld %s\n", (long long)f->now, msg);
}

static uint32_t io_rand(void *u)
{
	return ((struct fx *)u)->rand_val;
}

/* ---- fixture ------------------------------------------------------------ */

/* The board confirms lock commands, outside the call that gave them. */
static void settle(struct fx *f)
{
	for (int round = 0; round < 8; round++) {
		bool any = false;
		for (int c = 1; c < MAXC; c++) {
			if (f->lock[c] && !f->lock_acked[c]) {
				f->lock_acked[c] = true;
				charger_on_lock(f->ch, f->now, c, true);
				any = true;
			}
		}
		if (!any)
			return;
	}
}

/* The fixture in use, freed by the teardown if a failed assertion left it. */
static struct fx *live;

/* A charger of profile with settings (name, value pairs, as if from the
 * settings file) and the engine, not connected, at monotonic 0 = T0. */
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
		    settings_set(f.s, sets[i], sets[i + 1], SRC_FILE, err, sizeof err, NULL),
		    SET_OK);
	f.cards = auth_list_new(10);
	assert_non_null(f.cards);
	assert_int_equal(auth_list_add(f.cards, "CARD1"), AUTH_OK);
	assert_int_equal(auth_list_add(f.cards, "CARD2"), AUTH_OK);
	f.board = (struct board_ops){&f, b_pwm, b_contactor, b_lock, b_led, b_beep};
	f.ev = (struct chg_events){&f, e_start, e_stop, e_status, e_log, NULL};
	f.ch = charger_new(f.s, f.cards, &f.board, &f.ev);
	assert_non_null(f.ch);
	charger_set_clock(f.ch, 0, T0_MS);
	charger_start(f.ch, 0);
	f.io = (struct ocpp_io){
	    .user = &f,
	    .send = io_send,
	    .q_push = io_q_push,
	    .q_head = io_q_head,
	    .q_pop = io_q_pop,
	    .q_attempts = io_q_attempts,
	    .q_count = io_q_count,
	    .tx_set = io_tx_set,
	    .tx_get = io_tx_get,
	    .cache_put = io_cache_put,
	    .cache_clear = io_cache_clear,
	    .setting_store = io_setting_store,
	    .setting_applied = io_setting_applied,
	    .set_utc = io_set_utc,
	    .reset = io_reset,
	    .log = io_log,
	    .rand = io_rand,
	};
	f.rand_val = 0x5eed;
	f.o = ocpp_new(f.s, f.ch, &f.io, 0);
	assert_non_null(f.o);
	charger_set_authorizer(f.ch, ocpp_authorizer(f.o));
	settle(&f);
	live = &f;
	return &f;
}

static void fx_free(struct fx *f)
{
	live = NULL;
	ocpp_free(f->o);
	charger_free(f->ch);
	auth_list_free(f->cards);
	settings_free(f->s);
	for (int i = 0; i < f->nframes; i++)
		json_decref(f->frames[i]);
	for (int i = 0; i < f->qn; i++)
		free(f->q[i].payload);
}

static int teardown(void **state)
{
	(void)state;
	if (live)
		fx_free(live);
	return 0;
}

/* A cache entry as the store would load it at start. */
static void cache_load(struct fx *f, const char *id, enum ocpp_auth_status st, int64_t expiry)
{
	struct ocpp_cache_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.id_tag, sizeof e.id_tag, "%s", id);
	e.status = st;
	e.expiry_utc = expiry;
	ocpp_cache_load(f->o, &e);
}

/* ---- charger events ----------------------------------------------------- */

static void cp(struct fx *f, int c, enum iec_cp level)
{
	charger_on_cp(f->ch, f->now, c, level);
	settle(f);
}

/* An EV with a 32 A cable plugs into connector c (state B). */
static void plug(struct fx *f, int c)
{
	charger_on_pp(f->ch, f->now, c, 32);
	cp(f, c, IEC_CP_B);
}

static enum swipe_result swipe(struct fx *f, const char *uid)
{
	int conn;
	enum swipe_result r = charger_on_rfid(f->ch, f->now, uid, &conn);
	settle(f);
	return r;
}

/* Connector c's meter reads wh, amps on each phase, 230/231/232 V. */
static void meter(struct fx *f, int c, double wh, double amps)
{
	struct meter_reading m;
	memset(&m, 0, sizeof m);
	m.energy_wh = wh;
	m.power_w = amps * 230 * 3;
	for (int i = 0; i < 3; i++) {
		m.current_a[i] = amps;
		m.voltage_v[i] = 230 + i;
	}
	m.frequency_hz = 50;
	m.temperature_c = 25;
	charger_on_meter(f->ch, f->now, c, &m);
}

static void fault(struct fx *f, int c, enum fault_id id, bool on)
{
	charger_on_fault(f->ch, f->now, c, id, on);
	settle(f);
}

/* ---- the virtual clock -------------------------------------------------- */

static void tick(struct fx *f)
{
	charger_tick(f->ch, f->now);
	settle(f);
	ocpp_tick(f->o, f->now);
	settle(f);
}

/* Move time on by ms, firing every deadline on the way at its instant (as
 * the shell's simulated clock does). */
static void advance(struct fx *f, int64_t ms)
{
	int64_t target = f->now + ms;
	for (int guard = 0; guard < 100000; guard++) {
		int64_t a = ocpp_next_deadline(f->o), b = charger_next_deadline(f->ch);
		int64_t d = a < b ? a : b;
		if (d <= f->now || d >= target)
			break;
		f->now = d;
		tick(f);
	}
	f->now = target;
	tick(f);
}

static void utc_text(int64_t utc, char *buf, size_t len)
{
	settings_format_utc(utc, buf, len);
}

/* ---- frames ------------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(absent)";
}

static json_int_t num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static bool has(const json_t *o, const char *key)
{
	return json_object_get(o, key) != NULL;
}

static void fail_frame(const char *what, const json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	print_error("%s: %s\n", what, s ? s : "nothing");
	free(s);
	fail();
}

static void no_frame(struct fx *f)
{
	if (f->read < f->nframes)
		fail_frame("unexpected frame", f->frames[f->read]);
}

static json_t *next_frame(struct fx *f)
{
	if (f->read == f->nframes)
		fail_frame("expected a frame", NULL);
	return f->frames[f->read++];
}

/* The next frame must be a CALL of action; its payload (owned by f). */
static json_t *expect_call(struct fx *f, const char *action)
{
	json_t *j = next_frame(f);
	const char *a = json_string_value(json_array_get(j, 2));
	if (json_integer_value(json_array_get(j, 0)) != 2 || !a || strcmp(a, action) != 0) {
		print_error("expected a %s CALL\n", action);
		fail_frame("got", j);
	}
	return json_array_get(j, 3);
}

/* Hand a frame (reference taken) to the engine. */
static void inject(struct fx *f, json_t *frame)
{
	char *t = json_dumps(frame, JSON_COMPACT);
	json_decref(frame);
	assert_non_null(t);
	ocpp_on_frame(f->o, f->now, t, strlen(t));
	free(t);
	settle(f);
}

/* Answer the last CALL sent with a CALLRESULT (payload reference taken). */
static void reply(struct fx *f, json_t *payload)
{
	inject(f, json_pack("[i, s, o]", 3, f->last_call_id, payload));
}

static void reply_error(struct fx *f, const char *code)
{
	inject(f, json_pack("[i, s, s, s, {}]", 4, f->last_call_id, code, "test"));
}

/* The CSMS sends a CALL with message id; the engine's answer frame. The
 * CALLs the operation caused stay in the stream in their order, wherever the
 * answer was among them (answer_precedes_what_it_causes checks where). */
static json_t *csms_call_id(struct fx *f, const char *id, const char *action, json_t *payload)
{
	int from = f->read;
	inject(f, json_pack("[i, s, s, o]", 2, id, action, payload));
	for (int k = from; k < f->nframes; k++) {
		json_t *a = f->frames[k];
		const char *aid = json_string_value(json_array_get(a, 1));
		if (json_integer_value(json_array_get(a, 0)) == 2 || !aid || strcmp(aid, id) != 0)
			continue;
		memmove(&f->frames[from + 1], &f->frames[from], (size_t)(k - from) * sizeof a);
		f->frames[from] = a;
		f->read = from + 1;
		return a;
	}
	fail_frame("no answer", NULL);
	return NULL;
}

static json_t *csms_call(struct fx *f, const char *action, json_t *payload)
{
	char id[32];
	snprintf(id, sizeof id, "csms-%d", ++f->csms_ids);
	return csms_call_id(f, id, action, payload);
}

/* A CALL the engine must answer with a CALLRESULT: its payload. */
static json_t *call_ok(struct fx *f, const char *action, json_t *payload)
{
	json_t *a = csms_call(f, action, payload);
	if (json_integer_value(json_array_get(a, 0)) != 3)
		fail_frame("expected a CALLRESULT", a);
	return json_array_get(a, 2);
}

/* A CALL the engine must answer with a CALLERROR: its code. */
static const char *call_err(struct fx *f, const char *action, json_t *payload)
{
	json_t *a = csms_call(f, action, payload);
	if (json_integer_value(json_array_get(a, 0)) != 4)
		fail_frame("expected a CALLERROR", a);
	return json_string_value(json_array_get(a, 2));
}

static const char *call_status(struct fx *f, const char *action, json_t *payload)
{
	return str(call_ok(f, action, payload), "status");
}

/* ---- status notifications ----------------------------------------------- */

struct stx {
	int conn;
	const char *status, *err, *vendor, *info;
};

static void check_status(const json_t *p, const struct stx *x)
{
	assert_int_equal(num(p, "connectorId"), x->conn);
	assert_string_equal(str(p, "status"), x->status);
	assert_string_equal(str(p, "errorCode"), x->err);
	assert_string_equal(str(p, "vendorErrorCode"), x->vendor ? x->vendor : "(absent)");
	assert_string_equal(str(p, "info"), x->info ? x->info : "(absent)");
	assert_true(has(p, "timestamp"));
	assert_int_equal(json_object_size(p), 4 + (x->vendor != NULL) + (x->info != NULL));
}

static void ack_status(struct fx *f, int conn, const char *status)
{
	struct stx x = {conn, status, "NoError", NULL, NULL};
	check_status(expect_call(f, "StatusNotification"), &x);
	reply(f, json_object());
}

/* Answer the StatusNotifications sent so far, whatever they say. */
static void ack_all_statuses(struct fx *f)
{
	while (f->read < f->nframes) {
		expect_call(f, "StatusNotification");
		reply(f, json_object());
	}
}

/* The next n frames are StatusNotifications matching xs in any order; each is
 * answered. */
static void expect_statuses(struct fx *f, const struct stx *xs, int n)
{
	bool seen[8] = {false};
	assert_true(n <= 8);
	for (int i = 0; i < n; i++) {
		json_t *p = expect_call(f, "StatusNotification");
		int c = (int)num(p, "connectorId"), k = -1;
		for (int j = 0; j < n; j++)
			if (xs[j].conn == c && !seen[j])
				k = j;
		if (k < 0)
			fail_frame("unexpected StatusNotification", p);
		seen[k] = true;
		check_status(p, &xs[k]);
		reply(f, json_object());
	}
}

/* Connect and get accepted with heartbeat interval hb; every connector's
 * status is reported and answered. */
static void boot(struct fx *f, int hb)
{
	ocpp_on_connected(f->o, f->now);
	settle(f);
	expect_call(f, "BootNotification");
	char now[32];
	utc_text(charger_utc(f->ch, f->now), now, sizeof now);
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime", now, "interval",
			   hb));
	for (int c = 0; c <= charger_connectors(f->ch); c++) {
		json_t *p = expect_call(f, "StatusNotification");
		assert_int_equal(num(p, "connectorId"), c);
		reply(f, json_object());
	}
	no_frame(f);
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
}

/* ---- transactions ------------------------------------------------------- */

static json_t *id_tag_info(const char *status)
{
	return json_pack("{s:s}", "status", status);
}

/* Plug connector c, swipe a card of the local list, the CSMS gives
 * transaction id txid, the EV draws: Charging, every frame answered. */
static void start_tx(struct fx *f, int c, const char *card, int txid)
{
	plug(f, c);
	ack_status(f, c, "Preparing");
	assert_int_equal(swipe(f, card), SWIPE_STARTED);
	json_t *p = expect_call(f, "StartTransaction");
	assert_int_equal(num(p, "connectorId"), c);
	assert_string_equal(str(p, "idTag"), card);
	reply(f,
	      json_pack("{s:i, s:o}", "transactionId", txid, "idTagInfo", id_tag_info("Accepted")));
	ack_status(f, c, "SuspendedEV");
	cp(f, c, IEC_CP_C);
	ack_status(f, c, "Charging");
	no_frame(f);
}

/* One expected SampledValue; unit or phase NULL = absent. */
struct svx {
	const char *value, *measurand, *unit, *context, *phase;
};

static void check_sv(const json_t *sv, const struct svx *x)
{
	assert_string_equal(str(sv, "value"), x->value);
	assert_string_equal(str(sv, "measurand"), x->measurand);
	assert_string_equal(str(sv, "context"), x->context);
	assert_string_equal(str(sv, "format"), "Raw");
	assert_string_equal(str(sv, "location"), "Outlet");
	assert_string_equal(str(sv, "unit"), x->unit ? x->unit : "(absent)");
	assert_string_equal(str(sv, "phase"), x->phase ? x->phase : "(absent)");
	assert_int_equal(json_object_size(sv), 5 + (x->unit != NULL) + (x->phase != NULL));
}

/* A MeterValue object: its timestamp and exactly the values xs. */
static void check_mv(const json_t *mv, int64_t utc, const struct svx *xs, size_t n)
{
	char ts[32];
	utc_text(utc, ts, sizeof ts);
	assert_string_equal(str(mv, "timestamp"), ts);
	json_t *arr = json_object_get(mv, "sampledValue");
	assert_int_equal(json_array_size(arr), n);
	for (size_t i = 0; i < n; i++)
		check_sv(json_array_get(arr, i), &xs[i]);
	assert_int_equal(json_object_size(mv), 2);
}

/* A MeterValues.req of connector c (transaction txid, 0 = none) with one
 * MeterValue; that MeterValue. */
static json_t *check_meter_values(const json_t *p, int c, int txid)
{
	assert_int_equal(num(p, "connectorId"), c);
	if (txid) {
		assert_int_equal(num(p, "transactionId"), txid);
		assert_int_equal(json_object_size(p), 3);
	} else {
		assert_false(has(p, "transactionId"));
		assert_int_equal(json_object_size(p), 2);
	}
	json_t *arr = json_object_get(p, "meterValue");
	assert_int_equal(json_array_size(arr), 1);
	return json_array_get(arr, 0);
}

static void check_time(const json_t *p, const char *key, int64_t utc)
{
	char ts[32];
	utc_text(utc, ts, sizeof ts);
	assert_string_equal(str(p, key), ts);
}

/* ========================================================================= */
/* Boot (C2)                                                                  */
/* ========================================================================= */

static void boot_accepted_then_statuses(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 2);
	no_frame(f); /* not connected: nothing to send */
	ocpp_on_connected(f->o, f->now);
	json_t *p = expect_call(f, "BootNotification");
	assert_string_equal(str(p, "chargePointVendor"), "Ratio");
	assert_string_equal(str(p, "chargePointModel"), "io7");
	assert_string_equal(str(p, "chargePointSerialNumber"), "RATIOIO7000001");
	assert_string_equal(str(p, "chargeBoxSerialNumber"), "RATIOIO7000001");
	assert_string_equal(str(p, "firmwareVersion"), EVSED_VERSION_STRING);
	assert_int_equal(json_object_size(p), 5);
	assert_int_equal(ocpp_state(f->o).boot, OB_SENT);
	/* Nothing else goes out before the answer. */
	plug(f, 1);
	advance(f, 10000);
	no_frame(f);
	/* Accepted: heartbeat interval (stored), clock, every status. */
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime",
			   "2026-01-01T01:00:00Z", "interval", 120));
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
	assert_int_equal(f->nutc, 1);
	assert_int_equal(f->utc[0], T0_MS + 3600 * 1000);
	assert_int_equal(settings_int(f->s, SET_HEARTBEAT_INTERVAL), 120);
	assert_int_equal(f->nstored, 1);
	assert_string_equal(f->stored[0].key, "HeartbeatInterval");
	assert_string_equal(f->stored[0].value, "120");
	static const char *const st[] = {"Available", "Preparing", "Preparing"};
	for (int c = 0; c <= 2; c++) {
		p = expect_call(f, "StatusNotification");
		struct stx x = {c, st[c], "NoError", NULL, NULL};
		check_status(p, &x);
		assert_string_equal(str(p, "timestamp"), "2026-01-01T01:00:00Z");
		reply(f, json_object());
	}
	no_frame(f);
	fx_free(f);
}

/* Pending or Rejected: BootNotification again after the interval given
 * (ocpp.boot_interval when 0), nothing else before. */
static void boot_not_accepted_retries(void **state)
{
	(void)state;
	static const struct {
		const char *status;
		int interval;
		int64_t wait_ms;
		enum ocpp_boot boot;
	} rows[] = {
	    {"Pending", 30, 30000, OB_PENDING},
	    {"Pending", 0, 60000, OB_PENDING},
	    {"Rejected", 45, 45000, OB_REJECTED},
	    {"Rejected", 0, 60000, OB_REJECTED},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		ocpp_on_connected(f->o, f->now);
		expect_call(f, "BootNotification");
		reply(f, json_pack("{s:s, s:s, s:i}", "status", rows[i].status, "currentTime",
				   "2026-01-01T00:00:00Z", "interval", rows[i].interval));
		assert_int_equal(ocpp_state(f->o).boot, rows[i].boot);
		plug(f, 1);
		assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED); /* queued, not sent */
		advance(f, rows[i].wait_ms - 1);
		no_frame(f);
		advance(f, 1);
		expect_call(f, "BootNotification");
		no_frame(f);
		reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime",
				   "2026-01-01T00:10:00Z", "interval", 300));
		expect_call(f, "StartTransaction");
		fx_free(f);
	}
}

static void boot_pending_answers_allowed_calls(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1);
	ocpp_on_connected(f->o, f->now);
	expect_call(f, "BootNotification");
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Pending", "currentTime",
			   "2026-01-01T00:00:00Z", "interval", 60));
	no_frame(f);
	json_t *r =
	    call_ok(f, "GetConfiguration", json_pack("{s:[s]}", "key", "HeartbeatInterval"));
	json_t *kv = json_array_get(json_object_get(r, "configurationKey"), 0);
	assert_string_equal(str(kv, "key"), "HeartbeatInterval");
	assert_string_equal(str(kv, "value"), "300");
	assert_string_equal(
	    call_status(f, "ChangeConfiguration",
			json_pack("{s:s, s:s}", "key", "MeterValueSampleInterval", "value", "30")),
	    "Accepted");
	assert_string_equal(call_err(f, "RemoteStartTransaction",
				     json_pack("{s:i, s:s}", "connectorId", 1, "idTag", "R1")),
			    "SecurityError");
	assert_string_equal(
	    call_err(f, "RemoteStopTransaction", json_pack("{s:i}", "transactionId", 1)),
	    "SecurityError");
	assert_int_equal(f->nstart, 0);
	no_frame(f);
	fx_free(f);
}

/* OCPP 1.6 4.2: "While Rejected, the Charge Point SHALL NOT respond to any
 * Central System initiated message." */
static void boot_rejected_answers_nothing(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	plug(f, 1);
	ocpp_on_connected(f->o, f->now);
	expect_call(f, "BootNotification");
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Rejected", "currentTime",
			   "2026-01-01T00:00:00Z", "interval", 60));
	inject(f, json_pack("[i, s, s, {s:[s]}]", 2, "c1", "GetConfiguration", "key",
			    "HeartbeatInterval"));
	no_frame(f);
	inject(f, json_pack("[i, s, s, {s:i, s:s}]", 2, "c2", "RemoteStartTransaction",
			    "connectorId", 1, "idTag", "R1"));
	no_frame(f);
	assert_int_equal(f->nstart, 0);
	fx_free(f);
}

static void boot_timeout_retries_after_boot_interval(void **state)
{
	(void)state;
	static const char *const sets[] = {"ocpp.call_timeout", "20", "ocpp.boot_interval", "100",
					   NULL};
	struct fx *f = fx_new("io7", sets);
	ocpp_on_connected(f->o, f->now);
	expect_call(f, "BootNotification");
	advance(f, 20000); /* no answer */
	no_frame(f);
	assert_int_equal(ocpp_state(f->o).calls_failed, 1);
	advance(f, 99999);
	no_frame(f);
	advance(f, 1);
	expect_call(f, "BootNotification");
	no_frame(f);
	fx_free(f);
}

/* ========================================================================= */
/* Heartbeat, one CALL at a time                                             */
/* ========================================================================= */

static void heartbeat_after_silence(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 60);
	advance(f, 59999);
	no_frame(f);
	advance(f, 1);
	json_t *p = expect_call(f, "Heartbeat");
	assert_int_equal(json_object_size(p), 0);
	reply(f, json_pack("{s:s}", "currentTime", "2026-01-01T00:05:00Z"));
	assert_int_equal(f->nutc, 2); /* boot, heartbeat */
	assert_int_equal(f->utc[1], (T0 + 300) * 1000);
	assert_int_equal(charger_utc(f->ch, f->now), T0 + 300);
	/* A message sent at 100 s moves the next heartbeat to 160 s. */
	advance(f, 40000);
	no_frame(f);
	plug(f, 1);
	p = expect_call(f, "StatusNotification");
	assert_string_equal(str(p, "timestamp"), "2026-01-01T00:05:40Z");
	reply(f, json_object());
	advance(f, 59999);
	no_frame(f);
	advance(f, 1);
	expect_call(f, "Heartbeat");
	reply(f, json_pack("{s:s}", "currentTime", "2026-01-01T00:06:40Z"));
	no_frame(f);
	/* HeartbeatInterval 0: none. */
	assert_string_equal(
	    call_status(f, "ChangeConfiguration",
			json_pack("{s:s, s:s}", "key", "HeartbeatInterval", "value", "0")),
	    "Accepted");
	advance(f, 3600 * 1000);
	no_frame(f);
	fx_free(f);
}

static void one_call_at_a_time(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 60);
	plug(f, 1);
	plug(f, 2);
	json_t *p = expect_call(f, "StatusNotification");
	assert_int_equal(num(p, "connectorId"), 1);
	no_frame(f); /* connector 2 waits for the answer */
	advance(f, 5000);
	no_frame(f);
	reply(f, json_object());
	ack_status(f, 2, "Preparing");
	no_frame(f);
	/* Unanswered: the line is free again after ocpp.call_timeout. */
	advance(f, 59999); /* 60 s after the last message */
	no_frame(f);
	advance(f, 1);
	expect_call(f, "Heartbeat");
	cp(f, 1, IEC_CP_A);
	no_frame(f);
	advance(f, 29999);
	no_frame(f);
	advance(f, 1);
	ack_status(f, 1, "Available");
	assert_int_equal(ocpp_state(f->o).calls_failed, 1);
	/* The late answer to the heartbeat is for no outstanding call. */
	no_frame(f);
	fx_free(f);
}

/* ========================================================================= */
/* Status notifications (C11)                                                */
/* ========================================================================= */

static void status_minimum_duration(void **state)
{
	(void)state;
	static const char *const sets[] = {"MinimumStatusDuration", "10", NULL};
	struct fx *f = fx_new("io7", sets);
	boot(f, 3600);
	plug(f, 1);
	advance(f, 9999);
	no_frame(f);
	advance(f, 1);
	ack_status(f, 1, "Preparing");
	/* A change that reverts within the duration is never reported. */
	cp(f, 1, IEC_CP_A);
	advance(f, 5000);
	plug(f, 1);
	advance(f, 60000);
	no_frame(f);
	/* The duration counts from the last change. */
	cp(f, 1, IEC_CP_A);
	advance(f, 9000);
	no_frame(f);
	advance(f, 1000);
	ack_status(f, 1, "Available");
	no_frame(f);
	fx_free(f);
}

/* The StatusNotification fault f gives connector c: its codes from the
 * fault table. */
static struct stx fault_status(int c, const char *status, enum fault_id id)
{
	const struct fault_def *d = fault_def(id);
	struct stx x = {c, status, d->ocpp_error, d->vendor_code, d->text};
	return x;
}

/* Faults that forbid power: reported at once (MinimumStatusDuration does
 * not hold them back) with the fault table's errorCode, vendorErrorCode and
 * info; charger-wide ones on connector 0 too. Clearing is an ordinary
 * change. */
static void status_fault_reported_at_once(void **state)
{
	(void)state;
	static const struct {
		enum fault_id fault;
		int conn; /* where it is raised */
		int n;
		int conns[3]; /* reported on */
	} rows[] = {
	    {FAULT_OVERTEMP, 1, 1, {1}},
	    {FAULT_LOCK, 2, 1, {2}},
	    {FAULT_OVERVOLTAGE, 0, 3, {0, 1, 2}},
	    {FAULT_GROUND, 1, 3, {0, 1, 2}}, /* charger-wide whatever the connector */
	};
	static const char *const sets[] = {"MinimumStatusDuration", "10", NULL};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", sets);
		boot(f, 3600);
		struct stx x[3], clear[3];
		for (int k = 0; k < rows[i].n; k++) {
			x[k] = fault_status(rows[i].conns[k], "Faulted", rows[i].fault);
			clear[k] =
			    (struct stx){rows[i].conns[k], "Available", "NoError", NULL, NULL};
		}
		fault(f, rows[i].conn, rows[i].fault, true);
		expect_statuses(f, x, rows[i].n);
		no_frame(f);
		fault(f, rows[i].conn, rows[i].fault, false);
		advance(f, 9999);
		no_frame(f);
		advance(f, 1);
		expect_statuses(f, clear, rows[i].n);
		no_frame(f);
		fx_free(f);
	}
}

/* A fault that does not forbid power changes no connector's status but its
 * errorCode: OCPP 1.6 4.9 reports errors as well as status changes, and a
 * fault at once. */
static void status_nonblocking_fault_reported(void **state)
{
	(void)state;
	static const struct {
		enum fault_id fault;
		int conn;
	} rows[] = {
	    {FAULT_METER_TIMEOUT, 1},
	    {FAULT_FAN, 0},
	    {FAULT_READER, 0},
	};
	static const char *const sets[] = {"MinimumStatusDuration", "10", NULL};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", sets);
		boot(f, 3600);
		struct stx x = fault_status(rows[i].conn, "Available", rows[i].fault);
		fault(f, rows[i].conn, rows[i].fault, true);
		/* The connector concerned is reported; a charger-wide fault may
		 * also be reported on each connector, with the same code. */
		bool seen = false;
		while (f->read < f->nframes) {
			json_t *p = expect_call(f, "StatusNotification");
			if (num(p, "connectorId") == x.conn) {
				check_status(p, &x);
				seen = true;
			} else {
				assert_string_equal(str(p, "errorCode"), x.err);
			}
			reply(f, json_object());
		}
		assert_true(seen);
		fx_free(f);
	}
}

/* ========================================================================= */
/* Transactions and meter values (C4, C5)                                    */
/* ========================================================================= */

static void transaction_authorize_start_meter_stop(void **state)
{
	(void)state;
	static const char *const sets[] = {"MeterValuesSampledData",
					   "Energy.Active.Import.Register,Current.Import",
					   "MeterValueSampleInterval",
					   "60",
					   "StopTxnSampledData",
					   "Energy.Active.Import.Register",
					   NULL};
	struct fx *f = fx_new("io7", sets);
	boot(f, 3600);
	meter(f, 1, 1000.4, 0);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	/* A card the charger does not know: Authorize.req. */
	assert_int_equal(swipe(f, "TAG9"), SWIPE_AUTHORIZING);
	json_t *p = expect_call(f, "Authorize");
	assert_string_equal(str(p, "idTag"), "TAG9");
	assert_int_equal(json_object_size(p), 1);
	assert_int_equal(f->nstart, 0);
	reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info("Accepted")));
	assert_int_equal(f->nstart, 1);
	p = expect_call(f, "StartTransaction");
	assert_int_equal(num(p, "connectorId"), 1);
	assert_string_equal(str(p, "idTag"), "TAG9");
	assert_int_equal(num(p, "meterStart"), 1000);
	check_time(p, "timestamp", T0);
	assert_int_equal(json_object_size(p), 4);
	no_frame(f); /* the status waits for the answer */
	reply(f,
	      json_pack("{s:i, s:o}", "transactionId", 42, "idTagInfo", id_tag_info("Accepted")));
	assert_int_equal(f->ntx, 1);
	assert_int_equal(f->txm[0].session, 1);
	assert_int_equal(f->txm[0].id, 42);
	int id = 0;
	assert_true(ocpp_transaction_id(f->o, 1, &id));
	assert_int_equal(id, 42);
	ack_status(f, 1, "SuspendedEV");
	cp(f, 1, IEC_CP_C);
	ack_status(f, 1, "Charging");
	/* Sampled every MeterValueSampleInterval from the start. */
	advance(f, 30000);
	meter(f, 1, 1500, 16);
	advance(f, 29999);
	no_frame(f);
	advance(f, 1);
	static const struct svx at60[] = {
	    {"1500.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL},
	    {"16.00", "Current.Import", "A", "Sample.Periodic", "L1"},
	    {"16.00", "Current.Import", "A", "Sample.Periodic", "L2"},
	    {"16.00", "Current.Import", "A", "Sample.Periodic", "L3"},
	};
	p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 42), T0 + 60, at60, 4);
	reply(f, json_object());
	meter(f, 1, 1800, 8);
	advance(f, 60000);
	static const struct svx at120[] = {
	    {"1800.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL},
	    {"8.00", "Current.Import", "A", "Sample.Periodic", "L1"},
	    {"8.00", "Current.Import", "A", "Sample.Periodic", "L2"},
	    {"8.00", "Current.Import", "A", "Sample.Periodic", "L3"},
	};
	p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 42), T0 + 120, at120, 4);
	reply(f, json_object());
	/* The same card stops: Local, with its idTag; no Authorize. */
	advance(f, 30000);
	meter(f, 1, 2000.7, 8);
	assert_int_equal(swipe(f, "TAG9"), SWIPE_STOPPED);
	p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 42);
	assert_string_equal(str(p, "idTag"), "TAG9");
	assert_int_equal(num(p, "meterStop"), 2000);
	check_time(p, "timestamp", T0 + 150);
	assert_string_equal(str(p, "reason"), "Local");
	json_t *td = json_object_get(p, "transactionData");
	assert_int_equal(json_array_size(td), 4);
	assert_int_equal(json_object_size(p), 6);
	static const struct svx b[] = {
	    {"1000.4", "Energy.Active.Import.Register", "Wh", "Transaction.Begin", NULL}};
	static const struct svx s1[] = {
	    {"1500.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL}};
	static const struct svx s2[] = {
	    {"1800.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL}};
	static const struct svx e[] = {
	    {"2000.7", "Energy.Active.Import.Register", "Wh", "Transaction.End", NULL}};
	check_mv(json_array_get(td, 0), T0, b, 1);
	check_mv(json_array_get(td, 1), T0 + 60, s1, 1);
	check_mv(json_array_get(td, 2), T0 + 120, s2, 1);
	check_mv(json_array_get(td, 3), T0 + 150, e, 1);
	reply(f, json_object());
	ack_status(f, 1, "Finishing");
	assert_int_equal(f->qn, 0);
	/* No more samples once stopped. */
	advance(f, 120000);
	no_frame(f);
	fx_free(f);
}

/* The store cannot record the transactionId (I/O error): the session's
 * MeterValues and StopTransaction still carry it, from memory, instead of
 * being dropped as if the CSMS had never accepted the transaction. */
static void transaction_id_kept_when_the_store_fails(void **state)
{
	(void)state;
	static const char *const sets[] = {"MeterValueSampleInterval", "60", NULL};
	struct fx *f = fx_new("io7", sets);
	boot(f, 3600);
	meter(f, 1, 1000, 0);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "TAG9"), SWIPE_AUTHORIZING);
	expect_call(f, "Authorize");
	reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info("Accepted")));
	expect_call(f, "StartTransaction");
	f->store_fails = true;
	reply(f,
	      json_pack("{s:i, s:o}", "transactionId", 77, "idTagInfo", id_tag_info("Accepted")));
	assert_int_equal(f->ntx, 0); /* nothing recorded */
	int id = 0;
	assert_true(ocpp_transaction_id(f->o, 1, &id));
	assert_int_equal(id, 77);
	ack_status(f, 1, "SuspendedEV");
	cp(f, 1, IEC_CP_C);
	ack_status(f, 1, "Charging");
	meter(f, 1, 1500, 16);
	advance(f, 60000);
	json_t *p = expect_call(f, "MeterValues");
	assert_int_equal(num(p, "transactionId"), 77);
	reply(f, json_object());
	assert_int_equal(swipe(f, "TAG9"), SWIPE_STOPPED);
	p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 77);
	reply(f, json_object());
	fx_free(f);
}

/* StartTransaction goes before the status changes that follow it, after
 * those that came before. */
static void transaction_order_with_status(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	plug(f, 1);
	json_t *p = expect_call(f, "StatusNotification"); /* Preparing, unanswered */
	assert_string_equal(str(p, "status"), "Preparing");
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	no_frame(f);
	reply(f, json_object());
	expect_call(f, "StartTransaction");
	no_frame(f);
	reply(f, json_pack("{s:i, s:o}", "transactionId", 8, "idTagInfo", id_tag_info("Accepted")));
	ack_status(f, 1, "Charging");
	/* Stop: StopTransaction before Finishing. */
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STOPPED);
	p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 8);
	no_frame(f);
	reply(f, json_object());
	ack_status(f, 1, "Finishing");
	no_frame(f);
	fx_free(f);
}

/* Measurands of MeterValuesSampledData, per phase where they have phases. */
static void meter_values_measurands(void **state)
{
	(void)state;
	static const struct {
		const char *phases;
		const char *measurands;
		size_t n;
		struct svx x[8];
	} rows[] = {
	    {"3",
	     "Power.Active.Import,Current.Import",
	     4,
	     {{"11040.0", "Power.Active.Import", "W", "Sample.Periodic", NULL},
	      {"16.00", "Current.Import", "A", "Sample.Periodic", "L1"},
	      {"16.00", "Current.Import", "A", "Sample.Periodic", "L2"},
	      {"16.00", "Current.Import", "A", "Sample.Periodic", "L3"}}},
	    {"1",
	     "Current.Import,Voltage,Energy.Active.Import.Register",
	     3,
	     {{"16.00", "Current.Import", "A", "Sample.Periodic", "L1"},
	      {"230.00", "Voltage", "V", "Sample.Periodic", NULL},
	      {"5000.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL}}},
	    {"3",
	     "Current.Offered,Frequency,Temperature",
	     3,
	     {{"32.0", "Current.Offered", "A", "Sample.Periodic", NULL},
	      {"50.0", "Frequency", NULL, "Sample.Periodic", NULL},
	      {"25.0", "Temperature", "Celsius", "Sample.Periodic", NULL}}},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"supply.phases",
				      rows[i].phases,
				      "MeterValuesSampledData",
				      rows[i].measurands,
				      "MeterValueSampleInterval",
				      "30",
				      NULL};
		struct fx *f = fx_new("io7", sets);
		boot(f, 3600);
		meter(f, 1, 5000, 16);
		start_tx(f, 1, "CARD1", 5);
		advance(f, 30000);
		json_t *p = expect_call(f, "MeterValues");
		check_mv(check_meter_values(p, 1, 5), T0 + 30, rows[i].x, rows[i].n);
		reply(f, json_object());
		no_frame(f);
		fx_free(f);
	}
}

/* Voltage to neutral is reported with the Phase values meant for it
 * (L1-N, L2-N, L3-N); "L1" is "measured on L1", a current's phase. */
static void meter_values_voltage_phase_to_neutral(void **state)
{
	(void)state;
	static const char *const sets[] = {"MeterValuesSampledData", "Voltage",
					   "MeterValueSampleInterval", "30", NULL};
	struct fx *f = fx_new("io7", sets);
	boot(f, 3600);
	meter(f, 1, 5000, 16);
	start_tx(f, 1, "CARD1", 5);
	advance(f, 30000);
	static const struct svx x[] = {
	    {"230.00", "Voltage", "V", "Sample.Periodic", "L1-N"},
	    {"231.00", "Voltage", "V", "Sample.Periodic", "L2-N"},
	    {"232.00", "Voltage", "V", "Sample.Periodic", "L3-N"},
	};
	json_t *p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 5), T0 + 30, x, 3);
	reply(f, json_object());
	fx_free(f);
}

static void meter_values_clock_aligned(void **state)
{
	(void)state;
	static const char *const sets[] = {"ClockAlignedDataInterval",
					   "900",
					   "MeterValueSampleInterval",
					   "0",
					   "MeterValuesAlignedData",
					   "Energy.Active.Import.Register",
					   "StopTxnAlignedData",
					   "Energy.Active.Import.Register",
					   NULL};
	struct fx *f = fx_new("io7", sets);
	advance(f, 100000); /* 00:01:40 */
	boot(f, 3600);
	meter(f, 1, 5000, 16);
	meter(f, 2, 300, 0);
	start_tx(f, 1, "CARD1", 11);
	advance(f, 799999);
	no_frame(f);
	advance(f, 1); /* 00:15:00 */
	static const struct svx c1[] = {
	    {"5000.0", "Energy.Active.Import.Register", "Wh", "Sample.Clock", NULL}};
	static const struct svx c2[] = {
	    {"300.0", "Energy.Active.Import.Register", "Wh", "Sample.Clock", NULL}};
	json_t *p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 11), T0 + 900, c1, 1);
	reply(f, json_object());
	p = expect_call(f, "MeterValues"); /* no transaction: no transactionId */
	check_mv(check_meter_values(p, 2, 0), T0 + 900, c2, 1);
	reply(f, json_object());
	no_frame(f);
	meter(f, 1, 6000, 16);
	advance(f, 900000); /* 00:30:00 */
	static const struct svx c3[] = {
	    {"6000.0", "Energy.Active.Import.Register", "Wh", "Sample.Clock", NULL}};
	p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 11), T0 + 1800, c3, 1);
	reply(f, json_object());
	p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 2, 0), T0 + 1800, c2, 1);
	reply(f, json_object());
	/* StopTxnAlignedData in transactionData. */
	advance(f, 60000);
	meter(f, 1, 6100, 16);
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STOPPED);
	p = expect_call(f, "StopTransaction");
	json_t *td = json_object_get(p, "transactionData");
	assert_int_equal(json_array_size(td), 4);
	static const struct svx b[] = {
	    {"5000.0", "Energy.Active.Import.Register", "Wh", "Transaction.Begin", NULL}};
	static const struct svx e[] = {
	    {"6100.0", "Energy.Active.Import.Register", "Wh", "Transaction.End", NULL}};
	check_mv(json_array_get(td, 0), T0 + 100, b, 1);
	check_mv(json_array_get(td, 1), T0 + 900, c1, 1);
	check_mv(json_array_get(td, 2), T0 + 1800, c3, 1);
	check_mv(json_array_get(td, 3), T0 + 1860, e, 1);
	reply(f, json_object());
	fx_free(f);
}

/* The clock set by BootNotification.conf moves the boundaries: the next
 * clock-aligned reading is at the next boundary of the CSMS's time. */
static void meter_values_aligned_after_clock_sync(void **state)
{
	(void)state;
	static const char *const sets[] = {"ClockAlignedDataInterval", "900", NULL};
	struct fx *f = fx_new("io7", sets);
	meter(f, 1, 100, 0);
	meter(f, 2, 200, 0);
	ocpp_on_connected(f->o, f->now);
	expect_call(f, "BootNotification");
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime",
			   "2026-01-01T00:10:00Z", "interval", 3600));
	for (int c = 0; c <= 2; c++)
		ack_status(f, c, "Available");
	advance(f, 299999);
	no_frame(f);
	advance(f, 1); /* 00:15:00 by the CSMS's clock */
	static const struct svx c1[] = {
	    {"100.0", "Energy.Active.Import.Register", "Wh", "Sample.Clock", NULL}};
	json_t *p = expect_call(f, "MeterValues");
	check_mv(check_meter_values(p, 1, 0), T0 + 900, c1, 1);
	fx_free(f);
}

/* ========================================================================= */
/* The durable queue (C5)                                                    */
/* ========================================================================= */

static void durable_queue_offline_then_in_order(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	meter(f, 1, 100, 0);
	plug(f, 1);
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED);
	cp(f, 1, IEC_CP_C);
	meter(f, 1, 200, 16);
	advance(f, 60000); /* MeterValueSampleInterval */
	meter(f, 1, 250, 16);
	advance(f, 30000);
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STOPPED);
	no_frame(f);
	assert_int_equal(f->qn, 3);
	assert_int_equal(ocpp_state(f->o).queued, 3);
	assert_string_equal(f->q[0].action, "StartTransaction");
	assert_string_equal(f->q[1].action, "MeterValues");
	assert_string_equal(f->q[2].action, "StopTransaction");
	advance(f, 10000);
	/* Connected and accepted: the queue in order, then the statuses. */
	ocpp_on_connected(f->o, f->now);
	expect_call(f, "BootNotification");
	no_frame(f);
	reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime",
			   "2026-01-01T00:01:40Z", "interval", 3600));
	json_t *p = expect_call(f, "StartTransaction");
	assert_false(has(p, "transactionId"));
	assert_int_equal(num(p, "meterStart"), 100);
	check_time(p, "timestamp", T0);
	no_frame(f);
	reply(f,
	      json_pack("{s:i, s:o}", "transactionId", 99, "idTagInfo", id_tag_info("Accepted")));
	p = expect_call(f, "MeterValues");
	static const struct svx mv[] = {
	    {"200.0", "Energy.Active.Import.Register", "Wh", "Sample.Periodic", NULL},
	    {"11040.0", "Power.Active.Import", "W", "Sample.Periodic", NULL},
	};
	check_mv(check_meter_values(p, 1, 99), T0 + 60, mv, 2);
	reply(f, json_object());
	p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 99);
	assert_int_equal(num(p, "meterStop"), 250);
	check_time(p, "timestamp", T0 + 90);
	assert_string_equal(str(p, "reason"), "Local");
	assert_string_equal(str(p, "idTag"), "CARD1");
	reply(f, json_object());
	static const struct stx st[] = {{0, "Available", "NoError", NULL, NULL},
					{1, "Finishing", "NoError", NULL, NULL},
					{2, "Available", "NoError", NULL, NULL}};
	expect_statuses(f, st, 3);
	no_frame(f);
	assert_int_equal(f->qn, 0);
	fx_free(f);
}

/* A transaction message that fails (CALLERROR or no answer) is sent again
 * after TransactionMessageRetryInterval x attempts, and dropped after
 * TransactionMessageAttempts; the messages of a transaction the CSMS never
 * accepted are dropped. */
static void durable_queue_retry_and_drop(void **state)
{
	(void)state;
	static const struct {
		bool timeout;
		int failures;
	} rows[] = {{false, 3}, {true, 3}, {false, 1}, {true, 2}};
	static const char *const sets[] = {"TransactionMessageAttempts",
					   "3",
					   "TransactionMessageRetryInterval",
					   "50",
					   "MeterValueSampleInterval",
					   "60",
					   NULL};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", sets);
		boot(f, 3600);
		plug(f, 1);
		ack_status(f, 1, "Preparing");
		assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED);
		json_t *first = expect_call(f, "StartTransaction");
		char *want = json_dumps(first, JSON_COMPACT | JSON_SORT_KEYS);
		for (int k = 1; k <= rows[i].failures; k++) {
			if (rows[i].timeout)
				advance(f, 30000);
			else
				reply_error(f, "InternalError");
			if (k == 1) /* a message waiting for its retry holds no other back */
				ack_status(f, 1, "SuspendedEV");
			no_frame(f);
			if (k == 3) {
				assert_int_equal(f->qn, 0); /* dropped */
				break;
			}
			assert_int_equal(f->q[0].attempts, k);
			advance(f, 50000 * k - 1);
			no_frame(f);
			advance(f, 1);
			json_t *again = expect_call(f, "StartTransaction");
			char *got = json_dumps(again, JSON_COMPACT | JSON_SORT_KEYS);
			assert_string_equal(got, want);
			free(got);
		}
		free(want);
		assert_int_equal(ocpp_state(f->o).calls_failed, rows[i].failures);
		if (rows[i].failures < 3) {
			reply(f, json_pack("{s:i, s:o}", "transactionId", 3, "idTagInfo",
					   id_tag_info("Accepted")));
			assert_int_equal(f->ntx, 1);
			/* Samples queued meanwhile follow, with the id. */
			while (f->read < f->nframes) {
				json_t *p = expect_call(f, "MeterValues");
				assert_int_equal(num(p, "transactionId"), 3);
				reply(f, json_object());
			}
		}
		/* Stop: its StopTransaction goes only if the start was accepted. */
		assert_int_equal(swipe(f, "CARD1"), SWIPE_STOPPED);
		if (rows[i].failures < 3) {
			json_t *p = expect_call(f, "StopTransaction");
			assert_int_equal(num(p, "transactionId"), 3);
			reply(f, json_object());
		}
		ack_status(f, 1, "Finishing");
		no_frame(f);
		assert_int_equal(f->qn, 0);
		fx_free(f);
	}
}

/* StartTransaction.conf refuses the id tag, StopTransactionOnInvalidId true:
 * the session stops with reason DeAuthorized, StopTransaction follows. */
static void start_conf_invalid_stops_deauthorized(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	meter(f, 1, 700, 0);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED);
	expect_call(f, "StartTransaction");
	cp(f, 1, IEC_CP_C);
	reply(f, json_pack("{s:i, s:o}", "transactionId", 5, "idTagInfo", id_tag_info("Invalid")));
	assert_int_equal(f->nstop, 1);
	assert_int_equal(f->stopped[0].reason, STOP_DEAUTHORIZED);
	json_t *p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 5);
	assert_string_equal(str(p, "reason"), "DeAuthorized");
	assert_false(has(p, "idTag"));
	assert_int_equal(num(p, "meterStop"), 700);
	reply(f, json_object());
	ack_status(f, 1, "Finishing");
	no_frame(f);
	assert_int_equal(f->qn, 0);
	fx_free(f);
}

/* StopTransactionOnInvalidId false: charging goes on until
 * MaxEnergyOnInvalidId is used, then SuspendedEVSE. */
static void start_conf_invalid_max_energy(void **state)
{
	(void)state;
	static const char *const sets[] = {"StopTransactionOnInvalidId", "false",
					   "MaxEnergyOnInvalidId", "1000", NULL};
	struct fx *f = fx_new("io7", sets);
	boot(f, 3600);
	meter(f, 1, 10000, 0);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "CARD1"), SWIPE_STARTED);
	expect_call(f, "StartTransaction");
	reply(f, json_pack("{s:i, s:o}", "transactionId", 6, "idTagInfo", id_tag_info("Blocked")));
	ack_status(f, 1, "SuspendedEV");
	cp(f, 1, IEC_CP_C);
	ack_status(f, 1, "Charging");
	meter(f, 1, 10999, 16);
	advance(f, 1000);
	no_frame(f);
	meter(f, 1, 11000, 16);
	advance(f, 1000);
	ack_status(f, 1, "SuspendedEVSE");
	assert_int_equal(f->nstop, 0);
	no_frame(f);
	fx_free(f);
}

/* ========================================================================= */
/* Authorization and its cache (B3)                                          */
/* ========================================================================= */

static void cache_filled_from_authorize_and_start(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "TAGA"), SWIPE_AUTHORIZING);
	expect_call(f, "Authorize");
	reply(f, json_pack("{s:{s:s, s:s, s:s}}", "idTagInfo", "status", "Accepted", "expiryDate",
			   "2026-02-01T00:00:00Z", "parentIdTag", "PARENT"));
	assert_int_equal(f->nputs, 1);
	assert_string_equal(f->puts[0].id_tag, "TAGA");
	assert_int_equal(f->puts[0].status, OAS_ACCEPTED);
	assert_int_equal(f->puts[0].expiry_utc, T0 + 31 * 86400);
	assert_string_equal(f->puts[0].parent, "PARENT");
	expect_call(f, "StartTransaction");
	reply(f, json_pack("{s:i, s:{s:s, s:s}}", "transactionId", 1, "idTagInfo", "status",
			   "ConcurrentTx", "expiryDate", "2026-03-01T00:00:00Z"));
	assert_int_equal(f->nputs, 2);
	assert_string_equal(f->puts[1].id_tag, "TAGA");
	assert_int_equal(f->puts[1].status, OAS_CONCURRENT_TX);
	assert_int_equal(f->puts[1].expiry_utc, T0 + 59 * 86400);
	assert_string_equal(f->puts[1].parent, "");
	fx_free(f);
}

/* StopTransaction.conf's idTagInfo is about the idTag that stopped: OCPP 1.6
 * 4.10 "This information SHOULD be used to update the Authorization Cache". */
static void cache_updated_from_stop_conf(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "TAGS"), SWIPE_AUTHORIZING);
	expect_call(f, "Authorize");
	reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info("Accepted")));
	expect_call(f, "StartTransaction");
	reply(f, json_pack("{s:i, s:o}", "transactionId", 1, "idTagInfo", id_tag_info("Accepted")));
	ack_status(f, 1, "SuspendedEV");
	int before = f->nputs;
	assert_int_equal(swipe(f, "TAGS"), SWIPE_STOPPED);
	json_t *p = expect_call(f, "StopTransaction");
	assert_string_equal(str(p, "idTag"), "TAGS");
	reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info("Blocked")));
	assert_int_equal(f->nputs, before + 1);
	assert_string_equal(f->puts[before].id_tag, "TAGS");
	assert_int_equal(f->puts[before].status, OAS_BLOCKED);
	fx_free(f);
}

/* Online: LocalPreAuthorize starts at once for a valid cached id; anything
 * else asks the CSMS. */
static void local_pre_authorize(void **state)
{
	(void)state;
	static const struct {
		const char *pre;
		enum ocpp_auth_status st;
		int64_t expiry;
		bool asks;
	} rows[] = {
	    {"true", OAS_ACCEPTED, 0, false},	  {"true", OAS_ACCEPTED, T0 + 3600, false},
	    {"true", OAS_ACCEPTED, T0 - 1, true}, /* expired */
	    {"true", OAS_BLOCKED, 0, true},	  {"false", OAS_ACCEPTED, 0, true},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"LocalPreAuthorize", rows[i].pre, NULL};
		struct fx *f = fx_new("io7", sets);
		cache_load(f, "TAGB", rows[i].st, rows[i].expiry);
		boot(f, 3600);
		plug(f, 1);
		ack_status(f, 1, "Preparing");
		enum swipe_result r = swipe(f, "tagb"); /* ids compare case-insensitively */
		if (rows[i].asks) {
			assert_int_equal(r, SWIPE_AUTHORIZING);
			assert_string_equal(str(expect_call(f, "Authorize"), "idTag"), "tagb");
		} else {
			assert_int_equal(r, SWIPE_STARTED);
			assert_string_equal(str(expect_call(f, "StartTransaction"), "idTag"),
					    "tagb");
		}
		no_frame(f);
		fx_free(f);
	}
}

/* Offline: LocalAuthorizeOffline for ids the cache accepts,
 * AllowOfflineTxForUnknownId for ids it does not know;
 * AuthorizationCacheEnabled false ignores the cache. */
static void offline_authorization(void **state)
{
	(void)state;
	static const struct {
		const char *cache_on, *lao, *unknown;
		bool cached;
		enum ocpp_auth_status st;
		int64_t expiry;
		enum swipe_result want;
	} rows[] = {
	    {"true", "true", "false", true, OAS_ACCEPTED, 0, SWIPE_STARTED},
	    {"true", "true", "false", true, OAS_ACCEPTED, T0 + 60, SWIPE_STARTED},
	    {"true", "false", "false", true, OAS_ACCEPTED, 0, SWIPE_REJECTED},
	    {"true", "true", "false", true, OAS_ACCEPTED, T0, SWIPE_REJECTED}, /* expired */
	    {"true", "true", "true", true, OAS_BLOCKED, 0, SWIPE_REJECTED},
	    {"true", "true", "false", false, OAS_ACCEPTED, 0, SWIPE_REJECTED},
	    {"true", "true", "true", false, OAS_ACCEPTED, 0, SWIPE_STARTED},
	    {"false", "true", "false", true, OAS_ACCEPTED, 0, SWIPE_REJECTED},
	    {"false", "true", "true", true, OAS_BLOCKED, 0, SWIPE_STARTED},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"AuthorizationCacheEnabled",
				      rows[i].cache_on,
				      "LocalAuthorizeOffline",
				      rows[i].lao,
				      "AllowOfflineTxForUnknownId",
				      rows[i].unknown,
				      NULL};
		struct fx *f = fx_new("io7", sets);
		if (rows[i].cached)
			cache_load(f, "TAGC", rows[i].st, rows[i].expiry);
		plug(f, 1);
		assert_int_equal(swipe(f, "TAGC"), rows[i].want);
		assert_int_equal(f->nstart, rows[i].want == SWIPE_STARTED);
		assert_int_equal(f->qn, rows[i].want == SWIPE_STARTED);
		no_frame(f);
		fx_free(f);
	}
}

/* No answer to Authorize (timeout or lost connection): the offline rules
 * decide. */
static void authorize_unanswered_offline_rules(void **state)
{
	(void)state;
	static const struct {
		bool disconnect;
		const char *unknown;
		bool cached;
		bool starts;
	} rows[] = {
	    {false, "true", false, true},  {false, "false", false, false},
	    {false, "false", true, true},  {true, "true", false, true},
	    {true, "false", false, false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"AllowOfflineTxForUnknownId", rows[i].unknown, NULL};
		struct fx *f = fx_new("io7", sets);
		if (rows[i].cached)
			cache_load(f, "TAGT", OAS_ACCEPTED, 0);
		boot(f, 3600);
		plug(f, 1);
		ack_status(f, 1, "Preparing");
		assert_int_equal(swipe(f, "TAGT"), SWIPE_AUTHORIZING);
		expect_call(f, "Authorize");
		if (rows[i].disconnect) {
			ocpp_on_disconnected(f->o, f->now);
			settle(f);
		} else {
			advance(f, 29999);
			assert_int_equal(f->nstart, 0);
			advance(f, 1);
		}
		assert_int_equal(f->nstart, rows[i].starts);
		assert_int_equal(f->beeps_bad, !rows[i].starts);
		if (rows[i].starts && !rows[i].disconnect)
			expect_call(f, "StartTransaction");
		no_frame(f);
		fx_free(f);
	}
}

static void clear_cache_empties_it(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	cache_load(f, "TAGC", OAS_ACCEPTED, 0);
	boot(f, 3600);
	assert_string_equal(call_status(f, "ClearCache", json_object()), "Accepted");
	assert_int_equal(f->nclears, 1);
	ocpp_on_disconnected(f->o, f->now);
	plug(f, 1);
	assert_int_equal(swipe(f, "TAGC"), SWIPE_REJECTED); /* no longer known offline */
	fx_free(f);
}

/* AuthorizationCacheEnabled false: answers are not cached; switching it
 * off clears the cache. */
static void cache_disabled(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	assert_string_equal(call_status(f, "ChangeConfiguration",
					json_pack("{s:s, s:s}", "key", "AuthorizationCacheEnabled",
						  "value", "false")),
			    "Accepted");
	assert_int_equal(f->nclears, 1);
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	assert_int_equal(swipe(f, "TAGD"), SWIPE_AUTHORIZING);
	expect_call(f, "Authorize");
	reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info("Accepted")));
	expect_call(f, "StartTransaction");
	reply(f, json_pack("{s:i, s:o}", "transactionId", 1, "idTagInfo", id_tag_info("Accepted")));
	assert_int_equal(f->nputs, 0);
	assert_int_equal(f->nstart, 1);
	fx_free(f);
}

/* ========================================================================= */
/* Operations the CSMS calls (C3)                                            */
/* ========================================================================= */

static void change_availability(void **state)
{
	(void)state;
	static const struct {
		int session_on; /* connector with a session, 0 = none */
		int conn;
		const char *type;
		const char *answer;
		int n;
		struct stx x[3];
	} rows[] = {
	    {0, 1, "Inoperative", "Accepted", 1, {{1, "Unavailable", "NoError", NULL, NULL}}},
	    {0,
	     0,
	     "Inoperative",
	     "Accepted",
	     3,
	     {{0, "Unavailable", "NoError", NULL, NULL},
	      {1, "Unavailable", "NoError", NULL, NULL},
	      {2, "Unavailable", "NoError", NULL, NULL}}},
	    {0, 1, "Operative", "Accepted", 0, {{0}}},
	    {1, 1, "Inoperative", "Scheduled", 0, {{0}}},
	    {2, 0, "Inoperative", "Scheduled", 0, {{0}}},
	    {1, 2, "Inoperative", "Accepted", 1, {{2, "Unavailable", "NoError", NULL, NULL}}},
	    {0, 3, "Inoperative", "Rejected", 0, {{0}}},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		boot(f, 3600);
		if (rows[i].session_on)
			start_tx(f, rows[i].session_on, "CARD1", 1);
		assert_string_equal(call_status(f, "ChangeAvailability",
						json_pack("{s:i, s:s}", "connectorId", rows[i].conn,
							  "type", rows[i].type)),
				    rows[i].answer);
		expect_statuses(f, rows[i].x, rows[i].n);
		no_frame(f);
		if (rows[i].conn >= 0 && rows[i].conn <= 2)
			assert_int_equal(charger_available(f->ch, rows[i].conn),
					 strcmp(rows[i].type, "Operative") == 0 ||
					     strcmp(rows[i].answer, "Scheduled") == 0);
		if (strcmp(rows[i].answer, "Scheduled") == 0) {
			/* Applied when the transaction ends. */
			assert_int_equal(swipe(f, "CARD1"), SWIPE_STOPPED);
			expect_call(f, "StopTransaction");
			reply(f, json_object());
			assert_false(charger_available(f->ch, rows[i].conn));
		}
		fx_free(f);
	}
}

static void change_configuration(void **state)
{
	(void)state;
	static const struct {
		const char *key, *value;
		bool store_fails;
		const char *answer;
		const char *after; /* value afterwards, NULL: not checked (no such setting, or a
				    * product-defined value) */
	} rows[] = {
	    {"HeartbeatInterval", "60", false, "Accepted", "60"},
	    {"MeterValueSampleInterval", "15", false, "Accepted", "15"},
	    {"LocalPreAuthorize", "true", false, "Accepted", "true"},
	    {"MeterValuesSampledData", "Energy.Active.Import.Register,Voltage", false, "Accepted",
	     "Energy.Active.Import.Register,Voltage"},
	    {"HeartbeatInterval", "abc", false, "Rejected", "300"},
	    {"HeartbeatInterval", "-5", false, "Rejected", "300"},
	    {"StopTransactionOnInvalidId", "maybe", false, "Rejected", "true"},
	    {"MeterValuesSampledData", "Energy.Active.Import.Register,Bogus", false, "Rejected",
	     "Energy.Active.Import.Register,Power.Active.Import"},
	    {"NumberOfConnectors", "3", false, "Rejected", "2"},
	    {"GetConfigurationMaxKeys", "5", false, "Rejected", "100"},
	    {"SupportedFeatureProfiles", "Core", false, "Rejected", NULL},
	    {"LocalAuthListEnabled", "false", false, "Accepted", "false"},
	    {"LocalAuthListMaxLength", "5", false, "Rejected", "1000"}, /* start only */
	    {"SendLocalListMaxLength", "5", false, "Rejected", "1000"},
	    {"NoSuchKey", "1", false, "NotSupported", NULL},
	    {"ocpp.url", "ws://x", false, "NotSupported", NULL}, /* not an OCPP key */
	    {"StopTransactionOnInvalidId", "false", true, "Rejected", "true"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		boot(f, 300);
		int stored = f->nstored;
		f->store_fails = rows[i].store_fails;
		assert_string_equal(call_status(f, "ChangeConfiguration",
						json_pack("{s:s, s:s}", "key", rows[i].key, "value",
							  rows[i].value)),
				    rows[i].answer);
		bool ok = strcmp(rows[i].answer, "Accepted") == 0;
		assert_int_equal(f->nstored, stored + ok);
		assert_int_equal(f->napplied, ok);
		if (ok) {
			assert_string_equal(f->stored[stored].key, rows[i].key);
			assert_string_equal(f->stored[stored].value, rows[i].value);
		}
		enum set_id id;
		if (rows[i].after) {
			assert_true(settings_find(rows[i].key, &id));
			assert_string_equal(settings_str(f->s, id), rows[i].after);
		}
		no_frame(f);
		fx_free(f);
	}
}

/* Every OCPP key that needs a restart answers RebootRequired (none today:
 * the loop checks the table as it grows). */
static void change_configuration_reboot_required(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 300);
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		if (!d->ocpp_key || !(d->flags & SF_REBOOT) ||
		    (d->flags & (SF_READONLY | SF_STARTUP)))
			continue;
		assert_string_equal(call_status(f, "ChangeConfiguration",
						json_pack("{s:s, s:s}", "key", d->ocpp_key, "value",
							  settings_str(f->s, (enum set_id)i))),
				    "RebootRequired");
	}
	no_frame(f);
	fx_free(f);
}

/* A CALL answered after ChangeConfiguration HeartbeatInterval uses it. */
static void change_configuration_applies(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	advance(f, 10000);
	assert_string_equal(
	    call_status(f, "ChangeConfiguration",
			json_pack("{s:s, s:s}", "key", "HeartbeatInterval", "value", "20")),
	    "Accepted");
	advance(f, 19999);
	no_frame(f);
	advance(f, 1);
	expect_call(f, "Heartbeat");
	fx_free(f);
}

static void get_configuration(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 300);
	/* Every OCPP key, with its readonly flag and value. */
	for (int empty = 0; empty < 2; empty++) {
		json_t *r = call_ok(f, "GetConfiguration",
				    empty ? json_pack("{s:[]}", "key") : json_object());
		json_t *keys = json_object_get(r, "configurationKey");
		assert_false(has(r, "unknownKey"));
		size_t n = 0;
		for (int i = 0; i < SET_COUNT; i++) {
			const struct set_def *d = settings_def((enum set_id)i);
			if (!d->ocpp_key)
				continue;
			bool found = false;
			for (size_t k = 0; k < json_array_size(keys); k++) {
				json_t *kv = json_array_get(keys, k);
				if (strcmp(str(kv, "key"), d->ocpp_key) != 0)
					continue;
				found = true;
				/* Start-only keys are product limits: read-only. */
				assert_int_equal(json_is_true(json_object_get(kv, "readonly")),
						 (d->flags & (SF_READONLY | SF_STARTUP)) != 0);
				/* A secret (AuthorizationKey) is write-only. */
				if (d->flags & SF_SECRET)
					assert_null(json_object_get(kv, "value"));
				else
					assert_string_equal(str(kv, "value"),
							    settings_str(f->s, (enum set_id)i));
			}
			assert_true(found);
			n++;
		}
		assert_int_equal(json_array_size(keys), n);
	}
	/* Specific keys, in the order asked. */
	json_t *r =
	    call_ok(f, "GetConfiguration",
		    json_pack("{s:[s, s]}", "key", "NumberOfConnectors", "HeartbeatInterval"));
	json_t *keys = json_object_get(r, "configurationKey");
	assert_int_equal(json_array_size(keys), 2);
	assert_string_equal(str(json_array_get(keys, 0), "key"), "NumberOfConnectors");
	assert_string_equal(str(json_array_get(keys, 0), "value"), "2");
	assert_true(json_is_true(json_object_get(json_array_get(keys, 0), "readonly")));
	assert_string_equal(str(json_array_get(keys, 1), "key"), "HeartbeatInterval");
	assert_string_equal(str(json_array_get(keys, 1), "value"), "300");
	assert_true(json_is_false(json_object_get(json_array_get(keys, 1), "readonly")));
	assert_false(has(r, "unknownKey"));
	/* Unknown keys. */
	r = call_ok(f, "GetConfiguration",
		    json_pack("{s:[s, s, s]}", "key", "Nope", "HeartbeatInterval", "ocpp.url"));
	assert_int_equal(json_array_size(json_object_get(r, "configurationKey")), 1);
	json_t *unknown = json_object_get(r, "unknownKey");
	assert_int_equal(json_array_size(unknown), 2);
	assert_string_equal(json_string_value(json_array_get(unknown, 0)), "Nope");
	assert_string_equal(json_string_value(json_array_get(unknown, 1)), "ocpp.url");
	r = call_ok(f, "GetConfiguration", json_pack("{s:[s]}", "key", "Nope"));
	assert_false(has(r, "configurationKey"));
	assert_int_equal(json_array_size(json_object_get(r, "unknownKey")), 1);
	/* At most GetConfigurationMaxKeys keys. */
	int64_t max = settings_int(f->s, SET_GET_CONFIGURATION_MAX_KEYS);
	json_t *many = json_array();
	for (int64_t i = 0; i < max; i++)
		json_array_append_new(many, json_string("HeartbeatInterval"));
	r = call_ok(f, "GetConfiguration", json_pack("{s:O}", "key", many));
	assert_int_equal(json_array_size(json_object_get(r, "configurationKey")), (size_t)max);
	json_array_append_new(many, json_string("HeartbeatInterval"));
	assert_string_equal(call_err(f, "GetConfiguration", json_pack("{s:o}", "key", many)),
			    "OccurenceConstraintViolation");
	no_frame(f);
	fx_free(f);
}

/* Configuration keys are CiString50Type: case-insensitive (OCPP 1.6 2.2,
 * 6.9, 6.23). */
static void configuration_keys_case_insensitive(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 300);
	json_t *r =
	    call_ok(f, "GetConfiguration", json_pack("{s:[s]}", "key", "heartbeatinterval"));
	assert_false(has(r, "unknownKey"));
	assert_int_equal(json_array_size(json_object_get(r, "configurationKey")), 1);
	assert_string_equal(
	    call_status(f, "ChangeConfiguration",
			json_pack("{s:s, s:s}", "key", "HEARTBEATINTERVAL", "value", "60")),
	    "Accepted");
	assert_int_equal(settings_int(f->s, SET_HEARTBEAT_INTERVAL), 60);
	fx_free(f);
}

static void remote_start(void **state)
{
	(void)state;
	static const struct {
		const char *authorize_first;
		int plugged; /* before the request, 0 = none */
		int conn;    /* connectorId asked, -1 = absent */
		const char *answer;
		const char *auth_status; /* Authorize.conf, NULL: none expected */
		int plug_after;		 /* EV plugged after the answer */
		int starts_on;		 /* 0 = no session */
	} rows[] = {
	    {"false", 1, 1, "Accepted", NULL, 0, 1},
	    {"false", 2, -1, "Accepted", NULL, 0, 2},
	    {"false", 0, -1, "Accepted", NULL, 1, 1},
	    {"false", 0, 2, "Accepted", NULL, 2, 2},
	    {"false", 0, 3, "Rejected", NULL, 0, 0},
	    {"false", 0, 0, "Rejected", NULL, 0, 0},
	    {"true", 1, 1, "Accepted", "Accepted", 0, 1},
	    {"true", 0, -1, "Accepted", "Accepted", 2, 2},
	    {"true", 1, 1, "Accepted", "Invalid", 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"AuthorizeRemoteTxRequests", rows[i].authorize_first, NULL};
		struct fx *f = fx_new("io7", sets);
		boot(f, 3600);
		if (rows[i].plugged) {
			plug(f, rows[i].plugged);
			ack_status(f, rows[i].plugged, "Preparing");
		}
		json_t *req = json_pack("{s:s}", "idTag", "REM1");
		if (rows[i].conn >= 0)
			json_object_set_new(req, "connectorId", json_integer(rows[i].conn));
		assert_string_equal(call_status(f, "RemoteStartTransaction", req), rows[i].answer);
		if (rows[i].auth_status) {
			assert_string_equal(str(expect_call(f, "Authorize"), "idTag"), "REM1");
			assert_int_equal(f->nstart, 0);
			reply(f, json_pack("{s:o}", "idTagInfo", id_tag_info(rows[i].auth_status)));
		}
		if (rows[i].plug_after) {
			ack_all_statuses(f); /* Preparing while it waits for an EV */
			plug(f, rows[i].plug_after);
			/* A socket locks the cable before the session starts: the
			 * plug may show Preparing before StartTransaction. */
			if (f->read < f->nframes &&
			    strcmp(json_string_value(json_array_get(f->frames[f->read], 2)),
				   "StatusNotification") == 0) {
				expect_call(f, "StatusNotification");
				reply(f, json_object());
			}
		}
		assert_int_equal(f->nstart, rows[i].starts_on != 0);
		if (rows[i].starts_on) {
			assert_int_equal(f->started[0].connector, rows[i].starts_on);
			assert_int_equal(f->started[0].start_mode, START_REMOTE);
			json_t *p = expect_call(f, "StartTransaction");
			assert_int_equal(num(p, "connectorId"), rows[i].starts_on);
			assert_string_equal(str(p, "idTag"), "REM1");
		}
		fx_free(f);
	}
}

static void remote_stop(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	start_tx(f, 1, "CARD1", 42);
	assert_string_equal(
	    call_status(f, "RemoteStopTransaction", json_pack("{s:i}", "transactionId", 43)),
	    "Rejected");
	no_frame(f);
	assert_int_equal(f->nstop, 0);
	assert_string_equal(
	    call_status(f, "RemoteStopTransaction", json_pack("{s:i}", "transactionId", 42)),
	    "Accepted");
	assert_int_equal(f->nstop, 1);
	assert_int_equal(f->stopped[0].reason, STOP_REMOTE);
	json_t *p = expect_call(f, "StopTransaction");
	assert_int_equal(num(p, "transactionId"), 42);
	assert_string_equal(str(p, "reason"), "Remote");
	assert_false(has(p, "idTag"));
	reply(f, json_object());
	ack_status(f, 1, "Finishing");
	/* Gone now. */
	assert_string_equal(
	    call_status(f, "RemoteStopTransaction", json_pack("{s:i}", "transactionId", 42)),
	    "Rejected");
	fx_free(f);
}

/* Reset: transactions stopped with SoftReset / HardReset; the reset once
 * their StopTransaction is out, or after 10 s at the latest. */
static void reset_stops_then_resets(void **state)
{
	(void)state;
	static const struct {
		const char *type;
		const char *reason;
		bool answer_stop;
	} rows[] = {
	    {"Soft", "SoftReset", true},
	    {"Hard", "HardReset", true},
	    {"Soft", "SoftReset", false},
	    {"Hard", "HardReset", false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		boot(f, 3600);
		start_tx(f, 2, "CARD1", 77);
		assert_string_equal(
		    call_status(f, "Reset", json_pack("{s:s}", "type", rows[i].type)), "Accepted");
		assert_int_equal(f->nstop, 1);
		json_t *p = expect_call(f, "StopTransaction");
		assert_int_equal(num(p, "transactionId"), 77);
		assert_string_equal(str(p, "reason"), rows[i].reason);
		assert_false(has(p, "idTag"));
		assert_int_equal(f->resets, 0);
		bool hard = strcmp(rows[i].type, "Hard") == 0;
		if (rows[i].answer_stop) {
			reply(f, json_object());
			ack_status(f, 2, "Finishing");
			advance(f, 1);
			assert_int_equal(f->resets, 1);
		} else {
			advance(f, 9999);
			assert_int_equal(f->resets, 0);
			advance(f, 1);
			assert_int_equal(f->resets, 1);
		}
		assert_int_equal(f->reset_hard, hard);
		advance(f, 20000);
		assert_int_equal(f->resets, 1);
		fx_free(f);
	}
}

/* Once the queue is drained the reset is due: a shell that ticks at
 * ocpp_next_deadline (the simulated clock) must not wait for the 10 s. */
static void reset_due_once_drained(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	start_tx(f, 1, "CARD1", 77);
	assert_string_equal(call_status(f, "Reset", json_pack("{s:s}", "type", "Soft")),
			    "Accepted");
	expect_call(f, "StopTransaction");
	reply(f, json_object());
	ack_status(f, 1, "Finishing");
	if (f->resets == 0) {
		assert_true(ocpp_next_deadline(f->o) <= f->now);
		tick(f);
	}
	assert_int_equal(f->resets, 1);
	fx_free(f);
}

static void unlock_connector(void **state)
{
	(void)state;
	static const struct {
		const char *profile;
		int conn;
		bool session;
		bool lock_fault;
		const char *answer;
	} rows[] = {
	    {"io7", 1, false, false, "Unlocked"},     {"io7", 2, true, false, "Unlocked"},
	    {"io7", 1, false, true, "UnlockFailed"},  {"io7", 3, false, false, "NotSupported"},
	    {"io7", 0, false, false, "NotSupported"}, {"mq200", 1, false, false, "NotSupported"},
	    {"evplus", 1, false, false, "Unlocked"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new(rows[i].profile, NULL);
		boot(f, 3600);
		if (rows[i].session)
			start_tx(f, rows[i].conn, "CARD1", 9);
		if (rows[i].lock_fault) {
			fault(f, rows[i].conn, FAULT_LOCK, true);
			struct stx x = fault_status(rows[i].conn, "Faulted", FAULT_LOCK);
			expect_statuses(f, &x, 1);
		}
		assert_string_equal(call_status(f, "UnlockConnector",
						json_pack("{s:i}", "connectorId", rows[i].conn)),
				    rows[i].answer);
		if (rows[i].session) {
			assert_int_equal(f->stopped[0].reason, STOP_UNLOCK);
			json_t *p = expect_call(f, "StopTransaction");
			assert_string_equal(str(p, "reason"), "UnlockCommand");
			reply(f, json_object());
			ack_status(f, rows[i].conn, "Finishing");
			assert_false(f->lock[rows[i].conn]);
		}
		no_frame(f);
		fx_free(f);
	}
}

static void data_transfer(void **state)
{
	(void)state;
	static const struct {
		const char *vendor;
		const char *answer;
	} rows[] = {
	    {"acme", "UnknownVendorId"},
	    {"evsed", "UnknownMessageId"},
	    {"Ratio", "UnknownMessageId"},
	};
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_string_equal(call_status(f, "DataTransfer",
						json_pack("{s:s, s:s}", "vendorId", rows[i].vendor,
							  "messageId", "x")),
				    rows[i].answer);
	no_frame(f);
	fx_free(f);
}

/* Unknown actions, payloads that break the schema: the CALLERROR code for
 * each. (Every OCPP 1.6 profile is supported now: no action is answered
 * NotSupported.) */
static void call_errors(void **state)
{
	(void)state;
	static const struct {
		const char *action;
		const char *payload;
		const char *code;
	} rows[] = {
	    {"FooBar", "{}", "NotImplemented"},
	    {"UpdateFirmware", "{\"location\":\"ftp://x/\"}", "OccurenceConstraintViolation"},
	    {"GetCompositeSchedule", "{\"connectorId\":1}", "OccurenceConstraintViolation"},
	    {"ClearChargingProfile", "{\"chargingProfilePurpose\":\"Nope\"}",
	     "PropertyConstraintViolation"},
	    {"ChangeAvailability", "{\"connectorId\":\"1\",\"type\":\"Operative\"}",
	     "TypeConstraintViolation"},
	    {"ChangeAvailability", "{\"connectorId\":1}", "OccurenceConstraintViolation"},
	    {"ChangeAvailability", "{\"connectorId\":1,\"type\":\"Sideways\"}",
	     "PropertyConstraintViolation"},
	    {"ChangeAvailability", "{\"connectorId\":1,\"type\":\"Operative\",\"x\":1}",
	     "FormationViolation"},
	    {"RemoteStartTransaction", "{\"idTag\":\"123456789012345678901\"}",
	     "PropertyConstraintViolation"},
	    {"Reset", "[]", "FormationViolation"},
	};
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_error_t e;
		json_t *payload = json_loads(rows[i].payload, 0, &e);
		assert_non_null(payload);
		assert_string_equal(call_err(f, rows[i].action, payload), rows[i].code);
	}
	assert_int_equal(f->nstart, 0);
	assert_int_equal(f->resets, 0);
	no_frame(f);
	fx_free(f);
}

/* A CALL repeated with the same message id gets the same answer and is not
 * carried out twice. */
static void duplicate_call_id(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	json_t *a =
	    csms_call_id(f, "dup-1", "ChangeConfiguration",
			 json_pack("{s:s, s:s}", "key", "MeterValueSampleInterval", "value", "20"));
	char *first = json_dumps(a, JSON_COMPACT);
	json_t *b =
	    csms_call_id(f, "dup-1", "ChangeConfiguration",
			 json_pack("{s:s, s:s}", "key", "MeterValueSampleInterval", "value", "40"));
	char *second = json_dumps(b, JSON_COMPACT);
	assert_string_equal(first, second);
	free(first);
	free(second);
	assert_int_equal(f->nstored, 2); /* boot's HeartbeatInterval, one change */
	assert_int_equal(settings_int(f->s, SET_METER_VALUE_SAMPLE_INTERVAL), 20);
	/* A remote start repeated starts one session. */
	plug(f, 1);
	ack_status(f, 1, "Preparing");
	a = csms_call_id(f, "dup-2", "RemoteStartTransaction",
			 json_pack("{s:i, s:s}", "connectorId", 1, "idTag", "REM1"));
	first = json_dumps(a, JSON_COMPACT);
	expect_call(f, "StartTransaction");
	b = csms_call_id(f, "dup-2", "RemoteStartTransaction",
			 json_pack("{s:i, s:s}", "connectorId", 1, "idTag", "REM1"));
	second = json_dumps(b, JSON_COMPACT);
	assert_string_equal(first, second);
	free(first);
	free(second);
	assert_int_equal(f->nstart, 1);
	no_frame(f);
	fx_free(f);
}

/* The answer to a CALL goes before the messages the operation causes: the
 * CSMS learns that its request was accepted before it sees the effect (the
 * order of the OCPP 1.6 compliance test cases, e.g. TC_010_CS: "The Charge
 * Point responds with a RemoteStartTransaction.conf", then "sends a
 * StartTransaction.req"). */
static void answer_precedes_what_it_causes(void **state)
{
	(void)state;
	static const struct {
		bool tx; /* a transaction on connector 1 first, else an EV plugged there */
		const char *action, *payload, *causes;
	} rows[] = {
	    {false, "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"REM1\"}",
	     "StartTransaction"},
	    {true, "RemoteStopTransaction", "{\"transactionId\":4}", "StopTransaction"},
	    {true, "Reset", "{\"type\":\"Soft\"}", "StopTransaction"},
	    {true, "UnlockConnector", "{\"connectorId\":1}", "StopTransaction"},
	    {false, "ChangeAvailability", "{\"connectorId\":2,\"type\":\"Inoperative\"}",
	     "StatusNotification"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		boot(f, 3600);
		if (rows[i].tx) {
			start_tx(f, 1, "CARD1", 4);
		} else {
			plug(f, 1);
			ack_status(f, 1, "Preparing");
		}
		json_error_t e;
		json_t *payload = json_loads(rows[i].payload, 0, &e);
		assert_non_null(payload);
		inject(f, json_pack("[i, s, s, o]", 2, "order-1", rows[i].action, payload));
		json_t *a = next_frame(f);
		if (json_integer_value(json_array_get(a, 0)) != 3)
			fail_frame("expected the CALLRESULT first", a);
		assert_string_equal(json_string_value(json_array_get(a, 1)), "order-1");
		expect_call(f, rows[i].causes);
		fx_free(f);
	}
}

/* Answers to no outstanding CALL are ignored; the outstanding one stays. */
static void unknown_answer_ignored(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	boot(f, 3600);
	plug(f, 1);
	expect_call(f, "StatusNotification");
	inject(f, json_pack("[i, s, {}]", 3, "nope"));
	inject(f, json_pack("[i, s, s, s, {}]", 4, "nope", "InternalError", ""));
	plug(f, 2);
	no_frame(f);
	assert_int_equal(ocpp_state(f->o).calls_failed, 0);
	reply(f, json_object());
	ack_status(f, 2, "Preparing");
	no_frame(f);
	fx_free(f);
}

/* ========================================================================= */
/* Reconnection back-off                                                     */
/* ========================================================================= */

static void reconnect_delay(void **state)
{
	(void)state;
	static const struct {
		const char *max;
		int n;
		int64_t d[9];
	} rows[] = {
	    {"120", 9, {2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000}},
	    {"10", 5, {2000, 4000, 8000, 10000, 10000}},
	    {"1", 2, {1000, 1000}},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"ocpp.reconnect_max", rows[i].max, NULL};
		struct fx *f = fx_new("io7", sets);
		/* rand 0: the low end d/2; rand d/2: the high end d; any rand:
		 * within [d/2, d]. After a connection it starts again. */
		for (int pass = 0; pass < 3; pass++) {
			for (int k = 0; k < rows[i].n; k++) {
				int64_t d = rows[i].d[k];
				f->rand_val = pass == 0	  ? 0
					      : pass == 1 ? (uint32_t)(d / 2)
							  : UINT32_MAX;
				int64_t got = ocpp_reconnect_delay(f->o);
				if (pass == 0)
					assert_int_equal(got, d / 2);
				else if (pass == 1)
					assert_int_equal(got, d);
				else
					assert_int_equal(
					    got,
					    d / 2 + (int64_t)(UINT32_MAX % (uint32_t)(d / 2 + 1)));
				assert_true(got >= d / 2 && got <= d);
			}
			ocpp_on_connected(f->o, f->now);
			ocpp_on_disconnected(f->o, f->now);
		}
		fx_free(f);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(boot_accepted_then_statuses, teardown),
    cmocka_unit_test_teardown(boot_not_accepted_retries, teardown),
    cmocka_unit_test_teardown(boot_pending_answers_allowed_calls, teardown),
    cmocka_unit_test_teardown(boot_rejected_answers_nothing, teardown),
    cmocka_unit_test_teardown(boot_timeout_retries_after_boot_interval, teardown),
    cmocka_unit_test_teardown(heartbeat_after_silence, teardown),
    cmocka_unit_test_teardown(one_call_at_a_time, teardown),
    cmocka_unit_test_teardown(status_minimum_duration, teardown),
    cmocka_unit_test_teardown(status_fault_reported_at_once, teardown),
    cmocka_unit_test_teardown(status_nonblocking_fault_reported, teardown),
    cmocka_unit_test_teardown(transaction_authorize_start_meter_stop, teardown),
    cmocka_unit_test_teardown(transaction_id_kept_when_the_store_fails, teardown),
    cmocka_unit_test_teardown(transaction_order_with_status, teardown),
    cmocka_unit_test_teardown(meter_values_measurands, teardown),
    cmocka_unit_test_teardown(meter_values_voltage_phase_to_neutral, teardown),
    cmocka_unit_test_teardown(meter_values_clock_aligned, teardown),
    cmocka_unit_test_teardown(meter_values_aligned_after_clock_sync, teardown),
    cmocka_unit_test_teardown(durable_queue_offline_then_in_order, teardown),
    cmocka_unit_test_teardown(durable_queue_retry_and_drop, teardown),
    cmocka_unit_test_teardown(start_conf_invalid_stops_deauthorized, teardown),
    cmocka_unit_test_teardown(start_conf_invalid_max_energy, teardown),
    cmocka_unit_test_teardown(cache_filled_from_authorize_and_start, teardown),
    cmocka_unit_test_teardown(cache_updated_from_stop_conf, teardown),
    cmocka_unit_test_teardown(local_pre_authorize, teardown),
    cmocka_unit_test_teardown(offline_authorization, teardown),
    cmocka_unit_test_teardown(authorize_unanswered_offline_rules, teardown),
    cmocka_unit_test_teardown(clear_cache_empties_it, teardown),
    cmocka_unit_test_teardown(cache_disabled, teardown),
    cmocka_unit_test_teardown(change_availability, teardown),
    cmocka_unit_test_teardown(change_configuration, teardown),
    cmocka_unit_test_teardown(change_configuration_reboot_required, teardown),
    cmocka_unit_test_teardown(change_configuration_applies, teardown),
    cmocka_unit_test_teardown(get_configuration, teardown),
    cmocka_unit_test_teardown(configuration_keys_case_insensitive, teardown),
    cmocka_unit_test_teardown(remote_start, teardown),
    cmocka_unit_test_teardown(remote_stop, teardown),
    cmocka_unit_test_teardown(reset_stops_then_resets, teardown),
    cmocka_unit_test_teardown(reset_due_once_drained, teardown),
    cmocka_unit_test_teardown(unlock_connector, teardown),
    cmocka_unit_test_teardown(data_transfer, teardown),
    cmocka_unit_test_teardown(call_errors, teardown),
    cmocka_unit_test_teardown(duplicate_call_id, teardown),
    cmocka_unit_test_teardown(answer_precedes_what_it_causes, teardown),
    cmocka_unit_test_teardown(unknown_answer_ignored, teardown),
    cmocka_unit_test_teardown(reconnect_delay, teardown),
};

VCLOCK_MAIN("ocpp_engine", tests)
