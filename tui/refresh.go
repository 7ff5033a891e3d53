package tui

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/dissect/errtext"
	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// tickInterval is how often the one UI ticker looks at Store.Version.
const tickInterval = 150 * time.Millisecond

// tick redraws when the store changed, until stop is closed. It is the only
// goroutine that queues updates, and it has exited before the application
// is stopped (see quit), so no update is queued after Run returned.
func (u *UI) tick(stop <-chan struct{}) {
	t := time.NewTicker(tickInterval)
	defer t.Stop()
	// No version seen yet: the first tick always refreshes, even when the
	// whole capture was read before the ticker started (regression: a small
	// file loaded before Run showed an empty UI).
	seen := ^uint64(0)
	var seenStore *session.Store
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		// The store may have been swapped (K): a new store is a change
		// whatever its version.
		st := u.storeRef.Load()
		if v := st.Version(); v != seen || st != seenStore {
			seen, seenStore = v, st
			u.app.QueueUpdateDraw(func() { u.refresh(false) })
		}
	}
}

// refresh copies what changed in the store into rows, re-filters and
// re-sorts, re-renders the selected session and updates the status bar.
// force re-renders even when the version did not change.
func (u *UI) refresh(force bool) {
	v := u.store.Version()
	if v == u.version && !force {
		return
	}
	u.version = v
	u.store.View(func(ss []*session.Session, p *session.Progress) {
		doneNow := p.Done && !u.done
		u.done = p.Done
		u.copyProgress(p)
		for i, s := range ss {
			if i >= len(u.rows) {
				u.rows = append(u.rows, summarize(i, s))
				u.noteWidths(&u.rows[i])
			} else if !u.rows[i].complete || doneNow {
				u.rows[i] = summarize(i, s)
				u.noteWidths(&u.rows[i])
			}
		}
		u.rebuildView(ss)
		u.tourSessions(ss) // --tour: its first page and self-check follow the table
		u.margin.capStart = captureStart(ss)
		if u.sel >= 0 && u.sel < len(ss) && (force || doneNow || !u.selComplete) {
			u.renderSession(ss[u.sel])
		}
	})
	u.syncSelection()
	u.updateStatus()
}

// copyProgress keeps what the status bar needs; the store's maps must not be
// kept beyond View.
func (u *UI) copyProgress(p *session.Progress) {
	limits := u.progress.Limits
	errs := u.progress.Errors
	u.progress = *p
	if !maps.Equal(limits, p.Limits) {
		limits = maps.Clone(p.Limits)
	}
	u.progress.Limits = limits
	if len(errs) != len(p.Errors) {
		errs = slices.Clone(p.Errors)
	}
	u.progress.Errors = errs
}

// rebuildView filters and sorts the rows. Call inside Store.View.
func (u *UI) rebuildView(ss []*session.Session) {
	u.view = u.view[:0]
	for i := range u.rows {
		if i < len(ss) && (u.filter.empty() || u.filter.match(ss[i])) {
			u.view = append(u.view, i)
		}
	}
	if u.sorting.col != colStream || u.sorting.desc {
		sortView(u.view, u.rows, u.sorting.col, u.sorting.desc)
	} else if !slices.IsSortedFunc(u.view, u.byStream) {
		sortView(u.view, u.rows, colStream, false)
	}
}

func (u *UI) byStream(a, b int) int { return compareRows(&u.rows[a], &u.rows[b], colStream) }

// syncSelection puts the sessions table's selection back on the selected
// session after the view changed, or selects the first session.
func (u *UI) syncSelection() {
	if len(u.view) == 0 {
		return
	}
	if u.want >= 0 {
		for _, idx := range u.view {
			if u.rows[idx].stream == u.want {
				u.want = -1
				if idx != u.sel {
					u.selectSession(idx)
				}
				break
			}
		}
	}
	pos := -1
	for i, idx := range u.view {
		if idx == u.sel {
			pos = i
			break
		}
	}
	if pos < 0 {
		u.selectSession(u.view[0])
		pos = 0
	}
	if r, _ := u.sessions.GetSelection(); r != pos+1 {
		u.syncing = true
		u.sessions.Select(pos+1, 0)
		u.syncing = false
	}
}

