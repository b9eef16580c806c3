/* SPDX-License-Identifier: MIT */
/*
 * OCPP-J transport over one libwebsockets client connection (see ocpp_ws.h).
 * Each transport owns a client-only vhost (its CA bundle, its protocol) on
 * the daemon's context. The lws callback only translates events: it finds
 * the transport through the wsi's opaque user pointer, which is cleared the
 * moment the transport lets go of a connection (reported, closed or freed),
 * so a connection on its way out can never reach the owner again. Frames
 * queued but not sent when a connection ends are dropped: the RPC layer
 * above decides what to resend. It does not reconnect, parse OCPP or keep
 * any clock of its own (the ping timer is an lws timer).
 */
#include "ocpp_ws.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define OUT_MAX	      (4u * 1024u * 1024u) /* bytes queued for sending */
#define RX_KEEP	      (64u * 1024u)	   /* larger receive buffers are freed after use */
#define ID_MAX	      255u
#define PASSWORD_MAX  255u
#define WHY_MAX	      200u
#define SUBPROTOCOL   "ocpp1.6"
#define CLOSE_GRACE_S 5 /* a closing connection that never drains is killed */
#define TLS_UNTRUSTED "TLS: server certificate not trusted"
#define URL_HINT      "expected ws://host[:port][/path] or wss://..."

enum ws_state {
	WS_IDLE,       /* no connection */
	WS_CONNECTING, /* lws is connecting / handshaking */
	WS_OPEN,       /* established */
};

struct out_frame {
	struct out_frame *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE headroom, then len bytes */
};

struct ocpp_ws {
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *wsi; /* the connection this transport owns, or NULL */
	struct ocpp_ws_cb cb;
	enum ws_state state;

	/* From the configuration. */
	bool tls;
	int port;
	char *address;	/* host without brackets, for connect() */
	char *host_hdr; /* Host header: host[:port], brackets kept */
	char *path;	/* <path>/<id>, percent-encoded */
	char *auth;	/* "Basic ..." or NULL; never logged */
	char *ca_file;
	char *client_cert, *client_key;
	size_t frame_max;
	int ping_s;

	/* Receiving one message. */
	char *rx;
	size_t rx_len, rx_cap;

	/* Sending. */
	struct out_frame *head, *tail;
	size_t out_bytes;
	bool ping_due;	    /* a ping waits for the writeable callback */
	bool awaiting;	    /* a ping was asked for; nothing received since */
	bool close_pending; /* ocpp_ws_close() on an open link */
	lws_sorted_usec_list_t ping_sul;

	/* What ends the current attempt, when we know better than lws. */
	char why[WHY_MAX];
	bool cert_rejected;
	bool upgrade_sent;	  /* the HTTP upgrade request went out */
	unsigned int http_status; /* of the upgrade answer, 0 = none yet */
	int peer_code;		  /* close code the server sent, 0 = none */
	char peer_reason[64];

	/* A disconnected() that cannot be called where it was decided. */
	bool in_connect;
	bool report_pending;
	char report_why[WHY_MAX];
	lws_sorted_usec_list_t report_sul;

