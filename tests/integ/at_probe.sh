#!/bin/sh
# `kentongan modem probe`: the native engine's start-up on a device, and
# what it found -- model, SIM state, signal, operator, SMSC, storage --
# as text and as JSON; a SIM asking for a PIN; a device that is not there;
# one the daemon is using.
. "$(dirname "$0")/lib.sh"

atsim_start m1 -m 20
atsim_start pin -P 4321
write_conf "$(at_modem m1), $(at_modem pin 'pin = "4321";')"
atsim_ctl m1 inject +6281234567890 "HARGA CABAI" >/dev/null

out=$("$KT" -c "$T/kt.conf" modem probe "$T/m1.tty")
rc=$?
echo "$out" | sed 's/^/    /'
has() { echo "$out" | grep -qx "$1"; }
check "probe succeeds" test $rc -eq 0
check "model" has "model  *Kentongan ATSIM-1"
check "IMEI" has "imei  *356938035643809"
check "SIM state" has "sim  *READY"
check "signal from +CSQ 21" has "signal  *67% (+CSQ 21, -71 dBm)"
check "registration" has "registration  *registered, home network"
check "operator by name and number" has "operator  *TELKOMSEL 510 10"
check "SMSC" has "smsc  *+6281100000"
check "storage, with the waiting message" has "storage  *SM 1/20 messages"
check "the probe deletes nothing" test "$(atsim_stat m1 stored)" = 1
check "and sends nothing" test "$(atsim_records m1)" = 0

json=$("$KT" -c "$T/kt.conf" --json modem probe m1)
check "a configured modem's name stands for its device (JSON)" sh -c \
    "echo \"\$1\" | jq -e '.ok == true and .model == \"Kentongan ATSIM-1\" and .smsc == \"+6281100000\"' >/dev/null" - "$json"

out=$("$KT" -c "$T/kt.conf" modem probe "$T/pin.tty")
check "a SIM asking for a PIN, none given: fails" test $? -eq 1
check "and says so" sh -c "echo \"\$1\" | grep -q 'SIM asks for a PIN and none is configured'" - "$out"
check "no PIN was tried" test "$(atsim_stat pin pin_attempts)" = 0
out=$("$KT" -c "$T/kt.conf" modem probe pin)
check "with the configured PIN: up" test $? -eq 0
check "PIN entered once" test "$(atsim_stat pin pin_attempts)" = 1

out=$("$KT" -c "$T/kt.conf" modem probe "$T/nothing.tty" 2>&1)
check "a missing device: fails" test $? -eq 1
check "and says why" sh -c "echo \"\$1\" | grep -q 'cannot open .*nothing.tty'" - "$out"
out=$("$KT" -c "$T/kt.conf" modem probe "$T/m1.tty" --speed 9 2>&1)
check "a bad option is a usage error" test $? -eq 2

check "daemon starts" start_daemon
check "m1 comes up" wait_for 30 modem_up m1
out=$("$KT" -c "$T/kt.conf" modem probe m1 2>&1)
check "a device the daemon uses: refused" test $? -eq 1
check "and says it is in use" sh -c "echo \"\$1\" | grep -q 'in use by another program'" - "$out"
check "the daemon's modem is undisturbed" modem_up m1
check "SIGTERM stops cleanly" stop_daemon
finish
