package zeek

// The logs' columns, in the order of Zeek's Info records (Zeek 6 and 7).

var connID = []Field{
	{"id.orig_h", TAddr}, {"id.orig_p", TPort}, {"id.resp_h", TAddr}, {"id.resp_p", TPort},
}

func fields(pre []Field, rest ...Field) []Field {
	return append(append([]Field{}, pre...), rest...)
}

// SMTPSchema is smtp.log (base/protocols/smtp/main.zeek, SMTP::Info).
var SMTPSchema = Schema{Path: "smtp", Fields: fields(fields([]Field{{"ts", TTime}, {"uid", TString}}, connID...),
	Field{"trans_depth", TCount}, Field{"helo", TString}, Field{"mailfrom", TString},
	Field{"rcptto", TSetString}, Field{"date", TString}, Field{"from", TString}, Field{"to", TSetString},
	Field{"cc", TSetString}, Field{"reply_to", TString}, Field{"msg_id", TString}, Field{"in_reply_to", TString},
	Field{"subject", TString}, Field{"x_originating_ip", TAddr}, Field{"first_received", TString},
	Field{"second_received", TString}, Field{"last_reply", TString}, Field{"path", TVecAddr},
	Field{"user_agent", TString}, Field{"tls", TBool}, Field{"fuids", TVecString},
	// smtpscope's own, after Zeek's.
	Field{"smtpscope_stream", TCount}, Field{"smtpscope_reply_code", TCount},
	Field{"smtpscope_reply_latency", TInterval}, Field{"smtpscope_accepted", TBool},
	Field{"smtpscope_size", TCount}, Field{"smtpscope_via", TString}, Field{"smtpscope_in_tls", TBool},
	Field{"smtpscope_tls_mode", TString}, Field{"smtpscope_auth", TSetString},
	Field{"smtpscope_smuggling", TString}, Field{"smtpscope_findings", TSetString})}

// SSLSchema is ssl.log (base/protocols/ssl/main.zeek and files.zeek).
var SSLSchema = Schema{Path: "ssl", Fields: fields(fields([]Field{{"ts", TTime}, {"uid", TString}}, connID...),
	Field{"version", TString}, Field{"cipher", TString}, Field{"curve", TString}, Field{"server_name", TString},
	Field{"resumed", TBool}, Field{"last_alert", TString}, Field{"next_protocol", TString},
	Field{"established", TBool}, Field{"ssl_history", TString}, Field{"cert_chain_fps", TVecString},
	Field{"client_cert_chain_fps", TVecString}, Field{"sni_matches_cert", TBool},
	Field{"smtpscope_stream", TCount}, Field{"smtpscope_tls_mode", TString},
	Field{"smtpscope_ja3", TString}, Field{"smtpscope_ja3s", TString},
	Field{"smtpscope_ja4", TString}, Field{"smtpscope_ja4s", TString},
	Field{"smtpscope_cert_serials", TVecString}, Field{"smtpscope_decrypted", TBool},
	Field{"smtpscope_encrypted_records", TCount})}

// X509Schema is x509.log (base/files/x509/main.zeek, X509::Info).
var X509Schema = Schema{Path: "x509", Fields: []Field{{"ts", TTime}, {"fingerprint", TString},
	{"certificate.version", TCount}, {"certificate.serial", TString}, {"certificate.subject", TString},
	{"certificate.issuer", TString}, {"certificate.not_valid_before", TTime},
	{"certificate.not_valid_after", TTime}, {"certificate.key_alg", TString}, {"certificate.sig_alg", TString},
	{"certificate.key_type", TString}, {"certificate.key_length", TCount}, {"certificate.exponent", TString},
	{"certificate.curve", TString}, {"san.dns", TVecString}, {"san.uri", TVecString}, {"san.email", TVecString},
	{"san.ip", TVecAddr}, {"basic_constraints.ca", TBool}, {"basic_constraints.path_len", TCount},
	{"host_cert", TBool}, {"client_cert", TBool},
	{"smtpscope_uid", TString}, {"smtpscope_self_signed", TBool}, {"smtpscope_error", TString}}}

