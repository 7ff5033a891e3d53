// Package filter is smtpscope's session filter language: one parser for the
// UI's `/` field and for every command that takes --filter (report, diagram).
// It reads the model (dissect/session) only.
//
// A filter is an expression over the fields of a session, named as in the
// JSON contract (ARCHITECTURE.md):
//
//	reply >= 500 or tls.version < 1.2
//	port:587 tls:none cmd:AUTH alice          (the original words still work)
//	not (tls == starttls) and msgs > 0
//	duration > 2s and frame in 100..200
//	findings.severity >= high || subject contains "invoice"
//
// Grammar (lowest precedence first; terms side by side are and-ed):
//
//	expr    = and { ("or" | "||") and }
//	and     = unary { [ "and" | "&&" ] unary }
//	unary   = ( "not" | "!" ) unary | primary
//	primary = "(" expr ")" | FIELD OP VALUE | FIELD "in" LO ".." HI
//	        | FIELD                      (bool and count fields: true / > 0)
//	        | KEY ":" VALUE              (port:587 tls:none frame:120 ...)
//	        | WORD | "quoted words"      (text anywhere in the session)
//	OP      = "==" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "matches"
//
// A field with several values (reply.code, commands.verb, findings.code)
// matches when any of its values does, as in Wireshark. Text compares
// without regard to case. Errors are *Error values that carry the byte
// offset of the part of the filter they are about, for a caret under it.
//
// Everything is bounded: the filter's length (MaxLen), its terms (MaxTerms)
// and the nesting of parentheses and negations (MaxDepth); parsing and
// matching never recurse deeper than MaxDepth.
package filter
