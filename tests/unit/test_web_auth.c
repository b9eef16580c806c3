/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the web UI's credentials and sessions (web_auth.c): the
 * PBKDF2 hash against a known vector, verification, weak passwords, session
 * ids and CSRF tokens, idle and absolute expiry on a virtual clock, the
 * session table's eviction, and login rate limiting per address and overall.
 */
#include "vclock.h"

#include <stdio.h>
#include <string.h>

#include "io/web_auth.h"

/* PBKDF2-HMAC-SHA256("password", salt 16 x 0x00, 1 iteration, 32 bytes),
 * as `openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:password
 * -kdfopt hexsalt:00...00 -kdfopt iter:1 PBKDF2` gives it. */
static void hash_known_vector(void **state)
{
	(void)state;
	char salt[33], hash[65];
	assert_true(web_pw_hash("password", "00000000000000000000000000000000", 1, salt, hash));
	assert_string_equal(salt, "00000000000000000000000000000000");
	assert_string_equal(hash,
			    "1fefe125ab13dd2c06db86711ec448e9490e6c73024d7d8d659126c6f9fadd68");
}

static void hash_verify_and_salt(void **state)
{
	(void)state;
	char s1[33], h1[65], s2[33], h2[65];
	assert_true(web_pw_hash("Secret-pass-1", NULL, 1000, s1, h1));
	assert_true(web_pw_hash("Secret-pass-1", NULL, 1000, s2, h2));
	assert_string_not_equal(s1, s2); /* a new salt each time */
	assert_string_not_equal(h1, h2);
	assert_true(web_pw_verify("Secret-pass-1", s1, 1000, h1));
	assert_false(web_pw_verify("Secret-pass-2", s1, 1000, h1));
	assert_false(web_pw_verify("Secret-pass-1", s1, 999, h1));
	assert_false(web_pw_verify("Secret-pass-1", "zz", 1000, h1));
	assert_false(web_pw_verify("Secret-pass-1", s1, 1000, "abc"));
	assert_false(web_pw_verify("Secret-pass-1", s1, 0, h1));
}

