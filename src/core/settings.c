/* SPDX-License-Identifier: MIT */
/*
 * Settings registry engine: the rows come from settings_table.h; this file
 * parses, validates, canonicalises and holds values. No I/O.
 */
#include "settings.h"

#include "civil.h"
#include "meter_map.h"
#include "policy.h"
#include "tz.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- value checks referenced by the table ------------------------------ */

static bool chk_utc_or_empty(const char *v, char *err, size_t n)
{
	int64_t t;
	if (v[0] == '\0' || settings_parse_utc(v, &t))
		return true;
	snprintf(err, n, "must be a UTC time like 2026-01-01T00:00:00Z");
	return false;
}

static bool chk_time_zone(const char *v, char *err, size_t n)
{
	struct tz_rule r;
	return tz_parse(v, &r, err, n);
}

static bool chk_host_port(const char *v, char *err, size_t n)
{
	if (v[0] == '\0' || strcmp(v, "off") == 0)
		return true; /* no web UI */
	const char *colon = strrchr(v, ':');
	if (!colon || colon == v) {
		snprintf(err, n, "must be address:port, or off");
		return false;
	}
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || *end || colon[1] == '\0' || port < 1 || port > 65535) {
		snprintf(err, n, "port must be 1-65535");
		return false;
	}
	return true;
}

/* group.peers: empty, or IPv4 host:port items separated by commas. */
static bool chk_peers(const char *v, char *err, size_t n)
{
	int count = 0;
	for (const char *p = v; *p;) {
		size_t len = strcspn(p, ",");
		char item[80];
		if (len == 0 || len >= sizeof item) {
			snprintf(err, n, "item %d: must be host:port", count + 1);
			return false;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		for (const char *q = item; *q; q++)
			if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-' && *q != ':') {
				snprintf(err, n, "item %d: must be host:port", count + 1);
				return false;
			}
		if (!chk_host_port(item, err, n))
			return false;
		if (++count > 31) {
			snprintf(err, n, "at most 31 peers");
			return false;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return true;
}

/* A fallback current is 0 (pause) or one an EV can take (IEC 61851). */
static bool chk_fallback(const char *v, char *err, size_t n)
{
	double a = strtod(v, NULL);
	if (a == 0 || a >= 6)
		return true;
	snprintf(err, n, "must be 0 or 6-80 A (IEC 61851 minimum 6 A)");
	return false;
}

static bool chk_ws_url(const char *v, char *err, size_t n)
{
	if (v[0] == '\0')
		return true;
	const char *host;
	if (strncmp(v, "ws://", 5) == 0)
		host = v + 5;
	else if (strncmp(v, "wss://", 6) == 0)
		host = v + 6;
	else {
		snprintf(err, n, "must start with ws:// or wss://");
		return false;
	}
	if (*host == '\0' || *host == '/' || *host == ':') {
		snprintf(err, n, "has no host");
		return false;
	}
	for (const char *p = v; *p; p++) {
		if (!isgraph((unsigned char)*p)) {
			snprintf(err, n, "must not contain spaces or control characters");
			return false;
		}
	}
	return true;
}

static bool chk_identity(const char *v, char *err, size_t n)
{
	for (const char *p = v; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
			snprintf(err, n, "may contain only letters, digits, '-', '_' and '.'");
			return false;
		}
	}
	return true;
}

/* Free text shown to people (the installer's name, company): no control
 * characters, so it cannot break a log line or a page. */
static bool chk_text(const char *v, char *err, size_t n)
{
	for (const char *p = v; *p; p++) {
		if (iscntrl((unsigned char)*p)) {
			snprintf(err, n, "must not contain control characters");
			return false;
		}
	}
	return true;
}

/* Empty, or one '@' with text either side, a dot in the domain, no spaces. */
static bool chk_email(const char *v, char *err, size_t n)
{
	if (v[0] == '\0')
		return true;
	const char *at = strchr(v, '@');
	bool ok = at && at != v && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' &&
		  v[strlen(v) - 1] != '.';
	for (const char *p = v; ok && *p; p++)
		ok = isgraph((unsigned char)*p);
	if (!ok)
		snprintf(err, n, "must be an e-mail address like name@example.com");
	return ok;
}

/* Same rule as the card list (auth_id_valid): printable, no spaces. */
static bool chk_id_tag(const char *v, char *err, size_t n)
{
	for (const char *p = v; *p; p++) {
		if (!isgraph((unsigned char)*p)) {
			snprintf(err, n, "must be printable characters without spaces");
			return false;
		}
	}
	return true;
}

static bool chk_pnc_id(const char *v, char *err, size_t n)
{
	size_t len = strlen(v);
	if (len != 0 && len < 8) {
		snprintf(err, n, "must be 8 or more characters (or empty)");
		return false;
	}
	return chk_id_tag(v, err, n);
}

static bool chk_phases(const char *v, char *err, size_t n)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "3") == 0)
		return true;
	snprintf(err, n, "must be 1 or 3");
	return false;
}

