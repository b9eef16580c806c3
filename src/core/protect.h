/* SPDX-License-Identifier: MIT */
/*
 * Protections (F1, A11): the engine over the fault table. For every fault on
 * every connector (0 = the charger) it keeps the board's input and the
 * fault's state, and applies the fault's restart rule: back when the input is
 * normal, after a recovery time with a bounded number of restarts per
 * session, the residual-current rule of the region (IEC: locked out; UL 2231:
 * retry every 15 min, 3 times), or locked out until a manual reset. Pure; the
 * charger asks it whether power is forbidden.
 */
#ifndef EVSED_PROTECT_H
#define EVSED_PROTECT_H

#include <stdbool.h>
#include <stdint.h>

#include "fault.h"
#include "profile.h"

enum fault_state {
	FS_OFF,	       /* nothing wrong */
	FS_ACTIVE,     /* the input reports the fault */
	FS_RECOVERING, /* the input is normal; waiting recovery_s before restarting */
	FS_RETRY_WAIT, /* UL 2231 residual current: waiting for the next retry */
	FS_LOCKED,     /* locked out until a manual reset */
};

struct protect;

/* Protections for a charger with n connectors under region's rules. NULL on
 * allocation failure. */
struct protect *protect_new(int n, enum region_rule region);
void protect_free(struct protect *p);

/* The board's input for fault f on conn changed (0 = the charger; charger-
 * wide faults are always kept on 0). Returns true if the fault's state
 * changed. */
bool protect_input(struct protect *p, int64_t now, int conn, enum fault_id f, bool on);

/* Faults conn reports (state not OFF), its own and the charger's; conn 0:
 * the charger's only. Bit i = enum fault_id i. */
uint32_t protect_reported(const struct protect *p, int conn);
/* Does a fault forbid power on conn (its own or the charger's)? */
bool protect_blocks(const struct protect *p, int conn);
enum fault_state protect_state(const struct protect *p, int conn, enum fault_id f);
/* When the fault began (monotonic ms); 0 if it is off. */
int64_t protect_since(const struct protect *p, int conn, enum fault_id f);
/* Restarts used in this session. */
int protect_restarts(const struct protect *p, int conn, enum fault_id f);

/* Manual reset: lift the lock-outs on conn (0 = everywhere) whose input is
 * normal. Returns how many were lifted. */
int protect_reset(struct protect *p, int64_t now, int conn);
/* A session ended on conn: its restart counters start again. */
void protect_session_end(struct protect *p, int conn);

void protect_tick(struct protect *p, int64_t now);
int64_t protect_next_deadline(const struct protect *p);

const char *fault_state_name(enum fault_state s);

#endif
