#!/bin/sh
# Turns a file into a C source defining a byte array and its length, so
# static assets ship inside the kenes binary. Usage: embed.sh FILE NAME
set -eu
file=$1 name=$2
printf '/* generated from %s by scripts/embed.sh: do not edit */\n#include <stddef.h>\n' "$file"
printf 'const unsigned char %s[] = {\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/\t/'
printf '};\nconst size_t %s_len = sizeof(%s);\n' "$name" "$name"
