/* SPDX-License-Identifier: MIT */
/*
 * OCPP status notifications (with MinimumStatusDuration and fault codes,
 * C11), transactions through the durable queue (C5) and meter values:
 * sampled during transactions, clock-aligned, and the transactionData of
 * StopTransaction (C4).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocpp_int.h"
#include "schema.h"

/* ---- status ----------------------------------------------------------- */

/* The fault a connector reports: the first active one in table order. */
static const struct fault_def *reported_fault(uint32_t faults)
{
	for (int i = 0; i < FAULT_COUNT; i++)
		if (faults & (1u << i))
			return fault_def((enum fault_id)i);
	return NULL;
}

void ocpp_status_refresh(struct ocpp *o, int64_t now, int conn)
{
	struct status_state *s = &o->st[conn];
	enum conn_status cur;
	const struct fault_def *f;
	if (conn == 0) {
		cur = charger_status0(o->ch);
		f = reported_fault(charger_faults(o->ch));
	} else {
		struct conn_info ci;
		if (!charger_conn_info(o->ch, conn, &ci))
			return;
		cur = ci.status;
		f = reported_fault(ci.faults);
	}
	const char *err = f ? f->ocpp_error : "NoError";
	if (s->cur == cur && s->err == err && s->order != 0)
		return;
	s->cur = cur;
	s->err = err;
	s->vendor = f ? f->vendor_code : NULL;
	s->info = f ? f->text : NULL;
	if (s->sent_valid && s->sent == cur && s->sent_err == err) {
		s->dirty = false; /* back to what the CSMS knows */
		return;
	}
	s->dirty = true;
	s->order = ++o->order;
	s->after_seq = o->max_seq;
	/* Faults are reported at once; other changes once they lasted
	 * MinimumStatusDuration. */
	s->stable_at = f ? now : now + settings_int(o->set, SET_MINIMUM_STATUS_DURATION) * 1000;
}

void ocpp_status_all_dirty(struct ocpp *o, int64_t now)
{
	for (int c = 0; c <= ocpp_connectors(o); c++) {
		ocpp_status_refresh(o, now, c);
		struct status_state *s = &o->st[c];
		s->dirty = true;
		s->sent_valid = false;
		s->stable_at = now;
		s->order = ++o->order;
		s->after_seq = o->max_seq;
	}
}

json_t *ocpp_status_payload(struct ocpp *o, int64_t now, int conn)
{
	struct status_state *s = &o->st[conn];
	json_t *j =
	    json_pack("{s:i, s:s, s:s, s:o}", "connectorId", conn, "errorCode", s->err, "status",
		      conn_status_name(s->cur), "timestamp", ocpp_time_json(ocpp_utc(o, now)));
	if (s->vendor)
		json_object_set_new(j, "vendorErrorCode", json_string(s->vendor));
	if (s->info)
		json_object_set_new(j, "info", json_string(s->info));
	return j;
}

/* ---- meter values ------------------------------------------------------ */

/* One SampledValue; unit NULL for measurands without one (Frequency). */
static json_t *sv(const char *value, const char *measurand, const char *unit, const char *context,
		  const char *phase)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "value", value, "context", context, "format",
			      "Raw", "measurand", measurand);
	if (unit)
		json_object_set_new(j, "unit", json_string(unit));
	json_object_set_new(j, "location", json_string("Outlet"));
	if (phase)
		json_object_set_new(j, "phase", json_string(phase));
	return j;
}

static void add_value(json_t *arr, double v, int decimals, const char *measurand, const char *unit,
		      const char *context, const char *phase)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	json_array_append_new(arr, sv(buf, measurand, unit, context, phase));
}

/* One MeterValue object {timestamp, sampledValue[]} for connector conn with
 * the measurands of csl; NULL if the list is empty. */
