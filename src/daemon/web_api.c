/* SPDX-License-Identifier: MIT */
/*
 * The REST API (web_api.h). One row per route: method, path, the least role
 * that may call it, whether a session that must still change its default
 * password may. Every request other than GET needs the session's CSRF token
 * in X-CSRF-Token. Every change is written to the log with who made it,
 * never with a secret.
 */
#include "web_api.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sys/socket.h>

#include <openssl/crypto.h>

#include "../core/csv.h"
#include "../core/indication.h"
#include "../core/tz.h"
#include "../core/version.h"
#include "../io/netif.h"
#include "../io/web.h"
#include "../io/web_auth.h"
#include "evsed.h"
#include "fw_upload.h"
#include "ocpp_link.h"

/* The UI's files (web_assets.c, generated from web/ by CMake). */
extern const struct web_asset evsed_web_assets[];
extern const size_t evsed_web_assets_count;

#define LOG_LINES    200
#define COOKIE_NAME  "evsed_session"
#define REBOOT_DELAY (500 * LWS_US_PER_MS)

enum role { ROLE_USER, ROLE_MAINTAIN, ROLE_INSTALLER, ROLE_COUNT };

static const char *const role_names[ROLE_COUNT] = {"user", "maintain", "installer"};

/* The accounts every charger has (seeds: io7 installer / user, MQ200 admin /
 * maintain); each starts with the profile's default password. */
static const struct {
	const char *name;
	enum role role;
} default_accounts[] = {
    {"installer", ROLE_INSTALLER},
    {"maintain", ROLE_MAINTAIN},
    {"user", ROLE_USER},
};

struct web_api {
	struct evsed *d;
	struct web *srv;
	struct web_auth auth;
	char *log[LOG_LINES];
	int log_next;
	lws_sorted_usec_list_t reboot_sul;
	char cert[256], key[256];
	char upload_file[512]; /* POST /api/firmware's body (G4) */
};

/* One request being answered. */
struct call {
	struct web_api *a;
	const struct web_req *rq;
	struct web_resp *rs;
	struct web_session *s; /* NULL before login */
	json_t *body;	       /* the parsed JSON body (an object) or NULL */
	const char *tail;      /* the path after a prefix route's path */
};

/* ---- answers ----------------------------------------------------------- */

static void reply_json(struct call *c, int status, json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text) {
		c->rs->status = 500;
		return;
	}
	c->rs->status = status;
	c->rs->body = text;
	c->rs->body_len = strlen(text);
}

static void reply_data(struct call *c, json_t *data)
{
	reply_json(c, 200, json_pack("{s:b, s:o}", "ok", 1, "data", data ? data : json_null()));
}

static void reply_error(struct call *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reply_error(struct call *c, int status, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	reply_json(c, status, json_pack("{s:b, s:s}", "ok", 0, "error", buf));
}

/* An invalid form field: named, so the UI can mark it. */
static void reply_field(struct call *c, const char *field, const char *msg)
{
	reply_json(c, 400, json_pack("{s:b, s:s, s:s}", "ok", 0, "error", msg, "field", field));
}

/* Pass a control-socket answer on: data, a message, or an error (409: the
 * charger refused; 400: bad arguments). */
static void reply_command(struct call *c, json_t *r)
{
	if (!r) {
		reply_error(c, 500, "internal error");
		return;
	}
	if (json_is_true(json_object_get(r, "ok"))) {
		json_t *data = json_object_get(r, "data");
		json_t *msg = json_object_get(r, "message");
		json_t *o = json_pack("{s:b}", "ok", 1);
		if (data)
			json_object_set(o, "data", data);
		if (msg)
			json_object_set(o, "message", msg);
		reply_json(c, 200, o);
	} else {
		int code = (int)json_integer_value(json_object_get(r, "code"));
		reply_error(c, code == 2 ? 400 : 409, "%s",
			    json_string_value(json_object_get(r, "error")));
	}
	json_decref(r);
}

/* Run a control-socket command with string arguments (NULL-terminated). */
static json_t *command(struct web_api *a, const char *cmd, ...)
{
	json_t *args = json_array();
	va_list ap;
	va_start(ap, cmd);
	const char *s;
	while ((s = va_arg(ap, const char *)) != NULL)
		json_array_append_new(args, json_string(s));
	va_end(ap);
	json_t *r = evsed_command(a->d, cmd, args);
	json_decref(args);
	return r;
}

static int64_t now_ms(const struct web_api *a)
{
	return a->d->mono_ms();
}

static const char *who(const struct call *c)
{
	return c->s ? c->s->user : "?";
}

/* ---- accounts ---------------------------------------------------------- */

static bool role_find(const char *name, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0) {
			*out = (enum role)i;
			return true;
		}
	return false;
}

static bool set_password(struct web_api *a, const char *user, const char *role, const char *pw,
			 bool must_change)
{
	struct store_user u = {.iterations = WEB_PBKDF2_ITER, .must_change = must_change};
	snprintf(u.name, sizeof u.name, "%s", user);
	snprintf(u.role, sizeof u.role, "%s", role);
	if (!web_pw_hash(pw, NULL, u.iterations, u.salt, u.hash))
		return false;
	return store_user_put(a->d->store, &u) == STORE_OK;
}

/* pw is u's password. An account still on the default password (no hash)
 * is compared with the profile's; the hash is computed either way, so the
 * answer takes as long. */
static bool check_password(const struct web_api *a, const struct store_user *u, const char *pw)
{
	if (u->iterations > 0)
		return web_pw_verify(pw, u->salt, u->iterations, u->hash);
	char salt[33], hash[65];
	(void)web_pw_hash(pw, "00000000000000000000000000000000", WEB_PBKDF2_ITER, salt, hash);
	const char *def = profile_get(settings_profile(a->d->set))->web_password;
	size_t n = strlen(pw);
	return n == strlen(def) && CRYPTO_memcmp(pw, def, n) == 0;
}

static bool seed_accounts(struct web_api *a, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof default_accounts / sizeof default_accounts[0]; i++) {
		struct store_user u;
		bool found;
		if (store_user_get(a->d->store, default_accounts[i].name, &u, &found) != STORE_OK) {
			snprintf(err, errlen, "store: %s", store_errmsg(a->d->store));
			return false;
		}
		if (found)
			continue;
		/* No hash: iterations 0 stands for the profile's default password,
		 * which is public (in the manual) and costs no time at start. */
		struct store_user nu = {.iterations = 0, .must_change = true};
		snprintf(nu.name, sizeof nu.name, "%s", default_accounts[i].name);
		snprintf(nu.role, sizeof nu.role, "%s", role_names[default_accounts[i].role]);
		if (store_user_put(a->d->store, &nu) != STORE_OK) {
			snprintf(err, errlen, "cannot create the web account %s",
				 default_accounts[i].name);
			return false;
		}
	}
	return true;
}

