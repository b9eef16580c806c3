/* SPDX-License-Identifier: MIT */
/*
 * Firmware Management (C10) through the engine on a virtual clock: the
 * firmware update waits for retrieveDate, retries after retryInterval, ends
 * with DownloadFailed after its tries, waits for the running transactions
 * with the free connectors Unavailable, installs, restarts only once
 * Installing is delivered, gives the connectors back after a failure;
 * every step is stored and a stored update resumes (a power cut) and
 * reports its result after the restart. GetDiagnostics names its file,
 * uploads with retries and reports Uploading / Uploaded / UploadFailed;
 * TriggerMessage reports what runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocpp_fx.h"

/* The shell's side, faked. */
static struct {
	int fetches, installs, discards, uploads, resets, cancels;
	char location[600];
	bool install_ok, install_async;
	char stored[2048]; /* "" = nothing stored */
	int stores;
	char up_loc[600], up_file[200];
	int64_t up_start, up_stop;
} sh;

static bool fw_fetch(void *user, const char *location)
{
	(void)user;
	sh.fetches++;
	snprintf(sh.location, sizeof sh.location, "%s", location);
	return true;
}

static void fw_cancel(void *user)
{
	(void)user;
	sh.cancels++;
}

static int fw_install(void *user, char *version, size_t vlen, char *why, size_t whylen)
{
	(void)user;
	sh.installs++;
	if (sh.install_async)
		return OCPP_FWI_STARTED;
	if (!sh.install_ok) {
		snprintf(why, whylen, "checksum mismatch");
		return OCPP_FWI_FAILED;
	}
	snprintf(version, vlen, "2.0.0");
	return OCPP_FWI_DONE;
}

static void fw_discard(void *user)
{
	(void)user;
	sh.discards++;
}

static bool fw_store(void *user, const char *json)
{
	(void)user;
	sh.stores++;
	snprintf(sh.stored, sizeof sh.stored, "%s", json ? json : "");
	return true;
}

static bool diag_upload(void *user, const char *location, const char *file, int64_t start,
			int64_t stop)
{
	(void)user;
	sh.uploads++;
	snprintf(sh.up_loc, sizeof sh.up_loc, "%s", location);
	snprintf(sh.up_file, sizeof sh.up_file, "%s", file);
	sh.up_start = start;
	sh.up_stop = stop;
	return true;
}

static void reset(void *user, bool hard)
{
	(void)user;
	(void)hard;
	sh.resets++;
}

static bool cert_ok = true, sig_ok = true;

static bool fw_cert_check(void *user, const char *pem, int64_t utc)
{
	(void)user;
	(void)utc;
	assert_string_equal(pem, "PEM");
	return cert_ok;
}

static bool fw_signature_check(void *user, const char *pem, const char *sig, char *why, size_t n)
{
	(void)user;
	assert_string_equal(pem, "PEM");
	assert_string_equal(sig, "c2ln");
	snprintf(why, n, "the signature does not match the firmware");
	return sig_ok;
}

static struct fx *setup(void)
{
	memset(&sh, 0, sizeof sh);
	sh.install_ok = true;
	/* No periodic meter values in the way. */
	static const char *const sets[] = {"MeterValueSampleInterval", "0", NULL};
	struct fx *f = fx_new("io7", sets);
	f->io.fw_fetch = fw_fetch;
	f->io.fw_cancel = fw_cancel;
	f->io.fw_install = fw_install;
	f->io.fw_discard = fw_discard;
	f->io.fw_store = fw_store;
	f->io.diag_upload = diag_upload;
	f->io.reset = reset;
	f->io.fw_cert_check = fw_cert_check;
	f->io.fw_signature_check = fw_signature_check;
	cert_ok = sig_ok = true;
	return f;
}

static void expect_fsn(struct fx *f, const char *status)
{
	assert_string_equal(fx_str(fx_expect_call(f, "FirmwareStatusNotification"), "status"),
			    status);
	fx_reply(f, json_object());
}

static void expect_dsn(struct fx *f, const char *status)
{
	assert_string_equal(fx_str(fx_expect_call(f, "DiagnosticsStatusNotification"), "status"),
			    status);
	fx_reply(f, json_object());
}

static void expect_status(struct fx *f, int conn, const char *status)
{
	json_t *p = fx_expect_call(f, "StatusNotification");
	assert_int_equal(fx_num(p, "connectorId"), conn);
	assert_string_equal(fx_str(p, "status"), status);
	fx_reply(f, json_object());
}

