#!/bin/bash
# record_tls.sh OUTDIR — TLS bytes in clear (issue 10, Deliver 2):
# openssl s_client -starttls smtp against a private Postfix 3.7 (pf.sh) that
# does not offer STARTTLS (no smtpd_tls_* settings: 502 to STARTTLS), and
# against one that offers it and refuses it with a 454 (TLS enabled, but the
# certificate file is missing). s_client sends its ClientHello whatever the
# reply (OpenSSL's s_client.c reads the STARTTLS reply and ignores it).
# Writes OUTDIR/NAME.pcap, NAME.maillog and NAME.client.txt.
set -u
OUT=${1:?usage: record_tls.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/pf.sh"
session() { # NAME
	before=$(pf_lines)
	capture "$1" "host $PF_ADDR and tcp port 25"
	timeout 6 openssl s_client -starttls smtp -name client.localhost -servername mail.example.net \
		-connect "$PF_ADDR:25" </dev/null >"$OUT/$1.client.txt" 2>&1
	capture_end
	pf_log_since "$before" >"$OUT/$1.maillog"
}
pf_start "" "$PF_ADDR:smtp inet n - n - - smtpd"
session postfix-tls-not-offered-25
postconf -c "$PF/etc" -e "smtpd_tls_security_level = may" "smtpd_tls_cert_file = $WORK/missing.pem" \
	"smtpd_tls_key_file = $WORK/missing.pem" && postfix -c "$PF/etc" reload >/dev/null 2>&1
sleep 1
session postfix-tls-refused-25
