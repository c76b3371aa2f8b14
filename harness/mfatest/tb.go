package mfatest

import (
	"context"
	"testing"
)

// tb is what the package needs of a test: *testing.T through testingT,
// or a double in this package's own tests, so that a failing check can be
// observed without failing the test that observes it.
type tb interface {
	Helper()
	Name() string
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
	Skip(args ...any)
	Run(name string, f func(tb)) bool
}

// testingT adapts *testing.T: its Run takes a func(*testing.T).
type testingT struct{ *testing.T }

var _ tb = testingT{}

func (t testingT) Run(name string, f func(tb)) bool {
	t.Helper()
	return t.T.Run(name, func(st *testing.T) {
		// Every frame of the subtest is a helper, so testing reports its
		// messages at the user's call of TestHandler.
		st.Helper()
		f(testingT{st})
	})
}

// contextOf is the test's context where it has one (*testing.T does: it
// ends when the test does), so a run stops with its test.
func contextOf(t tb) context.Context {
	if c, ok := t.(interface{ Context() context.Context }); ok {
		return c.Context()
	}
	return context.Background()
}
