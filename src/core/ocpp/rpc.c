/* SPDX-License-Identifier: MIT */
/*
 * OCPP-J 1.6 RPC framing. Parsing decides, for any bytes received, whether
 * they are a usable CALL / CALLRESULT / CALLERROR, a CALL to be answered with
 * a CALLERROR (and which code), or something with no id to answer to that is
 * only logged. Building writes compact frames through a size-capped buffer so
 * that no frame over OCPP_FRAME_MAX is ever produced. It does not look inside
 * payloads (schema.c does) and keeps no state: which calls are pending, and
 * what a CALLRESULT answers, is the OCPP engine's business.
 */
#include "rpc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- error codes ------------------------------------------------------- */

/* The names as OCPP-J 1.6 section 4.2.3 spells them (index = enum ocpp_err). */
static const char *const err_names[] = {
    [OE_NOT_IMPLEMENTED] = "NotImplemented",
    [OE_NOT_SUPPORTED] = "NotSupported",
    [OE_INTERNAL] = "InternalError",
    [OE_PROTOCOL] = "ProtocolError",
    [OE_SECURITY] = "SecurityError",
    [OE_FORMATION] = "FormationViolation",
    [OE_PROPERTY] = "PropertyConstraintViolation",
    [OE_OCCURRENCE] = "OccurenceConstraintViolation",
    [OE_TYPE] = "TypeConstraintViolation",
    [OE_GENERIC] = "GenericError",
};

/* Other spellings peers send: OCPP 2.0's "OccurrenceConstraintViolation"
 * and "FormatViolation" (which some 1.6 libraries, ocpp-rpc among them, also
 * send for a FormationViolation). */
static const struct {
	const char *name;
	enum ocpp_err err;
} err_aliases[] = {
    {"OccurrenceConstraintViolation", OE_OCCURRENCE},
    {"FormatViolation", OE_FORMATION},
};

/* Never NULL: values that are no OCPP code (OE_NONE included) are named
 * GenericError, so a frame built from them is still valid OCPP. */
const char *ocpp_err_name(enum ocpp_err e)
{
	if ((unsigned)e >= sizeof err_names / sizeof err_names[0] || !err_names[e])
		return err_names[OE_GENERIC];
	return err_names[e];
}

bool ocpp_err_parse(const char *name, enum ocpp_err *out)
{
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof err_names / sizeof err_names[0]; i++) {
		if (err_names[i] && strcmp(err_names[i], name) == 0) {
			*out = (enum ocpp_err)i;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof err_aliases / sizeof err_aliases[0]; i++) {
		if (strcmp(err_aliases[i].name, name) == 0) {
			*out = err_aliases[i].err;
			return true;
		}
	}
	return false;
}

/* ---- parsing ----------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void set_msg(char *msg, size_t len, const char *fmt,
							  ...)
{
	if (!msg || len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

/* The bytes of a JSON string, if v is one with 1..max bytes and no NUL
 * (possible when parsed with JSON_ALLOW_NUL). */
static const char *plain_string(const json_t *v, size_t max, size_t *n)
{
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	*n = json_string_length(v);
	if (*n == 0 || *n > max || memchr(s, 0, *n))
		return NULL;
	return s;
}

/* Copy at most cap-1 bytes of valid UTF-8 without splitting a character. */
static void copy_utf8(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct parse_ctx {
	struct ocpp_frame *out;
	enum ocpp_err *err;
	char *msg;
	size_t msglen;
};

__attribute__((format(printf, 3, 4))) static enum ocpp_parse
answer(struct parse_ctx *c, enum ocpp_err e, const char *fmt, ...)
{
	*c->err = e;
	if (c->msg && c->msglen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->msg, c->msglen, fmt, ap);
		va_end(ap);
	}
	return OP_ANSWER;
}

static enum ocpp_parse parse_call(struct parse_ctx *c, const json_t *root)
{
	size_t n = json_array_size(root), alen;
	if (n >= 3) {
		const json_t *a = json_array_get(root, 2);
		if (!json_is_string(a))
			return answer(c, OE_FORMATION, "action (element 3) is not a string");
		const char *action = plain_string(a, OCPP_ACTION_MAX, &alen);
		if (action)
			memcpy(c->out->action, action, alen);
		else if (json_string_length(a) != 0)
			/* Longer than any action, or with a NUL: known to no one. */
			return answer(c, OE_NOT_IMPLEMENTED, "action is not a known action name");
	}
	if (n < 4)
		return answer(c, OE_PROTOCOL, "CALL has %zu elements, needs 4", n);
	if (n > 4)
		return answer(c, OE_FORMATION, "CALL has %zu elements, needs 4", n);
	json_t *p = json_array_get(root, 3);
	if (!json_is_object(p))
		return answer(c, OE_FORMATION, "payload (element 4) is not a JSON object");
	c->out->payload = json_incref(p);
	return OP_OK;
}

