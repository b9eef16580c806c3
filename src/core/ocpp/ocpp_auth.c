/* SPDX-License-Identifier: MIT */
/*
 * Authorization with a CSMS (B3, B4): the authorization cache
 * (AuthorizationCacheEnabled, expiry, ClearCache) behind the Local
 * Authorization List (ocpp_list.c), and one decision table for every path
 * (a card, RemoteStartTransaction with AuthorizeRemoteTxRequests, an
 * Authorize.req left unanswered): online with Authorize.req or
 * LocalPreAuthorize, offline with LocalAuthorizeOffline and
 * AllowOfflineTxForUnknownId. The table is decide(); docs/ocpp.md has it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ocpp_int.h"

static const char *const status_names[] = {"Accepted", "Blocked", "Expired", "Invalid",
					   "ConcurrentTx"};

const char *ocpp_auth_status_name(enum ocpp_auth_status s)
{
	return (unsigned)s <= OAS_CONCURRENT_TX ? status_names[s] : "Invalid";
}

enum ocpp_auth_status ocpp_auth_status_parse(const char *s)
{
	for (int i = 0; s && i <= OAS_CONCURRENT_TX; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (enum ocpp_auth_status)i;
	return OAS_INVALID;
}

static struct ocpp_cache_entry *cache_find(struct ocpp *o, const char *id)
{
	for (int i = 0; i < o->cache_n; i++)
		if (strcasecmp(o->cache[i].id_tag, id) == 0)
			return &o->cache[i];
	return NULL;
}

static void cache_store(struct ocpp *o, const struct ocpp_cache_entry *e)
{
	struct ocpp_cache_entry *slot = cache_find(o, e->id_tag);
	if (!slot) {
		if (o->cache_n == CACHE_MAX) {
			/* Full: the oldest entry goes. */
			memmove(&o->cache[0], &o->cache[1], (CACHE_MAX - 1) * sizeof o->cache[0]);
			o->cache_n--;
		}
		slot = &o->cache[o->cache_n++];
	}
	*slot = *e;
}

void ocpp_cache_load(struct ocpp *o, const struct ocpp_cache_entry *e)
{
	cache_store(o, e);
}

void ocpp_cache_parent(struct ocpp *o, const char *id_tag, char *parent, size_t len)
{
	/* A list entry wins over the cache's. */
	const struct ocpp_list_entry *l = ocpp_list_find(o, id_tag);
	struct ocpp_cache_entry *e = l ? NULL : cache_find(o, id_tag);
	snprintf(parent, len, "%s", l ? l->parent : e ? e->parent : "");
}

void ocpp_cache_clear(struct ocpp *o)
{
	o->cache_n = 0;
	if (o->io->cache_clear)
		o->io->cache_clear(o->io->user);
}

void ocpp_cache_update(struct ocpp *o, const char *id_tag, json_t *info)
{
	if (!info || !settings_bool(o->set, SET_AUTHORIZATION_CACHE_ENABLED))
		return;
	/* Id tags of the Local Authorization List are never cached (OCPP 1.6
	 * 3.5.4): the list is what the CSMS says of them. */
	if (ocpp_list_find(o, id_tag))
		return;
	struct ocpp_cache_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.id_tag, sizeof e.id_tag, "%s", id_tag);
	e.status = ocpp_auth_status_parse(json_string_value(json_object_get(info, "status")));
	const char *exp = json_string_value(json_object_get(info, "expiryDate"));
	int64_t t;
	if (exp && settings_parse_utc(exp, &t))
		e.expiry_utc = t;
	const char *parent = json_string_value(json_object_get(info, "parentIdTag"));
	if (parent)
		snprintf(e.parent, sizeof e.parent, "%s", parent);
	cache_store(o, &e);
	if (o->io->cache_put)
		o->io->cache_put(o->io->user, &e);
}

/* The cache's word on an id tag: 1 accepted, 0 refused, -1 unknown. */
static int cache_says(struct ocpp *o, int64_t now, const char *id)
{
	if (!settings_bool(o->set, SET_AUTHORIZATION_CACHE_ENABLED))
		return -1;
	struct ocpp_cache_entry *e = cache_find(o, id);
	return e ? ocpp_tag_says(o, now, e->status, e->expiry_utc) : -1;
}

int ocpp_tag_says(const struct ocpp *o, int64_t now, int status, int64_t expiry_utc)
{
	if (status != OAS_ACCEPTED)
		return 0;
	return expiry_utc && expiry_utc <= ocpp_utc(o, now) ? 0 : 1;
}

