#!/bin/sh
# The web console in a real browser: a private kentongand on gammu's dummy
# phone with an http listener, three users, and tests/browser/console.py
# driving Debian's chromium through chromedriver.  KT_SCREENSHOTS=DIR
# keeps a screenshot of each page there (docs/console for the README).
. "$(dirname "$0")/../integ/lib.sh"

# Debian's python3-selenium is for Debian's python, not another on PATH.
PY=/usr/bin/python3
if ! command -v chromedriver >/dev/null 2>&1 ||
    ! "$PY" -c 'import selenium' 2>/dev/null; then
	not_ok "chromium-driver and python3-selenium are installed (scripts/deps.sh --test)"
	exit 1
fi

TOKEN=browser-token-0123456789abcdef
# console_conf PORT: the dummy phone and an http listener on PORT.
console_conf() {
	write_conf "$(dummy_modem demo)"
	echo "http = { listen = \"127.0.0.1:$1\"; token = \"$TOKEN\"; };" >> "$T/kt.conf"
}
start_on_free_port $((19000 + $$ % 1000)) console_conf
check "daemon listens on 127.0.0.1:$port" test $? -eq 0
check "dummy modem comes up" wait_for 20 modem_up demo
for u in admin:admin operator:operator viewer:viewer; do
	echo "pass-${u%%:*}-123" | "$KT" -c "$T/kt.conf" user add "${u%%:*}" \
	    --role "${u#*:}" --password-stdin >/dev/null
done
check "three console users" test "$(sql "SELECT count(*) FROM users")" = 3
check "no password is stored in clear" test "$(sql "SELECT count(*) FROM users WHERE hash LIKE '\$y\$%' AND hash NOT LIKE '%pass-%'")" = 3

shots=${KT_SCREENSHOTS:-$T/shots}
mkdir -p "$shots"
KT_URL="http://127.0.0.1:$port" KT_CLI="$KT" KT_CONF="$T/kt.conf" \
    KT_DB="$T/kt.db" KT_TMP="$T" KT_SHOTS="$shots" \
    "$PY" "$(dirname "$0")/console.py"
check "console.py passes in chromium" test $? -eq 0
check "failed logins are logged with the name escaped" grep -q 'console: login failed for "operator" from 127.0.0.1' "$T/daemon.log"
check "no password reaches the log" sh -c "! grep -q 'pass-\|wrong-pass' '$T/daemon.log'"
check "the bearer-token API still works" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/inbox")" = 200
check "SIGTERM stops cleanly with the console open" stop_daemon
finish
