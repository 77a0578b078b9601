#!/bin/sh
# TLS on the http listener (tls_cert, tls_key): the API and the console
# answer over HTTPS only, the session cookie is Secure, and a bad key or
# half a pair is refused with the reason.
. "$(dirname "$0")/lib.sh"

TOKEN=tls-token-0123456789abcdef
port=$((20000 + $$ % 1000))
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other \
    -keyout "$T/other.pem" -out "$T/other-cert.pem" 2>/dev/null

tls_conf() { # tls_conf KEY PORT
	write_conf "$(dummy_modem demo)"
	echo "http = { listen = \"127.0.0.1:$2\"; token = \"$TOKEN\"; tls_cert = \"$T/cert.pem\"; tls_key = \"$1\"; };" >> "$T/kt.conf"
}

check "-n refuses tls_cert without tls_key" sh -c "printf 'database = \"x.db\";\nhttp = { listen = \"127.0.0.1:1\"; token = \"0123456789abcdef\"; tls_cert = \"c.pem\"; };\n' > '$T/bad.conf'; '$KTD' -c '$T/bad.conf' -n 2>&1 | grep -q 'bad.conf:2: http: tls_cert and tls_key go together'"
tls_conf "$T/other.pem" "$port"
check "a key that is not the certificate's stops the daemon" sh -c "! '$KTD' -c '$T/kt.conf' -f > '$T/bad.log' 2>&1 && grep -q 'http: tls_key .*other.pem: .*mismatch' '$T/bad.log'"

start_on_free_port "$port" tls_conf "$T/key.pem"
check "daemon listens with TLS on 127.0.0.1:$port" test $? -eq 0
check "the log says TLS" grep -q "http: TLS with $T/cert.pem" "$T/daemon.log"
U="https://127.0.0.1:$port"
check "the API answers over HTTPS with the CA" test "$(curl -s --cacert "$T/cert.pem" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/v1/inbox")" = 200
check "TLS 1.1 is refused" sh -c "! curl -s -k --tls-max 1.1 -o /dev/null '$U/healthz'"
check "plain HTTP on the TLS port gets no answer" sh -c "! curl -s -m 5 -o /dev/null -w '%{http_code}' 'http://127.0.0.1:$port/healthz' | grep -q '^[1-5]'"
echo "pass-admin-123" | "$KT" -c "$T/kt.conf" user add admin --role admin --password-stdin >/dev/null
curl -s --cacert "$T/cert.pem" -D "$T/headers" -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"admin","password":"pass-admin-123"}' "$U/console/api/login"
check "the console's cookie is Secure under TLS" grep -qi '^Set-Cookie: kt_session=[0-9a-f]*; Path=/console; HttpOnly; SameSite=Strict; Secure' "$T/headers"
check "... and still serves HTTPS after that plain request" test "$(curl -s --cacert "$T/cert.pem" -o /dev/null -w '%{http_code}' "$U/healthz")" = 200
check "SIGTERM stops cleanly" stop_daemon
finish
