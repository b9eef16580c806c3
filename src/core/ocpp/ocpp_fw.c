/* SPDX-License-Identifier: MIT */
/*
 * Firmware Management (C10): UpdateFirmware and GetDiagnostics as state
 * machines over UTC time, with FirmwareStatusNotification and
 * DiagnosticsStatusNotification.
 *
 * UpdateFirmware: wait for retrieveDate, download (1 + retries tries,
 * retryInterval apart), wait for the running transactions to end with the
 * free connectors Unavailable, install, restart; the state is persisted at
 * every step (fw_store) so that a power cut resumes it, and the final status
 * (Installed / InstallationFailed) is reported after the restart.
 * GetDiagnostics: upload (1 + retries tries), not persisted.
 *
 * Pure: the transfers, the image check and the installation are the shell's
 * (io->fw_fetch, io->fw_install, io->diag_upload); their ends come back
 * through ocpp_fw_fetched() and ocpp_diag_done().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocpp_int.h"
#include "schema.h"

/* A retries or retryInterval from the network is kept sane before use. */
#define RETRIES_MAX	   10
#define RETRY_INTERVAL_MAX 86400
/* The restart waits this long at most for Installing to be delivered. */
#define REBOOT_WAIT_MS 10000

static const char *const phase_names[] = {"idle",	"waiting",    "downloading", "retry",
					  "waiting_tx", "installing", "rebooting",   "report"};

const char *ocpp_fw_phase_name(enum fw_phase p)
{
	return (unsigned)p < sizeof phase_names / sizeof phase_names[0] ? phase_names[p] : "?";
}

static bool phase_parse(const char *s, enum fw_phase *out)
{
	for (size_t i = 0; s && i < sizeof phase_names / sizeof phase_names[0]; i++)
		if (strcmp(s, phase_names[i]) == 0) {
			*out = (enum fw_phase)i;
			return true;
		}
	return false;
}

const char *ocpp_url_for_log(const char *url, char *buf, size_t len)
{
	/* The user:password@ part of the host becomes ***@. */
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	const char *end = host + strcspn(host, "/?#");
	const char *at = NULL;
	for (const char *p = host; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		snprintf(buf, len, "%s", url);
	else
		snprintf(buf, len, "%.*s***%s", (int)(host - url), url, at);
	return buf;
}

static void fw_notify(struct ocpp *o, const char *status)
{
	snprintf(o->fw.last, sizeof o->fw.last, "%s", status);
	ocpp_trace(o, "ocpp: firmware %s", status);
	/* A SignedUpdateFirmware reports with its own message and requestId. */
	const char *action =
	    o->fw.signed_fw ? "SignedFirmwareStatusNotification" : "FirmwareStatusNotification";
	json_t *p = json_pack("{s:s}", "status", status);
	if (o->fw.signed_fw)
		json_object_set_new(p, "requestId", json_integer(o->fw.request));
	if (!ocpp_vq_push(o, action, p, NULL))
		ocpp_trace(o, "ocpp: %s %s lost: queue full", action, status);
}

/* DiagnosticsStatusNotification, or for GetLog LogStatusNotification (whose
 * failure is spelt UploadFailure). */
static void diag_notify(struct ocpp *o, const char *status)
{
	snprintf(o->diag.last, sizeof o->diag.last, "%s", status);
	ocpp_trace(o, "ocpp: %s upload %s", o->diag.getlog ? "log" : "diagnostics", status);
	const char *action =
	    o->diag.getlog ? "LogStatusNotification" : "DiagnosticsStatusNotification";
	json_t *p = json_pack("{s:s}", "status", status);
	if (o->diag.getlog) {
		if (strcmp(status, "UploadFailed") == 0)
			json_object_set_new(p, "status", json_string("UploadFailure"));
		json_object_set_new(p, "requestId", json_integer(o->diag.request));
	}
	if (!ocpp_vq_push(o, action, p, NULL))
		ocpp_trace(o, "ocpp: %s %s lost: queue full", action, status);
}

/* Persist the firmware job (or its absence when idle). */
static void fw_save(struct ocpp *o)
{
	if (!o->io->fw_store)
		return;
	if (o->fw.phase == FWP_IDLE) {
		(void)o->io->fw_store(o->io->user, NULL);
		return;
	}
	json_t *j = json_pack("{s:s, s:s, s:I, s:i, s:i, s:i, s:I, s:i, s:s}", "phase",
			      ocpp_fw_phase_name(o->fw.phase), "location", o->fw.location,
			      "retrieve", (json_int_t)o->fw.retrieve_utc, "retries", o->fw.retries,
			      "interval", o->fw.interval, "tries", o->fw.tries, "retry_at",
			      (json_int_t)o->fw.retry_at_utc, "held", (int)o->fw.held, "result",
			      o->fw.result);
	if (j && o->fw.signed_fw) {
		json_object_set_new(j, "request", json_integer(o->fw.request));
		json_object_set_new(j, "install", json_integer(o->fw.install_utc));
		json_object_set_new(j, "cert", json_string(o->fw.cert ? o->fw.cert : ""));
		json_object_set_new(j, "signature", json_string(o->fw.sig));
	}
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text || !o->io->fw_store(o->io->user, text))
		ocpp_trace(o, "ocpp: the firmware update's state could not be stored");
	free(text);
}

