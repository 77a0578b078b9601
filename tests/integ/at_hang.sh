#!/bin/sh
# A hung AT modem: one that stops answering in the middle of a send, and
# a wedged worker (a libgammu call that never returns) killed by the
# watchdog.  The worker is replaced and the reply sent in the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/at_fault.inc"

# 1. The modem stops answering in the middle of a send.
atsim_ctl m1 send-delay 3000 >/dev/null
atsim_ctl m1 inject +6281200000003 "HARGA CABAI" >/dev/null
check "send in progress (hang)" wait_for 10 sending +6281200000003
atsim_ctl m1 hang >/dev/null
before=$(restarts)
check "hung modem: worker replaced" wait_for 40 sh -c \
    "[ \$(grep -c 'modem m1: worker pid' '$T/daemon.log') -gt $before ]"
check "hung modem is reported" grep -q "modem m1: .*\(stopped answering\|timed out\|Timeout\|No response\)" "$T/daemon.log"
atsim_ctl m1 send-delay 0 >/dev/null
atsim_ctl m1 unhang >/dev/null
check "modem answers again" wait_for 60 modem_up m1
check "reply resent after the hang" wait_for 40 sent +6281200000003
check "reply reached the modem" recorded +6281200000003

# 2. A wedged worker (a libgammu call that never returns): the watchdog
# kills it, a new one is forked, and the message is sent.
atsim_ctl m1 send-delay 3000 >/dev/null
atsim_ctl m1 inject +6281200000004 "HARGA CABAI" >/dev/null
check "send in progress (wedge)" wait_for 10 sending +6281200000004
pid=$(worker_pid)
kill -STOP "$pid"
atsim_ctl m1 send-delay 0 >/dev/null
check "watchdog kills the wedged worker" wait_for 30 \
    grep -q "modem m1: modem stopped answering; killing worker $pid" "$T/daemon.log"
check "new worker comes up" wait_for 40 sh -c \
    "[ \"\$(sed -n 's/.*modem m1: worker pid \([0-9]*\).*/\1/p' '$T/daemon.log' | tail -1)\" != $pid ]"
check "modem up again" wait_for 40 modem_up m1
check "reply resent after the watchdog" wait_for 40 sent +6281200000004
check "both answered, none lost" test \
    "$(sql "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")" -eq 2
check "daemon still running" kill -0 "$daemon_pid"
check "SIGTERM stops cleanly" stop_daemon
finish
