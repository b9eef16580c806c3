/* SPDX-License-Identifier: MIT */
/* Site load management in the daemon (E2 E3): see site.c. */
#ifndef EVSED_SITE_H
#define EVSED_SITE_H

#include <stdbool.h>

#include "evsed.h"

/* Read the site meter and re-decide the charger's load limit, if a second
 * passed since the last reading (or now_please). */
void evsed_site_update(struct evsed *d, bool now_please);
/* After the event loop woke up: a new Modbus meter reading is acted on at
 * once (not at the next once-a-second update). */
void evsed_site_poll(struct evsed *d);
/* When the next site reading is due (INT64_MAX with lm.mode off). */
int64_t evsed_site_deadline(const struct evsed *d);
/* The site meter now, per phase (A, import positive), and what the
 * charger draws. */
void evsed_site_reading(const struct evsed *d, double site_a[3], double ev_a[3]);
/* The site meter has a reading younger than meter.timeout (sim: always). */
bool evsed_site_fresh(const struct evsed *d);
/* A site meter is configured (meter.site). */
bool evsed_site_meter(const struct evsed *d);
/* The simulated site meter (meter.site = sim, evsectl load). */
bool evsed_site_sim(const struct evsed *d);
/* Parse meter.site and start a Modbus meter's reader (E1); false with err. */
bool evsed_site_start(struct evsed *d, char *err, size_t errlen);
/* Stop the Modbus meter's reader, if any. */
void evsed_site_stop(struct evsed *d);
/* The site meter for status: source, model, last reading and its age,
 * per-phase currents, error count; null without a meter. New reference. */
json_t *evsed_site_meter_json(const struct evsed *d);

#endif
