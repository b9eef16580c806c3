/* SPDX-License-Identifier: MIT */
/*
 * The diagnostics archive of GetDiagnostics (C10): a gzip-compressed tar
 * (libarchive, in evsed-xfer: see transfer.h) of entries the caller gathered
 * (settings, fault history, sessions) and the log lines of a time window.
 */
#ifndef EVSED_DIAG_H
#define EVSED_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/text.h"

/* The archive is refused past this size (the log files are capped). */
#define DIAG_MAX_BYTES (8 * 1024 * 1024)

/* The diagnostics texts (core/text.h) capped at DIAG_MAX_BYTES. */
void diag_text_put(struct text *t, const char *s, size_t n);
void diag_text_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct diag_entry {
	const char *name; /* path inside the archive */
	const char *data;
	size_t len;
};

/* The lines of the log files paths[0..n) (in that order; missing files are
 * skipped) whose leading UTC time is within [start_utc, stop_utc] (0: open
 * end), as one malloc'd text (*len bytes; the caller frees). A line
 * without a time goes with the line before it. NULL on allocation failure
 * or past DIAG_MAX_BYTES. */
char *diag_log_window(const char *const *paths, int n, int64_t start_utc, int64_t stop_utc,
		      size_t *len);

/* Write the archive of e[0..n) to path (replaced), mtime utc: the entries
 * go to a private directory beside path, evsed-xfer archives them (the call
 * waits for it; xfer_global_init first), the directory is removed. false
 * with err. */
bool diag_archive_write(const char *path, const struct diag_entry *e, int n, int64_t utc, char *err,
			size_t errlen) __attribute__((warn_unused_result));

#endif
