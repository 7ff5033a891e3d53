package tui

import (
	"os"

	"github.com/smtpscope/smtpscope/dissect/session"
)

// Run builds the UI over store and runs it on the terminal until the user
// quits. It honours $NO_COLOR (https://no-color.org).
func Run(store *session.Store, opts Options) error {
	if os.Getenv("NO_COLOR") != "" {
		opts.NoColor = true
	}
	return New(store, opts).Run()
}

// Run runs the application with the one refresh ticker until the user quits.
// The screen is the one set with App().SetScreen, or the terminal.
func (u *UI) Run() error {
	u.ticking.wg.Add(1)
	go func() {
		defer u.ticking.wg.Done()
		u.tick(u.ticking.stop)
	}()
	err := u.app.Run()
	// Run may also end on a terminal error: stop the ticker in that case.
	u.ticking.once.Do(func() { close(u.ticking.stop) })
	return err
}
