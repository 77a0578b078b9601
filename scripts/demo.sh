#!/bin/sh
# The built-in default: a demo folder with a configuration, a database of
# sample prices and gammu's dummy phone, then the daemon in the foreground.
# usage: scripts/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
demo=${KENTONGAN_DEMO:-$top/demo}
conf=$demo/kentongan.conf
port=${KENTONGAN_PORT:-8080}

mkdir -p "$demo"
if [ ! -f "$conf" ]; then
	sed -e "s|@DEMO@|$demo|g" -e "s|@PORT@|$port|g" \
	    "$top/config/demo.conf.in" > "$conf"
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
	# An info page, a group and a training, so every keyword has something.
	kt="$top/$build/kentongan -c $conf"
	$kt info set PUPUK "Pupuk urea: 2x per musim, 100 kg/ha. Tanya PPL desa." >/dev/null
	$kt info set PUPUK "Urea: twice a season, 100 kg/ha. Ask the village extension officer." --lang en >/dev/null
	$kt info set CUACA "Musim hujan: waspada banjir di sawah dekat sungai." >/dev/null
	$kt group create PETANI "Kelompok tani" >/dev/null
	$kt event create TANI24 "Pelatihan pupuk" --quota 30 \
	    --deadline "$(date -d '+7 days' +%Y-%m-%d)" \
	    --date "$(date -d '+9 days' +%Y-%m-%d)" --place "Balai desa" >/dev/null
	echo "demo: loaded sample prices, info pages, a group and an event into $demo/kentongan.db"
fi
# A demo folder from before the console: give it the http listener.
grep -q '^http = ' "$conf" || sed -n -e "s|@PORT@|$port|g" -e '/^http = /p' \
    "$top/config/demo.conf.in" >> "$conf"
# The console's demo account (a demo folder from before gets it too).
if ! "$top/$build/kentongan" -c "$conf" user list | grep -q '^admin	'; then
	echo kentongan-demo | "$top/$build/kentongan" -c "$conf" user add \
	    admin --role admin --password-stdin >/dev/null
	echo "demo: console account admin, password kentongan-demo"
fi
listen=$(sed -n 's/^http = { listen = "\([^"]*\)".*/\1/p' "$conf")
cat <<MSG

  kentongan demo: the daemon runs below on gammu's dummy phone.

  Web console: http://${listen:-127.0.0.1:$port}/console/
  log in as admin, password kentongan-demo; try the Simulator page.
  In another shell, text it as a farmer would:

    $build/kentongan -c demo/kentongan.conf phone 081234567890 "HARGA CABAI"
    $build/kentongan -c demo/kentongan.conf phone 081234567890 "INFO PUPUK"
    $build/kentongan -c demo/kentongan.conf phone 081234567890 "DAFTAR TANI24 Budi"

  Ctrl-C stops the daemon.

MSG
exec "$top/$build/kentongand" -c "$conf" -f
