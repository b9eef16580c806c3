/* SPDX-License-Identifier: MIT */
/*
 * The group protocol core: table, election, offers, fallback, messages.
 * See group.h and docs/load-management.md.
 */
#include "group.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "iec61851.h"

#define NO_TIME INT64_MIN

static const char *const mode_names[] = {"off", "auto", "master", "member"};

const char *group_mode_name(enum group_mode m)
{
	return (unsigned)m <= GM_MEMBER ? mode_names[m] : "off";
}

static bool id_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > GROUP_ID_MAX)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

bool group_cfg_check(const struct group_cfg *c, size_t key_len, bool site_meter, char *err,
		     size_t errlen)
{
	if (c->mode == GM_OFF)
		return true;
	const char *m = group_mode_name(c->mode);
	if (!c->group_id[0]) {
		snprintf(err, errlen, "group.id: needed with group.mode = %s", m);
		return false;
	}
	if (key_len < GROUP_KEY_MIN) {
		snprintf(err, errlen,
			 "group.key: at least %d characters needed with group.mode = %s",
			 GROUP_KEY_MIN, m);
		return false;
	}
	if (!id_ok(c->self_id)) {
		snprintf(err, errlen,
			 "charger.serial: the group member id must be 1-%d letters, digits, '-', "
			 "'_' or '.'",
			 GROUP_ID_MAX);
		return false;
	}
	if (c->balancing == GB_DYNAMIC && c->mode != GM_MEMBER && !site_meter) {
		snprintf(err, errlen, "group.balancing: dynamic needs a site meter (meter.site)");
		return false;
	}
	if (c->balancing == GB_DYNAMIC && c->limit_a <= 0) {
		snprintf(err, errlen, "group.balancing: dynamic needs group.limit");
		return false;
	}
	if (c->validity_ms <= c->announce_ms) {
		snprintf(err, errlen, "group.offer_validity: must be longer than group.announce");
		return false;
	}
	if (c->timeout_ms <= c->announce_ms) {
		snprintf(err, errlen, "group.member_timeout: must be longer than group.announce");
		return false;
	}
	if (c->timeout_ms < c->validity_ms) {
		snprintf(err, errlen,
			 "group.member_timeout: must be at least group.offer_validity (a silent "
			 "charger may use its last offer that long)");
		return false;
	}
	if (c->offline == LM_OFF_OFFLINE_OFFLINE && c->offline_reserved_a < c->fallback_a) {
		snprintf(err, errlen,
			 "group.offline_reserved: must be at least group.fallback with "
			 "offline_offline (an offline charger uses its fallback current)");
		return false;
	}
	if (c->offline == LM_OFF_OFFLINE_ALL && c->offline_reserved_a > 0 &&
	    c->offline_reserved_a < IEC_MIN_CURRENT_A) {
		snprintf(err, errlen,
			 "group.offline_reserved: offline_all needs 0 or at least 6 A per charger");
		return false;
	}
	return true;
}

static void self_node(struct group *g)
{
	struct group_node *s = &g->n[0];
	snprintf(s->id, sizeof s->id, "%s", g->cfg.self_id);
	s->mode = g->cfg.mode;
	s->online = true;
	s->self = true;
}

void group_init(struct group *g, const struct group_cfg *c, int64_t now)
{
	memset(g, 0, sizeof *g);
	g->cfg = *c;
	g->count = 1;
	self_node(g);
	g->n[0].last_heard = now;
	g->offer_until = NO_TIME;
	g->fallback_a = c->fallback_a;
	g->next_announce = now;
	g->dirty = true;
	g->identify_until = NO_TIME;
	lm_turns_init(&g->turn[0][0], GROUP_MAX_NODES * GROUP_MAX_CONNS);
}

void group_reconfigure(struct group *g, const struct group_cfg *c, int64_t now)
{
	bool changed = memcmp(&g->cfg, c, sizeof *c) != 0;
	g->cfg = *c;
	self_node(g);
	if (!changed)
		return;
	if (group_is_master(g))
		g->fallback_a = c->fallback_a;
	g->offer_due = true;
	if (g->next_announce > now + c->announce_ms)
		g->next_announce = now + c->announce_ms;
}

