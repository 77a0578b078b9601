#!/bin/sh
# CSV import and export of prices, contacts and info pages: spreadsheet
# files with a BOM and semicolons, bad files (each bad row named by line,
# nothing written), --skip-bad, re-imports, and exports that import back
# the same.
. "$(dirname "$0")/lib.sh"

write_conf ""
kt() { "$KT" -c "$T/kt.conf" "$@"; }
nprices() { sql "SELECT count(*) FROM prices"; }

# An Indonesian-locale spreadsheet: BOM, ';', Indonesian headers in mixed
# case and another order, quoted fields, CRLF, a blank and an empty row.
printf '\357\273\277Pasar;KOMODITAS;Harga;Satuan;Tanggal;Catatan\r\n' > "$T/good.csv"
printf 'Kediri;cabai;"45.000";kg;20/11/2026;"pagi; ramai"\r\n' >> "$T/good.csv"
printf 'PARE;CABAI;Rp 43.500;kg;2026-11-20;\r\n' >> "$T/good.csv"
printf '\r\n;;;;;\r\n' >> "$T/good.csv"
printf 'KEDIRI;BAWANG;32rb;"kg";2026-11-21;"dua\r\nbaris"\r\n' >> "$T/good.csv"
out=$(kt price import "$T/good.csv" 2>&1); rc=$?
check "good file imports: exit 0" test $rc -eq 0
check "good file: 3 prices reported" sh -c "echo '$out' | grep -q 'imported 3 prices'"
check "good file: 3 rows written" test "$(nprices)" = 3
check "price from DD/MM/YYYY with dots" test "$(sql "SELECT price || ' ' || reported_on FROM prices p JOIN markets m ON m.id = p.market_id JOIN commodities c ON c.id = p.commodity_id WHERE c.name = 'CABAI' AND m.name = 'KEDIRI'")" = "45000 2026-11-20"
check "names upper-cased, Rp and rb understood" test "$(sql "SELECT group_concat(x, ',') FROM (SELECT c.name || ':' || price AS x FROM prices p JOIN commodities c ON c.id = p.commodity_id ORDER BY p.id)")" = "CABAI:45000,CABAI:43500,BAWANG:32000"
check "SMS answers from the imported prices" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'HARGA CABAI KEDIRI' | grep -q 'Rp45.000/kg'"

out=$(kt price import "$T/good.csv" 2>&1); rc=$?
check "re-import: exit 0, nothing doubled" sh -c "[ $rc -eq 0 ] && [ $(nprices) -eq 3 ] && echo '$out' | grep -q 'imported 0 prices (3 already there'"

# A bad file: several kinds of error, on known lines (line 5 is a quoted
# field spanning two lines).
cat > "$T/bad.csv" <<'CSV'
commodity,market,price,unit,date
JAGUNG,PARE,4500,kg,2026-11-20
Cabai/rawit,KEDIRI,45000,kg,2026-11-20
BERAS,PARE,murah,kg,2026-11-20
"KEDELAI",PARE,"9.000",kg,"2026-02-30
"
TOMAT,PARE,7000,kilogram-karung-besar,2026-11-20
GULA,PARE,15000,kg,2026-11-20
CSV
out=$(kt price import "$T/bad.csv" 2>&1); rc=$?
check "bad file: exit 1" test $rc -eq 1
check "bad file: line 3 named (commodity)" sh -c "echo '$out' | grep -q 'bad.csv:3: commodity \"Cabai/rawit\"'"
check "bad file: line 4 named (price)" sh -c "echo '$out' | grep -q 'bad.csv:4: price \"murah\"'"
check "bad file: line 5 named (date)" sh -c "echo '$out' | grep -q 'bad.csv:5: date'"
check "bad file: line 7 named (unit)" sh -c "echo '$out' | grep -q 'bad.csv:7: unit'"
check "bad file: good lines not reported" sh -c "! echo '$out' | grep -Eq 'bad.csv:(2|8):'"
check "bad file: summary says nothing imported" sh -c "echo '$out' | grep -q '4 bad rows; nothing imported'"
check "bad file: nothing written" test "$(nprices)" = 3

out=$(kt price import "$T/bad.csv" --skip-bad 2>&1); rc=$?
check "--skip-bad: exit 0" test $rc -eq 0
check "--skip-bad: the 2 good rows written" sh -c "[ $(nprices) -eq 5 ] && echo '$out' | grep -q 'imported 2 prices (0 already there, 4 bad rows skipped)'"
check "--skip-bad: still names the bad lines" sh -c "echo '$out' | grep -q 'bad.csv:4:'"
check "import is audited" test "$(sql "SELECT count(*) FROM audit WHERE action = 'price import'")" = 3