/* Move time on in 10 s steps, answering Heartbeats on the way. */
static void advance_quiet(struct fx *f, int64_t ms)
{
	for (int64_t done = 0; done < ms;) {
		int64_t step = ms - done < 10000 ? ms - done : 10000;
		fx_advance(f, step);
		done += step;
		while (f->read < f->nframes &&
		       strcmp(json_string_value(json_array_get(f->frames[f->read], 2)),
			      "Heartbeat") == 0) {
			fx_next(f);
			fx_reply(f, fx_json("{'currentTime':'2026-01-01T00:00:00Z'}"));
		}
	}
}

static void update(struct fx *f, const char *date, int retries, int interval)
{
	json_t *p =
	    json_pack("{s:s, s:s}", "location", "ftp://fw.example/fw.img", "retrieveDate", date);
	if (retries >= 0)
		json_object_set_new(p, "retries", json_integer(retries));
	if (interval >= 0)
		json_object_set_new(p, "retryInterval", json_integer(interval));
	json_t *r = fx_call_ok(f, "UpdateFirmware", p);
	assert_int_equal(json_object_size(r), 0);
}

static const char *trigger(struct fx *f, const char *what)
{
	assert_string_equal(
	    fx_call_status(f, "TriggerMessage", json_pack("{s:s}", "requestedMessage", what)),
	    "Accepted");
	const char *st = fx_str(fx_expect_call(f, what), "status");
	static char buf[32];
	snprintf(buf, sizeof buf, "%s", st);
	fx_reply(f, json_object());
	return buf;
}

/* Nothing is fetched before retrieveDate; then Downloading, once. */
static void waits_for_retrieve_date(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T00:01:00Z", -1, -1);
	assert_int_not_equal(sh.stored[0], '\0');
	fx_advance(f, 59000);
	fx_no_frame(f);
	assert_int_equal(sh.fetches, 0);
	assert_string_equal(trigger(f, "FirmwareStatusNotification"), "Idle");
	fx_advance(f, 1000);
	assert_int_equal(sh.fetches, 1);
	assert_string_equal(sh.location, "ftp://fw.example/fw.img");
	expect_fsn(f, "Downloading");
	assert_string_equal(trigger(f, "FirmwareStatusNotification"), "Downloading");
	fx_free(f);
}

/* 1 + retries tries, retryInterval apart; then DownloadFailed, the state
 * dropped, nothing installed. */
static void retries_then_download_failed(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T00:00:00Z", 2, 30);
	expect_fsn(f, "Downloading");
	assert_int_equal(sh.fetches, 1);
	ocpp_fw_fetched(f->o, f->now, false, "refused");
	fx_advance(f, 29000);
	assert_int_equal(sh.fetches, 1);
	fx_advance(f, 1000);
	assert_int_equal(sh.fetches, 2);
	ocpp_fw_fetched(f->o, f->now, false, "refused");
	fx_advance(f, 30000);
	assert_int_equal(sh.fetches, 3);
	fx_no_frame(f);
	ocpp_fw_fetched(f->o, f->now, false, "refused");
	expect_fsn(f, "DownloadFailed");
	fx_advance(f, 600000);
	fx_no_frame(f);
	assert_int_equal(sh.fetches, 3);
	assert_int_equal(sh.installs, 0);
	assert_string_equal(sh.stored, "");
	assert_true(sh.discards > 0);
	fx_free(f);
}

/* Downloaded with no transaction: the connectors go Unavailable, Installing,
 * installed, and the restart comes once Installing is answered. */
static void installs_and_restarts(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T00:00:00Z", -1, -1);
	expect_fsn(f, "Downloading");
	ocpp_fw_fetched(f->o, f->now, true, NULL);
	expect_fsn(f, "Downloaded");
	expect_status(f, 1, "Unavailable");
	expect_status(f, 2, "Unavailable");
	assert_int_equal(sh.installs, 1);
	assert_int_equal(sh.resets, 0);
	assert_string_equal(fx_str(fx_expect_call(f, "FirmwareStatusNotification"), "status"),
			    "Installing");
	assert_int_equal(sh.resets, 0); /* not before Installing is delivered */
	fx_reply(f, json_object());
	assert_int_equal(sh.resets, 1);
	assert_non_null(strstr(sh.stored, "\"report\""));
	assert_non_null(strstr(sh.stored, "Installed"));
	fx_free(f);
}

