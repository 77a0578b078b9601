#!/bin/sh
# The HTTP API over loopback with curl: auth, every status code, prices
# round trip, a message queued and sent by the dummy modem, /healthz and
# /metrics.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
port=$((18000 + $$ % 1000))

# http_conf PORT [MODEMS]: the test config plus an http group.
http_conf() {
	write_conf "$2"
	cat >> "$T/kt.conf" <<CONF
http = { listen = "127.0.0.1:$1"; token = "$TOKEN"; max_body = 4096; };
CONF
}

# hc CURL-ARGS...: print the status code; the body lands in $T/body.
hc() { curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' "$@"; }
api() { # api PATH [CURL-ARGS...]: an authorised request
	p=$1; shift
	hc -H "Authorization: Bearer $TOKEN" "$@" "http://127.0.0.1:$port$p"
}
body_has() { grep -q -- "$1" "$T/body"; }

# Start on a free port: try a few in turn.
started=1
for try in 1 2 3 4 5; do
	http_conf "$port" "$(dummy_modem demo)"
	: > "$T/daemon.log"
	if start_daemon && wait_for 5 grep -q "http: listening" "$T/daemon.log"; then
		started=0; break
	fi
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null; daemon_pid=""
	port=$((port + 1))
done
check "daemon listens on 127.0.0.1:$port" test $started -eq 0
check "dummy modem comes up" wait_for 20 modem_up demo

check "-n rejects a short token with file:line" sh -c "printf 'database = \"x.db\";\nhttp = { listen = \"127.0.0.1:1\"; token = \"short\"; };\n' > '$T/bad.conf'; '$KTD' -c '$T/bad.conf' -n 2>&1 | grep -q 'bad.conf:2: http: token'"
check "-n rejects a bad listen address" sh -c "printf 'database = \"x.db\";\nhttp = { listen = \"localhost\"; token = \"0123456789abcdef\"; };\n' > '$T/bad.conf'; ! '$KTD' -c '$T/bad.conf' -n >/dev/null 2>&1"

# Authentication.
check "no token: 401" test "$(hc "http://127.0.0.1:$port/api/v1/prices")" = 401
check "401 names the scheme" grep -qi '^WWW-Authenticate: Bearer' "$T/headers"
check "wrong token: 401" test "$(hc -H "Authorization: Bearer wrong-token-0123456789abcde" "http://127.0.0.1:$port/api/v1/prices")" = 401
check "token of the wrong length: 401" test "$(hc -H "Authorization: Bearer ${TOKEN}x" "http://127.0.0.1:$port/api/v1/prices")" = 401
check "right token: 200" test "$(api /api/v1/prices)" = 200

# Status codes.
check "unknown path: 404" test "$(api /api/v1/nothing)" = 404
check "404 body is JSON with error" body_has '"error"'
check "DELETE prices: 405" test "$(api /api/v1/prices -X DELETE)" = 405
check "405 has Allow" grep -qi '^Allow: GET, HEAD, POST' "$T/headers"
check "GET messages: 405 with Allow: POST" sh -c "[ \"\$(curl -s -o /dev/null -D - -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/messages | tr -d '\r' | grep -i '^Allow:')\" = 'Allow: POST' ]"
check "malformed JSON: 400" test "$(api /api/v1/prices -d '{"commodity": ')" = 400
check "400 body says why" body_has '"error":"invalid JSON'
check "JSON that is not an object: 400" test "$(api /api/v1/prices -d '[1,2]')" = 400
check "missing price: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI"}')" = 400
check "bad price: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":"murah"}')" = 400
check "bad date: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":1,"date":"2026-02-30"}')" = 400
check "bad limit: 400" test "$(api '/api/v1/inbox?limit=0')" = 400
check "bad outbox state: 400" test "$(api '/api/v1/outbox?state=lost')" = 400
head -c 5000 /dev/zero | tr '\0' 'x' > "$T/big"
check "oversize body: 413" test "$(api /api/v1/prices --data-binary @"$T/big")" = 413
check "still serving after 413" test "$(api /api/v1/prices)" = 200

