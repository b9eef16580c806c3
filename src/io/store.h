/* SPDX-License-Identifier: MIT */
/*
 * The store: one SQLite database (WAL, synchronous FULL) in the data
 * directory holding run-time settings, the local card list, the charging
 * history and the energy registers. Schema changes are numbered migrations
 * (docs/store.md). A session is written before the charger energises it and
 * its end before the charger goes on; after a power cut store_recover()
 * closes what was open with reason PowerLoss.
 */
#ifndef EVSED_STORE_H
#define EVSED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/charger.h"

enum store_err {
	STORE_OK = 0,
	STORE_E_IO, /* SQLite or file system error: see the message */
	STORE_E_NOMEM,
	STORE_E_VERSION, /* database written by a newer evsed */
};

struct store;

/* Open (creating if needed) <dir>/evsed.db and migrate it. On failure *out
 * is NULL and err says why. */
enum store_err store_open(const char *dir, struct store **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void store_close(struct store *st);

/* The schema version the database is at. */
int store_schema_version(struct store *st);

/* Settings changed at run time. */
typedef void (*store_kv_fn)(void *user, const char *key, const char *value);
enum store_err store_settings_load(struct store *st, store_kv_fn fn, void *user)
    __attribute__((warn_unused_result));
enum store_err store_setting_put(struct store *st, const char *key, const char *value)
    __attribute__((warn_unused_result));

/* Local card list. */
typedef void (*store_card_fn)(void *user, const char *uid);
enum store_err store_cards_load(struct store *st, store_card_fn fn, void *user)
    __attribute__((warn_unused_result));
enum store_err store_card_add(struct store *st, const char *uid, int64_t utc)
    __attribute__((warn_unused_result));
enum store_err store_card_replace(struct store *st, const char *old_uid, const char *uid)
    __attribute__((warn_unused_result));
enum store_err store_card_remove(struct store *st, const char *uid)
    __attribute__((warn_unused_result));

/* Sessions. begin returns the new session number (> 0) or -1. */
int64_t store_session_begin(struct store *st, const struct chg_session *s);
enum store_err store_session_end(struct store *st, const struct chg_session *s)
    __attribute__((warn_unused_result));

/* One history row (G7). Strings are owned by the store and valid during the
 * callback only. */
struct store_session {
	int64_t number;
	int connector;
	const char *id_tag;
	int64_t start_utc, end_utc; /* end 0 while open */
	const char *start_mode, *stop_mode, *stop_reason;
	double energy_wh;
	bool open;
};
typedef void (*store_session_fn)(void *user, const struct store_session *s);
/* Newest first, at most limit rows (limit <= 0: all). */
enum store_err store_history(struct store *st, int limit, store_session_fn fn, void *user)
    __attribute__((warn_unused_result));

/* Energy registers: put keeps the maximum of the stored and given value. */
enum store_err store_register_put(struct store *st, int conn, double wh, int64_t utc)
    __attribute__((warn_unused_result));
double store_register_get(struct store *st, int conn);

/* Close sessions left open by a power cut: end time = the connector
 * register's last update, energy = the register, reason PowerLoss.
 * *closed receives how many. */
enum store_err store_recover(struct store *st, int *closed) __attribute__((warn_unused_result));

/* As store_recover, and fn (may be NULL) is called for each session closed,
 * inside the same transaction, so that what it writes (e.g. the queued
 * StopTransaction) is committed together with the close; fn returning false
 * rolls everything back. */
typedef bool (*store_recover_fn)(void *user, const struct chg_session *s);
enum store_err store_recover_with(struct store *st, store_recover_fn fn, void *user, int *closed)
    __attribute__((warn_unused_result));

/* Group writes into one transaction (power-cut atomic). */
enum store_err store_begin(struct store *st) __attribute__((warn_unused_result));
enum store_err store_commit(struct store *st) __attribute__((warn_unused_result));
void store_rollback(struct store *st);

/* OCPP transaction-message queue (C5). */
struct store_qmsg {
	int64_t seq;
	char action[24];
	int64_t session;
	char *payload; /* malloc'd; the caller frees */
	int attempts;
};
int64_t store_txq_push(struct store *st, const char *action, int64_t session, const char *payload,
		       int64_t utc);
bool store_txq_head(struct store *st, struct store_qmsg *out);
enum store_err store_txq_pop(struct store *st, int64_t seq) __attribute__((warn_unused_result));
enum store_err store_txq_attempts(struct store *st, int64_t seq, int attempts)
    __attribute__((warn_unused_result));
int64_t store_txq_count(struct store *st);
/* The transactionId the CSMS gave to a session. */
enum store_err store_tx_set(struct store *st, int64_t session, int transaction_id)
    __attribute__((warn_unused_result));
bool store_tx_get(struct store *st, int64_t session, int *transaction_id);

/* OCPP authorization cache. status is enum ocpp_auth_status. Keeps the keep
 * id tags added last (an update keeps a tag's place), as the engine's cache
 * in memory does, so the table cannot grow without bound. */
enum store_err store_cache_put(struct store *st, const char *id_tag, int status, int64_t expiry_utc,
			       const char *parent, int keep) __attribute__((warn_unused_result));
enum store_err store_cache_clear(struct store *st) __attribute__((warn_unused_result));
typedef void (*store_cache_fn)(void *user, const char *id_tag, int status, int64_t expiry_utc,
			       const char *parent);
enum store_err store_cache_load(struct store *st, store_cache_fn fn, void *user)
    __attribute__((warn_unused_result));

/* OCPP Local Authorization List (C6). status is enum ocpp_auth_status;
 * remove (apply only) deletes id_tag. replace makes e[0..n) the whole list,
 * apply adds / updates / removes them; each is one transaction with the new
 * version. */
struct store_list_entry {
	const char *id_tag;
	int status;
	int64_t expiry_utc;
	const char *parent;
	bool remove;
};
enum store_err store_list_replace(struct store *st, const struct store_list_entry *e, int n,
				  int version) __attribute__((warn_unused_result));
enum store_err store_list_apply(struct store *st, const struct store_list_entry *e, int n,
				int version) __attribute__((warn_unused_result));
typedef void (*store_list_fn)(void *user, const char *id_tag, int status, int64_t expiry_utc,
			      const char *parent);
/* Every entry, and *version (0 if never set). */
enum store_err store_list_load(struct store *st, store_list_fn fn, void *user, int *version)
    __attribute__((warn_unused_result));

/* OCPP charging profiles (C8): one transaction removes the profiles with
 * ids removed[0..n) and, if json is not NULL, stores profile id of
 * connector conn (its JSON text, replacing one with the same id). load
 * calls fn for each, in id order. */
enum store_err store_profiles_write(struct store *st, const int32_t *removed, int n, int32_t id,
				    int conn, const char *json) __attribute__((warn_unused_result));
typedef void (*store_profile_fn)(void *user, int conn, const char *json);
enum store_err store_profiles_load(struct store *st, store_profile_fn fn, void *user)
    __attribute__((warn_unused_result));

/* The OCPP firmware update under way (C10): its state as text (NULL: none,
 * the row is removed). get gives a malloc'd copy (the caller frees) or NULL
 * if there is none. */
enum store_err store_firmware_put(struct store *st, const char *state)
    __attribute__((warn_unused_result));
enum store_err store_firmware_get(struct store *st, char **state)
    __attribute__((warn_unused_result));

/* OCPP security events (C12): a queue of the events not yet sent
 * (SecurityEventNotification), kept afterwards as the security log (the
 * newest STORE_SECEVENTS_MAX sent ones). push returns the seq (> 0) or -1;
 * head gives the oldest unsent (false: none); sent marks it sent; log calls
 * fn for each event of [from_utc, to_utc] (to 0: open), oldest first. */
#define STORE_SECEVENTS_MAX 1000
struct store_secevent {
	int64_t seq;
	char type[51];
	int64_t utc;
	char tech_info[256];
};
int64_t store_secevent_push(struct store *st, const char *type, int64_t utc, const char *tech_info);
bool store_secevent_head(struct store *st, struct store_secevent *out);
enum store_err store_secevent_sent(struct store *st, int64_t seq)
    __attribute__((warn_unused_result));
typedef void (*store_secevent_fn)(void *user, const struct store_secevent *e);
enum store_err store_secevent_log(struct store *st, int64_t from_utc, int64_t to_utc,
				  store_secevent_fn fn, void *user)
    __attribute__((warn_unused_result));

/* ChangeAvailability, persisted across restarts (0 = the charger). */
enum store_err store_availability_put(struct store *st, int conn, bool operative)
    __attribute__((warn_unused_result));
typedef void (*store_avail_fn)(void *user, int conn, bool operative);
enum store_err store_availability_load(struct store *st, store_avail_fn fn, void *user)
    __attribute__((warn_unused_result));

/* Fault history (G7): a fault began / ended on conn (0 = the charger). The
 * history keeps the last STORE_FAULT_HISTORY_MAX faults (and every fault
 * still active). */
#define STORE_FAULT_HISTORY_MAX 1000
enum store_err store_fault_begin(struct store *st, int conn, const char *fault, int64_t utc)
    __attribute__((warn_unused_result));
enum store_err store_fault_end(struct store *st, int conn, const char *fault, int64_t utc)
    __attribute__((warn_unused_result));
/* At start: faults left open by a stop or a power cut end now (the board
 * reports again what is still wrong). */
enum store_err store_fault_close_all(struct store *st, int64_t utc)
    __attribute__((warn_unused_result));
/* end_utc 0 = still active. Newest first, at most limit (<= 0: all). */
typedef void (*store_fault_fn)(void *user, int64_t id, int conn, const char *fault,
			       int64_t start_utc, int64_t end_utc);
enum store_err store_fault_history(struct store *st, int limit, store_fault_fn fn, void *user)
    __attribute__((warn_unused_result));

/* Factory reset (MQ200 DIP switches all off, A7): forget run-time settings,
 * the card list, the authorization cache, the local list, availability and the
 * web accounts (back to the default passwords);
 * keep the history, registers and undelivered transaction messages. */
enum store_err store_factory_reset(struct store *st) __attribute__((warn_unused_result));

/* The last SQLite error message. */
const char *store_errmsg(struct store *st);

/* Web UI accounts (G2). Only hashes are stored: salt and hash are lower-case
 * hex (16 and 32 bytes), iterations of PBKDF2-HMAC-SHA256. must_change: the
 * password is a default or was reset, and may only be used to set a new one. */
struct store_user {
	char name[33];
	char role[16];
	char salt[33];
	char hash[65];
	int iterations;
	bool must_change;
};
/* *found false (and STORE_OK) when there is no such account. */
enum store_err store_user_get(struct store *st, const char *name, struct store_user *out,
			      bool *found) __attribute__((warn_unused_result));
/* Insert or replace the account u->name. */
enum store_err store_user_put(struct store *st, const struct store_user *u)
    __attribute__((warn_unused_result));
typedef void (*store_user_fn)(void *user, const struct store_user *u);
enum store_err store_users_load(struct store *st, store_user_fn fn, void *user)
    __attribute__((warn_unused_result));

#endif
