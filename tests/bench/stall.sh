#!/bin/bash
#
# The loop's worst stall while the CLI writes a lot, and how fast a poke
# from the CLI reaches a subscriber.  `make bench` runs it after
# bench.sh; it runs alone too:
#
# usage: tests/bench/stall.sh BUILD_DIR
#
# One kentongand on BENCH_STALL_MODEMS simulated AT modems (tests/atsim;
# 4, so that the replies to an SMS every 0.25 s are within what they can
# send), its sweeps set to ten minutes (sweep_interval = 600), so that
# only the control socket can make it act at once.
#   1. poke latency: `kentongan price set` for a commodity with one
#      subscriber, BENCH_POKE_N times; from the command's start to the
#      alert's SMS-SUBMIT at the simulator (libgammu's ~0.6 s of sleeps
#      in every AT+CMGS included: see the floor in BENCHMARKS.md).
#   2. the load: a BENCH_STALL_ROWS-row CSV contact import, then a
#      broadcast to all of them, from the CLI, while an SMS "HARGA
#      CABAI" arrives every BENCH_STALL_EVERY seconds.  The daemon's
#      loop-lag probe (daemon/lag.c: a 50 ms timer that records how late
#      it runs) gives the worst stall of the loop over the daemon's whole
#      run; the replies' latencies are printed beside it, idle and under
#      load (each includes the send floor, and under load a broadcast SMS
#      the modem may be sending when the reply comes).
# Prints a Markdown table on stdout (kept in BUILD_DIR/bench-run/stall/
# table.md); progress on stderr.
set -u

BUILD=${1:?usage: stall.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
KTD=$BUILD/kentongand
KT=$BUILD/kentongan
ATSIM=$BUILD/atsim
W=$BUILD/bench-run/stall
ROWS=${BENCH_STALL_ROWS:-100000}
EVERY=${BENCH_STALL_EVERY:-0.25}
MODEMS=${BENCH_STALL_MODEMS:-4}
POKE_N=${BENCH_POKE_N:-5}
IDLE_N=${BENCH_STALL_IDLE_N:-5}
LC_ALL=C
export LC_ALL

for f in "$KTD" "$KT" "$ATSIM"; do
	[ -x "$f" ] || { echo "stall.sh: $f is missing (make all $BUILD/atsim)" >&2; exit 2; }
done
rm -rf "$W"
mkdir -p "$W"
# shellcheck source=tests/bench/lib.sh
. "$HERE/lib.sh"
trap bench_cleanup EXIT
kt() { "$KT" -c "$W/kt.conf" "$@"; }

# reply_ms NUMBER SENT_MS: when the first SMS to NUMBER after SENT_MS
# reached a modem, minus SENT_MS; nothing when there is none yet.
reply_ms() {
	cat "$W"/m*.rec | awk -F'\t' -v to="$1" -v t0="$2" \
	    '$2 == to && $1 >= t0 && (m == "" || $1 < m) { m = $1 }
	    END { if (m != "") print m - t0 }'
}

# replied NUMBER SENT_MS: it has reached a modem.
replied() { [ -n "$(reply_ms "$1" "$2")" ]; }

# inject_one NUMBER: an SMS to the modem; its time goes to $W/injected.
inject_one() {
	echo "$1 $(bench_now)" >> "$W/injected"
	sim_ctl "$W" m1 inject "$1" "HARGA CABAI KEDIRI" > /dev/null
}

bench_note "stall: $ROWS contacts, an SMS every $EVERY s"
awk -v n="$ROWS" 'BEGIN { print "phone,name,village,groups";
    for (i = 0; i < n; i++)
	printf "0812%08d,Petani %d,Desa %d,PETANI\n", i, i, i % 100 }' \
    > "$W/contacts.csv"
names=""
for i in $(seq 1 "$MODEMS"); do
	sim_start "$W" "m$i" || { echo "stall.sh: the simulator did not start" >&2; exit 1; }
	names="$names m$i"
done
# shellcheck disable=SC2086
kt_conf "$W" $names
echo "sweep_interval = 600;" >> "$W/kt.conf"
kt price set CABAI KEDIRI 45000 kg > /dev/null 2>&1
kt_start "$W" "$MODEMS" > /dev/null || { echo "stall.sh: kentongand did not start" >&2; exit 1; }

