#!/usr/bin/env bash
# Drives the real binary in tmux as a person would: open the demo, move to
# a session, step through phases, open help, filter, quit; then open the
# lesson mode (--teach) and step through its pages. Each step waits
# (bounded) until the expected text is on the screen, then reads it.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
sock="smtpscope-tmux-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
CGO_ENABLED=0 go build -o "$work/smtpscope" .

S=ui
screen() { tmux -L "$sock" capture-pane -p -t "$S"; }
# expect TEXT: wait up to 10 s for TEXT on the screen.
expect() {
  for _ in $(seq 200); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.05
  done
  echo "tmux UI check: \"$1\" never appeared; the screen was:" >&2
  screen >&2
  exit 1
}
# gone TEXT: wait up to 10 s for TEXT to leave the screen.
gone() {
  for _ in $(seq 200); do
    if ! screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.05
  done
  echo "tmux UI check: \"$1\" stayed on the screen" >&2
  screen >&2
  exit 1
}
keys() { tmux -L "$sock" send-keys -t "$S" "$@"; }
# A session that lives for the whole script: killing a test's session must
# not stop the server while the next one is being started ("server exited
# unexpectedly").
tmux -L "$sock" new-session -d -s keepalive -x 20 -y 5 "sleep 600"

tmux -L "$sock" new-session -d -s ui -x 100 -y 32 "TERM=xterm-256color $work/smtpscope; echo EXITED; sleep 30"
expect "192.0.2.20:50412 → 198.51.100.25:587"
expect "3 sessions"
expect "EHLO client.example.org"
keys j
expect "Timeline — 192.0.2.66:41000"
keys Tab ']' ']' ']'
expect "Phase auth"
expect "About: Authentication"
keys j
expect "AUTH LOGIN"
keys '?'
expect "maximise the focused pane"
keys Escape
gone "maximise the focused pane"
# Go to frame (: like Wireshark's ctrl-g): frame 70 is session 1's RCPT,
# with its frame number in the timeline's first column; T switches the
# time column to seconds since the capture's start.
keys ':' '70' Enter
expect "Timeline — 192.0.2.66:41000"
expect "70 10:00:00."
keys C-g '30' Enter
expect "Timeline — 192.0.2.20:50412"
keys T
expect "time: seconds since the capture's first session"
keys T T T T
# Follow stream: session 0's conversation, decrypted with the demo's key
# log (a lock on the lines read inside TLS), then as escaped bytes and hex.
keys s
expect "Stream — ASCII"
expect "S: 220 mail.example.net ESMTP"
keys '\' End
expect "C: ⚿ QUIT"
keys Home x
expect 'EHLO client.example.org\x0d\x0a'
keys x
expect "Stream — hex"
expect "0000  32 32 30 20 6d 61 69 6c 2e 65 78 61 6d 70 6c 65  220 mail.example"
keys x '\' s
expect "Timeline — 192.0.2.20:50412"
# Statistics: the reply-code histogram of the three sessions, as bars.
keys S
expect "Statistics — 3 sessions"
expect "Reply codes — "
expect "  250  ████"
keys PgDn PgDn PgDn PgDn PgDn
expect "Sessions over time — 3 sessions"
keys Escape
gone "Statistics — "
# The EHLO inside TLS (frame 19, read with the demo's key log): its detail
# pane compares the capabilities with those offered in clear.
keys C-g '19' Enter
keys Tab '\'
expect "Capabilities: EHLO before and after TLS"
expect "+ only inside TLS: AUTH"
expect "− only in clear: STARTTLS"
keys '\'
keys '/'
keys 'port:587' Enter
expect "filter: port:587"
keys q
expect "EXITED"
tmux -L "$sock" kill-session -t ui

# Lesson mode: --teach opens the demo with the introduction, ] steps to the
# first phase and its lesson text appears, ] again to the next one.
tmux -L "$sock" new-session -d -s ui -x 120 -y 40 "TERM=xterm-256color $work/smtpscope --teach; echo EXITED; sleep 30"
expect "Lesson 1/"
expect "Ports, roles and TLS"
expect "Port 587, submission"
keys ']'
expect "Lesson 2/"
expect "What happened"
expect "RFC 9293, Section 3.5"
gone "Port 587, submission"
keys ']'
expect "Lesson 3/"
expect "Greeting"
keys '['
expect "Lesson 2/"
keys q
expect "EXITED"


# A small terminal (80x24): the worst finding column and readable
# durations; the help fits and scrolls; an invalid filter is not applied
# (no valid prefix of it stays active) and says so in plain words.
S=small1; tmux -L "$sock" new-session -d -s "$S" -x 80 -y 24 "TERM=xterm-256color $work/smtpscope; echo EXITED; sleep 30"
expect "3 sessions"
expect "Worst finding"
expect "ms "
keys '?'
expect "╔ Help"
keys PgDn PgDn PgDn
expect "any other key closes it"
keys x
gone "╔ Help"
keys '/'
keys 'tls:1.2'
expect "filter not applied"
keys Enter
expect " 3 sessions"
# The filter language: comparisons, or; a mistyped field gets a caret
# under it and applies nothing.
keys '/'
keys 'reply >= 500 or tls.version < 1.2'
expect "0/3 sessions"
keys C-u 'reply >= 500 or tls.verison < 1.3'
expect "^~~~~~~~~~~ unknown field"
expect "192.0.2.66:41000"
keys C-u 'reply >= 500 or tls.version < 1.3' Enter
expect "1/3 sessions"
expect "203.0.113.7:53001"
gone "192.0.2.66:41000"
keys q
expect "EXITED"

# 60x20: the findings overlay stays inside the screen.
S=small2; tmux -L "$sock" new-session -d -s "$S" -x 60 -y 20 "TERM=xterm-256color $work/smtpscope; echo EXITED; sleep 30"
expect "Worst"
keys f
expect "╔ Findings"
expect "╝"
keys Escape
gone "╔ Findings"
keys q
expect "EXITED"

# A capture with more sessions than the table shows opens at session 0,
# and PgDn shows the next screenful (the generator is in ../shared).
gen=../shared/bench/mksmtpcap.py
if command -v python3 >/dev/null 2>&1 && [ -f "$gen" ]; then
  python3 "$gen" --out "$work/many.pcap" --sessions 60 --no-tls-cache -q
  S=small3; tmux -L "$sock" new-session -d -s "$S" -x 80 -y 24 "TERM=xterm-256color $work/smtpscope $work/many.pcap; echo EXITED; sleep 30"
  expect "60 sessions"
  expect "║  0 "
  keys PgDn
  expect "║  4 "
  gone "║  0 "
  keys q
  expect "EXITED"
  fi
echo "tmux UI check: ok"
