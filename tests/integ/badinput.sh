#!/bin/sh
# Bad input through the running daemon: SMS from gammu's dummy phone with
# invalid UTF-8, control characters, SQL metacharacters, a 10 kB text and
# every command with missing or absurd arguments, each answered; HTTP
# requests with oversized bodies, headers and URLs, and malformed JSON,
# each refused with 4xx.  The daemon stays up and the database intact.
. "$(dirname "$0")/lib.sh"

TOKEN=badinput-token-0123456789
port=$((19000 + $$ % 1000))
ADMIN=081100000009

bad_conf() { # bad_conf PORT
	write_conf "$(dummy_modem demo)"
	cat >> "$T/kt.conf" <<CONF
reply_limit = 0;
repeat_limit = 0;
admins = ( { phone = "+62${ADMIN#0}"; pin = "4321"; } );
http = { listen = "127.0.0.1:$1"; token = "$TOKEN"; max_body = 4096; };
CONF
}

kt() { "$KT" -c "$T/kt.conf" "$@"; }
n=0
# answered TEXT: from a new number each time, the reply must come back.
answered() {
	n=$((n + 1))
	out=$(kt phone "08129900$(printf %04d $n)" "$1" 2>&1); rc=$?
	case $out in
	"(no reply"*|"") echo "    got: rc=$rc $out"; return 1 ;;
	esac
	[ $rc -eq 0 ] || { echo "    got: rc=$rc $out"; return 1; }
	[ -z "${KT_SHOW:-}" ] || echo "    $1 -> $out" | cut -c1-150
}
alive() { kill -0 "$daemon_pid" 2>/dev/null; }

started=1
for _ in 1 2 3 4 5; do
	bad_conf "$port"
	kt price set CABAI KEDIRI 45000 kg >/dev/null
	kt group create PETANI "Kelompok tani" >/dev/null 2>&1
	: > "$T/daemon.log"
	if start_daemon && wait_for 5 grep -q "http: listening" "$T/daemon.log"; then
		started=0; break
	fi
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null; daemon_pid=""
	port=$((port + 1))
done
check "daemon starts on 127.0.0.1:$port" test $started -eq 0
check "dummy modem comes up" wait_for 20 modem_up demo

# Text that is not what a phone normally sends.
check "invalid UTF-8 is answered" answered "$(printf 'HARGA \377\376 CABAI \303')"
check "control characters are answered" answered "$(printf 'HARGA\tCABAI\001\033[2J\177 KEDIRI\r\n')"
check "SQL metacharacters are answered" answered "HARGA CABAI'; DROP TABLE prices; --"
check "  ... and the prices are still there" sh -c "'$KT' -c '$T/kt.conf' price list | grep -q 'CABAI .*KEDIRI'"
check "format directives are answered" answered 'DAFTAR %s%s%s%n%n %x'
check "emoji and right-to-left text are answered" answered "$(printf 'HARGA \360\237\214\266 \342\200\256CABAI')"
big=$(head -c 10240 /dev/zero | tr '\0' 'A')
check "a 10 kB text is answered" answered "HARGA $big"
# `kentongan phone` cuts a text at 1600 bytes.  For the longest message a
# phone can send, gammu encodes the 10 kB text as 50 concatenated parts
# (its limit) on a staging dummy phone; they are turned into received
# messages (gammu saves SMS-SUBMITs) and moved onto the daemon's phone.
mkdir -p "$T/stage"
printf '[gammu]\ndevice = %s/stage\nconnection = none\nmodel = dummy\n' "$T" > "$T/gammurc"
gammu -c "$T/gammurc" savesms TEXT -folder 1 -unread -sender +6281298000001 \
    -len 10240 -text "HARGA CABAI $big" >/dev/null 2>&1
wait_for 20 sh -c "[ -z \"\$(ls '$T/demo/sms/1')\" ]"
for f in "$T"/stage/sms/1/*; do
	sed 's/^PDU = Submit/PDU = Deliver/' "$f" > "$T/part.tmp" &&
	    mv "$T/part.tmp" "$T/demo/sms/1/${f##*/}"
