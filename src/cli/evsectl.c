/* SPDX-License-Identifier: MIT */
/*
 * evsectl: command-line client of a running evsed over its control socket.
 * It turns the command line into one request line, waits for the answer and
 * prints it for a person (or as JSON with --json). Exit status: 0 done,
 * 1 refused by evsed, 2 usage error, 3 no daemon at the socket.
 */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ANSWER_MAX	  (16 * 1024 * 1024)
#define ANSWER_TIMEOUT_MS 300000

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: evsectl [-s SOCKET] COMMAND [ARGS]   (SOCKET: $EVSED_SOCKET or "
	    "./var/evsed.sock)\n"
	    "  status [--json]                 charger and connectors\n"
	    "  plug N [--max A] [--phases P] [--cable A]   a simulated EV plugs in\n"
	    "  unplug N                        the EV leaves connector N\n"
	    "  ev N charge|pause|full          what the simulated EV does\n"
	    "  swipe UID                       present an RFID card\n"
	    "  fault NAME on|off [N]           raise or clear a simulated fault\n"
	    "  fault reset [N]                 lift fault lock-outs (manual reset)\n"
	    "  faults [--json] [LIMIT]         fault history, newest first\n"
	    "  tilt G DEGREES                  the simulated accelerometer (tilt / bump)\n"
	    "  load A [A A]                    the site's other loads (meter.site = sim; < "
	    "0 = export)\n"
	    "  card add UID | card remove UID | card list [--json]\n"
	    "  card learn N                    the next card presented becomes card N\n"
	    "  history [--json] [LIMIT]        charging history, newest first\n"
	    "  time advance SECONDS            move simulated time (clock = sim)\n"
	    "  config get KEY | config set KEY VALUE [KEY VALUE]... | config list [--json]\n"
	    "                                  several pairs: one transaction, all or nothing\n"
	    "  installer keys [--json]         the installer page's settings (G6)\n"
	    "  installer defaults              put them back to the profile's defaults\n"
	    "  installer calibrate [KEY VALUE]...   save them with the accelerometer's reference\n"
	    "  group status [--json]           the group balancing table (E4-E6)\n"
	    "  group identify [all]            flash this (or every) charger's LEDs for 10 s\n"
	    "  group rebuild                   forget the group's members and rediscover them\n"
	    "  profiles [--json]               the CSMS's charging profiles (C8)\n"
	    "  profiles clear                  clear every charging profile\n");
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "evsectl: %s: socket path too long\n", path);
		return -2;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read one answer line; NULL on error or timeout. */
