package tui

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/smtpscope/smtpscope/dissect/sanitize"
	"github.com/smtpscope/smtpscope/dissect/session"
)

// Options configures the UI.
type Options struct {
	// Theme is "dark" (default) or "light".
	Theme string
	// NoColor draws with attributes only; Run also honours $NO_COLOR.
	NoColor bool
	// Title names the capture in the status bar and the terminal title.
	Title string
	// Teach opens the UI in lesson mode: the detail pane becomes a lesson
	// that steps through the selected session phase by phase (t toggles).
	Teach bool
	// Tour (with Teach) walks every session's lesson in a row, opened by
	// a page naming the sessions and closed by a self-check.
	Tour bool
	// Time is the timeline's time format at start (T cycles).
	Time TimeFormat
	// Mouse turns mouse capture on at start (m toggles it). Off by default:
	// while the UI captures the mouse, the terminal cannot select text.
	Mouse bool
	// LoadKeyLog, when set, is called with the path the user typed after K:
	// it reads the same capture again with that key log into a fresh store
	// (filled in the background) that the UI then shows, and a note for the
	// hint bar. Its error is shown in red in the status bar. Nil means the
	// capture cannot be re-read (K says so).
	LoadKeyLog func(path string) (store *session.Store, note string, err error)
	// SaveMessage, when set, writes a message of the capture to w: the
	// bytes the client sent (part < 0), or the decoded content of
	// m.Parts[part]. It re-reads the capture (messages are not kept).
	SaveMessage func(stream int64, m *session.Message, part int, w io.Writer) error
}

// UI is the terminal UI over one session store. Its widgets are touched only
// on the tview event goroutine.
type UI struct {
	app   *tview.Application
	store *session.Store
	// storeRef is store for the ticker goroutine: K swaps the store on the
	// event goroutine.
	storeRef atomic.Pointer[session.Store]
	opts     Options
	theme    theme

	// Widgets.
	pages     *tview.Pages
	root      *tview.Flex
	main      *tview.Flex
	middle    *tview.Flex
	sessions  *sizedTable
	timeline  *sizedTable
	streamTab *sizedTable
	detail    *tview.TextView
	status    *tview.TextView
	hint      *tview.TextView
	input     *tview.InputField
	caret     *tview.TextView // under input: where the filter's error is
	gotoInput *tview.InputField
	statsView *tview.TextView // made on first use (S)
	keyInput  *tview.InputField
	findings  *tview.Table
	help      *tview.TextView
	msgList   *tview.Table // the messages of every session (M)
	msgRows   *msgContent  // its rows
	msgView   *messageView // the open message
	// overlayFocus is the overlay's primitive, focused again after a
	// path prompt opened over it.
	overlayFocus tview.Primitive
	index        *tview.Table // the lesson's pages (i); made when first opened

	// Layout state.
	narrow      bool
	screenW     int // the screen's width at the last draw
	maximised   tview.Primitive
	streamMode  bool
	streamView  streamMode // how the stream view shows bytes (x)
	streamWidth int        // the stream pane's inner width at the last draw
	filterOpen  bool
	caretShown  bool
	gotoOpen    bool // the go-to-frame field replaces the hint bar
	overlay     overlayKind
	mouse       bool
	flash       flashMsg
	keyOpen     bool     // the path field (keyInput) replaces the hint bar
	ask         *pathAsk // what the path field is asking for
	alert       string   // error shown in red in the status bar (a key log that failed)
	findByTime  bool     // the findings list is in evidence order, not worst first

	// Lesson mode.
	teach bool
	deck  lessonDeck

	// Sessions state.
	version  uint64
	done     bool
	progress session.Progress
	rows     []row
	view     []int // indices into rows, filtered and sorted
	filter   filter
	filterSrc,
	prevFilter string
	sorting sortState
	cols    columnState
	syncing bool // suppress selection callbacks while re-selecting

	// Selected session state.
	sel int // index into the store's sessions, -1 for none
	// want is the stream to select again once it appears (after a key-log
	// reload re-reads the capture), -1 for none.
	want        int64
	selComplete bool
	lines       []line
	streamLines []streamLine
	expanded    map[int]bool
	ladderWidth int
	margin      timelineMargin

	ticking tickerState
}

// lessonDeck is lesson mode's state: the selected session's pages, the
// page shown, and how the lesson shares the screen.
type lessonDeck struct {
	pages    []lessonPage // of the selected session
	idx      int
	stepping bool       // the lesson moves the timeline: do not follow it back
	share    int        // the lesson's share of the timeline and lesson panes, in percent; 0 for the default
	tour     *tourState // --tour: the lessons of every session in a row; nil otherwise
}

