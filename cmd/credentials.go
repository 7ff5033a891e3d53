package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/smtpscope/smtpscope/dissect/engine"
	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// credLine is one AUTH attempt as `report --credentials --json` writes it.
type credLine struct {
	File      string `json:"file"`
	Stream    int64  `json:"stream"`
	Client    string `json:"client"`
	Server    string `json:"server"`
	Frame     int64  `json:"frame"`
	Mechanism string `json:"mechanism"`
	User      string `json:"user"`
	// Password is masked ("********") unless --reveal; "" when the
	// mechanism sends none (SCRAM proofs, NTLM responses).
	Password string `json:"password,omitempty"`
	Result   int    `json:"result"`
	Success  bool   `json:"success"`
	InTLS    bool   `json:"in_tls"`
}

// credWriter prints the AUTH attempts of each session as it is written.
type credWriter struct {
	name   string
	out    io.Writer
	enc    *json.Encoder
	n      int
	header bool
}

func (c *credWriter) Write(s *session.Session) error {
	for _, a := range s.Auth {
		l := credLine{File: c.name, Stream: s.Stream, Client: s.Client.String(), Server: s.Server.String(), Frame: a.Frame,
			Mechanism: a.Mechanism, User: a.User, Password: a.Password, Result: a.Result,
			Success: a.Result >= 200 && a.Result < 300, InTLS: a.InTLS}
		c.n++
		if c.enc != nil {
			if err := c.enc.Encode(l); err != nil {
				return err
			}
			continue
		}
		if !c.header {
			c.header = true
			fmt.Fprintf(c.out, "%-8s %-44s %6s  %-14s %-28s %-10s %s\n", "stream", "client → server", "frame", "mechanism", "user", "password", "result")
		}
		res := "no reply"
		switch {
		case l.Success:
			res = "success (" + strconv.Itoa(a.Result) + ")"
		case a.Result != 0:
			res = "failed (" + strconv.Itoa(a.Result) + ")"
		}
		where := "in clear"
		if a.InTLS {
			where = "in TLS"
		}
		pass := a.Password
		if pass == "" {
			pass = "-"
		}
		user := a.User
		if user == "" {
			user = "(none seen)"
		}
		fmt.Fprintf(c.out, "#%-7d %-44s %6d  %-14s %-28s %-10s %s, %s\n", s.Stream, s.Client.String()+" → "+s.Server.String(),
			a.Frame, sanitize.String(a.Mechanism), sanitize.String(user), sanitize.String(pass), res, where)
	}
	return nil
}

// credentials runs `report --credentials`: every AUTH exchange of every
// session (mechanism, user, server, frame, outcome), passwords masked
// unless --reveal.
func (e *env) credentials(names []string, opts engine.Options, asJSON bool, out io.Writer) int {
	status := exitOK
	total := 0
	for _, name := range names {
		c := &credWriter{name: name, out: out}
		if asJSON {
			c.enc = json.NewEncoder(out)
			c.enc.SetEscapeHTML(false)
		} else if len(names) > 1 {
			fmt.Fprintf(out, "== %s ==\n", sanitize.String(name))
		}
		err := e.reportFile(name, opts, c, nil)
		total += c.n
		if err != nil {
			fmt.Fprintf(e.stderr, "smtpscope: %s\n", errtext.Plain(err))
			status = exitInput
		}
	}
	if !asJSON {
		fmt.Fprintf(out, "%d AUTH exchange(s)\n", total)
	}
	return status
}
