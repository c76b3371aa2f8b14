// Package mfatest checks a Cognito user-pool MFA configuration API from
// its author's own go test and go test -fuzz, as net/http/httptest and
// testing/fstest do for their interfaces. It runs mfaconform's
// conformance run (package harness) against an http.Handler in process,
// or against a running server, and reports every rule of the contract as
// a subtest:
//
//	func TestMyFake(t *testing.T) {
//		mfatest.TestHandler(t, myfake.New())
//	}
//
//	func FuzzMyFake(f *testing.F) {
//		mfatest.Fuzz(f, myfake.New())
//	}
//
// go test -run 'TestMyFake/set.off-with-factor' shows one rule; go test
// -fuzz=FuzzMyFake lets the fuzzing engine look for a case that breaks
// one. A failure prints the request (shrunk to a minimal one), what the
// contract allows, what the handler answered, the rule's source in the
// contract and the command that runs the test again; see
// ExampleTestHandler_failure.
//
// The handler creates the fixture pools a run needs through its own
// CreateUserPool, with the SMS roles of the default world that
// mfaconform serve uses (harness.WithWorld replaces them); a rule that
// needs a property the handler does not keep is skipped, never failed.
// Options are harness's, plus Known for deviations the author knows of.
package mfatest