# Files that cannot be read as CSV at all.
printf 'commodity,market,price\nCABAI,KEDIRI,"45000\n' > "$T/open.csv"
out=$(kt price import "$T/open.csv" 2>&1); rc=$?
check "unclosed quote: exit 1 with its line" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'open.csv:2: a quoted field is not closed'"
printf 'komoditas;harga\nCABAI;45000\n' > "$T/nomarket.csv"
out=$(kt price import "$T/nomarket.csv" 2>&1); rc=$?
check "missing column: exit 1, line 1" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'nomarket.csv:1: the header has no \"market\" column'"
printf 'commodity,market,price\nCABAI,KEDIRI,\351\n' > "$T/latin1.csv"
out=$(kt price import "$T/latin1.csv" 2>&1); rc=$?
check "not UTF-8: the row is bad" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'latin1.csv:2: price: not UTF-8'"
: > "$T/empty.csv"
check "empty file: exit 1" sh -c "! '$KT' -c '$T/kt.conf' price import '$T/empty.csv' 2>/dev/null"
check "missing file: exit 1" sh -c "! '$KT' -c '$T/kt.conf' price import '$T/none.csv' 2>/dev/null"
"$KT" -c "$T/kt.conf" price import 2>/dev/null; rc=$?
check "no file: usage, exit 2" test $rc -eq 2
check "nothing written by the failures" test "$(nprices)" = 5

# Export, and import the export into a fresh database.
check "export: header and latest prices" sh -c "kt_out=\$('$KT' -c '$T/kt.conf' price export) && [ \"\$(echo \"\$kt_out\" | head -1)\" = 'commodity,market,price,unit,date' ] && [ \$(echo \"\$kt_out\" | wc -l) -eq 6 ]"
kt price export "$T/out.csv" --all --semicolon 2>/dev/null
check "export --all --semicolon: every report" test "$(wc -l < "$T/out.csv")" = 6
check "export uses ';'" grep -q '^CABAI;KEDIRI;45000;kg;2026-11-20$' "$T/out.csv"
sed "s|$T/kt.db|$T/kt2.db|" "$T/kt.conf" > "$T/kt2.conf"
"$KT" -c "$T/kt2.conf" price import "$T/out.csv" >/dev/null 2>&1
check "round trip: same latest prices" test "$("$KT" -c "$T/kt.conf" price export)" = "$("$KT" -c "$T/kt2.conf" price export)"


# Contacts: groups separated by ';' or '|', a BOM, semicolons.
if true; then
	printf '\357\273\277Nomor;Nama;Desa;Kelompok\n' > "$T/c.csv"
	printf '081234500001;Budi Santoso;Sukamaju;"petani; ibu"\n' >> "$T/c.csv"
	printf '+6281234500002;"Siti, Aminah";Sukamaju;PETANI\n' >> "$T/c.csv"
	printf '081234500003;Ani;;\n' >> "$T/c.csv"
	out=$(kt contact import "$T/c.csv" 2>&1); rc=$?
	check "contacts: good file imports 3" sh -c "[ $rc -eq 0 ] && echo '$out' | grep -q 'imported 3 contacts'"
	check "contacts: phones normalised" test "$(sql "SELECT count(*) FROM contacts WHERE phone LIKE '+6281234500%'")" = 3
	check "contacts: groups from \"a; b\"" test "$(sql "SELECT group_concat(g.name, ',') FROM (SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id JOIN contacts c ON c.id = m.contact_id WHERE c.phone = '+6281234500001' ORDER BY g.name) g")" = "IBU,PETANI"
	check "contacts: quoted comma kept" test "$(sql "SELECT name FROM contacts WHERE phone = '+6281234500002'")" = "Siti, Aminah"
	printf 'phone,name,groups\n081234500004,Dewi,PETANI\nhalo,X,\n081234500004,Dewi lagi,\n081234500005,Eko,"petani kota"\n' > "$T/cbad.csv"
	out=$(kt contact import "$T/cbad.csv" 2>&1); rc=$?
	check "contacts: bad file exit 1, nothing written" sh -c "[ $rc -eq 1 ] && [ $(sql 'SELECT count(*) FROM contacts') -eq 3 ]"
	check "contacts: bad lines named" sh -c "echo '$out' | grep -q 'cbad.csv:3: phone \"halo\"' && echo '$out' | grep -q 'cbad.csv:4: phone +6281234500004 is also on line 2' && echo '$out' | grep -q 'cbad.csv:5: groups'"
	kt contact export "$T/cout.csv" 2>/dev/null
	check "contacts: export has a header and 3 rows" sh -c "[ \$(wc -l < '$T/cout.csv') -eq 4 ] && grep -q '^+62 812-3450-0001,Budi Santoso,Sukamaju,IBU;PETANI,,0$' '$T/cout.csv' && grep -q '\"Siti, Aminah\"' '$T/cout.csv'"
	sed "s|$T/kt.db|$T/kt3.db|" "$T/kt.conf" > "$T/kt3.conf"
	"$KT" -c "$T/kt3.conf" contact import "$T/cout.csv" >/dev/null 2>&1
	check "contacts: round trip" test "$("$KT" -c "$T/kt.conf" contact export)" = "$("$KT" -c "$T/kt3.conf" contact export)"
