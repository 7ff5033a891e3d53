#!/bin/bash
# record_lmtp.sh OUTDIR — LMTP (RFC 2033) against a private Dovecot 2.3 lmtp
# (own base_dir, state and mail directories in a temporary directory, only
# the LMTP listener, on 127.0.0.10:24; users alice and bob in a passwd-file):
#   dovecot-lmtp-24   swaks --protocol LMTP: LHLO, MAIL, RCPT alice (250),
#                     RCPT nobody (550), RCPT bob (250), DATA, one reply per
#                     accepted recipient after the final dot, QUIT
# Writes OUTDIR/NAME.pcap, NAME.log (Dovecot's log of the session) and
# NAME.client.txt. Needs root, dovecot-lmtpd, swaks, tcpdump. Stops only the
# Dovecot it started (by its pid file).
set -u
OUT=${1:?usage: record_lmtp.sh OUTDIR}
ADDR=${PF_ADDR:-127.0.0.10}
W=$(mktemp -d /tmp/smtpscope-i10d.XXXXXX); chmod 755 "$W"
mkdir -p "$W/run" "$W/state" "$W/mail" && chown nobody:nogroup "$W/mail"
printf 'alice@localhost::65534:65534::%s/mail/alice\nbob@localhost::65534:65534::%s/mail/bob\n' "$W" "$W" >"$W/users"
cat >"$W/dovecot.conf" <<CF
protocols = lmtp
base_dir = $W/run
state_dir = $W/state
log_path = $W/dovecot.log
listen = $ADDR
ssl = no
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = $W/users
}
userdb {
  driver = passwd-file
  args = $W/users
}
service lmtp {
  inet_listener lmtp {
    address = $ADDR
    port = 24
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
CF
dovecot -c "$W/dovecot.conf" || { cat "$W/dovecot.log"; exit 1; }
trap 'kill $(cat "$W/run/master.pid") 2>/dev/null; sleep 1; rm -rf "$W"' EXIT
sleep 1
tcpdump -i lo -U -s 0 -w "$OUT/dovecot-lmtp-24.pcap" "host $ADDR and tcp port 24" 2>/dev/null & TD=$!
sleep 1
timeout 20 swaks --protocol LMTP --server "$ADDR:24" --ehlo client.localhost --from a@localhost \
	--to alice@localhost,nobody@localhost,bob@localhost --header "Subject: smtpscope LMTP sample" \
	>"$OUT/dovecot-lmtp-24.client.txt" 2>&1
sleep 1; kill -INT $TD; wait $TD
sleep 1; sed -E 's/^[A-Z][a-z]{2} [0-9]{2} //' "$W/dovecot.log" | grep -v 'starting up\|master:' >"$OUT/dovecot-lmtp-24.log"
