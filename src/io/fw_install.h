/* SPDX-License-Identifier: MIT */
/*
 * Firmware installers (C10): what makes a verified image the firmware that
 * runs after the restart. A backend is a struct of function pointers chosen
 * at start; the running version stays unless install returns true.
 *
 * Built:
 * - "sim", the simulated installer: it records the image's version in
 *   <data dir>/firmware.version (atomically: written aside, synced,
 *   renamed), which evsed reports in BootNotification after the restart;
 *   the evsed binary itself does not change.
 * - "command", for a real Linux system: the image's payload is written to
 *   <data dir>/firmware.payload and handed to an external program
 *   (`command <payload> <version>`, no shell), e.g. a wrapper around an A/B
 *   updater (RAUC, SWUpdate) or a package manager (dpkg -i); its exit
 *   status 0 means installed for the next start, and the version is then
 *   recorded as the simulated installer does. It runs on a worker thread
 *   (fwinst_job), at most FWINST_TIMEOUT_S.
 */
#ifndef EVSED_FW_INSTALL_H
#define EVSED_FW_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

#include "fw_image.h"

struct fw_installer {
	const char *name;
	void *user;
	/* Install the image at path, verified already (info). true if it is
	 * the firmware of the next start; false with why otherwise. */
	bool (*install)(void *user, const char *path, const struct fwimg_info *info, char *why,
			size_t whylen);
	/* The version installed (for BootNotification); "" if the built-in. */
	void (*version)(void *user, char *buf, size_t len);
};

/* The simulated installer over data directory dir (the string must outlive
 * the installer's use). */
struct fw_installer fwinst_sim(const char *dir);

/* ---- the command installer ---------------------------------------------- */

#define FWINST_TIMEOUT_S 1800

struct fwinst_job;

/* Start installing the verified image at path (info) with command (an
 * executable path) on a worker thread, in data directory dir. NULL with err
 * if it cannot start. */
struct fwinst_job *fwinst_command_start(const char *command, const char *dir, const char *path,
					const struct fwimg_info *info, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* true once it ended: *ok (the command exited 0 and the version is
 * recorded) and why (a failure, for the log). Never blocks. */
bool fwinst_job_done(struct fwinst_job *j, bool *ok, char *why, size_t whylen);
/* Stop a job still running (the command gets SIGTERM), wait, free. NULL is
 * fine. */
void fwinst_job_free(struct fwinst_job *j);

#endif
