/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the local card list: the capacity bound, case-insensitive
 * duplicates, id tag validation, removal keeping insertion order, and the
 * error texts.
 */
#include "vclock.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/auth.h"

static struct auth_list *new_list(int capacity)
{
	struct auth_list *l = auth_list_new(capacity);
	assert_non_null(l);
	return l;
}

static void add_ok(struct auth_list *l, const char *id)
{
	enum auth_err e = auth_list_add(l, id);
	if (e != AUTH_OK)
		fail_msg("adding '%s': %s", id, auth_err_text(e));
}

/* The list holds exactly ids[0..n-1] in this order. */
static void expect_ids(const struct auth_list *l, const char *const *ids, int n)
{
	assert_int_equal(auth_list_count(l), n);
	for (int i = 0; i < n; i++) {
		const char *got = auth_list_at(l, i);
		if (!got || strcmp(got, ids[i]) != 0)
			fail_msg("position %d: '%s', expected '%s'", i, got ? got : "(null)",
				 ids[i]);
	}
	assert_null(auth_list_at(l, n));
	assert_null(auth_list_at(l, -1));
}

static void capacity_is_a_hard_bound(void **state)
{
	(void)state;
	static const struct {
		int asked, capacity;
	} rows[] = {{1, 1}, {3, 3}, {100, 100}, {1000, 1000}, {0, 1}, {-5, 1}};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct auth_list *l = new_list(rows[r].asked);
		assert_int_equal(auth_list_capacity(l), rows[r].capacity);
		assert_int_equal(auth_list_count(l), 0);
		char id[AUTH_ID_MAX + 1];
		for (int i = 0; i < rows[r].capacity; i++) {
			snprintf(id, sizeof id, "CARD%05d", i);
			add_ok(l, id);
		}
		assert_int_equal(auth_list_count(l), rows[r].capacity);
		assert_int_equal(auth_list_add(l, "ONEMORE"), AUTH_E_FULL);
		assert_int_equal(auth_list_count(l), rows[r].capacity);
		assert_false(auth_list_has(l, "ONEMORE"));
		/* Removing one makes room for exactly one. */
		assert_true(auth_list_remove(l, "CARD00000"));
		add_ok(l, "ONEMORE");
		assert_int_equal(auth_list_add(l, "TWOMORE"), AUTH_E_FULL);
		auth_list_free(l);
	}
	auth_list_free(NULL);
}

static void full_list_reports_other_errors_first(void **state)
{
	(void)state;
	struct auth_list *l = new_list(2);
	add_ok(l, "AA");
	add_ok(l, "BB");
	assert_int_equal(auth_list_add(l, "aa"), AUTH_E_EXISTS);
	assert_int_equal(auth_list_add(l, ""), AUTH_E_INVALID);
	assert_int_equal(auth_list_add(l, "CC"), AUTH_E_FULL);
	auth_list_free(l);
}

static void duplicates_are_case_insensitive(void **state)
{
	(void)state;
	struct auth_list *l = new_list(10);
	add_ok(l, "AbC123");
	static const char *const same[] = {"AbC123", "abc123", "ABC123", "aBc123"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_int_equal(auth_list_add(l, same[i]), AUTH_E_EXISTS);
		assert_true(auth_list_has(l, same[i]));
	}
	/* The spelling first added is kept. */
	static const char *const want[] = {"AbC123"};
	expect_ids(l, want, 1);
	/* Near misses are different cards. */
	assert_false(auth_list_has(l, "AbC1234"));
	assert_false(auth_list_has(l, "AbC12"));
	assert_false(auth_list_has(l, ""));
	add_ok(l, "AbC1234");
	/* Removal matches case-insensitively too. */
	assert_true(auth_list_remove(l, "ABC123"));
	assert_false(auth_list_has(l, "abc123"));
	static const char *const left[] = {"AbC1234"};
	expect_ids(l, left, 1);
	auth_list_free(l);
}