/* ---- sessions ---------------------------------------------------------- */

static void cookie_value(const char *cookie, char *out, size_t len)
{
	out[0] = '\0';
	size_t n = strlen(COOKIE_NAME);
	for (const char *p = cookie; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l > n && strncmp(p, COOKIE_NAME, n) == 0 && p[n] == '=') {
			size_t vl = l - n - 1;
			if (vl < len) {
				memcpy(out, p + n + 1, vl);
				out[vl] = '\0';
			}
			return;
		}
		p = end;
	}
}

static json_t *me_json(const struct web_session *s)
{
	return json_pack("{s:s, s:s, s:b, s:s}", "user", s->user, "role", s->role, "must_change",
			 s->must_change, "csrf", s->csrf);
}

/* ---- JSON bodies -------------------------------------------------------- */

/* A string member of the body, or NULL with the field named in the answer. */
static const char *body_str(struct call *c, const char *key, size_t max)
{
	json_t *v = c->body ? json_object_get(c->body, key) : NULL;
	if (!json_is_string(v)) {
		char msg[120];
		snprintf(msg, sizeof msg, "%s: required (a string)", key);
		reply_field(c, key, msg);
		return NULL;
	}
	if (strlen(json_string_value(v)) > max) {
		char msg[120];
		snprintf(msg, sizeof msg, "%s: longer than %zu characters", key, max);
		reply_field(c, key, msg);
		return NULL;
	}
	return json_string_value(v);
}

/* ---- routes: session ----------------------------------------------------- */

static void api_login(struct call *c)
{
	struct web_api *a = c->a;
	int retry;
	if (!web_login_allowed(&a->auth, c->rq->peer, now_ms(a), &retry)) {
		evsed_log(a->d, "web: login from %s refused: too many failed attempts",
			  c->rq->peer);
		reply_error(c, 429, "too many failed logins: try again in %d s", retry);
		return;
	}
	const char *user = body_str(c, "user", 32);
	const char *pw = user ? body_str(c, "password", WEB_PASSWORD_MAX) : NULL;
	if (!pw)
		return;
	struct store_user u;
	bool found = false;
	if (store_user_get(a->d->store, user, &u, &found) != STORE_OK) {
		reply_error(c, 500, "cannot read the accounts");
		return;
	}
	/* An unknown user costs the same hash as a known one. */
	bool ok = false;
	if (found) {
		ok = check_password(a, &u, pw);
	} else {
		char salt[33], hash[65];
		(void)web_pw_hash(pw, "00000000000000000000000000000000", WEB_PBKDF2_ITER, salt,
				  hash);
	}
	enum role r;
	if (!ok || !role_find(u.role, &r)) {
		web_login_failed(&a->auth, c->rq->peer, now_ms(a));
		/* Whatever was typed goes to the log: only printable characters. */
		char shown_user[33];
		size_t k = 0;
		for (const char *p = user; *p && k + 1 < sizeof shown_user; p++)
			shown_user[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
		shown_user[k] = '\0';
		evsed_log(a->d, "web: failed login for '%s' from %s", shown_user, c->rq->peer);
		reply_error(c, 401, "wrong user name or password");
		return;
	}
	web_login_ok(&a->auth, c->rq->peer);
	struct web_session *s = web_session_new(&a->auth, u.name, u.role, u.must_change, now_ms(a));
	if (!s) {
		reply_error(c, 500, "cannot create a session");
		return;
	}
	c->s = s;
	snprintf(c->rs->set_cookie, sizeof c->rs->set_cookie,
		 COOKIE_NAME "=%s; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=%d", s->id,
		 WEB_SESSION_MAX_MS / 1000);
	evsed_log(a->d, "web: %s logged in from %s%s", u.name, c->rq->peer,
		  u.must_change ? " (must change the password)" : "");
	reply_data(c, me_json(s));
}

static void api_logout(struct call *c)
{
	evsed_log(c->a->d, "web: %s logged out", c->s->user);
	web_session_end(c->s);
	c->s = NULL;
	snprintf(c->rs->set_cookie, sizeof c->rs->set_cookie,
		 COOKIE_NAME "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
	reply_data(c, NULL);
}

static struct web_session *session_of(struct web_api *a, const struct web_req *rq)
{
	char id[64];
	cookie_value(rq->cookie, id, sizeof id);
	return web_session_find(&a->auth, id, now_ms(a));
}

/* Who is logged in: null data (not an error) when nobody, so that the UI's
 * first question does not show up as a failed request. */
static void api_me(struct call *c)
{
	c->s = session_of(c->a, c->rq);
	reply_data(c, c->s ? me_json(c->s) : NULL);
}

static void api_password(struct call *c)
{
	struct web_api *a = c->a;
	const char *cur = body_str(c, "current", WEB_PASSWORD_MAX);
	const char *nw = cur ? body_str(c, "new", WEB_PASSWORD_MAX + 1) : NULL;
	if (!nw)
		return;
	struct store_user u;
	bool found = false;
	if (store_user_get(a->d->store, c->s->user, &u, &found) != STORE_OK || !found) {
		reply_error(c, 500, "cannot read the account");
		return;
	}
	if (!check_password(a, &u, cur)) {
		evsed_log(a->d, "web: %s: password change refused: wrong current password", u.name);
		reply_field(c, "current", "current: wrong password");
		return;
	}
	const char *why = web_pw_weak(nw, u.name, cur);
	if (!why && strcmp(nw, profile_get(settings_profile(a->d->set))->web_password) == 0)
		why = "must not be the default password";
	if (why) {
		char msg[120];
		snprintf(msg, sizeof msg, "new: %s", why);
		reply_field(c, "new", msg);
		return;
	}
	if (!set_password(a, u.name, u.role, nw, false)) {
		reply_error(c, 500, "cannot store the password");
		return;
	}
	c->s->must_change = false;
	web_session_end_user(&a->auth, u.name, c->s);
	evsed_log(a->d, "web: %s changed their password", u.name);
	reply_data(c, me_json(c->s));
}

/* ---- routes: charger ------------------------------------------------------ */

static void api_info(struct call *c)
{
	struct evsed *d = c->a->d;
	const struct profile *p = profile_get(settings_profile(d->set));
	char fw[80];
	evsed_fwup_version(d, fw, sizeof fw);
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:{s:s, s:s, s:s, s:s}}", "vendor",
		      p->vendor, "model", p->model, "profile", p->name, "serial",
		      settings_str(d->set, SET_CHARGER_SERIAL), "firmware", fw, "connectors",
		      p->connectors, "connector_type", p->connector_type, "addresses", "web",
		      settings_str(d->set, SET_WEB_LISTEN), "control_socket", d->sock_path,
		      "ocpp_url", settings_applied_str(d->set, SET_OCPP_URL), "ocpp_id",
		      settings_applied_str(d->set, SET_OCPP_ID));
	reply_data(c, o);
}

