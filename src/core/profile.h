/* SPDX-License-Identifier: MIT */
/*
 * Product profiles (P1): what a product is (connectors, socket or tethered
 * cable, supply, ratings, indication schemes, default accounts). One row per
 * product; adding a product is adding a row. Defaults of settings that differ
 * per product live in the settings table, keyed by the profile index.
 */
#ifndef EVSED_PROFILE_H
#define EVSED_PROFILE_H

#include <stdbool.h>

enum profile_id {
	PROFILE_IO7,
	PROFILE_MQ200,
	PROFILE_EVPLUS,
	PROFILE_COUNT,
};

enum led_scheme {
	LED_SCHEME_IO7,	   /* colour sequences, io7 section 3 and 8 */
	LED_SCHEME_MQ200,  /* steady / flashing single LED, MQ200 9.1 */
	LED_SCHEME_EVPLUS, /* light belt + 4 indicators, EVPLUS 7.1 */
};

enum region_rule {
	REGION_IEC,    /* residual current trips are not reclosed automatically */
	REGION_UL2231, /* CCID trip: retry after 15 min, 3 times */
};

struct profile {
	const char *name;	    /* settings value: "io7" */
	const char *vendor;	    /* BootNotification chargePointVendor */
	const char *model;	    /* BootNotification chargePointModel */
	int connectors;		    /* 1..PROFILE_MAX_CONNECTORS */
	const char *connector_type; /* "Type 2 socket", "SAE J1772 tethered" */
	bool tethered;		    /* fixed cable: no PP reading, no socket lock */
	double cable_rating_a;	    /* tethered cable rating */
	double hw_max_a;	    /* per-connector hardware rating */
	bool dip_switch;	    /* hardware max set by DIP switches (A7) */
	int max_local_cards;	    /* local card list capacity (B2) */
	enum led_scheme leds;
	enum region_rule region;
	const char *serial_prefix; /* default serial = prefix + "000001" */
	/* Default password of the web accounts (installer, user, maintain):
	 * usable only to log in and choose a new one (G2). */
	const char *web_password;
};

#define PROFILE_MAX_CONNECTORS 4

/* The row for a profile id. Never NULL for a valid id. */
const struct profile *profile_get(enum profile_id id);

/* Look a profile up by name; returns false if unknown. */
bool profile_find(const char *name, enum profile_id *out);

/* "io7|mq200|evplus", for messages. */
const char *profile_names(void);

/* MQ200 DIP switch table (A7): sw = SW1<<2 | SW2<<1 | SW3 (1 = ON).
 * Returns the hardware maximum current in A, or 0 for "all off" (factory
 * reset request). */
double profile_dip_current(unsigned sw);

#endif
