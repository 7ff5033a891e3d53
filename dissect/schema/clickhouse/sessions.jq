# One smtpscope session line (report --json) -> one smtp_sessions row
# (schema/clickhouse/sessions.sql). Times become "YYYY-MM-DD hh:mm:ss" (UTC),
# which every ClickHouse version reads into DateTime('UTC'); the file column is
# $SMTPSCOPE_FILE when set.
def ts: sub("\\.[0-9]+"; "") | sub("Z$"; "") | sub("T"; " ");
def hostport: capture("^\\[?(?<h>.*?)\\]?:(?<p>[0-9]+)$");
{
  file: ($ENV.SMTPSCOPE_FILE // ""),
  stream: .stream,
  client: (.client | hostport | .h),
  server: (.server | hostport | .h),
  server_port: (.server | hostport | .p | tonumber),
  port_role: .port_role,
  start: (.start | ts),
  end: (.end | ts),
  duration_ms: (((.end | ts | strptime("%Y-%m-%d %H:%M:%S") | mktime) - (.start | ts | strptime("%Y-%m-%d %H:%M:%S") | mktime)) * 1000),
  tls_mode: .tls.mode,
  tls_version: (.tls.version // ""),
  tls_cipher: (.tls.cipher // ""),
  sni: (.tls.sni // ""),
  ja3: (.tls.ja3 // ""),
  ja4: (.tls.ja4 // ""),
  cert_sha256: [(.tls.certificates // [])[] | .sha256 // empty],
  commands: (.commands | length),
  replies: (.replies | length),
  auth_mechanisms: [(.auth // [])[] | .mechanism],
  mail_from: [.messages[] | .mail_from],
  rcpt_count: [.messages[] | (.rcpt_to | length)],
  subjects: [.messages[] | (.subject // "")],
  message_size: [.messages[] | .size],
  message_accepted: [.messages[] | if .accepted then 1 else 0 end],
  message_attachments: [.messages[] | [(.parts // [])[] | select(.attachment)] | length],
  attachment_sha256: [.messages[] | (.parts // [])[] | select(.attachment) | .sha256 // empty],
  finding_codes: [.findings[] | .code],
  finding_severities: [.findings[] | .severity],
  anomaly_codes: [.anomalies[] | .code]
}
