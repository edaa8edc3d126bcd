#!/bin/sh
# Runs every unit-test program in DIR (default build/tests) and prints the
# summed "N passed, N failed" line. Exit status is non-zero on any failure.
# With KN_TEST_PG_DIR (a cluster from tests/pg.sh) each program also runs its
# storage tests on a fresh PostgreSQL database of its own.
dir=${1:-build/tests}
pass=0 fail=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	# each program gets its own empty PostgreSQL database when a cluster is
	# given (KN_TEST_PG_DIR, started by tests/pg.sh); they must not share one
	if [ -n "${KN_TEST_PG_DIR:-}" ]; then
		dbn="$(basename "$t")_$(basename "$(dirname "$(dirname "$t")")")_$$"
		KN_TEST_PG_URL=$(sh tests/pg.sh createdb "$KN_TEST_PG_DIR" "$(printf '%s' "$dbn" | tr -c 'a-z0-9_\n' '_')")
		export KN_TEST_PG_URL
	fi
	out=$("$t" 2>&1); rc=$?
	line=$(printf '%s\n' "$out" | grep -E ': [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		printf '%s\n' "$out"; echo "$t: crashed or printed no summary (exit $rc)"
		fail=$((fail + 1)); continue
	fi
	[ $rc -ne 0 ] && printf '%s\n' "$out"
	p=$(printf '%s' "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p)); fail=$((fail + f))
	echo "  $line"
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
