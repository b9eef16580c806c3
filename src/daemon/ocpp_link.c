/* SPDX-License-Identifier: MIT */
/*
 * The shell around the OCPP engine: its io callbacks on the store (durable
 * queue, transaction ids, cache, local list, settings), the WebSocket transport with
 * reconnection on a real-time timer, the CSMS's clock, and Reset.
 */
#include "ocpp_link.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../core/ocpp/rpc.h"
#include "fw_link.h"

/* A received frame this large is followed by malloc_trim(). */
#define TRIM_AFTER_BYTES (64 * 1024)

/* Time the transport gets to send the Reset.conf before evsed restarts. */
#define RESET_GRACE_MS 300

/* ---- io callbacks ------------------------------------------------------ */

static int io_send(void *user, const char *frame, size_t len)
{
	struct evsed *d = user;
	if (d->trace_frames)
		evsed_log(d, "ocpp >> %.*s", (int)(len > 2000 ? 2000 : len), frame);
	return d->ws ? ocpp_ws_send(d->ws, frame, len) : -1;
}

static int64_t io_q_push(void *user, const char *action, int64_t session, const char *payload)
{
	struct evsed *d = user;
	/* A queued reading must never be ahead of the register that closes
	 * its session after a power cut, in energy or in time (no energy
	 * may flow while a session is paused): save the registers first,
	 * changed or not. */
	if (strcmp(action, "MeterValues") == 0)
		evsed_persist_all(d);
	return store_txq_push(d->store, action, session, payload, evsed_utc(d));
}

static bool io_q_head(void *user, struct ocpp_qmsg *out)
{
	struct evsed *d = user;
	struct store_qmsg m;
	if (!store_txq_head(d->store, &m))
		return false;
	out->seq = m.seq;
	snprintf(out->action, sizeof out->action, "%s", m.action);
	out->session = m.session;
	out->payload = m.payload;
	out->attempts = m.attempts;
	return true;
}

static void io_q_pop(void *user, int64_t seq)
{
	struct evsed *d = user;
	if (store_txq_pop(d->store, seq) != STORE_OK)
		evsed_log(d, "store: cannot remove queued message %lld: %s", (long long)seq,
			  store_errmsg(d->store));
}

static void io_q_attempts(void *user, int64_t seq, int attempts)
{
	struct evsed *d = user;
	if (store_txq_attempts(d->store, seq, attempts) != STORE_OK)
		evsed_log(d, "store: cannot count the attempts of message %lld", (long long)seq);
}

static int64_t io_q_count(void *user)
{
	struct evsed *d = user;
	return store_txq_count(d->store);
}

static void io_tx_set(void *user, int64_t session, int id)
{
	struct evsed *d = user;
	if (store_tx_set(d->store, session, id) != STORE_OK)
		evsed_log(
		    d,
		    "store: cannot record transaction %d: %s (kept in memory: lost if the power"
		    " goes before the session's messages are sent)",
		    id, store_errmsg(d->store));
}

static bool io_tx_get(void *user, int64_t session, int *id)
{
	struct evsed *d = user;
	return store_tx_get(d->store, session, id);
}

static void io_cache_put(void *user, const struct ocpp_cache_entry *e)
{
	struct evsed *d = user;
	if (store_cache_put(d->store, e->id_tag, (int)e->status, e->expiry_utc, e->parent,
			    OCPP_CACHE_MAX) != STORE_OK)
		evsed_log(d, "store: cannot cache id tag %s", e->id_tag);
}

static void io_cache_clear(void *user)
{
	struct evsed *d = user;
	if (store_cache_clear(d->store) != STORE_OK)
		evsed_log(d, "store: cannot clear the authorization cache");
}

