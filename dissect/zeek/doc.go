// Package zeek writes smtpscope's sessions as Zeek logs (smtp.log, ssl.log,
// x509.log, conn.log, files.log, weird.log, notice.log) so that pipelines
// built for Zeek (zeek-cut, Filebeat's Zeek module, Security Onion, RITA,
// ClickHouse tables keyed on Zeek's field names) take them unchanged.
//
// Every log follows Zeek's own: the column names, types and order of the
// Info record of Zeek's base scripts (docs.zeek.org, "base/protocols/smtp/
// main.zeek", "base/protocols/ssl/main.zeek" and "files.zeek",
// "base/files/x509/main.zeek", "base/protocols/conn/main.zeek",
// "base/frameworks/files/main.zeek", "base/frameworks/notice/weird.zeek"
// and "main.zeek"), the ASCII writer's header (#separator, #set_separator,
// #empty_field, #unset_field, #path, #open, #fields, #types, #close) and
// escaping, or with JSON one object per line as LogAscii::use_json writes
// it. What smtpscope knows beyond Zeek (paired latencies, findings,
// STARTTLS verdicts, fingerprints Zeek does not log) is in extra columns
// named smtpscope_*, after Zeek's, never in place of them.
//
// The package reads only the model (dissect/session); it parses no
// captured bytes.
package zeek
