#!/bin/sh
# Polls and surveys through the daemon and gammu's dummy phone: a poll
# to a group of 20 answered with mixed spellings ("1", "ya", "YA pak",
# "gak", "2.", the code first) and tallied; a keyword still answered for
# someone with an open poll; a three-question survey completed by some,
# answered off-option by one (asked again once), abandoned by one
# (reminded once, survey_remind_after = 10 s); results, export and close
# from the CLI and the HTTP API; an event's feedback survey sent by itself
# after the event.  The 20 answers arrive at once (one `kentongan phone` each,
# in parallel).
. "$(dirname "$0")/lib.sh"

kt() { "$KT" -c "$T/kt.conf" "$@"; }
count() { sql "SELECT COUNT(*) FROM outbox WHERE $1"; }
sent_all() { [ "$(count "broadcast_id = $1 AND state = 'sent'")" = "$2" ]; }
answers() { sql "SELECT COUNT(*) FROM poll_answers a JOIN poll_questions q ON q.id = a.question_id JOIN polls p ON p.id = q.poll_id WHERE p.code = '$1'"; }
to() { sql "SELECT text FROM outbox WHERE recipient = '$1' ORDER BY id DESC LIMIT 1"; }
reminders() { count "recipient = '$1' AND text LIKE 'Pengingat:%'"; }
num() { echo "+628120000$(printf %04d "$1")"; }
ask() { # ask N TEXT [TAG]: farmer N (1..24) texts; the reply is in $T/reply.NTAG
	"$KT" -c "$T/kt.conf" phone "$(num "$1")" "$2" > "$T/reply.$1${3:-}" 2>&1
}
reminded() { # reminded N CONDITION: farmer N got one reminder whose text fits
	[ "$(count "recipient = '$(num "$1")' AND text $2")" = 1 ]
}
not_yet() { ! wait_for 4 umpan_open; }
more_reminders() { [ "$(count "text LIKE 'Pengingat:%'")" -gt 2 ]; }
no_second_reminder() { ! wait_for 15 more_reminders; }

TOKEN=test-token-polls-0123456789
polls_conf() { # polls_conf PORT
	write_conf "$(dummy_modem demo)"
	cat >> "$T/kt.conf" <<CONF
survey_remind_after = 10;
http = { listen = "127.0.0.1:$1"; token = "$TOKEN"; };
CONF
}
api() { # api PATH: an authorised GET; the status, the body in $T/body
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$1"
}
port=$((19000 + $$ % 500))
polls_conf $port
kt price set CABAI KEDIRI 45000 kg >/dev/null
sql "INSERT INTO contacts (phone, created_at, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
     WHERE i < 24) SELECT printf('+628120000%04d', i), 0, 0 FROM n;
     INSERT INTO groups (name, created_at) VALUES ('PETANI', 0), ('PESERTA', 0);
     INSERT INTO group_members SELECT 1, id, 0 FROM contacts WHERE id <= 20;
     INSERT INTO group_members SELECT 2, id, 0 FROM contacts WHERE id > 20;"

check "poll create" sh -c "'$KT' -c '$T/kt.conf' poll create PUPUK 'Apakah harga pupuk naik di desa Anda?' --option 1=Ya --option 2=Tidak | grep -q 'question 1 added'"
check "a poll with one option is refused" sh -c "! '$KT' -c '$T/kt.conf' poll create X1 'Q?' --option 1=Ya 2>/dev/null"
check "a second question on a poll is refused" sh -c "! '$KT' -c '$T/kt.conf' survey question add PUPUK 'Lagi?' 2>/dev/null"
check "sending to no such group is not found" sh -c "'$KT' -c '$T/kt.conf' poll send PUPUK --to group:NOPE 2>/dev/null; [ \$? -eq 3 ]"
check "daemon starts" start_on_free_port $port polls_conf
check "dummy modem comes up" wait_for 20 modem_up demo
out=$(kt poll send PUPUK --to group:PETANI)
check "poll send queues 20" sh -c "echo '$out' | grep -q '20 recipients queued'"
bid=$(echo "$out" | sed -n 's/.*broadcast \([0-9]*\) .*/\1/p')
check "the 20 questions are sent" wait_for 20 sent_all "${bid:-0}" 20
check "the question names its code and options" test "$(to "$(num 1)")" = "PUPUK: Apakah harga pupuk naik di desa Anda? (1=Ya, 2=Tidak)"
check "the poll is open once sent" test "$(sql "SELECT state FROM polls WHERE code = 'PUPUK'")" = open