/* The engine's entries as the store's (pointing into them). */
static bool list_write(void *user, const struct ocpp_list_entry *e, int n, int version,
		       bool replace)
{
	struct evsed *d = user;
	struct store_list_entry *se = malloc((size_t)(n > 0 ? n : 1) * sizeof *se);
	if (!se) {
		evsed_log(d, "store: cannot write the local list: out of memory");
		return false;
	}
	for (int i = 0; i < n; i++)
		se[i] = (struct store_list_entry){e[i].id_tag, (int)e[i].status, e[i].expiry_utc,
						  e[i].parent, e[i].remove};
	enum store_err r = replace ? store_list_replace(d->store, se, n, version)
				   : store_list_apply(d->store, se, n, version);
	free(se);
	if (r != STORE_OK) {
		evsed_log(d, "store: cannot write the local list: %s", store_errmsg(d->store));
		return false;
	}
	return true;
}

static bool io_list_replace(void *user, const struct ocpp_list_entry *e, int n, int version)
{
	return list_write(user, e, n, version, true);
}

static bool io_list_apply(void *user, const struct ocpp_list_entry *e, int n, int version)
{
	return list_write(user, e, n, version, false);
}

static bool io_setting_store(void *user, const char *key, const char *value)
{
	struct evsed *d = user;
	if (store_setting_put(d->store, key, value) != STORE_OK) {
		evsed_log(d, "store: cannot store %s: %s", key, store_errmsg(d->store));
		return false;
	}
	return true;
}

static void io_setting_applied(void *user, enum set_id id)
{
	struct evsed *d = user;
	if (id == SET_WEBSOCKET_PING_INTERVAL && d->ws)
		ocpp_ws_set_ping(d->ws, (int)settings_int(d->set, id));
	charger_settings_changed(d->ch, evsed_now(d));
	evsed_sync(d);
}

static void io_set_utc(void *user, int64_t utc_ms)
{
	struct evsed *d = user;
	evsed_set_clock(d, CLOCK_SRC_CSMS, utc_ms);
}

static void reset_now(lws_sorted_usec_list_t *sul)
{
	struct evsed *d = lws_container_of(sul, struct evsed, reconnect_sul);
	evsed_log(d, "restarting for the CSMS's Reset");
	d->reset_requested = true;
	d->stop = true;
	lws_cancel_service(d->ctx);
}

/* The reset timer is armed (it reuses the reconnection timer). */
static bool reset_scheduled(const struct evsed *d)
{
	return d->reconnect_sul.cb == reset_now && !lws_dll2_is_detached(&d->reconnect_sul.list);
}

static void io_reset(void *user, bool hard)
{
	struct evsed *d = user;
	evsed_log(d, "%s reset requested by the CSMS: restarting in %d ms", hard ? "hard" : "soft",
		  RESET_GRACE_MS);
	/* The Reset.conf may still wait in the transport's queue: restarting
	 * now would lose it. There is nothing to reconnect to any more, so
	 * the reconnection timer carries the restart. A SIGTERM meanwhile
	 * still stops evsed for good. */
	lws_sul_schedule(d->ctx, 0, &d->reconnect_sul, reset_now,
			 (lws_usec_t)RESET_GRACE_MS * LWS_US_PER_MS);
}

static void io_log(void *user, const char *msg)
{
	evsed_log(user, "%s", msg);
}

static uint32_t io_rand(void *user)
{
	struct evsed *d = user;
	/* xorshift64*, seeded from the kernel at start */
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return (uint32_t)((d->rng * 2685821657736338717ULL) >> 32);
}

/* ---- transport ------------------------------------------------------------ */

static bool link_build(struct evsed *d, char *err, size_t errlen);

