/* SPDX-License-Identifier: MIT */
/*
 * Transfers in a child process (transfer.h). The child, evsed-xfer, reads
 * its request on stdin and writes one JSON line on stdout when it ends; the
 * loop polls for the child's exit with waitpid(WNOHANG) and then reads the
 * line. The child inherits no descriptor of evsed but stdin, stdout and
 * stderr.
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np */
#include "transfer.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char helper_path[PATH_MAX];

struct xfer {
	pid_t pid; /* 0 once reaped */
	int out;   /* the child's stdout */
	char line[1024];
	size_t len;
	bool done, ok;
	char why[256];
};

bool xfer_supported(const char *url)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://", "ftps://"};
	for (size_t i = 0; url && i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

bool xfer_global_init(const char *helper, char *err, size_t errlen)
{
	char self[PATH_MAX];
	if (!helper)
		helper = getenv("EVSED_XFER");
	if (!helper || !helper[0]) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0) {
			snprintf(err, errlen, "evsed-xfer: cannot find the running program: %s",
				 strerror(errno));
			return false;
		}
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		if ((size_t)snprintf(helper_path, sizeof helper_path, "%s/evsed-xfer", self) >=
		    sizeof helper_path) {
			snprintf(err, errlen, "evsed-xfer: path too long");
			return false;
		}
	} else if ((size_t)snprintf(helper_path, sizeof helper_path, "%s", helper) >=
		   sizeof helper_path) {
		snprintf(err, errlen, "evsed-xfer: path too long");
		return false;
	}
	struct stat sb;
	if (stat(helper_path, &sb) != 0 || !S_ISREG(sb.st_mode) || access(helper_path, X_OK) != 0) {
		snprintf(err, errlen, "%s: not an executable file (file transfers need it)",
			 helper_path);
		helper_path[0] = '\0';
		return false;
	}
	return true;
}

struct xfer *xfer_spawn(const char *request, char *err, size_t errlen)
{
	size_t reqlen = strlen(request);
	if (!helper_path[0]) {
		snprintf(err, errlen, "evsed-xfer: not set up");
		return NULL;
	}
	if (reqlen > XFER_REQ_MAX) {
		snprintf(err, errlen, "request too large");
		return NULL;
	}
	struct xfer *x = calloc(1, sizeof *x);
	int in[2] = {-1, -1}, out[2] = {-1, -1};
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	int rc = posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (rc == 0)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	char *argv[] = {helper_path, NULL};
	if (rc == 0)
		rc = posix_spawn(&x->pid, helper_path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		x->pid = 0;
		snprintf(err, errlen, "%s: %s", helper_path, strerror(rc));
		goto fail;
	}
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	/* The request fits in the pipe's buffer (XFER_REQ_MAX < 64 KiB). */
	size_t off = 0;
	while (off < reqlen) {
		ssize_t n = write(in[1], request + off, reqlen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(in[1]);
	in[1] = -1;
	x->out = out[0];
	(void)fcntl(x->out, F_SETFL, fcntl(x->out, F_GETFL) | O_NONBLOCK);
	return x;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	free(x);
	return NULL;
}

struct xfer *xfer_start(const struct xfer_req *r, char *err, size_t errlen)
{
	if (!xfer_supported(r->url)) {
		snprintf(err, errlen, "unsupported location (http, https, ftp, ftps only)");
		return NULL;
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:i, s:i, s:i}", "op",
			      r->dir == XFER_DOWNLOAD ? "download" : "upload", "url", r->url,
			      "path", r->path, "max_bytes", (json_int_t)r->max_bytes,
			      "connect_timeout", r->connect_timeout_s, "stall_timeout",
			      r->stall_timeout_s, "total_timeout", r->total_timeout_s);
	if (o && r->ca_file)
		json_object_set_new(o, "ca_file", json_string(r->ca_file));
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s) {
		snprintf(err, errlen, "out of memory (or a path that is not UTF-8)");
		return NULL;
	}
	struct xfer *x = xfer_spawn(s, err, errlen);
	/* The request may hold a password: do not leave it in freed memory. */
	explicit_bzero(s, strlen(s));
	free(s);
	return x;
}

/* Read what the child wrote (its answer is one short line). */
static void drain(struct xfer *x)
{
	for (;;) {
		char buf[256];
		ssize_t n = read(x->out, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		size_t room = sizeof x->line - 1 - x->len;
		size_t k = (size_t)n < room ? (size_t)n : room;
		memcpy(x->line + x->len, buf, k);
		x->len += k;
		x->line[x->len] = '\0';
	}
}

static void conclude(struct xfer *x, int status)
{
	drain(x);
	close(x->out);
	x->out = -1;
	x->pid = 0;
	x->done = true;
	json_error_t jerr;
	json_t *a = json_loads(x->line, JSON_DISABLE_EOF_CHECK, &jerr);
	json_t *ok = json_object_get(a, "ok");
	if (json_is_boolean(ok)) {
		x->ok = json_is_true(ok);
		const char *why = json_string_value(json_object_get(a, "why"));
		snprintf(x->why, sizeof x->why, "%s", x->ok ? "" : why ? why : "failed");
	} else if (WIFSIGNALED(status)) {
		snprintf(x->why, sizeof x->why, "evsed-xfer killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(x->why, sizeof x->why, "evsed-xfer ended (status %d) without an answer",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	json_decref(a);
}

bool xfer_done(struct xfer *x, bool *ok, char *why, size_t whylen)
{
	if (!x->done) {
		drain(x);
		int status = 0;
		pid_t p = waitpid(x->pid, &status, WNOHANG);
		if (p == 0)
			return false;
		conclude(x, p == x->pid ? status : 0);
	}
	*ok = x->ok;
	snprintf(why, whylen, "%s", x->why);
	return true;
}

void xfer_wait(struct xfer *x, bool *ok, char *why, size_t whylen)
{
	if (!x->done) {
		int status = 0;
		pid_t p;
		do
			p = waitpid(x->pid, &status, 0);
		while (p < 0 && errno == EINTR);
		conclude(x, p == x->pid ? status : 0);
	}
	*ok = x->ok;
	snprintf(why, whylen, "%s", x->why);
}

void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (!x->done && x->pid > 0) {
		(void)kill(x->pid, SIGTERM);
		int status;
		bool gone = false;
		for (int i = 0; i < 200 && !gone; i++) {
			pid_t p = waitpid(x->pid, &status, WNOHANG);
			gone = p == x->pid || (p < 0 && errno != EINTR);
			if (!gone)
				nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
		}
		if (!gone) {
			(void)kill(x->pid, SIGKILL);
			while (waitpid(x->pid, &status, 0) < 0 && errno == EINTR)
				;
		}
	}
	if (x->out >= 0 && !x->done)
		close(x->out);
	free(x);
}