static enum ocpp_parse parse_result(struct parse_ctx *c, const json_t *root)
{
	json_t *p = json_array_get(root, 2);
	if (json_array_size(root) != 3 || !json_is_object(p)) {
		set_msg(c->msg, c->msglen, "CALLRESULT %s is not [3, id, {payload}]", c->out->id);
		return OP_DROP;
	}
	c->out->payload = json_incref(p);
	return OP_OK;
}

static enum ocpp_parse parse_error(struct parse_ctx *c, const json_t *root)
{
	const json_t *code = json_array_get(root, 2), *desc = json_array_get(root, 3);
	if (json_array_size(root) != 5 || !json_is_string(code) || !json_is_string(desc) ||
	    !json_is_object(json_array_get(root, 4))) {
		set_msg(c->msg, c->msglen,
			"CALLERROR %s is not [4, id, \"code\", \"description\", {details}]",
			c->out->id);
		return OP_DROP;
	}
	if (!ocpp_err_parse(json_string_value(code), &c->out->err))
		c->out->err = OE_GENERIC;
	copy_utf8(c->out->err_desc, sizeof c->out->err_desc, json_string_value(desc),
		  json_string_length(desc));
	return OP_OK;
}

/* A parsed JSON value: is it a frame, and which. */
static enum ocpp_parse parse_root(struct parse_ctx *c, const json_t *root)
{
	if (!json_is_array(root)) {
		set_msg(c->msg, c->msglen, "frame is not a JSON array");
		return OP_DROP;
	}
	const json_t *t = json_array_get(root, 0);
	json_int_t type = json_is_integer(t) ? json_integer_value(t) : 0;
	if (type != OCPP_CALL && type != OCPP_CALLRESULT && type != OCPP_CALLERROR) {
		set_msg(c->msg, c->msglen, "frame does not start with message type 2, 3 or 4");
		return OP_DROP;
	}
	c->out->type = (enum ocpp_msg_type)type;
	size_t n;
	const char *id = plain_string(json_array_get(root, 1), OCPP_ID_MAX, &n);
	if (!id) {
		set_msg(c->msg, c->msglen,
			"message id (element 2) is not a string of 1 to %d characters: "
			"no id to answer to",
			OCPP_ID_MAX);
		return OP_DROP;
	}
	memcpy(c->out->id, id, n);
	switch (c->out->type) {
	case OCPP_CALL:
		return parse_call(c, root);
	case OCPP_CALLRESULT:
		return parse_result(c, root);
	case OCPP_CALLERROR:
		return parse_error(c, root);
	}
	return OP_DROP;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Text that is not JSON: if it still begins like a CALL with a readable
 * id ('[2, "id"'), the sender gets a FormationViolation; else it is dropped.
 * why is the JSON parser's complaint. */
static enum ocpp_parse parse_prefix(struct parse_ctx *c, const char *text, size_t len,
				    const json_error_t *why)
{
	const char *p = text, *end = text + len;
	p = skip_ws(p, end);
	bool call = p < end && *p++ == '[';
	p = skip_ws(p, end);
	call = call && p < end && *p++ == '2';
	call = call && p < end && !strchr("0123456789.eE", *p);
	p = skip_ws(p, end);
	call = call && p < end && *p++ == ',';
	p = skip_ws(p, end);
	const char *q = p;
	call = call && q < end && *q++ == '"';
	while (call && q < end && *q != '"')
		q += (*q == '\\' && q + 1 < end) ? 2 : 1;
	call = call && q < end;
	json_t *idv = call ? json_loadb(p, (size_t)(q + 1 - p), JSON_DECODE_ANY, NULL) : NULL;
	size_t n;
	const char *id = plain_string(idv, OCPP_ID_MAX, &n);
	if (!id) {
		json_decref(idv);
		set_msg(c->msg, c->msglen, "not valid JSON (%s at line %d column %d)", why->text,
			why->line, why->column);
		return OP_DROP;
	}
	c->out->type = OCPP_CALL;
	memcpy(c->out->id, id, n);
	json_decref(idv);
	return answer(c, OE_FORMATION, "not valid JSON: %s at line %d column %d", why->text,
		      why->line, why->column);
}

enum ocpp_parse ocpp_frame_parse(const char *text, size_t len, struct ocpp_frame *out,
				 enum ocpp_err *err, char *errmsg, size_t errlen)
{
	memset(out, 0, sizeof *out);
	*err = OE_NONE;
	set_msg(errmsg, errlen, "%s", "");
	struct parse_ctx c = {out, err, errmsg, errlen};
	if (!text) {
		set_msg(errmsg, errlen, "no frame");
		return OP_DROP;
	}
	if (len > OCPP_FRAME_MAX) {
		set_msg(errmsg, errlen, "frame of %zu bytes is over the %d byte limit", len,
			OCPP_FRAME_MAX);
		return OP_DROP;
	}
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root) {
		enum ocpp_parse r = parse_root(&c, root);
		json_decref(root);
		return r;
	}
	enum json_error_code code = json_error_code(&je);
	if (code == json_error_duplicate_key || code == json_error_null_character) {
		/* Well-formed apart from that: a CALL gets a FormationViolation. */
		root = json_loadb(text, len, JSON_ALLOW_NUL, NULL);
		if (root) {
			enum ocpp_parse r = parse_root(&c, root);
			json_decref(root);
			json_decref(out->payload);
			out->payload = NULL;
			const char *why = code == json_error_duplicate_key
					      ? je.text
					      : "a string holds a NUL character (\\u0000)";
			if (r == OP_DROP)
				return OP_DROP;
			if (out->type == OCPP_CALL)
				return answer(&c, OE_FORMATION, "%s", why);
			set_msg(errmsg, errlen, "%s", why);
			return OP_DROP;
		}
	}
	return parse_prefix(&c, text, len, &je);
}

