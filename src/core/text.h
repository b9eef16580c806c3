/* SPDX-License-Identifier: MIT */
/*
 * A text growing by appends in memory, up to a cap the caller gives with
 * each append (the diagnostics archive's entries, the CSV exports): past the
 * cap or out of memory it turns bad and stops growing, so that a caller
 * checks once at the end. Start with {0}; free(t.p).
 */
#ifndef EVSED_TEXT_H
#define EVSED_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct text {
	char *p; /* NUL-terminated, owned; NULL while empty */
	size_t len, cap;
	bool bad; /* past the cap or out of memory: incomplete */
};

/* Append n bytes of s; the text with its NUL stays within max bytes. */
void text_put(struct text *t, size_t max, const char *s, size_t n);
/* One formatted piece (at most 1023 bytes; longer is cut). */
void text_printf(struct text *t, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void text_vprintf(struct text *t, size_t max, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
