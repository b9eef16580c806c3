/* SPDX-License-Identifier: MIT */
/*
 * OCPP engine core: connection state, BootNotification (Accepted / Pending /
 * Rejected), Heartbeat, the single outstanding CALL with its timeout, the
 * choice of the next message (transaction messages keep their order relative
 * to the rest), answers to the CSMS's CALLs (with repeated answers for a
 * duplicate id) and the reconnection back-off.
 */
#include "ocpp_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

#define RECONNECT_BASE_MS 2000
/* The CSMS moving the clock by more than this is a security event. */
#define SET_TIME_EVENT_S 60

void ocpp_trace(struct ocpp *o, const char *fmt, ...)
{
	if (!o->io->log)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->io->log(o->io->user, buf);
}

int64_t ocpp_utc(const struct ocpp *o, int64_t now)
{
	return charger_utc(o->ch, now);
}

json_t *ocpp_time_json(int64_t utc)
{
	char buf[32];
	settings_format_utc(utc, buf, sizeof buf);
	return json_string(buf);
}

int ocpp_connectors(const struct ocpp *o)
{
	return charger_connectors(o->ch);
}

struct ocpp *ocpp_new(struct settings *s, struct charger *ch, const struct ocpp_io *io, int64_t now)
{
	struct ocpp *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->cache = calloc(CACHE_MAX, sizeof *o->cache);
	if (!o->cache) {
		free(o);
		return NULL;
	}
	o->set = s;
	o->ch = ch;
	o->io = io;
	o->sec.from = settings_int(s, SET_SECURITY_PROFILE);
	if (!ocpp_list_init(o)) {
		free(o->cache);
		free(o);
		return NULL;
	}
	if (!ocpp_smart_init(o)) {
		ocpp_list_free(o);
		free(o->cache);
		free(o);
		return NULL;
	}
	o->id_prefix = io->rand ? io->rand(io->user) : 1;
	ocpp_auth_init(o);
	for (int c = 0; c <= ocpp_connectors(o); c++)
		ocpp_status_refresh(o, now, c);
	ocpp_aligned_reschedule(o, now);
	return o;
}

void ocpp_free(struct ocpp *o)
{
	if (!o)
		return;
	for (int i = 0; i < o->vq_n; i++)
		json_decref(o->vq[i].payload);
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
		json_decref(o->tx[i].stop_data);
	for (int i = 0; i < ANSWERED_MAX; i++)
		free(o->answered[i].answer);
	free(o->cache);
	ocpp_list_free(o);
	ocpp_smart_free(o);
	ocpp_fw_free(o);
	free(o);
}

const struct chg_auth *ocpp_authorizer(struct ocpp *o)
{
	return &o->auth;
}

struct ocpp_state ocpp_state(const struct ocpp *o)
{
	struct ocpp_state s = o->stats;
	s.connected = o->connected;
	s.boot = o->boot;
	s.queued = o->io->q_count ? o->io->q_count(o->io->user) : 0;
	return s;
}

/* ---- sending --------------------------------------------------------- */

static bool send_frame(struct ocpp *o, const char *frame)
{
	if (!o->io->send || o->io->send(o->io->user, frame, strlen(frame)) < 0) {
		ocpp_trace(o, "ocpp: the transport refused a frame");
		return false;
	}
	return true;
}

/* Send a CALL and make it the outstanding one. Takes payload's reference. */
static bool send_call(struct ocpp *o, int64_t now, enum out_kind kind, const char *action,
		      json_t *payload)
{
	struct outstanding *out = &o->out;
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%08x-%u", o->id_prefix, ++o->id_n);
	char *frame = ocpp_build_call(out->id, action, payload);
	json_decref(payload);
	if (!frame) {
		ocpp_trace(o, "ocpp: %s could not be built", action);
		return false;
	}
	bool ok = send_frame(o, frame);
	free(frame);
	if (!ok)
		return false;
	out->kind = kind;
	snprintf(out->action, sizeof out->action, "%s", action);
	out->deadline = now + settings_int(o->set, SET_OCPP_CALL_TIMEOUT) * 1000;
	o->stats.calls_sent++;
	/* Any message resets the heartbeat: the CSMS knows we are alive. */
	o->hb_next = now + settings_int(o->set, SET_HEARTBEAT_INTERVAL) * 1000;
	return true;
}

