#!/bin/sh
# The Kannel link when things go wrong, against Debian's real bearerbox and
# smsbox (and tests/kannel/fakesmsc as the SMSC):
# - the SMSC is down and bearerbox's queue is full, so smsbox answers
#   sendsms 503: rows stay queued however often that happens, the worker
#   reports the link down and comes back with its backoff, and each message
#   goes once when Kannel takes messages again;
# - a number bearerbox cannot route: 403 "Not routable", that row alone
#   fails, and Kannel's DLR 16 for it is answered 200 and changes nothing;
# - refused credentials, at start and while running: the modem is
#   `failed` saying so, nothing is attempted or failed, and the queue
#   goes once the credentials are fixed and the daemon reloaded;
# - failed delivery reports (2, 16), 8 and 1, a report for an unknown
#   message, and /mo and /dlr calls missing parameters.  Kannel's fake SMSC
#   reports every message delivered at once, so for those a stand-in
#   smsbox (perl, on 127.0.0.1) takes sendsms and the test calls the
#   dlr-url it was given exactly as smsbox would, with %d filled in.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/kannel.inc"

# Private ports, spread by pid, apart from kannel.sh's 20000..29999.
base=$((30000 + ($$ % 340) * 8))
P_ADMIN=$base P_BOX=$((base + 1)) P_SMSC=$((base + 2))
P_SEND=$((base + 3)) P_KT=$((base + 4)) P_STANDIN=$((base + 5))
P_HTTP=$((base + 6))
TOKEN=test-token-0123456789abcdef
SENDSMS="http://127.0.0.1:$P_SEND/cgi-bin/sendsms"

# fail_conf PASSWORD: bearerbox's queue holds one message while the SMSC
# is away (sms-outgoing-queue-limit), so the next gets smsbox's 503; it
# will not route +62999.  smsbox retries /mo and /dlr calls for longer
# than the worker's restart backoff reaches here (the README asks the
# same of a real setup), so a report that comes while the worker
# restarts is not lost.
fail_conf() {
	kannel_conf "$1" 30 "sms-outgoing-queue-limit = 1" \
	    'denied-prefix = "+62999"'
}

# kt_conf URL PASSWORD: one Kannel modem, two tries per message (so a 503
# that counted as a try would fail a row at once), and the HTTP API.
# One send at a time (window = 1), so each failure below is counted per
# send; kannel_window.sh and crash_kannel.sh run the window of 16.
kt_conf() {
	write_conf "{ name = \"k1\"; connection = \"kannel\"; url = \"$1\";
	    username = \"kt\"; password = \"$2\"; listen = \"127.0.0.1:$P_KT\";
	    delivery_reports = true; window = 1; }"
	cat >> "$T/kt.conf" <<CONF
send_attempts = 2;
http = { listen = "127.0.0.1:$P_HTTP"; token = "$TOKEN"; };
CONF
}

start_bg() { # start_bg NAME COMMAND...: run in the background, pid in $T
	n=$1; shift
	"$@" > "$T/$n.out" 2>&1 &
	echo $! > "$T/$n.pid"
}
stop_bg() { # stop_bg NAME: SIGTERM, bounded wait, then SIGKILL
	[ -f "$T/$1.pid" ] || return 0
	p=$(cat "$T/$1.pid")
	kill -TERM "$p" 2>/dev/null
	wait_for 20 sh -c "! kill -0 $p 2>/dev/null" || kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$T/$1.pid"
}
start_fakesmsc() {
	"$FAKESMSC" "$P_SMSC" "$T/mt.rec" "$T/mo.fifo" 2>> "$T/fakesmsc.log" &
	echo $! > "$T/fakesmsc.pid"
}
sendsms_up() { curl -s -o /dev/null "$SENDSMS"; }
mt_to() { grep -c "^1234 $1 " "$T/mt.rec"; }
state_of() { sql "SELECT state FROM outbox WHERE recipient = '$1'"; }
states() { sql "SELECT group_concat(state, ',') FROM (SELECT state FROM outbox WHERE recipient LIKE '$1' ORDER BY recipient)"; }
count() { sql "SELECT count(*) FROM outbox WHERE $1"; }
count_is() { [ "$(count "$1")" -eq "$2" ]; }	# for wait_for
state_is() { [ "$(state_of "$1")" = "$2" ]; }	# for wait_for
has() { printf '%s' "$1" | grep -q -- "$2"; }
logged() { grep -c -- "$1" "$T/daemon.log"; }
http_code() { curl -s -o /dev/null -w '%{http_code}' "$1"; }
broadcast() { # broadcast GROUP TEXT NUMBER...
	g=$1 text=$2; shift 2
	"$KT" -c "$T/kt.conf" group create "$g" >/dev/null
	for n in "$@"; do "$KT" -c "$T/kt.conf" group add "$g" "$n" >/dev/null; done
	"$KT" -c "$T/kt.conf" broadcast send --to "$g" "$text" >/dev/null
}

