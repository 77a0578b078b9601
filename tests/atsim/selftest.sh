#!/bin/sh
#
# Self-test of the AT modem simulator against the real gammu CLI.
#
# usage: tests/atsim/selftest.sh [path/to/atsim]
#
# Without an argument atsim is built into a temporary directory. Every
# simulator runs on private paths; every wait polls a condition with a
# deadline. Prints "atsim selftest: N passed, N failed"; exits 1 on failure.

set -u

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/atsim-selftest.XXXXXX")
passed=0
failed=0
pids=""
LANG=C.UTF-8
LC_ALL=C.UTF-8
export LANG LC_ALL

# Stop every simulator we started and remove the temporary directory.
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() {
	passed=$((passed + 1))
	echo "ok   $1"
}

ko() {
	failed=$((failed + 1))
	echo "FAIL $1${2:+: $2}"
}

# check NAME COMMAND...: pass if the command succeeds.
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else ko "$name"; fi
}

# waitfor SECONDS COMMAND...: poll until the command succeeds.
waitfor() {
	deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

if [ $# -ge 1 ]; then
	atsim=$1
else
	atsim=$tmp/atsim
	# shellcheck disable=SC2046
	if ! cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	    -Wstrict-prototypes -Wmissing-prototypes -O2 -o "$atsim" \
	    "$here"/atsim*.c $(pkg-config --cflags --libs gammu) -lutil; then
		echo "atsim selftest: build failed"
		exit 1
	fi
fi

# start NAME [OPTIONS...]: run a simulator on $tmp/NAME.{tty,ctl}.
start() {
	n=$1
	shift
	"$atsim" -p "$tmp/$n.tty" -s "$tmp/$n.ctl" -d "$@" \
	    2>"$tmp/$n.log" &
	pids="$pids $!"
	echo $! >"$tmp/$n.pid"
	printf '[gammu]\ndevice = %s\nconnection = at\n' "$tmp/$n.tty" \
	    >"$tmp/$n.rc"
	waitfor 5 test -S "$tmp/$n.ctl" -a -L "$tmp/$n.tty"
}

# gone NAME: wait until simulator NAME has exited.
gone() {
	waitfor 5 sh -c "! kill -0 $(cat "$tmp/$1.pid") 2>/dev/null"
}

# ctl NAME COMMAND...: send a control command, print the reply.
ctl() {
	n=$1
	shift
	"$atsim" ctl "$tmp/$n.ctl" "$@"
}

# gm NAME ARGS...: run gammu against simulator NAME.
# gammu's CLI gives up on a slow reply when the machine is loaded (other
# tests run beside this one), so a failed listing of the SIM, which
# changes nothing, is tried once more. Other commands are never retried:
# tests count their failures and PIN attempts.
gm() {
	n=$1
	shift
	case $1 in
	getallsms|geteachsms)
		gm_out=$(timeout 60 gammu -c "$tmp/$n.rc" "$@" 2>&1) ||
		    gm_out=$(timeout 60 gammu -c "$tmp/$n.rc" "$@" 2>&1)
		gm_rc=$?
		printf '%s\n' "$gm_out"
		return $gm_rc ;;
	*)
		timeout 60 gammu -c "$tmp/$n.rc" "$@" ;;
	esac
}

# stat NAME KEY: one counter from "stats".
stat() {
	ctl "$1" stats | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# records: how many lines the record file has.
records() {
	wc -l <"$tmp/rec" | tr -d ' '
}

# rec_field LINE FIELD: one tab-separated field of a record line.
rec_field() {
	sed -n "${1}p" "$tmp/rec" | cut -f "$2"
}

# --- identification -------------------------------------------------------
if start a -r "$tmp/rec"; then ok "start"; else ko "start"; fi
gm a identify >"$tmp/out" 2>&1
check "identify" grep -q "IMEI *: 356938035643809" "$tmp/out"
check "identify manufacturer" grep -q "Manufacturer *: Kentongan" "$tmp/out"
check "second connection" gm a identify

# --- injected messages read by gammu --------------------------------------
plain="Halo, harga cabai hari ini Rp45.000/kg"
ext="Promo €5 [hemat] {cepat} ~^|\\ selesai"
ucs="Kopi ☕ pedas 🌶 mantap 😀"
check "inject plain" test "$(ctl a inject +6281234567 "$plain")" = "OK 1"
check "inject extension" test "$(ctl a inject +6281234567 "$ext")" = "OK 2"
check "inject ucs2" test "$(ctl a inject TELKOMSEL "$ucs")" = "OK 3"
gm a getallsms >"$tmp/out" 2>&1
check "getallsms plain" grep -qxF "$plain" "$tmp/out"
check "getallsms extension" grep -qxF "$ext" "$tmp/out"
check "getallsms ucs2" grep -qxF "$ucs" "$tmp/out"
check "getallsms gsm7 coding" test \
    "$(grep -c 'Default GSM alphabet' "$tmp/out")" -eq 2
check "getallsms ucs2 coding" test "$(grep -c 'Unicode' "$tmp/out")" -eq 1
check "getallsms alphanumeric sender" grep -q '"TELKOMSEL"' "$tmp/out"

# --- sending ---------------------------------------------------------------
gm a sendsms TEXT +62812345 -text "hello kentongan" >/dev/null 2>&1
check "sendsms record" test "$(records)" -eq 1
check "sendsms destination" test "$(rec_field 1 2)" = "+62812345"
check "sendsms coding" test "$(rec_field 1 3)" = "gsm7"
check "sendsms single part" test "$(rec_field 1 4)" = "0/1/1"
check "sendsms text" test "$(rec_field 1 5)" = "hello kentongan"

utext="Terima kasih 🙏 sudah mendaftar"
gm a sendsms TEXT +62812 -unicode -text "$utext" >/dev/null 2>&1
check "sendsms unicode record" test "$(records)" -eq 2
check "sendsms unicode coding" test "$(rec_field 2 3)" = "ucs2"
check "sendsms unicode text" test "$(rec_field 2 5)" = "$utext"

long=$(awk 'BEGIN { for (i = 0; i < 40; i++)
    printf "Kalimat nomor %02d. ", i }' | cut -c1-400)
gm a sendsms TEXT +62812 -len 400 -text "$long" >/dev/null 2>&1
check "multipart records" test "$(records)" -eq 5
ref=$(rec_field 3 4 | cut -d/ -f1)
check "multipart parts" test "$(rec_field 3 4) $(rec_field 4 4) \
$(rec_field 5 4)" = "$ref/1/3 $ref/2/3 $ref/3/3"
check "multipart coding" test "$(cut -f3 "$tmp/rec" | sed -n 3,5p |
    sort -u)" = "gsm7"