int ocpp_vq_room(const struct ocpp *o)
{
	return VQ_MAX - o->vq_n;
}

bool ocpp_vq_push(struct ocpp *o, const char *action, json_t *payload, const char *id_tag)
{
	if (o->vq_n == VQ_MAX) {
		ocpp_trace(o, "ocpp: message queue full, %s dropped", action);
		json_decref(payload);
		return false;
	}
	struct vitem *v = &o->vq[o->vq_n++];
	memset(v, 0, sizeof *v);
	snprintf(v->action, sizeof v->action, "%s", action);
	v->payload = payload;
	v->after_seq = o->max_seq;
	v->order = ++o->order;
	if (id_tag)
		snprintf(v->id_tag, sizeof v->id_tag, "%s", id_tag);
	return true;
}

void ocpp_vq_push_triggered(struct ocpp *o, const char *action, json_t *payload)
{
	if (ocpp_vq_push(o, action, payload, NULL))
		o->vq[o->vq_n - 1].triggered = true;
}

static void vq_drop(struct ocpp *o, int i)
{
	json_decref(o->vq[i].payload);
	memmove(&o->vq[i], &o->vq[i + 1], (size_t)(o->vq_n - i - 1) * sizeof o->vq[0]);
	o->vq_n--;
}

json_t *ocpp_boot_payload(struct ocpp *o)
{
	const struct profile *p = profile_get(settings_profile(o->set));
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "chargePointVendor", p->vendor,
			      "chargePointModel", p->model, "chargePointSerialNumber",
			      settings_str(o->set, SET_CHARGER_SERIAL), "chargeBoxSerialNumber",
			      settings_str(o->set, SET_CHARGER_SERIAL), "firmwareVersion",
			      o->fw_version[0] ? o->fw_version : EVSED_VERSION_STRING);
	return j;
}

/* What the answer to a volatile message means: a triggered BootNotification
 * or Heartbeat is answered as the engine's own. */
static enum out_kind vitem_kind(const char *action)
{
	if (strcmp(action, "Authorize") == 0)
		return OUT_AUTHORIZE;
	if (strcmp(action, "BootNotification") == 0)
		return OUT_BOOT;
	if (strcmp(action, "Heartbeat") == 0)
		return OUT_HEARTBEAT;
	return OUT_OTHER;
}

static void send_vitem(struct ocpp *o, int64_t now, int vi)
{
	struct vitem v = o->vq[vi];
	json_incref(v.payload);
	vq_drop(o, vi);
	enum out_kind k = vitem_kind(v.action);
	if (send_call(o, now, k, v.action, v.payload) && k == OUT_AUTHORIZE)
		snprintf(o->out.id_tag, sizeof o->out.id_tag, "%s", v.id_tag);
}

/* The oldest message TriggerMessage asked for, if any (boot Pending). */
static void send_triggered(struct ocpp *o, int64_t now)
{
	for (int i = 0; i < o->vq_n; i++) {
		if (o->vq[i].triggered) {
			send_vitem(o, now, i);
			return;
		}
	}
}

/* The oldest of the reportable statuses and volatile messages. */
static int next_volatile(struct ocpp *o, int64_t now, int *status_conn)
{
	uint64_t best = UINT64_MAX;
	int pick = -1;
	*status_conn = -1;
	for (int c = 0; c <= ocpp_connectors(o); c++) {
		struct status_state *s = &o->st[c];
		if (s->dirty && now >= s->stable_at && s->order < best) {
			best = s->order;
			*status_conn = c;
		}
	}
	for (int i = 0; i < o->vq_n; i++) {
		if (o->vq[i].order < best) {
			best = o->vq[i].order;
			pick = i;
			*status_conn = -1;
		}
	}
	return pick;
}

static int64_t after_seq_of(struct ocpp *o, int vi, int sc)
{
	if (vi >= 0)
		return o->vq[vi].after_seq;
	if (sc >= 0)
		return o->st[sc].after_seq;
	return INT64_MAX;
}

