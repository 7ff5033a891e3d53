#!/bin/bash
# record.sh OUTDIR — issue 10's real-server recordings on loopback: a private
# Postfix (own config, queue and maillog in a temporary directory, loopback
# only, mail discarded) answering the smuggling client with each
# smtpd_forbid_bare_newline setting. Writes OUTDIR/NAME.pcap and
# OUTDIR/NAME.maillog (postfix's own log of the session). Needs root,
# postfix, tcpdump, python3. Stops only what it started (by PID).
set -u
OUT=${1:?usage: record.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/smtpscope-i10.XXXXXX); chmod 755 "$WORK"
PF=$WORK/pf
mkdir -p "$PF/etc" "$PF/spool" "$PF/data" && chown postfix "$PF/data"
cat >"$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = localhost
mydestination = localhost
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_transport = discard:i10
default_transport = discard:i10
relay_transport = discard:i10
smtpd_forbid_bare_newline_exclusions =
maillog_file_prefixes = $PF
maillog_file = $PF/maillog
CF
sed -n '/^smtp /,$p' "$HERE/../e2e_postfix.sh" >/dev/null
cat >"$PF/etc/master.cf" <<'CF'
smtp       inet n - n - - smtpd
pickup     unix n - n 60 1 pickup
cleanup    unix n - n - 0 cleanup
qmgr       unix n - n 300 1 qmgr
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
CF
timeout 20 postfix -c "$PF/etc" start || { cat "$PF/maillog"; exit 1; }
trap 'timeout 15 postfix -c "$PF/etc" stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
sleep 1
record() { # NAME FORBID TERM
	postconf -c "$PF/etc" -e "smtpd_forbid_bare_newline = $2" && postfix -c "$PF/etc" reload >/dev/null 2>&1
	sleep 1
	: >"$PF/maillog.mark"; before=$(wc -l <"$PF/maillog")
	tcpdump -i lo -U -s 0 -w "$OUT/$1.pcap" 'tcp port 25' 2>/dev/null & TD=$!
	sleep 1
	timeout 20 python3 "$HERE/smuggle_client.py" 127.0.0.1 25 "$3" >"$OUT/$1.client.txt" 2>&1
	sleep 1; kill -INT $TD; wait $TD
	sleep 1; tail -n +$((before + 1)) "$PF/maillog" | grep -E 'smtpd|cleanup|qmgr|discard' | sed -E 's/^[^ ]+ //' >"$OUT/$1.maillog"
}
record postfix-smuggle-default no lfdotcrlf
record postfix-smuggle-normalize normalize lfdotcrlf
record postfix-smuggle-reject reject lfdotcrlf
