#!/bin/sh
# USSD over real HTTP on 127.0.0.1, driven as an aggregator would: whole
# sessions through the form adapter (price, info, event registration,
# opt-out), back and more, bad input, timeout, malformed requests, the
# token and the allow-list, and the JSON adapter.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
UTOKEN=ussd-token-0123456789abcdef
port=$((19000 + $$ % 1000))

# ussd_conf PORT ALLOW: the test config with http and ussd groups, and
# the AT simulator as modem "sim".
ussd_conf() {
	write_conf "$(at_modem sim)"
	cat >> "$T/kt.conf" <<CONF
http = { listen = "127.0.0.1:$1"; token = "$TOKEN"; max_body = 4096; };
ussd = { token = "$UTOKEN"; timeout = 60; allow = [ $2 ]; };
CONF
}

# form SESSION TEXT [PHONE]: one form POST; prints the body, the status
# code goes to $T/code.
form() {
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" \
	    --data-urlencode "sessionId=$1" --data-urlencode "serviceCode=*123#" \
	    --data-urlencode "phoneNumber=${3:-081234567890}" \
	    --data-urlencode "text=$2" "http://127.0.0.1:$port/ussd" > "$T/code"
	cat "$T/body"
}
code_is() { [ "$(cat "$T/code")" = "$1" ]; }
# json BODY: one JSON POST; prints the body.
json() {
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" \
	    -H 'Content-Type: application/json' -d "$1" \
	    "http://127.0.0.1:$port/ussd/json" > "$T/code"
	cat "$T/body"
}
has() { printf '%s' "$1" | grep -q -- "$2"; }
starts() { case $1 in "$2"*) return 0 ;; esac; return 1; }

check "-n rejects a bad allow entry with file:line" sh -c "printf 'database = \"x.db\";\nhttp = { listen = \"127.0.0.1:1\"; token = \"0123456789abcdef\"; };\nussd = { allow = [ \"10.0.0.0/33\" ]; };\n' > '$T/bad.conf'; '$KTD' -c '$T/bad.conf' -n 2>&1 | grep -q 'bad.conf:3: ussd: allow'"
check "-n rejects ussd without http" sh -c "printf 'database = \"x.db\";\nussd = { path = \"/u\"; };\n' > '$T/bad.conf'; '$KTD' -c '$T/bad.conf' -n 2>&1 | grep -q 'bad.conf:2: ussd: needs the http group'"

check "atsim starts" atsim_start sim

# Content, through the CLI.
ussd_conf "$port" '"127.0.0.1", "::1"'
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45.000 kg > /dev/null
"$KT" -c "$T/kt.conf" price set CABAI PARE 44000 kg > /dev/null
"$KT" -c "$T/kt.conf" price set BERAS KEDIRI 13500 kg > /dev/null
"$KT" -c "$T/kt.conf" info set PUPUK "Pupuk urea 2x per musim" > /dev/null
long=$(for i in 01 02 03 04 05 06 07 08 09 10 11 12; do printf 'Kalimat %s tentang cuaca minggu ini. ' $i; done)
"$KT" -c "$T/kt.conf" info set CUACA "$long" > /dev/null
"$KT" -c "$T/kt.conf" event create TANI24 "Pelatihan pupuk" --quota 1 \
    --date 2099-12-05 --place "Balai desa" > /dev/null

started=1
for try in 1 2 3 4 5; do
	ussd_conf "$port" '"127.0.0.1", "::1"'
	: > "$T/daemon.log"
	if start_daemon && wait_for 5 grep -q "ussd: serving" "$T/daemon.log"; then
		started=0; break
	fi
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null; daemon_pid=""
	port=$((port + 1))
done
check "daemon serves /ussd on 127.0.0.1:$port" test $started -eq 0

# A whole price session.
r=$(form s1 "")
check "dial: CON with the menu" starts "$r" "CON Kentongan:"
check "dial: 200 text/plain" code_is 200
check "menu lists Harga pasar" has "$r" "1. Harga pasar"
r=$(form s1 "1")
check "1: commodities" has "$r" "2. CABAI"
check "1: CON with back" starts "$r" "CON Pilih komoditas"
r=$(form s1 "1*2")
check "1*2: markets of CABAI" has "$r" "1. Pasar Kediri"
r=$(form s1 "1*2*1")
sms=$("$KT" -c "$T/kt.conf" phone --dry-run 081234567890 "HARGA CABAI KEDIRI")
check "1*2*1: END with the price" starts "$r" "END CABAI, Pasar Kediri"
check "the USSD answer is the SMS answer" test "$r" = "END $sms"
r=$(form s1 "1*2*1")
check "a repeated request gets the same answer" test "$r" = "END $sms"

