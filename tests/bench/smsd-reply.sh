#!/bin/sh
# gammu-smsd's RunOnReceive in the benchmark: the HARGA lookup kentongan
# does, written the way a gammu-smsd user would: the price from SQLite,
# the reply queued with gammu-smsd-inject (files backend).
#
# usage (in smsdrc): RunOnReceive = smsd-reply.sh SMSDRC PRICES_DB
# gammu-smsd appends the inbox file names and sets SMS_1_NUMBER and
# SMS_1_TEXT.
rc=$1
db=$2
# Keywords and commodities in capitals, punctuation as spaces.
# shellcheck disable=SC2046
set -- $(printf '%s\n' "${SMS_1_TEXT:-}" | tr '[:lower:]' '[:upper:]' |
    tr -c 'A-Z0-9\n' ' ')
if [ "${1:-}" = HARGA ] && [ -n "${2:-}" ]; then
	row=$(sqlite3 -batch -separator ' ' "$db" ".parameter set @c '$2'" \
	    "SELECT market, price, unit FROM prices WHERE commodity = @c
	     ORDER BY price DESC LIMIT 1")
	if [ -n "$row" ]; then
		# shellcheck disable=SC2086
		set -- "$2" $row
		reply="$1, Pasar $2: Rp$3/$4"
	else
		reply="Harga $2 tidak dikenal."
	fi
else
	reply="Kirim HARGA <komoditas>, contoh: HARGA CABAI"
fi
exec gammu-smsd-inject -c "$rc" TEXT "${SMS_1_NUMBER:-}" -text "$reply" \
    >/dev/null 2>&1
