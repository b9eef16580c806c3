/* SPDX-License-Identifier: MIT */
/*
 * Remote Trigger (C9) through the engine: every requestedMessage, with and
 * without connectorId, after the TriggerMessage.conf; Rejected for a
 * connector that does not exist (and for MeterValues of connector 0, which
 * has no meter); a connectorId that does not matter to the message is
 * ignored; StatusNotification sent although unchanged; MeterValues with
 * context Trigger; BootNotification again while accepted (its answer
 * handled, nothing else resent); while the boot is Pending the triggered
 * messages go out and nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "ocpp_fx.h"

static const char *trigger(struct fx *f, const char *what, int conn)
{
	json_t *p = json_pack("{s:s}", "requestedMessage", what);
	if (conn >= 0)
		json_object_set_new(p, "connectorId", json_integer(conn));
	return fx_call_status(f, "TriggerMessage", p);
}

/* The messages each request causes (io7: connectors 1 and 2), in order. */
static void each_message(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		int conn; /* -1: none given */
		const char *status;
		const char *action; /* what follows, NULL: nothing */
		int n;		    /* how many */
		int first_conn;	    /* connectorId of the first, -1: none */
	} rows[] = {
	    {"BootNotification", -1, "Accepted", "BootNotification", 1, -1},
	    {"BootNotification", 7, "Accepted", "BootNotification", 1, -1}, /* ignored */
	    {"DiagnosticsStatusNotification", -1, "Accepted", "DiagnosticsStatusNotification", 1,
	     -1},
	    {"FirmwareStatusNotification", 1, "Accepted", "FirmwareStatusNotification", 1, -1},
	    {"Heartbeat", -1, "Accepted", "Heartbeat", 1, -1},
	    {"Heartbeat", 0, "Accepted", "Heartbeat", 1, -1},
	    {"MeterValues", -1, "Accepted", "MeterValues", 2, 1},
	    {"MeterValues", 2, "Accepted", "MeterValues", 1, 2},
	    {"MeterValues", 0, "Rejected", NULL, 0, -1},
	    {"MeterValues", 3, "Rejected", NULL, 0, -1}, /* TC_055: NumberOfConnectors + 1 */
	    {"StatusNotification", -1, "Accepted", "StatusNotification", 3, 0},
	    {"StatusNotification", 0, "Accepted", "StatusNotification", 1, 0},
	    {"StatusNotification", 2, "Accepted", "StatusNotification", 1, 2},
	    {"StatusNotification", 3, "Rejected", NULL, 0, -1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("io7", NULL);
		fx_boot(f);
		fx_advance(f, 5000);
		const char *st = trigger(f, rows[i].what, rows[i].conn);
		if (strcmp(st, rows[i].status) != 0)
			fail_msg("row %zu (%s %d): %s", i, rows[i].what, rows[i].conn, st);
		for (int k = 0; k < rows[i].n; k++) {
			json_t *p = fx_expect_call(f, rows[i].action);
			if (rows[i].first_conn >= 0)
				assert_int_equal(fx_num(p, "connectorId"), rows[i].first_conn + k);
			if (strcmp(rows[i].action, "DiagnosticsStatusNotification") == 0 ||
			    strcmp(rows[i].action, "FirmwareStatusNotification") == 0)
				assert_string_equal(fx_str(p, "status"), "Idle");
			if (strcmp(rows[i].action, "StatusNotification") == 0) {
				assert_string_equal(fx_str(p, "status"), "Available");
				assert_string_equal(fx_str(p, "timestamp"), "2026-01-01T00:00:05Z");
			}
			if (strcmp(rows[i].action, "BootNotification") == 0) {
				assert_string_equal(fx_str(p, "chargePointModel"), "io7");
				fx_reply(f, fx_json("{'status':'Accepted','currentTime':"
						    "'2026-01-01T00:00:05Z','interval':600}"));
			} else if (strcmp(rows[i].action, "Heartbeat") == 0) {
				fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:00:05Z'}"));
			} else {
				fx_reply(f, json_object());
			}
		}
		/* A triggered boot changes the interval, and resends nothing. */
		fx_no_frame(f);
		assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
		fx_free(f);
	}
}

/* MeterValues: the sampled measurands, context Trigger, the transactionId
 * of a running transaction. */
static void meter_values_content(void **state)
{
	(void)state;
	const char *sets[] = {"MeterValuesSampledData",
			      "Energy.Active.Import.Register,Current.Offered", NULL};
	struct fx *f = fx_new("evplus", sets);
	fx_boot(f);
	assert_string_equal(
	    fx_call_status(f, "RemoteStartTransaction", fx_json("{'idTag':'T1','connectorId':1}")),
	    "Accepted");
	fx_plug(f, 1);
	for (int guard = 0; guard < 8 && f->read < f->nframes; guard++) {
		json_t *j = fx_next(f);
		if (strcmp(json_string_value(json_array_get(j, 2)), "StartTransaction") == 0)
			fx_reply(f,
				 fx_json("{'transactionId':42,'idTagInfo':{'status':'Accepted'}}"));
		else
			fx_reply(f, json_object());
	}
	assert_string_equal(trigger(f, "MeterValues", 1), "Accepted");
	json_t *p = fx_expect_call(f, "MeterValues");
	assert_int_equal(fx_num(p, "connectorId"), 1);
	assert_int_equal(fx_num(p, "transactionId"), 42);
	json_t *sv =
	    json_object_get(json_array_get(json_object_get(p, "meterValue"), 0), "sampledValue");
	assert_int_equal(json_array_size(sv), 2);
	assert_string_equal(fx_str(json_array_get(sv, 0), "measurand"),
			    "Energy.Active.Import.Register");
	assert_string_equal(fx_str(json_array_get(sv, 1), "measurand"), "Current.Offered");
	for (size_t k = 0; k < 2; k++)
		assert_string_equal(fx_str(json_array_get(sv, k), "context"), "Trigger");
	fx_reply(f, json_object());
	fx_no_frame(f);
	fx_free(f);
}

