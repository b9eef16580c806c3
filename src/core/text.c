/* SPDX-License-Identifier: MIT */
/* A capped growing text (text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_put(struct text *t, size_t max, const char *s, size_t n)
{
	if (t->bad)
		return;
	if (t->len + n + 1 > max) {
		t->bad = true;
		return;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		while (cap < t->len + n + 1)
			cap *= 2;
		if (cap > max)
			cap = max;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->bad = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void text_vprintf(struct text *t, size_t max, const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0) {
		t->bad = true;
		return;
	}
	text_put(t, max, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void text_printf(struct text *t, size_t max, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(t, max, fmt, ap);
	va_end(ap);
}
