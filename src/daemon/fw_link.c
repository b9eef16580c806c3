/* SPDX-License-Identifier: MIT */
/*
 * Firmware Management in the daemon (fw_link.h), and the io of the security
 * extension's parts that are built (C12: the security event queue and log,
 * GetLog uploads). Files in the data
 * directory: firmware.part (a download under way, resumed by the next try
 * and after a restart), firmware.img (downloaded whole), diagnostics.tmp
 * (the archive being uploaded); all removed once used or abandoned. The
 * transfers run on worker threads; the loop polls them every
 * POLL_MS while one runs and hands their end to the engine.
 */
#include "fw_link.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../io/certs.h"
#include "../io/diag.h"
#include "../io/fw_image.h"
#include "../io/fw_install.h"
#include "../io/transfer.h"
#include "../core/version.h"

#define POLL_MS		  100
#define FW_MAX_BYTES	  (64LL * 1024 * 1024)
#define CONNECT_TIMEOUT_S 20
#define STALL_TIMEOUT_S	  60
#define TOTAL_TIMEOUT_S	  1800
#define DIAG_FAULTS_MAX	  1000
#define DIAG_SESSIONS_MAX 1000

struct fw_link {
	struct evsed *d;
	struct certs *certs; /* root certificates (C12) */
	struct fw_installer inst;
	struct xfer *dl, *ul;
	struct fwinst_job *job; /* the command installer at work */
	lws_sorted_usec_list_t sul;
	bool polling;
	char part[512], image[512], diag[512];
};

static void poll_later(struct fw_link *f);

static void on_poll(lws_sorted_usec_list_t *sul)
{
	struct fw_link *f = lws_container_of(sul, struct fw_link, sul);
	struct evsed *d = f->d;
	f->polling = false;
	bool ok;
	char why[600];
	if (f->dl && xfer_done(f->dl, &ok, why, sizeof why)) {
		xfer_free(f->dl);
		f->dl = NULL;
		if (ok && rename(f->part, f->image) != 0) {
			snprintf(why, sizeof why, "%s: %s", f->image, strerror(errno));
			ok = false;
		}
		evsed_sync(d);
		ocpp_fw_fetched(d->ocpp, evsed_now(d), ok, why);
		evsed_sync(d);
	}
	if (f->job && fwinst_job_done(f->job, &ok, why, sizeof why)) {
		fwinst_job_free(f->job);
		f->job = NULL;
		char v[FWIMG_VERSION_MAX + 1] = "";
		if (ok)
			f->inst.version(f->inst.user, v, sizeof v);
		evsed_sync(d);
		ocpp_fw_installed(d->ocpp, evsed_now(d), ok, v, why);
		evsed_sync(d);
	}
	if (f->ul && xfer_done(f->ul, &ok, why, sizeof why)) {
		xfer_free(f->ul);
		f->ul = NULL;
		(void)remove(f->diag);
		evsed_sync(d);
		ocpp_diag_done(d->ocpp, evsed_now(d), ok, why);
		evsed_sync(d);
	}
	poll_later(f);
}

static void poll_later(struct fw_link *f)
{
	if ((f->dl || f->ul || f->job) && !f->polling) {
		f->polling = true;
		lws_sul_schedule(f->d->ctx, 0, &f->sul, on_poll, (lws_usec_t)POLL_MS * 1000);
	}
}

static struct xfer *start(struct fw_link *f, enum xfer_dir dir, const char *url, const char *path)
{
	struct evsed *d = f->d;
	const char *ca = settings_str(d->set, SET_OCPP_CA_FILE);
	struct xfer_req r = {
	    .dir = dir,
	    .url = url,
	    .path = path,
	    .max_bytes = dir == XFER_DOWNLOAD ? FW_MAX_BYTES : DIAG_MAX_BYTES,
	    .connect_timeout_s = CONNECT_TIMEOUT_S,
	    .stall_timeout_s = STALL_TIMEOUT_S,
	    .total_timeout_s = TOTAL_TIMEOUT_S,
	    .ca_file = ca[0] ? ca : NULL,
	};
	char err[200];
	struct xfer *x = xfer_start(&r, err, sizeof err);
	if (!x)
		evsed_log(d, "%s: %s", dir == XFER_DOWNLOAD ? "firmware download" : "upload", err);
	return x;
}