// flashMsg is a one-shot message in the hint bar (e.g. a filter error).
type flashMsg struct {
	text string
	role role
}

// sortState is the sessions table's sort: by column col, descending when
// desc.
type sortState struct {
	col  int
	desc bool
}

// columnState is the sessions table's columns: natural widths over every
// row seen (nat), the visible columns (vis) and their widths (w) for the
// pane's width avail; dirty says they must be laid out again.
type columnState struct {
	nat   [numCols]int
	vis   []int
	w     [numCols]int
	avail int
	dirty bool
}

// timelineMargin is the timeline's left margin: the frame column's width,
// the time format (T), the table's width at the last draw, the capture's
// start for TimeSinceStart.
type timelineMargin struct {
	frameWidth int
	timeFmt    TimeFormat
	width      int
	capStart   time.Time
}

// tickerState runs the refresh ticker: stop ends it (once), wg waits for it.
type tickerState struct {
	stop chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

// New builds the UI over store without starting it. Tests use App to attach
// a simulation screen.
func New(store *session.Store, opts Options) *UI {
	u := &UI{
		app:         tview.NewApplication(),
		store:       store,
		opts:        opts,
		teach:       opts.Teach,
		theme:       newTheme(opts.Theme, opts.NoColor),
		sel:         -1,
		want:        -1,
		expanded:    map[int]bool{},
		mouse:       opts.Mouse,
		ladderWidth: 40,
		margin:      timelineMargin{timeFmt: opts.Time},
		ticking:     tickerState{stop: make(chan struct{})},
	}
	u.storeRef.Store(store)
	if opts.Tour {
		u.teach = true
		u.deck.tour = &tourState{first: -1, last: -1}
	}
	u.build()
	u.refresh(true)
	return u
}

// App returns the tview application, for tests (SetScreen) and embedding.
func (u *UI) App() *tview.Application { return u.app }

// build creates the widgets and the layout.
func (u *UI) build() {
	t := u.theme
	u.setSessionsWidth(1 << 10)
	u.sessions = newSizedTable(&sessionsContent{u: u}, u.setSessionsWidth)
	u.sessions.SetFixed(1, 0).SetSelectable(true, false)
	u.sessions.SetSelectionChangedFunc(func(r, _ int) { u.onSessionRow(r) })
	u.sessions.SetSelectedFunc(func(int, int) { u.focus(u.timelinePane()) })
	u.pane(u.sessions.Box, " Sessions ")

	u.timeline = newSizedTable(&ladderContent{u: u}, func(w int) { u.setLadderWidth(w) })
	u.timeline.SetSelectable(true, false)
	u.timeline.SetSelectionChangedFunc(func(int, int) { u.showDetail() })
	u.pane(u.timeline.Box, " Timeline ")

	u.streamTab = newSizedTable(&streamContent{u: u}, u.setStreamWidth)
	u.streamTab.SetSelectable(true, false)
	u.streamTab.SetSelectionChangedFunc(func(int, int) { u.showDetail() })
	u.pane(u.streamTab.Box, u.streamTitle())

	u.detail = tview.NewTextView().SetDynamicColors(true).SetRegions(false).
		SetWrap(true).SetWordWrap(true).SetScrollable(true)
	u.detail.SetTextStyle(t.style(roleText))
	u.pane(u.detail.Box, u.detailTitle())

	u.status = tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false)
	u.status.SetTextStyle(t.style(roleText))
	u.status.SetBackgroundColor(t.bg)
	u.hint = tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false)
	u.hint.SetTextStyle(t.style(roleDim))
	u.hint.SetBackgroundColor(t.bg)

	u.input = tview.NewInputField().SetLabel("/").
		SetPlaceholder("reply >= 500 or tls.version < 1.2 · port:587 tls:none · words…")
	u.input.SetFieldStyle(t.style(roleText)).SetLabelStyle(t.style(roleAccent))
	u.input.SetPlaceholderStyle(t.style(roleDim))
	u.input.SetBackgroundColor(t.bg)
	u.input.SetChangedFunc(u.onFilterChanged)
	u.input.SetDoneFunc(u.onFilterDone)
	u.caret = u.newCaretLine()
	u.gotoInput = u.newGotoInput()

	u.keyInput = tview.NewInputField() // label and placeholder: askPath
	u.keyInput.SetFieldStyle(t.style(roleText)).SetLabelStyle(t.style(roleAccent))
	u.keyInput.SetPlaceholderStyle(t.style(roleDim))
	u.keyInput.SetBackgroundColor(t.bg)
	u.keyInput.SetDoneFunc(u.onPathDone)
	u.keyInput.SetInputCapture(u.pathKey)

	u.findings = tview.NewTable().SetSelectable(true, false)
	u.findings.SetSelectedFunc(func(r, _ int) { u.jumpToFinding(r) })
	u.pane(u.findings.Box, " Findings — enter jumps, esc closes ")

	u.help = tview.NewTextView().SetDynamicColors(false).SetRegions(false).SetText(helpText(0))
	u.help.SetTextStyle(t.style(roleText))
	u.pane(u.help.Box, " Help ")

	u.middle = tview.NewFlex()
	u.main = tview.NewFlex().SetDirection(tview.FlexRow)
	u.root = tview.NewFlex().SetDirection(tview.FlexRow)
	u.pages = tview.NewPages().AddPage("main", u.root, true, true)
	u.layout()

	for _, tab := range []*tview.Table{u.sessions.Table, u.timeline.Table, u.streamTab.Table, u.findings} {
		tab.SetBordersColor(t.color(roleDim))
		tab.SetSelectedStyle(tcell.StyleDefault.Reverse(true))
	}
	u.app.SetRoot(u.pages, true).SetFocus(u.sessions).EnableMouse(u.mouse)
	u.app.SetInputCapture(u.capture)
	u.app.SetMouseCapture(u.mouseCapture)
	u.app.SetBeforeDrawFunc(u.beforeDraw)
	if u.opts.Title != "" {
		// The terminal's window title (OSC 2) is written raw: sanitize here,
		// whatever the caller did (a file name can hold escape sequences).
		u.app.SetTitle("smtpscope — " + sanitize.String(u.opts.Title))
	}
	u.updateHint()
}

