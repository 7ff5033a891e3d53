# pf.sh — sourced by issue 10's recording scripts: a private Postfix in a
# temporary directory (own config_directory, queue, data and maillog;
# listening on loopback address $PF_ADDR only (master.cf); mail discarded), so that it never touches
# a system-wide Postfix or another tester's. Needs root and postfix.
#   pf_start MAINCF_EXTRA MASTERCF_SERVICES   start it
#   pf_log_since N                            its maillog after line N
# pf_stop runs on exit (trap set by pf_start); only this instance is stopped.
PF_ADDR=${PF_ADDR:-127.0.0.10}
pf_start() {
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
maillog_file_prefixes = $PF
maillog_file = $PF/maillog
$1
CF
	cat >"$PF/etc/master.cf" <<CF
$2
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
lmtp       unix - - n - - lmtp
CF
	timeout 20 script -qec "postfix -c $PF/etc start" /dev/null || { cat "$PF/maillog"; exit 1; }
	trap 'timeout 15 postfix -c "$PF/etc" stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
	sleep 1
}
pf_lines() { wc -l <"$PF/maillog"; }
pf_log_since() { sleep 1; tail -n +$(($1 + 1)) "$PF/maillog" | grep -E 'smtpd|cleanup|qmgr|discard|lmtp' | sed -E 's/^[^ ]+ //'; }
# capture NAME FILTER SNAPLEN: tcpdump on lo into $OUT/NAME.pcap; stop with capture_end.
capture() {
	tcpdump -i lo -U -s "${3:-0}" -w "$OUT/$1.pcap" "$2" 2>/dev/null & TD=$!
	sleep 1
}
capture_end() { sleep 1; kill -INT $TD; wait $TD; }
