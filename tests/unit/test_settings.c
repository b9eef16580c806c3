/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the settings registry: the table's defaults for every
 * profile, each type's validation and canonical form with the exact error
 * text, the value checks, access rules, the settings file reader (all or
 * nothing), settings_peek_text, settings_find and the UTC helpers.
 */
#include "vclock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile.h"
#include "core/lm_site.h"
#include "core/settings.h"

static struct settings *new_settings(enum profile_id p)
{
	struct settings *s = settings_new(p);
	assert_non_null(s);
	return s;
}

/* The default text a profile gets for a row (the profile row holds the
 * profile's own name). */
static const char *default_for(enum profile_id p, enum set_id id)
{
	const struct set_def *d = settings_def(id);
	if (id == SET_PROFILE)
		return profile_get(p)->name;
	return d->pdef[p] ? d->pdef[p] : d->def;
}

/* ---- the table --------------------------------------------------------- */

static void table_rows_are_well_formed(void **state)
{
	(void)state;
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		assert_non_null(d);
		assert_non_null(d->name);
		assert_non_null(d->unit);
		assert_non_null(d->def);
		if (!d->help || !d->help[0])
			fail_msg("%s: no help text", d->name);
		if ((d->type == ST_ENUM) != (d->enum_values != NULL))
			fail_msg("%s: enum values on a non-enum row or missing", d->name);
		if (d->min > d->max && d->type != ST_BOOL && d->type != ST_ENUM)
			fail_msg("%s: min %g > max %g", d->name, d->min, d->max);
		if ((d->flags & SF_READONLY) && (d->flags & SF_STARTUP))
			fail_msg("%s: read-only and startup", d->name);
		for (int j = 0; j < i; j++) {
			const struct set_def *e = settings_def((enum set_id)j);
			if (strcmp(d->name, e->name) == 0)
				fail_msg("%s: two rows with this name", d->name);
			if (d->ocpp_key && e->ocpp_key && strcmp(d->ocpp_key, e->ocpp_key) == 0)
				fail_msg("%s: OCPP key %s used twice", d->name, d->ocpp_key);
		}
	}
	assert_null(settings_def(SET_COUNT));
	assert_null(settings_def((enum set_id) - 1));
}

static void every_default_is_valid_for_every_profile(void **state)
{
	(void)state;
	for (int p = 0; p < PROFILE_COUNT; p++) {
		for (int i = 0; i < SET_COUNT; i++) {
			const char *t = default_for((enum profile_id)p, (enum set_id)i);
			char err[200] = "";
			if (!settings_validate((enum set_id)i, t, err, sizeof err))
				fail_msg("%s: default '%s' for %s is invalid: %s",
					 settings_def((enum set_id)i)->name, t,
					 profile_get((enum profile_id)p)->name, err);
		}
	}
	/* Every profile-specific default is valid in its own right. */
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		for (int p = 0; p < PROFILE_COUNT; p++) {
			char err[200] = "";
			if (d->pdef[p] &&
			    !settings_validate((enum set_id)i, d->pdef[p], err, sizeof err))
				fail_msg("%s: pdef[%d] '%s' is invalid: %s", d->name, p, d->pdef[p],
					 err);
		}
	}
}

static void new_settings_hold_canonical_defaults(void **state)
{
	(void)state;
	for (int p = 0; p < PROFILE_COUNT; p++) {
		struct settings *s = new_settings((enum profile_id)p);
		assert_int_equal(settings_profile(s), p);
		for (int i = 0; i < SET_COUNT; i++) {
			const char *want = default_for((enum profile_id)p, (enum set_id)i);
			/* The table writes defaults in canonical form. */
			if (strcmp(settings_str(s, (enum set_id)i), want) != 0)
				fail_msg("%s (%s): '%s', expected '%s'",
					 settings_def((enum set_id)i)->name,
					 profile_get((enum profile_id)p)->name,
					 settings_str(s, (enum set_id)i), want);
			assert_int_equal(settings_source(s, (enum set_id)i), SRC_DEFAULT);
		}
		settings_free(s);
	}
	settings_free(NULL);
}

static void defaults_per_profile(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		const char *io7, *mq200, *evplus;
	} rows[] = {
	    {"profile", "io7", "mq200", "evplus"},
	    {"charger.serial", "RATIOIO7000001", "MQ200-000001", "EVPLUS000001"},
	    {"charger.current_limit", "32", "50", "32"},
	    {"supply.phases", "3", "1", "3"},
	    {"supply.voltage", "230", "240", "230"},
	    {"supply.frequency", "50", "60", "50"},
	    {"supply.earthing", "TN", "TN", "TN"},
	    {"ConnectorPhaseRotation", "1.RST,2.RST", "1.NotApplicable", "1.RST"},
	    {"ConnectionTimeOut", "120", "900", "120"},
	    {"NumberOfConnectors", "2", "1", "1"},
	    {"sim.ev_max_current", "32", "48", "32"},
	    {"sim.ev_phases", "3", "1", "3"},
	    {"sim.cable_rating", "32", "32", "32"},
	    {"sim.dip", "110", "110", "110"},
	    {"auth.required", "true", "true", "true"},
	    {"auth.default_id_tag", "default", "default", "default"},
	    {"auth.plug_and_charge_id", "", "", ""},
	    {"web.listen", "127.0.0.1:8443", "127.0.0.1:8443", "127.0.0.1:8443"},
	    {"data_dir", "./var", "./var", "./var"},
	    {"ocpp.url", "", "", ""},
	    {"clock", "real", "real", "real"},
	};
	struct settings *s[PROFILE_COUNT];
	for (int p = 0; p < PROFILE_COUNT; p++)
		s[p] = new_settings((enum profile_id)p);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum set_id id;
		if (!settings_find(rows[i].key, &id))
			fail_msg("no setting %s", rows[i].key);
		const char *want[PROFILE_COUNT] = {rows[i].io7, rows[i].mq200, rows[i].evplus};
		for (int p = 0; p < PROFILE_COUNT; p++)
			if (strcmp(settings_str(s[p], id), want[p]) != 0)
				fail_msg("%s for %s: '%s', expected '%s'", rows[i].key,
					 profile_get((enum profile_id)p)->name,
					 settings_str(s[p], id), want[p]);
	}
	/* Typed getters agree with the text. */
	assert_true(settings_double(s[PROFILE_MQ200], SET_CHARGER_CURRENT_LIMIT) == 50.0);
	assert_true(settings_double(s[PROFILE_IO7], SET_CHARGER_CURRENT_LIMIT) == 32.0);
	assert_true(settings_double(s[PROFILE_MQ200], SET_SUPPLY_FREQUENCY) == 60.0);
	assert_true(settings_double(s[PROFILE_EVPLUS], SET_SUPPLY_VOLTAGE) == 230.0);
	assert_int_equal(settings_int(s[PROFILE_MQ200], SET_CONNECTION_TIMEOUT), 900);
	assert_int_equal(settings_int(s[PROFILE_IO7], SET_SUPPLY_PHASES), 3);
	assert_true(settings_bool(s[PROFILE_EVPLUS], SET_AUTH_REQUIRED));
	/* NumberOfConnectors is derived from the product. */
	for (int p = 0; p < PROFILE_COUNT; p++) {
		assert_int_equal(settings_int(s[p], SET_NUMBER_OF_CONNECTORS),
				 profile_get((enum profile_id)p)->connectors);
		settings_free(s[p]);
	}
}

/* ---- validation -------------------------------------------------------- */

struct set_row {
	const char *key;
	const char *text;
	enum set_err want;
	const char *result; /* canonical text if SET_OK, else the error message */
};

