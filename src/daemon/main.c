/* SPDX-License-Identifier: MIT */
/*
 * evsed: command line, settings (defaults < file < store < --set), the
 * libwebsockets event loop with the control socket and the clock timer, and a
 * clean stop on SIGTERM / SIGINT.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <fcntl.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../io/ctl.h"
#include "evsed.h"
#include "site.h"
#include "group_link.h"
#include "ocpp_link.h"
#include "web_api.h"

#define EVSED_VERSION	  "0.1.0"
#define SETTINGS_FILE_MAX (1024 * 1024)
#define MAX_SETS	  64

static volatile sig_atomic_t stop_requested;
static struct lws_context *g_ctx; /* for the signal handler only */

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (g_ctx)
		lws_cancel_service(g_ctx);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t utc_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: evsed [-c FILE] [--set KEY=VALUE]... [--data-dir DIR]\n"
		   "       evsed --help | --version\n"
		   "Runs one charger. Without options: profile io7, simulated hardware, local\n"
		   "authorization, state in ./var. See README.md for the settings.\n");
}

/* The settings registry as the README's Markdown table (kept true by a test). */
static void settings_markdown(void)
{
	static const char *const types[] = {"bool", "int", "number", "string", "enum"};
	printf("| key | type | range / values | default (io7 / mq200 / evplus) | notes |\n");
	printf("|---|---|---|---|---|\n");
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		char range[160] = "";
		if (d->type == ST_INT || d->type == ST_DOUBLE)
			snprintf(range, sizeof range, "%g-%g%s%s", d->min, d->max,
				 d->unit[0] ? " " : "", d->unit);
		else if (d->type == ST_ENUM) {
			size_t k = 0;
			for (const char *p = d->enum_values; *p && k + 3 < sizeof range; p++) {
				if (*p == '|') {
					range[k++] = ',';
					range[k++] = ' ';
				} else {
					range[k++] = *p;
				}
			}
			snprintf(range + k, sizeof range - k, "%s%s", d->unit[0] ? " " : "",
				 d->unit);
		} else if (d->type == ST_STRING)
			snprintf(range, sizeof range, "%g-%g chars", d->min, d->max);
		else
			snprintf(range, sizeof range, "true/false");
		char def[200];
		const char *d0 = d->pdef[0] ? d->pdef[0] : d->def;
		const char *d1 = d->pdef[1] ? d->pdef[1] : d->def;
		const char *d2 = d->pdef[2] ? d->pdef[2] : d->def;
		if (strcmp(d0, d1) == 0 && strcmp(d1, d2) == 0)
			snprintf(def, sizeof def, "`%s`", d0);
		else
			snprintf(def, sizeof def, "`%s` / `%s` / `%s`", d0, d1, d2);
		if (strcmp(d0, "") == 0 && strcmp(d1, "") == 0 && strcmp(d2, "") == 0)
			snprintf(def, sizeof def, "empty");
		char notes[300];
		snprintf(notes, sizeof notes, "%s%s%s%s%s%s", d->help,
			 d->ocpp_key ? "; OCPP key" : "",
			 (d->flags & SF_STARTUP) ? "; start only" : "",
			 (d->flags & SF_READONLY) ? "; read-only" : "",
			 (d->flags & SF_REBOOT) ? "; restart needed" : "",
			 (d->flags & SF_SECRET) ? "; secret, never shown" : "");
		printf("| `%s` | %s | %s | %s | %s |\n", d->name, types[d->type], range, def,
		       notes);
	}
}

/* Hold an exclusive lock on <dir>/evsed.lock for the life of the process
 * (released by the kernel at exit, and at exec: the descriptor is
 * close-on-exec, so a Reset's new image takes it again). */
static bool lock_data_dir(const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return false;
	}
	char path[512];
	if ((size_t)snprintf(path, sizeof path, "%s/evsed.lock", dir) >= sizeof path) {
		snprintf(err, errlen, "%s: path too long", dir);
		return false;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%.400s: %s", path, strerror(errno));
		return false;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "%s is in use by another evsed", dir);
		close(fd);
		return false;
	}
	return true; /* fd stays open: the lock lives as long as the process */
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(SETTINGS_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, SETTINGS_FILE_MAX + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		snprintf(err, errlen, "%s: cannot read", path);
		free(buf);
		return NULL;
	}
	if (n > SETTINGS_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, SETTINGS_FILE_MAX);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (strlen(buf) != n) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		free(buf);
		return NULL;
	}
	return buf;
}

