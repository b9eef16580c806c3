/* SPDX-License-Identifier: MIT */
/*
 * Control socket server over a libwebsockets raw-socket vhost bound to a
 * UNIX socket. Framing and size caps live here; what a command does is the
 * handler's business.
 */
#include "ctl.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ctl {
	struct lws_vhost *vh;
	ctl_handler fn;
	void *user;
	char path[108];
};

struct ctl_conn {
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
	bool close_after;
	bool overflow;
};

/* Answers waiting for a client that does not read them: past this the
 * client is disconnected rather than growing the daemon's memory. */
#define CTL_OUT_MAX (4 * 1024 * 1024)

static int out_append(struct ctl_conn *cc, const char *s, size_t len)
{
	if (cc->out_len + len + 1 > CTL_OUT_MAX)
		return -1;
	if (cc->out_len + len + 1 > cc->out_cap) {
		size_t cap = cc->out_cap ? cc->out_cap : 1024;
		while (cap < cc->out_len + len + 1)
			cap *= 2;
		char *p = realloc(cc->out, cap);
		if (!p)
			return -1;
		cc->out = p;
		cc->out_cap = cap;
	}
	memcpy(cc->out + cc->out_len, s, len);
	cc->out_len += len;
	return 0;
}

static void answer(struct lws *wsi, struct ctl_conn *cc, json_t *resp)
{
	char *text = json_dumps(resp, JSON_COMPACT);
	if (!text || out_append(cc, text, strlen(text)) < 0 || out_append(cc, "\n", 1) < 0)
		cc->close_after = true;
	free(text);
	lws_callback_on_writable(wsi);
}

static void answer_error(struct lws *wsi, struct ctl_conn *cc, int code, const char *msg)
{
	json_t *r = json_pack("{s:b, s:i, s:s}", "ok", 0, "code", code, "error", msg);
	if (r)
		answer(wsi, cc, r);
	json_decref(r);
}

static void handle_line(struct lws *wsi, struct ctl *c, struct ctl_conn *cc, const char *line)
{
	json_error_t jerr;
	json_t *req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	json_t *cmd = req ? json_object_get(req, "cmd") : NULL;
	json_t *args = req ? json_object_get(req, "args") : NULL;
	if (!req || !json_is_object(req) || !json_is_string(cmd) ||
	    (args && !json_is_array(args))) {
		answer_error(
		    wsi, cc, 2,
		    "bad request: expected {\"cmd\": \"...\", \"args\": [...]} on one line");
		cc->close_after = true;
		json_decref(req);
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(args, i, a)
	{
		if (!json_is_string(a)) {
			answer_error(wsi, cc, 2, "bad request: arguments must be strings");
			cc->close_after = true;
			json_decref(req);
			return;
		}
	}
	json_t *empty = args ? NULL : json_array();
	json_t *resp = c->fn(c->user, json_string_value(cmd), args ? args : empty);
	json_decref(empty);
	if (resp)
		answer(wsi, cc, resp);
	else
		answer_error(wsi, cc, 1, "internal error");
	json_decref(resp);
	json_decref(req);
}

static void on_rx(struct lws *wsi, struct ctl *c, struct ctl_conn *cc, const char *buf, size_t len)
{
	if (cc->overflow || cc->close_after)
		return;
	if (!cc->in) {
		cc->in = malloc(CTL_LINE_MAX + 1);
		if (!cc->in) {
			cc->close_after = true;
			return;
		}
	}
	for (size_t i = 0; i < len; i++) {
		char ch = buf[i];
		if (ch == '\n') {
			cc->in[cc->in_len] = '\0';
			if (cc->in_len && cc->in[cc->in_len - 1] == '\r')
				cc->in[cc->in_len - 1] = '\0';
			cc->in_len = 0;
			handle_line(wsi, c, cc, cc->in);
			if (cc->close_after)
				return;
			continue;
		}
		if (cc->in_len >= CTL_LINE_MAX) {
			cc->overflow = true;
			answer_error(wsi, cc, 2, "request too long (limit 65536 bytes per line)");
			cc->close_after = true;
			return;
		}
		cc->in[cc->in_len++] = ch;
	}
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct ctl_conn *cc = user;
	struct lws_vhost *vh;
	switch (reason) {
	case LWS_CALLBACK_RAW_ADOPT:
		memset(cc, 0, sizeof *cc);
		break;
	case LWS_CALLBACK_RAW_RX:
		vh = lws_get_vhost(wsi);
		if (vh && lws_get_vhost_user(vh))
			on_rx(wsi, lws_get_vhost_user(vh), cc, in, len);
		if (cc->close_after || cc->overflow)
			lws_rx_flow_control(wsi, 0);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (cc->out_len) {
			size_t n = cc->out_len;
			unsigned char *buf = malloc(LWS_PRE + n);
			if (!buf)
				return -1;
			memcpy(buf + LWS_PRE, cc->out, n);
			cc->out_len = 0;
			int w = lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_RAW);
			free(buf);
			if (w < (int)n)
				return -1;
		}
		if (cc->close_after)
			return -1;
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		free(cc->in);
		free(cc->out);
		memset(cc, 0, sizeof *cc);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols ctl_protocols[] = {
    {"evsed-ctl", callback, sizeof(struct ctl_conn), 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

struct ctl *ctl_new(struct lws_context *ctx, const char *path, ctl_handler fn, void *user,
		    char *err, size_t errlen)
{
	struct ctl *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strlen(path) >= sizeof c->path) {
		snprintf(err, errlen, "%s: socket path too long (max %zu)", path,
			 sizeof c->path - 1);
		free(c);
		return NULL;
	}
	snprintf(c->path, sizeof c->path, "%s", path);
	c->fn = fn;
	c->user = user;
	/* A socket file left by a killed daemon would make bind fail. */
	struct stat sb;
	if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
		unlink(path);

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.vhost_name = "ctl";
	info.iface = c->path;
	info.port = 0;
	info.protocols = ctl_protocols;
	info.options =
	    LWS_SERVER_OPTION_UNIX_SOCK | LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG;
	info.listen_accept_role = "raw-skt";
	info.listen_accept_protocol = "evsed-ctl";
	info.unix_socket_perms = NULL;
	info.user = c;
	c->vh = lws_create_vhost(ctx, &info);
	if (!c->vh) {
		snprintf(err, errlen, "%s: cannot listen on the control socket", path);
		free(c);
		return NULL;
	}
	chmod(path, 0660);
	return c;
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	unlink(c->path);
	free(c);
}