/* Apply each row to fresh io7 settings from the settings file; a refused
 * value leaves the old one and its source. */
static void check_set_rows(const struct set_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct set_row *r = &rows[i];
		struct settings *s = new_settings(PROFILE_IO7);
		enum set_id id;
		if (!settings_find(r->key, &id))
			fail_msg("no setting %s", r->key);
		char before[1100];
		snprintf(before, sizeof before, "%s", settings_str(s, id));
		char err[300] = "";
		bool changed = true;
		enum set_err e =
		    settings_set(s, r->key, r->text, SRC_FILE, err, sizeof err, &changed);
		if (e != r->want)
			fail_msg("%s = '%s': result %d, expected %d (%s)", r->key, r->text, e,
				 r->want, err);
		if (e == SET_OK) {
			if (strcmp(settings_str(s, id), r->result) != 0)
				fail_msg("%s = '%s': canonical '%s', expected '%s'", r->key,
					 r->text, settings_str(s, id), r->result);
			assert_int_equal(settings_source(s, id), SRC_FILE);
			assert_int_equal(changed, strcmp(before, r->result) != 0);
		} else {
			if (strcmp(err, r->result) != 0)
				fail_msg("%s = '%s': error '%s', expected '%s'", r->key, r->text,
					 err, r->result);
			assert_string_equal(settings_str(s, id), before);
			assert_int_equal(settings_source(s, id), SRC_DEFAULT);
			assert_false(changed);
		}
		/* settings_validate agrees, with the reason only. */
		char verr[300] = "";
		bool valid = settings_validate(id, r->text, verr, sizeof verr);
		if (e == SET_E_INVALID) {
			assert_false(valid);
			size_t klen = strlen(r->key);
			assert_true(strncmp(r->result, r->key, klen) == 0);
			assert_string_equal(verr, r->result + klen + 2);
		} else if (e == SET_OK) {
			assert_true(valid);
		}
		settings_free(s);
	}
}

/* settings_enum: an enum value's index in its row's list, whatever the
 * spelling it was set with; lm.mode's list follows enum lm_mode. */
static void enum_values_as_indexes(void **state)
{
	(void)state;
	struct settings *s = settings_new(PROFILE_IO7);
	assert_non_null(s);
	assert_int_equal(settings_enum(s, SET_LM_MODE), LM_MODE_OFF);
	static const struct {
		const char *text;
		int mode;
	} rows[] = {{"static", LM_MODE_STATIC},
		    {"DYNAMIC", LM_MODE_DYNAMIC},
		    {"export", LM_MODE_EXPORT},
		    {"Solar", LM_MODE_SOLAR},
		    {"off", LM_MODE_OFF}};
	char err[128];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(
		    settings_set(s, "lm.mode", rows[i].text, SRC_RUNTIME, err, sizeof err, NULL),
		    SET_OK);
		assert_int_equal(settings_enum(s, SET_LM_MODE), rows[i].mode);
	}
	assert_int_equal(settings_enum(s, SET_CLOCK), 0);	   /* real|sim */
	assert_int_equal(settings_enum(s, SET_LM_SITE_LIMIT), -1); /* not an enum */
	settings_free(s);
}

static void bool_spellings(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"auth.required", "true", SET_OK, "true"},
	    {"auth.required", "TRUE", SET_OK, "true"},
	    {"auth.required", "1", SET_OK, "true"},
	    {"auth.required", "yes", SET_OK, "true"},
	    {"auth.required", "On", SET_OK, "true"},
	    {"auth.required", "false", SET_OK, "false"},
	    {"auth.required", "False", SET_OK, "false"},
	    {"auth.required", "0", SET_OK, "false"},
	    {"auth.required", "NO", SET_OK, "false"},
	    {"auth.required", "off", SET_OK, "false"},
	    {"auth.required", "", SET_E_INVALID, "auth.required: must be true or false"},
	    {"auth.required", "2", SET_E_INVALID, "auth.required: must be true or false"},
	    {"auth.required", "y", SET_E_INVALID, "auth.required: must be true or false"},
	    {"auth.required", "truee", SET_E_INVALID, "auth.required: must be true or false"},
	    {"auth.required", " true", SET_E_INVALID, "auth.required: must be true or false"},
	    {"StopTransactionOnEVSideDisconnect", "no", SET_OK, "false"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);

	struct settings *s = new_settings(PROFILE_IO7);
	char err[100];
	assert_int_equal(
	    settings_set(s, "auth.rfid_enabled", "off", SRC_CLI, err, sizeof err, NULL), SET_OK);
	assert_false(settings_bool(s, SET_AUTH_RFID_ENABLED));
	assert_int_equal(settings_set(s, "auth.rfid_enabled", "on", SRC_CLI, err, sizeof err, NULL),
			 SET_OK);
	assert_true(settings_bool(s, SET_AUTH_RFID_ENABLED));
	settings_free(s);
}

static void int_ranges(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"ConnectionTimeOut", "10", SET_OK, "10"},
	    {"ConnectionTimeOut", "3600", SET_OK, "3600"},
	    {"ConnectionTimeOut", "+15", SET_OK, "15"},
	    {"ConnectionTimeOut", "0300", SET_OK, "300"},
	    {"ConnectionTimeOut", "9", SET_E_INVALID,
	     "ConnectionTimeOut: must be between 10 and 3600 s"},
	    {"ConnectionTimeOut", "3601", SET_E_INVALID,
	     "ConnectionTimeOut: must be between 10 and 3600 s"},
	    {"ConnectionTimeOut", "-120", SET_E_INVALID,
	     "ConnectionTimeOut: must be between 10 and 3600 s"},
	    {"ConnectionTimeOut", "12.5", SET_E_INVALID,
	     "ConnectionTimeOut: must be a whole number"},
	    {"ConnectionTimeOut", "", SET_E_INVALID, "ConnectionTimeOut: must be a whole number"},
	    {"ConnectionTimeOut", "abc", SET_E_INVALID,
	     "ConnectionTimeOut: must be a whole number"},
	    {"ConnectionTimeOut", "60s", SET_E_INVALID,
	     "ConnectionTimeOut: must be a whole number"},
	    {"ConnectionTimeOut", "0x20", SET_E_INVALID,
	     "ConnectionTimeOut: must be a whole number"},
	    {"ConnectionTimeOut", "99999999999999999999", SET_E_INVALID,
	     "ConnectionTimeOut: must be a whole number"},
	    /* A range without a unit, and a check after the range. */
	    {"supply.phases", "1", SET_OK, "1"},
	    {"supply.phases", "3", SET_OK, "3"},
	    {"supply.phases", "03", SET_OK, "3"},
	    {"supply.phases", "2", SET_E_INVALID, "supply.phases: must be 1 or 3"},
	    {"supply.phases", "0", SET_E_INVALID, "supply.phases: must be between 1 and 3"},
	    {"supply.phases", "4", SET_E_INVALID, "supply.phases: must be between 1 and 3"},
	    {"sim.ev_phases", "2", SET_OK, "2"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);

	struct settings *s = new_settings(PROFILE_IO7);
	char err[100];
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "3600", SRC_RUNTIME, err, sizeof err, NULL),
	    SET_OK);
	assert_int_equal(settings_int(s, SET_CONNECTION_TIMEOUT), 3600);
	settings_free(s);
}