check "multipart text" test "$(sed -n 3,5p "$tmp/rec" | cut -f5 |
    tr -d '\n')" = "$long"
check "stats submits" test "$(stat a received_submits)" -eq 5
check "stats cmgs" test "$(stat a cmgs)" -eq 5

# --- failures and delays on send ------------------------------------------
ctl a fail-send 1 38 >/dev/null
if gm a sendsms TEXT +62812 -text "gagal" >/dev/null 2>&1; then
	ko "fail-send" "gammu reported success"
else
	ok "fail-send"
fi
check "fail-send not recorded" test "$(records)" -eq 5
t0=$(now_ms)
check "send after fail-send" gm a sendsms TEXT +62812 -text "berhasil"
t1=$(now_ms)
check "send after fail-send recorded" test "$(rec_field 6 5)" = "berhasil"
ctl a send-delay 3000 >/dev/null
gm a sendsms TEXT +62812 -text "lambat" >/dev/null 2>&1
t2=$(now_ms)
ctl a send-delay 0 >/dev/null
check "send-delay" test $((t2 - t1 - (t1 - t0))) -ge 2000 -a \
    "$(records)" -eq 7

# --- deleting ------------------------------------------------------------
gm a deleteallsms 1 >/dev/null 2>&1
check "deleteallsms stored" test "$(stat a stored)" -eq 0
check "deleteallsms cmgd" test "$(stat a cmgd)" -eq 3
check "list empty" test "$(ctl a list)" = "OK"

# --- USSD -----------------------------------------------------------------
gm a getussd '*888#' >"$tmp/out" 2>&1
check "ussd default reply" grep -qF \
    "Sisa pulsa Anda Rp12.345. Berlaku s/d 31-12-2026" "$tmp/out"
ctl a ussd-reply "Paket 2GB aktif ✓ s/d 01-02" >/dev/null
gm a getussd '*123#' >"$tmp/out" 2>&1
check "ussd custom reply" grep -qF "Paket 2GB aktif ✓ s/d 01-02" "$tmp/out"
check "stats ussd" test "$(stat a ussd)" -eq 2

# --- multipart out of order -----------------------------------------------
check "inject-multi" test "$(ctl a inject-multi +62899 42 3,1,2 \
    "Bagian satu. Bagian dua. Bagian tiga.")" = "OK 1 2 3"
gm a getallsms >"$tmp/out" 2>&1
check "multi parts listed" test \
    "$(grep -c 'ID (8 bit) 42, part [123] of 3' "$tmp/out")" -eq 3
check "multi stored out of order" test "$(grep -o 'part [123] of 3' \
    "$tmp/out" | tr -d '\n')" = "part 3 of 3part 1 of 3part 2 of 3"
gm a geteachsms >"$tmp/out" 2>&1
check "multi linked" grep -qxF "Bagian satu. Bagian dua. Bagian tiga." \
    "$tmp/out"
check "inject-multi incomplete" test "$(ctl a inject-multi +62899 43 1,3 \
    "AAAA BBBB CCCC")" = "OK 4 5"
check "long inject split" test "$(ctl a inject +62811 \
    "$(printf '%0400d' 7)")" = "OK 6 7 8"
gm a geteachsms >"$tmp/out" 2>&1
check "long inject linked" grep -qxF "$(printf '%0400d' 7)" "$tmp/out"
check "inject-8bit" test "$(ctl a inject-8bit +62899 0102FF)" = "OK 9"