# A keyword still works with an open poll, and leaves the poll open.
ask 20 "HARGA CABAI"
check "HARGA CABAI with an open poll gets the price" grep -q "45.000" "$T/reply.20"
# An answer that fits no option gets the question again, once.
ask 19 "entahlah"
check "no option fits: the question again" grep -q "Maaf, jawaban tidak dikenali. PUPUK: .*1=Ya" "$T/reply.19"
# "terima kasih" is a thank-you, not an answer.
ask 18 "terima kasih"
check "a thank-you is not an answer" grep -q "no reply" "$T/reply.18"

i=0; pids=""
for a in "1" "ya" "YA pak" "iya" "y" "1." "PUPUK 1" "Iya bu" "yes" "Ya" \
    "inggih" "tidak" "tdk" "gak" "2." "2" "PUPUK tidak" "nggak" "2" "1 pak"; do
	i=$((i + 1))
	ask $i "$a" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
check "20 answers stored" test "$(answers PUPUK)" = 20
check "each answerer thanked" sh -c "grep -l 'jawaban Anda untuk PUPUK sudah dicatat' '$T'/reply.* | wc -l | grep -qx 20"
check "12 Ya" test "$(sql "SELECT COUNT(*) FROM poll_answers WHERE option_key = '1'")" = 12
check "8 Tidak" test "$(sql "SELECT COUNT(*) FROM poll_answers WHERE option_key = '2'")" = 8
res=$(kt poll results PUPUK)
check "results: counts and percentages" sh -c "echo '$res' | grep -q '1=Ya .* 12  60.0%' && echo '$res' | grep -q '2=Tidak .* 8  40.0%'"
check "results: 20 asked, 20 answered" sh -c "echo '$res' | grep -q '20 asked, 20 answered it'"
check "results --json" sh -c "'$KT' -c '$T/kt.conf' --json poll results PUPUK | grep -q '\"count\": 12'"
check "GET /api/v1/polls" sh -c "[ \"\$(curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/polls)\" = '{\"polls\":[{\"code\":\"PUPUK\",\"kind\":\"poll\",\"title\":\"\",\"state\":\"open\",\"questions\":1,\"asked\":20,\"completed\":20,\"created_at\":'\"\$(sqlite3 '$T/kt.db' 'SELECT created_at FROM polls')\"'}]}' ]"
check "GET /api/v1/polls/PUPUK/results" test "$(api /api/v1/polls/PUPUK/results)" = 200
check "results: the counts as JSON" grep -q '"key":"1","label":"Ya","count":12},{"key":"2","label":"Tidak","count":8}' "$T/body"
check "results: no such poll is 404" test "$(api /api/v1/polls/NOPE/results)" = 404
check "results: a bad path is 404" test "$(api /api/v1/polls/PUPUK/other)" = 404
check "results: without the token 401" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/polls/PUPUK/results")" = 401
kt poll export PUPUK "$T/pupuk.csv" >/dev/null 2>&1
check "export: a header and 20 rows" test "$(wc -l < "$T/pupuk.csv")" = 21
check "export: phone, option and label" grep -q "^+62 812-0000-0020,.*,1,1,Ya,1 pak," "$T/pupuk.csv"
# Answered: a later "1" is no answer; after close neither.
ask 3 "2"
check "an answered poll takes no second answer" grep -q 'tidak dikenal' "$T/reply.3"
check "and the first answer stays" test "$(sql "SELECT option_key FROM poll_answers WHERE contact_id = 3")" = 1
check "poll close" sh -c "'$KT' -c '$T/kt.conf' poll close PUPUK | grep -q closed"

# A survey of three questions to 4 people.
kt survey create LATIH "Umpan balik pelatihan" >/dev/null
kt survey question add LATIH "Bagaimana pelatihannya?" --option 1=Baik --option 2=Cukup --option 3=Kurang >/dev/null
kt survey question add LATIH "Apa yang paling berguna?" >/dev/null
check "third question added" sh -c "'$KT' -c '$T/kt.conf' survey question add LATIH 'Mau ikut lagi?' --option 1=Ya --option 2=Tidak | grep -q 'question 3 added'"
out=$(kt survey send LATIH --to group:PESERTA)
bid=$(echo "$out" | sed -n 's/.*broadcast \([0-9]*\) .*/\1/p')
check "survey sent to 4" wait_for 20 sent_all "${bid:-0}" 4
check "no question added once sent" sh -c "! '$KT' -c '$T/kt.conf' survey question add LATIH 'Lagi?' 2>/dev/null"
# 21 completes; 22 answers off-option first; 23 stops after one; 24
# never answers.  The three answer at once, each in order.
( ask 21 "1" a; ask 21 "Cara membuat pupuk organik" b; ask 21 "iya" c ) &
p1=$!
( ask 22 "lumayan lah" a; ask 22 "lumayan saja" b; ask 22 "Praktik di sawah" c
  ask 22 "LATIH 2" d ) &
