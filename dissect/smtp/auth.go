package smtp

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
)

// mask replaces secrets in every display string unless Options.Reveal.
const mask = "********"

// maxChallenge bounds the decoded 334 challenge kept to tell LOGIN's
// "Username:" from "Password:" prompts.
const maxChallenge = 64

// authState follows one AUTH exchange (RFC 4954, Section 4) from the AUTH
// command to its final (non-334) reply.
type authState struct {
	cmdIndex  int
	mech      string // upper-cased mechanism, sanitized
	expected  int    // client responses the mechanism needs at least
	ir        int    // 1 when the AUTH command carried an initial response
	got334    int    // 334 challenges received
	answered  int    // client responses received (including the initial one)
	challenge []byte // last decoded challenge (bounded)
	user      string
	authzid   string
	password  string // unmasked, sanitized; masked when reported
	hasPass   bool
	cancelled bool
	last      time.Time // time of the last client item of the exchange
}

// newAuth starts an exchange from the AUTH command's argument: RFC 4954,
// Section 4: "AUTH" SP sasl-mech [SP initial-response], where "=" is an
// empty initial response. It returns the argument to display (the initial
// response masked) and whether the initial response was bad base64.
func newAuth(cmdIndex int, arg []byte, reveal bool, t time.Time) (a *authState, display string, bad bool) {
	mech, ir := arg, []byte(nil)
	if i := bytes.IndexByte(arg, ' '); i >= 0 {
		mech, ir = arg[:i], bytes.TrimSpace(arg[i+1:])
	}
	a = &authState{cmdIndex: cmdIndex, mech: upperVerb(mech), last: t}
	// Responses needed without an initial response: LOGIN asks for the
	// user name and the password (draft-murchison-sasl-login, Section 2.1);
	// the others need one at least.
	a.expected = 1
	if a.mech == "LOGIN" {
		a.expected = 2
	}
	display = sanitize.Bytes(arg)
	if ir == nil {
		return a, display, false
	}
	// RFC 4954, Section 4: the initial response counts as the first
	// response but answers no 334.
	a.ir = 1
	a.answered++
	if a.mech != "LOGIN" && len(ir) > 0 && !reveal && !bytes.Equal(ir, []byte("=")) {
		display = sanitize.Bytes(mech) + " " + mask
	}
	if bytes.Equal(ir, []byte("=")) {
		return a, display, false
	}
	_, bad = a.decode(ir, reveal)
	return a, display, bad
}

// wantsLine reports whether the next client line is a response of this
// exchange rather than a command: the server reads one response per 334
// challenge, and a mechanism without initial response needs at least one
// (RFC 4954, Section 4), even when the client sends it before the 334 shows
// up in the capture.
func (a *authState) wantsLine() bool {
	if a.answered-a.ir < a.got334 {
		return true
	}
	return !a.cancelled && a.answered < a.expected
}

// onChallenge records a 334 challenge (RFC 4954, Section 4: base64 text, or
// empty).
func (a *authState) onChallenge(text []byte) {
	a.got334++
	a.challenge = a.challenge[:0]
	if dec, err := decodeBase64(bytes.TrimSpace(text)); err == nil {
		if len(dec) > maxChallenge {
			dec = dec[:maxChallenge]
		}
		a.challenge = append(a.challenge, dec...)
	}
}

// response handles one client line of the exchange and returns its display
// text and whether it was bad base64.
func (a *authState) response(line []byte, reveal bool, t time.Time) (display string, bad bool) {
	a.answered++
	a.last = t
	line = bytes.TrimSpace(line)
	// RFC 4954, Section 4: "*" cancels the exchange; the server answers 501.
	if len(line) == 1 && line[0] == '*' {
		a.cancelled = true
		return "* (cancel)", false
	}
	return a.decode(line, reveal)
}

