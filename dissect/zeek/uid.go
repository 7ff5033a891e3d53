package zeek

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/session"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// ident is Zeek's unique-ID spelling: a prefix letter ("C" for
// connections, "F" for files) and 96 bits in base 62 (Zeek's
// unique_id_from). smtpscope derives the bits from what identifies the
// connection, so the same capture always gets the same IDs.
func ident(prefix byte, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	hi := binary.BigEndian.Uint32(sum[0:4])
	lo := binary.BigEndian.Uint64(sum[4:12])
	b := []byte{prefix}
	// 96 bits: repeated division of (hi, lo) by 62.
	var digits []byte
	for hi != 0 || lo != 0 {
		rem := uint64(hi) % 62
		hi /= 62
		// (rem<<64 + lo) / 62 without overflow: split lo in halves.
		up := rem<<32 | lo>>32
		q1, r1 := up/62, up%62
		down := r1<<32 | lo&0xffffffff
		q2, r2 := down/62, down%62
		lo = q1<<32 | q2
		digits = append(digits, base62[r2])
	}
	for i := len(digits) - 1; i >= 0; i-- {
		b = append(b, digits[i])
	}
	return string(b)
}

// UID is the connection's uid in every log: the same for one session of
// one capture however often it is written.
func UID(s *session.Session) string {
	return ident('C', s.Client.String(), s.Server.String(), strconv.FormatInt(s.Start.UnixNano(), 10),
		strconv.FormatInt(s.Stream, 10))
}

// FUID names a file (a certificate, a MIME entity) of connection uid.
func FUID(uid, kind string, n int) string {
	return ident('F', uid, kind, strconv.Itoa(n))
}