/* The system time page: the charger's clock in UTC and in time.zone, and
 * only what the daemon knows about where that time came from. */
static void api_time(struct call *c)
{
	struct evsed *d = c->a->d;
	evsed_sync(d);
	int64_t utc = evsed_utc(d);
	const char *zone = settings_str(d->set, SET_TIME_ZONE);
	struct tz_rule tz;
	char why[128];
	if (!tz_parse(zone, &tz, why, sizeof why)) {
		reply_error(c, 500, "time.zone: %s", why);
		return;
	}
	struct tz_local lt;
	tz_local(&tz, utc, &lt);
	int32_t off = lt.offset < 0 ? -lt.offset : lt.offset;
	char utc_text[32], local[40], set_at[32];
	settings_format_utc(utc, utc_text, sizeof utc_text);
	snprintf(local, sizeof local, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", lt.year, lt.month,
		 lt.day, lt.hour, lt.minute, lt.second, lt.offset < 0 ? '-' : '+',
		 (int)(off / 3600), (int)(off / 60 % 60));
	settings_format_utc(d->clock_set_utc_ms / 1000, set_at, sizeof set_at);
	json_t *csms = evsed_ocpp_status(d);
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:i, s:b, s:s, s:s, s:s, s:I, s:{s:b, s:O}}", "utc", utc_text, "local",
	    local, "zone", zone, "utc_offset_s", (int)lt.offset, "dst",
	    tz.has_dst && lt.offset != tz.std_offset, "clock", d->sim_clock ? "sim" : "real",
	    "source", evsed_clock_src_name(d->clock_src), "set_at", set_at, "step_s",
	    (json_int_t)d->clock_step_s, "csms", "configured", d->ocpp != NULL, "connected",
	    json_object_get(csms, "connected") ? json_object_get(csms, "connected") : json_false());
	json_decref(csms);
	reply_data(c, o);
}

/* The network page: the interfaces (read-only: configuring them is H1) and
 * the CSMS connection. */
static void api_network(struct call *c)
{
	struct netif_list *nl = malloc(sizeof *nl);
	char why[160];
	if (!nl) {
		reply_error(c, 500, "out of memory");
		return;
	}
	if (!netif_read(nl, why, sizeof why)) {
		free(nl);
		reply_error(c, 500, "cannot read the network interfaces: %s", why);
		return;
	}
	json_t *ifs = json_array();
	for (int i = 0; i < nl->n; i++) {
		const struct netif *f = &nl->ifs[i];
		json_t *addrs = json_array();
		for (int k = 0; k < f->n_addrs; k++) {
			const struct netif_addr *x = &f->addrs[k];
			json_array_append_new(
			    addrs,
			    json_pack("{s:s, s:s, s:o}", "family",
				      x->family == AF_INET ? "ipv4" : "ipv6", "address", x->addr,
				      "prefix",
				      x->prefix >= 0 ? json_integer(x->prefix) : json_null()));
		}
		json_array_append_new(ifs, json_pack("{s:s, s:b, s:b, s:b, s:o, s:o}", "name",
						     f->name, "up", f->up, "running", f->running,
						     "loopback", f->loopback, "mac",
						     f->mac[0] ? json_string(f->mac) : json_null(),
						     "addresses", addrs));
	}
	json_t *o = json_pack("{s:s, s:o, s:i, s:o, s:b}", "hostname", nl->hostname, "interfaces",
			      ifs, "left_out", nl->left_out, "csms", evsed_ocpp_status(c->a->d),
			      "configurable", 0);
	free(nl);
	reply_data(c, o);
}

/* The LED page: each connector's pattern and brightness now (from the
 * status), the scheme's legend from the indication core, the settings. */
static void api_led(struct call *c)
{
	struct evsed *d = c->a->d;
	json_t *r = command(c->a, "status", NULL);
	json_t *conns = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(json_object_get(r, "data"), "connectors"), i, x)
	{
		json_array_append_new(conns, json_pack("{s:O, s:O, s:O, s:O, s:O}", "id",
						       json_object_get(x, "id"), "state",
						       json_object_get(x, "state"), "led",
						       json_object_get(x, "led"), "brightness",
						       json_object_get(x, "led_brightness"),
						       "dimmed", json_object_get(x, "led_dimmed")));
	}
	json_decref(r);
	const struct profile *p = profile_get(settings_profile(d->set));
	struct ind_legend l[IND_LEGEND_MAX];
	int n = indication_legend(p->leds, l, IND_LEGEND_MAX);
	json_t *legend = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(
		    legend, json_pack("{s:s, s:s, s:s, s:o}", "pattern", l[k].pattern, "status",
				      conn_status_name(l[k].status), "case", l[k].what, "fault",
				      l[k].fault ? json_string(l[k].fault) : json_null()));
	reply_data(
	    c, json_pack("{s:s, s:o, s:o, s:{s:I, s:I, s:I}}", "scheme", p->name, "connectors",
			 conns, "legend", legend, "settings", "LightIntensity",
			 (json_int_t)settings_int(d->set, SET_LIGHT_INTENSITY), "led.dim_after",
			 (json_int_t)settings_int(d->set, SET_LED_DIM_AFTER), "led.dim_intensity",
			 (json_int_t)settings_int(d->set, SET_LED_DIM_INTENSITY)));
}

/* Identify (F2 E4): this charger's LEDs flash white for 10 s, through the
 * group when there is one (the same as POST /api/group/identify without
 * "all"). */
static void api_led_identify(struct call *c)
{
	evsed_log(c->a->d, "web: %s asked this charger to identify", who(c));
	reply_command(c, command(c->a, "group", "identify", NULL));
}

static void api_status(struct call *c)
{
	reply_command(c, command(c->a, "status", NULL));
}

/* Live updates: the status as server-sent events, every second, while the
 * session lives (web_api_event). */
static void api_events(struct call *c)
{
	c->rs->status = 200;
	c->rs->stream = true;
	snprintf(c->rs->tag, sizeof c->rs->tag, "%s", c->s->id);
}

static char *stream_event(void *user, const char *tag)
{
	struct web_api *a = user;
	struct web_session *s = web_session_find(&a->auth, tag, now_ms(a));
	if (!s || s->must_change)
		return NULL;
	json_t *r = command(a, "status", NULL);
	char *text = json_dumps(json_object_get(r, "data"), JSON_COMPACT);
	json_decref(r);
	return text;
}