p2=$!
ask 23 "Kurang" a
wait $p1 $p2
check "answer 1 brings question 2" grep -q "^LATIH: Apa yang paling berguna?$" "$T/reply.21a"
check "free text brings question 3" grep -q "LATIH: Mau ikut lagi? (1=Ya, 2=Tidak)" "$T/reply.21b"
check "the last answer is thanked" grep -q "untuk LATIH sudah dicatat" "$T/reply.21c"
check "off-option: question 1 again" grep -q "Maaf, jawaban tidak dikenali. LATIH: Bagaimana" "$T/reply.22a"
check "off-option twice: kept as text, question 2 next" grep -q "^LATIH: Apa yang paling berguna?$" "$T/reply.22b"
check "the code first answers too; 22 completes" grep -q "untuk LATIH sudah dicatat" "$T/reply.22d"
check "a label is an answer too" grep -q "^LATIH: Apa yang paling berguna?$" "$T/reply.23a"
check "23 is reminded of question 2" wait_for 30 reminded 23 "= 'Pengingat: LATIH: Apa yang paling berguna?'"
check "24 is reminded of question 1" wait_for 30 reminded 24 "LIKE 'Pengingat: LATIH: Bagaimana%'"
check "and only once (none more in 1.5 reminder times)" no_second_reminder
check "who completed was not reminded" test "$(reminders "$(num 21)")$(reminders "$(num 22)")" = 00
res=$(kt survey results LATIH)
check "survey results: 4 asked, 2 completed, 2 reminded" sh -c "echo '$res' | grep -q '4 asked, 2 answered all, 2 reminded'"
check "survey results: question 1 tally with other" sh -c "echo '$res' | grep -q '1=Baik .* 1  33.3%' && echo '$res' | grep -q '3=Kurang .* 1  33.3%' && echo '$res' | grep -q '(other) .* 1  33.3%'"
check "survey results: the free answers" sh -c "echo '$res' | grep -q 'Cara membuat pupuk organik' && echo '$res' | grep -q 'lumayan saja'"
check "survey results: question 3, 2 Ya" sh -c "echo '$res' | grep -q '1=Ya .* 1  50.0%' && echo '$res' | grep -q '2=Tidak .* 1  50.0%'"
# An event's feedback survey goes by itself after the event, to the
# confirmed participants only.
kt event create TANI24 "Pelatihan pupuk" --quota 2 --date "$(date -d '+2 days' +%Y-%m-%d) 08:00" >/dev/null
kt survey create UMPAN >/dev/null
kt survey question add UMPAN "Apakah pelatihan berguna?" --option 1=Ya --option 2=Tidak >/dev/null
check "event set --survey --survey-after" sh -c "'$KT' -c '$T/kt.conf' event set TANI24 --survey UMPAN --survey-after 3h | grep -q '180 min after'"
check "a bad delay is refused" sh -c "! '$KT' -c '$T/kt.conf' event set TANI24 --survey UMPAN --survey-after 3x 2>/dev/null"
check "a survey that was sent is refused" sh -c "! '$KT' -c '$T/kt.conf' event set TANI24 --survey LATIH 2>/dev/null"
sql "INSERT INTO registrations (event_id, contact_id, status, created_at, updated_at)
     SELECT e.id, c.id, CASE WHEN c.id < 23 THEN 'confirmed' ELSE 'waitlisted' END, 0, 0
     FROM events e, contacts c WHERE e.code = 'TANI24' AND c.id IN (21, 22, 23)"
umpan_open() { [ "$(sql "SELECT state FROM polls WHERE code = 'UMPAN'")" = open ]; }
check "not before the event" not_yet
sql "UPDATE events SET event_date = strftime('%Y-%m-%d %H:%M', 'now', 'localtime', '-181 minutes') WHERE code = 'TANI24'"
check "sent once the event is 3 h past" wait_for 30 umpan_open
check "to the 2 confirmed, not the waitlisted" test "$(count "text LIKE 'UMPAN: Apakah pelatihan berguna?%' AND recipient IN ('$(num 21)', '$(num 22)')")$(count "text LIKE 'UMPAN:%'")" = 22
check "poll list shows all three" test "$(kt poll list | grep -c -E '^(PUPUK|LATIH|UMPAN)')" = 3
check "daemon stops cleanly" stop_daemon
finish