fi

# Contacts: '|' between groups, languages, an opt-out that a file may
# record but never undo, and an update that keeps what a cell leaves empty.
printf 'phone;name;groups;language;opted_out\n081234500001;;IBU|KADER;EN;\n081234500003;Ani Lestari;kader | petani;id;ya\n' > "$T/c2.csv"
out=$(kt contact import "$T/c2.csv" 2>&1); rc=$?
check "contacts: update reports 0 new, 2 updated" sh -c "[ $rc -eq 0 ] && echo '$out' | grep -q 'imported 0 contacts (2 updated, 0 bad rows skipped)'"
check "contacts: '|' groups added, old kept, empty name kept" test "$(kt contact show 081234500001 --json | jq -c '[.name, .language, .groups]')" = '["Budi Santoso","en",["IBU","KADER","PETANI"]]'
check "contacts: opted_out column records an opt-out" test "$(sql "SELECT opted_out || name FROM contacts WHERE phone = '+6281234500003'")" = "1Ani Lestari"
printf 'phone,opted_out\n081234500003,0\n' > "$T/c3.csv"
kt contact import "$T/c3.csv" >/dev/null 2>&1
check "contacts: a file cannot undo an opt-out" test "$(sql "SELECT opted_out FROM contacts WHERE phone = '+6281234500003'")" = 1
printf 'phone,language,opted_out\n081234500006,fr,\n081234500007,,maybe\n' > "$T/c4.csv"
out=$(kt contact import "$T/c4.csv" 2>&1); rc=$?
check "contacts: bad language and opted_out named" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'c4.csv:2: language \"fr\"' && echo '$out' | grep -q 'c4.csv:3: opted_out \"maybe\"'"
printf 'name,village\nBudi,Sukamaju\n' > "$T/c5.csv"
out=$(kt contact import "$T/c5.csv" 2>&1); rc=$?
check "contacts: no phone column: exit 1, line 1" sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'c5.csv:1: the header has no \"phone\" column'"

