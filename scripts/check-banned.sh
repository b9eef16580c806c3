#!/bin/sh
# SPDX-License-Identifier: MIT
# Fail if product or test code calls a banned function (style.md "Build").
cd "$(dirname "$0")/.."
hits=$(grep -rnE '\b(sprintf|strcpy|strcat|atoi|gets|strtok)[[:space:]]*\(' src tests/unit bench 2>/dev/null \
	--include='*.c' --include='*.h' | grep -vE '\b(snprintf|vsnprintf|strtok_r)\b' || true)
if [ -n "$hits" ]; then
	echo "banned functions (use snprintf, memcpy with lengths, strtol, strtok_r):"
	echo "$hits"
	exit 1
fi
echo "no banned functions"
