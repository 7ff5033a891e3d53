package tui

import (
	"strconv"
	"strings"
)

// hexPerLine is the number of bytes per hex dump line: 8 fit the detail
// pane at 80 columns.
const hexPerLine = 8

// bytes adds the event's raw bytes as a hex dump: offset, hex and the
// printable ASCII (everything else as '.'), so that no captured byte
// reaches the terminal as itself.
func (d *detailDoc) bytes(raw []byte) {
	if len(raw) == 0 {
		return
	}
	d.text(roleText, "")
	d.head("Bytes (" + strconv.Itoa(len(raw)) + ")")
	for _, l := range hexDump(raw) {
		d.text(roleDim, l)
	}
}

// hexDump renders b as lines of "offset  hex  ascii", hexPerLine bytes a
// line.
func hexDump(b []byte) []string { return hexDumpN(b, hexPerLine) }

// hexDumpN renders b as lines of "offset  hex  ascii", n bytes a line.
func hexDumpN(b []byte, hexPerLine int) []string {
	const digits = "0123456789abcdef"
	lines := make([]string, 0, (len(b)+hexPerLine-1)/hexPerLine)
	var sb strings.Builder
	for off := 0; off < len(b); off += hexPerLine {
		row := b[off:min(off+hexPerLine, len(b))]
		sb.Reset()
		o := strconv.FormatInt(int64(off), 16)
		sb.WriteString(strings.Repeat("0", max(0, 4-len(o))) + o + "  ")
		for i := 0; i < hexPerLine; i++ {
			if i < len(row) {
				sb.WriteByte(digits[row[i]>>4])
				sb.WriteByte(digits[row[i]&0xf])
				sb.WriteByte(' ')
			} else {
				sb.WriteString("   ")
			}
		}
		sb.WriteByte(' ')
		for _, c := range row {
			if c >= 0x20 && c < 0x7f {
				sb.WriteByte(c)
			} else {
				sb.WriteByte('.')
			}
		}
		lines = append(lines, sb.String())
	}
	return lines
}
