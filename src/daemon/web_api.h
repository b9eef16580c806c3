/* SPDX-License-Identifier: MIT */
/*
 * The REST API of the web UI (G1 G2 G3 G6 G7, docs/openapi.yaml): accounts
 * and sessions, role checks, CSRF, and the routes. What a route does is done
 * by the control-socket commands (commands.c) wherever one exists, so the
 * web UI, evsectl and OCPP give the same answers.
 */
#ifndef EVSED_WEB_API_H
#define EVSED_WEB_API_H

#include <stdbool.h>
#include <stddef.h>

struct evsed;
struct web_api;

/* Start the web UI on web.listen (NULL with *off true when it is empty or
 * "off"): the certificate (made in the data directory at first start unless
 * web.cert / web.key are set), the default accounts (created with the
 * profile's default password when missing), the HTTPS vhost. NULL with err
 * on failure. url receives "https://127.0.0.1:8443/". */
struct web_api *web_api_new(struct evsed *d, bool *off, char *url, size_t urllen, char *err,
			    size_t errlen);
/* After lws_context_destroy: the context's connections call into a until
 * then (and the context takes the pending reboot timer with it). */
void web_api_free(struct web_api *a);

#endif