static void api_unlock(struct call *c)
{
	struct evsed *d = c->a->d;
	char *end;
	errno = 0;
	long n = strtol(c->tail, &end, 10);
	if (errno || end == c->tail || strcmp(end, "/unlock") != 0) {
		reply_error(c, 404, "not found");
		return;
	}
	if (n < 1 || n > charger_connectors(d->ch)) {
		reply_error(c, 404, "no connector %ld: this charger has connectors 1-%d", n,
			    charger_connectors(d->ch));
		return;
	}
	evsed_sync(d);
	enum chg_result r = charger_unlock(d->ch, evsed_now(d), (int)n);
	evsed_sync(d);
	evsed_log(d, "web: %s unlocked connector %ld: %s", who(c), n,
		  r == CHG_ACCEPTED ? "unlocked" : "not unlocked");
	if (r == CHG_NOT_SUPPORTED)
		reply_error(c, 409, "connector %ld has a fixed cable: nothing to unlock", n);
	else if (r != CHG_ACCEPTED)
		reply_error(c, 409, "connector %ld: the lock did not open", n);
	else
		reply_json(c, 200,
			   json_pack("{s:b, s:s}", "ok", 1, "message", "connector unlocked"));
}

/* ---- routes: settings --------------------------------------------------- */

/* The settings list of 'config list', each with its group (the part of the
 * name before the first dot; OCPP keys: "ocpp_keys"). */
static json_t *settings_list(struct web_api *a, bool ocpp_only)
{
	json_t *r = command(a, "config", "list", NULL);
	json_t *list = json_incref(json_object_get(r, "data"));
	json_decref(r);
	if (!json_is_array(list)) {
		json_decref(list);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		const char *key = json_string_value(json_object_get(s, "key"));
		bool ocpp = json_object_get(s, "ocpp_key") != NULL;
		if (ocpp_only && !ocpp)
			continue;
		const char *dot = strchr(key, '.');
		char group[40];
		if (ocpp)
			snprintf(group, sizeof group, "ocpp_keys");
		else if (dot)
			snprintf(group, sizeof group, "%.*s", (int)(dot - key), key);
		else
			snprintf(group, sizeof group, "general");
		json_object_set_new(s, "group", json_string(group));
		json_array_append(out, s);
	}
	json_decref(list);
	return out;
}

static void api_settings_get(struct call *c)
{
	json_t *l = settings_list(c->a, false);
	if (!l) {
		reply_error(c, 500, "cannot list the settings");
		return;
	}
	reply_data(c, l);
}

static void api_ocpp_get(struct call *c)
{
	json_t *l = settings_list(c->a, true);
	if (!l) {
		reply_error(c, 500, "cannot list the settings");
		return;
	}
	struct evsed *d = c->a->d;
	/* Charging profiles (C8) exist only with a CSMS: null without one. */
	reply_data(c, json_pack("{s:o, s:o, s:o}", "keys", l, "csms", evsed_ocpp_status(d),
				"charging_profiles",
				d->ocpp ? json_integer(ocpp_profile_count(d->ocpp)) : json_null()));
}

/* A JSON value as the settings registry's text. */
static bool value_text(json_t *v, char *out, size_t len)
{
	if (json_is_string(v))
		return (size_t)snprintf(out, len, "%s", json_string_value(v)) < len;
	if (json_is_boolean(v))
		return (size_t)snprintf(out, len, "%s", json_is_true(v) ? "true" : "false") < len;
	if (json_is_integer(v))
		return (size_t)snprintf(out, len, "%lld", (long long)json_integer_value(v)) < len;
	if (json_is_real(v))
		return (size_t)snprintf(out, len, "%.17g", json_real_value(v)) < len;
	return false;
}

/* Every field is checked as 'config set' checks it before any is saved: an
 * invalid one is named and nothing changes. */
static void api_settings_patch(struct call *c)
{
	struct evsed *d = c->a->d;
	json_t *vals = c->body ? json_object_get(c->body, "values") : NULL;
	if (!json_is_object(vals) || json_object_size(vals) == 0) {
		reply_field(c, "values", "values: expected an object of setting: value");
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(vals, key, v)
	{
		enum set_id id;
		char val[600], why[300], msg[400];
		if (!settings_find(key, &id)) {
			snprintf(msg, sizeof msg, "%.60s: unknown setting", key);
			reply_field(c, key, msg);
			return;
		}
		const struct set_def *def = settings_def(id);
		if (!value_text(v, val, sizeof val)) {
			snprintf(msg, sizeof msg, "%s: expected a string, number or true/false",
				 def->name);
			reply_field(c, key, msg);
			return;
		}
		if (def->flags & (SF_READONLY | SF_STARTUP)) {
			snprintf(msg, sizeof msg, "%s: %s", def->name,
				 (def->flags & SF_READONLY)
				     ? "is read-only"
				     : "can only be set at start (settings file or --set)");
			reply_field(c, key, msg);
			return;
		}
		if (!settings_validate(id, val, why, sizeof why)) {
			snprintf(msg, sizeof msg, "%s: %s", def->name, why);
			reply_field(c, key, msg);
			return;
		}
		if (settings_source(d->set, id) == SRC_CLI) {
			snprintf(msg, sizeof msg,
				 "%s: fixed by --set on the command line for this run", def->name);
			reply_field(c, key, msg);
			return;
		}
	}
	/* Then saved as one settings transaction (checked together too, one
	 * store transaction): all or nothing. */
	json_t *args = json_array();
	json_array_append_new(args, json_string("set"));
	json_object_foreach(vals, key, v)
	{
		char val[600];
		(void)value_text(v, val, sizeof val);
		json_array_append_new(args, json_string(key));
		json_array_append_new(args, json_string(val));
	}
	json_t *r = evsed_command(d, "config", args);
	json_decref(args);
	if (!json_is_true(json_object_get(r, "ok"))) {
		const char *e = json_string_value(json_object_get(r, "error"));
		const char *f = json_string_value(json_object_get(r, "field"));
		reply_field(c, f ? f : "values", e ? e : "cannot save");
		json_decref(r);
		return;
	}
	json_decref(r);
	json_t *done = json_array();
	bool reboot = false;
	json_object_foreach(vals, key, v)
	{
		enum set_id id;
		(void)settings_find(key, &id);
		reboot |= (settings_def(id)->flags & SF_REBOOT) != 0;
		json_array_append_new(done, json_string(settings_def(id)->name));
		evsed_log(d, "web: %s changed setting %s", who(c), settings_def(id)->name);
	}
	reply_data(c, json_pack("{s:o, s:b}", "changed", done, "reboot_required", reboot));
}

/* ---- routes: history, faults, logs ---------------------------------------- */

static void api_history(struct call *c)
{
	char limit[16] = "100";
	const char *q = c->rq->query;
	if (strncmp(q, "limit=", 6) == 0)
		snprintf(limit, sizeof limit, "%.15s", q + 6);
	reply_command(c, command(c->a, "history", limit, NULL));
}

/* Answer a control-socket command's array of objects as a CSV download:
 * a header line of cols, then one line per object with those members
 * (numbers as in the JSON, null as an empty field). */
static void reply_csv(struct call *c, json_t *r, const char *const *cols, int ncols,
		      const char *filename, const char *what)
{
	json_t *rows = json_object_get(r, "data");
	if (!json_is_array(rows)) {
		json_decref(r);
		reply_error(c, 500, "cannot read the %s", what);
		return;
	}
	struct csv b = {0};
	for (int i = 0; i < ncols; i++)
		csv_field(&b, cols[i], i == ncols - 1);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		for (int k = 0; k < ncols; k++) {
			json_t *v = json_object_get(row, cols[k]);
			char t[64];
			const char *text = t;
			if (json_is_string(v))
				text = json_string_value(v);
			else if (json_is_integer(v))
				snprintf(t, sizeof t, "%lld", (long long)json_integer_value(v));
			else if (json_is_number(v))
				snprintf(t, sizeof t, "%.3f", json_number_value(v));
			else
				t[0] = '\0';
			csv_field(&b, text, k == ncols - 1);
		}
	}
	json_decref(r);
	size_t len;
	char *text = csv_take(&b, &len);
	if (!text) {
		reply_error(c, 500, "the %s does not fit in memory", what);
		return;
	}
	c->rs->status = 200;
	c->rs->type = "text/csv; charset=utf-8";
	c->rs->body = text;
	c->rs->body_len = len;
	snprintf(c->rs->disposition, sizeof c->rs->disposition, "attachment; filename=\"%s\"",
		 filename);
}

