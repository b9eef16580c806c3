/* SPDX-License-Identifier: MIT */
/*
 * The Smart Charging profile of the OCPP engine (C8) on the engine fixture
 * (ocpp_fx.h), the tests playing the CSMS: SetChargingProfile's answers to
 * good and bad profiles (Rejected or the CALLERROR, and nothing stored),
 * replacement, ClearChargingProfile, GetCompositeSchedule's message, the
 * charger's offer following the schedule minute by minute (LIM_SCHEDULE, a
 * deadline at each change), the TxProfile of a RemoteStartTransaction, which
 * ends with its transaction, and profiles loaded from the store at start.
 * The MQ200 profile (one connector, 240 V single phase, no local policy in
 * the way).
 */
#include <stdio.h>
#include <string.h>

#include "ocpp_fx.h"

/* Remote starts without an Authorize first (the MQ200 asks by default), no
 * sampled meter values. */
static const char *const no_auth[] = {"AuthorizeRemoteTxRequests", "false",
				      "MeterValueSampleInterval", "0", NULL};

/* A profile as JSON, single quotes for double. */
static json_t *set_req(int conn, const char *profile)
{
	return json_pack("{s:i, s:o}", "connectorId", conn, "csChargingProfiles", fx_json(profile));
}

#define CPMAX_16                                                                                   \
	"{'chargingProfileId':1,'stackLevel':0,'chargingProfilePurpose':'ChargePointMaxProfile',"  \
	"'chargingProfileKind':'Absolute','chargingSchedule':{'startSchedule':"                    \
	"'2026-01-01T00:00:00Z','chargingRateUnit':'A','chargingSchedulePeriod':"                  \
	"[{'startPeriod':0,'limit':16}]}}"

struct set_row {
	const char *what;
	int conn;
	const char *profile;
	const char *answer; /* a status, or a CALLERROR code */
	int stored;	    /* profiles stored after it */
};

/* Periods 0, 60, ..., 60 * (n - 1) as JSON text. */
static void periods(char *buf, size_t len, int n)
{
	size_t k = (size_t)snprintf(buf, len, "[");
	for (int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s{'startPeriod':%d,'limit':10}",
				      i ? "," : "", i * 60);
	if (k < len)
		snprintf(buf + k, len - k, "]");
}

