/* SPDX-License-Identifier: MIT */
/*
 * The Local Authorization List (C6): the id tags the CSMS sends with
 * SendLocalList (Full replaces the list, Differential adds, updates and
 * removes entries) and its version (GetLocalListVersion), bounded by
 * LocalAuthListMaxLength, kept sorted for lookups. An update is checked
 * whole, built aside, made durable through the io callbacks and only then
 * swapped in: it is taken entirely or not at all. The list wins over the
 * cache (ocpp_auth.c decides); an answer of the CSMS that disagrees with it
 * is reported as LocalListConflict and changes nothing in it.
 *
 * Not here: deciding what an entry means for a card (ocpp_auth.c), the
 * storage itself (the shell's list_replace / list_apply).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ocpp_int.h"
#include "schema.h"

struct ocpp_list {
	struct ocpp_list_entry *e; /* sorted by id_tag, case-insensitively */
	int n;
	int version; /* of the last update taken, also when it left the list empty */
};

static bool enabled(const struct ocpp *o)
{
	return settings_bool(o->set, SET_LOCAL_AUTH_LIST_ENABLED);
}

static int cmp_entry(const void *a, const void *b)
{
	/* IdToken is a CiString20: case does not matter. */
	return strcasecmp(((const struct ocpp_list_entry *)a)->id_tag,
			  ((const struct ocpp_list_entry *)b)->id_tag);
}

bool ocpp_list_init(struct ocpp *o)
{
	o->list = calloc(1, sizeof *o->list);
	return o->list != NULL;
}

void ocpp_list_free(struct ocpp *o)
{
	if (!o->list)
		return;
	free(o->list->e);
	free(o->list);
	o->list = NULL;
}

const struct ocpp_list_entry *ocpp_list_find(const struct ocpp *o, const char *id_tag)
{
	const struct ocpp_list *l = o->list;
	if (!enabled(o) || l->n == 0)
		return NULL;
	struct ocpp_list_entry key;
	snprintf(key.id_tag, sizeof key.id_tag, "%s", id_tag);
	return bsearch(&key, l->e, (size_t)l->n, sizeof l->e[0], cmp_entry);
}

int ocpp_list_says(const struct ocpp *o, int64_t now, const char *id_tag)
{
	const struct ocpp_list_entry *e = ocpp_list_find(o, id_tag);
	return e ? ocpp_tag_says(o, now, e->status, e->expiry_utc) : -1;
}

/* Sort e[0..n) and drop repeated id tags (one of each stays: qsort is not
 * stable); returns the new count. */
static int sort_unique(struct ocpp_list_entry *e, int n)
{
	qsort(e, (size_t)n, sizeof e[0], cmp_entry);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || cmp_entry(&e[k - 1], &e[i]) != 0)
			e[k++] = e[i];
	return k;
}

bool ocpp_list_load(struct ocpp *o, const struct ocpp_list_entry *e, int n, int version)
{
	struct ocpp_list *l = o->list;
	struct ocpp_list_entry *copy = malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
	if (!copy)
		return false;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!e[i].remove)
			copy[k++] = e[i];
	int u = sort_unique(copy, k);
	int max = (int)settings_int(o->set, SET_LOCAL_AUTH_LIST_MAX_LENGTH);
	if (u != k)
		ocpp_trace(o, "ocpp: local list: %d repeated id tags dropped", k - u);
	if (u > max) {
		ocpp_trace(o, "ocpp: local list: %d entries over LocalAuthListMaxLength dropped",
			   u - max);
		u = max;
	}
	free(l->e);
	l->e = copy;
	l->n = u;
	l->version = version;
	return true;
}

/* ---- conflicts --------------------------------------------------------- */

static bool info_accepts(struct ocpp *o, int64_t now, json_t *info)
{
	const char *st = json_string_value(json_object_get(info, "status"));
	if (!st || strcmp(st, "Accepted") != 0)
		return false;
	const char *exp = json_string_value(json_object_get(info, "expiryDate"));
	int64_t t;
	return !(exp && settings_parse_utc(exp, &t) && t <= ocpp_utc(o, now));
}

