#!/bin/sh
# A Kannel smsbox as a "modem": real Kannel (Debian's bearerbox and smsbox,
# private config, ports and logs in $T), its fake SMSC connected to our
# tests/kannel/fakesmsc.  An MO "HARGA CABAI" goes fakesmsc -> bearerbox ->
# smsbox -> kentongand and the price goes back smsbox -> bearerbox ->
# fakesmsc; a UCS-2 reply; the delivery report settles the outbox row;
# with smsbox down replies stay queued and go when it is back; nothing is
# answered twice.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/kannel.inc"

# Private ports, spread by pid so parallel runs do not meet.
base=$((20000 + ($$ % 2000) * 5))
P_ADMIN=$base P_BOX=$((base + 1)) P_SMSC=$((base + 2))
P_SEND=$((base + 3)) P_KT=$((base + 4))

kannel_conf ktpass 5

start_bearerbox() {
	/usr/sbin/bearerbox "$T/kannel.conf" > "$T/bearerbox.out" 2>&1 &
	echo $! > "$T/bearerbox.pid"
}
start_smsbox() {
	/usr/sbin/smsbox "$T/kannel.conf" > "$T/smsbox.out" 2>&1 &
	echo $! > "$T/smsbox.pid"
}
stop_smsbox() {
	p=$(cat "$T/smsbox.pid")
	kill -TERM "$p" 2>/dev/null
	wait_for 20 sh -c "! kill -0 $p 2>/dev/null" || kill -9 "$p"
	wait "$p" 2>/dev/null
	rm -f "$T/smsbox.pid"
}
sendsms_up() { curl -s -o /dev/null "http://127.0.0.1:$P_SEND/cgi-bin/sendsms"; }
mt_lines() { wc -l < "$T/mt.rec" | tr -d ' '; }
inject() { echo "$1 1234 text $2" > "$T/mo.fifo"; }

: > "$T/mt.rec"
"$FAKESMSC" "$P_SMSC" "$T/mt.rec" "$T/mo.fifo" 2> "$T/fakesmsc.log" &
echo $! > "$T/fakesmsc.pid"
start_bearerbox
check "fake SMSC connected to bearerbox" wait_for 20 \
    grep -q connected "$T/fakesmsc.log"
start_smsbox
check "smsbox takes sendsms" wait_for 20 sendsms_up

# Configuration errors name the line.
write_conf "{ name = \"k1\"; connection = \"kannel\"; listen = \"127.0.0.1:$P_KT\"; }"
check "kannel without url: error with file:line" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'kt.conf:[0-9]*: modem k1: url: expected'"
write_conf "{ name = \"k1\"; connection = \"kannel\"; url = \"http://127.0.0.1:$P_SEND/cgi-bin/sendsms\"; }"
check "kannel without listen: error" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'modem k1: listen: expected'"
write_conf "{ name = \"m1\"; connection = \"at\"; }"
check "a GSM modem still needs a device" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'required setting \"device\" is missing'"

write_conf "{ name = \"k1\"; connection = \"kannel\";
    url = \"http://127.0.0.1:$P_SEND/cgi-bin/sendsms\";
    username = \"kt\"; password = \"ktpass\"; listen = \"127.0.0.1:$P_KT\";
    delivery_reports = true; }"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "-n accepts a Kannel modem" "$KTD" -c "$T/kt.conf" -n
check "daemon starts" start_daemon
check "Kannel modem comes up" wait_for 20 modem_up k1

# MO through the whole chain, answered with the price.
inject +6281234567890 "HARGA CABAI"
check "reply reaches the fake SMSC" wait_for 20 sh -c "[ \$(wc -l < '$T/mt.rec') -ge 1 ]"
line=$(head -1 "$T/mt.rec")
check "reply goes to the sender" sh -c "echo '$line' | grep -q '^1234 +6281234567890 text '"
check "reply holds the price" sh -c "echo '$line' | grep -q 'Rp45.000/kg'"
check "inbox row done, via k1" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state, modem FROM inbox\")\" = 'done|k1' ]"
check "delivery report settles the reply" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state, modem, parts FROM outbox\")\" = 'delivered|k1|1' ]"

