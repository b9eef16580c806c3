/* SPDX-License-Identifier: MIT */
/*
 * The firmware upgrade by upload (fw_upload.h). Files in the data directory:
 * firmware.upload.img (an upload the command installer is working on,
 * removed when it ends), firmware.upload.json (the last result, written
 * aside and renamed).
 */
#include "fw_upload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/version.h"
#include "../io/fw_image.h"
#include "../io/fw_install.h"
#include "../io/fw_upgrade.h"

#define POLL_MS 100
/* A restart after a command installer's success waits for transactions. */
#define REBOOT_RETRY_MS 1000

struct fw_upload {
	struct evsed *d;
	struct fw_installer sim;
	struct fwinst_job *job; /* the command installer at work */
	char job_version[FWIMG_VERSION_MAX + 1];
	char job_who[40];
	long long job_bytes;
	lws_sorted_usec_list_t sul;
	/* The code on the display until the next update or restart. */
	bool shown;
	enum fwup_code display;
	json_t *last_upload; /* firmware.upload.json as read at start / written */
	/* The installed version as the installer recorded it: read at start,
	 * replaced by an install here (not read from its file per status). */
	char version[FWIMG_VERSION_MAX + 1];
	char img[512], last[512];
};

static const char *dir_of(const struct evsed *d)
{
	return settings_str(d->set, SET_DATA_DIR);
}

void evsed_fwup_version(const struct evsed *d, char *buf, size_t len)
{
	if (d->fwup) {
		snprintf(buf, len, "%s", d->fwup->version);
		return;
	}
	struct fw_installer sim = fwinst_sim(dir_of(d));
	sim.version(sim.user, buf, len);
	if (!buf[0])
		snprintf(buf, len, "%s", EVSED_VERSION_STRING);
}

static bool transaction_runs(const struct evsed *d)
{
	for (int i = 1; i <= charger_connectors(d->ch); i++) {
		struct conn_info ci;
		if (charger_conn_info(d->ch, i, &ci) && ci.in_session)
			return true;
	}
	return false;
}

bool evsed_fwup_allowed(struct evsed *d, char *why, size_t whylen)
{
	struct fw_upload *u = d->fwup;
	if (u && u->job)
		snprintf(why, whylen,
			 "an uploaded firmware is being installed: wait for its result");
	else if (d->ocpp && ocpp_fw_busy(d->ocpp))
		snprintf(why, whylen,
			 "a firmware update from the CSMS is in progress (%s): wait until it ends",
			 ocpp_fw_status(d->ocpp));
	else if (transaction_runs(d))
		snprintf(why, whylen,
			 "a charging session is running: the firmware is updated when no "
			 "session runs");
	else
		return true;
	return false;
}

/* The last result, for the upgrade page after a restart: written aside,
 * synced, renamed. */
static void record(struct fw_upload *u, enum fwup_code code, const char *version, const char *who,
		   long long bytes)
{
	struct evsed *d = u->d;
	char ts[32];
	settings_format_utc(evsed_utc(d), ts, sizeof ts);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "source", "upload", "code",
			      fwup_display(code), "text", fwup_text(code), "time", ts, "by", who,
			      "bytes", (json_int_t)bytes);
	if (o)
		json_object_set_new(o, "version",
				    version && version[0] ? json_string(version) : json_null());
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(u->last_upload);
	u->last_upload = o;
	char tmp[520];
	snprintf(tmp, sizeof tmp, "%s.tmp", u->last);
	int fd = text ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
	bool ok = fd >= 0;
	if (ok) {
		size_t n = strlen(text);
		ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		ok = ok && rename(tmp, u->last) == 0;
		if (!ok)
			(void)remove(tmp);
	}
	if (!ok)
		evsed_log(d, "firmware upload: cannot record the result in %s", u->last);
	free(text);
	u->shown = true;
	u->display = code;
}

