/* SPDX-License-Identifier: MIT */
/*
 * Control-socket commands: one row per command (name, argument counts,
 * handler, usage). Each handler validates its arguments completely before it
 * changes anything, and answers with a message, data, or an error with the
 * evsectl exit code (1 refused, 2 usage).
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../hal/hal_sim.h"
#include "evsed.h"
#include "fw_link.h"
#include "fw_upload.h"
#include "group_link.h"
#include "site.h"
#include "ocpp_link.h"

/* At most this many settings in one 'config set' (one transaction). */
#define SET_MANY_MAX 128

static json_t *ok_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *err_msg(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static json_t *ok_msg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return json_pack("{s:b, s:s}", "ok", 1, "message", buf);
}

static json_t *ok_data(json_t *data)
{
	return json_pack("{s:b, s:o}", "ok", 1, "data", data ? data : json_null());
}

static json_t *err_msg(int code, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return json_pack("{s:b, s:i, s:s}", "ok", 0, "code", code, "error", buf);
}

static const char *arg(json_t *args, size_t i)
{
	return json_string_value(json_array_get(args, i));
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* A connector number argument: 1..N. */
static bool conn_arg(struct evsed *d, const char *s, int *out, json_t **err)
{
	double v;
	int n = charger_connectors(d->ch);
	if (!parse_num(s, 1, n, &v) || v != floor(v)) {
		*err = err_msg(1, "no connector '%s': this charger has connectors 1-%d", s, n);
		return false;
	}
	*out = (int)v;
	return true;
}

static json_t *time_json(int64_t utc)
{
	char buf[32];
	settings_format_utc(utc, buf, sizeof buf);
	return json_string(buf);
}

/* ---- status ----------------------------------------------------------- */

/* The transaction id: the CSMS's with OCPP (null until it gave one), else
 * the local session number. */
static json_t *transaction_json(struct evsed *d, const struct conn_info *ci)
{
	if (!ci->in_session)
		return json_null();
	if (!d->ocpp)
		return json_integer(ci->session.number);
	int id;
	if (ocpp_transaction_id(d->ocpp, ci->session.number, &id))
		return json_integer(id);
	return json_null();
}

static json_t *conn_json(struct evsed *d, int id)
{
	struct conn_info ci;
	if (!charger_conn_info(d->ch, id, &ci))
		return json_null();
	json_t *faults = json_array(), *details = json_array();
	const struct protect *pr = charger_protect(d->ch);
	for (int f = 0; f < FAULT_COUNT; f++) {
		if (!(ci.faults & (1u << f)))
			continue;
		const struct fault_def *fd = fault_def((enum fault_id)f);
		json_array_append_new(faults, json_string(fd->name));
		int64_t since = protect_since(pr, id, (enum fault_id)f);
		json_array_append_new(
		    details,
		    json_pack("{s:s, s:s, s:o, s:s, s:s, s:b, s:i}", "name", fd->name, "state",
			      fault_state_name(protect_state(pr, id, (enum fault_id)f)), "since",
			      time_json(charger_utc(d->ch, since)), "error_code", fd->ocpp_error,
			      "text", fd->text, "blocks_power", fd->blocks_power, "restarts",
			      protect_restarts(pr, id, (enum fault_id)f)));
	}
	json_t *cur =
	    json_pack("[fff]", ci.meter.current_a[0], ci.meter.current_a[1], ci.meter.current_a[2]);
	json_t *o = json_pack(
	    "{s:i, s:s, s:s, s:f, s:s, s:f, s:f, s:o, s:o, s:o, s:s, s:f, s:o, s:b, s:b, s:f}",
	    "id", ci.id, "state", conn_status_name(ci.status), "cp",
	    iec_cp_state_name(ci.cp, ci.pwm_on), "offered_a", ci.offered_a, "limit_reason",
	    limit_src_name(ci.limit), "power_w", ci.meter.power_w, "energy_wh", ci.meter.energy_wh,
	    "transaction_id", transaction_json(d, &ci), "id_tag",
	    ci.in_session ? json_string(ci.session.id_tag) : json_null(), "faults", faults, "led",
	    ci.led, "duty_pct", ci.duty_permille / 10.0, "current_a", cur, "contactor",
	    ci.contactor, "locked", ci.locked, "cable_a", ci.cable_a);
	json_object_set_new(o, "fault_details", details);
	char disp[32];
	charger_display(d->ch, id, evsed_now(d), disp, sizeof disp);
	json_object_set_new(o, "display", json_string(disp));
	/* What the board says its LEDs are set to (the simulated board keeps
	 * it), else what the core commanded; dimmed after led.dim_after. */
	int pct = strcmp(d->hal->vt->name, "sim") == 0 ? hal_sim_led_brightness(d->hal, id)
						       : ci.led_brightness;
	json_object_set_new(o, "led_brightness", json_integer(pct));
	json_object_set_new(
	    o, "led_dimmed",
	    json_boolean(pct >= 0 && pct < settings_int(d->set, SET_LIGHT_INTENSITY)));
	if (ci.in_session) {
		json_object_set_new(o, "session", json_integer(ci.session.number));
		json_object_set_new(o, "session_energy_wh",
				    json_real(ci.meter.energy_wh - ci.session.meter_start_wh));
		json_object_set_new(o, "session_start", time_json(ci.session.start_utc));
	}
	return o;
}

static json_t *cmd_status(struct evsed *d, json_t *args)
{
	(void)args;
	evsed_sync(d);
	const struct profile *p = profile_get(settings_profile(d->set));
	json_t *conns = json_array();
	for (int i = 1; i <= charger_connectors(d->ch); i++)
		json_array_append_new(conns, conn_json(d, i));
	char pending[AUTH_ID_MAX + 1];
	bool has_pending = charger_pending_auth(d->ch, evsed_now(d), pending, sizeof pending);
	json_t *o = json_pack(
	    "{s:s, s:o, s:s, s:o, s:{s:s, s:s, s:s, s:f}, s:o, s:o}", "profile", p->name, "time",
	    time_json(evsed_utc(d)), "clock", d->sim_clock ? "sim" : "real", "ocpp",
	    evsed_ocpp_status(d), "charger", "vendor", p->vendor, "model", p->model, "serial",
	    settings_str(d->set, SET_CHARGER_SERIAL), "current_limit_a",
	    settings_double(d->set, SET_CHARGER_CURRENT_LIMIT), "pending_authorization",
	    has_pending ? json_string(pending) : json_null(), "connectors", conns);
	json_object_set_new(o, "restart_required", json_boolean(settings_restart_pending(d->set)));
	/* Where the clock was last set from (evsed_set_clock). */
	json_object_set_new(o, "clock_set",
			    json_pack("{s:s, s:o, s:I}", "source",
				      evsed_clock_src_name(d->clock_src), "at",
				      time_json(d->clock_set_utc_ms / 1000), "step_s",
				      (json_int_t)d->clock_step_s));
	json_object_set_new(o, "reboot", evsed_reboot_json(d));	  /* G6 periodic reboot */
	json_object_set_new(o, "firmware", evsed_fwup_status(d)); /* G4 C10 */
	json_object_set_new(o, "charging_profiles",
			    d->ocpp ? ocpp_profiles_json(d->ocpp) : json_array());
	/* Reservations (C7): connector 0 = any connector. */
	struct chg_reservation res[CHG_RESERVATIONS_MAX];
	int nres = charger_reservations(d->ch, res, CHG_RESERVATIONS_MAX);
	json_t *rs = json_array();
	for (int i = 0; i < nres; i++) {
		json_t *r =
		    json_pack("{s:i, s:i, s:s, s:o, s:o}", "id", (int)res[i].id, "connector",
			      res[i].connector, "id_tag", res[i].id_tag, "parent_id_tag",
			      res[i].parent[0] ? json_string(res[i].parent) : json_null(), "expiry",
			      time_json(res[i].expiry_utc));
		json_array_append_new(rs, r);
	}
	json_object_set_new(o, "reservations", rs);
	/* Site load management (E2 E3): the mode, the site meter and what the
	 * charger as a whole may draw per phase (null with lm.mode off). */
	double site_a[3], ev_a[3];
	evsed_site_reading(d, site_a, ev_a);
	bool meter = evsed_site_meter(d);
	bool on = d->site_mode != LM_MODE_OFF;
	json_t *lm = json_pack(
	    "{s:s, s:o, s:o}", "mode", settings_str(d->set, SET_LM_MODE), "site_a",
	    meter ? json_pack("[f,f,f]", site_a[0], site_a[1], site_a[2]) : json_null(), "limit_a",
	    on ? json_pack("[f,f,f]", d->site.offer_a[0], d->site.offer_a[1], d->site.offer_a[2])
	       : json_null());
	json_object_set_new(lm, "meter", evsed_site_meter_json(d));
	json_object_set_new(o, "load_management", lm);
	return ok_data(o);
}

/* ---- simulated EV ----------------------------------------------------- */

static json_t *cmd_plug(struct evsed *d, json_t *args)
{
	int c;
	json_t *e;
	if (!conn_arg(d, arg(args, 0), &c, &e))
		return e;
	double max = 0, cable = 0, ph = 0;
	for (size_t i = 1; i < json_array_size(args); i++) {
		const char *a = arg(args, i);
		if (strncmp(a, "max=", 4) == 0 && parse_num(a + 4, 6, 80, &max))
			continue;
		if (strncmp(a, "phases=", 7) == 0 && parse_num(a + 7, 1, 3, &ph) && ph == floor(ph))
			continue;
		if (strncmp(a, "cable=", 6) == 0 && parse_num(a + 6, 13, 63, &cable) &&
		    iec_pp_ohms(cable) > 0)
			continue;
		return err_msg(2,
			       "bad EV option '%s': expected max=6..80 (A), phases=1..3, "
			       "cable=13|20|32|63 (A)",
			       a);
	}
	evsed_sync(d);
	if (!hal_sim_plug(d->hal, c, max, (int)ph, cable))
		return err_msg(1, "connector %d already has an EV plugged in", c);
	evsed_sync(d);
	return ok_msg("EV plugged into connector %d", c);
}

static json_t *cmd_unplug(struct evsed *d, json_t *args)
{
	int c;
	json_t *e;
	if (!conn_arg(d, arg(args, 0), &c, &e))
		return e;
	evsed_sync(d);
	if (!hal_sim_unplug(d->hal, c))
		return err_msg(1, "no EV is plugged into connector %d", c);
	evsed_sync(d);
	return ok_msg("EV unplugged from connector %d", c);
}

static json_t *cmd_ev(struct evsed *d, json_t *args)
{
	static const char *const modes[] = {"charge", "pause", "full"};
	int c;
	json_t *e;
	if (!conn_arg(d, arg(args, 0), &c, &e))
		return e;
	const char *m = arg(args, 1);
	int mode = -1;
	for (int i = 0; i < 3; i++)
		if (strcmp(m, modes[i]) == 0)
			mode = i;
	if (mode < 0)
		return err_msg(2, "unknown EV state '%s': expected charge, pause or full", m);
	evsed_sync(d);
	if (!hal_sim_ev(d->hal, c, (enum sim_ev_mode)mode))
		return err_msg(1, "no EV is plugged into connector %d", c);
	evsed_sync(d);
	return ok_msg("EV on connector %d: %s", c, m);
}

#define LEARN_WINDOW_MS 60000

/* The card presented while learning becomes card N (EVPLUS "Read", then
 * "Write card N"): it replaces the N-th card or is added as the next. */
static json_t *learn_card(struct evsed *d, const char *uid)
{
	int slot = d->learn_slot;
	d->learn_slot = 0;
	int n = auth_list_count(d->cards);
	int i = slot - 1 < n ? slot - 1 : n;
	const char *old = i < n ? auth_list_at(d->cards, i) : NULL;
	char old_id[AUTH_ID_MAX + 1] = "";
	if (old)
		snprintf(old_id, sizeof old_id, "%s", old);
	if (auth_list_has(d->cards, uid) && !(old && strcasecmp(old_id, uid) == 0))
		return err_msg(1, "card %s is already in the card list", uid);
	enum store_err e = old ? store_card_replace(d->store, old_id, uid)
			       : store_card_add(d->store, uid, evsed_utc(d));
	if (e != STORE_OK)
		return err_msg(1, "cannot store card %s: %s", uid, store_errmsg(d->store));
	if (auth_list_put_at(d->cards, i, uid) != AUTH_OK)
		return err_msg(1, "cannot learn card %s", uid);
	if (d->hal && d->hal->board.beep)
		d->hal->board.beep(d->hal->board.user, BEEP_ACCEPT);
	evsed_log(d, "card %s learnt as card %d%s%s", uid, i + 1, old ? " in place of " : "",
		  old ? old_id : "");
	return ok_msg("card %s learnt as card %d", uid, i + 1);
}

static json_t *cmd_swipe(struct evsed *d, json_t *args)
{
	const char *uid = arg(args, 0);
	char why[80];
	if (!auth_id_valid(uid, why, sizeof why))
		return err_msg(1, "card '%.40s' refused: %s", uid, why);
	evsed_sync(d);
	if (d->learn_slot && evsed_now(d) < d->learn_until)
		return learn_card(d, uid);
	d->learn_slot = 0;
	int c = 0;
	enum swipe_result r = charger_on_rfid(d->ch, evsed_now(d), uid, &c);
	evsed_sync(d);
	json_t *o = json_pack("{s:b, s:s, s:s, s:i}", "ok", 1, "result", swipe_result_name(r),
			      "message", "", "connector", c);
	char msg[160];
	switch (r) {
	case SWIPE_STARTED:
		snprintf(msg, sizeof msg, "card %s accepted: session started on connector %d", uid,
			 c);
		break;
	case SWIPE_STOPPED:
		snprintf(msg, sizeof msg, "card %s: session on connector %d stopped", uid, c);
		break;
	case SWIPE_PENDING:
		snprintf(msg, sizeof msg,
			 "card %s accepted: plug an EV in within %lld s to start charging", uid,
			 (long long)settings_int(d->set, SET_CONNECTION_TIMEOUT));
		break;
	case SWIPE_AUTHORIZING:
		snprintf(msg, sizeof msg, "card %s sent to the CSMS for authorization", uid);
		break;
	case SWIPE_REJECTED:
		json_decref(o);
		return err_msg(1, "card %s not authorised%s", uid,
			       d->ocpp ? "" : " (not in the local card list)");
	case SWIPE_IGNORED:
		json_decref(o);
		return err_msg(1,
			       "card %s ignored: the RFID reader is disabled "
			       "(auth.rfid_enabled = false)",
			       uid);
	case SWIPE_INVALID:
		json_decref(o);
		return err_msg(1, "card '%s' is not a valid id tag", uid);
	case SWIPE_FAILED:
	default:
		json_decref(o);
		return err_msg(1, "card %s accepted but the session could not be recorded", uid);
	}
	json_object_set_new(o, "message", json_string(msg));
	return o;
}

/* fault reset [N]: lift lock-outs (manual reset, A11). */
static json_t *fault_reset(struct evsed *d, json_t *args)
{
	int c = 0;
	json_t *e;
	if (json_array_size(args) > 2)
		return err_msg(2, "usage: fault reset [N]");
	if (json_array_size(args) == 2 && !conn_arg(d, arg(args, 1), &c, &e))
		return e;
	evsed_sync(d);
	int n = charger_fault_reset(d->ch, evsed_now(d), c);
	evsed_sync(d);
	if (n == 0)
		return ok_msg("no lock-out to lift%s", c ? " on this connector" : "");
	return ok_msg("%d lock-out%s lifted", n, n == 1 ? "" : "s");
}

static json_t *cmd_fault(struct evsed *d, json_t *args)
{
	enum fault_id f;
	const char *name = arg(args, 0), *st = arg(args, 1);
	if (strcmp(name, "reset") == 0)
		return fault_reset(d, args);
	if (!st)
		return err_msg(2, "usage: fault NAME on|off [N] | fault reset [N]");
	if (!fault_find(name, &f)) {
		char list[600] = "";
		for (int i = 0; i < FAULT_COUNT; i++) {
			strncat(list, fault_def((enum fault_id)i)->name,
				sizeof list - strlen(list) - 1);
			if (i + 1 < FAULT_COUNT)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
		}
		return err_msg(2, "unknown fault '%s': one of %s", name, list);
	}
	bool on;
	if (strcmp(st, "on") == 0)
		on = true;
	else if (strcmp(st, "off") == 0)
		on = false;
	else
		return err_msg(2, "fault state must be on or off, not '%s'", st);
	int c = fault_def(f)->charger_wide ? 0 : 1;
	if (json_array_size(args) > 2) {
		json_t *e;
		if (!conn_arg(d, arg(args, 2), &c, &e))
			return e;
	}
	evsed_sync(d);
	hal_sim_fault(d->hal, c, f, on);
	evsed_sync(d);
	if (c == 0)
		return ok_msg("fault %s %s", name, on ? "raised" : "cleared");
	return ok_msg("fault %s %s on connector %d", name, on ? "raised" : "cleared", c);
}

static json_t *cmd_tilt(struct evsed *d, json_t *args)
{
	double g, deg;
	if (!parse_num(arg(args, 0), 0, 50, &g) || !parse_num(arg(args, 1), 0, 180, &deg))
		return err_msg(2, "usage: tilt G DEGREES (0-50 g, 0-180 degrees)");
	evsed_sync(d);
	hal_sim_motion(d->hal, g, deg);
	evsed_sync(d);
	return ok_msg("accelerometer: %.1f g, %.0f degrees", g, deg);
}

/* The simulated site's other loads (meter.site = sim): one current for
 * every phase, or one per phase; negative = exported (solar). */
static json_t *cmd_load(struct evsed *d, json_t *args)
{
	if (!evsed_site_sim(d))
		return err_msg(1, "no simulated site meter: set meter.site = sim (and restart)");
	size_t n = json_array_size(args);
	double a[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		if (!parse_num(arg(args, i), -1000, 1000, &a[i]))
			return err_msg(2, "load: '%s' is not a current from -1000 to 1000 A",
				       arg(args, i));
	for (size_t p = n; p < 3; p++)
		a[p] = a[0];
	evsed_sync(d);
	for (int p = 0; p < 3; p++)
		d->site_other_a[p] = a[p];
	/* A new reading now: a rise of the other loads is answered at once. */
	evsed_site_update(d, true);
	evsed_sync(d);
	return ok_msg("site's other loads: %.1f / %.1f / %.1f A", a[0], a[1], a[2]);
}

/* ---- cards ------------------------------------------------------------ */

static json_t *cmd_card(struct evsed *d, json_t *args)
{
	const char *op = arg(args, 0);
	if (strcmp(op, "list") == 0) {
		if (json_array_size(args) != 1)
			return err_msg(2, "usage: card list");
		json_t *a = json_array();
		for (int i = 0; i < auth_list_count(d->cards); i++)
			json_array_append_new(a, json_string(auth_list_at(d->cards, i)));
		return ok_data(
		    json_pack("{s:o, s:i}", "cards", a, "capacity", auth_list_capacity(d->cards)));
	}
	if (strcmp(op, "learn") == 0) {
		double slot;
		int cap = auth_list_capacity(d->cards);
		if (json_array_size(args) != 2 || !parse_num(arg(args, 1), 1, cap, &slot) ||
		    slot != floor(slot))
			return err_msg(2, "usage: card learn N (N = 1-%d on this product)", cap);
		if (d->ocpp)
			return err_msg(1, "cards are learnt for local authorization; with a CSMS "
					  "its local list (SendLocalList) is used");
		for (int i = 1; i <= charger_connectors(d->ch); i++) {
			struct conn_info ci;
			if (charger_conn_info(d->ch, i, &ci) && ci.in_session)
				return err_msg(1,
					       "cards are learnt in stand-by: connector %d is "
					       "charging",
					       i);
		}
		d->learn_slot = (int)slot;
		d->learn_until = evsed_now(d) + LEARN_WINDOW_MS;
		return ok_msg("present the card to learn as card %d within %d s", d->learn_slot,
			      LEARN_WINDOW_MS / 1000);
	}
	if (json_array_size(args) != 2 || (strcmp(op, "add") != 0 && strcmp(op, "remove") != 0))
		return err_msg(2,
			       "usage: card add UID | card remove UID | card list | card learn N");
	const char *uid = arg(args, 1);
	char why[80];
	if (!auth_id_valid(uid, why, sizeof why))
		return err_msg(1, "card '%.40s' refused: %s", uid, why);
	if (strcmp(op, "add") == 0) {
		if (auth_list_has(d->cards, uid))
			return err_msg(1, "card %s is already in the card list", uid);
		if (auth_list_count(d->cards) >= auth_list_capacity(d->cards))
			return err_msg(1, "the card list is full (%d cards on this product)",
				       auth_list_capacity(d->cards));
		if (store_card_add(d->store, uid, evsed_utc(d)) != STORE_OK)
			return err_msg(1, "cannot store card %s: %s", uid, store_errmsg(d->store));
		if (auth_list_add(d->cards, uid) != AUTH_OK)
			return err_msg(1, "cannot add card %s", uid);
		return ok_msg("card %s added (%d of %d)", uid, auth_list_count(d->cards),
			      auth_list_capacity(d->cards));
	}
	if (!auth_list_has(d->cards, uid))
		return err_msg(1, "card %s is not in the card list", uid);
	if (store_card_remove(d->store, uid) != STORE_OK)
		return err_msg(1, "cannot remove card %s: %s", uid, store_errmsg(d->store));
	auth_list_remove(d->cards, uid);
	return ok_msg("card %s removed", uid);
}

/* ---- history ---------------------------------------------------------- */

static void history_row(void *user, const struct store_session *s)
{
	json_t *a = user;
	json_array_append_new(
	    a, json_pack("{s:I, s:i, s:o, s:o, s:s, s:o, s:f, s:s, s:o}", "number",
			 (json_int_t)s->number, "connector", s->connector, "start",
			 time_json(s->start_utc), "end",
			 s->open ? json_null() : time_json(s->end_utc), "start_mode", s->start_mode,
			 "stop_mode", s->open ? json_null() : json_string(s->stop_mode),
			 "energy_wh", s->energy_wh, "id_tag", s->id_tag, "stop_reason",
			 s->open ? json_null() : json_string(s->stop_reason)));
}

static json_t *cmd_history(struct evsed *d, json_t *args)
{
	double limit = 0;
	if (json_array_size(args) > 0 && !parse_num(arg(args, 0), 1, 1e6, &limit))
		return err_msg(2, "history limit must be a number of sessions (1-1000000)");
	evsed_sync(d);
	evsed_persist(d, true);
	json_t *a = json_array();
	if (store_history(d->store, (int)limit, history_row, a) != STORE_OK) {
		json_decref(a);
		return err_msg(1, "cannot read the history: %s", store_errmsg(d->store));
	}
	return ok_data(a);
}

/* ---- fault history (G7 fault reports) ---------------------------------- */

static void fault_row(void *user, int64_t id, int conn, const char *fault, int64_t start,
		      int64_t end)
{
	/* The fault table's description (the report's detail); a name the
	 * table no longer has (an older firmware's row) has none. */
	enum fault_id f;
	const char *text = fault_find(fault, &f) ? fault_def(f)->text : "";
	json_array_append_new(user, json_pack("{s:I, s:i, s:s, s:o, s:o, s:s}", "number",
					      (json_int_t)id, "connector", conn, "fault", fault,
					      "start", time_json(start), "end",
					      end ? time_json(end) : json_null(), "text", text));
}

static json_t *cmd_faults(struct evsed *d, json_t *args)
{
	double limit = 0;
	if (json_array_size(args) > 0 && !parse_num(arg(args, 0), 1, 1e6, &limit))
		return err_msg(2, "faults limit must be a number of faults (1-1000000)");
	json_t *a = json_array();
	if (store_fault_history(d->store, (int)limit, fault_row, a) != STORE_OK) {
		json_decref(a);
		return err_msg(1, "cannot read the fault history: %s", store_errmsg(d->store));
	}
	return ok_data(a);
}

/* ---- time ------------------------------------------------------------- */

static json_t *cmd_time(struct evsed *d, json_t *args)
{
	if (strcmp(arg(args, 0), "advance") != 0 || json_array_size(args) != 2)
		return err_msg(2, "usage: time advance SECONDS");
	double secs;
	if (!parse_num(arg(args, 1), 0, 366.0 * 86400, &secs))
		return err_msg(2, "SECONDS must be a number from 0 to 31622400 (366 days)");
	if (!d->sim_clock)
		return err_msg(1, "time only moves by command with clock = sim "
				  "(this evsed runs on the real clock)");
	evsed_advance(d, (int64_t)llround(secs * 1000.0));
	char ts[32];
	settings_format_utc(evsed_utc(d), ts, sizeof ts);
	return ok_msg("time is now %s", ts);
}

/* ---- config ----------------------------------------------------------- */

static const char *shown(const struct set_def *def, const char *v)
{
	if ((def->flags & SF_SECRET) && v[0])
		return "********";
	return v;
}

static json_t *setting_json(struct evsed *d, enum set_id id)
{
	const struct set_def *def = settings_def(id);
	static const char *const types[] = {"bool", "int", "number", "string", "enum"};
	static const char *const sources[] = {"default", "file", "store", "command line",
					      "runtime"};
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "key", def->name, "value",
		      shown(def, settings_str(d->set, id)), "type", types[def->type], "source",
		      sources[settings_source(d->set, id)], "help", def->help, "read_only",
		      (def->flags & (SF_READONLY | SF_STARTUP)) != 0, "reboot_required",
		      (def->flags & SF_REBOOT) != 0, "secret", (def->flags & SF_SECRET) != 0);
	if (def->type == ST_INT || def->type == ST_DOUBLE) {
		json_object_set_new(o, "min", json_real(def->min));
		json_object_set_new(o, "max", json_real(def->max));
	}
	if (def->unit[0])
		json_object_set_new(o, "unit", json_string(def->unit));
	if (def->enum_values)
		json_object_set_new(o, "values", json_string(def->enum_values));
	if (def->ocpp_key)
		json_object_set_new(o, "ocpp_key", json_string(def->ocpp_key));
	return o;
}

/* The settings checked together at start (the group's, which also read
 * meter.site and charger.serial) are checked together at run time too, for
 * any change: the values are tried in memory together, then put back. */
static bool combination_ok(struct evsed *d, const enum set_id *ids, const char *const *vals,
			   size_t n, char *why, size_t len)
{
	char *old[SET_MANY_MAX];
	enum set_source src[SET_MANY_MAX];
	size_t saved = 0;
	bool ok = true;
	for (; saved < n; saved++) {
		old[saved] = strdup(settings_str(d->set, ids[saved]));
		src[saved] = settings_source(d->set, ids[saved]);
		if (!old[saved]) {
			snprintf(why, len, "%s: out of memory", settings_def(ids[saved])->name);
			ok = false;
			break;
		}
		if (settings_set_id(d->set, ids[saved], vals[saved], SRC_RUNTIME, why, len, NULL) !=
		    SET_OK) {
			saved++; /* put back as well */
			ok = false;
			break;
		}
	}
	if (ok)
		ok = evsed_group_check(d->set, why, len) && evsed_ocpp_profile_ok(d, why, len);
	char ignored[300];
	while (saved-- > 0) {
		if (!old[saved])
			continue;
		if (settings_set_id(d->set, ids[saved], old[saved], src[saved], ignored,
				    sizeof ignored, NULL) != SET_OK)
			evsed_log(d, "setting %s: could not put the old value back",
				  settings_def(ids[saved])->name);
		free(old[saved]);
	}
	return ok;
}

/* A refusal naming the setting it is about (the web forms mark it). */
static json_t *err_field(const char *field, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static json_t *err_field(const char *field, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return json_pack("{s:b, s:i, s:s, s:s}", "ok", 0, "code", 1, "error", buf, "field", field);
}

/* config set KEY VALUE [KEY VALUE]...: one settings transaction. Every value
 * is checked alone (unknown, read-only, start-only, the registry's
 * validation, fixed by --set), then all together (the start-time cross
 * checks), then made durable in one store transaction, then applied: the
 * first bad one is named and nothing changes. args[first..] are the pairs. */
static json_t *config_set(struct evsed *d, json_t *args, size_t first)
{
	size_t n = json_array_size(args) - first;
	if (n == 0 || n % 2 != 0 || n / 2 > SET_MANY_MAX)
		return err_msg(2, "usage: config set KEY VALUE [KEY VALUE]... (at most %d)",
			       SET_MANY_MAX);
	n /= 2;
	enum set_id ids[SET_MANY_MAX];
	const char *vals[SET_MANY_MAX];
	char why[300];
	for (size_t i = 0; i < n; i++) {
		const char *key = arg(args, first + 2 * i);
		vals[i] = arg(args, first + 2 * i + 1);
		if (!settings_find(key, &ids[i]))
			return err_field(key, "%.60s: unknown setting", key);
		const struct set_def *def = settings_def(ids[i]);
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return err_field(key, "%s: given twice", def->name);
		if (def->flags & SF_READONLY)
			return err_field(key, "%s: is read-only", def->name);
		if (def->flags & SF_STARTUP)
			return err_field(key,
					 "%s: can only be set at start (settings file or --set)",
					 def->name);
		if (!settings_validate(ids[i], vals[i], why, sizeof why))
			return err_field(key, "%s: %s", def->name, why);
		if (settings_source(d->set, ids[i]) == SRC_CLI)
			return err_field(key, "%s: fixed by --set on the command line for this run",
					 def->name);
	}
	if (!combination_ok(d, ids, vals, n, why, sizeof why)) {
		/* The message starts with the key it is about, if one of these. */
		const char *field = settings_def(ids[0])->name;
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(settings_def(ids[i])->name);
			if (strncmp(why, settings_def(ids[i])->name, l) == 0 && why[l] == ':')
				field = settings_def(ids[i])->name;
		}
		return err_field(field, "%s", why);
	}
	/* C12: a new SecurityProfile is on trial, durably (marked before it
	 * is stored). */
	bool renew_profile = false, renew_password = false;
	for (size_t i = 0; i < n; i++) {
		renew_profile |= ids[i] == SET_SECURITY_PROFILE && d->ocpp;
		renew_password |= ids[i] == SET_OCPP_PASSWORD && d->ws;
	}
	if (renew_profile && !ocpp_security_mark(d->ocpp))
		return err_field("SecurityProfile",
				 "SecurityProfile: cannot mark the trial of the new profile");
	if (store_begin(d->store) != STORE_OK)
		return err_msg(1, "cannot store the settings: %s", store_errmsg(d->store));
	for (size_t i = 0; i < n; i++)
		if (store_setting_put(d->store, settings_def(ids[i])->name, vals[i]) != STORE_OK) {
			json_t *e = err_field(settings_def(ids[i])->name, "%s: cannot store: %s",
					      settings_def(ids[i])->name, store_errmsg(d->store));
			store_rollback(d->store);
			return e;
		}
	if (store_commit(d->store) != STORE_OK)
		return err_msg(1, "cannot store the settings: %s", store_errmsg(d->store));
	bool reboot = false;
	for (size_t i = 0; i < n; i++) {
		const struct set_def *def = settings_def(ids[i]);
		/* Checked above, alone and together: cannot fail. */
		if (settings_set_id(d->set, ids[i], vals[i], SRC_RUNTIME, why, sizeof why, NULL) !=
		    SET_OK)
			return err_msg(1, "%s", why);
		evsed_log(d, "setting %s = %s", def->name,
			  shown(def, settings_str(d->set, ids[i])));
		reboot |= (def->flags & SF_REBOOT) != 0;
	}
	/* C12: reconnect with them at once (a profile on trial). */
	if (renew_password)
		evsed_link_renew(d);
	if (renew_profile)
		ocpp_security_renew(d->ocpp, evsed_now(d));
	evsed_sync(d);
	charger_settings_changed(d->ch, evsed_now(d));
	evsed_sync(d);
	if (n > 1)
		return ok_msg("%zu settings saved%s", n,
			      reboot ? " (some take effect after a restart)" : "");
	const struct set_def *def = settings_def(ids[0]);
	if (def->flags & SF_REBOOT)
		return ok_msg("%s = %s (takes effect after a restart)", def->name,
			      shown(def, settings_str(d->set, ids[0])));
	return ok_msg("%s = %s", def->name, shown(def, settings_str(d->set, ids[0])));
}

static json_t *cmd_config(struct evsed *d, json_t *args)
{
	const char *op = arg(args, 0);
	size_t n = json_array_size(args);
	if (strcmp(op, "list") == 0 && n == 1) {
		json_t *a = json_array();
		for (int i = 0; i < SET_COUNT; i++)
			json_array_append_new(a, setting_json(d, (enum set_id)i));
		return ok_data(a);
	}
	enum set_id id;
	if (strcmp(op, "get") == 0 && n == 2) {
		if (!settings_find(arg(args, 1), &id))
			return err_msg(1, "%s: unknown setting", arg(args, 1));
		return ok_data(setting_json(d, id));
	}
	if (strcmp(op, "set") == 0 && n >= 3)
		return config_set(d, args, 1);
	return err_msg(2,
		       "usage: config get KEY | config set KEY VALUE [KEY VALUE]... | config list");
}

/* ---- group balancing (E4-E6) ------------------------------------------ */

static json_t *cmd_group(struct evsed *d, json_t *args)
{
	const char *op = arg(args, 0);
	size_t n = json_array_size(args);
	char why[200];
	if (strcmp(op, "status") == 0 && n == 1) {
		evsed_sync(d);
		return ok_data(evsed_group_status(d));
	}
	if (strcmp(op, "identify") == 0 &&
	    (n == 1 || (n == 2 && strcmp(arg(args, 1), "all") == 0))) {
		bool all = n == 2;
		if (!evsed_group_identify(d, all, why, sizeof why))
			return err_msg(1, "%s", why);
		return ok_msg("%s flash for 10 s",
			      all ? "every charger of the group's LEDs" : "this charger's LEDs");
	}
	if (strcmp(op, "rebuild") == 0 && n == 1) {
		if (!evsed_group_rebuild(d, why, sizeof why))
			return err_msg(1, "%s", why);
		return ok_msg("group rebuilt: members forgotten, rediscovering");
	}
	return err_msg(2, "usage: group status | group identify [all] | group rebuild");
}

/* ---- charging profiles (C8) ------------------------------------------ */

static json_t *cmd_profiles(struct evsed *d, json_t *args)
{
	size_t n = json_array_size(args);
	if (n == 0) {
		evsed_sync(d);
		return ok_data(json_pack("{s:b, s:o}", "csms", d->ocpp != NULL, "profiles",
					 d->ocpp ? ocpp_profiles_json(d->ocpp) : json_array()));
	}
	if (strcmp(arg(args, 0), "clear") != 0)
		return err_msg(2, "usage: profiles | profiles clear");
	if (!d->ocpp)
		return err_msg(1, "no CSMS configured (ocpp.url is empty): there are no charging "
				  "profiles to clear");
	char why[200];
	int k = ocpp_profiles_clear(d->ocpp, evsed_now(d), why, sizeof why);
	if (k < 0)
		return err_msg(1, "%s", why);
	evsed_sync(d);
	evsed_log(d, "profiles: %d charging profile(s) cleared locally", k);
	if (k == 0)
		return ok_msg("no charging profiles installed: nothing cleared");
	return ok_msg("%d charging profile(s) cleared", k);
}

/* ---- the installer page (G6) ----------------------------------------- */

/* The installer page's settings (io7 6.1.8 "Installer Settings", and the
 * MQ200's Reboot Period): what "save all configuration" may save and "reset
 * to default" puts back. Not the serial number (the charger's identity:
 * maintenance page), nor the CSMS, authorization, cards, accounts, load
 * balancing or smart charging. web/app.js shows the same prefixes. */
static const char *const installer_prefixes[] = {
    "time.",   "charger.", "supply.", "installer.", "tilt.", "sound.", "resume_after_reboot",
    "reboot.",
};

static bool installer_key(enum set_id id)
{
	const struct set_def *def = settings_def(id);
	if (id == SET_CHARGER_SERIAL || (def->flags & (SF_READONLY | SF_STARTUP)))
		return false;
	for (size_t i = 0; i < sizeof installer_prefixes / sizeof installer_prefixes[0]; i++)
		if (strncmp(def->name, installer_prefixes[i], strlen(installer_prefixes[i])) == 0)
			return true;
	return false;
}

static const char *profile_default(const struct evsed *d, enum set_id id)
{
	const struct set_def *def = settings_def(id);
	const char *v = def->pdef[settings_profile(d->set)];
	return v ? v : def->def;
}

/* Every installer setting back to the product profile's default, in one
 * transaction. Settings fixed by --set for this run are kept (and named). */
static json_t *installer_defaults(struct evsed *d)
{
	json_t *args = json_array(), *reset = json_array(), *kept = json_array();
	json_array_append_new(args, json_string("set"));
	for (int i = 0; i < SET_COUNT; i++) {
		enum set_id id = (enum set_id)i;
		if (!installer_key(id))
			continue;
		if (settings_source(d->set, id) == SRC_CLI) {
			json_array_append_new(kept, json_string(settings_def(id)->name));
			continue;
		}
		json_array_append_new(args, json_string(settings_def(id)->name));
		json_array_append_new(args, json_string(profile_default(d, id)));
		json_array_append_new(reset, json_string(settings_def(id)->name));
	}
	json_t *r = config_set(d, args, 1);
	json_decref(args);
	if (!json_is_true(json_object_get(r, "ok"))) {
		json_decref(reset);
		json_decref(kept);
		return r;
	}
	json_decref(r);
	evsed_log(d, "installer settings back to the %s defaults (%zu settings)",
		  profile_get(settings_profile(d->set))->name, json_array_size(reset));
	/* reboot_required: a restart-only value now differs from the one in
	 * force (one put back to what runs cancels the wait). */
	json_t *o = ok_data(json_pack("{s:o, s:o, s:b}", "reset", reset, "kept", kept,
				      "reboot_required", settings_restart_pending(d->set)));
	char m[400];
	int k = snprintf(m, sizeof m, "%zu installer settings back to the profile defaults",
			 json_array_size(reset));
	for (size_t i = 0; i < json_array_size(kept) && k > 0 && (size_t)k < sizeof m; i++)
		k += snprintf(m + k, sizeof m - (size_t)k, "%s%s",
			      i ? ", " : "; kept (fixed by --set): ",
			      json_string_value(json_array_get(kept, i)));
	json_object_set_new(o, "message", json_string(m));
	return o;
}

/* "save all configuration + calibrate" (io7 6.1.8): the given installer
 * settings and the accelerometer's reference (its reading now, at rest) in
 * one transaction. The reference is what bump and tilt are measured from
 * (tilt.zero_g, tilt.zero_angle); a reading beyond their range (the charger
 * is moving or not upright) is refused and nothing is saved. */
static json_t *installer_calibrate(struct evsed *d, json_t *args)
{
	size_t n = json_array_size(args) - 1;
	if (n % 2 != 0 || n / 2 + 2 > SET_MANY_MAX)
		return err_msg(2, "usage: installer calibrate [KEY VALUE]... (at most %d)",
			       SET_MANY_MAX - 2);
	for (size_t i = 1; i < json_array_size(args); i += 2) {
		enum set_id id;
		const char *key = arg(args, i);
		if (!settings_find(key, &id))
			return err_field(key, "%.60s: unknown setting", key);
		if (id == SET_TILT_ZERO_G || id == SET_TILT_ZERO_ANGLE)
			return err_field(key, "%s: set by the calibration itself",
					 settings_def(id)->name);
		if (!installer_key(id))
			return err_field(key, "%s: not a setting of the installer page",
					 settings_def(id)->name);
	}
	evsed_sync(d);
	double g, deg;
	charger_motion(d->ch, &g, &deg);
	const struct set_def *zg = settings_def(SET_TILT_ZERO_G);
	const struct set_def *za = settings_def(SET_TILT_ZERO_ANGLE);
	if (g > zg->max || deg > za->max)
		return err_field(
		    g > zg->max ? zg->name : za->name,
		    "cannot calibrate: the accelerometer reads %.2f g and %.1f degrees "
		    "from vertical; at rest and mounted it must read at most %.0f g and "
		    "%.0f degrees",
		    g, deg, zg->max, za->max);
	char gs[32], ds[32];
	snprintf(gs, sizeof gs, "%.3f", g);
	snprintf(ds, sizeof ds, "%.2f", deg);
	json_t *set = json_array();
	json_array_append_new(set, json_string("set"));
	for (size_t i = 1; i < json_array_size(args); i++)
		json_array_append(set, json_array_get(args, i));
	json_array_append_new(set, json_string(zg->name));
	json_array_append_new(set, json_string(gs));
	json_array_append_new(set, json_string(za->name));
	json_array_append_new(set, json_string(ds));
	json_t *r = config_set(d, set, 1);
	json_decref(set);
	if (!json_is_true(json_object_get(r, "ok")))
		return r;
	json_decref(r);
	evsed_log(d, "accelerometer calibrated: reference %s g, %s degrees", gs, ds);
	json_t *o = ok_data(json_pack("{s:i, s:f, s:f, s:b}", "saved", (int)(n / 2), "zero_g",
				      settings_double(d->set, SET_TILT_ZERO_G), "zero_angle",
				      settings_double(d->set, SET_TILT_ZERO_ANGLE),
				      "reboot_required", settings_restart_pending(d->set)));
	char m[200];
	snprintf(m, sizeof m, "%zu setting(s) saved; calibrated: reference %s g, %s degrees", n / 2,
		 gs, ds);
	json_object_set_new(o, "message", json_string(m));
	return o;
}

static json_t *cmd_installer(struct evsed *d, json_t *args)
{
	const char *op = arg(args, 0);
	size_t n = json_array_size(args);
	if (strcmp(op, "keys") == 0 && n == 1) {
		json_t *a = json_array();
		for (int i = 0; i < SET_COUNT; i++)
			if (installer_key((enum set_id)i))
				json_array_append_new(
				    a, json_string(settings_def((enum set_id)i)->name));
		return ok_data(a);
	}
	if (strcmp(op, "defaults") == 0 && n == 1)
		return installer_defaults(d);
	if (strcmp(op, "calibrate") == 0)
		return installer_calibrate(d, args);
	return err_msg(2, "usage: installer keys | installer defaults | installer calibrate "
			  "[KEY VALUE]...");
}

/* ---- the table -------------------------------------------------------- */

struct command {
	const char *name;
	size_t min_args, max_args;
	json_t *(*fn)(struct evsed *d, json_t *args);
	const char *usage;
};

static const struct command commands[] = {
    {"status", 0, 0, cmd_status, "status"},
    {"plug", 1, 4, cmd_plug, "plug N [max=A] [phases=P] [cable=A]"},
    {"unplug", 1, 1, cmd_unplug, "unplug N"},
    {"ev", 2, 2, cmd_ev, "ev N charge|pause|full"},
    {"swipe", 1, 1, cmd_swipe, "swipe UID"},
    {"fault", 1, 3, cmd_fault, "fault NAME on|off [N] | fault reset [N]"},
    {"faults", 0, 1, cmd_faults, "faults [LIMIT]"},
    {"tilt", 2, 2, cmd_tilt, "tilt G DEGREES"},
    {"load", 1, 3, cmd_load, "load A [A A]"},
    {"card", 1, 2, cmd_card, "card add UID | card remove UID | card list | card learn N"},
    {"history", 0, 1, cmd_history, "history [LIMIT]"},
    {"time", 2, 2, cmd_time, "time advance SECONDS"},
    {"config", 1, 1 + 2 * SET_MANY_MAX, cmd_config,
     "config get KEY | config set KEY VALUE [KEY VALUE]... | config list"},
    {"installer", 1, 1 + 2 * SET_MANY_MAX, cmd_installer,
     "installer keys | installer defaults | installer calibrate [KEY VALUE]..."},
    {"group", 1, 2, cmd_group, "group status | group identify [all] | group rebuild"},
    {"profiles", 0, 1, cmd_profiles, "profiles | profiles clear"},
};

json_t *evsed_command(void *user, const char *cmd, json_t *args)
{
	struct evsed *d = user;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		if (strcmp(c->name, cmd) != 0)
			continue;
		size_t n = json_array_size(args);
		if (n < c->min_args || n > c->max_args)
			return err_msg(2, "usage: %s", c->usage);
		return c->fn(d, args);
	}
	return err_msg(2, "unknown command '%.40s'", cmd);
}