/* Send the head of the durable queue; true if something went out. */
static bool send_durable(struct ocpp *o, int64_t now)
{
	struct ocpp_qmsg m;
	memset(&m, 0, sizeof m);
	while (o->io->q_head && o->io->q_head(o->io->user, &m)) {
		json_error_t jerr;
		json_t *payload = json_loads(m.payload, 0, &jerr);
		free(m.payload);
		if (!payload || !ocpp_tx_fill_id(o, &m, payload)) {
			ocpp_trace(o, "ocpp: %s of session %lld dropped: %s", m.action,
				   (long long)m.session,
				   payload ? "its transaction was never accepted by the CSMS"
					   : "unreadable");
			json_decref(payload);
			o->io->q_pop(o->io->user, m.seq);
			memset(&m, 0, sizeof m);
			continue;
		}
		char action[sizeof m.action];
		snprintf(action, sizeof action, "%s", m.action);
		const char *tag = json_string_value(json_object_get(payload, "idTag"));
		char id_tag[AUTH_ID_MAX + 1];
		snprintf(id_tag, sizeof id_tag, "%s", tag ? tag : "");
		if (!send_call(o, now, OUT_TX, action, payload))
			return false;
		snprintf(o->out.id_tag, sizeof o->out.id_tag, "%s", id_tag);
		o->out.seq = m.seq;
		o->out.session = m.session;
		o->out.attempts = m.attempts;
		return true;
	}
	return false;
}

/* The oldest security event not sent yet, if its retry time came: like a
 * transaction message, kept until the CSMS answers it. */
static bool send_security(struct ocpp *o, int64_t now)
{
	struct ocpp_secevent e;
	if (!o->io->sec_head || now < o->sec_retry_at || !o->io->sec_head(o->io->user, &e))
		return false;
	json_t *p = json_pack("{s:s, s:o}", "type", e.type, "timestamp", ocpp_time_json(e.utc));
	if (e.tech_info[0])
		json_object_set_new(p, "techInfo", json_string(e.tech_info));
	if (!send_call(o, now, OUT_SEC, "SecurityEventNotification", p))
		return false;
	o->out.seq = e.seq;
	return true;
}

void ocpp_security_event(struct ocpp *o, int64_t now, const char *type, const char *tech_info)
{
	ocpp_trace(o, "ocpp: security event %s%s%s", type, tech_info ? ": " : "",
		   tech_info ? tech_info : "");
	if (!o->io->sec_push ||
	    !o->io->sec_push(o->io->user, type, ocpp_utc(o, now), tech_info ? tech_info : ""))
		ocpp_trace(o, "ocpp: security event %s not stored", type);
	ocpp_pump(o, now);
}

/* A Reset waits until the StopTransactions it caused are out (or 10 s). */
static void reset_check(struct ocpp *o, int64_t now)
{
	if (!o->reset_pending || o->holding)
		return;
	bool drained = !o->io->q_count || o->io->q_count(o->io->user) == 0;
	if ((drained && o->out.kind == OUT_NONE) || now >= o->reset_at) {
		o->reset_pending = false;
		ocpp_trace(o, "ocpp: %s reset now", o->reset_hard ? "hard" : "soft");
		if (o->io->sec_push)
			(void)o->io->sec_push(o->io->user, "ResetOrReboot", ocpp_utc(o, now),
					      o->reset_hard ? "Reset Hard by the Central System"
							    : "Reset Soft by the Central System");
		if (o->io->reset)
			o->io->reset(o->io->user, o->reset_hard);
	}
}

static void pump(struct ocpp *o, int64_t now)
{
	if (!o->connected || o->out.kind != OUT_NONE)
		return;
	if (o->boot != OB_ACCEPTED) {
		if (o->boot == OB_NONE ||
		    ((o->boot == OB_PENDING || o->boot == OB_REJECTED) && now >= o->boot_next)) {
			if (send_call(o, now, OUT_BOOT, "BootNotification", ocpp_boot_payload(o)))
				o->boot = OB_SENT;
			return;
		}
		/* Pending: only what the CSMS asked for with TriggerMessage. */
		if (o->boot == OB_PENDING)
			send_triggered(o, now);
		return;
	}
	int sc;
	int vi = next_volatile(o, now, &sc);
	bool has_durable = o->io->q_count && o->io->q_count(o->io->user) > 0;
	bool durable_ready = has_durable && now >= o->tx_retry_at;
	if (has_durable && (vi >= 0 || sc >= 0)) {
		/* The durable head goes first if it is older; a head waiting
		 * for its retry does not hold newer messages back. */
		struct ocpp_qmsg m;
		memset(&m, 0, sizeof m);
		if (o->io->q_head(o->io->user, &m)) {
			free(m.payload);
			if (m.seq > after_seq_of(o, vi, sc))
				durable_ready = false;
		}
	}
	if (durable_ready && send_durable(o, now))
		return;
	if (sc >= 0) {
		json_t *p = ocpp_status_payload(o, now, sc);
		if (send_call(o, now, OUT_STATUS, "StatusNotification", p)) {
			o->out.conn = sc;
			o->st[sc].dirty = false;
			o->st[sc].sent_valid = true;
			o->st[sc].sent = o->st[sc].cur;
			o->st[sc].sent_err = o->st[sc].err;
		}
		return;
	}
	if (vi >= 0) {
		send_vitem(o, now, vi);
		return;
	}
	/* Security events after what the charger reports of itself, so that
	 * the statuses follow the BootNotification at once. */
	if (send_security(o, now))
		return;
	int64_t hb = settings_int(o->set, SET_HEARTBEAT_INTERVAL);
	if (hb > 0 && now >= o->hb_next)
		(void)send_call(o, now, OUT_HEARTBEAT, "Heartbeat", json_object());
}