static void api_history_csv(struct call *c)
{
	static const char *const cols[] = {"number",	"connector",  "start",
					   "end",	"start_mode", "stop_mode",
					   "energy_wh", "id_tag",     "stop_reason"};
	reply_csv(c, command(c->a, "history", NULL), cols, sizeof cols / sizeof cols[0],
		  "evsed-history.csv", "history");
}

/* The fault report (G7, EVPLUS 8.1.2): the whole fault history the store
 * keeps (STORE_FAULT_HISTORY_MAX closed faults and every open one), newest
 * first, as /api/faults gives it. */
static void api_faults_csv(struct call *c)
{
	static const char *const cols[] = {"number", "start", "end", "connector", "fault", "text"};
	reply_csv(c, command(c->a, "faults", NULL), cols, sizeof cols / sizeof cols[0],
		  "evsed-faults.csv", "fault history");
}

static void api_faults(struct call *c)
{
	reply_command(c, command(c->a, "faults", "200", NULL));
}

static void log_line(void *user, const char *line)
{
	struct web_api *a = user;
	free(a->log[a->log_next]);
	a->log[a->log_next] = strdup(line);
	a->log_next = (a->log_next + 1) % LOG_LINES;
}

static void api_logs(struct call *c)
{
	struct web_api *a = c->a;
	json_t *l = json_array();
	for (int i = 0; i < LOG_LINES; i++) {
		const char *s = a->log[(a->log_next + i) % LOG_LINES];
		if (s)
			json_array_append_new(l, json_string(s));
	}
	reply_data(c, l);
}

/* ---- routes: cards ------------------------------------------------------------ */

static void api_cards(struct call *c)
{
	reply_command(c, command(c->a, "card", "list", NULL));
}

static void api_card_add(struct call *c)
{
	const char *uid = body_str(c, "uid", 20);
	if (!uid)
		return;
	json_t *r = command(c->a, "card", "add", uid, NULL);
	if (json_is_true(json_object_get(r, "ok")))
		evsed_log(c->a->d, "web: %s added card %s", who(c), uid);
	reply_command(c, r);
}

static void api_card_remove(struct call *c)
{
	const char *uid = body_str(c, "uid", 20);
	if (!uid)
		return;
	json_t *r = command(c->a, "card", "remove", uid, NULL);
	if (json_is_true(json_object_get(r, "ok")))
		evsed_log(c->a->d, "web: %s removed card %s", who(c), uid);
	reply_command(c, r);
}

static void api_card_learn(struct call *c)
{
	json_t *v = c->body ? json_object_get(c->body, "slot") : NULL;
	char slot[24];
	if (!v || !value_text(v, slot, sizeof slot)) {
		reply_field(c, "slot", "slot: required (the card number)");
		return;
	}
	json_t *r = command(c->a, "card", "learn", slot, NULL);
	if (json_is_true(json_object_get(r, "ok")))
		evsed_log(c->a->d, "web: %s started learning card %s", who(c), slot);
	reply_command(c, r);
}

/* ---- routes: maintenance (G6) --------------------------------------------------- */

static void reboot_now(lws_sorted_usec_list_t *sul)
{
	struct web_api *a = lws_container_of(sul, struct web_api, reboot_sul);
	a->d->reset_requested = true;
	a->d->stop = true;
	lws_cancel_service(a->d->ctx);
}

/* After the answer has gone out. */
static void schedule_reboot(struct web_api *a)
{
	lws_sul_schedule(a->d->ctx, 0, &a->reboot_sul, reboot_now, REBOOT_DELAY);
}

static void api_reboot(struct call *c)
{
	evsed_log(c->a->d, "web: %s asked for a reboot", who(c));
	schedule_reboot(c->a);
	reply_json(c, 200, json_pack("{s:b, s:s}", "ok", 1, "message", "restarting"));
}

static void api_factory_reset(struct call *c)
{
	struct evsed *d = c->a->d;
	if (store_factory_reset(d->store) != STORE_OK) {
		reply_error(c, 500, "factory reset failed: %s", store_errmsg(d->store));
		return;
	}
	evsed_log(d,
		  "web: %s restored the factory settings (settings, cards, cache, accounts); "
		  "restarting",
		  who(c));
	schedule_reboot(c->a);
	reply_json(c, 200,
		   json_pack("{s:b, s:s}", "ok", 1, "message",
			     "factory settings restored: restarting; log in with the default "
			     "password"));
}

