/* SPDX-License-Identifier: MIT */
/*
 * Web credentials and sessions (web_auth.h).
 */
#include "web_auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool from_hex(const char *s, unsigned char *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (v < 0)
			return false;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] = (unsigned char)(out[i / 2] | v);
	}
	return true;
}

bool web_random_hex(char *out, size_t bytes)
{
	unsigned char b[64];
	if (bytes > sizeof b || RAND_bytes(b, (int)bytes) != 1)
		return false;
	to_hex(b, bytes, out);
	return true;
}

bool web_pw_hash(const char *pw, const char *salt_hex, int iterations, char salt_out[33],
		 char hash_out[65])
{
	unsigned char salt[16], h[32];
	if (salt_hex && salt_hex[0]) {
		if (!from_hex(salt_hex, salt, sizeof salt))
			return false;
	} else if (RAND_bytes(salt, sizeof salt) != 1) {
		return false;
	}
	if (iterations < 1 || PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, sizeof salt, iterations,
						EVP_sha256(), sizeof h, h) != 1)
		return false;
	to_hex(salt, sizeof salt, salt_out);
	to_hex(h, sizeof h, hash_out);
	return true;
}

bool web_pw_verify(const char *pw, const char *salt_hex, int iterations, const char *hash_hex)
{
	char salt[33], h[65];
	unsigned char want[32], got[32];
	if (!from_hex(hash_hex, want, sizeof want) ||
	    !web_pw_hash(pw, salt_hex, iterations, salt, h) || !from_hex(h, got, sizeof got))
		return false;
	return CRYPTO_memcmp(want, got, sizeof want) == 0;
}

const char *web_pw_weak(const char *pw, const char *user, const char *old_pw)
{
	size_t n = strlen(pw);
	if (n < WEB_PASSWORD_MIN)
		return "must be at least 8 characters";
	if (n > WEB_PASSWORD_MAX)
		return "must be at most 128 characters";
	if (strcasecmp(pw, user) == 0)
		return "must not be the user name";
	if (old_pw && strcmp(pw, old_pw) == 0)
		return "must differ from the current password";
	return NULL;
}

static bool expired(const struct web_session *s, int64_t now)
{
	return now - s->last_ms >= WEB_SESSION_IDLE_MS || now - s->created_ms >= WEB_SESSION_MAX_MS;
}

struct web_session *web_session_new(struct web_auth *a, const char *user, const char *role,
				    bool must_change, int64_t now_ms)
{
	struct web_session *slot = NULL;
	for (int i = 0; i < WEB_SESSIONS_MAX; i++) {
		struct web_session *s = &a->s[i];
		if (!s->used || expired(s, now_ms)) {
			slot = s;
			break;
		}
		if (!slot || s->last_ms < slot->last_ms)
			slot = s;
	}
	struct web_session n = {.used = true, .must_change = must_change};
	if (!web_random_hex(n.id, 16) || !web_random_hex(n.csrf, 16))
		return NULL;
	snprintf(n.user, sizeof n.user, "%s", user);
	snprintf(n.role, sizeof n.role, "%s", role);
	n.created_ms = n.last_ms = now_ms;
	*slot = n;
	return slot;
}

struct web_session *web_session_find(struct web_auth *a, const char *id, int64_t now_ms)
{
	if (strlen(id) != 32)
		return NULL;
	for (int i = 0; i < WEB_SESSIONS_MAX; i++) {
		struct web_session *s = &a->s[i];
		if (!s->used || CRYPTO_memcmp(s->id, id, 32) != 0)
			continue;
		if (expired(s, now_ms)) {
			web_session_end(s);
			return NULL;
		}
		s->last_ms = now_ms;
		return s;
	}
	return NULL;
}

void web_session_end(struct web_session *s)
{
	memset(s, 0, sizeof *s);
}

void web_session_end_user(struct web_auth *a, const char *user, const struct web_session *keep)
{
	for (int i = 0; i < WEB_SESSIONS_MAX; i++)
		if (a->s[i].used && &a->s[i] != keep && strcmp(a->s[i].user, user) == 0)
			web_session_end(&a->s[i]);
}

int web_session_count(struct web_auth *a, int64_t now_ms)
{
	int n = 0;
	for (int i = 0; i < WEB_SESSIONS_MAX; i++)
		n += a->s[i].used && !expired(&a->s[i], now_ms);
	return n;
}

static struct web_rate *rate_find(struct web_auth *a, const char *addr, bool add, int64_t now)
{
	struct web_rate *free_slot = NULL, *oldest = NULL;
	for (int i = 0; i < WEB_RATE_ADDRESSES; i++) {
		struct web_rate *r = &a->r[i];
		if (r->addr[0] && strcmp(r->addr, addr) == 0)
			return r;
		if (!r->addr[0] || now - r->since_ms >= WEB_RATE_WINDOW_MS) {
			if (!free_slot)
				free_slot = r;
		} else if (!oldest || r->since_ms < oldest->since_ms) {
			oldest = r;
		}
	}
	if (!add)
		return NULL;
	struct web_rate *r = free_slot ? free_slot : oldest;
	memset(r, 0, sizeof *r);
	snprintf(r->addr, sizeof r->addr, "%s", addr);
	r->since_ms = now;
	return r;
}

static int retry_after(int64_t since, int64_t now)
{
	int64_t left = since + WEB_RATE_WINDOW_MS - now;
	return left > 0 ? (int)((left + 999) / 1000) : 1;
}

bool web_login_allowed(struct web_auth *a, const char *addr, int64_t now_ms, int *retry_s)
{
	if (now_ms - a->global_since_ms >= WEB_RATE_WINDOW_MS)
		a->global_fails = 0;
	if (a->global_fails >= WEB_RATE_GLOBAL) {
		*retry_s = retry_after(a->global_since_ms, now_ms);
		return false;
	}
	struct web_rate *r = rate_find(a, addr, false, now_ms);
	if (!r)
		return true;
	if (now_ms - r->since_ms >= WEB_RATE_WINDOW_MS) {
		memset(r, 0, sizeof *r);
		return true;
	}
	if (r->fails >= WEB_RATE_PER_ADDRESS) {
		*retry_s = retry_after(r->since_ms, now_ms);
		return false;
	}
	return true;
}

void web_login_failed(struct web_auth *a, const char *addr, int64_t now_ms)
{
	if (a->global_fails == 0 || now_ms - a->global_since_ms >= WEB_RATE_WINDOW_MS) {
		a->global_fails = 0;
		a->global_since_ms = now_ms;
	}
	a->global_fails++;
	struct web_rate *r = rate_find(a, addr, true, now_ms);
	if (now_ms - r->since_ms >= WEB_RATE_WINDOW_MS) {
		r->fails = 0;
		r->since_ms = now_ms;
	}
	r->fails++;
}

void web_login_ok(struct web_auth *a, const char *addr)
{
	for (int i = 0; i < WEB_RATE_ADDRESSES; i++)
		if (strcmp(a->r[i].addr, addr) == 0)
			memset(&a->r[i], 0, sizeof a->r[i]);
}
