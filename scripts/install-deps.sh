#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what evsed needs to build, run and test, if missing: Debian
# packages, and for tests the npm packages of the protocol tests' CSMS from
# the committed lockfiles (tests/ocpp/package-lock.json, and playwright-core
# for the browser tests of the web UI in tests/web/package-lock.json; the
# browser is Debian's chromium).
# Usage: scripts/install-deps.sh [build|test]
set -eu
cd "$(dirname "$0")/.."
want="cmake make gcc pkg-config libwebsockets-dev libjansson-dev libsqlite3-dev libssl-dev libmodbus-dev libcurl4-openssl-dev libarchive-dev"
if [ "${1:-build}" = test ]; then
	want="$want libcmocka-dev clang-format clang libclang-rt-dev openssl faketime chromium shellcheck"
	command -v node >/dev/null 2>&1 || want="$want nodejs"
	command -v npm >/dev/null 2>&1 || want="$want npm"
fi
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "error: these packages are missing and installing them needs root:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ "${1:-build}" = test ] && { [ ! -d tests/ocpp/node_modules/ocpp-rpc ] ||
	[ ! -d tests/ocpp/node_modules/ftp-srv ]; }; then
	echo "installing the protocol tests' npm packages (tests/ocpp)"
	(cd tests/ocpp && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ "${1:-build}" = test ] && [ ! -d tests/web/node_modules/playwright-core ]; then
	echo "installing the web UI tests' npm packages (tests/web)"
	(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi
