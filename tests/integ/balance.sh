#!/bin/sh
# SIM balance checks against the AT simulator: the check the daemon
# schedules after the modem comes up, `kentongan ussd balance`, the amount
# in modems/status//metrics, the low-balance warning and the admins' SMS
# (once a day), an answer that does not match, a dial and a check side by
# side, no re-dial after a restart, and bad settings refused with file:line.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
port=$((20000 + $$ % 1000))
ADMIN=+6281100000001

# balance_conf PORT [PATTERN]: atsim modem "sim" with balance settings,
# one admin, and the http group for /metrics.
balance_conf() {
	write_conf "$(at_modem sim "balance_code = \"*888#\";
	    balance_pattern = \"${2:-Pulsa Rp ?([0-9.,]+)}\";
	    balance_interval = 3600; balance_low = 10000;
	    balance_alert_admins = true;")"
	cat >> "$T/kt.conf" <<CONF
admins = ( { phone = "$ADMIN"; pin = "1234"; } );
http = { listen = "127.0.0.1:$1"; token = "$TOKEN"; };
CONF
}
has() { printf '%s' "$1" | grep -q -- "$2"; }
metric() { curl -s "http://127.0.0.1:$port/metrics" | grep "^kentongan_modem_balance{modem=\"sim\"} $1\$" > /dev/null; }
admin_sms() { sql "SELECT count(*) FROM outbox WHERE recipient = '$ADMIN'"; }

# Bad settings: kentongand -n names the file and line.
printf 'database = "x.db";\nmodems = ( { name = "m1"; device = "/dev/null"; connection = "at";\n  balance_code = "*888#";\n  balance_pattern = "Pulsa Rp ?([0-9.,]+"; } );\n' > "$T/bad.conf"
out=$("$KTD" -c "$T/bad.conf" -n 2>&1)
check "-n rejects a regex that does not compile, with file:line" has "$out" "bad.conf:4: balance_pattern: "
printf 'database = "x.db";\nmodems = ( { name = "m1"; device = "/dev/null"; connection = "at";\n  balance_pattern = "Pulsa Rp [0-9]+"; } );\n' > "$T/bad.conf"
out=$("$KTD" -c "$T/bad.conf" -n 2>&1)
check "-n rejects a regex without a group for the amount" has "$out" "bad.conf:3: balance_pattern: no ( ) group"
printf 'database = "x.db";\nmodems = ( { name = "m1"; device = "/dev/null"; connection = "at";\n  balance_interval = 5; } );\n' > "$T/bad.conf"
out=$("$KTD" -c "$T/bad.conf" -n 2>&1)
check "-n rejects balance_interval under 60 s" has "$out" "bad.conf:3: balance_interval: 5 is out of range (60..604800)"
printf 'database = "x.db";\nmodems = ( { name = "m1"; device = "/dev/null"; connection = "at";\n  balance_code = "*888#"; balance_alert_admins = true; } );\n' > "$T/bad.conf"
out=$("$KTD" -c "$T/bad.conf" -n 2>&1)
check "-n rejects balance_alert_admins without admins" has "$out" "bad.conf:2: modem m1: balance_alert_admins needs admins"

check "atsim starts" atsim_start sim
atsim_ctl sim ussd-reply "Sisa Pulsa Rp25.000. Berlaku s/d 31-12-2026" > /dev/null
balance_conf "$port"
check "-n accepts the balance settings" sh -c "'$KTD' -c '$T/kt.conf' -n > /dev/null"

started=1
for try in 1 2 3 4 5; do
	balance_conf "$port"
	: > "$T/daemon.log"
	if start_daemon && wait_for 5 grep -q "http: listening" "$T/daemon.log"; then
		started=0; break
	fi
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null; daemon_pid=""
	port=$((port + 1))
done
check "daemon serves http on 127.0.0.1:$port" test $started -eq 0
check "AT modem comes up" wait_for 30 modem_up sim

# The first check, scheduled shortly after the modem came up.
check "the daemon checks the balance by itself" wait_for 40 sh -c "[ \"\$(sqlite3 '$T/kt.db' 'SELECT balance_amount FROM modems WHERE name = \"sim\"')\" = 25000 ]"
check "through the USSD request path" test "$(sql "SELECT source, code, state, amount FROM ussd_requests")" = "balance|*888#|done|25000"
check "the modem was asked with AT+CUSD once" test "$(atsim_stat sim ussd)" -eq 1
check "the amount is logged" grep -q "modem sim: balance Rp25.000$" "$T/daemon.log"
check "the time is stored" test "$(sql "SELECT balance_at > 0 AND balance_at = balance_checked_at FROM modems")" = 1
out=$("$KT" -c "$T/kt.conf" modems)
check "modems shows the balance" has "$out" "balance Rp25.000, read"
check "modems --json has balance_amount" sh -c "'$KT' -c '$T/kt.conf' --json modems | grep -q '\"balance_amount\": *25000'"
out=$("$KT" -c "$T/kt.conf" status)
check "status shows the balance" has "$out" "balance Rp25.000"
check "status --json has it" sh -c "'$KT' -c '$T/kt.conf' --json status | grep -q '\"balance\": *25000'"
check "/metrics has kentongan_modem_balance" metric 25000
check "/metrics says it is a gauge" sh -c "curl -s http://127.0.0.1:$port/metrics | grep -q '^# TYPE kentongan_modem_balance gauge'"