static json_t *meter_value(struct ocpp *o, int64_t now, int conn, const char *csl,
			   const char *context)
{
	struct conn_info ci;
	if (!charger_conn_info(o->ch, conn, &ci) || !csl[0])
		return NULL;
	static const char *const phases[] = {"L1", "L2", "L3"};
	/* The meter measures phase to neutral. */
	static const char *const volts[] = {"L1-N", "L2-N", "L3-N"};
	int nph = (int)settings_int(o->set, SET_SUPPLY_PHASES);
	json_t *arr = json_array();
	const char *p = csl;
	while (*p) {
		size_t len = strcspn(p, ",");
		char m[40];
		snprintf(m, sizeof m, "%.*s", (int)(len < sizeof m ? len : sizeof m - 1), p);
		if (strcmp(m, "Energy.Active.Import.Register") == 0)
			/* Rounded down, like meterStart / meterStop: a reading
			 * never exceeds the register. */
			add_value(arr, floor(ci.meter.energy_wh * 10.0 + 1e-6) / 10.0, 1, m, "Wh",
				  context, NULL);
		else if (strcmp(m, "Power.Active.Import") == 0)
			add_value(arr, ci.meter.power_w, 1, m, "W", context, NULL);
		else if (strcmp(m, "Current.Offered") == 0)
			add_value(arr, ci.offered_a, 1, m, "A", context, NULL);
		else if (strcmp(m, "Frequency") == 0)
			add_value(arr, ci.meter.frequency_hz, 1, m, NULL, context, NULL);
		else if (strcmp(m, "Temperature") == 0)
			add_value(arr, ci.meter.temperature_c, 1, m, "Celsius", context, NULL);
		else if (strcmp(m, "Current.Import") == 0 || strcmp(m, "Voltage") == 0) {
			bool cur = m[0] == 'C';
			for (int ph = 0; ph < nph && ph < 3; ph++)
				add_value(arr,
					  cur ? ci.meter.current_a[ph] : ci.meter.voltage_v[ph], 2,
					  m, cur ? "A" : "V", context,
					  cur ? phases[ph] : (nph == 1 ? NULL : volts[ph]));
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "timestamp", ocpp_time_json(ocpp_utc(o, now)),
			 "sampledValue", arr);
}

json_t *ocpp_meter_value(struct ocpp *o, int64_t now, int conn, const char *csl,
			 const char *context)
{
	return meter_value(o, now, conn, csl, context);
}

struct otx *ocpp_tx_find_number(struct ocpp *o, int64_t number)
{
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
		if (o->tx[i].active && o->tx[i].number == number)
			return &o->tx[i];
	return NULL;
}

static void keep_stop_data(struct otx *t, json_t *mv)
{
	if (!mv)
		return;
	if (!t->stop_data)
		t->stop_data = json_array();
	if (json_array_size(t->stop_data) >= STOP_DATA_MAX)
		json_array_remove(t->stop_data, 1); /* keep the Transaction.Begin value */
	json_array_append_new(t->stop_data, mv);
}

/* Queue a transaction's MeterValues durably. */
static void push_tx_meter(struct ocpp *o, struct otx *t, json_t *mv)
{
	json_t *payload =
	    json_pack("{s:i, s:[o]}", "connectorId", t->conn, "meterValue", json_incref(mv));
	char *text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	if (text && o->io->q_push) {
		int64_t seq = o->io->q_push(o->io->user, "MeterValues", t->number, text);
		if (seq > 0)
			o->max_seq = seq;
	}
	free(text);
}

static void sample(struct ocpp *o, int64_t now, struct otx *t)
{
	json_t *mv =
	    meter_value(o, now, t->conn, settings_str(o->set, SET_METER_VALUES_SAMPLED_DATA),
			"Sample.Periodic");
	if (mv) {
		push_tx_meter(o, t, mv);
		json_decref(mv);
	}
	keep_stop_data(t,
		       meter_value(o, now, t->conn, settings_str(o->set, SET_STOP_TXN_SAMPLED_DATA),
				   "Sample.Periodic"));
}

static void aligned(struct ocpp *o, int64_t now)
{
	for (int c = 1; c <= ocpp_connectors(o); c++) {
		struct otx *t = NULL;
		for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
			if (o->tx[i].active && o->tx[i].conn == c)
				t = &o->tx[i];
		json_t *mv = meter_value(
		    o, now, c, settings_str(o->set, SET_METER_VALUES_ALIGNED_DATA), "Sample.Clock");
		if (mv && t) {
			push_tx_meter(o, t, mv);
		} else if (mv && o->connected) {
			json_t *payload =
			    json_pack("{s:i, s:[O]}", "connectorId", c, "meterValue", mv);
			ocpp_vq_push(o, "MeterValues", payload, NULL);
		}
		json_decref(mv);
		if (t)
			keep_stop_data(t,
				       meter_value(o, now, c,
						   settings_str(o->set, SET_STOP_TXN_ALIGNED_DATA),
						   "Sample.Clock"));
	}
}

void ocpp_aligned_reschedule(struct ocpp *o, int64_t now)
{
	int64_t interval = settings_int(o->set, SET_CLOCK_ALIGNED_DATA_INTERVAL);
	if (interval <= 0) {
		o->next_aligned = 0;
		return;
	}
	int64_t utc = ocpp_utc(o, now);
	int64_t next = (utc / interval + 1) * interval;
	o->next_aligned = now + (next - utc) * 1000;
}

void ocpp_sample_reschedule(struct ocpp *o, int64_t now)
{
	int64_t interval = settings_int(o->set, SET_METER_VALUE_SAMPLE_INTERVAL);
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
		if (o->tx[i].active)
			o->tx[i].next_sample = interval > 0 ? now + interval * 1000 : 0;
}

void ocpp_tx_tick(struct ocpp *o, int64_t now)
{
	int64_t interval = settings_int(o->set, SET_METER_VALUE_SAMPLE_INTERVAL);
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++) {
		struct otx *t = &o->tx[i];
		if (!t->active || !t->next_sample || now < t->next_sample)
			continue;
		sample(o, now, t);
		t->next_sample = interval > 0 ? t->next_sample + interval * 1000 : 0;
		if (t->next_sample && t->next_sample <= now)
			t->next_sample = now + interval * 1000;
	}
	if (o->next_aligned && now >= o->next_aligned) {
		aligned(o, now);
		ocpp_aligned_reschedule(o, now);
	}
}

