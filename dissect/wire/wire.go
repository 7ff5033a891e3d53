// Package wire holds the small vocabulary shared by every dissector: the
// direction of bytes in a TCP connection and the position (frame and time)
// that bytes came from. It imports nothing of the project.
package wire

import "time"

// Dir is the direction of bytes within one TCP connection.
type Dir uint8

const (
	// ClientToServer is the direction of the connection's initiator: the SYN
	// sender, or the side that did not send the SMTP banner.
	ClientToServer Dir = iota
	// ServerToClient is the opposite direction.
	ServerToClient
)

// String returns "c2s" or "s2c", the spelling used in JSON output.
func (d Dir) String() string {
	if d == ServerToClient {
		return "s2c"
	}
	return "c2s"
}

// Reverse returns the other direction.
func (d Dir) Reverse() Dir { return d ^ 1 }

// Pos says where a byte or an item came from: the 1-based frame number as
// tshark counts it and the capture time of that frame.
type Pos struct {
	Frame int64
	Time  time.Time
}
