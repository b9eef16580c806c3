/* SPDX-License-Identifier: MIT */
/*
 * evsed_bench: start-up time, memory and stop time of a real evsed, the
 * figures design.md "Performance targets" asks bench/ to check. Each run
 * starts a fresh evsed (new temporary data dir, simulated clock), times exec
 * until the control socket answers "status", sets up 2 connectors with one
 * charging over the control socket, reads VmRSS / VmHWM from /proc, then
 * times SIGTERM until exit. It prints one line per run and a summary with the
 * median, min and max of each figure (or, with --markdown, the table that
 * bench/README.md shows).
 *
 * It does not connect a CSMS or the web UI (evsed has neither yet), does not
 * measure idle CPU or the latencies inside the core, and does not judge the
 * figures against the targets: bench/README.md does that.
 */
#define _GNU_SOURCE /* sched_getaffinity, nftw */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_RUNS	11
#define MAX_RUNS	1000
#define READY_LIMIT_MS	5000.0	/* the daemon must answer "status" within this */
#define ANSWER_LIMIT_MS 5000.0	/* each setup request must be answered within this */
#define STOP_LIMIT_MS	2000.0	/* the daemon must exit this soon after SIGTERM */
#define STOP_WAIT_MS	5000.0	/* how long we wait to see how late a slow stop is */
#define POLL_SLEEP_NS	100000L /* 0.1 ms between connect / waitpid attempts */
#define ANSWER_MAX	(256 * 1024)
#define RSS_TARGET_KIB	8192 /* design.md: RSS <= 8 MB */
#define START_TARGET_MS 100  /* design.md: start to BootNotification sent < 100 ms */

struct run_result {
	double start_ms; /* exec -> first "status" answer */
	double rss_kib;	 /* VmRSS with 2 connectors, one charging */
	double hwm_kib;	 /* VmHWM (peak RSS) at the same moment */
	double stop_ms;	 /* SIGTERM -> exit reaped */
	bool sanitized;	 /* an ASan / UBSan / TSan runtime was mapped in */
};

/* One started evsed and where it lives. */
struct daemon_proc {
	pid_t pid;
	bool reaped;
	int status; /* wait status, valid once reaped */
	char dir[PATH_MAX];
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* A connection to the control socket with its line buffer. */
struct conn {
	int fd;
	size_t len;
	char buf[ANSWER_MAX + 1];
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void nap(void)
{
	struct timespec ts = {0, POLL_SLEEP_NS};
	nanosleep(&ts, NULL);
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)), WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, len, "wait status 0x%x", (unsigned)status);
}

