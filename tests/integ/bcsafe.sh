#!/bin/sh
# Broadcasts safe to send (no daemon needed: what the CLI queues is read
# from the outbox): the cost said before sending, opt-outs left out of the
# count, UCS-2 named with --ascii as the cure, {nama} and {desa} filled,
# the signature added, a schedule in the past refused.
. "$(dirname "$0")/lib.sh"
write_conf
printf 'cost_per_part = 150;\nsignature = "-Dinas Tani";\n' >> "$T/kt.conf"
kt() { "$KT" -c "$T/kt.conf" "$@"; }
kt group create PETANI >/dev/null
kt contact add 081200000001 --name "Budi" --village "Sukamaju" --group PETANI >/dev/null
kt contact add 081200000002 --name "Siti Aminah" --village "Gurah" --group PETANI >/dev/null
kt contact add 081200000003 --name "Eko" --group PETANI --opted-out yes >/dev/null

out=$(kt broadcast send --to group:PETANI "Halo {nama} dari {desa}: rapat Sabtu 09.00 – bawa “KTP”" 2>&1)
check "the count leaves the opted-out member out" sh -c "echo '$out' | grep -q 'group:PETANI: 2 recipients after opt-outs'"
check "UCS-2 is said, with its cause and the cure" sh -c "echo '$out' | grep -q 'UCS-2 because of .–. and other typographic marks; --ascii makes it GSM-7'"
check "the cost is said for the worst case of {nama}/{desa} (2 x 2 x 150)" sh -c "echo '$out' | grep -q 'up to 2 with {nama}/{desa}; cost about Rp600'"
check "{nama} and {desa} are filled per person" test "$(sql "SELECT text FROM outbox WHERE recipient = '+6281200000002'")" = "Halo Siti Aminah dari Gurah: rapat Sabtu 09.00 – bawa “KTP” -Dinas Tani"
check "the opted-out member gets nothing" test "$(sql "SELECT count(*) FROM outbox WHERE recipient = '+6281200000003'")" = 0

out=$(kt broadcast send --to group:PETANI --ascii "Rapat – bawa “KTP”…" 2>&1)
check "--ascii makes it GSM-7" sh -c "echo '$out' | grep -q '1 SMS each (GSM-7'"
check "--ascii folds quotes, dashes and the ellipsis" test "$(sql "SELECT text FROM outbox WHERE recipient = '+6281200000001' ORDER BY id DESC LIMIT 1")" = 'Rapat - bawa "KTP"... -Dinas Tani'

n=$(sql "SELECT count(*) FROM outbox")
out=$(kt broadcast schedule --to group:PETANI --at "2020-01-01 10:00" "Rapat" 2>&1); rc=$?
check "a schedule in the past is refused (exit 2)" sh -c "[ $rc -eq 2 ] && echo '$out' | grep -q 'is past'"
check "and nothing is queued" test "$(sql "SELECT count(*) FROM outbox")" = "$n"
check "a schedule in the future is taken" sh -c "'$KT' -c '$T/kt.conf' broadcast schedule --to group:PETANI --at '$(date -d '+1 day' '+%Y-%m-%d 10:00')' Rapat >/dev/null 2>&1"
long=$(printf 'Pengumuman %.0s' $(seq 1 20))
out=$(kt broadcast send --to group:PETANI "$long" 2>&1)
check "a long text says its parts" sh -c "echo '$out' | grep -q '2 SMS each (GSM-7'"
finish