void group_set_self(struct group *g, int64_t now, const struct group_conn *c, int n)
{
	struct group_node *s = &g->n[0];
	if (n > GROUP_MAX_CONNS)
		n = GROUP_MAX_CONNS;
	bool changed = n != s->nconn;
	for (int i = 0; i < n; i++) {
		struct group_conn *o = &s->c[i];
		struct group_conn nc = c[i];
		/* Arrival order is plug-in order: the caller's time when it
		 * knows it (the tick that sees the change may come later). */
		if (i < s->nconn && o->wants && nc.wants)
			nc.arrival = o->arrival;
		else if (!nc.wants)
			nc.arrival = 0;
		else if (nc.arrival <= 0 || nc.arrival > now)
			nc.arrival = now;
		nc.offered_a = i < s->nconn ? o->offered_a : -1;
		if (i >= s->nconn || o->id != nc.id || o->phases != nc.phases ||
		    o->wants != nc.wants || fabs(o->max_a - nc.max_a) > 1e-6)
			changed = true;
		*o = nc;
	}
	s->nconn = n;
	s->last_heard = now;
	if (changed) {
		g->dirty = true;
		if (group_is_master(g))
			g->offer_due = true;
	}
}

void group_other_loads(const struct group *g, const double site_a[3], bool group_supply,
		       double other[3])
{
	for (int p = 0; p < 3; p++)
		other[p] = site_a[p];
	for (int i = 0; i < g->count; i++) {
		const struct group_node *x = &g->n[i];
		if (!x->self && (!group_supply || !x->online))
			continue;
		for (int j = 0; j < x->nconn; j++)
			for (int p = 0; p < 3; p++)
				other[p] -= x->c[j].used_a[p];
	}
}

static struct group_node *find(struct group *g, const char *id)
{
	for (int i = 0; i < g->count; i++)
		if (strcmp(g->n[i].id, id) == 0)
			return &g->n[i];
	return NULL;
}

bool group_is_master(const struct group *g)
{
	return g->cfg.mode != GM_OFF && g->master[0] && strcmp(g->master, g->cfg.self_id) == 0;
}

/* Forced masters first, then auto nodes; the lowest id among them. */
static void elect(struct group *g)
{
	const char *best = NULL;
	int best_rank = 3;
	for (int i = 0; i < g->count; i++) {
		const struct group_node *x = &g->n[i];
		int rank = x->mode == GM_MASTER ? 0 : x->mode == GM_AUTO ? 1 : 3;
		if (!x->online || rank > 1)
			continue;
		if (rank < best_rank || (rank == best_rank && strcmp(x->id, best) < 0)) {
			best = x->id;
			best_rank = rank;
		}
	}
	char was[GROUP_ID_MAX + 1];
	snprintf(was, sizeof was, "%s", g->master);
	snprintf(g->master, sizeof g->master, "%s", best ? best : "");
	if (strcmp(was, g->master) != 0 && group_is_master(g)) {
		g->offer_due = true;
		g->fallback_a = g->cfg.fallback_a;
	}
}

static void timeouts(struct group *g, int64_t now)
{
	for (int i = 1; i < g->count; i++) {
		struct group_node *x = &g->n[i];
		bool on = now - x->last_heard < g->cfg.timeout_ms;
		if (on != x->online && group_is_master(g))
			g->offer_due = true;
		x->online = on;
	}
}

