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
# on a pty).  kentongand drives it with its native AT engine (the
# default); "kentongand (gammu engine)" lanes drive it through libgammu's
# AT driver, as Debian's gammu-smsd does, and both of those pay the
# ~0.7 s libgammu sleeps in every AT+CMGS; that floor is measured on its
# own (floor.c) and printed beside the figures it bounds.  A scenario is
# a "lane": its own simulator(s), daemon, database and folder under
# BUILD_DIR/bench-run.  Three phases, so that what is sensitive to CPU
# never shares it with the bursts:
#   1. quiet, one thing at a time: core throughput, broadcast enqueue,
#      the libgammu floor, kentongand's start-up and idle footprint, and
#      the native engine's bursts at send-delay 0 (CPU-bound: they take
#      about a second, and must not share the CPU);
#   2. reply latency: kentongand and gammu-smsd (fastest) lanes side by
#      side, the messages of each split over BENCH_LAT_LANES
#      idle modems (the lanes start at once: the start-up comparison);
#   3. bursts that wait on the modem, every configuration BENCH_REPS
#      times, all side by side (ten minutes would not hold them one after
#      another), with the broadcast dispatch (at BENCH_SEND_DELAY, so that
#      it measures scaling over modems, not the CPU) and gammu-smsd
#      default's latency lanes (about 30 s a message: its polling).
# Figures are medians with min and max over the runs (percentiles over
# the messages, for latency); every ratio is kentongand / gammu-smsd
# between lanes of the same phase, per run, then its median.
#
# Knobs (environment), full run / BENCH_QUICK=1:
#   BENCH_LAT_N        100 / 10   messages for reply latency (kentongand
#                                 and gammu-smsd fastest)
#   BENCH_LAT_LANES    4 / 2      modems (lanes) they are split over
#   BENCH_LAT_DEF_N    100 / 4    messages for gammu-smsd default latency
#   BENCH_LAT_DEF_LANES 12 / 2    its lanes (phase 3)
#   BENCH_BURST_N      200 / 20   messages in a burst
#   BENCH_BURST_DEF_N  = BURST_N  the same for gammu-smsd default
#   BENCH_DEF_DELAYED  0          1: gammu-smsd default's bursts at
#                                 BENCH_SEND_DELAY too (the longest lane,
#                                 ~6 min; in a burst default differs from
#                                 fastest only by its first poll)
#   BENCH_SEND_DELAY   500        realistic simulator send time (ms)
#   BENCH_REPS         3 / 2      runs of each burst, core, start-up and
#                                 enqueue
#   BENCH_CORE_N       2000 / 300 messages per core-throughput run
#   BENCH_FLOOR_N      6 / 4      sends for the libgammu floor, at
#                                 send-delay 0 and at BENCH_SEND_DELAY
#   BENCH_CONTACTS     100000     contacts (and group members)
#   BENCH_WINDOW       45 / 6     seconds of dispatch measured per run
#   BENCH_SMSD_LOOPSLEEP 0        gammu-smsd fast LoopSleep (0: its fastest;
#                                 it does not spin a core on an AT modem)
#   BENCH_TABLE_ONLY   0          1: print the last run's table again
#   BENCH_SIM_DEBUG    0          1: every simulator logs its AT traffic,
#                                 stamped to the millisecond (NAME.atsim.log)
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
LAT_LANES=${BENCH_LAT_LANES:-$(pick 4 2)}
LAT_DEF_N=${BENCH_LAT_DEF_N:-$(pick 100 4)}
LAT_DEF_LANES=${BENCH_LAT_DEF_LANES:-$(pick 12 2)}
BURST_N=${BENCH_BURST_N:-$(pick 200 20)}
BURST_DEF_N=${BENCH_BURST_DEF_N:-$BURST_N}
DEF_DELAYED=${BENCH_DEF_DELAYED:-0}
SEND_DELAY=${BENCH_SEND_DELAY:-500}
CORE_N=${BENCH_CORE_N:-$(pick 2000 300)}
REPS=${BENCH_REPS:-$(pick 3 2)}
FLOOR_N=${BENCH_FLOOR_N:-$(pick 6 4)}
CONTACTS=${BENCH_CONTACTS:-100000}
WINDOW=${BENCH_WINDOW:-$(pick 45 6)}

. "$HERE/lib.sh"

