#!/bin/sh
# A USSD callback anyone could call is refused: neither a token nor an
# allow list is a configuration error unless open = true, and ?token= in
# the URL counts only with allow_query_token = true.  And a field from
# the callback cannot forge a log line.
. "$(dirname "$0")/lib.sh"

TOKEN=test-token-0123456789abcdef
UTOKEN=ussd-token-0123456789abcdef
port=$((20000 + $$ % 1000))

# conf_with USSD_GROUP: the test config with http and that ussd group.
conf_with() {
	write_conf "$(dummy_modem demo)"
	cat >> "$T/kt.conf" <<CONF
http = { listen = "127.0.0.1:$port"; token = "$TOKEN"; };
ussd = { $1 };
CONF
}

conf_with 'timeout = 60;'
"$KTD" -c "$T/kt.conf" -n > "$T/out" 2>&1
check "-n refuses a callback with neither token nor allow, with file:line" grep -q 'kt.conf:7: ussd: anyone could use the callback' "$T/out"
timeout 20 "$KTD" -c "$T/kt.conf" -f > "$T/out" 2>&1; rc=$?
check "and the daemon does not start with it" sh -c "[ $rc -eq 1 ] && grep -q 'ussd: anyone could use the callback' '$T/out'"
conf_with 'open = true;'
check "open = true is accepted (test set-ups)" "$KTD" -c "$T/kt.conf" -n
conf_with 'allow = [ "127.0.0.1" ];'
check "an allow list alone is enough" "$KTD" -c "$T/kt.conf" -n
conf_with "token = \"$UTOKEN\";"
check "a token alone is enough" "$KTD" -c "$T/kt.conf" -n
conf_with 'allow_query_token = true; allow = [ "127.0.0.1" ];'
check "allow_query_token without a token is refused" sh -c "'$KTD' -c '$T/kt.conf' -n 2>&1 | grep -q 'allow_query_token needs a token'"

# ?token= in the URL: only when asked for.
conf_with "token = \"$UTOKEN\"; allow_query_token = true;"
check "daemon starts with allow_query_token" start_daemon
post() { # post QUERY [PHONE]: a form POST; prints body and status
	curl -s -w ' %{http_code}' -d "sessionId=q1&text=" \
	    --data-urlencode "phoneNumber=${2:-081234567890}" \
	    "http://127.0.0.1:$port/ussd$1"
}
r=$(post "?token=$UTOKEN")
check "allow_query_token: the token in the URL is taken" sh -c "case '$r' in 'CON '*' 200') exit 0;; esac; exit 1"
r=$(post "?token=wrong-0123456789abcdefgh")
check "allow_query_token: a wrong one is 401" sh -c "case '$r' in *' 401') exit 0;; esac; exit 1"
r=$(post "")
check "no token at all: 401" sh -c "case '$r' in *' 401') exit 0;; esac; exit 1"

# Log injection: a newline in a logged field cannot forge a line.
post "?token=$UTOKEN" "ABC
09:99:99.000 FORGED kentongand started" > /dev/null
check "a bad phone number is logged" wait_for 10 grep -q 'is not a phone number' "$T/daemon.log"
check "its newline is escaped, on the same line" grep -q '"ABC\\x0a09:99:99.000 FORGED kentongand started" is not a phone number' "$T/daemon.log"
check "no forged line" sh -c "! grep -q '^09:99:99.000 FORGED' '$T/daemon.log'"
check "SIGTERM stops cleanly" stop_daemon
finish