# A subscriber, by SMS.
SUB=+6281100000001
sim_ctl "$W" m1 inject "$SUB" "LANGGANAN CABAI" > /dev/null
bench_wait 30 replied "$SUB" 0

# 1. poke latency.
: > "$W/poke"
for i in $(seq 1 "$POKE_N"); do
	t0=$(bench_now)
	kt price set CABAI KEDIRI $((45000 + i * 100)) kg > /dev/null 2>&1
	bench_wait 30 replied "$SUB" "$t0" || break
	reply_ms "$SUB" "$t0" >> "$W/poke"
done

# 2a. reply latency, idle.
: > "$W/injected"
for i in $(seq 1 "$IDLE_N"); do
	inject_one "+628120000$(printf %04d "$i")"
	bench_wait 30 replied "+628120000$(printf %04d "$i")" 0
done
mv "$W/injected" "$W/injected.idle"

# 2b. the load, with an SMS every EVERY seconds meanwhile.
(
	i=0
	while [ ! -e "$W/load.done" ]; do
		i=$((i + 1))
		inject_one "+628130000$(printf %04d "$i")"
		bench_sleep "$EVERY"
	done
) &
injector=$!
bench_track $injector
t0=$(bench_now)
kt contact import "$W/contacts.csv" > "$W/import.out" 2>&1
t1=$(bench_now)
kt broadcast send --to all "Rapat kelompok tani besok pagi" > "$W/broadcast.out" 2>&1
t2=$(bench_now)
touch "$W/load.done"
wait "$injector"
nload=$(wc -l < "$W/injected")
# Every reply to the SMS of the load, then stop (the log's last word is
# the probe's worst lag).
replies_in() { # replies_in FILE: each injected number has its reply
	local num at
	while read -r num at; do
		replied "$num" "$at" || return 1
	done < "$1"
}
bench_wait 180 replies_in "$W/injected"
bench_stop "$KT_PID"
lag=$(sed -n 's/.*loop: worst lag \([0-9]*\) ms over \([0-9]*\) ticks.*/\1 \2/p' "$W/kt.log")
late=$(grep -c "loop: [0-9]* ms late" "$W/kt.log")
recipients=$(sqlite3 "$W/kt.db" "SELECT recipients FROM broadcasts ORDER BY id DESC LIMIT 1")

while read -r num at; do reply_ms "$num" "$at"; done < "$W/injected.idle" > "$W/reply.idle"
while read -r num at; do reply_ms "$num" "$at"; done < "$W/injected" > "$W/reply.load"
read -r pmed pmin pmax pn <<< "$(bench_stats "$W/poke")"
read -r imed imin imax in_ <<< "$(bench_stats "$W/reply.idle")"
read -r lmed lmin lmax ln <<< "$(bench_stats "$W/reply.load")"

{
	echo "| figure | result | how |"
	echo "| --- | --- | --- |"
	echo "| loop: worst stall | **${lag%% *} ms** | loop-lag probe over the daemon's whole run (${lag##* } ticks of 50 ms), $late lag(s) over 250 ms logged |"
	echo "| contact import, $ROWS rows | $(PRECISION=1 bench_calc "($t1 - $t0) / 1000") s | \`kentongan contact import\`, 2,000 rows a transaction |"
	echo "| broadcast to all, $recipients recipients | $(PRECISION=1 bench_calc "($t2 - $t1) / 1000") s | \`kentongan broadcast send --to all\`, 2,000 a transaction |"
	echo "| SMS reply, idle | $imed ms median, $imax max (n=$in_) | inject at the simulator -> reply SMS-SUBMIT |"
	echo "| SMS reply, during the load | $lmed ms median, $lmax max (n=$ln of $nload) | one every $EVERY s through the import and the broadcast |"
	echo "| CLI poke -> subscriber | $pmed ms median, $pmin-$pmax (n=$pn) | \`price set\` -> alert SMS-SUBMIT, sweeps 600 s away |"
} | tee "$W/table.md"