/* ---- engine io ------------------------------------------------------------ */

static bool io_fw_fetch(void *user, const char *location)
{
	struct evsed *d = user;
	struct fw_link *f = d->fw;
	if (f->dl)
		return false;
	/* URLs are logged without what may be a password. */
	evsed_log(d, "firmware: downloading (%s)",
		  strncmp(location, "ftp", 3) == 0 ? "ftp" : "http");
	f->dl = start(f, XFER_DOWNLOAD, location, f->part);
	poll_later(f);
	return f->dl != NULL;
}

static void io_fw_cancel(void *user)
{
	struct evsed *d = user;
	xfer_free(d->fw->dl);
	d->fw->dl = NULL;
}

static void io_fw_discard(void *user)
{
	struct evsed *d = user;
	(void)remove(d->fw->part);
	(void)remove(d->fw->image);
}

static int io_fw_install(void *user, char *version, size_t vlen, char *why, size_t whylen)
{
	struct evsed *d = user;
	struct fw_link *f = d->fw;
	struct fwimg_info info;
	if (fwimg_verify(f->image, FW_MAX_BYTES, &info, why, whylen) != FWIMG_OK)
		return OCPP_FWI_FAILED;
	bool command = strcmp(settings_str(d->set, SET_FIRMWARE_INSTALLER), "command") == 0;
	evsed_log(d, "firmware: image %s verified (%llu bytes); installing with the %s installer",
		  info.version, (unsigned long long)info.payload_len, command ? "command" : "sim");
	if (command) {
		if (f->job)
			return OCPP_FWI_FAILED;
		f->job = fwinst_command_start(settings_str(d->set, SET_FIRMWARE_INSTALL_COMMAND),
					      settings_str(d->set, SET_DATA_DIR), f->image, &info,
					      why, whylen);
		poll_later(f);
		return f->job ? OCPP_FWI_STARTED : OCPP_FWI_FAILED;
	}
	if (!f->inst.install(f->inst.user, f->image, &info, why, whylen))
		return OCPP_FWI_FAILED;
	snprintf(version, vlen, "%s", info.version);
	return OCPP_FWI_DONE;
}

static bool io_fw_store(void *user, const char *json)
{
	struct evsed *d = user;
	if (store_firmware_put(d->store, json) != STORE_OK) {
		evsed_log(d, "store: cannot record the firmware update: %s",
			  store_errmsg(d->store));
		return false;
	}
	return true;
}

/* ---- diagnostics ------------------------------------------------------------ */

static void fault_row(void *user, int64_t id, int conn, const char *fault, int64_t start_utc,
		      int64_t end_utc)
{
	char a[32], b[32] = "";
	settings_format_utc(start_utc, a, sizeof a);
	if (end_utc)
		settings_format_utc(end_utc, b, sizeof b);
	diag_text_printf(user, "%lld,%d,%s,%s,%s\n", (long long)id, conn, fault, a, b);
}

static void session_row(void *user, const struct store_session *s)
{
	char a[32], b[32] = "";
	settings_format_utc(s->start_utc, a, sizeof a);
	if (s->end_utc)
		settings_format_utc(s->end_utc, b, sizeof b);
	diag_text_printf(user, "%lld,%d,%s,%s,%.1f,%s\n", (long long)s->number, s->connector, a, b,
			 s->energy_wh, s->stop_reason ? s->stop_reason : "");
}

/* The archive: the log window, the settings without secrets, the fault
 * history, the last sessions (without id tags). */