void ocpp_pump(struct ocpp *o, int64_t now)
{
	if (o->holding)
		return; /* on_frame pumps once the frame is dealt with */
	pump(o, now);
	/* Not only on a tick: with the simulated clock a Reset must not wait
	 * for time to move. */
	reset_check(o, now);
	ocpp_fw_pump(o, now);
	pump(o, now); /* what the firmware update queued */
}

void ocpp_set_firmware_version(struct ocpp *o, const char *version)
{
	snprintf(o->fw_version, sizeof o->fw_version, "%s", version ? version : "");
}

/* ---- results ---------------------------------------------------------- */

static void sync_clock(struct ocpp *o, int64_t now, json_t *conf)
{
	const char *t = json_string_value(json_object_get(conf, "currentTime"));
	int64_t utc;
	if (t && settings_parse_utc(t, &utc) && o->io->set_utc) {
		int64_t before = ocpp_utc(o, now);
		o->io->set_utc(o->io->user, utc * 1000);
		/* A step of the clock, not its drift, is a security event. */
		if ((utc > before ? utc - before : before - utc) > SET_TIME_EVENT_S &&
		    o->io->sec_push) {
			char info[80];
			snprintf(info, sizeof info, "clock moved by %lld s by the Central System",
				 (long long)(utc - before));
			(void)o->io->sec_push(o->io->user, "SettingSystemTime", utc, info);
		}
		/* Clock-aligned readings follow the corrected clock. */
		ocpp_aligned_reschedule(o, now);
	}
}

static void boot_result(struct ocpp *o, int64_t now, json_t *conf)
{
	const char *status = json_string_value(json_object_get(conf, "status"));
	json_int_t interval = ocpp_schema_int(json_object_get(conf, "interval"));
	sync_clock(o, now, conf);
	/* A BootNotification TriggerMessage asked for while accepted. */
	bool again = o->boot == OB_ACCEPTED;
	if (status && strcmp(status, "Accepted") == 0) {
		o->boot = OB_ACCEPTED;
		ocpp_trace(o, "ocpp: BootNotification accepted (heartbeat %lld s)",
			   (long long)interval);
		if (interval > 0) {
			char v[24];
			snprintf(v, sizeof v, "%lld", (long long)interval);
			char err[200];
			if (settings_set_id(o->set, SET_HEARTBEAT_INTERVAL, v, SRC_RUNTIME, err,
					    sizeof err, NULL) == SET_OK &&
			    o->io->setting_store)
				(void)o->io->setting_store(o->io->user, "HeartbeatInterval", v);
		}
		o->hb_next = now + settings_int(o->set, SET_HEARTBEAT_INTERVAL) * 1000;
		if (!again)
			ocpp_status_all_dirty(o, now);
		return;
	}
	bool pending = status && strcmp(status, "Pending") == 0;
	o->boot = pending ? OB_PENDING : OB_REJECTED;
	/* A number from the network: kept within a day before any arithmetic. */
	int64_t wait = interval > 0 ? interval : settings_int(o->set, SET_OCPP_BOOT_INTERVAL);
	if (wait > 86400)
		wait = 86400;
	o->boot_next = now + wait * 1000;
	ocpp_trace(o, "ocpp: BootNotification %s; again in %lld s",
		   pending ? "pending" : "rejected", (long long)wait);
}