static void reconnect_now(lws_sorted_usec_list_t *sul)
{
	struct evsed *d = lws_container_of(sul, struct evsed, reconnect_sul);
	if (!d->ws || ocpp_ws_connected(d->ws))
		return;
	char err[300];
	if (d->link_dirty && !link_build(d, err, sizeof err)) {
		/* The settings now cannot give a connection: a failed attempt
		 * (a change on trial falls back after a few). */
		evsed_log(d, "ocpp: %s", err);
		ocpp_on_connect_failed(d->ocpp, evsed_now(d), OLF_OTHER, err);
		evsed_sync(d);
	} else if (ocpp_ws_connect(d->ws) == 0) {
		return;
	} else {
		/* Refused at once (an unknown host): no disconnected() comes. */
		snprintf(err, sizeof err, "%s", ocpp_ws_errmsg(d->ws));
		evsed_log(d, "ocpp: %s", err);
		ocpp_on_connect_failed(d->ocpp, evsed_now(d), OLF_OTHER, err);
		evsed_sync(d);
	}
	/* The back-off: never a busy loop on settings that cannot connect. */
	int64_t wait = ocpp_reconnect_delay(d->ocpp);
	lws_sul_schedule(d->ctx, 0, &d->reconnect_sul, reconnect_now, (lws_usec_t)wait * 1000 + 1);
}

static void ws_connected(void *user)
{
	struct evsed *d = user;
	evsed_log(d, "ocpp: connected to %s", d->link_url);
	ocpp_on_connected(d->ocpp, evsed_now(d));
	evsed_sync(d);
}

static void ws_disconnected(void *user, const char *why)
{
	struct evsed *d = user;
	/* A renewal reconnects at once with the new transport. */
	int64_t wait = d->link_dirty ? 0 : ocpp_reconnect_delay(d->ocpp);
	evsed_log(d, "ocpp: no connection (%s); trying again in %.1f s", why, (double)wait / 1000);
	ocpp_on_disconnected(d->ocpp, evsed_now(d));
	static const enum ocpp_link_fail kind[] = {
	    [OWE_FAILED] = OLF_OTHER, [OWE_SERVER_CERT] = OLF_SERVER_CERT, [OWE_AUTH] = OLF_AUTH};
	enum ocpp_ws_end end = ocpp_ws_last_end(d->ws);
	if (end != OWE_LOST)
		ocpp_on_connect_failed(d->ocpp, evsed_now(d), kind[end], why);
	evsed_sync(d);
	if (!d->stop && !reset_scheduled(d))
		lws_sul_schedule(d->ctx, 0, &d->reconnect_sul, reconnect_now,
				 (lws_usec_t)(d->link_dirty ? 0 : wait) * 1000 + 1);
}

/* Time the answer that asked for a renewal gets before the link closes. */
#define RENEW_GRACE_MS 300

static void renew_close(lws_sorted_usec_list_t *sul)
{
	struct evsed *d = lws_container_of(sul, struct evsed, renew_sul);
	/* Not when the transport was rebuilt meanwhile (a renewal while
	 * offline): the connection it made is already the new one. */
	if (d->ws && d->link_dirty && ocpp_ws_connected(d->ws)) {
		evsed_log(d, "ocpp: reconnecting with the new security settings");
		ocpp_ws_close(d->ws);
	}
}

void evsed_link_renew(struct evsed *d)
{
	if (!d->ws)
		return;
	d->link_dirty = true;
	lws_sul_schedule(d->ctx, 0, &d->renew_sul, renew_close,
			 (lws_usec_t)RENEW_GRACE_MS * LWS_US_PER_MS);
}

static void io_link_renew(void *user)
{
	evsed_link_renew(user);
}

bool evsed_ocpp_profile_ok(struct evsed *d, char *why, size_t len)
{
	if (!d->ocpp)
		return true;
	char w[160];
	if (!ocpp_security_profile_fits(d->set, settings_int(d->set, SET_SECURITY_PROFILE),
					evsed_fw_have_cert(d), w, sizeof w)) {
		snprintf(why, len, "SecurityProfile: %s", w);
		return false;
	}
	return true;
}

/* needle in the first len bytes of text (not NUL-terminated). */
static bool contains(const char *text, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(text + i, needle, n) == 0)
			return true;
	return false;
}

