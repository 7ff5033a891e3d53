// Package htmlreport writes one self-contained HTML page for a capture: the
// capture summary, a sortable sessions table, and for each session its
// sequence diagram (inline SVG from package diagram), its ladder, its
// findings with their explanations and references (package findings) and
// its messages (envelope and headers; never attachment content).
//
// The page needs nothing from the network: CSS is inline, diagrams are
// inline SVG, the only script is a dozen lines that sort the table, and a
// Content-Security-Policy meta element allows exactly that script (by hash)
// and nothing else. Every string from the capture passes sanitize.String and
// is HTML-escaped (diagram.Escape); none is ever placed in an element name,
// an attribute, a URL, the style or the script.
package htmlreport
