#!/bin/sh
# Started as root with user = "nobody": links the service user plants
# beside the database or the pid file never make root hand over, change
# or write another file; a folder others can write is refused; the pid
# file stays root's and is removed at stop.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! getent passwd nobody >/dev/null; then
	echo "  SKIP: needs root and the user nobody"
	finish; exit
fi
as_nobody() { runuser -u nobody -- "$@"; }

write_conf "$(dummy_modem demo)"
chmod 711 "$T"
mkdir "$T/state" && chown nobody "$T/state"
sed -e "s|$T/kt.db|$T/state/kt.db|" -e "s|$T/demo|$T/state/demo|" \
    -e "s|$T/kentongand.pid|$T/state/kentongand.pid|" "$T/kt.conf" \
    > "$T/root.conf"
echo 'user = "nobody";' >> "$T/root.conf"
"$KT" -c "$T/root.conf" price set CABAI KEDIRI 45000 >/dev/null
chown nobody "$T/state/kt.db"*

# victim NAME: a root-owned file the attack aims at.
victim() { echo "secret" > "$T/$1"; chmod 640 "$T/$1"; }
victim_intact() { # victim_intact NAME
	[ "$(stat -c '%u %a' "$T/$1")" = "0 640" ] && [ "$(cat "$T/$1")" = "secret" ]
}
# start_root: start as root in the foreground, wait for it to exit or run.
start_root() {
	"$KTD" -c "$T/root.conf" -f > "$T/root.log" 2>&1 &
	rootpid=$!
	wait_for 20 sh -c "grep -q 'kentongand started' '$T/root.log' || ! kill -0 $rootpid 2>/dev/null"
}
stop_root() {
	kill -TERM "$rootpid" 2>/dev/null
	wait "$rootpid" 2>/dev/null
}

for f in kt.db.lock kt.db-wal kt.db-shm kt.db; do
	victim "victim-$f"
	[ "$f" = kt.db ] && mv "$T/state/kt.db" "$T/kt.db.keep"
	as_nobody ln -s "$T/victim-$f" "$T/state/$f"
	start_root; stop_root
	check "symlink $f: start refused" grep -q "$f: not a plain file with one link; refusing it" "$T/root.log"
	check "symlink $f: the victim stays root's and unchanged" victim_intact "victim-$f"
	rm -f "$T/state/$f"
	[ "$f" = kt.db ] && mv "$T/kt.db.keep" "$T/state/kt.db"
done

victim victim-pid
as_nobody ln -s "$T/victim-pid" "$T/state/kentongand.pid"
"$KTD" -c "$T/root.conf" > "$T/root.log" 2>&1
check "symlinked pid file: the victim stays root's and unchanged" victim_intact victim-pid
rm -f "$T/state/kentongand.pid"

chmod 777 "$T/state"
start_root; stop_root
check "a database folder writable by others is refused" grep -q "state: folder writable by other users" "$T/root.log"
check "and it did not start" sh -c "! grep -q 'kentongand started' '$T/root.log'"
chmod 755 "$T/state"

"$KTD" -c "$T/root.conf"; rc=$?
check "a clean start as root daemonizes" test $rc -eq 0
check "pid file written" wait_for 10 test -s "$T/state/kentongand.pid"
bgpid=$(cat "$T/state/kentongand.pid" 2>/dev/null)
check "the pid file stays root's" test "$(stat -c %u "$T/state/kentongand.pid")" = 0
check "the daemon runs as nobody" wait_for 10 sh -c "test \"\$(awk '/^Uid:/ {print \$3}' /proc/${bgpid:-0}/status)\" = $(id -u nobody)"
check "the lock is handed over" test "$(stat -c %u "$T/state/kt.db.lock")" = "$(id -u nobody)"
kill -TERM "${bgpid:-0}"
check "SIGTERM removes the pid file" wait_for 30 sh -c "! test -e '$T/state/kentongand.pid'"
check "and the daemon is gone" wait_for 10 sh -c "! kill -0 ${bgpid:-0} 2>/dev/null"
chmod 700 "$T"
finish
