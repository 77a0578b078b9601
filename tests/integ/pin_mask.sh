#!/bin/sh
# An admin's SIAR PIN is never kept: the inbox stores "SIAR **** ...", and
# inbox list, inbox show and /api/v1/inbox show it so; the broadcast is
# still sent (the PIN was checked on the text as it came).  A SIAR in
# several parts too: its parts are blanked once the message is whole.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
PIN=8642097
port=$((21000 + $$ % 1000))
write_conf "$(dummy_modem demo)"
cat >> "$T/kt.conf" <<CONF
admins = ( { phone = "0811222333"; pin = "$PIN"; } );
http = { listen = "127.0.0.1:$port"; token = "$TOKEN"; };
CONF
kt() { "$KT" -c "$T/kt.conf" "$@"; }
kt contact add 081234500001 --group PETANI >/dev/null

chmod 644 "$T/kt.conf"
check "daemon starts" start_daemon
check "it warns that the configuration with the PIN is readable by all" grep -q "kt.conf holds tokens or PINs and every user can read it" "$T/daemon.log"
check "dummy modem comes up" wait_for 20 modem_up demo
reply=$(kt phone 0811222333 "SIAR $PIN PETANI rapat kelompok")
check "the right PIN broadcasts" sh -c "echo '$reply' | grep -q '1 nomor'"
reply=$(kt phone 0811222333 "bc,$PIN semua halo")
check "BC with a comma broadcasts too" sh -c "echo '$reply' | grep -q 'dikirim ke 2 nomor'"
kt phone 0811222333 "SIAR 1111 PETANI salah" >/dev/null
check "inbox keeps SIAR **** PETANI ..." test "$(sql "SELECT text FROM inbox WHERE text LIKE 'SIAR%' ORDER BY id LIMIT 1")" = "SIAR **** PETANI rapat kelompok"
check "and bc,**** semua ..." test "$(sql "SELECT count(*) FROM inbox WHERE text = 'bc,**** semua halo'")" = 1
# A SIAR long enough to come in three parts: each part waits in
# inbox_parts until the set is whole; then the row is masked and the
# parts are blanked.
long="SIAR $PIN PETANI Pertemuan kelompok tani hari Sabtu pukul 09.00 di balai desa Sukamaju membahas pupuk bersubsidi, jadwal tanam musim hujan, harga gabah, pembagian bibit cabai dan rencana pelatihan bersama penyuluh dari dinas pertanian kabupaten minggu depan. Mohon hadir tepat waktu dan membawa kartu tani masing-masing ya."
kt phone 0811222333 "$long" >/dev/null
check "the long SIAR came in more than one part" test "$(sql "SELECT parts FROM inbox WHERE text LIKE 'SIAR **** PETANI Pertemuan%'")" -ge 2
check "its row is masked" test "$(sql "SELECT count(*) FROM inbox WHERE text LIKE 'SIAR **** PETANI Pertemuan kelompok%'")" = 1
check "its parts are kept" test "$(sql "SELECT count(*) FROM inbox_parts p JOIN inbox i ON i.id = p.inbox_id WHERE i.text LIKE 'SIAR **** PETANI Pertemuan%'")" -ge 2
check "... blanked" test "$(sql "SELECT count(*) FROM inbox_parts p JOIN inbox i ON i.id = p.inbox_id WHERE i.text LIKE 'SIAR **** PETANI Pertemuan%' AND p.text != ''")" = 0
# Written so that only the normalised text reads SIAR: a zero-width
# space inside the keyword, fullwidth letters.
kt phone 0811222333 "$(printf 'SI\342\200\213AR') $PIN PETANI zero width" >/dev/null
kt phone 0811222333 "$(printf '\357\274\263\357\274\251\357\274\241\357\274\262') $PIN PETANI fullwidth" >/dev/null
check "a SIAR with a zero-width space is masked" test "$(sql "SELECT count(*) FROM inbox WHERE text = 'SIAR **** PETANI zero width'")" = 1
check "a SIAR in fullwidth letters is masked" test "$(sql "SELECT count(*) FROM inbox WHERE text = 'SIAR **** PETANI fullwidth'")" = 1
check "a wrong PIN is masked too" test "$(sql "SELECT count(*) FROM inbox WHERE text = 'SIAR **** PETANI salah'")" = 1
check "no PIN in any inbox text" test "$(sql "SELECT count(*) FROM inbox WHERE text LIKE '%$PIN%'") $(sql "SELECT count(*) FROM inbox_parts WHERE text LIKE '%$PIN%'")" = "0 0"
check "inbox list shows it masked" sh -c "'$KT' -c '$T/kt.conf' inbox list | grep -q 'SIAR \*\*\*\* PETANI' && ! '$KT' -c '$T/kt.conf' inbox list | grep -q '$PIN'"
check "/api/v1/inbox shows it masked" sh -c "curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/inbox | grep -q 'SIAR \*\*\*\* PETANI' && ! curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$port/api/v1/inbox | grep -q '$PIN'"
check "SIGTERM stops cleanly" stop_daemon
check "the PIN is nowhere in the database files" sh -c "! cat '$T'/kt.db* | grep -aq '$PIN'"
finish
