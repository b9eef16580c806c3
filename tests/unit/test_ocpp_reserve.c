/* SPDX-License-Identifier: MIT */
/*
 * The Reservation profile of the OCPP engine (C7) under a virtual clock:
 * ReserveNow's answers, the Reserved status, the reservationId in
 * StartTransaction, expiry and CancelReservation as StatusNotifications, the
 * parentIdTag of a card learnt from the Authorize answer, no Authorize for a
 * card that cannot use the reserved connector, connector 0 and
 * ReserveConnectorZeroSupported, remote starts. On the engine fixture
 * (ocpp_fx.h): the tests play the CSMS.
 */
#include <stdio.h>
#include <string.h>

#include "ocpp_fx.h"

static void ack_status(struct fx *f, int conn, const char *status)
{
	json_t *p = fx_expect_call(f, "StatusNotification");
	assert_int_equal(fx_num(p, "connectorId"), conn);
	assert_string_equal(fx_str(p, "status"), status);
	fx_reply(f, json_object());
}

static json_t *reserve_req(int conn, int id, const char *tag, const char *parent,
			   const char *expiry)
{
	json_t *j = json_pack("{s:i, s:s, s:s, s:i}", "connectorId", conn, "expiryDate", expiry,
			      "idTag", tag, "reservationId", id);
	if (parent)
		json_object_set_new(j, "parentIdTag", json_string(parent));
	return j;
}

static const char *reserve_now(struct fx *f, int conn, int id, const char *tag, const char *parent,
			       const char *expiry)
{
	return fx_call_status(f, "ReserveNow", reserve_req(conn, id, tag, parent, expiry));
}

static const char *cancel(struct fx *f, int id)
{
	return fx_call_status(f, "CancelReservation", json_pack("{s:i}", "reservationId", id));
}

/* StartTransaction: check its idTag and reservationId (-1 = absent), answer
 * it with transaction id txid. */
static void expect_start(struct fx *f, const char *tag, int reservation, int txid)
{
	json_t *p = fx_expect_call(f, "StartTransaction");
	assert_string_equal(fx_str(p, "idTag"), tag);
	json_t *r = json_object_get(p, "reservationId");
	if (reservation < 0)
		assert_null(r);
	else
		assert_int_equal(json_integer_value(r), reservation);
	fx_reply(f, json_pack("{s:i, s:{s:s}}", "transactionId", txid, "idTagInfo", "status",
			      "Accepted"));
}

static struct conn_info conn_info(struct fx *f, int c)
{
	struct conn_info ci;
	assert_true(charger_conn_info(f->ch, c, &ci));
	return ci;
}

/* ---- tests -------------------------------------------------------------- */