static bool build_archive(struct evsed *d, int64_t start_utc, int64_t stop_utc, char *err,
			  size_t errlen)
{
	struct text set = {0}, faults = {0}, sessions = {0};
	diag_text_printf(&set, "# evsed settings; secrets removed\n");
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *def = settings_def((enum set_id)i);
		diag_text_printf(&set, "%s = %s\n", def->name,
				 (def->flags & SF_SECRET) ? "(secret, removed)"
							  : settings_str(d->set, (enum set_id)i));
	}
	diag_text_printf(&faults, "id,connector,fault,start,end\n");
	bool ok = store_fault_history(d->store, DIAG_FAULTS_MAX, fault_row, &faults) == STORE_OK;
	diag_text_printf(&sessions, "number,connector,start,end,energy_wh,stop_reason\n");
	ok = ok && store_history(d->store, DIAG_SESSIONS_MAX, session_row, &sessions) == STORE_OK;
	char log0[512], log1[520];
	snprintf(log0, sizeof log0, "%s/evsed.log", settings_str(d->set, SET_DATA_DIR));
	snprintf(log1, sizeof log1, "%s.1", log0);
	const char *logs[] = {log1, log0};
	size_t loglen = 0;
	char *log = diag_log_window(logs, 2, start_utc, stop_utc, &loglen);
	if (!ok || !log || set.bad || faults.bad || sessions.bad) {
		snprintf(err, errlen, "cannot gather the diagnostics%s", ok ? "" : " (store)");
		ok = false;
	} else {
		struct diag_entry e[] = {
		    {"evsed.log", log, loglen},
		    {"settings.txt", set.p, set.len},
		    {"faults.csv", faults.p, faults.len},
		    {"sessions.csv", sessions.p, sessions.len},
		};
		ok = diag_archive_write(d->fw->diag, e, 4, evsed_utc(d), err, errlen);
	}
	free(log);
	free(set.p);
	free(faults.p);
	free(sessions.p);
	return ok;
}

static void secevent_row(void *user, const struct store_secevent *e)
{
	char ts[32];
	settings_format_utc(e->utc, ts, sizeof ts);
	diag_text_printf(user, "%s %s%s%s\n", ts, e->type, e->tech_info[0] ? " " : "",
			 e->tech_info);
}

/* The security log of [start_utc, stop_utc]: one line per security event. */
static bool build_security_log(struct evsed *d, int64_t start_utc, int64_t stop_utc, char *err,
			       size_t errlen)
{
	struct text t = {0};
	diag_text_printf(&t, "# evsed security log\n");
	bool ok = store_secevent_log(d->store, start_utc, stop_utc, secevent_row, &t) == STORE_OK;
	FILE *out = ok && !t.bad ? fopen(d->fw->diag, "wb") : NULL;
	if (out) {
		ok = fwrite(t.p, 1, t.len, out) == t.len;
		ok = fclose(out) == 0 && ok;
	} else {
		ok = false;
	}
	if (!ok)
		snprintf(err, errlen, "cannot write the security log");
	free(t.p);
	return ok;
}

static bool upload(struct evsed *d, const char *location, const char *file, int64_t start_utc,
		   int64_t stop_utc, bool security)
{
	struct fw_link *f = d->fw;
	if (f->ul)
		return false;
	char err[300];
	if (!(security ? build_security_log(d, start_utc, stop_utc, err, sizeof err)
		       : build_archive(d, start_utc, stop_utc, err, sizeof err))) {
		evsed_log(d, "%s: %s", security ? "security log" : "diagnostics", err);
		(void)remove(f->diag);
		return false;
	}
	/* location names a directory: the file goes into it. */
	size_t n = strlen(location);
	char url[768];
	if ((size_t)snprintf(url, sizeof url, "%s%s%s", location,
			     n && location[n - 1] == '/' ? "" : "/", file) >= sizeof url) {
		evsed_log(d, "diagnostics: location too long");
		return false;
	}
	f->ul = start(f, XFER_UPLOAD, url, f->diag);
	if (!f->ul)
		(void)remove(f->diag);
	poll_later(f);
	return f->ul != NULL;
}

static bool io_diag_upload(void *user, const char *location, const char *file, int64_t start_utc,
			   int64_t stop_utc)
{
	return upload(user, location, file, start_utc, stop_utc, false);
}

