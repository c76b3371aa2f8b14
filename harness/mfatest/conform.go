package mfatest

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/config"
)

// TestHandler runs a conformance run against h, called in process (no
// socket; see harness.Handler), and reports each rule of the catalogue as
// a subtest named by its ID, so that
//
//	go test -run 'TestMyFake/set.off-with-factor'
//
// shows one rule. (The whole run is made either way: a rule's verdict
// can depend on the calls of every other case.)
//
// A failing rule's subtest fails once per distinct deviation (a way of
// breaking the rule: its operation, outcome, error and members, see
// harness.Signature), each shrunk to a minimal request and shown with what
// the contract allows, what h answered, the rule's source in the contract
// and the go test command that runs the subtest again. A rule no case could judge is skipped with the
// reason (a handler that does not keep a property, such as a pool's tier,
// makes the rules that need it skip, never fail); a message rule that
// differs only warns, through t.Log. Rules listed with Known are logged
// instead of failed.
//
// h is called from several goroutines at once; harness.WithParallel(1)
// sends one call at a time. Fixture pools are created through h's own
// CreateUserPool and deleted at the end; the SMS roles are those of the
// default world, as mfaconform serve uses (harness.WithWorld replaces it).
// Other options are those of harness.Run: harness.WithChecks,
// harness.WithSeed, harness.WithRules and the rest.
func TestHandler(t *testing.T, h http.Handler, opts ...harness.Option) {
	t.Helper()
	testTarget(testingT{t}, harness.Handler(h), opts)
}

// TestEndpoint is TestHandler against a running server: any awsJson1_1
// endpoint, such as http://127.0.0.1:9229 for an emulator started by the
// test. A URL that is not http(s), or a server that cannot create the
// fixture pools, fails the test.
func TestEndpoint(t *testing.T, url string, opts ...harness.Option) {
	t.Helper()
	target, err := harness.Endpoint(url)
	if err != nil {
		t.Fatalf("mfatest: %v", err)
	}
	defer target.Close()
	testTarget(testingT{t}, target, opts)
}

// testTarget is the body of TestHandler and TestEndpoint, over tb.
func testTarget(t tb, target harness.Target, opts []harness.Option) {
	t.Helper()
	known := settings(opts).Known
	if errs := unknownIDs(known); len(errs) > 0 {
		t.Errorf("%v", errors.Join(errs...))
		return
	}
	opts, err := observedFromEnv(opts)
	if err != nil {
		t.Errorf("mfatest: %v", err)
		return
	}
	rep, err := harness.Run(contextOf(t), target, opts...)
	if err != nil {
		t.Errorf("mfatest: the run could not be made: %v", err)
		return
	}
	if rep.Interrupted {
		t.Errorf("mfatest: the run was interrupted (the test ended) after %d calls; what it found so far follows", rep.Summary.Calls)
	}
	for _, rr := range rep.Rules {
		t.Run(string(rr.ID), func(st tb) {
			st.Helper()
			reportRule(st, rr, slices.Contains(known, rr.ID), rerun(st.Name()), "")
		})
	}
	for _, p := range rep.RefusedPools {
		t.Logf("mfatest: not sent: %s", p)
	}
	for _, l := range rep.Leftovers {
		t.Logf("mfatest: pool %s created by the run could not be deleted: %s", l.Pool, l.Error)
	}
}

// observedFromEnv adds the observations file that MFACONFORM_OBSERVED
// names (the twin of --observed) unless the options give one
// (harness.WithObserved).
func observedFromEnv(opts []harness.Option) ([]harness.Option, error) {
	path := os.Getenv(config.EnvName("observed"))
	if path == "" || settings(opts).Narrow != nil {
		return opts, nil
	}
	f, err := observed.Load(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", config.EnvName("observed"), err)
	}
	return append(slices.Clone(opts), harness.WithObserved(f)), nil
}
