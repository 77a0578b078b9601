#!/bin/sh
# A Kannel modem keeps up to its window of sends in flight: against a
# stand-in sendsms (tests/kannel/fakesendsms) that holds every send 300 ms,
# three broadcasts to 40 numbers with window = 16 have up to 16 sends
# held at once, never 17, never two to one recipient, each recipient's
# three texts in the order they were queued, over a few keep-alive
# connections.  The window's settings are checked with file:line errors.
. "$(dirname "$0")/lib.sh"

FAKESENDSMS="$top/$KT_BUILD/fakesendsms"
if [ ! -x "$FAKESENDSMS" ]; then
	FAKESENDSMS="$T/fakesendsms"
	if ! ${CC:-cc} -o "$FAKESENDSMS" "$top/tests/kannel/fakesendsms.c"; then
		echo "  FAIL: cannot build tests/kannel/fakesendsms.c"
		exit 1
	fi
fi
base=$((23000 + ($$ % 2000) * 2))
P_SEND=$base P_KT=$((base + 1))

kannel_modem() { # kannel_modem EXTRA
	echo "{ name = \"k1\"; connection = \"kannel\";
	    url = \"http://127.0.0.1:$P_SEND/cgi-bin/sendsms\";
	    listen = \"127.0.0.1:$P_KT\"; $1 }"
}

# Settings: a range, and one command at a time on an AT link.
write_conf "$(kannel_modem "window = 257;")"
check "window above 256: error with file:line" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'kt.conf:[0-9]*:.*window'"
: > "$T/ttyUSB0"
write_conf "{ name = \"m1\"; device = \"$T/ttyUSB0\"; connection = \"at\";
    window = 4; }"
check "a GSM modem with window 4: error with file:line" sh -c \
    "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'kt.conf:[0-9]*: modem m1: window: a GSM modem sends one message at a time'"
write_conf "{ name = \"m1\"; device = \"$T/ttyUSB0\"; connection = \"at\";
    window = 1; }"
check "a GSM modem with window 1 is fine" "$KTD" -c "$T/kt.conf" -n

"$FAKESENDSMS" "$P_SEND" 300 "$T/sent.rec" "$T/stats" 2> "$T/fakesendsms.log" &
echo $! > "$T/fakesendsms.pid"
write_conf "$(kannel_modem "window = 16;")"
check "-n accepts window = 16" "$KTD" -c "$T/kt.conf" -n
"$KT" -c "$T/kt.conf" group create PETANI >/dev/null
i=10
while [ $i -lt 50 ]; do
	echo "+62812000000$i"
	i=$((i + 1))
done > "$T/numbers"
xargs "$KT" -c "$T/kt.conf" group add PETANI < "$T/numbers" >/dev/null
check "daemon starts" start_daemon
check "Kannel modem comes up" wait_for 20 modem_up k1
for n in 1 2 3; do
	"$KT" -c "$T/kt.conf" broadcast send --to PETANI "Kabar nomor $n" >/dev/null
done
check "all 120 sends answered" wait_for 60 sh -c \
    "[ \$(wc -l < '$T/sent.rec') -ge 120 ]"
check "all 120 rows sent" wait_for 20 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT count(*) FROM outbox WHERE state = 'sent'\")\" = 120 ]"
stats=$(cat "$T/stats")
echo "  ($stats)"
inflight=$(echo "$stats" | awk '{ print $2 }')
check "16 sends held at once at the most" test "$inflight" -eq 16
check "never two to one recipient at once" test \
    "$(echo "$stats" | awk '{ print $4 }')" -eq 1
check "each number reached three times" test \
    "$(cut -d' ' -f1 "$T/sent.rec" | sort | uniq -c | awk '$1 != 3' | wc -l)" -eq 0
check "each number's texts in the order queued" sh -c "
    for to in \$(cut -d' ' -f1 '$T/sent.rec' | sort -u); do
	[ \"\$(grep \"^\$to \" '$T/sent.rec' | cut -d' ' -f4 | tr -d '\n')\" = 123 ] || exit 1
    done"
check "keep-alive connections, at most one per slot of the window" test \
    "$(echo "$stats" | awk '{ print $8 }')" -le 16
check "modems counts 120 sent" test \
    "$(sql "SELECT sent FROM modems WHERE name = 'k1'")" -eq 120
check "SIGTERM stops cleanly" stop_daemon
check "no sanitizer report" sh -c \
    "! grep -q 'runtime error\|AddressSanitizer' '$T/daemon.log'"
kill -TERM "$(cat "$T/fakesendsms.pid")" 2>/dev/null
finish
