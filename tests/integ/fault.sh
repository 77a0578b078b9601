#!/bin/sh
# Fault test: the database locked by another writer for longer than the
# daemon's busy timeout (while a message arrives, and while a send
# finishes), and the database's disk full (a 2 MB tmpfs). The daemon
# logs, keeps the message on the SIM or the result in memory, carries on,
# and answers once when the fault clears. (Modem faults — send errors, a
# hung or vanished modem, a full SIM, a wrong PIN — are in at_*.sh.)
. "$(dirname "$0")/lib.sh"

kt() { "$KT" -c "$T/kt.conf" "$@"; }
# inject NUMBER TEXT: put an SMS on the dummy phone without touching the
# daemon's database (the daemon does it, asked on its control socket).
inject() {
	[ "$(ctl_say "inject demo $1 $2
")" = ok ] &&
	    wait_for 10 sh -c "[ -n \"\$(ls '$T/demo/sms/1' 2>/dev/null)\" ]"
}
replies_to() { sql "SELECT COUNT(*) FROM outbox WHERE recipient = '$1' AND state = 'sent'"; }
answered_once() { [ "$(replies_to "$1")" = 1 ]; }

write_conf "$(dummy_modem demo)"
kt price set CABAI KEDIRI 45000 kg >/dev/null
check "daemon starts" start_daemon
check "dummy modem comes up" wait_for 20 modem_up demo

# 1. Another writer holds the database for 12 s (the busy timeout is 5 s).
(echo "BEGIN EXCLUSIVE; INSERT INTO audit (at, actor, action, detail)
       VALUES (0, 'fault.sh', 'lock', 'holding');"; sleep 12;
 echo "COMMIT;") | sqlite3 "$T/kt.db" &
locker=$!
sleep 1		# let the locker take the lock
check "a message arrives while locked" inject 081200000001 "HARGA CABAI"
check "the failed commit is logged" wait_for 20 grep -q " database: database is locked" "$T/daemon.log"
check "the message stays on the phone while locked" test -n "$(ls "$T/demo/sms/1" 2>/dev/null)"
check "daemon still up while locked" kill -0 "$daemon_pid"
wait "$locker"
check "answered once the lock is gone" wait_for 60 answered_once +6281200000001
check "and read from the phone only then" wait_for 10 sh -c "[ -z \"\$(ls '$T/demo/sms/1')\" ]"
check "stop after the lock" stop_daemon

# 2. A send finishes while another writer holds the database: the result
# is kept and recorded when the lock goes, and the message is not resent.
check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
check "daemon starts on the AT modem" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1
atsim_ctl m1 send-delay 4000 >/dev/null
atsim_ctl m1 inject +6281200000003 "HARGA CABAI" >/dev/null
sending() { [ "$(sql "SELECT state FROM outbox WHERE recipient = '+6281200000003'")" = sending ]; }
check "the reply is in the modem's hands" wait_for 20 sending
(echo "BEGIN EXCLUSIVE; DELETE FROM audit WHERE 0;"; sleep 16;
 echo "COMMIT;") | sqlite3 "$T/kt.db" &
locker=$!
check "the refused result is logged" wait_for 30 grep -q "cannot record the result yet" "$T/daemon.log"
wait "$locker"
check "recorded once the lock is gone" wait_for 20 answered_once +6281200000003
check "recorded late, not resent" grep -q "result recorded late" "$T/daemon.log"
check "the modem got it exactly once" test "$(cut -f2 "$T/m1.rec" | grep -c '^+6281200000003$')" = 1
check "stop after the second lock" stop_daemon
write_conf "$(dummy_modem demo)"

# 3. The disk under the database fills up.
if [ "$(id -u)" -ne 0 ] || ! mkdir -p "$T/small" ||
    ! mount -t tmpfs -o size=2m tmpfs "$T/small" 2>/dev/null; then
	echo "  SKIP: full disk (mounting a tmpfs needs root)"
	finish
	exit $?
fi
trap 'umount "$T/small" 2>/dev/null; cleanup' EXIT
cp "$T/kt.db" "$T/small/kt.db"
rm -f "$T/kt.db-wal" "$T/kt.db-shm"
sed -i "s|$T/kt.db|$T/small/kt.db|" "$T/kt.conf"
sql() { sqlite3 -batch -noheader "$T/small/kt.db" "$@"; }
CTL_SOCK="$T/small/kt.db.ctl"
check "daemon starts on the small disk" start_daemon
check "dummy modem comes up again" wait_for 20 modem_up demo
dd if=/dev/zero of="$T/small/fill" bs=4k 2>/dev/null
check "the disk is full" test "$(df -k "$T/small" | awk 'NR == 2 {print $4}')" -lt 8
# The WAL still has reusable room: use it up until SQLite says full.
n=0
while [ $n -lt 200 ] && sql "INSERT INTO audit (at, actor, action, detail)
    VALUES (0, 'fault.sh', 'fill', hex(randomblob(20000)))" 2>/dev/null; do
	n=$((n + 1))
done
check "SQLite refuses writes ($n went in first)" test $n -lt 200
marked=$(wc -l < "$T/daemon.log")
check "a message arrives while full" inject 081200000002 "HARGA CABAI KEDIRI"
check "the failed commit is logged" wait_for 30 sh -c "tail -n +$marked '$T/daemon.log' | grep -q 'inbox.*full\|full.*inbox\|database or disk is full'"
sleep 2
check "nothing stored from it while full" test "$(sql "SELECT COUNT(*) FROM inbox WHERE sender = '+6281200000002'")" = 0
check "the message stays on the phone while full" test -n "$(ls "$T/demo/sms/1" 2>/dev/null)"
check "daemon still up while full" kill -0 "$daemon_pid"
sql "DELETE FROM audit WHERE action = 'fill'" 2>/dev/null
rm -f "$T/small/fill"
check "answered once space is back" wait_for 60 answered_once +6281200000002
check "nothing left on the phone" wait_for 10 sh -c "[ -z \"\$(ls '$T/demo/sms/1')\" ]"
check "integrity_check ok" test "$(sql "PRAGMA integrity_check")" = ok
check "SIGTERM stops cleanly" stop_daemon
finish
