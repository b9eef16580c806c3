/* SPDX-License-Identifier: MIT */
/*
 * Smart charging profiles and composite schedules (C8), pure. A profile is
 * "in force" at t when t is within its validity (validFrom <= t < validTo)
 * and within its schedule: from its start (startSchedule; the transaction's
 * start for Relative, and for Absolute without startSchedule as OCPP 1.6
 * says; the last recurrence at or before t for Recurring) for its duration,
 * a recurrence ending where the next begins. Daily and weekly recurrences
 * begin at the local wall time of startSchedule in the configured time zone,
 * so a day is 23, 24 or 25 hours long. The limit of a profile in force is
 * that of its last period begun; below the schedule's minChargingRate it is
 * 0 (the EV could not charge at it). This file does not know JSON, the
 * store or the charger.
 */
#include "smart.h"

#include "civil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct smart {
	int n;
	struct sc_profile *p; /* SC_PROFILES_MAX slots */
};

static const char *const err_text[] = {
    [SC_OK] = "accepted",
    [SC_E_CONNECTOR] = "connectorId does not exist or does not fit the purpose",
    [SC_E_STACK_LEVEL] = "stackLevel below 0 or above ChargeProfileMaxStackLevel",
    [SC_E_PERIODS] = "chargingSchedulePeriod: none, more than ChargingScheduleMaxPeriods, "
		     "not starting at 0 or startPeriod not increasing",
    [SC_E_LIMIT] = "a negative limit or minChargingRate, or numberPhases not 1-3",
    [SC_E_SCHEDULE] = "recurring without startSchedule or recurrencyKind, a negative "
		      "duration, or validFrom not before validTo",
    [SC_E_UNIT] = "chargingRateUnit not in ChargingScheduleAllowedChargingRateUnit",
    [SC_E_TRANSACTION] = "TxProfile without that transaction on the connector, or a "
			 "transactionId on another purpose",
    [SC_E_FULL] = "MaxChargingProfilesInstalled reached",
};

const char *smart_err_text(enum sc_err e)
{
	return (unsigned)e < sizeof err_text / sizeof err_text[0] ? err_text[e] : "?";
}

struct smart *smart_new(void)
{
	struct smart *sm = calloc(1, sizeof *sm);
	if (!sm)
		return NULL;
	sm->p = calloc(SC_PROFILES_MAX, sizeof *sm->p);
	if (!sm->p) {
		free(sm);
		return NULL;
	}
	return sm;
}

void smart_free(struct smart *sm)
{
	if (!sm)
		return;
	free(sm->p);
	free(sm);
}

int smart_count(const struct smart *sm)
{
	return sm->n;
}

const struct sc_profile *smart_get(const struct smart *sm, int i)
{
	return i >= 0 && i < sm->n ? &sm->p[i] : NULL;
}

/* ---- Set / Clear -------------------------------------------------------- */

static bool replaces(const struct sc_profile *old, const struct sc_profile *p)
{
	return old->id == p->id ||
	       (old->purpose == p->purpose && old->stack_level == p->stack_level &&
		old->connector == p->connector);
}

int smart_replaced(const struct smart *sm, const struct sc_profile *p, int32_t ids[2])
{
	int k = 0;
	for (int i = 0; i < sm->n && k < 2; i++)
		if (replaces(&sm->p[i], p))
			ids[k++] = sm->p[i].id;
	return k;
}

