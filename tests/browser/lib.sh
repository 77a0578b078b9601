#!/bin/sh
# What the browser tests share: a private kentongand on gammu's dummy
# phone with an http listener and three users (admin, operator, viewer,
# passwords pass-NAME-123), and run_py to drive chromium with a script.
. "$(dirname "$0")/../integ/lib.sh"

# Debian's python3-selenium is for Debian's python, not another on PATH.
PY=/usr/bin/python3
if ! command -v chromedriver >/dev/null 2>&1 ||
    ! "$PY" -c 'import selenium' 2>/dev/null; then
	not_ok "chromium-driver and python3-selenium are installed (scripts/deps.sh --test)"
	exit 1
fi

TOKEN=browser-token-0123456789abcdef
# console_conf PORT: the dummy phone and an http listener on PORT, and
# the settings in $KT_EXTRA_CONF.
console_conf() {
	write_conf "$(dummy_modem demo)"
	echo "http = { listen = \"127.0.0.1:$1\"; token = \"$TOKEN\"; };" >> "$T/kt.conf"
	printf '%s\n' "${KT_EXTRA_CONF:-}" >> "$T/kt.conf"
}

# browser_daemon BASE: start the daemon on a free port from BASE, add the
# three users.
browser_daemon() {
	start_on_free_port "$1" console_conf
	check "daemon listens on 127.0.0.1:$port" test $? -eq 0
	check "dummy modem comes up" wait_for 20 modem_up demo
	for u in admin:admin operator:operator viewer:viewer; do
		echo "pass-${u%%:*}-123" | "$KT" -c "$T/kt.conf" user add "${u%%:*}" \
		    --role "${u#*:}" --password-stdin >/dev/null
	done
	check "three console users" test "$(sql "SELECT count(*) FROM users")" = 3
}

# run_py SCRIPT: the script against the daemon; KT_SCREENSHOTS=DIR keeps
# a screenshot of each page there (docs/console for the README).
run_py() {
	shots=${KT_SCREENSHOTS:-$T/shots}
	mkdir -p "$shots"
	KT_URL="http://127.0.0.1:$port" KT_CLI="$KT" KT_CONF="$T/kt.conf" \
	    KT_DB="$T/kt.db" KT_TMP="$T" KT_SHOTS="$shots" \
	    PYTHONPATH="$(dirname "$0")" PYTHONDONTWRITEBYTECODE=1 \
	    "$PY" "$(dirname "$0")/$1"
}