: > "$T/mt.rec"
fail_conf ktpass
start_fakesmsc
start_bg bearerbox /usr/sbin/bearerbox "$T/kannel.conf"
check "fake SMSC connected to bearerbox" wait_for 20 \
    grep -q connected "$T/fakesmsc.log"
start_bg smsbox /usr/sbin/smsbox "$T/kannel.conf"
check "smsbox takes sendsms" wait_for 20 sendsms_up

kt_conf "$SENDSMS" ktpass
check "daemon starts" start_daemon
check "Kannel modem comes up" wait_for 20 modem_up k1

# --- 1. smsbox answers 503 -------------------------------------------------
# The SMSC goes away: bearerbox queues one message, then refuses with
# "Temporal failure, try again later." (HTTP 503).
stop_bg fakesmsc
check "bearerbox sees the SMSC gone" wait_for 20 \
    grep -q "EOF from fakesmsc client\|IO error to fakesmsc" "$T/bearerbox.log"
broadcast PETANI "Pupuk datang Senin" +6281200000001 +6281200000002 +6281200000003
# Four 503s for two rows: one of them at least was refused twice, which
# send_attempts = 2 would turn into a failure if a 503 counted as a try.
check "smsbox answers 503 twice per queued row" wait_for 50 sh -c \
    "[ \$(grep -c 'outbox [0-9]* via k1: .*Temporal failure' '$T/daemon.log') -ge 4 ]"
check "the worker reports the link down and asks again with backoff" \
    test "$(logged 'modem k1: sending waits; asking Kannel again in')" -ge 2
check "... without exiting" test "$(logged 'modem k1: worker pid')" -eq 1
check "the modem is down meanwhile" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'k1'\")\" = down ]"
# smsbox still calls /mo and /dlr while its sendsms refuses: they are
# taken (an operator's alphanumeric sender: stored, not answered, so the
# outbox counts below stay the broadcast's).
check "an MO while sending is down is answered 200" test "$(http_code \
    "http://127.0.0.1:$P_KT/mo?from=TSEL&to=1234&text=Promo&coding=0&ts=2026-11-22+10:00:00&id=9")" = 200
check "... and stored once" test "$(sql "SELECT count(*) FROM inbox WHERE sender = 'TSEL'")" -eq 1
check "modems shows why" has "$(sql "SELECT last_error FROM modems WHERE name = 'k1'")" \
    "Temporal failure"
check "no row failed, none lost" test "$(count "state = 'failed'")" -eq 0
check "one went into bearerbox's queue, two stay queued" test \
    "$(count "state = 'queued'")" -eq 2 -a "$(count "state = 'sent' OR state = 'delivered'")" -eq 1
check "nothing reached the SMSC yet" test "$(wc -l < "$T/mt.rec")" -eq 0
start_fakesmsc
check "SMSC back" wait_for 20 sh -c "[ \$(grep -c '^fakesmsc: connected' '$T/fakesmsc.log') -ge 2 ]"
check "all three go out once Kannel takes them" wait_for 40 sh -c \
    "[ \$(wc -l < '$T/mt.rec') -ge 3 ]"
