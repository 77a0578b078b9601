#!/bin/sh
# The admin CLI end to end on a real database while the daemon runs:
# --help for every noun and verb, exit codes, --json for every list and
# show (checked with jq), contacts, groups, info pages, inbox, outbox and
# status.
. "$(dirname "$0")/lib.sh"

write_conf "$(dummy_modem demo)"
kt() { "$KT" -c "$T/kt.conf" "$@"; }
rc_of() { "$@" >/dev/null 2>&1; echo $?; }	# rc_of COMMAND...: its exit code
# jq_ok FILTER COMMAND...: the command's JSON satisfies the filter.
jq_ok() { f=$1; shift; "$@" 2>/dev/null | jq -e "$f" >/dev/null; }

# --help needs no configuration and exits 0; a bad command line exits 2.
check "--help: exit 0, lists nouns" sh -c "'$KT' --help | grep -q '^  inbox ' && '$KT' --help | grep -q '^  status '"
check "no noun: exit 2" test "$(rc_of "$KT")" = 2
check "unknown noun: exit 2" test "$(rc_of "$KT" -c "$T/kt.conf" nope)" = 2
check "unknown verb: exit 2" test "$(rc_of kt price nope)" = 2
check "noun without a verb: exit 2" test "$(rc_of kt contact)" = 2
nouns=$("$KT" --help | awk '/^  [a-z]+ / { print $1 }')
check "at least 12 nouns" test "$(echo "$nouns" | wc -l)" -ge 12
help_fail=""
for n in $nouns; do
	out=$("$KT" "$n" --help 2>&1) || help_fail="$help_fail $n"
	echo "$out" | grep -q "kentongan -c FILE $n" || help_fail="$help_fail $n"
	for v in $(echo "$out" | awk -v n="$n" '$1 == "kentongan" && $4 == n && $5 != "" && $5 !~ /^[[-]/ { print $5 }'); do
		vo=$("$KT" "$n" "$v" --help 2>&1) || help_fail="$help_fail $n/$v"
		echo "$vo" | grep -q "kentongan -c FILE $n $v" ||
		    help_fail="$help_fail $n/$v"
	done
done
check "every noun and verb has --help (exit 0, its usage)${help_fail:+:$help_fail}" test -z "$help_fail"
check "verb --help shows only that verb" sh -c "'$KT' contact add --help | grep -q 'contact add PHONE' && ! '$KT' contact add --help | grep -q 'contact remove'"

start_daemon
check "daemon started" test -n "$daemon_pid"
check "dummy modem comes up" wait_for 20 modem_up demo

# status while the daemon runs.
check "status: daemon running, modem up" sh -c "'$KT' -c '$T/kt.conf' status | grep -q '^daemon  *running' && '$KT' -c '$T/kt.conf' status | grep -q '^modems .*1 of 1 up'"
check "status --json: running, demo up" jq_ok '.daemon.running and .modems_up == 1 and .modems[0].name == "demo" and .modems[0].state == "up"' kt status --json
kt price set CABAI KEDIRI 45000 >/dev/null
reply=$(kt phone 081234567890 "HARGA CABAI KEDIRI")
check "an SMS through the daemon" sh -c "echo '$reply' | grep -q 'Rp45.000'"
check "status --json counts today's message and reply" jq_ok '.today.received == 1 and .today.answered == 1 and .today.sent == 1 and .queue.queued == 0' kt status --json
check "status text counts them" sh -c "'$KT' -c '$T/kt.conf' status | grep -q '^today .*1 received (1 answered), 1 sent'"

# inbox and outbox.
check "inbox list shows the message" sh -c "'$KT' -c '$T/kt.conf' inbox list | grep -q 'HARGA CABAI KEDIRI'"
check "inbox list --from filters" sh -c "[ \"\$('$KT' -c '$T/kt.conf' inbox list --from 0899999999 | wc -l)\" -eq 2 ]"
check "inbox list --json" jq_ok 'length == 1 and .[0].from == "+6281234567890" and .[0].state == "done"' kt inbox list --json
id=$(kt inbox list --json | jq '.[0].id')
check "inbox show has the reply" sh -c "'$KT' -c '$T/kt.conf' inbox show $id | grep -q 'Rp45.000'"
check "inbox show --json has the reply sent" jq_ok '.text == "HARGA CABAI KEDIRI" and (.replies | length) == 1 and .replies[0].state == "sent"' kt inbox show "$id" --json
check "inbox show unknown: exit 3" test "$(rc_of kt inbox show 9999)" = 3
check "inbox list --state bad: exit 2" test "$(rc_of kt inbox list --state lost)" = 2
oid=$(kt outbox list --json | jq '.[0].id')
check "outbox list --json" jq_ok '.[0].state == "sent" and .[0].to == "+6281234567890"' kt outbox list --json
check "outbox show --json" jq_ok ".id == $oid and (.text | test(\"Rp45.000\"))" kt outbox show "$oid" --json
check "outbox show unknown: exit 3" test "$(rc_of kt outbox show 9999)" = 3
check "outbox list --state bad: exit 2" test "$(rc_of kt outbox list --state lost)" = 2

