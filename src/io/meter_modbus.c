/* SPDX-License-Identifier: MIT */
/*
 * The Modbus site meter's reader thread (E1): see meter_modbus.h. The thread
 * owns the libmodbus context; the loop only ever touches the snapshot, under
 * the mutex.
 */
#include "meter_modbus.h"

#include <errno.h>
#include <modbus.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RESPONSE_TIMEOUT_US 500000 /* one Modbus call; bounds a stop too */
#define BACKOFF_MIN_MS	    500
#define BACKOFF_MAX_MS	    8000

struct meter_modbus {
	struct meter_spec spec;
	int poll_ms;
	int64_t (*clock)(void);
	void (*wake)(void *user);
	void *wake_user;
	struct mm_block blocks[MM_MAX_BLOCKS];
	size_t nblocks;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled on stop */
	bool stop;
	struct meter_snapshot snap;
};

/* Wait ms or until stopped; false when stopped. */
static bool pause_ms(struct meter_modbus *m, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&m->mu);
	while (!m->stop)
		if (pthread_cond_timedwait(&m->cv, &m->mu, &ts) == ETIMEDOUT)
			break;
	bool go_on = !m->stop;
	pthread_mutex_unlock(&m->mu);
	return go_on;
}

static void failed(struct meter_modbus *m, const char *what, int err)
{
	pthread_mutex_lock(&m->mu);
	m->snap.errors++;
	m->snap.connected = false;
	snprintf(m->snap.last_error, sizeof m->snap.last_error, "%s: %s", what,
		 modbus_strerror(err));
	pthread_mutex_unlock(&m->mu);
}

static modbus_t *open_ctx(struct meter_modbus *m)
{
	const struct meter_spec *s = &m->spec;
	modbus_t *ctx;
	if (s->kind == METER_TCP) {
		char port[8];
		snprintf(port, sizeof port, "%d", s->port);
		ctx = modbus_new_tcp_pi(s->host, port);
	} else {
		ctx = modbus_new_rtu(s->device, s->baud, s->parity, 8, 1);
	}
	if (!ctx) {
		failed(m, "create", errno);
		return NULL;
	}
	if (modbus_set_slave(ctx, s->address) == -1 ||
	    modbus_set_response_timeout(ctx, 0, RESPONSE_TIMEOUT_US) == -1) {
		failed(m, "configure", errno);
		modbus_free(ctx);
		return NULL;
	}
	if (modbus_connect(ctx) == -1) {
		failed(m, "connect", errno);
		modbus_free(ctx);
		return NULL;
	}
	return ctx;
}

static bool stopping(struct meter_modbus *m)
{
	pthread_mutex_lock(&m->mu);
	bool stop = m->stop;
	pthread_mutex_unlock(&m->mu);
	return stop;
}

/* One reading: every block, then the decode. 0, or the errno. A stop
 * between two blocks ends it (ECANCELED): a stop waits for one call only. */
static int read_once(struct meter_modbus *m, modbus_t *ctx, struct mm_reading *rd)
{
	uint16_t regs[MM_MAX_BLOCKS][MM_BLOCK_MAX];
	const uint16_t *data[MM_MAX_BLOCKS];
	for (size_t i = 0; i < m->nblocks; i++) {
		if (i > 0 && stopping(m))
			return ECANCELED;
		const struct mm_block *b = &m->blocks[i];
		int n = b->fc == 3 ? modbus_read_registers(ctx, b->addr, b->count, regs[i])
				   : modbus_read_input_registers(ctx, b->addr, b->count, regs[i]);
		if (n != b->count)
			return n == -1 ? errno : EMBBADDATA;
		data[i] = regs[i];
	}
	return meter_decode(m->spec.model, m->blocks, m->nblocks, data, rd) ? 0 : EMBBADDATA;
}

static void *run(void *arg)
{
	struct meter_modbus *m = arg;
	modbus_t *ctx = NULL;
	int backoff = BACKOFF_MIN_MS;
	for (;;) {
		if (!ctx)
			ctx = open_ctx(m);
		int err = ctx ? 0 : -1;
		struct mm_reading rd;
		if (ctx) {
			err = read_once(m, ctx, &rd);
			if (err) {
				failed(m, "read", err);
				/* Start afresh: a half-read answer must not be taken
				 * for the next one. */
				modbus_close(ctx);
				modbus_free(ctx);
				ctx = NULL;
			}
		}
		if (err) {
			if (!pause_ms(m, backoff))
				break;
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		backoff = BACKOFF_MIN_MS;
		pthread_mutex_lock(&m->mu);
		m->snap.have = true;
		m->snap.r = rd;
		m->snap.at_ms = m->clock();
		m->snap.reads++;
		m->snap.connected = true;
		pthread_mutex_unlock(&m->mu);
		if (m->wake)
			m->wake(m->wake_user);
		if (!pause_ms(m, m->poll_ms))
			break;
	}
	if (ctx) {
		modbus_close(ctx);
		modbus_free(ctx);
	}
	return NULL;
}

struct meter_modbus *meter_modbus_start(const struct meter_spec *spec, int poll_ms,
					int64_t (*clock)(void), void (*wake)(void *user),
					void *wake_user, char *err, size_t errlen)
{
	if ((spec->kind != METER_RTU && spec->kind != METER_TCP) || !spec->model) {
		snprintf(err, errlen, "not a Modbus meter");
		return NULL;
	}
	struct meter_modbus *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->spec = *spec;
	m->poll_ms = poll_ms;
	m->clock = clock;
	m->wake = wake;
	m->wake_user = wake_user;
	m->nblocks = meter_plan(spec->model, m->blocks, MM_MAX_BLOCKS);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* Signals stay with the event loop's thread. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&m->thread, NULL, run, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the meter thread: %s", strerror(rc));
		pthread_cond_destroy(&m->cv);
		pthread_mutex_destroy(&m->mu);
		free(m);
		return NULL;
	}
	return m;
}

void meter_modbus_stop(struct meter_modbus *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->mu);
	m->stop = true;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void meter_modbus_latest(struct meter_modbus *m, struct meter_snapshot *out)
{
	pthread_mutex_lock(&m->mu);
	*out = m->snap;
	pthread_mutex_unlock(&m->mu);
}
