/* SPDX-License-Identifier: MIT */
/*
 * The parts of the OCPP 1.6 security extension ("Improved security for
 * OCPP 1.6-J", C12) evsed has: ExtendedTriggerMessage, GetLog (the
 * diagnostics log and the security log, with LogStatusNotification, over the
 * GetDiagnostics upload of ocpp_fw.c) and the tamper security event. The
 * SecurityEventNotification queue is in ocpp.c (it is sent like a
 * transaction message), root certificates (InstallCertificate,
 * GetInstalledCertificateIds, DeleteCertificate; stored and checked by the
 * shell), the charge point's key and certificate (ExtendedTriggerMessage
 * SignChargePointCertificate -> SignCertificate; CertificateSigned) and the
 * SecurityProfile rules, and a new profile or charge point certificate on
 * trial: the connection renewed with it, kept once a connection succeeds,
 * given up after OCPP_SEC_TRIAL_ATTEMPTS failed attempts; the security
 * events of failed connections. SignedUpdateFirmware is in ocpp_fw.c. Not
 * here: the transport itself (the shell builds it from the settings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fault.h"
#include "ocpp_int.h"
#include "schema.h"

/* SignCertificate.req's csr is at most 5500 characters. */
#define CSR_MAX 5500

static void trial_start(struct ocpp *o, bool cert);

json_t *ocpp_op_extended_trigger_message(struct ocpp *o, int64_t now, json_t *req,
					 enum ocpp_err *err, char *msg, size_t msglen)
{
	const char *what = json_string_value(json_object_get(req, "requestedMessage"));
	/* FirmwareStatusNotification: the signed update's status. */
	if (strcmp(what, "FirmwareStatusNotification") == 0) {
		if (ocpp_vq_room(o) < 1)
			return json_pack("{s:s}", "status", "Rejected");
		bool running = o->fw.signed_fw && o->fw.phase != FWP_IDLE;
		json_t *p = json_pack("{s:s}", "status", running ? ocpp_fw_status(o) : "Idle");
		if (running)
			json_object_set_new(p, "requestId", json_integer(o->fw.request));
		ocpp_vq_push_triggered(o, "SignedFirmwareStatusNotification", p);
		return json_pack("{s:s}", "status", "Accepted");
	}
	/* SignChargePointCertificate: a new key and its request. */
	if (strcmp(what, "SignChargePointCertificate") == 0) {
		/* A board without key storage (the daemon always has it). */
		if (!o->io->csr_new) {
			ocpp_trace(o, "ocpp: ExtendedTriggerMessage %s: no key storage here", what);
			return json_pack("{s:s}", "status", "NotImplemented");
		}
		const char *id = settings_str(o->set, SET_OCPP_ID);
		if (!id[0])
			id = settings_str(o->set, SET_CHARGER_SERIAL);
		/* The certificate's organization is the CPO's (the whitepaper's
		 * CpoName, which OCTT TC_074 configures first): no request
		 * without it rather than one naming somebody else. */
		const char *cpo = settings_str(o->set, SET_CPO_NAME);
		if (!cpo[0]) {
			ocpp_trace(o,
				   "ocpp: ExtendedTriggerMessage %s rejected: CpoName is not set",
				   what);
			return json_pack("{s:s}", "status", "Rejected");
		}
		char *csr = malloc(CSR_MAX + 1);
		if (!csr || ocpp_vq_room(o) < 1 ||
		    !o->io->csr_new(o->io->user, id, cpo, csr, CSR_MAX + 1)) {
			free(csr);
			return json_pack("{s:s}", "status", "Rejected");
		}
		ocpp_vq_push_triggered(o, "SignCertificate", json_pack("{s:s}", "csr", csr));
		free(csr);
		ocpp_trace(o, "ocpp: a new key made; SignCertificate follows");
		return json_pack("{s:s}", "status", "Accepted");
	}
	if (strcmp(what, "LogStatusNotification") == 0) {
		if (ocpp_vq_room(o) < 1)
			return json_pack("{s:s}", "status", "Rejected");
		json_t *p = json_pack("{s:s}", "status",
				      o->diag.active && o->diag.getlog ? "Uploading" : "Idle");
		if (o->diag.active && o->diag.getlog)
			json_object_set_new(p, "requestId", json_integer(o->diag.request));
		ocpp_vq_push_triggered(o, "LogStatusNotification", p);
		return json_pack("{s:s}", "status", "Accepted");
	}
	/* The others are TriggerMessage's, with its rules. */
	return ocpp_op_trigger_message(o, now, req, err, msg, msglen);
}

