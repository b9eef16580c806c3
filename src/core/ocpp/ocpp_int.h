/* SPDX-License-Identifier: MIT */
/*
 * The OCPP engine's private state, shared by ocpp.c (connection, boot,
 * sending, results), ocpp_ops.c (operations the CSMS calls), ocpp_tx.c
 * (status, transactions, meter values), ocpp_auth.c (authorization and
 * its cache), ocpp_list.c (the Local Authorization List), ocpp_trigger.c
 * (TriggerMessage), ocpp_reserve.c (Reservation) and ocpp_smart.c (Smart
 * Charging). Not for use outside src/core/ocpp/.
 */
#ifndef EVSED_OCPP_INT_H
#define EVSED_OCPP_INT_H

#include <jansson.h>

#include "ocpp.h"
#include "../version.h"
#include "rpc.h"

struct smart;
struct sc_profile;

#define VQ_MAX	      32	     /* volatile (not transaction) messages waiting */
#define ANSWERED_MAX  8		     /* answers kept to repeat for a duplicate CALL id */
#define STOP_DATA_MAX 48	     /* meter values kept for StopTransaction's transactionData */
#define CACHE_MAX     OCPP_CACHE_MAX /* authorization cache entries */
#define TX_IDS_MAX    32	     /* transactionIds remembered in memory */

/* Firmware update phases (ocpp_fw.c), persisted by name. */
enum fw_phase {
	FWP_IDLE,
	FWP_WAIT,	 /* for retrieveDate */
	FWP_DOWNLOADING, /* a try is under way */
	FWP_RETRY,	 /* for retryInterval after a failed try */
	FWP_WAIT_TX,	 /* downloaded; for the transactions to end */
	FWP_INSTALLING,	 /* Installing sent, the installer runs */
	FWP_REBOOT,	 /* installed; restarting once Installing is out */
	FWP_REPORT,	 /* restarted: the result is to be reported */
};

/* A message that is not transaction-related (lost when offline). */
struct vitem {
	char action[48]; /* the longest: SignedFirmwareStatusNotification */
	json_t *payload;
	int64_t after_seq; /* durable messages up to this seq go first */
	uint64_t order;
	char id_tag[AUTH_ID_MAX + 1]; /* Authorize */
	bool triggered;		      /* asked for by TriggerMessage: may go out while Pending */
};

enum out_kind {
	OUT_NONE,
	OUT_BOOT,
	OUT_HEARTBEAT,
	OUT_STATUS,
	OUT_AUTHORIZE,
	OUT_TX,
	OUT_SEC, /* SecurityEventNotification (seq) */
	OUT_OTHER
};

/* The one CALL waiting for its answer. */
struct outstanding {
	enum out_kind kind;
	char id[OCPP_ID_MAX + 1];
	char action[48]; /* the longest: SignedFirmwareStatusNotification */
	int64_t deadline;
	int64_t seq;		      /* OUT_TX */
	int64_t session;	      /* OUT_TX */
	int attempts;		      /* OUT_TX */
	int conn;		      /* OUT_STATUS */
	char id_tag[AUTH_ID_MAX + 1]; /* Authorize; Start/StopTransaction's idTag */
};

/* Reporting state of one connector (0 = the charger). */
struct status_state {
	enum conn_status cur;
	const char *err;    /* ChargePointErrorCode */
	const char *vendor; /* vendorErrorCode or NULL */
	const char *info;
	int64_t stable_at; /* MinimumStatusDuration: report from then */
	bool dirty;	   /* to be reported */
	int64_t after_seq;
	uint64_t order;
	bool sent_valid;
	enum conn_status sent;
	const char *sent_err;
};

/* A running transaction as OCPP sees it. */
struct otx {
	bool active;
	int64_t number; /* charger session */
	int conn;
	char id_tag[AUTH_ID_MAX + 1];
	char parent[AUTH_ID_MAX + 1];	/* its parentIdTag, "" = not known */
	char stop_tag[AUTH_ID_MAX + 1]; /* a card of the same group stopped it */
	int64_t next_sample;
	json_t *stop_data; /* array of MeterValue objects */
};

/* An authorization the engine is working on. */
struct pending_auth {
	bool active;
	bool sent;	 /* Authorize.req is out or queued */
	bool for_remote; /* RemoteStartTransaction with AuthorizeRemoteTxRequests */
	int conn;	 /* remote start: the connector asked for */
	char id_tag[AUTH_ID_MAX + 1];
};

