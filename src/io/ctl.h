/* SPDX-License-Identifier: MIT */
/*
 * The control socket: a UNIX stream socket served on the daemon's
 * libwebsockets loop (raw role). One request per line, a JSON object
 * {"cmd": "plug", "args": ["1"]}; one JSON answer per line,
 * {"ok": true, "message": "...", "data": ...} or
 * {"ok": false, "code": 1|2, "error": "..."}. A line longer than
 * CTL_LINE_MAX, or one that is not such an object, is answered with an error
 * and the client is disconnected; nothing else is affected.
 */
#ifndef EVSED_CTL_H
#define EVSED_CTL_H

#include <jansson.h>
#include <stddef.h>

#define CTL_LINE_MAX (64 * 1024)

struct lws_context;
struct ctl;

/* Handle one request; return a new reference to the answer object. */
typedef json_t *(*ctl_handler)(void *user, const char *cmd, json_t *args);

/* Listen on path (an existing socket file there is replaced) in ctx, which
 * must have been created with LWS_SERVER_OPTION_EXPLICIT_VHOSTS. NULL with
 * err filled on failure. */
struct ctl *ctl_new(struct lws_context *ctx, const char *path, ctl_handler fn, void *user,
		    char *err, size_t errlen);
void ctl_free(struct ctl *c);

#endif
