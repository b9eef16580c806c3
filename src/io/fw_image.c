/* SPDX-License-Identifier: MIT */
/*
 * The firmware image check (fw_image.h): header fields, then the payload's
 * SHA-256 with OpenSSL, read in blocks (the image is never held whole in
 * memory).
 */
#include "fw_image.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char *fwimg_err_name(enum fwimg_err e)
{
	static const char *const names[] = {"ok",	   "unreadable", "not an evsed image",
					    "bad version", "bad length", "checksum mismatch",
					    "too large"};
	return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "?";
}

static enum fwimg_err fail(enum fwimg_err e, char *why, size_t n, const char *detail)
{
	snprintf(why, n, "%s%s%s", fwimg_err_name(e), detail ? ": " : "", detail ? detail : "");
	return e;
}

enum fwimg_err fwimg_verify(const char *path, int64_t max_bytes, struct fwimg_info *info, char *why,
			    size_t whylen)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) != 0) {
		enum fwimg_err e = fail(FWIMG_IO, why, whylen, strerror(errno));
		if (f)
			fclose(f);
		return e;
	}
	if ((int64_t)sb.st_size > max_bytes) {
		fclose(f);
		return fail(FWIMG_TOO_BIG, why, whylen, NULL);
	}
	unsigned char h[FWIMG_HEADER];
	if (fread(h, 1, sizeof h, f) != sizeof h || memcmp(h, FWIMG_MAGIC, 8) != 0) {
		fclose(f);
		return fail(FWIMG_MAGIC_BAD, why, whylen, NULL);
	}
	/* The version: 1-50 printable characters, then only NULs. */
	size_t vlen = 0;
	while (vlen < 64 && h[8 + vlen] != 0)
		vlen++;
	bool ok = vlen >= 1 && vlen <= FWIMG_VERSION_MAX;
	for (size_t i = 0; ok && i < 64; i++)
		ok = i < vlen ? (h[8 + i] >= 0x20 && h[8 + i] < 0x7f) : h[8 + i] == 0;
	if (!ok) {
		fclose(f);
		return fail(FWIMG_VERSION_BAD, why, whylen, NULL);
	}
	uint64_t len = 0;
	for (int i = 0; i < 8; i++)
		len = len << 8 | h[72 + i];
	if (len != (uint64_t)sb.st_size - FWIMG_HEADER) {
		fclose(f);
		return fail(FWIMG_LENGTH_BAD, why, whylen, NULL);
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		fclose(f);
		return fail(FWIMG_IO, why, whylen, "no SHA-256");
	}
	unsigned char buf[16384];
	uint64_t left = len;
	while (left > 0) {
		size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
		if (fread(buf, 1, want, f) != want || EVP_DigestUpdate(md, buf, want) != 1) {
			EVP_MD_CTX_free(md);
			fclose(f);
			return fail(FWIMG_IO, why, whylen, "short read");
		}
		left -= want;
	}
	fclose(f);
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	ok = EVP_DigestFinal_ex(md, digest, &dlen) == 1 && dlen == 32;
	EVP_MD_CTX_free(md);
	if (!ok || memcmp(digest, h + 80, 32) != 0)
		return fail(FWIMG_DIGEST_BAD, why, whylen, NULL);
	memcpy(info->version, h + 8, vlen);
	info->version[vlen] = '\0';
	info->payload_len = len;
	if (whylen)
		why[0] = '\0';
	return FWIMG_OK;
}
