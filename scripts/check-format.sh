#!/bin/sh
# SPDX-License-Identifier: MIT
# Fail if a C file differs from .clang-format's layout.
cd "$(dirname "$0")/.."
files=$(find src tests/unit bench -name '*.[ch]' 2>/dev/null)
if ! command -v clang-format >/dev/null 2>&1; then
	echo "clang-format is not installed" >&2
	exit 1
fi
# shellcheck disable=SC2086
if clang-format --dry-run --Werror $files 2>/tmp/evsed-format.$$; then
	rm -f /tmp/evsed-format.$$
	echo "formatting ok"
	exit 0
fi
head -40 /tmp/evsed-format.$$
rm -f /tmp/evsed-format.$$
echo "run 'make format' to fix"
exit 1
