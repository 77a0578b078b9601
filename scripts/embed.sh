#!/bin/sh
# Turn files into a C source of NUL-terminated byte arrays, so that the
# schema and default texts kept as .sql files in the repo are compiled in.
# usage: embed.sh ARRAY_NAME FILE... > out.c
set -eu
name=$1; shift
i=0
for f in "$@"; do
	printf 'static const char %s_%d[] = {\n' "$name" "$i"
	od -An -v -tx1 "$f" | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
	printf '0x00 };\n'
	i=$((i + 1))
done
printf 'const char *const %s[] = {' "$name"
i=0
for f in "$@"; do printf ' %s_%d,' "$name" "$i"; i=$((i + 1)); done
printf ' 0 };\n'
printf 'const int %s_count = %d;\n' "$name" "$i"
