/* SPDX-License-Identifier: MIT */
/*
 * The OCPP 1.6J charge point engine (C2-C9, B3, C11): boot, heartbeat,
 * status notifications, authorization with the Local Authorization List and
 * the cache, transactions through a durable queue, meter values, remote
 * trigger, reservations, smart charging profiles, and the operations the
 * CSMS sends. Pure: it takes
 * received frames, connection events and ticks with a monotonic timestamp,
 * and acts through the callbacks of struct ocpp_io (send a frame, persist
 * queue entries, ...) and the charger API. The transport, the store and the
 * clock are the shell's.
 *
 * Firmware Management (C10) is here as state machines (ocpp_fw.c); the
 * transfers, the image check and the installation are the shell's. Of the
 * security extension (C12): security events, GetLog, ExtendedTriggerMessage
 * (ocpp_security.c).
 */
#ifndef EVSED_OCPP_H
#define EVSED_OCPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../charger.h"
#include "../settings.h"

/* One entry of the durable transaction-message queue. */
struct ocpp_qmsg {
	int64_t seq;	 /* order of entry, assigned by the queue */
	char action[24]; /* StartTransaction, MeterValues, StopTransaction */
	int64_t session; /* the charger session it belongs to */
	char *payload;	 /* JSON object text; transactionId filled at send time */
	int attempts;	 /* failed tries so far */
};

/* Authorization cache entry (B3); the cache keeps the OCPP_CACHE_MAX id tags
 * added last. */
#define OCPP_CACHE_MAX 1000
enum ocpp_auth_status {
	OAS_ACCEPTED,
	OAS_BLOCKED,
	OAS_EXPIRED,
	OAS_INVALID,
	OAS_CONCURRENT_TX,
};

struct ocpp_cache_entry {
	char id_tag[AUTH_ID_MAX + 1];
	enum ocpp_auth_status status;
	int64_t expiry_utc; /* 0 = none */
	char parent[AUTH_ID_MAX + 1];
};

/* One entry of the Local Authorization List (C6). In a differential update
 * handed to list_apply, remove set means: delete id_tag (the other fields
 * are then unused). */
struct ocpp_list_entry {
	char id_tag[AUTH_ID_MAX + 1];
	enum ocpp_auth_status status;
	int64_t expiry_utc; /* 0 = none */
	char parent[AUTH_ID_MAX + 1];
	bool remove;
};

/* What fw_install says (C10). */
enum { OCPP_FWI_FAILED = 0, OCPP_FWI_DONE = 1, OCPP_FWI_STARTED = 2 };

/* A security event waiting to be sent (C12). */
struct ocpp_secevent {
	int64_t seq;
	char type[51];
	int64_t utc;
	char tech_info[256];
};

/* A certificate as OCPP names it (C12, CertificateHashDataType). */
struct ocpp_cert_id {
	char hash_alg[8]; /* SHA256, SHA384, SHA512 */
	char name_hash[129];
	char key_hash[129];
	char serial[41];
};

enum ocpp_cert_result { OCR_ACCEPTED, OCR_REJECTED, OCR_FAILED, OCR_NOT_FOUND };
enum ocpp_cert_use { OCU_CENTRAL_SYSTEM_ROOT, OCU_MANUFACTURER_ROOT };
#define OCPP_CERTS_MAX 10 /* listed per use */

