/* SPDX-License-Identifier: MIT */
/*
 * The upload check (fw_upgrade.h): the MD5 or SHA-256 with OpenSSL, then the
 * image check and the installer of C10.
 */
#include "fw_upgrade.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "fw_image.h"

static bool file_digest(const char *path, const EVP_MD *alg, uint8_t *out, unsigned len, char *why,
			size_t whylen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = md && EVP_DigestInit_ex(md, alg, NULL) == 1;
	unsigned char buf[16384];
	size_t n;
	while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
		ok = EVP_DigestUpdate(md, buf, n) == 1;
	ok = ok && !ferror(f);
	unsigned dlen = 0;
	unsigned char d[EVP_MAX_MD_SIZE];
	ok = ok && EVP_DigestFinal_ex(md, d, &dlen) == 1 && dlen == len;
	EVP_MD_CTX_free(md);
	fclose(f);
	if (!ok) {
		snprintf(why, whylen, "%s: cannot read", path);
		return false;
	}
	memcpy(out, d, len);
	return true;
}

enum fwup_code fwup_check(const char *path, int64_t max_bytes, const char *checksum,
			  struct fwimg_info *info, char *why, size_t whylen)
{
	uint8_t want[FWUP_DIGEST_MAX], have[FWUP_DIGEST_MAX];
	size_t n = fwup_parse_checksum(checksum, want);
	if (!n) {
		snprintf(why, whylen,
			 "checksum: 32 (MD5) or 64 (SHA-256) hexadecimal digits expected");
		return FWUP_E02_CHECKSUM;
	}
	if (!file_digest(path, n == 16 ? EVP_md5() : EVP_sha256(), have, (unsigned)n, why, whylen))
		return FWUP_E01_FAILED;
	if (memcmp(want, have, n) != 0) {
		snprintf(why, whylen, "checksum: the file's %s differs",
			 n == 16 ? "MD5" : "SHA-256");
		return FWUP_E02_CHECKSUM;
	}
	enum fwimg_err e = fwimg_verify(path, max_bytes, info, why, whylen);
	if (e == FWIMG_IO)
		return FWUP_E01_FAILED;
	if (e != FWIMG_OK)
		return FWUP_E04_MISMATCH;
	return FWUP_OK;
}

enum fwup_code fwup_check_install(const char *path, int64_t max_bytes, const char *checksum,
				  const struct fw_installer *inst, char *version, size_t vlen,
				  char *why, size_t whylen)
{
	struct fwimg_info info;
	enum fwup_code c = fwup_check(path, max_bytes, checksum, &info, why, whylen);
	if (c != FWUP_OK)
		return c;
	if (!inst->install(inst->user, path, &info, why, whylen))
		return FWUP_E01_FAILED;
	snprintf(version, vlen, "%s", info.version);
	return FWUP_OK;
}