# Info pages: a spreadsheet with long texts, quotes and line breaks.
ninfo() { sql "SELECT count(*) FROM info_pages"; }
printf '\357\273\277Topik;Bahasa;Isi\r\n' > "$T/info.csv"
printf 'pupuk;id;"Urea 2x per musim; ""NPK"" 1x"\r\n' >> "$T/info.csv"
printf 'PUPUK;EN;"Urea twice a season.\r\nNPK once."\r\n' >> "$T/info.csv"
printf 'CUACA;;Hujan deras minggu ini\r\n' >> "$T/info.csv"
out=$(kt info import "$T/info.csv" 2>&1); rc=$?
check "info: good file imports 3" sh -c "[ $rc -eq 0 ] && echo '$out' | grep -q 'imported 3 info pages (0 replaced'"
check "info: quotes kept, topic upper-cased" test "$(sql "SELECT body FROM info_pages WHERE topic = 'PUPUK' AND language = 'id'")" = 'Urea 2x per musim; "NPK" 1x'
check "info: empty language is id" test "$(sql "SELECT language FROM info_pages WHERE topic = 'CUACA'")" = id
check "info: SMS answers from the imported page" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'INFO CUACA' | grep -q 'Hujan deras'"
out=$(kt info import "$T/info.csv" 2>&1)
check "info: re-import replaces, nothing doubled" sh -c "[ $(ninfo) -eq 3 ] && echo '$out' | grep -q 'imported 0 info pages (3 replaced'"
long=$(head -c 1001 /dev/zero | tr '\0' 'x')
printf 'topic,language,text\nBENIH,id,Benih unggul\n"dua kata",id,x\nBENIH,fr,x\nPANEN,id,\nBENIH,id,lagi\nAIR,id,%s\n' "$long" > "$T/infobad.csv"
out=$(kt info import "$T/infobad.csv" 2>&1); rc=$?
check "info: bad file exit 1, nothing written" sh -c "[ $rc -eq 1 ] && [ $(ninfo) -eq 3 ]"
check "info: bad lines named" sh -c "echo '$out' | grep -q 'infobad.csv:3: topic' && echo '$out' | grep -q 'infobad.csv:4: language' && echo '$out' | grep -q 'infobad.csv:5: text' && echo '$out' | grep -q 'infobad.csv:6: topic BENIH (id) is also on line 2' && echo '$out' | grep -q 'infobad.csv:7: text: 1 to 1000'"
out=$(kt info import "$T/infobad.csv" --skip-bad 2>&1); rc=$?
check "info: --skip-bad imports the good row" sh -c "[ $rc -eq 0 ] && [ $(ninfo) -eq 4 ] && echo '$out' | grep -q 'imported 1 info page (0 replaced, 5 bad rows skipped)'"
kt info export "$T/iout.csv" --semicolon 2>/dev/null
check "info: export header and rows" sh -c "[ \"\$(head -1 '$T/iout.csv')\" = 'topic;language;text' ] && grep -q '^CUACA;id;Hujan deras minggu ini$' '$T/iout.csv'"
sed "s|$T/kt.db|$T/kt4.db|" "$T/kt.conf" > "$T/kt4.conf"
"$KT" -c "$T/kt4.conf" info import "$T/iout.csv" >/dev/null 2>&1
check "info: round trip keeps line breaks and quotes" test "$("$KT" -c "$T/kt.conf" info export)" = "$("$KT" -c "$T/kt4.conf" info export)"
check "info: round trip has the two-line page" test "$(sqlite3 "$T/kt4.db" "SELECT body FROM info_pages WHERE topic = 'PUPUK' AND language = 'en'")" = "$(printf 'Urea twice a season.\r\nNPK once.')"
"$KT" -c "$T/kt.conf" info import 2>/dev/null; rc=$?
check "info import without a file: exit 2" test $rc -eq 2

# An Indonesian office's sheets: their headers, and prices with zero cents.
sed "s|$T/kt.db|$T/kt5.db|" "$T/kt.conf" > "$T/kt5.conf"
printf '\357\273\277No;Nama;No. HP;Desa/Kelurahan\r\n1;Bu Siti;0812-3456-7890;Gurah\r\n2;Pak Budi;+62 813 1111 2222;Pare\r\n' > "$T/kontak.csv"
out=$("$KT" -c "$T/kt5.conf" contact import "$T/kontak.csv" 2>&1); rc=$?
check "contacts: headers No. HP, Nama, Desa/Kelurahan understood" sh -c "[ $rc -eq 0 ] && [ \"\$(sqlite3 '$T/kt5.db' \"SELECT name || '|' || village FROM contacts WHERE phone = '+6281234567890'\")\" = 'Bu Siti|Gurah' ]"
printf 'Komoditas;Pasar;Harga;Satuan\r\nBAWANG MERAH;PASAR LEGI;"6.500,00";kg\r\nGULA PASIR;KEDIRI;Rp13.500,00;kg\r\n' > "$T/harga.csv"
out=$("$KT" -c "$T/kt5.conf" price import "$T/harga.csv" 2>&1); rc=$?
"$KT" -c "$T/kt5.conf" contact export "$T/excel.csv" --excel 2>/dev/null
check "--excel: a UTF-8 BOM, ';' and phone numbers Excel keeps as text" sh -c "head -c 3 '$T/excel.csv' | od -An -tx1 | grep -q 'ef bb bf' && grep -q '^+62 812-3456-7890;Bu Siti;Gurah;' '$T/excel.csv'"
sed "s|$T/kt.db|$T/kt6.db|" "$T/kt.conf" > "$T/kt6.conf"
check "--excel: the file imports back as it was" sh -c "'$KT' -c '$T/kt6.conf' contact import '$T/excel.csv' >/dev/null 2>&1 && [ \"\$(sqlite3 '$T/kt6.db' \"SELECT name || '|' || village FROM contacts WHERE phone = '+6281234567890'\")\" = 'Bu Siti|Gurah' ]"
check "prices: 6.500,00 and Rp13.500,00 are whole rupiah" sh -c "[ $rc -eq 0 ] && [ \"\$(sqlite3 '$T/kt5.db' 'SELECT group_concat(price) FROM (SELECT price FROM prices ORDER BY price)')\" = '6500,13500' ]"

finish