# Prices round trip.
check "POST price as a string: 201" test "$(api /api/v1/prices -d '{"commodity":"cabai","market":"KEDIRI","price":"43.000","unit":"kg","date":"2026-11-20"}')" = 201
check "POST price as a number: 201" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":45000}')" = 201
check "GET prices shows the latest with the previous" sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/prices | grep -o '\"price\":45000,\"unit\":\"kg\",\"date\":\"[0-9-]*\",\"previous\":43000')\" != '' ]"
check "the CLI sees the HTTP price" sh -c "'$KT' -c '$T/kt.conf' price list | grep -q 'CABAI .*KEDIRI .*45.000/kg'"
check "SMS sees it too" sh -c "'$KT' -c '$T/kt.conf' phone 081234567890 'HARGA CABAI KEDIRI' | grep -q 'Rp45.000'"
check "audit records the HTTP change" test "$(sql "SELECT count(*) FROM audit WHERE actor = 'http' AND action = 'price set'")" = 2

# Messages.
check "POST message: 202" test "$(api /api/v1/messages -d '{"to":"081299990000","text":"Pelatihan pupuk Sabtu 09.00"}')" = 202
check "message is queued for +6281299990000" body_has '"to":"+6281299990000"'
check "the dummy modem sends it" wait_for 20 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '+6281299990000'\")\" = sent ]"
check "bad recipient: 400" test "$(api /api/v1/messages -d '{"to":"halo","text":"x"}')" = 400
check "empty text: 400" test "$(api /api/v1/messages -d '{"to":"081299990000","text":""}')" = 400
check "GET outbox?state=sent lists it" sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$port/api/v1/outbox?state=sent&limit=5' | grep -c 'Pelatihan pupuk')\" -eq 1 ]"
check "GET inbox lists the SMS" sh -c "curl -s -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$port/api/v1/inbox?limit=10' | grep -q 'HARGA CABAI KEDIRI'"
check "GET contacts: 200" test "$(api /api/v1/contacts)" = 200
check "GET modems: 200" test "$(api /api/v1/modems)" = 200
check "modems shows demo up" body_has '"name":"demo","state":"up"'
check "POST info: 200" test "$(api /api/v1/info -d '{"topic":"pupuk","body":"Pupuk urea: 2 karung per hektar"}')" = 200
check "GET info: 200" test "$(api /api/v1/info)" = 200
check "info lists the page" body_has '"topic":"PUPUK"'

# Health and metrics need no token.
check "healthz: 200 with a modem up" test "$(hc "http://127.0.0.1:$port/healthz")" = 200
check "healthz body says ok" body_has '"status":"ok"'
check "metrics: 200" test "$(hc "http://127.0.0.1:$port/metrics")" = 200
check "metrics: every sample line is name{labels} value" sh -c "! grep -v '^#' '$T/body' | grep -Evq '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*\})? -?[0-9.e+]+\$'"
check "metrics: every metric has a TYPE" sh -c "for m in \$(grep -v '^#' '$T/body' | sed 's/[{ ].*//; s/_bucket\$//; s/_sum\$//; s/_count\$//' | sort -u); do grep -q \"^# TYPE \$m \" '$T/body' || exit 1; done"
check "metrics: modem up" body_has '^kentongan_modem_up{modem="demo"} 1$'
check "metrics: sent messages by modem" grep -Eq '^kentongan_messages_sent_total\{modem="demo"\} [1-9]' "$T/body"
check "metrics: no count of the sent rows (a scan of them all)" sh -c "! grep -q 'state=\"sent\"' '$T/body'"
check "metrics: latency histogram counts them" grep -Eq '^kentongan_send_latency_seconds_count [1-9]' "$T/body"
check "metrics: +Inf bucket equals count" sh -c "[ \"\$(grep 'le=\"+Inf\"' '$T/body' | cut -d' ' -f2)\" = \"\$(grep '^kentongan_send_latency_seconds_count' '$T/body' | cut -d' ' -f2)\" ]"

