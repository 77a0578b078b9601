#!/bin/sh
# A burst of 200 inbound messages on one AT modem gets 200 replies, none
# twice.  Four simulated modems share the sending (the outbox gives any
# idle modem the next reply: libgammu's engine sleeps ~0.7 s in every
# AT+CMGS); all 200 arrive on m1.
. "$(dirname "$0")/lib.sh"

N=200
check "atsim m1 (255 SIM slots) starts" atsim_start m1 -m 255
for m in m2 m3 m4; do atsim_start $m; done
write_conf "$(at_modem m1), $(at_modem m2), $(at_modem m3), $(at_modem m4)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "four AT modems come up" wait_for 40 sh -c \
    "[ \$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM modems WHERE state = 'up'\") -eq 4 ]"

# The native engine sends at the modem's speed: slow m1 down (300 ms a
# send), so that the deletes of all 200 commits queue up behind its sends.
[ "${KT_ENGINE:-native}" = native ] && atsim_ctl m1 send-delay 300 >/dev/null
t0=$(now_ms)
i=0
while [ $i -lt $N ]; do
	atsim_ctl m1 inject "+62812$(printf '%06d' $i)" "HARGA CABAI" >/dev/null ||
	    echo "  inject $i refused"
	i=$((i + 1))
done
t1=$(now_ms)
total() { cat "$T"/m[1-4].rec | wc -l | tr -d ' '; }
check "$N replies recorded by the modems" wait_for 150 sh -c \
    "[ \$(cat '$T'/m[1-4].rec | wc -l) -ge $N ]"
t2=$(now_ms)
echo "  measured: $N injected in $((t1 - t0)) ms; last reply PDU after" \
    "$((t2 - t0)) ms on 4 modems (engine ${KT_ENGINE:-native})"
for m in m1 m2 m3 m4; do echo "  $m sent $(atsim_records $m)"; done
check "exactly $N replies, none twice" test \
    "$(cat "$T"/m[1-4].rec | cut -f2 | sort -u | wc -l)" -eq $N -a "$(total)" -eq $N
check "every reply holds the price" test \
    "$(cat "$T"/m[1-4].rec | cut -f5 | grep -c 'Rp45.000/kg')" -eq $N
check "$N inbox rows, all done" test \
    "$(sql "SELECT COUNT(*) FROM inbox WHERE state = 'done'")" -eq $N
check "$N outbox rows, all sent" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT COUNT(*), SUM(state = 'sent') FROM outbox\")\" = '$N|$N' ]"
check "SIM emptied after the commits" wait_for 10 sh -c \
    "'$ATSIM' ctl '$T/m1.ctl' stats | grep -q 'stored=0 '"
check "more than one modem sent" test \
    "$(sql "SELECT COUNT(DISTINCT modem) FROM outbox")" -ge 2
sleep 1	# nothing more may arrive: let a stray duplicate show up
check "still $N replies" test "$(total)" -eq $N
check "SIGTERM stops cleanly" stop_daemon
finish