void ocpp_list_check_conflict(struct ocpp *o, int64_t now, const char *id_tag, json_t *info)
{
	if (!info || !id_tag || !id_tag[0])
		return;
	int says = ocpp_list_says(o, now, id_tag);
	if (says < 0 || (says == 1) == info_accepts(o, now, info))
		return;
	ocpp_trace(o, "ocpp: the CSMS answered %s for id tag %s, the local list says %s",
		   json_string_value(json_object_get(info, "status")), id_tag,
		   says ? "Accepted" : "otherwise");
	/* OCPP 1.6 3.5.3: a StatusNotification for connector 0 with
	 * LocalListConflict. The list stays as the CSMS sent it. */
	ocpp_status_refresh(o, now, 0);
	char text[64];
	snprintf(text, sizeof text, "id tag %s", id_tag);
	json_t *p =
	    json_pack("{s:i, s:s, s:s, s:s, s:o}", "connectorId", 0, "errorCode",
		      "LocalListConflict", "info", text, "status", conn_status_name(o->st[0].cur),
		      "timestamp", ocpp_time_json(ocpp_utc(o, now)));
	ocpp_vq_push(o, "StatusNotification", p, NULL);
	/* Then the charger's real state again, so that the CSMS does not keep
	 * connector 0 in error: the conflict is an event, not a condition. */
	struct status_state *s = &o->st[0];
	s->dirty = true;
	s->sent_valid = false;
	s->stable_at = now;
	s->order = ++o->order;
	s->after_seq = o->max_seq;
}

/* ---- GetLocalListVersion -------------------------------------------------- */

json_t *ocpp_op_get_local_list_version(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				       char *msg, size_t msglen)
{
	(void)now;
	(void)req;
	(void)err;
	(void)msg;
	(void)msglen;
	/* -1: the list is disabled; 0: it is empty (whatever version the last
	 * update gave it). */
	int v = !enabled(o) ? -1 : o->list->n == 0 ? 0 : o->list->version;
	return json_pack("{s:i}", "listVersion", v);
}

/* ---- SendLocalList ---------------------------------------------------------- */

static json_t *status_only(const char *status)
{
	return json_pack("{s:s}", "status", status);
}

/* An RFC 3339 time with any offset (the schema checked its form); false
 * for one before 1970. */
static bool parse_time(const char *t, int64_t *out)
{
	if (settings_parse_utc(t, out))
		return true;
	size_t len = strlen(t);
	if (len < 25 || (t[len - 6] != '+' && t[len - 6] != '-') || t[len - 3] != ':')
		return false;
	char base[48];
	snprintf(base, sizeof base, "%.*sZ", (int)(len - 6), t);
	int64_t b;
	if (!settings_parse_utc(base, &b))
		return false;
	int64_t off = ((t[len - 5] - '0') * 10 + (t[len - 4] - '0')) * 3600 +
		      ((t[len - 2] - '0') * 10 + (t[len - 1] - '0')) * 60;
	*out = t[len - 6] == '+' ? b - off : b + off;
	return true;
}

/* Read localAuthorizationList[i] into e; false with *err / msg set when it
 * cannot be taken. */
static bool read_entry(json_t *item, size_t i, struct ocpp_list_entry *e, enum ocpp_err *err,
		       char *msg, size_t msglen)
{
	memset(e, 0, sizeof *e);
	const char *id = json_string_value(json_object_get(item, "idTag"));
	char why[80];
	if (!id || !auth_id_valid(id, why, sizeof why)) {
		*err = OE_PROPERTY;
		snprintf(msg, msglen, "localAuthorizationList[%zu].idTag: %s", i,
			 id ? why : "missing");
		return false;
	}
	snprintf(e->id_tag, sizeof e->id_tag, "%s", id);
	json_t *info = json_object_get(item, "idTagInfo");
	if (!info) {
		e->remove = true;
		return true;
	}
	e->status = ocpp_auth_status_parse(json_string_value(json_object_get(info, "status")));
	const char *exp = json_string_value(json_object_get(info, "expiryDate"));
	if (exp && !parse_time(exp, &e->expiry_utc))
		e->expiry_utc = 1; /* before 1970: long expired */
	const char *parent = json_string_value(json_object_get(info, "parentIdTag"));
	if (parent)
		snprintf(e->parent, sizeof e->parent, "%s", parent);
	return true;
}

/* The list after a Differential update: cur and diff both sorted, unique.
 * Returns the count written to out (room for ncur + ndiff). */
static int merge(const struct ocpp_list_entry *cur, int ncur, const struct ocpp_list_entry *diff,
		 int ndiff, struct ocpp_list_entry *out)
{
	int i = 0, j = 0, k = 0;
	while (i < ncur || j < ndiff) {
		int c = i == ncur ? 1 : j == ndiff ? -1 : cmp_entry(&cur[i], &diff[j]);
		if (c < 0) {
			out[k++] = cur[i++];
			continue;
		}
		if (c == 0)
			i++; /* replaced or removed by diff[j] */
		if (!diff[j].remove)
			out[k++] = diff[j];
		j++;
	}
	return k;
}

