/* SPDX-License-Identifier: MIT */
/*
 * The Core operations the CSMS calls (C2, C3): one handler per action, and
 * the one table that registers every operation (those of the other profiles
 * live in their own files: ocpp_list.c, ocpp_trigger.c, ocpp_reserve.c,
 * ocpp_smart.c, ocpp_fw.c).
 * Payloads arrive already validated against the OCPP 1.6 schemas. Actions of
 * profiles not supported yet are answered NotSupported; actions OCPP 1.6 does
 * not have, NotImplemented.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ocpp_int.h"
#include "schema.h"

typedef json_t *(*op_fn)(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			 size_t msglen);

static json_t *status_only(const char *status)
{
	return json_pack("{s:s}", "status", status);
}

static json_int_t int_of(json_t *req, const char *key)
{
	return ocpp_schema_int(json_object_get(req, key));
}

static const char *str_of(json_t *req, const char *key)
{
	return json_string_value(json_object_get(req, key));
}

/* ---- ChangeAvailability ------------------------------------------------ */

static json_t *op_change_availability(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				      char *msg, size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	json_int_t conn = int_of(req, "connectorId");
	bool op = strcmp(str_of(req, "type"), "Operative") == 0;
	if (conn < 0 || conn > ocpp_connectors(o))
		return status_only("Rejected");
	enum chg_result r = charger_set_available(o->ch, now, (int)conn, op);
	return status_only(r == CHG_SCHEDULED  ? "Scheduled"
			   : r == CHG_ACCEPTED ? "Accepted"
					       : "Rejected");
}

/* ---- Get / ChangeConfiguration ----------------------------------------- */

/* Keys are CiString50Type: case does not matter. */
static bool ocpp_key(const char *key, enum set_id *out)
{
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		if (d->ocpp_key && strcasecmp(d->ocpp_key, key) == 0) {
			*out = (enum set_id)i;
			return true;
		}
	}
	return false;
}

static json_t *key_value(struct ocpp *o, enum set_id id)
{
	const struct set_def *d = settings_def(id);
	const char *v = settings_str(o->set, id);
	/* A key set only at start (a product limit) is read-only to the CSMS. */
	json_t *kv = json_pack("{s:s, s:b}", "key", d->ocpp_key, "readonly",
			       (d->flags & (SF_READONLY | SF_STARTUP)) != 0);
	if (!(d->flags & SF_SECRET))
		json_object_set_new(kv, "value",
				    json_stringn(v, strlen(v) > 500 ? 500 : strlen(v)));
	return kv;
}

static json_t *op_get_configuration(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				    char *msg, size_t n)
{
	(void)now;
	json_t *keys = json_object_get(req, "key");
	json_int_t max = settings_int(o->set, SET_GET_CONFIGURATION_MAX_KEYS);
	if (keys && (json_int_t)json_array_size(keys) > max) {
		*err = OE_OCCURRENCE;
		snprintf(msg, n, "key: at most %lld keys (GetConfigurationMaxKeys)",
			 (long long)max);
		return NULL;
	}
	json_t *known = json_array(), *unknown = json_array();
	if (!keys || json_array_size(keys) == 0) {
		for (int i = 0; i < SET_COUNT; i++)
			if (settings_def((enum set_id)i)->ocpp_key)
				json_array_append_new(known, key_value(o, (enum set_id)i));
	} else {
		size_t i;
		json_t *k;
		json_array_foreach(keys, i, k)
		{
			enum set_id id;
			if (ocpp_key(json_string_value(k), &id))
				json_array_append_new(known, key_value(o, id));
			else
				json_array_append(unknown, k);
		}
	}
	json_t *res = json_object();
	if (json_array_size(known))
		json_object_set(res, "configurationKey", known);
	if (json_array_size(unknown))
		json_object_set(res, "unknownKey", unknown);
	json_decref(known);
	json_decref(unknown);
	return res;
}

/* What a change of an applied key means for the engine itself. */
static void applied(struct ocpp *o, int64_t now, enum set_id id)
{
	switch (id) {
	case SET_HEARTBEAT_INTERVAL:
		o->hb_next = now + settings_int(o->set, SET_HEARTBEAT_INTERVAL) * 1000;
		break;
	case SET_METER_VALUE_SAMPLE_INTERVAL:
		ocpp_sample_reschedule(o, now);
		break;
	case SET_CLOCK_ALIGNED_DATA_INTERVAL:
		ocpp_aligned_reschedule(o, now);
		break;
	case SET_AUTHORIZATION_CACHE_ENABLED:
		if (!settings_bool(o->set, id))
			ocpp_cache_clear(o);
		break;
	case SET_OCPP_PASSWORD:
		ocpp_security_event(o, now, "ReconfigurationOfSecurityParameters",
				    settings_def(id)->ocpp_key);
		/* The next connections use it: reconnect with it now. */
		if (o->io->link_renew)
			o->io->link_renew(o->io->user);
		break;
	case SET_SECURITY_PROFILE:
		ocpp_security_event(o, now, "ReconfigurationOfSecurityParameters",
				    settings_def(id)->ocpp_key);
		ocpp_security_profile_taken(o);
		break;
	default:
		break;
	}
	if (o->io->setting_applied)
		o->io->setting_applied(o->io->user, id);
}

