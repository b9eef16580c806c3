/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the SQLite store. Each case works in a fresh directory made
 * with mkdtemp under /tmp and removes it at the end. The database is also
 * read and altered directly with SQLite where the store's API does not show
 * what is checked (schema, update times, a newer schema version).
 */
#include "vclock.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/store.h"

/* ---- fixture ------------------------------------------------------------ */

/* snprintf that fails the test instead of truncating a path. */
static void path_fmt(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void path_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= n)
		fail_msg("path too long: %s", buf);
}

struct fx {
	char dir[128];
	struct store *st;
};

static void fx_mkdtemp(struct fx *f)
{
	path_fmt(f->dir, sizeof f->dir, "/tmp/evsed-store-XXXXXX");
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp failed");
	f->st = NULL;
}

static void fx_reopen(struct fx *f)
{
	char err[300] = "";
	enum store_err e = store_open(f->dir, &f->st, err, sizeof err);
	if (e != STORE_OK)
		fail_msg("store_open(%s): %d %s", f->dir, e, err);
	assert_non_null(f->st);
}

static void fx_open(struct fx *f)
{
	fx_mkdtemp(f);
	fx_reopen(f);
}

/* Remove a directory and everything in it. */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		fail_msg("cannot open %s", path);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char child[512];
		path_fmt(child, sizeof child, "%s/%s", path, e->d_name);
		struct stat sb;
		if (lstat(child, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_tree(child);
		else if (unlink(child) != 0)
			fail_msg("cannot remove %s", child);
	}
	closedir(d);
	if (rmdir(path) != 0)
		fail_msg("cannot remove %s", path);
}

static void fx_close(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	rm_tree(f->dir);
}

/* A non-NULL handle that store_open must overwrite with NULL on failure. */
static struct store *not_null(void)
{
	static char dummy;
	return (struct store *)(void *)&dummy;
}

/* ---- direct SQLite access ----------------------------------------------- */

static sqlite3 *raw_open(const char *dir)
{
	char path[256];
	path_fmt(path, sizeof path, "%s/evsed.db", dir);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(db));
	return db;
}

static void raw_exec(const char *dir, const char *sql)
{
	sqlite3 *db = raw_open(dir);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[200];
		snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		fail_msg("%s: %s", sql, copy);
	}
	sqlite3_close(db);
}

