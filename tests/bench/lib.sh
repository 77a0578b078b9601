# Helpers for tests/bench/bench.sh (sourced, bash).  Every daemon and
# simulator runs on private paths under $W; every wait polls a condition
# with a deadline; everything started is listed in $W/pids and stopped
# by bench_cleanup.

# bench_now: wall-clock milliseconds (the simulator's record file uses
# the same clock), without a fork.
bench_now() { local t=${EPOCHREALTIME/./}; echo "${t%???}"; }

# bench_sleep SECONDS: sleep without a fork.  Thirty lanes polling
# every 50 ms with sleep(1) would start hundreds of processes a second
# and load the machine they measure; read -t on a fifo nobody writes to
# waits in the shell itself.
bench_sleep() {
	if [ -z "${BENCH_SLEEP_FD:-}" ]; then
		mkfifo "$W/sleep.fifo" 2>/dev/null
		exec {BENCH_SLEEP_FD}<> "$W/sleep.fifo"
	fi
	read -r -t "$1" -u "$BENCH_SLEEP_FD"
	:
}

# bench_wait SECONDS COMMAND...: poll the command until it succeeds.
bench_wait() {
	local deadline=$(( EPOCHSECONDS + $1 ))
	shift
	until "$@"; do
		[ "$EPOCHSECONDS" -ge "$deadline" ] && return 1
		bench_sleep "${BENCH_POLL:-0.05}"
	done
}

# bench_note TEXT: progress on stderr, so stdout stays the table.
bench_note() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }

# bench_track PID: stop it at the end.
bench_track() { echo "$1" >> "$W/pids"; }

# bench_cleanup: stop everything we started, by pid.
bench_cleanup() {
	local p
	[ -f "$W/pids" ] || return 0
	while read -r p; do kill "$p" 2>/dev/null; done < "$W/pids"
	sleep 0.5
	while read -r p; do kill -9 "$p" 2>/dev/null; done < "$W/pids"
	: > "$W/pids"
}

# bench_stop PID: SIGTERM and wait (bounded) for it to go.
bench_stop() {
	kill "$1" 2>/dev/null
	bench_wait 30 sh -c "! kill -0 $1 2>/dev/null" || kill -9 "$1" 2>/dev/null
}

# --- numbers --------------------------------------------------------------

# bench_stats FILE: "median min max n" of the numbers in FILE, one a line.
bench_stats() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "- - - 0"; exit }
	    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    print m, v[1], v[NR], NR }'
}

# bench_pct FILE P: the P-th percentile (nearest rank) of FILE's numbers.
bench_pct() {
	sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
	    if (NR == 0) { print "-"; exit }
	    r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1
	    print v[r] }'
}

# bench_calc EXPR: floating-point arithmetic, printed with PRECISION
# decimals (default 2).
bench_calc() { awk "BEGIN { printf \"%.${PRECISION:-2}f\", $1 }"; }

# bench_hwm PID: peak resident set (VmHWM) in kB, or - if gone.
bench_hwm() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo -
}

# --- the simulated modem --------------------------------------------------

# sim_start DIR NAME: a simulator with 255 SIM slots on DIR/NAME.{tty,ctl},
# recording every SMS-SUBMIT in DIR/NAME.rec.
sim_start() {
	local d=$1 n=$2
	: > "$d/$n.rec"
	# shellcheck disable=SC2046
	"$ATSIM" $([ "${BENCH_SIM_DEBUG:-0}" = 1 ] && echo -d) -p "$d/$n.tty" \
	    -s "$d/$n.ctl" -r "$d/$n.rec" -m 255 2> "$d/$n.atsim.log" &
	bench_track $!
	bench_wait 10 test -S "$d/$n.ctl" -a -L "$d/$n.tty"
}

# sim_ctl DIR NAME COMMAND [ARG...]
sim_ctl() { local d=$1 n=$2; shift 2; "$ATSIM" ctl "$d/$n.ctl" "$@"; }

# sim_sent DIR NAME: SMS-SUBMITs recorded so far.
sim_sent() { wc -l < "$1/$2.rec" | tr -d ' '; }

# sim_sent_ge DIR NAME N: at least N recorded (no fork: it is polled).
sim_sent_ge() {
	local lines
	mapfile -t lines < "$1/$2.rec"
	[ "${#lines[@]}" -ge "$3" ]
}

# sim_time DIR NAME LINE: when record LINE was written (ms).
sim_time() { sed -n "${3}p" "$1/$2.rec" | cut -f1; }

# --- kentongand -----------------------------------------------------------

# kt_conf DIR MODEM...: a configuration with AT modems on simulators,
# on the AT engine KT_ENGINE (native, the default, or gammu).
kt_conf() {
	local d=$1 m list=""
	shift
	for m in "$@"; do
		list="$list${list:+, }{ name = \"$m\"; device = \"$d/$m.tty\"; connection = \"at\"; engine = \"${KT_ENGINE:-native}\"; }"
	done
	cat > "$d/kt.conf" <<CONF
database = "$d/kt.db";
pidfile = "$d/kt.pid";
language = "id";
country_code = "62";
modems = ( $list );
CONF
}

# kt_log_ms DIR PATTERN: epoch ms of the last log line matching PATTERN
# (the log stamps lines with the local time of day).
kt_log_ms() {
	date -d "today $(grep -e "$2" "$1/kt.log" | tail -1 | cut -d' ' -f1)" \
	    +%s%3N
}

# log_count FILE REGEX N: at least N lines of FILE match REGEX (no fork:
# it is polled).
log_count() {
	local lines l c=0
	mapfile -t lines < "$1"
	for l in "${lines[@]}"; do
		[[ $l =~ $2 ]] && c=$((c + 1))
	done
	[ "$c" -ge "$3" ]
}

