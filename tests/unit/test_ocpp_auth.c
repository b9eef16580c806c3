/* SPDX-License-Identifier: MIT */
/*
 * The authorization decision table of the OCPP engine (B3, B4, C6), row by
 * row through the real engine and charger: what the Local Authorization
 * List and the cache hold for an id tag (status, expiry, the list or the
 * cache disabled) x online / offline x LocalPreAuthorize,
 * LocalAuthorizeOffline, AllowOfflineTxForUnknownId -> the card is accepted
 * at once, refused at once, or asked about (Authorize.req). The same table
 * serves RemoteStartTransaction with AuthorizeRemoteTxRequests and the
 * fallback of an Authorize.req left unanswered; the list's id tags never
 * enter the cache.
 */
#include <stdio.h>
#include <string.h>

#include "ocpp_fx.h"

#define PAST   (FX_T0 - 60)
#define FUTURE (FX_T0 + 86400)

/* What the list or the cache holds for TAG1. */
enum held { NONE, ACC, ACC_EXPIRED, BLOCKED, INVALID, STATUS_EXPIRED, CONCURRENT };
enum link { OFFLINE, ONLINE, PENDING };
enum want { ACCEPT, REFUSE, ASK };

struct row {
	const char *what;
	enum held list;
	bool list_off; /* LocalAuthListEnabled false */
	enum held cache;
	bool cache_off; /* AuthorizationCacheEnabled false */
	enum link link;
	bool pre, offline, unknown; /* LocalPreAuthorize, LocalAuthorizeOffline,
				       AllowOfflineTxForUnknownId */
	enum want want;
};

static enum ocpp_auth_status status_of(enum held h)
{
	switch (h) {
	case BLOCKED:
		return OAS_BLOCKED;
	case INVALID:
		return OAS_INVALID;
	case STATUS_EXPIRED:
		return OAS_EXPIRED;
	case CONCURRENT:
		return OAS_CONCURRENT_TX;
	default:
		return OAS_ACCEPTED;
	}
}

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

/* The charger and engine of a row, TAG1 held as the row says. */
static struct fx *row_fx(const struct row *r, const char *extra_key, const char *extra_value)
{
	const char *sets[] = {"LocalPreAuthorize",
			      tf(r->pre),
			      "LocalAuthorizeOffline",
			      tf(r->offline),
			      "AllowOfflineTxForUnknownId",
			      tf(r->unknown),
			      "AuthorizationCacheEnabled",
			      tf(!r->cache_off),
			      "LocalAuthListEnabled",
			      tf(!r->list_off),
			      extra_key,
			      extra_value,
			      NULL};
	struct fx *f = fx_new("evplus", sets);
	if (r->list != NONE) {
		struct ocpp_list_entry e;
		memset(&e, 0, sizeof e);
		snprintf(e.id_tag, sizeof e.id_tag, "TAG1");
		e.status = status_of(r->list);
		e.expiry_utc = r->list == ACC_EXPIRED ? PAST : FUTURE;
		assert_true(ocpp_list_load(f->o, &e, 1, 3));
	}
	if (r->cache != NONE)
		fx_cache_load(f, "tag1", status_of(r->cache), r->cache == ACC_EXPIRED ? PAST : 0);
	if (r->link == ONLINE)
		fx_boot(f);
	else if (r->link == PENDING)
		fx_boot_pending(f);
	return f;
}

static void row_fail(const struct row *r, const char *got)
{
	fail_msg("row \"%s\": got %s", r->what, got);
}

/* ---- a card (RFID) ------------------------------------------------------- */