static void api_serial(struct call *c)
{
	const char *serial = body_str(c, "serial", 25);
	if (!serial)
		return;
	char why[300];
	if (!settings_validate(SET_CHARGER_SERIAL, serial, why, sizeof why)) {
		char msg[400];
		snprintf(msg, sizeof msg, "serial: %s", why);
		reply_field(c, "serial", msg);
		return;
	}
	json_t *r = command(c->a, "config", "set", "charger.serial", serial, NULL);
	if (json_is_true(json_object_get(r, "ok")))
		evsed_log(c->a->d, "web: %s changed the serial number to %s", who(c), serial);
	reply_command(c, r);
}

/* ---- routes: the installer page (G6) ---------------------------------------------- */

/* A command's refusal that names a setting is marked on that field. */
static void reply_installer(struct call *c, json_t *r)
{
	const char *field = r ? json_string_value(json_object_get(r, "field")) : NULL;
	if (r && !json_is_true(json_object_get(r, "ok")) && field) {
		reply_field(c, field, json_string_value(json_object_get(r, "error")));
		json_decref(r);
		return;
	}
	reply_command(c, r);
}

/* "save all configuration + calibrate" and "save tilt + calibrate" (io7
 * 6.1.8): the given installer settings and the accelerometer's reference
 * in one settings transaction ('installer calibrate'); one bad field is
 * named and nothing is saved. */
static void api_installer_calibrate(struct call *c)
{
	json_t *vals = c->body ? json_object_get(c->body, "values") : NULL;
	if (vals && !json_is_object(vals)) {
		reply_field(c, "values", "values: expected an object of setting: value");
		return;
	}
	json_t *args = json_array();
	json_array_append_new(args, json_string("calibrate"));
	const char *key;
	json_t *v;
	json_object_foreach(vals, key, v)
	{
		char val[600], msg[400];
		if (!value_text(v, val, sizeof val)) {
			snprintf(msg, sizeof msg, "%.60s: expected a string, number or true/false",
				 key);
			json_decref(args);
			reply_field(c, key, msg);
			return;
		}
		json_array_append_new(args, json_string(key));
		json_array_append_new(args, json_string(val));
	}
	json_t *r = evsed_command(c->a->d, "installer", args);
	json_decref(args);
	if (json_is_true(json_object_get(r, "ok"))) {
		json_object_foreach(vals, key, v)
		{
			enum set_id id;
			if (settings_find(key, &id))
				evsed_log(c->a->d, "web: %s changed setting %s", who(c),
					  settings_def(id)->name);
		}
		evsed_log(c->a->d, "web: %s calibrated the accelerometer", who(c));
	}
	reply_installer(c, r);
}

/* "reset to default": the installer page's settings back to the profile's
 * defaults (the list: 'installer keys'; docs/web.md). */
static void api_installer_defaults(struct call *c)
{
	json_t *r = command(c->a, "installer", "defaults", NULL);
	if (json_is_true(json_object_get(r, "ok")))
		evsed_log(c->a->d, "web: %s reset the installer settings to the profile defaults",
			  who(c));
	reply_installer(c, r);
}

static void api_installer_keys(struct call *c)
{
	reply_command(c, command(c->a, "installer", "keys", NULL));
}

/* ---- routes: group balancing (E4-E6) and charging profiles (C8) ------------------ */

static bool group_on(struct call *c)
{
	if (c->a->d->group)
		return true;
	reply_error(c, 409, "group balancing is off (group.mode off): there is no group");
	return false;
}

static void api_group(struct call *c)
{
	if (group_on(c))
		reply_command(c, command(c->a, "group", "status", NULL));
}

static void api_group_identify(struct call *c)
{
	json_t *all = c->body ? json_object_get(c->body, "all") : NULL;
	if (all && !json_is_boolean(all)) {
		reply_field(c, "all", "all: true or false");
		return;
	}
	if (!group_on(c))
		return;
	evsed_log(c->a->d, "web: %s asked %s to identify", who(c),
		  json_is_true(all) ? "every charger of the group" : "this charger");
	reply_command(c,
		      command(c->a, "group", "identify", json_is_true(all) ? "all" : NULL, NULL));
}

static void api_group_rebuild(struct call *c)
{
	if (!group_on(c))
		return;
	evsed_log(c->a->d, "web: %s rebuilt the group", who(c));
	reply_command(c, command(c->a, "group", "rebuild", NULL));
}

static void api_profiles_clear(struct call *c)
{
	evsed_log(c->a->d, "web: %s asked to clear the charging profiles", who(c));
	reply_command(c, command(c->a, "profiles", "clear", NULL));
}

/* ---- routes: firmware upload (G4) --------------------------------------------------- */

/* The checksum= of the query: the file's MD5 (32 hexadecimal digits, as the
 * EVPLUS check_sum_tool gives it) or SHA-256 (64). Missing: 400 naming it;
 * malformed: E02, as the charger's own check would say. */
static bool checksum_param(struct call *c, char *out, size_t len)
{
	out[0] = '\0';
	for (const char *p = c->rq->query; p && *p;) {
		const char *end = strchr(p, '&');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l > 9 && strncmp(p, "checksum=", 9) == 0 && l - 9 < len) {
			memcpy(out, p + 9, l - 9);
			out[l - 9] = '\0';
		}
		p = end ? end + 1 : NULL;
	}
	if (!out[0]) {
		reply_field(c, "checksum",
			    "checksum: required (the file's MD5 or SHA-256, in hexadecimal)");
		return false;
	}
	uint8_t d[FWUP_DIGEST_MAX];
	if (!fwup_parse_checksum(out, d)) {
		reply_json(
		    c, 400,
		    json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 0, "error",
			      "checksum: 32 (MD5) or 64 (SHA-256) hexadecimal digits expected",
			      "field", "checksum", "code", fwup_display(FWUP_E02_CHECKSUM), "text",
			      fwup_text(FWUP_E02_CHECKSUM)));
		return false;
	}
	return true;
}

/* The file is in (web.c wrote it to rq->file): the EVPLUS code is the
 * answer; after 100 UP the charger restarts. */
