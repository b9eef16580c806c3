/* SPDX-License-Identifier: MIT */
/*
 * File transfers for Firmware Management (C10): one download or upload over
 * http(s):// or ftp:// with libcurl, on a worker thread of its own so that
 * the event loop never waits for the network. The loop starts a transfer
 * and polls for its end (xfer_done), then frees it. A download writes into a
 * file, resuming it where an earlier try stopped when the server allows
 * (HTTP Range, FTP REST), else from the start; it is capped in size. An
 * upload sends a file (ftp:// STOR, http(s):// PUT, or a multipart/form-data
 * POST, field "file", when the server answers PUT with 405 or 501).
 *
 * Not here: retries (the caller's), other schemes (refused).
 */
#ifndef EVSED_TRANSFER_H
#define EVSED_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xfer_dir { XFER_DOWNLOAD, XFER_UPLOAD };

struct xfer_req {
	enum xfer_dir dir;
	const char *url;       /* http://, https://, ftp:// or ftps:// (copied) */
	const char *path;      /* the local file (copied) */
	int64_t max_bytes;     /* a download larger than this fails */
	int connect_timeout_s; /* to connect */
	int stall_timeout_s;   /* less than 1 byte/s for this long fails */
	int total_timeout_s;   /* the whole transfer */
	const char *ca_file;   /* https / ftps: CA bundle; NULL: the system's */
};

struct xfer;

/* Start a transfer on its own thread. NULL with err if the URL's scheme is
 * not supported or the thread cannot start. */
struct xfer *xfer_start(const struct xfer_req *r, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* true once the transfer ended; *ok and why (the failure, for the log) are
 * then set. Never blocks. */
bool xfer_done(struct xfer *x, bool *ok, char *why, size_t whylen);
/* Abort a transfer still running (at its next progress callback), wait for
 * the thread and free. NULL is fine. */
void xfer_free(struct xfer *x);
/* true if url's scheme is one xfer_start takes. */
bool xfer_supported(const char *url);

/* libcurl's global init / cleanup, once per process (before any thread). */
bool xfer_global_init(void);
void xfer_global_cleanup(void);

#endif
