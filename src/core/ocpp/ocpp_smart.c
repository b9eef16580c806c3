/* SPDX-License-Identifier: MIT */
/*
 * The Smart Charging profile (C8): SetChargingProfile, ClearChargingProfile
 * and GetCompositeSchedule (rows of the operations table in ocpp_ops.c), the
 * TxProfile of a RemoteStartTransaction, and the schedule source the charger
 * reads its LIM_SCHEDULE from. The profiles, their checks and the composite
 * schedule are smart.c's; here only JSON, the configuration keys, the
 * transactions the checks need, and persistence through ocpp_io's
 * profiles_write. TxProfiles are not persisted: they end with their
 * transaction, and a restart ends every transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../smart.h"
#include "ocpp_int.h"
#include "schema.h"

/* The longest composite schedule computed; a longer request gets this. */
#define COMPOSITE_MAX_S (31 * 86400)

static json_t *status_only(const char *status)
{
	return json_pack("{s:s}", "status", status);
}

bool ocpp_smart_init(struct ocpp *o)
{
	o->smart = smart_new();
	o->remote_tx = calloc(1, sizeof *o->remote_tx);
	if (!o->smart || !o->remote_tx) {
		ocpp_smart_free(o);
		return false;
	}
	o->sched = (struct chg_schedule){o, ocpp_smart_limit};
	return true;
}

void ocpp_smart_free(struct ocpp *o)
{
	smart_free(o->smart);
	free(o->remote_tx);
	o->smart = NULL;
	o->remote_tx = NULL;
}

int ocpp_profile_count(const struct ocpp *o)
{
	return smart_count(o->smart);
}

const struct chg_schedule *ocpp_schedule(struct ocpp *o)
{
	return &o->sched;
}

/* ---- the charger's view ------------------------------------------------- */

static void site_of(const struct ocpp *o, struct sc_site *site)
{
	site->voltage = settings_double(o->set, SET_SUPPLY_VOLTAGE);
	site->phases = (int)settings_int(o->set, SET_SUPPLY_PHASES);
	char err[128];
	if (!tz_parse(settings_str(o->set, SET_TIME_ZONE), &site->tz, err, sizeof err))
		(void)tz_parse("UTC0", &site->tz, err, sizeof err); /* validated: not reached */
}

static void caps_of(const struct ocpp *o, struct sc_caps *caps)
{
	const char *units = settings_str(o->set, SET_CHARGING_SCHEDULE_ALLOWED_UNIT);
	caps->connectors = ocpp_connectors(o);
	caps->max_stack_level = (int)settings_int(o->set, SET_CHARGE_PROFILE_MAX_STACK_LEVEL);
	caps->max_periods = (int)settings_int(o->set, SET_CHARGING_SCHEDULE_MAX_PERIODS);
	caps->max_profiles = (int)settings_int(o->set, SET_MAX_CHARGING_PROFILES_INSTALLED);
	caps->amps = strstr(units, "Current") != NULL;
	caps->watts = strstr(units, "Power") != NULL;
}

/* The transaction on conn as the checks see it. */
static void tx_of(const struct ocpp *o, int conn, struct sc_tx *tx)
{
	memset(tx, 0, sizeof *tx);
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++) {
		const struct otx *t = &o->tx[i];
		if (!t->active || t->conn != conn)
			continue;
		struct conn_info ci;
		tx->active = true;
		if (charger_conn_info(o->ch, conn, &ci) && ci.in_session)
			tx->start = ci.session.start_utc;
		int id;
		if (o->io->tx_get && o->io->tx_get(o->io->user, t->number, &id)) {
			tx->has_id = true;
			tx->id = (int32_t)id;
		}
	}
}

double ocpp_smart_limit(void *user, int conn, int64_t utc, const struct chg_session *s,
			int64_t *next)
{
	struct ocpp *o = user;
	struct sc_site site;
	site_of(o, &site);
	struct sc_tx tx = {s != NULL, false, 0, s ? s->start_utc : 0};
	return smart_limit(o->smart, &site, conn, &tx, utc, next);
}

/* ---- reading a csChargingProfiles object -------------------------------- */

