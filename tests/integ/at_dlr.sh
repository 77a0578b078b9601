#!/bin/sh
# Send results on an AT modem: the message reference is recorded; with
# delivery_reports the network's status report (+CDS) marks the row
# delivered; a send the modem refuses is recorded and retried.
. "$(dirname "$0")/lib.sh"

row() { sql "SELECT state FROM outbox WHERE recipient = '$1'"; }

atsim_start m1
write_conf "$(at_modem m1 'delivery_reports = true;')"
sed -i 's/^language/retry_base = 1;\nlanguage/' "$T/kt.conf"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

atsim_ctl m1 inject +6281500000001 "HARGA CABAI" >/dev/null
check "status report marks the reply delivered" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '+6281500000001'\")\" = delivered ]"
check "delivery time recorded" test \
    "$(sql "SELECT delivered_at >= sent_at FROM outbox WHERE recipient = '+6281500000001'")" = 1
# PDU: SMSC address (length octet + that many), then the first octet.
pdu=$(cut -f6 "$T/m1.rec" | head -1)
fo=$(echo "$pdu" | cut -c$(( 0x$(echo "$pdu" | cut -c1-2) * 2 + 3 ))-$(( 0x$(echo "$pdu" | cut -c1-2) * 2 + 4 )))
check "the request asked for a report (TP-SRR)" test $(( 0x$fo & 0x20 )) -ne 0

# The modem refuses the next send: the error is on the row, then it is retried.
atsim_ctl m1 fail-send 1 38 >/dev/null
atsim_ctl m1 inject +6281500000002 "HARGA CABAI" >/dev/null
check "refused send recorded on the row" wait_for 20 sh -c \
    "[ -n \"\$(sqlite3 '$T/kt.db' \"SELECT last_error FROM outbox WHERE recipient = '+6281500000002' AND attempts >= 1 AND last_error <> ''\")\" ] || [ \"\$(sqlite3 '$T/kt.db' \"SELECT attempts FROM outbox WHERE recipient = '+6281500000002'\")\" -ge 2 ]"
check "retried and delivered" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state, attempts FROM outbox WHERE recipient = '+6281500000002'\")\" = 'delivered|2' ]"
check "the refusal was logged" grep -q "outbox [0-9]* via m1: part 1/1" "$T/daemon.log"
check "SIGTERM stops cleanly" stop_daemon
finish