static bool io_log_upload(void *user, const char *type, const char *location, const char *file,
			  int64_t start_utc, int64_t stop_utc)
{
	return upload(user, location, file, start_utc, stop_utc, strcmp(type, "SecurityLog") == 0);
}

static void io_diag_cancel(void *user)
{
	struct evsed *d = user;
	xfer_free(d->fw->ul);
	d->fw->ul = NULL;
	(void)remove(d->fw->diag);
}

/* ---- security events (C12) ------------------------------------------------ */

static bool io_sec_push(void *user, const char *type, int64_t utc, const char *tech_info)
{
	struct evsed *d = user;
	if (store_secevent_push(d->store, type, utc, tech_info) < 0) {
		evsed_log(d, "store: cannot record security event %s: %s", type,
			  store_errmsg(d->store));
		return false;
	}
	return true;
}

static bool io_sec_head(void *user, struct ocpp_secevent *out)
{
	struct evsed *d = user;
	struct store_secevent e;
	if (!store_secevent_head(d->store, &e))
		return false;
	out->seq = e.seq;
	snprintf(out->type, sizeof out->type, "%s", e.type);
	out->utc = e.utc;
	snprintf(out->tech_info, sizeof out->tech_info, "%s", e.tech_info);
	return true;
}

static void io_sec_sent(void *user, int64_t seq)
{
	struct evsed *d = user;
	if (store_secevent_sent(d->store, seq) != STORE_OK)
		evsed_log(d, "store: cannot mark security event %lld sent", (long long)seq);
}

/* ---- root certificates (C12) ------------------------------------------------ */

static enum ocpp_cert_result cert_result(enum certs_result r)
{
	switch (r) {
	case CERTS_ACCEPTED:
		return OCR_ACCEPTED;
	case CERTS_REJECTED:
		return OCR_REJECTED;
	case CERTS_NOT_FOUND:
		return OCR_NOT_FOUND;
	default:
		return OCR_FAILED;
	}
}

static enum ocpp_cert_result io_cert_install(void *user, enum ocpp_cert_use use, const char *pem,
					     int64_t utc)
{
	struct evsed *d = user;
	char why[200] = "";
	enum certs_result r = certs_install(
	    d->fw->certs,
	    use == OCU_MANUFACTURER_ROOT ? CERTS_MANUFACTURER_ROOT : CERTS_CENTRAL_SYSTEM_ROOT, pem,
	    utc, why, sizeof why);
	if (r != CERTS_ACCEPTED)
		evsed_log(d, "certificate not installed: %s", why);
	else if (use == OCU_CENTRAL_SYSTEM_ROOT)
		d->link_dirty = true; /* the next connection verifies with it */
	return cert_result(r);
}

static int io_cert_list(void *user, enum ocpp_cert_use use, struct ocpp_cert_id *out, int max)
{
	struct evsed *d = user;
	struct certs_id ids[CERTS_MAX];
	int n = certs_list(d->fw->certs,
			   use == OCU_MANUFACTURER_ROOT ? CERTS_MANUFACTURER_ROOT
							: CERTS_CENTRAL_SYSTEM_ROOT,
			   ids, max < CERTS_MAX ? max : CERTS_MAX);
	for (int i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		snprintf(out[i].hash_alg, sizeof out[i].hash_alg, "%s", ids[i].hash_alg);
		snprintf(out[i].name_hash, sizeof out[i].name_hash, "%s", ids[i].name_hash);
		snprintf(out[i].key_hash, sizeof out[i].key_hash, "%s", ids[i].key_hash);
		snprintf(out[i].serial, sizeof out[i].serial, "%s", ids[i].serial);
	}
	return n;
}