static void api_firmware(struct call *c)
{
	struct web_api *a = c->a;
	char sum[WEB_QUERY_MAX];
	if (!c->rq->file) {
		reply_error(c, 400, "the firmware file is the request body");
		return;
	}
	if (!checksum_param(c, sum, sizeof sum))
		return;
	enum fwup_code code = FWUP_E01_FAILED;
	char version[80], why[600];
	enum fwup_outcome r = evsed_fwup_install(a->d, c->rq->file, (long long)c->rq->body_len,
						 c->rq->timed_out, c->rq->file_error, sum, who(c),
						 &code, version, sizeof version, why, sizeof why);
	if (r == FWUP_REFUSED) {
		reply_error(c, 409, "%s", why);
		return;
	}
	if (r == FWUP_STARTED) {
		reply_json(c, 202,
			   json_pack("{s:b, s:{s:n, s:s, s:s}, s:s}", "ok", 1, "data", "code",
				     "state", "installing", "version", version, "message",
				     "verified: the installer runs; the result code follows in the "
				     "status (firmware.display_code)"));
		return;
	}
	if (code == FWUP_OK) {
		schedule_reboot(a);
		reply_json(c, 200,
			   json_pack("{s:b, s:{s:s, s:s, s:s}, s:s}", "ok", 1, "data", "code",
				     fwup_display(code), "text", fwup_text(code), "version",
				     version, "message", "firmware installed: restarting"));
		return;
	}
	static const int status[] = {[FWUP_E01_FAILED] = 500,
				     [FWUP_E02_CHECKSUM] = 422,
				     [FWUP_E03_TIMEOUT] = 408,
				     [FWUP_E04_MISMATCH] = 422};
	char msg[200];
	snprintf(msg, sizeof msg, "%s: %s", fwup_display(code), fwup_text(code));
	reply_json(c, status[code],
		   json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 0, "error", msg, "code",
			     fwup_display(code), "text", fwup_text(code), "detail", why));
}

/* ---- routes: users -------------------------------------------------------------- */

static void user_row(void *user, const struct store_user *u)
{
	json_array_append_new(user, json_pack("{s:s, s:s, s:b}", "user", u->name, "role", u->role,
					      "must_change", u->must_change));
}

static void api_users(struct call *c)
{
	json_t *l = json_array();
	if (store_users_load(c->a->d->store, user_row, l) != STORE_OK) {
		json_decref(l);
		reply_error(c, 500, "cannot read the accounts");
		return;
	}
	reply_data(c, l);
}

/* An installer sets a temporary password for another account, which must
 * change it at its next login; that account's sessions end. */
static void api_user_reset(struct call *c)
{
	struct web_api *a = c->a;
	const char *user = body_str(c, "user", 32);
	const char *pw = user ? body_str(c, "password", WEB_PASSWORD_MAX + 1) : NULL;
	if (!pw)
		return;
	struct store_user u;
	bool found = false;
	if (store_user_get(a->d->store, user, &u, &found) != STORE_OK) {
		reply_error(c, 500, "cannot read the accounts");
		return;
	}
	if (!found) {
		reply_field(c, "user", "user: no such account");
		return;
	}
	if (strcmp(u.name, c->s->user) == 0) {
		reply_field(c, "user", "user: change your own password on the password page");
		return;
	}
	const char *why = web_pw_weak(pw, u.name, NULL);
	if (why) {
		char msg[120];
		snprintf(msg, sizeof msg, "password: %s", why);
		reply_field(c, "password", msg);
		return;
	}
	if (!set_password(a, u.name, u.role, pw, true)) {
		reply_error(c, 500, "cannot store the password");
		return;
	}
	web_session_end_user(&a->auth, u.name, NULL);
	evsed_log(a->d, "web: %s reset the password of %s", who(c), u.name);
	reply_json(c, 200,
		   json_pack("{s:b, s:s}", "ok", 1, "message",
			     "password reset: it must be changed at the next login"));
}

/* ---- the table ------------------------------------------------------------------ */

#define NO_SESSION (-1)

struct route {
	const char *method;
	const char *path;
	bool prefix;	/* path is a prefix; the rest is call.tail */
	int min_role;	/* NO_SESSION: no login needed */
	bool first_use; /* allowed while the default password must be changed */
	void (*fn)(struct call *c);
};

static const struct route routes[] = {
    {"POST", "/api/login", false, NO_SESSION, true, api_login},
    {"POST", "/api/logout", false, ROLE_USER, true, api_logout},
    {"GET", "/api/me", false, NO_SESSION, true, api_me},
    {"POST", "/api/password", false, ROLE_USER, true, api_password},
    {"GET", "/api/info", false, ROLE_USER, false, api_info},
    {"GET", "/api/status", false, ROLE_USER, false, api_status},
    {"GET", "/api/time", false, ROLE_MAINTAIN, false, api_time},
    {"GET", "/api/network", false, ROLE_MAINTAIN, false, api_network},
    {"GET", "/api/led", false, ROLE_MAINTAIN, false, api_led},
    {"POST", "/api/led/identify", false, ROLE_MAINTAIN, false, api_led_identify},
    {"GET", "/api/events", false, ROLE_USER, false, api_events},
    {"POST", "/api/connectors/", true, ROLE_MAINTAIN, false, api_unlock},
    {"GET", "/api/history", false, ROLE_USER, false, api_history},
    {"GET", "/api/history.csv", false, ROLE_USER, false, api_history_csv},
    {"GET", "/api/faults", false, ROLE_MAINTAIN, false, api_faults},
    {"GET", "/api/faults.csv", false, ROLE_MAINTAIN, false, api_faults_csv},
    {"GET", "/api/logs", false, ROLE_MAINTAIN, false, api_logs},
    {"GET", "/api/settings", false, ROLE_MAINTAIN, false, api_settings_get},
    {"PATCH", "/api/settings", false, ROLE_INSTALLER, false, api_settings_patch},
    {"GET", "/api/ocpp", false, ROLE_MAINTAIN, false, api_ocpp_get},
    {"GET", "/api/cards", false, ROLE_MAINTAIN, false, api_cards},
    {"POST", "/api/cards", false, ROLE_INSTALLER, false, api_card_add},
    {"POST", "/api/cards/remove", false, ROLE_INSTALLER, false, api_card_remove},
    {"POST", "/api/cards/learn", false, ROLE_INSTALLER, false, api_card_learn},
    {"POST", "/api/maintenance/reboot", false, ROLE_MAINTAIN, false, api_reboot},
    {"POST", "/api/maintenance/factory-reset", false, ROLE_INSTALLER, false, api_factory_reset},
    {"POST", "/api/maintenance/serial", false, ROLE_INSTALLER, false, api_serial},
    {"GET", "/api/installer", false, ROLE_MAINTAIN, false, api_installer_keys},
    {"POST", "/api/installer/calibrate", false, ROLE_INSTALLER, false, api_installer_calibrate},
    {"POST", "/api/installer/defaults", false, ROLE_INSTALLER, false, api_installer_defaults},
    {"GET", "/api/group", false, ROLE_MAINTAIN, false, api_group},
    {"POST", "/api/group/identify", false, ROLE_INSTALLER, false, api_group_identify},
    {"POST", "/api/group/rebuild", false, ROLE_INSTALLER, false, api_group_rebuild},
    {"POST", "/api/profiles/clear", false, ROLE_INSTALLER, false, api_profiles_clear},
    {"POST", "/api/firmware", false, ROLE_INSTALLER, false, api_firmware},
    {"GET", "/api/users", false, ROLE_INSTALLER, false, api_users},
    {"POST", "/api/users/reset", false, ROLE_INSTALLER, false, api_user_reset},
};

