/* SPDX-License-Identifier: MIT */
/*
 * The OCPP 1.6 payload validator: walks a message's table (schema_table.c)
 * over a JSON payload and stops at the first violation with the CALLERROR
 * code and a message naming the field by its path
 * ("meterValue[0].sampledValue[1].unit: must be one of ..."). Checks what the
 * official JSON schemas check (types, required fields, enums, string
 * lengths, date-time and URI formats, multipleOf 0.1, no unknown
 * properties) plus the specification's "1..*" cardinalities. It does not
 * judge meaning (does connector 7 exist, is validTo after validFrom): that is
 * the operation's business, answered in its confirmation.
 */
#include "schema.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "schema_table.h"

/* Paths of known fields are short; longer ones are cut, never overrun. */
#define PATH_LEN 192

struct vctx {
	char *msg;
	size_t msglen;
};

__attribute__((format(printf, 4, 5))) static enum ocpp_err
fail(struct vctx *v, enum ocpp_err e, const char *path, const char *fmt, ...)
{
	if (!v->msg || v->msglen == 0)
		return e;
	int n = snprintf(v->msg, v->msglen, "%s: ", path);
	if (n < 0 || (size_t)n >= v->msglen)
		return e;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg + n, v->msglen - (size_t)n, fmt, ap);
	va_end(ap);
	return e;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* RFC 3339 section 5.6 date-time: "2026-01-01T00:00:00Z",
 * "2026-01-01T00:00:00.123+01:00"; the date must exist, a leap second
 * (:60) only at 23:59 UTC. */
static bool datetime_ok(const char *s, size_t n)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const size_t plen = sizeof pattern - 1;
	if (n < plen)
		return false;
	for (size_t i = 0; i < plen; i++) {
		char p = pattern[i], c = s[i];
		bool ok = p == 'd' ? is_digit(c) : p == 'T' ? (c == 'T' || c == 't') : c == p;
		if (!ok)
			return false;
	}
	int year = num(s, 4), mon = num(s + 5, 2), day = num(s + 8, 2);
	int hour = num(s + 11, 2), min = num(s + 14, 2), sec = num(s + 17, 2);
	size_t i = plen;
	if (i < n && s[i] == '.') {
		size_t start = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	}
	int offset = 0; /* minutes east of UTC */
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i == n) {
		return false; /* RFC 3339 has no local time */
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1]) &&
		   is_digit(s[i + 2]) && s[i + 3] == ':' && is_digit(s[i + 4]) &&
		   is_digit(s[i + 5])) {
		int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
		if (oh > 23 || om > 59)
			return false;
		offset = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
		i += 6;
	}
	if (i != n || mon < 1 || mon > 12 || day < 1 || hour > 23 || min > 59 || sec > 60)
		return false;
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (day > mdays[mon - 1] + (mon == 2 && leap))
		return false;
	if (sec == 60 && ((hour * 60 + min - offset) % 1440 + 1440) % 1440 != 23 * 60 + 59)
		return false;
	return true;
}

/* RFC 3986 URI: a scheme, ':', then at least one more character, all URI
 * characters or %XX escapes (what the schemas' "format": "uri" asks of
 * anyURI). */
static bool uri_ok(const char *s, size_t n)
{
	static const char marks[] = "-._~:/?#[]@!$&'()*+,;=";
	size_t i = 0;
	if (n == 0 || !is_alpha(s[0]))
		return false;
	while (i < n &&
	       (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i + 1 >= n || s[i] != ':')
		return false; /* and something after the scheme, as ajv asks */
	for (i++; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
				return false;
			i += 2;
		} else if (!is_alpha(c) && !is_digit(c) && (c == '\0' || !strchr(marks, c))) {
			return false;
		}
	}
	return true;
}

/* Characters (Unicode code points) in UTF-8 text, as JSON Schema's
 * maxLength counts them. */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static bool is_integer(const json_t *j)
{
	if (json_is_integer(j))
		return true;
	double d = json_real_value(j);
	return json_is_real(j) && isfinite(d) && trunc(d) == d;
}

static bool is_string(const json_t *j)
{
	return json_is_string(j);
}