static void double_ranges(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"charger.current_limit", "6", SET_OK, "6"},
	    {"charger.current_limit", "63", SET_OK, "63"},
	    {"charger.current_limit", "16.5", SET_OK, "16.5"},
	    {"charger.current_limit", "32.000", SET_OK, "32"},
	    {"charger.current_limit", "1e1", SET_OK, "10"},
	    {"charger.current_limit", "5.99", SET_E_INVALID,
	     "charger.current_limit: must be between 6 and 63 A"},
	    {"charger.current_limit", "63.01", SET_E_INVALID,
	     "charger.current_limit: must be between 6 and 63 A"},
	    {"charger.current_limit", "-32", SET_E_INVALID,
	     "charger.current_limit: must be between 6 and 63 A"},
	    {"charger.current_limit", "", SET_E_INVALID, "charger.current_limit: must be a number"},
	    {"charger.current_limit", "abc", SET_E_INVALID,
	     "charger.current_limit: must be a number"},
	    {"charger.current_limit", "16A", SET_E_INVALID,
	     "charger.current_limit: must be a number"},
	    {"charger.current_limit", "nan", SET_E_INVALID,
	     "charger.current_limit: must be a number"},
	    {"charger.current_limit", "inf", SET_E_INVALID,
	     "charger.current_limit: must be a number"},
	    {"charger.current_limit", "1e999", SET_E_INVALID,
	     "charger.current_limit: must be a number"},
	    {"supply.voltage", "100", SET_OK, "100"},
	    {"supply.voltage", "277", SET_OK, "277"},
	    {"supply.voltage", "99.9", SET_E_INVALID,
	     "supply.voltage: must be between 100 and 277 V"},
	    {"supply.voltage", "400", SET_E_INVALID,
	     "supply.voltage: must be between 100 and 277 V"},
	    {"sim.ev_max_current", "80", SET_OK, "80"},
	    {"sim.ev_max_current", "80.5", SET_E_INVALID,
	     "sim.ev_max_current: must be between 6 and 80 A"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);

	struct settings *s = new_settings(PROFILE_IO7);
	char err[100];
	assert_int_equal(
	    settings_set(s, "charger.current_limit", "16.5", SRC_RUNTIME, err, sizeof err, NULL),
	    SET_OK);
	assert_true(settings_double(s, SET_CHARGER_CURRENT_LIMIT) == 16.5);
	settings_free(s);
}

static void string_lengths(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		size_t len;
		const char *err; /* NULL: accepted */
	} rows[] = {
	    {"ocpp.id", 0, NULL},
	    {"ocpp.id", 48, NULL},
	    {"ocpp.id", 49, "ocpp.id: must be at most 48 characters"},
	    {"ocpp.password", 64, NULL},
	    {"ocpp.password", 65, "ocpp.password: must be at most 64 characters"},
	    {"data_dir", 200, NULL},
	    {"data_dir", 201, "data_dir: must be at most 200 characters"},
	    {"data_dir", 0, "data_dir: must not be empty"},
	    {"control.socket", 100, NULL},
	    {"control.socket", 101, "control.socket: must be at most 100 characters"},
	    {"charger.serial", 25, NULL},
	    {"charger.serial", 26, "charger.serial: must be at most 25 characters"},
	    {"charger.serial", 0, "charger.serial: must not be empty"},
	    {"auth.default_id_tag", 1, NULL},
	    {"auth.default_id_tag", 20, NULL},
	    {"auth.default_id_tag", 21, "auth.default_id_tag: must be at most 20 characters"},
	    {"auth.default_id_tag", 0, "auth.default_id_tag: must not be empty"},
	    {"auth.plug_and_charge_id", 20, NULL},
	    {"auth.plug_and_charge_id", 21,
	     "auth.plug_and_charge_id: must be at most 20 characters"},
	    {"sim.dip", 2, "sim.dip: must be at least 3 characters"},
	    {"sim.dip", 4, "sim.dip: must be at most 3 characters"},
	    {"sim.dip", 3, "sim.dip: must be three digits 0/1 for SW1 SW2 SW3, e.g. 110"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[300];
		memset(text, 'a', rows[i].len);
		text[rows[i].len] = '\0';
		struct settings *s = new_settings(PROFILE_IO7);
		char err[200] = "";
		enum set_err e =
		    settings_set(s, rows[i].key, text, SRC_FILE, err, sizeof err, NULL);
		if (rows[i].err) {
			if (e != SET_E_INVALID || strcmp(err, rows[i].err) != 0)
				fail_msg("%s = %zu chars: result %d '%s', expected '%s'",
					 rows[i].key, rows[i].len, e, err, rows[i].err);
		} else {
			if (e != SET_OK)
				fail_msg("%s = %zu chars: refused: %s", rows[i].key, rows[i].len,
					 err);
			enum set_id id;
			assert_true(settings_find(rows[i].key, &id));
			assert_string_equal(settings_str(s, id), text);
		}
		settings_free(s);
	}
}

static void enums_case_insensitive_canonical(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"supply.earthing", "TT", SET_OK, "TT"},
	    {"supply.earthing", "tt", SET_OK, "TT"},
	    {"supply.earthing", "It", SET_OK, "IT"},
	    {"supply.earthing", "tn", SET_OK, "TN"},
	    {"supply.earthing", "T", SET_E_INVALID, "supply.earthing: must be one of TN|TT|IT"},
	    {"supply.earthing", "TNC", SET_E_INVALID, "supply.earthing: must be one of TN|TT|IT"},
	    {"supply.earthing", "", SET_E_INVALID, "supply.earthing: must be one of TN|TT|IT"},
	    {"supply.earthing", "TN|TT", SET_E_INVALID, "supply.earthing: must be one of TN|TT|IT"},
	    {"supply.frequency", "60", SET_OK, "60"},
	    {"supply.frequency", "55", SET_E_INVALID, "supply.frequency: must be one of 50|60"},
	    {"sim.cable_rating", "13", SET_OK, "13"},
	    {"sim.cable_rating", "63", SET_OK, "63"},
	    {"sim.cable_rating", "16", SET_E_INVALID,
	     "sim.cable_rating: must be one of 13|20|32|63"},
	    {"clock", "SIM", SET_OK, "sim"},
	    {"clock", "Real", SET_OK, "real"},
	    {"clock", "fake", SET_E_INVALID, "clock: must be one of real|sim"},
	    {"hal", "Sim", SET_OK, "sim"},
	    {"profile", "IO7", SET_OK, "io7"},
	    {"profile", "io8", SET_E_INVALID, "profile: must be one of io7|mq200|evplus"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);

	/* An enum's number is its value when it is numeric. */
	struct settings *s = new_settings(PROFILE_IO7);
	char err[100];
	assert_int_equal(settings_set(s, "sim.cable_rating", "20", SRC_FILE, err, sizeof err, NULL),
			 SET_OK);
	assert_true(settings_double(s, SET_SIM_CABLE_RATING) == 20.0);
	settings_free(s);
}

