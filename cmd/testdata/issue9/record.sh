#!/bin/bash
# record.sh — issue 9's real recordings: Python's smtplib sends a mail with
# a 2 MB attachment to a private Postfix on loopback (127.0.0.9, mail
# discarded), once in clear on 25 and once inside STARTTLS on 587 with the
# TLS secrets written by ssl.SSLContext.keylog_filename; tcpdump captures
# each. Writes pcaps/recorded-postfix-smtplib-attach{25,587}.pcap.gz, the .keys
# of the STARTTLS one, and the attachment's SHA-256 (attach.sha256).
# Needs root, postfix, tcpdump, openssl, python3. Run from the repository.
set -eu
OUT=${OUT:-pcaps}
PF_ADDR=127.0.0.9
. "$(dirname "$0")/../issue10/pf.sh"
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
TMP=$(mktemp -d /tmp/smtpscope-i9.XXXXXX)
# A big kernel buffer (-B, KiB): loopback delivers 2 MB faster than a
# default-sized buffer drains.
capture9() {
	tcpdump -i lo -U -B 65536 -s 0 -w "$OUT/$1.pcap" "$2" 2>/dev/null & TD=$!
	sleep 1
}
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
chmod 644 "$TMP/key.pem" "$TMP/cert.pem"
pf_start "smtpd_tls_cert_file = $TMP/cert.pem
smtpd_tls_key_file = $TMP/key.pem
smtpd_tls_security_level = may
message_size_limit = 20000000" \
"$PF_ADDR:25 inet n - n - - smtpd
$PF_ADDR:587 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt
tlsmgr unix - - n 1000? 1 tlsmgr"
# The attachment: 2 MB of deterministic bytes (not compressible text).
python3 -c "
import hashlib, random
r = random.Random(9)
b = bytes(r.getrandbits(8) for _ in range(2*1000*1000))
open('$TMP/report.bin','wb').write(b)
open('$OUT/recorded-postfix-smtplib-attach.sha256','w').write(hashlib.sha256(b).hexdigest()+'  report-q4.bin\n')
"
send() { # port starttls
	python3 - "$PF_ADDR" "$1" "$2" "$TMP/report.bin" "$OUT/recorded-postfix-smtplib-attach$1.keys" <<'PY'
import smtplib, ssl, sys
from email.message import EmailMessage
host, port, tls, att, keys = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], sys.argv[5]
m = EmailMessage()
m["From"] = "Alice <alice@localhost>"
m["To"] = "root@localhost"
m["Subject"] = "Q4 report with the figures (%s)" % ("STARTTLS" if tls else "plain")
m["Message-ID"] = "<issue9-%d@localhost>" % port
m.set_content("Hi,\n\nthe figures are attached.\n.a line starting with a dot\n\nAlice\n")
m.add_attachment(open(att, "rb").read(), maintype="application", subtype="octet-stream", filename="report-q4.bin")
s = smtplib.SMTP(host, port, local_hostname="client.localhost", timeout=30)
s.ehlo()
if tls:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.keylog_filename = keys
    s.starttls(context=ctx)
    s.ehlo()
s.send_message(m, "alice@localhost", ["root@localhost"])
s.quit()
PY
}
for port in 25 587; do
	tls=0; [ $port = 587 ] && tls=1
	capture9 "recorded-postfix-smtplib-attach$port" "host $PF_ADDR and tcp port $port"
	send $port $tls || { capture_end; exit 1; }
	capture_end
done
rm -rf "$TMP"
rm -f "$OUT/recorded-postfix-smtplib-attach25.keys"
# OpenSSL's comment line out (pcaps/embed_test.go wants only secrets).
sed -i '/^#/d' "$OUT/recorded-postfix-smtplib-attach587.keys"
# gzip keeps them out of the embedded samples (pcaps/embed.go: *.pcap) and
# small; smtpscope and tshark read .gz as they are.
gzip -9 -n -f "$OUT"/recorded-postfix-smtplib-attach25.pcap "$OUT"/recorded-postfix-smtplib-attach587.pcap
ls -la "$OUT"/recorded-postfix-smtplib-attach*
