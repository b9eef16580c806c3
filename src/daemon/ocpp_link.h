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
/* C12: close the connection shortly (the answer that asked for it goes out
 * first) and connect again with the security profile, password and
 * certificates as they are now (the transport is rebuilt). */
void evsed_link_renew(struct evsed *d);
/* Do the settings as they are now give what SecurityProfile needs (a
 * password, a charge point certificate)? For the installer's changes;
 * false with why. true without a CSMS. */
bool evsed_ocpp_profile_ok(struct evsed *d, char *why, size_t len);
/* The "ocpp" object of status --json. */
json_t *evsed_ocpp_status(const struct evsed *d);

#endif