static json_t *op_change_configuration(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	const char *key = str_of(req, "key"), *value = str_of(req, "value");
	enum set_id id;
	if (!ocpp_key(key, &id))
		return status_only("NotSupported");
	const struct set_def *d = settings_def(id);
	char why[300];
	if (d->flags & (SF_READONLY | SF_STARTUP)) {
		ocpp_trace(o, "ocpp: ChangeConfiguration %s refused: read-only", key);
		return status_only("Rejected");
	}
	/* OCPP booleans are "true" / "false"; the settings also take yes/no,
	 * 1/0, on/off for people, not for a CSMS. */
	if (d->type == ST_BOOL && strcasecmp(value, "true") != 0 &&
	    strcasecmp(value, "false") != 0) {
		ocpp_trace(o, "ocpp: ChangeConfiguration %s refused: not true or false", key);
		return status_only("Rejected");
	}
	if (!settings_validate(id, value, why, sizeof why)) {
		ocpp_trace(o, "ocpp: ChangeConfiguration %s refused: %s", key, why);
		return status_only("Rejected");
	}
	/* C12: the CSMS may raise the security profile, never lower it; the
	 * Basic auth password it sets (AuthorizationKey) is 16-40 characters. */
	if (id == SET_SECURITY_PROFILE && !ocpp_security_profile_change(o, value))
		return status_only("Rejected");
	if (id == SET_OCPP_PASSWORD && (strlen(value) < 16 || strlen(value) > 40)) {
		ocpp_trace(o, "ocpp: AuthorizationKey refused: not 16-40 characters");
		return status_only("Rejected");
	}
	if (settings_source(o->set, id) == SRC_CLI) {
		ocpp_trace(o, "ocpp: ChangeConfiguration %s refused: fixed by --set", key);
		return status_only("Rejected");
	}
	/* A new SecurityProfile is on trial until a connection with it
	 * succeeds (ocpp_security.c), durably: marked before it is stored. */
	if (id == SET_SECURITY_PROFILE && !ocpp_security_mark(o))
		return status_only("Rejected");
	if (o->io->setting_store && !o->io->setting_store(o->io->user, d->name, value))
		return status_only("Rejected");
	if (settings_set_id(o->set, id, value, SRC_RUNTIME, why, sizeof why, NULL) != SET_OK)
		return status_only("Rejected");
	ocpp_trace(o, "ocpp: configuration %s = %s", key,
		   (d->flags & SF_SECRET) ? "********" : settings_str(o->set, id));
	if (d->flags & SF_REBOOT)
		return status_only("RebootRequired");
	applied(o, now, id);
	return status_only("Accepted");
}

/* ---- ClearCache, DataTransfer ------------------------------------------- */

static json_t *op_clear_cache(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
			      char *msg, size_t n)
{
	(void)now;
	(void)req;
	(void)err;
	(void)msg;
	(void)n;
	ocpp_cache_clear(o);
	ocpp_trace(o, "ocpp: authorization cache cleared");
	return status_only("Accepted");
}

static json_t *op_data_transfer(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t n)
{
	(void)now;
	(void)err;
	(void)msg;
	(void)n;
	const char *vendor = str_of(req, "vendorId");
	if (strcmp(vendor, "evsed") != 0 &&
	    strcmp(vendor, profile_get(settings_profile(o->set))->vendor) != 0)
		return status_only("UnknownVendorId");
	return status_only("UnknownMessageId");
}

/* ---- Remote start / stop ------------------------------------------------ */

/* An EV is plugged into conn (0: into any connector free for a session). */
static bool ev_waiting(const struct ocpp *o, int conn)
{
	for (int c = conn ? conn : 1; c <= (conn ? conn : ocpp_connectors(o)); c++) {
		struct conn_info ci;
		if (charger_conn_info(o->ch, c, &ci) && !ci.in_session &&
		    (ci.cp == IEC_CP_B || ci.cp == IEC_CP_C || ci.cp == IEC_CP_D))
			return true;
	}
	return false;
}

