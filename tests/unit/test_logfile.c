/* SPDX-License-Identifier: MIT */
/*
 * The log file GetDiagnostics reads (src/io/logfile.c) and the diagnostics
 * archive's parts (src/io/diag.c): the log rotates at LOGFILE_MAX into
 * evsed.log.1 (at most twice the cap on disk); the log window keeps the
 * lines whose time is in [start, stop], a line without a time going with
 * the one before, over the rotated file then the current one; the archive
 * is a gzip'd tar (its magic) and a failed write leaves no file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/diag.h"
#include "io/logfile.h"
#include "io/transfer.h"
#include "vclock.h"

static char dir[] = "/tmp/evsed-log-XXXXXX";
static char cur[600], old[610];

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cur, sizeof cur, "%s/evsed.log", dir);
	snprintf(old, sizeof old, "%s.1", cur);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cur);
	unlink(old);
	char p[700];
	snprintf(p, sizeof p, "%s/a.tar.gz", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

static long size_of(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static void rotates_at_the_cap(void **state)
{
	(void)state;
	struct logfile *l = logfile_open(dir);
	assert_non_null(l);
	char line[1000];
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	/* 2.5 caps of lines. */
	for (int i = 0; i < (LOGFILE_MAX / 1000) * 5 / 2; i++)
		logfile_write(l, line, strlen(line));
	logfile_close(l);
	assert_true(size_of(old) > LOGFILE_MAX - 1000 && size_of(old) <= LOGFILE_MAX);
	assert_true(size_of(cur) > 0 && size_of(cur) <= LOGFILE_MAX);
	/* Reopened, it appends. */
	long before = size_of(cur);
	l = logfile_open(dir);
	logfile_write(l, "y", 1);
	logfile_close(l);
	assert_int_equal(size_of(cur), before + 2);
}

static void log_window(void **state)
{
	(void)state;
	FILE *f = fopen(old, "w");
	assert_non_null(f);
	fputs("2026-01-01T00:00:00Z evsed: a\n2026-01-01T01:00:00Z evsed: b\n  continued b\n", f);
	fclose(f);
	f = fopen(cur, "w");
	assert_non_null(f);
	fputs("2026-01-01T02:00:00Z evsed: c\nno time here\n2026-01-01T03:00:00Z evsed: d\n", f);
	fclose(f);
	const char *paths[] = {old, cur, "/nonexistent/evsed.log"};
	size_t n = 0;
	char *t = diag_log_window(paths, 3, 1767229200 /* 01:00 */, 1767232800 /* 02:00 */, &n);
	assert_non_null(t);
	assert_string_equal(t, "2026-01-01T01:00:00Z evsed: b\n  continued b\n"
			       "2026-01-01T02:00:00Z evsed: c\nno time here\n");
	assert_int_equal(n, strlen(t));
	free(t);
	t = diag_log_window(paths, 3, 0, 0, &n);
	assert_non_null(strstr(t, "evsed: a"));
	assert_non_null(strstr(t, "evsed: d"));
	free(t);
}

static void archive(void **state)
{
	(void)state;
	char p[700], err[200];
	snprintf(p, sizeof p, "%s/a.tar.gz", dir);
	if (!xfer_global_init(EVSED_XFER_PATH, err, sizeof err))
		fail_msg("%s", err);
	struct diag_entry e[] = {{"one.txt", "hello\n", 6}, {"empty.txt", "", 0}};
	if (!diag_archive_write(p, e, 2, 1767225600, err, sizeof err))
		fail_msg("%s", err);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	unsigned char m[2];
	assert_int_equal(fread(m, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(m[0], 0x1f); /* gzip */
	assert_int_equal(m[1], 0x8b);
	/* The entries, under their names, with their contents (tar reads it). */
	char cmd[1600];
	snprintf(cmd, sizeof cmd, "TZ=UTC tar -tzvf '%s' && tar -xzOf '%s' one.txt", p, p);
	FILE *t = popen(cmd, "r");
	assert_non_null(t);
	char all[1000] = "";
	size_t have = fread(all, 1, sizeof all - 1, t);
	all[have] = '\0';
	assert_int_equal(pclose(t), 0);
	assert_non_null(strstr(all, "one.txt"));
	assert_non_null(strstr(all, "empty.txt"));
	assert_non_null(strstr(all, "2026-01-01"));
	assert_non_null(strstr(all, "hello\n"));
	/* The private directory of the entries is gone. */
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	for (struct dirent *de; (de = readdir(dp));)
		if (strncmp(de->d_name, "a.tar.gz.d-", 11) == 0)
			fail_msg("left behind: %s", de->d_name);
	closedir(dp);
	snprintf(p, sizeof p, "%s/missing/a.tar.gz", dir);
	assert_false(diag_archive_write(p, e, 2, 1767225600, err, sizeof err));
	assert_int_not_equal(access(p, F_OK), 0);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(rotates_at_the_cap, setup, teardown),
    cmocka_unit_test_setup_teardown(log_window, setup, teardown),
    cmocka_unit_test_setup_teardown(archive, setup, teardown),
};
/* clang-format on */

VCLOCK_MAIN("logfile", tests)