enum sc_err smart_check(const struct smart *sm, const struct sc_caps *caps,
			const struct sc_profile *p, const struct sc_tx *tx)
{
	/* ChargePointMaxProfile is the charger's; TxProfile a connector's. */
	if (p->connector < 0 || p->connector > caps->connectors ||
	    (p->purpose == SC_CP_MAX && p->connector != 0) ||
	    (p->purpose == SC_TX && p->connector == 0))
		return SC_E_CONNECTOR;
	if (p->stack_level < 0 || p->stack_level > caps->max_stack_level)
		return SC_E_STACK_LEVEL;
	if ((p->unit == SC_AMPS && !caps->amps) || (p->unit == SC_WATTS && !caps->watts))
		return SC_E_UNIT;
	if (p->n < 1 || p->n > caps->max_periods || p->n > SC_PERIODS_MAX || p->p[0].start != 0)
		return SC_E_PERIODS;
	for (int i = 1; i < p->n; i++)
		if (p->p[i].start <= p->p[i - 1].start)
			return SC_E_PERIODS;
	for (int i = 0; i < p->n; i++)
		if (!(p->p[i].limit >= 0) || !isfinite(p->p[i].limit) || p->p[i].phases < 0 ||
		    p->p[i].phases > 3)
			return SC_E_LIMIT;
	if (!(p->min_rate >= 0) || !isfinite(p->min_rate))
		return SC_E_LIMIT;
	if ((p->has_duration && p->duration < 0) || p->valid_from >= p->valid_to ||
	    (p->kind == SC_RECURRING && (!p->has_start || p->recurrency == SC_RECUR_NONE)))
		return SC_E_SCHEDULE;
	if (p->has_tx && p->purpose != SC_TX)
		return SC_E_TRANSACTION;
	if (p->purpose == SC_TX &&
	    (!tx || !tx->active || (p->has_tx && (!tx->has_id || tx->id != p->transaction_id))))
		return SC_E_TRANSACTION;
	int32_t ids[2];
	if (sm->n - smart_replaced(sm, p, ids) >= caps->max_profiles)
		return SC_E_FULL;
	return SC_OK;
}

bool smart_put(struct smart *sm, const struct sc_profile *p)
{
	int32_t ids[2];
	int k = smart_replaced(sm, p, ids);
	smart_remove(sm, ids, k);
	if (sm->n >= SC_PROFILES_MAX)
		return false;
	sm->p[sm->n++] = *p;
	return true;
}

static bool matches(const struct sc_profile *p, const struct sc_clear *c)
{
	if (c->has_id)
		return p->id == c->id;
	return (!c->has_connector || p->connector == c->connector) &&
	       (!c->has_purpose || p->purpose == c->purpose) &&
	       (!c->has_stack_level || p->stack_level == c->stack_level);
}

int smart_match(const struct smart *sm, const struct sc_clear *c, int32_t *ids, int max)
{
	int k = 0;
	for (int i = 0; i < sm->n; i++)
		if (matches(&sm->p[i], c)) {
			if (k < max)
				ids[k] = sm->p[i].id;
			k++;
		}
	return k;
}

void smart_remove(struct smart *sm, const int32_t *ids, int n)
{
	int w = 0;
	for (int i = 0; i < sm->n; i++) {
		bool gone = false;
		for (int j = 0; j < n && !gone; j++)
			gone = sm->p[i].id == ids[j];
		if (!gone)
			sm->p[w++] = sm->p[i];
	}
	sm->n = w;
}

int smart_tx_profiles(const struct smart *sm, int conn, int32_t *ids, int max)
{
	int k = 0;
	for (int i = 0; i < sm->n && k < max; i++)
		if (sm->p[i].purpose == SC_TX && sm->p[i].connector == conn)
			ids[k++] = sm->p[i].id;
	return k;
}

/* ---- units -------------------------------------------------------------- */

static int phases_used(const struct sc_site *site, int phases)
{
	int ph = phases > 0 ? phases : 3;
	return ph < site->phases ? ph : site->phases;
}

double smart_to_amps(const struct sc_site *site, enum sc_unit unit, double limit, int phases)
{
	if (unit == SC_AMPS)
		return limit;
	return limit / (site->voltage * phases_used(site, phases));
}

double smart_from_amps(const struct sc_site *site, enum sc_unit unit, double amps, int phases)
{
	if (unit == SC_AMPS)
		return amps;
	return amps * site->voltage * phases_used(site, phases);
}

/* ---- evaluation --------------------------------------------------------- */

/* UTC of local wall time sod (seconds of day) on local day number day. */
static int64_t utc_at(const struct tz_rule *tz, int64_t day, int64_t sod)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return tz_utc_of_local(tz, y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
			       (int)(sod % 60));
}

/* The recurrence of p in force at t (t >= startSchedule): its start and
 * the start of the next one. */