# Contacts.
check "contact add" sh -c "'$KT' -c '$T/kt.conf' contact add 081300000001 --name 'Budi  Santoso' --village Sukamaju --lang en --group petani --group 'ibu|kota' | grep -q 'added'"
check "contact add again: exit 1" test "$(rc_of kt contact add 081300000001)" = 1
check "contact add bad phone: exit 2" test "$(rc_of kt contact add halo)" = 2
check "contact add bad group: exit 2" test "$(rc_of kt contact add 081300000009 --group 'dua kata')" = 2
check "contact add bad language: exit 2" test "$(rc_of kt contact add 081300000009 --lang fr)" = 2
check "nothing saved by the refused adds" test "$(sql "SELECT count(*) FROM contacts WHERE phone = '+6281300000009'")" = 0
check "contact show --json" jq_ok '.phone == "+6281300000001" and .name == "Budi Santoso" and .village == "Sukamaju" and .language == "en" and .groups == ["IBU","KOTA","PETANI"]' kt contact show 081300000001 --json
check "contact set changes only what is given" sh -c "'$KT' -c '$T/kt.conf' contact set 081300000001 --village Mojo --opted-out yes >/dev/null"
check "contact set result" jq_ok '.name == "Budi Santoso" and .village == "Mojo" and .opted_out == 1' kt contact show 081300000001 --json
check "contact set unknown: exit 3" test "$(rc_of kt contact set 081300000008 --name X)" = 3
check "contact set nothing: exit 2" test "$(rc_of kt contact set 081300000001)" = 2
check "contact list --group" sh -c "[ \"\$('$KT' -c '$T/kt.conf' contact list --group KOTA | grep -c '^+62')\" -eq 1 ]"
check "contact list --json" jq_ok 'map(.phone) | index("+6281300000001") != null' kt contact list --json
check "contact show unknown: exit 3" test "$(rc_of kt contact show 081300000008)" = 3

# Groups.
kt group create PETANI "Kelompok tani" >/dev/null 2>&1	# exists: made by contact add
check "group create existing: exit 1" test "$(rc_of kt group create PETANI)" = 1
check "group add: new numbers become contacts" sh -c "'$KT' -c '$T/kt.conf' group add PETANI 081300000002 081300000001 | grep -q '1 added, 1 already members'"
check "group show --json" jq_ok '.name == "PETANI" and (.members | map(.phone)) == ["+6281300000001","+6281300000002"]' kt group show PETANI --json
check "group list --json counts members" jq_ok '.[] | select(.name == "PETANI") | .members == 2' kt group list --json
check "group remove" sh -c "'$KT' -c '$T/kt.conf' group remove PETANI 081300000002 | grep -q '1 removed'"
check "group add to unknown group: exit 3" test "$(rc_of kt group add NOPE 081300000002)" = 3
check "group add bad phone: exit 2, nothing added" sh -c "'$KT' -c '$T/kt.conf' group add PETANI 081300000003 halo 2>/dev/null; [ \$? -eq 2 ] && [ \"\$(sqlite3 '$T/kt.db' \"SELECT count(*) FROM contacts WHERE phone = '+6281300000003'\")\" = 0 ]"
check "group delete" sh -c "'$KT' -c '$T/kt.conf' group delete KOTA | grep -q deleted"
check "group deleted, member kept" jq_ok '.groups == ["IBU","PETANI"]' kt contact show 081300000001 --json
check "group show unknown: exit 3" test "$(rc_of kt group show KOTA)" = 3
check "SMS sees the admin's group" sh -c "'$KT' -c '$T/kt.conf' phone 081300000002 'GABUNG PETANI' | grep -qi 'PETANI'"

# Contact remove: refused while registered for an event.
kt event create TANI24 "Pelatihan pupuk" --quota 5 >/dev/null
kt phone 081300000002 "DAFTAR TANI24 Siti" >/dev/null
check "contact remove while registered: exit 1, says why" sh -c "'$KT' -c '$T/kt.conf' contact remove 081300000002 2>&1 | grep -q 'registered for TANI24'"
check "contact remove" sh -c "'$KT' -c '$T/kt.conf' contact remove 081300000001 | grep -q removed"
check "removed contact is gone with its memberships" test "$(sql "SELECT count(*) FROM contacts WHERE phone = '+6281300000001'")$(sql "SELECT count(*) FROM group_members m LEFT JOIN contacts c ON c.id = m.contact_id WHERE c.id IS NULL")" = 00
check "contact remove unknown: exit 3" test "$(rc_of kt contact remove 081300000001)" = 3
check "event show --json" jq_ok '.code == "TANI24" and .confirmed == 1 and .registrations[0].name == "Siti"' kt event show TANI24 --json
check "event list --json" jq_ok '.[0].code == "TANI24" and .[0].quota == 5' kt event list --json
check "event show unknown: exit 3" test "$(rc_of kt event show NOPE)" = 3
kt event export TANI24 "$T/reg.csv" --semicolon 2>/dev/null
check "event export FILE --semicolon" sh -c "head -1 '$T/reg.csv' | grep -q '^event;status;phone;name;village;registered$' && grep -q '^TANI24;confirmed;+62 813-0000-0002;Siti;' '$T/reg.csv'"

# Info pages.
check "info set" sh -c "'$KT' -c '$T/kt.conf' info set PUPUK 'Urea 2x per musim' >/dev/null"
check "info set bad language: exit 2" test "$(rc_of kt info set PUPUK x --lang fr)" = 2
check "info show --json" jq_ok '.[0].topic == "PUPUK" and .[0].body == "Urea 2x per musim"' kt info show pupuk --json
check "info list --json" jq_ok 'length == 1' kt info list --json
check "info show unknown: exit 3" test "$(rc_of kt info show NOPE)" = 3
check "info remove" sh -c "'$KT' -c '$T/kt.conf' info remove PUPUK | grep -q removed"
check "info remove again: exit 3" test "$(rc_of kt info remove PUPUK)" = 3

# The other lists, as JSON.
check "price list --json" jq_ok '.[0].commodity == "CABAI" and .[0].price == 45000' kt price list --json
check "price history --json" jq_ok '.[0].status == "published" and .[0].market == "KEDIRI"' kt price history --json
kt reporter add 081300000002 >/dev/null
check "reporter list --json" jq_ok '.[0].phone == "+6281300000002"' kt reporter list --json
kt broadcast send --to PETANI "Rapat besok" >/dev/null
check "broadcast list --json has progress" jq_ok '.[0].target == "group:PETANI" and .[0].recipients == 1 and (.[0] | has("sent"))' kt broadcast list --json
check "broadcast show --json" jq_ok '.id == 1 and .text == "Rapat besok"' kt broadcast show 1 --json
check "broadcast is sent while we watch" wait_for 20 jq_ok '.sent == 1' kt broadcast show 1 --json
check "modems --json" jq_ok '.[0].name == "demo" and .[0].state == "up"' kt modems --json
check "--json before the noun works too" jq_ok 'length == 1' "$KT" -c "$T/kt.conf" --json modems
check "price set bad price: exit 2" test "$(rc_of kt price set CABAI KEDIRI murah)" = 2
check "price approve unknown: exit 3" test "$(rc_of kt price approve 999)" = 3
check "the audit log has the admin's changes" test "$(sql "SELECT count(*) FROM audit WHERE actor = 'cli' AND action IN ('contact add', 'contact set', 'contact remove', 'group add', 'group remove', 'group delete', 'info remove')")" = 7

check "SIGTERM stops cleanly" stop_daemon
check "status without the daemon says so" sh -c "'$KT' -c '$T/kt.conf' status | grep -q '^daemon .*not running'"

# phone asks the daemon to put the SMS in the dummy phone: without one,
# it says so (exit 4); --dry-run routes here and needs no daemon.
kt phone 081234567890 "HARGA CABAI KEDIRI" > /dev/null 2> "$T/phone.err"
rc=$?
check "phone without the daemon: exit 4" test "$rc" -eq 4
check "and says the daemon is not running" grep -q "kentongand is not running" "$T/phone.err"
check "phone --dry-run works without the daemon" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'HARGA CABAI KEDIRI' | grep -q 'Rp45.000'"
# INFO PELATIHAN cuts a long title at 40 bytes, never inside a character
# (an "é" straddles byte 40 here).
"$KT" -c "$T/kt.conf" event create UTF8 "Pelatihan budidaya cabai rawit organik é dan panen" --quota 5 >/dev/null
out=$("$KT" -c "$T/kt.conf" phone --dry-run 081234567890 "INFO PELATIHAN" 2>&1)
check "INFO PELATIHAN lists the event ($out)" sh -c "echo '$out' | grep -q UTF8"
check "... in valid UTF-8" sh -c "echo '$out' | iconv -f UTF-8 -t UTF-8 >/dev/null"
# An alias may name a commodity that has no prices yet: HARGA with its
# first word is answered "unknown", not routed round in circles.
"$KT" -c "$T/kt.conf" alias add "JAGUNG MANIS" JAGUNG --commodity >/dev/null
out=$("$KT" -c "$T/kt.conf" phone --dry-run 081234567890 "HARGA JAGUNG" 2>&1)
check "HARGA JAGUNG with an alias to a commodity without prices: answered ($out)" test $? -eq 0
check "... as an unknown commodity" sh -c "echo '$out' | grep -qi 'JAGUNG'"
# The CLI links no libgammu: what needs a modem, it asks the daemon.
check "kentongan links no libGammu" sh -c "ldd '$KT' > '$T/ldd.out' && ! grep -qi gammu '$T/ldd.out'"
check "kentongand does (the check can tell)" sh -c "ldd '$KTD' | grep -qi gammu"
finish
