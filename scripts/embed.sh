#!/bin/sh
# Turn files into a C source of NUL-terminated byte arrays, so that the
# schema, the default texts and the console's web files kept in the repo
# are compiled in.  Beside NAME[] and NAME_count it writes NAME_files[]
# (each file's name without its folder) and NAME_sizes[] (its length in
# bytes, for files that may hold a NUL, such as gzip).
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
printf 'const char *const %s_files[] = {' "$name"
for f in "$@"; do printf ' "%s",' "$(basename "$f")"; done
printf ' 0 };\n'
printf 'const unsigned long %s_sizes[] = {' "$name"
for f in "$@"; do printf ' %sUL,' "$(wc -c < "$f" | tr -d ' ')"; done
printf ' 0 };\n'
printf 'const int %s_count = %d;\n' "$name" "$i"
