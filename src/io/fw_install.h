/* SPDX-License-Identifier: MIT */
/*
 * Firmware installers (C10): what makes a verified image the firmware that
 * runs after the restart. A backend is a struct of function pointers chosen
 * at start; the running version stays unless install returns true.
 *
 * Built: "sim", the simulated installer: it records the image's version in
 * <data dir>/firmware.version (atomically: written aside, synced, renamed),
 * which evsed reports in BootNotification after the restart; the evsed
 * binary itself does not change. Not built: a real installer for Linux (A/B
 * partitions, or a package install).
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

#endif
