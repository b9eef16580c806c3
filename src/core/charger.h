/* SPDX-License-Identifier: MIT */
/*
 * The charger: every connector's IEC 61851 state machine (A1, A2, A4),
 * sessions (A9) with local authorization and free charging (B2, A10), and the
 * limit arbiter applied to each connector (A6). It takes events with a
 * monotonic timestamp (board events, card swipes, timer ticks) and emits
 * board commands (struct board_ops) and session / status events (struct
 * chg_events). No I/O, no globals, no clock: many chargers can live in one
 * process and a test drives time by hand.
 *
 * Reservations (C7) live here too: a connector, or the charger as a whole
 * (connector 0), held for an id tag and its group until used, expired or
 * cancelled. They are not persisted: a restart forgets them.
 *
 * It does not talk OCPP, persist anything or keep history: its session events
 * go to the shell, which makes them durable before the charger goes on.
 */
#ifndef EVSED_CHARGER_H
#define EVSED_CHARGER_H

#include <stdbool.h>
#include <stdint.h>

#include "arbiter.h"
#include "auth.h"
#include "board.h"
#include "fault.h"
#include "iec61851.h"
#include "indication.h"
#include "protect.h"
#include "settings.h"

enum start_mode { START_RFID, START_FREE, START_REMOTE, START_LOCAL };

/* OCPP 1.6 StopTransaction reasons. */
enum stop_reason {
	STOP_LOCAL,
	STOP_EV_DISCONNECTED,
	STOP_REMOTE,
	STOP_POWER_LOSS,
	STOP_REBOOT,
	STOP_HARD_RESET,
	STOP_SOFT_RESET,
	STOP_EMERGENCY,
	STOP_UNLOCK,
	STOP_DEAUTHORIZED,
	STOP_OTHER,
};

const char *start_mode_name(enum start_mode m);
const char *stop_reason_name(enum stop_reason r);

struct chg_session {
	int64_t number; /* assigned by the shell's store */
	int connector;	/* 1-based */
	char id_tag[AUTH_ID_MAX + 1];
	enum start_mode start_mode;
	int64_t start_utc; /* seconds */
	double meter_start_wh;
	/* Filled when it stops. */
	int64_t stop_utc;
	double meter_stop_wh;
	enum stop_reason reason;
	const char *stop_mode; /* "rfid", "unplug", "remote", "shutdown", ... */
	/* Set when the CSMS invalidated the id tag during the session and
	 * StopTransactionOnInvalidId is false: energy allowed in total. */
	bool deauthorized;
	double deauth_max_wh;
	double deauth_start_wh; /* the register when it was invalidated */
	/* The reservation the session used (C7): its StartTransaction names it.
	 * OCPP allows any integer as a reservationId, 0 included. */
	bool with_reservation;
	int32_t reservation_id;
};

/* A reservation (C7, OCPP ReserveNow). */
struct chg_reservation {
	int32_t id;    /* reservationId */
	int connector; /* 0 = any connector of the charger */
	char id_tag[AUTH_ID_MAX + 1];
	char parent[AUTH_ID_MAX + 1]; /* parentIdTag, "" = none */
	int64_t expiry_utc;	      /* seconds */
};

/* At most one reservation per connector, and one per connector for the
 * charger as a whole: never more than there are connectors. */
#define CHG_RESERVATIONS_MAX PROFILE_MAX_CONNECTORS

struct chg_events {
	void *user;
	/* A session starts. Make it durable and return its number (> 0); a
	 * value <= 0 refuses the start (nothing is energised). */
	int64_t (*session_start)(void *user, const struct chg_session *s);
	/* A session ended; make it durable before returning. */
	void (*session_stop)(void *user, const struct chg_session *s);
	/* A connector's OCPP status or the faults it reports changed. */
	void (*status)(void *user, int conn, enum conn_status st);
	/* A traced decision ("connector 1: offered 16 A (installer)"). */
	void (*log)(void *user, const char *msg);
	/* A connector's availability changed (0 = the charger): persist it. */
	void (*availability)(void *user, int conn, bool operative);
	/* A fault began (on) or ended on conn (0 = the charger): fault history. */
	void (*fault)(void *user, int conn, enum fault_id f, bool on);
};

