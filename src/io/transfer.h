/* SPDX-License-Identifier: MIT */
/*
 * File transfers for Firmware Management (C10): one download or upload over
 * http(s):// or ftp(s):// with libcurl, in a child process, evsed-xfer
 * (src/xfer/evsed_xfer.c), so that the event loop never waits for the
 * network and evsed itself does not map libcurl and its dependencies. The
 * loop starts a transfer and polls for its end (xfer_done), then frees it. A
 * download writes into a file, resuming it where an earlier try stopped when
 * the server allows (HTTP Range, FTP REST), else from the start; it is capped
 * in size. An upload sends a file (ftp:// STOR, http(s):// PUT, or a
 * multipart/form-data POST, field "file", when the server answers PUT with
 * 405 or 501). The request, which may hold credentials in its URL, goes to
 * the child on a pipe, never on its command line.
 *
 * Not here: retries (the caller's), other schemes (refused).
 */
#ifndef EVSED_TRANSFER_H
#define EVSED_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest request evsed-xfer reads. */
#define XFER_REQ_MAX 16384

enum xfer_dir { XFER_DOWNLOAD, XFER_UPLOAD };

struct xfer_req {
	enum xfer_dir dir;
	const char *url;       /* http://, https://, ftp:// or ftps:// */
	const char *path;      /* the local file */
	int64_t max_bytes;     /* a download larger than this fails */
	int connect_timeout_s; /* to connect */
	int stall_timeout_s;   /* less than 1 byte/s for this long fails */
	int total_timeout_s;   /* the whole transfer */
	const char *ca_file;   /* https / ftps: CA bundle; NULL: the system's */
};

struct xfer;

/* Find evsed-xfer: helper if not NULL, else $EVSED_XFER, else next to the
 * running program. false with err if it is not an executable file. Once per
 * process, before any transfer. */
bool xfer_global_init(const char *helper, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Start a transfer. NULL with err if the URL's scheme is not supported or
 * the child cannot start. */
struct xfer *xfer_start(const struct xfer_req *r, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Start evsed-xfer with a request (one JSON object, see evsed_xfer.c). */
struct xfer *xfer_spawn(const char *request, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* true once the transfer ended; *ok and why (the failure, for the log) are
 * then set. Never blocks. */
bool xfer_done(struct xfer *x, bool *ok, char *why, size_t whylen);
/* Wait for the end (a short job, e.g. an archive), then as xfer_done. */
void xfer_wait(struct xfer *x, bool *ok, char *why, size_t whylen);
/* Abort a transfer still running (SIGTERM: the child stops at its next
 * progress callback; SIGKILL after 2 s), reap the child and free. NULL is
 * fine. */
void xfer_free(struct xfer *x);
/* true if url's scheme is one xfer_start takes. */
bool xfer_supported(const char *url);

#endif
