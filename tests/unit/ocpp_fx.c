/* SPDX-License-Identifier: MIT */
/*
 * The OCPP engine fixture (ocpp_fx.h): a real charger and engine, a fake io
 * that remembers, and the CSMS's side of the frames. Nothing here decides
 * anything; the tests assert.
 */
#include "ocpp_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	(void)u;
	(void)k;
}

/* As src/daemon/evsed.c: the session is numbered, its StartTransaction
 * queued, then the engine may send. */
static int64_t e_start(void *u, const struct chg_session *s)
{
	struct fx *f = u;
	struct chg_session n = *s;
	n.number = ++f->next_number;
	if (!ocpp_on_session_start(f->o, f->now, &n))
		return -1;
	f->nstart++;
	f->last_start = n;
	ocpp_flush(f->o, f->now);
	return n.number;
}

static void e_stop(void *u, const struct chg_session *s)
{
	struct fx *f = u;
	f->nstop++;
	(void)ocpp_on_session_stop(f->o, f->now, s);
	ocpp_flush(f->o, f->now);
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
	assert_true(f->nframes < FX_MAXF);
	f->frames[f->nframes++] = j;
	if (json_integer_value(json_array_get(j, 0)) == 2)
		snprintf(f->last_call_id, sizeof f->last_call_id, "%s",
			 json_string_value(json_array_get(j, 1)));
	return 0;
}

static int64_t io_q_push(void *u, const char *action, int64_t session, const char *payload)
{
	struct fx *f = u;
	if (f->qn == FX_MAXQ)
		return -1;
	f->q[f->qn].seq = ++f->next_seq;
	snprintf(f->q[f->qn].action, sizeof f->q[0].action, "%s", action);
	f->q[f->qn].session = session;
	f->q[f->qn].payload = strdup(payload);
	f->q[f->qn].attempts = 0;
	return f->q[f->qn++].seq;
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

static void io_q_pop(void *u, int64_t seq)
{
	struct fx *f = u;
	for (int i = 0; i < f->qn; i++) {
		if (f->q[i].seq != seq)
			continue;
		free(f->q[i].payload);
		memmove(&f->q[i], &f->q[i + 1], (size_t)(f->qn - i - 1) * sizeof f->q[0]);
		f->qn--;
		return;
	}
}

static void io_q_attempts(void *u, int64_t seq, int attempts)
{
	struct fx *f = u;
	for (int i = 0; i < f->qn; i++)
		if (f->q[i].seq == seq)
			f->q[i].attempts = attempts;
}

static int64_t io_q_count(void *u)
{
	return ((struct fx *)u)->qn;
}

static void io_tx_set(void *u, int64_t session, int id)
{
	struct fx *f = u;
	assert_true(f->ntx < 16);
	f->tx_session[f->ntx] = session;
	f->tx_id[f->ntx++] = id;
}

static bool io_tx_get(void *u, int64_t session, int *id)
{
	struct fx *f = u;
	for (int i = f->ntx - 1; i >= 0; i--)
		if (f->tx_session[i] == session) {
			*id = f->tx_id[i];
			return true;
		}
	return false;
}

static void io_cache_put(void *u, const struct ocpp_cache_entry *e)
{
	(void)e;
	((struct fx *)u)->cache_puts++;
}

static void io_cache_clear(void *u)
{
	(void)u;
}

static int list_index(const struct fx *f, const char *id)
{
	for (int i = 0; i < f->nlist; i++)
		if (strcasecmp(f->list[i].id_tag, id) == 0)
			return i;
	return -1;
}

static bool io_list_replace(void *u, const struct ocpp_list_entry *e, int n, int version)
{
	struct fx *f = u;
	f->list_writes++;
	f->list_last_n = n;
	f->list_last_full = true;
	if (f->list_fails)
		return false;
	assert_true(n <= FX_MAXLIST);
	memcpy(f->list, e, (size_t)n * sizeof e[0]);
	f->nlist = n;
	f->list_version = version;
	return true;
}

static bool io_list_apply(void *u, const struct ocpp_list_entry *e, int n, int version)
{
	struct fx *f = u;
	f->list_writes++;
	f->list_last_n = n;
	f->list_last_full = false;
	if (f->list_fails)
		return false;
	for (int i = 0; i < n; i++) {
		int k = list_index(f, e[i].id_tag);
		if (e[i].remove) {
			if (k >= 0)
				f->list[k] = f->list[--f->nlist];
			continue;
		}
		if (k < 0) {
			assert_true(f->nlist < FX_MAXLIST);
			k = f->nlist++;
		}
		f->list[k] = e[i];
	}
	f->list_version = version;
	return true;
}

static bool io_profiles_write(void *u, const int32_t *removed, int n, int32_t id, int conn,
			      const char *json)
{
	struct fx *f = u;
	f->prof_writes++;
	if (f->prof_fails)
		return false;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < f->nprof; k++)
			if (f->prof[k].id == removed[i])
				f->prof[k--] = f->prof[--f->nprof];
	if (!json)
		return true;
	int k = 0;
	while (k < f->nprof && f->prof[k].id != id)
		k++;
	if (k == f->nprof) {
		assert_true(f->nprof < FX_MAXLIST);
		f->nprof++;
	}
	f->prof[k].id = id;
	f->prof[k].conn = conn;
	assert_true(strlen(json) < sizeof f->prof[k].json);
	snprintf(f->prof[k].json, sizeof f->prof[k].json, "%s", json);
	return true;
}