void ocpp_frame_clear(struct ocpp_frame *f)
{
	if (!f)
		return;
	json_decref(f->payload);
	memset(f, 0, sizeof *f);
}

/* ---- building ---------------------------------------------------------- */

/* A growing buffer that refuses to pass OCPP_FRAME_MAX bytes. */
struct capbuf {
	char *p;
	size_t len, alloc;
	bool failed;
};

static int cap_append(const char *buf, size_t size, void *data)
{
	struct capbuf *b = data;
	if (b->failed || size > OCPP_FRAME_MAX - b->len) {
		b->failed = true;
		return -1;
	}
	if (b->len + size + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 256;
		while (want < b->len + size + 1)
			want *= 2;
		if (want > OCPP_FRAME_MAX + 1)
			want = OCPP_FRAME_MAX + 1;
		char *np = realloc(b->p, want);
		if (!np) {
			b->failed = true;
			return -1;
		}
		b->p = np;
		b->alloc = want;
	}
	memcpy(b->p + b->len, buf, size);
	b->len += size;
	b->p[b->len] = '\0';
	return 0;
}

static void cap_text(struct capbuf *b, const char *s)
{
	(void)cap_append(s, strlen(s), b);
}

static void cap_json(struct capbuf *b, const json_t *v)
{
	if (!v || json_dump_callback(v, cap_append, b, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
		b->failed = true;
}

/* Append s as a JSON string (NULL or invalid UTF-8 fails the frame). */
static void cap_string(struct capbuf *b, const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	cap_json(b, v);
	json_decref(v);
}

static char *cap_finish(struct capbuf *b)
{
	if (b->failed) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

static bool id_ok(const char *id)
{
	return id && id[0] && strlen(id) <= OCPP_ID_MAX;
}

char *ocpp_build_call(const char *id, const char *action, const json_t *payload)
{
	if (!id_ok(id) || !action || !action[0] || strlen(action) > OCPP_ACTION_MAX ||
	    !json_is_object(payload))
		return NULL;
	struct capbuf b = {0};
	cap_text(&b, "[2,");
	cap_string(&b, id);
	cap_text(&b, ",");
	cap_string(&b, action);
	cap_text(&b, ",");
	cap_json(&b, payload);
	cap_text(&b, "]");
	return cap_finish(&b);
}

char *ocpp_build_result(const char *id, const json_t *payload)
{
	if (!id_ok(id) || !json_is_object(payload))
		return NULL;
	struct capbuf b = {0};
	cap_text(&b, "[3,");
	cap_string(&b, id);
	cap_text(&b, ",");
	cap_json(&b, payload);
	cap_text(&b, "]");
	return cap_finish(&b);
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	static const struct {
		unsigned char lo, hi; /* lead byte range */
		unsigned char len;
		unsigned char lo2, hi2; /* range of the second byte */
	} rows[] = {
	    {0x00, 0x7F, 1, 0, 0},	 {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF},
	    {0xE1, 0xEC, 3, 0x80, 0xBF}, {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF},
	    {0xF0, 0xF0, 4, 0x90, 0xBF}, {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		if (s[0] < rows[r].lo || s[0] > rows[r].hi)
			continue;
		size_t len = rows[r].len;
		if (len == 1)
			return 1;
		if (n < len || s[1] < rows[r].lo2 || s[1] > rows[r].hi2)
			return 0;
		for (size_t i = 2; i < len; i++)
			if ((s[i] & 0xC0) != 0x80)
				return 0;
		return len;
	}
	return 0;
}

char *ocpp_build_error(const char *id, enum ocpp_err code, const char *desc)
{
	if (!id_ok(id))
		return NULL;
	/* A description may quote received text cut short by snprintf: bytes
	 * that are not UTF-8 become '?' rather than losing the answer. */
	size_t n = desc ? strlen(desc) : 0;
	char *clean = malloc(n + 1);
	if (!clean)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq((const unsigned char *)desc + i, n - i);
		if (k == 0) {
			clean[i++] = '?';
			continue;
		}
		memcpy(clean + i, desc + i, k);
		i += k;
	}
	clean[n] = '\0';
	struct capbuf b = {0};
	cap_text(&b, "[4,");
	cap_string(&b, id);
	cap_text(&b, ",");
	cap_string(&b, ocpp_err_name(code));
	cap_text(&b, ",");
	cap_string(&b, clean);
	cap_text(&b, ",{}]");
	free(clean);
	return cap_finish(&b);
}
