#!/bin/sh
# The HTTP server under abuse, with the daemon's descriptor limit at 128:
# 320 idle loopback connections (the connection cap), then the limit cut
# to 40 under it (accept fails with EMFILE), and a client trickling one
# header line a second.  The loop must stay under 20 % of a core, log the
# accept error at most once a minute, and still answer /healthz and SMS.
# Then token guessing: 429 after ten wrong tokens a minute.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
port=$((19000 + $$ % 1000))
IDLE=320

# hold N SECONDS: open N connections to the port and keep them, idle.
hold() {
	perl -MIO::Socket::INET -e '
	    my ($port, $n, $secs) = @ARGV; my @s;
	    for (1 .. $n) {
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, Blocking => 0) or last;
		push @s, $c;
	    }
	    sleep $secs;' "$port" "$1" "$2" &
	holder=$!
}

# trickle: send a request one header line a second; print the seconds
# until the server closed it (or "open" after 15).
trickle() {
	perl -MIO::Socket::INET -e '
	    $SIG{PIPE} = "IGNORE";
	    my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		PeerPort => $ARGV[0]) or die "connect: $!";
	    my $t0 = time; print $c "GET /healthz HTTP/1.1\r\n";
	    for my $i (1 .. 15) {
		sleep 1;
		if (!print $c "X-Slow-$i: x\r\n") { print time - $t0; exit }
		my $rin = ""; vec($rin, fileno($c), 1) = 1;
		if (select($rin, undef, undef, 0) > 0 &&
		    sysread($c, my $buf, 4096) == 0) { print time - $t0; exit }
	    }
	    print "open";' "$port"
}

# cpu_percent SECONDS: the daemon's CPU use over a window, in percent.
cpu_percent() {
	hz=$(getconf CLK_TCK)
	t0=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
	sleep "$1"
	t1=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
	echo $(( (t1 - t0) * 100 / (hz * $1) ))
}

healthz() { curl -s -o /dev/null -w '%{http_code}' --max-time 40 "http://127.0.0.1:$port/healthz"; }
# sms_answered NUMBER: a HARGA SMS arrives on the simulated modem (its
# own process, not the daemon's descriptors) and its reply goes out.
sms_answered() {
	sent_before=$(atsim_records m1)
	atsim_ctl m1 inject "+62${1#0}" "HARGA CABAI KEDIRI" >/dev/null
	wait_for 20 sh -c "[ \$(wc -l < '$T/m1.rec') -gt $sent_before ]" &&
	    tail -n 1 "$T/m1.rec" | grep -q 45.000
}

atsim_start m1
write_conf "$(at_modem m1)"
cat >> "$T/kt.conf" <<CONF
http = { listen = "127.0.0.1:$port"; token = "$TOKEN"; request_timeout = 2; };
CONF
"$KT" -c "$T/kt.conf" price set CABAI KEDIRI 45000 >/dev/null
sh -c "ulimit -n 128 && exec '$KTD' -c '$T/kt.conf' -f -v" >> "$T/daemon.log" 2>&1 &
daemon_pid=$!
check "daemon starts with 128 descriptors" wait_for 20 grep -q "http: listening" "$T/daemon.log"
check "the modem comes up" wait_for 20 modem_up m1

hold "$IDLE" 30
cpu=$(cpu_percent 4)
echo "  cpu with $IDLE idle connections: $cpu %"
check "under the cap: the loop stays under 20 % CPU" test "$cpu" -lt 20
check "under the cap: /healthz answers" test "$(healthz)" = 200
check "under the cap: an SMS is answered" sms_answered 081234567891
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

prlimit --pid "$daemon_pid" --nofile=40:40
hold "$IDLE" 30
cpu=$(cpu_percent 4)
echo "  cpu with $IDLE idle connections at 40 descriptors: $cpu %"
check "EMFILE: the loop stays under 20 % CPU" test "$cpu" -lt 20
check "EMFILE: the accept error is logged" grep -q "http: accept: Too many open files" "$T/daemon.log"
check "EMFILE: logged once, not per attempt" test "$(grep -c 'http: accept:' "$T/daemon.log")" -le 1
check "EMFILE: /healthz answers" test "$(healthz)" = 200
check "EMFILE: an SMS is answered" sms_answered 081234567892
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

secs=$(trickle)
echo "  a header line a second: closed after $secs s"
check "a trickling request is closed within its deadline" sh -c "[ '$secs' != open ] && [ '$secs' -le 5 ]"
check "still serving afterwards" test "$(healthz)" = 200
# Token guessing: ten wrong tokens in a minute, then 429 without a look.
code() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$port/api/v1/prices"; }
for i in 1 2 3 4 5 6 7 8 9 10; do code "guess-$i-0123456789abcdef" >/dev/null; done
check "the 11th wrong token: 429" test "$(code guess-11-0123456789abcdef)" = 429
check "and even the right one, until the window ends" test "$(code "$TOKEN")" = 429
check "/healthz (no token) still answers" test "$(healthz)" = 200
check "the guessing is logged once" test "$(grep -c 'wrong tokens from 127.0.0.1' "$T/daemon.log")" = 1
check "SIGTERM stops cleanly" stop_daemon
finish