static bool is_number(const json_t *j)
{
	return json_is_number(j);
}

static bool is_boolean(const json_t *j)
{
	return json_is_boolean(j);
}

static bool is_object(const json_t *j)
{
	return json_is_object(j);
}

static enum ocpp_err check_object(struct vctx *v, const struct sch_object *o, const json_t *j,
				  const char *path);

/* dst = the path of a member ("a.b") or of an item ("a[3]"); a path too
 * long for PATH_LEN ends in "...". */
static void path_member(char *dst, const char *path, const char *name)
{
	int n = snprintf(dst, PATH_LEN, "%s%s%s", path, path[0] ? "." : "", name);
	if (n < 0 || n >= PATH_LEN)
		memcpy(dst + PATH_LEN - 4, "...", 4);
}

static void path_item(char *dst, const char *path, size_t i)
{
	int n = snprintf(dst, PATH_LEN, "%s[%zu]", path, i);
	if (n < 0 || n >= PATH_LEN)
		memcpy(dst + PATH_LEN - 4, "...", 4);
}

/* ---- per-type value checks (the JSON type is already right) ------------ */

static enum ocpp_err check_none(struct vctx *v, const struct sch_field *f, const json_t *j,
				const char *path)
{
	(void)v, (void)f, (void)j, (void)path;
	return OE_NONE;
}

static enum ocpp_err check_string(struct vctx *v, const struct sch_field *f, const json_t *j,
				  const char *path)
{
	if (f->max_len && chars(json_string_value(j), json_string_length(j)) > f->max_len)
		return fail(v, OE_PROPERTY, path, "must be at most %u characters",
			    (unsigned)f->max_len);
	return OE_NONE;
}

static enum ocpp_err check_number(struct vctx *v, const struct sch_field *f, const json_t *j,
				  const char *path)
{
	/* limit and minChargingRate: multipleOf 0.1, with the slack of JSON
	 * Schema validators (32.1 * 10 is 321.00000000000006): 1e-6 as ajv,
	 * or a few rounding steps for large values. */
	double tenths = json_number_value(j) * 10.0;
	double slack = fmax(1e-6, 4 * DBL_EPSILON * fabs(tenths));
	if (f->decimal1 && fabs(tenths - round(tenths)) > slack)
		return fail(v, OE_PROPERTY, path, "must be a multiple of 0.1");
	return OE_NONE;
}

static enum ocpp_err check_datetime(struct vctx *v, const struct sch_field *f, const json_t *j,
				    const char *path)
{
	(void)f;
	if (!datetime_ok(json_string_value(j), json_string_length(j)))
		return fail(v, OE_PROPERTY, path,
			    "must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z");
	return OE_NONE;
}

static enum ocpp_err check_uri(struct vctx *v, const struct sch_field *f, const json_t *j,
			       const char *path)
{
	(void)f;
	if (!uri_ok(json_string_value(j), json_string_length(j)))
		return fail(v, OE_PROPERTY, path, "must be a URI such as ftp://host/path");
	return OE_NONE;
}

static enum ocpp_err check_enum(struct vctx *v, const struct sch_field *f, const json_t *j,
				const char *path)
{
	const char *s = json_string_value(j);
	for (const char *const *e = f->values; *e; e++)
		if (strlen(*e) == json_string_length(j) && strcmp(*e, s) == 0)
			return OE_NONE;
	enum ocpp_err r = fail(v, OE_PROPERTY, path, "must be one of ");
	for (const char *const *e = f->values; *e && v->msg && v->msglen; e++) {
		size_t used = strlen(v->msg);
		int n = snprintf(v->msg + used, v->msglen - used, "%s%s",
				 e == f->values ? "" : ", ", *e);
		if (n < 0 || (size_t)n >= v->msglen - used)
			break;
	}
	return r;
}

static enum ocpp_err check_nested(struct vctx *v, const struct sch_field *f, const json_t *j,
				  const char *path)
{
	return check_object(v, f->obj, j, path);
}

