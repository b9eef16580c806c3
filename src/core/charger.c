/* SPDX-License-Identifier: MIT */
/*
 * The charger core: connector state machines, sessions, local authorization,
 * reservations and limit arbitration. Every event ends in update(), which
 * recomputes what each connector should do (offer, PWM, contactor, lock,
 * status, LED) from its state and emits only the commands that change
 * something.
 */
#include "charger.h"
#include "policy.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An EV that keeps drawing after its offer was withdrawn is disconnected
 * under load after this long (IEC 61851-1 allows the EV 3 s to react). */
#define OPEN_GRACE_MS 3000
/* How long the "card not authorised" indication shows. */
#define REJECT_SHOW_MS 3000
/* A contactor that was told to open and still passes this much power after
 * this long is welded (F1 relay welded). */
#define WELD_CHECK_MS	1000
#define WELD_SETTLE_MS	500   /* readings older than this after the open prove nothing */
#define WELD_GIVE_UP_MS 10000 /* no such reading by then: traced, decided when one comes */

/* The check after a contactor opens: first at WELD_CHECK_MS, then waiting
 * for a settled reading until WELD_GIVE_UP_MS, then whenever one comes. */
enum weld_stage { WELD_NONE, WELD_FIRST, WELD_WAIT, WELD_LATE };
#define WELD_VOLTS 50.0

struct conn {
	int id;
	enum iec_cp cp;
	double pp_a; /* socket: cable rating from PP; 0 = none */
	int64_t plugged_at;
	/* Commanded outputs (what the board was last told). */
	int duty;
	bool contactor;
	int contactor_phases;
	bool lock_cmd;
	bool lock_ok;	       /* the board confirmed the lock */
	int64_t open_deadline; /* graceful opening in progress, 0 = none */
	/* Session. */
	bool in_session;
	bool finishing; /* a session ended and the EV is still plugged */
	struct chg_session s;
	/* Derived. */
	struct arb_result offer;
	enum conn_status status;
	bool status_sent;
	const char *led;
	int64_t led_since; /* when the status or the LED pattern last changed */
	int brightness;	   /* % commanded to the board; -1 = not yet */
	struct meter_reading meter;
	int64_t meter_at;     /* when the last reading came */
	int64_t opened_at;    /* when the contactor was last opened */
	int weld;	      /* is it really open? enum weld_stage */
	bool have_meter;      /* a meter reading ever came */
	uint32_t faults_told; /* reported faults as last told with a status event */
	/* Sockets: a session starts only once its cable is locked (TC_024). */
	bool starting;
	char start_id[AUTH_ID_MAX + 1];
	enum start_mode start_mode;
	bool start_resv; /* the start uses this reservation (taken out of the list) */
	struct chg_reservation start_res;
	bool inoperative;  /* ChangeAvailability Inoperative (applied) */
	int avail_pending; /* 0 none, 1 operative, -1 inoperative: after the session */
	/* Local policies (D1 D2 D3 A12): their state and last verdict. */
	struct policy_conn pol;
	struct policy_result pol_r;
	/* The CSMS's charging profiles (C8): A per phase (< 0: none) and the
	 * UTC second it may change. */
	double sched_a;
	int64_t sched_next;
	/* Group balancing (E4-E6): the master's offer or the fallback for
	 * this connector; negative = no group. */
	double group_a;
};

struct charger {
	const struct settings *set;
	const struct auth_list *cards;
	const struct board_ops *board;
	const struct chg_events *ev;
	const struct profile *prof;
	int n;
	struct conn c[PROFILE_MAX_CONNECTORS];
	struct protect *prot; /* faults and their restart rules */
	double hw_max_a;      /* profile rating or DIP switch */
	int64_t utc_offset_ms;
	bool started;
	bool halted; /* shutting down: everything off at once */
	/* The accelerometer's last reading (0 g, 0 degrees until one comes). */
	double motion_g, motion_deg;
	/* Authorize first, then plug. */
	bool pending;
	char pending_id[AUTH_ID_MAX + 1];
	int64_t pending_until;
	int pending_conn;		      /* 0 = any connector */
	enum start_mode pending_mode;	      /* rfid or remote */
	char pending_parent[AUTH_ID_MAX + 1]; /* its parentIdTag, "" = none known */
	int64_t reject_until;
	/* A card waiting for the authorizer's answer. */
	const struct chg_auth *auth;
	bool authorizing;
	char authorizing_id[AUTH_ID_MAX + 1];
	/* The charger as a whole (connector 0). */
	bool inoperative;
	int avail_pending;
	/* Reservations (C7), in memory only. */
	struct chg_reservation res[CHG_RESERVATIONS_MAX];
	int nres;
	/* Local policies (D1 D2 D3 A12) and their random source. */
	struct policy_cfg pcfg;
	struct policy_charger pch;
	struct policy_rng rng;
	bool power_loss; /* this start follows a power loss */
	/* The CSMS's charging profiles (C8): their source, and the
	 * ChargePointMaxProfile's limit on the charger as a whole. */
	const struct chg_schedule *sched;
	double sched0_a;
	int64_t sched0_next;
	/* Site load management (E2 E3): what the charger as a whole may draw
	 * per phase; negative = no such limit. */
	double lm_a[3];
	/* Group identify (E4): the LEDs flash until then. */
	int64_t identify_until;
};

static const char *const start_names[] = {"rfid", "free", "remote", "local"};
static const char *const stop_names[] = {
    "Local",	 "EVDisconnected", "Remote",	    "PowerLoss",    "Reboot", "HardReset",
    "SoftReset", "EmergencyStop",  "UnlockCommand", "DeAuthorized", "Other",
};
static const char *const swipe_names[] = {"started", "stopped", "pending", "rejected",
					  "ignored", "invalid", "failed",  "authorizing"};

const char *start_mode_name(enum start_mode m)
{
	return (unsigned)m <= START_LOCAL ? start_names[m] : "local";
}

const char *stop_reason_name(enum stop_reason r)
{
	return (unsigned)r <= STOP_OTHER ? stop_names[r] : "Other";
}

const char *swipe_result_name(enum swipe_result r)
{
	return (unsigned)r <= SWIPE_AUTHORIZING ? swipe_names[r] : "failed";
}

static void trace(struct charger *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trace(struct charger *ch, const char *fmt, ...)
{
	if (!ch->ev || !ch->ev->log)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ch->ev->log(ch->ev->user, buf);
}

struct charger *charger_new(const struct settings *s, const struct auth_list *cards,
			    const struct board_ops *board, const struct chg_events *ev)
{
	struct charger *ch = calloc(1, sizeof *ch);
	if (!ch)
		return NULL;
	ch->set = s;
	ch->cards = cards;
	ch->board = board;
	ch->ev = ev;
	ch->prof = profile_get(settings_profile(s));
	ch->n = ch->prof->connectors;
	ch->hw_max_a = ch->prof->hw_max_a;
	policy_cfg_load(&ch->pcfg, s);
	ch->prot = protect_new(ch->n, ch->prof->region);
	if (!ch->prot) {
		free(ch);
		return NULL;
	}
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		c->id = i + 1;
		c->cp = IEC_CP_A;
		c->duty = -1; /* unknown: the first update commands it */
		c->status = CS_AVAILABLE;
		c->led = "";
		c->brightness = -1;
		c->sched_a = -1;
		c->sched_next = INT64_MAX;
		c->group_a = -1;
	}
	ch->sched0_a = -1;
	for (int p = 0; p < 3; p++)
		ch->lm_a[p] = -1;
	ch->sched0_next = INT64_MAX;
	return ch;
}

void charger_free(struct charger *ch)
{
	if (!ch)
		return;
	protect_free(ch->prot);
	free(ch);
}

void charger_set_clock(struct charger *ch, int64_t mono_ms, int64_t utc_ms)
{
	ch->utc_offset_ms = utc_ms - mono_ms;
}

