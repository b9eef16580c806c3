/* SPDX-License-Identifier: MIT */
/*
 * The firmware image check (src/io/fw_image.c): a good image passes with
 * its version; each kind of damage is refused with its own error; and the
 * simulated installer records the version atomically and reads it back.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/fw_image.h"
#include "io/fw_install.h"
#include "vclock.h"

static char dir[] = "/tmp/evsed-fwimg-XXXXXX";
static char path[600];

static size_t image(unsigned char *buf, const char *version, size_t payload)
{
	memset(buf, 0, FWIMG_HEADER);
	memcpy(buf, FWIMG_MAGIC, 8);
	memcpy(buf + 8, version, strlen(version));
	for (int i = 0; i < 8; i++)
		buf[72 + i] = (unsigned char)((uint64_t)payload >> (56 - 8 * i));
	for (size_t i = 0; i < payload; i++)
		buf[FWIMG_HEADER + i] = (unsigned char)(i * 7);
	unsigned dlen = 0;
	assert_int_equal(
	    EVP_Digest(buf + FWIMG_HEADER, payload, buf + 80, &dlen, EVP_sha256(), NULL), 1);
	return FWIMG_HEADER + payload;
}

static void put(const unsigned char *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
}

static enum fwimg_err check(struct fwimg_info *info)
{
	char why[200];
	return fwimg_verify(path, 1 << 20, info, why, sizeof why);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fw.img", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[700];
	snprintf(p, sizeof p, "%s/firmware.version", dir);
	unlink(p);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void good_image(void **state)
{
	(void)state;
	static unsigned char buf[FWIMG_HEADER + 70000];
	put(buf, image(buf, "1.2.3-rc1", 70000));
	struct fwimg_info info;
	assert_int_equal(check(&info), FWIMG_OK);
	assert_string_equal(info.version, "1.2.3-rc1");
	assert_int_equal(info.payload_len, 70000);
	/* An empty payload is an image too. */
	put(buf, image(buf, "0", 0));
	assert_int_equal(check(&info), FWIMG_OK);
}

static void damaged_images(void **state)
{
	(void)state;
	static unsigned char buf[FWIMG_HEADER + 1000];
	struct fwimg_info info;
	size_t n = image(buf, "2.0", 1000);
	buf[FWIMG_HEADER + 500] ^= 1; /* one bit of the payload */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_DIGEST_BAD);
	n = image(buf, "2.0", 1000);
	buf[80] ^= 1; /* the checksum itself */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_DIGEST_BAD);
	n = image(buf, "2.0", 1000);
	put(buf, n - 1); /* truncated */
	assert_int_equal(check(&info), FWIMG_LENGTH_BAD);
	put(buf, 50); /* not even a header */
	assert_int_equal(check(&info), FWIMG_MAGIC_BAD);
	n = image(buf, "2.0", 1000);
	buf[0] = 'X';
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_MAGIC_BAD);
	n = image(buf, "", 1000); /* no version */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_VERSION_BAD);
	n = image(buf, "2.0\n", 1000); /* not printable */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_VERSION_BAD);
	n = image(buf, "2.0", 1000);
	buf[8 + 10] = 'x'; /* text after the NUL */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_VERSION_BAD);
	n = image(buf, "123456789012345678901234567890123456789012345678901", 1000); /* 51 */
	put(buf, n);
	assert_int_equal(check(&info), FWIMG_VERSION_BAD);
	char why[200];
	n = image(buf, "2.0", 1000);
	put(buf, n);
	assert_int_equal(fwimg_verify(path, 1000, &info, why, sizeof why), FWIMG_TOO_BIG);
	unlink(path);
	assert_int_equal(check(&info), FWIMG_IO);
}

static void sim_installer(void **state)
{
	(void)state;
	struct fw_installer in = fwinst_sim(dir);
	char v[64];
	in.version(in.user, v, sizeof v);
	assert_string_equal(v, ""); /* nothing installed: the built-in version */
	struct fwimg_info info = {.version = "3.1.4", .payload_len = 1};
	char why[200];
	assert_true(in.install(in.user, path, &info, why, sizeof why));
	in.version(in.user, v, sizeof v);
	assert_string_equal(v, "3.1.4");
	char p[700];
	snprintf(p, sizeof p, "%s/firmware.version.new", dir);
	assert_int_not_equal(access(p, F_OK), 0); /* no leftover */
}

/* Wait (bounded) for a command installer job to end. */
static bool job_wait(struct fwinst_job *j, bool *ok, char *why, size_t n)
{
	for (int i = 0; i < 400; i++) {
		if (fwinst_job_done(j, ok, why, n))
			return true;
		struct timespec ts = {0, 25 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return false;
}

/* The command installer: the program gets the payload (the image past its
 * header) and the version; exit 0 records the version, another status
 * fails and records nothing; the payload file is removed; a command that is
 * not an executable does not start. */
static void command_installer(void **state)
{
	(void)state;
	static unsigned char buf[FWIMG_HEADER + 3000];
	put(buf, image(buf, "7.7.7", 3000));
	struct fwimg_info info;
	assert_int_equal(check(&info), FWIMG_OK);
	char script[700], got[700], ver[700];
	snprintf(script, sizeof script, "%s/install.sh", dir);
	snprintf(got, sizeof got, "%s/got.bin", dir);
	snprintf(ver, sizeof ver, "%s/got.ver", dir);
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = fopen(script, "w");
		assert_non_null(f);
		fprintf(f, "#!/bin/sh\ncp \"$1\" '%s' && printf %%s \"$2\" > '%s'\nexit %d\n", got,
			ver, pass == 0 ? 3 : 0);
		fclose(f);
		assert_int_equal(chmod(script, 0700), 0);
		char why[300];
		struct fwinst_job *j =
		    fwinst_command_start(script, dir, path, &info, why, sizeof why);
		assert_non_null(j);
		bool ok = false;
		assert_true(job_wait(j, &ok, why, sizeof why));
		fwinst_job_free(j);
		struct fw_installer sim = fwinst_sim(dir);
		char v[64];
		sim.version(sim.user, v, sizeof v);
		if (pass == 0) {
			assert_false(ok);
			assert_non_null(strstr(why, "exit status 3"));
			assert_string_equal(v, "");
		} else {
			assert_true(ok);
			assert_string_equal(v, "7.7.7");
		}
		/* The program got the payload and the version. */
		f = fopen(got, "rb");
		assert_non_null(f);
		unsigned char pl[4000];
		assert_int_equal(fread(pl, 1, sizeof pl, f), 3000);
		fclose(f);
		assert_memory_equal(pl, buf + FWIMG_HEADER, 3000);
		f = fopen(ver, "r");
		assert_non_null(f);
		char vv[32] = "";
		assert_non_null(fgets(vv, sizeof vv, f));
		fclose(f);
		assert_string_equal(vv, "7.7.7");
		char payload[700];
		snprintf(payload, sizeof payload, "%s/firmware.payload", dir);
		assert_int_not_equal(access(payload, F_OK), 0);
		unlink(got);
		unlink(ver);
	}
	char why[300];
	assert_null(
	    fwinst_command_start("/nonexistent/installer", dir, path, &info, why, sizeof why));
	assert_null(fwinst_command_start("", dir, path, &info, why, sizeof why));
	unlink(script);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(good_image, setup, teardown),
    cmocka_unit_test_setup_teardown(damaged_images, setup, teardown),
    cmocka_unit_test_setup_teardown(sim_installer, setup, teardown),
    cmocka_unit_test_setup_teardown(command_installer, setup, teardown),
};
/* clang-format on */

VCLOCK_MAIN("fw_image", tests)
