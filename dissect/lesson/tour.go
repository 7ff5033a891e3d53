package lesson

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Tour page kinds, beside the session pages.
const (
	TourIntro PageKind = iota + 16 // what the tour walks through
	Check                          // the self-check questions
	Answers                        // their answers, from the capture
)

// label names a session in one line: "#1 192.0.2.66 → 198.51.100.25:25
// relay".
func label(s *session.Session) string {
	return "#" + strconv.FormatInt(s.Stream, 10) + " " + s.Client.IP + " → " + s.Server.String() + " " + string(s.PortRole)
}

// keyState says whether the capture was read with keys: "with", "without"
// (TLS that stayed encrypted) or "" (nothing to decrypt).
func keyState(ss []*session.Session) string {
	state := ""
	for _, s := range ss {
		switch {
		case s.TLS.Decrypted:
			return "with"
		case s.TLS.EncryptedRecords > 0:
			state = "without"
		}
	}
	return state
}

// worst returns the most severe finding of s, or nil.
func worst(s *session.Session) *session.Finding {
	var w *session.Finding
	for i := range s.Findings {
		if f := &s.Findings[i]; w == nil || f.Severity.Rank() > w.Severity.Rank() {
			w = f
		}
	}
	return w
}

// TourPage is the first page of a tour of ss: the sessions it walks
// through, in order, each in one line, and whether the capture was read
// with its keys.
func TourPage(ss []*session.Session) Page {
	d := doc{}
	d.text("This tour walks the capture session by session, page by page, as a Wireshark walkthrough would: " +
		"each phase with its own bytes, what it is for, what an attacker could do there, and the RFC that says so. " +
		"It ends with a short self-check answered from the capture.")
	d.head("The sessions, in order")
	for _, s := range ss {
		t := "  " + label(s) + ", " + tlsMeaning(s)
		if w := worst(s); w != nil {
			t += "; worst finding: " + string(w.Severity) + " " + w.Code
		} else {
			t += "; no findings"
		}
		d.text(t)
	}
	d.head("Keys")
	switch keyState(ss) {
	case "with":
		d.text("Read with the TLS key log: the SMTP inside TLS is shown, marked ⚿. Run the tour again without it " +
			"(--no-keys) to see what Wireshark shows without the keys: records and sizes only.")
	case "without":
		d.text("Read without the TLS keys: inside TLS only records and sizes are seen, as in Wireshark without a key " +
			"log. Give the key log (--keylog FILE, or K) to read the SMTP inside.")
	default:
		d.text("Nothing in this capture was encrypted: every byte of SMTP is on the pages.")
	}
	return Page{Title: "Tour of this capture", Kind: TourIntro, Band: -1, Lines: d.lines}
}

// SelfCheck returns the self-check at the end of a tour of ss: four
// questions on what the capture showed, and a page with their answers
// taken from the capture (sessions, frames and numbers).
func SelfCheck(ss []*session.Session) (questions, answers Page) {
	qs := []string{
		"1. Which session let anyone on the path read a password, and whose?",
		"2. Which sessions were encrypted, how, and from which frame on?",
		"3. Where was encryption on offer and not used, or taken away on the path? What is the evidence?",
		"4. How many messages were sent, and how many could be read on the path?",
	}
	q := doc{}
	q.text("Answer from what the tour showed; the next page has the answers, taken from this capture.")
	for _, t := range qs {
		q.head(t)
	}
	a := doc{}
	a.head(qs[0])
	for _, t := range passwordAnswers(ss) {
		a.text(t)
	}
	a.head(qs[1])
	for _, t := range encryptionAnswers(ss) {
		a.text(t)
	}
	a.head(qs[2])
	for _, t := range downgradeAnswers(ss) {
		a.text(t)
	}
	a.head(qs[3])
	a.text(messageAnswer(ss))
	return Page{Title: "Self-check", Kind: Check, Band: -1, Lines: q.lines},
		Page{Title: "Self-check: answers", Kind: Answers, Band: -1, Lines: a.lines}
}

func passwordAnswers(ss []*session.Session) []string {
	var out []string
	auths := 0
	for _, s := range ss {
		for _, at := range s.Auth {
			auths++
			if at.InTLS {
				continue
			}
			t := label(s) + ": AUTH " + at.Mechanism
			if at.User != "" {
				t += " as " + at.User
			}
			t += " in clear (reply " + strconv.Itoa(at.Result) + " in frame " + strconv.FormatInt(at.Frame, 10) + ")"
			switch strings.ToUpper(at.Mechanism) {
			case "PLAIN", "LOGIN":
				t += "; the password is masked here, but on the wire it was only base64: readable by anyone."
			default:
				t += "; not the password itself, but a digest anyone on the path can attack offline."
			}
			out = append(out, t)
		}
	}
	switch {
	case len(out) > 0:
	case auths > 0:
		out = append(out, "None: every AUTH of the capture went inside TLS.")
	case keyState(ss) == "without":
		out = append(out, "None in clear; any AUTH inside TLS cannot be seen without the keys.")
	default:
		out = append(out, "None: no session authenticated.")
	}
	return out
}

func encryptionAnswers(ss []*session.Session) []string {
	var out []string
	for _, s := range ss {
		t := label(s) + ": " + tlsMeaning(s)
		for i := range s.Timeline {
			if e := &s.Timeline[i]; Protected(s, e) {
				t += ", protected from frame " + strconv.FormatInt(e.Frame, 10)
				break
			}
		}
		if n, b := EncryptedTotals(s); n > 0 && !s.TLS.Decrypted {
			t += " (" + plural(n, "record") + ", " + plural(int(b), "byte") + " not readable without the keys)"
		}
		out = append(out, t+".")
	}
	return out
}

func downgradeAnswers(ss []*session.Session) []string {
	var out []string
	for _, s := range ss {
		for _, f := range s.Findings {
			if !strings.HasPrefix(f.Code, "starttls.") {
				continue
			}
			frames := make([]string, len(f.Frames))
			for i, fr := range f.Frames {
				frames[i] = strconv.FormatInt(fr, 10)
			}
			out = append(out, label(s)+": "+f.Code+" ("+string(f.Severity)+"), frames "+strings.Join(frames, ", ")+": "+f.Summary)
		}
	}
	if len(out) == 0 {
		out = append(out, "Nowhere: every offer of STARTTLS was taken, and no offer was seen removed.")
	}
	return out
}

func messageAnswer(ss []*session.Session) string {
	n, clear := 0, 0
	for _, s := range ss {
		for _, m := range s.Messages {
			n++
			if !m.InTLS {
				clear++
			}
		}
	}
	t := plural(n, "message") + " seen, " + strconv.Itoa(clear) + " of them in clear"
	if keyState(ss) == "without" {
		t += "; messages sent inside TLS are not counted without the keys"
	}
	return t + "."
}
