package cassette

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// Recorder records every call of a run into a cassette. Its Transport is
// go-vcr's recording transport, put inside the SDK's HTTPClient by
// harness.WrapTarget, so fixture calls and raw wire cases are recorded
// like the rest. Each interaction is scrubbed as it is captured: what the
// recorder holds, and so what it writes, never has credentials. An answer
// is kept up to maxAnswer bytes; a longer one is recorded cut and marked
// (see cut.go).
type Recorder struct {
	path    string
	scrub   *Scrubber
	saveMu  sync.Mutex // one save at a time, so a later save never loses to an earlier one
	mu      sync.Mutex
	header  Header
	entries []*vcr.Interaction
	saved   int // interactions in the last save
}

// NewRecorder returns a recorder that saves to path. The header's world is
// scrubbed here; nothing is written before Save.
func NewRecorder(path string, h Header, w *contracts.World) *Recorder {
	s := NewScrubber(w)
	if w != nil {
		sw := s.World(w)
		h.World = NewHeader(harness.TargetInfo{}, 0, Flags{}, sw).World
	}
	h.Target.Endpoint = s.URL(h.Target.Endpoint)
	return &Recorder{path: path, scrub: s, header: h}
}

// Path is where the cassette is saved.
func (r *Recorder) Path() string { return r.path }

// Transport wraps the target's real transport in go-vcr's recorder: the
// function harness.WrapTarget takes.
func (r *Recorder) Transport(real http.RoundTripper) http.RoundTripper {
	// go-vcr's own cassette is never saved (Stop is never called): a name
	// that does not exist keeps it from loading anything either.
	name := filepath.Join(os.TempDir(), fmt.Sprintf("mfaconform-unsaved-%d-%d", os.Getpid(), time.Now().UnixNano()))
	// go-vcr reads each answer whole: it gets at most maxAnswer bytes,
	// and the caller gets a cut answer as replay will give it.
	rec, err := recorder.NewAsMode(name, recorder.ModeRecording, capAnswers{next: real})
	if err != nil {
		// Every call fails with the reason: the run stops as a setup
		// failure (exit 2) instead of crashing.
		return failing{fmt.Errorf("cassette: go-vcr recorder: %w", err)}
	}
	// go-vcr replays recorded latency unless told not to, also when it
	// records.
	rec.SkipRequestLatency = true
	rec.AddFilter(func(in *vcr.Interaction) error {
		r.add(r.scrub.Interaction(in))
		return nil
	})
	return cutAnswers{next: rec}
}

func (r *Recorder) add(in *vcr.Interaction) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, in)
}

// Len counts the interactions recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// Finish records the run's outcome in the header: its verdict, or why it
// stopped.
func (r *Recorder) Finish(rep *harness.Report, runErr error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.header.Interrupted = false
	if rep != nil {
		r.header.Verdict = VerdictOf(rep)
		r.header.Interrupted = rep.Interrupted
	}
	if runErr != nil {
		r.header.Interrupted = true
		r.header.Error = r.scrub.String(oneLine(runErr.Error()))
	}
}

// Save writes what was recorded so far, atomically. Until Finish, the
// header says the run was interrupted: a checkpoint is a partial run.
func (r *Recorder) Save() error {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	r.mu.Lock()
	c := &Cassette{Header: r.header, Interactions: append([]*vcr.Interaction(nil), r.entries...)}
	if c.Header.Verdict == nil && c.Header.Error == "" {
		c.Header.Interrupted = true
	}
	r.mu.Unlock()
	if err := c.Save(r.path); err != nil {
		return err
	}
	r.mu.Lock()
	r.saved = len(c.Interactions)
	r.mu.Unlock()
	return nil
}

// Checkpoint saves every interval while new interactions come in, until
// the returned stop is called: a run killed outright still leaves its last
// checkpoint.
func (r *Recorder) Checkpoint(interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.mu.Lock()
				fresh := len(r.entries) > r.saved
				r.mu.Unlock()
				if fresh {
					_ = r.Save()
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// failing is a transport that answers every call with one error.
type failing struct{ err error }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }
