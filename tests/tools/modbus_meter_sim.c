/* SPDX-License-Identifier: MIT */
/*
 * A Modbus site meter simulator for the integration tests (E1), on
 * libmodbus's server side. It serves one model's register map, encoded with
 * the same map rows evsed decodes (core/meter_map), over Modbus TCP on
 * 127.0.0.1 (a free port) or Modbus RTU on a pseudo-terminal pair (evsed
 * opens the other side's path). Its values change at run time through lines
 * on stdin, each answered "ok" or "error: ..." on stdout:
 *   set I1 [I2 I3]   site currents per phase, A (negative = export); the
 *                    powers are the voltage times the current, per phase
 *   voltage V        phase voltage (230)
 *   silent on|off    stop / start answering (a meter that went quiet)
 *   quit             (also end of stdin)
 * Where the model has powers, the currents are served as magnitudes like a
 * real meter's, so the reader must take the sign from the powers.
 * Usage: modbus_meter_sim --model NAME (--tcp | --rtu) [--unit N]
 * Prints "ready tcp PORT" or "ready rtu PATH" once it answers.
 * A TCP request for another unit id gets exception 0x0B (gateway target
 * failed to respond); an RTU request for another address gets no answer.
 */
#include <errno.h>
#include <math.h>
#include <modbus.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "core/meter_map.h"

#define MAX_PEERS 8

struct sim {
	const struct mm_model *model;
	modbus_mapping_t *map;
	double cur[3];
	double volt;
	bool silent;
	int unit;
	bool tcp;
};

static void fill(struct sim *s)
{
	const struct mm_model *m = s->model;
	bool has_power = false;
	for (size_t i = 0; i < m->nrows; i++)
		has_power |= m->rows[i].qty == MQ_POWER || m->rows[i].qty == MQ_POWER_TOTAL;
	double total = 0;
	for (int p = 0; p < m->phases; p++)
		total += s->volt * s->cur[p];
	for (size_t i = 0; i < m->nrows; i++) {
		const struct mm_row *r = &m->rows[i];
		double v = 0;
		switch (r->qty) {
		case MQ_CURRENT:
			v = has_power ? fabs(s->cur[r->phase]) : s->cur[r->phase];
			break;
		case MQ_VOLTAGE:
			v = s->volt;
			break;
		case MQ_POWER:
			v = s->volt * s->cur[r->phase];
			break;
		case MQ_POWER_TOTAL:
			v = total;
			break;
		case MQ_ENERGY_IMPORT:
			v = 1234.5;
			break;
		}
		uint16_t *tab = r->fc == 3 ? s->map->tab_registers : s->map->tab_input_registers;
		mm_encode(r, v, tab + r->addr);
	}
}

static void answer(const char *what, const char *arg)
{
	printf("%s%s\n", what, arg);
	fflush(stdout);
}

/* One command line; false on quit. */
static bool command(struct sim *s, char *line)
{
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	char *save = NULL;
	char *cmd = strtok_r(line, " \t", &save);
	if (!cmd)
		return true;
	if (strcmp(cmd, "quit") == 0)
		return false;
	if (strcmp(cmd, "set") == 0) {
		double a[3];
		int n = 0;
		for (char *t; n < 3 && (t = strtok_r(NULL, " \t", &save)); n++) {
			char *end;
			a[n] = strtod(t, &end);
			if (*end || !isfinite(a[n])) {
				answer("error: set: not a number: ", t);
				return true;
			}
		}
		if (n == 0) {
			answer("error: usage: ", "set I1 [I2 I3]");
			return true;
		}
		for (int p = 0; p < 3; p++)
			s->cur[p] = p < n ? a[p] : a[0];
		fill(s);
		answer("ok", "");
	} else if (strcmp(cmd, "voltage") == 0) {
		char *t = strtok_r(NULL, " \t", &save);
		s->volt = t ? strtod(t, NULL) : 230;
		fill(s);
		answer("ok", "");
	} else if (strcmp(cmd, "silent") == 0) {
		char *t = strtok_r(NULL, " \t", &save);
		s->silent = t && strcmp(t, "on") == 0;
		answer("ok", "");
	} else {
		answer("error: unknown command: ", cmd);
	}
	return true;
}

/* Answer one request on ctx (readable). false when the peer is gone. */
static bool serve(struct sim *s, modbus_t *ctx)
{
	uint8_t q[MODBUS_TCP_MAX_ADU_LENGTH];
	int rc = modbus_receive(ctx, q);
	if (rc == -1)
		return !s->tcp; /* RTU: a bad frame; TCP: the connection closed */
	if (rc == 0 || s->silent)
		return true; /* RTU: another slave's request; or quiet */
	int hl = modbus_get_header_length(ctx);
	if (s->tcp && q[hl - 1] != s->unit)
		modbus_reply_exception(ctx, q, MODBUS_EXCEPTION_GATEWAY_TARGET);
	else
		modbus_reply(ctx, q, rc, s->map);
	return true;
}

int main(int argc, char **argv)
{
	struct sim s = {.volt = 230, .unit = 1};
	bool rtu = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
			s.model = meter_model_find(argv[++i]);
		else if (strcmp(argv[i], "--tcp") == 0)
			s.tcp = true;
		else if (strcmp(argv[i], "--rtu") == 0)
			rtu = true;
		else if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc)
			s.unit = (int)strtol(argv[++i], NULL, 10);
		else
			s.model = NULL, i = argc;
	}
	if (!s.model || s.tcp == rtu) {
		fprintf(stderr,
			"usage: modbus_meter_sim --model NAME (--tcp | --rtu) [--unit N]\n"
			"models: %s\n",
			meter_model_names());
		return 2;
	}
	s.map = modbus_mapping_new(0, 0, 65535, 65535);
	if (!s.map) {
		fprintf(stderr, "modbus_meter_sim: out of memory\n");
		return 1;
	}
	fill(&s);
	modbus_t *ctx;
	int listen_fd = -1, peer = -1, pty_slave = -1;
	if (s.tcp) {
		ctx = modbus_new_tcp("127.0.0.1", 0);
		listen_fd = ctx ? modbus_tcp_listen(ctx, 4) : -1;
		struct sockaddr_in sa;
		socklen_t len = sizeof sa;
		if (listen_fd < 0 || getsockname(listen_fd, (struct sockaddr *)&sa, &len) != 0) {
			fprintf(stderr, "modbus_meter_sim: listen: %s\n", modbus_strerror(errno));
			return 1;
		}
		printf("ready tcp %d\n", ntohs(sa.sin_port));
	} else {
		int master;
		char name[128];
		struct termios raw;
		memset(&raw, 0, sizeof raw);
		cfmakeraw(&raw);
		/* The simulator holds the slave side open too, so that the pty
		 * lives on while evsed closes and reopens it. */
		if (openpty(&master, &pty_slave, name, &raw, NULL) != 0) {
			fprintf(stderr, "modbus_meter_sim: openpty: %s\n", strerror(errno));
			return 1;
		}
		ctx = modbus_new_rtu(name, 9600, 'N', 8, 1);
		if (!ctx || modbus_set_slave(ctx, s.unit) == -1 || modbus_set_socket(ctx, master)) {
			fprintf(stderr, "modbus_meter_sim: rtu: %s\n", modbus_strerror(errno));
			return 1;
		}
		peer = master;
		printf("ready rtu %s\n", name);
	}
	fflush(stdout);
	/* TCP: up to MAX_PEERS clients at once (several evsed may read one
	 * meter); RTU: peers[0] is the pty. */
	int peers[MAX_PEERS];
	for (int i = 0; i < MAX_PEERS; i++)
		peers[i] = -1;
	peers[0] = peer;
	char line[256];
	for (;;) {
		struct pollfd pf[2 + MAX_PEERS] = {{0, POLLIN, 0}, {listen_fd, POLLIN, 0}};
		for (int i = 0; i < MAX_PEERS; i++)
			pf[2 + i] = (struct pollfd){peers[i], POLLIN, 0};
		if (poll(pf, 2 + MAX_PEERS, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents) {
			if (!fgets(line, sizeof line, stdin) || !command(&s, line))
				break;
		}
		for (int i = 0; i < MAX_PEERS; i++) {
			if (peers[i] < 0 || !(pf[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			modbus_set_socket(ctx, peers[i]);
			if (!serve(&s, ctx)) {
				close(peers[i]);
				peers[i] = -1;
			}
		}
		if (pf[1].revents & POLLIN) {
			int fd = modbus_tcp_accept(ctx, &listen_fd);
			int i = 0;
			while (i < MAX_PEERS && peers[i] >= 0)
				i++;
			if (i < MAX_PEERS)
				peers[i] = fd;
			else if (fd >= 0)
				close(fd); /* full: refused */
		}
	}
	for (int i = 0; i < MAX_PEERS; i++)
		if (peers[i] >= 0)
			close(peers[i]);
	modbus_set_socket(ctx, -1);
	if (listen_fd >= 0)
		close(listen_fd);
	if (pty_slave >= 0)
		close(pty_slave);
	modbus_free(ctx);
	modbus_mapping_free(s.map);
	return 0;
}
