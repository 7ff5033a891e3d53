#!/bin/bash
# e2e_postfix.sh — smtpscope against real peers on loopback (issues 4 and 5).
#
# Captures live on lo with `smtpscope report -i lo --json -w FILE` while swaks
# (STARTTLS on 25) and curl (STARTTLS on 587, IPv4 and IPv6, TLS 1.3 and 1.2,
# with SSLKEYLOGFILE) send mail to postfix, checks the NDJSON, then checks that
# `smtpscope report --keylog` decrypts the written pcapng down to the
# message's Subject.
#
# Postfix: when something already listens on 127.0.0.1:25 and :587 it is used
# as it is (it must offer STARTTLS on both, with a self-signed certificate on
# 587, and accept root@localhost) and left running; otherwise the
# script starts a private postfix instance (own config, queue and self-signed
# certificate in a temporary directory, loopback only, mail discarded) and
# stops it at the end. Nothing else on the system is changed.
#
# Skips (exit 0) unless run as root with postfix, swaks, curl and openssl
# installed. Bounded: every step has a timeout; the whole run takes < 60 s.
# SMTPSCOPE=/path/to/binary uses a prebuilt binary instead of `go build`.
set -u

skip() { echo "e2e_postfix: SKIP: $*"; exit 0; }
fail() { echo "e2e_postfix: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (live capture and postfix)"
for c in postfix swaks curl openssl timeout ss; do
	command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/smtpscope-e2e.XXXXXX) || fail "mktemp"
chmod 755 "$WORK" # postfix's unprivileged daemons must reach their queue
PF="$WORK/postfix"
STARTED_POSTFIX=0
CAPTURE_PID=

