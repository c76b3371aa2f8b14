package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mfaconform/mfaconform/harness"
)

// progressLine is the one line a run rewrites on a terminal's stderr: how
// far it has got, its call rate and the rules failing so far. It is shown
// only when stderr is a terminal, only once the run has lasted a couple
// of seconds, and a few times a second at most.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	shown bool
}

// progressAfter is how long a run goes before it shows progress: a short
// run finishes before a line would help.
const progressAfter = 2 * time.Second

// newProgressLine returns a line on w, or nil when w is not a terminal.
func newProgressLine(w io.Writer) *progressLine {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progressLine{w: w}
}

func (l *progressLine) show(p harness.Progress) {
	if p.Elapsed < progressAfter {
		return
	}
	var b strings.Builder
	if p.Total > 0 {
		fmt.Fprintf(&b, "%d/%d cases (%d%%)", p.Done, p.Total, p.Done*100/max(p.Total, 1))
	} else {
		fmt.Fprintf(&b, "%d cases, %s left", p.Done, p.Left.Round(time.Second))
	}
	fmt.Fprintf(&b, ", %.0f calls/s, %d failing rules", float64(p.Calls)/p.Elapsed.Seconds(), p.Failing)
	l.mu.Lock()
	defer l.mu.Unlock()
	// Carriage return and erase-line: the line is rewritten in place.
	fmt.Fprintf(l.w, "\r\x1b[K%s", b.String())
	l.shown = true
}

// clear erases the line before the summary prints.
func (l *progressLine) clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\x1b[K")
		l.shown = false
	}
}