static void check_ocpp_url(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"ocpp.url", "", SET_OK, ""},
	    {"ocpp.url", "ws://csms.example.com/ocpp", SET_OK, "ws://csms.example.com/ocpp"},
	    {"ocpp.url", "wss://csms.example.com:443/ocpp/", SET_OK,
	     "wss://csms.example.com:443/ocpp/"},
	    {"ocpp.url", "ws://10.0.0.1:9000", SET_OK, "ws://10.0.0.1:9000"},
	    {"ocpp.url", "http://csms.example.com", SET_E_INVALID,
	     "ocpp.url: must start with ws:// or wss://"},
	    {"ocpp.url", "https://csms.example.com", SET_E_INVALID,
	     "ocpp.url: must start with ws:// or wss://"},
	    {"ocpp.url", "WS://csms", SET_E_INVALID, "ocpp.url: must start with ws:// or wss://"},
	    {"ocpp.url", "ws:/csms", SET_E_INVALID, "ocpp.url: must start with ws:// or wss://"},
	    {"ocpp.url", "csms.example.com", SET_E_INVALID,
	     "ocpp.url: must start with ws:// or wss://"},
	    {"ocpp.url", "ws://", SET_E_INVALID, "ocpp.url: has no host"},
	    {"ocpp.url", "wss:///ocpp", SET_E_INVALID, "ocpp.url: has no host"},
	    {"ocpp.url", "ws://:9000", SET_E_INVALID, "ocpp.url: has no host"},
	    {"ocpp.url", "ws://csms/a b", SET_E_INVALID,
	     "ocpp.url: must not contain spaces or control characters"},
	    {"ocpp.url", "ws://csms/\x01", SET_E_INVALID,
	     "ocpp.url: must not contain spaces or control characters"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);
}

static void check_phase_rotation_list(void **state)
{
	(void)state;
	static const char unknown_tail[] =
	    "' (RST, RTS, SRT, STR, TRS, TSR, NotApplicable, Unknown)";
	static const struct set_row ok_rows[] = {
	    {"ConnectorPhaseRotation", "1.RST,2.RTS", SET_OK, "1.RST,2.RTS"},
	    {"ConnectorPhaseRotation", "0.NotApplicable", SET_OK, "0.NotApplicable"},
	    {"ConnectorPhaseRotation", "1.Unknown,2.TSR", SET_OK, "1.Unknown,2.TSR"},
	    {"ConnectorPhaseRotation", "1.SRT,2.STR,3.TRS,4.TSR", SET_OK,
	     "1.SRT,2.STR,3.TRS,4.TSR"},
	    {"ConnectorPhaseRotation", "", SET_OK, ""},
	    {"ConnectorPhaseRotation", "RST", SET_E_INVALID,
	     "ConnectorPhaseRotation: must be a list like 1.RST,2.RTS"},
	    {"ConnectorPhaseRotation", "5.RST", SET_E_INVALID,
	     "ConnectorPhaseRotation: must be a list like 1.RST,2.RTS"},
	    {"ConnectorPhaseRotation", "-1.RST", SET_E_INVALID,
	     "ConnectorPhaseRotation: must be a list like 1.RST,2.RTS"},
	    {"ConnectorPhaseRotation", "1-RST", SET_E_INVALID,
	     "ConnectorPhaseRotation: must be a list like 1.RST,2.RTS"},
	    {"ConnectorPhaseRotation", "1.RST,,2.RST", SET_E_INVALID,
	     "ConnectorPhaseRotation: must be a list like 1.RST,2.RTS"},
	};
	check_set_rows(ok_rows, sizeof ok_rows / sizeof ok_rows[0]);

	/* Unknown rotations are named (at most 20 characters of them). */
	static const struct {
		const char *text, *named;
	} bad[] = {
	    {"1.XYZ", "XYZ"},
	    {"1.rst", "rst"},
	    {"1.", ""},
	    {"1.RST,2.RSTU", "RSTU"},
	    {"1.RST;2.RST", "RST;2.RST"},
	    {"1.RST,2.ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRST"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[200];
		snprintf(want, sizeof want, "ConnectorPhaseRotation: unknown rotation '%s%s",
			 bad[i].named, unknown_tail);
		struct set_row row = {"ConnectorPhaseRotation", bad[i].text, SET_E_INVALID, want};
		check_set_rows(&row, 1);
	}
}

static void check_dip_pnc_listen(void **state)
{
	(void)state;
	static const struct set_row rows[] = {
	    {"sim.dip", "000", SET_OK, "000"},
	    {"sim.dip", "111", SET_OK, "111"},
	    {"sim.dip", "011", SET_OK, "011"},
	    {"sim.dip", "112", SET_E_INVALID,
	     "sim.dip: must be three digits 0/1 for SW1 SW2 SW3, e.g. 110"},
	    {"sim.dip", "1 0", SET_E_INVALID,
	     "sim.dip: must be three digits 0/1 for SW1 SW2 SW3, e.g. 110"},
	    {"auth.plug_and_charge_id", "", SET_OK, ""},
	    {"auth.plug_and_charge_id", "12345678", SET_OK, "12345678"},
	    {"auth.plug_and_charge_id", "ABCDEFGHIJKLMNOPQRST", SET_OK, "ABCDEFGHIJKLMNOPQRST"},
	    {"auth.plug_and_charge_id", "1234567", SET_E_INVALID,
	     "auth.plug_and_charge_id: must be 8 or more characters (or empty)"},
	    {"auth.plug_and_charge_id", "A", SET_E_INVALID,
	     "auth.plug_and_charge_id: must be 8 or more characters (or empty)"},
	    {"auth.plug_and_charge_id", "1234567\x7f", SET_E_INVALID,
	     "auth.plug_and_charge_id: must be printable characters without spaces"},
	    {"auth.default_id_tag", "tab\there", SET_E_INVALID,
	     "auth.default_id_tag: must be printable characters without spaces"},
	    {"web.listen", "127.0.0.1:8443", SET_OK, "127.0.0.1:8443"},
	    {"web.listen", "0.0.0.0:1", SET_OK, "0.0.0.0:1"},
	    {"web.listen", "[::1]:65535", SET_OK, "[::1]:65535"},
	    {"web.listen", "localhost", SET_E_INVALID, "web.listen: must be address:port, or off"},
	    {"web.listen", ":8443", SET_E_INVALID, "web.listen: must be address:port, or off"},
	    {"web.listen", "", SET_OK, ""},
	    {"web.listen", "off", SET_OK, "off"},
	    {"web.listen", "host:0", SET_E_INVALID, "web.listen: port must be 1-65535"},
	    {"web.listen", "host:65536", SET_E_INVALID, "web.listen: port must be 1-65535"},
	    {"web.listen", "host:", SET_E_INVALID, "web.listen: port must be 1-65535"},
	    {"web.listen", "host:80x", SET_E_INVALID, "web.listen: port must be 1-65535"},
	    {"web.listen", "host:-1", SET_E_INVALID, "web.listen: port must be 1-65535"},
	    {"ocpp.id", "CP-01_a.b", SET_OK, "CP-01_a.b"},
	    {"ocpp.id", "CP 01", SET_E_INVALID,
	     "ocpp.id: may contain only letters, digits, '-', '_' and '.'"},
	    {"charger.serial", "SN/1", SET_E_INVALID,
	     "charger.serial: may contain only letters, digits, '-', '_' and '.'"},
	    {"installer.name", "Maria Rossi", SET_OK, "Maria Rossi"},
	    {"installer.name", "bad\nname", SET_E_INVALID,
	     "installer.name: must not contain control characters"},
	    {"installer.company", "", SET_OK, ""},
	    {"installer.email", "", SET_OK, ""},
	    {"installer.email", "maria@example.com", SET_OK, "maria@example.com"},
	    {"installer.email", "maria", SET_E_INVALID,
	     "installer.email: must be an e-mail address like name@example.com"},
	    {"installer.email", "@example.com", SET_E_INVALID,
	     "installer.email: must be an e-mail address like name@example.com"},
	    {"installer.email", "a@b@c.com", SET_E_INVALID,
	     "installer.email: must be an e-mail address like name@example.com"},
	    {"installer.email", "a b@c.com", SET_E_INVALID,
	     "installer.email: must be an e-mail address like name@example.com"},
	    {"installer.email", "a@com.", SET_E_INVALID,
	     "installer.email: must be an e-mail address like name@example.com"},
	    {"clock.sim_start", "", SET_OK, ""},
	    {"clock.sim_start", "2026-01-01T00:00:00Z", SET_OK, "2026-01-01T00:00:00Z"},
	    {"clock.sim_start", "2026-01-01", SET_E_INVALID,
	     "clock.sim_start: must be a UTC time like 2026-01-01T00:00:00Z"},
	    {"clock.sim_start", "2026-02-30T00:00:00Z", SET_E_INVALID,
	     "clock.sim_start: must be a UTC time like 2026-01-01T00:00:00Z"},
	};
	check_set_rows(rows, sizeof rows / sizeof rows[0]);
}

/* ---- access ------------------------------------------------------------ */

static void runtime_refuses_startup_keys(void **state)
{
	(void)state;
	int startup = 0, limits = 0;
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		if (d->flags & SF_READONLY)
			continue;
		/* Start-only OCPP keys are product limits (read-only to the
		 * CSMS, e.g. LocalAuthListMaxLength). */
		limits += (d->flags & SF_STARTUP) && d->ocpp_key;
		struct settings *s = new_settings(PROFILE_IO7);
		const char *value = settings_str(s, (enum set_id)i);
		char copy[1100];
		snprintf(copy, sizeof copy, "%s", value);
		char err[200] = "";
		enum set_err e = settings_set(s, d->name, copy, SRC_RUNTIME, err, sizeof err, NULL);
		if (d->flags & SF_STARTUP) {
			startup++;
			char want[200];
			snprintf(want, sizeof want,
				 "%s: can only be set at start (settings file or --set)", d->name);
			assert_int_equal(e, SET_E_ACCESS);
			assert_string_equal(err, want);
			assert_int_equal(settings_source(s, (enum set_id)i), SRC_DEFAULT);
		} else if (e != SET_OK) {
			fail_msg("%s: refused at run time: %s", d->name, err);
		}
		/* Every other source may set it. */
		static const enum set_source others[] = {SRC_FILE, SRC_STORE, SRC_CLI};
		for (size_t k = 0; k < 3; k++) {
			e = settings_set(s, d->name, copy, others[k], err, sizeof err, NULL);
			if (e != SET_OK)
				fail_msg("%s: refused from source %d: %s", d->name, others[k], err);
			assert_int_equal(settings_source(s, (enum set_id)i), others[k]);
		}
		settings_free(s);
	}
	/* profile hal clock clock.sim_start data_dir control.socket
	 * firmware.installer firmware.install_command */
	assert_int_equal(startup - limits, 8);
	assert_true(limits >= 2); /* LocalAuthListMaxLength SendLocalListMaxLength */
}

