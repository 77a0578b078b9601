#!/bin/sh
# smstools3's eventhandler in the benchmark: the same HARGA lookup as
# smsd-reply.sh, the way a smstools3 user would write it: the price from
# SQLite, the reply written as a file into the outgoing spool (to a
# temporary name first, then renamed, so smsd never reads half a file).
#
# usage (in smsd.conf): eventhandler = smstools-reply.sh
# smsd calls it as: smstools-reply.sh EVENT FILE; only RECEIVED matters.
# PRICES_DB and OUTGOING come from the environment smsd was started in.
[ "$1" = RECEIVED ] || exit 0
from=$(sed -n 's/^From: *//p' "$2" | head -1)
# The text is what follows the first empty line.
text=$(sed '1,/^$/d' "$2")
# shellcheck disable=SC2046
set -- $(printf '%s\n' "$text" | tr '[:lower:]' '[:upper:]' |
    tr -c 'A-Z0-9\n' ' ')
if [ "${1:-}" = HARGA ] && [ -n "${2:-}" ]; then
	row=$(sqlite3 -batch -separator ' ' "$PRICES_DB" ".parameter set @c '$2'" \
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
tmp=$(mktemp "$OUTGOING/.reply.XXXXXX") || exit 1
printf 'To: %s\n\n%s\n' "$from" "$reply" > "$tmp"
mv "$tmp" "$OUTGOING/reply.${tmp##*.}"
