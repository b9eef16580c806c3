/* SPDX-License-Identifier: MIT */
/*
 * Transfers with libcurl on a worker thread (transfer.h). The thread owns the
 * easy handle and the file; the loop sees only the done flag and the result,
 * under a mutex. An abort request is read by the progress callback, which
 * makes libcurl stop.
 */
#include "transfer.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct xfer {
	struct xfer_req r;
	char *url, *path, *ca;
	pthread_t thread;
	pthread_mutex_t mu;
	bool done, ok;
	char why[256];
	atomic_bool abort;
	int64_t written; /* download: bytes in the file */
	bool too_big;
	FILE *f;
};

bool xfer_supported(const char *url)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://", "ftps://"};
	for (size_t i = 0; url && i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

bool xfer_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void xfer_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t on_write(char *buf, size_t size, size_t n, void *user)
{
	struct xfer *x = user;
	size_t len = size * n;
	if (x->written + (int64_t)len > x->r.max_bytes) {
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
	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	struct xfer *x = user;
	return atomic_load(&x->abort) ? 1 : 0;
}

static void finish(struct xfer *x, bool ok, const char *why)
{
	pthread_mutex_lock(&x->mu);
	x->ok = ok;
	snprintf(x->why, sizeof x->why, "%s", why ? why : "");
	x->done = true;
	pthread_mutex_unlock(&x->mu);
}

static CURL *easy(struct xfer *x)
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
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)x->r.connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)x->r.total_timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)x->r.stall_timeout_s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	/* ftps:// and ftp:// with TLS when the server offers it. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (x->ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, x->ca);
	return c;
}

/* One download try: resume from the file's size if it has bytes; a server
 * that cannot resume gets one more go from the start. */
static void download(struct xfer *x)
{
	char why[256];
	for (int pass = 0; pass < 2; pass++) {
		struct stat sb;
		int64_t have = stat(x->path, &sb) == 0 ? (int64_t)sb.st_size : 0;
		if (have > x->r.max_bytes)
			have = 0;
		x->f = fopen(x->path, have > 0 ? "ab" : "wb");
		if (!x->f) {
			snprintf(why, sizeof why, "%s: %s", x->path, strerror(errno));
			finish(x, false, why);
			return;
		}
		x->written = have;
		x->too_big = false;
		CURL *c = easy(x);
		if (!c) {
			fclose(x->f);
			finish(x, false, "libcurl: out of memory");
			return;
		}
		char errbuf[CURL_ERROR_SIZE] = "";
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->r.max_bytes);
		if (have > 0)
			curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)have);
		CURLcode rc = curl_easy_perform(c);
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(c);
		bool flushed = fclose(x->f) == 0;
		x->f = NULL;
		if (rc == CURLE_OK && flushed) {
			finish(x, true, NULL);
			return;
		}
		/* 416: the file we hold is already whole, or not the server's. */
		bool cannot_resume =
		    have > 0 && (rc == CURLE_RANGE_ERROR || rc == CURLE_BAD_DOWNLOAD_RESUME ||
				 (rc == CURLE_HTTP_RETURNED_ERROR && code == 416));
		if (cannot_resume && pass == 0 && !atomic_load(&x->abort)) {
			(void)remove(x->path);
			continue;
		}
		if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			snprintf(why, sizeof why, "larger than %lld bytes",
				 (long long)x->r.max_bytes);
		else if (!flushed)
			snprintf(why, sizeof why, "%s: cannot write", x->path);
		else
			snprintf(why, sizeof why, "%s",
				 errbuf[0] ? errbuf : curl_easy_strerror(rc));
		/* An oversized file cannot be resumed into anything useful. */
		if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			(void)remove(x->path);
		finish(x, false, why);
		return;
	}
}

/* An http(s) server that does not take PUT (405 Method Not Allowed, 501
 * Not Implemented) gets the file as a multipart/form-data POST, field
 * "file", under its name. */
static CURLcode post_form(struct xfer *x, char *errbuf)
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

static void upload(struct xfer *x)
{
	char why[256];
	x->f = fopen(x->path, "rb");
	struct stat sb;
	if (!x->f || fstat(fileno(x->f), &sb) != 0) {
		snprintf(why, sizeof why, "%s: %s", x->path, strerror(errno));
		if (x->f)
			fclose(x->f);
		finish(x, false, why);
		return;
	}
	CURL *c = easy(x);
	if (!c) {
		fclose(x->f);
		finish(x, false, "libcurl: out of memory");
		return;
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
	if (rc == CURLE_HTTP_RETURNED_ERROR && http && (code == 405 || code == 501) &&
	    !atomic_load(&x->abort)) {
		errbuf[0] = '\0';
		rc = post_form(x, errbuf);
	}
	if (rc == CURLE_OK) {
		finish(x, true, NULL);
		return;
	}
	snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	finish(x, false, why);
}

static void *run(void *arg)
{
	struct xfer *x = arg;
	if (x->r.dir == XFER_DOWNLOAD)
		download(x);
	else
		upload(x);
	return NULL;
}

struct xfer *xfer_start(const struct xfer_req *r, char *err, size_t errlen)
{
	if (!xfer_supported(r->url)) {
		snprintf(err, errlen, "unsupported location (http, https, ftp, ftps only)");
		return NULL;
	}
	struct xfer *x = calloc(1, sizeof *x);
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->r = *r;
	x->url = strdup(r->url);
	x->path = strdup(r->path);
	x->ca = r->ca_file ? strdup(r->ca_file) : NULL;
	atomic_init(&x->abort, false);
	if (!x->url || !x->path || (r->ca_file && !x->ca) ||
	    pthread_mutex_init(&x->mu, NULL) != 0) {
		free(x->url);
		free(x->path);
		free(x->ca);
		free(x);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int rc = pthread_create(&x->thread, NULL, run, x);
	if (rc != 0) {
		pthread_mutex_destroy(&x->mu);
		free(x->url);
		free(x->path);
		free(x->ca);
		free(x);
		snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
		return NULL;
	}
	return x;
}

bool xfer_done(struct xfer *x, bool *ok, char *why, size_t whylen)
{
	pthread_mutex_lock(&x->mu);
	bool done = x->done;
	if (done) {
		*ok = x->ok;
		snprintf(why, whylen, "%s", x->why);
	}
	pthread_mutex_unlock(&x->mu);
	return done;
}

void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	atomic_store(&x->abort, true);
	pthread_join(x->thread, NULL);
	pthread_mutex_destroy(&x->mu);
	free(x->url);
	free(x->path);
	free(x->ca);
	free(x);
}
