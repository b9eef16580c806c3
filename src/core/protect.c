/* SPDX-License-Identifier: MIT */
/*
 * The restart rules of the fault table as a small state machine per fault
 * and connector. Every transition is in fs_input() and fs_time().
 */
#include "protect.h"

#include <stdlib.h>

struct fst {
	bool input;
	enum fault_state state;
	int64_t since;
	int64_t until; /* RECOVERING / RETRY_WAIT deadline */
	int restarts;
	bool no_count; /* the session the pending restart belonged to is over */
};

struct protect {
	int n;
	enum region_rule region;
	struct fst f[PROFILE_MAX_CONNECTORS + 1][FAULT_COUNT];
};

static const char *const state_names[] = {"off", "active", "recovering", "retry_wait", "locked"};

const char *fault_state_name(enum fault_state s)
{
	return (unsigned)s <= FS_LOCKED ? state_names[s] : "off";
}

struct protect *protect_new(int n, enum region_rule region)
{
	struct protect *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->n = n > PROFILE_MAX_CONNECTORS ? PROFILE_MAX_CONNECTORS : n;
	p->region = region;
	return p;
}

void protect_free(struct protect *p)
{
	free(p);
}

static struct fst *slot(struct protect *p, int conn, enum fault_id f)
{
	const struct fault_def *d = fault_def(f);
	if (!d || conn < 0 || conn > p->n)
		return NULL;
	return &p->f[d->charger_wide ? 0 : conn][f];
}

static const struct fst *cslot(const struct protect *p, int conn, enum fault_id f)
{
	return slot((struct protect *)(uintptr_t)p, conn, f);
}

/* The input changed: apply the rule. */
static void fs_input(struct protect *p, struct fst *s, const struct fault_def *d, int64_t now,
		     bool on)
{
	s->input = on;
	if (on) {
		if (s->state == FS_LOCKED || s->state == FS_RETRY_WAIT)
			return;
		if (s->state == FS_OFF)
			s->since = now;
		switch (d->restart) {
		case RESTART_MANUAL:
			s->state = FS_LOCKED;
			break;
		case RESTART_REGION_RCD:
			if (p->region == REGION_IEC || s->restarts >= d->max_restarts) {
				s->state = FS_LOCKED;
			} else {
				s->state = FS_RETRY_WAIT;
				s->until = now + (int64_t)d->retry_s * 1000;
			}
			break;
		case RESTART_RECOVERY:
			s->state = s->restarts >= d->max_restarts ? FS_LOCKED : FS_ACTIVE;
			break;
		case RESTART_WHEN_CLEAR:
			s->state = FS_ACTIVE;
			break;
		}
		return;
	}
	if (s->state != FS_ACTIVE)
		return;
	if (d->restart == RESTART_RECOVERY) {
		s->state = FS_RECOVERING;
		s->until = now + (int64_t)d->recovery_s * 1000;
	} else {
		s->state = FS_OFF;
		s->since = 0;
	}
}

/* Time passed: recovery ends, a retry comes. */
static void fs_time(struct fst *s, const struct fault_def *d, int64_t now)
{
	if (s->state == FS_RECOVERING && now >= s->until) {
		s->state = FS_OFF;
		s->since = 0;
		if (!s->no_count)
			s->restarts++;
		s->no_count = false;
	} else if (s->state == FS_RETRY_WAIT && now >= s->until) {
		if (!s->no_count)
			s->restarts++;
		s->no_count = false;
		if (!s->input) {
			s->state = FS_OFF;
			s->since = 0;
		} else if (s->restarts >= d->max_restarts) {
			s->state = FS_LOCKED;
		} else {
			s->until = now + (int64_t)d->retry_s * 1000;
		}
	}
}

bool protect_input(struct protect *p, int64_t now, int conn, enum fault_id f, bool on)
{
	struct fst *s = slot(p, conn, f);
	if (!s)
		return false;
	enum fault_state before = s->state;
	fs_input(p, s, fault_def(f), now, on);
	return s->state != before;
}

uint32_t protect_reported(const struct protect *p, int conn)
{
	uint32_t m = 0;
	if (conn < 0 || conn > p->n)
		return 0;
	for (int f = 0; f < FAULT_COUNT; f++)
		if (p->f[0][f].state != FS_OFF || (conn > 0 && p->f[conn][f].state != FS_OFF))
			m |= 1u << f;
	return m;
}

bool protect_blocks(const struct protect *p, int conn)
{
	uint32_t m = protect_reported(p, conn);
	for (int f = 0; f < FAULT_COUNT; f++)
		if ((m & (1u << f)) && fault_def((enum fault_id)f)->blocks_power)
			return true;
	return false;
}

enum fault_state protect_state(const struct protect *p, int conn, enum fault_id f)
{
	const struct fst *s = cslot(p, conn, f);
	return s ? s->state : FS_OFF;
}

int64_t protect_since(const struct protect *p, int conn, enum fault_id f)
{
	const struct fst *s = cslot(p, conn, f);
	return s && s->state != FS_OFF ? s->since : 0;
}

int protect_restarts(const struct protect *p, int conn, enum fault_id f)
{
	const struct fst *s = cslot(p, conn, f);
	return s ? s->restarts : 0;
}

int protect_reset(struct protect *p, int64_t now, int conn)
{
	(void)now;
	int lifted = 0;
	for (int c = 0; c <= p->n; c++) {
		if (conn != 0 && c != conn && c != 0)
			continue;
		for (int f = 0; f < FAULT_COUNT; f++) {
			struct fst *s = &p->f[c][f];
			if ((s->state == FS_LOCKED || s->state == FS_RETRY_WAIT) && !s->input) {
				s->state = FS_OFF;
				s->since = 0;
				s->restarts = 0;
				lifted++;
			}
		}
	}
	return lifted;
}

void protect_session_end(struct protect *p, int conn)
{
	if (conn < 1 || conn > p->n)
		return;
	for (int f = 0; f < FAULT_COUNT; f++) {
		struct fst *s = &p->f[conn][f];
		s->restarts = 0;
		/* A restart still pending belonged to the session that ended. */
		s->no_count =
		    s->state == FS_ACTIVE || s->state == FS_RECOVERING || s->state == FS_RETRY_WAIT;
	}
}

void protect_tick(struct protect *p, int64_t now)
{
	for (int c = 0; c <= p->n; c++)
		for (int f = 0; f < FAULT_COUNT; f++)
			fs_time(&p->f[c][f], fault_def((enum fault_id)f), now);
}

int64_t protect_next_deadline(const struct protect *p)
{
	int64_t next = INT64_MAX;
	for (int c = 0; c <= p->n; c++)
		for (int f = 0; f < FAULT_COUNT; f++) {
			const struct fst *s = &p->f[c][f];
			if ((s->state == FS_RECOVERING || s->state == FS_RETRY_WAIT) &&
			    s->until < next)
				next = s->until;
		}
	return next;
}
