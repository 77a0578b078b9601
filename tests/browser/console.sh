#!/bin/sh
# The web console in a real browser: a private kentongand on gammu's dummy
# phone with an http listener, three users, and tests/browser/console.py
# driving Debian's chromium through chromedriver.  KT_SCREENSHOTS=DIR
# keeps a screenshot of each page there (docs/console for the README).
. "$(dirname "$0")/lib.sh"

browser_daemon $((19000 + $$ % 1000))
check "no password is stored in clear" test "$(sql "SELECT count(*) FROM users WHERE hash LIKE '\$y\$%' AND hash NOT LIKE '%pass-%'")" = 3

run_py console.py
check "console.py passes in chromium" test $? -eq 0
check "failed logins are logged with the name escaped" grep -q 'console: login failed for "operator" from 127.0.0.1' "$T/daemon.log"
check "no password reaches the log" sh -c "! grep -q 'pass-\|wrong-pass' '$T/daemon.log'"
check "the bearer-token API still works" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/inbox")" = 200
check "SIGTERM stops cleanly with the console open" stop_daemon
finish