/* The first column of the first row of sql, as text, into out. */
static void raw_text(const char *dir, const char *sql, char *out, size_t outlen)
{
	sqlite3 *db = raw_open(dir);
	sqlite3_stmt *q = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static int64_t raw_int(const char *dir, const char *sql)
{
	char text[64];
	raw_text(dir, sql, text, sizeof text);
	return strtoll(text, NULL, 10);
}

/* ---- collectors --------------------------------------------------------- */

struct kv_list {
	int n;
	char key[8][64];
	char value[8][64];
};

static void collect_kv(void *user, const char *key, const char *value)
{
	struct kv_list *l = user;
	if (l->n >= 8)
		fail_msg("too many settings");
	snprintf(l->key[l->n], sizeof l->key[0], "%s", key);
	snprintf(l->value[l->n], sizeof l->value[0], "%s", value);
	l->n++;
}

struct card_list {
	int n;
	char uid[8][32];
};

static void collect_card(void *user, const char *uid)
{
	struct card_list *l = user;
	if (l->n >= 8)
		fail_msg("too many cards");
	snprintf(l->uid[l->n++], sizeof l->uid[0], "%s", uid);
}

static void expect_cards(struct store *st, const char *const *uids, int n)
{
	struct card_list l = {0};
	assert_int_equal(store_cards_load(st, collect_card, &l), STORE_OK);
	assert_int_equal(l.n, n);
	for (int i = 0; i < n; i++)
		if (strcmp(l.uid[i], uids[i]) != 0)
			fail_msg("card %d: '%s', expected '%s'", i, l.uid[i], uids[i]);
}

struct hrow {
	int64_t number;
	int connector;
	char id_tag[32];
	int64_t start_utc, end_utc;
	char start_mode[16], stop_mode[32], stop_reason[32];
	double energy_wh;
	bool open;
};

struct hist {
	int n;
	struct hrow r[16];
};

static void collect_session(void *user, const struct store_session *s)
{
	struct hist *h = user;
	if (h->n >= 16)
		fail_msg("too many sessions");
	struct hrow *r = &h->r[h->n++];
	r->number = s->number;
	r->connector = s->connector;
	snprintf(r->id_tag, sizeof r->id_tag, "%s", s->id_tag);
	r->start_utc = s->start_utc;
	r->end_utc = s->end_utc;
	snprintf(r->start_mode, sizeof r->start_mode, "%s", s->start_mode);
	snprintf(r->stop_mode, sizeof r->stop_mode, "%s", s->stop_mode);
	snprintf(r->stop_reason, sizeof r->stop_reason, "%s", s->stop_reason);
	r->energy_wh = s->energy_wh;
	r->open = s->open;
}

static void history(struct store *st, int limit, struct hist *h)
{
	memset(h, 0, sizeof *h);
	assert_int_equal(store_history(st, limit, collect_session, h), STORE_OK);
}

/* Expected history row; compared field by field with a message. */
static void expect_row(const struct hrow *got, const struct hrow *want)
{
	if (got->number != want->number || got->connector != want->connector ||
	    strcmp(got->id_tag, want->id_tag) != 0 || got->start_utc != want->start_utc ||
	    got->end_utc != want->end_utc || strcmp(got->start_mode, want->start_mode) != 0 ||
	    strcmp(got->stop_mode, want->stop_mode) != 0 ||
	    strcmp(got->stop_reason, want->stop_reason) != 0 ||
	    got->energy_wh < want->energy_wh - 1e-9 || got->energy_wh > want->energy_wh + 1e-9 ||
	    got->open != want->open)
		fail_msg(
		    "session %lld: conn %d tag %s start %lld end %lld %s/%s/%s %.9g Wh open %d; "
		    "expected session %lld: conn %d tag %s start %lld end %lld %s/%s/%s %.9g "
		    "Wh open %d",
		    (long long)got->number, got->connector, got->id_tag, (long long)got->start_utc,
		    (long long)got->end_utc, got->start_mode, got->stop_mode, got->stop_reason,
		    got->energy_wh, got->open, (long long)want->number, want->connector,
		    want->id_tag, (long long)want->start_utc, (long long)want->end_utc,
		    want->start_mode, want->stop_mode, want->stop_reason, want->energy_wh,
		    want->open);
}

static struct chg_session session(int conn, const char *tag, enum start_mode mode,
				  int64_t start_utc, double meter_start_wh)
{
	struct chg_session s;
	memset(&s, 0, sizeof s);
	s.connector = conn;
	snprintf(s.id_tag, sizeof s.id_tag, "%s", tag);
	s.start_mode = mode;
	s.start_utc = start_utc;
	s.meter_start_wh = meter_start_wh;
	return s;
}

static void end_session(struct store *st, struct chg_session *s, int64_t stop_utc,
			double meter_stop_wh, enum stop_reason r, const char *mode)
{
	s->stop_utc = stop_utc;
	s->meter_stop_wh = meter_stop_wh;
	s->reason = r;
	s->stop_mode = mode;
	assert_int_equal(store_session_end(st, s), STORE_OK);
}

/* ---- tests -------------------------------------------------------------- */

static void open_creates_directory_and_migrates(void **state)
{
	(void)state;
	struct fx f;
	fx_mkdtemp(&f);
	char top[128];
	path_fmt(top, sizeof top, "%s", f.dir);
	/* A data directory that does not exist yet is created. */
	path_fmt(f.dir, sizeof f.dir, "%s/data", top);
	fx_reopen(&f);
	struct stat sb;
	char path[256];
	path_fmt(path, sizeof path, "%s/evsed.db", f.dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(store_schema_version(f.st), 8);
	assert_int_equal(raw_int(f.dir, "PRAGMA user_version"), 8);
	char text[200];
	raw_text(f.dir,
		 "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
		 " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)",
		 text, sizeof text);
	assert_string_equal(
	    text, "auth_cache,availability,cards,charging_profiles,fault_history,"
		  "firmware_update,local_list,"
		  "local_list_version,registers,security_events,sessions,settings,txq,web_users");
	raw_text(f.dir, "PRAGMA journal_mode", text, sizeof text);
	assert_string_equal(text, "wal");
	/* Everything starts empty. */
	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 0);
	expect_cards(f.st, NULL, 0);
	struct kv_list kv = {0};
	assert_int_equal(store_settings_load(f.st, collect_kv, &kv), STORE_OK);
	assert_int_equal(kv.n, 0);
	assert_true(store_register_get(f.st, 1) == 0.0);
	fx_close(&f);
	/* fx_close removed data/; remove the top directory too. */
	assert_int_equal(rmdir(top), 0);
}

static void reopen_keeps_data(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	assert_int_equal(store_setting_put(f.st, "ConnectionTimeOut", "300"), STORE_OK);
	assert_int_equal(store_card_add(f.st, "04A1B2C3", 100), STORE_OK);
	struct chg_session s = session(1, "04A1B2C3", START_RFID, 1000, 12.5);
	s.number = store_session_begin(f.st, &s);
	assert_int_equal(s.number, 1);
	assert_int_equal(store_register_put(f.st, 1, 42.5, 1100), STORE_OK);
	store_close(f.st);
	f.st = NULL;

	fx_reopen(&f);
	assert_int_equal(store_schema_version(f.st), 8);
	struct kv_list kv = {0};
	assert_int_equal(store_settings_load(f.st, collect_kv, &kv), STORE_OK);
	assert_int_equal(kv.n, 1);
	assert_string_equal(kv.key[0], "ConnectionTimeOut");
	assert_string_equal(kv.value[0], "300");
	static const char *const cards[] = {"04A1B2C3"};
	expect_cards(f.st, cards, 1);
	assert_true(store_register_get(f.st, 1) == 42.5);
	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 1);
	const struct hrow want = {1, 1, "04A1B2C3", 1000, 0, "rfid", "", "", 30.0, true};
	expect_row(&h.r[0], &want);
	/* Numbers continue after a reopen. */
	struct chg_session s2 = session(2, "X", START_FREE, 2000, 0);
	assert_int_equal(store_session_begin(f.st, &s2), 2);
	fx_close(&f);
}