json_t *ocpp_op_get_log(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err, char *msg,
			size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	json_t *log = json_object_get(req, "log");
	const char *loc = json_string_value(json_object_get(log, "remoteLocation"));
	bool security =
	    strcmp(json_string_value(json_object_get(req, "logType")), "SecurityLog") == 0;
	if (strlen(loc) >= sizeof o->diag.location) {
		ocpp_trace(o, "ocpp: GetLog rejected: remoteLocation too long");
		return json_pack("{s:s}", "status", "Rejected");
	}
	/* A new log upload cancels the one under way (AcceptedCanceled). */
	bool canceled = o->diag.active;
	if (canceled) {
		ocpp_trace(o, "ocpp: GetLog cancels the upload of %s", o->diag.file);
		if (o->diag.uploading && o->io->diag_cancel)
			o->io->diag_cancel(o->io->user);
		o->diag.active = false;
	}
	int64_t utc = ocpp_utc(o, now), start = 0, stop = 0;
	const char *t = json_string_value(json_object_get(log, "oldestTimestamp"));
	if (t)
		(void)settings_parse_utc(t, &start);
	t = json_string_value(json_object_get(log, "latestTimestamp"));
	if (t)
		(void)settings_parse_utc(t, &stop);
	json_t *v = json_object_get(req, "retries");
	json_int_t retries = v ? ocpp_schema_int(v) : 0;
	v = json_object_get(req, "retryInterval");
	json_int_t interval = v ? ocpp_schema_int(v) : 60;
	memset(&o->diag, 0, sizeof o->diag);
	snprintf(o->diag.location, sizeof o->diag.location, "%s", loc);
	o->diag.retries = (int)(retries < 0 ? 0 : retries > 10 ? 10 : retries);
	o->diag.interval = (int)(interval < 0 ? 0 : interval > 86400 ? 86400 : interval);
	o->diag.start_utc = start;
	o->diag.stop_utc = stop;
	o->diag.retry_at_utc = utc;
	o->diag.getlog = true;
	o->diag.security = security;
	o->diag.request = (int32_t)ocpp_schema_int(json_object_get(req, "requestId"));
	ocpp_upload_name(o, utc, security ? "securitylog" : "diagnosticslog",
			 security ? ".log" : ".tar.gz", o->diag.file, sizeof o->diag.file);
	o->diag.active = true;
	char u[600];
	ocpp_trace(o, "ocpp: GetLog %s (request %d) to %s as %s",
		   security ? "SecurityLog" : "DiagnosticsLog", (int)o->diag.request,
		   ocpp_url_for_log(loc, u, sizeof u), o->diag.file);
	return json_pack("{s:s, s:s}", "status", canceled ? "AcceptedCanceled" : "Accepted",
			 "filename", o->diag.file);
}

void ocpp_security_tamper(struct ocpp *o, int64_t now)
{
	uint32_t tamper = (1u << FAULT_TILT) | (1u << FAULT_BUMP);
	uint32_t now_on = charger_faults(o->ch) & tamper;
	uint32_t fresh = now_on & ~o->tamper_seen;
	o->tamper_seen = now_on;
	if (fresh)
		ocpp_security_event(o, now, "TamperDetectionActivated",
				    (fresh & (1u << FAULT_TILT)) ? "tilt" : "bump");
}

/* ---- the charge point's certificate -------------------------------------------- */