done
long_done() { test "$(sql "SELECT parts || ' ' || state || ' ' || (length(text) > 7000) FROM inbox WHERE sender = '+6281298000001'")" = "50 done 1"; }
check "a 50-part message (7.6 kB) is reassembled and answered" wait_for 60 long_done
check "  ... with one reply" test "$(sql "SELECT count(*) FROM outbox o JOIN inbox i ON o.inbox_id = i.id WHERE i.sender = '+6281298000001'")" = 1
check "  ... and all 50 parts deleted from the phone" wait_for 20 sh -c "[ -z \"\$(ls '$T/demo/sms/1')\" ]"
check "only spaces are answered" answered "     "
check "only punctuation is answered" answered '?!?!..,,;;'

# Every command alone, then with absurd arguments.
for kw in HARGA SIAR LANGGANAN UNSUB INFO DAFTAR BATAL GABUNG KELUAR \
    BERHENTI MULAI BAHASA LAPOR BANTUAN; do
	check "$kw alone is answered" answered "$kw"
done
many=$(i=0; while [ $i -lt 60 ]; do printf 'CABAI '; i=$((i + 1)); done)
check "HARGA with 60 arguments" answered "HARGA $many"
check "HARGA with a 300-letter word" answered "HARGA $(head -c 300 /dev/zero | tr '\0' 'x')"
check "LAPOR with a huge price" answered "LAPOR CABAI KEDIRI 99999999999999999999999"
check "LAPOR with a negative price" answered "LAPOR CABAI KEDIRI -45000"
check "LANGGANAN an unknown commodity" answered "LANGGANAN ZZZZ QQQQ"
check "UNSUB what was never subscribed" answered "UNSUB CABAI"
check "DAFTAR an unknown event with a long name" answered "DAFTAR NOEVENT $(head -c 200 /dev/zero | tr '\0' 'b')"
check "BATAL with a number that overflows" answered "BATAL 184467440737095516160"
check "GABUNG a group that does not exist" answered "GABUNG ' OR 1=1 --"
check "BAHASA with a nonsense language" answered "BAHASA klingon"
check "INFO with a path" answered "INFO ../../etc/passwd"
check "SIAR from a non-admin is refused, with a reply" answered "SIAR 4321 SEMUA hello"
check "  ... and no broadcast was made" test "$(sql 'SELECT count(*) FROM broadcasts')" = 0
out=$(kt phone "$ADMIN" "SIAR" 2>&1)
check "SIAR from the admin without a PIN says how" test -n "$out"
out=$(kt phone "$ADMIN" "SIAR 4321" 2>&1)
check "SIAR without a group or text says how" test -n "$out"
check "  ... still no broadcast" test "$(sql 'SELECT count(*) FROM broadcasts')" = 0
# PIN brute force: three wrong PINs lock the number out, even for the right one.
for pin in 0000 1111 2222; do kt phone "$ADMIN" "SIAR $pin PETANI x" >/dev/null 2>&1; done
out=$(kt phone "$ADMIN" "SIAR 4321 PETANI after the lockout" 2>&1)
check "after three wrong PINs the right one is refused too" sh -c "echo '$out' | grep -q 'Terlalu banyak PIN salah'"
check "  ... and no broadcast was made" test "$(sql 'SELECT count(*) FROM broadcasts')" = 0

check "daemon still up after the SMS" alive
check "no message left unanswered in the inbox" test "$(sql "SELECT count(*) FROM inbox WHERE state = 'new'")" = 0
check "no routing failures logged" sh -c "! grep -q 'routing failed' '$T/daemon.log'"

