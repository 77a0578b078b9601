#!/bin/sh
# The console's live stream (GET /console/api/events, server-sent events)
# under a burst: 60 SMS arriving at once on the simulated modem give the
# open page a handful of "inbox" events, at most one a second, not one a
# commit (each would make every open page fetch itself again), and the
# last of them comes after the burst is stored; a lone SMS after a quiet
# spell is still told at once.
. "$(dirname "$0")/lib.sh"

N=60
port=$((22000 + $$ % 1000))
check "atsim starts" atsim_start m1 -m 255
live_conf() {
	write_conf "$(at_modem m1)"
	echo "http = { listen = \"127.0.0.1:$1\"; token = \"live-token-0123456789abcdef\"; };" >> "$T/kt.conf"
}
start_on_free_port "$port" live_conf
check "daemon listens on 127.0.0.1:$port" test $? -eq 0
check "AT modem comes up" wait_for 30 modem_up m1
U="http://127.0.0.1:$port"
echo "pass-admin-123" | "$KT" -c "$T/kt.conf" user add admin --role admin --password-stdin >/dev/null
check "admin logs in" test "$(curl -s -c "$T/jar" -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/json' -d '{"name":"admin","password":"pass-admin-123"}' \
    "$U/console/api/login")" = 200

curl -s -N -b "$T/jar" "$U/console/api/events" > "$T/sse.out" &
sse=$!
check "the stream opens" wait_for 10 grep -q kentongan "$T/sse.out"
events() { grep -c '^event: inbox' "$T/sse.out"; }

t0=$(date +%s)
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	atsim_ctl m1 inject "+62812340$(printf %05d "$i")" "HARGA CABAI" >/dev/null
done
check "all $N stored" wait_for 60 sh -c "[ \$(sqlite3 '$T/kt.db' 'SELECT count(*) FROM inbox') -ge $N ]"
t1=$(date +%s)
sleep 2	# the gap's held-back event, if one is due
got=$(events)
echo "  measured: $got event(s) for $N messages stored over $((t1 - t0)) s"
check "more than one event: the first at once, the rest folded" test "$got" -ge 2
check "at most one a second (plus the first)" test "$got" -le $((t1 - t0 + 3))
check "far fewer events than messages" test "$got" -lt $((N / 4))
last=$(grep '^data:' "$T/sse.out" | tail -1)
check "the last event carries the final needs count ($last)" test "$last" = \
    "data: {\"needs\":$(sql "SELECT count(*) FROM inbox WHERE needs_person = 1")}"

sleep 1.5
before=$(events)
atsim_ctl m1 inject +6281234099999 "HARGA CABAI" >/dev/null
check "a lone SMS after a quiet spell is told" wait_for 10 sh -c "[ \$(grep -c '^event: inbox' '$T/sse.out') -gt $before ]"
kill "$sse" 2>/dev/null
wait "$sse" 2>/dev/null
check "SIGTERM stops cleanly" stop_daemon
finish