int64_t ocpp_tx_deadline(const struct ocpp *o)
{
	int64_t next = INT64_MAX;
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
		if (o->tx[i].active && o->tx[i].next_sample && o->tx[i].next_sample < next)
			next = o->tx[i].next_sample;
	if (o->next_aligned && o->next_aligned < next)
		next = o->next_aligned;
	return next;
}

/* ---- transactions ------------------------------------------------------ */

static bool push(struct ocpp *o, const char *action, int64_t session, json_t *payload)
{
	char *text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	if (!text || !o->io->q_push) {
		free(text);
		return false;
	}
	int64_t seq = o->io->q_push(o->io->user, action, session, text);
	free(text);
	if (seq <= 0) {
		ocpp_trace(o, "ocpp: %s of session %lld could not be queued", action,
			   (long long)session);
		return false;
	}
	o->max_seq = seq;
	return true;
}

static int64_t meter_wh(double wh)
{
	return (int64_t)floor(wh + 1e-9);
}

bool ocpp_on_session_start(struct ocpp *o, int64_t now, const struct chg_session *s)
{
	json_t *p = json_pack("{s:i, s:s, s:I, s:o}", "connectorId", s->connector, "idTag",
			      s->id_tag, "meterStart", (json_int_t)meter_wh(s->meter_start_wh),
			      "timestamp", ocpp_time_json(s->start_utc));
	/* The reservation the session used ends with it (C7). */
	if (s->with_reservation)
		json_object_set_new(p, "reservationId", json_integer(s->reservation_id));
	if (!push(o, "StartTransaction", s->number, p))
		return false;
	struct otx *t = NULL;
	for (int i = 0; i < PROFILE_MAX_CONNECTORS && !t; i++)
		if (!o->tx[i].active)
			t = &o->tx[i];
	ocpp_smart_session_start(o, now, s);
	if (t) {
		json_decref(t->stop_data);
		memset(t, 0, sizeof *t);
		t->active = true;
		t->number = s->number;
		t->conn = s->connector;
		snprintf(t->id_tag, sizeof t->id_tag, "%s", s->id_tag);
		ocpp_cache_parent(o, s->id_tag, t->parent, sizeof t->parent);
		int64_t interval = settings_int(o->set, SET_METER_VALUE_SAMPLE_INTERVAL);
		t->next_sample = interval > 0 ? now + interval * 1000 : 0;
		keep_stop_data(t, meter_value(o, now, s->connector,
					      settings_str(o->set, SET_STOP_TXN_SAMPLED_DATA),
					      "Transaction.Begin"));
	}
	/* Not sent from here: the caller commits first, then ocpp_flush(). */
	return true;
}

