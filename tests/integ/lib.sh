# Shared helpers for integration tests (sourced).  Each test runs in its own
# temp folder, starts its own daemon and cleans up after itself.
# Env: KT_BUILD = build folder (default build).
set -u
KT_BUILD=${KT_BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
KTD="$top/$KT_BUILD/kentongand"
KT="$top/$KT_BUILD/kentongan"
ATSIM="$top/$KT_BUILD/atsim"
T=$(mktemp -d /tmp/kt-integ.XXXXXX)
checks=0
failed=0
daemon_pid=""

cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	for p in $(cat "$T"/*.pid 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ "$failed" -eq 0 ]; then rm -rf "$T"; else echo "  (kept $T)"; fi
}
trap cleanup EXIT

ok() { checks=$((checks + 1)); echo "  ok: $1"; }
not_ok() {
	checks=$((checks + 1)); failed=$((failed + 1)); echo "  FAIL: $1"
	[ -f "$T/daemon.log" ] && tail -20 "$T/daemon.log" | sed 's/^/    | /'
}
check() { # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# wait_for SECONDS COMMAND...: poll a condition with a deadline.
wait_for() {
	limit=$(( $1 * 10 )); shift
	i=0
	while [ $i -lt $limit ]; do
		"$@" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

sql() { sqlite3 -batch -noheader "$T/kt.db" "$@"; }

# write_conf EXTRA_MODEMS...: a config using the test folder.
write_conf() {
	cat > "$T/kt.conf" <<CONF
database = "$T/kt.db";
pidfile = "$T/kentongand.pid";
language = "id";
country_code = "62";
modems = ( $* );
CONF
}

dummy_modem() { # dummy_modem NAME
	echo "{ name = \"$1\"; device = \"$T/$1\"; connection = \"none\"; model = \"dummy\"; poll_interval = 1; }"
}

# KTD_WRAPPER runs the daemon under a tool, e.g. valgrind (make valgrind);
# then stop_daemon also fails when the daemon's exit status is not 0.
# start_daemon: start kentongand and wait for its own "started" line (a
# restart's log still holds the one before).
started_count() { grep -c "kentongand started" "$T/daemon.log" 2>/dev/null; }
start_daemon() {
	starts=$(started_count)
	# shellcheck disable=SC2086
	${KTD_WRAPPER:-} "$KTD" -c "$T/kt.conf" -f -v >> "$T/daemon.log" 2>&1 &
	daemon_pid=$!
	wait_for "$([ -n "${KTD_WRAPPER:-}" ] && echo 60 || echo 20)" \
	    sh -c "[ \$(grep -c 'kentongand started' '$T/daemon.log') -gt ${starts:-0} ]"
}

stop_daemon() { # stop_daemon: SIGTERM and wait for a clean exit
	[ -z "$daemon_pid" ] && return 0
	kill -TERM "$daemon_pid"
	wait_for 30 sh -c "! kill -0 $daemon_pid 2>/dev/null"
	rc=$?
	wait "$daemon_pid" 2>/dev/null
	st=$?
	daemon_pid=""
	[ -n "${KTD_WRAPPER:-}" ] && [ $st -ne 0 ] && rc=$st
	return $rc
}

# start_on_free_port PORT WRITE_CONF [ARGS...]: run WRITE_CONF ARGS... PORT
# (which writes $T/kt.conf listening on PORT) and start the daemon, moving
# to the next port while one is taken, five tries; $port is where it
# listens.
start_on_free_port() {
	port=$1; shift
	for try in 1 2 3 4 5; do
		"$@" "$port"
		: > "$T/daemon.log"
		if start_daemon && wait_for 5 grep -q "http: listening" "$T/daemon.log"; then
			return 0
		fi
		[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null; daemon_pid=""
		port=$((port + 1))
	done
	return 1
}

# ctl_say LINE: send raw bytes to the daemon's control socket (the
# database path + .ctl; CTL_SOCK when the database is elsewhere), print
# its answer line.
ctl_say() {
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 9;
		print $s $ARGV[1]; shutdown($s, 1);
		my $l = <$s>; print defined $l ? $l : "(closed)\n";' \
	    "${CTL_SOCK:-$T/kt.db.ctl}" "$1"
}

modem_up() { # modem_up NAME
	[ "$(sql "SELECT state FROM modems WHERE name = '$1'")" = "up" ]
}

finish() {
	echo "  $checks checks, $failed failed"
	[ "$failed" -eq 0 ]
}

# --- the AT modem simulator (tests/atsim) -----------------------------------
# Each simulator NAME runs on $T/NAME.tty (pty link) and $T/NAME.ctl
# (control socket) and records every SMS-SUBMIT in $T/NAME.rec:
# ms<TAB>to<TAB>coding<TAB>ref/part/total<TAB>text<TAB>pdu.

atsim_start() { # atsim_start NAME [ATSIM_OPTIONS...]
	n=$1; shift
	"$ATSIM" -p "$T/$n.tty" -s "$T/$n.ctl" -r "$T/$n.rec" "$@" \
	    2> "$T/$n.atsim.log" &
	echo $! > "$T/$n.atsim.pid"
	: > "$T/$n.rec"
	wait_for 10 test -S "$T/$n.ctl" -a -L "$T/$n.tty"
}

atsim_ctl() { # atsim_ctl NAME COMMAND [ARG...]: prints the reply
	n=$1; shift
	"$ATSIM" ctl "$T/$n.ctl" "$@"
}

atsim_stat() { # atsim_stat NAME KEY: one counter of "stats"
	atsim_ctl "$1" stats | tr ' ' '\n' | sed -n "s/^$2=//p"
}

atsim_records() { # atsim_records NAME: SMS-SUBMITs recorded so far
	wc -l < "$T/$1.rec" | tr -d ' '
}

# KT_ENGINE (native or gammu) picks the AT engine of every at_modem; unset,
# the daemon's default (native for connection = "at").
at_modem() { # at_modem NAME [EXTRA SETTINGS]: a config entry for atsim NAME
	echo "{ name = \"$1\"; device = \"$T/$1.tty\"; connection = \"at\";${KT_ENGINE:+ engine = \"$KT_ENGINE\";} ${2:-} }"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
