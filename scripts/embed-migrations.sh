#!/bin/sh
# Turns src/store/migrations/NNNN_*.sql into a C array of strings, in file
# name order; the numbers must run 1, 2, 3... without gaps.
set -eu
dir=${1:-src/store/migrations}
printf '/* generated from %s by scripts/embed-migrations.sh: do not edit */\n#include <stddef.h>\n' "$dir"
n=0
for f in "$dir"/[0-9][0-9][0-9][0-9]_*.sql; do
	n=$((n + 1))
	num=$(basename "$f" | cut -c1-4 | sed 's/^0*//')
	if [ "$num" -ne "$n" ]; then
		echo "embed-migrations: $f: expected migration number $n" >&2
		exit 1
	fi
	printf 'static const char m%d[] = {\n' "$n"
	od -An -v -tx1 "$f" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/\t/'
	printf '\t0x00};\n'
done
printf 'const char *const kn_migrations[] = {'
i=1
while [ $i -le $n ]; do printf 'm%d, ' $i; i=$((i + 1)); done
printf 'NULL};\nconst int kn_nmigrations = %d;\n' "$n"

