/* SPDX-License-Identifier: MIT */
/* Group balancing in the daemon (E4 E5 E6): see group_link.c. */
#ifndef EVSED_GROUP_LINK_H
#define EVSED_GROUP_LINK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "evsed.h"

/* The group.* settings together, at start (before anything runs): false
 * with err "<key>: <reason>". */
bool evsed_group_check(const struct settings *set, char *err, size_t errlen);
/* Start the protocol with group.mode on (binds the UDP port). */
bool evsed_group_init(struct evsed *d, char *err, size_t errlen);
/* Refresh this charger's state, run the protocol, apply the offers. */
void evsed_group_tick(struct evsed *d);
int64_t evsed_group_deadline(const struct evsed *d);
void evsed_group_fini(struct evsed *d);

/* evsectl group status / identify [all] / rebuild. */
json_t *evsed_group_status(struct evsed *d);
/* false with err when refused. */
bool evsed_group_identify(struct evsed *d, bool all, char *err, size_t errlen);
bool evsed_group_rebuild(struct evsed *d, char *err, size_t errlen);

#endif
