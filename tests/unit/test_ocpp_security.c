/* SPDX-License-Identifier: MIT */
/*
 * The security extension's parts that are built (C12), through the engine
 * on a virtual clock: SecurityEventNotification sent from a durable queue
 * after the boot and the statuses, kept while offline, retried after a
 * CALLERROR like a transaction message and dropped after
 * TransactionMessageAttempts; the events the engine raises itself
 * (ResetOrReboot, SettingSystemTime on a step of the clock,
 * TamperDetectionActivated); ExtendedTriggerMessage; GetLog with
 * LogStatusNotification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fault.h"
#include "ocpp_fx.h"

#define QMAX 16

/* The shell's side, faked: the event queue / log, the uploads. */
static struct {
	struct ocpp_secevent q[QMAX];
	bool sent[QMAX];
	int n;
	int uploads, resets;
	char up_type[32], up_loc[600], up_file[200];
	int64_t up_start, up_stop;
} sh;

static bool sec_push(void *user, const char *type, int64_t utc, const char *tech)
{
	(void)user;
	if (sh.n == QMAX)
		return false;
	struct ocpp_secevent *e = &sh.q[sh.n];
	e->seq = sh.n + 1;
	snprintf(e->type, sizeof e->type, "%s", type);
	e->utc = utc;
	snprintf(e->tech_info, sizeof e->tech_info, "%s", tech);
	sh.sent[sh.n++] = false;
	return true;
}

static bool sec_head(void *user, struct ocpp_secevent *out)
{
	(void)user;
	for (int i = 0; i < sh.n; i++)
		if (!sh.sent[i]) {
			*out = sh.q[i];
			return true;
		}
	return false;
}

static void sec_sent(void *user, int64_t seq)
{
	(void)user;
	sh.sent[seq - 1] = true;
}

static bool log_upload(void *user, const char *type, const char *location, const char *file,
		       int64_t start, int64_t stop)
{
	(void)user;
	sh.uploads++;
	snprintf(sh.up_type, sizeof sh.up_type, "%s", type);
	snprintf(sh.up_loc, sizeof sh.up_loc, "%s", location);
	snprintf(sh.up_file, sizeof sh.up_file, "%s", file);
	sh.up_start = start;
	sh.up_stop = stop;
	return true;
}

static enum ocpp_cert_result next_install = OCR_ACCEPTED;
static int ncerts;

static enum ocpp_cert_result cert_install(void *user, enum ocpp_cert_use use, const char *pem,
					  int64_t utc)
{
	(void)user, (void)use, (void)pem;
	assert_int_equal(utc, FX_T0);
	if (next_install == OCR_ACCEPTED)
		ncerts++;
	return next_install;
}

static int cert_list(void *user, enum ocpp_cert_use use, struct ocpp_cert_id *out, int max)
{
	(void)user;
	int n = use == OCU_MANUFACTURER_ROOT ? 0 : ncerts < max ? ncerts : max;
	for (int i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		snprintf(out[i].hash_alg, sizeof out[i].hash_alg, "SHA256");
		snprintf(out[i].name_hash, sizeof out[i].name_hash, "aa%d", i);
		snprintf(out[i].key_hash, sizeof out[i].key_hash, "bb%d", i);
		snprintf(out[i].serial, sizeof out[i].serial, "%x", i + 10);
	}
	return n;
}

static enum ocpp_cert_result cert_delete(void *user, const struct ocpp_cert_id *id)
{
	(void)user;
	if (strcmp(id->serial, "a") != 0 || ncerts == 0)
		return OCR_NOT_FOUND;
	ncerts--;
	return OCR_ACCEPTED;
}

static bool csr_ok = true, signed_ok = true;
static char csr_cn[64], csr_org[64];

static bool csr_new(void *user, const char *cn, const char *org, char *csr, size_t len)
{
	(void)user;
	snprintf(csr_cn, sizeof csr_cn, "%s", cn);
	snprintf(csr_org, sizeof csr_org, "%s", org);
	snprintf(csr, len, "-----BEGIN CERTIFICATE REQUEST-----");
	return csr_ok;
}

static bool have_client_cert;

static bool client_cert_ready(void *user)
{
	(void)user;
	return have_client_cert;
}

