/* SPDX-License-Identifier: MIT */
/*
 * Group balancing in the daemon (E4 E5 E6): the charger's connectors are
 * announced to the group (what each wants, its own maximum, its phases, what
 * it draws), the protocol core (src/core/group.c) runs on the daemon's clock,
 * its messages go through the encrypted UDP transport (src/io/group_net.c),
 * and the offer (or the fallback) for each connector caps it in the charger
 * with the arbiter reason group. See docs/load-management.md.
 */
#include "group_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/group.h"
#include "../io/group_net.h"
#include "site.h"

struct group_link {
	struct group g;
	struct group_net *net;
	int64_t identify_applied;
	char master_logged[GROUP_ID_MAX + 1];
	bool online_logged[GROUP_MAX_NODES];
	int count_logged;
	int64_t drop_logged_at; /* refused messages: one line per 10 s */
	unsigned long drops_unlogged;
};

#define DROP_LOG_GAP_MS 10000

static void cfg_of(const struct settings *set, struct group_cfg *c)
{
	memset(c, 0, sizeof *c);
	int m = settings_enum(set, SET_GROUP_MODE);
	c->mode = m < 0 ? GM_OFF : (enum group_mode)m;
	snprintf(c->group_id, sizeof c->group_id, "%s", settings_str(set, SET_GROUP_ID));
	snprintf(c->self_id, sizeof c->self_id, "%s", settings_str(set, SET_CHARGER_SERIAL));
	c->limit_a = settings_double(set, SET_GROUP_LIMIT);
	c->balancing = settings_enum(set, SET_GROUP_BALANCING) == 1 ? GB_DYNAMIC : GB_STATIC;
	c->policy = settings_enum(set, SET_GROUP_POLICY) == 1 ? LM_FIFS : LM_UNIFORM;
	c->size = (int)settings_int(set, SET_GROUP_SIZE);
	c->fallback_a = settings_double(set, SET_GROUP_FALLBACK);
	/* group.offline_strategy lists the values in the order of enum lm_offline. */
	int s = settings_enum(set, SET_GROUP_OFFLINE_STRATEGY);
	c->offline = s < 0 ? LM_OFF_OFFLINE_OFFLINE : (enum lm_offline)s;
	c->offline_reserved_a = settings_double(set, SET_GROUP_OFFLINE_RESERVED);
	c->announce_ms = (int64_t)(settings_double(set, SET_GROUP_ANNOUNCE) * 1000);
	c->validity_ms = (int64_t)(settings_double(set, SET_GROUP_OFFER_VALIDITY) * 1000);
	c->timeout_ms = (int64_t)(settings_double(set, SET_GROUP_MEMBER_TIMEOUT) * 1000);
	c->rotate_ms = settings_int(set, SET_GROUP_ROTATE_TIME) * 1000;
}

bool evsed_group_check(const struct settings *set, char *err, size_t errlen)
{
	struct group_cfg c;
	cfg_of(set, &c);
	bool meter = strcmp(settings_str(set, SET_METER_SITE), "none") != 0;
	return group_cfg_check(&c, strlen(settings_str(set, SET_GROUP_KEY)), meter, err, errlen);
}

static void log_changes(struct evsed *d, struct group_link *gl)
{
	struct group *g = &gl->g;
	if (strcmp(gl->master_logged, g->master) != 0) {
		evsed_log(d, "group: master is %s%s", g->master[0] ? g->master : "nobody",
			  group_is_master(g) ? " (this charger)" : "");
		snprintf(gl->master_logged, sizeof gl->master_logged, "%s", g->master);
	}
	if (g->count < gl->count_logged)
		gl->count_logged = 1; /* rebuilt */
	for (int i = 1; i < g->count; i++) {
		bool known = i < gl->count_logged;
		if (!known || gl->online_logged[i] != g->n[i].online)
			evsed_log(d, "group: charger %s is %s", g->n[i].id,
				  g->n[i].online ? "online" : "offline");
		gl->online_logged[i] = g->n[i].online;
	}
	gl->count_logged = g->count;
}

static void send_out(struct evsed *d, const struct group_out *out)
{
	for (int i = 0; i < out->n; i++)
		if (!group_net_send(d->group->net, out->text[i], out->len[i]))
			evsed_log(d, "group: a message could not be sent to every peer");
}

/* Apply the offers (or the fallback) and the identify to the charger. */
static void apply(struct evsed *d, int64_t now)
{
	struct group_link *gl = d->group;
	for (int i = 1; i <= charger_connectors(d->ch) && i <= GROUP_MAX_CONNS; i++)
		charger_set_group_limit(d->ch, now, i, group_conn_limit(&gl->g, now, i - 1));
	if (gl->g.identify_until != gl->identify_applied) {
		gl->identify_applied = gl->g.identify_until;
		if (now < gl->g.identify_until)
			charger_identify(d->ch, now, gl->g.identify_until);
	}
	log_changes(d, gl);
}