static bool int32_of(json_t *v, int32_t *out)
{
	json_int_t x = ocpp_schema_int(v);
	if (x < INT32_MIN || x > INT32_MAX)
		return false;
	*out = (int32_t)x;
	return true;
}

static int index_of(const char *s, const char *const *names)
{
	for (int i = 0; s && names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const purposes[] = {"ChargePointMaxProfile", "TxDefaultProfile", "TxProfile",
				       NULL};
static const char *const kinds[] = {"Absolute", "Recurring", "Relative", NULL};
static const char *const units[] = {"A", "W", NULL};

static json_t *utc_or_null(int64_t t, bool given)
{
	if (!given)
		return json_null();
	char buf[32];
	settings_format_utc(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *ocpp_profiles_json(const struct ocpp *o)
{
	static const char *const recurrency[] = {NULL, "Daily", "Weekly"};
	json_t *a = json_array();
	for (int i = 0; i < smart_count(o->smart); i++) {
		const struct sc_profile *p = smart_get(o->smart, i);
		json_t *periods = json_array();
		for (int k = 0; k < p->n; k++)
			json_array_append_new(
			    periods, json_pack("{s:i, s:f, s:i}", "start", (int)p->p[k].start,
					       "limit", p->p[k].limit, "phases", p->p[k].phases));
		json_t *j = json_pack(
		    "{s:i, s:i, s:i, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
		    (int)p->id, "connector", p->connector, "stack_level", (int)p->stack_level,
		    "purpose", purposes[p->purpose], "kind", kinds[p->kind], "recurrency",
		    p->recurrency == SC_RECUR_NONE ? json_null()
						   : json_string(recurrency[p->recurrency]),
		    "unit", units[p->unit], "transaction_id",
		    p->has_tx ? json_integer(p->transaction_id) : json_null(), "valid_from",
		    utc_or_null(p->valid_from, p->valid_from != INT64_MIN), "valid_to",
		    utc_or_null(p->valid_to, p->valid_to != INT64_MAX), "start_schedule",
		    utc_or_null(p->start_schedule, p->has_start), "periods", periods);
		if (p->has_duration)
			json_object_set_new(j, "duration_s", json_integer(p->duration));
		json_array_append_new(a, j);
	}
	return a;
}

/* The profile j (validated against the schema) for connector conn; false
 * with why when a number does not fit or a time cannot be read. */
static bool profile_of(json_t *j, int conn, struct sc_profile *p, char *why, size_t n)
{
	memset(p, 0, sizeof *p);
	p->connector = conn;
	p->valid_from = INT64_MIN;
	p->valid_to = INT64_MAX;
	json_t *sch = json_object_get(j, "chargingSchedule");
	json_t *periods = json_object_get(sch, "chargingSchedulePeriod");
	int purpose =
	    index_of(json_string_value(json_object_get(j, "chargingProfilePurpose")), purposes);
	int kind = index_of(json_string_value(json_object_get(j, "chargingProfileKind")), kinds);
	int unit = index_of(json_string_value(json_object_get(sch, "chargingRateUnit")), units);
	const char *rec = json_string_value(json_object_get(j, "recurrencyKind"));
	if (purpose < 0 || kind < 0 || unit < 0 || !json_is_array(periods)) {
		snprintf(why, n, "unreadable profile");
		return false;
	}
	p->purpose = (enum sc_purpose)purpose;
	p->kind = (enum sc_kind)kind;
	p->unit = (enum sc_unit)unit;
	p->recurrency = !rec ? SC_RECUR_NONE : strcmp(rec, "Daily") == 0 ? SC_DAILY : SC_WEEKLY;
	json_t *v;
	if (!int32_of(json_object_get(j, "chargingProfileId"), &p->id) ||
	    !int32_of(json_object_get(j, "stackLevel"), &p->stack_level)) {
		snprintf(why, n, "chargingProfileId or stackLevel out of range");
		return false;
	}
	if ((v = json_object_get(j, "transactionId")) != NULL) {
		p->has_tx = true;
		if (!int32_of(v, &p->transaction_id)) {
			snprintf(why, n, "transactionId out of range");
			return false;
		}
	}
	const char *from = json_string_value(json_object_get(j, "validFrom"));
	const char *to = json_string_value(json_object_get(j, "validTo"));
	const char *start = json_string_value(json_object_get(sch, "startSchedule"));
	if ((from && !settings_parse_utc(from, &p->valid_from)) ||
	    (to && !settings_parse_utc(to, &p->valid_to)) ||
	    (start && !settings_parse_utc(start, &p->start_schedule))) {
		snprintf(why, n, "a date-time cannot be read");
		return false;
	}
	p->has_start = start != NULL;
	if ((v = json_object_get(sch, "duration")) != NULL) {
		p->has_duration = true;
		if (!int32_of(v, &p->duration)) {
			snprintf(why, n, "duration out of range");
			return false;
		}
	}
	if ((v = json_object_get(sch, "minChargingRate")) != NULL)
		p->min_rate = json_number_value(v);
	if (json_array_size(periods) > SC_PERIODS_MAX) {
		snprintf(why, n, "%s", smart_err_text(SC_E_PERIODS));
		return false;
	}
	size_t i;
	json_array_foreach(periods, i, v)
	{
		struct sc_period *q = &p->p[p->n++];
		json_t *ph = json_object_get(v, "numberPhases");
		json_int_t phases = ph ? ocpp_schema_int(ph) : 0;
		if (!int32_of(json_object_get(v, "startPeriod"), &q->start)) {
			snprintf(why, n, "startPeriod out of range");
			return false;
		}
		q->limit = json_number_value(json_object_get(v, "limit"));
		/* Out of 1-3 either way: smart_check refuses it. */
		q->phases = ph ? (phases >= 1 && phases <= 3 ? (int)phases : 99) : 0;
	}
	return true;
}

/* Check and install p (json: the object to persist, NULL for a TxProfile);
 * SC_OK, or why not. Nothing changes unless SC_OK. */
static enum sc_err install(struct ocpp *o, int64_t now, const struct sc_profile *p, json_t *json)
{
	struct sc_caps caps;
	struct sc_tx tx;
	caps_of(o, &caps);
	tx_of(o, p->connector, &tx);
	enum sc_err e = smart_check(o->smart, &caps, p, &tx);
	if (e != SC_OK)
		return e;
	int32_t gone[2];
	int ngone = smart_replaced(o->smart, p, gone);
	if (o->io->profiles_write) {
		char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
		bool ok = (!json || text) && o->io->profiles_write(o->io->user, gone, ngone, p->id,
								   p->connector, text);
		free(text);
		if (!ok) {
			ocpp_trace(o, "ocpp: charging profile %d could not be stored", (int)p->id);
			return SC_E_FULL;
		}
	}
	if (!smart_put(o->smart, p))
		return SC_E_FULL;
	ocpp_trace(o, "ocpp: charging profile %d installed on connector %d (stack level %d)",
		   (int)p->id, p->connector, (int)p->stack_level);
	charger_schedule_changed(o->ch, now);
	return SC_OK;
}

/* ---- SetChargingProfile ------------------------------------------------- */

json_t *ocpp_op_set_charging_profile(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				     char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	json_int_t conn = ocpp_schema_int(json_object_get(req, "connectorId"));
	json_t *j = json_object_get(req, "csChargingProfiles");
	char why[160];
	if (conn < 0 || conn > ocpp_connectors(o)) {
		ocpp_trace(o, "ocpp: SetChargingProfile refused: no connector %lld",
			   (long long)conn);
		return status_only("Rejected");
	}
	struct sc_profile *p = malloc(sizeof *p);
	if (!p) {
		*err = OE_INTERNAL;
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	enum sc_err e = SC_OK;
	if (!profile_of(j, (int)conn, p, why, sizeof why))
		e = SC_E_SCHEDULE;
	else if ((e = install(o, now, p, p->purpose == SC_TX ? NULL : j)) != SC_OK)
		snprintf(why, sizeof why, "%s", smart_err_text(e));
	free(p);
	if (e != SC_OK) {
		ocpp_trace(o, "ocpp: SetChargingProfile refused: %s", why);
		return status_only("Rejected");
	}
	return status_only("Accepted");
}

/* ---- ClearChargingProfile ----------------------------------------------- */

json_t *ocpp_op_clear_charging_profile(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen)
{
	struct sc_clear c;
	memset(&c, 0, sizeof c);
	json_t *v;
	if ((v = json_object_get(req, "id")) != NULL) {
		c.has_id = true;
		if (!int32_of(v, &c.id))
			return status_only("Unknown");
	}
	if ((v = json_object_get(req, "connectorId")) != NULL) {
		json_int_t conn = ocpp_schema_int(v);
		if (conn < 0 || conn > ocpp_connectors(o))
			return status_only("Unknown");
		c.has_connector = true;
		c.connector = (int)conn;
	}
	if ((v = json_object_get(req, "chargingProfilePurpose")) != NULL) {
		c.has_purpose = true;
		c.purpose = (enum sc_purpose)index_of(json_string_value(v), purposes);
	}
	if ((v = json_object_get(req, "stackLevel")) != NULL) {
		c.has_stack_level = true;
		if (!int32_of(v, &c.stack_level))
			return status_only("Unknown");
	}
	int32_t ids[SC_PROFILES_MAX];
	int n = smart_match(o->smart, &c, ids, SC_PROFILES_MAX);
	if (n == 0)
		return status_only("Unknown");
	if (o->io->profiles_write && !o->io->profiles_write(o->io->user, ids, n, 0, 0, NULL)) {
		*err = OE_INTERNAL;
		snprintf(msg, msglen, "the charging profiles could not be removed");
		return NULL;
	}
	smart_remove(o->smart, ids, n);
	ocpp_trace(o, "ocpp: %d charging profile(s) cleared", n);
	charger_schedule_changed(o->ch, now);
	return status_only("Accepted");
}

/* The installer's local clear (evsectl profiles clear, the web UI): every
 * profile, as a ClearChargingProfile without criteria, persisted the same
 * way. How many were cleared, or -1 with why. */
int ocpp_profiles_clear(struct ocpp *o, int64_t now, char *why, size_t len)
{
	int before = smart_count(o->smart);
	if (before == 0)
		return 0;
	json_t *req = json_object();
	enum ocpp_err err = OE_INTERNAL;
	json_t *r = req ? ocpp_op_clear_charging_profile(o, now, req, &err, why, len) : NULL;
	json_decref(req);
	if (!r) {
		if (!req)
			snprintf(why, len, "out of memory");
		return -1;
	}
	json_decref(r);
	return before - smart_count(o->smart);
}

/* ---- GetCompositeSchedule ----------------------------------------------- */

json_t *ocpp_op_get_composite_schedule(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen)
{
	json_int_t conn = ocpp_schema_int(json_object_get(req, "connectorId"));
	json_int_t duration = ocpp_schema_int(json_object_get(req, "duration"));
	const char *unit = json_string_value(json_object_get(req, "chargingRateUnit"));
	if (conn < 0 || conn > ocpp_connectors(o) || duration < 0)
		return status_only("Rejected");
	if (duration > COMPOSITE_MAX_S)
		duration = COMPOSITE_MAX_S;
	struct sc_composite *c = malloc(sizeof *c);
	if (!c) {
		*err = OE_INTERNAL;
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	struct sc_site site;
	struct sc_tx tx;
	site_of(o, &site);
	tx_of(o, (int)conn, &tx);
	/* What the charger could offer at most without any profile. */
	double max_a = settings_double(o->set, SET_CHARGER_CURRENT_LIMIT);
	double hw = profile_get(settings_profile(o->set))->hw_max_a;
	if (hw < max_a)
		max_a = hw;
	enum sc_unit u = unit && strcmp(unit, "W") == 0 ? SC_WATTS : SC_AMPS;
	int64_t start = ocpp_utc(o, now);
	smart_composite(o->smart, &site, (int)conn, &tx, start, (int32_t)duration, u, max_a, c);
	json_t *periods = json_array();
	for (int i = 0; i < c->n; i++) {
		json_t *p = json_pack("{s:i, s:f}", "startPeriod", (int)c->p[i].start, "limit",
				      c->p[i].limit);
		if (c->p[i].phases)
			json_object_set_new(p, "numberPhases", json_integer(c->p[i].phases));
		json_array_append_new(periods, p);
	}
	json_t *sch = json_pack("{s:i, s:o, s:s, s:o}", "duration", (int)c->duration,
				"startSchedule", ocpp_time_json(start), "chargingRateUnit",
				u == SC_WATTS ? "W" : "A", "chargingSchedulePeriod", periods);
	if (c->min_rate > 0)
		json_object_set_new(sch, "minChargingRate", json_real(c->min_rate));
	free(c);
	return json_pack("{s:s, s:i, s:o, s:o}", "status", "Accepted", "connectorId", (int)conn,
			 "scheduleStart", ocpp_time_json(start), "chargingSchedule", sch);
}

/* ---- RemoteStartTransaction's TxProfile, and transactions --------------- */

bool ocpp_smart_remote_profile(struct ocpp *o, int conn, json_t *profile)
{
	o->remote_tx_set = false;
	if (!profile)
		return true;
	char why[160];
	struct sc_profile *p = o->remote_tx;
	/* Checked as if its transaction ran on the connector (or, the
	 * charger choosing, on connector 1). */
	if (!profile_of(profile, conn ? conn : 1, p, why, sizeof why)) {
		ocpp_trace(o, "ocpp: RemoteStartTransaction refused: chargingProfile: %s", why);
		return false;
	}
	if (p->purpose != SC_TX || p->has_tx) {
		ocpp_trace(o, "ocpp: RemoteStartTransaction refused: its chargingProfile must be a "
			      "TxProfile without transactionId");
		return false;
	}
	struct sc_caps caps;
	caps_of(o, &caps);
	struct sc_tx tx = {true, false, 0, 0};
	enum sc_err e = smart_check(o->smart, &caps, p, &tx);
	if (e != SC_OK) {
		ocpp_trace(o, "ocpp: RemoteStartTransaction refused: chargingProfile: %s",
			   smart_err_text(e));
		return false;
	}
	o->remote_tx_set = true;
	return true;
}

void ocpp_smart_session_start(struct ocpp *o, int64_t now, const struct chg_session *s)
{
	if (s->start_mode != START_REMOTE || !o->remote_tx_set)
		return;
	o->remote_tx_set = false;
	o->remote_tx->connector = s->connector;
	if (!smart_put(o->smart, o->remote_tx))
		ocpp_trace(o, "ocpp: the TxProfile of the remote start could not be installed");
	else
		ocpp_trace(o,
			   "ocpp: charging profile %d of the remote start installed on "
			   "connector %d",
			   (int)o->remote_tx->id, s->connector);
	(void)now;
}

void ocpp_smart_session_stop(struct ocpp *o, int conn)
{
	int32_t ids[SC_PROFILES_MAX];
	int n = smart_tx_profiles(o->smart, conn, ids, SC_PROFILES_MAX);
	if (n > 0) {
		smart_remove(o->smart, ids, n);
		ocpp_trace(o, "ocpp: the TxProfile(s) of connector %d ended with the transaction",
			   conn);
	}
}

bool ocpp_profile_load(struct ocpp *o, int conn, const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	char why[160] = "unreadable";
	struct sc_profile *p = malloc(sizeof *p);
	bool ok = false;
	/* Checked as a SetChargingProfile would be: the store is not trusted. */
	json_t *req =
	    j ? json_pack("{s:i, s:O}", "connectorId", conn, "csChargingProfiles", j) : NULL;
	if (req && p && conn >= 0 && conn <= ocpp_connectors(o) &&
	    ocpp_schema_validate("SetChargingProfile", OCPP_REQ, req, why, sizeof why) == OE_NONE &&
	    profile_of(j, conn, p, why, sizeof why)) {
		struct sc_caps caps;
		caps_of(o, &caps);
		enum sc_err e =
		    p->purpose == SC_TX ? SC_E_TRANSACTION : smart_check(o->smart, &caps, p, NULL);
		ok = e == SC_OK && smart_put(o->smart, p);
		if (!ok)
			snprintf(why, sizeof why, "%s", smart_err_text(e));
	}
	if (!ok)
		ocpp_trace(o, "ocpp: stored charging profile of connector %d dropped: %s", conn,
			   why);
	free(p);
	json_decref(req);
	json_decref(j);
	return ok;
}
