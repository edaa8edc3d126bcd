#!/bin/sh
# bench/run.sh: the measurement harness (`make bench`): read path vs nginx
# serving the same bytes, write path vs a plain C loop on SQLite, peak memory.
# POSIX sh. Loopback only; every run is bounded in time; stops only what it
# started (by PID) and removes its temp dir, also on failure or Ctrl-C.
#
# Usage: sh bench/run.sh      (from anywhere; `make bench` installs wrk and
#                              nginx-light and builds first)
# Env (defaults in brackets):
#   BENCH_SECONDS [5]           wrk duration of each read run (each round;
#                               the reads beside writes run twice as long)
#   BENCH_ROUNDS [3]            rounds per URL (servers in turn; median shown)
#   BENCH_CONNECTIONS [64]      wrk connections of the read runs
#   BENCH_THREADS [2]           wrk threads
#   BENCH_WRITE_SECONDS [10]    duration of the HTTP write run and of each C loop
#   BENCH_WRITE_CONNECTIONS [8] wrk connections of the write run
#   BENCH_SERVE_ARGS []         extra `kenes serve` settings (e.g. --threads 4)
#   BENCH_PG [1]                0: skip the write run on PostgreSQL (tests/pg.sh)
#   BENCH_SKIP_OPINION [0]      1: do not run bench/opinion.sh at the end
#   BENCH_INSTR_REQUESTS [200]  requests per URL counted under callgrind
#   BENCH_OUT [build/bench/last.md]  where the result tables are also written
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KENES=${KENES:-$ROOT/build/kenes}
DUR=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
WTHREADS=${BENCH_THREADS:-2}
WDUR=${BENCH_WRITE_SECONDS:-10}
WCONNS=${BENCH_WRITE_CONNECTIONS:-8}
OUT=${BENCH_OUT:-$ROOT/build/bench/last.md}
PASSWORD=demo-password-1

# The pages measured, one per line: "label path". Kenes and nginx both serve
# each one; add a page here and it is benchmarked everywhere (e.g. the
# council's assignments list once it exists: "assignments /councils/ncpt/assignments").
PAGES="
assignments-page /councils/ncpt/assignments
assignments-api /api/v1/councils/ncpt/assignments
assignments-api-all /api/v1/councils/ncpt/assignments?limit=500
assignment-record /councils/ncpt/assignments/1
councils-page /councils
council-page /councils/ncpt
agencies-api /api/v1/agencies
council-record-api /api/v1/councils/ncpt
"
# the busy public page: the council's assignments list holds this many
SEED_ASSIGNMENTS=${BENCH_ASSIGNMENTS:-500}
# The writes: filing an appeal (the most frequent public write: a citizen's
# bearer token, the appeal rate limits lifted for the run) and, for
# comparison with earlier runs, an operator creating an agency.
APPEAL_PATH=/api/v1/councils/ncpt/appeals
WRITE_PATH=/api/v1/agencies
RATE_ARGS="--appeal-rate-account 1000000000 --appeal-rate-address 1000000000"

for tool in wrk nginx curl gcc sqlite3 python3 valgrind callgrind_control; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found (make bench installs it)" >&2; exit 1; }
done
[ -x "$KENES" ] || { echo "bench: $KENES missing (run make)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kenes-bench.XXXXXX")
# our own copy: a rebuild of build/kenes during the run must not swap binaries
cp "$KENES" "$TMP/kenes" || { rm -rf "$TMP"; echo "bench: cannot copy $KENES" >&2; exit 1; }
KENES=$TMP/kenes
KPID="" NPID="" SPID="" MPID="" PGDIR=""
cleanup() {
	for p in $SPID $KPID $NPID $MPID; do
		kill "$p" 2>/dev/null || true
	done
	for p in $SPID $KPID $NPID $MPID; do
		wait "$p" 2>/dev/null || true
	done
	[ -n "$PGDIR" ] && sh tests/pg.sh stop "$PGDIR" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }
