/* SPDX-License-Identifier: MIT */
/*
 * evsed-xfer: the one program of evsed that links libcurl and libarchive.
 * evsed starts it for each file transfer and for each diagnostics archive
 * (src/io/transfer.c, src/io/diag.c), so that the charge point controller
 * itself does not carry these libraries and theirs (Kerberos, LDAP, GnuTLS,
 * ICU, libxml2...: 6 MB of resident memory when mapped into evsed), and a
 * fault in a transfer cannot stop charging.
 *
 * The request is one JSON object on stdin (at most XFER_REQ_MAX bytes; it
 * may carry credentials in the URL, which is why it is not on the command
 * line); the answer is one JSON line on stdout: {"ok":true} or
 * {"ok":false,"why":"..."}. SIGTERM aborts a transfer cleanly (the partial
 * download stays for a resume).
 *
 *   {"op":"download","url":..,"path":..,"max_bytes":..,"connect_timeout":..,
 *    "stall_timeout":..,"total_timeout":..,"ca_file":..}
 *   {"op":"upload", same keys but max_bytes}
 *   {"op":"archive","path":OUT,"utc":..,"entries":[{"name":..,"file":..}]}
 */
#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/transfer.h"

static volatile sig_atomic_t aborted;

static void on_term(int sig)
{
	(void)sig;
	aborted = 1;
}

struct job {
	const char *url, *path, *ca;
	int64_t max_bytes;
	long connect_s, stall_s, total_s;
	int64_t written; /* download: bytes in the file */
	bool too_big;
	FILE *f;
};

static size_t on_write(char *buf, size_t size, size_t n, void *user)
{
	struct job *x = user;
	size_t len = size * n;
	if (x->written + (int64_t)len > x->max_bytes) {
		x->too_big = true;
		return 0; /* makes libcurl fail with CURLE_WRITE_ERROR */
	}
	if (fwrite(buf, 1, len, x->f) != len)
		return 0;
	x->written += (int64_t)len;
	return len;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)user;
	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return aborted ? 1 : 0;
}

static CURL *easy(struct job *x)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,ftps");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp,ftps");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, x->connect_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, x->total_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, x->stall_s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	/* ftps:// and ftp:// with TLS when the server offers it. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (x->ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, x->ca);
	return c;
}

/* Resume from the file's size if it has bytes; a server that cannot resume
 * gets one more go from the start. */
static bool download(struct job *x, char *why, size_t whylen)
{
	for (int pass = 0; pass < 2; pass++) {
		struct stat sb;
		int64_t have = stat(x->path, &sb) == 0 ? (int64_t)sb.st_size : 0;
		if (have > x->max_bytes)
			have = 0;
		x->f = fopen(x->path, have > 0 ? "ab" : "wb");
		if (!x->f) {
			snprintf(why, whylen, "%s: %s", x->path, strerror(errno));
			return false;
		}
		x->written = have;
		x->too_big = false;
		CURL *c = easy(x);
		if (!c) {
			fclose(x->f);
			snprintf(why, whylen, "libcurl: out of memory");
			return false;
		}
		char errbuf[CURL_ERROR_SIZE] = "";
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_bytes);
		if (have > 0)
			curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)have);
		CURLcode rc = curl_easy_perform(c);
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(c);
		bool flushed = fclose(x->f) == 0;
		x->f = NULL;
		if (rc == CURLE_OK && flushed)
			return true;
		/* 416: the file we hold is already whole, or not the server's. */
		bool cannot_resume =
		    have > 0 && (rc == CURLE_RANGE_ERROR || rc == CURLE_BAD_DOWNLOAD_RESUME ||
				 (rc == CURLE_HTTP_RETURNED_ERROR && code == 416));
		if (cannot_resume && pass == 0 && !aborted) {
			(void)remove(x->path);
			continue;
		}
		bool big = x->too_big || rc == CURLE_FILESIZE_EXCEEDED;
		if (big)
			snprintf(why, whylen, "larger than %lld bytes", (long long)x->max_bytes);
		else if (!flushed)
			snprintf(why, whylen, "%s: cannot write", x->path);
		else
			snprintf(why, whylen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		/* An oversized file cannot be resumed into anything useful. */
		if (big)
			(void)remove(x->path);
		return false;
	}
	return false;
}

/* An http(s) server that does not take PUT (405 Method Not Allowed, 501
 * Not Implemented) gets the file as a multipart/form-data POST, field
 * "file", under its name. */
static CURLcode post_form(struct job *x, char *errbuf)
{
	CURL *c = easy(x);
	if (!c)
		return CURLE_OUT_OF_MEMORY;
	curl_mime *mime = curl_mime_init(c);
	curl_mimepart *part = mime ? curl_mime_addpart(mime) : NULL;
	const char *base = strrchr(x->url, '/');
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	if (part && curl_mime_name(part, "file") == CURLE_OK &&
	    curl_mime_filedata(part, x->path) == CURLE_OK &&
	    curl_mime_filename(part, base && base[1] ? base + 1 : "upload") == CURLE_OK) {
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
		rc = curl_easy_perform(c);
	}
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	return rc;
}