static json_int_t clamp_int(json_t *v, json_int_t def, json_int_t max)
{
	if (!v)
		return def;
	json_int_t x = ocpp_schema_int(v);
	return x < 0 ? 0 : x > max ? max : x;
}

/* Give back the connectors made Unavailable for the installation. */
static void fw_release(struct ocpp *o, int64_t now)
{
	for (int c = 1; c <= ocpp_connectors(o); c++)
		if (o->fw.held & (1u << c))
			(void)charger_set_available(o->ch, now, c, true);
	o->fw.held = 0;
}

static void fw_forget_signature(struct ocpp *o)
{
	free(o->fw.cert);
	o->fw.cert = NULL;
	o->fw.sig[0] = '\0';
	o->fw.signed_fw = false;
	o->fw.install_utc = 0;
}

static void fw_idle(struct ocpp *o, int64_t now)
{
	fw_release(o, now);
	o->fw.phase = FWP_IDLE;
	if (o->io->fw_discard)
		o->io->fw_discard(o->io->user);
	fw_forget_signature(o);
	fw_save(o);
}

void ocpp_fw_free(struct ocpp *o)
{
	fw_forget_signature(o);
}

/* Give up the update under way (if any) for a new one. */
static void fw_replace(struct ocpp *o, int64_t now, const char *action)
{
	if (o->fw.phase == FWP_DOWNLOADING && o->io->fw_cancel)
		o->io->fw_cancel(o->io->user);
	if (o->fw.phase != FWP_IDLE) {
		char u[600];
		ocpp_trace(o, "ocpp: %s replaces the update from %s", action,
			   ocpp_url_for_log(o->fw.location, u, sizeof u));
	}
	fw_release(o, now);
	if (o->io->fw_discard)
		o->io->fw_discard(o->io->user);
	fw_forget_signature(o);
	o->fw.phase = FWP_IDLE;
}

/* A new update from loc at retrieveDate when (the fields are set by the
 * caller before for a signed one). */
static void fw_begin(struct ocpp *o, const char *loc, int64_t when, json_t *req)
{
	memset(&o->fw.location, 0, sizeof o->fw.location);
	snprintf(o->fw.location, sizeof o->fw.location, "%s", loc);
	o->fw.retrieve_utc = when;
	o->fw.retries = (int)clamp_int(json_object_get(req, "retries"), 0, RETRIES_MAX);
	o->fw.interval =
	    (int)clamp_int(json_object_get(req, "retryInterval"), 60, RETRY_INTERVAL_MAX);
	o->fw.tries = 0;
	o->fw.retry_at_utc = 0;
	o->fw.result[0] = '\0';
	o->fw.phase = FWP_WAIT;
	if (strlen(loc) >= sizeof o->fw.location) {
		ocpp_trace(o, "ocpp: firmware location longer than %zu characters",
			   sizeof o->fw.location - 1);
		o->fw.phase = FWP_IDLE;
		fw_notify(o, "DownloadFailed");
		fw_forget_signature(o);
		fw_save(o);
		return;
	}
	char u[600];
	ocpp_trace(o, "ocpp: firmware update from %s%s",
		   ocpp_url_for_log(o->fw.location, u, sizeof u),
		   o->fw.signed_fw ? " (signed)" : "");
	fw_save(o);
}