# kv FILE KEY: the value after "KEY=" on the first line that has it
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1" | head -n 1; }
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# wait_http URL: polls until URL answers 200, at most 15 s
wait_http() {
	i=0
	while [ $i -lt 150 ]; do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
status_kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
f2() { awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }
f0() { awk -v a="$1" 'BEGIN { printf "%.0f", a }'; }

# run_wrk OUTFILE CONNS SECONDS SCRIPT URL: one bounded wrk run
run_wrk() {
	BENCH_DIR="$ROOT/bench" timeout $(($3 + 30)) wrk -t"$WTHREADS" -c"$2" -d"$3"s --latency -s "$4" "$5" >"$1" 2>&1 ||
		{ cat "$1" >&2; die "wrk failed on $5"; }
	grep -q '^WRK ' "$1" || { cat "$1" >&2; die "no summary from wrk on $5"; }
}

# ---- the C tools, built before anything runs (a build error stops the run at once)
# bench/NAME.c -> $TMP/NAME, with the project's warnings
for tool in "mhd_static -lmicrohttpd" "sql_floor -lsqlite3" "sqlite_insert -lsqlite3" "vote_insert -lsqlite3"; do
	name=${tool%% *} lib=${tool#* }
	gcc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$TMP/$name" "bench/$name.c" "$lib" || die "cannot build bench/$name.c"
done

# ---- database and server ---------------------------------------------------
DB="$TMP/kenes.db"
"$KENES" migrate --db "sqlite:$DB" >"$TMP/setup.log" 2>&1 || { cat "$TMP/setup.log" >&2; die "migrate failed"; }
KENES_DEMO_PASSWORD=$PASSWORD "$KENES" demo --db "sqlite:$DB" >>"$TMP/setup.log" 2>&1 ||
	{ cat "$TMP/setup.log" >&2; die "demo failed"; }

# start_kenes DBURL TAG: starts `kenes serve` on a kernel-chosen port (port 0,
# the server logs it); sets KPID, KPORT, KURL
start_kenes() {
	# shellcheck disable=SC2086
	"$KENES" serve --db "$1" --listen 127.0.0.1:0 --access-log off --locale-dir "$ROOT/build/locale" \
		${BENCH_SERVE_ARGS:-} 2>"$TMP/kenes-$2.log" &
	KPID=$!
	KPORT=""
	i=0
	while [ $i -lt 150 ] && [ -z "$KPORT" ]; do
		KPORT=$(sed -n 's/.*serving .*(port \([0-9]*\)).*/\1/p' "$TMP/kenes-$2.log" | head -n 1)
		kill -0 "$KPID" 2>/dev/null || { cat "$TMP/kenes-$2.log" >&2; die "kenes exited at start"; }
		[ -n "$KPORT" ] || sleep 0.1
		i=$((i + 1))
	done
	[ -n "$KPORT" ] || { cat "$TMP/kenes-$2.log" >&2; die "kenes did not log its port"; }
	KURL="http://127.0.0.1:$KPORT"
	wait_http "$KURL/healthz" || die "kenes /healthz not ready"
}
stop_kenes() {
	kill -TERM "$KPID"
	wait "$KPID" 2>/dev/null || die "kenes did not stop cleanly on SIGTERM"
	KPID=""
}
# get_token [LOGIN]: a bearer token of LOGIN (operator) in TOKEN (one argon2id password check)
get_token() {
	curl -s -o "$TMP/token.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d "{\"login\":\"${1:-operator}\",\"password\":\"$PASSWORD\",\"name\":\"bench\"}" "$KURL/api/v1/tokens" >"$TMP/token.code"
	[ "$(cat "$TMP/token.code")" = 201 ] || { cat "$TMP/token.json" >&2; die "token request answered $(cat "$TMP/token.code")"; }
	TOKEN=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$TMP/token.json")
	[ -n "$TOKEN" ] || die "no token in the answer"
}
BENCH_SERVE_ARGS="${BENCH_SERVE_ARGS:-} $RATE_ARGS" start_kenes "sqlite:$DB" sqlite
threads_line=$(sed -n 's/.*(port [0-9]*), \([0-9]* threads\).*/\1/p' "$TMP/kenes-sqlite.log" | head -n 1)
RSS_START=$(status_kib "$KPID" VmRSS)

# ---- the busy council: its assignments list ---------------------------------
curl -s -o "$TMP/chair.json" -X POST -H 'Content-Type: application/json' \
	-d "{\"login\":\"chair\",\"password\":\"$PASSWORD\",\"name\":\"bench\"}" "$KURL/api/v1/tokens"
CHAIR=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$TMP/chair.json")
[ -n "$CHAIR" ] || die "no chair token"
python3 "$ROOT/bench/seed_assignments.py" "$KURL" "$CHAIR" $((SEED_ASSIGNMENTS - 1)) >&2 || die "seeding assignments failed"

# ---- the same bytes for nginx ----------------------------------------------
mkdir -p "$TMP/www"
LOCS=""
n=0
echo "$PAGES" | while read -r label path; do
	[ -n "$label" ] || continue
	n=$((n + 1))
	code=$(curl -s -o "$TMP/www/p$n" -w '%{http_code} %{content_type}' "$KURL$path") || die "curl $path failed"
	[ "${code%% *}" = 200 ] || die "GET $path answered ${code%% *}, not 200"
	printf '%s %s p%s %s\n' "$label" "$path" "$n" "${code#* }"
done >"$TMP/pages"
[ -s "$TMP/pages" ] || die "no pages fetched"
while read -r label path file ctype; do
	LOCS="$LOCS
        location = /$file { default_type \"$ctype\"; }"
done <"$TMP/pages"
NPORT=$(free_port)
NURL="http://127.0.0.1:$NPORT"
cat >"$TMP/nginx.conf" <<EOF
# generated by bench/run.sh
worker_processes auto;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types { }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;$LOCS
    }
}
EOF
# nginx workers run as nobody: let them read the files
chmod 711 "$TMP"
chmod 755 "$TMP/www"
chmod 644 "$TMP"/www/*
nginx -e "$TMP/nginx-error.log" -p "$TMP" -c "$TMP/nginx.conf" 2>"$TMP/nginx.out" &
NPID=$!
first=$(head -n 1 "$TMP/pages" | cut -d' ' -f3)
wait_http "$NURL/$first" || { cat "$TMP/nginx.out" "$TMP/nginx-error.log" >&2 2>/dev/null; die "nginx did not start"; }
while read -r label path file ctype; do
	curl -s -o "$TMP/n.body" "$NURL/$file"
	cmp -s "$TMP/n.body" "$TMP/www/$file" || die "nginx does not serve the bytes of $path"
done <"$TMP/pages"

# ---- the same bytes from a bare libmicrohttpd server (the library's ceiling) ----
# bench/mhd_static.c: Kenes's daemon settings and thread count, each answer
# prepared once; it stops by itself after its time (and at the end of the
# read path, when it is sent SIGTERM).
KTHREADS=${threads_line%% *}
MLIFE=$(( $(wc -l <"$TMP/pages") * 4 * ROUNDS * (DUR + 30) + 60 ))
"$TMP/mhd_static" "$TMP/www" "$TMP/pages" "${KTHREADS:-2}" "$MLIFE" >"$TMP/mhd.out" 2>&1 &
MPID=$!
i=0
while [ $i -lt 150 ] && ! grep -q '^port ' "$TMP/mhd.out"; do
	kill -0 "$MPID" 2>/dev/null || { cat "$TMP/mhd.out" >&2; die "mhd_static exited at start"; }
	sleep 0.1
	i=$((i + 1))
done
MPORT=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$TMP/mhd.out")
[ -n "$MPORT" ] || { cat "$TMP/mhd.out" >&2; die "mhd_static did not print its port"; }
MURL="http://127.0.0.1:$MPORT"
while read -r label path file ctype; do
	curl -s -o "$TMP/m.body" "$MURL/$file"
	cmp -s "$TMP/m.body" "$TMP/www/$file" || die "mhd_static does not serve the bytes of $path"
done <"$TMP/pages"

# ---- keep-alive check under wrk ----------------------------------------------
KA_NOTE=""
read -r label path file ctype <"$TMP/pages"
BENCH_DIR="$ROOT/bench" timeout 30 wrk -t1 -c4 -d1s -s bench/keepalive.lua "$KURL$path" >"$TMP/ka.out" 2>&1 || true
ka_close=$(kv "$TMP/ka.out" close)
ka_resp=$(kv "$TMP/ka.out" responses)
if [ "${ka_close:-x}" != 0 ] || [ "${ka_resp:-0}" -eq 0 ]; then
	KA_NOTE="WARNING: $ka_close of $ka_resp responses to GET $path carried Connection: close (keep-alive lost)"
	log "$KA_NOTE"
fi

# ---- read path -------------------------------------------------------------------
log "read path: $ROUNDS rounds of wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency: nginx (127.0.0.1:$NPORT), bare libmicrohttpd (127.0.0.1:$MPORT), Kenes cached, Kenes cold (127.0.0.1:$KPORT)"
READ_ROWS="" MHD_ROWS="" CPU_ROWS=""
NURLS=0 CACHED_OK=0 COLD_OK=0 P99_OK=0 CACHED_MISS="" COLD_MISS="" P99_MISS=""
# The CPU each run costs: the server's processes (user + system time of all
# their threads, from /proc/PID/stat) and the whole machine's busy time (from
# /proc/stat: wrk, the kernel's network work, the server), in clock ticks.
HZ=$(getconf CLK_TCK)
# nginx's master and its workers (the workers are the master's children)
# (the fields after the command name, which may hold spaces: state, then the
# parent's PID; a process gone while awk reads /proc must not end the bench)
NGINX_PIDS="$NPID $(awk -v p="$NPID" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == p) print pid }' /proc/[0-9]*/stat 2>/dev/null || true)"
ticks_of() {
	t=0
	for p in "$@"; do
		# a process gone since (an nginx worker replaced) counts as 0; set -e
		# must not end the bench on it
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true)
		t=$((t + ${v:-0}))
	done
	echo "$t"
}
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# read_run OUTFILE URL PIDS...: one read run (run_wrk with bench/read.lua), with
# the CPU of the server PIDS and of the machine during it added to OUTFILE
read_run() {
	ro=$1 ru=$2
	shift 2
	rs0=$(ticks_of "$@") ra0=$(machine_ticks)
	run_wrk "$ro" "$CONNS" "$DUR" bench/read.lua "$ru"
	rs1=$(ticks_of "$@") ra1=$(machine_ticks)
	echo "CPU server_ticks=$((rs1 - rs0)) machine_ticks=$((ra1 - ra0))" >>"$ro"
}
# cpu_us FILE WHAT: µs of CPU per request in FILE's run, WHAT = server (the
# server's processes) or rest (the machine's busy time less the server's)
cpu_us() {
	awk -v s="$(kv "$1" server_ticks)" -v m="$(kv "$1" machine_ticks)" -v r="$(kv "$1" requests)" -v hz="$HZ" -v w="$2" \
		'BEGIN { if (r > 0 && hz > 0) printf "%.1f", (w == "server" ? s : m - s) * 1e6 / hz / r; else print "-" }'
}
# ge A B MIN: whether A / B >= MIN
ge() { awk -v a="$1" -v b="$2" -v m="$3" 'BEGIN { exit !(b > 0 && a / b >= m) }'; }
# metric NAME: a counter from /metrics ("" when the build has none)
metric() { curl -s "$KURL/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
errs() { echo $(( $(kv "$1" errors) + $(kv "$1" non2xx) )); }
# errs_all NAME: errors and non-2xx answers summed over the rounds of NAME
errs_all() {
	t=0 r=1
	while [ $r -le "$ROUNDS" ]; do
		t=$((t + $(errs "$TMP/$1-$r.out")))
		r=$((r + 1))
	done
	echo "$t"
}
# median_round NAME: the wrk output of NAME's median round by req/s
median_round() {
	r=1
	while [ $r -le "$ROUNDS" ]; do
		echo "$(kv "$TMP/$1-$r.out" rps) $r"
		r=$((r + 1))
	done | sort -n | sed -n "$(((ROUNDS + 1) / 2))p" | {
		read -r _ best
		cat "$TMP/$1-$best.out"
	}
}
while read -r label path file ctype; do
	bytes=$(wc -c <"$TMP/www/$file" | tr -d ' ')
	# cold: ?lang=en gives the same bytes but skips the page cache (a request
	# that chooses its language is not the anonymous default), so every
	# request renders from the database
	case "$path" in *\?*) cold="$path&lang=en" ;; *) cold="$path?lang=en" ;; esac
	curl -s -o "$TMP/cold.body" "$KURL$cold"
	cmp -s "$TMP/cold.body" "$TMP/www/$file" || log "note: $cold differs from $path in its bytes"
	# ROUNDS rounds, the four servers in turn within each (nginx, the bare
	# libmicrohttpd server, Kenes cached, Kenes cold), so that a slow spell of
	# the machine falls on all of them; each table cell is the server's median
	# round by req/s, errors and cache counters are summed over the rounds, and
	# p99 is judged against the target in every round
	h0=$(metric kenes_page_cache_hits_total) m0=$(metric kenes_page_cache_misses_total) hc=0
	round=1
	while [ $round -le "$ROUNDS" ]; do
		read_run "$TMP/n-$file-$round.out" "$NURL/$file" $NGINX_PIDS
		read_run "$TMP/m-$file-$round.out" "$MURL/$file" "$MPID"
		read_run "$TMP/k-$file-$round.out" "$KURL$path" "$KPID"
		hb=$(metric kenes_page_cache_hits_total)
		read_run "$TMP/c-$file-$round.out" "$KURL$cold" "$KPID"
		[ -n "$hb" ] && hc=$((hc + $(metric kenes_page_cache_hits_total) - hb))
		round=$((round + 1))
	done
	h1=$(metric kenes_page_cache_hits_total) m1=$(metric kenes_page_cache_misses_total)
	for run in n m k c; do
		median_round "$run-$file" >"$TMP/$run-$file.out"
	done
	if [ -n "$h0" ]; then
		hm="$((h1 - h0 - hc)) / $((m1 - m0)); cold runs: $hc hits"
	else
		hm="no page cache in this build"
	fi
	nrps=$(kv "$TMP/n-$file.out" rps) krps=$(kv "$TMP/k-$file.out" rps) crps=$(kv "$TMP/c-$file.out" rps)
	row="| \`$path\` | $bytes | $(f0 "$nrps") | $(f2 "$(kv "$TMP/n-$file.out" p50_ms)") | $(f2 "$(kv "$TMP/n-$file.out" p99_ms)") | $(f0 "$krps") | $(f2 "$(kv "$TMP/k-$file.out" p50_ms)") | $(f2 "$(kv "$TMP/k-$file.out" p99_ms)") | **$(ratio "$krps" "$nrps")** | $(f0 "$crps") | $(f2 "$(kv "$TMP/c-$file.out" p50_ms)") | $(f2 "$(kv "$TMP/c-$file.out" p99_ms)") | **$(ratio "$crps" "$nrps")** | $(errs_all "n-$file") / $(errs_all "k-$file") / $(errs_all "c-$file") | $hm |"
	log "$row"
	READ_ROWS="$READ_ROWS
