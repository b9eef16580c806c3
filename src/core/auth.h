/* SPDX-License-Identifier: MIT */
/*
 * The local card list (B2): id tags an installer has allowed on this charger
 * without a CSMS (EVPLUS "Write card x", io7 "Local Authorisation"). Bounded
 * by the product's capacity. Id tags compare case-insensitively, as OCPP
 * IdToken (CiString20) does. The store persists it; this is the in-memory
 * copy the decision reads.
 */
#ifndef EVSED_AUTH_H
#define EVSED_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define AUTH_ID_MAX 20

enum auth_err {
	AUTH_OK = 0,
	AUTH_E_INVALID, /* not a valid id tag */
	AUTH_E_EXISTS,	/* already in the list */
	AUTH_E_FULL,	/* the product's capacity is reached */
	AUTH_E_NOMEM,
};

struct auth_list;

/* An empty list holding at most capacity cards. NULL on allocation failure. */
struct auth_list *auth_list_new(int capacity);
void auth_list_free(struct auth_list *l);

/* Check an id tag: 1..20 printable ASCII characters, no spaces. */
bool auth_id_valid(const char *id, char *err, size_t errlen);

enum auth_err auth_list_add(struct auth_list *l, const char *id)
    __attribute__((warn_unused_result));
bool auth_list_remove(struct auth_list *l, const char *id);
/* Put id in place of the i-th card (0-based; i == count appends), keeping
 * the others' order (EVPLUS "Write card x"). */
enum auth_err auth_list_put_at(struct auth_list *l, int i, const char *id)
    __attribute__((warn_unused_result));
bool auth_list_has(const struct auth_list *l, const char *id);
int auth_list_count(const struct auth_list *l);
int auth_list_capacity(const struct auth_list *l);
/* The i-th id (insertion order); owned by the list. */
const char *auth_list_at(const struct auth_list *l, int i);

/* Message for an error code. */
const char *auth_err_text(enum auth_err e);

#endif