static const char *const rotations[] = {"NotApplicable", "Unknown", "RST", "RTS",
					"SRT",		 "STR",	    "TRS", "TSR"};

static bool chk_phase_rotation(const char *v, char *err, size_t n)
{
	const char *p = v;
	while (*p) {
		char *end;
		long conn = strtol(p, &end, 10);
		if (end == p || *end != '.' || conn < 0 || conn > PROFILE_MAX_CONNECTORS) {
			snprintf(err, n, "must be a list like 1.RST,2.RTS");
			return false;
		}
		const char *rot = end + 1;
		size_t len = strcspn(rot, ",");
		bool ok = false;
		for (size_t i = 0; i < sizeof rotations / sizeof rotations[0]; i++)
			if (strlen(rotations[i]) == len && strncmp(rot, rotations[i], len) == 0)
				ok = true;
		if (!ok) {
			snprintf(err, n,
				 "unknown rotation '%.*s' (RST, RTS, SRT, STR, TRS, TSR, "
				 "NotApplicable, Unknown)",
				 (int)(len > 20 ? 20 : len), rot);
			return false;
		}
		p = rot + len;
		if (*p == ',')
			p++;
	}
	return true;
}

static bool chk_meter_site(const char *v, char *err, size_t n)
{
	struct meter_spec sp;
	return meter_spec_parse(v, &sp, err, n);
}

static bool chk_dip(const char *v, char *err, size_t n)
{
	if (strlen(v) == 3 && strspn(v, "01") == 3)
		return true;
	snprintf(err, n, "must be three digits 0/1 for SW1 SW2 SW3, e.g. 110");
	return false;
}

static bool chk_no_charge_period(const char *v, char *err, size_t n)
{
	struct policy_window w;
	return policy_parse_period(v, &w, err, n);
}

static bool chk_hours(const char *v, char *err, size_t n)
{
	struct policy_window w;
	return policy_parse_hours(v, &w, err, n);
}

/* MQ200: the delay is 120 s to the maximum; 0 turns it off. */
static bool chk_cold_load(const char *v, char *err, size_t n)
{
	if (strcmp(v, "0") == 0 || strtol(v, NULL, 10) >= POLICY_COLD_LOAD_MIN_S)
		return true;
	snprintf(err, n, "must be 0 (off) or %d-3600", POLICY_COLD_LOAD_MIN_S);
	return false;
}

/* A restart more often than hourly would be a fault, not maintenance. */
static bool chk_reboot_period(const char *v, char *err, size_t n)
{
	if (strcmp(v, "0") == 0 || strtol(v, NULL, 10) >= 60)
		return true;
	snprintf(err, n, "must be 0 (never) or 60-525600 minutes (an hour to a year)");
	return false;
}

/* Measurands evsed can report (C4). */
static const char *const measurands[] = {
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "Current.Offered",
    "Voltage",
    "Frequency",
    "Temperature",
};

bool settings_measurand_known(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof measurands / sizeof measurands[0]; i++)
		if (strlen(measurands[i]) == len && strncmp(measurands[i], name, len) == 0)
			return true;
	return false;
}

