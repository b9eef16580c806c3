/* SPDX-License-Identifier: MIT */
/*
 * The settings registry (design principle 3): one table of every setting
 * (settings_table.h) with its type, range, unit, per-profile default, access
 * flags, OCPP key name and whether a change needs a restart; and one
 * validation path used by the settings file, --set, the control socket,
 * OCPP ChangeConfiguration and the web UI. A value is either applied whole or
 * refused with a message naming the key and the reason; nothing half-applied.
 * It does no I/O: the caller reads files and persists changes.
 */
#ifndef EVSED_SETTINGS_H
#define EVSED_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum set_type { ST_BOOL, ST_INT, ST_DOUBLE, ST_STRING, ST_ENUM };

enum set_flags {
	SF_NONE = 0,
	SF_STARTUP = 1 << 0,  /* only from the settings file or --set */
	SF_READONLY = 1 << 1, /* never written: derived from the product */
	SF_REBOOT = 1 << 2,   /* a run-time change takes effect after a restart */
	SF_SECRET = 1 << 3,   /* never shown or logged */
};

enum set_id {
#define S(id, ...) SET_##id,
#include "settings_table.h"
#undef S
	SET_COUNT
};

/* Where a value comes from, lowest precedence first. */
enum set_source { SRC_DEFAULT, SRC_FILE, SRC_STORE, SRC_CLI, SRC_RUNTIME };

struct set_def {
	const char *name;
	enum set_type type;
	double min, max;
	const char *unit;
	unsigned flags;
	const char *ocpp_key;
	bool (*check)(const char *value, char *err, size_t errlen);
	const char *enum_values;
	const char *def;
	const char *pdef[PROFILE_COUNT];
	const char *help;
};

struct settings;

/* Result of a set attempt. */
enum set_err {
	SET_OK = 0,
	SET_E_UNKNOWN, /* no such key */
	SET_E_INVALID, /* bad value: err says why */
	SET_E_ACCESS,  /* read-only, or startup-only at run time */
};

/* A registry with every value at its default for the profile. Free with
 * settings_free. Returns NULL on allocation failure. */
struct settings *settings_new(enum profile_id profile);
void settings_free(struct settings *s);

enum profile_id settings_profile(const struct settings *s);

/* The row of a setting; NULL for an out-of-range id. */
const struct set_def *settings_def(enum set_id id);

/* Find a setting by its name or its OCPP key name (exact match). */
bool settings_find(const char *name, enum set_id *out);

/* Validate text for a setting without changing anything. On failure err
 * holds "<reason>" (without the key). */
bool settings_validate(enum set_id id, const char *text, char *err, size_t errlen);

/* Set a value from text. src SRC_RUNTIME refuses SF_STARTUP and SF_READONLY
 * keys; other sources refuse only SF_READONLY. On failure err holds
 * "<key>: <reason>" and nothing changed. *changed (may be NULL) tells if the
 * canonical value differs from before. */
enum set_err settings_set(struct settings *s, const char *name, const char *text,
			  enum set_source src, char *err, size_t errlen, bool *changed)
    __attribute__((warn_unused_result));

/* Same, by id. */
enum set_err settings_set_id(struct settings *s, enum set_id id, const char *text,
			     enum set_source src, char *err, size_t errlen, bool *changed)
    __attribute__((warn_unused_result));

/* Load a settings file's text: "key = value" lines, '#' comments,
 * "[section]" headers prefixing keys with "section.". On the first bad line
 * returns false with err "<fname>:<line>: <key>: <reason>" and leaves s as
 * it was before the call. */
bool settings_load_text(struct settings *s, const char *text, const char *fname, char *err,
			size_t errlen) __attribute__((warn_unused_result));

/* Scan a settings file's text for one key without applying it (used to find
 * the profile before defaults are chosen). Copies the value into out and
 * returns true if present. */
bool settings_peek_text(const char *text, const char *key, char *out, size_t outlen);

/* Typed getters; the id must be of the matching type. */
bool settings_bool(const struct settings *s, enum set_id id);
int64_t settings_int(const struct settings *s, enum set_id id);
double settings_double(const struct settings *s, enum set_id id);
/* The canonical text of any value; owned by s, valid until the next change. */
const char *settings_str(const struct settings *s, enum set_id id);
/* An ST_ENUM value as its index in the row's "a|b|c" list (-1: not an
 * enum), so code can map it onto a C enum declared in the same order. */
int settings_enum(const struct settings *s, enum set_id id);
/* Restart-only settings (SF_REBOOT): mark the values the running code
 * started with (false: out of memory). Then settings_applied_str is the
 * value in force (the current one for other settings, or before marking)
 * and settings_restart_pending whether one was changed since (setting the
 * old value back cancels it). */
bool settings_mark_applied(struct settings *s) __attribute__((warn_unused_result));
const char *settings_applied_str(const struct settings *s, enum set_id id);
bool settings_restart_pending(const struct settings *s);
/* Where the current value came from. */
enum set_source settings_source(const struct settings *s, enum set_id id);

/* Is name[0..len) a measurand evsed can report? */
bool settings_measurand_known(const char *name, size_t len);

/* Parse an RFC 3339 date-time ("2026-01-01T00:00:00Z", with fractional
 * seconds, "t" / "z", or an offset like "+01:00") to UTC seconds. Pure. */
bool settings_parse_utc(const char *text, int64_t *out);

/* Format UTC seconds as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void settings_format_utc(int64_t t, char *buf, size_t len);

#endif
