/* SPDX-License-Identifier: MIT */
/*
 * Wiring of the shell: board backend <-> core, core session events -> store,
 * clocks, energy register persistence and power-loss recovery.
 */
#include "evsed.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../hal/hal_sim.h"
#include "fw_upload.h"
#include "group_link.h"
#include "../io/logfile.h"
#include "ocpp_link.h"
#include "site.h"

/* Registers are written at most this often while energy flows (and always
 * at session start / stop, after each simulated time step and at shutdown). */
#define PERSIST_EVERY_MS 10000

int64_t evsed_now(const struct evsed *d)
{
	if (d->sim_clock)
		return d->sim_now_ms;
	return d->mono_ms() - d->real_mono0_ms;
}

int64_t evsed_utc(const struct evsed *d)
{
	return charger_utc(d->ch, evsed_now(d));
}

void evsed_log(const struct evsed *d, const char *fmt, ...)
{
	char ts[32] = "";
	if (d && d->ch)
		settings_format_utc(evsed_utc(d), ts, sizeof ts);
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s%sevsed: %s\n", ts, ts[0] ? " " : "", msg);
	if (d && d->log_hook) {
		char line[560];
		snprintf(line, sizeof line, "%s%s%s", ts, ts[0] ? " " : "", msg);
		d->log_hook(d->log_hook_user, line);
	}
	if (d && d->logf) {
		char line[600];
		int n = snprintf(line, sizeof line, "%s%sevsed: %s", ts, ts[0] ? " " : "", msg);
		if (n > 0)
			logfile_write(d->logf, line,
				      (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	}
}

static void ev_log(void *user, const char *msg)
{
	evsed_log(user, "%s", msg);
}

static void ev_status(void *user, int conn, enum conn_status st)
{
	struct evsed *d = user;
	(void)st;
	if (d->ocpp)
		ocpp_on_status(d->ocpp, evsed_now(d), conn);
}

static double register_of(const struct evsed *d, int conn)
{
	struct conn_info ci;
	if (!charger_conn_info(d->ch, conn, &ci))
		return 0;
	return ci.meter.energy_wh;
}

static void persist_conn(struct evsed *d, int conn)
{
	double wh = register_of(d, conn);
	if (store_register_put(d->store, conn, wh, evsed_utc(d)) != STORE_OK)
		evsed_log(d, "store: cannot write energy register %d: %s", conn,
			  store_errmsg(d->store));
	else
		d->persisted_wh[conn - 1] = wh;
}

static int64_t ev_session_start(void *user, const struct chg_session *s)
{
	struct evsed *d = user;
	persist_conn(d, s->connector);
	/* The session and its StartTransaction are committed together before
	 * the charger offers any current (design principle 5). */
	if (store_begin(d->store) != STORE_OK) {
		evsed_log(d, "store: cannot record session: %s", store_errmsg(d->store));
		return -1;
	}
	int64_t n = store_session_begin(d->store, s);
	if (n > 0 && d->ocpp) {
		struct chg_session numbered = *s;
		numbered.number = n;
		if (!ocpp_on_session_start(d->ocpp, evsed_now(d), &numbered))
			n = -1;
	}
	if (n <= 0 || store_commit(d->store) != STORE_OK) {
		if (n > 0)
			n = -1;
		else
			store_rollback(d->store);
		evsed_log(d, "store: cannot record session: %s", store_errmsg(d->store));
		return -1;
	}
	if (d->ocpp)
		ocpp_flush(d->ocpp, evsed_now(d));
	return n;
}

static void ev_session_stop(void *user, const struct chg_session *s)
{
	struct evsed *d = user;
	persist_conn(d, s->connector);
	bool ok = store_begin(d->store) == STORE_OK;
	ok = ok && store_session_end(d->store, s) == STORE_OK;
	if (ok && d->ocpp)
		ok = ocpp_on_session_stop(d->ocpp, evsed_now(d), s);
	if (!ok || store_commit(d->store) != STORE_OK) {
		store_rollback(d->store);
		evsed_log(d, "store: cannot record the end of session %lld: %s",
			  (long long)s->number, store_errmsg(d->store));
		if (d->ocpp) {
			/* Closing the row without its StopTransaction would lose
			 * the StopTransaction for good: the row stays open, and
			 * the next start closes it and queues the message
			 * together (as after a power cut). */
			evsed_log(d, "store: session %lld stays open until the next start",
				  (long long)s->number);
		} else if (store_session_end(d->store, s) != STORE_OK) {
			/* No CSMS: try the history row alone. */
			evsed_log(d, "store: the end of session %lld is lost",
				  (long long)s->number);
		}
	}
	if (d->ocpp)
		ocpp_flush(d->ocpp, evsed_now(d));
}

static void ev_fault(void *user, int conn, enum fault_id f, bool on)
{
	struct evsed *d = user;
	const char *name = fault_def(f)->name;
	enum store_err e = on ? store_fault_begin(d->store, conn, name, evsed_utc(d))
			      : store_fault_end(d->store, conn, name, evsed_utc(d));
	if (e != STORE_OK)
		evsed_log(d, "store: cannot record fault %s: %s", name, store_errmsg(d->store));
}

static void ev_availability(void *user, int conn, bool operative)
{
	struct evsed *d = user;
	if (store_availability_put(d->store, conn, operative) != STORE_OK)
		evsed_log(d, "store: cannot record the availability of connector %d: %s", conn,
			  store_errmsg(d->store));
}

void evsed_persist(struct evsed *d, bool force)
{
	int64_t now = evsed_now(d);
	if (!force && now - d->last_persist_ms < PERSIST_EVERY_MS)
		return;
	d->last_persist_ms = now;
	for (int i = 1; i <= charger_connectors(d->ch); i++)
		if (register_of(d, i) != d->persisted_wh[i - 1])
			persist_conn(d, i);
}

void evsed_persist_all(struct evsed *d)
{
	d->last_persist_ms = evsed_now(d);
	for (int i = 1; i <= charger_connectors(d->ch); i++)
		persist_conn(d, i);
}

static void feed(struct evsed *d, int64_t now, const struct hal_event *e)
{
	switch (e->type) {
	case HE_CP:
		charger_on_cp(d->ch, now, e->conn, e->u.cp);
		break;
	case HE_PP:
		charger_on_pp(d->ch, now, e->conn, e->u.pp_a);
		break;
	case HE_LOCK:
		charger_on_lock(d->ch, now, e->conn, e->u.locked);
		break;
	case HE_METER:
		charger_on_meter(d->ch, now, e->conn, &e->u.meter);
		break;
	case HE_DIP:
		charger_on_dip(d->ch, now, e->u.dip);
		break;
	case HE_FAULT:
		charger_on_fault(d->ch, now, e->conn, e->u.fault.id, e->u.fault.on);
		break;
	case HE_MOTION:
		charger_on_motion(d->ch, now, e->u.motion.g, e->u.motion.degrees);
		break;
	}
}

void evsed_set_clock(struct evsed *d, enum evsed_clock_src src, int64_t utc_ms)
{
	int64_t now = evsed_now(d);
	int64_t before = charger_utc(d->ch, now);
	charger_set_clock(d->ch, now, utc_ms);
	d->clock_src = src;
	d->clock_set_utc_ms = utc_ms;
	d->clock_step_s = utc_ms / 1000 - before;
}

const char *evsed_clock_src_name(enum evsed_clock_src src)
{
	static const char *const names[] = {"system", "sim_start", "system_step", "csms"};
	return (unsigned)src < sizeof names / sizeof names[0] ? names[src] : "system";
}

/* With the real clock, a step of the system clock (NTP after a boot without
 * a real-time clock, an installer setting the time) is followed: the
 * charger's UTC is set again from it. The CSMS's time (BootNotification,
 * Heartbeat) still corrects it at its next answer. */
#define CLOCK_STEP_MS 2000

static void follow_system_clock(struct evsed *d, int64_t now)
{
	if (d->sim_clock)
		return;
	int64_t utc = d->utc_ms();
	int64_t off = utc - d->mono_ms();
	int64_t step = off - d->sys_offset_ms;
	d->sys_offset_ms = off;
	if (step < CLOCK_STEP_MS && step > -CLOCK_STEP_MS)
		return;
	evsed_set_clock(d, CLOCK_SRC_SYSTEM_STEP, utc);
	if (d->ocpp)
		ocpp_clock_changed(d->ocpp, now);
	evsed_log(d, "the system clock stepped by %+.1f s: the charger's clock follows it",
		  (double)step / 1000.0);
}

void evsed_sync(struct evsed *d)
{
	int64_t now = evsed_now(d);
	follow_system_clock(d, now);
	hal_advance(d->hal, now);
	struct hal_event ev[16];
	/* Each round feeds the core, whose commands may queue new events. A
	 * board that never settles is cut off rather than spinning the loop. */
	for (int round = 0; round < 256; round++) {
		int n = hal_poll(d->hal, ev, 16);
		if (n == 0) {
			evsed_reboot_check(d);
			return;
		}
		for (int i = 0; i < n; i++)
			feed(d, now, &ev[i]);
	}
	evsed_log(d, "board events did not settle; continuing");
}

int64_t evsed_next_deadline(const struct evsed *d)
{
	int64_t next = charger_next_deadline(d->ch);
	int64_t s = evsed_site_deadline(d);
	if (s < next)
		next = s;
	int64_t g = evsed_group_deadline(d);
	if (g < next)
		next = g;
	if (d->reboot_on && !d->reboot_planned && reboot_next_deadline(&d->reboot) < next)
		next = reboot_next_deadline(&d->reboot);
	if (d->ocpp) {
		int64_t o = ocpp_next_deadline(d->ocpp);
		if (o < next)
			next = o;
	}
	return next;
}

static void tick_all(struct evsed *d)
{
	evsed_sync(d);
	charger_tick(d->ch, evsed_now(d));
	evsed_sync(d);
	evsed_site_update(d, false);
	evsed_sync(d);
	evsed_group_tick(d);
	if (d->ocpp) {
		ocpp_tick(d->ocpp, evsed_now(d));
		evsed_sync(d);
	}
}

void evsed_tick(struct evsed *d)
{
	tick_all(d);
	evsed_persist(d, false);
}

void evsed_advance(struct evsed *d, int64_t ms)
{
	int64_t target = d->sim_now_ms + ms;
	int same = 0;
	/* A periodic reboot on its way ends the advance at its instant. */
	while (d->sim_now_ms < target && !d->reboot_planned) {
		int64_t next = evsed_next_deadline(d);
		if (next > target)
			next = target;
		if (next <= d->sim_now_ms) {
			/* A timer due now: fire it, but never loop on one. */
			if (++same > 100)
				next = d->sim_now_ms + 1;
			else
				next = d->sim_now_ms;
		} else {
			same = 0;
		}
		d->sim_now_ms = next;
		tick_all(d);
	}
	evsed_persist(d, true);
}

void evsed_shutdown(struct evsed *d)
{
	evsed_sync(d);
	charger_stop_all(d->ch, evsed_now(d), STOP_REBOOT, "shutdown");
	charger_halt(d->ch, evsed_now(d));
	evsed_sync(d);
	evsed_persist(d, true);
}

/* The random source of the charger's policies (D2, A12): xorshift64*,
 * seeded from the kernel in evsed_init. */
static uint32_t policy_rand(void *user)
{
	struct evsed *d = user;
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return (uint32_t)((d->rng * 2685821657736338717ULL) >> 32);
}

static void load_card(void *user, const char *uid)
{
	struct evsed *d = user;
	enum auth_err e = auth_list_add(d->cards, uid);
	if (e != AUTH_OK)
		evsed_log(d, "card %s from the store not loaded: %s", uid, auth_err_text(e));
}

static void load_availability(void *user, int conn, bool operative)
{
	struct evsed *d = user;
	if (conn <= charger_connectors(d->ch))
		(void)charger_set_available(d->ch, evsed_now(d), conn, operative);
}

bool evsed_init(struct evsed *d, struct settings *set, struct store *st, struct lws_context *ctx,
		char *err, size_t errlen)
{
	d->set = set;
	d->store = st;
	d->ctx = ctx;
	if (!settings_mark_applied(set)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	enum profile_id pid = settings_profile(set);
	const struct profile *prof = profile_get(pid);

	d->sim_clock = strcmp(settings_str(set, SET_CLOCK), "sim") == 0;
	int64_t utc0 = d->utc_ms();
	const char *start = settings_str(set, SET_CLOCK_SIM_START);
	int64_t t;
	if (d->sim_clock && start[0] && settings_parse_utc(start, &t))
		utc0 = t * 1000;
	d->sim_utc0_ms = utc0;
	d->real_mono0_ms = d->mono_ms();
	d->sys_offset_ms = d->utc_ms() - d->real_mono0_ms;
	d->logf = logfile_open(settings_str(set, SET_DATA_DIR));

	d->cards = auth_list_new(prof->max_local_cards);
	if (!d->cards) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (store_cards_load(st, load_card, d) != STORE_OK) {
		snprintf(err, errlen, "store: cannot read the card list: %s", store_errmsg(st));
		return false;
	}

	double regs[PROFILE_MAX_CONNECTORS] = {0};
	for (int i = 0; i < prof->connectors; i++) {
		regs[i] = store_register_get(st, i + 1);
		d->persisted_wh[i] = regs[i];
	}
	const char *dip = settings_str(set, SET_SIM_DIP);
	struct sim_config sc = {
	    .connectors = prof->connectors,
	    .tethered = prof->tethered,
	    .voltage_v = settings_double(set, SET_SUPPLY_VOLTAGE),
	    .frequency_hz = settings_double(set, SET_SUPPLY_FREQUENCY),
	    .ev_max_a = settings_double(set, SET_SIM_EV_MAX_CURRENT),
	    .ev_phases = (int)settings_int(set, SET_SIM_EV_PHASES),
	    .cable_a = settings_double(set, SET_SIM_CABLE_RATING),
	    .dip = (unsigned)((dip[0] - '0') << 2 | (dip[1] - '0') << 1 | (dip[2] - '0')),
	    .has_dip = prof->dip_switch,
	};
	d->hal = hal_sim_new(&sc, regs, evsed_now(d));
	if (!d->hal) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	d->events = (struct chg_events){
	    .user = d,
	    .session_start = ev_session_start,
	    .session_stop = ev_session_stop,
	    .status = ev_status,
	    .log = ev_log,
	    .availability = ev_availability,
	    .fault = ev_fault,
	};
	d->ch = charger_new(set, d->cards, &d->hal->board, &d->events);
	if (!d->ch) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	charger_set_clock(d->ch, 0, d->sim_clock ? d->sim_utc0_ms : utc0);
	d->clock_src = d->sim_clock ? CLOCK_SRC_SIM_START : CLOCK_SRC_SYSTEM;
	d->clock_set_utc_ms = d->sim_clock ? d->sim_utc0_ms : utc0;
	d->clock_step_s = 0;
	d->site_mode = LM_MODE_OFF;
	d->site_read_ms = LM_NEVER;
	if (!evsed_site_start(d, err, errlen))
		return false;
	if (getrandom(&d->rng, sizeof d->rng, 0) != (ssize_t)sizeof d->rng || d->rng == 0)
		d->rng = (uint64_t)d->utc_ms() | 1;
	charger_set_random(d->ch, policy_rand, d);
	if (!evsed_ocpp_init(d, err, errlen))
		return false;
	if (!evsed_group_init(d, err, errlen))
		return false;
	/* Sessions left open by a power cut are closed, and their
	 * StopTransaction queued, in one store transaction. */
	int closed = 0;
	if (store_recover_with(st, evsed_ocpp_recovered, d, &closed) != STORE_OK) {
		snprintf(err, errlen, "store: cannot recover open sessions: %s", store_errmsg(st));
		return false;
	}
	if (closed)
		evsed_log(d, "closed %d session(s) left open by a power loss", closed);
	/* The board reports again what is still wrong. */
	if (store_fault_close_all(st, evsed_utc(d)) != STORE_OK) {
		snprintf(err, errlen, "store: cannot close the fault history: %s",
			 store_errmsg(st));
		return false;
	}
	if (store_availability_load(st, load_availability, d) != STORE_OK) {
		snprintf(err, errlen, "store: cannot read availability: %s", store_errmsg(st));
		return false;
	}
	/* A start after a power loss: the cold load pickup delay (A12). */
	if (d->after_power_loss || closed)
		charger_power_loss(d->ch);
	charger_start(d->ch, evsed_now(d));
	evsed_sync(d);
	charger_board_ready(d->ch, evsed_now(d));
	reboot_init(&d->reboot, evsed_now(d), settings_int(set, SET_REBOOT_PERIOD));
	d->reboot_on = true;
	evsed_sync(d);
	return true;
}

/* ---- periodic reboot (G6) ---------------------------------------------- */

static bool transaction_running(const struct evsed *d)
{
	struct conn_info ci;
	for (int i = 1; i <= charger_connectors(d->ch); i++)
		if (charger_conn_info(d->ch, i, &ci) && ci.in_session)
			return true;
	return false;
}

/* The time the answer to the command that made it due needs to go out. */
#define REBOOT_GRACE_US (200 * LWS_US_PER_MS)

static void periodic_reboot_now(lws_sorted_usec_list_t *sul)
{
	struct evsed *d = lws_container_of(sul, struct evsed, reboot_sul);
	d->reboot_planned = false;
	/* A session may have started in the grace time: it is not cut. */
	if (reboot_poll(&d->reboot, evsed_now(d), settings_int(d->set, SET_REBOOT_PERIOD),
			transaction_running(d)) != REBOOT_NOW) {
		if (reboot_waiting(&d->reboot))
			evsed_log(d, "periodic reboot: a transaction started; waiting until none "
				     "runs");
		return;
	}
	d->reset_requested = true;
	d->stop = true;
	lws_cancel_service(d->ctx);
}

void evsed_reboot_check(struct evsed *d)
{
	if (!d->reboot_on || d->reboot_planned || d->stop)
		return;
	int64_t period = settings_int(d->set, SET_REBOOT_PERIOD);
	bool was_waiting = reboot_waiting(&d->reboot);
	bool busy = transaction_running(d);
	switch (reboot_poll(&d->reboot, evsed_now(d), period, busy)) {
	case REBOOT_NOT_YET:
		return;
	case REBOOT_WAIT:
		if (!was_waiting)
			evsed_log(d,
				  "periodic reboot due (reboot.period %lld min): waiting until "
				  "no transaction runs",
				  (long long)period);
		return;
	case REBOOT_NOW:
		break;
	}
	evsed_log(d, "periodic reboot (reboot.period %lld min): restarting", (long long)period);
	/* The CSMS learns why (OCPP 1.6's BootNotification has no reason):
	 * the event is queued durably and sent after the restart if need be. */
	if (d->ocpp) {
		char info[80];
		snprintf(info, sizeof info, "periodic reboot (reboot.period %lld min)",
			 (long long)period);
		ocpp_security_event(d->ocpp, evsed_now(d), "ResetOrReboot", info);
	}
	d->reboot_planned = true;
	lws_sul_schedule(d->ctx, 0, &d->reboot_sul, periodic_reboot_now, REBOOT_GRACE_US);
}

json_t *evsed_reboot_json(const struct evsed *d)
{
	int64_t due = reboot_due(&d->reboot);
	char ts[32];
	if (due != INT64_MAX)
		settings_format_utc(charger_utc(d->ch, due), ts, sizeof ts);
	return json_pack("{s:I, s:o, s:b}", "period_min",
			 (json_int_t)settings_int(d->set, SET_REBOOT_PERIOD), "next",
			 due == INT64_MAX ? json_null() : json_string(ts), "waiting_for_idle",
			 reboot_waiting(&d->reboot));
}

void evsed_fini(struct evsed *d)
{
	evsed_fwup_free(d->fwup); /* made by the web UI (G4) */
	d->fwup = NULL;
	evsed_group_fini(d);
	evsed_site_stop(d);
	evsed_ocpp_fini(d);
	logfile_close(d->logf);
	charger_free(d->ch);
	hal_free(d->hal);
	auth_list_free(d->cards);
	store_close(d->store);
	settings_free(d->set);
	memset(d, 0, sizeof *d);
}