struct ocpp {
	struct settings *set;
	struct charger *ch;
	const struct ocpp_io *io;
	struct chg_auth auth;

	bool connected;
	enum ocpp_boot boot;
	int64_t boot_next;
	int64_t hb_next;
	struct outstanding out;
	struct vitem vq[VQ_MAX];
	int vq_n;
	uint64_t order;
	int64_t max_seq;
	int64_t tx_retry_at;
	struct status_state st[PROFILE_MAX_CONNECTORS + 1];
	struct otx tx[PROFILE_MAX_CONNECTORS];
	struct ocpp_cache_entry *cache;
	int cache_n;
	/* The transactionIds the CSMS gave the last sessions, also kept here
	 * in case the store could not record them (io tx_set failed): the
	 * session's later messages still carry their transactionId. */
	struct {
		int64_t session;
		int id;
	} tx_ids[TX_IDS_MAX];
	int tx_ids_next;
	struct ocpp_list *list; /* the Local Authorization List (ocpp_list.c) */
	struct pending_auth pa;
	/* The parentIdTag of the id tag authorized last (C7: reservations). */
	char decided_id[AUTH_ID_MAX + 1];
	char decided_parent[AUTH_ID_MAX + 1];
	int64_t next_aligned; /* monotonic ms of the next clock-aligned reading, 0 = off */
	uint32_t id_prefix, id_n;
	int reconnects;
	struct {
		char id[OCPP_ID_MAX + 1];
		char *answer;
	} answered[ANSWERED_MAX];
	int answered_i;
	bool reset_pending, reset_hard;
	int64_t reset_at;
	/* Handling a frame (a CALL from the CSMS, or the answer to ours): what
	 * it causes (a StatusNotification, a StopTransaction) goes out after
	 * the answer to the CALL, after the answered message left the queue. */
	bool holding;
	struct ocpp_state stats;
	/* Smart Charging (ocpp_smart.c): the profiles, the charger's view of
	 * them, and the TxProfile of a RemoteStartTransaction waiting for its
	 * session. */
	struct smart *smart;
	struct chg_schedule sched;
	struct sc_profile *remote_tx;
	bool remote_tx_set;
	/* Firmware Management (ocpp_fw.c). */
	char fw_version[51]; /* BootNotification's firmwareVersion, "" = built-in */
	int64_t fw_now;	     /* the monotonic time of the last ocpp_fw_pump */
	struct {
		enum fw_phase phase;
		char location[512];
		int64_t retrieve_utc;
		int retries, interval, tries;
		int64_t retry_at_utc;
		unsigned held; /* connectors made Unavailable, bit per connector */
		char result[24];
		int64_t reboot_at;
		char last[24];
		bool busy; /* in ocpp_fw_pump */
		/* SignedUpdateFirmware (C12) */
		bool signed_fw;
		int32_t request;
		int64_t install_utc; /* installDateTime, 0 = at once */
		char *cert;	     /* signingCertificate (PEM), malloc'd */
		char sig[801];	     /* signature (base64) */
	} fw;
	/* Security events (C12): the retry of the head after a failure. */
	int64_t sec_retry_at;
	int sec_attempts;
	uint32_t tamper_seen; /* tamper faults already reported */
	/* C12: a new security profile or charge point certificate on trial
	 * (ocpp_security.c): from the renewal until a connection succeeds
	 * with it (kept) or OCPP_SEC_TRIAL_ATTEMPTS attempts failed (the
	 * previous one back). */
	struct {
		int state;	 /* SEC_IDLE, SEC_CLOSING, SEC_TRYING */
		int64_t from;	 /* the profile that connected last */
		bool cert;	 /* a new charge point certificate is tried */
		int fails;	 /* failed attempts with it */
		uint32_t raised; /* failure events raised since the last connection */
		char why[120];	 /* the last failure */
	} sec;
	struct {
		bool active, uploading;
		bool getlog;	 /* GetLog rather than GetDiagnostics */
		bool security;	 /* GetLog SecurityLog */
		int32_t request; /* GetLog requestId */
		char location[512];
		char file[128];
		int retries, interval, tries;
		int64_t start_utc, stop_utc, retry_at_utc;
		char last[24];
	} diag;
};

