#!/bin/sh
# The console's content pages in a real browser (tests/browser/pages.py):
# contacts and groups, the broadcast composer, on a private kentongand
# with the dummy phone.  Quiet hours are two hours from now, for an hour.
. "$(dirname "$0")/lib.sh"

h=$(( ($(date +%H | sed 's/^0//') + 2) % 24 ))
QUIET=$(printf '%02d:00-%02d:00' "$h" $(( (h + 1) % 24 )))
KT_EXTRA_CONF="cost_per_part = 150; quiet_hours = \"$QUIET\"; ussd = { open = true; };"
export QUIET
browser_daemon $((20000 + $$ % 1000))
kt() { "$KT" -c "$T/kt.conf" "$@" >/dev/null; }
kt contact add 081200000001 --name "Sari" --village Sukamaju --group PETANI
kt contact add 081200000002 --name "Budi" --village Sukamaju --group PETANI --group IBU
kt contact add 081200000003 --name "Wati" --village Cibodas --lang en --group PETANI
kt contact add 081200000004 --name "Joko" --village Cibodas --group PETANI
kt contact set 081200000004 --opted-out yes
check "four contacts to start from" test "$(sql "SELECT count(*) FROM contacts")" = 4

run_py pages.py
check "pages.py passes in chromium" test $? -eq 0
check "SIGTERM stops cleanly" stop_daemon
finish
