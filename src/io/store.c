/* SPDX-License-Identifier: MIT */
/*
 * SQLite store. Migrations are an array of SQL scripts; PRAGMA user_version
 * is the number applied. Every write is one statement or one transaction, so
 * a power cut leaves either the old or the new state.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct store {
	sqlite3 *db;
	int64_t txq_count; /* cached row count of txq, -1 = not known yet */
};

/* Numbered migrations: index i brings the schema from version i to i + 1.
 * Never edit a released one; append. */
static const char *const migrations[] = {
    /* 1: settings, cards, sessions, registers */
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE cards (uid TEXT PRIMARY KEY COLLATE NOCASE, added_utc INTEGER NOT NULL);"
    "CREATE TABLE sessions ("
    "  number INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  connector INTEGER NOT NULL,"
    "  id_tag TEXT NOT NULL,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER,"
    "  start_mode TEXT NOT NULL,"
    "  stop_mode TEXT,"
    "  stop_reason TEXT,"
    "  meter_start_wh REAL NOT NULL,"
    "  meter_stop_wh REAL,"
    "  open INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX sessions_open ON sessions(open) WHERE open = 1;"
    "CREATE TABLE registers (connector INTEGER PRIMARY KEY, energy_wh REAL NOT NULL,"
    "  updated_utc INTEGER NOT NULL);",
    /* 2: OCPP: the durable transaction-message queue, the CSMS's
     * transaction ids, the authorization cache, connector availability */
    "ALTER TABLE sessions ADD COLUMN ocpp_tx_id INTEGER;"
    "CREATE TABLE txq (seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL,"
    "  session INTEGER NOT NULL, payload TEXT NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0, created_utc INTEGER NOT NULL);"
    "CREATE TABLE auth_cache (id_tag TEXT PRIMARY KEY COLLATE NOCASE,"
    "  status INTEGER NOT NULL, expiry_utc INTEGER NOT NULL, parent TEXT NOT NULL);"
    "CREATE TABLE availability (connector INTEGER PRIMARY KEY, operative INTEGER NOT NULL);",
    /* 3: fault history (G7 fault reports) */
    "CREATE TABLE fault_history (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  connector INTEGER NOT NULL, fault TEXT NOT NULL, start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER);"
    "CREATE INDEX fault_history_open ON fault_history(connector, fault) WHERE end_utc IS NULL;",
    /* 4: the OCPP Local Authorization List (C6) and its version (one row) */
    "CREATE TABLE local_list (id_tag TEXT PRIMARY KEY COLLATE NOCASE,"
    "  status INTEGER NOT NULL, expiry_utc INTEGER NOT NULL, parent TEXT NOT NULL);"
    "CREATE TABLE local_list_version (id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL);"
    "INSERT INTO local_list_version(id, version) VALUES(1, 0);",
    /* 5: OCPP charging profiles (C8), as their csChargingProfiles JSON */
    "CREATE TABLE charging_profiles (id INTEGER PRIMARY KEY, connector INTEGER NOT NULL,"
    "  profile TEXT NOT NULL);",
    /* 6: web UI accounts (G2): PBKDF2-HMAC-SHA256 hashes, never passwords */
    "CREATE TABLE web_users (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
    "  salt TEXT NOT NULL, hash TEXT NOT NULL, iterations INTEGER NOT NULL,"
    "  must_change INTEGER NOT NULL);",
    /* 7: the OCPP firmware update under way (C10), one row: its state as
     * the engine's JSON text */
    "CREATE TABLE firmware_update (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);",
    /* 8: OCPP security events (C12): the queue of SecurityEventNotifications
     * (sent = 0) and the security log (all) */
    "CREATE TABLE security_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL,"
    "  utc INTEGER NOT NULL, tech_info TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX security_events_unsent ON security_events(seq) WHERE sent = 0;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

const char *store_errmsg(struct store *st)
{
	return st && st->db ? sqlite3_errmsg(st->db) : "no database";
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *q;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

static enum store_err migrate(sqlite3 *db, char *err, size_t errlen)
{
	int v = user_version(db);
	if (v < 0) {
		snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(db));
		return STORE_E_IO;
	}
	if (v > N_MIGRATIONS) {
		snprintf(err, errlen, "database schema %d is newer than this evsed (%d)", v,
			 N_MIGRATIONS);
		return STORE_E_VERSION;
	}
	for (; v < N_MIGRATIONS; v++) {
		char *msg = NULL;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			snprintf(err, errlen, "migration %d failed: %s", v + 1,
				 msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return STORE_E_IO;
		}
	}
	return STORE_OK;
}

enum store_err store_open(const char *dir, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return STORE_E_IO;
	}
	char path[512];
	if ((size_t)snprintf(path, sizeof path, "%s/evsed.db", dir) >= sizeof path) {
		snprintf(err, errlen, "%s: path too long", dir);
		return STORE_E_IO;
	}
	struct store *st = calloc(1, sizeof *st);
	if (st)
		st->txq_count = -1;
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return STORE_E_NOMEM;
	}
	/* The store holds secrets (the CSMS password): only evsed's user may
	 * read it; SQLite gives its -wal and -shm files the same mode. */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		(void)fchmod(fd, 0600);
		close(fd);
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		store_close(st);
		return STORE_E_IO;
	}
	sqlite3_busy_timeout(st->db, 2000);
	char *msg = NULL;
	if (sqlite3_exec(st->db,
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 "PRAGMA foreign_keys = ON;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		store_close(st);
		return STORE_E_IO;
	}
	enum store_err e = migrate(st->db, err, errlen);
	if (e != STORE_OK) {
		store_close(st);
		return e;
	}
	*out = st;
	return STORE_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

int store_schema_version(struct store *st)
{
	return user_version(st->db);
}

/* Prepare, bind with a format ("t" text, "i" int64, "d" double, "n" null)
 * and step once. */
static int run(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		switch (fmt[i]) {
		case 't':
			sqlite3_bind_text(q, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
			break;
		case 'i':
			sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
			break;
		case 'd':
			sqlite3_bind_double(q, i + 1, va_arg(ap, double));
			break;
		default:
			sqlite3_bind_null(q, i + 1);
			break;
		}
	}
	va_end(ap);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

enum store_err store_settings_load(struct store *st, store_kv_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT key, value FROM settings ORDER BY key", -1, &q,
			       NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, (const char *)sqlite3_column_text(q, 0),
		   (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_setting_put(struct store *st, const char *key, const char *value)
{
	return run(st,
		   "INSERT INTO settings(key, value) VALUES(?, ?) "
		   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		   "tt", key, value) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_cards_load(struct store *st, store_card_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT uid FROM cards ORDER BY added_utc, rowid", -1, &q,
			       NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_card_add(struct store *st, const char *uid, int64_t utc)
{
	return run(st, "INSERT OR IGNORE INTO cards(uid, added_utc) VALUES(?, ?)", "ti", uid,
		   utc) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_card_replace(struct store *st, const char *old_uid, const char *uid)
{
	/* In place: the card keeps its slot (its row and time of addition). */
	return run(st, "UPDATE cards SET uid = ? WHERE uid = ?", "tt", uid, old_uid) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_card_remove(struct store *st, const char *uid)
{
	return run(st, "DELETE FROM cards WHERE uid = ?", "t", uid) == 0 ? STORE_OK : STORE_E_IO;
}

int64_t store_session_begin(struct store *st, const struct chg_session *s)
{
	if (run(st,
		"INSERT INTO sessions(connector, id_tag, start_utc, start_mode, meter_start_wh)"
		" VALUES(?, ?, ?, ?, ?)",
		"ititd", (int64_t)s->connector, s->id_tag, s->start_utc,
		start_mode_name(s->start_mode), s->meter_start_wh) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

enum store_err store_session_end(struct store *st, const struct chg_session *s)
{
	return run(st,
		   "UPDATE sessions SET end_utc = ?, stop_mode = ?, stop_reason = ?,"
		   " meter_stop_wh = ?, open = 0 WHERE number = ?",
		   "ittdi", s->stop_utc, s->stop_mode ? s->stop_mode : "",
		   stop_reason_name(s->reason), s->meter_stop_wh, s->number) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

static const char *col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

enum store_err store_history(struct store *st, int limit, store_session_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT s.number, s.connector, s.id_tag, s.start_utc,"
			       " COALESCE(s.end_utc, 0), s.start_mode, COALESCE(s.stop_mode, ''),"
			       " COALESCE(s.stop_reason, ''),"
			       " COALESCE(s.meter_stop_wh, r.energy_wh, s.meter_start_wh)"
			       "   - s.meter_start_wh, s.open"
			       " FROM sessions s LEFT JOIN registers r ON r.connector = s.connector"
			       " ORDER BY s.number DESC LIMIT ?",
			       -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	sqlite3_bind_int(q, 1, limit > 0 ? limit : -1);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_session s = {
		    .number = sqlite3_column_int64(q, 0),
		    .connector = sqlite3_column_int(q, 1),
		    .id_tag = col_text(q, 2),
		    .start_utc = sqlite3_column_int64(q, 3),
		    .end_utc = sqlite3_column_int64(q, 4),
		    .start_mode = col_text(q, 5),
		    .stop_mode = col_text(q, 6),
		    .stop_reason = col_text(q, 7),
		    .energy_wh = sqlite3_column_double(q, 8),
		    .open = sqlite3_column_int(q, 9) != 0,
		};
		if (s.energy_wh < 0)
			s.energy_wh = 0;
		fn(user, &s);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_register_put(struct store *st, int conn, double wh, int64_t utc)
{
	return run(st,
		   "INSERT INTO registers(connector, energy_wh, updated_utc) VALUES(?, ?, ?) "
		   "ON CONFLICT(connector) DO UPDATE SET"
		   " energy_wh = MAX(energy_wh, excluded.energy_wh),"
		   " updated_utc = MAX(updated_utc, excluded.updated_utc)",
		   "idi", (int64_t)conn, wh, utc) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

double store_register_get(struct store *st, int conn)
{
	sqlite3_stmt *q;
	double wh = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT energy_wh FROM registers WHERE connector = ?", -1,
			       &q, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(q, 1, conn);
	if (sqlite3_step(q) == SQLITE_ROW)
		wh = sqlite3_column_double(q, 0);
	sqlite3_finalize(q);
	return wh;
}

static int exec1(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

enum store_err store_begin(struct store *st)
{
	return exec1(st, "BEGIN IMMEDIATE") == 0 ? STORE_OK : STORE_E_IO;
}

enum store_err store_commit(struct store *st)
{
	if (exec1(st, "COMMIT") == 0)
		return STORE_OK;
	exec1(st, "ROLLBACK");
	return STORE_E_IO;
}

void store_rollback(struct store *st)
{
	exec1(st, "ROLLBACK");
}

/* The session row number, as the charger's struct (strings copied). */
static bool load_session(struct store *st, int64_t number, struct chg_session *s)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT connector, id_tag, start_utc, COALESCE(end_utc, start_utc),"
			       " meter_start_wh, COALESCE(meter_stop_wh, meter_start_wh)"
			       " FROM sessions WHERE number = ?",
			       -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(q, 1, number);
	bool ok = sqlite3_step(q) == SQLITE_ROW;
	if (ok) {
		memset(s, 0, sizeof *s);
		s->number = number;
		s->connector = sqlite3_column_int(q, 0);
		snprintf(s->id_tag, sizeof s->id_tag, "%s", col_text(q, 1));
		s->start_utc = sqlite3_column_int64(q, 2);
		s->stop_utc = sqlite3_column_int64(q, 3);
		s->meter_start_wh = sqlite3_column_double(q, 4);
		s->meter_stop_wh = sqlite3_column_double(q, 5);
		s->reason = STOP_POWER_LOSS;
		s->stop_mode = "power_loss";
	}
	sqlite3_finalize(q);
	return ok;
}

enum store_err store_recover_with(struct store *st, store_recover_fn fn, void *user, int *closed)
{
	*closed = 0;
	if (store_begin(st) != STORE_OK)
		return STORE_E_IO;
	/* The sessions still open, oldest first. */
	int64_t numbers[256];
	int n = 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT number FROM sessions WHERE open = 1 ORDER BY number",
			       -1, &q, NULL) != SQLITE_OK) {
		store_rollback(st);
		return STORE_E_IO;
	}
	while (sqlite3_step(q) == SQLITE_ROW && n < (int)(sizeof numbers / sizeof numbers[0]))
		numbers[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	/* One transaction: all open sessions are closed (and their ends
	 * queued by fn), or none. */
	static const char sql[] =
	    "UPDATE sessions SET"
	    " meter_stop_wh = MAX(meter_start_wh, COALESCE((SELECT energy_wh FROM registers r"
	    "   WHERE r.connector = sessions.connector), meter_start_wh)),"
	    " end_utc = MAX(start_utc, COALESCE((SELECT updated_utc FROM registers r"
	    "   WHERE r.connector = sessions.connector), start_utc)),"
	    " stop_reason = 'PowerLoss', stop_mode = 'power_loss', open = 0"
	    " WHERE open = 1;";
	if (exec1(st, sql) != 0) {
		store_rollback(st);
		return STORE_E_IO;
	}
	int changed = sqlite3_changes(st->db);
	for (int i = 0; fn && i < n; i++) {
		struct chg_session s;
		if (!load_session(st, numbers[i], &s) || !fn(user, &s)) {
			store_rollback(st);
			return STORE_E_IO;
		}
	}
	if (store_commit(st) != STORE_OK)
		return STORE_E_IO;
	*closed = changed;
	return STORE_OK;
}

enum store_err store_recover(struct store *st, int *closed)
{
	return store_recover_with(st, NULL, NULL, closed);
}

/* ---- OCPP: transaction-message queue ------------------------------------ */

int64_t store_txq_push(struct store *st, const char *action, int64_t session, const char *payload,
		       int64_t utc)
{
	if (run(st, "INSERT INTO txq(action, session, payload, created_utc) VALUES(?, ?, ?, ?)",
		"titi", action, session, payload, utc) != 0)
		return -1;
	/* Inside a caller's transaction the count may yet be rolled back. */
	if (sqlite3_get_autocommit(st->db) && st->txq_count >= 0)
		st->txq_count++;
	else
		st->txq_count = -1;
	return sqlite3_last_insert_rowid(st->db);
}

bool store_txq_head(struct store *st, struct store_qmsg *out)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT seq, action, session, payload, attempts FROM txq"
			       " ORDER BY seq LIMIT 1",
			       -1, &q, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(q) == SQLITE_ROW;
	if (ok) {
		out->seq = sqlite3_column_int64(q, 0);
		snprintf(out->action, sizeof out->action, "%s", col_text(q, 1));
		out->session = sqlite3_column_int64(q, 2);
		out->payload = strdup(col_text(q, 3));
		out->attempts = sqlite3_column_int(q, 4);
		ok = out->payload != NULL;
	}
	sqlite3_finalize(q);
	return ok;
}

enum store_err store_txq_pop(struct store *st, int64_t seq)
{
	/* A delivered message's removal need not reach the disk at once: if a
	 * power cut undoes it, the message is only sent again (OCPP delivery
	 * is at least once). It becomes durable with the next FULL commit.
	 * Adding messages stays synchronous = FULL. */
	bool outside = sqlite3_get_autocommit(st->db) != 0;
	if (outside)
		exec1(st, "PRAGMA synchronous = NORMAL");
	int rc = run(st, "DELETE FROM txq WHERE seq = ?", "i", seq);
	int changed = sqlite3_changes(st->db);
	if (outside)
		exec1(st, "PRAGMA synchronous = FULL");
	if (rc != 0)
		return STORE_E_IO;
	if (st->txq_count > 0 && changed > 0)
		st->txq_count--;
	return STORE_OK;
}

enum store_err store_txq_attempts(struct store *st, int64_t seq, int attempts)
{
	return run(st, "UPDATE txq SET attempts = ? WHERE seq = ?", "ii", (int64_t)attempts, seq) ==
		       0
		   ? STORE_OK
		   : STORE_E_IO;
}

static int64_t one_int(struct store *st, const char *sql, int64_t arg, bool has_arg, bool *found)
{
	sqlite3_stmt *q;
	int64_t v = 0;
	if (found)
		*found = false;
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (has_arg)
		sqlite3_bind_int64(q, 1, arg);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		v = sqlite3_column_int64(q, 0);
		if (found)
			*found = true;
	}
	sqlite3_finalize(q);
	return v;
}

int64_t store_txq_count(struct store *st)
{
	if (st->txq_count < 0 || !sqlite3_get_autocommit(st->db)) {
		int64_t n = one_int(st, "SELECT COUNT(*) FROM txq", 0, false, NULL);
		if (!sqlite3_get_autocommit(st->db))
			return n;
		st->txq_count = n;
	}
	return st->txq_count;
}

enum store_err store_tx_set(struct store *st, int64_t session, int transaction_id)
{
	return run(st, "UPDATE sessions SET ocpp_tx_id = ? WHERE number = ?", "ii",
		   (int64_t)transaction_id, session) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

bool store_tx_get(struct store *st, int64_t session, int *transaction_id)
{
	bool found;
	int64_t v =
	    one_int(st, "SELECT ocpp_tx_id FROM sessions WHERE number = ?", session, true, &found);
	if (found)
		*transaction_id = (int)v;
	return found;
}

/* ---- OCPP: authorization cache, availability ------------------------------ */

enum store_err store_cache_put(struct store *st, const char *id_tag, int status, int64_t expiry_utc,
			       const char *parent, int keep)
{
	if (run(st,
		"INSERT INTO auth_cache(id_tag, status, expiry_utc, parent) VALUES(?, ?, ?, ?)"
		" ON CONFLICT(id_tag) DO UPDATE SET status = excluded.status,"
		" expiry_utc = excluded.expiry_utc, parent = excluded.parent",
		"tiit", id_tag, (int64_t)status, expiry_utc, parent) != 0)
		return STORE_E_IO;
	return run(st,
		   "DELETE FROM auth_cache WHERE rowid <= (SELECT rowid FROM auth_cache"
		   " ORDER BY rowid DESC LIMIT 1 OFFSET ?)",
		   "i", (int64_t)(keep > 0 ? keep : 0)) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_cache_clear(struct store *st)
{
	return exec1(st, "DELETE FROM auth_cache") == 0 ? STORE_OK : STORE_E_IO;
}

/* Every row of an id tag table (the cache, the local list): sql selects
 * id_tag, status, expiry_utc, parent. */
static enum store_err load_tags(struct store *st, const char *sql,
				void (*fn)(void *user, const char *id_tag, int status,
					   int64_t expiry_utc, const char *parent),
				void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, col_text(q, 0), sqlite3_column_int(q, 1), sqlite3_column_int64(q, 2),
		   col_text(q, 3));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_cache_load(struct store *st, store_cache_fn fn, void *user)
{
	return load_tags(st,
			 "SELECT id_tag, status, expiry_utc, parent FROM auth_cache ORDER BY rowid",
			 fn, user);
}

enum store_err store_availability_put(struct store *st, int conn, bool operative)
{
	return run(st,
		   "INSERT INTO availability(connector, operative) VALUES(?, ?)"
		   " ON CONFLICT(connector) DO UPDATE SET operative = excluded.operative",
		   "ii", (int64_t)conn, (int64_t)operative) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_availability_load(struct store *st, store_avail_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT connector, operative FROM availability", -1, &q,
			       NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, sqlite3_column_int(q, 0), sqlite3_column_int(q, 1) != 0);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

/* ---- OCPP: Local Authorization List ---------------------------------------- */

/* Write e[0..n) (insert or replace; delete those with remove set) and the
 * version, inside the caller's transaction, with one prepared statement of
 * each kind. */
static int list_write(struct store *st, const struct store_list_entry *e, int n, int version)
{
	sqlite3_stmt *ins = NULL, *del = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(
		st->db,
		"INSERT OR REPLACE INTO local_list(id_tag, status, expiry_utc, parent)"
		" VALUES(?, ?, ?, ?)",
		-1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "DELETE FROM local_list WHERE id_tag = ?", -1, &del, NULL) !=
		SQLITE_OK)
		goto out;
	for (int i = 0; i < n; i++) {
		sqlite3_stmt *q = e[i].remove ? del : ins;
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, e[i].id_tag, -1, SQLITE_STATIC);
		if (!e[i].remove) {
			sqlite3_bind_int(q, 2, e[i].status);
			sqlite3_bind_int64(q, 3, e[i].expiry_utc);
			sqlite3_bind_text(q, 4, e[i].parent, -1, SQLITE_STATIC);
		}
		if (sqlite3_step(q) != SQLITE_DONE)
			goto out;
	}
	rc = run(st, "UPDATE local_list_version SET version = ?", "i", (int64_t)version);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(del);
	return rc;
}

static enum store_err list_update(struct store *st, bool replace, const struct store_list_entry *e,
				  int n, int version)
{
	if (store_begin(st) != STORE_OK)
		return STORE_E_IO;
	if ((replace && exec1(st, "DELETE FROM local_list") != 0) ||
	    list_write(st, e, n, version) != 0) {
		store_rollback(st);
		return STORE_E_IO;
	}
	return store_commit(st);
}

enum store_err store_list_replace(struct store *st, const struct store_list_entry *e, int n,
				  int version)
{
	return list_update(st, true, e, n, version);
}

enum store_err store_list_apply(struct store *st, const struct store_list_entry *e, int n,
				int version)
{
	return list_update(st, false, e, n, version);
}

enum store_err store_list_load(struct store *st, store_list_fn fn, void *user, int *version)
{
	*version = (int)one_int(st, "SELECT version FROM local_list_version", 0, false, NULL);
	return load_tags(
	    st, "SELECT id_tag, status, expiry_utc, parent FROM local_list ORDER BY id_tag", fn,
	    user);
}

/* ---- OCPP: charging profiles ---------------------------------------------- */

enum store_err store_profiles_write(struct store *st, const int32_t *removed, int n, int32_t id,
				    int conn, const char *json)
{
	if (store_begin(st) != STORE_OK)
		return STORE_E_IO;
	for (int i = 0; i < n; i++)
		if (run(st, "DELETE FROM charging_profiles WHERE id = ?", "i",
			(int64_t)removed[i]) != 0)
			goto fail;
	if (json && run(st,
			"INSERT OR REPLACE INTO charging_profiles(id, connector, profile)"
			" VALUES(?, ?, ?)",
			"iit", (int64_t)id, (int64_t)conn, json) != 0)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return STORE_E_IO;
}

enum store_err store_profiles_load(struct store *st, store_profile_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT connector, profile FROM charging_profiles ORDER BY id", -1,
			       &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, sqlite3_column_int(q, 0), col_text(q, 1));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

/* ---- firmware update (C10) ------------------------------------------------ */

enum store_err store_firmware_put(struct store *st, const char *state)
{
	int rc = state ? run(st,
			     "INSERT INTO firmware_update(id, state) VALUES(1, ?) "
			     "ON CONFLICT(id) DO UPDATE SET state = excluded.state",
			     "t", state)
		       : run(st, "DELETE FROM firmware_update", "");
	return rc == 0 ? STORE_OK : STORE_E_IO;
}

enum store_err store_firmware_get(struct store *st, char **state)
{
	*state = NULL;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT state FROM firmware_update WHERE id = 1", -1, &q,
			       NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*state = strdup(col_text(q, 0));
		rc = *state ? SQLITE_DONE : SQLITE_NOMEM;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

/* ---- security events (C12) -------------------------------------------------- */

int64_t store_secevent_push(struct store *st, const char *type, int64_t utc, const char *tech_info)
{
	if (run(st, "INSERT INTO security_events(type, utc, tech_info) VALUES(?, ?, ?)", "tit",
		type, utc, tech_info ? tech_info : "") != 0)
		return -1;
	int64_t seq = sqlite3_last_insert_rowid(st->db);
	/* The log keeps the newest STORE_SECEVENTS_MAX; unsent ones are never
	 * dropped. */
	(void)run(st,
		  "DELETE FROM security_events WHERE sent = 1 AND seq <= "
		  "(SELECT seq FROM security_events ORDER BY seq DESC LIMIT 1 OFFSET ?)",
		  "i", (int64_t)STORE_SECEVENTS_MAX);
	return seq;
}

bool store_secevent_head(struct store *st, struct store_secevent *out)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(
		st->db,
		"SELECT seq, type, utc, tech_info FROM security_events WHERE sent = 0 "
		"ORDER BY seq LIMIT 1",
		-1, &q, NULL) != SQLITE_OK)
		return false;
	bool found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		out->seq = sqlite3_column_int64(q, 0);
		snprintf(out->type, sizeof out->type, "%s", col_text(q, 1));
		out->utc = sqlite3_column_int64(q, 2);
		snprintf(out->tech_info, sizeof out->tech_info, "%s", col_text(q, 3));
	}
	sqlite3_finalize(q);
	return found;
}

enum store_err store_secevent_sent(struct store *st, int64_t seq)
{
	return run(st, "UPDATE security_events SET sent = 1 WHERE seq = ?", "i", seq) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_secevent_log(struct store *st, int64_t from_utc, int64_t to_utc,
				  store_secevent_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT seq, type, utc, tech_info FROM security_events "
			       "WHERE utc >= ? AND utc <= ? ORDER BY seq",
			       -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	sqlite3_bind_int64(q, 1, from_utc);
	sqlite3_bind_int64(q, 2, to_utc ? to_utc : INT64_MAX);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_secevent e;
		e.seq = sqlite3_column_int64(q, 0);
		snprintf(e.type, sizeof e.type, "%s", col_text(q, 1));
		e.utc = sqlite3_column_int64(q, 2);
		snprintf(e.tech_info, sizeof e.tech_info, "%s", col_text(q, 3));
		fn(user, &e);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

/* ---- fault history -------------------------------------------------------- */

enum store_err store_fault_begin(struct store *st, int conn, const char *fault, int64_t utc)
{
	if (run(st, "INSERT INTO fault_history(connector, fault, start_utc) VALUES(?, ?, ?)", "iti",
		(int64_t)conn, fault, utc) != 0)
		return STORE_E_IO;
	return run(st,
		   "DELETE FROM fault_history WHERE end_utc IS NOT NULL AND id <= (SELECT id FROM"
		   " fault_history ORDER BY id DESC LIMIT 1 OFFSET ?)",
		   "i", (int64_t)STORE_FAULT_HISTORY_MAX) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_fault_end(struct store *st, int conn, const char *fault, int64_t utc)
{
	return run(st,
		   "UPDATE fault_history SET end_utc = MAX(start_utc, ?) WHERE connector = ?"
		   " AND fault = ? AND end_utc IS NULL",
		   "iit", utc, (int64_t)conn, fault) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_fault_close_all(struct store *st, int64_t utc)
{
	return run(st, "UPDATE fault_history SET end_utc = MAX(start_utc, ?) WHERE end_utc IS NULL",
		   "i", utc) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_fault_history(struct store *st, int limit, store_fault_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, connector, fault, start_utc, COALESCE(end_utc, 0)"
			       " FROM fault_history ORDER BY id DESC LIMIT ?",
			       -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	sqlite3_bind_int(q, 1, limit > 0 ? limit : -1);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(user, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1), col_text(q, 2),
		   sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_factory_reset(struct store *st)
{
	/* Settings and what users configured go; the charging and fault history,
	 * the energy registers and transaction messages not yet delivered stay
	 * (they are records, and the CSMS must still get them). */
	if (store_begin(st) != STORE_OK)
		return STORE_E_IO;
	if (exec1(st, "DELETE FROM settings; DELETE FROM cards; DELETE FROM auth_cache;"
		      " DELETE FROM availability; DELETE FROM local_list;"
		      " UPDATE local_list_version SET version = 0;"
		      " DELETE FROM charging_profiles; DELETE FROM web_users;") != 0) {
		store_rollback(st);
		return STORE_E_IO;
	}
	return store_commit(st);
}

/* ---- web UI accounts (G2) ------------------------------------------------ */

static void user_row(sqlite3_stmt *q, struct store_user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->name, sizeof u->name, "%s", col_text(q, 0));
	snprintf(u->role, sizeof u->role, "%s", col_text(q, 1));
	snprintf(u->salt, sizeof u->salt, "%s", col_text(q, 2));
	snprintf(u->hash, sizeof u->hash, "%s", col_text(q, 3));
	u->iterations = sqlite3_column_int(q, 4);
	u->must_change = sqlite3_column_int(q, 5) != 0;
}

enum store_err store_user_get(struct store *st, const char *name, struct store_user *out,
			      bool *found)
{
	sqlite3_stmt *q;
	*found = false;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, role, salt, hash, iterations, must_change"
			       " FROM web_users WHERE name = ?",
			       -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		user_row(q, out);
		*found = true;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}

enum store_err store_user_put(struct store *st, const struct store_user *u)
{
	return run(st,
		   "INSERT INTO web_users(name, role, salt, hash, iterations, must_change)"
		   " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
		   " role = excluded.role, salt = excluded.salt, hash = excluded.hash,"
		   " iterations = excluded.iterations, must_change = excluded.must_change",
		   "ttttii", u->name, u->role, u->salt, u->hash, (int64_t)u->iterations,
		   (int64_t)u->must_change) == 0
		   ? STORE_OK
		   : STORE_E_IO;
}

enum store_err store_users_load(struct store *st, store_user_fn fn, void *user)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, role, salt, hash, iterations, must_change"
			       " FROM web_users ORDER BY name",
			       -1, &q, NULL) != SQLITE_OK)
		return STORE_E_IO;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_user u;
		user_row(q, &u);
		fn(user, &u);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : STORE_E_IO;
}
