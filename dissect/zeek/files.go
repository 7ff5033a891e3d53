package zeek

import (
	"github.com/smtpscope/smtpscope/dissect/session"
)

// fileIDs are Zeek-style fuids ("F" and base 62) of the leaf MIME parts of
// every message of s, by message and part index, and each leaf's depth:
// Zeek's count of MIME entities seen on the connection when the part
// began (containers included), which is how files.log's depth reads for
// SMTP (base/protocols/smtp/files.zeek).
type fileIDs struct {
	fuid  [][]string
	depth [][]int
}

func makeFileIDs(s *session.Session, uid string) fileIDs {
	var f fileIDs
	entities := 0
	for mi := range s.Messages {
		m := &s.Messages[mi]
		ids := make([]string, len(m.Parts))
		depths := make([]int, len(m.Parts))
		for pi, p := range m.Parts {
			entities++
			// Zeek's file analysis starts at an entity's first body
			// byte: an empty leaf has no file and no fuid.
			if !p.Multipart && p.Size > 0 {
				ids[pi] = FUID(uid, p.ID, pi)
				depths[pi] = entities
			}
		}
		f.fuid = append(f.fuid, ids)
		f.depth = append(f.depth, depths)
	}
	return f
}

// leafFuids lists the fuids of message mi's leaves (smtp.log fuids).
func (f fileIDs) leafFuids(mi int) []string {
	var out []string
	if mi < 0 || mi >= len(f.fuid) {
		return nil
	}
	for _, id := range f.fuid[mi] {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

// filesRows are the files.log records: one per leaf MIME part, with its
// hashes (md5, sha1, sha256 of the decoded content, as Zeek's MIME
// analyzer hands it to the file analysis framework).
func filesRows(s *session.Session, uid string, ids fileIDs) []Row {
	var rows []Row
	for mi := range s.Messages {
		m := &s.Messages[mi]
		ts := frameTime(s, m.FirstFrame)
		for pi, p := range m.Parts {
			if ids.fuid[mi][pi] == "" {
				continue
			}
			r := newRow(FilesSchema)
			r.set("ts", Time(ts))
			r.set("fuid", Str(ids.fuid[mi][pi]))
			r.set("uid", Str(uid))
			r.connID(s)
			r.set("source", Str("SMTP"))
			r.set("depth", Count(int64(ids.depth[mi][pi])))
			var an []string
			if p.MD5 != "" {
				an = append(an, "MD5")
			}
			if p.SHA1 != "" {
				an = append(an, "SHA1")
			}
			if p.SHA256 != "" {
				an = append(an, "SHA256")
			}
			r.set("analyzers", List(an))
			r.set("mime_type", StrOpt(p.MimeType))
			r.set("filename", StrOpt(p.Filename))
			r.set("duration", Interval(m.Time.Sub(ts)))
			r.set("is_orig", Bool(true))
			r.set("seen_bytes", Count(p.Size))
			missing := int64(0)
			if p.Incomplete {
				missing = m.GapBytes
			}
			r.set("missing_bytes", Count(missing))
			r.set("overflow_bytes", Count(0))
			r.set("timedout", Bool(false))
			r.set("md5", StrOpt(p.MD5))
			r.set("sha1", StrOpt(p.SHA1))
			r.set("sha256", StrOpt(p.SHA256))
			r.set("smtpscope_stream", Count(s.Stream))
			r.set("smtpscope_content_type", StrOpt(p.MimeType))
			r.set("smtpscope_part", StrOpt(p.ID))
			r.set("smtpscope_disposition", StrOpt(p.Disposition))
			r.set("smtpscope_encoding", StrOpt(p.Encoding))
			r.set("smtpscope_encoded_size", Count(p.EncodedSize))
			rows = append(rows, r.row)
		}
	}
	return rows
}
