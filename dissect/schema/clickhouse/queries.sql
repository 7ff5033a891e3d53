-- 1. Sessions per server and TLS mode.
SELECT server, server_port, tls_mode, count() AS sessions
FROM smtp_sessions GROUP BY server, server_port, tls_mode ORDER BY server, server_port, tls_mode;
-- 2. Findings by code per day.
SELECT toDate(start) AS day, code, count() AS findings
FROM smtp_sessions ARRAY JOIN finding_codes AS code GROUP BY day, code ORDER BY day, findings DESC, code;
-- 3. Messages with attachments, by sender (the envelope's MAIL FROM).
SELECT sender, count() AS messages, sum(n) AS attachments
FROM smtp_sessions ARRAY JOIN mail_from AS sender, message_attachments AS n
WHERE n > 0 GROUP BY sender ORDER BY attachments DESC, sender;
