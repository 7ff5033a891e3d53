-- smtpscope NDJSON sessions (schema/session-1.schema.json), one row per
-- session, loaded through sessions.jq (ClickHouse 18.16 and later):
--   smtpscope report --json capture.pcap | jq -c -f schema/clickhouse/sessions.jq |
--     clickhouse-client --query 'INSERT INTO smtp_sessions FORMAT JSONEachRow'
CREATE TABLE IF NOT EXISTS smtp_sessions (
    file String,
    stream UInt64,
    client String,
    server String,
    server_port UInt16,
    port_role String,
    start DateTime('UTC'),
    end DateTime('UTC'),
    duration_ms Float64,
    tls_mode String,
    tls_version String,
    tls_cipher String,
    sni String,
    ja3 String,
    ja4 String,
    cert_sha256 Array(String),
    commands UInt32,
    replies UInt32,
    auth_mechanisms Array(String),
    mail_from Array(String),
    rcpt_count Array(UInt32),
    subjects Array(String),
    message_size Array(UInt64),
    message_accepted Array(UInt8),
    message_attachments Array(UInt32),
    attachment_sha256 Array(String),
    finding_codes Array(String),
    finding_severities Array(String),
    anomaly_codes Array(String)
) ENGINE = MergeTree() ORDER BY (server, start);