static bool io_setting_store(void *u, const char *key, const char *value)
{
	(void)u;
	(void)key;
	(void)value;
	return true;
}

static void io_setting_applied(void *u, enum set_id id)
{
	struct fx *f = u;
	(void)id;
	charger_settings_changed(f->ch, f->now);
}

static void io_set_utc(void *u, int64_t utc_ms)
{
	struct fx *f = u;
	charger_set_clock(f->ch, f->now, utc_ms);
}

static void io_log(void *u, const char *msg)
{
	struct fx *f = u;
	if (getenv("EVSED_TEST_TRACE"))
		fprintf(stderr, "%7lld %s\n", (long long)f->now, msg);
}

static uint32_t io_rand(void *u)
{
	(void)u;
	return 0x5eed;
}

/* ---- fixture ------------------------------------------------------------ */

/* The board confirms lock commands, outside the call that gave them. */
static void settle(struct fx *f)
{
	for (int round = 0; round < 8; round++) {
		bool any = false;
		for (int c = 1; c <= PROFILE_MAX_CONNECTORS; c++) {
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

static struct fx *live;

struct fx *fx_new(const char *profile, const char *const *sets)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	enum profile_id p;
	assert_true(profile_find(profile, &p));
	f.s = settings_new(p);
	assert_non_null(f.s);
	char err[200];
	for (int i = 0; sets && sets[i]; i += 2)
		if (settings_set(f.s, sets[i], sets[i + 1], SRC_FILE, err, sizeof err, NULL) !=
		    SET_OK)
			fail_msg("%s", err);
	f.cards = auth_list_new(10);
	assert_non_null(f.cards);
	f.board = (struct board_ops){.user = &f,
				     .pwm = b_pwm,
				     .contactor = b_contactor,
				     .lock = b_lock,
				     .led = b_led,
				     .beep = b_beep};
	f.ev = (struct chg_events){.user = &f,
				   .session_start = e_start,
				   .session_stop = e_stop,
				   .status = e_status,
				   .log = e_log};
	f.ch = charger_new(f.s, f.cards, &f.board, &f.ev);
	assert_non_null(f.ch);
	charger_set_clock(f.ch, 0, FX_T0 * 1000);
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
	    .list_replace = io_list_replace,
	    .list_apply = io_list_apply,
	    .profiles_write = io_profiles_write,
	    .setting_store = io_setting_store,
	    .setting_applied = io_setting_applied,
	    .set_utc = io_set_utc,
	    .log = io_log,
	    .rand = io_rand,
	};
	f.o = ocpp_new(f.s, f.ch, &f.io, 0);
	assert_non_null(f.o);
	charger_set_authorizer(f.ch, ocpp_authorizer(f.o));
	charger_set_schedule(f.ch, ocpp_schedule(f.o));
	settle(&f);
	live = &f;
	return &f;
}

void fx_free(struct fx *f)
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

int fx_teardown(void **state)
{
	(void)state;
	if (live)
		fx_free(live);
	return 0;
}

static void tick(struct fx *f)
{
	charger_tick(f->ch, f->now);
	settle(f);
	ocpp_tick(f->o, f->now);
	settle(f);
}

void fx_advance(struct fx *f, int64_t ms)
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

void fx_cp(struct fx *f, int conn, enum iec_cp level)
{
	charger_on_cp(f->ch, f->now, conn, level);
	settle(f);
}

void fx_plug(struct fx *f, int conn)
{
	charger_on_pp(f->ch, f->now, conn, 32);
	fx_cp(f, conn, IEC_CP_B);
}

enum swipe_result fx_swipe(struct fx *f, const char *uid)
{
	int conn;
	enum swipe_result r = charger_on_rfid(f->ch, f->now, uid, &conn);
	settle(f);
	return r;
}

void fx_cache_load(struct fx *f, const char *id, enum ocpp_auth_status st, int64_t expiry)
{
	struct ocpp_cache_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.id_tag, sizeof e.id_tag, "%s", id);
	e.status = st;
	e.expiry_utc = expiry;
	ocpp_cache_load(f->o, &e);
}

/* ---- frames ------------------------------------------------------------- */

const char *fx_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(absent)";
}

