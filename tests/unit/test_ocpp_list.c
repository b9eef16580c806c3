/* SPDX-License-Identifier: MIT */
/*
 * The Local Authorization List (C6) through the engine: GetLocalListVersion
 * (-1 disabled, 0 empty), SendLocalList Full and Differential with their
 * versions, what is handed to the store (one write, whole, or none), the
 * answers to bad input (too many entries, repeated id tags, a version going
 * backwards, bad id tags: nothing changes), Failed when the store refuses or
 * the list would outgrow LocalAuthListMaxLength, NotSupported when disabled,
 * loading at start, and LocalListConflict when the CSMS disagrees with the
 * list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocpp_fx.h"

static int version(struct fx *f)
{
	return (int)fx_num(fx_call_ok(f, "GetLocalListVersion", json_object()), "listVersion");
}

/* SendLocalList of the JSON text's entries (an array, or NULL to omit it). */
static json_t *send_list(const char *type, int ver, const char *entries)
{
	json_t *p = json_pack("{s:i, s:s}", "listVersion", ver, "updateType", type);
	if (entries)
		json_object_set_new(p, "localAuthorizationList", fx_json(entries));
	return p;
}

static const char *send(struct fx *f, const char *type, int ver, const char *entries)
{
	return fx_call_status(f, "SendLocalList", send_list(type, ver, entries));
}

/* The stored list holds id with status (enum ocpp_auth_status), or not
 * (status < 0). */
static void stored(const struct fx *f, const char *id, int status)
{
	for (int i = 0; i < f->nlist; i++)
		if (strcmp(f->list[i].id_tag, id) == 0) {
			if (status < 0)
				fail_msg("%s is stored", id);
			assert_int_equal(f->list[i].status, status);
			return;
		}
	if (status >= 0)
		fail_msg("%s is not stored", id);
}

/* OCTT TC_042_1 / TC_042_2, TC_043 */
static void version_disabled_empty_and_set(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	fx_boot(f);
	assert_int_equal(version(f), 0);
	/* TC_042_2: a Full update without entries, version 1: still empty. */
	assert_string_equal(send(f, "Full", 1, NULL), "Accepted");
	assert_int_equal(version(f), 0);
	assert_int_equal(f->list_writes, 1);
	assert_true(f->list_last_full);
	assert_int_equal(f->list_version, 1);
	assert_string_equal(send(f, "Full", 2, "[{'idTag':'A','idTagInfo':{'status':'Accepted'}}]"),
			    "Accepted");
	assert_int_equal(version(f), 2);
	/* TC_042_1 / TC_043_1: disabled, -1 and NotSupported; the list stays. */
	assert_string_equal(
	    fx_call_status(f, "ChangeConfiguration",
			   fx_json("{'key':'LocalAuthListEnabled','value':'false'}")),
	    "Accepted");
	assert_int_equal(version(f), -1);
	assert_string_equal(send(f, "Full", 3, "[]"), "NotSupported");
	assert_int_equal(f->list_writes, 2);
	assert_string_equal(
	    fx_call_status(f, "ChangeConfiguration",
			   fx_json("{'key':'LocalAuthListEnabled','value':'true'}")),
	    "Accepted");
	assert_int_equal(version(f), 2);
	fx_no_frame(f);
	fx_free(f);
}

/* TC_043_2: Full 2, Differential 5, then a Differential not above 5 is a
 * VersionMismatch and changes nothing; a Full may go back. */
static void versions(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	fx_boot(f);
	assert_string_equal(send(f, "Full", 2, "[{'idTag':'A','idTagInfo':{'status':'Accepted'}}]"),
			    "Accepted");
	assert_int_equal(version(f), 2);
	assert_string_equal(
	    send(f, "Differential", 5, "[{'idTag':'B','idTagInfo':{'status':'Blocked'}}]"),
	    "Accepted");
	assert_int_equal(version(f), 5);
	int writes = f->list_writes;
	static const int stale[] = {5, 4, 0, -3};
	for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
		assert_string_equal(send(f, "Differential", stale[i],
					 "[{'idTag':'C','idTagInfo':{'status':'Accepted'}}]"),
				    "VersionMismatch");
	assert_int_equal(version(f), 5);
	assert_int_equal(f->list_writes, writes);
	stored(f, "C", -1);
	/* A Full update replaces the list whatever its version. */
	assert_string_equal(send(f, "Full", 1, "[{'idTag':'C','idTagInfo':{'status':'Accepted'}}]"),
			    "Accepted");
	assert_int_equal(version(f), 1);
	stored(f, "A", -1);
	stored(f, "C", OAS_ACCEPTED);
	fx_no_frame(f);
	fx_free(f);
}