static void invalid_ids(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		const char *err;
	} rows[] = {
	    {"", "an id tag has 1 to 20 characters"},
	    {"ABCDEFGHIJKLMNOPQRSTU", "an id tag has 1 to 20 characters"},
	    {"0123456789012345678901234567890", "an id tag has 1 to 20 characters"},
	    {"AB CD", "an id tag has printable characters and no spaces"},
	    {" ABCD", "an id tag has printable characters and no spaces"},
	    {"ABCD ", "an id tag has printable characters and no spaces"},
	    {"AB\tCD", "an id tag has printable characters and no spaces"},
	    {"AB\nCD", "an id tag has printable characters and no spaces"},
	    {"AB\rCD", "an id tag has printable characters and no spaces"},
	    {"\x01", "an id tag has printable characters and no spaces"},
	    {"ABC\x1b", "an id tag has printable characters and no spaces"},
	    {"ABC\x7f", "an id tag has printable characters and no spaces"},
	    {"caf\xc3\xa9", "an id tag has printable characters and no spaces"},
	};
	struct auth_list *l = new_list(10);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[100] = "";
		if (auth_id_valid(rows[i].id, err, sizeof err))
			fail_msg("row %zu accepted", i);
		assert_string_equal(err, rows[i].err);
		assert_int_equal(auth_list_add(l, rows[i].id), AUTH_E_INVALID);
	}
	assert_int_equal(auth_list_count(l), 0);
	auth_list_free(l);
}

static void valid_ids(void **state)
{
	(void)state;
	static const char *const ids[] = {
	    "A",
	    "0",
	    "ABCDEFGHIJKLMNOPQRST", /* 20 */
	    "04E91C5A2B3F80",
	    "user@example.com",
	    "!\"#$%&'()*+,-./:;<=>",
	    "?@[\\]^_`{|}~",
	};
	struct auth_list *l = new_list(10);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char err[100] = "untouched";
		if (!auth_id_valid(ids[i], err, sizeof err))
			fail_msg("'%s' refused: %s", ids[i], err);
		assert_string_equal(err, "untouched");
		add_ok(l, ids[i]);
	}
	expect_ids(l, ids, (int)(sizeof ids / sizeof ids[0]));
	auth_list_free(l);
}

static void remove_keeps_order(void **state)
{
	(void)state;
	struct auth_list *l = new_list(5);
	static const char *const all[] = {"A1", "B2", "C3", "D4", "E5"};
	for (int i = 0; i < 5; i++)
		add_ok(l, all[i]);
	expect_ids(l, all, 5);

	assert_true(auth_list_remove(l, "C3")); /* middle */
	static const char *const s1[] = {"A1", "B2", "D4", "E5"};
	expect_ids(l, s1, 4);

	assert_true(auth_list_remove(l, "E5")); /* last */
	static const char *const s2[] = {"A1", "B2", "D4"};
	expect_ids(l, s2, 3);

	assert_true(auth_list_remove(l, "a1")); /* first */
	static const char *const s3[] = {"B2", "D4"};
	expect_ids(l, s3, 2);

	assert_false(auth_list_remove(l, "A1")); /* already gone */
	assert_false(auth_list_remove(l, "ZZ"));
	assert_false(auth_list_remove(l, ""));
	expect_ids(l, s3, 2);

	/* A new card goes to the end. */
	add_ok(l, "C3");
	static const char *const s4[] = {"B2", "D4", "C3"};
	expect_ids(l, s4, 3);

	assert_true(auth_list_remove(l, "B2"));
	assert_true(auth_list_remove(l, "D4"));
	assert_true(auth_list_remove(l, "C3"));
	expect_ids(l, NULL, 0);
	assert_false(auth_list_remove(l, "C3"));
	auth_list_free(l);
}

static void err_texts(void **state)
{
	(void)state;
	static const struct {
		enum auth_err e;
		const char *text;
	} rows[] = {
	    {AUTH_OK, "ok"},
	    {AUTH_E_INVALID, "not a valid id tag (1-20 printable characters, no spaces)"},
	    {AUTH_E_EXISTS, "already in the card list"},
	    {AUTH_E_FULL, "the card list is full"},
	    {AUTH_E_NOMEM, "out of memory"},
	    {(enum auth_err)99, "error"},
	    {(enum auth_err) - 1, "error"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_string_equal(auth_err_text(rows[i].e), rows[i].text);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(capacity_is_a_hard_bound),
    cmocka_unit_test(full_list_reports_other_errors_first),
    cmocka_unit_test(duplicates_are_case_insensitive),
    cmocka_unit_test(invalid_ids),
    cmocka_unit_test(valid_ids),
    cmocka_unit_test(remove_keeps_order),
    cmocka_unit_test(err_texts),
};

VCLOCK_MAIN("auth", tests)
