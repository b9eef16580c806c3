#!/bin/sh
# SPDX-License-Identifier: MIT
# Turn CTest's closing line into "N passed, N failed" and keep its verdict.
# Usage: scripts/test-summary.sh CTEST_LOG CTEST_EXIT_CODE
log=$1
rc=$2
line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
if [ -z "$line" ]; then
	echo "0 passed, 1 failed"
	exit 1
fi
failed=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
total=$(echo "$line" | sed -E 's/.*failed out of ([0-9]+).*/\1/')
echo "$((total - failed)) passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
