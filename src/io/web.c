/* SPDX-License-Identifier: MIT */
/*
 * The HTTPS server (web.h): request framing, size caps, static assets and
 * security headers over libwebsockets. One answer is built whole before it
 * is written (the API's answers are small; the largest asset is a few tens
 * of kB) and written in chunks as the socket takes them. An upload's body is
 * written to its file as libwebsockets hands it over, chunk by chunk: never
 * held whole in memory.
 */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct web {
	struct lws_vhost *vh;
	int streams;
	bool uploading; /* a connection is writing cfg.upload_file */
	struct web_config cfg;
	char iface[64];
	char cert[256];
	char key[256];
};

struct web_conn {
	char method[8];
	char path[WEB_PATH_MAX];
	char query[WEB_QUERY_MAX];
	char cookie[WEB_COOKIE_MAX];
	char csrf[WEB_CSRF_MAX];
	char peer[WEB_PEER_MAX];
	char *body;
	size_t body_len;
	bool too_big;
	bool dispatched;
	/* The answer. */
	bool ready;
	bool gzip; /* the body is a gzip'd asset: Content-Encoding: gzip */
	bool headers_sent;
	bool close_after;
	int status;
	const char *type;
	char *owned; /* a handler's body, freed when written */
	const unsigned char *out;
	size_t out_len, out_pos;
	char set_cookie[WEB_HEADERS_EXTRA];
	char disposition[WEB_HEADERS_EXTRA];
	bool is_api;
	bool stream; /* server-sent events: c->tag's */
	char tag[WEB_TAG_MAX];
	/* An upload under way: its file, the bytes announced and written. */
	FILE *fp;
	bool upload;
	bool hold; /* a refusal waits for the body, read and dropped */
	bool file_error;
	bool timed_out;
	long long up_len, up_got;
	lws_usec_t up_last; /* when data last came */
};

/* An upload's timer ticks this often: it lifts the library's own wait for
 * the rest of a body (a few seconds, re-armed by every chunk) so that the
 * upload's idle time (upload_idle_ms) decides, and is answered (E03) rather
 * than dropped. */
#define UPLOAD_TICK_US (1000 * 1000)

#define CHUNK 4096

/* What a page may do: only this origin's scripts and styles, no frames,
 * no inline code (the UI has none). */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
			  "frame-ancestors 'none'; base-uri 'none'";

static void conn_reset_answer(struct web_conn *c)
{
	free(c->owned);
	c->owned = NULL;
	c->out = NULL;
	c->out_len = c->out_pos = 0;
	c->ready = c->headers_sent = c->gzip = false;
	c->set_cookie[0] = c->disposition[0] = '\0';
}

static void conn_free(struct web_conn *c)
{
	conn_reset_answer(c);
	free(c->body);
	c->body = NULL;
	c->body_len = 0;
}

/* The client takes gzip (Accept-Encoding lists it, not with q=0). */
static bool accepts_gzip(struct lws *wsi)
{
	char ae[256];
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING) >= (int)sizeof ae ||
	    lws_hdr_copy(wsi, ae, sizeof ae, WSI_TOKEN_HTTP_ACCEPT_ENCODING) <= 0)
		return false;
	for (char *save = NULL, *tok = strtok_r(ae, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		if (strncasecmp(tok, "gzip", 4) != 0 || (tok[4] && tok[4] != ';' && tok[4] != ' '))
			continue;
		const char *q = strstr(tok, "q=");
		return !q || strtod(q + 2, NULL) > 0;
	}
	return false;
}

static void answer_static(struct lws *wsi, struct web_conn *c, int status, const char *type,
			  const void *data, size_t len)
{
	c->status = status;
	c->type = type;
	c->out = data;
	c->out_len = len;
	c->ready = true;
	c->dispatched = true; /* a body still coming is dropped */
	lws_callback_on_writable(wsi);
}

static void answer_error(struct lws *wsi, struct web_conn *c, int status, const char *msg)
{
	json_t *o = json_pack("{s:b, s:s}", "ok", 0, "error", msg);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	free(c->owned);
	c->owned = text;
	c->is_api = true;
	answer_static(wsi, c, status, "application/json", text, text ? strlen(text) : 0);
}

/* The upload of c is over (answered, or the client went away): its file
 * goes, and the next upload may come. */