int64_t charger_utc(const struct charger *ch, int64_t now_ms)
{
	int64_t ms = now_ms + ch->utc_offset_ms;
	return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

int charger_connectors(const struct charger *ch)
{
	return ch->n;
}

static struct conn *conn_get(struct charger *ch, int id)
{
	if (id < 1 || id > ch->n)
		return NULL;
	return &ch->c[id - 1];
}

static bool plugged(const struct conn *c)
{
	return c->cp == IEC_CP_B || c->cp == IEC_CP_C || c->cp == IEC_CP_D;
}

static bool operative(const struct charger *ch, const struct conn *c)
{
	return !ch->inoperative && !c->inoperative;
}

static uint32_t all_faults(const struct charger *ch, const struct conn *c)
{
	return protect_reported(ch->prot, c->id);
}

static bool blocked(const struct charger *ch, const struct conn *c)
{
	return ch->halted || protect_blocks(ch->prot, c->id);
}

/* The connector shows Faulted. */
static bool faulted(const struct charger *ch, const struct conn *c)
{
	return blocked(ch, c) || c->cp == IEC_CP_E || c->cp == IEC_CP_INVALID;
}

/* ---- reservations (C7) --------------------------------------------------- */

static bool same_tag(const char *a, const char *b)
{
	return a && b && a[0] && b[0] && strcasecmp(a, b) == 0;
}

/* May an id tag of group parent ("" or NULL: none) use reservation r? The
 * reserved id tag, the reservation's parentIdTag itself, or a card of that
 * group (OCPP 1.6 5.13). */
static bool res_matches(const struct chg_reservation *r, const char *tag, const char *parent)
{
	return same_tag(tag, r->id_tag) || same_tag(tag, r->parent) || same_tag(parent, r->parent);
}

static int res_index(const struct charger *ch, int32_t id)
{
	for (int i = 0; i < ch->nres; i++)
		if (ch->res[i].id == id)
			return i;
	return -1;
}

/* The reservation of connector c itself, or NULL. */
static const struct chg_reservation *conn_res(const struct charger *ch, const struct conn *c)
{
	for (int i = 0; i < ch->nres; i++)
		if (ch->res[i].connector == c->id)
			return &ch->res[i];
	return NULL;
}

static int zero_res(const struct charger *ch)
{
	int z = 0;
	for (int i = 0; i < ch->nres; i++)
		z += ch->res[i].connector == 0;
	return z;
}

/* A connector the connector-0 reservations can count on: no session,
 * operative, not faulted, not reserved itself. An EV plugged without a
 * session does not take it away (only a session does). */
static bool in_pool(const struct charger *ch, const struct conn *c)
{
	return !c->in_session && !c->starting && operative(ch, c) && !faulted(ch, c) &&
	       !conn_res(ch, c);
}

/* Held for the connector-0 reservations: they need every connector they can
 * count on (one each), so only their id tags may start there. */
static bool held(const struct charger *ch, const struct conn *c)
{
	int z = zero_res(ch);
	if (z == 0 || !in_pool(ch, c))
		return false;
	int pool = 0;
	for (int i = 0; i < ch->n; i++)
		pool += in_pool(ch, &ch->c[i]);
	return pool <= z;
}

/* The reservation id_tag uses by starting on c: c's own if it may, else a
 * connector-0 reservation it may use; NULL if none. */
static const struct chg_reservation *res_for(const struct charger *ch, const struct conn *c,
					     const char *tag, const char *parent)
{
	const struct chg_reservation *r = conn_res(ch, c);
	if (r)
		return res_matches(r, tag, parent) ? r : NULL;
	for (int i = 0; i < ch->nres; i++)
		if (ch->res[i].connector == 0 && res_matches(&ch->res[i], tag, parent))
			return &ch->res[i];
	return NULL;
}

/* May id_tag start on c as far as the reservations go? */
static bool res_allows(const struct charger *ch, const struct conn *c, const char *tag,
		       const char *parent)
{
	const struct chg_reservation *r = conn_res(ch, c);
	if (r)
		return res_matches(r, tag, parent);
	if (held(ch, c))
		return res_for(ch, c, tag, parent) != NULL;
	return true;
}

/* Connector c is reserved: its own reservation or held for connector 0. */
static bool reserved(const struct charger *ch, const struct conn *c)
{
	return conn_res(ch, c) || held(ch, c);
}

static void res_drop(struct charger *ch, int i)
{
	memmove(&ch->res[i], &ch->res[i + 1], (size_t)(ch->nres - i - 1) * sizeof ch->res[0]);
	ch->nres--;
}

static void res_remove(struct charger *ch, int i, const char *why)
{
	const struct chg_reservation *r = &ch->res[i];
	if (r->connector)
		trace(ch, "connector %d: reservation %d for %s %s", r->connector, (int)r->id,
		      r->id_tag, why);
	else
		trace(ch, "reservation %d of the charger for %s %s", (int)r->id, r->id_tag, why);
	res_drop(ch, i);
}

/* The parentIdTag the authorizer knows for id into buf ("" if none known). */
static void parent_of(const struct charger *ch, const char *id, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!ch->auth || !ch->auth->parent || !ch->auth->parent(ch->auth->user, id, buf, len))
		buf[0] = '\0';
}

/* A fault input changed: the rule decides; the change is traced and told. */
static void fault_input(struct charger *ch, int64_t now, int conn, enum fault_id f, bool on)
{
	const struct fault_def *d = fault_def(f);
	int where = d->charger_wide ? 0 : conn;
	enum fault_state before = protect_state(ch->prot, where, f);
	if (!protect_input(ch->prot, now, where, f, on))
		return;
	enum fault_state after = protect_state(ch->prot, where, f);
	if (where)
		trace(ch, "connector %d: fault %s %s", where, d->name, fault_state_name(after));
	else
		trace(ch, "fault %s %s", d->name, fault_state_name(after));
	if ((before == FS_OFF) != (after == FS_OFF) && ch->ev && ch->ev->fault)
		ch->ev->fault(ch->ev->user, where, f, after != FS_OFF);
}

static double cable_rating(const struct charger *ch, const struct conn *c)
{
	return ch->prof->tethered ? ch->prof->cable_rating_a : c->pp_a;
}

/* Supply lines a connector loads: 3-phase connectors all three; 1-phase ones
 * the line its phase rotation puts on its L1 (R = L1, S = L2, T = L3). */
static unsigned conn_phase_mask(const struct charger *ch, int id, int phases)
{
	if (phases >= 3)
		return 7u;
	const char *rot = settings_str(ch->set, SET_CONNECTOR_PHASE_ROTATION);
	char key[8];
	snprintf(key, sizeof key, "%d.", id);
	size_t klen = strlen(key);
	for (const char *p = rot; p && *p;) {
		if (strncmp(p, key, klen) == 0) {
			char r = p[klen];
			if (r == 'S')
				return 2u;
			if (r == 'T' && p[klen + 1] != 'e')
				return 4u;
			return 1u;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 1u;
}

static int supply_phases(const struct charger *ch)
{
	return (int)settings_int(ch->set, SET_SUPPLY_PHASES);
}

/* Does this connector want a share of the installer limit, and how much at
 * most? Sessions whose EV is not drawing keep only the minimum reserved, so
 * that they can resume at once without exceeding the limit. */
static void limits_of(const struct charger *ch, const struct conn *c, struct limit *lim, int *n)
{
	int k = 0;
	lim[k++] = (struct limit){LIM_HARDWARE, ch->hw_max_a};
	lim[k++] = (struct limit){LIM_CABLE, cable_rating(ch, c)};
	if (blocked(ch, c))
		lim[k++] = (struct limit){LIM_FAULT, 0};
	if (c->cp == IEC_CP_D)
		lim[k++] = (struct limit){LIM_VENTILATION, 0};
	if (c->in_session && c->s.deauthorized &&
	    c->meter.energy_wh - c->s.deauth_start_wh >= c->s.deauth_max_wh)
		lim[k++] = (struct limit){LIM_DEAUTHORIZED, 0};
	if (c->in_session && c->pol_r.src != LIM_NONE)
		lim[k++] = (struct limit){c->pol_r.src, 0};
	if (c->in_session && c->sched_a >= 0)
		lim[k++] = (struct limit){LIM_SCHEDULE, c->sched_a};
	if (c->group_a >= 0)
		lim[k++] = (struct limit){LIM_GROUP, c->group_a};
	*n = k;
}

static void arbitrate(struct charger *ch)
{
	struct share_in in[PROFILE_MAX_CONNECTORS];
	struct arb_result own[PROFILE_MAX_CONNECTORS];
	double share[PROFILE_MAX_CONNECTORS];
	bool drawing[PROFILE_MAX_CONNECTORS];
	int phases = supply_phases(ch);
	double il = settings_double(ch->set, SET_CHARGER_CURRENT_LIMIT);
	/* A ChargePointMaxProfile caps the charger as a whole, like the
	 * installer limit (C8). */
	bool sched_caps = ch->sched0_a >= 0 && ch->sched0_a < il;
	if (sched_caps)
		il = ch->sched0_a;
	enum limit_src cap_src = sched_caps ? LIM_SCHEDULE : LIM_INSTALLER;
	double lim3[3] = {il, il, il};
	/* Site load management caps each phase of the charger as a whole
	 * (E2 E3): the site's other loads always come first. */
	for (int p = 0; p < 3; p++)
		if (ch->lm_a[p] >= 0 && ch->lm_a[p] < lim3[p]) {
			lim3[p] = ch->lm_a[p];
			cap_src = LIM_LOAD_MGMT;
		}

	/* Pass 1: drawing connectors share the installer limit; sessions whose
	 * EV is not drawing reserve the minimum, so they can start at once. */
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		struct limit lim[8];
		int k;
		limits_of(ch, c, lim, &k);
		own[i] = arbiter_decide(lim, k, IEC_MIN_CURRENT_A);
		bool wants = c->in_session && own[i].amps > 0 && plugged(c);
		drawing[i] = wants && c->cp == IEC_CP_C;
		double cap = drawing[i] ? own[i].amps : IEC_MIN_CURRENT_A;
		in[i].cap = wants ? cap : 0;
		in[i].phases = conn_phase_mask(ch, c->id, phases);
		/* Earlier sessions first; connector number breaks ties. */
		in[i].priority = c->in_session ? (int)(c->s.number * 8 + c->id) : 1 << 30;
	}
	alloc_share(in, ch->n, lim3, IEC_MIN_CURRENT_A, share);

	/* Pass 2: what is left on their phases raises the offer of sessions
	 * that are not drawing, up to their own limit. It is unused now; when
	 * such an EV starts drawing, pass 1 runs again with it included. */
	double room[3] = {lim3[0], lim3[1], lim3[2]};
	for (int i = 0; i < ch->n; i++)
		for (int p = 0; p < 3; p++)
			if (in[i].phases & (1u << p))
				room[p] -= share[i];
	for (int i = 0; i < ch->n; i++) {
		if (drawing[i] || share[i] <= 0)
			continue;
		double extra = own[i].amps - share[i];
		for (int p = 0; p < 3; p++)
			if ((in[i].phases & (1u << p)) && room[p] < extra)
				extra = room[p];
		if (extra > 0) {
			share[i] += extra;
			for (int p = 0; p < 3; p++)
				if (in[i].phases & (1u << p))
					room[p] -= extra;
		}
	}

	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		struct arb_result r;
		if (!c->in_session || !plugged(c))
			r = (struct arb_result){0, c->in_session ? LIM_EV : LIM_NONE};
		else if (own[i].amps <= 0)
			r = own[i];
		else if (share[i] + 1e-6 < own[i].amps)
			r = (struct arb_result){share[i] >= IEC_MIN_CURRENT_A ? share[i] : 0,
						cap_src};
		else
			r = own[i];
		if (r.amps != c->offer.amps || r.src != c->offer.src)
			trace(ch, "connector %d: offered %.1f A (%s)", c->id, r.amps,
			      limit_src_name(r.src));
		c->offer = r;
	}
}

