/* SPDX-License-Identifier: MIT */
/*
 * ws_probe: drives one OCPP WebSocket transport (src/io/ocpp_ws.c) on its
 * own libwebsockets loop for tests/ws/test_ws.mjs. It connects to the URL
 * given, sends the frames given, and prints one line per event on stdout:
 *   connected
 *   frame <len> <fnv1a-32 hex> [<text, when short and printable>]
 *   disconnected <why>
 *   freed
 *   stats sent=<bytes> received=<bytes>
 * then exits 0 when its exit condition is met (3 on its own timeout, 2 on a
 * usage or set-up error, printed as "error <message>"). It checks nothing
 * itself: the Node test does.
 */
#include <libwebsockets.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/ocpp_ws.h"

#define MAX_SENDS 32

struct probe {
	struct lws_context *ctx;
	struct ocpp_ws *ws;
	const char *sends[MAX_SENDS];
	int nsends;
	long send_size;	   /* also send generated frames of this size; -1 = no */
	long send_count;   /* how many of them */
	int set_ping;	   /* ocpp_ws_set_ping() on connect; -1 = no */
	bool echo;	   /* send every received frame back */
	long exit_frames;  /* exit after this many frames; 0 = no */
	long close_frames; /* ocpp_ws_close() after this many frames */
	long free_frames;  /* ocpp_ws_free() after this many frames */
	bool free_on_connect;
	int attempts;  /* connection attempts before exiting on disconnected */
	long run_ms;   /* exit after this long; 0 = no */
	long close_ms; /* ocpp_ws_close() this long after the start; 0 = no */
	long free_ms;  /* ocpp_ws_free() this long after the start; 0 = no */
	long frames;
	int tries;
	bool done;
	int rc;
	lws_sorted_usec_list_t run_sul, timeout_sul, linger_sul, close_sul;
};

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void finish(struct probe *p, int rc)
{
	p->done = true;
	p->rc = rc;
	lws_cancel_service(p->ctx);
}

static void on_linger(lws_sorted_usec_list_t *sul)
{
	struct probe *p = lws_container_of(sul, struct probe, linger_sul);
	finish(p, 0);
}

/* Free the transport, then keep the loop running a little: any callback
 * that fired now would be printed and fail the test. */
static void free_now(struct probe *p)
{
	ocpp_ws_free(p->ws);
	p->ws = NULL;
	out("freed");
	lws_sul_schedule(p->ctx, 0, &p->linger_sul, on_linger, 500 * LWS_US_PER_MS);
}

static void on_free_timer(lws_sorted_usec_list_t *sul)
{
	struct probe *p = lws_container_of(sul, struct probe, linger_sul);
	free_now(p);
}

static void send_one(struct probe *p, const char *text, size_t len)
{
	if (ocpp_ws_send(p->ws, text, len) < 0)
		out("send-failed %s", ocpp_ws_errmsg(p->ws));
}

static void on_connected(void *user)
{
	struct probe *p = user;
	out("connected");
	if (p->set_ping >= 0)
		ocpp_ws_set_ping(p->ws, p->set_ping);
	for (int i = 0; i < p->nsends; i++)
		send_one(p, p->sends[i], strlen(p->sends[i]));
	if (p->send_size >= 0) {
		size_t n = (size_t)p->send_size;
		char *big = malloc(n ? n : 1);
		if (!big) {
			out("error out of memory");
			finish(p, 2);
			return;
		}
		for (size_t i = 0; i < n; i++)
			big[i] = (char)('a' + i % 26);
		for (long k = 0; k < p->send_count; k++)
			send_one(p, big, n);
		free(big);
	}
	if (p->free_on_connect)
		/* Not from inside the callback (ocpp_ws.h): from the loop. */
		lws_sul_schedule(p->ctx, 0, &p->linger_sul, on_free_timer, 1);
}

static void on_disconnected(void *user, const char *why)
{
	struct probe *p = user;
	out("disconnected %s", why);
	if (++p->tries < p->attempts) {
		if (ocpp_ws_connect(p->ws) < 0) {
			out("error connect: %s", ocpp_ws_errmsg(p->ws));
			finish(p, 2);
		}
		return;
	}
	if (!p->run_ms)
		finish(p, 0);
}

static void on_frame(void *user, const char *text, size_t len)
{
	struct probe *p = user;
	bool printable = len <= 1024;
	for (size_t i = 0; i < len && printable; i++)
		printable = (unsigned char)text[i] >= 0x20;
	out("frame %zu %08x%s%.*s", len, fnv1a(text, len), printable ? " " : "",
	    printable ? (int)len : 0, text);
	p->frames++;
	if (p->echo)
		send_one(p, text, len);
	if (p->close_frames && p->frames == p->close_frames)
		ocpp_ws_close(p->ws);
	if (p->free_frames && p->frames == p->free_frames)
		lws_sul_schedule(p->ctx, 0, &p->linger_sul, on_free_timer, 1);
	if (p->exit_frames && p->frames == p->exit_frames)
		finish(p, 0);
}

static void on_run(lws_sorted_usec_list_t *sul)
{
	struct probe *p = lws_container_of(sul, struct probe, run_sul);
	finish(p, 0);
}

static void on_close_timer(lws_sorted_usec_list_t *sul)
{
	struct probe *p = lws_container_of(sul, struct probe, close_sul);
	if (p->ws)
		ocpp_ws_close(p->ws);
}

