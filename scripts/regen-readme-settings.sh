#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate the README's settings table from the registry (the part between
# <!-- settings:begin --> and <!-- settings:end -->).
# Usage: scripts/regen-readme-settings.sh PATH_TO_EVSED
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$1" --settings-markdown > "$tmp"
awk -v table="$tmp" '
	/<!-- settings:end -->/ { while ((getline line < table) > 0) print line; skip = 0 }
	!skip { print }
	/<!-- settings:begin -->/ { skip = 1 }
' README.md > README.md.new
mv README.md.new README.md