static json_t *op_remote_start(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
			       char *msg, size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	json_t *cj = json_object_get(req, "connectorId");
	json_int_t asked = cj ? ocpp_schema_int(cj) : 0;
	const char *id = str_of(req, "idTag");
	/* Compared before narrowing: 4294967297 is not connector 1. */
	if ((cj && asked <= 0) || asked > ocpp_connectors(o))
		return status_only("Rejected");
	int conn = (int)asked;
	/* The charger keeps one start waiting for an EV at a time: another
	 * would silently replace it, although it was Accepted. */
	char waiting[AUTH_ID_MAX + 1];
	if (!ev_waiting(o, conn) &&
	    (o->pa.active || charger_pending_auth(o->ch, now, waiting, sizeof waiting))) {
		ocpp_trace(o, "ocpp: remote start for %s refused: a start already waits for an EV",
			   id);
		return status_only("Rejected");
	}
	/* Its TxProfile, if any, is installed when the session begins (C8). */
	if (!ocpp_smart_remote_profile(o, conn, json_object_get(req, "chargingProfile")))
		return status_only("Rejected");
	if (!settings_bool(o->set, SET_AUTHORIZE_REMOTE_TX_REQUESTS)) {
		enum chg_result r = charger_remote_start(o->ch, now, conn, id);
		if (r != CHG_ACCEPTED)
			o->remote_tx_set = false;
		return status_only(r == CHG_ACCEPTED ? "Accepted" : "Rejected");
	}
	/* Authorize first: accept if the charger could start there (a
	 * reservation naming a group may be the card's: the answer tells). */
	if (conn > 0) {
		struct conn_info ci;
		if (!charger_conn_info(o->ch, conn, &ci) || ci.in_session ||
		    ci.status == CS_UNAVAILABLE || ci.status == CS_FAULTED) {
			o->remote_tx_set = false;
			return status_only("Rejected");
		}
	}
	if (!charger_may_start(o->ch, now, conn, id, NULL)) {
		o->remote_tx_set = false;
		return status_only("Rejected");
	}
	ocpp_auth_remote(o, now, conn, id);
	return status_only("Accepted");
}

static json_t *op_remote_stop(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
			      char *msg, size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	json_int_t want = int_of(req, "transactionId");
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++) {
		struct otx *t = &o->tx[i];
		int id;
		if (t->active && o->io->tx_get && o->io->tx_get(o->io->user, t->number, &id) &&
		    id == want) {
			bool ok =
			    charger_stop_session(o->ch, now, t->number, STOP_REMOTE, "remote");
			return status_only(ok ? "Accepted" : "Rejected");
		}
	}
	return status_only("Rejected");
}

/* ---- Reset, UnlockConnector --------------------------------------------- */

static json_t *op_reset(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	bool hard = strcmp(str_of(req, "type"), "Hard") == 0;
	charger_stop_all(o->ch, now, hard ? STOP_HARD_RESET : STOP_SOFT_RESET, "reset");
	/* Reboot once the StopTransactions are out (or after 10 s). */
	o->reset_pending = true;
	o->reset_hard = hard;
	o->reset_at = now + 10000;
	return status_only("Accepted");
}

static json_t *op_unlock(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			 size_t n)
{
	(void)err;
	(void)msg;
	(void)n;
	json_int_t conn = int_of(req, "connectorId");
	if (conn < 1 || conn > ocpp_connectors(o))
		return status_only("NotSupported");
	switch (charger_unlock(o->ch, now, (int)conn)) {
	case CHG_ACCEPTED:
		return status_only("Unlocked");
	case CHG_FAILED:
		return status_only("UnlockFailed");
	default:
		return status_only("NotSupported");
	}
}

/* ---- the table ---------------------------------------------------------- */

static const struct {
	const char *action;
	op_fn fn;
} ops[] = {
    {"ChangeAvailability", op_change_availability},
    {"ChangeConfiguration", op_change_configuration},
    {"CancelReservation", ocpp_op_cancel_reservation},
    {"CertificateSigned", ocpp_op_certificate_signed},
    {"ClearCache", op_clear_cache},
    {"ClearChargingProfile", ocpp_op_clear_charging_profile},
    {"DataTransfer", op_data_transfer},
    {"DeleteCertificate", ocpp_op_delete_certificate},
    {"ExtendedTriggerMessage", ocpp_op_extended_trigger_message},
    {"GetCompositeSchedule", ocpp_op_get_composite_schedule},
    {"GetConfiguration", op_get_configuration},
    {"GetDiagnostics", ocpp_op_get_diagnostics},
    {"GetInstalledCertificateIds", ocpp_op_get_installed_certificate_ids},
    {"GetLocalListVersion", ocpp_op_get_local_list_version},
    {"GetLog", ocpp_op_get_log},
    {"InstallCertificate", ocpp_op_install_certificate},
    {"RemoteStartTransaction", op_remote_start},
    {"RemoteStopTransaction", op_remote_stop},
    {"ReserveNow", ocpp_op_reserve_now},
    {"Reset", op_reset},
    {"SendLocalList", ocpp_op_send_local_list},
    {"SetChargingProfile", ocpp_op_set_charging_profile},
    {"SignedUpdateFirmware", ocpp_op_signed_update_firmware},
    {"TriggerMessage", ocpp_op_trigger_message},
    {"UnlockConnector", op_unlock},
    {"UpdateFirmware", ocpp_op_update_firmware},
};

json_t *ocpp_handle_call(struct ocpp *o, int64_t now, const char *action, json_t *req,
			 enum ocpp_err *err, char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].action, action) == 0)
			return ops[i].fn(o, now, req, err, msg, msglen);
	if (ocpp_schema_known(action)) {
		*err = OE_NOT_SUPPORTED;
		snprintf(msg, msglen, "%s is not supported by this charge point", action);
	} else {
		*err = OE_NOT_IMPLEMENTED;
		snprintf(msg, msglen, "unknown action %s", action);
	}
	return NULL;
}
