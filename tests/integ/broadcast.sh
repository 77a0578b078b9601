#!/bin/sh
# Broadcasts through the daemon and two dummy modems: a group reaches each
# member once, spread over both modems; SIAR from an admin phone (right
# PIN, wrong PIN, not an admin) with its summary; scheduled and cancelled
# broadcasts; send_rate and daily_cap; kill -9 mid-broadcast and restart.
. "$(dirname "$0")/lib.sh"

ADMIN=+62811222333
kt() { "$KT" -c "$T/kt.conf" "$@"; }
modem() { # modem NAME EXTRA
	echo "{ name = \"$1\"; device = \"$T/$1\"; connection = \"none\"; model = \"dummy\"; poll_interval = 1; $2 }"
}
conf() { # conf M1_EXTRA M2_EXTRA
	write_conf "$(modem m1 "$1"), $(modem m2 "$2")"
	cat >> "$T/kt.conf" <<CONF
admins = ( { phone = "0811222333"; pin = "1234"; } );
send_attempts = 5;
retry_base = 5;
CONF
}
count() { sql "SELECT COUNT(*) FROM outbox WHERE $1"; }
bstate() { sql "SELECT state FROM broadcasts WHERE id = $1"; }
sent_of() { [ "$(count "broadcast_id = $1 AND state = 'sent'")" -ge "$2" ]; }
state_is() { [ "$(bstate "$1")" = "$2" ]; }
both_up() { [ "$(sql "SELECT COUNT(*) FROM modems WHERE state = 'up'")" = 2 ]; }
summary_sent() { [ "$(count "recipient = '$ADMIN' AND text LIKE '%selesai: 40 terkirim%' AND state = 'sent'")" = 1 ]; }
row_sent() { [ "$(sql "SELECT state FROM outbox WHERE id = $1")" = sent ]; }

conf "" ""
kt outbox list >/dev/null		# creates the database
sql "INSERT INTO contacts (phone, opted_out, created_at, updated_at)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
     WHERE i < 42) SELECT printf('+628120000%04d', i), i = 41, 0, 0 FROM n;
     INSERT INTO groups (name, created_at) VALUES ('PETANI', 0);
     INSERT INTO group_members SELECT 1, id, 0 FROM contacts WHERE id <= 41;"

check "daemon starts with two dummy modems" start_daemon
check "both modems come up" wait_for 20 both_up

# A group broadcast: every member but the opted-out one, once.
out=$(kt broadcast send --to PETANI "Pelatihan pupuk Sabtu 09.00 di balai desa")
check "send reports 40 recipients" sh -c "echo '$out' | grep -q '40 recipients'"
check "all 40 are sent" wait_for 30 sent_of 1 40
check "each member exactly once, opted-out and non-member left out" test "$(sql "SELECT COUNT(DISTINCT recipient) || ' ' || COUNT(*) || ' ' || SUM(recipient IN ('+6281200000041', '+6281200000042')) FROM outbox WHERE broadcast_id = 1")" = "40 40 0"
check "spread over both modems" test "$(sql "SELECT COUNT(DISTINCT modem) FROM outbox WHERE broadcast_id = 1")" = 2
check "broadcast settles as done" wait_for 10 state_is 1 done
check "show has progress" sh -c "'$KT' -c '$T/kt.conf' broadcast show 1 | grep -q '0 queued, 40 sent'"
check "unknown group: exit 3" sh -c "'$KT' -c '$T/kt.conf' broadcast send --to NOPE hi 2>/dev/null; [ \$? -eq 3 ]"

# SIAR from the phone.
reply=$(kt phone 081299999999 "SIAR 1234 PETANI halo")
check "non-admin is refused" sh -c "echo '$reply' | grep -q 'ditolak'"
reply=$(kt phone 0811222333 "SIAR 9999 PETANI halo")
check "wrong PIN is refused" sh -c "echo '$reply' | grep -q 'ditolak'"
check "refused attempts are recorded" test "$(sql "SELECT COUNT(*) FROM admin_attempts")" = 2
reply=$(kt phone 0811222333 "SIAR 1234 PETANI Rapat kelompok besok pagi")
check "admin with the right PIN: ack with count" sh -c "echo '$reply' | grep -q '40 nomor'"
check "admin broadcast goes out" wait_for 30 sent_of 2 40
check "admin gets a completion summary" wait_for 15 summary_sent

# Scheduled: not before its time; fires when due.
out=$(kt broadcast schedule --at "2099-01-01 08:00" --to group:PETANI "Jadwal")
check "schedule accepted" sh -c "echo '$out' | grep -q 'broadcast 3: group:PETANI scheduled'"
sleep 4
check "not sent before its time" test "$(bstate 3)/$(count "broadcast_id = 3")" = "scheduled/0"
sql "UPDATE broadcasts SET scheduled_at = 1 WHERE id = 3"
check "fires when due" wait_for 30 sent_of 3 40
check "event reminder to an unknown event: exit 3" sh -c "'$KT' -c '$T/kt.conf' broadcast remind NOPE --at '2099-01-01 08:00' hi 2>/dev/null; [ \$? -eq 3 ]"
check "SIGTERM stops cleanly" stop_daemon