static void ws_frame(void *user, const char *text, size_t len)
{
	struct evsed *d = user;
	/* The frame trace never shows a password the CSMS sets (C12). */
	if (d->trace_frames && contains(text, len, "\"AuthorizationKey\""))
		evsed_log(d, "ocpp << (a frame naming AuthorizationKey, not shown)");
	else if (d->trace_frames)
		evsed_log(d, "ocpp << %.*s", (int)(len > 2000 ? 2000 : len), text);
	evsed_sync(d);
	ocpp_on_frame(d->ocpp, evsed_now(d), text, len);
	evsed_sync(d);
	/* A large frame (a SendLocalList of thousands of entries) was parsed
	 * into many small allocations, all freed by now: give the pages back
	 * rather than keep megabytes of free heap. */
	if (len >= TRIM_AFTER_BYTES)
		malloc_trim(0);
}

/* ---- life cycle ------------------------------------------------------------ */

static bool io_profiles_write(void *user, const int32_t *removed, int n, int32_t id, int conn,
			      const char *json)
{
	struct evsed *d = user;
	if (store_profiles_write(d->store, removed, n, id, conn, json) != STORE_OK) {
		evsed_log(d, "store: cannot write charging profiles: %s", store_errmsg(d->store));
		return false;
	}
	return true;
}

static void load_profile(void *user, int conn, const char *json)
{
	struct evsed *d = user;
	(void)ocpp_profile_load(d->ocpp, conn, json);
}

static void load_cache(void *user, const char *id_tag, int status, int64_t expiry_utc,
		       const char *parent)
{
	struct evsed *d = user;
	struct ocpp_cache_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.id_tag, sizeof e.id_tag, "%s", id_tag);
	e.status = (enum ocpp_auth_status)status;
	e.expiry_utc = expiry_utc;
	snprintf(e.parent, sizeof e.parent, "%s", parent);
	ocpp_cache_load(d->ocpp, &e);
}

/* The local list as read from the store, handed to the engine at once. */
struct list_load {
	struct ocpp_list_entry *e;
	int n, cap;
	bool nomem;
};

static void load_list_entry(void *user, const char *id_tag, int status, int64_t expiry_utc,
			    const char *parent)
{
	struct list_load *l = user;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 256;
		struct ocpp_list_entry *e = realloc(l->e, (size_t)cap * sizeof *e);
		if (!e) {
			l->nomem = true;
			return;
		}
		l->e = e;
		l->cap = cap;
	}
	struct ocpp_list_entry *x = &l->e[l->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->id_tag, sizeof x->id_tag, "%s", id_tag);
	x->status = (enum ocpp_auth_status)status;
	x->expiry_utc = expiry_utc;
	snprintf(x->parent, sizeof x->parent, "%s", parent);
}

static bool load_list(struct evsed *d, char *err, size_t errlen)
{
	struct list_load l = {0};
	int version = 0;
	bool ok = store_list_load(d->store, load_list_entry, &l, &version) == STORE_OK;
	if (!ok)
		snprintf(err, errlen, "store: cannot read the local authorization list: %s",
			 store_errmsg(d->store));
	else if (l.nomem || !ocpp_list_load(d->ocpp, l.e, l.n, version)) {
		snprintf(err, errlen, "out of memory");
		ok = false;
	}
	free(l.e);
	return ok;
}

/* The transport from the settings and certificates as they are now (C12):
 * the profile the settings and the certificates allow; the installed Central
 * System roots verify the CSMS unless ocpp.ca_file names a bundle; profile 3
 * authenticates with the charge point certificate instead of the password;
 * from profile 2 on a ws:// ocpp.url is used as wss://. It replaces the
 * transport before it, which must be idle. */