void group_allocate(struct group *g, int64_t now, const double *other_a)
{
	struct lm_member m[GROUP_MAX_NODES * GROUP_MAX_CONNS];
	struct lm_turn t[GROUP_MAX_NODES * GROUP_MAX_CONNS];
	struct group_conn *where[GROUP_MAX_NODES * GROUP_MAX_CONNS];
	struct lm_turn *turn_of[GROUP_MAX_NODES * GROUP_MAX_CONNS];
	double held[3] = {0, 0, 0}; /* reserved for silent nodes' last offers */
	/* Dynamic balancing without a reading of the other loads: the safe
	 * value, the minimum for each EV. */
	bool safe = g->cfg.balancing == GB_DYNAMIC && !other_a;
	int k = 0;
	for (int i = 0; i < g->count; i++) {
		struct group_node *x = &g->n[i];
		if (!x->online) {
			/* Its connectors are unknown now: one offline charger, using
			 * its fallback in all (group_conn_limit). */
			for (int j = 0; j < x->nconn; j++)
				x->c[j].offered_a = -1;
			m[k] = (struct lm_member){.max_a = 0, .phases = 7u, .online = false};
			t[k] = (struct lm_turn){LM_TURN_IDLE, false};
			turn_of[k] = NULL;
			where[k++] = NULL;
			continue;
		}
		bool silent = !x->self && now - x->last_heard > g->cfg.announce_ms * 3 / 2;
		if (silent) {
			/* It hears no new offer: keep what it may use, its last
			 * offers, or its fallback once they expire. */
			double sum[3] = {0, 0, 0};
			for (int j = 0; j < x->nconn; j++)
				for (int p = 0; p < 3; p++)
					if (x->c[j].phases & (1u << p) && x->c[j].offered_a > 0)
						sum[p] += x->c[j].offered_a;
			for (int p = 0; p < 3; p++)
				held[p] += sum[p] > g->fallback_a ? sum[p] : g->fallback_a;
			continue;
		}
		for (int j = 0; j < x->nconn; j++) {
			struct group_conn *c = &x->c[j];
			double max = c->max_a;
			if (safe && max > IEC_MIN_CURRENT_A)
				max = IEC_MIN_CURRENT_A;
			m[k] = (struct lm_member){.max_a = max,
						  .phases = c->phases,
						  .online = true,
						  .wants = c->wants,
						  .arrival = c->arrival};
			t[k] = g->turn[i][j];
			turn_of[k] = &g->turn[i][j];
			where[k++] = c;
		}
	}
	struct lm_group lg = {
	    .policy = g->cfg.policy,
	    .offline = g->cfg.offline,
	    .offline_reserved = g->cfg.offline_reserved_a,
	    .min_a = IEC_MIN_CURRENT_A,
	};
	/* Chargers expected but never heard: offline ones each (MQ200). */
	if (g->cfg.size > g->count)
		lg.expected_members = k + (g->cfg.size - g->count);
	double limit = g->cfg.limit_a > 0 ? g->cfg.limit_a : GROUP_NO_LIMIT_A;
	for (int p = 0; p < 3; p++) {
		lg.limit_a[p] = g->cfg.balancing == GB_DYNAMIC && other_a
				    ? lm_dynamic_limit(limit, other_a[p])
				    : limit;
		lg.limit_a[p] = lg.limit_a[p] > held[p] ? lg.limit_a[p] - held[p] : 0;
	}
	double offer[GROUP_MAX_NODES * GROUP_MAX_CONNS];
	lm_turns(t, k, now, g->cfg.rotate_ms, m);
	if (!lm_allocate(&lg, m, k, offer))
		for (int i = 0; i < k; i++)
			offer[i] = 0;
	lm_turns_update(t, m, offer, k, now);
	for (int i = 0; i < k; i++)
		if (where[i]) {
			where[i]->offered_a = offer[i];
			*turn_of[i] = t[i];
		}
}

/* ---- messages ----------------------------------------------------------- */

