#!/bin/sh
# bench/opinion.sh: times `kenes opinion analyze` on synthetic Pol.is-shaped conversations vs a scikit-learn baseline.
# Usage: sh bench/opinion.sh   (from the repo root, after `make`; run by `make bench`)
# Env: KENES (binary with the `opinion` command; default build/kenes, else a
# driver linked against build/libkenes.a), PYTHON (default /usr/bin/python3),
# OPINION_BENCH_SKIP_SKLEARN=1 to time Kenes only.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kenes-opinion-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

KENES=${KENES:-build/kenes}
if ! "$KENES" opinion --help >/dev/null 2>&1; then
	# build/kenes does not dispatch `opinion` (yet): link a tiny driver
	[ -f build/libkenes.a ] || { echo "bench/opinion.sh: build/libkenes.a missing (run make)" >&2; exit 1; }
	printf 'int kn_cmd_opinion(int argc, char **argv);\nint main(int argc, char **argv) { return kn_cmd_opinion(argc - 1, argv + 1); }\n' >"$TMP/drv.c"
	${CC:-cc} -O2 -o "$TMP/kenes" "$TMP/drv.c" build/libkenes.a -lm -lpthread
	KENES="$TMP/kenes"
fi

echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM; $(date -u '+%Y-%m-%d %H:%M UTC')"

# field NAME FILE: the number after "NAME " in FILE
field() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p" "$2" | head -n 1; }
rss() { sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$1"; }

ROWS=""
run_case() { # name participants statements votes seed
	name=$1 dir="$TMP/$1"
	"$KENES" opinion synth --participants "$2" --statements "$3" --votes "$4" --seed "$5" "$dir" 2>"$TMP/synth.err" ||
		{ cat "$TMP/synth.err" >&2; exit 1; }
	echo "== $name: $(cat "$TMP/synth.err" | sed 's/^kenes opinion synth: //')"
	best=""
	for i in 1 2 3; do
		/usr/bin/time -v "$KENES" opinion analyze --time "$dir" >"$TMP/k.out" 2>"$TMP/k.err" ||
			{ cat "$TMP/k.err" >&2; exit 1; }
		c=$(field compute "$TMP/k.err") t=$(field total "$TMP/k.err") r=$(rss "$TMP/k.err")
		echo "kenes run $i: parse $(field parse "$TMP/k.err") ms, compute $c ms, total $t ms, peak RSS $r KiB; $(sed -n 's/^groups: //p' "$TMP/k.out")"
		if [ -z "$best" ] || awk "BEGIN{exit !($c < $best)}"; then best=$c bt=$t br=$r; fi
	done
	if [ "${OPINION_BENCH_SKIP_SKLEARN:-0}" = 1 ]; then
		ROWS="$ROWS$name $best $bt $br - - -\n"
		return
	fi
	/usr/bin/time -v "$PYTHON" bench/opinion_sklearn.py "$dir" >"$TMP/s.out" 2>"$TMP/s.err" ||
		{ cat "$TMP/s.out" "$TMP/s.err" >&2; exit 1; }
	sc=$(field compute "$TMP/s.out") st=$(field total "$TMP/s.out") sr=$(rss "$TMP/s.err")
	echo "sklearn: parse $(field parse "$TMP/s.out") ms, compute $sc ms, total $st ms, peak RSS $sr KiB; $(head -n 1 "$TMP/s.out")"
	ROWS="$ROWS$name $best $bt $br $sc $st $sr\n"
	rm -rf "$dir"
}

run_case 33k-x-783-2M 33000 783 2000000 42
run_case 100k-x-1000-5pct 100000 1000 5000000 43

echo
echo "compute = update excluding CSV parse (Kenes: best of 3 runs); RSS = peak resident set (/usr/bin/time -v)"
printf '%-18s %12s %12s %10s | %12s %12s %10s | %8s %8s\n' case kenes_ms kenes_tot kenes_MiB sklearn_ms sklearn_tot sk_MiB speedup mem_ratio
printf "$ROWS" | while read -r n kc kt kr sc st sr; do
	if [ "$sc" = "-" ]; then
		printf '%-18s %12s %12s %10d |\n' "$n" "$kc" "$kt" $((kr / 1024))
	else
		awk -v n="$n" -v kc="$kc" -v kt="$kt" -v kr="$kr" -v sc="$sc" -v st="$st" -v sr="$sr" 'BEGIN {
			printf "%-18s %12.1f %12.1f %10.0f | %12.1f %12.1f %10.0f | %7.1fx %7.1fx\n",
				n, kc, kt, kr / 1024, sc, st, sr / 1024, sc / kc, sr / kr }'
	fi
done
