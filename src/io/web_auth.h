/* SPDX-License-Identifier: MIT */
/*
 * The web UI's credentials and sessions (G2): PBKDF2-HMAC-SHA256 password
 * hashes (OpenSSL), random session ids and CSRF tokens, the session table
 * with idle and absolute expiry, and login rate limiting per client address
 * and overall. Time is passed in (monotonic ms). It stores nothing: the
 * accounts live in the store (store_user).
 */
#ifndef EVSED_WEB_AUTH_H
#define EVSED_WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_PBKDF2_ITER	     120000
#define WEB_SESSIONS_MAX     16
#define WEB_SESSION_IDLE_MS  (30 * 60 * 1000)	   /* 30 min without a request */
#define WEB_SESSION_MAX_MS   (12 * 60 * 60 * 1000) /* 12 h whatever happens */
#define WEB_RATE_WINDOW_MS   (60 * 1000)
#define WEB_RATE_PER_ADDRESS 5	/* failed logins per address per window */
#define WEB_RATE_GLOBAL	     30 /* failed logins from everyone per window */
#define WEB_RATE_ADDRESSES   32
#define WEB_PASSWORD_MIN     8
#define WEB_PASSWORD_MAX     128

/* Hash pw with a salt (32 hex chars; NULL or "" = a new random one written
 * to salt_out) into hash_out (64 hex chars). false if OpenSSL fails. */
bool web_pw_hash(const char *pw, const char *salt_hex, int iterations, char salt_out[33],
		 char hash_out[65]);
/* pw hashes to hash_hex (constant-time comparison). */
bool web_pw_verify(const char *pw, const char *salt_hex, int iterations, const char *hash_hex);
/* bytes random bytes as hex into out (2 * bytes + 1). false on failure. */
bool web_random_hex(char *out, size_t bytes);
/* A password good enough to replace a default one: NULL if so, else why
 * not (a static string). */
const char *web_pw_weak(const char *pw, const char *user, const char *old_pw);

struct web_session {
	bool used;
	char id[33];   /* 128 random bits, the cookie */
	char csrf[33]; /* 128 random bits, the X-CSRF-Token header */
	char user[33];
	char role[16];
	bool must_change;
	int64_t created_ms, last_ms;
};

struct web_rate {
	char addr[64];
	int fails;
	int64_t since_ms;
};

struct web_auth {
	struct web_session s[WEB_SESSIONS_MAX];
	struct web_rate r[WEB_RATE_ADDRESSES];
	int global_fails;
	int64_t global_since_ms;
};

/* A new session (the oldest one goes when the table is full); NULL if no
 * random bytes could be had. Owned by a. */
struct web_session *web_session_new(struct web_auth *a, const char *user, const char *role,
				    bool must_change, int64_t now_ms);
/* The live session with this id (its idle timer restarted), or NULL: unknown,
 * idle too long, or too old (then ended). */
struct web_session *web_session_find(struct web_auth *a, const char *id, int64_t now_ms);
void web_session_end(struct web_session *s);
/* End every session of user (after a password change or reset) except keep
 * (may be NULL). */
void web_session_end_user(struct web_auth *a, const char *user, const struct web_session *keep);
/* How many sessions are live at now. */
int web_session_count(struct web_auth *a, int64_t now_ms);

/* May addr try to log in now? false with *retry_s (seconds to wait) when it
 * or everyone failed too often in the window. */
bool web_login_allowed(struct web_auth *a, const char *addr, int64_t now_ms, int *retry_s);
void web_login_failed(struct web_auth *a, const char *addr, int64_t now_ms);
/* A successful login clears addr's failures. */
void web_login_ok(struct web_auth *a, const char *addr);

#endif
