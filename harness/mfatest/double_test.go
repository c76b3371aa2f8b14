package mfatest

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// recorder is a tb that keeps what a test reports instead of reporting
// it, so that a failing check can be observed. Skip ends the (sub)test's
// goroutine as testing's does.
type recorder struct {
	name string

	mu      sync.Mutex
	errors  []string
	logs    []string
	lines   []string // errors, logs and the skip reason, in order
	skipped *string
	subs    []*recorder
}

var _ tb = (*recorder)(nil)

func newRecorder(name string) *recorder { return &recorder{name: name} }

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return r.name }

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.lines = append(r.lines, r.errors[len(r.errors)-1])
}

func (r *recorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
	r.lines = append(r.lines, r.logs[len(r.logs)-1])
}

func (r *recorder) Skip(args ...any) {
	r.mu.Lock()
	why := fmt.Sprint(args...)
	r.skipped = &why
	r.lines = append(r.lines, why)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Run(name string, f func(tb)) bool {
	sub := newRecorder(r.name + "/" + name)
	r.mu.Lock()
	r.subs = append(r.subs, sub)
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(sub)
	}()
	<-done
	return !sub.failedAll()
}

// failedAll reports whether r or one of its subtests failed.
func (r *recorder) failedAll() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errors) > 0 {
		return true
	}
	return slices.ContainsFunc(r.subs, (*recorder).failedAll)
}

// each visits r and its subtests, depth first.
func (r *recorder) each(f func(*recorder)) {
	f(r)
	r.mu.Lock()
	subs := slices.Clone(r.subs)
	r.mu.Unlock()
	for _, s := range subs {
		s.each(f)
	}
}

// Failed names the tests (r and subtests) that reported an error.
func (r *recorder) Failed() []string {
	var out []string
	r.each(func(s *recorder) {
		if len(s.errors) > 0 {
			out = append(out, s.name)
		}
	})
	return out
}

// Errors returns the errors reported by the test of that full name.
func (r *recorder) Errors(name string) []string {
	var out []string
	r.each(func(s *recorder) {
		if s.name == name {
			out = slices.Clone(s.errors)
		}
	})
	return out
}

// Logs returns every log line of r and its subtests.
func (r *recorder) Logs() []string {
	var out []string
	r.each(func(s *recorder) { out = append(out, s.logs...) })
	return out
}

// Skips maps each skipped subtest to its reason.
func (r *recorder) Skips() map[string]string {
	out := map[string]string{}
	r.each(func(s *recorder) {
		if s.skipped != nil {
			out[s.name] = *s.skipped
		}
	})
	return out
}

// Subtests counts r's direct subtests.
func (r *recorder) Subtests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.subs)
}

// Output renders what go test -v prints of the failing and skipped
// tests, and of the logs of the tests that neither passed quietly: a
// result line per test, then its messages indented.
func (r *recorder) Output() string {
	var b strings.Builder
	r.each(func(s *recorder) {
		status := ""
		switch {
		case len(s.errors) > 0:
			status = "FAIL"
		case s.skipped != nil:
			status = "SKIP"
		case len(s.logs) > 0:
			status = "PASS"
		default:
			return
		}
		if s == r && len(s.subs) > 0 && status != "FAIL" {
			return
		}
		fmt.Fprintf(&b, "--- %s: %s\n", status, s.name)
		for _, l := range s.lines {
			b.WriteString("    " + strings.ReplaceAll(l, "\n", "\n        ") + "\n")
		}
	})
	return b.String()
}