/* Differential: idTagInfo adds or updates, no idTagInfo removes; only the
 * differences go to the store. */
static void differential_adds_updates_removes(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	fx_boot(f);
	assert_string_equal(send(f, "Full", 1,
				 "[{'idTag':'A','idTagInfo':{'status':'Accepted'}},"
				 " {'idTag':'B','idTagInfo':{'status':'Accepted'}},"
				 " {'idTag':'C','idTagInfo':{'status':'Accepted','parentIdTag':'G',"
				 "  'expiryDate':'2027-01-01T01:00:00+01:00'}}]"),
			    "Accepted");
	assert_int_equal(f->nlist, 3);
	assert_int_equal(f->list[2].expiry_utc, FX_T0 + 365 * 86400);
	assert_string_equal(f->list[2].parent, "G");
	assert_string_equal(send(f, "Differential", 2,
				 "[{'idTag':'b','idTagInfo':{'status':'Blocked'}},"
				 " {'idTag':'C'}, {'idTag':'D','idTagInfo':{'status':'Accepted'}},"
				 " {'idTag':'NOPE'}]"),
			    "Accepted");
	assert_false(f->list_last_full);
	assert_int_equal(f->list_last_n, 4);
	stored(f, "A", OAS_ACCEPTED);
	stored(f, "b", OAS_BLOCKED);
	stored(f, "C", -1);
	stored(f, "D", OAS_ACCEPTED);
	assert_int_equal(f->nlist, 3);
	assert_int_equal(version(f), 2);
	/* Without entries: no change but the version. */
	assert_string_equal(send(f, "Differential", 3, NULL), "Accepted");
	assert_int_equal(f->nlist, 3);
	assert_int_equal(version(f), 3);
	/* A card of the list is decided by it (LocalPreAuthorize). */
	assert_string_equal(fx_call_status(f, "ChangeConfiguration",
					   fx_json("{'key':'LocalPreAuthorize','value':'true'}")),
			    "Accepted");
	assert_int_equal(fx_swipe(f, "B"), SWIPE_REJECTED);
	assert_int_equal(fx_swipe(f, "D"), SWIPE_PENDING);
	fx_ack_statuses(f);
	fx_free(f);
}

