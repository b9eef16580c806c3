/* SPDX-License-Identifier: MIT */
/*
 * evsed's firmware image format and its check (C10, docs/firmware.md): a
 * 112-byte header, then the payload.
 *
 *   0   8  magic "EVSEDFW1"
 *   8  64  version: 1-50 printable ASCII characters, NUL-padded
 *  72   8  payload length, unsigned big-endian
 *  80  32  SHA-256 of the payload
 * 112   .  payload (exactly the length above)
 *
 * The checksum guards against a damaged or truncated transfer, not against
 * an attacker (SignedUpdateFirmware, C12, is not built).
 */
#ifndef EVSED_FW_IMAGE_H
#define EVSED_FW_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FWIMG_MAGIC	  "EVSEDFW1"
#define FWIMG_HEADER	  112
#define FWIMG_VERSION_MAX 50

enum fwimg_err {
	FWIMG_OK,
	FWIMG_IO,	 /* the file cannot be read */
	FWIMG_MAGIC_BAD, /* not an evsed image (or shorter than the header) */
	FWIMG_VERSION_BAD,
	FWIMG_LENGTH_BAD, /* the file is not header + the payload length */
	FWIMG_DIGEST_BAD, /* the payload is not the one the header names */
	FWIMG_TOO_BIG,
};

struct fwimg_info {
	char version[FWIMG_VERSION_MAX + 1];
	uint64_t payload_len;
};

/* Check the image in path (at most max_bytes long): FWIMG_OK with info
 * filled, or the first thing wrong with why set. */
enum fwimg_err fwimg_verify(const char *path, int64_t max_bytes, struct fwimg_info *info, char *why,
			    size_t whylen) __attribute__((warn_unused_result));
const char *fwimg_err_name(enum fwimg_err e);

#endif