cleanup() {
	if [ -n "$CAPTURE_PID" ] && kill -0 "$CAPTURE_PID" 2>/dev/null; then
		kill -INT "$CAPTURE_PID" 2>/dev/null
		wait "$CAPTURE_PID" 2>/dev/null
	fi
	if [ "$STARTED_POSTFIX" = 1 ]; then
		timeout 15 postfix -c "$PF/etc" stop >/dev/null 2>&1
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# listening reports whether a socket listens on 127.0.0.1:$1 (or on every
# address). It asks the kernel (ss) rather than connecting, so that no probe
# connection ends inside the capture.
listening() { ss -Hltn "sport = :$1" | grep -qE "(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]):$1 "; }

# start_postfix starts a private postfix instance on 127.0.0.1/::1, ports 25
# and 587, with STARTTLS (RFC 3207) and a self-signed certificate.
start_postfix() {
	mkdir -p "$PF/etc" "$PF/spool" "$PF/data" || fail "mkdir $PF"
	chown postfix "$PF/data" || fail "chown postfix $PF/data"
	timeout 20 openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
		-keyout "$PF/etc/key.pem" -out "$PF/etc/cert.pem" >/dev/null 2>&1 || fail "openssl req"
	chmod 600 "$PF/etc/key.pem"
	cat >"$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
inet_interfaces = loopback-only
inet_protocols = all
myhostname = localhost
mydestination = localhost
mynetworks = 127.0.0.0/8 [::1]/128
alias_maps =
alias_database =
local_transport = discard:e2e
default_transport = discard:e2e
relay_transport = discard:e2e
smtpd_tls_cert_file = $PF/etc/cert.pem
smtpd_tls_key_file = $PF/etc/key.pem
smtpd_tls_security_level = may
maillog_file_prefixes = $PF
maillog_file = $PF/maillog
EOF
	cat >"$PF/etc/master.cf" <<'EOF'
smtp       inet n - n - - smtpd
submission inet n - n - - smtpd -o syslog_name=postfix-e2e/submission -o smtpd_tls_security_level=encrypt
pickup     unix n - n 60 1 pickup
cleanup    unix n - n - 0 cleanup
qmgr       unix n - n 300 1 qmgr
tlsmgr     unix - - n 1000? 1 tlsmgr
rewrite    unix - - n - - trivial-rewrite
bounce     unix - - n - 0 bounce
defer      unix - - n - 0 bounce
trace      unix - - n - 0 bounce
verify     unix - - n - 1 verify
flush      unix n - n 1000? 0 flush
proxymap   unix - - n - - proxymap
anvil      unix - - n - 1 anvil
scache     unix - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
discard    unix - - n - - discard
error      unix - - n - - error
EOF
	# postfix logs its own start-up errors only to the maillog.
	timeout 20 postfix -c "$PF/etc" start >"$PF/start.log" 2>&1 ||
		{ cat "$PF/start.log" "$PF/maillog" >&2 2>/dev/null; fail "postfix start"; }
	STARTED_POSTFIX=1
	for _ in $(seq 50); do
		listening 25 && listening 587 && return 0
		sleep 0.1
	done
	fail "private postfix does not listen on 127.0.0.1:25 and :587"
}

if listening 25 && listening 587; then
	echo "e2e_postfix: using the SMTP server already on 127.0.0.1:25 and :587 (left running)"
elif listening 25 || listening 587; then
	skip "only one of 127.0.0.1:25 and :587 is in use; cannot start a private postfix"
else
	echo "e2e_postfix: starting a private postfix in $PF"
	start_postfix
fi

BIN=${SMTPSCOPE:-$WORK/smtpscope}
if [ -z "${SMTPSCOPE:-}" ]; then
	(cd "$ROOT" && CGO_ENABLED=0 timeout 50 go build -o "$BIN" .) || fail "go build"
fi

# 1. Live capture on lo while real clients send mail.
"$BIN" report -i lo --json --duration 30s -w "$WORK/live.pcapng" >"$WORK/live.ndjson" 2>"$WORK/live.err" &
CAPTURE_PID=$!
for _ in $(seq 50); do
	grep -q "capturing on lo" "$WORK/live.err" && break
	kill -0 "$CAPTURE_PID" 2>/dev/null || { cat "$WORK/live.err" >&2; fail "capture exited early"; }
	sleep 0.1
done
grep -q "capturing on lo" "$WORK/live.err" || fail "capture did not start: $(cat "$WORK/live.err")"

printf 'From: a@localhost\r\nTo: root@localhost\r\nSubject: smtpscope e2e\r\n\r\nHello from curl.\r\n' >"$WORK/msg.txt"
timeout 15 swaks --to root@localhost --from a@localhost --ehlo client.localhost --server 127.0.0.1:25 --tls \
	>"$WORK/swaks.log" 2>&1 || { cat "$WORK/swaks.log" >&2; fail "swaks"; }
for url in smtp://127.0.0.1:587/client.localhost 'smtp://[::1]:587/client.localhost'; do
	SSLKEYLOGFILE="$WORK/curl.keys" timeout 15 curl -sS --url "$url" --ssl-reqd -k \
		--mail-from a@localhost --mail-rcpt root@localhost --upload-file "$WORK/msg.txt" || fail "curl $url"
done
SSLKEYLOGFILE="$WORK/curl.keys" timeout 15 curl -sS --url smtp://127.0.0.1:587/client.localhost --ssl-reqd -k \
	--tls-max 1.2 --mail-from a@localhost --mail-rcpt root@localhost --upload-file "$WORK/msg.txt" || fail "curl TLS 1.2"
sleep 0.5 # let the last ACKs and RSTs reach the capture
kill -INT "$CAPTURE_PID"
wait "$CAPTURE_PID"
rc=$?
CAPTURE_PID=
[ "$rc" = 0 ] || fail "capture exited $rc: $(cat "$WORK/live.err")"

errors=0
# expect FILE MIN PATTERN: at least MIN lines of FILE match the extended regexp.
expect() {
	n=$(grep -cE -- "$3" "$1")
	if [ "$n" -lt "$2" ]; then
		echo "e2e_postfix: FAIL: $(basename "$1"): $n lines match '$3', want >= $2" >&2
		errors=$((errors + 1))
	fi
}
# reject FILE PATTERN: no line of FILE matches.
reject() {
	if grep -qE -- "$2" "$1"; then
		echo "e2e_postfix: FAIL: $(basename "$1") matches '$2'" >&2
		errors=$((errors + 1))
	fi
}

# 2. The NDJSON: four sessions, STARTTLS on each, TLS records, a finding.
J="$WORK/live.ndjson"
[ "$(grep -c . "$J")" = 4 ] || { echo "e2e_postfix: FAIL: $(grep -c . "$J") sessions in the NDJSON, want 4" >&2; errors=$((errors + 1)); }
expect "$J" 1 '"server":"127.0.0.1:25","port_role":"relay"'
expect "$J" 2 '"server":"127.0.0.1:587","port_role":"submission"'
expect "$J" 1 '"server":"\[::1\]:587","port_role":"submission"'
expect "$J" 4 '"mode":"starttls"'
expect "$J" 4 '"verb":"EHLO".*"verb":"STARTTLS"'
expect "$J" 3 '"version":"TLS 1.3"'
expect "$J" 1 '"version":"TLS 1.2"'
expect "$J" 4 '"tls_records":\[\{'
# RFC 5246, Section 7.4.2: the TLS 1.2 Certificate is in clear, and self-signed on 587.
expect "$J" 1 '"code":"tls.certificate","severity":"high"'
grep -q "packets captured on lo, 0 dropped" "$WORK/live.err" || { echo "e2e_postfix: FAIL: $(cat "$WORK/live.err")" >&2; errors=$((errors + 1)); }

# 3. Decryption with curl's key log (issue 5): the SMTP inside TLS.
T="$WORK/decrypted.txt"
timeout 20 "$BIN" report --keylog "$WORK/curl.keys" "$WORK/live.pcapng" >"$T" 2>"$WORK/decrypted.err" || fail "report --keylog: $(cat "$WORK/decrypted.err")"
expect "$T" 3 'ehlo +C ──▶ S \* EHLO client\.localhost'
expect "$T" 3 'envelope +C ──▶ S \* MAIL FROM:<a@localhost>'
expect "$T" 3 'envelope +C ──▶ S \* RCPT TO:<root@localhost>'
expect "$T" 3 'data +C ──▶ S \* DATA'
expect "$T" 3 '\* message .*Subject: smtpscope e2e, accepted \(250\)'
expect "$T" 3 'quit +C ──▶ S \* QUIT'
expect "$T" 2 'Handshake \(decrypted\): Certificate'
expect "$T" 1 'not decrypted: no key for this client random' # swaks wrote no key log
reject "$T" 'EHLO msg\.txt'

if [ "$errors" -gt 0 ]; then
	echo "e2e_postfix: $errors checks failed; outputs:" >&2
	cat "$J" "$T" >&2
	exit 1
fi
echo "e2e_postfix: ok (4 live sessions, 3 decrypted down to the Subject)"