static void set_answers(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"a good ChargePointMaxProfile", 0, CPMAX_16, "Accepted", 1},
	    {"ChargePointMaxProfile on connector 1", 1, CPMAX_16, "Rejected", 0},
	    {"connector 2 of 1", 2,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "Rejected", 0},
	    {"stack level above ChargeProfileMaxStackLevel", 1,
	     "{'chargingProfileId':2,'stackLevel':100,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "Rejected", 0},
	    {"startPeriod not increasing", 1,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10},{'startPeriod':600,"
	     "'limit':8},{'startPeriod':300,'limit':6}]}}",
	     "Rejected", 0},
	    {"first period not at 0", 1,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':60,'limit':10}]}}",
	     "Rejected", 0},
	    {"negative limit", 1,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':-6}]}}",
	     "Rejected", 0},
	    {"limit not a multiple of 0.1", 1,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10.05}]}}",
	     "PropertyConstraintViolation", 0},
	    {"unknown unit", 1,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'kW',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "PropertyConstraintViolation", 0},
	    {"no stackLevel", 1,
	     "{'chargingProfileId':2,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':'A',"
	     "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "OccurenceConstraintViolation", 0},
	    {"TxProfile without a transaction (TC_058_1)", 1,
	     "{'chargingProfileId':2,'transactionId':5,'stackLevel':0,'chargingProfilePurpose':"
	     "'TxProfile','chargingProfileKind':'Relative','chargingSchedule':{'chargingRateUnit':"
	     "'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "Rejected", 0},
	    {"recurring without startSchedule", 0,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Recurring','recurrencyKind':'Daily','chargingSchedule':"
	     "{'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "Rejected", 0},
	    {"an unreadable validTo", 0,
	     "{'chargingProfileId':2,'stackLevel':0,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Relative','validTo':'2026-13-01T00:00:00Z','chargingSchedule':"
	     "{'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}",
	     "PropertyConstraintViolation", 0},
	    {"a W profile", 0,
	     "{'chargingProfileId':3,'stackLevel':2,'chargingProfilePurpose':'TxDefaultProfile',"
	     "'chargingProfileKind':'Recurring','recurrencyKind':'Weekly','chargingSchedule':"
	     "{'startSchedule':'2026-01-05T08:00:00Z','duration':3600,'chargingRateUnit':'W',"
	     "'minChargingRate':1440,'chargingSchedulePeriod':[{'startPeriod':0,'limit':7200,"
	     "'numberPhases':1}]}}",
	     "Accepted", 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("mq200", NULL);
		fx_boot(f);
		json_t *ans =
		    fx_call(f, "SetChargingProfile", set_req(rows[i].conn, rows[i].profile));
		const char *got = json_integer_value(json_array_get(ans, 0)) == 3
				      ? fx_str(json_array_get(ans, 2), "status")
				      : json_string_value(json_array_get(ans, 2));
		if (strcmp(got, rows[i].answer) != 0 || f->nprof != rows[i].stored ||
		    ocpp_profile_count(f->o) != rows[i].stored)
			fail_msg("%s: %s, %d stored; expected %s, %d", rows[i].what, got, f->nprof,
				 rows[i].answer, rows[i].stored);
		fx_no_frame(f);
		fx_free(f);
	}
}

static void set_limits_of_the_charger(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	fx_boot(f);
	char prof[4096], per[3000];
	/* ChargingScheduleMaxPeriods (32): 32 periods are taken, 33 are not. */
	for (int n = 32; n <= 33; n++) {
		periods(per, sizeof per, n);
		snprintf(prof, sizeof prof,
			 "{'chargingProfileId':%d,'stackLevel':0,'chargingProfilePurpose':"
			 "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':{"
			 "'chargingRateUnit':'A','chargingSchedulePeriod':%s}}",
			 n, per);
		assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, prof)),
				    n == 32 ? "Accepted" : "Rejected");
	}
	assert_int_equal(f->nprof, 1);
	/* MaxChargingProfilesInstalled (10): stack levels 1-9 fill it. */
	for (int lvl = 1; lvl <= 10; lvl++) {
		snprintf(prof, sizeof prof,
			 "{'chargingProfileId':%d,'stackLevel':%d,'chargingProfilePurpose':"
			 "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':{"
			 "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
			 "'limit':10}]}}",
			 100 + lvl, lvl);
		assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, prof)),
				    lvl < 10 ? "Accepted" : "Rejected");
	}
	assert_int_equal(f->nprof, 10);
	/* A replacement still fits; a failed store write changes nothing. */
	snprintf(
	    prof, sizeof prof,
	    "{'chargingProfileId':200,'stackLevel':9,'chargingProfilePurpose':"
	    "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':{"
	    "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,'limit':12}]}}");
	f->prof_fails = true;
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, prof)), "Rejected");
	assert_int_equal(ocpp_profile_count(f->o), 10);
	f->prof_fails = false;
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, prof)), "Accepted");
	assert_int_equal(f->nprof, 10);
	assert_int_equal(ocpp_profile_count(f->o), 10);
	fx_free(f);
}