struct store_apply {
	struct settings *set;
};

static void apply_stored(void *user, const char *key, const char *value)
{
	struct store_apply *sa = user;
	enum set_id id;
	char err[300];
	if (!settings_find(key, &id)) {
		fprintf(stderr, "evsed: stored setting %s ignored: unknown setting\n", key);
		return;
	}
	const struct set_def *def = settings_def(id);
	if (settings_source(sa->set, id) == SRC_CLI || (def->flags & (SF_STARTUP | SF_READONLY)))
		return;
	if (settings_set_id(sa->set, id, value, SRC_STORE, err, sizeof err, NULL) != SET_OK)
		fprintf(stderr, "evsed: stored setting ignored: %s\n", err);
}

/* <data_dir>/evsed.running exists while evsed runs: found at start, the
 * previous run ended without a clean stop (a power loss, or a crash), and
 * charging waits for cold load pickup (A12). */
#define RUN_MARKER "evsed.running"

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Create the marker; *after_loss: it was there already. */
static void run_marker_begin(const char *path, const char *dir, bool *after_loss)
{
	*after_loss = access(path, F_OK) == 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0 || fsync(fd) != 0)
		fprintf(stderr, "evsed: %s: %s: a power loss will not be detected\n", path,
			strerror(errno));
	if (fd >= 0)
		close(fd);
	sync_dir(dir);
}

/* A clean stop: the next start is not after a power loss. */
static void run_marker_end(const char *path, const char *dir)
{
	if (unlink(path) != 0 && errno != ENOENT)
		fprintf(stderr, "evsed: %s: %s\n", path, strerror(errno));
	sync_dir(dir);
}

static struct evsed daemon_ctx;
static lws_sorted_usec_list_t tick_sul;

static void schedule_tick(struct lws_context *ctx);

static void wake_only(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	evsed_tick(&daemon_ctx);
	schedule_tick(g_ctx);
}

static void schedule_tick(struct lws_context *ctx)
{
	if (daemon_ctx.sim_clock)
		return; /* time moves only with 'evsectl time advance' */
	int64_t now = evsed_now(&daemon_ctx);
	int64_t next = evsed_next_deadline(&daemon_ctx);
	int64_t wait = 1000 - (now % 1000);
	if (next != INT64_MAX && next - now < wait)
		wait = next - now > 1 ? next - now : 1;
	lws_sul_schedule(ctx, 0, &tick_sul, on_tick, (lws_usec_t)wait * 1000);
}

