/* SPDX-License-Identifier: MIT */
/*
 * A fixture for tests of the OCPP engine's modules (test_ocpp_auth.c,
 * test_ocpp_list.c, test_ocpp_trigger.c): a real charger on a recording
 * board that acknowledges lock commands, wired to the engine as
 * src/daemon/evsed.c wires it, and a fake struct ocpp_io that records every
 * frame the engine sends and keeps the durable queue, transaction ids, the
 * cache, the Local Authorization List and the charging profiles in memory
 * (the list and profile writes can be made to fail). Time is virtual: fx->now, moved by
 * fx_advance(). The tests play the CSMS by answering the engine's frames and sending CALLs.
 *
 * test_ocpp_engine.c predates it and has its own copy.
 */
#ifndef EVSED_TEST_OCPP_FX_H
#define EVSED_TEST_OCPP_FX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/charger.h"
#include "core/ocpp/ocpp.h"
#include "vclock.h"

#define FX_T0	   1767225600LL /* 2026-01-01T00:00:00Z, UTC at monotonic 0 */
#define FX_MAXF	   256
#define FX_MAXQ	   64
#define FX_MAXLIST 64

struct fx {
	struct settings *s;
	struct auth_list *cards;
	struct board_ops board;
	struct chg_events ev;
	struct charger *ch;
	struct ocpp_io io;
	struct ocpp *o;
	int64_t now;
	bool lock[PROFILE_MAX_CONNECTORS + 1], lock_acked[PROFILE_MAX_CONNECTORS + 1];
	int nstart, nstop;
	struct chg_session last_start;
	int64_t next_number;
	/* frames the engine sent, parsed; read = the next one to expect */
	json_t *frames[FX_MAXF];
	int nframes, read;
	char last_call_id[64];
	int csms_ids;
	/* durable queue */
	struct {
		int64_t seq;
		char action[24];
		int64_t session;
		char *payload;
		int attempts;
	} q[FX_MAXQ];
	int qn;
	int64_t next_seq;
	/* transaction ids */
	int64_t tx_session[16];
	int tx_id[16];
	int ntx;
	/* cache writes */
	int cache_puts;
	/* the stored local list, as list_replace / list_apply left it */
	struct ocpp_list_entry list[FX_MAXLIST];
	int nlist, list_version;
	int list_writes;     /* calls of list_replace + list_apply */
	int list_last_n;     /* entries handed to the last of them */
	bool list_last_full; /* the last was list_replace */
	bool list_fails;     /* the next list writes fail */
	/* stored charging profiles, as profiles_write left them (C8) */
	struct {
		int32_t id;
		int conn;
		char json[2048];
	} prof[FX_MAXLIST];
	int nprof;
	int prof_writes;
	bool prof_fails; /* the next profile writes fail */
};

/* A charger of profile with settings (name, value pairs, NULL-terminated, as
 * from the settings file) and the engine, not connected, at monotonic 0 =
 * FX_T0. Freed by fx_free() or, after a failed assertion, fx_teardown. */
struct fx *fx_new(const char *profile, const char *const *sets);
void fx_free(struct fx *f);
int fx_teardown(void **state);

/* Connect and get the BootNotification accepted; every connector's status
 * is reported and answered. */
void fx_boot(struct fx *f);
/* Connect, BootNotification answered Pending (interval 60 s). */
void fx_boot_pending(struct fx *f);

/* Board and charger events. */
void fx_plug(struct fx *f, int conn);
void fx_cp(struct fx *f, int conn, enum iec_cp level);
enum swipe_result fx_swipe(struct fx *f, const char *uid);
/* Move time on by ms, firing every deadline on the way. */
void fx_advance(struct fx *f, int64_t ms);

/* Frames. */
void fx_no_frame(struct fx *f);
json_t *fx_next(struct fx *f);
/* The next frame must be a CALL of action; its payload (owned by f). */
json_t *fx_expect_call(struct fx *f, const char *action);
/* Answer the last CALL the engine sent (payload reference taken). */
void fx_reply(struct fx *f, json_t *payload);
/* Answer every StatusNotification waiting, whatever it says; how many. */
int fx_ack_statuses(struct fx *f);
/* A CALL from the CSMS; the engine's answer frame. Frames the CALL caused
 * stay after it. */
json_t *fx_call(struct fx *f, const char *action, json_t *payload);
/* ... that must be answered with a CALLRESULT: its payload. */
json_t *fx_call_ok(struct fx *f, const char *action, json_t *payload);
/* ... with a CALLRESULT {status}: the status. */
const char *fx_call_status(struct fx *f, const char *action, json_t *payload);
/* ... with a CALLERROR: its code. */
const char *fx_call_err(struct fx *f, const char *action, json_t *payload);
/* A JSON text (single quotes allowed for double) as an object. */
json_t *fx_json(const char *text);

const char *fx_str(const json_t *o, const char *key);
json_int_t fx_num(const json_t *o, const char *key);

/* A cache entry as the store would load it. */
void fx_cache_load(struct fx *f, const char *id, enum ocpp_auth_status st, int64_t expiry);

#endif
