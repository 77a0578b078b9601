#!/bin/sh
# Eight identical SMS from one sender within one second (one SMSC time
# stamp) are eight messages: eight inbox rows, none taken for a second
# read (before: 3 rows, 5 "read again; already stored").  The simulator
# reuses a slot as soon as the worker empties it, so both cases meet:
# distinct slots, and a slot emptied and filled again.
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
cat >> "$T/kt.conf" <<CONF
repeat_limit = 0;
reply_limit = 0;
CONF
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

# Inject all at once (a few ms: one second, but for a rare boundary).
pids=""
for i in 1 2 3 4 5 6 7 8; do
	atsim_ctl m1 inject +6281234567890 "HARGA CABAI" >/dev/null &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
rows() { sql "SELECT count(*) FROM inbox"; }
check "eight inbox rows" wait_for 60 sh -c "[ \$(sqlite3 '$T/kt.db' 'SELECT count(*) FROM inbox') -ge 8 ]"
echo "  inbox rows: $(rows), SMSC time stamps: $(sql "SELECT count(DISTINCT smsc_time) FROM inbox"), slots: $(sql "SELECT group_concat(substr(dedup_key, instr(dedup_key, '|1/') + 1), ' ') FROM inbox")"
check "most of them share one time stamp" test "$(sql "SELECT max(n) FROM (SELECT count(*) AS n FROM inbox GROUP BY smsc_time)")" -ge 5
check "exactly eight, all answered" wait_for 30 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT count(*) || ' ' || sum(state = 'done') FROM inbox\")\" = '8 8' ]"
check "none taken for a second read" sh -c "! grep -q 'read again; already stored' '$T/daemon.log'"
check "all deleted from the SIM" wait_for 10 sh -c "[ \"\$('$ATSIM' ctl '$T/m1.ctl' stats | tr ' ' '\n' | grep '^stored=')\" = stored=0 ]"
check "SIGTERM stops cleanly" stop_daemon
finish
