/* SPDX-License-Identifier: MIT */
/*
 * The daemon's context: the imperative shell around the core. It owns the
 * settings, the store, the card list, the board backend and the charger,
 * keeps the clock (real or simulated), moves board events into the core and
 * makes session events durable. Commands from the control socket act on it
 * (commands.c).
 */
#ifndef EVSED_DAEMON_H
#define EVSED_DAEMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "../core/auth.h"
#include "../core/ocpp/ocpp.h"
#include "../core/charger.h"
#include "../core/lm_site.h"
#include "../core/meter_map.h"
#include "../core/reboot.h"
#include "../core/settings.h"
#include "../hal/hal.h"
#include "../io/ocpp_ws.h"
#include "../io/store.h"

/* Where the charger's clock was last set from (the system time page). */
enum evsed_clock_src {
	CLOCK_SRC_SYSTEM,      /* the system clock, at start (clock = real) */
	CLOCK_SRC_SIM_START,   /* clock.sim_start, at start (clock = sim) */
	CLOCK_SRC_SYSTEM_STEP, /* the system clock stepped (NTP, an installer) */
	CLOCK_SRC_CSMS,	       /* a BootNotification or Heartbeat answer */
};

struct evsed {
	struct settings *set;
	struct store *store;
	struct auth_list *cards;
	struct hal *hal;
	struct charger *ch;
	struct chg_events events;
	bool sim_clock;
	int64_t sim_now_ms;    /* simulated monotonic time */
	int64_t sim_utc0_ms;   /* UTC at simulated time 0 */
	int64_t real_mono0_ms; /* monotonic time at start (real clock) */
	int64_t started_ms;
	double persisted_wh[PROFILE_MAX_CONNECTORS];
	int64_t last_persist_ms;
	char sock_path[256];
	const char *data_dir;
	bool stop;
	int64_t (*mono_ms)(void); /* the real monotonic clock, injected */
	int64_t (*utc_ms)(void);  /* the real wall clock, injected */
	/* OCPP (only with ocpp.url set). */
	struct lws_context *ctx;
	struct ocpp *ocpp;
	struct ocpp_io oio;
	struct ocpp_ws *ws;
	lws_sorted_usec_list_t reconnect_sul;
	/* C12: the transport is rebuilt before the next connection (a
	 * security change); the URL it connects to; the bytes the transports
	 * before this one counted; the renewal's close timer. */
	bool link_dirty;
	char link_url[600];
	uint64_t link_sent0, link_recv0;
	lws_sorted_usec_list_t renew_sul;
	bool trace_frames;
	uint64_t rng;
	/* EVPLUS card learning: the next card presented becomes card
	 * learn_slot (1-based) until learn_until (the daemon's clock). */
	int learn_slot;
	int64_t learn_until;
	/* A Reset from the CSMS: stop, then start again (main re-executes). */
	bool reset_requested;
	/* The previous run did not stop cleanly (set by main before
	 * evsed_init): charging waits for cold load pickup (A12). */
	bool after_power_loss;
	/* Site load management (E2 E3, site.c): the simulated site's other
	 * loads per phase (evsectl load; negative = export), the mode in
	 * force and its state, and when the site meter was last read. */
	double site_other_a[3];
	enum lm_mode site_mode;
	struct lm_site_state site;
	int64_t site_read_ms;
	/* Real clock: the system's UTC minus the monotonic clock when last
	 * looked at; a change means the system clock was stepped (NTP). */
	int64_t sys_offset_ms;
	/* The charger's clock was last set from clock_src, to clock_set_utc_ms
	 * (UTC ms), moving it by clock_step_s (0 at start). */
	enum evsed_clock_src clock_src;
	int64_t clock_set_utc_ms;
	int64_t clock_step_s;
	/* The site meter (E1, site.c): meter.site parsed, a Modbus meter's
	 * reader thread, when it started (real ms), meter_timeout raised. */
	struct meter_spec site_spec;
	struct meter_modbus *site_meter;
	int64_t site_meter_since;
	bool site_meter_fault;
	uint64_t site_reads_seen; /* the meter's reads counter last acted on */
	/* Group balancing (E4-E6, group_link.c); NULL with group.mode off. */
	struct group_link *group;
	/* Every line evsed_log writes is also given here (the web UI's log
	 * page keeps the recent ones); NULL = none. */
	void (*log_hook)(void *user, const char *line);
	void *log_hook_user;
	/* Firmware Management (C10, fw_link.c; with OCPP only) and the log
	 * file GetDiagnostics reads (<data dir>/evsed.log). */
	struct fw_link *fw;
	struct logfile *logf;
	/* Periodic reboot (G6, reboot.period): the core's timer, counting once
	 * evsed_init is done; planned = the restart is on its way. */
	struct reboot_timer reboot;
	bool reboot_on, reboot_planned;
	lws_sorted_usec_list_t reboot_sul;
	/* The firmware upgrade by upload (G4, fw_upload.c; with the web UI
	 * only, else NULL). */
	struct fw_upload *fwup;
};

/* Build the context from loaded settings and an open store (both owned by
 * the context afterwards). Recovers sessions left open by a power cut. false
 * with err on failure. */
bool evsed_init(struct evsed *d, struct settings *set, struct store *st, struct lws_context *ctx,
		char *err, size_t errlen);
/* The earliest time evsed_tick has work (charger and OCPP timers). */
int64_t evsed_next_deadline(const struct evsed *d);
void evsed_fini(struct evsed *d);

/* Monotonic now (ms) of the daemon's clock. */
int64_t evsed_now(const struct evsed *d);
/* UTC seconds now. */
int64_t evsed_utc(const struct evsed *d);

/* Set the charger's clock to utc_ms now, recording where from (the system
 * time page). */
void evsed_set_clock(struct evsed *d, enum evsed_clock_src src, int64_t utc_ms);
/* "system", "sim_start", "system_step" or "csms". */
const char *evsed_clock_src_name(enum evsed_clock_src src);

/* Let the board run to now and feed its events into the core. */
void evsed_sync(struct evsed *d);
/* Fire due core timers at now (real clock). */
void evsed_tick(struct evsed *d);
/* Simulated clock: move time forward by ms, firing every timer due in
 * order. */
void evsed_advance(struct evsed *d, int64_t ms);
/* Write energy registers that changed (force: even if recently written). */
void evsed_persist(struct evsed *d, bool force);
/* Every register written with the time now, changed or not: the time is
 * when a session left open by a power cut is taken to have ended. */
void evsed_persist_all(struct evsed *d);
/* Periodic reboot (G6): restart through the Reset path if reboot.period
 * is over and no connector has a transaction (else it waits for idle).
 * Called after every board sync and timer. */
void evsed_reboot_check(struct evsed *d);
/* The status's "reboot" object: period, next (UTC or null), waiting. */
json_t *evsed_reboot_json(const struct evsed *d);
/* Stop cleanly: end sessions, persist. */
void evsed_shutdown(struct evsed *d);

/* Log a line to stderr, prefixed with the daemon's time. Secrets never go
 * through here. */
void evsed_log(const struct evsed *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The control-socket command dispatcher (commands.c). */
json_t *evsed_command(void *user, const char *cmd, json_t *args);

#endif
