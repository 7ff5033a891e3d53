package report

// The reference encoder: the NDJSON contract as encoding/json writes it from
// these structs (the encoder before ndjson.go). TestNDJSONSameBytes checks
// that ndjson.go writes the same bytes for every sample session.

import (
	"encoding/json"
	"io"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// The JSON session object: field names are the contract in ARCHITECTURE.md
// ("The CLI contract"); fields may be added, never renamed.
type jsonSession struct {
	Stream       int64                   `json:"stream"`
	Client       string                  `json:"client"`
	Server       string                  `json:"server"`
	PortRole     session.PortRole        `json:"port_role"`
	FirstFrame   int64                   `json:"first_frame"`
	LastFrame    int64                   `json:"last_frame"`
	Start        string                  `json:"start"`
	End          string                  `json:"end"`
	RTTMs        float64                 `json:"rtt_ms,omitempty"`
	TLS          session.TLSInfo         `json:"tls"`
	Capabilities []session.Capability    `json:"capabilities,omitempty"`
	CapsDiff     *session.CapabilityDiff `json:"capabilities_diff,omitempty"`
	Commands     []jsonCommand           `json:"commands"`
	Replies      []jsonReply             `json:"replies"`
	Auth         []session.AuthAttempt   `json:"auth,omitempty"`
	TLSRecords   []jsonRecord            `json:"tls_records"`
	Timeline     []jsonEvent             `json:"timeline"`
	Messages     []jsonMessage           `json:"messages"`
	Findings     []session.Finding       `json:"findings"`
	Anomalies    []jsonAnomaly           `json:"anomalies"`
	TCP          session.TCPStats        `json:"tcp"`
}

type jsonCommand struct {
	Frame         int64         `json:"frame"`
	Verb          string        `json:"verb"`
	Arg           string        `json:"arg"`
	InTLS         bool          `json:"in_tls"`
	Pipelined     bool          `json:"pipelined,omitempty"`
	AfterStartTLS bool          `json:"after_starttls,omitempty"`
	Smuggled      bool          `json:"smuggled,omitempty"`
	VerbSent      string        `json:"verb_sent,omitempty"`
	Reply         *jsonReplyRef `json:"reply"`
}

type jsonReplyRef struct {
	Frame     int64   `json:"frame"`
	Code      int     `json:"code"`
	LatencyMs float64 `json:"latency_ms"`
}

type jsonReply struct {
	Frame    int64    `json:"frame"`
	Code     int      `json:"code"`
	Enhanced string   `json:"enhanced,omitempty"`
	Lines    []string `json:"lines"`
	InTLS    bool     `json:"in_tls"`
	// TLSRecord: the index into tls_records of the record sent in clear
	// whose lines this reply answers.
	TLSRecord *int `json:"tls_record,omitempty"`
}

type jsonRecord struct {
	Frame     int64  `json:"frame"`
	Dir       string `json:"dir"`
	Type      uint8  `json:"type"`
	Version   uint16 `json:"version"`
	Length    int    `json:"length"`
	Handshake []int  `json:"handshake"` // handshake message types (a list, not bytes)
	Encrypted bool   `json:"encrypted,omitempty"`
	Decrypted bool   `json:"decrypted,omitempty"`
	Summary   string `json:"summary,omitempty"`
	InClear   bool   `json:"in_clear,omitempty"` // sent while the server had not agreed to TLS
	Replies   int    `json:"replies,omitempty"`  // replies to its lines (in_clear)
}

type jsonEvent struct {
	Frame   int64  `json:"frame"`
	Time    string `json:"time"`
	Dir     string `json:"dir"`
	Phase   string `json:"phase"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	InTLS   bool   `json:"in_tls,omitempty"`
	Count   int    `json:"count,omitempty"`
	Bytes   int64  `json:"bytes,omitempty"`
}

type jsonAnomaly struct {
	Frame   int64  `json:"frame"`
	Dir     string `json:"dir"`
	Code    string `json:"code"`
	Summary string `json:"summary"`
}

// refJSON writes one session as one line of JSON, by reflection.
type refJSON struct {
	enc *json.Encoder
}

func newRefJSON(w io.Writer) *refJSON {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &refJSON{enc: enc}
}

func (j *refJSON) Write(s *session.Session) error {
	return j.enc.Encode(toJSON(s))
}

func toJSON(s *session.Session) *jsonSession {
	o := &jsonSession{
		Stream: s.Stream, Client: s.Client.String(), Server: s.Server.String(), PortRole: s.PortRole,
		FirstFrame: s.FirstFrame, LastFrame: s.LastFrame,
		Start: s.Start.UTC().Format(rfc3339), End: s.End.UTC().Format(rfc3339),
		RTTMs: ms(s.RTT), TLS: s.TLS, Capabilities: s.Capabilities, CapsDiff: session.DiffCapabilities(s), Auth: s.Auth,
		Commands: make([]jsonCommand, 0, len(s.Commands)), Replies: make([]jsonReply, 0, len(s.Replies)),
		TLSRecords: make([]jsonRecord, 0, len(s.TLSRecords)), Timeline: make([]jsonEvent, 0, len(s.Timeline)),
		Messages: make([]jsonMessage, 0, len(s.Messages)), Findings: s.Findings,
		Anomalies: make([]jsonAnomaly, 0, len(s.Anomalies)), TCP: s.TCP,
	}
	if o.Findings == nil {
		o.Findings = []session.Finding{}
	}
	for _, c := range s.Commands {
		jc := jsonCommand{Frame: c.Frame, Verb: c.Verb, Arg: c.Arg, InTLS: c.InTLS, Pipelined: c.Pipelined,
			AfterStartTLS: c.AfterStartTLS, Smuggled: c.Smuggled, VerbSent: c.VerbSent}
		if c.Reply != nil {
			jc.Reply = &jsonReplyRef{Frame: c.Reply.Frame, Code: c.Reply.Code, LatencyMs: ms(c.Reply.Latency)}
		}
		o.Commands = append(o.Commands, jc)
	}
	for _, r := range s.Replies {
		lines := r.Lines
		if lines == nil {
			lines = []string{}
		}
		o.Replies = append(o.Replies, jsonReply{Frame: r.Frame, Code: r.Code, Enhanced: r.Enhanced, Lines: lines, InTLS: r.InTLS, TLSRecord: r.TLSRecord})
	}
	for _, r := range s.TLSRecords {
		hs := make([]int, len(r.Handshake))
		for i, h := range r.Handshake {
			hs[i] = int(h)
		}
		o.TLSRecords = append(o.TLSRecords, jsonRecord{Frame: r.Frame, Dir: r.Dir.String(), Type: r.Type,
			Version: r.Version, Length: r.Length, Handshake: hs, Encrypted: r.Encrypted, Decrypted: r.Decrypted,
			Summary: r.Summary, InClear: r.InClear, Replies: r.Replies})
	}
	for _, e := range s.Timeline {
		o.Timeline = append(o.Timeline, jsonEvent{Frame: e.Frame, Time: e.Time.UTC().Format(rfc3339), Dir: e.Dir.String(),
			Phase: string(e.Phase), Kind: string(e.Kind), Summary: e.Summary, InTLS: e.InTLS, Count: e.Count, Bytes: e.Bytes})
	}
	for _, m := range s.Messages {
		o.Messages = append(o.Messages, newJSONMessage(&m))
	}
	for _, a := range s.Anomalies {
		o.Anomalies = append(o.Anomalies, jsonAnomaly{Frame: a.Frame, Dir: a.Dir.String(), Code: a.Code, Summary: a.Summary})
	}
	return o
}
