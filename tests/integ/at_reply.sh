#!/bin/sh
# A HARGA SMS arriving on an AT modem (the simulator, on a pseudo-terminal)
# is answered on that modem through libgammu's AT driver; the message is
# deleted from the SIM only after it is committed; `kentongan modems`
# shows the modem's health.
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "-n accepts an AT modem on a pty" "$KTD" -c "$T/kt.conf" -n
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

t0=$(now_ms)
atsim_ctl m1 inject +6281234567890 "HARGA CABAI" >/dev/null
check "reply SMS-SUBMIT reaches the modem" wait_for 20 \
    sh -c "[ \$(wc -l < '$T/m1.rec') -ge 1 ]"
t1=$(cut -f1 "$T/m1.rec" | head -1)
echo "  measured: inject -> reply PDU written after AT+CMGS: $((t1 - t0)) ms" \
    "(engine ${KT_ENGINE:-native}; libgammu's sleeps in ATGEN_SendSMS are ~600 ms)"
check "reply goes to the sender" test "$(cut -f2 "$T/m1.rec")" = "+6281234567890"
check "reply is one GSM-7 part" test "$(cut -f3,4 "$T/m1.rec")" = "gsm7	0/1/1"
check "reply holds the price" sh -c "cut -f5 '$T/m1.rec' | grep -q 'Rp45.000/kg'"
check "outbox row sent by m1 with a reference" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state, modem, msg_ref IS NOT NULL, parts FROM outbox\")\" = 'sent|m1|1|1' ]"
check "inbox row done" test "$(sql "SELECT state, modem, coding FROM inbox")" = "done|m1|gsm7"
check "message deleted from the SIM after the commit" wait_for 10 \
    sh -c "[ \"\$('$ATSIM' ctl '$T/m1.ctl' stats | tr ' ' '\n' | grep '^stored=')\" = stored=0 ]"
check "deleted with AT+CMGD" test "$(atsim_stat m1 cmgd)" -ge 1

# A second message while idle: answered once, and nothing read twice.
atsim_ctl m1 inject 081234567891 "harga cabai kediri" >/dev/null
check "second reply" wait_for 20 sh -c "[ \$(wc -l < '$T/m1.rec') -ge 2 ]"
check "no message answered twice" test "$(sql "SELECT COUNT(*) FROM outbox")" -eq 2
check "received counter" wait_for 5 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT received, sent FROM modems WHERE name = 'm1'\")\" = '2|2' ]"
out=$("$KT" -c "$T/kt.conf" modems)
check "kentongan modems shows it up" sh -c "echo '$out' | grep -q '^m1 *up'"

check "SIGTERM stops cleanly" stop_daemon

# Stopped while the worker is still opening the modem (seconds of AT
# start-up with libgammu): the worker exits; it is never taken
# for up on the way out, so nothing is handed to it.
c0=$(atsim_stat m1 commands)
check "daemon starts again" start_daemon
opening() { [ "$(atsim_stat m1 commands)" -gt "$c0" ]; }
check "the worker is opening the modem" wait_for 20 opening
check "SIGTERM while the modem opens stops cleanly" stop_daemon
# libgammu's engine cannot be interrupted while it opens; the native one
# may leave between two commands of its start-up.
if [ "${KT_ENGINE:-native}" = gammu ]; then
	check "the worker finished opening it before it exited" test \
	    "$(grep -c 'modem m1: ready:' "$T/daemon.log")" -eq 2
fi
check "a modem asked to stop is never up" sh -c \
    "! grep -q 'stopping -> up' '$T/daemon.log'"
finish