static void recurrence(const struct sc_profile *p, const struct tz_rule *tz, int64_t t,
		       int64_t *start, int64_t *next)
{
	int64_t s_local = p->start_schedule + tz_offset(tz, p->start_schedule);
	int64_t sod = s_local - civil_floor_div(s_local, 86400) * 86400;
	int64_t s_day = civil_floor_div(s_local, 86400);
	int64_t every = p->recurrency == SC_WEEKLY ? 7 : 1;
	int64_t day = civil_floor_div(t + tz_offset(tz, t), 86400);
	day -= (day - s_day) - civil_floor_div(day - s_day, every) * every;
	int64_t s = utc_at(tz, day, sod);
	if (s > t) {
		day -= every;
		s = utc_at(tz, day, sod);
	}
	*start = s;
	*next = utc_at(tz, day + every, sod);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* What profile p says at t. */
struct at {
	bool in_force;
	double amps;  /* A per phase, minChargingRate applied */
	int phases;   /* numberPhases of the period */
	double min_a; /* minChargingRate in A (0 = none) */
	int64_t next; /* the next second at which this may change */
};

static struct at profile_at(const struct sc_profile *p, const struct sc_site *site,
			    int64_t rel_start, int64_t t)
{
	struct at a = {false, 0, 0, 0, INT64_MAX};
	if (t < p->valid_from) {
		a.next = p->valid_from;
		return a;
	}
	if (t >= p->valid_to)
		return a;
	a.next = p->valid_to;
	int64_t s, cycle_end = INT64_MAX;
	if (p->kind == SC_RECURRING) {
		if (t < p->start_schedule) {
			a.next = min64(a.next, p->start_schedule);
			return a;
		}
		recurrence(p, &site->tz, t, &s, &cycle_end);
	} else if (p->kind == SC_ABSOLUTE && p->has_start) {
		s = p->start_schedule;
	} else {
		if (rel_start == SC_NONE_START)
			return a;
		s = rel_start;
	}
	if (t < s) {
		a.next = min64(a.next, s);
		return a;
	}
	int64_t end = cycle_end;
	if (p->has_duration && s + p->duration < end)
		end = s + p->duration;
	if (t >= end) {
		a.next = min64(a.next, cycle_end);
		return a;
	}
	/* The last period begun: binary search over increasing starts. */
	int64_t off = t - s;
	int lo = 0, hi = p->n - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (p->p[mid].start <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	int64_t change = lo + 1 < p->n ? s + p->p[lo + 1].start : INT64_MAX;
	a.next = min64(a.next, min64(change, end));
	a.in_force = true;
	a.phases = p->p[lo].phases;
	a.amps = smart_to_amps(site, p->unit, p->p[lo].limit, a.phases);
	a.min_a = p->min_rate > 0 ? smart_to_amps(site, p->unit, p->min_rate, a.phases) : 0;
	if (a.amps < a.min_a)
		a.amps = 0;
	return a;
}

/* Which group a profile is in for connector conn: the purposes, and a
 * TxDefaultProfile's connector (its own or connector 0's). */
enum group { G_NONE = -1, G_MAX, G_TX, G_DEF_CONN, G_DEF_0, G_COUNT };

static enum group group_of(const struct sc_profile *p, int conn, bool in_tx)
{
	if (p->purpose == SC_CP_MAX)
		return G_MAX;
	if (conn == 0)
		return G_NONE;
	if (p->purpose == SC_TX)
		return in_tx && p->connector == conn ? G_TX : G_NONE;
	if (p->connector == conn)
		return G_DEF_CONN;
	return p->connector == 0 ? G_DEF_0 : G_NONE;
}

/* The profile in force with the highest stack level of a group. */
struct pick {
	bool found;
	int32_t level;
	struct at at;
};

/* The limit from what each profile says (at[i], for group g[i]): min(the
 * ChargePointMaxProfile, the TxProfile or else a TxDefaultProfile (the
 * connector's own over connector 0's)), each group's highest stack level in
 * force. found false if no profile is in force. */
static struct pick combine(const struct smart *sm, const enum group *g, const struct at *at)
{
	struct pick k[G_COUNT] = {{0}};
	for (int i = 0; i < sm->n; i++) {
		if (g[i] == G_NONE || !at[i].in_force)
			continue;
		struct pick *q = &k[g[i]];
		if (!q->found || sm->p[i].stack_level > q->level) {
			q->found = true;
			q->level = sm->p[i].stack_level;
			q->at = at[i];
		}
	}
	struct pick max = k[G_MAX];
	struct pick own = k[G_TX].found		? k[G_TX]
			  : k[G_DEF_CONN].found ? k[G_DEF_CONN]
						: k[G_DEF_0];
	double min_a = max.at.min_a > own.at.min_a ? max.at.min_a : own.at.min_a;
	struct pick r = !own.found || (max.found && max.at.amps <= own.at.amps) ? max : own;
	r.at.min_a = min_a;
	return r;
}

/* The limit on conn at t; *next lowered to when it may change. */
static struct pick evaluate(const struct smart *sm, const struct sc_site *site, int conn,
			    const struct sc_tx *tx, int64_t rel_start, int64_t t, int64_t *next)
{
	enum group g[SC_PROFILES_MAX];
	struct at at[SC_PROFILES_MAX];
	bool in_tx = tx && tx->active;
	for (int i = 0; i < sm->n; i++) {
		g[i] = group_of(&sm->p[i], conn, in_tx);
		at[i] = (struct at){false, 0, 0, 0, INT64_MAX};
		if (g[i] != G_NONE) {
			at[i] = profile_at(&sm->p[i], site, rel_start, t);
			*next = min64(*next, at[i].next);
		}
	}
	return combine(sm, g, at);
}

double smart_limit(const struct smart *sm, const struct sc_site *site, int conn,
		   const struct sc_tx *tx, int64_t t, int64_t *next)
{
	int64_t nx = INT64_MAX;
	int64_t rel = tx && tx->active ? tx->start : SC_NONE_START;
	struct pick k = evaluate(sm, site, conn, tx, rel, t, &nx);
	if (next)
		*next = nx;
	return k.found ? k.at.amps : -1.0;
}

/* Rounded down to 0.1 (the unit of OCPP limits), never above the value. */
static double round_down(double v)
{
	return floor(v * 10.0 + 1e-6) / 10.0;
}

void smart_composite(const struct smart *sm, const struct sc_site *site, int conn,
		     const struct sc_tx *tx, int64_t start, int32_t duration, enum sc_unit unit,
		     double max_a, struct sc_composite *out)
{
	out->start = start;
	out->duration = duration;
	out->unit = unit;
	out->min_rate = 0;
	out->n = 0;
	int64_t rel = tx && tx->active ? tx->start : start;
	int64_t end = start + (duration > 0 ? duration : 0);
	/* What each profile says holds until its own next change: only those
	 * are evaluated again at a step. */
	enum group g[SC_PROFILES_MAX];
	struct at at[SC_PROFILES_MAX];
	bool in_tx = tx && tx->active;
	for (int i = 0; i < sm->n; i++) {
		g[i] = group_of(&sm->p[i], conn, in_tx);
		at[i] = (struct at){false, 0, 0, 0, g[i] == G_NONE ? INT64_MAX : start};
	}
	int64_t t = start;
	do {
		int64_t next = INT64_MAX;
		for (int i = 0; i < sm->n; i++) {
			if (at[i].next <= t)
				at[i] = profile_at(&sm->p[i], site, rel, t);
			next = min64(next, at[i].next);
		}
		struct pick k = combine(sm, g, at);
		double amps = k.found && k.at.amps < max_a ? k.at.amps : max_a;
		int phases = k.found ? k.at.phases : 0;
		double limit = round_down(smart_from_amps(site, unit, amps, phases));
		if (k.found && k.at.min_a > 0) {
			double mr = round_down(smart_from_amps(site, unit, k.at.min_a, phases));
			if (mr > out->min_rate)
				out->min_rate = mr;
		}
		struct sc_period *last = out->n ? &out->p[out->n - 1] : NULL;
		if (!last ||
		    ((last->limit != limit || last->phases != phases) && out->n < SC_COMPOSITE_MAX))
			out->p[out->n++] = (struct sc_period){(int32_t)(t - start), limit, phases};
		if (next <= t) /* cannot happen; never loop forever */
			break;
		t = next;
	} while (t < end);
}