static enum ocpp_cert_result io_cert_delete(void *user, const struct ocpp_cert_id *id)
{
	struct evsed *d = user;
	struct certs_id c;
	memset(&c, 0, sizeof c);
	snprintf(c.hash_alg, sizeof c.hash_alg, "%s", id->hash_alg);
	snprintf(c.name_hash, sizeof c.name_hash, "%s", id->name_hash);
	snprintf(c.key_hash, sizeof c.key_hash, "%s", id->key_hash);
	snprintf(c.serial, sizeof c.serial, "%s", id->serial);
	/* The last Central System root stays while the connection verifies
	 * the CSMS with the installed roots: without it evsed could never
	 * connect again (docs/ocpp.md, revocation). */
	bool tls = settings_int(d->set, SET_SECURITY_PROFILE) >= 2 ||
		   strncmp(settings_applied_str(d->set, SET_OCPP_URL), "wss://", 6) == 0;
	bool keep = tls && !settings_applied_str(d->set, SET_OCPP_CA_FILE)[0];
	enum certs_result r = certs_delete(d->fw->certs, &c, keep);
	if (r == CERTS_REJECTED) {
		evsed_log(d, "DeleteCertificate refused: the last Central System root verifies "
			     "the connection (install its successor first)");
		return OCR_FAILED;
	}
	if (r == CERTS_ACCEPTED)
		d->link_dirty = true; /* the next connection does without it */
	return cert_result(r);
}

static bool io_fw_cert_check(void *user, const char *pem, int64_t utc)
{
	struct evsed *d = user;
	char why[200] = "";
	bool ok = certs_verify_signer(d->fw->certs, pem, utc, why, sizeof why);
	if (!ok)
		evsed_log(d, "firmware signing certificate refused: %s", why);
	return ok;
}

static bool io_fw_signature_check(void *user, const char *pem, const char *signature, char *why,
				  size_t whylen)
{
	struct evsed *d = user;
	return certs_verify_file(pem, signature, d->fw->image, why, whylen);
}

static bool io_csr_new(void *user, const char *cn, const char *org, char *csr, size_t len)
{
	struct evsed *d = user;
	char why[200];
	if (!certs_csr_new(d->fw->certs, cn, org, csr, len, why, sizeof why)) {
		evsed_log(d, "SignCertificate: %s", why);
		return false;
	}
	return true;
}

static bool io_cert_signed(void *user, const char *chain, int64_t utc)
{
	struct evsed *d = user;
	char why[200];
	if (!certs_signed(d->fw->certs, chain, utc, why, sizeof why)) {
		evsed_log(d, "CertificateSigned refused: %s", why);
		return false;
	}
	evsed_log(d, "charge point certificate taken");
	return true;
}

static bool io_client_cert_ready(void *user)
{
	return evsed_fw_have_cert(user);
}

bool evsed_fw_have_cert(struct evsed *d)
{
	char cert[800], key[800];
	return certs_client_paths(d->fw->certs, cert, sizeof cert, key, sizeof key);
}

static bool io_profile_trial(void *user, int64_t from)
{
	struct evsed *d = user;
	if (certs_profile_trial_put(d->fw->certs, from))
		return true;
	evsed_log(d, "certificates: cannot %s the security profile trial marker",
		  from < 0 ? "remove" : "write");
	return false;
}

int64_t evsed_fw_profile_trial(struct evsed *d)
{
	return certs_profile_trial_get(d->fw->certs);
}

static void io_cert_commit(void *user, bool keep)
{
	struct evsed *d = user;
	char why[200];
	if (!keep) {
		certs_client_drop(d->fw->certs);
		evsed_log(d, "the new charge point certificate is dropped; the previous one stays");
	} else if (!certs_client_commit(d->fw->certs, why, sizeof why)) {
		evsed_log(d, "the new charge point certificate cannot be kept: %s", why);
	} else {
		evsed_log(d, "charge point certificate installed");
	}
}

bool evsed_fw_tls(struct evsed *d, char *ca, size_t calen, char *cert, size_t certlen, char *key,
		  size_t keylen, bool *have_cert)
{
	*have_cert = certs_client_paths(d->fw->certs, cert, certlen, key, keylen);
	int n = certs_ca_bundle(d->fw->certs, ca, calen);
	if (n < 0)
		evsed_log(d, "certificates: cannot write the Central System root bundle");
	if (n <= 0)
		ca[0] = '\0';
	return true;
}

