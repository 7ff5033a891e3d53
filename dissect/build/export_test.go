package build

import "github.com/smtpscope/smtpscope/dissect/wire"

// SetDataHook injects f before every Data call is dissected (tests only).
func SetDataHook(o *Options, f func(d wire.Dir, data []byte)) { o.hook = f }
