#!/bin/sh
# An AT modem vanishing (unplugged) in the middle of a send and coming
# back: the reply is queued again and sent, a message that arrived while
# it was away is read when it returns; nothing is lost or read twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/at_fault.inc"

# 1. The device vanishes while the modem holds a send, then returns.
atsim_ctl m1 send-delay 3000 >/dev/null
atsim_ctl m1 inject +6281200000001 "HARGA CABAI" >/dev/null
check "send in progress" wait_for 10 sending +6281200000001
check "modem got the PDU" wait_for 10 recorded +6281200000001
atsim_ctl m1 drop >/dev/null
atsim_ctl m1 send-delay 0 >/dev/null
check "vanished modem is noticed" wait_for 20 sh -c \
    "grep -q 'modem m1: .*\(went away\|cannot open\|stopped\)' '$T/daemon.log'"
check "the row is not lost: back in the queue" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '+6281200000001'\")\" = queued ]"
# A message that arrives while the modem is away waits on the SIM.
atsim_ctl m1 inject +6281200000002 "HARGA CABAI" >/dev/null
check "modem returns" sh -c "'$ATSIM' ctl '$T/m1.ctl' return >/dev/null"
check "worker re-opens the device" wait_for 40 modem_up m1
check "interrupted reply is sent" wait_for 40 sent +6281200000001
check "message that waited on the SIM is answered" wait_for 30 sent +6281200000002
check "nothing read twice" test "$(sql "SELECT COUNT(*) FROM inbox")" -eq 2
n=$(grep -c "+6281200000001" "$T/m1.rec")
echo "  note: interrupted reply recorded $n time(s) (the network had taken it before the drop)"
check "interrupted reply recorded at most twice" test "$n" -ge 1 -a "$n" -le 2

check "daemon still running" kill -0 "$daemon_pid"
check "SIGTERM stops cleanly" stop_daemon
finish