// updateStatus writes the progress, limits and errors line.
func (u *UI) updateStatus() {
	t := u.theme
	p := &u.progress
	var b strings.Builder
	b.WriteString(t.tag(roleAccent))
	name := u.opts.Title
	if name == "" {
		name = p.Source
	}
	if name == "" {
		name = "smtpscope"
	}
	b.WriteString(sanitize.Tag(name))
	b.WriteString(t.reset(roleAccent))
	b.WriteByte(' ')
	if !p.Done {
		if p.TotalBytes > 0 {
			b.WriteString(progressBar(p.Bytes, p.TotalBytes, 12))
			b.WriteByte(' ')
		}
		b.WriteString(byteCount(p.Bytes))
		if p.TotalBytes > 0 {
			b.WriteString("/" + byteCount(p.TotalBytes))
		}
		if p.Decompressed > 0 {
			b.WriteString(" gz→" + byteCount(p.Decompressed))
		}
	} else {
		b.WriteString("done " + byteCount(p.Bytes))
	}
	b.WriteString(" · " + thousands(p.Packets) + " pkts · " + strconv.Itoa(len(u.view)))
	if len(u.view) != len(u.rows) {
		b.WriteString("/" + strconv.Itoa(len(u.rows)))
	}
	b.WriteString(oneOrMany(len(u.rows), " session", " sessions") + " · " + shortDuration(p.Elapsed.Round(time.Millisecond)))
	if p.Drops > 0 {
		b.WriteString(" · " + t.tag(roleWarn) + "drops " + thousands(p.Drops) + t.reset(roleWarn))
	}
	if len(p.Limits) > 0 {
		b.WriteString(" · " + t.tag(roleWarn) + "limits")
		for _, k := range p.Limits.Hit() {
			b.WriteString(" " + k.String() + "=" + strconv.FormatInt(p.Limits[k], 10))
		}
		b.WriteString(t.reset(roleWarn))
	}
	if lt := p.LinkText(); lt != "" {
		b.WriteString(" · " + t.tag(roleWarn) + sanitize.Tag(lt) + t.reset(roleWarn))
	}
	if n := len(p.Errors); n > 0 {
		b.WriteString(" · " + t.tag(roleError) + strconv.Itoa(n) + oneOrMany(n, " error: ", " errors: ") + sanitize.Tag(errtext.String(p.Errors[n-1])) + t.reset(roleError))
	}
	if u.alert != "" {
		b.WriteString(" · " + t.tag(roleError) + sanitize.Tag(u.alert) + t.reset(roleError))
	}
	u.status.SetText(b.String())
}

// oneOrMany returns one when n is 1, else many.
func oneOrMany(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progressBar draws done/total as a bar w cells wide.
func progressBar(done, total int64, w int) string {
	if total <= 0 {
		return ""
	}
	n := int(min(max(done*int64(w)/total, 0), int64(w)))
	return strings.Repeat("█", n) + strings.Repeat("░", w-n) + " " + strconv.FormatInt(min(done*100/total, 100), 10) + "%"
}

// updateHint writes the hint bar: a one-shot message or the key hints.
func (u *UI) updateHint() {
	t := u.theme
	if u.flash.text != "" {
		msg := u.flash.text
		if u.screenW > 0 {
			msg = truncate(msg, u.screenW) // one line: cut with "…", never silently
		}
		u.hint.SetText(t.tag(u.flash.role) + sanitize.Tag(msg) + t.reset(u.flash.role))
		return
	}
	text := hintText()
	if u.teach {
		text = "lesson: ] n space next  [ back  PgDn scroll  i index  + - size  t leave  " + text
	}
	if !u.filter.empty() {
		text = "filter: " + u.filterSrc + "  " + text
	}
	u.hint.SetText(sanitize.Tag(text))
}