static void on_rx(void *user, const char *text, size_t len)
{
	struct evsed *d = user;
	int64_t now = evsed_now(d);
	char why[200];
	enum group_rx r = group_receive(&d->group->g, now, text, len, why, sizeof why);
	struct group_link *gl = d->group;
	/* Our own datagrams are dropped by the transport (boot id): one
	 * that reaches here comes from another charger with our id. */
	if (r == GROUP_RX_SELF)
		snprintf(why, sizeof why, "another charger uses this charger's id %s",
			 gl->g.cfg.self_id);
	if (r == GROUP_RX_MALFORMED || r == GROUP_RX_OTHER_GROUP || r == GROUP_RX_FULL ||
	    r == GROUP_RX_SELF) {
		if (gl->drop_logged_at && now - gl->drop_logged_at < DROP_LOG_GAP_MS) {
			gl->drops_unlogged++;
		} else {
			evsed_log(d, "group: message dropped: %s (%lu more not logged)", why,
				  gl->drops_unlogged);
			gl->drops_unlogged = 0;
			gl->drop_logged_at = now ? now : 1;
		}
	}
	evsed_group_tick(d);
}

static void on_log(void *user, const char *msg)
{
	evsed_log(user, "%s", msg);
}

bool evsed_group_init(struct evsed *d, char *err, size_t errlen)
{
	struct group_cfg c;
	cfg_of(d->set, &c);
	d->group = NULL;
	if (c.mode == GM_OFF)
		return true;
	if (!evsed_group_check(d->set, err, errlen))
		return false;
	struct group_link *gl = calloc(1, sizeof *gl);
	if (!gl) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	group_init(&gl->g, &c, evsed_now(d));
	gl->identify_applied = gl->g.identify_until;
	gl->count_logged = 1;
	d->group = gl;
	struct group_net_cfg nc = {
	    .group_id = c.group_id,
	    .key = settings_str(d->set, SET_GROUP_KEY),
	    .port = (int)settings_int(d->set, SET_GROUP_PORT),
	    .peers = settings_str(d->set, SET_GROUP_PEERS),
	};
	gl->net = group_net_new(d->ctx, &nc, on_rx, on_log, d, err, errlen);
	if (!gl->net) {
		free(gl);
		d->group = NULL;
		return false;
	}
	evsed_log(d, "group: %s in group %s as %s, UDP port %d, %s", group_mode_name(c.mode),
		  c.group_id, c.self_id, nc.port, nc.peers[0] ? "peers" : "multicast");
	return true;
}

void evsed_group_tick(struct evsed *d)
{
	struct group_link *gl = d->group;
	if (!gl)
		return;
	evsed_sync(d);
	int64_t now = evsed_now(d);
	/* Settings read again: limit, policy, timing apply at once; mode, id,
	 * key and port need a restart. */
	struct group_cfg c;
	cfg_of(d->set, &c);
	c.mode = gl->g.cfg.mode;
	memcpy(c.group_id, gl->g.cfg.group_id, sizeof c.group_id);
	memcpy(c.self_id, gl->g.cfg.self_id, sizeof c.self_id);
	group_reconfigure(&gl->g, &c, now);

	struct group_conn conns[GROUP_MAX_CONNS];
	int n = 0;
	for (int i = 1; i <= charger_connectors(d->ch) && n < GROUP_MAX_CONNS; i++) {
		struct chg_group_request r;
		if (!charger_group_request(d->ch, i, &r))
			continue;
		conns[n++] = (struct group_conn){.id = i,
						 .phases = r.phases,
						 .max_a = r.max_a,
						 .wants = r.wants,
						 .arrival = r.since,
						 .used_a = {r.used_a[0], r.used_a[1], r.used_a[2]}};
	}
	group_set_self(&gl->g, now, conns, n);
	double other[3];
	bool have = false;
	if (c.balancing == GB_DYNAMIC && evsed_site_meter(d) && evsed_site_fresh(d)) {
		double site_a[3], ev_a[3];
		evsed_site_reading(d, site_a, ev_a);
		/* The simulated meter models the master's feed only (the other
		 * loads and its own draw); a Modbus one is at the group's supply. */
		group_other_loads(&gl->g, site_a, !evsed_site_sim(d), other);
		have = true;
	}
	struct group_out out;
	group_tick(&gl->g, now, have ? other : NULL, &out);
	send_out(d, &out);
	apply(d, now);
	evsed_sync(d);
}

int64_t evsed_group_deadline(const struct evsed *d)
{
	if (!d->group)
		return INT64_MAX;
	return group_next_deadline(&d->group->g, evsed_now(d));
}

void evsed_group_fini(struct evsed *d)
{
	if (!d->group)
		return;
	group_net_free(d->group->net);
	free(d->group);
	d->group = NULL;
}