static void settings_put_and_load(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	assert_int_equal(store_setting_put(f.st, "ocpp.url", "ws://a"), STORE_OK);
	assert_int_equal(store_setting_put(f.st, "auth.required", "false"), STORE_OK);
	assert_int_equal(store_setting_put(f.st, "ConnectionTimeOut", "300"), STORE_OK);
	/* A second put replaces the value. */
	assert_int_equal(store_setting_put(f.st, "ocpp.url", "wss://b/ocpp"), STORE_OK);
	assert_int_equal(store_setting_put(f.st, "auth.required", ""), STORE_OK);
	struct kv_list kv = {0};
	assert_int_equal(store_settings_load(f.st, collect_kv, &kv), STORE_OK);
	static const struct {
		const char *key, *value;
	} want[] = {
	    /* ordered by key */
	    {"ConnectionTimeOut", "300"},
	    {"auth.required", ""},
	    {"ocpp.url", "wss://b/ocpp"},
	};
	assert_int_equal(kv.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(kv.key[i], want[i].key);
		assert_string_equal(kv.value[i], want[i].value);
	}
	fx_close(&f);
}

static void cards_add_remove_load(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	assert_int_equal(store_card_add(f.st, "ABC", 10), STORE_OK);
	assert_int_equal(store_card_add(f.st, "def", 5), STORE_OK);
	assert_int_equal(store_card_add(f.st, "Ghi", 10), STORE_OK);
	/* Oldest first; equal times in insertion order. */
	static const char *const s1[] = {"def", "ABC", "Ghi"};
	expect_cards(f.st, s1, 3);

	/* The same card in another case is the same card: the first spelling
	 * and its time stay. */
	assert_int_equal(store_card_add(f.st, "abc", 1), STORE_OK);
	assert_int_equal(store_card_add(f.st, "DEF", 99), STORE_OK);
	expect_cards(f.st, s1, 3);
	assert_int_equal(raw_int(f.dir, "SELECT count(*) FROM cards"), 3);

	/* Removal ignores case; removing an absent card is not an error. */
	assert_int_equal(store_card_remove(f.st, "aBc"), STORE_OK);
	static const char *const s2[] = {"def", "Ghi"};
	expect_cards(f.st, s2, 2);
	assert_int_equal(store_card_remove(f.st, "nosuch"), STORE_OK);
	assert_int_equal(store_card_remove(f.st, "abc"), STORE_OK);
	expect_cards(f.st, s2, 2);

	/* Removed and added again: it goes to its new time. */
	assert_int_equal(store_card_add(f.st, "abc", 20), STORE_OK);
	static const char *const s3[] = {"def", "Ghi", "abc"};
	expect_cards(f.st, s3, 3);
	fx_close(&f);
}

