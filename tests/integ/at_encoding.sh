#!/bin/sh
# Encodings and concatenation on an AT modem: multipart in (out of order)
# joined in SQLite, long replies out as concatenated SMS, GSM-7 with the
# extension table, UCS-2 (accents, emoji with surrogate pairs) in and out.
. "$(dirname "$0")/lib.sh"
LC_ALL=C.UTF-8
export LC_ALL

recs() { wc -l < "$T/m1.rec" | tr -d ' '; }
# wait_sent NUMBER: the reply to NUMBER is sent, all its parts recorded
wait_sent() { wait_for 30 sh -c "[ \"\$(sqlite3 '$T/kt.db' \"SELECT state FROM outbox WHERE recipient = '$1'\")\" = sent ]"; }
# joined N..M: the texts of record lines N to M, joined
joined() { sed -n "$1,$2p" "$T/m1.rec" | cut -f5 | tr -d '\n'; }

atsim_start m1
write_conf "$(at_modem m1)"
sed -i 's/^language/retry_base = 1;\nlanguage/' "$T/kt.conf"
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 kg >/dev/null
long=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "Pupuk urea %02d kg. ", i }')
"$KT" -c "$T/kt.conf" info set PUPUK "$long" >/dev/null
ext="Harga €5 [promo] {hemat} ~^|\\ selesai"
"$KT" -c "$T/kt.conf" info set PROMO "$ext" >/dev/null
uni="Kopi ☕ pedas 🌶 enak sekali 😀 — harga naik lagi, mohon sabar ya semua 🙏 terima kasih"
"$KT" -c "$T/kt.conf" info set KOPI "$uni" >/dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

# Multipart in, parts stored 3, 1, 2 on the SIM.
check "inject 3 parts out of order" test \
    "$(atsim_ctl m1 inject-multi +6281100000001 42 3,1,2 'HARGA CABAI KEDIRI')" = "OK 1 2 3"
check "one reply to the joined message" wait_sent +6281100000001
check "joined text reached the router" test \
    "$(sql "SELECT text, parts, incomplete, state FROM inbox")" = "HARGA CABAI KEDIRI|3|0|done"
check "reply has the price" sh -c "sed -n 1p '$T/m1.rec' | grep -q Rp45.000"
check "all three parts deleted" wait_for 10 sh -c \
    "'$ATSIM' ctl '$T/m1.ctl' stats | grep -q 'stored=0 '"

# A long reply goes out as concatenated GSM-7 SMS, never cut.
atsim_ctl m1 inject +6281100000002 "INFO PUPUK" >/dev/null
check "long reply: several parts" wait_sent +6281100000002
last=$(recs)
check "long reply: ${#long} characters make 4 parts" test $((last - 1)) -eq 4
ref=$(sed -n 2p "$T/m1.rec" | cut -f4 | cut -d/ -f1)
check "parts numbered 1..N of one reference" test \
    "$(sed -n "2,${last}p" "$T/m1.rec" | cut -f4 | tr '\n' ' ')" = \
    "$(i=1; while [ $i -le $((last - 1)) ]; do printf '%s/%d/%d ' "$ref" $i $((last - 1)); i=$((i + 1)); done)"
check "long reply is GSM-7" test "$(sed -n "2,${last}p" "$T/m1.rec" | cut -f3 | sort -u)" = gsm7
check "long reply arrives whole" sh -c "echo \"\$1\" | grep -qF \"\$2\"" - "$(joined 2 "$last")" "$long"
check "outbox records the part count" test \
    "$(sql "SELECT parts FROM outbox WHERE recipient = '+6281100000002'")" -eq $((last - 1))

# The network refuses part 2 of a long reply: the retry sends the parts
# not yet sent with the same reference.  The native engine never sends
# part 1 again; libgammu's sends the whole reply again (a new reference).
atsim_ctl m1 fail-send 1 38 1 >/dev/null
base=$(recs)
atsim_ctl m1 inject +6281100000009 "INFO PUPUK" >/dev/null
check "part 2 refused, the reply retried and sent" wait_sent +6281100000009
mine() { sed -n "$((base + 1)),\$p" "$T/m1.rec" | awk -F'\t' '$2 == "+6281100000009"' | cut -f4; }
check "every part reached the modem" test \
    "$(mine | cut -d/ -f2,3 | sort -u | tr '\n' ' ')" = "1/4 2/4 3/4 4/4 "
