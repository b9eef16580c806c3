/* SPDX-License-Identifier: MIT */
/*
 * The firmware installers (fw_install.h): the simulated one, and the
 * command installer with its worker thread.
 */
#include "fw_install.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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

/* ---- the command installer ------------------------------------------------ */

struct fwinst_job {
	char *command, *dir, *path, *payload;
	struct fwimg_info info;
	pthread_t thread;
	pthread_mutex_t mu;
	bool done, ok;
	char why[256];
	atomic_bool abort;
};

static void job_finish(struct fwinst_job *j, bool ok, const char *why)
{
	pthread_mutex_lock(&j->mu);
	j->ok = ok;
	snprintf(j->why, sizeof j->why, "%s", why ? why : "");
	j->done = true;
	pthread_mutex_unlock(&j->mu);
}

/* The payload (the image past its header) into its own file, 0600. */
static bool write_payload(struct fwinst_job *j, char *why, size_t n)
{
	FILE *in = fopen(j->path, "rb");
	int fd = open(j->payload, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	bool ok = in && out && fseek(in, FWIMG_HEADER, SEEK_SET) == 0;
	char buf[16384];
	size_t got;
	while (ok && (got = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, got, out) == got;
	ok = ok && !ferror(in) && fflush(out) == 0 && fsync(fd) == 0;
	if (in)
		fclose(in);
	if (out)
		ok = fclose(out) == 0 && ok;
	else if (fd >= 0)
		close(fd);
	if (!ok)
		snprintf(why, n, "%s: cannot write the payload", j->payload);
	return ok;
}

static void *job_run(void *arg)
{
	struct fwinst_job *j = arg;
	char why[256] = "";
	if (!write_payload(j, why, sizeof why)) {
		(void)unlink(j->payload);
		job_finish(j, false, why);
		return NULL;
	}
	char *argv[] = {j->command, j->payload, j->info.version, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, j->command, NULL, NULL, argv, environ);
	if (rc != 0) {
		snprintf(why, sizeof why, "%s: %s", j->command, strerror(rc));
		(void)unlink(j->payload);
		job_finish(j, false, why);
		return NULL;
	}
	int status = 0;
	bool stopped = false;
	time_t deadline = time(NULL) + FWINST_TIMEOUT_S;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (!stopped && (atomic_load(&j->abort) || time(NULL) > deadline)) {
			(void)kill(pid, SIGTERM);
			stopped = true;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	(void)unlink(j->payload);
	bool ok = !stopped && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (stopped)
		snprintf(why, sizeof why, "%s: stopped (timeout or shutdown)", j->command);
	else if (!ok && WIFEXITED(status))
		snprintf(why, sizeof why, "%s: exit status %d", j->command, WEXITSTATUS(status));
	else if (!ok)
		snprintf(why, sizeof why, "%s: killed by signal %d", j->command,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	/* Installed: the version of the next start is the image's. */
	if (ok && !sim_install(j->dir, j->path, &j->info, why, sizeof why))
		ok = false;
	job_finish(j, ok, why);
	return NULL;
}

static void job_free_fields(struct fwinst_job *j)
{
	free(j->command);
	free(j->dir);
	free(j->path);
	free(j->payload);
	free(j);
}

struct fwinst_job *fwinst_command_start(const char *command, const char *dir, const char *path,
					const struct fwimg_info *info, char *err, size_t errlen)
{
	if (!command[0] || access(command, X_OK) != 0) {
		snprintf(err, errlen, "firmware.install_command %s: not an executable",
			 command[0] ? command : "(empty)");
		return NULL;
	}
	struct fwinst_job *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	j->command = strdup(command);
	j->dir = strdup(dir);
	j->path = strdup(path);
	size_t n = strlen(dir) + sizeof "/firmware.payload";
	j->payload = malloc(n);
	j->info = *info;
	atomic_init(&j->abort, false);
	if (!j->command || !j->dir || !j->path || !j->payload ||
	    pthread_mutex_init(&j->mu, NULL) != 0) {
		job_free_fields(j);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(j->payload, n, "%s/firmware.payload", dir);
	int rc = pthread_create(&j->thread, NULL, job_run, j);
	if (rc != 0) {
		pthread_mutex_destroy(&j->mu);
		job_free_fields(j);
		snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
		return NULL;
	}
	return j;
}

bool fwinst_job_done(struct fwinst_job *j, bool *ok, char *why, size_t whylen)
{
	pthread_mutex_lock(&j->mu);
	bool done = j->done;
	if (done) {
		*ok = j->ok;
		snprintf(why, whylen, "%s", j->why);
	}
	pthread_mutex_unlock(&j->mu);
	return done;
}

void fwinst_job_free(struct fwinst_job *j)
{
	if (!j)
		return;
	atomic_store(&j->abort, true);
	pthread_join(j->thread, NULL);
	pthread_mutex_destroy(&j->mu);
	job_free_fields(j);
}