// ConnSchema is conn.log (base/protocols/conn/main.zeek, Conn::Info).
var ConnSchema = Schema{Path: "conn", Fields: fields(fields([]Field{{"ts", TTime}, {"uid", TString}}, connID...),
	Field{"proto", TEnum}, Field{"service", TString}, Field{"duration", TInterval}, Field{"orig_bytes", TCount},
	Field{"resp_bytes", TCount}, Field{"conn_state", TString}, Field{"local_orig", TBool},
	Field{"local_resp", TBool}, Field{"missed_bytes", TCount}, Field{"history", TString},
	Field{"orig_pkts", TCount}, Field{"orig_ip_bytes", TCount}, Field{"resp_pkts", TCount},
	Field{"resp_ip_bytes", TCount}, Field{"tunnel_parents", TSetString},
	Field{"smtpscope_stream", TCount}, Field{"smtpscope_port_role", TString}, Field{"smtpscope_packets", TCount},
	Field{"smtpscope_rtt", TInterval}, Field{"smtpscope_retransmissions", TCount},
	Field{"smtpscope_first_frame", TCount}, Field{"smtpscope_last_frame", TCount})}

// FilesSchema is files.log (base/frameworks/files/main.zeek, Files::Info,
// with the hashes of base/files/hash).
var FilesSchema = Schema{Path: "files", Fields: fields(fields([]Field{{"ts", TTime}, {"fuid", TString},
	{"uid", TString}}, connID...),
	Field{"source", TString}, Field{"depth", TCount}, Field{"analyzers", TSetString},
	Field{"mime_type", TString}, Field{"filename", TString}, Field{"duration", TInterval},
	Field{"local_orig", TBool}, Field{"is_orig", TBool}, Field{"seen_bytes", TCount},
	Field{"total_bytes", TCount}, Field{"missing_bytes", TCount}, Field{"overflow_bytes", TCount},
	Field{"timedout", TBool}, Field{"parent_fuid", TString}, Field{"md5", TString}, Field{"sha1", TString},
	Field{"sha256", TString}, Field{"extracted", TString}, Field{"extracted_cutoff", TBool},
	Field{"extracted_size", TCount},
	Field{"smtpscope_stream", TCount}, Field{"smtpscope_content_type", TString},
	Field{"smtpscope_part", TString}, Field{"smtpscope_disposition", TString},
	Field{"smtpscope_encoding", TString}, Field{"smtpscope_encoded_size", TCount})}

// WeirdSchema is weird.log (base/frameworks/notice/weird.zeek).
var WeirdSchema = Schema{Path: "weird", Fields: fields(fields([]Field{{"ts", TTime}, {"uid", TString}}, connID...),
	Field{"name", TString}, Field{"addl", TString}, Field{"notice", TBool}, Field{"peer", TString},
	Field{"source", TString}, Field{"smtpscope_frame", TCount})}

// NoticeSchema is notice.log (base/frameworks/notice/main.zeek).
var NoticeSchema = Schema{Path: "notice", Fields: fields(fields([]Field{{"ts", TTime}, {"uid", TString}}, connID...),
	Field{"fuid", TString}, Field{"file_mime_type", TString}, Field{"file_desc", TString}, Field{"proto", TEnum},
	Field{"note", TEnum}, Field{"msg", TString}, Field{"sub", TString}, Field{"src", TAddr}, Field{"dst", TAddr},
	Field{"p", TPort}, Field{"n", TCount}, Field{"peer_descr", TString}, Field{"actions", "set[enum]"},
	Field{"email_dest", TSetString}, Field{"suppress_for", TInterval},
	Field{"remote_location.country_code", TString}, Field{"remote_location.region", TString},
	Field{"remote_location.city", TString}, Field{"remote_location.latitude", "double"},
	Field{"remote_location.longitude", "double"},
	Field{"smtpscope_code", TString}, Field{"smtpscope_severity", TString}, Field{"smtpscope_frames", "vector[count]"})}
