#!/bin/sh
# Two AT modems at once, each with its own worker, feeding one loop; the
# health of each (signal, battery, network, operator, SIM use, counters)
# is read on a timer, stored in SQLite and shown by `kentongan modems`.
. "$(dirname "$0")/lib.sh"

updated() { sql "SELECT updated_at FROM modems WHERE name = '$1'"; }

atsim_start m1
atsim_start m2 -m 10
write_conf "$(at_modem m1 'health_interval = 5;'), $(at_modem m2 'health_interval = 5;')"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "m1 comes up" wait_for 30 modem_up m1
check "m2 comes up" wait_for 30 modem_up m2
check "two worker processes" test "$(grep -c 'worker pid' "$T/daemon.log")" -eq 2

for i in 1 2 3; do
	atsim_ctl m1 inject "+628140000001$i" "HARGA CABAI" >/dev/null
	atsim_ctl m2 inject "+628140000002$i" "HARGA CABAI" >/dev/null
done
check "six replies sent" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state = 'sent'\")\" -eq 6 ]"
check "each message stored under its modem" test \
    "$(sql "SELECT modem, COUNT(*) FROM inbox GROUP BY modem ORDER BY modem" | tr '\n' ' ')" = "m1|3 m2|3 "
check "every reply recorded once" test \
    "$(cat "$T/m1.rec" "$T/m2.rec" | cut -f2 | sort -u | wc -l)" -eq 6 -a \
    "$(cat "$T/m1.rec" "$T/m2.rec" | wc -l)" -eq 6
check "both SIMs emptied" wait_for 10 sh -c \
    "'$ATSIM' ctl '$T/m1.ctl' stats | grep -q 'stored=0 ' && '$ATSIM' ctl '$T/m2.ctl' stats | grep -q 'stored=0 '"
check "counters: received per modem" test \
    "$(sql "SELECT received FROM modems ORDER BY name" | tr '\n' ' ')" = "3 3 "
check "counters: sent adds up" test \
    "$(sql "SELECT SUM(sent), SUM(errors) FROM modems")" = "6|0"

# Health as the simulator reports it: +CSQ 21 (~67%), +CBC 100%, the
# operator and the SIM size.
check "health stored: signal, battery, SIM size" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT signal > 0, battery, sim_total FROM modems WHERE name = 'm2'\")\" = '1|100|10' ]"
check "health stored: network and operator" test \
    "$(sql "SELECT network <> '' AND operator <> '' FROM modems WHERE name = 'm1'")" = 1
u=$(updated m1)
check "health refreshed on its timer" wait_for 15 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT updated_at FROM modems WHERE name = 'm1'\")\" -gt $u ]"
out=$("$KT" -c "$T/kt.conf" modems)
echo "$out" | sed 's/^/    /'
check "kentongan modems lists both, up" sh -c \
    "echo \"\$1\" | grep -q '^m1 *up' && echo \"\$1\" | grep -q '^m2 *up'" - "$out"
check "kentongan modems shows battery and network" sh -c \
    "echo \"\$1\" | grep -q '^m2 *up .* 100%' && echo \"\$1\" | grep -q 'network [0-9]'" - "$out"

# One modem failing leaves the other working.
atsim_ctl m1 drop >/dev/null
check "m1 noticed gone" wait_for 20 sh -c "! [ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'm1'\")\" = up ]"
atsim_ctl m2 inject +6281400000031 "HARGA CABAI" >/dev/null
check "m2 still answers" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state, modem FROM outbox WHERE recipient = '+6281400000031'\")\" = 'sent|m2' ]"
check "SIGTERM stops cleanly" stop_daemon
finish