static bool cert_signed(void *user, const char *chain, int64_t utc)
{
	(void)user;
	(void)utc;
	return signed_ok && strcmp(chain, "CHAIN") == 0;
}

static int diag_cancels;

static void diag_cancel(void *user)
{
	(void)user;
	diag_cancels++;
}

static void expect_lsn(struct fx *f, const char *status, int request)
{
	json_t *p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), status);
	assert_int_equal(fx_num(p, "requestId"), request);
	fx_reply(f, json_object());
}

static void reset(void *user, bool hard)
{
	(void)user;
	(void)hard;
	sh.resets++;
}

/* The shell's side of a security change (C12). */
static int renews, kept, dropped;
static char stored_profile[8];

static void link_renew(void *user)
{
	(void)user;
	renews++;
}

static void cert_commit(void *user, bool keep)
{
	(void)user;
	if (keep)
		kept++;
	else
		dropped++;
}

static int64_t marker = -1; /* profile_trial's durable marker */

static bool profile_trial(void *user, int64_t from)
{
	(void)user;
	marker = from;
	return true;
}

static bool setting_store(void *user, const char *key, const char *value)
{
	(void)user;
	if (strcmp(key, "SecurityProfile") == 0)
		snprintf(stored_profile, sizeof stored_profile, "%s", value);
	return true;
}

static struct fx *setup(const char *const *sets)
{
	memset(&sh, 0, sizeof sh);
	struct fx *f = fx_new("io7", sets);
	f->io.sec_push = sec_push;
	f->io.sec_head = sec_head;
	f->io.sec_sent = sec_sent;
	f->io.log_upload = log_upload;
	f->io.reset = reset;
	f->io.diag_cancel = diag_cancel;
	diag_cancels = 0;
	f->io.cert_install = cert_install;
	f->io.cert_list = cert_list;
	f->io.cert_delete = cert_delete;
	f->io.csr_new = csr_new;
	f->io.cert_signed = cert_signed;
	f->io.client_cert_ready = client_cert_ready;
	f->io.link_renew = link_renew;
	f->io.cert_commit = cert_commit;
	f->io.setting_store = setting_store;
	f->io.profile_trial = profile_trial;
	marker = -1;
	renews = kept = dropped = 0;
	stored_profile[0] = '\0';
	have_client_cert = false;
	csr_ok = signed_ok = true;
	next_install = OCR_ACCEPTED;
	ncerts = 0;
	return f;
}

static json_t *expect_event(struct fx *f, const char *type)
{
	json_t *p = fx_expect_call(f, "SecurityEventNotification");
	assert_string_equal(fx_str(p, "type"), type);
	return p;
}

/* Queued before the connection, sent after the BootNotification and the
 * statuses; kept while offline; nothing sent twice. */
static void events_queued_and_sent(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	ocpp_security_event(f->o, f->now, "StartupOfTheDevice", "evsed");
	fx_no_frame(f);
	ocpp_on_connected(f->o, f->now);
	fx_expect_call(f, "BootNotification");
	fx_reply(f, fx_json("{'status':'Accepted','currentTime':'2026-01-01T00:00:00Z',"
			    "'interval':300}"));
	for (int c = 0; c < 3; c++) { /* the statuses first */
		fx_expect_call(f, "StatusNotification");
		fx_reply(f, json_object());
	}
	json_t *p = expect_event(f, "StartupOfTheDevice");
	assert_string_equal(fx_str(p, "timestamp"), "2026-01-01T00:00:00Z");
	assert_string_equal(fx_str(p, "techInfo"), "evsed");
	fx_reply(f, json_object());
	assert_true(sh.sent[0]);
	fx_no_frame(f);
	/* Offline: kept, sent once the link is back. */
	ocpp_on_disconnected(f->o, f->now);
	fx_advance(f, 5000);
	ocpp_security_event(f->o, f->now, "MemoryExhaustion", NULL);
	fx_no_frame(f);
	ocpp_on_connected(f->o, f->now);
	p = expect_event(f, "MemoryExhaustion");
	assert_null(json_object_get(p, "techInfo"));
	assert_string_equal(fx_str(p, "timestamp"), "2026-01-01T00:00:05Z");
	fx_reply(f, json_object());
	fx_no_frame(f);
	fx_free(f);
}