static void clear_answers(void **state)
{
	(void)state;
	static const struct {
		const char *req;
		const char *answer;
		int left;
	} rows[] = {
	    {"{'id':99}", "Unknown", 3},
	    {"{'id':2}", "Accepted", 2},
	    {"{'id':2}", "Unknown", 2},
	    {"{'connectorId':1,'stackLevel':5}", "Unknown", 2},
	    {"{'chargingProfilePurpose':'ChargePointMaxProfile'}", "Accepted", 1},
	    {"{'connectorId':7}", "Unknown", 1},
	    {"{}", "Accepted", 0},
	    {"{}", "Unknown", 0},
	};
	struct fx *f = fx_new("mq200", NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, CPMAX_16)),
			    "Accepted");
	for (int id = 2; id <= 3; id++) {
		char prof[512];
		snprintf(prof, sizeof prof,
			 "{'chargingProfileId':%d,'stackLevel':%d,'chargingProfilePurpose':"
			 "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':{"
			 "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
			 "'limit':10}]}}",
			 id, id);
		assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(1, prof)),
				    "Accepted");
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = fx_call_status(f, "ClearChargingProfile", fx_json(rows[i].req));
		if (strcmp(got, rows[i].answer) != 0 || f->nprof != rows[i].left ||
		    ocpp_profile_count(f->o) != rows[i].left)
			fail_msg("%s: %s, %d left; expected %s, %d", rows[i].req, got, f->nprof,
				 rows[i].answer, rows[i].left);
	}
	fx_free(f);
}

/* The installer's local clear (ocpp_profiles_clear): every profile, through
 * the store first; a failed write changes nothing; nothing left, no write. */
static void local_clear(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, CPMAX_16)),
			    "Accepted");
	assert_string_equal(
	    fx_call_status(f, "SetChargingProfile",
			   set_req(1,
				   "{'chargingProfileId':2,'stackLevel':1,'chargingProfilePurpose':"
				   "'TxDefaultProfile','chargingProfileKind':'Relative',"
				   "'chargingSchedule':{'chargingRateUnit':'A',"
				   "'chargingSchedulePeriod':[{'startPeriod':0,'limit':10}]}}")),
	    "Accepted");
	assert_int_equal(f->nprof, 2);
	char why[200] = "";
	f->prof_fails = true;
	assert_int_equal(ocpp_profiles_clear(f->o, f->now, why, sizeof why), -1);
	assert_string_equal(why, "the charging profiles could not be removed");
	assert_int_equal(ocpp_profile_count(f->o), 2);
	f->prof_fails = false;
	assert_int_equal(f->nprof, 2);
	assert_int_equal(ocpp_profiles_clear(f->o, f->now, why, sizeof why), 2);
	assert_int_equal(ocpp_profile_count(f->o), 0);
	assert_int_equal(f->nprof, 0);
	int writes = f->prof_writes;
	assert_int_equal(ocpp_profiles_clear(f->o, f->now, why, sizeof why), 0);
	assert_int_equal(f->prof_writes, writes);
	fx_free(f);
}

/* Start a session by RemoteStartTransaction on the plugged connector 1 with
 * an optional chargingProfile; the StartTransaction gets transactionId 5. */
static void remote_session(struct fx *f, const char *profile, const char *answer)
{
	fx_plug(f, 1);
	fx_ack_statuses(f);
	json_t *req = json_pack("{s:i, s:s}", "connectorId", 1, "idTag", "CARD1");
	if (profile)
		json_object_set_new(req, "chargingProfile", fx_json(profile));
	assert_string_equal(fx_call_status(f, "RemoteStartTransaction", req), answer);
	if (strcmp(answer, "Accepted") != 0)
		return;
	fx_expect_call(f, "StartTransaction");
	fx_reply(
	    f, json_pack("{s:i, s:{s:s}}", "transactionId", 5, "idTagInfo", "status", "Accepted"));
	fx_cp(f, 1, IEC_CP_C);
	fx_ack_statuses(f);
}

static struct conn_info info1(struct fx *f)
{
	struct conn_info ci;
	assert_true(charger_conn_info(f->ch, 1, &ci));
	return ci;
}

/* The EV's offer follows a TxDefaultProfile minute by minute, and a
 * TxProfile for the transaction over it until the transaction ends. */
