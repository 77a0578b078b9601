#!/bin/sh
# Malformed and hostile PDUs on the SIM (the shapes the PDU fuzzer found
# crashing libgammu's GSM_DecodePDUFrame: a 30-digit sender, a 14-octet
# SMSC address; and garbage): the modem keeps working, a good message
# beside them is answered, nothing is answered twice.
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

# SMS-DELIVER, 30-digit international sender, GSM-7 "hello".
atsim_ctl m1 inject-pdu 00041E91214365870921436587092143658709000062112291000000 >/dev/null
# A 14-octet SMSC address before an otherwise good SMS-DELIVER.
atsim_ctl m1 inject-pdu 0E9121436587092143658709214365040B912143658709F100006211229100000005E8329BFD06 >/dev/null
# Truncated and nonsense PDUs.
atsim_ctl m1 inject-pdu 0004 >/dev/null
atsim_ctl m1 inject-pdu 00DEADBEEF >/dev/null
atsim_ctl m1 inject +6281234567890 "HARGA CABAI" >/dev/null

answered() { cut -f2,5 "$T/m1.rec" | grep -q '^+6281234567890	CABAI, Pasar Kediri'; }
check "the good message is answered" wait_for 30 answered
unreadable() { grep -c 'cannot be read.*left on the SIM' "$T/daemon.log"; }
only_bad_left() { [ "$(atsim_stat m1 stored)" = "$(unreadable)" ]; }
check "what libgammu cannot decode is logged and left on the SIM, the rest deleted" wait_for 20 only_bad_left
nbad=$(unreadable)
check "some were undecodable ($nbad)" test "$nbad" -ge 1
atsim_ctl m1 inject +6281234567891 "HARGA CABAI" >/dev/null
check "a later message is answered too" wait_for 30 sh -c "cut -f2 '$T/m1.rec' | grep -q '^+6281234567891$'"
m=$(unreadable)
check "each undecodable one is logged once, however many scans ($nbad, then $m)" test "$m" = "$nbad"
check "the modem stayed up" modem_up m1
check "one worker all along" test "$(grep -c 'modem m1: worker pid' "$T/daemon.log")" = 1
check "no number answered twice" test -z "$(cut -f2 "$T/m1.rec" | sort | uniq -d)"
check "daemon still up" kill -0 "$daemon_pid"
check "SIGTERM stops cleanly" stop_daemon
finish