static void upload_end(struct web *w, struct web_conn *c)
{
	if (!c->upload)
		return;
	if (c->fp)
		fclose(c->fp);
	c->fp = NULL;
	(void)remove(w->cfg.upload_file);
	c->upload = false;
	w->uploading = false;
}

static void dispatch(struct lws *wsi, struct web *w, struct web_conn *c)
{
	c->dispatched = true;
	if (c->too_big) {
		c->close_after = true;
		answer_error(wsi, c, 413, "request body too large (limit 16384 bytes)");
		return;
	}
	struct web_req rq = {
	    .method = c->method,
	    .path = c->path,
	    .query = c->query,
	    .body = c->body ? c->body : "",
	    .body_len = c->body_len,
	    .cookie = c->cookie,
	    .csrf = c->csrf,
	    .peer = c->peer,
	};
	if (c->upload) {
		if (c->fp && fclose(c->fp) != 0)
			c->file_error = true;
		c->fp = NULL;
		rq.file = w->cfg.upload_file;
		rq.body_len = (size_t)c->up_got;
		rq.file_error = c->file_error;
		rq.timed_out = c->timed_out;
	}
	struct web_resp rs = {.status = 500};
	w->cfg.api(w->cfg.user, &rq, &rs);
	if (c->upload)
		upload_end(w, c);
	free(c->body);
	c->body = NULL;
	c->body_len = 0;
	snprintf(c->set_cookie, sizeof c->set_cookie, "%s", rs.set_cookie);
	snprintf(c->disposition, sizeof c->disposition, "%s", rs.disposition);
	free(c->owned);
	c->owned = rs.body;
	c->is_api = true;
	if (rs.stream && rs.status == 200) {
		if (w->streams >= WEB_STREAMS_MAX) {
			c->close_after = true;
			answer_error(wsi, c, 503, "too many open event streams");
			return;
		}
		w->streams++;
		c->stream = true;
		snprintf(c->tag, sizeof c->tag, "%s", rs.tag);
		answer_static(wsi, c, 200, "text/event-stream", NULL, 0);
		return;
	}
	answer_static(wsi, c, rs.status, rs.type ? rs.type : "application/json", rs.body,
		      rs.body ? rs.body_len : 0);
}

/* The next event of a stream: "data: <json>\n\n"; -1 ends it. */
static int write_event(struct lws *wsi, struct web *w, struct web_conn *c)
{
	char *data = w->cfg.event ? w->cfg.event(w->cfg.user, c->tag) : NULL;
	if (!data)
		return -1;
	size_t n = strlen(data);
	unsigned char *buf = malloc(LWS_PRE + n + 9);
	if (!buf) {
		free(data);
		return -1;
	}
	memcpy(buf + LWS_PRE, "data: ", 6);
	memcpy(buf + LWS_PRE + 6, data, n);
	memcpy(buf + LWS_PRE + 6 + n, "\n\n", 2);
	free(data);
	int wr = lws_write(wsi, buf + LWS_PRE, n + 8, LWS_WRITE_HTTP);
	free(buf);
	if (wr < (int)(n + 8))
		return -1;
	lws_set_timer_usecs(wsi, (lws_usec_t)WEB_STREAM_MS * 1000);
	/* A stream is meant to stay: no transaction timeout on it. */
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	return 0;
}