/* ---- life cycle --------------------------------------------------------------- */

bool evsed_fw_init(struct evsed *d, char *err, size_t errlen)
{
	if (!xfer_global_init(NULL, err, errlen))
		return false;
	struct fw_link *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	f->d = d;
	const char *dir = settings_str(d->set, SET_DATA_DIR);
	if ((size_t)snprintf(f->part, sizeof f->part, "%s/firmware.part", dir) >= sizeof f->part ||
	    (size_t)snprintf(f->image, sizeof f->image, "%s/firmware.img", dir) >=
		sizeof f->image ||
	    (size_t)snprintf(f->diag, sizeof f->diag, "%s/diagnostics.tmp", dir) >=
		sizeof f->diag) {
		free(f);
		snprintf(err, errlen, "%s: path too long", dir);
		return false;
	}
	f->inst = fwinst_sim(dir);
	if (strcmp(settings_str(d->set, SET_FIRMWARE_INSTALLER), "command") == 0 &&
	    !settings_str(d->set, SET_FIRMWARE_INSTALL_COMMAND)[0]) {
		free(f);
		snprintf(err, errlen,
			 "firmware.install_command: needed with firmware.installer = command");
		return false;
	}
	f->certs = certs_open(dir, err, errlen);
	if (!f->certs) {
		free(f);
		return false;
	}
	/* A diagnostics archive a stop left behind is of no use. */
	(void)remove(f->diag);
	d->fw = f;
	d->oio.fw_fetch = io_fw_fetch;
	d->oio.fw_cancel = io_fw_cancel;
	d->oio.fw_install = io_fw_install;
	d->oio.fw_discard = io_fw_discard;
	d->oio.fw_store = io_fw_store;
	d->oio.diag_upload = io_diag_upload;
	d->oio.log_upload = io_log_upload;
	d->oio.diag_cancel = io_diag_cancel;
	d->oio.sec_push = io_sec_push;
	d->oio.sec_head = io_sec_head;
	d->oio.sec_sent = io_sec_sent;
	d->oio.cert_install = io_cert_install;
	d->oio.cert_list = io_cert_list;
	d->oio.cert_delete = io_cert_delete;
	d->oio.fw_cert_check = io_fw_cert_check;
	d->oio.fw_signature_check = io_fw_signature_check;
	d->oio.csr_new = io_csr_new;
	d->oio.cert_signed = io_cert_signed;
	d->oio.client_cert_ready = io_client_cert_ready;
	d->oio.cert_commit = io_cert_commit;
	d->oio.profile_trial = io_profile_trial;
	return true;
}

bool evsed_fw_start(struct evsed *d, char *err, size_t errlen)
{
	char v[FWIMG_VERSION_MAX + 1];
	d->fw->inst.version(d->fw->inst.user, v, sizeof v);
	ocpp_set_firmware_version(d->ocpp, v);
	char *state = NULL;
	if (store_firmware_get(d->store, &state) != STORE_OK) {
		snprintf(err, errlen, "store: cannot read the firmware update: %s",
			 store_errmsg(d->store));
		return false;
	}
	if (state && !ocpp_fw_load(d->ocpp, evsed_now(d), state) &&
	    store_firmware_put(d->store, NULL) != STORE_OK)
		evsed_log(d, "store: cannot drop the unreadable firmware update");
	free(state);
	char info[80];
	snprintf(info, sizeof info, "evsed %s, firmware %s", EVSED_VERSION_STRING,
		 v[0] ? v : EVSED_VERSION_STRING);
	ocpp_security_event(d->ocpp, evsed_now(d), "StartupOfTheDevice", info);
	return true;
}

void evsed_fw_fini(struct evsed *d)
{
	struct fw_link *f = d->fw;
	if (!f)
		return;
	lws_sul_cancel(&f->sul);
	xfer_free(f->dl);
	if (f->ul)
		(void)remove(f->diag);
	xfer_free(f->ul);
	fwinst_job_free(f->job);
	certs_close(f->certs);
	free(f);
	d->fw = NULL;
}