// pane styles a bordered pane.
func (u *UI) pane(b *tview.Box, title string) {
	t := u.theme
	b.SetBorder(true).SetTitle(title).SetTitleAlign(tview.AlignLeft)
	b.SetBackgroundColor(t.bg)
	b.SetBorderStyle(t.style(roleDim))
	b.SetTitleColor(t.color(roleAccent))
}

// narrowWidth is the screen width under which the timeline sits above the
// detail pane instead of beside it.
const narrowWidth = 110

// beforeDraw adapts the layout to the screen width.
func (u *UI) beforeDraw(screen tcell.Screen) bool {
	w, _ := screen.Size()
	if w != u.screenW {
		u.screenW = w
		u.updateHint()
	}
	if narrow := w < narrowWidth; narrow != u.narrow {
		u.narrow = narrow
		u.layout()
	}
	return false
}

// timelinePane is the primitive in the timeline slot (timeline or stream).
func (u *UI) timelinePane() tview.Primitive {
	if u.streamMode {
		return u.streamTab
	}
	return u.timeline
}

// layout rebuilds the flexes from the layout state.
func (u *UI) layout() {
	tl, dt := u.middleShares() // lesson mode: the lesson's share (+ and -)
	u.middle.Clear()
	if u.narrow {
		u.middle.SetDirection(tview.FlexRow)
	} else {
		u.middle.SetDirection(tview.FlexColumn)
	}
	u.middle.AddItem(u.timelinePane(), 0, tl, false).AddItem(u.detail, 0, dt, false)
	u.main.Clear()
	if rows := u.teachSessionsRows(); rows > 0 {
		u.main.AddItem(u.sessions, rows, 0, true).AddItem(u.middle, 0, 1, false)
	} else {
		u.main.AddItem(u.sessions, 0, 35, true).AddItem(u.middle, 0, 65, false)
	}

	center := tview.Primitive(u.main)
	if u.maximised != nil {
		center = u.maximised
	}
	bottom := tview.Primitive(u.hint)
	switch {
	case u.filterOpen:
		bottom = u.input
	case u.keyOpen:
		bottom = u.keyInput
	case u.gotoOpen:
		bottom = u.gotoInput
	}
	u.root.Clear()
	u.root.AddItem(center, 0, 1, false).AddItem(u.status, 1, 0, false).AddItem(bottom, 1, 0, false)
	if u.filterOpen && u.caretShown {
		u.root.AddItem(u.caret, 1, 0, false)
	}
}
