/* SPDX-License-Identifier: MIT */
/*
 * The group datagram: sealed and opened with the key derived from group.key
 * and group.id; another group, a wrong key, a flipped bit anywhere, a
 * truncated or oversized datagram are refused.
 */
#include <string.h>

#include "io/group_net.h"
#include "vclock.h"

static const char text[] = "{\"v\":1,\"t\":\"state\",\"g\":\"site-a\",\"from\":\"A\"}";

static size_t seal(const char *gid, const char *key, unsigned char *d)
{
	struct group_net_key k;
	assert_true(group_net_derive(gid, key, &k));
	return group_net_seal(&k, 0x1122334455667788ULL, 42, text, strlen(text), d);
}

static bool open_with(const char *gid, const char *key, const unsigned char *d, size_t n,
		      const char **what)
{
	struct group_net_key k;
	assert_true(group_net_derive(gid, key, &k));
	uint64_t boot, ctr;
	char out[GROUP_NET_PLAIN_MAX + 1];
	size_t len = 0;
	bool ok = group_net_open(&k, d, n, &boot, &ctr, out, &len, what);
	if (ok) {
		assert_int_equal(boot, 0x1122334455667788ULL);
		assert_int_equal(ctr, 42);
		assert_int_equal(len, strlen(text));
		assert_memory_equal(out, text, len);
	}
	return ok;
}

static void round_trip(void **state)
{
	(void)state;
	unsigned char d[GROUP_NET_DGRAM_MAX];
	size_t n = seal("site-a", "0123456789abcdef", d);
	assert_true(n > strlen(text));
	const char *what;
	assert_true(open_with("site-a", "0123456789abcdef", d, n, &what));
	/* Encrypted: the text is not in the datagram. */
	for (size_t i = 0; i + 5 <= n; i++)
		assert_false(memcmp(d + i, "state", 5) == 0);
	/* A fresh nonce every time. */
	unsigned char d2[GROUP_NET_DGRAM_MAX];
	size_t n2 = seal("site-a", "0123456789abcdef", d2);
	assert_int_equal(n, n2);
	assert_memory_not_equal(d, d2, n);
}

static void wrong_key_and_other_group_refused(void **state)
{
	(void)state;
	unsigned char d[GROUP_NET_DGRAM_MAX];
	size_t n = seal("site-a", "0123456789abcdef", d);
	const char *what;
	assert_false(open_with("site-a", "0123456789abcdeX", d, n, &what));
	assert_string_equal(what, "bad auth");
	assert_false(open_with("site-b", "0123456789abcdef", d, n, &what));
	assert_string_equal(what, "other group");
}

static void tampered_truncated_refused(void **state)
{
	(void)state;
	unsigned char d[GROUP_NET_DGRAM_MAX];
	size_t n = seal("site-a", "0123456789abcdef", d);
	const char *what;
	/* Every byte after the magic and group id is authenticated. */
	for (size_t i = 11; i < n; i++) {
		d[i] ^= 0x01;
		if (open_with("site-a", "0123456789abcdef", d, n, &what))
			fail_msg("a flipped bit at byte %zu was accepted", i);
		d[i] ^= 0x01;
	}
	assert_false(open_with("site-a", "0123456789abcdef", d, n - 1, &what));
	assert_false(open_with("site-a", "0123456789abcdef", d, 20, &what));
	assert_string_equal(what, "malformed");
	d[0] = 'X';
	assert_false(open_with("site-a", "0123456789abcdef", d, n, &what));
	assert_string_equal(what, "malformed");
	/* Too long to be sealed. */
	struct group_net_key k;
	assert_true(group_net_derive("site-a", "0123456789abcdef", &k));
	static char big[GROUP_NET_PLAIN_MAX + 1];
	memset(big, 'x', sizeof big);
	assert_int_equal(group_net_seal(&k, 1, 1, big, sizeof big, d), 0);
}

/* clang-format off */
static const struct CMUnitTest tests[] = {
    cmocka_unit_test(round_trip),
    cmocka_unit_test(wrong_key_and_other_group_refused),
    cmocka_unit_test(tampered_truncated_refused),
};
/* clang-format on */

VCLOCK_MAIN("group_net", tests)
