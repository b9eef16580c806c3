/* SPDX-License-Identifier: MIT */
/*
 * OCPP-J transport (C1): one libwebsockets WebSocket client connection to
 * <url>/<charge point id> with subprotocol "ocpp1.6", on the daemon's event
 * loop. ws:// and wss:// (server certificate verified against a CA bundle),
 * HTTP Basic auth (id:password), WebSocket pings every ping_interval_s with
 * the connection closed when the peer stops answering, a hard cap on the
 * size of a received frame (larger: the connection is closed), an outgoing
 * queue, and byte counters. It does not reconnect by itself: the owner calls
 * ocpp_ws_connect() again when its back-off says so.
 */
#ifndef EVSED_OCPP_WS_H
#define EVSED_OCPP_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lws_context;

struct ocpp_ws_cfg {
	const char *url;      /* ws://host[:port]/path or wss://... (no id) */
	const char *id;	      /* charge point identity, appended as /<id> */
	const char *password; /* Basic auth password; NULL or "" = none */
	const char *ca_file;  /* PEM CA bundle for wss://; NULL = system default */
	/* wss:// with a client certificate (security profile 3): PEM files of
	 * the certificate and its private key; NULL = none. */
	const char *client_cert;
	const char *client_key;
	int ping_interval_s; /* 0 = no pings */
	size_t frame_max;    /* received frames larger than this close the link */
};

struct ocpp_ws_cb {
	void *user;
	void (*connected)(void *user);
	/* The connection closed or could not be made; why is for the log. */
	void (*disconnected)(void *user, const char *why);
	/* One complete text frame (not NUL-terminated). */
	void (*frame)(void *user, const char *text, size_t len);
};

struct ocpp_ws;

/* A transport on ctx (created with LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT and
 * LWS_SERVER_OPTION_EXPLICIT_VHOSTS). cfg strings are copied. NULL with err
 * on a bad URL or allocation failure. Does not connect yet. */
struct ocpp_ws *ocpp_ws_new(struct lws_context *ctx, const struct ocpp_ws_cfg *cfg,
			    const struct ocpp_ws_cb *cb, char *err, size_t errlen);
/* Close (if open) and free. No callback fires afterwards. Not from inside
 * one of ws's own callbacks; before lws_context_destroy(). */
void ocpp_ws_free(struct ocpp_ws *ws);

/* Start connecting; the result arrives as connected() or disconnected(),
 * never from inside this call. -1 if already connecting / connected or lws
 * refused at once (then disconnected() will not be called and
 * ocpp_ws_errmsg() says why). */
int ocpp_ws_connect(struct ocpp_ws *ws);
/* Queue one text frame; sent as soon as the socket is writable. -1 if not
 * connected, too large, or the queue holds more than 4 MiB. */
int ocpp_ws_send(struct ocpp_ws *ws, const char *text, size_t len);
/* The Basic auth password of the next connections (NULL or "": none); the
 * open one is not touched. -1 with err (nothing changes) if it cannot be
 * carried. */
int ocpp_ws_set_password(struct ocpp_ws *ws, const char *id, const char *password, char *err,
			 size_t errlen);
/* Close the connection (disconnected() follows). */
void ocpp_ws_close(struct ocpp_ws *ws);
bool ocpp_ws_connected(const struct ocpp_ws *ws);
/* Change the ping interval on a live connection (WebSocketPingInterval). */
void ocpp_ws_set_ping(struct ocpp_ws *ws, int ping_interval_s);
/* Bytes of WebSocket payload sent and received since start. */
void ocpp_ws_stats(const struct ocpp_ws *ws, uint64_t *sent, uint64_t *received);
/* How the last connection attempt ended (the disconnected() just
 * reported): OWE_LOST it had been open; otherwise it never opened:
 * OWE_SERVER_CERT the server's certificate did not verify, OWE_AUTH the
 * server answered HTTP 401 (id or password refused), OWE_FAILED anything
 * else. */
enum ocpp_ws_end { OWE_LOST, OWE_FAILED, OWE_SERVER_CERT, OWE_AUTH };
enum ocpp_ws_end ocpp_ws_last_end(const struct ocpp_ws *ws);
/* Why the last ocpp_ws_connect() or ocpp_ws_send() returned -1. Owned by ws,
 * valid until the next call on ws. */
const char *ocpp_ws_errmsg(const struct ocpp_ws *ws);

#endif
