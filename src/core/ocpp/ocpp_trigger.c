/* SPDX-License-Identifier: MIT */
/*
 * Remote Trigger (C9): TriggerMessage for every message OCPP 1.6 lets the
 * CSMS ask for, one row per requestedMessage. The message goes out after the
 * TriggerMessage.conf (the engine holds what a CALL causes until its answer
 * is sent), also while the boot is Pending; it is sent even if nothing
 * changed. A connectorId matters to StatusNotification (0 = the charger) and
 * MeterValues (a connector); one that does not exist is Rejected, and for
 * the other messages it is ignored, as OCPP 1.6 5.17 says. Without a
 * connectorId a per-connector message is sent for each.
 *
 * DiagnosticsStatusNotification and FirmwareStatusNotification report what
 * the firmware update / the upload is doing (ocpp_fw.c), Idle when nothing
 * runs, as OCPP 1.6 keeps Idle for exactly this case. Triggered messages are volatile: a
 * lost connection drops those not sent yet.
 */
#include <stdio.h>
#include <string.h>

#include "ocpp_int.h"
#include "schema.h"

/* Which connectors a request covers: [*from, *to]; false if conn (-1 =
 * none given) does not exist for this message. */
typedef bool (*span_fn)(const struct ocpp *o, int conn, int *from, int *to);
/* Queue the message(s) for connectors from..to. */
typedef void (*send_fn)(struct ocpp *o, int64_t now, int from, int to);

static bool span_none(const struct ocpp *o, int conn, int *from, int *to)
{
	(void)o;
	(void)conn;
	*from = *to = 0;
	return true;
}

/* StatusNotification: 0 is the charger itself. */
static bool span_status(const struct ocpp *o, int conn, int *from, int *to)
{
	if (conn < 0) {
		*from = 0;
		*to = ocpp_connectors(o);
		return true;
	}
	*from = *to = conn;
	return conn <= ocpp_connectors(o);
}

/* MeterValues: evsed has no meter for the whole charger (connector 0). */
static bool span_meter(const struct ocpp *o, int conn, int *from, int *to)
{
	if (conn < 0) {
		*from = 1;
		*to = ocpp_connectors(o);
		return true;
	}
	*from = *to = conn;
	return conn >= 1 && conn <= ocpp_connectors(o);
}

static void send_boot(struct ocpp *o, int64_t now, int from, int to)
{
	(void)now;
	(void)from;
	(void)to;
	ocpp_vq_push_triggered(o, "BootNotification", ocpp_boot_payload(o));
}

static void send_heartbeat(struct ocpp *o, int64_t now, int from, int to)
{
	(void)now;
	(void)from;
	(void)to;
	ocpp_vq_push_triggered(o, "Heartbeat", json_object());
}

static void send_diagnostics(struct ocpp *o, int64_t now, int from, int to)
{
	(void)now;
	(void)from;
	(void)to;
	ocpp_vq_push_triggered(o, "DiagnosticsStatusNotification",
			       json_pack("{s:s}", "status", ocpp_diag_status(o)));
}

static void send_firmware(struct ocpp *o, int64_t now, int from, int to)
{
	(void)now;
	(void)from;
	(void)to;
	ocpp_vq_push_triggered(o, "FirmwareStatusNotification",
			       json_pack("{s:s}", "status", ocpp_fw_status(o)));
}

static void send_meter(struct ocpp *o, int64_t now, int from, int to)
{
	const char *csl = settings_str(o->set, SET_METER_VALUES_SAMPLED_DATA);
	if (!csl[0])
		csl = "Energy.Active.Import.Register";
	for (int c = from; c <= to; c++) {
		json_t *mv = ocpp_meter_value(o, now, c, csl, "Trigger");
		if (!mv)
			continue;
		json_t *p = json_pack("{s:i, s:[o]}", "connectorId", c, "meterValue", mv);
		/* A reading of a running transaction names it, once the CSMS gave
		 * its id. */
		for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++) {
			int id;
			if (o->tx[i].active && o->tx[i].conn == c && o->io->tx_get &&
			    o->io->tx_get(o->io->user, o->tx[i].number, &id))
				json_object_set_new(p, "transactionId", json_integer(id));
		}
		ocpp_vq_push_triggered(o, "MeterValues", p);
	}
}

static void send_status(struct ocpp *o, int64_t now, int from, int to)
{
	for (int c = from; c <= to; c++) {
		ocpp_status_refresh(o, now, c);
		if (o->boot != OB_ACCEPTED) {
			ocpp_vq_push_triggered(o, "StatusNotification",
					       ocpp_status_payload(o, now, c));
			continue;
		}
		/* Accepted: the status report itself, due now even if the
		 * CSMS knows it or MinimumStatusDuration has not passed. */
		struct status_state *s = &o->st[c];
		s->dirty = true;
		s->stable_at = now;
		s->order = ++o->order;
		s->after_seq = o->max_seq;
	}
}

static const struct {
	const char *message;
	span_fn span;
	send_fn send;
	bool queued; /* one volatile-queue place per connector in the span */
} rows[] = {
    {"BootNotification", span_none, send_boot, true},
    {"DiagnosticsStatusNotification", span_none, send_diagnostics, true},
    {"FirmwareStatusNotification", span_none, send_firmware, true},
    {"Heartbeat", span_none, send_heartbeat, true},
    {"MeterValues", span_meter, send_meter, true},
    {"StatusNotification", span_status, send_status, false},
};

json_t *ocpp_op_trigger_message(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	const char *what = json_string_value(json_object_get(req, "requestedMessage"));
	json_t *cj = json_object_get(req, "connectorId");
	json_int_t conn = cj ? ocpp_schema_int(cj) : -1;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (strcmp(rows[i].message, what) != 0)
			continue;
		int from, to;
		if ((cj && (conn < 0 || conn > PROFILE_MAX_CONNECTORS)) ||
		    !rows[i].span(o, cj ? (int)conn : -1, &from, &to)) {
			if (rows[i].span != span_none) {
				ocpp_trace(o, "ocpp: TriggerMessage %s: no connector %lld", what,
					   (long long)conn);
				return json_pack("{s:s}", "status", "Rejected");
			}
			from = to = 0; /* not relevant to this message: ignored */
		}
		bool queued = rows[i].queued || o->boot != OB_ACCEPTED;
		if (queued && ocpp_vq_room(o) < to - from + 1) {
			ocpp_trace(o, "ocpp: TriggerMessage %s: too many messages waiting", what);
			return json_pack("{s:s}", "status", "Rejected");
		}
		rows[i].send(o, now, from, to);
		ocpp_trace(o, "ocpp: TriggerMessage %s accepted", what);
		return json_pack("{s:s}", "status", "Accepted");
	}
	/* The schema admits only the messages above. */
	return json_pack("{s:s}", "status", "NotImplemented");
}
