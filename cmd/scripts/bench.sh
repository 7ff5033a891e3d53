#!/usr/bin/env bash
# bench.sh — smtpscope beside tshark and tcpdump on the same capture, in one run.
#
#   cmd/scripts/bench.sh [small|1g|FILE.pcap] [RUNS]
#
# small and 1g are generated into /tmp with ../shared/bench/mksmtpcap.py when
# it is there (bench-small ~50 MB, bench-1g ~1 GB; see shared/bench/README.md).
# Every tool runs RUNS times (default 3) on the page-cached file; the median
# is printed with MB/s, packets/s, user+sys seconds, peak RSS and the ratio
# to `tcpdump -r F -w /dev/null`. The report's totals are checked against the
# generator's manifest when there is one. The machine load is printed first:
# on a shared machine wall-clock figures are noisy.
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-small}
runs=${2:-3}
gen=../shared/bench/mksmtpcap.py
case $which in
small | 1g)
	f=/tmp/bench-$which.pcap
	size=50M
	[ "$which" = 1g ] && size=1G
	if [ ! -s "$f" ]; then
		[ -f "$gen" ] || { echo "bench.sh: $f missing and no $gen to make it" >&2; exit 2; }
		python3 "$gen" --out "$f" --size "$size" --manifest "/tmp/bench-$which.json" \
			--keylog "/tmp/bench-$which.keys" --session-log "/tmp/bench-$which.sessions.jsonl" -q
	fi
	manifest=/tmp/bench-$which.json
	keys=/tmp/bench-$which.keys
	;;
*)
	f=$which
	manifest=${f%.*}.json
	keys=${f%.*}.keys
	;;
esac
bin=$(mktemp -d)/smtpscope
CGO_ENABLED=0 go build -o "$bin" .
cat "$f" >/dev/null
bytes=$(stat -c %s "$f")
packets=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['file']['packets'])" "$manifest" 2>/dev/null || echo 0)

echo "file $f: $bytes bytes, $packets packets; $(nproc) CPUs; load: $(uptime | sed 's/.*load average: //')"
printf '%-28s %8s %10s %9s %9s %9s %10s %8s\n' tool wall_s MB/s pkts/s user+sys cpu/wall peak_MiB vs_tcpdump

# measure NAME CMD...: RUNS runs, prints the median run.
tcpdump_wall=
measure() {
	local name=$1
	shift
	local out
	out=$(for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' "$@" >/dev/null 2>/tmp/bench-time.$$ || true
		tail -1 /tmp/bench-time.$$
	done | sort -n | awk -v n="$runs" 'NR == int((n+1)/2)')
	read -r wall user sys rss <<<"$out"
	[ "$name" = tcpdump ] && tcpdump_wall=$wall
	awk -v name="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" -v p="$packets" -v t="${tcpdump_wall:-0}" 'BEGIN {
		if (w <= 0) w = 0.001
		ratio = (t > 0) ? sprintf("%.2fx", t / w) : "-"
		printf "%-28s %8.2f %10.0f %9.0f %9.2f %9.2f %10.1f %8s\n", name, w, b / w / 1e6, p / w, u + s, (u + s) / w, r / 1024, ratio }'
}

if command -v tcpdump >/dev/null; then
	measure tcpdump tcpdump -r "$f" -w /dev/null
else
	echo "(tcpdump not installed: apt-get install tcpdump)"
fi
measure "smtpscope report --json" "$bin" report --json "$f"
measure "smtpscope --json --threads 1" "$bin" report --json --threads 1 "$f"
measure "smtpscope report (text)" "$bin" report "$f"
measure "smtpscope --findings-only" "$bin" report --findings-only "$f"
[ -f "$keys" ] && measure "smtpscope --json --keylog" "$bin" report --json --keylog "$keys" "$f"
if command -v tshark >/dev/null; then
	measure "tshark smtp fields" tshark -r "$f" -d tcp.port==587,smtp -d tcp.port==465,tls -T fields \
		-E occurrence=a -E 'aggregator=;' -e tcp.stream -e smtp.req.command -e smtp.response.code -e tls.record.length
else
	echo "(tshark not installed: apt-get install tshark)"
fi

# Totals against the manifest: sessions, commands, replies, TLS records.
if [ -f "$manifest" ]; then
	plain=$("$bin" report "$f" | tail -1)
	withkeys=
	[ -f "$keys" ] && withkeys=$("$bin" report --keylog "$keys" "$f" | tail -1)
	python3 - "$manifest" "$plain" "$withkeys" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
def nums(line):
    return dict((k, int(v)) for v, k in re.findall(r"(\d+) (sessions|commands|replies|TLS records)", line))
ok = True
def check(what, got, want):
    global ok
    flag = "ok" if got == want else "DIFFERS"
    ok &= got == want
    print(f"  {what:34s} {got:>9} manifest {want:>9}  {flag}")
print("totals against the manifest:")
p = nums(sys.argv[2])
check("sessions", p.get("sessions"), m["sessions"]["total"])
check("commands without keys", p.get("commands"), m["smtp"]["plaintext"]["commands"])
check("replies without keys", p.get("replies"), m["smtp"]["plaintext"]["replies"])
check("TLS records", p.get("TLS records"), m["tls"]["records"])
if sys.argv[3]:
    k = nums(sys.argv[3])
    check("commands with keys", k.get("commands"), m["smtp"]["commands"])
    check("replies with keys", k.get("replies"), m["smtp"]["replies"])
sys.exit(0 if ok else 1)
PY
fi