static bool link_build(struct evsed *d, char *err, size_t errlen)
{
	const char *id = settings_applied_str(d->set, SET_OCPP_ID);
	if (!id[0])
		id = settings_str(d->set, SET_CHARGER_SERIAL);
	char bundle[800], cert[800], key[800], why[160], url[600];
	bool have_cert = false;
	(void)evsed_fw_tls(d, bundle, sizeof bundle, cert, sizeof cert, key, sizeof key,
			   &have_cert);
	int64_t profile = settings_int(d->set, SET_SECURITY_PROFILE);
	if (!ocpp_security_profile_fits(d->set, profile, have_cert, why, sizeof why)) {
		snprintf(err, errlen, "SecurityProfile: %s", why);
		return false;
	}
	if (!ocpp_security_url(settings_applied_str(d->set, SET_OCPP_URL), profile, url,
			       sizeof url)) {
		snprintf(err, errlen, "ocpp.url: too long");
		return false;
	}
	const char *ca = settings_applied_str(d->set, SET_OCPP_CA_FILE);
	if (!ca[0])
		ca = bundle;
	struct ocpp_ws_cfg cfg = {
	    .url = url,
	    .id = id,
	    .password = profile == 3 ? NULL : settings_str(d->set, SET_OCPP_PASSWORD),
	    .ca_file = ca[0] ? ca : NULL,
	    .client_cert = profile == 3 ? cert : NULL,
	    .client_key = profile == 3 ? key : NULL,
	    .ping_interval_s = (int)settings_int(d->set, SET_WEBSOCKET_PING_INTERVAL),
	    .frame_max = OCPP_FRAME_MAX,
	};
	static const struct ocpp_ws_cb cb = {NULL, ws_connected, ws_disconnected, ws_frame};
	struct ocpp_ws_cb mine = cb;
	mine.user = d;
	struct ocpp_ws *ws = ocpp_ws_new(d->ctx, &cfg, &mine, err, errlen);
	if (!ws)
		return false;
	if (d->ws) {
		uint64_t sent = 0, received = 0;
		ocpp_ws_stats(d->ws, &sent, &received);
		d->link_sent0 += sent;
		d->link_recv0 += received;
		ocpp_ws_free(d->ws);
	}
	d->ws = ws;
	d->link_dirty = false;
	snprintf(d->link_url, sizeof d->link_url, "%s", url);
	evsed_log(d, "ocpp: SecurityProfile %lld, %s%s", (long long)profile, url,
		  profile == 3 ? ", client certificate" : "");
	return true;
}

/* C12: a SecurityProfile left on trial by the last run (a Reset or a power
 * cut before a connection with it) is tried again, falling back as before;
 * one the settings no longer give falls back at once. */
static void resume_trial(struct evsed *d)
{
	int64_t from = evsed_fw_profile_trial(d);
	int64_t now = settings_int(d->set, SET_SECURITY_PROFILE);
	char why[160], v[24];
	if (from < 0)
		return;
	if (from == now) {
		(void)d->oio.profile_trial(d, -1);
		return;
	}
	if (ocpp_security_profile_fits(d->set, now, evsed_fw_have_cert(d), why, sizeof why)) {
		evsed_log(d, "ocpp: SecurityProfile %lld on trial since the last run (from %lld)",
			  (long long)now, (long long)from);
		ocpp_security_resume(d->ocpp, from);
		return;
	}
	snprintf(v, sizeof v, "%lld", (long long)from);
	evsed_log(d, "ocpp: SecurityProfile %lld on trial cannot be used (%s): back to %s",
		  (long long)now, why, v);
	if (settings_set_id(d->set, SET_SECURITY_PROFILE, v, SRC_RUNTIME, why, sizeof why, NULL) !=
		SET_OK ||
	    store_setting_put(d->store, "SecurityProfile", v) != STORE_OK)
		evsed_log(d, "ocpp: SecurityProfile %s cannot be put back", v);
	(void)d->oio.profile_trial(d, -1);
}