/* The CSMS's charging profiles (C8), as the arbiter needs them. */
struct chg_schedule {
	void *user;
	/* The limit (A per phase) the profiles put on connector conn at UTC
	 * second utc: for conn 0, on the charger as a whole; for a connector,
	 * with s its session (NULL = none). Negative when no profile is in
	 * force. *next receives the UTC second at which it may change next
	 * (INT64_MAX: never); the charger re-arbitrates then. */
	double (*limit)(void *user, int conn, int64_t utc, const struct chg_session *s,
			int64_t *next);
};

/* How an id tag is decided. ASK: the decision comes later through
 * charger_auth_result() (e.g. after an Authorize round trip). */
enum chg_auth_answer { CHG_AUTH_ACCEPT, CHG_AUTH_REJECT, CHG_AUTH_ASK };

struct chg_auth {
	void *user;
	enum chg_auth_answer (*check)(void *user, int64_t now, const char *id_tag);
	/* The parentIdTag the authorizer knows for id_tag (its lists, its
	 * cache, the answer it has just given) into buf: true if known (buf
	 * "" for a tag known to have none), false if not known. May be NULL.
	 * Reservations ask it: a card of the reservation's group may use it. */
	bool (*parent)(void *user, const char *id_tag, char *buf, size_t len);
};

/* Result of a card swipe. */
enum swipe_result {
	SWIPE_STARTED,	   /* a session started on *conn */
	SWIPE_STOPPED,	   /* the session on *conn stopped */
	SWIPE_PENDING,	   /* authorized: plug in within ConnectionTimeOut */
	SWIPE_REJECTED,	   /* not in the local list */
	SWIPE_IGNORED,	   /* reader disabled or free charging */
	SWIPE_INVALID,	   /* not a valid id tag */
	SWIPE_FAILED,	   /* the session could not be recorded */
	SWIPE_AUTHORIZING, /* asked the CSMS; the answer decides */
};

/* Results of the remote operations (OCPP vocabulary). */
enum chg_result {
	CHG_ACCEPTED,
	CHG_REJECTED,
	CHG_SCHEDULED,	   /* ChangeAvailability: after the running session */
	CHG_NOT_SUPPORTED, /* UnlockConnector on a tethered cable */
	CHG_FAILED,	   /* UnlockConnector: the lock did not open */
	CHG_OCCUPIED,	   /* ReserveNow: in use, or reserved already */
	CHG_FAULTED,	   /* ReserveNow: faulted */
	CHG_UNAVAILABLE,   /* ReserveNow: inoperative */
};

const char *swipe_result_name(enum swipe_result r);

/* A snapshot of one connector for status displays. */
struct conn_info {
	int id;
	enum conn_status status;
	enum iec_cp cp;
	bool pwm_on;
	int duty_permille;
	bool contactor;
	bool locked;
	double offered_a;
	enum limit_src limit;
	double cable_a; /* PP rating or tethered cable, 0 = none */
	struct meter_reading meter;
	bool in_session;
	struct chg_session session;
	uint32_t faults; /* bit i = enum fault_id i (connector and charger) */
	const char *led;
	int led_brightness; /* % the LEDs were last set to; -1 before the first */
};

struct charger;

/* A charger for the settings' profile. s, cards, board and ev must outlive
 * it; it keeps pointers, not copies. No board command is given until
 * charger_start. NULL on allocation failure. */
struct charger *charger_new(const struct settings *s, const struct auth_list *cards,
			    const struct board_ops *board, const struct chg_events *ev);
void charger_free(struct charger *ch);

/* Set the wall clock: utc_ms is UTC (ms) at monotonic time mono_ms. */
void charger_set_clock(struct charger *ch, int64_t mono_ms, int64_t utc_ms);
/* UTC seconds at monotonic time now_ms. */
int64_t charger_utc(const struct charger *ch, int64_t now_ms);

/* Put every connector into its idle state (the first board commands). */
void charger_start(struct charger *ch, int64_t now);

/* The random source of the local policies' delays (D2 randomised delay, A12
 * cold load pickup): rnd returns 32 random bits. Without one every random
 * delay is its shortest (0 s; cold load pickup 120 s). */