# kt_start DIR NMODEMS: start kentongand on DIR/kt.conf (a fresh log);
# wait until it logs "started" and NMODEMS modems are up.  Sets KT_PID
# and prints "STARTED_MS UP_MS" after the exec, from the log's stamps.
kt_start() {
	local d=$1 n=$2 t0
	# Emptied here, not by the background job's redirection, which may
	# come after the first poll reads the last run's log.
	: > "$d/kt.log"
	t0=$(bench_now)
	"$KTD" -c "$d/kt.conf" -f -v >> "$d/kt.log" 2>&1 &
	KT_PID=$!
	bench_track $KT_PID
	bench_wait 30 log_count "$d/kt.log" "kentongand started" 1 || return 1
	bench_wait 60 log_count "$d/kt.log" "-> up$" "$n" || return 1
	echo "$(( $(kt_log_ms "$d" "kentongand started") - t0 ))" \
	    "$(( $(kt_log_ms "$d" '-> up$') - t0 ))"
}

# kt_workers DIR: pids of the daemon's modem workers (from its log).
kt_workers() { sed -n 's/.*: worker pid \([0-9]*\)$/\1/p' "$1/kt.log"; }

# kt_hwm DIR PID: "LOOP_KB WORKERS_KB" peak RSS of the daemon and the sum
# over its live workers.
kt_hwm() {
	local w sum=0 v
	for w in $(kt_workers "$1"); do
		v=$(bench_hwm "$w")
		[ "$v" != - ] && sum=$((sum + v))
	done
	echo "$(bench_hwm "$2") $sum"
}

# --- gammu-smsd -----------------------------------------------------------

# smsd_conf DIR MODE: smsdrc for the simulator DIR/m.tty; MODE default
# (gammu-smsd's defaults) or fast (every interval at its minimum, every
# periodic check off, LoopSleep = 0: on an AT modem it does not spin a
# core, as libgammu's reads wait on the port).
smsd_conf() {
	local d=$1 mode=$2
	mkdir -p "$d/in" "$d/out" "$d/sent" "$d/err"
	cat > "$d/smsdrc" <<CONF
[gammu]
device = $d/m.tty
connection = at

[smsd]
service = files
logfile = $d/smsd.log
debuglevel = 1
inboxpath = $d/in/
outboxpath = $d/out/
sentsmspath = $d/sent/
errorsmspath = $d/err/
RunOnReceive = $HERE/smsd-reply.sh $d/smsdrc $PRICES_DB
CONF
	[ "$mode" = fast ] && cat >> "$d/smsdrc" <<CONF
ReceiveFrequency = 0
CommTimeout = 0
StatusFrequency = 0
LoopSleep = ${BENCH_SMSD_LOOPSLEEP:-0}
CheckSecurity = 0
CheckBattery = 0
CheckSignal = 0
CheckNetwork = 0
CONF
	return 0
}

# smsd_ready DIR: gammu-smsd has opened the phone (its shared-memory
# status shows the modem's IMEI).
smsd_ready() {
	gammu-smsd-monitor -c "$1/smsdrc" -n 1 -d 0 -C 2>/dev/null |
	    tail -1 | cut -d';' -f3 | grep -q '[0-9]'
}

# smsd_start DIR: start gammu-smsd in the foreground (our child); wait
# until it has the phone.  Sets SMSD_PID and prints ms to ready.
smsd_start() {
	local d=$1 t0
	t0=$(bench_now)
	gammu-smsd -c "$d/smsdrc" > "$d/smsd.out" 2>&1 &
	SMSD_PID=$!
	bench_track $SMSD_PID
	bench_wait 60 smsd_ready "$d" || return 1
	echo $(( $(bench_now) - t0 ))
}

# --- smstools3 ------------------------------------------------------------

# st_conf DIR: smsd.conf for the simulator DIR/m.tty at smstools3's
# fastest: every delay at its minimum (1 s), no statistics; the
# eventhandler (smstools-reply.sh) answers into the outgoing spool.
st_conf() {
	local d=$1
	mkdir -p "$d/st-out" "$d/st-checked" "$d/st-failed" "$d/st-in" \
	    "$d/st-sent"
	cat > "$d/smsd.conf" <<CONF
devices = GSM1
logfile = $d/smstools.log
loglevel = 6
infofile = $d/smsd.working
pidfile = $d/smsd.pid
outgoing = $d/st-out
checked = $d/st-checked
failed = $d/st-failed
incoming = $d/st-in
sent = $d/st-sent
eventhandler = $HERE/smstools-reply.sh
delaytime = 1
delaytime_mainprocess = 1
blocktime = 1
stats_interval = 0

[GSM1]
device = $d/m.tty
incoming = yes
baudrate = 115200
rtscts = no
pin = ignore
CONF
}

# st_start DIR: start smstools3's smsd in the foreground (our child);
# wait until it checks the modem for messages.  Sets ST_PID and prints
# ms to ready.
st_start() {
	local d=$1 t0
	t0=$(bench_now)
	: > "$d/smstools.log"
	PRICES_DB=$PRICES_DB OUTGOING=$d/st-out smsd -c "$d/smsd.conf" -t \
	    -u "$(id -un)" -g "$(id -gn)" > "$d/smsd.out" 2>&1 &
	ST_PID=$!
	bench_track $ST_PID
	bench_wait 60 log_count "$d/smstools.log" \
	    "Checking device for incoming SMS" 1 || return 1
	echo $(( $(bench_now) - t0 ))
}
