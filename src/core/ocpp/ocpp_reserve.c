/* SPDX-License-Identifier: MIT */
/*
 * The Reservation profile (C7): ReserveNow and CancelReservation, rows of
 * the operations table in ocpp_ops.c. The charger holds the reservations
 * (charger_reserve): which connector, for whom, until when, what a card of
 * the reservation's group may do. Here only the OCPP side: the expiryDate
 * in any RFC 3339 offset, the status names. The StartTransaction that uses
 * a reservation names it (ocpp_tx.c); a reservation that ends shows in the
 * connector's StatusNotification. Reservations are not persisted.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ocpp_int.h"
#include "schema.h"

static json_t *status_only(const char *status)
{
	return json_pack("{s:s}", "status", status);
}

/* An RFC 3339 date-time (the schema checked its form) in UTC seconds; the
 * offset may be Z or +hh:mm / -hh:mm. false if it cannot be read. */
static bool parse_time(const char *t, int64_t *out)
{
	if (!t)
		return false;
	size_t n = strlen(t);
	char buf[40];
	if (n < 20 || n >= sizeof buf)
		return false;
	int64_t shift = 0;
	const char *tz = t + n - 6;
	if ((tz[0] == '+' || tz[0] == '-') && isdigit((unsigned char)tz[1]) &&
	    isdigit((unsigned char)tz[2]) && tz[3] == ':' && isdigit((unsigned char)tz[4]) &&
	    isdigit((unsigned char)tz[5])) {
		int h = (tz[1] - '0') * 10 + (tz[2] - '0');
		int m = (tz[4] - '0') * 10 + (tz[5] - '0');
		shift = (tz[0] == '+' ? 1 : -1) * (int64_t)(h * 3600 + m * 60);
		/* The same local time read as UTC, then moved by the offset. */
		snprintf(buf, sizeof buf, "%.*sZ", (int)(n - 6), t);
	} else {
		snprintf(buf, sizeof buf, "%s", t);
	}
	int64_t utc;
	if (!settings_parse_utc(buf, &utc))
		return false;
	*out = utc - shift;
	return true;
}

static const char *result_name(enum chg_result r)
{
	switch (r) {
	case CHG_ACCEPTED:
		return "Accepted";
	case CHG_OCCUPIED:
		return "Occupied";
	case CHG_FAULTED:
		return "Faulted";
	case CHG_UNAVAILABLE:
		return "Unavailable";
	default:
		return "Rejected";
	}
}

json_t *ocpp_op_reserve_now(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			    size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	json_int_t conn = ocpp_schema_int(json_object_get(req, "connectorId"));
	json_int_t id = ocpp_schema_int(json_object_get(req, "reservationId"));
	const char *tag = json_string_value(json_object_get(req, "idTag"));
	const char *parent = json_string_value(json_object_get(req, "parentIdTag"));
	const char *expiry = json_string_value(json_object_get(req, "expiryDate"));
	int64_t until;
	if (!parse_time(expiry, &until)) {
		ocpp_trace(o, "ocpp: ReserveNow %lld refused: expiryDate %s unreadable",
			   (long long)id, expiry ? expiry : "?");
		return status_only("Rejected");
	}
	/* A connector that does not exist, an id beyond 32 bits: Rejected. */
	if (conn < 0 || conn > ocpp_connectors(o) || id < INT32_MIN || id > INT32_MAX) {
		ocpp_trace(o, "ocpp: ReserveNow %lld refused: no connector %lld", (long long)id,
			   (long long)conn);
		return status_only("Rejected");
	}
	enum chg_result r = charger_reserve(o->ch, now, (int)conn, (int32_t)id, tag, parent, until);
	return status_only(result_name(r));
}

json_t *ocpp_op_cancel_reservation(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	json_int_t id = ocpp_schema_int(json_object_get(req, "reservationId"));
	if (id < INT32_MIN || id > INT32_MAX)
		return status_only("Rejected");
	enum chg_result r = charger_cancel_reservation(o->ch, now, (int32_t)id);
	if (r != CHG_ACCEPTED)
		ocpp_trace(o, "ocpp: CancelReservation %lld: no such reservation", (long long)id);
	return status_only(r == CHG_ACCEPTED ? "Accepted" : "Rejected");
}