static void readonly_refused_everywhere(void **state)
{
	(void)state;
	static const enum set_source sources[] = {SRC_DEFAULT, SRC_FILE, SRC_STORE, SRC_CLI,
						  SRC_RUNTIME};
	int readonly = 0;
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		if (!(d->flags & SF_READONLY))
			continue;
		readonly++;
		for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++) {
			struct settings *s = new_settings(PROFILE_IO7);
			char before[100], err[200] = "", want[200];
			snprintf(before, sizeof before, "%s", settings_str(s, (enum set_id)i));
			bool changed = true;
			assert_int_equal(
			    settings_set(s, d->name, "1", sources[k], err, sizeof err, &changed),
			    SET_E_ACCESS);
			snprintf(want, sizeof want, "%s: is read-only", d->name);
			assert_string_equal(err, want);
			assert_false(changed);
			assert_string_equal(settings_str(s, (enum set_id)i), before);
			/* By id too. */
			assert_int_equal(settings_set_id(s, (enum set_id)i, "1", sources[k], err,
							 sizeof err, NULL),
					 SET_E_ACCESS);
			settings_free(s);
		}
	}
	/* NumberOfConnectors, the OCPP ...MaxLength / SupportedFeatureProfiles keys
	 * and ChargingScheduleAllowedChargingRateUnit. */
	assert_int_equal(readonly, 10);
}

static void unknown_keys_and_ids(void **state)
{
	(void)state;
	struct settings *s = new_settings(PROFILE_IO7);
	char err[200];
	bool changed = true;
	assert_int_equal(settings_set(s, "no.such", "1", SRC_FILE, err, sizeof err, &changed),
			 SET_E_UNKNOWN);
	assert_string_equal(err, "no.such: unknown setting");
	assert_false(changed);
	assert_int_equal(
	    settings_set(s, "connectiontimeout", "60", SRC_FILE, err, sizeof err, NULL),
	    SET_E_UNKNOWN);
	assert_string_equal(err, "connectiontimeout: unknown setting");
	changed = true;
	assert_int_equal(settings_set_id(s, SET_COUNT, "1", SRC_FILE, err, sizeof err, &changed),
			 SET_E_UNKNOWN);
	assert_string_equal(err, "unknown setting");
	assert_false(changed);
	assert_false(settings_validate(SET_COUNT, "1", err, sizeof err));
	assert_string_equal(err, "unknown setting");
	settings_free(s);
}

static void profile_cannot_change_after_defaults(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum set_err want;
		const char *err;
	} rows[] = {
	    {"io7", SET_OK, NULL},
	    {"IO7", SET_OK, NULL},
	    {"mq200", SET_E_ACCESS, "profile: must be chosen before the other settings"},
	    {"MQ200", SET_E_ACCESS, "profile: must be chosen before the other settings"},
	    {"Evplus", SET_E_ACCESS, "profile: must be chosen before the other settings"},
	    {"io8", SET_E_INVALID, "profile: must be one of io7|mq200|evplus"},
	};
	static const enum set_source sources[] = {SRC_FILE, SRC_STORE, SRC_CLI};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (size_t k = 0; k < 3; k++) {
			struct settings *s = new_settings(PROFILE_IO7);
			char err[200] = "";
			enum set_err e = settings_set(s, "profile", rows[i].text, sources[k], err,
						      sizeof err, NULL);
			if (e != rows[i].want)
				fail_msg("profile = %s: result %d, expected %d (%s)", rows[i].text,
					 e, rows[i].want, err);
			if (rows[i].err)
				assert_string_equal(err, rows[i].err);
			/* The profile and its defaults never diverge. */
			assert_string_equal(settings_str(s, SET_PROFILE), "io7");
			assert_int_equal(settings_profile(s), PROFILE_IO7);
			settings_free(s);
		}
	}
}

static void changed_flag_compares_canonical_values(void **state)
{
	(void)state;
	struct settings *s = new_settings(PROFILE_IO7);
	char err[200];
	bool changed = true;
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "120", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_OK);
	assert_false(changed);
	/* Same value, new source. */
	assert_int_equal(settings_source(s, SET_CONNECTION_TIMEOUT), SRC_RUNTIME);
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "300", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_OK);
	assert_true(changed);
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "+300", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_OK);
	assert_false(changed);
	assert_int_equal(
	    settings_set(s, "auth.required", "YES", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_OK);
	assert_false(changed);
	assert_int_equal(
	    settings_set(s, "supply.earthing", "tn", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_OK);
	assert_false(changed);
	assert_int_equal(settings_set(s, "charger.current_limit", "32.0", SRC_RUNTIME, err,
				      sizeof err, &changed),
			 SET_OK);
	assert_false(changed);
	/* A refused value reports no change and keeps the old value. */
	changed = true;
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "1", SRC_RUNTIME, err, sizeof err, &changed),
	    SET_E_INVALID);
	assert_false(changed);
	assert_string_equal(settings_str(s, SET_CONNECTION_TIMEOUT), "300");
	/* NULL changed is allowed. */
	assert_int_equal(
	    settings_set_id(s, SET_CONNECTION_TIMEOUT, "60", SRC_CLI, err, sizeof err, NULL),
	    SET_OK);
	assert_int_equal(settings_int(s, SET_CONNECTION_TIMEOUT), 60);
	assert_int_equal(settings_source(s, SET_CONNECTION_TIMEOUT), SRC_CLI);
	settings_free(s);
}