/* A CALLERROR: again after TransactionMessageRetryInterval x tries; dropped
 * (marked sent) after TransactionMessageAttempts. */
static void events_retried_then_dropped(void **state)
{
	(void)state;
	const char *sets[] = {"TransactionMessageAttempts", "3", "TransactionMessageRetryInterval",
			      "10", NULL};
	struct fx *f = setup(sets);
	fx_boot(f);
	ocpp_security_event(f->o, f->now, "InvalidMessages", "test");
	for (int attempt = 1; attempt <= 3; attempt++) {
		json_t *p = expect_event(f, "InvalidMessages");
		(void)p;
		char frame[160];
		snprintf(frame, sizeof frame, "[4,\"%s\",\"InternalError\",\"no\",{}]",
			 f->last_call_id);
		ocpp_on_frame(f->o, f->now, frame, strlen(frame));
		if (attempt == 3)
			break;
		fx_advance(f, 10000 * attempt - 1);
		fx_no_frame(f);
		fx_advance(f, 1);
	}
	assert_true(sh.sent[0]);
	fx_advance(f, 100000);
	while (f->read < f->nframes) { /* heartbeats only */
		json_t *j = fx_next(f);
		assert_string_equal(json_string_value(json_array_get(j, 2)), "Heartbeat");
		fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:01:40Z'}"));
	}
	fx_free(f);
}

/* The engine's own events: a Reset, a step of the clock (not a small
 * correction), a tilt. */
static void engine_events(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "Reset", fx_json("{'type':'Soft'}")), "Accepted");
	assert_int_equal(sh.resets, 1);
	assert_int_equal(sh.n, 1);
	assert_string_equal(sh.q[0].type, "ResetOrReboot");
	assert_string_equal(sh.q[0].tech_info, "Reset Soft by the Central System");
	expect_event(f, "ResetOrReboot");
	fx_reply(f, json_object());

	/* Heartbeat answers: 30 s off is drift, 2 h is a step. */
	assert_string_equal(
	    fx_call_status(f, "TriggerMessage", fx_json("{'requestedMessage':'Heartbeat'}")),
	    "Accepted");
	fx_expect_call(f, "Heartbeat");
	fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:00:30Z'}"));
	fx_no_frame(f);
	assert_int_equal(sh.n, 1);
	assert_string_equal(
	    fx_call_status(f, "TriggerMessage", fx_json("{'requestedMessage':'Heartbeat'}")),
	    "Accepted");
	fx_expect_call(f, "Heartbeat");
	fx_reply(f, fx_json("{'currentTime':'2026-01-01T02:00:30Z'}"));
	json_t *p = expect_event(f, "SettingSystemTime");
	assert_string_equal(fx_str(p, "timestamp"), "2026-01-01T02:00:30Z");
	assert_string_equal(fx_str(p, "techInfo"), "clock moved by 7200 s by the Central System");
	fx_reply(f, json_object());

	charger_on_fault(f->ch, f->now, 0, FAULT_TILT, true);
	ocpp_on_status(f->o, f->now, 0);
	bool tamper = false;
	for (int guard = 0; guard < 8 && f->read < f->nframes; guard++) {
		json_t *j = fx_next(f);
		if (strcmp(json_string_value(json_array_get(j, 2)), "SecurityEventNotification") ==
		    0) {
			assert_string_equal(fx_str(json_array_get(j, 3), "type"),
					    "TamperDetectionActivated");
			tamper = true;
		}
		fx_reply(f, json_object());
	}
	assert_true(tamper);
	fx_free(f);
}

static const char *ext_trigger(struct fx *f, const char *what, int conn)
{
	json_t *p = json_pack("{s:s}", "requestedMessage", what);
	if (conn >= 0)
		json_object_set_new(p, "connectorId", json_integer(conn));
	return fx_call_status(f, "ExtendedTriggerMessage", p);
}

/* ExtendedTriggerMessage: TriggerMessage's messages with its rules, the log
 * status, the signed firmware status, NotImplemented for the parts not
 * built. */