# HTTP: limits are enforced by evhttp; bodies are checked by the handlers.
hc() { curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "$@"; }
api() { p=$1; shift; hc -H "Authorization: Bearer $TOKEN" "$@" "http://127.0.0.1:$port$p"; }
is4xx() { case $1 in 4??) return 0 ;; esac; echo "    got: $1"; return 1; }

head -c 8192 /dev/zero | tr '\0' 'x' > "$T/big"
check "oversized body: 413" test "$(api /api/v1/messages --data-binary @"$T/big")" = 413
check "oversized header: refused" is4xx "$(api /api/v1/prices -H "X-Junk: $(head -c 16384 /dev/zero | tr '\0' 'h')")"
hdrs=$(i=0; while [ $i -lt 400 ]; do printf -- '-H X-H%d:%s ' $i "0123456789012345678901234567890"; i=$((i + 1)); done)
# shellcheck disable=SC2086
check "too many headers: refused" is4xx "$(api /api/v1/prices $hdrs)"
check "20 kB URL: refused" is4xx "$(api "/api/v1/prices?q=$(head -c 20480 /dev/zero | tr '\0' 'u')")"
check "body that is not UTF-8: 400" test "$(api /api/v1/messages --data-binary "$(printf '{"to":"0812","text":"\377\376"}')")" = 400
check "JSON error quoting a cut character: 400" test "$(api /api/v1/prices --data-binary "$(printf '{"commodity\\\305\221\212\223l}')")" = 400
check "  ... still with a JSON error body" grep -q '^{"error":"invalid JSON' "$T/body"
check "JSON with a NUL: 400" test "$(api /api/v1/messages --data-binary '{"to":"081234567890","text":"a\u0000b"}')" = 400
nest=$(i=0; while [ $i -lt 1500 ]; do printf '['; i=$((i + 1)); done)
check "deeply nested JSON: 400" test "$(api /api/v1/info --data-binary "$nest")" = 400
check "price as a huge number: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":1e999}')" = 400
check "a 3000-byte text: 400" test "$(api /api/v1/messages --data-binary "{\"to\":\"081234567890\",\"text\":\"$(head -c 3000 /dev/zero | tr '\0' 't')\"}")" = 400
check "SQL in a topic: 400" test "$(api /api/v1/info -d "{\"topic\":\"x'; DROP TABLE info_pages; --\",\"body\":\"b\"}")" = 400
check "query with a bad limit: 400" test "$(api '/api/v1/inbox?limit=-1%00')" = 400
# A request line that is not HTTP at all.
printf 'GARBAGE \001\002 HTTP/9.9\r\n\r\n' | curl -s --max-time 3 -o /dev/null "telnet://127.0.0.1:$port" 2>/dev/null
printf 'POST /api/v1/messages HTTP/1.1\r\nContent-Length: -5\r\n\r\n' | curl -s --max-time 3 -o /dev/null "telnet://127.0.0.1:$port" 2>/dev/null
check "daemon still up after the HTTP" alive
check "and still serving: healthz 200" test "$(hc "http://127.0.0.1:$port/healthz")" = 200

check "SIGTERM stops cleanly" stop_daemon
check "database passes integrity_check" test "$(sql 'PRAGMA integrity_check')" = ok

# Security: the database and its journal files are private (0600) even
# when the CLI or the daemon runs with a permissive umask.
mode_600() { for f in "$@"; do [ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] || { echo "    $f: $(stat -c %a "$f")"; return 1; }; done; }
check "database written by the daemon is 0600" mode_600 "$T/kt.db" "$T/kt.db-wal" "$T/kt.db-shm"
printf 'database = "%s/new.db";\n' "$T" > "$T/new.conf"
(umask 022; "$KT" -c "$T/new.conf" price set CABAI KEDIRI 45000 >/dev/null)
check "a new database created by the CLI under umask 022 is 0600" sh -c "[ -e '$T/new.db' ] && [ \"\$(stat -c %a '$T/new.db')\" = 600 ]"
check "  ... and its WAL files too" mode_600 "$T/new.db-wal" "$T/new.db-shm"
finish
