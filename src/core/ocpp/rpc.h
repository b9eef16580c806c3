/* SPDX-License-Identifier: MIT */
/*
 * OCPP-J 1.6 RPC framing: CALL [2, id, action, payload], CALLRESULT
 * [3, id, payload], CALLERROR [4, id, code, description, details]. Parses a
 * received text frame into its parts with the exact CALLERROR code to answer
 * when it is malformed, and builds frames to send. No state, no I/O; payload
 * validation against the schemas is schema.h's business.
 */
#ifndef EVSED_OCPP_RPC_H
#define EVSED_OCPP_RPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Largest frame evsed accepts or sends (a SendLocalList of 10,000 cards
 * fits); larger received frames close the connection. */
#define OCPP_FRAME_MAX (1536 * 1024)
/* Message ids are at most 36 characters (OCPP-J 1.6 section 4.1.3). */
#define OCPP_ID_MAX	36
#define OCPP_ACTION_MAX 64

enum ocpp_msg_type { OCPP_CALL = 2, OCPP_CALLRESULT = 3, OCPP_CALLERROR = 4 };

/* RPC error codes (OCPP-J 1.6 section 4.2.3). */
enum ocpp_err {
	OE_NONE = 0,
	OE_NOT_IMPLEMENTED, /* action not known */
	OE_NOT_SUPPORTED,   /* action known, not supported */
	OE_INTERNAL,
	OE_PROTOCOL, /* payload incomplete */
	OE_SECURITY,
	OE_FORMATION,  /* syntactically wrong / not the PDU structure */
	OE_PROPERTY,   /* a field has an invalid value */
	OE_OCCURRENCE, /* a field violates occurrence constraints */
	OE_TYPE,       /* a field has the wrong type */
	OE_GENERIC,
};

/* The code as sent: "OccurenceConstraintViolation" with OCPP 1.6's spelling. */
const char *ocpp_err_name(enum ocpp_err e);
/* Parse a received code; both "OccurenceConstraintViolation" and
 * "OccurrenceConstraintViolation" are accepted. false if unknown. */
bool ocpp_err_parse(const char *name, enum ocpp_err *out);

struct ocpp_frame {
	enum ocpp_msg_type type;
	char id[OCPP_ID_MAX + 1];
	char action[OCPP_ACTION_MAX + 1]; /* CALL only */
	json_t *payload;		  /* CALL / CALLRESULT: the payload object
					     (a new reference, owned by the frame) */
	enum ocpp_err err;		  /* CALLERROR: the code received */
	char err_desc[256];		  /* CALLERROR: description */
};

/* Result of parsing a received frame. */
enum ocpp_parse {
	OP_OK,	   /* *out is complete */
	OP_ANSWER, /* a CALL we must answer with CALLERROR *err (out->id set) */
	OP_DROP,   /* not answerable (no usable id, or a malformed result /
		      error for which no answer exists): log and ignore */
};

/* Parse text (len bytes, need not be NUL-terminated). On OP_ANSWER, *err is
 * the code and errmsg says why; out->id holds the id to answer. The caller
 * frees out with ocpp_frame_clear in every case. */
enum ocpp_parse ocpp_frame_parse(const char *text, size_t len, struct ocpp_frame *out,
				 enum ocpp_err *err, char *errmsg, size_t errlen);
void ocpp_frame_clear(struct ocpp_frame *f);

/* Build frames. Return a malloc'd NUL-terminated string (caller frees) or
 * NULL on allocation failure or if the result would exceed OCPP_FRAME_MAX.
 * payload is borrowed. */
char *ocpp_build_call(const char *id, const char *action, const json_t *payload);
char *ocpp_build_result(const char *id, const json_t *payload);
char *ocpp_build_error(const char *id, enum ocpp_err code, const char *desc);

#endif