static void sessions_begin_end_history(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct chg_session a = session(1, "TAG1", START_RFID, 1000, 100);
	struct chg_session b = session(2, "TAG2", START_FREE, 2000, 50);
	struct chg_session c = session(1, "TAG3", START_REMOTE, 3000, 350);
	a.number = store_session_begin(f.st, &a);
	b.number = store_session_begin(f.st, &b);
	assert_int_equal(a.number, 1);
	assert_int_equal(b.number, 2);
	end_session(f.st, &a, 1500, 350, STOP_LOCAL, "rfid");
	c.number = store_session_begin(f.st, &c);
	assert_int_equal(c.number, 3);
	end_session(f.st, &c, 3600, 360.25, STOP_OTHER, NULL);

	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 3);
	/* Newest first; closed energy = stop - start; no register for
	 * connector 2, so the open session shows 0 Wh. */
	const struct hrow want[] = {
	    {3, 1, "TAG3", 3000, 3600, "remote", "", "Other", 10.25, false},
	    {2, 2, "TAG2", 2000, 0, "free", "", "", 0.0, true},
	    {1, 1, "TAG1", 1000, 1500, "rfid", "rfid", "Local", 250.0, false},
	};
	for (int i = 0; i < 3; i++)
		expect_row(&h.r[i], &want[i]);

	/* A limit keeps the newest. */
	history(f.st, 2, &h);
	assert_int_equal(h.n, 2);
	expect_row(&h.r[0], &want[0]);
	expect_row(&h.r[1], &want[1]);
	history(f.st, 1, &h);
	assert_int_equal(h.n, 1);
	expect_row(&h.r[0], &want[0]);
	history(f.st, -1, &h);
	assert_int_equal(h.n, 3);
	fx_close(&f);
}

static void history_open_session_energy_from_register(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct chg_session a = session(1, "TAG1", START_RFID, 1000, 100);
	struct chg_session b = session(2, "TAG2", START_LOCAL, 1000, 500);
	a.number = store_session_begin(f.st, &a);
	b.number = store_session_begin(f.st, &b);
	assert_int_equal(store_register_put(f.st, 1, 180.5, 1200), STORE_OK);
	/* A register below the session's start shows 0 Wh, never less. */
	assert_int_equal(store_register_put(f.st, 2, 400, 1200), STORE_OK);
	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 2);
	const struct hrow w1[] = {
	    {2, 2, "TAG2", 1000, 0, "local", "", "", 0.0, true},
	    {1, 1, "TAG1", 1000, 0, "rfid", "", "", 80.5, true},
	};
	expect_row(&h.r[0], &w1[0]);
	expect_row(&h.r[1], &w1[1]);

	/* The open session follows the register; once closed it keeps its
	 * own stop value whatever the register does. */
	assert_int_equal(store_register_put(f.st, 1, 250, 1300), STORE_OK);
	history(f.st, 0, &h);
	assert_true(h.r[1].energy_wh == 150.0);
	end_session(f.st, &a, 1400, 260, STOP_EV_DISCONNECTED, "unplug");
	assert_int_equal(store_register_put(f.st, 1, 900, 2000), STORE_OK);
	history(f.st, 0, &h);
	const struct hrow w2 = {1,	1,	  "TAG1",	    1000,  1400,
				"rfid", "unplug", "EVDisconnected", 160.0, false};
	expect_row(&h.r[1], &w2);
	fx_close(&f);
}

static void register_never_goes_backwards(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	static const struct {
		int conn;
		double wh;
		int64_t utc;
		double want_wh; /* register of conn afterwards */
		int64_t want_utc;
	} rows[] = {
	    {1, 100.0, 10, 100.0, 10}, {1, 50.0, 20, 100.0, 20},      {1, 150.5, 30, 150.5, 30},
	    {1, 150.5, 40, 150.5, 40}, {1, 0.0, 50, 150.5, 50},	      {1, 200.0, 45, 200.0, 50},
	    {2, 7.0, 5, 7.0, 5},       {2, -1.0, 6, 7.0, 6},	      {1, 150.0, 60, 200.0, 60},
	    {3, 1e9, 70, 1e9, 70},     {3, 999999999.5, 80, 1e9, 80},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(store_register_put(f.st, rows[i].conn, rows[i].wh, rows[i].utc),
				 STORE_OK);
		double got = store_register_get(f.st, rows[i].conn);
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT updated_utc FROM registers WHERE connector = %d",
			 rows[i].conn);
		int64_t utc = raw_int(f.dir, sql);
		if (got != rows[i].want_wh || utc != rows[i].want_utc)
			fail_msg("row %zu: %.9g Wh at %lld, expected %.9g Wh at %lld", i, got,
				 (long long)utc, rows[i].want_wh, (long long)rows[i].want_utc);
	}
	/* Connectors are independent; an unknown one reads 0. */
	assert_true(store_register_get(f.st, 1) == 200.0);
	assert_true(store_register_get(f.st, 2) == 7.0);
	assert_true(store_register_get(f.st, 4) == 0.0);
	/* They survive a reopen. */
	store_close(f.st);
	fx_reopen(&f);
	assert_true(store_register_get(f.st, 1) == 200.0);
	assert_int_equal(store_register_put(f.st, 1, 10, 90), STORE_OK);
	assert_true(store_register_get(f.st, 1) == 200.0);
	fx_close(&f);
}