static const char *reason_of(enum stop_reason r)
{
	return stop_reason_name(r);
}

bool ocpp_on_session_stop(struct ocpp *o, int64_t now, const struct chg_session *s)
{
	json_t *p =
	    json_pack("{s:I, s:o, s:s}", "meterStop", (json_int_t)meter_wh(s->meter_stop_wh),
		      "timestamp", ocpp_time_json(s->stop_utc), "reason", reason_of(s->reason));
	/* A local stop names the card that stopped (the session's, or one of
	 * the same group); others do not. */
	struct otx *t = ocpp_tx_find_number(o, s->number);
	ocpp_smart_session_stop(o, s->connector);
	if (s->reason == STOP_LOCAL)
		json_object_set_new(p, "idTag",
				    json_string(t && t->stop_tag[0] ? t->stop_tag : s->id_tag));
	if (t) {
		keep_stop_data(t, meter_value(o, now, t->conn,
					      settings_str(o->set, SET_STOP_TXN_SAMPLED_DATA),
					      "Transaction.End"));
		if (t->stop_data && json_array_size(t->stop_data))
			json_object_set(p, "transactionData", t->stop_data);
		json_decref(t->stop_data);
		memset(t, 0, sizeof *t);
	}
	return push(o, "StopTransaction", s->number, p);
}

bool ocpp_tx_id_of(const struct ocpp *o, int64_t session, int *id)
{
	if (o->io->tx_get && o->io->tx_get(o->io->user, session, id))
		return true;
	for (int i = 0; i < TX_IDS_MAX; i++)
		if (o->tx_ids[i].session == session && session > 0) {
			*id = o->tx_ids[i].id;
			return true;
		}
	return false;
}

bool ocpp_tx_fill_id(struct ocpp *o, const struct ocpp_qmsg *m, json_t *payload)
{
	if (strcmp(m->action, "StartTransaction") == 0)
		return true;
	int id;
	if (!ocpp_tx_id_of(o, m->session, &id))
		return false;
	json_object_set_new(payload, "transactionId", json_integer(id));
	/* The MeterValue queued before the id was known. */
	return true;
}

void ocpp_tx_result(struct ocpp *o, int64_t now, const struct outstanding *out, json_t *conf)
{
	json_t *info = json_object_get(conf, "idTagInfo");
	if (strcmp(out->action, "StartTransaction") == 0) {
		json_int_t id = ocpp_schema_int(json_object_get(conf, "transactionId"));
		o->tx_ids[o->tx_ids_next].session = out->session;
		o->tx_ids[o->tx_ids_next].id = (int)id;
		o->tx_ids_next = (o->tx_ids_next + 1) % TX_IDS_MAX;
		if (o->io->tx_set)
			o->io->tx_set(o->io->user, out->session, (int)id);
		ocpp_trace(o, "ocpp: session %lld is transaction %lld", (long long)out->session,
			   (long long)id);
		struct otx *t = ocpp_tx_find_number(o, out->session);
		if (t)
			ocpp_cache_update(o, t->id_tag, info);
		/* Also for a session that ended before the answer came. */
		ocpp_list_check_conflict(o, now, out->id_tag, info);
		const char *parent = json_string_value(json_object_get(info, "parentIdTag"));
		if (t && parent)
			snprintf(t->parent, sizeof t->parent, "%s", parent);
		const char *st = json_string_value(json_object_get(info, "status"));
		if (st && strcmp(st, "Accepted") != 0 && t) {
			ocpp_trace(o, "ocpp: the CSMS refused id tag %s of session %lld (%s)",
				   t->id_tag, (long long)out->session, st);
			charger_deauthorize(
			    o->ch, now, out->session,
			    settings_bool(o->set, SET_STOP_TX_ON_INVALID_ID),
			    (double)settings_int(o->set, SET_MAX_ENERGY_ON_INVALID_ID));
		}
	} else if (strcmp(out->action, "StopTransaction") == 0 && info && out->id_tag[0]) {
		/* The answer is about the idTag the StopTransaction named. */
		ocpp_cache_update(o, out->id_tag, info);
	}
}