struct ocpp_io {
	void *user;
	/* Hand a frame to the transport; -1 if it cannot take it. */
	int (*send)(void *user, const char *frame, size_t len);
	/* Durable queue of transaction messages. push returns the new seq (> 0)
	 * or -1; head copies the oldest entry (payload malloc'd, the caller
	 * frees it) and returns false when empty. */
	int64_t (*q_push)(void *user, const char *action, int64_t session, const char *payload);
	bool (*q_head)(void *user, struct ocpp_qmsg *out);
	void (*q_pop)(void *user, int64_t seq);
	void (*q_attempts)(void *user, int64_t seq, int attempts);
	int64_t (*q_count)(void *user);
	/* transactionId the CSMS gave to a session; get returns false if none. */
	void (*tx_set)(void *user, int64_t session, int transaction_id);
	bool (*tx_get)(void *user, int64_t session, int *transaction_id);
	/* Authorization cache persistence. */
	void (*cache_put)(void *user, const struct ocpp_cache_entry *e);
	void (*cache_clear)(void *user);
	/* Local Authorization List persistence (C6), each call one atomic
	 * write of the entries and the list's version: list_replace makes
	 * e[0..n) the whole list (a Full update), list_apply adds / updates /
	 * removes them (a Differential update). false if nothing was stored;
	 * the engine then keeps its list as it was and answers Failed. */
	bool (*list_replace)(void *user, const struct ocpp_list_entry *e, int n, int version);
	bool (*list_apply)(void *user, const struct ocpp_list_entry *e, int n, int version);
	/* Charging profiles persistence (C8), one atomic write: remove the
	 * profiles with ids removed[0..n), then, if json is not NULL, store
	 * profile id of connector conn as json (its csChargingProfiles
	 * object, read back with ocpp_profile_load). false if nothing was
	 * written; the engine then changes nothing. */
	bool (*profiles_write)(void *user, const int32_t *removed, int n, int32_t id, int conn,
			       const char *json);
	/* Make a setting the CSMS changed durable (before it is applied);
	 * false if that failed. */
	bool (*setting_store)(void *user, const char *key, const char *value);
	/* A setting was applied: let the rest of the charger know. */
	void (*setting_applied)(void *user, enum set_id id);
	/* The CSMS's clock (BootNotification / Heartbeat), UTC ms. */
	void (*set_utc)(void *user, int64_t utc_ms);
	/* Reset requested and the running transactions are stopped. */
	void (*reset)(void *user, bool hard);
	void (*log)(void *user, const char *msg);
	uint32_t (*rand)(void *user);
	/* Firmware Management (C10), all optional. fw_fetch starts downloading
	 * location (resuming what an earlier try left) without blocking; its
	 * end comes back through ocpp_fw_fetched(). false if it could not
	 * start (a failed try). fw_cancel abandons a download under way (no
	 * ocpp_fw_fetched follows). fw_install verifies and installs the
	 * downloaded image: OCPP_FWI_DONE with the new version,
	 * OCPP_FWI_FAILED with why (the running version stays), or
	 * OCPP_FWI_STARTED when the installation runs on (its end comes back
	 * through ocpp_fw_installed()). fw_discard removes the downloaded image and
	 * any partial download. fw_store persists the firmware update's state
	 * (JSON text; NULL: there is none), read back with ocpp_fw_load. */
	bool (*fw_fetch)(void *user, const char *location);
	void (*fw_cancel)(void *user);
	int (*fw_install)(void *user, char *version, size_t vlen, char *why, size_t whylen);
	void (*fw_discard)(void *user);
	bool (*fw_store)(void *user, const char *json);
	/* Build the diagnostics archive of [start_utc, stop_utc] (0: open)
	 * and upload it to location as file, without blocking; its end comes
	 * back through ocpp_diag_done(). false if it could not start. */
	bool (*diag_upload)(void *user, const char *location, const char *file, int64_t start_utc,
			    int64_t stop_utc);
	/* Security events (C12), all optional: a durable queue, kept as the
	 * security log. sec_push stores one (false: not stored); sec_head
	 * copies the oldest not sent (false: none); sec_sent marks it sent. */
	bool (*sec_push)(void *user, const char *type, int64_t utc, const char *tech_info);
	bool (*sec_head)(void *user, struct ocpp_secevent *out);
	void (*sec_sent)(void *user, int64_t seq);
	/* GetLog (C12): build the log of type ("DiagnosticsLog" or
	 * "SecurityLog") of [start_utc, stop_utc] (0: open) and upload it to
	 * location as file, without blocking; its end comes back through
	 * ocpp_diag_done(). false if it could not start. NULL: only
	 * DiagnosticsLog, through diag_upload. */
	bool (*log_upload)(void *user, const char *type, const char *location, const char *file,
			   int64_t start_utc, int64_t stop_utc);
	/* Abandon the upload under way (no ocpp_diag_done follows). */
	void (*diag_cancel)(void *user);
	/* SignedUpdateFirmware (C12), optional (without them it is answered
	 * InvalidCertificate): fw_cert_check says whether the PEM signing
	 * certificate chains to an installed manufacturer root and is valid at
	 * utc; fw_signature_check whether signature (base64) is the signing
	 * certificate's signature of the downloaded file (why: the reason if
	 * not). */
	bool (*fw_cert_check)(void *user, const char *pem, int64_t utc);
	bool (*fw_signature_check)(void *user, const char *pem, const char *signature, char *why,
				   size_t whylen);
	/* The charge point's certificate (C12), optional (without them
	 * ExtendedTriggerMessage SignChargePointCertificate is NotImplemented
	 * and CertificateSigned Rejected): csr_new makes a new key (kept aside,
	 * never handed out) and writes its PEM certificate signing request for
	 * subject CN=cn, O=org into csr; cert_signed takes the CSMS's signed
	 * chain if it is for that key and valid at utc. */
	bool (*csr_new)(void *user, const char *cn, const char *org, char *csr, size_t len);
	bool (*cert_signed)(void *user, const char *chain, int64_t utc);
	/* Is a charge point certificate installed (security profile 3)? */
	bool (*client_cert_ready)(void *user);
	/* Root certificates (C12), all optional (without them the actions are
	 * answered Failed / NotFound). install checks and stores a PEM
	 * certificate at utc; list gives the hash data of those of a use
	 * (how many, -1 on error); delete removes the one id names. */
	enum ocpp_cert_result (*cert_install)(void *user, enum ocpp_cert_use use, const char *pem,
					      int64_t utc);
	int (*cert_list)(void *user, enum ocpp_cert_use use, struct ocpp_cert_id *out, int max);
	enum ocpp_cert_result (*cert_delete)(void *user, const struct ocpp_cert_id *id);
	/* C12, optional: close the connection (once the answer being sent
	 * is out) and connect again with the security profile, password and
	 * certificates as they are now. */
	void (*link_renew)(void *user);
	/* C12: the charge point certificate cert_signed took is kept (it
	 * connected, or the profile does not use it) or dropped (the one
	 * before stays). */
	void (*cert_commit)(void *user, bool keep);
	/* C12, optional: make durable that SecurityProfile is on trial, coming
	 * from profile from (read back at start for ocpp_security_resume);
	 * from < 0: no trial any more. false if it could not be written. */
	bool (*profile_trial)(void *user, int64_t from);
};