json_t *ocpp_op_update_firmware(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	const char *loc = json_string_value(json_object_get(req, "location"));
	int64_t when = 0;
	/* The schema checked the format. */
	(void)settings_parse_utc(json_string_value(json_object_get(req, "retrieveDate")), &when);
	/* UpdateFirmware.conf has no status: a request that cannot be
	 * followed is answered and reported as a failed download. */
	if (o->fw.phase >= FWP_INSTALLING) {
		ocpp_trace(o, "ocpp: UpdateFirmware ignored: an installation is under way");
		return json_object();
	}
	fw_replace(o, now, "UpdateFirmware");
	fw_begin(o, loc, when, req);
	return json_object();
}

json_t *ocpp_op_signed_update_firmware(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	json_t *fw = json_object_get(req, "firmware");
	const char *loc = json_string_value(json_object_get(fw, "location"));
	const char *cert = json_string_value(json_object_get(fw, "signingCertificate"));
	const char *sig = json_string_value(json_object_get(fw, "signature"));
	int64_t when = 0, install = 0;
	(void)settings_parse_utc(json_string_value(json_object_get(fw, "retrieveDateTime")), &when);
	const char *it = json_string_value(json_object_get(fw, "installDateTime"));
	if (it)
		(void)settings_parse_utc(it, &install);
	if (o->fw.phase >= FWP_INSTALLING) {
		ocpp_trace(o, "ocpp: SignedUpdateFirmware rejected: an installation is under way");
		return json_pack("{s:s}", "status", "Rejected");
	}
	/* The signing certificate must come from the manufacturer's root. */
	if (!o->io->fw_cert_check || !o->io->fw_cert_check(o->io->user, cert, ocpp_utc(o, now))) {
		ocpp_security_event(o, now, "InvalidFirmwareSigningCertificate",
				    "SignedUpdateFirmware refused");
		return json_pack("{s:s}", "status", "InvalidCertificate");
	}
	char *copy = strdup(cert);
	if (!copy || strlen(sig) >= sizeof o->fw.sig) {
		free(copy);
		return json_pack("{s:s}", "status", "Rejected");
	}
	bool canceled = o->fw.phase != FWP_IDLE;
	fw_replace(o, now, "SignedUpdateFirmware");
	o->fw.signed_fw = true;
	o->fw.request = (int32_t)ocpp_schema_int(json_object_get(req, "requestId"));
	o->fw.cert = copy;
	snprintf(o->fw.sig, sizeof o->fw.sig, "%s", sig);
	o->fw.install_utc = install;
	fw_begin(o, loc, when, req);
	return json_pack("{s:s}", "status", canceled ? "AcceptedCanceled" : "Accepted");
}

static void fw_step(struct ocpp *o, int64_t now);

/* Start one download try. */
static void fw_fetch(struct ocpp *o, int64_t now)
{
	(void)now;
	o->fw.tries++;
	o->fw.phase = FWP_DOWNLOADING;
	if (o->fw.tries == 1)
		fw_notify(o, "Downloading");
	fw_save(o);
	if (!o->io->fw_fetch || !o->io->fw_fetch(o->io->user, o->fw.location))
		ocpp_fw_fetched(o, now, false, "the download could not start");
}

void ocpp_fw_fetched(struct ocpp *o, int64_t now, bool ok, const char *why)
{
	if (o->fw.phase != FWP_DOWNLOADING)
		return;
	if (ok) {
		fw_notify(o, "Downloaded");
		if (o->fw.signed_fw) {
			char reason[200] = "no signature check";
			if (!o->io->fw_signature_check ||
			    !o->io->fw_signature_check(o->io->user, o->fw.cert, o->fw.sig, reason,
						       sizeof reason)) {
				ocpp_trace(o, "ocpp: firmware signature refused: %s", reason);
				fw_notify(o, "InvalidSignature");
				fw_idle(o, now);
				ocpp_security_event(o, now, "InvalidFirmwareSignature", reason);
				return;
			}
			fw_notify(o, "SignatureVerified");
		}
		o->fw.phase = FWP_WAIT_TX;
		fw_save(o);
		ocpp_pump(o, now);
		return;
	}
	ocpp_trace(o, "ocpp: firmware download try %d of %d failed: %s", o->fw.tries,
		   o->fw.retries + 1, why ? why : "?");
	if (o->fw.tries > o->fw.retries) {
		fw_notify(o, "DownloadFailed");
		fw_idle(o, now);
		ocpp_pump(o, now);
		return;
	}
	o->fw.phase = FWP_RETRY;
	o->fw.retry_at_utc = ocpp_utc(o, now) + o->fw.interval;
	fw_save(o);
	ocpp_pump(o, now);
}

/* Waiting for the transactions to end: no new one may start. true once
 * none runs. */
