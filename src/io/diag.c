/* SPDX-License-Identifier: MIT */
/*
 * The diagnostics archive (diag.h): the entries go to files in a private
 * directory beside the archive, and evsed-xfer (libarchive) writes the
 * tar.gz from them; the log window is read line by line.
 */
#include "diag.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transfer.h"

#define PATH_MAX_DIAG 1024

#include "../core/settings.h"

void diag_text_put(struct text *t, const char *s, size_t n)
{
	text_put(t, DIAG_MAX_BYTES, s, n);
}

void diag_text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(t, DIAG_MAX_BYTES, fmt, ap);
	va_end(ap);
}

char *diag_log_window(const char *const *paths, int n, int64_t start_utc, int64_t stop_utc,
		      size_t *len)
{
	struct text t = {0};
	diag_text_put(&t, "", 0);
	char line[2048];
	for (int i = 0; i < n && !t.bad; i++) {
		FILE *f = fopen(paths[i], "r");
		if (!f)
			continue;
		bool keep = false;
		while (fgets(line, sizeof line, f)) {
			/* "2026-01-01T00:00:00Z evsed: ..." */
			char ts[32];
			const char *sp = strchr(line, ' ');
			int64_t utc;
			if (sp && (size_t)(sp - line) < sizeof ts) {
				memcpy(ts, line, (size_t)(sp - line));
				ts[sp - line] = '\0';
				if (settings_parse_utc(ts, &utc))
					keep = (!start_utc || utc >= start_utc) &&
					       (!stop_utc || utc <= stop_utc);
			}
			if (keep)
				diag_text_put(&t, line, strlen(line));
		}
		fclose(f);
	}
	if (t.bad) {
		free(t.p);
		return NULL;
	}
	*len = t.len;
	return t.p;
}

static bool put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = (len == 0 || fwrite(data, 1, len, f) == len);
	return fclose(f) == 0 && ok;
}

bool diag_archive_write(const char *path, const struct diag_entry *e, int n, int64_t utc, char *err,
			size_t errlen)
{
	char dir[PATH_MAX_DIAG];
	if ((size_t)snprintf(dir, sizeof dir, "%s.d-XXXXXX", path) >= sizeof dir) {
		snprintf(err, errlen, "%s: path too long", path);
		return false;
	}
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return false;
	}
	json_t *req = json_pack("{s:s, s:s, s:I, s:[]}", "op", "archive", "path", path, "utc",
				(json_int_t)utc, "entries");
	json_t *list = json_object_get(req, "entries");
	bool ok = req != NULL;
	int made = 0;
	for (int i = 0; ok && i < n; i++) {
		char file[PATH_MAX_DIAG + 16];
		snprintf(file, sizeof file, "%s/%d", dir, i);
		ok = put_file(file, e[i].data, e[i].len) &&
		     json_array_append_new(
			 list, json_pack("{s:s, s:s}", "name", e[i].name, "file", file)) == 0;
		if (!ok)
			snprintf(err, errlen, "%s: cannot write", file);
		made = i + 1;
	}
	char *text = ok ? json_dumps(req, JSON_COMPACT) : NULL;
	if (ok && !text) {
		snprintf(err, errlen, "out of memory");
		ok = false;
	}
	if (ok) {
		struct xfer *x = xfer_spawn(text, err, errlen);
		ok = x != NULL;
		if (x)
			xfer_wait(x, &ok, err, errlen);
		xfer_free(x);
	}
	free(text);
	json_decref(req);
	for (int i = 0; i < made; i++) {
		char file[PATH_MAX_DIAG + 16];
		snprintf(file, sizeof file, "%s/%d", dir, i);
		(void)remove(file);
	}
	(void)rmdir(dir);
	if (!ok)
		(void)remove(path);
	return ok;
}
