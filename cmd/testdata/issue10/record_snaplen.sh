#!/bin/bash
# record_snaplen.sh OUTDIR — a capture cut by its snap length (issue 10,
# Deliver 6): tcpdump -s 54 on lo while swaks sends one message to a private
# Postfix 3.7 (pf.sh) on 127.0.0.10:25. 54 bytes hold Ethernet (14), IPv4
# (20) and the first 20 bytes of TCP's 32 (with timestamps): no payload.
# Writes OUTDIR/postfix-snaplen54-25.pcap, .maillog and .client.txt.
set -u
OUT=${1:?usage: record_snaplen.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/pf.sh"
pf_start "" "$PF_ADDR:smtp inet n - n - - smtpd"
before=$(pf_lines)
capture postfix-snaplen54-25 "host $PF_ADDR and tcp port 25" 54
timeout 20 swaks --server "$PF_ADDR:25" --ehlo client.localhost --from a@localhost --to root@localhost \
	--header "Subject: smtpscope snaplen sample" >"$OUT/postfix-snaplen54-25.client.txt" 2>&1
capture_end
pf_log_since "$before" >"$OUT/postfix-snaplen54-25.maillog"