/* ---- outputs ------------------------------------------------------------ */

static void set_pwm(struct charger *ch, struct conn *c, int duty)
{
	if (c->duty == duty)
		return;
	c->duty = duty;
	if (ch->board && ch->board->pwm)
		ch->board->pwm(ch->board->user, c->id, duty);
}

static void set_contactor(struct charger *ch, struct conn *c, int64_t now, bool closed, int phases)
{
	if (c->contactor == closed && (!closed || c->contactor_phases == phases))
		return;
	c->contactor = closed;
	c->contactor_phases = closed ? phases : 0;
	c->open_deadline = 0;
	c->opened_at = now;
	c->weld = closed || !c->have_meter ? WELD_NONE : WELD_FIRST;
	trace(ch, "connector %d: contactor %s", c->id, closed ? "closed" : "open");
	if (ch->board && ch->board->contactor)
		ch->board->contactor(ch->board->user, c->id, closed, phases);
}

static void set_lock(struct charger *ch, struct conn *c, bool locked)
{
	if (ch->prof->tethered || c->lock_cmd == locked)
		return;
	c->lock_cmd = locked;
	if (!locked)
		c->lock_ok = false;
	if (ch->board && ch->board->lock)
		ch->board->lock(ch->board->user, c->id, locked);
}

/* A card waits for an EV and c is where it will go: the connector it was
 * given, the one reserved for it, or the only free one it may use. */
static bool pending_here(const struct charger *ch, const struct conn *c, int64_t now)
{
	if (!ch->pending || now >= ch->pending_until)
		return false;
	if (ch->pending_conn)
		return ch->pending_conn == c->id;
	if (!res_allows(ch, c, ch->pending_id, ch->pending_parent))
		return false;
	if (conn_res(ch, c))
		return true;
	int free_conns = 0;
	for (int i = 0; i < ch->n; i++) {
		const struct conn *o = &ch->c[i];
		if (!o->in_session && !plugged(o) && operative(ch, o) &&
		    res_allows(ch, o, ch->pending_id, ch->pending_parent))
			free_conns++;
	}
	return free_conns == 1;
}

static enum conn_status derive_status(const struct charger *ch, const struct conn *c, int64_t now)
{
	if (ch->halted)
		return CS_UNAVAILABLE;
	if (faulted(ch, c))
		return CS_FAULTED;
	if (c->in_session) {
		if (!plugged(c))
			return CS_SUSPENDED_EV;
		if (c->contactor && c->cp == IEC_CP_C && c->offer.amps > 0)
			return CS_CHARGING;
		if (c->offer.amps <= 0)
			return CS_SUSPENDED_EVSE;
		if (c->cp == IEC_CP_C)
			return CS_CHARGING;
		return CS_SUSPENDED_EV;
	}
	if (!operative(ch, c))
		return CS_UNAVAILABLE;
	/* A reserved connector stays Reserved when an EV is plugged: only the
	 * reservation's id tag leaves that state (OCPP 1.6 transition E2). */
	if (plugged(c))
		return c->finishing ? CS_FINISHING : reserved(ch, c) ? CS_RESERVED : CS_PREPARING;
	if (pending_here(ch, c, now))
		return CS_PREPARING;
	return reserved(ch, c) ? CS_RESERVED : CS_AVAILABLE;
}

/* The fault a connector shows: the first that forbids power, else the
 * first reported; -1 for none. */
static int shown_fault(const struct charger *ch, const struct conn *c, bool *locked)
{
	uint32_t m = all_faults(ch, c);
	int pick = -1;
	for (int f = 0; f < FAULT_COUNT && m; f++) {
		if (!(m & (1u << f)))
			continue;
		if (pick < 0)
			pick = f;
		if (fault_def((enum fault_id)f)->blocks_power) {
			pick = f;
			break;
		}
	}
	*locked = pick >= 0 && protect_state(ch->prot, c->id, (enum fault_id)pick) == FS_LOCKED;
	return pick;
}

static void indication_of(const struct charger *ch, const struct conn *c, int64_t now,
			  struct ind_in *ind)
{
	memset(ind, 0, sizeof *ind);
	ind->status = c->status;
	ind->plugged = plugged(c);
	ind->authorized = c->in_session || (ch->pending && now < ch->pending_until);
	ind->rejected = now < ch->reject_until;
	ind->delayed = c->in_session && c->offer.amps <= 0 && policy_delays(c->offer.src);
	ind->fault = shown_fault(ch, c, &ind->fault_locked);
	ind->now_ms = now;
	ind->voltage_v = c->meter.voltage_v[0];
	ind->current_a = c->meter.current_a[0];
	ind->frequency_hz = c->meter.frequency_hz;
	ind->identify = now < ch->identify_until;
	if (c->in_session) {
		ind->session_kwh = (c->meter.energy_wh - c->s.meter_start_wh) / 1000.0;
		ind->session_min = (charger_utc(ch, now) - c->s.start_utc) / 60;
	}
}

/* LightIntensity and the dimming settings (MQ200 Dim Option / Intensity). */
static struct ind_dim led_dim(const struct charger *ch)
{
	return (struct ind_dim){
	    .full_pct = (int)settings_int(ch->set, SET_LIGHT_INTENSITY),
	    .dim_after_s = (int)settings_int(ch->set, SET_LED_DIM_AFTER),
	    .dim_pct = (int)settings_int(ch->set, SET_LED_DIM_INTENSITY),
	};
}

static void apply(struct charger *ch, struct conn *c, int64_t now)
{
	bool block = blocked(ch, c);
	bool want_lock = !ch->prof->tethered && !block &&
			 ((c->in_session &&
			   (plugged(c) || !settings_bool(ch->set, SET_UNLOCK_ON_EV_DISCONNECT))) ||
			  (c->starting && plugged(c)));
	bool lock_ready = ch->prof->tethered || (c->lock_cmd && c->lock_ok);
	int duty;
	bool close = false;

	set_lock(ch, c, want_lock);
	if (block)
		duty = IEC_DUTY_F;
	else if (c->in_session && plugged(c) && lock_ready && c->offer.amps > 0)
		duty = iec_duty_from_current(c->offer.amps);
	else
		duty = IEC_DUTY_OFF;
	set_pwm(ch, c, duty);

	if (!block && c->in_session && c->cp == IEC_CP_C && duty != IEC_DUTY_OFF &&
	    duty != IEC_DUTY_F)
		close = true;

	int phases = supply_phases(ch);
	if (close) {
		c->open_deadline = 0;
		set_contactor(ch, c, now, true, phases);
	} else if (c->contactor) {
		/* Open at once on a fault or when the EV no longer draws;
		 * otherwise give the EV its grace time to stop drawing. */
		if (block || c->cp != IEC_CP_C) {
			set_contactor(ch, c, now, false, 0);
		} else if (c->open_deadline == 0) {
			c->open_deadline = now + OPEN_GRACE_MS;
		} else if (now >= c->open_deadline) {
			trace(ch, "connector %d: EV kept drawing, opening under load", c->id);
			set_contactor(ch, c, now, false, 0);
		}
	}

	enum conn_status st = derive_status(ch, c, now);
	/* A fault that forbids nothing changes no status but is still
	 * reported (its errorCode): that is an event too. */
	uint32_t faults = all_faults(ch, c);
	if (st != c->status || !c->status_sent || faults != c->faults_told) {
		if (st != c->status) {
			trace(ch, "connector %d: %s -> %s", c->id, conn_status_name(c->status),
			      conn_status_name(st));
			c->led_since = now; /* activity: the LEDs light up fully */
		}
		c->status = st;
		c->status_sent = true;
		c->faults_told = faults;
		if (ch->ev && ch->ev->status)
			ch->ev->status(ch->ev->user, c->id, st);
	}
	struct ind_in ind;
	indication_of(ch, c, now, &ind);
	const char *led = indication_led(ch->prof->leds, &ind);
	if (strcmp(led, c->led) != 0) {
		c->led = led;
		c->led_since = now;
		if (ch->board && ch->board->led)
			ch->board->led(ch->board->user, c->id, led);
	}
	struct ind_dim dim = led_dim(ch);
	int pct = indication_brightness(&dim, c->led_since, now);
	if (pct != c->brightness) {
		c->brightness = pct;
		if (ch->board && ch->board->led_brightness)
			ch->board->led_brightness(ch->board->user, c->id, pct);
	}
}

