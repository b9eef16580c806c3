/* SPDX-License-Identifier: MIT */
/* Local card list: a small ordered array with a hard capacity. */
#include "auth.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct auth_list {
	int count, capacity;
	char (*ids)[AUTH_ID_MAX + 1];
};

struct auth_list *auth_list_new(int capacity)
{
	struct auth_list *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->capacity = capacity > 0 ? capacity : 1;
	l->ids = calloc((size_t)l->capacity, sizeof *l->ids);
	if (!l->ids) {
		free(l);
		return NULL;
	}
	return l;
}

void auth_list_free(struct auth_list *l)
{
	if (!l)
		return;
	free(l->ids);
	free(l);
}

bool auth_id_valid(const char *id, char *err, size_t errlen)
{
	size_t len = strlen(id);
	if (len == 0 || len > AUTH_ID_MAX) {
		snprintf(err, errlen, "an id tag has 1 to %d characters", AUTH_ID_MAX);
		return false;
	}
	for (const char *p = id; *p; p++) {
		if (!isgraph((unsigned char)*p)) {
			snprintf(err, errlen, "an id tag has printable characters and no spaces");
			return false;
		}
	}
	return true;
}

static int find(const struct auth_list *l, const char *id)
{
	for (int i = 0; i < l->count; i++)
		if (strcasecmp(l->ids[i], id) == 0)
			return i;
	return -1;
}

enum auth_err auth_list_add(struct auth_list *l, const char *id)
{
	char err[80];
	if (!auth_id_valid(id, err, sizeof err))
		return AUTH_E_INVALID;
	if (find(l, id) >= 0)
		return AUTH_E_EXISTS;
	if (l->count >= l->capacity)
		return AUTH_E_FULL;
	snprintf(l->ids[l->count++], AUTH_ID_MAX + 1, "%s", id);
	return AUTH_OK;
}

bool auth_list_remove(struct auth_list *l, const char *id)
{
	int i = find(l, id);
	if (i < 0)
		return false;
	memmove(l->ids[i], l->ids[i + 1], (size_t)(l->count - i - 1) * sizeof *l->ids);
	l->count--;
	return true;
}

enum auth_err auth_list_put_at(struct auth_list *l, int i, const char *id)
{
	char err[80];
	if (!auth_id_valid(id, err, sizeof err))
		return AUTH_E_INVALID;
	if (i < 0 || i > l->count)
		return AUTH_E_INVALID;
	int at = find(l, id);
	if (at >= 0 && at != i)
		return AUTH_E_EXISTS;
	if (i == l->count)
		return auth_list_add(l, id);
	snprintf(l->ids[i], AUTH_ID_MAX + 1, "%s", id);
	return AUTH_OK;
}

bool auth_list_has(const struct auth_list *l, const char *id)
{
	return find(l, id) >= 0;
}

int auth_list_count(const struct auth_list *l)
{
	return l->count;
}

int auth_list_capacity(const struct auth_list *l)
{
	return l->capacity;
}

const char *auth_list_at(const struct auth_list *l, int i)
{
	if (i < 0 || i >= l->count)
		return NULL;
	return l->ids[i];
}

const char *auth_err_text(enum auth_err e)
{
	switch (e) {
	case AUTH_OK:
		return "ok";
	case AUTH_E_INVALID:
		return "not a valid id tag (1-20 printable characters, no spaces)";
	case AUTH_E_EXISTS:
		return "already in the card list";
	case AUTH_E_FULL:
		return "the card list is full";
	case AUTH_E_NOMEM:
		return "out of memory";
	}
	return "error";
}