int main(int argc, char **argv)
{
	int64_t t0 = mono_ms();
	const char *file = NULL, *data_dir = NULL;
	const char *sets[MAX_SETS];
	int nsets = 0;
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--settings-markdown") == 0) {
			settings_markdown();
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("evsed %s\n", EVSED_VERSION);
			return 0;
		} else if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
			if (nsets == MAX_SETS) {
				fprintf(stderr, "evsed: too many --set options (max %d)\n",
					MAX_SETS);
				return 2;
			}
			sets[nsets++] = argv[++i];
		} else if (strncmp(a, "--set=", 6) == 0 && nsets < MAX_SETS) {
			sets[nsets++] = a + 6;
		} else if (strcmp(a, "--data-dir") == 0 && i + 1 < argc) {
			data_dir = argv[++i];
		} else {
			fprintf(stderr, "evsed: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	for (int i = 0; i < nsets; i++) {
		if (!strchr(sets[i], '=') || sets[i][0] == '=') {
			fprintf(stderr, "evsed: --set %s: expected KEY=VALUE\n", sets[i]);
			return 2;
		}
	}

	char *text = NULL;
	if (file) {
		text = read_file(file, err, sizeof err);
		if (!text) {
			fprintf(stderr, "evsed: %s\n", err);
			return 2;
		}
	}

	/* The profile chooses the defaults, so it is found first. */
	char pname[64] = "io7";
	if (text)
		(void)settings_peek_text(text, "profile", pname, sizeof pname);
	for (int i = 0; i < nsets; i++)
		if (strncmp(sets[i], "profile=", 8) == 0)
			snprintf(pname, sizeof pname, "%s", sets[i] + 8);
	enum profile_id pid;
	if (!profile_find(pname, &pid)) {
		fprintf(stderr, "evsed: profile: unknown profile '%s' (one of %s)\n", pname,
			profile_names());
		free(text);
		return 2;
	}
	struct settings *set = settings_new(pid);
	if (!set) {
		fprintf(stderr, "evsed: out of memory\n");
		free(text);
		return 1;
	}
	if (text && !settings_load_text(set, text, file, err, sizeof err)) {
		fprintf(stderr, "evsed: %s\n", err);
		free(text);
		settings_free(set);
		return 2;
	}
	free(text);
	for (int i = 0; i < nsets; i++) {
		char key[128];
		const char *eq = strchr(sets[i], '=');
		snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
		if (settings_set(set, key, eq + 1, SRC_CLI, err, sizeof err, NULL) != SET_OK) {
			fprintf(stderr, "evsed: %s\n", err);
			settings_free(set);
			return 2;
		}
	}
	if (data_dir && settings_set_id(set, SET_DATA_DIR, data_dir, SRC_CLI, err, sizeof err,
					NULL) != SET_OK) {
		fprintf(stderr, "evsed: --data-dir: %s\n", err);
		settings_free(set);
		return 2;
	}

	/* Settings that only make sense together (group.*). */
	if (!evsed_group_check(set, err, sizeof err)) {
		fprintf(stderr, "evsed: %s\n", err);
		settings_free(set);
		return 2;
	}
	const char *dir = settings_str(set, SET_DATA_DIR);
	/* One evsed per data directory: a second one would close the first
	 * one's running sessions as power losses and take its socket. */
	if (!lock_data_dir(dir, err, sizeof err)) {
		fprintf(stderr, "evsed: %s\n", err);
		settings_free(set);
		return 1;
	}
	struct store *st;
	if (store_open(dir, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "evsed: store: %s\n", err);
		settings_free(set);
		return 1;
	}
	/* MQ200: all DIP switches off at power-up asks for a factory reset
	 * (A7); the board's switches are read here, before the stored settings
	 * are applied. */
	if (profile_get(pid)->dip_switch && strcmp(settings_str(set, SET_SIM_DIP), "000") == 0) {
		if (store_factory_reset(st) != STORE_OK) {
			fprintf(stderr, "evsed: store: factory reset failed: %s\n",
				store_errmsg(st));
			store_close(st);
			settings_free(set);
			return 1;
		}
		fprintf(stderr, "evsed: DIP switches all off: factory settings restored (settings, "
				"cards, cache); set the switches to a current to charge\n");
	}
	struct store_apply sa = {set};
	if (store_settings_load(st, apply_stored, &sa) != STORE_OK) {
		fprintf(stderr, "evsed: store: cannot read settings: %s\n", store_errmsg(st));
		store_close(st);
		settings_free(set);
		return 1;
	}

	struct evsed *d = &daemon_ctx;
	d->mono_ms = mono_ms;
	d->utc_ms = utc_ms;
	char marker[512];
	char marker_dir[256];
	snprintf(marker_dir, sizeof marker_dir, "%s", dir);
	snprintf(marker, sizeof marker, "%s/%s", dir, RUN_MARKER);
	run_marker_begin(marker, marker_dir, &d->after_power_loss);
	const char *sock = settings_str(set, SET_CONTROL_SOCKET);
	if (sock[0])
		snprintf(d->sock_path, sizeof d->sock_path, "%s", sock);
	else
		snprintf(d->sock_path, sizeof d->sock_path, "%s/evsed.sock", dir);
	lws_set_log_level(LLL_ERR, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	/* OpenSSL only when something needs TLS (a wss:// CSMS, the web UI). */
	const char *web_listen = settings_str(set, SET_WEB_LISTEN);
	if (strncmp(settings_str(set, SET_OCPP_URL), "wss://", 6) == 0 ||
	    (web_listen[0] && strcmp(web_listen, "off") != 0))
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	/* Browsers send more headers than lws's default 1 kB holds. */
	info.max_http_header_data = 4096;
	info.port = CONTEXT_PORT_NO_LISTEN;
	struct lws_context *ctx = lws_create_context(&info);
	if (!ctx) {
		fprintf(stderr, "evsed: cannot create the event loop\n");
		store_close(st);
		settings_free(set);
		return 1;
	}
	g_ctx = ctx;
	if (!evsed_init(d, set, st, ctx, err, sizeof err)) {
		fprintf(stderr, "evsed: %s\n", err);
		evsed_fini(d);
		lws_context_destroy(ctx);
		return 1;
	}
	struct ctl *ctl = ctl_new(ctx, d->sock_path, evsed_command, d, err, sizeof err);
	if (!ctl) {
		fprintf(stderr, "evsed: %s\n", err);
		evsed_fini(d);
		lws_context_destroy(ctx);
		return 1;
	}

	/* The web UI (G1): without it the charger still charges, so a port
	 * that is taken is reported, not fatal. */
	bool web_off = false;
	char web_url[96] = "";
	struct web_api *web = web_api_new(d, &web_off, web_url, sizeof web_url, err, sizeof err);
	if (!web && !web_off)
		fprintf(stderr, "evsed: web UI off: %s\n", err);

	struct sigaction sa_sig;
	memset(&sa_sig, 0, sizeof sa_sig);
	sa_sig.sa_handler = on_signal;
	sigaction(SIGTERM, &sa_sig, NULL);
	sigaction(SIGINT, &sa_sig, NULL);
	signal(SIGPIPE, SIG_IGN);

	const struct profile *p = profile_get(pid);
	printf("evsed %s: %s %s (profile %s, %d connector%s), hal %s, clock %s\n", EVSED_VERSION,
	       p->vendor, p->model, p->name, p->connectors, p->connectors > 1 ? "s" : "",
	       settings_str(set, SET_HAL), settings_str(set, SET_CLOCK));
	printf("state:  %s/evsed.db\ncontrol: %s\n", dir, d->sock_path);
	if (web)
		printf("web UI: %s (self-signed certificate unless web.cert is set)\n", web_url);
	printf("ready in %lld ms; try: evsectl -s %s status\n", (long long)(mono_ms() - t0),
	       d->sock_path);
	fflush(stdout);

	evsed_ocpp_start(d);
	schedule_tick(ctx);
	while (!stop_requested && !d->stop) {
		if (lws_service(ctx, 0) < 0)
			break;
		evsed_site_poll(d);
	}
	bool restart = d->reset_requested;
	evsed_log(d, restart ? "restarting" : "stopping");
	lws_sul_cancel(&tick_sul);
	evsed_shutdown(d);
	run_marker_end(marker, marker_dir);
	/* Give the CSMS the StopTransactions just queued, then close the
	 * WebSocket properly: at most 1 s, within the 2 s a stop may take. */
	if (d->ws && ocpp_ws_connected(d->ws)) {
		int64_t until = mono_ms() + 1000;
		/* A timer at the deadline, so that the loop wakes up in time. */
		lws_sul_schedule(ctx, 0, &tick_sul, wake_only, 1000 * LWS_US_PER_MS);
		while (mono_ms() < until && ocpp_ws_connected(d->ws) &&
		       ocpp_state(d->ocpp).queued > 0)
			if (lws_service(ctx, 0) < 0)
				break;
		ocpp_ws_close(d->ws);
		until = mono_ms() + 200;
		lws_sul_schedule(ctx, 0, &tick_sul, wake_only, 200 * LWS_US_PER_MS);
		while (mono_ms() < until && ocpp_ws_connected(d->ws))
			if (lws_service(ctx, 0) < 0)
				break;
	}
	lws_sul_cancel(&tick_sul);
	/* The transport goes before the context that carries it. */
	evsed_fini(d);
	lws_context_destroy(ctx);
	web_api_free(web); /* after its connections */
	g_ctx = NULL;
	ctl_free(ctl);
	if (restart) {
		/* OCPP Reset: start again as the same process. */
		fflush(NULL);
		execv("/proc/self/exe", argv);
		fprintf(stderr, "evsed: cannot restart: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
