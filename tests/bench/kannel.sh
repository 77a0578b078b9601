#!/bin/bash
#
# The Kannel phase of `make bench`: kentongand sending through Debian's
# bearerbox and smsbox to the fake SMSC (tests/kannel/fakesmsc), all on
# loopback, beside smsbox's own ceiling measured in the same run.
#
# usage: tests/bench/kannel.sh BUILD_DIR
#
# Prints a Markdown table on stdout (kept in BUILD_DIR/bench-kannel/
# table.md); progress on stderr.  Figures, BENCH_KANNEL_REPS runs each
# (median, min–max):
#   - smsbox sendsms alone: N GETs one after another on one keep-alive
#     connection (curl), and split over 8 connections;
#   - a kentongand broadcast of N through it, window 16, without and with
#     delivery reports: N / (time from `broadcast send` to every row
#     'sent'; with reports also to every row 'delivered');
#   - replies under 8 MO clients: 8 curl clients each send MO/8 calls to
#     kentongand's /mo (distinct senders, "HARGA CABAI"), as smsbox's
#     get-url would; the MO rate, the replies handed to smsbox during the
#     intake over that rate, and each reply's delay from its /mo call
#     (the worker's "MO from" log line) to its dispatch to sendsms (the
#     loop's "outbox N: to" line), p50 and p99.
#
# Knobs: BENCH_KANNEL_N (5000), BENCH_KANNEL_MO (2000), BENCH_KANNEL_REPS
# (3), BENCH_KANNEL_WINDOW (128, the default).
set -u

BUILD=${1:?usage: kannel.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
KTD=$BUILD/kentongand
KT=$BUILD/kentongan
FAKESMSC=$BUILD/fakesmsc
FAKESENDSMS=$BUILD/fakesendsms
W=$BUILD/bench-kannel
N=${BENCH_KANNEL_N:-5000}
MO=${BENCH_KANNEL_MO:-2000}
REPS=${BENCH_KANNEL_REPS:-3}
WINDOW=${BENCH_KANNEL_WINDOW:-128}
LC_ALL=C
export LC_ALL
. "$HERE/lib.sh"

base=$((27000 + ($$ % 1000) * 6))
P_ADMIN=$base P_BOX=$((base + 1)) P_SMSC=$((base + 2))
P_SEND=$((base + 3)) P_KT=$((base + 4)) P_SINK=$((base + 5))
SENDSMS="http://127.0.0.1:$P_SEND/cgi-bin/sendsms"

rm -rf "$W"
mkdir -p "$W"
: > "$W/pids"
trap bench_cleanup EXIT

# Kannel as tests/integ/kannel.inc sets it up, logging warnings only.
cat > "$W/kannel.conf" <<CONF
group = core
admin-port = $P_ADMIN
admin-password = "bench"
admin-allow-ip = "127.0.0.1"
smsbox-port = $P_BOX
box-allow-ip = "127.0.0.1"
log-file = "$W/bearerbox.log"
log-level = 2
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = FAKE
port = $P_SMSC
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = "127.0.0.1"
sendsms-port = $P_SEND
sendsms-interface = "127.0.0.1"
global-sender = "1234"
log-file = "$W/smsbox.log"
log-level = 2
http-request-retry = 5
http-queue-delay = 1

group = sendsms-user
username = "kt"
password = "ktpass"
max-messages = 10
concatenation = true

group = sms-service
keyword = default
get-url = "http://127.0.0.1:$P_KT/mo?from=%p&to=%P&text=%b&coding=%c&ts=%T&id=%I"
max-messages = 0
omit-empty = true
CONF

start_kannel() {
	: > "$W/mt.rec"
	"$FAKESMSC" "$P_SMSC" "$W/mt.rec" "$W/mo.fifo" 2> "$W/fakesmsc.log" &
	bench_track $!
	/usr/sbin/bearerbox -v 2 "$W/kannel.conf" > "$W/bearerbox.out" 2>&1 &
	bench_track $!
	bench_wait 20 grep -q connected "$W/fakesmsc.log" || return 1
	/usr/sbin/smsbox -v 2 "$W/kannel.conf" > "$W/smsbox.out" 2>&1 &
	bench_track $!
	bench_wait 20 curl -s -o /dev/null "$SENDSMS" || return 1
	"$FAKESENDSMS" "$P_SINK" 0 "$W/sink.rec" "$W/sink.stats" &
	bench_track $!
}

# ceiling CONNS [DLR]: N sendsms GETs over CONNS keep-alive connections
# (DLR: each asking for a delivery report to a sink that answers at once,
# and the time is to the last report); msg/s.
ceiling() {
	local c=$1 i t0 t1 per=$(( N / $1 )) dlr=""
	[ -n "${2:-}" ] && dlr="&dlr-mask=19&dlr-url=http%3A%2F%2F127.0.0.1%3A$P_SINK%2Fdlr%3Fto%3D%25p%26status%3D%25d"
	for ((i = 0; i < c; i++)); do
		awk -v s="$SENDSMS" -v per="$per" -v c="$i" -v d="$dlr" 'BEGIN {
		    for (j = 0; j < per; j++)
			printf "url = \"%s?username=kt&password=ktpass&to=%%2B6281%02d%06d&text=Ceiling+test%s\"\noutput = \"/dev/null\"\n", s, c, j, d }' \
		    > "$W/ceiling.$i"
	done
	: > "$W/sink.rec"
	t0=$(bench_now)
	pids=""
	for ((i = 0; i < c; i++)); do
		curl -s -K "$W/ceiling.$i" &
		pids="$pids $!"
	done
	wait $pids
	[ -n "$dlr" ] && bench_wait 300 sh -c "[ \$(wc -l < '$W/sink.rec') -ge $(( per * c )) ]"
	t1=$(bench_now)
	echo $(( per * c * 1000 / (t1 - t0) ))
}