/* True if the daemon has exited (and reap it). */
static bool daemon_gone(struct daemon_proc *d)
{
	if (d->reaped)
		return true;
	if (waitpid(d->pid, &d->status, WNOHANG) == d->pid)
		d->reaped = true;
	return d->reaped;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "evsed_bench: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static void remove_tree(const char *dir)
{
	if (dir[0])
		(void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Kill (if needed), reap and remove the daemon's directory. */
static void daemon_cleanup(struct daemon_proc *d)
{
	if (d->pid > 0 && !daemon_gone(d)) {
		kill(d->pid, SIGKILL);
		if (waitpid(d->pid, &d->status, 0) == d->pid)
			d->reaped = true;
	}
	remove_tree(d->dir);
}

/*
 * Fork and exec evsed in a fresh temporary data dir, stdin / stdout / stderr
 * on /dev/null. *t_exec is the monotonic time the child read just before
 * execv (passed back over a close-on-exec pipe, which also carries errno if
 * execv fails).
 */
static bool daemon_start(char *evsed, struct daemon_proc *d, double *t_exec, char *err,
			 size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	if (snprintf(d->dir, sizeof d->dir, "%s/evsed-bench.XXXXXX", tmp) >= (int)sizeof d->dir) {
		snprintf(err, errlen, "TMPDIR is too long");
		d->dir[0] = '\0';
		return false;
	}
	if (!mkdtemp(d->dir)) {
		snprintf(err, errlen, "mkdtemp %.300s: %s", d->dir, strerror(errno));
		d->dir[0] = '\0';
		return false;
	}
	if (snprintf(d->sock, sizeof d->sock, "%s/evsed.sock", d->dir) >= (int)sizeof d->sock) {
		snprintf(err, errlen, "socket path %.300s/evsed.sock is too long", d->dir);
		return false;
	}

	char opt_set[] = "--set", clock_sim[] = "clock=sim", opt_dir[] = "--data-dir";
	char *const argv[] = {evsed, opt_set, clock_sim, opt_dir, d->dir, NULL};
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return false;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to execv. */
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* no orphan daemon if we die */
		if (getppid() != parent)
			_exit(127);
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		if (chdir(d->dir) != 0)
			_exit(127);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (write(p[1], &ts, sizeof ts) != (ssize_t)sizeof ts)
			_exit(127);
		execv(evsed, argv);
		int e = errno;
		if (write(p[1], &e, sizeof e) != (ssize_t)sizeof e)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	d->pid = pid;

	struct timespec ts;
	ssize_t n;
	do
		n = read(p[0], &ts, sizeof ts);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof ts) {
		close(p[0]);
		snprintf(err, errlen, "child did not reach exec");
		return false;
	}
	*t_exec = (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
	int e = 0;
	do
		n = read(p[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n > 0) {
		snprintf(err, errlen, "exec %.300s: %s", evsed, strerror(e));
		return false;
	}
	return true;
}

/* One connect attempt; the socket fd or -1 (errno set). */
static int try_connect(const char *path)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1); /* length checked in daemon_start */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Send {"cmd": cmd, "args": [args...]} and read one answer line before
 * deadline (monotonic ms). Returns the parsed answer (caller owns it), or
 * NULL with err filled.
 */
static json_t *request(struct conn *c, const char *cmd, const char *const *args, double deadline,
		       char *err, size_t errlen)
{
	json_t *a = json_array();
	for (size_t i = 0; a && args && args[i]; i++)
		json_array_append_new(a, json_string(args[i]));
	json_t *req = a ? json_pack("{s:s, s:o}", "cmd", cmd, "args", a) : NULL;
	char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!line) {
		snprintf(err, errlen, "%s: out of memory", cmd);
		return NULL;
	}
	bool sent = send_all(c->fd, line, strlen(line)) && send_all(c->fd, "\n", 1);
	free(line);
	if (!sent) {
		snprintf(err, errlen, "%s: cannot send: %s", cmd, strerror(errno));
		return NULL;
	}

	c->len = 0;
	char *nl = NULL;
	while (!nl) {
		double left = deadline - now_ms();
		if (left <= 0) {
			snprintf(err, errlen, "%s: no answer within %.0f ms", cmd, ANSWER_LIMIT_MS);
			return NULL;
		}
		struct pollfd pfd = {c->fd, POLLIN, 0};
		int r = poll(&pfd, 1, (int)left + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: poll: %s", cmd, strerror(errno));
			return NULL;
		}
		if (r == 0)
			continue;
		if (c->len == ANSWER_MAX) {
			snprintf(err, errlen, "%s: answer longer than %d bytes", cmd, ANSWER_MAX);
			return NULL;
		}
		ssize_t n = read(c->fd, c->buf + c->len, ANSWER_MAX - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: connection closed before a full answer (%s)",
				 cmd, n < 0 ? strerror(errno) : "EOF");
			return NULL;
		}
		nl = memchr(c->buf + c->len, '\n', (size_t)n);
		c->len += (size_t)n;
	}
	json_error_t jerr;
	json_t *ans = json_loadb(c->buf, (size_t)(nl - c->buf), 0, &jerr);
	if (!ans || !json_is_object(ans)) {
		snprintf(err, errlen, "%s: answer is not a JSON object: %s", cmd,
			 ans ? "wrong type" : jerr.text);
		json_decref(ans);
		return NULL;
	}
	return ans;
}

/* True if the answer says {"ok": true}; else err names the command and why. */
static bool answer_ok(const char *what, json_t *ans, char *err, size_t errlen)
{
	if (json_is_true(json_object_get(ans, "ok")))
		return true;
	const char *e = json_string_value(json_object_get(ans, "error"));
	snprintf(err, errlen, "%s: refused: %s", what, e ? e : "(no error text)");
	return false;
}

/*
 * Poll connect until the control socket accepts, then ask "status"; returns
 * the monotonic time the first good answer arrived, or a negative value with
 * err filled. c->fd stays open for the setup requests.
 */
static double wait_ready(struct daemon_proc *d, struct conn *c, double t_exec, char *err,
			 size_t errlen)
{
	double deadline = t_exec + READY_LIMIT_MS;
	int last_errno = 0;
	for (;;) {
		int fd = try_connect(d->sock);
		if (fd >= 0) {
			c->fd = fd;
			break;
		}
		last_errno = errno;
		if (daemon_gone(d)) {
			char st[128];
			describe_status(d->status, st, sizeof st);
			snprintf(err, errlen, "evsed %s before its control socket answered", st);
			return -1;
		}
		if (now_ms() >= deadline) {
			snprintf(err, errlen, "control socket %s not accepting after %.0f ms (%s)",
				 d->sock, READY_LIMIT_MS, strerror(last_errno));
			return -1;
		}
		nap();
	}
	json_t *ans = request(c, "status", NULL, deadline, err, errlen);
	if (!ans)
		return -1;
	double t = now_ms();
	bool ok = answer_ok("status", ans, err, errlen);
	json_decref(ans);
	return ok ? t : -1;
}

/* "2 connectors, one charging", then check that status says so. */
static bool setup(struct conn *c, char *err, size_t errlen)
{
	static const char *const steps[][4] = {
	    {"card", "add", "CARD1", NULL},
	    {"plug", "1", NULL},
	    {"plug", "2", NULL},
	    {"swipe", "CARD1", NULL},
	    {"ev", "1", "charge", NULL},
	    {"time", "advance", "600", NULL},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		json_t *ans =
		    request(c, steps[i][0], &steps[i][1], now_ms() + ANSWER_LIMIT_MS, err, errlen);
		bool ok = ans && answer_ok(steps[i][0], ans, err, errlen);
		json_decref(ans);
		if (!ok)
			return false;
	}

	json_t *ans = request(c, "status", NULL, now_ms() + ANSWER_LIMIT_MS, err, errlen);
	if (!ans || !answer_ok("status", ans, err, errlen)) {
		json_decref(ans);
		return false;
	}
	json_t *conns = json_object_get(json_object_get(ans, "data"), "connectors");
	const char *s1 = json_string_value(json_object_get(json_array_get(conns, 0), "state"));
	const char *s2 = json_string_value(json_object_get(json_array_get(conns, 1), "state"));
	bool ok = json_array_size(conns) == 2 && s1 && s2 && strcmp(s1, "Charging") == 0 &&
		  strcmp(s2, "Charging") != 0;
	if (!ok)
		snprintf(err, errlen,
			 "after setup, status shows %zu connectors, states %s / %s (expected 2, "
			 "Charging / not Charging)",
			 json_array_size(conns), s1 ? s1 : "?", s2 ? s2 : "?");
	json_decref(ans);
	return ok;
}

/* VmRSS and VmHWM of pid in KiB. */
static bool read_mem(pid_t pid, double *rss, double *hwm, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	char line[256];
	long r = -1, h = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			r = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			h = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	if (r <= 0 || h <= 0) {
		snprintf(err, errlen, "%s: no VmRSS / VmHWM", path);
		return false;
	}
	*rss = (double)r;
	*hwm = (double)h;
	return true;
}

/* True if pid has a sanitizer runtime mapped (its figures then say little). */
static bool sanitized(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/maps", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, "/libasan") || strstr(line, "/libubsan") ||
			strstr(line, "/libtsan") || strstr(line, "/libclang_rt.");
	fclose(f);
	return found;
}

/* SIGTERM, then time until the daemon is reaped; it must exit 0 within STOP_LIMIT_MS. */
static bool daemon_stop(struct daemon_proc *d, double *stop_ms, char *err, size_t errlen)
{
	double t0 = now_ms();
	if (kill(d->pid, SIGTERM) != 0) {
		snprintf(err, errlen, "kill: %s", strerror(errno));
		return false;
	}
	while (!daemon_gone(d)) {
		if (now_ms() - t0 >= STOP_WAIT_MS) {
			snprintf(err, errlen, "evsed still running %.0f ms after SIGTERM; killed",
				 STOP_WAIT_MS);
			return false;
		}
		nap();
	}
	*stop_ms = now_ms() - t0;
	if (*stop_ms >= STOP_LIMIT_MS) {
		snprintf(err, errlen, "evsed took %.1f ms to exit after SIGTERM (limit %.0f ms)",
			 *stop_ms, STOP_LIMIT_MS);
		return false;
	}
	if (!WIFEXITED(d->status) || WEXITSTATUS(d->status) != 0) {
		char st[128];
		describe_status(d->status, st, sizeof st);
		snprintf(err, errlen, "evsed %s after SIGTERM (after %.1f ms)", st, *stop_ms);
		return false;
	}
	return true;
}

static bool run_once(char *evsed, struct conn *c, struct run_result *r, char *err, size_t errlen)
{
	struct daemon_proc d = {.pid = -1};
	double t_exec = 0;
	bool ok = false;
	c->fd = -1;
	if (!daemon_start(evsed, &d, &t_exec, err, errlen))
		goto out;
	double t_ready = wait_ready(&d, c, t_exec, err, errlen);
	if (t_ready < 0)
		goto out;
	r->start_ms = t_ready - t_exec;
	if (!setup(c, err, errlen))
		goto out;
	if (!read_mem(d.pid, &r->rss_kib, &r->hwm_kib, err, errlen))
		goto out;
	r->sanitized = sanitized(d.pid);
	close(c->fd);
	c->fd = -1;
	ok = daemon_stop(&d, &r->stop_ms, err, errlen);
out:
	if (c->fd >= 0)
		close(c->fd);
	if (!ok && d.pid > 0 && daemon_gone(&d) && !strstr(err, "evsed ")) {
		size_t n = strlen(err);
		char st[128];
		describe_status(d.status, st, sizeof st);
		snprintf(err + n, errlen - n, " [evsed %s]", st);
	}
	daemon_cleanup(&d);
	return ok;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct stat3 {
	double median, min, max;
};

/* Median, min and max of the field at offset off of n results. */
static struct stat3 stats(const struct run_result *r, int n, size_t off)
{
	double *v = malloc((size_t)n * sizeof *v);
	struct stat3 s = {0, 0, 0};
	if (!v)
		return s;
	for (int i = 0; i < n; i++)
		memcpy(&v[i], (const char *)&r[i] + off, sizeof v[i]);
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	s.min = v[0];
	s.max = v[n - 1];
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return s;
}

/* "model name, nproc N, Linux release machine" */
static void machine(char *buf, size_t len)
{
	char model[256] = "unknown CPU";
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f) {
		char line[512];
		while (fgets(line, sizeof line, f)) {
			/* x86: "model name"; many ARM kernels only have "Hardware" / "Model". */
			if (strncmp(line, "model name", 10) != 0 &&
			    strncmp(line, "Model", 5) != 0 && strncmp(line, "Hardware", 8) != 0)
				continue;
			char *colon = strchr(line, ':');
			if (!colon)
				continue;
			char *v = colon + 1 + strspn(colon + 1, " \t");
			v[strcspn(v, "\n")] = '\0';
			if (*v) {
				snprintf(model, sizeof model, "%s", v);
				if (strncmp(line, "model name", 10) == 0)
					break;
			}
		}
		fclose(f);
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		ncpu = CPU_COUNT(&set);
	struct utsname u;
	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	snprintf(buf, len, "%s, nproc %ld, %s %s %s", model, ncpu, u.sysname, u.release, u.machine);
}

static void today(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "unknown date");
}

static const struct {
	const char *name, *md_name, *unit, *md_target;
	size_t off;
	int decimals;
} figures[] = {
    {"start-up", "start-up: exec to control socket answering `status`", "ms",
     "< 100 (start to BootNotification sent)", offsetof(struct run_result, start_ms), 1},
    {"RSS", "RSS (VmRSS), 2 connectors, one charging", "KiB", "<= 8192 (8 MB)",
     offsetof(struct run_result, rss_kib), 0},
    {"peak RSS", "peak RSS (VmHWM) at the same moment", "KiB", "-",
     offsetof(struct run_result, hwm_kib), 0},
    {"stop", "stop: SIGTERM to exit", "ms", "< 2000 (bench limit)",
     offsetof(struct run_result, stop_ms), 1},
};

static void print_run(FILE *f, int i, const struct run_result *r)
{
	fprintf(f, "run %2d: start-up %6.1f ms  RSS %6.0f KiB  peak RSS %6.0f KiB  stop %6.1f ms\n",
		i + 1, r->start_ms, r->rss_kib, r->hwm_kib, r->stop_ms);
}

static void print_summary(const struct run_result *r, int n, const char *mach)
{
	printf("\nevsed, 2 connectors, one charging: median (min .. max) of %d runs\n", n);
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		struct stat3 s = stats(r, n, figures[i].off);
		int p = figures[i].decimals;
		printf("  %-9s %8.*f %s  (%.*f .. %.*f)\n", figures[i].name, p, s.median,
		       figures[i].unit, p, s.min, p, s.max);
	}
	printf("targets: RSS <= %d KiB, start to BootNotification sent < %d ms (design.md)\n",
	       RSS_TARGET_KIB, START_TARGET_MS);
	printf("machine: %s\n", mach);
}