/* ReserveNow's answer for each request, and what the CSMS then sees. */
static void reserve_now_answers(void **state)
{
	(void)state;
	static const struct {
		const char *profile;
		int conn;
		const char *expiry;
		const char *answer;
		const char *status; /* StatusNotification of conn afterwards, NULL: none */
	} rows[] = {
	    {"io7", 1, "2026-01-01T01:00:00Z", "Accepted", "Reserved"},
	    {"io7", 2, "2026-01-01T01:00:00.250Z", "Accepted", "Reserved"},
	    {"io7", 1, "2026-01-01T02:00:00+01:00", "Accepted", "Reserved"}, /* 01:00Z */
	    {"io7", 1, "2025-12-31T23:30:00-00:45", "Accepted", "Reserved"}, /* 00:15Z */
	    {"io7", 1, "2026-01-01T00:30:00+01:00", "Rejected", NULL},	     /* the past */
	    {"io7", 1, "2026-01-01T00:00:00Z", "Rejected", NULL},	     /* now */
	    {"io7", 3, "2026-01-01T01:00:00Z", "Rejected", NULL},	     /* no such connector */
	    {"io7", -1, "2026-01-01T01:00:00Z", "Rejected", NULL},
	    {"io7", 0, "2026-01-01T01:00:00Z", "Accepted", NULL}, /* two free: none held */
	    {"evplus", 0, "2026-01-01T01:00:00Z", "Accepted", "Reserved"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new(rows[i].profile, NULL);
		fx_boot(f);
		assert_string_equal(reserve_now(f, rows[i].conn, 42, "CARD1", NULL, rows[i].expiry),
				    rows[i].answer);
		if (rows[i].status)
			ack_status(f, rows[i].conn ? rows[i].conn : 1, rows[i].status);
		fx_no_frame(f);
		fx_free(f);
	}
}

/* ReserveConnectorZeroSupported: a read-only key; false: connector 0 is
 * Rejected. ReserveNow before the boot is accepted: SecurityError. */
static void connector_zero_key(void **state)
{
	(void)state;
	static const char *const off[] = {"ReserveConnectorZeroSupported", "false", NULL};
	struct fx *f = fx_new("mq200", off);
	json_t *a = fx_call(f, "ReserveNow", reserve_req(1, 1, "A", NULL, "2026-01-02T00:00:00Z"));
	assert_int_equal(json_integer_value(json_array_get(a, 0)), 4);
	fx_boot(f);
	a = fx_call(f, "GetConfiguration",
		    json_pack("{s:[s]}", "key", "ReserveConnectorZeroSupported"));
	json_t *kv = json_array_get(json_object_get(json_array_get(a, 2), "configurationKey"), 0);
	assert_string_equal(fx_str(kv, "value"), "false");
	assert_true(json_is_true(json_object_get(kv, "readonly")));
	assert_string_equal(
	    fx_call_status(
		f, "ChangeConfiguration",
		json_pack("{s:s, s:s}", "key", "ReserveConnectorZeroSupported", "value", "true")),
	    "Rejected");
	assert_string_equal(reserve_now(f, 0, 1, "CARD1", NULL, "2026-01-01T01:00:00Z"),
			    "Rejected");
	assert_string_equal(reserve_now(f, 1, 1, "CARD1", NULL, "2026-01-01T01:00:00Z"),
			    "Accepted");
	assert_string_equal(conn_info(f, 1).led, "pink"); /* MQ200 9.1: reserved */
	fx_advance(f, 10000);				  /* MinimumStatusDuration */
	ack_status(f, 1, "Reserved");
	fx_no_frame(f);
	fx_free(f);
	f = fx_new("mq200", NULL);
	assert_true(settings_bool(f->s, SET_RESERVE_CONNECTOR_ZERO_SUPPORTED));
	fx_free(f);
}

/* Authorize first with the reserved card, then the EV: StartTransaction
 * carries the reservationId; another card is refused without an Authorize
 * (no connector it could use). */
static void reserved_card_starts_with_reservation_id(void **state)
{
	(void)state;
	struct fx *f = fx_new("evplus", NULL);
	fx_boot(f);
	assert_string_equal(reserve_now(f, 1, 42, "CARD1", NULL, "2026-01-01T01:00:00Z"),
			    "Accepted");
	ack_status(f, 1, "Reserved");
	assert_int_equal(fx_swipe(f, "CARD2"), SWIPE_REJECTED);
	fx_no_frame(f); /* not asked */
	assert_int_equal(fx_swipe(f, "CARD1"), SWIPE_AUTHORIZING);
	assert_string_equal(fx_str(fx_expect_call(f, "Authorize"), "idTag"), "CARD1");
	fx_reply(f, json_pack("{s:{s:s}}", "idTagInfo", "status", "Accepted"));
	ack_status(f, 1, "Preparing");
	fx_plug(f, 1);
	expect_start(f, "CARD1", 42, 7);
	ack_status(f, 1, "SuspendedEV");
	fx_no_frame(f);
	/* Used up: cancelling it now is Rejected. */
	assert_string_equal(cancel(f, 42), "Rejected");
	fx_no_frame(f);
	fx_free(f);
}

/* A card whose parentIdTag (from the Authorize answer, the CSMS asked since
 * the reservation names a group) is the reservation's uses it; a card of
 * another group is refused after its Authorize. */
static void parent_id_tag_from_authorize(void **state)
{
	(void)state;
	static const struct {
		const char *card, *parent;
		bool uses;
	} rows[] = {
	    {"MEMBER1", "FLEET", true},
	    {"MEMBER2", NULL, false},
	    {"OTHER1", "OTHERS", false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = fx_new("evplus", NULL);
		fx_boot(f);
		assert_string_equal(reserve_now(f, 1, 42, "OWNER", "FLEET", "2026-01-01T01:00:00Z"),
				    "Accepted");
		ack_status(f, 1, "Reserved");
		fx_plug(f, 1);
		assert_int_equal(fx_swipe(f, rows[i].card), SWIPE_AUTHORIZING);
		assert_string_equal(fx_str(fx_expect_call(f, "Authorize"), "idTag"), rows[i].card);
		json_t *info = json_pack("{s:s}", "status", "Accepted");
		if (rows[i].parent)
			json_object_set_new(info, "parentIdTag", json_string(rows[i].parent));
		fx_reply(f, json_pack("{s:o}", "idTagInfo", info));
		if (rows[i].uses) {
			ack_status(f, 1, "Preparing"); /* the socket locks first */
			expect_start(f, rows[i].card, 42, 9);
			ack_status(f, 1, "SuspendedEV");
		} else {
			struct conn_info ci;
			assert_true(charger_conn_info(f->ch, 1, &ci));
			assert_false(ci.in_session);
			assert_int_equal(ci.status, CS_RESERVED);
		}
		fx_no_frame(f);
		fx_free(f);
	}
}

/* Expiry and CancelReservation: the connector is reported Available; the
 * next session carries no reservationId. */
static void expiry_and_cancel_report_available(void **state)
{
	(void)state;
	struct fx *f = fx_new("io7", NULL);
	fx_boot(f);
	assert_string_equal(reserve_now(f, 1, 42, "CARD1", NULL, "2026-01-01T00:10:00Z"),
			    "Accepted");
	ack_status(f, 1, "Reserved");
	assert_string_equal(reserve_now(f, 2, 43, "CARD1", NULL, "2026-01-01T01:00:00Z"),
			    "Accepted");
	ack_status(f, 2, "Reserved");
	fx_advance(f, 599000);
	fx_no_frame(f);
	fx_advance(f, 1000);
	ack_status(f, 1, "Available");
	fx_no_frame(f);
	assert_string_equal(cancel(f, 42), "Rejected");
	fx_no_frame(f);
	assert_string_equal(cancel(f, 43), "Accepted");
	ack_status(f, 2, "Available");
	fx_no_frame(f);
	/* The same id again: a new reservation. */
	assert_string_equal(reserve_now(f, 2, 43, "CARD1", NULL, "2026-01-01T01:00:00Z"),
			    "Accepted");
	ack_status(f, 2, "Reserved");
	assert_string_equal(
	    fx_call_status(f, "RemoteStartTransaction", json_pack("{s:s}", "idTag", "APP1")),
	    "Accepted");
	ack_status(f, 1, "Preparing"); /* the only connector APP1 may use */
	fx_plug(f, 1);
	expect_start(f, "APP1", -1, 11);
	fx_free(f);
}

/* RemoteStartTransaction for a reserved connector: the reserved id tag
 * starts with the reservation; another id tag is Rejected (also when the
 * CSMS wants it authorized first). */
static void remote_start_on_reserved_connector(void **state)
{
	(void)state;
	static const struct {
		const char *authorize_first, *tag;
		int conn; /* connectorId, -1 = absent */
		const char *answer;
		int reservation; /* in StartTransaction, 0: no start */
	} rows[] = {
	    {"false", "APP1", 1, "Accepted", 42}, {"false", "APP1", -1, "Accepted", 42},
	    {"false", "APP2", 1, "Rejected", 0},  {"false", "APP2", -1, "Rejected", 0},
	    {"true", "APP2", 1, "Rejected", 0},	  {"true", "APP2", -1, "Rejected", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *sets[] = {"AuthorizeRemoteTxRequests", rows[i].authorize_first, NULL};
		struct fx *f = fx_new("evplus", sets);
		fx_boot(f);
		assert_string_equal(reserve_now(f, 1, 42, "APP1", NULL, "2026-01-01T01:00:00Z"),
				    "Accepted");
		ack_status(f, 1, "Reserved");
		fx_plug(f, 1);
		json_t *req = json_pack("{s:s}", "idTag", rows[i].tag);
		if (rows[i].conn >= 0)
			json_object_set_new(req, "connectorId", json_integer(rows[i].conn));
		assert_string_equal(fx_call_status(f, "RemoteStartTransaction", req),
				    rows[i].answer);
		if (rows[i].reservation) {
			ack_status(f, 1, "Preparing"); /* the socket locks first */
			expect_start(f, rows[i].tag, rows[i].reservation, 5);
			ack_status(f, 1, "SuspendedEV");
		}
		fx_no_frame(f);
		fx_free(f);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(reserve_now_answers, fx_teardown),
    cmocka_unit_test_teardown(connector_zero_key, fx_teardown),
    cmocka_unit_test_teardown(reserved_card_starts_with_reservation_id, fx_teardown),
    cmocka_unit_test_teardown(parent_id_tag_from_authorize, fx_teardown),
    cmocka_unit_test_teardown(expiry_and_cancel_report_available, fx_teardown),
    cmocka_unit_test_teardown(remote_start_on_reserved_connector, fx_teardown),
};

VCLOCK_MAIN("ocpp_reserve", tests)