/* One row per enum sch_type: the JSON type it needs, then its own check. */
static const struct {
	const char *noun;
	bool (*is)(const json_t *j);
	enum ocpp_err (*check)(struct vctx *v, const struct sch_field *f, const json_t *j,
			       const char *path);
} types[] = {
    [SCH_STRING] = {"a string", is_string, check_string},
    [SCH_INTEGER] = {"an integer", is_integer, check_none},
    [SCH_NUMBER] = {"a number", is_number, check_number},
    [SCH_BOOLEAN] = {"a boolean", is_boolean, check_none},
    [SCH_DATETIME] = {"a date-time string", is_string, check_datetime},
    [SCH_URI] = {"a URI string", is_string, check_uri},
    [SCH_ENUM] = {"a string", is_string, check_enum},
    [SCH_OBJECT] = {"an object", is_object, check_nested},
};

static enum ocpp_err check_value(struct vctx *v, const struct sch_field *f, const json_t *j,
				 const char *path)
{
	if (!types[f->type].is(j))
		return fail(v, OE_TYPE, path, "must be %s", types[f->type].noun);
	return types[f->type].check(v, f, j, path);
}

static enum ocpp_err check_field(struct vctx *v, const struct sch_field *f, const json_t *j,
				 const char *path)
{
	if (!f->array)
		return check_value(v, f, j, path);
	if (!json_is_array(j))
		return fail(v, OE_TYPE, path, "must be an array");
	if (json_array_size(j) < f->min_items)
		return fail(v, OE_OCCURRENCE, path, "must have at least %u element%s",
			    (unsigned)f->min_items, f->min_items == 1 ? "" : "s");
	size_t i;
	const json_t *item;
	json_array_foreach(j, i, item)
	{
		char ipath[PATH_LEN];
		path_item(ipath, path, i);
		enum ocpp_err e = check_value(v, f, item, ipath);
		if (e != OE_NONE)
			return e;
	}
	return OE_NONE;
}

static const struct sch_field *find_field(const struct sch_object *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->fields[i].name, name) == 0)
			return &o->fields[i];
	return NULL;
}

/* Unknown properties first (a misspelt field is reported as itself, not as
 * the required field it fails to be), then the fields in table order. */
static enum ocpp_err check_object(struct vctx *v, const struct sch_object *o, const json_t *j,
				  const char *path)
{
	const char *key;
	const json_t *val;
	char fpath[PATH_LEN];
	/* jansson iterates non-const objects only; nothing is changed here. */
	json_object_foreach((json_t *)(uintptr_t)j, key, val)
	{
		if (!find_field(o, key)) {
			path_member(fpath, path, key);
			return fail(v, OE_FORMATION, fpath, "unknown property");
		}
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct sch_field *f = &o->fields[i];
		path_member(fpath, path, f->name);
		val = json_object_get(j, f->name);
		if (!val) {
			if (f->required)
				return fail(v, OE_OCCURRENCE, fpath, "required field missing");
			continue;
		}
		enum ocpp_err e = check_field(v, f, val, fpath);
		if (e != OE_NONE)
			return e;
	}
	return OE_NONE;
}

bool ocpp_schema_known(const char *action)
{
	return ocpp_schema_find(action) != NULL;
}

enum ocpp_err ocpp_schema_validate(const char *action, enum ocpp_dir dir, const json_t *payload,
				   char *msg, size_t msglen)
{
	struct vctx v = {msg, msglen};
	if (msg && msglen)
		msg[0] = '\0';
	const struct sch_action *a = ocpp_schema_find(action);
	if (!a)
		return fail(&v, OE_NOT_IMPLEMENTED, action ? action : "(null)",
			    "not an OCPP 1.6 action");
	if (!json_is_object(payload))
		return fail(&v, OE_FORMATION, "payload", "must be a JSON object");
	return check_object(&v, dir == OCPP_CONF ? a->conf : a->req, payload, "");
}

json_int_t ocpp_schema_int(const json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	if (!is_integer(v))
		return 0;
	/* 2^63 is exact in a double; LLONG_MAX is not. */
	double d = json_real_value(v);
	if (d >= 9223372036854775808.0)
		return LLONG_MAX;
	if (d < -9223372036854775808.0)
		return LLONG_MIN;
	return (json_int_t)d;
}