static void extended_trigger(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	fx_boot(f);
	assert_string_equal(ext_trigger(f, "StatusNotification", 2), "Accepted");
	assert_int_equal(fx_num(fx_expect_call(f, "StatusNotification"), "connectorId"), 2);
	fx_reply(f, json_object());
	assert_string_equal(ext_trigger(f, "StatusNotification", 3), "Rejected");
	assert_string_equal(ext_trigger(f, "Heartbeat", -1), "Accepted");
	fx_expect_call(f, "Heartbeat");
	fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:00:00Z'}"));
	assert_string_equal(ext_trigger(f, "LogStatusNotification", -1), "Accepted");
	json_t *p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), "Idle");
	assert_null(json_object_get(p, "requestId"));
	fx_reply(f, json_object());
	/* FirmwareStatusNotification: the signed update's, Idle when none runs. */
	assert_string_equal(ext_trigger(f, "FirmwareStatusNotification", -1), "Accepted");
	p = fx_expect_call(f, "SignedFirmwareStatusNotification");
	assert_string_equal(fx_str(p, "status"), "Idle");
	assert_null(json_object_get(p, "requestId"));
	fx_reply(f, json_object());
	/* SignChargePointCertificate: without CpoName Rejected, no key made. */
	csr_cn[0] = '\0';
	assert_string_equal(ext_trigger(f, "SignChargePointCertificate", -1), "Rejected");
	fx_no_frame(f);
	assert_string_equal(csr_cn, "");
	assert_string_equal(fx_call_status(f, "ChangeConfiguration",
					   fx_json("{'key':'CpoName','value':'Example CPO B.V.'}")),
			    "Accepted");
	/* Then a key and its request (CN the charge point, O the CPO), then
	 * SignCertificate. */
	assert_string_equal(ext_trigger(f, "SignChargePointCertificate", -1), "Accepted");
	p = fx_expect_call(f, "SignCertificate");
	assert_string_equal(fx_str(p, "csr"), "-----BEGIN CERTIFICATE REQUEST-----");
	assert_string_equal(csr_cn, "RATIOIO7000001");
	assert_string_equal(csr_org, "Example CPO B.V.");
	fx_reply(f, fx_json("{'status':'Accepted'}"));
	csr_ok = false;
	assert_string_equal(ext_trigger(f, "SignChargePointCertificate", -1), "Rejected");
	fx_no_frame(f);
	fx_free(f);
}

/* GetLog: Accepted with the filename, Uploading / Uploaded with the
 * requestId, the window and type handed on; retries then UploadFailure; a
 * GetLog while one uploads cancels it (AcceptedCanceled). */
static void get_log(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	fx_boot(f);
	json_t *r = fx_call_ok(f, "GetLog",
			       fx_json("{'log':{'remoteLocation':'ftp://logs.example/in/',"
				       "'oldestTimestamp':'2025-12-31T00:00:00Z'},"
				       "'logType':'SecurityLog','requestId':42}"));
	assert_string_equal(fx_str(r, "status"), "Accepted");
	assert_string_equal(fx_str(r, "filename"),
			    "securitylog-RATIOIO7000001-20260101T000000Z.log");
	json_t *p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), "Uploading");
	assert_int_equal(fx_num(p, "requestId"), 42);
	fx_reply(f, json_object());
	assert_int_equal(sh.uploads, 1);
	assert_string_equal(sh.up_type, "SecurityLog");
	assert_string_equal(sh.up_loc, "ftp://logs.example/in/");
	assert_int_equal(sh.up_start, FX_T0 - 86400);
	assert_int_equal(sh.up_stop, 0);
	/* While it runs: the triggered status names it. */
	assert_string_equal(ext_trigger(f, "LogStatusNotification", -1), "Accepted");
	p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), "Uploading");
	assert_int_equal(fx_num(p, "requestId"), 42);
	fx_reply(f, json_object());
	ocpp_diag_done(f->o, f->now, true, NULL);
	p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), "Uploaded");
	assert_int_equal(fx_num(p, "requestId"), 42);
	fx_reply(f, json_object());

	r = fx_call_ok(f, "GetLog",
		       fx_json("{'log':{'remoteLocation':'http://x/'},'logType':'DiagnosticsLog',"
			       "'requestId':44,'retries':1,'retryInterval':15}"));
	assert_string_equal(fx_str(r, "filename"),
			    "diagnosticslog-RATIOIO7000001-20260101T000000Z.tar.gz");
	fx_expect_call(f, "LogStatusNotification");
	fx_reply(f, json_object());
	assert_string_equal(sh.up_type, "DiagnosticsLog");
	ocpp_diag_done(f->o, f->now, false, "refused");
	fx_advance(f, 15000);
	assert_int_equal(sh.uploads, 3);
	fx_no_frame(f);
	ocpp_diag_done(f->o, f->now, false, "refused");
	p = fx_expect_call(f, "LogStatusNotification");
	assert_string_equal(fx_str(p, "status"), "UploadFailure");
	assert_int_equal(fx_num(p, "requestId"), 44);
	fx_reply(f, json_object());

	/* A GetLog while one uploads cancels it: AcceptedCanceled, the new
	 * one's notifications only. */
	r = fx_call_ok(f, "GetLog",
		       fx_json("{'log':{'remoteLocation':'ftp://x/'},'logType':'SecurityLog',"
			       "'requestId':45}"));
	expect_lsn(f, "Uploading", 45);
	r = fx_call_ok(f, "GetLog",
		       fx_json("{'log':{'remoteLocation':'ftp://y/'},'logType':'SecurityLog',"
			       "'requestId':46}"));
	assert_string_equal(fx_str(r, "status"), "AcceptedCanceled");
	assert_int_equal(diag_cancels, 1);
	expect_lsn(f, "Uploading", 46);
	assert_string_equal(sh.up_loc, "ftp://y/");
	ocpp_diag_done(f->o, f->now, true, NULL);
	expect_lsn(f, "Uploaded", 46);
	fx_no_frame(f);
	fx_free(f);
}