static void on_timeout(lws_sorted_usec_list_t *sul)
{
	struct probe *p = lws_container_of(sul, struct probe, timeout_sul);
	out("timeout");
	finish(p, 3);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ws_probe --url URL --id ID [--password P] [--ca FILE] [--ping S]\n"
		"  [--frame-max N] [--send TEXT]... [--send-size N [--send-count N]] [--echo]\n"
		"  [--set-ping S] [--exit-after-frames N] [--close-after-frames N]\n"
		"  [--free-after-frames N] [--free-on-connect] [--attempts N] [--run-ms N]\n"
		"  [--close-after-ms N] [--free-after-ms N] [--timeout-ms N]\n");
}

static bool num_arg(const char *s, long min, long *v)
{
	char *end;
	long x = strtol(s, &end, 10);
	if (end == s || *end || x < min)
		return false;
	*v = x;
	return true;
}

int main(int argc, char **argv)
{
	struct probe p;
	memset(&p, 0, sizeof p);
	p.send_size = -1;
	p.send_count = 1;
	p.set_ping = -1;
	p.attempts = 1;
	struct ocpp_ws_cfg cfg = {.frame_max = 65536};
	long timeout_ms = 20000, v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;
		if (strcmp(a, "--echo") == 0) {
			p.echo = true;
			continue;
		}
		if (strcmp(a, "--free-on-connect") == 0) {
			p.free_on_connect = true;
			continue;
		}
		if (!val) {
			usage();
			return 2;
		}
		i++;
		if (strcmp(a, "--url") == 0)
			cfg.url = val;
		else if (strcmp(a, "--id") == 0)
			cfg.id = val;
		else if (strcmp(a, "--password") == 0)
			cfg.password = val;
		else if (strcmp(a, "--ca") == 0)
			cfg.ca_file = val;
		else if (strcmp(a, "--ping") == 0 && (ok = num_arg(val, 0, &v)))
			cfg.ping_interval_s = (int)v;
		else if (strcmp(a, "--frame-max") == 0 && (ok = num_arg(val, 0, &v)))
			cfg.frame_max = (size_t)v;
		else if (strcmp(a, "--send") == 0 && (ok = p.nsends < MAX_SENDS))
			p.sends[p.nsends++] = val;
		else if (strcmp(a, "--send-size") == 0)
			ok = num_arg(val, 0, &p.send_size);
		else if (strcmp(a, "--send-count") == 0)
			ok = num_arg(val, 1, &p.send_count);
		else if (strcmp(a, "--set-ping") == 0 && (ok = num_arg(val, 0, &v)))
			p.set_ping = (int)v;
		else if (strcmp(a, "--exit-after-frames") == 0)
			ok = num_arg(val, 1, &p.exit_frames);
		else if (strcmp(a, "--close-after-frames") == 0)
			ok = num_arg(val, 1, &p.close_frames);
		else if (strcmp(a, "--free-after-frames") == 0)
			ok = num_arg(val, 1, &p.free_frames);
		else if (strcmp(a, "--attempts") == 0 && (ok = num_arg(val, 1, &v)))
			p.attempts = (int)v;
		else if (strcmp(a, "--run-ms") == 0)
			ok = num_arg(val, 1, &p.run_ms);
		else if (strcmp(a, "--close-after-ms") == 0)
			ok = num_arg(val, 1, &p.close_ms);
		else if (strcmp(a, "--free-after-ms") == 0)
			ok = num_arg(val, 1, &p.free_ms);
		else if (strcmp(a, "--timeout-ms") == 0)
			ok = num_arg(val, 1, &timeout_ms);
		else
			ok = false;
		if (!ok) {
			fprintf(stderr, "ws_probe: bad option %s %s\n", a, val);
			usage();
			return 2;
		}
	}
	if (!cfg.url || !cfg.id) {
		usage();
		return 2;
	}

	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	p.ctx = lws_create_context(&info);
	if (!p.ctx) {
		out("error cannot create the lws context");
		return 2;
	}

	char err[256];
	struct ocpp_ws_cb cb = {&p, on_connected, on_disconnected, on_frame};
	p.ws = ocpp_ws_new(p.ctx, &cfg, &cb, err, sizeof err);
	if (!p.ws) {
		out("error %s", err);
		lws_context_destroy(p.ctx);
		return 2;
	}
	if (ocpp_ws_connect(p.ws) < 0) {
		out("error connect: %s", ocpp_ws_errmsg(p.ws));
		ocpp_ws_free(p.ws);
		lws_context_destroy(p.ctx);
		return 2;
	}
	lws_sul_schedule(p.ctx, 0, &p.timeout_sul, on_timeout,
			 (lws_usec_t)timeout_ms * LWS_US_PER_MS);
	if (p.run_ms)
		lws_sul_schedule(p.ctx, 0, &p.run_sul, on_run,
				 (lws_usec_t)p.run_ms * LWS_US_PER_MS);

	if (p.close_ms)
		lws_sul_schedule(p.ctx, 0, &p.close_sul, on_close_timer,
				 (lws_usec_t)p.close_ms * LWS_US_PER_MS);
	if (p.free_ms)
		lws_sul_schedule(p.ctx, 0, &p.linger_sul, on_free_timer,
				 (lws_usec_t)p.free_ms * LWS_US_PER_MS);

	while (!p.done)
		if (lws_service(p.ctx, 0) < 0)
			break;

	lws_sul_cancel(&p.timeout_sul);
	lws_sul_cancel(&p.run_sul);
	lws_sul_cancel(&p.linger_sul);
	lws_sul_cancel(&p.close_sul);
	if (p.ws) {
		uint64_t sent, received;
		ocpp_ws_stats(p.ws, &sent, &received);
		out("stats sent=%llu received=%llu", (unsigned long long)sent,
		    (unsigned long long)received);
		ocpp_ws_free(p.ws);
	}
	lws_context_destroy(p.ctx);
	return p.rc;
}