static void on_plugged(struct charger *ch, struct conn *c, int64_t now);

/* A reservation ended: an EV already plugged there may start now (free
 * charging, a card waiting for it). */
static void res_freed(struct charger *ch, int64_t now)
{
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (!c->in_session && !c->starting && !c->finishing && plugged(c))
			on_plugged(ch, c, now);
	}
}

/* Reservations end at their expiry, and when their connector (or the
 * charger, for connector 0) becomes Faulted or Unavailable (OCPP 1.6 5.13). */
static void res_check(struct charger *ch, int64_t now)
{
	if (ch->halted)
		return;
	int64_t utc = charger_utc(ch, now);
	bool freed = false;
	for (int i = ch->nres - 1; i >= 0; i--) {
		const struct chg_reservation *r = &ch->res[i];
		const struct conn *c = r->connector ? &ch->c[r->connector - 1] : NULL;
		const char *why = NULL;
		if (r->expiry_utc <= utc)
			why = "expired";
		else if (c ? faulted(ch, c) : protect_blocks(ch->prot, 0))
			why = "ended: faulted";
		else if (c ? !operative(ch, c) : ch->inoperative)
			why = "ended: unavailable";
		if (why) {
			res_remove(ch, i, why);
			freed = true;
		}
	}
	if (freed)
		res_freed(ch, now);
}

/* Does a CSMS charging profile apply to c? Then the hours of operation do
 * not (MQ200 7.3.2: settings from the Central System supersede them). */
static bool csms_profile_active(const struct charger *ch, const struct conn *c)
{
	(void)ch;
	return c->sched_a >= 0;
}

/* The local policies' verdict for every session (D1 D2 D3 A12). */
static void policies(struct charger *ch, int64_t now)
{
	struct policy_clock clk = {now, now + ch->utc_offset_ms};
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (!c->in_session) {
			c->pol_r = (struct policy_result){LIM_NONE, INT64_MAX};
			continue;
		}
		int64_t delay = c->pol.delay_until;
		c->pol_r = policy_eval(&ch->pcfg, &c->pol, &ch->pch, &ch->rng, &clk,
				       csms_profile_active(ch, c));
		if (c->pol.delay_until != delay && c->pol.delay_until > now)
			trace(ch, "connector %d: randomised delay %lld s", c->id,
			      (long long)(c->pol.delay_until - now) / 1000);
	}
}

/* The limits of the CSMS's charging profiles now, and when they change
 * (C8). */
static void schedules(struct charger *ch, int64_t now)
{
	int64_t utc = charger_utc(ch, now);
	ch->sched0_a = -1;
	ch->sched0_next = INT64_MAX;
	if (ch->sched)
		ch->sched0_a = ch->sched->limit(ch->sched->user, 0, utc, NULL, &ch->sched0_next);
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		c->sched_a = -1;
		c->sched_next = INT64_MAX;
		if (ch->sched && c->in_session)
			c->sched_a =
			    ch->sched->limit(ch->sched->user, c->id, utc, &c->s, &c->sched_next);
	}
}

static void update(struct charger *ch, int64_t now)
{
	if (!ch->started)
		return;
	if (ch->pending && now >= ch->pending_until) {
		trace(ch, "authorization of %s expired: no EV connected", ch->pending_id);
		ch->pending = false;
	}
	res_check(ch, now);
	schedules(ch, now);
	policies(ch, now);
	arbitrate(ch);
	for (int i = 0; i < ch->n; i++)
		apply(ch, &ch->c[i], now);
	if (ch->reject_until && now >= ch->reject_until)
		ch->reject_until = 0;
}

void charger_start(struct charger *ch, int64_t now)
{
	ch->started = true;
	if (ch->power_loss) {
		policy_power_loss(&ch->pcfg, &ch->pch, &ch->rng, now);
		if (ch->pch.cold_until)
			trace(ch, "started after a power loss: cold load pickup delay %lld s",
			      (long long)(ch->pch.cold_until - now) / 1000);
	}
	update(ch, now);
}

void charger_set_random(struct charger *ch, uint32_t (*rnd)(void *user), void *user)
{
	ch->rng = (struct policy_rng){rnd, user};
}

void charger_power_loss(struct charger *ch)
{
	ch->power_loss = true;
}

void charger_board_ready(struct charger *ch, int64_t now)
{
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		policy_board_ready(&ch->pcfg, &c->pol, ch->power_loss && plugged(c));
		if (c->pol.held)
			trace(ch, "connector %d: EV plugged through the power loss: not resumed",
			      c->id);
	}
	update(ch, now);
}

/* ---- sessions ----------------------------------------------------------- */

static bool begin_session(struct charger *ch, struct conn *c, int64_t now, const char *id_tag,
			  enum start_mode mode);

/* Start a session for id_tag (of group parent, "" = none) on c; a
 * reservation it may use there is used up. On a socket the cable is locked
 * first and the session begins when the board confirms the lock (a lock
 * failure starts nothing). */
static bool start_session(struct charger *ch, struct conn *c, int64_t now, const char *id_tag,
			  const char *parent, enum start_mode mode)
{
	/* A card waiting for a plug is used up by the start it makes. */
	if (ch->pending && strcasecmp(ch->pending_id, id_tag) == 0)
		ch->pending = false;
	/* The reservation ends with the start; its id goes into the
	 * StartTransaction (OCPP 1.6 5.13). */
	const struct chg_reservation *r = res_for(ch, c, id_tag, parent);
	c->start_resv = r != NULL;
	if (r) {
		c->start_res = *r;
		res_remove(ch, (int)(r - ch->res), "used");
	}
	if (ch->prof->tethered || (c->lock_cmd && c->lock_ok))
		return begin_session(ch, c, now, id_tag, mode);
	c->starting = true;
	snprintf(c->start_id, sizeof c->start_id, "%s", id_tag);
	c->start_mode = mode;
	trace(ch, "connector %d: locking the cable for %s", c->id, id_tag);
	update(ch, now);
	return true;
}

static bool begin_session(struct charger *ch, struct conn *c, int64_t now, const char *id_tag,
			  enum start_mode mode)
{
	struct chg_session s = {0};
	s.connector = c->id;
	snprintf(s.id_tag, sizeof s.id_tag, "%s", id_tag);
	s.start_mode = mode;
	s.start_utc = charger_utc(ch, now);
	s.meter_start_wh = c->meter.energy_wh;
	s.with_reservation = c->start_resv;
	s.reservation_id = c->start_resv ? c->start_res.id : 0;
	c->start_resv = false;
	int64_t num = 1;
	if (ch->ev && ch->ev->session_start)
		num = ch->ev->session_start(ch->ev->user, &s);
	if (num <= 0) {
		trace(ch, "connector %d: session for %s could not be recorded; not started", c->id,
		      id_tag);
		return false;
	}
	s.number = num;
	c->s = s;
	c->in_session = true;
	c->finishing = false;
	policy_session_start(&ch->pcfg, &c->pol, &ch->rng, now, mode != START_FREE);
	if (c->pol.delay_until > now)
		trace(ch, "connector %d: randomised delay %lld s", c->id,
		      (long long)(c->pol.delay_until - now) / 1000);
	trace(ch, "connector %d: session %lld started (%s, %s)", c->id, (long long)num,
	      start_mode_name(mode), id_tag);
	return true;
}

static bool any_session(const struct charger *ch)
{
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].in_session)
			return true;
	return false;
}

static void set_operative(struct charger *ch, int conn, bool *flag, bool op)
{
	if (*flag == !op)
		return;
	*flag = !op;
	if (conn)
		trace(ch, "connector %d: %s", conn, op ? "operative" : "inoperative");
	else
		trace(ch, "charger: %s", op ? "operative" : "inoperative");
	if (ch->ev && ch->ev->availability)
		ch->ev->availability(ch->ev->user, conn, op);
}

/* Availability changes scheduled during a session take effect after it. */
static void apply_scheduled_availability(struct charger *ch)
{
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (c->avail_pending && !c->in_session) {
			set_operative(ch, c->id, &c->inoperative, c->avail_pending > 0);
			c->avail_pending = 0;
		}
	}
	if (ch->avail_pending && !any_session(ch)) {
		set_operative(ch, 0, &ch->inoperative, ch->avail_pending > 0);
		ch->avail_pending = 0;
	}
}