static const struct row card_rows[] = {
    /* online, LocalPreAuthorize: the list's word, then the cache's */
    {"list Accepted", ACC, false, NONE, false, ONLINE, true, true, false, ACCEPT},
    {"list Accepted wins over cache Invalid", ACC, false, INVALID, false, ONLINE, true, true, false,
     ACCEPT},
    {"list Blocked wins over cache Accepted", BLOCKED, false, ACC, false, ONLINE, true, true, false,
     REFUSE},
    {"list Accepted but expired", ACC_EXPIRED, false, ACC, false, ONLINE, true, true, false,
     REFUSE},
    {"list status Expired", STATUS_EXPIRED, false, NONE, false, ONLINE, true, true, false, REFUSE},
    {"list ConcurrentTx", CONCURRENT, false, NONE, false, ONLINE, true, true, false, REFUSE},
    {"list Invalid", INVALID, false, NONE, false, ONLINE, true, true, false, REFUSE},
    {"cache Accepted", NONE, false, ACC, false, ONLINE, true, true, false, ACCEPT},
    {"cache Invalid: asked again", NONE, false, INVALID, false, ONLINE, true, true, false, ASK},
    {"cache Accepted but expired", NONE, false, ACC_EXPIRED, false, ONLINE, true, true, false, ASK},
    {"unknown", NONE, false, NONE, false, ONLINE, true, true, true, ASK},
    {"list disabled: its Accepted entry is ignored", ACC, true, NONE, false, ONLINE, true, true,
     false, ASK},
    {"list disabled: the cache decides", BLOCKED, true, ACC, false, ONLINE, true, true, false,
     ACCEPT},
    {"cache disabled", NONE, false, ACC, true, ONLINE, true, true, false, ASK},
    /* online without LocalPreAuthorize: always the CSMS */
    {"no pre-authorize: list Accepted", ACC, false, NONE, false, ONLINE, false, true, false, ASK},
    {"no pre-authorize: list Blocked", BLOCKED, false, NONE, false, ONLINE, false, true, false,
     ASK},
    {"no pre-authorize: cache Accepted", NONE, false, ACC, false, ONLINE, false, true, false, ASK},
    {"no pre-authorize: unknown", NONE, false, NONE, false, ONLINE, false, true, true, ASK},
    /* offline, LocalAuthorizeOffline */
    {"offline: list Accepted", ACC, false, NONE, false, OFFLINE, false, true, false, ACCEPT},
    {"offline: list Accepted wins over cache Invalid", ACC, false, INVALID, false, OFFLINE, false,
     true, false, ACCEPT},
    {"offline: list Blocked wins over cache Accepted", BLOCKED, false, ACC, false, OFFLINE, false,
     true, false, REFUSE},
    {"offline: list Accepted but expired", ACC_EXPIRED, false, NONE, false, OFFLINE, false, true,
     false, REFUSE},
    {"offline: cache Accepted", NONE, false, ACC, false, OFFLINE, false, true, false, ACCEPT},
    {"offline: cache Invalid", NONE, false, INVALID, false, OFFLINE, false, true, false, REFUSE},
    {"offline: cache Accepted but expired", NONE, false, ACC_EXPIRED, false, OFFLINE, false, true,
     false, REFUSE},
    {"offline: unknown", NONE, false, NONE, false, OFFLINE, false, true, false, REFUSE},
    /* offline without LocalAuthorizeOffline: known tags are refused */
    {"offline, no local authorize: list Accepted", ACC, false, NONE, false, OFFLINE, true, false,
     false, REFUSE},
    {"offline, no local authorize: cache Accepted", NONE, false, ACC, false, OFFLINE, true, false,
     false, REFUSE},
    {"offline, no local authorize: unknown allowed", NONE, false, NONE, false, OFFLINE, false,
     false, true, ACCEPT},
    /* offline, AllowOfflineTxForUnknownId: only for tags nobody knows */
    {"offline, unknown allowed: list Blocked", BLOCKED, false, NONE, false, OFFLINE, false, true,
     true, REFUSE},
    {"offline, unknown allowed: list Accepted but expired", ACC_EXPIRED, false, NONE, false,
     OFFLINE, false, true, true, REFUSE},
    {"offline, unknown allowed: cache Invalid", NONE, false, INVALID, false, OFFLINE, false, true,
     true, REFUSE},
    {"offline, unknown allowed: unknown", NONE, false, NONE, false, OFFLINE, false, true, true,
     ACCEPT},
    {"offline, unknown allowed: list disabled", BLOCKED, true, NONE, false, OFFLINE, false, true,
     true, ACCEPT},
    {"offline, unknown allowed: cache disabled", NONE, false, INVALID, true, OFFLINE, false, true,
     true, ACCEPT},
    /* connected but not accepted yet: the offline rules */
    {"boot pending: list Accepted", ACC, false, NONE, false, PENDING, true, true, false, ACCEPT},
    {"boot pending: unknown", NONE, false, NONE, false, PENDING, true, true, false, REFUSE},
};

static void card_decisions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof card_rows / sizeof card_rows[0]; i++) {
		const struct row *r = &card_rows[i];
		struct fx *f = row_fx(r, NULL, NULL);
		enum swipe_result s = fx_swipe(f, "TAG1");
		enum swipe_result want = r->want == ACCEPT   ? SWIPE_PENDING
					 : r->want == REFUSE ? SWIPE_REJECTED
							     : SWIPE_AUTHORIZING;
		if (s != want)
			row_fail(r, swipe_result_name(s));
		if (r->want == ASK)
			assert_string_equal(fx_str(fx_expect_call(f, "Authorize"), "idTag"),
					    "TAG1");
		fx_ack_statuses(f); /* Preparing, for an accepted card */
		fx_free(f);
	}
}

/* ---- RemoteStartTransaction with AuthorizeRemoteTxRequests --------------- */

