/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the CSV exports' text (csv.c): quoting and doubled quotes,
 * commas and line breaks kept inside a field, formula characters defused,
 * empty fields, the hard size cap (the text is refused, not cut), and taking
 * the text.
 */
#include "vclock.h"

#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

struct field_row {
	const char *in;
	const char *out; /* the field as written, with its separator */
	bool last;
};

static void field_rows(void **state)
{
	(void)state;
	static const struct field_row rows[] = {
	    {"number", "\"number\",", false},
	    {"", "\"\"\n", true},
	    {"a,b", "\"a,b\",", false},
	    {"say \"hi\"", "\"say \"\"hi\"\"\",", false},
	    {"\"", "\"\"\"\"\n", true},
	    {"two\nlines", "\"two\nlines\",", false},
	    {"=1+2", "\"'=1+2\",", false},
	    {"+33 6", "\"'+33 6\",", false},
	    {"-5", "\"'-5\",", false},
	    {"@SUM(A1)", "\"'@SUM(A1)\",", false},
	    {"a=b", "\"a=b\"\n", true},
	    {"2026-01-01T00:00:00Z", "\"2026-01-01T00:00:00Z\",", false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct csv c = {0};
		csv_field(&c, rows[i].in, rows[i].last);
		size_t len;
		char *text = csv_take(&c, &len);
		assert_non_null(text);
		assert_string_equal(text, rows[i].out);
		assert_int_equal(len, strlen(rows[i].out));
		assert_null(c.t.p);
		free(text);
	}
}

static void lines_of_fields(void **state)
{
	(void)state;
	struct csv c = {0};
	csv_field(&c, "number", false);
	csv_field(&c, "fault", true);
	csv_field(&c, "1", false);
	csv_field(&c, "over-current", true);
	size_t len;
	char *text = csv_take(&c, &len);
	assert_string_equal(text, "\"number\",\"fault\"\n\"1\",\"over-current\"\n");
	free(text);
}

static void grows_past_first_block(void **state)
{
	(void)state;
	char big[10000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct csv c = {0};
	csv_field(&c, big, false);
	csv_field(&c, big, true);
	assert_false(c.t.bad);
	size_t len;
	char *text = csv_take(&c, &len);
	assert_int_equal(len, 2 * (sizeof big - 1 + 3));
	assert_int_equal(text[len - 1], '\n');
	free(text);
}

static void size_cap_refuses(void **state)
{
	(void)state;
	size_t n = CSV_MAX / 4;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'y', n - 1);
	big[n - 1] = '\0';
	struct csv c = {0};
	for (int i = 0; i < 3; i++)
		csv_field(&c, big, false);
	assert_false(c.t.bad);
	csv_field(&c, big, false);
	csv_field(&c, big, true);
	assert_true(c.t.bad);
	size_t len = 99;
	assert_null(csv_take(&c, &len));
	assert_int_equal(len, 0);
	assert_null(c.t.p);
	free(big);
}

static void empty_takes_null(void **state)
{
	(void)state;
	struct csv c = {0};
	size_t len = 5;
	assert_null(csv_take(&c, &len));
	assert_int_equal(len, 0);
	csv_field(&c, "x", true);
	csv_free(&c);
	assert_null(c.t.p);
	assert_int_equal(c.t.len, 0);
}

/* One per line: CTest registers each case from its line. */
/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(field_rows),
    cmocka_unit_test(lines_of_fields),
    cmocka_unit_test(grows_past_first_block),
    cmocka_unit_test(size_cap_refuses),
    cmocka_unit_test(empty_takes_null),
};
/* clang-format on */

VCLOCK_MAIN("csv", tests)
