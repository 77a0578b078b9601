#!/bin/sh
# Crash test: kentongand on the simulated AT modem, a stream of inbound
# keyword messages while a broadcast dispatches, and kill -9 of the daemon
# at random moments, KT_CRASH_ROUNDS times (10 in make check, 50 in
# `make crashtest`), restarting it each time. At the end, checked from the
# modem's side (what atsim recorded): every inbound message was answered,
# duplicates stay within the documented window (a kill between the modem
# accepting a message and the commit recording it: at most one a kill),
# every broadcast recipient got the broadcast, nothing is left on the SIM,
# and the database passes PRAGMA integrity_check. Prints the counts.
. "$(dirname "$0")/lib.sh"

rounds=${KT_CRASH_ROUNDS:-10}
per_round=4		# inbound messages injected each round
recipients=60
BTEXT="Pelatihan pupuk Sabtu 09.00 di balai desa"

check "atsim starts" atsim_start m1 -m 255
write_conf "$(at_modem m1)"
cat >> "$T/kt.conf" <<CONF
reply_limit = 0;
repeat_limit = 0;
CONF
kt() { "$KT" -c "$T/kt.conf" "$@"; }
kt price set CABAI KEDIRI 45000 kg >/dev/null
sql "INSERT INTO groups (name, created_at) VALUES ('PETANI', 0);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
     WHERE i < $recipients) INSERT INTO contacts (phone, created_at,
     updated_at) SELECT printf('+628129%06d', i), 0, 0 FROM n;
     INSERT INTO group_members SELECT 1, id, 0 FROM contacts;"
kt broadcast send --to PETANI "$BTEXT" >/dev/null

# A random delay of 0.2 to 2.0 s, from /dev/urandom.
pause() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	sleep "$(( r % 19 / 10 )).$(( r % 10 ))"
	sleep 0.2
}

kills=0
orphans=0
injected=0
round=1
while [ "$round" -le "$rounds" ]; do
	start_daemon || { not_ok "daemon restarts (round $round)"; break; }
	k=0
	while [ "$k" -lt "$per_round" ]; do
		injected=$((injected + 1))
		atsim_ctl m1 inject "$(printf '+628131%06d' "$injected")" \
		    "HARGA CABAI" >/dev/null
		k=$((k + 1))
	done
	pause
	wpid=$(grep "modem m1: worker pid" "$T/daemon.log" | tail -1 |
	    awk '{print $NF}')
	kill -9 "$daemon_pid" 2>/dev/null && kills=$((kills + 1))
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=""
	# The worker dies with the daemon, so no two talk to one port.
	wait_for 3 sh -c "! kill -0 ${wpid:-0} 2>/dev/null" ||
	    orphans=$((orphans + 1))
	round=$((round + 1))
done
ok "$kills kills, $injected messages injected"

# Let the last daemon finish everything.
settled() {
	[ "$(sql "SELECT COUNT(*) FROM outbox WHERE state IN ('queued',
	    'sending')")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM inbox WHERE state != 'done'")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM inbox")" = "$injected" ] &&
	[ "$(atsim_stat m1 stored)" = 0 ]
}
check "daemon starts for the last time" start_daemon
check "everything settles" wait_for 240 settled

# Counts from the modem's record: column 2 is the recipient, 5 the text.
answered=$(grep -c '	+628131' "$T/m1.rec")
answered_once=$(cut -f2 "$T/m1.rec" | grep '^+628131' | sort -u | wc -l)
bc_distinct=$(awk -F'\t' -v t="$BTEXT" '$5 == t { print $2 }' "$T/m1.rec" |
    sort -u | wc -l)
bc_total=$(awk -F'\t' -v t="$BTEXT" '$5 == t' "$T/m1.rec" | wc -l)
dups=$(( answered - answered_once + bc_total - bc_distinct ))
echo "  counts: $injected inbound, $answered_once answered ($answered replies)," \
    "$bc_distinct of $recipients broadcast recipients reached ($bc_total sends)," \
    "$dups duplicate(s) after $kills kill(s)"
check "every inbound message answered" test "$answered_once" -eq "$injected"
check "every broadcast recipient reached" test "$bc_distinct" -eq "$recipients"
check "duplicates within the window (at most one a kill)" test "$dups" -le "$kills"
check "no reply to anyone else" test "$(cut -f2 "$T/m1.rec" | grep -Evc '^\+6281(29|31)')" -eq 0
check "one inbox row per message" test "$(sql "SELECT COUNT(DISTINCT sender) FROM inbox")" = "$injected"
check "no worker outlived its daemon ($orphans)" test "$orphans" -eq 0
check "integrity_check ok" test "$(sql "PRAGMA integrity_check")" = ok
check "SIGTERM stops cleanly" stop_daemon
finish
