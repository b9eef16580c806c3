/* SPDX-License-Identifier: MIT */
/*
 * The firmware upgrade by upload (G4): the check and the installation of a
 * file the installer uploaded with its checksum (MD5 as the EVPLUS
 * check_sum_tool gives it, or SHA-256), giving the EVPLUS result code
 * (src/core/fw_upgrade.h). Called by the web UI's upload route
 * (src/daemon/fw_upload.c); the restart after 100 UP is the caller's.
 */
#ifndef EVSED_IO_FW_UPGRADE_H
#define EVSED_IO_FW_UPGRADE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/fw_upgrade.h"
#include "fw_install.h"

/* Check the file at path (at most max_bytes) against the typed checksum
 * text (fwup_parse_checksum: MD5 or SHA-256) and verify it as an evsed image
 * (fw_image.h), without installing it: FWUP_OK with info filled; E02 for a
 * checksum that is neither 32 nor 64 hex digits or does not match the file;
 * E04 for a file that is not an evsed image (or too large); E01 when it
 * cannot be read. why says more, for the log. */
enum fwup_code fwup_check(const char *path, int64_t max_bytes, const char *checksum,
			  struct fwimg_info *info, char *why, size_t whylen);

/* fwup_check, then install the file with inst (synchronously): FWUP_OK
 * with version set; E01 also when the installer fails. Nothing is installed
 * unless it returns FWUP_OK. (The web UI's route checks with fwup_check and
 * installs itself: its command installer runs on a thread.) */
enum fwup_code fwup_check_install(const char *path, int64_t max_bytes, const char *checksum,
				  const struct fw_installer *inst, char *version, size_t vlen,
				  char *why, size_t whylen);

#endif