static void log_result(struct evsed *d, const char *who, long long bytes, enum fwup_code code,
		       const char *version, const char *why)
{
	if (code == FWUP_OK)
		evsed_log(d, "web: %s uploaded firmware (%lld bytes): %s, version %s; restarting",
			  who, bytes, fwup_display(code), version);
	else
		evsed_log(d, "web: %s uploaded firmware (%lld bytes): %s (%s): %s", who, bytes,
			  fwup_display(code), fwup_text(code), why);
}

static void reboot_when_idle(lws_sorted_usec_list_t *sul)
{
	struct fw_upload *u = lws_container_of(sul, struct fw_upload, sul);
	struct evsed *d = u->d;
	if (transaction_runs(d)) {
		lws_sul_schedule(d->ctx, 0, &u->sul, reboot_when_idle,
				 (lws_usec_t)REBOOT_RETRY_MS * LWS_US_PER_MS);
		return;
	}
	d->reset_requested = true;
	d->stop = true;
	lws_cancel_service(d->ctx);
}

static void on_poll(lws_sorted_usec_list_t *sul)
{
	struct fw_upload *u = lws_container_of(sul, struct fw_upload, sul);
	struct evsed *d = u->d;
	bool ok;
	char why[600];
	if (!fwinst_job_done(u->job, &ok, why, sizeof why)) {
		lws_sul_schedule(d->ctx, 0, &u->sul, on_poll, (lws_usec_t)POLL_MS * LWS_US_PER_MS);
		return;
	}
	fwinst_job_free(u->job);
	u->job = NULL;
	(void)remove(u->img);
	enum fwup_code code = ok ? FWUP_OK : FWUP_E01_FAILED;
	if (ok) /* recorded by the job as the simulated installer records it */
		snprintf(u->version, sizeof u->version, "%s", u->job_version);
	log_result(d, u->job_who, u->job_bytes, code, u->job_version, why);
	record(u, code, ok ? u->job_version : NULL, u->job_who, u->job_bytes);
	if (ok) {
		if (d->ocpp)
			ocpp_security_event(d->ocpp, evsed_now(d), "FirmwareUpdated",
					    u->job_version);
		reboot_when_idle(&u->sul);
	}
}

enum fwup_outcome evsed_fwup_install(struct evsed *d, const char *path, long long bytes,
				     bool timed_out, bool file_error, const char *checksum,
				     const char *who, enum fwup_code *code, char *version,
				     size_t vlen, char *why, size_t whylen)
{
	struct fw_upload *u = d->fwup;
	version[0] = '\0';
	why[0] = '\0';
	if (!evsed_fwup_allowed(d, why, whylen)) {
		evsed_log(d, "web: %s uploaded firmware (%lld bytes): refused: %s", who, bytes,
			  why);
		return FWUP_REFUSED;
	}
	struct fwimg_info info;
	if (timed_out) {
		*code = FWUP_E03_TIMEOUT;
		snprintf(why, whylen, "no data for %d s after %lld bytes", FWUP_TIMEOUT_S, bytes);
	} else if (file_error) {
		*code = FWUP_E01_FAILED;
		snprintf(why, whylen, "the upload could not be stored in the data directory");
	} else {
		*code = fwup_check(path, FWUP_MAX_BYTES, checksum, &info, why, whylen);
	}
	bool command = strcmp(settings_str(d->set, SET_FIRMWARE_INSTALLER), "command") == 0;
	if (*code == FWUP_OK && command) {
		/* The job reads the image on its thread: it gets its own file. */
		if (rename(path, u->img) != 0) {
			*code = FWUP_E01_FAILED;
			snprintf(why, whylen, "%s: %s", u->img, strerror(errno));
		} else {
			u->job =
			    fwinst_command_start(settings_str(d->set, SET_FIRMWARE_INSTALL_COMMAND),
						 dir_of(d), u->img, &info, why, whylen);
			if (!u->job) {
				(void)remove(u->img);
				*code = FWUP_E01_FAILED;
			}
		}
		if (u->job) {
			snprintf(u->job_version, sizeof u->job_version, "%s", info.version);
			snprintf(u->job_who, sizeof u->job_who, "%s", who);
			u->job_bytes = bytes;
			u->shown = false;
			snprintf(version, vlen, "%s", info.version);
			evsed_log(d,
				  "web: %s uploaded firmware (%lld bytes): version %s verified; "
				  "installing with the command installer",
				  who, bytes, info.version);
			lws_sul_schedule(d->ctx, 0, &u->sul, on_poll,
					 (lws_usec_t)POLL_MS * LWS_US_PER_MS);
			return FWUP_STARTED;
		}
	} else if (*code == FWUP_OK && !u->sim.install(u->sim.user, path, &info, why, whylen)) {
		*code = FWUP_E01_FAILED;
	}
	if (*code == FWUP_OK) {
		snprintf(version, vlen, "%s", info.version);
		snprintf(u->version, sizeof u->version, "%s", info.version);
		if (d->ocpp)
			ocpp_security_event(d->ocpp, evsed_now(d), "FirmwareUpdated", version);
	}
	log_result(d, who, bytes, *code, version, why);
	record(u, *code, version, who, bytes);
	return FWUP_DONE;
}