	uint64_t sent, received;
	char err[WHY_MAX];
	enum ocpp_ws_end last_end;
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static void queue_clear(struct ocpp_ws *ws)
{
	while (ws->head) {
		struct out_frame *f = ws->head;
		ws->head = f->next;
		free(f);
	}
	ws->tail = NULL;
	ws->out_bytes = 0;
}

static void rx_reset(struct ocpp_ws *ws)
{
	free(ws->rx);
	ws->rx = NULL;
	ws->rx_len = ws->rx_cap = 0;
}

/* Let go of the connection: from now on lws callbacks for it find no
 * transport, and the transport is idle (ready for ocpp_ws_connect). */
static struct lws *detach(struct ocpp_ws *ws)
{
	struct lws *wsi = ws->wsi;
	if (wsi)
		lws_set_opaque_user_data(wsi, NULL);
	ws->wsi = NULL;
	ws->state = WS_IDLE;
	lws_sul_cancel(&ws->ping_sul);
	ws->ping_due = ws->awaiting = ws->close_pending = false;
	queue_clear(ws);
	rx_reset(ws);
	return wsi;
}

/* How the attempt ends, from what was seen of it (before detach). */
static void note_end(struct ocpp_ws *ws)
{
	ws->last_end = ws->state == WS_OPEN	? OWE_LOST
		       : ws->cert_rejected	? OWE_SERVER_CERT
		       : ws->http_status == 401 ? OWE_AUTH
						: OWE_FAILED;
}

/* The attempt is over: detach and tell the owner, now. Only from places
 * where calling the owner is safe (lws callbacks, lws timers). */
static void report(struct ocpp_ws *ws, const char *why)
{
	char copy[WHY_MAX];
	note_end(ws);
	snprintf(copy, sizeof copy, "%s", why);
	detach(ws);
	if (ws->cb.disconnected)
		ws->cb.disconnected(ws->cb.user, copy);
}

static void on_report_timer(lws_sorted_usec_list_t *sul)
{
	struct ocpp_ws *ws = lws_container_of(sul, struct ocpp_ws, report_sul);
	ws->report_pending = false;
	if (ws->cb.disconnected)
		ws->cb.disconnected(ws->cb.user, ws->report_why);
}

/* The attempt is over but the owner is in one of our functions: detach now,
 * tell it from the loop. */
static void report_later(struct ocpp_ws *ws, const char *why)
{
	note_end(ws);
	detach(ws);
	snprintf(ws->report_why, sizeof ws->report_why, "%s", why);
	ws->report_pending = true;
	lws_sul_schedule(ws->ctx, 0, &ws->report_sul, on_report_timer, 1);
}

/* The attempt is over, decided inside an lws callback: that may be inside
 * lws_client_connect_via_info(), i.e. inside ocpp_ws_connect(). */
static void end_attempt(struct ocpp_ws *ws, const char *why)
{
	if (ws->in_connect)
		report_later(ws, why);
	else
		report(ws, why);
}

/* Close a connection we have detached, without a close handshake. */
static void kill_wsi(struct lws *wsi)
{
	if (wsi)
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void on_ping_timer(lws_sorted_usec_list_t *sul);

static void arm_ping(struct ocpp_ws *ws)
{
	lws_sul_cancel(&ws->ping_sul);
	if (ws->state == WS_OPEN && ws->ping_s > 0)
		lws_sul_schedule(ws->ctx, 0, &ws->ping_sul, on_ping_timer,
				 (lws_usec_t)ws->ping_s * LWS_US_PER_SEC);
}

static void on_ping_timer(lws_sorted_usec_list_t *sul)
{
	struct ocpp_ws *ws = lws_container_of(sul, struct ocpp_ws, ping_sul);
	if (ws->state != WS_OPEN || !ws->wsi)
		return;
	if (ws->awaiting) {
		struct lws *wsi = ws->wsi;
		report(ws, "no answer to ping");
		kill_wsi(wsi);
		return;
	}
	ws->ping_due = true;
	ws->awaiting = true;
	lws_callback_on_writable(ws->wsi);
	arm_ping(ws);
}

/* The reason for a failed attempt, from what we saw and what lws says. */
static void connect_error_why(struct ocpp_ws *ws, const char *in, size_t len, char *out)
{
	char detail[120] = "";
	if (in && len)
		snprintf(detail, sizeof detail, "%.*s", (int)(len < 119 ? len : 119), in);
	else if (in)
		snprintf(detail, sizeof detail, "%s", in);
	/* lws ends some of its messages with a newline. */
	size_t n = strlen(detail);
	while (n && (detail[n - 1] == '\n' || detail[n - 1] == '\r' || detail[n - 1] == ' '))
		detail[--n] = '\0';

	if (ws->why[0])
		snprintf(out, WHY_MAX, "%s", ws->why);
	else if (ws->cert_rejected)
		/* lws 4.1 passes no X509 detail, so name the usual causes. */
		snprintf(
		    out, WHY_MAX, "%s (not signed by a CA in %s, expired, or not issued for %s)",
		    TLS_UNTRUSTED, ws->ca_file ? ws->ca_file : "the system store", ws->address);
	else if (ws->http_status && ws->http_status != 101)
		snprintf(
		    out, WHY_MAX, "server answered HTTP %u instead of switching to WebSocket%s",
		    ws->http_status, ws->http_status == 401 ? " (id or password refused)" : "");
	else if (strstr(detail, "PROTOCOL") || strstr(detail, "match protocol"))
		snprintf(out, WHY_MAX, "server did not accept subprotocol %s (%s)", SUBPROTOCOL,
			 detail);
	else if (ws->tls && (strstr(detail, "SSL") || strstr(detail, "ssl") ||
			     strstr(detail, "tls") || strstr(detail, "TLS")))
		snprintf(out, WHY_MAX, "TLS: handshake failed (%s)", detail);
	else if (n)
		snprintf(out, WHY_MAX, "cannot connect: %s", detail);
	else
		snprintf(out, WHY_MAX, "cannot connect");
}

/* LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH: the server must have chosen
 * ocpp1.6. lws accepts an answer without Sec-WebSocket-Protocol. */
static int check_subprotocol(struct ocpp_ws *ws, struct lws *wsi)
{
	char proto[64];
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_PROTOCOL);
	if (n <= 0) {
		snprintf(ws->why, sizeof ws->why,
			 "server did not accept subprotocol %s (no Sec-WebSocket-Protocol)",
			 SUBPROTOCOL);
		return -1;
	}
	if (n >= (int)sizeof proto ||
	    lws_hdr_copy(wsi, proto, sizeof proto, WSI_TOKEN_PROTOCOL) < 0 ||
	    strcmp(proto, SUBPROTOCOL) != 0) {
		if (n >= (int)sizeof proto)
			proto[0] = '\0';
		snprintf(ws->why, sizeof ws->why,
			 "server did not accept subprotocol %s (it chose '%s')", SUBPROTOCOL,
			 proto);
		return -1;
	}
	return 0;
}

static int on_receive(struct ocpp_ws *ws, struct lws *wsi, const char *in, size_t len)
{
	char why[WHY_MAX];
	ws->received += len;
	ws->awaiting = false;
	if (lws_frame_is_binary(wsi)) {
		unsigned char r[] = "binary frame";
		lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, r, sizeof r - 1);
		end_attempt(ws, "binary frame");
		return -1;
	}
	if (lws_is_first_fragment(wsi))
		ws->rx_len = 0;
	size_t rest = lws_remaining_packet_payload(wsi);
	if (len > ws->frame_max - ws->rx_len || rest > ws->frame_max - ws->rx_len - len) {
		snprintf(why, sizeof why, "frame larger than %zu bytes", ws->frame_max);
		unsigned char r[] = "frame too large";
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, r, sizeof r - 1);
		end_attempt(ws, why);
		return -1;
	}
	size_t need = ws->rx_len + len + rest;
	if (need > ws->rx_cap) {
		size_t cap = ws->rx_cap ? ws->rx_cap : 1024;
		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		if (cap > ws->frame_max)
			cap = ws->frame_max;
		char *p = realloc(ws->rx, cap ? cap : 1);
		if (!p) {
			end_attempt(ws, "out of memory for a received frame");
			return -1;
		}
		ws->rx = p;
		ws->rx_cap = cap;
	}
	if (len)
		memcpy(ws->rx + ws->rx_len, in, len);
	ws->rx_len += len;
	if (!lws_is_final_fragment(wsi))
		return 0;
	size_t n = ws->rx_len;
	ws->rx_len = 0;
	if (ws->cb.frame)
		ws->cb.frame(ws->cb.user, ws->rx ? ws->rx : "", n);
	/* The owner may have closed (or reconnected) from inside frame(). */
	if (ws->wsi != wsi)
		return 0;
	if (ws->rx_cap > RX_KEEP)
		rx_reset(ws);
	return 0;
}