for f in "$KTD" "$KT" "$ATSIM" "$CORE" "$FLOOR" "$INJECT"; do
	[ -x "$f" ] || { echo "bench: $f missing: run make bench" >&2; exit 2; }
done
for c in gammu-smsd gammu-smsd-inject gammu-smsd-monitor sqlite3 smsd; do
	command -v "$c" >/dev/null ||
	    { echo "bench: $c missing: scripts/deps.sh --bench" >&2; exit 2; }
done

if [ "${BENCH_TABLE_ONLY:-0}" != 1 ]; then
	rm -rf "$W"
	mkdir -p "$W"
	: > "$W/pids"
	trap 'bench_cleanup' EXIT
	trap 'exit 130' INT TERM
	bench_sleep 0	# the fifo every lane inherits
fi
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

# burst_run DIR N DELAY TAG: inject N at once (inject.c, one connection)
# with send-delay DELAY; DIR/burst gets "MS_TO_LAST_REPLY MS_TO_INJECT
# DISTINCT_RECIPIENTS N".
burst_run() {
	local d=$1 n=$2 delay=$3 tag=$4 base t0 t1 last
	sim_ctl "$d" m send-delay "$delay" >/dev/null || return 1
	base=$(sim_sent "$d" m)
	t0=$(bench_now)
	echo "$t0" > "$d/t0"
	"$INJECT" "$d/m.ctl" "+62813$tag" "$n" "HARGA CABAI" || return 1
	t1=$(bench_now)
	BENCH_POLL=0.5 bench_wait $(( n * (delay + 700) * 3 / 1000 + 120 )) \
	    sim_sent_ge "$d" m $((base + n)) || return 1
	last=$(tail -n +$((base + 1)) "$d/m.rec" | cut -f1 | sort -n | tail -1)
	echo "$((last - t0)) $((t1 - t0)) $(tail -n +$((base + 1)) \
	    "$d/m.rec" | cut -f2 | sort -u | wc -l) $n" > "$d/burst"
}

# lane_work DIR KIND N DELAY TAG T0 HWM_CMD...: what a lane does once
# its daemon is started at T0: KIND lat (answer the message that waited
# on the SIM at start-up, note the idle footprint, then N messages one
# at a time) or burst (N at once at send-delay DELAY).
lane_work() {
	local d=$1 kind=$2 n=$3 delay=$4 tag=$5 t0=$6
	shift 6
	if [ "$kind" = lat ]; then
		bench_wait 120 sim_sent_ge "$d" m 1 || {
			fail "$d" "no reply to the message waiting at start-up"
			return
		}
		echo $(( $(sim_time "$d" m 1) - t0 )) > "$d/first"
		"$@" > "$d/hwm_idle"
		lat_run "$d" "$n" "$tag" || fail "$d" "a reply did not come"
	else
		burst_run "$d" "$n" "$delay" "$tag" ||
		    fail "$d" "$(sim_sent "$d" m) of $n replies"
	fi
	"$@" > "$d/hwm"
}

# lane_begin DIR KIND TAG: a lane's simulator; a latency lane's first
# message waits on its SIM before the daemon starts.
lane_begin() {
	mkdir -p "$1"
	sim_start "$1" m || { fail "$1" "simulator did not start"; return 1; }
	[ "$2" != lat ] ||
	    sim_ctl "$1" m inject "+62819${3}00000" "HARGA CABAI" >/dev/null
}

