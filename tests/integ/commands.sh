#!/bin/sh
# Whole conversations through the daemon and gammu's dummy phone: the
# keyword commands, both languages, quota/waitlist/cancel/promotion,
# alerts fan-out on a price update, opt-out honoured, reporter approval,
# the loop guard, and the admin CLI around them.
. "$(dirname "$0")/lib.sh"

write_conf "$(dummy_modem demo)"
echo "reply_limit = 30; repeat_limit = 2;" >> "$T/kt.conf"
kt() { "$KT" -c "$T/kt.conf" "$@"; }
say() { kt phone "$1" "$2"; }	# say NUMBER TEXT: the reply that was sent
has() { case $1 in *"$2"*) return 0 ;; esac; echo "    got: $1"; return 1; }

kt price set CABAI KEDIRI 43000 kg --date 2026-11-20 >/dev/null
kt price set CABAI KEDIRI 45.000 >/dev/null
kt info set PUPUK "Pupuk urea 2x per musim." >/dev/null
kt info set PUPUK "Urea twice a season." --lang en >/dev/null
kt group create PETANI "Kelompok tani" >/dev/null
kt event create TANI24 "Pelatihan pupuk" --quota 1 --date 2026-12-05 --place "Balai desa" >/dev/null
kt reporter add 0819000001 >/dev/null
check "config with the new settings is valid" "$KTD" -c "$T/kt.conf" -n
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo

check "HARGA" has "$(say 081200000001 'HARGA CABAI KEDIRI')" "Rp45.000/kg (+5%)"
check "help in Indonesian" has "$(say 081200000001 '?')" "LANGGANAN"
check "LANGGANAN" has "$(say 081200000001 'LANGGANAN CABAI')" "semua pasar"
check "LANG EN" has "$(say 081200000002 'LANG EN')" "English"
check "SUB in English" has "$(say 081200000002 'SUB CABAI KEDIRI')" "prices in KEDIRI"
check "SUB with a typo" has "$(say 081200000003 'langganan cabia kedri')" "CABAI di KEDIRI"
check "BERHENTI" has "$(say 081200000003 'BERHENTI')" "MULAI"

# Alerts: set from the CLI, queued for the two subscribers still in.
out=$(kt price set CABAI KEDIRI 46000)
check "price set reports the alerts" has "$out" "2 alert(s) queued"
check "alerts sent to subscribers" wait_for 20 sh -c "[ \$(sqlite3 '$T/kt.db' \"SELECT COUNT(*) FROM outbox WHERE priority = 1 AND state = 'sent'\") -eq 2 ]"
check "opted-out subscriber got none" test "$(sql "SELECT COUNT(*) FROM outbox WHERE recipient = '+6281200000003' AND priority = 1")" = 0
check "English alert" test "$(sql "SELECT COUNT(*) FROM outbox WHERE recipient = '+6281200000002' AND text LIKE 'New price CABAI%'")" = 1

check "INFO list" has "$(say 081200000001 'INFO')" "PUPUK"
check "INFO page" has "$(say 081200000001 'info pupuk')" "Pupuk urea"
check "BAHASA EN" has "$(say 081200000001 'BAHASA EN')" "English"
check "INFO in English" has "$(say 081200000001 'INFO PUPUK')" "Urea twice"
check "LANG ID" has "$(say 081200000001 'LANG ID')" "Bahasa Indonesia"
check "DAFTAR name#village" has "$(say 081200000001 'DAFTAR Budi Santoso#Sukamaju')" "Selamat datang, Budi Santoso"
check "GABUNG" has "$(say 081200000001 'GABUNG PETANI')" "bergabung"
check "group show lists the member" has "$(kt group show PETANI)" "Budi Santoso"
check "KELUAR" has "$(say 081200000001 'KELUAR PETANI')" "keluar"

# Events: quota 1, a waitlist, promotion on cancel with a text.
check "DAFTAR event" has "$(say 081200000001 'DAFTAR TANI24')" "Terdaftar: Pelatihan pupuk"
check "second is waitlisted" has "$(say 081200000004 'DAFTAR TANI24 Siti Aminah')" "daftar tunggu no. 1"
check "BATAL" has "$(say 081200000001 'BATAL TANI24')" "dibatalkan"
check "promoted person is texted" wait_for 20 sh -c "sqlite3 '$T/kt.db' \"SELECT text FROM outbox WHERE recipient = '+6281200000004' AND state = 'sent'\" | grep -q 'Ada tempat'"
csv=$(kt event export TANI24)
check "export is CSV with the promoted person confirmed" has "$csv" "TANI24,confirmed,+62 812-0000-0004,Siti Aminah"
kt event close TANI24 >/dev/null
check "closed event refuses" has "$(say 081200000005 'DAFTAR TANI24')" "ditutup"

# Field reports: refused for others, published or held.
check "LAPOR refused for non-reporters" has "$(say 081200000001 'LAPOR CABAI KEDIRI 47000')" "hanya pelapor"
check "LAPOR published" has "$(say 0819000001 'LAPOR CABAI KEDIRI Rp 47.000')" "dicatat"
check "LAPOR far off is held" has "$(say 0819000001 'LAPOR CABAI KEDIRI 470rb')" "menunggu cek admin"
id=$(sql "SELECT id FROM prices WHERE status = 'pending'")
check "held price not published" has "$(say 081200000006 'HARGA CABAI KEDIRI')" "Rp47.000"
check "price approve publishes" has "$(kt price approve "$id")" "published"
check "approved price is the latest" has "$(say 081200000006 'HARGA CABAI KEDIRI ')" "Rp470.000"
kt price reject "$id" >/dev/null 2>&1; rc=$?
check "rejecting a published price: not found" test $rc -eq 3

# Loop guard: a third identical text gets no reply.
say 081200000007 "Saya sedang sibuk" >/dev/null
say 081200000007 "Saya sedang sibuk" >/dev/null
kt phone 081200000007 "Saya sedang sibuk" >/dev/null 2>&1
check "third identical text is not answered" wait_for 10 sh -c "sqlite3 '$T/kt.db' \"SELECT note FROM inbox WHERE sender LIKE '%81200000007' ORDER BY id DESC LIMIT 1\" | grep -q 'same text 3 times'"
check "contact list shows contacts" has "$(kt contact list)" "+6281200000004"
check "contact show" has "$(kt contact show 081200000002)" "subscription	CABAI KEDIRI"

check "SIGTERM stops cleanly" stop_daemon
finish
