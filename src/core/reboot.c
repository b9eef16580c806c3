/* SPDX-License-Identifier: MIT */
/*
 * Periodic reboot timing (reboot.h). The count runs on the monotonic clock
 * from the start of the run (or the last change of the period), so a change
 * of the wall clock (CSMS time, NTP, time zone) neither hastens nor delays
 * it. A reboot never interrupts a transaction: due while one runs, it waits
 * until none does.
 */
#include "reboot.h"

#define MS_PER_MIN 60000

static int64_t due_after(int64_t now, int64_t period_min)
{
	if (period_min <= 0)
		return INT64_MAX;
	return now + period_min * MS_PER_MIN;
}

void reboot_init(struct reboot_timer *t, int64_t now, int64_t period_min)
{
	t->period_min = period_min > 0 ? period_min : 0;
	t->due = due_after(now, t->period_min);
	t->waiting = false;
}

enum reboot_decision reboot_poll(struct reboot_timer *t, int64_t now, int64_t period_min, bool busy)
{
	if ((period_min > 0 ? period_min : 0) != t->period_min)
		reboot_init(t, now, period_min);
	if (t->due == INT64_MAX || now < t->due)
		return REBOOT_NOT_YET;
	t->waiting = busy;
	return busy ? REBOOT_WAIT : REBOOT_NOW;
}

int64_t reboot_next_deadline(const struct reboot_timer *t)
{
	return t->waiting ? INT64_MAX : t->due;
}

int64_t reboot_due(const struct reboot_timer *t)
{
	return t->due;
}

bool reboot_waiting(const struct reboot_timer *t)
{
	return t->waiting;
}
