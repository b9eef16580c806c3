/* SPDX-License-Identifier: MIT */
/*
 * Test helpers: a cmocka main that runs one named case (CTest registers each
 * case separately) and the recording board used by the core tests.
 */
#ifndef EVSED_TEST_VCLOCK_H
#define EVSED_TEST_VCLOCK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The base seed of a seeded test: EVSED_SEED from the environment (a
 * non-zero number, decimal or 0x hex), else fallback. */
uint64_t vclock_seed(uint64_t fallback);

/* Run tests[], or only the one named argv[1]. */
int vclock_run(const char *group, const struct CMUnitTest *tests, size_t n, int argc, char **argv);

#define VCLOCK_MAIN(group, tests)                                                                  \
	int main(int argc, char **argv)                                                            \
	{                                                                                          \
		return vclock_run(group, tests, sizeof(tests) / sizeof(tests[0]), argc, argv);     \
	}

#endif