/* ---- settings files ---------------------------------------------------- */

/* Every value and source of s, to compare before and after. */
struct snapshot {
	char *text[SET_COUNT];
	enum set_source src[SET_COUNT];
};

static void snap_take(const struct settings *s, struct snapshot *sn)
{
	for (int i = 0; i < SET_COUNT; i++) {
		sn->text[i] = strdup(settings_str(s, (enum set_id)i));
		assert_non_null(sn->text[i]);
		sn->src[i] = settings_source(s, (enum set_id)i);
	}
}

static void snap_check_and_free(const struct settings *s, struct snapshot *sn)
{
	for (int i = 0; i < SET_COUNT; i++) {
		if (strcmp(sn->text[i], settings_str(s, (enum set_id)i)) != 0 ||
		    sn->src[i] != settings_source(s, (enum set_id)i))
			fail_msg("%s changed: '%s' (source %d), was '%s' (source %d)",
				 settings_def((enum set_id)i)->name,
				 settings_str(s, (enum set_id)i),
				 settings_source(s, (enum set_id)i), sn->text[i], sn->src[i]);
		free(sn->text[i]);
	}
}

static void load_text_sections_comments_blank_lines(void **state)
{
	(void)state;
	static const char text[] = "# evsed settings\n"
				   "\n"
				   "ConnectionTimeOut = 300\n"
				   "auth.required=no\n"
				   "   # indented comment\n"
				   "data_dir = /var/lib/evsed\n"
				   "[ocpp]\n"
				   "url = wss://csms.example.com/ocpp?a=b   # trailing comment\n"
				   "id = CP-1\n"
				   "password = pa#ss#word # a '#' inside a value is kept\n"
				   "\n"
				   "[ supply ]\n"
				   "\tearthing = tt  \n"
				   "phases = 1\n";
	struct settings *s = new_settings(PROFILE_IO7);
	char err[300] = "";
	if (!settings_load_text(s, text, "evsed.conf", err, sizeof err))
		fail_msg("refused: %s", err);
	static const struct {
		enum set_id id;
		const char *value;
	} want[] = {
	    {SET_CONNECTION_TIMEOUT, "300"},
	    {SET_AUTH_REQUIRED, "false"},
	    {SET_DATA_DIR, "/var/lib/evsed"},
	    {SET_OCPP_URL, "wss://csms.example.com/ocpp?a=b"},
	    {SET_OCPP_ID, "CP-1"},
	    {SET_OCPP_PASSWORD, "pa#ss#word"},
	    {SET_SUPPLY_EARTHING, "TT"},
	    {SET_SUPPLY_PHASES, "1"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(settings_str(s, want[i].id), want[i].value);
		assert_int_equal(settings_source(s, want[i].id), SRC_FILE);
	}
	/* The rest is untouched. */
	assert_string_equal(settings_str(s, SET_SUPPLY_VOLTAGE), "230");
	assert_int_equal(settings_source(s, SET_SUPPLY_VOLTAGE), SRC_DEFAULT);
	assert_int_equal(settings_source(s, SET_WEB_LISTEN), SRC_DEFAULT);
	settings_free(s);
}

static void load_text_crlf_last_line_and_repeats(void **state)
{
	(void)state;
	struct settings *s = new_settings(PROFILE_MQ200);
	char err[300] = "";
	static const char text[] = "ConnectionTimeOut = 200\r\n"
				   "ConnectionTimeOut = 250\r\n"
				   "ocpp.url =\r\n"
				   "[sim]\r\n"
				   "dip = 011";
	if (!settings_load_text(s, text, "f.conf", err, sizeof err))
		fail_msg("refused: %s", err);
	assert_string_equal(settings_str(s, SET_CONNECTION_TIMEOUT), "250");
	assert_string_equal(settings_str(s, SET_OCPP_URL), "");
	assert_int_equal(settings_source(s, SET_OCPP_URL), SRC_FILE);
	assert_string_equal(settings_str(s, SET_SIM_DIP), "011");
	/* An empty file changes nothing. */
	struct snapshot sn;
	snap_take(s, &sn);
	assert_true(settings_load_text(s, "", "empty.conf", err, sizeof err));
	assert_true(settings_load_text(s, "\n\n# nothing\n", "empty.conf", err, sizeof err));
	snap_check_and_free(s, &sn);
	settings_free(s);
}

static void load_text_keeps_earlier_sources(void **state)
{
	(void)state;
	struct settings *s = new_settings(PROFILE_IO7);
	char err[300] = "";
	assert_int_equal(
	    settings_set(s, "ConnectionTimeOut", "500", SRC_CLI, err, sizeof err, NULL), SET_OK);
	assert_true(settings_load_text(s, "auth.required = no\n", "f.conf", err, sizeof err));
	assert_string_equal(settings_str(s, SET_CONNECTION_TIMEOUT), "500");
	assert_int_equal(settings_source(s, SET_CONNECTION_TIMEOUT), SRC_CLI);
	assert_int_equal(settings_int(s, SET_CONNECTION_TIMEOUT), 500);
	assert_false(settings_bool(s, SET_AUTH_REQUIRED));
	settings_free(s);
}

static void load_text_bad_line_changes_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *err;
	} rows[] = {
	    {"ConnectionTimeOut = 300\n# c\nauth.required = no\nsupply.phases = 2\n",
	     "evsed.conf:4: supply.phases: must be 1 or 3"},
	    {"ConnectionTimeOut = 300\nConnectionTimeOut 300\n",
	     "evsed.conf:2: expected 'key = value'"},
	    {"auth.required = no\n[ocpp\nurl = ws://x\n", "evsed.conf:2: bad section header"},
	    {"[]\n", "evsed.conf:1: bad section header"},
	    {"[ocpp] x\n", "evsed.conf:1: bad section header"},
	    {"[ocpp]]\n", "evsed.conf:1: bad section header"},
	    {"= 5\n", "evsed.conf:1: missing key before '='"},
	    {"no.such = 1\n", "evsed.conf:1: no.such: unknown setting"},
	    {"\n\n[ocpp]\nport = 1\n", "evsed.conf:4: ocpp.port: unknown setting"},
	    {"[ocpp]\nConnectionTimeOut = 300\n",
	     "evsed.conf:2: ocpp.ConnectionTimeOut: unknown setting"},
	    {"NumberOfConnectors = 2\n", "evsed.conf:1: NumberOfConnectors: is read-only"},
	    {"profile = mq200\n",
	     "evsed.conf:1: profile: must be chosen before the other settings"},
	    {"ocpp.url = ws://ok\nocpp.url = http://x\n",
	     "evsed.conf:2: ocpp.url: must start with ws:// or wss://"},
	    {"ConnectionTimeOut = 5 # too short\n",
	     "evsed.conf:1: ConnectionTimeOut: must be between 10 and 3600 s"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct settings *s = new_settings(PROFILE_IO7);
		char err[300] = "";
		assert_int_equal(
		    settings_set(s, "supply.earthing", "IT", SRC_CLI, err, sizeof err, NULL),
		    SET_OK);
		struct snapshot sn;
		snap_take(s, &sn);
		if (settings_load_text(s, rows[i].text, "evsed.conf", err, sizeof err))
			fail_msg("row %zu accepted", i);
		if (strcmp(err, rows[i].err) != 0)
			fail_msg("row %zu: '%s', expected '%s'", i, err, rows[i].err);
		snap_check_and_free(s, &sn);
		settings_free(s);
	}
}

