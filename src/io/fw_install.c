/* SPDX-License-Identifier: MIT */
/*
 * The simulated firmware installer (fw_install.h).
 */
#include "fw_install.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VERSION_FILE "firmware.version"

static bool sim_install(void *user, const char *path, const struct fwimg_info *info, char *why,
			size_t whylen)
{
	(void)path;
	const char *dir = user;
	char tmp[512], dst[512];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s.new", dir, VERSION_FILE) >= sizeof tmp ||
	    (size_t)snprintf(dst, sizeof dst, "%s/%s", dir, VERSION_FILE) >= sizeof dst) {
		snprintf(why, whylen, "data directory path too long");
		return false;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
		return false;
	}
	size_t n = strlen(info->version);
	bool ok = write(fd, info->version, n) == (ssize_t)n && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, dst) != 0) {
		snprintf(why, whylen, "%s: %s", dst, strerror(errno));
		(void)unlink(tmp);
		return false;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return true;
}

static void sim_version(void *user, char *buf, size_t len)
{
	const char *dir = user;
	char path[512];
	buf[0] = '\0';
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, VERSION_FILE) >= sizeof path)
		return;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char v[FWIMG_VERSION_MAX + 2] = "";
	size_t n = fread(v, 1, sizeof v - 1, f);
	fclose(f);
	v[n] = '\0';
	/* Only what install could have written. */
	bool ok = n >= 1 && n <= FWIMG_VERSION_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = v[i] >= 0x20 && v[i] < 0x7f;
	if (ok)
		snprintf(buf, len, "%s", v);
}

struct fw_installer fwinst_sim(const char *dir)
{
	return (struct fw_installer){"sim", (void *)(uintptr_t)dir, sim_install, sim_version};
}