check "each member got it exactly once" test "$(mt_to +6281200000001)" -eq 1 -a \
    "$(mt_to +6281200000002)" -eq 1 -a "$(mt_to +6281200000003)" -eq 1
check "every row sent and then delivered, once" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT count(*) FROM outbox WHERE state = 'delivered'\")\" = 3 ]"
check "Kannel modem up again" wait_for 30 modem_up k1


# A number bearerbox will not route: smsbox answers 403 "Not routable. Do
# not try again." and then calls the dlr-url with 16 (rejected by SMSC).
broadcast TOLAK "Rapat Kamis" +62999000001 +6281200000004
check "a number Kannel cannot route fails, saying why" wait_for 20 sh -c \
    "sqlite3 '$T/kt.db' \"SELECT state, last_error FROM outbox WHERE recipient = '+62999000001'\" |
    grep -q '^failed|Kannel refused it (HTTP 403): Not routable'"
check "the other member of that broadcast still gets it" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '+6281200000004'\")\" = delivered ]"
check "Kannel's DLR 16 for it is answered and logged" wait_for 20 \
    grep -q "report for reference [0-9]* to +62999000001 matches no sent message" "$T/daemon.log"
check "smsbox did not have to retry that DLR" sh -c \
    "! grep -q 'Retrying request <http://127.0.0.1:$P_KT/dlr?.*62999000001' '$T/smsbox.log'"
check "Kannel modem still up" modem_up k1
check "SIGTERM stops cleanly" stop_daemon

# --- 2. refused credentials -------------------------------------------------
# Wrong password in kentongan's config: the modem is failed at once, saying
# so; a broadcast waits in the queue untouched.
kt_conf "$SENDSMS" wrongpass
check "daemon starts with a wrong password" start_daemon
check "the modem is failed, not retried" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'k1'\")\" = failed ]"
out=$("$KT" -c "$T/kt.conf" modems)
check "kentongan modems says the credentials are refused" sh -c \
    "echo '$out' | grep -q '^k1 *failed' && echo '$out' | grep -q 'last error: Kannel refused username/password (HTTP 403: Authorization failed for sendsms)'"
check "so does /api/v1/modems" sh -c \
    "curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$P_HTTP/api/v1/modems |
    jq -e '.modems[0].state == \"failed\" and (.modems[0].last_error | test(\"refused username/password\"))' >/dev/null"
check "the log says it once" test "$(logged 'modem k1: Kannel refused username/password.*(not retrying)')" -eq 1
check "/healthz is 503" test "$(http_code "http://127.0.0.1:$P_HTTP/healthz")" = 503
check "... saying no modem is up" sh -c \
    "curl -s http://127.0.0.1:$P_HTTP/healthz | grep -q 'no modem is up'"
mt0=$(wc -l < "$T/mt.rec")
broadcast KREDA "Panen raya" +6281200000005 +6281200000006
check "the broadcast is queued, untried" wait_for 10 count_is \
    "recipient IN ('+6281200000005', '+6281200000006') AND state = 'queued' AND attempts = 0" 2
kt_conf "$SENDSMS" ktpass
kill -HUP "$daemon_pid"
check "fixed and reloaded: the modem comes up" wait_for 20 modem_up k1
check "the broadcast goes, once each" wait_for 20 sh -c \
    "[ \$(wc -l < '$T/mt.rec') -ge $((mt0 + 2)) ]"
check "each of them once" test "$(mt_to +6281200000005)" -eq 1 -a "$(mt_to +6281200000006)" -eq 1

