/* SPDX-License-Identifier: MIT */
/*
 * Smart charging (C8): the store of OCPP 1.6 charging profiles
 * (ChargePointMaxProfile, TxDefaultProfile, TxProfile; Absolute, Recurring
 * Daily / Weekly in the local time zone, Relative; A or W), their
 * validation, Set / Clear, and the composite schedule: for a connector, the
 * minimum of the charger's ChargePointMaxProfile and its TxProfile (or else
 * TxDefaultProfile), the highest stack level in force winning within a
 * purpose. The same evaluation gives the charger "the limit now and when it
 * changes next". Pure: no JSON, no I/O, no clock; the OCPP engine
 * (ocpp_smart.c) reads and writes messages and persists profiles.
 */
#ifndef EVSED_SMART_H
#define EVSED_SMART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tz.h"

#define SC_PERIODS_MAX	 64   /* hard cap of ChargingScheduleMaxPeriods */
#define SC_PROFILES_MAX	 64   /* hard cap of MaxChargingProfilesInstalled */
#define SC_COMPOSITE_MAX 1024 /* periods of one composite schedule */
#define SC_NONE_START	 INT64_MIN

enum sc_purpose { SC_CP_MAX, SC_TX_DEFAULT, SC_TX };
enum sc_kind { SC_ABSOLUTE, SC_RECURRING, SC_RELATIVE };
enum sc_recurrency { SC_RECUR_NONE, SC_DAILY, SC_WEEKLY };
enum sc_unit { SC_AMPS, SC_WATTS };

struct sc_period {
	int32_t start; /* seconds from the start of the schedule */
	double limit;  /* in the schedule's unit: A per phase, or W in total */
	int phases;    /* numberPhases, 0 = not given (3 is assumed) */
};

/* One charging profile (SetChargingProfile's csChargingProfiles and its
 * connectorId). */
struct sc_profile {
	int32_t id;
	int connector; /* 0 = the charger as a whole */
	int32_t stack_level;
	enum sc_purpose purpose;
	enum sc_kind kind;
	enum sc_recurrency recurrency;
	bool has_tx;
	int32_t transaction_id;
	int64_t valid_from; /* UTC s; INT64_MIN = no validFrom */
	int64_t valid_to;   /* UTC s; INT64_MAX = no validTo */
	bool has_start;
	int64_t start_schedule; /* UTC s */
	bool has_duration;
	int32_t duration; /* s */
	enum sc_unit unit;
	double min_rate; /* minChargingRate in the unit, 0 = none */
	int n;		 /* periods */
	struct sc_period p[SC_PERIODS_MAX];
};

/* The transaction running on a connector, as the checks and relative
 * schedules need it. */
struct sc_tx {
	bool active;
	bool has_id; /* the CSMS gave its transactionId */
	int32_t id;
	int64_t start; /* UTC s */
};

/* The limits the charger announces (configuration keys). */
struct sc_caps {
	int connectors;
	int max_stack_level; /* ChargeProfileMaxStackLevel */
	int max_periods;     /* ChargingScheduleMaxPeriods (<= SC_PERIODS_MAX) */
	int max_profiles;    /* MaxChargingProfilesInstalled (<= SC_PROFILES_MAX) */
	bool amps, watts;    /* ChargingScheduleAllowedChargingRateUnit */
};

/* Where the charger is: what converts W to A and places recurring days. */
struct sc_site {
	double voltage; /* nominal phase voltage */
	int phases;	/* supply phases (1 or 3) */
	struct tz_rule tz;
};

enum sc_err {
	SC_OK = 0,
	SC_E_CONNECTOR,	  /* no such connector, or not one for this purpose */
	SC_E_STACK_LEVEL, /* below 0 or above ChargeProfileMaxStackLevel */
	SC_E_PERIODS,	  /* none, more than allowed, not from 0, not increasing */
	SC_E_LIMIT,	  /* a negative limit or minChargingRate, numberPhases not 1-3 */
	SC_E_SCHEDULE,	  /* bad kind / recurrency / duration / validity */
	SC_E_UNIT,	  /* a unit the charger does not allow */
	SC_E_TRANSACTION, /* TxProfile without its transaction there */
	SC_E_FULL,	  /* MaxChargingProfilesInstalled reached */
};