static void stop_session(struct charger *ch, struct conn *c, int64_t now, enum stop_reason r,
			 const char *mode)
{
	if (!c->in_session)
		return;
	c->s.stop_utc = charger_utc(ch, now);
	c->s.meter_stop_wh = c->meter.energy_wh;
	if (c->s.meter_stop_wh < c->s.meter_start_wh)
		c->s.meter_stop_wh = c->s.meter_start_wh;
	c->s.reason = r;
	c->s.stop_mode = mode;
	c->in_session = false;
	c->finishing = plugged(c);
	protect_session_end(ch->prot, c->id);
	trace(ch, "connector %d: session %lld stopped (%s, %.1f Wh)", c->id, (long long)c->s.number,
	      stop_reason_name(r), c->s.meter_stop_wh - c->s.meter_start_wh);
	if (ch->ev && ch->ev->session_stop)
		ch->ev->session_stop(ch->ev->user, &c->s);
	apply_scheduled_availability(ch);
}

static const char *free_id_tag(const struct charger *ch)
{
	const char *pnc = settings_str(ch->set, SET_AUTH_PNC_ID);
	if (pnc[0])
		return pnc;
	if (!settings_bool(ch->set, SET_AUTH_REQUIRED))
		return settings_str(ch->set, SET_AUTH_DEFAULT_ID_TAG);
	return NULL;
}

/* A connector became plugged without a session: start one if free charging
 * or a pending authorization allows. */
static void on_plugged(struct charger *ch, struct conn *c, int64_t now)
{
	const char *free_tag = free_id_tag(ch);
	if (!operative(ch, c) || blocked(ch, c))
		return;
	/* Free charging never takes a connector reserved for someone. */
	if (free_tag) {
		if (res_allows(ch, c, free_tag, ""))
			(void)start_session(ch, c, now, free_tag, "", START_FREE);
		return;
	}
	if (ch->pending && now < ch->pending_until &&
	    (ch->pending_conn == 0 || ch->pending_conn == c->id) &&
	    res_allows(ch, c, ch->pending_id, ch->pending_parent)) {
		char id[AUTH_ID_MAX + 1], parent[AUTH_ID_MAX + 1];
		snprintf(id, sizeof id, "%s", ch->pending_id);
		snprintf(parent, sizeof parent, "%s", ch->pending_parent);
		ch->pending = false;
		(void)start_session(ch, c, now, id, parent, ch->pending_mode);
	}
}

/* The EV left before its session could begin: the reservation it was to
 * use holds again (if it has not expired meanwhile). */
static void res_restore(struct charger *ch, struct conn *c, int64_t now)
{
	c->start_resv = false;
	if (ch->nres < CHG_RESERVATIONS_MAX && res_index(ch, c->start_res.id) < 0 &&
	    c->start_res.expiry_utc > charger_utc(ch, now)) {
		ch->res[ch->nres++] = c->start_res;
		trace(ch, "connector %d: reservation %d for %s holds again", c->id,
		      (int)c->start_res.id, c->start_res.id_tag);
	}
}

void charger_on_cp(struct charger *ch, int64_t now, int conn, enum iec_cp cp)
{
	struct conn *c = conn_get(ch, conn);
	if (!c || c->cp == cp) {
		update(ch, now);
		return;
	}
	enum iec_cp old = c->cp;
	bool was_plugged = plugged(c);
	c->cp = cp;
	trace(ch, "connector %d: CP %s -> %s", c->id, iec_cp_name(old), iec_cp_name(cp));
	if (cp == IEC_CP_E || cp == IEC_CP_INVALID)
		fault_input(ch, now, c->id, FAULT_CP, true);
	else if (old == IEC_CP_E || old == IEC_CP_INVALID)
		fault_input(ch, now, c->id, FAULT_CP, false);

	if (!was_plugged && plugged(c)) {
		c->plugged_at = now;
		c->finishing = false;
		if (!c->in_session)
			on_plugged(ch, c, now);
	} else if (was_plugged && cp == IEC_CP_A) {
		c->finishing = false;
		policy_unplugged(&c->pol);
		if (c->starting && c->start_resv)
			res_restore(ch, c, now);
		c->starting = false;
		if (c->in_session && settings_bool(ch->set, SET_STOP_TX_ON_EV_DISCONNECT))
			stop_session(ch, c, now, STOP_EV_DISCONNECTED, "unplug");
	}
	update(ch, now);
}

void charger_on_pp(struct charger *ch, int64_t now, int conn, double rating_a)
{
	struct conn *c = conn_get(ch, conn);
	if (c && c->pp_a != rating_a) {
		trace(ch, "connector %d: cable rating %.0f A", c->id, rating_a);
		c->pp_a = rating_a;
	}
	update(ch, now);
}

void charger_on_lock(struct charger *ch, int64_t now, int conn, bool locked)
{
	struct conn *c = conn_get(ch, conn);
	if (c) {
		if (c->lock_cmd && !locked) {
			trace(ch, "connector %d: socket lock failed", c->id);
			fault_input(ch, now, c->id, FAULT_LOCK, true);
			if (c->starting)
				trace(ch,
				      "connector %d: no session for %s: the cable cannot be locked",
				      c->id, c->start_id);
			c->starting = false;
		}
		c->lock_ok = c->lock_cmd && locked;
		if (c->starting && c->lock_ok) {
			c->starting = false;
			/* Things may have changed while the lock was moving. */
			if (operative(ch, c) && !blocked(ch, c) && plugged(c))
				(void)begin_session(ch, c, now, c->start_id, c->start_mode);
			else
				trace(ch, "connector %d: start for %s abandoned", c->id,
				      c->start_id);
		}
	}
	update(ch, now);
}

static void weld_decide(struct charger *ch, struct conn *c, int64_t now);

void charger_on_meter(struct charger *ch, int64_t now, int conn, const struct meter_reading *m)
{
	struct conn *c = conn_get(ch, conn);
	if (c) {
		double prev = c->meter.energy_wh;
		c->meter = *m;
		c->meter_at = now;
		c->have_meter = true;
		/* A settled reading after the first check: the contactor can
		 * be judged now. */
		if ((c->weld == WELD_WAIT || c->weld == WELD_LATE) &&
		    now >= c->opened_at + WELD_SETTLE_MS) {
			weld_decide(ch, c, now);
			update(ch, now);
		}
		/* The register never goes backwards. */
		if (c->meter.energy_wh < prev)
			c->meter.energy_wh = prev;
		/* MaxEnergyOnInvalidId is counted on the meter: act on the reading
		 * that reaches it. */
		if (c->in_session && c->s.deauthorized &&
		    c->meter.energy_wh - c->s.deauth_start_wh >= c->s.deauth_max_wh &&
		    c->offer.src != LIM_DEAUTHORIZED)
			update(ch, now);
	}
}

void charger_on_dip(struct charger *ch, int64_t now, unsigned sw)
{
	if (ch->prof->dip_switch) {
		ch->hw_max_a = profile_dip_current(sw);
		trace(ch, "DIP switch %u%u%u: hardware maximum %.0f A", (sw >> 2) & 1u,
		      (sw >> 1) & 1u, sw & 1u, ch->hw_max_a);
	}
	update(ch, now);
}

/* The accelerometer's reading against its calibrated reference (G6 "save
 * tilt + calibrate": tilt.zero_g / tilt.zero_angle, the reading at rest). */
static void motion_eval(struct charger *ch, int64_t now)
{
	if (!settings_bool(ch->set, SET_TILT_ENABLED))
		return;
	double g = fabs(ch->motion_g - settings_double(ch->set, SET_TILT_ZERO_G));
	double deg = fabs(ch->motion_deg - settings_double(ch->set, SET_TILT_ZERO_ANGLE));
	fault_input(ch, now, 0, FAULT_BUMP, g >= settings_double(ch->set, SET_TILT_BUMP_G));
	fault_input(ch, now, 0, FAULT_TILT, deg >= settings_double(ch->set, SET_TILT_ANGLE));
}

void charger_on_motion(struct charger *ch, int64_t now, double g, double degrees)
{
	ch->motion_g = g;
	ch->motion_deg = degrees;
	motion_eval(ch, now);
	update(ch, now);
}

void charger_motion(const struct charger *ch, double *g, double *degrees)
{
	*g = ch->motion_g;
	*degrees = ch->motion_deg;
}

static struct conn *waiting_conn(struct charger *ch, const char *tag, const char *parent);

/* A card is waiting and a plugged connector has become usable (a fault
 * cleared): the card is for it, as if the EV had just been plugged. */
static void consume_pending(struct charger *ch, int64_t now)
{
	if (!ch->pending || now >= ch->pending_until)
		return;
	struct conn *c = waiting_conn(ch, ch->pending_id, ch->pending_parent);
	if (c && !c->finishing)
		on_plugged(ch, c, now);
}

void charger_on_fault(struct charger *ch, int64_t now, int conn, enum fault_id f, bool on)
{
	const struct fault_def *d = fault_def(f);
	if (!d || conn < 0 || conn > ch->n || (conn == 0 && !d->charger_wide))
		return;
	if (f == FAULT_LOCK && !on) {
		/* Try the lock again once the fault is cleared. */
		for (int i = 0; i < ch->n; i++)
			if (conn == 0 || conn == ch->c[i].id) {
				ch->c[i].lock_cmd = false;
				ch->c[i].lock_ok = false; /* a new lock needs a new confirmation */
			}
	}
	fault_input(ch, now, conn, f, on);
	if (!on)
		consume_pending(ch, now);
	update(ch, now);
}

