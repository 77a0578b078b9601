#!/bin/sh
# The daemon's control socket (DATABASE.ctl): owner-only, a poke from the
# CLI makes the daemon act at once (the sweeps are set to ten minutes
# here, so only the poke explains a delivery), garbage and oversized
# lines are refused without harm, `ussd dial` waits on the socket, reload
# goes through it, a crash's stale socket is replaced, and a second
# daemon does not take the socket from the first.
. "$(dirname "$0")/lib.sh"

kt() { "$KT" -c "$T/kt.conf" "$@"; }
SOCK="$T/kt.db.ctl"

check "atsim starts" atsim_start m1
write_conf "$(at_modem m1)"
echo "sweep_interval = 600;" >> "$T/kt.conf"
kt price set CABAI KEDIRI 45000 kg > /dev/null
check "daemon starts" start_daemon
check "AT modem comes up" wait_for 30 modem_up m1

check "the socket is beside the database" test -S "$SOCK"
check "mode 0600, owner only" test "$(stat -c %a "$SOCK")" = 600
check "owned by the daemon's user" test "$(stat -c %u "$SOCK")" = "$(id -u)"
check "ping: ok" test "$(ctl_say "ping
")" = ok

# A subscriber, by SMS (the reply comes by the inbox's own kick).
atsim_ctl m1 inject +6281234567890 "LANGGANAN CABAI" > /dev/null
check "subscription answered" wait_for 20 sh -c "[ \$(wc -l < '$T/m1.rec') -ge 1 ]"
check "subscribed" test "$(sql "SELECT COUNT(*) FROM subscriptions")" = 1

# A price set from the CLI reaches the subscriber without a sweep.
t0=$(now_ms)
kt price set CABAI KEDIRI 47000 kg > /dev/null
check "the alert reaches the modem (the sweep is 600 s away)" \
    wait_for 30 sh -c "[ \$(wc -l < '$T/m1.rec') -ge 2 ]"
t1=$(sed -n 2p "$T/m1.rec" | cut -f1)
echo "  measured: price set -> alert PDU at the modem: $((t1 - t0)) ms" \
    "(${KT_ENGINE:-native} engine; libgammu's adds ~600 ms of sleeps)"
check "the alert holds the new price" sh -c "sed -n 2p '$T/m1.rec' | cut -f5 | grep -q 'Rp47.000'"
check "the daemon was poked" grep -q "control: poke" "$T/daemon.log"

# A broadcast from the CLI, too.
kt contact add 081300000001 > /dev/null
kt broadcast send --to all "Rapat desa besok" > /dev/null
check "a broadcast goes out without a sweep" wait_for 30 sh -c \
    "[ \$(grep -c 'Rapat desa' '$T/m1.rec') -ge 2 ]"

# Refusals: unknown, oversized, a NUL, too many at once; none harms it.
check "an unknown request is refused" test "$(ctl_say "fly me
")" = "error unknown request"
big=$(head -c 4000 /dev/zero | tr '\0' x)
check "an oversized line is refused" test "$(ctl_say "$big")" = "error request line too long"
check "a line with a NUL is refused" sh -c "[ \"\$(perl -MIO::Socket::UNIX -e '
	my \$s = IO::Socket::UNIX->new(Peer => \$ARGV[0]) or exit 9;
	print \$s \"poke\\0x\\n\"; my \$l = <\$s>; print \$l' '$SOCK')\" = 'error bad request line' ]"
check "ussd of no request is refused" test "$(ctl_say "ussd 999999
")" = "error no USSD request 999999"
check "inject into a modem that is no dummy phone is refused" sh -c \
    "[ \"\$(printf 'inject m1 +62811 hi\n' | perl -MIO::Socket::UNIX -e '
	my \$s = IO::Socket::UNIX->new(Peer => \$ARGV[0]) or exit 9;
	print \$s scalar <STDIN>; my \$l = <\$s>; print \$l' '$SOCK')\" = 'error m1 is not a dummy phone of this daemon' ]" 
busy=$(perl -MIO::Socket::UNIX -e '
	my @c; for (1 .. 40) { push @c, IO::Socket::UNIX->new(Peer => $ARGV[0]) }
	sleep 1; my $n = 0;
	for my $c (@c) { my $l = <$c>; $n++ if defined $l && $l eq "busy\n" }
	print $n' "$SOCK")
check "40 idle clients at once: the extra ones are told busy ($busy)" \
    test "$busy" -ge 20
check "and answers the next one" test "$(ctl_say "ping
")" = ok
check "the daemon is still running" kill -0 "$daemon_pid"

# USSD through the socket: the sweep is 600 s away, so only the socket
# can have started it.
out=$(kt ussd dial m1 '*888#' --wait 20)
check "ussd dial answered through the socket" test "$out" = "Sisa pulsa Anda Rp12.345. Berlaku s/d 31-12-2026"

# Reload through the socket.
check "reload: ok" sh -c "'$KT' -c '$T/kt.conf' reload | grep -q 'configuration reloaded'"
check "the daemon reloaded" grep -q "configuration reloaded from" "$T/daemon.log"
cp "$T/kt.conf" "$T/good.conf"
echo "send_attempts = 0;" >> "$T/kt.conf"
kt reload > "$T/reload.out" 2>&1
rc=$?
check "a bad configuration: exit 1 with the reason" sh -c "[ $rc -eq 1 ] && grep -q 'send_attempts' '$T/reload.out'"
cp "$T/good.conf" "$T/kt.conf"
check "and the daemon keeps running" test "$(ctl_say "ping
")" = ok

# A second daemon is kept out by the lock and leaves the socket alone.
"$KTD" -c "$T/kt.conf" -f > "$T/second.log" 2>&1
check "a second daemon is refused" grep -q "another kentongand" "$T/second.log"
check "the first still answers on its socket" test "$(ctl_say "ping
")" = ok

# A crash leaves the socket file; the next daemon replaces it.
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
check "a crash leaves a stale socket" test -S "$SOCK"
kt reload > /dev/null 2>&1
check "no daemon: reload exits 4" test $? -eq 4
kt outbox list > /dev/null
check "no daemon: a poke is no error" test $? -eq 0
check "the daemon starts over the stale socket" start_daemon
check "and answers on it" test "$(ctl_say "ping
")" = ok
check "SIGTERM stops cleanly" stop_daemon
check "the socket is removed at a clean stop" test ! -e "$SOCK"
finish