static void load_text_line_too_long(void **state)
{
	(void)state;
	char text[1200];
	memcpy(text, "ocpp.id = ok\nocpp.url = ws://", 29);
	memset(text + 29, 'a', 1100);
	text[1129] = '\0';
	struct settings *s = new_settings(PROFILE_IO7);
	struct snapshot sn;
	snap_take(s, &sn);
	char err[300] = "";
	assert_false(settings_load_text(s, text, "big.conf", err, sizeof err));
	assert_string_equal(err, "big.conf:2: line too long");
	snap_check_and_free(s, &sn);
	settings_free(s);
}

static void peek_text_finds_one_key(void **state)
{
	(void)state;
	static const struct {
		const char *text, *key, *want; /* want NULL: not found */
	} rows[] = {
	    {"profile = mq200\n", "profile", "mq200"},
	    {"# c\nprofile=evplus # the shop\nConnectionTimeOut = 60\n", "profile", "evplus"},
	    {"profile = io7\nprofile = evplus\n", "profile", "evplus"},
	    /* Values are not checked, unknown keys are no obstacle. */
	    {"ConnectionTimeOut = 5\nno.such = 1\nprofile = evplus\n", "profile", "evplus"},
	    {"ConnectionTimeOut = 5\n", "ConnectionTimeOut", "5"},
	    {"[ocpp]\nurl = ws://x\n", "ocpp.url", "ws://x"},
	    {"[ocpp]\nurl = ws://x\n", "url", NULL},
	    {"[ocpp]\nprofile = mq200\n", "profile", NULL},
	    {"ConnectionTimeOut = 60\n", "profile", NULL},
	    {"", "profile", NULL},
	    {"Profile = mq200\n", "profile", NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[64] = "untouched";
		bool found = settings_peek_text(rows[i].text, rows[i].key, out, sizeof out);
		if (found != (rows[i].want != NULL))
			fail_msg("row %zu: found %d", i, found);
		assert_string_equal(out, rows[i].want ? rows[i].want : "untouched");
	}
	/* The copy is bounded by outlen. */
	char small[4];
	assert_true(settings_peek_text("profile = evplus\n", "profile", small, sizeof small));
	assert_string_equal(small, "evp");
}

/* ---- settings_find ------------------------------------------------------ */

static void find_by_name_and_ocpp_key(void **state)
{
	(void)state;
	for (int i = 0; i < SET_COUNT; i++) {
		const struct set_def *d = settings_def((enum set_id)i);
		enum set_id id = SET_COUNT;
		assert_true(settings_find(d->name, &id));
		assert_int_equal(id, i);
		if (d->ocpp_key) {
			id = SET_COUNT;
			assert_true(settings_find(d->ocpp_key, &id));
			assert_int_equal(id, i);
		}
	}
	static const struct {
		const char *key;
		enum set_id id;
	} ocpp[] = {
	    {"ConnectionTimeOut", SET_CONNECTION_TIMEOUT},
	    {"ConnectorPhaseRotation", SET_CONNECTOR_PHASE_ROTATION},
	    {"StopTransactionOnEVSideDisconnect", SET_STOP_TX_ON_EV_DISCONNECT},
	    {"UnlockConnectorOnEVSideDisconnect", SET_UNLOCK_ON_EV_DISCONNECT},
	    {"NumberOfConnectors", SET_NUMBER_OF_CONNECTORS},
	};
	for (size_t i = 0; i < sizeof ocpp / sizeof ocpp[0]; i++) {
		enum set_id id = SET_COUNT;
		assert_true(settings_find(ocpp[i].key, &id));
		assert_int_equal(id, ocpp[i].id);
		assert_string_equal(settings_def(id)->ocpp_key, ocpp[i].key);
	}
	static const char *const unknown[] = {"",
					      "nosuch",
					      "connectiontimeout",
					      "ocpp",
					      "ocpp.",
					      "ConnectionTimeOut ",
					      "supply.Phases"};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		enum set_id id = SET_COUNT;
		if (settings_find(unknown[i], &id))
			fail_msg("'%s' found", unknown[i]);
		assert_int_equal(id, SET_COUNT);
	}
}

/* ---- UTC ---------------------------------------------------------------- */

struct utc_row {
	const char *text;
	int64_t t;
};

static const struct utc_row utc_rows[] = {
    {"1970-01-01T00:00:00Z", 0},	   {"1972-02-29T00:00:00Z", 68169600},
    {"2000-02-29T12:34:56Z", 951827696},   {"2024-02-29T00:00:00Z", 1709164800},
    {"2026-01-01T00:00:00Z", 1767225600},  {"2026-08-15T06:07:08Z", 1786774028},
    {"2038-01-19T03:14:08Z", 2147483648},  {"2100-03-01T00:00:00Z", 4107542400},
    {"2400-02-29T23:59:59Z", 13574649599}, {"9999-12-31T23:59:59Z", 253402300799},
};

static void parse_utc_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof utc_rows / sizeof utc_rows[0]; i++) {
		int64_t t = -1;
		if (!settings_parse_utc(utc_rows[i].text, &t))
			fail_msg("%s refused", utc_rows[i].text);
		if (t != utc_rows[i].t)
			fail_msg("%s: %lld, expected %lld", utc_rows[i].text, (long long)t,
				 (long long)utc_rows[i].t);
	}
}

static void parse_utc_fractions_and_offset(void **state)
{
	(void)state;
	static const struct utc_row rows[] = {
	    {"2026-08-15T06:07:08.5Z", 1786774028},
	    {"2026-08-15T06:07:08.000Z", 1786774028},
	    {"2026-08-15T06:07:08.999999999Z", 1786774028},
	    {"2026-08-15T06:07:08+00:00", 1786774028},
	    {"2026-08-15T06:07:08.123+00:00", 1786774028},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t t = -1;
		if (!settings_parse_utc(rows[i].text, &t))
			fail_msg("%s refused", rows[i].text);
		assert_int_equal(t, rows[i].t);
	}
}

static void parse_utc_offsets(void **state)
{
	(void)state;
	/* RFC 3339 as the OCPP schemas allow: offsets, lowercase t and z. */
	static const struct {
		const char *text;
		int64_t utc;
	} rows[] = {
	    {"2026-08-15T06:07:08Z", 1786774028},      {"2026-08-15T06:07:08z", 1786774028},
	    {"2026-08-15t06:07:08Z", 1786774028},      {"2026-08-15T07:07:08+01:00", 1786774028},
	    {"2026-08-14T22:37:08-07:30", 1786774028}, {"2026-08-15T06:07:08-00:00", 1786774028},
	    {"2026-01-01T00:00:00+01:00", 1767222000}, /* an hour before 2026 in UTC */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t t = 0;
		if (!settings_parse_utc(rows[i].text, &t) || t != rows[i].utc)
			fail_msg("'%s' -> %lld, expected %lld", rows[i].text, (long long)t,
				 (long long)rows[i].utc);
	}
}

