#!/bin/sh
# Questions to experts through the daemon and gammu's dummy phone: TANYA
# tagged by commodity or topic word, forwarded to that topic's experts
# only, answered by SMS with JAWAB, delivered to the farmer and closed
# (the next expert's answer refused); a question without a topic goes to
# every expert; staff answer from the CLI and publish as INFO in one step;
# a ticket unanswered for question_overdue_after (2 s here) is raised.
. "$(dirname "$0")/lib.sh"

kt() { "$KT" -c "$T/kt.conf" "$@"; }
count() { sql "SELECT COUNT(*) FROM outbox WHERE $1"; }
FARMER=+6281200000001
E1=+6281300000001; E2=+6281300000002; E3=+6281300000003
got() { # got PHONE TEXT: one message with exactly TEXT was sent to PHONE
	[ "$(count "recipient = '$1' AND text = '$2' AND state = 'sent'")" = 1 ]
}
overdue() { kt question list | grep -q "^$1	overdue	"; }

write_conf "$(dummy_modem demo)"
echo "question_overdue_after = 2;" >> "$T/kt.conf"
kt price set CABAI KEDIRI 45000 kg >/dev/null
check "expert add with topics" sh -c "'$KT' -c '$T/kt.conf' expert add 081300000001 --topic CABAI --topic cabai | grep -q '1 topic added'"
kt expert add 081300000002 --topic PUPUK >/dev/null
kt expert add 081300000003 --topic CABAI >/dev/null
check "expert list" test "$(kt expert list | grep -c '^+62813')" = 3
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo

r=$(kt phone 081200000001 "TANYA cabe daun keriting obatnya apa")
check "TANYA is acknowledged with a ticket" sh -c "echo '$r' | grep -q 'dicatat, nomor 1\.'"
fwd="TANYA 1 CABAI: cabe daun keriting obatnya apa -- Balas: JAWAB 1 <jawaban>"
check "forwarded to the first CABAI expert" wait_for 20 got $E1 "$fwd"
check "and to the second" wait_for 20 got $E3 "$fwd"
check "not to the PUPUK expert" test "$(count "recipient = '$E2'")" = 0
check "in the needs-a-person queue" test "$(sql "SELECT needs_person FROM inbox WHERE sender = '$FARMER'")" = 1
r=$(kt phone 081300000001 "JAWAB 1 Semprot fungisida, cabut daun yang sakit")
check "the expert is thanked" sh -c "echo '$r' | grep -q 'jawaban 1 dikirim'"
check "the answer reaches the farmer" wait_for 20 got $FARMER "Jawaban pertanyaan 1: Semprot fungisida, cabut daun yang sakit"
check "the ticket is closed" test "$(sql "SELECT state || ' ' || answered_by FROM questions WHERE id = 1")" = "answered $E1"
check "and leaves the queue" test "$(sql "SELECT needs_person FROM inbox WHERE sender = '$FARMER'")" = 0
r=$(kt phone 081300000003 "JAWAB 1 Pakai pestisida nabati")
check "a second expert's answer is refused" sh -c "echo '$r' | grep -q 'sudah dijawab'"
check "the farmer got one answer" test "$(count "recipient = '$FARMER' AND text LIKE 'Jawaban pertanyaan 1:%'")" = 1
r=$(kt phone 081200000009 "JAWAB 1 coba")
check "JAWAB from a farmer is refused" sh -c "echo '$r' | grep -q 'hanya untuk penyuluh'"
r=$(kt phone 081300000001 "JAWAB 99 coba")
check "JAWAB to no such ticket" sh -c "echo '$r' | grep -q 'Tidak ada pertanyaan nomor 99'"
r=$(kt phone 081200000001 "TANYA")
check "TANYA alone gets the usage" sh -c "echo '$r' | grep -q 'Kirim TANYA'"

r=$(kt phone 081200000002 "tanya kapan pupuk urea diberikan")
check "a topic word tags the question" test "$(sql "SELECT topic FROM questions WHERE id = 2")" = PUPUK
check "forwarded to the PUPUK expert only" wait_for 20 got $E2 "TANYA 2 PUPUK: kapan pupuk urea diberikan -- Balas: JAWAB 2 <jawaban>"
check "not to the CABAI experts" test "$(count "text LIKE 'TANYA 2 %' AND recipient <> '$E2'")" = 0
r=$(kt phone 081200000003 "ASK how do I register")
check "ASK in English" sh -c "echo '$r' | grep -q 'recorded, number 3'"
check "no topic: to every expert" wait_for 20 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM outbox WHERE text LIKE 'TANYA 3 -:%'\")\" = 3 ]"
check "unanswered tickets are raised" wait_for 20 overdue 3
check "question list --open" test "$(kt question list --open | grep -c '^[0-9]')" = 2
check "staff answer and publish" sh -c "'$KT' -c '$T/kt.conf' question answer 2 'Dua kali semusim, 100 kg/ha' --publish PUPUK | grep -q 'published as INFO PUPUK'"
check "the staff answer reaches the farmer" wait_for 20 got +6281200000002 "Jawaban pertanyaan 2: Dua kali semusim, 100 kg/ha"
r=$(kt phone 081200000004 "INFO PUPUK")
check "INFO PUPUK has the question and answer" sh -c "echo '$r' | grep -q 'T: kapan pupuk urea diberikan J: Dua kali semusim'"
check "answering twice is refused" sh -c "! '$KT' -c '$T/kt.conf' question answer 2 again 2>/dev/null"
check "publishing an open ticket is refused" sh -c "! '$KT' -c '$T/kt.conf' question publish 3 DAFTAR 2>/dev/null"
check "expert remove" sh -c "'$KT' -c '$T/kt.conf' expert remove 081300000002 >/dev/null && [ \$('$KT' -c '$T/kt.conf' expert list | grep -c '^+62813') = 2 ]"
check "daemon stops cleanly" stop_daemon
finish