static bool fw_transactions_over(struct ocpp *o, int64_t now)
{
	bool running = false;
	for (int c = 1; c <= ocpp_connectors(o); c++) {
		struct conn_info ci;
		if (!charger_conn_info(o->ch, c, &ci))
			continue;
		if (ci.in_session) {
			running = true;
			continue;
		}
		if (!(o->fw.held & (1u << c)) && charger_available(o->ch, c) &&
		    charger_set_available(o->ch, now, c, false) == CHG_ACCEPTED) {
			o->fw.held |= 1u << c;
			fw_save(o);
		}
	}
	return !running;
}

/* Installing has been delivered (or the wait is over). */
static bool fw_reported(const struct ocpp *o)
{
	for (int i = 0; i < o->vq_n; i++)
		if (strcmp(o->vq[i].action, "FirmwareStatusNotification") == 0 ||
		    strcmp(o->vq[i].action, "SignedFirmwareStatusNotification") == 0)
			return false;
	return o->out.kind == OUT_NONE;
}

/* The installation ended: restart into the new firmware, or report the
 * failure and go back to normal. */
static void fw_install_end(struct ocpp *o, int64_t now, bool ok, const char *version,
			   const char *why)
{
	if (!ok) {
		ocpp_trace(o, "ocpp: firmware installation failed: %s", why ? why : "?");
		fw_notify(o, "InstallationFailed");
		fw_idle(o, now);
		return;
	}
	ocpp_trace(o, "ocpp: firmware %s installed; restarting", version ? version : "?");
	/* After the restart: report, give the connectors back. */
	o->fw.phase = FWP_REBOOT;
	snprintf(o->fw.result, sizeof o->fw.result, "Installed");
	o->fw.reboot_at = now + REBOOT_WAIT_MS;
	fw_save(o);
}

static void fw_install(struct ocpp *o, int64_t now)
{
	fw_notify(o, "Installing");
	o->fw.phase = FWP_INSTALLING;
	fw_save(o);
	char version[64] = "", why[200] = "no installer";
	int r = o->io->fw_install
		    ? o->io->fw_install(o->io->user, version, sizeof version, why, sizeof why)
		    : OCPP_FWI_FAILED;
	if (r == OCPP_FWI_STARTED) {
		ocpp_trace(o, "ocpp: firmware installation under way");
		return; /* ocpp_fw_installed() follows */
	}
	fw_install_end(o, now, r == OCPP_FWI_DONE, version, why);
}

void ocpp_fw_installed(struct ocpp *o, int64_t now, bool ok, const char *version, const char *why)
{
	if (o->fw.phase != FWP_INSTALLING)
		return;
	fw_install_end(o, now, ok, version, why);
	ocpp_pump(o, now);
}

void ocpp_fw_pump(struct ocpp *o, int64_t now)
{
	o->fw_now = now;
	/* Making connectors Unavailable reports their status, which pumps
	 * again: one step at a time. */
	if (o->fw.busy)
		return;
	o->fw.busy = true;
	fw_step(o, now);
	o->fw.busy = false;
}

static void fw_step(struct ocpp *o, int64_t now)
{
	int64_t utc = ocpp_utc(o, now);
	switch (o->fw.phase) {
	case FWP_WAIT:
		if (utc >= o->fw.retrieve_utc)
			fw_fetch(o, now);
		break;
	case FWP_RETRY:
		if (utc >= o->fw.retry_at_utc)
			fw_fetch(o, now);
		break;
	case FWP_WAIT_TX:
		/* A signed update may name when to install. */
		if (utc >= o->fw.install_utc && fw_transactions_over(o, now))
			fw_install(o, now);
		break;
	case FWP_REBOOT:
		if ((o->connected && !fw_reported(o)) && now < o->fw.reboot_at)
			break;
		o->fw.phase = FWP_REPORT;
		fw_save(o);
		if (o->io->sec_push)
			(void)o->io->sec_push(o->io->user, "ResetOrReboot", utc,
					      "restart into the new firmware");
		if (o->io->reset)
			o->io->reset(o->io->user, true);
		break;
	default:
		break;
	}
	if (o->diag.active && !o->diag.uploading && utc >= o->diag.retry_at_utc) {
		o->diag.tries++;
		o->diag.uploading = true;
		if (o->diag.tries == 1)
			diag_notify(o, "Uploading");
		bool started;
		if (o->io->log_upload && o->diag.getlog)
			started = o->io->log_upload(
			    o->io->user, o->diag.security ? "SecurityLog" : "DiagnosticsLog",
			    o->diag.location, o->diag.file, o->diag.start_utc, o->diag.stop_utc);
		else
			started = o->io->diag_upload && !o->diag.security &&
				  o->io->diag_upload(o->io->user, o->diag.location, o->diag.file,
						     o->diag.start_utc, o->diag.stop_utc);
		if (!started)
			ocpp_diag_done(o, now, false, "the upload could not start");
	}
}

