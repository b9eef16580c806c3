/* SPDX-License-Identifier: MIT */
/*
 * CSV text of the exports (G7: charging history, fault report): RFC 4180
 * fields, every one quoted, quotes doubled, and a field starting with
 * = + - @ prefixed with ' so a spreadsheet shows it instead of running it as
 * a formula. The text grows in memory up to a hard cap. It does not parse
 * CSV.
 */
#ifndef EVSED_CSV_H
#define EVSED_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

/* The largest CSV text one export may grow to (the store keeps at most
 * 1,000 faults; a history row is under 300 bytes). */
#define CSV_MAX (4u * 1024u * 1024u)

struct csv {
	struct text t; /* bad: out of memory or past CSV_MAX, incomplete */
};

/* Append one field, then ',' or, for the last field of a line, '\n'. */
void csv_field(struct csv *c, const char *s, bool last);

/* Take the text (the caller frees it) and reset c; NULL if it failed (the
 * partial text is freed) or is empty. */
char *csv_take(struct csv *c, size_t *len);

/* Free the text of c (after a failure or instead of taking it). */
void csv_free(struct csv *c);

#endif