/* CertificateSigned: Accepted when the shell takes the chain; Rejected with
 * InvalidChargePointCertificate otherwise. */
static void certificate_signed(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	fx_boot(f);
	assert_string_equal(
	    fx_call_status(f, "CertificateSigned", fx_json("{'certificateChain':'CHAIN'}")),
	    "Accepted");
	fx_no_frame(f);
	assert_string_equal(
	    fx_call_status(f, "CertificateSigned", fx_json("{'certificateChain':'OTHER'}")),
	    "Rejected");
	expect_event(f, "InvalidChargePointCertificate");
	fx_reply(f, json_object());
	fx_free(f);
}

/* Root certificates: the answers from the store's results, the hash data
 * listed, InvalidCentralSystemCertificate for a refused Central System root
 * only. */
static void certificates(void **state)
{
	(void)state;
	struct fx *f = setup(NULL);
	fx_boot(f);
	json_t *cs = fx_json("{'certificateType':'CentralSystemRootCertificate'}");
	assert_string_equal(
	    fx_str(fx_call_ok(f, "GetInstalledCertificateIds", json_incref(cs)), "status"),
	    "NotFound");
	json_t *inst =
	    fx_json("{'certificateType':'CentralSystemRootCertificate','certificate':'x'}");
	assert_string_equal(fx_call_status(f, "InstallCertificate", json_incref(inst)), "Accepted");
	json_t *r = fx_call_ok(f, "GetInstalledCertificateIds", json_incref(cs));
	assert_string_equal(fx_str(r, "status"), "Accepted");
	json_t *h = json_array_get(json_object_get(r, "certificateHashData"), 0);
	assert_string_equal(fx_str(h, "hashAlgorithm"), "SHA256");
	assert_string_equal(fx_str(h, "serialNumber"), "a");
	assert_string_equal(
	    fx_str(fx_call_ok(f, "GetInstalledCertificateIds",
			      fx_json("{'certificateType':'ManufacturerRootCertificate'}")),
		   "status"),
	    "NotFound");
	next_install = OCR_FAILED;
	assert_string_equal(fx_call_status(f, "InstallCertificate", json_incref(inst)), "Failed");
	fx_no_frame(f);
	next_install = OCR_REJECTED;
	assert_string_equal(fx_call_status(f, "InstallCertificate", json_incref(inst)), "Rejected");
	json_t *p = expect_event(f, "InvalidCentralSystemCertificate");
	(void)p;
	fx_reply(f, json_object());
	assert_string_equal(
	    fx_call_status(
		f, "InstallCertificate",
		fx_json("{'certificateType':'ManufacturerRootCertificate','certificate':'x'}")),
	    "Rejected");
	fx_no_frame(f);
	json_t *del =
	    fx_json("{'certificateHashData':{'hashAlgorithm':'SHA256','issuerNameHash':'aa0',"
		    "'issuerKeyHash':'bb0','serialNumber':'a'}}");
	assert_string_equal(fx_call_status(f, "DeleteCertificate", json_incref(del)), "Accepted");
	assert_string_equal(fx_call_status(f, "DeleteCertificate", json_incref(del)), "NotFound");
	json_decref(cs);
	json_decref(inst);
	json_decref(del);
	fx_free(f);
}