int charger_fault_reset(struct charger *ch, int64_t now, int conn)
{
	uint32_t before[PROFILE_MAX_CONNECTORS + 1];
	for (int c = 0; c <= ch->n; c++)
		before[c] = protect_reported(ch->prot, c);
	int n = protect_reset(ch->prot, now, conn);
	for (int c = 0; c <= ch->n; c++) {
		uint32_t gone = before[c] & ~protect_reported(ch->prot, c);
		for (int f = 0; f < FAULT_COUNT; f++)
			if ((gone & (1u << f)) && ch->ev && ch->ev->fault &&
			    (c == 0) == fault_def((enum fault_id)f)->charger_wide)
				ch->ev->fault(ch->ev->user, c, (enum fault_id)f, false);
	}
	if (n)
		trace(ch, "fault reset: %d lock-out%s lifted", n, n == 1 ? "" : "s");
	consume_pending(ch, now);
	update(ch, now);
	return n;
}

static struct conn *session_with_tag(struct charger *ch, const char *uid)
{
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].in_session && strcasecmp(ch->c[i].s.id_tag, uid) == 0)
			return &ch->c[i];
	return NULL;
}

/* The plugged connector without a session that a card (tag, of group
 * parent) should start: connectors waiting for authorization first (not
 * finishing), the one plugged earliest; none reserved for someone else. */
static struct conn *waiting_conn(struct charger *ch, const char *tag, const char *parent)
{
	struct conn *best = NULL;
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (c->in_session || c->starting || !plugged(c) || blocked(ch, c) ||
		    !operative(ch, c) || !res_allows(ch, c, tag, parent))
			continue;
		if (!best || (best->finishing && !c->finishing) ||
		    (best->finishing == c->finishing && c->plugged_at < best->plugged_at))
			best = c;
	}
	return best;
}

static void beep(struct charger *ch, enum beep_kind k)
{
	if (!settings_bool(ch->set, SET_SOUND_ENABLED))
		return;
	if (ch->board && ch->board->beep)
		ch->board->beep(ch->board->user, k);
}

static void set_pending(struct charger *ch, int64_t now, const char *id, const char *parent,
			int conn, enum start_mode mode);

/* Somewhere a card may charge: an operative connector without a session
 * that no reservation of someone else holds; or, none of them, nothing
 * reserved against it (it then waits, as any card did before C7). */
static bool reachable(const struct charger *ch, const char *tag, const char *parent)
{
	bool against = false;
	for (int i = 0; i < ch->n; i++) {
		const struct conn *c = &ch->c[i];
		if (!res_allows(ch, c, tag, parent))
			against = true;
		else if (!c->in_session && !c->starting && operative(ch, c))
			return true;
	}
	return !against;
}

/* A card was accepted or refused: start, wait for a plug, or show refusal.
 * An accepted card that only reserved connectors could take is refused
 * like an unknown one. */
static enum swipe_result card_decided(struct charger *ch, int64_t now, const char *uid,
				      bool accepted, int *conn)
{
	char parent[AUTH_ID_MAX + 1];
	parent_of(ch, uid, parent, sizeof parent);
	if (accepted && !reachable(ch, uid, parent)) {
		trace(ch, "card %s: the connectors it could use are reserved", uid);
		accepted = false;
	}
	if (!accepted) {
		trace(ch, "card %s not authorised", uid);
		ch->reject_until = now + REJECT_SHOW_MS;
		beep(ch, BEEP_REJECT);
		update(ch, now);
		return SWIPE_REJECTED;
	}
	beep(ch, BEEP_ACCEPT);
	struct conn *c = waiting_conn(ch, uid, parent);
	if (c) {
		*conn = c->id;
		bool ok = start_session(ch, c, now, uid, parent, START_RFID);
		update(ch, now);
		return ok ? SWIPE_STARTED : SWIPE_FAILED;
	}
	set_pending(ch, now, uid, parent, 0, START_RFID);
	trace(ch, "card %s authorized: waiting for an EV", uid);
	update(ch, now);
	return SWIPE_PENDING;
}

enum swipe_result charger_on_rfid(struct charger *ch, int64_t now, const char *uid, int *conn)
{

	char err[80];
	*conn = 0;
	if (!auth_id_valid(uid, err, sizeof err)) {
		beep(ch, BEEP_REJECT);
		return SWIPE_INVALID;
	}
	if (!settings_bool(ch->set, SET_AUTH_RFID_ENABLED)) {
		trace(ch, "card %s ignored: RFID reader disabled", uid);
		return SWIPE_IGNORED;
	}
	/* Stop by the same tag. */
	struct conn *c = session_with_tag(ch, uid);
	if (c) {
		*conn = c->id;
		beep(ch, BEEP_ACCEPT);
		stop_session(ch, c, now, STOP_LOCAL, "rfid");
		update(ch, now);
		return SWIPE_STOPPED;
	}
	enum chg_auth_answer a;
	/* The installer's card list is honoured before anything else. */
	if (auth_list_has(ch->cards, uid))
		a = CHG_AUTH_ACCEPT;
	else if (ch->auth && ch->auth->check)
		a = ch->auth->check(ch->auth->user, now, uid);
	else
		a = auth_list_has(ch->cards, uid) ? CHG_AUTH_ACCEPT : CHG_AUTH_REJECT;
	if (a == CHG_AUTH_ASK) {
		ch->authorizing = true;
		snprintf(ch->authorizing_id, sizeof ch->authorizing_id, "%s", uid);
		trace(ch, "card %s: waiting for authorization", uid);
		return SWIPE_AUTHORIZING;
	}
	return card_decided(ch, now, uid, a == CHG_AUTH_ACCEPT, conn);
}

void charger_auth_result(struct charger *ch, int64_t now, const char *id_tag, bool accepted)
{
	if (!ch->authorizing || strcasecmp(ch->authorizing_id, id_tag) != 0)
		return;
	ch->authorizing = false;
	char id[AUTH_ID_MAX + 1];
	snprintf(id, sizeof id, "%s", ch->authorizing_id); /* as the card gave it */
	int conn;
	(void)card_decided(ch, now, id, accepted, &conn);
}

void charger_set_authorizer(struct charger *ch, const struct chg_auth *a)
{
	ch->auth = a;
}

/* Pending authorization for id (of group parent) on conn (0 = any), for
 * ConnectionTimeOut. */
static void set_pending(struct charger *ch, int64_t now, const char *id, const char *parent,
			int conn, enum start_mode mode)
{
	ch->pending = true;
	snprintf(ch->pending_id, sizeof ch->pending_id, "%s", id);
	snprintf(ch->pending_parent, sizeof ch->pending_parent, "%s", parent);
	ch->pending_conn = conn;
	ch->pending_mode = mode;
	ch->pending_until = now + settings_int(ch->set, SET_CONNECTION_TIMEOUT) * 1000;
}

static bool can_start(const struct charger *ch, const struct conn *c)
{
	return !c->in_session && !c->starting && operative(ch, c) && !blocked(ch, c);
}

enum chg_result charger_remote_start(struct charger *ch, int64_t now, int conn, const char *id_tag)
{
	char err[80];
	if (!auth_id_valid(id_tag, err, sizeof err) || conn < 0 || conn > ch->n)
		return CHG_REJECTED;
	char parent[AUTH_ID_MAX + 1];
	parent_of(ch, id_tag, parent, sizeof parent);
	struct conn *c;
	if (conn > 0) {
		c = &ch->c[conn - 1];
		if (!can_start(ch, c) || !res_allows(ch, c, id_tag, parent))
			return CHG_REJECTED;
	} else {
		c = waiting_conn(ch, id_tag, parent);
		if (!c) {
			bool any = false;
			for (int i = 0; i < ch->n; i++)
				any = any || (can_start(ch, &ch->c[i]) &&
					      res_allows(ch, &ch->c[i], id_tag, parent));
			if (!any)
				return CHG_REJECTED;
		}
	}
	if (!c || !plugged(c)) {
		set_pending(ch, now, id_tag, parent, conn, START_REMOTE);
		trace(ch, "remote start for %s: waiting for an EV", id_tag);
		update(ch, now);
		return CHG_ACCEPTED;
	}
	bool ok = start_session(ch, c, now, id_tag, parent, START_REMOTE);
	update(ch, now);
	return ok ? CHG_ACCEPTED : CHG_REJECTED;
}

/* ---- ReserveNow, CancelReservation (C7) ---------------------------------- */

/* The answer to a reservation of c: its status decides. */
static enum chg_result reservable(const struct charger *ch, const struct conn *c, int64_t now)
{
	switch (derive_status(ch, c, now)) {
	case CS_AVAILABLE:
		return CHG_ACCEPTED;
	case CS_FAULTED:
		return CHG_FAULTED;
	case CS_UNAVAILABLE:
		return CHG_UNAVAILABLE;
	default:
		return CHG_OCCUPIED;
	}
}