static bool upload(struct job *x, char *why, size_t whylen)
{
	x->f = fopen(x->path, "rb");
	struct stat sb;
	if (!x->f || fstat(fileno(x->f), &sb) != 0) {
		snprintf(why, whylen, "%s: %s", x->path, strerror(errno));
		if (x->f)
			fclose(x->f);
		return false;
	}
	CURL *c = easy(x);
	if (!c) {
		fclose(x->f);
		snprintf(why, whylen, "libcurl: out of memory");
		return false;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L); /* ftp: STOR, http: PUT */
	/* ftp: the directories of the location are made if missing. */
	curl_easy_setopt(c, CURLOPT_FTP_CREATE_MISSING_DIRS, (long)CURLFTP_CREATE_DIR);
	curl_easy_setopt(c, CURLOPT_READDATA, x->f);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)sb.st_size);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	fclose(x->f);
	x->f = NULL;
	bool http = strncasecmp(x->url, "http", 4) == 0;
	if (rc == CURLE_HTTP_RETURNED_ERROR && http && (code == 405 || code == 501) && !aborted) {
		errbuf[0] = '\0';
		rc = post_form(x, errbuf);
	}
	if (rc == CURLE_OK)
		return true;
	snprintf(why, whylen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return false;
}

/* Copy a file into the archive as the current entry's data. */
static bool copy_in(struct archive *a, FILE *f)
{
	char buf[16384];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (archive_write_data(a, buf, n) != (la_ssize_t)n)
			return false;
	return !ferror(f);
}

/* A gzip-compressed tar of the entries' files, mode 0640, mtime utc. */
static bool archive(const char *path, json_t *entries, int64_t utc, char *why, size_t whylen)
{
	struct archive *a = archive_write_new();
	if (!a) {
		snprintf(why, whylen, "out of memory");
		return false;
	}
	bool ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
		  archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
		  archive_write_open_filename(a, path) == ARCHIVE_OK;
	const char *failed = NULL;
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e)
	{
		if (!ok)
			break;
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *file = json_string_value(json_object_get(e, "file"));
		FILE *f = file ? fopen(file, "rb") : NULL;
		struct stat sb;
		if (!name || !f || fstat(fileno(f), &sb) != 0) {
			snprintf(why, whylen, "%s: %s", file ? file : "entry",
				 f ? strerror(errno) : "cannot open");
			failed = why;
			if (f)
				fclose(f);
			ok = false;
			break;
		}
		struct archive_entry *en = archive_entry_new();
		if (!en) {
			fclose(f);
			ok = false;
			break;
		}
		archive_entry_set_pathname(en, name);
		archive_entry_set_size(en, (la_int64_t)sb.st_size);
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0640);
		archive_entry_set_mtime(en, (time_t)utc, 0);
		ok = archive_write_header(a, en) == ARCHIVE_OK && copy_in(a, f);
		archive_entry_free(en);
		fclose(f);
	}
	if (!ok && !failed)
		snprintf(why, whylen, "%s: %s", path,
			 archive_error_string(a) ? archive_error_string(a) : "cannot write");
	if (archive_write_close(a) != ARCHIVE_OK && ok) {
		snprintf(why, whylen, "%s: %s", path,
			 archive_error_string(a) ? archive_error_string(a) : "cannot write");
		ok = false;
	}
	archive_write_free(a);
	if (!ok)
		(void)remove(path);
	return ok;
}

static long seconds(json_t *req, const char *key, long dflt)
{
	json_t *v = json_object_get(req, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (long)json_integer_value(v) : dflt;
}

static int answer(bool ok, const char *why)
{
	json_t *o = json_pack("{s:b}", "ok", ok);
	if (o && !ok)
		json_object_set_new(o, "why", json_string(why && why[0] ? why : "failed"));
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!s)
		return 1;
	printf("%s\n", s);
	free(s);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: evsed-xfer < request.json (started by evsed)\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	static char buf[XFER_REQ_MAX + 1];
	size_t n = fread(buf, 1, sizeof buf, stdin);
	if (n > XFER_REQ_MAX)
		return answer(false, "request too large");
	json_error_t jerr;
	json_t *req = json_loadb(buf, n, 0, &jerr);
	const char *op = json_string_value(json_object_get(req, "op"));
	const char *path = json_string_value(json_object_get(req, "path"));
	if (!req || !op || !path) {
		json_decref(req);
		return answer(false, "malformed request");
	}
	char why[512] = "";
	bool ok;
	if (strcmp(op, "archive") == 0) {
		json_t *entries = json_object_get(req, "entries");
		json_t *utc = json_object_get(req, "utc");
		if (!json_is_array(entries) || !json_is_integer(utc)) {
			json_decref(req);
			return answer(false, "malformed request");
		}
		ok = archive(path, entries, json_integer_value(utc), why, sizeof why);
	} else if (strcmp(op, "download") == 0 || strcmp(op, "upload") == 0) {
		struct job x = {
		    .url = json_string_value(json_object_get(req, "url")),
		    .path = path,
		    .ca = json_string_value(json_object_get(req, "ca_file")),
		    .connect_s = seconds(req, "connect_timeout", 30),
		    .stall_s = seconds(req, "stall_timeout", 60),
		    .total_s = seconds(req, "total_timeout", 3600),
		};
		json_t *max = json_object_get(req, "max_bytes");
		x.max_bytes = json_is_integer(max) ? json_integer_value(max) : 0;
		if (!x.url || (op[0] == 'd' && x.max_bytes <= 0)) {
			json_decref(req);
			return answer(false, "malformed request");
		}
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			json_decref(req);
			return answer(false, "libcurl: cannot initialise");
		}
		ok = op[0] == 'd' ? download(&x, why, sizeof why) : upload(&x, why, sizeof why);
		curl_global_cleanup();
	} else {
		json_decref(req);
		return answer(false, "unknown op");
	}
	json_decref(req);
	if (!ok && aborted)
		snprintf(why, sizeof why, "aborted");
	return answer(ok, why);
}
