#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages evsed needs to build, run and test, if missing.
# Usage: scripts/install-deps.sh [build|test]
set -eu
want="cmake make gcc pkg-config libwebsockets-dev libjansson-dev libsqlite3-dev libssl-dev"
if [ "${1:-build}" = test ]; then
	want="$want libcmocka-dev clang-format"
	command -v node >/dev/null 2>&1 || want="$want nodejs"
fi
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "error: these packages are missing and installing them needs root:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
