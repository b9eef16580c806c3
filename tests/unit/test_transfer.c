/* SPDX-License-Identifier: MIT */
/*
 * File transfers through the evsed-xfer child (src/io/transfer.c and
 * src/xfer/evsed_xfer.c): a missing helper is refused at set-up, naming it;
 * an unsupported scheme is refused; a download from a one-shot HTTP server
 * in this test lands in the file; a file over the cap fails and leaves
 * nothing; a refused connection fails with libcurl's reason; a transfer to a
 * server that never answers is aborted by xfer_free, which reaps the child.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/transfer.h"
#include "vclock.h"

static char dir[] = "/tmp/evsed-xfer-XXXXXX";
static char file[600];

static int setup(void **state)
{
	(void)state;
	char err[300];
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/f", dir);
	if (!xfer_global_init(EVSED_XFER_PATH, err, sizeof err))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(file);
	rmdir(dir);
	return 0;
}

/* A listening socket on a free loopback port. */
static int listener(int *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(s, 4), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return s;
}

struct server {
	int s;
	const char *body;
};

/* Answer one request with the body, then close. */
static void *serve_once(void *arg)
{
	struct server *sv = arg;
	int c = accept(sv->s, NULL, NULL);
	if (c < 0)
		return NULL;
	char req[2048];
	size_t have = 0;
	while (have < sizeof req - 1) {
		ssize_t n = read(c, req + have, sizeof req - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		req[have] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	char head[200];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 strlen(sv->body));
	if (write(c, head, (size_t)n) == n && write(c, sv->body, strlen(sv->body)) < 0)
		perror("write");
	close(c);
	return NULL;
}

static struct xfer *download(int port, int64_t max, char *err, size_t errlen)
{
	char url[100];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/fw.bin", port);
	struct xfer_req r = {.dir = XFER_DOWNLOAD,
			     .url = url,
			     .path = file,
			     .max_bytes = max,
			     .connect_timeout_s = 5,
			     .stall_timeout_s = 30,
			     .total_timeout_s = 60};
	return xfer_start(&r, err, errlen);
}

static void helper_missing_is_named(void **state)
{
	(void)state;
	char err[300];
	assert_false(xfer_global_init("/nonexistent/evsed-xfer", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/evsed-xfer"));
	char e2[300];
	struct xfer_req r = {
	    .dir = XFER_DOWNLOAD, .url = "http://127.0.0.1:1/x", .path = file, .max_bytes = 10};
	assert_null(xfer_start(&r, e2, sizeof e2)); /* nothing to start now */
	assert_true(xfer_global_init(EVSED_XFER_PATH, err, sizeof err));
}

static void unsupported_scheme(void **state)
{
	(void)state;
	char err[300];
	struct xfer_req r = {
	    .dir = XFER_DOWNLOAD, .url = "file:///etc/passwd", .path = file, .max_bytes = 10};
	assert_null(xfer_start(&r, err, sizeof err));
	assert_non_null(strstr(err, "unsupported"));
}

static void download_lands_in_the_file(void **state)
{
	(void)state;
	int port;
	struct server sv = {listener(&port), "firmware image\n"};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, serve_once, &sv), 0);
	char err[300], why[300];
	struct xfer *x = download(port, 1000, err, sizeof err);
	assert_non_null(x);
	bool ok = false;
	xfer_wait(x, &ok, why, sizeof why);
	xfer_free(x);
	pthread_join(t, NULL);
	close(sv.s);
	if (!ok)
		fail_msg("download failed: %s", why);
	FILE *f = fopen(file, "rb");
	assert_non_null(f);
	char got[100] = "";
	size_t n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	got[n] = '\0';
	assert_string_equal(got, "firmware image\n");
}

static void over_the_cap_leaves_nothing(void **state)
{
	(void)state;
	int port;
	struct server sv = {listener(&port), "0123456789abcdef"};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, serve_once, &sv), 0);
	char err[300], why[300];
	struct xfer *x = download(port, 8, err, sizeof err);
	assert_non_null(x);
	bool ok = true;
	xfer_wait(x, &ok, why, sizeof why);
	xfer_free(x);
	pthread_join(t, NULL);
	close(sv.s);
	assert_false(ok);
	assert_non_null(strstr(why, "larger than 8 bytes"));
	assert_int_not_equal(access(file, F_OK), 0);
}

static void refused_connection_fails_with_the_reason(void **state)
{
	(void)state;
	int port;
	int s = listener(&port);
	close(s); /* nobody listens there now */
	char err[300], why[300];
	struct xfer *x = download(port, 1000, err, sizeof err);
	assert_non_null(x);
	bool ok = true;
	xfer_wait(x, &ok, why, sizeof why);
	xfer_free(x);
	assert_false(ok);
	assert_true(why[0] != '\0');
}

static void free_aborts_a_stalled_transfer(void **state)
{
	(void)state;
	int port;
	int s = listener(&port); /* accepts (in the backlog), never answers */
	char err[300], why[300];
	struct xfer *x = download(port, 1000, err, sizeof err);
	assert_non_null(x);
	bool ok;
	assert_false(xfer_done(x, &ok, why, sizeof why));
	xfer_free(x);
	close(s);
	/* The child was reaped: no child is left. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(helper_missing_is_named, setup, teardown),
    cmocka_unit_test_setup_teardown(unsupported_scheme, setup, teardown),
    cmocka_unit_test_setup_teardown(download_lands_in_the_file, setup, teardown),
    cmocka_unit_test_setup_teardown(over_the_cap_leaves_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(refused_connection_fails_with_the_reason, setup, teardown),
    cmocka_unit_test_setup_teardown(free_aborts_a_stalled_transfer, setup, teardown),
};
/* clang-format on */

VCLOCK_MAIN("transfer", tests)
