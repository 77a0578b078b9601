#!/bin/sh
# The built-in default: a demo folder with a configuration, a database of
# sample prices and gammu's dummy phone, then the daemon in the foreground.
# usage: scripts/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
demo=${KENTONGAN_DEMO:-$top/demo}
conf=$demo/kentongan.conf

mkdir -p "$demo"
if [ ! -f "$conf" ]; then
	sed -e "s|@DEMO@|$demo|g" "$top/config/demo.conf.in" > "$conf"
	echo "demo: wrote $conf"
fi
if [ ! -f "$demo/kentongan.db" ]; then
	# Sample prices: yesterday's and today's, so replies show a change.
	yesterday=$(date -d yesterday +%Y-%m-%d)
	while IFS=' ' read -r commodity market old new unit; do
		case $commodity in ''|\#*) continue ;; esac
		"$top/$build/kentongan" -c "$conf" price set "$commodity" \
		    "$market" "$old" "$unit" --date "$yesterday" >/dev/null
		"$top/$build/kentongan" -c "$conf" price set "$commodity" \
		    "$market" "$new" "$unit" >/dev/null
	done < "$top/config/sample-prices.txt"
	echo "demo: loaded sample prices into $demo/kentongan.db"
fi
cat <<MSG

  kentongan demo: the daemon runs below on gammu's dummy phone.
  In another shell, text it as a farmer would:

    $build/kentongan -c demo/kentongan.conf phone 081234567890 "HARGA CABAI"

  Ctrl-C stops the daemon.

MSG
exec "$top/$build/kentongand" -c "$conf" -f
