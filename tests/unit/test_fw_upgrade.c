/* SPDX-License-Identifier: MIT */
/*
 * The firmware upgrade by upload (G4): the typed checksum, the EVPLUS result
 * codes, and the check of an uploaded file: 100 UP installs; a wrong or
 * malformed checksum (MD5 or SHA-256) is E02, a file of another kind E04, an unreadable file
 * E01; nothing is installed unless 100 UP.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/fw_upgrade.h"
#include "io/fw_image.h"
#include "io/fw_upgrade.h"
#include "vclock.h"

static char dir[] = "/tmp/evsed-fwup-XXXXXX";
static char path[600];
static int installs;

static bool count_install(void *user, const char *p, const struct fwimg_info *info, char *why,
			  size_t n)
{
	(void)user, (void)p, (void)info, (void)why, (void)n;
	installs++;
	return true;
}

static bool refuse_install(void *user, const char *p, const struct fwimg_info *info, char *why,
			   size_t n)
{
	(void)user, (void)p, (void)info;
	snprintf(why, n, "flash write failed");
	return false;
}

static void no_version(void *user, char *buf, size_t len)
{
	(void)user;
	snprintf(buf, len, "%s", "");
}

static const struct fw_installer counting = {"test", NULL, count_install, no_version};
static const struct fw_installer refusing = {"test", NULL, refuse_install, no_version};

/* Write an image (or junk) to path; its MD5 as text into md5. */
static void put(bool image, char md5[33])
{
	unsigned char buf[FWIMG_HEADER + 500];
	memset(buf, 0, sizeof buf);
	size_t n = sizeof buf;
	if (image) {
		memcpy(buf, FWIMG_MAGIC, 8);
		memcpy(buf + 8, "4.5.6", 5);
		buf[72 + 7] = 500 & 0xff;
		buf[72 + 6] = 500 >> 8;
		unsigned dl = 0;
		assert_int_equal(
		    EVP_Digest(buf + FWIMG_HEADER, 500, buf + 80, &dl, EVP_sha256(), NULL), 1);
	} else {
		memset(buf, 'x', n);
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	unsigned char d[16];
	unsigned dl = 0;
	assert_int_equal(EVP_Digest(buf, n, d, &dl, EVP_md5(), NULL), 1);
	for (int i = 0; i < 16; i++)
		snprintf(md5 + 2 * i, 3, "%02x", d[i]);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/upload.bin", dir);
	installs = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void codes_and_checksum_text(void **state)
{
	(void)state;
	static const struct {
		enum fwup_code c;
		const char *display;
	} rows[] = {{FWUP_OK, "100 UP"},
		    {FWUP_E01_FAILED, "E01 UP"},
		    {FWUP_E02_CHECKSUM, "E02 UP"},
		    {FWUP_E03_TIMEOUT, "E03 UP"},
		    {FWUP_E04_MISMATCH, "E04 UP"}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_string_equal(fwup_display(rows[i].c), rows[i].display);
		assert_true(strlen(fwup_text(rows[i].c)) > 10);
	}
	uint8_t md5[16];
	assert_true(fwup_parse_md5("d41d8cd98f00b204e9800998ecf8427e", md5));
	assert_int_equal(md5[0], 0xd4);
	assert_int_equal(md5[15], 0x7e);
	assert_true(fwup_parse_md5("  D41D8CD98F00B204E9800998ECF8427E\n", md5));
	assert_false(fwup_parse_md5("d41d8cd98f00b204e9800998ecf8427", md5));	/* 31 */
	assert_false(fwup_parse_md5("d41d8cd98f00b204e9800998ecf8427e0", md5)); /* 33 */
	assert_false(fwup_parse_md5("g41d8cd98f00b204e9800998ecf8427e", md5));
	assert_false(fwup_parse_md5("d41d8cd98f00b204 e9800998ecf8427e", md5));
	assert_false(fwup_parse_md5("", md5));
	assert_false(fwup_parse_md5(NULL, md5));
	/* SHA-256: 64 digits; an MD5-only parse refuses it. */
	uint8_t d[FWUP_DIGEST_MAX];
	const char *sha = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
	assert_int_equal(fwup_parse_checksum(sha, d), 32);
	assert_int_equal(d[0], 0xe3);
	assert_int_equal(d[31], 0x55);
	assert_false(fwup_parse_md5(sha, md5));
	assert_int_equal(fwup_parse_checksum("d41d8cd98f00b204e9800998ecf8427e", d), 16);
	assert_int_equal(fwup_parse_checksum(
			     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", d),
			 0);
	assert_int_equal(fwup_parse_checksum(
			     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8z5", d),
			 0);
	assert_int_equal(fwup_parse_checksum("0123456789abcdef0123456789abcdef0123456789abcdef", d),
			 0); /* 48 */
}

/* The file's SHA-256 as text. */
static void file_sha256(char out[65])
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char buf[4096], d[32];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	unsigned dl = 0;
	assert_int_equal(EVP_Digest(buf, n, d, &dl, EVP_sha256(), NULL), 1);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void sha256_checksum(void **state)
{
	(void)state;
	char md5[33], sha[65], v[64], why[200];
	put(true, md5);
	file_sha256(sha);
	struct fwimg_info info;
	/* fwup_check installs nothing. */
	assert_int_equal(fwup_check(path, 1 << 20, sha, &info, why, sizeof why), FWUP_OK);
	assert_string_equal(info.version, "4.5.6");
	assert_int_equal(installs, 0);
	char kept = sha[10];
	sha[10] = kept == 'a' ? 'b' : 'a';
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, sha, &counting, v, sizeof v, why, sizeof why),
	    FWUP_E02_CHECKSUM);
	assert_string_equal(why, "checksum: the file's SHA-256 differs");
	assert_int_equal(installs, 0);
	sha[10] = kept;
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, sha, &counting, v, sizeof v, why, sizeof why),
	    FWUP_OK);
	assert_int_equal(installs, 1);
}