static void parse_utc_rejects_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "2026",
	    "2026-08-15",
	    "2026-08-15T06:07:08",
	    "2026-08-15T06:07:08ZZ",
	    "2026-08-15T06:07:08Z ",
	    " 2026-08-15T06:07:08Z",
	    "2026-08-15 06:07:08Z",
	    "2026-08-15T06:07Z",
	    "20260815T060708Z",
	    "2026-8-15T06:07:08Z",
	    "2026-08-15T06:07:08.Z",
	    "2026-08-15T06:07:08.5",
	    "2026-08-15T06:07:08+0000",
	    "2026-08-15T06:07:08+24:00",
	    "2026-08-15T06:07:08+01:60",
	    "2026-08-15T06:07:08+1:00",
	    /* out of range fields */
	    "2026-00-10T00:00:00Z",
	    "2026-13-01T00:00:00Z",
	    "2026-01-00T00:00:00Z",
	    "2026-01-32T00:00:00Z",
	    "2026-04-31T00:00:00Z",
	    "2026-06-31T00:00:00Z",
	    "2026-09-31T00:00:00Z",
	    "2026-11-31T00:00:00Z",
	    "2026-02-30T00:00:00Z",
	    "2026-01-01T24:00:00Z",
	    "2026-01-01T00:60:00Z",
	    "2026-01-01T00:00:61Z",
	    "1969-12-31T23:59:59Z",
	    /* February 29th outside leap years */
	    "2023-02-29T00:00:00Z",
	    "2026-02-29T00:00:00Z",
	    "2100-02-29T00:00:00Z",
	    "2200-02-29T00:00:00Z",
	    /* signs and blanks inside fields */
	    "2026-01-01T-1:00:00Z",
	    "2026-01-01T00:-1:00Z",
	    "2026-01-01T00:00:-1Z",
	    "2026-+1-01T00:00:00Z",
	    "2026- 1-01T00:00:00Z",
	    "2026-01- 1T00:00:00Z",
	    "+026-01-01T00:00:00Z",
	    "2026x01-01T00:00:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 42;
		if (settings_parse_utc(bad[i], &t))
			fail_msg("'%s' accepted as %lld", bad[i], (long long)t);
		assert_int_equal(t, 42);
	}
}

static void parse_utc_leap_years(void **state)
{
	(void)state;
	static const struct {
		int year;
		bool leap;
	} rows[] = {
	    {1972, true},  {1999, false}, {2000, true},	 {2023, false}, {2024, true},
	    {2100, false}, {2200, false}, {2300, false}, {2400, true},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[32], next[32];
		int64_t feb28, feb29;
		snprintf(text, sizeof text, "%04d-02-28T00:00:00Z", rows[i].year);
		assert_true(settings_parse_utc(text, &feb28));
		settings_format_utc(feb28 + 86400, next, sizeof next);
		snprintf(text, sizeof text, "%04d-%s", rows[i].year,
			 rows[i].leap ? "02-29" : "03-01");
		assert_int_equal(strncmp(next, text, 10), 0);
		snprintf(text, sizeof text, "%04d-02-29T00:00:00Z", rows[i].year);
		if (settings_parse_utc(text, &feb29) != rows[i].leap)
			fail_msg("%s: accepted %d", text, !rows[i].leap);
		if (rows[i].leap)
			assert_int_equal(feb29, feb28 + 86400);
	}
}

static void format_utc_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof utc_rows / sizeof utc_rows[0]; i++) {
		char buf[21];
		settings_format_utc(utc_rows[i].t, buf, sizeof buf);
		assert_string_equal(buf, utc_rows[i].text);
	}
	char buf[32];
	settings_format_utc(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	settings_format_utc(86399, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T23:59:59Z");
	/* A short buffer is truncated, never overrun. */
	char small[11];
	settings_format_utc(1786774028, small, sizeof small);
	assert_string_equal(small, "2026-08-15");
}

static void format_parse_round_trip(void **state)
{
	(void)state;
	/* Every day from 1970 to 2500, at a different second of each. */
	const int64_t days = 193000;
	for (int64_t day = 0; day < days; day++) {
		int64_t t = day * 86400 + (day * 7919) % 86400;
		char buf[32];
		settings_format_utc(t, buf, sizeof buf);
		int64_t back = -1;
		if (!settings_parse_utc(buf, &back) || back != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
	}
}

/* Restart-only settings: the value in force stays the one marked at start
 * until a restart; changing it back cancels the pending restart. */
static void restart_only_values_in_force(void **state)
{
	(void)state;
	struct settings *s = settings_new(PROFILE_IO7);
	assert_non_null(s);
	char err[200];
	assert_int_equal(
	    settings_set(s, "ocpp.url", "ws://a.example/ocpp", SRC_FILE, err, sizeof err, NULL),
	    SET_OK);
	assert_true(settings_mark_applied(s));
	assert_false(settings_restart_pending(s));
	assert_int_equal(
	    settings_set(s, "ocpp.url", "ws://b.example/ocpp", SRC_RUNTIME, err, sizeof err, NULL),
	    SET_OK);
	assert_string_equal(settings_str(s, SET_OCPP_URL), "ws://b.example/ocpp");
	assert_string_equal(settings_applied_str(s, SET_OCPP_URL), "ws://a.example/ocpp");
	assert_true(settings_restart_pending(s));
	/* A setting that applies at once is in force at once. */
	assert_int_equal(
	    settings_set(s, "charger.current_limit", "10", SRC_RUNTIME, err, sizeof err, NULL),
	    SET_OK);
	assert_string_equal(settings_applied_str(s, SET_CHARGER_CURRENT_LIMIT), "10");
	assert_int_equal(
	    settings_set(s, "ocpp.url", "ws://a.example/ocpp", SRC_RUNTIME, err, sizeof err, NULL),
	    SET_OK);
	assert_false(settings_restart_pending(s));
	settings_free(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(restart_only_values_in_force),
    cmocka_unit_test(table_rows_are_well_formed),
    cmocka_unit_test(every_default_is_valid_for_every_profile),
    cmocka_unit_test(new_settings_hold_canonical_defaults),
    cmocka_unit_test(defaults_per_profile),
    cmocka_unit_test(enum_values_as_indexes),
    cmocka_unit_test(bool_spellings),
    cmocka_unit_test(int_ranges),
    cmocka_unit_test(double_ranges),
    cmocka_unit_test(string_lengths),
    cmocka_unit_test(enums_case_insensitive_canonical),
    cmocka_unit_test(check_ocpp_url),
    cmocka_unit_test(check_phase_rotation_list),
    cmocka_unit_test(check_dip_pnc_listen),
    cmocka_unit_test(runtime_refuses_startup_keys),
    cmocka_unit_test(readonly_refused_everywhere),
    cmocka_unit_test(unknown_keys_and_ids),
    cmocka_unit_test(profile_cannot_change_after_defaults),
    cmocka_unit_test(changed_flag_compares_canonical_values),
    cmocka_unit_test(load_text_sections_comments_blank_lines),
    cmocka_unit_test(load_text_crlf_last_line_and_repeats),
    cmocka_unit_test(load_text_keeps_earlier_sources),
    cmocka_unit_test(load_text_bad_line_changes_nothing),
    cmocka_unit_test(load_text_line_too_long),
    cmocka_unit_test(peek_text_finds_one_key),
    cmocka_unit_test(find_by_name_and_ocpp_key),
    cmocka_unit_test(parse_utc_rows),
    cmocka_unit_test(parse_utc_fractions_and_offset),
    cmocka_unit_test(parse_utc_offsets),
    cmocka_unit_test(parse_utc_rejects_invalid),
    cmocka_unit_test(parse_utc_leap_years),
    cmocka_unit_test(format_utc_rows),
    cmocka_unit_test(format_parse_round_trip),
};

VCLOCK_MAIN("settings", tests)
