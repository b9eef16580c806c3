/* SPDX-License-Identifier: MIT */
/*
 * The OCPP engine's place in the daemon (ocpp_link.c): created only when
 * ocpp.url is set.
 */
#ifndef EVSED_OCPP_LINK_H
#define EVSED_OCPP_LINK_H

#include "evsed.h"

/* Create the engine and the transport (not connected yet). true without
 * doing anything when no CSMS is configured. */
bool evsed_ocpp_init(struct evsed *d, char *err, size_t errlen);
/* Start connecting. */
void evsed_ocpp_start(struct evsed *d);
void evsed_ocpp_fini(struct evsed *d);
/* store_recover_with callback: queue the StopTransaction of a session closed
 * by a power loss. */
bool evsed_ocpp_recovered(void *user, const struct chg_session *s);
/* The "ocpp" object of status --json. */
json_t *evsed_ocpp_status(const struct evsed *d);

#endif