static bool dump(json_t *o, struct group_out *out)
{
	if (!o || out->n >= 3)
		return false;
	size_t len =
	    json_dumpb(o, out->text[out->n], GROUP_MSG_MAX, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(o);
	if (len == 0 || len > GROUP_MSG_MAX)
		return false;
	out->len[out->n++] = len;
	return true;
}

static json_t *header(const struct group *g, const char *type)
{
	return json_pack("{s:i, s:s, s:s, s:s}", "v", 1, "t", type, "g", g->cfg.group_id, "from",
			 g->cfg.self_id);
}

static void send_state(struct group *g, int64_t now, struct group_out *out)
{
	json_t *o = header(g, "state");
	json_t *cs = json_array();
	const struct group_node *s = &g->n[0];
	for (int i = 0; i < s->nconn; i++) {
		const struct group_conn *c = &s->c[i];
		json_array_append_new(cs, json_pack("[i, i, f, b, I, f, f, f]", c->id,
						    (int)c->phases, c->max_a, c->wants,
						    (json_int_t)(c->wants ? now - c->arrival : 0),
						    c->used_a[0], c->used_a[1], c->used_a[2]));
	}
	json_object_set_new(o, "mode", json_string(group_mode_name(g->cfg.mode)));
	json_object_set_new(o, "c", cs);
	(void)dump(o, out);
}

static void send_offer(struct group *g, struct group_out *out)
{
	json_t *o = header(g, "offer");
	json_t *list = json_array();
	for (int i = 0; i < g->count; i++) {
		const struct group_node *x = &g->n[i];
		if (!x->online)
			continue;
		for (int j = 0; j < x->nconn; j++)
			json_array_append_new(
			    list, json_pack("[s, i, f]", x->id, x->c[j].id, x->c[j].offered_a));
	}
	json_object_set_new(o, "seq", json_integer(++g->seq));
	json_object_set_new(o, "valid", json_integer(g->cfg.validity_ms));
	json_object_set_new(o, "fb", json_real(g->cfg.fallback_a));
	json_object_set_new(o, "o", list);
	(void)dump(o, out);
}

void group_tick(struct group *g, int64_t now, const double *other_a, struct group_out *out)
{
	out->n = 0;
	if (g->cfg.mode == GM_OFF)
		return;
	timeouts(g, now);
	elect(g);
	bool announce = g->dirty || now >= g->next_announce;
	if (announce) {
		send_state(g, now, out);
		g->dirty = false;
		g->next_announce = now + g->cfg.announce_ms;
	}
	if (!group_is_master(g))
		g->offer_due = false; /* only the master offers */
	else if (announce || g->offer_due) {
		group_allocate(g, now, other_a);
		const struct group_node *s = &g->n[0];
		for (int i = 0; i < s->nconn; i++)
			g->offer_a[i] = s->c[i].offered_a >= 0 ? s->c[i].offered_a : 0;
		g->offer_until = now + g->cfg.validity_ms;
		g->fallback_a = g->cfg.fallback_a;
		g->offer_due = false;
		send_offer(g, out);
	}
}

void group_identify(struct group *g, int64_t now, bool all, struct group_out *out)
{
	out->n = 0;
	g->identify_until = now + GROUP_IDENTIFY_MS;
	if (!all || g->cfg.mode == GM_OFF)
		return;
	json_t *o = header(g, "identify");
	json_object_set_new(o, "to", json_string("*"));
	(void)dump(o, out);
}

void group_rebuild(struct group *g, int64_t now)
{
	g->count = 1;
	lm_turns_init(&g->turn[0][0], GROUP_MAX_NODES * GROUP_MAX_CONNS);
	g->master[0] = '\0';
	g->dirty = true;
	g->next_announce = now;
	elect(g);
}

/* ---- receiving ---------------------------------------------------------- */

static bool num_in(json_t *v, double lo, double hi, double *out)
{
	if (!json_is_number(v))
		return false;
	double x = json_number_value(v);
	if (!isfinite(x) || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

static bool int_in(json_t *v, json_int_t lo, json_int_t hi, json_int_t *out)
{
	if (!json_is_integer(v))
		return false;
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

#define BAD(...)                                                                                   \
	do {                                                                                       \
		snprintf(why, whylen, __VA_ARGS__);                                                \
		return GROUP_RX_MALFORMED;                                                         \
	} while (0)

static enum group_rx rx_state(struct group *g, int64_t now, json_t *o, const char *from, char *why,
			      size_t whylen)
{
	const char *mode = json_string_value(json_object_get(o, "mode"));
	enum group_mode gm;
	if (mode && strcmp(mode, "auto") == 0)
		gm = GM_AUTO;
	else if (mode && strcmp(mode, "master") == 0)
		gm = GM_MASTER;
	else if (mode && strcmp(mode, "member") == 0)
		gm = GM_MEMBER;
	else
		BAD("state: mode must be auto, master or member");
	json_t *cs = json_object_get(o, "c");
	if (!json_is_array(cs) || json_array_size(cs) > GROUP_MAX_CONNS)
		BAD("state: c must be an array of at most %d connectors", GROUP_MAX_CONNS);
	struct group_conn c[GROUP_MAX_CONNS];
	size_t nc = json_array_size(cs);
	for (size_t i = 0; i < nc; i++) {
		json_t *a = json_array_get(cs, i);
		json_int_t id, ph, age;
		double max, u[3];
		if (!json_is_array(a) || json_array_size(a) != 8 ||
		    !int_in(json_array_get(a, 0), 1, GROUP_MAX_CONNS, &id) ||
		    !int_in(json_array_get(a, 1), 1, 7, &ph) ||
		    !num_in(json_array_get(a, 2), 0, 1000, &max) ||
		    !json_is_boolean(json_array_get(a, 3)) ||
		    !int_in(json_array_get(a, 4), 0, 86400000LL * 365, &age) ||
		    !num_in(json_array_get(a, 5), -1000, 1000, &u[0]) ||
		    !num_in(json_array_get(a, 6), -1000, 1000, &u[1]) ||
		    !num_in(json_array_get(a, 7), -1000, 1000, &u[2]))
			BAD("state: connector %zu: expected [id 1-%d, phases 1-7, max 0-1000, "
			    "wants, age ms, L1, L2, L3 A]",
			    i + 1, GROUP_MAX_CONNS);
		if (i > 0 && id <= c[i - 1].id)
			BAD("state: connector ids must be increasing");
		bool wants = json_is_true(json_array_get(a, 3));
		c[i] = (struct group_conn){.id = (int)id,
					   .phases = (unsigned)ph,
					   .max_a = max,
					   .wants = wants,
					   .arrival = wants ? now - age : 0,
					   .used_a = {u[0], u[1], u[2]},
					   .offered_a = -1};
	}
	struct group_node *x = find(g, from);
	bool fresh = false;
	if (!x) {
		if (g->count >= GROUP_MAX_NODES) {
			g->full_drops++;
			snprintf(why, whylen, "the group table is full (%d chargers)",
				 GROUP_MAX_NODES);
			return GROUP_RX_FULL;
		}
		x = &g->n[g->count++];
		memset(x, 0, sizeof *x);
		snprintf(x->id, sizeof x->id, "%s", from);
		fresh = true;
	}
	bool changed = fresh || !x->online || x->mode != gm || x->nconn != (int)nc;
	for (size_t i = 0; i < nc; i++) {
		if (!changed &&
		    (x->c[i].id != c[i].id || x->c[i].wants != c[i].wants ||
		     x->c[i].phases != c[i].phases || fabs(x->c[i].max_a - c[i].max_a) > 1e-6))
			changed = true;
		if (i < (size_t)x->nconn && x->c[i].id == c[i].id)
			c[i].offered_a = x->c[i].offered_a;
		/* Keep the first arrival we computed: ages jitter. */
		if (i < (size_t)x->nconn && x->c[i].id == c[i].id && x->c[i].wants && c[i].wants)
			c[i].arrival = x->c[i].arrival;
	}
	memcpy(x->c, c, sizeof c[0] * nc);
	x->nconn = (int)nc;
	x->mode = gm;
	x->last_heard = now;
	x->online = true;
	elect(g);
	if (changed && group_is_master(g))
		g->offer_due = true;
	return GROUP_RX_OK;
}

static enum group_rx rx_offer(struct group *g, int64_t now, json_t *o, const char *from, char *why,
			      size_t whylen)
{
	json_int_t seq, valid;
	double fb;
	json_t *list = json_object_get(o, "o");
	if (!int_in(json_object_get(o, "seq"), 0, UINT32_MAX, &seq))
		BAD("offer: seq must be a counter");
	if (!int_in(json_object_get(o, "valid"), 100, 600000, &valid))
		BAD("offer: valid must be 100-600000 ms");
	if (!num_in(json_object_get(o, "fb"), 0, 80, &fb) || (fb > 0 && fb < IEC_MIN_CURRENT_A))
		BAD("offer: fb must be 0 or 6-80 A");
	if (!json_is_array(list) || json_array_size(list) > GROUP_MAX_NODES * GROUP_MAX_CONNS)
		BAD("offer: o must be an array of at most %d offers",
		    GROUP_MAX_NODES * GROUP_MAX_CONNS);
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(list, i);
		json_int_t conn;
		double amps;
		const char *id = json_string_value(json_array_get(a, 0));
		if (!json_is_array(a) || json_array_size(a) != 3 || !id || !id_ok(id) ||
		    !int_in(json_array_get(a, 1), 1, GROUP_MAX_CONNS, &conn) ||
		    !num_in(json_array_get(a, 2), 0, 1000, &amps))
			BAD("offer: item %zu: expected [charger id, connector 1-%d, 0-1000 A]",
			    i + 1, GROUP_MAX_CONNS);
	}
	struct group_node *sender = find(g, from);
	if (sender) {
		sender->last_heard = now;
		sender->online = true;
		elect(g);
	}
	if (strcmp(g->master, from) != 0) {
		snprintf(why, whylen, "offer from %s ignored: the master is %s", from,
			 g->master[0] ? g->master : "nobody");
		return GROUP_RX_OK;
	}
	for (int i = 0; i < GROUP_MAX_CONNS; i++)
		g->offer_a[i] = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(list, i);
		const char *id = json_string_value(json_array_get(a, 0));
		int conn = (int)json_integer_value(json_array_get(a, 1));
		double amps = json_number_value(json_array_get(a, 2));
		struct group_node *x = find(g, id);
		if (!x)
			continue;
		for (int j = 0; j < x->nconn; j++)
			if (x->c[j].id == conn) {
				x->c[j].offered_a = amps;
				if (x->self)
					g->offer_a[j] = amps;
			}
	}
	g->offer_until = now + valid;
	g->fallback_a = fb;
	return GROUP_RX_OK;
}

enum group_rx group_receive(struct group *g, int64_t now, const char *text, size_t len, char *why,
			    size_t whylen)
{
	why[0] = '\0';
	if (g->cfg.mode == GM_OFF)
		return GROUP_RX_OK;
	if (len > GROUP_MSG_MAX)
		BAD("message longer than %d bytes", GROUP_MSG_MAX);
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		BAD("not a JSON object");
	}
	enum group_rx r;
	json_int_t v;
	const char *t = json_string_value(json_object_get(o, "t"));
	const char *gid = json_string_value(json_object_get(o, "g"));
	const char *from = json_string_value(json_object_get(o, "from"));
	if (!int_in(json_object_get(o, "v"), 1, 1, &v) || !t || !gid || !from || !id_ok(from)) {
		snprintf(why, whylen, "expected v 1, t, g and from (a charger id)");
		r = GROUP_RX_MALFORMED;
	} else if (strcmp(gid, g->cfg.group_id) != 0) {
		snprintf(why, whylen, "group %.32s is not ours", gid);
		r = GROUP_RX_OTHER_GROUP;
	} else if (strcmp(from, g->cfg.self_id) == 0) {
		r = GROUP_RX_SELF;
	} else if (strcmp(t, "state") == 0) {
		r = rx_state(g, now, o, from, why, whylen);
	} else if (strcmp(t, "offer") == 0) {
		r = rx_offer(g, now, o, from, why, whylen);
	} else if (strcmp(t, "identify") == 0) {
		const char *to = json_string_value(json_object_get(o, "to"));
		if (!to || (strcmp(to, "*") != 0 && !id_ok(to))) {
			snprintf(why, whylen, "identify: to must be * or a charger id");
			r = GROUP_RX_MALFORMED;
		} else if (strcmp(to, "*") == 0 || strcmp(to, g->cfg.self_id) == 0) {
			g->identify_until = now + GROUP_IDENTIFY_MS;
			r = GROUP_RX_IDENTIFY;
		} else {
			r = GROUP_RX_OK;
		}
	} else {
		snprintf(why, whylen, "unknown message type %.20s", t);
		r = GROUP_RX_MALFORMED;
	}
	json_decref(o);
	return r;
}

/* ---- what this charger may draw ----------------------------------------- */

bool group_offer_valid(const struct group *g, int64_t now)
{
	return g->offer_until != NO_TIME && now < g->offer_until;
}

double group_conn_limit(const struct group *g, int64_t now, int i)
{
	if (g->cfg.mode == GM_OFF || i < 0 || i >= GROUP_MAX_CONNS)
		return -1;
	if (group_offer_valid(g, now))
		return g->offer_a[i];
	/* The fallback is the charger's as a whole (io7: an offline charger is
	 * assumed to draw Offline Reserved): shared by the connectors whose EVs
	 * want power, or all to the first of them when a share would be under
	 * the minimum. */
	const struct group_node *s = &g->n[0];
	int wanting = 0, first = -1;
	for (int j = 0; j < s->nconn; j++)
		if (s->c[j].wants) {
			wanting++;
			if (first < 0)
				first = j;
		}
	if (wanting <= 1)
		return g->fallback_a;
	double share = g->fallback_a / wanting;
	if (share >= IEC_MIN_CURRENT_A)
		return share;
	return i == first ? g->fallback_a : 0;
}

int64_t group_next_deadline(const struct group *g, int64_t now)
{
	if (g->cfg.mode == GM_OFF)
		return INT64_MAX;
	if (g->dirty || g->offer_due)
		return now;
	int64_t next = g->next_announce;
	if (group_offer_valid(g, now) && g->offer_until < next)
		next = g->offer_until;
	for (int i = 1; i < g->count; i++)
		if (g->n[i].online && g->n[i].last_heard + g->cfg.timeout_ms < next)
			next = g->n[i].last_heard + g->cfg.timeout_ms;
	if (g->identify_until != NO_TIME && now < g->identify_until && g->identify_until < next)
		next = g->identify_until;
	return next;
}

/* ---- replay window ------------------------------------------------------ */

bool group_replay_accept(struct group_replay *r, uint64_t boot, uint64_t ctr, int64_t now)
{
	int slot = -1, lru = 0;
	for (int i = 0; i < GROUP_REPLAY_SENDERS; i++) {
		if (r->s[i].in_use && r->s[i].boot == boot) {
			slot = i;
			break;
		}
		if (!r->s[i].in_use || (r->s[lru].in_use && r->s[i].used < r->s[lru].used))
			lru = i;
	}
	if (slot < 0) {
		r->s[lru].in_use = true;
		r->s[lru].boot = boot;
		r->s[lru].top = ctr;
		r->s[lru].window = 1;
		r->s[lru].used = now;
		return true;
	}
	struct group_replay_sender *s = &r->s[slot];
	if (ctr > s->top) {
		uint64_t shift = ctr - s->top;
		s->window = shift >= 64 ? 1 : (s->window << shift) | 1;
		s->top = ctr;
	} else {
		uint64_t d = s->top - ctr;
		if (d >= 64 || (s->window & (1ULL << d)))
			return false;
		s->window |= 1ULL << d;
	}
	s->used = now;
	return true;
}
