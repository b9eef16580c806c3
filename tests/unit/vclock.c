/* SPDX-License-Identifier: MIT */
#include "vclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vclock_run(const char *group, const struct CMUnitTest *tests, size_t n, int argc, char **argv)
{
	if (argc > 1) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(tests[i].name, argv[1]) == 0)
				return _cmocka_run_group_tests(group, &tests[i], 1, NULL, NULL);
		fprintf(stderr, "no test named %s\n", argv[1]);
		return 2;
	}
	return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}

uint64_t vclock_seed(uint64_t fallback)
{
	const char *e = getenv("EVSED_SEED");
	if (e && *e) {
		char *end;
		unsigned long long v = strtoull(e, &end, 0);
		if (*end == 0 && v != 0)
			return (uint64_t)v;
		fprintf(stderr, "EVSED_SEED=%s ignored: not a non-zero number\n", e);
	}
	return fallback;
}