# Under balance_low: a warning, one SMS to the admin a day.
atsim_ctl sim ussd-reply "Sisa Pulsa Rp4.500,00 s/d 31-12-2026" > /dev/null
out=$("$KT" -c "$T/kt.conf" ussd balance sim)
check "ussd balance prints the parsed amount" test "$out" = 4500
check "the low balance is a warning in the log" grep -q "modem sim: balance Rp4.500 is under balance_low Rp10.000" "$T/daemon.log"
check "one SMS to the admin is queued" test "$(admin_sms)" -eq 1
check "it names the modem and the amount" test "$(sql "SELECT text FROM outbox WHERE recipient = '$ADMIN'")" = "Pulsa modem sim tinggal Rp4.500 (batas Rp10.000). Mohon isi ulang."
out=$("$KT" -c "$T/kt.conf" ussd balance sim)
check "a second low reading the same day" test "$out" = 4500
check "queues no second SMS" test "$(admin_sms)" -eq 1
check "status marks it LOW" sh -c "'$KT' -c '$T/kt.conf' status | grep -q 'balance Rp4.500 (LOW)'"
check "modems marks it LOW" sh -c "'$KT' -c '$T/kt.conf' modems | grep -q 'balance Rp4.500, read .* (LOW: under Rp10.000)'"
check "/metrics follows" metric 4500
out=$("$KT" -c "$T/kt.conf" --json ussd balance sim)
check "ussd balance --json" has "$out" '"amount": *4500'

# An answer without an amount: stored and logged, the daemon carries on.
atsim_ctl sim ussd-reply "Maaf, layanan sedang sibuk" > /dev/null
"$KT" -c "$T/kt.conf" ussd balance sim > "$T/out" 2> "$T/err"
check "a non-matching answer: exit 1" test $? -eq 1
check "saying it does not match" grep -q "does not match balance_pattern: Maaf, layanan sedang sibuk" "$T/err"
check "it is logged" grep -q "modem sim: balance unknown, the answer does not match balance_pattern: Maaf" "$T/daemon.log"
check "the answer is stored" test "$(sql "SELECT balance FROM modems")" = "Maaf, layanan sedang sibuk"
check "the last amount is kept" test "$(sql "SELECT balance_amount FROM modems")" = 4500
check "modems shows the answer" sh -c "'$KT' -c '$T/kt.conf' modems | grep -q 'balance answer not understood: Maaf'"
check "the daemon is still running" kill -0 "$daemon_pid"

# A dial and a check at the same time take turns on the modem: with the
# simulator slow to answer, the second is dialled only after the first
# answer.
atsim_ctl sim ussd-reply "Pulsa Rp30.000" > /dev/null
atsim_ctl sim delay 500 > /dev/null
mark=$(wc -l < "$T/daemon.log")
"$KT" -c "$T/kt.conf" ussd dial sim '*123#' > "$T/dial.out" 2>&1 &
dial=$!
out=$("$KT" -c "$T/kt.conf" ussd balance sim)
wait $dial
atsim_ctl sim delay 0 > /dev/null
check "dial and balance side by side: both answered" sh -c "[ '$out' = 30000 ] && [ \"\$(cat '$T/dial.out')\" = 'Pulsa Rp30.000' ]"
turns=$(tail -n +"$((mark + 1))" "$T/daemon.log" | sed -n 's/.*modem sim: \(dialling\) USSD.*/\1/p; s/.*modem sim: USSD \(answer\):.*/\1/p' | tr '\n' ' ')
check "one at a time on the modem (saw: $turns)" test "$turns" = "dialling answer dialling answer "
check "and both are done" test "$(sql "SELECT count(*) FROM ussd_requests WHERE state <> 'done'")" -eq 0
check "a dial is not taken for a balance" test "$(sql "SELECT amount IS NULL FROM ussd_requests WHERE code = '*123#'")" = 1

# A bad pattern on SIGHUP keeps the running configuration.
balance_conf "$port" 'Pulsa Rp ([0-9'
kill -HUP "$daemon_pid"
check "reload with a bad regex is refused with file:line" wait_for 10 grep -q "reload: $T/kt.conf:[0-9]*: balance_pattern" "$T/daemon.log"
out=$("$KT" -c "$T/kt.conf" ussd balance sim 2>&1)
check "the CLI refuses the bad file too" has "$out" "balance_pattern"
balance_conf "$port"

# After a restart the check waits for the interval, not for the modem.
n=$(atsim_stat sim ussd)
check "SIGTERM stops cleanly" stop_daemon
: > "$T/daemon.log"
check "restarts" start_daemon
check "the modem comes up again" wait_for 30 grep -q "balance check in" "$T/daemon.log"
check "the next check is an interval after the last, not now" grep -Eq "modem sim: balance check in 3[0-9]{3} s" "$T/daemon.log"
check "no dial on restart" test "$(atsim_stat sim ussd)" -eq "$n"
check "ussd balance on an unknown modem: exit 3" sh -c "'$KT' -c '$T/kt.conf' ussd balance nosuch 2> /dev/null; [ \$? -eq 3 ]"
check "SIGTERM stops cleanly again" stop_daemon
finish
