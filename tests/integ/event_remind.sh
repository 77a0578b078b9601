#!/bin/sh
# event remind through the daemon and gammu's dummy phone: an event with
# a quota of three, four registrations by SMS (one waitlisted), one
# confirmed person who sent BERHENTI, one who reads English.  The
# reminder reaches the two confirmed who take SMS, each in their language
# with the title, date and time, and place, and nobody else; the event
# records when and to how many; a second one at once is refused with when
# the last went, and --force sends it; an event whose day is over and one
# without anyone confirmed are refused; an unknown code is not found.
. "$(dirname "$0")/lib.sh"

kt() { "$KT" -c "$T/kt.conf" "$@"; }
count() { sql "SELECT COUNT(*) FROM outbox WHERE $1"; }
reminders() { count "text LIKE 'Jangan lupa:%' OR text LIKE 'Reminder:%'"; }
sent() { [ "$(count "(text LIKE 'Jangan lupa:%' OR text LIKE 'Reminder:%') AND state = 'sent'")" = "$1" ]; }
DAY=$(date -d '+7 days' +%Y-%m-%d)
WHEN_ID=$(LC_ALL=C date -d '+7 days' +%-d)

write_conf "$(dummy_modem demo)"
kt event create TANI24 "Pelatihan pupuk" --quota 3 --date "$DAY 08:00" --place "Balai desa" >/dev/null
kt event create KOSONG "Belum ada peserta" --quota 5 >/dev/null
kt event create LALU "Sudah lewat" --quota 5 >/dev/null
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo
kt phone 081200000001 "DAFTAR TANI24 Ani" >/dev/null
kt phone 081200000002 "BAHASA EN" >/dev/null
kt phone 081200000002 "REG TANI24 Budi" >/dev/null
kt phone 081200000003 "DAFTAR TANI24 Citra" >/dev/null
kt phone 081200000004 "DAFTAR TANI24 Dedi" >/dev/null
kt phone 081200000003 "BERHENTI" >/dev/null
kt phone 081200000005 "DAFTAR LALU Eko" >/dev/null
sql "UPDATE events SET event_date = date('now', 'localtime', '-1 day') WHERE code = 'LALU'"
check "three confirmed and one waitlisted" test "$(sql "SELECT group_concat(status, ' ') FROM (SELECT r.status FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.code = 'TANI24' ORDER BY r.id)")" = "confirmed confirmed confirmed waitlisted"
before=$(count "1")

out=$(kt event remind TANI24)
check "event remind queues two and says one opted out: $out" test "$out" = "event TANI24: 2 reminders queued (1 opted out, not sent)"
check "both reach the modem" wait_for 20 sent 2
id_text=$(sql "SELECT text FROM outbox WHERE recipient = '+6281200000001' ORDER BY id DESC LIMIT 1")
en_text=$(sql "SELECT text FROM outbox WHERE recipient = '+6281200000002' ORDER BY id DESC LIMIT 1")
check "in Indonesian with title, date and time, place: $id_text" sh -c "echo '$id_text' | grep -q '^Jangan lupa: Pelatihan pupuk (TANI24) ... $WHEN_ID ... 08\.00 Balai desa\. Batal: BATAL TANI24$'"
check "in English for who chose it: $en_text" sh -c "echo '$en_text' | grep -q '^Reminder: Pelatihan pupuk (TANI24) ... $WHEN_ID ... 08:00 Balai desa\. Cancel: CANCEL TANI24$'"
check "each fits one SMS" test "${#id_text}" -le 160 -a "${#en_text}" -le 160
check "not to the opted-out nor the waitlisted" test "$(count "recipient IN ('+6281200000003', '+6281200000004') AND id > $before AND (text LIKE 'Jangan%' OR text LIKE 'Reminder%')")" = 0
check "queued as the CLI's, at broadcast priority" test "$(sql "SELECT group_concat(DISTINCT created_by || '/' || priority) FROM outbox WHERE text LIKE 'Jangan lupa:%' OR text LIKE 'Reminder:%'")" = "cli/2"
check "the event records when and to how many" test "$(sql "SELECT reminded, reminded_at BETWEEN strftime('%s','now') - 60 AND strftime('%s','now') FROM events WHERE code = 'TANI24'")" = "2|1"
check "and the audit log" test "$(sql "SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE action = 'event remind'")" = "cli event remind TANI24: 2 sent, 1 opted out"

err=$(kt event remind TANI24 2>&1); rc=$?
check "a second reminder at once is refused (exit 1): $err" test "$rc" = 1
check "... saying when the last one went" sh -c "echo '$err' | grep -q 'was reminded at $(date +%Y-%m-%d) [0-9][0-9]:[0-9][0-9] (2 people); remind again only on purpose (--force)'"
check "... and nothing more is queued" test "$(reminders)" = 2
out=$(kt event remind TANI24 --force)
check "--force sends it again" test "$out" = "event TANI24: 2 reminders queued (1 opted out, not sent)"
check "... to the modem" wait_for 20 sent 4

err=$(kt event remind LALU 2>&1); rc=$?
check "an event whose day is over is refused: $err" sh -c "[ $rc = 1 ] && echo '$err' | grep -q 'event LALU was on .*: too late to remind'"
err=$(kt event remind KOSONG 2>&1); rc=$?
check "an event with nobody confirmed is refused: $err" sh -c "[ $rc = 1 ] && echo '$err' | grep -q 'event KOSONG has no confirmed registrant who takes SMS'"
check "neither is recorded" test "$(sql "SELECT count(*) FROM events WHERE reminded_at IS NOT NULL")" = 1
kt event remind NOPE 2>/dev/null
check "an unknown event is not found (exit 3)" test $? = 3
kt event remind 2>/dev/null
check "no code is a usage error (exit 2)" test $? = 2
check "event show still lists it" sh -c "'$KT' -c '$T/kt.conf' event show TANI24 | grep -q '^TANI24'"
check "SIGTERM stops cleanly" stop_daemon
finish