static const char *set_profile(struct fx *f, const char *v)
{
	const char *st =
	    fx_call_status(f, "ChangeConfiguration",
			   json_pack("{s:s, s:s}", "key", "SecurityProfile", "value", v));
	/* A change taken is a security event. */
	if (strcmp(st, "Accepted") == 0) {
		json_t *p = expect_event(f, "ReconfigurationOfSecurityParameters");
		assert_string_equal(fx_str(p, "techInfo"), "SecurityProfile");
		fx_reply(f, json_object());
	}
	return st;
}

/* SecurityProfile: raised when the connection settings allow it, never
 * lowered; the start check says what is missing. */
static void security_profile(void **state)
{
	(void)state;
	const char *sets[] = {"ocpp.url", "wss://csms.example/ocpp", "ocpp.password",
			      "pw123456", "SecurityProfile",	     "1",
			      NULL};
	struct fx *f = setup(sets);
	fx_boot(f);
	assert_string_equal(set_profile(f, "0"), "Rejected");
	assert_string_equal(set_profile(f, "2"), "Accepted");
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2);
	assert_string_equal(set_profile(f, "1"), "Rejected");
	assert_string_equal(set_profile(f, "2"), "Accepted");
	/* 3 once a charge point certificate is installed. */
	assert_string_equal(set_profile(f, "3"), "Rejected");
	have_client_cert = true;
	assert_string_equal(set_profile(f, "3"), "Accepted");
	assert_string_equal(set_profile(f, "2"), "Rejected");
	fx_free(f);

	static const struct {
		const char *url, *password;
		int profile;
		bool cert;
		const char *why; /* NULL: fits */
	} rows[] = {
	    {"ws://x/", "", 0, false, NULL},
	    {"ws://x/", "", 1, false, "1 needs ocpp.password (HTTP Basic auth)"},
	    {"ws://x/", "pw", 1, false, NULL},
	    {"ws://x/", "pw", 2, false, NULL}, /* used as wss:// */
	    {"wss://x/", "pw", 2, false, NULL},
	    {"wss://x/", "", 2, false, "2 needs ocpp.password (HTTP Basic auth)"},
	    {"wss://x/", "pw", 3, false, "3 needs a charge point certificate (CertificateSigned)"},
	    {"ws://x/", "", 3, true, NULL},
	    {"wss://x/", "", 3, true, NULL}, /* no password needed */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *s2[] = {"ocpp.url", rows[i].url, "ocpp.password", rows[i].password,
				    NULL};
		f = setup(s2);
		char why[120] = "";
		bool ok = ocpp_security_profile_fits(f->s, rows[i].profile, rows[i].cert, why,
						     sizeof why);
		if (rows[i].why) {
			assert_false(ok);
			assert_string_equal(why, rows[i].why);
		} else {
			assert_true(ok);
		}
		fx_free(f);
	}
}

/* The URL a profile connects to: wss:// from 2 on, same host, port, path. */
static void security_url(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		int profile;
		const char *want;
	} rows[] = {
	    {"ws://h:8080/ocpp", 0, "ws://h:8080/ocpp"},
	    {"ws://h:8080/ocpp", 1, "ws://h:8080/ocpp"},
	    {"ws://h:8080/ocpp", 2, "wss://h:8080/ocpp"},
	    {"ws://h/a/b/", 3, "wss://h/a/b/"},
	    {"wss://h/ocpp", 0, "wss://h/ocpp"},
	    {"wss://h/ocpp", 3, "wss://h/ocpp"},
	};
	char out[64];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_true(ocpp_security_url(rows[i].url, rows[i].profile, out, sizeof out));
		assert_string_equal(out, rows[i].want);
	}
	assert_false(ocpp_security_url("ws://h:8080/ocpp", 2, out, 17)); /* no room */
}