# Pacing: m1 at 120 a minute, m2 capped 5 parts above what it sent today.
m2today=$(sql "SELECT SUM(parts) FROM outbox WHERE modem = 'm2' AND sent_at >= strftime('%s', 'now', 'start of day', 'utc')")
cap=$((m2today + 5))
conf "send_rate = 120;" "daily_cap = $cap;"
check "daemon restarts with rate and cap" start_daemon
kt broadcast send --to PETANI "Harga pupuk naik" >/dev/null
check "a dozen sent" wait_for 30 sent_of 4 12
# kill -9 in the middle of the broadcast, then start again.
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
left=$(count "broadcast_id = 4 AND state IN ('queued', 'sending')")
check "killed mid-broadcast ($left left)" test "$left" -gt 0
restart=$(date +%s)
check "daemon restarts after kill -9" start_daemon
check "every recipient is sent after the restart" wait_for 60 sent_of 4 40
check "each recipient has one row" test "$(sql "SELECT COUNT(DISTINCT recipient) || ' ' || COUNT(*) FROM outbox WHERE broadcast_id = 4")" = "40 40"
check "duplicates bounded by the modems in hand" test "$(count "broadcast_id = 4 AND attempts > 1")" -le 2
check "m2 stops at its daily cap" test "$(sql "SELECT SUM(parts) FROM outbox WHERE modem = 'm2' AND sent_at >= strftime('%s', 'now', 'start of day', 'utc')")" = "$cap"
check "cap is logged" grep -q "modem m2: daily cap of $cap parts reached" "$T/daemon.log"
# After the restart m1 sends alone (m2 is capped); unpaced it would send
# them all within a second.
n1=$(count "broadcast_id = 4 AND modem = 'm1' AND sent_at >= $restart")
span=$(sql "SELECT MAX(sent_at) - MIN(sent_at) FROM outbox WHERE broadcast_id = 4 AND modem = 'm1' AND sent_at >= $restart")
check "m1 keeps to 2 a second ($n1 in ${span}s)" test "$n1" -gt 10 -a "$n1" -le $(( span * 2 + 3 ))

# Cancel while in progress: queued rows stop.
kt broadcast send --to PETANI "Batal" >/dev/null
check "cancellable broadcast starts" wait_for 20 sent_of 5 3
out=$(kt broadcast cancel 5)
check "cancel reports the messages stopped" sh -c "echo '$out' | grep -q 'broadcast 5 cancelled'"
sleep 2
sent5=$(count "broadcast_id = 5 AND state = 'sent'")
check "nothing queued after cancel" test "$(count "broadcast_id = 5 AND state IN ('queued', 'sending')")" = 0
check "cancelled rows counted" test "$(count "broadcast_id = 5 AND state = 'cancelled'")" -gt 0
check "no sends after cancel" test "$(count "broadcast_id = 5 AND state = 'sent'")" = "$sent5"
check "broadcast state is cancelled" state_is 5 cancelled
check "outbox list filters by state" sh -c "'$KT' -c '$T/kt.conf' outbox list --state cancelled --limit 3 | grep -c cancelled | grep -q 3"
id=$(sql "SELECT MIN(id) FROM outbox WHERE broadcast_id = 5 AND state = 'cancelled'")
check "outbox retry re-queues a cancelled row" sh -c "'$KT' -c '$T/kt.conf' outbox retry $id >/dev/null"
check "the retried row is sent" wait_for 20 row_sent "$id"
check "SIGTERM stops cleanly" stop_daemon

# A modem failing mid-broadcast: its message goes back to the queue and
# the other modem takes the rest.
conf "send_rate = 120;" "send_rate = 120;"
check "daemon restarts, both paced" start_daemon
check "both modems up again" wait_for 20 both_up
kt broadcast send --to PETANI "Modem mati" >/dev/null
check "the broadcast is under way" wait_for 20 sent_of 6 6
wpid=$(grep "modem m1: worker pid" "$T/daemon.log" | tail -1 | awk '{print $NF}')
check "m1's worker is our daemon's child" test "$(ps -o ppid= -p "$wpid" | tr -d ' ')" = "$daemon_pid"
kill -9 "$wpid"
check "every recipient is sent despite the failure" wait_for 40 sent_of 6 40
check "m2 took over the larger share" test "$(count "broadcast_id = 6 AND modem = 'm2'")" -gt 20
check "the failure was logged" grep -q "modem worker stopped during the send\|m1: .*-> down" "$T/daemon.log"
check "SIGTERM stops cleanly" stop_daemon

finish