json_t *ocpp_op_certificate_signed(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	const char *chain = json_string_value(json_object_get(req, "certificateChain"));
	bool ok = o->io->cert_signed && o->io->cert_signed(o->io->user, chain, ocpp_utc(o, now));
	ocpp_trace(o, "ocpp: CertificateSigned %s", ok ? "accepted" : "rejected");
	if (!ok)
		ocpp_security_event(o, now, "InvalidChargePointCertificate",
				    "CertificateSigned refused");
	else if (settings_int(o->set, SET_SECURITY_PROFILE) == 3)
		trial_start(o, true); /* the connection uses it: tried first */
	else if (o->io->cert_commit)
		o->io->cert_commit(o->io->user, true);
	return json_pack("{s:s}", "status", ok ? "Accepted" : "Rejected");
}

/* ---- root certificates ------------------------------------------------------ */

static enum ocpp_cert_use use_of(json_t *req)
{
	return strcmp(json_string_value(json_object_get(req, "certificateType")),
		      "ManufacturerRootCertificate") == 0
		   ? OCU_MANUFACTURER_ROOT
		   : OCU_CENTRAL_SYSTEM_ROOT;
}

json_t *ocpp_op_install_certificate(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				    char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	enum ocpp_cert_use use = use_of(req);
	const char *pem = json_string_value(json_object_get(req, "certificate"));
	enum ocpp_cert_result r = o->io->cert_install
				      ? o->io->cert_install(o->io->user, use, pem, ocpp_utc(o, now))
				      : OCR_FAILED;
	static const char *const names[] = {"Accepted", "Rejected", "Failed", "Failed"};
	ocpp_trace(o, "ocpp: InstallCertificate %s: %s",
		   use == OCU_MANUFACTURER_ROOT ? "ManufacturerRootCertificate"
						: "CentralSystemRootCertificate",
		   names[r]);
	/* The whitepaper's event for a Central System root that is not valid. */
	if (r == OCR_REJECTED && use == OCU_CENTRAL_SYSTEM_ROOT)
		ocpp_security_event(o, now, "InvalidCentralSystemCertificate",
				    "InstallCertificate refused");
	return json_pack("{s:s}", "status", names[r]);
}

static json_t *cert_id_json(const struct ocpp_cert_id *c)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "hashAlgorithm", c->hash_alg, "issuerNameHash",
			 c->name_hash, "issuerKeyHash", c->key_hash, "serialNumber", c->serial);
}

json_t *ocpp_op_get_installed_certificate_ids(struct ocpp *o, int64_t now, json_t *req,
					      enum ocpp_err *err, char *msg, size_t msglen)
{
	(void)now;
	(void)err;
	(void)msg;
	(void)msglen;
	struct ocpp_cert_id ids[OCPP_CERTS_MAX];
	int n =
	    o->io->cert_list ? o->io->cert_list(o->io->user, use_of(req), ids, OCPP_CERTS_MAX) : 0;
	if (n <= 0)
		return json_pack("{s:s}", "status", "NotFound");
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, cert_id_json(&ids[i]));
	return json_pack("{s:s, s:o}", "status", "Accepted", "certificateHashData", a);
}

json_t *ocpp_op_delete_certificate(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				   char *msg, size_t msglen)
{
	(void)now;
	(void)err;
	(void)msg;
	(void)msglen;
	json_t *h = json_object_get(req, "certificateHashData");
	struct ocpp_cert_id id;
	memset(&id, 0, sizeof id);
	snprintf(id.hash_alg, sizeof id.hash_alg, "%s",
		 json_string_value(json_object_get(h, "hashAlgorithm")));
	snprintf(id.name_hash, sizeof id.name_hash, "%s",
		 json_string_value(json_object_get(h, "issuerNameHash")));
	snprintf(id.key_hash, sizeof id.key_hash, "%s",
		 json_string_value(json_object_get(h, "issuerKeyHash")));
	snprintf(id.serial, sizeof id.serial, "%s",
		 json_string_value(json_object_get(h, "serialNumber")));
	enum ocpp_cert_result r =
	    o->io->cert_delete ? o->io->cert_delete(o->io->user, &id) : OCR_NOT_FOUND;
	const char *status = r == OCR_ACCEPTED	  ? "Accepted"
			     : r == OCR_NOT_FOUND ? "NotFound"
						  : "Failed";
	ocpp_trace(o, "ocpp: DeleteCertificate serial %s: %s", id.serial, status);
	return json_pack("{s:s}", "status", status);
}

