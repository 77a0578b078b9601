#!/bin/bash
#
# kentongan's benchmarks: `make bench` runs this after an optimised build.
#
# usage: tests/bench/bench.sh BUILD_DIR
#
# Prints one Markdown table (figure, result, how it was measured) on
# stdout and keeps it in BUILD_DIR/bench-run/table.md; progress goes to
# stderr.  BENCHMARKS.md records a run and says how to read it.
#
# DESIGN
# Everything modem-bound runs against tests/atsim (a simulated AT modem
# on a pty) through libgammu's AT driver, for kentongand and for Debian's
# gammu-smsd alike, so both pay the same ~0.7 s that libgammu sleeps in
# every AT+CMGS; that floor is measured on its own (floor.c) and printed
# beside the figures it bounds.  A scenario is a "lane": its own
# simulator(s), daemon, database and folder under BUILD_DIR/bench-run.
# All modem lanes (latency, bursts) run side by side in one phase: they
# mostly wait on the simulated modem, ten minutes would not hold them one
# after another, and comparisons then see the same machine load.  Figures
# are medians with min and max over repeated runs (or over the messages
# of a run: latency percentiles), and ratios are taken between lanes of
# the same phase.
#
# Knobs (environment), full run / BENCH_QUICK=1:
#   BENCH_LAT_N        100 / 10   messages for reply latency (kentongand
#                                 and gammu-smsd fast)
#   BENCH_LAT_DEF_N    4 / 1      messages for gammu-smsd default latency
#                                 (about 30 s each: its outbox and inbox
#                                 are polled every 15-30 s)
#   BENCH_BURST_N      200 / 20   messages in a burst
#   BENCH_BURST_DEF_N  50 / 10    the same for gammu-smsd default (about
#                                 2 s a message, more for a few: 200 would
#                                 not fit in ten minutes); compared per
#                                 message
#   BENCH_SEND_DELAY   500        realistic simulator send time (ms)
#   BENCH_CORE_N       2000 / 300 messages per core-throughput run
#   BENCH_REPS         3 / 2      runs of core, start-up and enqueue
#   BENCH_FLOOR_N      10 / 5     sends for the libgammu floor, at
#                                 send-delay 0 and at BENCH_SEND_DELAY
#   BENCH_CONTACTS     100000     contacts (and group members)
#   BENCH_WINDOW       15 / 6     seconds of dispatch measured per modem count
#   BENCH_SMSD_LOOPSLEEP 1        gammu-smsd fast LoopSleep (0 spins a core)
set -u

BUILD=${1:?usage: bench.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
KTD=$BUILD/kentongand
KT=$BUILD/kentongan
ATSIM=$BUILD/atsim
CORE=$BUILD/bench/core
FLOOR=$BUILD/bench/floor
INJECT=$BUILD/bench/inject
W=$BUILD/bench-run
LC_ALL=C
export LC_ALL

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	q=1
else
	q=0
fi
pick() { if [ $q = 1 ]; then echo "$2"; else echo "$1"; fi; }
LAT_N=${BENCH_LAT_N:-$(pick 100 10)}
LAT_DEF_N=${BENCH_LAT_DEF_N:-$(pick 4 1)}
BURST_N=${BENCH_BURST_N:-$(pick 200 20)}
BURST_DEF_N=${BENCH_BURST_DEF_N:-$(pick 50 10)}
SEND_DELAY=${BENCH_SEND_DELAY:-500}
CORE_N=${BENCH_CORE_N:-$(pick 2000 300)}
REPS=${BENCH_REPS:-$(pick 3 2)}
FLOOR_N=${BENCH_FLOOR_N:-$(pick 10 5)}
CONTACTS=${BENCH_CONTACTS:-100000}
WINDOW=${BENCH_WINDOW:-$(pick 15 6)}

. "$HERE/lib.sh"

for f in "$KTD" "$KT" "$ATSIM" "$CORE" "$FLOOR" "$INJECT"; do
	[ -x "$f" ] || { echo "bench: $f missing: run make bench" >&2; exit 2; }
done
for c in gammu-smsd gammu-smsd-inject gammu-smsd-monitor sqlite3; do
	command -v "$c" >/dev/null ||
	    { echo "bench: $c missing: scripts/deps.sh --bench" >&2; exit 2; }
done

rm -rf "$W"
mkdir -p "$W"
: > "$W/pids"
trap 'bench_cleanup' EXIT
trap 'exit 130' INT TERM
T_START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PRICES_DB=$W/prices.db

# fail LANE_DIR TEXT: record why a lane stopped.
fail() { echo "$2" > "$1/error"; bench_note "$(basename "$1"): $2"; }

# --- shared data ------------------------------------------------------------

# The database every kentongand lane starts from: the price asked about,
# CONTACTS contacts, all in group PETANI.  And gammu-smsd's price table.
prepare() {
	local d=$W/base
	mkdir -p "$d"
	kt_conf "$d" m
	"$KT" -c "$d/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null ||
	    return 1
	sqlite3 -batch "$d/kt.db" "
	    INSERT INTO contacts (phone, created_at, updated_at)
	    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
	    WHERE i < $CONTACTS) SELECT printf('+62811%07d', i), 0, 0 FROM n;
	    INSERT INTO groups (name, created_at) VALUES ('PETANI', 0);
	    INSERT INTO group_members SELECT 1, id, 0 FROM contacts;
	    PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || return 1
	sqlite3 -batch "$PRICES_DB" "CREATE TABLE prices (commodity TEXT,
	    market TEXT, price INTEGER, unit TEXT);
	    INSERT INTO prices VALUES ('CABAI', 'KEDIRI', 45000, 'kg');"
}