$row"
	# the targets of issue 6, judged on this run's own figures
	NURLS=$((NURLS + 1))
	ge "$krps" "$nrps" 1.0 && CACHED_OK=$((CACHED_OK + 1)) || CACHED_MISS="$CACHED_MISS \`$path\` $(ratio "$krps" "$nrps");"
	ge "$crps" "$nrps" 0.3 && COLD_OK=$((COLD_OK + 1)) || COLD_MISS="$COLD_MISS \`$path\` $(ratio "$crps" "$nrps");"
	for run in k c; do
		round=1
		while [ $round -le "$ROUNDS" ]; do
			p99=$(kv "$TMP/$run-$file-$round.out" p99_ms)
			if awk -v a="$p99" 'BEGIN { exit !(a < 10) }'; then
				P99_OK=$((P99_OK + 1))
			else
				P99_MISS="$P99_MISS \`$path\` $([ $run = k ] && echo cached || echo cold) $(f2 "$p99") ms;"
			fi
			round=$((round + 1))
		done
	done
	# where the CPU went: µs per request of the server and of the rest of the
	# machine, and what everything together may spend per request at 0.3 of nginx
	CPU_ROWS="$CPU_ROWS
| \`$path\` | $(cpu_us "$TMP/n-$file.out" server) / $(cpu_us "$TMP/n-$file.out" rest) | $(cpu_us "$TMP/m-$file.out" server) / $(cpu_us "$TMP/m-$file.out" rest) | $(cpu_us "$TMP/k-$file.out" server) / $(cpu_us "$TMP/k-$file.out" rest) | $(cpu_us "$TMP/c-$file.out" server) / $(cpu_us "$TMP/c-$file.out" rest) | $(awk -v c="$(nproc)" -v n="$nrps" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / (0.3 * n); else print "-" }') |"
	mrps=$(kv "$TMP/m-$file.out" rps)
	MHD_ROWS="$MHD_ROWS
| \`$path\` | $bytes | $(f0 "$nrps") | $(f0 "$mrps") | $(f2 "$(kv "$TMP/m-$file.out" p50_ms)") | $(f2 "$(kv "$TMP/m-$file.out" p99_ms)") | **$(ratio "$mrps" "$nrps")** | $(ratio "$krps" "$mrps") | $(ratio "$crps" "$mrps") | $(errs_all "m-$file") |"
done <"$TMP/pages"
kill -TERM "$MPID" 2>/dev/null || true
wait "$MPID" 2>/dev/null || true
MPID=""
# The floor under the API lists' cold renders: SQLite alone running each
# list's statements (bench/sql_floor.c), on the same database, one thread.
# With what the cached runs show sending the same bytes costs (Kenes's
# server) and receiving them (nginx's rest: wrk and the kernel), it bounds
# what any render from this database could do at $CONNS connections: the
# cores can finish at most cores / (floor + send + receive) requests a
# second, and wrk keeps $CONNS waiting, so by Little's law the mean latency
# is at least $CONNS times that CPU over the cores.
FLOOR_ROWS_MD=""
# the tightest spread of any read run above (any server, URL and round): the
# least p99 / mean, and where it was
SPREAD=$(for f in "$TMP"/[nmkc]-*-[0-9]*.out; do
	echo "$(kv "$f" p99_ms) $(kv "$f" mean_ms) ${f##*/}"
done | awk '$2 > 0 { r = $1 / $2; if (!n++ || r < b) { b = r; w = $3 } } END { if (n) printf "%.2f %s", b, w }')
SPREAD_MIN=${SPREAD%% *} SPREAD_RUN=${SPREAD#* }
# that run named: its server, URL and round (the files are S-pN-ROUND.out)
SPREAD_WHERE=$(echo "${SPREAD_RUN%.out}" | awk -F- -v pages="$TMP/pages" '{
	split("n nginx m bare-libmicrohttpd k Kenes-cached c Kenes-cold", a, " ")
	for (i = 1; i < 8; i += 2) if (a[i] == $1) s = a[i + 1]
	while ((getline l < pages) > 0) { split(l, f, " "); if (f[3] == $2) u = f[2] }
	gsub(/-/, " ", s); printf "%s on `%s`, round %s", s, u, $3 }')
FLOOR_NOTE=""
while read -r label path file ctype; do
	case "$path" in /api/v1/councils/*/assignments | /api/v1/councils/*/assignments\?*) ;; *) continue ;; esac
	slug=${path#/api/v1/councils/} slug=${slug%%/*}
	lim=$(echo "$path" | sed -n 's/.*[?&]limit=\([0-9]*\).*/\1/p')
	timeout $((DUR + 30)) "$TMP/sql_floor" "$DB" "$slug" "${lim:-100}" "$DUR" >"$TMP/floor-$file.out" || die "sql_floor failed"
	fu=$(kv "$TMP/floor-$file.out" us_per_request) fr=$(kv "$TMP/floor-$file.out" rows)
	ks=$(cpu_us "$TMP/k-$file.out" server) nr=$(cpu_us "$TMP/n-$file.out" rest)
	# sum, the most req/s, the least mean latency and the p99 at that spread
	awk -v f="$fu" -v k="$ks" -v n="$nr" -v c="$(nproc)" -v q="$CONNS" -v sp="$SPREAD_MIN" \
		'BEGIN { t = f + k + n; m = q * t / c / 1000; printf "%.1f %.0f %.2f %.2f\n", t, c * 1e6 / t, m, m * sp }' \
		>"$TMP/floor-$file.sum"
	read -r fsum frate fmean fp99 <"$TMP/floor-$file.sum"
	FLOOR_ROWS_MD="$FLOOR_ROWS_MD
| \`$path\` | $fr | $fu | $ks | $nr | $fsum | $frate | $fmean | $fp99 | $(f0 "$(kv "$TMP/c-$file.out" rps)") | $(f2 "$(kv "$TMP/c-$file.out" mean_ms)") | $(f2 "$(kv "$TMP/c-$file.out" p99_ms)") |"
	FLOOR_NOTE="$FLOOR_NOTE \`$path\` mean ≥ $fmean ms, p99 ≈ $fp99 ms;"
	log "SQL floor of the cold $path: $fu µs per request ($fr rows)"
done <"$TMP/pages"
# Instructions per request, counted by callgrind (bench/instructions.py):
# unlike req/s, the same from run to run, so a change's effect shows
INSTR_N=${BENCH_INSTR_REQUESTS:-200}
python3 "$ROOT/bench/instructions.py" "$KENES" "$DB" "$ROOT/build/locale" "$TMP/pages" "$TMP/instr.out" "$INSTR_N" >&2 ||
	die "bench/instructions.py failed"
INSTR_ROWS=$(grep '^|' "$TMP/instr.out")
log "instructions per request counted (callgrind, $INSTR_N requests per URL)"
HWM_READ=$(status_kib "$KPID" VmHWM)
RSS_READ=$(status_kib "$KPID" VmRSS)

# ---- write path ------------------------------------------------------------------
get_token secretary
SECRETARY=$TOKEN
get_token citizen
CITIZEN=$TOKEN
get_token
HWM_TOKEN=$(status_kib "$KPID" VmHWM)

# ---- reads while records change: what the page cache keeps ---------------------
# The busy page read by 64 connections while a modest stream of writes runs
# beside it (one connection, BENCH_MIXED_DELAY_MS between requests): appeals,
# which the assignments page does not read, then agencies, a table it reads (the
# names of its rows' agencies and of its filter's), so every agency written
# retires the cached page: the cache works a table at a time, and does not know
# that a new agency with no assignment in the council leaves the page as it was.
MIXED_ROWS=""
MDELAY=${BENCH_MIXED_DELAY_MS:-10}
MDUR=$((DUR * 2))
read -r mlabel mpath mfile mctype <"$TMP/pages"
mixed_run() { # TAG LUA PATH TOKEN WHAT
	h0=$(metric kenes_page_cache_hits_total) m0=$(metric kenes_page_cache_misses_total)
	BENCH_DIR="$ROOT/bench" BENCH_TOKEN=$4 BENCH_RUN="m$1" BENCH_DELAY_MS=$MDELAY timeout $((MDUR + 30)) \
		wrk -t1 -c1 -d"$MDUR"s --latency -s "$2" "$KURL$3" >"$TMP/mixed-w-$1.out" 2>&1 &
	mw=$!
	run_wrk "$TMP/mixed-r-$1.out" "$CONNS" "$MDUR" bench/read.lua "$KURL$mpath"
	wait "$mw" || die "the write stream beside the reads failed"
	h1=$(metric kenes_page_cache_hits_total) m1=$(metric kenes_page_cache_misses_total)
	mh=$((h1 - h0)) mm=$((m1 - m0))
	MIXED_ROWS="$MIXED_ROWS
| $5 | $(f0 "$(kv "$TMP/mixed-w-$1.out" rps)") | $(f0 "$(kv "$TMP/mixed-r-$1.out" rps)") | $(f2 "$(kv "$TMP/mixed-r-$1.out" p50_ms)") | $(f2 "$(kv "$TMP/mixed-r-$1.out" p99_ms)") | $mh / $mm | $(awk -v h="$mh" -v m="$mm" 'BEGIN { if (h + m > 0) printf "%.2f", 100 * h / (h + m); else print "-" }') % | $(errs "$TMP/mixed-r-$1.out") / $(errs "$TMP/mixed-w-$1.out") |"
}
log "reads beside writes: GET $mpath (-c$CONNS) with appeals, then agencies, filed on one connection every ${MDELAY} ms"
mixed_run a bench/appeal.lua "$APPEAL_PATH" "$CITIZEN" "appeals (not on the page)"
mixed_run g bench/write.lua "$WRITE_PATH" "$TOKEN" "agencies (a table the page reads: each retires it)"

# ---- the appeals' lists as the writes below grow them ------------------------------
# The appeals' pages and API answers read from the database (cold: ?lang=en,
# which the page cache skips), one wrk run each, once the reads beside writes
# above have filed some hundreds of appeals (a page of each list is full: the
# same rows to show at both sizes) and again once the write runs below have
# filed some twenty thousand more: the council's public list (page and API),
# its statistics (every appeal read), and, with the secretary's token, the
# secretariat's list and inbox (the secretary is told of every appeal filed).
# A list that read every appeal for a page would fall with their number; one
# read from its index does not.
SCALE_URLS="public list page|/councils/ncpt/appeals?lang=en|
public list, API|/api/v1/councils/ncpt/appeals?lang=en|
statistics page|/councils/ncpt/appeals/statistics?lang=en|
secretariat's list, API|/api/v1/councils/ncpt/appeals/triage|secretary
secretary's inbox, API|/api/v1/inbox|secretary"
# scale_reads TAG: one run per URL, into $TMP/scale-TAG-N.out
scale_reads() {
	n=0
	while IFS='|' read -r _label spath swho; do
		n=$((n + 1))
		stok=""
		[ "$swho" = secretary ] && stok=$SECRETARY
		BENCH_TOKEN=$stok run_wrk "$TMP/scale-$1-$n.out" "$CONNS" "$DUR" bench/read_auth.lua "$KURL$spath"
	done <<EOF
$SCALE_URLS
EOF
}
appeals_now() { sqlite3 "$DB" "SELECT count(*) FROM appeals a JOIN councils c ON c.id = a.council_id WHERE c.slug = 'ncpt'"; }
SCALE_N0=$(appeals_now)
log "the appeals' lists at $SCALE_N0 appeals: wrk -t$WTHREADS -c$CONNS -d${DUR}s each"
scale_reads before

# keep-alive on the write too (one POST pair on one connection)
WKA_NOTE=""
curl -sv -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d '{"slug":"ka-check-1","name":{"en":"Keep-alive check"},"kind":"other"}' "$KURL$WRITE_PATH" --next \
	-o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d '{"slug":"ka-check-2","name":{"en":"Keep-alive check"},"kind":"other"}' "$KURL$WRITE_PATH" >"$TMP/wka.out" 2>&1 || true
if grep -qi '^< connection: close' "$TMP/wka.out" || ! grep -q 'Re-using existing connection' "$TMP/wka.out"; then
	WKA_NOTE="WARNING: POST $WRITE_PATH answered with Connection: close (keep-alive lost on writes)"
	log "$WKA_NOTE"
fi

# sample the resident size while the writes run (VmHWM already holds the
# password hashing's peak from the token request above)
(
	peak=0 i=0
	while [ $i -lt $((WDUR * 20 + 300)) ] && kill -0 "$KPID" 2>/dev/null; do
		r=$(status_kib "$KPID" VmRSS)
		[ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$TMP/wpeak"
		[ -e "$TMP/wdone" ] && break
		sleep 0.1
		i=$((i + 1))
	done
) &
SPID=$!
log "write path: POST $APPEAL_PATH (citizen), wrk -t$WTHREADS -c$WCONNS -d${WDUR}s, a new subject per request"
BENCH_TOKEN=$CITIZEN BENCH_RUN=ab run_wrk "$TMP/appeal.out" "$WCONNS" "$WDUR" bench/appeal.lua "$KURL$APPEAL_PATH"
log "write path: POST $WRITE_PATH (operator), wrk -t$WTHREADS -c$WCONNS -d${WDUR}s, unique slug per request"
BENCH_TOKEN=$TOKEN BENCH_RUN=wb run_wrk "$TMP/write.out" "$WCONNS" "$WDUR" bench/write.lua "$KURL$WRITE_PATH"
touch "$TMP/wdone"
wait "$SPID" 2>/dev/null || true
SPID=""
WPEAK=$(cat "$TMP/wpeak" 2>/dev/null || echo 0)
HWM_END=$(status_kib "$KPID" VmHWM)
SCALE_N1=$(appeals_now)
log "the appeals' lists at $SCALE_N1 appeals"
scale_reads after
HWM_SCALE=$(status_kib "$KPID" VmHWM)
SCALE_ROWS=""
n=0
while IFS='|' read -r slabel spath swho; do
	n=$((n + 1))
	b="$TMP/scale-before-$n.out" a="$TMP/scale-after-$n.out"
	SCALE_ROWS="$SCALE_ROWS
| $slabel: \`$spath\`${swho:+ ($swho)} | $(f0 "$(kv "$b" rps)") | $(f2 "$(kv "$b" p50_ms)") | $(f2 "$(kv "$b" p99_ms)") | $(f0 "$(kv "$a" rps)") | $(f2 "$(kv "$a" p50_ms)") | $(f2 "$(kv "$a" p99_ms)") | $(ratio "$(kv "$a" rps)" "$(kv "$b" rps)") | $(errs "$b") / $(errs "$a") |"
done <<EOF
$SCALE_URLS
EOF
wrps=$(kv "$TMP/write.out" rps)
werr=$(( $(kv "$TMP/write.out" errors) + $(kv "$TMP/write.out" non2xx) ))
wreq=$(kv "$TMP/write.out" requests)
arps=$(kv "$TMP/appeal.out" rps)
aerr=$(( $(kv "$TMP/appeal.out" errors) + $(kv "$TMP/appeal.out" non2xx) ))
areq=$(kv "$TMP/appeal.out" requests)

stop_kenes
WROWS=$(sqlite3 "$DB" "SELECT count(*) FROM agencies WHERE slug LIKE 'wb-%'")
AROWS=$(sqlite3 "$DB" "SELECT count(*) FROM appeals WHERE subject LIKE 'Street lights out ab-%'")
INTEG=$(sqlite3 "$DB" "PRAGMA integrity_check")

# the C baseline on a database of the same schema, same pragmas
# c_loops WRITE KENES_RPS: the C loop for that write in three settings, as table rows in C_ROWS
c_loops() {
	C_ROWS=""
	for mode in "FULL same" "FULL insert" "NORMAL insert"; do
		rm -f "$TMP/c.db" "$TMP/c.db-wal" "$TMP/c.db-shm"
		"$KENES" migrate --db "sqlite:$TMP/c.db" >/dev/null 2>&1 || die "migrate (C baseline) failed"
		if [ "$1" = appeal ]; then
			KENES_DEMO_PASSWORD=$PASSWORD "$KENES" demo --db "sqlite:$TMP/c.db" >/dev/null 2>&1 || die "demo (C baseline) failed"
		fi
		# shellcheck disable=SC2086
		timeout $((WDUR + 30)) "$TMP/sqlite_insert" "$TMP/c.db" "$WDUR" $mode "$1" >"$TMP/c.out" ||
			die "sqlite_insert $mode $1 failed"
		# shellcheck disable=SC2086
		set -- "$1" "$2" $mode
		cwps=$(kv "$TMP/c.out" wps)
		C_ROWS="$C_ROWS
| C loop, synchronous=$3, $4 (audit rows: $(kv "$TMP/c.out" audit)) | $(f0 "$cwps") | $(kv "$TMP/c.out" writes) | $(ratio "$2" "$cwps") |"
	done
}
c_loops appeal "$arps"
C_APPEAL=$C_ROWS
c_loops agency "$wrps"

# ---- the same write on PostgreSQL (a throwaway cluster by tests/pg.sh) ---------------
PG_ROW=""
if [ "${BENCH_PG:-1}" = 1 ] && [ -f tests/pg.sh ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
	PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/kenes-bench-pg.XXXXXX")
	PGURL=$(sh tests/pg.sh start "$PGDIR") || die "could not start PostgreSQL (tests/pg.sh)"
	"$KENES" migrate --db "$PGURL" >>"$TMP/setup.log" 2>&1 || die "migrate (PostgreSQL) failed"
	KENES_DEMO_PASSWORD=$PASSWORD "$KENES" demo --db "$PGURL" >>"$TMP/setup.log" 2>&1 || die "demo (PostgreSQL) failed"
	BENCH_SERVE_ARGS="${BENCH_SERVE_ARGS:-} $RATE_ARGS" start_kenes "$PGURL" pg
	get_token citizen
	log "write path on PostgreSQL: POST $APPEAL_PATH, wrk -t$WTHREADS -c$WCONNS -d${WDUR}s"
	BENCH_TOKEN=$TOKEN BENCH_RUN=ap run_wrk "$TMP/write-pg.out" "$WCONNS" "$WDUR" bench/appeal.lua "$KURL$APPEAL_PATH"
	stop_kenes
	pq() { psql -X -q -t -A -d "$PGURL" -c "$1"; }
	prows=$(pq "SELECT count(*) FROM appeals WHERE subject LIKE 'Street lights out ap-%'")
	prps=$(kv "$TMP/write-pg.out" rps)
	perr=$(( $(kv "$TMP/write-pg.out" errors) + $(kv "$TMP/write-pg.out" non2xx) ))
	PG_ROW="
| Kenes HTTP on PostgreSQL $(pq 'SHOW server_version' | cut -d' ' -f1) (fsync=$(pq 'SHOW fsync'), synchronous_commit=$(pq 'SHOW synchronous_commit'); p50 $(f2 "$(kv "$TMP/write-pg.out" p50_ms)") ms, p99 $(f2 "$(kv "$TMP/write-pg.out" p99_ms)") ms, errors+non-2xx $perr) | $(f0 "$prps") | $(kv "$TMP/write-pg.out" requests) answered, $prows rows | ($(ratio "$prps" "$arps") of Kenes on SQLite) |"
	sh tests/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
	PGDIR=""
fi


# ---- votes (consultations): group commit over HTTP vs plain SQLite inserts --------
# A consultation open to anyone with 100 statements; every request is a new
# (participant, statement) vote from a per-browser id (bench/vote.lua); the
# server answers 201 only after the batch holding the vote has committed
# (synchronous=FULL). Baseline: bench/vote_insert.c, the same rows, one commit
# per vote and 64 per commit. Env: BENCH_VOTE_THREADS [128] server threads,
# BENCH_VOTE_CONNECTIONS [128] wrk connections.
bench_votes() {
	VDB="$TMP/votes.db"
	VT=${BENCH_VOTE_THREADS:-0} VC=${BENCH_VOTE_CONNECTIONS:-128}
	"$KENES" migrate --db "sqlite:$VDB" >>"$TMP/setup.log" 2>&1 || die "migrate (votes) failed"
	KENES_DEMO_PASSWORD=$PASSWORD "$KENES" demo --db "sqlite:$VDB" >>"$TMP/setup.log" 2>&1 || die "demo (votes) failed"
	BENCH_SERVE_ARGS="${BENCH_SERVE_ARGS:-} --threads $VT" start_kenes "sqlite:$VDB" votes
	vtok=$(curl -s -X POST -H 'Content-Type: application/json' \
		-d "{\"login\":\"secretary\",\"password\":\"$PASSWORD\",\"name\":\"bench\"}" "$KURL/api/v1/tokens" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	[ -n "$vtok" ] || die "no secretary token (votes)"
	seeds=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf "%s\"Bench statement %d\"", i ? "," : "", i }')
	cid=$(curl -s -X POST -H "Authorization: Bearer $vtok" -H 'Content-Type: application/json' \
		-d "{\"question\":\"Bench\",\"opens_on\":\"2020-01-01\",\"closes_on\":\"2099-12-31\",\"who\":\"anyone\",\"seeds\":[$seeds]}" \
		"$KURL/api/v1/councils/ncpt/consultations" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
	[ -n "$cid" ] || die "could not create the bench consultation"
	log "votes: POST /api/v1/councils/ncpt/consultations/$cid/votes, wrk -t$WTHREADS -c$VC -d${WDUR}s, kenes --threads $VT"
	BENCH_STATEMENTS=100 BENCH_RUN=vb run_wrk "$TMP/votes.out" "$VC" "$WDUR" bench/vote.lua \
		"$KURL/api/v1/councils/ncpt/consultations/$cid/votes"
	stop_kenes
	vreq=$(kv "$TMP/votes.out" requests) vnon=$(kv "$TMP/votes.out" non2xx) verr=$(kv "$TMP/votes.out" errors)
	vack=$((vreq - vnon))
	vrows=$(sqlite3 "$VDB" "SELECT count(*) FROM consultation_votes WHERE consultation_id = $cid")
	vsecs=$(kv "$TMP/votes.out" seconds)
	vrps=$(awk -v a="$vack" -v s="$vsecs" 'BEGIN { printf "%.1f", a / s }')
	VROWS_C=""
	for b in 1 64; do
		rm -f "$TMP/v.db" "$TMP/v.db-wal" "$TMP/v.db-shm"
		"$KENES" migrate --db "sqlite:$TMP/v.db" >/dev/null 2>&1 || die "migrate (vote baseline) failed"
		timeout $((WDUR + 30)) "$TMP/vote_insert" "$TMP/v.db" "$WDUR" "$b" 100 >"$TMP/vi.out" || die "vote_insert $b failed"
		cv=$(sed -n 's/.* vps=\([0-9.]*\).*/\1/p' "$TMP/vi.out")
		VROWS_C="$VROWS_C
| C loop, plain INSERT, synchronous=FULL, $b vote(s) per commit | $(f0 "$cv") | $(sed -n 's/.* votes=\([0-9]*\).*/\1/p' "$TMP/vi.out") | $(ratio "$vrps" "$cv") |"
	done
	{
		echo
		echo "Votes (consultations): \`POST /api/v1/councils/ncpt/consultations/ID/votes\` (JSON, a per-browser id cookie, a new participant every 100 votes), \`wrk -t$WTHREADS -c$VC -d${WDUR}s\`, \`kenes serve --threads $VT\`, SQLite WAL synchronous=FULL; each 201 is sent after the transaction holding the vote committed (group commit by the vote writer). Acknowledged = 2xx answers."
		echo
		echo "| writer | votes/s | votes | Kenes / this |"
		echo "| --- | ---: | ---: | ---: |"
		echo "| Kenes HTTP, group commit (p50 $(f2 "$(kv "$TMP/votes.out" p50_ms)") ms, p99 $(f2 "$(kv "$TMP/votes.out" p99_ms)") ms, non-2xx $vnon, errors $verr) | $(f0 "$vrps") | $vack acknowledged, $vrows rows | - |$VROWS_C"
	} >>"$OUT"
	[ "$vrows" -ge "$vack" ] || die "fewer vote rows ($vrows) than acknowledged votes ($vack)"
}

# ---- report ------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
{
	echo "### Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)), $(free -h | awk '/^Mem:/ {print $2}') RAM, Linux $(uname -r); $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | sed 's/.*: //'), SQLite $(sqlite3 --version | cut -d' ' -f1); kenes $threads_line."
	echo
	echo "Read path: per URL, $ROUNDS rounds of \`wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency\` on one connection set each, the servers in turn within a round: nginx (worker_processes auto, the same bytes, the same Content-Type), the bare libmicrohttpd server (second table), Kenes as anonymous visitors get the page (*cached*: rendered once, served from memory), Kenes rendering from the database on every request (*cold*: the same URL with \`?lang=en\`, same bytes, which the page cache skips). Each server's req/s, p50 and p99 are those of its median round by req/s; errors and the cache counters are summed over the rounds. SQLite database with the demo data. Latencies in ms."
	echo
	echo "| URL | bytes | nginx req/s | p50 | p99 | Kenes cached req/s | p50 | p99 | cached/nginx | Kenes cold req/s | p50 | p99 | cold/nginx | errors N/K/C | cache hits / misses in the cached runs |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |$READ_ROWS"
	echo
	echo "The library's ceiling: the same bytes from a bare libmicrohttpd server (bench/mhd_static.c: the daemon settings and thread count of \`kenes serve\`, each answer prepared once, no work of ours per request), measured in the same rounds right after nginx, same wrk settings, median round. *MHD/nginx* is the most Kenes could reach on that URL with this library; the last two columns put Kenes's runs above against it."
	echo
	echo "| URL | bytes | nginx req/s | bare MHD req/s | p50 | p99 | MHD/nginx | Kenes cached / MHD | Kenes cold / MHD | errors |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$MHD_ROWS"
	echo
	echo "Where the CPU went, in the same median rounds: µs of CPU per request, *server* (user + system time of the server's processes, all threads; nginx: master and workers) / *rest* (the rest of the machine's busy time from /proc/stat: wrk, the network work the kernel did outside the server, anything else running). wrk and the server share the $(nproc) cores, so a server's req/s is $(nproc),000,000 µs / (server + rest); the last column is what server and rest together may spend per request for Kenes cold to reach 0.3 of nginx."
	echo
	echo "| URL | nginx server / rest | bare MHD server / rest | Kenes cached server / rest | Kenes cold server / rest | at 0.3 of nginx: server + rest ≤ |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |$CPU_ROWS"
	echo
	echo "Instructions per request (bench/instructions.py): \`kenes serve --threads 1\` under valgrind's callgrind on the same database, per URL $INSTR_N requests on one keep-alive connection after 10 of warm-up, cold (\`?lang=en\`) and then cached; all the process's instructions in user space (the kernel's work, sending and receiving, is not counted), split by the library that executed them. Unlike req/s these counts are the same from run to run (within 0.2 %), so a change's effect shows even where wrk's rounds move by 15 %."
	echo
	echo "| URL | cold: instructions per request | Kenes | SQLite | libc | libmicrohttpd | other (xxhash, loader) | cached: instructions per request |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	echo "$INSTR_ROWS"
	echo
	echo "The floor under the API lists' cold renders: *SQL floor* is SQLite alone running the statements of one cold request (the council, its count, the page's records with all the API's columns, the names of the agencies the council gave assignments to, in one read transaction) on the same database, every cell read as the server reads it and nothing else done (bench/sql_floor.c, one thread, ${DUR} s); *send* is Kenes's server CPU per request in the cached runs above (the same bytes, from memory); *receive* is the rest of the machine's CPU per request in nginx's runs (wrk reading the same bytes, and the kernel). A render from this database costs at least their sum, so the $(nproc) cores finish at most $(nproc),000,000 µs / sum requests a second, and with wrk keeping $CONNS requests waiting, the mean latency is at least $CONNS × sum / $(nproc) (Little's law). A p99 lies above the mean, by how much the runs tell: the tightest of all the read runs above (every server, URL and round) had its p99 at ${SPREAD_MIN:-?} times its mean ($SPREAD_WHERE); *p99 at the tightest spread* is the mean's bound times that. The last three columns are Kenes cold as measured (median round)."
	echo
	echo "| URL | rows | SQL floor µs | send µs | receive µs | sum µs | at most req/s | mean latency ≥ ms | p99 at the tightest spread ≈ ms | Kenes cold req/s | mean ms | p99 ms |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$FLOOR_ROWS_MD"
	echo
	[ -n "$KA_NOTE" ] && echo "$KA_NOTE" && echo
	echo "Write path: filing an appeal, \`POST $APPEAL_PATH\` with a citizen's bearer token (JSON: subject, body, category, urgency, visibility, scale; a new subject per request), \`wrk -t$WTHREADS -c$WCONNS -d${WDUR}s\`, the appeal rate limits lifted (\`$RATE_ARGS\`); the server runs SQLite WAL, synchronous=FULL. Each 201 is sent after the appeal's transaction committed: the two rate counters, the council's yearly reference counter, the appeal, its hash-chained event and two in-app notifications (the filer's and the secretary's). The C loop (bench/sqlite_insert.c appeal) writes the same rows with the same statements on a database made by \`kenes migrate\` and \`kenes demo\`, one writer, for ${WDUR} s: *same* = the bearer check's token UPDATE (its own commit) plus the appeal's transaction; *insert* = that transaction alone."
	echo
	echo "| writer | writes/s | writes | Kenes / this |"
	echo "| --- | ---: | ---: | ---: |"
	echo "| Kenes HTTP on SQLite (p50 $(f2 "$(kv "$TMP/appeal.out" p50_ms)") ms, p99 $(f2 "$(kv "$TMP/appeal.out" p99_ms)") ms, errors+non-2xx $aerr) | $(f0 "$arps") | $areq answered, $AROWS rows | - |$C_APPEAL$PG_ROW"
	echo
	echo "The earlier write, for comparison with earlier runs: \`POST $WRITE_PATH\` with an operator's bearer token, a new slug per request, same settings; its C loop (bench/sqlite_insert.c agency) runs the agency's statements."
	echo
	echo "| writer | writes/s | writes | Kenes / this |"
	echo "| --- | ---: | ---: | ---: |"
	echo "| Kenes HTTP on SQLite (p50 $(f2 "$(kv "$TMP/write.out" p50_ms)") ms, p99 $(f2 "$(kv "$TMP/write.out" p99_ms)") ms, errors+non-2xx $werr) | $(f0 "$wrps") | $wreq answered, $WROWS rows | - |$C_ROWS"
	echo
	[ -n "$WKA_NOTE" ] && echo "$WKA_NOTE" && echo
	echo "Reads while records change: \`GET $mpath\` as anonymous visitors get it, \`wrk -t$WTHREADS -c$CONNS -d${MDUR}s --latency\`, while a second wrk (one connection, a ${MDELAY} ms pause before each request) files appeals, which the page does not read, and then creates agencies, a table it reads (the names of its rows' and its filter's agencies): a cached page is retired only when a table its render read is written, so each new agency retires it, although one with no assignment in the council leaves the page as it was. Hits and misses are the server's page-cache counters over the run (the write requests are not counted: they are not cacheable)."
	echo
	echo "| written beside the reads | writes/s | reads/s | p50 | p99 | cache hits / misses | hit rate | errors reads / writes |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$MIXED_ROWS"
	echo
	echo "The appeals' lists as the writes grew them: each URL read from the database (cold), \`wrk -t$WTHREADS -c$CONNS -d${DUR}s --latency\`, once on the council's $SCALE_N0 appeals after the reads beside writes (the demo's and those filed beside the reads: a page of each list is full) and once on its $SCALE_N1 after the write runs; the secretariat's list and the inbox with the secretary's bearer token. Latencies in ms."
	echo
	echo "| page | req/s at $SCALE_N0 appeals | p50 | p99 | req/s at $SCALE_N1 | p50 | p99 | after / before | errors before / after |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$SCALE_ROWS"
	echo
	echo "Memory of the server (KiB → MiB): after start $(mib "$RSS_START") MiB resident; peak (VmHWM) over the read runs $(mib "$HWM_READ") MiB (resident after them $(mib "$RSS_READ") MiB); peak after one token request (argon2id password check) $(mib "$HWM_TOKEN") MiB; highest resident sampled during the write runs $(mib "$WPEAK") MiB; VmHWM at the end of the write runs $(mib "$HWM_END") MiB, and after the reads of the appeals' lists at $SCALE_N1 appeals $(mib "$HWM_SCALE") MiB."
	echo
	echo "After the run: database integrity_check: $INTEG; Kenes stopped cleanly on SIGTERM."
	echo
	echo "Targets in this run (issue 6; $(nproc) cores, $CONNS connections): cached ≥ 1.0 of nginx on $CACHED_OK of $NURLS URLs${CACHED_MISS:+ (not:${CACHED_MISS%;})}; cold ≥ 0.3 of nginx on $COLD_OK of $NURLS${COLD_MISS:+ (not:${COLD_MISS%;})}; p99 < 10 ms in $P99_OK of $((2 * ROUNDS * NURLS)) Kenes runs${P99_MISS:+ (not:${P99_MISS%;})}; what a cold render could reach at best, costing nothing but its SQL (the floor table):${FLOOR_NOTE%;}; peak RSS $(mib "$HWM_END") MiB $(awk -v k="$HWM_END" 'BEGIN { print (k < 65536 ? "< 64 MiB" : "≥ 64 MiB: over the target") }')."
} >"$OUT"
echo
cat "$OUT"
[ "$INTEG" = ok ] || die "integrity_check: $INTEG"
[ "$WROWS" -ge "$wreq" ] || die "fewer rows ($WROWS) than answered writes ($wreq)"
[ "$AROWS" -ge "$((areq - aerr))" ] || die "fewer appeals ($AROWS) than acknowledged filings ($((areq - aerr)))"
bench_votes && sed -n '/^Votes (consultations)/,$p' "$OUT"

kill -QUIT "$NPID" 2>/dev/null || true
wait "$NPID" 2>/dev/null || true
NPID=""

if [ -f bench/opinion.sh ] && [ "${BENCH_SKIP_OPINION:-0}" != 1 ]; then
	echo
	log "bench/opinion.sh"
	sh bench/opinion.sh
fi
