/* SPDX-License-Identifier: MIT */
/* CSV text of the exports (csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

static void put(struct csv *c, const char *s, size_t n)
{
	text_put(&c->t, CSV_MAX, s, n);
}

void csv_field(struct csv *c, const char *s, bool last)
{
	put(c, "\"", 1);
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		put(c, "'", 1);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		put(c, s, (size_t)(q - s + 1)); /* up to and with the quote */
		put(c, "\"", 1);
	}
	put(c, s, strlen(s));
	put(c, last ? "\"\n" : "\",", 2);
}

char *csv_take(struct csv *c, size_t *len)
{
	char *out = c->t.bad ? NULL : c->t.p;
	*len = out ? c->t.len : 0;
	if (!out)
		free(c->t.p);
	*c = (struct csv){0};
	return out;
}

void csv_free(struct csv *c)
{
	free(c->t.p);
	*c = (struct csv){0};
}