static void count_cb(void *user, const char *a, const char *b)
{
	(void)a;
	(void)b;
	(*(int *)user)++;
}

static void count_card(void *user, const char *uid)
{
	(void)uid;
	(*(int *)user)++;
}

static void factory_reset_keeps_records(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	assert_int_equal(store_setting_put(f.st, "ConnectionTimeOut", "300"), STORE_OK);
	assert_int_equal(store_card_add(f.st, "CARD1", 1), STORE_OK);
	assert_int_equal(store_register_put(f.st, 1, 1234.0, 10), STORE_OK);
	assert_true(store_txq_push(f.st, "StopTransaction", 1, "{}", 10) > 0);
	assert_int_equal(store_fault_begin(f.st, 1, "rcd", 10), STORE_OK);
	assert_int_equal(store_factory_reset(f.st), STORE_OK);
	int n = 0;
	assert_int_equal(store_settings_load(f.st, count_cb, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_cards_load(f.st, count_card, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_true(store_register_get(f.st, 1) == 1234.0);
	assert_int_equal(store_txq_count(f.st), 1);
	fx_close(&f);
}

/* ---- the OCPP Local Authorization List ------------------------------------ */

struct list_rows {
	int n;
	char ids[8][24];
	int status[8];
	int64_t expiry[8];
	char parent[8][24];
};

static void collect_list(void *user, const char *id, int status, int64_t expiry, const char *parent)
{
	struct list_rows *r = user;
	assert_true(r->n < 8);
	snprintf(r->ids[r->n], sizeof r->ids[0], "%s", id);
	r->status[r->n] = status;
	r->expiry[r->n] = expiry;
	snprintf(r->parent[r->n], sizeof r->parent[0], "%s", parent);
	r->n++;
}

static void list_load(struct store *st, struct list_rows *r, int *version)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(store_list_load(st, collect_list, r, version), STORE_OK);
}

/* Replace, apply (add, update, remove, case-insensitively), the version with
 * each, across a reopen; a failing write changes nothing; factory reset
 * forgets the list. */
static void local_list_replace_apply_load(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct list_rows r;
	int v = -1;
	list_load(f.st, &r, &v);
	assert_int_equal(r.n, 0);
	assert_int_equal(v, 0);
	const struct store_list_entry full[] = {
	    {"B", 1, 0, "", false}, {"A", 0, 1800000000, "G", false}, {"C", 0, 0, "", false}};
	assert_int_equal(store_list_replace(f.st, full, 3, 4), STORE_OK);
	const struct store_list_entry diff[] = {
	    {"b", 0, 0, "H", false}, {"c", 0, 0, "", true}, {"D", 3, 0, "", false}};
	assert_int_equal(store_list_apply(f.st, diff, 3, 6), STORE_OK);
	store_close(f.st);
	fx_reopen(&f);
	list_load(f.st, &r, &v);
	assert_int_equal(v, 6);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.ids[0], "A");
	assert_int_equal(r.expiry[0], 1800000000);
	assert_string_equal(r.parent[0], "G");
	assert_string_equal(r.ids[1], "b"); /* replaced, as the update spells it */
	assert_int_equal(r.status[1], 0);
	assert_string_equal(r.parent[1], "H");
	assert_string_equal(r.ids[2], "D");
	assert_int_equal(r.status[2], 3);
	/* A Full update replaces everything. */
	const struct store_list_entry one[] = {{"E", 0, 0, "", false}};
	assert_int_equal(store_list_replace(f.st, one, 1, 7), STORE_OK);
	list_load(f.st, &r, &v);
	assert_int_equal(r.n, 1);
	assert_int_equal(v, 7);
	/* A write that fails half-way (the table is gone) leaves nothing of
	 * itself: not the version either. */
	raw_exec(f.dir, "ALTER TABLE local_list RENAME TO local_list_away");
	store_close(f.st);
	fx_reopen(&f);
	assert_int_equal(store_list_replace(f.st, full, 3, 9), STORE_E_IO);
	raw_exec(f.dir, "ALTER TABLE local_list_away RENAME TO local_list");
	list_load(f.st, &r, &v);
	assert_int_equal(r.n, 1);
	assert_int_equal(v, 7);
	assert_int_equal(store_factory_reset(f.st), STORE_OK);
	list_load(f.st, &r, &v);
	assert_int_equal(r.n, 0);
	assert_int_equal(v, 0);
	fx_close(&f);
}

/* A Full update of 10,000 entries is one transaction: when its last entry
 * fails, none of it (nor the version) is stored, and the old list stays. */
static void local_list_ten_thousand(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	enum { N = 10000 };
	static char ids[N][12];
	static struct store_list_entry e[N];
	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof ids[i], "TAG%05d", i);
		e[i] = (struct store_list_entry){ids[i], 0, 0, "", false};
	}
	assert_int_equal(store_list_replace(f.st, e, N, 1), STORE_OK);
	assert_int_equal(raw_int(f.dir, "SELECT COUNT(*) FROM local_list"), N);
	raw_exec(f.dir, "CREATE TRIGGER no_last BEFORE INSERT ON local_list"
			" WHEN NEW.id_tag = 'TAG09999' BEGIN SELECT RAISE(ABORT, 'no'); END");
	snprintf(ids[0], sizeof ids[0], "NEW00000");
	assert_int_equal(store_list_replace(f.st, e, N, 2), STORE_E_IO);
	assert_int_equal(raw_int(f.dir, "SELECT COUNT(*) FROM local_list"), N);
	assert_int_equal(
	    raw_int(f.dir, "SELECT COUNT(*) FROM local_list WHERE id_tag = 'TAG00000'"), 1);
	assert_int_equal(raw_int(f.dir, "SELECT version FROM local_list_version"), 1);
	assert_int_equal(store_list_apply(f.st, e, N, 3), STORE_E_IO);
	assert_int_equal(
	    raw_int(f.dir, "SELECT COUNT(*) FROM local_list WHERE id_tag = 'NEW00000'"), 0);
	fx_close(&f);
}

