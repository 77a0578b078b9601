#!/bin/sh
# Run every unit test binary and integration script; print a closing line
# "N passed, N failed" and exit non-zero if anything failed.
# usage: tests/run.sh BUILD_DIR [PATTERN]
build=${1:-build}
pattern=${2:-}
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0
failed_names=""

run_one() { # run_one NAME COMMAND...
	name=$1; shift
	case $name in *"$pattern"*) ;; *) return ;; esac
	echo "== $name"
	start=$(date +%s)
	if "$@"; then
		pass=$((pass + 1)); echo "== $name: passed ($(( $(date +%s) - start )) s)"
	else
		fail=$((fail + 1)); failed_names="$failed_names $name"
		echo "== $name: FAILED"
	fi
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] && run_one "unit/$(basename "$t")" "$t"
done
for t in tests/integ/*.sh tests/atsim/selftest.sh; do
	case $t in */lib.sh) continue ;; esac
	[ -f "$t" ] || continue
	run_one "$t" env KT_BUILD="$build" sh "$t" "$build/atsim"
done
echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