enum ocpp_boot { OB_NONE, OB_SENT, OB_ACCEPTED, OB_PENDING, OB_REJECTED };

struct ocpp_state {
	bool connected;
	enum ocpp_boot boot;
	int64_t queued; /* transaction messages waiting */
	int64_t calls_sent;
	int64_t calls_failed;
};

struct ocpp;

/* An engine for charger ch with settings s (changed through
 * ChangeConfiguration). All must outlive it. NULL on allocation failure. */
struct ocpp *ocpp_new(struct settings *s, struct charger *ch, const struct ocpp_io *io,
		      int64_t now);
void ocpp_free(struct ocpp *o);

/* The authorizer to give the charger (charger_set_authorizer). */
const struct chg_auth *ocpp_authorizer(struct ocpp *o);
/* Load one cache entry from the store at start. */
void ocpp_cache_load(struct ocpp *o, const struct ocpp_cache_entry *e);
/* Load the Local Authorization List from the store at start: n entries
 * (copied; any order) and its version. Entries past LocalAuthListMaxLength
 * and repeated id tags are dropped (with a log line). false on allocation
 * failure. */
bool ocpp_list_load(struct ocpp *o, const struct ocpp_list_entry *e, int n, int version);

/* The charger's source of charging profile limits (charger_set_schedule). */
const struct chg_schedule *ocpp_schedule(struct ocpp *o);
/* Load one stored charging profile at start (connector conn, the JSON text
 * profiles_write was given). A profile that is no longer valid (the limits
 * changed, it is unreadable) is dropped with a log line: false. */
bool ocpp_profile_load(struct ocpp *o, int conn, const char *json);
/* How many charging profiles are installed; and all of them for a status
 * display: [{id, connector, stack_level, purpose, kind, recurrency, unit,
 * transaction_id, valid_from, valid_to, start_schedule, [duration_s],
 * periods: [{start, limit, phases}]}]. */
int ocpp_profile_count(const struct ocpp *o);
json_t *ocpp_profiles_json(const struct ocpp *o);
/* Clear every charging profile (the installer's local clear, as a
 * ClearChargingProfile without criteria: persisted, the schedule updated at
 * now). How many were cleared, or -1 with why if they could not be removed. */
int ocpp_profiles_clear(struct ocpp *o, int64_t now, char *why, size_t len);

/* Transport events. */
void ocpp_on_connected(struct ocpp *o, int64_t now);
void ocpp_on_disconnected(struct ocpp *o, int64_t now);

/* Why a connection attempt failed (C12). */
enum ocpp_link_fail {
	OLF_OTHER,	 /* unreachable, no answer, refused otherwise */
	OLF_SERVER_CERT, /* the Central System's certificate is not trusted */
	OLF_AUTH,	 /* HTTP 401: the CSMS refused the charge point's credentials */
};
/* A connection attempt failed (after ocpp_on_disconnected; not for a
 * connection that was open). OLF_SERVER_CERT raises
 * InvalidCentralSystemCertificate, OLF_AUTH FailedToAuthenticateAtCentralSystem,
 * each once until a connection succeeds (why, at most 255 characters kept,
 * as techInfo). A new security profile or charge point certificate on trial
 * that fails OCPP_SEC_TRIAL_ATTEMPTS attempts in a row is given up: the
 * previous one back (stored), ReconfigurationOfSecurityParameters saying
 * so, link_renew. */