static const char *method_of(struct lws *wsi)
{
	static const struct {
		enum lws_token_indexes tok;
		const char *name;
	} methods[] = {
	    {WSI_TOKEN_GET_URI, "GET"},	      {WSI_TOKEN_POST_URI, "POST"},
	    {WSI_TOKEN_PATCH_URI, "PATCH"},   {WSI_TOKEN_PUT_URI, "PUT"},
	    {WSI_TOKEN_DELETE_URI, "DELETE"},
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (lws_hdr_total_length(wsi, methods[i].tok) > 0)
			return methods[i].name;
	return NULL;
}

/* A header that does not fit its buffer is refused rather than cut. */
static bool copy_hdr(struct lws *wsi, enum lws_token_indexes tok, char *dst, size_t len)
{
	dst[0] = '\0';
	int n = lws_hdr_total_length(wsi, tok);
	if (n <= 0)
		return true;
	if ((size_t)n >= len)
		return false;
	return lws_hdr_copy(wsi, dst, (int)len, tok) >= 0;
}

/* A request to the upload route, its headers read: asked first (who, what
 * state), then its size; then its body goes to the file. */
static void upload_begin(struct lws *wsi, struct web *w, struct web_conn *c, long long len)
{
	struct web_req rq = {
	    .method = c->method,
	    .path = c->path,
	    .query = c->query,
	    .body = "",
	    .body_len = len > 0 ? (size_t)len : 0,
	    .cookie = c->cookie,
	    .csrf = c->csrf,
	    .peer = c->peer,
	};
	struct web_resp rs = {.status = 500};
	/* A refusal is sent once the body has been read (and dropped): a
	 * socket closed on unread data is reset, and the client would lose
	 * the answer. A body above the cap is not read: answered, closed. */
	c->close_after = len > w->cfg.upload_max;
	c->hold = len > 0 && !c->close_after;
	if (w->cfg.upload_accept && !w->cfg.upload_accept(w->cfg.user, &rq, &rs)) {
		snprintf(c->set_cookie, sizeof c->set_cookie, "%s", rs.set_cookie);
		free(c->owned);
		c->owned = rs.body;
		c->is_api = true;
		answer_static(wsi, c, rs.status, rs.type ? rs.type : "application/json", rs.body,
			      rs.body ? rs.body_len : 0);
		return;
	}
	free(rs.body);
	if (len < 0) {
		c->close_after = true;
		answer_error(wsi, c, 400, "bad Content-Length");
		return;
	}
	if (len > w->cfg.upload_max) {
		char msg[120];
		snprintf(msg, sizeof msg, "upload too large (limit %lld bytes)", w->cfg.upload_max);
		answer_error(wsi, c, 413, msg);
		return;
	}
	if (w->uploading) {
		answer_error(wsi, c, 409,
			     "another upload is in progress: try again when it is over");
		return;
	}
	int fd = open(w->cfg.upload_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	c->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!c->fp) {
		char msg[120];
		snprintf(msg, sizeof msg, "cannot store the upload: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			(void)remove(w->cfg.upload_file);
		}
		answer_error(wsi, c, 500, msg);
		return;
	}
	w->uploading = true;
	c->upload = true;
	c->hold = false;
	c->up_len = len;
	if (len == 0) {
		dispatch(wsi, w, c);
		return;
	}
	c->up_last = lws_now_usecs();
	lws_set_timer_usecs(wsi, UPLOAD_TICK_US);
}

static void on_request(struct lws *wsi, struct web *w, struct web_conn *c, const char *uri)
{
	conn_free(c);
	memset(c, 0, sizeof *c);
	lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
	const char *m = method_of(wsi);
	if (!m) {
		c->close_after = true;
		answer_error(wsi, c, 405, "method not allowed");
		return;
	}
	snprintf(c->method, sizeof c->method, "%s", m);
	if (strlen(uri) >= sizeof c->path) {
		c->close_after = true;
		answer_error(wsi, c, 414, "URI too long");
		return;
	}
	snprintf(c->path, sizeof c->path, "%s", uri);
	bool ok = copy_hdr(wsi, WSI_TOKEN_HTTP_URI_ARGS, c->query, sizeof c->query) &&
		  copy_hdr(wsi, WSI_TOKEN_HTTP_COOKIE, c->cookie, sizeof c->cookie);
	int n = lws_hdr_custom_length(wsi, "x-csrf-token:", 13);
	if (n >= (int)sizeof c->csrf)
		ok = false;
	else if (n > 0 &&
		 lws_hdr_custom_copy(wsi, c->csrf, sizeof c->csrf, "x-csrf-token:", 13) < 0)
		c->csrf[0] = '\0';
	if (!ok) {
		c->close_after = true;
		answer_error(wsi, c, 431, "request header too large");
		return;
	}
	if (strncmp(c->path, "/api/", 5) != 0 && strcmp(c->path, "/api") != 0) {
		if (strcmp(c->method, "GET") != 0) {
			c->close_after = true; /* its body is not read */
			answer_error(wsi, c, 405, "method not allowed");
			return;
		}
		const char *p = strcmp(c->path, "/") == 0 ? "/index.html" : c->path;
		for (size_t i = 0; i < w->cfg.n_assets; i++) {
			const struct web_asset *a = &w->cfg.assets[i];
			if (strcmp(a->path, p) == 0) {
				if (a->gz && a->gz_len < a->len && accepts_gzip(wsi)) {
					c->gzip = true;
					answer_static(wsi, c, 200, a->type, a->gz, a->gz_len);
				} else {
					answer_static(wsi, c, 200, a->type, a->data, a->len);
				}
				return;
			}
		}
		answer_error(wsi, c, 404, "not found");
		return;
	}
	char cl[24] = "";
	if (!copy_hdr(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, cl, sizeof cl)) {
		c->close_after = true;
		answer_error(wsi, c, 400, "bad Content-Length");
		return;
	}
	if (!cl[0] && lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
		/* A chunked body has no size to check before it comes. */
		c->close_after = true;
		answer_error(wsi, c, 411, "Content-Length required");
		return;
	}
	long long len = cl[0] ? strtoll(cl, NULL, 10) : 0;
	if (w->cfg.upload_path && strcmp(c->method, "POST") == 0 &&
	    strcmp(c->path, w->cfg.upload_path) == 0) {
		upload_begin(wsi, w, c, len);
		return;
	}
	if (len > WEB_BODY_MAX) {
		c->too_big = true;
		dispatch(wsi, w, c);
		return;
	}
	if (len > 0 && strcmp(c->method, "GET") != 0)
		return; /* the body follows */
	dispatch(wsi, w, c);
}

static void on_upload_body(struct web_conn *c, const char *in, size_t len)
{
	if ((long long)len > c->up_len - c->up_got) {
		c->file_error = true; /* more than announced: cannot happen with lws */
		len = (size_t)(c->up_len - c->up_got);
	}
	if (!c->file_error && fwrite(in, 1, len, c->fp) != len)
		c->file_error = true;
	c->up_got += (long long)len;
	c->up_last = lws_now_usecs();
}

static void on_body(struct web_conn *c, const char *in, size_t len)
{
	if (c->too_big || c->dispatched)
		return;
	if (c->body_len + len > WEB_BODY_MAX) {
		c->too_big = true;
		free(c->body);
		c->body = NULL;
		return;
	}
	if (!c->body) {
		c->body = malloc(WEB_BODY_MAX + 1);
		if (!c->body) {
			c->too_big = true;
			return;
		}
	}
	memcpy(c->body + c->body_len, in, len);
	c->body_len += len;
	c->body[c->body_len] = '\0';
}

static int write_headers(struct lws *wsi, struct web_conn *c)
{
	unsigned char buf[LWS_PRE + 2048];
	unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
	if (lws_add_http_common_headers(wsi, (unsigned)c->status, c->type,
					c->stream ? LWS_ILLEGAL_HTTP_CONTENT_LEN : c->out_len, &p,
					end))
		return -1;
	struct {
		const char *name, *value;
	} h[] = {
	    {"content-security-policy:", csp},
	    {"x-content-type-options:", "nosniff"},
	    {"x-frame-options:", "DENY"},
	    {"referrer-policy:", "no-referrer"},
	    {"cache-control:", c->is_api ? "no-store" : "no-cache"},
	    {"strict-transport-security:", "max-age=31536000"},
	    {"set-cookie:", c->set_cookie},
	    {"content-disposition:", c->disposition},
	    {"content-encoding:", c->gzip ? "gzip" : ""},
	    {"vary:", c->is_api ? "" : "accept-encoding"},
	};
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
		if (!h[i].value[0])
			continue;
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)h[i].name,
						(const unsigned char *)h[i].value,
						(int)strlen(h[i].value), &p, end))
			return -1;
	}
	if (c->close_after &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close",
					 5, &p, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	c->headers_sent = true;
	return 0;
}