static int on_writeable(struct ocpp_ws *ws, struct lws *wsi)
{
	if (ws->close_pending) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		end_attempt(ws, "closed by the charge point");
		return -1;
	}
	if (ws->ping_due) {
		unsigned char buf[LWS_PRE + 1];
		ws->ping_due = false;
		if (lws_write(wsi, buf + LWS_PRE, 0, LWS_WRITE_PING) < 0) {
			end_attempt(ws, "write failed");
			return -1;
		}
	} else if (ws->head) {
		struct out_frame *f = ws->head;
		ws->head = f->next;
		if (!ws->head)
			ws->tail = NULL;
		ws->out_bytes -= f->len;
		/* lws buffers what the socket does not take; it returns less
		 * than len only on error. */
		int w = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
		size_t len = f->len;
		free(f);
		if (w < 0 || (size_t)w < len) {
			end_attempt(ws, "write failed");
			return -1;
		}
		ws->sent += len;
	}
	if (ws->ping_due || ws->head)
		lws_callback_on_writable(wsi);
	return 0;
}

static void note_peer_close(struct ocpp_ws *ws, const unsigned char *in, size_t len)
{
	if (len < 2)
		return;
	ws->peer_code = (in[0] << 8) | in[1];
	size_t k = 0;
	for (size_t i = 2; i < len && k + 1 < sizeof ws->peer_reason; i++)
		ws->peer_reason[k++] = (in[i] >= 0x20 && in[i] < 0x7f) ? (char)in[i] : '?';
	ws->peer_reason[k] = '\0';
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	(void)user;
	struct ocpp_ws *ws = wsi ? lws_get_opaque_user_data(wsi) : NULL;
	char why[WHY_MAX];

	if (!ws) {
		/* A connection we let go of: let it finish closing. */
		if (reason == LWS_CALLBACK_CLIENT_WRITEABLE)
			return -1;
		if (reason == LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH)
			return -1;
		return 0;
	}
	/* ocpp_ws_connect() has not returned yet: lws may fail the attempt
	 * from inside lws_client_connect_via_info(). */
	if (!ws->wsi && ws->state == WS_CONNECTING && ws->in_connect)
		ws->wsi = wsi;
	if (ws->wsi != wsi)
		return 0;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		ws->upgrade_sent = true;
		if (ws->auth) {
			unsigned char **p = (unsigned char **)in, *end = (*p) + len;
			if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
							 (const unsigned char *)ws->auth,
							 (int)strlen(ws->auth), p, end))
				return -1;
		}
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* len is OpenSSL's preverify_ok; 0 = the chain or the name
		 * did not verify. We never overrule it. */
		if (!len)
			ws->cert_rejected = true;
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		/* The upgrade answer's headers; lws drops them before it
		 * reports a refused upgrade. */
		ws->http_status = lws_http_client_http_response(wsi);
		break;
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		return check_subprotocol(ws, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		connect_error_why(ws, in, len, why);
		end_attempt(ws, why);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->state = WS_OPEN;
		arm_ping(ws);
		if (ws->cb.connected)
			ws->cb.connected(ws->cb.user);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return on_receive(ws, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		ws->awaiting = false;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (ws->state != WS_OPEN)
			break;
		return on_writeable(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		note_peer_close(ws, in, len);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (ws->close_pending) {
			end_attempt(ws, "closed by the charge point");
		} else if (ws->peer_code) {
			snprintf(why, sizeof why, "server closed the connection (%d%s%s)",
				 ws->peer_code, ws->peer_reason[0] ? " " : "", ws->peer_reason);
			end_attempt(ws, why);
		} else {
			end_attempt(ws,
				    ws->state == WS_OPEN ? "connection lost" : "cannot connect");
		}
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
	case LWS_CALLBACK_WSI_DESTROY:
		/* lws 4.1 ends an upgrade that gets no answer (timeout) here,
		 * without CLIENT_CONNECTION_ERROR; also a safety net. */
		if (ws->state == WS_OPEN)
			end_attempt(ws, "connection lost");
		else if (ws->upgrade_sent)
			end_attempt(ws, "cannot connect: no answer to the WebSocket upgrade");
		else
			end_attempt(ws, "cannot connect");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
    {SUBPROTOCOL, callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static bool host_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_';
}

static bool path_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '?' && c != '#' && c != '\\';
}

/* ws[s]://host[:port][/path] -> ws fields. */
static int parse_url(struct ocpp_ws *ws, const char *url, const char *id, char *err, size_t errlen)
{
	const char *p;
	if (strncasecmp(url, "ws://", 5) == 0) {
		ws->tls = false;
		p = url + 5;
	} else if (strncasecmp(url, "wss://", 6) == 0) {
		ws->tls = true;
		p = url + 6;
	} else {
		snprintf(err, errlen, "url '%s': %s", url, URL_HINT);
		return -1;
	}
	const char *host = p, *host_end;
	if (*p == '[') {
		host = ++p;
		while (*p && (strchr("0123456789abcdefABCDEF:.", *p)))
			p++;
		if (*p != ']' || p == host) {
			snprintf(err, errlen, "url '%s': bad IPv6 address (expected [addr])", url);
			return -1;
		}
		host_end = p++;
		if (ws->tls) {
			/* lws 4.1 cuts the Host header at its first ':' to get
			 * the name it checks the certificate against. */
			snprintf(err, errlen,
				 "url '%s': wss:// to an IPv6 address cannot be verified "
				 "(libwebsockets 4.1); use a host name",
				 url);
			return -1;
		}
	} else {
		while (host_char((unsigned char)*p))
			p++;
		host_end = p;
		if (host_end == host) {
			snprintf(err, errlen, "url '%s': no host name", url);
			return -1;
		}
	}
	int port = ws->tls ? 443 : 80;
	if (*p == ':') {
		long v = 0;
		const char *d = ++p;
		while (*p >= '0' && *p <= '9' && v <= 65535)
			v = v * 10 + (*p++ - '0');
		if (p == d || v < 1 || v > 65535) {
			snprintf(err, errlen, "url '%s': bad port (1-65535)", url);
			return -1;
		}
		port = (int)v;
	}
	if (*p && *p != '/') {
		snprintf(err, errlen, "url '%s': unexpected '%c' after the host (%s)", url, *p,
			 URL_HINT);
		return -1;
	}
	const char *path = p;
	for (const char *q = path; *q; q++) {
		if (!path_char((unsigned char)*q)) {
			snprintf(err, errlen,
				 "url '%s': the path may not contain spaces, '?', '#' or '\\'",
				 url);
			return -1;
		}
	}
	size_t path_len = strlen(path);
	while (path_len && path[path_len - 1] == '/')
		path_len--;

	size_t host_len = (size_t)(host_end - host);
	bool v6 = host > url && host[-1] == '[';
	ws->port = port;
	ws->address = malloc(host_len + 1);
	ws->host_hdr = malloc(host_len + 2 + 7);
	ws->path = malloc(path_len + 1 + 3 * strlen(id) + 1);
	if (!ws->address || !ws->host_hdr || !ws->path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(ws->address, host, host_len);
	ws->address[host_len] = '\0';
	char portstr[8] = "";
	if (port != (ws->tls ? 443 : 80))
		snprintf(portstr, sizeof portstr, ":%d", port);
	snprintf(ws->host_hdr, host_len + 2 + 7, "%s%s%s%s", v6 ? "[" : "", ws->address,
		 v6 ? "]" : "", portstr);
	char *o = ws->path;
	memcpy(o, path, path_len);
	o += path_len;
	*o++ = '/';
	for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
		if (is_unreserved(*c)) {
			*o++ = (char)*c;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			*o++ = '%';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		}
	}
	*o = '\0';
	return 0;
}

static int make_auth(struct ocpp_ws *ws, const char *id, const char *password, char *err,
		     size_t errlen)
{
	size_t idn = strlen(id), pwn = strlen(password);
	if (strchr(id, ':')) {
		snprintf(err, errlen, "id '%s' contains ':', which HTTP Basic auth cannot carry",
			 id);
		return -1;
	}
	if (pwn > PASSWORD_MAX) {
		snprintf(err, errlen, "password longer than %u bytes", PASSWORD_MAX);
		return -1;
	}
	char plain[ID_MAX + 1 + PASSWORD_MAX + 1];
	memcpy(plain, id, idn);
	plain[idn] = ':';
	memcpy(plain + idn + 1, password, pwn);
	/* lws_b64_encode_string() wants room to spare past the NUL. */
	size_t cap = 6 + ((idn + 1 + pwn + 2) / 3) * 4 + 8;
	ws->auth = calloc(1, cap);
	int n = ws->auth ? lws_b64_encode_string(plain, (int)(idn + 1 + pwn), ws->auth + 6,
						 (int)(cap - 6))
			 : -1;
	memset(plain, 0, sizeof plain);
	if (n < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(ws->auth, "Basic ", 6);
	return 0;
}

static void free_fields(struct ocpp_ws *ws)
{
	free(ws->address);
	free(ws->host_hdr);
	free(ws->path);
	if (ws->auth) {
		memset(ws->auth, 0, strlen(ws->auth));
		free(ws->auth);
	}
	free(ws->ca_file);
	free(ws->client_cert);
	free(ws->client_key);
}

struct ocpp_ws *ocpp_ws_new(struct lws_context *ctx, const struct ocpp_ws_cfg *cfg,
			    const struct ocpp_ws_cb *cb, char *err, size_t errlen)
{
	if (!ctx || !cfg || !cb || !cfg->url || !cfg->id) {
		snprintf(err, errlen, "ocpp_ws_new: missing context, url or id");
		return NULL;
	}
	size_t idn = strlen(cfg->id);
	if (idn == 0 || idn > ID_MAX) {
		snprintf(err, errlen, "charge point id must be 1-%u bytes", ID_MAX);
		return NULL;
	}
	for (const unsigned char *c = (const unsigned char *)cfg->id; *c; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			snprintf(err, errlen, "charge point id contains a control character");
			return NULL;
		}
	}
	if (cfg->frame_max == 0) {
		snprintf(err, errlen, "frame_max must be at least 1 byte");
		return NULL;
	}
	if (cfg->ping_interval_s < 0) {
		snprintf(err, errlen, "ping interval must be >= 0 s");
		return NULL;
	}
	struct ocpp_ws *ws = calloc(1, sizeof *ws);
	if (!ws) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ws->ctx = ctx;
	ws->cb = *cb;
	ws->frame_max = cfg->frame_max;
	ws->ping_s = cfg->ping_interval_s;
	if (parse_url(ws, cfg->url, cfg->id, err, errlen) < 0)
		goto fail;
	if (cfg->password && cfg->password[0] &&
	    make_auth(ws, cfg->id, cfg->password, err, errlen) < 0)
		goto fail;
	if (ws->tls && cfg->ca_file && cfg->ca_file[0]) {
		/* lws only logs a CA file it cannot load, then trusts nothing. */
		if (access(cfg->ca_file, R_OK) != 0) {
			snprintf(err, errlen, "ca_file %s: cannot read", cfg->ca_file);
			goto fail;
		}
		ws->ca_file = dup_str(cfg->ca_file);
		if (!ws->ca_file) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.vhost_name = "ocpp-client";
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	/* The client SSL_CTX of a vhost is only made with this option; a ws://
	 * CSMS needs none (and OpenSSL's tables cost some 3 MB of RSS). */
	info.options = ws->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
	info.client_ssl_ca_filepath = ws->ca_file;
	if (ws->tls && cfg->client_cert && cfg->client_key) {
		ws->client_cert = dup_str(cfg->client_cert);
		ws->client_key = dup_str(cfg->client_key);
		if (!ws->client_cert || !ws->client_key) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		info.client_ssl_cert_filepath = ws->client_cert;
		info.client_ssl_private_key_filepath = ws->client_key;
	}
	ws->vh = lws_create_vhost(ctx, &info);
	if (!ws->vh) {
		snprintf(err, errlen, "cannot create the OCPP client (libwebsockets vhost)");
		goto fail;
	}
	return ws;
fail:
	free_fields(ws);
	free(ws);
	return NULL;
}

void ocpp_ws_free(struct ocpp_ws *ws)
{
	if (!ws)
		return;
	lws_sul_cancel(&ws->report_sul);
	struct lws *wsi = detach(ws);
	kill_wsi(wsi);
	/* Closes what is left on the vhost; its callbacks find no transport. */
	if (ws->vh)
		lws_vhost_destroy(ws->vh);
	free_fields(ws);
	free(ws);
}

int ocpp_ws_connect(struct ocpp_ws *ws)
{
	if (ws->state != WS_IDLE) {
		snprintf(ws->err, sizeof ws->err, "already connecting or connected");
		return -1;
	}
	if (ws->report_pending) {
		snprintf(ws->err, sizeof ws->err, "the last attempt's disconnected() is still due");
		return -1;
	}
	ws->why[0] = '\0';
	ws->cert_rejected = false;
	ws->upgrade_sent = false;
	ws->http_status = 0;
	ws->peer_code = 0;
	ws->peer_reason[0] = '\0';
	ws->err[0] = '\0';

	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = ws->ctx;
	ci.vhost = ws->vh;
	ci.address = ws->address;
	ci.port = ws->port;
	ci.path = ws->path;
	ci.host = ws->host_hdr;
	ci.protocol = SUBPROTOCOL;
	ci.ietf_version_or_minus_one = -1;
	ci.ssl_connection = ws->tls ? LCCSCF_USE_SSL : 0;
	/* WebSocket over HTTP/2 is not what a CSMS expects. */
	ci.alpn = "http/1.1";
	ci.opaque_user_data = ws;

	ws->state = WS_CONNECTING;
	ws->in_connect = true;
	struct lws *wsi = lws_client_connect_via_info(&ci);
	ws->in_connect = false;
	if (ws->report_pending) {
		/* lws failed it inside the call; disconnected() is on its way. */
		return 0;
	}
	if (!wsi) {
		/* lws 4.1 says nothing more; an unknown host name ends here.
		 * Whatever wsi the callback saw is gone: do not touch it. */
		ws->wsi = NULL;
		detach(ws);
		snprintf(ws->err, sizeof ws->err,
			 "cannot start the connection to %s port %d (unknown host?)", ws->address,
			 ws->port);
		return -1;
	}
	ws->wsi = wsi;
	return 0;
}

int ocpp_ws_send(struct ocpp_ws *ws, const char *text, size_t len)
{
	if (ws->state != WS_OPEN || ws->close_pending) {
		snprintf(ws->err, sizeof ws->err, "not connected");
		return -1;
	}
	if (len > OUT_MAX - ws->out_bytes) {
		snprintf(ws->err, sizeof ws->err, "send queue full (%u bytes)", OUT_MAX);
		return -1;
	}
	struct out_frame *f = malloc(sizeof *f + LWS_PRE + len);
	if (!f) {
		snprintf(ws->err, sizeof ws->err, "out of memory");
		return -1;
	}
	f->next = NULL;
	f->len = len;
	if (len)
		memcpy(f->buf + LWS_PRE, text, len);
	if (ws->tail)
		ws->tail->next = f;
	else
		ws->head = f;
	ws->tail = f;
	ws->out_bytes += len;
	lws_callback_on_writable(ws->wsi);
	return 0;
}

void ocpp_ws_close(struct ocpp_ws *ws)
{
	if (ws->state == WS_IDLE)
		return;
	if (ws->state == WS_OPEN && !ws->close_pending) {
		/* A close frame on the next writeable callback; the grace
		 * timeout kills a link that never drains. */
		ws->close_pending = true;
		lws_set_timeout(ws->wsi, PENDING_TIMEOUT_USER_OK, CLOSE_GRACE_S);
		lws_callback_on_writable(ws->wsi);
		return;
	}
	if (ws->state == WS_CONNECTING) {
		struct lws *wsi = ws->wsi;
		report_later(ws, "closed by the charge point");
		kill_wsi(wsi);
	}
}

bool ocpp_ws_connected(const struct ocpp_ws *ws)
{
	return ws->state == WS_OPEN && !ws->close_pending;
}

int ocpp_ws_set_password(struct ocpp_ws *ws, const char *id, const char *password, char *err,
			 size_t errlen)
{
	char *old = ws->auth;
	ws->auth = NULL;
	if (password && password[0] && make_auth(ws, id, password, err, errlen) < 0) {
		free(ws->auth);
		ws->auth = old;
		return -1;
	}
	if (old) {
		memset(old, 0, strlen(old));
		free(old);
	}
	return 0;
}

void ocpp_ws_set_ping(struct ocpp_ws *ws, int ping_interval_s)
{
	ws->ping_s = ping_interval_s > 0 ? ping_interval_s : 0;
	ws->awaiting = false;
	arm_ping(ws);
}

void ocpp_ws_stats(const struct ocpp_ws *ws, uint64_t *sent, uint64_t *received)
{
	if (sent)
		*sent = ws->sent;
	if (received)
		*received = ws->received;
}

enum ocpp_ws_end ocpp_ws_last_end(const struct ocpp_ws *ws)
{
	return ws->last_end;
}

const char *ocpp_ws_errmsg(const struct ocpp_ws *ws)
{
	return ws->err;
}