static void print_markdown(const struct run_result *r, int n, const char *mach)
{
	char date[32];
	today(date, sizeof date);
	printf("%s, medians of %d runs (min and max beside them); machine: %s.\n\n", date, n, mach);
	printf("| figure | unit | target | median | min | max |\n");
	printf("|---|---|---|---:|---:|---:|\n");
	for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
		struct stat3 s = stats(r, n, figures[i].off);
		int p = figures[i].decimals;
		printf("| %s | %s | %s | %.*f | %.*f | %.*f |\n", figures[i].md_name,
		       figures[i].unit, figures[i].md_target, p, s.median, p, s.min, p, s.max);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evsed_bench [--markdown] EVSED_PATH [RUNS]\n"
		"Starts EVSED_PATH RUNS times (default %d), each time timing start-up, setting\n"
		"up 2 connectors with one charging, reading RSS and timing the stop on SIGTERM.\n"
		"--markdown prints the summary as the table in bench/README.md (runs go to\n"
		"stderr). Exit status 1 if a run fails, 2 on a usage error.\n",
		DEFAULT_RUNS);
}

int main(int argc, char **argv)
{
	const char *evsed_arg = NULL, *runs_arg = NULL;
	bool markdown = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0) {
			markdown = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "evsed_bench: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (!evsed_arg) {
			evsed_arg = argv[i];
		} else if (!runs_arg) {
			runs_arg = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!evsed_arg) {
		usage(stderr);
		return 2;
	}
	long runs = DEFAULT_RUNS;
	if (runs_arg) {
		char *end;
		errno = 0;
		runs = strtol(runs_arg, &end, 10);
		if (errno || end == runs_arg || *end || runs < 1 || runs > MAX_RUNS) {
			fprintf(stderr, "evsed_bench: RUNS must be 1..%d, not '%s'\n", MAX_RUNS,
				runs_arg);
			return 2;
		}
	}
	/* evsed runs in its data dir, so a relative path would not find it. */
	char evsed[PATH_MAX];
	if (!realpath(evsed_arg, evsed) || access(evsed, X_OK) != 0) {
		fprintf(stderr, "evsed_bench: %s: %s\n", evsed_arg, strerror(errno));
		return 2;
	}

	struct run_result *res = calloc((size_t)runs, sizeof *res);
	struct conn *c = malloc(sizeof *c);
	if (!res || !c) {
		fprintf(stderr, "evsed_bench: out of memory\n");
		free(res);
		free(c);
		return 1;
	}
	FILE *out = markdown ? stderr : stdout;
	int rc = 0;
	for (int i = 0; i < (int)runs; i++) {
		char err[512] = "";
		if (!run_once(evsed, c, &res[i], err, sizeof err)) {
			fprintf(stderr, "run %2d: FAILED: %s\n", i + 1, err);
			rc = 1;
			break;
		}
		print_run(out, i, &res[i]);
		fflush(out);
	}
	if (rc == 0) {
		char mach[512];
		machine(mach, sizeof mach);
		if (markdown)
			print_markdown(res, (int)runs, mach);
		else
			print_summary(res, (int)runs, mach);
		fflush(stdout);
		if (res[0].sanitized)
			fprintf(
			    stderr,
			    "evsed_bench: WARNING: %s has a sanitizer runtime loaded; its RSS and "
			    "times are not the product's (use a RelWithDebInfo build without "
			    "EVSED_SANITIZE)\n",
			    evsed);
	}
	free(res);
	free(c);
	return rc;
}