if [ "${KT_ENGINE:-native}" = native ]; then
	check "native engine: each part sent once, part 1 not again" test \
	    "$(mine | wc -l)" -eq 4
	check "native engine: one reference for all parts" test \
	    "$(mine | cut -d/ -f1 | sort -u | wc -l)" -eq 1
	check "native engine: the retry said so" grep -q \
	    "parts 1-1 of 4 went out before; sending the rest" "$T/daemon.log"
fi
check "outbox records all four parts" test \
    "$(sql "SELECT parts, attempts FROM outbox WHERE recipient = '+6281100000009'")" = "4|2"

# GSM-7 extension table: stays one GSM-7 part.
base=$(recs)
atsim_ctl m1 inject +6281100000003 "INFO PROMO" >/dev/null
check "extension-table reply" wait_sent +6281100000003
check "extension-table reply is GSM-7" test "$(sed -n "$((base + 1))p" "$T/m1.rec" | cut -f3,4)" = "gsm7	0/1/1"
# (the record file writes a backslash as \\)
check "extension characters intact" sh -c "sed -n '$((base + 1))p' '$T/m1.rec' | cut -f5 | sed 's/[\\\\][\\\\]/\\\\/g' | grep -qF \"\$1\"" - "$ext"

# UCS-2 in: accents and emoji arrive as UTF-8; the name goes back with
# its accents but never its emoji (a name is kept, a reply stays lean).
base=$(recs)
name="José Ñandú 😀"
atsim_ctl m1 inject +6281100000004 "DAFTAR $name#Désa Wétan" >/dev/null
check "UCS-2 message answered" wait_sent +6281100000004
check "UCS-2 text stored as UTF-8" test \
    "$(sql "SELECT coding || '|' || text FROM inbox WHERE sender = '+6281100000004'")" = "ucs2|DAFTAR $name#Désa Wétan"
check "reply goes out in UCS-2" test "$(sed -n "$((base + 1))p" "$T/m1.rec" | cut -f3)" = ucs2
check "the name comes back with its accents" sh -c "sed -n '$((base + 1))p' '$T/m1.rec' | cut -f5 | grep -qF \"\$1\"" - "José Ñandú!"
check "and without the emoji" sh -c "! sed -n '$((base + 1))p' '$T/m1.rec' | cut -f5 | grep -qF \"\$1\"" - "😀"

# A long UCS-2 reply: concatenated UCS-2 parts, emoji not split.
base=$(recs)
atsim_ctl m1 inject +6281100000005 "INFO KOPI" >/dev/null
check "long UCS-2 reply" wait_sent +6281100000005
last=$(recs)
check "long UCS-2 reply is UCS-2 only" test "$(sed -n "$((base + 1)),${last}p" "$T/m1.rec" | cut -f3 | sort -u)" = ucs2
check "long UCS-2 reply arrives whole" sh -c "echo \"\$1\" | grep -qF \"\$2\"" - "$(joined $((base + 1)) "$last")" "$uni"

# 8-bit data is stored, not answered.
base=$(recs)
atsim_ctl m1 inject-8bit +6281100000006 0102FF >/dev/null
check "8-bit message stored as ignored" wait_for 10 sh -c \
    "[ \"\$(sqlite3 '$T/kt.db' \"SELECT coding, state FROM inbox WHERE sender = '+6281100000006'\")\" = '8bit|ignored' ]"
check "8-bit message not answered" test "$(recs)" -eq "$base"
check "every message deleted from the SIM" wait_for 10 sh -c \
    "'$ATSIM' ctl '$T/m1.ctl' stats | grep -q 'stored=0 '"
check "SIGTERM stops cleanly" stop_daemon
finish
