/* SPDX-License-Identifier: MIT */
/*
 * The firmware upgrade by upload (G4), its pure part: the EVPLUS result
 * codes shown in the web UI and on the display (EVPLUS manual 12), and the
 * checksum the installer types in (the MD5 of the file, as the
 * manufacturer's check_sum_tool gives it, or its SHA-256). The check itself
 * reads the file: src/io/fw_upgrade.c; the web UI's upload route that calls
 * it: src/daemon/fw_upload.c.
 */
#ifndef EVSED_FW_UPGRADE_H
#define EVSED_FW_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fwup_code {
	FWUP_OK,	   /* 100 UP: upgrade successful, the charger restarts */
	FWUP_E01_FAILED,   /* E01 UP: the image could not be written */
	FWUP_E02_CHECKSUM, /* E02 UP: the checksum does not match the file */
	FWUP_E03_TIMEOUT,  /* E03 UP: no valid data within 15 s (the upload's) */
	FWUP_E04_MISMATCH, /* E04 UP: the file is not a firmware of this charger */
};

/* Seconds without data after which an upload ends with E03. */
#define FWUP_TIMEOUT_S 15

/* "100 UP", "E01 UP", ... (the display text). */
const char *fwup_display(enum fwup_code c);
/* A sentence for the web UI. */
const char *fwup_text(enum fwup_code c);
/* The longest checksum in bytes (SHA-256). */
#define FWUP_DIGEST_MAX 32

/* The checksum as typed: 32 hexadecimal digits (MD5) or 64 (SHA-256), either
 * case, spaces around allowed, into out. Its length in bytes (16 or 32), or 0
 * if it is neither. */
size_t fwup_parse_checksum(const char *text, uint8_t out[FWUP_DIGEST_MAX]);
/* The same for an MD5 only: false if text is not 32 hexadecimal digits. */
bool fwup_parse_md5(const char *text, uint8_t out[16]);

#endif