static const char *const plain1[] = {"ocpp.url", "ws://csms.example/ocpp", "ocpp.password",
				     "pw123456", "SecurityProfile",	   "1",
				     NULL};

/* 1 -> 2 over a ws:// URL needs something to verify the CSMS with; taken,
 * it is stored with a durable trial marker (from 1) first; the connection
 * closed for it is no failure; the first connection with it keeps it (the
 * marker goes). Failures on the way raise their security event once each,
 * sent once connected. */
static void profile_upgrade_kept(void **state)
{
	(void)state;
	struct fx *f = setup(plain1);
	fx_boot(f);
	assert_string_equal(set_profile(f, "2"), "Rejected"); /* no root, no ocpp.ca_file */
	assert_int_equal(renews, 0);
	ncerts = 1; /* InstallCertificate CentralSystemRootCertificate */
	assert_string_equal(set_profile(f, "2"), "Accepted");
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2);
	assert_int_equal(renews, 1);
	assert_string_equal(stored_profile, "2");
	assert_int_equal(marker, 1);
	ocpp_on_disconnected(f->o, f->now); /* the renewal's close */
	ocpp_on_connect_failed(f->o, f->now, OLF_SERVER_CERT,
			       "TLS: server certificate not trusted");
	ocpp_on_connect_failed(f->o, f->now, OLF_SERVER_CERT,
			       "TLS: server certificate not trusted");
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2); /* 2 of 3 tries */
	assert_int_equal(marker, 1);
	ocpp_on_connected(f->o, f->now);
	assert_int_equal(marker, -1);
	json_t *p = expect_event(f, "InvalidCentralSystemCertificate");
	assert_string_equal(fx_str(p, "techInfo"), "TLS: server certificate not trusted");
	fx_reply(f, json_object());
	fx_no_frame(f);
	/* Lost later: no trial any more, the profile stays whatever fails. */
	ocpp_on_disconnected(f->o, f->now);
	for (int i = 0; i < 5; i++)
		ocpp_on_connect_failed(f->o, f->now, OLF_AUTH, "server answered HTTP 401");
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2);
	assert_int_equal(renews, 1);
	ocpp_on_connected(f->o, f->now);
	p = expect_event(f, "FailedToAuthenticateAtCentralSystem");
	fx_reply(f, json_object());
	fx_no_frame(f);
	fx_free(f);
}

/* A new profile that fails OCPP_SEC_TRIAL_ATTEMPTS attempts in a row: the
 * one before back (stored), renewed, and reported once connected. */
static void profile_upgrade_falls_back(void **state)
{
	(void)state;
	struct fx *f = setup(plain1);
	fx_boot(f);
	ncerts = 1;
	assert_string_equal(set_profile(f, "2"), "Accepted");
	ocpp_on_disconnected(f->o, f->now);
	for (int i = 0; i < OCPP_SEC_TRIAL_ATTEMPTS; i++) {
		assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2);
		ocpp_on_connect_failed(f->o, f->now, OLF_OTHER, "cannot connect");
	}
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 1);
	assert_string_equal(stored_profile, "1");
	assert_int_equal(marker, -1);
	assert_int_equal(renews, 2);
	ocpp_on_connected(f->o, f->now);
	json_t *p = expect_event(f, "ReconfigurationOfSecurityParameters");
	assert_string_equal(fx_str(p, "techInfo"),
			    "SecurityProfile 2 failed (cannot connect): back to 1");
	fx_reply(f, json_object());
	fx_no_frame(f);
	/* The installer's change (marked, stored, set) is tried the same way. */
	assert_true(ocpp_security_mark(f->o));
	assert_int_equal(marker, 1);
	assert_true(settings_set(f->s, "SecurityProfile", "0", SRC_RUNTIME, NULL, 0, NULL) ==
		    SET_OK);
	ocpp_security_renew(f->o, f->now);
	assert_int_equal(renews, 3);
	ocpp_on_disconnected(f->o, f->now);
	ocpp_on_connected(f->o, f->now);
	assert_int_equal(marker, -1);
	fx_no_frame(f);
	fx_free(f);
}

