#!/bin/sh
# run.sh: fuzzes every built target (build/fuzz/fuzz_*) for SECONDS each
# (default 60). New inputs go to a scratch corpus seeded from the
# checked-in one, so the repository is not touched; a crash, leak, timeout
# or out-of-memory input is kept in tests/fuzz/regressions/<target>/ for
# replay.sh. Prints one line per target and a summary; exits non-zero when
# any target failed.
# Usage: sh tests/fuzz/run.sh [SECONDS] [BINDIR]
secs=${1:-60}
bindir=${2:-build/fuzz}
root=$(dirname "$0")
pass=0 fail=0 total=0
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

for t in "$bindir"/fuzz_*; do
	case $t in *.d | *.o | *.a) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	scratch=$work/$name/corpus
	art=$work/$name/artifacts
	mkdir -p "$scratch" "$art"
	# the scratch dir comes first: libFuzzer writes new inputs there only
	set -- "$scratch"
	for d in "$root/corpus/$name" "$root/regressions/$name"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	"$t" -max_total_time="$secs" -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$art/" "$@" >"$work/$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -n 1)
	total=$((total + ${execs:-0}))
	kept=""
	for f in "$art"/*; do
		[ -f "$f" ] || continue
		mkdir -p "$root/regressions/$name"
		cp "$f" "$root/regressions/$name/"
		kept="$kept $root/regressions/$name/$(basename "$f")"
	done
	if [ $rc -ne 0 ] || [ -n "$kept" ]; then
		grep -E 'ERROR|invariant|SUMMARY|unsafe' "$work/$name.log" | head -n 10
		echo "  $name: FAILED after ${execs:-?} execs (exit $rc); kept:$kept"
		fail=$((fail + 1))
	else
		echo "  $name: ${secs}s, ${execs:-?} execs, $(ls "$scratch" | wc -l) new inputs, no crash"
		pass=$((pass + 1))
	fi
done
echo "fuzz-run: $pass passed, $fail failed ($total execs, ${secs}s per target)"
[ $fail -eq 0 ]