int64_t ocpp_fw_deadline(const struct ocpp *o, int64_t now)
{
	int64_t utc = ocpp_utc(o, now), at = 0;
	if (o->fw.phase == FWP_WAIT)
		at = o->fw.retrieve_utc;
	else if (o->fw.phase == FWP_RETRY)
		at = o->fw.retry_at_utc;
	else if (o->fw.phase == FWP_WAIT_TX && o->fw.install_utc > utc)
		at = o->fw.install_utc;
	int64_t next = INT64_MAX;
	if (at)
		next = now + (at > utc ? (at - utc) * 1000 : 0);
	if (o->fw.phase == FWP_REBOOT && o->fw.reboot_at < next)
		next = o->fw.reboot_at;
	if (o->diag.active && !o->diag.uploading) {
		int64_t d =
		    now + (o->diag.retry_at_utc > utc ? (o->diag.retry_at_utc - utc) * 1000 : 0);
		if (d < next)
			next = d;
	}
	return next;
}

bool ocpp_fw_load(struct ocpp *o, int64_t now, const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	enum fw_phase p;
	const char *loc = json_string_value(json_object_get(j, "location"));
	if (!j || !phase_parse(json_string_value(json_object_get(j, "phase")), &p) || !loc ||
	    strlen(loc) >= sizeof o->fw.location) {
		ocpp_trace(o, "ocpp: stored firmware update unreadable: dropped");
		json_decref(j);
		return false;
	}
	snprintf(o->fw.location, sizeof o->fw.location, "%s", loc);
	o->fw.retrieve_utc = json_integer_value(json_object_get(j, "retrieve"));
	o->fw.retries = (int)json_integer_value(json_object_get(j, "retries"));
	o->fw.interval = (int)json_integer_value(json_object_get(j, "interval"));
	o->fw.tries = (int)json_integer_value(json_object_get(j, "tries"));
	o->fw.retry_at_utc = json_integer_value(json_object_get(j, "retry_at"));
	o->fw.held = (unsigned)json_integer_value(json_object_get(j, "held"));
	const char *res = json_string_value(json_object_get(j, "result"));
	snprintf(o->fw.result, sizeof o->fw.result, "%s", res ? res : "");
	const char *cert = json_string_value(json_object_get(j, "cert"));
	const char *sig = json_string_value(json_object_get(j, "signature"));
	fw_forget_signature(o);
	if (cert && sig && strlen(sig) < sizeof o->fw.sig) {
		o->fw.signed_fw = true;
		o->fw.cert = strdup(cert);
		snprintf(o->fw.sig, sizeof o->fw.sig, "%s", sig);
		o->fw.request = (int32_t)json_integer_value(json_object_get(j, "request"));
		o->fw.install_utc = json_integer_value(json_object_get(j, "install"));
	}
	json_decref(j);
	o->fw.phase = p;
	char u[600];
	ocpp_trace(o, "ocpp: firmware update from %s resumed (%s)",
		   ocpp_url_for_log(o->fw.location, u, sizeof u), ocpp_fw_phase_name(p));
	switch (p) {
	case FWP_DOWNLOADING:
		/* Cut during a try: it counts; the next resumes the file. */
		o->fw.phase = FWP_RETRY;
		o->fw.retry_at_utc = 0;
		if (o->fw.tries > o->fw.retries) {
			fw_notify(o, "DownloadFailed");
			fw_idle(o, now);
		}
		break;
	case FWP_INSTALLING:
		/* Cut during the installation: the installer never half-installs,
		 * and it did not say it succeeded. */
		fw_notify(o, "InstallationFailed");
		fw_idle(o, now);
		break;
	case FWP_REBOOT:
	case FWP_REPORT:
		fw_notify(o, o->fw.result[0] ? o->fw.result : "Installed");
		fw_idle(o, now);
		if (o->io->sec_push) {
			char info[80];
			snprintf(info, sizeof info, "firmware %s",
				 o->fw_version[0] ? o->fw_version : EVSED_VERSION_STRING);
			(void)o->io->sec_push(o->io->user, "FirmwareUpdated", ocpp_utc(o, now),
					      info);
		}
		break;
	default:
		break;
	}
	return true;
}