/* A trial the last run left (a Reset or a power cut right after the change):
 * resumed at start, it falls back as before, or is kept once connected. */
static void profile_trial_resumed(void **state)
{
	(void)state;
	const char *sets[] = {"ocpp.url", "ws://csms.example/ocpp", "ocpp.password",
			      "pw123456", "SecurityProfile",	    "2",
			      NULL};
	struct fx *f = setup(sets);
	marker = 1;
	ocpp_security_resume(f->o, 1);
	for (int i = 0; i < OCPP_SEC_TRIAL_ATTEMPTS; i++)
		ocpp_on_connect_failed(f->o, f->now, OLF_SERVER_CERT,
				       "TLS: server certificate not trusted");
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 1);
	assert_string_equal(stored_profile, "1");
	assert_int_equal(marker, -1);
	assert_int_equal(renews, 1);
	fx_free(f);
	f = setup(sets);
	marker = 1;
	ocpp_security_resume(f->o, 1);
	fx_boot(f);
	assert_int_equal(marker, -1);
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 2);
	fx_free(f);
}

/* CertificateSigned at profile 3: the new certificate is tried, kept once
 * connected, dropped after the failed attempts (the old one stays); below
 * profile 3 it is kept at once (the connection does not use it). */
static void certificate_trial(void **state)
{
	(void)state;
	const char *sets[] = {"ocpp.url", "wss://csms.example/ocpp", "SecurityProfile", "3", NULL};
	struct fx *f = setup(sets);
	fx_boot(f);
	json_t *chain = fx_json("{'certificateChain':'CHAIN'}");
	assert_string_equal(fx_call_status(f, "CertificateSigned", json_incref(chain)), "Accepted");
	assert_int_equal(renews, 1);
	assert_int_equal(kept + dropped, 0);
	ocpp_on_disconnected(f->o, f->now);
	ocpp_on_connected(f->o, f->now);
	assert_int_equal(kept, 1);
	assert_string_equal(stored_profile, ""); /* the profile did not change */
	fx_no_frame(f);
	assert_string_equal(fx_call_status(f, "CertificateSigned", json_incref(chain)), "Accepted");
	ocpp_on_disconnected(f->o, f->now);
	for (int i = 0; i < OCPP_SEC_TRIAL_ATTEMPTS; i++)
		ocpp_on_connect_failed(f->o, f->now, OLF_OTHER, "server closed the connection");
	assert_int_equal(dropped, 1);
	assert_int_equal(settings_int(f->s, SET_SECURITY_PROFILE), 3);
	assert_int_equal(renews, 3);
	ocpp_on_connected(f->o, f->now);
	json_t *p = expect_event(f, "ReconfigurationOfSecurityParameters");
	assert_string_equal(fx_str(p, "techInfo"), "new charge point certificate failed (server "
						   "closed the connection): the previous one kept");
	fx_reply(f, json_object());
	fx_no_frame(f);
	fx_free(f);
	f = setup(NULL);
	fx_boot(f);
	assert_string_equal(fx_call_status(f, "CertificateSigned", json_incref(chain)), "Accepted");
	assert_int_equal(kept, 1);
	assert_int_equal(renews, 0);
	json_decref(chain);
	fx_free(f);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(events_queued_and_sent, fx_teardown),
    cmocka_unit_test_teardown(events_retried_then_dropped, fx_teardown),
    cmocka_unit_test_teardown(engine_events, fx_teardown),
    cmocka_unit_test_teardown(extended_trigger, fx_teardown),
    cmocka_unit_test_teardown(get_log, fx_teardown),
    cmocka_unit_test_teardown(certificates, fx_teardown),
    cmocka_unit_test_teardown(security_profile, fx_teardown),
    cmocka_unit_test_teardown(certificate_signed, fx_teardown),
    cmocka_unit_test(security_url),
    cmocka_unit_test_teardown(profile_upgrade_kept, fx_teardown),
    cmocka_unit_test_teardown(profile_upgrade_falls_back, fx_teardown),
    cmocka_unit_test_teardown(profile_trial_resumed, fx_teardown),
    cmocka_unit_test_teardown(certificate_trial, fx_teardown),
};
/* clang-format on */

VCLOCK_MAIN("ocpp_security", tests)