/* A comma-separated list of supported measurands, at most 10, no repeats. */
static bool chk_measurands(const char *v, char *err, size_t n)
{
	int count = 0;
	const char *p = v;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == 0 || !settings_measurand_known(p, len)) {
			snprintf(
			    err, n, "'%.*s' is not a supported measurand (%s)",
			    (int)(len > 40 ? 40 : len), p,
			    "Energy.Active.Import.Register, Power.Active.Import, Current.Import, "
			    "Current.Offered, Voltage, Frequency, Temperature");
			return false;
		}
		for (const char *q = v; q < p;) {
			size_t l2 = strcspn(q, ",");
			if (l2 == len && strncmp(q, p, len) == 0) {
				snprintf(err, n, "'%.*s' is listed twice", (int)len, p);
				return false;
			}
			q += l2 + 1;
		}
		if (++count > 10) {
			snprintf(err, n, "at most 10 measurands");
			return false;
		}
		p += len;
		if (*p == ',' && p[1] == '\0') {
			snprintf(err, n, "ends with a comma");
			return false;
		}
		if (*p == ',')
			p++;
	}
	return true;
}

/* ---- the table --------------------------------------------------------- */

static const struct set_def defs[SET_COUNT] = {
#define S(id, name, type, min, max, unit, flags, ocpp, check, enums, def, d0, d1, d2, help)        \
	[SET_##id] = {name, type,  min,	  max, unit,	     flags,                                \
		      ocpp, check, enums, def, {d0, d1, d2}, help},
#include "settings_table.h"
#undef S
};

struct val {
	char *text;
	double num;
	enum set_source src;
};

struct settings {
	enum profile_id profile;
	struct val v[SET_COUNT];
	/* SF_REBOOT settings: the text the running code started with
	 * (settings_mark_applied); NULL = not marked. */
	char *applied[SET_COUNT];
};

const struct set_def *settings_def(enum set_id id)
{
	if ((unsigned)id >= SET_COUNT)
		return NULL;
	return &defs[id];
}

bool settings_find(const char *name, enum set_id *out)
{
	for (int i = 0; i < SET_COUNT; i++) {
		if (strcmp(defs[i].name, name) == 0 ||
		    (defs[i].ocpp_key && strcmp(defs[i].ocpp_key, name) == 0)) {
			*out = (enum set_id)i;
			return true;
		}
	}
	return false;
}