/* The answer to a reservation of the charger (connector 0): accepted while
 * a connector is Available (no connector-0 reservation needs it). */
static enum chg_result reservable0(const struct charger *ch, int64_t now)
{
	enum conn_status s0 = charger_status0(ch);
	if (s0 == CS_UNAVAILABLE)
		return CHG_UNAVAILABLE;
	if (s0 == CS_FAULTED)
		return CHG_FAULTED;
	int faults = 0, unavailable = 0;
	for (int i = 0; i < ch->n; i++) {
		enum conn_status st = derive_status(ch, &ch->c[i], now);
		if (st == CS_AVAILABLE)
			return CHG_ACCEPTED;
		faults += st == CS_FAULTED;
		unavailable += st == CS_UNAVAILABLE;
	}
	if (faults == ch->n)
		return CHG_FAULTED;
	return faults + unavailable == ch->n ? CHG_UNAVAILABLE : CHG_OCCUPIED;
}

enum chg_result charger_reserve(struct charger *ch, int64_t now, int conn, int32_t reservation_id,
				const char *id_tag, const char *parent, int64_t expiry_utc)
{
	char err[80];
	if (!parent)
		parent = "";
	if (conn < 0 || conn > ch->n || !auth_id_valid(id_tag, err, sizeof err) ||
	    (parent[0] && !auth_id_valid(parent, err, sizeof err)))
		return CHG_REJECTED;
	if (conn == 0 && !settings_bool(ch->set, SET_RESERVE_CONNECTOR_ZERO_SUPPORTED)) {
		trace(ch, "reservation %d refused: ReserveConnectorZeroSupported is false",
		      (int)reservation_id);
		return CHG_REJECTED;
	}
	if (expiry_utc <= charger_utc(ch, now)) {
		trace(ch, "reservation %d refused: it expires in the past", (int)reservation_id);
		return CHG_REJECTED;
	}
	/* A reservation with this id is replaced: the new one is judged
	 * without it, and it stays if the new one is refused. */
	struct chg_reservation old;
	int i = res_index(ch, reservation_id);
	bool had = i >= 0;
	if (had) {
		old = ch->res[i];
		res_drop(ch, i);
	}
	enum chg_result r = conn ? reservable(ch, &ch->c[conn - 1], now) : reservable0(ch, now);
	if (r == CHG_ACCEPTED && ch->nres == CHG_RESERVATIONS_MAX)
		r = CHG_OCCUPIED; /* cannot happen: each holds a connector */
	if (r == CHG_ACCEPTED) {
		struct chg_reservation *n = &ch->res[ch->nres++];
		memset(n, 0, sizeof *n);
		n->id = reservation_id;
		n->connector = conn;
		snprintf(n->id_tag, sizeof n->id_tag, "%s", id_tag);
		snprintf(n->parent, sizeof n->parent, "%s", parent);
		n->expiry_utc = expiry_utc;
		trace(ch, "reservation %d%s: connector %d for %s%s%s until %lld",
		      (int)reservation_id, had ? " replaced" : "", conn, id_tag,
		      parent[0] ? " / group " : "", parent, (long long)expiry_utc);
	} else {
		trace(ch, "reservation %d of connector %d refused: %s", (int)reservation_id, conn,
		      r == CHG_FAULTED	     ? "faulted"
		      : r == CHG_UNAVAILABLE ? "unavailable"
					     : "occupied");
		if (had)
			ch->res[ch->nres++] = old;
	}
	update(ch, now);
	return r;
}

enum chg_result charger_cancel_reservation(struct charger *ch, int64_t now, int32_t reservation_id)
{
	int i = res_index(ch, reservation_id);
	if (i < 0)
		return CHG_REJECTED;
	res_remove(ch, i, "cancelled");
	res_freed(ch, now);
	update(ch, now);
	return CHG_ACCEPTED;
}

int charger_reservations(const struct charger *ch, struct chg_reservation *out, int max)
{
	int k = 0;
	for (int i = 0; i < ch->nres && k < max; i++)
		out[k++] = ch->res[i];
	return k;
}

/* Could a reservation of another hold c against a card of an unknown
 * group? Only one that names a group (parentIdTag). */
static bool group_may_use(const struct charger *ch, const struct conn *c)
{
	const struct chg_reservation *r = conn_res(ch, c);
	if (r)
		return r->parent[0] != '\0';
	for (int i = 0; i < ch->nres; i++)
		if (ch->res[i].connector == 0 && ch->res[i].parent[0])
			return true;
	return false;
}

bool charger_may_start(const struct charger *ch, int64_t now, int conn, const char *id_tag,
		       const char *parent)
{
	(void)now;
	if (conn < 0 || conn > ch->n)
		return false;
	for (int i = conn ? conn - 1 : 0; i < (conn ? conn : ch->n); i++) {
		const struct conn *c = &ch->c[i];
		if (!can_start(ch, c))
			continue;
		if (res_allows(ch, c, id_tag, parent ? parent : "") ||
		    (!parent && group_may_use(ch, c)))
			return true;
	}
	return false;
}

static struct conn *session_by_number(struct charger *ch, int64_t number)
{
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].in_session && ch->c[i].s.number == number)
			return &ch->c[i];
	return NULL;
}

bool charger_stop_session(struct charger *ch, int64_t now, int64_t number, enum stop_reason r,
			  const char *mode)
{
	struct conn *c = session_by_number(ch, number);
	if (!c)
		return false;
	stop_session(ch, c, now, r, mode);
	update(ch, now);
	return true;
}

void charger_deauthorize(struct charger *ch, int64_t now, int64_t number, bool stop, double max_wh)
{
	struct conn *c = session_by_number(ch, number);
	if (!c)
		return;
	if (stop) {
		stop_session(ch, c, now, STOP_DEAUTHORIZED, "deauthorized");
	} else if (!c->s.deauthorized) {
		c->s.deauthorized = true;
		c->s.deauth_max_wh = max_wh;
		c->s.deauth_start_wh = c->meter.energy_wh;
		trace(ch, "connector %d: id tag invalidated; at most %.0f Wh more", c->id, max_wh);
	}
	update(ch, now);
}

enum chg_result charger_set_available(struct charger *ch, int64_t now, int conn, bool op)
{
	if (conn < 0 || conn > ch->n)
		return CHG_REJECTED;
	enum chg_result r = CHG_ACCEPTED;
	bool busy = conn == 0 ? any_session(ch) : ch->c[conn - 1].in_session;
	bool *flag = conn == 0 ? &ch->inoperative : &ch->c[conn - 1].inoperative;
	int *sched = conn == 0 ? &ch->avail_pending : &ch->c[conn - 1].avail_pending;
	if (!op && busy) {
		*sched = -1;
		r = CHG_SCHEDULED;
	} else {
		*sched = 0;
		set_operative(ch, conn, flag, op);
		/* A start waiting for its cable lock is abandoned. */
		for (int i = 0; !op && i < ch->n; i++)
			if (conn == 0 || conn == ch->c[i].id)
				ch->c[i].starting = false;
	}
	/* Made inoperative while a card waits: the card is void. */
	if (ch->pending && !op && !busy && (conn == 0 || ch->pending_conn == conn))
		ch->pending = false;
	update(ch, now);
	return r;
}

bool charger_available(const struct charger *ch, int conn)
{
	if (conn == 0)
		return !ch->inoperative;
	if (conn < 1 || conn > ch->n)
		return false;
	return !ch->c[conn - 1].inoperative;
}

enum chg_result charger_unlock(struct charger *ch, int64_t now, int conn)
{
	if (conn < 1 || conn > ch->n)
		return CHG_REJECTED;
	if (ch->prof->tethered)
		return CHG_NOT_SUPPORTED;
	struct conn *c = &ch->c[conn - 1];
	c->starting = false; /* a start waiting for the lock is abandoned */
	if (c->in_session)
		stop_session(ch, c, now, STOP_UNLOCK, "unlock");
	update(ch, now);
	if (protect_state(ch->prot, c->id, FAULT_LOCK) != FS_OFF)
		return CHG_FAILED;
	return CHG_ACCEPTED;
}

uint32_t charger_faults(const struct charger *ch)
{
	return protect_reported(ch->prot, 0);
}

enum conn_status charger_status0(const struct charger *ch)
{
	if (ch->halted || ch->inoperative)
		return CS_UNAVAILABLE;
	return protect_blocks(ch->prot, 0) ? CS_FAULTED : CS_AVAILABLE;
}

void charger_set_schedule(struct charger *ch, const struct chg_schedule *s)
{
	ch->sched = s;
}

void charger_schedule_changed(struct charger *ch, int64_t now)
{
	update(ch, now);
}

void charger_set_load_limit(struct charger *ch, int64_t now, const double a[3])
{
	bool same = true;
	for (int p = 0; p < 3; p++) {
		double v = a ? a[p] : -1;
		if (v != ch->lm_a[p])
			same = false;
		ch->lm_a[p] = v;
	}
	if (same)
		return;
	if (a)
		trace(ch, "load management: %.1f / %.1f / %.1f A per phase", a[0], a[1], a[2]);
	else
		trace(ch, "load management: no limit");
	update(ch, now);
}

