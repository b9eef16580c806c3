#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's settings table must be what the registry says.
# Usage: scripts/check-readme.sh PATH_TO_EVSED
cd "$(dirname "$0")/.."
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.readme"' EXIT
"$1" --settings-markdown > "$tmp" || exit 1
sed -n '/<!-- settings:begin -->/,/<!-- settings:end -->/p' README.md | sed '1d;$d' > "$tmp.readme"
if ! diff -u "$tmp.readme" "$tmp"; then
	echo "README.md settings table is out of date: regenerate it with evsed --settings-markdown"
	exit 1
fi
echo "README settings table matches the registry"
