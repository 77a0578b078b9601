#!/bin/sh
# A long reply whose second part the network refuses is retried from that
# part: the recipient gets each of the 4 parts once, all under the one
# concatenation reference (before: 5 parts, part 1 twice, two references).
# The same when the modem stops answering during the second part and the
# worker starts again: the retry reads where it stopped from the outbox
# (part 1 once; part 2, whose answer was lost, may go twice).
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1 "send_timeout = 5;")"
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

# The modem hangs while part 2 waits for its answer (the simulator holds
# each answer 1.5 s): the worker gives the send up as a link failure and
# starts again; the retry sends parts 2-4 only, under the same reference.
# Part 2 may reach the network twice (its answer was lost), part 1 never.
to=+6281234567891
mine() { awk -F'\t' -v t="$to" '$2 == t' "$T/m1.rec"; }
atsim_ctl m1 send-delay 1500 >/dev/null
atsim_ctl m1 inject "$to" "INFO PANJANG" >/dev/null
check "part 2 of the second reply reaches the simulator" wait_for 30 sh -c "[ \$(awk -F'\t' -v t='$to' '\$2 == t' '$T/m1.rec' | wc -l) -ge 2 ]"
atsim_ctl m1 hang >/dev/null
check "the worker records part 1 as sent (link failure)" wait_for 30 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT parts_done FROM outbox WHERE recipient = '$to'\")\" = 1 ]"
atsim_ctl m1 unhang >/dev/null
atsim_ctl m1 send-delay 0 >/dev/null
check "the reply is sent in the end" wait_for 60 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '$to'\")\" = sent ]"
echo "  parts recorded for $to: $(mine | cut -f4 | tr '\n' ' ')"
check "part 1 once" test "$(mine | cut -f4 | cut -d/ -f2 | grep -c '^1$')" = 1
check "parts 3 and 4 once each" test "$(mine | cut -f4 | cut -d/ -f2 | grep -c '^[34]$')" = 2
check "all under one reference" test "$(mine | cut -f4 | cut -d/ -f1 | sort -u | wc -l)" = 1
check "SIGTERM stops cleanly" stop_daemon
finish