# base_db DIR: a private copy of the prepared database.
base_db() { cp "$W/base/kt.db" "$1/kt.db"; }

# --- lanes ------------------------------------------------------------------

# one_reply DIR SENDER: one message, wait for its reply; print latency ms.
one_reply() {
	local d=$1 base t0
	base=$(sim_sent "$d" m)
	t0=$(bench_now)
	sim_ctl "$d" m inject "$2" "HARGA CABAI" >/dev/null || return 1
	bench_wait 120 sim_sent_ge "$d" m $((base + 1)) || return 1
	echo $(( $(sim_time "$d" m $((base + 1))) - t0 ))
}

# lat_run DIR N TAG: N messages one at a time, latencies in DIR/lat.
lat_run() {
	local d=$1 n=$2 tag=$3 i v
	: > "$d/lat"
	for ((i = 1; i <= n; i++)); do
		v=$(one_reply "$d" "+62812${tag}$(printf %05d "$i")") || return 1
		echo "$v" >> "$d/lat"
	done
}

# burst_run DIR N DELAY TAG: inject N at once (inject.c, one connection) with send-delay DELAY; DIR/burst
# gets "MS_TO_LAST_REPLY MS_TO_INJECT DISTINCT_RECIPIENTS N".
burst_run() {
	local d=$1 n=$2 delay=$3 tag=$4 base t0 t1 last
	sim_ctl "$d" m send-delay "$delay" >/dev/null || return 1
	base=$(sim_sent "$d" m)
	t0=$(bench_now)
	"$INJECT" "$d/m.ctl" "+62813$tag" "$n" "HARGA CABAI" || return 1
	t1=$(bench_now)
	BENCH_POLL=0.5 bench_wait $(( n * (delay + 700) * 3 / 1000 + 120 )) \
	    sim_sent_ge "$d" m $((base + n)) || return 1
	last=$(tail -n +$((base + 1)) "$d/m.rec" | cut -f1 | sort -n | tail -1)
	echo "$((last - t0)) $((t1 - t0)) $(tail -n +$((base + 1)) \
	    "$d/m.rec" | cut -f2 | sort -u | wc -l) $n" > "$d/burst"
}