static void call_failed(struct ocpp *o, int64_t now, const char *why)
{
	struct outstanding out = o->out;
	o->out.kind = OUT_NONE;
	o->stats.calls_failed++;
	ocpp_trace(o, "ocpp: %s failed: %s", out.action, why);
	switch (out.kind) {
	case OUT_BOOT:
		/* A triggered BootNotification that failed changes nothing. */
		if (o->boot == OB_ACCEPTED)
			break;
		o->boot = OB_REJECTED;
		o->boot_next = now + settings_int(o->set, SET_OCPP_BOOT_INTERVAL) * 1000;
		break;
	case OUT_TX: {
		int attempts = out.attempts + 1;
		int64_t max = settings_int(o->set, SET_TRANSACTION_MESSAGE_ATTEMPTS);
		if (attempts >= max) {
			ocpp_trace(o, "ocpp: %s of session %lld dropped after %d attempts",
				   out.action, (long long)out.session, attempts);
			o->io->q_pop(o->io->user, out.seq);
		} else {
			o->io->q_attempts(o->io->user, out.seq, attempts);
			o->tx_retry_at =
			    now + settings_int(o->set, SET_TRANSACTION_MESSAGE_RETRY_INTERVAL) *
				      1000 * attempts;
		}
		break;
	}
	case OUT_STATUS:
		o->st[out.conn].dirty = true;
		o->st[out.conn].sent_valid = false;
		break;
	case OUT_AUTHORIZE:
		ocpp_auth_offline(o, now);
		break;
	case OUT_SEC: {
		/* Tries counted as for transaction messages. */
		int64_t max = settings_int(o->set, SET_TRANSACTION_MESSAGE_ATTEMPTS);
		if (++o->sec_attempts >= max) {
			ocpp_trace(o, "ocpp: security event %lld dropped after %d attempts",
				   (long long)out.seq, o->sec_attempts);
			if (o->io->sec_sent)
				o->io->sec_sent(o->io->user, out.seq);
			o->sec_attempts = 0;
			o->sec_retry_at = 0;
		} else {
			o->sec_retry_at =
			    now + settings_int(o->set, SET_TRANSACTION_MESSAGE_RETRY_INTERVAL) *
				      1000 * o->sec_attempts;
		}
		break;
	}
	default:
		break;
	}
}

static void on_result(struct ocpp *o, int64_t now, struct ocpp_frame *f)
{
	if (o->out.kind == OUT_NONE || strcmp(f->id, o->out.id) != 0) {
		ocpp_trace(o, "ocpp: answer to unknown message id %s ignored", f->id);
		return;
	}
	if (f->type == OCPP_CALLERROR) {
		char why[320];
		snprintf(why, sizeof why, "CALLERROR %s %s", ocpp_err_name(f->err), f->err_desc);
		call_failed(o, now, why);
		return;
	}
	char msg[256];
	enum ocpp_err e =
	    ocpp_schema_validate(o->out.action, OCPP_CONF, f->payload, msg, sizeof msg);
	if (e != OE_NONE) {
		char why[320];
		snprintf(why, sizeof why, "invalid answer: %s", msg);
		call_failed(o, now, why);
		return;
	}
	struct outstanding out = o->out;
	o->out.kind = OUT_NONE;
	switch (out.kind) {
	case OUT_BOOT:
		boot_result(o, now, f->payload);
		break;
	case OUT_HEARTBEAT:
		sync_clock(o, now, f->payload);
		break;
	case OUT_AUTHORIZE:
		ocpp_auth_result(o, now, out.id_tag, json_object_get(f->payload, "idTagInfo"));
		break;
	case OUT_TX:
		/* A StopTransaction the result causes must not overtake the
		 * removal of the answered message from the queue. */
		o->holding = true;
		ocpp_tx_result(o, now, &out, f->payload);
		o->io->q_pop(o->io->user, out.seq);
		o->holding = false;
		o->tx_retry_at = 0;
		break;
	case OUT_SEC:
		if (o->io->sec_sent)
			o->io->sec_sent(o->io->user, out.seq);
		o->sec_attempts = 0;
		o->sec_retry_at = 0;
		break;
	default:
		break;
	}
}

/* ---- calls from the CSMS --------------------------------------------- */