static char *read_line(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, ANSWER_TIMEOUT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (len + 1 >= cap) {
			if (cap >= ANSWER_MAX)
				break;
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		char *nl = memchr(buf, '\n', len);
		if (nl) {
			*nl = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

static void print_status(json_t *d)
{
	json_t *ch = json_object_get(d, "charger");
	json_t *oc = json_object_get(d, "ocpp");
	printf("%s %s  serial %s  profile %s  limit %.1f A\n", jstr(ch, "vendor"),
	       jstr(ch, "model"), jstr(ch, "serial"), jstr(d, "profile"),
	       json_number_value(json_object_get(ch, "current_limit_a")));
	printf("time %s (clock %s)\n", jstr(d, "time"), jstr(d, "clock"));
	const char *url = jstr(oc, "url");
	if (!url[0] || strcmp(url, "-") == 0)
		printf("CSMS: none (local authorization)\n");
	else
		printf("CSMS: %s %s\n", url,
		       json_is_true(json_object_get(oc, "connected")) ? "connected"
								      : "disconnected");
	json_t *lm = json_object_get(d, "load_management");
	json_t *lim = json_object_get(lm, "limit_a");
	if (json_is_array(lim)) {
		printf("load management %s: charger limit %.1f / %.1f / %.1f A", jstr(lm, "mode"),
		       json_number_value(json_array_get(lim, 0)),
		       json_number_value(json_array_get(lim, 1)),
		       json_number_value(json_array_get(lim, 2)));
		json_t *site = json_object_get(lm, "site_a");
		if (json_is_array(site))
			printf("  site meter %.1f / %.1f / %.1f A",
			       json_number_value(json_array_get(site, 0)),
			       json_number_value(json_array_get(site, 1)),
			       json_number_value(json_array_get(site, 2)));
		printf("\n");
	}
	/* A Modbus site meter (E1): its last reading, or why there is none. */
	json_t *mt = json_object_get(lm, "meter");
	if (json_is_object(mt) && json_is_string(json_object_get(mt, "model"))) {
		json_t *cur = json_object_get(mt, "current_a");
		printf("site meter %s over %s: ", jstr(mt, "model"), jstr(mt, "source"));
		if (json_is_true(json_object_get(mt, "ok")) && json_is_array(cur))
			printf("%.1f / %.1f / %.1f A, %.1f s old",
			       json_number_value(json_array_get(cur, 0)),
			       json_number_value(json_array_get(cur, 1)),
			       json_number_value(json_array_get(cur, 2)),
			       json_number_value(json_object_get(mt, "age_s")));
		else
			printf("no fresh reading (%s)",
			       json_is_string(json_object_get(mt, "last_error"))
				   ? jstr(mt, "last_error")
				   : "none yet");
		printf(", %lld reads, %lld errors%s\n",
		       (long long)json_integer_value(json_object_get(mt, "reads")),
		       (long long)json_integer_value(json_object_get(mt, "errors")),
		       json_is_true(json_object_get(mt, "timeout")) ? ", meter_timeout" : "");
	}
	json_t *pend = json_object_get(d, "pending_authorization");
	if (json_is_string(pend))
		printf("authorized %s: waiting for an EV to plug in\n", json_string_value(pend));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(d, "connectors"), i, c)
	{
		printf("connector %lld: %-13s CP %-3s offered %5.1f A (%s)  power %7.0f W  "
		       "energy %10.1f Wh  led %s",
		       (long long)json_integer_value(json_object_get(c, "id")), jstr(c, "state"),
		       jstr(c, "cp"), json_number_value(json_object_get(c, "offered_a")),
		       jstr(c, "limit_reason"), json_number_value(json_object_get(c, "power_w")),
		       json_number_value(json_object_get(c, "energy_wh")), jstr(c, "led"));
		json_t *tx = json_object_get(c, "transaction_id");
		if (json_is_integer(tx))
			printf("  session %lld (%s, %.1f Wh)", (long long)json_integer_value(tx),
			       jstr(c, "id_tag"),
			       json_number_value(json_object_get(c, "session_energy_wh")));
		const char *disp = json_string_value(json_object_get(c, "display"));
		if (disp && disp[0])
			printf("  display \"%s\"", disp);
		json_t *faults = json_object_get(c, "faults");
		if (json_array_size(faults)) {
			size_t j;
			json_t *f;
			printf("  faults:");
			json_array_foreach(faults, j, f) printf(" %s", json_string_value(f));
		}
		printf("\n");
	}
}

static void print_history(json_t *d)
{
	printf("%-6s %-4s %-20s %-20s %-7s %-11s %12s  %-20s %s\n", "No.", "Conn", "Start", "End",
	       "Start", "Stop", "Energy (Wh)", "Id tag", "Reason");
	size_t i;
	json_t *s;
	json_array_foreach(d, i, s)
	{
		json_t *end = json_object_get(s, "end");
		printf("%-6lld %-4lld %-20s %-20s %-7s %-11s %12.1f  %-20s %s\n",
		       (long long)json_integer_value(json_object_get(s, "number")),
		       (long long)json_integer_value(json_object_get(s, "connector")),
		       jstr(s, "start"), json_is_string(end) ? json_string_value(end) : "(open)",
		       jstr(s, "start_mode"), jstr(s, "stop_mode"),
		       json_number_value(json_object_get(s, "energy_wh")), jstr(s, "id_tag"),
		       jstr(s, "stop_reason"));
	}
}

static void print_config(json_t *d)
{
	if (json_is_array(d)) {
		size_t i;
		json_t *s;
		json_array_foreach(d, i, s)
		{
			json_t *unit = json_object_get(s, "unit");
			printf("%-36s = %s%s%s  (%s)\n", jstr(s, "key"), jstr(s, "value"),
			       unit ? " " : "", unit ? json_string_value(unit) : "",
			       jstr(s, "source"));
		}
		return;
	}
	printf("%s\n", jstr(d, "value"));
}

static void print_faults(json_t *d)
{
	printf("%-6s %-4s %-16s %-20s %s\n", "No.", "Conn", "Fault", "Start", "End");
	size_t i;
	json_t *f;
	json_array_foreach(d, i, f)
	{
		json_t *end = json_object_get(f, "end");
		printf("%-6lld %-4lld %-16s %-20s %s\n",
		       (long long)json_integer_value(json_object_get(f, "number")),
		       (long long)json_integer_value(json_object_get(f, "connector")),
		       jstr(f, "fault"), jstr(f, "start"),
		       json_is_string(end) ? json_string_value(end) : "(active)");
	}
}

static void print_cards(json_t *d)
{
	size_t i;
	json_t *c;
	json_t *cards = json_object_get(d, "cards");
	json_array_foreach(cards, i, c) printf("%s\n", json_string_value(c));
	printf("(%zu of %lld cards)\n", json_array_size(cards),
	       (long long)json_integer_value(json_object_get(d, "capacity")));
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static void print_group(json_t *d)
{
	if (strcmp(jstr(d, "mode"), "off") == 0) {
		printf("group balancing off (group.mode)\n");
		return;
	}
	json_t *m = json_object_get(d, "master");
	printf("group %s  this charger %s (%s, %s)  master %s\n", jstr(d, "id"), jstr(d, "self"),
	       jstr(d, "mode"), jstr(d, "role"), json_is_string(m) ? json_string_value(m) : "none");
	printf("limit %.1f A (%s, %s, offline %s)  fallback %.1f A  offer %s\n", num(d, "limit_a"),
	       jstr(d, "balancing"), jstr(d, "policy"), jstr(d, "offline_strategy"),
	       num(d, "fallback_a"),
	       json_is_true(json_object_get(d, "offer_valid")) ? "valid" : "none (fallback)");
	printf("%-20s %-7s %-7s %-4s %-8s %-6s %9s %9s  %s\n", "charger", "mode", "state", "conn",
	       "phases", "wants", "requested", "offered", "used L1/L2/L3");
	size_t i, j;
	json_t *x, *c;
	json_array_foreach(json_object_get(d, "members"), i, x)
	{
		char name[40];
		snprintf(name, sizeof name, "%s%s%s", jstr(x, "id"),
			 json_is_true(json_object_get(x, "master")) ? "*" : "",
			 json_is_true(json_object_get(x, "self")) ? " (me)" : "");
		const char *state =
		    json_is_true(json_object_get(x, "online")) ? "online" : "offline";
		json_t *cs = json_object_get(x, "connectors");
		if (json_array_size(cs) == 0)
			printf("%-20s %-7s %-7s\n", name, jstr(x, "mode"), state);
		json_array_foreach(cs, j, c)
		{
			char ph[12] = "";
			size_t k;
			json_t *p;
			json_array_foreach(json_object_get(c, "phases"), k, p)
			    snprintf(ph + strlen(ph), sizeof ph - strlen(ph), "%s%s", k ? "," : "",
				     json_string_value(p));
			json_t *off = json_object_get(c, "offered_a");
			char offered[16] = "-";
			if (json_is_number(off))
				snprintf(offered, sizeof offered, "%.1f A", json_number_value(off));
			json_t *u = json_object_get(c, "used_a");
			printf("%-20s %-7s %-7s %-4lld %-8s %-6s %7.1f A %9s  %.1f/%.1f/%.1f A\n",
			       j ? "" : name, j ? "" : jstr(x, "mode"), j ? "" : state,
			       (long long)json_integer_value(json_object_get(c, "id")), ph,
			       json_is_true(json_object_get(c, "wants")) ? "yes" : "no",
			       num(c, "requested_a"), offered,
			       json_number_value(json_array_get(u, 0)),
			       json_number_value(json_array_get(u, 1)),
			       json_number_value(json_array_get(u, 2)));
		}
	}
}

static void print_profiles(json_t *d)
{
	json_t *ps = json_object_get(d, "profiles");
	if (!json_is_true(json_object_get(d, "csms"))) {
		printf("no CSMS configured: no charging profiles\n");
		return;
	}
	if (json_array_size(ps) == 0) {
		printf("no charging profiles installed\n");
		return;
	}
	size_t i, k;
	json_t *p, *q;
	json_array_foreach(ps, i, p)
	{
		json_t *from = json_object_get(p, "valid_from");
		json_t *to = json_object_get(p, "valid_to");
		printf("profile %lld  connector %lld  %s  stack %lld  %s  %s  valid %s - %s\n",
		       (long long)json_integer_value(json_object_get(p, "id")),
		       (long long)json_integer_value(json_object_get(p, "connector")),
		       jstr(p, "purpose"),
		       (long long)json_integer_value(json_object_get(p, "stack_level")),
		       jstr(p, "kind"), jstr(p, "unit"),
		       json_is_string(from) ? json_string_value(from) : "always",
		       json_is_string(to) ? json_string_value(to) : "always");
		json_array_foreach(json_object_get(p, "periods"), k, q) printf(
		    "  from %6llds  %.1f\n",
		    (long long)json_integer_value(json_object_get(q, "start")), num(q, "limit"));
	}
}

int main(int argc, char **argv)
{
	const char *sock = getenv("EVSED_SOCKET");
	if (!sock || !sock[0])
		sock = "./var/evsed.sock";
	int i = 1;
	bool as_json = false;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			as_json = true;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "evsectl: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else
			break;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[i++];
	json_t *args = json_array();
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			as_json = true;
			continue;
		}
		if (strcmp(cmd, "plug") == 0 &&
		    (strcmp(a, "--max") == 0 || strcmp(a, "--phases") == 0 ||
		     strcmp(a, "--cable") == 0)) {
			if (i + 1 >= argc) {
				fprintf(stderr, "evsectl: %s needs a value\n", a);
				json_decref(args);
				return 2;
			}
			char kv[64];
			snprintf(kv, sizeof kv, "%s=%s", a + 2, argv[++i]);
			json_array_append_new(args, json_string(kv));
			continue;
		}
		json_t *s = json_string(a);
		if (!s) {
			fprintf(stderr, "evsectl: argument %d is not valid UTF-8\n", i);
			json_decref(args);
			return 2;
		}
		json_array_append_new(args, s);
	}
	json_t *req = json_pack("{s:s, s:o}", "cmd", cmd, "args", args);
	char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!line) {
		fprintf(stderr, "evsectl: bad command line\n");
		return 2;
	}

	int fd = connect_to(sock);
	if (fd < 0) {
		if (fd == -1)
			fprintf(stderr, "evsectl: no evsed at %s: %s\n", sock, strerror(errno));
		free(line);
		return 3;
	}
	size_t len = strlen(line);
	line[len] = '\n';
	int rc = send_all(fd, line, len + 1);
	free(line);
	char *answer = rc == 0 ? read_line(fd) : NULL;
	close(fd);
	if (!answer) {
		fprintf(stderr, "evsectl: evsed at %s did not answer\n", sock);
		return 3;
	}
	json_error_t jerr;
	json_t *resp = json_loads(answer, 0, &jerr);
	free(answer);
	if (!json_is_object(resp)) {
		fprintf(stderr, "evsectl: unreadable answer from evsed\n");
		json_decref(resp);
		return 1;
	}
	if (!json_is_true(json_object_get(resp, "ok"))) {
		json_int_t code = json_integer_value(json_object_get(resp, "code"));
		fprintf(stderr, "evsectl: %s\n", jstr(resp, "error"));
		json_decref(resp);
		return code == 2 ? 2 : 1;
	}
	json_t *data = json_object_get(resp, "data");
	const char *msg = json_string_value(json_object_get(resp, "message"));
	if (as_json) {
		char *out =
		    json_dumps(data ? data : resp, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		if (out)
			printf("%s\n", out);
		free(out);
	} else if (data && strcmp(cmd, "status") == 0) {
		print_status(data);
	} else if (data && strcmp(cmd, "history") == 0) {
		print_history(data);
	} else if (data && strcmp(cmd, "config") == 0) {
		print_config(data);
	} else if (data && strcmp(cmd, "card") == 0) {
		print_cards(data);
	} else if (data && strcmp(cmd, "faults") == 0) {
		print_faults(data);
	} else if (data && strcmp(cmd, "group") == 0) {
		print_group(data);
	} else if (data && strcmp(cmd, "profiles") == 0) {
		print_profiles(data);
	} else if (msg) {
		printf("%s\n", msg);
	}
	json_decref(resp);
	return 0;
}