# A reply that GSM-7 cannot carry goes as UCS-2 (coding=2): bearerbox
# hands the fake SMSC UTF-16BE bytes, so U+2615 is %26%15.
"$KT" -c "$T/kt.conf" info set KOPI "Kopi ☕ hangat" >/dev/null
inject +6281234567891 "INFO KOPI"
check "UCS-2 reply reaches the fake SMSC" wait_for 20 sh -c "[ \$(wc -l < '$T/mt.rec') -ge 2 ]"
line=$(sed -n 2p "$T/mt.rec")
check "UCS-2 reply goes to its sender as ucs-2" sh -c \
    "echo '$line' | grep -q '^1234 +6281234567891 ucs-2 '"
check "UCS-2 reply carries U+2615 as UTF-16BE" sh -c "echo '$line' | grep -q '+%26%15%00+'"
check "UCS-2 reply decodes to the page" sh -c "echo '$line' | cut -d' ' -f4 |
    perl -pe 's/\\+/ /g; s/%([0-9A-Fa-f]{2})/chr(hex(\$1))/ge; s/\\n\$//' |
    iconv -f UTF-16BE -t UTF-8 | grep -q 'Kopi ☕ hangat'"

# smsbox down: a broadcast stays queued (the worker reports the link down
# and retries with its backoff), an MO waits in bearerbox; both go once
# smsbox is back, each once.
stop_smsbox
"$KT" -c "$T/kt.conf" group create PETANI >/dev/null
"$KT" -c "$T/kt.conf" group add PETANI +6281200000001 >/dev/null
"$KT" -c "$T/kt.conf" broadcast send --to PETANI "Pelatihan pupuk Sabtu" >/dev/null
check "worker reports Kannel down" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'k1'\")\" != up ]"
check "broadcast stays queued, not failed" test \
    "$(sql "SELECT state FROM outbox WHERE recipient = '+6281200000001'")" = queued
inject +6281234567892 "HARGA CABAI"
check "nothing reached the SMSC while smsbox was down" test "$(mt_lines)" -eq 2
start_smsbox
check "smsbox back" wait_for 20 sendsms_up
check "Kannel modem up again" wait_for 90 modem_up k1
check "broadcast and the waiting MO's reply go out" wait_for 40 sh -c \
    "[ \$(wc -l < '$T/mt.rec') -ge 4 ]"
check "broadcast reached its member" \
    grep -q '^1234 +6281200000001 text Pelatihan pupuk Sabtu' "$T/mt.rec"
check "MO answered after smsbox returned" \
    grep -q '^1234 +6281234567892 text .*Rp45.000/kg' "$T/mt.rec"

# Nothing answered twice.
check "each MO stored once" test "$(sql "SELECT COUNT(*) FROM inbox")" -eq 3
check "each MO answered once, one broadcast" test \
    "$(sql "SELECT COUNT(*) FROM outbox")" -eq 4
check "no MT sent twice" test "$(mt_lines)" -eq 4
check "all sent rows sent once" test \
    "$(sql "SELECT COUNT(*) FROM outbox WHERE state IN ('sent', 'delivered')")" -eq 4
out=$("$KT" -c "$T/kt.conf" modems)
check "kentongan modems shows k1 up with Kannel" sh -c \
    "echo '$out' | grep -q '^k1 *up'"

check "SIGTERM stops cleanly" stop_daemon
check "no sanitizer report from daemon or worker" sh -c \
    "! grep -q 'runtime error\|AddressSanitizer' '$T/daemon.log'"
for f in smsbox bearerbox fakesmsc; do
	[ -f "$T/$f.pid" ] && kill -TERM "$(cat "$T/$f.pid")" 2>/dev/null
done
[ "$failed" -eq 0 ] || tail -5 "$T/smsbox.log" "$T/bearerbox.log" 2>/dev/null | sed 's/^/    | /'
finish