/* An installer that runs on (an external tool): Installing, then the end
 * when it comes; a failure gives the connectors back; a late end of another
 * installation is ignored. */
static void installs_asynchronously(void **state)
{
	(void)state;
	for (int ok = 0; ok < 2; ok++) {
		struct fx *f = setup();
		sh.install_async = true;
		fx_boot(f);
		update(f, "2026-01-01T00:00:00Z", -1, -1);
		expect_fsn(f, "Downloading");
		ocpp_fw_fetched(f->o, f->now, true, NULL);
		expect_fsn(f, "Downloaded");
		expect_status(f, 1, "Unavailable");
		expect_status(f, 2, "Unavailable");
		expect_fsn(f, "Installing");
		advance_quiet(f, 600000);
		assert_int_equal(sh.resets, 0);
		assert_non_null(strstr(sh.stored, "\"installing\""));
		ocpp_fw_installed(f->o, f->now, ok, ok ? "3.0.0" : NULL, ok ? NULL : "exit 1");
		if (ok) {
			assert_int_equal(sh.resets, 1);
			assert_non_null(strstr(sh.stored, "\"report\""));
		} else {
			expect_fsn(f, "InstallationFailed");
			expect_status(f, 1, "Available");
			expect_status(f, 2, "Available");
			assert_string_equal(sh.stored, "");
			ocpp_fw_installed(f->o, f->now, true, "9", NULL); /* late: ignored */
			fx_no_frame(f);
			assert_int_equal(sh.resets, 0);
		}
		fx_free(f);
	}
}

/* The restart does not wait more than 10 s for Installing's answer. */
static void restart_without_answer(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T00:00:00Z", -1, -1);
	expect_fsn(f, "Downloading");
	ocpp_fw_fetched(f->o, f->now, true, NULL);
	expect_fsn(f, "Downloaded");
	expect_status(f, 1, "Unavailable");
	expect_status(f, 2, "Unavailable");
	fx_expect_call(f, "FirmwareStatusNotification");
	fx_advance(f, 9000);
	assert_int_equal(sh.resets, 0);
	fx_advance(f, 1000);
	assert_int_equal(sh.resets, 1);
	fx_free(f);
}

/* A running transaction holds the installation back; the other connector
 * is Unavailable meanwhile; a failed installation gives it back. */
static void waits_for_transactions(void **state)
{
	(void)state;
	struct fx *f = setup();
	sh.install_ok = false;
	fx_boot(f);
	assert_string_equal(
	    fx_call_status(f, "RemoteStartTransaction", fx_json("{'idTag':'T1','connectorId':1}")),
	    "Accepted");
	fx_plug(f, 1);
	fx_cp(f, 1, IEC_CP_C);
	for (int guard = 0; guard < 8 && f->read < f->nframes; guard++) {
		json_t *j = fx_next(f);
		if (strcmp(json_string_value(json_array_get(j, 2)), "StartTransaction") == 0)
			fx_reply(f,
				 fx_json("{'transactionId':42,'idTagInfo':{'status':'Accepted'}}"));
		else
			fx_reply(f, json_object());
	}
	update(f, "2026-01-01T00:00:00Z", -1, -1);
	expect_fsn(f, "Downloading");
	ocpp_fw_fetched(f->o, f->now, true, NULL);
	expect_fsn(f, "Downloaded");
	expect_status(f, 2, "Unavailable");
	advance_quiet(f, 3600000);
	assert_int_equal(sh.installs, 0);
	assert_string_equal(trigger(f, "FirmwareStatusNotification"), "Downloaded");
	assert_string_equal(
	    fx_call_status(f, "RemoteStopTransaction", fx_json("{'transactionId':42}")),
	    "Accepted");
	bool installing = false, failed = false, stop = false, back = false;
	for (int guard = 0; guard < 12 && f->read < f->nframes; guard++) {
		json_t *j = fx_next(f);
		const char *a = json_string_value(json_array_get(j, 2));
		json_t *p = json_array_get(j, 3);
		if (strcmp(a, "StopTransaction") == 0)
			stop = true;
		if (strcmp(a, "FirmwareStatusNotification") == 0) {
			if (strcmp(fx_str(p, "status"), "Installing") == 0)
				installing = stop;
			if (strcmp(fx_str(p, "status"), "InstallationFailed") == 0)
				failed = installing;
		}
		if (strcmp(a, "StatusNotification") == 0 && fx_num(p, "connectorId") == 2 &&
		    strcmp(fx_str(p, "status"), "Available") == 0)
			back = true;
		fx_reply(f, json_object());
	}
	assert_true(stop && installing && failed && back);
	assert_int_equal(sh.installs, 1);
	assert_int_equal(sh.resets, 0);
	assert_string_equal(sh.stored, "");
	assert_true(charger_available(f->ch, 2));
	fx_free(f);
}

