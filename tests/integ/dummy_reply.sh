#!/bin/sh
# One SMS in, one reply out, through the daemon and gammu's dummy phone;
# start-up errors; reload; clean stop.
. "$(dirname "$0")/lib.sh"

write_conf "$(dummy_modem demo)"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 43000 kg --date 2026-11-20 >/dev/null
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45.000 >/dev/null
check "price list shows the price" sh -c "'$KT' -c '$T/kt.conf' price list | grep -q 'CABAI .*KEDIRI .*45.000/kg'"

check "-n accepts the configuration" "$KTD" -c "$T/kt.conf" -n
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo

reply=$("$KT" -c "$T/kt.conf" phone 081234567890 "HARGA CABAI KEDIRI")
check "reply has the price and change" sh -c "echo '$reply' | grep -q 'Rp45.000/kg (+5%)'"
check "inbox row is done" test "$(sql "SELECT state FROM inbox WHERE sender = '+6281234567890'")" = done
check "reply row is sent by the modem" test "$(sql "SELECT state || ' ' || modem FROM outbox")" = "sent demo"
check "message deleted from the dummy phone" test -z "$(ls "$T/demo/sms/1")"

reply=$("$KT" -c "$T/kt.conf" phone 081234567890 "apa ini")
check "unknown text gets the short help" sh -c "echo '$reply' | grep -q 'tidak dikenal'"

# SIGHUP with a broken file keeps the running configuration.
cp "$T/kt.conf" "$T/kt.conf.good"
echo "bogus_setting = 1;" >> "$T/kt.conf"
kill -HUP "$daemon_pid"
check "bad reload is refused with file:line" wait_for 10 grep -q "kt.conf:6: unknown setting \"bogus_setting\"; keeping" "$T/daemon.log"
cp "$T/kt.conf.good" "$T/kt.conf"
kill -HUP "$daemon_pid"
check "good reload is applied" wait_for 10 grep -q "configuration reloaded" "$T/daemon.log"
reply=$("$KT" -c "$T/kt.conf" phone 081234567890 "price cabai")
check "still answers after reload" sh -c "echo '$reply' | grep -q '45.000'"

check "SIGTERM stops cleanly" stop_daemon
check "log says stopped" grep -q "stopped$" "$T/daemon.log"

# Daemonized: returns at once, writes the pid file, removes it on SIGTERM.
"$KTD" -c "$T/kt.conf"; rc=$?
check "daemonizes with exit 0" test $rc -eq 0
check "pid file written" wait_for 10 test -s "$T/kentongand.pid"
bgpid=$(cat "$T/kentongand.pid" 2>/dev/null)
check "pid file names a live daemon" kill -0 "${bgpid:-0}"
out=$("$KTD" -c "$T/kt.conf" -f 2>&1); rc=$?
check "a second daemon on the same database is refused" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'another kentongand is running'"
check "daemonized one answers too" sh -c "'$KT' -c '$T/kt.conf' phone 081234567891 'HARGA CABAI KEDIRI' | grep -q '45.000'"
kill -TERM "${bgpid:-0}" 2>/dev/null
check "SIGTERM removes the pid file" wait_for 30 sh -c "! test -e '$T/kentongand.pid'"
check "and the daemon is gone" wait_for 10 sh -c "! kill -0 ${bgpid:-0} 2>/dev/null"

# Started as root with user = "nobody": the daemon and its workers run as
# nobody, the database is handed over, and it still answers.
if [ "$(id -u)" -eq 0 ] && getent passwd nobody >/dev/null; then
	nobody_uid=$(id -u nobody)
	mkdir "$T/drop" && chown nobody "$T/drop" && chmod 711 "$T"
	sed -e "s|$T/kt.db|$T/drop/kt.db|" -e "s|$T/demo|$T/drop/demo|" \
	    -e "s|$T/kentongand.pid|$T/drop/kentongand.pid|" "$T/kt.conf" \
	    > "$T/drop.conf"
	echo 'user = "nobody";' >> "$T/drop.conf"
	"$KT" -c "$T/drop.conf" price set CABAI KEDIRI 45000 >/dev/null
	"$KTD" -c "$T/drop.conf" -f -v > "$T/drop.log" 2>&1 &
	droppid=$!
	check "root: becomes the configured user" wait_for 20 grep -q "running as nobody" "$T/drop.log"
	check "root: the daemon runs as nobody" test "$(awk '/^Uid:/ {print $2 $3 $4 $5}' /proc/$droppid/status)" = "$nobody_uid$nobody_uid$nobody_uid$nobody_uid"
	check "root: the database is handed over" test "$(stat -c %u "$T/drop/kt.db")" = "$nobody_uid"
	check "root: it still answers" sh -c "'$KT' -c '$T/drop.conf' phone 081234567892 'HARGA CABAI KEDIRI' | grep -q '45.000'"
	wpid=$(grep "modem demo: worker pid" "$T/drop.log" | tail -1 | awk '{print $NF}')
	check "root: its modem worker runs as nobody too" test "$(awk '/^Uid:/ {print $2}' /proc/${wpid:-0}/status 2>/dev/null)" = "$nobody_uid"
	kill -TERM "$droppid"; wait "$droppid"
	check "root: stops cleanly" test $? -eq 0
	chmod 700 "$T"
	printf 'database = "%s/drop/kt.db";\nuser = "no-such-user-kt";\n' "$T" > "$T/bad3.conf"
	out=$("$KTD" -c "$T/bad3.conf" -f 2>&1); rc=$?
	check "root: an unknown user is a clear error" sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'no-such-user-kt: no such user'"
else
	echo "  SKIP: privilege drop (needs root and the user nobody)"
fi

# Start-up errors: one clear line, exit 1, no crash.
echo 'database = "/nonexistent/dir/kt.db";' > "$T/bad1.conf"
out=$("$KTD" -c "$T/bad1.conf" -f 2>&1); rc=$?
check "unreachable database: exit 1 naming it" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q '/nonexistent/dir/kt.db'"
printf 'database = "%s/x.db";\nmodems = ( { name = "m1"; device = "/dev/ttyNOPE7"; connection = "at"; } );\n' "$T" > "$T/bad2.conf"
out=$("$KTD" -c "$T/bad2.conf" -n 2>&1); rc=$?
check "missing modem device: exit 1 naming it and the line" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'bad2.conf:2: modem m1: device /dev/ttyNOPE7'"
out=$("$KTD" -c "$T/none.conf" -n 2>&1); rc=$?
check "missing config file: exit 1" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'none.conf: cannot read'"
"$KTD" -c "$T/kt.conf" -x >/dev/null 2>&1; rc=$?
check "bad option: usage, exit 2" test $rc -eq 2

finish
