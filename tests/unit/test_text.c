/* SPDX-License-Identifier: MIT */
/*
 * The capped growing text (src/core/text.c): appends grow it; an append
 * that would pass the cap turns it bad and changes nothing after; a
 * formatted piece longer than 1023 bytes is cut there.
 */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "vclock.h"

static void grows_until_the_cap(void **state)
{
	(void)state;
	struct text t = {0};
	for (int i = 0; i < 1000; i++)
		text_printf(&t, 10001, "%09d\n", i);
	assert_false(t.bad);
	assert_int_equal(t.len, 10000);
	assert_int_equal(strlen(t.p), 10000);
	assert_memory_equal(t.p + 9990, "000000999\n", 10);
	text_put(&t, 10001, "x", 1); /* 10001 with the NUL: past the cap */
	assert_true(t.bad);
	assert_int_equal(t.len, 10000);
	text_put(&t, 1u << 20, "y", 1); /* bad stays bad */
	assert_true(t.bad);
	assert_int_equal(t.len, 10000);
	free(t.p);
}

static void long_pieces_are_cut(void **state)
{
	(void)state;
	struct text t = {0};
	char big[3000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	text_printf(&t, 1u << 20, "%s", big);
	assert_false(t.bad);
	assert_int_equal(t.len, 1023);
	text_put(&t, 1u << 20, "", 0);
	assert_int_equal(t.len, 1023);
	free(t.p);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(grows_until_the_cap),
    cmocka_unit_test(long_pieces_are_cut),
};
/* clang-format on */

VCLOCK_MAIN("text", tests)