# lane_kt DIR KIND [DELAY]: kentongand on one simulated modem; KIND lat
# or burst.  DIR/start, DIR/hwm_idle and DIR/hwm hold what was seen.
lane_kt() {
	local d=$1 kind=$2 delay=${3:-0} tag=${4:-0}
	mkdir -p "$d"
	sim_start "$d" m || { fail "$d" "simulator did not start"; return; }
	base_db "$d"
	kt_conf "$d" m
	kt_start "$d" 1 > "$d/start" || { fail "$d" "kentongand not ready"; return; }
	if [ "$kind" = lat ]; then
		one_reply "$d" "+628129${tag}0000000" > "$d/warm" ||
		    { fail "$d" "no reply to the warm-up message"; return; }
		kt_hwm "$d" "$KT_PID" > "$d/hwm_idle"
		lat_run "$d" "$LAT_N" "$tag" || fail "$d" "a reply did not come"
	else
		burst_run "$d" "$BURST_N" "$delay" "$tag" ||
		    fail "$d" "$(( $(sim_sent "$d" m) - 1 )) of $BURST_N replies"
	fi
	kt_hwm "$d" "$KT_PID" > "$d/hwm"
	bench_stop "$KT_PID"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# lane_smsd DIR MODE KIND [DELAY]: the same on gammu-smsd.
lane_smsd() {
	local d=$1 mode=$2 kind=$3 delay=${4:-0} tag=${5:-0} n
	mkdir -p "$d"
	sim_start "$d" m || { fail "$d" "simulator did not start"; return; }
	smsd_conf "$d" "$mode"
	smsd_start "$d" > "$d/start" || { fail "$d" "gammu-smsd not ready"; return; }
	if [ "$kind" = lat ]; then
		one_reply "$d" "+628129${tag}0000000" > "$d/warm" ||
		    { fail "$d" "no reply to the warm-up message"; return; }
		echo "$(bench_hwm "$SMSD_PID") 0" > "$d/hwm_idle"
		n=$LAT_N
		[ "$mode" = default ] && n=$LAT_DEF_N
		lat_run "$d" "$n" "$tag" || fail "$d" "a reply did not come"
	else
		n=$BURST_N
		[ "$mode" = default ] && n=$BURST_DEF_N
		burst_run "$d" "$n" "$delay" "$tag" ||
		    fail "$d" "$(sim_sent "$d" m) of $n replies"
	fi
	echo "$(bench_hwm "$SMSD_PID") 0" > "$d/hwm"
	bench_stop "$SMSD_PID"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# --- phases -----------------------------------------------------------------

phase_core() {
	local d=$W/core r
	mkdir -p "$d"
	: > "$d/rates"
	for ((r = 1; r <= REPS; r++)); do
		rm -f "$d"/core.db*
		printf 'database = "%s/core.db";\ncountry_code = "62";\nmodems = ( { name = "m"; device = "%s/dummy"; connection = "none"; model = "dummy"; } );\n' \
		    "$d" "$d" > "$d/core.conf"
		"$CORE" "$d/core.conf" "$CORE_N" > "$d/out.$r" 2>&1 ||
		    { fail "$d" "$(tail -1 "$d/out.$r")"; return; }
		sed -n 's/.*: \([0-9]*\) msgs\/s$/\1/p' "$d/out.$r" >> "$d/rates"
	done
}

phase_floor() {
	local d=$W/floor
	mkdir -p "$d"
	sim_start "$d" m || { fail "$d" "simulator did not start"; return; }
	timeout 120 "$FLOOR" "$d/m.tty" "$FLOOR_N" > "$d/ms0" 2> "$d/err" ||
	    { fail "$d" "$(tail -1 "$d/err")"; return; }
	sim_ctl "$d" m send-delay "$SEND_DELAY" >/dev/null
	timeout 120 "$FLOOR" "$d/m.tty" "$FLOOR_N" > "$d/msd" 2> "$d/err" ||
	    fail "$d" "$(tail -1 "$d/err")"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# Start-up to ready, and idle footprint, with CONTACTS contacts.
phase_start() {
	local d=$W/start r
	mkdir -p "$d"
	sim_start "$d" m || { fail "$d" "simulator did not start"; return; }
	base_db "$d"
	kt_conf "$d" m
	: > "$d/started"; : > "$d/up"
	for ((r = 1; r <= REPS; r++)); do
		kt_start "$d" 1 > "$d/s" || { fail "$d" "kentongand not ready"; return; }
		cut -d' ' -f1 "$d/s" >> "$d/started"
		cut -d' ' -f2 "$d/s" >> "$d/up"
		sleep 1		# idle: let the first poll and health check pass
		kt_hwm "$d" "$KT_PID" > "$d/hwm_idle"
		bench_stop "$KT_PID"
	done
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# Enqueue a broadcast to every contact; dispatch it over 1, 2, 4 modems.
phase_broadcast() {
	local d=$W/bcast r t0 t1 m i names tA k lo hi
	mkdir -p "$d"
	kt_conf "$d" m
	: > "$d/enqueue"
	for ((r = 1; r <= REPS; r++)); do
		base_db "$d"
		t0=$(bench_now)
		"$KT" -c "$d/kt.conf" broadcast send --to PETANI \
		    "Pelatihan pupuk Sabtu 09.00 di balai desa" > "$d/enq.out" ||
		    { fail "$d" "broadcast send failed"; return; }
		t1=$(bench_now)
		echo $((t1 - t0)) >> "$d/enqueue"
	done
	sqlite3 -batch "$d/kt.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	for m in 1 2 4; do
		local dm=$W/dispatch-$m
		mkdir -p "$dm"
		names=""
		for ((i = 1; i <= m; i++)); do
			sim_start "$dm" "m$i" || { fail "$dm" "simulator"; return; }
			names="$names m$i"
		done
		cp "$d/kt.db" "$dm/kt.db"
		# shellcheck disable=SC2086
		kt_conf "$dm" $names
		kt_start "$dm" "$m" > "$dm/start" ||
		    { fail "$dm" "kentongand not ready"; return; }
		tA=$(( $(bench_now) + 2000 ))
		sleep $(( WINDOW + 3 ))	# the measured window, then a margin
		: > "$dm/rates"
		for k in 0 1 2; do
			lo=$(( tA + k * WINDOW * 1000 / 3 ))
			hi=$(( tA + (k + 1) * WINDOW * 1000 / 3 ))
			cat "$dm"/m*.rec | awk -v lo="$lo" -v hi="$hi" -v \
			    s="$WINDOW" '$1 >= lo && $1 < hi { n++ }
			    END { printf "%.2f\n", n / (s / 3) }' >> "$dm/rates"
		done
		bench_stop "$KT_PID"
		for ((i = 1; i <= m; i++)); do
			sim_ctl "$dm" "m$i" quit >/dev/null 2>&1
		done
	done
}

# --- the table --------------------------------------------------------------

# err_of DIR: the lane's failure, if any.
err_of() { [ -f "$1/error" ] && echo "FAILED: $(cat "$1/error")"; }

# mmm FILE [SCALE]: "median (min-max)" of FILE divided by SCALE.
mmm() {
	local m lo hi n
	read -r m lo hi n < <(bench_stats "$1")
	[ "$n" = 0 ] && { echo "-"; return; }
	local PRECISION=${PRECISION:-0}
	echo "$(bench_calc "$m / ${2:-1}") ($(bench_calc "$lo / ${2:-1}")–$(bench_calc "$hi / ${2:-1}"))"
}

# lat_cell DIR: "p50 / p99 ms (min–max, n)" of a latency lane.
lat_cell() {
	local e
	e=$(err_of "$1") && { echo "$e"; return; }
	read -r _ lo hi n < <(bench_stats "$1/lat")
	echo "p50 $(bench_pct "$1/lat" 50) / p99 $(bench_pct "$1/lat" 99) ms (min $lo, max $hi; n=$n)"
}

# ratio A B: A/B to two decimals, or - when either is missing.
ratio() {
	case "$1$2" in *-*|'') echo "-" ;; *)
	    [ "$2" = 0 ] && { echo "-"; return; }
	    bench_calc "$1 / $2" ;; esac
}

# burst_ms DIR: ms per message of a burst lane, or -.
burst_ms() {
	local t n
	if [ ! -f "$1/burst" ] || [ -f "$1/error" ]; then
		echo "-"
		return
	fi
	read -r t _ _ n < "$1/burst"
	PRECISION=0 bench_calc "$t / $n"
}

# burst_cell DIR: total seconds and per message, distinct recipients.
burst_cell() {
	local e t i u n
	e=$(err_of "$1") && { echo "$e"; return; }
	read -r t i u n < "$1/burst"
	echo "$(PRECISION=1 bench_calc "$t / 1000") s for $n = $(burst_ms "$1") ms/msg ($u distinct recipients; injected in $i ms)"
}

# hwm_cell DIR FILE: "LOOP + WORKERS kB".
hwm_cell() {
	[ -f "$1/$2" ] || { echo "-"; return; }
	read -r a b < "$1/$2"
	if [ "$b" = 0 ]; then echo "$a kB"; else
		echo "$a kB loop + $b kB worker = $((a + b)) kB"; fi
}

# burst_rows DELAY SUFFIX FLOOR_MS: the three burst rows at one send-delay.
burst_rows() {
	local delay=$1 x=$2 f k
	f=$(PRECISION=0 bench_calc "$3")
	k=$(burst_ms "$W/burst-kt-$x")
	echo "| burst, send-delay $delay ms: kentongand | $(burst_cell "$W/burst-kt-$x") | $BURST_N injected at once over one control connection (inject.c), one per sender; first inject → last reply PDU. Simulator limit $BURST_N × $delay ms = $(PRECISION=1 bench_calc "$BURST_N * $delay / 1000") s; with libgammu, $BURST_N × $f ms = $(PRECISION=1 bench_calc "$BURST_N * $f / 1000") s; floor/measured $(ratio "$f" "$k") |"
	echo "| burst, send-delay $delay ms: gammu-smsd fastest | $(burst_cell "$W/burst-smsd-fast-$x") | same workload; kentongand/gammu-smsd per message $(ratio "$k" "$(burst_ms "$W/burst-smsd-fast-$x")") |"
	echo "| burst, send-delay $delay ms: gammu-smsd default | $(burst_cell "$W/burst-smsd-default-$x") | $BURST_DEF_N messages (see BENCH_BURST_DEF_N); kentongand/gammu-smsd per message $(ratio "$k" "$(burst_ms "$W/burst-smsd-default-$x")") |"
}

table() {
	local f0 fd kp50 gfp50 gdp50 kp99 gfp99 gdp99 m fl
	f0=$(PRECISION=0 bench_calc "$(bench_stats "$W/floor/ms0" | cut -d' ' -f1)")
	fd=$(bench_stats "$W/floor/msd" | cut -d' ' -f1)
	fl=$(err_of "$W/floor") ||
	    fl="$(PRECISION=0 mmm "$W/floor/ms0") ms at send-delay 0; $(PRECISION=0 mmm "$W/floor/msd") ms at $SEND_DELAY ms"
	kp50=$(bench_pct "$W/lat-kt/lat" 50); kp99=$(bench_pct "$W/lat-kt/lat" 99)
	gfp50=$(bench_pct "$W/lat-smsd-fast/lat" 50); gfp99=$(bench_pct "$W/lat-smsd-fast/lat" 99)
	gdp50=$(bench_pct "$W/lat-smsd-default/lat" 50); gdp99=$(bench_pct "$W/lat-smsd-default/lat" 99)

	echo "| figure | result | how it was measured |"
	echo "| --- | --- | --- |"
	echo "| libgammu floor per SMS | $fl | floor.c: $FLOOR_N back-to-back GSM_SendSMS calls (each until its +CMGS answer) through libgammu's AT driver to the simulator, no daemon; median (min–max). libgammu sleeps 0.7 s in each; no libgammu program sends faster |"
	echo "| reply latency, kentongand | $(lat_cell "$W/lat-kt") | $LAT_N messages one at a time (after one warm-up) on an idle simulated modem: \`atsim ctl inject\` → the reply's PDU recorded after AT+CMGS; 600 ms of that is libgammu's floor |"
	echo "| reply latency, gammu-smsd fastest | $(lat_cell "$W/lat-smsd-fast") | same; gammu-smsd with every interval at its minimum and periodic checks off, RunOnReceive = smsd-reply.sh (SQLite lookup + gammu-smsd-inject) |"
	echo "| reply latency, gammu-smsd default | $(lat_cell "$W/lat-smsd-default") | same, $LAT_DEF_N messages, gammu-smsd defaults (inbox read every 15 s, empty outbox scanned every 30 s) |"
	echo "| latency ratio kentongand / gammu-smsd | fastest: p50 $(ratio "$kp50" "$gfp50"), p99 $(ratio "$kp99" "$gfp99"); default: p50 $(ratio "$kp50" "$gdp50"), p99 $(ratio "$kp99" "$gdp99") | same phase, same load; below 1: kentongand answers sooner |"
	burst_rows 0 0 "${f0:-700}"
	burst_rows "$SEND_DELAY" d "${fd:-700}"
	echo "| core throughput | $(err_of "$W/core" || echo "$(mmm "$W/core/rates") msgs/s") | core.c, one thread, no modem: inbox_receive() = store the message, parse, SQLite price lookup, contact, reply into the outbox, commit (WAL, synchronous=FULL), one transaction per message; $CORE_N messages × $REPS runs |"
	echo "| broadcast enqueue to $CONTACTS | $(err_of "$W/bcast" || echo "$(PRECISION=2 mmm "$W/bcast/enqueue" 1000) s") | \`kentongan broadcast send --to PETANI\` (a group of $CONTACTS contacts), wall time of the command; $REPS runs |"
	for m in 1 2 4; do
		echo "| broadcast dispatch, $m modem(s) | $(err_of "$W/dispatch-$m" || echo "$(PRECISION=2 mmm "$W/dispatch-$m/rates") msgs/s") | SMS recorded by the simulators in the ${WINDOW} s from 2 s after all modems are up, $CONTACTS queued; median (min–max) over its three thirds. libgammu floor: $m × 1000 / ${f0:-700} = $(ratio "$m * 1000" "${f0:-700}") msgs/s |"
	done
	echo "| peak RSS idle, kentongand | $(hwm_cell "$W/start" hwm_idle) | VmHWM of the daemon and its modem worker, $CONTACTS contacts, modem up, one second idle |"
	echo "| peak RSS after the burst, kentongand | $(hwm_cell "$W/burst-kt-0" hwm) | VmHWM after the send-delay 0 burst, $CONTACTS contacts in the database |"
	echo "| peak RSS idle / after the burst, gammu-smsd | $(hwm_cell "$W/lat-smsd-fast" hwm_idle) / $(hwm_cell "$W/burst-smsd-fast-0" hwm) | VmHWM of gammu-smsd (fastest settings), one process; RunOnReceive children not counted |"
	echo "| start-up to ready, kentongand | $(err_of "$W/start" || echo "$(mmm "$W/start/started") ms to \"started\"; $(mmm "$W/start/up") ms to modem up") | exec → the log's \"kentongand started\" (database open and migrated, loop running) and → \"-> up\" (libgammu's AT initialisation done), from the log's time stamps; $REPS runs, $CONTACTS contacts |"
	echo "| start-up to ready, gammu-smsd | $(cat "$W/lat-smsd-fast/start" 2>/dev/null || echo -) ms (fastest), $(cat "$W/lat-smsd-default/start" 2>/dev/null || echo -) ms (default) | exec → gammu-smsd-monitor shows the modem's IMEI, polled; one run each |"
}

