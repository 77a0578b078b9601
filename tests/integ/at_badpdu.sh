#!/bin/sh
# Malformed and hostile PDUs on the SIM (the shapes the PDU fuzzer found
# crashing libgammu's GSM_DecodePDUFrame: a 30-digit sender, a 14-octet
# SMSC address; and garbage): the modem keeps working, a good message
# beside them is answered, nothing is answered twice, and what cannot be
# decoded is kept in the inbox marked undecodable (with the native engine,
# its raw PDU in hex) and deleted from the SIM like any committed message,
# so that a SIM filled with them cannot stop reception.
. "$(dirname "$0")/lib.sh"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

# SMS-DELIVER, 30-digit international sender, GSM-7 "hello".
bad1=00041E91214365870921436587092143658709000062112291000000
# A 14-octet SMSC address before an otherwise good SMS-DELIVER.
bad2=0E9121436587092143658709214365040B912143658709F100006211229100000005E8329BFD06
# Truncated and nonsense PDUs.
bad3=0004
bad4=00DEADBEEF
for p in $bad1 $bad2 $bad3 $bad4; do atsim_ctl m1 inject-pdu $p >/dev/null; done
atsim_ctl m1 inject +6281234567890 "HARGA CABAI" >/dev/null

answered() { cut -f2,5 "$T/m1.rec" | grep -q '^+6281234567890	CABAI, Pasar Kediri'; }
check "the good message is answered" wait_for 30 answered
emptied() { [ "$(atsim_stat m1 stored)" = 0 ]; }
check "the SIM is emptied, undecodable ones too" wait_for 20 emptied
kept() { sql "SELECT COUNT(*) FROM inbox WHERE coding = 'pdu' AND state = 'ignored' AND note = 'undecodable'"; }
nbad=$(kept)
check "undecodable ones are kept in the inbox, marked so ($nbad)" test "$nbad" -ge 1
unreadable() { grep -c 'cannot be .*undecodable' "$T/daemon.log"; }
check "each is logged ($nbad rows, $(unreadable) lines)" test "$(unreadable)" = "$nbad"
if [ "${KT_ENGINE:-native}" = native ]; then
	check "native engine: all four, none decoded by force" test "$nbad" = 4
	for p in $bad1 $bad2 $bad3 $bad4; do
		check "native engine: raw PDU $p kept" test \
		    "$(sql "SELECT COUNT(*) FROM inbox WHERE coding = 'pdu' AND text = '$p'")" = 1
	done
fi
atsim_ctl m1 inject +6281234567891 "HARGA CABAI" >/dev/null
check "a later message is answered too" wait_for 30 sh -c "cut -f2 '$T/m1.rec' | grep -q '^+6281234567891$'"
check "nothing logged or kept twice ($nbad)" test "$(unreadable)" = "$nbad" -a "$(kept)" = "$nbad"
# A SIM full of undecodable messages still takes new ones once read.
atsim_ctl m1 inject-pdu 00BADBAD00 >/dev/null
more_kept() { [ "$(sql "SELECT COUNT(*) FROM inbox WHERE coding = 'pdu'")" -gt "$nbad" ] && emptied; }
check "another undecodable one is kept and deleted" wait_for 20 more_kept
check "the modem stayed up" modem_up m1
check "one worker all along" test "$(grep -c 'modem m1: worker pid' "$T/daemon.log")" = 1
check "no number answered twice" test -z "$(cut -f2 "$T/m1.rec" | sort | uniq -d)"
check "daemon still up" kill -0 "$daemon_pid"
check "SIGTERM stops cleanly" stop_daemon
finish