void charger_set_random(struct charger *ch, uint32_t (*rnd)(void *user), void *user);
/* This start follows a power loss (the previous run did not stop cleanly).
 * Call before charger_start: charging waits a cold load pickup delay from
 * charger_start (cold_load.max_delay) and, with resume_after_reboot false,
 * the EVs plugged at charger_board_ready are not charged again until
 * unplugged or given a session by a card or the CSMS (A12). */
void charger_power_loss(struct charger *ch);
/* The board has reported its state at power-up (after charger_start). */
void charger_board_ready(struct charger *ch, int64_t now);

int charger_connectors(const struct charger *ch);

/* Board events. conn is 1-based; 0 in charger_on_fault means the charger. */
void charger_on_cp(struct charger *ch, int64_t now, int conn, enum iec_cp cp);
void charger_on_pp(struct charger *ch, int64_t now, int conn, double rating_a);
void charger_on_lock(struct charger *ch, int64_t now, int conn, bool locked);
void charger_on_meter(struct charger *ch, int64_t now, int conn, const struct meter_reading *m);
void charger_on_dip(struct charger *ch, int64_t now, unsigned sw);
/* The accelerometer: peak acceleration (g) and tilt from vertical (degrees).
 * With tilt.enabled, a reading that differs from the calibrated reference
 * (tilt.zero_g, tilt.zero_angle) by the thresholds or more raises bump /
 * tilt (tamper), locked out until a manual reset. */
void charger_on_motion(struct charger *ch, int64_t now, double g, double degrees);
/* The accelerometer's last reading (0, 0 before any): what "calibrate"
 * takes as the reference at rest. */
void charger_motion(const struct charger *ch, double *g, double *degrees);
void charger_on_fault(struct charger *ch, int64_t now, int conn, enum fault_id f, bool on);

/* A card at the reader. *conn receives the connector concerned (0 if none). */
enum swipe_result charger_on_rfid(struct charger *ch, int64_t now, const char *uid, int *conn);

/* Use a for id tag decisions (NULL: the local card list). a must outlive
 * the charger. */
void charger_set_authorizer(struct charger *ch, const struct chg_auth *a);
/* The answer to a CHG_AUTH_ASK for id_tag. An accepted card that only
 * connectors reserved for others could take is refused like an unknown one
 * (its group comes from the authorizer's parent callback). */
void charger_auth_result(struct charger *ch, int64_t now, const char *id_tag, bool accepted);

/* RemoteStartTransaction: start a session for id_tag on conn (0 = the
 * charger chooses); without an EV yet, wait ConnectionTimeOut for one. A
 * reservation the id tag may use there is used; a connector reserved for
 * another id tag is CHG_REJECTED. */
enum chg_result charger_remote_start(struct charger *ch, int64_t now, int conn, const char *id_tag);
/* ReserveNow (C7): hold conn (0 = any connector, if
 * ReserveConnectorZeroSupported) for id_tag and the tags of group parent
 * (NULL or "" = none) until expiry_utc. A reservation with the same id is
 * replaced. CHG_ACCEPTED; CHG_FAULTED / CHG_UNAVAILABLE / CHG_OCCUPIED as
 * the connector (or every connector, for 0) is; CHG_REJECTED for a
 * connector that does not exist, connector 0 when not supported, an expiry
 * not in the future or an invalid id tag. Only CHG_ACCEPTED changes
 * anything (a refused replacement leaves the old reservation). */
enum chg_result charger_reserve(struct charger *ch, int64_t now, int conn, int32_t reservation_id,
				const char *id_tag, const char *parent, int64_t expiry_utc);
/* CancelReservation: CHG_ACCEPTED if a reservation with this id existed
 * (the connector becomes Available), else CHG_REJECTED. */
enum chg_result charger_cancel_reservation(struct charger *ch, int64_t now, int32_t reservation_id);
/* The reservations in force (at most max into out); returns how many. */
int charger_reservations(const struct charger *ch, struct chg_reservation *out, int max);
/* Could id_tag start a session on conn (0 = on some connector) now or once
 * an EV is plugged: no session there, operative, not faulted, and no
 * reservation of another id tag holds it. parent: the tag's parentIdTag,
 * "" for none, NULL if not known (a reservation for a group then counts as
 * possible: the CSMS has to be asked). */
bool charger_may_start(const struct charger *ch, int64_t now, int conn, const char *id_tag,
		       const char *parent);
