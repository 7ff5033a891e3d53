#!/bin/bash
# record_keys.sh OUTDIR — issue 10's recordings against a private Postfix 3.7
# (pf.sh) with working TLS (a self-signed certificate made here, tlsmgr):
#   postfix-cmdinject-25    STARTTLS\r\nRSET\r\n in one write, then TLS with a
#                           key log (tls_client.py inject): did Postfix run RSET?
#   postfix-plain465        plain SMTP on 465 (smtpd without wrappermode),
#                           swaks sending one message in clear
#   postfix-wrapper-10465   implicit TLS on a nonstandard port (smtpd with
#                           smtpd_tls_wrappermode=yes), smtplib.SMTP_SSL with a
#                           key log sending one message
#   postfix-smtps-to-25     smtplib.SMTP_SSL against port 25 (plain SMTP): a
#                           ClientHello as the client's first bytes, a
#                           plaintext banner and 500s from the server
# Writes OUTDIR/NAME.pcap, NAME.keys (when TLS), NAME.maillog, NAME.client.txt.
set -u
OUT=${1:?usage: record_keys.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/pf.sh"
CERT=$(mktemp -d /tmp/smtpscope-i10c.XXXXXX)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$CERT/key.pem" -out "$CERT/cert.pem" -days 3650 \
	-subj /CN=localhost >/dev/null 2>&1 && chmod 644 "$CERT"/*.pem
pf_start "smtpd_tls_security_level = may
smtpd_tls_cert_file = $CERT/cert.pem
smtpd_tls_key_file = $CERT/key.pem" \
"$PF_ADDR:smtp inet n - n - - smtpd
$PF_ADDR:465 inet n - n - - smtpd
$PF_ADDR:10465 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes
tlsmgr unix - - n 1000? 1 tlsmgr"
trap 'timeout 15 postfix -c "$PF/etc" stop >/dev/null 2>&1; rm -rf "$WORK" "$CERT"' EXIT
session() { # NAME PORT COMMAND...
	local name=$1 port=$2; shift 2
	before=$(pf_lines)
	capture "$name" "host $PF_ADDR and tcp port $port"
	timeout 20 "$@" >"$OUT/$name.client.txt" 2>&1
	capture_end
	pf_log_since "$before" >"$OUT/$name.maillog"
}
session postfix-cmdinject-25 25 python3 "$HERE/tls_client.py" inject "$PF_ADDR" 25 "$OUT/postfix-cmdinject-25.keys"
session postfix-plain465 465 swaks --server "$PF_ADDR:465" --ehlo client.localhost --from a@localhost \
	--to root@localhost --header "Subject: smtpscope plain 465 sample"
session postfix-wrapper-10465 10465 python3 "$HERE/tls_client.py" smtps "$PF_ADDR" 10465 "$OUT/postfix-wrapper-10465.keys"
session postfix-smtps-to-25 25 python3 "$HERE/tls_client.py" smtps "$PF_ADDR" 25 "$OUT/postfix-smtps-to-25.keys"