/* ocpp.c */
void ocpp_trace(struct ocpp *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ocpp_pump(struct ocpp *o, int64_t now);
/* Queue a volatile message (payload reference is taken over). */
/* false (and the payload dropped) when the queue is full. */
bool ocpp_vq_push(struct ocpp *o, const char *action, json_t *payload, const char *id_tag);
/* Queue a message TriggerMessage asked for (payload reference taken over):
 * it may go out while the boot is Pending. */
void ocpp_vq_push_triggered(struct ocpp *o, const char *action, json_t *payload);
/* Free places in the volatile queue. */
int ocpp_vq_room(const struct ocpp *o);
json_t *ocpp_boot_payload(struct ocpp *o);
int64_t ocpp_utc(const struct ocpp *o, int64_t now);
/* What a stored idTagInfo (cache or local list) says now: 1 accepted, 0
 * not (another status, or its expiryDate passed; 0 = none). */
int ocpp_tag_says(const struct ocpp *o, int64_t now, int status, int64_t expiry_utc);
json_t *ocpp_time_json(int64_t utc);
int ocpp_connectors(const struct ocpp *o);

/* ocpp_ops.c: answer a CALL from the CSMS. Returns the result payload, or
 * NULL with *err and msg set for a CALLERROR. */
json_t *ocpp_handle_call(struct ocpp *o, int64_t now, const char *action, json_t *req,
			 enum ocpp_err *err, char *msg, size_t msglen);

/* ocpp_tx.c */
void ocpp_status_refresh(struct ocpp *o, int64_t now, int conn);
void ocpp_status_all_dirty(struct ocpp *o, int64_t now);
json_t *ocpp_status_payload(struct ocpp *o, int64_t now, int conn);
void ocpp_tx_tick(struct ocpp *o, int64_t now);
int64_t ocpp_tx_deadline(const struct ocpp *o);
void ocpp_aligned_reschedule(struct ocpp *o, int64_t now);
void ocpp_sample_reschedule(struct ocpp *o, int64_t now);
/* Fill transactionId into a queued payload; false if the id is unknown. */
bool ocpp_tx_fill_id(struct ocpp *o, const struct ocpp_qmsg *m, json_t *payload);
/* The transactionId of a session: the store's, else the one in memory. */
bool ocpp_tx_id_of(const struct ocpp *o, int64_t session, int *id);
void ocpp_tx_result(struct ocpp *o, int64_t now, const struct outstanding *out, json_t *conf);
struct otx *ocpp_tx_find_number(struct ocpp *o, int64_t number);
/* One MeterValue object {timestamp, sampledValue[]} of connector conn with
 * the measurands of the comma-separated list csl and context; NULL if none. */
json_t *ocpp_meter_value(struct ocpp *o, int64_t now, int conn, const char *csl,
			 const char *context);

/* ocpp_auth.c */
void ocpp_auth_init(struct ocpp *o);
void ocpp_cache_update(struct ocpp *o, const char *id_tag, json_t *id_tag_info);
void ocpp_auth_result(struct ocpp *o, int64_t now, const char *id_tag, json_t *id_tag_info);
/* The Authorize call failed or the link went down: decide offline. */
void ocpp_auth_offline(struct ocpp *o, int64_t now);
/* RemoteStartTransaction with AuthorizeRemoteTxRequests. */
void ocpp_auth_remote(struct ocpp *o, int64_t now, int conn, const char *id_tag);
void ocpp_cache_clear(struct ocpp *o);
/* The parentIdTag the cache knows for id_tag into parent ("" if none). */
void ocpp_cache_parent(struct ocpp *o, const char *id_tag, char *parent, size_t len);
enum ocpp_auth_status ocpp_auth_status_parse(const char *s);
const char *ocpp_auth_status_name(enum ocpp_auth_status s);

/* ocpp_list.c: the Local Authorization List (C6) */
bool ocpp_list_init(struct ocpp *o);
void ocpp_list_free(struct ocpp *o);
/* The entry for id_tag; NULL if the list does not hold it or is disabled
 * (LocalAuthListEnabled false). Valid until the list changes. */
const struct ocpp_list_entry *ocpp_list_find(const struct ocpp *o, const char *id_tag);
/* The list's word on id_tag: 1 accepted (status Accepted, not expired), 0
 * refused (another status, or expired), -1 not in the list (or disabled). */
int ocpp_list_says(const struct ocpp *o, int64_t now, const char *id_tag);
/* An answer of the CSMS about id_tag (Authorize.conf, StartTransaction.conf)
 * disagrees with the list: report LocalListConflict. The list is unchanged. */
void ocpp_list_check_conflict(struct ocpp *o, int64_t now, const char *id_tag, json_t *id_tag_info);
/* Operations (rows of the table in ocpp_ops.c): the result payload, or NULL
 * with *err and msg set for a CALLERROR. */
json_t *ocpp_op_get_local_list_version(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen);
json_t *ocpp_op_send_local_list(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen);

/* ocpp_trigger.c: Remote Trigger (C9) */
json_t *ocpp_op_trigger_message(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen);

/* ocpp_fw.c: Firmware Management (C10) */
json_t *ocpp_op_update_firmware(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen);
json_t *ocpp_op_get_diagnostics(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen);
json_t *ocpp_op_signed_update_firmware(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen);
/* Free what the firmware update holds (ocpp_free). */
void ocpp_fw_free(struct ocpp *o);
/* Start what is due (a download, the installation, the restart, an upload). */
void ocpp_fw_pump(struct ocpp *o, int64_t now);
/* The monotonic time something of the above is next due; INT64_MAX: none. */
int64_t ocpp_fw_deadline(const struct ocpp *o, int64_t now);
const char *ocpp_fw_phase_name(enum fw_phase p);
/* url as it may be logged: a user:password@ part becomes ***@. Returns buf. */
const char *ocpp_url_for_log(const char *url, char *buf, size_t len);
/* The name of an uploaded file: <what>-<charge point id>-<yyyymmddThhmmssZ><ext>,
 * only letters, digits, '.', '-', '_'. */
void ocpp_upload_name(const struct ocpp *o, int64_t utc, const char *what, const char *ext,
		      char *buf, size_t len);

/* ocpp_security.c: the security extension (C12) */
json_t *ocpp_op_extended_trigger_message(struct ocpp *o, int64_t now, json_t *req,
					 enum ocpp_err *err, char *msg, size_t msglen);
json_t *ocpp_op_get_log(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			size_t msglen);
json_t *ocpp_op_install_certificate(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				    char *msg, size_t msglen);
json_t *ocpp_op_get_installed_certificate_ids(struct ocpp *o, int64_t now, json_t *req,
					      enum ocpp_err *err, char *msg, size_t msglen);
json_t *ocpp_op_delete_certificate(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen);
json_t *ocpp_op_certificate_signed(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen);
/* ChangeConfiguration SecurityProfile value (validated as a setting): may
 * it be taken? Never lower than now, and only what the connection settings
 * allow. */
bool ocpp_security_profile_change(struct ocpp *o, const char *value);
/* A tamper fault appeared: TamperDetectionActivated. */
void ocpp_security_tamper(struct ocpp *o, int64_t now);
/* ChangeConfiguration SecurityProfile was taken (set, not stored): connect
 * again with it, on trial. */
void ocpp_security_profile_taken(struct ocpp *o);
/* States of o->sec. */
enum { SEC_IDLE, SEC_CLOSING, SEC_TRYING };
/* The connection succeeded: a trial is over, its change kept. */
void ocpp_security_connected(struct ocpp *o, int64_t now);
/* The connection went (deliberately closed for a renewal, or lost). */
void ocpp_security_disconnected(struct ocpp *o);

/* ocpp_reserve.c: Reservation (C7) */
json_t *ocpp_op_reserve_now(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			    size_t msglen);
json_t *ocpp_op_cancel_reservation(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen);

/* ocpp_smart.c: Smart Charging (C8) */
bool ocpp_smart_init(struct ocpp *o);
void ocpp_smart_free(struct ocpp *o);
json_t *ocpp_op_set_charging_profile(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				     char *msg, size_t msglen);
json_t *ocpp_op_clear_charging_profile(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen);
json_t *ocpp_op_get_composite_schedule(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen);
/* The chargingProfile of a RemoteStartTransaction (NULL: none) for conn (0:
 * the charger chooses): false if it must be Rejected; else it is kept and
 * installed when the remote start's session begins. */
bool ocpp_smart_remote_profile(struct ocpp *o, int conn, json_t *profile);
/* A session began / ended on a connector: its TxProfiles come / go. */
void ocpp_smart_session_start(struct ocpp *o, int64_t now, const struct chg_session *s);
void ocpp_smart_session_stop(struct ocpp *o, int conn);
/* struct chg_schedule's limit (user = the engine). */
double ocpp_smart_limit(void *user, int conn, int64_t utc, const struct chg_session *s,
			int64_t *next);

#endif