/* A stored update resumes: waiting (a power cut before retrieveDate). */
static void resumes_after_power_cut(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T01:00:00Z", 1, 10);
	char stored[2048];
	snprintf(stored, sizeof stored, "%s", sh.stored);
	fx_free(f);

	f = setup();
	assert_true(ocpp_fw_load(f->o, f->now, stored));
	fx_boot(f);
	advance_quiet(f, 3599000);
	assert_int_equal(sh.fetches, 0);
	advance_quiet(f, 1000);
	assert_int_equal(sh.fetches, 1);
	expect_fsn(f, "Downloading");
	/* Cut during the download: the try counts, the next one follows. */
	snprintf(stored, sizeof stored, "%s", sh.stored);
	fx_free(f);
	f = setup();
	assert_true(ocpp_fw_load(f->o, f->now, stored));
	fx_boot(f);
	assert_int_equal(sh.fetches, 1);
	ocpp_fw_fetched(f->o, f->now, false, "refused");
	expect_fsn(f, "DownloadFailed"); /* 2 tries spent */
	fx_free(f);
}

/* After the restart: the result is reported once, the state dropped. A
 * cut during the installation reports InstallationFailed. Unreadable
 * state is refused. */
static void reports_after_restart(void **state)
{
	(void)state;
	static const struct {
		const char *phase, *result, *expect;
	} rows[] = {
	    {"report", "Installed", "Installed"},
	    {"rebooting", "Installed", "Installed"},
	    {"installing", "", "InstallationFailed"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx *f = setup();
		char j[300];
		snprintf(j, sizeof j,
			 "{\"phase\":\"%s\",\"location\":\"http://x/fw\",\"retrieve\":0,"
			 "\"retries\":0,\"interval\":60,\"tries\":1,\"retry_at\":0,\"held\":6,"
			 "\"result\":\"%s\"}",
			 rows[i].phase, rows[i].result);
		(void)charger_set_available(f->ch, f->now, 1, false);
		(void)charger_set_available(f->ch, f->now, 2, false);
		assert_true(ocpp_fw_load(f->o, f->now, j));
		assert_string_equal(sh.stored, "");
		assert_true(charger_available(f->ch, 1) && charger_available(f->ch, 2));
		/* Reported after the boot is accepted. */
		fx_no_frame(f);
		ocpp_on_connected(f->o, f->now);
		assert_string_equal(
		    fx_str(fx_expect_call(f, "BootNotification"), "chargePointModel"), "io7");
		fx_reply(f, fx_json("{'status':'Accepted','currentTime':'2026-01-01T00:00:00Z',"
				    "'interval':300}"));
		expect_fsn(f, rows[i].expect);
		fx_ack_statuses(f);
		fx_no_frame(f);
		fx_free(f);
	}
	struct fx *f = setup();
	assert_false(ocpp_fw_load(f->o, f->now, "{\"phase\":\"flying\"}"));
	assert_false(ocpp_fw_load(f->o, f->now, "not json"));
	fx_free(f);
}

/* BootNotification reports the installed version. */
static void boot_reports_version(void **state)
{
	(void)state;
	struct fx *f = setup();
	ocpp_set_firmware_version(f->o, "2.0.0");
	ocpp_on_connected(f->o, f->now);
	assert_string_equal(fx_str(fx_expect_call(f, "BootNotification"), "firmwareVersion"),
			    "2.0.0");
	fx_free(f);
}

/* A new UpdateFirmware replaces one waiting or downloading (the download is
 * cancelled). */
static void replaces_pending_update(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	update(f, "2026-01-01T00:00:00Z", -1, -1);
	expect_fsn(f, "Downloading");
	update(f, "2026-01-01T02:00:00Z", -1, -1);
	assert_int_equal(sh.cancels, 1);
	ocpp_fw_fetched(f->o, f->now, true, NULL); /* late: ignored */
	fx_no_frame(f);
	assert_non_null(strstr(sh.stored, "\"waiting\""));
	fx_free(f);
}

/* GetDiagnostics: the file name at once, the window handed on, Uploading,
 * retries, then Uploaded or UploadFailed; one at a time. */
static void diagnostics(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	json_t *r = fx_call_ok(f, "GetDiagnostics",
			       fx_json("{'location':'ftp://up.example/dir/','retries':1,"
				       "'retryInterval':20,'startTime':'2025-12-31T00:00:00Z',"
				       "'stopTime':'2026-01-01T00:00:00Z'}"));
	assert_string_equal(fx_str(r, "fileName"),
			    "diagnostics-RATIOIO7000001-20260101T000000Z.tar.gz");
	expect_dsn(f, "Uploading");
	assert_int_equal(sh.uploads, 1);
	assert_string_equal(sh.up_loc, "ftp://up.example/dir/");
	assert_string_equal(sh.up_file, "diagnostics-RATIOIO7000001-20260101T000000Z.tar.gz");
	assert_int_equal(sh.up_start, FX_T0 - 86400);
	assert_int_equal(sh.up_stop, FX_T0);
	assert_string_equal(trigger(f, "DiagnosticsStatusNotification"), "Uploading");
	/* Another while this one runs: no file name. */
	r = fx_call_ok(f, "GetDiagnostics", fx_json("{'location':'ftp://up.example/'}"));
	assert_null(json_object_get(r, "fileName"));
	ocpp_diag_done(f->o, f->now, false, "refused");
	fx_advance(f, 19000);
	assert_int_equal(sh.uploads, 1);
	fx_advance(f, 1000);
	assert_int_equal(sh.uploads, 2);
	fx_no_frame(f);
	ocpp_diag_done(f->o, f->now, false, "refused");
	expect_dsn(f, "UploadFailed");
	assert_string_equal(trigger(f, "DiagnosticsStatusNotification"), "Idle");

	r = fx_call_ok(f, "GetDiagnostics", fx_json("{'location':'http://up.example/put'}"));
	assert_non_null(json_object_get(r, "fileName"));
	expect_dsn(f, "Uploading");
	assert_int_equal(sh.up_start, 0);
	assert_int_equal(sh.up_stop, 0);
	ocpp_diag_done(f->o, f->now, true, NULL);
	expect_dsn(f, "Uploaded");
	fx_advance(f, 600000);
	assert_int_equal(sh.uploads, 3);
	fx_free(f);
}

static const char *signed_update(struct fx *f, int request, const char *install)
{
	json_t *fw = json_pack("{s:s, s:s, s:s, s:s}", "location", "https://fw.example/x.img",
			       "retrieveDateTime", "2026-01-01T00:00:00Z", "signingCertificate",
			       "PEM", "signature", "c2ln");
	if (install)
		json_object_set_new(fw, "installDateTime", json_string(install));
	return fx_call_status(
	    f, "SignedUpdateFirmware",
	    json_pack("{s:i, s:i, s:o}", "requestId", request, "retries", 1, "firmware", fw));
}

static void expect_sfsn(struct fx *f, const char *status, int request)
{
	json_t *p = fx_expect_call(f, "SignedFirmwareStatusNotification");
	assert_string_equal(fx_str(p, "status"), status);
	assert_int_equal(fx_num(p, "requestId"), request);
	fx_reply(f, json_object());
}

/* SignedUpdateFirmware: the signing certificate checked first
 * (InvalidCertificate, nothing starts); SignedFirmwareStatusNotification with
 * the requestId; SignatureVerified after Downloaded; installDateTime waited
 * for; a new one while one waits is AcceptedCanceled; the signed update
 * resumes from the store. */
static void signed_update_success(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	cert_ok = false;
	assert_string_equal(signed_update(f, 4, NULL), "InvalidCertificate");
	fx_no_frame(f);
	assert_int_equal(sh.stores, 0);
	cert_ok = true;
	assert_string_equal(signed_update(f, 5, "2026-01-01T01:00:00Z"), "Accepted");
	expect_sfsn(f, "Downloading", 5);
	assert_string_equal(signed_update(f, 6, "2026-01-01T01:00:00Z"), "AcceptedCanceled");
	assert_int_equal(sh.cancels, 1);
	expect_sfsn(f, "Downloading", 6);
	assert_non_null(strstr(sh.stored, "\"cert\":\"PEM\""));
	char stored[2048];
	snprintf(stored, sizeof stored, "%s", sh.stored);
	fx_free(f);

	/* A power cut during the download: resumed, still signed (the cut
	 * try counts; the second follows at once). */
	f = setup();
	assert_true(ocpp_fw_load(f->o, f->now, stored));
	fx_boot(f);
	assert_int_equal(sh.fetches, 1);
	ocpp_fw_fetched(f->o, f->now, true, NULL);
	expect_sfsn(f, "Downloaded", 6);
	expect_sfsn(f, "SignatureVerified", 6);
	/* Nothing before installDateTime; then the connectors go Unavailable
	 * and it installs. */
	fx_no_frame(f);
	advance_quiet(f, 3599000);
	fx_no_frame(f);
	assert_int_equal(sh.installs, 0);
	advance_quiet(f, 1000);
	expect_status(f, 1, "Unavailable");
	expect_status(f, 2, "Unavailable");
	assert_int_equal(sh.installs, 1);
	expect_sfsn(f, "Installing", 6);
	assert_int_equal(sh.resets, 1);
	fx_free(f);
}

/* A signature that does not verify: InvalidSignature, nothing installed, the
 * update dropped. */
static void signed_update_bad_signature(void **state)
{
	(void)state;
	struct fx *f = setup();
	fx_boot(f);
	sig_ok = false;
	assert_string_equal(signed_update(f, 9, NULL), "Accepted");
	expect_sfsn(f, "Downloading", 9);
	ocpp_fw_fetched(f->o, f->now, true, NULL);
	expect_sfsn(f, "Downloaded", 9);
	expect_sfsn(f, "InvalidSignature", 9);
	fx_no_frame(f);
	assert_int_equal(sh.installs, 0);
	assert_string_equal(sh.stored, "");
	assert_true(sh.discards > 0);
	fx_free(f);
}

static char logged[8192];

static void capture_log(void *user, const char *msg)
{
	(void)user;
	size_t n = strlen(logged);
	snprintf(logged + n, sizeof logged - n, "%s\n", msg);
}

/* A password in a location never reaches the log (it is stored: the
 * download needs it). */
static void no_password_in_log(void **state)
{
	(void)state;
	struct fx *f = setup();
	logged[0] = '\0';
	f->io.log = capture_log;
	fx_boot(f);
	json_t *r = fx_call_ok(f, "UpdateFirmware",
			       fx_json("{'location':'ftp://fwuser:s3cret@fw.example/fw.img',"
				       "'retrieveDate':'2026-01-01T00:00:00Z'}"));
	(void)r;
	expect_fsn(f, "Downloading");
	assert_string_equal(sh.location, "ftp://fwuser:s3cret@fw.example/fw.img");
	r = fx_call_ok(f, "GetDiagnostics", fx_json("{'location':'ftp://u:pw-x9@up.example/d/'}"));
	fx_expect_call(f, "DiagnosticsStatusNotification");
	fx_reply(f, json_object());
	assert_null(strstr(logged, "s3cret"));
	assert_null(strstr(logged, "pw-x9"));
	assert_non_null(strstr(logged, "ftp://***@fw.example/fw.img"));
	assert_non_null(strstr(logged, "ftp://***@up.example/d/"));
	fx_free(f);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(waits_for_retrieve_date, fx_teardown),
    cmocka_unit_test_teardown(retries_then_download_failed, fx_teardown),
    cmocka_unit_test_teardown(installs_and_restarts, fx_teardown),
    cmocka_unit_test_teardown(restart_without_answer, fx_teardown),
    cmocka_unit_test_teardown(installs_asynchronously, fx_teardown),
    cmocka_unit_test_teardown(waits_for_transactions, fx_teardown),
    cmocka_unit_test_teardown(resumes_after_power_cut, fx_teardown),
    cmocka_unit_test_teardown(reports_after_restart, fx_teardown),
    cmocka_unit_test_teardown(boot_reports_version, fx_teardown),
    cmocka_unit_test_teardown(replaces_pending_update, fx_teardown),
    cmocka_unit_test_teardown(diagnostics, fx_teardown),
    cmocka_unit_test_teardown(signed_update_success, fx_teardown),
    cmocka_unit_test_teardown(signed_update_bad_signature, fx_teardown),
    cmocka_unit_test_teardown(no_password_in_log, fx_teardown),
};
/* clang-format on */

VCLOCK_MAIN("ocpp_fw", tests)
