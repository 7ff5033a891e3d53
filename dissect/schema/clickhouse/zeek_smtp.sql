-- Zeek's smtp.log as JSON (report --zeek DIR --zeek-format json, or Zeek's own
-- with LogAscii::use_json=T), columns under Zeek's names:
--   clickhouse-client --input_format_skip_unknown_fields=1 \
--     --query 'INSERT INTO zeek_smtp FORMAT JSONEachRow' < DIR/smtp.log
CREATE TABLE IF NOT EXISTS zeek_smtp (
    ts Float64,
    uid String,
    trans_depth UInt32,
    helo String,
    mailfrom String,
    rcptto Array(String),
    subject String,
    last_reply String,
    path Array(String),
    tls UInt8,
    fuids Array(String),
    smtpscope_findings Array(String)
) ENGINE = MergeTree() ORDER BY (uid, trans_depth);