# Groups, events and broadcasts; the CLI changes the database while the
# daemon runs and HTTP sees it at once.
jq_body() { jq -e "$1" "$T/body" >/dev/null; }
"$KT" -c "$T/kt.conf" contact add 081299990001 --group PETANI >/dev/null
"$KT" -c "$T/kt.conf" group add PETANI 081299990002 >/dev/null
"$KT" -c "$T/kt.conf" event create TANI24 "Pelatihan pupuk" --quota 30 >/dev/null
check "GET groups without a token: 401" test "$(hc "http://127.0.0.1:$port/api/v1/groups")" = 401
check "GET groups: 200" test "$(api /api/v1/groups)" = 200
check "groups lists the CLI's group with 2 members" jq_body '.groups[] | select(.name == "PETANI") | .members == 2'
check "GET events: 200" test "$(api /api/v1/events)" = 200
check "events lists TANI24" jq_body '.events[0].code == "TANI24" and .events[0].quota == 30 and .events[0].confirmed == 0'
check "PUT groups: 405 with Allow: GET, HEAD" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/groups)\" = 405 ] && curl -s -o /dev/null -D - -X PUT -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/groups | tr -d '\r' | grep -qx 'Allow: GET, HEAD'"
check "HEAD groups: 200" test "$(api /api/v1/groups -I)" = 200
check "POST broadcast without a token: 401" test "$(hc -d '{"to":"PETANI","text":"x"}' "http://127.0.0.1:$port/api/v1/broadcasts")" = 401
check "POST broadcast: 202" test "$(api /api/v1/broadcasts -d '{"to":"PETANI","text":"Rapat kelompok Kamis"}')" = 202
check "broadcast queued to 2" jq_body '.state == "queued" and .recipients == 2 and .target == "group:PETANI"'
bid=$(jq .id "$T/body")
check "the dummy modem sends the broadcast" wait_for 20 sh -c "'$KT' -c '$T/kt.conf' broadcast show $bid --json | jq -e '.sent == 2' >/dev/null"
check "the CLI shows it was made over HTTP" sh -c "'$KT' -c '$T/kt.conf' broadcast show $bid | grep -q 'by: *http'"
check "GET broadcasts has the progress" sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/broadcasts | jq '.broadcasts[0].progress.sent')\" = 2 ]"
check "POST scheduled broadcast: 202 scheduled" sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' -d '{\"to\":\"event:TANI24\",\"text\":\"Besok\",\"at\":\"2099-01-01 08:00\"}' http://127.0.0.1:$port/api/v1/broadcasts | jq -r .state)\" = scheduled ]"
check "broadcast to an unknown group: 400" test "$(api /api/v1/broadcasts -d '{"to":"NOPE","text":"x"}')" = 400
check "400 names the group" body_has 'no such group'
check "broadcast with a bad target: 400" test "$(api /api/v1/broadcasts -d '{"to":"event:","text":"x"}')" = 400
check "broadcast with a bad time: 400" test "$(api /api/v1/broadcasts -d '{"to":"PETANI","text":"x","at":"besok"}')" = 400
check "broadcast to numbers: 400" test "$(api /api/v1/broadcasts -d '{"to":"numbers","text":"x"}')" = 400
check "broadcast with an empty text: 400" test "$(api /api/v1/broadcasts -d '{"to":"PETANI","text":""}')" = 400
check "no broadcast made by the refusals" test "$(sql "SELECT count(*) FROM broadcasts")" = 2

# Malformed bodies: each a 400 with a message, none written, none a crash.
nprices=$(sql "SELECT count(*) FROM prices")
check "empty body: 400" test "$(api /api/v1/prices -X POST)" = 400
check "not JSON at all: 400" test "$(api /api/v1/prices -d 'commodity=CABAI&price=1')" = 400
check "trailing garbage: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":1} x')" = 400
check "duplicate key: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","commodity":"BAWANG","market":"KEDIRI","price":1}')" = 400
check "wrong type: 400" test "$(api /api/v1/prices -d '{"commodity":["CABAI"],"market":"KEDIRI","price":1}')" = 400
check "negative price: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":-5}')" = 400
check "huge price: 400" test "$(api /api/v1/prices -d '{"commodity":"CABAI","market":"KEDIRI","price":1e300}')" = 400
printf '{"commodity":"CAB\377AI","market":"KEDIRI","price":1}' > "$T/latin1.json"
check "invalid UTF-8: 400" test "$(api /api/v1/prices --data-binary @"$T/latin1.json")" = 400
printf '{"commodity":"CABAI\\u0000","market":"KEDIRI","price":1}' > "$T/nul.json"
check "NUL in a string: 400" test "$(api /api/v1/prices --data-binary @"$T/nul.json")" = 400
head -c 3000 /dev/zero | tr '\0' '[' > "$T/deep.json"
check "3000 nested arrays: 400" test "$(api /api/v1/prices --data-binary @"$T/deep.json")" = 400
check "message to a 1601-byte text: 400" test "$(api /api/v1/messages -d "{\"to\":\"081299990000\",\"text\":\"$(head -c 1601 /dev/zero | tr '\0' x)\"}")" = 400
check "nothing written by malformed bodies" test "$(sql "SELECT count(*) FROM prices")" = "$nprices"
check "oversize chunked body: 413" test "$(api /api/v1/prices -H 'Transfer-Encoding: chunked' --data-binary @"$T/big")" = 413
check "oversize broadcast body: 413" test "$(api /api/v1/broadcasts --data-binary @"$T/big")" = 413
head -c 10000 /dev/zero | tr '\0' 'h' > "$T/bighdr"
code=$(api /api/v1/prices -H "X-Big: $(cat "$T/bighdr")")
check "oversize headers refused ($code)" sh -c "[ '$code' = 400 ] || [ '$code' = 413 ] || [ '$code' = 431 ]"
check "still serving after the bad requests" test "$(api /api/v1/prices)" = 200
check "404 for the API root" test "$(api /api/v1)" = 404
check "404 for a path with ..: JSON error" sh -c "[ \"\$(curl -s -o '$T/body' -w '%{http_code}' --path-as-is -H 'Authorization: Bearer $TOKEN' 'http://127.0.0.1:$port/api/v1/../../etc/passwd')\" = 404 ] && grep -q '\"error\"' '$T/body'"
check "metrics count the 4xx answers" sh -c "curl -s http://127.0.0.1:$port/metrics | grep -Eq '^kentongan_http_responses_total\{code=\"4xx\"\} [1-9]'"
check "metrics: every TYPE has a HELP" sh -c "curl -s http://127.0.0.1:$port/metrics > '$T/m'; for m in \$(awk '/^# TYPE/ { print \$3 }' '$T/m'); do grep -q \"^# HELP \$m \" '$T/m' || exit 1; done"
check "metrics: counters end in _total, histograms have buckets" sh -c "! awk '/^# TYPE/ && \$4 == \"counter\" && \$3 !~ /_total\$/' '$T/m' | grep -q . && awk '/^# TYPE/ && \$4 == \"histogram\" { print \$3 }' '$T/m' | while read h; do grep -q \"^\${h}_bucket{le=\" '$T/m' || exit 1; done"
check "kentongan status sees the running daemon" sh -c "'$KT' -c '$T/kt.conf' status --json | jq -e '.daemon.running and .modems_up == 1' >/dev/null"

# The modem goes away (reload without it): /healthz says so.
http_conf "$port" ""
kill -HUP "$daemon_pid"
check "reload applied" wait_for 10 grep -q "configuration reloaded" "$T/daemon.log"
check "healthz: 503 without a modem" test "$(hc "http://127.0.0.1:$port/healthz")" = 503
check "503 body says why" body_has '"problems":\["no modems configured"\]'
check "that reload said nothing about the listener" sh -c "! grep -q 'take effect after a restart' '$T/daemon.log'"

# A reload that moves the listener says it needs a restart, and keeps it.
http_conf "$((port + 500))" ""
kill -HUP "$daemon_pid"
check "a new listen address: the reload says a restart applies it" wait_for 10 grep -q "reload: the http group's listen, max_body and TLS settings take effect after a restart" "$T/daemon.log"
check "and the old listener still answers" test "$(hc "http://127.0.0.1:$port/healthz")" = 503

check "SIGTERM stops cleanly" stop_daemon
finish