bool evsed_ocpp_init(struct evsed *d, char *err, size_t errlen)
{
	if (!settings_str(d->set, SET_OCPP_URL)[0])
		return true;
	if (getrandom(&d->rng, sizeof d->rng, 0) != (ssize_t)sizeof d->rng || d->rng == 0)
		d->rng = (uint64_t)d->utc_ms() | 1;
	d->trace_frames = getenv("EVSED_TRACE_OCPP") != NULL;
	d->oio = (struct ocpp_io){
	    .user = d,
	    .send = io_send,
	    .q_push = io_q_push,
	    .q_head = io_q_head,
	    .q_pop = io_q_pop,
	    .q_attempts = io_q_attempts,
	    .q_count = io_q_count,
	    .tx_set = io_tx_set,
	    .tx_get = io_tx_get,
	    .cache_put = io_cache_put,
	    .cache_clear = io_cache_clear,
	    .list_replace = io_list_replace,
	    .list_apply = io_list_apply,
	    .profiles_write = io_profiles_write,
	    .setting_store = io_setting_store,
	    .setting_applied = io_setting_applied,
	    .set_utc = io_set_utc,
	    .reset = io_reset,
	    .log = io_log,
	    .rand = io_rand,
	};
	if (!evsed_fw_init(d, err, errlen))
		return false;
	d->ocpp = ocpp_new(d->set, d->ch, &d->oio, evsed_now(d));
	if (!d->ocpp) {
		snprintf(err, errlen, "out of memory");
		return false;
	}

	if (store_cache_load(d->store, load_cache, d) != STORE_OK) {
		snprintf(err, errlen, "store: cannot read the authorization cache: %s",
			 store_errmsg(d->store));
		return false;
	}
	if (!load_list(d, err, errlen))
		return false;
	if (store_profiles_load(d->store, load_profile, d) != STORE_OK) {
		snprintf(err, errlen, "store: cannot read the charging profiles: %s",
			 store_errmsg(d->store));
		return false;
	}
	charger_set_authorizer(d->ch, ocpp_authorizer(d->ocpp));
	charger_set_schedule(d->ch, ocpp_schedule(d->ocpp));
	resume_trial(d);
	if (!link_build(d, err, errlen))
		return false;
	d->oio.link_renew = io_link_renew;
	return true;
}

void evsed_ocpp_start(struct evsed *d)
{
	char err[300];
	if (d->ocpp && !evsed_fw_start(d, err, sizeof err))
		evsed_log(d, "%s", err);
	evsed_sync(d);
	if (d->ws && ocpp_ws_connect(d->ws) < 0)
		lws_sul_schedule(d->ctx, 0, &d->reconnect_sul, reconnect_now,
				 (lws_usec_t)ocpp_reconnect_delay(d->ocpp) * 1000);
}

void evsed_ocpp_fini(struct evsed *d)
{
	lws_sul_cancel(&d->reconnect_sul);
	lws_sul_cancel(&d->renew_sul);
	evsed_fw_fini(d);
	ocpp_ws_free(d->ws);
	d->ws = NULL;
	ocpp_free(d->ocpp);
	d->ocpp = NULL;
}

bool evsed_ocpp_recovered(void *user, const struct chg_session *s)
{
	struct evsed *d = user;
	return !d->ocpp || ocpp_on_session_stop(d->ocpp, evsed_now(d), s);
}

json_t *evsed_ocpp_status(const struct evsed *d)
{
	static const char *const boot[] = {"none", "sent", "Accepted", "Pending", "Rejected"};
	uint64_t sent = 0, received = 0;
	if (d->ws)
		ocpp_ws_stats(d->ws, &sent, &received);
	sent += d->link_sent0;
	received += d->link_recv0;
	/* The URL connected to (ocpp.url of the start, wss:// from security
	 * profile 2 on) and the identity this run connected with. */
	json_t *o = json_pack("{s:s, s:b, s:I, s:I}", "url", d->ocpp ? d->link_url : "",
			      "connected", d->ws && ocpp_ws_connected(d->ws), "bytes_sent",
			      (json_int_t)sent, "bytes_received", (json_int_t)received);
	if (d->ocpp) {
		struct ocpp_state st = ocpp_state(d->ocpp);
		json_object_set_new(o, "boot", json_string(boot[st.boot]));
		json_object_set_new(o, "queued_messages", json_integer(st.queued));
		const char *id = settings_applied_str(d->set, SET_OCPP_ID);
		json_object_set_new(
		    o, "id", json_string(id[0] ? id : settings_str(d->set, SET_CHARGER_SERIAL)));
	}
	return o;
}