# Kannel's password changes while the daemon runs: the first send is
# refused, the modem fails, and that message and the rest stay queued.
fail_conf newpass
stop_bg smsbox
start_bg smsbox /usr/sbin/smsbox "$T/kannel.conf"
check "smsbox back with another password" wait_for 20 sendsms_up
mt0=$(wc -l < "$T/mt.rec")
broadcast KREDB "Pasar murah" +6281200000007 +6281200000008 +6281200000009
check "the modem is failed after one refused send" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM modems WHERE name = 'k1'\")\" = failed ]"
check "one message was tried, none failed: all three queued" test \
    "$(count "recipient LIKE '+628120000000_' AND recipient >= '+6281200000007' AND state = 'queued'")" -eq 3 -a \
    "$(count "state = 'failed' AND recipient <> '+62999000001'")" -eq 0
check "only one send reached Kannel's refusal" test \
    "$(logged 'outbox [0-9]* via k1: Kannel refused username/password')" -eq 1
# The fix is on Kannel's side this time (its old password back): a reload
# with kentongan's settings unchanged asks it again.
fail_conf ktpass
stop_bg smsbox
start_bg smsbox /usr/sbin/smsbox "$T/kannel.conf"
check "smsbox back with the old password" wait_for 20 sendsms_up
kill -HUP "$daemon_pid"
check "reloaded unchanged: the failed Kannel modem is asked again, comes up" \
    wait_for 20 modem_up k1
check "the three go, once each" wait_for 30 sh -c \
    "[ \$(wc -l < '$T/mt.rec') -ge $((mt0 + 3)) ]"
check "each of them once" test "$(mt_to +6281200000007)" -eq 1 -a \
    "$(mt_to +6281200000008)" -eq 1 -a "$(mt_to +6281200000009)" -eq 1
check "SIGTERM stops cleanly" stop_daemon
check "no sanitizer report so far" sh -c \
    "! grep -q 'runtime error\|AddressSanitizer' '$T/daemon.log'"

# --- 3. delivery reports, and callbacks missing parameters ------------------
# The stand-in smsbox: records each request line, answers 202.
perl -MIO::Socket::INET -e '
	my ($port, $log) = @ARGV;
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => $port, Listen => 16, ReuseAddr => 1) or die "$!\n";
	$SIG{TERM} = sub { exit 0 };
	while (my $c = $s->accept) {
		my $line = <$c>;
		while (my $h = <$c>) { last if $h =~ /^\r?$/; }
		next unless defined $line;
		open(my $f, ">>", $log) or die; print $f $line; close $f;
		my $body = "0: Accepted for delivery";
		print $c "HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n" .
		    "Content-Length: " . length($body) . "\r\n" .
		    "Connection: close\r\n\r\n$body";
		close $c;
	}' "$P_STANDIN" "$T/standin.req" 2> "$T/standin.log" &
echo $! > "$T/standin.pid"
# dlr NUMBER STATUS: call the dlr-url sent for NUMBER, %d filled in.
dlr() {
	u=$(grep "&to=%2B${1#+}&" "$T/standin.req" | tail -1 | perl -ne \
	    'if (/[?&]dlr-url=([^& ]*)/) { $u = $1; $u =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge; $u =~ s/%d/'"$2"'/; print $u }')
	[ -n "$u" ] && http_code "$u"
}
KTURL="http://127.0.0.1:$P_KT"
kt_conf "http://127.0.0.1:$P_STANDIN/cgi-bin/sendsms" ktpass
check "daemon starts against the stand-in" start_daemon
check "Kannel modem (stand-in) comes up" wait_for 20 modem_up k1
broadcast DLR "Cek laporan" +6281300000001 +6281300000002 +6281300000003 \
    +6281300000004 +6281300000005
check "the five are sent, asking for reports" wait_for 20 count_is \
    "recipient LIKE '+62813000000__' AND state = 'sent'" 5
check "each asked with dlr-mask 19 and a dlr-url" test \
    "$(grep -c 'dlr-mask=19&dlr-url=' "$T/standin.req")" -ge 5
