/* SPDX-License-Identifier: MIT */
/*
 * The product-profile table (P1) and the MQ200 DIP switch table (A7).
 */
#include "profile.h"

#include <string.h>

static const struct profile profiles[PROFILE_COUNT] = {
    [PROFILE_IO7] =
	{
	    .name = "io7",
	    .vendor = "Ratio",
	    .model = "io7",
	    .connectors = 2,
	    .connector_type = "Type 2 socket",
	    .tethered = false,
	    .cable_rating_a = 0,
	    .hw_max_a = 32,
	    .dip_switch = false,
	    .max_local_cards = 1000,
	    .leds = LED_SCHEME_IO7,
	    .region = REGION_IEC,
	    .serial_prefix = "RATIOIO7",
	    /* The guide gives the hotspot's; the login one is on a label. */
	    .web_password = "Ratioio7",
	},
    [PROFILE_MQ200] =
	{
	    .name = "mq200",
	    .vendor = "Blink",
	    .model = "MQ 200",
	    .connectors = 1,
	    .connector_type = "SAE J1772 tethered",
	    .tethered = true,
	    .cable_rating_a = 50,
	    .hw_max_a = 50,
	    .dip_switch = true,
	    .max_local_cards = 100,
	    .leds = LED_SCHEME_MQ200,
	    .region = REGION_UL2231,
	    .serial_prefix = "MQ200-",
	    .web_password = "howru2RU2IC3", /* manual 7.1.2, user admin */
	},
    [PROFILE_EVPLUS] =
	{
	    .name = "evplus",
	    .vendor = "Cabur",
	    .model = "EVPLUS22S",
	    .connectors = 1,
	    .connector_type = "Type 2 socket",
	    .tethered = false,
	    .cable_rating_a = 0,
	    .hw_max_a = 32,
	    .dip_switch = false,
	    .max_local_cards = 3,
	    .leds = LED_SCHEME_EVPLUS,
	    .region = REGION_IEC,
	    .serial_prefix = "EVPLUS",
	    .web_password = "123456", /* manual: the Configuration button's "Verification" */
	},
};

const struct profile *profile_get(enum profile_id id)
{
	if ((unsigned)id >= PROFILE_COUNT)
		return &profiles[PROFILE_IO7];
	return &profiles[id];
}

bool profile_find(const char *name, enum profile_id *out)
{
	for (int i = 0; i < PROFILE_COUNT; i++) {
		if (strcmp(profiles[i].name, name) == 0) {
			*out = (enum profile_id)i;
			return true;
		}
	}
	return false;
}

const char *profile_names(void)
{
	return "io7|mq200|evplus";
}

double profile_dip_current(unsigned sw)
{
	/* MQ200 Table 7: SW1 SW2 SW3 -> A. 000 = factory reset. */
	static const double table[8] = {0, 12, 16, 24, 32, 40, 50, 48};
	return table[sw & 7u];
}
