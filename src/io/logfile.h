/* SPDX-License-Identifier: MIT */
/*
 * evsed's log file: <data dir>/evsed.log, every line evsed_log writes to
 * stderr (each starts with its UTC time), kept for GetDiagnostics (C10). It
 * is capped: past LOGFILE_MAX bytes it becomes evsed.log.1 (replacing the
 * previous one) and a new evsed.log begins, so at most twice the cap is kept.
 * Not synced: a power cut may lose the last lines.
 */
#ifndef EVSED_LOGFILE_H
#define EVSED_LOGFILE_H

#include <stddef.h>

#define LOGFILE_MAX (1024 * 1024)

struct logfile;

/* Open (append) <dir>/evsed.log; NULL if it cannot be (evsed logs to
 * stderr only then). */
struct logfile *logfile_open(const char *dir);
/* Append one line (a newline is added). */
void logfile_write(struct logfile *l, const char *line, size_t len);
void logfile_close(struct logfile *l);

#endif
