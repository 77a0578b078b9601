#!/bin/sh
# Field fit: a programme's real content (24 commodities with multi-word
# names, 10 markets, an event, info pages) and a corpus of farmer messages
# as people write them (tests/integ/farmers/corpus.txt: spellings, fillers,
# typos, mixed case, thanks, questions for a person), each routed through
# `kentongan phone --dry-run` and checked against its expected reply.
# Every reply must be one GSM-7 segment.  The end-to-end path (SMS in,
# reply out on a modem) is the same router; commands.sh and at_reply.sh
# cover it.
. "$(dirname "$0")/lib.sh"
dir="$top/tests/integ/farmers"
write_conf
kt() { "$KT" -c "$T/kt.conf" "$@"; }

check "old prices import (Indonesian headers, ';')" sh -c "'$KT' -c '$T/kt.conf' price import '$dir/prices-old.csv' >/dev/null"
check "24 x 10 prices import" sh -c "'$KT' -c '$T/kt.conf' price import '$dir/prices.csv' >/dev/null"
check "multi-word names stored as written" test "$(sql "SELECT count(*) FROM commodities WHERE name IN ('BAWANG MERAH', 'CABAI RAWIT MERAH', 'MINYAK GORENG CURAH')")" = 3
check "markets get a display name" test "$(sql "SELECT display FROM markets WHERE name = 'PASAR LEGI'")" = "Pasar Legi"
kt info set PUPUK "Pupuk urea: 2x per musim, 100 kg/ha." >/dev/null
kt info set CUACA "Musim hujan: waspada banjir." >/dev/null
kt group create PETANI >/dev/null
kt reporter add 081234567890 >/dev/null
# A market that sells by another unit: each price says its own.
kt price set KANGKUNG PARE 9000 kg >/dev/null
kt price set KANGKUNG KEDIRI 3000 ikat >/dev/null
kt event create RELA26 "Pelatihan relawan" --quota 20 \
    --deadline "$(date -d '+7 days' +%Y-%m-%d)" \
    --date "$(date -d '+9 days' +%Y-%m-%d) 08:00" --place "Balai desa" >/dev/null
# Spellings this programme's farmers use, as an admin adds them.
for a in "KACANG IJO|KACANG HIJAU" "MIGOR|MINYAK GORENG CURAH" \
    "TERIGU|TEPUNG TERIGU" "BANDENG|IKAN BANDENG" "KEDELE|KEDELAI" \
    "CABAI KERITING|CABAI MERAH KERITING" "CABAI RAWIT|CABAI RAWIT MERAH"; do
	kt alias add "${a%%|*}" "${a#*|}" >/dev/null || echo "alias $a refused"
done
check "alias list shows them" sh -c "'$KT' -c '$T/kt.conf' alias list --kind commodity | grep -q '^MIGOR	commodity	MINYAK GORENG CURAH$'"
check "alias to nothing known is refused" sh -c "! '$KT' -c '$T/kt.conf' alias add DUREN DURIAN 2>/dev/null"
check "alias remove" sh -c "'$KT' -c '$T/kt.conf' alias add XX JAGUNG >/dev/null && '$KT' -c '$T/kt.conf' alias remove XX >/dev/null && [ \"\$(sqlite3 '$T/kt.db' \"SELECT count(*) FROM aliases WHERE phrase = 'XX'\")\" = 0 ]"