# lane_kt DIR KIND N [DELAY [TAG]]: kentongand on one simulated modem.
lane_kt() {
	local d=$1 kind=$2 n=$3 delay=${4:-0} tag=${5:-0} t0
	lane_begin "$d" "$kind" "$tag" || return
	base_db "$d"
	kt_conf "$d" m
	t0=$(bench_now)
	kt_start "$d" 1 > "$d/start" || { fail "$d" "kentongand not ready"; return; }
	lane_work "$d" "$kind" "$n" "$delay" "$tag" "$t0" kt_hwm "$d" "$KT_PID"
	bench_stop "$KT_PID"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# smsd_hwm PID: gammu-smsd's peak RSS in kt_hwm's "LOOP WORKERS" shape.
smsd_hwm() { echo "$(bench_hwm "$1") 0"; }

# lane_smsd DIR MODE KIND N [DELAY [TAG]]: the same on gammu-smsd.
lane_smsd() {
	local d=$1 mode=$2 kind=$3 n=$4 delay=${5:-0} tag=${6:-0} t0
	lane_begin "$d" "$kind" "$tag" || return
	smsd_conf "$d" "$mode"
	t0=$(bench_now)
	smsd_start "$d" > "$d/start" || { fail "$d" "gammu-smsd not ready"; return; }
	lane_work "$d" "$kind" "$n" "$delay" "$tag" "$t0" smsd_hwm "$SMSD_PID"
	bench_stop "$SMSD_PID"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# lane_st DIR KIND N [DELAY [TAG]]: the same on smstools3.
lane_st() {
	local d=$1 kind=$2 n=$3 delay=${4:-0} tag=${5:-0} t0
	lane_begin "$d" "$kind" "$tag" || return
	st_conf "$d"
	t0=$(bench_now)
	st_start "$d" > "$d/start" || { fail "$d" "smstools3 not ready"; return; }
	lane_work "$d" "$kind" "$n" "$delay" "$tag" "$t0" smsd_hwm "$ST_PID"
	bench_stop "$ST_PID"
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# share N LANES I: lane I's part of N messages split over LANES lanes.
share() { echo $(( $1 / $2 + ($3 <= $1 % $2 ? 1 : 0) )); }

# --- phase 1: quiet -----------------------------------------------------------

phase_core() {
	local d=$W/core r
	mkdir -p "$d"
	: > "$d/rates"
	: > "$d/rates1"
	for ((r = 1; r <= REPS; r++)); do
		for b in 64 1; do
			rm -f "$d"/core.db*
			printf 'database = "%s/core.db";\ncountry_code = "62";\nmodems = ( { name = "m"; device = "%s/dummy"; connection = "none"; model = "dummy"; } );\n' \
			    "$d" "$d" > "$d/core.conf"
			"$CORE" "$d/core.conf" "$CORE_N" "$b" > "$d/out.$r.$b" 2>&1 ||
			    { fail "$d" "$(tail -1 "$d/out.$r.$b")"; return; }
			sed -n 's/.*: \([0-9]*\) msgs\/s$/\1/p' "$d/out.$r.$b" \
			    >> "$d/rates$([ "$b" = 1 ] && echo 1)"
		done
	done
}

# Enqueue a broadcast to every contact, REPS times on a fresh copy; the
# last queue is what phase 3 dispatches.
phase_enqueue() {
	local d=$W/bcast r t0 t1
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
	: > "$d/started"; : > "$d/up"; : > "$d/hwm_idle"
	for ((r = 1; r <= REPS; r++)); do
		kt_start "$d" 1 > "$d/s" || { fail "$d" "kentongand not ready"; return; }
		cut -d' ' -f1 "$d/s" >> "$d/started"
		cut -d' ' -f2 "$d/s" >> "$d/up"
		sleep 1		# idle: let the first poll and health check pass
		kt_hwm "$d" "$KT_PID" >> "$d/hwm_idle"
		bench_stop "$KT_PID"
	done
	sim_ctl "$d" m quit >/dev/null 2>&1
}

# The native engine's bursts at send-delay 0, one run at a time: they
# are bound by the CPU, not the modem.
phase_native_bursts() {
	local r
	for ((r = 1; r <= REPS; r++)); do
		lane_kt "$W/burst-kt-0-$r" burst "$BURST_N" 0 "3$r"
	done
}

# --- phase 2: latency -----------------------------------------------------------

phase_latency() {
	local l lanes=""
	for ((l = 1; l <= LAT_LANES; l++)); do
		lane_kt "$W/lat-kt-$l" lat "$(share "$LAT_N" "$LAT_LANES" "$l")" \
		    0 "1$l" & lanes="$lanes $!"
		lane_smsd "$W/lat-smsd-fast-$l" fast lat \
		    "$(share "$LAT_N" "$LAT_LANES" "$l")" 0 "2$l" &
		lanes="$lanes $!"
		lane_st "$W/lat-st-$l" lat \
		    "$(share "$LAT_N" "$LAT_LANES" "$l")" 0 "8$l" &
		lanes="$lanes $!"
	done
	# Simulators are the lanes' children: wait for the lanes by pid.
	# shellcheck disable=SC2086
	wait $lanes
}

# --- phase 3: bursts, dispatch, gammu-smsd default latency ---------------------

# dispatch_run M R: run R of sending the enqueued broadcast over M modems;
# DIR/rate is the SMS the simulators recorded a second over WINDOW s.
dispatch_run() {
	local m=$1 dm=$W/dispatch-$1-$2 names="" i tA
	mkdir -p "$dm"
	for ((i = 1; i <= m; i++)); do
		sim_start "$dm" "m$i" || { fail "$dm" "simulator"; return; }
		sim_ctl "$dm" "m$i" send-delay "$SEND_DELAY" >/dev/null
		names="$names m$i"
	done
	cp "$W/bcast/kt.db" "$dm/kt.db"
	# shellcheck disable=SC2086
	kt_conf "$dm" $names
	kt_start "$dm" "$m" > "$dm/start" ||
	    { fail "$dm" "kentongand not ready"; return; }
	tA=$(( $(bench_now) + 2000 ))
	bench_sleep $(( WINDOW + 3 ))	# the measured window, then a margin
	cat "$dm"/m*.rec | awk -v lo="$tA" -v hi="$(( tA + WINDOW * 1000 ))" \
	    -v s="$WINDOW" '$1 >= lo && $1 < hi { n++ }
	    END { printf "%.2f\n", n / s }' > "$dm/rate"
	bench_stop "$KT_PID"
	for ((i = 1; i <= m; i++)); do
		sim_ctl "$dm" "m$i" quit >/dev/null 2>&1
	done
}

# Dispatch the enqueued broadcast over 1, 2 and 4 modems at once (each
# from its own copy of the queue), REPS times.
lane_dispatch() {
	local r m runs
	for ((r = 1; r <= REPS; r++)); do
		runs=""
		for m in 1 2 4; do
			dispatch_run "$m" "$r" & runs="$runs $!"
		done
		# shellcheck disable=SC2086
		wait $runs
	done
}

phase_bursts() {
	local r l x delay lanes=""
	for ((r = 1; r <= REPS; r++)); do
		for x in 0 d; do
			delay=0
			[ $x = d ] && delay=$SEND_DELAY
			# The native engine at send-delay 0 ran in phase 1.
			[ $x = d ] && { lane_kt "$W/burst-kt-$x-$r" burst \
			    "$BURST_N" "$delay" "3$r" & lanes="$lanes $!"; }
			KT_ENGINE=gammu lane_kt "$W/burst-ktg-$x-$r" burst \
			    "$BURST_N" "$delay" "7$r" & lanes="$lanes $!"
			lane_st "$W/burst-st-$x-$r" burst "$BURST_N" "$delay" \
			    "9$r" & lanes="$lanes $!"
			lane_smsd "$W/burst-smsd-fast-$x-$r" fast burst \
			    "$BURST_N" "$delay" "4$r" & lanes="$lanes $!"
			[ $x = d ] && [ "$DEF_DELAYED" != 1 ] && continue
			lane_smsd "$W/burst-smsd-default-$x-$r" default burst \
			    "$BURST_DEF_N" "$delay" "5$r" & lanes="$lanes $!"
		done
	done
	for ((l = 1; l <= LAT_DEF_LANES; l++)); do
		lane_smsd "$W/lat-smsd-default-$l" default lat \
		    "$(share "$LAT_DEF_N" "$LAT_DEF_LANES" "$l")" 0 "6$l" &
		lanes="$lanes $!"
	done
	lane_dispatch & lanes="$lanes $!"
	# shellcheck disable=SC2086
	wait $lanes
}

# --- the table --------------------------------------------------------------

# err_of DIR...: the first failure among the lanes, if any.
err_of() {
	local d
	for d in "$@"; do
		[ -f "$d/error" ] &&
		    { echo "FAILED: $(basename "$d"): $(cat "$d/error")"; return 0; }
	done
	return 1
}

# mmm FILE [SCALE]: "median (min–max)" of FILE divided by SCALE.
mmm() {
	local m lo hi n
	read -r m lo hi n < <(bench_stats "$1")
	[ "$n" = 0 ] && { echo "-"; return; }
	local PRECISION=${PRECISION:-0}
	echo "$(bench_calc "$m / ${2:-1}") ($(bench_calc "$lo / ${2:-1}")–$(bench_calc "$hi / ${2:-1}"))"
}

# median FILE: the median of FILE's numbers, or -.
median() { bench_stats "$1" | cut -d' ' -f1; }

# pool OUT FILE...: the numbers of every FILE, one file.
pool() { local o=$1; shift; cat "$@" > "$o" 2>/dev/null; :; }

# lat_cell NAME: "p50 / p99 ms (min–max, n)" of the lanes NAME-*.
lat_cell() {
	local e f=$W/$1.lat
	e=$(err_of "$W/$1"-*) && { echo "$e"; return; }
	read -r _ lo hi n < <(bench_stats "$f")
	echo "p50 $(bench_pct "$f" 50) / p99 $(bench_pct "$f" 99) ms (min $lo, max $hi; n=$n)"
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
	bench_calc "$t / $n"
}

# burst_cell NAME: total seconds and per message over the runs NAME-R,
# and the fewest distinct recipients a run replied to.
burst_cell() {
	local e r n u=999999 t dist who
	e=$(err_of "$W/$1"-*) && { echo "$e"; return; }
	: > "$W/$1.s"; : > "$W/$1.ms"
	for ((r = 1; r <= REPS; r++)); do
		read -r t _ dist n < "$W/$1-$r/burst"
		[ "$dist" -lt "$u" ] && u=$dist
		echo "$t" >> "$W/$1.s"
		echo "$(burst_ms "$W/$1-$r")" >> "$W/$1.ms"
	done
	who="every run answered all $n senders"
	[ "$u" -lt "$n" ] && who="a run answered only $u distinct senders"
	echo "$(PRECISION=1 mmm "$W/$1.s" 1000) s for $n = $(mmm "$W/$1.ms") ms/msg; $who"
}

# first_reply_cell NAME: median (min–max) seconds from the first inject
# to the first reply of the runs NAME-R.
first_reply_cell() {
	local r
	: > "$W/$1.first"
	for ((r = 1; r <= REPS; r++)); do
		[ -f "$W/$1-$r/burst" ] || continue
		echo "$(( $(cut -f1 "$W/$1-$r/m.rec" | sort -n | head -1) -
		    $(cat "$W/$1-$r/t0") ))" >> "$W/$1.first"
	done
	PRECISION=1 mmm "$W/$1.first" 1000
}

# gap_cell NAME DELAY: the time between consecutive reply PDUs of the
# runs NAME-R, less the send-delay: what each send costs above the
# modem's own time once the burst is under way.
gap_cell() {
	local r
	: > "$W/$1.gaps"
	for ((r = 1; r <= REPS; r++)); do
		[ -f "$W/$1-$r/burst" ] || continue
		cut -f1 "$W/$1-$r/m.rec" | sort -n | awk -v d="$2" \
		    'NR > 1 { print $1 - p - d } { p = $1 }' >> "$W/$1.gaps"
	done
	read -r _ lo hi n < <(bench_stats "$W/$1.gaps")
	echo "p50 $(bench_pct "$W/$1.gaps" 50) / p90 $(bench_pct "$W/$1.gaps" 90) ms (min $lo, max $hi; n=$n)"
}

# burst_ratio A B: median (min–max) over the runs of A's ms/msg over B's.
burst_ratio() {
	local r v
	: > "$W/$1.$2.ratio"
	for ((r = 1; r <= REPS; r++)); do
		v=$(ratio "$(burst_ms "$W/$1-$r")" "$(burst_ms "$W/$2-$r")")
		[ "$v" != - ] && echo "$v" >> "$W/$1.$2.ratio"
	done
	PRECISION=2 mmm "$W/$1.$2.ratio"
}

# hwm_cell FILE...: "LOOP + WORKERS = SUM kB", medians over the lines of
# every FILE ("LOOP WORKERS" each).
hwm_cell() {
	local a b s
	cat "$@" 2>/dev/null | grep -v -e - > "$W/hwm.tmp"
	[ -s "$W/hwm.tmp" ] || { echo "-"; return; }
	cut -d' ' -f1 "$W/hwm.tmp" > "$W/hwm.a"
	cut -d' ' -f2 "$W/hwm.tmp" > "$W/hwm.b"
	awk '{ print $1 + $2 }' "$W/hwm.tmp" > "$W/hwm.s"
	a=$(median "$W/hwm.a"); b=$(median "$W/hwm.b")
	s=$(mmm "$W/hwm.s")
	if [ "$b" = 0 ]; then echo "$s kB"; else
		echo "$a kB loop + $b kB worker = $s kB"; fi
}

# burst_rows DELAY SUFFIX FLOOR_MS: the burst rows at one send-delay.
burst_rows() {
	local delay=$1 x=$2 f k g
	f=$(PRECISION=0 bench_calc "$3")
	k=$W/burst-kt-$x
	g=$W/burst-ktg-$x
	echo "| burst, send-delay $delay ms: kentongand (native engine) | $(burst_cell "burst-kt-$x") | $BURST_N injected at once over one control connection (inject.c), one per sender; first inject → last reply PDU; $REPS runs$([ "$x" = 0 ] && echo ', one at a time in phase 1'). Simulator limit $BURST_N × $delay ms = $(PRECISION=1 bench_calc "$BURST_N * $delay / 1000") s; per SMS above the simulator's own $delay ms: $(ratio "$(median "$k.ms")" 1 | awk -v d="$delay" '{ printf "%.1f", $1 - d }') ms (median run) |"
	echo "| per-SMS time above the modem's, send-delay $delay ms: kentongand (native engine) | $(gap_cell "burst-kt-$x" "$delay") | the same runs: the time between consecutive reply PDUs less the send-delay, over every pair of the $REPS runs |"
	echo "| burst, send-delay $delay ms: kentongand (gammu engine) | $(burst_cell "burst-ktg-$x") | the same through libgammu's AT driver (\`engine = \"gammu\"\`), phase 3; with libgammu, $BURST_N × $f ms = $(PRECISION=1 bench_calc "$BURST_N * $f / 1000") s; floor/measured $(ratio "$f" "$(median "$g.ms")"); native/gammu engine per message $(burst_ratio "burst-kt-$x" "burst-ktg-$x") |"
	echo "| burst, send-delay $delay ms: gammu-smsd fastest | $(burst_cell "burst-smsd-fast-$x") | same workload and runs, LoopSleep = 0, checks off; kentongand native/gammu-smsd per message $(burst_ratio "burst-kt-$x" "burst-smsd-fast-$x"); kentongand gammu engine/gammu-smsd $(burst_ratio "burst-ktg-$x" "burst-smsd-fast-$x") (per run, median (min–max)) |"
	echo "| burst, send-delay $delay ms: smstools3 | $(burst_cell "burst-st-$x") | same workload and runs; smsd with every delay at 1 s, eventhandler = smstools-reply.sh (SQLite lookup, reply file into the outgoing spool); first reply after $(first_reply_cell "burst-st-$x") s; kentongand native/smstools3 per message $(burst_ratio "burst-kt-$x" "burst-st-$x") |"
	[ $x = d ] && [ "$DEF_DELAYED" != 1 ] && return
	echo "| burst, send-delay $delay ms: gammu-smsd default | $(burst_cell "burst-smsd-default-$x") | $BURST_DEF_N messages; kentongand native/gammu-smsd per message $(burst_ratio "burst-kt-$x" "burst-smsd-default-$x") |"
}

table() {
	local f0 fd kp50 gfp50 gdp50 kp99 gfp99 gdp99 m fl
	f0=$(PRECISION=0 bench_calc "$(median "$W/floor/ms0")")
	fd=$(median "$W/floor/msd")
	fl=$(err_of "$W/floor") ||
	    fl="$(PRECISION=0 mmm "$W/floor/ms0") ms at send-delay 0; $(PRECISION=0 mmm "$W/floor/msd") ms at $SEND_DELAY ms"
	for m in lat-kt lat-smsd-fast lat-smsd-default lat-st; do
		pool "$W/$m.lat" "$W/$m"-*/lat
	done
	kp50=$(bench_pct "$W/lat-kt.lat" 50); kp99=$(bench_pct "$W/lat-kt.lat" 99)
	gfp50=$(bench_pct "$W/lat-smsd-fast.lat" 50); gfp99=$(bench_pct "$W/lat-smsd-fast.lat" 99)
	gdp50=$(bench_pct "$W/lat-smsd-default.lat" 50); gdp99=$(bench_pct "$W/lat-smsd-default.lat" 99)
	pool "$W/smsd-idle" "$W"/lat-smsd-fast-*/hwm_idle
	cat "$W"/lat-kt-*/start 2>/dev/null | cut -d' ' -f2 > "$W/start-kt.up"
	pool "$W/start-smsd-fast.up" "$W"/lat-smsd-fast-*/start
	pool "$W/first-kt" "$W"/lat-kt-*/first
	pool "$W/first-smsd-fast" "$W"/lat-smsd-fast-*/first

	echo "| figure | result | how it was measured |"
	echo "| --- | --- | --- |"
	echo "| libgammu floor per SMS | $fl | phase 1. floor.c: $FLOOR_N back-to-back GSM_SendSMS calls (each until its +CMGS answer) through libgammu's AT driver to the simulator, no daemon; median (min–max). libgammu sleeps 0.7 s in each; no libgammu program sends faster |"
	echo "| reply latency, kentongand (native engine) | $(lat_cell lat-kt) | phase 2. $LAT_N messages one at a time on idle simulated modems (send-delay 0; $LAT_LANES side by side, each after the start-up message below): \`atsim ctl inject\` → the reply's PDU recorded after AT+CMGS; nearest-rank percentiles |"
	echo "| reply latency, gammu-smsd fastest | $(lat_cell lat-smsd-fast) | phase 2, beside the above; gammu-smsd with every interval at its minimum and periodic checks off, RunOnReceive = smsd-reply.sh (SQLite lookup + gammu-smsd-inject) |"
	echo "| reply latency, gammu-smsd default | $(lat_cell lat-smsd-default) | phase 3 ($LAT_DEF_LANES lanes beside the bursts: its polling, not the CPU, sets it), gammu-smsd defaults (inbox read every 15 s, empty outbox scanned every 30 s) |"
	echo "| reply latency, smstools3 | $(lat_cell lat-st) | phase 2, beside the above; smsd with every delay at its minimum (1 s), eventhandler = smstools-reply.sh |"
	echo "| latency ratio kentongand / smstools3 | p50 $(ratio "$kp50" "$(bench_pct "$W/lat-st.lat" 50)"), p99 $(ratio "$kp99" "$(bench_pct "$W/lat-st.lat" 99)") | same phase, same load |"
	echo "| latency ratio kentongand / gammu-smsd | fastest: p50 $(ratio "$kp50" "$gfp50"), p99 $(ratio "$kp99" "$gfp99"); default: p50 $(ratio "$kp50" "$gdp50"), p99 $(ratio "$kp99" "$gdp99") | fastest: same phase, same load; below 1: kentongand answers sooner |"
	burst_rows 0 0 "${f0:-700}"
	burst_rows "$SEND_DELAY" d "${fd:-700}"
	echo "| core throughput, group commit | $(err_of "$W/core" || echo "$(mmm "$W/core/rates") msgs/s") | phase 1. core.c, one thread, no modem: inbox_receive() = store the message, parse, SQLite price lookup, contact, reply into the outbox; 64 messages (one read of a worker's socket) a transaction, commit (WAL, synchronous=FULL), as kentongand does; $CORE_N messages × $REPS runs |"
	echo "| core throughput, one transaction a message | $(err_of "$W/core" || echo "$(mmm "$W/core/rates1") msgs/s") | the same, core BATCH 1: a commit (fsync) per message, as before group commit |"
	echo "| broadcast enqueue to $CONTACTS | $(err_of "$W/bcast" || echo "$(PRECISION=2 mmm "$W/bcast/enqueue" 1000) s") | phase 1. \`kentongan broadcast send --to PETANI\` (a group of $CONTACTS contacts), wall time of the command; $REPS runs |"
	for m in 1 2 4; do
		pool "$W/dispatch-$m.rates" "$W/dispatch-$m"-*/rate
		echo "| broadcast dispatch, $m modem(s) | $(err_of "$W/dispatch-$m"-* || echo "$(PRECISION=2 mmm "$W/dispatch-$m.rates") msgs/s; $(ratio "$(median "$W/dispatch-$m.rates")" "($m * $(median "$W/dispatch-1.rates"))") × linear") | phase 3, native engine, simulators at send-delay $SEND_DELAY ms. SMS recorded by the simulators in the ${WINDOW} s from 2 s after all modems are up, $CONTACTS queued; 1, 2 and 4 modems side by side, $REPS runs. Simulator limit: $m × 1000 / $SEND_DELAY = $(ratio "$m * 1000" "$SEND_DELAY") msgs/s |"
	done
	echo "| peak RSS idle, kentongand | $(hwm_cell "$W/start/hwm_idle") | phase 1. VmHWM of the daemon and its modem worker, $CONTACTS contacts, modem up, one second idle; median (min–max) of the sums over $REPS start-ups |"
	echo "| peak RSS after the burst, kentongand | $(hwm_cell "$W"/burst-kt-0-*/hwm) | VmHWM after the send-delay 0 bursts, $CONTACTS contacts in the database; $REPS runs |"
	echo "| peak RSS idle / after the burst, gammu-smsd | $(hwm_cell "$W/smsd-idle") / $(hwm_cell "$W"/burst-smsd-fast-0-*/hwm) | VmHWM of gammu-smsd (fastest settings), one process, after its first message ($LAT_LANES latency lanes) / after the send-delay 0 bursts ($REPS runs); RunOnReceive children not counted |"
	echo "| start-up to ready, kentongand | $(err_of "$W/start" || echo "$(mmm "$W/start/started") ms to \"started\"; $(mmm "$W/start/up") ms to modem up") | phase 1. exec → the log's \"kentongand started\" (database open and migrated, loop running) and → \"-> up\" (the native engine's AT start-up done), from the log's time stamps; $REPS runs, $CONTACTS contacts |"
	echo "| start-up to the first reply, side by side | kentongand $(mmm "$W/first-kt") ms; gammu-smsd $(mmm "$W/first-smsd-fast") ms; ratio $(ratio "$(median "$W/first-kt")" "$(median "$W/first-smsd-fast")") | phase 2, as below: a message waits on the SIM when the daemon is started; exec → its reply's PDU. What a farmer who texted while the box was down waits for, beyond the boot |"
	echo "| start-up to modem ready, side by side | kentongand $(mmm "$W/start-kt.up") ms; gammu-smsd $(mmm "$W/start-smsd-fast.up") ms; ratio $(ratio "$(median "$W/start-kt.up")" "$(median "$W/start-smsd-fast.up")") | phase 2, the $LAT_LANES lanes of each starting at once: exec → \"-> up\" in kentongand's log; exec → gammu-smsd-monitor shows the modem's IMEI (polled every 50 ms) |"
}

