#!/bin/sh
# replay.sh: runs every built fuzz target (build/fuzz/fuzz_*) once over its
# checked-in corpus and its regression inputs, without fuzzing. Prints one
# line per target and "fuzz-replay: N passed, N failed" (N targets); exits
# non-zero when any input crashes or breaks an invariant.
# Usage: sh tests/fuzz/replay.sh [BINDIR]   (default build/fuzz)
bindir=${1:-build/fuzz}
root=$(dirname "$0")
pass=0 fail=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT INT TERM

for t in "$bindir"/fuzz_*; do
	case $t in *.d | *.o | *.a) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	set --
	for d in "$root/corpus/$name" "$root/regressions/$name"; do
		[ -d "$d" ] || continue
		for f in "$d"/*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
	done
	if [ $# -eq 0 ]; then
		echo "  $name: no corpus or regression inputs"
		fail=$((fail + 1))
		continue
	fi
	# files as arguments: libFuzzer runs each once and does not fuzz
	"$t" -timeout=25 "$@" >"$log" 2>&1
	rc=$?
	ran=$(grep -c '^Executed ' "$log")
	if [ $rc -ne 0 ] || [ "$ran" -ne $# ]; then
		tail -n 40 "$log"
		echo "  $name: FAILED ($ran of $# inputs ran, exit $rc)"
		fail=$((fail + 1))
	else
		echo "  $name: $ran inputs ok"
		pass=$((pass + 1))
	fi
done
echo "fuzz-replay: $pass passed, $fail failed"
[ $fail -eq 0 ]
