#!/bin/sh
# SIM trouble on AT modems: a SIM full of messages when the daemon starts,
# a PIN asked for and given, a wrong PIN (entered once, never again, the
# modem marked failed with a clear log line), a PIN asked and none set.
. "$(dirname "$0")/lib.sh"

state() { sql "SELECT state FROM modems WHERE name = '$1'"; }

# full: 3 slots, all used before the daemon starts.
atsim_start full -m 3
for i in 1 2 3; do atsim_ctl full inject "+628130000000$i" "HARGA CABAI" >/dev/null; done
check "the SIM is full: a 4th message is refused" sh -c \
    "! '$ATSIM' ctl '$T/full.ctl' inject +6281300000004 'HARGA CABAI' >/dev/null 2>&1"
atsim_start pinok -P 1234
atsim_start pinbad -P 1234
atsim_start nopin -P 1234
# A SIM PIN goes into AT+CPIN="..." as it is: digits only, or -n says so.
write_conf "$(at_modem pinok 'pin = "12\\"34";')"
check "-n refuses a PIN that is not 4-8 digits, with file:line" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'kt.conf:[0-9]*: modem pinok: pin must be 4 to 8 digits'"
write_conf "$(at_modem full), $(at_modem pinok 'pin = "1234";'),
    $(at_modem pinbad 'pin = "9999";'), $(at_modem nopin)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon

check "full SIM: modem comes up" wait_for 30 modem_up full
check "full SIM: all three answered" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state = 'sent'\")\" -eq 3 ]"
check "full SIM: emptied after the commits" wait_for 10 sh -c \
    "'$ATSIM' ctl '$T/full.ctl' stats | grep -q 'stored=0 '"
check "full SIM: takes new messages again" sh -c "'$ATSIM' ctl '$T/full.ctl' inject +6281300000004 'HARGA CABAI' >/dev/null"
check "full SIM: the new one is answered" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '+6281300000004'\")\" = sent ]"
check "full SIM: SIM use is recorded" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT sim_total FROM modems WHERE name = 'full'\")\" = 3 ]"

check "right PIN: modem comes up" wait_for 30 modem_up pinok
check "right PIN: entered once" test "$(atsim_stat pinok pin_attempts)" -eq 1

check "wrong PIN: modem marked failed" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'pinbad'\")\" = failed ]"
check "wrong PIN: a clear log line" grep -q \
    "modem pinbad: SIM refused the configured PIN .*(not retrying)" "$T/daemon.log"
check "wrong PIN: the reason is recorded" sh -c \
    "'$KT' -c '$T/kt.conf' modems | grep -q 'last error: SIM refused the configured PIN'"
check "no PIN configured: modem marked failed" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'nopin'\")\" = failed ]"
check "no PIN configured: says so" grep -q \
    "modem nopin: SIM asks for a PIN and none is configured" "$T/daemon.log"
check "no PIN configured: nothing entered" test "$(atsim_stat nopin pin_attempts)" -eq 0

# A reload with the same settings does not try the refused PIN again.
kill -HUP "$daemon_pid"
check "reload applied" wait_for 10 grep -q "configuration reloaded" "$T/daemon.log"
check "reload: failed modem left alone, and says why" grep -q \
    "modem pinbad: still failed" "$T/daemon.log"
check "wrong PIN: entered exactly once" test "$(atsim_stat pinbad pin_attempts)" -eq 1
check "wrong PIN: still failed" test "$(state pinbad)" = failed
# Fixing the PIN and reloading brings it up.
sed 's/pin = "9999";/pin = "1234";/' "$T/kt.conf" > "$T/kt.conf.new"
mv "$T/kt.conf.new" "$T/kt.conf"
kill -HUP "$daemon_pid"
check "fixed PIN: modem comes up" wait_for 30 modem_up pinbad
check "fixed PIN: two tries in all" test "$(atsim_stat pinbad pin_attempts)" -eq 2
check "daemon still running" kill -0 "$daemon_pid"
check "SIGTERM stops cleanly" stop_daemon
finish