# kt_conf DIR REPORTS: kentongand's configuration for one lane.
kt_conf() {
	cat > "$1/kt.conf" <<CONF
database = "$1/kt.db";
pidfile = "$1/kt.pid";
language = "id";
country_code = "62";
reply_limit = 0;
repeat_limit = 0;
modems = ( { name = "k1"; connection = "kannel"; url = "$SENDSMS";
    username = "kt"; password = "ktpass"; listen = "127.0.0.1:$P_KT";
    window = $WINDOW; delivery_reports = $2; } );
CONF
}

# kt_start DIR [-v]: start kentongand and wait for the Kannel modem.
kt_start() {
	"$KTD" -c "$1/kt.conf" -f ${2:-} >> "$1/daemon.log" 2>&1 &
	echo $! > "$1/kt.pid.bench"
	bench_track "$(cat "$1/kt.pid.bench")"
	bench_wait 30 sh -c "[ \"\$(sqlite3 '$1/kt.db' \"SELECT state FROM modems WHERE name = 'k1'\" 2>/dev/null)\" = up ]"
}
kt_stop() { bench_stop "$(cat "$1/kt.pid.bench")"; }
count() { sqlite3 "$1/kt.db" "SELECT COUNT(*) FROM outbox WHERE $2"; }

# broadcast_run DIR REPORTS: msg/s to 'sent' (and to 'delivered').
broadcast_run() {
	local d=$1 t0 t1 t2
	rm -rf "$d"
	mkdir -p "$d"
	kt_conf "$d" "$2"
	"$KT" -c "$d/kt.conf" group create PETANI >/dev/null || return 1
	sqlite3 "$d/kt.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
	    SELECT i + 1 FROM n WHERE i < $N) INSERT INTO contacts (phone,
	    created_at, updated_at) SELECT printf('+628129%06d', i), 0, 0
	    FROM n; INSERT INTO group_members SELECT g.id, c.id, 0 FROM
	    groups g, contacts c;"
	kt_start "$d" || return 1
	t0=$(bench_now)
	"$KT" -c "$d/kt.conf" broadcast send --to PETANI "Pelatihan pupuk Sabtu" >/dev/null
	bench_wait 600 sh -c "[ \$(sqlite3 '$d/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state IN ('sent', 'delivered')\") -ge $N ]" || return 1
	t1=$(bench_now)
	if [ "$2" = true ]; then
		bench_wait 600 sh -c "[ \$(sqlite3 '$d/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state = 'delivered'\") -ge $N ]" || return 1
		t2=$(bench_now)
		echo $(( N * 1000 / (t2 - t0) )) >> "$W/delivered.rates"
	fi
	kt_stop "$d"
	echo $(( N * 1000 / (t1 - t0) ))
}

# mo_run DIR: 8 clients pour MO/8 calls each into /mo.
mo_run() {
	local d=$1 i t0 t1 per=$(( MO / 8 )) during
	rm -rf "$d"
	mkdir -p "$d"
	kt_conf "$d" false
	"$KT" -c "$d/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null || return 1
	kt_start "$d" -v || return 1
	for ((i = 0; i < 8; i++)); do
		awk -v p="$P_KT" -v per="$per" -v c="$i" 'BEGIN {
		    for (j = 0; j < per; j++)
			printf "url = \"http://127.0.0.1:%s/mo?from=%%2B62813%d%06d&to=1234&text=HARGA+CABAI&coding=0&ts=%d&id=%d\"\noutput = \"/dev/null\"\n", p, c, j, 1700000000 + j, c * 100000 + j }' \
		    > "$d/mo.$i"
	done
	t0=$(bench_now)
	pids=""
	for ((i = 0; i < 8; i++)); do
		curl -s -K "$d/mo.$i" &
		pids="$pids $!"
	done
	wait $pids
	t1=$(bench_now)
	during=$(count "$d" "state IN ('sent', 'delivered')")
	bench_wait 120 sh -c "[ \$(sqlite3 '$d/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state = 'sent'\") -ge $(( per * 8 )) ]" || return 1
	kt_stop "$d"
	echo $(( per * 8 * 1000 / (t1 - t0) )) >> "$W/mo.rates"
	awk -v m="$(( per * 8 ))" -v r="$during" 'BEGIN { printf "%.2f\n", r / m }' >> "$W/mo.ratios"
	# Delay per sender: its "MO from" line to its "outbox N: to" line.
	awk 'function ms(t) { split(t, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
	    / MO from / { s = $6; sub(":", "", s); mo[s] = ms($1) }
	    / outbox [0-9]*: to / { if ($5 in mo) print ms($1) - mo[$5] }' \
	    "$d/daemon.log" >> "$W/mo.delays"
}