static int on_writable(struct lws *wsi, struct web *w, struct web_conn *c)
{
	if (!c->ready || c->hold)
		return 0;
	if (c->stream) {
		if (!c->headers_sent) {
			if (write_headers(wsi, c) < 0)
				return -1;
			lws_callback_on_writable(wsi);
			return 0;
		}
		return w ? write_event(wsi, w, c) : -1;
	}
	if (!c->headers_sent) {
		if (write_headers(wsi, c) < 0)
			return -1;
		if (c->out_len) {
			lws_callback_on_writable(wsi);
			return 0;
		}
	} else if (c->out_pos < c->out_len) {
		unsigned char buf[LWS_PRE + CHUNK];
		size_t n = c->out_len - c->out_pos;
		if (n > CHUNK)
			n = CHUNK;
		memcpy(buf + LWS_PRE, c->out + c->out_pos, n);
		c->out_pos += n;
		bool last = c->out_pos == c->out_len;
		if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) <
		    (int)n)
			return -1;
		if (!last) {
			lws_callback_on_writable(wsi);
			return 0;
		}
	}
	bool close = c->close_after;
	conn_reset_answer(c);
	if (close)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct web_conn *c = user;
	struct lws_vhost *vh = lws_get_vhost(wsi);
	struct web *w = vh ? lws_get_vhost_user(vh) : NULL;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (!w || !c)
			return -1;
		on_request(wsi, w, c, in ? in : "/");
		return 0;
	case LWS_CALLBACK_HTTP_BODY:
		if (c && c->upload && w && !c->dispatched)
			on_upload_body(c, in, len);
		else if (c)
			on_body(c, in, len);
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!w || !c)
			return -1;
		if (c->upload)
			lws_set_timer_usecs(wsi, LWS_SET_TIMER_USEC_CANCEL);
		if (c->hold) {
			c->hold = false;
			lws_callback_on_writable(wsi);
		}
		if (!c->dispatched)
			dispatch(wsi, w, c);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return c ? on_writable(wsi, w, c) : -1;
	case LWS_CALLBACK_TIMER:
		if (c && w && c->upload && !c->dispatched) {
			lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
			if (lws_now_usecs() - c->up_last <
			    (lws_usec_t)w->cfg.upload_idle_ms * 1000) {
				lws_set_timer_usecs(wsi, UPLOAD_TICK_US);
				return 0;
			}
			/* No data for upload_idle_ms: answered as it is. */
			c->timed_out = true;
			c->close_after = true;
			dispatch(wsi, w, c);
			return 0;
		}
		lws_callback_on_writable(wsi); /* a stream's next event */
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (c && c->stream && w) {
			w->streams--;
			c->stream = false;
		}
		if (c && w)
			upload_end(w, c);
		if (c)
			conn_free(c);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols web_protocols[] = {
    {"http", callback, sizeof(struct web_conn), 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* "host:port" or "[v6]:port" into iface (empty = every address) and port. */
static bool parse_listen(const char *s, char *iface, size_t len, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return false;
	size_t hl = (size_t)(colon - s);
	const char *h = s;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= len)
		return false;
	memcpy(iface, h, hl);
	iface[hl] = '\0';
	if (strcmp(iface, "0.0.0.0") == 0 || strcmp(iface, "::") == 0)
		iface[0] = '\0';
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 1 || p > 65535)
		return false;
	*port = (int)p;
	return true;
}