/* An update the charge point cannot take whole: nothing changes. */
static json_t *failed(struct ocpp *o, struct ocpp_list_entry *a, struct ocpp_list_entry *b,
		      const char *why)
{
	ocpp_trace(o, "ocpp: SendLocalList failed: %s", why);
	free(a);
	free(b);
	return status_only("Failed");
}

json_t *ocpp_op_send_local_list(struct ocpp *o, int64_t now, json_t *req, enum ocpp_err *err,
				char *msg, size_t msglen)
{
	(void)now;
	struct ocpp_list *l = o->list;
	if (!enabled(o))
		return status_only("NotSupported");
	bool full = strcmp(json_string_value(json_object_get(req, "updateType")), "Full") == 0;
	json_int_t version = ocpp_schema_int(json_object_get(req, "listVersion"));
	json_t *items = json_object_get(req, "localAuthorizationList");
	size_t count = json_array_size(items);
	json_int_t send_max = settings_int(o->set, SET_SEND_LOCAL_LIST_MAX_LENGTH);
	/* Every check comes before anything is changed. */
	if ((json_int_t)count > send_max) {
		*err = OE_OCCURRENCE;
		snprintf(
		    msg, msglen,
		    "localAuthorizationList: %zu entries, at most %lld (SendLocalListMaxLength)",
		    count, (long long)send_max);
		return NULL;
	}
	if (!full && version <= l->version) {
		ocpp_trace(o, "ocpp: SendLocalList Differential version %lld, the list is at %d",
			   (long long)version, l->version);
		return status_only("VersionMismatch");
	}
	/* 0 is what GetLocalListVersion answers for an empty list: only an
	 * update that leaves the list empty may carry it. */
	if (version < 0 || version > INT_MAX || (version == 0 && count > 0)) {
		*err = OE_PROPERTY;
		snprintf(msg, msglen, "listVersion: %lld; a list with entries needs 1 or more",
			 (long long)version);
		return NULL;
	}
	struct ocpp_list_entry *diff = malloc((count ? count : 1) * sizeof *diff);
	if (!diff)
		return failed(o, NULL, NULL, "out of memory");
	for (size_t i = 0; i < count; i++)
		if (!read_entry(json_array_get(items, i), i, &diff[i], err, msg, msglen)) {
			free(diff);
			return NULL;
		}
	int n = (int)count;
	if (sort_unique(diff, n) != n) {
		/* Sorted: a repeated id tag sits next to its twin. */
		for (int i = 1; i < n; i++)
			if (cmp_entry(&diff[i - 1], &diff[i]) == 0) {
				*err = OE_PROPERTY;
				snprintf(msg, msglen,
					 "localAuthorizationList: id tag %s more than once",
					 diff[i].id_tag);
				break;
			}
		free(diff);
		return NULL;
	}
	/* The list as it would be. In a Full update an entry without
	 * idTagInfo is simply not in the new list. */
	struct ocpp_list_entry *next = malloc((size_t)(l->n + n + 1) * sizeof *next);
	if (!next)
		return failed(o, diff, NULL, "out of memory");
	int nn;
	if (full) {
		nn = 0;
		for (int i = 0; i < n; i++)
			if (!diff[i].remove)
				next[nn++] = diff[i];
	} else {
		nn = merge(l->e, l->n, diff, n, next);
	}
	json_int_t max = settings_int(o->set, SET_LOCAL_AUTH_LIST_MAX_LENGTH);
	if (nn > max) {
		char why[96];
		snprintf(why, sizeof why, "%d entries, LocalAuthListMaxLength is %lld", nn,
			 (long long)max);
		return failed(o, diff, next, why);
	}
	bool stored =
	    full ? o->io->list_replace && o->io->list_replace(o->io->user, next, nn, (int)version)
		 : o->io->list_apply && o->io->list_apply(o->io->user, diff, n, (int)version);
	if (!stored)
		return failed(o, diff, next, "the store did not take it");
	free(diff);
	free(l->e);
	l->e = next;
	l->n = nn;
	l->version = (int)version;
	ocpp_trace(o, "ocpp: local list %s update to version %d: %d entries",
		   full ? "full" : "differential", l->version, l->n);
	return status_only("Accepted");
}
