package mfatest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/mfatest"
)

// These examples cannot run: TestHandler, TestEndpoint and Fuzz need the
// *testing.T or *testing.F of a real test. Each shows the test function
// a user writes; ExampleTestHandler_failure shows what it prints.

// myFake stands for the handler under test: here the reference emulator
// with a bug (it accepts MfaConfiguration OFF with a TOTP or email factor).
func myFake() http.Handler { return mfatest.AcceptOffWithFactor(emulator.New()) }

// A conformance test of a fake, in process: every rule of the contract a
// subtest. go test -run 'TestMyFake/set.off-with-factor' runs one.
func ExampleTestHandler() {
	testMyFake := func(t *testing.T) {
		mfatest.TestHandler(t, myFake())
	}
	_ = testMyFake // func TestMyFake(t *testing.T) in a _test.go file
}

// Options are those of harness.Run: more cases, another seed, one
// worker for a handler that is not safe for concurrent use.
func ExampleTestHandler_options() {
	testMyFake := func(t *testing.T) {
		mfatest.TestHandler(t, myFake(),
			harness.WithChecks(2000), harness.WithSeed(7), harness.WithParallel(1))
	}
	_ = testMyFake
}

// A known deviation is logged instead of failing the test, until the fake
// is fixed.
func ExampleKnown() {
	testMyFake := func(t *testing.T) {
		mfatest.TestHandler(t, myFake(), mfatest.Known(contracts.RuleOffWithFactor))
	}
	_ = testMyFake
}

// The same check against a server the test started (or any awsJson1_1
// endpoint).
func ExampleTestEndpoint() {
	testMyServer := func(t *testing.T) {
		srv := httptest.NewServer(myFake())
		defer srv.Close()
		mfatest.TestEndpoint(t, srv.URL)
	}
	_ = testMyServer
}

// A fuzz target: go test -fuzz=FuzzMyFake sends mutated cases until one
// breaks a rule, then stores the minimised input under
// testdata/fuzz/FuzzMyFake, which a plain go test replays.
func ExampleFuzz() {
	fuzzMyFake := func(f *testing.F) {
		mfatest.Fuzz(f, myFake())
	}
	_ = fuzzMyFake // func FuzzMyFake(f *testing.F) in a _test.go file
}
