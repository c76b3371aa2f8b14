package mfatest_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/mfatest"
)

// TestReferenceConforms: on the reference emulator every rule of the
// catalogue is a subtest, none fails or warns, and a rule that skips
// says why.
func TestReferenceConforms(t *testing.T) {
	t.Parallel()
	r := mfatest.NewRecorder("TestMyFake")
	mfatest.CheckHandler(r, emulator.New())
	if got, want := r.Subtests(), len(contracts.Rules()); got != want {
		t.Errorf("%d subtests, want one per rule (%d)", got, want)
	}
	if failed := r.Failed(); len(failed) > 0 {
		t.Errorf("failing on the reference: %v\n%s", failed, r.Output())
	}
	if logs := r.Logs(); len(logs) > 0 {
		t.Errorf("logs on the reference (warnings?): %q", logs)
	}
	for name, why := range r.Skips() {
		if strings.TrimSpace(why) == "" {
			t.Errorf("%s skipped without a reason", name)
		}
	}
}

// TestBrokenHandlers: on a handler with one bug, exactly the subtest of
// the rule it breaks fails, once per failure the report keeps, and each
// message carries the request, what the contract allows, what came back,
// the rule's source and the command that runs the subtest again.
func TestBrokenHandlers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, reason string
		h            http.Handler
		rule         contracts.RuleID
		// shrunk: the first failure is shrunk (the harness does not
		// shrink a merge: its resets are merged too).
		shrunk bool
	}{
		{"off-with-factor", "Set accepts mode OFF with an enabled TOTP or an email block",
			mfatest.AcceptOffWithFactor(emulator.New()), contracts.RuleOffWithFactor, true},
		{"merge-not-replace", "Set merges the pool's last configuration into the request instead of replacing it",
			mfatest.MergeNotReplace(emulator.New()), contracts.RuleFullReplace, false},
		{"drops-member", "Set's answer leaves out SoftwareTokenMfaConfiguration",
			mfatest.DropMember(emulator.New(), "SoftwareTokenMfaConfiguration"), contracts.RuleEcho, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := mfatest.NewRecorder("TestMyFake")
			mfatest.CheckHandler(r, tc.h)
			sub := "TestMyFake/" + string(tc.rule)
			if failed := r.Failed(); !slices.Equal(failed, []string{sub}) {
				t.Fatalf("%s: failing subtests %v, want exactly [%s]\n%s", tc.reason, failed, sub, r.Output())
			}
			errs := r.Errors(sub)
			if len(errs) == 0 {
				t.Errorf("no error: want one per deviation")
			}
			rerun := "rerun:   go test -run '^TestMyFake$/^" + regexp.QuoteMeta(string(tc.rule)) + "$'"
			for _, e := range errs {
				for _, part := range []string{"request: {", "want:    ", "got:     ", "rule:    " + string(tc.rule), "source:  contract.md", rerun} {
					if !strings.Contains(e, part) {
						t.Errorf("message lacks %q:\n%s", part, e)
					}
				}
			}
			if tc.shrunk && !strings.Contains(errs[0], "(shrunk)") {
				t.Errorf("the first failure is not the shrunk one:\n%s", errs[0])
			}
		})
	}
}

// TestKnown: a known failing rule is logged, not failed; a known rule
// that passes is logged so the list can be trimmed; an ID the catalogue
// lacks fails the test instead of excusing nothing silently.
func TestKnown(t *testing.T) {
	t.Parallel()
	r := mfatest.NewRecorder("TestMyFake")
	mfatest.CheckHandler(r, mfatest.AcceptOffWithFactor(emulator.New()),
		mfatest.Known(contracts.RuleOffWithFactor), mfatest.Known(contracts.RuleEcho))
	if failed := r.Failed(); len(failed) > 0 {
		t.Fatalf("failing with the rule known: %v\n%s", failed, r.Output())
	}
	logs := strings.Join(r.Logs(), "\n")
	for _, want := range []string{"known deviation (mfatest.Known): SetUserPoolMfaConfig",
		string(contracts.RuleEcho) + " is listed as a known deviation but passed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}

	r = mfatest.NewRecorder("TestMyFake")
	mfatest.CheckHandler(r, emulator.New(), mfatest.Known("set.off-with-factr"))
	if errs := r.Errors("TestMyFake"); len(errs) != 1 || !strings.Contains(errs[0], `no rule "set.off-with-factr"`) {
		t.Errorf("an unknown ID: errors %q, want one naming it", errs)
	}
}

// TestEndpointTarget: the same check over loopback finds the same rule.
func TestEndpointTarget(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(mfatest.AcceptOffWithFactor(emulator.New()))
	defer srv.Close()
	target, err := harness.Endpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	r := mfatest.NewRecorder("TestMyFake")
	mfatest.CheckTarget(r, target)
	if failed, want := r.Failed(), "TestMyFake/"+string(contracts.RuleOffWithFactor); !slices.Equal(failed, []string{want}) {
		t.Errorf("failing subtests %v, want exactly [%s]", failed, want)
	}
}

// TestHandlerOnTheReference and TestEndpointOnTheReference run the
// package as users do, with *testing.T: each rule a subtest, all pass.
func TestHandlerOnTheReference(t *testing.T) {
	t.Parallel()
	mfatest.TestHandler(t, emulator.New())
}

func TestEndpointOnTheReference(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(emulator.New())
	defer srv.Close()
	mfatest.TestEndpoint(t, srv.URL)
}

// TestRulesMatchingNothingFail: TestHandler with rule globs that match no
// rule fails the test (it passed with no subtest, checking nothing).
func TestRulesMatchingNothingFail(t *testing.T) {
	t.Parallel()
	r := mfatest.NewRecorder("TestMyFake")
	mfatest.CheckHandler(r, emulator.New(), harness.WithRules("sett.*"))
	if errs := r.Errors("TestMyFake"); len(errs) != 1 || !strings.Contains(errs[0], "matches no rule") {
		t.Errorf("rules matching nothing: errors %q, want one saying so", errs)
	}
}
