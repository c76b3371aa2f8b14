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
	"github.com/mfaconform/mfaconform/internal/judge"
)

// Recorder records every call of a run into a cassette. Its Transport is
// go-vcr's recording transport, put inside the SDK's HTTPClient by
// harness.WrapTarget, so fixture calls and raw wire cases are recorded
// like the rest. Each interaction is scrubbed as it is captured: what the
// recorder holds, and so what it writes, never has credentials. An answer
// is kept up to maxAnswer bytes; a longer one is recorded cut and marked
// with the whole answer's length and SHA-256 (see cut.go).
type Recorder struct {
	path   string
	scrub  *Scrubber
	saveMu sync.Mutex // one save at a time, so a later save never loses to an earlier one
	mu     sync.Mutex
	header Header
	// items are the recorded interactions, each encoded once as the file
	// holds it (marshalItem): a save copies them.
	items [][]byte
	err   error // the first interaction that could not be encoded
	saved int   // interactions in the last save
	until context.Context
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

// Until ends the recording when ctx ends (a run's context): calls sent
// after the run was interrupted are not recorded. Those are its clean-up,
// on pools that the calls the interruption cut may have changed without
// an answer, so the recording holds no answer of theirs; their answers
// could neither be replayed nor compared by diff (which deletes the pools
// a recording left instead).
func (r *Recorder) Until(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.until = ctx
}

func (r *Recorder) ended() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.until != nil && r.until.Err() != nil
}

// Path is where the cassette is saved.
func (r *Recorder) Path() string { return r.path }

// Transport wraps the target's real transport in go-vcr's recorder: the
// function harness.WrapTarget takes.
func (r *Recorder) Transport(real http.RoundTripper) http.RoundTripper {
	// go-vcr's own cassettes are never saved (Stop is never called): a
	// name that does not exist keeps them from loading anything either.
	name := filepath.Join(os.TempDir(), fmt.Sprintf("mfaconform-unsaved-%d-%d", os.Getpid(), time.Now().UnixNano()))
	// go-vcr reads each answer whole: it gets at most maxAnswer bytes,
	// and the caller gets a cut answer as replay will give it.
	return cutAnswers{next: &recordCall{rec: r, name: name, real: capAnswers{next: real}}}
}

// recordCall records each call with a go-vcr recorder of its own, and
// keeps the interaction only when the caller gets the answer: go-vcr
// records a call before it looks at the request's context, and returns
// the context's error for a call the run's cancellation cut after its
// answer was read; such a call is never judged, so it is never recorded
// either (its replay would judge a call the run did not). A recorder per
// call also keeps go-vcr's own copy of every interaction, unscrubbed, from
// piling up in memory for the whole run.
type recordCall struct {
	rec  *Recorder
	name string
	real http.RoundTripper
}

func (t *recordCall) RoundTrip(req *http.Request) (*http.Response, error) {
	if judge.IsProbe(req.Context()) {
		// A live run waiting for IAM: never judged, so never recorded.
		return t.real.RoundTrip(req)
	}
	late := t.rec.ended()
	vr, err := recorder.NewAsMode(t.name, recorder.ModeRecording, t.real)
	if err != nil {
		return nil, fmt.Errorf("cassette: go-vcr recorder: %w", err)
	}
	// go-vcr replays recorded latency unless told not to, also when it
	// records.
	vr.SkipRequestLatency = true
	var got *vcr.Interaction
	vr.AddFilter(func(in *vcr.Interaction) error {
		got = in
		return nil
	})
	resp, err := vr.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if got != nil && !late {
		t.rec.add(t.rec.scrub.Interaction(got))
	}
	return resp, nil
}

func (r *Recorder) add(in *vcr.Interaction) {
	b, err := marshalItem(in)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if r.err == nil {
			r.err = fmt.Errorf("encoding interaction %d: %w", len(r.items)+1, err)
		}
		return
	}
	r.items = append(r.items, b)
}

// Len counts the interactions recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.items)
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
	h, items, err := r.header, r.items[:len(r.items):len(r.items)], r.err
	if h.Verdict == nil && h.Error == "" {
		h.Interrupted = true
	}
	r.mu.Unlock()
	if err != nil {
		return fmt.Errorf("cassette %s: %w", r.path, err)
	}
	data, err := marshalFile(h, items)
	if err != nil {
		return fmt.Errorf("cassette %s: %w", r.path, err)
	}
	if err := writeFile(r.path, data); err != nil {
		return err
	}
	r.mu.Lock()
	r.saved = len(items)
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
				fresh := len(r.items) > r.saved
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
