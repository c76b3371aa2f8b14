package harness

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/mfaconform/mfaconform/internal/judge"
)

// interruptGrace is how long before the run's interruption a call that got
// no answer counts as the interruption's, not the target's. Ctrl-C reaches
// every process of the terminal's group: a target on the same machine
// (mfaconform serve, an emulator) may stop, and drop this run's
// connections, just before this run sees the signal.
const interruptGrace = 500 * time.Millisecond

// interruption remembers when the run's context ended.
type interruption struct {
	ctx  context.Context
	at   atomic.Int64 // unix nanoseconds; 0 while the run goes on
	stop func() bool
}

func watch(ctx context.Context) *interruption {
	in := &interruption{ctx: ctx}
	in.stop = context.AfterFunc(ctx, func() { in.at.CompareAndSwap(0, time.Now().UnixNano()) })
	return in
}

// blames reports whether a call that ended at end is the interruption's.
func (in *interruption) blames(end time.Time) bool {
	if in.ctx.Err() == nil {
		return false
	}
	// AfterFunc may not have run yet: now is a little late, which only
	// blames a little more.
	in.at.CompareAndSwap(0, time.Now().UnixNano())
	return end.UnixNano() > in.at.Load()-int64(interruptGrace)
}

// heldJudgment is the judgment of a call that got no answer, kept out of
// the tally until it is clear the run's interruption did not cause it.
type heldJudgment struct {
	at    position
	label string
	j     judge.Judgment
	ended time.Time
}

// noAnswer: the call failed before its answer was read whole.
func noAnswer(x *judge.Exchange) bool { return x.Status == 0 || x.Err != nil }

// fold folds a judgment into the run's tally, or holds it for the grace
// when the call got no answer. Held judgments older than the grace are
// folded on the way: an interruption after now cannot blame them.
func (l *lane) fold(at position, label string, j judge.Judgment, x *judge.Exchange) {
	now := time.Now()
	l.release(func(h heldJudgment) bool { return now.Sub(h.ended) >= interruptGrace })
	if noAnswer(x) {
		l.held = append(l.held, heldJudgment{at: at, label: label, j: j, ended: now})
		return
	}
	l.run.tally.fold(at, label, j)
}

// release folds the held judgments ok accepts, in order, and keeps the
// rest.
func (l *lane) release(ok func(heldJudgment) bool) {
	kept := l.held[:0]
	for _, h := range l.held {
		if ok(h) {
			l.run.tally.fold(h.at, h.label, h.j)
		} else {
			kept = append(kept, h)
		}
	}
	clear(l.held[len(kept):])
	l.held = kept
}

// settle waits, at most the grace, for an interruption that may explain
// the run's last unanswered calls; then each lane's held judgments are
// folded, except those the interruption explains.
func (r *run) settle(ctx context.Context, lanes []*lane) {
	if last := r.lastSilent.Load(); last != 0 {
		if wait := time.Until(time.Unix(0, last).Add(interruptGrace)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
	for _, l := range lanes {
		l.release(func(h heldJudgment) bool { return !r.interrupt.blames(h.ended) })
		l.held = nil
	}
}
