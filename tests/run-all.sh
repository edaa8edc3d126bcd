#!/bin/sh
# The whole test suite, as `make test` runs it: source checks, translations,
# unit tests (plain and under ASan+UBSan), the storage tests and the
# end-to-end tests on SQLite and on a throwaway PostgreSQL cluster, the fuzz
# corpus replay and the crash-safety test. Ends with one line:
#   all: N passed, N failed
set -u
cd "$(dirname "$0")/.."
B=${BUILD:-build}
out=$(mktemp -d /tmp/kenes-test.XXXXXX)
pgdir=$(mktemp -u /tmp/kenes-pg.XXXXXX)
total_pass=0
total_fail=0
status=0

cleanup() {
	[ -d "$pgdir" ] && sh tests/pg.sh stop "$pgdir"
	rm -rf "$out"
}
trap cleanup EXIT INT TERM

# Runs a step, shows its output, adds its "N passed, N failed" lines.
step() {
	sname=$1
	shift
	echo "== $sname"
	log="$out/step.log"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	# the step's own summary is its last unindented "N passed, N failed" line
	line=$(grep -E '^[^ ].*: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=0 f=0
	if [ -n "$line" ]; then
		p=$(printf '%s' "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(printf '%s' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$sname: exit status $rc"
	fi
	[ $rc -ne 0 ] && status=1
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

export KN_SHARED_DIR="${KN_SHARED_DIR:-../shared}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"

step checksrc sh scripts/checksrc.sh
[ -f scripts/po-check.sh ] && step i18n sh scripts/po-check.sh

# PostgreSQL for the storage and end-to-end tests
mkdir -p "$out"
if ! pgurl=$(sh tests/pg.sh start "$pgdir"); then
	echo "could not start PostgreSQL"
	total_fail=$((total_fail + 1))
	status=1
	pgurl=""
fi
newdb() { sh tests/pg.sh createdb "$pgdir" "$1"; }

if [ -n "$pgurl" ]; then
	KN_TEST_PG_DIR=$pgdir step "unit tests" sh tests/unit/run.sh $B/tests
	KN_TEST_PG_DIR=$pgdir step "unit tests (ASan+UBSan)" sh tests/unit/run.sh $B/asan/tests
else
	step "unit tests" sh tests/unit/run.sh $B/tests
	step "unit tests (ASan+UBSan)" sh tests/unit/run.sh $B/asan/tests
fi

for t in tests/e2e/test_*.py; do
	name=$(basename "$t" .py)
	step "$name sqlite" python3 "$t" $B/kenes "sqlite:$out/$name.db" sqlite
	step "$name sqlite (ASan+UBSan)" python3 "$t" $B/asan/kenes "sqlite:$out/$name-asan.db" sqlite-asan
	if [ -n "$pgurl" ]; then
		step "$name postgres" python3 "$t" $B/kenes "$(newdb "${name}_pg")" pg
		step "$name postgres (ASan+UBSan)" python3 "$t" $B/asan/kenes "$(newdb "${name}_pg_asan")" pg-asan
	fi
done

[ -f tests/browser/run.sh ] && step "browser" sh tests/browser/run.sh $B/kenes
[ -f tests/fuzz/replay.sh ] && step "fuzz corpus replay" sh tests/fuzz/replay.sh $B/fuzz
[ -f tests/crash/run.sh ] && step "crash safety (short)" sh tests/crash/run.sh short

echo
echo "all: $total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ] && [ $status -eq 0 ]