/* ---- security profiles ---------------------------------------------------------- */

bool ocpp_security_profile_fits(const struct settings *s, int64_t profile, bool client_cert,
				char *why, size_t whylen)
{
	if (profile >= 3) {
		if (!client_cert) {
			snprintf(why, whylen,
				 "3 needs a charge point certificate (CertificateSigned)");
			return false;
		}
		return true;
	}
	if (profile >= 1 && !settings_str(s, SET_OCPP_PASSWORD)[0]) {
		snprintf(why, whylen, "%lld needs ocpp.password (HTTP Basic auth)",
			 (long long)profile);
		return false;
	}
	return true;
}

bool ocpp_security_url(const char *url, int64_t profile, char *out, size_t len)
{
	bool plain = strncmp(url, "ws://", 5) == 0;
	int n = profile >= 2 && plain ? snprintf(out, len, "wss://%s", url + 5)
				      : snprintf(out, len, "%s", url);
	return n >= 0 && (size_t)n < len;
}

bool ocpp_security_profile_change(struct ocpp *o, const char *value)
{
	char *end;
	long long want = strtoll(value, &end, 10);
	int64_t have = settings_int(o->set, SET_SECURITY_PROFILE);
	char why[120];
	if (want < have) {
		ocpp_trace(o, "ocpp: SecurityProfile %lld refused: no downgrade from %lld", want,
			   (long long)have);
		return false;
	}
	bool cert = o->io->client_cert_ready && o->io->client_cert_ready(o->io->user);
	if (!ocpp_security_profile_fits(o->set, want, cert, why, sizeof why)) {
		ocpp_trace(o, "ocpp: SecurityProfile %lld refused: %s", want, why);
		return false;
	}
	/* TLS where there was none: something must verify the Central System
	 * (the whitepaper's prerequisite: a root installed first). */
	struct ocpp_cert_id id;
	if (want >= 2 && strncmp(settings_str(o->set, SET_OCPP_URL), "ws://", 5) == 0 &&
	    !settings_str(o->set, SET_OCPP_CA_FILE)[0] &&
	    (!o->io->cert_list ||
	     o->io->cert_list(o->io->user, OCU_CENTRAL_SYSTEM_ROOT, &id, 1) <= 0)) {
		ocpp_trace(o,
			   "ocpp: SecurityProfile %lld refused: TLS needs a Central System root "
			   "(InstallCertificate) or ocpp.ca_file",
			   want);
		return false;
	}
	return true;
}

/* ---- a security change on trial --------------------------------------------- */

/* Connect again with the profile / certificate now set, on trial. */
static void trial_start(struct ocpp *o, bool cert)
{
	if (o->sec.state == SEC_IDLE)
		o->sec.cert = false;
	o->sec.cert = o->sec.cert || cert;
	o->sec.fails = 0;
	o->sec.why[0] = '\0';
	o->sec.state = o->connected ? SEC_CLOSING : SEC_TRYING;
	ocpp_trace(o, "ocpp: reconnecting with %s (SecurityProfile %lld)",
		   o->sec.cert ? "the new charge point certificate" : "the new security profile",
		   (long long)settings_int(o->set, SET_SECURITY_PROFILE));
	if (o->io->link_renew)
		o->io->link_renew(o->io->user);
}

void ocpp_security_profile_taken(struct ocpp *o)
{
	trial_start(o, false);
}

void ocpp_security_renew(struct ocpp *o, int64_t now)
{
	(void)now;
	trial_start(o, false);
}