# --- main -------------------------------------------------------------------

bench_note "work folder $W; load average before: $LOAD_BEFORE"
prepare || { echo "bench: cannot prepare the database" >&2; exit 1; }
bench_note "core throughput ($REPS × $CORE_N messages)"
phase_core
bench_note "libgammu floor ($FLOOR_N sends)"
phase_floor
bench_note "start-up and idle footprint ($REPS runs)"
phase_start
bench_note "modem lanes side by side: latency ($LAT_N messages; gammu-smsd" \
    "default $LAT_DEF_N), bursts of $BURST_N (gammu-smsd default" \
    "$BURST_DEF_N) at send-delay 0 and $SEND_DELAY ms"
# Simulators are the lanes' children: wait for the lanes by pid.
lanes=""
lane_kt "$W/lat-kt" lat 0 2 & lanes="$lanes $!"
lane_smsd "$W/lat-smsd-fast" fast lat 0 3 & lanes="$lanes $!"
lane_smsd "$W/lat-smsd-default" default lat 0 1 & lanes="$lanes $!"
lane_kt "$W/burst-kt-0" burst 0 4 & lanes="$lanes $!"
lane_kt "$W/burst-kt-d" burst "$SEND_DELAY" 5 & lanes="$lanes $!"
lane_smsd "$W/burst-smsd-fast-0" fast burst 0 6 & lanes="$lanes $!"
lane_smsd "$W/burst-smsd-fast-d" fast burst "$SEND_DELAY" 7 & lanes="$lanes $!"
lane_smsd "$W/burst-smsd-default-0" default burst 0 8 & lanes="$lanes $!"
lane_smsd "$W/burst-smsd-default-d" default burst "$SEND_DELAY" 9 &
# shellcheck disable=SC2086
wait $lanes $!
bench_note "broadcast: enqueue to $CONTACTS, dispatch over 1, 2, 4 modems"
phase_broadcast
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
table > "$W/table.md"
{
	cat "$W/table.md"
	echo
	echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	    "load average before $LOAD_BEFORE, after $LOAD_AFTER;" \
	    "$(( $(date +%s) - T_START )) s.$( [ $q = 1 ] && echo ' BENCH_QUICK=1.')"
} | tee "$W/report.md"
[ -z "$(cat "$W"/*/error 2>/dev/null)" ]
