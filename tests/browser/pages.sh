#!/bin/sh
# The console's content pages in a real browser (tests/browser/pages.py):
# contacts and groups, on a private kentongand with the dummy phone.
. "$(dirname "$0")/lib.sh"

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
