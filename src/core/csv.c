/* SPDX-License-Identifier: MIT */
/* CSV text of the exports (csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

static void put(struct csv *c, const char *s, size_t n)
{
	if (c->failed)
		return;
	if (c->len + n + 1 > c->cap) {
		if (c->len + n + 1 > CSV_MAX) {
			c->failed = true;
			return;
		}
		size_t nc = c->cap ? c->cap * 2 : 4096;
		while (nc < c->len + n + 1)
			nc *= 2;
		if (nc > CSV_MAX)
			nc = CSV_MAX;
		char *p = realloc(c->buf, nc);
		if (!p) {
			c->failed = true;
			return;
		}
		c->buf = p;
		c->cap = nc;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
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
	char *out = c->failed ? NULL : c->buf;
	*len = out ? c->len : 0;
	if (!out)
		free(c->buf);
	*c = (struct csv){0};
	return out;
}

void csv_free(struct csv *c)
{
	free(c->buf);
	*c = (struct csv){0};
}
