#!/bin/sh
# Modem families and their noise: atsim speaks as a Huawei E173 (^BOOT,
# ^RSSI, ^MODE, ^DSFLOWRPT until AT^CURC=0), a SIMCom SIM800 (RDY, Call
# Ready, SMS Ready), a Wavecom (+WIND until AT+WIND=0), a ZTE MF190
# (+ZDONR, +ZPASR, +ZUSIMR) and a Quectel EC25 (RDY, +QIND, +QUSIM),
# with the noise between the lines of replies and beside +CMTI.  Each
# modem comes up, reads, sends (a long reply too) and reports its health.
# The native engine's test: libgammu's engine times out when a URC falls
# between the lines of a reply (tests/run.sh does not run it with gammu).
. "$(dirname "$0")/lib.sh"

profiles="huawei simcom wavecom zte quectel"
conf=""
for p in $profiles; do
	check "atsim as $p starts" atsim_start "$p" -M "$p"
	conf="$conf${conf:+, }$(at_modem "$p" 'health_interval = 5;')"
done
write_conf "$conf"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
long=$(awk 'BEGIN { for (i = 0; i < 12; i++) printf "Pupuk urea %02d kg. ", i }')
"$KT" -c "$T/kt.conf" info set PUPUK "$long" >/dev/null
check "daemon starts" start_daemon
native=$([ "${KT_ENGINE:-native}" = native ] && echo 1)

k=0
for p in $profiles; do
	k=$((k + 1))
	check "$p: comes up" wait_for 30 modem_up "$p"
	if [ -n "$native" ]; then
		check "$p: the native engine knows its profile" grep -q \
		    "modem $p: ready: .*profile $p)" "$T/daemon.log"
	fi
	atsim_ctl "$p" inject "+62813000000$k" "HARGA CABAI" >/dev/null
	atsim_ctl "$p" inject "+62813000001$k" "INFO PUPUK" >/dev/null
done
# Replies go out through whichever modem is idle: count them all.
check "all ten answered" wait_for 30 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM outbox WHERE state = 'sent'\")\" -eq 10 ]"
check "the price replies" test \
    "$(cat "$T"/*.rec | awk -F'\t' '$2 ~ /^\+62813000000/ && $5 ~ /Rp45.000\/kg/' | wc -l)" -eq 5
check "the long replies, two parts each" test \
    "$(cat "$T"/*.rec | awk -F'\t' '$2 ~ /^\+62813000001/ { split($4, a, "/"); print $2, a[2] "/" a[3] }' | sort -u | wc -l)" -eq 10
for p in $profiles; do
	check "$p: read both" test "$(sql "SELECT received FROM modems WHERE name = '$p'")" = 2
	check "$p: SIM emptied" wait_for 10 sh -c \
	    "'$ATSIM' ctl '$T/$p.ctl' stats | grep -q 'stored=0 '"
	check "$p: health read through the noise" wait_for 15 sh -c \
	    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT signal > 0, operator <> '' FROM modems WHERE name = '$p'\")\" = '1|1' ]"
done
check "the modems made noise" test "$(atsim_stat huawei noise)" -gt 0 -a \
    "$(atsim_stat simcom noise)" -gt 0 -a "$(atsim_stat zte noise)" -gt 0
if [ -n "$native" ]; then
	check "native: Huawei quieted with AT^CURC=0" test "$(atsim_stat huawei quieted)" -ge 1
	check "native: Wavecom quieted with AT+WIND=0" test "$(atsim_stat wavecom quieted)" -ge 1
fi
check "every worker stayed up (one each)" test \
    "$(grep -c 'worker pid' "$T/daemon.log")" -eq 5
check "no part sent twice" test -z \
    "$(cat "$T"/*.rec | cut -f2,4 | sort | uniq -d)"
check "SIGTERM stops cleanly" stop_daemon
finish
