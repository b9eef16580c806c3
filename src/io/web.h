/* SPDX-License-Identifier: MIT */
/*
 * The HTTPS server of the web UI and REST API (G1): a libwebsockets vhost on
 * the daemon's event loop, HTTP/1.1 over TLS. It serves the static assets
 * compiled into the binary, caps every request (headers by the context,
 * bodies at WEB_BODY_MAX), adds the security headers to every answer, and
 * hands each /api/ request, complete with its body, to one handler. One
 * route may be an upload: its body (up to its own cap) is streamed to a file
 * instead of memory. It knows nothing about users or what the API does.
 */
#ifndef EVSED_WEB_H
#define EVSED_WEB_H

#include <stdbool.h>
#include <stddef.h>

#define WEB_BODY_MAX	  (16 * 1024)
#define WEB_PATH_MAX	  256
#define WEB_QUERY_MAX	  256
#define WEB_COOKIE_MAX	  512
#define WEB_CSRF_MAX	  80
#define WEB_PEER_MAX	  64
#define WEB_HEADERS_EXTRA 256
#define WEB_TAG_MAX	  64
#define WEB_STREAMS_MAX	  16   /* open event streams; more get 503 */
#define WEB_STREAM_MS	  1000 /* one event per stream this often */

struct lws_context;
struct web;

/* One static file compiled into the binary (web_assets.c, generated). */
struct web_asset {
	const char *path; /* "/index.html" */
	const char *type; /* "text/html; charset=utf-8" */
	const unsigned char *data;
	size_t len;
	const unsigned char *gz; /* the same, gzip-compressed (NULL: none) */
	size_t gz_len;
};

struct web_req {
	const char *method; /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *path;   /* decoded, without the query */
	const char *query;  /* "limit=10&x=y" or "" */
	const char *body;   /* NUL-terminated; body_len bytes */
	size_t body_len;
	const char *cookie; /* the Cookie header or "" */
	const char *csrf;   /* the X-CSRF-Token header or "" */
	const char *peer;   /* the client's address */
	/* An upload (web_config.upload_path): the file holding the body
	 * (body_len bytes of it), else NULL. file_error: it could not all be
	 * written; timed_out: no data came for upload_idle_ms, the body is
	 * incomplete. Before the body (upload_accept) file is NULL and body_len
	 * the announced length. */
	const char *file;
	bool file_error;
	bool timed_out;
};

/* What the handler answers: body is malloc'd and taken by the server. */
struct web_resp {
	int status;
	const char *type; /* content type; NULL = application/json */
	char *body;
	size_t body_len;
	char set_cookie[WEB_HEADERS_EXTRA];  /* "" = none */
	char disposition[WEB_HEADERS_EXTRA]; /* Content-Disposition or "" */
	/* Instead of a body: keep the answer open as a stream of server-sent
	 * events, tagged (the handler's key for it, e.g. a session id). */
	bool stream;
	char tag[WEB_TAG_MAX];
};

typedef void (*web_handler)(void *user, const struct web_req *rq, struct web_resp *rs);

struct web_config {
	const char *listen; /* "127.0.0.1:8443", "[::1]:8443" */
	const char *cert;   /* PEM files */
	const char *key;
	const struct web_asset *assets;
	size_t n_assets;
	web_handler api; /* every /api/... request */
	/* The next event of the stream tagged tag, every WEB_STREAM_MS from its
	 * start: its data (malloc'd, one line, taken by the server), or NULL to
	 * end the stream. */
	char *(*event)(void *user, const char *tag);
	/* The upload route (NULL = none): a POST to upload_path whose body
	 * (Content-Length needed, at most upload_max bytes, else 413) goes to
	 * upload_file (created 0600), one upload at a time (a second gets 409).
	 * upload_accept sees the request before its body: false refuses it with
	 * its answer in rs (the body is not read). Then api gets the request
	 * with file set; the file is removed after api returns (api may move it
	 * away first), and when the client goes away before the end. */
	const char *upload_path;
	const char *upload_file;
	long long upload_max;
	int upload_idle_ms;
	bool (*upload_accept)(void *user, const struct web_req *rq, struct web_resp *rs);
	void *user;
};

/* Listen in ctx (created with LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT and
 * EXPLICIT_VHOSTS). NULL with err filled when the address is bad or taken or
 * the certificate unusable. */
struct web *web_new(struct lws_context *ctx, const struct web_config *cfg, char *err,
		    size_t errlen);
/* Free the server's state, after the context (which owns the vhost and its
 * connections) has been destroyed. */
void web_free(struct web *w);

/* Create a self-signed certificate (EC P-256, SHA-256, 10 years, names
 * localhost, 127.0.0.1 and ::1, CN = cn) at cert_path and its key at key_path
 * (mode 0600), unless both files exist already. false with err on failure;
 * nothing half-written is left behind. */
bool web_cert_ensure(const char *cert_path, const char *key_path, const char *cn, char *err,
		     size_t errlen);

#endif