static bool online(const struct ocpp *o)
{
	return o->connected && o->boot == OB_ACCEPTED;
}

/* The authorization decision table: accept, refuse, or ask the CSMS.
 *   list: the Local Authorization List's word (1 accepted, 0 refused, -1 not
 *         in it); cache: the cache's (asked only when the list is silent)
 *   online, LocalPreAuthorize:   accepted -> accept; refused by the list ->
 *                                refuse; else ask
 *   online, no LocalPreAuthorize: ask
 *   offline: accepted -> LocalAuthorizeOffline; refused -> refuse;
 *            unknown -> AllowOfflineTxForUnknownId
 * An expired entry counts as refused. */
static enum chg_auth_answer decide(struct ocpp *o, int64_t now, const char *id, bool is_online)
{
	int list = ocpp_list_says(o, now, id);
	int word = list >= 0 ? list : cache_says(o, now, id);
	if (is_online) {
		if (!settings_bool(o->set, SET_LOCAL_PRE_AUTHORIZE))
			return CHG_AUTH_ASK;
		if (word == 1)
			return CHG_AUTH_ACCEPT;
		/* The list is the CSMS's own word; the cache only remembers
		 * answers, and a refused id tag may have been cleared since. */
		return list == 0 ? CHG_AUTH_REJECT : CHG_AUTH_ASK;
	}
	if (word == 1)
		return settings_bool(o->set, SET_LOCAL_AUTHORIZE_OFFLINE) ? CHG_AUTH_ACCEPT
									  : CHG_AUTH_REJECT;
	if (word == 0)
		return CHG_AUTH_REJECT;
	return settings_bool(o->set, SET_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID) ? CHG_AUTH_ACCEPT
									  : CHG_AUTH_REJECT;
}

static const char *answer_name(enum chg_auth_answer a)
{
	return a == CHG_AUTH_ACCEPT ? "accepted" : a == CHG_AUTH_REJECT ? "refused" : "asked";
}

/* A connector where id (of group parent; NULL: not known) could start a
 * session now or later: none in use, out of order or reserved for another
 * id tag (C7). */
static bool connector_free(const struct ocpp *o, int64_t now, const char *id, const char *parent)
{
	return charger_may_start(o->ch, now, 0, id, parent);
}

/* The parentIdTag known for id, for reservations (C7): the answer just
 * decided, else what ocpp_cache_parent() knows (the lists, the cache);
 * false if nothing is known of id. */
static bool parent_of(void *user, const char *id, char *buf, size_t len)
{
	struct ocpp *o = user;
	if (o->decided_id[0] && strcasecmp(o->decided_id, id) == 0) {
		snprintf(buf, len, "%s", o->decided_parent);
		return true;
	}
	ocpp_cache_parent(o, id, buf, len);
	return buf[0] != '\0' || cache_find(o, id) != NULL;
}

/* A running transaction whose parentIdTag is known (a card of its group
 * may stop it). */
static bool group_known(const struct ocpp *o)
{
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++)
		if (o->tx[i].active && o->tx[i].parent[0])
			return true;
	return false;
}

/* Every connector is busy and id_tag belongs to the group (parentIdTag) of
 * a running transaction: that card stops it, as its own card would. */
static bool group_stop(struct ocpp *o, int64_t now, const char *id_tag, const char *parent)
{
	if (!parent || !parent[0] || connector_free(o, now, id_tag, parent))
		return false;
	for (int i = 0; i < PROFILE_MAX_CONNECTORS; i++) {
		struct otx *t = &o->tx[i];
		if (!t->active || strcasecmp(t->parent, parent) != 0)
			continue;
		ocpp_trace(o, "ocpp: id tag %s (group %s) stops session %lld", id_tag, parent,
			   (long long)t->number);
		snprintf(t->stop_tag, sizeof t->stop_tag, "%s", id_tag);
		return charger_stop_session(o->ch, now, t->number, STOP_LOCAL, "rfid");
	}
	return false;
}

/* Queue Authorize.req; false if it could not be queued. */
static bool ask(struct ocpp *o, const char *id)
{
	o->pa.sent = ocpp_vq_push(o, "Authorize", json_pack("{s:s}", "idTag", id), id);
	return o->pa.sent;
}