# Back and more.
form s2 "" > /dev/null
form s2 "1" > /dev/null
r=$(form s2 "1*0")
check "0 goes back to the menu" has "$r" "1. Harga pasar"
r=$(form s2 "1*0*2")
check "then 2: topics" has "$r" "1. CUACA"
r=$(form s2 "1*0*2*1")
check "a long page: CON with 00. Lagi" has "$r" "00. Lagi"
check "a page fits 182 characters" test "$(printf '%s' "${r#CON }" | wc -m)" -le 182
r=$(form s2 "1*0*2*1*00")
check "00: the next page" has "$r" "Kalimat 0"
n=0
t="1*0*2*1*00"
while starts "$r" "CON" && [ $n -lt 10 ]; do
	t="$t*00"; r=$(form s2 "$t"); n=$((n + 1))
done
check "the last page ends the session" has "$r" "Kalimat 12 tentang cuaca"
check "and is END" starts "$r" "END "

# Bad input.
form s3 "" > /dev/null
r=$(form s3 "9")
check "9: CON with a short error and the menu" starts "$r" "CON Pilihan salah."
check "the menu is shown again" has "$r" "5. Berhenti"
r=$(form s3 "9*x")
check "x: the error again" starts "$r" "CON Pilihan salah."
r=$(form s3 "9*x*2")
check "then a good answer goes on" has "$r" "Pilih topik"

# Event registration: confirmed, then waitlisted for the next phone.
form e1 "" 081111111111 > /dev/null
r=$(form e1 "3" 081111111111)
check "3: the open events" has "$r" "1. Pelatihan pupuk"
r=$(form e1 "3*1" 081111111111)
check "3*1: confirm TANI24" has "$r" "1. Ya"
r=$(form e1 "3*1*1" 081111111111)
check "3*1*1: END registered" starts "$r" "END "
check "registration is stored" test "$(sql "SELECT r.status FROM registrations r JOIN contacts c ON c.id = r.contact_id WHERE c.phone = '+6281111111111'")" = confirmed
form e2 "" 082222222222 > /dev/null
form e2 "3" 082222222222 > /dev/null
form e2 "3*1" 082222222222 > /dev/null
form e2 "3*1*1" 082222222222 > /dev/null
check "the second is waitlisted (quota 1)" test "$(sql "SELECT r.status FROM registrations r JOIN contacts c ON c.id = r.contact_id WHERE c.phone = '+6282222222222'")" = waitlisted

# Opt-out.
form o1 "" 083333333333 > /dev/null
form o1 "5" 083333333333 > /dev/null
r=$(form o1 "5*1" 083333333333)
check "5*1: END opted out" starts "$r" "END "
check "the contact is opted out" test "$(sql "SELECT opted_out FROM contacts WHERE phone = '+6283333333333'")" = 1

# Timeout.
form t1 "" > /dev/null
sql "UPDATE ussd_sessions SET updated_at = updated_at - 61 WHERE session_id = 't1'"
r=$(form t1 "1")
check "an idle session has expired" test "$r" = "END Sesi berakhir. Silakan tekan *123# lagi."

# Malformed requests.
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" -d "phoneNumber=0812&text=" "http://127.0.0.1:$port/ussd")
check "no sessionId: 400" test "$r" = 400
r=$(form m1 "" "halo")
check "a phone that is not a number: 400" code_is 400
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" "http://127.0.0.1:$port/ussd")
check "GET: 405" test "$r" = 405
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" --data-binary @/dev/null --data-urlencode "sessionId=$(head -c 300 /dev/zero | tr '\0' x)" -d "phoneNumber=0812345678" "http://127.0.0.1:$port/ussd")
check "a 300-byte sessionId: 400" test "$r" = 400
r=$(printf 'sessionId=b1&phoneNumber=081234567890&text=\377\376%%00%%' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $UTOKEN" --data-binary @- "http://127.0.0.1:$port/ussd")
check "binary garbage: an answer, no crash" sh -c "[ '$r' = 200 ] || [ '$r' = 400 ]"

# Token.
r=$(curl -s -o /dev/null -w '%{http_code}' -d "sessionId=k1&phoneNumber=081234567890&text=" "http://127.0.0.1:$port/ussd")
check "no token: 401" test "$r" = 401
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer wrong-0123456789abcdefgh" -d "sessionId=k1&phoneNumber=081234567890&text=" "http://127.0.0.1:$port/ussd")
check "wrong token: 401" test "$r" = 401
r=$(curl -s -o /dev/null -w '%{http_code}' -d "sessionId=k1&phoneNumber=081234567890&text=" "http://127.0.0.1:$port/ussd?token=$UTOKEN")
check "token in the URL without allow_query_token: 401" test "$r" = 401

# The JSON adapter.
r=$(json '{"sessionId":"j1","phoneNumber":"081234567890","serviceCode":"*123#","new":true}')
check "json: dial continues" has "$r" '"continue":true'
check "json: menu in message" has "$r" '1. Harga pasar'
r=$(json '{"sessionId":"j1","phoneNumber":"081234567890","input":"1"}')
check "json: input 1" has "$r" 'Pilih komoditas'
r=$(json '{"sessionId":"j1","phoneNumber":"081234567890","input":"2"}')
r=$(json '{"sessionId":"j1","phoneNumber":"081234567890","input":"1"}')
check "json: the price, and the end" has "$r" '"continue":false'
check "json: the price text" has "$r" 'Rp45.000'
json '{"sessionId":"j2","phoneNumber":"081234567890","text":""}' > /dev/null
json '{"sessionId":"j2","phoneNumber":"081234567890","text":"2"}' > /dev/null
r=$(json '{"sessionId":"j2","phoneNumber":"081234567890","text":"2*2"}')
check "json: text joined by * works too" has "$r" 'Pupuk urea 2x per musim'
r=$(json '{"sessionId":"j9","phoneNumber":"081234567890","text":"2*2"}')
check "json: mid-session text for an unknown session: expired" has "$r" 'Sesi berakhir'
r=$(json '{"sessionId":"j3","phoneNumber":"081234567890","text":"","input":"1"}')
check "json: text and input together: 400" code_is 400
r=$(json '{"sessionId":')
check "json: malformed: 400" code_is 400
r=$(json '{"sessionId":1,"phoneNumber":"0812"}')
check "json: a number for sessionId: 400" code_is 400

# The allow-list, swapped in by SIGHUP.
ussd_conf "$port" '"192.0.2.0/24"'
kill -HUP "$daemon_pid"
check "reload applied" wait_for 10 grep -q "configuration reloaded" "$T/daemon.log"
form a1 "" > /dev/null
check "an address not allowed: 403" code_is 403
r=$(json '{"sessionId":"a2","phoneNumber":"081234567890","new":true}')
check "json too: 403" code_is 403
check "the rest of the API is unaffected" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" != 403
ussd_conf "$port" '"127.0.0.0/8"'
kill -HUP "$daemon_pid"
check "reload applied again" wait_for 10 sh -c "[ \$(grep -c 'configuration reloaded' '$T/daemon.log') -ge 2 ]"
form a3 "" > /dev/null
check "a CIDR that holds 127.0.0.1: 200" code_is 200

# The menu, edited from the CLI, is what callers get.
out=$("$KT" -c "$T/kt.conf" ussd menu list)
check "menu list shows the tree with keys" sh -c "printf '%s\n' '$out' | grep -q '^2	1	action	Harga pasar	Market prices	price'"
out=$("$KT" -c "$T/kt.conf" ussd menu add 1 7 Cuaca --en Weather --body "Cerah hari ini")
check "menu add" test "$out" = "added node 8"
r=$(form c1 "")
check "the new entry is on the menu" has "$r" "7. Cuaca"
r=$(form c1 "7")
check "a static node without children ends with its body" test "$r" = "END Cerah hari ini"
check "menu set" "$KT" -c "$T/kt.conf" ussd menu set 8 --label "Cuaca besok"
r=$(form c2 "")
check "the label changed" has "$r" "7. Cuaca besok"
out=$("$KT" -c "$T/kt.conf" ussd menu add 8 1 Hujan --body "Hujan sore")
id=$(sqlite3 "$T/kt.db" "SELECT id FROM ussd_nodes WHERE label_id = 'Hujan'")
check "menu add prints the node's id, not the audit row's" test "$out" = "added node $id" -a "$id" != "$(sqlite3 "$T/kt.db" "SELECT MAX(id) FROM audit")"
check "menu show finds the id menu add printed" sh -c "'$KT' -c '$T/kt.conf' ussd menu show $id | grep -q '^label *Hujan'"
form c3 "" > /dev/null
r=$(form c3 "7")
check "static node with a child lists it" has "$r" "1. Hujan"
form c4 "" > /dev/null
form c4 "7" > /dev/null
r=$(form c4 "7*1")
check "and the child ends with its body" test "$r" = "END Hujan sore"
"$KT" -c "$T/kt.conf" ussd menu set 2 --args CABAI > /dev/null
form c5 "" > /dev/null
r=$(form c5 "1")
check "--args answers the first question (CABAI: markets at once)" has "$r" "1. Pasar Kediri"
"$KT" -c "$T/kt.conf" ussd menu add 1 7 Dup > /dev/null 2>&1
check "a taken position is refused" test $? -eq 1
"$KT" -c "$T/kt.conf" ussd menu add 1 9 X --action fly > /dev/null 2>&1
check "an unknown action is a usage error" test $? -eq 2
"$KT" -c "$T/kt.conf" ussd menu set 99 --label X > /dev/null 2>&1
check "set of a missing node: exit 3" test $? -eq 3
check "menu delete removes the subtree" sh -c "'$KT' -c '$T/kt.conf' ussd menu delete 8 && [ \$(sqlite3 '$T/kt.db' 'SELECT COUNT(*) FROM ussd_nodes WHERE id >= 8') -eq 0 ]"
"$KT" -c "$T/kt.conf" --json ussd menu show 3 > "$T/show.json"
check "menu show --json" grep -q '"action": *"info"' "$T/show.json"

# The modem's own USSD, through the daemon, against the simulator.
check "AT modem comes up" wait_for 30 modem_up sim
out=$("$KT" -c "$T/kt.conf" ussd dial sim '*888#')
check "dial prints the network's answer" test "$out" = "Sisa pulsa Anda Rp12.345. Berlaku s/d 31-12-2026"
check "the modem was asked with AT+CUSD" test "$(atsim_stat sim ussd)" -ge 1
check "the answer is stored" test "$(sql "SELECT state, code FROM ussd_requests ORDER BY id DESC LIMIT 1")" = "done|*888#"
atsim_ctl sim ussd-reply "Kuota 2GB, pulsa Rp5.000" > /dev/null
out=$("$KT" -c "$T/kt.conf" ussd dial sim '*123*4#')
check "another code, another answer" test "$out" = "Kuota 2GB, pulsa Rp5.000"
out=$("$KT" -c "$T/kt.conf" ussd history sim)
check "history lists both" test "$(printf '%s\n' "$out" | grep -c '	done	')" -eq 2
"$KT" -c "$T/kt.conf" ussd dial nosuch '*888#' > /dev/null 2>&1
check "an unknown modem: exit 3" test $? -eq 3
"$KT" -c "$T/kt.conf" ussd dial sim 'ATD123' > /dev/null 2>&1
check "a code that is not digits, * and #: exit 2" test $? -eq 2
check "SMS still works on the modem after USSD" sh -c "'$ATSIM' ctl '$T/sim.ctl' inject +6281234567890 'HARGA CABAI KEDIRI' >/dev/null"
check "and is answered" wait_for 20 sh -c "[ \$(wc -l < '$T/sim.rec') -ge 1 ]"

# Token guessing on the USSD callback counts as on the API: 429 once a
# peer has sent ten wrong tokens in a minute (three were sent above).
uguess() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" -d "sessionId=g1&phoneNumber=081234567890&text=" "http://127.0.0.1:$port/ussd"; }
for i in 4 5 6 7 8 9 10; do uguess "guess-$i-0123456789abcdef" > /dev/null; done
check "USSD: the 11th wrong token: 429" test "$(uguess guess-11-0123456789abcdef)" = 429
check "USSD: even the right token, until the window ends" test "$(uguess "$UTOKEN")" = 429
check "the guessing is logged once" test "$(grep -c 'wrong tokens from 127.0.0.1' "$T/daemon.log")" = 1

check "SIGTERM stops cleanly" stop_daemon
"$KT" -c "$T/kt.conf" ussd dial sim '*888#' --wait 2 > /dev/null 2>&1
check "no daemon: dial gives up with exit 4" test $? -eq 4
check "and the request is marked failed" test "$(sql "SELECT state FROM ussd_requests ORDER BY id DESC LIMIT 1")" = failed
finish
