/* SPDX-License-Identifier: MIT */
/*
 * The diagnostics archive (diag.h): libarchive writes the tar.gz; the log
 * window is read line by line.
 */
#include "diag.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/settings.h"

void diag_text_put(struct diag_text *t, const char *s, size_t n)
{
	if (t->bad)
		return;
	if (t->len + n + 1 > DIAG_MAX_BYTES) {
		t->bad = true;
		return;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 65536;
		while (cap < t->len + n + 1)
			cap *= 2;
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

void diag_text_printf(struct diag_text *t, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n >= 0)
		diag_text_put(t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

char *diag_log_window(const char *const *paths, int n, int64_t start_utc, int64_t stop_utc,
		      size_t *len)
{
	struct diag_text t = {0};
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

bool diag_archive_write(const char *path, const struct diag_entry *e, int n, int64_t utc, char *err,
			size_t errlen)
{
	struct archive *a = archive_write_new();
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	bool ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
		  archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
		  archive_write_open_filename(a, path) == ARCHIVE_OK;
	for (int i = 0; ok && i < n; i++) {
		struct archive_entry *en = archive_entry_new();
		if (!en) {
			ok = false;
			break;
		}
		archive_entry_set_pathname(en, e[i].name);
		archive_entry_set_size(en, (la_int64_t)e[i].len);
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0640);
		archive_entry_set_mtime(en, (time_t)utc, 0);
		ok = archive_write_header(a, en) == ARCHIVE_OK &&
		     (e[i].len == 0 ||
		      archive_write_data(a, e[i].data, e[i].len) == (la_ssize_t)e[i].len);
		archive_entry_free(en);
	}
	if (!ok)
		snprintf(err, errlen, "%s: %s", path,
			 archive_error_string(a) ? archive_error_string(a) : "cannot write");
	if (archive_write_close(a) != ARCHIVE_OK && ok) {
		snprintf(err, errlen, "%s: %s", path,
			 archive_error_string(a) ? archive_error_string(a) : "cannot write");
		ok = false;
	}
	archive_write_free(a);
	if (!ok)
		(void)remove(path);
	return ok;
}