/* Session, role, CSRF token, default password: false with the answer. */
static bool authorize(struct call *c, const struct route *rt)
{
	const struct web_req *rq = c->rq;
	if (rt->min_role == NO_SESSION)
		return true;
	c->s = session_of(c->a, rq);
	if (!c->s) {
		reply_error(c, 401, "not logged in (or the session expired)");
		return false;
	}
	enum role r;
	if (!role_find(c->s->role, &r) || (int)r < rt->min_role) {
		reply_error(c, 403, "the %s role may not do this", c->s->role);
		return false;
	}
	if (strcmp(rq->method, "GET") != 0 &&
	    (strlen(rq->csrf) != 32 || CRYPTO_memcmp(rq->csrf, c->s->csrf, 32) != 0)) {
		evsed_log(c->a->d, "web: %s %s by %s refused: no valid CSRF token", rq->method,
			  rq->path, c->s->user);
		reply_error(c, 403, "missing or wrong CSRF token (X-CSRF-Token)");
		return false;
	}
	if (c->s->must_change && !rt->first_use) {
		reply_error(c, 403, "password change required");
		return false;
	}
	return true;
}

/* The firmware upload's headers (G4): who, the checksum, the charger's
 * state, before a byte of the file is taken. */
static bool upload_accept(void *user, const struct web_req *rq, struct web_resp *rs)
{
	struct web_api *a = user;
	struct call c = {.a = a, .rq = rq, .rs = rs};
	const struct route *rt = NULL;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0] && !rt; i++)
		if (routes[i].fn == api_firmware)
			rt = &routes[i];
	if (!rt || !authorize(&c, rt))
		return false;
	char sum[WEB_QUERY_MAX];
	if (!checksum_param(&c, sum, sizeof sum))
		return false;
	char why[200];
	if (!evsed_fwup_allowed(a->d, why, sizeof why)) {
		evsed_log(a->d, "web: %s firmware upload refused: %s", who(&c), why);
		reply_error(&c, 409, "%s", why);
		return false;
	}
	return true;
}

static void handle(void *user, const struct web_req *rq, struct web_resp *rs)
{
	struct web_api *a = user;
	struct call c = {.a = a, .rq = rq, .rs = rs};
	const struct route *rt = NULL;
	bool path_known = false;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->path);
		bool match =
		    r->prefix ? strncmp(rq->path, r->path, n) == 0 : strcmp(rq->path, r->path) == 0;
		if (!match)
			continue;
		path_known = true;
		if (strcmp(rq->method, r->method) == 0) {
			rt = r;
			c.tail = rq->path + n;
			break;
		}
	}
	if (!rt) {
		if (path_known)
			reply_error(&c, 405, "method %s not allowed here", rq->method);
		else
			reply_error(&c, 404, "no such API: %s", rq->path);
		return;
	}
	if (!authorize(&c, rt))
		return;
	if (strcmp(rq->method, "GET") != 0 && rq->body_len > 0 && !rq->file) {
		json_error_t jerr;
		c.body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(c.body)) {
			json_decref(c.body);
			reply_error(&c, 400, "bad JSON: %s (expected an object)",
				    c.body ? "not an object" : jerr.text);
			return;
		}
	}
	rt->fn(&c);
	json_decref(c.body);
}

/* ---- life cycle ----------------------------------------------------------------- */

struct web_api *web_api_new(struct evsed *d, bool *off, char *url, size_t urllen, char *err,
			    size_t errlen)
{
	const char *listen = settings_str(d->set, SET_WEB_LISTEN);
	*off = listen[0] == '\0' || strcmp(listen, "off") == 0;
	if (*off)
		return NULL;
	struct web_api *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->d = d;
	const char *cert = settings_str(d->set, SET_WEB_CERT);
	const char *key = settings_str(d->set, SET_WEB_KEY);
	if (!cert[0] != !key[0]) {
		snprintf(err, errlen, "web.cert and web.key: set both or neither");
		free(a);
		return NULL;
	}
	if (cert[0]) {
		snprintf(a->cert, sizeof a->cert, "%s", cert);
		snprintf(a->key, sizeof a->key, "%s", key);
	} else {
		const char *dir = settings_str(d->set, SET_DATA_DIR);
		snprintf(a->cert, sizeof a->cert, "%.200s/web-cert.pem", dir);
		snprintf(a->key, sizeof a->key, "%.200s/web-key.pem", dir);
		if (!web_cert_ensure(a->cert, a->key, settings_str(d->set, SET_CHARGER_SERIAL), err,
				     errlen)) {
			free(a);
			return NULL;
		}
	}
	if (!seed_accounts(a, err, errlen)) {
		free(a);
		return NULL;
	}
	snprintf(a->upload_file, sizeof a->upload_file, "%.480s/firmware.upload",
		 settings_str(d->set, SET_DATA_DIR));
	d->fwup = evsed_fwup_new(d, err, errlen);
	if (!d->fwup) {
		free(a);
		return NULL;
	}
	struct web_config cfg = {
	    .listen = listen,
	    .cert = a->cert,
	    .key = a->key,
	    .assets = evsed_web_assets,
	    .n_assets = evsed_web_assets_count,
	    .api = handle,
	    .event = stream_event,
	    .upload_path = "/api/firmware",
	    .upload_file = a->upload_file,
	    .upload_max = FWUP_MAX_BYTES,
	    .upload_idle_ms = FWUP_TIMEOUT_S * 1000,
	    .upload_accept = upload_accept,
	    .user = a,
	};
	a->srv = web_new(d->ctx, &cfg, err, errlen);
	if (!a->srv) {
		evsed_fwup_free(d->fwup);
		d->fwup = NULL;
		free(a);
		return NULL;
	}
	d->log_hook = log_line;
	d->log_hook_user = a;
	const char *colon = strrchr(listen, ':');
	const char *host = listen;
	int hl = (int)(colon - listen);
	if (strncmp(listen, "0.0.0.0:", 8) == 0) {
		host = "127.0.0.1";
		hl = 9;
	}
	snprintf(url, urllen, "https://%.*s%s/", hl, host, colon);
	(void)remove(a->upload_file); /* one a stop interrupted */
	return a;
}

void web_api_free(struct web_api *a)
{
	if (!a)
		return;
	if (a->d->log_hook_user == a) {
		a->d->log_hook = NULL;
		a->d->log_hook_user = NULL;
	}
	for (int i = 0; i < LOG_LINES; i++)
		free(a->log[i]);
	web_free(a->srv);
	free(a);
}