/* A StatusNotification is sent although the CSMS knows it, and although
 * MinimumStatusDuration has not passed; it is then not sent twice. */
static void status_sent_unchanged_and_early(void **state)
{
	(void)state;
	const char *sets[] = {"MinimumStatusDuration", "30", NULL};
	struct fx *f = fx_new("evplus", sets);
	fx_boot(f);
	fx_plug(f, 1); /* Preparing, due in 30 s */
	fx_no_frame(f);
	assert_string_equal(trigger(f, "StatusNotification", 1), "Accepted");
	assert_string_equal(fx_str(fx_expect_call(f, "StatusNotification"), "status"), "Preparing");
	fx_reply(f, json_object());
	fx_advance(f, 40000);
	fx_no_frame(f);
	assert_string_equal(trigger(f, "StatusNotification", 1), "Accepted");
	assert_string_equal(fx_str(fx_expect_call(f, "StatusNotification"), "status"), "Preparing");
	fx_reply(f, json_object());
	fx_no_frame(f);
	fx_free(f);
}

/* Pending: TriggerMessage is answered and its message sent; nothing else
 * goes out until the boot is accepted (a triggered BootNotification may do
 * that). */
static void while_pending(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	fx_boot_pending(f);
	assert_string_equal(trigger(f, "StatusNotification", -1), "Accepted");
	for (int c = 0; c <= 1; c++) {
		json_t *p = fx_expect_call(f, "StatusNotification");
		assert_int_equal(fx_num(p, "connectorId"), c);
		fx_reply(f, json_object());
	}
	assert_string_equal(trigger(f, "Heartbeat", -1), "Accepted");
	fx_expect_call(f, "Heartbeat");
	fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:00:00Z'}"));
	fx_no_frame(f);
	assert_int_equal(ocpp_state(f->o).boot, OB_PENDING);
	/* What is not triggered waits. */
	fx_plug(f, 1);
	fx_no_frame(f);
	assert_string_equal(trigger(f, "BootNotification", -1), "Accepted");
	fx_expect_call(f, "BootNotification");
	fx_reply(f, fx_json("{'status':'Accepted','currentTime':'2026-01-01T00:00:00Z',"
			    "'interval':300}"));
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
	/* Accepted: every status, as after any boot. */
	assert_int_equal(fx_ack_statuses(f), 2);
	fx_free(f);
}

/* A triggered message not sent when the connection goes is dropped; a
 * triggered BootNotification that fails leaves the boot accepted. */
static void lost_connection_and_failure(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	fx_boot(f);
	assert_string_equal(trigger(f, "BootNotification", -1), "Accepted");
	fx_expect_call(f, "BootNotification");
	json_t *err = json_pack("[i, s, s, s, {}]", 4, f->last_call_id, "InternalError", "x");
	char *t = json_dumps(err, JSON_COMPACT);
	json_decref(err);
	ocpp_on_frame(f->o, f->now, t, strlen(t));
	free(t);
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
	fx_no_frame(f);
	/* Two connectors' worth queued behind an unanswered message, then the
	 * connection goes: nothing of it comes back. */
	assert_string_equal(trigger(f, "Heartbeat", -1), "Accepted");
	fx_expect_call(f, "Heartbeat");
	assert_string_equal(trigger(f, "DiagnosticsStatusNotification", -1), "Accepted");
	ocpp_on_disconnected(f->o, f->now);
	ocpp_on_connected(f->o, f->now);
	fx_no_frame(f);
	assert_int_equal(ocpp_state(f->o).boot, OB_ACCEPTED);
	fx_free(f);
}

/* More triggered messages than the volatile queue holds: Rejected, before
 * anything is queued. */
static void queue_full_rejected(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	fx_boot(f);
	assert_string_equal(trigger(f, "Heartbeat", -1), "Accepted");
	fx_expect_call(f, "Heartbeat"); /* left unanswered: the rest waits */
	int accepted = 0;
	for (int i = 0; i < 40; i++)
		accepted += strcmp(trigger(f, "MeterValues", -1), "Accepted") == 0;
	assert_int_equal(accepted, 16); /* 32 places, 2 connectors each */
	fx_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(each_message, fx_teardown),
    cmocka_unit_test_teardown(meter_values_content, fx_teardown),
    cmocka_unit_test_teardown(status_sent_unchanged_and_early, fx_teardown),
    cmocka_unit_test_teardown(while_pending, fx_teardown),
    cmocka_unit_test_teardown(lost_connection_and_failure, fx_teardown),
    cmocka_unit_test_teardown(queue_full_rejected, fx_teardown),
};

VCLOCK_MAIN("ocpp_trigger", tests)