bool ocpp_fw_busy(const struct ocpp *o)
{
	return o->fw.phase != FWP_IDLE && o->fw.phase != FWP_REPORT;
}

const char *ocpp_fw_last(const struct ocpp *o)
{
	return o->fw.last;
}

const char *ocpp_fw_status(const struct ocpp *o)
{
	switch (o->fw.phase) {
	case FWP_DOWNLOADING:
	case FWP_RETRY:
		return "Downloading";
	case FWP_WAIT_TX:
		return "Downloaded";
	case FWP_INSTALLING:
	case FWP_REBOOT:
		return "Installing";
	default:
		return "Idle";
	}
}

/* ---- GetDiagnostics ------------------------------------------------------ */

void ocpp_upload_name(const struct ocpp *o, int64_t utc, const char *what, const char *ext,
		      char *buf, size_t len)
{
	char ts[32];
	settings_format_utc(utc, ts, sizeof ts);
	/* 2026-01-01T00:00:00Z -> 20260101T000000Z */
	char compact[32];
	size_t k = 0;
	for (const char *p = ts; *p && k + 1 < sizeof compact; p++)
		if (*p != '-' && *p != ':')
			compact[k++] = *p;
	compact[k] = '\0';
	const char *id = settings_str(o->set, SET_OCPP_ID);
	if (!id[0])
		id = settings_str(o->set, SET_CHARGER_SERIAL);
	snprintf(buf, len, "%s-%.40s-%s%s", what, id, compact, ext);
	/* Only characters a file name and a URL path take as they are. */
	for (char *p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
}

json_t *ocpp_op_get_diagnostics(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen)
{
	(void)err;
	(void)msg;
	(void)msglen;
	const char *loc = json_string_value(json_object_get(req, "location"));
	if (o->diag.active || strlen(loc) >= sizeof o->diag.location) {
		/* No fileName: nothing will be uploaded (OCPP 1.6 6.29). */
		ocpp_trace(o, "ocpp: GetDiagnostics refused: %s",
			   o->diag.active ? "an upload is under way" : "location too long");
		return json_object();
	}
	int64_t utc = ocpp_utc(o, now), start = 0, stop = 0;
	const char *t = json_string_value(json_object_get(req, "startTime"));
	if (t)
		(void)settings_parse_utc(t, &start);
	t = json_string_value(json_object_get(req, "stopTime"));
	if (t)
		(void)settings_parse_utc(t, &stop);
	memset(&o->diag, 0, sizeof o->diag);
	snprintf(o->diag.location, sizeof o->diag.location, "%s", loc);
	o->diag.retries = (int)clamp_int(json_object_get(req, "retries"), 0, RETRIES_MAX);
	o->diag.interval =
	    (int)clamp_int(json_object_get(req, "retryInterval"), 60, RETRY_INTERVAL_MAX);
	o->diag.start_utc = start;
	o->diag.stop_utc = stop;
	o->diag.retry_at_utc = utc;
	ocpp_upload_name(o, utc, "diagnostics", ".tar.gz", o->diag.file, sizeof o->diag.file);
	o->diag.active = true;
	char u[600];
	ocpp_trace(o, "ocpp: diagnostics %s to %s", o->diag.file,
		   ocpp_url_for_log(o->diag.location, u, sizeof u));
	return json_pack("{s:s}", "fileName", o->diag.file);
}

void ocpp_diag_done(struct ocpp *o, int64_t now, bool ok, const char *why)
{
	if (!o->diag.active || !o->diag.uploading)
		return;
	o->diag.uploading = false;
	if (ok) {
		diag_notify(o, "Uploaded");
		o->diag.active = false;
	} else {
		ocpp_trace(o, "ocpp: %s upload try %d of %d failed: %s",
			   o->diag.getlog ? "log" : "diagnostics", o->diag.tries,
			   o->diag.retries + 1, why ? why : "?");
		if (o->diag.tries > o->diag.retries) {
			diag_notify(o, "UploadFailed");
			o->diag.active = false;
		} else {
			o->diag.retry_at_utc = ocpp_utc(o, now) + o->diag.interval;
		}
	}
	ocpp_pump(o, now);
}

const char *ocpp_diag_status(const struct ocpp *o)
{
	return o->diag.active && !o->diag.getlog ? "Uploading" : "Idle";
}