json_t *evsed_fwup_status(const struct evsed *d)
{
	const struct fw_upload *u = d->fwup;
	char v[FWIMG_VERSION_MAX + 1];
	evsed_fwup_version(d, v, sizeof v);
	bool shown = u && u->shown && !(d->ocpp && ocpp_fw_busy(d->ocpp));
	json_t *o =
	    json_pack("{s:s, s:s, s:o, s:o, s:s}", "version", v, "installer",
		      settings_str(d->set, SET_FIRMWARE_INSTALLER), "display_code",
		      shown ? json_string(fwup_display(u->display)) : json_null(), "display_text",
		      shown ? json_string(fwup_text(u->display)) : json_null(), "upload",
		      u && u->job ? "installing" : "idle");
	json_t *last = u ? json_incref(u->last_upload) : NULL;
	if (!u) { /* no web UI: from the file */
		char path[512];
		snprintf(path, sizeof path, "%.490s/firmware.upload.json", dir_of(d));
		json_error_t jerr;
		last = json_load_file(path, 0, &jerr);
	}
	json_object_set_new(o, "last_upload", json_is_object(last) ? last : json_null());
	if (!json_is_object(last))
		json_decref(last);
	if (d->ocpp) {
		const char *l = ocpp_fw_last(d->ocpp);
		json_object_set_new(o, "ocpp",
				    json_pack("{s:s, s:o}", "status", ocpp_fw_status(d->ocpp),
					      "last", l[0] ? json_string(l) : json_null()));
	} else {
		json_object_set_new(o, "ocpp", json_null());
	}
	return o;
}

struct fw_upload *evsed_fwup_new(struct evsed *d, char *err, size_t errlen)
{
	struct fw_upload *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	u->d = d;
	u->sim = fwinst_sim(dir_of(d));
	evsed_fwup_version(d, u->version, sizeof u->version); /* d->fwup is not set yet */
	if ((size_t)snprintf(u->img, sizeof u->img, "%s/firmware.upload.img", dir_of(d)) >=
		sizeof u->img ||
	    (size_t)snprintf(u->last, sizeof u->last, "%s/firmware.upload.json", dir_of(d)) >=
		sizeof u->last) {
		free(u);
		snprintf(err, errlen, "%s: path too long", dir_of(d));
		return NULL;
	}
	/* An installation a stop interrupted left its image: of no use. */
	(void)remove(u->img);
	json_error_t jerr;
	u->last_upload = json_load_file(u->last, 0, &jerr);
	if (!json_is_object(u->last_upload)) {
		json_decref(u->last_upload);
		u->last_upload = NULL;
	}
	return u;
}

void evsed_fwup_free(struct fw_upload *u)
{
	if (!u)
		return;
	lws_sul_cancel(&u->sul);
	if (u->job) {
		fwinst_job_free(u->job);
		(void)remove(u->img);
	}
	json_decref(u->last_upload);
	free(u);
}