static void charger_follows_the_schedule(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", no_auth);
	fx_boot(f);
	assert_string_equal(
	    fx_call_status(
		f, "SetChargingProfile",
		set_req(0, "{'chargingProfileId':1,'stackLevel':0,'chargingProfilePurpose':"
			   "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':"
			   "{'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
			   "'limit':10},{'startPeriod':60,'limit':8},{'startPeriod':120,"
			   "'limit':4},{'startPeriod':180,'limit':12}]}}")),
	    "Accepted");
	remote_session(f, NULL, "Accepted");
	static const struct {
		int64_t at_s;
		double amps;
		enum limit_src src;
	} steps[] = {{0, 10, LIM_SCHEDULE},
		     {59, 10, LIM_SCHEDULE},
		     {60, 8, LIM_SCHEDULE},
		     {120, 0, LIM_SCHEDULE},
		     {180, 12, LIM_SCHEDULE}};
	int64_t t0 = f->now;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		fx_advance(f, t0 + steps[i].at_s * 1000 - f->now);
		fx_ack_statuses(f);
		struct conn_info ci = info1(f);
		if (ci.offered_a != steps[i].amps || ci.limit != steps[i].src)
			fail_msg("at %lld s: %.1f A (%s), expected %.1f A (%s)",
				 (long long)steps[i].at_s, ci.offered_a, limit_src_name(ci.limit),
				 steps[i].amps, limit_src_name(steps[i].src));
	}
	/* A TxProfile for transaction 5 wins over the TxDefaultProfile. */
	assert_string_equal(
	    fx_call_status(
		f, "SetChargingProfile",
		set_req(1, "{'chargingProfileId':9,'transactionId':5,'stackLevel':0,"
			   "'chargingProfilePurpose':'TxProfile','chargingProfileKind':'Relative',"
			   "'chargingSchedule':{'chargingRateUnit':'A','chargingSchedulePeriod':"
			   "[{'startPeriod':0,'limit':7}]}}")),
	    "Accepted");
	assert_true(info1(f).offered_a == 7);
	assert_int_equal(f->nprof, 1); /* a TxProfile is not persisted */
	/* Its transaction ends: the TxProfile goes. */
	assert_string_equal(
	    fx_call_status(f, "RemoteStopTransaction", json_pack("{s:i}", "transactionId", 5)),
	    "Accepted");
	assert_int_equal(ocpp_profile_count(f->o), 1);
	fx_free(f);
}

static void remote_start_with_a_profile(void **state)
{
	(void)state;
	/* Not a TxProfile (TC_060): Rejected, nothing starts. */
	struct fx *f = fx_new("mq200", no_auth);
	fx_boot(f);
	remote_session(f,
		       "{'chargingProfileId':4,'stackLevel':0,'chargingProfilePurpose':"
		       "'TxDefaultProfile','chargingProfileKind':'Relative','chargingSchedule':{"
		       "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
		       "'limit':6}]}}",
		       "Rejected");
	assert_int_equal(f->nstart, 0);
	assert_int_equal(ocpp_profile_count(f->o), 0);
	fx_free(f);
	/* A TxProfile (TC_059): installed when the session begins. */
	f = fx_new("mq200", no_auth);
	fx_boot(f);
	remote_session(f,
		       "{'chargingProfileId':4,'stackLevel':0,'chargingProfilePurpose':"
		       "'TxProfile','chargingProfileKind':'Relative','chargingSchedule':{"
		       "'chargingRateUnit':'A','chargingSchedulePeriod':[{'startPeriod':0,"
		       "'limit':6}]}}",
		       "Accepted");
	assert_int_equal(ocpp_profile_count(f->o), 1);
	assert_true(info1(f).offered_a == 6);
	assert_int_equal(info1(f).limit, LIM_SCHEDULE);
	json_t *c = fx_call_ok(f, "GetCompositeSchedule",
			       fx_json("{'connectorId':1,'duration':300,'chargingRateUnit':'A'}"));
	assert_string_equal(fx_str(c, "status"), "Accepted");
	json_t *sch = json_object_get(c, "chargingSchedule");
	assert_int_equal(fx_num(sch, "duration"), 300);
	json_t *p0 = json_array_get(json_object_get(sch, "chargingSchedulePeriod"), 0);
	assert_true(json_number_value(json_object_get(p0, "limit")) == 6.0);
	assert_int_equal(json_array_size(json_object_get(sch, "chargingSchedulePeriod")), 1);
	fx_free(f);
}