static enum chg_auth_answer check(void *user, int64_t now, const char *id)
{
	struct ocpp *o = user;
	/* Nowhere to start a session: only a card that may stop one of its
	 * group's is worth asking about (OCTT TC_068 / TC_069). */
	char parent[AUTH_ID_MAX + 1];
	bool known = parent_of(o, id, parent, sizeof parent);
	if (!connector_free(o, now, id, known ? parent : NULL) && (!online(o) || !group_known(o))) {
		ocpp_trace(o, "ocpp: id tag %s: no connector free, not asked", id);
		return CHG_AUTH_REJECT;
	}
	enum chg_auth_answer a = decide(o, now, id, online(o));
	if (a != CHG_AUTH_ASK) {
		ocpp_trace(o, "ocpp: %s: id tag %s %s locally", online(o) ? "online" : "offline",
			   id, answer_name(a));
		return a;
	}
	memset(&o->pa, 0, sizeof o->pa);
	o->pa.active = true;
	snprintf(o->pa.id_tag, sizeof o->pa.id_tag, "%s", id);
	if (!ask(o, id)) {
		/* No room to ask: decide now, as if the CSMS could not be reached. */
		memset(&o->pa, 0, sizeof o->pa);
		return decide(o, now, id, false) == CHG_AUTH_ACCEPT ? CHG_AUTH_ACCEPT
								    : CHG_AUTH_REJECT;
	}
	ocpp_pump(o, now);
	return CHG_AUTH_ASK;
}

void ocpp_auth_init(struct ocpp *o)
{
	o->auth.user = o;
	o->auth.check = check;
	o->auth.parent = parent_of;
}

static void decided(struct ocpp *o, int64_t now, bool accepted, const char *parent)
{
	struct pending_auth pa = o->pa;
	memset(&o->pa, 0, sizeof o->pa);
	/* The charger asks for the card's group (reservations, C7). */
	snprintf(o->decided_id, sizeof o->decided_id, "%s", pa.id_tag);
	snprintf(o->decided_parent, sizeof o->decided_parent, "%s", parent ? parent : "");
	if (!pa.for_remote && accepted && group_stop(o, now, pa.id_tag, parent))
		return;
	if (pa.for_remote) {
		if (!accepted) {
			ocpp_trace(o, "ocpp: remote start for %s not authorized", pa.id_tag);
			return;
		}
		enum chg_result r = charger_remote_start(o->ch, now, pa.conn, pa.id_tag);
		if (r != CHG_ACCEPTED)
			ocpp_trace(o, "ocpp: remote start for %s could not start", pa.id_tag);
		return;
	}
	charger_auth_result(o->ch, now, pa.id_tag, accepted);
}

void ocpp_auth_result(struct ocpp *o, int64_t now, const char *id_tag, json_t *info)
{
	ocpp_cache_update(o, id_tag, info);
	ocpp_list_check_conflict(o, now, id_tag, info);
	if (!o->pa.active || strcasecmp(o->pa.id_tag, id_tag) != 0)
		return;
	const char *st = json_string_value(json_object_get(info, "status"));
	bool ok = st && strcmp(st, "Accepted") == 0;
	const char *exp = json_string_value(json_object_get(info, "expiryDate"));
	int64_t t;
	if (ok && exp && settings_parse_utc(exp, &t) && t <= ocpp_utc(o, now))
		ok = false;
	ocpp_trace(o, "ocpp: id tag %s: %s", id_tag, st ? st : "?");
	decided(o, now, ok, json_string_value(json_object_get(info, "parentIdTag")));
}

void ocpp_auth_offline(struct ocpp *o, int64_t now)
{
	if (!o->pa.active)
		return;
	bool ok = decide(o, now, o->pa.id_tag, false) == CHG_AUTH_ACCEPT;
	ocpp_trace(o, "ocpp: no answer to Authorize: id tag %s %s by the offline rules",
		   o->pa.id_tag, ok ? "accepted" : "refused");
	char parent[AUTH_ID_MAX + 1];
	ocpp_cache_parent(o, o->pa.id_tag, parent, sizeof parent);
	decided(o, now, ok, parent);
}

void ocpp_auth_remote(struct ocpp *o, int64_t now, int conn, const char *id_tag)
{
	enum chg_auth_answer a = decide(o, now, id_tag, true);
	if (a == CHG_AUTH_ACCEPT) {
		(void)charger_remote_start(o->ch, now, conn, id_tag);
		return;
	}
	if (a == CHG_AUTH_REJECT) {
		ocpp_trace(o, "ocpp: remote start for %s refused by the local list", id_tag);
		return;
	}
	memset(&o->pa, 0, sizeof o->pa);
	o->pa.active = true;
	o->pa.for_remote = true;
	o->pa.conn = conn;
	snprintf(o->pa.id_tag, sizeof o->pa.id_tag, "%s", id_tag);
	if (!ask(o, id_tag))
		ocpp_auth_offline(o, now);
}