static void weak_passwords(void **state)
{
	(void)state;
	assert_non_null(web_pw_weak("short", "installer", NULL));
	assert_non_null(web_pw_weak("Installer", "installer", NULL));
	assert_non_null(web_pw_weak("same-as-old", "installer", "same-as-old"));
	char longpw[200];
	memset(longpw, 'a', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';
	assert_non_null(web_pw_weak(longpw, "installer", NULL));
	assert_null(web_pw_weak("Secret-pass-1", "installer", "Ratioio7"));
}

static void session_ids_and_expiry(void **state)
{
	(void)state;
	static struct web_auth a;
	memset(&a, 0, sizeof a);
	struct web_session *s = web_session_new(&a, "installer", "installer", true, 1000);
	assert_non_null(s);
	assert_int_equal(strlen(s->id), 32);
	assert_int_equal(strlen(s->csrf), 32);
	assert_string_not_equal(s->id, s->csrf);
	char id[33];
	snprintf(id, sizeof id, "%s", s->id);
	assert_ptr_equal(web_session_find(&a, id, 2000), s);
	assert_null(web_session_find(&a, "nope", 2000));
	char wrong[33];
	snprintf(wrong, sizeof wrong, "%s", id);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	assert_null(web_session_find(&a, wrong, 2000));
	/* Idle: each request restarts the idle timer. */
	int64_t t = 2000;
	for (int i = 0; i < 10; i++) {
		t += WEB_SESSION_IDLE_MS - 1;
		assert_non_null(web_session_find(&a, id, t));
	}
	/* Absolute: 12 h after login whatever the activity. */
	assert_true(t < 1000 + WEB_SESSION_MAX_MS);
	while (t + WEB_SESSION_IDLE_MS / 2 < 1000 + WEB_SESSION_MAX_MS) {
		t += WEB_SESSION_IDLE_MS / 2;
		assert_non_null(web_session_find(&a, id, t));
	}
	assert_null(web_session_find(&a, id, 1000 + WEB_SESSION_MAX_MS));
	/* An idle one. */
	s = web_session_new(&a, "user", "user", false, 0);
	snprintf(id, sizeof id, "%s", s->id);
	assert_null(web_session_find(&a, id, WEB_SESSION_IDLE_MS));
	assert_int_equal(web_session_count(&a, WEB_SESSION_IDLE_MS), 0);
}

static void session_table_full_and_end_user(void **state)
{
	(void)state;
	static struct web_auth a;
	memset(&a, 0, sizeof a);
	char first[33];
	for (int i = 0; i < WEB_SESSIONS_MAX; i++) {
		struct web_session *s = web_session_new(&a, i % 2 ? "user" : "installer",
							i % 2 ? "user" : "installer", false, i);
		if (i == 0)
			snprintf(first, sizeof first, "%s", s->id);
	}
	assert_int_equal(web_session_count(&a, 100), WEB_SESSIONS_MAX);
	/* The least recently used one goes. */
	assert_non_null(web_session_new(&a, "maintain", "maintain", false, 100));
	assert_null(web_session_find(&a, first, 101));
	assert_int_equal(web_session_count(&a, 101), WEB_SESSIONS_MAX);
	web_session_end_user(&a, "user", NULL);
	assert_int_equal(web_session_count(&a, 101), WEB_SESSIONS_MAX / 2);
}

static void rate_limit_per_address(void **state)
{
	(void)state;
	static struct web_auth a;
	memset(&a, 0, sizeof a);
	int retry = 0;
	for (int i = 0; i < WEB_RATE_PER_ADDRESS; i++) {
		assert_true(web_login_allowed(&a, "10.0.0.1", 1000, &retry));
		web_login_failed(&a, "10.0.0.1", 1000);
	}
	assert_false(web_login_allowed(&a, "10.0.0.1", 1000, &retry));
	assert_int_equal(retry, WEB_RATE_WINDOW_MS / 1000);
	/* Another address is not affected. */
	assert_true(web_login_allowed(&a, "10.0.0.2", 1000, &retry));
	/* The window passes. */
	assert_false(web_login_allowed(&a, "10.0.0.1", 1000 + WEB_RATE_WINDOW_MS - 1, &retry));
	assert_true(web_login_allowed(&a, "10.0.0.1", 1000 + WEB_RATE_WINDOW_MS, &retry));
	/* A success clears the failures. */
	web_login_failed(&a, "10.0.0.3", 5000);
	web_login_ok(&a, "10.0.0.3");
	for (int i = 0; i < WEB_RATE_PER_ADDRESS - 1; i++)
		web_login_failed(&a, "10.0.0.3", 5000);
	assert_true(web_login_allowed(&a, "10.0.0.3", 5000, &retry));
}

static void rate_limit_global(void **state)
{
	(void)state;
	static struct web_auth a;
	memset(&a, 0, sizeof a);
	int retry = 0;
	char addr[32];
	for (int i = 0; i < WEB_RATE_GLOBAL; i++) {
		snprintf(addr, sizeof addr, "10.1.%d.%d", i / 200, i % 200);
		assert_true(web_login_allowed(&a, addr, 0, &retry));
		web_login_failed(&a, addr, 0);
	}
	assert_false(web_login_allowed(&a, "192.168.1.1", 10, &retry));
	assert_true(retry > 0);
	assert_true(web_login_allowed(&a, "192.168.1.1", WEB_RATE_WINDOW_MS, &retry));
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(hash_known_vector),
    cmocka_unit_test(hash_verify_and_salt),
    cmocka_unit_test(weak_passwords),
    cmocka_unit_test(session_ids_and_expiry),
    cmocka_unit_test(session_table_full_and_end_user),
    cmocka_unit_test(rate_limit_per_address),
    cmocka_unit_test(rate_limit_global),
};
/* clang-format on */

VCLOCK_MAIN("web_auth", tests)