bool evsed_group_identify(struct evsed *d, bool all, char *err, size_t errlen)
{
	int64_t now = evsed_now(d);
	if (!d->group) {
		if (all) {
			snprintf(err, errlen, "group.mode is off: no group to identify");
			return false;
		}
		charger_identify(d->ch, now, now + GROUP_IDENTIFY_MS);
		evsed_sync(d);
		return true;
	}
	struct group_out out;
	group_identify(&d->group->g, now, all, &out);
	send_out(d, &out);
	apply(d, now);
	evsed_sync(d);
	return true;
}

bool evsed_group_rebuild(struct evsed *d, char *err, size_t errlen)
{
	if (!d->group) {
		snprintf(err, errlen, "group.mode is off: no group to rebuild");
		return false;
	}
	group_rebuild(&d->group->g, evsed_now(d));
	evsed_log(d, "group: rebuilt: members forgotten, rediscovering");
	evsed_group_tick(d);
	return true;
}

/* ---- status ------------------------------------------------------------- */

static json_t *phases_json(unsigned mask)
{
	json_t *a = json_array();
	for (int p = 0; p < 3; p++)
		if (mask & (1u << p)) {
			char l[4];
			snprintf(l, sizeof l, "L%d", p + 1);
			json_array_append_new(a, json_string(l));
		}
	return a;
}

static json_t *conn_json(const struct group *g, const struct group_node *x,
			 const struct group_conn *c, int64_t now, int index)
{
	json_t *o =
	    json_pack("{s:i, s:o, s:f, s:b, s:f, s:o, s:[f,f,f]}", "id", c->id, "phases",
		      phases_json(c->phases), "max_a", c->max_a, "wants", c->wants, "requested_a",
		      c->wants ? c->max_a : 0.0, "offered_a",
		      x->online && c->offered_a >= 0 ? json_real(c->offered_a) : json_null(),
		      "used_a", c->used_a[0], c->used_a[1], c->used_a[2]);
	if (x->self)
		json_object_set_new(o, "limit_a", json_real(group_conn_limit(g, now, index)));
	return o;
}

json_t *evsed_group_status(struct evsed *d)
{
	struct group_cfg c;
	cfg_of(d->set, &c);
	json_t *o = json_pack("{s:s}", "mode", group_mode_name(c.mode));
	if (!d->group) {
		json_object_set_new(o, "members", json_array());
		return o;
	}
	struct group *g = &d->group->g;
	int64_t now = evsed_now(d);
	bool valid = group_offer_valid(g, now);
	json_object_set_new(o, "mode", json_string(group_mode_name(g->cfg.mode)));
	json_object_set_new(o, "id", json_string(g->cfg.group_id));
	json_object_set_new(o, "self", json_string(g->cfg.self_id));
	json_object_set_new(o, "master", g->master[0] ? json_string(g->master) : json_null());
	json_object_set_new(o, "role",
			    json_string(group_is_master(g) ? "master"
					: g->master[0]	   ? "member"
							   : "none"));
	json_object_set_new(o, "balancing",
			    json_string(c.balancing == GB_DYNAMIC ? "dynamic" : "static"));
	json_object_set_new(o, "policy", json_string(c.policy == LM_FIFS ? "fifs" : "uniform"));
	json_object_set_new(o, "limit_a", json_real(c.limit_a));
	json_object_set_new(o, "offline_strategy",
			    json_string(settings_str(d->set, SET_GROUP_OFFLINE_STRATEGY)));
	json_object_set_new(o, "fallback_a", json_real(g->fallback_a));
	json_object_set_new(o, "offer_valid", json_boolean(valid));
	json_object_set_new(o, "offer_expires_in_s",
			    valid ? json_real((double)(g->offer_until - now) / 1000.0)
				  : json_null());
	json_object_set_new(o, "identify", json_boolean(now < g->identify_until));
	json_t *ms = json_array();
	for (int i = 0; i < g->count; i++) {
		const struct group_node *x = &g->n[i];
		json_t *cs = json_array();
		for (int j = 0; j < x->nconn; j++)
			json_array_append_new(cs, conn_json(g, x, &x->c[j], now, j));
		json_array_append_new(
		    ms, json_pack("{s:s, s:b, s:b, s:s, s:b, s:f, s:o}", "id", x->id, "self",
				  x->self, "master", strcmp(x->id, g->master) == 0, "mode",
				  group_mode_name(x->mode), "online", x->online, "last_heard_s",
				  (double)(now - x->last_heard) / 1000.0, "connectors", cs));
	}
	json_object_set_new(o, "members", ms);
	struct group_net_stats st;
	group_net_stats(d->group->net, &st);
	json_object_set_new(o, "messages",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "sent", (json_int_t)st.sent,
				      "received", (json_int_t)st.received, "other_group",
				      (json_int_t)st.other_group, "bad_auth",
				      (json_int_t)st.bad_auth, "replayed", (json_int_t)st.replayed,
				      "malformed", (json_int_t)st.malformed));
	return o;
}