#define OCPP_SEC_TRIAL_ATTEMPTS 3
void ocpp_on_connect_failed(struct ocpp *o, int64_t now, enum ocpp_link_fail kind, const char *why);
/* SecurityProfile is about to change (before it is stored): mark the trial
 * durably (profile_trial, from the profile that connected last) so that a
 * restart before a connection with the new profile still falls back. false
 * if that failed (then change nothing). */
bool ocpp_security_mark(struct ocpp *o);
/* The installer changed SecurityProfile (marked, stored and set): connect
 * again with it, on trial as a change by the CSMS. */
void ocpp_security_renew(struct ocpp *o, int64_t now);
/* At start, before connecting: the last run left SecurityProfile on trial,
 * coming from profile from (profile_trial's marker): it is tried as if just
 * changed (kept once connected, else the fallback to from). */
void ocpp_security_resume(struct ocpp *o, int64_t from);
/* The URL a connection at security profile uses: url, with ws:// made
 * wss:// from profile 2 on (the same host, port and path: TLS is the
 * profile's). false if it does not fit in out (len). */
bool ocpp_security_url(const char *url, int64_t profile, char *out, size_t len);
void ocpp_on_frame(struct ocpp *o, int64_t now, const char *text, size_t len);
/* How long to wait before the next connection attempt (capped exponential
 * back-off with jitter; grows with each call until a connection succeeds). */
int64_t ocpp_reconnect_delay(struct ocpp *o);

/* Charger events. */
void ocpp_on_status(struct ocpp *o, int64_t now, int conn);
/* Queue StartTransaction / StopTransaction (durably, through q_push) without
 * sending: the caller commits the store transaction they belong to and then
 * calls ocpp_flush(). false if the queue refused. */
bool ocpp_on_session_start(struct ocpp *o, int64_t now, const struct chg_session *s);
bool ocpp_on_session_stop(struct ocpp *o, int64_t now, const struct chg_session *s);
/* Send what can be sent now. */
void ocpp_flush(struct ocpp *o, int64_t now);
/* The transactionId the CSMS gave to a charger session; false if none yet. */
bool ocpp_transaction_id(const struct ocpp *o, int64_t session, int *id);

/* Firmware Management (C10). The firmware version BootNotification reports
 * (copied; NULL or "": the built-in one). */
void ocpp_set_firmware_version(struct ocpp *o, const char *version);
/* Resume a firmware update stored by fw_store, at start, once the charger
 * runs (its availability loaded) and before the connection. false if the text is unreadable
 * (nothing resumed). */
bool ocpp_fw_load(struct ocpp *o, int64_t now, const char *json);
/* The end of a download fw_fetch started / an upload diag_upload started
 * (why: the reason of a failure, for the log). */
void ocpp_fw_fetched(struct ocpp *o, int64_t now, bool ok, const char *why);
/* The end of an installation fw_install started (OCPP_FWI_STARTED): the new
 * version, or why it failed. */
void ocpp_fw_installed(struct ocpp *o, int64_t now, bool ok, const char *version, const char *why);
void ocpp_diag_done(struct ocpp *o, int64_t now, bool ok, const char *why);
/* What a triggered FirmwareStatusNotification / DiagnosticsStatusNotification
 * reports now: Idle when nothing runs. */
const char *ocpp_fw_status(const struct ocpp *o);
/* A firmware update of the CSMS is under way (waiting for its date,
 * downloading, waiting for transactions, installing, restarting): the web
 * UI's upload (G4) is refused meanwhile. */
bool ocpp_fw_busy(const struct ocpp *o);
/* The last FirmwareStatusNotification status sent in this run ("" if none). */
const char *ocpp_fw_last(const struct ocpp *o);
const char *ocpp_diag_status(const struct ocpp *o);

/* Record a security event (C12; type from the whitepaper's list, tech_info
 * NULL or at most 255 characters): stored, then sent as a
 * SecurityEventNotification like a transaction message (retried, kept
 * while offline). */
void ocpp_security_event(struct ocpp *o, int64_t now, const char *type, const char *tech_info);

/* Do the connection settings (ocpp.password) and a charge point
 * certificate (client_cert: one is installed) allow security profile
 * profile (C12)? false with why ("1 needs ocpp.password ..."). From
 * profile 2 on a ws:// ocpp.url is used as wss:// (ocpp_security_url). */
bool ocpp_security_profile_fits(const struct settings *s, int64_t profile, bool client_cert,
				char *why, size_t whylen);

void ocpp_tick(struct ocpp *o, int64_t now);
/* The charger's UTC clock was set from outside the engine (the system clock
 * stepped): clock-aligned readings follow it. */
void ocpp_clock_changed(struct ocpp *o, int64_t now);
int64_t ocpp_next_deadline(const struct ocpp *o);

struct ocpp_state ocpp_state(const struct ocpp *o);

#endif
