#!/bin/sh
# tests/crash/run.sh: crash safety: authenticated writes over HTTP, SIGKILL of
# the server at random moments, restart, then every write that got a 2xx must
# be there and the database must pass its integrity check. Both backends.
# POSIX sh; the rounds themselves are in tests/crash/crash.py (stdlib only).
#
# Usage: sh tests/crash/run.sh [short|long]
#   short (make test):     4 rounds per backend, SIGKILL after 0.2-1.0 s of writes
#   long  (make crashtest): 40 rounds per backend, SIGKILL after 0.05-3.0 s
# Env: KENES (default build/kenes), CRASH_ROUNDS (overrides the count),
#      CRASH_SEED (replays a run: each backend prints its seed),
#      CRASH_BACKENDS (default "sqlite pg").
# Prints "crash: N passed, N failed" (one check per round and per backend; a
# write lost over the whole run, looked up in the database at the end, or a
# broken step adds a failure) and exits non-zero on any failure. Starts
# and stops only its own processes; removes its temp dirs, also on failure.
# Once the event chain exists, its verification joins the per-round check in
# crash.py (db_check).
set -u
cd "$(dirname "$0")/../.."
mode=${1:-short}
case "$mode" in
short) rounds=4 mind=0.2 maxd=1.0 ;;
long) rounds=40 mind=0.05 maxd=3.0 ;;
*) echo "usage: tests/crash/run.sh [short|long]" >&2; exit 2 ;;
esac
rounds=${CRASH_ROUNDS:-$rounds}
KENES=${KENES:-build/kenes}
case "$KENES" in /*) ;; *) KENES=$(pwd)/$KENES ;; esac
[ -x "$KENES" ] || { echo "crash: $KENES missing (run make)"; echo "crash: 0 passed, 1 failed"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kenes-crash.XXXXXX")
# our own copy: a rebuild of build/kenes during the run must not swap binaries
cp "$KENES" "$TMP/kenes" || { echo "crash: cannot copy $KENES"; echo "crash: 0 passed, 1 failed"; rm -rf "$TMP"; exit 1; }
KENES=$TMP/kenes
PGDIR=""
PYPID=""
cleanup() {
	[ -n "$PYPID" ] && kill "$PYPID" 2>/dev/null && wait "$PYPID" 2>/dev/null
	[ -n "$PGDIR" ] && pg_stop "$PGDIR"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- a throwaway PostgreSQL cluster: tests/pg.sh when there, else our own ----
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() { # DIR: prints the URL
	if [ -f tests/pg.sh ]; then
		sh tests/pg.sh start "$1"
		return
	fi
	[ "$(id -u)" -eq 0 ] && chown postgres "$1"
	as_pg "$pgbin/initdb" -D "$1/data" -A trust -U kenes -E UTF8 --locale=C.UTF-8 >"$1/initdb.log" 2>&1 ||
		{ cat "$1/initdb.log" >&2; return 1; }
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
	as_pg "$pgbin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $1 -c fsync=on" start >/dev/null ||
		{ cat "$1/server.log" >&2; return 1; }
	as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U kenes kenes || return 1
	echo "postgres://kenes@127.0.0.1:$port/kenes"
}
pg_stop() {
	if [ -f tests/pg.sh ]; then
		sh tests/pg.sh stop "$1" >/dev/null 2>&1
	else
		[ -d "$1/data" ] && as_pg "$pgbin/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1
		rm -rf "$1"
	fi
}

pass=0 fail=0 skip=0
# run_backend NAME DBURL [extra crash.py args]
run_backend() {
	name=$1 db=$2
	shift 2
	mkdir -p "$TMP/$name"
	seedarg=""
	[ -n "${CRASH_SEED:-}" ] && seedarg="--seed $CRASH_SEED"
	# shellcheck disable=SC2086
	python3 tests/crash/crash.py --kenes "$KENES" --db "$db" --backend "$name" --workdir "$TMP/$name" \
		--rounds "$rounds" --min-delay "$mind" --max-delay "$maxd" --result "$TMP/$name.result" $seedarg "$@" 2>&1 &
	PYPID=$!
	wait "$PYPID"
	rc=$?
	PYPID=""
	line=$(sed -n 's/^RESULT passed=\([0-9]*\) failed=\([0-9]*\)$/\1 \2/p' "$TMP/$name.result" 2>/dev/null | tail -n 1)
	if [ -z "$line" ]; then
		echo "crash[$name]: the driver stopped without a result (exit $rc)"
		fail=$((fail + 1))
		return
	fi
	p=${line% *} f=${line#* }
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		# the last two server logs say most about a failure
		for l in $(ls -t "$TMP/$name"/serve-*.log 2>/dev/null | head -n 2); do
			echo "--- $(basename "$l") (tail)"
			tail -n 5 "$l"
		done
	fi
}

for backend in ${CRASH_BACKENDS:-sqlite pg}; do
	case "$backend" in
	sqlite)
		run_backend sqlite "sqlite:$TMP/crash.db"
		;;
	pg)
		if [ -z "$pgbin" ] || ! command -v psql >/dev/null 2>&1; then
			echo "crash[pg]: PostgreSQL not installed (scripts/install-deps.sh test): skipped"
			skip=$((skip + 1))
			continue
		fi
		PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/kenes-crash-pg.XXXXXX")
		if ! url=$(pg_start "$PGDIR"); then
			echo "crash[pg]: could not start a throwaway PostgreSQL cluster"
			fail=$((fail + 1))
		else
			amcheck=""
			psql -X -q -d "$url" -c "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null 2>&1 && amcheck=--amcheck
			run_backend pg "$url" --psql psql $amcheck
		fi
		pg_stop "$PGDIR"
		PGDIR=""
		;;
	*) echo "crash: unknown backend $backend" >&2; fail=$((fail + 1)) ;;
	esac
done

if [ "$skip" -gt 0 ]; then
	echo "crash: $pass passed, $fail failed, $skip skipped"
else
	echo "crash: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