/* Bad input: the answer the spec gives, and nothing stored, half or whole. */
static void bad_input_changes_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *what, *type;
		int ver;
		const char *entries;
		const char *code; /* CALLERROR, or NULL */
		const char *status;
	} rows[] = {
	    {"more than SendLocalListMaxLength (3)", "Full", 9,
	     "[{'idTag':'A','idTagInfo':{'status':'Accepted'}},{'idTag':'B'},{'idTag':'C'},"
	     "{'idTag':'D'}]",
	     "OccurenceConstraintViolation", NULL},
	    {"a repeated id tag", "Full", 9,
	     "[{'idTag':'A','idTagInfo':{'status':'Accepted'}},"
	     "{'idTag':'a','idTagInfo':{'status':'Blocked'}}]",
	     "PropertyConstraintViolation", NULL},
	    {"a repeated id tag, differential", "Differential", 9,
	     "[{'idTag':'Z'},{'idTag':'Z','idTagInfo':{'status':'Accepted'}}]",
	     "PropertyConstraintViolation", NULL},
	    {"an empty id tag", "Full", 9, "[{'idTag':'','idTagInfo':{'status':'Accepted'}}]",
	     "PropertyConstraintViolation", NULL},
	    {"an id tag with a space", "Full", 9,
	     "[{'idTag':'A B','idTagInfo':{'status':'Accepted'}}]", "PropertyConstraintViolation",
	     NULL},
	    {"an id tag too long (schema)", "Full", 9,
	     "[{'idTag':'123456789012345678901','idTagInfo':{'status':'Accepted'}}]",
	     "PropertyConstraintViolation", NULL},
	    {"a bad status (schema)", "Full", 9, "[{'idTag':'A','idTagInfo':{'status':'Maybe'}}]",
	     "PropertyConstraintViolation", NULL},
	    {"version 0 with entries", "Full", 0,
	     "[{'idTag':'A','idTagInfo':{'status':'Accepted'}}]", "PropertyConstraintViolation",
	     NULL},
	    {"a negative version", "Full", -1, NULL, "PropertyConstraintViolation", NULL},
	    {"a version going backwards", "Differential", 4,
	     "[{'idTag':'A','idTagInfo':{'status':'Accepted'}}]", NULL, "VersionMismatch"},
	    {"more than LocalAuthListMaxLength (4)", "Differential", 9,
	     "[{'idTag':'X1','idTagInfo':{'status':'Accepted'}},"
	     "{'idTag':'X2','idTagInfo':{'status':'Accepted'}},"
	     "{'idTag':'X3','idTagInfo':{'status':'Accepted'}}]",
	     NULL, "Failed"},
	};
	const char *sets[] = {"SendLocalListMaxLength", "3", "LocalAuthListMaxLength", "4", NULL};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", sets);
		fx_boot(f);
		assert_string_equal(send(f, "Full", 5,
					 "[{'idTag':'OLD1','idTagInfo':{'status':'Accepted'}},"
					 " {'idTag':'OLD2','idTagInfo':{'status':'Accepted'}}]"),
				    "Accepted");
		int writes = f->list_writes;
		json_t *p = send_list(rows[i].type, rows[i].ver, rows[i].entries);
		if (rows[i].code) {
			const char *code = fx_call_err(f, "SendLocalList", p);
			if (strcmp(code, rows[i].code) != 0)
				fail_msg("%s: %s", rows[i].what, code);
		} else {
			assert_string_equal(fx_call_status(f, "SendLocalList", p), rows[i].status);
		}
		assert_int_equal(f->list_writes, writes);
		assert_int_equal(version(f), 5);
		assert_int_equal(f->nlist, 2);
		/* The engine's own list is unchanged too. */
		assert_string_equal(fx_call_status(f, "ChangeConfiguration",
						   fx_json("{'key':'LocalPreAuthorize','value':"
							   "'true'}")),
				    "Accepted");
		assert_int_equal(fx_swipe(f, "OLD1"), SWIPE_PENDING);
		fx_ack_statuses(f);
		fx_free(f);
	}
}

/* TC_043_3: the store refuses: Failed, and the list is as before. */
static void store_failure_is_failed(void **state)
{
	(void)state;
	const char *sets[] = {"LocalPreAuthorize", "true", NULL};
	struct fx *f = fx_new("evplus", sets);
	fx_boot(f);
	assert_string_equal(send(f, "Full", 1, "[{'idTag':'A','idTagInfo':{'status':'Accepted'}}]"),
			    "Accepted");
	f->list_fails = true;
	assert_string_equal(send(f, "Full", 2, "[{'idTag':'A','idTagInfo':{'status':'Blocked'}}]"),
			    "Failed");
	assert_string_equal(send(f, "Differential", 2, "[{'idTag':'A'}]"), "Failed");
	f->list_fails = false;
	assert_int_equal(version(f), 1);
	assert_int_equal(fx_swipe(f, "A"), SWIPE_PENDING);
	fx_ack_statuses(f);
	fx_free(f);
}

/* The list at start: sorted, repeated tags and entries past
 * LocalAuthListMaxLength dropped, the version kept. */
static void load_at_start(void **state)
{
	(void)state;
	const char *sets[] = {"LocalAuthListMaxLength", "2", "LocalPreAuthorize", "true", NULL};
	struct fx *f = fx_new("evplus", sets);
	struct ocpp_list_entry e[4];
	memset(e, 0, sizeof e);
	static const char *const ids[] = {"C", "a", "A", "B"};
	for (int i = 0; i < 4; i++)
		snprintf(e[i].id_tag, sizeof e[i].id_tag, "%s", ids[i]);
	e[3].status = OAS_BLOCKED;
	assert_true(ocpp_list_load(f->o, e, 4, 7));
	fx_boot(f);
	assert_int_equal(version(f), 7);
	assert_int_equal(fx_swipe(f, "B"), SWIPE_REJECTED); /* kept: A, B */
	assert_int_equal(fx_swipe(f, "C"), SWIPE_AUTHORIZING);
	fx_expect_call(f, "Authorize");
	fx_free(f);
}

