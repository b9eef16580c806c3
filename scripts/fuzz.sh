#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer target tests/fuzz/fuzz_frame.c (OCPP-J frame parser and
# 1.6 schema validator) with clang -fsanitize=fuzzer,address,undefined and run
# it for a bounded time from the seed corpus in tests/fuzz/corpus.
# Needs the Debian packages clang, libclang-rt-dev (libFuzzer and the
# sanitizer runtimes) and libjansson-dev, pkg-config.
# Usage: scripts/fuzz.sh [seconds]       (default 60, or $FUZZ_SECONDS)
# Exit 0: no crash, no leak, no broken promise; else the failing input is in
# $FUZZ_DIR (default build-fuzz/) as crash-* / leak-*.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
dir=${FUZZ_DIR:-build-fuzz}
cc=${FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc is not installed (apt-get install clang libclang-rt-dev)" >&2
	exit 1
fi
mkdir -p "$dir/corpus"
# The warnings of cmake/Warnings.cmake.
# shellcheck disable=SC2046
"$cc" -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla -Wno-sign-conversion -Wundef -Wpointer-arith \
	-Wcast-qual -Wwrite-strings -Wno-missing-field-initializers -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Isrc $(pkg-config --cflags jansson) \
	tests/fuzz/fuzz_frame.c src/core/ocpp/rpc.c src/core/ocpp/schema.c \
	src/core/ocpp/schema_table.c \
	$(pkg-config --libs jansson) -lm -o "$dir/fuzz_frame"

echo "fuzz: running fuzz_frame for ${secs}s"
# New inputs go to $dir/corpus; the checked-in seeds are only read.
exec "$dir/fuzz_frame" -max_total_time="$secs" -max_len=8192 \
	-dict=tests/fuzz/frame.dict -artifact_prefix="$dir/" -print_final_stats=1 \
	"$dir/corpus" tests/fuzz/corpus