json_int_t fx_num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static void fail_frame(const char *what, const json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	print_error("%s: %s\n", what, s ? s : "nothing");
	free(s);
	fail();
}

void fx_no_frame(struct fx *f)
{
	if (f->read < f->nframes)
		fail_frame("unexpected frame", f->frames[f->read]);
}

json_t *fx_next(struct fx *f)
{
	if (f->read == f->nframes)
		fail_frame("expected a frame", NULL);
	return f->frames[f->read++];
}

json_t *fx_expect_call(struct fx *f, const char *action)
{
	json_t *j = fx_next(f);
	const char *a = json_string_value(json_array_get(j, 2));
	if (json_integer_value(json_array_get(j, 0)) != 2 || !a || strcmp(a, action) != 0) {
		print_error("expected a %s CALL\n", action);
		fail_frame("got", j);
	}
	return json_array_get(j, 3);
}

static void inject(struct fx *f, json_t *frame)
{
	char *t = json_dumps(frame, JSON_COMPACT);
	json_decref(frame);
	assert_non_null(t);
	ocpp_on_frame(f->o, f->now, t, strlen(t));
	free(t);
	settle(f);
}

void fx_reply(struct fx *f, json_t *payload)
{
	inject(f, json_pack("[i, s, o]", 3, f->last_call_id, payload));
}

int fx_ack_statuses(struct fx *f)
{
	int n = 0;
	while (f->read < f->nframes) {
		fx_expect_call(f, "StatusNotification");
		fx_reply(f, json_object());
		n++;
	}
	return n;
}

json_t *fx_call(struct fx *f, const char *action, json_t *payload)
{
	char id[32];
	snprintf(id, sizeof id, "csms-%d", ++f->csms_ids);
	fx_no_frame(f); /* what came before is dealt with first */
	int from = f->read;
	inject(f, json_pack("[i, s, s, o]", 2, id, action, payload));
	/* The answer is the first frame with the CALL's id; it must come
	 * before anything the CALL caused. */
	if (from == f->nframes)
		fail_frame("no answer", NULL);
	json_t *a = f->frames[from];
	const char *aid = json_string_value(json_array_get(a, 1));
	if (json_integer_value(json_array_get(a, 0)) == 2 || !aid || strcmp(aid, id) != 0)
		fail_frame("the answer must come first, got", a);
	f->read = from + 1;
	return a;
}

json_t *fx_call_ok(struct fx *f, const char *action, json_t *payload)
{
	json_t *a = fx_call(f, action, payload);
	if (json_integer_value(json_array_get(a, 0)) != 3)
		fail_frame("expected a CALLRESULT", a);
	return json_array_get(a, 2);
}

const char *fx_call_status(struct fx *f, const char *action, json_t *payload)
{
	return fx_str(fx_call_ok(f, action, payload), "status");
}

const char *fx_call_err(struct fx *f, const char *action, json_t *payload)
{
	json_t *a = fx_call(f, action, payload);
	if (json_integer_value(json_array_get(a, 0)) != 4)
		fail_frame("expected a CALLERROR", a);
	return json_string_value(json_array_get(a, 2));
}

json_t *fx_json(const char *text)
{
	char buf[4096];
	size_t n = strlen(text);
	assert_true(n < sizeof buf);
	for (size_t i = 0; i <= n; i++)
		buf[i] = text[i] == '\'' ? '"' : text[i];
	json_error_t e;
	json_t *j = json_loads(buf, 0, &e);
	if (!j)
		fail_msg("bad test JSON %s: %s", text, e.text);
	return j;
}

/* ---- boot --------------------------------------------------------------- */

void fx_boot(struct fx *f)
{
	ocpp_on_connected(f->o, f->now);
	settle(f);
	fx_expect_call(f, "BootNotification");
	char now[32];
	settings_format_utc(charger_utc(f->ch, f->now), now, sizeof now);
	fx_reply(f, json_pack("{s:s, s:s, s:i}", "status", "Accepted", "currentTime", now,
			      "interval", 3600));
	for (int c = 0; c <= charger_connectors(f->ch); c++) {
		json_t *p = fx_expect_call(f, "StatusNotification");
		assert_int_equal(fx_num(p, "connectorId"), c);
		fx_reply(f, json_object());
	}
	fx_no_frame(f);
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
}

void fx_boot_pending(struct fx *f)
{
	ocpp_on_connected(f->o, f->now);
	settle(f);
	fx_expect_call(f, "BootNotification");
	char now[32];
	settings_format_utc(charger_utc(f->ch, f->now), now, sizeof now);
	fx_reply(f, json_pack("{s:s, s:s, s:i}", "status", "Pending", "currentTime", now,
			      "interval", 60));
	fx_no_frame(f);
	assert_int_equal(ocpp_state(f->o).boot, OB_PENDING);
}
