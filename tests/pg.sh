#!/bin/sh
# Starts or stops a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
#   tests/pg.sh start DIR   creates DIR/data, starts the server on a free port,
#                           prints the connection URL (postgres://...) on stdout
#   tests/pg.sh stop DIR    stops it and removes DIR
#   tests/pg.sh createdb DIR NAME   creates a database, prints its URL
# initdb refuses to run as root: as root the cluster belongs to the postgres
# user. Only loopback: listen_addresses=127.0.0.1, the socket in DIR.
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: tests/pg.sh start|stop|createdb DIR [NAME]" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -A trust -U kenes -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2; exit 1; }
	port=$(free_port)
	echo "$port" >"$dir/port"
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null || {
		cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U kenes kenes
	echo "postgres://kenes@127.0.0.1:$port/kenes"
	;;
createdb)
	name=${3:?database name}
	port=$(cat "$dir/port")
	as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U kenes "$name"
	echo "postgres://kenes@127.0.0.1:$port/$name"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