static void remember_answer(struct ocpp *o, const char *id, const char *frame)
{
	int i = o->answered_i++ % ANSWERED_MAX;
	free(o->answered[i].answer);
	o->answered[i].answer = strdup(frame);
	snprintf(o->answered[i].id, sizeof o->answered[i].id, "%s", id);
}

static const char *answered_before(struct ocpp *o, const char *id)
{
	for (int i = 0; i < ANSWERED_MAX; i++)
		if (o->answered[i].answer && strcmp(o->answered[i].id, id) == 0)
			return o->answered[i].answer;
	return NULL;
}

static void answer_error(struct ocpp *o, const char *id, enum ocpp_err e, const char *msg)
{
	char *frame = ocpp_build_error(id, e, msg);
	if (frame) {
		ocpp_trace(o, "ocpp: answered %s with %s: %s", id, ocpp_err_name(e), msg);
		(void)send_frame(o, frame);
		remember_answer(o, id, frame);
	}
	free(frame);
}

/* What the CSMS may ask before it accepted the BootNotification. */
static bool allowed_before_accept(const char *action)
{
	static const char *const ok[] = {"GetConfiguration",	"ChangeConfiguration",
					 "DataTransfer",	"TriggerMessage",
					 "GetLocalListVersion", "SendLocalList"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(action, ok[i]) == 0)
			return true;
	return false;
}

static void on_call(struct ocpp *o, int64_t now, struct ocpp_frame *f)
{
	const char *again = answered_before(o, f->id);
	if (again) {
		ocpp_trace(o, "ocpp: duplicate message id %s: previous answer repeated", f->id);
		(void)send_frame(o, again);
		return;
	}
	char msg[256];
	enum ocpp_err e = ocpp_schema_validate(f->action, OCPP_REQ, f->payload, msg, sizeof msg);
	if (e != OE_NONE) {
		answer_error(o, f->id, e, msg);
		return;
	}
	if (o->boot == OB_REJECTED) {
		/* Rejected: not a word to the CSMS until the next boot. */
		ocpp_trace(o, "ocpp: %s while rejected: not answered", f->action);
		return;
	}
	if (o->boot != OB_ACCEPTED &&
	    !(o->boot == OB_PENDING && allowed_before_accept(f->action))) {
		answer_error(o, f->id, OE_SECURITY,
			     "the Central System has not accepted this charge point yet");
		return;
	}
	o->holding = true;
	json_t *result = ocpp_handle_call(o, now, f->action, f->payload, &e, msg, sizeof msg);
	o->holding = false;
	if (!result) {
		answer_error(o, f->id, e, msg);
		return;
	}
	char *frame = ocpp_build_result(f->id, result);
	json_decref(result);
	if (!frame) {
		answer_error(o, f->id, OE_INTERNAL, "answer too large");
		return;
	}
	(void)send_frame(o, frame);
	remember_answer(o, f->id, frame);
	free(frame);
}

void ocpp_on_frame(struct ocpp *o, int64_t now, const char *text, size_t len)
{
	struct ocpp_frame f;
	enum ocpp_err e = OE_NONE;
	char msg[256] = "";
	enum ocpp_parse r = ocpp_frame_parse(text, len, &f, &e, msg, sizeof msg);
	switch (r) {
	case OP_DROP:
		ocpp_trace(o, "ocpp: unusable frame ignored: %s", msg);
		break;
	case OP_ANSWER:
		answer_error(o, f.id, e, msg);
		break;
	case OP_OK:
		if (f.type == OCPP_CALL)
			on_call(o, now, &f);
		else
			on_result(o, now, &f);
		break;
	}
	ocpp_frame_clear(&f);
	ocpp_pump(o, now);
}

/* ---- connection ------------------------------------------------------- */

void ocpp_on_connected(struct ocpp *o, int64_t now)
{
	o->connected = true;
	o->reconnects = 0;
	o->out.kind = OUT_NONE;
	o->tx_retry_at = 0;
	if (o->boot != OB_ACCEPTED) {
		o->boot = OB_NONE;
	} else {
		/* Back after an outage: report what changed meanwhile. */
		for (int c = 0; c <= ocpp_connectors(o); c++) {
			struct status_state *s = &o->st[c];
			if (!s->sent_valid || s->sent != s->cur || s->sent_err != s->err) {
				s->dirty = true;
				s->order = ++o->order;
				s->after_seq = o->max_seq;
			}
		}
	}
	ocpp_trace(o, "ocpp: connected");
	ocpp_security_connected(o, now);
	ocpp_pump(o, now);
}