# pct FILE P: the P-th percentile of the numbers in FILE.
pct() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
mmm() { bench_stats "$1" | awk '{ printf "%s (%s–%s)", $1, $2, $3 }'; }

command -v /usr/sbin/bearerbox >/dev/null || { bench_note "Kannel is not installed (scripts/deps.sh --test)"; exit 1; }
bench_note "kannel: starting bearerbox, smsbox, fake SMSC"
start_kannel || { bench_note "Kannel did not start"; exit 1; }
: > "$W/c1.rates"; : > "$W/c8.rates"; : > "$W/c1dlr.rates"; : > "$W/bc.rates"; : > "$W/dlr.rates"
: > "$W/delivered.rates"; : > "$W/mo.rates"; : > "$W/mo.ratios"; : > "$W/mo.delays"
for ((r = 1; r <= REPS; r++)); do
	bench_note "kannel run $r/$REPS: smsbox ceiling, 1 and 8 connections"
	ceiling 1 >> "$W/c1.rates"
	ceiling 8 >> "$W/c8.rates"
	ceiling 1 dlr >> "$W/c1dlr.rates"
	bench_note "kannel run $r/$REPS: broadcast of $N, no delivery reports"
	broadcast_run "$W/bc" false >> "$W/bc.rates" || bench_note "broadcast failed"
	bench_note "kannel run $r/$REPS: broadcast of $N, delivery reports"
	broadcast_run "$W/dlr" true >> "$W/dlr.rates" || bench_note "broadcast (reports) failed"
	bench_note "kannel run $r/$REPS: $MO MO calls from 8 clients"
	mo_run "$W/mo" || bench_note "MO run failed"
done
c1=$(bench_stats "$W/c1.rates" | cut -d' ' -f1)
{
	echo "| figure | result | how |"
	echo "| --- | --- | --- |"
	echo "| smsbox sendsms alone, 1 connection | $(mmm "$W/c1.rates") msg/s | $N GETs one after another on one keep-alive connection (curl), $REPS runs |"
	echo "| smsbox sendsms alone, 8 connections | $(mmm "$W/c8.rates") msg/s | the same split over 8 curl clients |"
	echo "| smsbox sendsms alone, 1 connection, delivery reports | $(mmm "$W/c1dlr.rates") msg/s | the 1-connection run asking each for a report (dlr-mask 19) to a sink answering at once (tests/kannel/fakesendsms, hold 0): to the last report |"
	echo "| broadcast through Kannel, no delivery reports | $(mmm "$W/bc.rates") msg/s | $N recipients, window $WINDOW: \`broadcast send\` to every row 'sent'; $(awk -v a="$(bench_stats "$W/bc.rates" | cut -d' ' -f1)" -v c="$c1" 'BEGIN { printf "%.2f", a / c }') × smsbox's 1-connection median |"
	echo "| broadcast through Kannel, delivery reports on | $(mmm "$W/dlr.rates") msg/s | the same with delivery_reports = true, to every row 'sent' ($(awk -v a="$(bench_stats "$W/dlr.rates" | cut -d' ' -f1)" -v c="$c1" 'BEGIN { printf "%.2f", a / c }') × the ceiling); to every row 'delivered': $(mmm "$W/delivered.rates") msg/s |"
	echo "| MO intake, 8 clients on /mo | $(mmm "$W/mo.rates") msg/s | $MO calls \"HARGA CABAI\", distinct senders, each answered 200 after its commit |"
	echo "| replies during that intake / MO rate | $(mmm "$W/mo.ratios") | replies handed to smsbox before the last /mo call was answered, over the MOs |"
	echo "| reply delay, /mo to sendsms | p50 $(pct "$W/mo.delays" 50) ms, p99 $(pct "$W/mo.delays" 99) ms | per message over all runs ($(wc -l < "$W/mo.delays") replies): the worker taking the /mo call to the loop handing the reply to the worker's sendsms |"
	echo
	echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Kannel $(dpkg-query -W -f '${Version}' kannel 2>/dev/null)."
} | tee "$W/table.md"
