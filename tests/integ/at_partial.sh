#!/bin/sh
# A long reply whose second part the network refuses is retried from that
# part: the recipient gets each of the 4 parts once, all under the one
# concatenation reference (before: 5 parts, part 1 twice, two references).
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
echo "retry_base = 1;" >> "$T/kt.conf"
long=$(printf 'Pupuk urea %03d. ' $(seq 1 34))	# 544 characters: 4 parts
"$KT" -c "$T/kt.conf" info set PANJANG "$long" >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

check "the simulator will refuse the second part" sh -c "\"$ATSIM\" ctl \"$T/m1.ctl\" fail-send 1 500 1 >/dev/null"
atsim_ctl m1 inject +6281234567890 "INFO PANJANG" >/dev/null
row() { sql "SELECT state || ' ' || parts || ' ' || attempts FROM outbox"; }
check "the reply is sent in the end, in 4 parts, on the second try" wait_for 30 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state || ' ' || parts || ' ' || attempts FROM outbox\")\" = 'sent 4 2' ]"
echo "  parts recorded: $(cut -f4 "$T/m1.rec" | tr '\n' ' ')"
check "4 parts reached the network, not 5" test "$(atsim_records m1)" = 4
check "each part once" test "$(cut -f4 "$T/m1.rec" | cut -d/ -f2 | sort | tr -d '\n')" = 1234
check "all under one reference" test "$(cut -f4 "$T/m1.rec" | cut -d/ -f1 | sort -u | wc -l)" = 1
check "the failure was logged with its part" grep -q "part 2/4 refused by the network" "$T/daemon.log"
check "SIGTERM stops cleanly" stop_daemon
finish
