/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the OCPP-J RPC framing: a table of received frames with the
 * exact verdict (use, answer with which CALLERROR, drop), the id / action /
 * error parts read, the frame size cap both ways, the CALLERROR code names in
 * both spellings, and the builders' exact compact output, their refusals and
 * a build -> parse round trip.
 */
#include "vclock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ocpp/rpc.h"

/* ---- parsing ----------------------------------------------------------- */

#define ID36	 "0123456789abcdef0123456789abcdef0123"
#define ID37	 ID36 "4"
#define ACTION65 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

struct parse_case {
	const char *text;
	enum ocpp_parse want;
	enum ocpp_err err; /* OP_ANSWER: the code; CALLERROR: the code read */
	int type;	   /* 0: not checked */
	const char *id;	   /* NULL: not checked */
	const char *action;
	const char *msg; /* a part of errmsg, NULL: not checked */
};

static const struct parse_case parse_cases[] = {
    /* usable frames */
    {"[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\","
     "\"chargePointModel\":\"SingleSocketCharger\"}]",
     OP_OK, OE_NONE, OCPP_CALL, "19223201", "BootNotification", ""},
    {" [ 2 ,\n\"a\" ,\t\"Heartbeat\" , { } ]\r\n", OP_OK, OE_NONE, OCPP_CALL, "a", "Heartbeat",
     NULL},
    {"[2,\"" ID36 "\",\"Heartbeat\",{}]", OP_OK, OE_NONE, OCPP_CALL, ID36, "Heartbeat", NULL},
    {"[2,\"\\u00e9t\\u00e9\",\"Heartbeat\",{}]", OP_OK, OE_NONE, OCPP_CALL, "\xc3\xa9t\xc3\xa9",
     "Heartbeat", NULL},
    {"[2,\"a\",\"\",{}]", OP_OK, OE_NONE, OCPP_CALL, "a", "", NULL},
    {"[3,\"19223201\",{\"status\":\"Accepted\",\"currentTime\":\"2013-02-01T20:53:32.486Z\","
     "\"interval\":300}]",
     OP_OK, OE_NONE, OCPP_CALLRESULT, "19223201", "", NULL},
    {"[3,\"x\",{}]", OP_OK, OE_NONE, OCPP_CALLRESULT, "x", NULL, NULL},
    {"[4,\"162376037\",\"NotSupported\",\"SetDisplayMessageRequest not implemented\",{}]", OP_OK,
     OE_NOT_SUPPORTED, OCPP_CALLERROR, "162376037", NULL, NULL},
    {"[4,\"a\",\"OccurenceConstraintViolation\",\"\",{\"k\":1}]", OP_OK, OE_OCCURRENCE,
     OCPP_CALLERROR, "a", NULL, NULL},
    {"[4,\"a\",\"OccurrenceConstraintViolation\",\"\",{}]", OP_OK, OE_OCCURRENCE, OCPP_CALLERROR,
     "a", NULL, NULL},
    {"[4,\"a\",\"FormatViolation\",\"\",{}]", OP_OK, OE_FORMATION, OCPP_CALLERROR, "a", NULL, NULL},
    {"[4,\"a\",\"RpcFrameworkError\",\"\",{}]", OP_OK, OE_GENERIC, OCPP_CALLERROR, "a", NULL, NULL},
    {"[4,\"a\",\"\",\"\",{}]", OP_OK, OE_GENERIC, OCPP_CALLERROR, "a", NULL, NULL},

    /* CALLs answered with a CALLERROR */
    {"[2,\"a\",\"Heartbeat\"]", OP_ANSWER, OE_PROTOCOL, OCPP_CALL, "a", "Heartbeat",
     "CALL has 3 elements, needs 4"},
    {"[2,\"a\"]", OP_ANSWER, OE_PROTOCOL, OCPP_CALL, "a", "", "CALL has 2 elements"},
    {"[2,\"a\",\"Heartbeat\",{},{}]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "Heartbeat",
     "CALL has 5 elements, needs 4"},
    {"[2,\"a\",5,{}]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "", "action"},
    {"[2,\"a\",null]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "", "action"},
    {"[2,\"a\",\"Heartbeat\",[]]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "Heartbeat", "payload"},
    {"[2,\"a\",\"Heartbeat\",null]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "Heartbeat",
     "payload"},
    {"[2,\"a\",\"Heartbeat\",\"{}\"]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", "Heartbeat",
     "payload"},
    {"[2,\"a\",\"" ACTION65 "\",{}]", OP_ANSWER, OE_NOT_IMPLEMENTED, OCPP_CALL, "a", "", "action"},
    {"[2,\"a\",\"Heart\\u0000beat\",{}]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, "NUL"},
    {"[2,\"dup\",\"Authorize\",{\"idTag\":\"A\",\"idTag\":\"B\"}]", OP_ANSWER, OE_FORMATION,
     OCPP_CALL, "dup", "Authorize", "duplicate"},
    {"[2,\"n\",\"DataTransfer\",{\"vendorId\":\"a\\u0000b\"}]", OP_ANSWER, OE_FORMATION, OCPP_CALL,
     "n", "DataTransfer", "NUL"},
    {"[2,\"a\",\"Heartbeat\",{", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, "not valid JSON"},
    {"[2,\"a\",\"Heartbeat\",{}", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, "not valid JSON"},
    {"[2,\"a\",\"Heartbeat\",{}]]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, NULL},
    {"[2,\"a\",\"Heartbeat\",{}] x", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, NULL},
    {"[2,\"a\",\"Heartbeat\",{'k':1}]", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, NULL},
    {"[2,\"a\",\"StatusNotification\",{\"connectorId\":01}]", OP_ANSWER, OE_FORMATION, OCPP_CALL,
     "a", NULL, NULL},
    {"[2,\"a\",\"MeterValues\",{\"connectorId\":99999999999999999999999}]", OP_ANSWER, OE_FORMATION,
     OCPP_CALL, "a", NULL, NULL},
    {" [ 2 , \"q\\\"uote\\\\\" ,", OP_ANSWER, OE_FORMATION, OCPP_CALL, "q\"uote\\", NULL, NULL},
    {"[2,\"a\"", OP_ANSWER, OE_FORMATION, OCPP_CALL, "a", NULL, NULL},

    /* nothing to answer to */
    {"", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"hello", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"{\"a\":1}", OP_DROP, OE_NONE, 0, "", NULL, "not a JSON array"},
    {"2", OP_DROP, OE_NONE, 0, "", NULL, NULL},
    {"[]", OP_DROP, OE_NONE, 0, "", NULL, "message type"},
    {"[1,\"a\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "message type"},
    {"[5,\"a\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "message type"},
    {"[\"2\",\"a\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "message type"},
    {"[2.0,\"a\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "message type"},
    {"[2]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,7,\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,null,\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,\"\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,\"" ID37 "\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,\"a\\u0000b\",\"Heartbeat\",{}]", OP_DROP, OE_NONE, 0, "", NULL, "no id to answer to"},
    {"[2,\"" ID37 "\",\"Heartbeat\",{", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[2,7,\"Heartbeat\",{", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[2,\"a\\x\",", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[2,\"a", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[20,\"a\",", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[2e0,\"a\",", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[3,\"a\",{", OP_DROP, OE_NONE, 0, "", NULL, "not valid JSON"},
    {"[3,\"a\"]", OP_DROP, OE_NONE, OCPP_CALLRESULT, "a", NULL, "CALLRESULT a"},
    {"[3,\"a\",{},{}]", OP_DROP, OE_NONE, OCPP_CALLRESULT, "a", NULL, "CALLRESULT a"},
    {"[3,\"a\",[]]", OP_DROP, OE_NONE, OCPP_CALLRESULT, "a", NULL, "CALLRESULT a"},
    {"[3,\"a\",{\"k\":1,\"k\":2}]", OP_DROP, OE_NONE, 0, NULL, NULL, "duplicate"},
    {"[3,7,{}]", OP_DROP, OE_NONE, 0, NULL, NULL, "no id to answer to"},
    {"[4,\"a\",\"GenericError\",\"x\"]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL,
     "CALLERROR a"},
    {"[4,\"a\",\"GenericError\",\"x\",{},{}]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL,
     "CALLERROR a"},
    {"[4,\"a\",1,\"x\",{}]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL, "CALLERROR a"},
    {"[4,\"a\",\"GenericError\",null,{}]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL,
     "CALLERROR a"},
    {"[4,\"a\",\"GenericError\",\"x\",null]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL,
     "CALLERROR a"},
    {"[4,\"a\",\"GenericError\",\"x\",[]]", OP_DROP, OE_NONE, OCPP_CALLERROR, "a", NULL,
     "CALLERROR a"},
};

static void check_case(const struct parse_case *c, size_t i)
{
	struct ocpp_frame f;
	enum ocpp_err err = OE_INTERNAL;
	char msg[256];
	enum ocpp_parse r = ocpp_frame_parse(c->text, strlen(c->text), &f, &err, msg, sizeof msg);
	if (r != c->want)
		fail_msg("case %zu %s: verdict %d, expected %d (%s)", i, c->text, r, c->want, msg);
	enum ocpp_err got = r == OP_OK ? f.err : err;
	if (got != c->err)
		fail_msg("case %zu %s: code %s, expected %s (%s)", i, c->text, ocpp_err_name(got),
			 ocpp_err_name(c->err), msg);
	if (r != OP_ANSWER && err != OE_NONE)
		fail_msg("case %zu: *err set to %d without an answer", i, err);
	if (c->type && (int)f.type != c->type)
		fail_msg("case %zu %s: type %d, expected %d", i, c->text, f.type, c->type);
	if (c->id && strcmp(f.id, c->id) != 0)
		fail_msg("case %zu %s: id '%s', expected '%s'", i, c->text, f.id, c->id);
	if (c->action && strcmp(f.action, c->action) != 0)
		fail_msg("case %zu %s: action '%s', expected '%s'", i, c->text, f.action,
			 c->action);
	if (c->msg && (c->msg[0] ? !strstr(msg, c->msg) : msg[0] != '\0'))
		fail_msg("case %zu %s: message '%s' lacks '%s'", i, c->text, msg, c->msg);
	if (r != OP_OK && c->want != OP_OK && !msg[0])
		fail_msg("case %zu %s: no message", i, c->text);
	bool has_payload = r == OP_OK && f.type != OCPP_CALLERROR;
	if (has_payload != json_is_object(f.payload))
		fail_msg("case %zu %s: payload %s", i, c->text, f.payload ? "set" : "missing");
	ocpp_frame_clear(&f);
	assert_null(f.payload);
}

static void parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++)
		check_case(&parse_cases[i], i);
}

static void parse_reads_the_parts(void **state)
{
	(void)state;
	static const char text[] = "[2,\"19223201\",\"StartTransaction\",{\"connectorId\":1,"
				   "\"idTag\":\"04E91C5A123456\",\"meterStart\":0,"
				   "\"timestamp\":\"2026-01-01T12:00:00Z\"}]";
	struct ocpp_frame f;
	enum ocpp_err err;
	char msg[64];
	assert_int_equal(ocpp_frame_parse(text, strlen(text), &f, &err, msg, sizeof msg), OP_OK);
	assert_int_equal(f.type, OCPP_CALL);
	assert_string_equal(f.id, "19223201");
	assert_string_equal(f.action, "StartTransaction");
	assert_int_equal(json_integer_value(json_object_get(f.payload, "connectorId")), 1);
	assert_string_equal(json_string_value(json_object_get(f.payload, "idTag")),
			    "04E91C5A123456");
	assert_int_equal(json_object_size(f.payload), 4);
	ocpp_frame_clear(&f);

	static const char err_text[] = "[4,\"7\",\"PropertyConstraintViolation\","
				       "\"idTagInfo.status: must be one of Accepted\",{}]";
	assert_int_equal(ocpp_frame_parse(err_text, strlen(err_text), &f, &err, msg, sizeof msg),
			 OP_OK);
	assert_int_equal(f.type, OCPP_CALLERROR);
	assert_int_equal(f.err, OE_PROPERTY);
	assert_string_equal(f.err_desc, "idTagInfo.status: must be one of Accepted");
	assert_null(f.payload);
	ocpp_frame_clear(&f);
}

/* The text need not be NUL-terminated: only len bytes are read. */
static void parse_uses_len_only(void **state)
{
	(void)state;
	static const char text[] = "[2,\"a\",\"Heartbeat\",{}]garbage after the frame";
	struct ocpp_frame f;
	enum ocpp_err err;
	char msg[64];
	assert_int_equal(ocpp_frame_parse(text, 22, &f, &err, msg, sizeof msg), OP_OK);
	ocpp_frame_clear(&f);
	char *copy = malloc(22);
	assert_non_null(copy);
	memcpy(copy, text, 22);
	assert_int_equal(ocpp_frame_parse(copy, 22, &f, &err, msg, sizeof msg), OP_OK);
	assert_string_equal(f.action, "Heartbeat");
	ocpp_frame_clear(&f);
	assert_int_equal(ocpp_frame_parse(copy, 21, &f, &err, msg, sizeof msg), OP_ANSWER);
	assert_int_equal(err, OE_FORMATION);
	ocpp_frame_clear(&f);
	free(copy);
	assert_int_equal(ocpp_frame_parse(NULL, 0, &f, &err, msg, sizeof msg), OP_DROP);
	ocpp_frame_clear(&f);
}

static const char big_head[] = "[2,\"big\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"";
static const char big_tail[] = "\"}]";

/* A DataTransfer CALL of exactly n bytes. */
static char *frame_of(size_t n)
{
	const char *head = big_head, *tail = big_tail;
	size_t h = sizeof big_head - 1, t = sizeof big_tail - 1;
	char *s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, head, h);
	memset(s + h, 'A', n - h - t);
	memcpy(s + n - t, tail, t + 1);
	return s;
}

static void parse_frame_size_limit(void **state)
{
	(void)state;
	struct ocpp_frame f;
	enum ocpp_err err;
	char msg[128];
	char *s = frame_of(OCPP_FRAME_MAX);
	assert_int_equal(ocpp_frame_parse(s, OCPP_FRAME_MAX, &f, &err, msg, sizeof msg), OP_OK);
	assert_int_equal(json_string_length(json_object_get(f.payload, "data")),
			 OCPP_FRAME_MAX - (sizeof big_head - 1) - (sizeof big_tail - 1));
	ocpp_frame_clear(&f);
	free(s);
	s = frame_of(OCPP_FRAME_MAX + 1);
	assert_int_equal(ocpp_frame_parse(s, OCPP_FRAME_MAX + 1, &f, &err, msg, sizeof msg),
			 OP_DROP);
	assert_non_null(strstr(msg, "limit"));
	assert_int_equal(err, OE_NONE);
	ocpp_frame_clear(&f);
	free(s);
}

/* errmsg may be NULL or tiny; it is always NUL-terminated. */
static void parse_message_buffer(void **state)
{
	(void)state;
	static const char *const texts[] = {"[2,\"a\",\"Heartbeat\"]", "[2,7]", "nope",
					    "[2,\"a\",\"Heartbeat\",{}]"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct ocpp_frame f;
		enum ocpp_err err;
		(void)ocpp_frame_parse(texts[i], strlen(texts[i]), &f, &err, NULL, 0);
		ocpp_frame_clear(&f);
		char tiny[4] = "xxx";
		(void)ocpp_frame_parse(texts[i], strlen(texts[i]), &f, &err, tiny, 1);
		assert_int_equal(tiny[0], '\0');
		assert_int_equal(tiny[1], 'x');
		ocpp_frame_clear(&f);
		(void)ocpp_frame_parse(texts[i], strlen(texts[i]), &f, &err, tiny, sizeof tiny);
		assert_true(strlen(tiny) < sizeof tiny);
		ocpp_frame_clear(&f);
	}
}

/* A long CALLERROR description is cut to fit, never inside a character. */
static void parse_error_description_cut(void **state)
{
	(void)state;
	char text[1200];
	size_t n = (size_t)snprintf(text, sizeof text, "[4,\"a\",\"InternalError\",\"");
	for (int i = 0; i < 300; i++) {
		memcpy(text + n, "\xc3\xa9", 2); /* é */
		n += 2;
	}
	memcpy(text + n, "\",{}]", 6);
	struct ocpp_frame f;
	enum ocpp_err err;
	assert_int_equal(ocpp_frame_parse(text, strlen(text), &f, &err, NULL, 0), OP_OK);
	assert_int_equal(f.err, OE_INTERNAL);
	assert_int_equal(strlen(f.err_desc), 254);
	assert_int_equal((unsigned char)f.err_desc[252], 0xc3);
	ocpp_frame_clear(&f);
	ocpp_frame_clear(&f);
}

/* ---- error codes ------------------------------------------------------- */

static const struct {
	enum ocpp_err err;
	const char *name;
} err_names[] = {
    {OE_NOT_IMPLEMENTED, "NotImplemented"},
    {OE_NOT_SUPPORTED, "NotSupported"},
    {OE_INTERNAL, "InternalError"},
    {OE_PROTOCOL, "ProtocolError"},
    {OE_SECURITY, "SecurityError"},
    {OE_FORMATION, "FormationViolation"},
    {OE_PROPERTY, "PropertyConstraintViolation"},
    {OE_OCCURRENCE, "OccurenceConstraintViolation"},
    {OE_TYPE, "TypeConstraintViolation"},
    {OE_GENERIC, "GenericError"},
};

static void error_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof err_names / sizeof err_names[0]; i++) {
		assert_string_equal(ocpp_err_name(err_names[i].err), err_names[i].name);
		enum ocpp_err e = OE_NONE;
		assert_true(ocpp_err_parse(err_names[i].name, &e));
		assert_int_equal(e, err_names[i].err);
	}
	assert_string_equal(ocpp_err_name(OE_NONE), "GenericError");
	assert_string_equal(ocpp_err_name((enum ocpp_err)99), "GenericError");
}

static void error_parse_spellings(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		bool known;
		enum ocpp_err err;
	} cases[] = {
	    {"OccurenceConstraintViolation", true, OE_OCCURRENCE},
	    {"OccurrenceConstraintViolation", true, OE_OCCURRENCE},
	    {"FormatViolation", true, OE_FORMATION},
	    {"occurenceConstraintViolation", false, OE_NONE},
	    {"GenericError ", false, OE_NONE},
	    {"", false, OE_NONE},
	    {"RpcFrameworkError", false, OE_NONE},
	    {NULL, false, OE_NONE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum ocpp_err e = OE_NONE;
		if (ocpp_err_parse(cases[i].name, &e) != cases[i].known)
			fail_msg("'%s': known should be %d", cases[i].name ? cases[i].name : "NULL",
				 cases[i].known);
		assert_int_equal(e, cases[i].err);
	}
}

/* ---- building ---------------------------------------------------------- */

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	return j;
}

static void expect_built(char *got, const char *want)
{
	if (!got)
		fail_msg("nothing built, expected %s", want);
	if (strcmp(got, want) != 0)
		fail_msg("built %s, expected %s", got, want);
	free(got);
}

static void build_exact(void **state)
{
	(void)state;
	json_t *boot = load("{\"chargePointVendor\":\"VendorX\", \"chargePointModel\": "
			    "\"SingleSocketCharger\"}");
	expect_built(ocpp_build_call("19223201", "BootNotification", boot),
		     "[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\","
		     "\"chargePointModel\":\"SingleSocketCharger\"}]");
	json_decref(boot);
	json_t *conf = load("{\"status\": \"Accepted\", \"currentTime\": "
			    "\"2013-02-01T20:53:32.486Z\", \"interval\": 300}");
	expect_built(ocpp_build_result("19223201", conf),
		     "[3,\"19223201\",{\"status\":\"Accepted\",\"currentTime\":\"2013-02-01T20:53:"
		     "32.486Z\",\"interval\":300}]");
	json_decref(conf);
	json_t *empty = json_object();
	expect_built(ocpp_build_call("1", "Heartbeat", empty), "[2,\"1\",\"Heartbeat\",{}]");
	expect_built(ocpp_build_result(ID36, empty), "[3,\"" ID36 "\",{}]");
	json_decref(empty);
	expect_built(ocpp_build_error("1", OE_OCCURRENCE, "idTag: required field missing"),
		     "[4,\"1\",\"OccurenceConstraintViolation\",\"idTag: required field "
		     "missing\",{}]");
	expect_built(ocpp_build_error("1", OE_NOT_IMPLEMENTED, ""),
		     "[4,\"1\",\"NotImplemented\",\"\",{}]");
	expect_built(ocpp_build_error("1", OE_FORMATION, NULL),
		     "[4,\"1\",\"FormationViolation\",\"\",{}]");
	expect_built(ocpp_build_error("1", OE_NONE, "x"), "[4,\"1\",\"GenericError\",\"x\",{}]");
	expect_built(
	    ocpp_build_error("q\"\\", OE_TYPE, "a \"b\"\n\tc\x01"),
	    "[4,\"q\\\"\\\\\",\"TypeConstraintViolation\",\"a \\\"b\\\"\\n\\tc\\u0001\",{}]");
	/* Bytes that are not UTF-8 in a description become '?'. */
	expect_built(ocpp_build_error("1", OE_PROPERTY, "bad \xff\xfe end \xc3\xa9 \xe2\x82"),
		     "[4,\"1\",\"PropertyConstraintViolation\",\"bad ?? end \xc3\xa9 ??\",{}]");
	expect_built(ocpp_build_error("1", OE_PROPERTY, "\xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80"),
		     "[4,\"1\",\"PropertyConstraintViolation\",\"??? ?? ????\",{}]");
}

static void build_refusals(void **state)
{
	(void)state;
	json_t *o = json_object(), *a = json_array();
	assert_null(ocpp_build_call(NULL, "Heartbeat", o));
	assert_null(ocpp_build_call("", "Heartbeat", o));
	assert_null(ocpp_build_call(ID37, "Heartbeat", o));
	assert_null(ocpp_build_call("\xff", "Heartbeat", o));
	assert_null(ocpp_build_call("1", NULL, o));
	assert_null(ocpp_build_call("1", "", o));
	assert_null(ocpp_build_call("1", ACTION65, o));
	assert_null(ocpp_build_call("1", "Heartbeat", NULL));
	assert_null(ocpp_build_call("1", "Heartbeat", a));
	assert_null(ocpp_build_result(NULL, o));
	assert_null(ocpp_build_result(ID37, o));
	assert_null(ocpp_build_result("1", a));
	assert_null(ocpp_build_result("1", NULL));
	assert_null(ocpp_build_error(NULL, OE_GENERIC, "x"));
	assert_null(ocpp_build_error("", OE_GENERIC, "x"));
	assert_null(ocpp_build_error(ID37, OE_GENERIC, "x"));
	json_decref(o);
	json_decref(a);
}

/* No builder makes a frame over OCPP_FRAME_MAX; one of exactly that size is
 * made. */
static void build_frame_size_limit(void **state)
{
	(void)state;
	static const char head[] = "[3,\"1\",{\"data\":\"";
	static const char tail[] = "\"}]";
	size_t fill = OCPP_FRAME_MAX - (sizeof head - 1) - (sizeof tail - 1);
	char *data = malloc(fill + 2);
	assert_non_null(data);
	memset(data, 'x', fill + 1);
	data[fill] = '\0';
	json_t *p = json_object();
	assert_int_equal(json_object_set_new(p, "data", json_string(data)), 0);
	char *s = ocpp_build_result("1", p);
	assert_non_null(s);
	assert_int_equal(strlen(s), OCPP_FRAME_MAX);
	free(s);
	data[fill] = 'x';
	data[fill + 1] = '\0';
	assert_int_equal(json_object_set_new(p, "data", json_string(data)), 0);
	assert_null(ocpp_build_result("1", p));
	assert_null(ocpp_build_call("1", "DataTransfer", p));
	assert_null(ocpp_build_error("1", OE_INTERNAL, data));
	json_decref(p);
	free(data);
}

/* What is built parses back to the same parts. */
static void build_parse_round_trip(void **state)
{
	(void)state;
	json_t *p =
	    load("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-01-01T12:00:00Z\","
		 "\"sampledValue\":[{\"value\":\"1.5\",\"unit\":\"kWh\"}]}],\"x\":1.25,"
		 "\"s\":\"\\u00e9\\n\\\"\"}");
	char *frames[] = {
	    ocpp_build_call("id-\"1\"", "MeterValues", p),
	    ocpp_build_result(ID36, p),
	    ocpp_build_error("e", OE_SECURITY, "no \"way\"\n"),
	};
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		assert_non_null(frames[i]);
		struct ocpp_frame f;
		enum ocpp_err err;
		char msg[128];
		assert_int_equal(
		    ocpp_frame_parse(frames[i], strlen(frames[i]), &f, &err, msg, sizeof msg),
		    OP_OK);
		assert_int_equal(f.type, (int)i + 2);
		if (f.type == OCPP_CALL) {
			assert_string_equal(f.id, "id-\"1\"");
			assert_string_equal(f.action, "MeterValues");
		}
		if (f.type == OCPP_CALLERROR) {
			assert_int_equal(f.err, OE_SECURITY);
			assert_string_equal(f.err_desc, "no \"way\"\n");
		} else {
			assert_true(json_equal(f.payload, p));
		}
		ocpp_frame_clear(&f);
		free(frames[i]);
	}
	json_decref(p);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_table),
    cmocka_unit_test(parse_reads_the_parts),
    cmocka_unit_test(parse_uses_len_only),
    cmocka_unit_test(parse_frame_size_limit),
    cmocka_unit_test(parse_message_buffer),
    cmocka_unit_test(parse_error_description_cut),
    cmocka_unit_test(error_names),
    cmocka_unit_test(error_parse_spellings),
    cmocka_unit_test(build_exact),
    cmocka_unit_test(build_refusals),
    cmocka_unit_test(build_frame_size_limit),
    cmocka_unit_test(build_parse_round_trip),
};

VCLOCK_MAIN("rpc", tests)
