/* SPDX-License-Identifier: MIT */
/*
 * OCPP 1.6 message schemas as data (one table per message, written from the
 * OCPP 1.6 specification: types, required fields, enums, string lengths, no
 * unknown properties) and one validator over them, answering with the exact
 * OCPP-J error code. Covers every 1.6 action of every feature profile, both
 * the request (.req) and the confirmation (.conf).
 */
#ifndef EVSED_OCPP_SCHEMA_H
#define EVSED_OCPP_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "rpc.h"

enum ocpp_dir { OCPP_REQ, OCPP_CONF };

/* Is action an OCPP 1.6 action (of any profile)? */
bool ocpp_schema_known(const char *action);

/* Validate a payload. Returns OE_NONE, or the CALLERROR code to answer with
 * and a message naming the field ("connectorId: must be an integer"):
 *   missing required field            -> OE_OCCURRENCE
 *   wrong JSON type                   -> OE_TYPE
 *   bad enum value, too long string, out-of-range number, bad date-time
 *                                     -> OE_PROPERTY
 *   unknown property, payload not an object
 *                                     -> OE_FORMATION
 * Unknown action: OE_NOT_IMPLEMENTED. */
enum ocpp_err ocpp_schema_validate(const char *action, enum ocpp_dir dir, const json_t *payload,
				   char *msg, size_t msglen);

/* The value of a field validated as an integer. JSON Schema counts a real
 * without a fraction (300.0, 1e3) as an integer, and json_integer_value
 * gives 0 for those: read integer fields with this. Reals beyond the
 * json_int_t range are clamped; anything else gives 0. */
json_int_t ocpp_schema_int(const json_t *v);

#endif
