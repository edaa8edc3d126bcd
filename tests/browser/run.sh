#!/bin/sh
# Browser test of the council loop: installs playwright-core (pinned, npm ci)
# into tests/browser/node_modules, starts BINARY on a free loopback port with
# a fresh SQLite demo database, runs loop.mjs in Debian's chromium, stops the
# server by its PID. Screenshots go to tests/out/screens/. Ends with
#   browser: N passed, N failed
# usage: tests/browser/run.sh BINARY
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
	echo "browser: chromium or node missing (scripts/install-deps.sh test)"
	echo "browser: 0 passed, 1 failed"
	exit 1
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
	echo "browser: npm ci failed"
	echo "browser: 0 passed, 1 failed"
	exit 1
}
work=$(mktemp -d /tmp/kenes-browser.XXXXXX)
db="sqlite:$work/demo.db"
pw="browser-password-1"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$bin" migrate --db "$db" >/dev/null && KENES_DEMO_PASSWORD=$pw "$bin" demo --db "$db" >/dev/null || {
	echo "browser: could not load the demo"
	echo "browser: 0 passed, 1 failed"
	rm -rf "$work"
	exit 1
}
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "browser: server did not start"; cat "$work/server.log"
		kill "$pid" 2>/dev/null
		echo "browser: 0 passed, 1 failed"
		rm -rf "$work"
		exit 1
	fi
	sleep 0.1
done
node "$here/loop.mjs" "http://127.0.0.1:$port" "$pw" "$root/tests/out/screens"
rc=$?
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$work"
exit $rc
