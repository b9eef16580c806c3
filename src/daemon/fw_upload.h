/* SPDX-License-Identifier: MIT */
/*
 * The firmware upgrade by upload (G4) in the daemon: what the web UI's
 * POST /api/firmware does with the file it received. The file is checked
 * (fwup_check: the typed MD5 or SHA-256, then the evsed image) and installed
 * by the installer of firmware.installer, as an OCPP UpdateFirmware would
 * be (the simulated one records the version; the command one runs
 * firmware.install_command on a worker thread). The answer is the EVPLUS
 * result code, which stays on the display (status firmware.display_code)
 * until the next update or restart; the last result is kept in
 * <data dir>/firmware.upload.json for the upgrade page. The restart after
 * 100 UP is the caller's. It does not receive the file (src/io/web.c does).
 */
#ifndef EVSED_FW_UPLOAD_H
#define EVSED_FW_UPLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/fw_upgrade.h"
#include "evsed.h"

/* The largest upload: the same cap as an OCPP download. */
#define FWUP_MAX_BYTES (64LL * 1024 * 1024)

struct fw_upload;

enum fwup_outcome {
	FWUP_DONE,    /* *code is the result (100 UP: the caller restarts) */
	FWUP_STARTED, /* the command installer runs; the code comes later */
	FWUP_REFUSED, /* not now: why says so (409); nothing was done */
};

/* The upload state of d (d->fwup). NULL with err on failure. */
struct fw_upload *evsed_fwup_new(struct evsed *d, char *err, size_t errlen);
/* Stops a command installer still at work. NULL is fine. */
void evsed_fwup_free(struct fw_upload *u);

/* Why no upload may be installed now (a transaction runs, a CSMS firmware
 * update is under way, an upload is being installed): false with why, true
 * if it may. */
bool evsed_fwup_allowed(struct evsed *d, char *why, size_t whylen);

/* The received file at path (bytes long; timed_out: the upload stalled;
 * file_error: it could not all be written) with the typed checksum, sent
 * by user who: checked and installed. The file is moved away or left for
 * the caller to remove. Every outcome is logged. */
enum fwup_outcome evsed_fwup_install(struct evsed *d, const char *path, long long bytes,
				     bool timed_out, bool file_error, const char *checksum,
				     const char *who, enum fwup_code *code, char *version,
				     size_t vlen, char *why, size_t whylen);

/* The installed firmware version (the built-in one unless an installer
 * recorded another) into buf. */
void evsed_fwup_version(const struct evsed *d, char *buf, size_t len);

/* status.firmware: version, installer, display_code / display_text, the
 * upload state and the last update (upload or OCPP). New reference. */
json_t *evsed_fwup_status(const struct evsed *d);

#endif