void charger_settings_changed(struct charger *ch, int64_t now)
{
	policy_cfg_load(&ch->pcfg, ch->set);
	/* Free charging switched on: plugged connectors start now. */
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (!c->in_session && !c->finishing && plugged(c) && free_id_tag(ch))
			on_plugged(ch, c, now);
	}
	update(ch, now);
}

/* A contactor told to open a while ago: if the meter, read since, still
 * sees voltage after it, it is welded. */
/* Decide with a settled reading: voltage after the open contactor means
 * it is welded. */
static void weld_decide(struct charger *ch, struct conn *c, int64_t now)
{
	if (c->meter.output_v > WELD_VOLTS) {
		trace(ch, "connector %d: %.0f V after the open contactor", c->id,
		      c->meter.output_v);
		fault_input(ch, now, c->id, FAULT_RELAY_WELDED, true);
	}
	c->weld = WELD_NONE;
}

static void weld_check(struct charger *ch, int64_t now)
{
	for (int i = 0; i < ch->n; i++) {
		struct conn *c = &ch->c[i];
		if (c->weld == WELD_NONE || c->weld == WELD_LATE ||
		    now < c->opened_at + (c->weld == WELD_FIRST ? WELD_CHECK_MS : WELD_GIVE_UP_MS))
			continue;
		if (c->meter_at >= c->opened_at + WELD_SETTLE_MS) {
			weld_decide(ch, c, now);
		} else if (c->weld == WELD_FIRST) {
			c->weld = WELD_WAIT;
		} else {
			/* Not given up: the next settled reading decides. */
			trace(ch, "connector %d: no meter reading yet to check the contactor",
			      c->id);
			c->weld = WELD_LATE;
		}
	}
}

void charger_tick(struct charger *ch, int64_t now)
{
	weld_check(ch, now);
	if (ch->identify_until > 0 && now >= ch->identify_until) {
		ch->identify_until = 0;
		update(ch, now);
	}
	/* Recoveries and retries that end now. */
	uint32_t before[PROFILE_MAX_CONNECTORS + 1];
	for (int c = 0; c <= ch->n; c++)
		before[c] = protect_reported(ch->prot, c);
	protect_tick(ch->prot, now);
	bool cleared = false;
	for (int c = 0; c <= ch->n; c++) {
		uint32_t gone = before[c] & ~protect_reported(ch->prot, c);
		for (int f = 0; f < FAULT_COUNT; f++) {
			const struct fault_def *d = fault_def((enum fault_id)f);
			if (!(gone & (1u << f)) || (c == 0) != d->charger_wide)
				continue;
			cleared = true;
			if (c)
				trace(ch, "connector %d: fault %s recovered", c, d->name);
			else
				trace(ch, "fault %s recovered", d->name);
			if (ch->ev && ch->ev->fault)
				ch->ev->fault(ch->ev->user, c, (enum fault_id)f, false);
		}
	}
	if (cleared)
		consume_pending(ch, now);
	update(ch, now);
}

int64_t charger_next_deadline(const struct charger *ch)
{
	int64_t next = INT64_MAX;
	if (ch->pending && ch->pending_until < next)
		next = ch->pending_until;
	if (ch->reject_until > 0 && ch->reject_until < next)
		next = ch->reject_until;
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].open_deadline > 0 && ch->c[i].open_deadline < next)
			next = ch->c[i].open_deadline;
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].weld == WELD_FIRST || ch->c[i].weld == WELD_WAIT) {
			int64_t t = ch->c[i].opened_at +
				    (ch->c[i].weld == WELD_FIRST ? WELD_CHECK_MS : WELD_GIVE_UP_MS);
			if (t < next)
				next = t;
		}
	if (ch->identify_until > 0 && ch->identify_until < next)
		next = ch->identify_until;
	struct ind_dim dim = led_dim(ch);
	for (int i = 0; i < ch->n; i++) {
		int64_t at = indication_dim_deadline(&dim, ch->c[i].led_since, ch->c[i].led_since);
		if (ch->c[i].brightness != dim.dim_pct && at < next)
			next = at;
	}
	int64_t p = protect_next_deadline(ch->prot);
	if (p < next)
		next = p;
	/* The local policies change on the wall clock or after a delay. */
	for (int i = 0; i < ch->n; i++)
		if (ch->c[i].in_session && ch->c[i].pol_r.next < next)
			next = ch->c[i].pol_r.next;
	/* Charging profiles change on the wall clock (C8). */
	for (int i = -1; i < ch->n; i++) {
		int64_t at = i < 0 ? ch->sched0_next : ch->c[i].sched_next;
		if (i >= 0 && !ch->c[i].in_session)
			continue;
		if (at < INT64_MAX / 1000 && at * 1000 - ch->utc_offset_ms < next)
			next = at * 1000 - ch->utc_offset_ms;
	}
	/* Reservations expire on the wall clock. */
	for (int i = 0; i < ch->nres; i++) {
		int64_t at = ch->res[i].expiry_utc * 1000 - ch->utc_offset_ms;
		if (at < next)
			next = at;
	}
	return next;
}

void charger_stop_all(struct charger *ch, int64_t now, enum stop_reason r, const char *mode)
{
	for (int i = 0; i < ch->n; i++)
		stop_session(ch, &ch->c[i], now, r, mode);
	update(ch, now);
}

void charger_halt(struct charger *ch, int64_t now)
{
	ch->halted = true;
	update(ch, now);
}

bool charger_conn_info(const struct charger *ch, int conn, struct conn_info *out)
{
	if (conn < 1 || conn > ch->n)
		return false;
	const struct conn *c = &ch->c[conn - 1];
	memset(out, 0, sizeof *out);
	out->id = c->id;
	out->status = c->status;
	out->cp = c->cp;
	out->duty_permille = c->duty < 0 ? IEC_DUTY_OFF : c->duty;
	out->pwm_on = out->duty_permille != IEC_DUTY_OFF && out->duty_permille != IEC_DUTY_F;
	out->contactor = c->contactor;
	out->locked = c->lock_cmd && c->lock_ok;
	out->offered_a = c->offer.amps;
	out->limit = c->offer.src;
	out->cable_a = cable_rating(ch, c);
	out->meter = c->meter;
	out->in_session = c->in_session;
	if (c->in_session || c->s.number)
		out->session = c->s;
	out->faults = all_faults(ch, c);
	out->led = c->led;
	out->led_brightness = c->brightness;
	return true;
}

void charger_set_group_limit(struct charger *ch, int64_t now, int conn, double a)
{
	if (conn < 1 || conn > ch->n || ch->c[conn - 1].group_a == a)
		return;
	ch->c[conn - 1].group_a = a;
	if (a >= 0)
		trace(ch, "connector %d: group offer %.1f A", conn, a);
	else
		trace(ch, "connector %d: no group limit", conn);
	update(ch, now);
}

bool charger_group_request(const struct charger *ch, int conn, struct chg_group_request *out)
{
	if (conn < 1 || conn > ch->n)
		return false;
	const struct conn *c = &ch->c[conn - 1];
	memset(out, 0, sizeof *out);
	struct limit lim[8];
	int k;
	limits_of(ch, c, lim, &k);
	/* Its own limits, not the group's offer. */
	int j = 0;
	for (int i = 0; i < k; i++)
		if (lim[i].src != LIM_GROUP)
			lim[j++] = lim[i];
	double max = arbiter_decide(lim, j, IEC_MIN_CURRENT_A).amps;
	double il = settings_double(ch->set, SET_CHARGER_CURRENT_LIMIT);
	if (ch->sched0_a >= 0 && ch->sched0_a < il)
		il = ch->sched0_a;
	if (il < max)
		max = il;
	out->phases = conn_phase_mask(ch, c->id, supply_phases(ch));
	for (int p = 0; p < 3; p++)
		if ((out->phases & (1u << p)) && ch->lm_a[p] >= 0 && ch->lm_a[p] < max)
			max = ch->lm_a[p];
	out->max_a = max;
	out->wants = c->in_session && plugged(c) && max >= IEC_MIN_CURRENT_A;
	out->since = out->wants ? c->plugged_at : 0;
	for (int p = 0; p < 3; p++)
		out->used_a[p] = c->meter.current_a[p];
	return true;
}

void charger_identify(struct charger *ch, int64_t now, int64_t until)
{
	ch->identify_until = until;
	trace(ch, "identify: LEDs flash for %lld s", (long long)((until - now) / 1000));
	update(ch, now);
}

bool charger_pending_auth(const struct charger *ch, int64_t now, char *id, size_t idlen)
{
	if (!ch->pending || now >= ch->pending_until)
		return false;
	snprintf(id, idlen, "%s", ch->pending_id);
	return true;
}

const struct protect *charger_protect(const struct charger *ch)
{
	return ch->prot;
}

void charger_display(const struct charger *ch, int conn, int64_t now, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	if (conn < 1 || conn > ch->n)
		return;
	struct ind_in ind;
	indication_of(ch, &ch->c[conn - 1], now, &ind);
	indication_display(ch->prof->leds, &ind, buf, len);
}