check "DLR 2 (failed) is answered 200" test "$(dlr +6281300000001 2)" = 200
check "DLR 16 (rejected by SMSC) is answered 200" test "$(dlr +6281300000002 16)" = 200
check "DLR 8 (sent to SMSC) is answered 200" test "$(dlr +6281300000003 8)" = 200
check "DLR 2 marks the row failed" wait_for 10 state_is +6281300000001 failed
check "DLR 16 marks the row failed" wait_for 10 state_is +6281300000002 failed
check "DLR 8 changes nothing" test "$(state_of +6281300000003)" = sent
check "DLR 1 is answered 200" test "$(dlr +6281300000003 1)" = 200
check "DLR 1 marks the row delivered" wait_for 10 state_is +6281300000003 delivered
check "DLR 1 then a late 2" test "$(dlr +6281300000004 1)" = 200 -a "$(dlr +6281300000004 2)" = 200
check "a delivered row stays delivered" test "$(state_of +6281300000004)" = delivered
check "no report: still sent" test "$(state_of +6281300000005)" = sent
check "a DLR for an unknown message: 200" test \
    "$(http_code "$KTURL/dlr?ref=12345&to=%2B6281399999999&status=2")" = 200
check "... and logged" wait_for 10 \
    grep -q "report for reference 12345 to +6281399999999 matches no sent message" "$T/daemon.log"
check "a DLR without status: 400" test \
    "$(http_code "$KTURL/dlr?ref=12345&to=%2B6281399999999")" = 400
check "a DLR with a bad ref: 400" test \
    "$(http_code "$KTURL/dlr?ref=x1&to=%2B6281399999999&status=1")" = 400
out=$("$KT" -c "$T/kt.conf" outbox list --state failed)
check "outbox list shows both failed, with the status" sh -c \
    "echo '$out' | grep -q '+6281300000001.*not delivered' && echo '$out' | grep -q '+6281300000002.*not delivered'"
out=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P_HTTP/api/v1/outbox?state=failed")
check "the HTTP API shows them failed too" sh -c \
    "echo '$out' | jq -e '[.outbox[] | select(.to == \"+6281300000001\" or .to == \"+6281300000002\")] | length == 2' >/dev/null"
bid=$(sql "SELECT broadcast_id FROM outbox WHERE recipient = '+6281300000001'")
check "the broadcast counts 2 failed, 2 delivered, 1 sent" sh -c \
    "'$KT' -c '$T/kt.conf' --json broadcast show $bid |
    jq -e '.failed == 2 and .delivered == 2 and .sent == 1' >/dev/null"
check "no other row changed" test "$(count "recipient LIKE '+62813000000__' AND state = 'failed'")" -eq 2

in0=$(sql "SELECT count(*) FROM inbox")
check "/mo without from: 400" test "$(http_code "$KTURL/mo?text=HARGA+CABAI&ts=1700000000")" = 400
check "/mo without text: 400" test "$(http_code "$KTURL/mo?from=%2B6281300000009&ts=1700000000")" = 400
check "nothing stored for them" test "$(sql "SELECT count(*) FROM inbox")" -eq "$in0"
check "a good /mo right after: 200" test \
    "$(http_code "$KTURL/mo?from=%2B6281300000009&text=HARGA+CABAI&ts=1700000001&coding=0")" = 200
check "... stored once" test "$(sql "SELECT count(*) FROM inbox")" -eq $((in0 + 1))
check "... and answered through the stand-in" wait_for 20 \
    grep -q "to=%2B6281300000009&" "$T/standin.req"
check "Kannel modem still up" modem_up k1

check "SIGTERM stops cleanly" stop_daemon
check "no sanitizer report from daemon or worker" sh -c \
    "! grep -q 'runtime error\|AddressSanitizer' '$T/daemon.log'"
for f in smsbox bearerbox fakesmsc standin; do stop_bg $f; done
[ "$failed" -eq 0 ] || tail -5 "$T/smsbox.log" "$T/bearerbox.log" 2>/dev/null | sed 's/^/    | /'
finish