/* OCPP 1.6 3.5.3: the CSMS refuses an id tag the list accepts (or accepts
 * one it refuses): StatusNotification connector 0 LocalListConflict, then
 * the real status again; the list is unchanged and the CSMS's answer is
 * what counts for the transaction. */
static void conflict_reported(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	fx_boot(f);
	assert_string_equal(send(f, "Full", 1,
				 "[{'idTag':'A','idTagInfo':{'status':'Accepted'}},"
				 " {'idTag':'B','idTagInfo':{'status':'Blocked'}}]"),
			    "Accepted");
	/* Authorize.conf Invalid for A (LocalPreAuthorize off: asked). */
	assert_int_equal(fx_swipe(f, "A"), SWIPE_AUTHORIZING);
	fx_expect_call(f, "Authorize");
	fx_reply(f, fx_json("{'idTagInfo':{'status':'Invalid'}}"));
	json_t *p = fx_expect_call(f, "StatusNotification");
	assert_int_equal(fx_num(p, "connectorId"), 0);
	assert_string_equal(fx_str(p, "errorCode"), "LocalListConflict");
	assert_string_equal(fx_str(p, "status"), "Available");
	assert_string_equal(fx_str(p, "info"), "id tag A");
	fx_reply(f, json_object());
	p = fx_expect_call(f, "StatusNotification");
	assert_int_equal(fx_num(p, "connectorId"), 0);
	assert_string_equal(fx_str(p, "errorCode"), "NoError");
	fx_reply(f, json_object());
	fx_no_frame(f);
	stored(f, "A", OAS_ACCEPTED);
	assert_int_equal(f->cache_puts, 0);
	/* Agreement: nothing. */
	fx_advance(f, 1000);
	assert_int_equal(fx_swipe(f, "B"), SWIPE_AUTHORIZING);
	fx_expect_call(f, "Authorize");
	fx_reply(f, fx_json("{'idTagInfo':{'status':'Blocked'}}"));
	fx_no_frame(f);
	/* StartTransaction.conf Accepted for B, which the list blocks: the
	 * session goes on (the CSMS decides), the conflict is reported. */
	assert_string_equal(fx_call_status(f, "RemoteStartTransaction", fx_json("{'idTag':'B'}")),
			    "Accepted");
	fx_ack_statuses(f);
	fx_plug(f, 1);
	fx_cp(f, 1, IEC_CP_C);
	int conflicts = 0, starts = 0;
	for (int guard = 0; guard < 10 && f->read < f->nframes; guard++) {
		json_t *j = fx_next(f);
		const char *a = json_string_value(json_array_get(j, 2));
		json_t *q = json_array_get(j, 3);
		if (strcmp(a, "StartTransaction") == 0) {
			starts++;
			fx_reply(f,
				 fx_json("{'transactionId':7,'idTagInfo':{'status':'Accepted'}}"));
			continue;
		}
		assert_string_equal(a, "StatusNotification");
		conflicts += strcmp(fx_str(q, "errorCode"), "LocalListConflict") == 0;
		fx_reply(f, json_object());
	}
	assert_int_equal(starts, 1);
	assert_int_equal(conflicts, 1);
	assert_int_equal(f->nstop, 0);
	stored(f, "B", OAS_BLOCKED);
	fx_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(version_disabled_empty_and_set, fx_teardown),
    cmocka_unit_test_teardown(versions, fx_teardown),
    cmocka_unit_test_teardown(differential_adds_updates_removes, fx_teardown),
    cmocka_unit_test_teardown(bad_input_changes_nothing, fx_teardown),
    cmocka_unit_test_teardown(store_failure_is_failed, fx_teardown),
    cmocka_unit_test_teardown(load_at_start, fx_teardown),
    cmocka_unit_test_teardown(conflict_reported, fx_teardown),
};

VCLOCK_MAIN("ocpp_list", tests)
