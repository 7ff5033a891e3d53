#!/usr/bin/env python3
"""tls_client.py MODE HOST PORT KEYLOG — the Python 3 stdlib clients of
record_keys.sh; each writes its TLS secrets to KEYLOG (ssl.SSLContext
keylog_filename) and prints what it received.
  inject: EHLO, then "STARTTLS\\r\\nRSET\\r\\n" in one write (CVE-2011-0411
          class), the 220, the TLS handshake, EHLO, QUIT inside TLS.
  smtps:  smtplib.SMTP_SSL (implicit TLS, RFC 8314): EHLO, one message, QUIT."""
import smtplib, socket, ssl, sys

mode, host, port, keylog = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.keylog_filename = keylog

def read(f):
    out = []
    while True:
        line = f.readline()
        if not line:
            break
        out.append(line)
        sys.stdout.write(line.decode("latin-1"))
        if line[3:4] != b"-":
            break
    return out

if mode == "inject":
    s = socket.create_connection((host, port), timeout=5)
    f = s.makefile("rb")
    read(f)
    s.sendall(b"EHLO client.localhost\r\n"); read(f)
    s.sendall(b"STARTTLS\r\nRSET\r\n"); read(f)
    t = ctx.wrap_socket(s, server_hostname="mail.example.net")
    g = t.makefile("rb")
    t.sendall(b"EHLO client.localhost\r\n"); read(g)
    t.sendall(b"QUIT\r\n"); read(g)
    t.close()
elif mode == "smtps":
    msg = ("From: a@localhost\r\nTo: root@localhost\r\nSubject: smtpscope implicit TLS sample\r\n\r\n"
           "sent with smtplib.SMTP_SSL\r\n")
    with smtplib.SMTP_SSL(host, port, local_hostname="client.localhost", context=ctx, timeout=5) as c:
        c.set_debuglevel(1)
        c.sendmail("a@localhost", ["root@localhost"], msg)