/* A sentence saying why ("stack level above ChargeProfileMaxStackLevel"). */
const char *smart_err_text(enum sc_err e);

struct smart;

/* An empty store; NULL on allocation failure. Free with smart_free. */
struct smart *smart_new(void);
void smart_free(struct smart *sm);

/* How many profiles are installed, and the i-th (0-based; NULL past the
 * end). The pointer is valid until the next change. */
int smart_count(const struct smart *sm);
const struct sc_profile *smart_get(const struct smart *sm, int i);

/* Check p against the caps, the store (room after replacements) and tx, the
 * transaction on p's connector (NULL = none). Changes nothing. */
enum sc_err smart_check(const struct smart *sm, const struct sc_caps *caps,
			const struct sc_profile *p, const struct sc_tx *tx)
    __attribute__((warn_unused_result));

/* The ids of the installed profiles that p would replace: the one with its
 * id, and the one of the same purpose, stack level and connector. Returns
 * how many (at most 2) into ids. */
int smart_replaced(const struct smart *sm, const struct sc_profile *p, int32_t ids[2]);

/* Install p (copied), replacing what smart_replaced names. Call after
 * smart_check said SC_OK; false only if the store is full. */
bool smart_put(struct smart *sm, const struct sc_profile *p);

/* ClearChargingProfile criteria: with an id, that profile only; otherwise
 * every profile matching all the criteria given (none: every profile). */
struct sc_clear {
	bool has_id;
	int32_t id;
	bool has_connector;
	int connector;
	bool has_purpose;
	enum sc_purpose purpose;
	bool has_stack_level;
	int32_t stack_level;
};

/* The ids of the profiles c matches (at most max into ids); returns how
 * many matched. */
int smart_match(const struct smart *sm, const struct sc_clear *c, int32_t *ids, int max);
/* Remove the profiles with these ids (unknown ids are ignored). */
void smart_remove(struct smart *sm, const int32_t *ids, int n);
/* The ids of the TxProfiles of connector conn (its transaction ended). */
int smart_tx_profiles(const struct smart *sm, int conn, int32_t *ids, int max);

/* The limit in A per phase that the profiles put on connector conn (1..N)
 * at UTC second t: min(ChargePointMaxProfile, TxProfile or else
 * TxDefaultProfile); for conn 0, the ChargePointMaxProfile alone. tx is the
 * transaction on conn (NULL = none: TxProfiles do not apply, relative
 * schedules have no start). Returns a negative value when no profile is in
 * force. *next (may be NULL) receives the next UTC second at which the
 * answer may change, INT64_MAX if never. */
double smart_limit(const struct smart *sm, const struct sc_site *site, int conn,
		   const struct sc_tx *tx, int64_t t, int64_t *next);

/* A composite schedule (GetCompositeSchedule). */
struct sc_composite {
	int64_t start;	  /* scheduleStart, UTC s */
	int32_t duration; /* s */
	enum sc_unit unit;
	double min_rate; /* largest minChargingRate in force, in unit; 0 = none */
	int n;
	struct sc_period p[SC_COMPOSITE_MAX];
};

/* The composite schedule of connector conn (0: the charger's
 * ChargePointMaxProfile) over [start, start + duration) in unit: periods
 * where the limit changes, limits rounded down to 0.1. Where no profile is in
 * force the limit is max_a (the charger's own maximum, A per phase), and no
 * limit exceeds it. Relative schedules without a transaction start at
 * start. Periods past SC_COMPOSITE_MAX are merged into the last. */
void smart_composite(const struct smart *sm, const struct sc_site *site, int conn,
		     const struct sc_tx *tx, int64_t start, int32_t duration, enum sc_unit unit,
		     double max_a, struct sc_composite *out);

/* W <-> A with the site's voltage and min(phases or 3, supply phases). */
double smart_to_amps(const struct sc_site *site, enum sc_unit unit, double limit, int phases);
double smart_from_amps(const struct sc_site *site, enum sc_unit unit, double amps, int phases);

#endif