static void upload_results(void **state)
{
	(void)state;
	char md5[33], v[64], why[200];
	put(true, md5);
	/* A wrong checksum, a malformed one: E02, nothing installed. */
	char wrong[33];
	snprintf(wrong, sizeof wrong, "%s", md5);
	wrong[0] = wrong[0] == '0' ? '1' : '0';
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, wrong, &counting, v, sizeof v, why, sizeof why),
	    FWUP_E02_CHECKSUM);
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, "12345", &counting, v, sizeof v, why, sizeof why),
	    FWUP_E02_CHECKSUM);
	assert_int_equal(installs, 0);
	/* The right one: 100 UP, installed, its version. */
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, md5, &counting, v, sizeof v, why, sizeof why),
	    FWUP_OK);
	assert_int_equal(installs, 1);
	assert_string_equal(v, "4.5.6");
	/* The installer fails: E01. */
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, md5, &refusing, v, sizeof v, why, sizeof why),
	    FWUP_E01_FAILED);
	assert_string_equal(why, "flash write failed");
	/* Too large for this charger: E04. */
	assert_int_equal(
	    fwup_check_install(path, 100, md5, &counting, v, sizeof v, why, sizeof why),
	    FWUP_E04_MISMATCH);
	/* Not an evsed image, right checksum: E04. */
	put(false, md5);
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, md5, &counting, v, sizeof v, why, sizeof why),
	    FWUP_E04_MISMATCH);
	assert_int_equal(installs, 1);
	/* Gone: E01. */
	unlink(path);
	assert_int_equal(
	    fwup_check_install(path, 1 << 20, md5, &counting, v, sizeof v, why, sizeof why),
	    FWUP_E01_FAILED);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(codes_and_checksum_text, setup, teardown),
    cmocka_unit_test_setup_teardown(upload_results, setup, teardown),
    cmocka_unit_test_setup_teardown(sha256_checksum, setup, teardown),
};
/* clang-format on */

VCLOCK_MAIN("fw_upgrade", tests)
