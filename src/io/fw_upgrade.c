/* SPDX-License-Identifier: MIT */
/*
 * The upload check (fw_upgrade.h): the MD5 with OpenSSL, then the image
 * check and the installer of C10.
 */
#include "fw_upgrade.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "fw_image.h"

static bool file_md5(const char *path, uint8_t out[16], char *why, size_t whylen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	bool ok = md && EVP_DigestInit_ex(md, EVP_md5(), NULL) == 1;
	unsigned char buf[16384];
	size_t n;
	while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
		ok = EVP_DigestUpdate(md, buf, n) == 1;
	ok = ok && !ferror(f);
	unsigned dlen = 0;
	unsigned char d[EVP_MAX_MD_SIZE];
	ok = ok && EVP_DigestFinal_ex(md, d, &dlen) == 1 && dlen == 16;
	EVP_MD_CTX_free(md);
	fclose(f);
	if (!ok) {
		snprintf(why, whylen, "%s: cannot read", path);
		return false;
	}
	memcpy(out, d, 16);
	return true;
}

enum fwup_code fwup_check_install(const char *path, int64_t max_bytes, const char *md5_text,
				  const struct fw_installer *inst, char *version, size_t vlen,
				  char *why, size_t whylen)
{
	uint8_t want[16], have[16];
	if (!fwup_parse_md5(md5_text, want)) {
		snprintf(why, whylen, "checksum: 32 hexadecimal digits expected");
		return FWUP_E02_CHECKSUM;
	}
	if (!file_md5(path, have, why, whylen))
		return FWUP_E01_FAILED;
	if (memcmp(want, have, 16) != 0) {
		snprintf(why, whylen, "checksum: the file's MD5 differs");
		return FWUP_E02_CHECKSUM;
	}
	struct fwimg_info info;
	enum fwimg_err e = fwimg_verify(path, max_bytes, &info, why, whylen);
	if (e == FWIMG_IO)
		return FWUP_E01_FAILED;
	if (e != FWIMG_OK)
		return FWUP_E04_MISMATCH;
	if (!inst->install(inst->user, path, &info, why, whylen))
		return FWUP_E01_FAILED;
	snprintf(version, vlen, "%s", info.version);
	return FWUP_OK;
}