static void recover_closes_open_sessions(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct chg_session a = session(1, "TAG1", START_RFID, 1000, 100);
	struct chg_session b = session(2, "TAG2", START_FREE, 2000, 0);
	struct chg_session c = session(3, "TAG3", START_RFID, 500, 10);
	struct chg_session d = session(4, "TAG4", START_REMOTE, 5000, 700);
	a.number = store_session_begin(f.st, &a);
	b.number = store_session_begin(f.st, &b);
	c.number = store_session_begin(f.st, &c);
	d.number = store_session_begin(f.st, &d);
	end_session(f.st, &c, 600, 20, STOP_EV_DISCONNECTED, "unplug");
	/* Connector 1: the last reading before the cut. */
	assert_int_equal(store_register_put(f.st, 1, 300, 1700), STORE_OK);
	assert_int_equal(store_register_put(f.st, 1, 400, 1800), STORE_OK);
	/* Connector 2: no register at all. Connector 4: a register older and
	 * lower than the session's start. */
	assert_int_equal(store_register_put(f.st, 4, 650, 4000), STORE_OK);

	int closed = -1;
	assert_int_equal(store_recover(f.st, &closed), STORE_OK);
	assert_int_equal(closed, 3);

	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 4);
	const struct hrow want[] = {
	    {4, 4, "TAG4", 5000, 5000, "remote", "power_loss", "PowerLoss", 0.0, false},
	    {3, 3, "TAG3", 500, 600, "rfid", "unplug", "EVDisconnected", 10.0, false},
	    {2, 2, "TAG2", 2000, 2000, "free", "power_loss", "PowerLoss", 0.0, false},
	    {1, 1, "TAG1", 1000, 1800, "rfid", "power_loss", "PowerLoss", 300.0, false},
	};
	for (int i = 0; i < 4; i++)
		expect_row(&h.r[i], &want[i]);

	/* Nothing is left open: a second recovery closes nothing, and later
	 * register updates no longer move closed sessions. */
	closed = -1;
	assert_int_equal(store_recover(f.st, &closed), STORE_OK);
	assert_int_equal(closed, 0);
	assert_int_equal(store_register_put(f.st, 1, 999, 9000), STORE_OK);
	history(f.st, 0, &h);
	for (int i = 0; i < 4; i++)
		expect_row(&h.r[i], &want[i]);
	fx_close(&f);
}

static void recover_after_reopen(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct chg_session a = session(2, "TAG1", START_RFID, 1000, 1000);
	a.number = store_session_begin(f.st, &a);
	assert_int_equal(store_register_put(f.st, 2, 1234.5, 1900), STORE_OK);
	/* The power goes: the store is closed without ending the session. */
	store_close(f.st);
	fx_reopen(&f);
	int closed = -1;
	assert_int_equal(store_recover(f.st, &closed), STORE_OK);
	assert_int_equal(closed, 1);
	struct hist h;
	history(f.st, 0, &h);
	assert_int_equal(h.n, 1);
	const struct hrow want = {1,	       2,     "TAG1", 1000, 1900, "rfid", "power_loss",
				  "PowerLoss", 234.5, false};
	expect_row(&h.r[0], &want);
	fx_close(&f);
}