// decode decodes one base64 response and extracts the identities it carries.
func (a *authState) decode(b64 []byte, reveal bool) (display string, bad bool) {
	dec, err := decodeBase64(b64)
	if err != nil {
		return "bad base64 " + strconv.Itoa(len(b64)) + " bytes", true
	}
	show := func(secret string) string {
		if reveal {
			return secret
		}
		return mask
	}
	switch a.mech {
	case "PLAIN":
		// RFC 4616, Section 2: [authzid] UTF8NUL authcid UTF8NUL passwd.
		parts := bytes.SplitN(dec, []byte{0}, 3)
		if len(parts) != 3 {
			return "malformed PLAIN response, " + strconv.Itoa(len(dec)) + " bytes", false
		}
		a.authzid, a.user = sanitize.Bytes(parts[0]), sanitize.Bytes(parts[1])
		if a.user == "" {
			// Some clients put the user in the authzid slot
			// ("user\0\0password"); show it as the user.
			a.user, a.authzid = a.authzid, ""
		}
		a.password, a.hasPass = sanitize.Bytes(parts[2]), true
		display = `user="` + a.user + `" password=` + show(a.password)
		if a.authzid != "" {
			display = `authzid="` + a.authzid + `" ` + display
		}
		return display, false
	case "LOGIN":
		// draft-murchison-sasl-login: the server prompts "Username:" then
		// "Password:"; without a readable prompt the order decides.
		isPass := a.user != "" || a.answered > 1
		if p := bytes.ToLower(a.challenge); bytes.Contains(p, []byte("pass")) {
			isPass = true
		} else if bytes.Contains(p, []byte("user")) {
			isPass = false
		}
		if isPass {
			a.password, a.hasPass = sanitize.Bytes(dec), true
			return "password=" + show(a.password), false
		}
		a.user = sanitize.Bytes(dec)
		return `user="` + a.user + `"`, false
	case "CRAM-MD5":
		// RFC 2195, Section 2: the response is the user name, a space and
		// the hex digest.
		i := bytes.LastIndexByte(dec, ' ')
		if i < 0 {
			return "malformed CRAM-MD5 response, " + strconv.Itoa(len(dec)) + " bytes", false
		}
		a.user = sanitize.Bytes(dec[:i])
		a.password, a.hasPass = sanitize.Bytes(dec[i+1:]), true
		return `user="` + a.user + `" digest=` + show(a.password), false
	case "XOAUTH2":
		// Google's XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A.
		// After a 334 error challenge the client sends an empty response.
		if len(dec) == 0 {
			return "(empty)", false
		}
		for _, kv := range bytes.Split(dec, []byte{1}) {
			if v, ok := bytes.CutPrefix(kv, []byte("user=")); ok {
				a.user = sanitize.Bytes(v)
			} else if v, ok := bytes.CutPrefix(kv, []byte("auth=")); ok {
				a.password, a.hasPass = sanitize.Bytes(v), true
			}
		}
		return `user="` + a.user + `" token=` + show(a.password), false
	}
	// Other mechanisms (SCRAM, DIGEST-MD5, GSSAPI, NTLM...): only the size
	// is shown (their messages may carry secrets), and the user of SCRAM
	// and NTLM (authuser.go).
	if u := otherUser(a.mech, dec); u != "" && a.user == "" {
		a.user = u
		return `user="` + u + `", ` + strconv.Itoa(len(dec)) + " bytes", false
	}
	return strconv.Itoa(len(dec)) + " bytes", false
}

// result returns the finished exchange for EvAuth.
func (a *authState) result(code int, reveal bool) Auth {
	r := Auth{Mechanism: a.mech, User: a.user, Authzid: a.authzid, Result: code, Cancelled: a.cancelled,
		CommandIndex: a.cmdIndex}
	if a.hasPass {
		r.Password = mask
		if reveal {
			r.Password = a.password
		}
	}
	return r
}

// decodeBase64 decodes standard base64, padded or not (RFC 4954, Section 4
// requires padding; some clients omit it).
func decodeBase64(b []byte) ([]byte, error) {
	dst := make([]byte, len(b)) // decoded bytes never outnumber encoded ones
	n, err := base64.StdEncoding.Decode(dst, b)
	if err != nil {
		n, err = base64.RawStdEncoding.Decode(dst, b)
	}
	if err != nil {
		return nil, err
	}
	return dst[:n], nil
}
