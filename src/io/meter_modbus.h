/* SPDX-License-Identifier: MIT */
/*
 * A Modbus RTU / TCP site meter (E1) read off the event loop: one reader
 * thread per meter makes the blocking libmodbus calls (each bounded by a
 * response timeout), decodes the registers with the model's map rows
 * (core/meter_map) and leaves the latest reading under a mutex, where the
 * loop picks it up when the reader wakes it, and at least once a second. On an error it closes the
 * connection and connects again with exponential back-off (0.5 s doubling to 8 s). It only reads:
 * whether a reading is too old is the caller's decision.
 */
#ifndef EVSED_METER_MODBUS_H
#define EVSED_METER_MODBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/meter_map.h"

struct meter_modbus;

/* What the reader knows now. */
struct meter_snapshot {
	bool have;	     /* a valid reading was ever made */
	struct mm_reading r; /* the latest valid reading */
	int64_t at_ms;	     /* when (clock given to meter_modbus_start) */
	uint64_t reads;	     /* valid readings */
	uint64_t errors;     /* failed connects and reads */
	bool connected;	     /* the connection is open */
	char last_error[96]; /* the latest error, "" if none yet */
};

/* Start reading spec (METER_RTU or METER_TCP) every poll_ms. clock is a
 * thread-safe monotonic clock in ms. wake (may be NULL) is called from the
 * reader thread after each valid reading, to wake the event loop (it must be
 * thread-safe: lws_cancel_service). NULL with err on failure (no thread).
 * Free with meter_modbus_stop. */
struct meter_modbus *meter_modbus_start(const struct meter_spec *spec, int poll_ms,
					int64_t (*clock)(void), void (*wake)(void *user),
					void *wake_user, char *err, size_t errlen);
/* Stop the thread (waits for at most one Modbus call in progress) and free. */
void meter_modbus_stop(struct meter_modbus *m);
/* Copy what the reader knows. */
void meter_modbus_latest(struct meter_modbus *m, struct meter_snapshot *out);

#endif
