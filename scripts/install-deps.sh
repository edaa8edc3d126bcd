#!/bin/sh
# Installs the Debian packages Kenes needs, only those that are missing.
# Usage: scripts/install-deps.sh [build|test|bench]...   (default: build)
# Idempotent: a second run with everything present installs nothing.
set -eu

build="gcc make pkg-config gettext libmicrohttpd-dev libjansson-dev libsqlite3-dev
       libpq-dev libsodium-dev libcmark-dev libcurl4-openssl-dev libxxhash-dev sqlite3"
test="clang libclang-rt-14-dev postgresql python3 curl ca-certificates chromium"
test="$test python3-feedparser python3-icalendar" # independent parsers of the feeds (test_record.py)
# node and npm may come from another Debian-format source (e.g. a nodesource
# build that ships npm inside nodejs): only ask for Debian's when none is there.
command -v npm >/dev/null 2>&1 || test="$test nodejs npm"
bench="wrk nginx-light python3-sklearn python3-numpy valgrind"

want=""
[ $# -eq 0 ] && set -- build
for group in "$@"; do
	case "$group" in
	build) want="$want $build" ;;
	test) want="$want $build $test" ;;
	bench) want="$want $build $test $bench" ;;
	*) echo "install-deps: unknown group '$group' (build, test, bench)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $(printf '%s\n' $want | sort -u); do
	# a package counts only when dpkg says it is fully installed
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