n=0; bad=0; replies=0; onepart=0
tab=$(printf '\t')
while IFS="$tab" read -r want msg; do
	case $want in ''|\#*) continue ;; esac
	n=$((n + 1))
	out=$(kt phone --dry-run 081234567890 "$msg" 2>&1 | tail -n 1)
	[ -n "${KT_CORPUS_SHOW:-}" ] && printf "  %-40s -> %s\n" "$msg" "$out"
	case $want in
	-) case $out in "(no reply"*) ;; *) bad=$((bad + 1)); echo "  FAIL: \"$msg\" -> \"$out\", wanted no reply" ;; esac ;;
	!*) case $out in *"${want#!}"*) bad=$((bad + 1)); echo "  FAIL: \"$msg\" -> \"$out\", must not say \"${want#!}\"" ;; esac ;;
	*) case $out in *"$want"*) ;; *) bad=$((bad + 1)); echo "  FAIL: \"$msg\" -> \"$out\", wanted \"$want\"" ;; esac ;;
	esac
	case $out in "(no reply"*) continue ;; esac
	replies=$((replies + 1))
	# One GSM-7 segment: at most 160 characters of printable ASCII.
	if [ ${#out} -le 160 ] && ! printf '%s' "$out" | LC_ALL=C grep -q '[^ -~]'; then
		onepart=$((onepart + 1))
	else
		echo "  note: more than one segment (${#out}): $out"
	fi
done < "$dir/corpus.txt"
# Replies that depend on today's date or change data.
when=$(LC_ALL=C date -d '+9 days' '+%a %-d %b')
check "event dates as a farmer reads them (en)" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'REG RELA26' | grep -q '$when 08:00'"
check "... and in Indonesian ('08.00')" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'DAFTAR RELA26' | grep -q ' 08.00 Balai desa'"
check "DAFTAR with a code in two words registers" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'DAFTAR RELA 26' | grep -q '^Terdaftar: Pelatihan relawan (RELA26)'"
check "DAFTAR with a slip in the code registers" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'daftar REL26' | grep -q '^Terdaftar'"
check "DAFTAR with an unknown code lists the open events, never renames" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'DAFTAR TANI99' | grep -q '^Acara \"TANI99\" tidak ada. Acara terbuka: RELA26'"
kt contact add 081299999999 --name "Siti Aminah" >/dev/null
check "DAFTAR CODE name#village keeps name and village apart" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081299999999 'DAFTAR RELA26 Bu Siti#Gurah' | grep -q '^Terdaftar'"
check "an event whose deadline is past is refused" sh -c "! '$KT' -c '$T/kt.conf' event create OLD1 Lama --quota 5 --deadline 2020-01-01 2>&1 | grep -q created"
check "an event date that is no date is refused" sh -c "'$KT' -c '$T/kt.conf' event create BAD1 X --quota 5 --date 'minggu depan' 2>&1 | grep -q 'YYYY-MM-DD HH:MM'"
id=$(kt price set JAGUNG KEDIRI 60000 | sed -n 's/^price \([0-9]*\):.*/\1/p')
check "a wrong price is what farmers would be told" sh -c "'$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'harga jagung kediri' | grep -q 'Rp60.000'"
check "price remove takes it back" sh -c "'$KT' -c '$T/kt.conf' price remove $id | grep -q removed && '$KT' -c '$T/kt.conf' phone --dry-run 081234567890 'harga jagung kediri' | grep -q 'Rp6.000/kg'"
check "price remove of no price: exit 3" sh -c "'$KT' -c '$T/kt.conf' price remove 999999 2>/dev/null; [ \$? -eq 3 ]"
echo "  corpus: $n messages, $((n - bad)) as expected; $onepart of $replies replies in one GSM-7 segment"
check "the corpus has at least 150 messages" test "$n" -ge 150

# The same words end to end: the price and info questions of the corpus,
# each from its own number, texted to the simulated AT modem at once; each
# reply, as the modem sent it, must say what the corpus expects.
atsim_start m1
write_conf "$(at_modem m1)"
start_daemon && wait_for 30 modem_up m1 || not_ok "the daemon and its modem come up"
k=0
: > "$T/sent"
while IFS="$tab" read -r want msg; do
	case $want in ''|\#*|-|!*) continue ;; esac
	case $msg in [Hh][Aa][Rr][Gg][Aa]*|[Hh][Rr][Gg]*|[Ii][Nn][Ff][Oo]*|[Bb][Rr][Pp]*) ;; *) continue ;; esac
	k=$((k + 1))
	num=$(printf '+628127%06d' "$k")
	printf '%s\t%s\t%s\n' "$num" "$want" "$msg" >> "$T/sent"
	atsim_ctl m1 inject "$num" "$msg" >/dev/null
done < "$dir/corpus.txt"
check "$k corpus messages all answered on the modem" wait_for 60 sh -c "[ \$(wc -l < '$T/m1.rec') -ge $k ]"
bad=0
while IFS="$tab" read -r num want msg; do
	got=$(awk -F '\t' -v n="$num" '$2 == n { print $5; exit }' "$T/m1.rec")
	case $got in *"$want"*) ;; *) bad=$((bad + 1)); echo "  FAIL: on the modem: \"$msg\" -> \"$got\", wanted \"$want\"" ;; esac
done < "$T/sent"
echo "  on the modem: $k messages, $((k - bad)) as expected"
check "on the modem, every one got its expected reply" test "$bad" -eq 0
check "every corpus message gets its expected reply" test "$bad" -eq 0
check "at least 95% of replies fit one GSM-7 segment" test $((onepart * 100)) -ge $((replies * 95))
check "a dry run changes nothing: no registration kept" test "$(sql "SELECT count(*) FROM registrations")" = 0
echo "  $checks checks, $failed failed"
[ "$failed" -eq 0 ]
