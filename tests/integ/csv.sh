#!/bin/sh
# Price CSV import and export: a spreadsheet file with a BOM and
# semicolons, a bad file (each bad row named by line, nothing written),
# --skip-bad, a re-import, and an export that imports back the same.
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
Cabai rawit,KEDIRI,45000,kg,2026-11-20
BERAS,PARE,murah,kg,2026-11-20
"KEDELAI",PARE,"9.000",kg,"2026-02-30
"
TOMAT,PARE,7000,kilogram-karung-besar,2026-11-20
GULA,PARE,15000,kg,2026-11-20
CSV
out=$(kt price import "$T/bad.csv" 2>&1); rc=$?
check "bad file: exit 1" test $rc -eq 1
check "bad file: line 3 named (commodity)" sh -c "echo '$out' | grep -q 'bad.csv:3: commodity \"Cabai rawit\"'"
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


# Contacts, when the contact noun has the import and export verbs.
if "$KT" contact --help 2>&1 | grep -q 'contact import'; then
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
	check "contacts: export has a header and 3 rows" sh -c "[ \$(wc -l < '$T/cout.csv') -eq 4 ] && grep -q '^+6281234500001,Budi Santoso,Sukamaju,IBU;PETANI,,0$' '$T/cout.csv' && grep -q '\"Siti, Aminah\"' '$T/cout.csv'"
	sed "s|$T/kt.db|$T/kt3.db|" "$T/kt.conf" > "$T/kt3.conf"
	"$KT" -c "$T/kt3.conf" contact import "$T/cout.csv" >/dev/null 2>&1
	check "contacts: round trip" test "$("$KT" -c "$T/kt.conf" contact export)" = "$("$KT" -c "$T/kt3.conf" contact export)"
else
	echo "  (skipped: contact import/export are not registered in the CLI)"
fi

finish