static const struct row remote_rows[] = {
    {"pre-authorize, list Accepted: starts", ACC, false, NONE, false, ONLINE, true, true, false,
     ACCEPT},
    {"pre-authorize, list Blocked: nothing", BLOCKED, false, ACC, false, ONLINE, true, true, false,
     REFUSE},
    {"pre-authorize, cache Accepted: starts", NONE, false, ACC, false, ONLINE, true, true, false,
     ACCEPT},
    {"pre-authorize, cache Invalid: asked", NONE, false, INVALID, false, ONLINE, true, true, false,
     ASK},
    {"no pre-authorize, list Accepted: asked", ACC, false, NONE, false, ONLINE, false, true, false,
     ASK},
};

static void remote_start_decisions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof remote_rows / sizeof remote_rows[0]; i++) {
		const struct row *r = &remote_rows[i];
		struct fx *f = row_fx(r, "AuthorizeRemoteTxRequests", "true");
		/* Accepted whatever the decision: it is taken afterwards. */
		assert_string_equal(
		    fx_call_status(f, "RemoteStartTransaction", fx_json("{'idTag':'TAG1'}")),
		    "Accepted");
		char id[AUTH_ID_MAX + 1] = "";
		bool waiting = charger_pending_auth(f->ch, f->now, id, sizeof id);
		if (r->want == ASK) {
			assert_string_equal(fx_str(fx_expect_call(f, "Authorize"), "idTag"),
					    "TAG1");
			assert_false(waiting);
		} else if (waiting != (r->want == ACCEPT)) {
			row_fail(r, waiting ? "a start waiting" : "nothing");
		}
		fx_ack_statuses(f);
		fx_free(f);
	}
}

/* ---- an Authorize.req nobody answers: the offline rules ------------------ */

static const struct row unanswered_rows[] = {
    {"list Accepted, LocalAuthorizeOffline", ACC, false, NONE, false, ONLINE, false, true, false,
     ACCEPT},
    {"list Accepted, no LocalAuthorizeOffline", ACC, false, NONE, false, ONLINE, false, false,
     false, REFUSE},
    {"list Blocked, unknown allowed", BLOCKED, false, NONE, false, ONLINE, false, true, true,
     REFUSE},
    {"unknown, unknown allowed", NONE, false, NONE, false, ONLINE, false, true, true, ACCEPT},
    {"cache Accepted", NONE, false, ACC, false, ONLINE, false, true, false, ACCEPT},
};

static void unanswered_authorize_decisions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof unanswered_rows / sizeof unanswered_rows[0]; i++) {
		const struct row *r = &unanswered_rows[i];
		struct fx *f = row_fx(r, "ocpp.call_timeout", "10");
		assert_int_equal(fx_swipe(f, "TAG1"), SWIPE_AUTHORIZING);
		fx_expect_call(f, "Authorize");
		fx_advance(f, 10000); /* ocpp.call_timeout: no answer */
		char id[AUTH_ID_MAX + 1] = "";
		bool waiting = charger_pending_auth(f->ch, f->now, id, sizeof id);
		if (waiting != (r->want == ACCEPT))
			row_fail(r, waiting ? "accepted" : "refused");
		fx_ack_statuses(f);
		fx_free(f);
	}
}

/* ---- the list and the cache ------------------------------------------------ */

/* An Authorize.conf about a tag of the list leaves the cache alone (OCPP 1.6
 * 3.5.4); about another tag, it fills the cache. */
static void list_tags_never_cached(void **state)
{
	(void)state;
	const struct row r = {"", ACC, false, NONE, false, ONLINE, false, true, false, ASK};
	struct fx *f = row_fx(&r, NULL, NULL);
	assert_int_equal(fx_swipe(f, "TAG1"), SWIPE_AUTHORIZING);
	fx_expect_call(f, "Authorize");
	fx_reply(f, fx_json("{'idTagInfo':{'status':'Accepted'}}"));
	assert_int_equal(f->cache_puts, 0);
	fx_ack_statuses(f);
	fx_advance(f, 200000); /* ConnectionTimeOut: the card is void again */
	fx_ack_statuses(f);
	assert_int_equal(fx_swipe(f, "OTHER"), SWIPE_AUTHORIZING);
	fx_expect_call(f, "Authorize");
	fx_reply(f, fx_json("{'idTagInfo':{'status':'Accepted'}}"));
	assert_int_equal(f->cache_puts, 1);
	fx_ack_statuses(f);
	fx_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(card_decisions, fx_teardown),
    cmocka_unit_test_teardown(remote_start_decisions, fx_teardown),
    cmocka_unit_test_teardown(unanswered_authorize_decisions, fx_teardown),
    cmocka_unit_test_teardown(list_tags_never_cached, fx_teardown),
};

VCLOCK_MAIN("ocpp_auth", tests)