static bool parse_bool(const char *t, bool *out)
{
	static const char *const yes[] = {"true", "1", "yes", "on"};
	static const char *const no[] = {"false", "0", "no", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(t, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(t, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Canonicalise text for def into canon (size n) and its number. */
static bool canonical(const struct set_def *d, const char *text, char *canon, size_t n, double *num,
		      char *err, size_t errlen)
{
	*num = 0;
	switch (d->type) {
	case ST_BOOL: {
		bool b;
		if (!parse_bool(text, &b)) {
			snprintf(err, errlen, "must be true or false");
			return false;
		}
		snprintf(canon, n, "%s", b ? "true" : "false");
		*num = b;
		break;
	}
	case ST_INT: {
		char *end;
		errno = 0;
		long long v = strtoll(text, &end, 10);
		if (errno || end == text || *end) {
			snprintf(err, errlen, "must be a whole number");
			return false;
		}
		if ((double)v < d->min || (double)v > d->max) {
			snprintf(err, errlen, "must be between %g and %g%s%s", d->min, d->max,
				 d->unit[0] ? " " : "", d->unit);
			return false;
		}
		snprintf(canon, n, "%lld", v);
		*num = (double)v;
		break;
	}
	case ST_DOUBLE: {
		char *end;
		errno = 0;
		double v = strtod(text, &end);
		if (errno || end == text || *end || !isfinite(v)) {
			snprintf(err, errlen, "must be a number");
			return false;
		}
		if (v < d->min || v > d->max) {
			snprintf(err, errlen, "must be between %g and %g%s%s", d->min, d->max,
				 d->unit[0] ? " " : "", d->unit);
			return false;
		}
		snprintf(canon, n, "%.10g", v);
		*num = v;
		break;
	}
	case ST_STRING: {
		size_t len = strlen(text);
		if ((double)len > d->max) {
			snprintf(err, errlen, "must be at most %g characters", d->max);
			return false;
		}
		if ((double)len < d->min) {
			if (d->min <= 1)
				snprintf(err, errlen, "must not be empty");
			else
				snprintf(err, errlen, "must be at least %g characters", d->min);
			return false;
		}
		if (len >= n) {
			snprintf(err, errlen, "too long");
			return false;
		}
		memcpy(canon, text, len + 1);
		break;
	}
	case ST_ENUM: {
		const char *p = d->enum_values;
		size_t tlen = strlen(text);
		while (p && *p) {
			size_t len = strcspn(p, "|");
			if (len == tlen && strncasecmp(p, text, len) == 0) {
				snprintf(canon, n, "%.*s", (int)len, p);
				*num = strtod(canon, NULL);
				goto checked;
			}
			p += len;
			if (*p == '|')
				p++;
		}
		snprintf(err, errlen, "must be one of %s", d->enum_values);
		return false;
	}
	}
checked:
	if (d->check && !d->check(canon, err, errlen))
		return false;
	return true;
}

#define CANON_MAX 1024

bool settings_validate(enum set_id id, const char *text, char *err, size_t errlen)
{
	char canon[CANON_MAX];
	double num;
	const struct set_def *d = settings_def(id);
	if (!d) {
		snprintf(err, errlen, "unknown setting");
		return false;
	}
	return canonical(d, text, canon, sizeof canon, &num, err, errlen);
}

static const char *default_text(enum profile_id p, enum set_id id)
{
	const struct set_def *d = &defs[id];
	if ((unsigned)p < PROFILE_COUNT && d->pdef[p])
		return d->pdef[p];
	return d->def;
}

static void free_vals(struct val *v)
{
	for (int i = 0; i < SET_COUNT; i++) {
		free(v[i].text);
		v[i].text = NULL;
	}
}

struct settings *settings_new(enum profile_id profile)
{
	struct settings *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->profile = profile;
	for (int i = 0; i < SET_COUNT; i++) {
		char canon[CANON_MAX], err[160];
		const char *t = (i == SET_PROFILE) ? profile_get(profile)->name
						   : default_text(profile, (enum set_id)i);
		/* Defaults are part of the table and are checked by the unit
		 * tests; a bad one is a programming error. */
		if (!canonical(&defs[i], t, canon, sizeof canon, &s->v[i].num, err, sizeof err))
			snprintf(canon, sizeof canon, "%s", t);
		s->v[i].text = strdup(canon);
		if (!s->v[i].text) {
			settings_free(s);
			return NULL;
		}
		s->v[i].src = SRC_DEFAULT;
	}
	return s;
}

void settings_free(struct settings *s)
{
	if (!s)
		return;
	free_vals(s->v);
	for (int i = 0; i < SET_COUNT; i++)
		free(s->applied[i]);
	free(s);
}

bool settings_mark_applied(struct settings *s)
{
	for (int i = 0; i < SET_COUNT; i++) {
		if (!(defs[i].flags & SF_REBOOT))
			continue;
		char *t = strdup(s->v[i].text);
		if (!t)
			return false;
		free(s->applied[i]);
		s->applied[i] = t;
	}
	return true;
}

const char *settings_applied_str(const struct settings *s, enum set_id id)
{
	return s->applied[id] ? s->applied[id] : s->v[id].text;
}

bool settings_restart_pending(const struct settings *s)
{
	for (int i = 0; i < SET_COUNT; i++)
		if (s->applied[i] && strcmp(s->applied[i], s->v[i].text) != 0)
			return true;
	return false;
}

enum profile_id settings_profile(const struct settings *s)
{
	return s->profile;
}

enum set_err settings_set_id(struct settings *s, enum set_id id, const char *text,
			     enum set_source src, char *err, size_t errlen, bool *changed)
{
	const struct set_def *d = settings_def(id);
	char reason[200];
	if (changed)
		*changed = false;
	if (!d) {
		snprintf(err, errlen, "unknown setting");
		return SET_E_UNKNOWN;
	}
	if (d->flags & SF_READONLY) {
		snprintf(err, errlen, "%s: is read-only", d->name);
		return SET_E_ACCESS;
	}
	if ((d->flags & SF_STARTUP) && src == SRC_RUNTIME) {
		snprintf(err, errlen, "%s: can only be set at start (settings file or --set)",
			 d->name);
		return SET_E_ACCESS;
	}
	char canon[CANON_MAX];
	double num;
	if (!canonical(d, text, canon, sizeof canon, &num, reason, sizeof reason)) {
		snprintf(err, errlen, "%s: %s", d->name, reason);
		return SET_E_INVALID;
	}
	/* Compare the canonical name: enums match case-insensitively. */
	if (id == SET_PROFILE && src != SRC_DEFAULT) {
		enum profile_id p;
		if (profile_find(canon, &p) && p != s->profile) {
			snprintf(err, errlen, "%s: must be chosen before the other settings",
				 d->name);
			return SET_E_ACCESS;
		}
	}
	char *copy = strdup(canon);
	if (!copy) {
		snprintf(err, errlen, "%s: out of memory", d->name);
		return SET_E_INVALID;
	}
	if (changed)
		*changed = strcmp(copy, s->v[id].text) != 0;
	free(s->v[id].text);
	s->v[id].text = copy;
	s->v[id].num = num;
	s->v[id].src = src;
	return SET_OK;
}

enum set_err settings_set(struct settings *s, const char *name, const char *text,
			  enum set_source src, char *err, size_t errlen, bool *changed)
{
	enum set_id id;
	if (!settings_find(name, &id)) {
		snprintf(err, errlen, "%s: unknown setting", name);
		if (changed)
			*changed = false;
		return SET_E_UNKNOWN;
	}
	return settings_set_id(s, id, text, src, err, errlen, changed);
}

static char *trim(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	char *e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return p;
}

/* Walk the lines of a settings file; fn returns false to stop. */
typedef bool (*line_fn)(void *user, const char *key, const char *value, int lineno, char *err,
			size_t errlen);

static bool walk_text(const char *text, const char *fname, line_fn fn, void *user, char *err,
		      size_t errlen)
{
	char section[64] = "";
	int lineno = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		lineno++;
		char line[1024];
		if (len >= sizeof line) {
			snprintf(err, errlen, "%s:%d: line too long", fname, lineno);
			return false;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len;
		if (*p == '\n')
			p++;
		/* '#' starts a comment at the start of a line or after a blank,
		 * so values such as passwords may contain '#'. */
		for (char *h = line; (h = strchr(h, '#')) != NULL; h++) {
			if (h == line || isspace((unsigned char)h[-1])) {
				*h = '\0';
				break;
			}
		}
		char *l = trim(line);
		if (*l == '\0')
			continue;
		if (*l == '[') {
			char *close = strchr(l, ']');
			if (!close || close[1] != '\0' || close == l + 1 ||
			    (size_t)(close - l) >= sizeof section) {
				snprintf(err, errlen, "%s:%d: bad section header", fname, lineno);
				return false;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", trim(l + 1));
			continue;
		}
		char *eq = strchr(l, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", fname, lineno);
			return false;
		}
		*eq = '\0';
		char *key = trim(l), *value = trim(eq + 1);
		if (*key == '\0') {
			snprintf(err, errlen, "%s:%d: missing key before '='", fname, lineno);
			return false;
		}
		char full[200];
		if (section[0])
			snprintf(full, sizeof full, "%s.%s", section, key);
		else
			snprintf(full, sizeof full, "%s", key);
		char e2[300];
		if (!fn(user, full, value, lineno, e2, sizeof e2)) {
			snprintf(err, errlen, "%s:%d: %s", fname, lineno, e2);
			return false;
		}
	}
	return true;
}

static bool apply_line(void *user, const char *key, const char *value, int lineno, char *err,
		       size_t errlen)
{
	(void)lineno;
	return settings_set(user, key, value, SRC_FILE, err, errlen, NULL) == SET_OK;
}

bool settings_load_text(struct settings *s, const char *text, const char *fname, char *err,
			size_t errlen)
{
	/* Apply to a copy so that a bad line leaves s untouched. */
	struct settings *copy = settings_new(s->profile);
	if (!copy) {
		snprintf(err, errlen, "%s: out of memory", fname);
		return false;
	}
	for (int i = 0; i < SET_COUNT; i++) {
		char *t = strdup(s->v[i].text);
		if (!t) {
			settings_free(copy);
			snprintf(err, errlen, "%s: out of memory", fname);
			return false;
		}
		free(copy->v[i].text);
		copy->v[i] = s->v[i];
		copy->v[i].text = t;
	}
	if (!walk_text(text, fname, apply_line, copy, err, errlen)) {
		settings_free(copy);
		return false;
	}
	free_vals(s->v);
	memcpy(s->v, copy->v, sizeof s->v);
	free(copy);
	return true;
}

struct peek {
	const char *key;
	char *out;
	size_t outlen;
	bool found;
};

static bool peek_line(void *user, const char *key, const char *value, int lineno, char *err,
		      size_t errlen)
{
	(void)lineno;
	(void)err;
	(void)errlen;
	struct peek *pk = user;
	if (strcmp(key, pk->key) == 0) {
		snprintf(pk->out, pk->outlen, "%s", value);
		pk->found = true;
	}
	return true;
}

bool settings_peek_text(const char *text, const char *key, char *out, size_t outlen)
{
	struct peek pk = {key, out, outlen, false};
	char err[8];
	(void)walk_text(text, "", peek_line, &pk, err, sizeof err);
	return pk.found;
}

bool settings_bool(const struct settings *s, enum set_id id)
{
	return s->v[id].num != 0;
}

int64_t settings_int(const struct settings *s, enum set_id id)
{
	return (int64_t)llround(s->v[id].num);
}

double settings_double(const struct settings *s, enum set_id id)
{
	return s->v[id].num;
}

const char *settings_str(const struct settings *s, enum set_id id)
{
	return s->v[id].text;
}

int settings_enum(const struct settings *s, enum set_id id)
{
	const char *v = s->v[id].text;
	size_t vlen = strlen(v);
	const char *p = settings_def(id)->enum_values;
	for (int i = 0; p && *p; i++) {
		size_t len = strcspn(p, "|");
		if (len == vlen && strncmp(p, v, len) == 0)
			return i;
		p += len;
		if (*p == '|')
			p++;
	}
	return -1;
}

enum set_source settings_source(const struct settings *s, enum set_id id)
{
	return s->v[id].src;
}

bool settings_parse_utc(const char *t, int64_t *out)
{
	int y, mo, d, h, mi, se, n = 0;
	/* Fixed-width digits: sscanf alone would take signs and spaces. */
	for (int i = 0; i < 19; i++) {
		bool sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
		if (t[i] == '\0' || (!sep && !isdigit((unsigned char)t[i])))
			return false;
	}
	if (t[10] != 'T' && t[10] != 't')
		return false;
	if (sscanf(t, "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 ||
	    n != 19)
		return false;
	const char *p = t + n;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	/* RFC 3339: "Z" or an offset "+HH:MM" / "-HH:MM" (local = UTC + offset). */
	int64_t offset = 0;
	if (strcmp(p, "Z") != 0 && strcmp(p, "z") != 0) {
		if ((p[0] != '+' && p[0] != '-') || !isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) || p[3] != ':' || !isdigit((unsigned char)p[4]) ||
		    !isdigit((unsigned char)p[5]) || p[6] != '\0')
			return false;
		int oh = (p[1] - '0') * 10 + (p[2] - '0'), om = (p[4] - '0') * 10 + (p[5] - '0');
		if (oh > 23 || om > 59)
			return false;
		offset = (p[0] == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
	}
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) ||
	    h > 23 || mi > 59 || se > 60)
		return false;
	*out = civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
	return true;
}

void settings_format_utc(int64_t t, char *buf, size_t len)
{
	int64_t z = civil_floor_div(t, 86400);
	int64_t secs = t - z * 86400;
	int y, m, d;
	civil_from_days(z, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02dT%02lld:%02lld:%02lldZ", y, m, d,
		 (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
}
