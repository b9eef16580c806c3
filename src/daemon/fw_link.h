/* SPDX-License-Identifier: MIT */
/*
 * Firmware Management (C10) in the daemon (fw_link.c): the engine's
 * fw_* / diag_upload io on the transfer worker (src/io/transfer.c), the image
 * check, the installer and the diagnostics archive; the persisted firmware
 * update resumed at start. Created with the OCPP engine.
 */
#ifndef EVSED_FW_LINK_H
#define EVSED_FW_LINK_H

#include "evsed.h"

/* Fill the fw_* and diag_upload callbacks of d->oio (before ocpp_new). */
bool evsed_fw_init(struct evsed *d, char *err, size_t errlen);
/* Once the charger runs (from evsed_ocpp_start, before connecting): the
 * installed firmware version and the stored firmware update go to the
 * engine. */
bool evsed_fw_start(struct evsed *d, char *err, size_t errlen);
/* The TLS material of the connection (C12): ca gets the bundle of the
 * installed Central System roots ("" if none), cert / key the charge point
 * certificate's files (one on trial first), *have_cert whether there is
 * one. */
bool evsed_fw_tls(struct evsed *d, char *ca, size_t calen, char *cert, size_t certlen, char *key,
		  size_t keylen, bool *have_cert);
/* The profile a SecurityProfile trial left by the last run came from; -1
 * if none. */
int64_t evsed_fw_profile_trial(struct evsed *d);
/* Is a charge point certificate installed (or on trial)? */
bool evsed_fw_have_cert(struct evsed *d);
/* Abort transfers under way (their temporary files stay for a resume) and
 * free. */
void evsed_fw_fini(struct evsed *d);

#endif
