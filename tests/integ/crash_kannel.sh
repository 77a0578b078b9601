#!/bin/sh
# Crash test through Kannel: a broadcast to KT_CRASH_KANNEL_RECIPIENTS
# numbers (10,000 in make check; e.g. 20000 with KT_CRASH_ROUNDS=10 for
# the issue's bigger run) goes out through real bearerbox and smsbox to
# the fake SMSC with the default window (128 sends in flight), while
# kentongand is killed with -9 KT_CRASH_ROUNDS times (5 by default) at
# random moments and restarted.  Checked from the SMSC's side: every
# number reached, and duplicates at most one window a kill (the sends
# smsbox took whose results the dead daemon had not committed).  Prints
# the counts.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/kannel.inc"

rounds=${KT_CRASH_ROUNDS:-5}
recipients=${KT_CRASH_KANNEL_RECIPIENTS:-10000}
window=128	# conf.h's CONF_WINDOW_KANNEL: the modem below leaves it unset
BTEXT="Pelatihan pupuk Sabtu 09.00 di balai desa"

base=$((26000 + ($$ % 1500) * 5))
P_ADMIN=$base P_BOX=$((base + 1)) P_SMSC=$((base + 2))
P_SEND=$((base + 3)) P_KT=$((base + 4))
kannel_conf ktpass 5
# The sendsms user takes any number of messages a second.
: > "$T/mt.rec"
"$FAKESMSC" "$P_SMSC" "$T/mt.rec" "$T/mo.fifo" 2> "$T/fakesmsc.log" &
echo $! > "$T/fakesmsc.pid"
/usr/sbin/bearerbox "$T/kannel.conf" > "$T/bearerbox.out" 2>&1 &
echo $! > "$T/bearerbox.pid"
check "fake SMSC connected to bearerbox" wait_for 20 \
    grep -q connected "$T/fakesmsc.log"
/usr/sbin/smsbox "$T/kannel.conf" > "$T/smsbox.out" 2>&1 &
echo $! > "$T/smsbox.pid"
sendsms_up() { curl -s -o /dev/null "http://127.0.0.1:$P_SEND/cgi-bin/sendsms"; }
check "smsbox takes sendsms" wait_for 20 sendsms_up

write_conf "{ name = \"k1\"; connection = \"kannel\";
    url = \"http://127.0.0.1:$P_SEND/cgi-bin/sendsms\";
    username = \"kt\"; password = \"ktpass\"; listen = \"127.0.0.1:$P_KT\"; }"
"$KT" -c "$T/kt.conf" group create PETANI >/dev/null
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
     WHERE i < $recipients) INSERT INTO contacts (phone, created_at,
     updated_at) SELECT printf('+628129%06d', i), 0, 0 FROM n;
     INSERT INTO group_members SELECT g.id, c.id, 0 FROM groups g,
     contacts c;"
"$KT" -c "$T/kt.conf" broadcast send --to PETANI "$BTEXT" >/dev/null

# A random delay of 0.02 to 0.3 s, from /dev/urandom: short enough that
# the kills land while the broadcast goes out (it sends thousands a second).
pause() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	sleep "0.$(( r % 3 ))$(( r % 10 ))"
	sleep 0.02
}

kills=0
during=0	# kills with rows still to send
round=1
while [ "$round" -le "$rounds" ]; do
	start_daemon || { not_ok "daemon restarts (round $round)"; break; }
	wait_for 20 modem_up k1
	pause
	kill -9 "$daemon_pid" 2>/dev/null && kills=$((kills + 1))
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=""
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE state IN ('queued',
	    'sending')")" -gt 0 ] && during=$((during + 1))
	round=$((round + 1))
done
ok "$kills kills, $during of them with rows still to send"
check "the kills hit the broadcast" test "$during" -ge 1

reached() { awk -v t="$BTEXT" 'index($0, t) { print $2 }' "$T/mt.rec" | sort -u | wc -l; }
settled() {
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE state IN ('queued',
	    'sending')")" = 0 ] && [ "$(reached)" -ge "$recipients" ]
}
check "daemon starts for the last time" start_daemon
check "everything settles" wait_for 300 settled
sent=$(sql "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
total=$(grep -c "$BTEXT" "$T/mt.rec")
distinct=$(reached)
dups=$((total - distinct))
echo "  counts: $distinct of $recipients reached ($total sends), $dups" \
    "duplicate(s) after $kills kill(s) with window $window"
check "every number reached" test "$distinct" -eq "$recipients"
check "every row sent" test "$sent" -eq "$recipients"
check "duplicates at most one window a kill" test "$dups" -le $((kills * window))
check "integrity_check ok" test "$(sql "PRAGMA integrity_check")" = ok
check "SIGTERM stops cleanly" stop_daemon
for f in smsbox bearerbox fakesmsc; do
	[ -f "$T/$f.pid" ] && kill -TERM "$(cat "$T/$f.pid")" 2>/dev/null
done
finish