/* Stop the session with this number; false if none. */
bool charger_stop_session(struct charger *ch, int64_t now, int64_t number, enum stop_reason r,
			  const char *mode);
/* The CSMS invalidated the id tag of session number: stop it (stop true) or
 * let it draw at most max_wh more and then suspend it. */
void charger_deauthorize(struct charger *ch, int64_t now, int64_t number, bool stop, double max_wh);
/* ChangeAvailability for conn (0 = the charger). Scheduled while a session
 * runs there; applied when it ends. */
enum chg_result charger_set_available(struct charger *ch, int64_t now, int conn, bool operative);
/* Availability as set (not as scheduled). */
bool charger_available(const struct charger *ch, int conn);
/* UnlockConnector: stop the session there (UnlockCommand) and unlock. */
enum chg_result charger_unlock(struct charger *ch, int64_t now, int conn);
/* Manual fault reset (evsectl fault reset, OCPP Reset): lift the lock-outs
 * on conn (0 = everywhere) whose input is normal; returns how many. */
int charger_fault_reset(struct charger *ch, int64_t now, int conn);
/* The display text of connector conn at now (F3; "" without a display). */
void charger_display(const struct charger *ch, int conn, int64_t now, char *buf, size_t len);
/* The protections, to read fault states and since-times. */
const struct protect *charger_protect(const struct charger *ch);

/* Charger-wide faults (bit i = enum fault_id i). */
uint32_t charger_faults(const struct charger *ch);
/* Status of connector 0 (the charger as a whole). */
enum conn_status charger_status0(const struct charger *ch);

/* Take the limits of the CSMS's charging profiles from s (NULL: none); s
 * must outlive the charger. A limit becomes LIM_SCHEDULE for a session's
 * connector; connector 0's caps the charger as a whole, as the installer
 * limit does. */
void charger_set_schedule(struct charger *ch, const struct chg_schedule *s);
/* The profiles changed (Set / Clear): re-arbitrate now. */
void charger_schedule_changed(struct charger *ch, int64_t now);

/* Site load management (E2 E3): the charger as a whole may draw at most
 * a[p] A on phase p (NULL: no limit). Re-arbitrates at once when it
 * changes; the reason of a limited offer is load_management. */
void charger_set_load_limit(struct charger *ch, int64_t now, const double a[3]);

/* Group balancing (E4-E6): connector conn may draw at most a A (the
 * group master's offer or the fallback; negative: no group). Re-arbitrates
 * at once when it changes; the reason of a limited offer is group. */
void charger_set_group_limit(struct charger *ch, int64_t now, int conn, double a);

/* What a connector asks of the group: its own maximum (hardware, installer,
 * cable, policies, schedules, site; not the group's offer), the supply lines
 * it loads, whether an EV in session wants power, what it draws. */
struct chg_group_request {
	double max_a;
	unsigned phases; /* 1 = L1, 2 = L2, 4 = L3 */
	bool wants;
	int64_t since; /* wants: when the EV plugged in (its place in arrival order) */
	double used_a[3];
};
bool charger_group_request(const struct charger *ch, int conn, struct chg_group_request *out);

/* Group identify (E4): every connector's LEDs flash until `until`. */
void charger_identify(struct charger *ch, int64_t now, int64_t until);

/* Settings changed: re-read what the charger uses and re-arbitrate. */
void charger_settings_changed(struct charger *ch, int64_t now);

/* Fire due timers. */
void charger_tick(struct charger *ch, int64_t now);
/* The next time charger_tick has work, or INT64_MAX. */
int64_t charger_next_deadline(const struct charger *ch);

/* Stop every session (e.g. shutdown) with a reason and stop mode. */
void charger_stop_all(struct charger *ch, int64_t now, enum stop_reason r, const char *mode);

/* Shutting down: open every contactor and stop every PWM now (state F),
 * without waiting for EVs. Sessions should be stopped first. */
void charger_halt(struct charger *ch, int64_t now);

/* Snapshot of connector conn (1-based); false if no such connector. */
bool charger_conn_info(const struct charger *ch, int conn, struct conn_info *out);

/* The pending authorization (authorize first, then plug), if any. */
bool charger_pending_auth(const struct charger *ch, int64_t now, char *id, size_t idlen);

#endif