# --- main -------------------------------------------------------------------

# cpu_ticks: "BUSY TOTAL FORKS" from /proc/stat, machine-wide.
cpu_ticks() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
	    printf "%d %d ", t - $5 - $6, t } $1 == "processes" { print $2 }' \
	    /proc/stat
}

# phase NAME FUNCTION: run one phase; note its time, how busy the CPUs
# were and how many processes were started meanwhile (by anyone).
phase() {
	local t0 b0 a0 f0 b1 a1 f1
	t0=$EPOCHSECONDS
	read -r b0 a0 f0 < <(cpu_ticks)
	bench_note "$1"
	"$2"
	read -r b1 a1 f1 < <(cpu_ticks)
	bench_note "$1: $(( EPOCHSECONDS - t0 )) s, CPUs $(( (b1 - b0) * 100 / (a1 - a0 + 1) ))% busy, $(( f1 - f0 )) processes started"
}

# BENCH_TABLE_ONLY=1: print the table of the last run again (after a
# change to how it is printed), measuring nothing.
if [ "${BENCH_TABLE_ONLY:-0}" = 1 ]; then
	trap - EXIT
	table
	exit 0
fi
bench_note "work folder $W; load average before: $LOAD_BEFORE"
prepare || { echo "bench: cannot prepare the database" >&2; exit 1; }
phase "1 quiet: core throughput ($REPS × $CORE_N messages)" phase_core
phase "1 quiet: broadcast enqueue to $CONTACTS ($REPS runs)" phase_enqueue
phase "1 quiet: libgammu floor ($FLOOR_N sends)" phase_floor
phase "1 quiet: kentongand start-up ($REPS runs)" phase_start
phase "1 quiet: native engine bursts of $BURST_N at send-delay 0 ($REPS runs)" phase_native_bursts
phase "2 latency: $LAT_N messages over $LAT_LANES lanes each" phase_latency
phase "3 bursts of $BURST_N ($REPS runs; gammu-smsd default $BURST_DEF_N) at send-delay 0 and $SEND_DELAY ms, dispatch over 1, 2, 4 modems, gammu-smsd default latency ($LAT_DEF_N over $LAT_DEF_LANES lanes)" phase_bursts
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
