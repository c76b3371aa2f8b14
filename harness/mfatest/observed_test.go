package mfatest_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/mfatest"
)

// accessSettled says AWS was seen to answer InvalidParameterException,
// not InvalidSmsRoleAccessPolicyException (the reference's choice), where
// the contract allows both.
var accessSettled = `contract: ` + contracts.Revision + `
points:
  - id: set.sms-role-access/outcome/InvalidParameterException | InvalidSmsRoleAccessPolicyException
    verdict: settled
    answer: InvalidParameterException
    seen:
      - answer: InvalidParameterException
        count: 2
    recordings:
      - target: aws
        date: 2026-12-01
`

// TestObservedFromEnv: MFACONFORM_OBSERVED, the twin of --observed,
// narrows the contract of TestHandler: the reference emulator then fails
// the rule of the settled point, and only it; without it, it passes.
func TestObservedFromEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "observed.yaml")
	if err := os.WriteFile(path, []byte(accessSettled), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := []harness.Option{harness.WithRules("set.sms-role-*")}
	r := mfatest.NewRecorder("TestRef")
	mfatest.CheckHandler(r, emulator.New(), opts...)
	if f := r.Failed(); len(f) > 0 {
		t.Fatalf("without observations the reference fails %v", f)
	}
	t.Setenv("MFACONFORM_OBSERVED", path)
	r = mfatest.NewRecorder("TestRef")
	mfatest.CheckHandler(r, emulator.New(), opts...)
	if f := r.Failed(); !slices.Equal(f, []string{"TestRef/set.sms-role-access"}) {
		t.Errorf("with MFACONFORM_OBSERVED the reference fails %v, want exactly set.sms-role-access", f)
	}
	t.Setenv("MFACONFORM_OBSERVED", filepath.Join(t.TempDir(), "missing.yaml"))
	r = mfatest.NewRecorder("TestRef")
	mfatest.CheckHandler(r, emulator.New(), opts...)
	if f := r.Failed(); !slices.Contains(f, "TestRef") {
		t.Errorf("a missing observations file does not fail the test: %v", f)
	}
}
