#!/bin/bash
# Run every unit test binary and integration script; print a closing line
# "N passed, N failed" and exit non-zero if anything failed.
#
# Integration scripts mostly wait on modems and timers, so up to KT_JOBS
# (default 4) run at once, each in its own temp folder with its own daemon;
# a script's output is printed whole when it ends, so logs never interleave.
#
# usage: tests/run.sh BUILD_DIR [PATTERN]
build=${1:-build}
pattern=${2:-}
jobs_max=${KT_JOBS:-4}
cd "$(dirname "$0")/.." || exit 2
logs=$(mktemp -d /tmp/kt-run.XXXXXX)
trap 'rm -rf "$logs"' EXIT
pass=0
fail=0
failed_names=""
names=()
started=""

# Start one test in the background; its log and status land in $logs.
start_one() { # start_one NAME COMMAND...
	local name=$1 key
	shift
	case $name in *"$pattern"*) ;; *) return ;; esac
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
	key=${name//\//_}
	names+=("$name")
	(
		start=$(date +%s)
		"$@" > "$logs/$key.log" 2>&1
		echo "$? $(( $(date +%s) - start ))" > "$logs/$key.rc"
	) &
}

# Print a finished test's log and count it.
report_one() { # report_one NAME
	local name=$1 key rc secs
	key=${name//\//_}
	read -r rc secs < "$logs/$key.rc" || { rc=1; secs=?; }
	echo "== $name"
	cat "$logs/$key.log"
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1)); echo "== $name: passed ($secs s)"
	else
		fail=$((fail + 1)); failed_names="$failed_names $name"
		echo "== $name: FAILED (exit $rc, $secs s)"
	fi
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] && start_one "unit/$(basename "$t")" "$t"
done
# The slowest first, so they overlap the many short ones instead of
# running alone at the end.
slow="tests/atsim/selftest.sh tests/integ/crash.sh tests/integ/fault.sh
tests/integ/broadcast.sh"
for t in $slow tests/integ/*.sh tests/browser/*.sh tests/lint/*.sh; do
	case $t in */lib.sh) continue ;; esac
	case " $started " in *" $t "*) continue ;; esac
	started="$started $t"
	[ -f "$t" ] || continue
	start_one "$t" env KT_BUILD="$build" sh "$t" "$build/atsim"
	# AT modem tests run on both engines: the default (native) above,
	# libgammu's here (not the probe and the profiles' noise: native only).
	case $t in */at_probe.sh|*/at_profiles.sh) ;;
	*/at_*.sh|*/ussd.sh|*/balance.sh)
		start_one "$t[gammu]" env KT_BUILD="$build" KT_ENGINE=gammu \
		    sh "$t" "$build/atsim" ;;
	esac
done
wait
for name in "${names[@]}"; do
	report_one "$name"
done
echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