void ocpp_security_connected(struct ocpp *o, int64_t now)
{
	(void)now;
	o->sec.raised = 0;
	int64_t p = settings_int(o->set, SET_SECURITY_PROFILE);
	if (o->sec.state == SEC_TRYING) {
		/* It works: no way back any more (the marker goes). */
		if (o->io->profile_trial)
			(void)o->io->profile_trial(o->io->user, -1);
		if (o->sec.cert && o->io->cert_commit)
			o->io->cert_commit(o->io->user, true);
		ocpp_trace(o, "ocpp: connected with SecurityProfile %lld%s: kept", (long long)p,
			   o->sec.cert ? " and the new charge point certificate" : "");
		o->sec.state = SEC_IDLE;
		o->sec.cert = false;
	}
	o->sec.from = p;
}

bool ocpp_security_mark(struct ocpp *o)
{
	return !o->io->profile_trial || o->io->profile_trial(o->io->user, o->sec.from);
}

void ocpp_security_resume(struct ocpp *o, int64_t from)
{
	o->sec.from = from;
	o->sec.cert = false;
	o->sec.fails = 0;
	o->sec.why[0] = '\0';
	o->sec.state = o->connected ? SEC_CLOSING : SEC_TRYING;
	ocpp_trace(o, "ocpp: SecurityProfile %lld still on trial (from %lld)",
		   (long long)settings_int(o->set, SET_SECURITY_PROFILE), (long long)from);
}

void ocpp_security_disconnected(struct ocpp *o)
{
	if (o->sec.state == SEC_CLOSING)
		o->sec.state = SEC_TRYING;
}

/* Give the trial up: the profile and certificate before it back. */
static void trial_fail(struct ocpp *o, int64_t now)
{
	int64_t to = settings_int(o->set, SET_SECURITY_PROFILE);
	char info[256], from[24], why[200];
	snprintf(from, sizeof from, "%lld", (long long)o->sec.from);
	if (to != o->sec.from) {
		if (settings_set_id(o->set, SET_SECURITY_PROFILE, from, SRC_RUNTIME, why,
				    sizeof why, NULL) != SET_OK)
			ocpp_trace(o, "ocpp: SecurityProfile %s cannot be put back: %s", from, why);
		else if (o->io->setting_store &&
			 !o->io->setting_store(o->io->user, "SecurityProfile", from))
			ocpp_trace(o, "ocpp: SecurityProfile %s cannot be stored", from);
		snprintf(info, sizeof info, "SecurityProfile %lld failed (%.150s): back to %s",
			 (long long)to, o->sec.why, from);
	} else {
		snprintf(info, sizeof info,
			 "new charge point certificate failed (%.150s): the previous one kept",
			 o->sec.why);
	}
	if (o->sec.cert && o->io->cert_commit)
		o->io->cert_commit(o->io->user, false);
	if (o->io->profile_trial)
		(void)o->io->profile_trial(o->io->user, -1);
	o->sec.state = SEC_IDLE;
	o->sec.cert = false;
	ocpp_trace(o, "ocpp: %s", info);
	ocpp_security_event(o, now, "ReconfigurationOfSecurityParameters", info);
	if (o->io->link_renew)
		o->io->link_renew(o->io->user);
}

void ocpp_on_connect_failed(struct ocpp *o, int64_t now, enum ocpp_link_fail kind, const char *why)
{
	static const char *const events[] = {NULL, "InvalidCentralSystemCertificate",
					     "FailedToAuthenticateAtCentralSystem"};
	char info[256];
	snprintf(info, sizeof info, "%s", why ? why : "");
	/* Once per kind until a connection succeeds: a CSMS refusing the
	 * charger for days must not fill the security log. */
	if (events[kind] && !(o->sec.raised & (1u << kind))) {
		o->sec.raised |= 1u << kind;
		ocpp_security_event(o, now, events[kind], info);
	}
	if (o->sec.state != SEC_TRYING)
		return;
	snprintf(o->sec.why, sizeof o->sec.why, "%.119s", info);
	if (++o->sec.fails >= OCPP_SEC_TRIAL_ATTEMPTS)
		trial_fail(o, now);
}