/* Charging profiles (C8): each write is whole; removals and the new one
 * together; a factory reset empties them. */
struct prof_rows {
	char text[8][64];
	int n;
};

static void collect_profile(void *user, int conn, const char *json)
{
	struct prof_rows *r = user;
	if (r->n < 8)
		snprintf(r->text[r->n++], sizeof r->text[0], "%d %s", conn, json);
}

static void profiles_write_and_load(void **state)
{
	(void)state;
	static const struct {
		int32_t removed[2];
		int nremoved;
		int32_t id;
		int conn;
		const char *json;
		const char *rows; /* after the write, "|"-separated */
	} steps[] = {
	    {{0}, 0, 1, 0, "{\"a\":1}", "0 {\"a\":1}"},
	    {{0}, 0, 2, 1, "{\"b\":2}", "0 {\"a\":1}|1 {\"b\":2}"},
	    /* Same id: replaced. */
	    {{0}, 0, 1, 2, "{\"c\":3}", "2 {\"c\":3}|1 {\"b\":2}"},
	    /* Removed and added in one write. */
	    {{1, 2}, 2, 7, 1, "{\"d\":4}", "1 {\"d\":4}"},
	    /* Only removed. */
	    {{7}, 1, 0, 0, NULL, ""},
	};
	struct fx f;
	fx_open(&f);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(store_profiles_write(f.st, steps[i].removed, steps[i].nremoved,
						      steps[i].id, steps[i].conn, steps[i].json),
				 STORE_OK);
		struct prof_rows r = {0};
		assert_int_equal(store_profiles_load(f.st, collect_profile, &r), STORE_OK);
		char got[512] = "";
		size_t k = 0;
		for (int j = 0; j < r.n; j++)
			k += (size_t)snprintf(got + k, sizeof got - k, "%s%s", j ? "|" : "",
					      r.text[j]);
		if (strcmp(got, steps[i].rows) != 0)
			fail_msg("step %zu: \"%s\", expected \"%s\"", i, got, steps[i].rows);
	}
	assert_int_equal(store_profiles_write(f.st, NULL, 0, 3, 0, "{}"), STORE_OK);
	assert_int_equal(store_factory_reset(f.st), STORE_OK);
	struct prof_rows r = {0};
	assert_int_equal(store_profiles_load(f.st, collect_profile, &r), STORE_OK);
	assert_int_equal(r.n, 0);
	fx_close(&f);
}

static void newer_schema_refused(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	store_close(f.st);
	f.st = NULL;
	raw_exec(f.dir, "PRAGMA user_version = 9");
	char err[300] = "";
	struct store *st = not_null();
	assert_int_equal(store_open(f.dir, &st, err, sizeof err), STORE_E_VERSION);
	assert_null(st);
	assert_string_equal(err, "database schema 9 is newer than this evsed (8)");
	/* The database is left as it was. */
	assert_int_equal(raw_int(f.dir, "PRAGMA user_version"), 9);
	fx_close(&f);

	/* A database some newer evsed created from scratch. */
	fx_mkdtemp(&f);
	raw_exec(f.dir, "PRAGMA user_version = 10");
	st = not_null();
	assert_int_equal(store_open(f.dir, &st, err, sizeof err), STORE_E_VERSION);
	assert_null(st);
	assert_string_equal(err, "database schema 10 is newer than this evsed (8)");
	fx_close(&f);
}

static void open_fails_without_parent_directory(void **state)
{
	(void)state;
	struct fx f;
	fx_mkdtemp(&f);
	char dir[256], want[300], err[400] = "";
	path_fmt(dir, sizeof dir, "%s/missing/deeper", f.dir);
	path_fmt(want, sizeof want, "%s: No such file or directory", dir);
	struct store *st = not_null();
	assert_int_equal(store_open(dir, &st, err, sizeof err), STORE_E_IO);
	assert_null(st);
	assert_string_equal(err, want);
	assert_string_equal(store_errmsg(NULL), "no database");
	fx_close(&f);
}

/* ---- bounded tables -------------------------------------------------------- */

struct tag_rows {
	int n;
	char first[24];
	int first_status;
};