# --- +CMTI to a listening client ------------------------------------------
stdbuf -oL gammu -c "$tmp/a.rc" monitor >"$tmp/mon" 2>&1 &
mon=$!
waitfor 20 grep -q "Enabling info about incoming SMS *: No error" "$tmp/mon"
ctl a inject +62877 "Pesan baru via CMTI" >/dev/null
if waitfor 20 grep -q "Pesan baru via CMTI" "$tmp/mon"; then
	ok "cmti seen by gammu monitor"
else
	ko "cmti seen by gammu monitor"
fi
kill -INT "$mon" 2>/dev/null
waitfor 10 sh -c "! kill -0 $mon" || kill -KILL "$mon" 2>/dev/null
wait "$mon" 2>/dev/null

# --- a second simulator with a PIN, at the same time ----------------------
if start p -P 1234; then ok "second instance"; else ko "second instance"; fi
check "both instances" gm a identify
gm p getsecuritystatus >"$tmp/out" 2>&1
check "pin required" grep -q "Waiting for PIN" "$tmp/out"
if gm p entersecuritycode PIN 0000 >/dev/null 2>&1; then
	ko "wrong pin refused"
else
	ok "wrong pin refused"
fi
check "pin attempts counted" test "$(stat p pin_attempts)" -eq 1
if gm p getallsms >/dev/null 2>&1; then
	ko "sms locked before pin"
else
	ok "sms locked before pin"
fi
check "right pin" gm p entersecuritycode PIN 1234
gm p getsecuritystatus >"$tmp/out" 2>&1
check "pin ready" grep -q "Nothing to enter" "$tmp/out"
check "pin attempts after right pin" test "$(stat p pin_attempts)" -eq 2
check "instance a untouched" test "$(stat a pin_attempts)" -eq 0
ctl p quit >/dev/null
gone p
if start q -P 1234; then ok "pin instance for puk"; else ko "puk instance"; fi
for pin in 9999 8888 7777; do
	gm q entersecuritycode PIN "$pin" >/dev/null 2>&1
done
gm q getsecuritystatus >"$tmp/out" 2>&1
check "three wrong pins lock to puk" grep -q "PUK" "$tmp/out"
check "puk attempts" test "$(stat q pin_attempts)" -eq 3
ctl q quit >/dev/null

# --- a small SIM, malformed PDUs ------------------------------------------
if start m -m 2; then ok "small sim"; else ko "small sim"; fi
check "fill 1" test "$(ctl m inject +62811 satu)" = "OK 1"
check "fill 2" test "$(ctl m inject +62811 dua)" = "OK 2"
if ctl m inject +62811 tiga >/dev/null; then
	ko "full sim refuses"
else
	ok "full sim refuses"
fi
gm m monitor 1 >"$tmp/out" 2>&1
check "cpms honest" grep -q "SIM SMS status *: 2 used, .* 2 locations" \
    "$tmp/out"
gm m deleteallsms 1 >/dev/null 2>&1
check "inject-pdu" test "$(ctl m inject-pdu 00DEADBEEF)" = "OK 1"
check "list" test "$(ctl m list)" = "OK 1"
check "unknown ctl command" sh -c "! '$atsim' ctl '$tmp/m.ctl' frobnicate"

# --- hang, drop and return ------------------------------------------------
ctl m hang >/dev/null
before=$(stat m commands)
if timeout 4 gammu -c "$tmp/m.rc" identify >/dev/null 2>&1; then
	ko "hang" "gammu got answers"
else
	ok "hang"
fi
check "hang ignores commands" test "$(stat m commands)" -eq "$before"
ctl m unhang >/dev/null
check "unhang" gm m identify
ctl m drop >/dev/null
check "drop removes link" test ! -e "$tmp/m.tty"
if gm m identify >/dev/null 2>&1; then ko "dropped modem"; else
	ok "dropped modem"; fi
check "return" ctl m return
check "return link" test -L "$tmp/m.tty"
t0=$(now_ms)
check "identify after return" gm m identify
t1=$(now_ms)
ctl m delay 300 >/dev/null
check "delay" gm m identify
t2=$(now_ms)
check "delay slows replies" test $((t2 - t1 - (t1 - t0))) -ge 3000
ctl m delay 0 >/dev/null

# --- clean exit -----------------------------------------------------------
kill -TERM "$(cat "$tmp/m.pid")"
gone m
check "sigterm removes link" test ! -e "$tmp/m.tty" -a ! -e "$tmp/m.ctl"
ctl a quit >/dev/null
gone a
check "quit removes link" test ! -e "$tmp/a.tty" -a ! -e "$tmp/a.ctl"
if grep -q "ERROR: AddressSanitizer\|runtime error" "$tmp"/*.log; then
	ko "sanitizers" "$(grep -h "ERROR: AddressSanitizer\|runtime error" \
	    "$tmp"/*.log | head -3)"
fi

echo "atsim selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