void ocpp_on_disconnected(struct ocpp *o, int64_t now)
{
	bool was = o->connected;
	o->connected = false;
	struct outstanding out = o->out;
	o->out.kind = OUT_NONE;
	if (out.kind == OUT_BOOT && o->boot != OB_ACCEPTED)
		o->boot = OB_NONE;
	if (out.kind == OUT_STATUS)
		o->st[out.conn].dirty = true;
	/* Heartbeats, Authorize requests and what a TriggerMessage of this
	 * connection asked for mean nothing later. */
	for (int i = o->vq_n - 1; i >= 0; i--)
		if (o->vq[i].triggered || strcmp(o->vq[i].action, "Heartbeat") == 0 ||
		    strcmp(o->vq[i].action, "Authorize") == 0)
			vq_drop(o, i);
	if (o->pa.active)
		ocpp_auth_offline(o, now);
	ocpp_security_disconnected(o);
	if (was)
		ocpp_trace(o, "ocpp: disconnected");
}

int64_t ocpp_reconnect_delay(struct ocpp *o)
{
	int64_t cap = settings_int(o->set, SET_OCPP_RECONNECT_MAX) * 1000;
	int64_t d = RECONNECT_BASE_MS;
	for (int i = 0; i < o->reconnects && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	o->reconnects++;
	/* Jitter: somewhere in [d/2, d], so that chargers after a power cut do
	 * not all reconnect in the same second. */
	uint32_t r = o->io->rand ? o->io->rand(o->io->user) : 0;
	return d / 2 + (int64_t)(r % (uint32_t)(d / 2 + 1));
}

/* ---- charger events and time ------------------------------------------ */

void ocpp_flush(struct ocpp *o, int64_t now)
{
	ocpp_pump(o, now);
}

bool ocpp_transaction_id(const struct ocpp *o, int64_t session, int *id)
{
	return ocpp_tx_id_of(o, session, id);
}

void ocpp_on_status(struct ocpp *o, int64_t now, int conn)
{
	ocpp_security_tamper(o, now);
	ocpp_status_refresh(o, now, conn);
	ocpp_status_refresh(o, now, 0);
	ocpp_pump(o, now);
}

void ocpp_clock_changed(struct ocpp *o, int64_t now)
{
	ocpp_aligned_reschedule(o, now);
}

void ocpp_tick(struct ocpp *o, int64_t now)
{
	if (o->out.kind != OUT_NONE && now >= o->out.deadline)
		call_failed(o, now, "no answer in time");
	ocpp_tx_tick(o, now);
	reset_check(o, now);
	ocpp_pump(o, now);
}

int64_t ocpp_next_deadline(const struct ocpp *o)
{
	int64_t next = INT64_MAX;
#define EARLIER(t)                                                                                 \
	do {                                                                                       \
		int64_t t_ = (t);                                                                  \
		if (t_ > 0 && t_ < next)                                                           \
			next = t_;                                                                 \
	} while (0)
	if (o->out.kind != OUT_NONE)
		EARLIER(o->out.deadline);
	if (o->connected && o->out.kind == OUT_NONE) {
		if (o->boot == OB_PENDING || o->boot == OB_REJECTED)
			EARLIER(o->boot_next);
		if (o->boot == OB_ACCEPTED) {
			if (settings_int(o->set, SET_HEARTBEAT_INTERVAL) > 0)
				EARLIER(o->hb_next);
			if (o->tx_retry_at)
				EARLIER(o->tx_retry_at);
			if (o->sec_retry_at)
				EARLIER(o->sec_retry_at);
			for (int c = 0; c <= ocpp_connectors(o); c++)
				if (o->st[c].dirty)
					EARLIER(o->st[c].stable_at);
		}
	}
	EARLIER(ocpp_tx_deadline(o));
	if (o->reset_pending)
		EARLIER(o->reset_at);
	if (o->fw.phase != FWP_IDLE || o->diag.active)
		EARLIER(o->fw.phase == FWP_WAIT_TX ? 0 : ocpp_fw_deadline(o, o->fw_now));
#undef EARLIER
	return next;
}