static void tag_row(void *user, const char *id_tag, int status, int64_t expiry_utc,
		    const char *parent)
{
	(void)expiry_utc;
	(void)parent;
	struct tag_rows *r = user;
	if (r->n++ == 0) {
		snprintf(r->first, sizeof r->first, "%s", id_tag);
		r->first_status = status;
	}
}

static void cache_keeps_the_last_added(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	char tag[24];
	for (int i = 0; i < 12; i++) {
		snprintf(tag, sizeof tag, "TAG%02d", i);
		assert_int_equal(store_cache_put(f.st, tag, 0, 0, "", 10), STORE_OK);
		/* An update keeps the tag's place (TAG02 still goes third). */
		if (i == 5)
			assert_int_equal(store_cache_put(f.st, "TAG02", 1, 0, "", 10), STORE_OK);
	}
	struct tag_rows r = {0};
	assert_int_equal(store_cache_load(f.st, tag_row, &r), STORE_OK);
	assert_int_equal(r.n, 10);
	assert_string_equal(r.first, "TAG02");
	assert_int_equal(r.first_status, 1);
	fx_close(&f);
}

static void count_fault(void *user, int64_t id, int conn, const char *fault, int64_t start_utc,
			int64_t end_utc)
{
	(void)id;
	(void)conn;
	(void)fault;
	(void)start_utc;
	int *n = user;
	n[0]++;
	if (end_utc == 0)
		n[1]++;
}

static void fault_history_keeps_the_last_and_the_active(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	/* One fault stays active from the start; then more than the history
	 * holds come and go. */
	assert_int_equal(store_fault_begin(f.st, 1, "rcd", 1), STORE_OK);
	for (int i = 0; i < STORE_FAULT_HISTORY_MAX + 50; i++) {
		assert_int_equal(store_fault_begin(f.st, 2, "overtemperature", 10 + i), STORE_OK);
		assert_int_equal(store_fault_end(f.st, 2, "overtemperature", 11 + i), STORE_OK);
	}
	int n[2] = {0, 0};
	assert_int_equal(store_fault_history(f.st, 0, count_fault, n), STORE_OK);
	assert_int_equal(n[0], STORE_FAULT_HISTORY_MAX + 1);
	assert_int_equal(n[1], 1);
	fx_close(&f);
}

static void count_user(void *user, const struct store_user *u)
{
	(void)u;
	(*(int *)user)++;
}

/* Web accounts (G2): put, replace, get, list; a factory reset forgets them. */
static void web_users_put_get_reset(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct store_user u = {.name = "installer",
			       .role = "installer",
			       .salt = "00ff",
			       .hash = "abcd",
			       .iterations = 120000,
			       .must_change = true};
	assert_int_equal(store_user_put(f.st, &u), STORE_OK);
	u.must_change = false;
	snprintf(u.hash, sizeof u.hash, "%s", "beef");
	assert_int_equal(store_user_put(f.st, &u), STORE_OK);
	struct store_user got;
	bool found = true;
	assert_int_equal(store_user_get(f.st, "nobody", &got, &found), STORE_OK);
	assert_false(found);
	assert_int_equal(store_user_get(f.st, "installer", &got, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(got.role, "installer");
	assert_string_equal(got.salt, "00ff");
	assert_string_equal(got.hash, "beef");
	assert_int_equal(got.iterations, 120000);
	assert_false(got.must_change);
	int n = 0;
	assert_int_equal(store_users_load(f.st, count_user, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_factory_reset(f.st), STORE_OK);
	n = 0;
	assert_int_equal(store_users_load(f.st, count_user, &n), STORE_OK);
	assert_int_equal(n, 0);
	fx_close(&f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(open_creates_directory_and_migrates),
    cmocka_unit_test(reopen_keeps_data),
    cmocka_unit_test(settings_put_and_load),
    cmocka_unit_test(cards_add_remove_load),
    cmocka_unit_test(sessions_begin_end_history),
    cmocka_unit_test(history_open_session_energy_from_register),
    cmocka_unit_test(register_never_goes_backwards),
    cmocka_unit_test(factory_reset_keeps_records),
    cmocka_unit_test(local_list_replace_apply_load),
    cmocka_unit_test(local_list_ten_thousand),
    cmocka_unit_test(recover_closes_open_sessions),
    cmocka_unit_test(recover_after_reopen),
    cmocka_unit_test(profiles_write_and_load),
    cmocka_unit_test(newer_schema_refused),
    cmocka_unit_test(open_fails_without_parent_directory),
    cmocka_unit_test(cache_keeps_the_last_added),
    cmocka_unit_test(fault_history_keeps_the_last_and_the_active),
    cmocka_unit_test(web_users_put_get_reset),
};

VCLOCK_MAIN("store", tests)