static void composite_message(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, CPMAX_16)),
			    "Accepted");
	static const struct {
		const char *req;
		const char *answer; /* the whole answer, keys in the engine's order */
	} rows[] = {
	    {"{'connectorId':1,'duration':600}",
	     "{\"status\": \"Accepted\", \"connectorId\": 1, \"scheduleStart\": "
	     "\"2026-01-01T00:00:00Z\", \"chargingSchedule\": {\"duration\": 600, "
	     "\"startSchedule\": \"2026-01-01T00:00:00Z\", \"chargingRateUnit\": \"A\", "
	     "\"chargingSchedulePeriod\": [{\"startPeriod\": 0, \"limit\": 16.0}]}}"},
	    {"{'connectorId':0,'duration':60,'chargingRateUnit':'W'}",
	     "{\"status\": \"Accepted\", \"connectorId\": 0, \"scheduleStart\": "
	     "\"2026-01-01T00:00:00Z\", \"chargingSchedule\": {\"duration\": 60, "
	     "\"startSchedule\": \"2026-01-01T00:00:00Z\", \"chargingRateUnit\": \"W\", "
	     "\"chargingSchedulePeriod\": [{\"startPeriod\": 0, \"limit\": 3840.0}]}}"},
	    {"{'connectorId':2,'duration':60}", "{\"status\": \"Rejected\"}"},
	    {"{'connectorId':1,'duration':-1}", "{\"status\": \"Rejected\"}"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		json_t *c = fx_call_ok(f, "GetCompositeSchedule", fx_json(rows[i].req));
		char *text = json_dumps(c, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
		if (strcmp(text, rows[i].answer) != 0)
			fail_msg("%s: %s", rows[i].req, text);
		free(text);
	}
	fx_free(f);
}

/* What profiles_write stored is what ocpp_profile_load takes back. */
static void stored_profiles_come_back(void **state)
{
	(void)state;
	struct fx *f = fx_new("mq200", NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "SetChargingProfile", set_req(0, CPMAX_16)),
			    "Accepted");
	assert_int_equal(f->nprof, 1);
	char json[2048];
	snprintf(json, sizeof json, "%s", f->prof[0].json);
	int conn = f->prof[0].conn;
	fx_free(f);
	f = fx_new("mq200", NULL);
	assert_true(ocpp_profile_load(f->o, conn, json));
	assert_false(ocpp_profile_load(f->o, conn, "{\"chargingProfileId\":1}"));
	assert_false(ocpp_profile_load(f->o, conn, "not JSON"));
	assert_false(ocpp_profile_load(f->o, 5, json));
	assert_int_equal(ocpp_profile_count(f->o), 1);
	fx_boot(f);
	json_t *c =
	    fx_call_ok(f, "GetCompositeSchedule", fx_json("{'connectorId':0,'duration':60}"));
	json_t *p0 = json_array_get(
	    json_object_get(json_object_get(c, "chargingSchedule"), "chargingSchedulePeriod"), 0);
	assert_true(json_number_value(json_object_get(p0, "limit")) == 16.0);
	fx_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(set_answers, fx_teardown),
    cmocka_unit_test_teardown(set_limits_of_the_charger, fx_teardown),
    cmocka_unit_test_teardown(clear_answers, fx_teardown),
    cmocka_unit_test_teardown(local_clear, fx_teardown),
    cmocka_unit_test_teardown(charger_follows_the_schedule, fx_teardown),
    cmocka_unit_test_teardown(remote_start_with_a_profile, fx_teardown),
    cmocka_unit_test_teardown(composite_message, fx_teardown),
    cmocka_unit_test_teardown(stored_profiles_come_back, fx_teardown),
};

VCLOCK_MAIN("ocpp_smart", tests)
