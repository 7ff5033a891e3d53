package cmd

// exception is one item where smtpscope and tshark 4.0.17 differ because
// tshark is wrong: "-item" is shown by tshark only, "+item" by us only.
type exception struct {
	item   string
	reason string
}

// tsharkExceptions lists, per corpus file, every difference from tshark,
// each checked by hand against the bytes.
var tsharkExceptions = map[string][]exception{}