struct web *web_new(struct lws_context *ctx, const struct web_config *cfg, char *err, size_t errlen)
{
	struct web *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->cfg = *cfg;
	int port;
	if (!parse_listen(cfg->listen, w->iface, sizeof w->iface, &port)) {
		snprintf(err, errlen, "web.listen: '%s' is not address:port", cfg->listen);
		free(w);
		return NULL;
	}
	snprintf(w->cert, sizeof w->cert, "%s", cfg->cert);
	snprintf(w->key, sizeof w->key, "%s", cfg->key);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.vhost_name = "web";
	info.port = port;
	info.iface = w->iface[0] ? w->iface : NULL;
	info.protocols = web_protocols;
	info.ssl_cert_filepath = w->cert;
	info.ssl_private_key_filepath = w->key;
	/* HTTP/1.1 only: one framing to cap and test. */
	info.alpn = "http/1.1";
	/* lws turns TLS on for a vhost only with this option in its own info. */
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	if (!strchr(w->iface, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = w;
	w->vh = lws_create_vhost(ctx, &info);
	if (!w->vh) {
		snprintf(err, errlen,
			 "web.listen: cannot listen on %s (address in use or not local, or the "
			 "certificate %s / key unusable)",
			 cfg->listen, cfg->cert);
		free(w);
		return NULL;
	}
	return w;
}

void web_free(struct web *w)
{
	free(w);
}
