/* SPDX-License-Identifier: MIT */
/*
 * The capped log file (logfile.h).
 */
#include "logfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct logfile {
	FILE *f;
	char path[512], old[520];
	long size;
};

struct logfile *logfile_open(const char *dir)
{
	struct logfile *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if ((size_t)snprintf(l->path, sizeof l->path, "%s/evsed.log", dir) >= sizeof l->path) {
		free(l);
		return NULL;
	}
	snprintf(l->old, sizeof l->old, "%s.1", l->path);
	l->f = fopen(l->path, "ae");
	if (!l->f) {
		free(l);
		return NULL;
	}
	struct stat sb;
	l->size = fstat(fileno(l->f), &sb) == 0 ? (long)sb.st_size : 0;
	return l;
}

void logfile_write(struct logfile *l, const char *line, size_t len)
{
	if (!l || !l->f)
		return;
	if (l->size + (long)len + 1 > LOGFILE_MAX) {
		fclose(l->f);
		(void)rename(l->path, l->old);
		l->f = fopen(l->path, "ae");
		l->size = 0;
		if (!l->f)
			return;
	}
	if (fwrite(line, 1, len, l->f) == len && fputc('\n', l->f) != EOF)
		l->size += (long)len + 1;
	fflush(l->f);
}

void logfile_close(struct logfile *l)
{
	if (!l)
		return;
	if (l->f)
		fclose(l->f);
	free(l);
}
